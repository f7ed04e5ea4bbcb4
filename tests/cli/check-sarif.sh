#!/bin/sh
# tests/cli/check-sarif.sh - `--format sarif` from the command line: the
# log alone on stdout (stderr empty), exit statuses as in text, every code
# as a rule with ruleIndex pointing at it, URIs relative to the working
# directory (percent-encoded; file: URIs outside it), hostile file names
# and messages escaped, UTF-16 columns, fingerprints that survive moved
# lines, and the commands that print their own result on stdout refusing
# it without -o. tests/check-sarif.sh compares goldens and runs the
# SARIF Multitool.
#
#   tests/cli/check-sarif.sh OBC
. "$(dirname "$0")/harness.sh"

# sarif_ok PYTHON: the stdout of the last run is a SARIF 2.1.0 log (one
# run) and the Python expression, over `log`, `run` and `results`, is true.
sarif_ok() {
    why=$(python3 - "$T/stdout" "$1" <<'PY'
import json, sys
try:
    log = json.load(open(sys.argv[1], encoding="utf-8"))
except ValueError as e:
    print("stdout is not JSON: %s" % e); sys.exit(0)
run = log["runs"][0]
results = run["results"]
if log.get("version") != "2.1.0" or len(log["runs"]) != 1:
    print("not one SARIF 2.1.0 run"); sys.exit(0)
if not eval(sys.argv[2]):
    print("false: %s" % sys.argv[2])
PY
)
    [ -z "$why" ] || fail "$why"
}

CODES=$("$OBC" explain | wc -l)

begin "a clean program: exit 0, an empty results list, every code a rule, nothing on stderr"
valid_program >p.ob
run check --format sarif p.ob
want_rc 0
[ ! -s "$T/stderr" ] || fail "stderr is not empty"
sarif_ok "results == [] and len(run['tool']['driver']['rules']) == $CODES"
sarif_ok "len(set(r['id'] for r in run['tool']['driver']['rules'])) == $CODES"
sarif_ok "run['tool']['driver']['name'] == 'obc' and run['invocations'][0]['executionSuccessful'] is True"
sarif_ok "run['artifacts'] == [{'location': {'uri': 'p.ob', 'uriBaseId': '%SRCROOT%'}, 'length': $(wc -c <p.ob)}]"
finish

begin "an error: exit 1, ruleId and ruleIndex agree, a sentence with the help, a relative URI"
valid_program | sed 's/vault        = local/vault        = lcoal/' >p.ob
run check --format sarif p.ob
want_rc 1
[ ! -s "$T/stderr" ] || fail "stderr is not empty"
sarif_ok "[r['ruleId'] for r in results] == ['OB2001']"
sarif_ok "all(run['tool']['driver']['rules'][r['ruleIndex']]['id'] == r['ruleId'] for r in results)"
sarif_ok "results[0]['message']['text'].startswith('Unknown vault') and results[0]['message']['text'].endswith('.')"
sarif_ok "results[0]['locations'][0]['physicalLocation']['artifactLocation'] == {'uri': 'p.ob', 'uriBaseId': '%SRCROOT%', 'index': 0}"
sarif_ok "results[0]['partialFingerprints']['primaryLocationLineHash'].endswith(':1')"
finish

begin "a warning under --fail-level warning exits 1, under error 0"
valid_program | sed '/delete_after/d' >p.ob
run check --format sarif p.ob
want_rc 0
sarif_ok "[r['level'] for r in results] == ['warning']"
run check --format sarif --fail-level warning p.ob
want_rc 1
finish

begin "an absolute path below the working directory is relative; one outside is a file: URI"
mkdir -p sub/dir
valid_program | sed 's/vault        = local/vault        = lcoal/' >sub/dir/p.ob
run check --format sarif "$PWD/sub/dir/p.ob"
want_rc 1
sarif_ok "results[0]['locations'][0]['physicalLocation']['artifactLocation']['uri'] == 'sub/dir/p.ob'"
cd sub && run check --format sarif ../sub/dir/p.ob && cd ..
sarif_ok "results[0]['locations'][0]['physicalLocation']['artifactLocation']['uri'] == '../sub/dir/p.ob'"
cd sub/dir && mkdir -p inner && cd inner && run check --format sarif "$W/sub/dir/p.ob" && cd ../../..
sarif_ok "results[0]['locations'][0]['physicalLocation']['artifactLocation']['uri'] == 'file://$W/sub/dir/p.ob'"
sarif_ok "'uriBaseId' not in results[0]['locations'][0]['physicalLocation']['artifactLocation']"
finish

begin "file names with blanks, # and non-ASCII letters are percent-encoded"
valid_program | sed 's/vault        = local/vault        = lcoal/' >"my plan #1 é.ob"
run check --format sarif "./my plan #1 é.ob"
want_rc 1
sarif_ok "results[0]['locations'][0]['physicalLocation']['artifactLocation']['uri'] == 'my%20plan%20%231%20%C3%A9.ob'"
finish

begin "a hostile name: no control character in the log, escapes in the message"
BADNAME=$(printf 'evil\033[31m\nname')
valid_program | sed 's/vault        = local/vault        = "x\\u{202e}y"/' >p.ob
cp p.ob "$BADNAME.ob"
run check --format sarif "$BADNAME.ob"
want_rc 1
if LC_ALL=C grep -q "$(printf '\033')" "$T/stdout"; then fail "an ESC byte in the log"; fi
if LC_ALL=C grep -q "$(printf '\342\200\256')" "$T/stdout"; then fail "a U+202E in the log"; fi
sarif_ok "results[0]['locations'][0]['physicalLocation']['artifactLocation']['uri'] == 'evil%1B%5B31m%0Aname.ob'"
sarif_ok "'found string \"x\\\\u{202e}y\"' in results[0]['message']['text']"
finish

begin "columns count UTF-16 code units"
valid_program 'tag("☕😀") == "x" and tag("bаckup") == "true"' >p.ob
run check --format sarif p.ob
want_rc 0
line=$(grep -n 'bаckup' p.ob | cut -d: -f1)
sarif_ok "[(r['ruleId'], r['locations'][0]['physicalLocation']['region']['startLine']) for r in results] == [('OB1006', $line)]"
sarif_ok "results[0]['locations'][0]['physicalLocation']['region']['startColumn'] == len(open('p.ob', encoding='utf-8').read().split('\n')[$line - 1].split('bаckup')[0].encode('utf-16-le')) // 2 + 2"
sarif_ok "run['columnKind'] == 'utf16CodeUnits'"
finish

begin "fingerprints stay when lines move"
valid_program | sed 's/vault        = local/vault        = lcoal/' >p.ob
run check --format sarif p.ob
cp "$T/stdout" before.sarif
{ echo; echo "# a comment that moves every line down"; cat p.ob; } >q.ob && mv q.ob p.ob
run check --format sarif p.ob
python3 - before.sarif "$T/stdout" <<'PY' || fail "the fingerprint changed when the line moved"
import json, sys
a, b = (json.load(open(p))["runs"][0]["results"][0] for p in sys.argv[1:])
assert a["partialFingerprints"] == b["partialFingerprints"]
assert a["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 == b["locations"][0]["physicalLocation"]["region"]["startLine"]
PY
finish

begin "compile --format sarif prints the log and writes the policies of a clean program"
valid_program >p.ob
run compile --format sarif p.ob -o out
want_rc 0
sarif_ok "results == []"
[ -f out/org_backup.json ] || fail "no policy written"
finish

begin "import and effective, which print their result on stdout, need -o with --format sarif"
valid_program >p.ob
run import --format sarif p.ob
want_rc 2
want_err "--format sarif writes the diagnostics to standard output"
run effective --format sarif p.ob
want_rc 2
want_err "--format sarif writes the diagnostics to standard output"
finish

begin "--format sarif is listed in the help, and a misspelt value is suggested"
run help check
want_out "sarif"
run check --format sarfi p.ob
want_rc 2
want_err "sarif"
finish

summary
