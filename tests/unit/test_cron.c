/*
 * test_cron.c - unit tests of cron.c (parsing, diagnostics and their
 * ranges, firing dates) and of schedule.c (phrases to cron).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sema.h"

#define BASE 100u /* raw_base used in the tests: offsets are BASE + index */
#define FILE_ID 7u

static int setup(void **state)
{
    struct obc *cc = test_malloc(sizeof *cc);
    obc_init(cc, NULL);
    *state = cc;
    return 0;
}

static int teardown(void **state)
{
    struct obc *cc = *state;
    obc_free(cc);
    test_free(cc);
    return 0;
}

static struct diag *diag_at(struct obc *cc, size_t i)
{
    assert_true(i < cc->diag.list.len);
    return VEC_GET(struct diag, cc->diag.list, i);
}

static struct cron parse_ok(struct obc *cc, const char *expr)
{
    struct cron c;
    memset(&c, 0xAB, sizeof c);
    bool ok = cron_parse(cc, expr, (struct loc){FILE_ID, 0, 0}, BASE, &c);
    if (!ok || cc->diag.list.len != 0)
        print_error("'%s': %s\n", expr, cc->diag.list.len ? diag_at(cc, 0)->msg : "failed without diagnostic");
    assert_true(ok);
    assert_int_equal(cc->diag.list.len, 0);
    return c;
}

/* Exactly one diagnostic with this code over [start, end) of expr. */
static struct diag *parse_bad(struct obc *cc, const char *expr, enum diag_code code, unsigned start, unsigned end)
{
    size_t before = cc->diag.list.len;
    struct cron c;
    memset(&c, 0, sizeof c);
    c.minutes = 12345;
    assert_false(cron_parse(cc, expr, (struct loc){FILE_ID, 0, 0}, BASE, &c));
    assert_int_equal(c.minutes, 12345); /* untouched on failure */
    if (cc->diag.list.len != before + 1)
        print_error("'%s': %zu diagnostics\n", expr, cc->diag.list.len - before);
    assert_int_equal(cc->diag.list.len, before + 1);
    struct diag *d = diag_at(cc, before);
    if (d->code != code || d->loc.start != BASE + start || d->loc.end != BASE + end)
        print_error("'%s': %s [%u,%u) %s\n", expr, diag_info(d->code)->id, d->loc.start - BASE, d->loc.end - BASE,
                    d->msg);
    assert_int_equal(d->code, code);
    assert_int_equal(d->loc.file, FILE_ID);
    assert_int_equal(d->loc.start, BASE + start);
    assert_int_equal(d->loc.end, BASE + end);
    assert_non_null(d->help);
    return d;
}

static bool year_bit(const struct cron *c, int y)
{
    int i = y - 1970;
    return (c->years[i / 64] >> (i % 64)) & 1u;
}

/* ------------------------------------------------------------------ */
/* valid expressions                                                    */

static void test_basic_daily(void **state)
{
    struct obc *cc = *state;
    struct cron c = parse_ok(cc, "0 5 ? * * *");
    assert_true(c.minutes == 1);
    assert_int_equal(c.hours, 1u << 5);
    assert_true(c.dom_any);
    assert_false(c.dow_any);
    assert_int_equal(c.dom, 0);
    assert_int_equal(c.dow, 0xFE);      /* bits 1..7 */
    assert_int_equal(c.months, 0x1FFE); /* bits 1..12 */
    assert_true(year_bit(&c, 1970));
    assert_true(year_bit(&c, 2199));
    assert_int_equal(c.years[3] >> (229 - 192 + 1), 0); /* nothing past 2199 */
    assert_string_equal(c.text, "0 5 ? * * *");
    assert_int_equal(cron_firings_per_day(&c), 1);
}

static void test_lists_ranges_steps(void **state)
{
    struct obc *cc = *state;
    struct cron c = parse_ok(cc, "30 1,5-7,20/2 ? * * *");
    assert_true(c.minutes == (uint64_t)1 << 30);
    assert_int_equal(c.hours, (1u << 1) | (1u << 5) | (1u << 6) | (1u << 7) | (1u << 20) | (1u << 22));
    assert_int_equal(cron_firings_per_day(&c), 6);

    c = parse_ok(cc, "0 */6 ? * * *");
    assert_int_equal(c.hours, (1u << 0) | (1u << 6) | (1u << 12) | (1u << 18));
    assert_int_equal(cron_firings_per_day(&c), 4);

    c = parse_ok(cc, "0 2-14/4 ? * * *");
    assert_int_equal(c.hours, (1u << 2) | (1u << 6) | (1u << 10) | (1u << 14));

    c = parse_ok(cc, "0 * ? * * *");
    assert_int_equal(c.hours, 0xFFFFFF);
    assert_int_equal(cron_firings_per_day(&c), 24);

    c = parse_ok(cc, "0 0/24 ? * * *");
    assert_int_equal(c.hours, 1);

    c = parse_ok(cc, "0 5 1/10 * ? *");
    assert_int_equal(c.dom, (1u << 1) | (1u << 11) | (1u << 21) | (1u << 31));
    assert_true(c.dow_any);
    assert_int_equal(c.dow, 0);

    c = parse_ok(cc, "0 5 ? 3/4 * *");
    assert_int_equal(c.months, (1u << 3) | (1u << 7) | (1u << 11));

    c = parse_ok(cc, "0 5 ? * * 2024-2030/3,2100");
    assert_false(year_bit(&c, 2023));
    assert_true(year_bit(&c, 2024));
    assert_false(year_bit(&c, 2025));
    assert_true(year_bit(&c, 2027));
    assert_true(year_bit(&c, 2030));
    assert_false(year_bit(&c, 2033));
    assert_true(year_bit(&c, 2100));

    c = parse_ok(cc, "0 5 ? * * */50");
    assert_true(year_bit(&c, 1970));
    assert_true(year_bit(&c, 2020));
    assert_true(year_bit(&c, 2170));
    assert_false(year_bit(&c, 2171));
}

static void test_names_and_normalization(void **state)
{
    struct obc *cc = *state;
    struct cron c = parse_ok(cc, "  05\t07  ? jan-Mar,dec mon-FRI,sun *  ");
    assert_string_equal(c.text, "5 7 ? JAN-MAR,DEC MON-FRI,SUN *");
    assert_true(c.minutes == (uint64_t)1 << 5);
    assert_int_equal(c.hours, 1u << 7);
    assert_int_equal(c.months, (1u << 1) | (1u << 2) | (1u << 3) | (1u << 12));
    assert_int_equal(c.dow, (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6));

    c = parse_ok(cc, "0 5 ? * SAT,1 *");
    assert_int_equal(c.dow, (1u << 7) | (1u << 1));

    c = parse_ok(cc, "0 5 ? * 1-7 *");
    assert_int_equal(c.dow, 0xFE);

    c = parse_ok(cc, "0 5 * * ? *");
    assert_false(c.dom_any);
    assert_true(c.dow_any);
    assert_int_equal(c.dom, 0xFFFFFFFEu);
}

static void test_special_day_forms(void **state)
{
    struct obc *cc = *state;
    struct cron c = parse_ok(cc, "0 5 L * ? *");
    assert_true(c.dom_last);
    assert_int_equal(c.dom_last_offset, 0);
    assert_int_equal(c.dom, 0);

    c = parse_ok(cc, "0 5 lw * ? *");
    assert_true(c.dom_last_weekday);
    assert_false(c.dom_last);
    assert_string_equal(c.text, "0 5 LW * ? *");

    c = parse_ok(cc, "0 5 15W * ? *");
    assert_int_equal(c.dom_weekday, 15);
    assert_false(c.dom_last_weekday);

    c = parse_ok(cc, "0 5 ? * 2#1 *");
    assert_int_equal(c.dow_nth_day, 2);
    assert_int_equal(c.dow_nth, 1);
    assert_int_equal(c.dow, 0);

    c = parse_ok(cc, "0 5 ? * fri#3 *");
    assert_int_equal(c.dow_nth_day, 6);
    assert_int_equal(c.dow_nth, 3);
    assert_string_equal(c.text, "0 5 ? * FRI#3 *");

    c = parse_ok(cc, "0 5 ? * 6L *");
    assert_int_equal(c.dow_last, 6);
    assert_int_equal(c.dow_nth, 0);

    c = parse_ok(cc, "0 5 ? * friL *");
    assert_int_equal(c.dow_last, 6);
    assert_string_equal(c.text, "0 5 ? * FRIL *");

    c = parse_ok(cc, "0 5 ? * L *"); /* L alone: the last day of the week */
    assert_int_equal(c.dow, 1u << 7);
    assert_int_equal(c.dow_last, 0);
}

static void test_raw_base_zero_uses_loc(void **state)
{
    struct obc *cc = *state;
    struct cron c;
    struct loc loc = {3, 40, 60};
    assert_false(cron_parse(cc, "0 99 ? * * *", loc, 0, &c));
    assert_int_equal(cc->diag.list.len, 1);
    struct diag *d = diag_at(cc, 0);
    assert_int_equal(d->code, OB3001);
    assert_int_equal(d->loc.file, 3);
    assert_int_equal(d->loc.start, 40);
    assert_int_equal(d->loc.end, 60);
}

/* ------------------------------------------------------------------ */
/* errors                                                               */

static void test_field_count(void **state)
{
    struct obc *cc = *state;
    struct diag *d = parse_bad(cc, "0 5 * * MON", OB3001, 0, 11);
    assert_string_equal(d->msg, "cron has 5 fields, AWS needs 6: minutes hours day-of-month month day-of-week year");
    assert_string_equal(d->help, "add the year at the end: '0 5 ? * MON *'");
    d = parse_bad(cc, "0 5 * * *", OB3001, 0, 9);
    assert_string_equal(d->help, "add the year at the end: '0 5 * * ? *'");
    d = parse_bad(cc, "*/5 * * * 1-5", OB3001, 0, 13);
    assert_string_equal(d->help, "add the year at the end: '0 * ? * MON-FRI *'; the days of the week are written as "
                                 "names because AWS numbers them 1-7 from Sunday, not 0-6 as Unix cron does");
    d = parse_bad(cc, "0 5 * * 0,6", OB3001, 0, 11);
    assert_string_equal(d->help, "add the year at the end: '0 5 ? * SUN,SAT *'; the days of the week are written as "
                                 "names because AWS numbers them 1-7 from Sunday, not 0-6 as Unix cron does");
    /* Unix 5-7 (Friday to Sunday) would go backwards as names */
    d = parse_bad(cc, "0 5 * * 5-7", OB3001, 0, 11);
    assert_string_equal(d->help, "add the year at the end: '0 5 ? * 5-7 *'; note that AWS numbers the days of the "
                                 "week 1-7 from Sunday, not 0-6 as Unix cron does");
    d = parse_bad(cc, "0 5 * * 1-3-5", OB3001, 0, 13);
    assert_string_equal(d->help, "add the year at the end: '0 5 ? * 1-3-5 *'; note that AWS numbers the days of the "
                                 "week 1-7 from Sunday, not 0-6 as Unix cron does");
    /* a '?' means AWS numbering: the day numbers stay */
    d = parse_bad(cc, "0 5 ? * 2", OB3001, 0, 9);
    assert_string_equal(d->help, "add the year at the end: '0 5 ? * 2 *'; note that AWS numbers the days of the "
                                 "week 1-7 from Sunday, not 0-6 as Unix cron does");
    d = parse_bad(cc, " 0 0 5 ? * * * ", OB3001, 1, 14);
    assert_string_equal(d->msg, "cron has 7 fields, AWS needs 6: minutes hours day-of-month month day-of-week year");
    parse_bad(cc, "0", OB3001, 0, 1);

    /* nothing to narrow to: the given location */
    struct cron c;
    assert_false(cron_parse(cc, "  ", (struct loc){FILE_ID, 10, 14}, BASE, &c));
    d = diag_at(cc, cc->diag.list.len - 1);
    assert_int_equal(d->code, OB3001);
    assert_int_equal(d->loc.start, 10);
    assert_int_equal(d->loc.end, 14);
}

static void test_out_of_range(void **state)
{
    struct obc *cc = *state;
    struct diag *d = parse_bad(cc, "60 5 ? * * *", OB3001, 0, 2);
    assert_string_equal(d->msg, "minute 60 is out of range (0-59)");
    d = parse_bad(cc, "0 24 ? * * *", OB3001, 2, 4);
    assert_string_equal(d->msg, "hour 24 is out of range (0-23)");
    assert_string_equal(d->help, "midnight is hour 0");
    parse_bad(cc, "0 5 0 * ? *", OB3001, 4, 5);
    parse_bad(cc, "0 5 32 * ? *", OB3001, 4, 6);
    parse_bad(cc, "0 5 1-32 * ? *", OB3001, 6, 8);
    parse_bad(cc, "0 5 ? 13 * *", OB3001, 6, 8);
    d = parse_bad(cc, "0 5 ? * 0 *", OB3001, 8, 9);
    assert_string_equal(d->help, "AWS numbers the days of the week 1-7 from Sunday: write 1 or SUN for Sunday");
    parse_bad(cc, "0 5 ? * 8 *", OB3001, 8, 9);
    parse_bad(cc, "0 5 ? * * 1969", OB3001, 10, 14);
    parse_bad(cc, "0 5 ? * * 2200", OB3001, 10, 14);
    parse_bad(cc, "0 5 ? * * 2024-99999999999", OB3001, 15, 26);
    parse_bad(cc, "0 1,2,99 ? * * *", OB3001, 6, 8);
}

static void test_names_errors(void **state)
{
    struct obc *cc = *state;
    struct diag *d = parse_bad(cc, "0 5 ? * MONDAY *", OB3001, 8, 14);
    assert_string_equal(d->msg, "unknown day name 'MONDAY'");
    assert_string_equal(d->help, "did you mean 'MON'? names are SUN MON TUE WED THU FRI SAT");
    d = parse_bad(cc, "0 5 ? * tus *", OB3001, 8, 11);
    assert_string_equal(d->help, "did you mean 'TUE'? names are SUN MON TUE WED THU FRI SAT");
    d = parse_bad(cc, "0 5 ? September * *", OB3001, 6, 15);
    assert_string_equal(d->msg, "unknown month name 'September'");
    assert_string_equal(d->help, "did you mean 'SEP'? names are JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC");
    d = parse_bad(cc, "0 5 ? * XYZ *", OB3001, 8, 11);
    assert_string_equal(d->help, "names are SUN MON TUE WED THU FRI SAT (or numbers 1-7)");
    d = parse_bad(cc, "0 five ? * * *", OB3001, 2, 6);
    assert_string_equal(d->msg, "'five' is not valid in hours");
    parse_bad(cc, "0 5 MON * ? *", OB3001, 4, 7);
    parse_bad(cc, "0 5 ? * * JAN", OB3001, 10, 13);
}

static void test_syntax_errors(void **state)
{
    struct obc *cc = *state;
    struct diag *d = parse_bad(cc, "0 5x ? * * *", OB3001, 3, 4);
    assert_string_equal(d->msg, "unexpected 'x' in hours '5x'");
    assert_string_equal(d->help, "the hours field takes numbers 0-23 and , - * /");
    parse_bad(cc, "0 *5 ? * * *", OB3001, 3, 4);
    parse_bad(cc, "0 -1 ? * * *", OB3001, 2, 3);
    parse_bad(cc, "0 1- ? * * *", OB3001, 2, 4);
    parse_bad(cc, "0 1-2-3 ? * * *", OB3001, 5, 6);
    parse_bad(cc, "0 5 ? * \xC3\xA9 *", OB3001, 8, 10);          /* a whole UTF-8 character */
    d = parse_bad(cc, "0 5 ? * 1,,2 *", OB3001, 10, 11);          /* the second comma */
    assert_string_equal(d->msg, "empty item in the day-of-week list");
    parse_bad(cc, "0 5 ? * 1, *", OB3001, 9, 10);
    parse_bad(cc, "0 5 ? * ,1 *", OB3001, 8, 9);
    /* steps */
    d = parse_bad(cc, "0 */0 ? * * *", OB3001, 4, 5);
    assert_string_equal(d->msg, "step 0 is out of range (1-24)");
    parse_bad(cc, "0 */25 ? * * *", OB3001, 4, 6);
    parse_bad(cc, "0 */ ? * * *", OB3001, 2, 4);
    parse_bad(cc, "0 */x ? * * *", OB3001, 4, 5);
    parse_bad(cc, "0 1/2/3 ? * * *", OB3001, 5, 6);
    d = parse_bad(cc, "0 5 ? * */2 *", OB3001, 9, 11);
    assert_string_equal(d->msg, "day-of-week does not take '/' steps");
    /* backwards ranges */
    d = parse_bad(cc, "0 22-2 ? * * *", OB3001, 2, 6);
    assert_string_equal(d->msg, "range '22-2' goes backwards");
    assert_string_equal(d->help, "ranges go from the smaller value to the larger; for a range that wraps around, "
                                 "write two: '22-23,0-2'");
    d = parse_bad(cc, "0 5 ? * 3,FRI-MON *", OB3001, 10, 17);
    assert_string_equal(d->help, "ranges go from the smaller value to the larger; for a range that wraps around, "
                                 "write two: 'FRI-SAT,SUN-MON'");
    d = parse_bad(cc, "0 23-1 ? * * *", OB3001, 2, 6);
    assert_string_equal(d->help, "ranges go from the smaller value to the larger; for a range that wraps around, "
                                 "write two: '23,0-1'");
    d = parse_bad(cc, "0 5 ? * sat-sun *", OB3001, 8, 15);
    assert_string_equal(d->help, "ranges go from the smaller value to the larger; for a range that wraps around, "
                                 "write two: 'sat,sun'");
}

static void test_question_mark_errors(void **state)
{
    struct obc *cc = *state;
    struct diag *d = parse_bad(cc, "0 ? ? * * *", OB3001, 2, 3);
    assert_string_equal(d->msg, "'?' is only allowed in day-of-month and day-of-week");
    parse_bad(cc, "0 5 ? ? * *", OB3001, 6, 7);
    d = parse_bad(cc, "0 5 1,? * ? *", OB3001, 6, 7);
    assert_string_equal(d->msg, "'?' must be the whole day-of-month field");
    parse_bad(cc, "0 5 ? * ?? *", OB3001, 8, 9);

    d = parse_bad(cc, "0 5 ? * ? *", OB3002, 4, 9);
    assert_string_equal(d->msg, "day-of-month and day-of-week are both '?'");
    assert_string_equal(d->help, "give one of them a value, e.g. '0 5 * * ? *' for every day");
    d = parse_bad(cc, "0 5 * * * *", OB3002, 8, 9);
    assert_string_equal(d->help, "turn day-of-week into '?': '0 5 * * ? *'");
    d = parse_bad(cc, "0 5 * * mon *", OB3002, 4, 5);
    assert_string_equal(d->help, "turn day-of-month into '?': '0 5 ? * MON *'");
    d = parse_bad(cc, "0 5 15 * MON *", OB3002, 4, 12);
    assert_string_equal(d->msg, "day-of-month '15' and day-of-week 'MON' are both set; one of them must be '?'");
}

static void test_special_form_errors(void **state)
{
    struct obc *cc = *state;
    struct diag *d = parse_bad(cc, "0 5 1,L * ? *", OB3001, 6, 7);
    assert_string_equal(d->msg, "'L' cannot be combined with other day-of-month values");
    parse_bad(cc, "0 5 15W,20 * ? *", OB3001, 4, 7);
    d = parse_bad(cc, "0 5 L-3 * ? *", OB3001, 4, 7);
    assert_string_equal(d->msg, "'L-3' (days before the end of the month) is not part of AWS cron");
    parse_bad(cc, "0 5 1-5W * ? *", OB3001, 7, 8);
    parse_bad(cc, "0 5 W * ? *", OB3001, 4, 5);
    parse_bad(cc, "0 5 15L * ? *", OB3001, 6, 7);
    parse_bad(cc, "0 5 32W * ? *", OB3001, 4, 6);
    parse_bad(cc, "0 5 0W * ? *", OB3001, 4, 5);

    d = parse_bad(cc, "0 5 ? * 3#1,6#3 *", OB3001, 12, 15);
    assert_string_equal(d->msg, "only one '#' expression is allowed in day-of-week");
    d = parse_bad(cc, "0 5 ? * 2#1,3 *", OB3001, 8, 11);
    assert_string_equal(d->msg, "'2#1' cannot be combined with other day-of-week values");
    d = parse_bad(cc, "0 5 ? * 2#6 *", OB3001, 10, 11);
    assert_string_equal(d->msg, "week number 6 in '2#6' is out of range (1-5)");
    assert_string_equal(d->help, "'2#1' is the first Monday of the month, '2#5' the fifth");
    parse_bad(cc, "0 5 ? * 2#0 *", OB3001, 10, 11);
    d = parse_bad(cc, "0 5 ? * 2#x *", OB3001, 9, 11);
    assert_string_equal(d->msg, "'2#x' needs a week number from 1 to 5 after '#'");
    parse_bad(cc, "0 5 ? * 2# *", OB3001, 9, 10);
    parse_bad(cc, "0 5 ? * 2#1#2 *", OB3001, 9, 13);
    parse_bad(cc, "0 5 ? * #2 *", OB3001, 8, 9);
    parse_bad(cc, "0 5 ? * 8#1 *", OB3001, 8, 9);
    parse_bad(cc, "0 5 ? * 1-5L *", OB3001, 11, 12);
    parse_bad(cc, "0 5 ? * 6L,2 *", OB3001, 8, 10);
    parse_bad(cc, "0 5 ? * L,2 *", OB3001, 8, 9);

    /* L, W and # in fields that do not take them */
    d = parse_bad(cc, "0 5 2#1 * ? *", OB3001, 5, 6);
    assert_string_equal(d->msg, "'#' is only allowed in day-of-week");
    assert_string_equal(d->help, "move '2#1' to the day-of-week field and write '?' in day-of-month");
    d = parse_bad(cc, "0 5#1 ? * * *", OB3001, 3, 4);
    assert_string_equal(d->msg, "'#' is only allowed in day-of-week");
    d = parse_bad(cc, "0 5 ? * 2W *", OB3001, 9, 10);
    assert_string_equal(d->msg, "'W' is only allowed in day-of-month");
    d = parse_bad(cc, "0 5 ? W * *", OB3001, 6, 7);
    assert_string_equal(d->msg, "'W' is only allowed in day-of-month");
    d = parse_bad(cc, "0 L ? * * *", OB3001, 2, 3);
    assert_string_equal(d->msg, "'L' is only allowed in day-of-month and day-of-week");
    d = parse_bad(cc, "0 5 ? * * 2026L", OB3001, 14, 15);
    assert_string_equal(d->msg, "'L' is only allowed in day-of-month and day-of-week");
    d = parse_bad(cc, "0 5 ? * L6 *", OB3001, 8, 9);
    assert_string_equal(d->msg, "misplaced 'L' in day-of-week 'L6'");
    d = parse_bad(cc, "0 5 ? * 2L3 *", OB3001, 9, 10);
    assert_string_equal(d->msg, "misplaced 'L' in day-of-week '2L3'");
    d = parse_bad(cc, "0 5 ? JUL,LW * *", OB3001, 10, 12);
    assert_string_equal(d->msg, "unknown month name 'LW'");
}

static void test_more_than_hourly(void **state)
{
    struct obc *cc = *state;
    struct diag *d = parse_bad(cc, "* 5 ? * * *", OB3003, 0, 1);
    assert_string_equal(d->msg, "cron fires every minute (minutes '*'); AWS Backup backs up at most once an hour");
    assert_string_equal(d->help, "put one number in the minutes field, e.g. '0 5 ? * * *'");
    d = parse_bad(cc, "*/15 * ? * * *", OB3003, 0, 4);
    assert_string_equal(d->msg, "cron fires every 15 minutes (minutes '*/15'); AWS Backup backs up at most once an hour");
    d = parse_bad(cc, "10,40 * ? * * *", OB3003, 0, 5);
    assert_string_equal(d->msg, "cron fires every 30 minutes (minutes '10,40'); AWS Backup backs up at most once an hour");
    assert_string_equal(d->help, "put one number in the minutes field, e.g. '10 * ? * * *'");
    d = parse_bad(cc, "0,7,33 5 ? * * *", OB3003, 0, 6);
    assert_string_equal(d->msg, "cron fires 3 times an hour (minutes '0,7,33'); AWS Backup backs up at most once an hour");
    parse_bad(cc, "0-5 5 ? * * *", OB3003, 0, 3);
    /* one minute, but not written as one number */
    d = parse_bad(cc, "5-5 5 ? * * *", OB3001, 0, 3);
    assert_string_equal(d->msg, "the minutes field '5-5' must be one number");
    assert_string_equal(d->help, "write '5 5 ? * * *'");
    parse_bad(cc, "0/60 5 ? * * *", OB3001, 0, 4);
}

static void test_independent_field_errors(void **state)
{
    struct obc *cc = *state;
    struct cron c;
    assert_false(cron_parse(cc, "*/5 24 ? * * 1800", (struct loc){FILE_ID, 0, 0}, BASE, &c));
    assert_int_equal(cc->diag.list.len, 3);
    assert_int_equal(diag_at(cc, 0)->loc.start, BASE + 4);  /* hour 24 */
    assert_int_equal(diag_at(cc, 1)->loc.start, BASE + 13); /* year 1800 */
    assert_int_equal(diag_at(cc, 2)->code, OB3003);
    assert_int_equal(diag_at(cc, 2)->loc.start, BASE + 0);
}

/* ------------------------------------------------------------------ */
/* firing dates                                                         */

static void test_fires_last_day(void **state)
{
    struct obc *cc = *state;
    struct cron c = parse_ok(cc, "0 5 L * ? *");
    assert_true(cron_fires_on(&c, 2024, 2, 29));
    assert_false(cron_fires_on(&c, 2024, 2, 28));
    assert_true(cron_fires_on(&c, 2023, 2, 28));
    assert_true(cron_fires_on(&c, 2000, 2, 29));
    assert_true(cron_fires_on(&c, 2100, 2, 28)); /* not a leap year */
    assert_false(cron_fires_on(&c, 2100, 2, 29));
    assert_true(cron_fires_on(&c, 2024, 4, 30));
    assert_false(cron_fires_on(&c, 2024, 4, 31));
    assert_true(cron_fires_on(&c, 2024, 12, 31));
    assert_false(cron_fires_on(&c, 2024, 12, 30));
}

static void test_fires_weekday_forms(void **state)
{
    struct obc *cc = *state;
    struct cron c = parse_ok(cc, "0 5 15W * ? *");
    assert_true(cron_fires_on(&c, 2024, 6, 14));  /* 15th is a Saturday: Friday */
    assert_false(cron_fires_on(&c, 2024, 6, 15));
    assert_true(cron_fires_on(&c, 2024, 9, 16));  /* 15th is a Sunday: Monday */
    assert_false(cron_fires_on(&c, 2024, 9, 15));
    assert_true(cron_fires_on(&c, 2024, 5, 15));  /* a Wednesday */

    c = parse_ok(cc, "0 5 1W * ? *");
    assert_true(cron_fires_on(&c, 2024, 6, 3)); /* 1st is a Saturday: Monday the 3rd, same month */
    assert_false(cron_fires_on(&c, 2024, 5, 31));
    assert_false(cron_fires_on(&c, 2024, 6, 1));

    c = parse_ok(cc, "0 5 31W * ? *");
    assert_true(cron_fires_on(&c, 2024, 3, 29)); /* 31st is a Sunday: Friday the 29th */
    assert_false(cron_fires_on(&c, 2024, 4, 1));
    for (int d = 1; d <= 29; d++)
        assert_false(cron_fires_on(&c, 2024, 2, d)); /* February has no 31st */

    c = parse_ok(cc, "0 5 LW * ? *");
    assert_true(cron_fires_on(&c, 2024, 8, 30)); /* 31st is a Saturday */
    assert_false(cron_fires_on(&c, 2024, 8, 31));
    assert_true(cron_fires_on(&c, 2024, 3, 29)); /* 31st is a Sunday */
    assert_true(cron_fires_on(&c, 2024, 2, 29)); /* a Thursday */
    assert_true(cron_fires_on(&c, 2024, 5, 31)); /* a Friday */
}

static void test_fires_nth_and_last_weekday(void **state)
{
    struct obc *cc = *state;
    struct cron c = parse_ok(cc, "0 5 ? * 2#1 *");
    assert_true(cron_fires_on(&c, 2024, 1, 1));
    assert_false(cron_fires_on(&c, 2024, 1, 8));
    assert_true(cron_fires_on(&c, 2024, 9, 2));
    assert_false(cron_fires_on(&c, 2024, 9, 1));
    assert_false(cron_fires_on(&c, 2024, 9, 9));

    c = parse_ok(cc, "0 5 ? * MON#5 *");
    assert_true(cron_fires_on(&c, 2024, 9, 30));
    for (int d = 1; d <= 31; d++)
        assert_false(cron_fires_on(&c, 2024, 10, d)); /* October 2024 has four Mondays */

    c = parse_ok(cc, "0 5 ? * 6L *");
    assert_true(cron_fires_on(&c, 2024, 5, 31));
    assert_false(cron_fires_on(&c, 2024, 5, 24));
    assert_true(cron_fires_on(&c, 2024, 2, 23)); /* the 29th is a Thursday */
    assert_false(cron_fires_on(&c, 2024, 2, 16));

    c = parse_ok(cc, "0 5 ? * L *");
    assert_true(cron_fires_on(&c, 2024, 6, 1)); /* a Saturday */
    assert_false(cron_fires_on(&c, 2024, 6, 2));
}

static void test_fires_filters(void **state)
{
    struct obc *cc = *state;
    struct cron c = parse_ok(cc, "0 5 1 JAN,JUL ? 2025");
    assert_true(cron_fires_on(&c, 2025, 1, 1));
    assert_true(cron_fires_on(&c, 2025, 7, 1));
    assert_false(cron_fires_on(&c, 2025, 2, 1));
    assert_false(cron_fires_on(&c, 2024, 1, 1));
    assert_false(cron_fires_on(&c, 2025, 1, 2));

    c = parse_ok(cc, "0 5 ? * * *");
    assert_true(cron_fires_on(&c, 1970, 1, 1));
    assert_true(cron_fires_on(&c, 2199, 12, 31));
    assert_false(cron_fires_on(&c, 1969, 12, 31));
    assert_false(cron_fires_on(&c, 2200, 1, 1));
    assert_false(cron_fires_on(&c, 2023, 2, 29));
    assert_false(cron_fires_on(&c, 2024, 0, 1));
    assert_false(cron_fires_on(&c, 2024, 13, 1));
    assert_false(cron_fires_on(&c, 2024, 1, 0));
    assert_false(cron_fires_on(&c, 2024, 1, 32));

    c = parse_ok(cc, "0 5 1/10 * ? *");
    assert_true(cron_fires_on(&c, 2024, 1, 31));
    assert_true(cron_fires_on(&c, 2024, 1, 21));
    assert_false(cron_fires_on(&c, 2024, 1, 20));
}

/* Checks weekdays, L and d#n against a day-by-day walk from 1970-01-01,
 * a Thursday, to the end of 2199. */
static void test_fires_against_calendar_walk(void **state)
{
    struct obc *cc = *state;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    struct cron thu = parse_ok(cc, "0 5 ? * THU *");
    struct cron last = parse_ok(cc, "0 5 L * ? *");
    struct cron first_sun = parse_ok(cc, "0 5 ? * 1#1 *");
    int wd = 5; /* 1 = Sunday */
    long fired_thu = 0, days = 0;
    for (int y = 1970; y <= 2199; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int n = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= n; d++) {
                assert_int_equal(cron_fires_on(&thu, y, m, d), wd == 5);
                assert_int_equal(cron_fires_on(&last, y, m, d), d == n);
                assert_int_equal(cron_fires_on(&first_sun, y, m, d), wd == 1 && d <= 7);
                fired_thu += wd == 5;
                days++;
                wd = wd % 7 + 1;
            }
        }
    }
    assert_int_equal(days, 230 * 365 + 56); /* 56 leap years: 2100 is none */
    assert_true(fired_thu == days / 7 || fired_thu == days / 7 + 1);
}

static void test_firings_per_day(void **state)
{
    struct obc *cc = *state;
    struct cron c = parse_ok(cc, "50 5 ? * MON,THU *");
    assert_int_equal(cron_firings_per_day(&c), 1);
    c = parse_ok(cc, "0 0/4 ? * * *");
    assert_int_equal(cron_firings_per_day(&c), 6);
    c = parse_ok(cc, "0 0/5 ? * * *");
    assert_int_equal(cron_firings_per_day(&c), 5);
    c = parse_ok(cc, "0 9-17 ? * MON-FRI *");
    assert_int_equal(cron_firings_per_day(&c), 9);
}

/* ------------------------------------------------------------------ */
/* schedule phrases (schedule.c)                                        */

/* Parses "schedule = <src>" and lowers the value. */
static const char *lower(struct obc *cc, const char *src, struct cron *out)
{
    const char *text = src;
    size_t len = strlen(text);
    size_t errors = cc->diag.errors;
    load_text(cc, "t.ob", text, len);
    assert_int_equal(cc->diag.errors, errors); /* the front end accepts it */
    struct src_file *f = src_get(cc, (uint32_t)cc->files.len);
    assert_int_equal(f->items.len, 1);
    struct ast_item *it = VEC_GET(struct ast_item, f->items, 0);
    assert_int_equal(it->form, ITEM_ASSIGN);
    struct sema s = {.cc = cc, .a = &cc->arena};
    return sched_lower(&s, it->value, out);
}

static void lower_ok(struct obc *cc, const char *src, const char *want)
{
    struct cron c;
    const char *got = lower(cc, src, &c);
    if (!got || strcmp(got, want) != 0)
        print_error("%s: got %s, %s\n", src, got ? got : "NULL",
                    cc->diag.list.len ? diag_at(cc, cc->diag.list.len - 1)->msg : "-");
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(cc->diag.errors, 0);
}

/* The schedule in `src` fails with `code` on the text `at` (first occurrence). */
static struct diag *lower_bad(struct obc *cc, const char *src, enum diag_code code, const char *at)
{
    struct cron c;
    size_t before = cc->diag.list.len;
    const char *got = lower(cc, src, &c);
    assert_null(got);
    assert_int_equal(cc->diag.list.len, before + 1);
    struct diag *d = diag_at(cc, before);
    const char *pos = strstr(src, at);
    assert_non_null(pos);
    if (d->code != code || d->loc.start != (uint32_t)(pos - src) || d->loc.end != (uint32_t)(pos - src + strlen(at)))
        print_error("%s: %s [%u,%u) %s\n", src, diag_info(d->code)->id, d->loc.start, d->loc.end, d->msg);
    assert_int_equal(d->code, code);
    assert_int_equal(d->loc.start, pos - src);
    assert_int_equal(d->loc.end, pos - src + strlen(at));
    assert_non_null(d->help);
    return d;
}

static void test_sched_forms(void **state)
{
    struct obc *cc = *state;
    lower_ok(cc, "schedule = hourly", "cron(0 * ? * * *)");
    lower_ok(cc, "schedule = every 1h", "cron(0 * ? * * *)");
    lower_ok(cc, "schedule = every 4h", "cron(0 0/4 ? * * *)");
    lower_ok(cc, "schedule = every 120min", "cron(0 0/2 ? * * *)");
    lower_ok(cc, "schedule = every 24h", "cron(0 0 ? * * *)");
    lower_ok(cc, "schedule = daily at 05:50", "cron(50 5 ? * * *)");
    lower_ok(cc, "schedule = daily at 00:00", "cron(0 0 ? * * *)");
    lower_ok(cc, "schedule = weekly on mon, thu at 05:50", "cron(50 5 ? * MON,THU *)");
    lower_ok(cc, "schedule = weekly on sat, Sunday, tue at 23:05", "cron(5 23 ? * SUN,TUE,SAT *)");
    lower_ok(cc, "schedule = monthly on day 15 at 05:50", "cron(50 5 15 * ? *)");
    lower_ok(cc, "schedule = monthly on day 31 at 05:50", "cron(50 5 31 * ? *)");
    lower_ok(cc, "schedule = monthly on first mon at 05:50", "cron(50 5 ? * 2#1 *)");
    lower_ok(cc, "schedule = monthly on fourth sun at 05:50", "cron(50 5 ? * 1#4 *)");
    lower_ok(cc, "schedule = monthly on last fri at 05:50", "cron(50 5 ? * 6L *)");
    lower_ok(cc, "schedule = monthly on last day at 05:50", "cron(50 5 L * ? *)");
    lower_ok(cc, "schedule = cron(\"50 5 ? * * *\")", "cron(50 5 ? * * *)");
    lower_ok(cc, "schedule = cron(\"  0\\t5 ? * mon-fri * \")", "cron(0 5 ? * MON-FRI *)");

    struct cron c;
    assert_non_null(lower(cc, "schedule = monthly on second tue at 01:02", &c));
    assert_int_equal(c.dow_nth_day, 3);
    assert_int_equal(c.dow_nth, 2);
    assert_true(c.minutes == (uint64_t)1 << 2);
    assert_int_equal(c.hours, 1u << 1);
}

static void test_sched_uneven_interval(void **state)
{
    struct obc *cc = *state;
    struct cron c;
    const char *src = "schedule = every 5h";
    const char *got = lower(cc, src, &c);
    assert_non_null(got);
    assert_string_equal(got, "cron(0 0/5 ? * * *)");
    assert_int_equal(cc->diag.list.len, 1);
    struct diag *d = diag_at(cc, 0);
    assert_int_equal(d->code, OB3021);
    assert_int_equal(d->sev, SEV_WARNING);
    assert_string_equal(d->msg, "'every 5h' restarts at midnight, so the last interval of each day is 4h");
    assert_int_equal(d->loc.start, 17);
    assert_int_equal(d->loc.end, 19);
    assert_int_equal(cron_firings_per_day(&c), 5);
}

static void test_sched_cron_errors(void **state)
{
    struct obc *cc = *state;
    /* narrowed into the string */
    struct diag *d = lower_bad(cc, "schedule = cron(\"0 25 ? * * *\")", OB3001, "25");
    assert_string_equal(d->msg, "hour 25 is out of range (0-23)");
    lower_bad(cc, "schedule = cron(\"*/10 5 ? * * *\")", OB3003, "*/10");
    lower_bad(cc, "schedule = cron(\"0 5 * * *\")", OB3001, "0 5 * * *");
    /* escapes: offsets are unknown, the whole string */
    lower_bad(cc, "schedule = cron(\"0\\t25 ? * * *\")", OB3001, "\"0\\t25 ? * * *\"");
    d = lower_bad(cc, "schedule = cron(\"cron(0 5 ? * * *)\")", OB3001, "\"cron(0 5 ? * * *)\"");
    assert_string_equal(d->help, "write cron(\"0 5 ? * * *\")");
    lower_bad(cc, "schedule = cron(5)", OB3001, "5");
    lower_bad(cc, "schedule = cron()", OB3001, "cron()");
    d = lower_bad(cc, "schedule = rate(1)", OB3001, "rate(1)");
    assert_string_equal(d->msg, "rate() expressions are not accepted by AWS Backup");
    d = lower_bad(cc, "schedule = \"cron(0 5 ? * * *)\"", OB2003, "\"cron(0 5 ? * * *)\"");
    assert_string_equal(d->help, "write cron(\"0 5 ? * * *\")");
    lower_bad(cc, "schedule = \"rate(1 hour)\"", OB3001, "\"rate(1 hour)\"");
    d = lower_bad(cc, "schedule = \"daily at 05:00\"", OB2003, "\"daily at 05:00\"");
    assert_string_equal(d->help, "write the schedule without quotes: daily at 05:00");
}

static void test_sched_phrase_errors(void **state)
{
    struct obc *cc = *state;
    struct diag *d = lower_bad(cc, "schedule = dayly at 05:00", OB3001, "dayly");
    assert_string_equal(d->help, "did you mean 'daily'?");
    lower_bad(cc, "schedule = weekley", OB3001, "weekley");
    lower_bad(cc, "schedule = crom(\"0 5 ? * * *\")", OB3001, "crom");
    d = lower_bad(cc, "schedule = backup_vault", OB2003, "backup_vault");
    assert_string_equal(d->msg, "expected a schedule, found 'backup_vault'");
    lower_bad(cc, "schedule = 42", OB2003, "42");
    d = lower_bad(cc, "schedule = 4h", OB2003, "4h");
    assert_string_equal(d->help, "for a backup every 4h write 'every 4h'");
    lower_bad(cc, "schedule = daily", OB3001, "daily");

    d = lower_bad(cc, "schedule = daily at 5", OB3001, "5");
    assert_string_equal(d->help, "write 05:00");
    d = lower_bad(cc, "schedule = daily 05:50", OB3001, "05:50");
    assert_string_equal(d->msg, "missing 'at' before the time of day");
    assert_string_equal(d->help, "write 'daily at 05:50'");
    d = lower_bad(cc, "schedule = daily at", OB3001, "at");
    assert_string_equal(d->msg, "missing time of day after 'at'");
    lower_bad(cc, "schedule = daily on 05:50", OB3001, "on");
    lower_bad(cc, "schedule = daily at 05:50 utc", OB3001, "utc");
    d = lower_bad(cc, "schedule = daily at 05:00, 17:00", OB3001, "17:00");
    assert_string_equal(d->help, "for several times a day with the same minute, write cron(\"0 5,17 ? * * *\") "
                                 "(with the days you need)");

    d = lower_bad(cc, "schedule = weekly on mnday at 05:50", OB3001, "mnday");
    assert_string_equal(d->msg, "unknown day 'mnday'");
    assert_string_equal(d->help, "did you mean 'mon'? days are mon, tue, wed, thu, fri, sat and sun");
    d = lower_bad(cc, "schedule = weekly on mon, thurs at 05:50", OB3001, "thurs");
    assert_string_equal(d->help, "did you mean 'thu'? days are mon, tue, wed, thu, fri, sat and sun");
    d = lower_bad(cc, "schedule = monthly on last Tues at 05:50", OB3001, "Tues");
    assert_string_equal(d->help, "did you mean 'tue'? days are mon, tue, wed, thu, fri, sat and sun");
    d = lower_bad(cc, "schedule = weekly on mon, tue, Monday at 05:50", OB3001, "Monday");
    assert_string_equal(d->msg, "'mon' is given twice");
    assert_non_null(d->notes);
    assert_int_equal(d->notes->loc.start, strlen("schedule = weekly on "));
    lower_bad(cc, "schedule = weekly mon at 05:50", OB3001, "mon");
    d = lower_bad(cc, "schedule = weekly at 05:50 on mon", OB3001, "at");
    assert_string_equal(d->msg, "the days come before the time of day");
    assert_string_equal(d->help, "write 'weekly on mon at 05:50'");
    d = lower_bad(cc, "schedule = monthly at 05:50 on last fri", OB3001, "at");
    assert_string_equal(d->help, "write 'monthly on last fri at 05:50'");
    d = lower_bad(cc, "schedule = weekly on weekdays at 05:50", OB3001, "weekdays");
    assert_string_equal(d->help, "list the days one by one: mon, tue, wed, thu, fri");
    d = lower_bad(cc, "schedule = weekly on sat-sun at 05:50", OB3001, "sat-sun");
    assert_string_equal(d->help, "ranges of days are not supported; list the days one by one: sat, sun");
    d = lower_bad(cc, "schedule = weekly on fri-Monday at 05:50", OB3001, "fri-Monday");
    assert_string_equal(d->help, "ranges of days are not supported; list the days one by one: fri, sat, sun, mon");
    d = lower_bad(cc, "schedule = monthly on last weekday at 22:15", OB3001, "weekday");
    assert_string_equal(d->help, "for the last weekday (Monday to Friday) of the month write cron(\"15 22 LW * ? *\")");
    d = lower_bad(cc, "schedule = monthly on first weekday", OB3001, "weekday");
    assert_string_equal(d->help, "for the first weekday (Monday to Friday) of the month write cron(\"50 5 1W * ? *\")");
    d = lower_bad(cc, "schedule = monthly on second weekend at 05:50", OB3001, "weekend");
    assert_string_equal(d->help, "a monthly schedule names one day: 'monthly on second mon at 05:50' (days are mon, "
                                 "tue, wed, thu, fri, sat and sun)");
    d = lower_bad(cc, "schedule = every 0h", OB3001, "0h");
    assert_string_equal(d->msg, "the interval of 'every 0h' is zero");
    lower_bad(cc, "schedule = monthly on the first mon at 05:50", OB3001, "the");
    d = lower_bad(cc, "schedule = weekly on mon, thu", OB3001, "thu");
    assert_string_equal(d->help, "add 'at HH:MM' (UTC): 'weekly on mon, thu at 05:00'");
    lower_bad(cc, "schedule = weekly on at 05:50", OB3001, "on");
    lower_bad(cc, "schedule = weekly on mon-fri at 05:50", OB3001, "mon-fri");

    lower_bad(cc, "schedule = monthly on day 32 at 05:50", OB3001, "32");
    lower_bad(cc, "schedule = monthly on day 0 at 05:50", OB3001, "0");
    d = lower_bad(cc, "schedule = monthly on 15 at 05:50", OB3001, "15");
    assert_string_equal(d->help, "write 'monthly on day 15 at 05:50'");
    d = lower_bad(cc, "schedule = monthly on frist mon at 05:50", OB3001, "frist");
    assert_string_equal(d->help, "did you mean 'first'?");
    lower_bad(cc, "schedule = monthly on last at 05:50", OB3001, "at");
    lower_bad(cc, "schedule = monthly on first fry at 05:50", OB3001, "fry");
    lower_bad(cc, "schedule = monthly on fifth mon at 05:50", OB3001, "fifth");
    lower_bad(cc, "schedule = monthly on day 1", OB3001, "1");

    lower_bad(cc, "schedule = every 30min", OB3003, "30min");
    lower_bad(cc, "schedule = every 90min", OB3001, "90min");
    lower_bad(cc, "schedule = every 36h", OB3001, "36h");
    d = lower_bad(cc, "schedule = every 1d", OB3001, "1d");
    assert_string_equal(d->msg, "'every 1d' is not an interval of hours");
    lower_bad(cc, "schedule = every 4 hours", OB3001, "4");
    d = lower_bad(cc, "schedule = every 4h at 01:30", OB3001, "at");
    assert_string_equal(d->help, "'every 4h' starts at midnight UTC; to start at 01:30 write cron(\"30 1/4 ? * * *\")");
    lower_bad(cc, "schedule = hourly at 00:30", OB3001, "at");
}

/* cron_month_days (a month at once) agrees with cron_fires_on (a day at
 * a time) on every month of 1970..2199, for every day form. */
static void test_month_days_against_fires_on(void **state)
{
    struct obc *cc = *state;
    static const char *const exprs[] = {
        "0 5 * * ? *",    "0 5 ? * * *",      "0 5 1,15,31 * ? *", "0 5 L * ? *",       "0 5 LW * ? *",
        "0 5 1W * ? *",   "0 5 15W * ? *",    "0 5 31W * ? *",     "0 5 ? * MON *",     "0 5 ? * SAT,SUN *",
        "0 5 ? * 2#1 *",  "0 5 ? * MON#5 *",  "0 5 ? * 6L *",      "0 5 ? * 1L *",      "0 5 29 2 ? *",
        "0 5 ? FEB SUN *", "0 5 1 * ? 2030",  "0 5 ? * TUE 2020-2021", "0 5 ? * 2-6 *",  "0 5 */3 * ? *",
    };
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        struct cron c = parse_ok(cc, exprs[i]);
        for (int y = 1970; y <= 2199; y++)
            for (int m = 1; m <= 12; m++) {
                uint32_t want = 0;
                for (int d = 1; d <= cron_days_in_month(y, m); d++)
                    if (cron_fires_on(&c, y, m, d))
                        want |= (uint32_t)1 << (d - 1);
                if (cron_month_days(&c, y, m) != want)
                    print_error("'%s' %04d-%02d: %08x, expected %08x\n", exprs[i], y, m,
                                (unsigned)cron_month_days(&c, y, m), (unsigned)want);
                assert_int_equal(cron_month_days(&c, y, m), want);
            }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_basic_daily),
        T(test_lists_ranges_steps),
        T(test_names_and_normalization),
        T(test_special_day_forms),
        T(test_raw_base_zero_uses_loc),
        T(test_field_count),
        T(test_out_of_range),
        T(test_names_errors),
        T(test_syntax_errors),
        T(test_question_mark_errors),
        T(test_special_form_errors),
        T(test_more_than_hourly),
        T(test_independent_field_errors),
        T(test_fires_last_day),
        T(test_fires_weekday_forms),
        T(test_fires_nth_and_last_weekday),
        T(test_fires_filters),
        T(test_fires_against_calendar_walk),
        T(test_month_days_against_fires_on),
        T(test_firings_per_day),
        T(test_sched_forms),
        T(test_sched_uneven_interval),
        T(test_sched_cron_errors),
        T(test_sched_phrase_errors),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
