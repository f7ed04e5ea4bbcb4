#!/bin/sh
# ensure-deps.sh PACKAGE... - installs the Debian packages that are missing.
# Called by the Makefile before building or testing, so a fresh Debian
# machine needs nothing but make. Exits non-zero with instructions when it
# cannot install (not root and no password-less sudo, or no network).
set -u
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
    exit 1
fi
echo "obc: installed$missing"
