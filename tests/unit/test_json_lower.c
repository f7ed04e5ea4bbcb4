/*
 * test_json_lower.c - the BACKUP_POLICY document walker (json_lower.c):
 * what a document becomes in the IR (external vaults, a document policy,
 * numbers and strings alike, resource types by ARN), and that structure
 * errors are reported once, without cascades.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "driver.h"
#include "compile_fixture.h"

/* Analyzes `json` as the document "daily.json", as `obc check` does. */
static struct ir_program *check_json(struct compiled *c, bool standalone, const char *json)
{
    struct obc_options opts = {.standalone = standalone};
    obc_init(&c->cc, &opts);
    c->initialized = true;
    struct src_file *f = load_document_text(&c->cc, "daily.json", json, strlen(json));
    c->prog = obc_analyze_document(&c->cc, f);
    return c->prog;
}

#define ROLE "\"iam_role_arn\": {\"@@assign\": \"arn:aws:iam::$account:role/backup\"}"
#define SELECT "\"selections\": {\"tags\": {\"s\": {" ROLE ", \"tag_key\": {\"@@assign\": \"backup\"}, " \
               "\"tag_value\": {\"@@assign\": [\"true\"]}}}}"
#define SCHEDULE "\"schedule_expression\": {\"@@assign\": \"cron(0 5 ? * * *)\"}"
#define VAULT "\"target_backup_vault_name\": {\"@@assign\": \"org-backup\"}"

/* A document with one plan "daily" and one rule "r" whose extra keys are `rule`. */
static char *doc(const char *rule)
{
    return text_printf("{\"plans\": {\"daily\": {\"regions\": {\"@@assign\": [\"eu-central-1\"]}, " SELECT ", "
                       "\"rules\": {\"r\": {" SCHEDULE ", " VAULT "%s%s}}}}}",
                       rule[0] ? ", " : "", rule);
}

static struct ir_rule *only_rule(const struct ir_program *prog)
{
    assert_int_equal(prog->plans.len, 1);
    const struct ir_plan *p = prog->plans.items[0];
    assert_int_equal(p->rules.len, 1);
    return p->rules.items[0];
}

static void complete_document(void **state)
{
    struct compiled *c = *state;
    char *json = doc("\"start_backup_window_minutes\": {\"@@assign\": \"60\"}, "
                     "\"lifecycle\": {\"delete_after_days\": {\"@@assign\": \"35\"}}");
    struct ir_program *prog = check_json(c, false, json);
    free(json);
    assert_non_null(prog);
    assert_int_equal(c->cc.diag.errors, 0);
    assert_int_equal(c->cc.diag.warnings, 0);
    const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, 0);
    assert_string_equal(pol->d.name, "daily");
    assert_true(pol->document);
    const struct ir_plan *p = prog->plans.items[0];
    assert_int_equal(p->regions.len, 1);
    assert_string_equal(VEC_GET(struct ir_region, p->regions, 0)->d.name, "eu-central-1");
    assert_int_equal(p->selections.len, 1);
    const struct ir_selection *sel = p->selections.items[0];
    assert_string_equal(sel->d.name, "s");
    assert_string_equal(sel->role->arn.s, "arn:aws:iam::$account:role/backup");
    const struct ir_sel_entry *e = sel->entries.items[0];
    assert_string_equal(e->tag_key, "backup");
    assert_int_equal(e->tag_values.len, 1);
    struct ir_rule *r = only_rule(prog);
    assert_string_equal(r->cron, "cron(0 5 ? * * *)");
    assert_int_equal(r->start_within.state, IR_SET);
    assert_int_equal(r->start_within.v, 60);
    assert_int_equal(r->lc.delete_after.v, 35);
    assert_true(r->vault->external);
    assert_string_equal(r->vault->aws_name.s, "org-backup");
    assert_int_equal(r->vault->owner.kind, PRIN_MEMBERS);
}

/* 35 and "35", false and "false" are one value. */
static void numbers_and_strings_alike(void **state)
{
    struct compiled *c = *state;
    char *json = doc("\"start_backup_window_minutes\": {\"@@assign\": 60}, "
                     "\"enable_continuous_backup\": {\"@@assign\": false}, "
                     "\"lifecycle\": {\"delete_after_days\": {\"@@assign\": 35}}");
    struct ir_program *prog = check_json(c, false, json);
    free(json);
    assert_int_equal(c->cc.diag.errors, 0);
    struct ir_rule *r = only_rule(prog);
    assert_int_equal(r->start_within.v, 60);
    assert_int_equal(r->continuous.state, IR_SET);
    assert_false(r->continuous.v);
    assert_int_equal(r->lc.delete_after.v, 35);
}

static void wrong_number_is_rejected_once(void **state)
{
    struct compiled *c = *state;
    char *json = doc("\"lifecycle\": {\"delete_after_days\": {\"@@assign\": 35.5}}");
    struct ir_program *prog = check_json(c, false, json);
    free(json);
    assert_int_equal(count_diags(c, OB1107), 1);
    assert_int_equal(only_rule(prog)->lc.delete_after.state, IR_REJECTED);
    assert_int_equal(count_diags(c, OB9003), 0); /* not "kept forever": it was written */
}

/* Two rules copying to one ARN share one external vault, held by the
 * account of the ARN, in its region. */
static void copy_targets(void **state)
{
    struct compiled *c = *state;
    const char *arn = "arn:aws:backup:eu-west-1:111122223333:backup-vault:central";
    char *json = text_printf(
        "{\"plans\": {\"daily\": {\"regions\": {\"@@assign\": [\"eu-central-1\"]}, " SELECT ", \"rules\": {"
        "\"a\": {" SCHEDULE ", " VAULT ", \"copy_actions\": {\"%s\": {\"target_backup_vault_arn\": {\"@@assign\": \"%s\"}}}},"
        "\"b\": {\"schedule_expression\": {\"@@assign\": \"cron(0 6 ? * * *)\"}, " VAULT ", "
        "\"copy_actions\": {\"%s\": {\"target_backup_vault_arn\": {\"@@assign\": \"%s\"}}}}}}}}",
        arn, arn, arn, arn);
    struct ir_program *prog = check_json(c, false, json);
    free(json);
    assert_int_equal(c->cc.diag.errors, 0);
    const struct ir_plan *p = prog->plans.items[0];
    const struct ir_copy *x = VEC_GET(struct ir_rule, p->rules, 0)->copies.items[0];
    const struct ir_copy *y = VEC_GET(struct ir_rule, p->rules, 1)->copies.items[0];
    assert_ptr_equal(x->target, y->target);
    assert_true(x->target->external);
    assert_int_equal(x->target->owner.kind, PRIN_ACCOUNT);
    assert_string_equal(x->target->owner.account->id, "111122223333");
    assert_int_equal(x->target->regions.len, 1);
    assert_string_equal(VEC_GET(struct ir_region, x->target->regions, 0)->d.name, "eu-west-1");
    assert_string_equal(x->written_arn, arn);
}

static void resource_types_by_arn(void **state)
{
    struct compiled *c = *state;
    const char *json =
        "{\"plans\": {\"daily\": {\"regions\": {\"@@assign\": [\"us-gov-west-1\"]}, \"rules\": {\"r\": {" SCHEDULE ", "
        VAULT "}}, \"selections\": {\"resources\": {\"s\": {\"iam_role_arn\": {\"@@assign\": "
        "\"arn:aws-us-gov:iam::$account:role/backup\"}, \"resource_types\": {\"@@assign\": [\"*\", "
        "\"arn:aws-us-gov:ec2:*:*:volume/*\", \"arn:aws-us-gov:dynamodb:*:*:table/*\"]}}}}}}}";
    struct ir_program *prog = check_json(c, false, json);
    assert_int_equal(c->cc.diag.errors, 0);
    const struct ir_selection *sel = VEC_GET(struct ir_plan, prog->plans, 0)->selections.items[0];
    const struct ir_sel_entry *e = sel->entries.items[0];
    assert_int_equal(e->types.len, 3);
    assert_true(VEC_GET(struct ir_restype, e->types, 0)->is_any);
    assert_string_equal(VEC_GET(struct ir_restype, e->types, 1)->d.name, "ebs");
    assert_string_equal(VEC_GET(struct ir_restype, e->types, 2)->d.name, "dynamodb");
    assert_int_equal(e->type_arns.len, 3); /* written back as the document had them */
}

/* A resource's own ARN is not a type: the help names the type's pattern. */
static void resource_arn_is_not_a_type(void **state)
{
    struct compiled *c = *state;
    const char *json =
        "{\"plans\": {\"daily\": {\"regions\": {\"@@assign\": [\"eu-west-1\"]}, \"rules\": {\"r\": {" SCHEDULE ", "
        VAULT "}}, \"selections\": {\"resources\": {\"s\": {" ROLE ", \"resource_types\": {\"@@assign\": "
        "[\"arn:aws:dynamodb:eu-west-1:111122223333:table/orders\"]}}}}}}}";
    check_json(c, false, json);
    const struct diag *d = one_diag(c, OB1116);
    assert_non_null(strstr(d->help, "\"arn:aws:dynamodb:*:*:table/*\""));
    assert_int_equal(c->cc.diag.errors, 1);
}

/* The first of two equal keys is read; the second is OB1105. */
static void duplicate_key(void **state)
{
    struct compiled *c = *state;
    char *json = doc("\"lifecycle\": {\"delete_after_days\": {\"@@assign\": \"35\"}, "
                     "\"delete_after_days\": {\"@@assign\": \"40\"}}");
    struct ir_program *prog = check_json(c, false, json);
    free(json);
    assert_int_equal(count_diags(c, OB1105), 1);
    assert_int_equal(only_rule(prog)->lc.delete_after.v, 35);
}

/* A misspelt key counts as written: no note that it is missing, no
 * check that it is absent. */
static void misspelt_key_does_not_cascade(void **state)
{
    struct compiled *c = *state;
    char *json = doc("\"lifecycle\": {\"to_delete_after_days\": {\"@@assign\": \"35\"}}");
    struct ir_program *prog = check_json(c, false, json);
    free(json);
    const struct diag *d = one_diag(c, OB1102);
    assert_non_null(strstr(d->msg, "did you mean \"delete_after_days\""));
    assert_int_equal(only_rule(prog)->lc.delete_after.state, IR_REJECTED);
    assert_int_equal(count_diags(c, OB9003), 0);
    assert_int_equal(count_diags(c, OB1114), 0);
}

static void list_operators_are_lowered(void **state)
{
    struct compiled *c = *state;
    const char *json =
        "{\"plans\": {\"daily\": {\"regions\": {\"@@append\": [\"eu-central-1\"]}, \"rules\": {\"r\": {" SCHEDULE ", "
        VAULT "}}, \"selections\": {\"tags\": {\"s\": {" ROLE ", \"tag_key\": {\"@@assign\": \"b\"}, "
        "\"tag_value\": {\"@@remove\": [\"x\"]}}}}}}}";
    struct ir_program *prog = check_json(c, false, json);
    assert_int_equal(count_diags(c, OB1108), 0); /* retired: inheritance is computed */
    assert_int_equal(c->cc.diag.errors, 0);
    const struct ir_rule *r = only_rule(prog);
    assert_int_equal(r->plan->regions_op, IR_OP_APPEND);
    const struct ir_selection *sel = r->plan->selections.items[0];
    assert_int_equal(VEC_GET(const struct ir_sel_entry, sel->entries, 0)->tag_values_op, IR_OP_REMOVE);
}

static void append_on_a_single_value(void **state)
{
    struct compiled *c = *state;
    char *json = doc("\"enable_continuous_backup\": {\"@@append\": \"true\"}");
    struct ir_program *prog = check_json(c, false, json);
    free(json);
    assert_int_equal(count_diags(c, OB8101), 1);
    assert_int_equal(only_rule(prog)->continuous.state, IR_REJECTED);
}

static void flat_value_is_still_read(void **state)
{
    struct compiled *c = *state;
    char *json = doc("\"lifecycle\": {\"delete_after_days\": \"35\"}");
    struct ir_program *prog = check_json(c, false, json);
    free(json);
    assert_int_equal(count_diags(c, OB1103), 1);
    assert_int_equal(only_rule(prog)->lc.delete_after.state, IR_SET);
    assert_int_equal(only_rule(prog)->lc.delete_after.v, 35);
}

static const char partial[] = "{\"plans\": {\"daily\": {\"rules\": {\"r\": {\"lifecycle\": "
                              "{\"delete_after_days\": {\"@@assign\": \"35\"}}}}}}}";

/* A child policy: one note, no error; under --standalone one error per
 * missing key (regions, selections, schedule_expression, vault). */
static void partial_policy(void **state)
{
    struct compiled *c = *state;
    check_json(c, false, partial);
    assert_int_equal(c->cc.diag.errors, 0);
    const struct diag *d = one_diag(c, OB1114);
    assert_int_equal(d->sev, SEV_NOTE);
    assert_non_null(strstr(d->msg, "plans.daily.regions"));
}

static void partial_policy_standalone(void **state)
{
    struct compiled *c = *state;
    check_json(c, true, partial);
    assert_int_equal(count_diags(c, OB1114), 0);
    assert_int_equal(count_diags(c, OB1115), 4);
}

static void wrapped_document(void **state)
{
    struct compiled *c = *state;
    char *inner = doc("");
    char *json = text_printf("{\"backup_policy\": %s}", inner);
    check_json(c, false, json);
    free(inner);
    free(json);
    assert_int_equal(c->cc.diag.errors, 1);
    assert_non_null(strstr(one_diag(c, OB1101)->msg, "wrapped in \"backup_policy\""));
}

static void vault_arn_with_vault(void **state)
{
    struct compiled *c = *state;
    const char *arn = "arn:aws:backup:eu-west-1:$account:vault:dr";
    char *extra = text_printf("\"copy_actions\": {\"%s\": {\"target_backup_vault_arn\": {\"@@assign\": \"%s\"}}}",
                              arn, arn);
    char *json = doc(extra);
    struct ir_program *prog = check_json(c, false, json);
    free(extra);
    free(json);
    assert_int_equal(c->cc.diag.errors, 1);
    const struct diag *d = one_diag(c, OB1111);
    assert_non_null(strstr(d->help, "arn:aws:backup:eu-west-1:$account:backup-vault:dr"));
    /* the copy stays, without a target, for its lifecycle's checks */
    assert_int_equal(only_rule(prog)->copies.len, 1);
    assert_null(VEC_GET(struct ir_copy, only_rule(prog)->copies, 0)->target);
}

/* Whitespace outside strings does not count; inside strings it does. */
static void minified_characters(void **state)
{
    (void)state;
    const char text[] = "{ \"a\" :\n\t\"b c\" , \"\\\"d\" : \"\xc3\xa9\" }";
    assert_int_equal(json_minified_chars(text, sizeof text - 1), strlen("{\"a\":\"b c\",\"\\\"d\":\"e\"}"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(complete_document, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(numbers_and_strings_alike, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(wrong_number_is_rejected_once, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(copy_targets, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(resource_types_by_arn, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(resource_arn_is_not_a_type, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(duplicate_key, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(misspelt_key_does_not_cascade, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(list_operators_are_lowered, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(append_on_a_single_value, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(flat_value_is_still_read, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(partial_policy, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(partial_policy_standalone, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(wrapped_document, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(vault_arn_with_vault, compiled_setup, compiled_teardown),
        cmocka_unit_test(minified_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
