/*
 * compile.c - the pipeline of one compilation: set-up and tear-down of
 * the compilation state, analysis (sema, then the checks on the IR) and
 * emission of every output document into memory.
 *
 * Owns: the order of the phases and the rule that a phase runs only when
 * the ones before it were clean. Does not touch the file system (main.c
 * and output.c do).
 */
#include "obc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

void obc_init(struct obc *cc, const struct obc_options *opts)
{
    memset(cc, 0, sizeof *cc);
    arena_init(&cc->arena);
    cc->diag.arena = &cc->arena;
    cc->diag.max = LIMIT_DIAGNOSTICS;
    if (opts)
        cc->opts = *opts;
}

void obc_free(struct obc *cc)
{
    arena_free(&cc->arena);
}

struct ir_program *obc_analyze(struct obc *cc)
{
    if (cc->diag.errors) /* lexical, syntax or import errors: no cascades */
        return NULL;
    struct ir_program *prog = sema_run(cc);
    if (!prog)
        return NULL;
    cc->prog = prog;
    checks_run(cc, prog);
    return prog;
}

static struct out_file *render(struct obc *cc, const char *name, cJSON *doc)
{
    char *text = json_print(doc, true);
    cJSON_Delete(doc);
    if (!text)
        arena_fail(&cc->arena);
    struct out_file *f = arena_alloc(&cc->arena, sizeof *f);
    f->name = name;
    f->len = strlen(text);
    f->data = arena_strndup(&cc->arena, text, f->len);
    free(text);
    return f;
}

static int by_name(const void *a, const void *b)
{
    const struct out_file *x = *(const struct out_file *const *)a;
    const struct out_file *y = *(const struct out_file *const *)b;
    return strcmp(x->name, y->name);
}

bool obc_emit(struct obc *cc, struct vec *out)
{
    struct ir_program *prog = cc->prog;
    if (!prog || cc->diag.errors)
        return false;
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(struct ir_policy, prog->policies, i);
        cJSON *doc = emit_policy(cc, pol);
        if (!doc)
            continue;
        vec_push(&cc->arena, out, render(cc, arena_printf(&cc->arena, "%s.json", pol->d.name), doc));
    }
    if (!cc->opts.no_manifest) {
        cJSON *m = emit_manifest(cc, prog);
        if (m)
            vec_push(&cc->arena, out, render(cc, MANIFEST_FILE, m));
    }
    if (out->len > 1)
        qsort(out->items, out->len, sizeof *out->items, by_name);
    return cc->diag.errors == 0;
}
