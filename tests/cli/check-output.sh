#!/bin/sh
# tests/cli/check-output.sh - where and how obc compile writes: no
# symbolic link is followed unless --follow-output-symlink is given, the
# output directory is replaced as a whole (swapped in one step on
# Linux), concurrent compiles into one directory leave one program's
# complete set, killed compiles leave no staging directory behind a later
# compile, and OB8009 (output files whose names differ only in case).
#
# usage: tests/cli/check-output.sh OBC
. "$(dirname "$0")/harness.sh"

# no_staging DIR: nothing but the lock file and the output beside them.
no_staging() {
    left=$(ls -A "$1" | grep -E '\.obc-(stage|old)\.' | tr '\n' ' ')
    [ -z "$left" ] || fail "staging entries left in $1: $left"
}

# many_policies N NAME_PREFIX: a clean program with N policies, each
# attached to an account of its own.
many_policies() {
    cat <<H
import "std/aws"
organization { regions = [eu-west-1] }
selection tagged {
  role  = default_backup_role
  match = tag("backup") == "daily"
}
vault local { name = "org-backup" }
plan daily {
  select = [tagged]
  rule nightly {
    schedule     = daily at 05:50
    vault        = local
    delete_after = 35d
  }
}
H
    awk -v n="$1" -v p="$2" 'BEGIN { for (i = 0; i < n; i++)
        printf "account %sa%d = \"1%011d\"\npolicy %s%d {\n  plans  = [daily]\n  attach = [%sa%d]\n}\n", p, i, i, p, i, p, i }'
}

# ---- symbolic links --------------------------------------------------------

begin "a committed obc-out symlink is refused; the directory it points to is untouched"
valid_program >p.ob
mkdir outside && echo '{"keep": true}' >outside/org_backup.json && echo secret >outside/notes.txt
ln -s outside obc-out
run compile p.ob
want_rc 2
want_err "obc: error: refusing to write to 'obc-out': it, or a directory on the way to it, is a symbolic link; pass --follow-output-symlink to write through it"
want_files outside org_backup.json notes.txt
[ "$(cat outside/org_backup.json)" = '{"keep": true}' ] || fail "the file outside was changed"
[ -L obc-out ] || fail "the symlink was replaced"
finish

begin "-o through a symlinked directory is refused, and nothing is created through it"
valid_program >p.ob
mkdir outside
ln -s outside link
run compile p.ob -o link/out
want_rc 2
want_err "obc: error: refusing to write to 'link/out'"
[ -z "$(ls -A outside)" ] || fail "something was created in outside"
finish

begin "a dangling obc-out symlink is refused and not created through"
valid_program >p.ob
ln -s "$W/elsewhere" obc-out
run compile p.ob
want_rc 2
[ ! -e elsewhere ] || fail "the symlink's target was created"
finish

begin "--follow-output-symlink writes through the symlink"
valid_program >p.ob
mkdir outside
ln -s outside obc-out
run compile --follow-output-symlink p.ob
want_rc 0
want_quiet
want_files outside obc.manifest.json org_backup.json
[ -L obc-out ] || fail "the symlink was replaced"
finish

begin "a symlink planted as an output file name is not followed"
valid_program >p.ob
echo 'do not touch' >victim
mkdir out && ln -s ../victim out/org_backup.json
run compile p.ob -o out
want_rc 2
want_err "obc: error: cannot replace 'out': it holds 'org_backup.json', which is not an output file of obc"
[ "$(cat victim)" = 'do not touch' ] || fail "the symlink's target was written"
[ -L out/org_backup.json ] || fail "the planted symlink was replaced"
finish

begin "a symlink planted as the lock file is not followed"
valid_program >p.ob
echo 'do not touch' >victim
ln -s victim .out.obc-lock
run compile p.ob -o out
want_rc 2
[ "$(cat victim)" = 'do not touch' ] || fail "the symlink's target was written"
[ ! -e out ] || fail "out was written"
finish

# ---- the output directory as a whole ------------------------------------

begin "the output directory is replaced as a whole: a removed policy's file goes"
valid_program '' first >p.ob
run compile p.ob -o out
valid_program '' second >p.ob
run compile p.ob -o out
want_rc 0
want_files out obc.manifest.json second.json
want_files . .out.obc-lock out p.ob
finish

begin "a directory holding other files is not replaced"
valid_program >p.ob
mkdir out && echo mine >out/README
run compile p.ob -o out
want_rc 2
want_err "obc: error: cannot replace 'out': it holds 'README', which is not an output file of obc"
want_files out README
finish

begin "the current directory cannot be the output directory"
valid_program >p.ob
run compile p.ob -o .
want_rc 2
want_err "obc: error: cannot use '.' as the output directory"
want_files . p.ob
finish

# ---- concurrency and killed runs ----------------------------------------

begin "two concurrent compiles of different programs into one directory leave one complete set (50 pairs)"
many_policies 5 a >a.ob
many_policies 3 b >b.ob
run compile a.ob -o ref_a
run compile b.ob -o ref_b
i=0
while [ $i -lt 50 ]; do
    $WITH_TIMEOUT "$OBC" compile a.ob -o out 2>>"$T/stderr" &
    pa=$!
    $WITH_TIMEOUT "$OBC" compile b.ob -o out 2>>"$T/stderr" &
    pb=$!
    wait $pa || fail "compile of a failed in pair $i"
    wait $pb || fail "compile of b failed in pair $i"
    if [ -e out/a0.json ]; then ref=ref_a; else ref=ref_b; fi
    got=$(ls -A out | tr '\n' ' ')
    exp=$(ls -A $ref | tr '\n' ' ')
    if [ "$got" != "$exp" ]; then
        fail "pair $i left '$got', expected '$exp'"
        break
    fi
    for f in out/*; do
        cmp -s "$f" "$ref/${f##*/}" || fail "pair $i: $f differs from $ref"
    done
    i=$((i + 1))
done
no_staging .
finish

begin "a recompile swaps the output directory in one step (renameat2 RENAME_EXCHANGE): it is never absent"
if [ "$(uname -s)" != Linux ] || ! command -v strace >/dev/null 2>&1; then
    skip "$NAME" "needs Linux and strace (make test-deps installs strace)"
else
    valid_program >p.ob
    run compile p.ob -o out
    # LeakSanitizer cannot run under ptrace: no leak check in the traced run
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        strace -f -e trace=rename,renameat,renameat2 -o "$T/trace" "$OBC" compile p.ob -o out >/dev/null 2>&1 ||
        fail "the traced compile failed"
    grep -q 'renameat2(.*"out", RENAME_EXCHANGE) = 0' "$T/trace" ||
        fail "out was not exchanged in one step: $(grep rename "$T/trace" | tr '\n' ' ')"
    [ "$(grep -c rename "$T/trace")" -eq 1 ] || fail "more than one rename: $(grep rename "$T/trace" | tr '\n' ' ')"
    want_files . .out.obc-lock out p.ob
fi
finish

begin "kill -9 during compiles, then a compile: no staging directory is left"
many_policies 300 p >big.ob
run compile big.ob -o ref
mkdir out
killed=0
for delay in 0.05 0.1 0.15 0.2 0.3 0.4 0.5 0.7; do
    "$OBC" compile big.ob -o out 2>/dev/null &
    pid=$!
    sleep $delay
    kill -9 $pid 2>/dev/null && killed=$((killed + 1))
    wait $pid 2>/dev/null
    # a reader never sees a mix: out is absent, empty or one complete set
    if [ -d out ] && [ -n "$(ls -A out)" ]; then
        [ "$(ls -A out | wc -l)" -eq "$(ls -A ref | wc -l)" ] || fail "after a kill at ${delay}s out holds a partial set"
    fi
done
# and a staging directory of a process that is gone, as a kill leaves it
sh -c 'exit 0' &
dead=$!
wait $dead
mkdir ".out.obc-stage.$dead.0badc0de" && : >".out.obc-stage.$dead.0badc0de/p1.json"
mkdir ".out.obc-old.$dead.0badc0de"
run compile big.ob -o out
want_rc 0
want_same_tree out ref
no_staging .
want_files . .out.obc-lock big.ob out ref .ref.obc-lock
[ "$killed" -gt 0 ] || fail "no compile was killed"
finish

# ---- OB8009 --------------------------------------------------------------

begin "OB8009: policies Org_Backup and org_backup would write one file on a case-insensitive file system"
{ valid_program '' Org_Backup; printf 'policy org_backup {\n  plans  = [daily]\n  attach = [org_root]\n}\n'; } >p.ob
run compile p.ob -o out
want_rc 1
want_err "error[OB8009]: policies 'Org_Backup' and 'org_backup' are written to files whose names differ only in case"
want_err "note: policy 'Org_Backup' is declared here"
[ ! -e out ] || fail "out was written"
finish

begin "OB8009 stays quiet for policies whose names differ by more than case"
{ valid_program '' org_backup; printf 'policy org_backup2 {\n  plans  = [daily]\n  attach = [org_root]\n}\n'; } >p.ob
run compile p.ob -o out
want_rc 0
want_no_err OB8009
want_files out obc.manifest.json org_backup.json org_backup2.json
finish

summary
