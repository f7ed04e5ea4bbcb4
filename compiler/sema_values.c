/*
 * sema_values.c - typed readers for attribute values and name
 * resolution. Each reader accepts exactly the value shapes of one type
 * and reports a mismatch as OB2003 "expected X, found Y" with help on
 * how to write it; names resolve through the global namespace with
 * "did you mean" (OB2001, OB2008 for regions).
 *
 * Owns: units and conversions (durations to days or minutes), the
 * built-in principals `members` and `organization`.
 */
#include "sema.h"

#include <string.h>

static struct diag *type_error(struct sema *s, const struct ast_value *v, const char *expected)
{
    return diag_emit(s->cc, OB2003, v->loc, "expected %s, found %s", expected, ast_describe(s->a, v));
}

bool val_string(struct sema *s, const struct ast_value *v, struct ir_text *out)
{
    if (v->kind == AST_STRING) {
        out->s = v->text;
        out->loc = v->loc;
        return true;
    }
    struct diag *d = type_error(s, v, "a string");
    if (v->kind == AST_IDENT || v->kind == AST_INT)
        diag_help(s->cc, d, "put it in quotes: \"%s\"", v->kind == AST_IDENT ? v->text : arena_printf(s->a, "%lld", (long long)v->num));
    return false;
}

bool val_bool(struct sema *s, const struct ast_value *v, struct ir_flag *out)
{
    if (v->kind == AST_IDENT && (strcmp(v->text, "true") == 0 || strcmp(v->text, "false") == 0)) {
        out->v = v->text[0] == 't';
        out->loc = v->loc;
        out->state = IR_SET;
        return true;
    }
    struct diag *d = type_error(s, v, "true or false");
    if (v->kind == AST_STRING && (strcmp(v->text, "true") == 0 || strcmp(v->text, "false") == 0))
        diag_help(s->cc, d, "write %s without quotes", v->text);
    else
        diag_help(s->cc, d, "write true or false");
    return false;
}

/* The duration in minutes, saturating instead of overflowing. */
static int64_t duration_minutes(const struct ast_value *v)
{
    static const int64_t per_unit[] = {[DUR_MIN] = 1, [DUR_H] = 60, [DUR_D] = 1440, [DUR_W] = 10080,
                                       [DUR_Y] = 525600};
    int64_t f = per_unit[v->unit];
    if (v->num > INT64_MAX / f)
        return INT64_MAX;
    return v->num * f;
}

static bool need_duration(struct sema *s, const struct ast_value *v, const char *what, const char *unit)
{
    if (v->kind == AST_DURATION)
        return true;
    struct diag *d = type_error(s, v, what);
    if (v->kind == AST_INT)
        diag_help(s->cc, d, "add a unit: %lld%s", (long long)v->num, unit);
    else if (v->kind == AST_STRING)
        diag_help(s->cc, d, "durations are written without quotes: 90d, 8h, 60min");
    else
        diag_help(s->cc, d, "write a number and a unit: 90d, 8h, 60min, 2w, 1y");
    return false;
}

bool val_days(struct sema *s, const struct ast_value *v, struct ir_num *out)
{
    if (!need_duration(s, v, "a duration in days", "d"))
        return false;
    int64_t m = duration_minutes(v);
    if (m != INT64_MAX && m % 1440 != 0) {
        struct diag *d = diag_emit(s->cc, OB2009, v->loc, "%lld%s is not a whole number of days", (long long)v->num,
                                   dur_unit_text(v->unit));
        int64_t lo = m / 1440;
        if (lo > 0)
            diag_help(s->cc, d, "lifecycle values are whole days: write %lldd or %lldd", (long long)lo, (long long)lo + 1);
        else
            diag_help(s->cc, d, "lifecycle values are whole days: write 1d or more");
        return false;
    }
    out->v = m == INT64_MAX ? INT64_MAX : m / 1440;
    out->loc = v->loc;
    out->state = IR_SET;
    return true;
}

bool val_minutes(struct sema *s, const struct ast_value *v, struct ir_num *out)
{
    if (!need_duration(s, v, "a duration", "min"))
        return false;
    out->v = duration_minutes(v); /* every unit is a whole number of minutes */
    out->loc = v->loc;
    out->state = IR_SET;
    return true;
}

bool val_strings(struct sema *s, const struct ast_value *v, struct vec *out)
{
    if (v->kind == AST_STRING) {
        vec_push(s->a, out, (void *)v->text);
        return true;
    }
    if (v->kind != AST_LIST) {
        struct diag *d = type_error(s, v, "a list of strings");
        diag_help(s->cc, d, "write [\"a\", \"b\"]");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < v->items.len; i++) {
        const struct ast_value *it = VEC_GET(const struct ast_value, v->items, i);
        struct ir_text t = {0};
        if (val_string(s, it, &t))
            vec_push(s->a, out, (void *)t.s);
        else
            ok = false;
    }
    return ok;
}

void val_check_scripts(struct sema *s, const struct ast_value *v, const char *what)
{
    struct mixed_script m;
    if (v->kind != AST_STRING || !unicode_mixed_script(v->text, v->text_len, &m))
        return;
    struct loc l = v->loc;
    if (v->raw) { /* the text is the source between the quotes: point at the letter */
        l.start = v->loc.start + 1 + (uint32_t)m.at;
        l.end = l.start + (uint32_t)m.len;
    }
    struct diag *d;
    if (m.looks_like) {
        d = diag_emit(s->cc, OB1006, l, "%s mixes %s and %s letters: U+%04X %s looks like the Latin '%c'", what,
                      m.among, m.script, (unsigned)m.cp, m.name, m.looks_like);
        diag_help(s->cc, d, "write the Latin '%c' if the %s is meant to be Latin: AWS compares it exactly, so a "
                            "look-alike letter makes another %s", m.looks_like, what, what);
    } else {
        d = diag_emit(s->cc, OB1006, l, "%s mixes %s and %s letters: U+%04X, a %s letter among %s ones", what,
                      m.among, m.script, (unsigned)m.cp, m.script, m.among);
        diag_help(s->cc, d, "write the %s in one script: AWS compares it exactly, and mixed scripts make keys "
                            "that look alike but differ", what);
    }
}

bool val_tagmap(struct sema *s, const struct ast_value *v, struct vec *out)
{
    if (v->kind != AST_MAP) {
        struct diag *d = type_error(s, v, "a tag map");
        diag_help(s->cc, d, "write { \"Key\" = \"value\" }");
        return false;
    }
    bool ok = true;
    struct strmap seen = {0}; /* key -> struct ir_tag* (the tags in `out`) */
    for (size_t i = 0; i < v->items.len; i++) {
        const struct ast_value *pair = VEC_GET(const struct ast_value, v->items, i);
        struct ir_text val = {0};
        if (!val_string(s, pair->rhs, &val)) {
            ok = false;
            continue;
        }
        val_check_scripts(s, pair->lhs, "tag key");
        struct ir_tag *t = arena_alloc(s->a, sizeof *t);
        t->key = pair->lhs->text;
        t->value = val.s;
        t->loc = pair->loc;
        const struct ir_tag *first = strmap_put_new(s->a, &seen, t->key, t);
        if (first) {
            struct diag *d = diag_emit(s->cc, OB2006, pair->lhs->loc, "tag '%s' is given twice", first->key);
            diag_note(s->cc, d, first->loc, "first given here");
            diag_help(s->cc, d, "keep one of them");
            ok = false;
            continue;
        }
        vec_push(s->a, out, t);
    }
    return ok;
}

static bool std_loaded(struct sema *s)
{
    for (size_t i = 0; i < s->cc->files.len; i++)
        if (VEC_GET(struct src_file, s->cc->files, i)->is_stdlib)
            return true;
    return false;
}

/* The declared name of an acceptable kind closest to `name`, or NULL.
 * Costs a pass over every declaration. */
static const char *closest_name(struct sema *s, const char *name, unsigned kinds)
{
    struct vec candidates = {0};
    for (size_t i = 0; i < s->all_decls.len; i++) {
        struct ir_decl *d = VEC_GET(struct ir_decl, s->all_decls, i);
        if (kinds & KIND(d->kind))
            vec_push(s->a, &candidates, (void *)d->name);
    }
    if (kinds & KIND(DK_BUILTIN)) { /* principals: accounts and the built-in ones */
        vec_push(s->a, &candidates, "members");
        vec_push(s->a, &candidates, "organization");
    }
    return suggest_from_vec(name, &candidates);
}

static void unknown_name(struct sema *s, const char *name, struct loc loc, unsigned kinds)
{
    struct sema_unknown *u = arena_alloc(s->a, sizeof *u);
    u->name = name;
    u->loc = loc;
    vec_push(s->a, &s->unknown, u);
    /* Past the display limit nobody reads the suggestion; searching for it
     * anyway would make many unknown names times many declarations
     * quadratic. */
    const char *guess = diag_next_hidden(s->cc) ? NULL : closest_name(s, name, kinds);
    bool one_kind = (kinds & (kinds - 1)) == 0;
    enum diag_code code = kinds == KIND(DK_REGION) ? OB2008 : OB2001;
    const char *what = "name";
    if (one_kind)
        for (int k = 0; k < DK_COUNT; k++)
            if (kinds == KIND(k))
                what = decl_kind_name((enum decl_kind)k);
    struct diag *d;
    if (guess)
        d = diag_emit(s->cc, code, loc, "unknown %s '%s' (did you mean '%s'?)", what, name, guess);
    else
        d = diag_emit(s->cc, code, loc, "unknown %s '%s'", what, name);
    if (guess) {
        diag_help(s->cc, d, "change it to '%s'", guess);
        struct ir_decl *g = sym_lookup(&s->syms, guess);
        while (g && !(kinds & KIND(g->kind)))
            g = g->same_name;
        if (g && !g->from_stdlib)
            diag_note(s->cc, d, g->name_loc, "'%s' is declared here", guess);
    } else if (!std_loaded(s) &&
               (kinds & (KIND(DK_REGION) | KIND(DK_RESOURCE_TYPE) | KIND(DK_ROLE) | KIND(DK_PERMISSIONS) | KIND(DK_KEY)))) {
        diag_help(s->cc, d, "regions, resource types, default_backup_role and the std permission sets come from "
                            "the standard library: add import \"std/aws\"");
    } else if (code == OB2008) {
        diag_help(s->cc, d, "region codes look like eu-central-1 or us-east-1 (see docs/stdlib.md)");
    } else {
        diag_help(s->cc, d, "declare it, or check the spelling; names are global to the program");
    }
}

struct ir_decl *sema_resolve(struct sema *s, const char *name, struct loc loc, unsigned kinds)
{
    struct ir_decl *first = sym_lookup(&s->syms, name), *found = NULL;
    if (!first) {
        unknown_name(s, name, loc, kinds);
        return NULL;
    }
    for (struct ir_decl *d = first; d; d = d->same_name) {
        if (!(kinds & KIND(d->kind)))
            continue;
        if (found) {
            struct diag *e = diag_emit(s->cc, OB2002, loc, "'%s' names both %s and %s, and either fits here", name,
                                       decl_kind_article(found->kind), decl_kind_article(d->kind));
            diag_note(s->cc, e, found->name_loc, "%s '%s' is declared here", decl_kind_name(found->kind), name);
            diag_note(s->cc, e, d->name_loc, "%s '%s' is declared here", decl_kind_name(d->kind), name);
            diag_help(s->cc, e, "rename one of them");
            return NULL;
        }
        found = d;
    }
    if (!found) {
        struct diag *e = diag_emit(s->cc, OB2003, loc, "expected %s, found %s '%s'", kinds_describe(s->a, kinds),
                                   decl_kind_name(first->kind), name);
        if (!first->from_stdlib)
            diag_note(s->cc, e, first->name_loc, "'%s' is declared here as %s", name, decl_kind_article(first->kind));
        diag_help(s->cc, e, "name %s here", kinds_describe(s->a, kinds));
        return NULL;
    }
    found->used = true;
    return found;
}

struct ir_decl *val_ref(struct sema *s, const struct ast_value *v, unsigned kinds)
{
    if (v->kind == AST_IDENT)
        return sema_resolve(s, v->text, v->loc, kinds);
    struct diag *d = type_error(s, v, kinds_describe(s->a, kinds));
    if (v->kind == AST_STRING)
        diag_help(s->cc, d, "names are written without quotes: %s", v->text);
    else if (v->kind == AST_LIST)
        diag_help(s->cc, d, "name one, without brackets");
    else
        diag_help(s->cc, d, "write the name of %s", kinds_describe(s->a, kinds));
    return NULL;
}

bool val_listed_twice(struct sema *s, struct strmap *listed, const struct ast_value *item)
{
    if (item->kind != AST_IDENT || !strmap_put_new(s->a, listed, item->text, (void *)item))
        return false;
    struct diag *e = diag_emit(s->cc, OB2006, item->loc, "'%s' is listed twice", item->text);
    diag_help(s->cc, e, "remove the repetition");
    return true;
}

bool val_refs(struct sema *s, const struct ast_value *v, unsigned kinds, struct vec *out)
{
    if (v->kind != AST_LIST) {
        struct ir_decl *d = val_ref(s, v, kinds);
        if (d)
            vec_push(s->a, out, d);
        return d != NULL;
    }
    bool ok = true;
    struct strmap listed = {0};
    for (size_t i = 0; i < v->items.len; i++) {
        const struct ast_value *it = VEC_GET(const struct ast_value, v->items, i);
        struct ir_decl *d = val_ref(s, it, kinds);
        if (!d || val_listed_twice(s, &listed, it)) {
            ok = false;
            continue;
        }
        vec_push(s->a, out, d);
    }
    return ok;
}

bool val_regions(struct sema *s, const struct ast_value *v, struct vec *out)
{
    return val_refs(s, v, KIND(DK_REGION), out);
}

static bool principal(struct sema *s, const struct ast_value *v, bool allow_org, struct ir_principal *out)
{
    out->loc = v->loc;
    if (v->kind == AST_IDENT && strcmp(v->text, "members") == 0) {
        out->kind = PRIN_MEMBERS;
        return true;
    }
    if (v->kind == AST_IDENT && strcmp(v->text, "organization") == 0) {
        if (allow_org) {
            out->kind = PRIN_ORGANIZATION;
            return true;
        }
        struct diag *d = type_error(s, v, "an account or members");
        diag_help(s->cc, d, "a vault or key is held by one account, or by each member account (members)");
        return false;
    }
    struct ir_decl *d = val_ref(s, v, KIND(DK_ACCOUNT) | KIND(DK_BUILTIN));
    if (!d)
        return false;
    out->kind = PRIN_ACCOUNT;
    out->account = (struct ir_account *)d;
    return true;
}

bool val_principal(struct sema *s, const struct ast_value *v, struct ir_principal *out)
{
    return principal(s, v, false, out);
}

bool val_principals(struct sema *s, const struct ast_value *v, struct vec *out)
{
    bool ok = true;
    size_t n = v->kind == AST_LIST ? v->items.len : 1;
    struct strmap listed = {0};
    for (size_t i = 0; i < n; i++) {
        const struct ast_value *it = v->kind == AST_LIST ? VEC_GET(const struct ast_value, v->items, i) : v;
        struct ir_principal *p = arena_alloc(s->a, sizeof *p);
        if (!principal(s, it, true, p) || val_listed_twice(s, &listed, it)) {
            ok = false;
            continue;
        }
        vec_push(s->a, out, p);
    }
    return ok;
}

int val_enum(struct sema *s, const struct ast_value *v, const char *const *choices)
{
    size_t n = 0;
    if (v->kind == AST_IDENT)
        for (; choices[n]; n++)
            if (strcmp(choices[n], v->text) == 0)
                return (int)n;
    for (n = 0; choices[n]; n++)
        ;
    struct strbuf want = {0};
    for (size_t i = 0; i < n; i++)
        sb_printf(s->a, &want, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", choices[i]);
    struct diag *d = type_error(s, v, sb_str(s->a, &want));
    const char *guess = v->kind == AST_IDENT || v->kind == AST_STRING ? suggest_name(v->text, choices, n) : NULL;
    if (v->kind == AST_STRING && !guess) {
        for (size_t i = 0; i < n; i++)
            if (strcmp(choices[i], v->text) == 0)
                guess = choices[i];
    }
    if (guess)
        diag_help(s->cc, d, "write %s", guess);
    else
        diag_help(s->cc, d, "write one of: %s", sb_str(s->a, &want));
    return -1;
}
