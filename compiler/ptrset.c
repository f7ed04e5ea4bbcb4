/*
 * ptrset.c - pointer sets: an open-addressing hash table whose keys are a
 * small tag and two pointers, each key with one value. Membership tests
 * inside loops over long lists (regions, resource types and accounts a
 * program declares itself), the checks' one-report-per-root-cause sets
 * and their memos all go through here, so each costs expected constant
 * time. Iteration order never leaks out (callers keep list order in
 * vectors), so output stays deterministic.
 */
#include "base.h"

struct ptrset_slot {
    unsigned tag;
    bool used; /* tells a slot in use from an empty one: b may be NULL */
    const void *a, *b;
    void *value;
};

static size_t slot_hash(unsigned tag, const void *a, const void *b)
{
    uint64_t h = (uint64_t)tag * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)(uintptr_t)a + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h ^= (uint64_t)(uintptr_t)b + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return (size_t)h;
}

/* The slot that holds (tag, a, b), or the empty slot where it belongs. */
static struct ptrset_slot *slot_of(const struct ptrset *s, unsigned tag, const void *a, const void *b)
{
    size_t mask = s->cap - 1;
    for (size_t i = slot_hash(tag, a, b) & mask;; i = (i + 1) & mask) {
        struct ptrset_slot *x = &s->slots[i];
        if (!x->used || (x->tag == tag && x->a == a && x->b == b))
            return x;
    }
}

void **ptrset_put(struct arena *ar, struct ptrset *s, unsigned tag, const void *a, const void *b, bool *added)
{
    if ((s->count + 1) * 2 > s->cap) {
        struct ptrset old = *s;
        s->cap = old.cap ? old.cap * 2 : 16;
        s->slots = arena_alloc(ar, s->cap * sizeof *s->slots);
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i].used)
                *slot_of(s, old.slots[i].tag, old.slots[i].a, old.slots[i].b) = old.slots[i];
    }
    struct ptrset_slot *x = slot_of(s, tag, a, b);
    *added = !x->used;
    if (!x->used) {
        *x = (struct ptrset_slot){.tag = tag, .used = true, .a = a, .b = b};
        s->count++;
    }
    return &x->value;
}

void *ptrset_get(const struct ptrset *s, unsigned tag, const void *a, const void *b)
{
    if (!s->cap)
        return NULL;
    struct ptrset_slot *x = slot_of(s, tag, a, b);
    return x->used ? x->value : NULL;
}

bool ptrset_add_key(struct arena *ar, struct ptrset *s, unsigned tag, const void *a, const void *b)
{
    bool added;
    ptrset_put(ar, s, tag, a, b, &added);
    return added;
}

void *ptrset_memo(struct arena *ar, struct ptrset *s, unsigned tag, const void *a, const void *b, size_t size,
                  bool *fresh)
{
    void **slot = ptrset_put(ar, s, tag, a, b, fresh);
    if (*fresh)
        *slot = arena_alloc(ar, size);
    return *slot;
}

bool ptrset_has(const struct ptrset *s, const void *p)
{
    return s->cap && slot_of(s, 0, p, NULL)->used;
}

bool ptrset_add(struct arena *ar, struct ptrset *s, const void *p)
{
    return ptrset_add_key(ar, s, 0, p, NULL);
}

void ptrset_add_all(struct arena *ar, struct ptrset *s, const struct vec *v)
{
    for (size_t i = 0; i < v->len; i++)
        ptrset_add(ar, s, v->items[i]);
}

void vec_push_new(struct arena *ar, struct vec *v, struct ptrset *seen, void *item)
{
    if (ptrset_add(ar, seen, item))
        vec_push(ar, v, item);
}

void vec_missing(struct arena *ar, const struct vec *of, const struct vec *in, struct vec *out)
{
    struct ptrset skip = {0};
    ptrset_add_all(ar, &skip, in);
    for (size_t i = 0; i < of->len; i++)
        vec_push_new(ar, out, &skip, of->items[i]);
}
