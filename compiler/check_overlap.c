/*
 * check_overlap.c - two rules of one plan that can start at the same
 * time (OB3020). When that happens AWS Backup runs only the rule with the
 * longest retention, so the other one silently skips that day [B22;
 * backup-policy-spec.md 1.3.1, last bullet].
 *
 * Owns: the search for the first common start (same minute, hour and
 * date) of two schedules. Does not: validate schedules (cron.c) or look
 * at the AST.
 *
 * The search: schedules are compared on dates, not cron text. Whether a
 * schedule fires on a date depends only on the year's calendar (leap or
 * not, weekday of 1 January: 14 kinds of year) and on the year set, so
 * each rule's firing days are computed once per kind of year (14 x 372
 * day slots), and a pair of rules is a walk over the years 1970..2199
 * that both allow, ANDing two 372-bit masks per year. The first date on
 * or after 2026-01-01 is reported when there is one, so the message does
 * not change with the day obc runs; else the first date from 1970.
 * Calendar facts come from cron_fires_on itself (probe schedules), so
 * they agree with how schedules fire by construction.
 */
#include "checks.h"

#include <string.h>

#define YEAR_FIRST 1970
#define YEAR_LAST 2199
#define YEAR_COUNT (YEAR_LAST - YEAR_FIRST + 1)
#define YEAR_STABLE 2026 /* report the first common date from here on */
#define YEAR_KINDS 14    /* leap or not x weekday of 1 January */
#define SLOTS 372        /* 12 months x 31 days: slot (m-1)*31 + (d-1) */
#define MASK_WORDS ((SLOTS + 63) / 64)

struct day_mask {
    uint64_t w[MASK_WORDS];
};

/* The firing days of one rule for each kind of year, computed on demand. */
struct rule_days {
    bool done;
    struct day_mask kind[YEAR_KINDS];
};

struct calendar {
    int8_t kind_of[YEAR_COUNT];   /* kind of each year */
    int sample[YEAR_KINDS];       /* a year of each kind */
    struct cron weekday_probe[8]; /* [w] fires on weekday w (1 = Sunday) */
};

struct overlap {
    struct obc *cc;
    struct calendar cal;
    bool cal_ready;
};

static void set_all_years(struct cron *c)
{
    for (int y = 0; y < YEAR_COUNT; y++)
        c->years[y / 64] |= (uint64_t)1 << (y % 64);
}

static bool has_year(const struct cron *c, int year)
{
    int i = year - YEAR_FIRST;
    return (c->years[i / 64] >> (i % 64)) & 1u;
}

static int weekday(const struct calendar *cal, int y, int m, int d)
{
    for (int w = 1; w < 7; w++)
        if (cron_fires_on(&cal->weekday_probe[w], y, m, d))
            return w;
    return 7; /* every day is one of the seven */
}

static void calendar_init(struct calendar *cal)
{
    for (int w = 1; w <= 7; w++) {
        struct cron *p = &cal->weekday_probe[w];
        memset(p, 0, sizeof *p);
        p->dom_any = true;
        p->dow = (uint8_t)(1u << w);
        p->months = 0x1FFEu; /* bits 1..12 */
        set_all_years(p);
    }
    struct cron leap = {.dom = 1u << 29, .months = 1u << 2, .dow_any = true}; /* 29 February */
    set_all_years(&leap);
    for (int k = 0; k < YEAR_KINDS; k++)
        cal->sample[k] = 0;
    for (int y = YEAR_FIRST; y <= YEAR_LAST; y++) {
        int k = (cron_fires_on(&leap, y, 2, 29) ? 7 : 0) + weekday(cal, y, 1, 1) - 1;
        cal->kind_of[y - YEAR_FIRST] = (int8_t)k;
        if (!cal->sample[k])
            cal->sample[k] = y;
    }
}

static const struct calendar *calendar(struct overlap *o)
{
    if (!o->cal_ready) {
        calendar_init(&o->cal);
        o->cal_ready = true;
    }
    return &o->cal;
}

static void compute_days(struct overlap *o, const struct ir_rule *r, struct rule_days *rd)
{
    const struct calendar *cal = calendar(o);
    struct cron any_year = *r->cronv;
    set_all_years(&any_year);
    memset(rd->kind, 0, sizeof rd->kind);
    for (int k = 0; k < YEAR_KINDS; k++) { /* every kind occurs in 1970..2199: each has a sample */
        for (int m = 1; m <= 12; m++) {
            if (!((any_year.months >> m) & 1u))
                continue;
            for (int d = 1; d <= 31; d++) {
                int slot = (m - 1) * 31 + (d - 1);
                if (cron_fires_on(&any_year, cal->sample[k], m, d))
                    rd->kind[k].w[slot / 64] |= (uint64_t)1 << (slot % 64);
            }
        }
    }
    rd->done = true;
}

static int first_bit64(uint64_t x)
{
    int i = 0;
    while (!((x >> i) & 1u))
        i++;
    return i;
}

/* The first slot both masks have, or -1. */
static int first_common_slot(const struct day_mask *a, const struct day_mask *b)
{
    for (int i = 0; i < MASK_WORDS; i++) {
        uint64_t both = a->w[i] & b->w[i];
        if (both)
            return i * 64 + first_bit64(both);
    }
    return -1;
}

struct date {
    int y, m, d;
};

/* The first year in [from, to] both rules allow with a common day. */
static bool search_years(struct overlap *o, const struct ir_rule *a, const struct rule_days *da, const struct ir_rule *b,
                         const struct rule_days *db, int from, int to, struct date *out)
{
    const struct calendar *cal = calendar(o);
    for (int y = from; y <= to; y++) {
        if (!has_year(a->cronv, y) || !has_year(b->cronv, y))
            continue;
        int k = cal->kind_of[y - YEAR_FIRST];
        int slot = first_common_slot(&da->kind[k], &db->kind[k]);
        if (slot >= 0) {
            *out = (struct date){y, slot / 31 + 1, slot % 31 + 1};
            return true;
        }
    }
    return false;
}

static bool first_common_date(struct overlap *o, const struct ir_rule *a, struct rule_days *da, const struct ir_rule *b,
                              struct rule_days *db, struct date *out)
{
    if (!da->done)
        compute_days(o, a, da);
    if (!db->done)
        compute_days(o, b, db);
    return search_years(o, a, da, b, db, YEAR_STABLE, YEAR_LAST, out) ||
           search_years(o, a, da, b, db, YEAR_FIRST, YEAR_STABLE - 1, out);
}

static bool fires_once_a_day(const struct cron *c)
{
    return cron_firings_per_day(c) == 1;
}

static bool fires_at(const struct cron *c, int hour, int minute)
{
    return ((c->hours >> hour) & 1u) && ((c->minutes >> minute) & 1u);
}

/* The first hour after `hour` at which no rule of the plan but `self`
 * starts at `minute`; -1 when every hour is taken. */
static int free_hour_after(const struct ir_plan *p, const struct ir_rule *self, int hour, int minute)
{
    for (int step = 1; step < 24; step++) {
        int h = (hour + step) % 24;
        bool taken = false;
        for (size_t i = 0; i < p->rules.len && !taken; i++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, i);
            taken = r != self && r->cron && fires_at(r->cronv, h, minute);
        }
        if (!taken)
            return h;
    }
    return -1;
}

/* The retention AWS compares: delete_after, or forever. */
static int64_t retention(const struct ir_rule *r)
{
    return r->lc.delete_after.state == IR_SET ? r->lc.delete_after.v : INT64_MAX;
}

static const char *retention_text(struct obc *cc, const struct ir_rule *r)
{
    if (r->lc.delete_after.state != IR_SET)
        return "forever";
    return arena_printf(&cc->arena, "%lld days", (long long)r->lc.delete_after.v);
}

/* A minute no rule of the plan starts at, trying half an hour away
 * first; -1 when every minute is taken. */
static int free_minute(const struct ir_plan *p, int minute)
{
    uint64_t used = 0;
    for (size_t i = 0; i < p->rules.len; i++) {
        const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, i);
        if (r->cron)
            used |= r->cronv->minutes;
    }
    for (int step = 30; step < 90; step++) {
        int m = (minute + step) % 60;
        if (!((used >> m) & 1u))
            return m;
    }
    return -1;
}

/* "start 'weekly' at another time, e.g. 06:50 (an hour later)" when one
 * of them starts once a day and an hour is free at that minute; else a
 * free minute of the hour; else no example. */
static const char *move_advice(struct obc *cc, const struct ir_rule *a, const struct ir_rule *b, int hour, int minute)
{
    const struct ir_rule *mover = fires_once_a_day(b->cronv) ? b : fires_once_a_day(a->cronv) ? a : NULL;
    int h = mover ? free_hour_after(mover->plan, mover, hour, minute) : -1;
    if (h >= 0)
        return arena_printf(&cc->arena, "start '%s' at another time, e.g. %02d:%02d%s", mover->name, h, minute,
                            h == (hour + 1) % 24 ? " (an hour later)" : "");
    int m = free_minute(b->plan, minute);
    if (m >= 0)
        return arena_printf(&cc->arena, "start one of them at another minute of the hour, e.g. at minute %d", m);
    return "start one of them at another time";
}

/* ", or drop 'daily', the one with the shorter retention (14 days
 * against 42 days)"; with equal retention nothing tells which one AWS
 * skips, so only say so. */
static const char *drop_advice(struct obc *cc, const struct ir_rule *a, const struct ir_rule *b)
{
    int64_t ra = retention(a), rb = retention(b);
    if (ra == rb)
        return arena_printf(&cc->arena, "; both keep recovery points %s, so either one may be skipped",
                            retention_text(cc, a));
    const struct ir_rule *shorter = ra < rb ? a : b, *longer = ra < rb ? b : a;
    return arena_printf(&cc->arena, ", or drop '%s', the one with the shorter retention (%s against %s)",
                        shorter->name, retention_text(cc, shorter), retention_text(cc, longer));
}

static const char *weekday_name(int w)
{
    static const char *const names[8] = {"", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                         "Saturday"};
    return w >= 1 && w <= 7 ? names[w] : "";
}

static void check_pair(struct overlap *o, const struct ir_rule *a, struct rule_days *da, const struct ir_rule *b,
                       struct rule_days *db)
{
    uint64_t minutes = a->cronv->minutes & b->cronv->minutes;
    uint32_t hours = a->cronv->hours & b->cronv->hours;
    if (!minutes || !hours)
        return;
    struct date on;
    if (!first_common_date(o, a, da, b, db, &on))
        return;
    struct obc *cc = o->cc;
    int hour = first_bit64(hours), minute = first_bit64(minutes);
    struct diag *d = diag_emit(cc, OB3020, b->schedule_at.loc,
                               "rules '%s' and '%s' of plan '%s' both start at %02d:%02d UTC, first on %s %04d-%02d-%02d; "
                               "AWS then runs only the one with the longer retention",
                               a->name, b->name, a->plan->d.name, hour, minute,
                               weekday_name(weekday(calendar(o), on.y, on.m, on.d)), on.y, on.m, on.d);
    diag_note(cc, d, a->schedule_at.loc, "rule '%s' is scheduled here", a->name);
    diag_help(cc, d, "%s%s", move_advice(cc, a, b, hour, minute), drop_advice(cc, a, b));
}

/* AWS allows 10 rules in a plan [B12]. A plan with more is an error
 * already (OB8004); comparing every pair of its rules would make a plan
 * of thousands of rules quadratic in time and in warnings. */
#define RULES_COMPARED 10

static void check_plan(struct overlap *o, const struct ir_plan *p)
{
    size_t n = p->rules.len < RULES_COMPARED ? p->rules.len : RULES_COMPARED;
    struct rule_days *days = arena_alloc(&o->cc->arena, (n ? n : 1) * sizeof *days);
    for (size_t j = 1; j < n; j++) {
        const struct ir_rule *b = VEC_GET(const struct ir_rule, p->rules, j);
        if (!b->cron)
            continue;
        for (size_t i = 0; i < j; i++) {
            const struct ir_rule *a = VEC_GET(const struct ir_rule, p->rules, i);
            if (a->cron)
                check_pair(o, a, &days[i], b, &days[j]);
        }
    }
}

void check_overlap(struct obc *cc, struct ir_program *prog)
{
    struct overlap *o = arena_alloc(&cc->arena, sizeof *o);
    o->cc = cc;
    for (size_t i = 0; i < prog->plans.len; i++)
        check_plan(o, VEC_GET(const struct ir_plan, prog->plans, i));
}
