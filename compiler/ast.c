/*
 * ast.c - constructors and descriptions for the syntax tree that
 * grammar/parser.y builds. The tree records what was written, with
 * locations; it carries no meaning (see the IR for that).
 */
#include "front.h"

#include <string.h>

struct ast_value *ast_value_new(struct arena *a, enum ast_kind kind, struct loc loc)
{
    struct ast_value *v = arena_alloc(a, sizeof *v);
    v->kind = kind;
    v->loc = loc;
    v->depth = 1;
    return v;
}

struct ast_item *ast_item_new(struct arena *a, enum item_form form, struct loc loc)
{
    struct ast_item *it = arena_alloc(a, sizeof *it);
    it->form = form;
    it->loc = loc;
    return it;
}

const char *ast_word_text(const struct ast_item *it, size_t i)
{
    if (i >= it->words.len)
        return NULL;
    return VEC_GET(struct ast_word, it->words, i)->text;
}

/* i < it->words.len: every caller checks the head's length first. */
struct loc ast_word_loc(const struct ast_item *it, size_t i)
{
    return VEC_GET(struct ast_word, it->words, i)->loc;
}

const char *cmp_op_text(enum cmp_op op)
{
    static const char *const text[] = {"==", "!=", "in", "not in", "like", "not like"};
    return text[op];
}

const char *item_op_text(enum item_op op)
{
    static const char *const text[] = {"=", "+=", "-="};
    return text[op];
}

const char *dur_unit_text(enum dur_unit u)
{
    static const char *const text[] = {"min", "h", "d", "w", "y"};
    return text[u];
}

/* A short description of a value for "expected X, found Y" messages. */
const char *ast_describe(struct arena *a, const struct ast_value *v)
{
    switch (v->kind) {
    case AST_STRING:
        if (v->text_len > 40) {
            size_t n = 37; /* cut at a character boundary, not inside a UTF-8 sequence */
            while (n > 0 && ((unsigned char)v->text[n] & 0xC0) == 0x80)
                n--;
            return arena_printf(a, "string \"%.*s...\"", (int)n, v->text);
        }
        return arena_printf(a, "string \"%s\"", v->text);
    case AST_INT:
        return arena_printf(a, "number %lld", (long long)v->num);
    case AST_DURATION:
        return arena_printf(a, "duration %lld%s", (long long)v->num, dur_unit_text(v->unit));
    case AST_TIME:
        return arena_printf(a, "time of day %02lld:%02lld", (long long)(v->num / 60), (long long)(v->num % 60));
    case AST_IDENT:
        return arena_printf(a, "'%s'", v->text);
    case AST_LIST:
        return "a list";
    case AST_MAP:
        return "a tag map";
    case AST_CALL:
        return arena_printf(a, "call %s(...)", v->text);
    case AST_PHRASE:
        return arena_printf(a, "'%s ...'", v->text);
    default: /* AND, OR, NOT, CMP; a map entry (PAIR) is never a value of its own */
        return "a match expression";
    }
}
