/*
 * test_arena.c - the compilation arena (compiler/arena.c): alignment and
 * zeroing, growth past one chunk, big blocks, the string functions,
 * vec_push, struct strbuf, the out-of-memory jump (for sizes arena.c
 * refuses and for a malloc that fails), the abort without a jump target,
 * arena_printf when vsnprintf fails, and arena_mark / arena_release.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include <cmocka.h>

#include "base.h"

#define CHUNK (64u * 1024u) /* arena.c's smallest chunk */

/* Under AddressSanitizer a malloc too large to serve returns NULL, as
 * glibc's does, instead of stopping the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static int arena_setup(void **state)
{
    struct arena *a = malloc(sizeof *a);
    if (!a)
        return -1;
    arena_init(a);
    *state = a;
    return 0;
}

static int arena_teardown(void **state)
{
    struct arena *a = *state;
    arena_free(a);
    free(a);
    return 0;
}

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static void test_alignment_and_zeroing(void **state)
{
    struct arena *a = *state;
    static const size_t sizes[] = {1, 3, 8, 17, 0, 100, 2};
    unsigned char *prev = NULL;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = arena_alloc(a, sizes[i]);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        assert_true(all_zero(p, sizes[i]));
        if (prev)
            assert_true(p != prev); /* even a zero-byte request gets its own address */
        memset(p, 0xAB, sizes[i]);
        prev = p;
    }
}

static void test_growth_keeps_earlier_blocks(void **state)
{
    struct arena *a = *state;
    enum { N = 5000, SIZE = 40 }; /* 200 KB: several chunks */
    unsigned char *blocks[N];
    for (int i = 0; i < N; i++) {
        blocks[i] = arena_alloc(a, SIZE);
        memset(blocks[i], i & 0xFF, SIZE);
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < SIZE; j++)
            assert_int_equal(blocks[i][j], i & 0xFF);
    assert_true(a->total >= (size_t)N * SIZE);
    assert_true(a->total < (size_t)N * SIZE + 2 * CHUNK);
}

static void test_big_block_does_not_waste_current_chunk(void **state)
{
    struct arena *a = *state;
    unsigned char *small = arena_alloc(a, 16);
    assert_int_equal(a->total, CHUNK);
    size_t big_size = 1u << 20;
    unsigned char *big = arena_alloc(a, big_size);
    assert_true(all_zero(big, big_size));
    memset(big, 1, big_size);
    assert_int_equal(a->total, CHUNK + big_size);
    /* later small blocks still come from the first chunk */
    unsigned char *small2 = arena_alloc(a, 16);
    assert_int_equal(a->total, CHUNK + big_size);
    assert_int_equal(small2 - small, 16);
}

static void test_strndup_and_strdup(void **state)
{
    struct arena *a = *state;
    char *s = arena_strndup(a, "abcdef", 3);
    assert_string_equal(s, "abc");
    assert_string_equal(arena_strndup(a, "xyz", 0), "");
    /* embedded NUL bytes are copied, the copy is NUL-terminated */
    char *t = arena_strndup(a, "a\0b", 3);
    assert_memory_equal(t, "a\0b\0", 4);
    const char *orig = "hello";
    char *u = arena_strdup(a, orig);
    assert_string_equal(u, "hello");
    assert_ptr_not_equal(u, orig);
}

static void test_printf(void **state)
{
    struct arena *a = *state;
    assert_string_equal(arena_printf(a, "%d-%s-%c", 42, "x", 'y'), "42-x-y");
    assert_string_equal(arena_printf(a, "%s", ""), "");
    char *long_text = arena_printf(a, "%5000d|", 7);
    assert_int_equal(strlen(long_text), 5001);
    assert_string_equal(long_text + 4999, "7|");
}

static void test_grow_copies(void **state)
{
    struct arena *a = *state;
    char *p = arena_alloc(a, 4);
    memcpy(p, "abcd", 4);
    char *q = arena_grow(a, p, 4, 100);
    assert_memory_equal(q, "abcd", 4);
    assert_true(all_zero((unsigned char *)q + 4, 96));
    assert_ptr_equal(arena_grow(a, q, 100, 50), q); /* shrinking keeps the block */
}

static void test_vec_push_keeps_order(void **state)
{
    struct arena *a = *state;
    struct vec v = {0};
    static int values[1000];
    for (int i = 0; i < 1000; i++) {
        values[i] = i;
        vec_push(a, &v, &values[i]);
    }
    assert_int_equal(v.len, 1000);
    assert_true(v.cap >= 1000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(*VEC_GET(int, v, i), i);
}

static void test_strbuf(void **state)
{
    struct arena *a = *state;
    struct strbuf b = {0};
    assert_string_equal(sb_str(a, &b), ""); /* empty, never NULL */
    sb_puts(a, &b, "ab");
    sb_putn(a, &b, "cdef", 2);
    sb_printf(a, &b, "[%d]", 12);
    assert_string_equal(sb_str(a, &b), "abcd[12]");
    assert_int_equal(b.len, 8);
    for (int i = 0; i < 100; i++)
        sb_puts(a, &b, "0123456789");
    assert_int_equal(b.len, 1008);
    assert_int_equal(strlen(sb_str(a, &b)), 1008);
    assert_memory_equal(sb_str(a, &b) + 998, "0123456789", 10);
}

static void test_impossible_size_jumps_to_oom(void **state)
{
    struct arena *a = *state;
    jmp_buf oom;
    volatile int jumped = 0;
    a->oom = &oom;
    /* so large that arena.c refuses it before asking malloc */
    if (setjmp(oom) == 0)
        arena_alloc(a, SIZE_MAX - 20);
    else
        jumped = 1;
    a->oom = NULL;
    assert_int_equal(jumped, 1);
    /* the arena is still usable and can be freed */
    assert_non_null(arena_alloc(a, 8));
}

/* Jumps to a->oom from arena_alloc(a, n); true when it did. */
static bool alloc_jumps(struct arena *a, size_t n)
{
    jmp_buf oom;
    volatile bool jumped = false;
    a->oom = &oom;
    if (setjmp(oom) == 0)
        arena_alloc(a, n);
    else
        jumped = true;
    a->oom = NULL;
    return jumped;
}

static void test_failed_allocations_jump_to_oom(void **state)
{
    struct arena *a = *state;
    assert_true(alloc_jumps(a, SIZE_MAX));                /* aligning it up would wrap */
    assert_true(alloc_jumps(a, (size_t)1 << 62));         /* malloc says no */
    assert_false(alloc_jumps(a, 100));
    assert_non_null(arena_alloc(a, 8));
}

static void test_out_of_memory_without_jump_target_aborts(void **state)
{
    struct arena *a = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        arena_fail(a); /* a->oom is NULL */
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

/* arena_release frees what came after the mark, chunks and big blocks
 * included, and hands the same space out again; what came before stays. */
static void test_mark_and_release(void **state)
{
    struct arena *a = *state;
    char *before = arena_printf(a, "kept %d", 1);
    size_t total = a->total;
    struct arena_mark m = arena_mark(a);
    char *first = arena_alloc(a, 100);
    memset(first, 'x', 100);
    for (int i = 0; i < 50; i++)
        arena_alloc(a, CHUNK / 4); /* new chunks */
    arena_alloc(a, 4 * CHUNK);      /* a big block, behind the head */
    char *printed = arena_printf(a, "%0*d", 3000, 7);
    assert_int_equal(strlen(printed), 3000);
    assert_true(a->total > total);
    arena_release(a, m);
    assert_int_equal(a->total, total);
    assert_string_equal(before, "kept 1");
    char *again = arena_alloc(a, 100);
    assert_ptr_equal(again, first);
    for (int i = 0; i < 100; i++)
        assert_int_equal(again[i], 0); /* zeroed again */
    arena_release(a, arena_mark(a)); /* nothing since: nothing changes */
    assert_int_equal(a->total, total);
}

static void test_printf_error_gives_empty_string(void **state)
{
    struct arena *a = *state;
    /* a surrogate is no character in any locale: vsnprintf fails */
    assert_string_equal(arena_printf(a, "x%lcy", (wint_t)0xD800), "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, arena_setup, arena_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_alignment_and_zeroing),
        T(test_growth_keeps_earlier_blocks),
        T(test_big_block_does_not_waste_current_chunk),
        T(test_strndup_and_strdup),
        T(test_printf),
        T(test_mark_and_release),
        T(test_grow_copies),
        T(test_vec_push_keeps_order),
        T(test_strbuf),
        T(test_impossible_size_jumps_to_oom),
        T(test_failed_allocations_jump_to_oom),
        T(test_out_of_memory_without_jump_target_aborts),
        T(test_printf_error_gives_empty_string),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
