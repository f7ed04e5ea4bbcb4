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


/* schedule.c: schedule values (phrases and cron("...")) to one cron */
const char *sched_lower(struct sema *s, const struct ast_value *v, struct cron *out);

/* selector.c: match expressions to AWS selection entries */
bool sel_lower(struct sema *s, const struct ast_value *match, struct ir_selection *sel);
/* Plan-level selection rules: OB5004 (tags and resources mixed), OB5005
 * (more than 10 tag entries, more than 100 entries), OB5006 (none). */
void sel_check_plan(struct sema *s, struct ir_plan *plan);


#endif /* OBC_SEMA_H */
