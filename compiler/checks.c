/*
 * checks.c - runs the checks that need the whole program, on the policy
 * IR (never the AST): each check_*.c file owns one family of codes, and
 * this file decides the order they run in and holds the helpers they
 * share (names in messages, one report per root cause).
 *
 * The order matters only for reading: diagnostics are sorted by
 * location before they are shown.
 */
#include "checks.h"

void checks_run(struct obc *cc, struct ir_program *prog)
{
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

/* ---- helpers shared by the checks ------------------------------------ */

const char *check_names(struct arena *a, const struct vec *decls, size_t shown)
{
    struct strbuf b = {0};
    size_t n = decls->len < shown ? decls->len : shown;
    for (size_t i = 0; i < n; i++) {
        const struct ir_decl *d = decls->items[i];
        const char *sep = i == 0 ? "" : (i + 1 == n && n == decls->len) ? " and " : ", ";
        sb_printf(a, &b, "%s%s", sep, d->name);
    }
    if (decls->len > n)
        sb_printf(a, &b, " and %zu more", decls->len - n);
    return sb_str(a, &b);
}

/* Messages name accounts and members only: every owner is one of them,
 * and `organization` in a grant or accept list covers every account, so
 * no message lists it among those left out. */
const char *check_principal_words(struct arena *a, const struct ir_principal *p)
{
    if (p->kind == PRIN_ACCOUNT)
        return arena_printf(a, "account '%s'", p->account ? p->account->d.name : "?");
    return "the member accounts";
}

const char *check_rule_words(struct arena *a, const struct ir_rule *r)
{
    return arena_printf(a, "rule '%s' of plan '%s'", r->name, r->plan ? r->plan->d.name : "?");
}

/* A (code, thing, thing) triple already diagnosed. */
struct check_seen {
    enum diag_code code;
    const void *a, *b;
};

bool check_first_time(struct arena *ar, struct vec *seen, enum diag_code code, const void *a, const void *b)
{
    for (size_t i = 0; i < seen->len; i++) {
        const struct check_seen *x = VEC_GET(const struct check_seen, *seen, i);
        if (x->code == code && x->a == a && x->b == b)
            return false;
    }
    struct check_seen *x = arena_alloc(ar, sizeof *x);
    *x = (struct check_seen){code, a, b};
    vec_push(ar, seen, x);
    return true;
}

const char *check_some_types(struct arena *a, const struct vec *types, bool any)
{
    if (!any || types->len <= CHECK_TYPES_SHOWN)
        return check_names(a, types, CHECK_TYPES_SHOWN);
    struct strbuf b = {0};
    for (size_t i = 0; i < CHECK_TYPES_SHOWN; i++)
        sb_printf(a, &b, "%s%s", i ? ", " : "", ((const struct ir_decl *)types->items[i])->name);
    sb_puts(a, &b, " and other types");
    return sb_str(a, &b);
}
