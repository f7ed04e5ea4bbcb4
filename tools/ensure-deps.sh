#!/bin/sh
# ensure-deps.sh PACKAGE... - installs the Debian packages that are missing.
# Called by the Makefile before building or testing, so a fresh Debian
# machine needs nothing but make. Exits non-zero with instructions when it
# cannot install (not root and no password-less sudo, or apt-get fails).
#
# On a system without dpkg-query and apt-get (not Debian) nothing is
# installed: each package is checked by what it provides (a command, a
# header, a Python module). When all of it is present the script exits 0;
# otherwise it names what is needed and exits 1.
set -u

# tool_name PACKAGE: the generic name of what a Debian package provides.
tool_name() {
    case $1 in
    gcc) echo "a C11 compiler (cc)" ;;
    make) echo "GNU make" ;;
    flex) echo "flex" ;;
    bison) echo "bison (3.x)" ;;
    libcjson-dev) echo "cJSON development files (cjson/cJSON.h, -lcjson)" ;;
    libcmocka-dev) echo "cmocka development files (cmocka.h, -lcmocka)" ;;
    python3) echo "python3" ;;
    python3-jsonschema) echo "python3 with the jsonschema module (4.x, Draft 2020-12)" ;;
    valgrind) echo "valgrind" ;;
    clang) echo "clang" ;;
    libclang-rt-*-dev) echo "clang's compiler-rt (libFuzzer and sanitizer runtimes)" ;;
    gcovr) echo "gcovr" ;;
    time) echo "GNU time (/usr/bin/time)" ;;
    groff-base) echo "groff (man page rendering and checks)" ;;
    zsh) echo "zsh (the zsh completion's checks)" ;;
    *) echo "$1" ;;
    esac
}

# compiles COMPILER SOURCE [FLAGS...]: whether COMPILER builds SOURCE.
compiles() {
    cc=$1
    src=$2
    shift 2
    tmp=$(mktemp -d 2>/dev/null) || return 1
    printf '%s\n' "$src" > "$tmp/probe.c"
    "$cc" -o "$tmp/probe" "$tmp/probe.c" "$@" >/dev/null 2>&1
    rc=$?
    rm -rf "$tmp"
    return $rc
}

# present PACKAGE: whether what PACKAGE provides is usable without dpkg.
present() {
    case $1 in
    gcc) command -v "${CC:-cc}" >/dev/null 2>&1 ;;
    make | flex | bison | python3 | valgrind | clang | gcovr) command -v "$1" >/dev/null 2>&1 ;;
    libcjson-dev) compiles "${CC:-cc}" '#include <cjson/cJSON.h>
int main(void) { cJSON_Delete(cJSON_CreateNull()); return 0; }' -lcjson ;;
    libcmocka-dev) compiles "${CC:-cc}" '#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
int main(void) { return 0; }' ;;
    python3-jsonschema)
        for py in /usr/bin/python3 python3; do
            "$py" -c 'import jsonschema; jsonschema.Draft202012Validator' >/dev/null 2>&1 && return 0
        done
        return 1 ;;
    libclang-rt-*-dev) command -v clang >/dev/null 2>&1 &&
        compiles clang 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
            -fsanitize=fuzzer,address,undefined ;;
    time) [ -x /usr/bin/time ] ;;
    groff-base) command -v groff >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
    esac
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    missing=""
    for p in "$@"; do
        present "$p" || missing="$missing $p"
    done
    [ -z "$missing" ] && exit 0
    echo "obc: error: this system has no dpkg-query/apt-get (not Debian), so obc cannot install what it needs;" >&2
    echo "install these with the system's package manager:" >&2
    for p in $missing; do
        echo "  - $(tool_name "$p")   (Debian package: $p)" >&2
    done
    echo "then run make again" >&2
    exit 1
fi

missing=""
for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "obc: installing missing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "obc: error: these packages are missing and installing them needs root:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    echo "run that, then run make again" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq; then
    echo "obc: error: apt-get update failed (is the network reachable?)" >&2
    echo "install by hand when it is:  apt-get install -y$missing" >&2
    exit 1
fi
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
    echo "obc: error: apt-get install failed for:$missing" >&2
    echo "  (check the package names with apt-cache policy$missing)" >&2
    exit 1
fi
echo "obc: installed$missing"
