/*
 * test_template.c - template syntax in policy documents (compiler/template.c):
 * what counts as a placeholder and what does not ($account, escapes),
 * substitution by --var (raw text, dotted and CloudFormation names, the
 * last --var of a name wins), the one OB1120 with its list and help, unused
 * --var (OB1121), $$account (OB1122), and hostile inputs: a megabyte of
 * "${", a hundred thousand distinct placeholders, an unterminated one,
 * nested braces, NUL bytes and a very long name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "front.h"
#include "parse_fixture.h"

/* Renders text[0..len) as the file `name` with the given --var list. */
static struct src_file *render_vars(void **state, const char *name, const char *text, size_t len,
                                    const struct template_var *vars, size_t nvars)
{
    struct parsed *p = add_bytes(state, name, text, len);
    p->cc.opts.vars = vars;
    p->cc.opts.nvars = nvars;
    struct src_file *out = template_render(&p->cc, p->file);
    p->ok = out != NULL;
    return out;
}

#define RENDER(state, lit) render_vars((state), "t.json", (lit), sizeof(lit) - 1, NULL, 0)
#define RENDER_VARS(state, lit, vars) \
    render_vars((state), "t.json", (lit), sizeof(lit) - 1, (vars), sizeof(vars) / sizeof((vars)[0]))

static struct parsed *P(void **state)
{
    return *state;
}

static void expect_text(const struct src_file *f, const char *text)
{
    assert_non_null(f);
    assert_int_equal(f->len, strlen(text));
    assert_memory_equal(f->text, text, f->len);
}

static void expect_contains(const char *s, const char *part)
{
    assert_non_null(s);
    if (!strstr(s, part))
        fail_msg("'%s' does not contain '%s'", s, part);
}

/* ---- what is not a template ------------------------------------------------ */

static void test_plain_json_is_returned_as_is(void **state)
{
    struct src_file *f = RENDER(state, "{\"plans\": {\"p\": {\"regions\": {\"@@assign\": [\"eu-west-1\"]}}}}");
    assert_ptr_equal(f, P(state)->file);
    assert_int_equal(ndiags(P(state)), 0);
}

static void test_aws_variables_are_not_templates(void **state)
{
    struct src_file *f = RENDER(state, "{\"a\": \"arn:aws:backup:$region:$account:backup-vault:v\", \"b\": \"$\", "
                                       "\"c\": \"100%\", \"d\": \"$ {x}\", \"e\": \"% {x}\"}$");
    assert_ptr_equal(f, P(state)->file);
    assert_int_equal(ndiags(P(state)), 0);
}

static void test_escapes_are_not_placeholders(void **state)
{
    /* A .json file without --var is not rendered: the escapes stay. */
    struct src_file *f = RENDER(state, "{\"a\": \"$${x}\", \"b\": \"%%{ if y }\"}");
    assert_ptr_equal(f, P(state)->file);
    assert_int_equal(ndiags(P(state)), 0);
}

static void test_tpl_file_unescapes(void **state)
{
    static const char text[] = "{\"a\": \"$${x}\", \"b\": \"%%{y}\"}";
    struct src_file *f = render_vars(state, "p.json.tpl", text, sizeof text - 1, NULL, 0);
    expect_text(f, "{\"a\": \"${x}\", \"b\": \"%{y}\"}");
    assert_string_equal(f->path, "p.json.tpl (rendered)");
    assert_int_equal(ndiags(P(state)), 0);
}

static void test_tpl_file_without_syntax_is_itself(void **state)
{
    static const char text[] = "{\"a\": \"$account\"}";
    struct src_file *f = render_vars(state, "p.tpl", text, sizeof text - 1, NULL, 0);
    assert_ptr_equal(f, P(state)->file);
}

/* ---- the one diagnostic ----------------------------------------------------- */

static void test_placeholder_without_var(void **state)
{
    struct src_file *f = RENDER(state, "{\"regions\": [\"${region}\", \"${region}\"], \"x\": \"${ var.vault }\"}");
    assert_null(f);
    assert_int_equal(ndiags(P(state)), 1);
    expect_diag(P(state), 0, OB1120, 14, 23,
                "this policy document is a template: 2 placeholders are left to fill: ${region}, ${ var.vault }");
    const struct diag *d = diag_at(P(state), 0);
    expect_contains(d->help, "pass --var NAME=VALUE for each of region, var.vault");
    expect_contains(d->help, "templatefile");
}

static void test_name_listed_once(void **state)
{
    struct src_file *f = RENDER(state, "[\"${region}\", \"${ region }\", \"${region}\"]");
    assert_null(f);
    expect_only(P(state), OB1120, 2, 11,
                "this policy document is a template: 2 placeholders are left to fill: ${region}, ${ region }");
    expect_contains(diag_at(P(state), 0)->help, "for each of region (the value");
}

static void test_expressions_and_directives(void **state)
{
    struct src_file *f = RENDER(state, "{\"a\": ${jsonencode(var.regions)},\n"
                                       "%{ if x }\"b\": 1%{ endif }, \"c\": \"${~ name ~}\", \"d\": \"${n}\"}");
    assert_null(f);
    assert_int_equal(ndiags(P(state)), 1);
    expect_diag(P(state), 0, OB1120, 6, 32,
                "this policy document is a template: 5 placeholders are left to fill: "
                "${jsonencode(var.regions)}, %{ if x }, %{ endif }, ${~ name ~}, ${n}");
    const struct diag *d = diag_at(P(state), 0);
    expect_contains(d->help, "render the file first");
    expect_contains(d->help, "fills only simple placeholders like n,");
}

static void test_cloudformation_placeholder(void **state)
{
    struct src_file *f = RENDER(state, "{\"r\": \"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x\"}");
    assert_null(f);
    expect_diag(P(state), 0, OB1120, 11, 28, NULL);
    expect_contains(diag_at(P(state), 0)->help, "AWS::Partition, AWS::AccountId");
}

static void test_unterminated(void **state)
{
    struct src_file *f = RENDER(state, "{\"a\": \"${region\",\n \"b\": 1}\n");
    assert_null(f);
    assert_int_equal(ndiags(P(state)), 1);
    expect_diag(P(state), 0, OB1120, 7, 27,
                "this policy document is a template: 1 placeholder is left to fill: ${region\",... (never closed)");
}

static void test_nested_braces_and_strings(void **state)
{
    struct src_file *f = RENDER(state, "[${ {a = {b = \"}\"}} }, ${\"${x}\"}, 1]");
    assert_null(f);
    expect_diag(P(state), 0, OB1120, 1, 21,
                "this policy document is a template: 2 placeholders are left to fill: "
                "${ {a = {b = \"}\"}} }, ${\"${x}\"}");
}

/* ---- substitution ------------------------------------------------------------ */

static void test_var_substitutes_raw_text(void **state)
{
    static const struct template_var vars[] = {{"region", "eu-west-1"}, {"days", "30"}, {"var.vault", "v"}};
    struct src_file *f = RENDER_VARS(state, "{\"r\": \"${region}\", \"d\": ${days}, \"v\": \"${ var.vault }\"}", vars);
    expect_text(f, "{\"r\": \"eu-west-1\", \"d\": 30, \"v\": \"v\"}");
    assert_string_equal(f->path, "t.json (rendered with --var)");
    assert_ptr_equal(f->origin, P(state)->file);
    assert_int_not_equal(f->id, P(state)->file->id);
    assert_ptr_equal(src_get(&P(state)->cc, f->id), f);
    assert_int_equal(ndiags(P(state)), 0);
}

static void test_cloudformation_var(void **state)
{
    static const struct template_var vars[] = {{"AWS::Region", "eu-central-1"}};
    struct src_file *f = RENDER_VARS(state, "\"${AWS::Region}\"", vars);
    expect_text(f, "\"eu-central-1\"");
}

static void test_rendered_text_keeps_line_numbers(void **state)
{
    static const struct template_var vars[] = {{"a", "a-much-longer-value"}};
    struct src_file *f = RENDER_VARS(state, "{\n\"x\": \"${a}\",\n\"y\": \"$${z}\",\n\"w\": 1\n}", vars);
    expect_text(f, "{\n\"x\": \"a-much-longer-value\",\n\"y\": \"${z}\",\n\"w\": 1\n}");
    src_line_map(f);
    src_line_map(P(state)->file);
    assert_int_equal(f->nlines, P(state)->file->nlines);
    const char *w = strstr(f->text, "\"w\"");
    assert_int_equal(src_pos(f, (uint32_t)(w - f->text)).line, 4);
}

static void test_some_filled_some_left(void **state)
{
    static const struct template_var vars[] = {{"region", "eu-west-1"}};
    struct src_file *f = RENDER_VARS(state, "[\"${region}\", \"${vault}\", \"${region}\"]", vars);
    assert_null(f);
    assert_int_equal(ndiags(P(state)), 1);
    expect_diag(P(state), 0, OB1120, 15, 23,
                "this policy document is a template: 1 placeholder is left to fill: ${vault}");
}

static void test_unused_var(void **state)
{
    static const struct template_var vars[] = {{"region", "x"}, {"regoin", "y"}};
    struct src_file *f = RENDER_VARS(state, "\"${region}\"", vars);
    expect_text(f, "\"x\"");
    assert_int_equal(ndiags(P(state)), 1);
    const struct diag *d = diag_at(P(state), 0);
    assert_int_equal(d->code, OB1121);
    assert_int_equal(d->sev, SEV_WARNING);
    assert_int_equal(d->loc.file, 0);
    assert_string_equal(d->msg, "--var regoin is never used: t.json has no ${regoin}");
}

static void test_last_var_of_a_name_wins(void **state)
{
    static const struct template_var vars[] = {{"r", "first"}, {"r", "second"}};
    struct src_file *f = RENDER_VARS(state, "\"${r}\"", vars);
    expect_text(f, "\"second\"");
    assert_int_equal(ndiags(P(state)), 0);
}

static void test_double_dollar_account(void **state)
{
    struct src_file *f = RENDER(state, "{\"k\": \"arn:aws:backup:us-east-1:$$account:backup-vault:v\", "
                                       "\"r\": \"arn:aws:iam::$$account:role/x\", \"z\": \"$$accounts $$region\"}");
    assert_ptr_equal(f, P(state)->file);
    assert_int_equal(ndiags(P(state)), 1);
    expect_diag(P(state), 0, OB1122, 32, 41,
                "'$$account' reaches AWS as written: Terraform turns only '$${' into '${', so '$$' before a name "
                "stays '$$' (3 places in this file)");
    expect_contains(diag_at(P(state), 0)->help, "write '$account' (one '$')");
}

/* ---- hostile inputs ---------------------------------------------------------- */

static char *repeat(const char *unit, size_t times, size_t *len)
{
    size_t u = strlen(unit);
    char *s = malloc(u * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * u, unit, u);
    s[u * times] = '\0';
    *len = u * times;
    return s;
}

static void test_megabyte_of_openers(void **state)
{
    size_t len;
    char *s = repeat("${", 512 * 1024, &len);
    struct src_file *f = render_vars(state, "t.json", s, len, NULL, 0);
    free(s);
    assert_null(f);
    assert_int_equal(ndiags(P(state)), 1);
    expect_diag(P(state), 0, OB1120, 0, (uint32_t)len, NULL);
    expect_contains(diag_at(P(state), 0)->msg, "(never closed)");
}

static void test_many_distinct_placeholders(void **state)
{
    enum { N = 100000 };
    struct strbuf b = {0};
    struct arena a;
    arena_init(&a);
    for (int i = 0; i < N; i++)
        sb_printf(&a, &b, "${v%d}%%{ if x%d }", i, i);
    struct src_file *f = render_vars(state, "t.json", b.s, b.len, NULL, 0);
    arena_free(&a);
    assert_null(f);
    assert_int_equal(ndiags(P(state)), 1);
    const struct diag *d = diag_at(P(state), 0);
    expect_contains(d->msg, "200000 placeholders are left to fill: ${v0}, %{ if x0 }, ${v1}");
    expect_contains(d->msg, " and 199992 more");
}

static void test_many_substitutions(void **state)
{
    static const struct template_var vars[] = {{"x", "1"}};
    size_t len;
    char *s = repeat("${x},", 200000, &len);
    struct src_file *f = render_vars(state, "t.json", s, len, vars, 1);
    free(s);
    assert_non_null(f);
    assert_int_equal(f->len, 400000);
    assert_int_equal(ndiags(P(state)), 0);
}

static void test_very_long_name(void **state)
{
    size_t len;
    char *s = repeat("a", 1024 * 1024, &len);
    s[0] = '$', s[1] = '{', s[len - 1] = '}';
    struct src_file *f = render_vars(state, "t.json", s, len, NULL, 0);
    free(s);
    assert_null(f);
    const struct diag *d = diag_at(P(state), 0);
    expect_contains(d->msg, "1 placeholder is left to fill: ${aaaa");
    assert_true(strlen(d->msg) < 200);
    assert_true(strlen(d->help) < 400);
}

static void test_nul_bytes(void **state)
{
    static const char text[] = "{\"a\": \"${re\0gion}\", \"b\": \"\0${x}\"}";
    struct src_file *f = render_vars(state, "t.json", text, sizeof text - 1, NULL, 0);
    assert_null(f);
    assert_int_equal(ndiags(P(state)), 1);
    expect_diag(P(state), 0, OB1120, 7, 17,
                "this policy document is a template: 2 placeholders are left to fill: ${re..., ${x}");
}

static void test_nul_bytes_survive_rendering(void **state)
{
    static const struct template_var vars[] = {{"x", "1"}};
    static const char text[] = "\0${x}\0";
    struct src_file *f = render_vars(state, "t.json", text, sizeof text - 1, vars, 1);
    assert_non_null(f);
    assert_int_equal(f->len, 3);
    assert_memory_equal(f->text, "\0" "1" "\0", 3);
}

/* ---- names ------------------------------------------------------------------- */

static void test_name_valid(void **state)
{
    (void)state;
    static const char *const good[] = {"region", "_x", "var.region", "local.tags.env", "AWS::Region",
                                       "a-b", "x9", "Res.Attr"};
    static const char *const bad[] = {"", "9x", "a b", ".a", "a.", "a..b", "a:b", "a:::b", "-a",
                                      "f(x)", "a.9", "a=b", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(template_name_valid(good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (template_name_valid(bad[i], strlen(bad[i])))
            fail_msg("'%s' accepted", bad[i]);
    assert_true(template_path("a.json.tpl"));
    assert_true(template_path("a.tpl"));
    assert_false(template_path("a.json"));
    assert_false(template_path("tpl"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, parsed_setup, parsed_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_plain_json_is_returned_as_is),
        T(test_aws_variables_are_not_templates),
        T(test_escapes_are_not_placeholders),
        T(test_tpl_file_unescapes),
        T(test_tpl_file_without_syntax_is_itself),
        T(test_placeholder_without_var),
        T(test_name_listed_once),
        T(test_expressions_and_directives),
        T(test_cloudformation_placeholder),
        T(test_unterminated),
        T(test_nested_braces_and_strings),
        T(test_var_substitutes_raw_text),
        T(test_cloudformation_var),
        T(test_rendered_text_keeps_line_numbers),
        T(test_some_filled_some_left),
        T(test_unused_var),
        T(test_last_var_of_a_name_wins),
        T(test_double_dollar_account),
        T(test_megabyte_of_openers),
        T(test_many_distinct_placeholders),
        T(test_many_substitutions),
        T(test_very_long_name),
        T(test_nul_bytes),
        T(test_nul_bytes_survive_rendering),
        T(test_name_valid),
    };
    return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
