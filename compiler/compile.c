/*
 * compile.c - the pipeline of one compilation: analysis (sema, then the
 * checks on the IR, then the size of each policy as emitted) and emission
 * of every output document into memory.
 *
 * Owns: the order of the phases and the rule that a phase runs only when
 * the ones before it were clean. Does not touch the file system (main.c
 * and output.c do).
 */
#include "driver.h"
#include "checks.h"
#include "emit.h"
#include "sema.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

struct ir_program *obc_analyze(struct obc *cc)
{
    if (cc->diag.errors) /* lexical, syntax or import errors: no cascades */
        return NULL;
    struct ir_program *prog = sema_run(cc);
    cc->prog = prog;
    checks_run(cc, prog);
    emit_check_sizes(cc, prog);
    /* with the checks of each one; the policies themselves only for obc effective */
    obc_effective_program(cc, prog, cc->opts.keep_effective ? &cc->effective : NULL);
    return prog;
}

struct ir_program *obc_analyze_documents(struct obc *cc, struct src_file *const *files, size_t n)
{
    if (cc->diag.errors) /* the standard library did not load */
        return NULL;
    /* a document says nothing of the accounts, keys and vaults the
     * manifest sets up: it has none */
    cc->opts.emit = EMIT_POLICY;
    cc->diag.document_terms = true; /* messages name the document's keys */
    struct json_value **docs = arena_alloc(&cc->arena, (n ? n : 1) * sizeof *docs);
    struct src_file **texts = arena_alloc(&cc->arena, (n ? n : 1) * sizeof *texts);
    for (size_t i = 0; i < n; i++) {
        /* a template is rendered with --var first, or is one OB1120 */
        texts[i] = template_render(cc, files[i]);
        docs[i] = texts[i] ? json_read(cc, texts[i]) : NULL;
    }
    if (cc->diag.errors) /* a template, or a document that is no JSON: nothing to lower */
        return NULL;
    struct ir_program *prog = sema_run(cc);
    cc->prog = prog;
    struct json_lowering *lowering = json_lowering_begin(cc, prog, cc->opts.standalone);
    for (size_t i = 0; i < n; i++)
        json_lower(lowering, texts[i], docs[i]);
    checks_run(cc, prog);
    emit_check_sizes(cc, prog);
    for (size_t i = 0; i < n; i++)
        emit_check_document_size(cc, texts[i], json_minified_chars(texts[i]->text, texts[i]->len));
    return prog;
}

struct ir_program *obc_analyze_document(struct obc *cc, struct src_file *f)
{
    return obc_analyze_documents(cc, &f, 1);
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
    unsigned emit = cc->opts.emit;
    if (emit & EMIT_TERRAFORM) /* the configuration reads these files */
        emit |= EMIT_POLICY | EMIT_CLOUDFORMATION;
    for (size_t i = 0; (emit & EMIT_POLICY) && i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(struct ir_policy, prog->policies, i);
        cJSON *doc = emit_policy(cc, pol); /* never NULL: out of memory jumps through arena_fail */
        if (!cc->opts.minify && !pol->document) /* a document is judged as written */
            emit_check_written_size(cc, pol, json_chars(doc, true), doc);
        if (!cc->opts.judge_only)
            vec_push(&cc->arena, out, emit_render_keep(cc, arena_printf(&cc->arena, "%s.json", pol->d.name), doc));
        cJSON_Delete(doc);
    }
    if (emit & (EMIT_MANIFEST | EMIT_CLOUDFORMATION)) {
        /* the manifest is the source of the deployable outputs, and its
         * making finds what the accounts lack (OB6030) */
        cJSON *m = emit_manifest(cc, prog);
        if ((emit & EMIT_MANIFEST) && !cc->opts.judge_only)
            vec_push(&cc->arena, out, emit_render_keep(cc, MANIFEST_FILE, m));
        struct vec templates = {0};
        if (emit & EMIT_CLOUDFORMATION)
            emit_cloudformation(cc, prog, m, &templates);
        if (emit & EMIT_TERRAFORM)
            emit_terraform(cc, prog, m, &templates, out);
        for (size_t i = 0; i < templates.len; i++)
            vec_push(&cc->arena, out, templates.items[i]);
        cJSON_Delete(m);
    }
    if (out->len > 1)
        qsort(out->items, out->len, sizeof *out->items, by_name);
    return cc->diag.errors == 0;
}
