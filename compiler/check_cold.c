/*
 * check_cold.c - cold storage that AWS silently does not apply: a
 * cold_after for resource types without cold storage, which AWS Backup
 * ignores (OB4040) [B2, B17], and a cold_after for EBS on a schedule
 * that backs up more often than monthly, where EBS Snapshots Archive
 * does not apply (OB4041) [B22]. Source: backup-policy-spec.md 1.3.2.
 *
 * Owns: which selected types a lifecycle's cold storage cannot reach.
 * Does not: range-check cold_after or compare it with delete_after
 * (check_lifecycle.c), or look at the AST. The facts come from the
 * stdlib's resource types (cold_storage, cold_storage_monthly_only).
 *
 * Only types a plan certainly selects count: those named with `type in`.
 * A tag-only or `any` selection may or may not reach a type without cold
 * storage, and AWS applies cold_after to the ones that have it, so such
 * plans stay quiet, as OB4006 does for continuous backup.
 */
#include "checks.h"

/* The types of `types` (struct ir_restype*) for which `keep` holds. */
static void types_where(struct arena *a, const struct vec *types, bool (*keep)(const struct ir_restype *),
                        struct vec *out)
{
    for (size_t i = 0; i < types->len; i++) {
        struct ir_restype *t = types->items[i];
        if (keep(t))
            vec_push(a, out, t);
    }
}

static bool no_cold(const struct ir_restype *t)
{
    return !t->cold_storage;
}

static bool has_cold(const struct ir_restype *t)
{
    return t->cold_storage;
}

static bool monthly_only(const struct ir_restype *t)
{
    return t->cold_storage && t->cold_monthly_only;
}

/* OB4040: AWS ignores cold_after for types without cold storage. */
static void check_ignored(struct obc *cc, const struct ir_num *cold, const struct vec *types, const char *what,
                          const struct ir_plan *p)
{
    struct vec lacking = {0}, cold_ok = {0};
    types_where(&cc->arena, types, no_cold, &lacking);
    if (!lacking.len)
        return;
    types_where(&cc->arena, types, has_cold, &cold_ok);
    const char *names = check_names(&cc->arena, &lacking, SIZE_MAX);
    struct diag *d = diag_emit(cc, OB4040, cold->loc,
                               "AWS ignores cold_after of %s for %s, which %s no cold storage: %s recovery points "
                               "stay in warm storage until they are deleted",
                               what, names, lacking.len == 1 ? "has" : "have", lacking.len == 1 ? "its" : "their");
    if (p->select_at.loc.file)
        diag_note(cc, d, p->select_at.loc, "plan '%s' selects %s here", p->d.name, names);
    if (cold_ok.len)
        diag_help(cc, d, "cold_after applies to %s only: to say so, move %s to a plan without cold_after",
                  check_names(&cc->arena, &cold_ok, SIZE_MAX), names);
    else
        diag_help(cc, d, "remove cold_after: none of the selected types can move to cold storage");
}

/* OB4041: EBS cold storage (EBS Snapshots Archive) only for backups
 * taken monthly or less often. */
static void check_monthly(struct obc *cc, const struct ir_rule *r, const struct ir_num *cold, const struct vec *types,
                          const char *what)
{
    if (!r->cron)
        return;
    struct vec monthly = {0};
    types_where(&cc->arena, types, monthly_only, &monthly);
    int per_month = monthly.len ? cron_max_per_month(r->cronv) : 0;
    if (per_month <= 1)
        return;
    const char *names = check_names(&cc->arena, &monthly, SIZE_MAX);
    struct diag *d = diag_emit(cc, OB4041, cold->loc,
                               "cold_after of %s does not apply to %s: AWS archives %s backups only when they are "
                               "taken monthly or less often, and this rule backs up to %d times a month",
                               what, names, names, per_month);
    diag_note(cc, d, r->schedule_at.loc, "rule '%s' is scheduled here", r->name);
    diag_help(cc, d, "archive %s from a rule of its own that runs monthly or less often "
                     "(e.g. schedule = monthly on day 1 at 05:00) and give cold_after there",
              names);
}

static void check_lifecycle_cold(struct obc *cc, const struct ir_rule *r, const struct ir_lifecycle *lc,
                                 const struct vec *types, const char *what)
{
    const struct ir_num *cold = &lc->cold_after;
    if (cold->state != IR_SET || cold->v > AWS_RETENTION_MAX_DAYS) /* absent, or OB4001's */
        return;
    check_ignored(cc, cold, types, what, r->plan);
    check_monthly(cc, r, cold, types, what);
}

static void check_rule(struct obc *cc, const struct ir_rule *r, const struct vec *types)
{
    if (r->continuous.state == IR_SET && r->continuous.v)
        return; /* continuous backups have no cold storage at all: OB4005 */
    const char *what = check_rule_words(&cc->arena, r);
    check_lifecycle_cold(cc, r, &r->lc, types, what);
    for (size_t i = 0; i < r->copies.len; i++) {
        const struct ir_copy *c = VEC_GET(const struct ir_copy, r->copies, i);
        if (c->target)
            check_lifecycle_cold(cc, r, &c->lc, types,
                                 arena_printf(&cc->arena, "the copy to '%s' in %s", c->target->d.name, what));
    }
}

void check_cold(struct obc *cc, struct ir_program *prog)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        bool complete = p->select_at.state == IR_SET && !p->partial; /* a partial plan adds to inherited ones */
        for (size_t j = 0; complete && j < p->selections.len; j++)
            complete = VEC_GET(const struct ir_selection, p->selections, j)->match_at.state == IR_SET;
        if (!complete) /* the plan's types are not all known */
            continue;
        struct vec types = {0};
        bool any;
        ir_plan_types(prog, p, &types, &any, &cc->arena);
        if (any)
            continue;
        for (size_t j = 0; j < p->rules.len; j++)
            check_rule(cc, VEC_GET(const struct ir_rule, p->rules, j), &types);
    }
}
