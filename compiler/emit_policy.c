/*
 * emit_policy.c - one `policy` of the IR as a BACKUP_POLICY document.
 *
 * Owns: the AWS syntax of a compiled policy (spec sections 1.2-1.6,
 * language.md section 5): top-level "plans"; every leaf wrapped in its
 * operator, {"@@assign": value}, or for the lists written with += and -=
 * {"@@append": [...]} and {"@@remove": [...]}; child controls as the
 * first key "@@operators_allowed_for_child_policies" of their node, which
 * is created for them when it holds no value; numbers as decimal strings,
 * booleans as JSON booleans; copy-action keys equal to their
 * target_backup_vault_arn; only what a partial plan (or a policy
 * document) says; and a fixed key order (program order of plans, rules,
 * tags, selections), so the same program always gives the same bytes.
 * With a location map (emit_policy_located) every item it creates is
 * mapped to the IR location that produced it.
 *
 * Does not: check anything (the checks ran on the IR before emission and
 * emission runs only when they were clean), print, or look at the AST.
 * Names AWS takes from the program (plans, rules, selection entries) are
 * written as the IR has them; the ids obc invents (tag ids, condition
 * names) are made unique here, ignoring case because AWS lowercases keys.
 */
#include "emit.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ID_CHARS 128 /* identifier keys: tag ids, condition names */

struct emitter {
    struct arena *a;
    struct json_doc doc;
    bool measuring; /* errors were reported: the document is only measured (emit_size.c), never written */
    bool document;  /* a policy document (ir_policy.document), which may lack keys a complete
                       policy has */
    bool partial;   /* the plan being written is a document's or has partial = true: what it
                       does not say is left out, not written empty */
    struct ptrset *locs; /* emit_policy_located: cJSON* -> struct loc*; NULL: no map */
};

/* Maps `item` to `loc` (emit_policy_located). */
static cJSON *at(struct emitter *e, cJSON *item, struct loc loc)
{
    if (e->locs) {
        struct loc *l = arena_alloc(e->a, sizeof *l);
        *l = loc;
        bool added;
        *ptrset_put(e->a, e->locs, 0, item, NULL, &added) = l;
    }
    return item;
}

/* An object made by the IR block at `loc`. */
static cJSON *object(struct emitter *e, cJSON *parent, const char *key, struct loc loc)
{
    return at(e, json_add_object(&e->doc, parent, key), loc);
}

/* ---- leaves ------------------------------------------------------- */

static const char *const op_key[] = {
    [IR_OP_ASSIGN] = "@@assign",
    [IR_OP_APPEND] = "@@append",
    [IR_OP_REMOVE] = "@@remove",
};

static void assign_string(struct emitter *e, cJSON *parent, const char *key, const char *v, struct loc loc)
{
    at(e, json_add_string(&e->doc, object(e, parent, key, loc), "@@assign", v), loc);
}

static void assign_bool(struct emitter *e, cJSON *parent, const char *key, bool v, struct loc loc)
{
    at(e, json_add_bool(&e->doc, object(e, parent, key, loc), "@@assign", v), loc);
}

/* A count AWS accepts from lo to hi. The checks report every value
 * outside its range as an error (OB3010-OB3012, OB4001), and a document
 * built after an error is only measured, never written; so a value out
 * of range in a document to be written is a bug in obc: stop rather than
 * write a document AWS would reject. */
static void assign_number(struct emitter *e, cJSON *parent, const char *key, const struct ir_num *n, int64_t lo,
                          int64_t hi)
{
    if ((n->v < lo || n->v > hi) && !e->measuring)
        abort();
    assign_string(e, parent, key, arena_printf(e->a, "%" PRId64, n->v), n->loc);
}

/* parent[key] = {"@@assign" | "@@append" | "@@remove": [values]} */
static void list_with_op(struct emitter *e, cJSON *parent, const char *key, const struct vec *values,
                         enum ir_list_op op, struct loc loc)
{
    cJSON *list = at(e, json_add_strings(&e->doc, object(e, parent, key, loc), op_key[op], values), loc);
    for (cJSON *c = list->child; c && e->locs; c = c->next)
        at(e, c, loc);
}

static void assign_enabled(struct emitter *e, cJSON *parent, const char *key, const struct ir_flag *f)
{
    assign_string(e, parent, key, f->v ? "enabled" : "disabled", f->loc);
}

/* ---- child controls ------------------------------------------------ */

/* The keys a selection entry of each kind has: a control of a selection
 * names a node of the entries that can hold it. */
static bool entry_has_key(bool resources, const char *key)
{
    static const char *const tags_only[] = {"tag_key", "tag_value"};
    static const char *const resources_only[] = {"resource_types", "not_resource_types"};
    const char *const *other = resources ? tags_only : resources_only;
    return strcmp(key, other[0]) != 0 && strcmp(key, other[1]) != 0;
}

/* Each control of `controls` on its node under `node` (struct
 * ir_control*; the paths are a few fixed keys deep, and each key is
 * looked up among the few fixed keys of one node). `entry`: the node is
 * a selection entry, of resources or not. */
static void emit_controls(struct emitter *e, cJSON *node, const struct vec *controls, int entry)
{
    for (size_t i = 0; i < controls->len; i++) {
        const struct ir_control *c = VEC_GET(const struct ir_control, *controls, i);
        if (entry >= 0 && c->path.len && !entry_has_key(entry == 1, VEC_GET(const char, c->path, 0)))
            continue;
        cJSON *n = node;
        for (size_t k = 0; k < c->path.len; k++) {
            const char *key = VEC_GET(const char, c->path, k);
            cJSON *child = cJSON_GetObjectItemCaseSensitive(n, key);
            n = child ? child : object(e, n, key, c->loc); /* a node that holds only the control */
        }
        cJSON *list = at(e, json_add_array_first(&e->doc, n, "@@operators_allowed_for_child_policies"), c->loc);
        if (c->all)
            at(e, json_add_string(&e->doc, list, NULL, "@@all"), c->loc);
        else if (c->allowed == 0)
            at(e, json_add_string(&e->doc, list, NULL, "@@none"), c->loc);
        for (unsigned bit = IR_CHILD_ASSIGN, o = IR_OP_ASSIGN; !c->all && bit <= IR_CHILD_REMOVE; bit <<= 1, o++)
            if (c->allowed & bit)
                at(e, json_add_string(&e->doc, list, NULL, op_key[o]), c->loc);
    }
}

/* ---- invented identifiers ----------------------------------------- */

/* The first `max` characters (code points) of s. */
static const char *first_chars(struct arena *a, const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        bool starts_char = ((unsigned char)s[i] & 0xC0) != 0x80;
        if (starts_char && chars++ == max)
            break;
    }
    return s[i] ? arena_strndup(a, s, i) : s;
}

/* The keys of one JSON object, compared ignoring case (AWS lowercases
 * the keys of a policy), and per base the suffix to try next, so that a
 * map with many entries of one base stays linear. */
struct id_set {
    struct strmap used;      /* id -> itself */
    struct strmap next;      /* base -> unsigned*: the next suffix number */
};

static void id_set_init(struct id_set *ids)
{
    *ids = (struct id_set){.used = {.fold = true}, .next = {.fold = true}};
}

/* A key derived from `base` and not yet in `ids` (which now holds it): at
 * most MAX_ID_CHARS characters, never starting with "@@" (reserved for
 * operators); when taken, "-2", "-3", ... is appended (the smallest free
 * one: suffixes of one base are only ever taken in increasing order). */
static const char *unique_id(struct emitter *e, struct id_set *ids, const char *base)
{
    if (!base[0])
        base = "tag";
    else if (strncmp(base, "@@", 2) == 0)
        base = arena_printf(e->a, "tag-%s", base);
    const char *id = first_chars(e->a, base, MAX_ID_CHARS);
    if (!strmap_put_new(e->a, &ids->used, id, (void *)id))
        return id;
    unsigned *n = strmap_get(&ids->next, base);
    if (!n) {
        n = arena_alloc(e->a, sizeof *n);
        *n = 2;
        strmap_put_new(e->a, &ids->next, base, n);
    }
    do {
        const char *suffix = arena_printf(e->a, "-%u", (*n)++);
        id = arena_printf(e->a, "%s%s", first_chars(e->a, base, MAX_ID_CHARS - strlen(suffix)),
                          suffix);
    } while (strmap_put_new(e->a, &ids->used, id, (void *)id));
    return id;
}

/* ---- tags and lifecycles ------------------------------------------ */

/* {"<key in lower case>": {"tag_key": ..., "tag_value": ...}, ...}; an
 * empty map written as such (`tags = {}`, or {} in a document) stays {}. */
static void emit_tags(struct emitter *e, cJSON *parent, const char *key, const struct vec *tags,
                      const struct ir_attr *attr)
{
    if (tags->len == 0 && attr->state != IR_SET)
        return;
    cJSON *map = object(e, parent, key, attr->loc);
    struct id_set ids;
    id_set_init(&ids);
    for (size_t i = 0; i < tags->len; i++) {
        const struct ir_tag *t = VEC_GET(const struct ir_tag, *tags, i);
        cJSON *entry = object(e, map, unique_id(e, &ids, arena_strdup_lower(e->a, t->key)), t->loc);
        assign_string(e, entry, "tag_key", t->key, t->loc);
        assign_string(e, entry, "tag_value", t->value, t->loc);
    }
}

static bool lifecycle_set(const struct ir_lifecycle *lc)
{
    return lc->cold_after.state == IR_SET || lc->delete_after.state == IR_SET || lc->archive.state == IR_SET;
}

/* `loc`: the rule or copy the lifecycle belongs to. */
static void emit_lifecycle(struct emitter *e, cJSON *parent, const struct ir_lifecycle *lc, struct loc loc)
{
    if (!lifecycle_set(lc))
        return;
    cJSON *obj = object(e, parent, "lifecycle", loc);
    if (lc->cold_after.state == IR_SET)
        assign_number(e, obj, "move_to_cold_storage_after_days", &lc->cold_after, 0,
                      AWS_RETENTION_MAX_DAYS); /* no documented minimum [B2]: 0 is OB4042's warning */
    if (lc->delete_after.state == IR_SET)
        assign_number(e, obj, "delete_after_days", &lc->delete_after, 1, AWS_RETENTION_MAX_DAYS);
    if (lc->archive.state == IR_SET)
        assign_bool(e, obj, "opt_in_to_archive_for_supported_resources", lc->archive.v, lc->archive.loc);
}

/* ---- rules -------------------------------------------------------- */

/* Copy-action keys of one rule are distinct, case ignored (sema reports
 * OB2006/OB8006 otherwise). */
static void emit_copy(struct emitter *e, cJSON *copies, const struct ir_plan *plan, const struct ir_copy *copy)
{
    const char *arn = copy->written_arn ? copy->written_arn : vault_arn(e->a, copy->target, copy_region(plan, copy));
    cJSON *action = object(e, copies, arn, copy->loc);
    assign_string(e, action, "target_backup_vault_arn", arn, copy->target_loc);
    emit_lifecycle(e, action, &copy->lc, copy->loc);
    emit_controls(e, action, &copy->controls, -1);
}

/* The names a list of resource types has in scan_settings or
 * index_actions (the std's scan_name, index_name; the checks reported
 * every type without one). */
static void emit_type_names(struct emitter *e, cJSON *parent, const struct vec *types, bool scan,
                            enum ir_list_op op, struct loc loc)
{
    struct vec names = {0};
    for (size_t i = 0; i < types->len; i++) {
        const struct ir_restype *t = VEC_GET(const struct ir_restype, *types, i);
        const char *n = scan ? t->scan_name : t->index_name;
        if (n)
            vec_push(e->a, &names, (void *)n);
    }
    list_with_op(e, parent, "resource_types", &names, op, loc);
}

/* index_actions and scan_actions (GUARDDUTY, the only scanner) [S1, B6]. */
static void emit_scan_index(struct emitter *e, cJSON *obj, const struct ir_rule *rule)
{
    if (rule->index_at.state == IR_SET)
        emit_type_names(e, object(e, obj, "index_actions", rule->loc), &rule->index_types, false, rule->index_op,
                        rule->index_at.loc);
    if (rule->scan != SCAN_NONE) {
        cJSON *scanner = object(e, object(e, obj, "scan_actions", rule->loc), "GUARDDUTY", rule->loc);
        assign_string(e, scanner, "scan_mode", rule->scan == SCAN_FULL ? "FULL_SCAN" : "INCREMENTAL_SCAN",
                      rule->scan_at.loc);
    }
}

static void emit_rule(struct emitter *e, cJSON *rules, const struct ir_plan *plan,
                      const struct ir_rule *rule)
{
    cJSON *obj = object(e, rules, ir_rule_name(rule), rule->loc);
    if (rule->cron)
        assign_string(e, obj, "schedule_expression", rule->cron, rule->schedule_at.loc);
    if (rule->start_within.state == IR_SET)
        assign_number(e, obj, "start_backup_window_minutes", &rule->start_within, AWS_START_WINDOW_MIN,
                      AWS_WINDOW_MAX);
    if (rule->complete_within.state == IR_SET)
        assign_number(e, obj, "complete_backup_window_minutes", &rule->complete_within, 1, AWS_WINDOW_MAX);
    if (rule->continuous.state == IR_SET)
        assign_bool(e, obj, "enable_continuous_backup", rule->continuous.v, rule->continuous.loc);
    emit_lifecycle(e, obj, &rule->lc, rule->loc);
    if (rule->vault)
        assign_string(e, obj, "target_backup_vault_name", rule->vault->aws_name.s, rule->vault_at.loc);
    if (rule->air_gapped_vault)
        assign_string(e, obj, "target_logically_air_gapped_backup_vault_arn",
                      air_gapped_vault_arn(e->a, rule->air_gapped_vault, plan_partition(plan)),
                      rule->air_gapped_at.loc);
    emit_tags(e, obj, "recovery_point_tags", &rule->tags, &rule->tags_at);
    emit_scan_index(e, obj, rule);
    if (rule->copies.len) {
        cJSON *copies = object(e, obj, "copy_actions", rule->loc);
        for (size_t i = 0; i < rule->copies.len; i++)
            emit_copy(e, copies, plan, VEC_GET(const struct ir_copy, rule->copies, i));
    }
    emit_controls(e, obj, &rule->controls, -1);
}

/* ---- selections --------------------------------------------------- */

static const char *const cond_op_key[] = {
    [COND_EQUALS] = "string_equals",
    [COND_NOT_EQUALS] = "string_not_equals",
    [COND_LIKE] = "string_like",
    [COND_NOT_LIKE] = "string_not_like",
};

static void emit_condition_op(struct emitter *e, cJSON *conds, const struct ir_sel_entry *en, enum cond_op op)
{
    cJSON *map = NULL;
    struct id_set ids;
    id_set_init(&ids);
    for (size_t i = 0; i < en->conditions.len; i++) {
        const struct ir_condition *c = VEC_GET(const struct ir_condition, en->conditions, i);
        if (c->op != op)
            continue;
        if (!map)
            map = object(e, conds, cond_op_key[op], en->loc);
        cJSON *entry = object(e, map, unique_id(e, &ids, c->tag_key), c->loc);
        assign_string(e, entry, "condition_key", arena_printf(e->a, "aws:ResourceTag/%s", c->tag_key), c->loc);
        assign_string(e, entry, "condition_value", c->value, c->loc);
    }
}

static void emit_conditions(struct emitter *e, cJSON *parent, const struct ir_sel_entry *en)
{
    if (en->conditions.len == 0)
        return;
    cJSON *conds = object(e, parent, "conditions", en->loc);
    for (enum cond_op op = COND_EQUALS; op <= COND_NOT_LIKE; op++)
        emit_condition_op(e, conds, en, op);
}

/* Every ARN pattern of every type, once each, in order (aurora,
 * documentdb and neptune share one pattern). */
static void emit_restypes(struct emitter *e, cJSON *parent, const char *key, const struct vec *types,
                          const char *partition, enum ir_list_op op, struct loc loc)
{
    struct vec arns = {0};
    struct strmap seen = {0}; /* the strings of `arns` */
    for (size_t i = 0; i < types->len; i++) {
        const struct ir_restype *t = VEC_GET(const struct ir_restype, *types, i);
        for (size_t j = 0; j < t->arns.len; j++) {
            const char *arn = restype_arn(e->a, VEC_GET(const char, t->arns, j), partition);
            if (!strmap_put_new(e->a, &seen, arn, (void *)arn))
                vec_push(e->a, &arns, (void *)arn);
        }
    }
    list_with_op(e, parent, key, &arns, op, loc);
}

static void emit_resources_entry(struct emitter *e, cJSON *map, const struct ir_selection *sel,
                                 const struct ir_sel_entry *en, const char *role, const char *partition)
{
    cJSON *obj = object(e, map, en->name, en->loc);
    if (role)
        assign_string(e, obj, "iam_role_arn", role, sel->role_at.loc);
    if (en->type_arns.len)
        list_with_op(e, obj, "resource_types", &en->type_arns, en->types_op, en->loc);
    else if (en->types.len || !e->partial)
        emit_restypes(e, obj, "resource_types", &en->types, partition, en->types_op, en->loc);
    if (en->not_type_arns.len)
        list_with_op(e, obj, "not_resource_types", &en->not_type_arns, en->not_types_op, en->loc);
    else if (en->not_types.len)
        emit_restypes(e, obj, "not_resource_types", &en->not_types, partition, en->not_types_op, en->loc);
    emit_conditions(e, obj, en);
    emit_controls(e, obj, &sel->controls, 1);
}

static void emit_tags_entry(struct emitter *e, cJSON *map, const struct ir_selection *sel,
                            const struct ir_sel_entry *en, const char *role)
{
    cJSON *obj = object(e, map, en->name, en->loc);
    if (role)
        assign_string(e, obj, "iam_role_arn", role, sel->role_at.loc);
    if (en->tag_key || !e->partial)
        assign_string(e, obj, "tag_key", en->tag_key ? en->tag_key : "", en->loc);
    if (en->tag_values.len || !e->partial)
        list_with_op(e, obj, "tag_value", &en->tag_values, en->tag_values_op, en->loc);
    emit_conditions(e, obj, en);
    emit_controls(e, obj, &sel->controls, 0);
}

static void emit_selections(struct emitter *e, cJSON *plan_obj, const struct ir_plan *plan)
{
    const char *partition = plan_partition(plan);
    cJSON *sels = object(e, plan_obj, "selections", plan->d.loc);
    cJSON *tags = NULL, *resources = NULL;
    for (size_t i = 0; i < plan->selections.len; i++) {
        const struct ir_selection *sel = VEC_GET(const struct ir_selection, plan->selections, i);
        const char *role = sel->role ? role_arn(e->a, sel->role, partition) : e->partial ? NULL : "";
        for (size_t j = 0; j < sel->entries.len; j++) {
            const struct ir_sel_entry *en = VEC_GET(const struct ir_sel_entry, sel->entries, j);
            if (en->resources) {
                if (!resources)
                    resources = object(e, sels, "resources", plan->d.loc);
                emit_resources_entry(e, resources, sel, en, role, partition);
            } else {
                if (!tags)
                    tags = object(e, sels, "tags", plan->d.loc);
                emit_tags_entry(e, tags, sel, en, role);
            }
        }
    }
}

/* ---- plans -------------------------------------------------------- */

static void emit_regions(struct emitter *e, cJSON *plan_obj, const struct ir_plan *plan)
{
    struct vec names = {0};
    for (size_t i = 0; i < plan->regions.len; i++)
        vec_push(e->a, &names, (void *)VEC_GET(const struct ir_region, plan->regions, i)->d.name);
    list_with_op(e, plan_obj, "regions", &names, plan->regions_op, plan->regions_at.loc);
}

static void emit_advanced(struct emitter *e, cJSON *plan_obj, const struct ir_plan *plan)
{
    bool s3 = plan->s3_backup_acls.state == IR_SET || plan->s3_backup_object_tags.state == IR_SET;
    if (plan->windows_vss.state != IR_SET && !s3)
        return;
    cJSON *adv = object(e, plan_obj, "advanced_backup_settings", plan->d.loc);
    if (plan->windows_vss.state == IR_SET)
        assign_enabled(e, object(e, adv, "ec2", plan->d.loc), "windows_vss", &plan->windows_vss);
    if (s3) {
        cJSON *obj = object(e, adv, "s3", plan->d.loc);
        if (plan->s3_backup_acls.state == IR_SET)
            assign_enabled(e, obj, "backup_acls", &plan->s3_backup_acls);
        if (plan->s3_backup_object_tags.state == IR_SET)
            assign_enabled(e, obj, "backup_object_tags", &plan->s3_backup_object_tags);
    }
}

/* scan_settings.GUARDDUTY: a complete plan has both keys or neither
 * (OB2004); a partial plan writes the one it says. */
static void emit_scan_settings(struct emitter *e, cJSON *obj, const struct ir_plan *plan)
{
    bool types = plan->scan_types_at.state == IR_SET, role = plan->scan_role != NULL;
    if (e->partial ? !types && !role : !role)
        return;
    cJSON *scanner = object(e, object(e, obj, "scan_settings", plan->d.loc), "GUARDDUTY", plan->d.loc);
    if (types || !e->partial)
        emit_type_names(e, scanner, &plan->scan_types, true, plan->scan_types_op, plan->scan_types_at.loc);
    if (role)
        assign_string(e, scanner, "scanner_role_arn", role_arn(e->a, plan->scan_role, plan_partition(plan)),
                      plan->scan_role_at.loc);
}

static void emit_plan(struct emitter *e, cJSON *plans, const struct ir_plan *plan)
{
    e->partial = e->document || plan->partial;
    cJSON *obj = object(e, plans, ir_plan_name(plan), plan->d.loc);
    if (plan->regions_at.state != IR_ABSENT || !e->partial)
        emit_regions(e, obj, plan);
    if (plan->rules.len || !e->partial) {
        cJSON *rules = object(e, obj, "rules", plan->d.loc);
        for (size_t i = 0; i < plan->rules.len; i++)
            emit_rule(e, rules, plan, VEC_GET(const struct ir_rule, plan->rules, i));
    }
    if (plan->select_at.state != IR_ABSENT || !e->partial)
        emit_selections(e, obj, plan);
    emit_advanced(e, obj, plan);
    emit_tags(e, obj, "backup_plan_tags", &plan->tags, &plan->tags_at);
    emit_scan_settings(e, obj, plan);
    emit_controls(e, obj, &plan->controls, -1);
}

struct cJSON *emit_policy_located(struct obc *cc, const struct ir_policy *pol, struct ptrset *locs)
{
    struct emitter e = {
        .a = &cc->arena, .measuring = cc->diag.errors != 0, .document = pol->document, .locs = locs};
    cJSON *root = at(&e, json_doc_init(&e.doc, e.a), pol->d.loc);
    cJSON *plans = object(&e, root, "plans", pol->d.loc);
    for (size_t i = 0; i < pol->plans.len; i++)
        emit_plan(&e, plans, VEC_GET(const struct ir_plan, pol->plans, i));
    emit_controls(&e, root, &pol->controls, -1);
    return root;
}

struct cJSON *emit_policy(struct obc *cc, const struct ir_policy *pol)
{
    return emit_policy_located(cc, pol, NULL);
}
