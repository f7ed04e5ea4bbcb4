/*
 * emit_render.c - one output file from a cJSON document: the text obc
 * writes (json_print: pretty, or minified with --minify), copied into the
 * compilation's arena. Every emitter renders through here.
 */
#include "emit.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

struct out_file *emit_render_keep(struct obc *cc, const char *name, cJSON *doc)
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

struct out_file *emit_render(struct obc *cc, const char *name, cJSON *doc)
{
    struct out_file *f = emit_render_keep(cc, name, doc);
    cJSON_Delete(doc);
    return f;
}
