/*
 * checks.c - runs the checks that need the whole program, on the policy
 * IR (never the AST): each check_*.c file owns one family of codes, and
 * this file decides the order they run in.
 *
 * The order matters only for reading: diagnostics are sorted by
 * location before they are shown.
 */
#include "obc.h"

void checks_run(struct obc *cc, struct ir_program *prog)
{
    cc->diag.before_checks = cc->diag.list.len;
    check_windows(cc, prog);
    check_overlap(cc, prog);
    check_lifecycle(cc, prog);
    check_lock(cc, prog);
    check_roles(cc, prog);
    check_copies(cc, prog);
    check_kms(cc, prog);
    check_limits(cc, prog);
    check_lints(cc, prog);
}
