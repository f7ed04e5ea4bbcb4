/*
 * check_ops.c - checks of notifications, restore tests and audit
 * frameworks against what AWS accepts (OB6101-OB6104, OB6106, OB6110-OB6115,
 * OB6120, OB6122; lower_ops.c reports OB6105 and OB6121 while it reads
 * them). Sources are in docs/codes/OB61xx.md.
 * Reads the IR; reports diagnostics; emits nothing.
 */
#include "checks.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------- */

/* Whether `s` is 1 to `max` characters of letters, digits, underscores
 * and (with `hyphen`) hyphens; with `letter_first`, starting with a letter. */
static bool name_ok(const char *s, size_t max, bool hyphen, bool letter_first)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    if (letter_first && !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  (hyphen && c == '-');
        if (!ok)
            return false;
    }
    return true;
}

/* OB6106 for an AWS name `t` of `what` ("the restore testing plan name")
 * that breaks the rule `rule`. */
static void check_name(struct obc *cc, const struct ir_text *t, const char *what, size_t max, bool hyphen,
                       bool letter_first, const char *rule)
{
    if (t->state != IR_SET || !t->s || name_ok(t->s, max, hyphen, letter_first))
        return;
    struct diag *d = diag_emit(cc, OB6106, t->loc, "'%s' is not a valid %s", t->s, what);
    diag_help(cc, d, "AWS takes %s: write `name = \"...\"` with such a name", rule);
}

/* ---- notifications --------------------------------------------------- */

/* A plain address local@domain.tld: what SNS sends email to. */
static bool email_ok(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || strpbrk(s, " \t<>,;\"()"))
        return false;
    const char *dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0';
}

static bool arn_of(const char *s, const char *service)
{
    size_t n = strlen(service);
    if (strncmp(s, "arn:", 4) != 0)
        return false;
    const char *p = strchr(s + 4, ':'); /* after the partition */
    return p && strncmp(p + 1, service, n) == 0 && p[1 + n] == ':';
}

static void check_subscription(struct obc *cc, const struct ir_notify *n, const struct ir_subscription *sub)
{
    const char *want = NULL;
    if (strcmp(sub->protocol, "email") == 0 && !email_ok(sub->endpoint))
        want = "an email address, like \"ops@example.com\"";
    else if (strcmp(sub->protocol, "https") == 0 && strncmp(sub->endpoint, "https://", 8) != 0)
        want = "an https:// URL";
    else if (strcmp(sub->protocol, "sqs") == 0 && !arn_of(sub->endpoint, "sqs"))
        want = "an SQS queue ARN, \"arn:aws:sqs:REGION:ACCOUNT:NAME\"";
    else if (strcmp(sub->protocol, "lambda") == 0 && !arn_of(sub->endpoint, "lambda"))
        want = "a Lambda function ARN, \"arn:aws:lambda:REGION:ACCOUNT:function:NAME\"";
    if (!want)
        return;
    struct diag *d = diag_emit(cc, OB6101, sub->loc, "'%s' in %s of notification '%s' is not %s", sub->endpoint,
                               sub->protocol, n->d.name, want);
    diag_help(cc, d, "SNS rejects a subscription whose endpoint does not fit its protocol");
}

static void check_vault_events(struct obc *cc, const struct ir_notify *n)
{
    for (size_t i = 0; i < n->events.len; i++) {
        const struct ir_event *e = VEC_GET(const struct ir_event, n->events, i);
        if (!e->vault_event.s) {
            struct diag *d = diag_emit(cc, OB6103, n->events_at.loc, "vault notifications do not report '%s'",
                                       e->d.name);
            diag_note(cc, d, e->d.name_loc, "the event is declared here, without a vault_event");
            diag_help(cc, d, "write via = eventbridge: an EventBridge rule matches the job state");
        } else if (e->vault_event_all_outcomes) {
            struct diag *d = diag_emit(cc, OB6102, n->events_at.loc, "vault event %s reports every outcome of "
                                       "the job, not only '%s'", e->vault_event.s, e->d.name);
            diag_help(cc, d, "the topic also gets the jobs that succeed: filter the subscriptions on the "
                             "message, or write via = eventbridge, whose rule matches the state");
        }
    }
    for (size_t i = 0; i < n->vaults.len; i++) {
        const struct ir_vault *v = VEC_GET(const struct ir_vault, n->vaults, i);
        if (!v->air_gapped)
            continue;
        struct diag *d = diag_emit(cc, OB6104, n->vaults_at.loc, "vault '%s' is logically air-gapped: AWS does "
                                   "not document vault notifications for it", v->d.name);
        diag_note(cc, d, v->d.name_loc, "the vault is declared here");
        diag_help(cc, d, "write via = eventbridge to be told of its jobs for certain");
    }
}

static void check_notify(struct obc *cc, const struct ir_notify *n)
{
    check_name(cc, &n->topic, "SNS topic name", AWS_SNS_TOPIC_NAME_MAX, true, false,
               "1 to 256 letters, digits, hyphens and underscores");
    for (size_t i = 0; i < n->subscriptions.len; i++)
        check_subscription(cc, n, VEC_GET(const struct ir_subscription, n->subscriptions, i));
    if (n->via == NOTIFY_VAULT)
        check_vault_events(cc, n);
}

/* ---- restore tests ----------------------------------------------------- */

/* Whether a duration in minutes is whole hours from lo to hi. */
static bool hours_in(const struct ir_num *n, int64_t lo, int64_t hi)
{
    return n->v % 60 == 0 && n->v / 60 >= lo && n->v / 60 <= hi;
}

/* What the plans that write into one vault back up. */
struct vault_writers {
    struct vec types; /* struct ir_restype*, once each */
    bool any;         /* some writer backs up anything (tags only, or `any`) */
};

/* Keys of the memo check_ops keeps. */
enum { MEMO_WRITERS = 1, MEMO_WRITER_TYPE };

/* Adds what one plan backs up (`types`, `any`) to the writers of v. */
static void add_plan_to(struct arena *a, struct ptrset *memo, const struct ir_vault *v, const struct vec *types,
                        bool any)
{
    bool fresh;
    struct vault_writers *w = ptrset_memo(a, memo, MEMO_WRITERS, v, NULL, sizeof *w, &fresh);
    w->any |= any;
    for (size_t i = 0; i < types->len; i++)
        if (ptrset_add_key(a, memo, MEMO_WRITER_TYPE, v, types->items[i]))
            vec_push(a, &w->types, types->items[i]);
}

/* For every vault some rule of some plan writes into (its vault, its
 * air-gapped vault, its copies' targets), what those plans back up:
 * each plan's types worked out once. */
static void index_writers(const struct ir_program *prog, struct ptrset *memo, struct arena *a)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        struct vec types = {0};
        bool any = false;
        ir_plan_types(prog, p, &types, &any, a);
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            if (r->vault)
                add_plan_to(a, memo, r->vault, &types, any);
            if (r->air_gapped_vault)
                add_plan_to(a, memo, r->air_gapped_vault, &types, any);
            for (size_t k = 0; k < r->copies.len; k++) {
                const struct ir_copy *c = VEC_GET(const struct ir_copy, r->copies, k);
                if (c->target)
                    add_plan_to(a, memo, c->target, &types, any);
            }
        }
    }
}

/* OB6115: a test of a type that no plan writing into the test's vaults
 * selects (quiet when no plan writes into them: OB6113 says so). */
static void check_tested_types(struct obc *cc, const struct ir_restore_test *t, const struct ptrset *writers)
{
    struct vec types = {0};
    struct ptrset seen = {0};
    bool any = false, written = false;
    for (size_t i = 0; i < t->vaults.len; i++) {
        const struct vault_writers *w = ptrset_get(writers, MEMO_WRITERS, t->vaults.items[i], NULL);
        if (!w)
            continue;
        written = true;
        any |= w->any;
        for (size_t j = 0; j < w->types.len; j++)
            if (ptrset_add(&cc->arena, &seen, w->types.items[j]))
                vec_push(&cc->arena, &types, w->types.items[j]);
    }
    if (!written || any)
        return;
    for (size_t i = 0; i < t->selections.len; i++) {
        const struct ir_restore_selection *sel = VEC_GET(const struct ir_restore_selection, t->selections, i);
        if (!sel->type || !sel->type->restore_test_name)
            continue;
        bool backed_up = false;
        for (size_t j = 0; j < types.len && !backed_up; j++)
            backed_up = ir_types_share_pattern(sel->type, types.items[j]);
        if (backed_up)
            continue;
        struct diag *d = diag_emit(cc, OB6115, sel->type_at.loc, "test '%s' restores %s, which no plan backs up "
                                   "into the vaults of restore test '%s'", sel->name, sel->type->d.name, t->d.name);
        diag_help(cc, d, "test a type the plans select (%s), or select %s in a plan that writes into those vaults",
                  check_some_types(&cc->arena, &types, false), sel->type->d.name);
    }
}

static void check_selection(struct obc *cc, const struct ir_restore_selection *sel)
{
    check_name(cc, &sel->aws_name, "restore testing selection name", AWS_RESTORE_TESTING_NAME_MAX, false, false,
               "1 to 50 letters, digits and underscores");
    if (sel->validate_within.state == IR_SET && !hours_in(&sel->validate_within, 0, AWS_RESTORE_VALIDATION_WINDOW_MAX_HOURS)) {
        struct diag *d = diag_emit(cc, OB6112, sel->validate_within.loc, "validate_within of test '%s' must be "
                                   "whole hours from 0h to 168h", sel->name);
        diag_help(cc, d, "ValidationWindowHours is 0 to 168 hours; write it in hours, like 24h");
    }
    if (sel->type && !sel->type->restore_test_name) {
        struct diag *d = diag_emit(cc, OB6114, sel->type_at.loc, "restore testing does not support resource type "
                                   "'%s'", sel->type->d.name);
        diag_help(cc, d, "test a type restore testing supports (ebs, ec2, efs, rds, s3, ...): see std/aws "
                         "resource_types.ob, restore_test_name");
    }
}

static void check_restore_test(struct obc *cc, const struct ir_restore_test *t, const struct ptrset *writers)
{
    check_name(cc, &t->aws_name, "restore testing plan name", AWS_RESTORE_TESTING_NAME_MAX, false, false,
               "1 to 50 letters, digits and underscores");
    if (t->start_within.state == IR_SET && !hours_in(&t->start_within, 1, AWS_RESTORE_START_WINDOW_MAX_HOURS)) {
        struct diag *d = diag_emit(cc, OB6110, t->start_within.loc, "start_within of restore test '%s' must be "
                                   "whole hours from 1h to 168h", t->d.name);
        diag_help(cc, d, "StartWindowHours is 1 to 168 hours; write it in hours, like 24h");
    }
    if (t->window.state == IR_SET && (t->window.v < 1 || t->window.v > AWS_RESTORE_SELECTION_WINDOW_MAX_DAYS)) {
        struct diag *d = diag_emit(cc, OB6111, t->window.loc, "window of restore test '%s' must be from 1d to "
                                   "365d", t->d.name);
        diag_help(cc, d, "SelectionWindowDays is 1 to 365 days (30 when absent)");
    }
    for (size_t i = 0; i < t->vaults.len; i++) {
        const struct ir_vault *v = VEC_GET(const struct ir_vault, t->vaults, i);
        if (v->external || ptrset_get(writers, MEMO_WRITERS, v, NULL))
            continue;
        struct diag *d = diag_emit(cc, OB6113, t->vaults_at.loc, "restore test '%s' restores from vault '%s', "
                                   "which no plan backs up into", t->d.name, v->d.name);
        diag_note(cc, d, v->d.name_loc, "the vault is declared here");
        diag_help(cc, d, "name a vault a rule or copy writes into, or it has no recovery points to test");
    }
    for (size_t i = 0; i < t->selections.len; i++)
        check_selection(cc, VEC_GET(const struct ir_restore_selection, t->selections, i));
    check_tested_types(cc, t, writers);
}

/* ---- audit frameworks ---------------------------------------------------- */

/* "MIN-MAX" of attribute `attr` in a control's ranges; false if none. */
static bool range_of(const struct ir_audit_control *c, const char *attr, int64_t *lo, int64_t *hi)
{
    for (size_t i = 0; i < c->ranges.len; i++) {
        const struct ir_tag *t = VEC_GET(const struct ir_tag, c->ranges, i);
        if (strcmp(t->key, attr) != 0)
            continue;
        char *end;
        *lo = strtoll(t->value, &end, 10);
        if (*end != '-')
            return false;
        *hi = strtoll(end + 1, &end, 10);
        return *end == '\0';
    }
    return false;
}

/* The unit a control attribute's range is written in: days for the
 * retention attributes (VT_DAYS), hours for the durations (VT_MINUTES). */
static bool in_hours(const char *attr)
{
    return strcmp(attr, "frequency") == 0 || strcmp(attr, "age") == 0;
}

static void report_range(struct obc *cc, const struct ir_framework_control *fc, const struct ir_control_param *p,
                         const char *how, int64_t lo, int64_t hi, const char *unit)
{
    struct diag *d = diag_emit(cc, OB6120, p->value.loc, "%s of control '%s' must be %s%" PRId64 "%s to %" PRId64 "%s",
                               p->attr, fc->control->d.name, how, lo, unit, hi, unit);
    diag_note(cc, d, fc->control->d.name_loc, "the control's ranges are declared here");
    diag_help(cc, d, "AWS Backup Audit Manager rejects the framework otherwise");
}

/* A parameter's value against its control's `ranges`: "ATTR" for every
 * value, and for a duration written in hours that are not whole days
 * also "ATTR.hours" (a frequency of 36h is neither 1 to 24 hours nor
 * whole days). */
static void check_control(struct obc *cc, const struct ir_framework_control *fc)
{
    for (size_t i = 0; i < fc->params.len; i++) {
        const struct ir_control_param *p = VEC_GET(const struct ir_control_param, fc->params, i);
        int64_t lo, hi;
        if (!range_of(fc->control, p->attr, &lo, &hi))
            continue;
        bool hours = in_hours(p->attr);
        int64_t v = hours ? p->value.v / 60 : p->value.v;
        if ((hours && p->value.v % 60 != 0) || v < lo || v > hi) {
            report_range(cc, fc, p, hours ? "whole hours from " : "", lo, hi, hours ? "h" : "d");
            continue;
        }
        if (!hours || p->value.v % (24 * 60) == 0)
            continue;
        const char *key = arena_printf(&cc->arena, "%s.hours", p->attr);
        if (range_of(fc->control, key, &lo, &hi) && (v < lo || v > hi))
            report_range(cc, fc, p, "whole days, or hours from ", lo, hi, "h");
    }
}

/* AWS_AUDIT_FRAMEWORKS_MAX and AWS_AUDIT_CONTROLS_MAX (aws_limits.def).
 * Frameworks are few: each is compared with the earlier ones of its
 * owner. One report per owner and quota, at the framework that passes it. */
static void check_framework_count(struct obc *cc, const struct ir_program *prog)
{
    for (size_t i = 0; i < prog->audit_frameworks.len; i++) {
        const struct ir_audit_framework *f = VEC_GET(const struct ir_audit_framework, prog->audit_frameworks, i);
        size_t frameworks = 1, controls = f->controls.len;
        for (size_t j = 0; j < i; j++) {
            const struct ir_audit_framework *g = VEC_GET(const struct ir_audit_framework, prog->audit_frameworks, j);
            if (ir_same_principal(&f->owner, &g->owner)) {
                frameworks++;
                controls += g->controls.len;
            }
        }
        const char *who = check_principal_words(&cc->arena, &f->owner);
        if (frameworks == AWS_AUDIT_FRAMEWORKS_MAX + 1) {
            struct diag *d = diag_emit(cc, OB6122, f->d.name_loc, "audit framework '%s' makes %zu frameworks of %s: "
                                       "AWS allows %d per account and Region", f->d.name, frameworks, who,
                                       AWS_AUDIT_FRAMEWORKS_MAX);
            diag_help(cc, d, "merge frameworks (one framework takes many controls), or ask AWS for a higher quota");
        }
        if (controls > AWS_AUDIT_CONTROLS_MAX && controls - f->controls.len <= AWS_AUDIT_CONTROLS_MAX) {
            struct diag *d = diag_emit(cc, OB6122, f->d.name_loc, "audit framework '%s' makes %zu controls of %s: "
                                       "AWS allows %d per account and Region over all frameworks", f->d.name,
                                       controls, who, AWS_AUDIT_CONTROLS_MAX);
            diag_help(cc, d, "a control used by two frameworks counts twice: drop repeated controls");
        }
    }
}

void check_ops(struct obc *cc, struct ir_program *prog)
{
    for (size_t i = 0; i < prog->audit_frameworks.len; i++) {
        const struct ir_audit_framework *f = VEC_GET(const struct ir_audit_framework, prog->audit_frameworks, i);
        check_name(cc, &f->aws_name, "framework name", AWS_FRAMEWORK_NAME_MAX, false, true,
                   "1 to 256 letters, digits and underscores, starting with a letter");
    }
    for (size_t i = 0; i < prog->notifies.len; i++)
        check_notify(cc, VEC_GET(const struct ir_notify, prog->notifies, i));
    struct ptrset writers = {0}; /* MEMO_*: what writes into each vault */
    if (prog->restore_tests.len)
        index_writers(prog, &writers, &cc->arena);
    for (size_t i = 0; i < prog->restore_tests.len; i++)
        check_restore_test(cc, VEC_GET(const struct ir_restore_test, prog->restore_tests, i), &writers);
    for (size_t i = 0; i < prog->audit_frameworks.len; i++) {
        const struct ir_audit_framework *f = VEC_GET(const struct ir_audit_framework, prog->audit_frameworks, i);
        for (size_t j = 0; j < f->controls.len; j++)
            check_control(cc, VEC_GET(const struct ir_framework_control, f->controls, j));
    }
    check_framework_count(cc, prog);
}
