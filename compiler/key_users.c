/*
 * key_users.c - who uses each customer-managed KMS key, and what for.
 *
 * Owns: the list of key uses implied by the policies (spec sections
 * 6.1-6.3 and 8): every account whose service-linked role writes into a
 * vault encrypted with a key, and every destination account of a
 * cross-account copy that must read the source vault's key. The role and
 * what it needs come from the standard library (prog->service_linked_role,
 * need_vault_writer, need_copy_source); without it a use names the role in
 * words and needs nothing known. The manifest turns the uses into
 * key-policy statements; the KMS checks compare them with what each key
 * grants.
 *
 * A pure computation on the IR: reports nothing, changes nothing.
 * Output order is program order (policies, plans, rules, copies), with
 * repeated (kind, key, who) uses dropped after the first (found in a
 * string map, so the list is built in linear time).
 */
#include "ir.h"

#include <string.h>

/* The role that acts for an account: the std's service-linked role
 * (AWSServiceRoleForBackup, stdlib/iam.ob), or words for it. */
static const char *acting_role(const struct ir_program *prog)
{
    const struct ir_role *r = prog->service_linked_role;
    if (!r)
        return "the AWS Backup service-linked role";
    return r->role_name ? r->role_name : r->d.name;
}

static bool key_is_customer_managed(const struct ir_key *k)
{
    return k && !k->aws_managed;
}

/* The uses found so far. */
struct uses {
    struct obc *cc;
    const struct ir_program *prog;
    struct vec *out;    /* struct key_use* */
    struct strmap seen; /* same_use() of each use in `out` -> the use */
};

/* A string that two uses share exactly when they have the same kind, the
 * same key and principals that ir_same_principal() calls the same: the
 * same kind and, for accounts, the same account (the same declaration,
 * or two with the same id). Declaration names are unique per kind. */
static const char *same_use(struct arena *a, const struct key_use *u)
{
    const struct ir_account *acc = u->who.kind == PRIN_ACCOUNT ? u->who.account : NULL;
    const char *who = !acc ? "" : acc->id ? acc->id : acc->d.name;
    return arena_printf(a, "%d %s %d %s %s", (int)u->kind, u->key->d.name, (int)u->who.kind,
                        acc && acc->id ? "id" : "name", who);
}

static void add_use(struct uses *c, const struct key_use *u)
{
    if (!key_is_customer_managed(u->key))
        return;
    struct arena *a = &c->cc->arena;
    const char *same = same_use(a, u);
    if (strmap_get(&c->seen, same))
        return;
    struct key_use *copy = arena_alloc(a, sizeof *copy);
    *copy = *u;
    strmap_put_new(a, &c->seen, same, copy);
    vec_push(a, c->out, copy);
}

/* The vault's owner writes into it: the key must let that account's
 * service-linked role encrypt (rule targets and copy targets alike). */
static void add_vault_write(struct uses *c, struct ir_vault *v, struct ir_rule *rule)
{
    struct loc loc = v->key_at.loc.file ? v->key_at.loc : v->d.name_loc;
    add_use(c, &(struct key_use){.kind = KEY_USE_VAULT_WRITE,
                                 .key = v->key,
                                 .who = ir_vault_owner(v),
                                 .role = acting_role(c->prog),
                                 .needs = c->prog->need_vault_writer,
                                 .vault = v,
                                 .rule = rule,
                                 .loc = loc});
}

/* A cross-account copy is done by the destination account's
 * service-linked role, which must read the source recovery point. */
static void add_copy_source(struct uses *c, struct ir_rule *rule, const struct ir_copy *copy)
{
    struct ir_vault *source = rule->vault;
    if (!ir_copy_cross_account(source, copy->target))
        return;
    add_use(c, &(struct key_use){.kind = KEY_USE_COPY_SOURCE,
                                 .key = source->key,
                                 .who = ir_vault_owner(copy->target),
                                 .role = acting_role(c->prog),
                                 .needs = c->prog->need_copy_source,
                                 .vault = source,
                                 .rule = rule,
                                 .copy = copy,
                                 .loc = copy->loc});
}

static void rule_uses(struct uses *c, struct ir_rule *rule)
{
    if (rule->vault)
        add_vault_write(c, rule->vault, NULL);
    for (size_t i = 0; i < rule->copies.len; i++) {
        const struct ir_copy *copy = VEC_GET(const struct ir_copy, rule->copies, i);
        if (!copy->target)
            continue;
        add_vault_write(c, copy->target, rule);
        if (rule->vault)
            add_copy_source(c, rule, copy);
    }
}

void key_uses(struct obc *cc, const struct ir_program *prog, struct vec *out)
{
    struct uses c = {.cc = cc, .prog = prog, .out = out};
    struct ptrset plans = {0}; /* a plan in many policies adds nothing new after the first */
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, i);
        for (size_t j = 0; j < pol->plans.len; j++) {
            const struct ir_plan *plan = VEC_GET(const struct ir_plan, pol->plans, j);
            if (!ptrset_add(&cc->arena, &plans, plan))
                continue;
            for (size_t k = 0; k < plan->rules.len; k++)
                rule_uses(&c, VEC_GET(struct ir_rule, plan->rules, k));
        }
    }
}
