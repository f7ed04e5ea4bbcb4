#!/usr/bin/python3
"""run-corpus.py - the golden corpus: every corpus/**/NAME.ob and every
corpus/**/NAME.in.json (a BACKUP_POLICY document) is one case.

  tests/run-corpus.py [--regen] [--stdlib DIR] OBC [CASE.ob|DIR...]   run (or regenerate) cases
  tests/run-corpus.py --list [CASE.ob|DIR...]          print the case paths
  tests/run-corpus.py --directives [CASE.ob|DIR...]    print "CASE KEY VALUE" per directive

Without CASE or DIR arguments every case under corpus/ runs.

A case runs as: cd DIR; OBC compile NAME.ob -o TMP/out --color never
[--fail-level warning] [--stdlib DIR]. What it must produce lives beside it:
  NAME.diag              the exact stderr (absent: stderr must be empty)
  NAME.json              the policy, when the program has exactly one
  NAME.<policy>.json     each policy, when it has several
  NAME.manifest.json     the manifest
  NAME.obc.OUTPUT        each other output obc.OUTPUT of --emit (templates,
                         obc.members.template.json -> NAME.obc.members.template.json)
Every output needs its golden and every golden must be produced. stdout
must stay empty. The exit status must be 1 when NAME.diag has an
"error[" (or a "warning[" under fail-level warning) and 0 otherwise;
2 or a signal is always a failure. Case names must not contain '.'.

A JSON case runs as: cd DIR; OBC compile NAME.in.json -o TMP/out --color
never [--standalone] [--fail-level warning]; its goldens are the same
(NAME.diag, NAME.json: the normalized policy; no manifest). JSON has no
comments, so its directives live in the comment lines of a sidecar
NAME.case (absent: no directives). A document under corpus/import/ runs
as OBC import NAME.in.json --color never instead: its stdout is compared
with NAME.out.ob (absent: stdout must be empty), its stderr with NAME.diag.
A chain case NAME.chain lists policy documents, one level per line from
the root down (files of one level separated by blanks; `#` lines are
directives and comments), and runs as OBC effective --content --color
never LEVEL...: its stdout against NAME.out.json, its stderr NAME.diag.

Directives, in the comment lines at the top of NAME.ob (or NAME.case):
  # fires: OB3001 OB3002     the diagnostics must contain [OB3001] and [OB3002]
  # quiet: OB3001            the diagnostics must not contain [OB3001]
  # fail-level: warning      run with --fail-level warning
  # args: --var region=x     more arguments for obc, split at blanks and commas
  # import-only              not a case: a file other cases import
  # standalone               run with --standalone

--regen rewrites NAME.diag (deleted when empty) and the JSON goldens from
what obc produces now and prints what changed ("created", "updated" or
"deleted" and the file); review with git diff.
--stdlib DIR: passed on to obc (the standard library read from DIR instead
of the embedded one; tests/stdlib-independence.sh uses it).

Manifests are compared with one normalization, so that adding a resource
type to stdlib/ does not change every golden of a program that selects by
tags: in a "resource_type_opt_in" map that holds every opt_in_name the
standard library declares (stdlib/, or the --stdlib DIR) but at most
FOLD_MISSING_MAX of them, those entries stand as the one line
  "<every resource type of the standard library>": true
followed, when some are not there (a selection `type not in [...]`), by
  "<but not>": "EBS, EC2"
(the program's own types stay listed). The golden is exact about what
is there; it only does not repeat the list. An explicit `type in [...]`
list names few types and is left as it is.
OBC_SANITIZED=1: also fail on sanitizer reports in stderr.
OBC_TIMEOUT: seconds per case (default 120), only a guard against hangs.
Cases run in parallel, obc started directly by this one process (nproc
at a time, OBC_JOBS to override); the report is printed in case order.
"""

import concurrent.futures
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVERY_STD_TYPE = b'"<every resource type of the standard library>": true'
FOLD_MISSING_MAX = 3
OPT_IN_BLOCK = re.compile(rb'^( *)"resource_type_opt_in": \{\n((?:\1  "[^"\n]*": true,?\n)+)\1\}', re.M)
OPT_IN_LINE = re.compile(rb'^ *"([^"\n]*)": true,?$')


def std_opt_in_names(stdlib_dir):
    """The opt_in_name of every resource type declared in stdlib_dir."""
    names = set()
    for f in sorted(os.listdir(stdlib_dir)):
        if f.endswith(".ob"):
            for m in re.finditer(rb'^\s*opt_in_name\s*=\s*"([^"\n]*)"', read(os.path.join(stdlib_dir, f)), re.M):
                names.add(m.group(1))
    return names


def normalize_manifest(data, std_names):
    """data with each opt-in map that lists every std type folded (above)."""
    def fold(m):
        indent, body = m.group(1), m.group(2)
        keys = [OPT_IN_LINE.match(l).group(1) for l in body.splitlines()]
        missing = sorted(std_names.difference(keys))
        if not std_names or len(missing) > FOLD_MISSING_MAX:
            return m.group(0)
        rest = [EVERY_STD_TYPE]
        if missing:
            rest.append(b'"<but not>": "%s"' % b", ".join(missing))
        rest += [b'"%s": true' % k for k in keys if k not in std_names]
        lines = [indent + b"  " + r + (b"," if i + 1 < len(rest) else b"") for i, r in enumerate(rest)]
        return indent + b'"resource_type_opt_in": {\n' + b"\n".join(lines) + b"\n" + indent + b"}"
    return OPT_IN_BLOCK.sub(fold, data)
MANIFEST = "obc.manifest.json"
DEPLOY_PREFIX = "obc."  # the manifest and the deployable outputs (--emit); a policy name has no '.'
SANITIZER_MARKS = (b"runtime error:", b"AddressSanitizer", b"LeakSanitizer")


def usage():
    sys.stderr.write("usage: tests/run-corpus.py [--regen] [--stdlib DIR] OBC [CASE.ob|CASE.in.json|DIR...]\n"
                     "       tests/run-corpus.py --list|--directives [CASE.ob|DIR...]\n")
    sys.exit(2)


# ---- directives ---------------------------------------------------------

DIRECTIVE_KEY = re.compile(r"^(fires|quiet|fail-level|args):")
COMMENT_LEAD = re.compile(r"^[ \t]*#[ \t]*")


def directives(path):
    """The directives of the leading comment block of a file, as tuples:
    ("fires", "OB3001"), ("quiet", ...), ("fail-level", ...), ("import-only",)."""
    out = []
    with open(path, "rb") as f:
        for n, raw in enumerate(f):
            line = raw.decode("latin-1").rstrip("\n")
            if line.endswith("\r"):
                line = line[:-1]
            if n == 0 and line.startswith("\xef\xbb\xbf"):
                line = line[3:]
            if line.strip(" \t") == "":
                continue
            if not re.match(r"^[ \t]*#", line):
                break
            line = COMMENT_LEAD.sub("", line, count=1)
            m = DIRECTIVE_KEY.match(line)
            if m:
                key = m.group(1)
                for w in re.split(r"[ \t,]+", line[m.end():]):
                    if w:
                        out.append((key, w))
            elif re.match(r"^import-only([ \t]|$)", line):
                out.append(("import-only",))
            elif re.match(r"^standalone([ \t]|$)", line):
                out.append(("standalone",))
    return out


JSON_CASE = ".in.json"
IMPORT_GOLDEN = ".out.ob"  # the program `obc import` prints (corpus/import/)
CHAIN_CASE = ".chain"      # policy documents from the root down (obc effective)
CHAIN_GOLDEN = ".out.json" # the effective policy `obc effective --content` prints


def case_directives(path):
    """The directives of a case: in its own comments (.ob), or in the
    sidecar NAME.case of a JSON case."""
    if path.endswith(JSON_CASE):
        side = path[:-len(JSON_CASE)] + ".case"
        return directives(side) if os.path.isfile(side) else []
    return directives(path)  # a .ob program, or a .chain's comment lines


# ---- finding cases ------------------------------------------------------

def relative(path):
    """A path relative to ROOT when it lies under it, else absolute."""
    if path.startswith(ROOT + "/"):
        return path[len(ROOT) + 1:]
    return path


def list_cases(args):
    """Every case (path relative to ROOT) under the CASE/DIR arguments
    (default: corpus/), sorted by bytes; import-only files are left out."""
    paths = [os.path.join(ROOT, "corpus")] if not args else [os.path.abspath(p) for p in args]
    found = set()
    for p in paths:
        if os.path.isdir(p):
            for d, _, files in os.walk(p):
                for f in files:
                    full = os.path.join(d, f)
                    if ((f.endswith(".ob") and not f.endswith(".out.ob")) or f.endswith(JSON_CASE)
                            or f.endswith(CHAIN_CASE)) \
                            and os.path.isfile(full) \
                            and not os.path.islink(full):
                        found.add(relative(full))
        elif os.path.isfile(p):
            found.add(relative(p))
        else:
            sys.stderr.write("run-corpus: no such case or directory: %s\n" % p)
    cases = []
    for c in sorted(found, key=os.fsencode):
        ds = case_directives(os.path.join(ROOT, c))
        if ("import-only",) not in ds:
            cases.append((c, ds))
    return cases


# ---- one case -----------------------------------------------------------

def diff(golden_label, actual_label, golden, actual):
    """diff -u of two files (golden may be /dev/null), as text."""
    r = subprocess.run(["diff", "-u", "-L", golden_label, "-L", actual_label, golden, actual],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return r.stdout.decode("utf-8", "replace")


def head(data, n):
    """The first n lines of bytes data, as text with a final newline."""
    lines = data.decode("utf-8", "replace").splitlines(keepends=True)[:n]
    text = "".join(lines)
    return text if not text or text.endswith("\n") else text + "\n"


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Case:
    def __init__(self, cfg, idx, path, ds):
        self.cfg = cfg
        self.path = path
        self.rel_dir = os.path.dirname(path)
        self.case_dir = os.path.join(ROOT, self.rel_dir)
        self.json = path.endswith(JSON_CASE)
        # a document under corpus/import/ is imported, not compiled
        self.importing = self.json and os.path.basename(self.rel_dir) == "import"
        self.chain = path.endswith(CHAIN_CASE)
        self.input = os.path.basename(path)
        self.name = self.input[:-len(JSON_CASE if self.json else CHAIN_CASE if self.chain else ".ob")]
        self.dirs = ds
        self.work = os.path.join(cfg.work, "c%d" % idx)
        self.reasons = []
        self.details = []
        self.changes = []
        fl = [d[1] for d in ds if d[0] == "fail-level"]
        self.fail_level = fl[-1] if fl else ""

    def levels(self):
        """A chain case's levels: its lines that are not comments, each a
        level whose files are separated by blanks (joined with '+')."""
        out = []
        with open(os.path.join(self.case_dir, self.input), encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    out.append("+".join(line.split()))
        return out

    def fail(self, reason, detail=""):
        self.reasons.append(reason)
        if detail:
            self.details.append(detail)

    # -- running obc

    def run(self):
        os.mkdir(self.work)
        self.out = os.path.join(self.work, "out")
        if "." in self.name:
            self.fail("case names must not contain '.'")
        if self.importing:
            argv = [self.cfg.obc, "import", self.input, "--color", "never"]
        elif self.chain:
            argv = [self.cfg.obc, "effective", "--content", "--color", "never"] + self.levels()
        else:
            argv = [self.cfg.obc, "compile", self.input, "-o", self.out, "--color", "never"]
        if ("standalone",) in self.dirs:
            argv.append("--standalone")
        if self.fail_level:
            argv += ["--fail-level", self.fail_level]
        argv += [d[1] for d in self.dirs if d[0] == "args"]
        if self.cfg.stdlib:
            argv += ["--stdlib", self.cfg.stdlib]
        self.timed_out = False
        try:
            p = subprocess.run(argv, cwd=self.case_dir, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=self.cfg.timeout, env=self.cfg.env)
            self.rc = p.returncode if p.returncode >= 0 else 128 - p.returncode
            self.stdout, self.stderr = p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            self.timed_out = True
            self.rc = 124
            self.stdout, self.stderr = e.stdout or b"", e.stderr or b""
        self.outputs = sorted(os.listdir(self.out), key=os.fsencode) if os.path.isdir(self.out) else []
        self.npolicies = sum(1 for f in self.outputs if not f.startswith(DEPLOY_PREFIX))

        self.check_process()
        self.check_directives()
        if self.cfg.regen:
            if self.rc < 2:
                self.regen()
        else:
            self.check_diag()
            self.check_outputs()
        shutil.rmtree(self.work, ignore_errors=True)

    def check_process(self):
        if self.timed_out:
            self.fail("timed out after %gs" % self.cfg.timeout)
        elif self.rc >= 2:
            self.fail("exit status %d (crash, usage or I/O error)" % self.rc, head(self.stderr, 40))
        if self.cfg.sanitized and any(m in self.stderr for m in SANITIZER_MARKS):
            self.fail("sanitizer report in stderr", head(self.stderr, 60))
        if self.stdout and not self.importing and not self.chain:
            self.fail("unexpected output on stdout", head(self.stdout, 20))

    def check_directives(self):
        for d in self.dirs:
            if d[0] == "fires" and ("[%s]" % d[1]).encode() not in self.stderr:
                self.fail("fires: %s was not reported" % d[1])
        for d in self.dirs:
            if d[0] == "quiet" and ("[%s]" % d[1]).encode() in self.stderr:
                self.fail("quiet: %s was reported" % d[1])

    # -- comparing with the goldens

    def expected_status(self, diag):
        if b"error[" in diag:
            return 1
        if self.fail_level == "warning" and b"warning[" in diag:
            return 1
        return 0

    def output(self, f):
        """Output file f as its golden holds it (manifests normalized)."""
        data = read(os.path.join(self.out, f))
        return normalize_manifest(data, self.cfg.std_names) if f == MANIFEST else data

    def golden_for(self, output):
        if output == MANIFEST:
            return self.name + ".manifest.json"
        if output.startswith(DEPLOY_PREFIX):
            return self.name + "." + output
        if self.npolicies == 1 or self.json:
            return self.name + ".json"
        return self.name + "." + output

    def existing_goldens(self):
        """The goldens (basenames) that exist now for this case."""
        prefix = self.name + "."
        names = []
        for f in os.listdir(self.case_dir):
            if f.startswith(prefix) and f.endswith(".json") and len(f) >= len(prefix) + len("json") \
                    and f != self.input and not f.endswith(JSON_CASE) and not f.endswith(CHAIN_GOLDEN) \
                    and os.path.isfile(os.path.join(self.case_dir, f)):
                names.append(f)
        return sorted(set(names), key=os.fsencode)

    def check_diag(self):
        golden = os.path.join(self.case_dir, self.name + ".diag")
        shown = os.path.join(self.rel_dir, self.name + ".diag")
        if os.path.isfile(golden):
            want = read(golden)
        else:
            golden, want = "/dev/null", b""
            shown = "(no %s.diag: empty stderr)" % self.name
        if want != self.stderr:
            actual = os.path.join(self.work, "stderr")
            with open(actual, "wb") as f:
                f.write(self.stderr)
            self.fail("stderr differs from %s.diag" % self.name, diff(shown, "actual stderr", golden, actual))
        status = self.expected_status(want)
        if self.rc < 2 and self.rc != status:
            self.fail("exit status %d, expected %d" % (self.rc, status))

    def check_outputs(self):
        expected = set()
        for f in self.outputs:
            g = self.golden_for(f)
            expected.add(g)
            golden = os.path.join(self.case_dir, g)
            actual = os.path.join(self.out, f)
            if not os.path.isfile(golden):
                d = diff("(no %s)" % g, "actual " + f, "/dev/null", actual)
                self.fail("output %s has no golden %s" % (f, g), "".join(d.splitlines(keepends=True)[:40]))
            elif read(golden) != self.output(f):
                with open(actual, "wb") as out:
                    out.write(self.output(f))
                self.fail("output %s differs from %s" % (f, g),
                          diff(os.path.join(self.rel_dir, g), "actual " + f, golden, actual))
        for g in self.existing_goldens():
            if g not in expected:
                self.fail("golden %s was not produced" % g)
        if self.importing or self.chain:
            self.check_imported()

    def check_imported(self):
        """An import case's stdout against NAME.out.ob, a chain's against
        NAME.out.json (absent: empty)."""
        g = self.name + (CHAIN_GOLDEN if self.chain else IMPORT_GOLDEN)
        golden = os.path.join(self.case_dir, g)
        want = read(golden) if os.path.isfile(golden) else b""
        if want != self.stdout:
            actual = os.path.join(self.work, "stdout")
            with open(actual, "wb") as f:
                f.write(self.stdout)
            self.fail("stdout differs from %s" % g, diff(os.path.join(self.rel_dir, g), "actual stdout",
                                                           golden if os.path.isfile(golden) else "/dev/null",
                                                           actual))

    # -- --regen

    def update_golden(self, golden, data):
        """Replaces golden (a basename) with data, or deletes it when data is None."""
        target = os.path.join(self.case_dir, golden)
        rel = os.path.join(self.rel_dir, golden)
        exists = os.path.isfile(target)
        if data is None:
            if exists:
                os.remove(target)
                self.changes.append("deleted " + rel)
            return
        if exists and read(target) == data:
            return
        with open(target, "wb") as f:
            f.write(data)
        self.changes.append(("updated " if exists else "created ") + rel)

    def regen(self):
        self.update_golden(self.name + ".diag", self.stderr if self.stderr else None)
        expected = set()
        for f in self.outputs:
            g = self.golden_for(f)
            expected.add(g)
            self.update_golden(g, self.output(f))
        for g in self.existing_goldens():
            if g not in expected:
                self.update_golden(g, None)
        if self.importing or self.chain:
            self.update_golden(self.name + (CHAIN_GOLDEN if self.chain else IMPORT_GOLDEN),
                               self.stdout if self.stdout else None)

    def report(self):
        if not self.reasons:
            return ""
        return "FAIL %s: %s\n" % (self.path, "; ".join(self.reasons)) + "".join(self.details)


def run_one(case):
    try:
        case.run()
    except Exception as e:  # report it as this case's failure, keep going
        case.fail("the runner failed: %s: %s" % (type(e).__name__, e))
    return case


# ---- driver -------------------------------------------------------------

class Config:
    pass


def obc_binary(path):
    full = os.path.abspath(path)
    if os.path.isdir(full) or not os.access(full, os.X_OK):
        sys.stderr.write("run-corpus: '%s' is not an executable (build it with make)\n" % full)
        sys.exit(2)
    return full


def run_all(args, regen):
    cfg = Config()
    cfg.regen = regen
    cfg.stdlib = None
    while args and args[0] == "--stdlib":
        if len(args) < 2:
            usage()
        cfg.stdlib = os.path.abspath(args[1])
        args = args[2:]
    if not args:
        usage()
    cfg.std_names = std_opt_in_names(cfg.stdlib or os.path.join(ROOT, "stdlib"))
    obc = obc_binary(args[0])
    cases = list_cases(args[1:])
    if not cases:
        sys.stderr.write("corpus: no cases found\n")
        return 1
    cfg.timeout = float(os.environ.get("OBC_TIMEOUT", "120"))
    cfg.sanitized = os.environ.get("OBC_SANITIZED", "0") == "1"
    cfg.env = dict(os.environ)
    if cfg.sanitized:
        cfg.env["ASAN_OPTIONS"] = "detect_leaks=1"
        cfg.env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    jobs = int(os.environ.get("OBC_JOBS") or os.cpu_count() or 2)
    with tempfile.TemporaryDirectory(prefix="obc-corpus.", dir=os.environ.get("TMPDIR") or "/tmp") as work:
        cfg.work = work
        WORK_DIRS.append(work)
        # a private copy, so that a rebuild during the run cannot mix binaries
        cfg.obc = os.path.join(work, "obc")
        shutil.copyfile(obc, cfg.obc)
        os.chmod(cfg.obc, os.stat(cfg.obc).st_mode | stat.S_IXUSR)
        todo = [Case(cfg, i, path, ds) for i, (path, ds) in enumerate(cases, 1)]
        failed = 0
        nchanged = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for case in pool.map(run_one, todo):
                r = case.report()
                if r:
                    sys.stdout.write(r)
                    failed += 1
                for c in case.changes:
                    sys.stdout.write(c + "\n")
                nchanged += len(case.changes)
                sys.stdout.flush()
    if regen:
        print("corpus: %d golden files changed" % nchanged)
    print("corpus: %d cases, %d failed" % (len(todo), failed))
    return 0 if failed == 0 else 1


WORK_DIRS = []


def interrupted(*_):
    for w in WORK_DIRS:
        shutil.rmtree(w, ignore_errors=True)
    os._exit(130)


def main(argv):
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    if not argv or argv[0] in ("-h", "--help"):
        usage()
    if argv[0] == "--list":
        for c, _ in list_cases(argv[1:]):
            print(c)
        return 0
    if argv[0] == "--directives":
        for c, ds in list_cases(argv[1:]):
            for d in ds:
                print(c, " ".join(d))
        return 0
    if argv[0] == "--regen":
        return run_all(argv[1:], True)
    return run_all(argv, False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
