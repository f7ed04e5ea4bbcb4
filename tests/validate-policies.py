#!/usr/bin/python3
"""validate-policies.py - check policy documents against the project's schemas.

Usage:
  validate-policies.py DIR...
      Validates every *.json directly in each DIR: obc.manifest.json against
      docs/manifest.schema.json, every other file against the BACKUP_POLICY
      schema docs/backup-policy.schema.json (root: a complete stand-alone
      policy).
  validate-policies.py --compile OBC PATH...
      Compiles every .ob file under PATH (files or directories, recursive)
      with `OBC compile FILE -o TMPDIR`. Programs that compile (exit 0) have
      everything they wrote validated as above; programs that do not compile
      are error cases and are skipped, and so is a case whose header says
      "# schema: own vocabulary" (it declares a resource type the schema
      does not list). At least one program must have been validated.
  validate-policies.py --self-test
      Tests the policy schema itself with the hand-written documents under
      tests/schema/: valid/*.json must pass, invalid/*.json must fail, and
      partial/*.json (child policies) must fail the root but pass
      #/$defs/policyStructure.
  validate-policies.py --real-corpora
      Validates the real-world policies of the shared reference material
      (corpus-real/*.json and reference/aws-examples/*.json under ../shared
      beside the repository, or under $OBC_SHARED) and compares every verdict
      with tests/real-corpora-expected.txt. When that directory is absent it
      prints one "skipped:" line and exits 0.

Prints one line per file and a summary; exits 1 on any failure, 2 on a
usage error. Needs python3-jsonschema (Draft 2020-12); nothing else beyond
the standard library.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema

MANIFEST_FILE = "obc.manifest.json"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLICY_SCHEMA = os.path.join(REPO, "docs", "backup-policy.schema.json")
MANIFEST_SCHEMA = os.path.join(REPO, "docs", "manifest.schema.json")
SCHEMA_TESTS = os.path.join(REPO, "tests", "schema")
REAL_EXPECTED = os.path.join(REPO, "tests", "real-corpora-expected.txt")
# The real-world corpora, relative to the shared directory.
REAL_DIRS = ("corpus-real", os.path.join("reference", "aws-examples"))
SKIPPED_REAL = "skipped: real-world policy corpora (../shared) not present"


def shared_dir():
    return os.environ.get("OBC_SHARED") or os.path.join(os.path.dirname(REPO), "shared")


def load_schema(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def load_validator(path):
    return jsonschema.Draft202012Validator(load_schema(path))  # formats are not asserted


def structure_validator(path):
    """Validator of #/$defs/policyStructure: the shape of a partial or child policy."""
    schema = load_schema(path)
    sub = dict(schema)
    sub.pop("allOf", None)
    sub["$ref"] = "#/$defs/policyStructure"
    return jsonschema.Draft202012Validator(sub)


def first_error(validator, doc):
    """'' when doc is valid, else the first error (by path) as one line."""
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return ""
    first = errors[0]
    where = "/".join(str(p) for p in first.absolute_path) or "(root)"
    more = " (and %d more)" % (len(errors) - 1) if len(errors) > 1 else ""
    return "%s: %s%s" % (where, first.message, more)


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def json_files(d):
    return sorted(n for n in os.listdir(d)
                  if n.endswith(".json") and os.path.isfile(os.path.join(d, n)))


class Checker:
    def __init__(self):
        self.policy = load_validator(POLICY_SCHEMA)
        self.structure = structure_validator(POLICY_SCHEMA)
        self.partial = False
        self.manifest = load_validator(MANIFEST_SCHEMA)
        self.passed = 0
        self.failed = 0

    def check_file(self, path, shown=None):
        shown = shown or path
        is_manifest = os.path.basename(path) == MANIFEST_FILE
        validator = self.manifest if is_manifest else self.structure if self.partial else self.policy
        try:
            doc = read_json(path)
        except (OSError, ValueError) as e:
            return self.fail(shown, "cannot read JSON: %s" % e)
        why = first_error(validator, doc)
        if why:
            return self.fail(shown, why)
        self.passed += 1
        print("ok    %s (%s)" % (shown, "manifest" if is_manifest else "policy"))
        return True

    def fail(self, shown, why):
        self.failed += 1
        print("FAIL  %s: %s" % (shown, why))
        return False

    def check_dir(self, d, label=None):
        """Checks every *.json directly in d; returns how many there were."""
        names = json_files(d)
        for n in names:
            self.check_file(os.path.join(d, n), "%s: %s" % (label, n) if label else None)
        return len(names)


# A corpus case whose header says "# schema: own vocabulary" declares types
# the schema does not list.
OWN_VOCABULARY = re.compile(r"^# schema: own vocabulary", re.M)
PARTIAL_PLAN = re.compile(r"^\s*partial\s*=\s*true\b|^\s*[A-Za-z_]\w*\s*[-+]=", re.M)


def ob_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for n in sorted(files):
                    if n.endswith(".ob"):
                        yield os.path.join(root, n)
        elif os.path.isfile(p):
            yield p
        else:
            print("warning: %s: no such file or directory" % p, file=sys.stderr)


def compile_and_check(checker, obc, paths):
    compiled = skipped = 0
    for src in ob_files(paths):
        with tempfile.TemporaryDirectory(prefix="obc-validate-") as out:
            r = subprocess.run([obc, "compile", src, "-o", out],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode != 0:
                skipped += 1
                continue
            if os.path.basename(os.path.dirname(src)) == "effective" and "aws" in src:
                # AWS's example 5 as an organization: its parent keeps
                # AWS's delete_after_days 2 under cold storage at 180, which
                # only the child makes right; tests/check-aws-effective.py
                # checks what these programs are for, their merge
                skipped += 1
                continue
            text = open(src, encoding="utf-8").read()
            if OWN_VOCABULARY.search(text):
                # a program that declares a resource type the standard
                # library lacks writes ARNs the schema does not know, by
                # design (docs/stdlib.md): its case says so
                skipped += 1
                continue
            compiled += 1
            # a program with partial plans or += / -= writes child
            # policies: only their structure can hold
            # (#/$defs/policyStructure)
            checker.partial = PARTIAL_PLAN.search(text) is not None
            if checker.check_dir(out, label=src) == 0:
                checker.fail(src, "compiled but wrote no JSON file")
    print("%d program(s) compiled and checked, %d skipped (did not compile)" % (compiled, skipped))
    return compiled


def verdict(root, structure, doc):
    """valid | partial (only the structure holds) | invalid, with the root's first error."""
    why = first_error(root, doc)
    if not why:
        return "valid", ""
    return ("partial" if not first_error(structure, doc) else "invalid"), why


def self_test():
    """The schema's own tests: tests/schema/{valid,invalid,partial}/*.json."""
    root = load_validator(POLICY_SCHEMA)
    structure = structure_validator(POLICY_SCHEMA)
    counts = {}
    failed = 0
    for want in ("valid", "invalid", "partial"):
        d = os.path.join(SCHEMA_TESTS, want)
        names = json_files(d) if os.path.isdir(d) else []
        counts[want] = len(names)
        for n in names:
            shown = "tests/schema/%s/%s" % (want, n)
            try:
                got, why = verdict(root, structure, read_json(os.path.join(d, n)))
            except (OSError, ValueError) as e:
                got, why = "unreadable", str(e)
            if got == want:
                print("ok    %s (%s)%s" % (shown, got, ": " + why if why else ""))
            else:
                failed += 1
                print("FAIL  %s: expected %s, schema says %s%s" % (shown, want, got, ": " + why if why else ""))
    if counts["valid"] == 0 or counts["invalid"] == 0:
        failed += 1
        print("FAIL  tests/schema: needs at least one valid and one invalid document")
    print("schema self-test: %d valid, %d invalid, %d partial document(s), %d failure(s)"
          % (counts["valid"], counts["invalid"], counts["partial"], failed))
    return 1 if failed else 0


def read_expected(path):
    """tests/real-corpora-expected.txt: 'DIR/FILE VERDICT REASON' lines, # comments."""
    expected = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split(None, 2)
            if len(fields) < 3 or fields[1] not in ("valid", "invalid", "partial"):
                raise ValueError("%s:%d: expected 'DIR/FILE valid|invalid|partial REASON'" % (path, lineno))
            expected[fields[0]] = fields[1]
    return expected


def real_corpora():
    shared = shared_dir()
    dirs = [d for d in REAL_DIRS if os.path.isdir(os.path.join(shared, d))]
    if not dirs:
        print(SKIPPED_REAL)
        return 0
    root = load_validator(POLICY_SCHEMA)
    structure = structure_validator(POLICY_SCHEMA)
    expected = read_expected(REAL_EXPECTED)
    counts = {"valid": 0, "invalid": 0, "partial": 0}
    failed = 0
    seen = set()
    for d in dirs:
        for n in json_files(os.path.join(shared, d)):
            name = "%s/%s" % (d.replace(os.sep, "/"), n)
            seen.add(name)
            try:
                got, why = verdict(root, structure, read_json(os.path.join(shared, d, n)))
            except (OSError, ValueError) as e:
                got, why = "unreadable", str(e)
            counts[got] = counts.get(got, 0) + 1
            want = expected.get(name)
            if want is None:
                failed += 1
                print("FAIL  %s: schema says %s, but it is not in tests/real-corpora-expected.txt" % (name, got))
            elif got != want:
                failed += 1
                print("FAIL  %s: expected %s, schema says %s%s" % (name, want, got, ": " + why if why else ""))
            else:
                print("ok    %s (%s)%s" % (name, got, ": " + why if why else ""))
    for name in sorted(set(expected) - seen):
        if name.split("/")[0] in [d.split(os.sep)[0] for d in dirs]:
            failed += 1
            print("FAIL  %s: listed in tests/real-corpora-expected.txt but not found in %s" % (name, shared))
    print("real-world corpora (%s): %d document(s): %d valid, %d invalid, %d partial; %d unexpected verdict(s)"
          % (shared, len(seen), counts["valid"], counts["invalid"], counts["partial"], failed))
    return 1 if failed else 0


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if argv[1] in ("--self-test", "--real-corpora"):
        if len(argv) != 2:
            print("usage: validate-policies.py %s" % argv[1], file=sys.stderr)
            return 2
        try:
            return self_test() if argv[1] == "--self-test" else real_corpora()
        except (OSError, ValueError, jsonschema.SchemaError) as e:
            print("validate-policies.py: %s" % e, file=sys.stderr)
            return 2
    try:
        checker = Checker()
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print("validate-policies.py: cannot load a schema: %s" % e, file=sys.stderr)
        return 2
    if argv[1] == "--compile":
        if len(argv) < 4:
            print("usage: validate-policies.py --compile OBC PATH...", file=sys.stderr)
            return 2
        if compile_and_check(checker, argv[2], argv[3:]) == 0:
            checker.fail("--compile", "no program compiled, so nothing was validated")
    else:
        for d in argv[1:]:
            if not os.path.isdir(d):
                checker.fail(d, "not a directory")
            elif checker.check_dir(d) == 0:
                checker.fail(d, "no .json files")
    print("%d file(s) valid, %d invalid" % (checker.passed, checker.failed))
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
