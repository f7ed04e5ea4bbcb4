/*
 * emit_manifest.c - the account-side setup manifest (obc.manifest.json).
 *
 * Owns: the one JSON document that lists everything that must exist for
 * the compiled policies to work (language.md section 5, "Manifest"):
 * organization settings and policy attachments; per account the
 * service-linked role, the IAM roles of the selections and, per region,
 * the resource-type opt-in settings and the vaults (key, lock, access
 * policy); per customer-managed key the key-policy statements its users
 * need (key_users.c: service-linked roles, selection roles, copying
 * accounts, vault creators). Every backup role gets the managed policies
 * of the std default_backup_role besides its own and its types' extras. The format is versioned (MANIFEST_VERSION) and documented in
 * docs/manifest.md and docs/manifest.schema.json: change all three
 * together, and bump the version when a field changes meaning.
 * The service-linked role's name, path and managed policy, and the AWS
 * Backup service principal (its `trusts`), come from the standard library
 * (prog->service_linked_role); a program that does not import it gets no
 * service_linked_role entries, an empty trusted_service_access, no
 * principal in the key-policy statements, no `trusts` for roles that
 * name none and a note that says so, as its statements already list no
 * actions without the std permission sets.
 *
 * Only what the policies need is listed: vaults that a rule or copy of an
 * attached policy's plan writes into (or that name their regions), the
 * keys of those vaults, the roles of those plans' selections; and the
 * notifications, restore tests and audit frameworks (emit_ops.c), with the
 * vaults they name.
 * Deterministic: program order everywhere, names where a map is built.
 * Linear in the size of the program: what is looked up per account, key
 * or vault (its place, its vaults, its uses) is indexed once, in string
 * maps keyed by declaration name (unique per kind: the manifest is only
 * built for a program without errors); the maps only find things and
 * never decide an order.
 * Works on the IR only; reports nothing.
 */
#include "emit.h"
#include "emit_ops.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define MANIFEST_VERSION 1
#define MEMBERS_ACCOUNT "$account"
#define DEFAULT_PARTITION "aws"


/* Where one vault must exist, and why. */
struct vault_place {
    const struct ir_vault *v;
    struct vec regions;   /* struct ir_region* */
    struct ptrset region_set; /* the items of `regions` */
    bool rule_target;     /* a rule backs up into it */
    bool copy_target;     /* a copy action copies into it */
    struct vec air_gapped_rules; /* const struct ir_rule*: rules that name it as air_gapped_vault */
};

/* A role one or more selections pass to AWS Backup, in one partition. */
struct role_use {
    const struct ir_role *role;
    const char *partition;
    const char *arn;
    struct vec policies;  /* const char*: managed policy ARNs */
    struct strmap policy_set; /* the strings of `policies` */
    struct vec users;     /* const char*: "plan/selection", "plan/scan" */
    const char *trusts;   /* a scan role's service principal, when the role names none */
    struct strmap user_set; /* the strings of `users` */
};

/* What one owner (an account, or the members) holds. */
struct holdings {
    struct vec places; /* struct vault_place* of its vaults, in order of first use */
    struct vec vaults; /* struct ir_vault* it owns that have a place, in program order */
    bool owns_keys;    /* a customer-managed key that the manifest lists */
    struct vec ops;    /* struct op_place*: its notifications, restore tests, frameworks */
};

/* What refers to one key. */
struct key_refs {
    struct vec places; /* struct vault_place* of the vaults it encrypts, order of first use */
    struct vec vaults; /* struct ir_vault* it encrypts that have a place, program order */
    struct vec uses;   /* struct key_use* of the key, in the order of key_uses() */
};

/* Who `accept_copies_from = members` lets copy into a vault: the
 * accounts under the policies' attachments. A root makes it the whole
 * organization (aws:PrincipalOrgID); OUs become aws:PrincipalOrgPaths
 * values, attached accounts aws:PrincipalAccount values [X6]. Without
 * the facts to build a path (no organization id, no single root with an
 * id) it falls back to the whole organization and `note` says why. */
struct members_scope {
    bool whole_org;
    const char *note;   /* why the grant is wider than the attachments, or NULL */
    struct vec paths;   /* const char*: aws:PrincipalOrgPaths values */
    struct vec accounts; /* const char*: 12-digit ids */
};

struct manifest {
    struct obc *cc;
    struct arena *a;
    const struct ir_program *prog;
    struct json_doc doc;
    struct vec plans;        /* struct ir_plan*: every plan of every policy, once */
    struct vec plan_regions; /* struct ir_region*: union of their regions */
    struct ptrset plan_region_set; /* the items of `plan_regions` */
    struct vec places;       /* struct vault_place*, in order of first use */
    struct vec roles;        /* struct role_use* */
    struct vec uses;         /* struct key_use* (key_users.c) */
    /* Indexes, by declaration name unless said otherwise: */
    struct strmap plan_set;  /* plan -> itself, for the plans in `plans` */
    struct strmap place_of;  /* vault -> struct vault_place */
    struct strmap role_of;   /* role ARN -> struct role_use */
    struct strmap held_by;   /* account -> struct holdings */
    struct holdings members; /* what the members hold */
    struct strmap key_refs;  /* key -> struct key_refs */
    struct members_scope *scope; /* who `members` are in an access policy; built on first use */
    /* Worked out once, on first use: */
    struct ptrset memo;      /* MEMO_*: see there */
    bool have_opt_ins;       /* MEMO_REGION entries filled */
    bool have_managed;
    struct strmap managed;   /* region-settings names of types with a management preference */
};

/* Keys of manifest.memo. */
enum {
    MEMO_ENTRY,        /* selection entry -> struct vec of its types (entry_types) */
    MEMO_REGION,       /* region -> struct name_set of opt-in names (index_opt_ins) */
    MEMO_ROLE_TYPES,   /* (role use, types vector): policies of those types added */
    MEMO_ACCOUNT_VAULTS, /* (holdings, region) -> struct vec of its vaults there */
    MEMO_ORG_ID_WARNED, /* (vault, attribute name): OB6030 reported */
    MEMO_ACCOUNT_OPS,  /* (holdings, region) -> struct vec of its op_place* there */
};

/* Strings in order, once each. */
struct name_set {
    struct vec names; /* const char* */
    struct strmap set;
};

/* ---- small helpers ------------------------------------------------ */

/* Appends `s` to `v` unless `set` (the strings of v) has it. */
static void push_string(struct arena *a, struct vec *v, struct strmap *set, const char *s)
{
    if (!strmap_put_new(a, set, s, (void *)s))
        vec_push(a, v, (void *)s);
}

static int by_string(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static const char *partition_of(const struct vec *regions)
{
    for (size_t i = 0; i < regions->len; i++) {
        const struct ir_region *r = VEC_GET(const struct ir_region, *regions, i);
        if (r->partition && r->partition->d.name)
            return r->partition->d.name;
    }
    return DEFAULT_PARTITION;
}

static const char *vault_name(const struct ir_vault *v)
{
    return v->aws_name.s ? v->aws_name.s : v->d.name;
}

static const char *managed_policy_arn(struct arena *a, const char *partition, const char *path)
{
    return arena_printf(a, "arn:%s:iam::aws:policy/%s", partition, path);
}

/* The service-linked role (std: backup_service_linked_role), or NULL. */
static const struct ir_role *slr(const struct manifest *m)
{
    return m->prog->service_linked_role;
}

static const char *slr_name(const struct ir_role *r)
{
    return r->role_name ? r->role_name : r->d.name;
}

static const char *slr_arn(struct arena *a, const struct ir_role *r, const char *partition, const char *account)
{
    return arena_printf(a, "arn:%s:iam::%s:role%s%s", partition, account, r->path ? r->path : "/", slr_name(r));
}

/* The AWS Backup service principal: what the service-linked role trusts;
 * NULL without the std. */
static const char *backup_service(const struct manifest *m)
{
    return slr(m) ? slr(m)->trusts : NULL;
}

static void add_region_names(struct manifest *m, cJSON *parent, const char *key,
                             const struct vec *regions)
{
    cJSON *list = json_add_array(&m->doc, parent, key);
    for (size_t i = 0; i < regions->len; i++)
        json_add_string(&m->doc, list, NULL, VEC_GET(const struct ir_region, *regions, i)->d.name);
}

/* ---- what the policies use ---------------------------------------- */

static struct vault_place *place_of(struct manifest *m, const struct ir_vault *v)
{
    struct vault_place *p = strmap_get(&m->place_of, v->d.name);
    if (p)
        return p;
    p = arena_alloc(m->a, sizeof *p);
    p->v = v;
    for (size_t i = 0; i < v->regions.len; i++) { /* named regions: exactly those */
        vec_push(m->a, &p->regions, v->regions.items[i]);
        ptrset_add(m->a, &p->region_set, v->regions.items[i]);
    }
    vec_push(m->a, &m->places, p);
    strmap_put_new(m->a, &m->place_of, v->d.name, p);
    return p;
}

/* A vault with no region list exists wherever something writes into it. */
static void place_vault(struct manifest *m, const struct ir_vault *v, const struct vec *regions,
                        bool copy)
{
    struct vault_place *p = place_of(m, v);
    if (copy)
        p->copy_target = true;
    else
        p->rule_target = true;
    if (v->regions.len)
        return;
    for (size_t i = 0; i < regions->len; i++)
        vec_push_new(m->a, &p->regions, &p->region_set, regions->items[i]);
}

/* `regions`: where the plan runs (plan->regions, or a guess for a
 * partial plan that names none: collect_plans). */
static void place_plan_vaults(struct manifest *m, const struct ir_plan *plan, const struct vec *regions)
{
    for (size_t i = 0; i < plan->rules.len; i++) {
        const struct ir_rule *rule = VEC_GET(const struct ir_rule, plan->rules, i);
        if (rule->vault)
            place_vault(m, rule->vault, regions, false);
        if (rule->air_gapped_vault) {
            place_vault(m, rule->air_gapped_vault, regions, false);
            vec_push(m->a, &place_of(m, rule->air_gapped_vault)->air_gapped_rules, (void *)rule);
        }
        for (size_t j = 0; j < rule->copies.len; j++) {
            const struct ir_copy *c = VEC_GET(const struct ir_copy, rule->copies, j);
            struct vec where = {0};
            const struct ir_region *r = copy_region(plan, c);
            if (r)
                vec_push(m->a, &where, (void *)r);
            place_vault(m, c->target, &where, true);
        }
    }
}

/* The plans of the attached policies, the regions they run in, and the
 * vaults their rules and copies write into. A partial plan that names no
 * regions runs where the plan it merges with does, which the program
 * does not say: its vaults are placed in the organization's default
 * regions, else in the regions of the program's other plans. */
static void collect_plans(struct manifest *m)
{
    const struct ir_program *prog = m->prog;
    struct vec unplaced = {0}; /* partial plans without regions */
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, i);
        for (size_t j = 0; j < pol->plans.len; j++) {
            const struct ir_plan *plan = VEC_GET(const struct ir_plan, pol->plans, j);
            if (strmap_put_new(m->a, &m->plan_set, plan->d.name, (void *)plan))
                continue;
            vec_push(m->a, &m->plans, (void *)plan);
            if (plan->partial && !plan->regions.len) {
                vec_push(m->a, &unplaced, (void *)plan);
                continue;
            }
            for (size_t k = 0; k < plan->regions.len; k++)
                vec_push_new(m->a, &m->plan_regions, &m->plan_region_set, plan->regions.items[k]);
            place_plan_vaults(m, plan, &plan->regions);
        }
    }
    const struct vec *guess = prog->org.regions.len ? &prog->org.regions : &m->plan_regions;
    for (size_t i = 0; i < unplaced.len; i++)
        place_plan_vaults(m, unplaced.items[i], guess);
    if (guess != &m->plan_regions)
        for (size_t k = 0; unplaced.len && k < guess->len; k++)
            vec_push_new(m->a, &m->plan_regions, &m->plan_region_set, guess->items[k]);
}

/* A vault that a notification (via vault) or a restore test names must
 * exist even when no plan writes into it: in its own regions, else in the
 * regions the notification or restore test names, else in every plan
 * region. Run after collect_plans. */
static void place_named_vault(struct manifest *m, const struct ir_vault *v, const struct vec *regions)
{
    if (!regions->len)
        regions = &m->plan_regions;
    if (strmap_get(&m->place_of, v->d.name) || (!v->regions.len && !regions->len))
        return;
    struct vault_place *p = place_of(m, v);
    for (size_t i = 0; !v->regions.len && i < regions->len; i++)
        vec_push_new(m->a, &p->regions, &p->region_set, regions->items[i]);
}

static void place_op_vaults(struct manifest *m)
{
    for (size_t i = 0; i < m->prog->notifies.len; i++) {
        const struct ir_notify *n = VEC_GET(const struct ir_notify, m->prog->notifies, i);
        for (size_t j = 0; n->via == NOTIFY_VAULT && j < n->vaults.len; j++)
            place_named_vault(m, VEC_GET(const struct ir_vault, n->vaults, j), &n->regions);
    }
    for (size_t i = 0; i < m->prog->restore_tests.len; i++) {
        const struct ir_restore_test *t = VEC_GET(const struct ir_restore_test, m->prog->restore_tests, i);
        for (size_t j = 0; j < t->vaults.len; j++)
            place_named_vault(m, VEC_GET(const struct ir_vault, t->vaults, j), &t->regions);
    }
}

static const struct vault_place *find_place(const struct manifest *m, const struct ir_vault *v)
{
    return strmap_get(&m->place_of, v->d.name);
}

/* ---- who holds what ----------------------------------------------- */

static bool key_is_customer_managed(const struct ir_key *k)
{
    return k && !k->aws_managed;
}

/* Who holds what `owner` owns: the members for any principal but an
 * account (members, organization, none), else that account; NULL for an
 * account principal without an account, which is no one's. */
static struct holdings *holdings_of(struct manifest *m, const struct ir_principal *owner)
{
    if (owner->kind != PRIN_ACCOUNT)
        return &m->members;
    struct holdings *h = strmap_get(&m->held_by, owner->account->d.name);
    if (!h) {
        h = arena_alloc(m->a, sizeof *h);
        strmap_put_new(m->a, &m->held_by, owner->account->d.name, h);
    }
    return h;
}

static struct key_refs *refs_of(struct manifest *m, const struct ir_key *k)
{
    struct key_refs *r = strmap_get(&m->key_refs, k->d.name);
    if (!r) {
        r = arena_alloc(m->a, sizeof *r);
        strmap_put_new(m->a, &m->key_refs, k->d.name, r);
    }
    return r;
}

/* A key is listed when it is customer managed and encrypts a vault the
 * policies use, or the resources of a selection (source_keys) whose
 * backup role or copies need it. */
static bool key_listed(const struct manifest *m, const struct ir_key *k)
{
    if (!key_is_customer_managed(k))
        return false;
    const struct key_refs *r = strmap_get(&m->key_refs, k->d.name);
    return r && (r->places.len > 0 || r->uses.len > 0);
}

/* Indexes places, placed vaults, listed keys and key uses by owner and by
 * key, each list in the order the manifest prints it. Run after
 * collect_plans and key_uses. */
static void index_holdings(struct manifest *m)
{
    for (size_t i = 0; i < m->uses.len; i++) {
        struct key_use *u = VEC_GET(struct key_use, m->uses, i);
        vec_push(m->a, &refs_of(m, u->key)->uses, u);
    }
    for (size_t i = 0; i < m->places.len; i++) {
        struct vault_place *p = VEC_GET(struct vault_place, m->places, i);
        struct holdings *h = holdings_of(m, &p->v->owner);
        if (h)
            vec_push(m->a, &h->places, p);
        if (p->v->key)
            vec_push(m->a, &refs_of(m, p->v->key)->places, p);
    }
    for (size_t i = 0; i < m->prog->vaults.len; i++) {
        struct ir_vault *v = VEC_GET(struct ir_vault, m->prog->vaults, i);
        if (!find_place(m, v))
            continue;
        struct holdings *h = holdings_of(m, &v->owner);
        if (h)
            vec_push(m->a, &h->vaults, v);
        if (v->key)
            vec_push(m->a, &refs_of(m, v->key)->vaults, v);
    }
    for (size_t i = 0; i < m->prog->keys.len; i++) {
        const struct ir_key *k = VEC_GET(const struct ir_key, m->prog->keys, i);
        if (key_listed(m, k) && k->owner.kind == PRIN_ACCOUNT && k->owner.account)
            holdings_of(m, &k->owner)->owns_keys = true;
    }
}

static const struct vec *place_regions(void *ctx, const struct ir_vault *v)
{
    const struct vault_place *p = find_place(ctx, v);
    return p ? &p->regions : &v->regions;
}

/* Gives each owner the notifications, restore tests and audit frameworks
 * it holds (emit_ops.c decides where each goes). Run after collect_plans. */
static void index_ops(struct manifest *m)
{
    struct vec places = {0};
    ops_places(m->a, m->prog, place_regions, m, &m->plan_regions, &places);
    for (size_t i = 0; i < places.len; i++) {
        struct op_place *p = places.items[i];
        struct holdings *h = holdings_of(m, &p->owner);
        if (h)
            vec_push(m->a, &h->ops, p);
    }
}

/* The holdings of `acc` (NULL: the members); never NULL. */
static const struct holdings *holdings_for(const struct manifest *m, const struct ir_account *acc)
{
    static const struct holdings none;
    if (!acc)
        return &m->members;
    const struct holdings *h = strmap_get(&m->held_by, acc->d.name);
    return h ? h : &none;
}

/* ---- resource types ----------------------------------------------- */

static bool entry_selects_any(const struct ir_sel_entry *en)
{
    if (!en->resources)
        return true; /* tags only: every opted-in type */
    for (size_t i = 0; i < en->types.len; i++)
        if (VEC_GET(const struct ir_restype, en->types, i)->is_any)
            return true;
    return false;
}

/* The concrete types an entry can back up, in program order; worked out
 * once per entry however many plans and regions ask. */
static const struct vec *entry_types(struct manifest *m, const struct ir_sel_entry *en)
{
    bool fresh;
    struct vec *out = ptrset_memo(m->a, &m->memo, MEMO_ENTRY, en, NULL, sizeof *out, &fresh);
    if (!fresh)
        return out;
    const struct vec *from = entry_selects_any(en) ? &m->prog->restypes : &en->types;
    struct ptrset skip = {0}; /* excluded, or in `out` already */
    ptrset_add_all(m->a, &skip, &en->not_types);
    for (size_t i = 0; i < from->len; i++) {
        const struct ir_restype *t = VEC_GET(const struct ir_restype, *from, i);
        if (!t->is_any && ptrset_add(m->a, &skip, t))
            vec_push(m->a, out, (void *)t);
    }
    return out;
}

/* Appends the types of a selection's entries to `out` (whose items
 * `seen` holds), once each. */
static void selection_types(struct manifest *m, const struct ir_selection *sel, struct vec *out,
                            struct ptrset *seen)
{
    for (size_t i = 0; i < sel->entries.len; i++) {
        const struct vec *types = entry_types(m, VEC_GET(const struct ir_sel_entry, sel->entries, i));
        for (size_t j = 0; j < types->len; j++)
            vec_push_new(m->a, out, seen, types->items[j]);
    }
}

static bool plan_selects_by_tags_only(const struct ir_plan *plan)
{
    if (plan->partial && !plan->selections.len) /* selects nothing of its own */
        return false;
    for (size_t i = 0; i < plan->selections.len; i++) {
        const struct ir_selection *sel = VEC_GET(const struct ir_selection, plan->selections, i);
        for (size_t j = 0; j < sel->entries.len; j++)
            if (VEC_GET(const struct ir_sel_entry, sel->entries, j)->resources)
                return false;
    }
    return true;
}

static struct name_set *opt_ins_of(struct manifest *m, const struct ir_region *region)
{
    bool fresh;
    return ptrset_memo(m->a, &m->memo, MEMO_REGION, region, NULL, sizeof(struct name_set), &fresh);
}

/* The region-settings names of the types each plan selects, added to
 * each region it runs in: one pass over the plans, each plan's types
 * worked out once. */
static void index_opt_ins(struct manifest *m)
{
    for (size_t i = 0; i < m->plans.len; i++) {
        const struct ir_plan *plan = VEC_GET(const struct ir_plan, m->plans, i);
        struct vec types = {0};
        struct ptrset seen = {0};
        struct name_set names = {0};
        for (size_t j = 0; j < plan->selections.len; j++)
            selection_types(m, VEC_GET(const struct ir_selection, plan->selections, j), &types, &seen);
        for (size_t j = 0; j < types.len; j++) {
            const struct ir_restype *t = VEC_GET(const struct ir_restype, types, j);
            if (t->opt_in_name)
                push_string(m->a, &names.names, &names.set, t->opt_in_name);
        }
        for (size_t j = 0; j < plan->regions.len; j++) {
            struct name_set *r = opt_ins_of(m, plan->regions.items[j]);
            for (size_t k = 0; k < names.names.len; k++)
                push_string(m->a, &r->names, &r->set, names.names.items[k]);
        }
    }
    m->have_opt_ins = true;
}

/* Region-settings names of the types the plans that run in `region`
 * select, sorted. */
static void region_opt_ins(struct manifest *m, const struct ir_region *region, struct vec *names)
{
    if (!m->have_opt_ins)
        index_opt_ins(m);
    const struct name_set *r = opt_ins_of(m, region);
    for (size_t i = 0; i < r->names.len; i++)
        vec_push(m->a, names, r->names.items[i]);
    if (names->len > 1)
        qsort(names->items, names->len, sizeof *names->items, by_string);
}

/* Whether the type with this region-settings name also has a management
 * preference (ResourceTypeManagementPreference, std: management_preference):
 * full AWS Backup management, which DynamoDB needs for advanced backup. */
static bool is_managed_type(struct manifest *m, const char *opt_in_name)
{
    if (!m->have_managed) {
        for (size_t i = 0; i < m->prog->restypes.len; i++) {
            const struct ir_restype *t = VEC_GET(const struct ir_restype, m->prog->restypes, i);
            if (t->management_preference && t->opt_in_name)
                strmap_put_new(m->a, &m->managed, t->opt_in_name, (void *)t);
        }
        m->have_managed = true;
    }
    return strmap_get(&m->managed, opt_in_name) != NULL;
}

static void add_true_map(struct manifest *m, cJSON *parent, const char *key, const struct vec *names)
{
    if (names->len == 0)
        return;
    cJSON *map = json_add_object(&m->doc, parent, key);
    for (size_t i = 0; i < names->len; i++)
        json_add_bool(&m->doc, map, VEC_GET(const char, *names, i), true);
}

static void emit_region_settings(struct manifest *m, cJSON *obj, const struct ir_region *region)
{
    struct vec opt_in = {0}, managed = {0};
    region_opt_ins(m, region, &opt_in);
    for (size_t i = 0; i < opt_in.len; i++)
        if (is_managed_type(m, VEC_GET(const char, opt_in, i)))
            vec_push(m->a, &managed, opt_in.items[i]);
    add_true_map(m, obj, "resource_type_opt_in", &opt_in);
    add_true_map(m, obj, "resource_type_management", &managed);
}

/* ---- IAM roles ---------------------------------------------------- */

static struct role_use *role_use_of(struct manifest *m, const struct ir_role *role,
                                    const char *partition)
{
    const char *arn = role_arn(m->a, role, partition);
    struct role_use *u = strmap_get(&m->role_of, arn);
    if (u)
        return u;
    u = arena_alloc(m->a, sizeof *u);
    u->role = role;
    u->partition = partition;
    u->arn = arn;
    for (size_t i = 0; i < role->managed_policies.len; i++)
        push_string(m->a, &u->policies, &u->policy_set,
                    managed_policy_arn(m->a, partition, VEC_GET(const char, role->managed_policies, i)));
    vec_push(m->a, &m->roles, u);
    strmap_put_new(m->a, &m->role_of, arn, u);
    return u;
}

/* A plan's scan_role: the trust and the managed policy of the std's
 * guardduty_scanner_role [S1 Ex.8]. */
static void collect_scan_role(struct manifest *m, const struct ir_plan *plan, const char *partition)
{
    if (!plan->scan_role)
        return;
    struct role_use *u = role_use_of(m, plan->scan_role, partition);
    const char *user = arena_printf(m->a, "%s/scan", plan->d.name);
    if (!strmap_put_new(m->a, &u->user_set, user, (void *)user))
        vec_push(m->a, &u->users, (void *)user);
    const struct ir_role *std = m->prog->scanner_role;
    if (!std)
        return;
    if (!plan->scan_role->trusts)
        u->trusts = std->trusts;
    for (size_t i = 0; i < std->managed_policies.len; i++)
        push_string(m->a, &u->policies, &u->policy_set,
                    managed_policy_arn(m->a, partition, VEC_GET(const char, std->managed_policies, i)));
}

/* Every role passed to AWS Backup needs the managed policies of the
 * std default service role, AWSBackupServiceRolePolicyForBackup and
 * ...ForRestores (spec 8 [B23, B25]), whatever else it names. */
static void add_backup_role_policies(struct manifest *m, struct role_use *u, const char *partition)
{
    const struct ir_role *std = m->prog->default_backup_role;
    for (size_t i = 0; std && i < std->managed_policies.len; i++)
        push_string(m->a, &u->policies, &u->policy_set,
                    managed_policy_arn(m->a, partition, VEC_GET(const char, std->managed_policies, i)));
}

/* The types the rules of a plan index (index_actions), once each. */
static void plan_index_types(struct manifest *m, const struct ir_plan *plan, struct vec *out)
{
    struct ptrset seen = {0};
    for (size_t i = 0; i < plan->rules.len; i++) {
        const struct ir_rule *r = plan->rules.items[i];
        for (size_t j = 0; j < r->index_types.len; j++)
            vec_push_new(m->a, out, &seen, r->index_types.items[j]);
    }
}

/* The roles the members' restore tests restore with: they need what a
 * backup role needs (AWSBackupServiceRolePolicyForRestores among it) and
 * the extra policies of the type they restore (S3). Used by
 * "restore_test/NAME/TEST". The roles of a named account's restore tests
 * are not listed (the manifest lists IAM roles for the members only). */
static void collect_restore_roles(struct manifest *m)
{
    for (size_t i = 0; i < m->prog->restore_tests.len; i++) {
        const struct ir_restore_test *t = VEC_GET(const struct ir_restore_test, m->prog->restore_tests, i);
        if (t->owner.kind != PRIN_MEMBERS)
            continue;
        const struct vec *regions = &t->regions;
        if (!regions->len && t->vaults.len) {
            const struct vault_place *p = find_place(m, VEC_GET(const struct ir_vault, t->vaults, 0));
            if (p)
                regions = &p->regions;
        }
        const char *partition = partition_of(regions);
        for (size_t j = 0; j < t->selections.len; j++) {
            const struct ir_restore_selection *sel = VEC_GET(const struct ir_restore_selection, t->selections, j);
            if (!sel->role)
                continue;
            struct role_use *u = role_use_of(m, sel->role, partition);
            add_backup_role_policies(m, u, partition);
            for (size_t n = 0; sel->type && n < sel->type->role_policies.len; n++)
                push_string(m->a, &u->policies, &u->policy_set,
                            managed_policy_arn(m->a, partition, VEC_GET(const char, sel->type->role_policies, n)));
            const char *user = arena_printf(m->a, "restore_test/%s/%s", t->d.name, sel->name);
            if (!strmap_put_new(m->a, &u->user_set, user, (void *)user))
                vec_push(m->a, &u->users, (void *)user);
        }
    }
}

static void collect_roles(struct manifest *m)
{
    for (size_t i = 0; i < m->plans.len; i++) {
        const struct ir_plan *plan = VEC_GET(const struct ir_plan, m->plans, i);
        const char *partition = plan_partition(plan);
        collect_scan_role(m, plan, partition);
        struct vec indexed = {0};
        plan_index_types(m, plan, &indexed);
        for (size_t j = 0; j < plan->selections.len; j++) {
            const struct ir_selection *sel = VEC_GET(const struct ir_selection, plan->selections, j);
            struct role_use *u = role_use_of(m, sel->role, partition);
            add_backup_role_policies(m, u, partition);
            for (size_t k = 0; k < indexed.len; k++) { /* the backup role runs the indexing too */
                const struct ir_restype *t = indexed.items[k];
                for (size_t n = 0; n < t->index_role_policies.len; n++)
                    push_string(m->a, &u->policies, &u->policy_set,
                                managed_policy_arn(m->a, partition, VEC_GET(const char, t->index_role_policies, n)));
            }
            const char *user = arena_printf(m->a, "%s/%s", plan->d.name, sel->d.name);
            if (!strmap_put_new(m->a, &u->user_set, user, (void *)user))
                vec_push(m->a, &u->users, (void *)user);
            /* the policies of each entry's types, once per role use and
             * entry: a role that many selections pass costs its types once */
            for (size_t e = 0; e < sel->entries.len; e++) {
                const struct vec *types = entry_types(m, VEC_GET(const struct ir_sel_entry, sel->entries, e));
                bool added = ptrset_add_key(m->a, &m->memo, MEMO_ROLE_TYPES, u, types);
                for (size_t k = 0; added && k < types->len; k++) {
                    const struct ir_restype *t = VEC_GET(const struct ir_restype, *types, k);
                    for (size_t n = 0; n < t->role_policies.len; n++)
                        push_string(m->a, &u->policies, &u->policy_set,
                                    managed_policy_arn(m->a, partition, VEC_GET(const char, t->role_policies, n)));
                }
            }
        }
    }
    collect_restore_roles(m);
}

/* Name and path of a role given by ARN: ".../role/service-role/NAME". */
static void role_name_path(struct manifest *m, const struct ir_role *r, const char **name,
                           const char **path)
{
    *name = r->role_name;
    *path = r->path && r->path[0] ? r->path : "/";
    struct arn_parts p;
    if (r->role_name || !r->arn.s || !arn_split(m->a, r->arn.s, &p))
        return;
    /* sema checked the shape: the resource is role/[PATH/]NAME */
    const char *res = p.resource + strlen("role"); /* "/service-role/NAME" */
    const char *last = strrchr(res, '/');
    *name = last + 1;
    *path = arena_strndup(m->a, res, (size_t)(last - res) + 1);
}

static void emit_role(struct manifest *m, cJSON *list, const struct role_use *u)
{
    cJSON *obj = json_add_object(&m->doc, list, NULL);
    const char *name, *path;
    role_name_path(m, u->role, &name, &path);
    if (name)
        json_add_string(&m->doc, obj, "name", name);
    json_add_string(&m->doc, obj, "path", path);
    json_add_string(&m->doc, obj, "arn", u->arn);
    if (u->role->d.name)
        json_add_string(&m->doc, obj, "declaration", u->role->d.name);
    const char *trusts = u->role->trusts ? u->role->trusts : u->trusts ? u->trusts : backup_service(m);
    if (trusts)
        json_add_string(&m->doc, obj, "trusts", trusts);
    json_add_strings(&m->doc, obj, "managed_policies", &u->policies);
    json_add_strings(&m->doc, obj, "used_by", &u->users);
}

/* ---- vaults ------------------------------------------------------- */

/* The key as CreateBackupVault takes it in `region`: "aws/backup" for
 * the default; its ARN (a multi-region key's replica ARN in another
 * region); else its alias. */
static const char *vault_key_ref(struct manifest *m, const struct ir_vault *v,
                                 const struct ir_region *region)
{
    const struct ir_key *k = v->key;
    if (!k || (k->aws_managed && (!k->alias.s || strcmp(k->alias.s, "alias/aws/backup") == 0)))
        return "aws/backup";
    struct arn_parts p;
    if (k->arn.s && k->multi_region && region && k->region != region &&
        arn_split(m->a, k->arn.s, &p))
        return arena_printf(m->a, "arn:%s:%s:%s:%s:%s", p.partition, p.service, region->d.name,
                            p.account, p.resource);
    if (k->arn.s)
        return k->arn.s;
    return k->alias.s; /* a key has an ARN or an alias (OB2004 otherwise) */
}

/* A count of days AWS accepts from lo to 36500. check_lock.c reports
 * every value outside its range as an error (OB4011, OB4016) and nothing
 * is emitted after an error, so a value out of range here is a bug in
 * obc: stop rather than write it. */
static void add_days(struct manifest *m, cJSON *obj, const char *key, const struct ir_num *n, int64_t lo)
{
    if (n->state != IR_SET)
        return;
    if (n->v < lo || n->v > AWS_RETENTION_MAX_DAYS)
        abort();
    json_add_int(&m->doc, obj, key, n->v);
}

static void emit_lock(struct manifest *m, cJSON *vault, const struct ir_lock *lock)
{
    cJSON *obj = json_add_object(&m->doc, vault, "lock");
    json_add_string(&m->doc, obj, "mode", lock->mode == LOCK_COMPLIANCE ? "compliance" : "governance");
    add_days(m, obj, "min_retention_days", &lock->min_retention, 1);
    add_days(m, obj, "max_retention_days", &lock->max_retention, 1);
    add_days(m, obj, "changeable_for_days", &lock->grace, AWS_LOCK_GRACE_MIN_DAYS);
}

static cJSON *copy_statement(struct manifest *m, cJSON *statements, const char *sid)
{
    cJSON *st = json_add_object(&m->doc, statements, NULL);
    json_add_string(&m->doc, st, "Sid", sid);
    json_add_string(&m->doc, st, "Effect", "Allow");
    return st;
}

static void finish_copy_statement(struct manifest *m, cJSON *st)
{
    json_add_string(&m->doc, st, "Action", "backup:CopyIntoBackupVault");
    json_add_string(&m->doc, st, "Resource", "*");
}

/* The one root id the program declares, or NULL (none, several, or none
 * with an id). */
static const char *single_root_id(const struct ir_program *prog)
{
    if (prog->roots.len != 1)
        return NULL;
    return VEC_GET(const struct ir_root, prog->roots, 0)->id;
}

static void push_new(struct arena *a, struct strmap *seen, struct vec *v, const char *s)
{
    if (!strmap_put_new(a, seen, s, (void *)s))
        vec_push(a, v, (void *)s);
}

static struct members_scope *members_scope(struct manifest *m)
{
    if (m->scope)
        return m->scope;
    struct members_scope *sc = arena_alloc(m->a, sizeof *sc);
    m->scope = sc;
    const char *org = m->prog->org.id.s, *root = single_root_id(m->prog);
    struct strmap seen = {0};
    bool ou = false, any = false;
    for (size_t i = 0; i < m->prog->policies.len && !sc->whole_org; i++) {
        const struct ir_policy *pol = VEC_GET(const struct ir_policy, m->prog->policies, i);
        for (size_t j = 0; j < pol->attach.len; j++) {
            const struct ir_target *t = VEC_GET(const struct ir_target, pol->attach, j);
            any = true;
            if (t->kind == TARGET_ROOT || !t->id) {
                sc->whole_org = true;
                break;
            }
            if (t->kind == TARGET_ACCOUNT) {
                push_new(m->a, &seen, &sc->accounts, t->id);
                continue;
            }
            ou = true;
            if (org && root) { /* the OU directly under the root, or deeper */
                push_new(m->a, &seen, &sc->paths, arena_printf(m->a, "%s/%s/%s/*", org, root, t->id));
                push_new(m->a, &seen, &sc->paths, arena_printf(m->a, "%s/%s/*/%s/*", org, root, t->id));
            }
        }
    }
    if (!sc->whole_org && !any) {
        sc->whole_org = true;
        sc->note = "accept_copies_from = members: no policy is attached anywhere, so the access policy allows "
                   "the whole organization (aws:PrincipalOrgID)";
    } else if (!sc->whole_org && ou && !(org && root)) {
        sc->whole_org = true;
        sc->note = arena_printf(m->a,
                                "accept_copies_from = members: the policies are attached to OUs, but the program "
                                "declares %s, so no aws:PrincipalOrgPaths value (organization id/root id/OU id) "
                                "can be built and the access policy allows the whole organization "
                                "(aws:PrincipalOrgID)",
                                !org ? "no organization id" : "no single root with an id");
    }
    return sc;
}

/* The organization id for what `p` (organization or members, in
 * attribute `attr` of vault v) lets in; without organization { id } the
 * placeholder $organization_id, and OB6030 at p, once per attribute. */
static const char *org_id_for(struct manifest *m, const struct ir_principal *p, const struct ir_vault *v,
                              const char *attr)
{
    if (m->prog->org.id.s)
        return m->prog->org.id.s;
    if (ptrset_add_key(m->a, &m->memo, MEMO_ORG_ID_WARNED, v, attr)) {
        struct diag *d = diag_emit(m->cc, OB6030, p->loc,
                                   "%s of vault '%s' needs the organization id, and the program declares none: the "
                                   "manifest and the templates hold the placeholder $organization_id",
                                   attr, v->d.name);
        diag_help(m->cc, d, "add organization { id = \"o-...\" } (AWS Organizations console, or aws organizations "
                            "describe-organization)");
    }
    return "$organization_id";
}

/* The vault access policy (PutBackupVaultAccessPolicy) for
 * accept_copies_from: the organization by aws:PrincipalOrgID; members by
 * the attachments of the policies (members_scope); named accounts by
 * their root principal. */
static void emit_access_policy(struct manifest *m, cJSON *vault, const struct ir_vault *v,
                               const char *partition)
{
    bool org = false, members = false;
    const struct ir_principal *org_p = NULL, *members_p = NULL; /* the first of each */
    struct vec accounts = {0};
    struct strmap listed = {0}; /* the ARNs in `accounts`: a long list stays linear */
    for (size_t i = 0; i < v->accept_from.len; i++) {
        const struct ir_principal *p = VEC_GET(const struct ir_principal, v->accept_from, i);
        if (p->kind == PRIN_ACCOUNT && p->account && p->account->id) {
            const char *arn = arena_printf(m->a, "arn:%s:iam::%s:root", partition, p->account->id);
            if (!strmap_put_new(m->a, &listed, arn, (void *)arn))
                vec_push(m->a, &accounts, (void *)arn);
        } else if (p->kind == PRIN_ORGANIZATION) {
            org = true;
            org_p = org_p ? org_p : p;
        } else if (p->kind == PRIN_MEMBERS) {
            members = true;
            members_p = members_p ? members_p : p;
        }
    }
    const struct members_scope *sc = members && !org ? members_scope(m) : NULL;
    if (sc && sc->whole_org)
        org = true;
    cJSON *doc = json_add_object(&m->doc, vault, "access_policy");
    json_add_string(&m->doc, doc, "Version", "2012-10-17");
    cJSON *statements = json_add_array(&m->doc, doc, "Statement");
    if (org) {
        cJSON *st = copy_statement(m, statements, "AllowCopyIntoBackupVaultFromOrganization");
        json_add_string(&m->doc, json_add_object(&m->doc, st, "Principal"), "AWS", "*");
        finish_copy_statement(m, st);
        cJSON *cond = json_add_object(&m->doc, json_add_object(&m->doc, st, "Condition"), "StringEquals");
        json_add_string(&m->doc, cond, "aws:PrincipalOrgID",
                        org_id_for(m, org_p ? org_p : members_p, v, "accept_copies_from"));
    } else if (sc) {
        if (sc->paths.len) {
            cJSON *st = copy_statement(m, statements, "AllowCopyIntoBackupVaultFromAttachedOUs");
            json_add_string(&m->doc, json_add_object(&m->doc, st, "Principal"), "AWS", "*");
            finish_copy_statement(m, st);
            cJSON *cond =
                json_add_object(&m->doc, json_add_object(&m->doc, st, "Condition"), "ForAnyValue:StringLike");
            json_add_strings(&m->doc, cond, "aws:PrincipalOrgPaths", &sc->paths);
        }
        if (sc->accounts.len) {
            cJSON *st = copy_statement(m, statements, "AllowCopyIntoBackupVaultFromAttachedAccounts");
            json_add_string(&m->doc, json_add_object(&m->doc, st, "Principal"), "AWS", "*");
            finish_copy_statement(m, st);
            cJSON *cond = json_add_object(&m->doc, json_add_object(&m->doc, st, "Condition"), "StringEquals");
            json_add_strings(&m->doc, cond, "aws:PrincipalAccount", &sc->accounts);
        }
    }
    if (accounts.len) {
        cJSON *st = copy_statement(m, statements, "AllowCopyIntoBackupVaultFromAccounts");
        json_add_strings(&m->doc, json_add_object(&m->doc, st, "Principal"), "AWS", &accounts);
        finish_copy_statement(m, st);
    }
    if (sc && sc->note)
        json_add_string(&m->doc, json_add_array(&m->doc, vault, "notes"), NULL, sc->note);
}

/* Who an air-gapped vault is shared with through AWS RAM: the
 * organization id (organization, members) or account ids. */
static void emit_ram_shares(struct manifest *m, cJSON *obj, const struct ir_vault *v)
{
    struct vec who = {0};
    struct strmap seen = {0};
    for (size_t i = 0; i < v->share_with.len; i++) {
        const struct ir_principal *p = VEC_GET(const struct ir_principal, v->share_with, i);
        const char *id = p->kind == PRIN_ACCOUNT && p->account ? p->account->id : org_id_for(m, p, v, "share_with");
        if (id)
            push_string(m->a, &who, &seen, id);
    }
    json_add_strings(&m->doc, obj, "ram_shared_with", &who);
}

/* What AWS does with each type a rule backs up into an air-gapped vault
 * [S1, B1]: fully managed types go straight into it; for the others AWS
 * takes a temporary (billable) snapshot in the rule's backup vault and
 * copies it, where the air-gapped vault supports the type; types it does
 * not support stay in the backup vault only. */
static void emit_air_gapped_rule(struct manifest *m, cJSON *list, const struct ir_rule *r)
{
    cJSON *obj = json_add_object(&m->doc, list, NULL);
    json_add_string(&m->doc, obj, "plan", r->plan->d.name);
    json_add_string(&m->doc, obj, "rule", r->name);
    if (r->vault)
        json_add_string(&m->doc, obj, "backup_vault", vault_name(r->vault));
    struct vec types = {0}, direct = {0}, via = {0};
    bool any = false;
    ir_plan_types(m->prog, r->plan, &types, &any, m->a);
    json_add_bool(&m->doc, obj, "any_type", any);
    if (any) /* every type, each its own way: which ones is the std's business */
        return;
    for (size_t i = 0; i < types.len; i++) {
        const struct ir_restype *t = VEC_GET(const struct ir_restype, types, i);
        vec_push(m->a, t->full_management ? &direct : &via, (void *)t->d.name); /* distinct types */
    }
    json_add_strings(&m->doc, obj, "direct_types", &direct);
    json_add_strings(&m->doc, obj, "via_snapshot_types", &via);
}

static void emit_air_gapped(struct manifest *m, cJSON *obj, const struct ir_vault *v)
{
    json_add_string(&m->doc, obj, "type", "logically_air_gapped");
    add_days(m, obj, "min_retention_days", &v->lock->min_retention, AWS_AIR_GAPPED_MIN_RETENTION_DAYS);
    add_days(m, obj, "max_retention_days", &v->lock->max_retention, AWS_AIR_GAPPED_MIN_RETENTION_DAYS);
    if (v->share_with.len)
        emit_ram_shares(m, obj, v);
    const struct vault_place *p = find_place(m, v);
    if (!p || !p->air_gapped_rules.len)
        return;
    cJSON *list = json_add_array(&m->doc, obj, "air_gapped_rules");
    for (size_t i = 0; i < p->air_gapped_rules.len; i++)
        emit_air_gapped_rule(m, list, VEC_GET(const struct ir_rule, p->air_gapped_rules, i));
}

static void emit_vault(struct manifest *m, cJSON *list, const struct ir_vault *v,
                       const struct ir_region *region)
{
    cJSON *obj = json_add_object(&m->doc, list, NULL);
    json_add_string(&m->doc, obj, "name", vault_name(v));
    json_add_string(&m->doc, obj, "declaration", v->d.name);
    json_add_string(&m->doc, obj, "arn", vault_arn(m->a, v, region));
    if (v->external) { /* required here, created and configured elsewhere */
        json_add_bool(&m->doc, obj, "external", true);
        if (v->air_gapped)
            json_add_string(&m->doc, obj, "type", "logically_air_gapped");
        return;
    }
    /* an air-gapped vault without a key of its own: an AWS owned key [B26] */
    json_add_string(&m->doc, obj, "encryption_key",
                    v->air_gapped && !v->key ? "aws_owned" : vault_key_ref(m, v, region));
    if (key_is_customer_managed(v->key))
        json_add_string(&m->doc, obj, "key", v->key->d.name);
    if (v->air_gapped)
        emit_air_gapped(m, obj, v);
    else if (v->lock)
        emit_lock(m, obj, v->lock);
    if (v->accept_from.len)
        emit_access_policy(m, obj, v, region->partition ? region->partition->d.name : DEFAULT_PARTITION);
}

/* ---- keys --------------------------------------------------------- */

/* Where a key must exist: its ARN's region or its `region` list; for a
 * key without either (and for a multi-region key's replicas) the regions
 * of the vaults it encrypts. */
static void key_regions(const struct manifest *m, const struct ir_key *k, struct vec *out)
{
    struct ptrset seen = {0}; /* the items of `out`, which starts empty */
    if (k->region)
        vec_push_new(m->a, out, &seen, k->region);
    for (size_t i = 0; i < k->regions.len; i++)
        vec_push_new(m->a, out, &seen, k->regions.items[i]);
    if (out->len && !k->multi_region)
        return;
    const struct key_refs *r = strmap_get(&m->key_refs, k->d.name);
    for (size_t i = 0; r && i < r->places.len; i++) {
        const struct vault_place *p = VEC_GET(const struct vault_place, r->places, i);
        for (size_t j = 0; j < p->regions.len; j++)
            vec_push_new(m->a, out, &seen, p->regions.items[j]);
    }
    /* a key of source resources only: where the plans that use it run */
    for (size_t i = 0; r && !out->len && i < r->uses.len; i++) {
        const struct key_use *u = VEC_GET(const struct key_use, r->uses, i);
        const struct ir_plan *plan = u->plan ? u->plan : u->rule ? u->rule->plan : NULL;
        for (size_t j = 0; plan && j < plan->regions.len; j++)
            vec_push_new(m->a, out, &seen, plan->regions.items[j]);
    }
}

/* The account id of a key ("$account" for member-side keys). */
static const char *key_account(const struct ir_key *k)
{
    if (k->owner.kind == PRIN_ACCOUNT)
        return k->owner.account->id;
    return MEMBERS_ACCOUNT;
}

static const char *principal_account(const struct ir_principal *p)
{
    if (p->kind == PRIN_ACCOUNT && p->account && p->account->id)
        return p->account->id;
    return MEMBERS_ACCOUNT;
}

static const char *principal_words(struct arena *a, const struct ir_principal *p)
{
    if (p->kind == PRIN_ACCOUNT && p->account)
        return arena_printf(a, "account '%s' (%s)", p->account->d.name, p->account->id);
    return "every account that receives the policies";
}

static const char *use_reason(struct manifest *m, const struct key_use *u)
{
    const char *who = principal_words(m->a, &u->who);
    switch (u->kind) {
    case KEY_USE_COPY_SOURCE:
        if (u->resource_key)
            return arena_printf(m->a,
                                "%s in %s copies recovery points of selection '%s' out of vault '%s' (rule '%s' of "
                                "plan '%s'): they keep this key of their source resources, which the destination "
                                "of a cross-account copy must be able to use",
                                u->role, who, u->selection->d.name, vault_name(u->vault), u->rule->name,
                                u->rule->plan->d.name);
        return arena_printf(m->a,
                            "%s in %s copies recovery points out of vault '%s' (rule '%s' of plan '%s'): "
                            "the destination of a cross-account copy must be able to use the source key",
                            u->role, who, vault_name(u->vault), u->rule->name, u->rule->plan->d.name);
    case KEY_USE_BACKUP_ROLE:
        if (u->resource_key)
            return arena_printf(m->a,
                                "the role of selection '%s' (plan '%s') runs the backup jobs of the resources this "
                                "key encrypts: without access the job succeeds but the objects are not backed up",
                                u->selection->d.name, u->plan->d.name);
        return arena_printf(m->a,
                            "the role of selection '%s' (plan '%s') runs the backup jobs that write into vault "
                            "'%s', which this key encrypts for the types AWS Backup fully manages",
                            u->selection->d.name, u->plan->d.name, vault_name(u->vault));
    case KEY_USE_VAULT_CREATE:
        return arena_printf(m->a,
                            "the principal that creates vault '%s' in %s (CreateBackupVault with this key) must "
                            "be able to use it: the key lives in another account",
                            vault_name(u->vault), who);
    case KEY_USE_VAULT_WRITE:
        break;
    }
    return arena_printf(m->a, "%s in %s writes recovery points into vault '%s', which this key encrypts",
                        u->role, who, vault_name(u->vault));
}

static const char *use_name(enum key_use_kind kind)
{
    switch (kind) {
    case KEY_USE_COPY_SOURCE: return "copy_source";
    case KEY_USE_BACKUP_ROLE: return "backup_role";
    case KEY_USE_VAULT_CREATE: return "vault_create";
    case KEY_USE_VAULT_WRITE: break;
    }
    return "vault_write";
}

/* The letters and digits of `s` (a statement id has no others). */
static const char *alnum(struct arena *a, const char *s)
{
    char *out = arena_strndup(a, s, strlen(s));
    size_t n = 0;
    for (const char *p = s; *p; p++)
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            out[n++] = *p;
    out[n] = '\0';
    return out;
}

/* The statement's principal, its account and its sid prefix. */
static void use_principal(struct manifest *m, const struct key_use *u, const char *partition, const char **account,
                          const char **principal, const char **sid)
{
    *account = principal_account(&u->who);
    *principal = NULL;
    *sid = "BackupVaultWrite";
    switch (u->kind) {
    case KEY_USE_BACKUP_ROLE: {
        const char *name, *path;
        struct arn_parts p;
        *principal = role_arn(m->a, u->selection->role, plan_partition(u->plan));
        if (arn_split(m->a, *principal, &p) && p.account[0])
            *account = p.account;
        role_name_path(m, u->selection->role, &name, &path);
        *sid = arena_printf(m->a, "BackupRole%s", alnum(m->a, name ? name : "Role"));
        return;
    }
    case KEY_USE_VAULT_CREATE:
        *principal = arena_printf(m->a, "arn:%s:iam::%s:root", partition, *account);
        *sid = "VaultCreate";
        return;
    case KEY_USE_COPY_SOURCE:
        *sid = "CrossAccountCopySource";
        break;
    case KEY_USE_VAULT_WRITE:
        break;
    }
    if (slr(m))
        *principal = slr_arn(m->a, slr(m), partition, *account);
}

static void emit_statement(struct manifest *m, cJSON *list, const struct ir_key *k, const struct key_use *u,
                           const char *partition)
{
    const char *account, *principal, *sid;
    use_principal(m, u, partition, &account, &principal, &sid);
    const char *suffix = strcmp(account, MEMBERS_ACCOUNT) == 0 ? "Members" : account;
    cJSON *st = json_add_object(&m->doc, list, NULL);
    json_add_string(&m->doc, st, "sid", arena_printf(m->a, "%s%s", sid, suffix));
    json_add_string(&m->doc, st, "use", use_name(u->kind));
    json_add_string(&m->doc, st, "account", account);
    if (principal)
        json_add_string(&m->doc, st, "principal", principal);
    /* a principal of the key's own account may instead be allowed by an
     * IAM policy when the key policy delegates to the account */
    json_add_bool(&m->doc, st, "key_policy_required", strcmp(account, key_account(k)) != 0);
    struct vec none = {0};
    json_add_strings(&m->doc, st, "actions", u->needs ? &u->needs->actions : &none);
    if (u->needs && u->needs->d.name)
        json_add_string(&m->doc, st, "permission_set", u->needs->d.name);
    if (u->vault)
        json_add_string(&m->doc, st, "vault", vault_name(u->vault));
    if (u->selection && (u->kind == KEY_USE_BACKUP_ROLE || u->resource_key))
        json_add_string(&m->doc, st, "selection", u->selection->d.name);
    json_add_string(&m->doc, st, "reason", use_reason(m, u));
}

static void emit_key(struct manifest *m, cJSON *list, const struct ir_key *k)
{
    cJSON *obj = json_add_object(&m->doc, list, NULL);
    json_add_string(&m->doc, obj, "name", k->d.name);
    if (k->arn.s)
        json_add_string(&m->doc, obj, "arn", k->arn.s);
    if (k->alias.s)
        json_add_string(&m->doc, obj, "alias", k->alias.s);
    json_add_string(&m->doc, obj, "account", key_account(k));
    if (k->owner.kind == PRIN_ACCOUNT && k->owner.account)
        json_add_string(&m->doc, obj, "account_name", k->owner.account->d.name);
    else if (k->owner.kind == PRIN_MEMBERS)
        json_add_string(&m->doc, obj, "account_name", "members");
    struct vec regions = {0};
    key_regions(m, k, &regions);
    const char *partition = partition_of(&regions);
    add_region_names(m, obj, "regions", &regions);
    json_add_bool(&m->doc, obj, "multi_region", k->multi_region);
    if (k->grants) {
        cJSON *grants = json_add_object(&m->doc, obj, "grants");
        if (k->grants->d.name)
            json_add_string(&m->doc, grants, "permission_set", k->grants->d.name);
        json_add_strings(&m->doc, grants, "actions", &k->grants->actions);
    }
    const struct key_refs *r = strmap_get(&m->key_refs, k->d.name); /* a listed key has some */
    cJSON *vaults = json_add_array(&m->doc, obj, "vaults");
    for (size_t i = 0; r && i < r->vaults.len; i++)
        json_add_string(&m->doc, vaults, NULL, VEC_GET(const struct ir_vault, r->vaults, i)->d.name);
    cJSON *statements = json_add_array(&m->doc, obj, "statements");
    for (size_t i = 0; r && i < r->uses.len; i++)
        emit_statement(m, statements, k, VEC_GET(const struct key_use, r->uses, i), partition);
}

static void emit_keys(struct manifest *m, cJSON *root)
{
    cJSON *list = json_add_array(&m->doc, root, "keys");
    for (size_t i = 0; i < m->prog->keys.len; i++) {
        const struct ir_key *k = VEC_GET(const struct ir_key, m->prog->keys, i);
        if (key_listed(m, k))
            emit_key(m, list, k);
    }
}

/* ---- accounts ----------------------------------------------------- */

/* One entry of "accounts": `acc` NULL stands for the members. */
struct account_view {
    const struct ir_account *acc;
    bool management;
    bool owns_vaults, owns_keys;
    bool rule_vaults, copy_vaults; /* owns vaults that rules / copies write into */
    struct vec regions;            /* struct ir_region*, in order */
};

static void view_regions(struct manifest *m, struct account_view *av)
{
    struct ptrset seen = {0}; /* the items of av->regions */
    if (!av->acc || av->management)
        for (size_t i = 0; i < m->plan_regions.len; i++)
            vec_push_new(m->a, &av->regions, &seen, m->plan_regions.items[i]);
    const struct holdings *h = holdings_for(m, av->acc);
    for (size_t i = 0; i < h->places.len; i++) {
        const struct vault_place *p = VEC_GET(const struct vault_place, h->places, i);
        av->owns_vaults = true;
        av->rule_vaults |= p->rule_target;
        av->copy_vaults |= p->copy_target;
        for (size_t j = 0; j < p->regions.len; j++)
            vec_push_new(m->a, &av->regions, &seen, p->regions.items[j]);
    }
    av->owns_keys = av->acc && h->owns_keys;
    for (size_t i = 0; i < h->ops.len; i++) {
        const struct op_place *p = VEC_GET(const struct op_place, h->ops, i);
        for (size_t j = 0; j < p->regions.len; j++)
            vec_push_new(m->a, &av->regions, &seen, p->regions.items[j]);
    }
}

static void emit_slr(struct manifest *m, cJSON *obj, const struct account_view *av,
                     const char *partition, const char *account)
{
    const char *reasons[4];
    size_t n = 0;
    if (!av->acc ? m->plans.len > 0 : av->rule_vaults)
        reasons[n++] = "runs_plans";
    if (av->copy_vaults)
        reasons[n++] = "receives_copies";
    if (av->acc && av->owns_vaults)
        reasons[n++] = "owns_vaults";
    if (av->management)
        reasons[n++] = "management_account";
    const struct ir_role *r = slr(m);
    if (n == 0 || !r)
        return;
    cJSON *entry = json_add_object(&m->doc, obj, "service_linked_role");
    json_add_string(&m->doc, entry, "name", slr_name(r));
    if (r->trusts)
        json_add_string(&m->doc, entry, "service", r->trusts);
    json_add_string(&m->doc, entry, "arn", slr_arn(m->a, r, partition, account));
    if (r->managed_policies.len) /* the one AWS attaches */
        json_add_string(&m->doc, entry, "managed_policy",
                        managed_policy_arn(m->a, partition, VEC_GET(const char, r->managed_policies, 0)));
    cJSON *list = json_add_array(&m->doc, entry, "reasons");
    for (size_t i = 0; i < n; i++)
        json_add_string(&m->doc, list, NULL, reasons[i]);
}

static void emit_account_region(struct manifest *m, cJSON *list, const struct account_view *av,
                                 const struct ir_region *region)
{
    cJSON *obj = json_add_object(&m->doc, list, NULL);
    json_add_string(&m->doc, obj, "region", region->d.name);
    json_add_bool(&m->doc, obj, "enable_region", region->opt_in);
    if ((!av->acc || av->management) && ptrset_has(&m->plan_region_set, region))
        emit_region_settings(m, obj, region);
    const struct vec *there = ptrset_get(&m->memo, MEMO_ACCOUNT_VAULTS, holdings_for(m, av->acc), region);
    cJSON *vaults = there ? json_add_array(&m->doc, obj, "vaults") : NULL;
    for (size_t i = 0; there && i < there->len; i++)
        emit_vault(m, vaults, VEC_GET(const struct ir_vault, *there, i), region);
    const struct vec *ops = ptrset_get(&m->memo, MEMO_ACCOUNT_OPS, holdings_for(m, av->acc), region);
    if (ops)
        emit_ops_region(&m->doc, m->a, obj, ops, region);
}

static bool any_plan_by_tags_only(const struct manifest *m)
{
    for (size_t i = 0; i < m->plans.len; i++)
        if (plan_selects_by_tags_only(VEC_GET(const struct ir_plan, m->plans, i)))
            return true;
    return false;
}

static void emit_notes(struct manifest *m, cJSON *obj, const struct account_view *av)
{
    bool settings = !av->acc || av->management;
    if (!settings || m->plans.len == 0)
        return;
    cJSON *notes = json_add_array(&m->doc, obj, "notes");
    if (av->management)
        json_add_string(&m->doc, notes, NULL,
                        "for plans created by backup policies AWS Backup uses the management account's "
                        "resource type opt-in settings, not the member accounts'");
    else
        json_add_string(&m->doc, notes, NULL,
                        "for plans created by backup policies AWS Backup uses the management account's "
                        "resource type opt-in settings: set the same resource_type_opt_in there");
    if (any_plan_by_tags_only(m))
        json_add_string(&m->doc, notes, NULL,
                        "a plan selects by tags only, so AWS Backup backs up only opted-in resource "
                        "types: every resource type is listed");
    if (!slr(m))
        json_add_string(&m->doc, notes, NULL,
                        "the service-linked role, the service principal and the key-policy principals are "
                        "not listed: they come from import \"std/aws\"");
}

/* The vaults of `h` in each region, in the order of h->vaults: one pass
 * over the vaults' regions, so each region's row finds its vaults without
 * asking every vault of the account. */
static void index_vaults_by_region(struct manifest *m, const struct holdings *h)
{
    for (size_t i = 0; i < h->vaults.len; i++) {
        const struct ir_vault *v = VEC_GET(const struct ir_vault, h->vaults, i);
        const struct vault_place *p = find_place(m, v);
        for (size_t j = 0; j < p->regions.len; j++) {
            bool fresh;
            struct vec *there = ptrset_memo(m->a, &m->memo, MEMO_ACCOUNT_VAULTS, h, p->regions.items[j],
                                            sizeof *there, &fresh);
            if (!there->len || there->items[there->len - 1] != v) /* a region listed twice */
                vec_push(m->a, there, (void *)v);
        }
    }
}

/* The same for its notifications, restore tests and frameworks. */
static void index_ops_by_region(struct manifest *m, const struct holdings *h)
{
    for (size_t i = 0; i < h->ops.len; i++) {
        struct op_place *p = h->ops.items[i];
        struct ptrset seen = {0};
        for (size_t j = 0; j < p->regions.len; j++) {
            if (!ptrset_add(m->a, &seen, p->regions.items[j]))
                continue; /* a region listed twice */
            bool fresh;
            struct vec *there = ptrset_memo(m->a, &m->memo, MEMO_ACCOUNT_OPS, h, p->regions.items[j],
                                            sizeof *there, &fresh);
            vec_push(m->a, there, p);
        }
    }
}

static void emit_account(struct manifest *m, cJSON *list, struct account_view *av)
{
    view_regions(m, av);
    index_vaults_by_region(m, holdings_for(m, av->acc));
    index_ops_by_region(m, holdings_for(m, av->acc));
    const char *account = av->acc ? av->acc->id : MEMBERS_ACCOUNT;
    const char *partition = partition_of(&av->regions);
    cJSON *obj = json_add_object(&m->doc, list, NULL);
    json_add_string(&m->doc, obj, "account", account);
    json_add_string(&m->doc, obj, "name", av->acc ? av->acc->d.name : "members");
    json_add_string(&m->doc, obj, "partition", partition);
    cJSON *purposes = json_add_array(&m->doc, obj, "purposes");
    if (!av->acc)
        json_add_string(&m->doc, purposes, NULL, "receives_policies");
    if (av->owns_vaults)
        json_add_string(&m->doc, purposes, NULL, "owns_vaults");
    if (av->owns_keys)
        json_add_string(&m->doc, purposes, NULL, "owns_keys");
    if (av->management)
        json_add_string(&m->doc, purposes, NULL, "management");
    emit_slr(m, obj, av, partition, account);
    if (!av->acc) {
        cJSON *roles = json_add_array(&m->doc, obj, "iam_roles");
        for (size_t i = 0; i < m->roles.len; i++)
            emit_role(m, roles, VEC_GET(const struct role_use, m->roles, i));
    }
    cJSON *regions = json_add_array(&m->doc, obj, "regions");
    for (size_t i = 0; i < av->regions.len; i++)
        emit_account_region(m, regions, av, VEC_GET(const struct ir_region, av->regions, i));
    emit_notes(m, obj, av);
}

static bool account_listed(struct manifest *m, const struct ir_account *acc)
{
    if (m->prog->org.management == acc)
        return true;
    const struct holdings *h = holdings_for(m, acc);
    return h->places.len > 0 || h->owns_keys || h->ops.len > 0;
}

static void emit_accounts(struct manifest *m, cJSON *root)
{
    cJSON *list = json_add_array(&m->doc, root, "accounts");
    struct account_view members = {0};
    emit_account(m, list, &members);
    for (size_t i = 0; i < m->prog->accounts.len; i++) {
        const struct ir_account *acc = VEC_GET(const struct ir_account, m->prog->accounts, i);
        if (!acc->id || !account_listed(m, acc))
            continue;
        struct account_view av = {.acc = acc, .management = m->prog->org.management == acc};
        emit_account(m, list, &av);
    }
}

/* ---- organization ------------------------------------------------- */

static bool any_cross_account_copy(const struct manifest *m)
{
    for (size_t i = 0; i < m->plans.len; i++) {
        const struct ir_plan *plan = VEC_GET(const struct ir_plan, m->plans, i);
        for (size_t j = 0; j < plan->rules.len; j++) {
            const struct ir_rule *rule = VEC_GET(const struct ir_rule, plan->rules, j);
            for (size_t k = 0; rule->vault && k < rule->copies.len; k++) {
                const struct ir_copy *c = VEC_GET(const struct ir_copy, rule->copies, k);
                if (c->target && ir_copy_cross_account(rule->vault, c->target))
                    return true;
            }
        }
    }
    return false;
}

static const char *target_type(enum target_kind k)
{
    static const char *const types[] = {[TARGET_ROOT] = "ROOT", [TARGET_OU] = "ORGANIZATIONAL_UNIT",
                                        [TARGET_ACCOUNT] = "ACCOUNT"};
    return types[k];
}

static void emit_policy_entry(struct manifest *m, cJSON *list, const struct ir_policy *pol)
{
    cJSON *obj = json_add_object(&m->doc, list, NULL);
    json_add_string(&m->doc, obj, "name", pol->d.name);
    json_add_string(&m->doc, obj, "file", arena_printf(m->a, "%s.json", pol->d.name));
    json_add_string(&m->doc, obj, "type", "BACKUP_POLICY");
    if (pol->description.s)
        json_add_string(&m->doc, obj, "description", pol->description.s);
    cJSON *plans = json_add_array(&m->doc, obj, "plans");
    for (size_t i = 0; i < pol->plans.len; i++)
        json_add_string(&m->doc, plans, NULL, VEC_GET(const struct ir_plan, pol->plans, i)->d.name);
    cJSON *targets = json_add_array(&m->doc, obj, "targets");
    for (size_t i = 0; i < pol->attach.len; i++) {
        const struct ir_target *t = VEC_GET(const struct ir_target, pol->attach, i);
        cJSON *to = json_add_object(&m->doc, targets, NULL);
        json_add_string(&m->doc, to, "type", target_type(t->kind));
        if (t->id)
            json_add_string(&m->doc, to, "id", t->id);
        if (t->decl && t->decl->name)
            json_add_string(&m->doc, to, "name", t->decl->name);
    }
}

static void emit_organization(struct manifest *m, cJSON *root)
{
    const struct ir_org *org = &m->prog->org;
    cJSON *obj = json_add_object(&m->doc, root, "organization");
    if (org->id.s)
        json_add_string(&m->doc, obj, "id", org->id.s);
    if (org->management) {
        cJSON *mgmt = json_add_object(&m->doc, obj, "management_account");
        json_add_string(&m->doc, mgmt, "name", org->management->d.name);
        if (org->management->id)
            json_add_string(&m->doc, mgmt, "id", org->management->id);
    }
    cJSON *trusted = json_add_array(&m->doc, obj, "trusted_service_access");
    if (backup_service(m))
        json_add_string(&m->doc, trusted, NULL, backup_service(m));
    json_add_string(&m->doc, json_add_array(&m->doc, obj, "enabled_policy_types"), NULL, "BACKUP_POLICY");
    json_add_bool(&m->doc, obj, "cross_account_backup", any_cross_account_copy(m));
    cJSON *list = json_add_array(&m->doc, obj, "policies");
    for (size_t i = 0; i < m->prog->policies.len; i++)
        emit_policy_entry(m, list, VEC_GET(const struct ir_policy, m->prog->policies, i));
}

struct cJSON *emit_manifest(struct obc *cc, const struct ir_program *prog)
{
    struct manifest m = {.cc = cc, .a = &cc->arena, .prog = prog};
    collect_plans(&m);
    place_op_vaults(&m);
    collect_roles(&m);
    key_uses(cc, prog, &m.uses);
    index_holdings(&m);
    index_ops(&m);
    cJSON *root = json_doc_init(&m.doc, m.a);
    json_add_int(&m.doc, root, "manifest_version", MANIFEST_VERSION);
    emit_organization(&m, root);
    emit_accounts(&m, root);
    emit_keys(&m, root);
    return root;
}
