#!/bin/sh
# stdlib-independence.sh OBC - the goldens do not depend on incidental
# standard-library data.
#
# Copies stdlib/ to a temporary directory, adds one resource type (in the
# middle of resource_types.ob) and one opt-in Region (in the middle of
# regions.ob) that no corpus case names, and regenerates a copy of the
# whole corpus with `obc --stdlib` reading that stdlib
# (tests/run-corpus.py --regen --stdlib). Adding a type or a Region must
# change no golden at all: no corpus case is about them. (The manifest of
# a program that selects by tags only lists every type in
# resource_type_opt_in; run-corpus.py folds that list into one line of
# its goldens and checks it is complete.) The new type has no capability
# (no continuous backup, cold storage, full management or copies), so it
# joins no list of the types that have one. Any change to any golden fails
# the test (exit 1, with the diff); 2 on a setup error.
set -u

if [ $# -ne 1 ]; then
    echo "usage: tests/stdlib-independence.sh OBC" >&2
    exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
OBC=$(obc_binary stdlib-independence "$1") || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/obc-stdlib.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
mkdir "$T/stdlib" && cp "$ROOT"/stdlib/*.ob "$T/stdlib/" || exit 2

# insert_after FILE LINE-PATTERN TEXT-FILE: TEXT-FILE's lines go after the
# first line that closes a block ("}") following the first match of the
# pattern; fails when the pattern is not found.
insert_after() {
    awk -v pat="$2" -v add="$3" '
        { print }
        !done && $0 ~ pat { seen = 1 }
        !done && seen && /^}/ {
            while ((getline l < add) > 0) print l
            done = 1
        }
        END { if (!done) exit 1 }
    ' "$1" >"$1.new" && mv "$1.new" "$1"
}

cat >"$T/type.ob" <<'EOF'

# A resource type that only tests/stdlib-independence.sh adds.
resource_type probe_store {
  arns              = ["probestore:*:*:store/*"]
  opt_in_name       = "Probe Store"
  continuous_backup = false
  cold_storage      = false
  full_management   = false
  cross_account_copy = false
  cross_region_copy  = false
  opt_in_region_cross_account_copy = false
  role_policies     = []
}
EOF
cat >"$T/region.ob" <<'EOF'

region xy-probe-7 {
  partition = aws
  display   = "Probe (Test)"
  opt_in    = true
}
EOF
insert_after "$T/stdlib/resource_types.ob" '^resource_type dynamodb ' "$T/type.ob" &&
    insert_after "$T/stdlib/regions.ob" '^region me-central-1 ' "$T/region.ob" || {
    echo "stdlib-independence: cannot find where to add the type and the Region" >&2
    exit 2
}

# The copy must really be read and really hold the new type and Region.
cat >"$T/probe.ob" <<'EOF'
import "std/aws"
root org_root = "r-ab12"
organization {
  regions = [xy-probe-7]
}
selection probes {
  role  = default_backup_role
  match = type in [probe_store]
}
vault local {
  name = "org-backup"
}
plan daily {
  select = [probes]
  rule nightly {
    schedule     = daily at 05:50
    vault        = local
    delete_after = 35d
  }
}
policy org_backup {
  plans  = [daily]
  attach = [org_root]
}
EOF
if ! "$OBC" check --stdlib "$T/stdlib" --color never "$T/probe.ob" >"$T/probe.out" 2>&1; then
    echo "stdlib-independence: the program naming the added type and Region does not compile:" >&2
    cat "$T/probe.out" >&2
    exit 2
fi
if "$OBC" check --color never "$T/probe.ob" >/dev/null 2>&1; then
    echo "stdlib-independence: the embedded stdlib already accepts the probe program" >&2
    exit 2
fi

# Regenerate a copy of the corpus (run-corpus.py finds the corpus beside
# its own tests/ directory) and compare it with the goldens.
mkdir -p "$T/repo/tests" && cp -R "$ROOT/corpus" "$T/repo/" && cp "$ROOT/tests/run-corpus.py" "$T/repo/tests/" || exit 2
if ! "$T/repo/tests/run-corpus.py" --regen --stdlib "$T/stdlib" "$OBC" >"$T/report"; then
    cat "$T/report"
    echo "stdlib-independence: FAILED: the corpus does not run with the extended stdlib"
    exit 1
fi
diff -ru "$ROOT/corpus" "$T/repo/corpus" >"$T/diff"
if [ -s "$T/diff" ]; then
    cat "$T/diff"
    echo "stdlib-independence: FAILED: adding a resource type and a Region changed the goldens above" \
        "(print what concerns the program, not every type or Region)"
    exit 1
fi
echo "stdlib-independence: a resource type and a Region added to the standard library: 0 goldens changed"
