/*
 * check_variables.c - AWS's policy variables where AWS does not replace
 * them (OB9004). AWS Backup replaces `$account` (and, in the air-gapped
 * vault ARN, `$region`) only in the elements of a policy that hold an ARN:
 * a selection's iam_role_arn, copy-action keys and target ARNs, the
 * scanner role and the air-gapped vault [S1]. Written in a tag key or
 * value (recovery_point_tags, backup_plan_tags) or in a selection's tag
 * test, the text stays as written: a recovery point tagged "$account", a
 * selection that matches only resources tagged with the literal text.
 * Names (plans, rules, selections, vaults) are OB8003, which rejects '$'.
 *
 * Owns: where the program may hold such text. Reads the IR only; one
 * pass over the plans' tags and their selections' entries.
 */
#include "checks.h"

#include <string.h>

/* The variable in `s` ("$account" or "$region"), or NULL. */
static const char *variable_in(const char *s)
{
    if (!s)
        return NULL;
    if (strstr(s, "$account"))
        return "$account";
    if (strstr(s, "$region"))
        return "$region";
    return NULL;
}

static void report(struct obc *cc, struct loc at, const char *var, const char *where, const char *text)
{
    struct diag *d = diag_emit(cc, OB9004, at, "'%s' in %s stays as written: AWS replaces %s only in ARNs",
                               text_safe(&cc->arena, text), where, var);
    if (strcmp(var, "$account") == 0)
        diag_help(cc, d, "write the value itself: AWS replaces $account only in iam_role_arn, copy-action keys "
                         "and targets, the scanner role and the air-gapped vault ARN");
    else
        diag_help(cc, d, "write the value itself: AWS replaces $region only in the air-gapped vault ARN");
}

static void check_tags(struct obc *cc, const struct vec *tags, const char *where)
{
    for (size_t i = 0; i < tags->len; i++) {
        const struct ir_tag *t = tags->items[i];
        const char *var = variable_in(t->key);
        const char *text = t->key;
        if (!var) {
            var = variable_in(t->value);
            text = t->value;
        }
        if (var)
            report(cc, t->loc, var, where, text);
    }
}

static void check_entry(struct obc *cc, const struct ir_sel_entry *e)
{
    const char *var = variable_in(e->tag_key);
    const char *text = e->tag_key;
    for (size_t i = 0; !var && i < e->tag_values.len; i++) {
        text = e->tag_values.items[i];
        var = variable_in(text);
    }
    if (var) {
        report(cc, e->loc, var, "a selection's tag test", text);
        return;
    }
    for (size_t i = 0; i < e->conditions.len; i++) {
        const struct ir_condition *c = e->conditions.items[i];
        const char *cv = variable_in(c->tag_key) ? variable_in(c->tag_key) : variable_in(c->value);
        if (cv)
            report(cc, c->loc, cv, "a selection's condition", variable_in(c->tag_key) ? c->tag_key : c->value);
    }
}

void check_variables(struct obc *cc, struct ir_program *prog)
{
    struct ptrset seen = {0}; /* a selection several plans share is judged once */
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = prog->plans.items[i];
        check_tags(cc, &p->tags, "a plan tag");
        for (size_t j = 0; j < p->rules.len; j++)
            check_tags(cc, &((const struct ir_rule *)p->rules.items[j])->tags, "a recovery point tag");
        for (size_t j = 0; j < p->selections.len; j++) {
            const struct ir_selection *sel = p->selections.items[j];
            if (!ptrset_add(&cc->arena, &seen, sel))
                continue;
            for (size_t k = 0; k < sel->entries.len; k++)
                check_entry(cc, sel->entries.items[k]);
        }
    }
}
