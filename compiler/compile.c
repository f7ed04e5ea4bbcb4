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
    cc->prog = prog;
    checks_run(cc, prog);
    return prog;
}

/* OB8008: the console strips whitespace, but the CLI, the API,
 * CloudFormation and Terraform send the text as it is [S4, S10], so a
 * pretty file can be refused although its minified form fits. */
static void check_written_size(struct obc *cc, const struct ir_policy *pol, const char *pretty, cJSON *doc)
{
    size_t written = utf8_chars(pretty);
    if (written <= POLICY_MAX_CHARS)
        return;
    char *min = json_print(doc, false);
    if (!min)
        return;
    size_t minified = utf8_chars(min); /* fits: over the limit it is OB8001, an error, and nothing is emitted */
    free(min);
    struct diag *d = diag_emit(cc, OB8008, pol->d.name_loc,
                               "policy '%s' is written pretty-printed as %s characters; AWS counts the whitespace when "
                               "the file is sent through the CLI, the API, CloudFormation or Terraform",
                               pol->d.name, arena_thousands(&cc->arena, written));
    diag_help(cc, d, "compile with --minify (%s characters, under the 10,000 limit), or paste the policy into the "
                     "console, which strips whitespace", arena_thousands(&cc->arena, minified));
}

/* The document as written (pretty, or minified with --minify). Out of
 * memory, frees `doc` before the jump, which skips the caller's free. */
static struct out_file *render_keep(struct obc *cc, const char *name, cJSON *doc)
{
    char *text = json_print(doc, !cc->opts.minify);
    if (!text) {
        cJSON_Delete(doc);
        arena_fail(&cc->arena);
    }
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
        cJSON *doc = emit_policy(cc, pol); /* never NULL: out of memory jumps through arena_fail */
        struct out_file *f = render_keep(cc, arena_printf(&cc->arena, "%s.json", pol->d.name), doc);
        if (!cc->opts.minify)
            check_written_size(cc, pol, f->data, doc);
        cJSON_Delete(doc);
        vec_push(&cc->arena, out, f);
    }
    if (!cc->opts.no_manifest) {
        cJSON *m = emit_manifest(cc, prog);
        vec_push(&cc->arena, out, render_keep(cc, MANIFEST_FILE, m));
        cJSON_Delete(m);
    }
    if (out->len > 1)
        qsort(out->items, out->len, sizeof *out->items, by_name);
    return cc->diag.errors == 0;
}
