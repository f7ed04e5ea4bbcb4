#!/bin/sh
# tests/cli/check-programs.sh - DIR operands and no operand for check and
# compile (docs/programs.md): each main.ob (or each line of a .obc file)
# is its own program, checked on its own and reported together; hidden,
# build and symlinked directories are not searched; limits hold.
. "$(dirname "$0")/harness.sh"

# Two programs that would clash as one: the same declarations.
two_programs() {
    mkdir -p repo/team-a repo/team-b
    valid_program >repo/team-a/main.ob
    valid_program >repo/team-b/main.ob
}

begin "two unrelated programs in a directory: checked separately, no duplicate declarations"
two_programs
run check repo
want_rc 0
want_no_err "OB2"
run check repo/team-a/main.ob repo/team-b/main.ob
want_rc 1
want_err "error[OB2"
finish

begin "no operand: the current directory"
two_programs
cd repo || exit 2
run check
want_rc 0
printf 'policy broken {\n' >>team-b/main.ob
run check
want_rc 1
want_err "team-b/main.ob:"
want_no_err "team-a/main.ob:"
finish

begin "nested programs; each diagnostic once; the status is the worst"
mkdir -p r/a/b/c
valid_program >r/main.ob
valid_program 'tag("x") == "y"' p2 >r/a/b/c/main.ob
printf 'import "std/aws"\nvault v { name = 1 }\n' >r/a/b/main.ob
run check --format compact r
want_rc 1
want_lines 1 "^r/a/b/main.ob:"
want_no_err "r/main.ob:" "r/a/b/c/main.ob:"
finish

begin "--format json over several programs: one document, counts summed"
mkdir -p r/x r/y
printf 'import "std/aws"\nvault v { name = 1 }\n' >r/x/main.ob
printf 'import "std/aws"\nvault w { name = 2 }\n' >r/y/main.ob
run check --format json r
want_rc 1
n=$(grep -c '"diagnostics"' "$T/stdout")
[ "$n" = 1 ] || fail "$n JSON documents, expected 1"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); fs={x["range"]["file"] for x in d["diagnostics"]}; assert fs=={"r/x/main.ob","r/y/main.ob"}, fs; assert d["errors"]==len([x for x in d["diagnostics"] if x["severity"]=="error"])' "$T/stdout" ||
    fail "the JSON document is not the two programs' diagnostics"
finish

begin "--format sarif over several programs: one log, one run, every program's results"
mkdir -p r/x r/y
printf 'import "std/aws"\nvault v { name = 1 }\n' >r/x/main.ob
printf 'import "std/aws"\nvault w { name = 2 }\n' >r/y/main.ob
run check --format sarif r
want_rc 1
n=$(grep -c '"\$schema"' "$T/stdout")
[ "$n" = 1 ] || fail "$n SARIF logs, expected 1"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["runs"])==1; r=d["runs"][0]; us=[a["location"]["uri"] for a in r["artifacts"]]; assert us==["r/x/main.ob","r/y/main.ob"], us; fs={x["locations"][0]["physicalLocation"]["artifactLocation"]["index"] for x in r["results"]}; assert fs=={0,1}, fs' "$T/stdout" ||
    fail "the SARIF log is not the two programs' results"
finish

begin "hidden, build and symlinked directories are not searched"
mkdir -p r/.git r/build r/obc-out r/node_modules r/real elsewhere
valid_program >r/real/main.ob
for d in .git build obc-out node_modules; do
    printf 'garbage {\n' >r/$d/main.ob
done
printf 'garbage {\n' >elsewhere/main.ob
ln -s ../elsewhere r/link
ln -s ../elsewhere/main.ob r/real/sub.ob
mkdir r/linked && ln -s ../elsewhere/main.ob r/linked/main.ob
run check r
want_rc 0
want_quiet
finish

begin "a directory operand that is itself a symbolic link is followed"
mkdir -p r
valid_program >r/main.ob
ln -s r l
run check l
want_rc 0
finish

begin "a directory with no program: a clear error, exit 2"
mkdir -p empty/sub
echo 'x' >empty/sub/notes.ob
run check empty
want_rc 2
want_err "obc: error: no program in 'empty': it is a directory, and no main.ob or .obc file is in it or below it"
finish

begin "a .obc file lists the entry files: one program per line, # comments"
mkdir -p r/lib r/other
valid_program >r/one.ob
valid_program 'tag("x") == "y"' p2 >r/two.ob
printf 'garbage {\n' >r/other/main.ob
printf '# the programs of this repository\none.ob   # first\n\ntwo.ob\n' >r/.obc
run check r
want_rc 0
want_quiet
printf 'one.ob two.ob\n' >r/.obc
run check r
want_rc 1
want_err "error[OB2"
finish

begin "a .obc file's mistakes are located diagnostics"
mkdir r
valid_program >r/one.ob
printf 'one.ob\nmissing.ob\n../escape.ob\n' >r/.obc
run check r
want_rc 1
want_err "r/.obc:2:1: error[OB1020]: entry file 'missing.ob' listed in 'r/.obc' cannot be found" \
    "r/.obc:3:1: error[OB1022]: '../escape.ob' is not a path inside the directory of 'r/.obc'"
printf '# nothing\n' >r/.obc
run check r
want_rc 1
want_err "'r/.obc' lists no entry file"
finish

begin "compile DIR with one program writes it; with two, a usage error naming them"
two_programs
rm -r repo/team-b
run compile repo -o out
want_rc 0
want_files out org_backup.json obc.manifest.json
valid_program >repo/main.ob
run compile repo -o out2
want_rc 2
want_err "compile writes one program into its output directory, and the operands hold 2 (repo/main.ob, repo/team-a/main.ob)"
[ ! -e out2 ] || fail "a usage error wrote out2"
finish

begin "files and directories together: the files are one program, each directory's programs their own"
two_programs
valid_program >solo.ob
run check solo.ob repo
want_rc 0
want_quiet
finish

begin "limits: directories nested too deep, too many programs: OB1030, nothing checked"
d=deep
i=0
while [ $i -lt 34 ]; do d=$d/d; i=$((i + 1)); done
mkdir -p "$d"
valid_program >"$d/main.ob"
run check deep
want_rc 1
want_err "error[OB1030]" "nested more than 32 directories"
mkdir many
i=0
while [ $i -lt 1001 ]; do mkdir many/p$i && : >many/p$i/main.ob; i=$((i + 1)); done
run check many
want_rc 1
want_err "error[OB1030]: more than 1000 programs"
finish

begin "limits: more than 100,000 directory entries: OB1030, nothing checked"
mkdir -p wide/p
valid_program >wide/p/main.ob
python3 -c 'import os
for i in range(100001): open("wide/f%d" % i, "w").close()' || exit 2
run check wide
want_rc 1
want_err "error[OB1030]: more than 100000 directory entries"
want_no_err "wide/p/main.ob"
finish

begin "a .obc line may name a policy document, checked on its own; mixing kinds on one line is a usage error"
mkdir r
printf '{"plans": {}}\n' >r/empty.json
valid_program >r/one.ob
printf 'empty.json\none.ob\n' >r/.obc
run check --format json r
grep -q '"range"' "$T/stdout" || fail "no diagnostic of the document in the JSON document"
n=$(grep -c '"diagnostics"' "$T/stdout")
[ "$n" = 1 ] || fail "$n JSON documents, expected 1"
printf 'empty.json one.ob\n' >r/.obc
run check r
want_rc 2
want_err "cannot mix .ob programs and JSON policy documents"
finish

summary
