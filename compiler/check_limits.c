/*
 * check_limits.c - AWS limits on policies and on the names and tags in
 * them (OB8002-OB8007, OB8009): attachments per target,
 * names AWS rejects, rules per plan, tag quotas, keys that differ only in
 * case, policies attached nowhere, and policies whose output files differ
 * only in case. Sources: backup-policy-spec.md
 * sections 1.1-1.4, 3.1 and 3.2 [S1, S1L, S4, S9, B1, B3, B4, B12, B28, T1].
 *
 * Owns: those limits and how their diagnostics read. Measures a policy by
 * building it with emit_policy(); does not change the IR, emit files, or
 * look at the AST. Clashes between selection entry names of one plan are
 * selector.c's (OB8003, OB8006 there); this file checks each entry name
 * on its own.
 */
#include "checks.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SHOWN_MAX        40    /* characters of a long key or value quoted in a message */

/* ---- text helpers --------------------------------------------------- */

/* s itself, or its first SHOWN_MAX characters and "..." when longer. */
static const char *shown(struct arena *a, const char *s)
{
    size_t i = 0, n = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == SHOWN_MAX)
            return arena_printf(a, "%.*s...", (int)i, s);
    }
    return s;
}

/* 11 -> "11th", 21 -> "21st" */
static const char *ordinal(struct arena *a, size_t n)
{
    const char *suffix = "th";
    if (n % 100 < 11 || n % 100 > 13)
        suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return arena_printf(a, "%zu%s", n, suffix);
}

/* ---- OB8003: names AWS rejects ------------------------------------- */

struct name_rule {
    const char *what;  /* "plan names" */
    bool dot;          /* '.' allowed */
    size_t min, max;   /* characters */
};

static const struct name_rule plan_names = {"plan names", true, 1, AWS_NAME_MAX};
static const struct name_rule rule_names = {"rule names", true, 1, AWS_NAME_MAX};
static const struct name_rule entry_names = {"selection names", true, 1, AWS_NAME_MAX};
static const struct name_rule vault_names = {"vault names", false, AWS_VAULT_NAME_MIN, AWS_VAULT_NAME_MAX};

static bool name_char_ok(uint32_t cp, bool dot)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '-' || cp == '_' || (dot && cp == '.');
}

/* One character as a message shows it: 'x', or U+000A for controls. */
static void put_char(struct arena *a, struct strbuf *b, const char *s, size_t len, uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F)
        sb_printf(a, b, "U+%04X", (unsigned)cp);
    else {
        sb_puts(a, b, "'");
        sb_putn(a, b, s, len);
        sb_puts(a, b, "'");
    }
}

/* The code point at name[i] (an invalid byte stands for itself) and
 * the length of its UTF-8 sequence. */
static size_t next_char(const char *name, size_t n, size_t i, uint32_t *cp)
{
    size_t len = utf8_decode((const unsigned char *)name + i, n - i, cp);
    if (len == 0) {
        *cp = (unsigned char)name[i];
        len = 1;
    }
    return len;
}

/* Whether code point cp occurs in name[0..end). */
static bool char_before(const char *name, size_t n, size_t end, uint32_t cp)
{
    uint32_t other;
    for (size_t i = 0; i < end;) {
        i += next_char(name, n, i, &other);
        if (other == cp)
            return true;
    }
    return false;
}

/* The characters of `name` that `rule` forbids, each once, in order:
 * "' ', '!'"; NULL when there are none. */
static const char *bad_chars(struct arena *a, const char *name, const struct name_rule *rule)
{
    struct strbuf b = {0};
    size_t n = strlen(name), count = 0;
    uint32_t cp;
    for (size_t i = 0, len; i < n; i += len) {
        len = next_char(name, n, i, &cp);
        if (name_char_ok(cp, rule->dot) || char_before(name, n, i, cp))
            continue;
        if (count++)
            sb_puts(a, &b, ", ");
        put_char(a, &b, name + i, len, cp);
    }
    return count ? sb_str(a, &b) : NULL;
}

/* What is wrong with `name` under `rule`, as a clause ("is 51 characters
 * long"), or NULL when AWS accepts it. */
static const char *name_problem(struct arena *a, const char *name, const struct name_rule *rule)
{
    size_t n = utf8_chars(name);
    const char *bad = bad_chars(a, name, rule);
    const char *length = NULL;
    if (n < rule->min)
        length = n == 0 ? "is empty" : arena_printf(a, "is %s long", check_count(a, (int64_t)n, "character", "characters"));
    else if (n > rule->max)
        length = arena_printf(a, "is %zu characters long", n);
    if (bad && length)
        return arena_printf(a, "%s and has characters that are not allowed (%s)", length, bad);
    if (bad)
        return arena_printf(a, "has characters that are not allowed (%s)", bad);
    return length;
}

static void name_help(struct obc *cc, struct diag *d, const struct name_rule *rule)
{
    diag_help(cc, d, "AWS %s are %zu to %zu letters, digits, %s: rename it", rule->what, rule->min, rule->max,
              rule->dot ? "'-', '_' or '.'" : "'-' or '_'");
}

/* Where a plan's, rule's or selection's AWS name is written: its `name`, else its
 * declared name. */
static struct loc aws_name_loc(const struct ir_text *aws_name, struct loc declared)
{
    return aws_name->s ? aws_name->loc : declared;
}

static void check_entry_names(struct obc *cc, const struct ir_plan *p)
{
    for (size_t i = 0; i < p->selections.len; i++) {
        const struct ir_selection *sel = VEC_GET(const struct ir_selection, p->selections, i);
        for (size_t j = 0; j < sel->entries.len; j++) {
            const struct ir_sel_entry *en = VEC_GET(const struct ir_sel_entry, sel->entries, j);
            const char *why = en->name ? name_problem(&cc->arena, en->name, &entry_names) : NULL;
            if (!why)
                continue;
            struct diag *d = diag_emit(cc, OB8003, aws_name_loc(&sel->aws_name, sel->d.name_loc),
                                       "selection entry name '%s' of selection '%s' %s, so AWS rejects it",
                                       en->name, sel->d.name, why);
            name_help(cc, d, &entry_names);
        }
    }
}

/* Plan, rule and selection entry names of the plans that go into a
 * policy: they become keys of the document [S1L]. */
static void check_plan_names(struct obc *cc, const struct ir_program *prog)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        if (p->policies.len == 0)
            continue;
        const char *name = ir_plan_name(p);
        const char *why = name_problem(&cc->arena, name, &plan_names);
        if (why) {
            struct diag *d = diag_emit(cc, OB8003, aws_name_loc(&p->aws_name, p->d.name_loc),
                                       "plan name '%s' %s, so AWS rejects it", name, why);
            name_help(cc, d, &plan_names);
        }
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            name = ir_rule_name(r);
            if (!(why = name_problem(&cc->arena, name, &rule_names)))
                continue;
            struct diag *d = diag_emit(cc, OB8003, aws_name_loc(&r->aws_name, r->name_loc),
                                       "rule name '%s' of plan '%s' %s, so AWS rejects it", name, p->d.name, why);
            name_help(cc, d, &rule_names);
        }
        check_entry_names(cc, p);
    }
}

/* Where a vault is first written to: a rule's vault or a copy's target. */
struct vault_use {
    const struct ir_vault *vault;
    const struct ir_rule *rule;
    struct loc loc;
    bool copy;
};

static void note_vault_use(struct arena *a, struct strmap *uses, const struct ir_vault *v, struct vault_use use)
{
    if (!v || strmap_get(uses, v->d.name))
        return;
    struct vault_use *u = arena_alloc(a, sizeof *u);
    *u = use;
    strmap_put_new(a, uses, v->d.name, u);
}

/* The first use of every vault that has one, by vault name: rules in
 * program order, each rule's vault before its copies. */
static void first_vault_uses(struct arena *a, const struct ir_program *prog, struct strmap *uses)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            note_vault_use(a, uses, r->vault, (struct vault_use){r->vault, r, r->vault_at.loc, false});
            for (size_t k = 0; k < r->copies.len; k++) {
                const struct ir_copy *c = VEC_GET(const struct ir_copy, r->copies, k);
                note_vault_use(a, uses, c->target, (struct vault_use){c->target, r, c->target_loc, true});
            }
        }
    }
}

/* The AWS names of vaults that some rule or copy uses [B1]. */
static void check_vault_names(struct obc *cc, const struct ir_program *prog)
{
    struct strmap uses = {0}; /* vault name -> its first struct vault_use */
    first_vault_uses(&cc->arena, prog, &uses);
    for (size_t i = 0; i < prog->vaults.len; i++) {
        const struct ir_vault *v = VEC_GET(const struct ir_vault, prog->vaults, i);
        const struct vault_use *use = strmap_get(&uses, v->d.name);
        if (!use || use->vault != v) /* unused, or a second declaration of the name */
            continue;
        const char *name = v->aws_name.s ? v->aws_name.s : v->d.name;
        const char *why = name_problem(&cc->arena, name, &vault_names);
        if (!why)
            continue;
        /* without `name`, the AWS name is the declared name, at its place */
        bool written = v->aws_name.loc.file != v->d.name_loc.file || v->aws_name.loc.start != v->d.name_loc.start;
        struct loc at = v->aws_name.s ? v->aws_name.loc : v->d.name_loc;
        struct diag *d = strcmp(name, v->d.name) == 0
                             ? diag_emit(cc, OB8003, at, "vault name '%s' %s, so AWS rejects it", name, why)
                             : diag_emit(cc, OB8003, at, "vault name '%s' of vault '%s' %s, so AWS rejects it", name,
                                         v->d.name, why);
        diag_note(cc, d, use->loc, "%s '%s' of plan '%s' uses the vault here", use->copy ? "a copy of rule" : "rule",
                  use->rule->name, use->rule->plan->d.name);
        if (written)
            name_help(cc, d, &vault_names);
        else
            diag_help(cc, d, "the AWS name defaults to the declared name: give the vault name = \"...\" with %d to %d "
                             "letters, digits, '-' or '_'", AWS_VAULT_NAME_MIN, AWS_VAULT_NAME_MAX);
    }
}

static void check_policy_names(struct obc *cc, const struct ir_program *prog)
{
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, i);
        size_t n = utf8_chars(pol->d.name);
        if (n <= AWS_POLICY_NAME_MAX)
            continue;
        struct diag *d = diag_emit(cc, OB8003, pol->d.name_loc,
                                   "policy name '%s' is %zu characters long, so AWS rejects it", pol->d.name, n);
        diag_help(cc, d, "AWS policy names are 1 to %d characters: rename it", AWS_POLICY_NAME_MAX);
    }
}

/* ---- OB8002, OB8007: attachments ------------------------------------ */

static const char *target_kind_name(enum target_kind k)
{
    return k == TARGET_ROOT ? "root" : k == TARGET_OU ? "OU" : "account";
}

/* One policy attached to one target id. */
struct attachment {
    const struct ir_policy *policy;
    const struct ir_target *target;
};

/* Reports the policies attached to one target id past AWS_ATTACH_MAX; `list`
 * holds the attachments to that id, in program order. */
static void report_attachments(struct obc *cc, const struct vec *list)
{
    size_t count = 0;
    struct diag *d = NULL;
    for (size_t i = 0; i < list->len; i++) {
        const struct attachment *at = VEC_GET(const struct attachment, *list, i);
        if (++count <= AWS_ATTACH_MAX)
            continue;
        const struct ir_target *t = at->target;
        if (!d) {
            d = diag_emit(cc, OB8002, t->loc,
                          "policy '%s' is the %s backup policy attached directly to %s '%s' (%s); AWS allows %d "
                          "per root, OU or account",
                          at->policy->d.name, ordinal(&cc->arena, count), target_kind_name(t->kind), t->decl->name,
                          t->id, AWS_ATTACH_MAX);
            if (t->kind == TARGET_ROOT)
                diag_help(cc, d, "merge plans into fewer policies; a policy can hold several plans");
            else
                diag_help(cc, d, "merge plans into fewer policies, or attach some of them to a parent OU or the root "
                                 "instead (inherited policies do not count toward the %d)", AWS_ATTACH_MAX);
        } else {
            diag_note(cc, d, t->loc, "policy '%s' is attached to it here as well, the %s", at->policy->d.name,
                      ordinal(&cc->arena, count));
        }
    }
}

/* Counts the policies attached directly to each target id [S4]. */
static void check_attachments(struct obc *cc, const struct ir_program *prog)
{
    struct arena *a = &cc->arena;
    struct vec lists = {0};      /* struct vec* of struct attachment*: one per target id, first seen first */
    struct strmap of_id = {0};   /* target id -> its entry in `lists` */
    struct strmap pairs = {0};   /* "policy\nid" -> the policy: each pair once */
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, i);
        for (size_t j = 0; j < pol->attach.len; j++) {
            const struct ir_target *t = VEC_GET(const struct ir_target, pol->attach, j);
            if (!t->id || strmap_put_new(a, &pairs, arena_printf(a, "%s\n%s", pol->d.name, t->id), (void *)pol))
                continue;
            struct attachment *at = arena_alloc(a, sizeof *at);
            *at = (struct attachment){pol, t};
            struct vec *list = strmap_get(&of_id, t->id);
            if (!list) {
                list = arena_alloc(a, sizeof *list);
                strmap_put_new(a, &of_id, t->id, list);
                vec_push(a, &lists, list);
            }
            vec_push(a, list, at);
        }
    }
    for (size_t k = 0; k < lists.len; k++)
        report_attachments(cc, VEC_GET(const struct vec, lists, k));
}

static void check_unattached(struct obc *cc, const struct ir_program *prog)
{
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, i);
        if (pol->attach.len || pol->attach_at.state == IR_REJECTED || /* attached, or to what sema rejected */
            pol->document) /* a policy document's attachments are unknown */
            continue;
        struct diag *d = diag_emit(cc, OB8007, pol->d.name_loc,
                                   "policy '%s' is attached nowhere, so no account receives its plans", pol->d.name);
        if (pol->attach_at.state == IR_SET)
            diag_note(cc, d, pol->attach_at.loc, "its attach list is empty");
        diag_help(cc, d, "attach it to a root, OU or account: attach = [org_root]");
    }
}

/* ---- OB8004: rules per plan ----------------------------------------- */

static void check_rule_counts(struct obc *cc, const struct ir_program *prog)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        if (p->rules.len <= AWS_RULES_MAX)
            continue;
        const struct ir_rule *first = VEC_GET(const struct ir_rule, p->rules, AWS_RULES_MAX);
        struct diag *d = diag_emit(cc, OB8004, first->name_loc,
                                   "plan '%s' has %zu rules, %zu over the %d AWS allows in one plan", p->d.name,
                                   p->rules.len, p->rules.len - AWS_RULES_MAX, AWS_RULES_MAX);
        for (size_t j = AWS_RULES_MAX + 1; j < p->rules.len; j++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            diag_note(cc, d, r->name_loc, "rule '%s' is over the limit too", r->name);
        }
        diag_help(cc, d, "move rules into another plan; a policy can hold several plans");
    }
}

/* ---- OB8005, OB8006: tags ------------------------------------------- */

/* One tag map and whose it is, for messages. */
struct tag_map {
    const struct vec *tags;  /* struct ir_tag* */
    const char *owner;       /* "rule 'nightly' of plan 'daily'" */
    const char *kind;        /* "recovery-point tags" */
    size_t max;
    const char *why;         /* why AWS limits the count */
};

static void check_tag_count(struct obc *cc, const struct tag_map *m)
{
    if (m->tags->len <= m->max)
        return;
    const struct ir_tag *t = VEC_GET(const struct ir_tag, *m->tags, m->max);
    struct diag *d = diag_emit(cc, OB8005, t->loc, "%s has %zu %s, over the %zu %s", m->owner, m->tags->len,
                               m->kind, m->max, m->why);
    diag_help(cc, d, "keep at most %zu %s", m->max, m->kind);
}

static void check_tag(struct obc *cc, const struct tag_map *m, const struct ir_tag *t)
{
    struct arena *a = &cc->arena;
    size_t klen = utf8_chars(t->key), vlen = t->value ? utf8_chars(t->value) : 0;
    if (klen == 0) {
        struct diag *d = diag_emit(cc, OB8005, t->loc, "a tag key of %s is empty; AWS tag keys are 1 to %d characters",
                                   m->owner, AWS_TAG_KEY_MAX);
        diag_help(cc, d, "give the tag a key");
    } else if (klen > AWS_TAG_KEY_MAX) {
        struct diag *d = diag_emit(cc, OB8005, t->loc, "tag key '%s' of %s is %zu characters; AWS tag keys are 1 to %d",
                                   shown(a, t->key), m->owner, klen, AWS_TAG_KEY_MAX);
        diag_help(cc, d, "use a key of 1 to %d characters", AWS_TAG_KEY_MAX);
    }
    if (vlen > AWS_TAG_VALUE_MAX) {
        struct diag *d = diag_emit(cc, OB8005, t->loc,
                                   "value of tag '%s' of %s is %zu characters; AWS tag values are at most %d",
                                   shown(a, t->key), m->owner, vlen, AWS_TAG_VALUE_MAX);
        diag_help(cc, d, "shorten the value to at most %d characters", AWS_TAG_VALUE_MAX);
    }
    if (strncasecmp(t->key, "aws:", 4) == 0) {
        struct diag *d = diag_emit(cc, OB8005, t->loc,
                                   "tag key '%s' of %s starts with '%.4s', which AWS reserves for its own tags",
                                   shown(a, t->key), m->owner, t->key);
        diag_help(cc, d, "rename the key; a key may not start with aws: in any case");
    }
}

/* Keys that differ only in case: AWS takes the id of a tag entry as the
 * key in lower case and does not tell such ids apart [S1L]. */
static void check_tag_case(struct obc *cc, const struct tag_map *m)
{
    struct strmap seen = {.fold = true}; /* key -> its first struct ir_tag */
    for (size_t j = 0; j < m->tags->len; j++) {
        const struct ir_tag *t = VEC_GET(const struct ir_tag, *m->tags, j);
        const struct ir_tag *first = strmap_put_new(&cc->arena, &seen, t->key, (void *)t);
        if (!first)
            continue;
        struct diag *d = diag_emit(cc, OB8006, t->loc,
                                   "tag keys '%s' and '%s' of %s differ only in case, and AWS tells tag entries "
                                   "apart by the key in lower case",
                                   shown(&cc->arena, first->key), shown(&cc->arena, t->key), m->owner);
        diag_note(cc, d, first->loc, "'%s' is given here", shown(&cc->arena, first->key));
        diag_help(cc, d, "keep one of them");
    }
}

static void check_tag_map(struct obc *cc, const struct tag_map *m)
{
    check_tag_count(cc, m);
    for (size_t i = 0; i < m->tags->len; i++)
        check_tag(cc, m, VEC_GET(const struct ir_tag, *m->tags, i));
    check_tag_case(cc, m);
}

static void check_tags(struct obc *cc, const struct ir_program *prog)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        struct tag_map plan_map = {&p->tags, arena_printf(&cc->arena, "plan '%s'", p->d.name), "plan tags",
                                   AWS_PLAN_TAGS_MAX, "AWS allows on a backup plan"};
        check_tag_map(cc, &plan_map);
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            struct tag_map rule_map = {&r->tags, arena_printf(&cc->arena, "rule '%s' of plan '%s'", r->name, p->d.name),
                                       "recovery-point tags", AWS_RULE_TAGS_MAX, "AWS adds to a recovery point"};
            check_tag_map(cc, &rule_map);
        }
    }
}

/* ---- OB8006: plan and rule names that differ only in case ----------- */

/* Two plans or rules with one AWS name: OB8003 when the names are
 * equal (one key of the document), else OB8006. */
static struct diag *report_same_name(struct obc *cc, const char *what, const char *a, const char *b, struct loc at,
                                     const char *where)
{
    if (strcmp(a, b) == 0)
        return diag_emit(cc, OB8003, at, "two %ss of %s have the AWS name '%s', and AWS needs one key per %s", what,
                         where, a, what);
    return diag_emit(cc, OB8006, at, "%ss '%s' and '%s' of %s differ only in case, and AWS lowercases %s names", what,
                     a, b, where, what);
}

/* Plans of one document become sibling keys, which AWS lowercases [S1,
 * S7]. Each plan is reported against the first plan of the policy with
 * the same name in lower case, as rules and tag keys are: k such plans
 * give k - 1 reports, not one per pair, so the reports stay linear in
 * the program. A pair is reported once even when several policies hold
 * it. */
static void check_plan_case(struct obc *cc, const struct ir_program *prog)
{
    struct ptrset pairs = {0};
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, i);
        struct strmap first = {.fold = true}; /* name -> the first plan of the policy with it */
        for (size_t k = 0; k < pol->plans.len; k++) {
            const struct ir_plan *b = VEC_GET(const struct ir_plan, pol->plans, k);
            const struct ir_plan *a = strmap_put_new(&cc->arena, &first, ir_plan_name(b), (void *)b);
            if (!a || a == b || !check_first_time(&cc->arena, &pairs, OB8006, a, b))
                continue;
            struct diag *d = report_same_name(cc, "plan", ir_plan_name(a), ir_plan_name(b),
                                              aws_name_loc(&b->aws_name, b->d.name_loc),
                                              arena_printf(&cc->arena, "policy '%s'", pol->d.name));
            diag_note(cc, d, aws_name_loc(&a->aws_name, a->d.name_loc), "plan '%s' is declared here", a->d.name);
            diag_help(cc, d, "rename one of the plans (or its name = \"...\"), or put them in different policies");
        }
    }
}

static void check_rule_case(struct obc *cc, const struct ir_program *prog)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        struct strmap seen = {.fold = true}; /* name -> its first struct ir_rule */
        for (size_t k = 0; k < p->rules.len; k++) {
            const struct ir_rule *b = VEC_GET(const struct ir_rule, p->rules, k);
            const struct ir_rule *a = strmap_put_new(&cc->arena, &seen, ir_rule_name(b), (void *)b);
            if (!a)
                continue;
            struct diag *d = report_same_name(cc, "rule", ir_rule_name(a), ir_rule_name(b),
                                              aws_name_loc(&b->aws_name, b->name_loc),
                                              arena_printf(&cc->arena, "plan '%s'", p->d.name));
            diag_note(cc, d, aws_name_loc(&a->aws_name, a->name_loc), "rule '%s' is declared here", a->name);
            diag_help(cc, d, "rename one of the rules (or its name = \"...\")");
        }
    }
}

/* ---- OB8009: output files whose names differ only in case ----------- */

/* Each policy is written to "<name>.json" in one directory; on a file
 * system that ignores case (macOS, Windows by default) two names that
 * differ only in case are one file, and the later write silently
 * replaces the earlier. The manifest cannot collide: its name holds a
 * '.', which a policy name cannot. One pass with a case-folded map. */
static void check_output_case(struct obc *cc, const struct ir_program *prog)
{
    struct strmap seen = {.fold = true}; /* name -> its first struct ir_policy */
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *b = VEC_GET(const struct ir_policy, prog->policies, i);
        const struct ir_policy *a = strmap_put_new(&cc->arena, &seen, b->d.name, (void *)b);
        if (!a)
            continue;
        struct diag *d = diag_emit(cc, OB8009, b->d.name_loc,
                                   "policies '%s' and '%s' are written to files whose names differ only in case "
                                   "('%s.json' and '%s.json'): one file on a case-insensitive file system",
                                   a->d.name, b->d.name, a->d.name, b->d.name);
        diag_note(cc, d, a->d.name_loc, "policy '%s' is declared here", a->d.name);
        diag_help(cc, d, "rename one of the policies");
    }
}

void check_limits(struct obc *cc, struct ir_program *prog)
{
    check_attachments(cc, prog);
    check_policy_names(cc, prog);
    check_plan_names(cc, prog);
    check_vault_names(cc, prog);
    check_rule_counts(cc, prog);
    check_tags(cc, prog);
    check_plan_case(cc, prog);
    check_rule_case(cc, prog);
    check_unattached(cc, prog);
    check_output_case(cc, prog);
}
