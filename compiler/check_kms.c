/*
 * check_kms.c - KMS keys against the backup principals that use them
 * (OB7001-OB7004, OB7006-OB7008): a customer managed key grants the
 * actions its users need (the documented minimum, OB7001; the seed
 * module's advice, OB7008) and is shared with every other account that
 * uses it, AWS managed keys stay out of cross-account copies of types AWS
 * Backup does not fully manage (destination vault OB7002, source
 * resources OB7006), and such copies say which keys their resources use
 * (OB7003, OB7007).
 * Sources: backup-policy-spec.md 6.1-6.3 and 8 [B14, B16, B18, X3].
 *
 * Who uses which key, and what each needs, comes from key_uses()
 * (key_users.c), the list the manifest turns into key-policy statements.
 * Works on the IR only. Copies that cannot run at all (across partitions,
 * cross-account where the partition has none: OB6007; into another
 * account's Default vault: OB6004) are check_copies.c's and are skipped
 * here, as are copy targets sema rejected.
 */
#include "checks.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>


struct kms {
    struct obc *cc;
    struct arena *a;
    const struct ir_program *prog;
    struct vec uses;       /* struct key_use* */
    struct strmap uses_of; /* key name -> struct vec* of its uses, in the order of `uses` */
    struct ptrset reported;   /* for check_first_time */
    struct ptrset missing;    /* (key, permission set) -> struct vec: actions_missing() */
    struct ptrset plans;      /* check_plan_facts() */
    struct ptrset memo;       /* MEMO_*: worked out once per rule or key */
};

/* Keys of kms.memo. */
enum {
    MEMO_RULE,          /* rule: its copies' targets below are recorded */
    MEMO_REJECTED_INTO, /* (rule, vault): a copy of the rule into the vault is check_copies.c's */
    MEMO_GRANT_TO,      /* key -> struct ir_principal_set of its grant_to */
};

/* Keys of kms.missing: the documented minimum, or the other actions. */
enum { MISSING_MINIMUM = 1, MISSING_ADVICE };

/* A vault that names no key uses the AWS managed aws/backup key; one
 * whose key reference sema rejected is not judged, nor an external one
 * (its key is unknown). */
static bool uses_aws_managed_key(const struct ir_vault *v)
{
    if (v->external)
        return false;
    if (!v->key)
        return v->key_at.state == IR_ABSENT;
    return v->key->aws_managed;
}

/* ---- which copies are this file's ------------------------------------ */

static bool copy_checked_here(struct kms *m, const struct ir_plan *p, const struct ir_rule *r,
                              const struct ir_copy *c)
{
    if (!c->target || c->target->regions.len != 1 || !r->vault)
        return false;
    if (check_copy_walled(check_plan_facts(m->a, &m->plans, p), p, r, c))
        return false;
    return !(ir_copy_cross_account(r->vault, c->target) && ir_vault_is_default(c->target));
}

/* A key use that comes from a copy check_copies.c rejects outright. The
 * rule's copies are looked at once per rule, however many uses it has. */
static bool use_of_rejected_copy(struct kms *m, const struct key_use *u)
{
    struct ir_rule *r = u->rule;
    if (!r || !r->plan)
        return false;
    if (u->kind == KEY_USE_COPY_SOURCE)
        return u->copy && !copy_checked_here(m, r->plan, r, u->copy);
    bool first = ptrset_add_key(m->a, &m->memo, MEMO_RULE, r, NULL), added;
    for (size_t i = 0; first && i < r->copies.len; i++) {
        const struct ir_copy *c = r->copies.items[i];
        if (!copy_checked_here(m, r->plan, r, c))
            *ptrset_put(m->a, &m->memo, MEMO_REJECTED_INTO, r, c->target, &added) = (void *)c;
    }
    return ptrset_get(&m->memo, MEMO_REJECTED_INTO, r, u->vault) != NULL;
}

/* ---- OB7001: what a key grants ---------------------------------------- */

/* IAM action patterns: case-insensitive, '*' any run, '?' one character. */
static bool action_matches(const char *p, const char *s)
{
    return wildcard_match(p, s, WILD_FOLD | WILD_QUESTION);
}

/* Whether a set of action patterns (NULL: none) allows `action`. */
static bool set_allows(const struct ir_permissions *set, const char *action)
{
    for (size_t i = 0; set && i < set->actions.len; i++)
        if (action_matches(set->actions.items[i], action))
            return true;
    return false;
}

static bool key_grants(const struct ir_key *k, const char *action)
{
    return set_allows(k->grants, action);
}

/* Whether `act` is of the minimum AWS documents (std backup_key_minimum);
 * without the std every needed action counts as one. */
static bool documented_minimum(const struct ir_program *prog, const char *act)
{
    return !prog->key_minimum || set_allows(prog->key_minimum, act);
}

/* The actions use `u` needs that its key does not grant, appended to
 * `out` once each: those of the documented minimum (`minimum`), or the
 * others. */
static const struct vec *actions_missing(struct kms *m, const struct key_use *u, bool minimum)
{
    static const struct vec none;
    if (!u->needs)
        return &none;
    /* the same for every use of one key with one permission set */
    bool fresh;
    struct vec *out = ptrset_memo(m->a, &m->missing, minimum ? MISSING_MINIMUM : MISSING_ADVICE, u->key,
                                  u->needs, sizeof *out, &fresh);
    if (!fresh)
        return out;
    struct strmap seen = {0};
    for (size_t i = 0; i < u->needs->actions.len; i++) {
        const char *act = u->needs->actions.items[i];
        if (documented_minimum(m->prog, act) == minimum && !key_grants(u->key, act) &&
            !strmap_put_new(m->a, &seen, act, (void *)act))
            vec_push(m->a, out, (void *)act);
    }
    return out;
}

static const char *join_strings(struct arena *a, const struct vec *v)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < v->len; i++)
        sb_printf(a, &b, "%s%s", i == 0 ? "" : i + 1 == v->len ? " and " : ", ", (const char *)v->items[i]);
    return sb_str(a, &b);
}

/* "AWSServiceRoleForBackup of account 'backup' needs kms:X here to ..." */
static const char *use_words(struct arena *a, const struct key_use *u, const char *actions)
{
    const char *who = check_principal_words(a, &u->who);
    if (u->kind == KEY_USE_BACKUP_ROLE && u->resource_key)
        return arena_printf(a, "the role of selection '%s' needs %s here to back up the resources it selects, "
                               "which this key encrypts",
                            u->selection->d.name, actions);
    if (u->kind == KEY_USE_BACKUP_ROLE)
        return arena_printf(a, "the role of selection '%s' needs %s here to back up into vault '%s'",
                            u->selection->d.name, actions, u->vault->d.name);
    if (u->kind == KEY_USE_VAULT_CREATE)
        return arena_printf(a, "the principal that creates vault '%s' in %s needs %s here: the key lives in "
                               "another account",
                            u->vault->d.name, who, actions);
    if (u->kind == KEY_USE_COPY_SOURCE && u->resource_key)
        return arena_printf(a, "%s of %s needs %s here to read the recovery points of selection '%s' it copies "
                               "(%s), which keep this key of their source resources",
                            u->role, who, actions, u->selection->d.name, check_rule_words(a, u->rule));
    if (u->kind == KEY_USE_COPY_SOURCE)
        return arena_printf(a, "%s of %s needs %s here to read the recovery points of vault '%s' it copies (%s)",
                            u->role, who, actions, u->vault->d.name, check_rule_words(a, u->rule));
    if (u->rule)
        return arena_printf(a, "%s of %s needs %s here to write copies of %s into vault '%s'", u->role, who,
                            actions, check_rule_words(a, u->rule), u->vault->d.name);
    return arena_printf(a, "%s of %s needs %s here to write recovery points into vault '%s'", u->role, who,
                        actions, u->vault->d.name);
}

static struct diag *report_grants(struct kms *m, const struct ir_key *k, const char *list, bool minimum);

static void check_key_grants(struct kms *m, const struct ir_key *k, bool minimum)
{
    /* a `grants` value sema rejected in part was lowered without that part;
     * a key that declares no grants at all is one OB7001 */
    if (k->grants_at.state == IR_REJECTED || (!minimum && !k->grants))
        return;
    const struct vec *uses = strmap_get(&m->uses_of, k->d.name);
    if (!uses) /* nothing uses it: nothing is missing */
        return;
    struct vec missing = {0};
    struct strmap in_missing = {0};
    for (size_t i = 0; i < uses->len; i++) {
        const struct key_use *u = uses->items[i];
        const struct vec *lacks = use_of_rejected_copy(m, u) ? NULL : actions_missing(m, u, minimum);
        for (size_t j = 0; lacks && j < lacks->len; j++)
            if (!strmap_put_new(m->a, &in_missing, lacks->items[j], lacks->items[j]))
                vec_push(m->a, &missing, lacks->items[j]);
    }
    if (!missing.len)
        return;
    struct diag *d = report_grants(m, k, join_strings(m->a, &missing), minimum);
    for (size_t i = 0; i < uses->len; i++) {
        const struct key_use *u = uses->items[i];
        if (use_of_rejected_copy(m, u))
            continue;
        const struct vec *mine = actions_missing(m, u, minimum);
        if (mine->len && u->loc.file)
            diag_note(m->cc, d, u->loc, "%s", use_words(m->a, u, join_strings(m->a, mine)));
    }
}

/* OB7001 for actions of the documented minimum, OB7008 for the others. */
static struct diag *report_grants(struct kms *m, const struct ir_key *k, const char *list, bool minimum)
{
    struct diag *d;
    if (!minimum) {
        d = diag_emit(m->cc, OB7008, k->grants_at.loc,
                      "key '%s' does not grant %s, which the seed Terraform module advises for the backup "
                      "principals that use it: AWS Backup retires the grants it creates with kms:RetireGrant "
                      "and reads the key with kms:DescribeKey",
                      k->d.name, list);
        diag_help(m->cc, d,
                  "add %s to what key '%s' grants and to its key policy (the std permission set "
                  "backup_vault_key holds them)",
                  list, k->d.name);
        return d;
    }
    if (k->grants) {
        d = diag_emit(m->cc, OB7001, k->grants_at.loc,
                      "key '%s' does not grant %s, which the backup principals that use it need: AWS documents "
                      "kms:CreateGrant, kms:GenerateDataKey and kms:Decrypt as the minimum",
                      k->d.name, list);
        diag_help(m->cc, d,
                  "add %s to what key '%s' grants (the std permission set backup_vault_key holds every action "
                  "AWS Backup needs on a vault key), and to its key policy",
                  list, k->d.name);
    } else {
        d = diag_emit(m->cc, OB7001, k->d.name_loc,
                      "key '%s' does not declare what its key policy grants, and the backup principals that use "
                      "it need %s",
                      k->d.name, list);
        diag_help(m->cc, d, "add grants = backup_vault_key (std), or the list of actions its key policy grants");
    }
    return d;
}

/* ---- OB7004: a key of another account --------------------------------- */

/* How `who` is written in grant_to. */
static const char *grant_name(const struct ir_principal *who)
{
    return who->kind == PRIN_ACCOUNT && who->account ? who->account->d.name : "members";
}

static const char *grant_to_words(struct arena *a, const struct ir_key *k)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < k->grant_to.len; i++)
        sb_printf(a, &b, "%s%s", i ? ", " : "", check_principal_words(a, k->grant_to.items[i]));
    return arena_printf(a, "key '%s' lets only %s use it besides its own account", k->d.name, sb_str(a, &b));
}

/* ir_principal_covered() with the key's grant_to as a set, made once per
 * key: a key shared with many accounts and used by many stays linear. */
static bool key_covers(struct kms *m, const struct ir_key *k, const struct ir_principal *owner,
                       const struct ir_principal *who)
{
    bool fresh;
    struct ir_principal_set *s = ptrset_memo(m->a, &m->memo, MEMO_GRANT_TO, k, NULL, sizeof *s, &fresh);
    for (size_t i = 0; fresh && i < k->grant_to.len; i++)
        ir_principal_set_add(m->a, s, k->grant_to.items[i]);
    return ir_same_principal(who, owner) || s->organization || ir_principal_set_has(s, who);
}

static void check_key_share(struct kms *m, const struct key_use *u)
{
    const struct ir_key *k = u->key;
    /* the vault's owner creates it, and a role backs up into it, in the
     * accounts whose vault-write use is judged here already */
    if (u->kind == KEY_USE_VAULT_CREATE || (u->kind == KEY_USE_BACKUP_ROLE && !u->resource_key))
        return;
    struct ir_principal owner = ir_key_owner(k);
    if (key_covers(m, k, &owner, &u->who) || use_of_rejected_copy(m, u) ||
        k->grant_to_at.state == IR_REJECTED)
        return;
    const void *who = u->who.kind == PRIN_ACCOUNT ? (const void *)u->who.account : NULL;
    if (!check_first_time(m->a, &m->reported, OB7004, k, who))
        return;
    const char *user = check_principal_words(m->a, &u->who), *holder = check_principal_words(m->a, &owner);
    struct diag *d;
    if (u->kind == KEY_USE_BACKUP_ROLE)
        d = diag_emit(m->cc, OB7004, u->loc,
                      "selection '%s' names key '%s' in source_keys, which %s holds and does not share with %s: "
                      "the selection's role runs the backup jobs there and must use the key of the resources",
                      u->selection->d.name, k->d.name, holder, user);
    else if (u->kind == KEY_USE_COPY_SOURCE && u->resource_key)
        d = diag_emit(m->cc, OB7004, u->loc,
                      "%s copies recovery points of selection '%s' to %s, but key '%s' of their source resources "
                      "is held by %s and not shared with it: the destination account does the copy and must use "
                      "the key the recovery points keep",
                      check_rule_words(m->a, u->rule), u->selection->d.name, user, k->d.name, holder);
    else if (u->kind == KEY_USE_COPY_SOURCE)
        d = diag_emit(m->cc, OB7004, u->loc,
                      "%s copies recovery points of vault '%s' to %s, but key '%s' of the source vault is held by "
                      "%s and not shared with it: the destination account does the copy and must use the source key",
                      check_rule_words(m->a, u->rule), u->vault->d.name, user, k->d.name, holder);
    else
        d = diag_emit(m->cc, OB7004, u->loc,
                      "vault '%s' of %s is encrypted with key '%s', which %s holds and does not share with %s: "
                      "AWS Backup in the vault's account must use the key",
                      u->vault->d.name, user, k->d.name, holder, user);
    if (k->grant_to.len)
        diag_note(m->cc, d, k->grant_to_at.loc, "%s", grant_to_words(m->a, k));
    else
        diag_note(m->cc, d, k->d.name_loc, "key '%s' has no grant_to, so only %s can use it", k->d.name, holder);
    if (k->grant_to.len)
        diag_help(m->cc, d, "add '%s' to grant_to of key '%s' (the manifest lists the key-policy statement to add)",
                  grant_name(&u->who), k->d.name);
    else
        diag_help(m->cc, d, "add grant_to = [%s] to key '%s' (the manifest lists the key-policy statement to add)",
                  grant_name(&u->who), k->d.name);
}

/* ---- OB7002, OB7003, OB7006, OB7007: keys of cross-account copies ---- */

/* The types of `types` that AWS Backup does not fully manage: their
 * backups keep the source resource's key [B16 6.1]. */
static void partial_types(struct arena *a, const struct vec *types, struct vec *out)
{
    for (size_t i = 0; i < types->len; i++) {
        struct ir_restype *t = types->items[i];
        if (!t->full_management)
            vec_push(a, out, t);
    }
}

/* The concrete types AWS Backup fully manages, for a help. */
static const char *fully_managed_names(struct kms *m)
{
    struct vec full = {0};
    for (size_t i = 0; i < m->prog->restypes.len; i++) {
        struct ir_restype *t = m->prog->restypes.items[i];
        if (t->full_management && !t->is_any)
            vec_push(m->a, &full, t);
    }
    return full.len ? check_names(m->a, &full, SIZE_MAX) : NULL;
}

/* An AWS managed key of the service that owns every type in `types`
 * (a key with `encrypts` covering them all, as std aws_managed_ebs_key). */
static bool owning_service_key(const struct ir_key *k, const struct vec *types)
{
    if (!k || !k->encrypts.len)
        return false;
    for (size_t i = 0; i < types->len; i++)
        if (!ir_key_encrypts(k, types->items[i]))
            return false;
    return true;
}

static void check_copy_into_managed(struct kms *m, const struct ir_plan *p, const struct ir_rule *r,
                                    const struct ir_copy *c)
{
    const struct ir_vault *t = c->target;
    if (!uses_aws_managed_key(t))
        return;
    struct vec types = {0}, partial = {0};
    bool any = false;
    ir_plan_types(m->prog, p, &types, &any, m->a);
    partial_types(m->a, &types, &partial);
    /* fully managed types only: aws/backup works at the destination; and
     * the owning service's AWS managed key (aws/ebs for EBS and EC2, whose
     * `encrypts` says so) works for that service's types [B16] */
    if (!partial.len || owning_service_key(t->key, &partial) ||
        !check_first_time(m->a, &m->reported, OB7002, t, NULL))
        return;
    const char *holder = check_principal_words(m->a, &t->owner);
    struct diag *d = diag_emit(m->cc, OB7002, c->target_loc,
                               "%s copies into vault '%s' of %s, which is encrypted with an AWS managed key: a "
                               "cross-account copy of %s, which AWS Backup does not fully manage%s, needs a "
                               "customer managed key at the destination",
                               check_rule_words(m->a, r), t->d.name, holder, check_some_types(m->a, &partial, any),
                               any ? " and its selection (by tags or type any) can include" : "");
    if (t->key_at.loc.file)
        diag_note(m->cc, d, t->key_at.loc, "vault '%s' uses key '%s', an AWS managed key", t->d.name,
                  t->key ? t->key->d.name : "?");
    else
        diag_note(m->cc, d, t->d.name_loc, "vault '%s' names no key, so AWS encrypts it with aws/backup", t->d.name);
    const char *full = fully_managed_names(m);
    diag_help(m->cc, d,
              "give vault '%s' a customer managed key of %s: key = KEY, with grants = backup_vault_key%s%s",
              t->d.name, holder, full ? ", or select only types AWS Backup fully manages: " : "", full ? full : "");
}

/* OB7006: a source key that is AWS managed, for a type the copy takes
 * with the resource's own key. */
static void check_managed_source_key(struct kms *m, const struct ir_rule *r, const struct ir_copy *c,
                                     const struct ir_selection *sel, const struct ir_key *k,
                                     const struct vec *partial)
{
    struct vec hit = {0};
    for (size_t i = 0; i < partial->len; i++)
        if (ir_key_encrypts(k, partial->items[i]))
            vec_push(m->a, &hit, partial->items[i]);
    if (!hit.len || !check_first_time(m->a, &m->reported, OB7006, sel, k))
        return;
    struct ir_principal dest = ir_vault_owner(c->target);
    struct diag *d = diag_emit(m->cc, OB7006, sel->source_keys_at.loc,
                               "selection '%s' backs up %s encrypted with key '%s', an AWS managed key, and %s "
                               "copies them to %s: backups of types AWS Backup does not fully manage keep their "
                               "source resource's key, and an AWS managed key cannot be shared, so the copy fails",
                               sel->d.name, check_some_types(m->a, &hit, false), k->d.name,
                               check_rule_words(m->a, r), check_principal_words(m->a, &dest));
    diag_note(m->cc, d, c->target_loc, "the copy to vault '%s' crosses accounts", c->target->d.name);
    diag_help(m->cc, d,
              "re-encrypt the resources with a customer managed key shared with %s (grant_to = [%s]) and name that "
              "key in source_keys of selection '%s'",
              check_principal_words(m->a, &dest), grant_name(&dest), sel->d.name);
}

/* OB7003 (source vault with an AWS managed key) or OB7007 (any other):
 * a type the copy takes with the resource's own key, and no source key
 * of the selection says which. */
static void check_undeclared_source_keys(struct kms *m, const struct ir_plan *p, const struct ir_rule *r,
                                         const struct ir_copy *c, const struct ir_selection *sel,
                                         const struct vec *partial, bool any)
{
    struct vec open = {0};
    for (size_t i = 0; i < partial->len; i++) {
        bool covered = false;
        for (size_t j = 0; j < sel->source_keys.len && !covered; j++)
            covered = ir_key_encrypts(sel->source_keys.items[j], partial->items[i]);
        if (!covered)
            vec_push(m->a, &open, partial->items[i]);
    }
    const struct ir_vault *s = r->vault;
    bool managed = uses_aws_managed_key(s);
    enum diag_code code = managed ? OB7003 : OB7007;
    if (!open.len || !check_first_time(m->a, &m->reported, code, sel, p))
        return;
    bool all = open.len == partial->len;
    struct ir_principal dest = ir_vault_owner(c->target);
    struct diag *d = diag_emit(m->cc, code, c->target_loc,
                               "%s copies %s of selection '%s'%s to %s, and the program does not say which keys "
                               "encrypt them: their backups keep the key of their source resources (not the key "
                               "of vault '%s'), which must be customer managed and shared with %s",
                               check_rule_words(m->a, r), check_some_types(m->a, &open, any && all), sel->d.name,
                               any && all ? " (by tags or type any)" : "", check_principal_words(m->a, &dest),
                               s->d.name, check_principal_words(m->a, &dest));
    if (managed && s->key_at.loc.file)
        diag_note(m->cc, d, s->key_at.loc,
                  "vault '%s' uses AWS managed key '%s', which encrypts only the backups of types AWS Backup fully "
                  "manages",
                  s->d.name, s->key ? s->key->d.name : "?");
    else if (managed)
        diag_note(m->cc, d, s->d.name_loc,
                  "vault '%s' names no key: aws/backup encrypts only the backups of types AWS Backup fully manages",
                  s->d.name);
    diag_note(m->cc, d, sel->d.name_loc, "selection '%s' names no source key for %s", sel->d.name,
              check_some_types(m->a, &open, any && all));
    const char *full = fully_managed_names(m);
    diag_help(m->cc, d,
              "add source_keys = [KEY] to selection '%s' naming the customer managed keys of its resources, "
              "with grant_to = [%s]%s%s",
              sel->d.name, grant_name(&dest), full ? ", or select only types AWS Backup fully manages: " : "",
              full ? full : "");
}

static void check_source_keys(struct kms *m, const struct ir_plan *p, const struct ir_rule *r,
                              const struct ir_copy *c)
{
    for (size_t i = 0; i < p->selections.len; i++) {
        const struct ir_selection *sel = p->selections.items[i];
        if (sel->source_keys_at.state == IR_REJECTED)
            continue;
        struct vec types = {0}, partial = {0};
        bool any = false;
        ir_selection_types(m->prog, sel, &types, &any, m->a);
        partial_types(m->a, &types, &partial);
        if (!partial.len)
            continue;
        for (size_t j = 0; j < sel->source_keys.len; j++) {
            const struct ir_key *k = sel->source_keys.items[j];
            if (k->aws_managed)
                check_managed_source_key(m, r, c, sel, k, &partial);
        }
        check_undeclared_source_keys(m, p, r, c, sel, &partial, any);
    }
}

static void check_copy(struct kms *m, const struct ir_plan *p, const struct ir_rule *r, const struct ir_copy *c)
{
    if (!copy_checked_here(m, p, r, c) || !ir_copy_cross_account(r->vault, c->target))
        return;
    /* a policy document says nothing of the keys of its vaults or of the
     * resources it selects: nothing to judge */
    if ((p->policies.len && VEC_GET(const struct ir_policy, p->policies, 0)->document) || p->partial)
        return; /* a partial plan: what it selects merges with inherited selections */
    check_copy_into_managed(m, p, r, c);
    check_source_keys(m, p, r, c);
}

void check_kms(struct obc *cc, struct ir_program *prog)
{
    struct kms m = {.cc = cc, .a = &cc->arena, .prog = prog};
    key_uses(cc, prog, &m.uses);
    for (size_t i = 0; i < m.uses.len; i++) {
        struct key_use *u = m.uses.items[i];
        struct vec *of_key = strmap_get(&m.uses_of, u->key->d.name);
        if (!of_key) {
            of_key = arena_alloc(m.a, sizeof *of_key);
            strmap_put_new(m.a, &m.uses_of, u->key->d.name, of_key);
        }
        vec_push(m.a, of_key, u);
    }
    for (size_t i = 0; i < prog->keys.len; i++) {
        check_key_grants(&m, prog->keys.items[i], true);
        check_key_grants(&m, prog->keys.items[i], false);
    }
    for (size_t i = 0; i < m.uses.len; i++)
        check_key_share(&m, m.uses.items[i]);
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = prog->plans.items[i];
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = p->rules.items[j];
            for (size_t k = 0; k < r->copies.len; k++)
                check_copy(&m, p, r, r->copies.items[k]);
        }
    }
}
