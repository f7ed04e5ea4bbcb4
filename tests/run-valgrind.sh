#!/bin/sh
# run-valgrind.sh [--every N] OBC [CASE.ob|DIR...] - corpus cases under memcheck.
#
# Without --every, every case; with --every N, a fixed sample: every Nth
# case of the sorted list (the 1st, the N+1st, ...) and every case under
# corpus/valid/ and corpus/fuzz/. Each case (as tests/run-corpus.py --list
# finds them) is compiled into a
# temporary directory under
#   valgrind --tool=memcheck --error-exitcode=99 --leak-check=full
#            --show-leak-kinds=all --errors-for-leak-kinds=all -q
# with valgrind's own output in a separate log. A run fails when valgrind
# exits 99, writes anything to its log, or obc exits with 2 or a signal.
# Runs nproc cases at a time (OBC_JOBS to override); the failures are
# printed in case order, then "valgrind: N runs, E errors".
set -u

SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"

# One run: case number $1 of $WORK/cases; leaves $WORK/r/$1.report.
run_one() {
    idx=$1
    case_path=$(sed -n "${idx}p" "$WORK/cases")
    w=$WORK/c$idx
    mkdir -p "$w"
    (cd "$ROOT/$(dirname "$case_path")" &&
        exec $TIMEOUT valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
            --show-leak-kinds=all --errors-for-leak-kinds=all -q --log-file="$w/valgrind.log" \
            "$OBC" compile "$(basename "$case_path")" -o "$w/out" --color never) \
        >"$w/stdout" 2>"$w/stderr"
    rc=$?
    {
        if [ "$rc" -eq 99 ] || [ -s "$w/valgrind.log" ]; then
            echo "FAIL $case_path: valgrind reported errors (exit status $rc)"
            sed -n '1,80p' "$w/valgrind.log"
        elif [ "$rc" -ge 2 ]; then
            echo "FAIL $case_path: exit status $rc"
            sed -n '1,20p' "$w/stderr"
        fi
    } >"$WORK/r/$idx.report"
    rm -rf "$w"
    touch "$WORK/r/$idx.done"
}

if [ "${1:-}" = --run-one ]; then # internal: OBC WORK TIMEOUT come from the environment
    run_one "$2"
    exit 0
fi

EVERY=1
if [ "${1:-}" = --every ]; then
    case ${2:-} in
    '' | *[!0-9]* | 0) echo "run-valgrind: --every needs a positive number" >&2; exit 2 ;;
    esac
    EVERY=$2
    shift 2
fi
if [ $# -lt 1 ]; then
    echo "usage: tests/run-valgrind.sh [--every N] OBC [CASE.ob|DIR...]" >&2
    exit 2
fi
OBC=$(obc_binary run-valgrind "$1") || exit 2
shift
if ! command -v valgrind >/dev/null 2>&1; then
    echo "run-valgrind: valgrind is not installed (make test-deps installs it)" >&2
    exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/obc-valgrind.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
mkdir "$WORK/r"
# a private copy, so that a rebuild during the run cannot mix binaries
cp "$OBC" "$WORK/obc" || exit 2
OBC=$WORK/obc
"$ROOT/tests/run-corpus.py" --list "$@" >"$WORK/all" || exit 2
awk -v every="$EVERY" '(NR - 1) % every == 0 || /^corpus\/(valid|fuzz)\//' "$WORK/all" >"$WORK/cases"
n=$(wc -l <"$WORK/cases")
if [ "$n" -eq 0 ]; then
    echo "valgrind: no corpus cases found" >&2
    exit 1
fi
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout ${OBC_TIMEOUT:-600}"
jobs=${OBC_JOBS:-$(nproc 2>/dev/null || echo 2)}
export OBC WORK TIMEOUT
seq 1 "$n" | xargs -n 1 -P "$jobs" sh "$SELF" --run-one

errors=0
for i in $(seq 1 "$n"); do
    if [ ! -f "$WORK/r/$i.done" ]; then
        echo "FAIL $(sed -n "${i}p" "$WORK/cases"): the runner did not finish"
        errors=$((errors + 1))
    elif [ -s "$WORK/r/$i.report" ]; then
        cat "$WORK/r/$i.report"
        errors=$((errors + 1))
    fi
done
echo "valgrind: $n runs (of $(wc -l <"$WORK/all") cases), $errors errors"
[ "$errors" -eq 0 ]
