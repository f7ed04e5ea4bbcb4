/*
 * fmt.c - the canonical layout of .ob source (docs/fmt.md), from the
 * token stream of fmt_scan.c: every token is written in its order, and
 * every comment is kept where it stood (at the end of its line or on a
 * line of its own).
 *
 * The layout: four spaces per level, one level in from the line that
 * opened the innermost open block or bracket; one space around
 * operators and after commas; a block's '{' ends its header line and
 * its '}' stands on a line of its own; ';' between
 * items becomes a line break; at most one blank line, none after '{' or
 * before '}', and one around each top-level block; the '=' of
 * consecutive one-line attributes aligned, as are the comments ending
 * consecutive lines. Line breaks inside a value are kept as written.
 *
 * Owns: fmt_source. Reads the source through parse_file (for its
 * errors) and fmt_scan; never interprets the tree.
 */
#include "fmt.h"
#include "front.h"
#include "parser.h"

#include <string.h>

struct fmt_line {
    size_t indent;        /* levels of four spaces */
    struct strbuf text;   /* the tokens, spaced */
    long op_at;           /* byte of the '=' of a one-line attribute, or -1 */
    size_t pad;           /* spaces added before op_at to align it */
    const char *comment;  /* the comment ending the line (or the whole line) */
    size_t comment_len;
    bool blank_before;
};

struct fmt_open {
    int tok;       /* LBRACE, LBRACK, LPAREN */
    bool block;    /* a block's '{' (not a map's) */
    bool multi;    /* a block, or a map written over several lines */
    bool empty;    /* nothing placed inside yet */
    size_t line;   /* the output line it opened on */
    /* the item around a '{', given back at its '}' */
    bool item_header, item_leads;
    size_t item_line, item_depth;
};

struct fmt {
    struct obc *cc;
    struct arena *a;
    struct fmt_elem **e;
    size_t n;
    bool *multi;                 /* per element: an opener whose inside breaks a line */
    bool *keep;                  /* per element: a one-line block followed by a comment on its line */
    struct fmt_open stack[LIMIT_NESTING + 1];
    size_t depth;
    struct vec lines;            /* struct fmt_line* */
    struct fmt_line *cur;
    size_t pending;              /* line breaks read since the last thing placed */
    bool force;                  /* the next token starts a line */
    bool after_open;             /* the last thing placed opened a block (no blank line) */
    int last_tok;                /* the last token placed; 0: none on this line yet */
    bool item_start;             /* the next token starts an item */
    bool item_header;            /* the current item is still in its words */
    bool item_leads;             /* the current item starts its line */
    size_t item_line, item_depth;
    bool top_any, top_block;     /* top level: an item was seen; the last one is a block */
    bool top_group;              /* comments before the next top-level item were placed */
};

static bool is_closer(int tok)
{
    return tok == RBRACE || tok == RBRACK || tok == RPAREN;
}

static bool is_opener(int tok)
{
    return tok == LBRACE || tok == LBRACK || tok == LPAREN;
}

static bool elem_is(const struct fmt *s, size_t i, int tok)
{
    return i < s->n && s->e[i]->kind == FMT_TOKEN && s->e[i]->tok == tok;
}

/* Whether the item starting at element i is a block: words then '{'. */
static bool block_item(const struct fmt *s, size_t i)
{
    size_t j = i;
    while (elem_is(s, j, IDENT))
        j++;
    return j > i && elem_is(s, j, LBRACE);
}

/* Marks each opener whose inside (nested ones included) holds a line
 * break or a comment; and each one-line block that a comment follows on
 * its line, which stays on one line so that the comment (an
 * `obc:ignore`) keeps covering the line of the block's header. */
static void mark_multi(struct fmt *s)
{
    size_t open[LIMIT_NESTING + 1], depth = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct fmt_elem *e = s->e[i];
        if (e->kind != FMT_TOKEN) {
            if (depth)
                s->multi[open[depth - 1]] = true;
        } else if (is_opener(e->tok) && depth <= LIMIT_NESTING) {
            open[depth++] = i;
        } else if (is_closer(e->tok) && depth) {
            depth--;
            if (i + 1 < s->n && s->e[i + 1]->kind == FMT_COMMENT && !s->multi[open[depth]])
                s->keep[open[depth]] = true;
            if (depth && s->multi[open[depth]])
                s->multi[open[depth - 1]] = true;
        }
    }
}

static bool at_item_level(const struct fmt *s)
{
    return s->depth == 0 || s->stack[s->depth - 1].tok == LBRACE;
}

/* The indentation of a line starting with element i (a token, or a
 * comment): one level in from the line that opened the innermost open
 * block or bracket, one more for the continuation of an item; a line
 * that starts with closers goes back to the line that opened them. */
static size_t indent_for(const struct fmt *s, size_t i)
{
    struct fmt_line *const *lines = (struct fmt_line *const *)s->lines.items;
    size_t k = s->depth;
    bool closer = false;
    /* a block's '}' (or a multi-line map's) stands alone on its line */
    for (size_t j = i; k > 0 && j < s->n && s->e[j]->kind == FMT_TOKEN && is_closer(s->e[j]->tok); j++) {
        if (closer && s->stack[k - 1].multi)
            break;
        k--;
        closer = true;
        if (s->stack[k].multi)
            break;
    }
    if (closer)
        return lines[s->stack[k].line]->indent;
    size_t levels = k > 0 ? lines[s->stack[k - 1].line]->indent + 1 : 0;
    if (!s->item_start && s->item_depth == k && s->lines.len > 0)
        levels++;
    return levels;
}

static void new_line(struct fmt *s, size_t indent, bool blank)
{
    struct fmt_line *l = arena_alloc(s->a, sizeof *l);
    l->indent = indent;
    l->op_at = -1;
    l->blank_before = blank && s->lines.len > 0;
    vec_push(s->a, &s->lines, l);
    s->cur = l;
    s->last_tok = 0;
}

static bool space_between(int prev, int tok)
{
    if (prev == 0)
        return false;
    if (tok == COMMA || tok == SEP || tok == RPAREN || tok == RBRACK || tok == DOT || tok == COLON)
        return false;
    if (prev == LPAREN || prev == LBRACK || prev == DOT)
        return false;
    if (tok == LPAREN && prev == IDENT)
        return false; /* a call: tag("k") */
    return true;
}

/* Whether a blank line goes before the top-level item or comment group at element i. */
static bool top_blank(struct fmt *s, size_t i)
{
    if (s->depth != 0 || !s->item_start || !s->top_any || s->top_group)
        return false;
    if (s->top_block)
        return true;
    size_t j = i, breaks = 0;
    for (; j < s->n && s->e[j]->kind != FMT_TOKEN; j++) {
        if (s->e[j]->kind == FMT_COMMENT)
            breaks = 0;
        else if (++breaks >= 2)
            return false; /* the comments stand apart from the item */
    }
    return j < s->n && block_item(s, j);
}

static void place_comment(struct fmt *s, size_t i)
{
    const struct fmt_elem *e = s->e[i];
    if (s->cur && s->cur->text.len > 0 && s->pending == 0 && !s->cur->comment) {
        s->cur->comment = e->text;
        s->cur->comment_len = e->len;
    } else {
        bool blank = top_blank(s, i) || (s->pending >= 2 && !s->after_open);
        if (s->depth == 0 && s->item_start && s->top_any)
            s->top_group = true;
        new_line(s, indent_for(s, i), blank);
        s->cur->comment = e->text;
        s->cur->comment_len = e->len;
    }
    if (s->depth)
        s->stack[s->depth - 1].empty = false;
    s->after_open = false;
    s->pending = 0;
    s->force = true;
}

static void place_token(struct fmt *s, size_t i)
{
    const struct fmt_elem *e = s->e[i];
    int tok = e->tok;
    struct fmt_open *top = s->depth ? &s->stack[s->depth - 1] : NULL;
    bool brk = s->cur == NULL || s->pending > 0 || s->force;
    bool blank = s->pending >= 2 && !s->after_open;
    bool glue = false; /* '}' right after its '{': "{}" */
    if (is_closer(tok) && top) {
        if (top->empty && (top->multi || !brk)) {
            brk = false;
            glue = true;
        } else if (top->multi) {
            brk = true;
        }
        blank = false;
    }
    bool starts_item = s->item_start && !is_closer(tok);
    if (starts_item && s->depth == 0) {
        bool before = top_blank(s, i);
        blank = blank || before;
    }
    if (brk) {
        new_line(s, indent_for(s, i), blank);
    } else if (!glue && space_between(s->last_tok, tok)) {
        sb_putn(s->a, &s->cur->text, " ", 1);
    }
    if (top)
        top->empty = false;
    size_t line = s->lines.len - 1;
    if (starts_item) {
        s->item_start = false;
        s->item_header = tok == IDENT || tok == STRING;
        s->item_leads = brk;
        s->item_line = line;
        s->item_depth = s->depth;
        if (s->depth == 0) {
            s->top_block = block_item(s, i);
            s->top_any = true;
            s->top_group = false;
        }
    } else if (s->item_header && s->depth == s->item_depth) {
        if (tok == ASSIGN || tok == PLUSEQ || tok == MINUSEQ) {
            if (line == s->item_line && s->item_leads && s->cur->op_at < 0)
                s->cur->op_at = (long)s->cur->text.len;
            s->item_header = false;
        } else if (tok != IDENT && tok != LBRACE) {
            s->item_header = false;
        }
    }
    sb_putn(s->a, &s->cur->text, e->text, e->len);
    s->last_tok = tok;
    s->pending = 0;
    s->force = false;
    s->after_open = false;
    if (is_opener(tok) && s->depth <= LIMIT_NESTING) {
        bool block = tok == LBRACE && s->item_header && s->depth == s->item_depth && at_item_level(s);
        struct fmt_open *o = &s->stack[s->depth++];
        o->tok = tok;
        o->block = block;
        o->multi = (block && !s->keep[i]) || (tok == LBRACE && s->multi[i]);
        o->empty = true;
        o->line = line;
        o->item_header = false; /* past the '{' or '[': the item's words are over */
        o->item_leads = s->item_leads;
        o->item_line = s->item_line;
        o->item_depth = s->item_depth;
        s->item_header = false;
        if (tok == LBRACE) {
            s->item_start = true;
            s->force = o->multi;
            s->after_open = o->multi;
        }
    } else if (is_closer(tok) && s->depth > 0) {
        const struct fmt_open *o = &s->stack[--s->depth];
        s->item_start = false;
        s->item_header = o->item_header;
        s->item_leads = o->item_leads;
        s->item_line = o->item_line;
        s->item_depth = o->item_depth;
        if (o->multi)
            s->force = true;
    }
}

/* ';': a line break between items, except inside a map written on one line. */
static void place_semicolon(struct fmt *s, size_t i)
{
    const struct fmt_open *top = s->depth ? &s->stack[s->depth - 1] : NULL;
    if (top && top->tok == LBRACE && !top->multi && s->cur) {
        sb_putn(s->a, &s->cur->text, s->e[i]->text, s->e[i]->len);
        s->last_tok = SEP;
    } else if (s->cur) {
        s->force = true;
    }
    s->item_start = true;
}

static void align_ops(struct fmt *s)
{
    struct fmt_line **l = (struct fmt_line **)s->lines.items;
    size_t n = s->lines.len;
    for (size_t i = 0; i < n;) {
        if (l[i]->op_at < 0) {
            i++;
            continue;
        }
        size_t j = i + 1, width = (size_t)l[i]->op_at;
        while (j < n && l[j]->op_at >= 0 && !l[j]->blank_before && l[j]->indent == l[i]->indent) {
            if ((size_t)l[j]->op_at > width)
                width = (size_t)l[j]->op_at;
            j++;
        }
        for (size_t k = i; k < j; k++)
            l[k]->pad = width - (size_t)l[k]->op_at;
        i = j;
    }
}

static size_t line_width(const struct fmt_line *l)
{
    return l->indent * 4 + l->text.len + l->pad;
}

static void put_spaces(struct arena *a, struct strbuf *out, size_t n)
{
    static const char blanks[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof blanks - 1 ? n : sizeof blanks - 1;
        sb_putn(a, out, blanks, k);
        n -= k;
    }
}

static void render(struct fmt *s, struct strbuf *out)
{
    struct fmt_line **l = (struct fmt_line **)s->lines.items;
    size_t n = s->lines.len;
    size_t run_end = 0, column = 0; /* the comments ending lines run_start..run_end align at column */
    for (size_t i = 0; i < n; i++) {
        if (l[i]->blank_before)
            sb_putn(s->a, out, "\n", 1);
        put_spaces(s->a, out, l[i]->indent * 4);
        if (l[i]->op_at >= 0) {
            sb_putn(s->a, out, l[i]->text.s, (size_t)l[i]->op_at);
            put_spaces(s->a, out, l[i]->pad);
            sb_putn(s->a, out, l[i]->text.s + l[i]->op_at, l[i]->text.len - (size_t)l[i]->op_at);
        } else if (l[i]->text.len) {
            sb_putn(s->a, out, l[i]->text.s, l[i]->text.len);
        }
        if (l[i]->comment && l[i]->text.len) {
            if (i >= run_end) {
                column = 0;
                size_t j = i;
                while (j < n && l[j]->comment && l[j]->text.len && (j == i || !l[j]->blank_before)) {
                    if (line_width(l[j]) > column)
                        column = line_width(l[j]);
                    j++;
                }
                run_end = j;
                column += 2;
            }
            put_spaces(s->a, out, column - line_width(l[i]));
        }
        if (l[i]->comment)
            sb_putn(s->a, out, l[i]->comment, l[i]->comment_len);
        sb_putn(s->a, out, "\n", 1);
    }
}

bool fmt_source(struct obc *cc, struct src_file *f, struct strbuf *out)
{
    *out = (struct strbuf){0};
    struct vec items = f->items;
    struct diag_engine saved = cc->diag;
    f->items = (struct vec){0};
    bool ok = parse_file(cc, f);
    f->items = items;
    if (!ok)
        return false;
    cc->diag = saved; /* warnings are check's business */

    struct vec elems = {0};
    fmt_scan(cc, f, &elems);
    struct fmt s = {0};
    s.cc = cc;
    s.a = &cc->arena;
    s.e = (struct fmt_elem **)elems.items;
    s.n = elems.len;
    s.multi = arena_alloc(s.a, (s.n ? s.n : 1) * sizeof *s.multi);
    s.keep = arena_alloc(s.a, (s.n ? s.n : 1) * sizeof *s.keep);
    s.item_start = true;
    mark_multi(&s);
    for (size_t i = 0; i < s.n; i++) {
        const struct fmt_elem *e = s.e[i];
        if (e->kind == FMT_NEWLINE) {
            s.pending++;
            if (e->sep)
                s.item_start = true;
        } else if (e->kind == FMT_COMMENT) {
            place_comment(&s, i);
        } else if (e->tok == SEP) {
            place_semicolon(&s, i);
        } else {
            place_token(&s, i);
        }
    }
    align_ops(&s);
    render(&s, out);
    if (!out->s) /* an empty file: "" */
        out->s = arena_strdup(s.a, "");
    return true;
}
