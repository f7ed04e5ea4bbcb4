/*
 * emit_ops.c - the manifest entries of notifications (`notifications[]`),
 * restore tests (`restore_testing_plans[]`) and audit frameworks
 * (`audit_frameworks[]`) in a regions[] entry of an account, in the
 * shapes docs/manifest.md fixes (the CloudFormation and Terraform
 * emitters read exactly those fields); and where each of them goes:
 * which account holds it and in which regions.
 * Works on the IR only; reports nothing. Deterministic: program order.
 */
#include "emit_ops.h"

#include <inttypes.h>
#include <string.h>

/* ---- places ------------------------------------------------------- */

static struct op_place *new_place(struct arena *a, enum op_kind kind, struct ir_principal owner,
                                  const struct vec *regions, struct vec *out)
{
    struct op_place *p = arena_alloc(a, sizeof *p);
    p->kind = kind;
    p->owner = owner;
    if (regions)
        p->regions = *regions;
    vec_push(a, out, p);
    return p;
}

/* The union of the regions of `vaults`, in order of first appearance. */
static struct vec union_vault_regions(struct arena *a, const struct vec *vaults,
                                      const struct vec *(*vault_regions)(void *, const struct ir_vault *), void *ctx)
{
    struct vec out = {0};
    struct ptrset seen = {0};
    for (size_t i = 0; i < vaults->len; i++) {
        const struct vec *r = vault_regions(ctx, VEC_GET(const struct ir_vault, *vaults, i));
        for (size_t j = 0; r && j < r->len; j++)
            vec_push_new(a, &out, &seen, r->items[j]);
    }
    return out;
}

void ops_places(struct arena *a, const struct ir_program *prog,
                const struct vec *(*vault_regions)(void *ctx, const struct ir_vault *v), void *ctx,
                const struct vec *default_regions, struct vec *out)
{
    for (size_t i = 0; i < prog->notifies.len; i++) {
        const struct ir_notify *n = VEC_GET(const struct ir_notify, prog->notifies, i);
        if (n->via == NOTIFY_EVENTBRIDGE) {
            new_place(a, OP_NOTIFY, n->owner, n->regions.len ? &n->regions : default_regions, out)->notify = n;
            continue;
        }
        for (size_t j = 0; j < n->vaults.len; j++) { /* each vault's owner holds its notification */
            const struct ir_vault *v = VEC_GET(const struct ir_vault, n->vaults, j);
            const struct vec *r = n->regions.len ? &n->regions : vault_regions(ctx, v);
            if (!r || !r->len)
                r = default_regions;
            struct op_place *p = new_place(a, OP_NOTIFY, ir_vault_owner(v), r, out);
            p->notify = n;
            p->vault = v;
        }
    }
    for (size_t i = 0; i < prog->restore_tests.len; i++) {
        const struct ir_restore_test *t = VEC_GET(const struct ir_restore_test, prog->restore_tests, i);
        struct vec r = t->regions.len ? t->regions : union_vault_regions(a, &t->vaults, vault_regions, ctx);
        new_place(a, OP_RESTORE_TEST, t->owner, r.len ? &r : default_regions, out)->test = t;
    }
    for (size_t i = 0; i < prog->audit_frameworks.len; i++) {
        const struct ir_audit_framework *f = VEC_GET(const struct ir_audit_framework, prog->audit_frameworks, i);
        new_place(a, OP_FRAMEWORK, f->owner, f->regions.len ? &f->regions : default_regions, out)->framework = f;
    }
}

/* ---- notifications ------------------------------------------------ */

static void emit_subscriptions(struct json_doc *doc, struct cJSON *obj, const struct ir_notify *n)
{
    struct cJSON *list = json_add_array(doc, obj, "subscriptions");
    for (size_t i = 0; i < n->subscriptions.len; i++) {
        const struct ir_subscription *s = VEC_GET(const struct ir_subscription, n->subscriptions, i);
        struct cJSON *o = json_add_object(doc, list, NULL);
        json_add_string(doc, o, "protocol", s->protocol);
        json_add_string(doc, o, "endpoint", s->endpoint);
    }
}

/* The events of `n` grouped by what EventBridge matches: one detail-type
 * and state field, the union of their states (program order). */
struct event_group {
    const char *detail_type, *field;
    struct vec states; /* const char* */
    struct strmap state_set;
};

static void group_events(struct arena *a, const struct ir_notify *n, struct vec *groups)
{
    for (size_t i = 0; i < n->events.len; i++) {
        const struct ir_event *e = VEC_GET(const struct ir_event, n->events, i);
        if (!e->detail_type.s)
            continue;
        struct event_group *g = NULL;
        for (size_t j = 0; j < groups->len && !g; j++) { /* a handful of detail types */
            struct event_group *h = groups->items[j];
            if (strcmp(h->detail_type, e->detail_type.s) == 0 && strcmp(h->field, e->state_field) == 0)
                g = h;
        }
        if (!g) {
            g = arena_alloc(a, sizeof *g);
            g->detail_type = e->detail_type.s;
            g->field = e->state_field;
            vec_push(a, groups, g);
        }
        for (size_t j = 0; j < e->states.len; j++) {
            const char *s = e->states.items[j];
            if (!strmap_put_new(a, &g->state_set, s, (void *)s))
                vec_push(a, &g->states, (void *)s);
        }
    }
}

static void emit_group(struct json_doc *doc, struct cJSON *obj, const struct event_group *g)
{
    json_add_string(doc, json_add_array(doc, obj, "detail-type"), NULL, g->detail_type);
    json_add_strings(doc, json_add_object(doc, obj, "detail"), g->field, &g->states);
}

/* {"source": ["aws.backup"], "detail-type": [...], "detail": {"state": [...]}};
 * events of several detail types are alternatives under "$or". */
static void emit_event_pattern(struct json_doc *doc, struct arena *a, struct cJSON *obj, const struct ir_notify *n)
{
    struct vec groups = {0};
    group_events(a, n, &groups);
    struct cJSON *p = json_add_object(doc, obj, "event_pattern");
    json_add_string(doc, json_add_array(doc, p, "source"), NULL, "aws.backup");
    if (groups.len == 1) {
        emit_group(doc, p, groups.items[0]);
        return;
    }
    struct cJSON *alts = json_add_array(doc, p, "$or");
    for (size_t i = 0; i < groups.len; i++)
        emit_group(doc, json_add_object(doc, alts, NULL), groups.items[i]);
}

static void emit_notification(struct json_doc *doc, struct arena *a, struct cJSON *list, const struct op_place *p)
{
    const struct ir_notify *n = p->notify;
    struct cJSON *obj = json_add_object(doc, list, NULL);
    json_add_string(doc, obj, "name", n->d.name);
    json_add_string(doc, obj, "via", n->via == NOTIFY_VAULT ? "vault" : "eventbridge");
    json_add_string(doc, obj, "topic", n->topic.s ? n->topic.s : n->d.name);
    emit_subscriptions(doc, obj, n);
    if (n->via == NOTIFY_EVENTBRIDGE) {
        emit_event_pattern(doc, a, obj, n);
        return;
    }
    json_add_string(doc, obj, "vault", p->vault->aws_name.s ? p->vault->aws_name.s : p->vault->d.name);
    struct cJSON *events = json_add_array(doc, obj, "vault_events");
    struct strmap seen = {0};
    for (size_t i = 0; i < n->events.len; i++) {
        const struct ir_event *e = VEC_GET(const struct ir_event, n->events, i);
        if (e->vault_event.s && !strmap_put_new(a, &seen, e->vault_event.s, (void *)e))
            json_add_string(doc, events, NULL, e->vault_event.s);
    }
}

/* ---- restore testing ---------------------------------------------- */

static void emit_conditions(struct json_doc *doc, struct cJSON *obj, const char *key, const struct vec *tags)
{
    struct cJSON *list = json_add_array(doc, obj, key);
    for (size_t i = 0; i < tags->len; i++) {
        const struct ir_tag *t = VEC_GET(const struct ir_tag, *tags, i);
        struct cJSON *o = json_add_object(doc, list, NULL);
        json_add_string(doc, o, "key", t->key);
        json_add_string(doc, o, "value", t->value);
    }
}

static void emit_restore_selection(struct json_doc *doc, struct arena *a, struct cJSON *list,
                                   const struct ir_restore_selection *s, const struct ir_region *region)
{
    struct cJSON *obj = json_add_object(doc, list, NULL);
    json_add_string(doc, obj, "name", s->name);
    json_add_string(doc, obj, "aws_name", s->aws_name.s ? s->aws_name.s : s->name);
    if (s->type && s->type->restore_test_name)
        json_add_string(doc, obj, "protected_resource_type", s->type->restore_test_name);
    if (s->role)
        json_add_string(doc, obj, "iam_role_arn", role_arn(a, s->role, ir_region_partition(region)));
    if (!s->tags.len && !s->not_tags.len)
        json_add_string(doc, json_add_array(doc, obj, "protected_resource_arns"), NULL, "*");
    struct vec keyed = {0}, not_keyed = {0};
    for (size_t i = 0; i < s->tags.len; i++) {
        const struct ir_tag *t = VEC_GET(const struct ir_tag, s->tags, i);
        struct ir_tag *k = arena_alloc(a, sizeof *k);
        *k = (struct ir_tag){arena_printf(a, "aws:ResourceTag/%s", t->key), t->value, t->loc};
        vec_push(a, &keyed, k);
    }
    for (size_t i = 0; i < s->not_tags.len; i++) {
        const struct ir_tag *t = VEC_GET(const struct ir_tag, s->not_tags, i);
        struct ir_tag *k = arena_alloc(a, sizeof *k);
        *k = (struct ir_tag){arena_printf(a, "aws:ResourceTag/%s", t->key), t->value, t->loc};
        vec_push(a, &not_keyed, k);
    }
    if (keyed.len)
        emit_conditions(doc, obj, "string_equals", &keyed);
    if (not_keyed.len)
        emit_conditions(doc, obj, "string_not_equals", &not_keyed);
    if (s->validate_within.state == IR_SET)
        json_add_int(doc, obj, "validation_window_hours", s->validate_within.v / 60);
}

static void emit_restore_test(struct json_doc *doc, struct arena *a, struct cJSON *list,
                              const struct ir_restore_test *t, const struct ir_region *region)
{
    static const char *const points[][2] = {
        [POINTS_SNAPSHOT] = {"SNAPSHOT", NULL}, [POINTS_CONTINUOUS] = {"CONTINUOUS", NULL},
        [POINTS_BOTH] = {"SNAPSHOT", "CONTINUOUS"},
    };
    struct cJSON *obj = json_add_object(doc, list, NULL);
    json_add_string(doc, obj, "name", t->d.name);
    json_add_string(doc, obj, "aws_name", t->aws_name.s ? t->aws_name.s : t->d.name);
    if (t->cron)
        json_add_string(doc, obj, "schedule_expression", t->cron);
    if (t->start_within.state == IR_SET)
        json_add_int(doc, obj, "start_window_hours", t->start_within.v / 60);
    json_add_string(doc, obj, "algorithm", t->pick == RESTORE_RANDOM ? "RANDOM_WITHIN_WINDOW" : "LATEST_WITHIN_WINDOW");
    struct cJSON *vaults = json_add_array(doc, obj, "include_vaults");
    for (size_t i = 0; i < t->vaults.len; i++)
        json_add_string(doc, vaults, NULL, vault_arn(a, VEC_GET(const struct ir_vault, t->vaults, i), region));
    struct cJSON *types = json_add_array(doc, obj, "recovery_point_types");
    for (size_t i = 0; i < 2 && points[t->points][i]; i++)
        json_add_string(doc, types, NULL, points[t->points][i]);
    json_add_int(doc, obj, "selection_window_days", t->window.state == IR_SET ? t->window.v : 30);
    struct cJSON *sels = json_add_array(doc, obj, "selections");
    for (size_t i = 0; i < t->selections.len; i++)
        emit_restore_selection(doc, a, sels, VEC_GET(const struct ir_restore_selection, t->selections, i), region);
}

/* ---- audit frameworks --------------------------------------------- */

static const char *aws_parameter(const struct ir_audit_control *c, const char *attr)
{
    for (size_t i = 0; i < c->parameters.len; i++) {
        const struct ir_tag *t = VEC_GET(const struct ir_tag, c->parameters, i);
        if (strcmp(t->key, attr) == 0)
            return t->value;
    }
    return NULL;
}

static void add_parameter(struct json_doc *doc, struct cJSON *list, const char *name, const char *value)
{
    struct cJSON *o = json_add_object(doc, list, NULL);
    json_add_string(doc, o, "name", name);
    json_add_string(doc, o, "value", value);
}

/* A duration parameter (frequency, age) is two: NAMEUnit ("days" when
 * whole days, else "hours") and NAMEValue; the others are days. */
static void emit_parameter(struct json_doc *doc, struct arena *a, struct cJSON *list, const struct ir_audit_control *c,
                           const struct ir_control_param *p)
{
    const char *name = aws_parameter(c, p->attr);
    if (!name)
        return;
    if (strcmp(p->attr, "frequency") != 0 && strcmp(p->attr, "age") != 0) {
        add_parameter(doc, list, name, arena_printf(a, "%" PRId64, p->value.v));
        return;
    }
    bool days = p->value.v % (24 * 60) == 0;
    add_parameter(doc, list, arena_printf(a, "%sUnit", name), days ? "days" : "hours");
    add_parameter(doc, list, arena_printf(a, "%sValue", name),
                  arena_printf(a, "%" PRId64, days ? p->value.v / (24 * 60) : p->value.v / 60));
}

static void emit_framework(struct json_doc *doc, struct arena *a, struct cJSON *list, const struct ir_audit_framework *f)
{
    struct cJSON *obj = json_add_object(doc, list, NULL);
    json_add_string(doc, obj, "name", f->d.name);
    json_add_string(doc, obj, "aws_name", f->aws_name.s ? f->aws_name.s : f->d.name);
    if (f->description.s)
        json_add_string(doc, obj, "description", f->description.s);
    struct cJSON *controls = json_add_array(doc, obj, "controls");
    for (size_t i = 0; i < f->controls.len; i++) {
        const struct ir_framework_control *fc = VEC_GET(const struct ir_framework_control, f->controls, i);
        struct cJSON *c = json_add_object(doc, controls, NULL);
        json_add_string(doc, c, "name", fc->control->aws_name.s ? fc->control->aws_name.s : fc->control->d.name);
        struct cJSON *params = json_add_array(doc, c, "parameters");
        for (size_t j = 0; j < fc->params.len; j++)
            emit_parameter(doc, a, params, fc->control, VEC_GET(const struct ir_control_param, fc->params, j));
        if (!fc->types.len)
            continue;
        struct cJSON *types = json_add_array(doc, c, "resource_types");
        for (size_t j = 0; j < fc->types.len; j++) {
            const struct ir_restype *t = VEC_GET(const struct ir_restype, fc->types, j);
            json_add_string(doc, types, NULL, t->audit_name ? t->audit_name : t->opt_in_name ? t->opt_in_name : t->d.name);
        }
    }
}

/* A notification via vault sets the vault's notifications only when some
 * event of it has a vault event; one via EventBridge always has a rule. */
static bool has_vault_events(const struct op_place *p)
{
    if (p->notify->via != NOTIFY_VAULT)
        return true;
    for (size_t i = 0; i < p->notify->events.len; i++)
        if (VEC_GET(const struct ir_event, p->notify->events, i)->vault_event.s)
            return true;
    return false;
}

void emit_ops_region(struct json_doc *doc, struct arena *a, struct cJSON *obj, const struct vec *there,
                     const struct ir_region *region)
{
    static const char *const keys[] = {[OP_NOTIFY] = "notifications", [OP_RESTORE_TEST] = "restore_testing_plans",
                                       [OP_FRAMEWORK] = "audit_frameworks"};
    for (int kind = OP_NOTIFY; kind <= OP_FRAMEWORK; kind++) {
        struct cJSON *list = NULL;
        for (size_t i = 0; i < there->len; i++) {
            const struct op_place *p = VEC_GET(const struct op_place, *there, i);
            if ((int)p->kind != kind)
                continue;
            if (kind == OP_NOTIFY && !has_vault_events(p))
                continue; /* via vault, and no event has a vault event: nothing to set (OB6103) */
            if (!list)
                list = json_add_array(doc, obj, keys[kind]);
            if (kind == OP_NOTIFY)
                emit_notification(doc, a, list, p);
            else if (kind == OP_RESTORE_TEST)
                emit_restore_test(doc, a, list, p->test, region);
            else
                emit_framework(doc, a, list, p->framework);
        }
    }
}
