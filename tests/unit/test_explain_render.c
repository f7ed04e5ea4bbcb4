/*
 * test_explain_render.c - an explanation rendered for a terminal
 * (explain_render.c): headings, indentation, wrapping, list items, code
 * blocks, the markers that are removed, and colour.
 */
#include "explain_render.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static struct arena arena;

static int setup(void **state)
{
    (void)state;
    arena_init(&arena);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(&arena);
    return 0;
}

static const char *render(const char *md, unsigned width)
{
    return explain_render_text(&arena, md, width, false);
}

static void test_headings_and_paragraphs(void **state)
{
    (void)state;
    assert_string_equal(render("# OB1: title\n\nSeverity: error\n\n## What is wrong\n\nA and\nB.\n", 80),
                        "OB1: title\n\n  Severity: error\n\nWhat is wrong\n\n  A and B.\n");
}

static void test_wrapping_counts_the_indent_and_keeps_long_words(void **state)
{
    (void)state;
    assert_string_equal(render("aaaa bbbb cccc dddd\n", 20), "  aaaa bbbb cccc\n  dddd\n");
    assert_string_equal(render("x https://example.invalid/a/very/long/path y\n", 20),
                        "  x\n  https://example.invalid/a/very/long/path\n  y\n");
    /* Code points, not bytes: five two-byte letters take five columns. */
    assert_string_equal(render("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 x y z w v u t s r q p o n\n", 20),
                        "  \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 x y z w v u\n  t s r q p o n\n");
}

static void test_markers_are_removed(void **state)
{
    (void)state;
    assert_string_equal(render("**Retired.** use `obc  effective` and *not* _this_ \\*\n", 80),
                        "  Retired. use obc  effective and not this *\n");
    assert_string_equal(render("see [the guide](https://example.invalid/g) or <https://example.invalid>\n", 80),
                        "  see the guide (https://example.invalid/g) or https://example.invalid\n");
    /* Underscores inside words and lone stars are text. */
    assert_string_equal(render("default_backup_role and 2 * 3 and a_b_c\n", 80),
                        "  default_backup_role and 2 * 3 and a_b_c\n");
}

static void test_code_spans_do_not_break(void **state)
{
    (void)state;
    assert_string_equal(render("aaaa bbbb cccc `d e f` g\n", 20), "  aaaa bbbb cccc\n  d e f g\n");
}

static void test_list_items_hang_and_stay_together(void **state)
{
    (void)state;
    assert_string_equal(render("Before:\n\n- one two three four\n  five\n- six\n\nAfter.\n", 20),
                        "  Before:\n\n  - one two three\n    four five\n  - six\n\n  After.\n");
}

static void test_code_blocks_are_indented_and_kept(void **state)
{
    (void)state;
    assert_string_equal(render("Wrong:\n\n```ob\nvault v {\n  name = \"x\"   # **not** emphasis\n\n}\n```\n\nEnd.\n", 20),
                        "  Wrong:\n\n      vault v {\n        name = \"x\"   # **not** emphasis\n\n      }\n\n  End.\n");
}

static void test_width_is_clamped(void **state)
{
    (void)state;
    /* Below EXPLAIN_MIN_WIDTH the text still wraps at 20 columns. */
    assert_string_equal(render("aaaa bbbb cccc dddd\n", 1), "  aaaa bbbb cccc\n  dddd\n");
}

static void test_colour_marks_headings_code_and_emphasis(void **state)
{
    (void)state;
    const char *t = explain_render_text(&arena, "# Title\n\nuse `x` **now**\n", 80, true);
    assert_non_null(strstr(t, "\033[1mTitle"));
    assert_non_null(strstr(t, "\033[36mx"));
    assert_non_null(strstr(t, "\033[1mnow"));
    assert_null(strchr(render("# Title\n\nuse `x` **now**\n", 80), '\033'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_headings_and_paragraphs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrapping_counts_the_indent_and_keeps_long_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_markers_are_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_spans_do_not_break, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_items_hang_and_stay_together, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_blocks_are_indented_and_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_width_is_clamped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_colour_marks_headings_code_and_emphasis, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
