#!/bin/sh
# check-code-coverage.sh - every diagnostic code must be tested both ways.
#
# For each code of compiler/codes.def that tests/codes-pending.txt does
# not list, the corpus needs at least one case whose header says
# "# fires: CODE" and one whose header says "# quiet: CODE"
# (tests/run-corpus.py verifies both when it runs the cases).
# Also rejects codes in directives or in the pending list that codes.def
# does not define, and notes pending codes that are already covered.
# Prints what is missing; exits 1 if anything is.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CODES_DEF=$ROOT/compiler/codes.def
PENDING=$ROOT/tests/codes-pending.txt

WORK=$(mktemp -d "${TMPDIR:-/tmp}/obc-coverage.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT

sed -n 's/^DIAG_CODE(\(OB[0-9]*\),.*/\1/p' "$CODES_DEF" | LC_ALL=C sort -u >"$WORK/codes"
if [ -f "$PENDING" ]; then
    awk '{ sub(/#.*/, ""); for (i = 1; i <= NF; i++) print $i }' "$PENDING" | LC_ALL=C sort -u >"$WORK/pending"
else
    : >"$WORK/pending"
fi
"$ROOT/tests/run-corpus.py" --directives >"$WORK/directives" || exit 2
awk '$2 == "fires" { print $3 }' "$WORK/directives" | LC_ALL=C sort -u >"$WORK/fires"
awk '$2 == "quiet" { print $3 }' "$WORK/directives" | LC_ALL=C sort -u >"$WORK/quiet"

problems=0
for code in $(LC_ALL=C comm -23 "$WORK/pending" "$WORK/codes"); do
    echo "codes-pending.txt: $code is not a code of compiler/codes.def"
    problems=$((problems + 1))
done
awk '$2 == "fires" || $2 == "quiet" { print $1, $2, $3 }' "$WORK/directives" >"$WORK/uses"
while read -r case key code; do
    if ! grep -qxF "$code" "$WORK/codes"; then
        echo "$case: '# $key: $code' names a code that compiler/codes.def does not define"
        problems=$((problems + 1))
    fi
done <"$WORK/uses"

for code in $(LC_ALL=C comm -23 "$WORK/codes" "$WORK/pending"); do
    fires=no
    quiet=no
    grep -qxF "$code" "$WORK/fires" && fires=yes
    grep -qxF "$code" "$WORK/quiet" && quiet=yes
    case $fires/$quiet in
    yes/yes) continue ;;
    no/no) echo "$code: no corpus case with '# fires: $code' and none with '# quiet: $code'" ;;
    no/yes) echo "$code: no corpus case with '# fires: $code'" ;;
    yes/no) echo "$code: no corpus case with '# quiet: $code'" ;;
    esac
    problems=$((problems + 1))
done

for code in $(cat "$WORK/pending"); do
    if grep -qxF "$code" "$WORK/fires" && grep -qxF "$code" "$WORK/quiet"; then
        echo "note: $code has fires and quiet cases; remove it from tests/codes-pending.txt"
    fi
done

total=$(wc -l <"$WORK/codes")
pending=$(LC_ALL=C comm -12 "$WORK/codes" "$WORK/pending" | wc -l)
echo "code coverage: $total codes, $pending pending, $problems problems"
[ "$problems" -eq 0 ]
