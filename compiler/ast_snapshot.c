/*
 * ast_snapshot.c - the syntax tree of a file as bytes, and back: the
 * standard library is parsed when obc is built (tools/stdsnap.c writes
 * the bytes of each module into build/gen/stdlib_ast.c) and rebuilt from
 * them on every run, a few instructions per node, with no lexing or
 * parsing.
 *
 * Owns: the byte format. A file is its top-level items; each node is
 * written in pre-order, every field by name: numbers as LEB128 varints
 * (signed ones zigzagged), a location as a flag (this file, or none)
 * and its two offsets, a text as its length and bytes followed by a NUL,
 * so the rebuilt tree points into the snapshot itself. Does not: decide
 * which files have a snapshot (load.c), or check the bytes it reads
 * beyond their bounds: they are made by the build from files that
 * parsed without error.
 */
#include "front.h"

#include <string.h>

/* ---- writing ----------------------------------------------------------- */

static void put_byte(struct arena *a, struct strbuf *b, unsigned char c)
{
    sb_putn(a, b, (const char *)&c, 1);
}

static void put_uint(struct arena *a, struct strbuf *b, uint64_t v)
{
    do {
        unsigned char c = v & 0x7F;
        v >>= 7;
        put_byte(a, b, (unsigned char)(c | (v ? 0x80 : 0)));
    } while (v);
}

static void put_int(struct arena *a, struct strbuf *b, int64_t v)
{
    put_uint(a, b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_loc(struct arena *a, struct strbuf *b, struct loc l)
{
    put_byte(a, b, l.file != 0);
    put_uint(a, b, l.start);
    put_uint(a, b, l.end);
}

static void put_text(struct arena *a, struct strbuf *b, const char *s, size_t n)
{
    put_byte(a, b, s != NULL);
    if (!s)
        return;
    put_uint(a, b, n);
    sb_putn(a, b, s, n);
    put_byte(a, b, 0);
}

static void put_value(struct arena *a, struct strbuf *b, const struct ast_value *v)
{
    put_byte(a, b, v != NULL);
    if (!v)
        return;
    put_byte(a, b, (unsigned char)v->kind);
    put_loc(a, b, v->loc);
    put_loc(a, b, v->head_loc);
    put_text(a, b, v->text, v->text_len);
    put_byte(a, b, v->raw);
    put_int(a, b, v->num);
    put_byte(a, b, (unsigned char)v->unit);
    put_byte(a, b, (unsigned char)v->op);
    put_value(a, b, v->lhs);
    put_value(a, b, v->rhs);
    put_uint(a, b, v->items.len);
    for (size_t i = 0; i < v->items.len; i++)
        put_value(a, b, v->items.items[i]);
    put_uint(a, b, (uint64_t)v->depth);
}

static void put_item(struct arena *a, struct strbuf *b, const struct ast_item *it)
{
    put_byte(a, b, (unsigned char)it->form);
    put_loc(a, b, it->loc);
    put_byte(a, b, (unsigned char)it->op);
    put_loc(a, b, it->op_loc);
    put_uint(a, b, it->words.len);
    for (size_t i = 0; i < it->words.len; i++) {
        const struct ast_word *w = it->words.items[i];
        put_text(a, b, w->text, w->text ? strlen(w->text) : 0);
        put_loc(a, b, w->loc);
    }
    put_value(a, b, it->value);
    put_uint(a, b, it->body.len);
    for (size_t i = 0; i < it->body.len; i++)
        put_item(a, b, it->body.items[i]);
    put_loc(a, b, it->open_loc);
}

void ast_snapshot_write(struct arena *a, const struct vec *items, struct strbuf *out)
{
    put_uint(a, out, items->len);
    for (size_t i = 0; i < items->len; i++)
        put_item(a, out, items->items[i]);
}

/* ---- reading ----------------------------------------------------------- */

struct reader {
    struct arena *a;
    const unsigned char *p;
    uint32_t file;
};

static unsigned get_byte(struct reader *r)
{
    return *r->p++;
}

static uint64_t get_uint(struct reader *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        unsigned c = *r->p++;
        v |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80))
            return v;
    }
}

static int64_t get_int(struct reader *r)
{
    uint64_t u = get_uint(r);
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static struct loc get_loc(struct reader *r)
{
    uint32_t file = get_byte(r) ? r->file : 0;
    uint32_t start = (uint32_t)get_uint(r);
    return (struct loc){file, start, (uint32_t)get_uint(r)};
}

static const char *get_text(struct reader *r, size_t *len)
{
    if (!get_byte(r)) {
        *len = 0;
        return NULL;
    }
    *len = (size_t)get_uint(r);
    const char *s = (const char *)r->p;
    r->p += *len + 1;
    return s;
}

/* A vector of exactly n slots, filled by the caller. */
static struct vec vec_of(struct arena *a, size_t n)
{
    struct vec v = {0};
    if (n) {
        v.items = arena_alloc(a, n * sizeof *v.items);
        v.len = v.cap = n;
    }
    return v;
}

static struct ast_value *get_value(struct reader *r)
{
    if (!get_byte(r))
        return NULL;
    enum ast_kind kind = (enum ast_kind)get_byte(r);
    struct ast_value *v = ast_value_new(r->a, kind, get_loc(r));
    v->head_loc = get_loc(r);
    v->text = get_text(r, &v->text_len);
    v->raw = get_byte(r);
    v->num = get_int(r);
    v->unit = (enum dur_unit)get_byte(r);
    v->op = (enum cmp_op)get_byte(r);
    v->lhs = get_value(r);
    v->rhs = get_value(r);
    v->items = vec_of(r->a, (size_t)get_uint(r));
    for (size_t i = 0; i < v->items.len; i++)
        v->items.items[i] = get_value(r);
    v->depth = (int)get_uint(r);
    return v;
}

static struct ast_item *get_item(struct reader *r)
{
    enum item_form form = (enum item_form)get_byte(r);
    struct ast_item *it = ast_item_new(r->a, form, get_loc(r));
    it->op = (enum item_op)get_byte(r);
    it->op_loc = get_loc(r);
    it->words = vec_of(r->a, (size_t)get_uint(r));
    for (size_t i = 0; i < it->words.len; i++) {
        struct ast_word *w = arena_alloc(r->a, sizeof *w);
        size_t len;
        w->text = get_text(r, &len);
        w->loc = get_loc(r);
        it->words.items[i] = w;
    }
    it->value = get_value(r);
    it->body = vec_of(r->a, (size_t)get_uint(r));
    for (size_t i = 0; i < it->body.len; i++)
        it->body.items[i] = get_item(r);
    it->open_loc = get_loc(r);
    return it;
}

void ast_snapshot_read(struct obc *cc, struct src_file *f, const unsigned char *bytes)
{
    struct reader r = {&cc->arena, bytes, f->id};
    f->items = vec_of(&cc->arena, (size_t)get_uint(&r));
    for (size_t i = 0; i < f->items.len; i++)
        f->items.items[i] = get_item(&r);
}
