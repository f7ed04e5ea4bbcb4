# tests/lib.sh - helpers shared by the test scripts (sourced, POSIX sh).

# obc_binary WHO PATH: prints PATH made absolute, or tells WHO's caller to
# build it and exits 2 when it is not an executable file.
obc_binary() {
    case $2 in
    /*) bin=$2 ;;
    *) bin=$PWD/$2 ;;
    esac
    if [ ! -x "$bin" ] || [ -d "$bin" ]; then
        echo "$1: '$bin' is not an executable (build it with make)" >&2
        exit 2
    fi
    printf '%s\n' "$bin"
}
