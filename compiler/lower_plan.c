/*
 * lower_plan.c - lowers `selection`, `plan` (with its `rule` and
 * `copy to` blocks) and `policy` declarations into the IR.
 *
 * Owns: the default regions of a plan (the organization's), rule and
 * copy lifecycles, OB3004 (time zones), where a copy's target vault
 * lives, and the plan's scan settings and the rule's scan, index and
 * air-gapped vault as written (their checks: check_airgap.c,
 * check_scan.c); partial plans (partial = true: nothing required, no
 * default regions) and the operators (+=, -=) and child controls of
 * every block (sema_controls.c). Schedules go through schedule.c and match expressions through
 * selector.c; rules that relate several objects are checks (checks.c).
 */
#include "sema.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

void lower_selection(struct sema *s, const struct ast_item *it, struct ir_selection *sel)
{
    struct block b;
    sema_block(s, it, BK_SELECTION, &b);
    blk_text(s, &b, A_SELECTION_NAME, &sel->aws_name);
    const struct ast_value *v;
    if ((v = blk_value(&b, A_SELECTION_ROLE))) {
        sel->role = lower_role_value(s, v);
        sel->role_at = (struct ir_attr){sel->role ? IR_SET : IR_REJECTED, v->loc};
    }
    if ((v = blk_value(&b, A_SELECTION_MATCH)))
        sel->match_at = (struct ir_attr){sel_lower(s, v, sel) ? IR_SET : IR_REJECTED, v->loc};
    /* match += EXPR: every list of every entry is @@append (-=: @@remove) */
    enum ir_list_op op = blk_op(&b, A_SELECTION_MATCH);
    for (size_t i = 0; i < sel->entries.len; i++) {
        struct ir_sel_entry *en = VEC_GET(struct ir_sel_entry, sel->entries, i);
        en->tag_values_op = en->types_op = en->not_types_op = op;
    }
    blk_list(s, &b, A_SELECTION_SOURCE_KEYS, &sel->source_keys, &sel->source_keys_at);
    sema_controls(s, &b, &sel->controls);
    if (sel->match_at.state == IR_SET)
        sema_selection_controls(s, sel);
}

/* The lifecycle attributes of a rule and of a copy. */
struct lifecycle_attrs {
    enum attr_id delete_after, cold_after, archive;
};
static const struct lifecycle_attrs rule_lifecycle = {A_RULE_DELETE_AFTER, A_RULE_COLD_AFTER, A_RULE_ARCHIVE};
static const struct lifecycle_attrs copy_lifecycle = {A_COPY_DELETE_AFTER, A_COPY_COLD_AFTER, A_COPY_ARCHIVE};

static void read_lifecycle(struct sema *s, const struct block *b, const struct lifecycle_attrs *ids,
                           struct ir_lifecycle *lc)
{
    blk_num(s, b, ids->delete_after, &lc->delete_after);
    blk_num(s, b, ids->cold_after, &lc->cold_after);
    blk_flag(s, b, ids->archive, &lc->archive);
}

/* Two copy targets whose ARNs are one copy-action key to AWS, which
 * compares keys ignoring case [S7]: same holder, region, and name up to
 * case. Sets *exact when the names are equal too (one AWS vault). */
static bool same_copy_key(const struct ir_vault *a, const struct ir_vault *b, bool *exact)
{
    *exact = true;
    if (a == b)
        return true;
    if (!a->aws_name.s || !b->aws_name.s || strcasecmp(a->aws_name.s, b->aws_name.s) != 0)
        return false;
    struct ir_principal pa = ir_vault_owner(a), pb = ir_vault_owner(b);
    *exact = strcmp(a->aws_name.s, b->aws_name.s) == 0;
    return ir_same_principal(&pa, &pb) && a->regions.len == 1 && b->regions.len == 1 &&
           a->regions.items[0] == b->regions.items[0];
}

/* The copies of one rule so far: the first copy into each vault, and the
 * first with each copy-action key (copy_key()), so that a copy finds an
 * earlier one with the same key in constant time. */
struct copy_keys {
    struct ptrset by_vault;
    struct strmap by_key;
};

/* same_copy_key() as a string, for a vault with an AWS name and one
 * region (NULL for any other): its holder (an account by id, else by
 * declaration; or the members), its region and its name in lower case.
 * Two such vaults have the same string exactly when same_copy_key() is
 * true of them. */
static const char *copy_key(struct arena *a, const struct ir_vault *v)
{
    if (!v->aws_name.s || v->regions.len != 1)
        return NULL;
    struct ir_principal p = ir_vault_owner(v);
    const struct ir_region *region = v->regions.items[0];
    const char *holder = p.kind != PRIN_ACCOUNT ? "members"
                         : p.account->id   ? arena_printf(a, "id %s", p.account->id)
                                           : arena_printf(a, "account %s", p.account->d.name);
    char *key = arena_printf(a, "%s\x1f%s\x1f%s", holder, region ? region->d.name : "", v->aws_name.s);
    for (char *q = key + strlen(key) - strlen(v->aws_name.s); *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return key;
}

static void lower_copy(struct sema *s, const struct ast_item *it, struct ir_rule *r, struct copy_keys *keys)
{
    if (it->words.len != 3 || strcmp(ast_word_text(it, 1), "to") != 0) {
        struct loc at = it->words.len > 1 ? ast_word_loc(it, 1) : ast_word_loc(it, 0);
        struct diag *d = diag_emit(s->cc, OB1010, at, "a copy block names its target vault");
        diag_help(s->cc, d, "write: copy to VAULT { delete_after = ... }");
        return;
    }
    struct block b;
    sema_block(s, it, BK_COPY, &b);
    struct ir_copy *c = arena_alloc(s->a, sizeof *c);
    c->loc = loc_span(ast_word_loc(it, 0), ast_word_loc(it, 2));
    c->target_loc = ast_word_loc(it, 2);
    c->target = (struct ir_vault *)sema_resolve(s, ast_word_text(it, 2), c->target_loc, KIND(DK_VAULT));
    const char *key = c->target ? copy_key(s->a, c->target) : NULL;
    const struct ir_copy *o = key        ? strmap_get(&keys->by_key, key)
                              : c->target ? ptrset_get(&keys->by_vault, 0, c->target, NULL)
                                          : NULL;
    bool exact;
    if (o && same_copy_key(o->target, c->target, &exact)) { /* the first earlier copy with this key */
        struct diag *d;
        if (o->target == c->target)
            d = diag_emit(s->cc, OB2006, c->target_loc, "rule '%s' copies to '%s' twice", r->name, c->target->d.name);
        else if (exact)
            d = diag_emit(s->cc, OB2006, c->target_loc, "rule '%s' copies to '%s' and '%s', which are the same AWS "
                          "vault '%s'", r->name, o->target->d.name, c->target->d.name, c->target->aws_name.s);
        else
            d = diag_emit(s->cc, OB8006, c->target_loc, "rule '%s' copies to vaults '%s' and '%s', whose ARNs differ "
                          "only in case: AWS compares copy-action keys ignoring case", r->name,
                          o->target->aws_name.s, c->target->aws_name.s);
        diag_note(s->cc, d, o->target_loc, "the first copy to '%s' is here", o->target->d.name);
        if (exact)
            diag_help(s->cc, d, "a copy action is keyed by its target vault's ARN: keep one of these copy blocks");
        else
            diag_help(s->cc, d, "name the vaults so that they differ in more than case, or keep one of these copies");
        return;
    }
    read_lifecycle(s, &b, &copy_lifecycle, &c->lc);
    sema_controls(s, &b, &c->controls);
    if (c->target && c->target->regions.len != 1) {
        struct diag *d = diag_emit(s->cc, OB2004, c->target_loc,
                                   "copy target '%s' must be in exactly one region", c->target->d.name);
        diag_note(s->cc, d, c->target->d.name_loc, "vault '%s' is declared here%s", c->target->d.name,
                  c->target->regions.len ? " with several regions" : " without a region");
        diag_help(s->cc, d, "a copy action names its target by ARN, which holds one region: add region = <one region> "
                            "to vault '%s'", c->target->d.name);
    }
    vec_push(s->a, &r->copies, c);
    if (c->target) {
        bool added;
        void **first = ptrset_put(s->a, &keys->by_vault, 0, c->target, NULL, &added);
        if (added)
            *first = c;
        if (key)
            strmap_put_new(s->a, &keys->by_key, key, c);
    }
}

/* `names`: the rules of the plan so far, by name. */
static void lower_rule(struct sema *s, const struct ast_item *it, struct ir_plan *p, struct strmap *names)
{
    struct ir_rule *r = arena_alloc(s->a, sizeof *r);
    r->name = ast_word_text(it, 1);
    r->name_loc = ast_word_loc(it, 1);
    r->loc = it->loc;
    r->plan = p;
    const struct ir_rule *o = strmap_put_new(s->a, names, r->name, r);
    if (o) {
        struct diag *d = diag_emit(s->cc, OB2002, r->name_loc, "plan '%s' has two rules named '%s'", p->d.name, r->name);
        diag_note(s->cc, d, o->name_loc, "first declared here");
        diag_help(s->cc, d, "rename one of them; rule names are keys in the policy document");
        return;
    }
    struct block b;
    sema_block(s, it, BK_RULE, &b);
    blk_text(s, &b, A_RULE_NAME, &r->aws_name);
    const struct ast_value *v;
    if ((v = blk_value(&b, A_RULE_SCHEDULE))) {
        r->cronv = arena_alloc(s->a, sizeof *r->cronv);
        r->cron = sched_lower(s, v, r->cronv);
        r->schedule_at = (struct ir_attr){r->cron ? IR_SET : IR_REJECTED, v->loc};
    }
    if (blk_value(&b, A_RULE_TIMEZONE)) {
        struct diag *d = diag_emit(s->cc, OB3004, ast_word_loc(b.attr[A_RULE_TIMEZONE], 0),
                                   "time zones are not supported in backup policies");
        diag_help(s->cc, d, "a backup policy has no time-zone field and its schedules are UTC: convert the time "
                            "to UTC and remove 'timezone'");
    }
    blk_num(s, &b, A_RULE_START_WITHIN, &r->start_within);
    blk_num(s, &b, A_RULE_COMPLETE_WITHIN, &r->complete_within);
    r->vault = (struct ir_vault *)blk_ref(s, &b, A_RULE_VAULT, &r->vault_at);
    blk_flag(s, &b, A_RULE_CONTINUOUS, &r->continuous);
    read_lifecycle(s, &b, &rule_lifecycle, &r->lc);
    blk_list(s, &b, A_RULE_TAGS, &r->tags, &r->tags_at);
    r->air_gapped_vault = (struct ir_vault *)blk_ref(s, &b, A_RULE_AIR_GAPPED_VAULT, &r->air_gapped_at);
    int scan = blk_enum(s, &b, A_RULE_SCAN, &r->scan_at);
    r->scan = scan == 0 ? SCAN_FULL : scan == 1 ? SCAN_INCREMENTAL : SCAN_NONE;
    blk_list(s, &b, A_RULE_INDEX, &r->index_types, &r->index_at);
    r->index_op = blk_op(&b, A_RULE_INDEX);
    sema_controls(s, &b, &r->controls);
    struct copy_keys keys = {0};
    for (size_t i = 0; i < it->body.len; i++) {
        const struct ast_item *c = VEC_GET(const struct ast_item, it->body, i);
        if (c->form == ITEM_BLOCK && strcmp(ast_word_text(c, 0), schema_block(BK_COPY)->word) == 0)
            lower_copy(s, c, r, &keys);
    }
    vec_push(s->a, &p->rules, r);
}

static void plan_regions(struct sema *s, const struct block *b, struct ir_plan *p)
{
    p->regions_op = blk_op(b, A_PLAN_REGIONS);
    if (blk_list(s, b, A_PLAN_REGIONS, &p->regions, &p->regions_at) != IR_ABSENT || s->partial_plan)
        return; /* a partial plan keeps the regions it inherits: no default */
    const struct ir_org *org = &s->prog->org;
    if (org->regions.len) {
        p->regions = org->regions;
        p->regions_at = org->regions_at;
        p->regions_from_org = true;
        return;
    }
    struct diag *d = diag_emit(s->cc, OB2004, p->d.name_loc, "plan '%s' has no regions", p->d.name);
    diag_help(s->cc, d, "add regions = [eu-central-1] to the plan, or regions to the organization block "
                        "as the default for every plan");
}

/* scan_settings.GUARDDUTY: resource_types and scanner_role_arn are both
 * required [S1] (OB2004 when one is written without the other). */
static void plan_scan(struct sema *s, const struct block *b, struct ir_plan *p)
{
    blk_list(s, b, A_PLAN_SCAN_TYPES, &p->scan_types, &p->scan_types_at);
    p->scan_types_op = blk_op(b, A_PLAN_SCAN_TYPES);
    const struct ast_value *v = blk_value(b, A_PLAN_SCAN_ROLE);
    if (v) {
        p->scan_role = lower_role_value(s, v);
        p->scan_role_at = (struct ir_attr){p->scan_role ? IR_SET : IR_REJECTED, v->loc};
    }
    bool types = p->scan_types_at.state != IR_ABSENT, role = p->scan_role_at.state != IR_ABSENT;
    if (types == role || p->partial) /* a partial plan may change one of them */
        return;
    struct diag *d = diag_emit(s->cc, OB2004, types ? p->scan_types_at.loc : p->scan_role_at.loc,
                               "plan '%s' has %s but no %s", p->d.name, types ? "scan_types" : "scan_role",
                               types ? "scan_role" : "scan_types");
    diag_help(s->cc, d, "scan_settings needs both: add %s", types ? "scan_role = ROLE (a role that trusts GuardDuty "
                        "malware protection, like guardduty_scanner_role from std/aws)" : "scan_types = [ebs], the "
                        "resource types GuardDuty scans");
}

void lower_plan(struct sema *s, const struct ast_item *it, struct ir_plan *p)
{
    struct block b;
    sema_block_read(s, it, BK_PLAN, &b);
    struct ir_flag partial = {0};
    if (blk_flag(s, &b, A_PLAN_PARTIAL, &partial) == IR_SET && partial.v)
        p->partial = true;
    p->partial_at = (struct ir_attr){partial.state, partial.loc};
    /* for the plan's own block and its rules'; a rejected `partial` was
     * meant to be one: what it lacks is not reported on top */
    bool lenient = p->partial || partial.state == IR_REJECTED;
    s->partial_plan = lenient;
    sema_block_require(s, &b);
    blk_text(s, &b, A_PLAN_NAME, &p->aws_name);
    plan_regions(s, &b, p);
    blk_list(s, &b, A_PLAN_SELECT, &p->selections, &p->select_at);
    blk_flag(s, &b, A_PLAN_WINDOWS_VSS, &p->windows_vss);
    blk_flag(s, &b, A_PLAN_BACKUP_ACLS, &p->s3_backup_acls);
    blk_flag(s, &b, A_PLAN_BACKUP_OBJECT_TAGS, &p->s3_backup_object_tags);
    blk_list(s, &b, A_PLAN_TAGS, &p->tags, &p->tags_at);
    plan_scan(s, &b, p);
    size_t nrules = 0;
    struct strmap rule_names = {0};
    for (size_t i = 0; i < it->body.len; i++) {
        const struct ast_item *c = VEC_GET(const struct ast_item, it->body, i);
        if (c->form != ITEM_BLOCK || strcmp(ast_word_text(c, 0), schema_block(BK_RULE)->word) != 0)
            continue;
        nrules++;
        if (c->words.len != 2) {
            struct diag *d;
            if (c->words.len < 2)
                d = diag_emit(s->cc, OB1010, ast_word_loc(c, 0), "expected a name after 'rule'");
            else
                d = diag_emit(s->cc, OB1010, ast_word_loc(c, 2), "unexpected '%s' in a rule head", ast_word_text(c, 2));
            diag_help(s->cc, d, "write: rule NAME { schedule = ...; vault = ... }");
            continue;
        }
        lower_rule(s, c, p, &rule_names);
    }
    s->partial_plan = false;
    sema_controls(s, &b, &p->controls);
    if (nrules == 0 && !lenient) {
        struct diag *d = diag_emit(s->cc, OB2004, p->d.name_loc, "plan '%s' has no rules", p->d.name);
        diag_help(s->cc, d, "add rule NAME { schedule = daily at 05:00; vault = VAULT; delete_after = 35d }");
    }
    if (p->select_at.state == IR_SET) /* after a bad reference the set is incomplete */
        sel_check_plan(s, p);
}

void lower_policy(struct sema *s, const struct ast_item *it, struct ir_policy *p)
{
    struct block b;
    sema_block(s, it, BK_POLICY, &b);
    blk_list(s, &b, A_POLICY_PLANS, &p->plans, &p->plans_at);
    for (size_t i = 0; i < p->plans.len; i++) /* listed once: val_refs drops repeats */
        vec_push(s->a, &VEC_GET(struct ir_plan, p->plans, i)->policies, p);
    blk_text(s, &b, A_POLICY_DESCRIPTION, &p->description);
    sema_controls(s, &b, &p->controls);
    /* attach: read item by item, because each target keeps its own place */
    const struct ast_value *v = blk_value(&b, A_POLICY_ATTACH);
    if (v) {
        p->attach_at = (struct ir_attr){IR_SET, v->loc};
        size_t n = v->kind == AST_LIST ? v->items.len : 1;
        struct strmap listed = {0};
        for (size_t i = 0; i < n; i++) {
            const struct ast_value *x = v->kind == AST_LIST ? VEC_GET(const struct ast_value, v->items, i) : v;
            struct ir_decl *d = val_ref(s, x, schema_attr(A_POLICY_ATTACH)->kinds);
            if (!d || val_listed_twice(s, &listed, x)) {
                p->attach_at.state = IR_REJECTED;
                continue;
            }
            struct ir_target *t = arena_alloc(s->a, sizeof *t);
            t->decl = d;
            t->loc = x->loc;
            if (d->kind == DK_ROOT) {
                t->kind = TARGET_ROOT;
                t->id = ((struct ir_root *)d)->id;
            } else if (d->kind == DK_OU) {
                t->kind = TARGET_OU;
                t->id = ((struct ir_ou *)d)->id;
            } else {
                t->kind = TARGET_ACCOUNT;
                t->id = ((struct ir_account *)d)->id;
            }
            vec_push(s->a, &p->attach, t);
        }
    }
}
