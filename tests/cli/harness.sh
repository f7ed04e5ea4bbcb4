# tests/cli/harness.sh - the harness of the command-line checks, sourced
# by tests/cli/run.sh and every tests/cli/check-*.sh: argument handling,
# a temporary directory, begin/run/want_*/finish, generated programs, and
# summary (which prints "cli: N checks, M failed" and sets the exit code).
#
# A check script: `. "$(dirname "$0")/harness.sh"`, then checks, then
# `summary`. Run as root, assertions that depend on file permissions are
# skipped with a line saying so. No check asserts how long a run takes;
# OBC_TIMEOUT (seconds, default 600) only stops a run that hangs.
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 OBC" >&2
    exit 2
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
OBC=$(obc_binary cli "$1") || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/obc-cli.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
: "${ASAN_OPTIONS:=detect_leaks=1}"
export ASAN_OPTIONS
TIMEOUT=${OBC_TIMEOUT:-600}
if command -v timeout >/dev/null 2>&1; then
    WITH_TIMEOUT="timeout $TIMEOUT"
else
    WITH_TIMEOUT=
fi
IS_ROOT=false
[ "$(id -u)" = 0 ] && IS_ROOT=true
# Sizes from compiler/base.h (LIMIT_*), as docs/limits.md states them.
FILE_LIMIT=8388608

# ---- the harness ---------------------------------------------------------

CHECKS=0
FAILED=0
SKIPPED=0
NAME=
REASON=
RC=0
GEN=$T/gen # inputs shared by several checks
mkdir "$GEN"

# begin NAME: starts a check in a new empty working directory.
begin() {
    NAME=$1
    REASON=
    W=$T/w$((CHECKS + 1))
    mkdir "$W" && cd "$W" || exit 2
    : >"$T/stdout"
    : >"$T/stderr"
}

fail() {
    REASON="${REASON:+$REASON; }$1"
}

# finish: prints the verdict of the check begun last.
finish() {
    CHECKS=$((CHECKS + 1))
    if [ -z "$REASON" ]; then
        printf 'ok   %s\n' "$NAME"
        return
    fi
    FAILED=$((FAILED + 1))
    printf 'FAIL %s: %s\n' "$NAME" "$REASON"
    head -c 2000 "$T/stderr" | sed -n '1,10s/^/     | /p'
}

skip() {
    SKIPPED=$((SKIPPED + 1))
    printf 'skip %s: %s\n' "$1" "$2"
}

# run ARG...: runs OBC (redirections on the call apply to it); sets RC and
# keeps stdout and stderr in $T/stdout and $T/stderr.
run() {
    $WITH_TIMEOUT "$OBC" "$@" >"$T/stdout" 2>"$T/stderr"
    RC=$?
    after_run
}

# run_env NAME=VALUE... -- ARG...: run with these environment variables.
run_env() {
    vars=
    while [ "$1" != -- ]; do
        vars="$vars $1"
        shift
    done
    shift
    # shellcheck disable=SC2086 # one word per NAME=VALUE
    $WITH_TIMEOUT env $vars "$OBC" "$@" >"$T/stdout" 2>"$T/stderr"
    RC=$?
    after_run
}

after_run() {
    if grep -E -q 'Sanitizer|runtime error:|^SUMMARY: ' "$T/stderr"; then
        fail "sanitizer report"
    fi
    if [ "$RC" -ge 124 ]; then
        fail "obc timed out or was killed (status $RC)"
    fi
}

want_rc() {
    [ "$RC" = "$1" ] || fail "exit status $RC, expected $1"
}

# want_err TEXT...: stderr contains each TEXT (fixed strings).
want_err() {
    for w; do
        grep -F -q -e "$w" "$T/stderr" || fail "stderr lacks '$w'"
    done
}

want_no_err() {
    for w; do
        ! grep -F -q -e "$w" "$T/stderr" || fail "stderr has '$w'"
    done
}

want_out() {
    for w; do
        grep -F -q -e "$w" "$T/stdout" || fail "stdout lacks '$w'"
    done
}

want_quiet() {
    [ ! -s "$T/stdout" ] || fail "stdout is not empty"
    [ ! -s "$T/stderr" ] || fail "stderr is not empty"
}

# want_lines N PATTERN: exactly N lines of stderr match the basic regex.
want_lines() {
    n=$(grep -c -e "$2" "$T/stderr")
    [ "$n" = "$1" ] || fail "$n stderr lines match '$2', expected $1"
}

# want_files DIR NAME...: DIR holds exactly these names (hidden ones too).
want_files() {
    dir=$1
    shift
    got=$(ls -A "$dir" 2>/dev/null | tr '\n' ' ')
    exp=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    [ "$got" = "$exp" ] || fail "$dir holds '$got', expected '$exp'"
}

want_same() {
    cmp -s "$1" "$2" || fail "'$1' and '$2' differ"
}

# want_same_tree A B: the two directories hold the same names and bytes.
want_same_tree() {
    [ "$(ls -A "$1" | tr '\n' ' ')" = "$(ls -A "$2" | tr '\n' ' ')" ] || fail "'$1' and '$2' hold different files"
    for f in "$1"/* "$1"/.[!.]*; do
        [ -e "$f" ] || continue
        want_same "$f" "$2/${f##*/}"
    done
}

# ---- generated inputs -----------------------------------------------------

# A clean program: compiles with no diagnostic. Optional: $1 the match
# expression, $2 the policy name, $3 the rule's delete_after.
valid_program() {
    match=${1:-}
    [ -n "$match" ] || match='tag("backup") == "daily"'
    cat <<EOF
import "std/aws"
root org_root = "r-ab12"
organization {
  regions = [eu-west-1]
}
selection tagged {
  role  = default_backup_role
  match = $match
}
vault local {
  name = "org-backup"
}
plan daily {
  select = [tagged]
  rule nightly {
    schedule     = daily at 05:50
    vault        = local
    delete_after = ${3:-35d}
  }
}
policy ${2:-org_backup} {
  plans  = [daily]
  attach = [org_root]
}
EOF
}

# A program whose only mistake is on line 5, column 30, written with the
# line ending $1 ("\n", "\r\n" or "\r").
# shellcheck disable=SC2059 # the format carries the line ending's escape
line5_program() {
    printf "import \"std/aws\"$1root org_root = \"r-ab12\"$1# the mistake below is on line 5$1"
    printf "organization { regions = [eu-west-1] }$1policy org_backup { plans = [nightly]; attach = [org_root] }$1"
}

# repeat N TEXT: TEXT N times, on one line.
repeat() {
    awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}

# LIMIT_FILE_BYTES bytes of 64-byte comment lines, and one byte more.
make_big_files() {
    awk 'BEGIN { l = "# " ; while (length(l) < 63) l = l "x"; for (i = 0; i < 131072; i++) print l }' >"$GEN/limit.ob"
    { cat "$GEN/limit.ob"; echo; } >"$GEN/over.ob"
}

# summary: the closing lines; the exit status of the script.
summary() {
    printf 'cli: %d checks, %d failed\n' "$CHECKS" "$FAILED"
    [ "$SKIPPED" -eq 0 ] || printf 'cli: %d checks skipped (see the skip lines)\n' "$SKIPPED"
    [ "$FAILED" -eq 0 ]
}
