/*
 * check_overlap.c - two rules of one plan whose start windows can
 * overlap (OB3020). When the time frames of two rules overlap, AWS
 * Backup runs only the rule with the longest retention, so the other one
 * silently skips that backup [B22; backup-policy-spec.md 1.3.1, last
 * bullet]. A rule's time frame is its start window: from its scheduled
 * start for start_within minutes, 480 (8 hours) when not given [B22].
 *
 * Owns: the search for the first time two start windows intersect, and
 * the advice how to part them (a free start time, or shorter windows).
 * Does not: validate schedules (cron.c) or windows (check_windows.c), or
 * look at the AST.
 *
 * The search: a schedule fires at the same times of day (hours x
 * minutes) on each day it fires, so a rule is its firing days plus a
 * sorted list of minutes of the day. Two rules are walked together in
 * time order over the years both allow, from 2026 on (then from 1970),
 * at most CYCLE_YEARS of them (every calendar a year can have occurs in
 * 28 consecutive years between 1901 and 2099): at each start, the latest
 * start of the other rule before it is the one whose window can reach
 * it, so one pass finds the first overlap, and the shortest gap between
 * the two rules' starts in either order. Each rule's firing days
 * (1970..2199, one bit a day) and the free start proposed for it are
 * computed once per plan, a year at a time as the search reaches it and
 * a month at a time from the month's shape (the weekday it starts on
 * and its length); the calendars are one scratch set per compilation.
 * Before the walk, a filter 64 days at a time (may_overlap) drops the
 * pairs whose firing days never come within their windows' reach at
 * start times that meet, so the walk, a start at a time, runs only for
 * pairs that may overlap. Only the first RULES_COMPARED rules take part,
 * in the search and in the proposals. The first overlap is reported
 * by date and time, so the message does not change with the day obc
 * runs.
 */
#include "checks.h"

#include <string.h>

#define YEAR_FIRST 1970
#define YEAR_LAST 2199
#define YEAR_STABLE 2026 /* report the first overlap from here on */
#define CYCLE_YEARS 28   /* years searched at most */
#define DAY_MINUTES 1440

#define DAYS_ALL 84006 /* days of 1970..2199 */
#define FILTER_REACH_DAYS 62 /* windows up to this long are filtered 64 days at a time */
#define DAY_WORDS ((DAYS_ALL + 63) / 64)

/* AWS allows 10 rules in a plan [B12]. A plan with more is an error
 * already (OB8004); comparing every pair of its rules would make a plan
 * of thousands of rules quadratic in time and in warnings. */
#define RULES_COMPARED 10

/* The firing days of a rule (bit d: day d after 1970-01-01), computed a
 * year at a time as the search reaches it. */
struct rule_cal {
    const struct cron *cron;
    uint64_t year_done[4]; /* bit y-1970 */
    /* The firing days of a month the schedule allows depend only on the
     * weekday of its first day and its length: each shape is computed
     * once (bit 7*(days-28)+weekday of shape_done). */
    uint32_t shape_done;
    uint32_t shape[4][7];
    int64_t used_lo, used_hi; /* the words of bits set so far */
    uint64_t bits[DAY_WORDS];
};

/* The rules of one plan that are compared, with what is computed once
 * per rule: its firing days (bit d: day d after 1970-01-01) and the free
 * start the help proposes for it. */
struct plan_rules {
    struct obc *cc;
    size_t n;
    const struct ir_rule *rule[RULES_COMPARED];
    struct rule_cal *cal[RULES_COMPARED]; /* NULL until used in this plan */
    struct rule_cal *scratch;             /* RULES_COMPARED calendars, one
                                             allocation for the whole check */
    bool free_done[RULES_COMPARED];
    int free_at[RULES_COMPARED];
};

/* A rule as the search sees it. */
struct starts {
    const struct ir_rule *rule;
    const struct cron *cron;
    struct rule_cal *cal;    /* its firing days */
    int64_t window;          /* start window in minutes */
    int count;               /* starts per firing day */
    int16_t at[DAY_MINUTES]; /* minutes of the day, ascending */
};

/* What one walk found. */
struct walk {
    bool overlap;
    int64_t first, second;   /* absolute minutes of the first overlapping pair */
    const struct starts *earlier; /* whose window reaches the other's start */
    int64_t gap_ab, gap_ba;  /* shortest gap from an a start to the next b start, and back */
};

/* The index of the lowest set bit of v (v != 0): de Bruijn multiplication. */
static int lowest_bit(uint64_t v)
{
    static const unsigned char index[64] = {
        0,  1,  2,  53, 3,  7,  54, 27, 4,  38, 41, 8,  34, 55, 48, 28, 62, 5,  39, 46, 44, 42,
        22, 9,  24, 35, 59, 56, 49, 18, 29, 11, 63, 52, 6,  26, 37, 40, 33, 47, 61, 45, 43, 21,
        23, 58, 17, 10, 51, 25, 36, 32, 60, 20, 57, 16, 50, 31, 19, 15, 30, 14, 13, 12};
    return index[((v & -v) * UINT64_C(0x022fdd63cc95386d)) >> 58];
}

static void starts_init(struct starts *s, const struct ir_rule *r, const struct cron *c, struct rule_cal *cal,
                        int64_t window)
{
    s->rule = r;
    s->cron = c;
    s->cal = cal;
    s->window = window;
    s->count = 0;
    for (uint32_t hours = c->hours & 0xFFFFFFu; hours; hours &= hours - 1) {
        int h = lowest_bit(hours);
        for (uint64_t minutes = c->minutes & ((UINT64_C(1) << 60) - 1); minutes; minutes &= minutes - 1)
            s->at[s->count++] = (int16_t)(h * 60 + lowest_bit(minutes));
    }
}

static bool has_year(const struct cron *c, int year)
{
    int i = year - YEAR_FIRST;
    return (c->years[i / 64] >> (i % 64)) & 1u;
}

static int days_in_month(int y, int m)
{
    return cron_days_in_month(y, m);
}

static int days_in_year(int y)
{
    return days_in_month(y, 2) == 29 ? 366 : 365;
}

/* Leap years in [1, y]. */
static int64_t leaps_through(int64_t y)
{
    return y / 4 - y / 100 + y / 400;
}

/* Days from 1970-01-01 to 1 January of `year`. */
static int64_t year_start(int year)
{
    return 365 * (int64_t)(year - YEAR_FIRST) + leaps_through(year - 1) - leaps_through(YEAR_FIRST - 1);
}

/* The calendar of rule i of the plan: the check's scratch slot i,
 * cleared on the plan's first use. */
static struct rule_cal *rule_cal(struct plan_rules *pr, size_t i)
{
    if (!pr->cal[i]) {
        struct rule_cal *cal = pr->cal[i] = &pr->scratch[i];
        if (cal->used_lo < cal->used_hi) /* cleared where the last plan set it */
            memset(cal->bits + cal->used_lo, 0, (size_t)(cal->used_hi - cal->used_lo) * sizeof cal->bits[0]);
        memset(cal->year_done, 0, sizeof cal->year_done);
        cal->shape_done = 0;
        cal->used_lo = DAY_WORDS;
        cal->used_hi = 0;
        cal->cron = pr->rule[i]->cronv;
    }
    return pr->cal[i];
}

/* Fills in the days of `year`, once, a month at a time; `day` is its
 * first day. */
static void cal_year(struct rule_cal *cal, int year, int64_t day)
{
    int yi = year - YEAR_FIRST;
    if ((cal->year_done[yi / 64] >> (yi % 64)) & 1u)
        return;
    cal->year_done[yi / 64] |= (uint64_t)1 << (yi % 64);
    if (!has_year(cal->cron, year))
        return;
    if (day / 64 < cal->used_lo)
        cal->used_lo = day / 64;
    if ((day + 366) / 64 + 1 > cal->used_hi)
        cal->used_hi = (day + 366) / 64 + 1 < DAY_WORDS ? (day + 366) / 64 + 1 : DAY_WORDS;
    for (int m = 1; m <= 12; m++) {
        int length = days_in_month(year, m);
        if ((cal->cron->months >> m) & 1u) {
            int first = (int)((day + 4) % 7), k = 7 * (length - 28) + first; /* 1970-01-01: a Thursday */
            if (!((cal->shape_done >> k) & 1u)) {
                cal->shape[length - 28][first] = cron_month_days(cal->cron, year, m);
                cal->shape_done |= (uint32_t)1 << k;
            }
            uint64_t days = cal->shape[length - 28][first];
            int64_t w = day / 64, r = day % 64;
            cal->bits[w] |= days << r;
            if (r > 32 && w + 1 < DAY_WORDS)
                cal->bits[w + 1] |= days >> (64 - r);
        }
        day += length;
    }
}

static bool cal_fires(const struct rule_cal *cal, int64_t day)
{
    return (cal->bits[day / 64] >> (day % 64)) & 1u;
}

struct date {
    int y, m, d;
};

static struct date date_of(int64_t day)
{
    int y = YEAR_FIRST;
    while (day >= days_in_year(y))
        day -= days_in_year(y++);
    int m = 1;
    while (day >= days_in_month(y, m))
        day -= days_in_month(y, m++);
    return (struct date){y, m, (int)day + 1};
}

static const char *weekday_name(int64_t day)
{
    static const char *const names[7] = {"Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday",
                                         "Wednesday"}; /* 1970-01-01 was a Thursday */
    return names[day % 7];
}

/* The walk's state: the latest start of each rule so far. */
struct cursor {
    bool seen_a, seen_b;
    int64_t last_a, last_b;
};

/* One start `t` of rule `self` (`is_a`): compares it with the latest
 * start of the other rule, whose window may reach it. */
static void step(struct walk *w, struct cursor *cur, const struct starts *a, const struct starts *b, bool is_a,
                 int64_t t)
{
    bool other_seen = is_a ? cur->seen_b : cur->seen_a;
    int64_t other = is_a ? cur->last_b : cur->last_a;
    if (other_seen) {
        int64_t gap = t - other;
        int64_t *best = is_a ? &w->gap_ba : &w->gap_ab;
        if (gap < *best)
            *best = gap;
        const struct starts *earlier = is_a ? b : a;
        if (!w->overlap && gap < earlier->window) {
            w->overlap = true;
            w->first = other;
            w->second = t;
            w->earlier = earlier;
        }
    }
    if (is_a) {
        cur->seen_a = true;
        cur->last_a = t;
    } else {
        cur->seen_b = true;
        cur->last_b = t;
    }
}

/* The starts of one day in time order, a's before b's at the same minute. */
static void walk_day(struct walk *w, struct cursor *cur, const struct starts *a, bool fa, const struct starts *b,
                     bool fb, int64_t day)
{
    int i = 0, j = 0, na = fa ? a->count : 0, nb = fb ? b->count : 0;
    while (i < na || j < nb) {
        bool take_a = j >= nb || (i < na && a->at[i] <= b->at[j]);
        if (take_a)
            step(w, cur, a, b, true, day * DAY_MINUTES + a->at[i++]);
        else
            step(w, cur, a, b, false, day * DAY_MINUTES + b->at[j++]);
    }
}

/* Walks years [from, to] both rules allow, up to *budget of them; stops
 * at the first overlap unless `whole` (then it measures the gaps). */
static void walk_years(struct walk *w, const struct starts *a, const struct starts *b, int from, int to, int *budget,
                       bool whole)
{
    struct cursor cur = {0};
    int prev = 0;
    for (int y = from; y <= to && *budget > 0; y++) {
        if (!has_year(a->cron, y) || !has_year(b->cron, y))
            continue;
        if (y != prev + 1)
            cur = (struct cursor){0}; /* a gap of years: nothing carries over */
        prev = y;
        (*budget)--;
        int64_t first = year_start(y), end = first + days_in_year(y);
        cal_year(a->cal, y, first);
        cal_year(b->cal, y, first);
        /* the days either rule fires, 64 at a time */
        for (int64_t base = first & ~(int64_t)63; base < end; base += 64) {
            uint64_t either = a->cal->bits[base / 64] | b->cal->bits[base / 64];
            if (base < first)
                either &= ~(uint64_t)0 << (first - base);
            if (end - base < 64)
                either &= ((uint64_t)1 << (end - base)) - 1;
            while (either) {
                int64_t day = base + lowest_bit(either);
                either &= either - 1;
                walk_day(w, &cur, a, cal_fires(a->cal, day), b, cal_fires(b->cal, day), day);
                if (w->overlap && !whole)
                    return;
            }
        }
    }
}

/* The 64 days of `cal` from `day` on (bit k: day + k), zero outside
 * 1970..2199. */
static uint64_t days_from(const struct rule_cal *cal, int64_t day)
{
    int64_t q = day >= 0 ? day / 64 : -((63 - day) / 64), r = day - q * 64;
    uint64_t lo = q >= 0 && q < DAY_WORDS ? cal->bits[q] : 0;
    uint64_t hi = q + 1 >= 0 && q + 1 < DAY_WORDS ? cal->bits[q + 1] : 0;
    return r ? lo >> r | hi << (64 - r) : lo;
}

/* Whether some start of a and some start of b, `delta` days later, are
 * close enough for one window to reach the other start: b's start minus
 * a's in (-b's window, a's window). */
static bool times_meet(const struct starts *a, const struct starts *b, int64_t delta)
{
    for (int i = 0; i < a->count; i++) {
        int64_t lo = a->at[i] - delta * DAY_MINUTES - b->window; /* b's time of day above lo ... */
        int64_t hi = a->at[i] - delta * DAY_MINUTES + a->window; /* ... and below hi */
        int l = 0, h = b->count;                                 /* first b time above lo */
        while (l < h) {
            int mid = (l + h) / 2;
            if (b->at[mid] > lo)
                h = mid;
            else
                l = mid + 1;
        }
        if (l < b->count && b->at[l] < hi)
            return true;
    }
    return false;
}

/* Whether the walk can find an overlap: some day a fires and some day b
 * fires `delta` days later, both in years the walk visits, with start
 * times that meet. A necessary condition checked 64 days at a time, so
 * the walk (a start at a time) runs only for pairs that may overlap,
 * which it usually finds within weeks. */
static bool may_overlap(const struct starts *a, const struct starts *b)
{
    int64_t reach = a->window > b->window ? a->window : b->window;
    if (reach > FILTER_REACH_DAYS * DAY_MINUTES)
        return true;
    int64_t lo = INT64_MAX, hi = -1; /* the days the walk visits */
    int budget = CYCLE_YEARS;
    for (int pass = 0; pass < 2; pass++) {
        int from = pass ? YEAR_FIRST : YEAR_STABLE, to = pass ? YEAR_STABLE - 1 : YEAR_LAST;
        for (int y = from; y <= to && budget > 0; y++) {
            if (!has_year(a->cron, y) || !has_year(b->cron, y))
                continue;
            budget--;
            int64_t first = year_start(y);
            cal_year(a->cal, y, first);
            cal_year(b->cal, y, first);
            if (first < lo)
                lo = first;
            if (first + days_in_year(y) > hi)
                hi = first + days_in_year(y);
        }
    }
    if (hi < 0)
        return false;
    int64_t span = reach / DAY_MINUTES + 1;
    for (int64_t delta = -span; delta <= span; delta++) {
        if (!times_meet(a, b, delta))
            continue;
        for (int64_t base = lo & ~(int64_t)63; base < hi; base += 64)
            if (a->cal->bits[base / 64] & days_from(b->cal, base + delta))
                return true;
    }
    return false;
}

static struct walk walk(const struct starts *a, const struct starts *b, bool whole)
{
    struct walk w = {.gap_ab = INT64_MAX, .gap_ba = INT64_MAX};
    if (!whole && !may_overlap(a, b))
        return w;
    int budget = CYCLE_YEARS;
    walk_years(&w, a, b, YEAR_STABLE, YEAR_LAST, &budget, whole);
    if (!w.overlap || whole)
        walk_years(&w, a, b, YEAR_FIRST, YEAR_STABLE - 1, &budget, whole);
    return w;
}

/* The start window the search uses, or -1 when sema or check_windows
 * rejects it (its error stands alone). */
static int64_t window_of(const struct ir_rule *r)
{
    if (r->start_within.state == IR_ABSENT)
        return AWS_START_WINDOW_DEFAULT;
    if (r->start_within.state != IR_SET || r->start_within.v < AWS_START_WINDOW_MIN ||
        r->start_within.v > AWS_WINDOW_MAX)
        return -1;
    return r->start_within.v;
}

/* "8 hours", "90 minutes" */
static const char *duration_text(struct arena *a, int64_t minutes)
{
    if (minutes % 60 == 0)
        return check_count(a, minutes / 60, "hour", "hours");
    return check_count(a, minutes, "minute", "minutes");
}

/* "8h", "90min": how a program writes it. */
static const char *duration_source(struct arena *a, int64_t minutes)
{
    if (minutes % 60 == 0)
        return arena_printf(a, "%lldh", (long long)(minutes / 60));
    return arena_printf(a, "%lldmin", (long long)minutes);
}

static const char *window_words(struct obc *cc, const struct ir_rule *r, int64_t window)
{
    return arena_printf(&cc->arena, "%s%s", duration_text(&cc->arena, window),
                        r->start_within.state == IR_SET ? "" : ", the AWS default");
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
    return check_days(&cc->arena, r->lc.delete_after.v);
}

/* Whether rule `mover` (index i), started once a day at minute `at` of
 * the day, keeps its window clear of every other compared rule. */
static bool start_is_free(struct plan_rules *pr, size_t i, int at)
{
    const struct ir_rule *mover = pr->rule[i];
    struct cron moved = *mover->cronv;
    moved.hours = 1u << (at / 60);
    moved.minutes = (uint64_t)1 << (at % 60);
    struct starts m, o;
    starts_init(&m, mover, &moved, rule_cal(pr, i), window_of(mover));
    for (size_t k = 0; k < pr->n; k++) {
        const struct ir_rule *r = pr->rule[k];
        if (k == i || !r->cron || window_of(r) < 0)
            continue;
        starts_init(&o, r, r->cronv, rule_cal(pr, k), window_of(r));
        if (walk(&m, &o, false).overlap)
            return false;
    }
    return true;
}

/* The first start, in whole hours after its own, at which rule i (which
 * starts once a day) overlaps no other rule of the plan; -1 when there
 * is none. Computed once per rule. */
static int free_start(struct plan_rules *pr, size_t i)
{
    if (pr->free_done[i])
        return pr->free_at[i];
    const struct cron *c = pr->rule[i]->cronv;
    int own = -1;
    for (int h = 0; h < 24 && own < 0; h++)
        for (int m = 0; m < 60 && own < 0; m++)
            if (((c->hours >> h) & 1u) && ((c->minutes >> m) & 1u))
                own = h * 60 + m;
    int found = -1;
    for (int step = 1; step < 24 && found < 0; step++) {
        int at = (own + step * 60) % DAY_MINUTES;
        if (start_is_free(pr, i, at))
            found = at;
    }
    pr->free_done[i] = true;
    pr->free_at[i] = found;
    return found;
}

/* How to part the two windows: a free start for the rule that starts
 * once a day; else windows no longer than the gaps between the starts;
 * else only that they must part. */
static const char *move_advice(struct plan_rules *pr, size_t ia, const struct starts *a, size_t ib,
                               const struct starts *b)
{
    struct obc *cc = pr->cc;
    size_t im = cron_firings_per_day(b->cron) == 1 ? ib : cron_firings_per_day(a->cron) == 1 ? ia : SIZE_MAX;
    const struct ir_rule *mover = im != SIZE_MAX ? pr->rule[im] : NULL;
    int at = mover ? free_start(pr, im) : -1;
    if (at >= 0)
        return arena_printf(&cc->arena, "start '%s' at %02d:%02d, where its start window meets no other rule's",
                            mover->name, at / 60, at % 60);
    struct walk gaps = walk(a, b, true);
    int64_t wa = gaps.gap_ab, wb = gaps.gap_ba; /* a's window must end before b starts, and back */
    if (wa >= AWS_START_WINDOW_MIN && wb >= AWS_START_WINDOW_MIN) {
        struct strbuf sb = {0};
        sb_puts(&cc->arena, &sb, "shorten the start windows so that each ends before the other rule starts: ");
        if (a->window > wa && wa != INT64_MAX)
            sb_printf(&cc->arena, &sb, "start_within at most %s in '%s'", duration_source(&cc->arena, wa),
                      a->rule->name);
        if (a->window > wa && wa != INT64_MAX && b->window > wb && wb != INT64_MAX)
            sb_puts(&cc->arena, &sb, " and ");
        if (b->window > wb && wb != INT64_MAX)
            sb_printf(&cc->arena, &sb, "start_within at most %s in '%s'", duration_source(&cc->arena, wb),
                      b->rule->name);
        return sb_str(&cc->arena, &sb);
    }
    return "start one of them at another time, or shorten their start windows";
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

static const char *clock(struct obc *cc, int64_t minute)
{
    int64_t m = minute % DAY_MINUTES;
    return arena_printf(&cc->arena, "%02lld:%02lld", (long long)(m / 60), (long long)(m % 60));
}

static void check_pair(struct plan_rules *pr, size_t ia, size_t ib)
{
    struct obc *cc = pr->cc;
    const struct ir_rule *a = pr->rule[ia], *b = pr->rule[ib];
    int64_t wa = window_of(a), wb = window_of(b);
    if (wa < 0 || wb < 0)
        return;
    struct starts starts_a, starts_b, *sa = &starts_a, *sb = &starts_b;
    starts_init(sa, a, a->cronv, rule_cal(pr, ia), wa);
    starts_init(sb, b, b->cronv, rule_cal(pr, ib), wb);
    struct walk w = walk(sa, sb, false);
    if (!w.overlap)
        return;
    const struct starts *first = w.earlier, *second = first == sa ? sb : sa;
    int64_t day = w.first / DAY_MINUTES;
    struct date on = date_of(day);
    const char *when;
    if (w.first == w.second)
        when = arena_printf(&cc->arena, "both start at %s UTC, first on %s %04d-%02d-%02d", clock(cc, w.first),
                            weekday_name(day), on.y, on.m, on.d);
    else
        when = arena_printf(&cc->arena,
                            "have overlapping start windows, first on %s %04d-%02d-%02d: '%s' starts at %s UTC "
                            "with a start window of %s, and '%s' starts %s later",
                            weekday_name(day), on.y, on.m, on.d, first->rule->name, clock(cc, w.first),
                            window_words(cc, first->rule, first->window), second->rule->name,
                            duration_text(&cc->arena, w.second - w.first));
    struct diag *d = diag_emit(cc, OB3020, b->schedule_at.loc,
                               "rules '%s' and '%s' of plan '%s' %s; AWS then runs only the one with the longer "
                               "retention",
                               a->name, b->name, a->plan->d.name, when);
    diag_note(cc, d, a->schedule_at.loc, "rule '%s' is scheduled here", a->name);
    if (first->rule->start_within.state == IR_SET)
        diag_note(cc, d, first->rule->start_within.loc, "the start window of '%s' is set here", first->rule->name);
    diag_help(cc, d, "%s%s", move_advice(pr, ia, sa, ib, sb), drop_advice(cc, a, b));
}

static void check_plan(struct obc *cc, const struct ir_plan *p, struct rule_cal *scratch)
{
    struct plan_rules plan_rules = {.cc = cc, .scratch = scratch}, *pr = &plan_rules;
    pr->n = p->rules.len < RULES_COMPARED ? p->rules.len : RULES_COMPARED;
    for (size_t i = 0; i < pr->n; i++)
        pr->rule[i] = VEC_GET(const struct ir_rule, p->rules, i);
    for (size_t j = 1; j < pr->n; j++) {
        if (!pr->rule[j]->cron)
            continue;
        for (size_t i = 0; i < j; i++)
            if (pr->rule[i]->cron)
                check_pair(pr, i, j);
    }
}

void check_overlap(struct obc *cc, struct ir_program *prog)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        if (p->partial || p->rules.len < 2) /* partial: schedules may be inherited */
            continue;
        if (!cc->overlap_calendars) { /* one set for the whole compilation */
            cc->overlap_calendars = arena_alloc(&cc->arena, RULES_COMPARED * sizeof *cc->overlap_calendars);
            memset(cc->overlap_calendars, 0, RULES_COMPARED * sizeof *cc->overlap_calendars);
        }
        check_plan(cc, p, cc->overlap_calendars);
    }
}
