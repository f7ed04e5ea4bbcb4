/*
 * check_continuous.c - two continuous-backup rules that may reach the same
 * resource with different vaults (OB4020).
 *
 * AWS Backup keeps one continuous backup per resource. When several rules
 * in one vault ask for one, the rule with the longest retention wins;
 * across different vaults the first rule processed wins and the others
 * become snapshot backups [B21; backup-policy-spec.md 1.3.2]. Which rule
 * is processed first is not documented, so a warning names both rules.
 *
 * Owns: pairing the continuous rules of every plan. Whether two plans may
 * select the same resource is ir_overlap.c's (ir_plans_may_share_resources).
 * Quadratic in the number of continuous rules only, which AWS keeps small
 * (one continuous backup per resource); each later rule is reported once.
 */
#include "checks.h"

static bool is_continuous(const struct ir_rule *r)
{
    return r->continuous.state == IR_SET && r->continuous.v && r->vault;
}

/* The plan can select a resource of a type that has continuous backup:
 * such a type, or one with the same ARN pattern (`type in [documentdb]`
 * selects Aurora clusters too [S1]). */
static bool reaches_continuous_type(const struct ir_program *prog, const struct ir_plan *p, struct arena *a)
{
    struct vec types = {0};
    bool any = false;
    ir_plan_types(prog, p, &types, &any, a);
    for (size_t i = 0; i < types.len; i++)
        for (size_t j = 0; j < prog->restypes.len; j++) {
            const struct ir_restype *t = prog->restypes.items[j];
            if (t->continuous && ir_types_share_pattern(types.items[i], t))
                return true;
        }
    return false;
}

static void report(struct obc *cc, const struct ir_rule *first, const struct ir_rule *r)
{
    struct arena *a = &cc->arena;
    const char *same_plan = first->plan == r->plan ? "" : arena_printf(a, " of plan '%s'", first->plan->d.name);
    struct diag *d = diag_emit(cc, OB4020, r->continuous.loc,
                               "%s asks for continuous backup into vault '%s', and rule '%s'%s asks for it into "
                               "vault '%s' for resources both may select: AWS keeps one continuous backup per "
                               "resource, so one of the rules takes snapshots instead",
                               check_rule_words(a, r), r->vault->d.name, first->name, same_plan,
                               first->vault->d.name);
    if (first->continuous.loc.file)
        diag_note(cc, d, first->continuous.loc, "%s asks for continuous backup here", check_rule_words(a, first));
    diag_help(cc, d,
              "keep continuous = true in one rule per resource: select disjoint resources (other tags or types), "
              "use one vault for both rules (then the longest retention wins), or remove continuous = true from "
              "one rule");
}

void check_continuous(struct obc *cc, struct ir_program *prog)
{
    struct vec rules = {0};
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = prog->plans.items[i];
        if (!reaches_continuous_type(prog, p, &cc->arena))
            continue;
        for (size_t j = 0; j < p->rules.len; j++)
            if (is_continuous(p->rules.items[j]))
                vec_push(&cc->arena, &rules, p->rules.items[j]);
    }
    for (size_t i = 1; i < rules.len; i++) {
        const struct ir_rule *r = rules.items[i];
        for (size_t j = 0; j < i; j++) {
            const struct ir_rule *first = rules.items[j];
            if (ir_same_aws_vault(first->vault, r->vault) ||
                !ir_plans_may_share_resources(first->plan, r->plan, &cc->arena))
                continue;
            report(cc, first, r);
            break;
        }
    }
}
