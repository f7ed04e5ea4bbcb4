#!/bin/sh
# check-import.sh - `obc import` on the command line: the program on
# stdout, -o FILE replaced in one step (never through a symbolic link),
# the kinds of input it takes, and its help. What it prints is proved by
# obc itself and by tests/import-roundtrip.py.
. "$(dirname "$0")/harness.sh"

begin "import a .ob program: a program of external vaults on stdout that compiles to the same policy"
valid_program >p.ob
run import p.ob
want_rc 0
want_out 'import "std/aws"' 'vault org-backup {' 'external = true' 'policy org_backup {' \
    'match = tag("backup") == "daily"'
cp "$T/stdout" printed.ob
run compile p.ob -o a --no-manifest
want_rc 0
run compile printed.ob -o b --no-manifest
want_rc 0
cmp -s a/org_backup.json b/org_backup.json || fail "the printed program compiles to another policy"
finish

begin "import -o FILE: written in one step, replacing the old file, nothing on stdout"
valid_program >p.ob
echo "old" >out.ob
run import p.ob -o out.ob
want_rc 0
[ ! -s "$T/stdout" ] || fail "stdout is not empty"
grep -q 'external = true' out.ob || fail "out.ob does not hold the program"
[ -z "$(ls -A . | grep obc-stage)" ] || fail "a staging file was left behind"
run import p.ob -o sub/dir/out.ob
want_rc 0
[ -f sub/dir/out.ob ] || fail "the missing directories were not created"
finish

begin "import -o FILE refuses a symbolic link, and a directory"
valid_program >p.ob
echo "keep" >target.ob
ln -s target.ob link.ob
run import p.ob -o link.ob
want_rc 2
want_err "refusing to write 'link.ob'"
[ "$(cat target.ob)" = keep ] || fail "the link's target was changed"
mkdir adir
run import p.ob -o adir
want_rc 2
want_err "cannot write 'adir'"
finish

begin "import of a program with errors: its diagnostics, exit 1, nothing printed"
valid_program 'tag("backup") == "daily"' org_backup 0d >bad.ob
run import bad.ob
want_rc 1
want_err 'error[OB4001]'
[ ! -s "$T/stdout" ] || fail "stdout is not empty"
finish

begin "import of policy documents: one program, one policy per document, compiled back"
cp "$ROOT/corpus/json/complete.in.json" daily.json
cp "$ROOT/corpus/json/resources.in.json" volumes.json
run import daily.json volumes.json
want_rc 0
want_out "external = true" "plans = [daily]"
grep -c '^policy ' "$T/stdout" | grep -qx 2 || fail "stdout does not hold two policies"
cp "$T/stdout" imported.ob
run compile imported.ob -o out
want_rc 0
finish

begin "the example documents of make demo: legacy.json has its three mistakes, nightly.json imports and compiles back to itself"
run check --color never "$ROOT/examples/documents/legacy.json"
want_rc 1
want_err "error[OB1102]" "error[OB1111]" "error[OB4002]"
run import "$ROOT/examples/documents/nightly.json"
want_rc 0
cp "$T/stdout" nightly.ob
run compile nightly.ob -o out --no-manifest
want_rc 0
python3 - "$ROOT/examples/documents/nightly.json" out/nightly.json <<'PY' || fail "nightly.json does not compile back to itself"
import json, sys
def norm(v):
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return sorted(json.dumps(norm(x), sort_keys=True) for x in v)
    return v
a, b = (norm(json.load(open(p))) for p in sys.argv[1:3])
sys.exit(0 if a == b else 1)
PY
finish

begin "import of a document that is not a policy: the diagnostics, nothing printed"
cp "$ROOT/corpus/json/wrapped.in.json" doc.json
run import --color never doc.json
want_rc 1
want_err "error[OB1101]"
[ ! -s "$T/stdout" ] || fail "stdout is not empty"
finish

begin "import of documents and .ob files together: usage error"
valid_program >p.ob
echo '{"plans": {}}' >doc.json
run import p.ob doc.json
want_rc 2
want_err 'mix policy documents'
finish

begin "import --format json needs -o FILE: stdout holds the diagnostics"
valid_program >p.ob
run import --format json p.ob
want_rc 2
want_err 'give -o FILE'
run import --format json p.ob -o out.ob
want_rc 0
grep -q 'external = true' out.ob || fail "out.ob does not hold the program"
finish

begin "help import: -o takes a FILE"
run help import
want_rc 0
want_out 'usage: obc import [OPTIONS] FILE...' '-o, --output FILE'
finish

summary
