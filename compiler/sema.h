/*
 * sema.h - semantic analysis: the block schema (schema.c), the namespace
 * (symtab.c), typed value readers (sema_values.c), identifier formats
 * (sema_ids.c), and lowering the AST into the IR (sema.c, sema_block.c,
 * lower_*.c, schedule.c, selector.c).
 */
#ifndef OBC_SEMA_H
#define OBC_SEMA_H

#include "front.h"
#include "ir.h"

/* ------------------------------------------------------------------ */
/* sema.c and friends: collect declarations, check, lower to the IR    */

/* Value types of attributes; each has one reader (sema_block.c). */
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
    VT_REF,        /* one declaration of attr_spec.kinds */
    VT_REFS,       /* list of declarations of attr_spec.kinds (one alone is fine) */
    VT_STRINGS,    /* list of strings */
    VT_ENUM,       /* one identifier of attr_spec.choices */
};

#define ATTR_REQUIRED 1u
/* The attribute the short form `word NAME = value` of a declaration that
 * takes both forms sets (schema.def DECL); at most one per block. */
#define ATTR_SHORT 2u
/* A multi-valued setting that takes += (@@append) and -= (@@remove)
 * besides = (docs/language.md, "Inheritance"); every other attribute
 * rejects them (OB8101). */
#define ATTR_LIST_OP 4u

/* Block kinds and attribute slots, generated from schema.def. */
enum block_kind {
    BK_NONE = -1,
#define BLOCK(kind, word, parent, example) kind,
#include "schema.def"
    BK_COUNT
};

enum attr_id {
#define ATTR(id, block, name, type, kinds, flags, choices, what) id,
#include "schema.def"
    ATTR_COUNT
};

struct attr_spec {
    enum block_kind block;
    const char *name;
    enum vtype type;
    unsigned kinds;               /* references: the KIND() set they may name */
    unsigned flags;               /* ATTR_REQUIRED, ATTR_SHORT, ATTR_LIST_OP */
    const char *const *choices;   /* VT_ENUM, NULL-terminated */
    const char *what;             /* one-line description for help text */
};

struct block_spec {
    enum block_kind kind;
    const char *word;             /* "vault" */
    enum block_kind parent;       /* BK_NONE: a top-level block */
    const char *example;          /* how the block head is written */
};

/* A named top-level declaration form (schema.def DECL). */
struct decl_spec {
    const char *word;             /* "vault" */
    enum decl_kind kind;
    enum item_form form;          /* ITEM_ASSIGN or ITEM_BLOCK */
    size_t size;                  /* of its IR struct */
    enum block_kind block;        /* ITEM_BLOCK: its attributes; ITEM_ASSIGN: BK_NONE, or the
                                     block of its long form (both forms are taken) */
    const char *example;
};

const struct attr_spec *schema_attr(enum attr_id id);
const struct block_spec *schema_block(enum block_kind k);
/* The block kind written `word`, at the top level or nested. */
const struct block_spec *schema_block_by_word(const char *word, bool top_level);
/* The attribute `name` of block `k`: the only lookup of an attribute by
 * its name, made once per attribute written in a program. */
bool schema_attr_lookup(enum block_kind k, const char *name, enum attr_id *out);
/* The ATTR_SHORT attribute of block `k`, or ATTR_COUNT. */
enum attr_id schema_short_attr(enum block_kind k);
const struct decl_spec *schema_decl_by_word(const char *word);
const struct decl_spec *schema_decls(size_t *n);
/* Every word that starts a top-level item: the declarations, the
 * top-level blocks without a name (organization) and import. */
const char *const *schema_top_words(size_t *n);
/* "account, ou, ..., policy (and import)" for help texts. */
const char *schema_top_words_text(struct arena *a);

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
    bool partial_plan;       /* lowering a plan with partial = true (and its rules) */
    struct vec unknown;      /* struct sema_unknown*: names that resolved to nothing,
                                in the order they were met */
};

/* A name that resolved to nothing, and where (sema_missing_import.c
 * looks them up again with the standard library loaded). */
struct sema_unknown {
    const char *name;
    struct loc loc;
};

/* A block whose attributes passed the generic checks (sema_block.c). */
struct block {
    const struct ast_item *item;
    const struct block_spec *spec;
    const struct ast_item *attr[ATTR_COUNT]; /* by attribute id; NULL if absent */
    const struct ast_item *misspelt[ATTR_COUNT]; /* an unknown attribute that "did you mean" took for this one */
    struct vec children;          /* const struct ast_item*: `children [NAME] = ...` items,
                                     in a block that emits a document node */
};
/* Checks a block against its schema and fills `out`; then reports the
 * required attributes that are missing (OB2004), except for a block of a
 * partial plan (s->partial_plan), where every attribute may be absent. */
void sema_block(struct sema *s, const struct ast_item *item, enum block_kind kind,
                struct block *out);
/* The same without the report of missing attributes (sema_block_require
 * makes it once the caller knows whether they are required). */
void sema_block_read(struct sema *s, const struct ast_item *item, enum block_kind kind, struct block *out);
void sema_block_require(struct sema *s, const struct block *b);
/* The operator written for attribute `id` (=, += or -=); IR_OP_ASSIGN
 * when it is absent or rejected += / -= (OB8101). */
enum ir_list_op blk_op(const struct block *b, enum attr_id id);
/* sema_controls.c: the block's `children` items as struct ir_control*
 * appended to `out` (OB8101, OB2005, OB2003, OB2006). */
void sema_controls(struct sema *s, const struct block *b, struct vec *out);
/* OB8101 for a control of selection `sel` on a key none of its entries
 * has (tag_value in a selection of resource-type entries, ...). */
void sema_selection_controls(struct sema *s, const struct ir_selection *sel);
/* The value written for attribute `id` (of b's block), or NULL. For the
 * types whose lowering is special (schedules, matches, roles, grants). */
const struct ast_value *blk_value(const struct block *b, enum attr_id id);
/* Where attribute `id` was written (its value), or LOC_NONE. */
struct loc blk_loc(const struct block *b, enum attr_id id);

/* Readers of one attribute, each choosing the value reader that the
 * attribute's declared type names (VT_DAYS or VT_MINUTES for blk_num,
 * the kinds a reference may name, the choices of an enum). They fill
 * the IR value (or `at`) with its state: IR_ABSENT when the attribute is
 * not written (the value keeps what the caller put there, a default),
 * IR_SET, or IR_REJECTED after reporting why (a wrong value, or only a
 * misspelling of the attribute written); and return that state. */
enum ir_state blk_text(struct sema *s, const struct block *b, enum attr_id id, struct ir_text *out);
enum ir_state blk_flag(struct sema *s, const struct block *b, enum attr_id id, struct ir_flag *out);
enum ir_state blk_num(struct sema *s, const struct block *b, enum attr_id id, struct ir_num *out);
/* VT_STRINGS, VT_TAGMAP, VT_REFS, VT_PRINCIPALS: appends to `out`. */
enum ir_state blk_list(struct sema *s, const struct block *b, enum attr_id id, struct vec *out,
                       struct ir_attr *at);
/* VT_REF: the declaration named, or NULL. */
struct ir_decl *blk_ref(struct sema *s, const struct block *b, enum attr_id id, struct ir_attr *at);
/* VT_PRINCIPAL */
enum ir_state blk_principal(struct sema *s, const struct block *b, enum attr_id id, struct ir_principal *out);
/* VT_ENUM: the index of the choice written, or -1 (absent or rejected). */
int blk_enum(struct sema *s, const struct block *b, enum attr_id id, struct ir_attr *at);

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
/* OB1006: warns when the string v, used as `what` ("tag key"), mixes
 * Latin letters with Cyrillic or Greek ones. */
void val_check_scripts(struct sema *s, const struct ast_value *v, const char *what);
/* Looks a name up; reports OB2001/OB2008 (unknown, with "did you mean")
 * or OB2003 (wrong kind) and returns NULL. Marks the declaration used. */
struct ir_decl *sema_resolve(struct sema *s, const char *name, struct loc loc,
                             unsigned kinds);


/* sema.c */
struct ir_program *sema_run(struct obc *cc);
/* One analysis of the files loaded, as sema_run without its recovery
 * from a missing import "std/aws" (sema.c). */
struct sema *sema_analyze(struct obc *cc, bool vocabulary_only);
/* A program of the standard library and the program's own vocabulary
 * (its partitions, regions and resource types) alone, beside the one
 * sema_run made: where effective policies are lowered (effective.c). */
struct ir_program *sema_run_vocabulary(struct obc *cc);

/* json_lower.c: BACKUP_POLICY documents (json_in.c) into `prog`, which
 * holds the standard library. json_lowering_begin starts one lowering
 * for all the documents of a compilation; json_lower then adds one
 * policy per document, named after file `f` and marked `document`, whose
 * vaults are `external` (one declaration per vault, however many
 * documents name it). `standalone`: each missing required key is an error
 * (OB1115), else one note per document (OB1114). */
struct json_lowering;
struct json_lowering *json_lowering_begin(struct obc *cc, struct ir_program *prog, bool standalone);
/* Another lowering like `base` (which has lowered nothing yet) into
 * `prog`, a copy of base's program: the index of its Regions is shared,
 * not built again (effective.c lowers each account's policy this way). */
struct json_lowering *json_lowering_again(const struct json_lowering *base, struct ir_program *prog);
struct ir_policy *json_lower(struct json_lowering *L, struct src_file *f, const struct json_value *doc);
/* json_controls.c: the @@operators_allowed_for_child_policies of `doc`
 * as the controls of `pol` and of its plans, rules, copies and
 * selections (json_lower calls it). */
void json_lower_controls(struct obc *cc, struct ir_policy *pol, const struct json_value *doc);
/* What a missing required key is, instead of `standalone`'s choice: for a
 * policy of a chain (obc effective FILE...) nothing, for an effective
 * policy an error (OB8104). */
enum json_missing { JSON_MISSING_NOTE, JSON_MISSING_ERROR, JSON_MISSING_IGNORED, JSON_MISSING_EFFECTIVE };
void json_lowering_missing(struct json_lowering *L, enum json_missing mode);
/* Characters of a JSON text without the whitespace between tokens: what
 * AWS counts for a minified policy. */
size_t json_minified_chars(const char *text, size_t len);

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
/* lower_ops.c: notifications, restore tests, audit frameworks */
void lower_event(struct sema *s, const struct ast_item *it, struct ir_event *e);
void lower_notify(struct sema *s, const struct ast_item *it, struct ir_notify *n);
void lower_restore_test(struct sema *s, const struct ast_item *it, struct ir_restore_test *t);
void lower_audit_control(struct sema *s, const struct ast_item *it, struct ir_audit_control *c);
void lower_audit_framework(struct sema *s, const struct ast_item *it, struct ir_audit_framework *f);
struct ir_role *lower_role_value(struct sema *s, const struct ast_value *v);
/* A permission set named, or written as a list of actions; `at` gets
 * IR_REJECTED when it or one of its actions was rejected. */
struct ir_permissions *lower_grants(struct sema *s, const struct ast_value *v, struct ir_attr *at);
bool lower_role_arn(struct sema *s, const char *arn, struct loc loc);


/* schedule.c: schedule values (phrases and cron("...")) to one cron */
const char *sched_lower(struct sema *s, const struct ast_value *v, struct cron *out);

/* selector.c: match expressions to AWS selection entries */
bool sel_lower(struct sema *s, const struct ast_value *match, struct ir_selection *sel);
/* Plan-level selection rules: OB5004 (tags and resources mixed), OB5005
 * (more than 10 tag entries, more than 100 entries), OB5006 (none). */
void sel_check_plan(struct sema *s, struct ir_plan *plan);


#endif /* OBC_SEMA_H */
