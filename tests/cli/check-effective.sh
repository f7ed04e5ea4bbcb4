#!/bin/sh
# check-effective.sh - `obc effective` on the command line: the
# DescribeEffectivePolicy form on stdout (one object, or an array for
# several accounts), --content, --account by name or id, -o for a program
# (a directory) and for documents (a file), levels of documents joined
# with '+', and the errors. What it merges is tested by corpus/effective/
# and tests/check-aws-effective.py.
. "$(dirname "$0")/harness.sh"

org_program() {
    cat "$ROOT/corpus/effective/program-after-merge.ob" | sed 's/delete_after = 60d /delete_after = 400d/'
}

begin "effective of a program: every account reached, as a JSON array of DescribeEffectivePolicy responses"
org_program >org.ob
run effective org.ob
want_rc 0
want_out '"EffectivePolicy": {' '"TargetId": "111122223333"' '"TargetId": "777788889999"' \
    '"PolicyType": "BACKUP_POLICY"' '"PolicyContent": "{\"plans\":{\"daily\":'
[ "$(head -c 1 "$T/stdout")" = "[" ] || fail "several accounts do not print as an array"
finish

begin "effective --account NAME and --account ID pick accounts; --content prints the policy itself"
org_program >org.ob
run effective org.ob --account shop --content
want_rc 0
want_out '"delete_after_days": "400"'
[ "$(head -c 1 "$T/stdout")" = "{" ] || fail "one account does not print as one object"
run effective org.ob --account 777788889999 --content
want_rc 0
want_out '"delete_after_days": "365"'
finish

begin "effective --account of an account no policy reaches: exit 2"
org_program >org.ob
run effective org.ob --account nobody
want_rc 2
want_err "no policy reaches an account named 'nobody'"
finish

begin "effective -o DIR: one file per account, named by its id"
org_program >org.ob
run effective org.ob -o eff
want_rc 0
want_files eff 111122223333.json 444455556666.json 777788889999.json
grep -q '"TargetId": "444455556666"' eff/444455556666.json || fail "the file does not hold its account"
finish

begin "effective of documents: levels from the root down, '+' joins a level, --account gives the TargetId"
d="$ROOT/corpus/effective"
cp "$d/ob8105-first-attached-a.json" a.json
cp "$d/ob8105-quiet-same-value-b.json" b.json
cp "$d/ob8103-quiet-remove-present-ou.json" ou.json
run effective a.json+b.json ou.json --account 111122223333
want_rc 0
want_out '"TargetId": "111122223333"'
run effective a.json+b.json ou.json --content -o out/eff.json
want_rc 0
grep -q '"delete_after_days": "35"' out/eff.json || fail "-o FILE does not hold the effective policy"
finish

begin "effective of documents with a forbidden change: the error, and the effective policy AWS computes"
d="$ROOT/corpus/effective"
cp "$d/ob8102-locked-regions-root.json" root.json
cp "$d/ob8102-locked-regions-ou.json" ou.json
run effective root.json ou.json --content
want_rc 1
want_err 'error[OB8102]' 'note: root.json allows no operator (@@none) here'
want_out '"eu-west-1"'
finish

begin "effective: documents and a program together, or two accounts for one chain, are usage errors"
org_program >org.ob
cp "$ROOT/corpus/effective/ob8105-first-attached-a.json" a.json
run effective org.ob a.json
want_rc 2
run effective a.json --account 1 --account 2
want_rc 2
want_err "give --account once"
finish

begin "effective --help"
run effective --help
want_rc 0
want_out 'usage: obc effective [OPTIONS] FILE...' '--account NAME|ID' '--content'
finish

summary
