/*
 * import_ob.c - `obc import`: an IR of the shape a BACKUP_POLICY document
 * gives (json_lower.c), or of a compiled .ob program, printed back as a
 * readable .ob program, and proved to mean the same.
 *
 * Owns: the printed program (docs/import.md): `import "std/aws"`, the
 * accounts that own vaults, every vault as `external = true`, one
 * selection per selection entry with its `match` rebuilt from the entry,
 * the plans with their rules (schedules back in their phrase form when
 * one gives exactly the same cron), and one `policy` per document; the
 * names it gives declarations (the standard library's role where a
 * selection's role ARN is that role's); the import codes OB1130-OB1134.
 *
 * Exactness by construction: the printed text is compiled in a fresh
 * compilation, and every policy it emits must equal, as a JSON value, the
 * policy the input IR emits. A schedule phrase that the real schedule
 * parser turns into another cron is printed as cron("...") instead; any
 * other difference is OB1134 (a bug in obc), never output.
 *
 * Does not: read JSON (json_lower.c does), write files (main.c does), or
 * print what a document cannot hold (keys, locks, roles' policies,
 * attachments): a policy document has none of it.
 */
#include "driver.h"
#include "emit.h"
#include "front.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The names of one kind in the printed program, and per base name the
 * suffix to try next, so that many names of one base stay linear. */
struct names {
    struct strmap used; /* name -> itself */
    struct strmap next; /* base -> unsigned*: the next suffix */
};

struct printer {
    struct obc *cc;
    struct arena *a;
    const struct ir_program *prog;
    struct strbuf out;
    bool ok;
    struct names taken[DK_COUNT]; /* per kind, the names the printed program declares */
    struct ptrset names;     /* IR object -> const char*: its printed name */
    struct vec plans;        /* struct ir_plan*: in a policy, program order */
    struct vec vaults;       /* struct ir_vault*: used by those plans, program order */
    struct vec selections;   /* struct ir_selection*: selected by those plans, program order */
    struct vec accounts;     /* struct ir_account*: owners of those vaults */
    struct ptrset cron_only; /* rules whose schedule phrase gave another cron */
    struct ptrset reported;  /* declarations OB1131 or OB1132 was reported for */
    struct strmap partitions; /* partition name -> itself: one key per partition for MEMO_ROLE */
};

enum { NAME_OF = 1, MEMO_ROLE };

/* ---- text ----------------------------------------------------------- */

static bool is_reserved(const char *s)
{
    static const char *const words[] = {"and", "or", "not", "in", "like", "true", "false", "members", "organization"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return false;
}

/* [A-Za-z_][A-Za-z0-9_-]* and not an operator or a builtin. */
static bool is_identifier(const char *s)
{
    if (!s || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '-'))
            return false;
    return !is_reserved(s);
}

/* An identifier made of `want`, not yet taken (now taken): `want`
 * itself, else with other characters as '_', else with "_2", "_3"... */
static const char *fresh_name(struct printer *p, struct names *taken, const char *want, const char *fallback)
{
    struct strbuf b = {0};
    if (!want || !want[0])
        want = fallback;
    if (!((want[0] >= 'A' && want[0] <= 'Z') || (want[0] >= 'a' && want[0] <= 'z') || want[0] == '_'))
        sb_printf(p->a, &b, "%s_", fallback);
    for (const char *s = want; *s; s++) {
        char c = *s;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        sb_putn(p->a, &b, ok ? &c : "_", 1);
    }
    const char *base = sb_str(p->a, &b);
    if (is_reserved(base))
        base = arena_printf(p->a, "%s_%s", fallback, base);
    if (!strmap_put_new(p->a, &taken->used, base, (void *)base))
        return base;
    unsigned *n = strmap_get(&taken->next, base);
    if (!n) {
        n = arena_alloc(p->a, sizeof *n);
        *n = 2;
        strmap_put_new(p->a, &taken->next, base, n);
    }
    const char *name;
    do
        name = arena_printf(p->a, "%s_%u", base, (*n)++);
    while (strmap_put_new(p->a, &taken->used, name, (void *)name));
    return name;
}

static const char *name_of(const struct printer *p, const void *obj)
{
    return ptrset_get(&p->names, NAME_OF, obj, NULL);
}

static void set_name(struct printer *p, const void *obj, const char *name)
{
    bool added;
    *ptrset_put(p->a, &p->names, NAME_OF, obj, NULL, &added) = (void *)name;
}

static void put(struct printer *p, const char *s)
{
    sb_puts(p->a, &p->out, s);
}

static void putf(struct printer *p, const char *fmt, ...) OBC_PRINTF(2, 3);
static void putf(struct printer *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put(p, arena_vprintf(p->a, fmt, ap));
    va_end(ap);
}

/* A string literal of the language: \" \\ \n \t, other control
 * characters and invisible or bidirectional ones as \u{X}. */
static void put_string(struct printer *p, const char *s)
{
    put(p, "\"");
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(u + i, n - i, &cp);
        if (len == 0) { /* not UTF-8: the readers never give such text */
            putf(p, "\\u{%X}", u[i]);
            i++;
            continue;
        }
        if (cp == '"')
            put(p, "\\\"");
        else if (cp == '\\')
            put(p, "\\\\");
        else if (cp == '\n')
            put(p, "\\n");
        else if (cp == '\t')
            put(p, "\\t");
        else if (cp < 0x20 || cp == 0x7f || unicode_invisible_name(cp))
            putf(p, "\\u{%" PRIX32 "}", cp);
        else
            sb_putn(p->a, &p->out, s + i, len);
        i += len;
    }
    put(p, "\"");
}

/* Days as retention is usually said: whole years (365 days) as 1y,
 * anything else in days (35d; AWS counts days, and 5w reads worse). */
static void put_days(struct printer *p, int64_t d)
{
    if (d > 0 && d % 365 == 0)
        putf(p, "%" PRId64 "y", d / 365);
    else
        putf(p, "%" PRId64 "d", d);
}

static void put_minutes(struct printer *p, int64_t m)
{
    if (m > 0 && m % 60 == 0)
        putf(p, "%" PRId64 "h", m / 60);
    else
        putf(p, "%" PRId64 "min", m);
}

static void fail(struct printer *p, enum diag_code code, struct loc loc, const char *help, const char *fmt, ...)
    OBC_PRINTF(5, 6);

/* The name of a region or resource type, which the printed program
 * takes from the standard library: OB1131 for one the program declares. */
static const char *std_name(struct printer *p, const struct ir_decl *d)
{
    if (!d->from_stdlib && ptrset_add(p->a, &p->reported, d))
        fail(p, OB1131, d->name_loc,
             "import policies whose regions and resource types the standard library declares",
             "%s '%s' is declared by the program, not by the standard library, which is all the printed program "
             "imports", decl_kind_name(d->kind), text_safe(p->a, d->name));
    return d->name;
}

/* [a, b, ...], each declaration once: two ARN patterns of one type (fsx's
 * file systems and volumes) read from a document are one name. */
static void put_decl_list(struct printer *p, const struct vec *items)
{
    struct ptrset seen = {0};
    bool first = true;
    put(p, "[");
    for (size_t i = 0; i < items->len; i++) {
        if (!ptrset_add(p->a, &seen, items->items[i]))
            continue;
        putf(p, "%s%s", first ? "" : ", ", std_name(p, items->items[i]));
        first = false;
    }
    put(p, "]");
}

/* ---- what is printed ------------------------------------------------ */

static void fail(struct printer *p, enum diag_code code, struct loc loc, const char *help, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = arena_vprintf(p->a, fmt, ap);
    va_end(ap);
    struct diag *d = diag_emit(p->cc, code, loc, "%s", msg);
    diag_help(p->cc, d, "%s", help);
    p->ok = false;
}

/* The plans, vaults, selections and accounts the policies reach, each
 * once, in program order. */
static void collect(struct printer *p)
{
    const struct ir_program *g = p->prog;
    struct ptrset in_policy = {0}, used = {0};
    for (size_t i = 0; i < g->policies.len; i++)
        ptrset_add_all(p->a, &in_policy, &((const struct ir_policy *)g->policies.items[i])->plans);
    for (size_t i = 0; i < g->plans.len; i++) {
        struct ir_plan *pl = g->plans.items[i];
        if (!ptrset_has(&in_policy, pl))
            continue;
        vec_push(p->a, &p->plans, pl);
        ptrset_add_all(p->a, &used, &pl->selections);
        for (size_t j = 0; j < pl->rules.len; j++) {
            const struct ir_rule *r = pl->rules.items[j];
            ptrset_add(p->a, &used, r->vault);
            ptrset_add(p->a, &used, r->air_gapped_vault);
            for (size_t k = 0; k < r->copies.len; k++)
                ptrset_add(p->a, &used, ((const struct ir_copy *)r->copies.items[k])->target);
        }
    }
    struct ptrset owners = {0};
    for (size_t i = 0; i < g->vaults.len; i++) {
        struct ir_vault *v = g->vaults.items[i];
        if (!ptrset_has(&used, v))
            continue;
        vec_push(p->a, &p->vaults, v);
        if (v->owner.kind == PRIN_ACCOUNT && v->owner.account)
            vec_push_new(p->a, &p->accounts, &owners, v->owner.account);
    }
    for (size_t i = 0; i < g->selections.len; i++)
        if (ptrset_has(&used, g->selections.items[i]))
            vec_push(p->a, &p->selections, g->selections.items[i]);
}

/* ---- accounts and vaults -------------------------------------------- */

static void print_accounts(struct printer *p)
{
    for (size_t i = 0; i < p->accounts.len; i++) {
        const struct ir_account *acc = p->accounts.items[i];
        const char *want = is_identifier(acc->d.name) ? acc->d.name : arena_printf(p->a, "account_%s", acc->id);
        const char *name = fresh_name(p, &p->taken[DK_ACCOUNT], want, "account");
        set_name(p, acc, name);
        putf(p, "account %s = ", name);
        put_string(p, acc->id);
        put(p, "\n");
    }
    if (p->accounts.len)
        put(p, "\n");
}

/* "WORD NAME {", the line `first` (NULL: none) and, when the printed name
 * is not the AWS name, its `name = "AWS"` line. */
static void put_block_head(struct printer *p, const char *word, const char *name, const char *first,
                           const char *aws)
{
    putf(p, "%s %s {\n", word, name);
    if (first)
        put(p, first);
    if (strcmp(name, aws) != 0) {
        put(p, "  name = ");
        put_string(p, aws);
        put(p, "\n");
    }
}

static void print_vault(struct printer *p, const struct ir_vault *v)
{
    const char *aws = v->aws_name.s ? v->aws_name.s : v->d.name;
    const char *name = fresh_name(p, &p->taken[DK_VAULT], aws, "vault");
    set_name(p, v, name);
    put_block_head(p, "vault", name, "  external = true\n", aws);
    if (v->owner.kind == PRIN_ACCOUNT && v->owner.account)
        putf(p, "  owner = %s\n", name_of(p, v->owner.account));
    if (v->regions.len == 1)
        putf(p, "  region = %s\n", std_name(p, v->regions.items[0]));
    else if (v->regions.len) {
        put(p, "  region = ");
        put_decl_list(p, &v->regions);
        put(p, "\n");
    }
    if (v->air_gapped)
        put(p, "  type = logically_air_gapped\n");
    put(p, "}\n");
}

/* ---- selections ----------------------------------------------------- */

static const char *const cond_op_text[] = {
    [COND_EQUALS] = "==", [COND_NOT_EQUALS] = "!=", [COND_LIKE] = "like", [COND_NOT_LIKE] = "not like"};

static void put_tag(struct printer *p, const char *key)
{
    put(p, "tag(");
    put_string(p, key);
    put(p, ")");
}

/* A role as the printed program writes it: the name of the standard
 * library's role with that ARN in the plan's partition (std roles are
 * built per partition), else role "ARN". */
static const char *role_text(struct printer *p, const char *arn, const char *partition)
{
    bool fresh;
    struct strmap *by_arn = ptrset_memo(p->a, &p->names, MEMO_ROLE, partition ? strmap_get(&p->partitions, partition)
                                                                              : NULL,
                                        NULL, sizeof *by_arn, &fresh);
    if (fresh)
        for (size_t i = 0; i < p->prog->roles.len; i++) {
            const struct ir_role *r = p->prog->roles.items[i];
            if (r->d.from_stdlib && r->d.name)
                strmap_put_new(p->a, by_arn, role_arn(p->a, r, partition), (void *)r->d.name);
        }
    const char *std = strmap_get(by_arn, arn);
    if (std)
        return std;
    struct strbuf saved = p->out;
    p->out = (struct strbuf){0};
    put(p, "role ");
    put_string(p, arn);
    const char *text = sb_str(p->a, &p->out);
    p->out = saved;
    return text;
}

/* The role of each printed selection, as role_text() writes it: its ARN
 * must be the same in every plan that selects it (a role without an
 * explicit ARN takes the plan's partition), else OB1132. One pass over
 * the plans' selections. */
static void selection_roles(struct printer *p)
{
    struct ptrset arns = {0}; /* selection -> its ARN */
    for (size_t i = 0; i < p->plans.len; i++) {
        const struct ir_plan *pl = p->plans.items[i];
        const char *partition = plan_partition(pl);
        strmap_put_new(p->a, &p->partitions, partition, (void *)partition);
        for (size_t j = 0; j < pl->selections.len; j++) {
            const struct ir_selection *sel = pl->selections.items[j];
            if (!sel->role)
                continue;
            const char *arn = role_arn(p->a, sel->role, partition);
            bool added;
            void **first = ptrset_put(p->a, &arns, 0, sel, NULL, &added);
            if (added) {
                *first = (void *)arn;
                set_name(p, sel, role_text(p, arn, partition));
            } else if (strcmp(*first, arn) != 0 && ptrset_add(p->a, &p->reported, sel)) {
                fail(p, OB1132, sel->d.name_loc,
                     "give the selection's role an explicit ARN (role \"arn:...\"), or one selection per partition",
                     "selection '%s' has role ARN '%s' in one plan and '%s' in another (their partitions differ): "
                     "one selection entry of the printed program has one role",
                     text_safe(p->a, sel->d.name), text_safe(p->a, *first), text_safe(p->a, arn));
            }
        }
    }
}

/* The ARN pattern of a resource_types value as stored with a std type:
 * what follows "arn:PARTITION:" (fsx volumes: "fsx:*:*:volume/" then a
 * star), or "*". */
static const char *arn_pattern(const char *arn)
{
    if (strncmp(arn, "arn:", 4) != 0)
        return arn;
    const char *colon = strchr(arn + 4, ':');
    return colon ? colon + 1 : arn;
}

/* Whether the patterns a document wrote (`written`) hold every pattern of
 * each type the entry names (`types`): the language writes a type as all
 * of its patterns, so a document that names only some of them (fsx's
 * volumes without its file systems) cannot be printed as that type. */
static bool types_whole(struct printer *p, const struct vec *types, const struct vec *written)
{
    if (!written->len)
        return true;
    struct strmap have = {0};
    for (size_t i = 0; i < written->len; i++)
        strmap_put_new(p->a, &have, arn_pattern(written->items[i]), written->items[i]);
    for (size_t i = 0; i < types->len; i++) {
        const struct ir_restype *t = types->items[i];
        for (size_t j = 0; j < t->arns.len; j++)
            if (!strmap_get(&have, t->arns.items[j]))
                return false;
    }
    return true;
}

/* A tags entry's match: tag("K") == "v" or tag("K") in [...], and the
 * conditions in order. The language lowers exactly that back (the first
 * test gives tag_key, selector.c choose_tag_key) when the values are
 * distinct and there is at least one. */
static bool entry_rebuildable(struct printer *p, const struct ir_selection *sel, const struct ir_sel_entry *e)
{
    const char *why = NULL;
    const char *help = "give the entry what AWS needs (a tag_key with distinct values, or resource types), "
                       "then import again";
    if (e->resources && !e->types.len)
        why = "it names no resource type";
    else if (!types_whole(p, &e->types, &e->type_arns) || !types_whole(p, &e->not_types, &e->not_type_arns)) {
        why = "its resource_types name only some of the ARN patterns of a resource type, which the "
              "language writes as all of them (fsx: file systems and volumes)";
        help = "list every ARN pattern of the type in resource_types (docs/stdlib.md gives them), "
               "then import again";
    }
    else if (!e->resources && (!e->tag_key || !e->tag_values.len))
        why = "it has no tag_key or no tag_value";
    else if (!e->resources) {
        struct strmap seen = {0};
        for (size_t i = 0; i < e->tag_values.len && !why; i++)
            if (strmap_put_new(p->a, &seen, e->tag_values.items[i], e->tag_values.items[i]))
                why = "its tag_value list holds a value twice";
    }
    if (!why)
        return true;
    fail(p, OB1132, e->loc.file ? e->loc : sel->d.name_loc, help,
         "selection entry '%s' cannot be written as a match expression: %s", text_safe(p->a, e->name), why);
    return false;
}

static void print_match(struct printer *p, const struct ir_sel_entry *e)
{
    bool first = true;
    if (e->resources) {
        put(p, "type in ");
        put_decl_list(p, &e->types);
        if (e->not_types.len) {
            put(p, " and type not in ");
            put_decl_list(p, &e->not_types);
        }
        first = false;
    } else {
        put_tag(p, e->tag_key);
        if (e->tag_values.len == 1) {
            put(p, " == ");
            put_string(p, e->tag_values.items[0]);
        } else {
            put(p, " in [");
            for (size_t i = 0; i < e->tag_values.len; i++) {
                if (i)
                    put(p, ", ");
                put_string(p, e->tag_values.items[i]);
            }
            put(p, "]");
        }
        first = false;
    }
    for (size_t i = 0; i < e->conditions.len; i++) {
        const struct ir_condition *c = e->conditions.items[i];
        put(p, first ? "" : " and\n          ");
        put_tag(p, c->tag_key);
        putf(p, " %s ", cond_op_text[c->op]);
        put_string(p, c->value);
    }
}

/* The `children` lines of a block: one per control of `controls`
 * (struct ir_control*), named through policy_paths.def; OB1132 for a
 * node the language has no name for. */
static void put_controls(struct printer *p, const char *indent, const char *block, const struct vec *controls)
{
    static const char *const words[] = {"assign", "append", "remove"};
    for (size_t i = 0; i < controls->len; i++) {
        const struct ir_control *c = controls->items[i];
        const char *name = policy_name_of_path(p->a, block, &c->path);
        if (!name) {
            struct strbuf b = {0};
            for (size_t k = 0; k < c->path.len; k++)
                sb_printf(p->a, &b, "%s%s", k ? "." : "", (const char *)c->path.items[k]);
            fail(p, OB1132, c->loc, "move the control to a node the language names (docs/language.md, "
                                    "\"Inheritance\"), or remove it",
                 "the child control on \"%s\" of this %s has no name in the language", text_safe(p->a, sb_str(p->a, &b)),
                 block);
            continue;
        }
        putf(p, "%schildren%s%s = ", indent, name[0] ? " " : "", name);
        if (c->all)
            put(p, "all");
        else if (!c->allowed)
            put(p, "none");
        else {
            put(p, "[");
            size_t n = 0;
            for (unsigned k = 0; k < 3; k++)
                if (c->allowed & (1u << k))
                    putf(p, "%s%s", n++ ? ", " : "", words[k]);
            put(p, "]");
        }
        put(p, "\n");
    }
}

/* " = ", " += " or " -= " for a list written with `op`. */
static const char *op_text(enum ir_list_op op)
{
    return op == IR_OP_APPEND ? " += " : op == IR_OP_REMOVE ? " -= " : " = ";
}

/* The one operator of an entry's lists, or false when they differ (the
 * language gives one to the whole `match`). */
static bool entry_op(const struct ir_sel_entry *e, enum ir_list_op *op)
{
    *op = e->resources ? e->types_op : e->tag_values_op;
    return !e->resources || !e->not_types.len || e->not_types_op == e->types_op;
}

static void print_selection(struct printer *p, const struct ir_selection *sel)
{
    const char *role = name_of(p, sel); /* selection_roles() */
    for (size_t i = 0; i < sel->entries.len; i++) {
        const struct ir_sel_entry *e = sel->entries.items[i];
        if (!entry_rebuildable(p, sel, e))
            continue;
        struct names *taken = &p->taken[DK_SELECTION];
        bool plain = is_identifier(e->name) && strlen(e->name) <= AWS_NAME_MAX && !strmap_get(&taken->used, e->name);
        const char *name = fresh_name(p, taken, e->name, "selection");
        set_name(p, e, name);
        putf(p, "selection %s {\n", name);
        if (!plain) {
            put(p, "  name = ");
            put_string(p, e->name);
            put(p, "\n");
        }
        if (role)
            putf(p, "  role = %s\n", role);
        enum ir_list_op op;
        if (!entry_op(e, &op))
            fail(p, OB1132, e->loc, "write resource_types and not_resource_types with the same operator",
                 "selection '%s' writes resource_types and not_resource_types with different operators; the "
                 "language gives one operator to a whole match", text_safe(p->a, e->name));
        putf(p, "  match%s", op_text(op));
        print_match(p, e);
        put(p, "\n");
        put_controls(p, "  ", "selection", &sel->controls);
        put(p, "}\n");
    }
}

/* ---- schedules ------------------------------------------------------ */

static const char *const day_words[] = {"", "sun", "mon", "tue", "wed", "thu", "fri", "sat"};
static const char *const nth_words[] = {"", "first", "second", "third", "fourth"};

static int small_number(const char *s, int max)
{
    if (!s[0] || strlen(s) > 2)
        return -1;
    int v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        v = v * 10 + (*c - '0');
    }
    return v <= max ? v : -1;
}

static int day_number(const char *s)
{
    static const char *const names[] = {"", "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    for (int i = 1; i <= 7; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    int v = small_number(s, 7);
    return v >= 1 ? v : -1;
}

/* The phrase that may give this cron (six normalized fields), or NULL.
 * The caller verifies it through the schedule parser. */
static const char *schedule_phrase(struct arena *a, const char *fields)
{
    char f[6][64];
    if (sscanf(fields, "%63s %63s %63s %63s %63s %63s", f[0], f[1], f[2], f[3], f[4], f[5]) != 6 ||
        strcmp(f[3], "*") != 0 || strcmp(f[5], "*") != 0)
        return NULL;
    int min = small_number(f[0], 59), hour = small_number(f[1], 23);
    if (min == 0 && strcmp(f[1], "*") == 0 && strcmp(f[2], "?") == 0 && strcmp(f[4], "*") == 0)
        return "hourly";
    if (min == 0 && strncmp(f[1], "0/", 2) == 0 && strcmp(f[2], "?") == 0 && strcmp(f[4], "*") == 0) {
        int n = small_number(f[1] + 2, 23);
        return n > 0 && 24 % n == 0 ? arena_printf(a, "every %dh", n) : NULL;
    }
    if (min < 0 || hour < 0)
        return NULL;
    const char *at = arena_printf(a, "at %02d:%02d", hour, min);
    if (strcmp(f[2], "?") == 0 && strcmp(f[4], "*") == 0)
        return arena_printf(a, "daily %s", at);
    if (strcmp(f[2], "L") == 0 && strcmp(f[4], "?") == 0)
        return arena_printf(a, "monthly on last day %s", at);
    int dom = small_number(f[2], 31);
    if (dom >= 1 && strcmp(f[4], "?") == 0)
        return arena_printf(a, "monthly on day %d %s", dom, at);
    if (strcmp(f[2], "?") != 0)
        return NULL;
    size_t n = strlen(f[4]);
    char *hash = strchr(f[4], '#');
    if (hash) {
        *hash = '\0';
        int d = day_number(f[4]), k = small_number(hash + 1, 4);
        return d > 0 && k >= 1 ? arena_printf(a, "monthly on %s %s %s", nth_words[k], day_words[d], at) : NULL;
    }
    if (n > 1 && f[4][n - 1] == 'L') {
        f[4][n - 1] = '\0';
        int d = day_number(f[4]);
        return d > 0 ? arena_printf(a, "monthly on last %s %s", day_words[d], at) : NULL;
    }
    struct strbuf days = {0};
    for (char *tok = f[4]; tok;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        int d = day_number(tok);
        if (d < 0)
            return NULL;
        sb_printf(a, &days, "%s%s", days.len ? ", " : "", day_words[d]);
        tok = comma ? comma + 1 : NULL;
    }
    return days.len ? arena_printf(a, "weekly on %s %s", sb_str(a, &days), at) : NULL;
}

/* The six fields of the rule's cron: the parsed form's text, else the
 * text inside cron(...). */
static const char *cron_fields(struct printer *p, const struct ir_rule *r)
{
    if (r->cronv && r->cronv->text)
        return r->cronv->text;
    size_t n = r->cron ? strlen(r->cron) : 0;
    if (n > 6 && strncmp(r->cron, "cron(", 5) == 0 && r->cron[n - 1] == ')')
        return arena_strndup(p->a, r->cron + 5, n - 6);
    return r->cron ? r->cron : "";
}

static void print_schedule(struct printer *p, const struct ir_rule *r)
{
    const char *fields = cron_fields(p, r);
    const char *phrase = ptrset_has(&p->cron_only, r) ? NULL : schedule_phrase(p->a, fields);
    put(p, "    schedule = ");
    if (phrase) {
        put(p, phrase);
    } else {
        put(p, "cron(");
        put_string(p, fields);
        put(p, ")");
    }
    put(p, "\n");
}

/* ---- plans ---------------------------------------------------------- */

static void put_tags(struct printer *p, const char *indent, const struct vec *tags)
{
    if (tags->len == 0) {
        putf(p, "%stags = {}\n", indent);
        return;
    }
    putf(p, "%stags = {\n", indent);
    for (size_t i = 0; i < tags->len; i++) {
        const struct ir_tag *t = tags->items[i];
        putf(p, "%s  ", indent);
        put_string(p, t->key);
        put(p, " = ");
        put_string(p, t->value ? t->value : "");
        put(p, "\n");
    }
    putf(p, "%s}\n", indent);
}

static void put_lifecycle(struct printer *p, const char *indent, const struct ir_lifecycle *lc)
{
    if (lc->delete_after.state == IR_SET) {
        putf(p, "%sdelete_after = ", indent);
        put_days(p, lc->delete_after.v);
        put(p, "\n");
    }
    if (lc->cold_after.state == IR_SET) {
        putf(p, "%scold_after = ", indent);
        put_days(p, lc->cold_after.v);
        put(p, "\n");
    }
    if (lc->archive.state == IR_SET)
        putf(p, "%sarchive = %s\n", indent, lc->archive.v ? "true" : "false");
}

static void print_copy(struct printer *p, const struct ir_rule *r, const struct ir_copy *c)
{
    if (c->target->regions.len != 1) {
        fail(p, OB1131, c->loc,
             "name the destination vault's Region in its ARN instead of $region",
             "%s copies into vault '%s' without naming one Region for it (an ARN with $region): a copy in the "
             "language names a vault of one Region",
             text_safe(p->a, ir_rule_name(r)), text_safe(p->a, c->target->aws_name.s ? c->target->aws_name.s : ""));
        return;
    }
    putf(p, "    copy to %s", name_of(p, c->target));
    if (c->lc.delete_after.state != IR_SET && c->lc.cold_after.state != IR_SET && c->lc.archive.state != IR_SET &&
        !c->controls.len) {
        put(p, " {}\n");
        return;
    }
    put(p, " {\n");
    put_lifecycle(p, "      ", &c->lc);
    put_controls(p, "      ", "copy", &c->controls);
    put(p, "    }\n");
}

static void print_rule(struct printer *p, struct names *rule_names, const struct ir_rule *r)
{
    const char *aws = ir_rule_name(r);
    const char *name = fresh_name(p, rule_names, aws, "rule");
    putf(p, "  rule %s {\n", name);
    if (strcmp(name, aws) != 0) {
        put(p, "    name = ");
        put_string(p, aws);
        put(p, "\n");
    }
    if (r->cron) /* a rule of a partial plan may have none */
        print_schedule(p, r);
    if (r->vault)
        putf(p, "    vault = %s\n", name_of(p, r->vault));
    if (r->start_within.state == IR_SET) {
        put(p, "    start_within = ");
        put_minutes(p, r->start_within.v);
        put(p, "\n");
    }
    if (r->complete_within.state == IR_SET) {
        put(p, "    complete_within = ");
        put_minutes(p, r->complete_within.v);
        put(p, "\n");
    }
    if (r->continuous.state == IR_SET)
        putf(p, "    continuous = %s\n", r->continuous.v ? "true" : "false");
    put_lifecycle(p, "    ", &r->lc);
    if (r->tags.len || r->tags_at.state == IR_SET)
        put_tags(p, "    ", &r->tags);
    if (r->air_gapped_vault)
        putf(p, "    air_gapped_vault = %s\n", name_of(p, r->air_gapped_vault));
    if (r->scan != SCAN_NONE)
        putf(p, "    scan = %s\n", r->scan == SCAN_FULL ? "full" : "incremental");
    if (r->index_at.state == IR_SET) {
        putf(p, "    index%s", op_text(r->index_op));
        put_decl_list(p, &r->index_types);
        put(p, "\n");
    }
    put_controls(p, "    ", "rule", &r->controls);
    for (size_t i = 0; i < r->copies.len; i++)
        print_copy(p, r, r->copies.items[i]);
    put(p, "  }\n");
}

static void put_flag(struct printer *p, const char *attr, const struct ir_flag *f)
{
    if (f->state == IR_SET)
        putf(p, "  %s = %s\n", attr, f->v ? "true" : "false");
}

/* A plan the language writes `partial = true`: one the program says is,
 * or a document's plan without a key a complete plan has (the Regions,
 * a selection, a rule with its schedule and vault). */
static bool plan_partial(const struct ir_plan *pl)
{
    if (pl->partial || pl->regions_at.state != IR_SET || !pl->selections.len || !pl->rules.len)
        return true;
    for (size_t i = 0; i < pl->rules.len; i++) {
        const struct ir_rule *r = pl->rules.items[i];
        if (!r->cron || !r->vault)
            return true;
    }
    return false;
}

static void print_plan(struct printer *p, const struct ir_plan *pl)
{
    bool partial = plan_partial(pl);
    const char *aws = ir_plan_name(pl);
    const char *name = fresh_name(p, &p->taken[DK_PLAN], aws, "plan");
    set_name(p, pl, name);
    put_block_head(p, "plan", name, NULL, aws);
    if (partial)
        put(p, "  partial = true\n");
    if (pl->regions_at.state == IR_SET || !partial) {
        putf(p, "  regions%s", op_text(pl->regions_op));
        put_decl_list(p, &pl->regions);
        put(p, "\n");
    }
    if (!partial || pl->selections.len) { /* a partial plan may say nothing of them */
        put(p, "  select = [");
        size_t n = 0;
        for (size_t i = 0; i < pl->selections.len; i++) {
            const struct ir_selection *sel = pl->selections.items[i];
            for (size_t j = 0; j < sel->entries.len; j++) {
                const char *e = name_of(p, sel->entries.items[j]);
                if (e)
                    putf(p, "%s%s", n++ ? ", " : "", e);
            }
        }
        put(p, "]\n");
    }
    put_flag(p, "windows_vss", &pl->windows_vss);
    put_flag(p, "backup_acls", &pl->s3_backup_acls);
    put_flag(p, "backup_object_tags", &pl->s3_backup_object_tags);
    if (pl->tags.len || pl->tags_at.state == IR_SET)
        put_tags(p, "  ", &pl->tags);
    if (pl->scan_types_at.state == IR_SET) { /* a partial plan may name no scanner */
        putf(p, "  scan_types%s", op_text(pl->scan_types_op));
        put_decl_list(p, &pl->scan_types);
        put(p, "\n");
    }
    if (pl->scan_role) {
        const char *partition = plan_partition(pl);
        putf(p, "  scan_role = %s\n", role_text(p, role_arn(p->a, pl->scan_role, partition), partition));
    }
    put_controls(p, "  ", "plan", &pl->controls);
    struct names rule_names = {0};
    for (size_t i = 0; i < pl->rules.len; i++)
        print_rule(p, &rule_names, pl->rules.items[i]);
    put(p, "}\n");
}

static void print_policy(struct printer *p, const struct ir_policy *pol)
{
    if (pol->document && pol->renamed_label.file && ptrset_add(p->a, &p->reported, pol)) {
        /* once, however many rounds print it */
        struct diag *d = diag_emit(p->cc, OB1133, pol->renamed_label,
                                   "policy '%s': the program names tag entries and conditions after their tag "
                                   "keys, so ids such as this one change; AWS discards them",
                                   text_safe(p->a, pol->d.name));
        diag_help(p->cc, d, "nothing to change: the tags and conditions themselves are kept");
    }
    const char *name = fresh_name(p, &p->taken[DK_POLICY], pol->d.name, "policy");
    set_name(p, pol, name);
    put(p, "# The document says nothing about where it is attached: add\n"
           "# attach = [...] (roots, OUs, accounts) before compiling it.\n");
    putf(p, "policy %s {\n  plans = [", name);
    for (size_t i = 0; i < pol->plans.len; i++)
        putf(p, "%s%s", i ? ", " : "", name_of(p, pol->plans.items[i]));
    put(p, "]\n");
    put_controls(p, "  ", "policy", &pol->controls);
    put(p, "}\n");
}

/* The length of the attribute name of an `  name = value` line (at
 * indentation `*indent`), or 0 for any other line. */
static size_t attr_key(const char *line, size_t len, size_t *indent)
{
    size_t i = 0;
    while (i < len && line[i] == ' ')
        i++;
    *indent = i;
    size_t k = i;
    while (k < len && ((line[k] >= 'a' && line[k] <= 'z') || line[k] == '_'))
        k++;
    if (k == i || k + 2 >= len || line[k] != ' ')
        return 0;
    size_t e = k;
    while (e < len && line[e] == ' ')
        e++;
    return e < len && line[e] == '=' ? k - i : 0;
}

/* The printed text with the `=` of consecutive attribute lines of one
 * block lined up: each run is measured once and written once. */
static const char *align(struct printer *p, const char *text)
{
    struct strbuf out = {0};
    const char *s = text;
    while (*s) {
        size_t indent, width = 0, n = 0;
        const char *run = s;
        for (const char *l = s; *l; n++) {
            const char *nl = strchr(l, '\n');
            size_t len = nl ? (size_t)(nl - l) : strlen(l), in;
            size_t key = attr_key(l, len, &in);
            if (!key || (n && in != indent))
                break;
            indent = in;
            width = key > width ? key : width;
            l = nl ? nl + 1 : l + len;
        }
        if (!n) { /* not an attribute line: as it is */
            const char *nl = strchr(s, '\n');
            size_t len = nl ? (size_t)(nl - s) + 1 : strlen(s);
            sb_putn(p->a, &out, s, len);
            s += len;
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            const char *nl = strchr(run, '\n');
            size_t len = nl ? (size_t)(nl - run) : strlen(run), in;
            size_t key = attr_key(run, len, &in);
            const char *eq = strchr(run + in + key, '=');
            sb_putn(p->a, &out, run, in + key);
            sb_printf(p->a, &out, "%*s", (int)(width - key + 1), "");
            sb_putn(p->a, &out, eq, (size_t)(run + len - eq));
            if (nl)
                sb_puts(p->a, &out, "\n");
            run = nl ? nl + 1 : run + len;
        }
        s = run;
    }
    return sb_str(p->a, &out);
}

static const char *print_program(struct printer *p)
{
    p->out = (struct strbuf){0};
    for (size_t k = 0; k < DK_COUNT; k++)
        p->taken[k] = (struct names){0};
    p->names = (struct ptrset){0};
    p->plans = p->vaults = p->selections = p->accounts = (struct vec){0};
    p->partitions = (struct strmap){0};
    collect(p);
    selection_roles(p);
    put(p, "# Imported by obc import: every vault is external (created and\n"
           "# configured outside this program).\n"
           "import \"std/aws\"\n\n");
    print_accounts(p);
    for (size_t i = 0; i < p->vaults.len; i++) {
        if (i)
            put(p, "\n");
        print_vault(p, p->vaults.items[i]);
    }
    for (size_t i = 0; i < p->selections.len; i++) {
        put(p, "\n");
        print_selection(p, p->selections.items[i]);
    }
    for (size_t i = 0; i < p->plans.len; i++) {
        put(p, "\n");
        print_plan(p, p->plans.items[i]);
    }
    for (size_t i = 0; i < p->prog->policies.len; i++) {
        put(p, "\n");
        print_policy(p, p->prog->policies.items[i]);
    }
    return align(p, sb_str(p->a, &p->out));
}

/* ---- proof ---------------------------------------------------------- */

/* Compiles `text` in `fresh` (initialized by the caller): its program,
 * or NULL when it has errors. */
static const struct ir_program *compile_print(struct obc *fresh, const char *text)
{
    load_text(fresh, "import.ob", text, strlen(text));
    const struct ir_program *g = obc_analyze(fresh);
    return g && !fresh->diag.errors ? g : NULL;
}

/* The first error of the fresh compilation, for OB1134. */
static const char *first_error(struct printer *p, const struct obc *fresh)
{
    for (size_t i = 0; i < fresh->diag.list.len; i++) {
        const struct diag *d = fresh->diag.list.items[i];
        if (d->sev == SEV_ERROR)
            return arena_printf(p->a, "it does not compile (%s: %s)", diag_info(d->code)->id,
                                text_safe(p->a, d->msg));
    }
    return "it does not compile";
}

static void internal_error(struct printer *p, struct loc loc, const char *what)
{
    fail(p, OB1134, loc, "report this as a bug in obc, with the input",
         "obc printed a program that does not mean what the input means: %s", what);
}

/* Marks the rules whose printed phrase gave another cron than the
 * input's: both programs hold the printed plans in one order. */
static size_t mark_cron_only(struct printer *p, const struct ir_program *g)
{
    size_t n = 0;
    for (size_t i = 0; i < p->plans.len && i < g->plans.len; i++) {
        const struct ir_plan *a = p->plans.items[i], *b = g->plans.items[i];
        for (size_t j = 0; j < a->rules.len && j < b->rules.len; j++) {
            const struct ir_rule *ra = a->rules.items[j], *rb = b->rules.items[j];
            if (ra->cron && rb->cron && strcmp(ra->cron, rb->cron) != 0 && ptrset_add(p->a, &p->cron_only, ra))
                n++;
        }
    }
    return n;
}

static bool same_policies(struct printer *p, const struct ir_program *g, struct obc *fresh)
{
    struct strmap by_name = {0};
    for (size_t i = 0; i < g->policies.len; i++) {
        const struct ir_policy *pol = g->policies.items[i];
        strmap_put_new(p->a, &by_name, pol->d.name, (void *)pol);
    }
    for (size_t i = 0; i < p->prog->policies.len; i++) {
        const struct ir_policy *pol = p->prog->policies.items[i];
        const struct ir_policy *back = strmap_get(&by_name, name_of(p, pol));
        if (!back) {
            internal_error(p, pol->d.loc, arena_printf(p->a, "policy '%s' is missing", text_safe(p->a, pol->d.name)));
            return false;
        }
        cJSON *want = emit_policy(p->cc, pol), *got = emit_policy(fresh, back);
        bool same = cJSON_Compare(want, got, true);
        cJSON_Delete(want);
        cJSON_Delete(got);
        if (!same) {
            internal_error(p, pol->d.loc, arena_printf(p->a, "policy '%s' differs", text_safe(p->a, pol->d.name)));
            return false;
        }
    }
    return true;
}

bool import_print(struct obc *cc, const struct ir_program *prog, const char **text)
{
    struct printer p = {.cc = cc, .a = &cc->arena, .prog = prog, .ok = true};
    *text = NULL;
    for (int round = 0; round < 2; round++) {
        const char *out = print_program(&p);
        if (!p.ok)
            return false;
        struct obc fresh;
        obc_init(&fresh, &cc->opts);
        jmp_buf *oom = cc->arena.oom;
        fresh.arena.oom = oom; /* out of memory in either is one failure */
        const struct ir_program *g = compile_print(&fresh, out);
        bool again = false, same = false;
        if (!g)
            internal_error(&p, prog->policies.len ? ((const struct ir_policy *)prog->policies.items[0])->d.loc
                                                  : (struct loc){0},
                           first_error(&p, &fresh));
        else if (round == 0 && mark_cron_only(&p, g))
            again = true;
        else
            same = same_policies(&p, g, &fresh);
        obc_free(&fresh);
        if (again)
            continue;
        if (same)
            *text = out;
        return same;
    }
    return false;
}
