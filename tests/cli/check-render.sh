#!/bin/sh
# tests/cli/check-render.sh - what obc prints is safe to show in a
# terminal or a CI log, whatever the input: strings of the program,
# import paths, file names (with a newline, ESC or invalid UTF-8 bytes),
# command-line arguments and output directories. For each, in text and
# with --format json:
#  - stdout and stderr are valid UTF-8 (iconv) and hold no control
#    character but the newline (and the tab of a source line), no C1
#    control, no line or paragraph separator, no bidirectional control;
#  - no line starts a forged GitHub annotation ("::error") or summary;
#  - the JSON parses, and none of its decoded strings holds a control
#    character either;
#  - the hostile text is there, escaped (\n, \u{1b}, \u{202e}, \xff).
#
#   tests/cli/check-render.sh OBC
. "$(dirname "$0")/harness.sh"

NL='
'
ESC=$(printf '\033')
BAD=$(printf '\377\376')

# want_safe FILE: FILE is valid UTF-8 and holds nothing unsafe to print.
want_safe() {
    iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1 || fail "$(basename "$1") is not valid UTF-8"
    why=$(python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
bad = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
for m in bad.finditer(text):
    print("raw U+%04X at offset %d" % (ord(m.group()), m.start()))
    break
for line in text.split("\n"):
    if line.startswith("::") or line.startswith("obc: 0 errors"):
        print("forged line %r" % line[:60])
        break
EOF
)
    [ -z "$why" ] || fail "$(basename "$1"): $why"
}

# want_json: stdout is one JSON document whose strings hold no control,
# separator or bidirectional character once decoded.
want_json() {
    why=$(python3 -c '
import json, re, sys
try:
    doc = json.load(sys.stdin)
except Exception as e:
    print("stdout is not JSON: %s" % e)
    sys.exit()
bad = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffd]")
def walk(v):
    if isinstance(v, str):
        if bad.search(v):
            print("decoded string %r holds an unsafe character" % v[:60])
            sys.exit()
    elif isinstance(v, dict):
        for k in v.values():
            walk(k)
    elif isinstance(v, list):
        for k in v:
            walk(k)
walk(doc)
' <"$T/stdout")
    [ -z "$why" ] || fail "$why"
}

want_all_safe() {
    want_safe "$T/stdout"
    want_safe "$T/stderr"
}

# A string echoed in a message and its help (OB2003): terminal escapes,
# an OSC title, a forged annotation and summary, a C1 CSI, an RLO.
hostile_string='k\u{1b}[31m\u{1b}]0;owned\u{7}\n::error file=x.ob,line=1::forged\nobc: 0 errors, 0 warnings\u{9b}2J\u{202e}gnp.ob'
hostile_program() {
    printf 'import "std/aws"\nvault w { key = "%s" }\n' "$hostile_string"
}

begin "hostile string, text"
hostile_program >in.ob
run check in.ob --color never
want_rc 1
want_all_safe
want_err 'found string "k\u{1b}[31m\u{1b}]0;owned\u{7}\n::error file=x.ob' \
    'names are written without quotes: k\u{1b}[31m' '\nobc: 0 errors, 0 warnings\u{9b}2J\u{202e}gnp.ob'
want_lines 1 '^obc: '
finish

begin "hostile string, text with --color always"
hostile_program >in.ob
run check in.ob --color always
want_rc 1
want_no_err "${ESC}[31m" "${ESC}]0;" "$(printf '\a')" "$(printf '\342\200\256')" "$(printf '\302\233')"
want_err 'k\u{1b}[31m'
finish

begin "hostile string, --format json"
hostile_program >in.ob
run check --format json in.ob
want_rc 1
want_all_safe
want_json
want_out '"message": "expected a key, found string \"k\\u{1b}[31m\\u{1b}]0;owned\\u{7}\\n::error'
[ ! -s "$T/stderr" ] || fail "stderr is not empty"
finish

begin "hostile import path, text and json"
printf 'import "std/aws"\nimport "x\\u{1b}[2J\\n::error::forged\\u{2066}\\u{85}.ob"\n' >in.ob
run check in.ob
want_rc 1
want_all_safe
want_err "cannot import 'x\\u{1b}[2J\\n::error::forged\\u{2066}\\u{85}.ob'"
run check --format json in.ob
want_rc 1
want_all_safe
want_json
finish

# An input file whose name holds a newline that starts a forged
# annotation, an escape sequence and an RLO.
evil_name="a${NL}::error file=x.ob::forged${ESC}[31m$(printf '\342\200\256')b.ob"
evil_shown='a\n::error file=x.ob::forged\u{1b}[31m\u{202e}b.ob'

begin "file name with a newline and ESC, missing"
run check "$evil_name"
want_rc 2
want_all_safe
want_err "obc: error: cannot read '$evil_shown': "
want_lines 1 'obc: error'
finish

begin "file name with a newline and ESC, with diagnostics"
hostile_program >"$evil_name"
run check "$evil_name"
want_rc 1
want_all_safe
want_err "$evil_shown:2:17: error[OB2003]"
run check --format json "$evil_name"
want_rc 1
want_all_safe
want_json
want_out "\"file\": \"a\\\\n::error file=x.ob::forged\\\\u{1b}[31m\\\\u{202e}b.ob\""
finish

# File names and sources with invalid UTF-8.
begin "file name with invalid UTF-8, text and json"
hostile_program >"bad${BAD}.ob"
run check "bad${BAD}.ob"
want_rc 1
want_all_safe
want_err 'bad\xff\xfe.ob:2:17: error[OB2003]'
run check --format json "bad${BAD}.ob"
want_rc 1
want_all_safe
want_json
want_out '"file": "bad\\xff\\xfe.ob"'
run check "missing${BAD}.ob"
want_rc 2
want_all_safe
want_err "cannot read 'missing\\xff\\xfe.ob'"
finish

begin "source with invalid UTF-8, text and json"
printf 'import "std/aws"\nvault w { key = "caf\351 \340\200\257 \355\240\200 %s" }\n' "$ESC" >in.ob
run check in.ob
want_rc 1
want_all_safe
run check --format json in.ob
want_rc 1
want_all_safe
want_json
finish

begin "source line with C1, separators and bidi controls in the snippet"
printf 'import "std/aws"\nvault w { key = "x" } # \302\233 \342\200\250 \342\200\251 \342\200\256 \342\201\246 \302\205\n' >in.ob
run check in.ob
want_rc 1
want_all_safe
want_err '   2 | vault w { key = "x" } # '
finish

begin "ordinary UTF-8 is shown as it is"
name=$(printf 'r\303\251sum\303\251.ob')
printf 'import "std/aws"\nvault w { key = "caf\303\251 \346\227\245\346\234\254" }\n' >"$name"
run check "$name"
want_rc 1
want_all_safe
want_err "$name:2:17:" "$(printf 'caf\303\251 \346\227\245\346\234\254')"
finish

begin "a long string is cut at a character boundary"
printf 'import "std/aws"\nvault w { key = "%s" }\n' "$(repeat 30 "$(printf '\346\227\245')")" >in.ob
run check in.ob
want_rc 1
want_all_safe
want_no_err '\x'
want_err "found string \"$(repeat 12 "$(printf '\346\227\245')")...\""
finish

# Command-line arguments echoed in usage errors.
begin "hostile option and command"
run check "--x${NL}::error::forged${ESC}[31m" in.ob
want_rc 2
want_all_safe
want_err "unknown option '--x\\n::error::forged\\u{1b}[31m'"
run "x${NL}::error::forged${ESC}[31m"
want_rc 2
want_all_safe
want_err "unknown command 'x\\n::error::forged\\u{1b}[31m'"
run check --format "j${ESC}[2J${NL}::error::x" in.ob
want_rc 2
want_all_safe
want_err "invalid value 'j\\u{1b}[2J\\n::error::x' for '--format'"
finish

# An output directory that cannot be created: its name is echoed.
begin "hostile output directory"
valid_program >in.ob
: >file
run compile in.ob -o "file/o${NL}::error::forged${ESC}[31m"
want_rc 2
want_all_safe
want_err "cannot create directory 'file/o\\n::error::forged\\u{1b}[31m'"
finish

summary
