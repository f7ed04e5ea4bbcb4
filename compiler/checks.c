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

#include <string.h>

/* The checks that judge policies and what they name. */
static void check_policies(struct obc *cc, struct ir_program *prog)
{
    check_windows(cc, prog);
    check_overlap(cc, prog);
    check_lifecycle(cc, prog);
    check_continuous(cc, prog);
    check_cold(cc, prog);
    check_lock(cc, prog);
    check_roles(cc, prog);
    check_copies(cc, prog);
    check_kms(cc, prog);
    check_limits(cc, prog);
    check_airgap(cc, prog);
    check_scan(cc, prog);
    check_ops(cc, prog);
    check_variables(cc, prog);
}

void checks_run(struct obc *cc, struct ir_program *prog)
{
    check_policies(cc, prog);
    check_lints(cc, prog);
    /* after the lints, which stay quiet after an OB2xxx error: an error
     * in the tree is no failed reference */
    check_org(cc, prog);
}

void checks_run_effective(struct obc *cc, struct ir_program *prog)
{
    check_policies(cc, prog);
}

/* ---- helpers shared by the checks ------------------------------------ */

const char *check_names(struct arena *a, const struct vec *decls, size_t shown)
{
    return check_names_of(a, decls, shown, decls->len);
}

const char *check_names_of(struct arena *a, const struct vec *decls, size_t shown, size_t total)
{
    struct strbuf b = {0};
    size_t n = decls->len < shown ? decls->len : shown;
    for (size_t i = 0; i < n; i++) {
        const struct ir_decl *d = decls->items[i];
        const char *sep = i == 0 ? "" : (i + 1 == n && n == total) ? " and " : ", ";
        sb_printf(a, &b, "%s%s", sep, d->name);
    }
    if (total > n)
        sb_printf(a, &b, " and %zu more", total - n);
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

const char *check_count(struct arena *a, int64_t n, const char *one, const char *many)
{
    return arena_printf(a, "%lld %s", (long long)n, n == 1 ? one : many);
}

const char *check_days(struct arena *a, int64_t n)
{
    return check_count(a, n, "day", "days");
}

const char *check_rule_words(struct arena *a, const struct ir_rule *r)
{
    return arena_printf(a, "rule '%s' of plan '%s'", r->name, r->plan ? r->plan->d.name : "?");
}

bool check_first_time(struct arena *ar, struct ptrset *seen, enum diag_code code, const void *a, const void *b)
{
    return ptrset_add_key(ar, seen, (unsigned)code, a, b);
}

/* ---- plans ------------------------------------------------------------ */

const struct check_plan *check_plan_facts(struct arena *ar, struct ptrset *memo, const struct ir_plan *p)
{
    bool fresh;
    struct check_plan *f = ptrset_memo(ar, memo, 0, p, NULL, sizeof *f, &fresh);
    if (!fresh)
        return f;
    f->one_partition = true;
    for (size_t i = 0; i < p->regions.len; i++) {
        const struct ir_region *r = p->regions.items[i];
        ptrset_add(ar, &f->regions, r);
        if (!r->partition)
            continue;
        if (f->partition && r->partition != f->partition)
            f->one_partition = false;
        if (!f->partition)
            f->partition = r->partition;
        if (!r->partition->cross_account_copy)
            f->no_cross_account = true;
    }
    return f;
}

/* A region of another partition than the destination's exists when the
 * plan is in two partitions (one of them is another) or in one that is
 * not the destination's. */
bool check_copy_walled(const struct check_plan *f, const struct ir_plan *p, const struct ir_rule *r,
                       const struct ir_copy *c)
{
    const struct ir_region *to = copy_region(p, c);
    if (to && to->partition && f->partition && (!f->one_partition || f->partition != to->partition))
        return true;
    return f->no_cross_account && r->vault && c->target && ir_copy_cross_account(r->vault, c->target);
}

/* ---- receivers that are not one account ------------------------------- */

/* Who a receiver is, for telling accounts apart as ir_same_principal()
 * does: an account target by its id, or by its declaration when it has
 * no id; a root or an OU is never the same as anything. */
struct recv_key {
    bool account;
    const char *id;
    const struct ir_account *acct;
};

static struct recv_key key_of(const struct ir_receiver *r)
{
    if (!r || r->who.kind != PRIN_ACCOUNT || !r->who.account)
        return (struct recv_key){0};
    return (struct recv_key){true, r->who.account->id, r->who.account};
}

static bool same_key(struct recv_key x, struct recv_key y)
{
    if (!x.account || !y.account)
        return false;
    if (x.id || y.id)
        return x.id && y.id && strcmp(x.id, y.id) == 0;
    return x.acct == y.acct;
}

/* A sequence of receivers summed up: its first, and the first after it
 * that is not the same as the first. The first receiver not the same as
 * some k is then `first` unless `first` is k, else `second`. */
struct recv_sum {
    const struct ir_receiver *first, *second;
};

static const struct ir_receiver *sum_other(const struct recv_sum *s, struct recv_key k)
{
    if (!s->first)
        return NULL;
    return same_key(key_of(s->first), k) ? s->second : s->first;
}

/* The memo is a set of its own: these codes only tell policies from plans. */
#define MEMO_POLICY 0u
#define MEMO_PLAN   1u

static const struct recv_sum *policy_sum(struct arena *ar, struct ptrset *memo, const struct ir_policy *pol)
{
    bool fresh;
    struct recv_sum *s = ptrset_memo(ar, memo, MEMO_POLICY, pol, NULL, sizeof *s, &fresh);
    if (!fresh)
        return s;
    for (size_t j = 0; j < pol->attach.len && !s->second; j++) {
        const struct ir_receiver *r = ir_receiver_of(ar, pol, pol->attach.items[j]);
        if (!s->first)
            s->first = r;
        else if (!same_key(key_of(s->first), key_of(r)))
            s->second = r;
    }
    return s;
}

static const struct recv_sum *plan_sum(struct arena *ar, struct ptrset *memo, const struct ir_plan *p)
{
    bool fresh;
    struct recv_sum *s = ptrset_memo(ar, memo, MEMO_PLAN, p, NULL, sizeof *s, &fresh);
    if (!fresh)
        return s;
    for (size_t i = 0; i < p->policies.len && !s->second; i++) {
        const struct recv_sum *ps = policy_sum(ar, memo, p->policies.items[i]);
        if (!s->first) {
            *s = *ps;
            continue;
        }
        s->second = sum_other(ps, key_of(s->first));
    }
    return s;
}

const struct ir_receiver *check_other_receiver(struct arena *ar, struct ptrset *memo,
                                               const struct ir_plan *p, const char *id,
                                               const struct ir_account *acct)
{
    struct recv_key k = {true, id, id ? NULL : acct};
    return sum_other(plan_sum(ar, memo, p), k);
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
