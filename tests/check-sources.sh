#!/bin/sh
# check-sources.sh - every source tag cited in the project is in docs/sources.md.
#
# Source tags are the bracketed references to AWS documentation used in
# comments, documentation, the schema and tests: [S1], [B7, B13],
# [S1 Ex.3], [S1L]. The script reads every text file of the repository
# (not .git/ or build/), collects the tags, and fails, naming file and tag,
# when one is not a row of the tables in docs/sources.md. It also fails when
# docs/sources.md defines a tag twice. Exit 0: all resolved; 1: missing
# tags; 2: docs/sources.md unreadable.
set -eu
cd "$(dirname "$0")/.."
exec "${PY:-python3}" - <<'PYTHON'
import os, re, sys

SOURCES = os.path.join("docs", "sources.md")
# A bracket group of at most three lines, whose first item is a tag.
GROUP = re.compile(r"\[([^\[\]\n]{1,300}(?:\n[^\[\]\n]{0,300}){0,2})\]")
TAG = re.compile(r"([A-Z][0-9]{1,2}L?)(?![0-9A-Za-z_])")

try:
    with open(SOURCES, encoding="utf-8") as f:
        rows = [line for line in f if line.startswith("| ")]
except OSError as e:
    print("check-sources: cannot read %s: %s" % (SOURCES, e), file=sys.stderr)
    sys.exit(2)
defined = {}
dupes = 0
for row in rows:
    m = re.match(r"\| ([A-Z][0-9]{1,2}L?) \|", row)
    if m:
        if m.group(1) in defined:
            print("check-sources: %s defines %s twice" % (SOURCES, m.group(1)))
            dupes += 1
        defined[m.group(1)] = True

used = {}
for root, dirs, files in os.walk("."):
    dirs[:] = sorted(d for d in dirs if d not in (".git", "build"))
    for name in sorted(files):
        path = os.path.normpath(os.path.join(root, name))
        if path == SOURCES:
            continue
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError):
            continue  # not a text file
        for m in GROUP.finditer(text):
            items = [i.strip().lstrip("#*/ \t") for i in re.split(r"[,;]", m.group(1))]
            if not TAG.match(items[0]):
                continue
            for item in items:
                t = TAG.match(item)
                if t:
                    line = text.count("\n", 0, m.start()) + 1
                    used.setdefault(t.group(1), "%s:%d" % (path, line))

missing = sorted(t for t in used if t not in defined)
for t in missing:
    print("check-sources: %s: source tag [%s] is not in %s" % (used[t], t, SOURCES))
print("check-sources: %d tag(s) used, %d defined in %s, %d missing"
      % (len(used), len(defined), SOURCES, len(missing)))
sys.exit(1 if missing or dupes else 0)
PYTHON
