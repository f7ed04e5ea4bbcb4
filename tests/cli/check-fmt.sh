#!/bin/sh
# tests/cli/check-fmt.sh - obc fmt on the command line (docs/fmt.md):
# rewriting in place only when the text changes, --check, --diff, '-',
# a syntax error (reported, exit 1, file untouched), several files, a
# symbolic link, a directory and no operand, a missing file and a hostile file name.
#
#   tests/cli/check-fmt.sh OBC
. "$(dirname "$0")/harness.sh"

ugly() {
    printf 'import "std/aws"\nvault v { name = "x";   key=k }\n# keep me\nvault w{name="y"}   # and me\n'
}
pretty() {
    printf 'import "std/aws"\n\nvault v {\n    name = "x"\n    key  = k\n}\n\n# keep me\nvault w { name = "y" }  # and me\n'
}

begin "fmt rewrites a file"
ugly >a.ob
pretty >want.ob
run fmt a.ob
want_rc 0
want_quiet
want_same a.ob want.ob
finish

begin "fmt keeps a rewritten file's permissions"
ugly >a.ob
chmod 640 a.ob
ugly >b.ob
chmod 755 b.ob
run fmt a.ob b.ob
want_rc 0
[ "$(stat -c %a a.ob)" = 640 ] || fail "a.ob has mode $(stat -c %a a.ob), expected 640"
[ "$(stat -c %a b.ob)" = 755 ] || fail "b.ob has mode $(stat -c %a b.ob), expected 755"
want_files . a.ob b.ob
finish

begin "fmt leaves a formatted file alone"
pretty >a.ob
touch -t 200001010000 a.ob
run fmt a.ob
want_rc 0
want_quiet
[ "$(find a.ob -newer "$GEN" | wc -l)" = 0 ] || fail "a.ob was written"
want_files . a.ob
finish

begin "fmt --check lists what would change, writes nothing"
ugly >a.ob
pretty >b.ob
cp a.ob a.orig
run fmt --check a.ob b.ob
want_rc 1
[ "$(cat "$T/stdout")" = "a.ob" ] || fail "stdout is '$(cat "$T/stdout")', expected 'a.ob'"
want_same a.ob a.orig
run fmt --check b.ob
want_rc 0
want_quiet
finish

begin "fmt --diff prints a unified diff, writes nothing"
ugly >a.ob
cp a.ob a.orig
run fmt --diff a.ob
want_rc 1
want_out "--- a/a.ob" "+++ b/a.ob" "@@ -1,4 +1,9 @@" '-vault v { name = "x";   key=k }' "+    key  = k" '+vault w { name = "y" }  # and me'
want_same a.ob a.orig
# the diff applies: patch turns the file into its formatted text
if command -v patch >/dev/null 2>&1; then
    patch -s -p1 <"$T/stdout" >/dev/null 2>&1 || fail "patch refused the diff"
    pretty >want.ob
    want_same a.ob want.ob
fi
pretty >b.ob
run fmt --diff b.ob
want_rc 0
want_quiet
finish

begin "fmt - filters standard input"
ugly >a.ob
run fmt - <a.ob
want_rc 0
pretty >want.ob
want_same "$T/stdout" want.ob
run fmt --check - <a.ob
want_rc 1
[ "$(cat "$T/stdout")" = "<stdin>" ] || fail "--check - printed '$(cat "$T/stdout")'"
finish

begin "fmt: a syntax error is reported and the file left untouched"
printf 'vault v {\n  name = \n}\n' >bad.ob
ugly >a.ob
cp bad.ob bad.orig
run fmt --color never bad.ob a.ob
want_rc 1
want_err "bad.ob:3:1: error[OB1010]"
want_same bad.ob bad.orig
pretty >want.ob
want_same a.ob want.ob
run fmt - <bad.ob
want_rc 1
[ ! -s "$T/stdout" ] || fail "stdout is not empty"
finish

begin "fmt DIR and no operand: every .ob file below, hidden, build and linked directories skipped"
mkdir -p d/sub d/.hidden d/build real
ugly >d/a.ob
ugly >d/sub/b.ob
ugly >d/.hidden/c.ob
ugly >d/build/e.ob
ugly >real/f.ob
ln -s ../real d/link
printf 'not a program\n' >d/notes.txt
run fmt --check d
want_rc 1
want_out "d/a.ob" "d/sub/b.ob"
grep -q "hidden\|build\|link\|notes" "$T/stdout" && fail "a skipped file was listed: $(cat "$T/stdout")"
run fmt d
want_rc 0
pretty >want.ob
want_same d/a.ob want.ob
want_same d/sub/b.ob want.ob
ugly >want.ob
want_same d/.hidden/c.ob want.ob
want_same real/f.ob want.ob
(cd d && "$OBC" fmt --check >"$T/stdout" 2>"$T/stderr"; echo $? >"$T/rc")
[ "$(cat "$T/rc")" = 0 ] || fail "fmt --check with no operand in a formatted tree: exit $(cat "$T/rc")"
finish

begin "fmt: a missing file, a policy document"
run fmt missing.ob
want_rc 2
want_err "cannot read 'missing.ob'"
printf '{"plans": {}}\n' >p.json
cp p.json p.orig
run fmt p.json
want_rc 2
want_err "cannot format 'p.json': obc fmt formats .ob programs"
want_same p.json p.orig
finish

begin "fmt refuses to rewrite through a symbolic link; --check reads through it"
ugly >real.ob
cp real.ob real.orig
ln -s real.ob link.ob
run fmt link.ob
want_rc 2
want_err "refusing to rewrite 'link.ob'" "symbolic link"
[ -L link.ob ] || fail "link.ob is no longer a symbolic link"
want_same real.ob real.orig
run fmt --check link.ob
want_rc 1
want_out "link.ob"
finish

begin "fmt: a hostile file name is printed escaped"
name=$(printf 'x\n::error::forged\033[31m.ob')
ugly >"$name"
run fmt --check "$name"
want_rc 1
want_out 'x\n::error::forged\u{1b}[31m.ob'
! grep -q '^::error' "$T/stdout" || fail "a forged annotation line"
finish

begin "fmt: comments and tokens survive, and twice changes nothing"
cp "$ROOT/examples/central-copy.ob" c.ob
run fmt c.ob
want_rc 0
run fmt --check c.ob
want_rc 0
want_quiet
[ "$(grep -c '#' "$ROOT/examples/central-copy.ob")" = "$(grep -c '#' c.ob)" ] || fail "comments were lost"
finish

summary
