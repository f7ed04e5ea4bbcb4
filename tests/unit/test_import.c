/*
 * test_import.c - import_print (import_ob.c): programs printed as .ob
 * text that compiles back to the same policies, the names and forms it
 * chooses, and each import code on an IR changed the way a policy
 * document would give it (the JSON front end is not needed for that).
 * Run from the repository root (the standard library is read from stdlib/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

static const char program[] =
    "import \"std/aws\"\n"
    "account backup = \"222222222222\"\n"
    "account other  = \"333333333333\"\n"
    "root org_root = \"r-ab12\"\n"
    "vault local { name = \"org-backup\" }\n"
    "vault central { name = \"org-backup\"; owner = backup; region = eu-west-1; external = true }\n"
    "vault elsewhere { name = \"1backup\"; owner = other; region = eu-west-1; external = true }\n"
    "selection picked {\n"
    "  name  = \"001.picked\"\n"
    "  role  = role \"arn:aws:iam::$account:role/My.Role\"\n"
    "  match = tag(\"a\\nb\") in [\"x\", \"y\"] and tag(\"c\") like \"p\\\"*\" and tag(\"d\") not like \"q\\\\*\" or\n"
    "          tag(\"e\") == \"v\" and tag(\"f\") != \"\\u{202E}\"\n"
    "}\n"
    "selection typed {\n"
    "  role  = default_backup_role\n"
    "  match = type in [ebs, rds] and type not in [aurora] and tag(\"g\") == \"h\"\n"
    "}\n"
    "plan daily {\n"
    "  name    = \"001.Plan\"\n"
    "  regions = [eu-west-1]\n"
    "  select  = [picked]\n"
    "  tags    = { \"Owner\" = \"platform\" }\n"
    "  rule nightly {\n"
    "    name            = \"001_14DayRule\"\n"
    "    schedule        = cron(\"50 5 ? * FRI#2 *\")\n"
    "    vault           = local\n"
    "    delete_after    = 730d\n"
    "    cold_after      = 14d\n"
    "    start_within    = 1h\n"
    "    complete_within = 150min\n"
    "    copy to central { delete_after = 365d }\n"
    "    copy to elsewhere {}\n"
    "  }\n"
    "  rule weekly {\n"
    "    schedule     = cron(\"0 3 ? * mon,thu *\")\n"
    "    vault        = local\n"
    "    delete_after = 35d\n"
    "  }\n"
    "}\n"
    "plan types {\n"
    "  regions = [eu-west-1]\n"
    "  select  = [typed]\n"
    "  rule hourly { schedule = hourly; vault = local; delete_after = 1d }\n"
    "}\n"
    "policy org_backup {\n"
    "  plans  = [daily, types]\n"
    "  attach = [org_root]\n"
    "}\n";

static const char *print(struct compiled *c)
{
    assert_non_null(compile_text(c, program));
    assert_int_equal(c->cc.diag.errors, 0);
    const char *text = NULL;
    bool ok = import_print(&c->cc, c->prog, &text);
    return ok ? text : NULL;
}

static void has(const char *text, const char *want)
{
    if (!strstr(text, want))
        fail_msg("the printed program lacks <%s>:\n%s", want, text);
}

/* The forms and names the printer chooses, proved by import_print. */
static void test_prints_and_proves(void **state)
{
    struct compiled *c = *state;
    const char *text = print(c);
    assert_non_null(text);
    has(text, "account backup = \"222222222222\"");
    has(text, "vault org-backup {\n  external = true\n}");
    has(text, "vault org-backup_2 {\n  external = true\n  name     = \"org-backup\"\n  owner    = backup\n");
    has(text, "vault vault_1backup {\n  external = true\n  name     = \"1backup\"\n");
    has(text, "selection selection_001_picked-1 {\n  name  = \"001.picked-1\"\n");
    has(text, "role  = role \"arn:aws:iam::$account:role/My.Role\"");
    has(text, "match = tag(\"a\\nb\") in [\"x\", \"y\"] and\n          tag(\"c\") like \"p\\\"*\" and\n"
              "          tag(\"d\") not like \"q\\\\*\"");
    has(text, "match = tag(\"e\") == \"v\" and\n          tag(\"f\") != \"\\u{202E}\"");
    has(text, "selection typed {\n  role  = default_backup_role\n"
              "  match = type in [ebs, rds] and type not in [aurora] and\n          tag(\"g\") == \"h\"");
    has(text, "plan plan_001_Plan {\n  name    = \"001.Plan\"");
    has(text, "rule rule_001_14DayRule {\n    name            = \"001_14DayRule\"");
    has(text, "schedule        = cron(\"50 5 ? * FRI#2 *\")"); /* the phrase gives 6#2: kept as cron */
    has(text, "schedule     = weekly on mon, thu at 03:00");
    has(text, "schedule     = hourly");
    has(text, "delete_after    = 2y");
    has(text, "cold_after      = 14d");
    has(text, "complete_within = 150min");
    has(text, "copy to org-backup_2 {\n      delete_after = 1y\n    }");
    has(text, "copy to vault_1backup {}");
    has(text, "policy org_backup {\n  plans = [plan_001_Plan, types]\n}");
}

/* The same IR always prints the same bytes. */
static void test_deterministic(void **state)
{
    struct compiled *c = *state;
    const char *a = print(c);
    assert_non_null(a);
    const char *b = NULL;
    assert_true(import_print(&c->cc, c->prog, &b));
    assert_string_equal(a, b);
}

static struct ir_plan *first_plan(struct compiled *c)
{
    return VEC_GET(struct ir_plan, c->prog->plans, 0);
}

/* A rule whose emitted cron the printed program cannot give: the proof
 * fails, and nothing is printed. */
static void test_ob1134_when_the_print_differs(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, program));
    struct ir_rule *r = VEC_GET(struct ir_rule, first_plan(c)->rules, 0);
    r->cron = "cron(1 2 ? * * *)"; /* emitted, but not the text the printer reads */
    const char *text = NULL;
    assert_false(import_print(&c->cc, c->prog, &text));
    assert_null(text);
    one_diag(c, OB1134);
}

static void test_ob1132_entry_without_values(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, program));
    struct ir_selection *sel = VEC_GET(struct ir_selection, first_plan(c)->selections, 0);
    struct ir_sel_entry *e = VEC_GET(struct ir_sel_entry, sel->entries, 0);
    e->tag_values.len = 0;
    const char *text = NULL;
    assert_false(import_print(&c->cc, c->prog, &text));
    one_diag(c, OB1132);
}

static void test_ob1132_value_twice(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, program));
    struct ir_selection *sel = VEC_GET(struct ir_selection, first_plan(c)->selections, 0);
    struct ir_sel_entry *e = VEC_GET(struct ir_sel_entry, sel->entries, 0);
    e->tag_values.items[1] = e->tag_values.items[0]; /* ["x", "x"] */
    const char *text = NULL;
    assert_false(import_print(&c->cc, c->prog, &text));
    one_diag(c, OB1132);
}

/* A copy into a vault without a Region of its own ($region in its ARN). */
static void test_ob1131_copy_without_region(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, program));
    struct ir_rule *r = VEC_GET(struct ir_rule, first_plan(c)->rules, 0);
    VEC_GET(struct ir_copy, r->copies, 1)->target->regions.len = 0;
    const char *text = NULL;
    assert_false(import_print(&c->cc, c->prog, &text));
    one_diag(c, OB1131);
}

/* Inheritance operators and child controls print as += and children
 * (OB1130 is retired), and the print is proved like any other. */
static void test_operators_and_controls(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, program));
    struct ir_plan *p = first_plan(c);
    p->regions_op = IR_OP_APPEND;
    struct ir_control *k = arena_alloc(&c->cc.arena, sizeof *k);
    *k = (struct ir_control){.allowed = 0, .loc = p->d.name_loc};
    vec_push(&c->cc.arena, &p->controls, k);
    const char *text = NULL;
    assert_true(import_print(&c->cc, c->prog, &text));
    assert_non_null(strstr(text, "  regions += ["));
    assert_non_null(strstr(text, "  children = none\n"));
    assert_int_equal(c->cc.diag.errors, 0);
}

/* A document with a tag id or condition name obc writes otherwise: one
 * note; one whose labels stay, or a .ob program: none. */
static void test_ob1133_once_per_document(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, program));
    const char *text = NULL;
    assert_true(import_print(&c->cc, c->prog, &text));
    assert_int_equal(count_diags(c, OB1133), 0);
    struct ir_policy *pol = VEC_GET(struct ir_policy, c->prog->policies, 0);
    pol->document = true; /* a document whose labels obc writes as they are */
    assert_true(import_print(&c->cc, c->prog, &text));
    assert_int_equal(count_diags(c, OB1133), 0);
    pol->renamed_label = pol->d.loc; /* one that obc renames: said once */
    assert_true(import_print(&c->cc, c->prog, &text));
    one_diag(c, OB1133);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prints_and_proves, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_deterministic, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_ob1134_when_the_print_differs, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_ob1132_entry_without_values, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_ob1132_value_twice, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_ob1131_copy_without_region, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_operators_and_controls, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_ob1133_once_per_document, compiled_setup, compiled_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
