/*
 * sema_block.c - the generic checks every block gets against its schema
 * (schema.c): unknown attributes and blocks (OB2005, with "did you
 * mean"), attributes given twice (OB2006, with the first as a note),
 * missing required attributes (OB2004), and items of the wrong form.
 *
 * Owns: the attribute slots of a checked block. Does not read values
 * (the lowering code does, through sema_values.c).
 */
#include "sema.h"

#include <string.h>

/* "vault 'v'", "copy 'central'"; "lock" and "organization", whose heads
 * are checked to be one word before their blocks get here. */
static const char *block_title(struct sema *s, const struct ast_item *block, const struct block_spec *spec)
{
    const char *name = ast_word_text(block, spec->kind == BK_COPY ? 2 : 1);
    return name ? arena_printf(s->a, "%s '%s'", spec->word, name) : spec->word;
}

static void unknown_attribute(struct sema *s, const struct ast_item *child, const struct block_spec *spec,
                              const char *title)
{
    const char *name = ast_word_text(child, 0);
    const char *names[MAX_ATTRS];
    for (size_t i = 0; i < spec->nattrs; i++)
        names[i] = spec->attrs[i].name;
    const char *guess = suggest_name(name, names, spec->nattrs);
    struct diag *d;
    if (guess)
        d = diag_emit(s->cc, OB2005, ast_word_loc(child, 0), "unknown attribute '%s' in %s (did you mean '%s'?)",
                      name, title, guess);
    else
        d = diag_emit(s->cc, OB2005, ast_word_loc(child, 0), "unknown attribute '%s' in %s", name, title);
    struct strbuf list = {0};
    for (size_t i = 0; i < spec->nattrs; i++)
        sb_printf(s->a, &list, "%s%s", i ? ", " : "", spec->attrs[i].name);
    if (guess)
        diag_help(s->cc, d, "change it to '%s' (%s)", guess, spec->attrs[schema_attr_index(spec, guess)].what);
    else
        diag_help(s->cc, d, "%s takes: %s", spec->word, sb_str(s->a, &list));
}

static void misplaced_block(struct sema *s, const struct ast_item *child, const struct block_spec *spec,
                            const char *title)
{
    const char *w = ast_word_text(child, 0);
    const struct block_spec *nested = schema_block_by_word(w, false);
    const struct block_spec *top = schema_block_by_word(w, true);
    struct diag *d = diag_emit(s->cc, OB2005, ast_word_loc(child, 0), "a '%s' block cannot appear in %s", w, title);
    if (nested)
        diag_help(s->cc, d, "a '%s' block belongs inside %s", w,
                  nested->kind == BK_LOCK ? "a vault" : nested->kind == BK_RULE ? "a plan" : "a rule");
    else if (top || strcmp(w, "organization") == 0)
        diag_help(s->cc, d, "declarations go at the top level of a file, not inside another block");
    else if (spec->children[0])
        diag_help(s->cc, d, "%s may hold '%s' blocks", spec->word, spec->children[0]);
    else
        diag_help(s->cc, d, "%s holds attributes only (name = value)", spec->word);
}

static bool allows_child(const struct block_spec *spec, const char *word)
{
    for (size_t i = 0; spec->children[i]; i++)
        if (strcmp(spec->children[i], word) == 0)
            return true;
    return false;
}

void sema_block(struct sema *s, const struct ast_item *item, enum block_kind kind, struct block *out)
{
    const struct block_spec *spec = schema_block(kind);
    memset(out, 0, sizeof *out);
    out->item = item;
    out->spec = spec;
    const char *title = block_title(s, item, spec);
    for (size_t i = 0; i < item->body.len; i++) {
        const struct ast_item *child = VEC_GET(const struct ast_item, item->body, i);
        const char *w = ast_word_text(child, 0);
        if (child->form == ITEM_BLOCK) {
            if (!allows_child(spec, w))
                misplaced_block(s, child, spec, title);
            continue; /* checked by the lowering of this block */
        }
        if (child->form != ITEM_ASSIGN || child->words.len != 1) {
            struct diag *d = diag_emit(s->cc, OB2005, child->loc, "unexpected '%s' in %s", w, title);
            if (form_is_declaration(w))
                diag_help(s->cc, d, "declarations go at the top level of a file, not inside another block");
            else
                diag_help(s->cc, d, "attributes are written name = value");
            continue;
        }
        int idx = schema_attr_index(spec, w);
        if (idx < 0) {
            unknown_attribute(s, child, spec, title);
            continue;
        }
        if (out->attr[idx]) {
            struct diag *d = diag_emit(s->cc, OB2006, ast_word_loc(child, 0), "'%s' is given twice in %s", w, title);
            diag_note(s->cc, d, ast_word_loc(out->attr[idx], 0), "first given here");
            diag_help(s->cc, d, "keep one of them");
            continue;
        }
        out->attr[idx] = child;
    }
    for (size_t i = 0; i < spec->nattrs; i++) {
        const struct attr_spec *a = &spec->attrs[i];
        if (!(a->flags & ATTR_REQUIRED) || out->attr[i])
            continue;
        struct loc head = loc_span(ast_word_loc(item, 0), ast_word_loc(item, item->words.len - 1));
        struct diag *d = diag_emit(s->cc, OB2004, head, "%s has no '%s'", title, a->name);
        diag_help(s->cc, d, "add %s = ... (%s)", a->name, a->what);
    }
}

const struct ast_value *blk_value(const struct block *b, const char *name)
{
    int idx = schema_attr_index(b->spec, name);
    if (idx < 0 || !b->attr[idx])
        return NULL;
    return b->attr[idx]->value;
}
