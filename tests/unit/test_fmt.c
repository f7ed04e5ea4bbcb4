/*
 * test_fmt.c - the formatter (fmt.c, fmt_scan.c, fmt_diff.c): the
 * canonical layout of docs/fmt.md on small programs, comments kept,
 * syntax errors reported with nothing formatted, warnings left to check,
 * and over every .ob file of corpus/ and examples/ (run from the
 * repository root): the same tokens and comments in the same order
 * (';' may become a line break), and formatting twice changes nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "fmt.h"
#include "parser.h"
#include "parse_fixture.h"

/* Formats text in a fresh compilation of *state; NULL on a syntax error. */
static const char *format(void **state, const char *text)
{
    struct parsed *p = add_bytes(state, "t.ob", text, strlen(text));
    struct strbuf out;
    if (!fmt_source(&p->cc, p->file, &out))
        return NULL;
    return out.s;
}

static void layout(void **state)
{
    const char *in =
        "\xEF\xBB\xBFimport \"std/aws\"   # the library\n"
        "account a = \"111111111111\"; account bb = \"222222222222\"\n"
        "\n\n\n"
        "vault v { name = \"x\"; tags = { \"a\" = \"1\"; \"b\" = \"2\" } }\n"
        "# about p\n"
        "plan p {\n"
        "\n"
        "  select = [ s1 ,s2, # first two\n"
        "     s3\n"
        "  ]\n"
        "  tags = {\n"
        "    \"k\" = \"v\"   # c\n"
        "    \"long-key\" = \"w\"\n"
        "  }\n"
        "  rule r {\n"
        "     schedule = weekly on mon, thu at 05:50\n"
        "     match = tag( \"a\" ) == \"b\" and\n"
        "        not (type in [s3] or tag(\"x\") like \"y*\")\n"
        "  }\n"
        "  empty {}\n"
        "  # trailing comment in block\n"
        "\n"
        "}\n"
        "# end";
    const char *want =
        "import \"std/aws\"  # the library\n"
        "account a  = \"111111111111\"\n"
        "account bb = \"222222222222\"\n"
        "\n"
        "vault v {\n"
        "    name = \"x\"\n"
        "    tags = { \"a\" = \"1\"; \"b\" = \"2\" }\n"
        "}\n"
        "\n"
        "# about p\n"
        "plan p {\n"
        "    select = [s1, s2,  # first two\n"
        "        s3\n"
        "    ]\n"
        "    tags = {\n"
        "        \"k\"        = \"v\"  # c\n"
        "        \"long-key\" = \"w\"\n"
        "    }\n"
        "    rule r {\n"
        "        schedule = weekly on mon, thu at 05:50\n"
        "        match    = tag(\"a\") == \"b\" and\n"
        "            not (type in [s3] or tag(\"x\") like \"y*\")\n"
        "    }\n"
        "    empty {}\n"
        "    # trailing comment in block\n"
        "}\n"
        "\n"
        "# end\n";
    const char *got = format(state, in);
    assert_non_null(got);
    assert_string_equal(got, want);
}

/* Brackets opened on a continuation line indent from that line; a line
 * starting with closers goes back to the line that opened them. */
static void brackets_on_a_continuation_line(void **state)
{
    const char *in = "selection s {\n"
                     "  match = type in [ebs] or\n"
                     "          (type in [\n"
                     "             rds,\n"
                     "           ] and tag(\"env\") != \"dev\")\n"
                     "  r = f([\n"
                     "    a\n"
                     "  ])\n"
                     "}\n";
    const char *want = "selection s {\n"
                       "    match = type in [ebs] or\n"
                       "        (type in [\n"
                       "            rds,\n"
                       "        ] and tag(\"env\") != \"dev\")\n"
                       "    r = f([\n"
                       "        a\n"
                       "    ])\n"
                       "}\n";
    const char *got = format(state, in);
    assert_non_null(got);
    assert_string_equal(got, want);
}

static void idempotent_and_crlf(void **state)
{
    const char *got = format(state, "vault v {\r\n  name = \"x\"   # n\r\n\r\n\r\n  key = k\r\n}\r\n");
    assert_non_null(got);
    assert_string_equal(got, "vault v {\n    name = \"x\"  # n\n\n    key = k\n}\n");
    parsed_teardown(state);
    parsed_setup(state);
    const char *again = format(state, "vault v {\n    name = \"x\"  # n\n\n    key = k\n}\n");
    assert_string_equal(again, "vault v {\n    name = \"x\"  # n\n\n    key = k\n}\n");
}

static void empty_and_comment_only(void **state)
{
    assert_string_equal(format(state, ""), "");
    parsed_teardown(state);
    parsed_setup(state);
    assert_string_equal(format(state, "\n\n# only a comment   \n\n"), "# only a comment\n");
}

static void syntax_error(void **state)
{
    const char *in = "vault v {\n  name = \n";
    struct parsed *p = add_bytes(state, "t.ob", in, strlen(in));
    struct strbuf out;
    assert_false(fmt_source(&p->cc, p->file, &out));
    assert_int_equal(out.len, 0);
    assert_true(p->cc.diag.errors > 0);
    assert_int_equal(p->file->items.len, 0);
}

static void warnings_left_to_check(void **state)
{
    /* a zero-width space in a comment: OB1005, a warning of check */
    const char *in = "# a\xE2\x80\x8B b\nvault v {}\n";
    struct parsed *p = add_bytes(state, "t.ob", in, strlen(in));
    struct strbuf out;
    assert_true(fmt_source(&p->cc, p->file, &out));
    assert_int_equal(p->cc.diag.list.len, 0);
    assert_string_equal(out.s, "# a\xE2\x80\x8B b\nvault v {}\n");
}

static void unified_diff(void **state)
{
    struct parsed *p = add_bytes(state, "t.ob", "", 0);
    struct strbuf d = {0};
    const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\nx";
    const char *b = "1\n2\n3\n4\n5\n6\nseven\n8\n9\n10\nx\n";
    fmt_unified_diff(&p->cc.arena, a, strlen(a), b, strlen(b), "a/f", "b/f", &d);
    assert_string_equal(sb_str(&p->cc.arena, &d), "--- a/f\n+++ b/f\n"
                                                  "@@ -4,8 +4,8 @@\n 4\n 5\n 6\n-7\n+seven\n 8\n 9\n 10\n"
                                                  "-x\n\\ No newline at end of file\n+x\n");
    struct strbuf bidi = {0};
    const char *c = "a\t# x\xE2\x80\xAEy\n", *e = "a  # x\xE2\x80\xAEy\n";
    fmt_unified_diff(&p->cc.arena, c, strlen(c), e, strlen(e), "a/f", "b/f", &bidi);
    assert_string_equal(sb_str(&p->cc.arena, &bidi),
                        "--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\t# x\\u{202e}y\n+a  # x\\u{202e}y\n");
    struct strbuf none = {0};
    fmt_unified_diff(&p->cc.arena, a, strlen(a), a, strlen(a), "a/f", "b/f", &none);
    assert_int_equal(none.len, 0);
}

/* ---- every .ob file of corpus/ and examples/ ------------------------ */

/* The tokens and comments of f, each item separator (';' or a line
 * break ending an item) as "SEP" once per run, none right after '{' or
 * before '}' (where they are optional), as one string per element. */
static void signature(struct obc *cc, struct src_file *f, struct vec *out)
{
    struct vec elems = {0};
    fmt_scan(cc, f, &elems);
    bool sep = false;
    for (size_t i = 0; i < elems.len; i++) {
        const struct fmt_elem *e = elems.items[i];
        if ((e->kind == FMT_NEWLINE && e->sep) || (e->kind == FMT_TOKEN && e->tok == SEP)) {
            sep = true;
            continue;
        }
        if (e->kind == FMT_NEWLINE)
            continue;
        bool closes = e->kind == FMT_TOKEN && e->tok == RBRACE;
        const char *last = out->len ? out->items[out->len - 1] : NULL;
        if (sep && !closes && last && strcmp(last, "T{") != 0)
            vec_push(&cc->arena, out, "SEP");
        sep = false;
        vec_push(&cc->arena, out,
                 arena_printf(&cc->arena, "%c%.*s", e->kind == FMT_TOKEN ? 'T' : 'C', (int)e->len, e->text));
    }
}

static size_t files_seen, files_formatted;

static int check_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 3 || strcmp(path + n - 3, ".ob") != 0)
        return 0;
    files_seen++;
    struct obc cc;
    obc_init(&cc, NULL);
    char *text;
    size_t len;
    assert_int_equal(src_read_file(&cc.arena, path, true, &text, &len), 0);
    struct src_file *f = src_add(&cc, path, "", path, text, len);
    struct strbuf once;
    if (fmt_source(&cc, f, &once)) {
        files_formatted++;
        struct src_file *g = src_add(&cc, "formatted.ob", "", "formatted.ob", once.s, once.len);
        struct strbuf twice;
        assert_true(fmt_source(&cc, g, &twice));
        if (twice.len != once.len || memcmp(twice.s, once.s, once.len) != 0)
            fail_msg("%s: formatting twice changes it", path);
        struct vec a = {0}, b = {0};
        signature(&cc, f, &a);
        signature(&cc, g, &b);
        for (size_t i = 0; i < a.len || i < b.len; i++) {
            const char *x = i < a.len ? a.items[i] : "(end)", *y = i < b.len ? b.items[i] : "(end)";
            if (strcmp(x, y) != 0)
                fail_msg("%s: element %zu was %s, is %s once formatted", path, i, x, y);
        }
    } else {
        assert_true(cc.diag.errors > 0);
    }
    obc_free(&cc);
    return 0;
}

static void corpus_and_examples(void **state)
{
    (void)state;
    assert_int_equal(nftw("corpus", check_file, 16, FTW_PHYS), 0);
    assert_int_equal(nftw("examples", check_file, 16, FTW_PHYS), 0);
    print_message("fmt: %zu files, %zu formatted, same tokens and comments\n", files_seen, files_formatted);
    assert_true(files_formatted > 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(layout, parsed_setup, parsed_teardown),
        cmocka_unit_test_setup_teardown(brackets_on_a_continuation_line, parsed_setup, parsed_teardown),
        cmocka_unit_test_setup_teardown(idempotent_and_crlf, parsed_setup, parsed_teardown),
        cmocka_unit_test_setup_teardown(empty_and_comment_only, parsed_setup, parsed_teardown),
        cmocka_unit_test_setup_teardown(syntax_error, parsed_setup, parsed_teardown),
        cmocka_unit_test_setup_teardown(warnings_left_to_check, parsed_setup, parsed_teardown),
        cmocka_unit_test_setup_teardown(unified_diff, parsed_setup, parsed_teardown),
        cmocka_unit_test(corpus_and_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
