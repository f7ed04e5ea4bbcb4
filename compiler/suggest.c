/*
 * suggest.c - "did you mean": the closest known name to a misspelt one,
 * by optimal-string-alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), case-insensitive.
 *
 * A candidate is close when its distance is at most a quarter of the
 * longer name's length (at least 1, at most 3); case and '-' versus '_'
 * do not count as differences.
 */
#include "base.h"

#include <string.h>

#define MAX_LEN 64

/* ASCII only, as tolower() in the C locale obc runs in; inline because
 * a "did you mean" search folds every character of every candidate. */
static char fold(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c == '-' ? '_' : c;
}

/* The distance between a[0..n) and b[0..m) (both folded), or SIZE_MAX as
 * soon as it is sure to exceed `cutoff`: once two consecutive rows are
 * above it everywhere, so is every later cell. */
static size_t osa_distance(const char *a, size_t n, const char *b, size_t m, size_t cutoff)
{
    size_t d[MAX_LEN + 1][MAX_LEN + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t row_min = d[i][0];
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
            if (best < row_min)
                row_min = best;
        }
        /* a transposition reaches back two rows, so both must be over */
        if (row_min > cutoff && i > 1) {
            size_t prev_min = d[i - 1][0];
            for (size_t j = 1; j <= m; j++)
                if (d[i - 1][j] < prev_min)
                    prev_min = d[i - 1][j];
            if (prev_min > cutoff)
                return SIZE_MAX;
        }
    }
    return d[n][m];
}

/* s folded into buf (MAX_LEN + 1 bytes); false when s is longer. */
static bool fold_into(char *buf, const char *s, size_t *len)
{
    size_t n = strlen(s);
    if (n > MAX_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        buf[i] = fold(s[i]);
    *len = n;
    return true;
}

/* A lower bound of the distance, cheap enough to rule most candidates
 * out: each edit changes the multiset of characters by at most one
 * (a transposition not at all). `counts` holds the characters of the
 * name, `len` of them, and is left as it was. */
static size_t bag_distance(int counts[256], size_t len, const char *c, size_t clen)
{
    size_t extra = 0; /* characters of c that the name lacks */
    for (size_t j = 0; j < clen; j++)
        if (counts[(unsigned char)fold(c[j])]-- <= 0)
            extra++;
    for (size_t j = 0; j < clen; j++)
        counts[(unsigned char)fold(c[j])]++;
    size_t missing = len - (clen - extra); /* characters of the name that c lacks */
    return extra > missing ? extra : missing;
}

const char *suggest_name(const char *name, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    char fname[MAX_LEN + 1], fc[MAX_LEN + 1];
    size_t len, clen;
    if (!fold_into(fname, name, &len))
        return NULL;
    int counts[256] = {0};
    for (size_t i = 0; i < len; i++)
        counts[(unsigned char)fname[i]]++;
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates[i];
        if (!c || (clen = strlen(c)) > MAX_LEN || strcmp(c, name) == 0)
            continue;
        size_t longest = len > clen ? len : clen;
        size_t limit = longest / 4 < 1 ? 1 : longest / 4 > 3 ? 3 : longest / 4;
        if (bag_distance(counts, len, c, clen) > limit || !fold_into(fc, c, &clen))
            continue;
        size_t d = osa_distance(fname, len, fc, clen, limit);
        if (d <= limit && d < best_d) { /* first of equals wins: deterministic */
            best = c;
            best_d = d;
        }
    }
    return best;
}

const char *suggest_from_vec(const char *name, const struct vec *candidates)
{
    return suggest_name(name, (const char *const *)candidates->items, candidates->len);
}
