/*
 * test_check_overlap.c - OB3020 against a brute-force search. For every
 * pair of a set of schedules that start at the same time (plain days,
 * weekdays, nth and last weekdays, L, LW, nW, 29 February, year ranges
 * in the past and the future), the first common start date that
 * check_overlap reports must be the first date on or after 2026-01-01
 * on which both fire (checked day by day with cron_fires_on, weekdays
 * with an independent formula), else the first from 1970; and it must
 * stay quiet exactly when no such date exists (their start windows, 8
 * hours by default, never reach the other rule's start on another day).
 * Also: the time reported is the first common hour and minute; rules
 * whose windows end when the other starts are quiet, a minute more is
 * not; the help proposes a free start time, else shorter windows, else
 * nothing concrete.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

static const char *const schedules[] = {
    "cron(\"0 5 ? * * *\")",          /* daily */
    "cron(\"0 5 ? * MON *\")",        /* Mondays */
    "cron(\"0 5 ? * 2#1 *\")",        /* first Monday */
    "cron(\"0 5 ? * 6L *\")",         /* last Friday */
    "cron(\"0 5 L * ? *\")",          /* last day of the month */
    "cron(\"0 5 LW * ? *\")",         /* last weekday of the month */
    "cron(\"0 5 15W * ? *\")",        /* weekday nearest the 15th */
    "cron(\"0 5 29 2 ? *\")",         /* 29 February */
    "cron(\"0 5 31 * ? *\")",         /* the 31st */
    "cron(\"0 5 ? FEB SUN *\")",      /* Sundays of February */
    "cron(\"0 5 1 * ? 2030\")",       /* the 1st, in 2030 only */
    "cron(\"0 5 ? * TUE 2020-2021\")",/* Tuesdays of 2020 and 2021 */
    "cron(\"0 5 ? * SAT,SUN 2100\")", /* weekends of 2100 (not a leap year) */
    "cron(\"0 5 13 * ? *\")",         /* the 13th */
    "cron(\"0 5 ? * 6#2 *\")",        /* second Friday */
};
#define NSCHED (sizeof schedules / sizeof schedules[0])

static void compile_rules(struct compiled *c, const char *a, const char *b)
{
    compile_printf(c,
                   "import \"std/aws\"\n"
                   "root org_root = \"r-ab12\"\n"
                   "vault local { }\n"
                   "selection s {\n  role = default_backup_role\n  match = tag(\"b\") == \"t\"\n}\n"
                   "plan p {\n  regions = [eu-west-1]\n  select = [s]\n"
                   "  rule first {\n    schedule = %s\n    vault = local\n    delete_after = 14d\n  }\n"
                   "  rule second {\n    schedule = %s\n    vault = local\n    delete_after = 42d\n  }\n"
                   "}\n"
                   "policy pol {\n  plans = [p]\n  attach = [org_root]\n}\n",
                   a, b);
    assert_non_null(c->prog);
    assert_int_equal(c->cc.diag.errors, 0);
}

static const struct diag *find_overlap(const struct compiled *c)
{
    assert_true(count_diags(c, OB3020) <= 1); /* one pair, one diagnostic */
    return find_diag(c, OB3020);
}

static const struct ir_rule *rule_at(const struct compiled *r, size_t i)
{
    const struct ir_plan *p = VEC_GET(const struct ir_plan, r->prog->plans, 0);
    return VEC_GET(const struct ir_rule, p->rules, i);
}

static int days_in(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* Zeller's congruence, independent of cron.c: 0 = Saturday. */
static const char *weekday_name(int y, int m, int d)
{
    static const char *const names[7] = {"Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
    if (m < 3) {
        m += 12;
        y--;
    }
    int k = y % 100, j = y / 100;
    return names[(d + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7];
}

static bool brute_first(const struct cron *a, const struct cron *b, int from, int to, int *y, int *m, int *d)
{
    for (*y = from; *y <= to; (*y)++)
        for (*m = 1; *m <= 12; (*m)++)
            for (*d = 1; *d <= days_in(*y, *m); (*d)++)
                if (cron_fires_on(a, *y, *m, *d) && cron_fires_on(b, *y, *m, *d))
                    return true;
    return false;
}

static void check_pair(const char *sa, const char *sb)
{
    struct compiled r = {0};
    compile_rules(&r, sa, sb);
    const struct cron *a = rule_at(&r, 0)->cronv, *b = rule_at(&r, 1)->cronv;
    int y, m, d;
    bool expect = brute_first(a, b, 2026, 2199, &y, &m, &d) || brute_first(a, b, 1970, 2025, &y, &m, &d);
    const struct diag *diag = find_overlap(&r);
    if (!expect) {
        if (diag)
            fail_msg("%s / %s: unexpected %s", sa, sb, diag->msg);
    } else {
        char want[160];
        snprintf(want, sizeof want, "both start at 05:00 UTC, first on %s %04d-%02d-%02d;", weekday_name(y, m, d), y, m,
                 d);
        if (!diag)
            fail_msg("%s / %s: no OB3020, expected %s", sa, sb, want);
        if (!strstr(diag->msg, want))
            fail_msg("%s / %s: got '%s', expected '%s'", sa, sb, diag->msg, want);
    }
    compiled_free(&r);
}

static void test_every_pair_matches_brute_force(void **state)
{
    (void)state;
    for (size_t i = 0; i < NSCHED; i++)
        for (size_t j = 0; j < NSCHED; j++)
            if (i != j)
                check_pair(schedules[i], schedules[j]);
}

static void test_first_common_time(void **state)
{
    (void)state;
    struct compiled r = {0};
    compile_rules(&r, "every 6h", "cron(\"0 12,18 ? * * *\")");
    const struct diag *d = find_overlap(&r);
    assert_non_null(d);
    assert_string_equal(d->msg, "rules 'first' and 'second' of plan 'p' both start at 12:00 UTC, first on Thursday "
                                "2026-01-01; AWS then runs only the one with the longer retention");
    assert_string_equal(d->help, "start one of them at another time, or shorten their start windows, or drop "
                                 "'first', the one with the shorter retention (14 days against 42 days)");
    compiled_free(&r);
}

static void test_primary_at_later_rule(void **state)
{
    (void)state;
    struct compiled r = {0};
    compile_rules(&r, "daily at 05:50", "weekly on mon at 05:50");
    const struct diag *d = find_overlap(&r);
    assert_non_null(d);
    assert_int_equal(d->loc.start, rule_at(&r, 1)->schedule_at.loc.start);
    assert_non_null(d->notes);
    assert_int_equal(d->notes->loc.start, rule_at(&r, 0)->schedule_at.loc.start);
    assert_null(d->notes->next);
    assert_string_equal(d->help, "start 'second' at 13:50, where its start window meets no other rule's, or drop "
                                 "'first', the one with the shorter retention (14 days against 42 days)");
    compiled_free(&r);
}

static void test_quiet_without_common_minute_or_hour(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"daily at 01:00", "daily at 09:00"},          /* 01:00 + 8 hours ends at 09:00 */
        {"daily at 05:50", "daily at 13:50"},
        {"cron(\"0 5 ? * MON *\")", "cron(\"0 5 ? * TUE *\")"},
        {"cron(\"0 20 ? * MON *\")", "cron(\"0 5 ? * WED *\")"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        struct compiled r = {0};
        compile_rules(&r, pairs[i][0], pairs[i][1]);
        assert_null(find_overlap(&r));
        compiled_free(&r);
    }
}

static void test_window_reaches_next_start(void **state)
{
    (void)state;
    struct compiled r = {0};
    compile_rules(&r, "daily at 01:00", "daily at 08:59");
    const struct diag *d = find_overlap(&r);
    assert_non_null(d);
    assert_string_equal(d->msg, "rules 'first' and 'second' of plan 'p' have overlapping start windows, first on "
                                "Thursday 2026-01-01: 'first' starts at 01:00 UTC with a start window of 8 hours, "
                                "the AWS default, and 'second' starts 479 minutes later; AWS then runs only the one "
                                "with the longer retention");
    compiled_free(&r);
    /* past midnight: Sunday 22:00 reaches Monday 03:00 */
    compile_rules(&r, "daily at 22:00", "weekly on mon at 03:00");
    assert_non_null(d = find_overlap(&r));
    assert_non_null(strstr(d->msg, "first on Sunday 2026-01-04: 'first' starts at 22:00 UTC"));
    compiled_free(&r);
}

static void test_shorter_windows(void **state)
{
    (void)state;
    /* every start of the day is within 8 hours of a 6-hourly start: no
     * free start time, but windows as long as the gaps part them */
    struct compiled r = {0};
    compile_rules(&r, "every 6h", "daily at 13:00");
    const struct diag *d = find_overlap(&r);
    assert_non_null(d);
    assert_string_equal(d->help, "shorten the start windows so that each ends before the other rule starts: "
                                 "start_within at most 1h in 'first' and start_within at most 5h in 'second', or "
                                 "drop 'first', the one with the shorter retention (14 days against 42 days)");
    compiled_free(&r);
}

static void test_no_free_start(void **state)
{
    (void)state;
    struct compiled r = {0};
    compile_rules(&r, "cron(\"0 * ? * * *\")", "cron(\"0 * ? * * *\")");
    const struct diag *d = find_overlap(&r);
    assert_non_null(d);
    assert_string_equal(d->help, "start one of them at another time, or shorten their start windows, or drop "
                                 "'first', the one with the shorter retention (14 days against 42 days)");
    compiled_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pair_matches_brute_force),
        cmocka_unit_test(test_first_common_time),
        cmocka_unit_test(test_primary_at_later_rule),
        cmocka_unit_test(test_quiet_without_common_minute_or_hour),
        cmocka_unit_test(test_window_reaches_next_start),
        cmocka_unit_test(test_shorter_windows),
        cmocka_unit_test(test_no_free_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
