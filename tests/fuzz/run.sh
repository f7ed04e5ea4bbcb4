#!/bin/sh
# run.sh smoke|long [SECONDS] - fuzzes the whole pipeline with libFuzzer,
# with two harnesses side by side for SECONDS, each on half of the cores:
#   fuzz_compile  one in-memory source file (inputs up to 64 KB)
#   fuzz_program  a set of files on disk (imports, links, FIFOs, inputs up
#                 to 1 MB; the input format is described in fuzz_program.c)
#   smoke: the bounded run inside `make check` (FUZZ_SECONDS, default 60)
#   long:  `make fuzz` (default 600 s), keeping its corpora in
#          build/fuzz/corpus-HARNESS
# Seeds: every .ob of corpus/ and examples/, and for fuzz_compile every
# policy document of corpus/ (NAME.in.json) (for fuzz_program only in a
# long run: the smoke run spends its time on files); for fuzz_program each
# of those that imports a file of its own, bundled with what it imports,
# tests/fuzz/program-seeds/*.fz, an import
# repeated 1,000 times and a 200 KB file. Crashes, leaks and timeouts
# are written to build/fuzz/artifacts/HARNESS-* and fail the run; turn
# each into a corpus case under corpus/fuzz/ (or tests/fuzz/crashes/).
set -eu
cd "$(dirname "$0")/../.."
mode=${1:-smoke}
seconds=${2:-${FUZZ_SECONDS:-}}
case $mode in
    smoke) seconds=${seconds:-60} ;;
    long) seconds=${seconds:-600} ;;
    *) echo "usage: $0 smoke|long [SECONDS]" >&2; exit 2 ;;
esac
for h in fuzz_compile fuzz_program; do
    [ -x "build/fuzz/$h" ] || { echo "fuzz: build/fuzz/$h is missing (make build/fuzz/$h)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/obc-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/seeds-compile" "$work/seeds-program" "$work/tmp" build/fuzz/artifacts

# Seeds of fuzz_compile, and single-file seeds of fuzz_program.
i=0
find corpus examples -name '*.ob' | sort | while read -r f; do
    i=$((i + 1)); cp "$f" "$work/seeds-compile/seed-$i.ob"
    [ "$mode" = smoke ] || cp "$f" "$work/seeds-program/seed-$i.ob"
done
i=0
find corpus -name '*.in.json' | sort | while read -r f; do
    i=$((i + 1)); cp "$f" "$work/seeds-compile/document-$i.json"
done
# Multi-file seeds: each file that imports one of its own, with the
# files it imports, transitively, named relative to its directory.
i=0
grep -rlE '^[[:space:]]*import[[:space:]]+"([^s]|s[^t]|st[^d]|std[^/])' corpus examples --include='*.ob' | sort |
while read -r f; do
    i=$((i + 1)); d=$(dirname "$f"); todo=$(basename "$f"); done_=""
    while [ -n "$todo" ]; do
        set -- $todo; rel=$1; shift; todo="$*"
        case " $done_ " in *" $rel "*) continue ;; esac
        [ -f "$d/$rel" ] || continue
        done_="$done_ $rel"
        printf -- '--- %s\n' "$rel"; awk 1 "$d/$rel"
        for imp in $(sed -n 's/^[[:space:]]*import[[:space:]]*"\([^"]*\)".*/\1/p' "$d/$rel" | grep -v '^std/'); do
            case $imp in /* | *' '*) continue ;; *.*) ;; *) imp=$imp.ob ;; esac
            next=$(realpath -m --relative-to="$d" "$d/$(dirname "$rel")/$imp")
            case $next in ../*) continue ;; esac
            todo="$todo $next"
        done
    done >"$work/seeds-program/multi-$i.fz"
done
cp tests/fuzz/program-seeds/*.fz "$work/seeds-program/"
{
    printf -- '--- main.ob\nimport "std/aws"\n'
    i=0; while [ $i -lt 1000 ]; do printf 'import "lib.ob"\n'; i=$((i + 1)); done
    printf -- '--- lib.ob\naccount lib_account = "222222222222"\n'
} >"$work/seeds-program/repeated-import.fz"
{
    printf -- '--- main.ob\nimport "std/aws"\nimport "big.ob"\n--- big.ob\n'
    awk 'BEGIN { for (i = 0; i < 5600; i++) printf "account big_%06d = \"%012d\"\n", i, 100000000000 + i }'
} >"$work/seeds-program/big-file.fz"

# The cores are shared between the harnesses: each runs for the whole
# time on its half of them (at least one worker each).
jobs=$(nproc 2>/dev/null || echo 2)
per=$((jobs / 2)); [ "$per" -ge 1 ] || per=1
pids=""
for h in fuzz_compile fuzz_program; do
    case $h in
        fuzz_compile) seeds=$work/seeds-compile; max_len=65536 ;;
        fuzz_program) seeds=$work/seeds-program; max_len=1048576 ;;
    esac
    if [ "$mode" = long ]; then corpus=build/fuzz/corpus-${h#fuzz_}; else corpus=$work/corpus-${h#fuzz_}; fi
    mkdir -p "$corpus"
    rm -f "build/fuzz/$h"-worker-*.log
    for w in $(seq 1 "$per"); do
        TMPDIR=$work/tmp ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            "build/fuzz/$h" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len="$max_len" -seed="$w" \
                -dict=tests/fuzz/ob.dict -artifact_prefix="build/fuzz/artifacts/$h-" -print_final_stats=1 \
                "$corpus" "$seeds" >"build/fuzz/$h-worker-$w.log" 2>&1 &
        pids="$pids $!"
    done
done
failed=0
for p in $pids; do wait "$p" || failed=1; done
for h in fuzz_compile fuzz_program; do
    if grep -q -E 'ERROR|Sanitizer|runtime error|timeout|deadly signal|fuzz_program:' "build/fuzz/$h"-worker-*.log; then
        failed=1
        for log in "build/fuzz/$h"-worker-*.log; do tail -n 60 "$log" >&2; done
        echo "fuzz: $h FAILED (logs in build/fuzz/$h-worker-*.log, inputs in build/fuzz/artifacts/$h-*)" >&2
        continue
    fi
    cat "build/fuzz/$h"-worker-*.log | awk -F: -v h="$h" '
        /^stat::number_of_executed_units/ {runs += $NF}
        /^stat::average_exec_per_sec/ {rate += $NF}
        /^stat::peak_rss_mb/ {if ($NF > rss) rss = $NF}
        END {printf "fuzz: %s: %d executions, %d per second (all workers), peak RSS %d MB\n", h, runs, rate, rss}'
done
[ "$failed" -eq 0 ] || exit 1
echo "fuzz: $mode run of ${seconds}s, $per worker(s) per harness: no crash, leak or timeout"
