#!/bin/sh
# tests/cli/check-lsp.sh - `obc lsp` on the command line: it takes no
# operand, `obc help lsp` describes it, and a client that goes away
# (input ends, framing it cannot trust) gets exit status 1 without
# output, while shutdown then exit gives 0. The session itself is
# tests/lsp/session.py (make lsp).
#
#   tests/cli/check-lsp.sh OBC
. "$(dirname "$0")/harness.sh"

frame() { # frame JSON: one message with its Content-Length header
    printf 'Content-Length: %d\r\n\r\n%s' "$(printf '%s' "$1" | wc -c)" "$1"
}

begin "lsp takes no operand"
run lsp extra.ob
want_rc 2
want_err "unexpected argument 'extra.ob'"
finish

begin "help lsp describes the language server"
run help lsp
want_rc 0
want_out "Language Server Protocol"
finish

begin "lsp: initialize, shutdown and exit give status 0"
{ frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
  frame '{"jsonrpc":"2.0","id":2,"method":"shutdown"}'
  frame '{"jsonrpc":"2.0","method":"exit"}'; } >in
run lsp <in
want_rc 0
want_out '"positionEncoding":"utf-16"' '"id":2,"result":null'
finish

begin "lsp: input that ends without shutdown gives status 1"
frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}' >in
run lsp <in
want_rc 1
finish

begin "lsp: an oversized Content-Length stops the server without reading it"
printf 'Content-Length: 99999999999\r\n\r\n' >in
run lsp <in
want_rc 1
want_err "malformed or oversized message"
finish

summary
