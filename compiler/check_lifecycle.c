/*
 * check_lifecycle.c - lifecycles of rules and copy actions (OB4001,
 * OB4002), continuous backup (OB4004-OB4006) and rules that keep their
 * recovery points forever (OB9003). Source: backup-policy-spec.md 1.3,
 * 1.3.2 and 9 (C9, C10) [S1, B1, B2, B21, X2].
 *
 * Owns: what a lifecycle may say by itself. Does not: compare retention
 * with vault locks (check_lock.c) or look at the AST.
 *
 * Every lifecycle value (delete_after, cold_after) is range-checked here
 * (OB4001), whatever its size: sema saturates a duration too large to
 * count at INT64_MAX, so no comparison below may add to a value before
 * it is known to be in range.
 *
 * One root cause, one diagnostic: a delete_after outside 1..36500 is not
 * also compared with cold_after (a cold_after outside that range is, as
 * fixing it alone may leave delete_after too short); on a continuous
 * rule, cold storage is
 * OB4005's case (not OB4002's), a long delete_after OB4004's (not
 * OB4001's), and a missing one OB4004's (not OB9003's). A missing
 * delete_after on a rule whose vault lock has a maximum is OB4014's case.
 * An attribute that sema rejected is unset in the IR but was given: a
 * rule with such an error is not called one without delete_after.
 */
#include "checks.h"

#include <string.h>


/* "the copy to 'central' in rule 'nightly' of plan 'daily'" */
static const char *copy_name(struct obc *cc, const struct ir_rule *r, const struct ir_copy *c)
{
    if (!c->target)
        return arena_printf(&cc->arena, "the copy in %s", check_rule_words(&cc->arena, r));
    return arena_printf(&cc->arena, "the copy to '%s' in %s", c->target->d.name, check_rule_words(&cc->arena, r));
}

/* OB4001: a lifecycle value outside 1..36500 days [X2, B1, S1]. */
static void report_days_range(struct obc *cc, const struct ir_num *n, const char *attr, const char *what)
{
    struct diag *d;
    if (n->v > AWS_RETENTION_MAX_DAYS)
        d = diag_emit(cc, OB4001, n->loc, "%s of %s is over 36500 days, the 100 years AWS accepts at most", attr,
                      what);
    else if (strcmp(attr, "delete_after") == 0)
        d = diag_emit(cc, OB4001, n->loc, "delete_after of %s is %lld days; AWS keeps a recovery point at least 1 day",
                      what, (long long)n->v);
    else
        d = diag_emit(cc, OB4001, n->loc, "%s of %s is %lld days; AWS accepts 1 to 36500 days", attr, what,
                      (long long)n->v);
    diag_help(cc, d, "use a %s from 1d to 36500d (100 years)", attr);
}

static void report_delete_range(struct obc *cc, const struct ir_num *del, const char *what)
{
    report_days_range(cc, del, "delete_after", what);
}

/* OB4002: cold storage keeps a recovery point at least 90 days, so
 * delete_after must be at least cold_after + 90 [S1, B2]. delete_after
 * is in range; cold_after may be any count up to INT64_MAX. */
static void check_cold_minimum(struct obc *cc, const struct ir_lifecycle *lc, const char *what)
{
    const struct ir_num *del = &lc->delete_after, *cold = &lc->cold_after;
    if (del->state != IR_SET || cold->state != IR_SET)
        return;
    if (del->v - AWS_COLD_MIN_DAYS >= cold->v) /* del->v <= 36500: no overflow */
        return;
    struct diag *d;
    if (cold->v > AWS_RETENTION_MAX_DAYS)
        d = diag_emit(cc, OB4002, del->loc,
                      "delete_after of %s is %s, under cold_after + 90 days; cold storage keeps recovery "
                      "points at least 90 days",
                      what, check_days(&cc->arena, del->v));
    else
        d = diag_emit(cc, OB4002, del->loc,
                      "delete_after of %s is %s, under cold_after + 90 = %lld days; "
                      "cold storage keeps recovery points at least 90 days",
                      what, check_days(&cc->arena, del->v), (long long)cold->v + AWS_COLD_MIN_DAYS);
    if (cold->v > AWS_RETENTION_MAX_DAYS)
        diag_note(cc, d, cold->loc, "recovery points move to cold storage after over 36500 days here");
    else
        diag_note(cc, d, cold->loc, "recovery points move to cold storage after %s here",
                  check_days(&cc->arena, cold->v));
    if (del->v > AWS_COLD_MIN_DAYS && cold->v <= AWS_RETENTION_MAX_DAYS - AWS_COLD_MIN_DAYS)
        diag_help(cc, d, "make delete_after at least %lldd, or cold_after at most %lldd",
                  (long long)cold->v + AWS_COLD_MIN_DAYS, (long long)del->v - AWS_COLD_MIN_DAYS);
    else if (del->v > AWS_COLD_MIN_DAYS)
        diag_help(cc, d, "make cold_after at most %lldd: delete_after cannot be over 36500d",
                  (long long)del->v - AWS_COLD_MIN_DAYS);
    else if (cold->v <= AWS_RETENTION_MAX_DAYS - AWS_COLD_MIN_DAYS)
        diag_help(cc, d, "make delete_after at least %lldd, or remove cold_after: %s is too short for "
                         "cold storage", (long long)cold->v + AWS_COLD_MIN_DAYS, check_days(&cc->arena, del->v));
    else
        diag_help(cc, d, "remove cold_after: %s is too short for cold storage", check_days(&cc->arena, del->v));
}

/* OB4042: AWS documents no minimum for MoveToColdStorageAfterDays [B2],
 * so 0 is not rejected, but it recommends not moving to cold storage
 * before 8 days: a full backup moved too early makes AWS Backup take
 * another warm full backup [B22]. */
static void check_cold_early(struct obc *cc, const struct ir_num *cold, const char *what)
{
    if (cold->v >= AWS_COLD_ADVISED_MIN_DAYS)
        return;
    struct diag *d = diag_emit(cc, OB4042, cold->loc,
                               "cold_after of %s is %s: recovery points move to cold storage %s, before the 8 days "
                               "AWS recommends, and AWS Backup then takes another full backup in warm storage",
                               what, check_days(&cc->arena, cold->v), cold->v == 0 ? "as soon as they are created" : "that early");
    diag_help(cc, d, "make cold_after at least 8d, or remove it to keep recovery points in warm storage");
}

/* `partial`: a rule of a partial plan, whose other lifecycle value may
 * come from a policy above: OB4002 is judged in the effective policy. */
static void check_lifecycle_values(struct obc *cc, const struct ir_lifecycle *lc, const char *what, bool partial)
{
    if (lc->cold_after.state == IR_SET && lc->cold_after.v > AWS_RETENTION_MAX_DAYS)
        report_days_range(cc, &lc->cold_after, "cold_after", what);
    else if (lc->cold_after.state == IR_SET)
        check_cold_early(cc, &lc->cold_after, what);
    if (lc->delete_after.state == IR_SET && !ir_days_valid(&lc->delete_after))
        report_delete_range(cc, &lc->delete_after, what);
    else if (!partial)
        check_cold_minimum(cc, lc, what);
}

/* OB4004: continuous backups are kept at most 35 days; no delete_after
 * means forever [S1, B21]. */
static void check_continuous_retention(struct obc *cc, const struct ir_rule *r, const char *what)
{
    const struct ir_num *del = &r->lc.delete_after;
    if (del->state != IR_SET) {
        if (ir_retention_unknown(r, NULL) || r->plan->partial) /* partial: it may be inherited */
            return;
        struct diag *d = diag_emit(cc, OB4004, r->continuous.loc,
                                   "%s has continuous backup but no delete_after, so it would keep recovery points "
                                   "forever; AWS keeps continuous backups at most 35 days", what);
        diag_help(cc, d, "add delete_after = 35d (or less), or remove continuous = true to keep snapshots longer");
        return;
    }
    if (del->v <= AWS_CONTINUOUS_MAX_DAYS)
        return;
    struct diag *d = diag_emit(cc, OB4004, del->loc,
                               "delete_after of %s is %lld days, but AWS keeps continuous backups at most 35 days",
                               what, (long long)del->v);
    diag_note(cc, d, r->continuous.loc, "continuous backup is turned on here");
    diag_help(cc, d, "make delete_after at most 35d, or remove continuous = true (snapshot backups can be kept up to "
                     "100 years); to have both, use two rules");
}

/* OB4005: continuous backup has no cold storage tier: cold storage needs
 * 90 days, continuous backups last at most 35 [S1, B21, S1L]. One
 * diagnostic even when both cold_after and archive ask for it. */
static void check_continuous_cold(struct obc *cc, const struct ir_rule *r, const char *what)
{
    const struct ir_num *cold = &r->lc.cold_after;
    const struct ir_flag *archive = &r->lc.archive;
    bool archived = archive->state == IR_SET && archive->v;
    if (cold->state != IR_SET && !archived)
        return;
    struct diag *d;
    if (cold->state == IR_SET) {
        d = diag_emit(cc, OB4005, cold->loc,
                      "%s has continuous backup and cold_after; continuous backups cannot move to cold storage", what);
        if (archived)
            diag_note(cc, d, archive->loc, "archive = true asks for cold storage too");
    } else {
        d = diag_emit(cc, OB4005, archive->loc,
                      "%s has continuous backup and archive = true; continuous backups cannot move to the archive tier",
                      what);
    }
    diag_note(cc, d, r->continuous.loc, "continuous backup is turned on here");
    diag_help(cc, d, "%s, or remove continuous = true: cold storage needs at least 90 days and continuous backups "
                     "last at most 35", cold->state == IR_SET && archived ? "remove cold_after and archive = true"
                                                              : cold->state == IR_SET ? "remove cold_after" : "remove archive = true");
}

/* OB4006: continuous backup on a plan that names, with `type in`,
 * resource types that have no continuous backup [B21]. AWS takes
 * snapshots of those instead, which is why it is only a warning, and why
 * tag-only and `any` selections stay quiet: they are meant to catch
 * whatever carries the tag, and AWS simply snapshots the rest. */
/* The types of a plan that have no continuous backup; empty when the
 * plan can back up any type or a selection's entries are incomplete.
 * Worked out once per plan (`plans`: plan -> struct vec), however many of
 * its rules ask for continuous backup. */
static const struct vec *lacking_continuous(struct obc *cc, const struct ir_program *prog, struct ptrset *plans,
                                            const struct ir_plan *p)
{
    bool fresh;
    struct vec *lacking = ptrset_memo(&cc->arena, plans, 0, p, NULL, sizeof *lacking, &fresh);
    if (!fresh)
        return lacking;
    for (size_t i = 0; i < p->selections.len; i++) {
        const struct ir_selection *sel = VEC_GET(const struct ir_selection, p->selections, i);
        if (sel->match_at.state == IR_REJECTED) /* its entries are incomplete */
            return lacking;
    }
    struct vec types = {0};
    bool any;
    ir_plan_types(prog, p, &types, &any, &cc->arena);
    for (size_t i = 0; !any && i < types.len; i++) {
        struct ir_restype *t = types.items[i];
        if (!t->continuous)
            vec_push(&cc->arena, lacking, t);
    }
    return lacking;
}

static void check_continuous_types(struct obc *cc, const struct ir_program *prog, struct ptrset *plans,
                                   const struct ir_rule *r, const char *what)
{
    const struct vec lacking = *lacking_continuous(cc, prog, plans, r->plan);
    struct vec known = {0};
    if (!lacking.len)
        return;
    for (size_t i = 0; i < prog->restypes.len; i++) {
        struct ir_restype *t = prog->restypes.items[i];
        if (t->continuous && !t->is_any)
            vec_push(&cc->arena, &known, t);
    }
    const char *names = check_names(&cc->arena, &lacking, SIZE_MAX);
    struct diag *d = diag_emit(cc, OB4006, r->continuous.loc,
                               "%s asks for continuous backup, which %s cannot do; AWS takes snapshots of %s instead",
                               what, names, lacking.len == 1 ? "it" : "them");
    if (r->plan->select_at.loc.file)
        diag_note(cc, d, r->plan->select_at.loc, "plan '%s' selects %s here", r->plan->d.name, names);
    if (known.len)
        diag_help(cc, d, "continuous backup works for %s: move %s to a plan without continuous backup, "
                         "or remove continuous = true", check_names(&cc->arena, &known, SIZE_MAX), names);
    else
        diag_help(cc, d, "move %s to a plan without continuous backup, or remove continuous = true", names);
}

/* OB9003: no delete_after keeps recovery points forever [B1, B2]. */
static void check_forever(struct obc *cc, const struct ir_rule *r, const char *what)
{
    if (r->lc.delete_after.state == IR_SET || ir_retention_unknown(r, NULL))
        return; /* given, or rejected (delete_after, or continuous: then OB4004 may apply) */
    if (r->vault && ir_lock_range(r->vault->lock).has_max)
        return; /* the lock's maximum makes it an error: OB4014 */
    struct diag *d = diag_emit(cc, OB9003, r->name_loc,
                               "%s has no delete_after, so AWS keeps its recovery points forever", what);
    diag_help(cc, d, "add delete_after = <days> (at most 36500d) to bound how long recovery points are kept and paid for");
}

static void check_rule(struct obc *cc, const struct ir_program *prog, struct ptrset *plans, const struct ir_rule *r)
{
    const char *what = check_rule_words(&cc->arena, r);
    bool continuous = r->continuous.state == IR_SET && r->continuous.v;
    if (continuous) {
        check_continuous_retention(cc, r, what);
        check_continuous_cold(cc, r, what);
        if (!r->plan->partial) /* a partial plan's selections merge with inherited ones */
            check_continuous_types(cc, prog, plans, r, what);
        if (r->lc.delete_after.state == IR_SET && r->lc.delete_after.v < 1) /* too long: OB4004 */
            report_delete_range(cc, &r->lc.delete_after, what);
    } else {
        check_lifecycle_values(cc, &r->lc, what, r->plan->partial);
        if (!r->plan->partial) /* a partial rule may inherit its delete_after */
            check_forever(cc, r, what);
    }
    /* A copy of a continuous backup is a snapshot [B17]: only the
     * lifecycle limits apply to copies. */
    for (size_t i = 0; i < r->copies.len; i++) {
        const struct ir_copy *c = VEC_GET(const struct ir_copy, r->copies, i);
        check_lifecycle_values(cc, &c->lc, copy_name(cc, r, c), r->plan->partial);
    }
}

void check_lifecycle(struct obc *cc, struct ir_program *prog)
{
    struct ptrset plans = {0}; /* for lacking_continuous() */
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        for (size_t j = 0; j < p->rules.len; j++)
            check_rule(cc, prog, &plans, VEC_GET(const struct ir_rule, p->rules, j));
    }
}
