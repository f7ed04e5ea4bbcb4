/*
 * test_json_in.c - the located JSON reader (compiler/json_in.c): trees
 * with the exact ranges of keys and values, string escapes and surrogate
 * pairs, every error it reports with its code and range, the nesting
 * limit, a leading byte-order mark, and a document of a megabyte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "front.h"
#include "parse_fixture.h"

/* Reads text[0..len) as the file "t.json"; p->ok tells whether a tree came back. */
static const struct json_value *read_bytes(void **state, const char *text, size_t len)
{
    struct parsed *p = add_bytes(state, "t.json", text, len);
    const struct json_value *v = json_read(&p->cc, p->file);
    p->ok = v != NULL;
    return v;
}

#define READ(state, lit) read_bytes((state), (lit), sizeof(lit) - 1)

static const struct json_value *item(const struct json_value *v, size_t i)
{
    assert_int_equal(v->kind, JSON_ARRAY);
    assert_true(i < v->items.len);
    return VEC_GET(struct json_value, v->items, i);
}

static const struct json_member *member(const struct json_value *v, size_t i)
{
    assert_int_equal(v->kind, JSON_OBJECT);
    assert_true(i < v->members.len);
    return VEC_GET(struct json_member, v->members, i);
}

static void expect_pos(struct parsed *p, uint32_t offset, uint32_t line, uint32_t col)
{
    struct src_pos pos = src_pos(p->file, offset);
    assert_int_equal(pos.line, line);
    assert_int_equal(pos.col, col);
}

/* The only diagnostic has a help line. */
static void expect_help(const struct parsed *p, const char *help)
{
    const struct diag *d = diag_at(p, 0);
    assert_non_null(d->help);
    assert_string_equal(d->help, help);
}

/* ---- trees and locations ------------------------------------------------ */

static void test_nested_document_locations(void **state)
{
    const struct json_value *v = READ(state, "{\n"
                                             "  \"Plans\": {\n"
                                             "    \"daily\": {\"rules\": [1, 2.5, -3e2, true, false, null]}\n"
                                             "  },\n"
                                             "  \"k\\u00e9y\": \"v\"\n"
                                             "}\n");
    struct parsed *p = *state;
    expect_clean(p);
    assert_int_equal(v->kind, JSON_OBJECT);
    assert_int_equal(v->loc.start, 0);
    assert_int_equal(v->loc.end, p->file->len - 1);
    assert_int_equal(v->members.len, 2);

    const struct json_member *plans = member(v, 0);
    assert_string_equal(plans->key->text, "Plans");
    assert_true(plans->key->raw);
    expect_pos(p, plans->key->loc.start, 2, 3);
    assert_int_equal(plans->key->loc.end - plans->key->loc.start, 7); /* "Plans" with its quotes */
    expect_pos(p, plans->value->loc.start, 2, 12);
    expect_pos(p, plans->value->loc.end - 1, 4, 3);

    const struct json_member *daily = member(plans->value, 0);
    assert_string_equal(daily->key->text, "daily");
    expect_pos(p, daily->key->loc.start, 3, 5);
    expect_pos(p, daily->key->loc.end, 3, 12);
    expect_pos(p, daily->value->loc.start, 3, 14);

    const struct json_value *rules = json_find(daily->value, "rules")->value;
    assert_int_equal(rules->items.len, 6);
    expect_pos(p, rules->loc.start, 3, 24);
    const struct json_value *n1 = item(rules, 0), *n2 = item(rules, 1), *n3 = item(rules, 2);
    assert_int_equal(n1->kind, JSON_NUMBER);
    assert_string_equal(n1->text, "1");
    assert_true(n1->is_integer);
    expect_pos(p, n1->loc.start, 3, 25);
    assert_int_equal(n1->loc.end - n1->loc.start, 1);
    assert_string_equal(n2->text, "2.5");
    assert_false(n2->is_integer);
    assert_string_equal(n3->text, "-3e2");
    assert_false(n3->is_integer);
    expect_pos(p, n3->loc.start, 3, 33);
    assert_int_equal(n3->loc.end - n3->loc.start, 4);
    assert_int_equal(item(rules, 3)->kind, JSON_TRUE);
    assert_int_equal(item(rules, 4)->kind, JSON_FALSE);
    assert_int_equal(item(rules, 5)->kind, JSON_NULL);
    expect_pos(p, item(rules, 5)->loc.start, 3, 52);
    assert_int_equal(item(rules, 5)->loc.end - item(rules, 5)->loc.start, 4);

    const struct json_member *key = member(v, 1);
    assert_string_equal(key->key->text, "k\xc3\xa9y");
    assert_false(key->key->raw);
    expect_pos(p, key->key->loc.start, 5, 3);
    assert_int_equal(key->key->loc.end - key->key->loc.start, 10);
    expect_pos(p, key->value->loc.start, 5, 15);
    assert_string_equal(json_find(v, "k\xc3\xa9y")->value->text, "v");
    assert_null(json_find(v, "daily"));
    assert_null(json_find(rules, "x"));
    assert_string_equal(json_kind_name(v->kind), "object");
    assert_string_equal(json_kind_name(n1->kind), "number");
}

static void test_scalars_and_empty_containers_at_top(void **state)
{
    const struct json_value *v = READ(state, " [ {}, [], \"\", 0, -0, 0.0e-0 ] ");
    expect_clean(*state);
    assert_int_equal(v->loc.start, 1);
    assert_int_equal(v->loc.end, 30);
    assert_int_equal(item(v, 0)->members.len, 0);
    assert_int_equal(item(v, 0)->loc.end - item(v, 0)->loc.start, 2);
    assert_int_equal(item(v, 1)->items.len, 0);
    assert_string_equal(item(v, 2)->text, "");
    assert_true(item(v, 4)->is_integer);
    assert_false(item(v, 5)->is_integer);
}

static void test_top_level_scalar(void **state)
{
    const struct json_value *v = READ(state, "\n\"x\"\n");
    expect_clean(*state);
    assert_int_equal(v->kind, JSON_STRING);
    assert_int_equal(v->loc.start, 1);
    assert_int_equal(v->loc.end, 4);
}

static void test_duplicate_keys_are_kept_in_order(void **state)
{
    const struct json_value *v = READ(state, "{\"a\": 1, \"b\": 2, \"a\": 3}");
    expect_clean(*state);
    assert_int_equal(v->members.len, 3);
    assert_string_equal(member(v, 2)->key->text, "a");
    assert_int_equal(member(v, 2)->key->loc.start, 17);
    const struct json_member *first = json_find(v, "a");
    assert_ptr_equal(first, member(v, 0));
    assert_string_equal(first->value->text, "1");
}

/* ---- strings -------------------------------------------------------------- */

static void test_escapes(void **state)
{
    const struct json_value *v = READ(state, "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\\u20AC\"");
    expect_clean(*state);
    assert_string_equal(v->text, "\" \\ / \b \f \n \r \t A\xc3\xa9\xe2\x82\xac");
    assert_false(v->raw);
}

static void test_escaped_nul_keeps_its_length(void **state)
{
    const struct json_value *v = READ(state, "{\"a\\u0000b\": 1}");
    expect_clean(*state);
    const struct json_member *m = member(v, 0);
    assert_int_equal(m->key->len, 3);
    assert_memory_equal(m->key->text, "a\0b", 3);
    assert_null(json_find(v, "a"));
}

static void test_surrogate_pairs(void **state)
{
    const struct json_value *v = READ(state, "[\"\\uD83D\\uDE00\", \"\\ud834\\udd1e x\", \"\xf0\x9f\x98\x80\"]");
    expect_clean(*state);
    assert_string_equal(item(v, 0)->text, "\xf0\x9f\x98\x80");
    assert_int_equal(item(v, 0)->len, 4);
    assert_string_equal(item(v, 1)->text, "\xf0\x9d\x84\x9e x");
    assert_string_equal(item(v, 2)->text, "\xf0\x9f\x98\x80");
    assert_true(item(v, 2)->raw);
}

static void test_lone_high_surrogate(void **state)
{
    READ(state, "[\"ab\\uD83Dx\"]");
    expect_only(*state, OB1003, 4, 10, "lone surrogate '\\uD83D' in a string");
}

static void test_high_surrogate_then_other_escape(void **state)
{
    READ(state, "\"\\uD83D\\u0041\"");
    expect_only(*state, OB1003, 1, 7, "lone surrogate '\\uD83D' in a string");
}

static void test_lone_low_surrogate(void **state)
{
    READ(state, "\"\\uDE00\"");
    expect_only(*state, OB1003, 1, 7, "lone surrogate '\\uDE00' in a string");
}

/* ---- OB1001 --------------------------------------------------------------- */

static void test_invalid_utf8_between_tokens(void **state)
{
    READ(state, "[1, \xff\xfe]");
    expect_only(*state, OB1001, 4, 6, "invalid UTF-8 byte 0xFF");
}

static void test_invalid_utf8_in_strings_all_reported(void **state)
{
    READ(state, "[\"a\xc3(\", \"\xed\xa0\x80\"]");
    struct parsed *p = *state;
    assert_false(p->ok);
    assert_int_equal(ndiags(p), 2);
    expect_diag(p, 0, OB1001, 3, 4, "invalid UTF-8 byte 0xC3");
    expect_diag(p, 1, OB1001, 9, 12, "invalid UTF-8 byte 0xED");
}

static void test_control_characters_in_strings(void **state)
{
    READ(state, "[\"a\tb\", \"\x01\", \"\0\"]");
    struct parsed *p = *state;
    assert_int_equal(ndiags(p), 3);
    expect_diag(p, 0, OB1001, 3, 4, "control character 0x09 in a string");
    assert_string_equal(diag_at(p, 0)->help, "write it as the escape \\t");
    expect_diag(p, 1, OB1001, 9, 10, "control character 0x01 in a string");
    assert_string_equal(diag_at(p, 1)->help, "write it as the escape \\u0001");
    expect_diag(p, 2, OB1001, 14, 15, "NUL byte in a string");
}

static void test_control_and_nul_between_tokens(void **state)
{
    READ(state, "[1,\x0c 2]");
    expect_only(*state, OB1001, 3, 4, "control character 0x0C in the source");
}

static void test_nul_between_tokens(void **state)
{
    READ(state, "{}\0");
    expect_only(*state, OB1001, 2, 3, "NUL byte in the source");
}

static void test_non_ascii_character_between_tokens(void **state)
{
    READ(state, "{\xe2\x80\x9c" "a\": 1}");
    expect_only(*state, OB1010, 1, 4, "unexpected character U+201C, expected a string key or '}'");
    expect_help(*state, "strings use the plain ASCII double quote '\"'");
}

/* ---- byte-order marks ------------------------------------------------------- */

static void test_leading_bom_is_skipped(void **state)
{
    const struct json_value *v = READ(state, "\xef\xbb\xbf{\"a\": true}");
    expect_clean(*state);
    assert_int_equal(v->loc.start, 3);
    assert_int_equal(member(v, 0)->key->loc.start, 4);
    expect_pos(*state, member(v, 0)->value->loc.start, 1, 10);
}

static void test_bom_later_is_an_error(void **state)
{
    READ(state, "[1,\xef\xbb\xbf 2]");
    expect_only(*state, OB1001, 3, 6, "byte-order mark in the middle of the file");
}

static void test_bom_only_is_empty(void **state)
{
    READ(state, "\xef\xbb\xbf");
    expect_only(*state, OB1010, 3, 3, "unexpected end of file, expected a JSON value");
}

/* ---- OB1002 / OB1003 -------------------------------------------------------- */

static void test_unterminated_string_at_end_of_file(void **state)
{
    READ(state, "{\"a\": \"bc");
    expect_only(*state, OB1002, 6, 9, "unterminated string");
}

static void test_unterminated_string_at_end_of_line(void **state)
{
    READ(state, "[\"ab\\\n\"]");
    expect_only(*state, OB1002, 1, 5, "unterminated string");
}

static void test_invalid_escape(void **state)
{
    READ(state, "[\"a\\x41\", \"\\'\"]");
    struct parsed *p = *state;
    assert_int_equal(ndiags(p), 2);
    expect_diag(p, 0, OB1003, 3, 5, "invalid escape '\\x' in a string");
    expect_diag(p, 1, OB1003, 11, 13, "invalid escape '\\'' in a string");
}

static void test_malformed_unicode_escape(void **state)
{
    READ(state, "\"\\u12G4\"");
    expect_only(*state, OB1003, 1, 5, "malformed unicode escape '\\u12'");
    expect_help(*state, "write \\u and exactly four hex digits, like \\u00e9");
}

static void test_short_unicode_escape_at_string_end(void **state)
{
    READ(state, "\"\\u4\"");
    expect_only(*state, OB1003, 1, 4, "malformed unicode escape '\\u4'");
}

/* ---- OB1004 ----------------------------------------------------------------- */

static void test_malformed_numbers(void **state)
{
    static const struct { const char *text; uint32_t end; const char *help; } cases[] = {
        {"[01]", 3, "write it without leading zeros"},
        {"[1.]", 3, "put a digit after the decimal point: 1.0"},
        {"[.5]", 3, "write a digit before the decimal point: 0.5"},
        {"[+1]", 3, "remove the '+': JSON numbers have no plus sign"},
        {"[1e]", 3, "write digits after the exponent: 1e5"},
        {"[1e+]", 4, "write digits after the exponent: 1e5"},
        {"[-]", 2, "write digits after the minus sign"},
        {"[0x1F]", 5, "JSON numbers are decimal, without a 0x prefix"},
        {"[-Infinity]", 10, "JSON has no NaN or Infinity; write a number, or null"},
        {"[1.5.3]", 6, "a JSON number is written -?digits[.digits][e[+-]digits], like -12.5e3"},
        {"[12abc]", 6, "a JSON number is written -?digits[.digits][e[+-]digits], like -12.5e3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct parsed *p = *state;
        if (p->initialized)
            obc_free(&p->cc);
        read_bytes(state, cases[i].text, strlen(cases[i].text));
        expect_only(p, OB1004, 1, cases[i].end, NULL);
        expect_help(p, cases[i].help);
    }
}

static void test_malformed_number_message(void **state)
{
    READ(state, "[1, 007]");
    expect_only(*state, OB1004, 4, 7, "malformed number '007'");
}

/* ---- OB1010 ----------------------------------------------------------------- */

static void test_empty_input(void **state)
{
    READ(state, "");
    expect_only(*state, OB1010, 0, 0, "unexpected end of file, expected a JSON value");
    expect_help(*state, "the file is empty: a JSON document holds one value, such as an object {}");
}

static void test_whitespace_only_input(void **state)
{
    READ(state, " \n\t\r\n");
    expect_only(*state, OB1010, 5, 5, "unexpected end of file, expected a JSON value");
}

static void test_trailing_garbage(void **state)
{
    READ(state, "{\"a\": 1}\n}");
    expect_only(*state, OB1010, 9, 10, "unexpected '}', expected end of file");
    expect_help(*state, "a file holds one JSON value: remove what follows it, or put the values in an array");
    expect_pos(*state, 9, 2, 1);
}

static void test_second_document(void **state)
{
    READ(state, "{} {\"b\": 1}");
    expect_only(*state, OB1010, 3, 4, "unexpected '{', expected end of file");
}

static void test_trailing_comma_in_array(void **state)
{
    READ(state, "[1, 2,\n]");
    expect_only(*state, OB1010, 7, 8, "unexpected ']', expected a value");
    expect_help(*state, "remove the ',' before ']': JSON allows no trailing comma");
}

static void test_trailing_comma_in_object(void **state)
{
    READ(state, "{\"a\": 1,}");
    expect_only(*state, OB1010, 8, 9, "unexpected '}', expected a string key");
    expect_help(*state, "remove the ',' before '}': JSON allows no trailing comma");
}

static void test_unquoted_key(void **state)
{
    READ(state, "{Rules: []}");
    expect_only(*state, OB1010, 1, 6, "unexpected 'Rules', expected a string key or '}'");
    expect_help(*state, "object keys are strings in double quotes: \"Rules\"");
}

static void test_single_quotes(void **state)
{
    READ(state, "['x']");
    expect_only(*state, OB1010, 1, 2, "unexpected ''', expected a value");
    expect_help(*state, "JSON strings use double quotes: \"text\"");
}

static void test_missing_colon(void **state)
{
    READ(state, "{\"a\" = 1}");
    expect_only(*state, OB1010, 5, 6, "unexpected '=', expected ':'");
    expect_help(*state, "write ':' between a key and its value");
}

static void test_missing_comma(void **state)
{
    READ(state, "{\"a\": 1\n \"b\": 2}");
    expect_only(*state, OB1010, 9, 12, "unexpected string \"b\", expected ',' or '}'");
    expect_help(*state, "put a ',' between two members");
}

static void test_wrong_literal_case(void **state)
{
    READ(state, "[True]");
    expect_only(*state, OB1010, 1, 5, "unexpected 'True', expected a value");
    expect_help(*state, "JSON's literals are lower case: true, false and null");
}

static void test_bare_word(void **state)
{
    READ(state, "{\"a\": daily}");
    expect_only(*state, OB1010, 6, 11, "unexpected 'daily', expected a value");
    expect_help(*state, "strings are written in double quotes: \"daily\"");
}

static void test_comment(void **state)
{
    READ(state, "{ // plans\n}");
    expect_only(*state, OB1010, 2, 3, "unexpected '/', expected a string key or '}'");
    expect_help(*state, "JSON has no comments: remove it");
}

static void test_unclosed_object_points_at_its_brace(void **state)
{
    READ(state, "{\"a\": [1]\n");
    struct parsed *p = *state;
    expect_only(p, OB1010, 10, 10, "unexpected end of file, expected ',' or '}'");
    expect_help(p, "close the object with '}'");
    const struct diag_note *n = diag_at(p, 0)->notes;
    assert_non_null(n);
    assert_int_equal(n->loc.start, 0);
    assert_int_equal(n->loc.end, 1);
    assert_string_equal(n->msg, "the object opened here is never closed");
}

static void test_mismatched_bracket(void **state)
{
    READ(state, "[1, 2}");
    expect_only(*state, OB1010, 5, 6, "unexpected '}', expected ',' or ']'");
    expect_help(*state, "close the array with ']'");
}

/* ---- OB1030 and size ---------------------------------------------------------- */

static char *nested(size_t depth)
{
    char *s = malloc(2 * depth + 1);
    assert_non_null(s);
    memset(s, '[', depth);
    memset(s + depth, ']', depth);
    s[2 * depth] = '\0';
    return s;
}

static void test_nesting_at_the_limit(void **state)
{
    char *s = nested(LIMIT_NESTING);
    const struct json_value *v = read_bytes(state, s, strlen(s));
    free(s);
    expect_clean(*state);
    for (int i = 1; i < LIMIT_NESTING; i++)
        v = item(v, 0);
    assert_int_equal(v->items.len, 0);
    assert_int_equal(v->loc.start, LIMIT_NESTING - 1);
}

static void test_nesting_past_the_limit(void **state)
{
    char *s = nested(LIMIT_NESTING + 1);
    read_bytes(state, s, strlen(s));
    free(s);
    expect_only(*state, OB1030, LIMIT_NESTING, LIMIT_NESTING + 1, "brackets nested more than 64 deep");
}

static void test_very_deep_input_stops_at_the_limit(void **state)
{
    size_t depth = 100000;
    char *s = malloc(depth + 1);
    assert_non_null(s);
    for (size_t i = 0; i < depth; i++)
        s[i] = i % 2 ? '[' : '{';
    s[depth] = '\0';
    read_bytes(state, s, depth);
    free(s);
    /* '{' wants a key: the first error is at the second bracket */
    expect_only(*state, OB1010, 1, 2, "unexpected '[', expected a string key or '}'");
}

static void test_megabyte_document(void **state)
{
    struct strbuf b = {0};
    struct arena a;
    arena_init(&a);
    sb_puts(&a, &b, "{\"rules\": [");
    size_t n = 0;
    while (b.len < (1u << 20)) {
        sb_printf(&a, &b, "%s{\"name\": \"rule-%zu\\u00e9\", \"days\": %zu, \"cold\": null, \"on\": true}",
                  n ? ",\n" : "", n, n % 365);
        n++;
    }
    sb_puts(&a, &b, "]}\n");
    const struct json_value *v = read_bytes(state, b.s, b.len);
    struct parsed *p = *state;
    expect_clean(p);
    const struct json_value *rules = json_find(v, "rules")->value;
    assert_int_equal(rules->items.len, n);
    const struct json_value *last = item(rules, n - 1);
    assert_string_equal(json_find(last, "days")->value->text, arena_printf(&a, "%zu", (n - 1) % 365));
    assert_string_equal(json_find(last, "name")->value->text, arena_printf(&a, "rule-%zu\xc3\xa9", n - 1));
    expect_pos(p, last->loc.start, (uint32_t)n, 1);
    arena_free(&a);
}

/* Every prefix of a document but the whole is an error, and none crashes. */
static void test_every_prefix_is_rejected(void **state)
{
    static const char doc[] = "{\"a\": [1, -2.5e+3, \"x\\u00e9\\uD83D\\uDE00\", true, false, null], \"b\": {}}";
    struct parsed *p = *state;
    for (size_t len = 0; len < sizeof doc - 1; len++) {
        if (p->initialized)
            obc_free(&p->cc);
        read_bytes(state, doc, len);
        assert_false(p->ok);
        assert_true(ndiags(p) >= 1);
        const struct diag *d = diag_at(p, 0);
        assert_true(d->loc.start <= d->loc.end && d->loc.end <= len);
        assert_non_null(d->help);
    }
    obc_free(&p->cc);
    read_bytes(state, doc, sizeof doc - 1);
    expect_clean(p);
}

#define T(name) cmocka_unit_test_setup_teardown(name, parsed_setup, parsed_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_nested_document_locations),
        T(test_scalars_and_empty_containers_at_top),
        T(test_top_level_scalar),
        T(test_duplicate_keys_are_kept_in_order),
        T(test_escapes),
        T(test_escaped_nul_keeps_its_length),
        T(test_surrogate_pairs),
        T(test_lone_high_surrogate),
        T(test_high_surrogate_then_other_escape),
        T(test_lone_low_surrogate),
        T(test_invalid_utf8_between_tokens),
        T(test_invalid_utf8_in_strings_all_reported),
        T(test_control_characters_in_strings),
        T(test_control_and_nul_between_tokens),
        T(test_nul_between_tokens),
        T(test_non_ascii_character_between_tokens),
        T(test_leading_bom_is_skipped),
        T(test_bom_later_is_an_error),
        T(test_bom_only_is_empty),
        T(test_unterminated_string_at_end_of_file),
        T(test_unterminated_string_at_end_of_line),
        T(test_invalid_escape),
        T(test_malformed_unicode_escape),
        T(test_short_unicode_escape_at_string_end),
        T(test_malformed_numbers),
        T(test_malformed_number_message),
        T(test_empty_input),
        T(test_whitespace_only_input),
        T(test_trailing_garbage),
        T(test_second_document),
        T(test_trailing_comma_in_array),
        T(test_trailing_comma_in_object),
        T(test_unquoted_key),
        T(test_single_quotes),
        T(test_missing_colon),
        T(test_missing_comma),
        T(test_wrong_literal_case),
        T(test_bare_word),
        T(test_comment),
        T(test_unclosed_object_points_at_its_brace),
        T(test_mismatched_bracket),
        T(test_nesting_at_the_limit),
        T(test_nesting_past_the_limit),
        T(test_very_deep_input_stops_at_the_limit),
        T(test_megabyte_document),
        T(test_every_prefix_is_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
