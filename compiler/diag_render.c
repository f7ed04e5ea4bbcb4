/*
 * diag_render.c - turns the diagnostic records of diag.c into text for
 * people (the gcc/clang shape that editors and CI problem matchers parse)
 * and JSON for tools.
 *
 * Text shape:
 *   file:line:col: error[OB2001]: message
 *      12 |     vault = centrl
 *         |             ^~~~~~
 *         = help: what to change
 *   file:line:col: note: secondary location
 * Columns are 1-based bytes. Source lines are shown with invalid bytes
 * and unsafe characters (below) replaced by U+FFFD, and very long lines
 * are cut to a window around the range.
 *
 * Everything else that comes from the input (messages, help and notes,
 * which quote names and strings of the program, and file names) is
 * untrusted: it goes through safe_char, in both formats, so that what obc
 * prints is valid UTF-8 and no input can start a line (forging a
 * diagnostic, a CI annotation or the summary), send a terminal escape
 * sequence or reorder the text around it. Unsafe characters are written
 * as \n, \r, \t or \u{hex} (the .ob escape forms), invalid bytes as \xHH.
 * Backslashes are kept as they are.
 */
#include "base.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 120 /* bytes of a long line shown around the range */

struct style {
    const char *bold, *err, *warn, *note, *caret, *reset;
};
static const struct style plain = {"", "", "", "", "", ""};
static const struct style ansi = {"\033[1m", "\033[1;31m", "\033[1;35m", "\033[1;36m", "\033[1;32m", "\033[0m"};

static const char *sev_word(enum severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* Characters never printed as they are: C0 controls, DEL and C1
 * controls (terminal escapes, line breaks), the Unicode line and
 * paragraph separators, the bidirectional embeddings, overrides,
 * isolates and marks (text shown in another order than it is stored),
 * and the byte-order mark. */
static bool unsafe_cp(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* The character at s[0..n): its length goes to *len (1 for an invalid
 * byte); returns 0 when it can be printed as is, else the length of its
 * escaped form, written to rep. */
static size_t safe_char(const unsigned char *s, size_t n, size_t *len, char rep[16])
{
    static const char hex[] = "0123456789abcdef";
    uint32_t cp = 0;
    size_t l = utf8_decode(s, n, &cp);
    *len = l ? l : 1;
    if (l == 0) {
        memcpy(rep, "\\x", 2);
        rep[2] = hex[s[0] >> 4];
        rep[3] = hex[s[0] & 15];
        return 4;
    }
    if (!unsafe_cp(cp))
        return 0;
    char c = cp == '\n' ? 'n' : cp == '\r' ? 'r' : cp == '\t' ? 't' : 0;
    if (c) {
        rep[0] = '\\';
        rep[1] = c;
        return 2;
    }
    int k = snprintf(rep, 16, "\\u{%x}", (unsigned)cp);
    return (size_t)k;
}

void text_put_safe(FILE *out, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), run = 0, i = 0;
    char rep[16];
    while (i < n) {
        size_t l, k = safe_char(u + i, n - i, &l, rep);
        if (k) {
            fwrite(u + run, 1, i - run, out);
            fwrite(rep, 1, k, out);
            run = i + l;
        }
        i += l;
    }
    fwrite(u + run, 1, n - run, out);
}

const char *text_safe(struct arena *a, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), run = 0, i = 0;
    char rep[16];
    struct strbuf b = {0};
    bool changed = false;
    while (i < n) {
        size_t l, k = safe_char(u + i, n - i, &l, rep);
        if (k) {
            sb_putn(a, &b, s + run, i - run);
            sb_putn(a, &b, rep, k);
            run = i + l;
            changed = true;
        }
        i += l;
    }
    if (!changed)
        return s;
    sb_putn(a, &b, s + run, n - run);
    return sb_str(a, &b);
}

void report_verror(FILE *out, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    char *text = small, *big = NULL;
    if (n >= (int)sizeof small && (big = malloc((size_t)n + 1)) != NULL) {
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        text = big;
    }
    fputs("obc: error: ", out);
    text_put_safe(out, n < 0 ? "(unprintable message)" : text);
    fputc('\n', out);
    free(big);
}

void report_error(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_verror(out, fmt, ap);
    va_end(ap);
}

/* Length of the character at s (1 for an invalid byte); *bad is set when
 * it cannot be shown as is (invalid or unsafe, except the tab, which
 * keeps the caret line aligned) and is printed as one U+FFFD instead. */
static size_t char_len(const unsigned char *s, size_t n, bool *bad)
{
    uint32_t cp = 0;
    size_t l = utf8_decode(s, n, &cp);
    *bad = l == 0 || (unsafe_cp(cp) && cp != '\t');
    return l ? l : 1;
}

/* Prints line[from, to) safely and the caret line for [cs, ce) under it. */
static void print_snippet(FILE *out, const struct style *st, int gutter, uint32_t lineno,
                          const char *line, size_t len, size_t cs, size_t ce)
{
    size_t from = 0, to = len;
    if (len > WINDOW) {
        from = cs > WINDOW / 3 ? cs - WINDOW / 3 : 0;
        to = from + WINDOW < len ? from + WINDOW : len;
        if (ce > to && cs < to)
            ce = to;
    }
    fprintf(out, "%*u | %s", gutter, lineno, from > 0 ? "..." : "");
    const unsigned char *u = (const unsigned char *)line;
    bool bad;
    for (size_t i = from; i < to;) {
        size_t l = char_len(u + i, to - i, &bad);
        if (bad)
            fputs("\xEF\xBF\xBD", out);
        else
            fwrite(u + i, 1, l, out);
        i += l;
    }
    fprintf(out, "%s\n%*s | %s", to < len ? "..." : "", gutter, "", from > 0 ? "   " : "");
    for (size_t i = from; i < cs && i < to;) {
        size_t l = char_len(u + i, to - i, &bad);
        fputc(u[i] == '\t' ? '\t' : ' ', out);
        i += l;
    }
    fputs(st->caret, out);
    fputc('^', out);
    size_t i = cs + (cs < len ? char_len(u + cs, len - cs, &bad) : 1);
    while (i < ce && i < to) {
        fputc('~', out);
        i += char_len(u + i, to - i, &bad);
    }
    fprintf(out, "%s\n", st->reset);
}

static int digits(uint32_t n)
{
    int d = 1;
    while (n >= 10)
        n /= 10, d++;
    return d;
}

/* "file:line:col: " for a location, or "obc: " without one. */
static void print_where(struct obc *cc, FILE *out, const struct style *st, struct loc loc)
{
    struct src_file *f = src_get(cc, loc.file);
    if (!f) {
        fprintf(out, "%sobc:%s ", st->bold, st->reset);
        return;
    }
    struct src_pos p = src_pos(f, loc.start);
    fputs(st->bold, out);
    text_put_safe(out, f->path);
    fprintf(out, ":%u:%u:%s ", p.line, p.col, st->reset);
}

static void print_source(struct obc *cc, FILE *out, const struct style *st, struct loc loc,
                         int gutter)
{
    struct src_file *f = src_get(cc, loc.file);
    if (!f)
        return;
    struct src_pos p = src_pos(f, loc.start);
    size_t len;
    const char *line = src_line(f, p.line, &len);
    size_t cs = p.col - 1;
    size_t ce = cs + 1;
    if (loc.end > loc.start) {
        struct src_pos q = src_pos(f, loc.end);
        ce = q.line == p.line ? q.col - 1 : len; /* multi-line: underline to end of line */
        if (ce <= cs)
            ce = cs + 1;
    }
    print_snippet(out, st, gutter, p.line, line, len, cs, ce);
}

static int gutter_for(struct obc *cc, const struct diag *d)
{
    uint32_t maxline = 1;
    struct src_file *f = src_get(cc, d->loc.file);
    if (f)
        maxline = src_pos(f, d->loc.start).line;
    for (const struct diag_note *n = d->notes; n; n = n->next) {
        struct src_file *g = src_get(cc, n->loc.file);
        if (g) {
            uint32_t l = src_pos(g, n->loc.start).line;
            if (l > maxline)
                maxline = l;
        }
    }
    int g = digits(maxline);
    return g < 4 ? 4 : g;
}

void diag_render_text(struct obc *cc, FILE *out, bool color)
{
    const struct style *st = color ? &ansi : &plain;
    for (size_t i = 0; i < cc->diag.list.len; i++) {
        const struct diag *d = VEC_GET(struct diag, cc->diag.list, i);
        const struct diag_code_info *info = diag_info(d->code);
        int gutter = gutter_for(cc, d);
        print_where(cc, out, st, d->loc);
        const char *sc = d->sev == SEV_ERROR ? st->err : d->sev == SEV_WARNING ? st->warn : st->note;
        fprintf(out, "%s%s[%s]:%s %s", sc, sev_word(d->sev), info->id, st->reset, st->bold);
        text_put_safe(out, d->msg);
        fprintf(out, "%s\n", st->reset);
        print_source(cc, out, st, d->loc, gutter);
        if (d->help) {
            fprintf(out, "%*s = %shelp:%s ", gutter, "", st->bold, st->reset);
            text_put_safe(out, d->help);
            fputc('\n', out);
        }
        for (const struct diag_note *n = d->notes; n; n = n->next) {
            print_where(cc, out, st, n->loc);
            fprintf(out, "%snote:%s ", st->note, st->reset);
            text_put_safe(out, n->msg);
            fputc('\n', out);
            print_source(cc, out, st, n->loc, gutter);
        }
    }
}

void diag_render_summary(struct obc *cc, FILE *out, bool color)
{
    const struct style *st = color ? &ansi : &plain;
    struct diag_engine *e = &cc->diag;
    if (e->dropped)
        fprintf(out, "%sobc:%s %zu more diagnostic%s not shown (limit %zu)\n", st->bold, st->reset,
                e->dropped, e->dropped == 1 ? "" : "s", e->max);
    if (e->errors || e->warnings || e->notes)
        fprintf(out, "%sobc:%s %zu error%s, %zu warning%s%s\n", st->bold, st->reset, e->errors,
                e->errors == 1 ? "" : "s", e->warnings, e->warnings == 1 ? "" : "s",
                e->notes == 0 ? "" : e->notes == 1 ? ", 1 note" : arena_printf(&cc->arena, ", %zu notes", e->notes));
}

void diag_render_compact(struct obc *cc, FILE *out)
{
    for (size_t i = 0; i < cc->diag.list.len; i++) {
        const struct diag *d = VEC_GET(struct diag, cc->diag.list, i);
        print_where(cc, out, &plain, d->loc);
        fprintf(out, "%s[%s]: ", sev_word(d->sev), diag_info(d->code)->id);
        text_put_safe(out, d->msg);
        fputc('\n', out);
    }
}

/* `s` as a workflow command's message (`property` false) or property
 * value: % CR LF, and in a property also : and , as %XX, after the
 * escapes every rendering makes (text_safe). */
static void put_github(struct obc *cc, FILE *out, const char *s, bool property)
{
    for (const char *p = text_safe(&cc->arena, s); *p; p++) {
        if (*p == '%' || *p == '\r' || *p == '\n' || (property && (*p == ':' || *p == ',')))
            fprintf(out, "%%%02X", (unsigned char)*p);
        else
            fputc(*p, out);
    }
}

void diag_render_github(struct obc *cc, FILE *out)
{
    for (size_t i = 0; i < cc->diag.list.len; i++) {
        const struct diag *d = VEC_GET(struct diag, cc->diag.list, i);
        const char *level = d->sev == SEV_ERROR ? "error" : d->sev == SEV_WARNING ? "warning" : "notice";
        fprintf(out, "::%s ", level);
        struct src_file *f = src_get(cc, d->loc.file);
        if (f) {
            struct src_pos a = src_pos(f, d->loc.start), b = src_pos(f, d->loc.end > d->loc.start ? d->loc.end
                                                                                                  : d->loc.start);
            fputs("file=", out);
            put_github(cc, out, f->path, true);
            fprintf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,", a.line, a.col, b.line, b.col);
        }
        fprintf(out, "title=%s::", diag_info(d->code)->id);
        put_github(cc, out, d->msg, false);
        if (d->help) {
            fputs("%0Ahelp: ", out); /* a line break in the annotation */
            put_github(cc, out, d->help, false);
        }
        fputc('\n', out);
    }
}

static cJSON *json_range(struct obc *cc, struct loc loc)
{
    struct src_file *f = src_get(cc, loc.file);
    if (!f)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", text_safe(&cc->arena, f->path));
    struct src_pos a = src_pos(f, loc.start), b = src_pos(f, loc.end);
    cJSON *s = cJSON_AddObjectToObject(o, "start");
    cJSON_AddNumberToObject(s, "line", a.line);
    cJSON_AddNumberToObject(s, "column", a.col);
    cJSON_AddNumberToObject(s, "offset", loc.start);
    cJSON *e = cJSON_AddObjectToObject(o, "end");
    cJSON_AddNumberToObject(e, "line", b.line);
    cJSON_AddNumberToObject(e, "column", b.col);
    cJSON_AddNumberToObject(e, "offset", loc.end);
    return o;
}

void diag_json_add(struct obc *cc, cJSON *arr)
{
    for (size_t i = 0; i < cc->diag.list.len; i++) {
        const struct diag *d = VEC_GET(struct diag, cc->diag.list, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", diag_info(d->code)->id);
        cJSON_AddStringToObject(o, "severity", sev_word(d->sev));
        cJSON_AddStringToObject(o, "message", text_safe(&cc->arena, d->msg));
        cJSON_AddItemToObject(o, "range", json_range(cc, d->loc));
        if (d->help)
            cJSON_AddStringToObject(o, "help", text_safe(&cc->arena, d->help));
        cJSON *notes = cJSON_AddArrayToObject(o, "notes");
        for (const struct diag_note *n = d->notes; n; n = n->next) {
            cJSON *no = cJSON_CreateObject();
            cJSON_AddStringToObject(no, "message", text_safe(&cc->arena, n->msg));
            cJSON_AddItemToObject(no, "range", json_range(cc, n->loc));
            cJSON_AddItemToArray(notes, no);
        }
        cJSON_AddItemToArray(arr, o);
    }
}

void diag_render_json(struct obc *cc, FILE *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "diagnostics");
    diag_json_add(cc, arr);
    cJSON_AddNumberToObject(root, "errors", (double)cc->diag.errors);
    cJSON_AddNumberToObject(root, "warnings", (double)cc->diag.warnings);
    cJSON_AddNumberToObject(root, "not_shown", (double)cc->diag.dropped);
    char *s = json_print(root, true);
    if (s)
        fputs(s, out);
    free(s);
    cJSON_Delete(root);
}
