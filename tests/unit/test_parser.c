/*
 * test_parser.c - the grammar (grammar/parser.y) and its error reports
 * (compiler/parse.c), through parse_file on in-memory files: the exact
 * "unexpected X, expected Y" wording, recovery at item boundaries (every
 * syntax error once, at its own place, with the items around it kept),
 * the nesting limits (OB1030), and the newline rules (lists and match
 * expressions across lines, ';' as a separator).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "front.h"
#include "parse_fixture.h"

/* "x = " followed by `n` copies of `open`, "1" and `n` copies of `close`. */
static char *nested(const char *open, const char *atom, const char *close, int n)
{
    size_t lo = strlen(open), la = strlen(atom), lc = strlen(close);
    char *s = malloc(4 + n * (lo + lc) + la + 2);
    assert_non_null(s);
    char *q = s;
    memcpy(q, "x = ", 4);
    q += 4;
    for (int i = 0; i < n; i++, q += lo)
        memcpy(q, open, lo);
    memcpy(q, atom, la);
    q += la;
    for (int i = 0; i < n; i++, q += lc)
        memcpy(q, close, lc);
    strcpy(q, "\n");
    return s;
}

static struct parsed *parse_owned(void **state, char *text)
{
    struct parsed *p = parse_bytes(state, text, strlen(text));
    free(text);
    return p;
}

static void expect_form(const struct ast_item *it, enum item_form form, const char *word0)
{
    assert_int_equal(it->form, form);
    if (word0)
        assert_string_equal(ast_word_text(it, 0), word0);
}

/* ---- the wording of syntax errors --------------------------------------- */

static void test_double_assign(void **state)
{
    struct parsed *p = PARSE(state, "vault a {\n  name = = \"x\"\n}\n");
    expect_only(p, OB1010, 19, 20, "unexpected '=', expected a value");
    assert_false(p->ok);
    /* the block survives with the bad attribute as an error item */
    const struct ast_item *v = top_item(p, 0);
    expect_form(v, ITEM_BLOCK, "vault");
    assert_int_equal(v->body.len, 1);
    expect_form(item_at(&v->body, 0), ITEM_ERROR, NULL);
}

static void test_two_items_on_one_line(void **state)
{
    struct parsed *p = PARSE(state, "a = 1 b = 2\n");
    expect_only(p, OB1010, 6, 7, "unexpected identifier 'b', expected end of file or end of line");
    assert_string_equal(diag_at(p, 0)->help,
                        "put each attribute on its own line, or separate them with ';'");
}

static void test_missing_comma_in_list(void **state)
{
    struct parsed *p = PARSE(state, "x = [a b]\n");
    expect_only(p, OB1010, 7, 8, "unexpected identifier 'b', expected ']', '(' or ','");
}

static void test_colon_instead_of_assign(void **state)
{
    struct parsed *p = PARSE(state, "a: 1\n");
    expect_only(p, OB1010, 1, 2, "unexpected ':', expected identifier, string, '{' or '='");
    assert_string_equal(diag_at(p, 0)->help, "attributes are written name = value");
}

static void test_line_ends_too_early(void **state)
{
    struct parsed *p = PARSE(state, "a = 1\nb c\nd = 2\n");
    expect_only(p, OB1010, 9, 10, "unexpected end of line, expected identifier, string, '{' or '='");
    assert_string_equal(diag_at(p, 0)->help, "the line ends before the item is complete");
    assert_int_equal(p->file->items.len, 3);
    expect_form(top_item(p, 0), ITEM_ASSIGN, "a");
    expect_form(top_item(p, 1), ITEM_ERROR, NULL);
    expect_form(top_item(p, 2), ITEM_ASSIGN, "d");
}

static void test_comma_between_items(void **state)
{
    struct parsed *p = PARSE(state, "a = 1,\n");
    expect_only(p, OB1010, 5, 6, "unexpected ',', expected end of file or end of line");
    assert_string_equal(diag_at(p, 0)->help, "lists are written in brackets: [a, b]");
}

static void test_comma_in_tag_map(void **state)
{
    struct parsed *p = PARSE(state, "x = {\"a\" = \"1\", \"b\" = \"2\"}\n");
    expect_only(p, OB1010, 14, 15, "unexpected ',', expected end of line or '}'");
    assert_string_equal(diag_at(p, 0)->help,
                        "separate entries with ';' or a new line: { \"a\" = \"1\"; \"b\" = \"2\" }");
}

static void test_unclosed_block_points_at_its_brace(void **state)
{
    struct parsed *p = PARSE(state, "plan p {\n  rule r {\n    x = 1\n");
    expect_only(p, OB1010, 29, 30, "unexpected end of file, expected end of line or '}'");
    const struct diag *d = diag_at(p, 0);
    assert_string_equal(d->help, "close the block with '}'");
    assert_non_null(d->notes);
    assert_int_equal(d->notes->loc.start, 18); /* the '{' of rule r */
    assert_int_equal(d->notes->loc.end, 19);
    assert_string_equal(d->notes->msg, "the block opened here is never closed");
    assert_null(d->notes->next);
}

static void test_unclosed_list_at_end_of_file(void **state)
{
    struct parsed *p = PARSE(state, "x = [a,\n");
    expect_only(p, OB1010, 7, 8, "unexpected end of file, expected a value or ']'");
}

static void test_newline_before_operator_ends_the_item(void **state)
{
    struct parsed *p = PARSE(state, "m = a\n  and b\n");
    expect_only(p, OB1010, 8, 11, "unexpected 'and', expected end of file or end of line");
}

static void test_long_token_is_shortened(void **state)
{
    struct parsed *p = PARSE(state, "a = 1 abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\n");
    expect_only(p, OB1010, 6, 58,
                "unexpected identifier 'abcdefghijklmnopqrstuvwxyzabcdefghijk...', "
                "expected end of file or end of line");
}

/* ---- recovery -------------------------------------------------------------- */

static void test_three_errors_three_reports(void **state)
{
    struct parsed *p = PARSE(state,
                             "account a = \"111111111111\"\n" /*   0 */
                             "vault v {\n"                    /*  27 */
                             "  name = = \"x\"\n"             /*  37 */
                             "  key = k\n"                    /*  52 */
                             "}\n"                            /*  62 */
                             "root r = \"r-ab12\"\n"          /*  64 */
                             "plan p {\n"                     /*  82 */
                             "  regions = [eu-west-1,, eu-central-1]\n"
                             "  select = [s]\n"
                             "}\n"
                             "account b = \"222222222222\"\n"
                             "policy c {\n"
                             "  attach = : r\n"
                             "  plans = [p]\n"
                             "}\n"
                             "ou o = \"ou-ab12-34cd56ef\"\n");
    assert_int_equal(ndiags(p), 3);
    expect_diag(p, 0, OB1010, 46, 47, "unexpected '=', expected a value");
    expect_diag(p, 1, OB1010, 114, 115, "unexpected ',', expected a value or ']'");
    expect_diag(p, 2, OB1010, 196, 197, "unexpected ':', expected a value");
    assert_int_equal(src_pos(p->file, 46).line, 3);
    assert_int_equal(src_pos(p->file, 114).line, 8);
    assert_int_equal(src_pos(p->file, 196).line, 13);

    /* every item around the errors is kept */
    assert_int_equal(p->file->items.len, 7);
    static const struct { enum item_form form; const char *word; } want[] = {
        {ITEM_ASSIGN, "account"}, {ITEM_BLOCK, "vault"}, {ITEM_ASSIGN, "root"}, {ITEM_BLOCK, "plan"},
        {ITEM_ASSIGN, "account"}, {ITEM_BLOCK, "policy"}, {ITEM_ASSIGN, "ou"},
    };
    for (size_t i = 0; i < 7; i++)
        expect_form(top_item(p, i), want[i].form, want[i].word);
    const struct ast_item *vault = top_item(p, 1);
    assert_int_equal(vault->body.len, 2);
    expect_form(item_at(&vault->body, 0), ITEM_ERROR, NULL);
    expect_form(item_at(&vault->body, 1), ITEM_ASSIGN, "key");
    const struct ast_item *plan = top_item(p, 3);
    assert_int_equal(plan->body.len, 2);
    expect_form(item_at(&plan->body, 1), ITEM_ASSIGN, "select");
    const struct ast_item *policy = top_item(p, 5);
    assert_int_equal(policy->body.len, 2);
    expect_form(item_at(&policy->body, 1), ITEM_ASSIGN, "plans");
    assert_string_equal(top_value(p, 6)->text, "ou-ab12-34cd56ef");
}

static void test_lexical_error_does_not_cascade(void **state)
{
    /* a bad string is still a string: no syntax error follows */
    struct parsed *p = PARSE(state, "vault v {\n  name = \"a\\qb\"\n  owner = members\n}\n");
    expect_only(p, OB1003, 21, 23, NULL);
    assert_int_equal(top_item(p, 0)->body.len, 2);
}

/* ---- limits (OB1030) ------------------------------------------------------- */

static void test_brackets_nested_too_deep(void **state)
{
    struct parsed *p = parse_owned(state, nested("[", "1", "]", LIMIT_NESTING + 1));
    /* reported once, at the bracket past the limit; the file stops there */
    expect_only(p, OB1030, 4 + LIMIT_NESTING, 5 + LIMIT_NESTING, "brackets nested more than 64 deep");
    assert_false(p->ok);
}

static void test_nesting_within_the_limit(void **state)
{
    struct parsed *p = parse_owned(state, nested("[", "1", "]", LIMIT_EXPR_DEPTH - 1));
    expect_clean(p);
    assert_int_equal(top_value(p, 0)->depth, LIMIT_EXPR_DEPTH);
}

static void test_expression_nested_too_deep(void **state)
{
    struct parsed *p = parse_owned(state, nested("not ", "a", "", LIMIT_EXPR_DEPTH + 6));
    assert_int_equal(ndiags(p), 1);
    const struct diag *d = diag_at(p, 0);
    assert_int_equal(d->code, OB1030);
    assert_string_equal(d->msg, "expression nested more than 64 deep");
}

static void test_parser_stack_exhaustion(void **state)
{
    struct parsed *p = parse_owned(state, nested("not ", "a", "", 20000));
    assert_int_equal(ndiags(p), 1);
    assert_int_equal(diag_at(p, 0)->code, OB1030);
    assert_string_equal(diag_at(p, 0)->msg, "input nested too deeply (memory exhausted)");
    assert_false(p->ok);
}

static void test_long_flat_expression_is_fine(void **state)
{
    /* depth counts nesting, not length */
    struct parsed *p = parse_owned(state, nested("", "a", " or b", 2));
    expect_clean(p);
    assert_int_equal(top_value(p, 0)->kind, AST_OR);
}

/* ---- newline rules ------------------------------------------------------------ */

static void test_list_across_lines(void **state)
{
    struct parsed *p = PARSE(state, "x = [\n  a,\n  b,\n]\ny = [c]\n");
    expect_clean(p);
    assert_int_equal(p->file->items.len, 2);
    const struct ast_value *list = top_value(p, 0);
    assert_int_equal(list->kind, AST_LIST);
    assert_int_equal(list->items.len, 2);
    assert_string_equal(value_item(list, 1)->text, "b");
    assert_int_equal(list->loc.start, 4);
    assert_int_equal(list->loc.end, 17);
}

static void test_semicolons_separate_items(void **state)
{
    struct parsed *p = PARSE(state, "a = 1; b = 2;c = 3\nvault v { name = \"x\"; owner = members }\n");
    expect_clean(p);
    assert_int_equal(p->file->items.len, 4);
    assert_int_equal(top_value(p, 2)->num, 3);
    const struct ast_item *v = top_item(p, 3);
    expect_form(v, ITEM_BLOCK, "vault");
    assert_int_equal(v->body.len, 2);
    expect_form(item_at(&v->body, 1), ITEM_ASSIGN, "owner");
}

static void test_match_continues_after_operator(void **state)
{
    struct parsed *p = PARSE(state, "m = tag(\"a\") == \"b\" and\n  type in [rds]\nn = 1\n");
    expect_clean(p);
    assert_int_equal(p->file->items.len, 2);
    assert_int_equal(top_value(p, 0)->kind, AST_AND);
}

static void test_newlines_inside_parentheses(void **state)
{
    struct parsed *p = PARSE(state, "m = (tag(\"a\") == \"b\"\n  or type in [rds])\n");
    expect_clean(p);
    assert_int_equal(top_value(p, 0)->kind, AST_OR);
}

static void test_blank_lines_and_comments(void **state)
{
    struct parsed *p = PARSE(state, "\n# head\n\nplan p { # open\n\n  # c\n  rule r {\n    x = 1 # one\n  }\n\n}\n\n");
    expect_clean(p);
    assert_int_equal(p->file->items.len, 1);
    const struct ast_item *plan = top_item(p, 0);
    assert_int_equal(plan->body.len, 1);
    const struct ast_item *rule = item_at(&plan->body, 0);
    expect_form(rule, ITEM_BLOCK, "rule");
    assert_string_equal(ast_word_text(rule, 1), "r");
    assert_int_equal(rule->body.len, 1);
}

static void test_tag_map_entries(void **state)
{
    struct parsed *p = PARSE(state, "tags = {\n \"a\" = \"1\"\n \"b\" = \"2\"; c = \"3\"\n}\n");
    expect_clean(p);
    const struct ast_value *m = top_value(p, 0);
    assert_int_equal(m->kind, AST_MAP);
    assert_int_equal(m->items.len, 3);
    const struct ast_value *pair = value_item(m, 2);
    assert_int_equal(pair->kind, AST_PAIR);
    assert_string_equal(pair->lhs->text, "c");
    assert_string_equal(pair->rhs->text, "3");
}

static void test_empty_file_and_only_comments(void **state)
{
    struct parsed *p = PARSE(state, "# nothing here\n\n");
    expect_clean(p);
    assert_int_equal(p->file->items.len, 0);
}

/* ---- shapes ----------------------------------------------------------------------- */

static void test_phrase_words(void **state)
{
    struct parsed *p = PARSE(state, "schedule = weekly on mon, thu at 05:50\n");
    expect_clean(p);
    const struct ast_value *v = top_value(p, 0);
    assert_int_equal(v->kind, AST_PHRASE);
    assert_string_equal(v->text, "weekly");
    assert_int_equal(v->head_loc.start, 11);
    assert_int_equal(v->head_loc.end, 17);
    assert_int_equal(v->items.len, 5);
    assert_string_equal(value_item(v, 2)->text, "thu");
    assert_int_equal(value_item(v, 4)->kind, AST_TIME);
    assert_int_equal(value_item(v, 4)->num, 350);
}

static void test_comparison_operators(void **state)
{
    struct parsed *p = PARSE(state, "m = type not in [rds] and tag(\"k\") not like \"x*\" or not tag(\"e\") != \"p\"\n");
    expect_clean(p);
    const struct ast_value *v = top_value(p, 0);
    assert_int_equal(v->kind, AST_OR); /* and binds tighter than or */
    assert_int_equal(v->lhs->kind, AST_AND);
    assert_int_equal(v->lhs->lhs->op, CMP_NOT_IN);
    assert_int_equal(v->lhs->rhs->op, CMP_NOT_LIKE);
    assert_int_equal(v->rhs->kind, AST_NOT);
    assert_int_equal(v->rhs->lhs->op, CMP_NE);
    const struct ast_value *call = v->lhs->rhs->lhs;
    assert_int_equal(call->kind, AST_CALL);
    assert_string_equal(call->text, "tag");
    assert_int_equal(call->items.len, 1);
}

static void test_list_operators_in_a_block(void **state)
{
    /* one item form for =, += and -=: the operator is a field of the item */
    struct parsed *p = PARSE(state, "plan p {\n  regions += [a, b]\n  scan_types -= [c]\n  select = [s]\n}\n");
    expect_clean(p);
    const struct ast_item *plan = top_item(p, 0);
    expect_form(item_at(&plan->body, 0), ITEM_ASSIGN, "regions");
    assert_int_equal(item_at(&plan->body, 0)->op, ITEM_OP_APPEND);
    assert_int_equal(item_at(&plan->body, 1)->op, ITEM_OP_REMOVE);
    assert_int_equal(item_at(&plan->body, 2)->op, ITEM_OP_ASSIGN);
    assert_int_equal(item_at(&plan->body, 0)->op_loc.start, 19);
    assert_string_equal(item_op_text(item_at(&plan->body, 1)->op), "-=");
}

static void test_list_operator_without_value(void **state)
{
    struct parsed *p = PARSE(state, "regions += ;\n");
    expect_only(p, OB1010, 11, 12, "unexpected ';', expected a value");
}

static void test_import_and_multi_word_items(void **state)
{
    struct parsed *p = PARSE(state, "import \"std/aws\"\ncopy to central {\n  delete_after = 14d\n}\n");
    expect_clean(p);
    const struct ast_item *imp = top_item(p, 0);
    expect_form(imp, ITEM_STRING, "import");
    assert_string_equal(imp->value->text, "std/aws");
    const struct ast_item *copy = top_item(p, 1);
    expect_form(copy, ITEM_BLOCK, "copy");
    assert_int_equal(copy->words.len, 3);
    assert_string_equal(ast_word_text(copy, 2), "central");
    assert_null(ast_word_text(copy, 3));
    assert_int_equal(copy->open_loc.start, 33);
}

#define T(f) cmocka_unit_test_setup_teardown(f, parsed_setup, parsed_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_double_assign),
        T(test_two_items_on_one_line),
        T(test_missing_comma_in_list),
        T(test_colon_instead_of_assign),
        T(test_line_ends_too_early),
        T(test_comma_between_items),
        T(test_comma_in_tag_map),
        T(test_unclosed_block_points_at_its_brace),
        T(test_unclosed_list_at_end_of_file),
        T(test_newline_before_operator_ends_the_item),
        T(test_long_token_is_shortened),
        T(test_three_errors_three_reports),
        T(test_lexical_error_does_not_cascade),
        T(test_brackets_nested_too_deep),
        T(test_nesting_within_the_limit),
        T(test_expression_nested_too_deep),
        T(test_parser_stack_exhaustion),
        T(test_long_flat_expression_is_fine),
        T(test_list_across_lines),
        T(test_semicolons_separate_items),
        T(test_match_continues_after_operator),
        T(test_newlines_inside_parentheses),
        T(test_blank_lines_and_comments),
        T(test_tag_map_entries),
        T(test_empty_file_and_only_comments),
        T(test_phrase_words),
        T(test_comparison_operators),
        T(test_import_and_multi_word_items),
        T(test_list_operators_in_a_block),
        T(test_list_operator_without_value),
    };
    return cmocka_run_group_tests_name("parser", tests, NULL, NULL);
}
