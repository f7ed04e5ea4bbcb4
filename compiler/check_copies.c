/*
 * check_copies.c - where vaults, keys and copies live, and where a copy
 * may go (OB6001-OB6009): a rule's vault exists in every region and every
 * account its plan runs in, a vault's key is in the vault's region, and
 * copy actions follow AWS's rules (partitions, accounts, the Default
 * vault, the destination's access policy, at most five per rule).
 * Sources: backup-policy-spec.md 1.3.3, 3.2 and 6.3 [B12, B14, B15, B16,
 * B17, X4].
 *
 * Works on the IR only and reports each root cause
 * once: a copy whose target sema rejected (not exactly one region) or
 * that cannot leave its partition is not checked any further. What a key
 * grants, and to whom, is check_kms.c's.
 */
#include "checks.h"

#include <stdint.h>
#include <string.h>


/* One attachment of a policy that contains a plan: the plan runs in the
 * accounts it reaches. */
struct copies {
    struct obc *cc;
    struct arena *a;
    const struct ir_program *prog;
    struct ptrset reported; /* for check_first_time */
    struct ptrset receivers; /* for check_other_receiver */
    struct ptrset vault_regions; /* ir_vault_regions(), filled on first use */
    bool have_vault_regions;
    struct ptrset memo; /* MEMO_*: what is worked out once per plan, policy or vault */
    struct ptrset plans; /* check_plan_facts() */
    struct vec can; /* the program's types that can change account and region at once */
    bool have_can;
};

/* Keys of `memo`. */
enum {
    MEMO_PLAN,        /* plan -> struct plan_types */
    MEMO_VAULT,       /* vault -> struct ir_principal_set of its accept_copies_from */
    MEMO_POLICY,      /* policy -> struct vec of its distinct receivers */
    MEMO_PLAN_TARGET, /* (plan, vault): the plan's receivers checked against the vault (OB6005) */
    MEMO_POL_TARGET,  /* (policy, vault): likewise for one policy */
    MEMO_VAULT_PLAN,  /* (vault, plan): the vault's regions checked against the plan's (OB6001) */
};

/* The types of a plan, worked out on first use. */
struct plan_types {
    bool any;                 /* ir_plan_types() */
    struct vec cannot;        /* its types that cannot change account and region at once */
};

/* ---- small helpers --------------------------------------------------- */

static bool first_report(struct copies *c, enum diag_code code, const void *a, const void *b)
{
    return check_first_time(c->a, &c->reported, code, a, b);
}

/* The items of `of` that `in` lacks, in the order of `of`, once each. */
static void items_missing(struct arena *a, const struct vec *of, const struct vec *in, struct vec *out)
{
    struct ptrset skip = {0};
    ptrset_add_all(a, &skip, in);
    for (size_t i = 0; i < of->len; i++)
        if (ptrset_add(a, &skip, of->items[i]))
            vec_push(a, out, of->items[i]);
}

static const struct check_plan *plan_facts(struct copies *c, const struct ir_plan *p)
{
    return check_plan_facts(c->a, &c->plans, p);
}

static const char *vault_aws_name(const struct ir_vault *v)
{
    return v->aws_name.s ? v->aws_name.s : v->d.name;
}

static const char *all_names(struct arena *a, const struct vec *decls)
{
    return check_names(a, decls, SIZE_MAX);
}

static struct loc first_set(struct loc a, struct loc b)
{
    return a.file ? a : b;
}

static void note_if(struct obc *cc, struct diag *d, struct loc loc, const char *msg)
{
    if (loc.file)
        diag_note(cc, d, loc, "%s", msg);
}

static const char *receiver_words(struct arena *a, const struct ir_receiver *r, const struct ir_plan *p)
{
    const struct ir_decl *d = r->target->decl;
    if (r->target->kind == TARGET_ACCOUNT)
        return arena_printf(a, "policy '%s' is attached to account '%s', which therefore runs plan '%s'",
                            r->policy->d.name, d->name, p->d.name);
    return arena_printf(a, "policy '%s' is attached to %s '%s': every account under it runs plan '%s'",
                        r->policy->d.name, decl_kind_name(d->kind), d->name, p->d.name);
}

/* ---- OB6009: a vault of one account, a plan of many ------------------ */

static void check_vault_holder(struct copies *c, const struct ir_plan *p, const struct ir_rule *r)
{
    const struct ir_vault *v = r->vault;
    if (!v || v->owner.kind != PRIN_ACCOUNT || !v->owner.account)
        return;
    const struct ir_receiver *other = check_other_receiver(c->a, &c->receivers, p, v->owner.account->id,
                                                           v->owner.account);
    if (!other || !first_report(c, OB6009, v, p))
        return;
    const char *holder = v->owner.account->d.name;
    struct diag *d = diag_emit(c->cc, OB6009, r->vault_at.loc,
                               "%s backs up into vault '%s', which only account '%s' holds, but the plan also runs "
                               "in other accounts, which have no such vault",
                               check_rule_words(c->a, r), v->d.name, holder);
    note_if(c->cc, d, v->owner.loc, arena_printf(c->a, "vault '%s' is held by account '%s' alone", v->d.name, holder));
    note_if(c->cc, d, other->target->loc, receiver_words(c->a, other, p));
    diag_help(c->cc, d,
              "a rule backs up into a vault of the account that runs the plan: make vault '%s' owner = members, "
              "or back up into a members vault and copy into account '%s' with 'copy to %s'",
              v->d.name, holder, v->d.name);
}

/* ---- OB6001: the rule's vault in every region of the plan ----------- */

static void check_vault_regions(struct copies *c, const struct ir_plan *p, const struct ir_rule *r)
{
    const struct ir_vault *v = r->vault;
    if (!v || !v->regions.len || v->regions_at.state == IR_REJECTED)
        return;
    if (!ptrset_add_key(c->a, &c->memo, MEMO_VAULT_PLAN, v, p)) /* the same answer for every rule of p */
        return;
    struct vec missing = {0};
    items_missing(c->a, &p->regions, &v->regions, &missing);
    if (!missing.len || !first_report(c, OB6001, v, p))
        return;
    struct diag *d = diag_emit(c->cc, OB6001, r->vault_at.loc,
                               "vault '%s' of %s does not exist in %s, where the plan runs",
                               v->d.name, check_rule_words(c->a, r), all_names(c->a, &missing));
    note_if(c->cc, d, v->regions_at.loc,
            arena_printf(c->a, "vault '%s' is only in %s", v->d.name, all_names(c->a, &v->regions)));
    note_if(c->cc, d, p->regions_at.loc,
            arena_printf(c->a, "plan '%s' runs in %s%s", p->d.name,
                         p->regions_from_org ? "the organization's regions, " : "", all_names(c->a, &p->regions)));
    diag_help(c->cc, d,
              "the plan backs up into the vault of each of its regions: add %s to the region of vault '%s', "
              "or leave out its region so it exists wherever its plans run",
              all_names(c->a, &missing), v->d.name);
}

/* ---- OB6002: a vault's key in the vault's region --------------------- */

static void check_key_region(struct copies *c, const struct ir_vault *v)
{
    const struct ir_key *k = v->key;
    if (!k || k->aws_managed || k->multi_region || !k->regions.len || k->regions_at.state == IR_REJECTED ||
        v->regions_at.state == IR_REJECTED)
        return;
    if (!c->have_vault_regions) {
        ir_vault_regions(c->prog, &c->vault_regions, c->a);
        c->have_vault_regions = true;
    }
    struct vec missing = {0};
    items_missing(c->a, ir_vault_regions_of(&c->vault_regions, v), &k->regions, &missing);
    if (!missing.len)
        return;
    struct diag *d = diag_emit(c->cc, OB6002, first_set(v->key_at.loc, v->d.name_loc),
                               "key '%s' of vault '%s' is not in %s, where the vault is: a vault can only use "
                               "a KMS key of its own region",
                               k->d.name, v->d.name, all_names(c->a, &missing));
    note_if(c->cc, d, k->regions_at.loc,
            arena_printf(c->a, "key '%s' is in %s", k->d.name, all_names(c->a, &k->regions)));
    diag_help(c->cc, d,
              "encrypt vault '%s' with a key of %s, or use a multi-region key (key/mrk-...) with a replica there",
              v->d.name, all_names(c->a, &missing));
}

/* ---- OB6008: at most five copy actions per rule ---------------------- */

static void check_copy_count(struct copies *c, const struct ir_rule *r)
{
    if (r->copies.len <= AWS_COPIES_PER_RULE_MAX)
        return;
    const struct ir_copy *extra = r->copies.items[AWS_COPIES_PER_RULE_MAX];
    const struct ir_copy *last = r->copies.items[r->copies.len - 1];
    struct diag *d = diag_emit(c->cc, OB6008, loc_span(extra->loc, last->loc),
                               "%s has %zu copy actions; AWS allows at most %d per rule",
                               check_rule_words(c->a, r), r->copies.len, AWS_COPIES_PER_RULE_MAX);
    diag_help(c->cc, d,
              "keep at most %d 'copy to' blocks in rule '%s'; for more destinations, copy onward from one of "
              "them with another plan",
              AWS_COPIES_PER_RULE_MAX, r->name);
}

/* ---- OB6007: partitions --------------------------------------------- */

/* Reports a copy that cannot leave its partition; true when it cannot,
 * whether reported here or, for a plan in several partitions, as OB6010. */
static bool check_partitions(struct copies *c, const struct ir_plan *p, const struct ir_rule *r,
                             const struct ir_copy *cp)
{
    const struct check_plan *f = plan_facts(c, p);
    if (!f->one_partition) /* a plan whose own regions span partitions is OB6010 (check_roles.c) */
        return true;
    const struct ir_vault *t = cp->target;
    /* With the plan in partition f->partition alone, the two facts below
     * are found at its first region of a partition; they are asked only
     * when they exist, so a copy costs no walk over the plan's regions. */
    const struct ir_region *dest = copy_region(p, cp);
    bool foreign = f->partition && dest && dest->partition && dest->partition != f->partition;
    const struct ir_region *from = foreign ? ir_copy_foreign_region(p, cp) : NULL;
    if (from) {
        const struct ir_region *to = copy_region(p, cp);
        struct diag *d = diag_emit(c->cc, OB6007, cp->target_loc,
                                   "copy of %s goes from %s (partition %s) to vault '%s' in %s (partition %s): "
                                   "AWS Backup never copies across partitions",
                                   check_rule_words(c->a, r), from->d.name, from->partition->d.name, t->d.name,
                                   to->d.name, to->partition->d.name);
        note_if(c->cc, d, t->regions_at.loc, arena_printf(c->a, "vault '%s' is in %s", t->d.name, to->d.name));
        note_if(c->cc, d, p->regions_at.loc, arena_printf(c->a, "plan '%s' runs in %s", p->d.name, from->d.name));
        diag_help(c->cc, d,
                  "copy to a vault in a region of partition %s (China and GovCloud regions copy only with each "
                  "other), or run the plan in partition %s",
                  from->partition->d.name, to->partition->d.name);
        return true;
    }
    const struct ir_partition *barrier = f->no_cross_account ? ir_copy_account_barrier(p, r, cp) : NULL;
    if (barrier) {
        struct diag *d = diag_emit(c->cc, OB6007, cp->target_loc,
                                   "%s copies to vault '%s' of another account, but partition %s has no "
                                   "cross-account copy",
                                   check_rule_words(c->a, r), t->d.name, barrier->d.name);
        note_if(c->cc, d, t->owner.loc,
                arena_printf(c->a, "vault '%s' is held by %s", t->d.name,
                             check_principal_words(c->a, &t->owner)));
        diag_help(c->cc, d, "copy to a vault of the account that runs the plan (owner = members), or remove the copy");
        return true;
    }
    return false;
}

/* ---- OB6006: a copy onto itself -------------------------------------- */

static bool same_vault(const struct ir_vault *a, const struct ir_vault *b)
{
    if (a == b)
        return true;
    struct ir_principal oa = ir_vault_owner(a), ob = ir_vault_owner(b);
    return strcmp(vault_aws_name(a), vault_aws_name(b)) == 0 && ir_same_principal(&oa, &ob);
}

static void check_self_copy(struct copies *c, const struct ir_plan *p, const struct ir_rule *r,
                            const struct ir_copy *cp)
{
    const struct ir_region *to = copy_region(p, cp);
    if (!r->vault || !to || !same_vault(r->vault, cp->target) ||
        !ptrset_has(&plan_facts(c, p)->regions, to))
        return;
    const char *alias =
        r->vault == cp->target
            ? ""
            : arena_printf(c->a, " (both are AWS vault '%s' of the same account)", vault_aws_name(cp->target));
    struct diag *d = diag_emit(c->cc, OB6006, cp->target_loc,
                               "%s copies into vault '%s' in %s, the vault it backs up into there%s: a copy needs "
                               "another destination",
                               check_rule_words(c->a, r), cp->target->d.name, to->d.name, alias);
    note_if(c->cc, d, r->vault_at.loc, arena_printf(c->a, "the rule backs up into vault '%s' here", r->vault->d.name));
    diag_help(c->cc, d,
              "copy to another vault, or to a vault in another region or account; remove the copy if none is meant");
}

/* ---- OB6004: the Default vault --------------------------------------- */

static bool check_default_target(struct copies *c, const struct ir_rule *r, const struct ir_copy *cp)
{
    const struct ir_vault *t = cp->target;
    if (!ir_vault_is_default(t))
        return false;
    if (first_report(c, OB6004, t, NULL)) {
        struct diag *d = diag_emit(c->cc, OB6004, cp->target_loc,
                                   "%s copies into vault '%s' of another account, which is that account's "
                                   "Default vault: its key cannot be shared, so it takes no cross-account copies",
                                   check_rule_words(c->a, r), t->d.name);
        note_if(c->cc, d, t->aws_name.loc, arena_printf(c->a, "vault '%s' has the AWS name 'Default'", t->d.name));
        diag_help(c->cc, d,
                  "copy into another vault of %s, encrypted with a customer managed key and with accept_copies_from",
                  check_principal_words(c->a, &t->owner));
    }
    return true;
}

/* ---- OB6005: the destination's access policy ------------------------- */

/* Whom a vault's access policy lets copy into it, worked out once per
 * vault. */
static const struct ir_principal_set *accept_set(struct copies *c, const struct ir_vault *t)
{
    bool fresh;
    struct ir_principal_set *s = ptrset_memo(c->a, &c->memo, MEMO_VAULT, t, NULL, sizeof *s, &fresh);
    if (!fresh)
        return s;
    for (size_t i = 0; i < t->accept_from.len; i++)
        ir_principal_set_add(c->a, s, t->accept_from.items[i]);
    return s;
}

static bool accepts_everyone(const struct ir_principal_set *s)
{
    return s->organization || s->members;
}

/* `organization` and `members` (every account that receives a policy,
 * rendered as the organization's accounts in the access policy) cover
 * every source; a listed account covers itself. */
static bool accepts(const struct ir_principal_set *s, const struct ir_principal *src)
{
    return accepts_everyone(s) || ir_principal_set_has(s, src);
}

/* The receivers of a policy (ir_receiver_of(), in attachment order),
 * each account and every non-account once: OB6005 reports an account, or
 * all roots and OUs together, once per vault. */
static const struct vec *policy_receivers(struct copies *c, const struct ir_policy *pol)
{
    bool fresh;
    struct vec *out = ptrset_memo(c->a, &c->memo, MEMO_POLICY, pol, NULL, sizeof *out, &fresh);
    if (!fresh)
        return out;
    struct ptrset seen = {0};
    for (size_t j = 0; j < pol->attach.len; j++) {
        struct ir_receiver *x = ir_receiver_of(c->a, pol, pol->attach.items[j]);
        if (ptrset_add(c->a, &seen, x->who.kind == PRIN_ACCOUNT ? (const void *)x->who.account : NULL))
            vec_push(c->a, out, x);
    }
    return out;
}

/* Adds to `refused` the sources of a copy into `t` that its access policy
 * does not accept and that were not reported for `t` before. The sources
 * are the holder of the rule's vault when one account holds it (OB6009
 * covers the others), else every account the plan's policies reach.
 * Linear over a program: a plan's receivers are walked once per vault
 * they copy into, and a policy's once per vault, however many rules and
 * plans copy there. */
static void refuse(struct copies *c, const struct ir_principal_set *acc, const struct ir_vault *t,
                   const struct vec *sources, struct vec *refused)
{
    for (size_t j = 0; j < sources->len; j++) {
        const struct ir_receiver *x = sources->items[j];
        const void *id = x->who.kind == PRIN_ACCOUNT ? (const void *)x->who.account : NULL;
        if (!accepts(acc, &x->who) && first_report(c, OB6005, t, id))
            vec_push(c->a, refused, (void *)x);
    }
}

static void refused_sources(struct copies *c, const struct ir_plan *p, const struct ir_rule *r,
                            const struct ir_vault *t, struct vec *refused)
{
    const struct ir_principal_set *acc = accept_set(c, t);
    if (accepts_everyone(acc))
        return;
    struct ir_principal holder = ir_vault_owner(r->vault);
    if (holder.kind == PRIN_ACCOUNT) {
        struct ir_receiver *x = arena_alloc(c->a, sizeof *x);
        x->who = holder;
        struct vec one = {0};
        vec_push(c->a, &one, x);
        refuse(c, acc, t, &one, refused);
        return;
    }
    if (!ptrset_add_key(c->a, &c->memo, MEMO_PLAN_TARGET, p, t)) /* the plan's receivers were checked against t */
        return;
    for (size_t i = 0; i < p->policies.len; i++) {
        const struct ir_policy *pol = p->policies.items[i];
        if (ptrset_add_key(c->a, &c->memo, MEMO_POL_TARGET, pol, t))
            refuse(c, acc, t, policy_receivers(c, pol), refused);
    }
}

static const char *accept_words(struct arena *a, const struct ir_vault *t)
{
    if (!t->accept_from.len)
        return arena_printf(a, "vault '%s' has no accept_copies_from, so its access policy lets no other account "
                               "copy into it", t->d.name);
    struct strbuf b = {0};
    for (size_t i = 0; i < t->accept_from.len; i++)
        sb_printf(a, &b, "%s%s", i ? ", " : "", check_principal_words(a, t->accept_from.items[i]));
    return arena_printf(a, "vault '%s' accepts copies from %s only", t->d.name, sb_str(a, &b));
}

static void check_accepts(struct copies *c, const struct ir_plan *p, const struct ir_rule *r,
                          const struct ir_copy *cp)
{
    const struct ir_vault *t = cp->target;
    if (t->accept_at.state == IR_REJECTED) /* lowered without the bad entries */
        return;
    struct vec refused = {0};
    refused_sources(c, p, r, t, &refused);
    if (!refused.len)
        return;
    struct strbuf who = {0};
    for (size_t i = 0; i < refused.len; i++)
        sb_printf(c->a, &who, "%s%s", i ? " and " : "",
                  check_principal_words(c->a, &((const struct ir_receiver *)refused.items[i])->who));
    const struct ir_receiver *first = refused.items[0];
    struct diag *d = diag_emit(c->cc, OB6005, cp->target_loc,
                               "vault '%s' does not accept copies from %s, where %s runs: its access policy must "
                               "allow backup:CopyIntoBackupVault",
                               t->d.name, sb_str(c->a, &who), check_rule_words(c->a, r));
    note_if(c->cc, d, first_set(t->accept_at.loc, t->d.name_loc), accept_words(c->a, t));
    if (first->target)
        note_if(c->cc, d, first->target->loc, receiver_words(c->a, first, p));
    if (refused.len == 1 && first->who.kind == PRIN_ACCOUNT)
        diag_help(c->cc, d, "add account '%s' to accept_copies_from of vault '%s', or accept organization",
                  first->who.account->d.name, t->d.name);
    else
        diag_help(c->cc, d, "add accept_copies_from = organization (or members) to vault '%s'", t->d.name);
}

/* ---- OB6003: account and region in one copy action -------------------- */

/* The plan's regions a copy to `to` leaves. */
static void regions_left(struct arena *a, const struct ir_plan *p, const struct ir_region *to, struct vec *out)
{
    for (size_t i = 0; i < p->regions.len; i++)
        if (p->regions.items[i] != to)
            vec_push(a, out, p->regions.items[i]);
}

/* The resource types of `from` that can (or cannot) change account and
 * region in one copy action. */
static void types_by_both_in_one(struct arena *a, const struct vec *from, bool can, struct vec *out)
{
    for (size_t i = 0; i < from->len; i++) {
        const struct ir_restype *t = from->items[i];
        if (!t->is_any && t->both_in_one_copy == can)
            vec_push(a, out, from->items[i]);
    }
}

/* The plan's types that cannot change account and region in one copy
 * action, and whether it can back up any type. */
static const struct plan_types *plan_types(struct copies *c, const struct ir_plan *p)
{
    bool fresh;
    struct plan_types *f = ptrset_memo(c->a, &c->memo, MEMO_PLAN, p, NULL, sizeof *f, &fresh);
    struct vec types = {0};
    if (fresh) {
        ir_plan_types(c->prog, p, &types, &f->any, c->a);
        types_by_both_in_one(c->a, &types, false, &f->cannot);
    }
    return f;
}

static void check_both_at_once(struct copies *c, const struct ir_plan *p, const struct ir_rule *r,
                               const struct ir_copy *cp)
{
    const struct ir_region *to = copy_region(p, cp);
    const struct check_plan *pf = plan_facts(c, p);
    size_t others = pf->regions.count - (to && ptrset_has(&pf->regions, to));
    if (!to || !others) /* the copy leaves none of the plan's regions */
        return;
    const struct plan_types *f = plan_types(c, p);
    if (!f->cannot.len)
        return;
    if (!c->have_can) {
        types_by_both_in_one(c->a, &c->prog->restypes, true, &c->can);
        c->have_can = true;
    }
    struct vec from = {0};
    regions_left(c->a, p, to, &from);
    const struct vec cannot = f->cannot, can = c->can;
    bool any = f->any;
    const struct ir_vault *t = cp->target;
    const char *holder = check_principal_words(c->a, &t->owner);
    struct diag *d = diag_emit(c->cc, OB6003, cp->target_loc,
                               "%s copies from %s to another account and to %s in one copy action, which %s cannot "
                               "do%s",
                               check_rule_words(c->a, r), all_names(c->a, &from), to->d.name,
                               check_some_types(c->a, &cannot, any),
                               any ? ", and its selection (by tags or type any) can include them" : "");
    note_if(c->cc, d, first_set(t->regions_at.loc, t->d.name_loc),
            arena_printf(c->a, "vault '%s' is held by %s in %s", t->d.name, holder, to->d.name));
    note_if(c->cc, d, p->regions_at.loc,
            arena_printf(c->a, "plan '%s' runs in %s", p->d.name, all_names(c->a, &p->regions)));
    const char *chain =
        p->regions.len == 1
            ? arena_printf(c->a, "copy to a vault of %s in %s and let a plan of that account copy on to %s",
                           holder, all_names(c->a, &p->regions), to->d.name)
            : arena_printf(c->a, "give each region its own plan that copies to a vault of %s in that region, "
                                 "and let a plan of that account copy on to %s", holder, to->d.name);
    if (can.len)
        diag_help(c->cc, d, "%s; or select only types that can do both at once: %s", chain, all_names(c->a, &can));
    else
        diag_help(c->cc, d, "%s", chain);
}

/* ---- per copy, rule, plan -------------------------------------------- */

static void check_copy(struct copies *c, const struct ir_plan *p, const struct ir_rule *r, const struct ir_copy *cp)
{
    if (!cp->target || cp->target->regions.len != 1) /* sema reported the target */
        return;
    if (check_partitions(c, p, r, cp))
        return;
    check_self_copy(c, p, r, cp);
    if (!r->vault || !ir_copy_cross_account(r->vault, cp->target))
        return;
    if (check_default_target(c, r, cp))
        return;
    check_accepts(c, p, r, cp);
    check_both_at_once(c, p, r, cp);
}

static void check_rule(struct copies *c, const struct ir_plan *p, const struct ir_rule *r)
{
    check_vault_holder(c, p, r);
    check_vault_regions(c, p, r);
    check_copy_count(c, r);
    for (size_t i = 0; i < r->copies.len; i++)
        check_copy(c, p, r, r->copies.items[i]);
}

void check_copies(struct obc *cc, struct ir_program *prog)
{
    struct copies c = {.cc = cc, .a = &cc->arena, .prog = prog};
    for (size_t i = 0; i < prog->vaults.len; i++)
        check_key_region(&c, prog->vaults.items[i]);
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = prog->plans.items[i];
        for (size_t j = 0; j < p->rules.len; j++)
            check_rule(&c, p, p->rules.items[j]);
    }
}
