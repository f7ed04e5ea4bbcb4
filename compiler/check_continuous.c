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
 *
 * Each rule is compared with the earlier ones in order and reported with
 * the first that may reach its resources from another vault. To stay
 * linear in the program, earlier rules are indexed by a tag key their
 * plan requires in every selection entry (its "plan key", when there is
 * one) and by each value it requires there: when the later plan has the
 * same plan key, only earlier rules sharing one of its values can meet it
 * (the others are disjoint on that key, ir_overlap.c's rule), so N plans
 * on N values of one tag cost N lookups, not N x N comparisons. Rules of
 * plans without a plan key, or with another one, stay candidates.
 *
 * Bounded search: a rule takes at most OB4020_SEARCH candidates from each
 * list of the index, looks at no more than OB4020_SEARCH lists of other
 * plan keys, and compares its plan with at most OB4020_SEARCH of the
 * candidates (in rule order). Real programs have a handful of continuous
 * rules and never come near it; past it a pair may go unreported. Plans
 * over AWS's 100 selection entries have failed OB5005 already and are
 * skipped, which bounds one comparison at 100 x 100 entry pairs.
 * Stated in docs/limits.md.
 */
#include "checks.h"

#include <stdlib.h>
#include <string.h>

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

#define OB4020_SEARCH 64

/* A plan with continuous rules, as the index sees it. */
struct cplan {
    const char *key;   /* a tag key every entry requires (NULL: none) */
    struct vec values; /* const char*: the values the entries require it to equal, no duplicates */
};

struct crule {
    const struct ir_rule *r;
    const struct cplan *p;
    size_t idx; /* position among the continuous rules */
};

/* The earlier rules whose plan key is `key`, and per value those whose
 * plan requires it. Lists are in rule order. */
struct keygroup {
    const char *key;
    struct vec rules;   /* struct crule* */
    struct strmap by_value; /* value -> struct vec* of struct crule* */
};

struct cindex {
    struct vec open;    /* struct crule*: plans without a plan key */
    struct vec groups;  /* struct keygroup*, in order of creation */
    struct strmap by_key;
};

static void plan_entries(const struct ir_plan *p, struct vec *out, struct arena *a)
{
    for (size_t i = 0; i < p->selections.len; i++) {
        const struct ir_selection *sel = p->selections.items[i];
        for (size_t j = 0; j < sel->entries.len; j++)
            vec_push(a, out, sel->entries.items[j]);
    }
}

/* NULL for a plan over AWS's entry quota (OB5005 already). */
static struct cplan *plan_info(const struct ir_plan *p, struct arena *a)
{
    struct vec entries = {0};
    plan_entries(p, &entries, a);
    if (entries.len > AWS_ASSIGNMENTS_MAX)
        return NULL;
    struct cplan *cp = arena_alloc(a, sizeof *cp);
    if (!entries.len)
        return cp;
    const struct vec *keys = ir_entry_required_keys(entries.items[0], a);
    for (size_t k = 0; k < keys->len && !cp->key; k++) {
        size_t i = 1;
        while (i < entries.len && ir_entry_required_values(entries.items[i], keys->items[k], a))
            i++;
        if (i == entries.len)
            cp->key = keys->items[k];
    }
    if (!cp->key)
        return cp;
    struct strmap seen = {0};
    for (size_t i = 0; i < entries.len; i++) {
        const struct vec *vals = ir_entry_required_values(entries.items[i], cp->key, a);
        for (size_t j = 0; j < vals->len; j++)
            if (!strmap_put_new(a, &seen, vals->items[j], vals->items[j]))
                vec_push(a, &cp->values, vals->items[j]);
    }
    return cp;
}

static void index_add(struct cindex *ix, struct crule *cr, struct arena *a)
{
    if (!cr->p->key) {
        vec_push(a, &ix->open, cr);
        return;
    }
    struct keygroup *g = strmap_get(&ix->by_key, cr->p->key);
    if (!g) {
        g = arena_alloc(a, sizeof *g);
        g->key = cr->p->key;
        strmap_put_new(a, &ix->by_key, g->key, g);
        vec_push(a, &ix->groups, g);
    }
    vec_push(a, &g->rules, cr);
    for (size_t i = 0; i < cr->p->values.len; i++) {
        struct vec *list = strmap_get(&g->by_value, cr->p->values.items[i]);
        if (!list) {
            list = arena_alloc(a, sizeof *list);
            strmap_put_new(a, &g->by_value, cr->p->values.items[i], list);
        }
        vec_push(a, list, cr);
    }
}

static void take(struct vec *out, const struct vec *list, struct arena *a)
{
    for (size_t i = 0; i < list->len && i < OB4020_SEARCH; i++)
        vec_push(a, out, list->items[i]);
}

static int by_idx(const void *x, const void *y)
{
    const struct crule *a = *(const struct crule *const *)x, *b = *(const struct crule *const *)y;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* The earlier rules that may meet `cr`'s plan, in rule order, into `out`
 * (emptied first; reused so that the search allocates once). */
static void candidates(const struct cindex *ix, const struct crule *cr, struct vec *out, struct arena *a)
{
    out->len = 0;
    take(out, &ix->open, a);
    size_t others = 0;
    for (size_t i = 0; i < ix->groups.len; i++) {
        const struct keygroup *g = ix->groups.items[i];
        if (cr->p->key && strcmp(g->key, cr->p->key) == 0) {
            for (size_t j = 0; j < cr->p->values.len; j++) {
                const struct vec *list = strmap_get(&g->by_value, cr->p->values.items[j]);
                if (list)
                    take(out, list, a);
            }
        } else if (others++ < OB4020_SEARCH) {
            take(out, &g->rules, a);
        }
    }
    if (out->len > 1)
        qsort(out->items, out->len, sizeof *out->items, by_idx);
}

/* The first earlier rule (within the bound) that asks for continuous
 * backup into another vault of resources `cr`'s plan may select. */
static const struct ir_rule *first_meeting(const struct crule *cr, const struct vec *cands, struct arena *a)
{
    size_t compared = 0;
    const struct ir_plan *last = NULL;
    bool share = false;
    for (size_t i = 0; i < cands->len; i++) {
        const struct crule *c = cands->items[i];
        if ((i && cands->items[i - 1] == c) || ir_same_aws_vault(c->r->vault, cr->r->vault))
            continue;
        if (c->r->plan != last) {
            if (compared++ == OB4020_SEARCH)
                return NULL;
            last = c->r->plan;
            share = ir_plans_may_share_resources(last, cr->r->plan, a);
        }
        if (share)
            return c->r;
    }
    return NULL;
}

void check_continuous(struct obc *cc, struct ir_program *prog)
{
    struct arena *a = &cc->arena;
    struct cindex ix = {0};
    struct vec cands = {0};
    size_t n = 0;
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = prog->plans.items[i];
        if (p->partial) /* its rules, selections and regions merge with inherited ones */
            continue;
        const struct cplan *cp = NULL;
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = p->rules.items[j];
            if (!is_continuous(r))
                continue;
            if (!cp && (!reaches_continuous_type(prog, p, a) || !(cp = plan_info(p, a))))
                break;
            struct crule *cr = arena_alloc(a, sizeof *cr);
            *cr = (struct crule){r, cp, n++};
            candidates(&ix, cr, &cands, a);
            const struct ir_rule *first = first_meeting(cr, &cands, a);
            if (first)
                report(cc, first, r);
            index_add(&ix, cr, a);
        }
    }
}
