#!/bin/sh
# tests/cli/check-glue.sh - what surrounds obc in shells, editors and CI:
#  - every command of `obc help` and every option (and each value of a
#    choice such as --format text|json|...) of `obc help COMMAND` is in
#    the manual page (docs/obc.1, in the section of its command) and in
#    both completion scripts (contrib/completions: bash by running its
#    completion function, zsh by the branch of the command), so adding an
#    option without them fails here;
#  - the scripts parse (bash -n, zsh -n; zsh is installed by `make
#    test-deps`, skipped with a message when absent) and zsh completes
#    for real (zpty);
#  - the manual page renders without a warning (groff -man -ww, or
#    mandoc -T lint);
#  - `make install PREFIX=...` installs obc, the manual page, the
#    completions and docs/codes, and `make uninstall` removes them;
#  - the problem matcher (contrib/github/obc-matcher.json) matches each
#    error and warning of the text and compact formats, and nothing else,
#    with the file, line, column, severity and code of the diagnostic;
#  - `obc explain` renders text without markdown markers, wrapped to the
#    width, coloured only when allowed, and --format markdown prints the
#    source unchanged;
#  - the pre-commit hooks, the GitHub Actions example and the VS Code
#    extension are well formed and name what obc has.
#
#   tests/cli/check-glue.sh OBC
. "$(dirname "$0")/harness.sh"

MAN=$ROOT/docs/obc.1
BASH_COMP=$ROOT/contrib/completions/obc.bash
ZSH_COMP=$ROOT/contrib/completions/_obc
PY=python3

# ---- what obc help says ---------------------------------------------------

# $T/surface: one line per command ("CMD") and per option of a command
# ("CMD<TAB>OPTION<TAB>VALUE VALUE..." for a choice, else "CMD<TAB>OPTION<TAB>"),
# short and long spellings each on their own line.
"$OBC" help >"$T/help.txt" 2>&1
for cmd in $(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' "$T/help.txt"); do
    echo "$cmd"
    "$OBC" help "$cmd" | $PY -c '
import re, sys
cmd = sys.argv[1]
for line in sys.stdin.read().split("options:", 1)[-1].splitlines():
    m = re.match(r"^  (?:-(\w), )?\s*--([a-z][a-z-]*)(?: (\S+))?", line)
    if not m:
        continue
    short, long, arg = m.groups()
    values = arg.split("|") if arg and re.fullmatch(r"[a-z0-9-]+(\|[a-z0-9-]+)+", arg) else []
    for name in (["-" + short] if short else []) + ["--" + long]:
        print("%s\t%s\t%s" % (cmd, name, " ".join(values)))
' "$cmd"
done >"$T/surface"

begin "obc help lists commands and options to check"
grep -q '^check	--format	' "$T/surface" || fail "no check --format in $T/surface"
[ "$(grep -c -v '	' "$T/surface")" -ge 5 ] || fail "fewer than 5 commands in obc help"
finish

# ---- the manual page ------------------------------------------------------

# man_missing SURFACE: what of SURFACE the manual page lacks.
man_missing() {
    $PY - "$MAN" "$1" <<'EOF'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
def plain(s):
    s = re.sub(r"\\f(\[[A-Z]*\]|[BIRP])", "", s)
    return s.replace("\\-", "-").replace("\\&", "").replace('"', "")
sections = {}
for part in re.split(r"^\.SS ", src, flags=re.M)[1:]:
    title = plain(part.split("\n", 1)[0])
    m = re.match(r"obc ([a-z]+)", title)
    if m:
        sections[m.group(1)] = plain(part)
synopsis = plain(src.split(".SH SYNOPSIS", 1)[1].split(".SH ", 1)[0])
bad = []
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    cmd = f[0]
    if len(f) == 1:
        if cmd not in sections:
            bad.append("no section .SS \"obc %s\"" % cmd)
        if not re.search(r"^\.B %s$" % cmd, synopsis, re.M):
            bad.append("SYNOPSIS lacks obc %s" % cmd)
        continue
    text = sections.get(cmd, "")
    opt, values = f[1], f[2].split()
    if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), text):
        bad.append("obc %s: %s" % (cmd, opt))
    for v in values:
        if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(v), text):
            bad.append("obc %s: %s %s" % (cmd, opt, v))
print("; ".join(bad[:8]))
EOF
}

begin "manual page: every command and option of obc help, in its command's section"
why=$(man_missing "$T/surface")
[ -z "$why" ] || fail "missing from docs/obc.1: $why"
finish

begin "manual page renders without warnings"
if command -v groff >/dev/null 2>&1; then
    groff -man -ww -z "$MAN" 2>"$T/stderr" || fail "groff failed"
    [ ! -s "$T/stderr" ] || fail "groff warns"
    groff -man -Tutf8 "$MAN" 2>/dev/null | grep -q 'obc explain' || fail "the rendered page lacks 'obc explain'"
    finish
elif command -v mandoc >/dev/null 2>&1; then
    mandoc -T lint -W warning "$MAN" >"$T/stderr" 2>&1 || fail "mandoc -T lint warns"
    finish
else
    skip "manual page renders without warnings" "neither groff nor mandoc is installed (make test-deps installs groff-base)"
fi

# ---- bash completion ------------------------------------------------------

# bash_missing SURFACE: what of SURFACE the bash completion does not offer.
bash_missing() {
    bash -c '
. "$1"
reply() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _obc; printf " %s " "${COMPREPLY[*]}"; }
all_commands=$(reply obc "")
while IFS="	" read -r cmd opt values; do
    if [ -z "$opt" ]; then
        case " $all_commands " in *" $cmd "*) ;; *) echo "command $cmd" ;; esac
        continue
    fi
    got=$(reply obc "$cmd" -)
    case "$got" in *" $opt "*) ;; *) echo "obc $cmd $opt" ;; esac
    [ -n "$values" ] || continue
    got=$(reply obc "$cmd" "$opt" "")
    case $opt in --*) eq=$(reply obc "$cmd" "$opt" "="); got="$got $eq" ;; esac
    for v in $values; do
        case "$got" in *" $v "*) ;; *) echo "obc $cmd $opt $v" ;; esac
    done
done <"$2"
' sh "$BASH_COMP" "$1" 2>&1 | head -8 | tr '\n' ';'
}

begin "bash completion parses and completes every command, option and value"
bash -n "$BASH_COMP" 2>"$T/stderr" || fail "bash -n"
why=$(bash_missing "$T/surface")
[ -z "$why" ] || fail "bash completion lacks: $why"
finish

begin "bash completion: explain completes diagnostic codes, help the commands"
got=$(bash -c '. "$1"; COMP_WORDS=("$2" explain ob300); COMP_CWORD=2; _obc; echo "${COMPREPLY[*]}"' sh "$BASH_COMP" "$OBC")
case " $got " in *" OB3001 "*) ;; *) fail "explain ob300<TAB> gave '$got'" ;; esac
got=$(bash -c '. "$1"; COMP_WORDS=(obc help che); COMP_CWORD=2; _obc; echo "${COMPREPLY[*]}"' sh "$BASH_COMP")
[ "$got" = check ] || fail "help che<TAB> gave '$got'"
finish

# ---- zsh completion -------------------------------------------------------

# zsh_missing SURFACE: what of SURFACE the zsh completion lacks.
zsh_missing() {
    $PY - "$ZSH_COMP" "$1" <<'EOF'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
branches = {}
for m in re.finditer(r"^  ([a-z]+)\)\n(.*?)^    ;;$", src, re.M | re.S):
    branches[m.group(1)] = m.group(2)
commands = src.split("obc_commands=(", 1)[1].split(")", 1)[0]
bad = []
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    cmd = f[0]
    if len(f) == 1:
        if cmd not in branches:
            bad.append("no branch %s)" % cmd)
        if not re.search(r"'%s:" % cmd, commands):
            bad.append("obc_commands lacks %s" % cmd)
        continue
    text = branches.get(cmd, "")
    opt, values = f[1], f[2].split()
    if not re.search(r"(?<![\w-])%s(?=[=+\[}',])" % re.escape(opt), text):
        bad.append("obc %s: %s" % (cmd, opt))
        continue
    spec = [l for l in text.splitlines() if re.search(r"(?<![\w-])%s(?=[=+\[}',])" % re.escape(opt), l)][0]
    for v in values:
        if not re.search(r"[( ]%s[ )]" % re.escape(v), spec):
            bad.append("obc %s: %s %s" % (cmd, opt, v))
print("; ".join(bad[:8]))
EOF
}

begin "zsh completion: every command, option and value in the branch of its command"
why=$(zsh_missing "$T/surface")
[ -z "$why" ] || fail "zsh completion lacks: $why"
finish

# The three checks fail on what obc would print after gaining a command,
# an option and a value that nothing documents.
begin "the coverage checks fail on an undocumented command, option and value"
{
    cat "$T/surface"
    printf 'frobnicate\n'
    printf 'check\t--no-such-option\t\n'
    printf 'check\t--format\ttext json no-such-format\n'
} >"$T/surface-more"
for checker in man_missing bash_missing zsh_missing; do
    why=$($checker "$T/surface-more")
    for thing in frobnicate no-such-option no-such-format; do
        case $why in *"$thing"*) ;; *) fail "$checker misses $thing" ;; esac
    done
done
finish

if command -v zsh >/dev/null 2>&1; then
    begin "zsh completion parses and completes (zpty)"
    zsh -n "$ZSH_COMP" 2>"$T/stderr" || fail "zsh -n"
    mkdir "$T/fpath" && cp "$ZSH_COMP" "$T/fpath/_obc"
    mkdir "$T/bin" && ln -s "$OBC" "$T/bin/obc"
    # The listing zsh shows for `obc check --<TAB>`: each option of check.
    PATH="$T/bin:$PATH" $WITH_TIMEOUT zsh -f -c '
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PS1=\"> \"; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D; zstyle \":completion:*\" list-prompt \"\"; LISTMAX=100000; print READY"
zpty -w z "obc check --"$'"'"'\t'"'"'
out=""
for i in {1..100}; do
    while zpty -r -t z chunk; do out+=$chunk; done
    [[ $out == *--standalone* ]] && break
    sleep 0.1
done
print -r -- "$out"
zpty -d z
' sh "$T/fpath" >"$T/stdout" 2>&1
    rc=$?
    if [ $rc = 3 ]; then
        skip "zsh completes" "this zsh has no zpty module"
    else
        for opt in $(grep '^check	--' "$T/surface" | cut -f2); do
            grep -q -e "$opt" "$T/stdout" || fail "zsh lists no $opt for obc check --"
        done
    fi
    finish
else
    skip "zsh completion parses and completes" "zsh is not installed (make test-deps installs it)"
fi

# ---- make install ---------------------------------------------------------

# Installs build/obc: only when it is up to date (make would rebuild it).
if [ -n "$(make -s -n -C "$ROOT" build/obc 2>/dev/null | grep -v ensure-deps)" ]; then
    skip "make install and uninstall" "build/obc is not up to date (run make first)"
else
    begin "make install PREFIX=... installs obc, the manual page, the completions and docs/codes"
    P=$T/prefix
    make -s -C "$ROOT" install PREFIX="$P" >"$T/stdout" 2>"$T/stderr" || fail "make install failed"
    for f in bin/obc share/man/man1/obc.1 share/bash-completion/completions/obc share/zsh/site-functions/_obc; do
        [ -f "$P/$f" ] || fail "no $f"
    done
    [ -x "$P/bin/obc" ] && "$P/bin/obc" version | grep -q '^obc ' || fail "the installed obc does not run"
    n=$(ls "$ROOT"/docs/codes/OB*.md | wc -l)
    m=$(ls "$P"/share/doc/obc/codes/OB*.md 2>/dev/null | wc -l)
    [ "$n" = "$m" ] || fail "share/doc/obc/codes holds $m explanations, docs/codes $n"
    cmp -s "$ROOT/docs/obc.1" "$P/share/man/man1/obc.1" || fail "the installed manual page differs"
    make -s -C "$ROOT" uninstall PREFIX="$P" >"$T/stdout" 2>"$T/stderr" || fail "make uninstall failed"
    left=$(find "$P" -type f | head -3)
    [ -z "$left" ] || fail "make uninstall left $left"
    finish
fi

# ---- the problem matcher --------------------------------------------------

# matcher_check FILE GITHUB: each line of FILE that the matcher matches,
# against the errors and warnings of GITHUB (--format github of the same
# run): the same diagnostics, in order, with file, line, column, severity
# and code. Prints what differs.
matcher_check() {
    $PY - "$ROOT/contrib/github/obc-matcher.json" "$1" "$2" <<'EOF'
import json, re, sys
m = json.load(open(sys.argv[1]))["problemMatcher"][0]
p = m["pattern"][0]
rx = re.compile(p["regexp"])
got = []
for line in open(sys.argv[2], encoding="utf-8", errors="replace").read().splitlines():
    g = rx.search(line)
    if g:
        got.append((g.group(p["file"]), g.group(p["line"]), g.group(p["column"]), g.group(p["severity"]),
                    g.group(p["code"]), g.group(p["message"])))
want = []
for line in open(sys.argv[3], encoding="utf-8").read().splitlines():
    g = re.match(r"::(error|warning) file=(.*?),line=(\d+),col=(\d+),.*?title=(OB\d{4})::(.*)", line)
    if g:
        path = re.sub(r"%([0-9A-F]{2})", lambda h: chr(int(h.group(1), 16)), g.group(2))  # property escapes
        want.append((path, g.group(3), g.group(4), g.group(1), g.group(5)))
if not want:
    print("no diagnostic to compare")
elif [w[:5] for w in got] != want:
    print("matched %r, expected %r" % ([w[:5] for w in got][:2], want[:2]))
elif any(not w[5] or "\x1b" in w[5] for w in got):
    print("a message is empty or holds an escape")
EOF
}

printf 'import "std/aws"\nvault v { nme = "x" }\nplan p { rule r { schedule = daily at 05:00 } }\n' >"$GEN/errors.ob"
"$OBC" explain --format markdown OB3020 | sed -n '/^Wrong:/,/^```$/p' | sed '1,2d;$d' >"$GEN/warnings.ob"
mkdir -p "$GEN/a:1:2"
cp "$GEN/errors.ob" "$GEN/a:1:2/x.ob"

for input in errors.ob warnings.ob a:1:2/x.ob; do
    (cd "$GEN" && "$OBC" check "$input" --format github >"$T/github.txt" 2>/dev/null)
    for format in text compact; do
        for color in never always; do
            begin "problem matcher: --format $format --color $color, $input"
            cd "$GEN" || exit 2
            run check "$input" --format "$format" --color "$color"
            [ "$RC" = 1 ] || [ "$input" = warnings.ob ] || fail "exit status $RC, expected 1"
            why=$(matcher_check "$T/stderr" "$T/github.txt")
            [ -z "$why" ] || fail "$why"
            finish
        done
    done
done

begin "problem matcher: node reads the regular expression as python does"
if command -v node >/dev/null 2>&1; then
    cd "$GEN" || exit 2
    run check errors.ob --format compact
    n=$(node -e '
const fs = require("fs");
const p = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).problemMatcher[0].pattern[0];
const rx = new RegExp(p.regexp);
let n = 0;
for (const line of fs.readFileSync(process.argv[2], "utf8").split("\n")) if (rx.test(line)) n++;
console.log(n);
' "$ROOT/contrib/github/obc-matcher.json" "$T/stderr")
    [ "$n" = "$(grep -c '^errors.ob:' "$T/stderr")" ] || fail "node matched $n lines"
    finish
else
    skip "problem matcher under node" "node is not installed"
fi

# ---- obc explain ----------------------------------------------------------

# explain_lint WIDTH FILE...: lines wider than WIDTH outside code blocks
# (indented by 6) that are not one long word, and markdown markers left.
explain_lint() {
    $PY - "$@" <<'EOF'
import re, sys
width = int(sys.argv[1])
for path in sys.argv[2:]:
    for n, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        where = "%s:%d" % (path.rsplit("/", 1)[-1], n)
        if line.startswith("      "):
            continue  # a code block: as written
        if "\x1b" in line:
            print("%s: an escape sequence" % where); sys.exit()
        if len(line) > width and " " in line.strip():
            print("%s: %d columns" % (where, len(line))); sys.exit()
        if re.match(r"#+ ", line) or "```" in line or "**" in line or "`" in line or re.search(r"\]\(", line):
            print("%s: markdown marker in %r" % (where, line[:60])); sys.exit()
        if re.search(r"(^|\s)[*_][^\s*_][^*_]*[^\s*_][*_]($|[\s.,:;])", line):
            print("%s: emphasis marker in %r" % (where, line[:60])); sys.exit()
EOF
}

# (tests/check-explanations.sh compares --format markdown with every file
# of docs/codes; here a few codes with lists, links and emphasis.)
begin "explain: every code as text, no markdown marker, 80 columns; markdown unchanged"
mkdir "$T/explain"
# Every code; under the sanitizer build (slow to start) every 8th.
every=1
case $OBC in */asan/*) every=8 ;; esac
for code in $("$OBC" explain | awk -v n="$every" 'NR % n == 1 || n == 1 { print $1 }'); do
    "$OBC" explain "$code" >"$T/explain/$code.txt" 2>>"$T/stderr" || fail "explain $code exits non-zero"
done
for code in OB1005 OB1022 OB1108 OB3020 OB6003; do
    "$OBC" explain --format markdown "$code" >"$T/explain/$code.md" 2>>"$T/stderr"
    cmp -s "$T/explain/$code.md" "$ROOT/docs/codes/$code.md" || fail "explain --format markdown $code differs from docs/codes"
done
why=$(explain_lint 80 "$T"/explain/*.txt)
[ -z "$why" ] || fail "$why"
head -1 "$T/explain/OB3020.txt" | grep -q '^OB3020: ' || fail "the heading of OB3020 is not its first line"
grep -q '^      import "std/aws"$' "$T/explain/OB3020.txt" || fail "the code block of OB3020 is not indented by 6"
finish

begin "explain: COLUMNS sets the width"
run_env COLUMNS=50 -- explain OB3020
why=$(explain_lint 50 "$T/stdout")
[ -z "$why" ] || fail "$why"
finish

begin "explain: colour only when allowed"
run explain OB3020 --color always
grep -q "$(printf '\033')\[1m" "$T/stdout" || fail "--color always draws no bold"
run explain OB3020
! grep -q "$(printf '\033')" "$T/stdout" || fail "colour on a pipe by default"
run_env NO_COLOR=1 -- explain OB3020 --color auto
! grep -q "$(printf '\033')" "$T/stdout" || fail "colour under NO_COLOR"
run explain OB3020 --color always --format markdown
cmp -s "$T/stdout" "$ROOT/docs/codes/OB3020.md" || fail "--format markdown is not the source with --color always"
finish

begin "explain --format: text or markdown; other values are usage errors"
run explain --format json OB3020
want_rc 2
want_err "invalid value 'json' for '--format'" "text|markdown"
run explain --format=markdown
want_rc 0
grep -q '^OB3020 ' "$T/stdout" || fail "the list lacks OB3020"
finish

# ---- pre-commit, GitHub Actions, VS Code ---------------------------------

begin "pre-commit hooks: obc-check and obc-fmt run commands of obc"
why=$($PY - "$ROOT/.pre-commit-hooks.yaml" "$MAN" <<'EOF'
import re, sys
try:
    import yaml
except ImportError:
    print("SKIP"); sys.exit()
hooks = yaml.safe_load(open(sys.argv[1]))
man = open(sys.argv[2]).read()
ids = [h.get("id") for h in hooks]
if sorted(ids) != ["obc-check", "obc-fmt"]:
    print("hooks %r" % ids); sys.exit()
for h in hooks:
    for key in ("name", "entry", "language", "files"):
        if key not in h:
            print("%s has no %s" % (h["id"], key)); sys.exit()
    words = h["entry"].split()
    if words[0] != "obc" or not re.search(r'^\.SS "obc %s' % words[1], man, re.M):
        print("%s runs %r" % (h["id"], h["entry"])); sys.exit()
    re.compile(h["files"])
EOF
)
if [ "$why" = SKIP ]; then
    skip "pre-commit hooks" "python3 has no yaml module"
else
    [ -z "$why" ] || fail "$why"
    finish
fi

begin "GitHub Actions example: obc check --format sarif uploaded with upload-sarif"
why=$($PY - "$ROOT/examples/ci/github-actions.yml" "$T/surface" <<'EOF'
import re, sys
try:
    import yaml
except ImportError:
    print("SKIP"); sys.exit()
wf = yaml.safe_load(open(sys.argv[1]))
steps = [s for job in wf["jobs"].values() for s in job["steps"]]
known = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    if len(f) == 3:
        known.setdefault(f[0], set()).add(f[1])
sarif = None
for s in steps:
    for cmd in re.findall(r"^\s*(obc [^|>\n]*)", s.get("run", ""), re.M):
        words = cmd.split()
        for w in words[2:]:
            if w.startswith("--") and words[1] in known and w.split("=")[0] not in known[words[1]] and w != "--format":
                print("%r: %s is not an option of obc %s" % (cmd, w, words[1])); sys.exit()
        m = re.search(r"--format sarif[^>\n]*> *(\S+)", s.get("run", ""))
        if m:
            sarif = m.group(1)
uploads = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
if not sarif or not uploads or uploads[0].get("with", {}).get("sarif_file") != sarif:
    print("no upload-sarif step uploading the file obc check --format sarif writes")
EOF
)
if [ "$why" = SKIP ]; then
    skip "GitHub Actions example" "python3 has no yaml module"
else
    [ -z "$why" ] || fail "$why"
    finish
fi

begin "VS Code extension: package.json and extension.js start obc lsp"
why=$($PY - "$ROOT/contrib/vscode" <<'EOF'
import json, os, sys
d = sys.argv[1]
pkg = json.load(open(os.path.join(d, "package.json")))
main = os.path.join(d, pkg.get("main", ""))
if not os.path.isfile(main):
    print("main %r is missing" % pkg.get("main")); sys.exit()
if "vscode-languageclient" not in pkg.get("dependencies", {}):
    print("no vscode-languageclient dependency"); sys.exit()
langs = pkg["contributes"]["languages"]
if not any(".ob" in l.get("extensions", []) for l in langs):
    print("no language for .ob"); sys.exit()
for l in langs:
    if "configuration" in l:
        json.load(open(os.path.join(d, l["configuration"])))
src = open(main).read()
if "args: ['lsp']" not in src or "vscode-languageclient/node" not in src:
    print("extension.js does not start obc lsp through vscode-languageclient")
EOF
)
[ -z "$why" ] || fail "$why"
if command -v node >/dev/null 2>&1; then
    node --check "$ROOT/contrib/vscode/extension.js" 2>"$T/stderr" || fail "node --check extension.js"
fi
finish

summary
