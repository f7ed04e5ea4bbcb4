/*
 * symtab.c - the program's global namespace: an open-addressing hash
 * table from name to declaration. Iteration order never leaks out of
 * here (callers keep declaration order in vectors), so output stays
 * deterministic.
 */
#include "obc.h"

#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

struct ir_decl *sym_lookup(const struct symtab *t, const char *name)
{
    if (!t->cap)
        return NULL;
    size_t mask = t->cap - 1;
    for (size_t i = hash(name) & mask;; i = (i + 1) & mask) {
        struct ir_decl *d = t->slots[i];
        if (!d)
            return NULL;
        if (strcmp(d->name, name) == 0)
            return d;
    }
}

static void place(struct ir_decl **slots, size_t cap, struct ir_decl *d)
{
    size_t mask = cap - 1;
    size_t i = hash(d->name) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = d;
}

void sym_insert(struct arena *a, struct symtab *t, struct ir_decl *d)
{
    if ((t->count + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        struct ir_decl **slots = arena_alloc(a, cap * sizeof *slots);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i])
                place(slots, cap, t->slots[i]);
        t->slots = slots;
        t->cap = cap;
    }
    place(t->slots, t->cap, d);
    t->count++;
}
