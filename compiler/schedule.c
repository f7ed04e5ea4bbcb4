/*
 * schedule.c - schedule values to exactly one AWS cron expression.
 *
 * Owns: the schedule phrases of the language and what each one means:
 *   hourly                                   cron(0 * ? * * *)
 *   every Nh        (N = 1..24)              cron(0 0/N ? * * *)
 *   daily at HH:MM                           cron(M H ? * * *)
 *   weekly on mon[, thu] at HH:MM            cron(M H ? * MON,THU *)
 *   monthly on day N at HH:MM                cron(M H N * ? *)
 *   monthly on first..fourth|last mon at HH:MM   cron(M H ? * 2#1 *) / 2L
 *   monthly on last day at HH:MM             cron(M H L * ? *)
 *   cron("M H DOM MON DOW Y")                checked and normalized
 * Every generated expression goes through cron_parse, so there is one
 * validator for all forms. Schedules are UTC.
 *
 * Malformed phrases are OB3001 at the offending word, values that are no
 * schedule at all OB2003. Does not look at the rule around the schedule
 * (time zones, windows and overlaps are checked elsewhere).
 */
#include "sema.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define FORMS "hourly, every 4h, daily at 05:50, weekly on mon, thu at 05:50, monthly on day 1 at 05:50, " \
              "monthly on first mon at 05:50, monthly on last day at 05:50 or cron(\"50 5 ? * * *\")"

#define DAYS "days are mon, tue, wed, thu, fri, sat and sun"

static const char *const heads[] = {"hourly", "every", "daily", "weekly", "monthly"};
static const char *const day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
static const char *const day_long[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
static const char *const ordinals[] = {"first", "second", "third", "fourth"};
static const char *const monthly_words[] = {"day", "first", "second", "third", "fourth", "last"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A phrase being read word by word. */
struct reader {
    struct sema *s;
    const struct ast_value *v; /* the whole phrase */
    size_t next;               /* index of the next word in v->items */
    struct loc last;           /* the last word read (or the head) */
};

/* ------------------------------------------------------------------ */
/* helpers                                                              */

/* The word k places after the next one, or NULL. */
static const struct ast_value *peek_at(const struct reader *r, size_t k)
{
    size_t i = r->next + k;
    return i < r->v->items.len ? VEC_GET(const struct ast_value, r->v->items, i) : NULL;
}

static const struct ast_value *peek(const struct reader *r)
{
    return peek_at(r, 0);
}

static const struct ast_value *take(struct reader *r)
{
    const struct ast_value *w = peek(r);
    if (w) {
        r->next++;
        r->last = w->loc;
    }
    return w;
}

static bool is_word(const struct ast_value *w, const char *text)
{
    return w && w->kind == AST_IDENT && strcmp(w->text, text) == 0;
}

static struct diag *bad(struct reader *r, struct loc loc, const char *fmt, ...) OBC_PRINTF(3, 4);
static struct diag *bad(struct reader *r, struct loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = arena_vprintf(r->s->a, fmt, ap);
    va_end(ap);
    return diag_emit(r->s->cc, OB3001, loc, "%s", msg);
}

/* The source text of the phrase up to the last word read ("weekly on mon");
 * r->last is the head or a word of the phrase, so it lies inside it. */
static const char *so_far(const struct reader *r)
{
    struct src_file *f = src_get(r->s->cc, r->v->loc.file);
    return arena_strndup(r->s->a, f->text + r->v->loc.start, r->last.end - r->v->loc.start);
}

static const char *describe(struct reader *r, const struct ast_value *w)
{
    return ast_describe(r->s->a, w);
}

/* Runs the generated fields through the one validator, which they
 * always pass: the phrases check every number before they get here. */
static const char *finish(struct sema *s, const struct ast_value *v, const char *fields, struct cron *out)
{
    cron_parse(s->cc, fields, v->loc, 0, out);
    return arena_printf(s->a, "cron(%s)", out->text);
}

/* 0..6 (Sunday first) for a day name, short or long, any case; -1 if none. */
static int day_index(const char *word)
{
    for (int i = 0; i < 7; i++)
        if (strcasecmp(word, day_names[i]) == 0 || strcasecmp(word, day_long[i]) == 0)
            return i;
    return -1;
}

/* 0..6 for a day name cut short after at least three letters ("thurs",
 * "tues"); -1 if none. */
static int day_abbreviated(const char *word)
{
    size_t n = strlen(word);
    for (int i = 0; i < 7; i++)
        if (n >= 3 && n < strlen(day_long[i]) && strncasecmp(word, day_long[i], n) == 0)
            return i;
    return -1;
}

/* "sat, sun" for the days of a range word such as "sat-sun" (walking
 * round the end of the week), or NULL if it is not one. */
static const char *range_days(struct reader *r, const char *word)
{
    const char *dash = strchr(word, '-');
    if (!dash || strchr(dash + 1, '-'))
        return NULL;
    int from = day_index(arena_strndup(r->s->a, word, (size_t)(dash - word)));
    int to = day_index(dash + 1);
    if (from < 0 || to < 0)
        return NULL;
    struct strbuf b = {0};
    for (int i = from;; i = (i + 1) % 7) {
        sb_printf(r->s->a, &b, "%s%s", b.len ? ", " : "", day_names[i]);
        if (i == to)
            break;
    }
    return sb_str(r->s->a, &b);
}

/* The time of day written later in the phrase as "M H" cron fields,
 * or an example time. */
static const char *time_ahead(const struct reader *r)
{
    for (size_t i = r->next; i < r->v->items.len; i++) {
        const struct ast_value *w = VEC_GET(const struct ast_value, r->v->items, i);
        if (w->kind == AST_TIME)
            return arena_printf(r->s->a, "%lld %lld", (long long)(w->num % 60), (long long)(w->num / 60));
    }
    return "50 5";
}

/* Several days where a monthly phrase takes one ("last weekday"). */
static void help_one_monthly_day(struct reader *r, struct diag *d, const char *after, bool weekday)
{
    if (weekday && strcmp(after, "last") == 0)
        diag_help(r->s->cc, d, "for the last weekday (Monday to Friday) of the month write cron(\"%s LW * ? *\")",
                  time_ahead(r));
    else if (weekday && strcmp(after, "first") == 0)
        diag_help(r->s->cc, d, "for the first weekday (Monday to Friday) of the month write cron(\"%s 1W * ? *\")",
                  time_ahead(r));
    else
        diag_help(r->s->cc, d, "a monthly schedule names one day: 'monthly on %s mon at 05:50' (" DAYS ")", after);
}

/* Reports a word that should be a day name; `after` is the word before
 * the days ("on" in weekly phrases, "first".."last" in monthly ones). */
static void report_not_a_day(struct reader *r, const struct ast_value *w, const char *after)
{
    if (w->kind != AST_IDENT) {
        struct diag *d = bad(r, w->loc, "expected a day of the week, found %s", describe(r, w));
        diag_help(r->s->cc, d, DAYS);
        return;
    }
    bool weekly = strcmp(after, "on") == 0;
    const char *range = range_days(r, w->text);
    bool weekday = strncmp(w->text, "weekday", 7) == 0;
    bool weekend = strncmp(w->text, "weekend", 7) == 0;
    if (range || weekday || weekend) {
        struct diag *d = bad(r, w->loc, "unknown day '%s'", w->text);
        if (!weekly)
            help_one_monthly_day(r, d, after, weekday);
        else if (range)
            diag_help(r->s->cc, d, "ranges of days are not supported; list the days one by one: %s", range);
        else
            diag_help(r->s->cc, d, "list the days one by one: %s", weekday ? "mon, tue, wed, thu, fri" : "sat, sun");
        return;
    }
    int day = day_abbreviated(w->text);
    if (day < 0) {
        const char *all[14];
        for (int i = 0; i < 7; i++) {
            all[i] = day_names[i];
            all[7 + i] = day_long[i];
        }
        const char *guess = suggest_name(w->text, all, COUNT(all));
        day = guess ? day_index(guess) : -1;
    }
    struct diag *d = bad(r, w->loc, "unknown day '%s'", w->text);
    if (day >= 0)
        diag_help(r->s->cc, d, "did you mean '%s'? " DAYS, day_names[day]);
    else
        diag_help(r->s->cc, d, DAYS);
}

/* Reads one day name; returns 0..6 or -1 after reporting. */
static int read_day(struct reader *r, const char *after)
{
    const struct ast_value *w = take(r);
    if (!w) {
        struct diag *d = bad(r, r->last, "missing day of the week after '%s'", after);
        diag_help(r->s->cc, d, "write '%s mon' (" DAYS ")", so_far(r));
        return -1;
    }
    int day = w->kind == AST_IDENT ? day_index(w->text) : -1;
    if (day < 0)
        report_not_a_day(r, w, after);
    return day;
}

/* An hour written as a number or duration where HH:MM belongs: 5, 5h. */
static void report_not_a_time(struct reader *r, const struct ast_value *w)
{
    struct diag *d = bad(r, w->loc, "expected a time of day (HH:MM) after 'at', found %s", describe(r, w));
    bool hour = (w->kind == AST_INT || (w->kind == AST_DURATION && w->unit == DUR_H)) && w->num >= 0 && w->num <= 23;
    if (hour)
        diag_help(r->s->cc, d, "write %02lld:00", (long long)w->num);
    else
        diag_help(r->s->cc, d, "write the time as HH:MM on the 24-hour clock (UTC), e.g. 05:50");
}

/* Words after the time. */
static void report_trailing(struct reader *r, const struct ast_value *w, int minutes)
{
    if (w->kind == AST_TIME) {
        struct diag *d = bad(r, w->loc, "a schedule has one time of day; found a second one, %s", describe(r, w));
        if (w->num % 60 == minutes % 60)
            diag_help(r->s->cc, d, "for several times a day with the same minute, write cron(\"%d %d,%lld ? * * *\") "
                                   "(with the days you need)", minutes % 60, minutes / 60, (long long)(w->num / 60));
        else
            diag_help(r->s->cc, d, "use one rule per time of day");
        return;
    }
    struct diag *d = bad(r, w->loc, "unexpected %s after the time of day", describe(r, w));
    diag_help(r->s->cc, d, "the time ends the schedule: '%s'", so_far(r));
}

/* Reads "at HH:MM" and the end of the phrase. Returns minutes after
 * midnight, or -1 after reporting. */
static int read_at_time(struct reader *r)
{
    const struct ast_value *w = peek(r);
    if (!w) {
        struct diag *d = bad(r, r->last, "missing time of day after '%s'", so_far(r));
        diag_help(r->s->cc, d, "add 'at HH:MM' (UTC): '%s at 05:00'", so_far(r));
        return -1;
    }
    if (w->kind == AST_TIME) {
        struct diag *d = bad(r, w->loc, "missing 'at' before the time of day");
        diag_help(r->s->cc, d, "write '%s at %s'", so_far(r), w->text);
        return -1;
    }
    if (!is_word(w, "at")) {
        struct diag *d = bad(r, w->loc, "expected 'at HH:MM', found %s", describe(r, w));
        if (w->kind == AST_IDENT && suggest_name(w->text, (const char *const[]){"at"}, 1))
            diag_help(r->s->cc, d, "did you mean 'at'?");
        else
            diag_help(r->s->cc, d, "write '%s at 05:00'", so_far(r));
        return -1;
    }
    take(r);
    const struct ast_value *t = take(r);
    if (!t) {
        struct diag *d = bad(r, r->last, "missing time of day after 'at'");
        diag_help(r->s->cc, d, "write the time as HH:MM on the 24-hour clock (UTC): 'at 05:00'");
        return -1;
    }
    if (t->kind != AST_TIME) {
        report_not_a_time(r, t);
        return -1;
    }
    const struct ast_value *extra = peek(r);
    if (extra) {
        report_trailing(r, extra, (int)t->num);
        return -1;
    }
    return (int)t->num;
}

/* "weekly at 05:50 on mon": the phrase in the right order, or NULL. */
static const char *reordered(const struct reader *r, size_t on)
{
    struct src_file *f = src_get(r->s->cc, r->v->loc.file);
    const struct ast_value *time = VEC_GET(const struct ast_value, r->v->items, 1);
    if (on != 2 || time->kind != AST_TIME)
        return NULL;
    uint32_t from = VEC_GET(const struct ast_value, r->v->items, on)->loc.start;
    return arena_printf(r->s->a, "%s %.*s at %s", r->v->text, (int)(r->v->loc.end - from), f->text + from, time->text);
}

/* Reads "on" after weekly/monthly; `example` shows the whole form. */
static bool read_on(struct reader *r, const char *example)
{
    const struct ast_value *w = peek(r);
    if (is_word(w, "on")) {
        take(r);
        return true;
    }
    if (is_word(w, "at")) {
        for (size_t i = r->next; i < r->v->items.len; i++)
            if (is_word(VEC_GET(const struct ast_value, r->v->items, i), "on")) {
                struct diag *d = bad(r, w->loc, "the days come before the time of day");
                const char *fixed = reordered(r, i);
                diag_help(r->s->cc, d, "write '%s'", fixed ? fixed : example);
                return false;
            }
    }
    struct diag *d = w ? bad(r, w->loc, "expected 'on' after '%s', found %s", r->v->text, describe(r, w))
                       : bad(r, r->last, "missing 'on' after '%s'", r->v->text);
    diag_help(r->s->cc, d, "write '%s'", example);
    return false;
}

/* ------------------------------------------------------------------ */
/* the phrases                                                          */

/* 'hourly' alone is an identifier (lower_ident): as a phrase it always
 * has words after it. */
static const char *lower_hourly(struct reader *r, struct cron *out)
{
    (void)out;
    const struct ast_value *w = peek(r);
    struct diag *d = bad(r, w->loc, "'hourly' takes no further words");
    const struct ast_value *t = peek_at(r, 1);
    if (is_word(w, "at") && t && t->kind == AST_TIME)
        diag_help(r->s->cc, d, "'hourly' starts at minute 0; for minute %lld write cron(\"%lld * ? * * *\")",
                  (long long)(t->num % 60), (long long)(t->num % 60));
    else
        diag_help(r->s->cc, d, "write 'hourly' alone; it backs up at minute 0 of every hour");
    return NULL;
}

/* The interval of every Nh in minutes, or -1 after reporting. A phrase
 * has a word after its head ('every' alone is an identifier). */
static int64_t read_interval(struct reader *r)
{
    const struct ast_value *w = take(r);
    if (w->kind == AST_INT) {
        const struct ast_value *unit = peek(r);
        struct diag *d = bad(r, w->loc, "interval %lld has no unit", (long long)w->num);
        if (unit && unit->kind == AST_IDENT)
            diag_help(r->s->cc, d, "write the interval as one word: 'every %lldh'", (long long)w->num);
        else
            diag_help(r->s->cc, d, "add the unit: 'every %lldh'", (long long)w->num);
        return -1;
    }
    if (is_word(w, "hour")) {
        struct diag *d = bad(r, w->loc, "expected an interval after 'every', found 'hour'");
        diag_help(r->s->cc, d, "write 'hourly' or 'every 1h'");
        return -1;
    }
    if (is_word(w, "day") || is_word(w, "days") || is_word(w, "week") || is_word(w, "month")) {
        /* "every day at 5": the phrase for once a day (week, month) */
        const struct ast_value *at = peek(r), *hour = peek_at(r, 1);
        int h = at && is_word(at, "at") && hour && hour->kind == AST_INT && hour->num >= 0 && hour->num < 24
                    ? (int)hour->num : 5;
        struct diag *d = bad(r, w->loc, "expected an interval of hours after 'every', found %s", describe(r, w));
        if (is_word(w, "week"))
            diag_help(r->s->cc, d, "write 'weekly on mon at %02d:00' (24-hour time, UTC)", h);
        else if (is_word(w, "month"))
            diag_help(r->s->cc, d, "write 'monthly on day 1 at %02d:00' (24-hour time, UTC)", h);
        else
            diag_help(r->s->cc, d, "write 'daily at %02d:00' (24-hour time, UTC)", h);
        return -1;
    }
    if (w->kind != AST_DURATION) {
        struct diag *d = bad(r, w->loc, "expected an interval after 'every', found %s", describe(r, w));
        diag_help(r->s->cc, d, "write 'every 4h' (a whole number of hours that divides 24)");
        return -1;
    }
    if (w->unit == DUR_D || w->unit == DUR_W || w->unit == DUR_Y) {
        struct diag *d = bad(r, w->loc, "'every %s' is not an interval of hours", w->text);
        diag_help(r->s->cc, d, "'every' takes hours up to 24h; for longer intervals write 'daily at 05:00', "
                               "'weekly on mon at 05:00' or 'monthly on day 1 at 05:00'");
        return -1;
    }
    return w->unit == DUR_H ? w->num * 60 : w->num;
}

static const char *lower_every(struct reader *r, struct cron *out)
{
    int64_t minutes = read_interval(r);
    if (minutes < 0)
        return NULL;
    const struct ast_value *w = VEC_GET(const struct ast_value, r->v->items, 0);
    if (minutes == 0) {
        struct diag *d = bad(r, w->loc, "the interval of 'every %s' is zero", w->text);
        diag_help(r->s->cc, d, "write 'hourly' or 'every Nh' with N from 1 to 24");
        return NULL;
    }
    if (minutes < 60) {
        struct diag *d = diag_emit(r->s->cc, OB3003, w->loc,
                                   "'every %s' fires more than once an hour; AWS Backup backs up at most once an hour",
                                   w->text);
        diag_help(r->s->cc, d, "write 'hourly' or 'every Nh' with N from 1 to 24");
        return NULL;
    }
    if (minutes % 60) {
        struct diag *d = bad(r, w->loc, "'every %s' is not a whole number of hours", w->text);
        diag_help(r->s->cc, d, "AWS cron repeats in whole hours: write 'every %lldh' or 'every %lldh'",
                  (long long)(minutes / 60), (long long)(minutes / 60 + 1));
        return NULL;
    }
    int64_t hours = minutes / 60;
    if (hours > 24) {
        struct diag *d = bad(r, w->loc, "'every %s' is longer than a day", w->text);
        diag_help(r->s->cc, d, "'every' takes hours up to 24h; AWS cron cannot repeat every %lldh; "
                               "write 'daily at 05:00' or a cron(\"...\") with the days you need", (long long)hours);
        return NULL;
    }
    const struct ast_value *extra = peek(r);
    if (extra) {
        struct diag *d = bad(r, extra->loc, "unexpected %s after 'every %s'", describe(r, extra), w->text);
        const struct ast_value *t = peek_at(r, 1);
        if (is_word(extra, "at") && t && t->kind == AST_TIME && hours < 24)
            diag_help(r->s->cc, d, "'every %lldh' starts at midnight UTC; to start at %s write cron(\"%lld %lld/%lld ? * * *\")",
                      (long long)hours, t->text, (long long)(t->num % 60), (long long)(t->num / 60 % hours), (long long)hours);
        else if (is_word(extra, "at") && t && t->kind == AST_TIME)
            diag_help(r->s->cc, d, "write 'daily at %s'", t->text);
        else
            diag_help(r->s->cc, d, "'every %s' stands alone", w->text);
        return NULL;
    }
    if (hours == 1)
        return finish(r->s, r->v, "0 * ? * * *", out);
    if (hours == 24)
        return finish(r->s, r->v, "0 0 ? * * *", out);
    if (24 % hours) {
        struct diag *d = diag_emit(r->s->cc, OB3021, w->loc,
                                   "'every %lldh' restarts at midnight, so the last interval of each day is %lldh",
                                   (long long)hours, (long long)(24 % hours));
        diag_help(r->s->cc, d, "use a divisor of 24 (1, 2, 3, 4, 6, 8, 12) or a cron(\"...\") with the hours you want");
    }
    return finish(r->s, r->v, arena_printf(r->s->a, "0 0/%lld ? * * *", (long long)hours), out);
}

static const char *lower_daily(struct reader *r, struct cron *out)
{
    int t = read_at_time(r);
    if (t < 0)
        return NULL;
    return finish(r->s, r->v, arena_printf(r->s->a, "%d %d ? * * *", t % 60, t / 60), out);
}

static const char *lower_weekly(struct reader *r, struct cron *out)
{
    if (!read_on(r, "weekly on mon, thu at 05:50"))
        return NULL;
    const struct ast_value *seen[7] = {0};
    size_t ndays = 0;
    for (const struct ast_value *w; (w = peek(r)) && !is_word(w, "at") && w->kind != AST_TIME;) {
        int day = read_day(r, "on");
        if (day < 0)
            return NULL;
        if (seen[day]) {
            struct diag *d = bad(r, w->loc, "'%s' is given twice", day_names[day]);
            diag_note(r->s->cc, d, seen[day]->loc, "first given here");
            diag_help(r->s->cc, d, "remove one of them");
            return NULL;
        }
        seen[day] = w;
        ndays++;
    }
    if (ndays == 0) {
        struct diag *d = bad(r, r->last, "missing days after 'on'");
        diag_help(r->s->cc, d, "name the days: 'weekly on mon, thu at 05:50' (" DAYS ")");
        return NULL;
    }
    int t = read_at_time(r);
    if (t < 0)
        return NULL;
    struct strbuf days = {0};
    for (int i = 0; i < 7; i++)
        if (seen[i]) {
            sb_puts(r->s->a, &days, days.len ? "," : "");
            for (const char *c = day_names[i]; *c; c++)
                sb_printf(r->s->a, &days, "%c", toupper((unsigned char)*c));
        }
    return finish(r->s, r->v, arena_printf(r->s->a, "%d %d ? * %s *", t % 60, t / 60, sb_str(r->s->a, &days)), out);
}

/* "day N" after "on": the day-of-month field, or NULL after reporting. */
static const char *read_day_of_month(struct reader *r)
{
    const struct ast_value *n = take(r);
    if (!n) {
        struct diag *d = bad(r, r->last, "missing day number after 'day'");
        diag_help(r->s->cc, d, "write 'monthly on day 1 at 05:50' (days 1 to 31) or 'monthly on last day at 05:50'");
        return NULL;
    }
    if (n->kind != AST_INT) {
        struct diag *d = bad(r, n->loc, "expected a day number after 'day', found %s", describe(r, n));
        diag_help(r->s->cc, d, "write 'monthly on day 1 at 05:50' (days 1 to 31) or 'monthly on last day at 05:50'");
        return NULL;
    }
    if (n->num < 1 || n->num > 31) {
        struct diag *d = bad(r, n->loc, "day %lld does not exist; days of the month go from 1 to 31", (long long)n->num);
        diag_help(r->s->cc, d, "for the end of the month write 'monthly on last day at 05:50'");
        return NULL;
    }
    return arena_printf(r->s->a, "%lld", (long long)n->num);
}

/* What follows "on" in a monthly phrase, as "DOM DOW" fields, or NULL. */
static const char *read_monthly_day(struct reader *r)
{
    const struct ast_value *w = take(r);
    if (!w) {
        struct diag *d = bad(r, r->last, "missing day after 'on'");
        diag_help(r->s->cc, d, "write 'monthly on day 1 at 05:50', 'monthly on first mon at 05:50' or "
                               "'monthly on last day at 05:50'");
        return NULL;
    }
    if (w->kind == AST_INT) {
        struct diag *d = bad(r, w->loc, "missing 'day' before %lld", (long long)w->num);
        diag_help(r->s->cc, d, "write 'monthly on day %lld at 05:50'", (long long)w->num);
        return NULL;
    }
    if (is_word(w, "day")) {
        const char *dom = read_day_of_month(r);
        return dom ? arena_printf(r->s->a, "%s ?", dom) : NULL;
    }
    if (is_word(w, "last")) {
        if (is_word(peek(r), "day")) {
            take(r);
            return "L ?";
        }
        int day = read_day(r, "last");
        return day < 0 ? NULL : arena_printf(r->s->a, "? %dL", day + 1);
    }
    for (size_t i = 0; i < COUNT(ordinals); i++)
        if (is_word(w, ordinals[i])) {
            int day = read_day(r, ordinals[i]);
            return day < 0 ? NULL : arena_printf(r->s->a, "? %d#%zu", day + 1, i + 1);
        }
    if (is_word(w, "the")) {
        struct diag *d = bad(r, w->loc, "unexpected 'the'");
        diag_help(r->s->cc, d, "leave it out: 'monthly on first mon at 05:50', 'monthly on last day at 05:50'");
        return NULL;
    }
    if (is_word(w, "fifth")) {
        struct diag *d = bad(r, w->loc, "'fifth' is not supported: most months have no fifth week");
        diag_help(r->s->cc, d, "write 'last' for the last one of the month");
        return NULL;
    }
    struct diag *d = bad(r, w->loc, "expected 'day N', 'first'..'fourth' or 'last' after 'on', found %s",
                         describe(r, w));
    const char *guess = w->kind == AST_IDENT ? suggest_name(w->text, monthly_words, COUNT(monthly_words)) : NULL;
    if (guess)
        diag_help(r->s->cc, d, "did you mean '%s'?", guess);
    else if (w->kind == AST_IDENT && day_index(w->text) >= 0)
        diag_help(r->s->cc, d, "say which %s of the month: 'monthly on first %s at 05:50'", w->text, w->text);
    else
        diag_help(r->s->cc, d, "write 'monthly on day 1 at 05:50', 'monthly on first mon at 05:50' or "
                               "'monthly on last day at 05:50'");
    return NULL;
}

static const char *lower_monthly(struct reader *r, struct cron *out)
{
    if (!read_on(r, "monthly on day 1 at 05:50"))
        return NULL;
    const char *days = read_monthly_day(r);
    if (!days)
        return NULL;
    int t = read_at_time(r);
    if (t < 0)
        return NULL;
    /* days is "DOM DOW"; the month goes between them */
    const char *space = strchr(days, ' ');
    return finish(r->s, r->v, arena_printf(r->s->a, "%d %d %.*s * %s *", t % 60, t / 60, (int)(space - days), days,
                                           space + 1), out);
}

/* ------------------------------------------------------------------ */
/* values that are not phrases                                          */

static void report_not_a_schedule(struct sema *s, const struct ast_value *v)
{
    struct diag *d = diag_emit(s->cc, OB2003, v->loc, "expected a schedule, found %s", ast_describe(s->a, v));
    diag_help(s->cc, d, "write " FORMS);
}

static void report_rate(struct sema *s, struct loc loc)
{
    struct diag *d = diag_emit(s->cc, OB3001, loc, "rate() expressions are not accepted by AWS Backup");
    diag_help(s->cc, d, "write a cron(\"...\") or a phrase such as 'every 4h' or 'daily at 05:50'");
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* The fields inside "cron(...)" text, or NULL if it is not wrapped so. */
static const char *unwrap_cron(struct arena *a, const char *text, size_t len)
{
    while (len && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    if (len < 6 || !starts_with(text, "cron(") || text[len - 1] != ')')
        return NULL;
    return arena_strndup(a, text + 5, len - 6);
}

static void report_string(struct sema *s, const struct ast_value *v)
{
    const char *inner = unwrap_cron(s->a, v->text, v->text_len);
    if (starts_with(v->text, "rate(")) {
        report_rate(s, v->loc);
        return;
    }
    struct diag *d = diag_emit(s->cc, OB2003, v->loc, "expected a schedule, found %s", ast_describe(s->a, v));
    size_t nheads = COUNT(heads);
    bool phrase = false;
    for (size_t i = 0; i < nheads; i++)
        phrase = phrase || starts_with(v->text, heads[i]);
    if (inner)
        diag_help(s->cc, d, "write cron(\"%s\")", inner);
    else if (phrase)
        diag_help(s->cc, d, "write the schedule without quotes: %s", v->text);
    else if (v->text_len && (isdigit((unsigned char)v->text[0]) || v->text[0] == '*'))
        diag_help(s->cc, d, "write cron(\"%s\")", v->text);
    else
        diag_help(s->cc, d, "write " FORMS);
}

static const char *lower_cron_call(struct sema *s, const struct ast_value *v, struct cron *out)
{
    const struct ast_value *arg = v->items.len == 1 ? VEC_GET(const struct ast_value, v->items, 0) : NULL;
    if (!arg || arg->kind != AST_STRING) {
        struct diag *d = diag_emit(s->cc, OB3001, arg ? arg->loc : v->loc,
                                   "cron() takes the six fields as one string, found %s",
                                   arg ? ast_describe(s->a, arg)
                                       : arena_printf(s->a, "%zu arguments", v->items.len));
        diag_help(s->cc, d, "write cron(\"50 5 ? * * *\"): minutes hours day-of-month month day-of-week year");
        return NULL;
    }
    const char *inner = unwrap_cron(s->a, arg->text, arg->text_len);
    if (inner) {
        struct diag *d = diag_emit(s->cc, OB3001, arg->loc, "the string holds the fields only, not 'cron(...)'");
        diag_help(s->cc, d, "write cron(\"%s\")", inner);
        return NULL;
    }
    uint32_t raw_base = arg->raw ? arg->loc.start + 1 : 0;
    if (!cron_parse(s->cc, arg->text, arg->loc, raw_base, out))
        return NULL;
    return arena_printf(s->a, "cron(%s)", out->text);
}

/* An identifier or call name that may be a misspelt schedule word. */
static bool report_misspelt(struct sema *s, struct loc loc, const char *name)
{
    static const char *const known[] = {"hourly", "every", "daily", "weekly", "monthly", "cron"};
    const char *guess = suggest_name(name, known, COUNT(known));
    if (guess) {
        struct diag *d = diag_emit(s->cc, OB3001, loc, "unknown schedule '%s'", name);
        diag_help(s->cc, d, "did you mean '%s'?", guess);
        return true;
    }
    if (strcmp(name, "yearly") == 0 || strcmp(name, "annually") == 0) {
        struct diag *d = diag_emit(s->cc, OB3001, loc, "there is no '%s' schedule", name);
        diag_help(s->cc, d, "write a cron, e.g. cron(\"0 5 1 1 ? *\") for 05:00 UTC on January 1st");
        return true;
    }
    return false;
}

/* A head word alone: hourly, or daily/weekly/monthly/every without the rest. */
static const char *lower_ident(struct sema *s, const struct ast_value *v, struct cron *out)
{
    static const struct { const char *head, *example; } incomplete[] = {
        {"every", "every 4h"},
        {"daily", "daily at 05:50"},
        {"weekly", "weekly on mon at 05:50"},
        {"monthly", "monthly on day 1 at 05:50"},
    };
    if (strcmp(v->text, "hourly") == 0)
        return finish(s, v, "0 * ? * * *", out);
    for (size_t i = 0; i < COUNT(incomplete); i++)
        if (strcmp(v->text, incomplete[i].head) == 0) {
            struct diag *d = diag_emit(s->cc, OB3001, v->loc, "incomplete schedule '%s'", v->text);
            diag_help(s->cc, d, "write '%s'", incomplete[i].example);
            return NULL;
        }
    if (!report_misspelt(s, v->loc, v->text))
        report_not_a_schedule(s, v);
    return NULL;
}

static const char *lower_phrase(struct sema *s, const struct ast_value *v, struct cron *out)
{
    static const struct {
        const char *head;
        const char *(*lower)(struct reader *, struct cron *);
    } forms[] = {
        {"hourly", lower_hourly}, {"every", lower_every},     {"daily", lower_daily},
        {"weekly", lower_weekly}, {"monthly", lower_monthly},
    };
    struct reader r = {.s = s, .v = v, .last = v->head_loc};
    for (size_t i = 0; i < COUNT(forms); i++)
        if (strcmp(v->text, forms[i].head) == 0)
            return forms[i].lower(&r, out);
    if (!report_misspelt(s, v->head_loc, v->text))
        report_not_a_schedule(s, v);
    return NULL;
}

const char *sched_lower(struct sema *s, const struct ast_value *v, struct cron *out)
{
    switch (v->kind) {
    case AST_IDENT:
        return lower_ident(s, v, out);
    case AST_PHRASE:
        return lower_phrase(s, v, out);
    case AST_CALL:
        if (strcmp(v->text, "cron") == 0)
            return lower_cron_call(s, v, out);
        if (strcmp(v->text, "rate") == 0) {
            report_rate(s, v->loc);
            return NULL;
        }
        if (!report_misspelt(s, v->head_loc, v->text))
            report_not_a_schedule(s, v);
        return NULL;
    case AST_STRING:
        report_string(s, v);
        return NULL;
    case AST_DURATION: {
        struct diag *d = diag_emit(s->cc, OB2003, v->loc, "expected a schedule, found %s", ast_describe(s->a, v));
        diag_help(s->cc, d, "for a backup every %s write 'every %s'", v->text, v->text);
        return NULL;
    }
    case AST_TIME: {
        struct diag *d = diag_emit(s->cc, OB2003, v->loc, "expected a schedule, found %s", ast_describe(s->a, v));
        diag_help(s->cc, d, "write 'daily at %s'", v->text);
        return NULL;
    }
    default:
        report_not_a_schedule(s, v);
        return NULL;
    }
}
