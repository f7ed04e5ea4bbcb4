/*
 * parse_fixture.h - shared by the front-end unit tests (test_lexer.c,
 * test_parser.c, test_json_in.c): parses an in-memory file the way
 * load.c does (or reads it as JSON) and gives the tests its diagnostics
 * and items.
 *
 * Every test gets a fresh `struct parsed` from parsed_setup() (cmocka
 * setup) and gives it back in parsed_teardown(), so a failed assertion
 * leaks nothing. Include after <cmocka.h> and the compiler headers it uses.
 */
#ifndef PARSE_FIXTURE_H
#define PARSE_FIXTURE_H

#include <stdlib.h>
#include <string.h>

struct parsed {
    struct obc cc;
    struct src_file *file;
    bool ok;          /* parse_file's result */
    bool initialized;
};

static inline int parsed_setup(void **state)
{
    struct parsed *p = calloc(1, sizeof *p);
    *state = p;
    return p ? 0 : -1;
}

static inline int parsed_teardown(void **state)
{
    struct parsed *p = *state;
    if (p->initialized)
        obc_free(&p->cc);
    free(p);
    return 0;
}

/* A fresh compilation holding text[0..len) as the file `name` (p->file). */
static inline struct parsed *add_bytes(void **state, const char *name, const char *text, size_t len)
{
    struct parsed *p = *state;
    obc_init(&p->cc, NULL);
    p->initialized = true;
    char *copy = arena_strndup(&p->cc.arena, text, len);
    p->file = src_add(&p->cc, name, "", name, copy, len);
    return p;
}

/* Parses text[0..len) as the file "t.ob". */
static inline struct parsed *parse_bytes(void **state, const char *text, size_t len)
{
    struct parsed *p = add_bytes(state, "t.ob", text, len);
    p->ok = parse_file(&p->cc, p->file);
    return p;
}

/* For string literals, which may hold NUL bytes. */
#define PARSE(state, lit) parse_bytes((state), (lit), sizeof(lit) - 1)

static inline size_t ndiags(const struct parsed *p)
{
    return p->cc.diag.list.len;
}

static inline const struct diag *diag_at(const struct parsed *p, size_t i)
{
    assert_true(i < p->cc.diag.list.len);
    return VEC_GET(struct diag, p->cc.diag.list, i);
}

/* Diagnostic i has this code, range and (unless msg is NULL) message. */
static inline void expect_diag(const struct parsed *p, size_t i, enum diag_code code,
                               uint32_t start, uint32_t end, const char *msg)
{
    const struct diag *d = diag_at(p, i);
    assert_string_equal(diag_info(d->code)->id, diag_info(code)->id);
    assert_int_equal(d->loc.file, p->file->id);
    assert_int_equal(d->loc.start, start);
    assert_int_equal(d->loc.end, end);
    if (msg)
        assert_string_equal(d->msg, msg);
}

/* The input produced exactly one diagnostic, with this code and range. */
static inline void expect_only(const struct parsed *p, enum diag_code code, uint32_t start,
                               uint32_t end, const char *msg)
{
    assert_int_equal(ndiags(p), 1);
    expect_diag(p, 0, code, start, end, msg);
}

static inline void expect_clean(const struct parsed *p)
{
    if (ndiags(p) > 0)
        fail_msg("unexpected diagnostic: %s", diag_at(p, 0)->msg);
    assert_true(p->ok);
}

static inline size_t count_code(const struct parsed *p, enum diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < ndiags(p); i++)
        n += diag_at(p, i)->code == code;
    return n;
}

static inline const struct ast_item *item_at(const struct vec *items, size_t i)
{
    assert_true(i < items->len);
    return VEC_GET(struct ast_item, *items, i);
}

static inline const struct ast_item *top_item(const struct parsed *p, size_t i)
{
    return item_at(&p->file->items, i);
}

/* The value of top-level item i (an attribute or an import). */
static inline const struct ast_value *top_value(const struct parsed *p, size_t i)
{
    const struct ast_item *it = top_item(p, i);
    assert_non_null(it->value);
    return it->value;
}

static inline const struct ast_value *value_item(const struct ast_value *v, size_t i)
{
    assert_true(i < v->items.len);
    return VEC_GET(struct ast_value, v->items, i);
}

#endif /* PARSE_FIXTURE_H */
