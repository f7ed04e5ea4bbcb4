/*
 * fmt_diff.c - a unified diff of two texts (`obc fmt --diff`), line by
 * line, with three lines of context.
 *
 * Owns: fmt_unified_diff. The edit script is Myers' O(ND) algorithm on
 * what is left once the common first and last lines are set aside; when
 * the two middles differ in more than DIFF_MAX_EDITS lines (its memory
 * grows with the square of that) the middle is shown as one replaced
 * block instead: still a correct diff, just not the shortest. Lines are
 * printed as they are, but for characters unsafe in a terminal.
 */
#include "fmt.h"

#include <string.h>

enum { DIFF_CONTEXT = 3, DIFF_MAX_EDITS = 2000 };

struct diff_line {
    const char *s;
    size_t len; /* without the '\n' */
    bool newline; /* ends in '\n' */
};

static size_t split_lines(struct arena *ar, const char *t, size_t n, struct diff_line **out)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += t[i] == '\n';
    if (n > 0 && t[n - 1] != '\n')
        count++;
    struct diff_line *l = arena_alloc(ar, (count ? count : 1) * sizeof *l);
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n && k < count; i++) {
        if (i == n || t[i] == '\n') {
            l[k].s = t + start;
            l[k].len = i - start;
            l[k].newline = i < n;
            k++;
            start = i + 1;
        }
    }
    *out = l;
    return count;
}

static bool same(const struct diff_line *a, const struct diff_line *b)
{
    return a->len == b->len && a->newline == b->newline && memcmp(a->s, b->s, a->len) == 0;
}

/* The edit script of a[0..n) to b[0..m): ops[k] is '=', '-' or '+'. */
static size_t myers(struct arena *ar, const struct diff_line *a, size_t n, const struct diff_line *b, size_t m,
                    char *ops)
{
    long N = (long)n, M = (long)m, max = N + M;
    long limit = max < DIFF_MAX_EDITS ? max : DIFF_MAX_EDITS;
    long off = limit + 1;
    long *v = arena_alloc(ar, (size_t)(2 * limit + 3) * sizeof *v);
    long **trace = arena_alloc(ar, (size_t)(limit + 1) * sizeof *trace);
    long d, found = -1;
    for (d = 0; d <= limit && found < 0; d++) {
        trace[d] = arena_alloc(ar, (size_t)(2 * d + 1) * sizeof **trace);
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
            long y = x - k;
            while (x < N && y < M && same(&a[x], &b[y]))
                x++, y++;
            v[off + k] = x;
            trace[d][k + d] = x;
            if (x >= N && y >= M) {
                found = d;
                break;
            }
        }
    }
    size_t len = 0;
    if (found < 0) { /* too far apart: everything removed, then everything added */
        for (size_t i = 0; i < n; i++)
            ops[len++] = '-';
        for (size_t i = 0; i < m; i++)
            ops[len++] = '+';
        return len;
    }
    /* walk back from (N, M), writing the script from its end */
    size_t total = (size_t)found + (size_t)(N + M - found) / 2; /* edits + equal lines */
    (void)total;
    char *rev = arena_alloc(ar, (size_t)(N + M + 1));
    size_t r = 0;
    long x = N, y = M;
    for (d = found; d > 0; d--) {
        long k = x - y;
        long *pv = trace[d - 1];
        bool down = k == -d || (k != d && pv[k - 1 + (d - 1)] < pv[k + 1 + (d - 1)]);
        long pk = down ? k + 1 : k - 1;
        long px = pv[pk + (d - 1)], py = px - pk;
        long sx = down ? px : px + 1; /* where the snake of step d starts */
        while (x > sx)
            rev[r++] = '=', x--, y--;
        rev[r++] = down ? '+' : '-';
        x = px;
        y = py;
    }
    while (x > 0)
        rev[r++] = '=', x--;
    while (r > 0)
        ops[len++] = rev[--r];
    return len;
}

/* A line of the diff: its text as it is, but for what is unsafe to
 * print (a bidirectional control in a comment, which the scanner only
 * warns about), escaped as text_safe does; tabs stay tabs. */
static void put_line(struct arena *ar, struct strbuf *out, char mark, const struct diff_line *l)
{
    sb_putn(ar, out, &mark, 1);
    size_t i = 0;
    while (i <= l->len) {
        size_t j = i;
        while (j < l->len && l->s[j] != '\t')
            j++;
        char *piece = arena_strndup(ar, l->s + i, j - i);
        sb_puts(ar, out, text_safe(ar, piece));
        if (j < l->len)
            sb_putn(ar, out, "\t", 1);
        i = j + 1;
    }
    sb_putn(ar, out, "\n", 1);
    if (!l->newline)
        sb_puts(ar, out, "\\ No newline at end of file\n");
}

void fmt_unified_diff(struct arena *ar, const char *a, size_t alen, const char *b, size_t blen,
                      const char *a_name, const char *b_name, struct strbuf *out)
{
    if (alen == blen && memcmp(a, b, alen) == 0)
        return;
    struct diff_line *la, *lb;
    size_t n = split_lines(ar, a, alen, &la), m = split_lines(ar, b, blen, &lb);
    size_t pre = 0, suf = 0;
    while (pre < n && pre < m && same(&la[pre], &lb[pre]))
        pre++;
    while (suf < n - pre && suf < m - pre && same(&la[n - 1 - suf], &lb[m - 1 - suf]))
        suf++;
    char *ops = arena_alloc(ar, n + m + 1);
    size_t nops = 0;
    for (size_t i = 0; i < pre; i++)
        ops[nops++] = '=';
    nops += myers(ar, la + pre, n - pre - suf, lb + pre, m - pre - suf, ops + nops);
    for (size_t i = 0; i < suf; i++)
        ops[nops++] = '=';

    sb_printf(ar, out, "--- %s\n+++ %s\n", a_name, b_name);
    /* line numbers (0-based) in a and b before each op */
    size_t *ai = arena_alloc(ar, (nops + 1) * sizeof *ai), *bi = arena_alloc(ar, (nops + 1) * sizeof *bi);
    for (size_t k = 0; k < nops; k++) {
        ai[k + 1] = ai[k] + (ops[k] != '+');
        bi[k + 1] = bi[k] + (ops[k] != '-');
    }
    size_t k = 0;
    while (k < nops) {
        while (k < nops && ops[k] == '=')
            k++;
        if (k == nops)
            break;
        size_t start = k >= DIFF_CONTEXT ? k - DIFF_CONTEXT : 0, end = k;
        /* extend over changes closer than two contexts apart */
        for (;;) {
            while (end < nops && ops[end] != '=')
                end++;
            size_t eq = end;
            while (eq < nops && ops[eq] == '=')
                eq++;
            if (eq < nops && eq - end <= 2 * DIFF_CONTEXT) {
                end = eq;
                continue;
            }
            end = end + DIFF_CONTEXT < nops ? end + DIFF_CONTEXT : nops;
            if (end > eq)
                end = eq;
            break;
        }
        size_t acount = ai[end] - ai[start], bcount = bi[end] - bi[start];
        sb_printf(ar, out, "@@ -%zu,%zu +%zu,%zu @@\n", acount ? ai[start] + 1 : ai[start], acount,
                  bcount ? bi[start] + 1 : bi[start], bcount);
        for (size_t j = start; j < end; j++) {
            if (ops[j] == '+')
                put_line(ar, out, '+', &lb[bi[j]]);
            else
                put_line(ar, out, ops[j] == '-' ? '-' : ' ', &la[ai[j]]);
        }
        k = end;
    }
}
