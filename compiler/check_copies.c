/*
 * check_copies.c - where vaults, keys and copies live, and where a copy
 * may go (OB6001-OB6009, OB6011, OB6012): a rule's vault exists in every
 * region and every account its plan runs in, a vault's key is in the
 * vault's region, and copy actions follow AWS's rules (partitions,
 * accounts, the Default vault, the destination's access policy, at most
 * five per rule, the copies each selected resource type can make, no copy
 * onto its own source vault).
 * Sources: backup-policy-spec.md 1.3.3, 3.2 and 6.3 [B12, B14, B15, B16,
 * B17, B29, S1].
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
    bool any;                       /* ir_plan_types() */
    struct vec types;               /* ir_plan_types() */
    const struct ir_region *opt_in; /* its first opt-in region */
};

/* ---- small helpers --------------------------------------------------- */

static bool first_report(struct copies *c, enum diag_code code, const void *a, const void *b)
{
    return check_first_time(c->a, &c->reported, code, a, b);
}

static const struct check_plan *plan_facts(struct copies *c, const struct ir_plan *p)
{
    return check_plan_facts(c->a, &c->plans, p);
}

static const char *vault_aws_name(const struct ir_vault *v)
{
    return v->aws_name.s ? v->aws_name.s : v->d.name;
}

/* Region and account lists in messages: the first ten, then "and N
 * more", so that a diagnostic per rule stays short whatever the lists. */
static const char *all_names(struct arena *a, const struct vec *decls)
{
    return check_names(a, decls, 10);
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

/* The plan's regions a copy to `to` leaves (`leaves` of them), as names:
 * the first ten are looked at, so a report per rule stays short and
 * cheap however many regions the plan has. */
static const char *regions_left_words(struct arena *a, const struct ir_plan *p, const struct ir_region *to,
                                      size_t leaves)
{
    struct vec first = {0};
    for (size_t i = 0; i < p->regions.len && first.len < 10; i++)
        if (p->regions.items[i] != to)
            vec_push(a, &first, p->regions.items[i]);
    return check_names_of(a, &first, 10, leaves);
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
    vec_missing(c->a, &p->regions, &v->regions, &missing);
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
    vec_missing(c->a, ir_vault_regions_of(&c->vault_regions, v), &k->regions, &missing);
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

/* ---- OB6006, OB6012: a copy onto itself ------------------------------ */

/* A copy lands in its own source vault only where account, Region and
 * vault name are all the same [B14, B15, B29]. Where that holds wherever
 * the rule runs, the copy never does anything: OB6006. Where it holds in
 * some of the plan's Regions (AWS's policy Example 2 copies to us-east-1
 * from a plan of us-east-1 and eu-central-1 [S1]) or in the one account
 * that holds the target and also runs the plan (the seed module's
 * external vault), AWS accepts the policy and the copy works elsewhere:
 * OB6012, a warning. */

/* When the rule's vault is every member's and the target, of the same
 * AWS name, is one account's: the attachment that may make that account
 * run the plan (the account itself, or a root or OU it may be under);
 * NULL when none can. */
static const struct ir_receiver *holder_runs_plan(struct copies *c, const struct ir_plan *p,
                                                  const struct ir_rule *r, const struct ir_vault *t)
{
    struct ir_principal from = ir_vault_owner(r->vault), to = ir_vault_owner(t);
    if (from.kind != PRIN_MEMBERS || to.kind != PRIN_ACCOUNT || strcmp(vault_aws_name(r->vault), vault_aws_name(t)))
        return NULL;
    struct vec receivers = {0};
    const struct ir_receiver *maybe = NULL;
    ir_plan_receivers(p, &receivers, c->a);
    for (size_t i = 0; i < receivers.len; i++) {
        const struct ir_receiver *x = receivers.items[i];
        if (x->who.kind == PRIN_ACCOUNT && ir_same_principal(&x->who, &to))
            return x;
        if (!maybe && x->target && x->target->kind != TARGET_ACCOUNT)
            maybe = x;
    }
    return maybe;
}

static void report_self_copy_everywhere(struct copies *c, const struct ir_rule *r, const struct ir_copy *cp,
                                        const struct ir_region *to)
{
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

static void check_self_copy(struct copies *c, const struct ir_plan *p, const struct ir_rule *r,
                            const struct ir_copy *cp)
{
    const struct ir_region *to = copy_region(p, cp);
    if (!r->vault || !to || !ptrset_has(&plan_facts(c, p)->regions, to))
        return;
    const struct ir_vault *t = cp->target;
    if (ir_same_aws_vault(r->vault, t)) {
        if (p->regions.len == 1) {
            report_self_copy_everywhere(c, r, cp, to);
            return;
        }
        const struct check_plan *pf = plan_facts(c, p);
        const char *others = regions_left_words(c->a, p, to, pf->regions.count - ptrset_has(&pf->regions, to));
        struct diag *d = diag_emit(c->cc, OB6012, cp->target_loc,
                                   "%s copies into vault '%s' in %s; where the plan runs in %s, that is the vault "
                                   "it backs up into (same account, Region and vault name), so there the copy "
                                   "lands in its own source vault",
                                   check_rule_words(c->a, r), t->d.name, to->d.name, to->d.name);
        note_if(c->cc, d, p->regions_at.loc,
                arena_printf(c->a, "plan '%s' runs in %s; from %s the copy goes to another Region", p->d.name,
                             all_names(c->a, &p->regions), others));
        diag_help(c->cc, d,
                  "if the copy is meant for %s only, give %s its own plan without the copy; or copy to a vault of "
                  "another name",
                  others, to->d.name);
        return;
    }
    const struct ir_receiver *x = holder_runs_plan(c, p, r, t);
    if (!x || !first_report(c, OB6012, t, p))
        return;
    const char *acct = t->owner.account->d.name;
    struct diag *d = diag_emit(c->cc, OB6012, cp->target_loc,
                               "%s copies into vault '%s' of account '%s', which has the AWS name '%s' of the "
                               "rule's own vault: in account '%s', which %s the plan, the copy lands in its own "
                               "source vault (same account, Region and vault name)",
                               check_rule_words(c->a, r), t->d.name, acct, vault_aws_name(t), acct,
                               x->who.kind == PRIN_ACCOUNT ? "runs" : "may run");
    if (x->target)
        note_if(c->cc, d, x->target->loc, receiver_words(c->a, x, p));
    diag_help(c->cc, d,
              "give vault '%s' another name than vault '%s', or attach the policy so that account '%s' does not "
              "run the plan",
              t->d.name, r->vault->d.name, acct);
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
    if (t->accept_at.state == IR_REJECTED /* lowered without the bad entries */
        || t->external)                   /* its access policy is configured elsewhere */
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

/* ---- OB6003, OB6011: types that cannot copy this way ------------------ */

/* The ways one copy action goes: to another account, to other regions,
 * and the opt-in region it involves (its source or its destination). One
 * action may do both at once for every type that can do each (reference
 * §6.3, "Both in one action", settled 2026-12 [B17, S1]). */
struct copy_way {
    bool account;
    size_t leaves;                    /* how many of the plan's regions it leaves */
    const struct ir_region *opt_in;   /* NULL: none involved */
};

/* The plan's types and its first opt-in region, worked out once per plan. */
static const struct plan_types *plan_types(struct copies *c, const struct ir_plan *p)
{
    bool fresh;
    struct plan_types *f = ptrset_memo(c->a, &c->memo, MEMO_PLAN, p, NULL, sizeof *f, &fresh);
    if (fresh) {
        ir_plan_types(c->prog, p, &f->types, &f->any, c->a);
        for (size_t i = 0; i < p->regions.len && !f->opt_in; i++)
            if (((const struct ir_region *)p->regions.items[i])->opt_in)
                f->opt_in = p->regions.items[i];
    }
    return f;
}

/* Whether type `t` cannot copy `w`'s way: `region_kind` asks about the
 * opt-in Region limits [B17] (facts AWS states), else about the type's
 * general cells (UNCONFIRMED where false: the stored table lost them). */
static bool cannot_copy(const struct ir_restype *t, const struct copy_way *w, bool region_kind)
{
    if (t->is_any)
        return false;
    if (region_kind)
        return w->opt_in && ((w->account && !t->opt_in_cross_account_copy) ||
                             (w->leaves && !t->opt_in_cross_region_copy));
    return (w->account && !t->cross_account_copy) || (w->leaves && !t->cross_region_copy);
}

static const char *way_words(struct arena *a, const struct copy_way *w, const struct ir_plan *p,
                             const struct ir_region *to)
{
    const char *region = arena_printf(a, "from %s to %s", regions_left_words(a, p, to, w->leaves), to->d.name);
    if (w->account && w->leaves)
        return arena_printf(a, "to another account and %s", region);
    return w->account ? arena_printf(a, "to another account in %s", to->d.name) : region;
}

static void report_copy_way(struct copies *c, enum diag_code code, const struct ir_plan *p, const struct ir_rule *r,
                            const struct ir_copy *cp, const struct copy_way *w, const struct vec *cannot,
                            bool any, bool region_kind)
{
    const struct ir_region *to = copy_region(p, cp);
    const char *limit = region_kind ? arena_printf(c->a, " where opt-in Region %s is involved", w->opt_in->d.name)
                                    : "";
    struct diag *d = diag_emit(c->cc, code, cp->target_loc, "%s copies %s, which AWS Backup %s for %s%s%s",
                               check_rule_words(c->a, r), way_words(c->a, w, p, to),
                               region_kind ? "cannot do" : "may not support (the standard library says no, "
                                                           "the feature table is UNCONFIRMED)",
                               check_some_types(c->a, cannot, any), limit,
                               any ? ", and its selection (by tags or type any) can include them" : "");
    const struct ir_vault *t = cp->target;
    note_if(c->cc, d, first_set(t->regions_at.loc, t->d.name_loc),
            arena_printf(c->a, "vault '%s' is held by %s in %s", t->d.name, check_principal_words(c->a, &t->owner),
                         to->d.name));
    note_if(c->cc, d, p->regions_at.loc,
            arena_printf(c->a, "plan '%s' runs in %s", p->d.name, all_names(c->a, &p->regions)));
    if (region_kind)
        diag_help(c->cc, d,
                  "back up %s with a plan that does not copy this way (or copies between Regions that are not "
                  "opt-in), or select only types that can",
                  check_some_types(c->a, cannot, any));
    else
        diag_help(c->cc, d,
                  "check AWS's feature-availability table for %s; if the copy is not supported, back up those "
                  "resources with a plan without this copy",
                  check_some_types(c->a, cannot, any));
}

static void check_copy_way(struct copies *c, const struct ir_plan *p, const struct ir_rule *r,
                           const struct ir_copy *cp)
{
    const struct ir_region *to = copy_region(p, cp);
    if (!to)
        return;
    const struct check_plan *pf = plan_facts(c, p);
    struct copy_way w = {.account = r->vault && ir_copy_cross_account(r->vault, cp->target),
                         .leaves = pf->regions.count - ptrset_has(&pf->regions, to)};
    if (!w.account && !w.leaves)
        return;
    const struct plan_types *pt = plan_types(c, p);
    /* an opt-in target, else an opt-in region the copy leaves (the
     * target is not opt-in, so the plan's first one is such a region) */
    w.opt_in = to->opt_in ? to : pt->opt_in;
    struct vec region_kind = {0}, general = {0};
    bool any = pt->any;
    const struct vec types = pt->types;
    for (size_t i = 0; i < types.len; i++) {
        const struct ir_restype *t = types.items[i];
        if (cannot_copy(t, &w, true))
            vec_push(c->a, &region_kind, types.items[i]);
        else if (!any && cannot_copy(t, &w, false))
            vec_push(c->a, &general, types.items[i]);
    }
    /* Named types and a stated limit: an error. A selection by tags or
     * type any may not hold such resources, and the general cells are
     * UNCONFIRMED: warnings. */
    if (region_kind.len)
        report_copy_way(c, any ? OB6011 : OB6003, p, r, cp, &w, &region_kind, any, true);
    if (general.len)
        report_copy_way(c, OB6011, p, r, cp, &w, &general, false, false);
}

/* ---- per copy, rule, plan -------------------------------------------- */

static void check_copy(struct copies *c, const struct ir_plan *p, const struct ir_rule *r, const struct ir_copy *cp)
{
    if (!cp->target || cp->target->regions.len != 1) /* sema reported the target */
        return;
    if (check_partitions(c, p, r, cp))
        return;
    check_self_copy(c, p, r, cp);
    check_copy_way(c, p, r, cp);
    if (!r->vault || !ir_copy_cross_account(r->vault, cp->target))
        return;
    if (check_default_target(c, r, cp))
        return;
    check_accepts(c, p, r, cp);
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
        for (size_t j = 0; j < p->rules.len && !p->partial; j++) /* partial: its regions, vaults and
                                                                    targets merge with inherited ones */
            check_rule(&c, p, p->rules.items[j]);
    }
}
