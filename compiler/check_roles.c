/*
 * check_roles.c - partitions and backup roles: every plan of a program
 * runs in one AWS partition (an organization lives in one: OB6010), and
 * the role ARN each selection hands to AWS Backup must be of that
 * partition (OB5007) [S1: GovCloud ARNs carry arn:aws-us-gov] and, when
 * the plan runs in many accounts, must not name one account (OB5008).
 */
#include "checks.h"

#include <string.h>

static const struct ir_partition *region_partition(const struct ir_plan *p, size_t i)
{
    const struct ir_region *r = VEC_GET(const struct ir_region, p->regions, i);
    return r ? r->partition : NULL;
}

/* OB6010: the first region, over all plans, in another partition than
 * the first plan's first region. */
static void check_one_partition(struct obc *cc, const struct ir_program *prog)
{
    const struct ir_partition *first = NULL;
    const struct ir_plan *first_plan = NULL;
    struct loc first_loc = LOC_NONE;
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        for (size_t j = 0; j < p->regions.len; j++) {
            const struct ir_partition *part = region_partition(p, j);
            if (!part)
                continue;
            if (!first) {
                first = part;
                first_plan = p;
                first_loc = p->regions_at.loc;
                continue;
            }
            if (part == first)
                continue;
            const struct ir_region *r = VEC_GET(const struct ir_region, p->regions, j);
            struct diag *d = diag_emit(cc, OB6010, p->regions_at.loc,
                                       "plan '%s' runs in %s (partition %s), but plan '%s' runs in partition %s",
                                       p->d.name, r->d.name, part->d.name, first_plan->d.name, first->d.name);
            diag_note(cc, d, first_loc, "partition %s is used here", first->d.name);
            diag_help(cc, d, "an organization, its policies and its backups live in one partition: compile the "
                             "plans of each partition as a separate program");
            return;
        }
    }
}

/* OB5007: an explicit role ARN of another partition than the plan's. */
static void check_role_partition(struct obc *cc, const struct ir_plan *p, const struct ir_selection *sel)
{
    const struct ir_role *role = sel->role;
    if (!role || !role->arn.s || p->regions.len == 0)
        return;
    const char *plan_part = plan_partition(p);
    const char *arn = role->arn.s; /* arn:PARTITION:iam::... (validated in sema) */
    const char *start = arn + 4, *end = strchr(start, ':');
    if (!end || ((size_t)(end - start) == strlen(plan_part) && strncmp(start, plan_part, strlen(plan_part)) == 0))
        return;
    struct diag *d = diag_emit(cc, OB5007, role->arn.loc, "role ARN is in partition %.*s, but plan '%s' runs in "
                               "partition %s", (int)(end - start), start, p->d.name, plan_part);
    diag_note(cc, d, p->regions_at.loc.file ? p->regions_at.loc : p->d.name_loc, "the plan's regions are here");
    diag_help(cc, d, "write arn:%s:iam::...; or declare the role with name = \"...\" so obc builds the ARN in "
                     "each plan's partition", plan_part);
}

/* OB5008: a role ARN with a fixed account id, in a plan that runs in
 * accounts other than that one: AWS Backup in those accounts cannot pass
 * a role of another account [S1: the role must exist in every account]. */
static void check_role_account(struct obc *cc, const struct ir_plan *p, const struct ir_selection *sel,
                               struct ptrset *seen, struct ptrset *memo)
{
    const struct ir_role *role = sel->role;
    struct arn_parts parts;
    if (!role || !role->arn.s || !arn_split(&cc->arena, role->arn.s, &parts) || strcmp(parts.account, "$account") == 0)
        return;
    /* the first receiver that is not that account; each role once */
    const struct ir_receiver *r = check_other_receiver(&cc->arena, memo, p, parts.account, NULL);
    if (!r || !check_first_time(&cc->arena, seen, OB5008, role, NULL))
        return;
    struct diag *d = diag_emit(cc, OB5008, role->arn.loc, "role ARN names account %s, but plan '%s' also runs in "
                               "other accounts, where AWS Backup cannot use it", parts.account, p->d.name);
    diag_note(cc, d, r->target->loc, "policy '%s' is attached here", r->policy->d.name);
    diag_help(cc, d, "write $account in place of %s: the same role must exist in every account that runs the plan",
              parts.account);
}

void check_roles(struct obc *cc, struct ir_program *prog)
{
    check_one_partition(cc, prog);
    struct ptrset seen = {0}; /* roles already reported for OB5008 */
    struct ptrset memo = {0};  /* for check_other_receiver */
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        for (size_t j = 0; j < p->selections.len; j++) {
            check_role_partition(cc, p, VEC_GET(const struct ir_selection, p->selections, j));
            check_role_account(cc, p, VEC_GET(const struct ir_selection, p->selections, j), &seen, &memo);
        }
    }
}
