/*
 * check_windows.c - backup windows of rules (OB3010-OB3012): the start
 * window is at least 60 minutes, the completion window at least 60
 * minutes longer than the start window, and neither over 52,560,000
 * minutes (100 years). Source: backup-policy-spec.md 1.3 [S1, B1, B11].
 */
#include "checks.h"


/* A window in minutes as text; a duration too large to count is
 * saturated by sema and shown as such. */
static const char *minutes(struct obc *cc, int64_t v)
{
    return v == INT64_MAX ? "far more than 52,560,000" : arena_thousands(&cc->arena, (size_t)v);
}

static void check_rule(struct obc *cc, const struct ir_rule *r)
{
    const struct ir_num *start = &r->start_within, *done = &r->complete_within;
    if (start->state == IR_SET && start->v < AWS_START_WINDOW_MIN) {
        struct diag *d = diag_emit(cc, OB3010, start->loc, "start window of rule '%s' is %lld minutes, under the 60 AWS requires",
                                   r->name, (long long)start->v);
        diag_help(cc, d, "make start_within at least 60min (1h); AWS retries failed starts within this window");
    }
    if (start->state == IR_SET && start->v > AWS_WINDOW_MAX) {
        struct diag *d = diag_emit(cc, OB3012, start->loc,
                                   "start window of rule '%s' is %s minutes, over the 52,560,000 (100 years) AWS allows",
                                   r->name, minutes(cc, start->v));
        diag_help(cc, d, "make start_within at most 100y (52560000min)");
    }
    if (done->state == IR_SET && done->v > AWS_WINDOW_MAX) {
        struct diag *d = diag_emit(cc, OB3012, done->loc,
                                   "completion window of rule '%s' is %s minutes, over the 52,560,000 (100 years) AWS allows",
                                   r->name, minutes(cc, done->v));
        diag_help(cc, d, "make complete_within at most 100y (52560000min)");
    }
    long long start_min = start->state == IR_SET ? start->v : AWS_START_WINDOW_DEFAULT;
    if (done->state == IR_SET && done->v <= AWS_WINDOW_MAX && done->v < start_min + AWS_WINDOW_GAP_MIN) {
        struct diag *d;
        if (start->state == IR_SET) {
            d = diag_emit(cc, OB3011, done->loc,
                          "completion window of rule '%s' (%lld minutes) is not at least 60 minutes longer than its "
                          "start window (%lld minutes)", r->name, (long long)done->v, start_min);
            diag_note(cc, d, start->loc, "the start window is set here");
            diag_help(cc, d, "make complete_within at least %lldmin, or shorten start_within", start_min + AWS_WINDOW_GAP_MIN);
        } else {
            d = diag_emit(cc, OB3011, done->loc,
                          "completion window of rule '%s' (%lld minutes) is not at least 60 minutes longer than its "
                          "start window (480 minutes, the AWS default when start_within is not set)",
                          r->name, (long long)done->v);
            diag_help(cc, d, "make complete_within at least 540min (9h), or set a shorter start_within");
        }
    }
}

void check_windows(struct obc *cc, struct ir_program *prog)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        for (size_t j = 0; j < p->rules.len; j++)
            check_rule(cc, VEC_GET(const struct ir_rule, p->rules, j));
    }
}
