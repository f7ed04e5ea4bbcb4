/*
 * ir_overlap.c - whether two plans may back up the same resource: the
 * one answer to "may these selections overlap" that checks share.
 *
 * Conservative: two selection entries may overlap unless they can be
 * shown disjoint, by resource types that share no ARN pattern (both
 * entries `resources` entries without `any`; aurora, documentdb and
 * neptune share rds:*:*:cluster:* and therefore overlap [S1]), or by one
 * tag key that each entry requires to equal a value from two disjoint
 * sets (a `tags` entry's tag_key/tag_value, or a StringEquals condition
 * of a `resources` entry [S1, B3]). Values with a `*` are never called
 * disjoint. Plans that share no region never back up the same resource.
 *
 * Pure functions over the IR, apart from one cache: the tag values an
 * entry requires, grouped by key into hash sets on first use (in the
 * entry's tag_reqs), so comparing two entries costs time linear in the
 * smaller one and allocates nothing after the first comparison of each.
 */
#include "ir.h"

#include <string.h>

bool ir_types_share_pattern(const struct ir_restype *a, const struct ir_restype *b)
{
    if (a == b || a->is_any || b->is_any)
        return true;
    for (size_t i = 0; i < a->arns.len; i++)
        for (size_t j = 0; j < b->arns.len; j++)
            if (strcmp(a->arns.items[i], b->arns.items[j]) == 0)
                return true;
    return false;
}

static bool types_disjoint(const struct ir_sel_entry *a, const struct ir_sel_entry *b)
{
    if (!a->resources || !b->resources || !a->types.len || !b->types.len)
        return false;
    for (size_t i = 0; i < a->types.len; i++)
        for (size_t j = 0; j < b->types.len; j++)
            if (ir_types_share_pattern(a->types.items[i], b->types.items[j]))
                return false;
    return true;
}

/* What one entry requires of one tag key: the union of the values its
 * tags entry and its StringEquals conditions name for the key. */
struct ir_tag_req {
    const char *key;
    bool wild;           /* a value with a `*`: never called disjoint */
    struct vec values;   /* const char*, in entry order */
    struct strmap set;   /* the same values, for membership */
};

/* Every tag key entry `e` requires, built once per entry on first use. */
struct ir_tag_reqs {
    struct vec reqs;     /* struct ir_tag_req*, in order of first mention */
    struct strmap by_key;
    struct vec keys;     /* const char*: the keys of the reqs without `*` */
};

static void add_required(struct arena *a, struct ir_tag_reqs *t, const char *key, const char *value)
{
    struct ir_tag_req *q = strmap_get(&t->by_key, key);
    if (!q) {
        q = arena_alloc(a, sizeof *q);
        q->key = key;
        strmap_put_new(a, &t->by_key, key, q);
        vec_push(a, &t->reqs, q);
    }
    if (!value)
        return;
    if (strchr(value, '*'))
        q->wild = true;
    if (!strmap_put_new(a, &q->set, value, (void *)value))
        vec_push(a, &q->values, (void *)value);
}

/* The entry's requirements. The cache lives in the entry, which the IR
 * allocates writable; the checks only see it through const pointers. */
static const struct ir_tag_reqs *tag_reqs(const struct ir_sel_entry *e, struct arena *a)
{
    if (e->tag_reqs)
        return e->tag_reqs;
    struct ir_tag_reqs *t = arena_alloc(a, sizeof *t);
    if (!e->resources && e->tag_key) {
        add_required(a, t, e->tag_key, NULL);
        for (size_t i = 0; i < e->tag_values.len; i++)
            add_required(a, t, e->tag_key, e->tag_values.items[i]);
    }
    for (size_t i = 0; i < e->conditions.len; i++) {
        const struct ir_condition *c = e->conditions.items[i];
        if (c->op == COND_EQUALS)
            add_required(a, t, c->tag_key, c->value);
    }
    for (size_t i = 0; i < t->reqs.len; i++) {
        const struct ir_tag_req *q = t->reqs.items[i];
        if (!q->wild)
            vec_push(a, &t->keys, (void *)q->key);
    }
    ((struct ir_sel_entry *)e)->tag_reqs = t;
    return t;
}

static const struct ir_tag_req *required(const struct ir_sel_entry *e, const char *key, struct arena *a)
{
    const struct ir_tag_req *q = strmap_get(&tag_reqs(e, a)->by_key, key);
    return q && !q->wild ? q : NULL;
}

const struct vec *ir_entry_required_keys(const struct ir_sel_entry *e, struct arena *a)
{
    return &tag_reqs(e, a)->keys;
}

const struct vec *ir_entry_required_values(const struct ir_sel_entry *e, const char *key, struct arena *a)
{
    const struct ir_tag_req *q = required(e, key, a);
    return q ? &q->values : NULL;
}

/* Linear in the smaller list: each value is looked up in the other set. */
static bool values_disjoint(const struct ir_tag_req *a, const struct ir_tag_req *b)
{
    if (a->values.len > b->values.len) {
        const struct ir_tag_req *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < a->values.len; i++)
        if (strmap_get(&b->set, a->values.items[i]))
            return false;
    return true;
}

static bool tags_disjoint(const struct ir_sel_entry *a, const struct ir_sel_entry *b, struct arena *ar)
{
    const struct vec *keys = ir_entry_required_keys(a, ar);
    for (size_t i = 0; i < keys->len; i++) {
        const struct ir_tag_req *qb = required(b, keys->items[i], ar);
        if (qb && values_disjoint(required(a, keys->items[i], ar), qb))
            return true;
    }
    return false;
}

static bool entries_may_overlap(const struct ir_sel_entry *a, const struct ir_sel_entry *b, struct arena *ar)
{
    return !types_disjoint(a, b) && !tags_disjoint(a, b, ar);
}

bool ir_plans_may_share_resources(const struct ir_plan *a, const struct ir_plan *b, struct arena *ar)
{
    struct ptrset in_b = {0};
    ptrset_add_all(ar, &in_b, &b->regions);
    bool region = false;
    for (size_t i = 0; i < a->regions.len && !region; i++)
        region = ptrset_has(&in_b, a->regions.items[i]);
    if (!region)
        return false;
    for (size_t i = 0; i < a->selections.len; i++) {
        const struct ir_selection *sa = a->selections.items[i];
        for (size_t j = 0; j < b->selections.len; j++) {
            const struct ir_selection *sb = b->selections.items[j];
            for (size_t k = 0; k < sa->entries.len; k++)
                for (size_t l = 0; l < sb->entries.len; l++)
                    if (entries_may_overlap(sa->entries.items[k], sb->entries.items[l], ar))
                        return true;
        }
    }
    return false;
}
