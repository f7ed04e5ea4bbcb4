#!/bin/sh
# check-fmt.sh - `obc fmt` over every .ob file of corpus/ and examples/
# (make fmt-corpus):
#  - a file that lexes and parses is formatted, and formatting the result
#    changes nothing (fmt(fmt(x)) == fmt(x));
#  - each file compiled (obc compile --emit all, from its directory, so
#    its imports resolve) before and after formatting the whole tree:
#    the same exit status, the same diagnostic codes in the same order
#    (their lines may move), and when it compiles, byte-identical output
#    directories;
#  - a file with a syntax error is left untouched.
# The copies live in a temporary directory; the tree is never written.
#
#   tests/check-fmt.sh OBC
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 OBC" >&2
    exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/lib.sh"
OBC=$(obc_binary check-fmt "$1") || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/obc-fmt.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

cd "$ROOT" || exit 2
mkdir "$T/before" "$T/after"
cp -R corpus examples "$T/before/" && cp -R corpus examples "$T/after/" || exit 2
cd "$T/after" || exit 2
FILES=$(find corpus examples -name '*.ob' ! -name '*.out.ob' | LC_ALL=C sort)

failed=0
say() { echo "check-fmt: $*"; failed=$((failed + 1)); }

# Format every file in one run, then check the result in another: nothing
# may change the second time, and the files with syntax errors (named by
# their diagnostics) must be untouched.
total=$(echo "$FILES" | wc -l)
# shellcheck disable=SC2086 # one word per file name: none has a blank
"$OBC" fmt --color never $FILES >"$T/out" 2>"$T/err1"
rc=$?
[ $rc -le 1 ] || say "obc fmt exited $rc: $(head -5 "$T/err1")"
# shellcheck disable=SC2086
"$OBC" fmt --check --color never $FILES >"$T/changed" 2>"$T/err2"
[ -s "$T/changed" ] && say "formatting twice changes: $(head -5 "$T/changed" | tr '\n' ' ')"
cmp -s "$T/err1" "$T/err2" || say "the second run reports other diagnostics than the first"
sed -n 's/^\([^ :]*\.ob\):[0-9]*:[0-9]*: error\[.*/\1/p' "$T/err1" | LC_ALL=C sort -u >"$T/syntax"
while read -r f; do
    cmp -s "$f" "$T/before/$f" || say "$f: has a syntax error, yet was rewritten"
done <"$T/syntax"
formatted=$((total - $(wc -l <"$T/syntax")))

# codes DIR FILE OUT: compiles DIR/FILE into OUT; prints the exit status and the codes.
codes() {
    (cd "$1/$(dirname "$2")" && "$OBC" compile "$(basename "$2")" -o "$3" --emit all --color never \
        --format compact 2>&1 >/dev/null; echo "exit $?") | sed -n 's/.*\[\(OB[0-9]*\)\].*/\1/p; s/^exit /exit /p'
}

# compare N LIST: compares the compilations of the files of LIST (run N of two, in parallel).
compare() {
    n=$1
    while read -r f; do
        rm -rf "$T/o1.$n" "$T/o2.$n"
        codes "$T/before" "$f" "$T/o1.$n" >"$T/c1.$n"
        codes "$T/after" "$f" "$T/o2.$n" >"$T/c2.$n"
        if ! cmp -s "$T/c1.$n" "$T/c2.$n"; then
            echo "check-fmt: $f: compiles differently once formatted:" \
                "$(diff "$T/c1.$n" "$T/c2.$n" | grep '^[<>]' | head -4 | tr '\n' ' ')" >>"$T/failures.$n"
            continue
        fi
        [ -d "$T/o1.$n" ] || continue
        echo "$f" >>"$T/compiled.$n"
        diff -r "$T/o1.$n" "$T/o2.$n" >"$T/d.$n" 2>&1 ||
            echo "check-fmt: $f: its output changes once formatted: $(head -5 "$T/d.$n")" >>"$T/failures.$n"
    done <"$2"
}

echo "$FILES" | awk 'NR % 2 == 1' >"$T/list.0"
echo "$FILES" | awk 'NR % 2 == 0' >"$T/list.1"
for n in 0 1; do
    : >"$T/failures.$n"
    : >"$T/compiled.$n"
done
compare 0 "$T/list.0" &
compare 1 "$T/list.1" &
wait
cat "$T/failures.0" "$T/failures.1"
failed=$((failed + $(cat "$T/failures.0" "$T/failures.1" | wc -l)))
compiled=$(cat "$T/compiled.0" "$T/compiled.1" | wc -l)

# The project's own examples are kept in the canonical layout.
unformatted=$("$OBC" fmt --check $(find examples -name '*.ob' | sort)) || {
    echo "check-fmt: examples not in the layout of obc fmt (run obc fmt on them): $unformatted"
    failed=$((failed + 1))
}

echo "check-fmt: $total files, $formatted formatted (the rest have syntax errors), $compiled compiled to identical outputs, $failed failures"
[ "$failed" -eq 0 ]
