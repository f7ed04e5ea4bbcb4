/*
 * cron.c - AWS (EventBridge) 6-field cron expressions: parsing with
 * precise diagnostics, and date arithmetic on the parsed form.
 *
 * Owns: what a cron expression means. Reports OB3001 (syntax, ranges,
 * names, misuse of ? L W #), OB3002 (the '?' rule) and OB3003 (more than
 * one firing an hour). Does not know about schedule phrases (schedule.c)
 * or about rules and plans (checks.c).
 *
 * Accepted syntax, as AWS documents it:
 *   minutes 0-59, hours 0-23, month 1-12 | JAN-DEC, year 1970-2199:
 *       lists ',', ranges '-', '*', steps '/'
 *   day-of-month 1-31: the same, '?', and L, LW, nW (each alone)
 *   day-of-week 1-7 | SUN-SAT (1 = Sunday): ',' '-' '*' '?', and
 *       L (Saturday), nL, d#n (each alone); no steps
 * Names are case-insensitive. Ranges go upwards (no wrap-around). The
 * minutes field must be a single number: AWS Backup backs up at most
 * once an hour.
 *
 * The normalized text (struct cron.text) has single spaces, upper-case
 * names and numbers without leading zeros, so it matches the policy
 * schema's pattern.
 */
#include "ir.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

enum field { F_MIN, F_HOUR, F_DOM, F_MONTH, F_DOW, F_YEAR, NFIELDS };

struct field_spec {
    const char *name;              /* the field, in messages */
    const char *unit;              /* one value of it: "hour 24" */
    int min, max;
    const char *const *names;      /* upper-case names for min..max, or NULL */
    const char *const *long_names; /* full names, for "did you mean" */
    const char *name_kind;         /* "month name" */
    bool steps;                    /* takes '/' */
    const char *takes;             /* what the field takes, for help */
};

static const char *const month_names[] = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
};
static const char *const month_long[] = {
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
    "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER",
};
static const char *const dow_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
static const char *const dow_long[] = {
    "SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY",
};

static const struct field_spec specs[NFIELDS] = {
    {"minutes", "minute", 0, 59, NULL, NULL, NULL, true, "one number from 0 to 59"},
    {"hours", "hour", 0, 23, NULL, NULL, NULL, true, "numbers 0-23 and , - * /"},
    {"day-of-month", "day of month", 1, 31, NULL, NULL, NULL, true,
     "numbers 1-31 and , - * ? / L W"},
    {"month", "month", 1, 12, month_names, month_long, "month name", true,
     "numbers 1-12, JAN-DEC and , - * /"},
    {"day-of-week", "day of week", 1, 7, dow_names, dow_long, "day name", false,
     "numbers 1-7 (1 = Sunday), SUN-SAT and , - * ? L #"},
    {"year", "year", 1970, 2199, NULL, NULL, NULL, true, "numbers 1970-2199 and , - * /"},
};

#define FIELD_LIST "minutes hours day-of-month month day-of-week year"
#define MAX_SPLIT 16 /* fields recorded when counting them */

/* A set of field values; bit (value - min) */
struct bits {
    uint64_t w[4];
};

/* The special day forms, which stand alone in their field. */
enum special { SP_NONE, SP_LAST, SP_LAST_WEEKDAY, SP_NEAREST, SP_DOW_LAST, SP_NTH, SP_SATURDAY };

/* One list item of a field. */
struct item {
    size_t start, end;
    enum special special;
    int a, b;           /* special operands: nW a; nL a; d#n a, b */
    bool plain;         /* a single number or name, no range or step */
};

struct parser {
    struct obc *cc;
    const char *expr;
    struct loc loc;
    uint32_t raw_base;
    size_t start[NFIELDS], end[NFIELDS];
    const char *text[NFIELDS]; /* normalized, or the raw text if invalid */
    bool ok[NFIELDS];
    struct bits set[NFIELDS];
    bool any[NFIELDS];         /* '?' */
    bool single[NFIELDS];      /* one plain value */
    struct item special[NFIELDS]; /* the special form, if any */
};

/* ------------------------------------------------------------------ */
/* diagnostics                                                          */

static struct loc at(const struct parser *p, size_t from, size_t to)
{
    if (!p->raw_base)
        return p->loc;
    return (struct loc){p->loc.file, p->raw_base + (uint32_t)from, p->raw_base + (uint32_t)to};
}

static struct diag *report(struct parser *p, enum diag_code code, size_t from, size_t to,
                           const char *fmt, ...) OBC_PRINTF(5, 6);
static struct diag *report(struct parser *p, enum diag_code code, size_t from, size_t to,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = arena_vprintf(&p->cc->arena, fmt, ap);
    va_end(ap);
    return diag_emit(p->cc, code, at(p, from, to), "%s", msg);
}

static void help(struct parser *p, struct diag *d, const char *fmt, ...) OBC_PRINTF(3, 4);
static void help(struct parser *p, struct diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = arena_vprintf(&p->cc->arena, fmt, ap);
    va_end(ap);
    diag_help(p->cc, d, "%s", msg);
}

/* The character at expr[pos] as quoted in a message; *len gets its size. */
static const char *show_char(struct parser *p, size_t pos, size_t *len)
{
    const char *s = p->expr + pos;
    unsigned char u = (unsigned char)*s;
    uint32_t cp;
    *len = 1;
    if (u > 0x20 && u < 0x7f)
        return arena_printf(&p->cc->arena, "'%c'", *s);
    if (*s == '\n')
        return "a line break";
    size_t n = u >= 0x80 ? utf8_decode((const unsigned char *)s, strnlen(s, 4), &cp) : 0;
    if (n == 0)
        return arena_printf(&p->cc->arena, "byte 0x%02X", u);
    *len = n;
    return arena_printf(&p->cc->arena, "'%.*s'", (int)n, s);
}

static void help_takes(struct parser *p, struct diag *d, enum field f)
{
    help(p, d, "the %s field takes %s", specs[f].name, specs[f].takes);
}

/* An 'L' in day-of-week that is not 'L' alone or a day followed by 'L'. */
static void report_misplaced_dow_l(struct parser *p, const struct item *it, size_t pos)
{
    struct diag *d = report(p, OB3001, pos, pos + 1, "misplaced 'L' in day-of-week '%.*s'",
                            (int)(it->end - it->start), p->expr + it->start);
    help(p, d, "'L' alone is Saturday, '6L' (or 'FRIL') the last Friday of the month; each stands alone in the field");
}

/* 'L', 'W' or '#' at pos where the field does not take it. Returns false
 * (and reports nothing) for any other character. */
static bool report_special_elsewhere(struct parser *p, enum field f, size_t pos, const struct item *it)
{
    char c = (char)toupper((unsigned char)p->expr[pos]);
    int len = (int)(it->end - it->start);
    const char *text = p->expr + it->start;
    struct diag *d;
    if (c == '#' && f != F_DOW) {
        d = report(p, OB3001, pos, pos + 1, "'#' is only allowed in day-of-week");
        if (f == F_DOM)
            help(p, d, "move '%.*s' to the day-of-week field and write '?' in day-of-month", len, text);
        else
            help(p, d, "'2#1' (the first Monday of the month) goes in day-of-week, with '?' in day-of-month");
        return true;
    }
    if (c == 'W' && f != F_DOM) {
        d = report(p, OB3001, pos, pos + 1, "'W' is only allowed in day-of-month");
        help(p, d, "'15W' (the weekday nearest the 15th) and 'LW' (the last weekday of the month) go in day-of-month, "
                   "with '?' in day-of-week; for Monday to Friday write 'MON-FRI' in day-of-week");
        return true;
    }
    if (c == 'L' && f == F_DOW) {
        report_misplaced_dow_l(p, it, pos);
        return true;
    }
    if (c == 'L' && f != F_DOM) {
        d = report(p, OB3001, pos, pos + 1, "'L' is only allowed in day-of-month and day-of-week");
        help(p, d, "'L' in day-of-month is the last day of the month; in day-of-week 'L' alone is Saturday "
                   "and '6L' the last Friday of the month");
        return true;
    }
    return false;
}

static void unexpected(struct parser *p, enum field f, size_t pos, const struct item *it)
{
    if (report_special_elsewhere(p, f, pos, it))
        return;
    const char *e = p->expr;
    size_t len;
    const char *what = show_char(p, pos, &len);
    struct diag *d = report(p, OB3001, pos, pos + len, "unexpected %s in %s '%.*s'", what, specs[f].name,
                            (int)(it->end - it->start), e + it->start);
    help_takes(p, d, f);
}

/* ------------------------------------------------------------------ */
/* values                                                               */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool bits_has(const struct bits *b, int i)
{
    return (b->w[i / 64] >> (i % 64)) & 1u;
}

static void bits_set(struct bits *b, int i)
{
    b->w[i / 64] |= (uint64_t)1 << (i % 64);
}

static int bits_count(const struct bits *b)
{
    int n = 0;
    for (int i = 0; i < 4 * 64; i++)
        n += bits_has(b, i);
    return n;
}

static int popcount64(uint64_t v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* The value of name s[0..n) in the field, or -1. */
static int name_value(const struct field_spec *sp, const char *s, size_t n)
{
    if (!sp->names || n != 3)
        return -1;
    for (int i = 0; i <= sp->max - sp->min; i++)
        if (strncasecmp(sp->names[i], s, 3) == 0)
            return sp->min + i;
    return -1;
}

/* The short name a misspelt or spelled-out name probably means. */
static const char *guess_name(struct parser *p, const struct field_spec *sp, const char *s, size_t n)
{
    const char *word = arena_strndup(&p->cc->arena, s, n);
    size_t count = (size_t)(sp->max - sp->min + 1);
    for (size_t i = 0; i < count; i++)
        if (n >= 3 && n <= strlen(sp->long_names[i]) && strncasecmp(sp->long_names[i], word, n) == 0)
            return sp->names[i];
    return suggest_name(word, sp->names, count);
}

static void report_unknown_name(struct parser *p, enum field f, const struct item *it, size_t i, size_t j)
{
    const struct field_spec *sp = &specs[f];
    const char *s = p->expr + i;
    size_t n = j - i;
    if (n == 1 && report_special_elsewhere(p, f, i, it))
        return;
    if (!sp->names) {
        struct diag *d = report(p, OB3001, i, j, "'%.*s' is not valid in %s", (int)n, s, sp->name);
        help_takes(p, d, f);
        return;
    }
    struct diag *d = report(p, OB3001, i, j, "unknown %s '%.*s'", sp->name_kind, (int)n, s);
    const char *guess = guess_name(p, sp, s, n);
    struct strbuf all = {0};
    for (int k = 0; k <= sp->max - sp->min; k++)
        sb_printf(&p->cc->arena, &all, "%s%s", k ? " " : "", sp->names[k]);
    if (guess)
        help(p, d, "did you mean '%s'? names are %s", guess, sb_str(&p->cc->arena, &all));
    else
        help(p, d, "names are %s (or numbers %d-%d)", sb_str(&p->cc->arena, &all), sp->min, sp->max);
}

static void report_out_of_range(struct parser *p, enum field f, size_t i, size_t j, long v)
{
    const struct field_spec *sp = &specs[f];
    struct diag *d = report(p, OB3001, i, j, "%s %.*s is out of range (%d-%d)", sp->unit,
                            (int)(j - i), p->expr + i, sp->min, sp->max);
    if (f == F_DOW && v == 0)
        help(p, d, "AWS numbers the days of the week 1-7 from Sunday: write 1 or SUN for Sunday");
    else if (f == F_HOUR && v == 24)
        help(p, d, "midnight is hour 0");
    else
        help(p, d, "use a value from %d to %d", sp->min, sp->max);
}

/* Reads a number or a name at *pos; reports and returns false if there is none. */
static bool read_value(struct parser *p, enum field f, const struct item *it, size_t *pos, int *out)
{
    const struct field_spec *sp = &specs[f];
    const char *s = p->expr;
    size_t i = *pos, j = i;
    if (i >= it->end) {
        struct diag *d = report(p, OB3001, it->start, it->end, "a value is missing in %s '%.*s'", sp->name,
                                (int)(it->end - it->start), s + it->start);
        help_takes(p, d, f);
        return false;
    }
    if (isdigit((unsigned char)s[i])) {
        long v = 0;
        for (; j < it->end && isdigit((unsigned char)s[j]); j++)
            if (v < 100000)
                v = v * 10 + (s[j] - '0');
        if (v < sp->min || v > sp->max) {
            report_out_of_range(p, f, i, j, v);
            return false;
        }
        *out = (int)v;
        *pos = j;
        return true;
    }
    if (isalpha((unsigned char)s[i])) {
        while (j < it->end && isalpha((unsigned char)s[j]))
            j++;
        int v = name_value(sp, s + i, j - i);
        /* FRIL: a name followed by the nL suffix */
        if (v < 0 && f == F_DOW && j - i == 4 && toupper((unsigned char)s[i + 3]) == 'L') {
            v = name_value(sp, s + i, 3);
            if (v >= 0)
                j = i + 3;
        }
        if (v < 0) {
            report_unknown_name(p, f, it, i, j);
            return false;
        }
        *out = v;
        *pos = j;
        return true;
    }
    unexpected(p, f, i, it);
    return false;
}

/* Reads the step after '/' at *pos. */
static bool read_step(struct parser *p, enum field f, const struct item *it, size_t *pos, int *out)
{
    const struct field_spec *sp = &specs[f];
    const char *s = p->expr;
    size_t i = *pos, j = i;
    long v = 0;
    for (; j < it->end && isdigit((unsigned char)s[j]); j++)
        if (v < 100000)
            v = v * 10 + (s[j] - '0');
    if (j == i) {
        struct diag *d;
        if (i < it->end) {
            size_t len;
            const char *what = show_char(p, i, &len);
            d = report(p, OB3001, i, i + len, "expected a step after '/' in %s '%.*s', found %s", sp->name,
                       (int)(it->end - it->start), s + it->start, what);
        } else {
            d = report(p, OB3001, it->start, it->end, "missing step after '/' in %s '%.*s'", sp->name,
                       (int)(it->end - it->start), s + it->start);
        }
        help(p, d, "a step is a number: '*/2' is every second %s", sp->unit);
        return false;
    }
    int span = sp->max - sp->min + 1;
    if (v < 1 || v > span) {
        struct diag *d = report(p, OB3001, i, j, "step %.*s is out of range (1-%d)", (int)(j - i), s + i, span);
        help(p, d, "a step counts %ss: '*/2' is every second %s", sp->unit, sp->unit);
        return false;
    }
    *out = (int)v;
    *pos = j;
    return true;
}

/* "Monday" for day of week 2. */
static const char *day_title(struct parser *p, int dow)
{
    char *t = arena_strdup(&p->cc->arena, dow_long[dow - 1]);
    for (char *c = t + 1; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return t;
}

/* ------------------------------------------------------------------ */
/* items                                                                */

static bool text_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static bool has_char(const char *s, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (toupper((unsigned char)s[i]) == c)
            return true;
    return false;
}

/* L, LW, nW in day-of-month. Returns false after reporting. */
static bool parse_dom_special(struct parser *p, struct item *it)
{
    const char *s = p->expr + it->start;
    size_t n = it->end - it->start;
    if (text_is(s, n, "L")) {
        it->special = SP_LAST;
        return true;
    }
    if (text_is(s, n, "LW")) {
        it->special = SP_LAST_WEEKDAY;
        return true;
    }
    if (toupper((unsigned char)s[0]) == 'L' && n > 1 && s[1] == '-') {
        struct diag *d = report(p, OB3001, it->start, it->end,
                                "'%.*s' (days before the end of the month) is not part of AWS cron", (int)n, s);
        help(p, d, "day-of-month takes 'L' (last day), 'LW' (last weekday) and 'nW' (weekday nearest day n)");
        return false;
    }
    size_t digits = 0;
    while (digits < n && isdigit((unsigned char)s[digits]))
        digits++;
    if (digits > 0 && digits + 1 == n && toupper((unsigned char)s[digits]) == 'W') {
        size_t pos = it->start;
        struct item num = *it;
        num.end = it->start + digits;
        if (!read_value(p, F_DOM, &num, &pos, &it->a))
            return false;
        it->special = SP_NEAREST;
        return true;
    }
    size_t bad = has_char(s, n, 'W') ? (size_t)(strpbrk(s, "Ww") - s) : (size_t)(strpbrk(s, "Ll") - s);
    struct diag *d = report(p, OB3001, it->start + bad, it->start + bad + 1, "misplaced '%c' in day-of-month '%.*s'",
                            s[bad], (int)n, s);
    help(p, d, "'L' is the last day of the month, 'LW' its last weekday and '15W' the weekday nearest the 15th; "
               "each stands alone in the field");
    return false;
}

/* L, nL, d#n in day-of-week. Returns false after reporting. */
static bool parse_dow_special(struct parser *p, struct item *it)
{
    const char *e = p->expr;
    const char *s = e + it->start;
    size_t n = it->end - it->start;
    if (text_is(s, n, "L")) {
        it->special = SP_SATURDAY;
        return true;
    }
    const char *hash = memchr(s, '#', n);
    size_t pos = it->start;
    if (hash == s) {
        struct diag *d = report(p, OB3001, it->start, it->start + 1, "'%.*s' needs a day of the week before '#'",
                                (int)n, s);
        help(p, d, "'2#1' is the first Monday of the month, 'FRI#3' the third Friday");
        return false;
    }
    if (hash) {
        struct item day = *it;
        day.end = it->start + (size_t)(hash - s);
        if (!read_value(p, F_DOW, &day, &pos, &it->a))
            return false;
        if (pos != day.end) {
            unexpected(p, F_DOW, pos, it);
            return false;
        }
        size_t i = day.end + 1, j = i;
        long v = 0;
        for (; j < it->end && isdigit((unsigned char)e[j]); j++)
            if (v < 100000)
                v = v * 10 + (e[j] - '0');
        if (j != it->end || j == i || v < 1 || v > 5) {
            struct diag *d = j == it->end && j > i
                                 ? report(p, OB3001, i, j, "week number %.*s in '%.*s' is out of range (1-5)",
                                          (int)(j - i), e + i, (int)n, s)
                                 : report(p, OB3001, day.end, it->end,
                                          "'%.*s' needs a week number from 1 to 5 after '#'", (int)n, s);
            help(p, d, "'%.*s#1' is the first %s of the month, '%.*s#5' the fifth", (int)(day.end - it->start), s,
                 day_title(p, it->a), (int)(day.end - it->start), s);
            return false;
        }
        it->b = (int)v;
        it->special = SP_NTH;
        return true;
    }
    if (n > 1 && toupper((unsigned char)s[n - 1]) == 'L') {
        struct item day = *it;
        day.end = it->end - 1;
        if (!read_value(p, F_DOW, &day, &pos, &it->a))
            return false;
        if (pos == day.end) {
            it->special = SP_DOW_LAST;
            return true;
        }
    }
    report_misplaced_dow_l(p, it, it->start + (size_t)(strpbrk(s, "Ll") - s));
    return false;
}

/* Whether the item uses L, W or # (the special forms). */
static bool looks_special(enum field f, const char *s, size_t n)
{
    if (f == F_DOM)
        return has_char(s, n, 'L') || has_char(s, n, 'W');
    if (f == F_DOW) {
        if (memchr(s, '#', n))
            return true;
        /* L alone, nL, or a 4-letter name ending in L (FRIL); not JUL */
        if (n == 0 || toupper((unsigned char)s[n - 1]) != 'L')
            return false;
        return n == 1 || isdigit((unsigned char)s[0]) || n == 4;
    }
    return false;
}

/* A range a-b with a > b; [start, end) is the range, dash the offset of '-'. */
static void report_backwards(struct parser *p, enum field f, size_t start, size_t dash, size_t end, bool named)
{
    const struct field_spec *sp = &specs[f];
    const char *s = p->expr;
    struct diag *d = report(p, OB3001, start, end, "range '%.*s' goes backwards", (int)(end - start), s + start);
    const char *max = named ? sp->names[sp->max - sp->min] : arena_printf(&p->cc->arena, "%d", sp->max);
    const char *min = named ? sp->names[0] : arena_printf(&p->cc->arena, "%d", sp->min);
    const char *lo = arena_strndup(&p->cc->arena, s + start, dash - start);
    const char *hi = arena_strndup(&p->cc->arena, s + dash + 1, end - dash - 1);
    /* "23-23" and "0-0" are just "23" and "0" */
    const char *upper = strcasecmp(lo, max) == 0 ? lo : arena_printf(&p->cc->arena, "%s-%s", lo, max);
    const char *lower = strcasecmp(hi, min) == 0 ? hi : arena_printf(&p->cc->arena, "%s-%s", min, hi);
    help(p, d, "ranges go from the smaller value to the larger; for a range that wraps around, write two: '%s,%s'",
         upper, lower);
}

/* A general item: '*', value, value-value, each with an optional /step. */
static bool parse_general(struct parser *p, enum field f, struct item *it, struct bits *set)
{
    const struct field_spec *sp = &specs[f];
    const char *s = p->expr;
    size_t pos = it->start;
    int lo = sp->min, hi = sp->max, step = 1;
    bool star = false, range = false;
    if (s[pos] == '*') {
        star = true;
        pos++;
    } else {
        size_t lo_start = pos;
        if (!read_value(p, f, it, &pos, &lo))
            return false;
        hi = lo;
        if (pos < it->end && s[pos] == '-') {
            size_t dash = pos++;
            if (!read_value(p, f, it, &pos, &hi))
                return false;
            if (hi < lo) {
                report_backwards(p, f, lo_start, dash, pos, isalpha((unsigned char)s[lo_start]));
                return false;
            }
            range = true;
        }
    }
    if (pos < it->end && s[pos] == '/') {
        if (!sp->steps) {
            struct diag *d = report(p, OB3001, pos, it->end, "%s does not take '/' steps", sp->name);
            help(p, d, "list the days instead, e.g. 'MON,WED,FRI'");
            return false;
        }
        pos++;
        if (!read_step(p, f, it, &pos, &step))
            return false;
        if (!star && !range)
            hi = sp->max;
    }
    if (pos != it->end) {
        unexpected(p, f, pos, it);
        return false;
    }
    it->plain = !star && !range && step == 1 && hi == lo;
    for (int v = lo; v <= hi; v += step)
        bits_set(set, v - sp->min);
    return true;
}

/* Parses one item into `set` (general) or it->special. */
static bool parse_item(struct parser *p, enum field f, struct item *it, struct bits *set)
{
    const char *s = p->expr + it->start;
    size_t n = it->end - it->start;
    if (n == 0) { /* point at the comma after it, or before it at the end */
        size_t comma = it->end < p->end[f] ? it->end : it->start - 1;
        struct diag *d = report(p, OB3001, comma, comma + 1, "empty item in the %s list", specs[f].name);
        help(p, d, "remove the extra ',' or put a value there");
        return false;
    }
    if (looks_special(f, s, n))
        return f == F_DOM ? parse_dom_special(p, it) : parse_dow_special(p, it);
    return parse_general(p, f, it, set);
}

/* ------------------------------------------------------------------ */
/* fields                                                               */

/* Digits without leading zeros, names in upper case. */
static const char *normalize(struct parser *p, size_t start, size_t end)
{
    struct strbuf b = {0};
    const char *s = p->expr;
    for (size_t i = start; i < end;) {
        if (isdigit((unsigned char)s[i])) {
            size_t j = i;
            while (j < end && isdigit((unsigned char)s[j]))
                j++;
            while (i + 1 < j && s[i] == '0')
                i++;
            sb_putn(&p->cc->arena, &b, s + i, j - i);
            i = j;
            continue;
        }
        char c = (char)toupper((unsigned char)s[i++]);
        sb_putn(&p->cc->arena, &b, &c, 1);
    }
    return sb_str(&p->cc->arena, &b);
}

static bool parse_question(struct parser *p, enum field f)
{
    const char *s = p->expr;
    size_t start = p->start[f], end = p->end[f];
    const char *q = memchr(s + start, '?', end - start);
    size_t at_q = (size_t)(q - s);
    if (f != F_DOM && f != F_DOW) {
        struct diag *d = report(p, OB3001, at_q, at_q + 1, "'?' is only allowed in day-of-month and day-of-week");
        help(p, d, "write '*' for every %s", specs[f].unit);
        return false;
    }
    if (end - start != 1) {
        struct diag *d = report(p, OB3001, at_q, at_q + 1, "'?' must be the whole %s field", specs[f].name);
        help(p, d, "write '?' alone to leave %s open, or remove it", specs[f].name);
        return false;
    }
    p->any[f] = true;
    return true;
}

/* Checks that special forms stand alone and that '#' appears once. */
static bool check_alone(struct parser *p, enum field f, const struct item *items, size_t n)
{
    if (n < 2)
        return true;
    const char *s = p->expr;
    size_t hashes = 0;
    for (size_t i = 0; i < n; i++) {
        const struct item *it = &items[i];
        if (it->special == SP_NTH && ++hashes == 2) {
            struct diag *d = report(p, OB3001, it->start, it->end,
                                    "only one '#' expression is allowed in day-of-week");
            help(p, d, "use one rule per '#' day");
            return false;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct item *it = &items[i];
        int len = (int)(it->end - it->start);
        if (it->special != SP_NONE) {
            struct diag *d = report(p, OB3001, it->start, it->end, "'%.*s' cannot be combined with other %s values",
                                    len, s + it->start, specs[f].name);
            help(p, d, "'%.*s' must be the whole %s field; use another rule for the other days", len,
                 s + it->start, specs[f].name);
            return false;
        }
    }
    return true;
}

static bool parse_field(struct parser *p, enum field f, struct item *items_buf)
{
    const char *s = p->expr;
    size_t start = p->start[f], end = p->end[f];
    if (memchr(s + start, '?', end - start))
        return parse_question(p, f);
    size_t n = 0;
    bool ok = true;
    for (size_t i = start;;) {
        size_t j = i;
        while (j < end && s[j] != ',')
            j++;
        struct item *it = &items_buf[n++];
        *it = (struct item){.start = i, .end = j};
        if (!parse_item(p, f, it, &p->set[f]))
            ok = false;
        if (!ok || j == end)
            break;
        i = j + 1;
    }
    if (!ok || !check_alone(p, f, items_buf, n))
        return false;
    p->single[f] = n == 1 && items_buf[0].plain;
    if (n == 1)
        p->special[f] = items_buf[0];
    return true;
}

/* ------------------------------------------------------------------ */
/* whole expression                                                     */

/* Splits expr at blanks. Returns the number of fields (also past 6). */
static size_t split_fields(struct parser *p, size_t *starts, size_t *ends)
{
    const char *s = p->expr;
    size_t n = 0;
    for (size_t i = 0; s[i];) {
        if (is_blank(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (s[j] && !is_blank(s[j]))
            j++;
        if (n < MAX_SPLIT) {
            starts[n] = i;
            ends[n] = j;
        }
        n++;
        i = j;
    }
    return n;
}

/* A Unix day-of-week field (0-7, 0 and 7 = Sunday; numbers, ',' and '-'
 * only) as AWS day names: "1-5" is "MON-FRI". NULL if it is anything else
 * or a range would go backwards in AWS order ("5-7"). */
static const char *unix_days_as_names(struct parser *p, const char *text)
{
    size_t len = strlen(text);
    if (!len || strspn(text, "0123456789,-") != len || !isdigit((unsigned char)text[len - 1]))
        return NULL;
    struct strbuf b = {0};
    int prev = 0;            /* the AWS number of the value before */
    bool after_dash = false; /* the value ends a range */
    for (const char *c = text; *c;) {
        if (!isdigit((unsigned char)*c)) {
            if (c == text || !isdigit((unsigned char)c[-1]) || (*c == '-' && after_dash))
                return NULL; /* not number (sep number)*, or a-b-c */
            after_dash = *c == '-';
            sb_putn(&p->cc->arena, &b, c++, 1);
            continue;
        }
        int v = 0;
        while (isdigit((unsigned char)*c) && v <= 7)
            v = v * 10 + (*c++ - '0');
        if (v > 7)
            return NULL;
        int aws = v % 7 + 1;
        if (after_dash && aws < prev)
            return NULL;
        prev = aws;
        sb_puts(&p->cc->arena, &b, dow_names[aws - 1]);
    }
    return sb_str(&p->cc->arena, &b);
}

static void report_field_count(struct parser *p, size_t n, const size_t *starts, const size_t *ends)
{
    const char *s = p->expr;
    size_t last = n < MAX_SPLIT ? n : MAX_SPLIT;
    struct diag *d = n ? report(p, OB3001, starts[0], ends[last - 1], "cron has %zu field%s, AWS needs 6: " FIELD_LIST,
                                n, n == 1 ? "" : "s")
                       : diag_emit(p->cc, OB3001, p->loc, "cron has no fields, AWS needs 6: " FIELD_LIST);
    if (n == 5) {
        const char *f[6];
        for (size_t i = 0; i < 5; i++)
            f[i] = arena_strndup(&p->cc->arena, s + starts[i], ends[i] - starts[i]);
        f[5] = "*";
        const char *names = NULL;
        if (strcmp(f[2], "?") != 0 && strcmp(f[4], "?") != 0) { /* Unix style: no '?' */
            names = unix_days_as_names(p, f[4]);
            if (strcmp(f[4], "*") == 0)
                f[4] = "?";
            else if (strcmp(f[2], "*") == 0)
                f[2] = "?";
            if (names)
                f[4] = names;
        }
        if (strspn(f[0], "0123456789") != strlen(f[0]))
            f[0] = "0"; /* one minute: at most one backup an hour */
        const char *note = "";
        if (names)
            note = "; the days of the week are written as names because AWS numbers them 1-7 from Sunday, "
                   "not 0-6 as Unix cron does";
        else if (strpbrk(f[4], "0123456789"))
            note = "; note that AWS numbers the days of the week 1-7 from Sunday, not 0-6 as Unix cron does";
        help(p, d, "add the year at the end: '%s %s %s %s %s %s'%s", f[0], f[1], f[2], f[3], f[4], f[5], note);
    } else if (n == 7) {
        help(p, d, "AWS cron has no seconds field; remove the first field if it holds seconds, e.g. '0 5 ? * * *'");
    } else {
        help(p, d, "write six fields separated by spaces, e.g. '0 5 ? * * *' for 05:00 UTC every day");
    }
}

static const char *with_field(struct parser *p, enum field f, const char *text)
{
    const char *t[NFIELDS];
    for (int i = 0; i < NFIELDS; i++)
        t[i] = i == (int)f ? text : p->text[i];
    return arena_printf(&p->cc->arena, "'%s %s %s %s %s %s'", t[0], t[1], t[2], t[3], t[4], t[5]);
}

/* OB3002: exactly one of day-of-month and day-of-week is '?'. */
#define BOTH_SET "day-of-month '%s' and day-of-week '%s' are both set; one of them must be '?'"
static bool check_question_rule(struct parser *p)
{
    if (p->any[F_DOM] && p->any[F_DOW]) {
        struct diag *d = report(p, OB3002, p->start[F_DOM], p->end[F_DOW],
                                "day-of-month and day-of-week are both '?'");
        help(p, d, "give one of them a value, e.g. %s for every day", with_field(p, F_DOM, "*"));
        return false;
    }
    if (p->any[F_DOM] || p->any[F_DOW])
        return true;
    const char *dom = p->text[F_DOM], *dow = p->text[F_DOW];
    if (strcmp(dow, "*") == 0) {
        struct diag *d = report(p, OB3002, p->start[F_DOW], p->end[F_DOW], BOTH_SET, dom, dow);
        help(p, d, "turn day-of-week into '?': %s", with_field(p, F_DOW, "?"));
    } else if (strcmp(dom, "*") == 0) {
        struct diag *d = report(p, OB3002, p->start[F_DOM], p->end[F_DOM], BOTH_SET, dom, dow);
        help(p, d, "turn day-of-month into '?': %s", with_field(p, F_DOM, "?"));
    } else {
        struct diag *d = report(p, OB3002, p->start[F_DOM], p->end[F_DOW], BOTH_SET, dom, dow);
        help(p, d, "AWS cannot combine the two; write %s for the days of the week or %s for the days of the month",
             with_field(p, F_DOM, "?"), with_field(p, F_DOW, "?"));
    }
    return false;
}

/* How often a minutes set fires, in words. */
static const char *describe_minutes(struct parser *p, const struct bits *m)
{
    int count = bits_count(m);
    if (count == 60)
        return "every minute";
    int first = 0;
    while (!bits_has(m, first))
        first++;
    int gap = 0;
    for (int v = first + 1; v < 60; v++)
        if (bits_has(m, v)) {
            gap = v - first;
            break;
        }
    bool even = 60 % gap == 0 && count == 60 / gap;
    for (int v = first; even && v < 60; v++)
        even = bits_has(m, v) == ((v - first) % gap == 0);
    if (even)
        return arena_printf(&p->cc->arena, "every %d minutes", gap);
    return arena_printf(&p->cc->arena, "%d times an hour", count);
}

/* OB3003 (more than one minute) or OB3001 (one minute, not written as one number). */
static bool check_minutes(struct parser *p)
{
    if (p->single[F_MIN])
        return true;
    const struct bits *m = &p->set[F_MIN];
    int first = 0;
    while (!bits_has(m, first))
        first++;
    const char *fixed = with_field(p, F_MIN, arena_printf(&p->cc->arena, "%d", first));
    if (bits_count(m) > 1) {
        struct diag *d = report(p, OB3003, p->start[F_MIN], p->end[F_MIN],
                                "cron fires %s (minutes '%s'); AWS Backup backs up at most once an hour",
                                describe_minutes(p, m), p->text[F_MIN]);
        help(p, d, "put one number in the minutes field, e.g. %s", fixed);
    } else {
        struct diag *d = report(p, OB3001, p->start[F_MIN], p->end[F_MIN], "the minutes field '%s' must be one number",
                                p->text[F_MIN]);
        help(p, d, "write %s", fixed);
    }
    return false;
}

/* Copies the parsed fields into the public form. */
static void fill(const struct parser *p, struct cron *c)
{
    c->minutes = p->set[F_MIN].w[0];
    c->hours = (uint32_t)p->set[F_HOUR].w[0];
    c->months = (uint32_t)(p->set[F_MONTH].w[0] << 1);
    memcpy(c->years, p->set[F_YEAR].w, sizeof c->years);
    c->dom_any = p->any[F_DOM];
    c->dow_any = p->any[F_DOW];
    if (!c->dom_any) {
        const struct item *it = &p->special[F_DOM];
        c->dom_last = it->special == SP_LAST;
        c->dom_last_weekday = it->special == SP_LAST_WEEKDAY;
        c->dom_weekday = it->special == SP_NEAREST ? it->a : 0;
        c->dom = (uint32_t)(p->set[F_DOM].w[0] << 1);
    }
    if (!c->dow_any) {
        const struct item *it = &p->special[F_DOW];
        c->dow = (uint8_t)(p->set[F_DOW].w[0] << 1);
        if (it->special == SP_SATURDAY)
            c->dow = 1u << 7;
        if (it->special == SP_DOW_LAST)
            c->dow_last = it->a;
        if (it->special == SP_NTH) {
            c->dow_nth_day = it->a;
            c->dow_nth = it->b;
        }
    }
}

static bool fires_ever(const struct cron *c);

bool cron_parse(struct obc *cc, const char *expr, struct loc loc, uint32_t raw_base, struct cron *out)
{
    struct parser p = {.cc = cc, .expr = expr, .loc = loc, .raw_base = raw_base};
    size_t starts[MAX_SPLIT], ends[MAX_SPLIT];
    size_t n = split_fields(&p, starts, ends);
    if (n != NFIELDS) {
        report_field_count(&p, n, starts, ends);
        return false;
    }
    bool ok = true;
    for (int f = 0; f < NFIELDS; f++) {
        p.start[f] = starts[f];
        p.end[f] = ends[f];
        /* one item per byte at most, plus one */
        struct item *items = arena_alloc(&cc->arena, (ends[f] - starts[f] + 1) * sizeof *items);
        p.ok[f] = parse_field(&p, (enum field)f, items);
        p.text[f] = p.ok[f] ? normalize(&p, starts[f], ends[f]) : arena_strndup(&cc->arena, expr + starts[f], ends[f] - starts[f]);
        ok = ok && p.ok[f];
    }
    if (p.ok[F_DOM] && p.ok[F_DOW] && !check_question_rule(&p))
        ok = false;
    if (p.ok[F_MIN] && !check_minutes(&p))
        ok = false;
    if (!ok)
        return false;
    struct cron c = {0};
    fill(&p, &c);
    c.text = arena_printf(&cc->arena, "%s %s %s %s %s %s", p.text[0], p.text[1], p.text[2], p.text[3], p.text[4],
                          p.text[5]);
    if (!fires_ever(&c)) {
        struct diag *d = report(&p, OB3001, p.start[F_DOM], p.end[F_YEAR], "'%s' never fires: no date from 1970 to 2199 "
                                "has day-of-month '%s' and day-of-week '%s' in month '%s' of year '%s'", c.text,
                                p.text[F_DOM], p.text[F_DOW], p.text[F_MONTH], p.text[F_YEAR]);
        help(&p, d, "check the day-of-month against the month (February has 28 or 29 days; April, June, "
                    "September and November 30)");
        return false;
    }
    *out = c;
    return true;
}

/* ------------------------------------------------------------------ */
/* calendar                                                             */

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int cron_days_in_month(int year, int month)
{
    return days_in_month(year, month);
}

/* 1 = Sunday .. 7 = Saturday (Sakamoto's method, Gregorian calendar). */
static int weekday(int y, int m, int d)
{
    static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y--;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7 + 1;
}

/* The weekday (Mon-Fri) nearest day n, never leaving the month; 0 when
 * the month has no day n (then nW does not fire that month). */
static int nearest_weekday(int y, int m, int n)
{
    int dim = days_in_month(y, m);
    if (n > dim)
        return 0;
    int w = weekday(y, m, n);
    if (w == 7) /* Saturday: the Friday before, or Monday the 3rd */
        return n == 1 ? 3 : n - 1;
    if (w == 1) /* Sunday: the Monday after, or the Friday before the end */
        return n == dim ? n - 2 : n + 1;
    return n;
}

static int last_weekday(int y, int m)
{
    int dim = days_in_month(y, m);
    int w = weekday(y, m, dim);
    return w == 7 ? dim - 1 : w == 1 ? dim - 2 : dim;
}

static bool dom_fires(const struct cron *c, int y, int m, int d)
{
    if (c->dom_last)
        return d == days_in_month(y, m) - c->dom_last_offset;
    if (c->dom_last_weekday)
        return d == last_weekday(y, m);
    if (c->dom_weekday)
        return d == nearest_weekday(y, m, c->dom_weekday);
    return (c->dom >> d) & 1u;
}

static bool dow_fires(const struct cron *c, int y, int m, int d)
{
    int w = weekday(y, m, d);
    if (c->dow_nth)
        return w == c->dow_nth_day && (d - 1) / 7 + 1 == c->dow_nth;
    if (c->dow_last)
        return w == c->dow_last && d + 7 > days_in_month(y, m);
    return (c->dow >> w) & 1u;
}

bool cron_fires_on(const struct cron *c, int year, int month, int day)
{
    if (year < 1970 || year > 2199 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return false;
    int yi = year - 1970;
    if (!((c->years[yi / 64] >> (yi % 64)) & 1u) || !((c->months >> month) & 1u))
        return false;
    return c->dom_any ? dow_fires(c, year, month, day) : dom_fires(c, year, month, day);
}

/* The days of one month the schedule fires on: bit d-1 for day d. Each
 * special form (L, LW, nW, d#n, nL) fires on at most one day a month and
 * is found directly; a plain day-of-month list is a mask, a plain
 * day-of-week list a weekday pattern laid over the month. */
uint32_t cron_month_days(const struct cron *c, int year, int month)
{
    if (year < 1970 || year > 2199 || month < 1 || month > 12)
        return 0;
    int yi = year - 1970;
    if (!((c->years[yi / 64] >> (yi % 64)) & 1u) || !((c->months >> month) & 1u))
        return 0;
    int dim = days_in_month(year, month);
    uint32_t month_mask = dim == 32 ? 0xFFFFFFFFu : (((uint32_t)1 << dim) - 1);
    if (!c->dom_any) {
        if (c->dom_last || c->dom_last_weekday || c->dom_weekday) {
            int d = c->dom_last ? dim - c->dom_last_offset
                    : c->dom_last_weekday ? last_weekday(year, month)
                                          : nearest_weekday(year, month, c->dom_weekday);
            return d >= 1 && d <= dim ? (uint32_t)1 << (d - 1) : 0;
        }
        return (c->dom >> 1) & month_mask;
    }
    int first = weekday(year, month, 1); /* 1 = Sunday */
    if (c->dow_nth || c->dow_last) {
        int want = c->dow_nth ? c->dow_nth_day : c->dow_last;
        int d = 1 + (want - first + 7) % 7; /* the first such weekday */
        if (c->dow_nth)
            d += 7 * (c->dow_nth - 1);
        else
            while (d + 7 <= dim)
                d += 7;
        return d >= 1 && d <= dim ? (uint32_t)1 << (d - 1) : 0;
    }
    uint32_t mask = 0;
    for (int w = 1; w <= 7; w++) {
        if (!((c->dow >> w) & 1u))
            continue;
        for (int d = 1 + (w - first + 7) % 7; d <= dim; d += 7)
            mask |= (uint32_t)1 << (d - 1);
    }
    return mask;
}

int cron_firings_per_day(const struct cron *c)
{
    return popcount64(c->hours) * popcount64(c->minutes);
}

/* The most firings of one calendar month, whatever years the schedule
 * names: 28 years hold every calendar a month can have (leap or not,
 * weekday of its first day) between 1901 and 2099. */
int cron_max_per_month(const struct cron *c)
{
    enum { FIRST = 2026, YEARS = 28 };
    struct cron any_year = *c;
    for (int yi = FIRST - 1970; yi < FIRST - 1970 + YEARS; yi++)
        any_year.years[yi / 64] |= (uint64_t)1 << (yi % 64);
    int most = 0;
    for (int y = FIRST; y < FIRST + YEARS; y++) {
        for (int m = 1; m <= 12; m++) {
            if (!((c->months >> m) & 1u))
                continue;
            int days = 0;
            for (int d = 1; d <= days_in_month(y, m); d++)
                days += cron_fires_on(&any_year, y, m, d);
            if (days > most)
                most = days;
        }
    }
    return most * cron_firings_per_day(c);
}

/* Whether the schedule fires on any date of the years AWS accepts; it
 * stops at the first date that fires, so a working schedule costs a few
 * iterations and only an impossible one (31 February) scans them all. */
static bool fires_ever(const struct cron *c)
{
    for (int y = 1970; y <= 2199; y++) {
        if (!((c->years[(y - 1970) / 64] >> ((y - 1970) % 64)) & 1u))
            continue;
        for (int m = 1; m <= 12; m++) {
            if (!((c->months >> m) & 1u))
                continue;
            for (int d = 1; d <= days_in_month(y, m); d++)
                if (cron_fires_on(c, y, m, d))
                    return true;
        }
    }
    return false;
}
