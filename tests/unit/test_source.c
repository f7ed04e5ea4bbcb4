/*
 * test_source.c - source files (compiler/source.c): the line map for LF,
 * CRLF, lone CR, a missing final newline and the empty file; src_pos at
 * line starts and ends; src_line; file ids; utf8_decode; reading files
 * and streams within the size limit; UTF-16 columns and their inverse.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base.h"

static int obc_setup(void **state)
{
    struct obc *cc = malloc(sizeof *cc);
    if (!cc)
        return -1;
    obc_init(cc, NULL);
    *state = cc;
    return 0;
}

static int obc_teardown(void **state)
{
    struct obc *cc = *state;
    obc_free(cc);
    free(cc);
    return 0;
}

static struct src_file *add(void **state, const char *text)
{
    struct obc *cc = *state;
    return src_add(cc, "t.ob", "", "t.ob", text, strlen(text));
}

static void expect_pos(struct src_file *f, uint32_t offset, uint32_t line, uint32_t col)
{
    struct src_pos p = src_pos(f, offset);
    if (p.line != line || p.col != col)
        fail_msg("offset %u: got %u:%u, expected %u:%u", offset, p.line, p.col, line, col);
}

static void expect_line(struct src_file *f, uint32_t line, const char *want)
{
    size_t len = 99;
    const char *s = src_line(f, line, &len);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(s, want, len);
}

static void expect_starts(struct src_file *f, const uint32_t *want, size_t n)
{
    assert_null(f->line_starts); /* made when a position is first asked for */
    src_line_map(f);
    assert_int_equal(f->nlines, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(f->line_starts[i], want[i]);
}

/* ---- the line map ---------------------------------------------------------- */

static void test_lf(void **state)
{
    struct src_file *f = add(state, "ab\ncd\n");
    static const uint32_t starts[] = {0, 3, 6};
    expect_starts(f, starts, 3);
    expect_pos(f, 0, 1, 1);
    expect_pos(f, 2, 1, 3); /* the newline belongs to its line */
    expect_pos(f, 3, 2, 1);
    expect_pos(f, 5, 2, 3);
    expect_pos(f, 6, 3, 1); /* end of file, after the final newline */
    expect_line(f, 1, "ab");
    expect_line(f, 2, "cd");
    expect_line(f, 3, "");
}

static void test_crlf(void **state)
{
    struct src_file *f = add(state, "ab\r\ncd\r\n");
    static const uint32_t starts[] = {0, 4, 8};
    expect_starts(f, starts, 3);
    expect_pos(f, 2, 1, 3); /* \r */
    expect_pos(f, 3, 1, 4); /* \n: same line, not a line of its own */
    expect_pos(f, 4, 2, 1);
    expect_line(f, 1, "ab");
    expect_line(f, 2, "cd");
}

static void test_lone_cr(void **state)
{
    struct src_file *f = add(state, "a\rb\rc");
    static const uint32_t starts[] = {0, 2, 4};
    expect_starts(f, starts, 3);
    expect_pos(f, 2, 2, 1);
    expect_pos(f, 4, 3, 1);
    expect_line(f, 2, "b");
    expect_line(f, 3, "c");
}

static void test_mixed_line_ends(void **state)
{
    /* LF, CRLF, CR, and a blank CR-terminated line */
    struct src_file *f = add(state, "a\nb\r\nc\r\rd");
    static const uint32_t starts[] = {0, 2, 5, 7, 8};
    expect_starts(f, starts, 5);
    expect_line(f, 3, "c");
    expect_line(f, 4, "");
    expect_line(f, 5, "d");
    expect_pos(f, 8, 5, 1);
}

static void test_no_final_newline(void **state)
{
    struct src_file *f = add(state, "abc\ndef");
    static const uint32_t starts[] = {0, 4};
    expect_starts(f, starts, 2);
    expect_pos(f, 6, 2, 3);
    expect_pos(f, 7, 2, 4); /* end of file */
    expect_line(f, 2, "def");
}

static void test_empty_file(void **state)
{
    struct src_file *f = add(state, "");
    static const uint32_t starts[] = {0};
    expect_starts(f, starts, 1);
    expect_pos(f, 0, 1, 1);
    expect_line(f, 1, "");
}

static void test_line_out_of_range(void **state)
{
    struct src_file *f = add(state, "a\nb\n");
    expect_line(f, 0, "");
    expect_line(f, 4, "");
}

static void test_columns_count_bytes(void **state)
{
    /* a tab is one column, a two-byte character two */
    struct src_file *f = add(state, "\t\xc3\xa9x\n");
    expect_pos(f, 1, 1, 2);
    expect_pos(f, 3, 1, 4);
}

static void test_many_lines(void **state)
{
    struct obc *cc = *state;
    enum { N = 10000 };
    char *text = arena_alloc(&cc->arena, N * 3 + 1);
    for (int i = 0; i < N; i++)
        memcpy(text + i * 3, "xy\n", 3);
    struct src_file *f = src_add(cc, "big.ob", "", "big.ob", text, N * 3);
    src_line_map(f);
    assert_int_equal(f->nlines, N + 1);
    expect_pos(f, 0, 1, 1);
    expect_pos(f, 3 * 4999 + 1, 5000, 2);
    expect_pos(f, 3 * (N - 1) + 2, N, 3);
    expect_pos(f, 3 * N, N + 1, 1);
}

/* ---- files of a compilation ------------------------------------------------- */

static void test_ids_and_lookup(void **state)
{
    struct obc *cc = *state;
    struct src_file *a = src_add(cc, "a.ob", "dir", "/k/a.ob", "x", 1);
    struct src_file *b = src_add(cc, "b.ob", NULL, NULL, "y", 1);
    assert_int_equal(a->id, 1);
    assert_int_equal(b->id, 2);
    assert_ptr_equal(src_get(cc, 1), a);
    assert_ptr_equal(src_get(cc, 2), b);
    assert_null(src_get(cc, 0));
    assert_null(src_get(cc, 3));
    assert_string_equal(a->dir, "dir");
    assert_string_equal(a->key, "/k/a.ob");
    assert_string_equal(b->dir, "");  /* defaults */
    assert_string_equal(b->key, "b.ob");
}

static void test_loc_span(void **state)
{
    (void)state;
    struct loc a = {1, 5, 9}, b = {1, 12, 20}, other = {2, 0, 3};
    struct loc s = loc_span(a, b);
    assert_int_equal(s.file, 1);
    assert_int_equal(s.start, 5);
    assert_int_equal(s.end, 20);
    s = loc_span(b, a); /* order does not matter */
    assert_int_equal(s.start, 5);
    assert_int_equal(s.end, 20);
    s = loc_span(a, other); /* another file: the first range */
    assert_int_equal(s.file, 1);
    assert_int_equal(s.end, 9);
    s = loc_span(LOC_NONE, b);
    assert_int_equal(s.start, 12);
}

/* ---- UTF-8 ------------------------------------------------------------------- */

static void test_utf8_decode(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n, len;
        uint32_t cp;
    } cases[] = {
        {"A", 1, 1, 0x41},
        {"\xc3\xa9", 2, 2, 0xE9},
        {"\xe2\x82\xac", 3, 3, 0x20AC},
        {"\xf0\x9f\x98\x80", 4, 4, 0x1F600},
        {"\xf4\x8f\xbf\xbf", 4, 4, 0x10FFFF},
        {"\xef\xbb\xbf", 3, 3, 0xFEFF},
        {"\xc0\xaf", 2, 0, 0},         /* overlong '/' */
        {"\xe0\x80\xaf", 3, 0, 0},     /* overlong */
        {"\xed\xa0\x80", 3, 0, 0},     /* surrogate D800 */
        {"\xf4\x90\x80\x80", 4, 0, 0}, /* above 10FFFF */
        {"\xf5\x80\x80\x80", 4, 0, 0},
        {"\x80", 1, 0, 0},             /* lone continuation byte */
        {"\xe2\x82", 2, 0, 0},         /* truncated */
        {"\xe2\x28\xa1", 3, 0, 0},     /* bad continuation */
        {"\xff", 1, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp = 0;
        size_t len = utf8_decode((const unsigned char *)cases[i].s, cases[i].n, &cp);
        if (len != cases[i].len)
            fail_msg("case %zu: length %zu, expected %zu", i, len, cases[i].len);
        if (len)
            assert_int_equal(cp, cases[i].cp);
    }
}

static void test_invisible_names(void **state)
{
    (void)state;
    assert_string_equal(unicode_invisible_name(0x202E), "RIGHT-TO-LEFT OVERRIDE");
    assert_string_equal(unicode_invisible_name(0x200B), "ZERO WIDTH SPACE");
    assert_string_equal(unicode_invisible_name(0x00AD), "SOFT HYPHEN");
    assert_string_equal(unicode_invisible_name(0x061C), "ARABIC LETTER MARK");
    assert_string_equal(unicode_invisible_name(0xFEFF), "ZERO WIDTH NO-BREAK SPACE");
    assert_null(unicode_invisible_name('a'));
    assert_null(unicode_invisible_name(0xE9));     /* é */
    assert_null(unicode_invisible_name(0x2010));   /* HYPHEN: visible */
    assert_null(unicode_invisible_name(0x2065));   /* unassigned, between the isolates and 2060 */
}

static void test_mixed_script(void **state)
{
    (void)state;
    struct mixed_script m;
    /* a Cyrillic а (D0 B0) after "b" */
    assert_true(unicode_mixed_script("b\xd0\xb0" "ckup", 7, &m));
    assert_int_equal(m.at, 1);
    assert_int_equal(m.len, 2);
    assert_int_equal(m.cp, 0x0430);
    assert_string_equal(m.script, "Cyrillic");
    assert_string_equal(m.among, "Latin");
    assert_int_equal(m.looks_like, 'a');
    assert_string_equal(m.name, "CYRILLIC SMALL LETTER A");
    /* a Greek ο (CE BF) */
    assert_true(unicode_mixed_script("\xce\xbfwner", 6, &m));
    assert_int_equal(m.cp, 0x03BF);
    assert_int_equal(m.looks_like, 'o');
    /* a Latin a among Cyrillic letters: the Latin letter is the odd one */
    assert_true(unicode_mixed_script("\xd0\xbc\xd0\xbe\xd1\x81" "a", 7, &m));
    assert_int_equal(m.cp, 'a');
    assert_string_equal(m.script, "Latin");
    assert_int_equal(m.at, 6);
    /* one script, or no letters of the three, stays quiet */
    assert_false(unicode_mixed_script("caf" "\xc3\xa9", 5, &m));
    assert_false(unicode_mixed_script("\xd0\xbc\xd0\xbe", 4, &m));
    assert_false(unicode_mixed_script("\xe6\x97\xa5\xe6\x9c\xac", 6, &m));
    assert_false(unicode_mixed_script("backup-2024", 11, &m));
    assert_false(unicode_mixed_script("\xff\xd0", 2, &m)); /* invalid UTF-8 is skipped */
}

/* ---- reading ------------------------------------------------------------------ */

static void test_read_file(void **state)
{
    struct obc *cc = *state;
    char path[] = "/tmp/obc-test-source-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "a\0b\n", 4), 4);
    close(fd);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(src_read_file(&cc->arena, path, false, &text, &len), 0);
    assert_int_equal(len, 4);
    assert_memory_equal(text, "a\0b\n\0", 5); /* NUL-terminated copy */
    unlink(path);
    assert_int_equal(src_read_file(&cc->arena, path, false, &text, &len), ENOENT);
    assert_int_equal(src_read_file(&cc->arena, "/tmp", false, &text, &len), EISDIR);
    /* imports must be regular files; the command line may name a device */
    assert_int_equal(src_read_file(&cc->arena, "/dev/null", true, &text, &len), ENODEV);
    assert_int_equal(src_read_file(&cc->arena, "/dev/null", false, &text, &len), 0);
    assert_int_equal(len, 0);
}

static void test_file_size_limit(void **state)
{
    struct obc *cc = *state;
    char path[] = "/tmp/obc-test-source-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(ftruncate(fd, LIMIT_FILE_BYTES), 0);
    assert_int_equal(src_read_file(&cc->arena, path, false, &text, &len), 0);
    assert_int_equal(len, LIMIT_FILE_BYTES);
    assert_int_equal(ftruncate(fd, LIMIT_FILE_BYTES + 1), 0);
    assert_int_equal(src_read_file(&cc->arena, path, false, &text, &len), EFBIG);
    close(fd);
    unlink(path);
}

static void test_stream_size_limit(void **state)
{
    struct obc *cc = *state;
    size_t n = LIMIT_FILE_BYTES + 1;
    char *buf = calloc(n, 1);
    assert_non_null(buf);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = fmemopen(buf, n - 1, "rb");
    assert_non_null(fp);
    assert_int_equal(src_read_stream(&cc->arena, fp, &text, &len), 0);
    assert_int_equal(len, n - 1);
    fclose(fp);
    fp = fmemopen(buf, n, "rb");
    assert_non_null(fp);
    assert_int_equal(src_read_stream(&cc->arena, fp, &text, &len), EFBIG);
    fclose(fp);
    free(buf);
}

/* ---- UTF-16 columns (SARIF, LSP) ---------------------------------------- */

static void test_utf16_columns(void **state)
{
    /* "aé😀b\nx": é is 2 bytes and 1 unit, 😀 is 4 bytes and 2 units */
    struct src_file *f = add(state, "a\xc3\xa9\xf0\x9f\x98\x80" "b\nx");
    assert_int_equal(src_utf16_col(f, 0), 0);
    assert_int_equal(src_utf16_col(f, 1), 1);
    assert_int_equal(src_utf16_col(f, 3), 2);
    assert_int_equal(src_utf16_col(f, 7), 4);
    assert_int_equal(src_utf16_col(f, 8), 5);  /* the newline */
    assert_int_equal(src_utf16_col(f, 9), 0);  /* line 2 */
    assert_int_equal(src_utf16_col(f, 99), 1); /* past the end: clamped */
    assert_int_equal(src_offset_utf16(f, 0, 0), 0);
    assert_int_equal(src_offset_utf16(f, 0, 2), 3);
    assert_int_equal(src_offset_utf16(f, 0, 3), 3); /* inside the pair: before it */
    assert_int_equal(src_offset_utf16(f, 0, 4), 7);
    assert_int_equal(src_offset_utf16(f, 0, 99), 8); /* end of the line */
    assert_int_equal(src_offset_utf16(f, 1, 1), 10);
    assert_int_equal(src_offset_utf16(f, 5, 0), 10); /* past the last line */
    struct src_file *bad = add(state, "\xff\xffz");
    assert_int_equal(src_utf16_col(bad, 2), 2);
    assert_int_equal(src_offset_utf16(bad, 0, 2), 2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, obc_setup, obc_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_lf),
        T(test_crlf),
        T(test_lone_cr),
        T(test_mixed_line_ends),
        T(test_no_final_newline),
        T(test_empty_file),
        T(test_line_out_of_range),
        T(test_columns_count_bytes),
        T(test_many_lines),
        T(test_ids_and_lookup),
        T(test_loc_span),
        T(test_utf8_decode),
        T(test_utf16_columns),
        T(test_invisible_names),
        T(test_mixed_script),
        T(test_read_file),
        T(test_file_size_limit),
        T(test_stream_size_limit),
    };
    return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
