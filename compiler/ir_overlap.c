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
 * Pure functions over the IR.
 */
#include "ir.h"

#include <string.h>

static bool has_region(const struct ir_plan *p, const void *r)
{
    for (size_t i = 0; i < p->regions.len; i++)
        if (p->regions.items[i] == r)
            return true;
    return false;
}

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

/* The values entry `e` requires tag `key` to equal (NULL: no such
 * requirement, or one with a wildcard); appends to `out`. */
static bool required_values(const struct ir_sel_entry *e, const char *key, struct vec *out, struct arena *a)
{
    bool any = false;
    if (!e->resources && e->tag_key && strcmp(e->tag_key, key) == 0) {
        for (size_t i = 0; i < e->tag_values.len; i++) {
            if (strchr(e->tag_values.items[i], '*'))
                return false;
            vec_push(a, out, e->tag_values.items[i]);
        }
        any = true;
    }
    for (size_t i = 0; i < e->conditions.len; i++) {
        const struct ir_condition *c = e->conditions.items[i];
        if (c->op != COND_EQUALS || strcmp(c->tag_key, key) != 0)
            continue;
        if (strchr(c->value, '*'))
            return false;
        vec_push(a, out, (void *)c->value);
        any = true;
    }
    return any;
}

static bool values_disjoint(const struct vec *a, const struct vec *b)
{
    for (size_t i = 0; i < a->len; i++)
        for (size_t j = 0; j < b->len; j++)
            if (strcmp(a->items[i], b->items[j]) == 0)
                return false;
    return true;
}

static bool tag_disjoint_on(const struct ir_sel_entry *a, const struct ir_sel_entry *b, const char *key,
                            struct arena *ar)
{
    struct vec va = {0}, vb = {0};
    return required_values(a, key, &va, ar) && required_values(b, key, &vb, ar) && values_disjoint(&va, &vb);
}

static bool tags_disjoint(const struct ir_sel_entry *a, const struct ir_sel_entry *b, struct arena *ar)
{
    if (!a->resources && a->tag_key && tag_disjoint_on(a, b, a->tag_key, ar))
        return true;
    for (size_t i = 0; i < a->conditions.len; i++) {
        const struct ir_condition *c = a->conditions.items[i];
        if (c->op == COND_EQUALS && tag_disjoint_on(a, b, c->tag_key, ar))
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
    bool region = false;
    for (size_t i = 0; i < a->regions.len && !region; i++)
        region = has_region(b, a->regions.items[i]);
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
