/*
 * template.c - template syntax in a policy document, found before the
 * JSON is read (front end).
 *
 * Real repositories keep BACKUP_POLICY documents as Terraform templates
 * (templatefile, .json.tpl) or CloudFormation !Sub strings. Their text
 * holds interpolations `${...}` (`${var.region}`, `${AWS::Region}`,
 * `${jsonencode(x)}`) and directives `%{ if ... }`; read as JSON they
 * would give a cascade of baffling errors. This file reads the text once,
 * left to right:
 *
 *   - `$${` and `%%{` are Terraform's escapes for a literal `${` / `%{`:
 *     never a placeholder. When the file is rendered (a --var was given,
 *     or its name ends in .tpl) they become `${` / `%{` as templatefile
 *     makes them; otherwise the text keeps them as they are.
 *   - `$account` and `$region` without braces are AWS's own variables,
 *     not template syntax. `$$account` / `$$region` are a mistake seen in
 *     real templates (Terraform escapes only `$${`): OB1122, once.
 *   - `${` or `%{` opens a sequence that ends at its matching `}`
 *     (braces nest; HCL strings "..." inside are skipped), or at the end
 *     of the text when it is never closed.
 *   - A sequence `${ NAME }` whose NAME is identifiers joined by '.' or
 *     '::' is simple: `--var NAME=VALUE` replaces the whole sequence with
 *     VALUE, as raw text (`${days}` outside quotes becomes a number).
 *   - Anything else left over (unknown names, expressions, function
 *     calls, directives, strip markers `~`) is reported as ONE OB1120 at
 *     the first such sequence, listing every distinct one (at most
 *     TEMPLATE_LIST_MAX, then "and N more"), with what to do.
 *
 * The rendered text becomes a source of its own, "FILE (rendered with
 * --var)", so later diagnostics show the text they are about; --var
 * values may not hold line breaks (main.c refuses them), so its line
 * numbers are those of FILE. One pass over the text; the distinct
 * placeholders are counted with a strmap: linear whatever the input.
 */
#include "front.h"

#include <string.h>

enum {
    TEMPLATE_LIST_MAX = 8,   /* placeholders named in OB1120 */
    TEMPLATE_SHOW_MAX = 40,  /* bytes of one placeholder shown */
};

static bool ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool ident_char(char c)
{
    return ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

bool template_name_valid(const char *name, size_t len)
{
    size_t i = 0;
    for (;;) {
        if (i >= len || !ident_start(name[i]))
            return false;
        while (i < len && ident_char(name[i]))
            i++;
        if (i == len)
            return true;
        if (name[i] == '.')
            i++;
        else if (name[i] == ':' && i + 1 < len && name[i + 1] == ':')
            i += 2;
        else
            return false;
    }
}

bool template_path(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && strcmp(path + n - 4, ".tpl") == 0;
}

static bool space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The end of the sequence opened at s[at] ("${" or "%{"): the offset just
 * past its matching '}' (*closed set), or n when it is never closed. */
static size_t sequence_end(const char *s, size_t n, size_t at, bool *closed)
{
    *closed = false;
    size_t depth = 1;
    bool in_string = false;
    for (size_t i = at + 2; i < n; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{') {
            depth++;
        } else if (c == '}' && --depth == 0) {
            *closed = true;
            return i + 1;
        }
    }
    return n;
}

/* Whether s[at..] starts with `word` not followed by an identifier letter. */
static bool word_at(const char *s, size_t n, size_t at, const char *word)
{
    size_t w = strlen(word);
    return at + w <= n && memcmp(s + at, word, w) == 0 && (at + w == n || !ident_char(s[at + w]));
}

struct render {
    struct obc *cc;
    struct src_file *f;
    bool rendering;           /* un-escape $${ and %%{ */
    struct strmap vars;       /* name -> struct template_var* (the last given) */
    bool *used;               /* per cc->opts.vars index */
    struct strbuf out;        /* the rendered text */
    bool changed;             /* out differs from the text */
    bool substituted;         /* a --var was used */
    /* what is left over */
    struct loc first;         /* the first left-over sequence */
    struct strmap seen;       /* distinct shown forms */
    const char *shown[TEMPLATE_LIST_MAX];
    size_t nshown, distinct;
    struct strbuf unknown;    /* "NAME, NAME" of simple placeholders without a --var */
    struct strmap unknown_seen; /* their distinct names */
    size_t nunknown;
    bool complex;             /* an expression or directive is left */
    /* $$account / $$region */
    struct loc dollar2;
    size_t ndollar2;
};

static size_t var_index(const struct render *r, const struct template_var *v)
{
    return (size_t)(v - r->cc->opts.vars);
}

/* The form of s[start..end) shown in OB1120: at most TEMPLATE_SHOW_MAX
 * bytes, cut at a line break, with "..." when shortened. */
static const char *shown_form(struct arena *a, const char *s, size_t start, size_t end, bool closed)
{
    size_t len = end - start;
    size_t cut = len;
    for (size_t i = 0; i < len && i < TEMPLATE_SHOW_MAX + 1; i++)
        if (s[start + i] == '\n' || s[start + i] == '\r' || s[start + i] == '\0') {
            cut = i;
            break;
        }
    if (cut > TEMPLATE_SHOW_MAX)
        cut = TEMPLATE_SHOW_MAX;
    if (cut == len && closed)
        return arena_strndup(a, s + start, len);
    return arena_printf(a, "%.*s...%s", (int)cut, s + start, closed ? "" : " (never closed)");
}

/* Records a sequence obc cannot render. */
static void left_over(struct render *r, size_t start, size_t end, bool closed, const char *name)
{
    struct arena *a = &r->cc->arena;
    if (r->distinct == 0)
        r->first = (struct loc){r->f->id, (uint32_t)start, (uint32_t)end};
    const char *shown = shown_form(a, r->f->text, start, end, closed);
    if (strmap_put_new(a, &r->seen, shown, (void *)shown))
        return; /* shown already */
    if (r->nshown < TEMPLATE_LIST_MAX)
        r->shown[r->nshown++] = shown;
    r->distinct++;
    if (!name) {
        r->complex = true;
    } else if (strmap_put_new(a, &r->unknown_seen, name, (void *)name)) {
        return; /* ${ x } after ${x}: the name is listed already */
    } else if (r->nunknown++ < TEMPLATE_LIST_MAX) {
        if (r->unknown.len)
            sb_puts(a, &r->unknown, ", ");
        sb_puts(a, &r->unknown, shown_form(a, name, 0, strlen(name), true));
    }
}

/* The sequence s[start..end), opened by "${" or "%{": substituted, or left over. */
static void sequence(struct render *r, size_t start, size_t end, bool closed)
{
    const char *s = r->f->text;
    struct arena *a = &r->cc->arena;
    if (s[start] == '$' && closed) {
        size_t b = start + 2, e = end - 1;
        while (b < e && space(s[b]))
            b++;
        while (e > b && space(s[e - 1]))
            e--;
        if (template_name_valid(s + b, e - b)) {
            const char *name = arena_strndup(a, s + b, e - b);
            const struct template_var *v = strmap_get(&r->vars, name);
            if (v) {
                r->used[var_index(r, v)] = true;
                sb_puts(a, &r->out, v->value);
                r->changed = r->substituted = true;
                return;
            }
            left_over(r, start, end, closed, name);
            sb_putn(a, &r->out, s + start, end - start);
            return;
        }
    }
    left_over(r, start, end, closed, NULL);
    sb_putn(a, &r->out, s + start, end - start);
}

static void scan(struct render *r)
{
    const char *s = r->f->text;
    size_t n = r->f->len;
    struct arena *a = &r->cc->arena;
    size_t plain = 0; /* start of text not yet copied to r->out */
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if ((c != '$' && c != '%') || i + 1 >= n) {
            i++;
            continue;
        }
        if (s[i + 1] == c && i + 2 < n && s[i + 2] == '{') { /* $${ or %%{ */
            if (r->rendering) {
                sb_putn(a, &r->out, s + plain, i - plain);
                sb_putn(a, &r->out, s + i + 1, 2);
                r->changed = true;
                plain = i + 3;
            }
            i += 3;
            continue;
        }
        if (c == '$' && s[i + 1] == '$' && (word_at(s, n, i + 2, "account") || word_at(s, n, i + 2, "region"))) {
            if (r->ndollar2++ == 0)
                r->dollar2 = (struct loc){r->f->id, (uint32_t)i, (uint32_t)(i + 2 + (s[i + 2] == 'a' ? 7 : 6))};
            i += 2;
            continue;
        }
        if (s[i + 1] != '{') {
            i++;
            continue;
        }
        bool closed;
        size_t end = sequence_end(s, n, i, &closed);
        sb_putn(a, &r->out, s + plain, i - plain);
        sequence(r, i, end, closed);
        plain = i = end;
    }
    sb_putn(a, &r->out, s + plain, n - plain);
}

static void report_left_over(struct render *r)
{
    struct obc *cc = r->cc;
    struct strbuf list = {0};
    for (size_t i = 0; i < r->nshown; i++) {
        if (i)
            sb_puts(&cc->arena, &list, ", ");
        sb_puts(&cc->arena, &list, r->shown[i]);
    }
    if (r->distinct > r->nshown)
        sb_printf(&cc->arena, &list, " and %zu more", r->distinct - r->nshown);
    struct diag *d = diag_emit(cc, OB1120, r->first,
                               "this policy document is a template: %zu placeholder%s to fill: %s",
                               r->distinct, r->distinct == 1 ? " is left" : "s are left",
                               sb_str(&cc->arena, &list));
    const char *base = strrchr(r->f->path, '/');
    const char *render_hint = arena_printf(&cc->arena, "render the file first, as Terraform does (terraform console, "
                                           "then templatefile(\"%s\", {...})) and check the result",
                                           base ? base + 1 : r->f->path);
    if (r->nunknown && !r->complex)
        diag_help(cc, d, "pass --var NAME=VALUE for each of %s%s (the value is inserted as written), or %s",
                  sb_str(&cc->arena, &r->unknown), r->nunknown > TEMPLATE_LIST_MAX ? ", ..." : "", render_hint);
    else if (r->nunknown)
        diag_help(cc, d, "%s; --var NAME=VALUE fills only simple placeholders like %s, not expressions or %%{ } "
                  "directives", render_hint, sb_str(&cc->arena, &r->unknown));
    else
        diag_help(cc, d, "%s; --var NAME=VALUE fills only simple placeholders ${NAME}, not expressions or %%{ } "
                  "directives", render_hint);
}

static void report_dollar2(struct render *r)
{
    const char *s = r->f->text;
    const char *word = s + r->dollar2.start + 2;
    int wlen = (int)(r->dollar2.end - r->dollar2.start - 2);
    struct diag *d = diag_emit(r->cc, OB1122, r->dollar2,
                               "'$$%.*s' reaches AWS as written: Terraform turns only '$${' into '${', so '$$' "
                               "before a name stays '$$'%s",
                               wlen, word, r->ndollar2 > 1 ? arena_printf(&r->cc->arena, " (%zu places in this file)",
                                                                         r->ndollar2) : "");
    diag_help(r->cc, d, "write '$%.*s' (one '$'): AWS replaces it with the member account's value; a template needs no "
                        "escape for it", wlen, word);
}

static void report_unused(struct render *r)
{
    const struct obc_options *o = &r->cc->opts;
    for (size_t i = 0; i < o->nvars; i++) {
        const struct template_var *v = &o->vars[i];
        if (r->used[i] || strmap_get(&r->vars, v->name) != v)
            continue; /* used, or a later --var of the name took its place */
        struct diag *d = diag_emit(r->cc, OB1121, LOC_NONE, "--var %s is never used: %s has no ${%s}", v->name,
                                   r->f->path, v->name);
        diag_help(r->cc, d, "remove '--var %s=...', or check the spelling against the placeholders of %s",
                  v->name, r->f->path);
    }
}

struct src_file *template_render(struct obc *cc, struct src_file *f)
{
    struct render r = {.cc = cc, .f = f};
    const struct obc_options *o = &cc->opts;
    r.rendering = o->nvars > 0 || template_path(f->path);
    r.used = arena_alloc(&cc->arena, (o->nvars ? o->nvars : 1) * sizeof *r.used);
    for (size_t i = o->nvars; i-- > 0;)
        strmap_put_new(&cc->arena, &r.vars, o->vars[i].name, (void *)&o->vars[i]); /* the last one wins */
    scan(&r);
    if (r.ndollar2)
        report_dollar2(&r);
    report_unused(&r);
    if (r.distinct) {
        report_left_over(&r);
        return NULL;
    }
    if (!r.changed)
        return f;
    const char *path = arena_printf(&cc->arena, "%s (%s)", f->path, r.substituted ? "rendered with --var" : "rendered");
    struct src_file *g = src_add(cc, path, f->dir, path, sb_str(&cc->arena, &r.out), r.out.len);
    g->origin = f;
    return g;
}
