/*
 * selector.c - match expressions to AWS selection entries.
 *
 * Owns, for one selection: the shape of its `match` expression (every
 * comparison must be a tag test or a type test, OB2003), the normal form
 * (`not` pushed down with De Morgan, then disjunctive normal form, bounded
 * by LIMIT_DNF_GROUPS while it is being expanded), the mapping of every
 * and-group to one struct ir_sel_entry (tags or resources entry,
 * OB5001-OB5003, the per-entry quotas of OB5005) and the entry names.
 * For one plan: the rules over all its selections (OB5004, OB5005,
 * OB5006) and clashes between entry names.
 *
 * Does not: look names up itself (sema_resolve does, and reports unknown
 * ones), build JSON (emit_policy.c does) or read anything but the match
 * expression and the IR. Output order follows the source only.
 */
#include "sema.h"

#include <string.h>


/* How many list values a help text shows before "...". */
#define HELP_VALUES 3

/* One comparison of the match expression, checked and resolved. */
struct atom {
    bool is_type;          /* `type in` / `type not in`; else a tag test */
    const char *key;       /* tag test: the tag key */
    struct vec values;     /* tag test: const char*, source order, no duplicates */
    struct vec types;      /* type test: struct ir_restype*, no duplicates */
    struct loc loc;        /* the whole comparison */
    struct lit *as_is;     /* the atom itself ... */
    struct lit *negated;   /* ... and under an odd number of `not` */
};

/* An atom with the operator it has after `not` was pushed down. */
struct lit {
    const struct atom *atom;
    enum cmp_op op;
};

/* The match expression with every comparison checked. */
enum bx_kind { BX_ATOM, BX_AND, BX_OR, BX_NOT };
struct bexpr {
    enum bx_kind kind;
    const struct bexpr *l, *r; /* AND, OR: both; NOT: l */
    const struct atom *atom;   /* ATOM */
};

/* One and-group while the normal form is built: a tree of literals whose
 * leaves, left to right, are the group's literals in source order. Sharing
 * subtrees keeps expansion linear in the number of groups. */
struct conj {
    const struct lit *lit;     /* leaf */
    const struct conj *l, *r;  /* inner node */
};

struct selctx {
    struct sema *s;
    struct obc *cc;
    struct arena *a;
    const struct ast_value *match;
};

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static bool is_positive(enum cmp_op op)
{
    return op == CMP_EQ || op == CMP_IN;
}

static enum cmp_op negate_op(enum cmp_op op)
{
    static const enum cmp_op negated[] = {
        [CMP_EQ] = CMP_NE,         [CMP_NE] = CMP_EQ,       [CMP_IN] = CMP_NOT_IN,
        [CMP_NOT_IN] = CMP_IN,     [CMP_LIKE] = CMP_NOT_LIKE, [CMP_NOT_LIKE] = CMP_LIKE,
    };
    return negated[op];
}

static bool strings_have(const struct vec *v, const char *s)
{
    for (size_t i = 0; i < v->len; i++)
        if (strcmp(VEC_GET(const char, *v, i), s) == 0)
            return true;
    return false;
}

static bool types_have_any(const struct vec *types)
{
    for (size_t i = 0; i < types->len; i++)
        if (VEC_GET(struct ir_restype, *types, i)->is_any)
            return true;
    return false;
}

/* The source text of a range (for help texts that repeat what was
 * written); the ranges are those of values the parser read from a file. */
static const char *src_text(struct selctx *c, struct loc loc)
{
    struct src_file *f = src_get(c->cc, loc.file);
    return arena_strndup(c->a, f->text + loc.start, loc.end - loc.start);
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* The range of the operator of a comparison: the text between its two
 * operands (never empty: the operator is there), without the blanks. */
static struct loc op_loc(struct selctx *c, const struct ast_value *cmp)
{
    struct src_file *f = src_get(c->cc, cmp->loc.file);
    uint32_t start = cmp->lhs->loc.end, end = cmp->rhs->loc.start;
    while (start < end && is_blank(f->text[start]))
        start++;
    while (end > start && is_blank(f->text[end - 1]))
        end--;
    return (struct loc){cmp->loc.file, start, end};
}

/* A string as it would be written in a program: "a\"b". */
static void put_quoted(struct arena *a, struct strbuf *b, const char *s)
{
    sb_puts(a, b, "\"");
    for (; *s; s++) {
        switch (*s) {
        case '"': sb_puts(a, b, "\\\""); break;
        case '\\': sb_puts(a, b, "\\\\"); break;
        case '\n': sb_puts(a, b, "\\n"); break;
        case '\t': sb_puts(a, b, "\\t"); break;
        default: sb_putn(a, b, s, 1); break;
        }
    }
    sb_puts(a, b, "\"");
}

static const char *quoted(struct arena *a, const char *s)
{
    struct strbuf b = {0};
    put_quoted(a, &b, s);
    return sb_str(a, &b);
}

/* ["a", "b", ...] with at most HELP_VALUES values. */
static const char *values_text(struct arena *a, const struct vec *values)
{
    struct strbuf b = {0};
    sb_puts(a, &b, "[");
    for (size_t i = 0; i < values->len && i < HELP_VALUES; i++) {
        if (i)
            sb_puts(a, &b, ", ");
        put_quoted(a, &b, VEC_GET(const char, *values, i));
    }
    if (values->len > HELP_VALUES)
        sb_puts(a, &b, ", ...");
    sb_puts(a, &b, "]");
    return sb_str(a, &b);
}

/* rds, aurora */
static const char *types_text(struct arena *a, const struct vec *types)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < types->len; i++) {
        if (i)
            sb_puts(a, &b, ", ");
        sb_puts(a, &b, VEC_GET(struct ir_restype, *types, i)->d.name);
    }
    return sb_str(a, &b);
}

/* A literal as it would be written: tag("env") in ["a", "b"], type not in [s3]. */
static const char *lit_text(struct arena *a, const struct lit *l)
{
    const struct atom *at = l->atom;
    if (at->is_type)
        return arena_printf(a, "type %s [%s]", cmp_op_text(l->op), types_text(a, &at->types));
    if (l->op == CMP_IN || l->op == CMP_NOT_IN)
        return arena_printf(a, "tag(%s) %s %s", quoted(a, at->key), cmp_op_text(l->op),
                            values_text(a, &at->values));
    return arena_printf(a, "tag(%s) %s %s", quoted(a, at->key), cmp_op_text(l->op),
                        quoted(a, VEC_GET(const char, at->values, 0)));
}

/* Tag values as alternatives: tag("k") == "a" for one value, else
 * (tag("k") == "a" or tag("k") == "b"), at most HELP_VALUES, then "or ...".
 * This is how a help rewrites an `in` list that AWS cannot take. */
static const char *alternatives_text(struct arena *a, const char *key, const struct vec *values)
{
    struct strbuf b = {0};
    bool several = values->len > 1;
    if (several)
        sb_puts(a, &b, "(");
    for (size_t i = 0; i < values->len && i < HELP_VALUES; i++) {
        if (i)
            sb_puts(a, &b, " or ");
        sb_puts(a, &b, "tag(");
        put_quoted(a, &b, key);
        sb_puts(a, &b, ") == ");
        put_quoted(a, &b, VEC_GET(const char, *values, i));
    }
    if (values->len > HELP_VALUES)
        sb_puts(a, &b, " or ...");
    if (several)
        sb_puts(a, &b, ")");
    return sb_str(a, &b);
}

/* Whether `not` turned the literal into the opposite of what was written
 * (helps then show the literal as it is now, since the source shows the
 * written form). */
static bool is_negated(const struct lit *l)
{
    return l == l->atom->negated;
}

/* ------------------------------------------------------------------ */
/* checking the comparisons                                            */

static struct atom *atom_new(struct selctx *c, const struct ast_value *cmp, bool is_type)
{
    struct atom *at = arena_alloc(c->a, sizeof *at);
    at->is_type = is_type;
    at->loc = cmp->loc;
    at->as_is = arena_alloc(c->a, sizeof *at->as_is);
    at->as_is->atom = at;
    at->as_is->op = cmp->op;
    at->negated = arena_alloc(c->a, sizeof *at->negated);
    at->negated->atom = at;
    at->negated->op = negate_op(cmp->op);
    return at;
}

/* The text a help shows for a value that should have been a string. */
static const char *as_string_text(struct selctx *c, const struct ast_value *v)
{
    if (v->kind == AST_STRING)
        return quoted(c->a, v->text);
    if (v->kind == AST_IDENT || v->kind == AST_INT || v->kind == AST_DURATION || v->kind == AST_TIME)
        return quoted(c->a, src_text(c, v->loc));
    return "\"value\"";
}

/* The key of tag("K"), or NULL after reporting what is wrong with it. */
static const char *check_tag_key(struct selctx *c, const struct ast_value *call)
{
    size_t n = call->items.len;
    if (n != 1) {
        struct diag *d = diag_emit(c->cc, OB2003, call->loc,
                                   "expected one tag key in 'tag(...)', found %zu arguments", n);
        const struct ast_value *a0 = n ? VEC_GET(struct ast_value, call->items, 0) : NULL;
        const struct ast_value *a1 = n > 1 ? VEC_GET(struct ast_value, call->items, 1) : NULL;
        if (n == 2 && a0->kind == AST_STRING && a1->kind == AST_STRING)
            diag_help(c->cc, d, "compare the tag with its value: write tag(%s) == %s",
                      quoted(c->a, a0->text), quoted(c->a, a1->text));
        else
            diag_help(c->cc, d, "write tag(\"key\") == \"value\"");
        return NULL;
    }
    const struct ast_value *k = VEC_GET(struct ast_value, call->items, 0);
    if (k->kind != AST_STRING) {
        struct diag *d = diag_emit(c->cc, OB2003, k->loc, "expected the tag key as a string, found %s",
                                   ast_describe(c->a, k));
        diag_help(c->cc, d, "quote the key: write tag(%s)", as_string_text(c, k));
        return NULL;
    }
    if (k->text_len == 0) {
        struct diag *d = diag_emit(c->cc, OB2003, k->loc, "the tag key is empty");
        diag_help(c->cc, d, "write the key of the tag, e.g. tag(\"backup\")");
        return NULL;
    }
    val_check_scripts(c->s, k, "tag key");
    return k->text;
}

/* tag("K") == x, != x, like x, not like x: x must be one string. */
static bool check_tag_scalar(struct selctx *c, const struct ast_value *cmp, const char *key,
                             struct atom *at)
{
    const struct ast_value *rhs = cmp->rhs;
    if (rhs->kind == AST_STRING) {
        vec_push(c->a, &at->values, (void *)rhs->text);
        return true;
    }
    const char *op = cmp_op_text(cmp->op);
    struct diag *d = diag_emit(c->cc, OB2003, rhs->loc, "expected a string after '%s', found %s", op,
                               ast_describe(c->a, rhs));
    const char *k = quoted(c->a, key ? key : "key");
    if (rhs->kind == AST_LIST && (cmp->op == CMP_EQ || cmp->op == CMP_NE))
        diag_help(c->cc, d, "to test several values write tag(%s) %s %s", k,
                  cmp->op == CMP_EQ ? "in" : "not in", src_text(c, rhs->loc));
    else if (rhs->kind == AST_LIST)
        diag_help(c->cc, d, "'%s' takes one pattern; join several with 'or': tag(%s) %s \"a*\" or tag(%s) %s \"b*\"",
                  op, k, op, k, op);
    else
        diag_help(c->cc, d, "write tag(%s) %s %s", k, op, as_string_text(c, rhs));
    return false;
}

/* tag("K") in [...], not in [...]: a non-empty list of strings. */
static bool check_tag_list(struct selctx *c, const struct ast_value *cmp, const char *key,
                           struct atom *at)
{
    const struct ast_value *rhs = cmp->rhs;
    const char *op = cmp_op_text(cmp->op);
    const char *k = quoted(c->a, key ? key : "key");
    if (rhs->kind != AST_LIST) {
        struct diag *d = diag_emit(c->cc, OB2003, rhs->loc, "expected a list of strings after '%s', found %s",
                                   op, ast_describe(c->a, rhs));
        diag_help(c->cc, d, "write tag(%s) %s [%s]", k, op, as_string_text(c, rhs));
        return false;
    }
    if (rhs->items.len == 0) {
        struct diag *d = diag_emit(c->cc, OB2003, rhs->loc, "expected at least one value after '%s', found an empty list",
                                   op);
        diag_help(c->cc, d, "list the tag values, e.g. tag(%s) %s [\"a\", \"b\"]", k, op);
        return false;
    }
    bool ok = true;
    struct strmap seen = {0}; /* the values in at->values, a new atom's */
    for (size_t i = 0; i < rhs->items.len; i++) {
        const struct ast_value *v = VEC_GET(struct ast_value, rhs->items, i);
        if (v->kind != AST_STRING) {
            struct diag *d = diag_emit(c->cc, OB2003, v->loc, "expected a string as tag value, found %s",
                                       ast_describe(c->a, v));
            diag_help(c->cc, d, "quote the value: %s", as_string_text(c, v));
            ok = false;
        } else if (!strmap_put_new(c->a, &seen, v->text, (void *)v->text)) {
            vec_push(c->a, &at->values, (void *)v->text);
        }
    }
    return ok;
}

static const struct atom *check_tag_test(struct selctx *c, const struct ast_value *cmp)
{
    struct atom *at = atom_new(c, cmp, false);
    at->key = check_tag_key(c, cmp->lhs);
    bool ok = at->key != NULL;
    if (cmp->op == CMP_IN || cmp->op == CMP_NOT_IN)
        ok &= check_tag_list(c, cmp, at->key, at);
    else
        ok &= check_tag_scalar(c, cmp, at->key, at);
    return ok ? at : NULL;
}

/* What a help shows inside `type in [...]` for a wrong right-hand side. */
static const char *type_list_text(struct selctx *c, const struct ast_value *rhs)
{
    if (rhs->kind == AST_IDENT)
        return rhs->text;
    if (rhs->kind == AST_STRING && rhs->text_len)
        return rhs->text;
    if (rhs->kind == AST_LIST && rhs->items.len) {
        const char *t = src_text(c, rhs->loc);
        size_t n = strlen(t);
        return arena_strndup(c->a, t + 1, n - 2); /* without the brackets */
    }
    return "rds";
}

/* One name of a `type in` list, resolved; NULL after an error. */
static struct ir_restype *check_type_name(struct selctx *c, const struct ast_value *v)
{
    if (v->kind != AST_IDENT) {
        struct diag *d = diag_emit(c->cc, OB2003, v->loc, "expected a resource type, found %s",
                                   ast_describe(c->a, v));
        if (v->kind == AST_STRING && v->text_len && sym_lookup(&c->s->syms, v->text))
            diag_help(c->cc, d, "write the name without quotes: %s", v->text);
        else
            diag_help(c->cc, d, "name a resource type such as rds or s3, or any for every type");
        return NULL;
    }
    return (struct ir_restype *)sema_resolve(c->s, v->text, v->loc, KIND(DK_RESOURCE_TYPE));
}

static const struct atom *check_type_test(struct selctx *c, const struct ast_value *cmp)
{
    const struct ast_value *rhs = cmp->rhs;
    if (cmp->op != CMP_IN && cmp->op != CMP_NOT_IN) {
        struct diag *d = diag_emit(c->cc, OB2003, op_loc(c, cmp),
                                   "'type' is tested with 'in' or 'not in', found '%s'", cmp_op_text(cmp->op));
        diag_help(c->cc, d, "write type %s [%s]", cmp->op == CMP_NE || cmp->op == CMP_NOT_LIKE ? "not in" : "in",
                  type_list_text(c, rhs));
        return NULL;
    }
    const char *op = cmp_op_text(cmp->op);
    if (rhs->kind != AST_LIST) {
        struct diag *d = diag_emit(c->cc, OB2003, rhs->loc, "expected a list of resource types after '%s', found %s",
                                   op, ast_describe(c->a, rhs));
        diag_help(c->cc, d, "write type %s [%s]", op, type_list_text(c, rhs));
        return NULL;
    }
    if (rhs->items.len == 0) {
        struct diag *d = diag_emit(c->cc, OB2003, rhs->loc,
                                   "expected at least one resource type after '%s', found an empty list", op);
        diag_help(c->cc, d, "name the types, e.g. type %s [rds], or type in [any] for every type", op);
        return NULL;
    }
    struct atom *at = atom_new(c, cmp, true);
    struct ptrset seen = {0};
    bool ok = true;
    for (size_t i = 0; i < rhs->items.len; i++) {
        struct ir_restype *t = check_type_name(c, VEC_GET(struct ast_value, rhs->items, i));
        if (!t)
            ok = false;
        else
            vec_push_new(c->a, &at->types, &seen, t);
    }
    return ok ? at : NULL;
}

/* Help for a comparison whose left side is neither tag("K") nor type. */
static void help_for_subject(struct selctx *c, struct diag *d, const struct ast_value *cmp)
{
    const struct ast_value *lhs = cmp->lhs, *rhs = cmp->rhs;
    const char *op = cmp_op_text(cmp->op);
    bool list_of_names = rhs->kind == AST_LIST && rhs->items.len &&
                         VEC_GET(struct ast_value, rhs->items, 0)->kind == AST_IDENT;
    static const char *const subjects[] = {"tag", "type"};
    const char *near = lhs->kind == AST_IDENT || lhs->kind == AST_CALL ? suggest_name(lhs->text, subjects, 2) : NULL;
    if (list_of_names || (near && strcmp(near, "type") == 0) ||
        (lhs->kind == AST_IDENT && strcmp(lhs->text, "types") == 0)) {
        diag_help(c->cc, d, "write type %s [%s]", cmp->op == CMP_NOT_IN || cmp->op == CMP_NE ? "not in" : "in",
                  type_list_text(c, rhs));
        return;
    }
    const char *key = "key";
    if (lhs->kind == AST_STRING || lhs->kind == AST_IDENT)
        key = lhs->text;
    else if (lhs->kind == AST_CALL && lhs->items.len == 1 &&
             VEC_GET(struct ast_value, lhs->items, 0)->kind == AST_STRING)
        key = VEC_GET(struct ast_value, lhs->items, 0)->text;
    if (lhs->kind == AST_IDENT && strcmp(lhs->text, "tag") == 0)
        key = "key";
    const char *value = rhs->kind == AST_LIST ? src_text(c, rhs->loc) : as_string_text(c, rhs);
    diag_help(c->cc, d, "write tag(%s) %s %s", quoted(c->a, key), op, value);
}

static const struct atom *check_cmp(struct selctx *c, const struct ast_value *cmp)
{
    const struct ast_value *lhs = cmp->lhs;
    if (lhs->kind == AST_CALL && strcmp(lhs->text, "tag") == 0)
        return check_tag_test(c, cmp);
    if (lhs->kind == AST_IDENT && strcmp(lhs->text, "type") == 0)
        return check_type_test(c, cmp);
    struct diag *d = diag_emit(c->cc, OB2003, lhs->loc, "expected tag(\"key\") or 'type' before '%s', found %s",
                               cmp_op_text(cmp->op), ast_describe(c->a, lhs));
    help_for_subject(c, d, cmp);
    return NULL;
}

/* A value that is not a comparison where a test was expected. */
static void report_not_a_test(struct selctx *c, const struct ast_value *v)
{
    struct diag *d = diag_emit(c->cc, OB2003, v->loc,
                               "expected a test such as tag(\"key\") == \"value\" or type in [...], found %s",
                               ast_describe(c->a, v));
    const struct ir_decl *decl = v->kind == AST_IDENT ? sym_lookup(&c->s->syms, v->text) : NULL;
    if (decl && decl->kind == DK_RESOURCE_TYPE)
        diag_help(c->cc, d, "write type in [%s]", v->text);
    else if (v->kind == AST_CALL && strcmp(v->text, "tag") == 0)
        diag_help(c->cc, d, "compare the tag with a value: %s == \"value\"", src_text(c, v->loc));
    else if (v->kind == AST_LIST)
        diag_help(c->cc, d, "write type in %s", src_text(c, v->loc));
    else
        diag_help(c->cc, d, "write tag(\"backup\") == \"true\" or type in [rds]");
}

static const struct bexpr *bx_new(struct selctx *c, enum bx_kind k, const struct bexpr *l,
                                  const struct bexpr *r)
{
    struct bexpr *e = arena_alloc(c->a, sizeof *e);
    e->kind = k;
    e->l = l;
    e->r = r;
    return e;
}

/* Checks every comparison (reporting all problems, not just the first);
 * NULL if any was wrong. */
static const struct bexpr *check_expr(struct selctx *c, const struct ast_value *v)
{
    switch (v->kind) {
    case AST_AND:
    case AST_OR: {
        const struct bexpr *l = check_expr(c, v->lhs);
        const struct bexpr *r = check_expr(c, v->rhs);
        if (!l || !r)
            return NULL;
        return bx_new(c, v->kind == AST_AND ? BX_AND : BX_OR, l, r);
    }
    case AST_NOT: {
        const struct bexpr *l = check_expr(c, v->lhs);
        return l ? bx_new(c, BX_NOT, l, NULL) : NULL;
    }
    case AST_CMP: {
        const struct atom *at = check_cmp(c, v);
        if (!at)
            return NULL;
        struct bexpr *e = (struct bexpr *)bx_new(c, BX_ATOM, NULL, NULL);
        e->atom = at;
        return e;
    }
    default:
        report_not_a_test(c, v);
        return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* disjunctive normal form                                             */

static const struct conj *conj_leaf(struct selctx *c, const struct lit *lit)
{
    struct conj *j = arena_alloc(c->a, sizeof *j);
    j->lit = lit;
    return j;
}

static const struct conj *conj_pair(struct selctx *c, const struct conj *l, const struct conj *r)
{
    struct conj *j = arena_alloc(c->a, sizeof *j);
    j->l = l;
    j->r = r;
    return j;
}

static bool too_many_groups(struct selctx *c)
{
    struct diag *d = diag_emit(c->cc, OB5005, c->match->loc,
                               "this match expression expands to more than %d and-groups", LIMIT_DNF_GROUPS);
    diag_help(c->cc, d, "every and-group becomes one AWS selection entry and a plan takes at most %d; "
              "an 'or' inside an 'and' multiplies the groups, so factor common tests out or split the selection",
              AWS_ASSIGNMENTS_MAX);
    return false;
}

/* Appends to `out` the and-groups of `e` (negated when `neg`), in source
 * order. Stops with OB5005 as soon as the count passes LIMIT_DNF_GROUPS;
 * since the count only grows towards the root, nothing larger is built. */
static bool dnf(struct selctx *c, const struct bexpr *e, bool neg, struct vec *out)
{
    switch (e->kind) {
    case BX_ATOM:
        vec_push(c->a, out, (void *)conj_leaf(c, neg ? e->atom->negated : e->atom->as_is));
        return true;
    case BX_NOT:
        return dnf(c, e->l, !neg, out);
    default: { /* BX_AND, BX_OR */
        bool product = (e->kind == BX_AND) != neg; /* De Morgan swaps and/or */
        struct vec l = {0}, r = {0};
        if (!dnf(c, e->l, neg, &l) || !dnf(c, e->r, neg, &r))
            return false;
        size_t n = product ? l.len * r.len : l.len + r.len;
        if (n > LIMIT_DNF_GROUPS)
            return too_many_groups(c);
        if (!product) {
            for (size_t i = 0; i < l.len; i++)
                vec_push(c->a, out, l.items[i]);
            for (size_t i = 0; i < r.len; i++)
                vec_push(c->a, out, r.items[i]);
            return true;
        }
        for (size_t i = 0; i < l.len; i++)
            for (size_t j = 0; j < r.len; j++)
                vec_push(c->a, out, (void *)conj_pair(c, l.items[i], r.items[j]));
        return true;
    }
    }
}

/* The literals of one group, left to right, into `out`. */
static void conj_flatten(struct selctx *c, const struct conj *j, struct vec *out)
{
    if (j->lit) {
        vec_push(c->a, out, (void *)j->lit);
        return;
    }
    conj_flatten(c, j->l, out);
    conj_flatten(c, j->r, out);
}

/* ------------------------------------------------------------------ */
/* one and-group to one entry                                          */

struct group {
    struct vec lits;   /* const struct lit*, source order */
    struct loc loc;    /* span of its atoms */
};

#define GROUP_LIT(g, i) VEC_GET(const struct lit, (g)->lits, i)

static bool is_multi_in(const struct lit *l)
{
    return !l->atom->is_type && l->op == CMP_IN && l->atom->values.len > 1;
}

static bool is_type_in(const struct lit *l)
{
    return l->atom->is_type && l->op == CMP_IN;
}

static void push_condition(struct selctx *c, struct ir_sel_entry *e, enum cond_op op,
                           const struct atom *at, const char *value)
{
    struct ir_condition *cond = arena_alloc(c->a, sizeof *cond);
    cond->op = op;
    cond->tag_key = at->key;
    cond->value = value;
    cond->loc = at->loc;
    vec_push(c->a, &e->conditions, cond);
}

/* OB5003's help when `lit` and `key`, the list that gives a tags entry its
 * tag_key, test the same tag: the values that both lists hold. */
static void help_same_key_lists(struct selctx *c, struct diag *d, const struct lit *key, const struct lit *lit)
{
    struct vec common = {0};
    struct strmap in_lit = {0}; /* the values of lit's list: linear, not one scan per value */
    for (size_t i = 0; i < lit->atom->values.len; i++) {
        const char *v = VEC_GET(const char, lit->atom->values, i);
        strmap_put_new(c->a, &in_lit, v, (void *)v);
    }
    for (size_t i = 0; i < key->atom->values.len; i++) {
        const char *v = VEC_GET(const char, key->atom->values, i);
        if (strmap_get(&in_lit, v))
            vec_push(c->a, &common, (void *)v);
    }
    const char *k = quoted(c->a, lit->atom->key);
    diag_note(c->cc, d, key->atom->loc, "the first list on tag %s gives the entry its tag values", k);
    if (common.len == 0)
        diag_help(c->cc, d, "no value is in both lists, so this group never matches: remove one of the tests");
    else if (common.len == 1)
        diag_help(c->cc, d, "both lists test tag %s: write the one value they share, tag(%s) == %s", k, k,
                  quoted(c->a, VEC_GET(const char, common, 0)));
    else
        diag_help(c->cc, d, "both lists test tag %s: write one list of the values they share, tag(%s) in %s", k, k,
                  values_text(c->a, &common));
}

/* OB5003: `lit` (a positive `in` with several values) would have to be one
 * condition. `key` is the literal that gives a tags entry its tag_key
 * (NULL in a resources entry). */
static void report_in_list_condition(struct selctx *c, const struct lit *lit, const struct lit *key)
{
    const struct atom *at = lit->atom;
    struct diag *d = diag_emit(c->cc, OB5003, at->loc,
                               "tag(%s) in a list of %zu values cannot be an AWS condition, which takes one value",
                               quoted(c->a, at->key), at->values.len);
    if (key && strcmp(key->atom->key, at->key) == 0) {
        help_same_key_lists(c, d, key, lit);
        return;
    }
    const char *alternatives = alternatives_text(c->a, at->key, &at->values);
    if (is_negated(lit))
        diag_help(c->cc, d, "with 'not' pushed inwards this test is %s; write it as alternatives, %s: "
                  "each becomes its own selection entry", lit_text(c->a, lit), alternatives);
    else
        diag_help(c->cc, d, "write it as alternatives, %s: each becomes its own selection entry", alternatives);
}

/* A tag literal as conditions: == != like `not like`, `in` with one value,
 * `not in` as one string_not_equals per value. `key` as for
 * report_in_list_condition. */
static bool add_conditions(struct selctx *c, struct ir_sel_entry *e, const struct lit *lit, const struct lit *key)
{
    const struct atom *at = lit->atom;
    const char *first = VEC_GET(const char, at->values, 0);
    switch (lit->op) {
    case CMP_EQ: push_condition(c, e, COND_EQUALS, at, first); return true;
    case CMP_NE: push_condition(c, e, COND_NOT_EQUALS, at, first); return true;
    case CMP_LIKE: push_condition(c, e, COND_LIKE, at, first); return true;
    case CMP_NOT_LIKE: push_condition(c, e, COND_NOT_LIKE, at, first); return true;
    case CMP_NOT_IN:
        for (size_t i = 0; i < at->values.len; i++)
            push_condition(c, e, COND_NOT_EQUALS, at, VEC_GET(const char, at->values, i));
        return true;
    default: /* CMP_IN */
        if (at->values.len == 1) {
            push_condition(c, e, COND_EQUALS, at, first);
            return true;
        }
        report_in_list_condition(c, lit, key);
        return false;
    }
}

static bool check_condition_count(struct selctx *c, const struct group *g, const struct ir_sel_entry *e)
{
    if (e->conditions.len <= AWS_CONDITIONS_MAX)
        return true;
    struct diag *d = diag_emit(c->cc, OB5005, g->loc,
                               "this and-group needs %zu conditions, AWS allows at most %d in one selection",
                               e->conditions.len, AWS_CONDITIONS_MAX);
    diag_help(c->cc, d, "conditions must all hold, so they cannot be spread over several entries: test fewer "
              "values (every value of a 'not in' list is one condition), e.g. give the resources to leave out "
              "one tag and test it with !=");
    return false;
}

/* The `type in` lists of a group, intersected (`any` matches every type).
 * OB5001 when no type is in all of them. */
static bool intersect_types(struct selctx *c, const struct group *g, struct ir_sel_entry *e)
{
    struct vec cur = {0};
    bool have = false;
    for (size_t i = 0; i < g->lits.len; i++) {
        const struct lit *l = GROUP_LIT(g, i);
        if (!is_type_in(l))
            continue;
        const struct vec *next = &l->atom->types;
        if (have && types_have_any(next))
            continue;
        if (!have || types_have_any(&cur)) {
            cur = (struct vec){0};
            for (size_t k = 0; k < next->len; k++)
                vec_push(c->a, &cur, next->items[k]);
            have = true;
            continue;
        }
        struct vec kept = {0};
        struct ptrset in_next = {0};
        ptrset_add_all(c->a, &in_next, next);
        for (size_t k = 0; k < cur.len; k++)
            if (ptrset_has(&in_next, cur.items[k]))
                vec_push(c->a, &kept, cur.items[k]);
        cur = kept;
        if (cur.len == 0) {
            struct diag *d = diag_emit(c->cc, OB5001, g->loc,
                                       "no resource type is in every 'type in' list of this and-group");
            for (size_t k = 0; k <= i; k++)
                if (is_type_in(GROUP_LIT(g, k)))
                    diag_note(c->cc, d, GROUP_LIT(g, k)->atom->loc, "one of the lists");
            diag_help(c->cc, d, "the lists are combined with 'and': use one list, or join the tests with 'or'");
            return false;
        }
    }
    if (types_have_any(&cur)) { /* any absorbs the rest */
        for (size_t k = 0; k < cur.len; k++)
            if (VEC_GET(struct ir_restype, cur, k)->is_any) {
                e->types = (struct vec){0};
                vec_push(c->a, &e->types, cur.items[k]);
                return true;
            }
    }
    e->types = cur;
    return true;
}

static void collect_not_types(struct selctx *c, const struct group *g, struct ir_sel_entry *e)
{
    struct ptrset seen = {0};
    ptrset_add_all(c->a, &seen, &e->not_types);
    for (size_t i = 0; i < g->lits.len; i++) {
        const struct lit *l = GROUP_LIT(g, i);
        if (!l->atom->is_type || l->op != CMP_NOT_IN)
            continue;
        for (size_t k = 0; k < l->atom->types.len; k++)
            vec_push_new(c->a, &e->not_types, &seen, l->atom->types.items[k]);
    }
}

/* The excluded type that removes the ARN pattern `arn`, or NULL. */
static const struct ir_restype *excluded_by(const struct ir_sel_entry *e, const char *arn)
{
    for (size_t i = 0; i < e->not_types.len; i++) {
        const struct ir_restype *t = VEC_GET(struct ir_restype, e->not_types, i);
        if (t->is_any || strings_have(&t->arns, arn))
            return t;
    }
    return NULL;
}

/* OB5001 when `type not in` removes every ARN pattern that `type in`
 * selects (AWS tells types apart by ARN only: aurora, documentdb and
 * neptune share one). */
static bool check_selects_something(struct selctx *c, const struct group *g, const struct ir_sel_entry *e)
{
    if (e->not_types.len == 0)
        return true;
    const struct ir_restype *same_arn_in = NULL, *same_arn_out = NULL;
    bool all_out = true;
    for (size_t i = 0; i < e->types.len && all_out; i++) {
        const struct ir_restype *t = VEC_GET(struct ir_restype, e->types, i);
        if (t->is_any) {
            all_out = types_have_any(&e->not_types);
            break;
        }
        for (size_t k = 0; k < t->arns.len && all_out; k++) {
            const struct ir_restype *by = excluded_by(e, VEC_GET(const char, t->arns, k));
            if (!by)
                all_out = false;
            else if (by != t && !by->is_any && !same_arn_in) {
                same_arn_in = t;
                same_arn_out = by;
            }
        }
    }
    if (!all_out)
        return true;
    struct diag *d = diag_emit(c->cc, OB5001, g->loc,
                               "'type not in' excludes every resource type that this and-group selects");
    for (size_t i = 0; i < g->lits.len; i++)
        if (GROUP_LIT(g, i)->atom->is_type)
            diag_note(c->cc, d, GROUP_LIT(g, i)->atom->loc, "%s",
                      is_type_in(GROUP_LIT(g, i)) ? "selected here" : "excluded here");
    if (same_arn_in)
        diag_help(c->cc, d, "AWS tells resource types apart by ARN only, and '%s' has the ARN pattern of '%s'; "
                  "select the types you want with 'type in' alone",
                  same_arn_in->d.name, same_arn_out->d.name);
    else
        diag_help(c->cc, d, "remove the selected types from the 'type not in' list");
    return false;
}

/* A group with a positive `type in`: a selections.resources entry. */
static bool lower_resources_group(struct selctx *c, const struct group *g, struct ir_sel_entry *e)
{
    e->resources = true;
    if (!intersect_types(c, g, e))
        return false;
    collect_not_types(c, g, e);
    if (!check_selects_something(c, g, e))
        return false;
    bool ok = true;
    for (size_t i = 0; i < g->lits.len; i++) {
        const struct lit *l = GROUP_LIT(g, i);
        if (!l->atom->is_type)
            ok &= add_conditions(c, e, l, NULL);
    }
    return ok && check_condition_count(c, g, e);
}

/* "a", "b" and "c": the keys of the lists, for OB5002's message. */
static const char *keys_text(struct arena *a, const struct lit *first, const struct vec *others)
{
    struct strbuf b = {0};
    put_quoted(a, &b, first->atom->key);
    for (size_t i = 0; i < others->len; i++) {
        sb_puts(a, &b, i + 1 == others->len ? " and " : ", ");
        put_quoted(a, &b, VEC_GET(const struct lit, *others, i)->atom->key);
    }
    return sb_str(a, &b);
}

/* OB5002: `others` are multi-value `in` lists on other keys than `key`'s.
 * One diagnostic for the group, a note at each further list. */
static void report_several_in_lists(struct selctx *c, const struct lit *key, const struct vec *others)
{
    struct diag *d = diag_emit(c->cc, OB5002, key->atom->loc,
                               "this and-group tests tags %s with 'in' lists; an AWS tag selection "
                               "takes one tag key with several values", keys_text(c->a, key, others));
    for (size_t i = 0; i < others->len; i++) {
        const struct lit *l = VEC_GET(const struct lit, *others, i);
        diag_note(c->cc, d, l->atom->loc, "another 'in' list, on tag %s", quoted(c->a, l->atom->key));
    }
    const struct lit *l = VEC_GET(const struct lit, *others, 0);
    diag_help(c->cc, d, "keep one list in the group and write the others as alternatives, e.g. %s in place of %s: "
              "each alternative becomes its own selection entry",
              alternatives_text(c->a, l->atom->key, &l->atom->values), lit_text(c->a, l));
}

/* The literal that becomes tag_key/tag_value of a tags entry: a
 * multi-value `in` if there is one, else the first positive test. OB5002
 * when multi-value `in` lists test more than one key. */
static const struct lit *choose_tag_key(struct selctx *c, const struct group *g, bool *ok)
{
    const struct lit *key = NULL;
    struct vec others = {0};
    for (size_t i = 0; i < g->lits.len; i++) {
        const struct lit *l = GROUP_LIT(g, i);
        if (!is_multi_in(l))
            continue;
        if (!key)
            key = l;
        else if (strcmp(key->atom->key, l->atom->key) != 0)
            vec_push(c->a, &others, (void *)l);
        /* the same key twice: OB5003 as a condition */
    }
    if (others.len) {
        report_several_in_lists(c, key, &others);
        *ok = false;
    }
    if (key)
        return key;
    for (size_t i = 0; i < g->lits.len; i++) {
        const struct lit *l = GROUP_LIT(g, i);
        if (!l->atom->is_type && is_positive(l->op))
            return l;
    }
    return NULL;
}

/* The literals of a group as they are after `not` was pushed down:
 * tag("a") != "x" and tag("b") like "y*". */
static const char *group_text(struct arena *a, const struct group *g)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < g->lits.len; i++) {
        if (i)
            sb_puts(a, &b, " and ");
        sb_puts(a, &b, lit_text(a, GROUP_LIT(g, i)));
    }
    return sb_str(a, &b);
}

/* OB5001: a group without `type in` and without a positive tag test (so
 * only tag literals: a `type not in` is reported before). The help shows
 * the group as it is after `not` was pushed down when that changed it,
 * and the rewrite that keeps its meaning: type in [any] and the group. */
static void report_no_positive_test(struct selctx *c, const struct group *g)
{
    bool has_like = false, negated = false;
    for (size_t i = 0; i < g->lits.len; i++) {
        has_like |= GROUP_LIT(g, i)->op == CMP_LIKE;
        negated |= is_negated(GROUP_LIT(g, i));
    }
    struct diag *d = diag_emit(c->cc, OB5001, g->loc,
                               "this and-group has neither a positive tag test nor 'type in', so AWS cannot select by it");
    const char *text = group_text(c->a, g);
    diag_help(c->cc, d, "%s%s%sadd a positive test such as tag(\"backup\") == \"true\", or write type in [any] and %s "
              "to back up every resource that passes the group",
              negated ? arena_printf(c->a, "with 'not' pushed inwards the group is %s; ", text) : "",
              has_like ? "in AWS 'like' is only a condition" : "", has_like ? ": " : "", text);
}

/* OB5001: `type not in` in a group without `type in` (a tags entry has no
 * not_resource_types). */
static bool check_no_type_exclusion(struct selctx *c, const struct group *g)
{
    for (size_t i = 0; i < g->lits.len; i++) {
        const struct lit *l = GROUP_LIT(g, i);
        if (!l->atom->is_type)
            continue;
        struct diag *d;
        if (is_negated(l))
            d = diag_emit(c->cc, OB5001, l->atom->loc,
                          "'not' turns this into %s, which needs a 'type in' in the same and-group", lit_text(c->a, l));
        else
            d = diag_emit(c->cc, OB5001, l->atom->loc, "'type not in' needs a 'type in' in the same and-group");
        diag_help(c->cc, d, "AWS excludes types only from a resource-type selection: write type in [any] and %s",
                  lit_text(c->a, l));
        return false;
    }
    return true;
}

static bool check_tag_value_count(struct selctx *c, const struct atom *at)
{
    if (at->values.len <= AWS_TAG_VALUES_MAX)
        return true;
    struct diag *d = diag_emit(c->cc, OB5005, at->loc,
                               "this 'in' list has %zu tag values, AWS allows at most %d in one selection",
                               at->values.len, AWS_TAG_VALUES_MAX);
    diag_help(c->cc, d, "split the list with 'or' into several tests of at most %d values", AWS_TAG_VALUES_MAX);
    return false;
}

/* A group without a positive `type in`: a selections.tags entry. */
static bool lower_tags_group(struct selctx *c, const struct group *g, struct ir_sel_entry *e)
{
    if (!check_no_type_exclusion(c, g))
        return false;
    bool ok = true;
    const struct lit *key = choose_tag_key(c, g, &ok);
    if (!key) {
        report_no_positive_test(c, g);
        return false;
    }
    e->tag_key = key->atom->key;
    for (size_t i = 0; i < key->atom->values.len; i++)
        vec_push(c->a, &e->tag_values, key->atom->values.items[i]);
    ok &= check_tag_value_count(c, key->atom);
    for (size_t i = 0; i < g->lits.len; i++) {
        const struct lit *l = GROUP_LIT(g, i);
        if (l == key)
            continue;
        if (is_multi_in(l) && is_multi_in(key) && strcmp(l->atom->key, key->atom->key) != 0)
            continue; /* OB5002 already */
        ok &= add_conditions(c, e, l, key);
    }
    return ok && check_condition_count(c, g, e);
}

static bool lower_group(struct selctx *c, const struct group *g, struct ir_sel_entry *e)
{
    e->loc = g->loc;
    for (size_t i = 0; i < g->lits.len; i++)
        if (is_type_in(GROUP_LIT(g, i)))
            return lower_resources_group(c, g, e);
    return lower_tags_group(c, g, e);
}

/* ------------------------------------------------------------------ */
/* entry names                                                         */

/* `name`, or `name-N` when the selection has several entries. A
 * declared name is cut to AWS_NAME_MAX keeping the suffix (identifiers
 * only hold characters AWS accepts in selection names); a name given
 * with `name = "..."` is kept whole, and OB8003 judges it. */
static const char *entry_name(struct arena *a, const struct ir_selection *sel, size_t index, size_t count)
{
    char suffix[24] = "";
    if (count > 1)
        snprintf(suffix, sizeof suffix, "-%zu", index + 1);
    const char *name = ir_selection_name(sel);
    size_t room = sel->aws_name.s ? SIZE_MAX : AWS_NAME_MAX - strlen(suffix);
    size_t n = strlen(name);
    return arena_printf(a, "%.*s%s", (int)(n < room ? n : room), name, suffix);
}

/* ------------------------------------------------------------------ */
/* the selection                                                       */

bool sel_lower(struct sema *s, const struct ast_value *match, struct ir_selection *sel)
{
    sel->match_at.loc = match->loc;
    struct selctx c = {s, s->cc, s->a, match};
    const struct bexpr *e = check_expr(&c, match);
    if (!e)
        return false;
    struct vec conjs = {0};
    if (!dnf(&c, e, false, &conjs))
        return false;

    struct vec entries = {0};
    bool ok = true;
    for (size_t i = 0; i < conjs.len; i++) {
        struct group g = {0};
        conj_flatten(&c, conjs.items[i], &g.lits);
        g.loc = conjs.len == 1 ? match->loc : LOC_NONE;
        for (size_t k = 0; conjs.len > 1 && k < g.lits.len; k++)
            g.loc = loc_span(g.loc, GROUP_LIT(&g, k)->atom->loc);
        struct ir_sel_entry *entry = arena_alloc(c.a, sizeof *entry);
        if (lower_group(&c, &g, entry))
            vec_push(c.a, &entries, entry);
        else
            ok = false;
    }
    if (!ok)
        return false;
    for (size_t i = 0; i < entries.len; i++)
        VEC_GET(struct ir_sel_entry, entries, i)->name = entry_name(c.a, sel, i, entries.len);
    sel->entries = entries;
    return true;
}

/* ------------------------------------------------------------------ */
/* the plan                                                            */

static struct loc plan_select_loc(const struct ir_plan *plan)
{
    return plan->select_at.loc.file ? plan->select_at.loc : plan->d.name_loc;
}

/* Where an entry comes from. */
struct entry_ref {
    const struct ir_selection *sel;
    const struct ir_sel_entry *e;
};

/* The entries of the plan's selections, each selection once. */
static void plan_entries(struct arena *a, const struct ir_plan *plan, struct vec *out)
{
    for (size_t i = 0; i < plan->selections.len; i++) {
        const struct ir_selection *sel = VEC_GET(struct ir_selection, plan->selections, i);
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen |= plan->selections.items[k] == sel;
        for (size_t k = 0; !seen && k < sel->entries.len; k++) {
            struct entry_ref *r = arena_alloc(a, sizeof *r);
            r->sel = sel;
            r->e = VEC_GET(struct ir_sel_entry, sel->entries, k);
            vec_push(a, out, r);
        }
    }
}

static const char *const cond_op_text[] = {
    [COND_EQUALS] = "==", [COND_NOT_EQUALS] = "!=", [COND_LIKE] = "like", [COND_NOT_LIKE] = "not like",
};

/* A tags entry rewritten as a resources selection, conditions included,
 * for OB5004's help: type in [any] and tag("k") == "v" and tag("c") != "x". */
static const char *as_resources_text(struct arena *a, const struct ir_sel_entry *e)
{
    struct strbuf b = {0};
    sb_puts(a, &b, "type in [any] and ");
    sb_puts(a, &b, alternatives_text(a, e->tag_key, &e->tag_values));
    for (size_t i = 0; i < e->conditions.len; i++) {
        const struct ir_condition *cond = VEC_GET(const struct ir_condition, e->conditions, i);
        sb_puts(a, &b, arena_printf(a, " and tag(%s) %s %s", quoted(a, cond->tag_key), cond_op_text[cond->op],
                                    quoted(a, cond->value)));
    }
    return sb_str(a, &b);
}

/* OB5004 at the plan's `select`, with a note at the first entry of each
 * kind. */
static void check_mixed_kinds(struct obc *cc, const struct ir_plan *plan, const struct vec *refs)
{
    const struct entry_ref *tags = NULL, *res = NULL;
    for (size_t i = 0; i < refs->len; i++) {
        const struct entry_ref *r = VEC_GET(const struct entry_ref, *refs, i);
        if (r->e->resources && !res)
            res = r;
        if (!r->e->resources && !tags)
            tags = r;
    }
    if (!tags || !res)
        return;
    struct diag *d = diag_emit(cc, OB5004, plan_select_loc(plan),
                               "plan '%s' mixes tag-only and resource-type selection entries; AWS allows one kind in a plan",
                               plan->d.name);
    diag_note(cc, d, tags->e->loc, "tag-only entry, from selection '%s'", tags->sel->d.name);
    diag_note(cc, d, res->e->loc, "resource-type entry, from selection '%s'", res->sel->d.name);
    diag_help(cc, d, "make every entry a resource-type one: add type in [any] to each tag-only group, "
              "e.g. write %s", as_resources_text(&cc->arena, tags->e));
}

/* A note per selection of the plan that contributes entries to a quota:
 * "selection 's' gives 6 of them". Only tag-only entries if `tags_only`. */
static void note_entries_per_selection(struct obc *cc, struct diag *d, const struct vec *refs, bool tags_only)
{
    for (size_t i = 0; i < refs->len;) {
        const struct ir_selection *sel = VEC_GET(const struct entry_ref, *refs, i)->sel;
        size_t n = 0;
        for (; i < refs->len && VEC_GET(const struct entry_ref, *refs, i)->sel == sel; i++)
            n += !tags_only || !VEC_GET(const struct entry_ref, *refs, i)->e->resources;
        if (n)
            diag_note(cc, d, sel->d.name_loc, "selection '%s' gives %zu of them", sel->d.name, n);
    }
}

static void check_plan_quotas(struct obc *cc, const struct ir_plan *plan, const struct vec *refs)
{
    size_t ntags = 0;
    for (size_t i = 0; i < refs->len; i++)
        ntags += !VEC_GET(const struct entry_ref, *refs, i)->e->resources;
    if (ntags > AWS_TAG_SELECTIONS_MAX) {
        struct diag *d = diag_emit(cc, OB5005, plan_select_loc(plan),
                                   "plan '%s' has %zu tag-only selection entries, AWS allows at most %d",
                                   plan->d.name, ntags, AWS_TAG_SELECTIONS_MAX);
        note_entries_per_selection(cc, d, refs, true);
        diag_help(cc, d, "every and-group without 'type in' is one tag-only entry: test several values of one tag "
                  "with tag(\"key\") in [...] (one entry), add type in [any] to every group (a plan takes %d "
                  "resource-type entries), or move selections into another plan", AWS_ASSIGNMENTS_MAX);
    }
    if (refs->len > AWS_ASSIGNMENTS_MAX) {
        struct diag *d = diag_emit(cc, OB5005, plan_select_loc(plan),
                                   "plan '%s' has %zu selection entries, AWS allows at most %d",
                                   plan->d.name, refs->len, AWS_ASSIGNMENTS_MAX);
        note_entries_per_selection(cc, d, refs, false);
        diag_help(cc, d, "every and-group of a match becomes one entry: simplify the matches, "
                  "or move selections into another plan");
    }
}

static bool same_ignoring_case(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* Two entries of a plan must not share a name, not even in another case
 * (AWS lowercases keys). Reports the first clash only. */
static void check_entry_names(struct obc *cc, const struct ir_plan *plan, const struct vec *refs)
{
    for (size_t i = 1; i < refs->len; i++) {
        const struct entry_ref *b = VEC_GET(const struct entry_ref, *refs, i);
        for (size_t k = 0; k < i; k++) {
            const struct entry_ref *a = VEC_GET(const struct entry_ref, *refs, k);
            if (a->sel == b->sel || !same_ignoring_case(a->e->name, b->e->name))
                continue;
            bool exact = strcmp(a->e->name, b->e->name) == 0;
            struct diag *d;
            if (exact)
                d = diag_emit(cc, OB8003, b->sel->d.name_loc,
                              "selections '%s' and '%s' both give the entry name '%s' in plan '%s'",
                              a->sel->d.name, b->sel->d.name, b->e->name, plan->d.name);
            else
                d = diag_emit(cc, OB8006, b->sel->d.name_loc,
                              "entry names '%s' and '%s' in plan '%s' differ only in case, and AWS lowercases them",
                              a->e->name, b->e->name, plan->d.name);
            diag_note(cc, d, a->sel->d.name_loc, "entry '%s' comes from selection '%s'", a->e->name, a->sel->d.name);
            diag_help(cc, d, "rename one of the selections");
            return;
        }
    }
}

void sel_check_plan(struct sema *s, struct ir_plan *plan)
{
    struct obc *cc = s->cc;
    if (plan->selections.len == 0) {
        struct diag *d = diag_emit(cc, OB5006, plan_select_loc(plan), "plan '%s' selects no resources",
                                   plan->d.name);
        if (s->prog->selections.len)
            diag_help(cc, d, "name at least one selection, e.g. select = [%s]",
                      VEC_GET(const struct ir_selection, s->prog->selections, 0)->d.name);
        else
            diag_help(cc, d, "declare a selection and name it here, e.g. select = [tagged]");
        return;
    }
    struct vec refs = {0};
    plan_entries(s->a, plan, &refs);
    check_mixed_kinds(cc, plan, &refs);
    check_plan_quotas(cc, plan, &refs);
    if (refs.len <= AWS_ASSIGNMENTS_MAX)
        check_entry_names(cc, plan, &refs);
}
