/*
 * compile_fixture.h - shared by the unit tests that compile whole
 * programs from text (test_check_kms.c, test_check_limits.c,
 * test_check_overlap.c, test_emit.c, test_json_out.c, test_selector.c,
 * test_stdlib.c; test_diag.c for its text builder):
 * builds program text with printf, runs it through obc_analyze the way
 * `obc check` does, and finds its diagnostics by code.
 *
 * A test owns one `struct compiled` per compilation and gives it back
 * with compiled_free(); compiled_setup()/compiled_teardown() do that
 * for cmocka, so a failed assertion leaks nothing. The standard library
 * is read from stdlib/ (run from the repository root) unless the
 * options say otherwise. Include after <cmocka.h> and the compiler headers it uses.
 */
#ifndef COMPILE_FIXTURE_H
#define COMPILE_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct compiled {
    struct obc cc;
    struct ir_program *prog; /* obc_analyze's result */
    bool initialized;
};

/* ---- program text ------------------------------------------------------ */

/* Text built piece by piece: text_open(), fprintf to the stream it
 * returns, text_close() for the malloc'd string (the caller frees it). */
struct text {
    FILE *f;
    char *s;
    size_t len;
};

static inline FILE *text_open(struct text *t)
{
    t->s = NULL;
    t->len = 0;
    t->f = open_memstream(&t->s, &t->len);
    assert_non_null(t->f);
    return t->f;
}

static inline char *text_close(struct text *t)
{
    assert_int_equal(fclose(t->f), 0);
    return t->s;
}

static inline char *text_vprintf(const char *fmt, va_list ap)
{
    struct text t;
    vfprintf(text_open(&t), fmt, ap);
    return text_close(&t);
}

/* The whole text in one printf; the caller frees it. */
static inline char *text_printf(const char *fmt, ...) OBC_PRINTF(1, 2);
static inline char *text_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = text_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* ---- compiling ----------------------------------------------------------- */

/* Loads `src` as the file "t.ob" and analyzes it (sema and the checks);
 * opts NULL: the standard library embedded in obc. Returns c->prog. */
static inline struct ir_program *compile_text_opts(struct compiled *c, const struct obc_options *opts,
                                                   const char *src)
{
    obc_init(&c->cc, opts);
    c->initialized = true;
    load_text(&c->cc, "t.ob", src, strlen(src));
    c->prog = obc_analyze(&c->cc);
    return c->prog;
}

/* The same with the standard library read from stdlib/. */
static inline struct ir_program *compile_text(struct compiled *c, const char *src)
{
    return compile_text_opts(c, &(struct obc_options){.stdlib_dir = "stdlib"}, src);
}

/* compile_text() of a program built with printf. */
static inline struct ir_program *compile_printf(struct compiled *c, const char *fmt, ...) OBC_PRINTF(2, 3);
static inline struct ir_program *compile_printf(struct compiled *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *src = text_vprintf(fmt, ap);
    va_end(ap);
    compile_text(c, src);
    free(src);
    return c->prog;
}

static inline void compiled_free(struct compiled *c)
{
    if (c->initialized)
        obc_free(&c->cc);
    c->initialized = false;
}

/* cmocka setup and teardown: *state is a fresh struct compiled. */
static inline int compiled_setup(void **state)
{
    *state = calloc(1, sizeof(struct compiled));
    return *state ? 0 : -1;
}

static inline int compiled_teardown(void **state)
{
    compiled_free(*state);
    free(*state);
    return 0;
}

/* ---- diagnostics ------------------------------------------------------- */

static inline size_t count_diags(const struct compiled *c, enum diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < c->cc.diag.list.len; i++)
        n += VEC_GET(const struct diag, c->cc.diag.list, i)->code == code;
    return n;
}

/* The first diagnostic of this code, or NULL. */
static inline const struct diag *find_diag(const struct compiled *c, enum diag_code code)
{
    for (size_t i = 0; i < c->cc.diag.list.len; i++) {
        const struct diag *d = VEC_GET(const struct diag, c->cc.diag.list, i);
        if (d->code == code)
            return d;
    }
    return NULL;
}

/* The one diagnostic of this code: fails unless there is exactly one. */
static inline const struct diag *one_diag(const struct compiled *c, enum diag_code code)
{
    size_t n = count_diags(c, code);
    if (n != 1)
        fail_msg("%zu %s diagnostics, expected one", n, diag_info(code)->id);
    return find_diag(c, code);
}

#endif /* COMPILE_FIXTURE_H */
