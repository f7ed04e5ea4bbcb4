#!/bin/sh
# run.sh smoke|long [SECONDS] - fuzzes the whole pipeline with libFuzzer.
#   smoke: the bounded run inside `make check` (FUZZ_SECONDS, default 60)
#   long:  `make fuzz` (default 600 s), keeping its corpus in build/fuzz/corpus
# Seeds: every .ob of corpus/ and examples/. Crashes, leaks and timeouts
# are written to build/fuzz/artifacts/ and fail the run; turn each into a
# corpus case under corpus/fuzz/.
set -eu
cd "$(dirname "$0")/../.."
mode=${1:-smoke}
seconds=${2:-${FUZZ_SECONDS:-}}
case $mode in
    smoke) seconds=${seconds:-60}; corpus=$(mktemp -d) ;;
    long) seconds=${seconds:-600}; corpus=build/fuzz/corpus; mkdir -p "$corpus" ;;
    *) echo "usage: $0 smoke|long [SECONDS]" >&2; exit 2 ;;
esac
bin=build/fuzz/fuzz_compile
[ -x "$bin" ] || { echo "fuzz: $bin is missing (make $bin)" >&2; exit 2; }
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"; [ "$mode" = smoke ] && rm -rf "$corpus"; true' EXIT
i=0
find corpus examples -name '*.ob' | sort | while read -r f; do
    i=$((i + 1)); cp "$f" "$seeds/seed-$i.ob"
done
mkdir -p build/fuzz/artifacts
jobs=$(nproc 2>/dev/null || echo 2)
pids=""
for w in $(seq 1 "$jobs"); do
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$bin" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len=65536 -seed="$w" \
            -dict=tests/fuzz/ob.dict -artifact_prefix=build/fuzz/artifacts/ -print_final_stats=1 \
            "$corpus" "$seeds" >"build/fuzz/worker-$w.log" 2>&1 &
    pids="$pids $!"
done
failed=0
for p in $pids; do wait "$p" || failed=1; done
if [ "$failed" -ne 0 ]; then
    for w in $(seq 1 "$jobs"); do
        grep -q -E 'ERROR|Sanitizer|runtime error|timeout|deadly signal' "build/fuzz/worker-$w.log" && tail -n 60 "build/fuzz/worker-$w.log" >&2
    done
    echo "fuzz: FAILED (logs in build/fuzz/worker-*.log, inputs in build/fuzz/artifacts/)" >&2
    exit 1
fi
cat build/fuzz/worker-*.log | awk -F: '
    /^stat::number_of_executed_units/ {runs += $NF}
    /^stat::average_exec_per_sec/ {rate += $NF}
    /^stat::peak_rss_mb/ {if ($NF > rss) rss = $NF}
    END {printf "fuzz: %d executions, %d per second (all workers), peak RSS %d MB\n", runs, rate, rss}'
echo "fuzz: $mode run of ${seconds}s on $jobs workers: no crash, leak or timeout"
