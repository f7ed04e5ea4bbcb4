#!/bin/sh
# run-corpus.sh - the golden corpus: every corpus/**/NAME.ob is one case.
#
#   tests/run-corpus.sh [--regen] OBC [CASE.ob|DIR...]   run (or regenerate) cases
#   tests/run-corpus.sh --list [CASE.ob|DIR...]          print the case paths
#   tests/run-corpus.sh --directives [CASE.ob|DIR...]    print "CASE KEY VALUE" per directive
#
# Without CASE or DIR arguments every case under corpus/ runs.
#
# A case runs as: cd DIR; OBC compile NAME.ob -o TMP/out --color never
# [--fail-level warning]. What it must produce lives beside it:
#   NAME.diag              the exact stderr (absent: stderr must be empty)
#   NAME.json              the policy, when the program has exactly one
#   NAME.<policy>.json     each policy, when it has several
#   NAME.manifest.json     the manifest
# Every output needs its golden and every golden must be produced. stdout
# must stay empty. The exit status must be 1 when NAME.diag has an
# "error[" (or a "warning[" under fail-level warning) and 0 otherwise;
# 2 or a signal is always a failure. Case names must not contain '.'.
#
# Directives, in the comment lines at the top of NAME.ob:
#   # fires: OB3001 OB3002     the diagnostics must contain [OB3001] and [OB3002]
#   # quiet: OB3001            the diagnostics must not contain [OB3001]
#   # fail-level: warning      run with --fail-level warning
#   # import-only              not a case: a file other cases import
#
# --regen rewrites NAME.diag (deleted when empty) and the JSON goldens from
# what obc produces now and prints what changed; review with git diff.
# OBC_SANITIZED=1: also fail on sanitizer reports in stderr.
# OBC_TIMEOUT: seconds per case (default 120). Cases run in parallel
# (nproc jobs, OBC_JOBS to override); the report is printed in case order.
set -u

SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
MANIFEST=obc.manifest.json

# ---- directives ----------------------------------------------------------

# Prints the directives of the leading comment block of $1, one per line:
# "fires OB3001", "quiet OB3001", "fail-level warning", "import-only".
directives() {
    awk '
        { sub(/\r$/, "") }
        NR == 1 { sub(/^\357\273\277/, "") }
        /^[ \t]*$/ { next }
        /^[ \t]*#/ {
            line = $0
            sub(/^[ \t]*#[ \t]*/, "", line)
            if (match(line, /^(fires|quiet|fail-level):/)) {
                key = substr(line, 1, RLENGTH - 1)
                n = split(substr(line, RLENGTH + 1), w, /[ \t,]+/)
                for (i = 1; i <= n; i++)
                    if (w[i] != "")
                        print key, w[i]
            } else if (line ~ /^import-only([ \t]|$)/) {
                print "import-only"
            }
            next
        }
        { exit }
    ' "$1"
}

# ---- finding cases -------------------------------------------------------

# Prints every case (path relative to ROOT) under the paths read from
# stdin (absolute, one per line), sorted; import-only files are left out.
list_cases() {
    while IFS= read -r p; do
        if [ -d "$p" ]; then
            find "$p" -type f -name '*.ob'
        elif [ -f "$p" ]; then
            printf '%s\n' "$p"
        else
            echo "run-corpus: no such case or directory: $p" >&2
        fi
    done | sed "s|^$ROOT/||" | LC_ALL=C sort -u | while IFS= read -r f; do
        directives "$ROOT/$f" | grep -qx 'import-only' || printf '%s\n' "$f"
    done
}

# Absolute paths for the CASE/DIR arguments (default: corpus/).
absolute_paths() {
    if [ $# -eq 0 ]; then
        printf '%s\n' "$ROOT/corpus"
        return
    fi
    for p in "$@"; do
        case $p in
        /*) printf '%s\n' "$p" ;;
        *) printf '%s\n' "$PWD/$p" ;;
        esac
    done
}

# ---- one case ------------------------------------------------------------

# Appends a reason to the case's report (joined into its FAIL line).
fail() {
    printf '%s\n' "$1" >>"$W/reasons"
}

# Appends details (diffs, output) below the FAIL line.
detail() {
    cat >>"$W/details"
}

# Expected exit status from a diagnostics text ($1: file).
expected_status() {
    if grep -q 'error\[' "$1"; then
        echo 1
    elif [ "$FAIL_LEVEL" = warning ] && grep -q 'warning\[' "$1"; then
        echo 1
    else
        echo 0
    fi
}

# Golden file name (in the case directory) for an output file name.
golden_for() {
    if [ "$1" = "$MANIFEST" ]; then
        echo "$NAME.manifest.json"
    elif [ "$NPOLICIES" -eq 1 ]; then
        echo "$NAME.json"
    else
        echo "$NAME.$1"
    fi
}

# Goldens that exist now for this case (basenames), one per line.
existing_goldens() {
    for g in "$CASE_DIR/$NAME".json "$CASE_DIR/$NAME".*.json; do
        [ -f "$g" ] && basename "$g"
    done | LC_ALL=C sort -u
}

check_process() {
    if [ "$RC" -eq 124 ] && [ -n "$TIMEOUT" ]; then
        fail "timed out after ${OBC_TIMEOUT:-120}s"
    elif [ "$RC" -ge 2 ]; then
        fail "exit status $RC (crash, usage or I/O error)"
        sed -n '1,40p' "$W/stderr" | detail
    fi
    if [ "${OBC_SANITIZED:-0}" = 1 ] &&
        grep -q -e 'runtime error:' -e 'AddressSanitizer' -e 'LeakSanitizer' "$W/stderr"; then
        fail "sanitizer report in stderr"
        sed -n '1,60p' "$W/stderr" | detail
    fi
    if [ -s "$W/stdout" ]; then
        fail "unexpected output on stdout"
        sed -n '1,20p' "$W/stdout" | detail
    fi
}

check_directives() {
    for code in $(sed -n 's/^fires //p' "$W/directives"); do
        grep -qF "[$code]" "$W/stderr" || fail "fires: $code was not reported"
    done
    for code in $(sed -n 's/^quiet //p' "$W/directives"); do
        grep -qF "[$code]" "$W/stderr" && fail "quiet: $code was reported"
    done
}

check_diag() {
    golden=$CASE_DIR/$NAME.diag
    shown=$REL_DIR/$NAME.diag
    if [ ! -f "$golden" ]; then
        golden=/dev/null
        shown="(no $NAME.diag: empty stderr)"
    fi
    if ! diff -u -L "$shown" -L "actual stderr" "$golden" "$W/stderr" >"$W/diff"; then
        fail "stderr differs from $NAME.diag"
        detail <"$W/diff"
    fi
    want=$(expected_status "$golden")
    if [ "$RC" -lt 2 ] && [ "$RC" -ne "$want" ]; then
        fail "exit status $RC, expected $want"
    fi
}

check_outputs() {
    existing_goldens >"$W/goldens"
    : >"$W/expected"
    for f in $(cat "$W/outputs"); do
        g=$(golden_for "$f")
        echo "$g" >>"$W/expected"
        if [ ! -f "$CASE_DIR/$g" ]; then
            fail "output $f has no golden $g"
            diff -u -L "(no $g)" -L "actual $f" /dev/null "$W/out/$f" | sed -n '1,40p' | detail
        elif ! diff -u -L "$REL_DIR/$g" -L "actual $f" "$CASE_DIR/$g" "$W/out/$f" >"$W/diff"; then
            fail "output $f differs from $g"
            detail <"$W/diff"
        fi
    done
    for g in $(cat "$W/goldens"); do
        grep -qxF "$g" "$W/expected" || fail "golden $g was not produced"
    done
}

# Reports one file change of --regen.
changed() {
    printf '%s %s\n' "$1" "$REL_DIR/$2" >>"$W/changes"
}

# Replaces golden $1 (basename) with file $2, or deletes it when $2 is "".
update_golden() {
    target=$CASE_DIR/$1
    if [ -z "$2" ]; then
        [ -f "$target" ] && rm -f "$target" && changed deleted "$1"
    elif [ ! -f "$target" ]; then
        cp "$2" "$target" && changed created "$1"
    elif ! cmp -s "$2" "$target"; then
        cp "$2" "$target" && changed updated "$1"
    fi
    return 0
}

regen_case() {
    if [ -s "$W/stderr" ]; then
        update_golden "$NAME.diag" "$W/stderr"
    else
        update_golden "$NAME.diag" ""
    fi
    : >"$W/expected"
    for f in $(cat "$W/outputs"); do
        g=$(golden_for "$f")
        echo "$g" >>"$W/expected"
        update_golden "$g" "$W/out/$f"
    done
    for g in $(existing_goldens); do
        grep -qxF "$g" "$W/expected" || update_golden "$g" ""
    done
}

# Runs case number $1 (a line of $WORK/cases) and leaves its report in
# $WORK/r/$1.report and its --regen changes in $WORK/r/$1.changes.
run_case() {
    idx=$1
    CASE=$(sed -n "${idx}p" "$WORK/cases")
    REL_DIR=$(dirname "$CASE")
    CASE_DIR=$ROOT/$REL_DIR
    NAME=$(basename "$CASE" .ob)
    W=$WORK/c$idx
    mkdir -p "$W"
    : >"$W/reasons"
    : >"$W/details"
    : >"$W/changes"
    directives "$ROOT/$CASE" >"$W/directives"
    FAIL_LEVEL=$(sed -n 's/^fail-level //p' "$W/directives" | tail -n 1)
    case $NAME in
    *.*) fail "case names must not contain '.'" ;;
    esac
    set -- compile "$NAME.ob" -o "$W/out" --color never
    [ -n "$FAIL_LEVEL" ] && set -- "$@" --fail-level "$FAIL_LEVEL"
    (cd "$CASE_DIR" && exec $TIMEOUT "$OBC" "$@") >"$W/stdout" 2>"$W/stderr"
    RC=$?
    if [ -d "$W/out" ]; then
        (cd "$W/out" && ls -A) | LC_ALL=C sort >"$W/outputs"
    else
        : >"$W/outputs"
    fi
    NPOLICIES=$(grep -cvxF "$MANIFEST" "$W/outputs")

    check_process
    check_directives
    if [ "$MODE" = regen ]; then
        [ "$RC" -lt 2 ] && regen_case
    else
        check_diag
        check_outputs
    fi

    {
        if [ -s "$W/reasons" ]; then
            printf 'FAIL %s: %s\n' "$CASE" "$(awk 'NR > 1 { printf "; " } { printf "%s", $0 }' "$W/reasons")"
            cat "$W/details"
        fi
    } >"$WORK/r/$idx.report"
    mv "$W/changes" "$WORK/r/$idx.changes"
    rm -rf "$W"
    touch "$WORK/r/$idx.done"
}

# ---- driver --------------------------------------------------------------

usage() {
    echo "usage: tests/run-corpus.sh [--regen] OBC [CASE.ob|DIR...]" >&2
    echo "       tests/run-corpus.sh --list|--directives [CASE.ob|DIR...]" >&2
    exit 2
}

run_all() {
    [ $# -ge 1 ] || usage
    OBC=$(obc_binary run-corpus "$1") || exit 2
    shift
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/obc-corpus.XXXXXX") || exit 2
    trap 'rm -rf "$WORK"' EXIT
    trap 'exit 130' INT TERM
    mkdir "$WORK/r"
    # a private copy, so that a rebuild during the run cannot mix binaries
    cp "$OBC" "$WORK/obc" || exit 2
    OBC=$WORK/obc
    absolute_paths "$@" | list_cases >"$WORK/cases"
    n=$(wc -l <"$WORK/cases")
    if [ "$n" -eq 0 ]; then
        echo "corpus: no cases found" >&2
        exit 1
    fi
    TIMEOUT=
    command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout ${OBC_TIMEOUT:-120}"
    if [ "${OBC_SANITIZED:-0}" = 1 ]; then
        ASAN_OPTIONS=detect_leaks=1
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
        export ASAN_OPTIONS UBSAN_OPTIONS
    fi
    jobs=${OBC_JOBS:-$(nproc 2>/dev/null || echo 2)}
    export OBC WORK MODE TIMEOUT
    seq 1 "$n" | xargs -n 1 -P "$jobs" sh "$SELF" --run-case

    failed=0
    nchanged=0
    for i in $(seq 1 "$n"); do
        if [ ! -f "$WORK/r/$i.done" ]; then
            echo "FAIL $(sed -n "${i}p" "$WORK/cases"): the runner did not finish"
            failed=$((failed + 1))
            continue
        fi
        if [ -s "$WORK/r/$i.report" ]; then
            cat "$WORK/r/$i.report"
            failed=$((failed + 1))
        fi
        if [ -s "$WORK/r/$i.changes" ]; then
            cat "$WORK/r/$i.changes"
            nchanged=$((nchanged + $(wc -l <"$WORK/r/$i.changes")))
        fi
    done
    [ "$MODE" = regen ] && echo "corpus: $nchanged golden files changed"
    echo "corpus: $n cases, $failed failed"
    [ "$failed" -eq 0 ]
}

case ${1:-} in
--run-case) # internal: one case, with OBC WORK MODE TIMEOUT from the environment
    run_case "$2"
    ;;
--list)
    shift
    absolute_paths "$@" | list_cases
    ;;
--directives)
    shift
    absolute_paths "$@" | list_cases | while IFS= read -r f; do
        directives "$ROOT/$f" | sed "s|^|$f |"
    done
    ;;
--regen)
    shift
    MODE=regen
    run_all "$@"
    ;;
-h | --help | "")
    usage
    ;;
*)
    MODE=check
    run_all "$@"
    ;;
esac
