/*
 * check_airgap.c - logically air-gapped vaults (OB2010, OB4030, OB6020).
 * Source: backup-policy-spec.md 1.3 and 5 [S1, B1, B8, B26].
 *
 * Owns: which rule attribute may name which type of vault (a rule backs
 * up into a backup vault and, with air_gapped_vault, also into an
 * air-gapped one), the retention range an air-gapped vault is created
 * with (MinRetentionDays at least 7, MaxRetentionDays at most 36500, min
 * at most max), and that the air-gapped vault of a rule exists in the
 * account and every region where the rule runs: the policy names it by
 * arn:...:$region:$account:backup-vault:NAME. Does not: compare the
 * retention of rules and copies with the range (check_lock.c does, as
 * for a locked vault), or look at the AST.
 */
#include "checks.h"

/* OB4030: the range CreateLogicallyAirGappedBackupVault accepts. */
static void check_range(struct obc *cc, const struct ir_vault *v)
{
    const struct ir_num *min = &v->lock->min_retention, *max = &v->lock->max_retention;
    if (min->state == IR_SET && (min->v < AWS_AIR_GAPPED_MIN_RETENTION_DAYS || min->v > AWS_RETENTION_MAX_DAYS)) {
        struct diag *d = diag_emit(cc, OB4030, min->loc, "min_retention of air-gapped vault '%s' is %lld days; AWS "
                                   "accepts 7 to 36500 days", v->d.name, (long long)min->v);
        diag_help(cc, d, "use a min_retention from 7d to 36500d");
        return;
    }
    if (max->state == IR_SET && (max->v < 1 || max->v > AWS_RETENTION_MAX_DAYS)) {
        struct diag *d = diag_emit(cc, OB4030, max->loc, "max_retention of air-gapped vault '%s' is %s; AWS accepts "
                                   "at most 36500 days", v->d.name,
                                   max->v > AWS_RETENTION_MAX_DAYS ? "over 36500 days"
                                       : arena_printf(&cc->arena, "%lld days", (long long)max->v));
        diag_help(cc, d, "use a max_retention from min_retention to 36500d");
        return;
    }
    if (min->state == IR_SET && max->state == IR_SET && min->v > max->v) {
        struct diag *d = diag_emit(cc, OB4030, min->loc, "min_retention of air-gapped vault '%s' (%lld days) is "
                                   "greater than its max_retention (%lld days), so no backup fits the vault",
                                   v->d.name, (long long)min->v, (long long)max->v);
        diag_note(cc, d, max->loc, "max_retention is set here");
        diag_help(cc, d, "make min_retention at most max_retention (they may be equal)");
    }
}

/* OB2010: target_backup_vault_name names a backup vault, and
 * target_logically_air_gapped_backup_vault_arn an air-gapped one. */
static void check_types(struct obc *cc, const struct ir_rule *r)
{
    if (r->vault && r->vault->air_gapped) {
        struct diag *d = diag_emit(cc, OB2010, r->vault_at.loc, "vault '%s' of %s is logically air-gapped; a rule's "
                                   "vault (target_backup_vault_name) is a backup vault", r->vault->d.name,
                                   check_rule_words(&cc->arena, r));
        diag_note(cc, d, r->vault->type_at.loc, "vault '%s' is logically air-gapped here", r->vault->d.name);
        diag_help(cc, d, "back up into a backup vault and name the air-gapped one with air_gapped_vault = %s, or "
                         "copy into it with 'copy to %s'", r->vault->d.name, r->vault->d.name);
    }
    const struct ir_vault *lag = r->air_gapped_vault;
    if (lag && !lag->air_gapped && lag->type_at.state != IR_REJECTED) {
        struct diag *d = diag_emit(cc, OB2010, r->air_gapped_at.loc, "air_gapped_vault of %s names vault '%s', "
                                   "which is a backup vault", check_rule_words(&cc->arena, r), lag->d.name);
        diag_note(cc, d, lag->d.name_loc, "vault '%s' is declared here without type = logically_air_gapped",
                  lag->d.name);
        diag_help(cc, d, "name a vault with type = logically_air_gapped, or back up into '%s' with vault = %s",
                  lag->d.name, lag->d.name);
    }
}

/* OB6020: the air-gapped vault's ARN holds $account and $region, so it
 * must exist in every account and region where the rule runs [S1]. */
static void check_place(struct obc *cc, struct check_reported *memo, const struct ir_plan *p, const struct ir_rule *r)
{
    const struct ir_vault *v = r->air_gapped_vault;
    if (!v || !v->air_gapped)
        return;
    if (v->owner.kind == PRIN_ACCOUNT && v->owner.account) {
        const struct ir_receiver *other = check_other_receiver(&cc->arena, memo, p, v->owner.account->id,
                                                               v->owner.account);
        if (other) {
            struct diag *d = diag_emit(cc, OB6020, r->air_gapped_at.loc, "%s backs up into air-gapped vault '%s', "
                                       "which only account '%s' holds, but the plan also runs in other accounts",
                                       check_rule_words(&cc->arena, r), v->d.name, v->owner.account->d.name);
            diag_note(cc, d, v->owner.loc, "vault '%s' is held by account '%s' alone", v->d.name,
                      v->owner.account->d.name);
            diag_note(cc, d, other->target->loc, "policy '%s' attaches plan '%s' here", other->policy->d.name,
                      p->d.name);
            diag_help(cc, d, "the policy names the vault with $account, the account that runs the rule: make vault "
                             "'%s' owner = members, or copy into it with 'copy to %s'", v->d.name, v->d.name);
            return;
        }
    }
    if (!v->regions.len || v->regions_at.state == IR_REJECTED)
        return;
    for (size_t i = 0; i < p->regions.len; i++) {
        const struct ir_region *reg = VEC_GET(const struct ir_region, p->regions, i);
        if (check_has_item(&v->regions, reg))
            continue;
        struct diag *d = diag_emit(cc, OB6020, r->air_gapped_at.loc, "air-gapped vault '%s' of %s does not exist "
                                   "in %s, where the plan runs", v->d.name, check_rule_words(&cc->arena, r),
                                   reg->d.name);
        diag_note(cc, d, v->regions_at.loc, "vault '%s' has its regions here", v->d.name);
        diag_help(cc, d, "the policy names the vault with $region, the region the rule runs in: add %s to vault "
                         "'%s', or leave out its region so it exists wherever its plans run", reg->d.name, v->d.name);
        return;
    }
}

void check_airgap(struct obc *cc, struct ir_program *prog)
{
    for (size_t i = 0; i < prog->vaults.len; i++) {
        const struct ir_vault *v = VEC_GET(const struct ir_vault, prog->vaults, i);
        if (v->air_gapped && v->lock)
            check_range(cc, v);
    }
    struct check_reported memo = {0};
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            check_types(cc, r);
            check_place(cc, &memo, p, r);
        }
    }
}
