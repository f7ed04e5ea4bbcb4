#!/bin/sh
# check-explanations.sh - every diagnostic code has a long explanation,
# docs/codes/OBxxxx.md (what `obc explain --format markdown OBxxxx` prints), and its two
# example programs do what the file says they do.
#
# Usage: tests/check-explanations.sh OBC [CODE...]
#        (with CODEs, only their files are checked; the catalogue always is)
#
# For every code of compiler/codes.def there must be docs/codes/CODE.md,
# and every docs/codes/OB*.md must be a code of codes.def. Each file is
# checked for this structure:
#
#   # CODE: TITLE                   TITLE exactly as in codes.def
#   (blank)
#   Severity: error|warning         as in codes.def
#   ## What is wrong
#   ## Why AWS cares                must cite an AWS page (https://...)
#   ## How to fix it
#   Wrong:                          followed by a fenced ```ob block
#   Right:                          followed by a fenced ```ob block
#
# in that order, each heading once. The Wrong and Right programs are each
# saved as example.ob in a fresh directory of their own and run with
# `OBC check --color never example.ob` there. (Being named example.ob lets a
# program import itself, which is how OB1021's example makes its cycle.)
#   - The Wrong program must report CODE with its severity
#     ("error[CODE]" or "warning[CODE]").
#   - The Right program must not report CODE. It should compile cleanly
#     (exit 0, nothing on stderr); when it reports something else the
#     script prints a note but does not fail.
#   - Neither may exit with status 2 or die of a signal.
# `OBC explain CODE` must print the file byte for byte (the explanations
# are embedded in obc when it is built).
#
# A block may be fenced as ```json instead: a BACKUP_POLICY document,
# saved as example.json and run with `OBC check --color never
# example.json`. A file that says "Command: import" on the line after
# "Severity:" runs `OBC import example.json` instead of check, and one
# that says "Command: check --standalone" (or "Command: check --var
# NAME=VALUE") runs check with those options.
#
# Exception: when the wrong text cannot be written in a Markdown file (NUL
# bytes, invalid UTF-8, control characters: OB1001), the Wrong block may be
# fenced as ```ob-illustration instead of ```ob. It is then only shown,
# not run; the Right block is still run.
#
# A code listed in tests/codes-pending.txt has no check yet: a Wrong
# program that does not report it is a note there, not a failure.
#
# Prints one line per problem and a summary; exits 1 if there was any
# problem, 2 on a usage error. POSIX sh with awk, sed, grep, comm and cmp.
set -u

if [ $# -lt 1 ]; then
    echo "usage: tests/check-explanations.sh OBC [CODE...]" >&2
    exit 2
fi
case $1 in
/*) OBC=$1 ;;
*/*) OBC=$(pwd)/$1 ;;
*) OBC=$(command -v "$1") || OBC=$1 ;;
esac
if [ ! -x "$OBC" ]; then
    echo "check-explanations: '$1' is not an executable" >&2
    exit 2
fi
shift
ONLY=" $* "

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CODES_DEF=$ROOT/compiler/codes.def
DOCS=$ROOT/docs/codes
PENDING=$ROOT/tests/codes-pending.txt

WORK=$(mktemp -d "${TMPDIR:-/tmp}/obc-explain.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
trap 'exit 2' HUP INT TERM

problems=0
notes=0
checked=0

problem() {
    echo "$*"
    problems=$((problems + 1))
}

note() {
    echo "note: $*"
    notes=$((notes + 1))
}

# ---- the catalogue -------------------------------------------------------

# "OB1001<TAB>error<TAB>invalid byte: ..." per code of codes.def.
awk '
    /^DIAG_CODE\(/ {
        id = $0; sub(/^DIAG_CODE\([ \t]*/, "", id); sub(/[ \t]*,.*/, "", id)
        if (!match($0, /SEV_[A-Z]+/)) next
        sev = tolower(substr($0, RSTART + 4, RLENGTH - 4))
        title = $0; sub(/^[^"]*"/, "", title); sub(/"[^"]*$/, "", title)
        printf "%s\t%s\t%s\n", id, sev, title
    }
' "$CODES_DEF" >"$WORK/codes"
if [ ! -s "$WORK/codes" ]; then
    echo "check-explanations: no DIAG_CODE rows in $CODES_DEF" >&2
    exit 2
fi
cut -f1 "$WORK/codes" | LC_ALL=C sort >"$WORK/code-ids"
if [ -f "$PENDING" ]; then
    awk '{ sub(/#.*/, ""); for (i = 1; i <= NF; i++) print $i }' "$PENDING" >"$WORK/pending"
else
    : >"$WORK/pending"
fi

for f in "$DOCS"/OB*.md; do
    [ -f "$f" ] && basename "$f" .md
done | LC_ALL=C sort >"$WORK/file-ids"
for id in $(LC_ALL=C comm -23 "$WORK/code-ids" "$WORK/file-ids"); do
    problem "$id: no docs/codes/$id.md"
done
for id in $(LC_ALL=C comm -13 "$WORK/code-ids" "$WORK/file-ids"); do
    problem "docs/codes/$id.md: $id is not a code of compiler/codes.def"
done

# ---- one file ------------------------------------------------------------

# check_structure FILE ID SEVERITY TITLE: prints one line per problem.
check_structure() {
    awk -v id="$2" -v sev="$3" -v title="$4" '
        function bad(msg) { print FILENAME ": " msg; failed = 1 }
        { sub(/\r$/, "") }
        NR == 1 && $0 != "# " id ": " title { bad("line 1 must be \"# " id ": " title "\"") }
        NR == 2 && $0 != "" { bad("line 2 must be empty") }
        NR == 3 && $0 != "Severity: " sev { bad("line 3 must be \"Severity: " sev "\"") }
        /^```/ { fence = !fence }
        fence && !/^```/ { next }
        /^## / || /^(Wrong|Right):$/ {
            seen[$0]++
            order[++n] = $0
            if ($0 == "## Why AWS cares") in_why = 1
            else in_why = 0
            next
        }
        in_why && /https:\/\// { cited = 1 }
        END {
            want[1] = "## What is wrong"; want[2] = "## Why AWS cares"
            want[3] = "## How to fix it"; want[4] = "Wrong:"; want[5] = "Right:"
            for (i = 1; i <= 5; i++) {
                if (seen[want[i]] != 1)
                    bad("needs exactly one \"" want[i] "\" (found " seen[want[i]] + 0 ")")
            }
            k = 1
            for (i = 1; i <= n && k <= 5; i++)
                if (order[i] == want[k]) k++
            if (k <= 5 && !failed)
                bad("the sections must come in this order: What is wrong, Why AWS cares, How to fix it, Wrong:, Right:")
            if (n > 5)
                bad("unexpected extra headings")
            if (!cited)
                bad("\"## Why AWS cares\" must cite an AWS page (https://...)")
            if (fence)
                bad("a code block is not closed")
        }
    ' "$1"
}

# extract FILE LABEL OUT: writes the fenced block that follows the line
# LABEL ("Wrong:" or "Right:") to OUT and prints its fence language
# ("ob", "ob-illustration"), or nothing when there is no block.
extract() {
    awk -v label="$2" -v out="$3" '
        { sub(/\r$/, "") }
        state == 0 && $0 == label { state = 1; next }
        state == 1 && /^[ \t]*$/ { next }
        state == 1 && /^```/ { lang = substr($0, 4); state = 2; printf "" >out; next }
        state == 1 { exit }
        state == 2 && /^```[ \t]*$/ { state = 3; exit }
        state == 2 { print >out }
        END { if (state == 3) print lang }
    ' "$1"
}

# place DIR LANG: names the extracted block DIR/example.src after its
# language: example.ob, or example.json for a ```json block.
place() {
    case $2 in
    json) mv "$1/example.src" "$1/example.json" ;;
    *) mv "$1/example.src" "$1/example.ob" 2>/dev/null ;;
    esac
}

# run_example DIR: runs OBC check (or OBC import, see COMMAND) on
# DIR/example.ob or DIR/example.json; leaves DIR/stderr and DIR/status.
run_example() {
    if [ -f "$1/example.json" ]; then
        # shellcheck disable=SC2086 # COMMAND is a command and its options
        (cd "$1" && "$OBC" $COMMAND --color never example.json >stdout 2>stderr)
    else
        (cd "$1" && "$OBC" check --color never example.ob >stdout 2>stderr)
    fi
    echo $? >"$1/status"
}

# crashed DIR: true when the run ended with status 2 or a signal.
crashed() {
    status=$(cat "$1/status")
    [ "$status" -eq 2 ] || [ "$status" -gt 128 ]
}

check_file() {
    id=$1 sev=$2 title=$3
    file=$DOCS/$id.md
    rel=docs/codes/$id.md
    [ -f "$file" ] || return 0
    checked=$((checked + 1))
    out=$(check_structure "$file" "$id" "$sev" "$title" | sed "s|^$file|$rel|")
    if [ -n "$out" ]; then
        printf '%s\n' "$out"
        problems=$((problems + $(printf '%s\n' "$out" | wc -l)))
    fi

    if ! "$OBC" explain --format markdown "$id" | cmp -s - "$file"; then
        problem "$rel: 'obc explain --format markdown $id' does not print this file (rebuild obc?)"
    fi

    mkdir -p "$WORK/$id/wrong" "$WORK/$id/right"
    wrong_lang=$(extract "$file" "Wrong:" "$WORK/$id/wrong/example.src")
    right_lang=$(extract "$file" "Right:" "$WORK/$id/right/example.src")
    place "$WORK/$id/wrong" "$wrong_lang"
    place "$WORK/$id/right" "$right_lang"
    COMMAND=check
    case $(sed -n 4p "$file") in
    "Command: import") COMMAND=import ;;
    "Command: check --standalone") COMMAND="check --standalone" ;;
    "Command: check --var "*) COMMAND=$(sed -n 4p "$file" | sed "s/^Command: //") ;;
    esac

    case $wrong_lang in
    ob | json)
        run_example "$WORK/$id/wrong"
        if crashed "$WORK/$id/wrong"; then
            problem "$rel: the Wrong program made obc exit with status $(cat "$WORK/$id/wrong/status")"
        elif ! grep -qF "${sev}[$id]" "$WORK/$id/wrong/stderr"; then
            if grep -qx "$id" "$WORK/pending"; then
                note "$rel: the Wrong program does not report $id yet (pending in tests/codes-pending.txt)"
            else
                problem "$rel: the Wrong program does not report ${sev}[$id]; obc said:"
                sed 's/^/    /' "$WORK/$id/wrong/stderr"
            fi
        fi
        ;;
    ob-illustration)
        ;;
    '')
        problem "$rel: no fenced code block after \"Wrong:\""
        ;;
    *)
        problem "$rel: the Wrong block is fenced as '$wrong_lang'; use ob or json (or ob-illustration)"
        ;;
    esac

    case $right_lang in
    ob | json)
        run_example "$WORK/$id/right"
        if crashed "$WORK/$id/right"; then
            problem "$rel: the Right program made obc exit with status $(cat "$WORK/$id/right/status")"
        elif grep -qF "[$id]" "$WORK/$id/right/stderr"; then
            problem "$rel: the Right program still reports $id; obc said:"
            sed 's/^/    /' "$WORK/$id/right/stderr"
        elif [ "$(cat "$WORK/$id/right/status")" -ne 0 ] || [ -s "$WORK/$id/right/stderr" ]; then
            note "$rel: the Right program does not compile cleanly; obc said:"
            sed 's/^/    /' "$WORK/$id/right/stderr"
        fi
        ;;
    '')
        problem "$rel: no fenced code block after \"Right:\""
        ;;
    *)
        problem "$rel: the Right block is fenced as '$right_lang'; use ob or json"
        ;;
    esac
}

while IFS="$(printf '\t')" read -r id sev title; do
    case $ONLY in
    "  " | *" $id "*) check_file "$id" "$sev" "$title" ;;
    esac
done <"$WORK/codes"

echo "explanations: $(wc -l <"$WORK/codes" | tr -d ' ') codes, $checked files checked, $problems problems, $notes notes"
[ "$problems" -eq 0 ]
