/*
 * suggest.c - "did you mean": the closest known name to a misspelt one,
 * by optimal-string-alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), case-insensitive.
 *
 * A candidate is close when its distance is at most a quarter of the
 * longer name's length (at least 1, at most 3); case and '-' versus '_'
 * do not count as differences.
 */
#include "obc.h"

#include <ctype.h>
#include <string.h>

#define MAX_LEN 64

static char fold(char c)
{
    c = (char)tolower((unsigned char)c);
    return c == '-' ? '_' : c;
}

size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > MAX_LEN || m > MAX_LEN)
        return SIZE_MAX;
    size_t d[MAX_LEN + 1][MAX_LEN + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]) &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

const char *suggest_name(const char *name, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    size_t len = strlen(name);
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates[i];
        if (!c || strcmp(c, name) == 0)
            continue;
        size_t d = edit_distance(name, c);
        size_t longest = len > strlen(c) ? len : strlen(c);
        size_t limit = longest / 4 < 1 ? 1 : longest / 4 > 3 ? 3 : longest / 4;
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
