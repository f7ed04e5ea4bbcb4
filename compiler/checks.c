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

void checks_run(struct obc *cc, struct ir_program *prog)
{
    check_windows(cc, prog);
    check_overlap(cc, prog);
    check_lifecycle(cc, prog);
    check_cold(cc, prog);
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

/* A (code, thing, thing) triple already diagnosed; `used` tells a slot
 * in use from an empty one (b may be NULL). */
struct check_seen {
    enum diag_code code;
    const void *a, *b;
    bool used;
    void *value; /* check_memo's */
};

static size_t seen_hash(enum diag_code code, const void *a, const void *b)
{
    uint64_t h = (uint64_t)code * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)(uintptr_t)a + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h ^= (uint64_t)(uintptr_t)b + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return (size_t)h;
}

/* The slot that holds (code, a, b), or the empty slot where it belongs. */
static struct check_seen *seen_slot(const struct check_reported *s, enum diag_code code, const void *a,
                                    const void *b)
{
    size_t mask = s->cap - 1;
    for (size_t i = seen_hash(code, a, b) & mask;; i = (i + 1) & mask) {
        struct check_seen *x = &s->slots[i];
        if (!x->used || (x->code == code && x->a == a && x->b == b))
            return x;
    }
}

/* The slot of (code, a, b), added when new (*added set). */
static struct check_seen *seen_add(struct arena *ar, struct check_reported *seen, enum diag_code code,
                                   const void *a, const void *b, bool *added)
{
    if ((seen->count + 1) * 2 > seen->cap) {
        struct check_reported old = *seen;
        seen->cap = old.cap ? old.cap * 2 : 16;
        seen->slots = arena_alloc(ar, seen->cap * sizeof *seen->slots);
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i].used)
                *seen_slot(seen, old.slots[i].code, old.slots[i].a, old.slots[i].b) = old.slots[i];
    }
    struct check_seen *x = seen_slot(seen, code, a, b);
    *added = !x->used;
    if (!x->used) {
        *x = (struct check_seen){code, a, b, true, NULL};
        seen->count++;
    }
    return x;
}

bool check_first_time(struct arena *ar, struct check_reported *seen, enum diag_code code, const void *a,
                      const void *b)
{
    bool added;
    seen_add(ar, seen, code, a, b, &added);
    return added;
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
#define MEMO_POLICY ((enum diag_code)0)
#define MEMO_PLAN   ((enum diag_code)1)

static const struct recv_sum *policy_sum(struct arena *ar, struct check_reported *memo, const struct ir_policy *pol)
{
    bool added;
    struct check_seen *slot = seen_add(ar, memo, MEMO_POLICY, pol, NULL, &added);
    if (!added)
        return slot->value;
    struct recv_sum *s = arena_alloc(ar, sizeof *s);
    for (size_t j = 0; j < pol->attach.len && !s->second; j++) {
        const struct ir_receiver *r = ir_receiver_of(ar, pol, pol->attach.items[j]);
        if (!s->first)
            s->first = r;
        else if (!same_key(key_of(s->first), key_of(r)))
            s->second = r;
    }
    slot->value = s;
    return s;
}

static const struct recv_sum *plan_sum(struct arena *ar, struct check_reported *memo, const struct ir_plan *p)
{
    bool added;
    struct check_seen *slot = seen_add(ar, memo, MEMO_PLAN, p, NULL, &added);
    if (!added)
        return slot->value;
    struct recv_sum *s = arena_alloc(ar, sizeof *s);
    for (size_t i = 0; i < p->policies.len && !s->second; i++) {
        const struct recv_sum *ps = policy_sum(ar, memo, p->policies.items[i]);
        if (!s->first) {
            *s = *ps;
            continue;
        }
        s->second = sum_other(ps, key_of(s->first));
    }
    /* policy_sum may have grown the table: find the slot again */
    seen_add(ar, memo, MEMO_PLAN, p, NULL, &added)->value = s;
    return s;
}

const struct ir_receiver *check_other_receiver(struct arena *ar, struct check_reported *memo,
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
