/*
 * emit_arns.c - the ARNs that appear in compiled policies and in the
 * manifest: vaults, IAM roles, resource types, and the partition and
 * region they are built for.
 *
 * Owns: the exact spelling of those ARNs, so the policy and the manifest
 * always agree. Works on the IR only; reports nothing (the checks have
 * already rejected what cannot be spelt).
 */
#include "ir.h"

#include <string.h>

#define DEFAULT_PARTITION "aws"

const char *ir_region_partition(const struct ir_region *r)
{
    if (r && r->partition && r->partition->d.name)
        return r->partition->d.name;
    return DEFAULT_PARTITION;
}

/* The account part of an ARN for something `owner` owns: the real id of
 * a named account, else the `$account` placeholder AWS fills in. */
static const char *owner_account(const struct ir_principal *owner)
{
    if (owner->kind == PRIN_ACCOUNT && owner->account && owner->account->id)
        return owner->account->id;
    return "$account";
}

const char *vault_arn(struct arena *a, const struct ir_vault *v, const struct ir_region *region)
{
    if (v->regions.len == 1)
        region = VEC_GET(const struct ir_region, v->regions, 0);
    const char *name = v->aws_name.s ? v->aws_name.s : v->d.name;
    return arena_printf(a, "arn:%s:backup:%s:%s:backup-vault:%s", ir_region_partition(region),
                        region ? region->d.name : "$region", owner_account(&v->owner), name);
}

const char *air_gapped_vault_arn(struct arena *a, const struct ir_vault *v, const char *partition)
{
    const char *name = v->aws_name.s ? v->aws_name.s : v->d.name;
    return arena_printf(a, "arn:%s:backup:$region:$account:backup-vault:%s", partition, name);
}

const char *role_arn(struct arena *a, const struct ir_role *r, const char *partition)
{
    if (r->arn.s)
        return r->arn.s;
    const char *path = r->path && r->path[0] ? r->path : "/";
    const char *name = r->role_name ? r->role_name : r->d.name;
    return arena_printf(a, "arn:%s:iam::$account:role%s%s", partition, path, name ? name : "");
}

const char *restype_arn(struct arena *a, const char *pattern, const char *partition)
{
    if (strcmp(pattern, "*") == 0)
        return pattern;
    return arena_printf(a, "arn:%s:%s", partition, pattern);
}

const char *plan_partition(const struct ir_plan *p)
{
    if (p->regions.len == 0)
        return DEFAULT_PARTITION;
    return ir_region_partition(VEC_GET(const struct ir_region, p->regions, 0));
}

static bool has_region(const struct vec *regions, const struct ir_region *r)
{
    for (size_t i = 0; i < regions->len; i++)
        if (regions->items[i] == r)
            return true;
    return false;
}

const struct ir_region *copy_region(const struct ir_plan *p, const struct ir_copy *c)
{
    const struct vec *target = &c->target->regions;
    if (target->len == 1)
        return VEC_GET(const struct ir_region, *target, 0);
    for (size_t i = 0; i < p->regions.len; i++) {
        const struct ir_region *r = VEC_GET(const struct ir_region, p->regions, i);
        if (target->len == 0 || has_region(target, r))
            return r;
    }
    if (target->len)
        return VEC_GET(const struct ir_region, *target, 0);
    return NULL;
}
