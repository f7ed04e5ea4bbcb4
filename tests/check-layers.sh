#!/bin/sh
# check-layers.sh - the compiler's layers include downwards only.
#
# Every file of compiler/ and grammar/ belongs to one layer (by its name,
# below) and may include the headers of that layer and of the layers it
# stands on, never one above or beside it:
#
#   driver   compile.c output.c main.c import_ob.c effective.c fmt_cli.c lsp*.c   may use everything
#   checks   checks.c check_*.c                 stands on ir, base
#   emit     emit_*.c emit_cfn.h                stands on ir, base
#   sema     schema(.def) sema* symtab lower_* schedule selector json_lower json_controls policy_keys(.def) inherit
#                                              stands on front, ir, base
#   front    ast parse load json_in template fmt fmt_scan fmt_diff discover suppress, grammar/*
#                                              stands on base
#   ir       ir_* aws_ids key_users cron policy_paths(.def)
#                                              stands on base
#   base     arena source diag* suggest wildcard strmap ptrset context json_out explain_render
#
# A new file must be given a layer here. Exit 1 on any violation.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

layer_of() {
    case "${1##*/}" in
        compile.c|output.c|main.c|import_ob.c|effective.c|fmt_cli.c|lsp*.c|lsp.h|driver.h) echo driver ;;
        checks.c|check_*.c|checks.h) echo checks ;;
        emit_*.c|emit.h|emit_cfn.h|emit_ops.h) echo emit ;;
        schema.c|schema.def|sema*.c|symtab.c|lower_*.c|schedule.c|selector.c|json_lower.c|json_controls.c|policy_keys.def|sema.h|inherit.c|inherit.h) echo sema ;;
        ast.c|ast_snapshot.c|parse.c|load.c|json_in.c|template.c|fmt.c|fmt_scan.c|fmt_diff.c|fmt.h|discover.c|suppress.c|lexer.l|parser.y|front.h) echo front ;;
        ir_*.c|aws_ids.c|key_users.c|cron.c|ir.h|aws_limits.def|policy_paths.def) echo ir ;;
        arena.c|source.c|diag*.c|suggest.c|wildcard.c|strmap.c|ptrset.c|context.c|json_out.c|base.h|codes.def) echo base ;;
        explain_render.c|explain_render.h) echo base ;;
        *) echo unknown ;;
    esac
}

allowed() { # layer -> the layers it may include
    case "$1" in
        driver) echo "driver checks emit sema front ir base" ;;
        checks) echo "checks ir base" ;;
        emit) echo "emit ir base" ;;
        sema) echo "sema front ir base" ;;
        front) echo "front base" ;;
        ir) echo "ir base" ;;
        base) echo "base" ;;
    esac
}

bad=0
files=0
for f in compiler/*.c compiler/*.h grammar/lexer.l grammar/parser.y; do
    files=$((files + 1))
    me=$(layer_of "$f")
    if [ "$me" = unknown ]; then
        echo "check-layers: $f has no layer: add it to tests/check-layers.sh"
        bad=$((bad + 1))
        continue
    fi
    ok=" $(allowed "$me") "
    for h in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f"); do
        case "$h" in parser.h|lexer.h) continue ;; esac # generated front-end headers
        [ "$h" = codes.def ] && [ "$me" = base ] && continue
        them=$(layer_of "$h")
        case "$ok" in
            *" $them "*) ;;
            *) echo "check-layers: $f ($me) includes $h ($them)"; bad=$((bad + 1)) ;;
        esac
    done
done
echo "check-layers: $files files, $bad violations"
[ "$bad" -eq 0 ]
