#!/bin/sh
# tests/check-sarif.sh - the SARIF output (--format sarif): each case of
# tests/sarif/cases.txt run again must print its golden
# tests/sarif/NAME.sarif byte for byte, and every golden must pass
# Microsoft's SARIF Multitool (`validate --rule-kind "sarif;gh"`: the
# SARIF 2.1.0 schema, the SARIF rules and GitHub code scanning's rules).
#
#   tests/check-sarif.sh OBC MULTITOOL      compare and validate
#   tests/check-sarif.sh --regen OBC        rewrite the goldens (review the diff)
#
# MULTITOOL is the Sarif.Multitool executable of the npm package
# @microsoft/sarif-multitool (pinned in tests/npm; `make sarif` installs it
# under build/npm). Any error fails. Warnings fail too, except SARIF2005
# "does not provide 'informationUri'": obc has no web page to name, and a
# made-up URL would be worse than none (docs/cli.md, "SARIF").
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"

REGEN=false
if [ "${1:-}" = --regen ]; then
    REGEN=true
    shift
fi
if [ $# -lt 1 ] || { ! $REGEN && [ $# -ne 2 ]; }; then
    echo "usage: $0 OBC MULTITOOL | $0 --regen OBC" >&2
    exit 2
fi
OBC=$(obc_binary check-sarif "$1") || exit 2
cd "$ROOT" || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/obc-sarif.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

failed=0
cases=0
# shellcheck disable=SC2086 # the arguments of a case are split on blanks
grep -v '^[[:space:]]*\(#\|$\)' tests/sarif/cases.txt | while read -r name cmd args; do
    $OBC "$cmd" --format sarif $args >"$T/$name.sarif" 2>"$T/$name.err"
    rc=$?
    if [ $rc -gt 1 ]; then
        echo "FAIL $name: obc exited $rc"; cat "$T/$name.err"; echo x >>"$T/failed"
        continue
    fi
    if [ -s "$T/$name.err" ]; then
        echo "FAIL $name: --format sarif wrote to stderr:"; cat "$T/$name.err"; echo x >>"$T/failed"
    fi
    if $REGEN; then
        cp "$T/$name.sarif" "tests/sarif/$name.sarif"
        echo "wrote tests/sarif/$name.sarif"
    elif ! cmp -s "$T/$name.sarif" "tests/sarif/$name.sarif"; then
        echo "FAIL $name: output differs from tests/sarif/$name.sarif"
        diff -u "tests/sarif/$name.sarif" "$T/$name.sarif" | head -40
        echo x >>"$T/failed"
    else
        echo "ok   $name"
    fi
done
[ -f "$T/failed" ] && failed=$(wc -l <"$T/failed")
$REGEN && exit $((failed > 0))

# The Multitool must catch a broken log: a result whose ruleIndex is past
# the rules (the tflint bug) and a driver without rules (GH1018).
python3 -c '
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
run["results"][0]["ruleIndex"] = len(run["tool"]["driver"]["rules"])
del run["tool"]["driver"]["rules"]
json.dump(log, open(sys.argv[2], "w"), indent=2)
' tests/sarif/unknown-vault.sarif "$T/broken.sarif"

# Every golden, in one run of the Multitool (it starts slowly).
MULTITOOL=$2
if [ ! -x "$MULTITOOL" ]; then
    echo "check-sarif: '$MULTITOOL' is not an executable (make sarif installs it)" >&2
    exit 2
fi
"$MULTITOOL" validate --rule-kind "sarif;gh" --output "$T/broken-validation.sarif" "$T/broken.sarif" \
    >"$T/broken.log" 2>&1
if grep -q ': error GH1018' "$T/broken.log" && grep -q ': error SARIF' "$T/broken.log"; then
    echo "ok   the Multitool rejects a broken log"
else
    echo "FAIL the Multitool does not reject a log without rules and with a bad ruleIndex:"
    cat "$T/broken.log"
    failed=$((failed + 1))
fi
set -- tests/sarif/*.sarif
cases=$#
"$MULTITOOL" validate --rule-kind "sarif;gh" \
    --output "$T/validation.sarif" "$@" >"$T/validate.log" 2>&1
mt=$?
errors=$(grep -c ': error ' "$T/validate.log")
warnings=$(grep ': warning ' "$T/validate.log" | grep -v ": warning SARIF2005: .*'informationUri'" | grep -c .)
if [ $mt -ne 0 ] || [ "$errors" -ne 0 ] || [ "$warnings" -ne 0 ] || ! grep -q "Done. $cases files scanned" "$T/validate.log"; then
    echo "FAIL the Multitool (exit $mt) found $errors errors and $warnings warnings:"
    grep -v ": warning SARIF2005: .*'informationUri'" "$T/validate.log"
    failed=$((failed + 1))
else
    echo "ok   the Multitool validates all $cases goldens (sarif;gh rules)"
fi
if [ "$failed" -ne 0 ]; then
    echo "check-sarif: $failed failed"
    exit 1
fi
echo "check-sarif: all passed"
