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
        if (d->sev == SEV_WARNING)
            suppress_hold(cc, code, loc);
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

/* ---- folding what several runs repeat ------------------------------------ */

struct diag_fold_entry {
    struct diag *d;
    struct vec who;       /* const char*: the runs (accounts) that reported it */
    struct strmap who_set;
};

struct diag_fold {
    struct obc *cc;
    struct strmap before; /* "code:file:start:end" of what came before the runs */
    struct strmap seen;   /* the same and ":message" -> struct diag_fold_entry*: what runs found */
    struct vec folded;    /* struct diag_fold_entry*: reported by a run */
};

/* A problem at a place; with its message when `with_message`. A run
 * may word what the analysis before it found otherwise (an effective
 * policy names vaults by their ARNs): that is the same problem. */
static const char *fold_key(struct arena *a, const struct diag *d, bool with_message)
{
    return arena_printf(a, "%d:%u:%u:%u%s%s", (int)d->code, d->loc.file, d->loc.start, d->loc.end,
                        with_message ? ":" : "", with_message ? d->msg : "");
}

static struct diag_fold_entry *fold_entry(struct diag_fold *f, struct diag *d)
{
    struct diag_fold_entry *e = arena_alloc(&f->cc->arena, sizeof *e);
    *e = (struct diag_fold_entry){.d = d};
    strmap_put_new(&f->cc->arena, &f->seen, fold_key(&f->cc->arena, d, true), e);
    return e;
}

struct diag_fold *diag_fold_begin(struct obc *cc)
{
    struct diag_fold *f = arena_alloc(&cc->arena, sizeof *f);
    *f = (struct diag_fold){.cc = cc};
    for (size_t i = 0; i < cc->diag.list.len; i++) {
        struct diag *d = cc->diag.list.items[i];
        strmap_put_new(&cc->arena, &f->before, fold_key(&cc->arena, d, false), d);
    }
    return f;
}

void diag_uncount(struct diag_engine *e, const struct diag *d)
{
    if (d->sev == SEV_ERROR) {
        e->errors--;
        e->family_errors[diag_info(d->code)->number / 1000 % 10]--;
    } else if (d->sev == SEV_WARNING)
        e->warnings--;
    else
        e->notes--;
}

void diag_fold_since(struct diag_fold *f, size_t mark, const char *const *who, size_t nwho)
{
    struct arena *a = &f->cc->arena;
    struct diag_engine *e = &f->cc->diag;
    size_t kept = mark;
    for (size_t i = mark; i < e->list.len; i++) {
        struct diag *d = e->list.items[i];
        if (strmap_get(&f->before, fold_key(a, d, false))) {
            diag_uncount(e, d); /* the analysis before the runs said it */
            continue;
        }
        struct diag_fold_entry *en = strmap_get(&f->seen, fold_key(a, d, true));
        if (en) {
            diag_uncount(e, d); /* an earlier run said it */
        } else {
            en = fold_entry(f, d);
            vec_push(a, &f->folded, en);
            e->list.items[kept++] = d;
        }
        for (size_t k = 0; k < nwho; k++)
            if (!strmap_put_new(a, &en->who_set, who[k], (void *)who[k]))
                vec_push(a, &en->who, (void *)who[k]);
    }
    e->list.len = kept;
}

void diag_fold_end(struct diag_fold *f, const char *singular, const char *plural)
{
    struct arena *a = &f->cc->arena;
    enum { SHOWN = 3 };
    for (size_t i = 0; i < f->folded.len; i++) {
        struct diag_fold_entry *en = f->folded.items[i];
        size_t n = en->who.len;
        if (n == 0)
            continue;
        struct strbuf b = {0};
        sb_printf(a, &b, "%s (%s ", en->d->msg, n > 1 ? plural : singular);
        size_t shown = n > SHOWN + 1 ? SHOWN : n;
        for (size_t k = 0; k < shown; k++)
            sb_printf(a, &b, "%s%s", k == 0 ? "" : k + 1 == n ? " and " : ", ", (const char *)en->who.items[k]);
        if (shown < n)
            sb_printf(a, &b, " and %zu more", n - shown);
        sb_puts(a, &b, ")");
        en->d->msg = sb_str(a, &b);
    }
}

/* ---- keeping diagnostics while their arena memory goes back ------------- */

static size_t text_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Appends s (NUL included) to buf at *at; NULL stays NULL. */
static const char *stash(char *buf, size_t *at, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    memcpy(buf + *at, s, n);
    *at += n;
    return buf + *at - n;
}

static const char *unstash(struct arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

bool diag_release_keeping(struct obc *cc, struct arena_mark mark, struct vec list_at_mark)
{
    struct diag_engine *e = &cc->diag;
    size_t from = list_at_mark.len, n = e->list.len - from, size = 0, nnotes = 0;
    for (size_t i = from; i < e->list.len; i++) {
        const struct diag *d = e->list.items[i];
        size += text_size(d->msg) + text_size(d->help);
        for (const struct diag_note *k = d->notes; k; k = k->next, nnotes++)
            size += text_size(k->msg);
    }
    /* the records and their texts, in one block outside the arena */
    size_t records = n * sizeof(struct diag) + nnotes * sizeof(struct diag_note);
    char *buf = malloc(records + size + 1);
    if (!buf)
        return false;
    struct diag *ds = (struct diag *)buf;
    struct diag_note *ns = (struct diag_note *)(buf + n * sizeof(struct diag));
    size_t at = records, note = 0;
    for (size_t i = 0; i < n; i++) {
        const struct diag *d = e->list.items[from + i];
        ds[i] = *d;
        ds[i].msg = stash(buf, &at, d->msg);
        ds[i].help = stash(buf, &at, d->help);
        ds[i].notes = note < nnotes ? &ns[note] : NULL;
        for (const struct diag_note *k = d->notes; k; k = k->next, note++)
            ns[note] = (struct diag_note){k->loc, stash(buf, &at, k->msg), k->next ? &ns[note + 1] : NULL};
        if (!d->notes)
            ds[i].notes = NULL;
    }
    arena_release(&cc->arena, mark);
    e->list = list_at_mark; /* its array then held the first `from` records, which stay */
    for (size_t i = 0; i < n; i++) {
        struct diag *d = arena_alloc(&cc->arena, sizeof *d);
        *d = ds[i];
        d->msg = unstash(&cc->arena, ds[i].msg);
        d->help = unstash(&cc->arena, ds[i].help);
        d->notes = d->last_note = NULL;
        for (const struct diag_note *k = ds[i].notes; k; k = k->next) {
            struct diag_note *c = arena_alloc(&cc->arena, sizeof *c);
            *c = (struct diag_note){k->loc, unstash(&cc->arena, k->msg), NULL};
            if (d->last_note)
                d->last_note->next = c;
            else
                d->notes = c;
            d->last_note = c;
        }
        vec_push(&cc->arena, &e->list, d);
    }
    free(buf);
    return true;
}
