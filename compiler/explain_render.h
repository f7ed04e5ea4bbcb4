/*
 * explain_render.h - an explanation of a diagnostic code (the markdown of
 * docs/codes/OBxxxx.md that `obc explain` embeds) as text for a terminal
 * (explain_render.c). Base layer: it needs only the arena.
 */
#ifndef OBC_EXPLAIN_RENDER_H
#define OBC_EXPLAIN_RENDER_H

#include "base.h"

/* Narrowest and widest text explain_render_text wraps to. */
#define EXPLAIN_MIN_WIDTH 20u
#define EXPLAIN_MAX_WIDTH 1000u

/* `markdown` as terminal text in `a`: headings flush left (bold in colour),
 * the rest indented, paragraphs and list items wrapped to `width` columns
 * (clamped to EXPLAIN_MIN_WIDTH..EXPLAIN_MAX_WIDTH; a word longer than
 * the line stands alone), code blocks indented further and never wrapped,
 * and the markers of emphasis, code spans, links and backslash escapes
 * removed. `color` adds ANSI bold, italics and a colour for code. */
const char *explain_render_text(struct arena *a, const char *markdown, unsigned width, bool color);

#endif
