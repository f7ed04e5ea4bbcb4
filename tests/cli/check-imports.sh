#!/bin/sh
# tests/cli/check-imports.sh - what obc reads when a program imports
# files: the program's root (OB1022), special files, symbolic links, the
# standard library's names, reading a file once however often and however
# it is imported, the total size of a program (OB1030), and FIFOs.
#
#   tests/cli/check-imports.sh OBC
#
# Every refusal is checked on both sides of its line, and every refused
# file holds a marker that must appear nowhere in obc's output.
. "$(dirname "$0")/harness.sh"

MARK=obc-secret-marker-7f3a9c
# A file outside every working directory, holding the marker.
mkdir "$T/outside"
printf '# %s\nroot leaked = "r-ab12"\n' "$MARK" >"$T/outside/secret.ob"
printf '%s\n' "$MARK" >"$T/outside/secret.txt"

# want_no_marker: neither stdout nor stderr shows anything of a refused file.
want_no_marker() {
    ! grep -F -q -e "$MARK" "$T/stdout" "$T/stderr" || fail "the output shows the refused file's content"
}

# The binary is built with AddressSanitizer, whose shadow memory needs
# far more address space than a ulimit -v bound allows.
IS_ASAN=false
grep -q -a __asan_init "$OBC" && IS_ASAN=true

# ---- /proc, /sys, /dev and absolute paths -------------------------------------

begin "import of /proc/self/environ: OB1022, no environment in the output"
printf 'import "/proc/self/environ"\n' >main.ob
run_env OBC_TEST_SECRET=$MARK -- check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1022]: import '/proc/self/environ' is an absolute path, outside the program's root '.'" \
    "help: write the path relative to the importing file"
want_no_marker
want_no_err "OBC_TEST_SECRET" "PATH="
finish

begin "the same with --format json: nothing of the environment on stdout"
printf 'import "/proc/self/environ"\n' >main.ob
run_env OBC_TEST_SECRET=$MARK -- check --format json main.ob
want_rc 1
want_out '"code": "OB1022"'
want_no_marker
finish

begin "--root / does not open /proc: a symbolic link to /proc/self/environ is refused"
ln -s /proc/self/environ env.ob
ln -s /proc/self/environ env
printf 'import "env.ob"\nimport "../../../../../../../../proc/self/environ.ob"\n' >main.ob
run_env OBC_TEST_SECRET=$MARK -- check --root / main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1022]: import 'env.ob' goes through a symbolic link that does not lead to a file inside the program's root '/'" \
    "main.ob:2:8: error[OB1022]: import '../../../../../../../../proc/self/environ.ob' is outside the program's root '/'"
want_no_marker
finish

begin "absolute paths are refused even inside the root"
printf 'root r = "r-ab12"\n' >lib.ob
printf 'import "%s"\n' "$W/lib.ob" >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1022]: import '$W/lib.ob' is an absolute path"
finish

begin "a file that is not .ob is refused, even inside the root"
cp "$T/outside/secret.txt" notes.txt
printf 'import "notes.txt"\n' >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1022]: import 'notes.txt' does not name a .ob file"
want_no_marker
finish

# ---- '..' and symbolic links -------------------------------------------------

begin "'../' out of the program's directory: OB1022, not read"
mkdir app
printf 'import "../../outside/secret.ob"\n' >app/main.ob
run check app/main.ob
want_rc 1
want_err "app/main.ob:1:8: error[OB1022]: import '../../outside/secret.ob' is outside the program's root 'app'" \
    "help: import .ob files inside 'app', by a path relative to the importing file; to share files from a wider directory, pass --root DIR"
want_no_marker
finish

begin "'../' that stays inside the program's directory is accepted"
mkdir -p app/sub app/common
printf 'root r = "r-ab12"\n' >app/common/r.ob
printf 'import "../common/r.ob"\n' >app/sub/mid.ob
printf 'import "sub/mid.ob"\nroot q = "r-cd34"\n' >app/main.ob
run check app/main.ob
want_rc 0 # OB9002: nothing uses r
want_no_err "error["
finish

begin "a nonexistent file outside the root: OB1022, whether it exists is not told"
printf 'import "../no-such-dir/x.ob"\n' >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1022]: import '../no-such-dir/x.ob' is outside the program's root '.'"
finish

begin "a symbolic link to a file outside the root: OB1022, not read"
ln -s "$T/outside/secret.ob" link.ob
printf 'import "link.ob"\n' >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1022]: import 'link.ob' goes through a symbolic link that does not lead to a file inside the program's root '.'"
want_no_marker
finish

begin "a symbolic link to a directory outside the root: OB1022, not read"
ln -s "$T/outside" lib
printf 'import "lib/secret.ob"\nimport "lib/../outside/secret"\n' >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1022]: import 'lib/secret.ob' goes through a symbolic link that does not lead to a file inside the program's root '.'" \
    "main.ob:2:8: error[OB1022]: import 'lib/../outside/secret' goes through a symbolic link that does not lead to a file inside the program's root '.'"
want_no_marker
finish

begin "a dangling link says the same whether its target outside the root exists or not"
ln -s "$T/outside/secret.ob" there.ob
ln -s "$T/outside/missing.ob" missing.ob
ln -s "$T/no-such-dir" gone
printf 'import "there.ob"\nimport "missing.ob"\nimport "gone/x.ob"\n' >main.ob
run check main.ob
want_rc 1
for n in 1:8 2:8 3:8; do
    want_lines 1 "^main.ob:$n: error\[OB1022\]: import '[a-z/.]*' goes through a symbolic link that does not lead to a file inside the program's root '.'\$"
done
want_no_err "No such file"
want_no_marker
finish

begin "a missing file inside the root, through a link inside it: OB1020"
mkdir real
ln -s real alias
printf 'import "alias/none.ob"\nimport "nodir/none.ob"\n' >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1020]: cannot import 'alias/none.ob': No such file or directory" \
    "main.ob:2:8: error[OB1020]: cannot import 'nodir/none.ob': No such file or directory"
finish

begin "symbolic links inside the root are followed"
mkdir real
printf 'root r = "r-ab12"\n' >real/r.ob
ln -s real alias
ln -s real/r.ob r.ob
printf 'import "alias/r.ob"\nimport "r.ob"\n' >main.ob
run check main.ob
want_rc 0 # OB9002: nothing uses r; both imports name the file read first
want_no_err "error["
want_lines 2 "warning\[OB9002\]: nothing that 'alias/r.ob' declares is used"
finish

begin "--root DIR widens the root: the same '../' import is accepted"
mkdir -p repo/app repo/shared
valid_program | sed 's/^root org_root = .*$/import "..\/shared\/roots.ob"/' >repo/app/main.ob
printf 'root org_root = "r-ab12"\n' >repo/shared/roots.ob
run check repo/app/main.ob
want_rc 1
want_err "repo/app/main.ob:2:8: error[OB1022]: import '../shared/roots.ob' is outside the program's root 'repo/app'"
run check --root repo repo/app/main.ob
want_rc 0
want_quiet
run check --root=repo/app/.. repo/app/main.ob
want_rc 0
want_quiet
finish

begin "--root DIR: what is outside DIR stays refused"
mkdir -p repo/app
printf 'import "../../outside/secret.ob"\n' >repo/app/main.ob
ln -s "$T/outside" repo/out
printf 'import "../out/secret.ob"\n' >>repo/app/main.ob
run check --root repo repo/app/main.ob
want_rc 1
want_err "repo/app/main.ob:1:8: error[OB1022]: import '../../outside/secret.ob' is outside the program's root 'repo'" \
    "repo/app/main.ob:2:8: error[OB1022]: import '../out/secret.ob' goes through a symbolic link that does not lead to a file inside the program's root 'repo'"
want_no_marker
finish

begin "--root that is not a directory: exit 2"
printf '# x\n' >main.ob
run check --root nowhere main.ob
want_rc 2
want_err "obc: error: cannot use --root 'nowhere': No such file or directory"
run check --root main.ob main.ob
want_rc 2
want_err "obc: error: cannot use --root 'main.ob': not a directory"
finish

begin "input files named on the command line are read as given, even outside the root"
printf 'import "secret.ob"\n' >main.ob
run check --root . main.ob "$T/outside/secret.ob"
want_rc 1
want_err "main.ob:1:8: error[OB1020]: cannot import 'secret.ob': No such file or directory"
finish

# ---- the standard library's names ---------------------------------------------

begin "std/../x: OB1022, the standard library's names are plain"
printf 'import "std/../stdlib/aws"\nimport "std/./aws"\nimport "std/"\n' >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1022]: 'std/../stdlib/aws' is not a standard library module name" \
    "main.ob:2:8: error[OB1022]: 'std/./aws' is not a standard library module name" \
    "main.ob:3:8: error[OB1022]: 'std/' is not a standard library module name"
finish

begin "--stdlib DIR: std/../x does not leave DIR; std/aws.ob and std/aws are read"
mkdir -p lib/std
cp "$ROOT"/stdlib/*.ob lib/std/
printf 'import "std/../../outside/secret"\nimport "std/secret"\n' >main.ob
ln -s "$T/outside/secret.ob" lib/std/secret.ob
run check --stdlib lib/std main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1022]: 'std/../../outside/secret' is not a standard library module name" \
    "main.ob:2:8: error[OB1020]: no standard library module 'std/secret'"
want_no_marker
valid_program | sed 's|^import "std/aws"$|import "std/aws.ob"|' >good.ob
run check --stdlib lib/std good.ob
want_rc 0
want_quiet
finish

# ---- one read per file ------------------------------------------------------

make_big_files
# run_bounded MB ARG...: run OBC with at most MB megabytes of address
# space (release build; the sanitizer build runs unbounded).
run_bounded() {
    mb=$1
    shift
    if $IS_ASAN; then
        $WITH_TIMEOUT "$OBC" "$@" >"$T/stdout" 2>"$T/stderr"
    else
        (ulimit -v $((mb * 1024)) && exec $WITH_TIMEOUT "$OBC" "$@") >"$T/stdout" 2>"$T/stderr"
    fi
    RC=$?
    after_run
}

begin "an 8 MiB file imported 10,000 times, by six spellings and links, is read once (300 MB bound)"
mkdir sub
cp "$GEN/limit.ob" big.ob
ln -s big.ob sym.ob
ln big.ob hard.ob
awk 'BEGIN { for (i = 0; i < 10000; i++) print "import \"big.ob\"" }' >main.ob
printf 'import "./big.ob"\nimport "sub/../big.ob"\nimport "big"\nimport "sym.ob"\nimport "hard.ob"\n' >>main.ob
run_bounded 300 check main.ob
want_rc 0 # warnings OB9002 only: big.ob declares nothing
want_no_err "error["
finish

begin "the bound leaves room for real programs: two distinct 8 MiB files fit in 300 MB"
# 10,000 reads of 8 MiB could not fit in it; two reads and parses do.
cp "$GEN/limit.ob" a.ob
cp "$GEN/limit.ob" b.ob
printf 'import "a.ob"\nimport "b.ob"\n' >main.ob
run_bounded 300 check main.ob
want_rc 0
want_no_err "error["
finish

# ---- the total size of a program --------------------------------------------

begin "8 files of 8 MiB (64 MiB in all, with the entry file under it) are read"
awk 'BEGIN { l = "# " ; while (length(l) < 63) l = l "x"; for (i = 0; i < 131071; i++) print l }' >part.ob
: >main.ob
for i in 1 2 3 4 5 6 7 8; do
    cp part.ob "p$i.ob"
    printf 'import "p%d.ob"\n' "$i" >>main.ob
done
run check main.ob
want_rc 0
want_no_err "error["
finish

begin "9 files of 8 MiB: OB1030 at the import that passes 64 MiB in all"
: >main.ob
for i in 1 2 3 4 5 6 7 8 9; do
    cp "$GEN/limit.ob" "p$i.ob"
    printf 'import "p%d.ob"\n' "$i" >>main.ob
done
run check main.ob
want_rc 1
want_err "main.ob:8:8: error[OB1030]: importing 'p8.ob' takes the program past 67108864 bytes in all its files" \
    "main.ob:9:8: error[OB1030]: importing 'p9.ob' takes the program past 67108864 bytes in all its files"
want_lines 2 'error\[OB1030\]'
finish

begin "input files count toward the total too: exit 2 past 64 MiB"
for i in 1 2 3 4 5 6 7 8 9; do
    ln -s "$GEN/limit.ob" "p$i.ob" 2>/dev/null || :
done
cp "$GEN/limit.ob" q1.ob
for i in 2 3 4 5 6 7 8 9; do cp q1.ob "q$i.ob"; done
run check q1.ob q2.ob q3.ob q4.ob q5.ob q6.ob q7.ob q8.ob q9.ob
want_rc 2
want_err "obc: error: cannot read 'q9.ob': the program's files are larger than 67108864 bytes in all"
finish

# ---- FIFOs and other files that are not regular ------------------------------

begin "an imported FIFO: OB1020, no hang (no writer ever opens it)"
mkfifo fifo.ob
printf 'import "fifo.ob"\nimport "fifo"\n' >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1020]: cannot import 'fifo.ob': not a regular file"
finish

begin "a symbolic link to a FIFO inside the root: OB1020, no hang"
mkfifo fifo
ln -s fifo link.ob
printf 'import "link.ob"\n' >main.ob
run check main.ob
want_rc 1
want_err "main.ob:1:8: error[OB1020]: cannot import 'link.ob': not a regular file"
finish

begin "a FIFO named on the command line: exit 2, no hang"
mkfifo fifo.ob
run check fifo.ob
want_rc 2
want_err "obc: error: cannot read 'fifo.ob': not a regular file (use '-' for standard input)"
finish

begin "a device named on the command line: exit 2; '-' still reads standard input"
run check /dev/zero
want_rc 2
want_err "obc: error: cannot read '/dev/zero': not a regular file"
run check - </dev/null
want_rc 0
want_quiet
finish

summary
