/*
 * json_controls.c - the child controls of a policy document
 * (@@operators_allowed_for_child_policies) as IR controls: each one on the
 * policy, plan, rule, copy or selection whose node holds it or lies
 * above it, with its path of document keys from that node
 * (struct ir_control; docs/inheritance.md). The emitter writes them back
 * and `obc import` names them with `children`.
 *
 * Owns: which node of a document belongs to which IR holder. Does not
 * judge the controls: json_lower.c reports a malformed one (OB1104) and
 * leaves it out here too. One walk of the document; the lookups of
 * plans, rules, copies and selections by key are hash maps, built once.
 * Recursion follows the document, whose depth json_in.c bounds.
 */
#include "sema.h"

#include <string.h>

#define OP_CHILD "@@operators_allowed_for_child_policies"

struct walk {
    struct arena *a;
    struct strmap plans, selections; /* key -> struct ir_plan* / struct ir_selection* */
};

/* The control of object `obj`, or false when it has none or a malformed
 * one. */
static bool control_of(struct arena *a, const struct json_value *obj, struct ir_control *out)
{
    const struct json_member *m = json_find(obj, OP_CHILD);
    if (!m || m->value->kind != JSON_ARRAY)
        return false;
    const struct vec *items = &m->value->items;
    const char **names = arena_alloc(a, (items->len ? items->len : 1) * sizeof *names);
    for (size_t i = 0; i < items->len; i++) {
        const struct json_value *x = items->items[i];
        names[i] = x->kind == JSON_STRING ? x->text : NULL;
    }
    *out = (struct ir_control){.loc = m->key->loc};
    return control_parse(names, items->len, &out->allowed, &out->all);
}

/* The control of `obj`, if any, onto `out` with the path k1/k2 (each
 * NULL when absent). */
static void take_control(struct walk *w, const struct json_value *obj, const char *k1, const char *k2,
                         struct vec *out)
{
    struct ir_control c;
    if (obj->kind != JSON_OBJECT || !control_of(w->a, obj, &c))
        return;
    struct ir_control *k = arena_alloc(w->a, sizeof *k);
    *k = c;
    if (k1)
        vec_push(w->a, &k->path, (void *)k1);
    if (k2)
        vec_push(w->a, &k->path, (void *)k2);
    vec_push(w->a, out, k);
}

/* Every control at or below `obj` (reached by `path` from the holder's
 * node) onto `out`, except below the keys a holder of its own takes. */
static void collect(struct walk *w, const struct json_value *obj, struct vec *path, struct vec *out)
{
    if (obj->kind != JSON_OBJECT)
        return;
    struct ir_control c;
    if (control_of(w->a, obj, &c)) {
        struct ir_control *k = arena_alloc(w->a, sizeof *k);
        *k = c;
        for (size_t i = 0; i < path->len; i++)
            vec_push(w->a, &k->path, path->items[i]);
        vec_push(w->a, out, k);
    }
    for (size_t i = 0; i < obj->members.len; i++) {
        const struct json_member *m = obj->members.items[i];
        if (m->key->text[0] == '@' && m->key->text[1] == '@')
            continue;
        vec_push(w->a, path, (void *)m->key->text);
        collect(w, m->value, path, out);
        path->len--;
    }
}

static struct ir_rule *rule_named(const struct ir_plan *p, const char *key)
{
    for (size_t i = 0; i < p->rules.len; i++) {
        struct ir_rule *r = p->rules.items[i];
        if (strcmp(ir_rule_name(r), key) == 0)
            return r;
    }
    return NULL;
}

static struct ir_copy *copy_keyed(const struct ir_rule *r, const char *key)
{
    for (size_t i = 0; i < r->copies.len; i++) {
        struct ir_copy *c = r->copies.items[i];
        if (c->written_arn && strcmp(c->written_arn, key) == 0)
            return c;
    }
    return NULL;
}

/* A holder's node: its own controls, and the holders below it. */
static void rule_node(struct walk *w, struct ir_rule *r, const struct json_value *obj)
{
    struct vec path = {0};
    const struct json_member *copies = json_find(obj, "copy_actions");
    for (size_t i = 0; copies && copies->value->kind == JSON_OBJECT && i < copies->value->members.len; i++) {
        const struct json_member *m = copies->value->members.items[i];
        struct ir_copy *c = copy_keyed(r, m->key->text);
        if (c)
            collect(w, m->value, &path, &c->controls);
    }
    /* the rule's own keys, copy actions apart */
    take_control(w, obj, NULL, NULL, &r->controls);
    for (size_t i = 0; i < obj->members.len; i++) {
        const struct json_member *m = obj->members.items[i];
        if (m->key->text[0] == '@' && m->key->text[1] == '@')
            continue;
        vec_push(w->a, &path, (void *)m->key->text);
        if (strcmp(m->key->text, "copy_actions") == 0)
            take_control(w, m->value, "copy_actions", NULL, &r->controls);
        else
            collect(w, m->value, &path, &r->controls);
        path.len--;
    }
}

static void plan_node(struct walk *w, struct ir_plan *p, const struct json_value *obj)
{
    struct strmap sels = {0};
    for (size_t i = 0; i < p->selections.len; i++) {
        struct ir_selection *s = p->selections.items[i];
        strmap_put_new(w->a, &sels, ir_selection_name(s), s);
    }
    struct vec path = {0};
    take_control(w, obj, NULL, NULL, &p->controls);
    for (size_t i = 0; i < obj->members.len; i++) {
        const struct json_member *m = obj->members.items[i];
        const char *key = m->key->text;
        if ((key[0] == '@' && key[1] == '@') || m->value->kind != JSON_OBJECT)
            continue;
        vec_push(w->a, &path, (void *)key);
        if (strcmp(key, "rules") == 0 || strcmp(key, "selections") == 0) {
            bool rules = key[0] == 'r';
            take_control(w, m->value, key, NULL, &p->controls);
            for (size_t j = 0; j < m->value->members.len; j++) {
                const struct json_member *e = m->value->members.items[j];
                if (e->key->text[0] == '@' && e->key->text[1] == '@')
                    continue;
                if (rules) {
                    struct ir_rule *r = rule_named(p, e->key->text);
                    if (r && e->value->kind == JSON_OBJECT)
                        rule_node(w, r, e->value);
                    continue;
                }
                /* selections.tags / selections.resources, then its entries */
                if (e->value->kind != JSON_OBJECT)
                    continue;
                take_control(w, e->value, key, e->key->text, &p->controls);
                for (size_t n = 0; n < e->value->members.len; n++) {
                    const struct json_member *en = e->value->members.items[n];
                    struct ir_selection *s = strmap_get(&sels, en->key->text);
                    struct vec sp = {0};
                    if (s)
                        collect(w, en->value, &sp, &s->controls);
                }
            }
        } else
            collect(w, m->value, &path, &p->controls);
        path.len--;
    }
}

void json_lower_controls(struct obc *cc, struct ir_policy *pol, const struct json_value *doc)
{
    struct walk w = {.a = &cc->arena};
    const struct json_member *plans = json_find(doc, "plans");
    if (!plans || plans->value->kind != JSON_OBJECT)
        return;
    take_control(&w, plans->value, "plans", NULL, &pol->controls);
    for (size_t i = 0; i < pol->plans.len; i++) {
        struct ir_plan *p = pol->plans.items[i];
        strmap_put_new(w.a, &w.plans, ir_plan_name(p), p);
    }
    for (size_t i = 0; i < plans->value->members.len; i++) {
        const struct json_member *m = plans->value->members.items[i];
        struct ir_plan *p = strmap_get(&w.plans, m->key->text);
        if (p && m->value->kind == JSON_OBJECT)
            plan_node(&w, p, m->value);
    }
}
