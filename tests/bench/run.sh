#!/bin/sh
# run.sh - obc's speed and memory benchmarks (make bench).
#
#   tests/bench/run.sh [--quick] [--scaling] [--runs N] [--table]
#
#   --quick     skip the 8 MB and 10 MB inputs (and their generation)
#   --table     only the figures of docs/performance.md (tests/bench/table.py:
#               obc against cat and jq empty from 10 KB to 8 MB in 1 and 4
#               files, instructions per byte at 1 and 8 MB, peak memory over
#               the input size, a small check against cat), printed as the
#               rows of its table
#   --scaling   also print the scaling table: time and instructions of
#               `obc check` at 0.25, 0.5, 1, 2, 4 and 8 MB (slow: callgrind
#               runs on every size)
#   --runs N    runs per timing (default: 21 for examples, 11 for 1 MB,
#               5 for 8 MB, 3 for 10 MB)
#
# Builds build/obc and build/bench/frontend (the front end alone: read and
# parse, no sema), generates the inputs into build/bench/ with gen.py
# (deterministic: the same bytes on every machine), then runs bench.py,
# which reports per input the median, min and max wall time of
# `obc check` and `obc compile`, MB/s and peak RSS, counts instructions
# with callgrind (also how instructions per item grow from N to 4N items
# on the long-list shapes of tests/cli/run.sh), and checks
# tests/bench/budgets.txt.
#
# Exit status: 0 when every enforced budget holds (instruction counts and
# peak RSS, within 2x); 1 when one is exceeded; 2 on a setup error.
# Wall-clock budgets are reported, never enforced: this machine is shared.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BUILD=build                 # the Makefile's $(BUILD)
OUT=$BUILD/bench
PY=${PY:-/usr/bin/python3}       # as the Makefile
CC=${CC:-cc}

QUICK=""
ARGS=""
TABLE=""
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) QUICK=1; ARGS="$ARGS --quick" ;;
    --scaling) ARGS="$ARGS --scaling" ;;
    --table) TABLE=1 ;;
    --runs) [ $# -ge 2 ] || { echo "run.sh: --runs needs a number" >&2; exit 2; }
            ARGS="$ARGS --runs $2"; shift ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$ARGS" in *--scaling*) SCALING=1 ;; *) SCALING="" ;; esac

# ---- build ------------------------------------------------------------------

tools/ensure-deps.sh gcc make flex bison libcjson-dev python3 valgrind time jq || exit 2
make --no-print-directory -j"$(nproc 2>/dev/null || echo 2)" "$BUILD/obc" >/dev/null || exit 2
mkdir -p "$OUT"

# The front-end driver links what build/obc links but main.o: the
# Makefile's own list (lib_objs), built by the make above; same flags.
objs=$(make --no-print-directory -s --eval 'bench-objs: ; @echo $(call lib_objs,release)' bench-objs) || exit 2
flags=$(make --no-print-directory -s --eval 'bench-flags: ; @echo $(WARN) $(DEFS) $(OPT) $(INC)' bench-flags) || exit 2
# shellcheck disable=SC2086
$CC $flags -o "$OUT/frontend" tests/bench/frontend.c $objs -lcjson || exit 2

if [ -n "$TABLE" ]; then
    # shellcheck disable=SC2086
    exec $PY tests/bench/table.py --obc "$BUILD/obc" --dir "$OUT" $(echo "$ARGS" | sed 's/--scaling//')
fi

# ---- inputs -----------------------------------------------------------------

gen() { # gen NAME BYTES [gen.py options]: regenerate only when gen.py changed
    name=$1; size=$2; shift 2
    if [ ! -e "$OUT/$name" ] || [ tests/bench/gen.py -nt "$OUT/$name" ]; then
        rm -rf "${OUT:?}/$name"
        $PY tests/bench/gen.py --size "$size" "$@" "$OUT/$name"
    fi
}
gen gen-250kb.ob 250000
gen gen-1mb.ob 1000000
gen gen-2mb.ob 2000000
gen syntax-1mb.ob 1000000 --kind syntax
if [ -z "$QUICK" ] || [ -n "$SCALING" ]; then
    gen gen-8mb.ob 8000000
fi
if [ -z "$QUICK" ]; then
    gen gen-10mb 10000000 --files 4        # obc reads at most 8 MiB per file
fi
if [ -n "$SCALING" ]; then
    gen gen-500kb.ob 500000
    gen gen-4mb.ob 4000000
fi

# ---- measure ----------------------------------------------------------------

# shellcheck disable=SC2086
exec $PY tests/bench/bench.py --obc "$BUILD/obc" --frontend "$OUT/frontend" --dir "$OUT" \
    --budgets tests/bench/budgets.txt $ARGS
