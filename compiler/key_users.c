/*
 * key_users.c - who uses each customer-managed KMS key, and what for.
 *
 * Owns: the list of key uses implied by the policies (spec sections
 * 6.1-6.3 and 8):
 *   - every account whose service-linked role writes into a vault
 *     encrypted with a key;
 *   - every destination account of a cross-account copy, whose
 *     service-linked role reads the source recovery point's key: the
 *     source vault's key for types AWS Backup fully manages (their backups
 *     take the vault's key), the selection's source_keys for the others
 *     (their backups keep the source resource's key, 6.1);
 *   - the IAM role of every selection, which runs the backup jobs and must
 *     use the keys of the resources it backs up (source_keys) and, for
 *     fully managed types, the key of the vault it backs up into [B16];
 *   - the account that creates a vault, when the vault's key lives in
 *     another account (the seed module's advice).
 * The roles and what each needs come from the standard library
 * (prog->service_linked_role, need_vault_writer, need_copy_source,
 * need_role_key, need_vault_creator); without it a use names the role in
 * words and needs nothing known. The manifest turns the uses into
 * key-policy statements; the KMS checks compare them with what each key
 * grants.
 *
 * A pure computation on the IR: reports nothing, changes nothing.
 * Output order is program order (policies, plans, rules, copies), with
 * repeated (kind, key, who, role) uses dropped after the first (found in
 * a string map) and each plan visited once however many policies hold
 * it, so the list is built in linear time.
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
    /* the plan being visited: whether its selections can include a type
     * AWS Backup fully manages, and one it does not */
    bool full, partial;
    struct ptrset roles_done; /* (plan, NULL): source keys added; (plan, key): the vault key */
};

/* A string that two uses share exactly when they have the same kind, the
 * same key and principals that ir_same_principal() calls the same: the
 * same kind and, for accounts, the same account (the same declaration,
 * or two with the same id). Declaration names are unique per kind. */
static const char *same_use(struct arena *a, const struct key_use *u)
{
    const struct ir_account *acc = u->who.kind == PRIN_ACCOUNT ? u->who.account : NULL;
    const char *who = !acc ? "" : acc->id ? acc->id : acc->d.name;
    const char *role = u->kind == KEY_USE_BACKUP_ROLE ? role_arn(a, u->selection->role, plan_partition(u->plan)) : "";
    return arena_printf(a, "%d %s %d %s %s %s", (int)u->kind, u->key->d.name, (int)u->who.kind,
                        acc && acc->id ? "id" : "name", who, role);
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

/* Whether a selection of `plan` can include a type that AWS Backup fully
 * manages (backed up with the vault's key), or one it does not (backed
 * up with the resource's own key). */
static void plan_managed_kinds(const struct uses *c, const struct ir_plan *plan, bool *full, bool *partial)
{
    struct vec types = {0};
    bool any = false;
    *full = *partial = false;
    ir_plan_types(c->prog, plan, &types, &any, &c->cc->arena);
    for (size_t i = 0; i < types.len; i++) {
        const struct ir_restype *t = types.items[i];
        *full |= t->full_management;
        *partial |= !t->full_management;
    }
}

/* Whether a source key of `sel` encrypts a type of it that AWS Backup
 * does not fully manage: only for those does the backup keep that key. */
static bool key_for_partial(const struct uses *c, const struct ir_selection *sel, const struct ir_key *k)
{
    struct vec types = {0};
    bool any = false;
    ir_selection_types(c->prog, sel, &types, &any, &c->cc->arena);
    for (size_t i = 0; i < types.len; i++) {
        const struct ir_restype *t = types.items[i];
        if (!t->full_management && ir_key_encrypts(k, t))
            return true;
    }
    return false;
}

/* A cross-account copy is done by the destination account's
 * service-linked role, which must read the source recovery point: the
 * source vault's key for fully managed types, the resources' own keys
 * (source_keys) for the others. */
static void add_copy_source(struct uses *c, struct ir_rule *rule, const struct ir_copy *copy)
{
    struct ir_vault *source = rule->vault;
    if (!ir_copy_cross_account(source, copy->target))
        return;
    struct key_use u = {.kind = KEY_USE_COPY_SOURCE,
                        .key = source->key,
                        .who = ir_vault_owner(copy->target),
                        .role = acting_role(c->prog),
                        .needs = c->prog->need_copy_source,
                        .vault = source,
                        .rule = rule,
                        .copy = copy,
                        .loc = copy->loc};
    if (c->full)
        add_use(c, &u);
    for (size_t i = 0; c->partial && i < rule->plan->selections.len; i++) {
        const struct ir_selection *sel = rule->plan->selections.items[i];
        for (size_t j = 0; j < sel->source_keys.len; j++) {
            struct ir_key *k = sel->source_keys.items[j];
            if (!key_for_partial(c, sel, k))
                continue;
            u.key = k;
            u.selection = sel;
            u.resource_key = true;
            add_use(c, &u);
        }
    }
}

/* The role of each selection of the rule's plan uses the source keys it
 * names and, when the plan can include fully managed types, the key of the
 * vault the rule backs up into. */
static void add_role_uses(struct uses *c, struct ir_rule *rule)
{
    const struct ir_plan *plan = rule->plan;
    struct arena *a = &c->cc->arena;
    /* once per plan, and once per plan and vault key: another rule adds
     * only uses that same_use() calls the same */
    bool sources = ptrset_add_key(a, &c->roles_done, 0, plan, NULL);
    bool vault_key = c->full && rule->vault && rule->vault->key &&
                     ptrset_add_key(a, &c->roles_done, 0, plan, rule->vault->key);
    for (size_t i = 0; (sources || vault_key) && i < plan->selections.len; i++) {
        const struct ir_selection *sel = plan->selections.items[i];
        if (!sel->role)
            continue;
        struct key_use u = {.kind = KEY_USE_BACKUP_ROLE,
                            .who = {.kind = PRIN_MEMBERS},
                            .role = role_arn(&c->cc->arena, sel->role, plan_partition(plan)),
                            .needs = c->prog->need_role_key,
                            .vault = rule->vault,
                            .selection = sel,
                            .plan = plan,
                            .loc = sel->d.name_loc};
        for (size_t j = 0; sources && j < sel->source_keys.len; j++) {
            u.key = sel->source_keys.items[j];
            u.resource_key = true;
            u.loc = sel->source_keys_at.loc;
            add_use(c, &u);
        }
        if (vault_key) {
            u.key = rule->vault->key;
            u.resource_key = false;
            u.loc = sel->d.name_loc;
            add_use(c, &u);
        }
    }
}

/* A vault encrypted with a key of another account: whoever creates the
 * vault in the vault's account must be able to use the key. */
static void add_vault_create(struct uses *c, struct ir_vault *v)
{
    if (!v->key)
        return;
    struct ir_principal owner = ir_vault_owner(v), holder = ir_key_owner(v->key);
    if (ir_same_principal(&owner, &holder))
        return;
    add_use(c, &(struct key_use){.kind = KEY_USE_VAULT_CREATE,
                                 .key = v->key,
                                 .who = owner,
                                 .role = "the principal that creates the vault",
                                 .needs = c->prog->need_vault_creator,
                                 .vault = v,
                                 .loc = v->key_at.loc.file ? v->key_at.loc : v->d.name_loc});
}

static void rule_uses(struct uses *c, struct ir_rule *rule)
{
    if (rule->vault) {
        add_vault_write(c, rule->vault, NULL);
        add_vault_create(c, rule->vault);
        if (rule->plan)
            add_role_uses(c, rule);
    }
    for (size_t i = 0; i < rule->copies.len; i++) {
        const struct ir_copy *copy = VEC_GET(const struct ir_copy, rule->copies, i);
        if (!copy->target)
            continue;
        add_vault_write(c, copy->target, rule);
        add_vault_create(c, copy->target);
        if (rule->vault && rule->plan)
            add_copy_source(c, rule, copy);
    }
}

static void find_uses(struct obc *cc, const struct ir_program *prog, struct vec *out)
{
    struct uses c = {.cc = cc, .prog = prog, .out = out};
    struct ptrset plans = {0}; /* a plan in many policies adds nothing new after the first */
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, i);
        for (size_t j = 0; j < pol->plans.len; j++) {
            const struct ir_plan *plan = VEC_GET(const struct ir_plan, pol->plans, j);
            if (!ptrset_add(&cc->arena, &plans, plan))
                continue;
            plan_managed_kinds(&c, plan, &c.full, &c.partial);
            for (size_t k = 0; k < plan->rules.len; k++)
                rule_uses(&c, VEC_GET(struct ir_rule, plan->rules, k));
        }
    }
}

/* The uses are found once per program (the checks and the manifest both
 * ask); the memo is no part of what the program says, so it is kept even
 * in a program passed as const. */
void key_uses(struct obc *cc, const struct ir_program *prog, struct vec *out)
{
    struct vec *memo = prog->key_uses_memo;
    if (!memo) {
        memo = arena_alloc(&cc->arena, sizeof *memo);
        find_uses(cc, prog, memo);
        ((struct ir_program *)prog)->key_uses_memo = memo;
    }
    for (size_t i = 0; i < memo->len; i++)
        vec_push(&cc->arena, out, memo->items[i]);
}
