/*
 * arena.c - the compilation's memory: a bump allocator over malloc'd
 * chunks, freed all at once, plus pointer vectors and string builders
 * that grow inside it.
 *
 * Owns: every allocation of one compilation. Does not own: output
 * buffers handed to the caller (json_print uses malloc).
 * When malloc fails and a.oom is set, control longjmps there; the
 * driver turns that into a clean "out of memory" error.
 */
#include "base.h"

#include <stdlib.h>
#include <ctype.h>
#include <string.h>

struct arena_chunk {
    struct arena_chunk *next;
    size_t seq;  /* 1 for the first chunk of the arena, then 2, ... */
    size_t size; /* usable bytes in data */
    size_t used;
    _Alignas(max_align_t) unsigned char data[];
};

#define CHUNK_MIN (64u * 1024u)
#define ALIGN_UP(n) (((n) + _Alignof(max_align_t) - 1) & ~(size_t)(_Alignof(max_align_t) - 1))

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->total = 0;
    a->chunks_made = 0;
    a->oom = NULL;
}

void arena_free(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

_Noreturn void arena_fail(struct arena *a)
{
    if (a->oom)
        longjmp(*a->oom, 1);
    abort(); /* no recovery point: cannot continue safely */
}

void *arena_alloc(struct arena *a, size_t n)
{
    if (n > SIZE_MAX - _Alignof(max_align_t))
        arena_fail(a); /* rounding up would wrap */
    n = ALIGN_UP(n ? n : 1);
    struct arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
        if (size > SIZE_MAX - sizeof *c)
            arena_fail(a);
        c = malloc(sizeof *c + size);
        if (!c)
            arena_fail(a);
        c->size = size;
        c->used = 0;
        c->seq = ++a->chunks_made;
        /* A big one-off block goes behind the current chunk so the
         * current chunk keeps serving small requests. */
        if (a->head && size == n && a->head->size - a->head->used > 256) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
        a->total += size;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

struct arena_mark arena_mark(const struct arena *a)
{
    return (struct arena_mark){a->head, a->head ? a->head->used : 0, a->chunks_made};
}

/* Frees the chunks made after the mark (a big block may sit behind the
 * head, so chunks are told by number, not by place) and gives the head
 * of then back the bytes it had free. */
void arena_release(struct arena *a, struct arena_mark m)
{
    struct arena_chunk **link = &a->head;
    bool past_head = false; /* behind the head of then, only big blocks may be newer */
    while (*link) {
        struct arena_chunk *c = *link;
        if (c->seq > m.chunks_made) {
            *link = c->next;
            a->total -= c->size;
            free(c);
        } else if (past_head)
            break;
        else {
            past_head = c == m.head;
            link = &c->next;
        }
    }
    if (m.head)
        m.head->used = m.used;
}

void *arena_grow(struct arena *a, void *old, size_t oldn, size_t newn)
{
    if (newn <= oldn)
        return old;
    void *p = arena_alloc(a, newn);
    if (old && oldn)
        memcpy(p, old, oldn);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_strdup_lower(struct arena *a, const char *s)
{
    char *out = arena_strdup(a, s);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

/* Formats once, straight into the newest chunk's free space; only text
 * that does not fit there is formatted again into a block of its size. */
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    struct arena_chunk *c = a->head;
    size_t room = c ? c->size - c->used : 0;
    char *at = c ? (char *)c->data + c->used : NULL;
    int n = vsnprintf(at, room, fmt, ap2);
    va_end(ap2);
    if (n >= 0 && (size_t)n < room) { /* it fit: claim it (room is a multiple of the alignment) */
        c->used += ALIGN_UP((size_t)n + 1);
        return at;
    }
    if (n < 0)
        return arena_strdup(a, "");
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void vec_push(struct arena *a, struct vec *v, void *item)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        v->items = arena_grow(a, v->items, v->cap * sizeof *v->items, cap * sizeof *v->items);
        v->cap = cap;
    }
    v->items[v->len++] = item;
}

void sb_putn(struct arena *a, struct strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = arena_grow(a, b->s, b->cap, cap);
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_puts(struct arena *a, struct strbuf *b, const char *s)
{
    sb_putn(a, b, s, strlen(s));
}

void sb_printf(struct arena *a, struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(a, fmt, ap);
    va_end(ap);
    sb_puts(a, b, s);
}

const char *sb_str(struct arena *a, struct strbuf *b)
{
    if (!b->s)
        return arena_strdup(a, "");
    return b->s;
}

const char *arena_thousands(struct arena *a, size_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%zu", n);
    struct strbuf b = {0};
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            sb_puts(a, &b, ",");
        sb_putn(a, &b, digits + i, 1);
    }
    return sb_str(a, &b);
}
