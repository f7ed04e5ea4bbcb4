/*
 * inherit.c - effective policies (inherit.h, docs/inheritance.md).
 *
 * Owns: AWS Organizations' inheritance rules for management policies as
 * they apply to BACKUP_POLICY [S2, S3 of docs/inheritance.md]:
 *   - levels are merged from the root down to the account, the policies
 *     of one level in attachment order;
 *   - @@assign replaces (a value or a whole list), @@append adds values
 *     not yet in the list, @@remove takes values out;
 *   - objects merge key by key, keys matched ignoring case; adding a key
 *     under an object is @@append at that object;
 *   - @@operators_allowed_for_child_policies on a node limits what the
 *     policies of lower levels may do at that node; controls combine by
 *     intersection and a forbidden operation is ignored;
 *   - of two policies of the same level, the first attached keeps a
 *     value both assign.
 * Reports OB8102, OB8103, OB8105 and OB8106. Knows nothing of what the keys mean beyond
 * "plans" (OB8106): json_lower.c judges the effective policy afterwards.
 *
 * Cost: each policy of a chain is walked once per account whose chain it
 * is in; every lookup is a hash map (keys, list values), so one merge is
 * linear in the size of the policies merged. Recursion follows the
 * documents, whose depth json_in.c bounds (LIMIT_NESTING) or the emitter
 * fixes.
 */
#include "inherit.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <strings.h> /* strcasecmp: ASCII in the C locale obc runs in */

#define OP_CHILD "@@operators_allowed_for_child_policies"

/* ---- policies with their operators ------------------------------------- */

struct pval {
    const char *text;
    enum json_kind kind; /* JSON_STRING, JSON_NUMBER, JSON_TRUE, JSON_FALSE */
    struct loc loc;
};

struct ptree {
    const char *key;       /* NULL at the top */
    struct loc key_loc;    /* the key (the whole document at the top) */
    bool has_op;
    enum ir_list_op op;
    struct loc op_loc;
    bool list;             /* the value is an array */
    struct vec vals;       /* struct pval* */
    bool has_control;
    unsigned allowed;      /* IR_CHILD_* */
    struct loc control_loc;
    struct vec kids;       /* struct ptree* */
};

static bool op_of(const char *k, enum ir_list_op *op)
{
    if (strcmp(k, "@@assign") == 0)
        *op = IR_OP_ASSIGN;
    else if (strcmp(k, "@@append") == 0)
        *op = IR_OP_APPEND;
    else if (strcmp(k, "@@remove") == 0)
        *op = IR_OP_REMOVE;
    else
        return false;
    return true;
}

static struct ptree *ptree_new(struct arena *a, const char *key, struct loc key_loc)
{
    struct ptree *t = arena_alloc(a, sizeof *t);
    *t = (struct ptree){.key = key, .key_loc = key_loc};
    return t;
}

static struct pval *pval_json(struct arena *a, const struct json_value *v)
{
    if (v->kind != JSON_STRING && v->kind != JSON_NUMBER && v->kind != JSON_TRUE && v->kind != JSON_FALSE)
        return NULL;
    struct pval *p = arena_alloc(a, sizeof *p);
    const char *text = v->kind == JSON_TRUE ? "true" : v->kind == JSON_FALSE ? "false" : v->text;
    *p = (struct pval){.text = text, .kind = v->kind, .loc = v->loc};
    return p;
}

static void value_json(struct arena *a, struct ptree *t, enum ir_list_op op, const struct json_member *m)
{
    const struct json_value *v = m->value;
    if (t->has_op)
        return; /* two value operators on one node: json_lower.c reports it */
    if (v->kind == JSON_ARRAY) {
        for (size_t i = 0; i < v->items.len; i++) {
            struct pval *p = pval_json(a, v->items.items[i]);
            if (!p)
                return;
        }
        for (size_t i = 0; i < v->items.len; i++)
            vec_push(a, &t->vals, pval_json(a, v->items.items[i]));
        t->list = true;
    } else {
        struct pval *p = pval_json(a, v);
        if (!p)
            return;
        vec_push(a, &t->vals, p);
    }
    t->has_op = true;
    t->op = op;
    t->op_loc = m->key->loc;
}

static void control_json(struct arena *a, struct ptree *t, const struct json_member *m)
{
    const struct json_value *v = m->value;
    if (v->kind != JSON_ARRAY || t->has_control)
        return;
    const char **names = arena_alloc(a, (v->items.len ? v->items.len : 1) * sizeof *names);
    for (size_t i = 0; i < v->items.len; i++) {
        const struct json_value *s = v->items.items[i];
        names[i] = s->kind == JSON_STRING ? s->text : NULL;
    }
    bool all;
    if (control_parse(names, v->items.len, &t->allowed, &all)) {
        t->has_control = true;
        t->control_loc = m->key->loc;
    }
}

static struct ptree *tree_json(struct arena *a, const char *key, struct loc key_loc, const struct json_value *v)
{
    struct ptree *t = ptree_new(a, key, key_loc);
    if (v->kind != JSON_OBJECT)
        return t; /* a flat value: json_lower.c reports it (OB1103) */
    for (size_t i = 0; i < v->members.len; i++) {
        const struct json_member *m = v->members.items[i];
        const char *k = m->key->text;
        enum ir_list_op op;
        if (strcmp(k, OP_CHILD) == 0)
            control_json(a, t, m);
        else if (op_of(k, &op))
            value_json(a, t, op, m);
        else if (k[0] != '@' || k[1] != '@') /* an unknown operator: OB1104 */
            vec_push(a, &t->kids, tree_json(a, k, m->key->loc, m->value));
    }
    if (t->has_op)
        t->kids.len = 0; /* a value and keys on one node: json_lower.c reports it */
    return t;
}

struct ptree *ptree_from_json(struct obc *cc, const struct json_value *doc)
{
    return tree_json(&cc->arena, NULL, doc->loc, doc);
}

/* ---- from the language's emitter ---------------------------------------- */

static struct loc item_loc(const struct ptrset *locs, const cJSON *item)
{
    const struct loc *l = locs ? ptrset_get(locs, 0, item, NULL) : NULL;
    return l ? *l : LOC_NONE;
}

static struct pval *pval_cjson(struct obc *cc, const struct ptrset *locs, const cJSON *v)
{
    struct pval *p = arena_alloc(&cc->arena, sizeof *p);
    *p = (struct pval){.loc = item_loc(locs, v)};
    if (cJSON_IsString(v)) {
        p->text = arena_strdup(&cc->arena, v->valuestring); /* the caller frees the document */
        p->kind = JSON_STRING;
    } else if (cJSON_IsBool(v)) {
        p->kind = cJSON_IsTrue(v) ? JSON_TRUE : JSON_FALSE;
        p->text = cJSON_IsTrue(v) ? "true" : "false";
    } else if (cJSON_IsNumber(v)) {
        p->kind = JSON_NUMBER;
        double d = v->valuedouble; /* whole numbers (all the emitter writes) print as %.17g would */
        p->text = d >= -1e15 && d <= 1e15 && d == (double)(long long)d && !signbit(d)
                      ? arena_printf(&cc->arena, "%lld", (long long)d)
                      : arena_printf(&cc->arena, "%.17g", d);
    } else
        return NULL;
    return p;
}

static struct ptree *tree_cjson(struct obc *cc, const struct ptrset *locs, const char *key, const cJSON *v)
{
    struct arena *a = &cc->arena;
    struct ptree *t = ptree_new(a, key, item_loc(locs, v));
    for (const cJSON *m = cJSON_IsObject(v) ? v->child : NULL; m; m = m->next) {
        enum ir_list_op op;
        if (strcmp(m->string, OP_CHILD) == 0 && cJSON_IsArray(m)) {
            size_t n = (size_t)cJSON_GetArraySize(m), i = 0;
            const char **names = arena_alloc(a, (n ? n : 1) * sizeof *names);
            for (const cJSON *s = m->child; s; s = s->next)
                names[i++] = cJSON_IsString(s) ? s->valuestring : NULL;
            bool all;
            if (!t->has_control && control_parse(names, n, &t->allowed, &all)) {
                t->has_control = true;
                t->control_loc = item_loc(locs, m);
            }
        } else if (op_of(m->string, &op)) {
            if (t->has_op)
                continue;
            if (cJSON_IsArray(m)) {
                t->list = true;
                for (const cJSON *s = m->child; s; s = s->next) {
                    struct pval *p = pval_cjson(cc, locs, s);
                    if (p)
                        vec_push(a, &t->vals, p);
                }
            } else {
                struct pval *p = pval_cjson(cc, locs, m);
                if (!p)
                    continue;
                vec_push(a, &t->vals, p);
            }
            t->has_op = true;
            t->op = op;
            t->op_loc = item_loc(locs, m);
        } else
            vec_push(a, &t->kids, tree_cjson(cc, locs, arena_strdup(a, m->string), m));
    }
    return t;
}

struct ptree *ptree_from_cjson(struct obc *cc, const cJSON *doc, const struct ptrset *locs)
{
    return tree_cjson(cc, locs, NULL, doc);
}

/* ---- the merge ------------------------------------------------------------ */

/* A control that applies at a node, for the notes of OB8102. */
struct control_at {
    struct loc loc;
    unsigned allowed;
    size_t level;
    const char *policy;
};

struct eff_node {
    const char *key;        /* as first written; NULL at the top */
    struct loc loc;         /* where it was first written */
    size_t created_level;
    const struct inherit_policy *created_by;
    const struct ptree *created_from; /* what the policy that created it wrote there */
    bool has_value, list;
    struct vec vals;        /* struct pval* */
    struct strmap valset;   /* text -> struct pval*: the list's values */
    struct loc set_loc;     /* the operator that last set the whole value */
    size_t set_level;
    const struct inherit_policy *set_by;
    struct vec kids;        /* struct eff_node* */
    struct strmap by_key;   /* lower-case key -> struct eff_node* */
    unsigned allowed;       /* what policies of lower levels may do here */
    unsigned pending;       /* controls written at the level being merged */
    bool touched;
    struct vec controls;    /* struct control_at* */
};

struct inherit_run {
    struct obc *cc;
    struct arena *a;
    struct vec touched;     /* struct eff_node*: controls written at this level */
    size_t level;
};

static struct diag *report(struct inherit_run *r, enum diag_code code, struct loc loc, const char *msg)
{
    return diag_emit(r->cc, code, loc, "%s", msg);
}

static const char *ops_words(struct arena *a, unsigned allowed)
{
    if (allowed == 0)
        return "no operator (@@none)";
    struct strbuf b = {0};
    static const char *const names[] = {"@@assign", "@@append", "@@remove"};
    size_t n = 0;
    for (unsigned i = 0; i < 3; i++)
        if (allowed & (1u << i))
            sb_printf(a, &b, "%s%s", n++ ? " and " : "only ", names[i]);
    return sb_str(a, &b);
}

static const char *op_name(enum ir_list_op op)
{
    return op == IR_OP_APPEND ? "@@append" : op == IR_OP_REMOVE ? "@@remove" : "@@assign";
}

static struct eff_node *node_new(struct inherit_run *r, const char *key, struct loc loc,
                                 const struct inherit_policy *by)
{
    struct eff_node *e = arena_alloc(r->a, sizeof *e);
    *e = (struct eff_node){.key = key, .loc = loc, .created_level = r->level, .created_by = by,
                           .allowed = IR_CHILD_ALL};
    return e;
}

/* OB8102: `what` is not allowed at `e` for the level being merged. */
static void forbidden(struct inherit_run *r, struct eff_node *e, unsigned bit, struct loc at, const char *what,
                      const struct inherit_policy *by)
{
    const char *msg = arena_printf(r->a, "%s is ignored: a policy above allows %s at \"%s\"", what,
                                   ops_words(r->a, e->allowed), e->key ? e->key : "the document");
    struct diag *d = report(r, OB8102, at, msg);
    for (size_t i = 0; i < e->controls.len; i++) {
        const struct control_at *c = e->controls.items[i];
        if (c->level < r->level && !(c->allowed & bit))
            diag_note(r->cc, d, c->loc, "%s allows %s here for the policies below it", c->policy,
                      ops_words(r->a, c->allowed));
    }
    diag_help(r->cc, d, "remove it from %s, or allow it in the parent's " OP_CHILD, by->name);
}

static void note_control(struct inherit_run *r, struct eff_node *e, const struct ptree *t,
                         const struct inherit_policy *by)
{
    if (!e->touched) {
        e->touched = true;
        e->pending = IR_CHILD_ALL;
        vec_push(r->a, &r->touched, e);
    }
    e->pending &= t->allowed;
    struct control_at *c = arena_alloc(r->a, sizeof *c);
    *c = (struct control_at){.loc = t->control_loc, .allowed = t->allowed, .level = r->level, .policy = by->name};
    vec_push(r->a, &e->controls, c);
}

static void set_values(struct inherit_run *r, struct eff_node *e, const struct ptree *t,
                       const struct inherit_policy *by)
{
    e->vals = (struct vec){0};
    e->valset = (struct strmap){0};
    e->list = t->list;
    for (size_t i = 0; i < t->vals.len; i++) {
        struct pval *p = t->vals.items[i];
        if (!e->list || !strmap_put_new(r->a, &e->valset, p->text, p))
            vec_push(r->a, &e->vals, p);
    }
    e->has_value = true;
    e->set_loc = t->op_loc;
    e->set_level = r->level;
    e->set_by = by;
}

static bool same_values(const struct eff_node *e, const struct ptree *t)
{
    if (e->list != t->list || e->vals.len != t->vals.len)
        return false;
    for (size_t i = 0; i < t->vals.len; i++) {
        const struct pval *a = e->vals.items[i], *b = t->vals.items[i];
        if (strcmp(a->text, b->text) != 0)
            return false;
    }
    return true;
}

static void remove_values(struct inherit_run *r, struct eff_node *e, const struct ptree *t)
{
    struct strmap gone = {0};
    struct strbuf absent = {0};
    size_t nabsent = 0;
    for (size_t i = 0; i < t->vals.len; i++) {
        const struct pval *p = t->vals.items[i];
        if (strmap_get(&e->valset, p->text))
            strmap_put_new(r->a, &gone, p->text, (void *)p);
        else
            sb_printf(r->a, &absent, "%s\"%s\"", nabsent++ ? ", " : "", p->text);
    }
    if (nabsent) {
        const char *msg = arena_printf(r->a, "@@remove of %s does nothing: no policy above puts %s in \"%s\"",
                                       sb_str(r->a, &absent), nabsent > 1 ? "them" : "it", e->key);
        struct diag *d = report(r, OB8103, t->op_loc, msg);
        diag_note(r->cc, d, e->set_loc, "\"%s\" is set here", e->key);
        diag_help(r->cc, d, "remove the value%s from @@remove, or correct %s", nabsent > 1 ? "s" : "",
                  nabsent > 1 ? "their spelling" : "its spelling");
    }
    struct vec kept = {0};
    struct strmap set = {0};
    for (size_t i = 0; i < e->vals.len; i++) {
        struct pval *p = e->vals.items[i];
        if (!strmap_get(&gone, p->text) && !strmap_put_new(r->a, &set, p->text, p))
            vec_push(r->a, &kept, p);
    }
    e->vals = kept;
    e->valset = set;
}

static void merge_value(struct inherit_run *r, struct eff_node *e, const struct ptree *t,
                        const struct inherit_policy *by)
{
    unsigned bit = 1u << t->op; /* IR_OP_ASSIGN..REMOVE match IR_CHILD_ASSIGN..REMOVE */
    if (e->kids.len)
        return; /* a value where a policy above has keys: json_lower.c judges each */
    if (!(e->allowed & bit)) {
        forbidden(r, e, bit, t->op_loc, arena_printf(r->a, "%s on \"%s\"", op_name(t->op), e->key), by);
        return;
    }
    switch (t->op) {
    case IR_OP_ASSIGN:
        if (e->has_value && e->set_level == r->level && e->set_by != by) {
            if (!same_values(e, t)) {
                const char *msg = arena_printf(r->a, "\"%s\" is also assigned by %s, attached to the same target "
                                               "before this policy: its value wins", e->key, e->set_by->name);
                struct diag *d = report(r, OB8105, t->op_loc, msg);
                diag_note(r->cc, d, e->set_loc, "the value that takes effect");
                diag_help(r->cc, d, "assign \"%s\" in one of the two policies only", e->key);
            }
            return;
        }
        set_values(r, e, t, by);
        return;
    case IR_OP_APPEND:
        if (!e->has_value) {
            set_values(r, e, t, by);
            return;
        }
        if (!e->list)
            return; /* @@append on a single value: json_lower.c reports OB8101 */
        for (size_t i = 0; i < t->vals.len; i++) {
            struct pval *p = t->vals.items[i];
            if (!strmap_put_new(r->a, &e->valset, p->text, p))
                vec_push(r->a, &e->vals, p);
        }
        return;
    case IR_OP_REMOVE:
        if (!e->has_value || !e->list) {
            const char *msg = arena_printf(r->a, "@@remove on \"%s\" does nothing: no policy above sets it", e->key);
            struct diag *d = report(r, OB8103, t->op_loc, msg);
            diag_help(r->cc, d, "remove this @@remove, or attach the policy that sets \"%s\" above this one",
                      e->key);
            return;
        }
        remove_values(r, e, t);
        return;
    }
}

/* Whether a plan a policy writes is complete by itself: it has rules,
 * regions and selections. */
static bool plan_written_whole(const struct ptree *t)
{
    bool rules = false, regions = false, selections = false;
    for (size_t i = 0; i < t->kids.len; i++) {
        const struct ptree *k = t->kids.items[i];
        rules |= strcmp(k->key, "rules") == 0 && k->kids.len > 0;
        regions |= strcmp(k->key, "regions") == 0 && k->has_op && k->op == IR_OP_ASSIGN;
        selections |= strcmp(k->key, "selections") == 0 && k->kids.len > 0;
    }
    return rules && regions && selections;
}

/* Whether two policies write the same thing at a node (keys compared
 * ignoring case, as they merge). Linear in their size. */
static bool ptree_same(const struct ptree *a, const struct ptree *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->has_op != b->has_op || a->op != b->op || a->list != b->list ||
        a->vals.len != b->vals.len || a->has_control != b->has_control ||
        (a->has_control && a->allowed != b->allowed) || a->kids.len != b->kids.len)
        return false;
    for (size_t i = 0; i < a->vals.len; i++) {
        const struct pval *x = a->vals.items[i], *y = b->vals.items[i];
        if (strcmp(x->text, y->text) != 0)
            return false;
    }
    for (size_t i = 0; i < a->kids.len; i++) {
        const struct ptree *x = a->kids.items[i], *y = b->kids.items[i];
        if (strcasecmp(x->key, y->key) != 0 || !ptree_same(x, y))
            return false;
    }
    return true;
}

/* Whether merging `t` under a node adds something to the effective
 * policy (a node that holds only a control adds nothing). */
static bool adds(const struct ptree *t)
{
    if (t->has_op)
        return t->op != IR_OP_REMOVE;
    for (size_t i = 0; i < t->kids.len; i++)
        if (adds(t->kids.items[i]))
            return true;
    return false;
}

static void merge(struct inherit_run *r, struct eff_node *e, const struct ptree *t, const struct inherit_policy *by,
                  unsigned depth)
{
    if (t->has_control)
        note_control(r, e, t, by);
    if (t->has_op) {
        merge_value(r, e, t, by);
        return;
    }
    if (e->has_value)
        return; /* keys where a policy above has a value: json_lower.c judges each */
    for (size_t i = 0; i < t->kids.len; i++) {
        const struct ptree *k = t->kids.items[i];
        const char *fold = arena_strdup_lower(r->a, k->key);
        struct eff_node *ek = strmap_get(&e->by_key, fold);
        if (!ek) {
            if (k->has_op && k->op == IR_OP_REMOVE) {
                const char *msg = arena_printf(r->a, "@@remove on \"%s\" does nothing: no policy above sets it",
                                               k->key);
                struct diag *d = report(r, OB8103, k->op_loc, msg);
                diag_help(r->cc, d, "remove this @@remove, or attach the policy that sets \"%s\" above this one",
                          k->key);
                continue;
            }
            if (!(e->allowed & IR_CHILD_APPEND) && adds(k)) {
                forbidden(r, e, IR_CHILD_APPEND, k->key_loc,
                          arena_printf(r->a, "adding \"%s\" under \"%s\" (@@append)", k->key,
                                       e->key ? e->key : "the document"), by);
                continue;
            }
            ek = node_new(r, k->key, k->key_loc, by);
            ek->created_from = k;
            strmap_put_new(r->a, &e->by_key, fold, ek);
            vec_push(r->a, &e->kids, ek);
        } else if (depth == 1 && ek->created_level < r->level && plan_written_whole(k) &&
                   !ptree_same(k, ek->created_from)) {
            const char *msg = arena_printf(r->a, "plan \"%s\" is also in %s, above: the two merge into one plan, "
                                           "and this policy's values replace its values", k->key, ek->created_by->name);
            struct diag *d = report(r, OB8106, k->key_loc, msg);
            diag_note(r->cc, d, ek->loc, "the inherited plan");
            diag_help(r->cc, d, "give this plan another name to add a plan; to change the inherited one, "
                                "write only the settings that differ");
        }
        merge(r, ek, k, by, depth + 1);
    }
}

static void commit_controls(struct inherit_run *r)
{
    for (size_t i = 0; i < r->touched.len; i++) {
        struct eff_node *e = r->touched.items[i];
        e->allowed &= e->pending;
        e->touched = false;
    }
    r->touched.len = 0;
}

struct eff_node *inherit_effective(struct obc *cc, const struct inherit_level *levels, size_t nlevels)
{
    struct inherit_run run = {.cc = cc, .a = &cc->arena}, *r = &run;
    struct eff_node *root = node_new(r, NULL, LOC_NONE, NULL);
    for (size_t l = 0; l < nlevels; l++) {
        r->level = l;
        for (size_t i = 0; i < levels[l].n; i++) {
            const struct inherit_policy *p = &levels[l].policies[i];
            if (!root->loc.file)
                root->loc = p->doc->key_loc;
            merge(r, root, p->doc, p, 0);
        }
        commit_controls(r);
    }
    return root;
}

/* ---- output ------------------------------------------------------------------ */

static bool has_content(const struct eff_node *e)
{
    if (e->has_value)
        return true;
    for (size_t i = 0; i < e->kids.len; i++)
        if (has_content(e->kids.items[i]))
            return true;
    return false;
}

static cJSON *value_cjson(struct json_doc *doc, const struct pval *p)
{
    cJSON *v;
    if (p->kind == JSON_TRUE || p->kind == JSON_FALSE)
        v = cJSON_CreateBool(p->kind == JSON_TRUE);
    else if (p->kind == JSON_NUMBER)
        v = cJSON_CreateNumber(strtod(p->text, NULL));
    else
        v = cJSON_CreateString(p->text);
    if (!v) {
        cJSON_Delete(doc->root);
        arena_fail(doc->arena);
    }
    return v;
}

static void add_item(struct json_doc *doc, cJSON *parent, const char *key, cJSON *v)
{
    if (!(key ? cJSON_AddItemToObject(parent, key, v) : cJSON_AddItemToArray(parent, v))) {
        cJSON_Delete(v);
        cJSON_Delete(doc->root);
        arena_fail(doc->arena);
    }
}

static void out_node(struct json_doc *doc, cJSON *obj, const struct eff_node *e)
{
    for (size_t i = 0; i < e->kids.len; i++) {
        const struct eff_node *k = e->kids.items[i];
        if (!has_content(k))
            continue; /* a node that only holds a control */
        if (!k->has_value) {
            out_node(doc, json_add_object(doc, obj, k->key), k);
        } else if (k->list) {
            cJSON *arr = json_add_array(doc, obj, k->key);
            for (size_t j = 0; j < k->vals.len; j++)
                add_item(doc, arr, NULL, value_cjson(doc, k->vals.items[j]));
        } else if (k->vals.len)
            add_item(doc, obj, k->key, value_cjson(doc, k->vals.items[0]));
    }
}

cJSON *eff_policy_json(struct obc *cc, const struct eff_node *root)
{
    struct json_doc doc;
    cJSON *top = json_doc_init(&doc, &cc->arena);
    out_node(&doc, top, root);
    return top;
}

cJSON *eff_describe_json(struct obc *cc, const struct eff_node *root, const char *target_id)
{
    cJSON *content = eff_policy_json(cc, root);
    char *text = json_print(content, false);
    cJSON_Delete(content);
    if (!text)
        arena_fail(&cc->arena);
    const char *kept = arena_strdup(&cc->arena, text);
    free(text);
    size_t n = strlen(kept);
    if (n && kept[n - 1] == '\n')
        kept = arena_strndup(&cc->arena, kept, n - 1);
    struct json_doc doc;
    cJSON *top = json_doc_init(&doc, &cc->arena);
    cJSON *ep = json_add_object(&doc, top, "EffectivePolicy");
    json_add_string(&doc, ep, "PolicyContent", kept);
    json_add_string(&doc, ep, "TargetId", target_id ? target_id : "");
    json_add_string(&doc, ep, "PolicyType", "BACKUP_POLICY");
    return top;
}

/* ---- as a located document for json_lower.c -------------------------------- */

static struct json_value *jv_new(struct arena *a, enum json_kind kind, struct loc loc)
{
    struct json_value *v = arena_alloc(a, sizeof *v);
    *v = (struct json_value){.kind = kind, .loc = loc};
    return v;
}

static struct json_value *jv_string(struct arena *a, const char *text, struct loc loc)
{
    struct json_value *v = jv_new(a, JSON_STRING, loc);
    v->text = text;
    v->len = strlen(text);
    return v;
}

static struct json_value *jv_value(struct arena *a, const struct pval *p)
{
    struct json_value *v = jv_string(a, p->text, p->loc);
    v->kind = p->kind;
    v->is_integer = p->kind == JSON_NUMBER && strspn(p->text, "0123456789-") == strlen(p->text);
    return v;
}

static void jv_member(struct arena *a, struct json_value *obj, const char *key, struct loc key_loc,
                      struct json_value *value)
{
    struct json_member *m = arena_alloc(a, sizeof *m);
    m->key = jv_string(a, key, key_loc);
    m->value = value;
    vec_push(a, &obj->members, m);
}

static struct json_value *located(struct arena *a, const struct eff_node *e)
{
    struct json_value *obj = jv_new(a, JSON_OBJECT, e->loc);
    for (size_t i = 0; i < e->kids.len; i++) {
        const struct eff_node *k = e->kids.items[i];
        if (!has_content(k))
            continue;
        if (!k->has_value) {
            jv_member(a, obj, k->key, k->loc, located(a, k));
            continue;
        }
        struct json_value *v;
        if (k->list) {
            v = jv_new(a, JSON_ARRAY, k->set_loc);
            for (size_t j = 0; j < k->vals.len; j++)
                vec_push(a, &v->items, jv_value(a, k->vals.items[j]));
        } else if (k->vals.len)
            v = jv_value(a, k->vals.items[0]);
        else
            continue;
        struct json_value *op = jv_new(a, JSON_OBJECT, k->set_loc);
        jv_member(a, op, "@@assign", k->set_loc, v);
        jv_member(a, obj, k->key, k->loc, op);
    }
    return obj;
}

struct json_value *eff_located(struct obc *cc, const struct eff_node *root)
{
    return located(&cc->arena, root);
}
