#!/usr/bin/python3
"""import-roundtrip.py - `obc import` on every program that compiles cleanly.

  tests/import-roundtrip.py OBC [FILE.ob|DIR...]    (default: corpus/ and examples/)

For each program (a corpus case, or an example) that `obc compile` accepts
without errors, `obc import` prints it as a .ob program of external vaults;
that text is compiled again and every policy it gives must equal the
policy of the original program as a JSON value (the same file names, the
same values). `obc import` proves this itself before it prints; this test
checks it from the outside, through the command line only.

A program that `obc import` refuses with only OB1130-OB1132 (what the
language cannot express, reported as errors) is counted as skipped: it is
outside the printable subset. Any other refusal, an OB1134, a printed
program that does not compile, or a difference is a failure. Exit 1 on any
failure; prints the counts.
"""

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPRESSIBLE = {"OB1130", "OB1131", "OB1132"}
# Child policies (docs/language.md, "Inheritance"): until obc import
# prints their forms, a refusal of a program that has them is a skip.


def programs(args):
    roots = [os.path.abspath(a) for a in args] or [os.path.join(ROOT, "corpus"), os.path.join(ROOT, "examples")]
    out = []
    for r in roots:
        if os.path.isfile(r):
            out.append(r)
            continue
        for d, _, files in os.walk(r):
            for f in files:
                if f.endswith(".ob") and not f.endswith(".out.ob"):
                    out.append(os.path.join(d, f))
    return sorted(out)


def compile_policies(obc, path, tmp):
    """The policies of `path` ({file name: JSON value}), or None on errors."""
    out = os.path.join(tmp, "out")
    r = subprocess.run([obc, "compile", os.path.basename(path), "-o", out, "--no-manifest", "--color", "never"],
                       cwd=os.path.dirname(path), capture_output=True, timeout=120)
    if r.returncode != 0:
        return None
    policies = {}
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), encoding="utf-8") as f:
            policies[name] = json.load(f)
    return policies


def one(obc, path):
    """("ok" | "skip" | "fail" | "invalid", message)."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if b"# import-only" in head:
        return "invalid", ""
    with tempfile.TemporaryDirectory() as tmp:
        want = compile_policies(obc, path, tmp)
        if want is None or not want:
            return "invalid", ""
        r = subprocess.run([obc, "import", os.path.basename(path), "--color", "never"],
                           cwd=os.path.dirname(path), capture_output=True, timeout=120)
        err = r.stderr.decode("utf-8", "replace")
        if r.returncode != 0:
            codes = set(re.findall(r"error\[(OB\d+)\]", err))
            if r.returncode == 1 and codes and codes <= EXPRESSIBLE:
                return "skip", ", ".join(sorted(codes))
            return "fail", "obc import exited %d:\n%s" % (r.returncode, err)
        printed = os.path.join(tmp, "printed.ob")
        with open(printed, "wb") as f:
            f.write(r.stdout)
        got = compile_policies(obc, printed, os.path.join(tmp, "again"))
        if got is None:
            return "fail", "the printed program does not compile:\n" + r.stdout.decode("utf-8", "replace")
        if got != want:
            return "fail", "the printed program gives other policies: %s against %s" % (
                sorted(got), sorted(want))
        return "ok", ""


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    obc = os.path.abspath(sys.argv[1])
    paths = programs(sys.argv[2:])
    counts = {"ok": 0, "skip": 0, "fail": 0, "invalid": 0}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        results = list(ex.map(lambda p: (p, one(obc, p)), paths))
    for path, (kind, msg) in results:
        counts[kind] += 1
        rel = os.path.relpath(path, ROOT)
        if kind == "fail":
            print("FAIL %s: %s" % (rel, msg))
        elif kind == "skip":
            print("skipped %s: outside the printable subset (%s)" % (rel, msg))
    print("import round trip: %d printed and compiled back to the same policies, %d skipped (outside the "
          "printable subset), %d without policies or with errors, %d failed"
          % (counts["ok"], counts["skip"], counts["invalid"], counts["fail"]))
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
