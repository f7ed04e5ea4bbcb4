#!/bin/sh
# tests/cli/run.sh - hardening tests of the obc command line against bad
# input: odd bytes and line endings, huge and deeply nested inputs, every
# documented limit (docs/limits.md) just below and just above its bound,
# inputs that cannot be read, outputs that cannot be written, and
# byte-for-byte determinism.
#
#   tests/cli/run.sh OBC
#   ASAN_OPTIONS=detect_leaks=1 tests/cli/run.sh build/asan/obc
#
# Every check runs OBC on input generated in a fresh temporary directory
# and asserts the exact exit status and a distinctive part of the message
# (with its line:col where there is one). Any sanitizer report fails the
# check, so the same script serves the sanitizer build. Prints one line per
# check and "cli: N checks, M failed"; exits 1 when a check failed.
#
# Run as root, file permissions do not stop reads and writes, so the
# assertions that depend on them are skipped, with a line saying so.
# No check asserts how long a run takes (speed is `make bench`'s job);
# OBC_TIMEOUT (seconds, default 600) only stops a run that hangs.
. "$(dirname "$0")/harness.sh"

# ---- empty programs ---------------------------------------------------------

empty_program() { # NAME CONTENT-PRINTF
    begin "$1"
    # shellcheck disable=SC2059 # the content is written as printf escapes
    printf "$2" >in.ob
    run compile in.ob -o out
    want_rc 0
    want_quiet
    want_files out obc.manifest.json
    grep -q '"policies": \[\]' out/obc.manifest.json || fail "the manifest lists policies"
    grep -q '"keys": \[\]' out/obc.manifest.json || fail "the manifest lists keys"
    if [ -f "$GEN/empty.manifest.json" ]; then
        want_same out/obc.manifest.json "$GEN/empty.manifest.json"
    else
        cp out/obc.manifest.json "$GEN/empty.manifest.json"
    fi
    finish
}

empty_program "empty file: exit 0, silent, only the manifest" ''
empty_program "only comments: same manifest as the empty file" '# one\n#\n   # three\n# \342\202\254 in a comment\n'
empty_program "only whitespace, tabs and newlines: same manifest" '   \n\n\t\t\n \r\n\r\n\r\r\n'
empty_program "a lone byte-order mark: same manifest" '\357\273\277'
empty_program "a byte-order mark, then comments: same manifest" '\357\273\277# c\n'

begin "empty program on standard input ('-' from /dev/null)"
run compile - -o out </dev/null
want_rc 0
want_quiet
want_files out obc.manifest.json
want_same out/obc.manifest.json "$GEN/empty.manifest.json"
finish

# ---- bytes: binary, NUL, invalid UTF-8, byte-order marks ------------------

begin "4 KiB of pseudo-random bytes: OB1001 at 1:1, no crash"
# A fixed linear congruential sequence, so every run sees the same bytes.
LC_ALL=C awk 'BEGIN { s = 12345; for (i = 0; i < 4096; i++) { s = (s * 1103515245 + 12345) % 2147483648; printf "%c", int(s / 65536) % 256 } }' >bin.ob
run check bin.ob
want_rc 1
want_err 'bin.ob:1:1: error[OB1001]: invalid UTF-8 byte 0xDC' 'more diagnostics not shown (limit 200)'
[ "$(wc -c <bin.ob)" -eq 4096 ] || fail "the generator did not write 4096 bytes"
tail -n 1 "$T/stderr" | grep -q '^obc: [0-9]* errors, 0 warnings$' || fail "no summary line"
finish

begin "NUL bytes in code, a comment and a string: OB1001 at each"
printf 'import "std/aws"\n\000\n# a\000b\nx = "c\000d"\n' >nul.ob
run check nul.ob
want_rc 1
want_err 'nul.ob:2:1: error[OB1001]: NUL byte in the source' \
    'nul.ob:3:4: error[OB1001]: NUL byte in the source' \
    'nul.ob:4:7: error[OB1001]: NUL byte in the source'
finish

begin "invalid UTF-8 (stray, overlong, surrogate, truncated at EOF): OB1001 at each"
printf '# ok \303\251\nx = "\377"\n# overlong \300\257\n# surrogate \355\240\200\ny = \342\202' >utf.ob
run check utf.ob
want_rc 1
want_err 'utf.ob:2:6: error[OB1001]: invalid UTF-8 byte 0xFF' \
    'utf.ob:3:12: error[OB1001]: invalid UTF-8 byte 0xC0' \
    'utf.ob:4:13: error[OB1001]: invalid UTF-8 byte 0xED' \
    'utf.ob:5:5: error[OB1001]: invalid UTF-8 byte 0xE2'
want_no_err 'utf.ob:1:'
finish

begin "a byte-order mark in the middle of a file: OB1001 at its line:col"
printf '# first line\n\357\273\277# second\n# x \357\273\277\n' >bom.ob
run check bom.ob
want_rc 1
want_err 'bom.ob:2:1: error[OB1001]: byte-order mark in the middle of the file' \
    'bom.ob:3:5: error[OB1001]: byte-order mark in the middle of the file'
want_lines 2 'error\[OB1001\]'
finish

begin "two byte-order marks at the start: the second is OB1001 at 1:4"
printf '\357\273\277\357\273\277# c\n' >bom2.ob
run check bom2.ob
want_rc 1
want_err 'bom2.ob:1:4: error[OB1001]: byte-order mark in the middle of the file'
finish

# ---- line endings and columns -----------------------------------------------

line_ending() { # NAME ENDING
    begin "$1"
    line5_program "$2" >le.ob
    run check le.ob
    want_rc 1
    want_err "le.ob:5:30: error[OB2001]: unknown plan 'nightly'"
    want_lines 1 'error\['
    finish
}
line_ending "CRLF line endings: the mistake is reported at 5:30" '\r\n'
line_ending "lone CR line endings: the mistake is reported at 5:30" '\r'
line_ending "LF line endings: the mistake is reported at 5:30" '\n'

begin "mixed LF, CRLF and CR in one file: reported at 5:30"
printf 'import "std/aws"\r\nroot org_root = "r-ab12"\r# the mistake below is on line 5\norganization { regions = [eu-west-1] }\r\npolicy org_backup { plans = [nightly]; attach = [org_root] }' >mix.ob
run check mix.ob
want_rc 1
want_err "mix.ob:5:30: error[OB2001]: unknown plan 'nightly'"
finish

begin "tabs count as one column (docs/language.md)"
printf 'import "std/aws"\nroot org_root = "r-ab12"\n\n\t\torganization { regions = [eu-west-1] }\n\t\tpolicy org_backup {\tplans = [nightly]; attach = [org_root] }\n' >tab.ob
run check tab.ob
want_rc 1
want_err "tab.ob:5:32: error[OB2001]: unknown plan 'nightly'"
finish

# ---- a 1 MB line -------------------------------------------------------------

begin "a 1 MB line with a mistake at its end: a window of it"
{
    printf 'import "std/aws"\nroot org_root = "r-ab12"\norganization { regions = [eu-west-1] }\npolicy org_backup { description = "'
    repeat 1000000 x
    printf '"; plans = [nightly]; attach = [org_root] }\n'
} >long.ob
run check long.ob
want_rc 1
want_err "long.ob:4:1000048: error[OB2001]: unknown plan 'nightly'" '...xxx'
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/stderr")
[ "$longest" -le 200 ] || fail "a diagnostic line is $longest bytes long"
finish

begin "a 1 MB line of 250,000 list items, each an error"
{
    printf 'import "std/aws"\npermissions p = ['
    repeat 250000 'a, '
    printf 'a]\n'
} >tokens.ob
run check tokens.ob
want_rc 1
want_err 'tokens.ob:2:18: error[OB2003]: expected a string, found' 'obc: 250001 errors, 0 warnings'
finish

# ---- unterminated strings at the end of the file -----------------------------

begin "an unterminated string at EOF without a final newline: OB1002"
printf 'import "std/aws"\nroot org_root = "r-ab' >unterminated.ob
run check unterminated.ob
want_rc 1
want_err 'unterminated.ob:2:17: error[OB1002]: unterminated string'
finish

begin "an unterminated string ending in a backslash at EOF: OB1002"
printf 'root r = "abc\\' >backslash.ob
run check backslash.ob
want_rc 1
want_err 'backslash.ob:1:10: error[OB1002]: unterminated string'
finish

# ---- inputs that cannot be read ---------------------------------------------

begin "a directory as input: exit 2"
mkdir dir.ob
run check dir.ob
want_rc 2
want_err "obc: error: no program in 'dir.ob': it is a directory"
finish

begin "a missing file: exit 2, and nothing is written"
valid_program >good.ob
run compile good.ob missing.ob -o out
want_rc 2
want_err "obc: error: cannot read 'missing.ob': No such file or directory"
[ ! -e out ] || fail "the output directory was created"
finish

if $IS_ROOT; then
    skip "an unreadable file (chmod 000): exit 2" "running as root, which reads it anyway"
    skip "an unreadable imported file: OB1020" "running as root, which reads it anyway"
else
    begin "an unreadable file (chmod 000): exit 2"
    valid_program >locked.ob
    chmod 000 locked.ob
    run check locked.ob
    want_rc 2
    want_err "obc: error: cannot read 'locked.ob': Permission denied"
    finish

    begin "an unreadable imported file: OB1020 at the import"
    printf '# locked\n' >locked.ob
    chmod 000 locked.ob
    printf 'import "locked.ob"\n' >main.ob
    run check main.ob
    want_rc 1
    want_err "main.ob:1:8: error[OB1020]: cannot import 'locked.ob': Permission denied"
    finish
fi

begin "standard input closed ('check - <&-'): exit 2"
run check - <&-
want_rc 2
want_err "obc: error: cannot read '<stdin>': Bad file descriptor"
finish

begin "standard input from /dev/null: an empty program, exit 0"
run check - </dev/null
want_rc 0
want_quiet
finish

begin "a program on standard input: diagnostics name <stdin>"
line5_program '\n' >le.ob
run check - <le.ob
want_rc 1
want_err "<stdin>:5:30: error[OB2001]: unknown plan 'nightly'"
finish

begin "the same file named three ways is read once"
valid_program >good.ob
run check good.ob ./good.ob "$W/good.ob"
want_rc 0
want_quiet
finish

begin "importing a directory, a FIFO and /dev/null: OB1020 and OB1022, no hang"
mkdir sub.ob
mkfifo pipe.ob
printf 'import "sub"\nimport "pipe.ob"\nimport "/dev/null"\n' >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1020]: cannot import 'sub.ob': not a regular file" \
    "main.ob:2:8: error[OB1020]: cannot import 'pipe.ob': not a regular file" \
    "main.ob:3:8: error[OB1022]: import '/dev/null' is an absolute path, outside the program's root '.'"
finish

# ---- outputs that cannot be written -------------------------------------------

begin "an output directory that does not exist is created with its parents"
valid_program >good.ob
run compile good.ob -o new/a/b/
want_rc 0
want_quiet
want_files new/a/b obc.manifest.json org_backup.json
finish

begin "an output path whose parent is a file: exit 2"
valid_program >good.ob
: >afile
run compile good.ob -o afile/sub
want_rc 2
want_err "obc: error: cannot create directory 'afile/sub': it, or a path above it, exists and is not a directory"
finish

begin "an output path that is a file (-o /dev/full): exit 2"
valid_program >good.ob
run compile good.ob -o /dev/full
want_rc 2
want_err "obc: error: cannot create directory '/dev/full': it, or a path above it, exists and is not a directory"
finish

begin "a directory inside the output directory: exit 2, old files untouched"
valid_program >good.ob
run compile good.ob -o out
mkdir saved && cp out/obc.manifest.json saved/
rm out/org_backup.json && mkdir out/org_backup.json
valid_program 'tag("backup") == "hourly"' >good.ob
run compile good.ob -o out
want_rc 2
want_err "obc: error: cannot replace 'out': it holds 'org_backup.json', which is not an output file of obc"
want_same out/obc.manifest.json saved/obc.manifest.json
want_files out obc.manifest.json org_backup.json
finish

if $IS_ROOT; then
    skip "an output directory whose parent is not writable (chmod 555): exit 2" "running as root, which writes anyway"
else
    begin "an output directory whose parent is not writable (chmod 555): exit 2, old files untouched"
    mkdir p
    valid_program >good.ob
    run compile good.ob -o p/out
    mkdir saved && cp p/out/* saved/
    chmod 555 p
    valid_program 'tag("backup") == "hourly"' >good.ob
    run compile good.ob -o p/out
    want_rc 2
    want_err "obc: error: cannot create directory 'p/out': Permission denied"
    want_same_tree p/out saved
    chmod 755 p
    finish
fi

begin "a short write (ulimit -f): exit 2, no temporary left, old files untouched"
# Policies are written before the manifest (name order: a_backup.json
# first), so the first temporary is complete when the manifest's write
# fails: it must be removed too. 3 blocks are 1536 or 3072 bytes (the
# unit of ulimit -f depends on the shell): the policy fits, the manifest
# does not.
valid_program '' a_backup >good.ob
run compile good.ob -o out
mkdir saved && cp out/* saved/
valid_program '' a_backup 36d >good.ob
(
    ulimit -f 3
    run compile good.ob -o out
    exit $RC
)
RC=$?
after_run
want_rc 2
want_err "obc: error: cannot write 'out/obc.manifest.json': File too large"
want_same_tree out saved
[ "$(wc -c <saved/a_backup.json)" -lt 1536 ] || fail "the policy is too large for this check"
[ "$(wc -c <saved/obc.manifest.json)" -gt 3072 ] || fail "the manifest is too small for this check"
finish

begin "a failed compile writes nothing: earlier output stays byte-identical"
valid_program >good.ob
run compile good.ob -o out
mkdir saved && cp out/* saved/
valid_program 'tag("backup") == "hourly"' org_backup 35x >good.ob
run compile good.ob -o out
want_rc 1
want_err "good.ob:18:20: error[OB1004]: unknown duration unit 'x' in '35x'"
want_same_tree out saved
run compile good.ob -o fresh
want_rc 1
[ ! -e fresh ] || fail "the output directory of a failed compile was created"
finish

begin "standard output that cannot be written (--format json >/dev/full): exit 2, nothing written"
valid_program >good.ob
$WITH_TIMEOUT "$OBC" check --format json good.ob >/dev/full 2>"$T/stderr"
RC=$?
after_run
want_rc 2
want_err "obc: error: cannot write to standard output: No space left on device"
want_lines 1 'cannot write'
$WITH_TIMEOUT "$OBC" compile --format json good.ob -o out >&- 2>"$T/stderr"
RC=$?
after_run
want_rc 2
want_err "obc: error: cannot write to standard output: Bad file descriptor"
want_lines 1 'cannot write'
[ ! -e out ] || fail "the files were written although the report could not be"
finish

# ---- determinism ----------------------------------------------------------

begin "determinism: same bytes twice, from another directory, locale and TZ"
EX=$ROOT/examples/organization
run_env LANG=C LC_ALL=C TZ=UTC -- compile "$EX/main.ob" -o "$W/a"
want_rc 0
run_env LANG=C LC_ALL=C TZ=UTC -- compile "$EX/main.ob" -o "$W/b"
want_rc 0
(cd "$EX" && exec $WITH_TIMEOUT env LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=Pacific/Kiritimati "$OBC" compile main.ob -o "$W/c" \
    >"$T/stdout" 2>"$T/stderr")
RC=$?
after_run
want_rc 0
[ "$(ls a | wc -l)" -ge 2 ] || fail "no policy was written"
want_same_tree a b
want_same_tree a c
finish

# ---- limits (docs/limits.md) ----------------------------------------------

make_big_files

begin "a file of exactly LIMIT_FILE_BYTES (8 MiB of comments) is accepted"
[ "$(wc -c <"$GEN/limit.ob")" -eq $FILE_LIMIT ] || fail "the generator did not write $FILE_LIMIT bytes"
run check "$GEN/limit.ob"
want_rc 0
want_quiet
finish

begin "one byte more is refused: exit 2"
run check "$GEN/over.ob"
want_rc 2
want_err "obc: error: cannot read '$GEN/over.ob': larger than the 8388608-byte limit"
finish

begin "on standard input too: 8 MiB accepted, one byte more refused"
run check - <"$GEN/limit.ob"
want_rc 0
want_quiet
run check - <"$GEN/over.ob"
want_rc 2
want_err "obc: error: cannot read '<stdin>': larger than the 8388608-byte limit"
finish

begin "an imported file over the limit: OB1030 at the import"
ln -s "$GEN/over.ob" over.ob
printf '# big\nimport "../gen/over.ob"\nimport "over.ob"\n' >main.ob
run check --root "$T" main.ob
want_rc 1
want_err "main.ob:2:8: error[OB1030]: imported file '../gen/over.ob' is larger than 8388608 bytes" \
    "main.ob:3:8: error[OB1030]: imported file 'over.ob' is larger than 8388608 bytes"
finish

# Brackets: the selection's '{' and the '(' of tag( are two of them.
begin "64 nested brackets are accepted"
valid_program "$(repeat 62 '(')tag(\"backup\") == \"daily\"$(repeat 62 ')')" >nest.ob
run check nest.ob
want_rc 0
want_quiet
finish

begin "65 nested brackets: OB1030 at the 65th"
valid_program "$(repeat 63 '(')tag(\"backup\") == \"daily\"$(repeat 63 ')')" >nest.ob
run check nest.ob
want_rc 1
want_err 'nest.ob:8:77: error[OB1030]: brackets nested more than 64 deep'
want_lines 1 'error\['
finish

begin "65 nested blocks: OB1030 at the 65th '{'"
{
    repeat 65 'vault v {'
    repeat 65 '}'
    echo
} >blocks.ob
run check blocks.ob
want_rc 1
want_err 'blocks.ob:1:585: error[OB1030]: brackets nested more than 64 deep'
finish

# Depth: 'x and y' of two comparisons is 4 deep; each 'not' adds one.
begin "an expression 64 deep is accepted"
valid_program "$(repeat 60 'not ')(tag(\"backup\") == \"daily\" and tag(\"env\") == \"prod\")" >depth.ob
run check depth.ob
want_rc 0
want_quiet
finish

begin "an expression 65 deep: OB1030 at the expression"
valid_program "$(repeat 61 'not ')(tag(\"backup\") == \"daily\" and tag(\"env\") == \"prod\")" >depth.ob
run check depth.ob
want_rc 1
want_err 'depth.ob:8:11: error[OB1030]: expression nested more than 64 deep'
want_lines 1 'error\['
finish

begin "a chain of 20,000 'not': OB1030 (parser stack), no crash"
valid_program "$(repeat 20000 'not ')tag(\"backup\") == \"daily\"" >nots.ob
run check nots.ob
want_rc 1
want_err 'nots.ob:8:' 'error[OB1030]: input nested too deeply'
want_lines 1 'error\['
finish

# The import chain f1 -> f2 -> ... -> fN.
import_chain() { # N
    awk -v n="$1" 'BEGIN { for (i = 1; i < n; i++) { f = "f" i ".ob"; printf "import \"f%d.ob\"\n", i + 1 > f; close(f) }
                           f = "f" n ".ob"; print "# the end of the chain" > f; close(f) }'
}

begin "an import chain 32 files long is accepted"
import_chain 32
run check f1.ob
want_rc 0
want_no_err 'error['
finish

begin "an import chain 33 files long: OB1030 at the 33rd import"
import_chain 33
run check f1.ob
want_rc 1
want_err 'f32.ob:1:8: error[OB1030]: imports nested more than 32 deep'
want_lines 1 'error\['
finish

# main.ob imports m1.ob .. mN.ob, each empty.
many_files() { # N
    awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) { f = "m" i ".ob"; print "# file " i > f; close(f)
                                                     printf "import \"m%d.ob\"\n", i > "main.ob" } }'
}

begin "1000 files in one program are accepted (and 200 of 999 warnings shown)"
many_files 999
run check main.ob
want_rc 0
want_no_err 'error['
want_lines 200 'warning\[OB9002\]'
want_err 'obc: 799 more diagnostics not shown (limit 200)' 'obc: 0 errors, 999 warnings'
finish

begin "1001 files: OB1030 at the import that goes past the limit"
many_files 1000
run check main.ob
want_rc 1
want_err "main.ob:1000:8: error[OB1030]: more than 1000 files in one program"
want_lines 1 'error\['
finish

begin "1001 files on the command line: exit 2"
many_files 1000
run check m*.ob main.ob
want_rc 2
want_err "obc: error: more than 1000 input files"
finish

# Diagnostics shown: N lines with an error each.
bad_lines() { # N
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print "x = 1 !" }'
}

begin "200 diagnostics are all shown"
bad_lines 200 >bad.ob
run check bad.ob
want_rc 1
want_lines 200 'error\['
want_no_err 'not shown'
want_err 'obc: 200 errors, 0 warnings'
finish

begin "201 diagnostics: 200 shown, the rest counted, in text and JSON"
bad_lines 201 >bad.ob
run check bad.ob
want_rc 1
want_lines 200 'error\['
want_err 'bad.ob:200:7: error[OB1010]' 'obc: 1 more diagnostic not shown (limit 200)' 'obc: 201 errors, 0 warnings'
want_no_err 'bad.ob:201:'
run check --format json bad.ob
want_rc 1
want_out '"errors": 201' '"not_shown": 1'
finish

# ---- long lists and many declarations -----------------------------------------
# Lists have no length limit (the file size bounds them), so everything
# done per item must stay linear: duplicate checks use hash maps, and "did
# you mean" searches stop once no more diagnostics are shown. Each of
# these took minutes or longer before. Here they only must give the right
# answer; their speed is a budget of `make bench` (instruction counts of
# the same shapes at two sizes, tests/bench/budgets.txt), not a clock here.

# with_match FILE: the clean program with its match expression replaced
# by standard input, written to FILE.
with_match() {
    valid_program >"$T/template.ob"
    {
        sed -n '1,7p' "$T/template.ob"
        printf '  match = '
        cat
        echo
        sed -n '9,$p' "$T/template.ob"
    } >"$1"
}

begin "a list of 1,000,000 equal values: accepted"
{
    printf 'tag("backup") in ['
    repeat 999999 '"a", '
    printf '"a"]'
} | with_match list.ob
run check list.ob
want_rc 0
want_quiet
finish

begin "a list of 500,000 different values: one OB5005"
{
    printf 'tag("backup") in ['
    awk 'BEGIN { for (i = 1; i < 500000; i++) printf "\"v%d\", ", i; printf "\"v0\"]" }'
} | with_match values.ob
run check values.ob
want_rc 1
want_err "values.ob:8:11: error[OB5005]: this 'in' list has 500000 tag values, AWS allows at most 30 in one selection"
want_lines 1 'error\['
finish

begin "a tag map of 300,000 keys, some differing only in case"
valid_program >"$T/template.ob"
{
    sed -n '1,13p' "$T/template.ob"
    awk 'BEGIN { print "  tags = {"; for (i = 0; i < 150000; i++) printf "    k%d = \"v\"\n    K%d = \"w\"\n", i, i; print "  }" }'
    sed -n '14,$p' "$T/template.ob"
} >tags.ob
run check tags.ob
want_rc 1
want_err "tags.ob:16:5: error[OB8006]: tag keys 'k0' and 'K0' of plan 'daily' differ only in case" \
    'error[OB8005]: plan' 'obc: 150002 errors, 0 warnings'
finish

begin "a policy attached 1,000,000 times to one root: OB2006 for each repetition"
{
    valid_program
    printf 'root r = "r-cd34"\npolicy all {\n  plans = [daily]\n  attach = ['
    repeat 999999 'r, '
    printf 'r]\n}\n'
} >attach.ob
run check attach.ob
want_rc 1
want_err "attach.ob:28:16: error[OB2006]: 'r' is listed twice" 'obc: 999999 errors, 0 warnings'
finish

begin "a vault that accepts copies from 100,000 accounts: clean"
valid_program >"$T/template.ob"
{
    sed -n '1,10p' "$T/template.ob"
    awk 'BEGIN { printf "  accept_copies_from = ["
                 for (i = 0; i < 100000; i++) printf "%sa%d", i ? ", " : "", i
                 print "]" }'
    sed -n '11,$p' "$T/template.ob"
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "account a%d = \"1%011d\"\n", i, i }'
} >accounts.ob
run check accounts.ob
want_rc 0
want_quiet
finish

begin "20,000 rules in one plan: OB8004 (rules past AWS's 10 are not compared)"
valid_program >"$T/template.ob"
{
    sed -n '1,19p' "$T/template.ob"
    awk 'BEGIN { for (i = 0; i < 20000; i++) printf "  rule r%d { schedule = daily at 05:50; vault = local; delete_after = 35d }\n", i }'
    sed -n '20,$p' "$T/template.ob"
} >rules.ob
run check rules.ob
want_rc 1
want_err "rules.ob:29:8: error[OB8004]: plan 'daily' has 20001 rules, 19991 over the 10 AWS allows in one plan" \
    'error[OB8001]' 'obc: 2 errors, 45 warnings'
finish

begin "50,000 unknown names among 50,000 declarations"
{
    valid_program
    awk 'BEGIN { for (i = 0; i < 50000; i++) printf "account a%d = \"1%011d\"\n", i, i
                 printf "policy all {\n  plans = [daily]\n  attach = ["
                 for (i = 0; i < 50000; i++) printf "%sb%d", i ? ", " : "", i
                 print "]\n}" }'
} >unknown.ob
run check unknown.ob
want_rc 1
want_err "unknown.ob:50027:13: error[OB2001]: unknown name 'b0' (did you mean 'a0'?)" \
    'obc: 49800 more diagnostics not shown (limit 200)' 'obc: 50000 errors, 0 warnings'
finish

# ---- usage: commands, options, help ----------------------------------------------

begin "no command: the general help on stderr, exit 2"
run
want_rc 2
want_err 'usage: obc COMMAND [OPTIONS] [FILE...]' 'compile   compile .ob files'
finish

begin "help, --help, -h: the general help on stdout, exit 0"
for h in help --help -h; do
    run "$h"
    want_rc 0
    want_out 'usage: obc COMMAND [OPTIONS] [FILE...]' 'explain   describe a diagnostic code'
done
finish

begin "help COMMAND and COMMAND --help: that command's usage and options"
run help compile
want_rc 0
want_out 'usage: obc compile [OPTIONS] [FILE|DIR]...' '-o, --output DIR' '--minify' '--no-manifest'
run check --help
want_rc 0
want_out 'usage: obc check [OPTIONS] [FILE|DIR]...' '--fail-level error|warning'
run help explain
want_rc 0
want_out 'usage: obc explain [OPTIONS] [CODE]' 'prints its explanation'
finish

begin "version, --version, -V, -v"
for v in version --version -V -v; do
    run $v
    want_rc 0
    want_out 'obc 0.1.0'
done
finish

begin "unknown command and unknown help topic: exit 2, with a suggestion when one is close"
run compil x.ob
want_rc 2
want_err "obc: error: unknown command 'compil'; did you mean 'compile'?" "run 'obc help' for usage"
run help nosuch
want_rc 2
want_err "obc: error: unknown command 'nosuch'"
finish

begin "bad options: unknown, bad values, missing values, options of other commands"
valid_program >p.ob
run check --formt json p.ob
want_rc 2
want_err "obc: error: unknown option '--formt'; did you mean '--format'?" "run 'obc help check' for usage"
run check --format xml p.ob
want_rc 2
want_err "obc: error: invalid value 'xml' for '--format'; expected text|json|sarif|github|compact"
run check --outptu out p.ob
want_rc 2
want_err "obc: error: unknown option '--outptu'; the closest, '--output', is not an option of check"
want_no_err "did you mean"
run check --color sometimes p.ob
want_rc 2
want_err "invalid value 'sometimes' for '--color'; expected auto|always|never"
run check --fail-level info p.ob
want_rc 2
want_err "invalid value 'info' for '--fail-level'; expected error|warning"
run compile p.ob -o
want_rc 2
want_err "obc: error: option '-o' needs a value (DIR)"
run check -o out p.ob
want_rc 2
want_err "obc: error: option '-o' does not apply to 'obc check'"
run check --var region p.ob
want_rc 2
want_err "obc: error: '--var region' needs NAME=VALUE, for example --var region=eu-west-1"
run check --var 'my region=x' p.ob
want_rc 2
want_err "'my region' is not a placeholder name"
run check --var "region=eu-west-1
eu-west-2" p.ob
want_rc 2
want_err "obc: error: '--var region': the value holds a line break; write it on one line"
run explain --var region=x
want_rc 2
want_err "obc: error: option '--var' does not apply to 'obc explain'"
run compile
want_rc 2
want_err "obc: error: no program in '.': it is a directory"
[ ! -e obc-out ] || fail "a usage error wrote obc-out"
finish

begin "more usage errors: no suggestion, bad and empty values, values for flags, options before the command"
valid_program >p.ob
run check --zzzzzz p.ob
want_rc 2
want_err "obc: error: unknown option '--zzzzzz'"
want_no_err 'did you mean'
run check --format jsn p.ob
want_rc 2
want_err "obc: error: invalid value 'jsn' for '--format'; did you mean 'json'?"
run check --format= p.ob
want_rc 2
want_err "obc: error: option '--format' needs a value (text|json|sarif|github|compact), not an empty one"
run check --no-manifest=yes p.ob
want_rc 2
want_err "obc: error: option '--no-manifest' takes no value"
run explain --stdlib d OB1001
want_rc 2
want_err "obc: error: unknown option '--stdlib'" "run 'obc help explain' for usage"
run --format json check p.ob
want_rc 2
want_err "obc: error: expected a command before '--format'"
run version extra
want_rc 2
want_err "obc: error: unexpected argument 'extra'"
run explain XYZ123
want_rc 2
want_err "obc: error: unknown diagnostic code 'XYZ123'"
want_no_err 'did you mean'
finish

begin "an output directory that cannot be created: exit 2 and the reason"
valid_program >p.ob
run compile p.ob -o /proc/obc-cli-test/out
want_rc 2
want_err "obc: error: cannot create directory '/proc/obc-cli-test/out': No such file or directory"
finish

# A sanitizer build reserves terabytes of address space and cannot start
# under a small address-space limit; the release build must fail cleanly.
if (ulimit -v 100000 && "$OBC" --version >/dev/null 2>&1) 2>/dev/null; then
    begin "out of memory: 'obc: error: out of memory', exit 2, nothing written"
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "account a%d = \"%012d\"\n", i, i }' >big.ob
    (ulimit -v 100000 && exec "$OBC" compile big.ob -o out) >"$T/stdout" 2>"$T/stderr"
    RC=$?
    after_run
    want_rc 2
    want_err 'obc: error: out of memory'
    [ ! -e out ] || fail "out was written"
    finish
else
    skip "out of memory" "this build cannot run under an address-space limit (sanitizers)"
fi

begin "option spellings: --output=DIR, -oDIR, --format=json, -- before a file named like an option"
valid_program >p.ob
run compile --output=a p.ob
want_rc 0
want_files a org_backup.json obc.manifest.json
run compile -ob p.ob
want_rc 0
want_files b org_backup.json obc.manifest.json
run check --format=json p.ob
want_rc 0
want_out '"diagnostics": []' '"errors": 0'
valid_program >-x.ob
run check -- -x.ob
want_rc 0
want_quiet
finish

begin "the default output directory is obc-out; --no-manifest leaves the manifest out"
valid_program >p.ob
run compile p.ob
want_rc 0
want_files obc-out org_backup.json obc.manifest.json
run compile --no-manifest p.ob -o nm
want_rc 0
want_files nm org_backup.json
finish

begin "--minify writes JSON without whitespace"
valid_program >p.ob
run compile --minify p.ob -o m
want_rc 0
grep -q '^{"plans":{"daily":{"regions":{"@@assign":\["eu-west-1"\]}' m/org_backup.json || fail "m/org_backup.json is not minified"
[ "$(wc -l <m/org_backup.json)" -eq 0 ] || fail "m/org_backup.json has line breaks"
finish

begin "--fail-level warning: a warning fails the run and nothing is written"
{
    valid_program
    echo 'account unused = "999999999999"'
} >w.ob
run compile w.ob -o w
want_rc 0
want_err 'warning[OB9001]' 'obc: 0 errors, 1 warning'
run compile --fail-level warning w.ob -o w2
want_rc 1
[ ! -e w2 ] || fail "w2 was written although a warning failed the run"
finish

begin "--color always paints the diagnostics; --color never and NO_COLOR do not"
{
    valid_program
    echo 'account unused = "999999999999"'
} >w.ob
esc=$(printf '\033')
run check --color always w.ob
grep -q "$esc\[" "$T/stderr" || fail "no color escapes with --color always"
run check --color never w.ob
! grep -q "$esc\[" "$T/stderr" || fail "color escapes with --color never"
run_env NO_COLOR=1 TERM=xterm -- check w.ob
! grep -q "$esc\[" "$T/stderr" || fail "color escapes with NO_COLOR set (stderr is not a terminal anyway)"
finish

begin "explain: the list, one code in any spelling, unknown codes"
run explain
want_rc 0
[ "$(wc -l <"$T/stdout")" -eq "$(grep -c '^DIAG_CODE' "$ROOT/compiler/codes.def")" ] || fail "explain does not list every code once"
want_out 'OB4002 error   delete_after less than cold_after + 90 days'
for c in OB4002 ob4002 4002; do
    run explain "$c"
    want_rc 0
    want_out 'OB4002: delete_after less than cold_after + 90 days' 'Why AWS cares'
done
run explain --format markdown OB4002
want_rc 0
want_out '# OB4002: delete_after less than cold_after + 90 days' '## Why AWS cares'
run explain OB4003
want_rc 2
want_err "obc: error: unknown diagnostic code 'OB4003'; did you mean 'OB"
run explain OB4002 OB1001
want_rc 2
want_err "obc: error: unexpected argument 'OB1001'; 'obc explain' takes at most one"
finish

begin "--stdlib DIR reads the standard library from DIR"
valid_program >p.ob
run check --stdlib "$ROOT/stdlib" p.ob
want_rc 0
want_quiet
mkdir emptystd
run check --stdlib emptystd p.ob
want_rc 1
want_err "error[OB1020]: no standard library module 'std/aws'"
finish

# ---- BACKUP_POLICY documents ------------------------------------------------

begin "policy documents: compile writes the normalized policy and no manifest"
cp "$ROOT/corpus/json/complete.in.json" daily.json
run compile daily.json -o out
want_rc 0
want_quiet
want_files out daily.json
grep -q '"@@assign": "35"' out/daily.json || fail "out/daily.json lacks the delete_after_days string"
finish

begin "policy documents: --input picks the reader, mixing kinds is a usage error"
cp "$ROOT/corpus/json/complete.in.json" policy.txt
run check policy.txt
want_rc 1
want_err "error[OB1010]"
run check --input json policy.txt
want_rc 0
want_quiet
valid_program >p.ob
cp policy.txt daily.json
run check p.ob daily.json
want_rc 2
want_err "cannot mix .ob programs and JSON policy documents"
run check --input ob daily.json
want_rc 1
want_err "error[OB1010]"
finish

begin "policy documents: each its own compilation; the worst status wins"
cp "$ROOT/corpus/json/complete.in.json" a.json
cp "$ROOT/corpus/json/wrapped.in.json" b.json
run check --color never a.json b.json
want_rc 1
want_lines 1 'error\[OB1101\]'
want_lines 1 '^obc: 1 error'
run compile a.json b.json -o out
want_rc 2
want_err "one JSON file"
finish

begin "policy documents: a partial policy is a note, an error under --standalone"
cp "$ROOT/corpus/json/partial.in.json" child.json
run check --color never --fail-level warning child.json
want_rc 0
want_err "note[OB1114]" "1 note"
run check --color never --standalone child.json
want_rc 1
want_err "error[OB1115]"
want_no_err "[OB1114]"
finish

begin "policy documents: a missing file or a directory is an I/O error"
run check missing.json
want_rc 2
want_err "cannot read 'missing.json'"
mkdir d.json
run check d.json
want_rc 2
want_err "it is a directory"
finish

# ---- diagnostic formats and outputs -------------------------------------------

begin "--format compact: one line per diagnostic on stderr; github: workflow commands on stdout, escaped"
printf 'import "std/aws"\nvault local {}\nselection s {\n  role = default_backup_role\n  match = tag("k%%,:") == "v"\n}\nplan p {\n  regions = [eu-west-1]\n  select = [s]\n  rule r {\n    schedule = daily at 05:00\n    vault = locl\n    delete_after = 35d\n  }\n}\npolicy q { plans = [p] }\n' >'odd,name%.ob'
run check --format compact 'odd,name%.ob'
want_rc 1
want_lines 2 '^odd,name%.ob:[0-9]*:[0-9]*: [a-z]*\[OB[0-9]*\]: '
want_err 'odd,name%.ob:12:'
want_no_err '   |' 'help:' 'obc: 1 error'
run check --format github 'odd,name%.ob'
want_rc 1
want_out '::error file=odd%2Cname%25.ob,line=12,col=' 'title=OB2001::unknown vault' '%0Ahelp: ' '::warning file=odd%2Cname%25.ob,'
[ ! -s "$T/stderr" ] || fail "stderr is not empty"
run import --format github 'odd,name%.ob'
want_rc 2
want_err 'give -o FILE'
finish

begin "--emit: the outputs to write; a document takes policy only; a misspelt name gets a suggestion"
valid_program >good.ob
run compile good.ob -o out --emit manifest
want_rc 0
want_files out obc.manifest.json
run compile good.ob -o out2 --emit policy --emit cloudformation
want_rc 0
[ -f out2/obc.members.template.json ] || fail "no members template"
[ ! -f out2/obc.manifest.json ] || fail "a manifest was not asked for"
run compile good.ob -o out3 --emit polcy
want_rc 2
want_err "did you mean 'policy'"
run compile good.ob -o out3 --emit policy,
want_rc 2
want_err 'has an empty name'
printf '{"plans": {}}\n' >doc.json
run compile doc.json -o out4 --emit terraform
want_rc 2
want_err 'need the .ob program'
finish

# ---- summary ------------------------------------------------------------------

summary
