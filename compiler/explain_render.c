/*
 * explain_render.c - renders an explanation (docs/codes/OBxxxx.md) for a
 * terminal, as `obc explain` prints it by default.
 *
 * The explanations use a small part of markdown, and that is what this
 * file reads: ATX headings (# and ##), paragraphs, list items ("- ",
 * "* ", "+ ", "1. ") with indented continuation lines, fenced code blocks
 * (```), code spans, **strong** and *emphasis* (also with _), links
 * [text](url), autolinks <url> and backslash escapes. Anything else is
 * text. Output: headings flush left, everything else indented by BODY
 * columns, code blocks by CODE more; paragraphs and items re-wrapped to
 * the width; one blank line between blocks (none between the items of
 * one list). Widths count code points: every character is taken as one
 * column, so the output does not depend on the locale.
 *
 * One pass over the text, a paragraph at a time. An emphasis or code
 * marker that opens looks ahead for its close within its paragraph, so a
 * paragraph of many unclosed markers costs its length squared; the input
 * is the explanations built into obc, whose paragraphs are short.
 */
#include "explain_render.h"

#include <string.h>

enum { BODY = 2, CODE = 4 };

/* Inline styles, as bits; only drawn with colour. */
enum { ST_STRONG = 1u, ST_EM = 2u, ST_CODE = 4u };

/* A space inside a code span: not a place to break the line. */
#define KEEP_SPACE '\x01'

enum block { B_NONE, B_PARA, B_ITEM, B_HEADING, B_CODE };

struct render {
    struct arena *a;
    struct strbuf out;
    unsigned width;
    bool color;
    enum block open;      /* B_PARA or B_ITEM while `text` gathers lines */
    struct strbuf text;   /* the raw inline text of the open paragraph or item */
    const char *marker;   /* the open item's bullet: "- " or "1. " */
    enum block last;      /* the block written last (B_NONE: nothing yet) */
    bool blank_seen;      /* a blank line since the last block */
};

/* ---- inline text ------------------------------------------------------ */

static void set_style(struct render *r, struct strbuf *dst, unsigned style)
{
    if (!r->color)
        return;
    sb_puts(r->a, dst, "\033[0m");
    if (style & ST_STRONG)
        sb_puts(r->a, dst, "\033[1m");
    if (style & ST_EM)
        sb_puts(r->a, dst, "\033[3m");
    if (style & ST_CODE)
        sb_puts(r->a, dst, "\033[36m");
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_punct(char c)
{
    return c > ' ' && c < 0x7f && !is_alnum(c);
}

/* The length of the run of character c at s[i..n). */
static size_t run_of(const char *s, size_t i, size_t n, char c)
{
    size_t k = 0;
    while (i + k < n && s[i + k] == c)
        k++;
    return k;
}

/* Where the code span opened by k backticks at s[i] closes (the index of
 * its closing run), or 0 when it does not. */
static size_t code_close(const char *s, size_t i, size_t n, size_t k)
{
    for (size_t j = i + k; j < n;) {
        size_t m = run_of(s, j, n, '`');
        if (m == k)
            return j;
        j += m ? m : 1;
    }
    return 0;
}

/* Where the emphasis opened by the k markers c at s[i] closes: a run of
 * exactly k markers after a non-space (and, for _, not before a letter
 * or digit); 0 when none does. */
static size_t emphasis_close(const char *s, size_t i, size_t n, char c, size_t k)
{
    for (size_t j = i + k + 1; j < n;) {
        if (s[j] == '`') { /* a code span is opaque */
            size_t m = run_of(s, j, n, '`');
            size_t e = code_close(s, j, n, m);
            j = e ? e + m : j + m;
            continue;
        }
        size_t m = run_of(s, j, n, c);
        if (m == k && !is_space(s[j - 1]) && (c != '_' || j + k >= n || !is_alnum(s[j + k])))
            return j;
        j += m ? m : 1;
    }
    return 0;
}

static void inline_text(struct render *r, struct strbuf *dst, const char *s, size_t n, unsigned style);

/* A code span s[from..to): its text as written, one space trimmed from
 * each end when both have one; spaces kept from breaking the line. */
static void code_span(struct render *r, struct strbuf *dst, const char *s, size_t from, size_t to, unsigned style)
{
    if (to - from >= 2 && s[from] == ' ' && s[to - 1] == ' ')
        from++, to--;
    set_style(r, dst, style | ST_CODE);
    for (size_t i = from; i < to; i++) {
        char c = s[i] == ' ' || s[i] == '\n' ? KEEP_SPACE : s[i];
        sb_putn(r->a, dst, &c, 1);
    }
    set_style(r, dst, style);
}

/* [label](url): the label, then the url in parentheses unless it is the
 * label itself. Returns the length read, 0 when s[i] opens no link. */
static size_t link(struct render *r, struct strbuf *dst, const char *s, size_t i, size_t n, unsigned style)
{
    const char *close = memchr(s + i, ']', n - i);
    if (!close || (size_t)(close - s) + 1 >= n || close[1] != '(')
        return 0;
    size_t label_end = (size_t)(close - s);
    const char *paren = memchr(close + 2, ')', n - label_end - 2);
    if (!paren || memchr(s + i + 1, '[', label_end - i - 1))
        return 0;
    size_t url = label_end + 2, url_end = (size_t)(paren - s);
    if (memchr(s + url, ' ', url_end - url))
        return 0;
    inline_text(r, dst, s + i + 1, label_end - i - 1, style);
    if (url_end - url != label_end - i - 1 || memcmp(s + url, s + i + 1, url_end - url) != 0) {
        sb_puts(r->a, dst, " (");
        sb_putn(r->a, dst, s + url, url_end - url);
        sb_puts(r->a, dst, ")");
    }
    return url_end + 1 - i;
}

/* s[0..n) with its inline markers replaced by `style` changes. */
static void inline_text(struct render *r, struct strbuf *dst, const char *s, size_t n, unsigned style)
{
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '`') {
            size_t k = run_of(s, i, n, '`');
            size_t e = code_close(s, i, n, k);
            if (e) {
                code_span(r, dst, s, i + k, e, style);
                i = e + k;
            } else {
                sb_putn(r->a, dst, s + i, k);
                i += k;
            }
            continue;
        }
        if (c == '\\' && i + 1 < n && is_punct(s[i + 1])) {
            sb_putn(r->a, dst, s + i + 1, 1);
            i += 2;
            continue;
        }
        if (c == '*' || c == '_') {
            size_t k = run_of(s, i, n, c);
            bool opens = k <= 2 && i + k < n && !is_space(s[i + k]) && (c != '_' || i == 0 || !is_alnum(s[i - 1]));
            size_t e = opens ? emphasis_close(s, i, n, c, k) : 0;
            if (e) {
                unsigned inner = style | (k == 2 ? ST_STRONG : ST_EM);
                set_style(r, dst, inner);
                inline_text(r, dst, s + i + k, e - i - k, inner);
                set_style(r, dst, style);
                i = e + k;
            } else {
                sb_putn(r->a, dst, s + i, k);
                i += k;
            }
            continue;
        }
        if (c == '[') {
            size_t used = link(r, dst, s, i, n, style);
            if (used) {
                i += used;
                continue;
            }
        }
        if (c == '<' && n - i > 8 && (strncmp(s + i + 1, "http://", 7) == 0 || strncmp(s + i + 1, "https://", 8) == 0)) {
            const char *gt = memchr(s + i, '>', n - i);
            if (gt && !memchr(s + i, ' ', (size_t)(gt - (s + i)))) {
                sb_putn(r->a, dst, s + i + 1, (size_t)(gt - (s + i)) - 1);
                i = (size_t)(gt - s) + 1;
                continue;
            }
        }
        sb_putn(r->a, dst, s + i, 1);
        i++;
    }
}

/* ---- wrapping ------------------------------------------------------------ */

/* The columns s[0..n) takes: code points, minus ANSI escape sequences. */
static size_t columns(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\033') {
            while (i < n && s[i] != 'm')
                i++;
            continue;
        }
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w++;
    }
    return w;
}

static void put_word(struct render *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i] == KEEP_SPACE ? ' ' : s[i];
        sb_putn(r->a, &r->out, &c, 1);
    }
}

/* Writes the rendered inline `text` as lines of at most r->width columns,
 * the first starting with `first`, the others with `rest` (as wide). */
static void wrap(struct render *r, const char *text, const char *first, const char *rest)
{
    sb_puts(r->a, &r->out, first);
    size_t indent = columns(first, strlen(first));
    size_t col = indent;
    bool words = false;
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        size_t w = columns(p, n);
        if (words && col + 1 + w > r->width) {
            sb_puts(r->a, &r->out, "\n");
            sb_puts(r->a, &r->out, rest);
            col = indent;
        } else if (words) {
            sb_puts(r->a, &r->out, " ");
            col++;
        }
        put_word(r, p, n);
        col += w;
        words = true;
        p += n;
    }
    sb_puts(r->a, &r->out, "\n");
}

/* ---- blocks -------------------------------------------------------------- */

/* The blank line before a new block of kind `kind`: none before the
 * first block, nor between two items of one list. */
static void start_block(struct render *r, enum block kind)
{
    if (r->last != B_NONE && !(kind == B_ITEM && r->last == B_ITEM && !r->blank_seen))
        sb_puts(r->a, &r->out, "\n");
    r->last = kind;
    r->blank_seen = false;
}

static const char *spaces(struct render *r, size_t n)
{
    char *s = arena_alloc(r->a, n + 1);
    memset(s, ' ', n);
    return s;
}

/* Writes the open paragraph or list item, if any. */
static void close_text(struct render *r)
{
    if (r->open == B_NONE)
        return;
    struct strbuf styled = {0};
    inline_text(r, &styled, r->text.s, r->text.len, 0);
    if (r->color)
        sb_puts(r->a, &styled, "\033[0m");
    const char *t = sb_str(r->a, &styled);
    start_block(r, r->open);
    if (r->open == B_ITEM) {
        const char *first = arena_printf(r->a, "%s%s", spaces(r, BODY), r->marker);
        wrap(r, t, first, spaces(r, BODY + strlen(r->marker)));
    } else {
        wrap(r, t, spaces(r, BODY), spaces(r, BODY));
    }
    r->open = B_NONE;
    r->text.len = 0;
}

static void add_text(struct render *r, enum block kind, const char *s, size_t n)
{
    if (r->open == B_NONE)
        r->open = kind;
    else if (r->text.len)
        sb_puts(r->a, &r->text, " ");
    sb_putn(r->a, &r->text, s, n);
}

static void heading(struct render *r, const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '#'))
        n--; /* closing #s */
    close_text(r);
    start_block(r, B_HEADING);
    struct strbuf styled = {0};
    set_style(r, &styled, ST_STRONG);
    inline_text(r, &styled, s, n, ST_STRONG);
    if (r->color)
        sb_puts(r->a, &styled, "\033[0m");
    wrap(r, sb_str(r->a, &styled), "", "");
}

/* The length of a list marker ("- ", "12. ") at s, or 0. */
static size_t list_marker(const char *s, size_t n)
{
    if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ')
        return 2;
    size_t d = 0;
    while (d < n && d < 9 && s[d] >= '0' && s[d] <= '9')
        d++;
    if (d && d + 1 < n && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ')
        return d + 2;
    return 0;
}

/* A fence: ``` (or ~~~) after at most three spaces. */
static bool is_fence(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] == ' ')
        i++;
    return n - i >= 3 && (strncmp(s + i, "```", 3) == 0 || strncmp(s + i, "~~~", 3) == 0);
}

/* One line outside a code block. Returns whether it opens one. */
static bool text_line(struct render *r, const char *s, size_t n)
{
    size_t lead = 0;
    while (lead < n && s[lead] == ' ')
        lead++;
    if (lead == n) {
        close_text(r);
        r->blank_seen = true;
        return false;
    }
    if (is_fence(s, n)) {
        close_text(r);
        start_block(r, B_CODE);
        return true;
    }
    const char *t = s + lead;
    size_t tn = n - lead;
    size_t hashes = run_of(t, 0, tn, '#');
    if (lead < 4 && hashes >= 1 && hashes <= 6 && (hashes == tn || t[hashes] == ' ')) {
        size_t from = hashes;
        while (from < tn && t[from] == ' ')
            from++;
        heading(r, t + from, tn - from);
        return false;
    }
    size_t m = lead < 4 ? list_marker(t, tn) : 0;
    if (m) {
        close_text(r);
        r->marker = t[0] == '-' || t[0] == '*' || t[0] == '+' ? "- " : arena_strndup(r->a, t, m);
        add_text(r, B_ITEM, t + m, tn - m);
        return false;
    }
    add_text(r, B_PARA, t, tn);
    return false;
}

static void code_line(struct render *r, const char *s, size_t n)
{
    if (n) {
        sb_puts(r->a, &r->out, spaces(r, BODY + CODE));
        sb_putn(r->a, &r->out, s, n);
    }
    sb_puts(r->a, &r->out, "\n");
}

const char *explain_render_text(struct arena *a, const char *markdown, unsigned width, bool color)
{
    struct render r = {.a = a, .color = color};
    r.width = width < EXPLAIN_MIN_WIDTH ? EXPLAIN_MIN_WIDTH : width > EXPLAIN_MAX_WIDTH ? EXPLAIN_MAX_WIDTH : width;
    bool in_code = false;
    for (const char *p = markdown; *p;) {
        size_t n = strcspn(p, "\n");
        size_t len = n && p[n - 1] == '\r' ? n - 1 : n;
        if (in_code && is_fence(p, len))
            in_code = false;
        else if (in_code)
            code_line(&r, p, len);
        else
            in_code = text_line(&r, p, len);
        p += n + (p[n] == '\n');
    }
    close_text(&r);
    return sb_str(a, &r.out);
}
