/*
 * check_kms.c - KMS keys against the backup principals that use them
 * (OB7001-OB7004): a customer managed key grants the actions its users
 * need and is shared with every other account that uses it, and AWS
 * managed keys stay out of cross-account copies.
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
    struct ptrset plans;      /* check_plan_facts() */
    struct ptrset memo;       /* MEMO_*: worked out once per rule, key or vault and plan */
};

/* Keys of kms.memo. */
enum {
    MEMO_RULE,          /* rule: its copies' targets below are recorded */
    MEMO_REJECTED_INTO, /* (rule, vault): a copy of the rule into the vault is check_copies.c's */
    MEMO_MISSING,       /* (key, permission set) -> struct vec of the actions the key lacks */
    MEMO_FROM_MANAGED,  /* (vault, plan): OB7003 worked out */
    MEMO_GRANT_TO,      /* key -> struct ir_principal_set of its grant_to */
};

/* A vault that names no key uses the AWS managed aws/backup key; one
 * whose key reference sema rejected is not judged. */
static bool uses_aws_managed_key(const struct ir_vault *v)
{
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
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            resume = s;
        } else if (*p && (*p == '?' || tolower((unsigned char)*p) == tolower((unsigned char)*s))) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

static bool key_grants(const struct ir_key *k, const char *action)
{
    if (!k->grants)
        return false;
    for (size_t i = 0; i < k->grants->actions.len; i++)
        if (action_matches(k->grants->actions.items[i], action))
            return true;
    return false;
}

/* The actions use `u` needs that its key does not grant, once each, in
 * the order of the permission set; worked out once per key and
 * permission set however many uses ask. */
static const struct vec *actions_missing(struct kms *m, const struct key_use *u)
{
    static const struct vec none;
    if (!u->needs)
        return &none;
    bool fresh;
    struct vec *out = ptrset_memo(m->a, &m->memo, MEMO_MISSING, u->key, u->needs, sizeof *out, &fresh);
    if (!fresh)
        return out;
    struct strmap seen = {0};
    for (size_t i = 0; i < u->needs->actions.len; i++) {
        const char *act = u->needs->actions.items[i];
        if (!key_grants(u->key, act) && !strmap_put_new(m->a, &seen, act, (void *)act))
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
    if (u->kind == KEY_USE_COPY_SOURCE)
        return arena_printf(a, "%s of %s needs %s here to read the recovery points of vault '%s' it copies (%s)",
                            u->role, who, actions, u->vault->d.name, check_rule_words(a, u->rule));
    if (u->rule)
        return arena_printf(a, "%s of %s needs %s here to write copies of %s into vault '%s'", u->role, who,
                            actions, check_rule_words(a, u->rule), u->vault->d.name);
    return arena_printf(a, "%s of %s needs %s here to write recovery points into vault '%s'", u->role, who,
                        actions, u->vault->d.name);
}

static void check_key_grants(struct kms *m, const struct ir_key *k)
{
    /* a `grants` value sema rejected in part was lowered without that part */
    if (k->grants_at.state == IR_REJECTED)
        return;
    const struct vec *uses = strmap_get(&m->uses_of, k->d.name);
    if (!uses) /* nothing uses it: nothing is missing */
        return;
    struct vec missing = {0};
    struct strmap in_missing = {0};
    for (size_t i = 0; i < uses->len; i++) {
        const struct key_use *u = uses->items[i];
        const struct vec *lacks = use_of_rejected_copy(m, u) ? NULL : actions_missing(m, u);
        for (size_t j = 0; lacks && j < lacks->len; j++)
            if (!strmap_put_new(m->a, &in_missing, lacks->items[j], lacks->items[j]))
                vec_push(m->a, &missing, lacks->items[j]);
    }
    if (!missing.len)
        return;
    const char *list = join_strings(m->a, &missing);
    struct diag *d;
    if (k->grants) {
        d = diag_emit(m->cc, OB7001, k->grants_at.loc,
                      "key '%s' does not grant %s, which the backup principals that use it need: without them "
                      "AWS Backup cannot use the key",
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
    for (size_t i = 0; i < uses->len; i++) {
        const struct key_use *u = uses->items[i];
        if (use_of_rejected_copy(m, u))
            continue;
        const struct vec *mine = actions_missing(m, u);
        if (mine->len && u->loc.file)
            diag_note(m->cc, d, u->loc, "%s", use_words(m->a, u, join_strings(m->a, mine)));
    }
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
    struct ir_principal owner = ir_key_owner(k);
    if (key_covers(m, k, &owner, &u->who) || use_of_rejected_copy(m, u) ||
        k->grant_to_at.state == IR_REJECTED)
        return;
    const void *who = u->who.kind == PRIN_ACCOUNT ? (const void *)u->who.account : NULL;
    if (!check_first_time(m->a, &m->reported, OB7004, k, who))
        return;
    const char *user = check_principal_words(m->a, &u->who), *holder = check_principal_words(m->a, &owner);
    struct diag *d;
    if (u->kind == KEY_USE_COPY_SOURCE)
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

/* ---- OB7002, OB7003: AWS managed keys and cross-account copies --------- */

static void check_copy_into_managed(struct kms *m, const struct ir_rule *r, const struct ir_copy *c)
{
    const struct ir_vault *t = c->target;
    if (!uses_aws_managed_key(t) || !check_first_time(m->a, &m->reported, OB7002, t, NULL))
        return;
    const char *holder = check_principal_words(m->a, &t->owner);
    struct diag *d = diag_emit(m->cc, OB7002, c->target_loc,
                               "%s copies into vault '%s' of %s, which is encrypted with an AWS managed key: the "
                               "destination of a cross-account copy needs a customer managed key",
                               check_rule_words(m->a, r), t->d.name, holder);
    if (t->key_at.loc.file)
        diag_note(m->cc, d, t->key_at.loc, "vault '%s' uses key '%s', an AWS managed key", t->d.name,
                  t->key ? t->key->d.name : "?");
    else
        diag_note(m->cc, d, t->d.name_loc, "vault '%s' names no key, so AWS encrypts it with aws/backup", t->d.name);
    diag_help(m->cc, d, "give vault '%s' a customer managed key of %s: key = KEY, with grants = backup_vault_key",
              t->d.name, holder);
}

static void check_copy_from_managed(struct kms *m, const struct ir_plan *p, const struct ir_rule *r,
                                    const struct ir_copy *c)
{
    const struct ir_vault *s = r->vault;
    /* the answer is the same for every copy from s in p */
    if (!uses_aws_managed_key(s) || !ptrset_add_key(m->a, &m->memo, MEMO_FROM_MANAGED, s, p))
        return;
    struct vec types = {0}, partial = {0}, full = {0};
    bool any = false;
    ir_plan_types(m->prog, p, &types, &any, m->a);
    for (size_t i = 0; i < types.len; i++) {
        struct ir_restype *t = types.items[i];
        if (!t->full_management)
            vec_push(m->a, &partial, t);
    }
    if (!partial.len || !check_first_time(m->a, &m->reported, OB7003, s, p))
        return;
    for (size_t i = 0; i < m->prog->restypes.len; i++) {
        struct ir_restype *t = m->prog->restypes.items[i];
        if (t->full_management && !t->is_any)
            vec_push(m->a, &full, t);
    }
    struct diag *d = diag_emit(m->cc, OB7003, c->target_loc,
                               "%s copies to another account from vault '%s', whose AWS managed key cannot be "
                               "shared: the copy fails for %s, which AWS Backup does not fully manage%s",
                               check_rule_words(m->a, r), s->d.name, check_some_types(m->a, &partial, any),
                               any ? " and its selection (by tags or type any) can include" : "");
    if (s->key_at.loc.file)
        diag_note(m->cc, d, s->key_at.loc, "vault '%s' uses key '%s', an AWS managed key", s->d.name,
                  s->key ? s->key->d.name : "?");
    else
        diag_note(m->cc, d, s->d.name_loc, "vault '%s' names no key, so AWS encrypts it with aws/backup", s->d.name);
    struct ir_principal dest = ir_vault_owner(c->target);
    diag_help(m->cc, d,
              "encrypt vault '%s' with a customer managed key shared with %s (grant_to = [%s])%s%s",
              s->d.name, check_principal_words(m->a, &dest), grant_name(&dest),
              full.len ? ", or select only types AWS Backup fully manages: " : "",
              full.len ? check_names(m->a, &full, SIZE_MAX) : "");
}

static void check_copy(struct kms *m, const struct ir_plan *p, const struct ir_rule *r, const struct ir_copy *c)
{
    if (!copy_checked_here(m, p, r, c) || !ir_copy_cross_account(r->vault, c->target))
        return;
    check_copy_into_managed(m, r, c);
    check_copy_from_managed(m, p, r, c);
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
    for (size_t i = 0; i < prog->keys.len; i++)
        check_key_grants(&m, prog->keys.items[i]);
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
