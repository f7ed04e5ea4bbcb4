/*
 * lsp_build.c - one compilation of one document version for the
 * language server: its own struct obc (and arena), freed by the caller
 * once the answer is sent, so nothing grows across edits; the
 * diagnostics of the document as a publishDiagnostics notification; and
 * LSP positions (0-based line, UTF-16 column) <-> byte offsets through
 * src_utf16_col / src_offset_utf16.
 */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where `make install` puts docs/codes (Makefile); OBC_CODES_DIR in the
 * environment overrides it (an uninstalled build, the tests). */
#ifndef OBC_CODES_DIR
#define OBC_CODES_DIR "/usr/local/share/doc/obc/codes"
#endif

bool lsp_build_run(struct lsp_build *b, const struct lsp_doc *doc, const char *stdlib_dir)
{
    struct obc_options opts = {0};
    opts.stdlib_dir = stdlib_dir;
    obc_init(&b->cc, &opts);
    b->file = NULL;
    if (setjmp(b->oom)) {
        b->cc.arena.oom = NULL;
        return false;
    }
    b->cc.arena.oom = &b->oom;
    load_text(&b->cc, doc->path, doc->text, doc->len);
    for (size_t i = 0; i < b->cc.files.len; i++) {
        struct src_file *f = VEC_GET(struct src_file, b->cc.files, i);
        if (!f->is_stdlib && strcmp(f->path, doc->path) == 0) {
            b->file = f;
            break;
        }
    }
    obc_analyze(&b->cc);
    diag_apply_suppressions(&b->cc); /* before anything is published or looked up */
    diag_sort(&b->cc);
    b->cc.arena.oom = NULL;
    return true;
}

void lsp_build_free(struct lsp_build *b)
{
    obc_free(&b->cc);
}

static cJSON *position_json(struct src_file *f, uint32_t offset)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "line", f ? (double)(src_pos(f, offset).line - 1) : 0);
    cJSON_AddNumberToObject(p, "character", f ? (double)src_utf16_col(f, offset) : 0);
    return p;
}

cJSON *lsp_range_json(struct src_file *f, uint32_t start, uint32_t end)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "start", position_json(f, start));
    cJSON_AddItemToObject(r, "end", position_json(f, end));
    return r;
}

uint32_t lsp_offset_of(struct lsp_build *b, const cJSON *position)
{
    if (!b->file)
        return 0;
    const cJSON *line = cJSON_GetObjectItemCaseSensitive(position, "line");
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(position, "character");
    double l = cJSON_IsNumber(line) ? line->valuedouble : 0;
    double c = cJSON_IsNumber(ch) ? ch->valuedouble : 0;
    if (!(l >= 0) || l > UINT32_MAX)
        l = 0;
    if (!(c >= 0) || c > UINT32_MAX)
        c = 0;
    return src_offset_utf16(b->file, (uint32_t)l, (uint32_t)c);
}

bool lsp_diag_in_document(const struct lsp_build *b, const struct diag *d)
{
    return b->file && (d->loc.file == b->file->id || d->loc.file == 0);
}

static const char *codes_dir(void)
{
    const char *env = getenv("OBC_CODES_DIR");
    return env && *env ? env : OBC_CODES_DIR;
}

static cJSON *diagnostic_json(struct lsp_build *b, const struct diag *d)
{
    struct arena *a = &b->cc.arena;
    struct src_file *f = d->loc.file ? b->file : NULL;
    const struct diag_code_info *info = diag_info(d->code);
    cJSON *j = cJSON_CreateObject();
    cJSON_AddItemToObject(j, "range", lsp_range_json(f, d->loc.start, d->loc.end));
    cJSON_AddNumberToObject(j, "severity", d->sev == SEV_ERROR ? 1 : d->sev == SEV_WARNING ? 2 : 3);
    cJSON_AddStringToObject(j, "code", info->id);
    /* A link to the installed explanation, when it is there (no web URL
     * is invented); hover shows the explanation either way. */
    const char *doc = arena_printf(a, "%s/%s.md", codes_dir(), info->id);
    if (doc[0] == '/' && access(doc, R_OK) == 0) {
        cJSON *cd = cJSON_AddObjectToObject(j, "codeDescription");
        cJSON_AddStringToObject(cd, "href", lsp_path_to_uri(a, doc));
    }
    cJSON_AddStringToObject(j, "source", "obc");
    const char *msg = d->help ? arena_printf(a, "%s\nhelp: %s", d->msg, d->help) : d->msg;
    cJSON_AddStringToObject(j, "message", msg);
    cJSON *related = NULL;
    for (const struct diag_note *n = d->notes; n; n = n->next) {
        struct src_file *nf = n->loc.file ? src_get(&b->cc, n->loc.file) : b->file;
        if (!nf || nf->is_stdlib) /* the embedded library has no URI */
            continue;
        if (!related)
            related = cJSON_AddArrayToObject(j, "relatedInformation");
        cJSON *ri = cJSON_CreateObject();
        cJSON *loc = cJSON_AddObjectToObject(ri, "location");
        cJSON_AddStringToObject(loc, "uri", lsp_path_to_uri(a, nf->path));
        cJSON_AddItemToObject(loc, "range", lsp_range_json(nf, n->loc.start, n->loc.end));
        cJSON_AddStringToObject(ri, "message", n->msg);
        cJSON_AddItemToArray(related, ri);
    }
    return j;
}

cJSON *lsp_build_diagnostics(struct lsp_build *b, const struct lsp_doc *doc)
{
    cJSON *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "jsonrpc", "2.0");
    cJSON_AddStringToObject(n, "method", "textDocument/publishDiagnostics");
    cJSON *params = cJSON_AddObjectToObject(n, "params");
    cJSON_AddStringToObject(params, "uri", doc->uri);
    cJSON_AddNumberToObject(params, "version", (double)doc->version);
    cJSON *list = cJSON_AddArrayToObject(params, "diagnostics");
    for (size_t i = 0; i < b->cc.diag.list.len; i++) {
        const struct diag *d = VEC_GET(struct diag, b->cc.diag.list, i);
        if (lsp_diag_in_document(b, d))
            cJSON_AddItemToArray(list, diagnostic_json(b, d));
    }
    return n;
}
