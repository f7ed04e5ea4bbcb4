/*
 * sema_controls.c - child controls: `children = VALUE` and `children
 * NAME = VALUE` in the blocks that emit a node of a backup policy
 * (policy, plan, rule, copy, selection: the NODE rows of
 * policy_paths.def), lowered to struct ir_control, the
 * @@operators_allowed_for_child_policies of that node or of the node of
 * NAME under it (its PATH row).
 *
 * Owns: the values none, all and [assign, append, remove] (OB2003 for
 * anything else, OB8101 for none or all mixed with operators, OB2006 for
 * an operator listed twice); NAME (OB2005 when the block has no such
 * attribute or document key, with "did you mean"; OB8101 for an
 * attribute that is no node of the document, or a key no entry of the
 * selection has: policy_keys.def says which entry has which key); OB2006
 * for two controls on one node in one block; OB8101 for `children += ...`.
 * Linear in the items written: one map lookup per control.
 */
#include "sema.h"

#include <string.h>

#define MAX_NAMES 64 /* more than the PATH rows of any block */

static const char *const words[] = {"none", "all", "assign", "append", "remove", NULL};
static const unsigned bits[] = {0, IR_CHILD_ALL, IR_CHILD_ASSIGN, IR_CHILD_APPEND, IR_CHILD_REMOVE};
#define ALLOWED_TEXT "none, all, or a list of assign, append and remove"

static void bad_value(struct sema *s, const struct ast_value *v)
{
    const char *guess = v->kind == AST_IDENT ? suggest_name(v->text, words, 5) : NULL;
    struct diag *d;
    if (v->kind == AST_LIST && v->items.len == 0)
        d = diag_emit(s->cc, OB2003, v->loc, "expected " ALLOWED_TEXT ", found an empty list");
    else if (guess)
        d = diag_emit(s->cc, OB2003, v->loc, "expected " ALLOWED_TEXT ", found %s (did you mean '%s'?)",
                      ast_describe(s->a, v), guess);
    else
        d = diag_emit(s->cc, OB2003, v->loc, "expected " ALLOWED_TEXT ", found %s", ast_describe(s->a, v));
    diag_help(s->cc, d, "write children = none (child policies change nothing here), children = all, or "
                        "children = [append] with the operators child policies may use: assign, append, remove");
}

/* The index of word `v` in `words`, or -1 after OB2003. */
static int read_word(struct sema *s, const struct ast_value *v)
{
    if (v->kind == AST_IDENT)
        for (int i = 0; words[i]; i++)
            if (strcmp(words[i], v->text) == 0)
                return i;
    bad_value(s, v);
    return -1;
}

/* Fills c->allowed and c->all from v; false after an error. */
static bool read_value(struct sema *s, const struct ast_value *v, struct ir_control *c)
{
    if (v->kind != AST_LIST) {
        int w = read_word(s, v);
        if (w < 0)
            return false;
        c->allowed = bits[w];
        c->all = w == 1;
        return true;
    }
    if (v->items.len == 0) {
        bad_value(s, v);
        return false;
    }
    struct strmap listed = {0};
    const struct ast_value *alone = NULL; /* none or all */
    bool ok = true;
    c->allowed = 0;
    for (size_t i = 0; i < v->items.len; i++) {
        const struct ast_value *x = VEC_GET(const struct ast_value, v->items, i);
        int w = read_word(s, x);
        if (w < 0 || val_listed_twice(s, &listed, x)) {
            ok = false;
            continue;
        }
        if (w <= 1)
            alone = x;
        c->allowed |= bits[w];
        c->all |= w == 1;
    }
    if (ok && alone && v->items.len > 1) {
        struct diag *d = diag_emit(s->cc, OB8101, alone->loc, "'%s' cannot be listed with other operators",
                                   alone->text);
        diag_help(s->cc, d, "write children = %s alone, or list only the operators child policies may use: "
                            "[assign, append, remove]", alone->text);
        return false;
    }
    return ok;
}

/* The document path of `children NAME` in block b; NULL after an error. */
static const char *read_path(struct sema *s, const struct block *b, const struct ast_item *it)
{
    const char *block = b->spec->word;
    if (it->words.len == 1) {
        const char *own = policy_path_of(block, "");
        return own ? own : "";
    }
    const char *name = ast_word_text(it, 1);
    struct loc at = ast_word_loc(it, 1);
    const char *path = policy_path_of(block, name);
    if (path)
        return path;
    const char *names[MAX_NAMES];
    size_t n = policy_path_names(block, names, MAX_NAMES);
    struct strbuf list = {0};
    for (size_t i = 0; i < n; i++)
        sb_printf(s->a, &list, "%s%s", i ? ", " : "", names[i]);
    enum attr_id id;
    struct diag *d;
    if (schema_attr_lookup(b->spec->kind, name, &id)) {
        d = diag_emit(s->cc, OB8101, at, "'%s' of a %s is not one node of the backup policy: no control can be set "
                      "on it", name, block);
        diag_help(s->cc, d, "children NAME takes, in a %s: %s", block, sb_str(s->a, &list));
        return NULL;
    }
    const char *guess = suggest_name(name, names, n);
    if (guess) {
        d = diag_emit(s->cc, OB2005, at, "unknown attribute or document key '%s' in a %s (did you mean '%s'?)",
                      name, block, guess);
        diag_help(s->cc, d, "change it to '%s'", guess);
    } else {
        d = diag_emit(s->cc, OB2005, at, "unknown attribute or document key '%s' in a %s", name, block);
        diag_help(s->cc, d, "children NAME takes, in a %s: %s", block, sb_str(s->a, &list));
    }
    return NULL;
}

void sema_controls(struct sema *s, const struct block *b, struct vec *out)
{
    struct strmap nodes = {0}; /* path -> the first item that controls it */
    for (size_t i = 0; i < b->children.len; i++) {
        const struct ast_item *it = VEC_GET(const struct ast_item, b->children, i);
        if (it->op != ITEM_OP_ASSIGN) {
            struct diag *d = diag_emit(s->cc, OB8101, it->op_loc, "'%s' cannot be used on 'children'",
                                       item_op_text(it->op));
            diag_help(s->cc, d, "a control is set, not added to: write children%s%s = ...",
                      it->words.len == 2 ? " " : "", it->words.len == 2 ? ast_word_text(it, 1) : "");
            continue;
        }
        const char *path = read_path(s, b, it);
        struct ir_control *c = arena_alloc(s->a, sizeof *c);
        bool ok = read_value(s, it->value, c);
        if (!path || !ok)
            continue;
        const struct ast_item *first = strmap_put_new(s->a, &nodes, path, (void *)it);
        if (first) {
            const char *node = policy_node_of(b->spec->word);
            bool own = !path[0] || strcmp(node, path) == 0;
            struct diag *d = diag_emit(s->cc, OB2006, it->loc, "two controls on one node of the document (%s%s%s)",
                                       node, own ? "" : "/", own ? "" : path);
            diag_note(s->cc, d, first->loc, "the first is here");
            const char *a = first->words.len == 2 ? ast_word_text(first, 1) : NULL;
            const char *n = it->words.len == 2 ? ast_word_text(it, 1) : NULL;
            if (!a || !n || strcmp(a, n) != 0)
                diag_help(s->cc, d, "'children%s%s' and 'children%s%s' name the same node: keep one of them",
                          a ? " " : "", a ? a : "", n ? " " : "", n ? n : "");
            else
                diag_help(s->cc, d, "keep one of them");
            continue;
        }
        policy_path_split(s->a, path, &c->path);
        c->loc = it->loc;
        vec_push(s->a, out, c);
    }
}

/* The keys of each kind of selection entry (policy_keys.def). */
static const struct {
    const char *node, *key;
} entry_keys[] = {
#define KEY(id, node, key, kind, child, ops, need) {#node, key},
#include "policy_keys.def"
};

static bool entry_has(bool resources, const char *key)
{
    const char *node = resources ? "PN_SEL_RESOURCES" : "PN_SEL_TAGS";
    for (size_t i = 0; i < sizeof entry_keys / sizeof entry_keys[0]; i++)
        if (strcmp(entry_keys[i].node, node) == 0 && strcmp(entry_keys[i].key, key) == 0)
            return true;
    return false;
}

void sema_selection_controls(struct sema *s, const struct ir_selection *sel)
{
    bool tags = false, resources = false;
    for (size_t i = 0; i < sel->entries.len; i++) {
        bool r = VEC_GET(const struct ir_sel_entry, sel->entries, i)->resources;
        resources |= r;
        tags |= !r;
    }
    for (size_t i = 0; i < sel->controls.len; i++) {
        const struct ir_control *c = VEC_GET(const struct ir_control, sel->controls, i);
        if (!c->path.len)
            continue;
        const char *key = VEC_GET(const char, c->path, 0);
        if ((tags && entry_has(false, key)) || (resources && entry_has(true, key)))
            continue;
        struct diag *d = diag_emit(s->cc, OB8101, c->loc, "no entry of selection '%s' has '%s': its match gives %s",
                                   sel->d.name, key, resources ? "resource-type entries" : "tag entries");
        diag_help(s->cc, d, "%s entries have %s; remove this control or name a key its entries have",
                  entry_has(true, key) ? "only resource-type" : "only tag", key);
    }
}
