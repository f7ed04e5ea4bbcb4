/*
 * lower_ops.c - lowering of the declarations that operate around the
 * backups: backup events and notifications (`backup_event`, `notify`),
 * restore tests (`restore_test` with its `test` blocks) and audit
 * frameworks (`audit_control`, `audit_framework` with its `control`
 * blocks) into the IR (ir.h, "Operations").
 *
 * Owns: reading their attributes and their defaults. Does not: judge
 * values against AWS's limits (check_ops.c) or place them in accounts
 * and regions (emit_ops.c).
 */
#include "sema.h"

#include <string.h>

void lower_event(struct sema *s, const struct ast_item *it, struct ir_event *e)
{
    struct block b;
    sema_block(s, it, BK_EVENT, &b);
    blk_text(s, &b, A_EVENT_DETAIL_TYPE, &e->detail_type);
    struct ir_attr at = {0};
    blk_list(s, &b, A_EVENT_STATES, &e->states, &at);
    struct ir_text field = {0};
    blk_text(s, &b, A_EVENT_STATE_FIELD, &field);
    e->state_field = field.s ? field.s : "state";
    blk_text(s, &b, A_EVENT_VAULT_EVENT, &e->vault_event);
    struct ir_flag all = {0};
    blk_flag(s, &b, A_EVENT_VAULT_EVENT_ALL_OUTCOMES, &all);
    e->vault_event_all_outcomes = all.v;
}

/* The subscriptions of one protocol: each string of attribute `id`, with
 * the place it is written (check_ops.c reports a bad endpoint there). */
static void read_subscriptions(struct sema *s, const struct block *b, enum attr_id id, const char *protocol,
                               struct ir_notify *n)
{
    struct vec endpoints = {0};
    struct ir_attr at = {0};
    if (blk_list(s, b, id, &endpoints, &at) != IR_SET)
        return;
    const struct ast_value *v = blk_value(b, id);
    for (size_t i = 0; i < endpoints.len; i++) {
        struct ir_subscription *sub = arena_alloc(s->a, sizeof *sub);
        sub->protocol = protocol;
        sub->endpoint = endpoints.items[i];
        sub->loc = v->kind == AST_LIST ? VEC_GET(const struct ast_value, v->items, i)->loc : v->loc;
        vec_push(s->a, &n->subscriptions, sub);
    }
}

void lower_notify(struct sema *s, const struct ast_item *it, struct ir_notify *n)
{
    struct block b;
    sema_block(s, it, BK_NOTIFY, &b);
    n->via = blk_enum(s, &b, A_NOTIFY_VIA, &n->via_at) == 1 ? NOTIFY_VAULT : NOTIFY_EVENTBRIDGE;
    blk_text(s, &b, A_NOTIFY_TOPIC, &n->topic);
    if (blk_list(s, &b, A_NOTIFY_ON, &n->events, &n->events_at) == IR_SET && n->events.len == 0) {
        struct diag *d = diag_emit(s->cc, OB2004, n->events_at.loc, "notification '%s' names no events", n->d.name);
        diag_help(s->cc, d, "name the events it tells of, like on = [backup_failed, copy_failed]");
    }
    read_subscriptions(s, &b, A_NOTIFY_EMAIL, "email", n);
    read_subscriptions(s, &b, A_NOTIFY_HTTPS, "https", n);
    read_subscriptions(s, &b, A_NOTIFY_SQS, "sqs", n);
    read_subscriptions(s, &b, A_NOTIFY_LAMBDA, "lambda", n);
    if (blk_list(s, &b, A_NOTIFY_VAULTS, &n->vaults, &n->vaults_at) == IR_SET && n->vaults.len == 0) {
        struct diag *d = diag_emit(s->cc, OB2004, n->vaults_at.loc, "notification '%s' names no vaults", n->d.name);
        diag_help(s->cc, d, "name the vaults whose events go to the topic, like vaults = [VAULT]");
    }
    n->owner = (struct ir_principal){.kind = PRIN_MEMBERS, .loc = n->d.name_loc};
    blk_principal(s, &b, A_NOTIFY_OWNER, &n->owner);
    blk_list(s, &b, A_NOTIFY_REGIONS, &n->regions, &n->regions_at);
    if (n->via == NOTIFY_VAULT && n->vaults_at.state == IR_ABSENT) {
        struct diag *d = diag_emit(s->cc, OB2004, n->via_at.loc, "notification '%s' goes through vault "
                                   "notifications but names no vaults", n->d.name);
        diag_help(s->cc, d, "add vaults = [VAULT], the vaults whose events go to the topic");
    } else if (n->via == NOTIFY_EVENTBRIDGE && n->vaults_at.state != IR_ABSENT) {
        struct diag *d = diag_emit(s->cc, OB6105, n->vaults_at.loc, "notification '%s' names vaults but goes "
                                   "through an EventBridge rule", n->d.name);
        diag_help(s->cc, d, "write via = vault to use the vaults' notifications, or remove vaults: the rule "
                            "watches every job of the owner's account");
    }
    if (n->via == NOTIFY_VAULT && b.attr[A_NOTIFY_OWNER]) {
        struct diag *d = diag_emit(s->cc, OB6105, blk_loc(&b, A_NOTIFY_OWNER), "notification '%s' goes through "
                                   "vault notifications, which live in the vaults' own account", n->d.name);
        diag_help(s->cc, d, "remove owner: each vault's owner holds its notification");
    }
}

static void lower_test(struct sema *s, const struct ast_item *it, struct ir_restore_test *t, struct strmap *names)
{
    struct ir_restore_selection *sel = arena_alloc(s->a, sizeof *sel);
    sel->name = ast_word_text(it, 1);
    sel->name_loc = ast_word_loc(it, 1);
    const struct ir_restore_selection *o = strmap_put_new(s->a, names, sel->name, sel);
    if (o) {
        struct diag *d = diag_emit(s->cc, OB2002, sel->name_loc, "restore test '%s' has two tests named '%s'",
                                   t->d.name, sel->name);
        diag_note(s->cc, d, o->name_loc, "first declared here");
        diag_help(s->cc, d, "rename one of them; they are the names of restore testing selections");
        return;
    }
    struct block b;
    sema_block(s, it, BK_TEST, &b);
    sel->aws_name = (struct ir_text){sel->name, sel->name_loc, IR_SET};
    blk_text(s, &b, A_TEST_NAME, &sel->aws_name);
    sel->type = (struct ir_restype *)blk_ref(s, &b, A_TEST_TYPE, &sel->type_at);
    const struct ast_value *v = blk_value(&b, A_TEST_ROLE);
    if (v) {
        sel->role = lower_role_value(s, v);
        sel->role_at = (struct ir_attr){sel->role ? IR_SET : IR_REJECTED, v->loc};
    }
    blk_list(s, &b, A_TEST_TAGS, &sel->tags, &sel->tags_at);
    blk_list(s, &b, A_TEST_NOT_TAGS, &sel->not_tags, &sel->not_tags_at);
    blk_num(s, &b, A_TEST_VALIDATE_WITHIN, &sel->validate_within);
    vec_push(s->a, &t->selections, sel);
}

/* The nested blocks `word NAME { ... }` of `it`, each passed to `each`
 * with `ctx`; a head without exactly one name is reported (OB1010). */
static size_t nested_blocks(struct sema *s, const struct ast_item *it, const char *word,
                            void (*each)(struct sema *, const struct ast_item *, void *), void *ctx)
{
    size_t n = 0;
    for (size_t i = 0; i < it->body.len; i++) {
        const struct ast_item *c = VEC_GET(const struct ast_item, it->body, i);
        if (c->form != ITEM_BLOCK || strcmp(ast_word_text(c, 0), word) != 0)
            continue;
        n++;
        if (c->words.len != 2) {
            struct diag *d = c->words.len < 2
                ? diag_emit(s->cc, OB1010, ast_word_loc(c, 0), "expected a name after '%s'", word)
                : diag_emit(s->cc, OB1010, ast_word_loc(c, 2), "unexpected '%s' in a %s head",
                            ast_word_text(c, 2), word);
            diag_help(s->cc, d, "write: %s NAME { ... }", word);
            continue;
        }
        each(s, c, ctx);
    }
    return n;
}

struct test_ctx {
    struct ir_restore_test *t;
    struct strmap names;
};

static void each_test(struct sema *s, const struct ast_item *c, void *ctx)
{
    struct test_ctx *tc = ctx;
    lower_test(s, c, tc->t, &tc->names);
}

void lower_restore_test(struct sema *s, const struct ast_item *it, struct ir_restore_test *t)
{
    struct block b;
    sema_block(s, it, BK_RESTORE_TEST, &b);
    t->aws_name = (struct ir_text){t->d.name, t->d.name_loc, IR_SET};
    blk_text(s, &b, A_RESTORE_TEST_NAME, &t->aws_name);
    const struct ast_value *v = blk_value(&b, A_RESTORE_TEST_SCHEDULE);
    if (v) {
        struct cron *c = arena_alloc(s->a, sizeof *c);
        t->cron = sched_lower(s, v, c);
        t->schedule_at = (struct ir_attr){t->cron ? IR_SET : IR_REJECTED, v->loc};
    }
    blk_num(s, &b, A_RESTORE_TEST_START_WITHIN, &t->start_within);
    if (blk_list(s, &b, A_RESTORE_TEST_VAULTS, &t->vaults, &t->vaults_at) == IR_SET && t->vaults.len == 0) {
        struct diag *d = diag_emit(s->cc, OB2004, t->vaults_at.loc, "restore test '%s' names no vaults", t->d.name);
        diag_help(s->cc, d, "name the vaults whose recovery points it restores, like vaults = [VAULT]");
    }
    struct ir_attr at = {0};
    int pick = blk_enum(s, &b, A_RESTORE_TEST_PICK, &at);
    t->pick = pick == 1 ? RESTORE_RANDOM : RESTORE_LATEST;
    int points = blk_enum(s, &b, A_RESTORE_TEST_POINTS, &at);
    t->points = points == 1 ? POINTS_CONTINUOUS : points == 2 ? POINTS_BOTH : POINTS_SNAPSHOT;
    blk_num(s, &b, A_RESTORE_TEST_WINDOW, &t->window);
    t->owner = (struct ir_principal){.kind = PRIN_MEMBERS, .loc = t->d.name_loc};
    if (t->vaults.len)
        t->owner = ir_vault_owner(VEC_GET(const struct ir_vault, t->vaults, 0));
    blk_principal(s, &b, A_RESTORE_TEST_OWNER, &t->owner);
    blk_list(s, &b, A_RESTORE_TEST_REGIONS, &t->regions, &t->regions_at);
    struct test_ctx tc = {t, {0}};
    if (nested_blocks(s, it, schema_block(BK_TEST)->word, each_test, &tc) == 0) {
        struct diag *d = diag_emit(s->cc, OB2004, t->d.name_loc, "restore test '%s' has no tests", t->d.name);
        diag_help(s->cc, d, "add test NAME { type = ebs; role = default_backup_role }, the resources it restores");
    }
}

void lower_audit_control(struct sema *s, const struct ast_item *it, struct ir_audit_control *c)
{
    struct block b;
    sema_block(s, it, BK_AUDIT_CONTROL, &b);
    blk_text(s, &b, A_AUDIT_CONTROL_NAME, &c->aws_name);
    struct ir_attr at = {0};
    blk_list(s, &b, A_AUDIT_CONTROL_PARAMETERS, &c->parameters, &at);
    blk_list(s, &b, A_AUDIT_CONTROL_RANGES, &c->ranges, &at);
    struct ir_flag scoped = {0};
    blk_flag(s, &b, A_AUDIT_CONTROL_SCOPED, &scoped);
    c->scoped = scoped.v;
}

/* The parameter attributes of a control block, in schema order. */
static const enum attr_id control_params[] = {
    A_CONTROL_RETENTION, A_CONTROL_MIN_RETENTION, A_CONTROL_MAX_RETENTION, A_CONTROL_FREQUENCY, A_CONTROL_AGE,
};

static const struct ir_tag *tag_of(const struct vec *tags, const char *key)
{
    for (size_t i = 0; i < tags->len; i++) {
        const struct ir_tag *t = VEC_GET(const struct ir_tag, *tags, i);
        if (strcmp(t->key, key) == 0)
            return t;
    }
    return NULL;
}

static void each_control(struct sema *s, const struct ast_item *it, void *ctx)
{
    struct ir_audit_framework *f = ctx;
    struct ir_decl *d = sema_resolve(s, ast_word_text(it, 1), ast_word_loc(it, 1), KIND(DK_AUDIT_CONTROL));
    struct block b;
    sema_block(s, it, BK_CONTROL, &b);
    if (!d)
        return;
    struct ir_framework_control *fc = arena_alloc(s->a, sizeof *fc);
    fc->control = (struct ir_audit_control *)d;
    fc->loc = it->loc;
    fc->name_loc = ast_word_loc(it, 1);
    for (size_t i = 0; i < sizeof control_params / sizeof control_params[0]; i++) {
        enum attr_id id = control_params[i];
        struct ir_control_param *p = arena_alloc(s->a, sizeof *p);
        p->attr = schema_attr(id)->name;
        if (blk_num(s, &b, id, &p->value) != IR_SET)
            continue;
        if (!tag_of(&fc->control->parameters, p->attr)) {
            struct diag *diag = diag_emit(s->cc, OB6121, blk_loc(&b, id), "control '%s' takes no %s",
                                          d->name, p->attr);
            diag_note(s->cc, diag, d->name_loc, "the control is declared here");
            diag_help(s->cc, diag, "remove %s; the control's parameters are its `parameters`", p->attr);
            continue;
        }
        vec_push(s->a, &fc->params, p);
    }
    blk_list(s, &b, A_CONTROL_TYPES, &fc->types, &fc->types_at);
    if (fc->types_at.state == IR_SET && !fc->control->scoped) {
        struct diag *diag = diag_emit(s->cc, OB6121, fc->types_at.loc, "control '%s' takes no resource types",
                                      d->name);
        diag_note(s->cc, diag, d->name_loc, "the control is declared here");
        diag_help(s->cc, diag, "remove types; this control judges no resources by type");
        fc->types.len = 0;
    }
    vec_push(s->a, &f->controls, fc);
}

void lower_audit_framework(struct sema *s, const struct ast_item *it, struct ir_audit_framework *f)
{
    struct block b;
    sema_block(s, it, BK_AUDIT_FRAMEWORK, &b);
    f->aws_name = (struct ir_text){f->d.name, f->d.name_loc, IR_SET};
    blk_text(s, &b, A_AUDIT_FRAMEWORK_NAME, &f->aws_name);
    blk_text(s, &b, A_AUDIT_FRAMEWORK_DESCRIPTION, &f->description);
    f->owner = (struct ir_principal){.kind = PRIN_MEMBERS, .loc = f->d.name_loc};
    blk_principal(s, &b, A_AUDIT_FRAMEWORK_OWNER, &f->owner);
    blk_list(s, &b, A_AUDIT_FRAMEWORK_REGIONS, &f->regions, &f->regions_at);
    if (nested_blocks(s, it, schema_block(BK_CONTROL)->word, each_control, f) == 0) {
        struct diag *d = diag_emit(s->cc, OB2004, f->d.name_loc, "audit framework '%s' has no controls", f->d.name);
        diag_help(s->cc, d, "add control NAME { ... } with a control of std/aws (audit.ob)");
    }
}
