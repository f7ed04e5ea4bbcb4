/*
 * lsp_format.c - textDocument/formatting: the document through
 * fmt_source (fmt.c) in a compilation of its own, answered as one edit
 * replacing the whole text, or no edit when it is canonical already.
 */
#include "lsp.h"
#include "fmt.h"

#include <string.h>

cJSON *lsp_formatting(const struct lsp_doc *doc)
{
    struct obc cc;
    obc_init(&cc, NULL);
    jmp_buf oom;
    cJSON *edits = NULL;
    if (setjmp(oom)) {
        cc.arena.oom = NULL;
        obc_free(&cc);
        return NULL;
    }
    cc.arena.oom = &oom;
    struct src_file *f = src_add(&cc, doc->path, "", doc->path, arena_strndup(&cc.arena, doc->text, doc->len), doc->len);
    struct strbuf out = {0};
    if (fmt_source(&cc, f, &out)) {
        edits = cJSON_CreateArray();
        const char *text = sb_str(&cc.arena, &out);
        if (out.len != doc->len || memcmp(text, doc->text, doc->len) != 0) {
            /* the end of the document: past its last line */
            uint32_t lines = src_pos(f, (uint32_t)f->len).line;
            cJSON *e = cJSON_CreateObject();
            cJSON *range = cJSON_AddObjectToObject(e, "range");
            cJSON *start = cJSON_AddObjectToObject(range, "start");
            cJSON_AddNumberToObject(start, "line", 0);
            cJSON_AddNumberToObject(start, "character", 0);
            cJSON *end = cJSON_AddObjectToObject(range, "end");
            cJSON_AddNumberToObject(end, "line", lines);
            cJSON_AddNumberToObject(end, "character", 0);
            cJSON_AddStringToObject(e, "newText", text);
            cJSON_AddItemToArray(edits, e);
        }
    }
    cc.arena.oom = NULL;
    obc_free(&cc);
    return edits;
}
