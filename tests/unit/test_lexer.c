/*
 * test_lexer.c - the scanner (grammar/lexer.l), through parse_file on
 * in-memory files: every lexical error of docs/language.md section 2
 * (OB1001-OB1004) with its exact byte range, and the values that tokens
 * decode to (durations, times, string escapes), with locations that stay
 * right across a leading byte-order mark and CRLF line ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "front.h"
#include "parse_fixture.h"

/* ---- OB1001: bytes that are not UTF-8 text ---------------------------- */

static void test_invalid_utf8_outside_strings(void **state)
{
    struct parsed *p = PARSE(state, "x = 1\xff\n");
    expect_only(p, OB1001, 5, 6, "invalid UTF-8 byte 0xFF");
}

static void test_invalid_utf8_run_in_string_is_one_error(void **state)
{
    struct parsed *p = PARSE(state, "x = \"a\xff\xfe" "b\"\n");
    expect_only(p, OB1001, 6, 8, "invalid UTF-8 byte 0xFF");
    assert_string_equal(top_value(p, 0)->text, "a\xff\xfe" "b");
}

static void test_invalid_utf8_in_comment(void **state)
{
    /* 0xC3 must be followed by a continuation byte, not '(' */
    struct parsed *p = PARSE(state, "# caf\xc3(\nx = 1\n");
    expect_only(p, OB1001, 5, 6, "invalid UTF-8 byte 0xC3");
    assert_int_equal(p->file->items.len, 1);
}

static void test_overlong_and_surrogate_encodings(void **state)
{
    /* C0 AF is an overlong '/', ED A0 80 a UTF-16 surrogate */
    struct parsed *p = PARSE(state, "a = \"\xc0\xaf\"\nb = \"\xed\xa0\x80\"\n");
    assert_int_equal(ndiags(p), 2);
    expect_diag(p, 0, OB1001, 5, 7, "invalid UTF-8 byte 0xC0");
    expect_diag(p, 1, OB1001, 14, 17, "invalid UTF-8 byte 0xED");
}

static void test_valid_utf8_is_accepted(void **state)
{
    struct parsed *p = PARSE(state, "# gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac \xf0\x9f\x98\x80\n"
                                    "x = \"caf\xc3\xa9\"\n");
    expect_clean(p);
    assert_string_equal(top_value(p, 0)->text, "caf\xc3\xa9");
}

static void test_nul_byte(void **state)
{
    struct parsed *p = PARSE(state, "x = \"a\0b\"\ny = 1\0\n");
    assert_int_equal(ndiags(p), 2);
    expect_diag(p, 0, OB1001, 6, 7, "NUL byte in the source");
    expect_diag(p, 1, OB1001, 15, 16, "NUL byte in the source");
}

static void test_control_characters(void **state)
{
    struct parsed *p = PARSE(state, "x = \"a\x01\"\ny = 1\x07\n# \x7f\n");
    assert_int_equal(ndiags(p), 3);
    expect_diag(p, 0, OB1001, 6, 7, "control character 0x01 in the source");
    expect_diag(p, 1, OB1001, 14, 15, "control character 0x07 in the source");
    expect_diag(p, 2, OB1001, 18, 19, "control character 0x7F in the source");
}

static void test_tab_is_not_a_control_character(void **state)
{
    struct parsed *p = PARSE(state, "x\t=\t\"a\tb\"\t# tab\there\n");
    expect_clean(p);
    assert_string_equal(top_value(p, 0)->text, "a\tb");
}

static void test_leading_bom_is_skipped(void **state)
{
    struct parsed *p = PARSE(state, "\xef\xbb\xbfx = 1\n");
    expect_clean(p);
    assert_int_equal(p->file->items.len, 1);
    const struct ast_item *it = top_item(p, 0);
    assert_string_equal(ast_word_text(it, 0), "x");
    assert_int_equal(ast_word_loc(it, 0).start, 3);
    assert_int_equal(ast_word_loc(it, 0).end, 4);
}

static void test_bom_in_the_middle(void **state)
{
    struct parsed *p = PARSE(state, "x = 1\n\xef\xbb\xbfy = 2\n");
    expect_only(p, OB1001, 6, 9, "byte-order mark in the middle of the file");
    assert_int_equal(p->file->items.len, 2); /* the rest is still read */
}

static void test_bom_inside_a_string(void **state)
{
    struct parsed *p = PARSE(state, "x = \"\xef\xbb\xbf\"\n");
    expect_only(p, OB1001, 5, 8, "byte-order mark in the middle of the file");
}

/* ---- OB1002: unterminated strings ------------------------------------- */

static void test_unterminated_string_at_end_of_line(void **state)
{
    struct parsed *p = PARSE(state, "x = \"abc\ny = 1\n");
    expect_only(p, OB1002, 4, 5, "unterminated string");
    /* the next line is read normally */
    assert_int_equal(p->file->items.len, 2);
    assert_string_equal(top_value(p, 0)->text, "abc");
    assert_int_equal(top_value(p, 1)->num, 1);
}

static void test_unterminated_string_at_end_of_file(void **state)
{
    struct parsed *p = PARSE(state, "a = 1\nx = \"abc");
    expect_only(p, OB1002, 10, 11, "unterminated string");
}

static void test_unterminated_string_ending_in_backslash(void **state)
{
    struct parsed *p = PARSE(state, "x = \"ab\\");
    expect_only(p, OB1002, 4, 5, "unterminated string");
    assert_string_equal(top_value(p, 0)->text, "ab");
}

static void test_escaped_quote_does_not_end_string(void **state)
{
    struct parsed *p = PARSE(state, "x = \"say \\\"hi\\\"\"\n");
    expect_clean(p);
    assert_string_equal(top_value(p, 0)->text, "say \"hi\"");
}

/* ---- OB1003: escapes ---------------------------------------------------- */

static void test_escapes_decode(void **state)
{
    struct parsed *p = PARSE(state, "x = \"a\\\"b\\\\c\\nd\\te\\u{e9}\\u{20AC}\\u{1F600}\\u{41}\"\n");
    expect_clean(p);
    const struct ast_value *v = top_value(p, 0);
    static const char want[] = "a\"b\\c\nd\te\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" "A";
    assert_int_equal(v->text_len, sizeof want - 1);
    assert_memory_equal(v->text, want, sizeof want - 1);
    assert_false(v->raw);
    assert_int_equal(v->loc.start, 4);
    assert_int_equal(v->loc.end, 48);
}

static void test_string_without_escapes_is_raw(void **state)
{
    struct parsed *p = PARSE(state, "x = \"arn:aws:iam::$account:role/r\"\n");
    expect_clean(p);
    const struct ast_value *v = top_value(p, 0);
    assert_true(v->raw);
    assert_string_equal(v->text, "arn:aws:iam::$account:role/r");
}

static void test_unknown_escape(void **state)
{
    struct parsed *p = PARSE(state, "x = \"a\\qb\"\n");
    expect_only(p, OB1003, 6, 8, "invalid escape '\\q' in a string");
    assert_string_equal(top_value(p, 0)->text, "ab");
}

static void test_unicode_escape_out_of_range(void **state)
{
    struct parsed *p = PARSE(state, "x = \"\\u{110000}\"\n");
    expect_only(p, OB1003, 5, 15, "'\\u{110000}' is not a Unicode scalar value");
}

static void test_unicode_escape_surrogate_and_zero(void **state)
{
    struct parsed *p = PARSE(state, "x = \"\\u{D800}\"\ny = \"\\u{0}\"\n");
    assert_int_equal(ndiags(p), 2);
    expect_diag(p, 0, OB1003, 5, 13, "'\\u{D800}' is not a Unicode scalar value");
    expect_diag(p, 1, OB1003, 20, 25, "'\\u{0}' is not a Unicode scalar value");
}

static void test_malformed_unicode_escapes(void **state)
{
    struct parsed *p = PARSE(state, "a = \"\\u12\"\nb = \"\\u{}\"\nc = \"\\u{1234567}\"\nd = \"\\u{12\"\n");
    assert_int_equal(ndiags(p), 4);
    expect_diag(p, 0, OB1003, 5, 7, "malformed unicode escape");   /* \u without { */
    expect_diag(p, 1, OB1003, 16, 20, "malformed unicode escape");  /* no digits */
    expect_diag(p, 2, OB1003, 27, 38, "malformed unicode escape");  /* 7 digits */
    expect_diag(p, 3, OB1003, 45, 50, "malformed unicode escape");  /* no closing } */
}

/* ---- OB1004: numbers, durations, times --------------------------------- */

static void test_unknown_duration_unit(void **state)
{
    struct parsed *p = PARSE(state, "x = 90x\n");
    expect_only(p, OB1004, 4, 7, "unknown duration unit 'x' in '90x'");
    assert_string_equal(diag_at(p, 0)->help,
                        "units are min, h, d, w (7 days) and y (365 days), written right after the number: 90d");
}

static void test_spelled_out_unit_gets_a_suggestion(void **state)
{
    struct parsed *p = PARSE(state, "x = 10days\n");
    expect_only(p, OB1004, 4, 10, "unknown duration unit 'days' in '10days'");
    assert_string_equal(diag_at(p, 0)->help,
                        "did you mean '10d'? units are min, h, d, w (7 days) and y (365 days)");
}

static void test_time_out_of_range(void **state)
{
    struct parsed *p = PARSE(state, "a = 25:00\nb = 12:60\nc = 12:5\nd = 123:00\n");
    assert_int_equal(ndiags(p), 4);
    expect_diag(p, 0, OB1004, 4, 9, "'25:00' is not a time of day");
    expect_diag(p, 1, OB1004, 14, 19, "'12:60' is not a time of day");
    expect_diag(p, 2, OB1004, 24, 28, "'12:5' is not a time of day");
    expect_diag(p, 3, OB1004, 33, 39, "'123:00' is not a time of day");
}

static void test_fractional_duration(void **state)
{
    struct parsed *p = PARSE(state, "x = 1.5d\n");
    expect_only(p, OB1004, 4, 8, "'1.5d' is not a whole number");
}

static void test_leading_zeros(void **state)
{
    struct parsed *p = PARSE(state, "a = 007\nb = 05d\nc = 0\nd = 00:30\n");
    assert_int_equal(ndiags(p), 2);
    expect_diag(p, 0, OB1004, 4, 7, "integer '007' has a leading zero");
    expect_diag(p, 1, OB1004, 12, 15, "duration '05d' has a leading zero");
    assert_int_equal(top_value(p, 2)->num, 0);
    assert_int_equal(top_value(p, 3)->num, 30);
}

static void test_integer_overflow(void **state)
{
    struct parsed *p = PARSE(state, "a = 99999999999999999999\nb = 99999999999999999999d\nc = 1000000000000\n");
    assert_int_equal(ndiags(p), 2);
    expect_diag(p, 0, OB1004, 4, 24, "integer '99999999999999999999' is too large");
    expect_diag(p, 1, OB1004, 29, 50, "duration '99999999999999999999d' is too large");
    assert_int_equal(top_value(p, 2)->num, 1000000000000LL);
}

/* ---- decoded values ------------------------------------------------------ */

static void test_durations_decode(void **state)
{
    struct parsed *p = PARSE(state, "a = [60min, 8h, 90d, 2w, 1y, 0d]\n");
    expect_clean(p);
    const struct ast_value *list = top_value(p, 0);
    assert_int_equal(list->kind, AST_LIST);
    assert_int_equal(list->items.len, 6);
    static const struct { int64_t num; enum dur_unit unit; uint32_t start, end; } want[] = {
        {60, DUR_MIN, 5, 10}, {8, DUR_H, 12, 14}, {90, DUR_D, 16, 19},
        {2, DUR_W, 21, 23},   {1, DUR_Y, 25, 27}, {0, DUR_D, 29, 31},
    };
    for (size_t i = 0; i < 6; i++) {
        const struct ast_value *d = value_item(list, i);
        assert_int_equal(d->kind, AST_DURATION);
        assert_int_equal(d->num, want[i].num);
        assert_int_equal(d->unit, want[i].unit);
        assert_int_equal(d->loc.start, want[i].start);
        assert_int_equal(d->loc.end, want[i].end);
    }
}

static void test_times_decode_to_minutes(void **state)
{
    struct parsed *p = PARSE(state, "a = [00:00, 05:50, 9:05, 23:59]\n");
    expect_clean(p);
    const struct ast_value *list = top_value(p, 0);
    static const int64_t want[] = {0, 350, 545, 1439};
    assert_int_equal(list->items.len, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(value_item(list, i)->kind, AST_TIME);
        assert_int_equal(value_item(list, i)->num, want[i]);
    }
}

static void test_identifiers_with_hyphens(void **state)
{
    struct parsed *p = PARSE(state, "regions = [eu-west-1, us_east_2]\n");
    expect_clean(p);
    const struct ast_value *list = top_value(p, 0);
    assert_string_equal(value_item(list, 0)->text, "eu-west-1");
    assert_int_equal(value_item(list, 0)->kind, AST_IDENT);
    assert_string_equal(value_item(list, 1)->text, "us_east_2");
}

static void test_list_operators(void **state)
{
    /* += and -= with or without spaces; a name never swallows the '-' of -= */
    struct parsed *p = PARSE(state, "regions += [eu-west-1]\nregions-=[us-east-1]\nb-c -= [x]\nd = 1\n");
    expect_clean(p);
    assert_int_equal(p->file->items.len, 4);
    assert_int_equal(top_item(p, 0)->op, ITEM_OP_APPEND);
    assert_int_equal(top_item(p, 0)->op_loc.start, 8);
    assert_int_equal(top_item(p, 0)->op_loc.end, 10);
    assert_int_equal(top_item(p, 1)->op, ITEM_OP_REMOVE);
    assert_string_equal(ast_word_text(top_item(p, 1), 0), "regions");
    assert_int_equal(top_item(p, 1)->op_loc.start, 30);
    assert_int_equal(top_item(p, 1)->op_loc.end, 32);
    assert_string_equal(ast_word_text(top_item(p, 2), 0), "b-c");
    assert_int_equal(top_item(p, 2)->op, ITEM_OP_REMOVE);
    assert_int_equal(top_item(p, 3)->op, ITEM_OP_ASSIGN);
    assert_string_equal(value_item(top_value(p, 0), 0)->text, "eu-west-1");
}

static void test_lone_plus_is_unexpected(void **state)
{
    struct parsed *p = PARSE(state, "x + [a]\n");
    assert_true(count_code(p, OB1010) >= 1);
    expect_diag(p, 0, OB1010, 2, 3, "unexpected character '+'");
}

/* ---- locations ------------------------------------------------------------ */

static void test_crlf_keeps_locations_right(void **state)
{
    struct parsed *p = PARSE(state, "x = 1\r\ny = 25:00\r\nz = \"a\\q\"\r\n");
    assert_int_equal(ndiags(p), 2);
    expect_diag(p, 0, OB1004, 11, 16, "'25:00' is not a time of day");
    expect_diag(p, 1, OB1003, 24, 26, "invalid escape '\\q' in a string");
    struct src_pos a = src_pos(p->file, diag_at(p, 0)->loc.start);
    assert_int_equal(a.line, 2);
    assert_int_equal(a.col, 5);
    struct src_pos b = src_pos(p->file, diag_at(p, 1)->loc.start);
    assert_int_equal(b.line, 3);
    assert_int_equal(b.col, 7);
    assert_int_equal(p->file->items.len, 3);
    assert_int_equal(top_item(p, 1)->loc.start, 7);
}

static void test_lone_cr_ends_an_item(void **state)
{
    struct parsed *p = PARSE(state, "x = 1\ry = 2\r");
    expect_clean(p);
    assert_int_equal(p->file->items.len, 2);
    assert_int_equal(src_pos(p->file, top_item(p, 1)->loc.start).line, 2);
}

static void test_errors_are_all_reported(void **state)
{
    /* one run reports every lexical error, not only the first */
    struct parsed *p = PARSE(state, "a = 90x\nb = \"\\q\"\nc = 1\xff\nd = 25:00\n");
    assert_int_equal(ndiags(p), 4);
    assert_int_equal(count_code(p, OB1004), 2);
    assert_int_equal(count_code(p, OB1003), 1);
    assert_int_equal(count_code(p, OB1001), 1);
    assert_false(p->ok);
}

#define T(f) cmocka_unit_test_setup_teardown(f, parsed_setup, parsed_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_invalid_utf8_outside_strings),
        T(test_invalid_utf8_run_in_string_is_one_error),
        T(test_invalid_utf8_in_comment),
        T(test_overlong_and_surrogate_encodings),
        T(test_valid_utf8_is_accepted),
        T(test_nul_byte),
        T(test_control_characters),
        T(test_tab_is_not_a_control_character),
        T(test_leading_bom_is_skipped),
        T(test_bom_in_the_middle),
        T(test_bom_inside_a_string),
        T(test_unterminated_string_at_end_of_line),
        T(test_unterminated_string_at_end_of_file),
        T(test_unterminated_string_ending_in_backslash),
        T(test_escaped_quote_does_not_end_string),
        T(test_escapes_decode),
        T(test_string_without_escapes_is_raw),
        T(test_unknown_escape),
        T(test_unicode_escape_out_of_range),
        T(test_unicode_escape_surrogate_and_zero),
        T(test_malformed_unicode_escapes),
        T(test_unknown_duration_unit),
        T(test_spelled_out_unit_gets_a_suggestion),
        T(test_time_out_of_range),
        T(test_fractional_duration),
        T(test_leading_zeros),
        T(test_integer_overflow),
        T(test_list_operators),
        T(test_lone_plus_is_unexpected),
        T(test_durations_decode),
        T(test_times_decode_to_minutes),
        T(test_identifiers_with_hyphens),
        T(test_crlf_keeps_locations_right),
        T(test_lone_cr_ends_an_item),
        T(test_errors_are_all_reported),
    };
    return cmocka_run_group_tests_name("lexer", tests, NULL, NULL);
}
