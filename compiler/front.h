/*
 * front.h - the front end: the syntax tree (ast.c), the reentrant flex
 * scanner and pure bison parser behind parse.c (grammar/), and loading a
 * program's files with their imports (load.c), and the located JSON
 * reader (json_in.c). Knows nothing of the IR.
 */
#ifndef OBC_FRONT_H
#define OBC_FRONT_H

#include "base.h"

/* ------------------------------------------------------------------ */
/* ast.c: the syntax tree built by grammar/parser.y                     */

enum ast_kind {
    AST_STRING,   /* "..." (text decoded) */
    AST_INT,      /* 42 */
    AST_DURATION, /* 90d: num + unit */
    AST_TIME,     /* 05:50: num = minutes after midnight */
    AST_IDENT,    /* name */
    AST_LIST,     /* [a, b]: items */
    AST_MAP,      /* { "k" = "v" }: items are AST_PAIR */
    AST_PAIR,     /* key = value inside a map: lhs, rhs */
    AST_CALL,     /* name(args): text = name, items = args */
    AST_PHRASE,   /* name word...: text = head, items = words */
    AST_AND,      /* lhs and rhs */
    AST_OR,       /* lhs or rhs */
    AST_NOT,      /* not lhs */
    AST_CMP,      /* lhs op rhs */
};

enum cmp_op { CMP_EQ, CMP_NE, CMP_IN, CMP_NOT_IN, CMP_LIKE, CMP_NOT_LIKE };
enum dur_unit { DUR_MIN, DUR_H, DUR_D, DUR_W, DUR_Y };

struct ast_value {
    enum ast_kind kind;
    struct loc loc;            /* the whole value */
    struct loc head_loc;       /* CALL/PHRASE: the leading name */
    const char *text;          /* STRING contents, IDENT/CALL/PHRASE name */
    size_t text_len;
    bool raw;                  /* STRING had no escapes: content byte i is at loc.start+1+i */
    int64_t num;               /* INT, DURATION amount, TIME minutes */
    enum dur_unit unit;        /* DURATION */
    enum cmp_op op;            /* CMP */
    struct ast_value *lhs;     /* AND, OR, CMP, PAIR, NOT */
    struct ast_value *rhs;     /* AND, OR, CMP, PAIR */
    struct vec items;          /* LIST, MAP, CALL, PHRASE */
    int depth;                 /* height of this expression tree */
};

struct ast_word {
    const char *text;
    struct loc loc;
};

enum item_form {
    ITEM_ASSIGN, /* words OP value (OP: =, += or -=, see item_op) */
    ITEM_BLOCK,  /* words { body } */
    ITEM_STRING, /* words "string" (import) */
    ITEM_ERROR,  /* a syntax error was recovered here */
};

/* The operator of an ITEM_ASSIGN: `=` assigns, `+=` appends values to
 * an inherited list, `-=` removes values from it (docs/language.md,
 * "Inheritance"). Which attributes accept += and -= is sema's business. */
enum item_op { ITEM_OP_ASSIGN, ITEM_OP_APPEND, ITEM_OP_REMOVE };

struct ast_item {
    enum item_form form;
    struct loc loc;          /* the whole item */
    enum item_op op;         /* ASSIGN: =, += or -= */
    struct loc op_loc;       /* ASSIGN: the operator */
    struct vec words;        /* struct ast_word*: kind word and labels */
    struct ast_value *value; /* ASSIGN: the value; STRING: the string */
    struct vec body;         /* BLOCK: struct ast_item* */
    struct loc open_loc;     /* BLOCK: the '{' */
};

struct ast_value *ast_value_new(struct arena *a, enum ast_kind kind, struct loc loc);
struct ast_item *ast_item_new(struct arena *a, enum item_form form, struct loc loc);
const char *ast_word_text(const struct ast_item *it, size_t i); /* NULL past the end */
struct loc ast_word_loc(const struct ast_item *it, size_t i); /* i < words.len */
const char *ast_describe(struct arena *a, const struct ast_value *v); /* "string \"x\"" */
const char *cmp_op_text(enum cmp_op op);
const char *item_op_text(enum item_op op); /* "=", "+=", "-=" */
const char *dur_unit_text(enum dur_unit u);

/* ------------------------------------------------------------------ */
/* parse.c: run the reentrant flex scanner and the pure bison parser   */

/* Per-scanner state, reachable from lexer.l as yyextra. */
struct lex_state {
    struct obc *cc;
    struct src_file *file;
    uint32_t offset;     /* byte offset of the next token */
    int paren_depth;     /* open ( and [: newlines inside are not separators */
    int nest_depth;      /* open ( [ {: bounded by LIMIT_NESTING */
    int last_token;      /* decides whether a newline ends an item */
    bool stopped;        /* a limit was hit: return end of input */
    uint32_t open_at[LIMIT_NESTING]; /* offsets of the open brackets */
    int brace_depth;     /* open { */
    int saved_parens[LIMIT_NESTING]; /* paren_depth outside each open { */
    bool misclosed;      /* a '}' first on its line closed a block whose '{' line is
                            indented more: that block likely lacks its own '}' */
    uint32_t misclosed_open, misclosed_close, misclosed_outer; /* its '{', that '}',
                            the '{' of the block the '}' is indented like */
};

/* Called by the lexer for each '}' at byte `close` while nest_depth still
 * counts its block: remembers the first block that a '}' indented like an
 * enclosing block's line closes (parse.c). */
void lex_watch_close(struct lex_state *ls, uint32_t close);

/* Parses one file into f->items. Returns false if it had syntax errors. */
bool parse_file(struct obc *cc, struct src_file *f);

/* ast_snapshot.c: a parsed file's top-level items as bytes (appended to
 * out), and a file's items rebuilt from such bytes, its locations in f. */
void ast_snapshot_write(struct arena *a, const struct vec *items, struct strbuf *out);
void ast_snapshot_read(struct obc *cc, struct src_file *f, const unsigned char *bytes);

/* Used by the grammar actions. */
struct parse_ctx {
    struct obc *cc;
    struct src_file *file;
    void *scanner;       /* yyscan_t */
    struct vec *items;   /* the top level being built */
    bool failed;
};
void parse_syntax_error(struct parse_ctx *p, struct loc loc, const char *unexpected,
                        const char **expected, int nexpected);
bool parse_check_depth(struct parse_ctx *p, struct ast_value *v);


/* ------------------------------------------------------------------ */
/* load.c: read the input files and follow imports                     */

/* Reads and parses the given files (path "-" is standard input) and,
 * transitively, everything they import. Returns false on an I/O error
 * with the input files themselves (already reported on `err`). */
bool load_program(struct obc *cc, const char *const *paths, size_t npaths, FILE *err);
/* Reads one BACKUP_POLICY document (path "-" is standard input) as
 * load_program reads a file, without parsing it, and loads the standard
 * library (std/aws) beside it, and its suppressions from PATH.obcignore
 * when there is one (docs/suppressions.md). Returns the document's file,
 * or NULL on an I/O error (already reported on `err`). */
struct src_file *load_document(struct obc *cc, const char *path, FILE *err);
/* Loads std/aws and what it imports, as if the program imported it (the
 * recovery from a forgotten import); false when it cannot. */
bool load_standard_library(struct obc *cc);
/* The same for a document in memory (tests, editors), shown as `name`. */
struct src_file *load_document_text(struct obc *cc, const char *name, const char *text, size_t len);
/* The same for one in-memory source (tests, editors): `name` is shown in
 * diagnostics and relative imports resolve against its directory. */
void load_text(struct obc *cc, const char *name, const char *text, size_t len);

/* ------------------------------------------------------------------ */
/* discover.c: the programs and files under a directory (docs/programs.md) */

#define LIMIT_DISCOVER_DEPTH   32     /* directories below the one searched */
#define LIMIT_DISCOVER_ENTRIES 100000 /* directory entries read in one search */
#define LIMIT_DISCOVER_FOUND   1000   /* programs (or files) found in one search */

/* Appends to `entries` (struct vec* each: one program's entry file paths,
 * const char*, in cc's arena) the programs of `dir`: every `main.ob`
 * below it, or what a `.obc` file lists for its directory and everything
 * below; in the order of the walk (each directory's names sorted by
 * their bytes). Hidden and build directories are skipped, no
 * symbolic link below `dir` is followed. A `.obc` mistake or a limit is a
 * diagnostic (nothing found past a limit); false with errno when a
 * directory cannot be read. */
bool discover_programs(struct obc *cc, const char *dir, struct vec *entries);
/* Appends to `paths` every regular file whose name ends in `suffix`
 * below `dir`, by the same walk, sorted. */
bool discover_files(struct obc *cc, const char *dir, const char *suffix, struct vec *paths);
/* Whether operand `path` names a directory (a link to one counts: the
 * operand is followed, what is below it is not); "-" never does. */
bool path_is_directory(const char *path);
/* Whether `path` names a BACKUP_POLICY document by its extension:
 * .json, .json.tpl or .tpl (load.c). */
bool path_is_document(const char *path);

/* ------------------------------------------------------------------ */
/* json_in.c: a strict (RFC 8259) JSON reader that keeps locations      */

enum json_kind { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_member;
struct json_value {
    enum json_kind kind;
    struct loc loc;          /* the whole value: quotes and brackets included */
    const char *text;        /* STRING: decoded, NUL-terminated (may hold NUL
                                from \u0000: see len); NUMBER: as written */
    size_t len;              /* bytes of text */
    bool is_integer;         /* NUMBER: no fraction and no exponent */
    bool raw;                /* STRING had no escapes: byte i is at loc.start+1+i */
    struct vec items;        /* ARRAY: struct json_value*, in source order */
    struct vec members;      /* OBJECT: struct json_member*, in source order,
                                duplicate keys kept */
};

struct json_member {
    struct json_value *key;  /* a STRING: its text is the key, its loc the key's range */
    struct json_value *value;
};

/* Reads the whole of f as one JSON document into the compilation's arena.
 * Every error is reported (OB1001-OB1004, OB1010, OB1030) with its range
 * and a help line; then the result is NULL. A leading byte-order mark is
 * skipped, as in .ob files. Linear time and memory in f->len. */
struct json_value *json_read(struct obc *cc, struct src_file *f);
/* The first member of object `obj` whose key is `key` (NUL-terminated;
 * a key holding a NUL byte never matches), or NULL. */
const struct json_member *json_find(const struct json_value *obj, const char *key);
/* "object", "array", "string", "number", "true", "false", "null". */
const char *json_kind_name(enum json_kind k);

/* ------------------------------------------------------------------ */
/* template.c: Terraform/CloudFormation template syntax in a policy document */

/* Whether name[0..len) is a placeholder name --var can fill: HCL
 * identifiers ([A-Za-z_][A-Za-z0-9_-]*) joined by '.' or '::'
 * ("region", "var.region", "AWS::Region"). */
bool template_name_valid(const char *name, size_t len);
/* Whether `path` names a template file (ends in ".tpl"). */
bool template_path(const char *path);
/* Run on every policy document before json_read. Finds `${...}` and
 * `%{...}` in f's text; fills the simple placeholders `${NAME}` from
 * cc->opts.vars (values inserted as raw text); `$${` and `%%{` are
 * Terraform's escapes. Returns the text to parse:
 *   - f itself when there is nothing to render;
 *   - a new source named "PATH (rendered with --var)" (or "PATH
 *     (rendered)" when only escapes changed) holding the rendered text,
 *     whose line numbers are those of f (values hold no line break)
 *     and whose `origin` is f (the policy is named after f->path);
 *   - NULL when anything is left that obc cannot render, after ONE
 *     OB1120 at the first such place listing every placeholder.
 * Also reports each --var the text never uses (OB1121) and `$$account`
 * or `$$region` (OB1122). Linear in f->len and the --var values. */
struct src_file *template_render(struct obc *cc, struct src_file *f);

#endif /* OBC_FRONT_H */
