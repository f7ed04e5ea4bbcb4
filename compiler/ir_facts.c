/*
 * ir_facts.c - facts derived from the policy IR that the checks and the
 * manifest share: who holds a vault or key, whether a copy leaves its
 * account, where a vault must exist, which resource types a plan can
 * back up, how long a copy is kept, and which retention range a vault
 * lock enforces. Pure functions over the IR.
 */
#include "ir.h"

#include <string.h>

struct ir_principal ir_vault_owner(const struct ir_vault *v)
{
    if (v->owner.kind == PRIN_ACCOUNT && v->owner.account)
        return v->owner;
    return (struct ir_principal){.kind = PRIN_MEMBERS, .loc = v->owner.loc};
}

struct ir_principal ir_key_owner(const struct ir_key *k)
{
    if (k->owner.kind == PRIN_ACCOUNT && k->owner.account)
        return k->owner;
    return (struct ir_principal){.kind = PRIN_MEMBERS, .loc = k->owner.loc};
}

static bool same_account(const struct ir_account *a, const struct ir_account *b)
{
    return a == b || (a && b && a->id && b->id && strcmp(a->id, b->id) == 0);
}

bool ir_same_principal(const struct ir_principal *a, const struct ir_principal *b)
{
    if (a->kind != b->kind)
        return false;
    return a->kind != PRIN_ACCOUNT || same_account(a->account, b->account);
}

void ir_principal_set_add(struct arena *a, struct ir_principal_set *s, const struct ir_principal *p)
{
    if (p->kind == PRIN_ORGANIZATION)
        s->organization = true;
    else if (p->kind == PRIN_MEMBERS)
        s->members = true;
    else if (p->kind == PRIN_NONE)
        s->none = true;
    else if (p->kind == PRIN_ACCOUNT && p->account && p->account->id)
        strmap_put_new(a, &s->ids, p->account->id, (void *)p);
    else if (p->kind == PRIN_ACCOUNT)
        ptrset_add(a, &s->accounts, p->account);
}

bool ir_principal_set_has(const struct ir_principal_set *s, const struct ir_principal *who)
{
    if (who->kind != PRIN_ACCOUNT)
        return who->kind == PRIN_MEMBERS ? s->members : who->kind == PRIN_ORGANIZATION ? s->organization : s->none;
    return ptrset_has(&s->accounts, who->account) ||
           (who->account && who->account->id && strmap_get(&s->ids, who->account->id));
}

/* A members vault is in the account the plan runs in, so a copy into one
 * never leaves that account; a copy into a named account's vault does,
 * unless it comes from that account's own vault. */
bool ir_copy_cross_account(const struct ir_vault *source, const struct ir_vault *target)
{
    struct ir_principal from = ir_vault_owner(source), to = ir_vault_owner(target);
    if (to.kind != PRIN_ACCOUNT)
        return false;
    return !ir_same_principal(&from, &to);
}

/* Tags of the keys in ir_vault_regions' map. */
enum { VR_VAULT, VR_PLAN_VAULT, VR_VAULT_REGION };

static struct vec *regions_of(struct arena *a, struct ptrset *map, const struct ir_vault *v)
{
    bool fresh;
    return ptrset_memo(a, map, VR_VAULT, v, NULL, sizeof(struct vec), &fresh);
}

static void add_region(struct arena *a, struct ptrset *map, const struct ir_vault *v, void *region)
{
    if (ptrset_add_key(a, map, VR_VAULT_REGION, v, region))
        vec_push(a, regions_of(a, map, v), region);
}

void ir_vault_regions(const struct ir_program *prog, struct ptrset *out, struct arena *a)
{
    for (size_t i = 0; i < prog->vaults.len; i++) {
        const struct ir_vault *v = prog->vaults.items[i];
        regions_of(a, out, v);
        for (size_t j = 0; j < v->regions.len; j++)
            add_region(a, out, v, v->regions.items[j]);
    }
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_vault *v = VEC_GET(const struct ir_rule, p->rules, j)->vault;
            if (!v || v->regions.len || !ptrset_add_key(a, out, VR_PLAN_VAULT, p, v))
                continue;
            for (size_t k = 0; k < p->regions.len; k++)
                add_region(a, out, v, p->regions.items[k]);
        }
    }
}

const struct vec *ir_vault_regions_of(const struct ptrset *map, const struct ir_vault *v)
{
    static const struct vec none;
    const struct vec *r = ptrset_get(map, VR_VAULT, v, NULL);
    return r ? r : &none;
}

/* The types `sel` names, appended to `out` once each (`seen` holds the
 * types of out); *any is set when it selects by tags only or names the
 * wildcard type. */
static void named_types(const struct ir_selection *sel, struct vec *out, struct ptrset *seen, bool *any,
                        struct arena *a)
{
    for (size_t j = 0; j < sel->entries.len; j++) {
        const struct ir_sel_entry *e = VEC_GET(const struct ir_sel_entry, sel->entries, j);
        if (!e->resources) {
            *any = true;
            continue;
        }
        for (size_t k = 0; k < e->types.len; k++) {
            struct ir_restype *t = e->types.items[k];
            if (t->is_any)
                *any = true;
            else
                vec_push_new(a, out, seen, t);
        }
    }
}

/* With `any`, every known type is included too. */
static void any_types(const struct ir_program *prog, struct vec *out, struct ptrset *seen, bool any,
                      struct arena *a)
{
    for (size_t i = 0; any && i < prog->restypes.len; i++) {
        struct ir_restype *t = prog->restypes.items[i];
        if (!t->is_any)
            vec_push_new(a, out, seen, t);
    }
}

/* The types of `n` selections appended to `out`. The set that removes
 * duplicates is scratch: when the result is small it is built apart,
 * the scratch given back to the arena, and only the result appended, so
 * the checks that ask for a plan's types many times do not pile up
 * memory. */
#define TYPES_KEPT_APART 512
static void selections_types(const struct ir_program *prog, const struct ir_selection *const *sels, size_t n,
                             struct vec *out, bool *any, struct arena *a)
{
    *any = false;
    struct arena_mark mark = arena_mark(a);
    struct vec found = {0};
    struct ptrset seen = {0};
    ptrset_add_all(a, &seen, out);
    for (size_t i = 0; i < n; i++)
        named_types(sels[i], &found, &seen, any, a);
    any_types(prog, &found, &seen, *any, a);
    if (found.len > TYPES_KEPT_APART) {
        for (size_t i = 0; i < found.len; i++)
            vec_push(a, out, found.items[i]);
        return;
    }
    void *kept[TYPES_KEPT_APART];
    size_t nkept = found.len;
    if (nkept)
        memcpy(kept, found.items, nkept * sizeof *kept);
    arena_release(a, mark);
    for (size_t i = 0; i < nkept; i++)
        vec_push(a, out, kept[i]);
}

void ir_selection_types(const struct ir_program *prog, const struct ir_selection *sel, struct vec *out,
                        bool *any, struct arena *a)
{
    selections_types(prog, &sel, 1, out, any, a);
}

void ir_plan_types(const struct ir_program *prog, const struct ir_plan *p, struct vec *out,
                   bool *any, struct arena *a)
{
    selections_types(prog, (const struct ir_selection *const *)p->selections.items, p->selections.len, out, any, a);
}

bool ir_key_encrypts(const struct ir_key *k, const struct ir_restype *t)
{
    if (!k->encrypts.len)
        return true;
    for (size_t i = 0; i < k->encrypts.len; i++) /* a key's own short list */
        if (k->encrypts.items[i] == t)
            return true;
    return false;
}

int64_t ir_copy_retention(const struct ir_rule *r, const struct ir_copy *c, bool *forever)
{
    *forever = false;
    if (c->lc.delete_after.state == IR_SET)
        return c->lc.delete_after.v;
    if (r->lc.delete_after.state == IR_SET)
        return r->lc.delete_after.v;
    *forever = true;
    return 0;
}

/* 1..36500 days: the API's DeleteAfterDays bounds [X2, B1] and the lock's
 * MinRetentionDays (at least 1) and MaxRetentionDays (at most 36500) [B7]. */
bool ir_retention_unknown(const struct ir_rule *r, const struct ir_copy *c)
{
    return r->lc.delete_after.state == IR_REJECTED || r->continuous.state == IR_REJECTED ||
           (c && c->lc.delete_after.state == IR_REJECTED);
}

bool ir_days_valid(const struct ir_num *n)
{
    return n->state == IR_SET && n->v >= 1 && n->v <= AWS_RETENTION_MAX_DAYS;
}

struct ir_lock_range ir_lock_range(const struct ir_lock *l)
{
    struct ir_lock_range r = {0};
    if (!l)
        return r;
    r.has_min = ir_days_valid(&l->min_retention);
    r.has_max = ir_days_valid(&l->max_retention);
    r.min = l->min_retention.v;
    r.max = l->max_retention.v;
    if (r.has_min && r.has_max && r.min > r.max)
        r.has_min = r.has_max = false;
    return r;
}

bool ir_same_aws_vault(const struct ir_vault *a, const struct ir_vault *b)
{
    if (a == b)
        return true;
    const char *na = a->aws_name.s ? a->aws_name.s : a->d.name, *nb = b->aws_name.s ? b->aws_name.s : b->d.name;
    struct ir_principal oa = ir_vault_owner(a), ob = ir_vault_owner(b);
    return na && nb && strcmp(na, nb) == 0 && ir_same_principal(&oa, &ob);
}

const char *ir_plan_name(const struct ir_plan *p)
{
    return p->aws_name.s ? p->aws_name.s : p->d.name;
}

const char *ir_rule_name(const struct ir_rule *r)
{
    return r->aws_name.s ? r->aws_name.s : r->name;
}

const char *ir_selection_name(const struct ir_selection *s)
{
    return s->aws_name.s ? s->aws_name.s : s->d.name;
}

bool ir_vault_is_default(const struct ir_vault *v)
{
    const char *name = v->aws_name.s ? v->aws_name.s : v->d.name;
    return name && strcmp(name, "Default") == 0;
}

static const struct ir_partition *partition_of(const struct ir_region *r)
{
    return r ? r->partition : NULL;
}

/* Backups are never copied from one partition to another; China and
 * GovCloud Regions pair only with each other [B17], which is the same
 * rule since each of those partitions holds just those two Regions. */
const struct ir_region *ir_copy_foreign_region(const struct ir_plan *p, const struct ir_copy *c)
{
    const struct ir_partition *to = partition_of(copy_region(p, c));
    if (!to)
        return NULL;
    for (size_t i = 0; i < p->regions.len; i++) {
        const struct ir_region *r = VEC_GET(const struct ir_region, p->regions, i);
        if (partition_of(r) && partition_of(r) != to)
            return r;
    }
    return NULL;
}

const struct ir_partition *ir_copy_account_barrier(const struct ir_plan *p, const struct ir_rule *r,
                                                   const struct ir_copy *c)
{
    if (!r->vault || !c->target || !ir_copy_cross_account(r->vault, c->target))
        return NULL;
    for (size_t i = 0; i < p->regions.len; i++) {
        const struct ir_partition *part = partition_of(VEC_GET(const struct ir_region, p->regions, i));
        if (part && !part->cross_account_copy)
            return part;
    }
    return NULL;
}

struct ir_receiver *ir_receiver_of(struct arena *a, const struct ir_policy *pol, const struct ir_target *t)
{
    struct ir_receiver *r = arena_alloc(a, sizeof *r);
    r->policy = pol;
    r->target = t;
    r->who.loc = t->loc;
    if (t->kind == TARGET_ACCOUNT) {
        r->who.kind = PRIN_ACCOUNT;
        r->who.account = (struct ir_account *)t->decl;
    } else {
        r->who.kind = PRIN_MEMBERS;
    }
    return r;
}

void ir_plan_receivers(const struct ir_plan *p, struct vec *out, struct arena *a)
{
    for (size_t i = 0; i < p->policies.len; i++) {
        const struct ir_policy *pol = p->policies.items[i];
        for (size_t j = 0; j < pol->attach.len; j++)
            vec_push(a, out, ir_receiver_of(a, pol, pol->attach.items[j]));
    }
}
