/*
 * check_lock.c - vault locks (OB4010-OB4012, OB4016) and the retention
 * of the rules and copies that write into locked vaults (OB4013-OB4015),
 * logically air-gapped vaults included: they are always locked, with the
 * retention range they are created with (ir_lock.air_gapped).
 * Source: backup-policy-spec.md 5 and 9 (C21) [B7, B13].
 *
 * Owns: whether a lock is well formed, and whether a backup or copy job
 * into a locked vault has a retention inside the lock's range (AWS fails
 * the job otherwise). Does not: judge a lifecycle by itself
 * (check_lifecycle.c) or look at the AST.
 *
 * One root cause, one diagnostic: a lock bound that is itself wrong
 * (OB4010, OB4016) is not used to judge rules; a delete_after outside
 * 1..36500 (OB4001) is not compared with a lock; a continuous rule
 * without delete_after is OB4004's case; a copy into its own source
 * vault is OB6006's. A value sema rejected (OB2xxx) is unset in the IR
 * but was given: it is not read as a missing grace or delete_after.
 */
#include "checks.h"


/* OB4016: MinRetentionDays at least 1, MaxRetentionDays at most 36500 [B7]. */
static void check_bound(struct obc *cc, const struct ir_vault *v, const struct ir_num *n, const char *attr)
{
    if (n->state != IR_SET || ir_days_valid(n))
        return;
    struct diag *d = diag_emit(cc, OB4016, n->loc, "%s of the lock of vault '%s' is %s; AWS accepts 1 to 36500 days",
                               attr, v->d.name,
                               n->v > AWS_RETENTION_MAX_DAYS ? "over 36500 days"
                                                         : check_days(&cc->arena, n->v));
    diag_help(cc, d, "use a %s from 1d to 36500d (100 years)", attr);
}

/* OB4010: a range whose minimum is above its maximum fits no retention. */
static void check_order(struct obc *cc, const struct ir_vault *v, const struct ir_lock *l)
{
    if (!ir_days_valid(&l->min_retention) || !ir_days_valid(&l->max_retention))
        return;
    if (l->min_retention.v <= l->max_retention.v)
        return;
    struct diag *d = diag_emit(cc, OB4010, l->min_retention.loc,
                               "min_retention of the lock of vault '%s' (%s) is greater than its max_retention "
                               "(%s), so no backup fits the lock",
                               v->d.name, check_days(&cc->arena, l->min_retention.v),
                               check_days(&cc->arena, l->max_retention.v));
    diag_note(cc, d, l->max_retention.loc, "max_retention is set here");
    diag_help(cc, d, "make min_retention at most max_retention (they may be equal)");
}

/* OB4011, OB4012: a compliance lock has a grace time (ChangeableForDays,
 * 3..36500) and a governance lock has none [B7, B13]. */
static void check_grace(struct obc *cc, const struct ir_vault *v, const struct ir_lock *l)
{
    const struct ir_num *g = &l->grace;
    if (l->mode_at.state != IR_SET || g->state == IR_REJECTED) /* no mode, or a rejected value */
        return;
    if (l->mode == LOCK_GOVERNANCE) {
        if (g->state != IR_SET)
            return;
        struct diag *d = diag_emit(cc, OB4012, g->loc,
                                   "the lock of vault '%s' is in governance mode but has a grace; with a grace "
                                   "(ChangeableForDays) AWS creates a compliance lock, immutable once the grace ends",
                                   v->d.name);
        diag_note(cc, d, l->mode_at.loc, "the lock is in governance mode here");
        diag_help(cc, d, "remove grace, or set mode = compliance to make the lock immutable when the grace ends");
        return;
    }
    if (g->state != IR_SET) {
        struct diag *d = diag_emit(cc, OB4012, l->mode_at.loc,
                                   "the lock of vault '%s' is in compliance mode but has no grace; without one "
                                   "(ChangeableForDays) AWS creates a governance lock", v->d.name);
        diag_help(cc, d, "add grace = 3d (3 to 36500 days) to the lock, or set mode = governance");
        return;
    }
    if (g->v >= AWS_LOCK_GRACE_MIN_DAYS && g->v <= AWS_RETENTION_MAX_DAYS)
        return;
    struct diag *d = diag_emit(cc, OB4011, g->loc, "grace of the lock of vault '%s' is %s; AWS accepts 3 to 36500 days",
                               v->d.name,
                               g->v > AWS_RETENTION_MAX_DAYS ? "over 36500 days"
                                                         : check_days(&cc->arena, g->v));
    diag_help(cc, d, "use a grace from 3d (AWS's 72-hour cooling-off) to 36500d");
}

static void check_vault_lock(struct obc *cc, const struct ir_vault *v)
{
    const struct ir_lock *l = v->lock;
    check_bound(cc, v, &l->min_retention, "min_retention");
    check_bound(cc, v, &l->max_retention, "max_retention");
    check_order(cc, v, l);
    check_grace(cc, v, l);
}

/* "between 7d and 1200d", "at least 7d", "at most 1200d" */
static const char *range_text(struct obc *cc, const struct ir_lock_range *lr)
{
    if (lr->has_min && lr->has_max)
        return arena_printf(&cc->arena, "between %lldd and %lldd", (long long)lr->min, (long long)lr->max);
    if (lr->has_min)
        return arena_printf(&cc->arena, "at least %lldd", (long long)lr->min);
    return arena_printf(&cc->arena, "at most %lldd", (long long)lr->max);
}

/* "the lock of vault 'v'", or "air-gapped vault 'v'" whose lock is the
 * range it was created with. */
static const char *lock_words(struct obc *cc, const struct ir_vault *v)
{
    return arena_printf(&cc->arena, v->lock->air_gapped ? "air-gapped vault '%s'" : "the lock of vault '%s'", v->d.name);
}

/* OB4013, OB4014: a rule's delete_after against the lock of vault `v`
 * it backs up into (its vault, or its air-gapped vault), named at `at`. */
static void check_rule_retention(struct obc *cc, const struct ir_rule *r, const struct ir_vault *v, struct loc at)
{
    if (!v || !v->lock)
        return;
    const struct ir_lock *l = v->lock;
    struct ir_lock_range lr = ir_lock_range(l);
    const struct ir_num *del = &r->lc.delete_after;
    bool continuous = r->continuous.state == IR_SET && r->continuous.v;
    if (del->state != IR_SET) {
        /* continuous without delete_after: OB4004; a rejected one: OB2xxx */
        if (!lr.has_max || continuous || ir_retention_unknown(r, NULL))
            return;
        struct diag *d = diag_emit(cc, OB4014, at,
                                   "%s has no delete_after, so it keeps recovery points forever, over the %lld-day "
                                   "maximum of %s; AWS fails such backup jobs",
                                   check_rule_words(&cc->arena, r), (long long)lr.max, lock_words(cc, v));
        diag_note(cc, d, l->max_retention.loc, "the lock's max_retention is set here");
        diag_help(cc, d, "add delete_after %s to rule '%s'", range_text(cc, &lr), r->name);
        return;
    }
    if (!ir_days_valid(del)) /* OB4001 */
        return;
    if (lr.has_min && del->v < lr.min) {
        struct diag *d = diag_emit(cc, OB4013, del->loc,
                                   "delete_after of %s is %s, under the %lld-day minimum of %s; AWS fails "
                                   "such backup jobs",
                                   check_rule_words(&cc->arena, r), check_days(&cc->arena, del->v), (long long)lr.min,
                                   lock_words(cc, v));
        diag_note(cc, d, l->min_retention.loc, "the lock's min_retention is set here");
        diag_help(cc, d, "make delete_after %s, or back up into a vault without this lock", range_text(cc, &lr));
    } else if (lr.has_max && del->v > lr.max) {
        struct diag *d = diag_emit(cc, OB4014, del->loc,
                                   "delete_after of %s is %lld days, over the %lld-day maximum of %s; AWS fails "
                                   "such backup jobs",
                                   check_rule_words(&cc->arena, r), (long long)del->v, (long long)lr.max,
                                   lock_words(cc, v));
        diag_note(cc, d, l->max_retention.loc, "the lock's max_retention is set here");
        diag_help(cc, d, "make delete_after %s, or back up into a vault without this lock", range_text(cc, &lr));
    }
}

/* Where a copy's retention comes from: its own delete_after, else the
 * rule's; NULL when neither is set. */
static const struct ir_num *copy_retention_source(const struct ir_rule *r, const struct ir_copy *c)
{
    if (c->lc.delete_after.state == IR_SET)
        return &c->lc.delete_after;
    return r->lc.delete_after.state == IR_SET ? &r->lc.delete_after : NULL;
}

static void report_copy(struct obc *cc, const struct ir_rule *r, const struct ir_copy *c, const char *how,
                        struct loc bound_loc, const char *bound_attr, const struct ir_lock_range *lr)
{
    const struct ir_vault *v = c->target;
    const struct ir_num *src = copy_retention_source(r, c);
    bool own = src == &c->lc.delete_after;
    struct loc at = own ? src->loc : c->target_loc;
    struct diag *d = diag_emit(cc, OB4015, at,
                               "the copy to '%s' in %s %s; vault '%s' is locked and fails such copy jobs", v->d.name,
                               check_rule_words(&cc->arena, r), how, v->d.name);
    if (src && !own)
        diag_note(cc, d, src->loc, "the copy keeps the rule's delete_after, set here");
    diag_note(cc, d, bound_loc, "the lock's %s is set here", bound_attr);
    diag_help(cc, d, "give the copy its own delete_after %s", range_text(cc, lr));
}

/* OB4015: a copy's retention against the destination vault's lock. */
static void check_copy_retention(struct obc *cc, const struct ir_rule *r, const struct ir_copy *c)
{
    const struct ir_vault *v = c->target;
    if (!v || !v->lock || v == r->vault) /* a copy into its own source vault: OB6006 */
        return;
    const struct ir_lock *l = v->lock;
    struct ir_lock_range lr = ir_lock_range(l);
    bool forever;
    int64_t days = ir_copy_retention(r, c, &forever);
    if (forever) {
        bool continuous = r->continuous.state == IR_SET && r->continuous.v; /* the rule's missing delete_after: OB4004 */
        if (lr.has_max && !continuous && !ir_retention_unknown(r, c))
            report_copy(cc, r, c,
                        arena_printf(&cc->arena, "keeps recovery points forever (no delete_after), over the lock's "
                                                 "%lld-day maximum", (long long)lr.max),
                        l->max_retention.loc, "max_retention", &lr);
        return;
    }
    if (!ir_days_valid(copy_retention_source(r, c))) /* OB4001 */
        return;
    if (lr.has_min && days < lr.min)
        report_copy(cc, r, c,
                    arena_printf(&cc->arena, "keeps recovery points %s, under the lock's %lld-day minimum",
                                 check_days(&cc->arena, days), (long long)lr.min),
                    l->min_retention.loc, "min_retention", &lr);
    else if (lr.has_max && days > lr.max)
        report_copy(cc, r, c,
                    arena_printf(&cc->arena, "keeps recovery points %lld days, over the lock's %lld-day maximum",
                                 (long long)days, (long long)lr.max),
                    l->max_retention.loc, "max_retention", &lr);
}

void check_lock(struct obc *cc, struct ir_program *prog)
{
    for (size_t i = 0; i < prog->vaults.len; i++) {
        const struct ir_vault *v = VEC_GET(const struct ir_vault, prog->vaults, i);
        if (v->lock && !v->lock->air_gapped) /* an air-gapped vault's range: check_airgap.c */
            check_vault_lock(cc, v);
    }
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        for (size_t j = 0; j < p->rules.len && !p->partial; j++) { /* partial: retention and vault
                                                                      may be inherited */
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            check_rule_retention(cc, r, r->vault, r->vault_at.loc);
            if (r->air_gapped_vault && r->air_gapped_vault->air_gapped)
                check_rule_retention(cc, r, r->air_gapped_vault, r->air_gapped_at.loc);
            for (size_t k = 0; k < r->copies.len; k++)
                check_copy_retention(cc, r, VEC_GET(const struct ir_copy, r->copies, k));
        }
    }
}
