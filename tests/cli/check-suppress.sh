#!/bin/sh
# tests/cli/check-suppress.sh - suppression comments (docs/suppressions.md):
#  - examples/seed-module-plan.ob passes `check --fail-level warning`
#    because it accepts its warnings with reasons, and fails without them;
#  - a suppressed warning appears in no format (text, compact, github,
#    json) and is not counted;
#  - errors cannot be suppressed; a comment that suppresses nothing is
#    OB9005 and fails --fail-level warning; a malformed one is OB9006;
#  - warnings past the display limit are suppressed too;
#  - CRLF line endings; "# obc:" inside a string is not a comment;
#  - a policy document's sidecar POLICY.json.obcignore.
#
#   tests/cli/check-suppress.sh OBC
. "$(dirname "$0")/harness.sh"

SEED=$ROOT/examples/seed-module-plan.ob

begin "the seed module's plan passes --fail-level warning"
run check --fail-level warning "$SEED"
want_rc 0
want_quiet
finish

begin "without its suppressions the seed module's plan fails --fail-level warning"
grep -v '^ *# obc:ignore' "$SEED" | sed 's/  # obc:ignore.*$//' >seed.ob
run check --fail-level warning --color never seed.ob
want_rc 1
want_err "warning[OB3020]" "warning[OB6030]" "warning[OB6012]" "warning[OB7007]"
want_no_err "OB9005" "OB9006"
finish

# unused.ob: a program whose only warnings are two OB9001, one suppressed.
unused_program() {
    valid_program | sed 's/^vault local {$/vault spare { name = "spare" }   # obc:ignore OB9001 -- kept for the drill\nvault other { name = "other" }\nvault local {/'
}

begin "a suppressed warning is in no format and not counted"
unused_program >p.ob
run check --color never p.ob
want_rc 0
want_err "vault 'other'" "obc: 0 errors, 1 warning"
want_no_err "'spare'"
for f in compact github json; do
    run check --format "$f" p.ob
    want_rc 0
    grep -q "'other'" "$T/stdout" "$T/stderr" || fail "--format $f lacks the warning that is not suppressed"
    ! grep -q "'spare'" "$T/stdout" "$T/stderr" || fail "--format $f shows the suppressed warning"
done
run check --format json p.ob
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["warnings"]==1, d["warnings"]' <"$T/stdout" ||
    fail "json counts the suppressed warning"
finish

begin "the same with CRLF line endings"
unused_program | sed 's/$/\r/' >p.ob
run check --fail-level warning --color never p.ob
want_rc 1
want_err "vault 'other'"
want_no_err "'spare'" "OB9005" "OB9006"
finish

begin "errors cannot be suppressed"
valid_program | sed 's/^vault local {$/# obc:ignore OB2001 -- no\nvault local { key = nokey/' >p.ob
run check --color never p.ob
want_rc 1
want_err "error[OB2001]" "warning[OB9006]" "errors cannot be suppressed"
finish

begin "a suppression that suppresses nothing fails --fail-level warning"
valid_program | sed 's/^vault local {$/# obc:ignore OB3020 -- nothing overlaps\nvault local {/' >p.ob
run check --color never p.ob
want_rc 0
want_err "warning[OB9005]" "no OB3020 warning starts on line"
run check --fail-level warning --color never p.ob
want_rc 1
finish

begin "a suppression without a reason is malformed and suppresses nothing"
valid_program | sed 's/^vault local {$/vault spare { name = "spare" }   # obc:ignore OB9001 --  \nvault local {/' >p.ob
run check --color never p.ob
want_rc 0
want_err "warning[OB9006]" "it gives no reason" "warning[OB9001]"
finish

begin "a comment in a string is text"
valid_program | sed 's/^vault local {$/vault spare { name = "# obc:ignore OB9001 -- x" }\nvault local {/' >p.ob
run check --color never p.ob
want_err "warning[OB9001]"
want_no_err "OB9005" "OB9006"
finish

# doc.json: a policy document with one warning, OB9004.
cp "$ROOT/corpus/json/variable-in-tag.in.json" "$GEN/doc.json"

begin "a policy document's sidecar suppresses its warning"
cp "$GEN/doc.json" doc.json
printf '# literal on purpose\nOB9004 -- the tag marks the old plan\n' >doc.json.obcignore
run check --fail-level warning doc.json
want_rc 0
want_quiet
finish

begin "a sidecar line that suppresses nothing is OB9005, in the sidecar"
cp "$GEN/doc.json" doc.json
printf 'OB9004 -- the tag marks the old plan\nOB9001 -- nothing\n' >doc.json.obcignore
run check --color never doc.json
want_rc 0
want_err "doc.json.obcignore:2:1: warning[OB9005]"
want_no_err "OB9004]"
finish

begin "a sidecar that cannot be read is an I/O error"
cp "$GEN/doc.json" doc.json
mkdir doc.json.obcignore
run check --color never doc.json
want_rc 2
want_err "cannot read 'doc.json.obcignore'" "directory"
finish

begin "warnings past the display limit are suppressed too"
{
    valid_program
    awk 'BEGIN { for (i = 0; i < 500; i++) printf "vault spare%d { name = \"spare%d\" }   # obc:ignore OB9001 -- spare\n", i, i }'
} >p.ob
run check --fail-level warning p.ob
want_rc 0
want_quiet
finish

summary
