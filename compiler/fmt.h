/*
 * fmt.h - the canonical layout of .ob source (docs/fmt.md): fmt.c lays
 * out the tokens, fmt_scan.c reads them with their comments and line
 * breaks, fmt_cli.c is the `obc fmt` command.
 */
#ifndef OBC_FMT_H
#define OBC_FMT_H

#include "base.h"

/* The canonical text of f (which need not have been parsed) in *out
 * (cc->arena; out->s NUL-terminated). Returns false, with nothing in
 * out, when f has a lexical or syntax error: those are reported through
 * the diagnostics funnel. Diagnostics that do not stop formatting (the
 * warnings `obc check` reports) are not reported here, and f->items is
 * left as it was. Linear in f->len. */
bool fmt_source(struct obc *cc, struct src_file *f, struct strbuf *out);

/* ------------------------------------------------------------------ */
/* fmt_scan.c: what the formatter reads                                 */

enum fmt_elem_kind {
    FMT_TOKEN,   /* a token of the language (its parser.h number in tok) */
    FMT_NEWLINE, /* a line break; sep: the scanner made it an item separator */
    FMT_COMMENT, /* '#' to the end of its line, trailing blanks removed */
};

struct fmt_elem {
    enum fmt_elem_kind kind;
    int tok;          /* FMT_TOKEN: IDENT, STRING, SEP (a ';'), LBRACE... */
    bool sep;         /* FMT_NEWLINE */
    const char *text; /* into the source text */
    size_t len;
};

/* Every token, comment and line break of f in source order (struct
 * fmt_elem* into *out), using the scanner of grammar/lexer.l. Blanks,
 * and a byte-order mark at the start, are dropped. Diagnostics of the
 * scan are discarded: run it on text that lexes cleanly (fmt_source
 * parses first). */
void fmt_scan(struct obc *cc, struct src_file *f, struct vec *out);

/* ------------------------------------------------------------------ */
/* fmt_cli.c: `obc fmt [--check] [--diff] [FILE|-]...`                  */

enum fmt_mode {
    FMT_WRITE, /* rewrite each file that changes, in one step */
    FMT_CHECK, /* list the files that would change */
    FMT_DIFF,  /* print a unified diff of each file that would change */
};

/* Formats each path ("-": standard input to standard output). Returns
 * the exit status: 0 nothing to report (--check/--diff: nothing would
 * change), 1 a syntax error or (--check/--diff) a file would change,
 * 2 an I/O error. Diagnostics go to `err` as text (colour when asked). */
int fmt_run(const char *const *paths, size_t n, enum fmt_mode mode, bool color, FILE *err);

/* A unified diff of a (named a_name) and b (named b_name) with three
 * lines of context into *out; nothing when they are equal. */
void fmt_unified_diff(struct arena *ar, const char *a, size_t alen, const char *b, size_t blen,
                      const char *a_name, const char *b_name, struct strbuf *out);

#endif /* OBC_FMT_H */
