#!/usr/bin/python3
"""check-aws-examples.py - AWS's documentation examples, written in .ob.

Usage:
  check-aws-examples.py OBC

examples/aws/NN-*.ob are AWS's example policies of the "Backup policy
syntax and examples" page written in the language (the project's own
files). For each one this script compiles it with `OBC compile FILE -o
TMPDIR`, which must succeed, and, when the shared reference material is
present (../shared beside the repository, or $OBC_SHARED), compares the
one policy it writes with AWS's JSON, reference/aws-examples/NN-*.json,
as JSON values. Without the shared material it prints one "skipped:" line
for the comparison (the compilation still runs).

Harmless spellings (documented in docs/language.md, section 5) are
normalized on both sides before the comparison:
  - key order is ignored (JSON objects compare as maps);
  - a boolean written as the string "true" or "false" (as AWS's examples
    do for opt_in_to_archive_for_supported_resources) equals the JSON
    boolean obc writes.
Everything else must be equal: keys, numbers as decimal strings, lists in
their order.

The examples the language cannot express, or that break a rule obc
enforces, are listed in NOT_YET with the reason. Child policies are
written with partial plans and the operators += and -= (docs/language.md,
"Inheritance").

Prints one line per example and a summary; exits 1 on any failure, 2 on a
usage error. Needs nothing beyond the standard library.
"""

import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(REPO, "examples", "aws")
MANIFEST_FILE = "obc.manifest.json"

# The examples of reference/aws-examples/ that the language cannot express
# yet, with the reason.
NOT_YET = {
    "06-current-ex3-parent-policy-locked.json":
        "breaks a documented AWS rule: its copy keeps delete_after_days 28 under move_to_cold_storage_after_days "
        "180 + 90 (OB4002)",
    "11-current-ex5-parent-policy.json":
        "breaks a documented AWS rule: delete_after_days 2 under move_to_cold_storage_after_days 180 + 90 (OB4002)",
    "26-legacy2022-intro-complete-policy.json":
        "a copy-action key ($account) that is not its target ARN (account 111111111111): obc keys a copy action "
        "by its target's ARN",
}


def shared_dir():
    return os.environ.get("OBC_SHARED") or os.path.join(os.path.dirname(REPO), "shared")


def normalize(v):
    """A JSON value with the harmless spellings made one."""
    if isinstance(v, dict):
        return {k: normalize(x) for k, x in v.items()}
    if isinstance(v, list):
        return [normalize(x) for x in v]
    if v == "true":
        return True
    if v == "false":
        return False
    return v


def differences(a, b, path="", out=None):
    """Paths where two normalized JSON values differ (at most 10)."""
    out = [] if out is None else out
    if len(out) >= 10:
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            p = path + "/" + k
            if k not in a:
                out.append(p + ": only in AWS's example")
            elif k not in b:
                out.append(p + ": only in obc's output")
            else:
                differences(a[k], b[k], p, out)
    elif a != b:
        out.append("%s: obc %s, AWS %s" % (path or "/", json.dumps(a), json.dumps(b)))
    return out


def compile_example(obc, ob, outdir):
    """Compiles one example; returns (policy JSON or None, error text)."""
    r = subprocess.run([obc, "compile", ob, "-o", outdir, "--color", "never"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip()
    policies = sorted(f for f in os.listdir(outdir) if f.endswith(".json") and f != MANIFEST_FILE)
    if len(policies) != 1:
        return None, "expected one policy file, found %d" % len(policies)
    with open(os.path.join(outdir, policies[0]), encoding="utf-8") as f:
        return json.load(f), ""


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    obc = argv[1]
    aws_dir = os.path.join(shared_dir(), "reference", "aws-examples")
    have_aws = os.path.isdir(aws_dir)
    obs = sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".ob"))
    failed = 0
    for name in obs:
        ob = os.path.join(EXAMPLES, name)
        with tempfile.TemporaryDirectory(prefix="obc-aws-") as tmp:
            policy, err = compile_example(obc, ob, os.path.join(tmp, "out"))
        if policy is None:
            failed += 1
            print("FAIL  %s: does not compile:\n%s" % (name, err))
            continue
        if not have_aws:
            print("ok    %s (compiled)" % name)
            continue
        ref = os.path.join(aws_dir, name[:-3] + ".json")
        if not os.path.exists(ref):
            failed += 1
            print("FAIL  %s: no AWS example %s" % (name, ref))
            continue
        with open(ref, encoding="utf-8") as f:
            want = json.load(f)
        diff = differences(normalize(policy), normalize(want))
        if diff:
            failed += 1
            print("FAIL  %s differs from AWS's %s:" % (name, os.path.basename(ref)))
            for d in diff:
                print("        " + d)
        else:
            print("ok    %s equals AWS's %s" % (name, os.path.basename(ref)))
    if have_aws:
        covered = {n[:-3] + ".json" for n in obs}
        for f in sorted(os.listdir(aws_dir)):
            if not f.endswith(".json") or f in covered:
                continue
            if f in NOT_YET:
                print("not yet expressible: %s: %s" % (f, NOT_YET[f]))
            else:
                failed += 1
                print("FAIL  %s: neither written in examples/aws/ nor listed as not yet expressible" % f)
    else:
        print("skipped: comparison with AWS's examples (../shared not present)")
    print("aws examples: %d compiled, %d failed" % (len(obs), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
