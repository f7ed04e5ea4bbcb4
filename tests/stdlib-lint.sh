#!/bin/sh
# stdlib-lint.sh - static checks on the standard library (stdlib/*.ob) that
# need no compiler:
#   - every resource_type has `arns` (not empty) and `opt_in_name`, except
#     the wildcard type (`any = true`), which has no opt-in name;
#   - every region has a `partition` that names a declared partition;
#   - every region code matches the policy schema's pattern
#     ^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$;
#   - no name is declared twice across the stdlib files (names are global
#     to the program).
#
# Usage: tests/stdlib-lint.sh [DIR]     lint DIR/*.ob (default: stdlib/)
#        tests/stdlib-lint.sh --self-test
#                                       also check that each rule fails on
#                                       a broken file
# Exit status: 0 clean, 1 problems found (listed as FILE:LINE: message),
# 2 usage error. POSIX sh and awk only.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

# lint FILE...: prints one line per problem; exit 1 if there was any.
lint() {
    awk '
    # Strips a comment (outside strings) and blanks string contents, so
    # braces, ";" and "#" inside strings are not seen as syntax.
    function clean(s,    out, i, c, instr, esc) {
        out = ""; instr = 0; esc = 0
        for (i = 1; i <= length(s); i++) {
            c = substr(s, i, 1)
            if (instr) {
                if (esc) { esc = 0; continue }
                if (c == "\\") { esc = 1; continue }
                if (c == "\"") { instr = 0; out = out c }
                continue
            }
            if (c == "#") break
            if (c == "\"") instr = 1
            out = out c
        }
        return out
    }
    function trim(s) { sub(/^[ \t\r]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
    function problem(file, line, msg) { printf "%s:%d: %s\n", file, line, msg; bad = 1 }

    # A declaration KIND NAME at top level: checks it is new.
    function declare(kind, name, file, line,    k) {
        if (name == "") { problem(file, line, kind " without a name"); return }
        k = name
        if (k in seen)
            problem(file, line, "name '\''" name "'\'' declared twice (first at " seen[k] ")")
        else
            seen[k] = file ":" line
        kinds[k] = kind
    }
    # One item inside a top-level block: records the attribute name.
    function attribute(stmt,    w, eq) {
        stmt = trim(stmt)
        if (stmt == "") return
        eq = index(stmt, "=")
        if (eq == 0) { nested++; return }   # a nested block head or string item
        w = trim(substr(stmt, 1, eq - 1))
        attrs[w] = trim(substr(stmt, eq + 1))
    }
    function top_item(stmt, file, line,    n, w) {
        stmt = trim(stmt)
        if (stmt == "") return
        n = split(stmt, w, /[ \t=]+/)
        if (w[1] == "import") return
        if (n >= 2 && w[1] in decl_kinds) declare(w[1], w[2], file, line)
    }
    function begin_block(head, file, line,    n, w) {
        head = trim(head)
        n = split(head, w, /[ \t]+/)
        bkind = w[1]; bname = (n >= 2) ? w[2] : ""
        bfile = file; bline = line
        for (k in attrs) delete attrs[k]
        if (bkind in decl_kinds) declare(bkind, bname, file, line)
    }
    function end_block() {
        if (bkind == "resource_type") {
            if (!("arns" in attrs) || attrs["arns"] ~ /^\[[ \t]*\]$/)
                problem(bfile, bline, "resource_type '\''" bname "'\'' has no arns")
            if (!("opt_in_name" in attrs) && attrs["any"] != "true")
                problem(bfile, bline, "resource_type '\''" bname "'\'' has no opt_in_name")
        } else if (bkind == "region") {
            if (bname !~ /^[a-z][a-z][a-z]?[a-z]?(-[a-z]+)+-[0-9][0-9]?$/)
                problem(bfile, bline, "region code '\''" bname "'\'' does not match ^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$")
            if (!("partition" in attrs))
                problem(bfile, bline, "region '\''" bname "'\'' has no partition")
            else {
                nreg++
                reg_part[nreg] = attrs["partition"]; reg_name[nreg] = bname
                reg_where[nreg] = bfile ":" bline
            }
        }
        bkind = ""
    }
    BEGIN {
        split("account ou root partition region resource_type permissions role key vault selection plan policy", dk, " ")
        for (i in dk) decl_kinds[dk[i]] = 1
        bad = 0; depth = 0; brackets = 0; stmt = ""
    }
    FNR == 1 { depth = 0; brackets = 0; stmt = "" }
    {
        s = clean($0)
        for (i = 1; i <= length(s); i++) {
            c = substr(s, i, 1)
            if (c == "[" || c == "(") brackets++
            else if (c == "]" || c == ")") brackets--
            if (c == "{" && brackets == 0) {
                if (depth == 0) { begin_block(stmt, FILENAME, FNR); stmt = "" }
                else if (depth == 1) { attribute(stmt); stmt = "" }
                depth++
                continue
            }
            if (c == "}" && brackets == 0) {
                if (depth == 1) { attribute(stmt); stmt = ""; end_block() }
                depth--
                continue
            }
            if (c == ";" && brackets == 0) {
                if (depth == 0) top_item(stmt, FILENAME, FNR)
                else if (depth == 1) attribute(stmt)
                stmt = ""
                continue
            }
            if (depth <= 1) stmt = stmt c
        }
        if (brackets == 0) {   # a newline ends an item outside brackets
            if (depth == 0) top_item(stmt, FILENAME, FNR)
            else if (depth == 1) attribute(stmt)
            stmt = ""
        } else
            stmt = stmt " "
    }
    END {
        for (i = 1; i <= nreg; i++) {
            p = reg_part[i]
            if (!(p in kinds) || kinds[p] != "partition") {
                split(reg_where[i], wh, ":")
                problem(wh[1], wh[2], "region '\''" reg_name[i] "'\'' names partition '\''" p "'\'', which is not a declared partition")
            }
        }
        exit bad
    }' "$@"
}

# expect_failure NAME PATTERN: lints $tmp/NAME.ob (plus a valid partition
# file) and checks that it fails with a message matching PATTERN.
expect_failure() {
    if out=$(lint "$tmp/base.ob" "$tmp/$1.ob"); then
        echo "self-test $1: lint passed a broken file" >&2
        return 1
    fi
    if ! printf '%s\n' "$out" | grep -q -- "$2"; then
        echo "self-test $1: expected a message matching '$2', got:" >&2
        printf '%s\n' "$out" >&2
        return 1
    fi
    echo "ok self-test $1"
}

self_test() {
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT INT TERM
    printf 'partition aws { cross_account_copy = true }\n' > "$tmp/base.ob"
    printf 'region eu-central-1 {\n  display = "x" # partition = aws\n  opt_in = false\n}\n' > "$tmp/no-partition.ob"
    printf 'region eu-central-1 { partition = aws-xx }\n' > "$tmp/unknown-partition.ob"
    printf 'region EU-central-1 { partition = aws }\n' > "$tmp/bad-code-case.ob"
    printf 'region eu-central-100 { partition = aws }\n' > "$tmp/bad-code-digits.ob"
    printf 'region europe-central-1 { partition = aws }\n' > "$tmp/bad-code-prefix.ob"
    printf 'resource_type rds {\n  arns = ["rds:*:*:db:*"]\n  continuous_backup = true\n}\n' > "$tmp/no-opt-in.ob"
    printf 'resource_type rds {\n  opt_in_name = "RDS"\n  arns = [\n  ]\n}\n' > "$tmp/empty-arns.ob"
    printf 'resource_type rds { opt_in_name = "RDS # {" }\n' > "$tmp/no-arns.ob"
    printf 'permissions aws = ["kms:Decrypt"]\n' > "$tmp/dup-across.ob"
    printf 'role r { name = "a" }\nkey r {\n  alias = "alias/r"\n}\n' > "$tmp/dup-within.ob"
    expect_failure no-partition "has no partition"
    expect_failure unknown-partition "not a declared partition"
    expect_failure bad-code-case "does not match"
    expect_failure bad-code-digits "does not match"
    expect_failure bad-code-prefix "does not match"
    expect_failure no-opt-in "has no opt_in_name"
    expect_failure empty-arns "has no arns"
    expect_failure no-arns "has no arns"
    expect_failure dup-across "name 'aws' declared twice"
    expect_failure dup-within "name 'r' declared twice"
    # A clean file passes, including the wildcard type without opt_in_name.
    printf 'region eu-central-1 { partition = aws; display = "a;b{" }\nresource_type any { arns = ["*"]; any = true }\n' > "$tmp/clean.ob"
    if ! out=$(lint "$tmp/base.ob" "$tmp/clean.ob"); then
        echo "self-test clean: lint failed a valid file:" >&2
        printf '%s\n' "$out" >&2
        return 1
    fi
    echo "ok self-test clean"
}

case "${1:-}" in
--self-test)
    self_test
    dir="$here/../stdlib"
    ;;
-*)
    echo "usage: $0 [DIR | --self-test]" >&2
    exit 2
    ;;
*)
    dir="${1:-$here/../stdlib}"
    ;;
esac

set -- "$dir"/*.ob
if [ ! -f "$1" ]; then
    echo "stdlib-lint: no .ob files in $dir" >&2
    exit 2
fi
if lint "$@"; then
    echo "stdlib-lint: $# files clean"
else
    exit 1
fi
