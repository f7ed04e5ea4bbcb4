/*
 * check_airgap.c - logically air-gapped vaults (OB2010, OB4030, OB6020).
 * Source: backup-policy-spec.md 1.3 and 5 [S1, B1, B8, B26].
 *
 * Owns: which rule attribute may name which type of vault (a rule backs
 * up into a backup vault and, with air_gapped_vault, also into an
 * air-gapped one), the retention range an air-gapped vault is created
 * with (MinRetentionDays at least 7, MaxRetentionDays at most 36500, min
 * at most max), that the air-gapped vault of a rule exists in the
 * account and every region where the rule runs (the policy names it by
 * arn:...:$region:$account:backup-vault:NAME), that AWS offers air-gapped
 * vaults in its regions (the std's air_gapped_vaults), and that types AWS
 * does not fully manage reach it from a customer-managed-key vault, and
 * that no type that cannot copies into one across regions. Does not: compare the
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
static void check_place(struct obc *cc, struct ptrset *memo, const struct ir_plan *p, const struct ir_rule *r)
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
    struct vec missing = {0};
    vec_missing(&cc->arena, &p->regions, &v->regions, &missing);
    if (missing.len) {
        const struct ir_region *reg = missing.items[0];
        struct diag *d = diag_emit(cc, OB6020, r->air_gapped_at.loc, "air-gapped vault '%s' of %s does not exist "
                                   "in %s, where the plan runs", v->d.name, check_rule_words(&cc->arena, r),
                                   reg->d.name);
        diag_note(cc, d, v->regions_at.loc, "vault '%s' has its regions here", v->d.name);
        diag_help(cc, d, "the policy names the vault with $region, the region the rule runs in: add %s to vault "
                         "'%s', or leave out its region so it exists wherever its plans run", reg->d.name, v->d.name);
    }
}

/* OB6021: a region of `regions` where AWS offers no air-gapped vaults
 * [B26]; reported at `at` (where the regions come from). */
static void check_offered(struct obc *cc, const struct ir_vault *v, const struct vec *regions, struct loc at,
                          const char *why)
{
    for (size_t i = 0; i < regions->len; i++) {
        const struct ir_region *reg = VEC_GET(const struct ir_region, *regions, i);
        if (!reg->no_air_gapped_vaults)
            continue;
        struct diag *d = diag_emit(cc, OB6021, at, "air-gapped vault '%s' %s %s, where AWS Backup offers no "
                                   "logically air-gapped vaults", v->d.name, why, reg->d.name);
        diag_help(cc, d, "keep the air-gapped vault in a region that has them: copy into one in another region "
                         "with 'copy to', or use a backup vault with a compliance lock in %s", reg->d.name);
        return;
    }
}

/* OB6022: "For resources that are not fully managed, the source backup
 * must be encrypted with a customer managed key" [B26]: the temporary
 * snapshot in the rule's vault is the source of the copy into the
 * air-gapped vault. A warning: a selection by tags may never meet them. */
static void check_source_key(struct obc *cc, const struct ir_program *prog, const struct ir_plan *p,
                             const struct ir_rule *r)
{
    const struct ir_vault *v = r->vault, *lag = r->air_gapped_vault;
    if (!v || !lag || !lag->air_gapped || v->air_gapped || v->external || v->key_at.state == IR_REJECTED ||
        (v->key && !v->key->aws_managed))
        return;
    struct vec types = {0}, partial = {0};
    bool any = false;
    ir_plan_types(prog, p, &types, &any, &cc->arena);
    for (size_t i = 0; i < types.len; i++) {
        struct ir_restype *t = types.items[i];
        if (!t->full_management)
            vec_push(&cc->arena, &partial, t);
    }
    if (!partial.len)
        return;
    struct diag *d = diag_emit(cc, OB6022, r->air_gapped_at.loc, "%s backs up %s into air-gapped vault '%s' "
                               "through a temporary snapshot in vault '%s', whose key is AWS managed; AWS needs a "
                               "customer managed key for types it does not fully manage%s",
                               check_rule_words(&cc->arena, r), check_some_types(&cc->arena, &partial, any),
                               lag->d.name, v->d.name,
                               any ? " (its selection, by tags or type any, can include them)" : "");
    if (v->key_at.loc.file)
        diag_note(cc, d, v->key_at.loc, "vault '%s' uses an AWS managed key here", v->d.name);
    else
        diag_note(cc, d, v->d.name_loc, "vault '%s' names no key, so AWS encrypts it with aws/backup", v->d.name);
    diag_help(cc, d, "encrypt vault '%s' with a customer managed key (key = ...), or select only types AWS Backup "
                     "fully manages", v->d.name);
}

/* OB6023: "No cross-Region copy to or from a LAG vault for Aurora,
 * DocumentDB or Neptune" [B26]. Judged for the types a plan names; a
 * selection by tags may never meet them. */
static void check_copy_regions(struct obc *cc, const struct ir_program *prog, const struct ir_plan *p,
                               const struct ir_rule *r, const struct ir_copy *c)
{
    if (!c->target || !c->target->air_gapped)
        return;
    const struct ir_region *to = copy_region(p, c);
    const struct ir_region *from = NULL;
    for (size_t i = 0; to && !from && i < p->regions.len; i++)
        if (p->regions.items[i] != to)
            from = p->regions.items[i];
    if (!from)
        return;
    struct vec types = {0}, cannot = {0};
    bool any = false;
    ir_plan_types(prog, p, &types, &any, &cc->arena);
    for (size_t i = 0; !any && i < types.len; i++) {
        struct ir_restype *t = types.items[i];
        if (t->no_air_gapped_cross_region_copy)
            vec_push(&cc->arena, &cannot, t);
    }
    if (!cannot.len)
        return;
    struct diag *d = diag_emit(cc, OB6023, c->target_loc, "%s copies %s from %s into air-gapped vault '%s' in %s; "
                               "AWS Backup copies these types into an air-gapped vault only within one region",
                               check_rule_words(&cc->arena, r), check_names(&cc->arena, &cannot, SIZE_MAX),
                               from->d.name, c->target->d.name, to->d.name);
    diag_help(cc, d, "copy into an air-gapped vault in the plan's own region (air_gapped_vault = VAULT backs up into "
                     "one in each region), or leave these types out of the plan");
}

void check_airgap(struct obc *cc, struct ir_program *prog)
{
    for (size_t i = 0; i < prog->vaults.len; i++) {
        const struct ir_vault *v = VEC_GET(const struct ir_vault, prog->vaults, i);
        if (v->air_gapped && v->lock)
            check_range(cc, v);
        if (v->air_gapped && v->regions_at.state == IR_SET)
            check_offered(cc, v, &v->regions, v->regions_at.loc, "is in");
    }
    struct ptrset memo = {0};
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            check_types(cc, r);
            if (p->partial) /* where it runs and what it selects are inherited */
                continue;
            check_place(cc, &memo, p, r);
            if (r->air_gapped_vault && r->air_gapped_vault->air_gapped && !r->air_gapped_vault->regions.len)
                check_offered(cc, r->air_gapped_vault, &p->regions, r->air_gapped_at.loc,
                              "would exist wherever the plan runs, which includes");
            check_source_key(cc, prog, p, r);
            for (size_t k = 0; k < r->copies.len; k++)
                check_copy_regions(cc, prog, p, r, VEC_GET(const struct ir_copy, r->copies, k));
        }
    }
}
