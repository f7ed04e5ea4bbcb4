/*
 * obc.h - the one internal header of the obc compiler.
 *
 * Sections follow the .c files that own them (arena.c, source.c, diag.c,
 * ...). Every function that is not declared here is static to its file.
 * Module prefixes: arena_, vec_, src_, diag_, lex_/parse_, ast_, load_,
 * sym_, sema_, sched_, cron_, sel_, emit_, json_, out_.
 *
 * Conventions:
 *  - All compiler state hangs off one `struct obc` per compilation; there
 *    are no globals besides constant tables.
 *  - Memory comes from the compilation's arena and is freed in one go.
 *  - Locations are byte offsets into a source file (`struct loc`); line and
 *    column are computed only when a diagnostic is rendered.
 *  - Nothing below main() exits the process; errors go through diag_emit().
 */
#ifndef OBC_H
#define OBC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <setjmp.h>

#if defined(__GNUC__) || defined(__clang__)
#define OBC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define OBC_PRINTF(fmt, args)
#endif

#define OBC_VERSION "0.1.0"

/* Documented limits (docs/limits.md). Hitting one gives OB1030. */
#define LIMIT_FILE_BYTES     (8u * 1024u * 1024u) /* one source file */
#define LIMIT_NESTING        64    /* nested (), [], {} in one file */
#define LIMIT_EXPR_DEPTH     64    /* depth of one value expression tree */
#define LIMIT_IMPORT_DEPTH   32    /* import chain length */
#define LIMIT_FILES          1000  /* files in one program */
#define LIMIT_DIAGNOSTICS    200   /* diagnostics shown per run */
#define LIMIT_DNF_GROUPS     128   /* and-groups after normalizing one match */

/* ------------------------------------------------------------------ */
/* arena.c: one arena per compilation, plus growable pointer vectors    */

struct arena_chunk;
struct arena {
    struct arena_chunk *head; /* newest chunk first */
    size_t total;             /* bytes obtained from malloc */
    jmp_buf *oom;             /* where to jump when malloc fails; NULL: abort */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n); /* zeroed, max-aligned */
_Noreturn void arena_fail(struct arena *a);   /* out of memory: longjmp to a->oom */
void *arena_grow(struct arena *a, void *old, size_t oldn, size_t newn);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) OBC_PRINTF(2, 3);
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) OBC_PRINTF(2, 0);

struct vec {
    void **items;
    size_t len, cap;
};
void vec_push(struct arena *a, struct vec *v, void *item);
#define VEC_GET(type, v, i) ((type *)(v).items[i])

/* A growable byte buffer in the arena, for building strings. */
struct strbuf {
    char *s;
    size_t len, cap;
};
void sb_putn(struct arena *a, struct strbuf *b, const char *s, size_t n);
void sb_puts(struct arena *a, struct strbuf *b, const char *s);
void sb_printf(struct arena *a, struct strbuf *b, const char *fmt, ...) OBC_PRINTF(3, 4);
const char *sb_str(struct arena *a, struct strbuf *b); /* NUL-terminated, never NULL */
const char *arena_thousands(struct arena *a, size_t n);  /* 10412 -> "10,412" */

/* ------------------------------------------------------------------ */
/* source.c: source files, locations, the line map                     */

/* A half-open byte range [start, end) in file `file` (1-based id; 0 = none). */
struct loc {
    uint32_t file;
    uint32_t start;
    uint32_t end;
};
#define LOC_NONE ((struct loc){0, 0, 0})

struct src_file {
    uint32_t id;          /* 1-based index in obc.files */
    const char *path;     /* as shown in diagnostics */
    const char *dir;      /* directory for relative imports ("" = cwd) */
    const char *key;      /* identity for import de-duplication */
    const char *text;     /* contents; NUL-terminated copy */
    size_t len;
    uint32_t *line_starts; /* offsets of line starts; built lazily */
    size_t nlines;
    bool is_stdlib;       /* embedded standard library file */
    struct vec items;     /* struct ast_item*: the parsed top level */
    struct vec imports;   /* struct ir_import*: the imports it made that resolved */
};

struct src_pos {
    uint32_t line;  /* 1-based */
    uint32_t col;   /* 1-based, in bytes (a tab counts as one column) */
};

struct obc;
struct src_file *src_add(struct obc *cc, const char *path, const char *dir,
                         const char *key, const char *text, size_t len);
struct src_file *src_get(const struct obc *cc, uint32_t id);
struct src_pos src_pos(struct src_file *f, uint32_t offset);
const char *src_line(struct src_file *f, uint32_t line, size_t *len);
struct loc loc_span(struct loc a, struct loc b); /* from a's start to b's end */

/* Length (1..4) of the UTF-8 sequence at s, or 0 if it is invalid
 * (overlong, surrogate, out of range, truncated). *cp gets the code point. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Characters (code points) of a UTF-8 string: what AWS counts. */
size_t utf8_chars(const char *s);

/* Reading files from disk or stdin; returns 0 or an errno value
 * (EISDIR for directories, EFBIG past LIMIT_FILE_BYTES, ENODEV for a
 * device, pipe or socket when regular_only is set). */
int src_read_file(struct arena *a, const char *path, bool regular_only, char **text, size_t *len);
int src_read_stream(struct arena *a, FILE *fp, char **text, size_t *len);

/* ------------------------------------------------------------------ */
/* diag.c: the diagnostics funnel                                      */

enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR };

enum diag_code {
#define DIAG_CODE(id, num, sev, title) id,
#include "codes.def"
#undef DIAG_CODE
    DIAG_CODE_COUNT
};

struct diag_code_info {
    const char *id;     /* "OB1001" */
    int number;
    enum severity sev;
    const char *title;
};

struct diag_note {
    struct loc loc;
    const char *msg;
    struct diag_note *next;
};

struct diag {
    enum diag_code code;
    enum severity sev;
    struct loc loc;          /* primary range */
    const char *msg;         /* lower case, no final period */
    const char *help;        /* what to change; may be NULL */
    struct diag_note *notes; /* secondary locations, in order */
    struct diag_note *last_note; /* the end of `notes`, where diag_note appends */
    size_t seq;              /* emission order, for stable sorting */
};

struct diag_engine {
    struct arena *arena;
    struct vec list;     /* struct diag*, in emission order */
    size_t errors;       /* counted even past the display limit */
    size_t warnings;
    size_t max;          /* at most this many are stored */
    size_t dropped;      /* emitted past `max` */
    struct diag hidden;  /* what diag_emit returns past `max`: never stored or shown */
    size_t before_checks; /* entries of `list` emitted before checks_run */
};

const struct diag_code_info *diag_info(enum diag_code code);
/* The long explanation of a code (docs/codes/OBxxxx.md, embedded), or
 * NULL; shared by `obc explain` and machine formats. */
const char *diag_explanation(enum diag_code code);
bool diag_code_parse(const char *s, enum diag_code *out);
struct diag *diag_emit(struct obc *cc, enum diag_code code, struct loc loc,
                       const char *fmt, ...) OBC_PRINTF(4, 5);
void diag_note(struct obc *cc, struct diag *d, struct loc loc, const char *fmt, ...)
    OBC_PRINTF(4, 5);
void diag_help(struct obc *cc, struct diag *d, const char *fmt, ...) OBC_PRINTF(3, 4);
void diag_sort(struct obc *cc); /* by file, offset, emission order */
/* Whether the next diagnostic will be past the display limit (counted
 * but never shown), so work that only words it (a "did you mean"
 * search) can be skipped. */
bool diag_next_hidden(const struct obc *cc);
/* Whether the front end or sema reported an error inside `loc`. The IR
 * leaves out values they rejected, so a check must not judge what is left
 * (a rejected delete_after is not a missing one). */
bool diag_rejected_within(const struct obc *cc, struct loc loc);

/* diag_render.c: text (gcc/clang shape) and JSON renderings */
enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON };
void diag_render_text(struct obc *cc, FILE *out, bool color);
void diag_render_json(struct obc *cc, FILE *out);
void diag_render_summary(struct obc *cc, FILE *out, bool color);

/* ------------------------------------------------------------------ */
/* The compilation                                                      */

struct obc_options {
    const char *stdlib_dir;  /* read std/... from here instead of the
                                embedded copy (NULL: embedded) */
    bool no_manifest;
    bool minify;             /* write policies without whitespace */
};

struct ir_program;
struct obc {
    struct arena arena;
    struct diag_engine diag;
    struct vec files;          /* struct src_file*, id-1 indexed */
    struct obc_options opts;
    struct ir_program *prog;   /* set by sema_run */
};

void obc_init(struct obc *cc, const struct obc_options *opts);
void obc_free(struct obc *cc);

/* compile.c: the pipeline. Call after load_program/load_text.
 * Runs sema and the checks unless the front end reported errors.
 * Returns the program, or NULL when it could not be analysed. */
struct ir_program *obc_analyze(struct obc *cc);
/* Renders every policy and the manifest into `out` (struct out_file*),
 * sorted by file name. Run only when obc_analyze found no errors;
 * may report policy-level errors itself (e.g. size). */
bool obc_emit(struct obc *cc, struct vec *out);
#define MANIFEST_FILE "obc.manifest.json"
#define POLICY_MAX_CHARS 10000 /* characters in one backup policy document [S4, spec 3.1] */

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
    ITEM_ASSIGN, /* words = value */
    ITEM_BLOCK,  /* words { body } */
    ITEM_STRING, /* words "string" (import) */
    ITEM_ERROR,  /* a syntax error was recovered here */
};

struct ast_item {
    enum item_form form;
    struct loc loc;          /* the whole item */
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
};

/* Parses one file into f->items. Returns false if it had syntax errors. */
bool parse_file(struct obc *cc, struct src_file *f);

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
/* The same for one in-memory source (tests, editors): `name` is shown in
 * diagnostics and relative imports resolve against its directory. */
void load_text(struct obc *cc, const char *name, const char *text, size_t len);

/* Files embedded at build time by tools/embed: stdlib_data.c (stdlib/)
 * and explain_data.c (docs/codes/). */
struct embedded_file {
    const char *name;  /* "aws.ob", "OB4002.md" */
    const char *text;
    size_t len;
};
extern const struct embedded_file stdlib_files[];
extern const size_t stdlib_files_count;
extern const struct embedded_file explain_files[];
extern const size_t explain_files_count;

/* ------------------------------------------------------------------ */
/* suggest.c: "did you mean"                                           */

/* The closest of `candidates` (const char*), or NULL if none is close. */
const char *suggest_name(const char *name, const char *const *candidates, size_t n);
const char *suggest_from_vec(const char *name, const struct vec *candidates);

/* ------------------------------------------------------------------ */
/* The policy IR (ir.c): what the program means, independent of syntax.
 * Checks and emitters work on this, never on the AST.                 */

enum decl_kind {
    DK_ACCOUNT, DK_OU, DK_ROOT, DK_PARTITION, DK_REGION, DK_RESOURCE_TYPE,
    DK_PERMISSIONS, DK_ROLE, DK_KEY, DK_VAULT, DK_SELECTION, DK_PLAN, DK_POLICY,
    DK_BUILTIN, /* members, organization */
    DK_COUNT
};
#define KIND(k) (1u << (k)) /* sets of kinds, for resolution */
const char *decl_kind_name(enum decl_kind k);    /* "vault" */
const char *decl_kind_article(enum decl_kind k); /* "a vault" */
const char *kinds_describe(struct arena *a, unsigned kinds); /* "a root, an OU or an account" */

/* The common head of every named declaration. */
struct ir_decl {
    enum decl_kind kind;
    const char *name;
    struct loc loc;       /* the whole declaration */
    struct loc name_loc;  /* its name */
    bool used;            /* referenced from somewhere */
    bool from_stdlib;
    struct src_file *file;
    struct ir_decl *same_name; /* next declaration of another kind with this name */
};

/* A value with the place it was written; `set` is false when absent. */
struct ir_num {
    int64_t v;
    struct loc loc;
    bool set;
};
struct ir_flag {
    bool v;
    struct loc loc;
    bool set;
};
struct ir_text {
    const char *s; /* NULL when absent */
    struct loc loc;
};

struct ir_account {
    struct ir_decl d;
    const char *id; /* 12 digits */
};
struct ir_ou {
    struct ir_decl d;
    const char *id;
};
struct ir_root {
    struct ir_decl d;
    const char *id;
};

struct ir_partition {
    struct ir_decl d;
    bool cross_account_copy; /* false in aws-cn */
};

struct ir_region {
    struct ir_decl d;
    struct ir_partition *partition;
    bool opt_in;             /* must be enabled per account */
    const char *display;     /* "Europe (Frankfurt)" */
};

struct ir_restype {
    struct ir_decl d;
    struct vec arns;          /* const char*: ARN patterns after "arn:<partition>:", or "*" */
    struct vec role_policies; /* const char*: extra managed policies the backup role needs
                                 ("AWSBackupServiceRolePolicyForS3Backup") */
    const char *opt_in_name;  /* region-settings name ("RDS"); NULL for any */
    bool continuous;          /* continuous backup (PITR) */
    bool cold_storage;
    bool full_management;     /* independent encryption with the vault key */
    bool cross_account_copy;
    bool cross_region_copy;
    bool both_in_one_copy;    /* cross-account and cross-region in one copy action */
    bool is_any;              /* the wildcard type `any` */
    bool management_preference; /* has a ResourceTypeManagementPreference setting */
};

struct ir_permissions {
    struct ir_decl d;
    struct vec actions; /* const char*: "kms:Decrypt" */
};

struct ir_role {
    struct ir_decl d;            /* inline roles (role "arn:...") have name NULL */
    struct ir_text arn;          /* explicit ARN, may contain $account; or NULL */
    const char *role_name;       /* with path: ARN built per partition */
    const char *path;            /* "/service-role/" or "/" */
    struct vec managed_policies; /* const char*: paths after "policy/" */
    const char *trusts;          /* service principal, "backup.amazonaws.com" */
};

enum principal_kind { PRIN_NONE, PRIN_MEMBERS, PRIN_ORGANIZATION, PRIN_ACCOUNT };
struct ir_principal {
    enum principal_kind kind;
    struct ir_account *account; /* PRIN_ACCOUNT */
    struct loc loc;
};

struct ir_key {
    struct ir_decl d;
    struct ir_text arn;
    struct ir_text alias;
    struct ir_principal owner;   /* from `owner`, or the ARN's account */
    const char *account_id;      /* from the ARN (may be NULL) */
    struct ir_region *region;    /* from the ARN (may be NULL) */
    struct vec regions;          /* struct ir_region*: from `region` */
    struct loc regions_loc;
    bool multi_region;           /* ARN key id starts with mrk- */
    bool aws_managed;            /* an AWS managed key (aws/backup) */
    struct ir_permissions *grants; /* named or anonymous permission set */
    struct loc grants_loc;
    struct vec grant_to;         /* struct ir_principal*: other accounts its key policy
                                    lets use it (its own account always can) */
    struct loc grant_to_loc;
};

enum lock_mode { LOCK_GOVERNANCE, LOCK_COMPLIANCE };
struct ir_lock {
    struct loc loc;
    enum lock_mode mode;
    struct loc mode_loc;
    struct ir_num min_retention; /* days */
    struct ir_num max_retention; /* days */
    struct ir_num grace;         /* days (changeable_for_days) */
};

struct ir_vault {
    struct ir_decl d;
    struct ir_text aws_name;     /* defaults to the declared name */
    struct ir_principal owner;   /* default: members */
    struct vec regions;          /* struct ir_region*; empty = every plan region */
    struct loc regions_loc;
    struct ir_key *key;          /* NULL: the AWS managed aws/backup key */
    struct loc key_loc;
    struct ir_lock *lock;        /* NULL: unlocked */
    struct vec accept_from;      /* struct ir_principal* */
    struct loc accept_loc;
};

enum cond_op { COND_EQUALS, COND_NOT_EQUALS, COND_LIKE, COND_NOT_LIKE };
struct ir_condition {
    enum cond_op op;
    const char *tag_key;
    const char *value;
    struct loc loc;
};

struct ir_sel_entry {
    const char *name;          /* stable, derived from the selection name */
    bool resources;            /* selections.resources (else .tags) */
    const char *tag_key;       /* tags entry */
    struct vec tag_values;     /* const char* */
    struct vec types;          /* struct ir_restype*: resource_types */
    struct vec not_types;      /* struct ir_restype*: not_resource_types */
    struct vec conditions;     /* struct ir_condition* */
    struct loc loc;            /* the and-group in the match expression */
};

struct ir_selection {
    struct ir_decl d;
    struct ir_role *role;
    struct loc role_loc;
    struct vec entries;   /* struct ir_sel_entry* */
    struct loc match_loc;
};

struct ir_tag {
    const char *key;
    const char *value;
    struct loc loc;
};

struct ir_lifecycle {
    struct ir_num delete_after;  /* days */
    struct ir_num cold_after;    /* days */
    struct ir_flag archive;
};

struct ir_copy {
    struct loc loc;
    struct ir_vault *target;
    struct loc target_loc;
    struct ir_lifecycle lc;
};

struct cron; /* cron.c */
struct ir_plan;
struct ir_rule {
    const char *name;
    struct loc loc;
    struct loc name_loc;
    struct ir_plan *plan;
    const char *cron;           /* "cron(50 5 ? * * *)" */
    struct cron *cronv;         /* parsed form, for overlap checks */
    struct loc schedule_loc;
    struct ir_num start_within;    /* minutes */
    struct ir_num complete_within; /* minutes */
    struct ir_vault *vault;
    struct loc vault_loc;
    struct ir_flag continuous;
    struct ir_lifecycle lc;
    struct vec tags;            /* struct ir_tag*: recovery_point_tags */
    struct loc tags_loc;
    struct vec copies;          /* struct ir_copy* */
};

struct ir_plan {
    struct ir_decl d;
    struct vec regions;         /* struct ir_region* */
    struct loc regions_loc;
    bool regions_from_org;      /* inherited from organization.regions */
    struct vec selections;      /* struct ir_selection* */
    struct loc select_loc;
    struct ir_flag windows_vss;
    struct ir_flag s3_backup_acls;
    struct ir_flag s3_backup_object_tags;
    struct vec tags;            /* struct ir_tag*: backup_plan_tags */
    struct loc tags_loc;
    struct vec rules;           /* struct ir_rule* */
    struct vec policies;        /* struct ir_policy*: the policies that contain it */
};

enum target_kind { TARGET_ROOT, TARGET_OU, TARGET_ACCOUNT };
struct ir_target {
    enum target_kind kind;
    struct ir_decl *decl;
    const char *id;
    struct loc loc;
};

struct ir_policy {
    struct ir_decl d;
    struct vec plans;           /* struct ir_plan* */
    struct loc plans_loc;
    struct vec attach;          /* struct ir_target* */
    struct loc attach_loc;
    struct ir_text description;
};

struct ir_org {
    bool declared;
    struct loc loc;
    struct ir_text id;
    struct ir_account *management;
    struct loc management_loc;
    struct vec regions;         /* struct ir_region* */
    struct loc regions_loc;
};

struct ir_import {
    struct src_file *from;
    struct src_file *target;
    struct loc loc;
};

struct ir_program {
    struct ir_org org;
    /* std permission sets that say what each user of a key needs
     * (stdlib/kms.ob); NULL when the standard library is not imported. */
    struct ir_permissions *need_vault_writer;   /* backup_vault_writer */
    struct ir_permissions *need_copy_source;    /* cross_account_copy_source */
    struct vec partitions, regions, restypes, permissions, roles;
    struct vec accounts, ous, roots;
    struct vec keys, vaults, selections, plans, policies;
    struct vec imports;         /* struct ir_import* */
};

/* ------------------------------------------------------------------ */
/* sema.c and friends: collect declarations, check, lower to the IR    */

/* Value types of attributes (schema.c). */
enum vtype {
    VT_STRING,     /* "..." */
    VT_BOOL,       /* true | false */
    VT_DAYS,       /* a duration that is a whole number of days */
    VT_MINUTES,    /* a duration that is a whole number of minutes */
    VT_SCHEDULE,   /* schedule phrase or cron("...") */
    VT_TAGMAP,     /* { "k" = "v" } */
    VT_MATCH,      /* selector expression */
    VT_ROLE,       /* role declaration or role "arn" */
    VT_GRANTS,     /* permission set or list of actions */
    VT_PRINCIPAL,  /* an account or members */
    VT_PRINCIPALS, /* organization, members, an account, or a list of accounts */
    VT_REF,        /* one declaration of attr_spec.ref */
    VT_REFS,       /* list of declarations of attr_spec.ref (one alone is fine) */
    VT_STRINGS,    /* list of strings */
    VT_ENUM,       /* one identifier of attr_spec.choices */
};

#define ATTR_REQUIRED 1u

struct attr_spec {
    const char *name;
    enum vtype type;
    unsigned kinds;               /* VT_REF, VT_REFS: KIND() set */
    unsigned flags;
    const char *const *choices;   /* VT_ENUM, NULL-terminated */
    const char *what;             /* one-line description for help text */
};

enum block_kind {
    BK_ORGANIZATION, BK_KEY, BK_VAULT, BK_LOCK, BK_SELECTION, BK_PLAN, BK_RULE,
    BK_COPY, BK_POLICY, BK_PARTITION, BK_REGION, BK_RESOURCE_TYPE, BK_ROLE,
    BK_COUNT
};

struct block_spec {
    enum block_kind kind;
    const char *word;             /* "vault" */
    const struct attr_spec *attrs;
    size_t nattrs;
    const char *const *children;  /* nested block words, NULL-terminated */
    const char *example;          /* how the block head is written */
};

#define MAX_ATTRS 24
const struct block_spec *schema_block(enum block_kind k);
const struct block_spec *schema_block_by_word(const char *word, bool top_level);
int schema_attr_index(const struct block_spec *spec, const char *name);

/* symtab.c: a map from strings to values (pointers, not NULL) in the arena, for
 * duplicate checks that must stay linear in the length of a list. With
 * `fold` set (before the first put) keys are compared ignoring ASCII
 * case. Keys are not copied; nothing is ever removed. */
struct strmap {
    const char **keys;
    void **values;
    size_t cap, count;
    bool fold;
};
void *strmap_get(const struct strmap *m, const char *key); /* NULL: absent */
/* Stores `value` under `key` unless the key is there already. Returns the
 * value found there, or NULL when the key was new. */
void *strmap_put_new(struct arena *a, struct strmap *m, const char *key, void *value);

/* The global namespace. Names are global to the program and unique per
 * kind: `account central` and `vault central` may coexist, and a
 * reference picks the declaration of the kind it expects. sym_lookup
 * returns the first declaration of a name; the others of other kinds
 * follow through ir_decl.same_name. */
struct symtab {
    struct strmap names; /* name -> first struct ir_decl of that name */
};
struct ir_decl *sym_lookup(const struct symtab *t, const char *name);
void sym_insert(struct arena *a, struct symtab *t, struct ir_decl *d); /* name must be new */

/* The state of one semantic analysis. */
struct sema {
    struct obc *cc;
    struct arena *a;
    struct ir_program *prog;
    struct symtab syms;
    struct vec all_decls;    /* struct ir_decl*, declaration order */
    struct vec decl_items;   /* const struct ast_item*, parallel to all_decls */
    const struct ast_item *org_item;
    struct ir_decl builtin_members;
    struct ir_decl builtin_organization;
    struct strmap accounts_by_id; /* account id -> struct ir_account* */
};

/* A block whose attributes passed the generic checks (sema_block.c). */
struct block {
    const struct ast_item *item;
    const struct block_spec *spec;
    const struct ast_item *attr[MAX_ATTRS]; /* by spec index; NULL if absent */
};
void sema_block(struct sema *s, const struct ast_item *item, enum block_kind kind,
                struct block *out);
const struct ast_value *blk_value(const struct block *b, const char *name);

/* sema_values.c: typed readers; each reports OB2003 on a type mismatch
 * and returns false (the output is left unset). */
bool val_string(struct sema *s, const struct ast_value *v, struct ir_text *out);
bool val_bool(struct sema *s, const struct ast_value *v, struct ir_flag *out);
bool val_days(struct sema *s, const struct ast_value *v, struct ir_num *out);
bool val_minutes(struct sema *s, const struct ast_value *v, struct ir_num *out);
bool val_strings(struct sema *s, const struct ast_value *v, struct vec *out);
bool val_tagmap(struct sema *s, const struct ast_value *v, struct vec *out);
struct ir_decl *val_ref(struct sema *s, const struct ast_value *v, unsigned kinds);
bool val_refs(struct sema *s, const struct ast_value *v, unsigned kinds, struct vec *out);
/* For lists read one item at a time: reports OB2006 ("listed twice")
 * and returns true when the name `item` is in `listed` already (one name
 * in one list means one declaration); else adds it. */
bool val_listed_twice(struct sema *s, struct strmap *listed, const struct ast_value *item);
bool val_principal(struct sema *s, const struct ast_value *v, struct ir_principal *out);
bool val_principals(struct sema *s, const struct ast_value *v, struct vec *out);
bool val_regions(struct sema *s, const struct ast_value *v, struct vec *out);
int val_enum(struct sema *s, const struct ast_value *v, const char *const *choices);
/* Looks a name up; reports OB2001/OB2008 (unknown, with "did you mean")
 * or OB2003 (wrong kind) and returns NULL. Marks the declaration used. */
struct ir_decl *sema_resolve(struct sema *s, const char *name, struct loc loc,
                             unsigned kinds);

/* sema_ids.c: formats of AWS identifiers (OB2007) */
bool id_account_ok(const char *s);
bool id_ou_ok(const char *s);
bool id_root_ok(const char *s);
bool id_org_ok(const char *s);
/* Splits an ARN into partition, service, region, account, resource. */
struct arn_parts {
    const char *partition, *service, *region, *account, *resource;
};
bool arn_split(struct arena *a, const char *arn, struct arn_parts *out);

/* sema.c */
struct ir_program *sema_run(struct obc *cc);
bool form_is_declaration(const char *word); /* account, vault, ..., organization, import */

/* lower_*.c: one lowering function per declaration kind */
void lower_account(struct sema *s, const struct ast_item *it, struct ir_account *acc);
void lower_ou(struct sema *s, const struct ast_item *it, struct ir_ou *ou);
void lower_root(struct sema *s, const struct ast_item *it, struct ir_root *root);
void lower_permissions(struct sema *s, const struct ast_item *it, struct ir_permissions *p);
void lower_organization(struct sema *s, const struct ast_item *it);
void lower_partition(struct sema *s, const struct ast_item *it, struct ir_partition *p);
void lower_region(struct sema *s, const struct ast_item *it, struct ir_region *r);
void lower_restype(struct sema *s, const struct ast_item *it, struct ir_restype *t);
void lower_role(struct sema *s, const struct ast_item *it, struct ir_role *r);
void lower_key(struct sema *s, const struct ast_item *it, struct ir_key *k);
void lower_vault(struct sema *s, const struct ast_item *it, struct ir_vault *v);
void lower_selection(struct sema *s, const struct ast_item *it, struct ir_selection *sel);
void lower_plan(struct sema *s, const struct ast_item *it, struct ir_plan *p);
void lower_policy(struct sema *s, const struct ast_item *it, struct ir_policy *p);
struct ir_role *lower_role_value(struct sema *s, const struct ast_value *v);
struct ir_permissions *lower_grants(struct sema *s, const struct ast_value *v);
bool lower_role_arn(struct sema *s, const char *arn, struct loc loc);

/* ------------------------------------------------------------------ */
/* cron.c: AWS 6-field cron expressions                                */

struct cron {
    uint64_t minutes;     /* bit m: fires at minute m */
    uint32_t hours;       /* bit h */
    uint32_t months;      /* bit 1..12 */
    uint32_t dom;         /* bit 1..31; 0 when day-of-month is '?' */
    bool dom_any;         /* day-of-month is '?' */
    bool dom_last;        /* L: last day of the month */
    int dom_last_offset;  /* L-n (AWS documents no L-n: always 0) */
    int dom_weekday;      /* nW: weekday nearest day n (0 = none) */
    bool dom_last_weekday;/* LW */
    uint8_t dow;          /* bit 1..7 (1 = Sunday); 0 when '?' */
    bool dow_any;         /* day-of-week is '?' */
    int dow_last;         /* nL: last weekday n of the month (0 = none) */
    int dow_nth_day;      /* d#n: weekday d ... */
    int dow_nth;          /* ... the n-th in the month (0 = none) */
    uint64_t years[4];    /* bit y-1970 for 1970..2199 */
    const char *text;     /* the six fields, normalized: single spaces,
                             upper-case names, no leading zeros (arena) */
};

/* Parses the text inside cron(...). On error reports OB3001/OB3002/OB3003
 * at `loc` (narrowed to the bad field when `raw_base` is non-zero: the
 * source offset of the expression's first byte) and returns false. */
bool cron_parse(struct obc *cc, const char *expr, struct loc loc, uint32_t raw_base,
                struct cron *out);
/* Whether the schedule fires on the given date (month 1..12, day 1..31). */
bool cron_fires_on(const struct cron *c, int year, int month, int day);
/* Number of firings per day it can have at most (popcount hours*minutes). */
int cron_firings_per_day(const struct cron *c);

/* schedule.c: schedule values (phrases and cron("...")) to one cron */
const char *sched_lower(struct sema *s, const struct ast_value *v, struct cron *out);

/* selector.c: match expressions to AWS selection entries */
bool sel_lower(struct sema *s, const struct ast_value *match, struct ir_selection *sel);
/* Plan-level selection rules: OB5004 (tags and resources mixed), OB5005
 * (more than 10 tag entries, more than 100 entries), OB5006 (none). */
void sel_check_plan(struct sema *s, struct ir_plan *plan);

/* ------------------------------------------------------------------ */
/* ir_facts.c: facts derived from the IR that several checks and the
 * manifest share. Pure functions. */

/* The account that holds a vault or key: a named account, or members. */
struct ir_principal ir_vault_owner(const struct ir_vault *v);
struct ir_principal ir_key_owner(const struct ir_key *k);
bool ir_same_principal(const struct ir_principal *a, const struct ir_principal *b);
/* Whether a key policy that lets `grantees` (struct ir_principal*) use a
 * key held by `owner` covers principal `who`. */
bool ir_principal_covered(const struct ir_principal *who, const struct ir_principal *owner,
                          const struct vec *grantees);
/* A copy from `source` to `target` leaves the account it runs in. */
bool ir_copy_cross_account(const struct ir_vault *source, const struct ir_vault *target);
/* The regions a vault must exist in: its own list, else the regions of
 * every plan whose rules target it. Appends struct ir_region*. */
void ir_vault_regions(const struct ir_program *prog, const struct ir_vault *v, struct vec *out,
                      struct arena *a);
/* The resource types a plan can back up (struct ir_restype*), and
 * whether it can back up anything (tag-only selections or `any`). */
void ir_plan_types(const struct ir_program *prog, const struct ir_plan *p, struct vec *out,
                   bool *any, struct arena *a);
/* Where a plan runs: one entry per attachment of every policy that
 * contains it (struct ir_receiver*); `who` is the account for an account
 * target and PRIN_MEMBERS for a root or an OU. */
struct ir_receiver {
    struct ir_principal who;
    const struct ir_policy *policy;
    const struct ir_target *target;
};
void ir_plan_receivers(const struct ir_plan *p, struct vec *out, struct arena *a);
/* The retention a copy ends up with in days: its own delete_after, else
 * the rule's; `forever` is set when neither is given. */
int64_t ir_copy_retention(const struct ir_rule *r, const struct ir_copy *c, bool *forever);
/* The vault is AWS's `Default` vault (by its AWS name), whose key cannot
 * be shared with other accounts. */
bool ir_vault_is_default(const struct ir_vault *v);
/* A region of plan `p` in another partition than the region copy `c`
 * lands in (copies never cross partitions), or NULL. c->target must be
 * set: the checks skip copies whose target sema rejected. */
const struct ir_region *ir_copy_foreign_region(const struct ir_plan *p, const struct ir_copy *c);
/* For a cross-account copy of rule `r`: the partition of one of the
 * plan's regions that has no cross-account copy (aws-cn), or NULL. */
const struct ir_partition *ir_copy_account_barrier(const struct ir_plan *p, const struct ir_rule *r,
                                                   const struct ir_copy *c);
/* Whether a set number of days lies in 1..36500, the range AWS accepts
 * for delete_after and for a vault lock's min and max retention. */
#define RETENTION_MAX_DAYS 36500
bool ir_days_valid(const struct ir_num *n);
/* The retention range a vault lock enforces. A bound counts only when it
 * is set and valid, and neither counts when min > max (the lock itself
 * is wrong then: OB4010, OB4016). */
struct ir_lock_range {
    bool has_min, has_max;
    int64_t min, max;
};
struct ir_lock_range ir_lock_range(const struct ir_lock *l);

/* ------------------------------------------------------------------ */
/* key_users.c: who uses each KMS key, and what they need on it.
 * Shared by the manifest (key-policy statements) and the KMS checks. */

enum key_use_kind {
    KEY_USE_VAULT_WRITE,   /* an account's AWSServiceRoleForBackup writes into a vault
                              encrypted with the key */
    KEY_USE_COPY_SOURCE,   /* the destination account of a cross-account copy reads a
                              source recovery point encrypted with the key */
};
struct key_use {
    enum key_use_kind kind;
    struct ir_key *key;
    struct ir_principal who;        /* the account (or members) that needs access */
    const char *role;               /* role that acts: "AWSServiceRoleForBackup" */
    struct ir_permissions *needs;   /* what it needs (NULL if std not imported) */
    struct ir_vault *vault;         /* the vault involved */
    struct ir_rule *rule;           /* the rule (copies) or NULL */
    struct loc loc;                 /* where the use comes from */
};
void key_uses(struct obc *cc, const struct ir_program *prog, struct vec *out); /* out starts empty */

/* ------------------------------------------------------------------ */
/* checks.c: the checks that run on the finished IR                    */

void checks_run(struct obc *cc, struct ir_program *prog);
void check_windows(struct obc *cc, struct ir_program *prog);   /* OB3010-OB3012 */
void check_overlap(struct obc *cc, struct ir_program *prog);   /* OB3020 */
void check_roles(struct obc *cc, struct ir_program *prog);     /* OB5007 partitions, OB5008, OB6010 */
void check_lifecycle(struct obc *cc, struct ir_program *prog); /* OB4001-OB4006, OB9003 */
void check_lock(struct obc *cc, struct ir_program *prog);      /* OB4010-OB4016 */
void check_copies(struct obc *cc, struct ir_program *prog);    /* OB6001-OB6009 */
void check_kms(struct obc *cc, struct ir_program *prog);       /* OB7001-OB7004 */
void check_limits(struct obc *cc, struct ir_program *prog);    /* OB8001-OB8007 */
void check_lints(struct obc *cc, struct ir_program *prog);     /* OB9001, OB9002 */
/* Helpers shared by the checks (check_copies.c): the names of a list of
 * declarations (struct ir_decl* heads), at most `shown` of them and then
 * "and N more"; and a principal as a phrase ("account 'backup'"). */
const char *check_names(struct arena *a, const struct vec *decls, size_t shown);
const char *check_principal_words(struct arena *a, const struct ir_principal *p);
const char *check_rule_words(struct arena *a, const struct ir_rule *r); /* "rule 'r' of plan 'p'" */
/* One diagnostic per root cause: whether (code, a, b) is new to `seen`
 * (a vector the caller keeps); records it. */
bool check_first_time(struct arena *ar, struct vec *seen, enum diag_code code, const void *a, const void *b);

/* ------------------------------------------------------------------ */
/* emit_policy.c, emit_manifest.c, json_out.c                         */

struct cJSON;
struct cJSON *emit_policy(struct obc *cc, const struct ir_policy *pol);
struct cJSON *emit_manifest(struct obc *cc, const struct ir_program *prog);
/* Deterministic printing: pretty (2-space indent, trailing newline) or
 * minified. Returns a malloc'd string (caller frees) or NULL. */
char *json_print(const struct cJSON *doc, bool pretty);
/* Building a document (json_out.c). Every json_add_* adds under `key` of
 * an object, or appends to an array when key is NULL. When cJSON cannot
 * allocate, the whole document is freed and arena_fail() is called. */
struct json_doc {
    struct arena *arena;
    struct cJSON *root;
};
struct cJSON *json_doc_init(struct json_doc *d, struct arena *a); /* empty root object */
struct cJSON *json_add_object(struct json_doc *d, struct cJSON *parent, const char *key);
struct cJSON *json_add_array(struct json_doc *d, struct cJSON *parent, const char *key);
void json_add_string(struct json_doc *d, struct cJSON *parent, const char *key, const char *s);
void json_add_bool(struct json_doc *d, struct cJSON *parent, const char *key, bool v);
void json_add_int(struct json_doc *d, struct cJSON *parent, const char *key, int64_t v);
void json_add_strings(struct json_doc *d, struct cJSON *parent, const char *key,
                      const struct vec *strings); /* const char* items */
/* ARNs as they appear in a policy (emit_arns.c). */
const char *vault_arn(struct arena *a, const struct ir_vault *v, const struct ir_region *region);
const char *role_arn(struct arena *a, const struct ir_role *r, const char *partition);
const char *restype_arn(struct arena *a, const char *pattern, const char *partition);
const char *plan_partition(const struct ir_plan *p); /* of its first region; "aws" if none */
/* The region a copy action of plan `p` lands in (the region of its
 * vault ARN): the target vault's only region; else the first plan region
 * the target exists in (any plan region when the target names none);
 * else the target's first region. NULL when nothing names a region. */
const struct ir_region *copy_region(const struct ir_plan *p, const struct ir_copy *c);

/* ------------------------------------------------------------------ */
/* output.c: atomic writing of a set of files                          */

struct out_file {
    const char *name;   /* file name inside the output directory */
    const char *data;
    size_t len;
};
/* Writes every file to a temporary name in `dir` (created with its
 * missing parents), then renames them all, in the order given. When any
 * write fails nothing is replaced and the temporaries are removed.
 * Returns 0 or an errno value; *failed is then the name (inside `dir`)
 * of the file that failed, or NULL when `dir` itself could not be
 * created or opened. */
int out_write_all(const char *dir, const struct out_file *files, size_t n,
                  const char **failed);

#endif /* OBC_H */
