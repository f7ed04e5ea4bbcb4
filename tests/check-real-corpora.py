#!/usr/bin/python3
"""check-real-corpora.py - obc on the real-world policy documents.

Usage:
  check-real-corpora.py OBC            check every document against its golden
  check-real-corpora.py --regen OBC    rewrite the goldens (review them with git diff)
  check-real-corpora.py --self-test    test this script's own functions

The documents are read at test time from the shared reference material
(../shared beside the repository, or $OBC_SHARED): every corpus-real/*.json
and every reference/aws-examples/*.json. They are never copied into the
project. When the directory is absent the script prints one "skipped:" line
and exits 0.

1. Goldens. Each document is checked with
       OBC check --color never --format json FILE   (run in FILE's directory)
   and the result is compared with tests/real/DIR/NAME.diag (DIR is
   corpus-real or aws-examples, NAME the file name without .json). The golden
   is a compact rendering of obc's own output, not of the document: the exit
   status, then one line per diagnostic "LINE:COL severity[CODE] message"
   with its help and notes indented below (source snippets are left out so
   the goldens do not reproduce the documents). Anything obc prints on stderr
   in that mode is kept verbatim under "stderr:". A missing or different
   golden fails with a diff; --regen rewrites them for review.

2. Verdicts. corpus-real/SOURCES.md gives each document a status (valid,
   partial, invalid, suspicious); AWS's examples have none, so their verdict
   is tests/real-corpora-expected.txt's (the schema's: valid, partial,
   invalid), except where AWS_EXAMPLE_STATUS below says the example has a
   mistake the schema cannot see (as SOURCES.md does for the corpus-real
   copy of the same text). valid and partial: no error. invalid: at least
   one error.
   suspicious: only the golden. A document SOURCES.md calls invalid only
   because it is incomplete (the schema calls it partial) is a legal partial
   document to a plain `obc check`; it must get an error from
   `obc check --standalone`, which is run for it in addition.

3. Import round trip. Every document that is complete (the schema's verdict
   is valid) and has no error in step 1 is imported (@@append, @@remove
   and @@operators_allowed_for_child_policies included: the language writes
   them as +=, -= and children) and compiled back:
       OBC import FILE > TMP/NAME.ob; OBC compile TMP/NAME.ob -o TMP/out --no-manifest
   and the one policy written is compared with the document as JSON values,
   under these equivalences (see normalize()):
     - object key order is ignored;
     - a number or boolean equals its string form: 30 == "30",
       false == "false" (AWS accepts both inside @@assign; obc writes strings);
       strings are compared as written ("enabled" is not "Enabled");
     - list order is ignored: every list of a BACKUP_POLICY is a set to AWS
       (regions, tag_value, resource_types, not_resource_types, ...);
     - the entry names of the maps whose names AWS discards are replaced by
       the entries' content: recovery_point_tags and backup_plan_tags (AWS
       passes them on as one key -> value map, RecoveryPointTags /
       BackupPlanTags), and the entries of conditions.string_equals,
       string_not_equals, string_like, string_not_like (passed on as lists of
       ConditionKey/ConditionValue) - see the AWS Backup API's BackupRule and
       Conditions types and the backup policy syntax page, section "Backup
       policy syntax" ([S1]; ../shared/reference/backup-policy-spec.md
       sections 2 and 4).
   An import that refuses the document (exit 1) is listed with its first
   error code, not failed: it said why. An import that exits 2, a program
   that does not compile, or a policy that differs is a failure.
   Then every document whose own round trip held is imported by ONE
   `obc import` into one program (the vaults and accounts documents share
   are declared once) and compiled back; the policies written must equal
   the documents under the same equivalences.

Prints one line per document and a summary table; exits 1 on any failure,
2 on a usage error. Standard library only (plus tests/validate-policies.py's
helpers, which need python3-jsonschema).
"""

import collections
import difflib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN_DIR = os.path.join(REPO, "tests", "real")
TIMEOUT = 60


def load_validate_policies():
    """tests/validate-policies.py as a module: its shared-directory lookup and
    its reader of tests/real-corpora-expected.txt."""
    path = os.path.join(REPO, "tests", "validate-policies.py")
    spec = importlib.util.spec_from_file_location("validate_policies", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


VP = load_validate_policies()

# (directory under the shared root, golden directory under tests/real)
CORPORA = (("corpus-real", "corpus-real"), (os.path.join("reference", "aws-examples"), "aws-examples"))
STATUSES = ("valid", "partial", "invalid", "suspicious")
OPERATORS_NOT_ASSIGN = ("@@append", "@@remove", "@@operators_allowed_for_child_policies")
# AWS's examples whose mistake only a key-against-value rule sees: the
# schema calls them valid, SOURCES.md would call them suspicious.
AWS_EXAMPLE_STATUS = {
    "26-legacy2022-intro-complete-policy.json":
        "suspicious",  # its second copy key differs from the target ARN [S1L], like corpus-real 038
}
RELABELED_MAPS = ("recovery_point_tags", "backup_plan_tags")
CONDITION_MAPS = ("string_equals", "string_not_equals", "string_like", "string_not_like")


# ---- SOURCES.md -----------------------------------------------------------

def parse_sources(text):
    """{file name: status} from the table of corpus-real/SOURCES.md: rows
    '| FILE.json | STATUS | ...'. Raises ValueError on an unknown status."""
    out = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].endswith(".json"):
            continue
        if cells[1] not in STATUSES:
            raise ValueError("SOURCES.md:%d: unknown status '%s' for %s" % (lineno, cells[1], cells[0]))
        out[cells[0]] = cells[1]
    return out


# ---- golden rendering -----------------------------------------------------

def where(rng, main_file):
    if not isinstance(rng, dict) or "start" not in rng:
        return "-"
    start = rng["start"]
    pos = "%d:%d" % (start["line"], start["column"])
    f = rng.get("file")
    return pos if not f or f == main_file else "%s:%s" % (f, pos)


def render_golden(rc, stdout, stderr, main_file):
    """The compact golden text of one `obc check --format json` run."""
    lines = ["exit %d" % rc]
    try:
        report = json.loads(stdout.decode("utf-8")) if stdout.strip() else {"diagnostics": []}
    except ValueError:
        report = None
    if report is None:
        lines.append("stdout (not JSON):")
        lines += ["  " + s for s in stdout.decode("utf-8", "replace").splitlines()]
    else:
        for d in report.get("diagnostics", []):
            lines.append("%s %s[%s] %s" % (where(d.get("range"), main_file), d.get("severity"), d.get("code"),
                                           d.get("message")))
            if d.get("help"):
                lines.append("  help: %s" % d["help"])
            for n in d.get("notes", []):
                lines.append("  note %s: %s" % (where(n.get("range"), main_file), n.get("message")))
        if report.get("not_shown"):
            lines.append("not shown: %d" % report["not_shown"])
    if stderr:
        lines.append("stderr:")
        lines += ["  " + s for s in stderr.decode("utf-8", "replace").splitlines()]
    return "\n".join(lines) + "\n"


def golden_errors(text):
    """[code of each error] in a golden text."""
    out = []
    for line in text.splitlines():
        if " error[" in line and not line.startswith(" "):
            out.append(line.split(" error[", 1)[1].split("]", 1)[0])
    return out


# ---- JSON comparison ------------------------------------------------------

def canonical(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def scalar(v):
    """A JSON scalar in the string form AWS treats it as."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return v


def rekey(entries):
    """A map whose entry names AWS discards, keyed by each entry's content."""
    out = {}
    for value in entries.values():
        v = normalize(value)
        key = canonical(v)
        while key in out:  # the same entry twice: keep both
            key += "+"
        out[key] = v
    return out


def normalize(v, parent=None):
    """v with the equivalences of the round trip applied (module docstring)."""
    if isinstance(v, dict):
        if parent in RELABELED_MAPS or parent in CONDITION_MAPS:
            return rekey(v)
        return {k: normalize(x, k) for k, x in v.items()}
    if isinstance(v, list):
        return sorted((normalize(x) for x in v), key=canonical)
    if v is None:
        return None
    return scalar(v)


def json_diff(want, got):
    """'' when want and got are equal after normalize(), else a unified diff."""
    a, b = normalize(want), normalize(got)
    if a == b:
        return ""
    ta = json.dumps(a, sort_keys=True, indent=2, ensure_ascii=False).splitlines()
    tb = json.dumps(b, sort_keys=True, indent=2, ensure_ascii=False).splitlines()
    return "\n".join(difflib.unified_diff(ta, tb, "document", "round trip", lineterm="", n=2)) + "\n"


def operators_used(v, found=None):
    """The operators other than @@assign that v uses, sorted."""
    found = set() if found is None else found
    if isinstance(v, dict):
        for k, x in v.items():
            if k in OPERATORS_NOT_ASSIGN:
                found.add(k)
            operators_used(x, found)
    elif isinstance(v, list):
        for x in v:
            operators_used(x, found)
    return sorted(found)


# ---- running obc ----------------------------------------------------------

def run(argv, cwd=None):
    try:
        p = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
        return (p.returncode if p.returncode >= 0 else 128 - p.returncode), p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return 124, b"", b"timed out\n"


def first_error_code(stderr):
    for line in stderr.decode("utf-8", "replace").splitlines():
        if "error[" in line:
            return line.split("error[", 1)[1].split("]", 1)[0]
    return "exit 1 without a code"


class Run:
    def __init__(self, obc, regen):
        self.obc = obc
        self.regen = regen
        self.failures = 0
        self.read = 0
        self.with_errors = 0
        self.errors_by_code = collections.Counter()
        self.trips_held = []
        self.held_paths = []   # the documents of trips_held
        self.together = 0      # documents in the one-program round trip
        self.trips_not_attempted = []  # (name, why)
        self.trips_failed = []
        self.regenerated = 0

    def fail(self, name, why, detail=""):
        self.failures += 1
        print("FAIL  %s: %s" % (name, why))
        if detail:
            sys.stdout.write("".join("      " + s + "\n" for s in detail.rstrip("\n").split("\n")))

    def golden(self, name, golden_path, text):
        if self.regen:
            old = open(golden_path, encoding="utf-8").read() if os.path.exists(golden_path) else None
            if old != text:
                os.makedirs(os.path.dirname(golden_path), exist_ok=True)
                with open(golden_path, "w", encoding="utf-8") as f:
                    f.write(text)
                self.regenerated += 1
                print("%s %s" % ("updated" if old is not None else "created", os.path.relpath(golden_path, REPO)))
            return True
        if not os.path.exists(golden_path):
            self.fail(name, "no golden %s (run with --regen and review it)" % os.path.relpath(golden_path, REPO),
                      text)
            return False
        old = open(golden_path, encoding="utf-8").read()
        if old != text:
            d = "".join(difflib.unified_diff(old.splitlines(True), text.splitlines(True), "golden", "obc now"))
            self.fail(name, "differs from %s" % os.path.relpath(golden_path, REPO), d)
            return False
        return True

    def document(self, path, name, golden_path, status, schema_verdict):
        d, f = os.path.split(path)
        self.read += 1
        rc, out, err = run([self.obc, "check", "--color", "never", "--format", "json", f], cwd=d)
        text = render_golden(rc, out, err, f)
        ok = self.golden(name, golden_path, text)
        errors = golden_errors(text)
        if errors:
            self.with_errors += 1
            self.errors_by_code.update(errors)
        if rc >= 2:
            ok = False
            self.fail(name, "obc exited %d" % rc)
        elif (rc == 1) != bool(errors) and not self.regen:
            ok = False
            self.fail(name, "exit status %d does not match its %d error(s)" % (rc, len(errors)))
        if status in ("valid", "partial") and errors:
            ok = False
            self.fail(name, "%s document, but obc reports error(s): %s" % (status, ", ".join(errors)))
        elif status == "invalid" and not errors:
            if schema_verdict == "partial":
                rc2, _, err2 = run([self.obc, "check", "--color", "never", "--standalone", f], cwd=d)
                if rc2 != 1 or b"error[" not in err2:
                    ok = False
                    self.fail(name, "invalid (incomplete) document, but obc check --standalone reports no error")
            else:
                ok = False
                self.fail(name, "invalid document, but obc reports no error")
        if ok:
            print("ok    %s (%s%s)" % (name, status, ": " + ", ".join(errors) if errors else ""))
        return errors

    def round_trip(self, path, name, errors, schema_verdict):
        try:
            with open(path, encoding="utf-8") as fp:
                doc = json.load(fp)
        except (OSError, ValueError) as e:
            self.trips_not_attempted.append((name, "not JSON: %s" % e))
            return
        if schema_verdict != "valid":
            self.trips_not_attempted.append((name, "schema verdict %s, not valid" % schema_verdict))
            return
        if errors:
            self.trips_not_attempted.append((name, "has errors"))
            return
        work = tempfile.mkdtemp(prefix="obc-roundtrip-")
        try:
            base = os.path.basename(path)[:-len(".json")]
            rc, prog, err = run([self.obc, "import", "--color", "never", path])
            if rc == 1:
                self.trips_not_attempted.append((name, "import refused: " + first_error_code(err)))
                return
            if rc != 0:
                self.trips_failed.append(name)
                self.fail(name, "obc import exited %d" % rc, err.decode("utf-8", "replace"))
                return
            src = os.path.join(work, base.replace(".", "_") + ".ob")
            with open(src, "wb") as fp:
                fp.write(prog)
            outdir = os.path.join(work, "out")
            rc, _, err = run([self.obc, "compile", "--color", "never", "--no-manifest", src, "-o", outdir])
            policies = sorted(os.listdir(outdir)) if rc == 0 and os.path.isdir(outdir) else []
            if rc != 0 or len(policies) != 1:
                self.trips_failed.append(name)
                self.fail(name, "the imported program does not compile to one policy (exit %d, %d file(s))"
                          % (rc, len(policies)), err.decode("utf-8", "replace"))
                return
            with open(os.path.join(outdir, policies[0]), encoding="utf-8") as fp:
                got = json.load(fp)
            d = json_diff(doc, got)
            if d:
                self.trips_failed.append(name)
                self.fail(name, "round trip differs from the document", d)
            else:
                self.trips_held.append(name)
                self.held_paths.append(path)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def round_trip_together(self):
        """Every document whose own round trip held, imported by one
        `obc import` into one program (vaults and accounts the documents
        share are declared once) and compiled back: the policies written
        must be the documents, as a multiset of normalized JSON values."""
        if len(self.held_paths) < 2:
            return
        work = tempfile.mkdtemp(prefix="obc-roundtrip-all-")
        try:
            rc, prog, err = run([self.obc, "import", "--color", "never"] + self.held_paths)
            name = "import of %d documents together" % len(self.held_paths)
            if rc != 0:
                self.fail(name, "obc import exited %d" % rc, err.decode("utf-8", "replace"))
                return
            src = os.path.join(work, "all.ob")
            with open(src, "wb") as fp:
                fp.write(prog)
            outdir = os.path.join(work, "out")
            rc, _, err = run([self.obc, "compile", "--color", "never", "--no-manifest", src, "-o", outdir])
            if rc != 0:
                self.fail(name, "the imported program does not compile (exit %d)" % rc,
                          err.decode("utf-8", "replace"))
                return
            got = []
            for f in sorted(os.listdir(outdir)):
                with open(os.path.join(outdir, f), encoding="utf-8") as fp:
                    got.append(canonical(normalize(json.load(fp))))
            want = []
            for p in self.held_paths:
                with open(p, encoding="utf-8") as fp:
                    want.append(canonical(normalize(json.load(fp))))
            if sorted(got) != sorted(want):
                self.fail(name, "the policies compiled from the one program are not the documents")
            else:
                self.together = len(self.held_paths)
                print("ok    %s: one program, %d policies equal to their documents" % (name, len(got)))
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def summary(self):
        print()
        print("real-world corpora: summary")
        print("  %-38s %d" % ("documents read", self.read))
        print("  %-38s %d" % ("documents with errors", self.with_errors))
        for code, n in sorted(self.errors_by_code.items()):
            print("  %-38s %d" % ("  errors " + code, n))
        print("  %-38s %d" % ("round trips that hold", len(self.trips_held)))
        print("  %-38s %d" % ("round trips that differ or fail", len(self.trips_failed)))
        print("  %-38s %d" % ("of them, in one program together", self.together))
        for n in self.trips_failed:
            print("    %s" % n)
        print("  %-38s %d" % ("round trips not attempted", len(self.trips_not_attempted)))
        why = collections.Counter(w for _, w in self.trips_not_attempted)
        for w, n in sorted(why.items()):
            print("    %-36s %d" % (w, n))
        for name, w in self.trips_not_attempted:
            if w.startswith("import refused"):
                print("    %s: %s" % (name, w))


def real_corpora(obc, regen):
    shared = VP.shared_dir()
    present = [(d, g) for d, g in CORPORA if os.path.isdir(os.path.join(shared, d))]
    if not present:
        print("skipped: ../shared not found (set OBC_SHARED to the shared reference material)")
        return 0
    expected = VP.read_expected(VP.REAL_EXPECTED)
    sources_path = os.path.join(shared, "corpus-real", "SOURCES.md")
    sources = {}
    if os.path.isfile(sources_path):
        with open(sources_path, encoding="utf-8") as f:
            sources = parse_sources(f.read())
    r = Run(obc, regen)
    seen_goldens = set()
    for d, g in present:
        for n in VP.json_files(os.path.join(shared, d)):
            name = "%s/%s" % (d.replace(os.sep, "/"), n)
            schema_verdict = expected.get(name)
            if d == "corpus-real":
                status = sources.get(n)
                if status is None:
                    r.fail(name, "not listed in %s" % sources_path)
                    continue
            else:
                status = AWS_EXAMPLE_STATUS.get(n, schema_verdict)
            if schema_verdict is None:
                r.fail(name, "not listed in tests/real-corpora-expected.txt")
                continue
            golden_path = os.path.join(GOLDEN_DIR, g, n[:-len(".json")] + ".diag")
            seen_goldens.add(golden_path)
            path = os.path.join(shared, d, n)
            errors = r.document(path, name, golden_path, status, schema_verdict)
            r.round_trip(path, name, errors, schema_verdict)
    for _, g in present:
        gd = os.path.join(GOLDEN_DIR, g)
        for n in sorted(os.listdir(gd)) if os.path.isdir(gd) else []:
            p = os.path.join(gd, n)
            if p not in seen_goldens:
                if regen:
                    os.remove(p)
                    print("deleted %s" % os.path.relpath(p, REPO))
                else:
                    r.fail(os.path.relpath(p, REPO), "golden of a document that is not there")
    r.round_trip_together()
    r.summary()
    if regen:
        print("%d golden(s) written: review them with git diff tests/real/" % r.regenerated)
    return 1 if r.failures else 0


# ---- self-test ------------------------------------------------------------

def self_test():
    failed = 0

    def expect(cond, what):
        nonlocal failed
        print("%s  %s" % ("ok   " if cond else "FAIL ", what))
        if not cond:
            failed += 1

    a = {"plans": {"p": {
        "regions": {"@@assign": ["eu-west-1", "eu-west-2"]},
        "rules": {"r": {"lifecycle": {"delete_after_days": {"@@assign": 30}},
                        "enable_continuous_backup": {"@@assign": False},
                        "recovery_point_tags": {"t1": {"tag_key": {"@@assign": "a"}, "tag_value": {"@@assign": "1"}},
                                                "t2": {"tag_key": {"@@assign": "b"}, "tag_value": {"@@assign": "2"}}}}},
        "advanced_backup_settings": {"ec2": {"windows_vss": {"@@assign": "enabled"}}},
        "selections": {"resources": {"s": {"conditions": {"string_equals": {
            "c1": {"condition_key": {"@@assign": "aws:ResourceTag/x"}, "condition_value": {"@@assign": "y"}}}}}}},
    }}}
    b = json.loads(json.dumps(a))
    b["plans"]["p"]["regions"]["@@assign"].reverse()
    b["plans"]["p"]["rules"]["r"]["lifecycle"]["delete_after_days"]["@@assign"] = "30"
    b["plans"]["p"]["rules"]["r"]["enable_continuous_backup"]["@@assign"] = "false"
    tags = b["plans"]["p"]["rules"]["r"]["recovery_point_tags"]
    b["plans"]["p"]["rules"]["r"]["recovery_point_tags"] = {"b": tags["t2"], "a": tags["t1"]}
    conds = b["plans"]["p"]["selections"]["resources"]["s"]["conditions"]["string_equals"]
    b["plans"]["p"]["selections"]["resources"]["s"]["conditions"]["string_equals"] = {"other": conds["c1"]}
    b = json.loads(json.dumps(b), object_pairs_hook=lambda kv: dict(reversed(kv)))  # every key order reversed
    expect(json_diff(a, b) == "", "equal: key order, list order, 30 == \"30\", false == \"false\", "
                                  "tag ids and condition names re-keyed by content")

    def changed(f, what):
        c = json.loads(json.dumps(a))
        f(c)
        expect(json_diff(a, c) != "", "differs: " + what)

    p = lambda c: c["plans"]["p"]
    changed(lambda c: p(c)["advanced_backup_settings"]["ec2"]["windows_vss"].update({"@@assign": "Enabled"}),
            "\"enabled\" vs \"Enabled\"")
    changed(lambda c: p(c)["rules"]["r"]["lifecycle"]["delete_after_days"].update({"@@assign": 31}), "30 vs 31")
    changed(lambda c: p(c)["rules"]["r"]["enable_continuous_backup"].update({"@@assign": True}), "false vs true")
    changed(lambda c: p(c)["rules"]["r"]["recovery_point_tags"]["t2"]["tag_value"].update({"@@assign": "3"}),
            "a tag's value")
    changed(lambda c: p(c)["rules"]["r"]["recovery_point_tags"].pop("t2"), "a tag dropped")
    changed(lambda c: p(c)["rules"]["r"].update({"x": {"@@assign": "1"}}), "an extra key")
    changed(lambda c: p(c)["regions"]["@@assign"].append("eu-west-1"), "a region twice")
    changed(lambda c: p(c)["rules"].update({"R": p(c)["rules"].pop("r")}), "a rule renamed (names are kept)")
    changed(lambda c: p(c)["selections"]["resources"]["s"]["conditions"].update(
        {"string_like": p(c)["selections"]["resources"]["s"]["conditions"].pop("string_equals")}),
        "string_equals vs string_like")
    changed(lambda c: p(c)["regions"].update({"@@append": p(c)["regions"].pop("@@assign")}), "@@assign vs @@append")

    expect(operators_used(a) == [], "operators: @@assign only")
    expect(operators_used({"x": [{"@@append": 1}], "y": {"@@operators_allowed_for_child_policies": 1}})
           == ["@@append", "@@operators_allowed_for_child_policies"], "operators: found in lists and objects")

    src = ("| File | Status | Repo |\n|---|---|---|\n| 001-a.json | valid | r |\n"
           "| 002-b.json | partial | r \\| x |\n| 003-c.json | suspicious | r |\nnot a row\n")
    expect(parse_sources(src) == {"001-a.json": "valid", "002-b.json": "partial", "003-c.json": "suspicious"},
           "SOURCES.md rows and statuses")
    try:
        parse_sources("| 004-d.json | broken | r |\n")
        expect(False, "SOURCES.md: an unknown status is refused")
    except ValueError:
        expect(True, "SOURCES.md: an unknown status is refused")

    report = {"diagnostics": [
        {"code": "OB4001", "severity": "error", "message": "m1",
         "range": {"file": "x.json", "start": {"line": 3, "column": 7}}, "help": "h1",
         "notes": [{"message": "n1", "range": {"file": "aws.ob", "start": {"line": 1, "column": 2}}}]},
        {"code": "OB9001", "severity": "warning", "message": "m2", "notes": []}], "not_shown": 0}
    text = render_golden(1, json.dumps(report).encode(), b"", "x.json")
    expect(text == "exit 1\n3:7 error[OB4001] m1\n  help: h1\n  note aws.ob:1:2: n1\n- warning[OB9001] m2\n",
           "golden rendering")
    expect(golden_errors(text) == ["OB4001"], "golden: error codes")
    expect(render_golden(2, b"", b"obc: error: x\n", "x.json") == "exit 2\nstderr:\n  obc: error: x\n",
           "golden rendering of stderr")
    print("check-real-corpora self-test: %d failure(s)" % failed)
    return 1 if failed else 0


def main(argv):
    args = argv[1:]
    if args == ["--self-test"]:
        return self_test()
    regen = bool(args) and args[0] == "--regen"
    if regen:
        args = args[1:]
    if len(args) != 1 or args[0].startswith("-"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    obc = os.path.abspath(args[0])
    if not os.access(obc, os.X_OK):
        print("check-real-corpora: '%s' is not an executable" % args[0], file=sys.stderr)
        return 2
    try:
        return real_corpora(obc, regen)
    except (OSError, ValueError) as e:
        print("check-real-corpora: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
