/*
 * suppress.c - suppression comments (docs/suppressions.md):
 *
 *   # obc:ignore OB3020 -- reason            the next line, or this line
 *   # obc:ignore OB3020, OB9001 -- reason    several codes
 *   # obc:ignore-file OB9001 -- reason       the whole file
 *
 * Owns: reading those comments (the lexer hands over every comment,
 * suppress_record keeps the `obc:` ones on their src_file), and
 * diag_apply_suppressions, which drops the warnings they name from the
 * diagnostics before rendering and reports the comments that are
 * malformed (OB9006) or suppress nothing (OB9005).
 *
 * Only warnings can be suppressed: an error is what AWS would reject,
 * and a note never fails a run. A malformed comment suppresses nothing.
 * A BACKUP_POLICY JSON document has no comments: its sidecar
 * POLICY.json.obcignore (load.c reads it) holds lines `CODE -- reason`
 * for the whole document.
 * Warnings past the display limit are not stored; diag_emit hands their
 * code and place to suppress_hold, so they are suppressed too.
 * Cost: linear in the comments and the diagnostics (a binary search per
 * diagnostic over its file's comments).
 */
#include "front.h"

#include <string.h>

/* One code a comment names. */
struct suppress_code {
    enum diag_code code;
    struct loc loc;  /* "OB3020" in the comment */
    bool used;       /* it suppressed a warning */
};

struct suppression {
    struct loc loc;          /* the comment, from its '#' */
    bool file_scope;         /* obc:ignore-file, or a line of a sidecar */
    bool sidecar;            /* a line of POLICY.json.obcignore */
    bool own_line;           /* nothing but blanks before the '#' */
    uint32_t line;           /* 1-based line of the comment */
    uint32_t target;         /* the line it applies to (line scope) */
    struct vec codes;        /* struct suppress_code* */
    const char *problem;     /* why it is malformed, or NULL */
    const char *help;        /* how to write it, with problem */
    struct loc problem_loc;  /* where the problem is */
    bool reported;           /* its OB9005/OB9006 warnings were emitted */
};

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static struct loc at(const struct src_file *f, size_t from, size_t to)
{
    return (struct loc){f->id, (uint32_t)from, (uint32_t)to};
}

static void malformed(struct suppression *s, struct loc where, const char *problem, const char *help)
{
    s->problem = problem;
    s->help = help;
    s->problem_loc = where;
}

static const char *const HOW =
    "write it as '# obc:ignore CODE -- reason' (several codes separated by commas), or "
    "'# obc:ignore-file CODE -- reason' before the first declaration";

/* Reads the codes of s, from p to the comment's end; returns where the
 * reason's "--" is, or `end` when there is none. */
static size_t read_codes(struct obc *cc, struct src_file *f, struct suppression *s, size_t p, size_t end)
{
    const char *t = f->text;
    bool seen[DIAG_CODE_COUNT] = {false};
    for (;;) {
        while (p < end && is_blank(t[p]))
            p++;
        if (p + 1 < end && t[p] == '-' && t[p + 1] == '-')
            return p;
        if (p >= end)
            return end;
        size_t w = p;
        while (p < end && is_word(t[p]) && !(t[p] == '-' && p + 1 < end && t[p + 1] == '-'))
            p++;
        if (p == w) { /* a character that is neither a code nor a comma */
            if (t[p] == ',' && s->codes.len > 0) {
                p++;
                continue;
            }
            if (!s->problem)
                malformed(s, at(f, p, p + 1), arena_printf(&cc->arena, "malformed suppression: "
                          "expected a code here"), HOW);
            p++;
            continue;
        }
        const char *word = arena_strndup(&cc->arena, t + w, p - w);
        struct loc loc = at(f, w, p);
        enum diag_code code;
        bool shaped = p - w == 6 && word[0] == 'O' && word[1] == 'B' && strspn(word + 2, "0123456789") == 4;
        if (!shaped || !diag_code_parse(word, &code)) {
            if (!s->problem)
                malformed(s, loc, arena_printf(&cc->arena, shaped ? "malformed suppression: %s is not a "
                          "diagnostic code" : "malformed suppression: '%s' is not a diagnostic code", text_safe(&cc->arena, word)),
                          shaped ? "'obc explain' lists the codes" :
                          "codes are written OB and four digits (OB3020); the reason follows '--'");
            continue;
        }
        const struct diag_code_info *info = diag_info(code);
        if (!s->problem && info->sev == SEV_ERROR)
            malformed(s, loc, arena_printf(&cc->arena, "malformed suppression: %s is an error, and "
                      "errors cannot be suppressed", info->id),
                      "only warnings can be suppressed; an error is what AWS would reject, so fix it");
        else if (!s->problem && info->sev == SEV_NOTE)
            malformed(s, loc, arena_printf(&cc->arena, "malformed suppression: %s is a note, which "
                      "never fails a run and cannot be suppressed", info->id), "delete the code");
        else if (!s->problem && (code == OB9005 || code == OB9006))
            malformed(s, loc, arena_printf(&cc->arena, "malformed suppression: %s is about suppression "
                      "comments and cannot be suppressed", info->id),
                      code == OB9005 ? "delete the comment that suppresses nothing"
                                     : "write the malformed comment correctly");
        if (seen[code])
            continue; /* named twice: once is enough */
        seen[code] = true;
        struct suppress_code *c = arena_alloc(&cc->arena, sizeof *c);
        *c = (struct suppress_code){.code = code, .loc = loc};
        vec_push(&cc->arena, &s->codes, c);
    }
}

/* The codes and the reason of s, f->text[p, end). */
static void read_body(struct obc *cc, struct src_file *f, struct suppression *s, size_t p, size_t end)
{
    const char *t = f->text;
    size_t dash = read_codes(cc, f, s, p, end);
    if (s->codes.len == 0 && !s->problem)
        malformed(s, s->loc, "malformed suppression: it names no code",
                  s->sidecar ? "name the warning's code: 'OB1108 -- reason'"
                             : "name the warning's code: '# obc:ignore OB3020 -- reason'");
    size_t r = dash + 2;
    while (r < end && is_blank(t[r]))
        r++;
    size_t r_end = end;
    while (r_end > r && is_blank(t[r_end - 1]))
        r_end--;
    if (!s->problem && (dash >= end || r >= r_end))
        malformed(s, s->loc, "malformed suppression: it gives no reason",
                  s->sidecar ? "end the line with '--' and why the warning is accepted: 'OB1108 -- reason'"
                             : "end it with '--' and why the warning is accepted: '# obc:ignore OB3020 -- reason'");
}

/* The comment f->text[start, end), from its '#'. */
void suppress_record(struct obc *cc, struct src_file *f, uint32_t start, uint32_t end)
{
    const char *t = f->text;
    size_t p = start + 1;
    while (p < end && is_blank(t[p]))
        p++;
    if (end - p < 4 || memcmp(t + p, "obc:", 4) != 0)
        return;
    if (f->suppressions.len > 0) {
        const struct suppression *last = f->suppressions.items[f->suppressions.len - 1];
        if (last->loc.start >= start)
            return; /* the file is lexed again (the formatter, the language server) */
    }
    struct suppression *s = arena_alloc(&cc->arena, sizeof *s);
    *s = (struct suppression){.loc = at(f, start, end)};
    struct src_pos pos = src_pos(f, start);
    s->line = s->target = pos.line;
    size_t bol = f->line_starts[pos.line - 1];
    s->own_line = true;
    for (size_t i = bol; i < start; i++)
        if (!is_blank(t[i]))
            s->own_line = false;
    vec_push(&cc->arena, &f->suppressions, s);

    size_t kw = p + 4, q = kw;
    while (q < end && is_word(t[q]))
        q++;
    if (q - kw == 11 && memcmp(t + kw, "ignore-file", 11) == 0)
        s->file_scope = true;
    else if (q - kw != 6 || memcmp(t + kw, "ignore", 6) != 0) {
        malformed(s, at(f, p, q > kw ? q : end), arena_printf(&cc->arena,
                  "malformed suppression: unknown directive 'obc:%s'",
                  text_safe(&cc->arena, arena_strndup(&cc->arena, t + kw, q - kw))), HOW);
        return;
    }
    read_body(cc, f, s, q, end);
}

/* A policy document's sidecar: each line `OB1108, OB1110 -- reason`
 * (blank lines and `#` lines skipped) suppresses those warnings in the
 * whole document. */
void suppress_read_sidecar(struct obc *cc, struct src_file *doc, struct src_file *sidecar)
{
    const char *t = sidecar->text;
    src_line_map(sidecar);
    for (uint32_t line = 1; line <= sidecar->nlines; line++) {
        size_t bol = sidecar->line_starts[line - 1];
        size_t eol = line < sidecar->nlines ? sidecar->line_starts[line] : sidecar->len;
        while (eol > bol && (t[eol - 1] == '\n' || t[eol - 1] == '\r'))
            eol--;
        size_t p = bol;
        while (p < eol && is_blank(t[p]))
            p++;
        if (p == eol || t[p] == '#')
            continue;
        struct suppression *s = arena_alloc(&cc->arena, sizeof *s);
        *s = (struct suppression){.loc = at(sidecar, p, eol), .file_scope = true, .sidecar = true,
                                  .line = line, .target = line};
        vec_push(&cc->arena, &doc->suppressions, s);
        read_body(cc, sidecar, s, p, eol);
    }
}

/* ---- applying them ------------------------------------------------------ */

/* A warning past the display limit: counted, not stored (diag.c). */
struct suppress_held {
    enum diag_code code;
    struct loc loc;
};

void suppress_hold(struct obc *cc, enum diag_code code, struct loc loc)
{
    struct src_file *f = src_get(cc, loc.file);
    if (!f || f->suppressions.len == 0)
        return;
    struct suppress_held *h = arena_alloc(&cc->arena, sizeof *h);
    *h = (struct suppress_held){code, loc};
    vec_push(&cc->arena, &cc->diag.held, h);
}

/* Whether line `line` (1-based) of f holds only blanks and a comment. */
static bool comment_only_line(const struct src_file *f, uint32_t line)
{
    size_t p = f->line_starts[line - 1];
    while (p < f->len && is_blank(f->text[p]))
        p++;
    return p < f->len && f->text[p] == '#';
}

/* The offset of f's first declaration (an item that is not an import),
 * or UINT32_MAX. */
static uint32_t first_declaration(const struct src_file *f)
{
    for (size_t i = 0; i < f->items.len; i++) {
        const struct ast_item *it = f->items.items[i];
        const char *w = ast_word_text(it, 0);
        if (it->form == ITEM_STRING && w && strcmp(w, "import") == 0)
            continue;
        return it->loc.start;
    }
    return UINT32_MAX;
}

/* Works out each comment's target line (a comment on its own line
 * applies to the next line that is not only a comment, so comments can
 * stack; one after code applies to its own line), and which file-scope
 * comments come too late. From the last comment back, so the lines
 * between two comments are read once. */
static void resolve_file(struct obc *cc, struct src_file *f)
{
    struct vec *v = &f->suppressions;
    uint32_t decl = first_declaration(f);
    for (size_t i = v->len; i-- > 0;) {
        struct suppression *s = v->items[i];
        const struct suppression *next = i + 1 < v->len ? v->items[i + 1] : NULL;
        if (s->file_scope && !s->problem && s->loc.start > decl) {
            struct src_pos p = src_pos(f, decl);
            malformed(s, s->loc, arena_printf(&cc->arena, "malformed suppression: obc:ignore-file comes "
                      "after the first declaration (line %u)", p.line),
                      "move it to the top of the file, before the first declaration");
        }
        if (!s->own_line)
            continue;
        uint32_t line = s->line + 1;
        s->target = line;
        while (line <= f->nlines && comment_only_line(f, line)) {
            if (next && next->own_line && next->line == line) {
                line = next->target;
                break;
            }
            line++;
        }
        s->target = line;
    }
}

static bool names(const struct suppression *s, enum diag_code code, bool mark)
{
    bool found = false;
    for (size_t k = 0; k < s->codes.len; k++) {
        struct suppress_code *c = s->codes.items[k];
        if (c->code == code) {
            found = true;
            if (mark)
                c->used = true;
        }
    }
    return found;
}

/* Whether a comment of f suppresses d, marking the codes that do.
 * file_codes[code]: the codes of f's sound file-scope comments. */
static bool suppressed(struct src_file *f, struct vec *file_codes, enum diag_code code, struct loc loc)
{
    const struct vec *v = &f->suppressions;
    uint32_t line = src_pos(f, loc.start).line;
    bool hit = false;
    /* targets never decrease along the file: the first one >= line */
    size_t lo = 0, hi = v->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (((const struct suppression *)v->items[mid])->target < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < v->len; i++) {
        const struct suppression *s = v->items[i];
        if (s->target != line)
            break;
        if (!s->file_scope && !s->problem && names(s, code, true))
            hit = true;
    }
    const struct vec *fc = &file_codes[code];
    for (size_t i = 0; i < fc->len; i++) {
        ((struct suppress_code *)fc->items[i])->used = true;
        hit = true;
    }
    return hit;
}

/* The codes of f's sound file-scope comments, by code. */
static struct vec *file_scope_codes(struct obc *cc, const struct src_file *f)
{
    struct vec *by_code = arena_alloc(&cc->arena, DIAG_CODE_COUNT * sizeof *by_code);
    for (size_t i = 0; i < f->suppressions.len; i++) {
        const struct suppression *s = f->suppressions.items[i];
        if (!s->file_scope || s->problem)
            continue;
        for (size_t k = 0; k < s->codes.len; k++) {
            struct suppress_code *c = s->codes.items[k];
            vec_push(&cc->arena, &by_code[c->code], c);
        }
    }
    return by_code;
}

/* OB9006 for a malformed comment; OB9005 for each code of a sound one
 * that suppressed nothing, unless `complete` is false (there were
 * errors, so the analyses that find the warnings may not have run). */
static void report_comment(struct obc *cc, struct src_file *f, struct suppression *s, bool complete)
{
    if (s->problem) {
        s->reported = true;
        struct diag *d = diag_emit(cc, OB9006, s->problem_loc, "%s", s->problem);
        diag_help(cc, d, "%s; a malformed comment suppresses nothing", s->help);
        return;
    }
    if (!complete)
        return;
    s->reported = true;
    for (size_t k = 0; k < s->codes.len; k++) {
        const struct suppress_code *c = s->codes.items[k];
        if (c->used)
            continue;
        const char *id = diag_info(c->code)->id;
        struct diag *d;
        if (s->sidecar)
            d = diag_emit(cc, OB9005, c->loc, "%s suppresses nothing: there is no %s warning in '%s'", id,
                          id, text_safe(&cc->arena, f->path));
        else if (s->file_scope)
            d = diag_emit(cc, OB9005, c->loc, "obc:ignore-file %s suppresses nothing: there is no %s "
                          "warning in this file", id, id);
        else if (s->target > f->nlines)
            d = diag_emit(cc, OB9005, c->loc, "obc:ignore %s suppresses nothing: no line follows it", id);
        else
            d = diag_emit(cc, OB9005, c->loc, "obc:ignore %s suppresses nothing: no %s warning starts "
                          "on line %u", id, id, s->target);
        if (s->sidecar)
            diag_help(cc, d, "if the warning is gone, delete %s from the line", id);
        else
            diag_help(cc, d, "put the comment on the line above the warning's first line, or at the end of "
                         "that line; if the warning is gone, delete %s from the comment", id);
    }
}

void diag_apply_suppressions(struct obc *cc)
{
    bool any = false;
    struct vec **file_codes = NULL; /* by file id */
    for (size_t i = 0; i < cc->files.len; i++) {
        struct src_file *f = cc->files.items[i];
        if (f->suppressions.len == 0)
            continue;
        if (!any)
            file_codes = arena_alloc(&cc->arena, (cc->files.len + 1) * sizeof *file_codes);
        any = true;
        resolve_file(cc, f);
        file_codes[f->id] = file_scope_codes(cc, f);
    }
    if (!any)
        return;
    struct diag_engine *e = &cc->diag;
    size_t kept = 0;
    for (size_t i = 0; i < e->list.len; i++) {
        struct diag *d = e->list.items[i];
        struct src_file *f = d->sev == SEV_WARNING ? src_get(cc, d->loc.file) : NULL;
        if (f && f->suppressions.len > 0 && suppressed(f, file_codes[f->id], d->code, d->loc)) {
            diag_uncount(e, d);
            continue;
        }
        e->list.items[kept++] = d;
    }
    e->list.len = kept;
    for (size_t i = 0; i < e->held.len; i++) {
        const struct suppress_held *h = e->held.items[i];
        struct src_file *f = src_get(cc, h->loc.file);
        if (suppressed(f, file_codes[f->id], h->code, h->loc)) {
            e->warnings--;
            e->dropped--;
        }
    }
    e->held.len = 0;
    bool complete = e->errors == 0;
    for (size_t i = 0; i < cc->files.len; i++) {
        struct src_file *f = cc->files.items[i];
        for (size_t k = 0; k < f->suppressions.len; k++) {
            struct suppression *s = f->suppressions.items[k];
            if (!s->reported)
                report_comment(cc, f, s, complete);
        }
    }
}
