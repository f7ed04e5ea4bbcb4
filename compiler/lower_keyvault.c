/*
 * lower_keyvault.c - lowers `key` and `vault` declarations (with their
 * `lock` blocks) into the IR.
 *
 * Owns: reading KMS key ARNs and aliases (OB7005), where a key lives
 * (account and region from its ARN, or owner/region), which account
 * holds a vault, and a vault's type: a logically air-gapped vault's
 * retention range and RAM shares, and what only it takes (OB2004, OB2011). Cross-object rules (key region versus vault region,
 * lock ranges versus rules) are checks on the IR, not here.
 */
#include "sema.h"

#include <string.h>

/* The declared account with this id, or a new anonymous one. */
static struct ir_account *account_by_id(struct sema *s, const char *id, struct loc loc)
{
    struct ir_account *a = strmap_get(&s->accounts_by_id, id);
    if (a) {
        a->d.used = true;
        return a;
    }
    a = arena_alloc(s->a, sizeof *a);
    a->d = ir_decl_implicit(DK_ACCOUNT, id, loc);
    a->id = id;
    vec_push(s->a, &s->prog->accounts, a);
    strmap_put_new(s->a, &s->accounts_by_id, id, a);
    return a;
}

static void bad_key_arn(struct sema *s, struct loc loc, const char *arn, const char *why)
{
    struct diag *d = diag_emit(s->cc, OB7005, loc, "'%s' is not a KMS key ARN: %s", arn, why);
    diag_help(s->cc, d, "a key ARN looks like arn:aws:kms:eu-central-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab "
                        "(or key/mrk-... for a multi-region key)");
}

/* key/ID where ID is a UUID or mrk- followed by 32 hex digits. */
static bool key_id_ok(const char *id)
{
    if (strncmp(id, "mrk-", 4) == 0) {
        size_t n = strlen(id + 4);
        return n == 32 && strspn(id + 4, "0123456789abcdef") == n;
    }
    if (strlen(id) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? id[i] != '-' : !strchr("0123456789abcdef", id[i]))
            return false;
    }
    return true;
}

static void read_key_arn(struct sema *s, struct ir_key *k)
{
    struct arn_parts p;
    const char *arn = k->arn.s;
    if (!arn_split(s->a, arn, &p) || strcmp(p.service, "kms") != 0) {
        bad_key_arn(s, k->arn.loc, arn, "it does not have the shape arn:PARTITION:kms:REGION:ACCOUNT:key/ID");
        return;
    }
    if (strncmp(p.resource, "alias/", 6) == 0) {
        bad_key_arn(s, k->arn.loc, arn, "it names an alias; vaults need the key itself");
        return;
    }
    if (strncmp(p.resource, "key/", 4) != 0 || !key_id_ok(p.resource + 4)) {
        bad_key_arn(s, k->arn.loc, arn, "the key id must be a UUID or mrk- and 32 hex digits");
        return;
    }
    if (!id_account_ok(p.account)) {
        bad_key_arn(s, k->arn.loc, arn, "its account must be 12 digits");
        return;
    }
    struct ir_decl *r = sym_lookup(&s->syms, p.region);
    while (r && r->kind != DK_REGION)
        r = r->same_name;
    if (!r) {
        struct diag *d = diag_emit(s->cc, OB2008, k->arn.loc, "unknown region '%s' in key ARN", p.region);
        diag_help(s->cc, d, "check the ARN; region codes look like eu-central-1%s",
                  s->prog->regions.len ? "" : " (regions come from import \"std/aws\")");
        return;
    }
    r->used = true;
    k->region = (struct ir_region *)r;
    if (r && ((struct ir_region *)r)->partition && strcmp(((struct ir_region *)r)->partition->d.name, p.partition) != 0)
        bad_key_arn(s, k->arn.loc, arn, arena_printf(s->a, "region %s is in partition %s", p.region,
                                                      ((struct ir_region *)r)->partition->d.name));
    k->account_id = p.account;
    k->multi_region = strncmp(p.resource + 4, "mrk-", 4) == 0;
}

static void read_key_alias(struct sema *s, struct ir_key *k)
{
    const char *a = k->alias.s;
    size_t n = strlen(a);
    bool ok = strncmp(a, "alias/", 6) == 0 && n > 6 && n <= 256 && strspn(a + 6, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-") == n - 6;
    if (!ok) {
        struct diag *d = diag_emit(s->cc, OB7005, k->alias.loc, "'%s' is not a KMS alias", a);
        diag_help(s->cc, d, "an alias is alias/ followed by letters, digits, '/', '_' or '-': \"alias/org-backup\"");
    } else if (strncmp(a, "alias/aws/", 10) == 0 && !k->aws_managed) {
        struct diag *d = diag_emit(s->cc, OB7005, k->alias.loc, "'%s' is reserved for AWS managed keys", a);
        diag_help(s->cc, d, "use aws_managed_backup_key from std/aws for alias/aws/backup, or pick another alias");
    }
}

void lower_key(struct sema *s, const struct ast_item *it, struct ir_key *k)
{
    struct block b;
    sema_block(s, it, BK_KEY, &b);
    struct ir_flag managed = {0};
    if (blk_flag(s, &b, A_KEY_AWS_MANAGED, &managed) == IR_SET)
        k->aws_managed = managed.v;
    if (!blk_value(&b, A_KEY_ARN) && !blk_value(&b, A_KEY_ALIAS)) {
        struct diag *d = diag_emit(s->cc, OB2004, k->d.name_loc, "key '%s' has neither 'arn' nor 'alias'", k->d.name);
        diag_help(s->cc, d, "add arn = \"arn:aws:kms:REGION:ACCOUNT:key/ID\" for one key, or alias = \"alias/NAME\" "
                            "with owner = members for a key each account holds");
    }
    if (blk_text(s, &b, A_KEY_ARN, &k->arn) == IR_SET)
        read_key_arn(s, k);
    if (blk_text(s, &b, A_KEY_ALIAS, &k->alias) == IR_SET)
        read_key_alias(s, k);
    blk_principal(s, &b, A_KEY_OWNER, &k->owner);
    if (k->account_id) {
        struct ir_account *a = account_by_id(s, k->account_id, k->arn.loc);
        if (k->owner.kind == PRIN_NONE) {
            k->owner.kind = PRIN_ACCOUNT;
            k->owner.account = a;
            k->owner.loc = k->arn.loc;
        } else if (k->owner.kind != PRIN_ACCOUNT || k->owner.account != a) {
            struct diag *d = diag_emit(s->cc, OB7005, k->owner.loc, "owner of key '%s' disagrees with its ARN", k->d.name);
            diag_note(s->cc, d, k->arn.loc, "the ARN names account %s", k->account_id);
            diag_help(s->cc, d, "remove owner (the ARN already says where the key lives) or fix the ARN");
        }
    } else if (k->owner.kind == PRIN_NONE) {
        k->owner.kind = PRIN_MEMBERS;
    }
    if (blk_list(s, &b, A_KEY_REGION, &k->regions, &k->regions_at) != IR_ABSENT) {
        if (k->region && (k->regions.len != 1 || VEC_GET(struct ir_region, k->regions, 0) != k->region)) {
            struct diag *d = diag_emit(s->cc, OB7005, k->regions_at.loc, "region of key '%s' disagrees with its ARN", k->d.name);
            k->regions_at.state = IR_REJECTED;
            diag_note(s->cc, d, k->arn.loc, "the ARN names region %s", k->region->d.name);
            diag_help(s->cc, d, "remove region (the ARN already says where the key lives) or fix the ARN");
        }
    } else if (k->region) {
        vec_push(s->a, &k->regions, k->region);
        k->regions_at = (struct ir_attr){IR_SET, k->arn.loc};
    }
    const struct ast_value *v = blk_value(&b, A_KEY_GRANTS);
    if (v)
        k->grants = lower_grants(s, v, &k->grants_at);
    blk_list(s, &b, A_KEY_GRANT_TO, &k->grant_to, &k->grant_to_at);
    blk_list(s, &b, A_KEY_ENCRYPTS, &k->encrypts, &k->encrypts_at);
}

static void lower_lock(struct sema *s, const struct ast_item *it, struct ir_vault *v)
{
    if (it->words.len != 1) {
        struct diag *d = diag_emit(s->cc, OB1010, ast_word_loc(it, 1), "unexpected '%s' after 'lock'", ast_word_text(it, 1));
        diag_help(s->cc, d, "write: lock { mode = compliance ... }");
        return;
    }
    if (v->lock) {
        struct diag *d = diag_emit(s->cc, OB2006, ast_word_loc(it, 0), "vault '%s' has two lock blocks", v->d.name);
        diag_note(s->cc, d, v->lock->loc, "first lock here");
        diag_help(s->cc, d, "a vault has at most one lock; merge them");
        return;
    }
    struct block b;
    sema_block(s, it, BK_LOCK, &b);
    struct ir_lock *l = arena_alloc(s->a, sizeof *l);
    l->loc = ast_word_loc(it, 0);
    int m = blk_enum(s, &b, A_LOCK_MODE, &l->mode_at);
    l->mode = m == 1 ? LOCK_GOVERNANCE : LOCK_COMPLIANCE;
    blk_num(s, &b, A_LOCK_MIN_RETENTION, &l->min_retention);
    blk_num(s, &b, A_LOCK_MAX_RETENTION, &l->max_retention);
    blk_num(s, &b, A_LOCK_GRACE, &l->grace);
    v->lock = l;
}

/* OB2011: an attribute that only an air-gapped vault takes, written in a
 * backup vault. */
static void only_air_gapped(struct sema *s, const struct block *b, enum attr_id id, const struct ir_vault *v)
{
    struct loc at = blk_loc(b, id);
    if (!at.file)
        return;
    struct diag *d = diag_emit(s->cc, OB2011, at, "'%s' is for logically air-gapped vaults, and vault '%s' is a "
                               "backup vault", schema_attr(id)->name, v->d.name);
    diag_help(s->cc, d, "add type = logically_air_gapped to vault '%s', or remove '%s' (a backup vault's retention "
                        "range is its lock block's)", v->d.name, schema_attr(id)->name);
}

/* A logically air-gapped vault [B8, B26]: CreateLogicallyAirGappedBackupVault
 * requires MinRetentionDays and MaxRetentionDays and the vault is always
 * locked in compliance mode. Its range is kept as a lock marked
 * air_gapped, so that rules and copies into it are judged like those
 * into a locked vault (check_lock.c); check_airgap.c judges the range. */
static void lower_air_gapped(struct sema *s, const struct block *b, struct ir_vault *v)
{
    if (v->type_at.state == IR_REJECTED) /* its type is unknown: judge nothing by it */
        return;
    if (!v->air_gapped) {
        only_air_gapped(s, b, A_VAULT_MIN_RETENTION, v);
        only_air_gapped(s, b, A_VAULT_MAX_RETENTION, v);
        only_air_gapped(s, b, A_VAULT_SHARE_WITH, v);
        return;
    }
    struct ir_lock *l = arena_alloc(s->a, sizeof *l);
    l->loc = v->type_at.loc;
    l->mode = LOCK_COMPLIANCE;
    l->air_gapped = true;
    blk_num(s, b, A_VAULT_MIN_RETENTION, &l->min_retention);
    blk_num(s, b, A_VAULT_MAX_RETENTION, &l->max_retention);
    blk_list(s, b, A_VAULT_SHARE_WITH, &v->share_with, &v->share_at);
    v->lock = l;
    const char *missing = l->min_retention.state == IR_ABSENT && l->max_retention.state == IR_ABSENT
                              ? "min_retention and max_retention"
                          : l->min_retention.state == IR_ABSENT ? "min_retention"
                          : l->max_retention.state == IR_ABSENT ? "max_retention"
                                                                : NULL;
    if (missing) {
        struct diag *d = diag_emit(s->cc, OB2004, v->d.name_loc, "logically air-gapped vault '%s' has no %s",
                                   v->d.name, missing);
        diag_note(s->cc, d, v->type_at.loc, "the vault is logically air-gapped here");
        diag_help(s->cc, d, "AWS creates an air-gapped vault with both: add min_retention = 7d (at least 7 days) "
                            "and max_retention = 365d, the range every backup in it must keep to");
    }
}

/* OB2011: an attribute or block that configures a vault, written in an
 * external vault (configured outside the program). */
static void not_external(struct sema *s, struct loc at, const char *what, const struct ir_vault *v)
{
    if (!at.file)
        return;
    struct diag *d = diag_emit(s->cc, OB2011, at, "vault '%s' is external (created and configured outside this "
                               "program) and cannot have %s", v->d.name, what);
    diag_note(s->cc, d, v->external_at.loc, "the vault is external here");
    diag_help(s->cc, d, "remove %s, or remove external = true to let the program configure vault '%s'", what,
              v->d.name);
}

/* An external vault: only its name, owner, regions
 * and type are the program's; what configures it is reported and not
 * lowered, so key and lock stay NULL. Returns whether it is external. */
static bool lower_external(struct sema *s, const struct block *b, const struct ast_item *it, struct ir_vault *v)
{
    struct ir_flag f = {0};
    if (blk_flag(s, b, A_VAULT_EXTERNAL, &f) != IR_SET || !f.v)
        return false;
    v->external = true;
    v->external_at = (struct ir_attr){IR_SET, f.loc};
    static const enum attr_id configured[] = {A_VAULT_KEY, A_VAULT_ACCEPT_COPIES_FROM, A_VAULT_MIN_RETENTION,
                                              A_VAULT_MAX_RETENTION, A_VAULT_SHARE_WITH};
    for (size_t i = 0; i < sizeof configured / sizeof configured[0]; i++)
        not_external(s, blk_loc(b, configured[i]),
                     arena_printf(s->a, "'%s'", schema_attr(configured[i])->name), v);
    for (size_t i = 0; i < it->body.len; i++) {
        const struct ast_item *c = VEC_GET(const struct ast_item, it->body, i);
        if (c->form == ITEM_BLOCK && strcmp(ast_word_text(c, 0), schema_block(BK_LOCK)->word) == 0)
            not_external(s, ast_word_loc(c, 0), "a lock block", v);
    }
    return true;
}

void lower_vault(struct sema *s, const struct ast_item *it, struct ir_vault *v)
{
    struct block b;
    sema_block(s, it, BK_VAULT, &b);
    v->aws_name = (struct ir_text){v->d.name, v->d.name_loc, IR_SET};
    if (blk_text(s, &b, A_VAULT_NAME, &v->aws_name) == IR_REJECTED)
        v->aws_name = (struct ir_text){v->d.name, v->d.name_loc, IR_REJECTED};
    v->owner.kind = PRIN_MEMBERS;
    v->owner.loc = v->d.name_loc;
    blk_principal(s, &b, A_VAULT_OWNER, &v->owner);
    blk_list(s, &b, A_VAULT_REGION, &v->regions, &v->regions_at);
    if (lower_external(s, &b, it, v)) {
        v->air_gapped = blk_enum(s, &b, A_VAULT_TYPE, &v->type_at) == 1;
        return;
    }
    v->key = (struct ir_key *)blk_ref(s, &b, A_VAULT_KEY, &v->key_at);
    blk_list(s, &b, A_VAULT_ACCEPT_COPIES_FROM, &v->accept_from, &v->accept_at);
    v->air_gapped = blk_enum(s, &b, A_VAULT_TYPE, &v->type_at) == 1;
    for (size_t i = 0; i < it->body.len; i++) {
        const struct ast_item *c = VEC_GET(const struct ast_item, it->body, i);
        if (c->form != ITEM_BLOCK || strcmp(ast_word_text(c, 0), schema_block(BK_LOCK)->word) != 0)
            continue;
        if (v->air_gapped) {
            struct diag *d = diag_emit(s->cc, OB2011, ast_word_loc(c, 0), "vault '%s' is logically air-gapped and "
                                       "cannot have a lock block", v->d.name);
            diag_note(s->cc, d, v->type_at.loc, "the vault is logically air-gapped here");
            diag_help(s->cc, d, "an air-gapped vault is always locked in compliance mode: remove the lock block and "
                                "give the vault min_retention and max_retention");
            continue;
        }
        lower_lock(s, c, v);
    }
    lower_air_gapped(s, &b, v);
}
