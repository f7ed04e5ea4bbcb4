#!/usr/bin/python3
"""check-aws-effective.py - the effective policies of AWS's examples.

Usage:
  check-aws-effective.py OBC            compare with the goldens
  check-aws-effective.py --regen OBC    rewrite the goldens (review them with git diff)

AWS's "Backup policy syntax and examples" page gives parent and child
policies and the effective policy they make (docs/inheritance.md, "AWS's
examples", lists where AWS's own effective policies disagree with its
parents). For each chain of CHAINS, read from the shared reference
material (../shared beside the repository, or $OBC_SHARED), this script
runs

    OBC effective --content --color never LEVEL...

and compares its stdout and stderr with tests/real/aws-effective/NAME.json
and NAME.diag: obc's own reviewed output, not AWS's text. Without the
shared material it prints one "skipped:" line per chain.

Then each program of examples/aws/effective/ (the same policies written in
the language, with an organization) runs `OBC effective --content
--account member FILE`, which must succeed, and its effective policy must
equal, as JSON values, the golden of the chain it names in LANGUAGE (a
boolean written "true" equals true, as AWS takes both).

Exits 1 on any failure, 2 on a usage error.
"""

import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN_DIR = os.path.join(REPO, "tests", "real", "aws-effective")

# name -> the levels from the root down (files of one level joined by '+')
CHAINS = {
    "current-ex1": ["01-current-ex1-parent-policy.json"],
    "current-ex2": ["03-current-ex2-parent-policy.json", "04-current-ex2-child-policy.json"],
    "current-ex3": ["06-current-ex3-parent-policy-locked.json"],
    "current-ex3-with-child": ["06-current-ex3-parent-policy-locked.json", "12-current-ex5-child-policy.json"],
    "current-ex5": ["11-current-ex5-parent-policy.json", "12-current-ex5-child-policy.json"],
    "legacy2022-intro": ["26-legacy2022-intro-complete-policy.json"],
    "legacy2022-ex1": ["29-legacy2022-ex1-parent-policy.json"],
}

# chains AWS's own documents keep from having an effective policy: a
# structure error stops the merge (only the .diag golden is compared)
NO_EFFECTIVE = {
    "legacy2022-intro": "OB1109: a copy action keyed by another ARN than its target_backup_vault_arn",
}

# examples/aws/effective/FILE -> the chain whose effective policy it must equal
LANGUAGE = {
    "ex2.ob": "current-ex2",
    "ex5.ob": "current-ex5",
}


def shared_dir():
    d = os.environ.get("OBC_SHARED") or os.path.join(os.path.dirname(REPO), "shared")
    d = os.path.join(d, "reference", "aws-examples")
    return d if os.path.isdir(d) else None


def run(argv, cwd):
    p = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def normalize(v):
    if isinstance(v, dict):
        return {k: normalize(x) for k, x in v.items()}
    if isinstance(v, list):
        return [normalize(x) for x in v]
    if v in ("true", "false"):
        return v == "true"
    return v


def compare(path, data, regen, failures):
    """Compares `data` with the golden at `path` (or writes it)."""
    old = open(path, "rb").read() if os.path.isfile(path) else None
    if regen:
        if old != data:
            if data:
                with open(path, "wb") as f:
                    f.write(data)
            elif old is not None:
                os.remove(path)
            print("regenerated %s" % os.path.relpath(path, REPO))
        return
    if (old or b"") != data:
        failures.append("%s differs:\n--- golden\n%s\n+++ obc now\n%s" % (
            os.path.relpath(path, REPO), (old or b"").decode("utf-8", "replace"), data.decode("utf-8", "replace")))


def main(argv):
    regen = len(argv) == 3 and argv[1] == "--regen"
    if len(argv) != 2 and not regen:
        sys.stderr.write(__doc__)
        return 2
    obc = os.path.abspath(argv[-1])
    shared = shared_dir()
    failures = []
    checked = 0
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    for name, levels in CHAINS.items():
        if not shared:
            print("skipped: %s (no ../shared/reference/aws-examples)" % name)
            continue
        rc, out, err = run([obc, "effective", "--content", "--color", "never"] + levels, shared)
        if name in NO_EFFECTIVE and rc == 1 and not out:
            compare(os.path.join(GOLDEN_DIR, name + ".diag"), b"exit %d\n" % rc + err, regen, failures)
            checked += 1
            print("ok    %s: no effective policy (%s)" % (name, NO_EFFECTIVE[name]))
            continue
        if rc >= 2 or not out:
            failures.append("%s: obc effective exited %d without an effective policy:\n%s" % (
                name, rc, err.decode("utf-8", "replace")))
            continue
        compare(os.path.join(GOLDEN_DIR, name + ".json"), out, regen, failures)
        compare(os.path.join(GOLDEN_DIR, name + ".diag"), b"exit %d\n" % rc + err, regen, failures)
        checked += 1
        print("ok    %s: %s" % (name, " then ".join(levels)))
    for prog, chain in LANGUAGE.items():
        path = os.path.join(REPO, "examples", "aws", "effective", prog)
        rc, out, err = run([obc, "effective", "--content", "--color", "never", "--account", "member", path], REPO)
        if rc != 0:
            failures.append("examples/aws/effective/%s: obc effective exited %d:\n%s" % (
                prog, rc, err.decode("utf-8", "replace")))
            continue
        golden = os.path.join(GOLDEN_DIR, chain + ".json")
        if not os.path.isfile(golden):
            print("skipped: examples/aws/effective/%s against %s (no golden: ../shared absent)" % (prog, chain))
            continue
        if normalize(json.loads(out)) != normalize(json.load(open(golden))):
            failures.append("examples/aws/effective/%s: its effective policy differs from %s.json" % (prog, chain))
            continue
        checked += 1
        print("ok    examples/aws/effective/%s equals the effective policy of %s" % (prog, chain))
    for f in failures:
        print("FAIL  " + f)
    print("aws effective policies: %d checked, %d failed" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
