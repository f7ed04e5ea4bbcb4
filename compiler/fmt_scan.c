/*
 * fmt_scan.c - the formatter's view of a source file: its tokens, read
 * with the scanner of grammar/lexer.l, and between them the comments and
 * line breaks the scanner skips (the text between two tokens holds
 * nothing else).
 *
 * Owns: fmt_scan. Does not decide any layout (fmt.c does).
 */
#include "fmt.h"
#include "front.h"
#include "parser.h"
#define YYSTYPE OBC_YYSTYPE
#define YYLTYPE OBC_YYLTYPE
#include "lexer.h"

static void push(struct obc *cc, struct vec *out, enum fmt_elem_kind kind, int tok, bool sep, const char *text,
                 size_t len)
{
    struct fmt_elem *e = arena_alloc(&cc->arena, sizeof *e);
    e->kind = kind;
    e->tok = tok;
    e->sep = sep;
    e->text = text;
    e->len = len;
    vec_push(&cc->arena, out, e);
}

/* The comments and line breaks of t[from..to), which holds no token. */
static void scan_gap(struct obc *cc, const char *t, size_t from, size_t to, struct vec *out)
{
    size_t i = from;
    if (i == 0 && to >= 3 && (unsigned char)t[0] == 0xEF && (unsigned char)t[1] == 0xBB &&
        (unsigned char)t[2] == 0xBF)
        i = 3;
    while (i < to) {
        if (t[i] == '\n' || t[i] == '\r') {
            size_t n = t[i] == '\r' && i + 1 < to && t[i + 1] == '\n' ? 2 : 1;
            push(cc, out, FMT_NEWLINE, 0, false, t + i, n);
            i += n;
        } else if (t[i] == '#') {
            size_t end = i;
            while (end < to && t[end] != '\n' && t[end] != '\r')
                end++;
            size_t len = end - i;
            while (len > 1 && (t[i + len - 1] == ' ' || t[i + len - 1] == '\t'))
                len--;
            push(cc, out, FMT_COMMENT, 0, false, t + i, len);
            i = end;
        } else {
            i++; /* a blank */
        }
    }
}

void fmt_scan(struct obc *cc, struct src_file *f, struct vec *out)
{
    struct diag_engine saved = cc->diag;
    struct lex_state ls = {0};
    ls.cc = cc;
    ls.file = f;
    ls.last_token = SEP;
    yyscan_t scanner;
    obc_yylex_init_extra(&ls, &scanner);
    obc_yy_scan_bytes(f->text, (int)f->len, scanner);
    size_t done = 0; /* end of the last token */
    for (;;) {
        YYSTYPE val;
        YYLTYPE loc = {0};
        int tok = obc_yylex(&val, &loc, scanner);
        if (tok <= 0)
            break;
        scan_gap(cc, f->text, done, loc.start, out);
        const char *text = f->text + loc.start;
        size_t len = loc.end - loc.start;
        if (tok == SEP && text[0] != ';')
            push(cc, out, FMT_NEWLINE, 0, true, text, len);
        else
            push(cc, out, FMT_TOKEN, tok, false, text, len);
        done = loc.end;
    }
    obc_yylex_destroy(scanner);
    scan_gap(cc, f->text, done, f->len, out);
    cc->diag = saved; /* the parse reported them, or they are check's business */
}
