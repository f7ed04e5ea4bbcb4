#!/usr/bin/python3
"""validate-policies.py - check obc's output documents against their schemas.

Usage:
  validate-policies.py DIR...
      Validates every *.json directly in each DIR: obc.manifest.json against
      docs/manifest.schema.json, every other file against the BACKUP_POLICY
      schema (root: a complete stand-alone policy).
  validate-policies.py --compile OBC PATH...
      Compiles every .ob file under PATH (files or directories, recursive)
      with `OBC compile FILE -o TMPDIR`. Programs that compile (exit 0) have
      everything they wrote validated as above; programs that do not compile
      are error cases and are skipped. At least one program must have been
      validated.

The policy schema is ../shared/reference/backup-policy.schema.json relative
to the repository root (override the shared directory with OBC_SHARED).
Prints one line per file and a summary; exits 1 on any failure, 2 on a
usage error. Needs python3-jsonschema (Draft 2020-12); nothing else beyond
the standard library.
"""

import json
import os
import subprocess
import sys
import tempfile

import jsonschema

MANIFEST_FILE = "obc.manifest.json"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shared_dir():
    return os.environ.get("OBC_SHARED") or os.path.join(os.path.dirname(REPO), "shared")


def load_validator(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)  # no format_checker: formats are not asserted


class Checker:
    def __init__(self):
        self.policy = load_validator(
            os.path.join(shared_dir(), "reference", "backup-policy.schema.json"))
        self.manifest = load_validator(os.path.join(REPO, "docs", "manifest.schema.json"))
        self.passed = 0
        self.failed = 0

    def check_file(self, path, shown=None):
        shown = shown or path
        is_manifest = os.path.basename(path) == MANIFEST_FILE
        validator = self.manifest if is_manifest else self.policy
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            return self.fail(shown, "cannot read JSON: %s" % e)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            first = errors[0]
            where = "/".join(str(p) for p in first.absolute_path) or "(root)"
            more = " (and %d more)" % (len(errors) - 1) if len(errors) > 1 else ""
            return self.fail(shown, "%s: %s%s" % (where, first.message, more))
        self.passed += 1
        print("ok    %s (%s)" % (shown, "manifest" if is_manifest else "policy"))
        return True

    def fail(self, shown, why):
        self.failed += 1
        print("FAIL  %s: %s" % (shown, why))
        return False

    def check_dir(self, d, label=None):
        """Checks every *.json directly in d; returns how many there were."""
        names = sorted(n for n in os.listdir(d)
                       if n.endswith(".json") and os.path.isfile(os.path.join(d, n)))
        for n in names:
            self.check_file(os.path.join(d, n), "%s: %s" % (label, n) if label else None)
        return len(names)


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
            compiled += 1
            if checker.check_dir(out, label=src) == 0:
                checker.fail(src, "compiled but wrote no JSON file")
    print("%d program(s) compiled and checked, %d skipped (did not compile)" % (compiled, skipped))
    return compiled


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
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
