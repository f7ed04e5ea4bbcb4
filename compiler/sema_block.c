/*
 * sema_block.c - the generic checks every block gets against its schema
 * (schema.c): unknown attributes and blocks (OB2005, with "did you
 * mean"), attributes given twice (OB2006, with the first as a note),
 * missing required attributes (OB2004, none in a partial plan), items of
 * the wrong form, and += / -= on an attribute that takes one value
 * (OB8101). `children` items are set aside for sema_controls.c.
 *
 * Owns: the attribute slots of a checked block (the short form of a
 * declaration that takes both, `account a = "..."`, fills the block's
 * ATTR_SHORT slot), and the readers that
 * take one attribute's value into the IR with the reader its declared
 * type names (sema_values.c), recording whether it was absent, set or
 * rejected.
 */
#include "sema.h"

#include <stdlib.h>
#include <string.h>

/* "vault 'v'", "copy 'central'"; "lock" and "organization", whose heads
 * are checked to be one word before their blocks get here. */
static const char *block_title(struct sema *s, const struct ast_item *block, const struct block_spec *spec)
{
    const char *name = ast_word_text(block, spec->kind == BK_COPY ? 2 : 1);
    return name ? arena_printf(s->a, "%s '%s'", spec->word, name) : spec->word;
}

/* The attribute of the block that `name` is a misspelling of, by its
 * spelling alone (suggest.c), or ATTR_COUNT. */
static enum attr_id spelt_like(const char *name, const struct block_spec *spec)
{
    const char *names[ATTR_COUNT];
    size_t n = 0;
    for (size_t i = 0; i < ATTR_COUNT; i++)
        if (schema_attr((enum attr_id)i)->block == spec->kind)
            names[n++] = schema_attr((enum attr_id)i)->name;
    const char *guess = suggest_name(name, names, n);
    enum attr_id id;
    return guess && schema_attr_lookup(spec->kind, guess, &id) ? id : ATTR_COUNT;
}

/* Reports an attribute the block does not take, with "did you mean"
 * when `meant` is not ATTR_COUNT. */
static void unknown_attribute(struct sema *s, const struct ast_item *child, const struct block_spec *spec,
                              const char *title, enum attr_id meant)
{
    const char *name = ast_word_text(child, 0);
    struct diag *d;
    if (meant != ATTR_COUNT) {
        const struct attr_spec *a = schema_attr(meant);
        d = diag_emit(s->cc, OB2005, ast_word_loc(child, 0), "unknown attribute '%s' in %s (did you mean '%s'?)",
                      name, title, a->name);
        diag_help(s->cc, d, "change it to '%s' (%s)", a->name, a->what);
        return;
    }
    d = diag_emit(s->cc, OB2005, ast_word_loc(child, 0), "unknown attribute '%s' in %s", name, title);
    struct strbuf list = {0};
    size_t n = 0;
    for (size_t i = 0; i < ATTR_COUNT; i++)
        if (schema_attr((enum attr_id)i)->block == spec->kind)
            sb_printf(s->a, &list, "%s%s", n++ ? ", " : "", schema_attr((enum attr_id)i)->name);
    diag_help(s->cc, d, "%s takes: %s", spec->word, sb_str(s->a, &list));
}

/* Whether a value written as `v` could be one of type `t`: by its shape
 * only, to tell which missing attribute a misnamed one stands for. */
static bool shaped_like(const struct ast_value *v, enum vtype t)
{
    enum ast_kind k = v->kind;
    switch (t) {
    case VT_STRING: return k == AST_STRING;
    case VT_STRINGS: return k == AST_STRING || k == AST_LIST;
    case VT_BOOL: return k == AST_IDENT && (strcmp(v->text, "true") == 0 || strcmp(v->text, "false") == 0);
    case VT_DAYS: case VT_MINUTES: return k == AST_DURATION;
    case VT_SCHEDULE: return k == AST_PHRASE || (k == AST_CALL && strcmp(v->text, "cron") == 0);
    case VT_TAGMAP: return k == AST_MAP;
    case VT_MATCH: return k == AST_CMP || k == AST_AND || k == AST_OR || k == AST_NOT || k == AST_CALL;
    case VT_ROLE: return k == AST_IDENT || k == AST_PHRASE;
    case VT_REF: case VT_PRINCIPAL: case VT_ENUM: return k == AST_IDENT;
    case VT_REFS: case VT_PRINCIPALS: case VT_GRANTS: return k == AST_IDENT || k == AST_LIST;
    }
    return false;
}

/* The required attribute that the unknown attribute `child`, which no
 * spelling matches, stands for: the only missing one its value is shaped
 * like, when `child` is the only such unknown attribute. So `sched =
 * daily at 05:00` in a rule without schedule is taken for the schedule,
 * and the rule is not also said to have none. ATTR_COUNT otherwise. */
static enum attr_id stands_for(const struct block *b, const struct vec *unmatched, const struct ast_item *child)
{
    enum attr_id found = ATTR_COUNT;
    for (size_t i = 0; i < ATTR_COUNT; i++) {
        const struct attr_spec *a = schema_attr((enum attr_id)i);
        if (a->block != b->spec->kind || !(a->flags & ATTR_REQUIRED) || b->attr[i] || b->misspelt[i] ||
            !child->value || !shaped_like(child->value, a->type))
            continue;
        if (found != ATTR_COUNT)
            return ATTR_COUNT; /* two could be meant */
        found = (enum attr_id)i;
    }
    if (found == ATTR_COUNT)
        return ATTR_COUNT;
    for (size_t j = 0; j < unmatched->len; j++) {
        const struct ast_item *other = unmatched->items[j];
        if (other != child && other->value && shaped_like(other->value, schema_attr(found)->type))
            return ATTR_COUNT;
    }
    return found;
}

/* The block kind that nests in `k`, or NULL. */
static const struct block_spec *first_child(enum block_kind k)
{
    for (size_t i = 0; i < BK_COUNT; i++)
        if (schema_block((enum block_kind)i)->parent == k)
            return schema_block((enum block_kind)i);
    return NULL;
}

static void misplaced_block(struct sema *s, const struct ast_item *child, const struct block_spec *spec,
                            const char *title)
{
    const char *w = ast_word_text(child, 0);
    const struct block_spec *nested = schema_block_by_word(w, false);
    const struct block_spec *top = schema_block_by_word(w, true);
    struct diag *d = diag_emit(s->cc, OB2005, ast_word_loc(child, 0), "a '%s' block cannot appear in %s", w, title);
    const struct block_spec *child_kind = first_child(spec->kind);
    if (nested)
        diag_help(s->cc, d, "a '%s' block belongs inside a %s", w, schema_block(nested->parent)->word);
    else if (top)
        diag_help(s->cc, d, "declarations go at the top level of a file, not inside another block");
    else if (child_kind)
        diag_help(s->cc, d, "%s may hold '%s' blocks", spec->word, child_kind->word);
    else
        diag_help(s->cc, d, "%s holds attributes only (name = value)", spec->word);
}

static bool is_top_word(const char *w)
{
    size_t n;
    const char *const *words = schema_top_words(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(words[i], w) == 0)
            return true;
    return false;
}

static bool allows_child(const struct block_spec *spec, const char *word)
{
    const struct block_spec *nested = schema_block_by_word(word, false);
    return nested && nested->parent == spec->kind;
}

/* "plan regions, plan scan_types, rule index and selection match": the
 * attributes schema.def marks ATTR_LIST_OP. */
static const char *list_op_attrs(struct arena *a)
{
    struct strbuf b = {0};
    size_t n = 0, total = 0;
    for (size_t i = 0; i < ATTR_COUNT; i++)
        total += (schema_attr((enum attr_id)i)->flags & ATTR_LIST_OP) != 0;
    for (size_t i = 0; i < ATTR_COUNT; i++) {
        const struct attr_spec *at = schema_attr((enum attr_id)i);
        if (!(at->flags & ATTR_LIST_OP))
            continue;
        n++;
        sb_printf(a, &b, "%s%s %s", n == 1 ? "" : n == total ? " and " : ", ", schema_block(at->block)->word,
                  at->name);
    }
    return sb_str(a, &b);
}

/* OB8101: += or -= on attribute `at`, which holds one value. */
static void single_valued_op(struct sema *s, const struct ast_item *child, const struct attr_spec *at,
                             const char *title)
{
    struct diag *d = diag_emit(s->cc, OB8101, child->op_loc,
                               "'%s' cannot be used on '%s' in %s: it is not a list a child policy can add to "
                               "or remove from", item_op_text(child->op), at->name, title);
    diag_help(s->cc, d, "write %s = ... (@@assign); += and -= (@@append, @@remove) apply only to %s", at->name,
              list_op_attrs(s->a));
}

static bool is_children(const struct ast_item *child)
{
    return child->form == ITEM_ASSIGN && (child->words.len == 1 || child->words.len == 2) &&
           strcmp(ast_word_text(child, 0), "children") == 0;
}

void sema_block(struct sema *s, const struct ast_item *item, enum block_kind kind, struct block *out)
{
    sema_block_read(s, item, kind, out);
    sema_block_require(s, out);
}

void sema_block_read(struct sema *s, const struct ast_item *item, enum block_kind kind, struct block *out)
{
    const struct block_spec *spec = schema_block(kind);
    memset(out, 0, sizeof *out);
    out->item = item;
    out->spec = spec;
    const char *title = block_title(s, item, spec);
    struct vec unmatched = {0}; /* const struct ast_item*: unknown attributes no spelling matches */
    if (item->form == ITEM_ASSIGN) {
        /* the short form of a declaration that takes both (schema.def
         * DECL): its value is the block's ATTR_SHORT attribute */
        enum attr_id id = schema_short_attr(kind);
        if (id == ATTR_COUNT)
            abort();
        out->attr[id] = item;
    }
    for (size_t i = 0; i < item->body.len; i++) {
        const struct ast_item *child = VEC_GET(const struct ast_item, item->body, i);
        const char *w = ast_word_text(child, 0);
        if (child->form == ITEM_BLOCK) {
            if (!allows_child(spec, w))
                misplaced_block(s, child, spec, title);
            continue; /* checked by the lowering of this block */
        }
        if (is_children(child)) {
            if (policy_node_of(spec->word)) {
                vec_push(s->a, &out->children, (void *)child);
            } else {
                struct diag *d = diag_emit(s->cc, OB8101, ast_word_loc(child, 0),
                                           "'children' in %s, which is not a node of a backup policy", title);
                diag_help(s->cc, d, "write children = ... in the policy, plan, rule, copy or selection whose "
                                    "document node child policies may change, and remove it here");
            }
            continue;
        }
        if (child->form != ITEM_ASSIGN || child->words.len != 1) {
            struct diag *d = diag_emit(s->cc, OB2005, child->loc, "unexpected '%s' in %s", w, title);
            if (is_top_word(w))
                diag_help(s->cc, d, "declarations go at the top level of a file, not inside another block");
            else
                diag_help(s->cc, d, "attributes are written name = value");
            continue;
        }
        enum attr_id idx;
        if (!schema_attr_lookup(spec->kind, w, &idx)) {
            enum attr_id meant = spelt_like(w, spec);
            if (meant == ATTR_COUNT) { /* reported below, when the block is read */
                vec_push(s->a, &unmatched, (void *)child);
                continue;
            }
            unknown_attribute(s, child, spec, title, meant);
            if (!out->misspelt[meant])
                out->misspelt[meant] = child;
            continue;
        }
        if (out->attr[idx]) {
            struct diag *d = diag_emit(s->cc, OB2006, ast_word_loc(child, 0), "'%s' is given twice in %s", w, title);
            diag_note(s->cc, d, ast_word_loc(out->attr[idx], 0), "first given here");
            diag_help(s->cc, d, "keep one of them");
            continue;
        }
        if (child->op != ITEM_OP_ASSIGN && !(schema_attr(idx)->flags & ATTR_LIST_OP))
            single_valued_op(s, child, schema_attr(idx), title);
        out->attr[idx] = child;
    }
    bool partial = s->partial_plan && (kind == BK_PLAN || kind == BK_RULE || kind == BK_COPY);
    for (size_t i = 0; i < unmatched.len; i++) {
        const struct ast_item *child = unmatched.items[i];
        enum attr_id meant = partial ? ATTR_COUNT : stands_for(out, &unmatched, child);
        unknown_attribute(s, child, spec, title, meant);
        if (meant != ATTR_COUNT)
            out->misspelt[meant] = child;
    }
}

void sema_block_require(struct sema *s, const struct block *b)
{
    const struct block_spec *spec = b->spec;
    const struct ast_item *item = b->item;
    if (s->partial_plan && (spec->kind == BK_PLAN || spec->kind == BK_RULE || spec->kind == BK_COPY))
        return; /* a plan of a child policy says only what it changes */
    const char *title = block_title(s, item, spec);
    const struct block *out = b;
    for (size_t i = 0; i < ATTR_COUNT; i++) {
        const struct attr_spec *a = schema_attr((enum attr_id)i);
        if (a->block != spec->kind || !(a->flags & ATTR_REQUIRED) || out->attr[i] || out->misspelt[i])
            continue; /* given, or given misspelt (reported as such) */
        struct loc head = loc_span(ast_word_loc(item, 0), ast_word_loc(item, item->words.len - 1));
        struct diag *d = diag_emit(s->cc, OB2004, head, "%s has no '%s'", title, a->name);
        diag_help(s->cc, d, "add %s = ... (%s)", a->name, a->what);
    }
}

/* ---- reading one attribute ------------------------------------------ */

/* The attribute spec of `id`, which must belong to b's block: a slot of
 * another block is a bug in the caller that the tests would not see. */
static const struct attr_spec *slot(const struct block *b, enum attr_id id)
{
    const struct attr_spec *a = schema_attr(id);
    if (a->block != b->spec->kind)
        abort();
    return a;
}

const struct ast_value *blk_value(const struct block *b, enum attr_id id)
{
    slot(b, id);
    return b->attr[id] ? b->attr[id]->value : NULL;
}

enum ir_list_op blk_op(const struct block *b, enum attr_id id)
{
    const struct ast_item *it = b->attr[id];
    if (!it || !(slot(b, id)->flags & ATTR_LIST_OP))
        return IR_OP_ASSIGN;
    return it->op == ITEM_OP_APPEND ? IR_OP_APPEND : it->op == ITEM_OP_REMOVE ? IR_OP_REMOVE : IR_OP_ASSIGN;
}

struct loc blk_loc(const struct block *b, enum attr_id id)
{
    const struct ast_value *v = blk_value(b, id);
    return v ? v->loc : LOC_NONE;
}

static enum ir_state state_of(const struct ast_value *v, bool ok)
{
    return !v ? IR_ABSENT : ok ? IR_SET : IR_REJECTED;
}

/* The state of an attribute that is not written: REJECTED when a
 * misspelling of it was (what was meant is unknown), else as it was. */
static enum ir_state not_written(const struct block *b, enum attr_id id, enum ir_state *state, struct loc *loc)
{
    const struct ast_item *m = b->misspelt[id];
    if (m) {
        *state = IR_REJECTED;
        *loc = m->loc;
    }
    return *state;
}

enum ir_state blk_text(struct sema *s, const struct block *b, enum attr_id id, struct ir_text *out)
{
    const struct ast_value *v = blk_value(b, id);
    if (slot(b, id)->type != VT_STRING)
        abort();
    if (!v)
        return not_written(b, id, &out->state, &out->loc);
    out->loc = v->loc;
    return out->state = state_of(v, val_string(s, v, out));
}

enum ir_state blk_flag(struct sema *s, const struct block *b, enum attr_id id, struct ir_flag *out)
{
    const struct ast_value *v = blk_value(b, id);
    if (slot(b, id)->type != VT_BOOL)
        abort();
    if (!v)
        return not_written(b, id, &out->state, &out->loc);
    out->loc = v->loc;
    return out->state = state_of(v, val_bool(s, v, out));
}

enum ir_state blk_num(struct sema *s, const struct block *b, enum attr_id id, struct ir_num *out)
{
    const struct ast_value *v = blk_value(b, id);
    enum vtype t = slot(b, id)->type;
    if (t != VT_DAYS && t != VT_MINUTES)
        abort();
    if (!v)
        return not_written(b, id, &out->state, &out->loc);
    out->loc = v->loc;
    bool ok = t == VT_DAYS ? val_days(s, v, out) : val_minutes(s, v, out);
    return out->state = state_of(v, ok);
}

enum ir_state blk_list(struct sema *s, const struct block *b, enum attr_id id, struct vec *out, struct ir_attr *at)
{
    const struct ast_value *v = blk_value(b, id);
    const struct attr_spec *a = slot(b, id);
    if (!v)
        return not_written(b, id, &at->state, &at->loc);
    bool ok;
    switch (a->type) {
    case VT_STRINGS: ok = val_strings(s, v, out); break;
    case VT_TAGMAP: ok = val_tagmap(s, v, out); break;
    case VT_REFS: ok = val_refs(s, v, a->kinds, out); break;
    case VT_PRINCIPALS: ok = val_principals(s, v, out); break;
    default: abort();
    }
    at->loc = v->loc;
    return at->state = state_of(v, ok);
}

struct ir_decl *blk_ref(struct sema *s, const struct block *b, enum attr_id id, struct ir_attr *at)
{
    const struct ast_value *v = blk_value(b, id);
    const struct attr_spec *a = slot(b, id);
    if (a->type != VT_REF)
        abort();
    if (!v) {
        not_written(b, id, &at->state, &at->loc);
        return NULL;
    }
    struct ir_decl *d = val_ref(s, v, a->kinds);
    at->loc = v->loc;
    at->state = state_of(v, d != NULL);
    return d;
}

enum ir_state blk_principal(struct sema *s, const struct block *b, enum attr_id id, struct ir_principal *out)
{
    const struct ast_value *v = blk_value(b, id);
    if (slot(b, id)->type != VT_PRINCIPAL)
        abort();
    if (!v)
        return b->misspelt[id] ? IR_REJECTED : IR_ABSENT;
    return state_of(v, val_principal(s, v, out));
}

int blk_enum(struct sema *s, const struct block *b, enum attr_id id, struct ir_attr *at)
{
    const struct ast_value *v = blk_value(b, id);
    const struct attr_spec *a = slot(b, id);
    if (a->type != VT_ENUM)
        abort();
    if (!v) {
        not_written(b, id, &at->state, &at->loc);
        return -1;
    }
    int n = val_enum(s, v, a->choices);
    at->loc = v->loc;
    at->state = state_of(v, n >= 0);
    return n;
}
