/*
 * diag.c - the one diagnostics funnel. Every problem the compiler finds
 * becomes a `struct diag` record here (code, severity, range, message,
 * help, notes); the renderers in diag_render.c read those records.
 *
 * Owns: the code catalogue lookup (codes.def) and the display limit.
 * Does not print anything.
 */
#include "base.h"

#include <stdlib.h>
#include <string.h>

static const struct diag_code_info code_table[] = {
#define DIAG_CODE(id, num, sev, title) {#id, num, sev, title},
#include "codes.def"
#undef DIAG_CODE
};

const struct diag_code_info *diag_info(enum diag_code code)
{
    return &code_table[code];
}

const char *diag_explanation(enum diag_code code)
{
    const char *id = code_table[code].id;
    size_t n = strlen(id);
    for (size_t i = 0; i < explain_files_count; i++) {
        const char *name = explain_files[i].name;
        if (strncmp(name, id, n) == 0 && strcmp(name + n, ".md") == 0)
            return explain_files[i].text;
    }
    return NULL;
}

bool diag_code_parse(const char *s, enum diag_code *out)
{
    for (size_t i = 0; i < DIAG_CODE_COUNT; i++) {
        const char *id = code_table[i].id;
        /* accept "OB1001", "ob1001" and "1001" */
        if ((s[0] == 'O' || s[0] == 'o') && (s[1] == 'B' || s[1] == 'b') && strcmp(s + 2, id + 2) == 0) {
            *out = (enum diag_code)i;
            return true;
        }
        if (strcmp(s, id + 2) == 0) {
            *out = (enum diag_code)i;
            return true;
        }
    }
    return false;
}

struct diag *diag_emit(struct obc *cc, enum diag_code code, struct loc loc, const char *fmt, ...)
{
    struct diag_engine *e = &cc->diag;
    bool shown = e->list.len < e->max;
    /* Past the limit only the count matters: callers get the engine's
     * `hidden` record to attach notes and help to, which nothing stores,
     * so a flood of errors costs no memory. */
    struct diag *d = shown ? arena_alloc(&cc->arena, sizeof *d) : &e->hidden;
    *d = (struct diag){.code = code, .sev = code_table[code].sev, .loc = loc, .msg = ""};
    d->seq = e->errors + e->warnings + e->notes;
    if (d->sev == SEV_ERROR) {
        e->errors++;
        e->family_errors[code_table[code].number / 1000 % 10]++;
    } else if (d->sev == SEV_WARNING)
        e->warnings++;
    else
        e->notes++;
    if (!shown) {
        e->dropped++;
        return d;
    }
    va_list ap;
    va_start(ap, fmt);
    d->msg = arena_vprintf(&cc->arena, fmt, ap);
    va_end(ap);
    if (e->document_terms)
        d->msg = diag_document_terms(&cc->arena, d->msg);
    vec_push(&cc->arena, &e->list, d);
    return d;
}

bool diag_next_hidden(const struct obc *cc)
{
    return cc->diag.list.len >= cc->diag.max;
}

void diag_note(struct obc *cc, struct diag *d, struct loc loc, const char *fmt, ...)
{
    if (d == &cc->diag.hidden)
        return;
    struct diag_note *n = arena_alloc(&cc->arena, sizeof *n);
    n->loc = loc;
    va_list ap;
    va_start(ap, fmt);
    n->msg = arena_vprintf(&cc->arena, fmt, ap);
    va_end(ap);
    if (cc->diag.document_terms)
        n->msg = diag_document_terms(&cc->arena, n->msg);
    if (d->last_note)
        d->last_note->next = n;
    else
        d->notes = n;
    d->last_note = n;
}

void diag_help(struct obc *cc, struct diag *d, const char *fmt, ...)
{
    if (d == &cc->diag.hidden)
        return;
    va_list ap;
    va_start(ap, fmt);
    d->help = arena_vprintf(&cc->arena, fmt, ap);
    va_end(ap);
    if (cc->diag.document_terms)
        d->help = diag_document_terms(&cc->arena, d->help);
}

static int diag_cmp(const void *pa, const void *pb)
{
    const struct diag *a = *(const struct diag *const *)pa;
    const struct diag *b = *(const struct diag *const *)pb;
    /* Diagnostics without a location come last. */
    uint32_t fa = a->loc.file ? a->loc.file : UINT32_MAX;
    uint32_t fb = b->loc.file ? b->loc.file : UINT32_MAX;
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (a->loc.start != b->loc.start)
        return a->loc.start < b->loc.start ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diag_sort(struct obc *cc)
{
    struct vec *l = &cc->diag.list;
    if (l->len > 1)
        qsort(l->items, l->len, sizeof *l->items, diag_cmp);
}
