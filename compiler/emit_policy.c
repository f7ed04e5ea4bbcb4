/*
 * emit_policy.c - one `policy` of the IR as a BACKUP_POLICY document.
 *
 * Owns: the AWS syntax of a compiled policy (spec sections 1.2-1.6,
 * language.md section 5): top-level "plans"; every leaf wrapped as
 * {"@@assign": value}; numbers as decimal strings, booleans as JSON
 * booleans; copy-action keys equal to their target_backup_vault_arn; and
 * a fixed key order (program order of plans, rules, tags, selections),
 * so the same program always gives the same bytes.
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
    bool partial;   /* a policy document (ir_policy.document), which may lack keys a complete
                       policy has: what it does not say is left out, not written empty */
};

/* ---- leaves ------------------------------------------------------- */

/* parent[key] = {"@@assign": ...}; returns the operator object. */
static cJSON *assign_node(struct emitter *e, cJSON *parent, const char *key)
{
    return json_add_object(&e->doc, parent, key);
}

static void assign_string(struct emitter *e, cJSON *parent, const char *key, const char *v)
{
    json_add_string(&e->doc, assign_node(e, parent, key), "@@assign", v);
}

static void assign_bool(struct emitter *e, cJSON *parent, const char *key, bool v)
{
    json_add_bool(&e->doc, assign_node(e, parent, key), "@@assign", v);
}

/* A count AWS accepts from lo to hi. The checks report every value
 * outside its range as an error (OB3010-OB3012, OB4001), and a document
 * built after an error is only measured, never written; so a value out
 * of range in a document to be written is a bug in obc: stop rather than
 * write a document AWS would reject. */
static void assign_number(struct emitter *e, cJSON *parent, const char *key, int64_t v, int64_t lo, int64_t hi)
{
    if ((v < lo || v > hi) && !e->measuring)
        abort();
    assign_string(e, parent, key, arena_printf(e->a, "%" PRId64, v));
}

static void assign_strings(struct emitter *e, cJSON *parent, const char *key,
                           const struct vec *values)
{
    json_add_strings(&e->doc, assign_node(e, parent, key), "@@assign", values);
}

static void assign_enabled(struct emitter *e, cJSON *parent, const char *key, bool v)
{
    assign_string(e, parent, key, v ? "enabled" : "disabled");
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
                      const struct ir_attr *at)
{
    if (tags->len == 0 && at->state != IR_SET)
        return;
    cJSON *map = json_add_object(&e->doc, parent, key);
    struct id_set ids;
    id_set_init(&ids);
    for (size_t i = 0; i < tags->len; i++) {
        const struct ir_tag *t = VEC_GET(const struct ir_tag, *tags, i);
        cJSON *entry = json_add_object(&e->doc, map, unique_id(e, &ids, arena_strdup_lower(e->a, t->key)));
        assign_string(e, entry, "tag_key", t->key);
        assign_string(e, entry, "tag_value", t->value);
    }
}

static bool lifecycle_set(const struct ir_lifecycle *lc)
{
    return lc->cold_after.state == IR_SET || lc->delete_after.state == IR_SET || lc->archive.state == IR_SET;
}

static void emit_lifecycle(struct emitter *e, cJSON *parent, const struct ir_lifecycle *lc)
{
    if (!lifecycle_set(lc))
        return;
    cJSON *obj = json_add_object(&e->doc, parent, "lifecycle");
    if (lc->cold_after.state == IR_SET)
        assign_number(e, obj, "move_to_cold_storage_after_days", lc->cold_after.v, 0,
                      AWS_RETENTION_MAX_DAYS); /* no documented minimum [B2]: 0 is OB4042's warning */
    if (lc->delete_after.state == IR_SET)
        assign_number(e, obj, "delete_after_days", lc->delete_after.v, 1, AWS_RETENTION_MAX_DAYS);
    if (lc->archive.state == IR_SET)
        assign_bool(e, obj, "opt_in_to_archive_for_supported_resources", lc->archive.v);
}

/* ---- rules -------------------------------------------------------- */

/* Copy-action keys of one rule are distinct, case ignored (sema reports
 * OB2006/OB8006 otherwise). */
static void emit_copy(struct emitter *e, cJSON *copies, const struct ir_plan *plan, const struct ir_copy *copy)
{
    const char *arn = copy->written_arn ? copy->written_arn : vault_arn(e->a, copy->target, copy_region(plan, copy));
    cJSON *action = json_add_object(&e->doc, copies, arn);
    assign_string(e, action, "target_backup_vault_arn", arn);
    emit_lifecycle(e, action, &copy->lc);
}

/* The names a list of resource types has in scan_settings or
 * index_actions (the std's scan_name, index_name; the checks reported
 * every type without one). */
static void emit_type_names(struct emitter *e, cJSON *parent, const struct vec *types, bool scan)
{
    struct vec names = {0};
    for (size_t i = 0; i < types->len; i++) {
        const struct ir_restype *t = VEC_GET(const struct ir_restype, *types, i);
        const char *n = scan ? t->scan_name : t->index_name;
        if (n)
            vec_push(e->a, &names, (void *)n);
    }
    assign_strings(e, parent, "resource_types", &names);
}

/* index_actions and scan_actions (GUARDDUTY, the only scanner) [S1, B6]. */
static void emit_scan_index(struct emitter *e, cJSON *obj, const struct ir_rule *rule)
{
    if (rule->index_at.state == IR_SET)
        emit_type_names(e, json_add_object(&e->doc, obj, "index_actions"), &rule->index_types, false);
    if (rule->scan != SCAN_NONE) {
        cJSON *scanner = json_add_object(&e->doc, json_add_object(&e->doc, obj, "scan_actions"), "GUARDDUTY");
        assign_string(e, scanner, "scan_mode", rule->scan == SCAN_FULL ? "FULL_SCAN" : "INCREMENTAL_SCAN");
    }
}

static void emit_rule(struct emitter *e, cJSON *rules, const struct ir_plan *plan,
                      const struct ir_rule *rule)
{
    cJSON *obj = json_add_object(&e->doc, rules, ir_rule_name(rule));
    if (rule->cron)
        assign_string(e, obj, "schedule_expression", rule->cron);
    if (rule->start_within.state == IR_SET)
        assign_number(e, obj, "start_backup_window_minutes", rule->start_within.v, AWS_START_WINDOW_MIN,
                      AWS_WINDOW_MAX);
    if (rule->complete_within.state == IR_SET)
        assign_number(e, obj, "complete_backup_window_minutes", rule->complete_within.v, 1,
                      AWS_WINDOW_MAX);
    if (rule->continuous.state == IR_SET)
        assign_bool(e, obj, "enable_continuous_backup", rule->continuous.v);
    emit_lifecycle(e, obj, &rule->lc);
    if (rule->vault)
        assign_string(e, obj, "target_backup_vault_name",
                      rule->vault->aws_name.s);
    if (rule->air_gapped_vault)
        assign_string(e, obj, "target_logically_air_gapped_backup_vault_arn",
                      air_gapped_vault_arn(e->a, rule->air_gapped_vault, plan_partition(plan)));
    emit_tags(e, obj, "recovery_point_tags", &rule->tags, &rule->tags_at);
    emit_scan_index(e, obj, rule);
    if (rule->copies.len) {
        cJSON *copies = json_add_object(&e->doc, obj, "copy_actions");
        for (size_t i = 0; i < rule->copies.len; i++)
            emit_copy(e, copies, plan, VEC_GET(const struct ir_copy, rule->copies, i));
    }
}

/* ---- selections --------------------------------------------------- */

static const char *const cond_op_key[] = {
    [COND_EQUALS] = "string_equals",
    [COND_NOT_EQUALS] = "string_not_equals",
    [COND_LIKE] = "string_like",
    [COND_NOT_LIKE] = "string_not_like",
};

static void emit_condition_op(struct emitter *e, cJSON *conds, const struct vec *conditions,
                              enum cond_op op)
{
    cJSON *map = NULL;
    struct id_set ids;
    id_set_init(&ids);
    for (size_t i = 0; i < conditions->len; i++) {
        const struct ir_condition *c = VEC_GET(const struct ir_condition, *conditions, i);
        if (c->op != op)
            continue;
        if (!map)
            map = json_add_object(&e->doc, conds, cond_op_key[op]);
        cJSON *entry = json_add_object(&e->doc, map, unique_id(e, &ids, c->tag_key));
        assign_string(e, entry, "condition_key", arena_printf(e->a, "aws:ResourceTag/%s", c->tag_key));
        assign_string(e, entry, "condition_value", c->value);
    }
}

static void emit_conditions(struct emitter *e, cJSON *parent, const struct vec *conditions)
{
    if (conditions->len == 0)
        return;
    cJSON *conds = json_add_object(&e->doc, parent, "conditions");
    for (enum cond_op op = COND_EQUALS; op <= COND_NOT_LIKE; op++)
        emit_condition_op(e, conds, conditions, op);
}

/* Every ARN pattern of every type, once each, in order (aurora,
 * documentdb and neptune share one pattern). */
static void emit_restypes(struct emitter *e, cJSON *parent, const char *key,
                          const struct vec *types, const char *partition)
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
    assign_strings(e, parent, key, &arns);
}

static void emit_resources_entry(struct emitter *e, cJSON *map, const struct ir_sel_entry *en,
                                 const char *role, const char *partition)
{
    cJSON *obj = json_add_object(&e->doc, map, en->name);
    if (role)
        assign_string(e, obj, "iam_role_arn", role);
    if (en->type_arns.len)
        assign_strings(e, obj, "resource_types", &en->type_arns);
    else if (en->types.len || !e->partial)
        emit_restypes(e, obj, "resource_types", &en->types, partition);
    if (en->not_type_arns.len)
        assign_strings(e, obj, "not_resource_types", &en->not_type_arns);
    else if (en->not_types.len)
        emit_restypes(e, obj, "not_resource_types", &en->not_types, partition);
    emit_conditions(e, obj, &en->conditions);
}

static void emit_tags_entry(struct emitter *e, cJSON *map, const struct ir_sel_entry *en,
                            const char *role)
{
    cJSON *obj = json_add_object(&e->doc, map, en->name);
    if (role)
        assign_string(e, obj, "iam_role_arn", role);
    if (en->tag_key || !e->partial)
        assign_string(e, obj, "tag_key", en->tag_key ? en->tag_key : "");
    if (en->tag_values.len || !e->partial)
        assign_strings(e, obj, "tag_value", &en->tag_values);
    emit_conditions(e, obj, &en->conditions);
}

static void emit_selections(struct emitter *e, cJSON *plan_obj, const struct ir_plan *plan)
{
    const char *partition = plan_partition(plan);
    cJSON *sels = json_add_object(&e->doc, plan_obj, "selections");
    cJSON *tags = NULL, *resources = NULL;
    for (size_t i = 0; i < plan->selections.len; i++) {
        const struct ir_selection *sel = VEC_GET(const struct ir_selection, plan->selections, i);
        const char *role = sel->role ? role_arn(e->a, sel->role, partition) : e->partial ? NULL : "";
        for (size_t j = 0; j < sel->entries.len; j++) {
            const struct ir_sel_entry *en = VEC_GET(const struct ir_sel_entry, sel->entries, j);
            if (en->resources) {
                if (!resources)
                    resources = json_add_object(&e->doc, sels, "resources");
                emit_resources_entry(e, resources, en, role, partition);
            } else {
                if (!tags)
                    tags = json_add_object(&e->doc, sels, "tags");
                emit_tags_entry(e, tags, en, role);
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
    assign_strings(e, plan_obj, "regions", &names);
}

static void emit_advanced(struct emitter *e, cJSON *plan_obj, const struct ir_plan *plan)
{
    bool s3 = plan->s3_backup_acls.state == IR_SET || plan->s3_backup_object_tags.state == IR_SET;
    if (plan->windows_vss.state != IR_SET && !s3)
        return;
    cJSON *adv = json_add_object(&e->doc, plan_obj, "advanced_backup_settings");
    if (plan->windows_vss.state == IR_SET)
        assign_enabled(e, json_add_object(&e->doc, adv, "ec2"), "windows_vss", plan->windows_vss.v);
    if (s3) {
        cJSON *obj = json_add_object(&e->doc, adv, "s3");
        if (plan->s3_backup_acls.state == IR_SET)
            assign_enabled(e, obj, "backup_acls", plan->s3_backup_acls.v);
        if (plan->s3_backup_object_tags.state == IR_SET)
            assign_enabled(e, obj, "backup_object_tags", plan->s3_backup_object_tags.v);
    }
}

static void emit_plan(struct emitter *e, cJSON *plans, const struct ir_plan *plan)
{
    cJSON *obj = json_add_object(&e->doc, plans, ir_plan_name(plan));
    if (plan->regions_at.state != IR_ABSENT || !e->partial)
        emit_regions(e, obj, plan);
    if (plan->rules.len || !e->partial) {
        cJSON *rules = json_add_object(&e->doc, obj, "rules");
        for (size_t i = 0; i < plan->rules.len; i++)
            emit_rule(e, rules, plan, VEC_GET(const struct ir_rule, plan->rules, i));
    }
    if (plan->select_at.state != IR_ABSENT || !e->partial)
        emit_selections(e, obj, plan);
    emit_advanced(e, obj, plan);
    emit_tags(e, obj, "backup_plan_tags", &plan->tags, &plan->tags_at);
    if (plan->scan_role) {
        cJSON *scanner = json_add_object(&e->doc, json_add_object(&e->doc, obj, "scan_settings"), "GUARDDUTY");
        emit_type_names(e, scanner, &plan->scan_types, true);
        assign_string(e, scanner, "scanner_role_arn", role_arn(e->a, plan->scan_role, plan_partition(plan)));
    }
}

struct cJSON *emit_policy(struct obc *cc, const struct ir_policy *pol)
{
    struct emitter e = {.a = &cc->arena, .measuring = cc->diag.errors != 0, .partial = pol->document};
    cJSON *root = json_doc_init(&e.doc, e.a);
    cJSON *plans = json_add_object(&e.doc, root, "plans");
    for (size_t i = 0; i < pol->plans.len; i++)
        emit_plan(&e, plans, VEC_GET(const struct ir_plan, pol->plans, i));
    return root;
}
