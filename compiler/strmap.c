/*
 * strmap.c - string maps: an open-addressing hash table from a string to
 * a value, which keeps lookups and duplicate checks over long lists
 * linear. Iteration order never leaks out of here (callers keep
 * declaration or list order in vectors), so output stays deterministic.
 */
#include "base.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* FNV-1a, over the bytes in ASCII lower case when `fold`. */
static uint64_t hash_text(const char *s, bool fold)
{
    uint64_t h = 1469598103934665603ull;
    if (fold) { /* ASCII only, as tolower in the C locale obc runs in */
        for (; *s; s++) {
            unsigned char c = (unsigned char)*s;
            h ^= c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
            h *= 1099511628211ull;
        }
        return h;
    }
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* ---- string maps ----------------------------------------------------- */

static bool same_key(const struct strmap *m, const char *a, const char *b)
{
    return m->fold ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* The slot that holds `key`, or the empty slot where it belongs. */
static size_t strmap_slot(const struct strmap *m, const char *key)
{
    size_t mask = m->cap - 1;
    size_t i = hash_text(key, m->fold) & mask;
    while (m->keys[i] && !same_key(m, m->keys[i], key))
        i = (i + 1) & mask;
    return i;
}

void *strmap_get(const struct strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = strmap_slot(m, key);
    return m->keys[i] ? m->values[i] : NULL;
}

static void strmap_grow(struct arena *a, struct strmap *m)
{
    struct strmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 16;
    m->keys = arena_alloc(a, m->cap * sizeof *m->keys);
    m->values = arena_alloc(a, m->cap * sizeof *m->values);
    for (size_t i = 0; i < old.cap; i++) {
        if (!old.keys[i])
            continue;
        size_t j = strmap_slot(m, old.keys[i]);
        m->keys[j] = old.keys[i];
        m->values[j] = old.values[i];
    }
}

void *strmap_put_new(struct arena *a, struct strmap *m, const char *key, void *value)
{
    if ((m->count + 1) * 2 > m->cap)
        strmap_grow(a, m);
    size_t i = strmap_slot(m, key);
    if (m->keys[i])
        return m->values[i];
    m->keys[i] = key;
    m->values[i] = value;
    m->count++;
    return NULL;
}
