/*
 * parse.c - runs the reentrant scanner (grammar/lexer.l) and the pure
 * parser (grammar/parser.y) over one source file, and words their syntax
 * errors: "unexpected X, expected Y or Z" with the real token spellings,
 * plus help for the common slips.
 *
 * Owns: the scanner's lifetime and the lexer state. Does not interpret
 * the tree (sema does).
 */
#include "front.h"
#include "parser.h"
#define YYSTYPE OBC_YYSTYPE
#define YYLTYPE OBC_YYLTYPE
#include "lexer.h"

#include <string.h>

/* The unexpected token as the user wrote it: "identifier 'foo'". */
static const char *describe_token(struct parse_ctx *p, struct loc loc, const char *kind)
{
    const char *text = p->file->text + loc.start;
    size_t len = loc.end - loc.start;
    if (strcmp(kind, "end of line") == 0)
        return len && text[0] == ';' ? "';'" : "end of line";
    if (strcmp(kind, "identifier") == 0 || strcmp(kind, "number") == 0 ||
        strcmp(kind, "duration") == 0 || strcmp(kind, "time of day") == 0) {
        if (len > 40)
            return arena_printf(&p->cc->arena, "%s '%.37s...'", kind, text);
        return arena_printf(&p->cc->arena, "%s '%.*s'", kind, (int)len, text);
    }
    if (strcmp(kind, "string") == 0 && len <= 42)
        return arena_printf(&p->cc->arena, "string %.*s", (int)len, text);
    return kind;
}

static bool has(const char **list, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/* The unit a spelt-out word means after a number ("7 days"), or NULL:
 * the word at loc in the file's text. */
static const char *unit_word(const struct src_file *f, struct loc loc)
{
    static const struct { const char *word, *unit; } words[] = {
        {"min", "min"}, {"mins", "min"}, {"minute", "min"}, {"minutes", "min"}, {"h", "h"}, {"hour", "h"},
        {"hours", "h"}, {"d", "d"}, {"day", "d"}, {"days", "d"}, {"w", "w"}, {"week", "w"}, {"weeks", "w"},
        {"y", "y"}, {"year", "y"}, {"years", "y"},
    };
    size_t len = loc.end > loc.start ? loc.end - loc.start : 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i].word) == len && memcmp(f->text + loc.start, words[i].word, len) == 0)
            return words[i].unit;
    return NULL;
}

/* The digits right before loc (blanks between them skipped): their
 * length, 0 when the word does not follow a number. *start: the first. */
static size_t number_before(const struct src_file *f, struct loc loc, size_t *start)
{
    size_t i = loc.start;
    while (i > 0 && (f->text[i - 1] == ' ' || f->text[i - 1] == '\t'))
        i--;
    size_t end = i;
    while (i > 0 && f->text[i - 1] >= '0' && f->text[i - 1] <= '9')
        i--;
    *start = i;
    return end - i;
}

/* For a ',' at loc on a line "NAME = a, b" (no '{', '[', '(' or '"'
 * before it on the line, an item after it): the line written as a list,
 * "NAME = [a, b]"; else NULL. */
static const char *bracketed_line(struct parse_ctx *p, struct loc loc)
{
    const char *t = p->file->text;
    size_t ls = loc.start, le = loc.start;
    while (ls > 0 && t[ls - 1] != '\n')
        ls--;
    while (le < p->file->len && t[le] != '\n' && t[le] != '#' && t[le] != ';' && t[le] != '}')
        le++;
    bool more = false; /* an item after the comma */
    for (size_t i = loc.start + 1; i < le && !more; i++)
        more = t[i] != ' ' && t[i] != '\t' && t[i] != '\r' && t[i] != ',';
    if (!more)
        return NULL;
    const char *eq = NULL;
    for (size_t i = ls; i < loc.start; i++) {
        if (t[i] == '{' || t[i] == '[' || t[i] == '(' || t[i] == '"')
            return NULL;
        if (t[i] == '=' && !eq)
            eq = t + i;
    }
    if (!eq)
        return NULL;
    const char *name = t + ls, *v = eq + 1;
    while (*name == ' ' || *name == '\t')
        name++;
    size_t nlen = (size_t)(eq - name);
    while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
        nlen--;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t vlen = (size_t)(t + le - v);
    while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t' || v[vlen - 1] == '\r'))
        vlen--;
    if (nlen == 0 || nlen > 40 || vlen == 0 || vlen > 200)
        return NULL;
    return arena_printf(&p->cc->arena, "%.*s = [%.*s]", (int)nlen, name, (int)vlen, v);
}

/* How far back the start of a line is looked for: an indentation is
 * only compared on lines whose '{' or '}' lies this close to their
 * start, so each '}' costs a bounded scan, whatever the line lengths. */
enum { INDENT_SCAN_MAX = 256 };

/* The width of the blanks that begin the line holding byte `at`, or -1
 * when the line starts more than INDENT_SCAN_MAX bytes before `at`. */
static int indent_of(const struct src_file *f, uint32_t at)
{
    uint32_t s = at;
    while (s > 0 && f->text[s - 1] != '\n') {
        if (at - s >= INDENT_SCAN_MAX)
            return -1;
        s--;
    }
    uint32_t i = s;
    while (i < at && (f->text[i] == ' ' || f->text[i] == '\t'))
        i++;
    return (int)(i - s);
}

/* Whether only blanks come before byte `at` on its line (a scan of those
 * blanks only). */
static bool first_on_line(const struct src_file *f, uint32_t at)
{
    while (at > 0 && (f->text[at - 1] == ' ' || f->text[at - 1] == '\t'))
        at--;
    return at == 0 || f->text[at - 1] == '\n';
}

void lex_watch_close(struct lex_state *ls, uint32_t close)
{
    const struct src_file *f = ls->file;
    if (ls->misclosed || ls->nest_depth < 2 || !first_on_line(f, close))
        return;
    uint32_t open = ls->open_at[ls->nest_depth - 1], outer = ls->open_at[ls->nest_depth - 2];
    if (f->text[open] != '{' || f->text[outer] != '{')
        return;
    int at = indent_of(f, close), inner_at = indent_of(f, open);
    /* the '}' is indented like the enclosing block's line, not its own */
    if (at >= 0 && inner_at > at && indent_of(f, outer) == at) {
        ls->misclosed = true;
        ls->misclosed_open = open;
        ls->misclosed_close = close;
        ls->misclosed_outer = outer;
    }
}

/* How the block whose '{' is at `open` is headed, for a message: "rule
 * 'r'" for `rule r {`, else the head as written, quoted and escaped. */
static const char *block_head(struct parse_ctx *p, uint32_t open)
{
    struct arena *a = &p->cc->arena;
    const char *text = p->file->text;
    uint32_t s = open;
    while (s > 0 && text[s - 1] != '\n')
        s--;
    while (s < open && (text[s] == ' ' || text[s] == '\t'))
        s++;
    uint32_t e = open;
    while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t'))
        e--;
    const char *head = arena_strndup(a, text + s, e - s);
    const char *blank = strchr(head, ' ');
    if (e == s || e - s > 60)
        return "the block";
    if (blank && !strchr(blank + 1, ' '))
        return arena_printf(a, "%s '%s'", text_safe(a, arena_strndup(a, head, (size_t)(blank - head))),
                            text_safe(a, blank + 1));
    return arena_printf(a, "'%s'", text_safe(a, head));
}

/* The help and note of a file that ends inside a block: when a '}'
 * indented like an enclosing block closed an inner one, the inner one is
 * named as the block that lacks its '}'. */
static void unclosed_block(struct parse_ctx *p, struct lex_state *ls, struct diag *d)
{
    uint32_t open_at = ls->open_at[ls->nest_depth - 1];
    if (ls->misclosed) {
        const char *inner = block_head(p, ls->misclosed_open), *outer = block_head(p, ls->misclosed_outer);
        unsigned close_line = src_pos(p->file, ls->misclosed_close).line;
        struct loc open = {p->file->id, ls->misclosed_open, ls->misclosed_open + 1};
        diag_help(p->cc, d, "add a '}' before line %u to close %s", close_line, inner);
        diag_note(p->cc, d, open, "%s has no '}' of its own: the '}' on line %u, indented as the end of %s, "
                  "closes %s and leaves %s open", inner, close_line, outer, inner, outer);
        return;
    }
    struct loc open = {p->file->id, open_at, open_at + 1};
    diag_help(p->cc, d, "close the block with '}'");
    diag_note(p->cc, d, open, "the block opened here is never closed");
}

void parse_syntax_error(struct parse_ctx *p, struct loc loc, const char *unexpected,
                        const char **expected, int nexpected)
{
    struct lex_state *ls = obc_yyget_extra(p->scanner);
    p->failed = true;
    if (ls->stopped) /* a limit already ended the file; say nothing more */
        return;
    struct arena *a = &p->cc->arena;
    struct strbuf msg = {0};
    sb_printf(a, &msg, "unexpected %s", describe_token(p, loc, unexpected));
    /* every token the parser can expect has its own spelling: no repeats */
    for (int i = 0; i < nexpected; i++)
        sb_printf(a, &msg, "%s%s", i == 0 ? ", expected " : i == nexpected - 1 ? " or " : ", ",
                  expected[i]);
    struct diag *d = diag_emit(p->cc, OB1010, loc, "%s", sb_str(a, &msg));

    if (strcmp(unexpected, "end of file") == 0 && has(expected, nexpected, "'}'") && ls->nest_depth > 0) {
        unclosed_block(p, ls, d);
    } else if (has(expected, nexpected, "']'") && ls->paren_depth > 0 && ls->nest_depth > 0 &&
               src_pos(p->file, loc.start).line != src_pos(p->file, ls->open_at[ls->nest_depth - 1]).line) {
        struct loc open = {p->file->id, ls->open_at[ls->nest_depth - 1], ls->open_at[ls->nest_depth - 1] + 1};
        diag_help(p->cc, d, "close the list with ']'");
        diag_note(p->cc, d, open, "the list opened here is not closed");
    } else if (strcmp(unexpected, "','") == 0 && ls->paren_depth == 0 && bracketed_line(p, loc)) {
        diag_help(p->cc, d, "lists are written in brackets: %s", text_safe(a, bracketed_line(p, loc)));
    } else if (strcmp(unexpected, "','") == 0 && has(expected, nexpected, "'}'")) {
        diag_help(p->cc, d, "separate entries with ';' or a new line: { \"a\" = \"1\"; \"b\" = \"2\" }");
    } else if (strcmp(unexpected, "','") == 0 && ls->paren_depth == 0) {
        diag_help(p->cc, d, "lists are written in brackets: [a, b]");
    } else if (strcmp(unexpected, "','") == 0) {
        diag_help(p->cc, d, "write one item between two commas");
    } else if (strcmp(unexpected, "'}'") == 0 && !has(expected, nexpected, "'}'")) {
        diag_help(p->cc, d, "this '}' closes no block here: remove it, or look for a missing '{' or ']' above");
    } else if (strcmp(unexpected, "'='") == 0 && has(expected, nexpected, "end of line")) {
        diag_help(p->cc, d, "to compare, write '==' (tag(\"k\") == \"v\"); one '=' gives an attribute its value");
    } else if (strcmp(unexpected, "':'") == 0) {
        diag_help(p->cc, d, "attributes are written name = value");
    } else if (strncmp(unexpected, "identifier", 10) == 0 && unit_word(p->file, loc) &&
               number_before(p->file, loc, &(size_t){0}) > 0) {
        size_t at, n = number_before(p->file, loc, &at);
        diag_help(p->cc, d, "write the unit right after the number, as one word: %.*s%s (units: min, h, d, w, y)",
                  (int)(n < 20 ? n : 20), p->file->text + at, unit_word(p->file, loc));
    } else if (has(expected, nexpected, "end of line") && !has(expected, nexpected, "'='")) {
        diag_help(p->cc, d, "put each attribute on its own line, or separate them with ';'");
    } else if (strcmp(unexpected, "end of line") == 0 && nexpected > 0) {
        diag_help(p->cc, d, "the line ends before the item is complete");
    }
}

bool parse_check_depth(struct parse_ctx *p, struct ast_value *v)
{
    if (v->depth <= LIMIT_EXPR_DEPTH)
        return true;
    struct lex_state *ls = obc_yyget_extra(p->scanner);
    struct diag *d = diag_emit(p->cc, OB1030, v->loc, "expression nested more than %d deep", LIMIT_EXPR_DEPTH);
    diag_help(p->cc, d, "split the expression; obc stops reading this file here");
    ls->stopped = true;
    p->failed = true;
    return false;
}

bool parse_file(struct obc *cc, struct src_file *f)
{
    struct lex_state ls = {0};
    ls.cc = cc;
    ls.file = f;
    ls.last_token = SEP;
    struct parse_ctx p = {0};
    p.cc = cc;
    p.file = f;
    size_t errors_before = cc->diag.errors;

    yyscan_t scanner;
    /* cannot fail: yyalloc takes arena memory, which longjmps when it runs out */
    obc_yylex_init_extra(&ls, &scanner);
    p.scanner = scanner;
    obc_yy_scan_bytes(f->text, (int)f->len, scanner);
    int rc = obc_yyparse(scanner, &p);
    obc_yylex_destroy(scanner);

    if (p.items)
        f->items = *p.items;
    return rc == 0 && !p.failed && cc->diag.errors == errors_before;
}
