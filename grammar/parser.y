/*
 * parser.y - the .ob grammar (pure, LAC, custom error messages).
 *
 * Owns: the shape of the language. A file is a list of items; an item is
 *   words OP value         (attributes; account x = "..."; permissions p = [...];
 *                           OP is =, or += / -= for inheritance operators:
 *                           regions += [eu-west-1]; sema decides where they fit)
 *   words { items }        (blocks: vault x {...}, rule y {...}, copy to z {...})
 *   words "string"         (import "std/aws")
 * Which words make sense where is decided by sema (schema.c), so that a
 * misplaced or misspelt block gets a precise message instead of a bare
 * syntax error, and no word is reserved except the operators
 * and, or, not, in, like.
 *
 * Values: literals, names, [lists], { "tag" = "maps" }, calls (tag("k"),
 * cron("...")), phrases (a name followed by words: daily at 05:50,
 * role "arn:..."), and match expressions with == != in like not and or.
 *
 * Error recovery happens at item boundaries only: a bad item becomes an
 * ITEM_ERROR and parsing resumes at the next separator, so one run
 * reports every syntax error without cascades.
 *
 * Conventions: terminals are CAPITALS with their spelling as alias;
 * %expect 0 (use precedence or restructure, never raise it).
 */
%require "3.8"
%define api.pure full
%define api.prefix {obc_yy}
%define api.location.type {struct loc}
%define parse.error custom
%define parse.lac full
%locations
%param {void *scanner}
%parse-param {struct parse_ctx *p}
%expect 0

%code requires {
#include "front.h"
}

%code provides {
int obc_yylex(OBC_YYSTYPE *yylval, OBC_YYLTYPE *yylloc, void *scanner);
}

%code {
#include <string.h>

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
        if (N) {                                                      \
            (Cur).file = YYRHSLOC(Rhs, 1).file;                       \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                     \
            (Cur).end = YYRHSLOC(Rhs, N).end;                         \
        } else { /* empty rule: a zero-width range where it stands */ \
            (Cur).file = YYRHSLOC(Rhs, 0).file;                       \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;           \
        }                                                             \
    } while (0)

#define A (&p->cc->arena)

static void obc_yyerror(struct loc *loc, void *scanner, struct parse_ctx *p, const char *msg);
static struct vec *new_vec(struct parse_ctx *p) { return arena_alloc(A, sizeof(struct vec)); }
static struct ast_value *node(struct parse_ctx *p, enum ast_kind k, struct loc loc,
                              struct ast_value *lhs, struct ast_value *rhs);
static struct ast_value *cmp(struct parse_ctx *p, struct loc loc, struct ast_value *lhs,
                             enum cmp_op op, struct ast_value *rhs);
static struct ast_value *with_items(struct parse_ctx *p, enum ast_kind k, struct loc loc,
                                    struct ast_value *head, struct vec *items);
static struct ast_item *item(struct parse_ctx *p, enum item_form f, struct loc loc, struct vec *words);

#define CHECK(v) do { if (!parse_check_depth(p, (v))) YYABORT; } while (0)
}

%union {
    struct ast_value *val;
    struct ast_item *item;
    struct vec *vec;
    struct { enum item_op op; struct loc loc; } op;
}

%token <val> IDENT "identifier"
%token <val> STRING "string"
%token <val> INT "number"
%token <val> DURATION "duration"
%token <val> TIME "time of day"
%token SEP "end of line"
%token LBRACE "'{'" RBRACE "'}'" LBRACK "'['" RBRACK "']'" LPAREN "'('" RPAREN "')'"
%token ASSIGN "'='" PLUSEQ "'+='" MINUSEQ "'-='" COMMA "','" DOT "'.'" COLON "':'"
%token EQEQ "'=='" NE "'!='"
%token AND "'and'" OR "'or'" NOT "'not'" IN "'in'" LIKE "'like'"

%type <vec> body items words list_opt list_items ptoks map_body map_items
%type <item> item
%type <op> assign_op
%type <val> value or_expr and_expr not_expr cmp_expr term atom phrase ptok map_entry

%%

file:
    body                        { p->items = $1; }
    ;

/* Items separated by one or more SEP, with SEPs allowed at both ends.
 * No empty rule comes before an item, so `error` can be shifted in every
 * state that starts an item (bison does not reduce before recovering). */
body:
    %empty                      { $$ = new_vec(p); }
  | seps                        { $$ = new_vec(p); }
  | items
  | items seps                  { $$ = $1; }
  | seps items                  { $$ = $2; }
  | seps items seps             { $$ = $2; }
    ;
items:
    item                        { $$ = new_vec(p); vec_push(A, $$, $1); }
  | items seps item             { vec_push(A, $1, $3); $$ = $1; }
    ;
seps:
    SEP
  | seps SEP
    ;

item:
    words assign_op value       { $$ = item(p, ITEM_ASSIGN, @$, $1); $$->value = $3;
                                  $$->op = $2.op; $$->op_loc = @2; }
  | words LBRACE body RBRACE    { $$ = item(p, ITEM_BLOCK, @$, $1); $$->body = *$3; $$->open_loc = @2; }
  | words STRING                { $$ = item(p, ITEM_STRING, @$, $1); $$->value = $2; }
  | error                       { $$ = item(p, ITEM_ERROR, @$, NULL); }
    ;

assign_op:
    ASSIGN                      { $$.op = ITEM_OP_ASSIGN; $$.loc = @1; }
  | PLUSEQ                      { $$.op = ITEM_OP_APPEND; $$.loc = @1; }
  | MINUSEQ                     { $$.op = ITEM_OP_REMOVE; $$.loc = @1; }
    ;

words:
    IDENT                       { $$ = new_vec(p); struct ast_word *w = arena_alloc(A, sizeof *w);
                                  w->text = $1->text; w->loc = @1; vec_push(A, $$, w); }
  | words IDENT                 { struct ast_word *w = arena_alloc(A, sizeof *w);
                                  w->text = $2->text; w->loc = @2; vec_push(A, $1, w); $$ = $1; }
    ;

value:
    or_expr
    ;
or_expr:
    and_expr
  | or_expr OR and_expr         { $$ = node(p, AST_OR, @$, $1, $3); CHECK($$); }
    ;
and_expr:
    not_expr
  | and_expr AND not_expr       { $$ = node(p, AST_AND, @$, $1, $3); CHECK($$); }
    ;
not_expr:
    cmp_expr
  | NOT not_expr                { $$ = node(p, AST_NOT, @$, $2, NULL); CHECK($$); }
    ;
cmp_expr:
    term
  | term EQEQ term              { $$ = cmp(p, @$, $1, CMP_EQ, $3); }
  | term NE term                { $$ = cmp(p, @$, $1, CMP_NE, $3); }
  | term IN term                { $$ = cmp(p, @$, $1, CMP_IN, $3); }
  | term NOT IN term            { $$ = cmp(p, @$, $1, CMP_NOT_IN, $4); }
  | term LIKE term              { $$ = cmp(p, @$, $1, CMP_LIKE, $3); }
  | term NOT LIKE term          { $$ = cmp(p, @$, $1, CMP_NOT_LIKE, $4); }
    ;
term:
    atom
  | phrase
    ;
atom:
    STRING
  | INT
  | DURATION
  | TIME
  | IDENT
  | LBRACK list_opt RBRACK      { $$ = with_items(p, AST_LIST, @$, NULL, $2); CHECK($$); }
  | LBRACE map_body RBRACE      { $$ = with_items(p, AST_MAP, @$, NULL, $2); CHECK($$); }
  | IDENT LPAREN list_opt RPAREN { $$ = with_items(p, AST_CALL, @$, $1, $3); CHECK($$); }
  | LPAREN value RPAREN         { $$ = $2; }
    ;
list_opt:
    %empty                      { $$ = new_vec(p); }
  | list_items
  | list_items COMMA            { $$ = $1; }
    ;
list_items:
    atom                        { $$ = new_vec(p); vec_push(A, $$, $1); }
  | list_items COMMA atom       { vec_push(A, $1, $3); $$ = $1; }
    ;

/* A name followed by plain words: daily at 05:50, every 4h,
 * weekly on mon, thu at 05:50, role "arn:...". */
phrase:
    IDENT ptoks                 { $$ = with_items(p, AST_PHRASE, @$, $1, $2); }
    ;
ptoks:
    ptok                        { $$ = new_vec(p); vec_push(A, $$, $1); }
  | ptoks ptok                  { vec_push(A, $1, $2); $$ = $1; }
  | ptoks COMMA ptok            { vec_push(A, $1, $3); $$ = $1; }
    ;
ptok:
    IDENT | INT | DURATION | TIME | STRING
    ;

/* Tag maps: entries separated like items. */
map_body:
    %empty                      { $$ = new_vec(p); }
  | seps                        { $$ = new_vec(p); }
  | map_items
  | map_items seps              { $$ = $1; }
  | seps map_items              { $$ = $2; }
  | seps map_items seps         { $$ = $2; }
    ;
map_items:
    map_entry                   { $$ = new_vec(p); if ($1) vec_push(A, $$, $1); }
  | map_items seps map_entry    { if ($3) vec_push(A, $1, $3); $$ = $1; }
    ;
map_entry:
    STRING ASSIGN value         { $$ = node(p, AST_PAIR, @$, $1, $3); CHECK($$); }
  | IDENT ASSIGN value          { $$ = node(p, AST_PAIR, @$, $1, $3); CHECK($$); }
  | error                       { $$ = NULL; } /* recover inside the map, not its block */
    ;

%%

static struct ast_value *node(struct parse_ctx *p, enum ast_kind k, struct loc loc,
                              struct ast_value *lhs, struct ast_value *rhs)
{
    struct ast_value *v = ast_value_new(A, k, loc);
    v->lhs = lhs;
    v->rhs = rhs;
    int d = lhs ? lhs->depth : 0;
    if (rhs && rhs->depth > d)
        d = rhs->depth;
    v->depth = d + 1;
    return v;
}

static struct ast_value *cmp(struct parse_ctx *p, struct loc loc, struct ast_value *lhs,
                             enum cmp_op op, struct ast_value *rhs)
{
    struct ast_value *v = node(p, AST_CMP, loc, lhs, rhs);
    v->op = op;
    return v;
}

static struct ast_value *with_items(struct parse_ctx *p, enum ast_kind k, struct loc loc,
                                    struct ast_value *head, struct vec *items)
{
    struct ast_value *v = ast_value_new(A, k, loc);
    if (head) {
        v->text = head->text;
        v->text_len = head->text_len;
        v->head_loc = head->loc;
    }
    v->items = *items;
    int d = 0;
    for (size_t i = 0; i < items->len; i++) {
        struct ast_value *c = items->items[i];
        if (c->depth > d)
            d = c->depth;
    }
    v->depth = d + 1;
    return v;
}

static struct ast_item *item(struct parse_ctx *p, enum item_form f, struct loc loc, struct vec *words)
{
    struct ast_item *it = ast_item_new(A, f, loc);
    if (words)
        it->words = *words;
    return it;
}

static void obc_yyerror(struct loc *loc, void *scanner, struct parse_ctx *p, const char *msg)
{
    (void)scanner;
    /* Only reached for parser stack exhaustion ("memory exhausted"). */
    p->failed = true;
    struct diag *d = diag_emit(p->cc, OB1030, *loc, "input nested too deeply (%s)", msg);
    diag_help(p->cc, d, "simplify the expression; long chains of 'not' or parentheses cannot be parsed");
}

static const char *token_spelling(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_YYEOF: return "end of file";
    case YYSYMBOL_IDENT: return "identifier";
    case YYSYMBOL_STRING: return "string";
    case YYSYMBOL_INT: return "number";
    case YYSYMBOL_DURATION: return "duration";
    case YYSYMBOL_TIME: return "time of day";
    case YYSYMBOL_SEP: return "end of line";
    case YYSYMBOL_LBRACE: return "'{'";
    case YYSYMBOL_RBRACE: return "'}'";
    case YYSYMBOL_LBRACK: return "'['";
    case YYSYMBOL_RBRACK: return "']'";
    case YYSYMBOL_LPAREN: return "'('";
    case YYSYMBOL_RPAREN: return "')'";
    case YYSYMBOL_ASSIGN: return "'='";
    case YYSYMBOL_PLUSEQ: return "'+='";
    case YYSYMBOL_MINUSEQ: return "'-='";
    case YYSYMBOL_COMMA: return "','";
    case YYSYMBOL_DOT: return "'.'";
    case YYSYMBOL_COLON: return "':'";
    case YYSYMBOL_EQEQ: return "'=='";
    case YYSYMBOL_NE: return "'!='";
    case YYSYMBOL_AND: return "'and'";
    case YYSYMBOL_OR: return "'or'";
    case YYSYMBOL_NOT: return "'not'";
    case YYSYMBOL_IN: return "'in'";
    case YYSYMBOL_LIKE: return "'like'";
    default: return "token";
    }
}

static bool starts_value(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_IDENT: case YYSYMBOL_STRING: case YYSYMBOL_INT: case YYSYMBOL_DURATION:
    case YYSYMBOL_TIME: case YYSYMBOL_LBRACK: case YYSYMBOL_LBRACE: case YYSYMBOL_LPAREN:
    case YYSYMBOL_NOT:
        return true;
    default:
        return false;
    }
}

/* Tokens that could only extend a complete value: not worth listing when
 * the item could also end here. */
static bool extends_value(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_AND: case YYSYMBOL_OR: case YYSYMBOL_NOT: case YYSYMBOL_IN: case YYSYMBOL_LIKE:
    case YYSYMBOL_EQEQ: case YYSYMBOL_NE: case YYSYMBOL_LPAREN: case YYSYMBOL_IDENT:
    case YYSYMBOL_STRING: case YYSYMBOL_INT: case YYSYMBOL_DURATION: case YYSYMBOL_TIME:
    case YYSYMBOL_COMMA:
        return true;
    default:
        return false;
    }
}

static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, struct parse_ctx *p)
{
    (void)scanner;
    yysymbol_kind_t expected[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
    if (n < 0)
        return n;
    bool can_end = false;
    int value_starts = 0;
    for (int i = 0; i < n; i++) {
        can_end |= expected[i] == YYSYMBOL_SEP;
        value_starts += starts_value(expected[i]);
    }
    const char *names[YYNTOKENS];
    int k = 0;
    bool said_value = false;
    bool can_assign = false;
    for (int i = 0; i < n; i++)
        can_assign |= expected[i] == YYSYMBOL_ASSIGN;
    for (int i = 0; i < n; i++) {
        if (can_end && extends_value(expected[i]))
            continue;
        /* where '=' fits, so do += and -=: naming them adds nothing */
        if (can_assign && (expected[i] == YYSYMBOL_PLUSEQ || expected[i] == YYSYMBOL_MINUSEQ))
            continue;
        if (value_starts >= 4 && starts_value(expected[i])) {
            if (!said_value)
                names[k++] = "a value";
            said_value = true;
            continue;
        }
        names[k++] = token_spelling(expected[i]);
    }
    yysymbol_kind_t t = yypcontext_token(ctx);
    const struct loc *loc = yypcontext_location(ctx);
    const char *what = t == YYSYMBOL_YYEMPTY ? "end of file" : token_spelling(t);
    parse_syntax_error(p, *loc, what, names, k);
    return 0;
}
