/*
 * json_lower.c - lowers a BACKUP_POLICY document (a json_value tree read
 * by json_in.c) into the policy IR the language produces, so that the
 * same checks run on it (docs/json-input.md).
 *
 * Owns: the structure of a document (policy_keys.def says which keys each
 * node has, what they hold and which operators they take; the walker here
 * is generic), OB1101-OB1116, and how a document's values become IR:
 * vaults named by a document are external (their key, lock and access
 * policy are unknown), the policy is a document (its attachments are
 * unknown), numbers and booleans are read from strings or JSON values
 * alike. Does not: read the file (load.c, json_in.c), or judge what the
 * IR means (checks.c and friends).
 */
#include "sema.h"

#include <ctype.h>
#include <string.h>

enum pnode {
#define NODE(id, what) id,
#include "policy_keys.def"
    PN_COUNT,
    PN_NONE = -1
};
enum pkey {
#define KEY(id, node, key, kind, child, ops, need) id,
#include "policy_keys.def"
    PK_COUNT
};
enum pkind { PV_OBJECT, PV_MAP, PV_STRING, PV_INT, PV_BOOL, PV_LIST };
enum pops { OPS_NONE, OPS_ASSIGN, OPS_LIST };
enum pneed { PQ_OPTIONAL, PQ_REQUIRED };

struct pkey_spec {
    enum pnode node;
    const char *key;
    enum pkind kind;
    enum pnode child;
    enum pops ops;
    enum pneed need;
};
static const struct pkey_spec keys[PK_COUNT] = {
#define KEY(id, node, key, kind, child, ops, need) {node, key, kind, child, ops, need},
#include "policy_keys.def"
};
static const char *const node_what[PN_COUNT] = {
#define NODE(id, what) what,
#include "policy_keys.def"
};

#define OP_CHILD "@@operators_allowed_for_child_policies"

/* The state of one document's lowering. */
struct json_lowering {
    struct obc *cc;
    struct arena *a;
    struct sema s;              /* for the shared readers (role ARNs, selections) */
    struct ir_program *prog;
    struct ir_policy *pol;
    bool standalone;
    enum json_missing missing_mode; /* NOTE unless json_lowering_missing says otherwise */
    struct strmap regions;      /* name -> struct ir_region* */
    struct strmap partitions;   /* name -> struct ir_partition* */
    struct strmap vaults;       /* identity -> struct ir_vault* */
    struct strmap accounts;     /* id -> struct ir_account* */
    struct vec region_names;    /* const char*: for "did you mean" */
    size_t missing;             /* required keys missing (not stand-alone) */
    struct strbuf missing_text; /* the first few, for the note */
    struct loc missing_at;
};

/* The keys of one fixed-key node found in an object: by slot. */
struct slots {
    const struct json_member *m[PK_COUNT];
    const struct json_member *misspelt[PK_COUNT]; /* an unknown key "did you mean" took for this one */
    struct loc at;              /* where the node is (its key, or the whole value) */
    const char *path;           /* "plans.daily.rules.nightly" for the partial note */
};

/* One value read through its operator. */
struct jv {
    const struct json_value *v; /* the value itself (inside the operator) */
    const char *op;             /* "@@assign", ...; NULL for a flat value */
    bool ok;                    /* of the kind asked for */
    bool rejected;              /* written, but wrong (reported) */
    int64_t num;
    bool flag;
    const char *s;
};

/* ------------------------------------------------------------------ */
/* Generic structure                                                    */

static bool is_value_op(const char *k)
{
    return strcmp(k, "@@assign") == 0 || strcmp(k, "@@append") == 0 || strcmp(k, "@@remove") == 0;
}

static struct loc contents_loc(const struct json_value *v)
{
    if (v->kind == JSON_STRING && v->raw && v->loc.end >= v->loc.start + 2)
        return (struct loc){v->loc.file, v->loc.start + 1, v->loc.end - 1};
    return v->loc;
}

static const char *kind_words(enum pkind k)
{
    switch (k) {
    case PV_OBJECT:
    case PV_MAP:
        return "an object";
    case PV_STRING:
        return "a string";
    case PV_INT:
        return "a whole number (as a string, \"35\")";
    case PV_BOOL:
        return "true or false";
    case PV_LIST:
        return "a list of strings";
    }
    return "a value";
}

static const char *found_words(struct arena *a, const struct json_value *v)
{
    switch (v->kind) {
    case JSON_STRING:
        return arena_printf(a, "the string \"%s\"", v->text);
    case JSON_NUMBER:
        return arena_printf(a, "the number %s", v->text);
    case JSON_ARRAY:
        return "a list";
    case JSON_OBJECT:
        return "an object";
    default:
        return json_kind_name(v->kind);
    }
}

/* @@operators_allowed_for_child_policies: ["@@all"], ["@@none"], or a
 * non-empty subset of the value-setting operators [S2]. */
static void check_child_ops(struct json_lowering *L, const struct json_value *v)
{
    const char *why = NULL;
    struct loc at = v->loc;
    if (v->kind != JSON_ARRAY || v->items.len == 0) {
        why = "it must be a non-empty list";
    } else {
        bool special = false;
        for (size_t i = 0; i < v->items.len && !why; i++) {
            const struct json_value *x = VEC_GET(const struct json_value, v->items, i);
            at = x->loc;
            if (x->kind != JSON_STRING)
                why = "its items are strings";
            else if (strcmp(x->text, "@@all") == 0 || strcmp(x->text, "@@none") == 0)
                special = true;
            else if (!is_value_op(x->text))
                why = arena_printf(L->a, "\"%s\" is not an operator", x->text);
        }
        if (!why && special && v->items.len > 1)
            why = "\"@@all\" and \"@@none\" stand alone";
    }
    if (!why)
        return;
    struct diag *d = diag_emit(L->cc, OB1104, at, "invalid " OP_CHILD ": %s", why);
    diag_help(L->cc, d, "write [\"@@all\"], [\"@@none\"] or a list of @@assign, @@append and @@remove");
}

/* The members of object `obj` that are not operators, each key once:
 * reports duplicates (OB1105), keys that differ only in case (OB1106),
 * and operators where `what` takes none (OB1104). `obj` must be an object. */
static void object_members(struct json_lowering *L, const struct json_value *obj, const char *what, struct vec *out)
{
    struct strmap exact = {0}, folded = {.fold = true};
    for (size_t i = 0; i < obj->members.len; i++) {
        const struct json_member *m = VEC_GET(const struct json_member, obj->members, i);
        const char *k = m->key->text;
        const struct json_member *o = strmap_put_new(L->a, &exact, k, (void *)m);
        if (o) {
            struct diag *d = diag_emit(L->cc, OB1105, m->key->loc, "key \"%s\" appears twice", k);
            diag_note(L->cc, d, o->key->loc, "first here");
            diag_help(L->cc, d, "AWS rejects a policy with duplicate keys: keep one of them");
            continue;
        }
        o = strmap_put_new(L->a, &folded, k, (void *)m);
        if (o) {
            struct diag *d = diag_emit(L->cc, OB1106, m->key->loc, "keys \"%s\" and \"%s\" differ only in case",
                                       o->key->text, k);
            diag_note(L->cc, d, o->key->loc, "the other one is here");
            diag_help(L->cc, d, "AWS lowercases keys, so these may merge or collide: rename or merge one of them");
            continue;
        }
        if (k[0] == '@' && k[1] == '@') {
            if (strcmp(k, OP_CHILD) == 0) {
                check_child_ops(L, m->value);
            } else if (is_value_op(k)) {
                struct diag *d = diag_emit(L->cc, OB1104, m->key->loc, "%s on %s, which holds keys, not a value",
                                           k, what);
                diag_help(L->cc, d, "put %s on the values inside, as in \"delete_after_days\": {\"@@assign\": \"35\"}",
                          k);
            } else {
                static const char *const ops[] = {"@@assign", "@@append", "@@remove", OP_CHILD};
                const char *g = suggest_name(k, ops, 4);
                struct diag *d = diag_emit(L->cc, OB1104, m->key->loc, "unknown operator \"%s\"%s%s%s", k,
                                           g ? " (did you mean \"" : "", g ? g : "", g ? "\"?)" : "");
                diag_help(L->cc, d, "the operators are @@assign, @@append, @@remove and " OP_CHILD);
            }
            continue;
        }
        vec_push(L->a, out, (void *)m);
    }
}

static bool expect_object(struct json_lowering *L, const struct json_value *v, const char *what)
{
    if (v->kind == JSON_OBJECT)
        return true;
    struct diag *d = diag_emit(L->cc, OB1107, v->loc, "%s must be an object, found %s", what, found_words(L->a, v));
    diag_help(L->cc, d, "write %s as { \"key\": ... }", what);
    return false;
}

/* A key a complete policy needs is missing at `path` (NULL: the top). */
static void note_missing(struct json_lowering *L, struct loc at, const char *path, const char *key)
{
    if (L->missing_mode == JSON_MISSING_IGNORED)
        return;
    if (L->missing_mode == JSON_MISSING_EFFECTIVE) {
        struct diag *d = diag_emit(L->cc, OB8104, at, "the effective policy is not complete: %s has no \"%s\"",
                                   path ? path : "the document", key);
        diag_help(L->cc, d, "AWS Backup ignores a plan of an incomplete effective policy: set \"%s\" in this "
                            "policy or in one attached above it", key);
        return;
    }
    if (L->missing_mode == JSON_MISSING_ERROR) {
        struct diag *d = diag_emit(L->cc, OB1115, at, "%s has no \"%s\"", path ? path : "the document", key);
        diag_help(L->cc, d, "a stand-alone policy needs \"%s\"; without --standalone a partial policy is a note", key);
        return;
    }
    if (L->missing++ == 0)
        L->missing_at = at;
    if (L->missing <= 5)
        sb_printf(L->a, &L->missing_text, "%s%s%s%s", L->missing > 1 ? ", " : "", path ? path : "",
                  path ? "." : "", key);
}

/* Walks a fixed-key node: every key must be one of policy_keys.def's
 * for `node` (OB1102 with "did you mean"); fills `out`. Returns false
 * when `obj` is no object (reported). */
static bool walk_node(struct json_lowering *L, const struct json_value *obj, enum pnode node, struct loc at,
                      const char *path,
                      struct slots *out)
{
    memset(out, 0, sizeof *out);
    out->at = at;
    out->path = path;
    if (!expect_object(L, obj, node_what[node]))
        return false;
    struct vec ms = {0};
    object_members(L, obj, node_what[node], &ms);
    const char *names[PK_COUNT];
    size_t n = 0;
    for (size_t k = 0; k < PK_COUNT; k++)
        if (keys[k].node == node)
            names[n++] = keys[k].key;
    for (size_t i = 0; i < ms.len; i++) {
        const struct json_member *m = ms.items[i];
        size_t k;
        for (k = 0; k < PK_COUNT; k++)
            if (keys[k].node == node && strcmp(keys[k].key, m->key->text) == 0)
                break;
        if (k < PK_COUNT) {
            out->m[k] = m;
            continue;
        }
        const char *g = suggest_name(m->key->text, names, n);
        for (size_t j = 0; g && j < PK_COUNT; j++)
            if (keys[j].node == node && strcmp(keys[j].key, g) == 0 && !out->misspelt[j])
                out->misspelt[j] = m;
        struct diag *d = diag_emit(L->cc, OB1102, m->key->loc, "unknown key \"%s\" in %s%s%s%s", m->key->text,
                                   node_what[node], g ? " (did you mean \"" : "", g ? g : "", g ? "\"?)" : "");
        if (strcmp(m->key->text, "schedule_expression_timezone") == 0)
            diag_help(L->cc, d, "backup policies have no time zone: their schedules are UTC; convert the time and "
                                "remove the key");
        else if (g)
            diag_help(L->cc, d, "write \"%s\"", g);
        else {
            struct strbuf b = {0};
            for (size_t j = 0; j < n; j++)
                sb_printf(L->a, &b, "%s\"%s\"", j ? ", " : "", names[j]);
            diag_help(L->cc, d, "%s takes %s", node_what[node], sb_str(L->a, &b));
        }
    }
    for (size_t k = 0; k < PK_COUNT; k++)
        if (keys[k].node == node && keys[k].need == PQ_REQUIRED && !out->m[k] && !out->misspelt[k])
            note_missing(L, at, path, keys[k].key);
    return true;
}

/* The entries of a map-valued key (plans, rules, copy_actions, ...). */
static void map_entries(struct json_lowering *L, const struct json_member *m, struct vec *out)
{
    if (!m || !expect_object(L, m->value, arena_printf(L->a, "\"%s\"", m->key->text)))
        return;
    object_members(L, m->value, arena_printf(L->a, "\"%s\"", m->key->text), out);
}

static bool read_int(struct json_lowering *L, const struct json_value *v, int64_t *out)
{
    const char *t = v->text;
    bool neg = t[0] == '-';
    size_t i = neg ? 1 : 0, n = strlen(t);
    if (v->kind == JSON_NUMBER && !v->is_integer) {
        struct diag *d = diag_emit(L->cc, OB1107, v->loc, "expected a whole number, found %s", v->text);
        diag_help(L->cc, d, "write a whole number of days or minutes, as in \"35\"");
        return false;
    }
    if (n == i || n - i > 15 || n != v->len) {
        struct diag *d = diag_emit(L->cc, OB1107, v->loc, "expected a whole number, found %s", found_words(L->a, v));
        diag_help(L->cc, d, "write the number as a string of digits, as in \"35\"");
        return false;
    }
    int64_t x = 0;
    for (; i < n; i++) {
        if (!isdigit((unsigned char)t[i])) {
            struct diag *d = diag_emit(L->cc, OB1107, v->loc, "expected a whole number, found %s",
                                       found_words(L->a, v));
            diag_help(L->cc, d, "write the number as a string of digits, as in \"35\"");
            return false;
        }
        x = x * 10 + (t[i] - '0');
    }
    *out = neg ? -x : x;
    return true;
}

/* Reads the value of key `k` in member `m` through its operator (OB1103
 * for a flat value, OB1104 for an operator the key does not take) and
 * checks its kind (OB1107). Returns false when there is no usable value. */
static bool get_value(struct json_lowering *L, enum pkey k, const struct json_member *m, struct jv *out)
{
    memset(out, 0, sizeof *out);
    const struct pkey_spec *ks = &keys[k];
    const struct json_value *v = m->value;
    if (v->kind == JSON_OBJECT) {
        const struct json_member *op = NULL;
        for (size_t i = 0; i < v->members.len; i++) {
            const struct json_member *x = VEC_GET(const struct json_member, v->members, i);
            const char *t = x->key->text;
            if (strcmp(t, OP_CHILD) == 0) {
                check_child_ops(L, x->value);
                continue;
            }
            if (!is_value_op(t)) {
                struct diag *d = diag_emit(L->cc, OB1104, x->key->loc, "\"%s\" holds a value: expected an operator "
                                           "such as @@assign, found key \"%s\"", ks->key, t);
                diag_help(L->cc, d, "write \"%s\": {\"@@assign\": ...}", ks->key);
                out->rejected = true;
                return false;
            }
            if (op && strcmp(op->key->text, t) == 0) {
                struct diag *d = diag_emit(L->cc, OB1105, x->key->loc, "key \"%s\" appears twice", t);
                diag_note(L->cc, d, op->key->loc, "first here");
                diag_help(L->cc, d, "AWS rejects a policy with duplicate keys: keep one of them");
                continue; /* the first is read, as for any other key */
            }
            if (op) {
                struct diag *d = diag_emit(L->cc, OB1104, x->key->loc, "\"%s\" has two value operators, %s and %s",
                                           ks->key, op->key->text, t);
                diag_note(L->cc, d, op->key->loc, "the first one");
                diag_help(L->cc, d, "keep one operator per key in one policy");
                out->rejected = true;
                return false;
            }
            op = x;
        }
        if (!op)
            return false; /* only the child control operator: no value here */
        out->op = op->key->text;
        if (strcmp(out->op, "@@assign") != 0) {
            if (ks->ops != OPS_LIST) {
                struct diag *d = diag_emit(L->cc, OB8101, op->key->loc, "%s on \"%s\", which holds one value",
                                           out->op, ks->key);
                diag_help(L->cc, d, "@@append and @@remove work on lists (regions, tag_value, resource_types); "
                                    "write \"@@assign\"");
                out->rejected = true;
                return false;
            }
        }
        v = op->value;
    } else {
        struct diag *d = diag_emit(L->cc, OB1103, v->loc, "\"%s\" has a value without an operator", ks->key);
        diag_help(L->cc, d, "AWS takes every value through an operator: write \"%s\": {\"@@assign\": %s}", ks->key,
                  v->kind == JSON_STRING ? arena_printf(L->a, "\"%s\"", v->text) : v->kind == JSON_ARRAY ? "[...]"
                  : v->kind == JSON_NUMBER ? v->text : json_kind_name(v->kind));
        /* the value is still read, so that the checks see it */
    }
    out->v = v;
    switch (ks->kind) {
    case PV_STRING:
        if (v->kind == JSON_STRING && strlen(v->text) == v->len) {
            out->s = v->text;
            out->ok = true;
        } else if (v->kind == JSON_NUMBER || v->kind == JSON_TRUE || v->kind == JSON_FALSE) {
            /* AWS takes the JSON value for the string it spells (spec 1.1) */
            out->s = v->kind == JSON_NUMBER ? v->text : json_kind_name(v->kind);
            out->ok = true;
        }
        break;
    case PV_INT:
        if (v->kind == JSON_STRING || v->kind == JSON_NUMBER) {
            out->ok = read_int(L, v, &out->num); /* reports what is wrong */
            out->rejected = !out->ok;
            return out->ok;
        }
        break;
    case PV_BOOL:
        if (v->kind == JSON_TRUE || v->kind == JSON_FALSE) {
            out->flag = v->kind == JSON_TRUE;
            out->ok = true;
        } else if (v->kind == JSON_STRING && (strcmp(v->text, "true") == 0 || strcmp(v->text, "false") == 0)) {
            out->flag = v->text[0] == 't';
            out->ok = true;
        }
        break;
    case PV_LIST:
        if (v->kind == JSON_ARRAY) {
            out->ok = true;
            for (size_t i = 0; i < v->items.len; i++) {
                const struct json_value *x = VEC_GET(const struct json_value, v->items, i);
                if (x->kind != JSON_STRING) {
                    struct diag *d = diag_emit(L->cc, OB1107, x->loc, "\"%s\" is a list of strings, found %s",
                                               ks->key, found_words(L->a, x));
                    diag_help(L->cc, d, "write each item as a string");
                    out->rejected = true;
                    return false;
                }
            }
        }
        break;
    case PV_OBJECT:
    case PV_MAP:
        break;
    }
    if (!out->ok) {
        out->rejected = true;
        struct diag *d = diag_emit(L->cc, OB1107, v->loc, "\"%s\" takes %s, found %s", ks->key, kind_words(ks->kind),
                                   found_words(L->a, v));
        if (ks->kind == PV_LIST && v->kind == JSON_STRING)
            diag_help(L->cc, d, "write a list: [\"%s\"]", v->text);
        else if (v->kind == JSON_ARRAY && v->items.len == 1)
            diag_help(L->cc, d, "write the one value without the brackets");
        else
            diag_help(L->cc, d, "write %s", kind_words(ks->kind));
    }
    return out->ok;
}

/* ------------------------------------------------------------------ */
/* Values into the IR                                                   */

/* A key that is absent, but that an unknown key was taken for (OB1102):
 * its value counts as rejected, so that checks do not call it missing. */
static bool misspelt(const struct slots *sl, enum pkey k, enum ir_state *state, struct loc *loc)
{
    if (sl->m[k] || !sl->misspelt[k])
        return false;
    *state = IR_REJECTED;
    *loc = sl->misspelt[k]->key->loc;
    return true;
}

/* The value of slot k read into *jv: false when it is absent, misspelt
 * or rejected, with *state and *loc saying which and where. */
static bool slot_value(struct json_lowering *L, const struct slots *sl, enum pkey k, enum ir_state *state,
                       struct loc *loc, struct jv *jv)
{
    if (misspelt(sl, k, state, loc) || !sl->m[k])
        return false;
    *loc = sl->m[k]->value->loc;
    if (!get_value(L, k, sl->m[k], jv)) {
        *state = jv->rejected ? IR_REJECTED : IR_ABSENT;
        return false;
    }
    return true;
}

static enum ir_state text_of(struct json_lowering *L, const struct slots *sl, enum pkey k, struct ir_text *out)
{
    struct jv jv;
    if (!slot_value(L, sl, k, &out->state, &out->loc, &jv))
        return out->state;
    *out = (struct ir_text){jv.s, contents_loc(jv.v), IR_SET};
    return IR_SET;
}

static void num_of(struct json_lowering *L, const struct slots *sl, enum pkey k, struct ir_num *out)
{
    struct jv jv;
    if (slot_value(L, sl, k, &out->state, &out->loc, &jv))
        *out = (struct ir_num){jv.num, jv.v->loc, IR_SET};
}

static void flag_of(struct json_lowering *L, const struct slots *sl, enum pkey k, struct ir_flag *out)
{
    struct jv jv;
    if (slot_value(L, sl, k, &out->state, &out->loc, &jv))
        *out = (struct ir_flag){jv.flag, jv.v->loc, IR_SET};
}

/* "enabled" / "disabled" (advanced_backup_settings). */
static void enabled_of(struct json_lowering *L, const struct slots *sl, enum pkey k, struct ir_flag *out)
{
    struct ir_text t = {0};
    if (text_of(L, sl, k, &t) != IR_SET)
        return;
    if (strcmp(t.s, "enabled") != 0 && strcmp(t.s, "disabled") != 0) {
        struct diag *d = diag_emit(L->cc, OB1116, t.loc, "\"%s\" takes \"enabled\" or \"disabled\", not \"%s\"",
                                   keys[k].key, t.s);
        diag_help(L->cc, d, "write \"enabled\" or \"disabled\"");
        out->state = IR_REJECTED;
        return;
    }
    *out = (struct ir_flag){t.s[0] == 'e', t.loc, IR_SET};
}

/* A list value: its string items (struct json_value*) appended to out. */
/* `op`: where the list's operator goes (@@assign, @@append, @@remove). */
static enum ir_state list_of(struct json_lowering *L, const struct slots *sl, enum pkey k, struct vec *out,
                             struct ir_attr *at, enum ir_list_op *op)
{
    struct jv jv;
    if (misspelt(sl, k, &at->state, &at->loc))
        return IR_REJECTED;
    if (!sl->m[k])
        return IR_ABSENT;
    at->loc = sl->m[k]->value->loc;
    if (!get_value(L, k, sl->m[k], &jv)) {
        at->state = jv.rejected ? IR_REJECTED : IR_ABSENT;
        return at->state;
    }
    for (size_t i = 0; i < jv.v->items.len; i++)
        vec_push(L->a, out, jv.v->items.items[i]);
    *op = !jv.op || strcmp(jv.op, "@@assign") == 0 ? IR_OP_ASSIGN
          : strcmp(jv.op, "@@append") == 0 ? IR_OP_APPEND : IR_OP_REMOVE;
    at->state = IR_SET;
    return IR_SET;
}

static struct loc member_loc(const struct json_member *m)
{
    return loc_span(m->key->loc, m->value->loc);
}

static void regions_of(struct json_lowering *L, const struct slots *sl, struct ir_plan *p)
{
    struct vec items = {0};
    if (list_of(L, sl, PK_PLAN_REGIONS, &items, &p->regions_at, &p->regions_op) != IR_SET)
        return;
    struct ptrset seen = {0};
    for (size_t i = 0; i < items.len; i++) {
        const struct json_value *x = items.items[i];
        struct ir_region *r = strmap_get(&L->regions, x->text);
        if (!r) {
            const char *g = suggest_from_vec(x->text, &L->region_names);
            struct diag *d = diag_emit(L->cc, OB1116, contents_loc(x), "unknown region \"%s\"%s%s%s", x->text,
                                       g ? " (did you mean \"" : "", g ? g : "", g ? "\"?)" : "");
            diag_help(L->cc, d, "write a region code such as \"eu-central-1\"%s",
                      strchr(x->text, '$') ? "; a policy takes no variables in regions" : "");
            p->regions_at.state = IR_REJECTED;
            continue;
        }
        r->d.used = true;
        vec_push_new(L->a, &p->regions, &seen, r);
    }
}

/* An inline role from an ARN (iam_role_arn, scanner_role_arn). */
static struct ir_role *role_of(struct json_lowering *L, const struct slots *sl, enum pkey k, struct ir_attr *at)
{
    struct ir_text t = {0};
    if (text_of(L, sl, k, &t) != IR_SET) {
        at->state = t.state;
        at->loc = t.loc;
        return NULL;
    }
    at->loc = t.loc;
    if (!lower_role_arn(&L->s, t.s, t.loc)) {
        at->state = IR_REJECTED;
        return NULL;
    }
    struct ir_role *r = arena_alloc(L->a, sizeof *r);
    r->d.kind = DK_ROLE;
    r->d.loc = t.loc;
    r->d.name_loc = t.loc;
    r->d.used = true;
    r->arn = t;
    r->path = "/";
    at->state = IR_SET;
    return r;
}

/* ------------------------------------------------------------------ */
/* Vaults and accounts                                                  */

static struct ir_vault *new_vault(struct json_lowering *L, const char *id, const char *name, struct loc loc)
{
    struct ir_vault *v = strmap_get(&L->vaults, id);
    if (v)
        return v;
    v = arena_alloc(L->a, sizeof *v);
    v->d = ir_decl_implicit(DK_VAULT, name, loc);
    v->d.file = src_get(L->cc, loc.file);
    v->aws_name = (struct ir_text){name, loc, IR_SET};
    v->owner = (struct ir_principal){PRIN_MEMBERS, NULL, loc};
    v->external = true;
    strmap_put_new(L->a, &L->vaults, id, v);
    vec_push(L->a, &L->prog->vaults, v);
    return v;
}

static struct ir_account *account_of(struct json_lowering *L, const char *id, struct loc loc)
{
    struct ir_account *acc = strmap_get(&L->accounts, id);
    if (acc)
        return acc;
    acc = arena_alloc(L->a, sizeof *acc);
    acc->d = ir_decl_implicit(DK_ACCOUNT, id, loc);
    acc->d.file = src_get(L->cc, loc.file);
    acc->id = id;
    strmap_put_new(L->a, &L->accounts, id, acc);
    vec_push(L->a, &L->prog->accounts, acc);
    return acc;
}

/* A vault ARN, checked: arn:P:backup:REGION:ACCOUNT:backup-vault:NAME.
 * `air_gapped`: the rule's air-gapped vault, which must use $region and
 * $account [S1]. Returns the external vault, or NULL after reporting. */
static struct ir_vault *vault_from_arn(struct json_lowering *L, const struct ir_text *t, bool air_gapped)
{
    struct arn_parts p;
    const char *arn = t->s;
    if (!arn_split(L->a, arn, &p) || strcmp(p.service, "backup") != 0 ||
        (strncmp(p.resource, "backup-vault:", 13) != 0 && strncmp(p.resource, "vault:", 6) != 0)) {
        struct diag *d = diag_emit(L->cc, OB1111, t->loc, "\"%s\" is not a backup vault ARN", arn);
        diag_help(L->cc, d, "write arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME, with $account for the "
                            "receiving account");
        return NULL;
    }
    if (strncmp(p.resource, "vault:", 6) == 0) {
        struct diag *d = diag_emit(L->cc, OB1111, t->loc, "vault ARN with \":vault:\" instead of \":backup-vault:\"");
        diag_help(L->cc, d, "write \"arn:%s:backup:%s:%s:backup-vault:%s\"", p.partition, p.region, p.account,
                  p.resource + 6);
        return NULL;
    }
    const char *name = p.resource + 13;
    if (!strmap_get(&L->partitions, p.partition)) {
        struct diag *d = diag_emit(L->cc, OB1111, t->loc, "\"%s\" is not an AWS partition", p.partition);
        diag_help(L->cc, d, "write the partition of the plan's regions: aws, aws-cn or aws-us-gov");
        return NULL;
    }
    if (air_gapped) {
        if (strcmp(p.region, "$region") != 0 || strcmp(p.account, "$account") != 0) {
            struct diag *d = diag_emit(L->cc, OB1111, t->loc, "the air-gapped vault ARN must use $region and "
                                       "$account");
            diag_help(L->cc, d, "write \"arn:%s:backup:$region:$account:backup-vault:%s\"", p.partition, name);
            return NULL;
        }
        struct ir_vault *v = new_vault(L, arena_printf(L->a, "lag\x1f%s", name), name, t->loc);
        v->air_gapped = true;
        v->type_at = (struct ir_attr){IR_SET, t->loc};
        return v;
    }
    bool digits = strlen(p.account) == 12;
    for (size_t i = 0; digits && i < 12; i++)
        digits = isdigit((unsigned char)p.account[i]);
    if (!digits && strcmp(p.account, "$account") != 0) {
        struct diag *d = diag_emit(L->cc, OB1112, t->loc, "the account in \"%s\" is \"%s\": neither a 12-digit "
                                   "account id nor $account", arn, p.account);
        diag_help(L->cc, d, "write the destination account's 12-digit id, or $account for the account that runs "
                            "the plan");
        return NULL;
    }
    struct ir_region *region = NULL;
    if (strcmp(p.region, "$region") == 0) {
        struct diag *d = diag_emit(L->cc, OB1113, t->loc, "$region in a copy target ARN");
        diag_help(L->cc, d, "AWS documents $region only for target_logically_air_gapped_backup_vault_arn; name the "
                            "destination region, as in arn:%s:backup:us-east-1:...", p.partition);
    } else if (!(region = strmap_get(&L->regions, p.region))) {
        const char *g = suggest_from_vec(p.region, &L->region_names);
        struct diag *d = diag_emit(L->cc, OB1116, t->loc, "unknown region \"%s\" in a vault ARN%s%s%s", p.region,
                                   g ? " (did you mean \"" : "", g ? g : "", g ? "\"?)" : "");
        diag_help(L->cc, d, "write a region code such as \"eu-central-1\"");
        return NULL;
    }
    struct ir_vault *v = new_vault(L, arena_printf(L->a, "arn\x1f%s\x1f%s\x1f%s", p.region, p.account, name), name,
                                   t->loc);
    if (region && v->regions.len == 0) {
        vec_push(L->a, &v->regions, region);
        v->regions_at = (struct ir_attr){IR_SET, t->loc};
    }
    if (digits) {
        v->owner.kind = PRIN_ACCOUNT;
        v->owner.account = account_of(L, p.account, t->loc);
    }
    return v;
}

/* ------------------------------------------------------------------ */
/* Resource types                                                       */


/* The std resource type an ARN of resource_types names: "*" is `any`;
 * else the partition must be one, and the rest must be one of the types'
 * patterns. A resource's own ARN, which a pattern covers, is reported
 * with the pattern to write: backup policies take the documented
 * patterns only [S1, spec 1.4]. */
static struct ir_restype *restype_of(struct json_lowering *L, const struct json_value *x)
{
    const char *arn = x->text;
    const struct ir_program *prog = L->prog;
    if (strcmp(arn, "*") == 0) {
        for (size_t i = 0; i < prog->restypes.len; i++)
            if (VEC_GET(struct ir_restype, prog->restypes, i)->is_any)
                return prog->restypes.items[i];
    }
    const char *rest = NULL;
    if (strncmp(arn, "arn:", 4) == 0) {
        const char *colon = strchr(arn + 4, ':');
        if (colon && strmap_get(&L->partitions, arena_strndup(L->a, arn + 4, (size_t)(colon - arn - 4))))
            rest = colon + 1;
    }
    const char *covering = NULL;
    for (size_t i = 0; rest && i < prog->restypes.len; i++) {
        struct ir_restype *t = prog->restypes.items[i];
        for (size_t j = 0; j < t->arns.len; j++) {
            const char *pat = t->arns.items[j];
            if (strcmp(pat, "*") != 0 && strcmp(pat, rest) == 0)
                return t;
            if (!covering && strcmp(pat, "*") != 0 && wildcard_match(pat, rest, 0))
                covering = pat;
        }
    }
    struct diag *d;
    if (covering) {
        d = diag_emit(L->cc, OB1116, contents_loc(x), "\"%s\" is the ARN of one resource; backup policies select "
                      "by resource type", arn);
        diag_help(L->cc, d, "write the type's pattern \"%.*s%s\" and narrow the selection with conditions on tags",
                  (int)(rest - arn), arn, covering);
        return NULL;
    }
    d = diag_emit(L->cc, OB1116, contents_loc(x), "\"%s\" is not a resource type AWS Backup knows", arn);
    diag_help(L->cc, d, "write an ARN pattern of a supported type, as in \"arn:aws:ec2:*:*:volume/*\", or \"*\"");
    return NULL;
}

/* Resource types by their names in scan_settings or index_actions. */
static void named_types(struct json_lowering *L, const struct slots *sl, enum pkey k, bool scan, struct vec *out,
                        struct ir_attr *at, enum ir_list_op *op)
{
    struct vec items = {0};
    if (list_of(L, sl, k, &items, at, op) != IR_SET)
        return;
    for (size_t i = 0; i < items.len; i++) {
        const struct json_value *x = items.items[i];
        struct ir_restype *found = NULL;
        for (size_t j = 0; j < L->prog->restypes.len && !found; j++) {
            struct ir_restype *t = L->prog->restypes.items[j];
            const char *n = scan ? t->scan_name : t->index_name;
            if (n && strcmp(n, x->text) == 0)
                found = t;
        }
        if (!found) {
            struct diag *d = diag_emit(L->cc, OB1116, contents_loc(x), "\"%s\" is not a resource type for %s", x->text,
                                       scan ? "scan_settings" : "index_actions");
            diag_help(L->cc, d, "%s", scan ? "write \"EBS\", \"EC2\", \"S3\" or \"ALL\"" : "write \"EBS\" or \"S3\"");
            at->state = IR_REJECTED;
            continue;
        }
        found->d.used = true;
        vec_push(L->a, out, found);
    }
}

/* ------------------------------------------------------------------ */
/* A label AWS discards (a tag entry's id, a condition's name) that obc
 * writes otherwise (`want`): the first one in the document is where the
 * import says so. */
static void note_label(struct json_lowering *L, const struct json_member *e, const char *want)
{
    struct loc *at = &L->pol->renamed_label;
    if (strcmp(e->key->text, want) != 0 && (!at->file || e->key->loc.start < at->start))
        *at = e->key->loc;
}

/* recovery_point_tags and backup_plan_tags: {"<id>": {"tag_key": ...,
 * "tag_value": ...}}. The ids are labels AWS discards (it passes a key ->
 * value map on); obc writes the tag key in lower case as the id. */
static void lower_tag_map(struct json_lowering *L, const struct json_member *m, const char *path, struct vec *tags,
                          struct ir_attr *at)
{
    struct vec ents = {0};
    map_entries(L, m, &ents);
    if (m)
        *at = (struct ir_attr){IR_SET, m->value->loc};
    for (size_t i = 0; i < ents.len; i++) {
        const struct json_member *e = ents.items[i];
        struct slots ts;
        if (!walk_node(L, e->value, PN_TAG, e->key->loc, arena_printf(L->a, "%s.%s", path, e->key->text), &ts))
            continue;
        struct ir_text k = {0}, v = {0};
        if (text_of(L, &ts, PK_TAG_KEY, &k) != IR_SET || text_of(L, &ts, PK_TAG_VALUE, &v) != IR_SET)
            continue;
        note_label(L, e, arena_strdup_lower(L->a, k.s));
        struct ir_tag *tag = arena_alloc(L->a, sizeof *tag);
        *tag = (struct ir_tag){k.s, v.s, member_loc(e)};
        vec_push(L->a, tags, tag);
    }
}

/* Selections                                                           */

static void lower_conditions(struct json_lowering *L, const struct json_member *m, const char *path,
                             struct ir_sel_entry *e)
{
    struct slots sl;
    if (!m || !walk_node(L, m->value, PN_CONDITIONS, m->key->loc, path, &sl))
        return;
    static const enum pkey ops[] = {PK_COND_EQUALS, PK_COND_NOT_EQUALS, PK_COND_LIKE, PK_COND_NOT_LIKE};
    static const enum cond_op cops[] = {COND_EQUALS, COND_NOT_EQUALS, COND_LIKE, COND_NOT_LIKE};
    for (size_t o = 0; o < 4; o++) {
        struct vec ents = {0};
        map_entries(L, sl.m[ops[o]], &ents);
        for (size_t i = 0; i < ents.len; i++) {
            const struct json_member *c = ents.items[i];
            struct slots cs;
            const char *cpath = arena_printf(L->a, "%s.%s.%s", path, keys[ops[o]].key, c->key->text);
            if (!walk_node(L, c->value, PN_CONDITION, c->key->loc, cpath, &cs))
                continue;
            struct ir_text key = {0}, value = {0};
            text_of(L, &cs, PK_CK_KEY, &key);
            text_of(L, &cs, PK_CK_VALUE, &value);
            if (key.state != IR_SET || value.state != IR_SET)
                continue;
            static const char prefix[] = "aws:ResourceTag/";
            if (strncmp(key.s, prefix, sizeof prefix - 1) != 0 || !key.s[sizeof prefix - 1]) {
                struct diag *d = diag_emit(L->cc, OB1116, key.loc, "condition_key \"%s\" is not a resource tag",
                                           key.s);
                diag_help(L->cc, d, "backup selections take conditions on tags only: write \"aws:ResourceTag/KEY\"");
                continue;
            }
            struct ir_condition *ic = arena_alloc(L->a, sizeof *ic);
            ic->op = cops[o];
            ic->tag_key = key.s + sizeof prefix - 1;
            note_label(L, c, ic->tag_key); /* obc names a condition after its tag key */
            ic->value = value.s;
            ic->loc = member_loc(c);
            vec_push(L->a, &e->conditions, ic);
        }
    }
}

/* The head of the plan or selection a document's member `m` is: named by
 * its key, used, in the document's file. */
static struct ir_decl member_decl(struct json_lowering *L, enum decl_kind kind, const struct json_member *m)
{
    struct ir_decl d = ir_decl_implicit(kind, m->key->text, member_loc(m));
    d.name_loc = m->key->loc;
    d.file = src_get(L->cc, m->key->loc.file);
    return d;
}

static struct ir_selection *lower_selection_entry(struct json_lowering *L, const struct json_member *m, bool resources,
                                                  const char *path)
{
    struct slots sl;
    if (!walk_node(L, m->value, resources ? PN_SEL_RESOURCES : PN_SEL_TAGS, m->key->loc, path, &sl))
        return NULL;
    struct ir_selection *sel = arena_alloc(L->a, sizeof *sel);
    sel->d = member_decl(L, DK_SELECTION, m);
    sel->aws_name = (struct ir_text){m->key->text, m->key->loc, IR_SET};
    sel->role = role_of(L, &sl, resources ? PK_SR_ROLE : PK_ST_ROLE, &sel->role_at);
    struct ir_sel_entry *e = arena_alloc(L->a, sizeof *e);
    e->name = m->key->text;
    e->resources = resources;
    e->loc = member_loc(m);
    sel->match_at = (struct ir_attr){IR_SET, m->value->loc};
    if (resources) {
        for (int not = 0; not < 2; not++) {
            struct vec items = {0};
            struct ir_attr at = {0};
            if (list_of(L, &sl, not ? PK_SR_NOT_TYPES : PK_SR_TYPES, &items, &at, not ? &e->not_types_op : &e->types_op) ==
                IR_REJECTED)
                sel->match_at.state = IR_REJECTED;
            for (size_t i = 0; i < items.len; i++) {
                const struct json_value *x = items.items[i];
                struct ir_restype *t = restype_of(L, x);
                if (!t) {
                    sel->match_at.state = IR_REJECTED;
                    continue;
                }
                t->d.used = true;
                vec_push(L->a, not ? &e->not_types : &e->types, t);
                vec_push(L->a, not ? &e->not_type_arns : &e->type_arns, (void *)x->text);
            }
        }
        lower_conditions(L, sl.m[PK_SR_CONDITIONS], arena_printf(L->a, "%s.conditions", path), e);
    } else {
        struct ir_text key = {0};
        struct vec values = {0};
        struct ir_attr at = {0};
        if (text_of(L, &sl, PK_ST_KEY, &key) == IR_SET)
            e->tag_key = key.s;
        list_of(L, &sl, PK_ST_VALUE, &values, &at, &e->tag_values_op);
        for (size_t i = 0; i < values.len; i++)
            vec_push(L->a, &e->tag_values, (void *)VEC_GET(const struct json_value, values, i)->text);
        if (key.state == IR_REJECTED || at.state == IR_REJECTED)
            sel->match_at.state = IR_REJECTED;
        lower_conditions(L, sl.m[PK_ST_CONDITIONS], arena_printf(L->a, "%s.conditions", path), e);
    }
    vec_push(L->a, &sel->entries, e);
    vec_push(L->a, &L->prog->selections, sel);
    return sel;
}

static void lower_selections(struct json_lowering *L, const struct json_member *m, const char *path, struct ir_plan *p)
{
    struct slots sl;
    if (!m || !walk_node(L, m->value, PN_SELECTIONS, m->key->loc, path, &sl))
        return;
    p->select_at = (struct ir_attr){IR_SET, m->value->loc};
    if (!sl.m[PK_SEL_TAGS] && !sl.m[PK_SEL_RESOURCES])
        note_missing(L, m->key->loc, path, "tags (or resources)");
    for (int res = 0; res < 2; res++) {
        const struct json_member *sm = sl.m[res ? PK_SEL_RESOURCES : PK_SEL_TAGS];
        struct vec ents = {0};
        map_entries(L, sm, &ents);
        for (size_t i = 0; i < ents.len; i++) {
            const struct json_member *e = ents.items[i];
            struct ir_selection *sel = lower_selection_entry(
                L, e, res == 1, arena_printf(L->a, "%s.%s.%s", path, res ? "resources" : "tags", e->key->text));
            if (sel)
                vec_push(L->a, &p->selections, sel);
            else
                p->select_at.state = IR_REJECTED;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Rules                                                                */

static void lower_lifecycle(struct json_lowering *L, const struct json_member *m, const char *path,
                            struct ir_lifecycle *lc)
{
    struct slots sl;
    if (!m || !walk_node(L, m->value, PN_LIFECYCLE, m->key->loc, path, &sl))
        return;
    num_of(L, &sl, PK_LC_DELETE, &lc->delete_after);
    num_of(L, &sl, PK_LC_COLD, &lc->cold_after);
    flag_of(L, &sl, PK_LC_ARCHIVE, &lc->archive);
}

static void lower_schedule(struct json_lowering *L, const struct slots *sl, struct ir_rule *r)
{
    struct ir_text t = {0};
    enum ir_state st = text_of(L, sl, PK_RULE_SCHEDULE, &t);
    if (st == IR_ABSENT)
        return;
    r->schedule_at = (struct ir_attr){IR_REJECTED, t.loc};
    if (st != IR_SET)
        return;
    size_t n = strlen(t.s);
    if (n < 6 || strncmp(t.s, "cron(", 5) != 0 || t.s[n - 1] != ')') {
        struct diag *d = diag_emit(L->cc, OB3001, t.loc, "schedule_expression \"%s\" is not cron(...)", t.s);
        diag_help(L->cc, d, "write \"cron(0 5 ? * * *)\": minutes hours day-of-month month day-of-week year (UTC)%s",
                  strncmp(t.s, "rate(", 5) == 0 ? "; AWS Backup takes no rate() expressions" : "");
        return;
    }
    const char *inner = arena_strndup(L->a, t.s + 5, n - 6);
    const struct json_value *v = sl->m[PK_RULE_SCHEDULE]->value;
    bool raw = t.loc.start != v->loc.start; /* contents_loc narrowed it: no escapes */
    r->cronv = arena_alloc(L->a, sizeof *r->cronv);
    if (!cron_parse(L->cc, inner, t.loc, raw ? t.loc.start + 5 : 0, r->cronv))
        return;
    r->cron = arena_printf(L->a, "cron(%s)", r->cronv->text);
    r->schedule_at.state = IR_SET;
}

static void jl_copy(struct json_lowering *L, const struct json_member *m, const char *path, struct ir_rule *r)
{
    struct slots sl;
    if (!walk_node(L, m->value, PN_COPY, m->key->loc, path, &sl))
        return;
    struct ir_text t = {0};
    enum ir_state st = text_of(L, &sl, PK_COPY_TARGET, &t);
    if (st == IR_REJECTED)
        return;
    if (st == IR_ABSENT) {
        const char *lower = arena_strdup_lower(L->a, m->key->text);
        struct diag *d = diag_emit(L->cc, OB1110, m->key->loc, "copy action without target_backup_vault_arn");
        diag_help(L->cc, d, "AWS then copies to the key in lower case (\"%s\"), and ARNs are case sensitive: add "
                            "\"target_backup_vault_arn\": {\"@@assign\": \"%s\"}", lower, m->key->text);
        t = (struct ir_text){lower, contents_loc(m->key), IR_SET};
    }
    struct ir_copy *c = arena_alloc(L->a, sizeof *c);
    c->loc = member_loc(m);
    c->target_loc = t.loc;
    /* NULL after OB1111/OB1112: the copy stays, for its lifecycle's checks,
     * and the key is not compared with a target that is wrong itself */
    c->target = vault_from_arn(L, &t, false);
    if (c->target && st == IR_SET && strcmp(t.s, m->key->text) != 0) {
        struct diag *d = diag_emit(L->cc, OB1109, m->key->loc, "copy action key differs from its "
                                   "target_backup_vault_arn");
        diag_note(L->cc, d, t.loc, "the target is \"%s\"", t.s);
        diag_help(L->cc, d, "AWS requires the key to be the target vault's ARN: write the key \"%s\"", t.s);
    }
    c->written_arn = t.s;
    lower_lifecycle(L, sl.m[PK_COPY_LIFECYCLE], arena_printf(L->a, "%s.lifecycle", path), &c->lc);
    vec_push(L->a, &r->copies, c);
}

/* Whether entry `e` of scan_actions or scan_settings names the one
 * scanner there is; OB1116 when it does not. */
static bool known_scanner(struct json_lowering *L, const struct json_member *e)
{
    if (strcmp(e->key->text, "GUARDDUTY") == 0)
        return true;
    struct diag *d = diag_emit(L->cc, OB1116, e->key->loc, "unknown scanner \"%s\"", e->key->text);
    diag_help(L->cc, d, "the only scanner is \"GUARDDUTY\"");
    return false;
}

static void lower_scan_action(struct json_lowering *L, const struct json_member *m, const char *path, struct ir_rule *r)
{
    struct vec ents = {0};
    map_entries(L, m, &ents);
    for (size_t i = 0; i < ents.len; i++) {
        const struct json_member *e = ents.items[i];
        if (!known_scanner(L, e)) {
            r->scan_at = (struct ir_attr){IR_REJECTED, e->key->loc};
            continue;
        }
        struct slots sl;
        if (!walk_node(L, e->value, PN_SCAN_ACTION, e->key->loc, arena_printf(L->a, "%s.GUARDDUTY", path), &sl))
            continue;
        struct ir_text t = {0};
        if (text_of(L, &sl, PK_SCAN_MODE, &t) != IR_SET)
            continue;
        r->scan_at = (struct ir_attr){IR_SET, t.loc};
        if (strcmp(t.s, "FULL_SCAN") == 0)
            r->scan = SCAN_FULL;
        else if (strcmp(t.s, "INCREMENTAL_SCAN") == 0)
            r->scan = SCAN_INCREMENTAL;
        else {
            struct diag *d = diag_emit(L->cc, OB1116, t.loc, "unknown scan_mode \"%s\"", t.s);
            diag_help(L->cc, d, "write \"FULL_SCAN\" or \"INCREMENTAL_SCAN\"");
            r->scan_at.state = IR_REJECTED;
        }
    }
}

static void jl_rule(struct json_lowering *L, const struct json_member *m, const char *path, struct ir_plan *p)
{
    struct slots sl;
    if (!walk_node(L, m->value, PN_RULE, m->key->loc, path, &sl))
        return;
    struct ir_rule *r = arena_alloc(L->a, sizeof *r);
    r->name = m->key->text;
    r->aws_name = (struct ir_text){m->key->text, m->key->loc, IR_SET};
    r->loc = member_loc(m);
    r->name_loc = m->key->loc;
    r->plan = p;
    lower_schedule(L, &sl, r);
    num_of(L, &sl, PK_RULE_START, &r->start_within);
    num_of(L, &sl, PK_RULE_COMPLETE, &r->complete_within);
    struct ir_text t = {0};
    if (text_of(L, &sl, PK_RULE_VAULT, &t) == IR_SET) {
        r->vault = new_vault(L, arena_printf(L->a, "name\x1f%s", t.s), t.s, t.loc);
        r->vault_at = (struct ir_attr){IR_SET, t.loc};
    } else {
        r->vault_at = (struct ir_attr){t.state, t.loc};
    }
    flag_of(L, &sl, PK_RULE_CONTINUOUS, &r->continuous);
    lower_lifecycle(L, sl.m[PK_RULE_LIFECYCLE], arena_printf(L->a, "%s.lifecycle", path), &r->lc);
    struct ir_text lag = {0};
    if (text_of(L, &sl, PK_RULE_AIR_GAPPED, &lag) == IR_SET) {
        r->air_gapped_vault = vault_from_arn(L, &lag, true);
        r->air_gapped_at = (struct ir_attr){r->air_gapped_vault ? IR_SET : IR_REJECTED, lag.loc};
    } else {
        r->air_gapped_at = (struct ir_attr){lag.state, lag.loc};
    }
    lower_tag_map(L, sl.m[PK_RULE_TAGS], arena_printf(L->a, "%s.recovery_point_tags", path), &r->tags, &r->tags_at);
    struct vec ents = {0};
    map_entries(L, sl.m[PK_RULE_COPIES], &ents);
    for (size_t i = 0; i < ents.len; i++) {
        const struct json_member *e = ents.items[i];
        jl_copy(L, e, arena_printf(L->a, "%s.copy_actions[%zu]", path, i), r);
    }
    if (sl.m[PK_RULE_SCAN])
        lower_scan_action(L, sl.m[PK_RULE_SCAN], arena_printf(L->a, "%s.scan_actions", path), r);
    if (sl.m[PK_RULE_INDEX]) {
        struct slots is;
        if (walk_node(L, sl.m[PK_RULE_INDEX]->value, PN_INDEX, sl.m[PK_RULE_INDEX]->key->loc,
                      arena_printf(L->a, "%s.index_actions", path), &is))
            named_types(L, &is, PK_INDEX_TYPES, false, &r->index_types, &r->index_at, &r->index_op);
    }
    vec_push(L->a, &p->rules, r);
}

/* ------------------------------------------------------------------ */
/* Plans                                                                */

static void lower_advanced(struct json_lowering *L, const struct json_member *m, const char *path, struct ir_plan *p)
{
    struct slots sl, ec2, s3;
    if (!m || !walk_node(L, m->value, PN_ADVANCED, m->key->loc, path, &sl))
        return;
    if (sl.m[PK_ADV_EC2] && walk_node(L, sl.m[PK_ADV_EC2]->value, PN_ADV_EC2, sl.m[PK_ADV_EC2]->key->loc, path, &ec2))
        enabled_of(L, &ec2, PK_ADV_VSS, &p->windows_vss);
    if (sl.m[PK_ADV_S3] && walk_node(L, sl.m[PK_ADV_S3]->value, PN_ADV_S3, sl.m[PK_ADV_S3]->key->loc, path, &s3)) {
        enabled_of(L, &s3, PK_ADV_ACLS, &p->s3_backup_acls);
        enabled_of(L, &s3, PK_ADV_OBJECT_TAGS, &p->s3_backup_object_tags);
    }
}

static void lower_scan_settings(struct json_lowering *L, const struct json_member *m, const char *path,
                                struct ir_plan *p)
{
    struct vec ents = {0};
    map_entries(L, m, &ents);
    for (size_t i = 0; i < ents.len; i++) {
        const struct json_member *e = ents.items[i];
        if (!known_scanner(L, e))
            continue;
        struct slots sl;
        if (!walk_node(L, e->value, PN_SCAN_SETTING, e->key->loc, arena_printf(L->a, "%s.GUARDDUTY", path), &sl))
            continue;
        named_types(L, &sl, PK_SCAN_TYPES, true, &p->scan_types, &p->scan_types_at, &p->scan_types_op);
        p->scan_role = role_of(L, &sl, PK_SCAN_ROLE, &p->scan_role_at);
    }
}

static void jl_plan(struct json_lowering *L, const struct json_member *m)
{
    const char *path = arena_printf(L->a, "plans.%s", m->key->text);
    struct slots sl;
    if (!walk_node(L, m->value, PN_PLAN, m->key->loc, path, &sl))
        return;
    struct ir_plan *p = arena_alloc(L->a, sizeof *p);
    p->d = member_decl(L, DK_PLAN, m);
    p->aws_name = (struct ir_text){m->key->text, m->key->loc, IR_SET};
    regions_of(L, &sl, p);
    lower_selections(L, sl.m[PK_PLAN_SELECTIONS], arena_printf(L->a, "%s.selections", path), p);
    lower_advanced(L, sl.m[PK_PLAN_ADVANCED], arena_printf(L->a, "%s.advanced_backup_settings", path), p);
    lower_tag_map(L, sl.m[PK_PLAN_TAGS], arena_printf(L->a, "%s.backup_plan_tags", path), &p->tags, &p->tags_at);
    lower_scan_settings(L, sl.m[PK_PLAN_SCAN], arena_printf(L->a, "%s.scan_settings", path), p);
    struct vec rules = {0};
    map_entries(L, sl.m[PK_PLAN_RULES], &rules);
    if (sl.m[PK_PLAN_RULES] && rules.len == 0)
        note_missing(L, sl.m[PK_PLAN_RULES]->key->loc, path, "rules (one at least)");
    for (size_t i = 0; i < rules.len; i++) {
        const struct json_member *r = rules.items[i];
        jl_rule(L, r, arena_printf(L->a, "%s.rules.%s", path, r->key->text), p);
    }
    if (p->select_at.state == IR_SET && p->selections.len)
        sel_check_plan(&L->s, p);
    vec_push(L->a, &L->prog->plans, p);
    vec_push(L->a, &L->pol->plans, p);
    vec_push(L->a, &p->policies, L->pol);
}

/* ------------------------------------------------------------------ */

static void index_std(struct json_lowering *L)
{
    struct ir_program *prog = L->prog;
    for (size_t i = 0; i < prog->regions.len; i++) {
        struct ir_region *r = prog->regions.items[i];
        strmap_put_new(L->a, &L->regions, r->d.name, r);
        vec_push(L->a, &L->region_names, (void *)r->d.name);
    }
    for (size_t i = 0; i < prog->partitions.len; i++) {
        struct ir_partition *p = prog->partitions.items[i];
        strmap_put_new(L->a, &L->partitions, p->d.name, p);
    }
}

/* The policy's name: the file's base name without .json, .json.tpl or .tpl. */
static const char *policy_name(struct arena *a, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    static const char *const ends[] = {".json.tpl", ".tpl", ".json"};
    for (size_t i = 0; i < 3; i++) {
        size_t e = strlen(ends[i]);
        if (n > e && strcmp(base + n - e, ends[i]) == 0) {
            n -= e;
            break;
        }
    }
    return n ? arena_strndup(a, base, n) : "policy";
}

void json_lowering_missing(struct json_lowering *L, enum json_missing mode)
{
    L->missing_mode = mode;
}

struct json_lowering *json_lowering_begin(struct obc *cc, struct ir_program *prog, bool standalone)
{
    struct json_lowering *L = arena_alloc(&cc->arena, sizeof *L);
    L->cc = cc;
    L->a = &cc->arena;
    L->prog = prog;
    L->standalone = standalone;
    L->missing_mode = standalone ? JSON_MISSING_ERROR : JSON_MISSING_NOTE;
    L->s.cc = cc;
    L->s.a = &cc->arena;
    L->s.prog = prog;
    index_std(L);
    for (size_t i = 0; i < prog->partitions.len; i++) /* lower_role_arn knows partitions by name */
        sym_insert(L->a, &L->s.syms, prog->partitions.items[i]);
    return L;
}

struct json_lowering *json_lowering_again(const struct json_lowering *base, struct ir_program *prog)
{
    struct json_lowering *L = arena_alloc(base->a, sizeof *L);
    *L = *base; /* the indexes of the Regions and partitions, read only from here on */
    L->prog = prog;
    L->pol = NULL;
    L->vaults = (struct strmap){0};
    L->accounts = (struct strmap){0};
    L->s = (struct sema){.cc = base->cc, .a = base->a, .prog = prog};
    for (size_t i = 0; i < prog->partitions.len; i++) /* lower_role_arn knows partitions by name */
        sym_insert(L->a, &L->s.syms, prog->partitions.items[i]);
    return L;
}

struct ir_policy *json_lower(struct json_lowering *L, struct src_file *f, const struct json_value *doc)
{
    struct obc *cc = L->cc;
    /* what is said once per document starts afresh; vaults and accounts
     * stay shared, so documents that name one vault share its declaration */
    L->missing = 0;
    L->missing_text = (struct strbuf){0};
    L->missing_at = LOC_NONE;
    struct ir_policy *pol = arena_alloc(L->a, sizeof *pol);
    pol->d.kind = DK_POLICY;
    pol->d.name = policy_name(L->a, (f->origin ? f->origin : f)->path); /* a template's own name */
    pol->d.loc = doc->loc;
    pol->d.name_loc = (struct loc){doc->loc.file, doc->loc.start, doc->loc.start + 1};
    pol->d.used = true;
    pol->d.file = f;
    pol->document = true;
    L->pol = pol;
    vec_push(L->a, &L->prog->policies, pol);

    if (doc->kind != JSON_OBJECT) {
        struct diag *d = diag_emit(cc, OB1101, doc->loc, "a backup policy is an object, found %s",
                                   found_words(L->a, doc));
        diag_help(cc, d, "write {\"plans\": {\"PLAN\": {...}}}");
        return pol;
    }
    const struct json_member *plans = json_find(doc, "plans");
    if (!plans) {
        /* One wrapper object around the policy ({"backup_policy": {"plans": ...}}). */
        const struct json_member *w = doc->members.len == 1 ? doc->members.items[0] : NULL;
        struct diag *d;
        if (w && w->value->kind == JSON_OBJECT && json_find(w->value, "plans")) {
            d = diag_emit(cc, OB1101, w->key->loc, "the policy is wrapped in \"%s\"", w->key->text);
            diag_help(cc, d, "the document starts with \"plans\": remove the \"%s\" wrapper", w->key->text);
        } else {
            d = diag_emit(cc, OB1101, doc->members.len ? VEC_GET(struct json_member, doc->members, 0)->key->loc
                                                       : doc->loc, "a backup policy starts with \"plans\"");
            diag_help(cc, d, "write {\"plans\": {\"PLAN\": {...}}}");
        }
        return pol;
    }
    struct slots root;
    walk_node(L, doc, PN_ROOT, doc->loc, NULL, &root);
    pol->plans_at = (struct ir_attr){IR_SET, plans->value->loc};
    struct vec ps = {0};
    map_entries(L, plans, &ps);
    if (plans->value->kind == JSON_OBJECT && ps.len == 0)
        note_missing(L, plans->key->loc, NULL, "plans (one plan at least)");
    for (size_t i = 0; i < ps.len; i++)
        jl_plan(L, ps.items[i]);
    if (L->missing) {
        struct diag *d = diag_emit(cc, OB1114, L->missing_at, "this policy is incomplete on its own: %zu required "
                                   "key%s missing (%s%s)", L->missing, L->missing == 1 ? " is" : "s are",
                                   sb_str(L->a, &L->missing_text), L->missing > 5 ? ", ..." : "");
        diag_help(cc, d, "fine for a policy that inherits these from a parent; AWS backs up nothing where the "
                         "effective policy is incomplete; check with --standalone for errors at each place");
    }
    json_lower_controls(cc, pol, doc);
    return pol;
}

/* Characters of a JSON text without the whitespace outside strings: what
 * the AWS console counts [S4]. */
size_t json_minified_chars(const char *text, size_t len)
{
    size_t n = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xC0) == 0x80)
            continue; /* a continuation byte: counted with its lead */
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            continue;
        } else if (c == '"') {
            in_string = true;
        }
        n++;
    }
    return n;
}
