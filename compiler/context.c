/*
 * context.c - set-up and tear-down of one compilation's state (struct
 * obc): its arena and its diagnostics engine. Every phase receives it.
 */
#include "base.h"

#include <string.h>

void obc_init(struct obc *cc, const struct obc_options *opts)
{
    memset(cc, 0, sizeof *cc);
    arena_init(&cc->arena);
    cc->diag.arena = &cc->arena;
    cc->diag.max = LIMIT_DIAGNOSTICS;
    if (opts)
        cc->opts = *opts;
    if (!cc->opts.emit)
        cc->opts.emit = EMIT_DEFAULT;
}

void obc_free(struct obc *cc)
{
    arena_free(&cc->arena);
}
