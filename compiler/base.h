/*
 * base.h - the bottom layer of the compiler: the arena and vectors
 * (arena.c), source files and locations (source.c), the diagnostics
 * funnel and its renderings (diag.c, diag_render.c), string maps
 * (strmap.c), pointer sets (ptrset.c), "did you mean" (suggest.c),
 * JSON printing (json_out.c), embedded files, and the compilation
 * context every phase receives (context.c).
 *
 * Layers, from the bottom (each header includes only those before it;
 * tests/check-layers.sh enforces it):
 *   base.h    arena, strings, sources, diagnostics, the context
 *   front.h   syntax: lexer, parser, AST, loading files (front end)
 *   ir.h      the policy IR and facts derived from it
 *   sema.h    the block schema, name resolution, lowering AST -> IR
 *   checks.h  checks on the finished IR
 *   emit.h    policy and manifest JSON from the IR
 *   driver.h  the pipeline and atomic output (command line, tests)
 *
 * Conventions:
 *  - All compiler state hangs off one `struct obc` per compilation; there
 *    are no globals besides constant tables.
 *  - Memory comes from the compilation's arena and is freed in one go.
 *  - Locations are byte offsets into a source file (`struct loc`); line and
 *    column are computed only when a diagnostic is rendered.
 *  - Nothing below main() exits the process; errors go through diag_emit().
 */
#ifndef OBC_BASE_H
#define OBC_BASE_H

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
#define LIMIT_PROGRAM_BYTES  (64u * 1024u * 1024u) /* all files of one program */
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
    size_t chunks_made;       /* numbers the chunks, oldest first (arena_release) */
    jmp_buf *oom;             /* where to jump when malloc fails; NULL: abort */
};

/* A point in an arena's life: arena_release frees everything allocated
 * after it, for work whose results are all thrown away. */
struct arena_mark {
    struct arena_chunk *head;
    size_t used;       /* bytes of head in use then */
    size_t chunks_made;
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n); /* zeroed, max-aligned */
_Noreturn void arena_fail(struct arena *a);   /* out of memory: longjmp to a->oom */
void *arena_grow(struct arena *a, void *old, size_t oldn, size_t newn);
struct arena_mark arena_mark(const struct arena *a);
void arena_release(struct arena *a, struct arena_mark m); /* nothing allocated since m may be used again */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* A copy with ASCII letters in lower case (AWS lowercases policy keys). */
char *arena_strdup_lower(struct arena *a, const char *s);
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
    uint32_t *line_starts; /* offsets of line starts; NULL until src_line_map */
    size_t nlines;
    struct arena *arena;  /* of the compilation: where the line map goes */
    bool is_stdlib;       /* embedded standard library file */
    const unsigned char *snapshot; /* its tree, parsed when obc was built
                                      (ast_snapshot.c), or NULL: parse the text */
    struct src_file *origin; /* the template this text was rendered from
                                (template.c), or NULL: name outputs after it */
    struct vec items;     /* struct ast_item*: the parsed top level */
    struct vec imports;   /* struct src_import*: the imports it made that resolved */
    struct vec suppressions; /* struct suppression*: its `# obc:` comments,
                                recorded by the lexer (suppress.c) */
};

/* One resolved import: `from` imports `target` at `loc`. */
struct src_import {
    struct src_file *from;
    struct src_file *target;
    struct loc loc;
};

struct src_pos {
    uint32_t line;  /* 1-based */
    uint32_t col;   /* 1-based, in bytes (a tab counts as one column) */
};

struct obc;
struct src_file *src_add(struct obc *cc, const char *path, const char *dir,
                         const char *key, const char *text, size_t len);
struct src_file *src_get(const struct obc *cc, uint32_t id);
/* Makes f's line map (line_starts, nlines) unless it is made: only a
 * position asked for needs it. src_pos and src_line make it themselves. */
void src_line_map(struct src_file *f);
struct src_pos src_pos(struct src_file *f, uint32_t offset);
const char *src_line(struct src_file *f, uint32_t line, size_t *len);
struct loc loc_span(struct loc a, struct loc b); /* from a's start to b's end */
/* UTF-16 code units from the start of the line of `offset` to it: the
 * 0-based column of SARIF (columnKind utf16CodeUnits) and of the
 * Language Server Protocol. An invalid byte counts as one unit. */
uint32_t src_utf16_col(struct src_file *f, uint32_t offset);
/* The byte offset of 0-based `line` and UTF-16 column `col16` (LSP
 * positions): clamped to the end of the line, and to the end of the
 * file past the last line; never inside a UTF-8 sequence. */
uint32_t src_offset_utf16(struct src_file *f, uint32_t line, uint32_t col16);

/* Length (1..4) of the UTF-8 sequence at s, or 0 if it is invalid
 * (overlong, surrogate, out of range, truncated). *cp gets the code point. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Writes the UTF-8 encoding of the scalar value cp (not a surrogate,
 * at most 10FFFF) to out; returns its length (1..4). */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Characters (code points) of a UTF-8 string: what AWS counts. */
size_t utf8_chars(const char *s);

/* Trojan Source (OB1005, OB1006). The name of an invisible or
 * bidirectional control character ("RIGHT-TO-LEFT OVERRIDE"), or NULL
 * when cp is none: U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C,
 * U+200B-200D, U+2060, U+FEFF, U+00AD. */
const char *unicode_invisible_name(uint32_t cp);
/* Latin letters mixed with Cyrillic or Greek ones in one UTF-8 text. */
struct mixed_script {
    size_t at, len;         /* the first letter of the minority script, in bytes */
    uint32_t cp;            /* that letter */
    const char *script;     /* its script: "Latin", "Cyrillic" or "Greek" */
    const char *among;      /* the script of the other letters */
    const char *name;       /* its Unicode name if known ("CYRILLIC SMALL LETTER A"), or NULL */
    char looks_like;        /* the ASCII letter it looks like, or 0 */
};
/* True when s[0..n) has Latin letters and Cyrillic or Greek ones; *out
 * then names the first letter of whichever has fewer (the non-Latin
 * script on a tie). One pass; invalid UTF-8 is skipped. */
bool unicode_mixed_script(const char *s, size_t n, struct mixed_script *out);
/* A Cyrillic or Greek letter that looks like an ASCII one: that letter,
 * and the Unicode name in *name; else 0. */
char unicode_confusable(uint32_t cp, const char **name);

/* Reading files from disk or stdin; returns 0 or an errno value
 * (EISDIR for directories, EFBIG past LIMIT_FILE_BYTES, ENODEV for a
 * device, pipe or socket when regular_only is set). */
int src_read_file(struct arena *a, const char *path, bool regular_only, char **text, size_t *len);
/* The two halves of src_read_file. src_open opens `path` read-only and
 * non-blocking (so a FIFO never blocks the open), fstats the descriptor
 * and refuses, with the errors above, what it must not read: SRC_REGULAR
 * refuses anything but a regular file, and kernel pseudo-files (/proc,
 * /sys, ...); SRC_NOFOLLOW refuses a symbolic link as the last component
 * (ENODEV). src_read_fd reads at most `max` bytes (EFBIG past it) after
 * clearing O_NONBLOCK; the caller closes the descriptor. */
enum { SRC_REGULAR = 1u << 0, SRC_NOFOLLOW = 1u << 1 };
struct src_stat {
    uint64_t dev, ino; /* identity of the opened file */
    uint64_t size;     /* bytes, for a regular file; 0 otherwise */
};
int src_open(const char *path, unsigned flags, int *fd, struct src_stat *info);
int src_read_fd(struct arena *a, int fd, size_t size_hint, size_t max, char **text, size_t *len);
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
    size_t family_errors[10]; /* errors by code family: [2] counts OB2xxx */
    size_t warnings;
    size_t notes;        /* SEV_NOTE: counted apart, they never fail a run */
    size_t max;          /* at most this many are stored */
    size_t dropped;      /* emitted past `max` */
    struct diag hidden;  /* what diag_emit returns past `max`: never stored or shown */
    struct vec held;     /* struct suppress_held*: the code and place of each warning
                            past `max` in a file with suppression comments, so that
                            diag_apply_suppressions can uncount it (suppress.c) */
    bool document_terms; /* the input is a policy document: messages name its keys
                            (diag_terms.c) */
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
/* Gives back to the arena everything allocated since `mark`, keeping the
 * diagnostics stored since then (copied out and back in); `list_at_mark`
 * is diag.list as it was at the mark. False (nothing released) when the
 * copy cannot be made. */
bool diag_release_keeping(struct obc *cc, struct arena_mark mark, struct vec list_at_mark);
/* Takes d out of the counts (errors, family_errors, warnings, notes) of
 * `e`, for a caller that removes it from the list. */
void diag_uncount(struct diag_engine *e, const struct diag *d);
/* suppress.c: `# obc:ignore CODE -- reason` comments (docs/suppressions.md).
 * suppress_record keeps the comment f->text[start, end) (from its '#')
 * when it is an `obc:` directive; the lexer calls it for every comment,
 * and a comment already recorded (the file lexed again) is skipped.
 * diag_apply_suppressions runs once after all analysis, before
 * rendering: it removes the warnings the comments suppress from
 * cc->diag.list (fixing the counts), then reports the comments that are
 * malformed (OB9006) or suppress nothing (OB9005). */
struct suppression;
void suppress_record(struct obc *cc, struct src_file *f, uint32_t start, uint32_t end);
void diag_apply_suppressions(struct obc *cc);
/* diag_emit's part for a warning past the display limit: kept as code
 * and place when its file has suppression comments. */
void suppress_hold(struct obc *cc, enum diag_code code, struct loc loc);
/* The sidecar of a policy document (POLICY.json.obcignore): lines
 * `CODE, CODE -- reason` suppressing those warnings in all of doc. */
void suppress_read_sidecar(struct obc *cc, struct src_file *doc, struct src_file *sidecar);
/* Folding what several runs of the same analysis repeat (the effective
 * policies of many accounts): diag_fold_begin remembers every diagnostic
 * so far; diag_fold_since drops those emitted since `mark` (a length of
 * cc->diag.list) that repeat one (code, range and message), and records
 * `who` (the accounts a run is for) with the ones runs found; diag_fold_end appends
 * "(SINGULAR a)" or "(PLURAL a, b and 3 more)" to each of those. */
struct diag_fold;
struct diag_fold *diag_fold_begin(struct obc *cc);
void diag_fold_since(struct diag_fold *f, size_t mark, const char *const *who, size_t nwho);
void diag_fold_end(struct diag_fold *f, const char *singular, const char *plural);
/* diag_terms.c: `msg` in the words of a policy document: the language's
 * attributes as policy keys (delete_after -> delete_after_days), its
 * durations as numbers with units (390d -> 390 days); quoted text kept. */
const char *diag_document_terms(struct arena *a, const char *msg);
/* Whether the next diagnostic will be past the display limit (counted
 * but never shown), so work that only words it (a "did you mean"
 * search) can be skipped. */
bool diag_next_hidden(const struct obc *cc);

/* diag_render.c: text (gcc/clang shape) and JSON renderings */
enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON, DIAG_FORMAT_COMPACT, DIAG_FORMAT_GITHUB, DIAG_FORMAT_SARIF };
void diag_render_text(struct obc *cc, FILE *out, bool color);
void diag_render_json(struct obc *cc, FILE *out);
/* Appends cc's diagnostics, as diag_render_json writes them, to the JSON
 * array `array` (several compilations reported as one document). */
struct cJSON;
void diag_json_add(struct obc *cc, struct cJSON *array);
/* One line per diagnostic, file:line:col: severity[CODE]: message. */
void diag_render_compact(struct obc *cc, FILE *out);
/* GitHub Actions workflow commands, one per diagnostic:
 * ::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::message */
void diag_render_github(struct obc *cc, FILE *out);
void diag_render_summary(struct obc *cc, FILE *out, bool color);
/* diag_sarif.c: SARIF 2.1.0 (docs/cli.md). diag_sarif_log makes a log
 * with one run whose tool.driver lists every code as a rule;
 * diag_sarif_add appends cc's diagnostics to it as results (and cc's
 * files as artifacts), so several compilations make one log, which the
 * caller prints once (json_print) and frees (cJSON_Delete). */
struct cJSON;
struct cJSON *diag_sarif_log(void);
void diag_sarif_add(struct obc *cc, struct cJSON *log);
/* Untrusted text (anything that may come from the input or the command
 * line) made safe to print: valid UTF-8 without control, line-breaking
 * or bidirectional characters; those are written as \n, \t, \u{1b},
 * \u{202e}..., invalid bytes as \xff. text_safe returns s itself when
 * nothing needs escaping. report_error prints "obc: error: " and the
 * formatted message, escaped, and a newline. */
void text_put_safe(FILE *out, const char *s);
const char *text_safe(struct arena *a, const char *s);
void report_error(FILE *out, const char *fmt, ...) OBC_PRINTF(2, 3);
void report_verror(FILE *out, const char *fmt, va_list ap) OBC_PRINTF(2, 0);


/* ------------------------------------------------------------------ */
/* suggest.c: "did you mean"                                           */

/* The closest of `candidates` (const char*), or NULL if none is close. */
const char *suggest_name(const char *name, const char *const *candidates, size_t n);
const char *suggest_from_vec(const char *name, const struct vec *candidates);


/* Files embedded at build time by tools/embed: stdlib_data.c (stdlib/)
 * and explain_data.c (docs/codes/). */
struct embedded_file {
    const char *name;  /* "aws.ob", "OB4002.md" */
    const char *text;
    size_t len;
};
extern const struct embedded_file stdlib_files[];
extern const size_t stdlib_files_count;
/* The syntax tree of stdlib_files[i], made at build time (tools/stdsnap.c,
 * ast_snapshot.c), for i < stdlib_asts_count. */
extern const unsigned char *const stdlib_asts[];
extern const size_t stdlib_asts_count;
extern const struct embedded_file explain_files[];
extern const size_t explain_files_count;

/* ------------------------------------------------------------------ */
/* wildcard.c: text against a pattern with `*` (and `?`) wildcards     */

enum { WILD_FOLD = 1u << 0, WILD_QUESTION = 1u << 1 };
bool wildcard_match(const char *pat, const char *s, unsigned flags);

/* ------------------------------------------------------------------ */
/* strmap.c: a map from strings to values (pointers, not NULL) in the arena, for
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

/* ------------------------------------------------------------------ */
/* ptrset.c: a hash set of keys (tag, a, b) -- a small number and two
 * pointers, b may be NULL -- each with a value, in the arena; expected
 * constant time per call, so membership tests inside loops stay linear.
 * Zero-initialized is empty; nothing is ever removed; only membership
 * and values are ever asked, so the set's order never shows. */
struct ptrset_slot;
struct ptrset {
    struct ptrset_slot *slots;
    size_t cap, count;
};
/* The value of (tag, a, b), added with value NULL when new (*added tells
 * which). The pointer is valid until the next ptrset_put on the set. */
void **ptrset_put(struct arena *ar, struct ptrset *s, unsigned tag, const void *a, const void *b, bool *added);
void *ptrset_get(const struct ptrset *s, unsigned tag, const void *a, const void *b); /* NULL: absent */
bool ptrset_add_key(struct arena *ar, struct ptrset *s, unsigned tag, const void *a, const void *b); /* true: new */
/* Memos: the value of (tag, a, b); for a new key a zeroed object of
 * `size` bytes is made its value and *fresh is set, for the caller to
 * fill. The object stays where it is as the set grows. */
void *ptrset_memo(struct arena *ar, struct ptrset *s, unsigned tag, const void *a, const void *b, size_t size,
                  bool *fresh);
/* Sets of single pointers (tag 0, b NULL). */
bool ptrset_has(const struct ptrset *s, const void *p);
bool ptrset_add(struct arena *ar, struct ptrset *s, const void *p); /* true when p was new */
void ptrset_add_all(struct arena *ar, struct ptrset *s, const struct vec *v);
/* Appends `item` to `v` unless `seen` (the set of v's items) has it. */
void vec_push_new(struct arena *ar, struct vec *v, struct ptrset *seen, void *item);
/* Appends to `out` the items of `of` that `in` lacks, in the order of
 * `of`, once each. */
void vec_missing(struct arena *ar, const struct vec *of, const struct vec *in, struct vec *out);

/* ------------------------------------------------------------------ */
/* json_out.c: JSON documents (diagnostics, policies, the manifest)     */

struct cJSON;
/* Deterministic printing: pretty (2-space indent, trailing newline) or
 * minified. Returns a malloc'd string (caller frees) or NULL. */
char *json_print(const struct cJSON *doc, bool pretty);
/* The characters json_print would write (UTF-8 sequences), counted
 * without printing. */
size_t json_chars(const struct cJSON *doc, bool pretty);
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
struct cJSON *json_add_string(struct json_doc *d, struct cJSON *parent, const char *key, const char *s);
struct cJSON *json_add_bool(struct json_doc *d, struct cJSON *parent, const char *key, bool v);
void json_add_int(struct json_doc *d, struct cJSON *parent, const char *key, int64_t v);
struct cJSON *json_add_strings(struct json_doc *d, struct cJSON *parent, const char *key,
                               const struct vec *strings); /* const char* items; returns the array */
/* The string under `key` of object `obj`, or NULL (no such key, not a
 * string, obj NULL): reading what an emitter built (the manifest). */
const char *json_string_at(const struct cJSON *obj, const char *key);
/* An array added as the FIRST member of object `parent` (constant time). */
struct cJSON *json_add_array_first(struct json_doc *d, struct cJSON *parent, const char *key);

/* ------------------------------------------------------------------ */
/* context.c: the compilation                                           */

/* One --var NAME=VALUE (template.c): NAME is checked by template_name_valid. */
struct template_var {
    const char *name;
    const char *value;
};

/* The outputs of `obc compile --emit` (docs/deploy.md). */
enum emit_kind {
    EMIT_POLICY = 1u << 0,         /* NAME.json, each policy */
    EMIT_MANIFEST = 1u << 1,       /* obc.manifest.json */
    EMIT_CLOUDFORMATION = 1u << 2, /* obc.members.template.json, obc.account.NAME.template.json */
    EMIT_TERRAFORM = 1u << 3,      /* obc.tf.json (reads the policies and templates) */
};
#define EMIT_DEFAULT (EMIT_POLICY | EMIT_MANIFEST)
#define EMIT_ALL (EMIT_POLICY | EMIT_MANIFEST | EMIT_CLOUDFORMATION | EMIT_TERRAFORM)

struct obc_options {
    const char *stdlib_dir;  /* read std/... from here instead of the
                                embedded copy (NULL: embedded) */
    const char *root_dir;    /* imports must stay inside this directory
                                (NULL: the directory of each input file) */
    unsigned emit;           /* enum emit_kind bits: what obc_emit renders
                                (0: EMIT_DEFAULT) */
    bool minify;             /* write policies without whitespace */
    const struct template_var *vars; /* --var, in command-line order (the last
                                        one of a name wins) */
    size_t nvars;
    bool standalone;         /* a policy document must be complete by itself */
    bool judge_only;         /* obc check: obc_emit measures and checks what it
                                would write, and renders nothing */
    bool keep_effective;     /* obc effective: obc_analyze keeps each account's
                                effective policy (obc.effective) */
};

struct ir_program;
struct obc {
    struct arena arena;
    struct diag_engine diag;
    struct vec files;          /* struct src_file*, id-1 indexed */
    struct obc_options opts;
    struct ir_program *prog;   /* set by sema_run */
    struct vec effective;      /* struct eff_account* (effective.c): each account's
                                  effective policy, set by obc_analyze */
    struct rule_cal *overlap_calendars; /* check_overlap.c's calendars, made once and
                                  reused by every plan and effective policy */
};

void obc_init(struct obc *cc, const struct obc_options *opts);
void obc_free(struct obc *cc);

#endif /* OBC_BASE_H */
