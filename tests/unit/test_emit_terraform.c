/*
 * test_emit_terraform.c - emit_terraform (obc.tf.json) on compiled
 * programs and templates made up here, so that the StackSet and stack
 * paths are tested whatever the CloudFormation emitter writes: the
 * deployment targets of attached roots, OUs and accounts, the named and
 * management accounts (stacks and Region settings through a provider
 * alias per Region), template parameters (OrganizationId, defaults,
 * unknown ones), the variables they need, and identical bytes across runs.
 * Run from the repository root (the standard library is read from stdlib/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

/* Accounts mgmt (management), backup (a central vault) and ops (attached);
 * ATTACH is the policy's attach list. */
#define PROGRAM(ATTACH)                                                      \
    "import \"std/aws\"\n"                                                   \
    "account mgmt = \"111111111111\"\n"                                      \
    "account backup = \"222222222222\"\n"                                    \
    "account ops = \"333333333333\"\n"                                       \
    "ou apps = \"ou-ab12-11111111\"\n"                                       \
    "organization { management = mgmt\n regions = [eu-west-1, us-east-1] }\n" \
    "vault local { name = \"org-backup\" }\n"                                \
    "vault central { name = \"central\"\n owner = backup\n region = eu-west-1\n" \
    "  accept_copies_from = organization }\n"                                \
    "selection s { role = default_backup_role\n match = type in [efs] }\n"   \
    "plan daily { select = [s]\n rule r { schedule = daily at 03:00\n"       \
    "  start_within = 1h\n vault = local\n delete_after = 35d\n"             \
    "  copy to central { delete_after = 35d } } }\n"                         \
    "policy p { plans = [daily]\n attach = [" ATTACH "] }\n"

static const char members_tpl[] =
    "{\"Parameters\": {\"HomeRegion\": {\"Type\": \"String\", \"Default\": \"eu-west-1\"},"
    " \"OrganizationId\": {\"Type\": \"String\"}}, \"Resources\": {}}";
static const char account_tpl[] =
    "{\"Parameters\": {\"Retention\": {\"Type\": \"Number\", \"Default\": 35},"
    " \"AlarmEmail\": {\"Type\": \"String\"}}, \"Resources\": {}}";
static const char plain_tpl[] = "{\"Resources\": {}}";

struct tf_run {
    struct compiled c;
    cJSON *tf;
    const char *text;
};

/* Compiles `src`, hands emit_terraform `ntemplates` templates (name, data)
 * and parses obc.tf.json. */
static void run_tf(struct tf_run *r, const char *src, const char *const *templates, size_t ntemplates)
{
    memset(r, 0, sizeof *r);
    assert_non_null(compile_text(&r->c, src));
    assert_int_equal(r->c.cc.diag.errors, 0);
    cJSON *m = emit_manifest(&r->c.cc, r->c.prog);
    struct vec tpls = {0}, out = {0};
    for (size_t i = 0; i < ntemplates; i++) {
        struct out_file *f = arena_alloc(&r->c.cc.arena, sizeof *f);
        f->name = templates[2 * i];
        f->data = templates[2 * i + 1];
        f->len = strlen(f->data);
        vec_push(&r->c.cc.arena, &tpls, f);
    }
    emit_terraform(&r->c.cc, r->c.prog, m, &tpls, &out);
    cJSON_Delete(m);
    assert_int_equal(out.len, 1);
    const struct out_file *f = out.items[0];
    assert_string_equal(f->name, "obc.tf.json");
    r->text = f->data;
    r->tf = cJSON_Parse(f->data);
    assert_non_null(r->tf);
}

static void tf_free(struct tf_run *r)
{
    cJSON_Delete(r->tf);
    compiled_free(&r->c);
}

/* The item at a path of object keys (NULL-terminated); NULL when absent. */
static const cJSON *at(const cJSON *v, const char *const *keys)
{
    for (; v && *keys; keys++)
        v = cJSON_GetObjectItemCaseSensitive(v, *keys);
    return v;
}
#define AT(v, ...) at((v), (const char *const[]){__VA_ARGS__, NULL})

static const char *str(const cJSON *v)
{
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static void test_root_members_and_accounts(void **state)
{
    (void)state;
    const char *templates[] = {
        "obc.members.template.json", members_tpl,
        "obc.account.backup.template.json", account_tpl,
        "obc.account.mgmt.template.json", plain_tpl,
    };
    struct tf_run r;
    run_tf(&r, PROGRAM("org_root") "root org_root = \"r-ab12\"\n", templates, 3);
    const cJSON *res = AT(r.tf, "resource");
    /* the policy and its attachment */
    assert_string_equal(str(AT(res, "aws_organizations_policy", "p", "content")),
                        "${file(\"${path.module}/p.json\")}");
    assert_string_equal(str(AT(res, "aws_organizations_policy_attachment", "p_org_root", "target_id")), "r-ab12");
    assert_string_equal(str(AT(res, "aws_backup_global_settings", "this", "global_settings",
                               "isCrossAccountBackupEnabled")), "true");
    /* members: every Region of the members entry, the attached root */
    const cJSON *members = AT(res, "aws_cloudformation_stack_set", "members");
    assert_string_equal(str(AT(members, "permission_model")), "SERVICE_MANAGED");
    assert_true(cJSON_IsTrue(AT(members, "auto_deployment", "enabled")));
    assert_string_equal(str(AT(members, "parameters", "HomeRegion")), "eu-west-1");
    assert_string_equal(str(AT(members, "parameters", "OrganizationId")), "${var.organization_id}");
    assert_non_null(AT(r.tf, "variable", "organization_id"));
    assert_null(AT(r.tf, "variable", "organization_root_id"));
    const cJSON *inst = AT(res, "aws_cloudformation_stack_set_instance");
    assert_string_equal(str(AT(inst, "members_eu_west_1", "region")), "eu-west-1");
    assert_string_equal(str(AT(inst, "members_us_east_1", "region")), "us-east-1");
    const cJSON *ous = AT(inst, "members_eu_west_1", "deployment_targets", "organizational_unit_ids");
    assert_int_equal(cJSON_GetArraySize(ous), 1);
    assert_string_equal(str(cJSON_GetArrayItem(ous, 0)), "r-ab12");
    assert_null(AT(inst, "members_eu_west_1", "deployment_targets", "accounts"));
    /* backup: its own StackSet, no automatic deployment, one account */
    const cJSON *backup = AT(res, "aws_cloudformation_stack_set", "account_backup");
    assert_false(cJSON_IsTrue(AT(backup, "auto_deployment", "enabled")));
    assert_string_equal(str(AT(backup, "parameters", "Retention")), "35");
    assert_string_equal(str(AT(backup, "parameters", "AlarmEmail")), "${var.parameter_AlarmEmail}");
    assert_non_null(AT(r.tf, "variable", "parameter_AlarmEmail"));
    const cJSON *bt = AT(inst, "account_backup_eu_west_1", "deployment_targets");
    assert_string_equal(str(AT(bt, "account_filter_type")), "INTERSECTION");
    assert_string_equal(str(cJSON_GetArrayItem(AT(bt, "accounts"), 0)), "222222222222");
    assert_string_equal(str(cJSON_GetArrayItem(AT(bt, "organizational_unit_ids"), 0)), "r-ab12");
    /* mgmt: a stack per Region, through a provider alias per Region */
    const cJSON *stacks = AT(res, "aws_cloudformation_stack");
    assert_string_equal(str(AT(stacks, "account_mgmt_eu_west_1", "provider")), "aws.eu_west_1");
    assert_string_equal(str(AT(stacks, "account_mgmt_us_east_1", "provider")), "aws.us_east_1");
    assert_null(AT(stacks, "account_mgmt_eu_west_1", "parameters"));
    const cJSON *providers = AT(r.tf, "provider", "aws");
    assert_int_equal(cJSON_GetArraySize(providers), 2);
    assert_string_equal(str(AT(cJSON_GetArrayItem(providers, 1), "region")), "us-east-1");
    assert_null(AT(res, "aws_cloudformation_stack_set", "account_mgmt"));
    /* the management account's Region settings, through the same aliases */
    const cJSON *settings = AT(res, "aws_backup_region_settings", "management_us_east_1");
    assert_string_equal(str(AT(settings, "provider")), "aws.us_east_1");
    assert_true(cJSON_IsTrue(AT(settings, "resource_type_opt_in_preference", "EFS")));
    assert_true(cJSON_IsTrue(AT(settings, "resource_type_management_preference", "EFS")));
    /* outputs */
    assert_string_equal(str(AT(r.tf, "output", "policy_ids", "value", "p")), "${aws_organizations_policy.p.id}");
    assert_string_equal(str(AT(r.tf, "output", "stack_set_names", "value", "members")),
                        "${aws_cloudformation_stack_set.members.name}");
    tf_free(&r);
}

/* An OU and accounts attached, no root declared: the OU instance, and
 * the account reached through the variable root id; the management
 * account, also attached, is left out of the StackSet. */
static void test_ou_and_account_without_root(void **state)
{
    (void)state;
    const char *templates[] = {"obc.members.template.json", plain_tpl};
    struct tf_run r;
    run_tf(&r, PROGRAM("apps, ops, mgmt"), templates, 1);
    const cJSON *inst = AT(r.tf, "resource", "aws_cloudformation_stack_set_instance");
    const cJSON *ous = AT(inst, "members_eu_west_1", "deployment_targets", "organizational_unit_ids");
    assert_int_equal(cJSON_GetArraySize(ous), 1);
    assert_string_equal(str(cJSON_GetArrayItem(ous, 0)), "ou-ab12-11111111");
    const cJSON *acc = AT(inst, "members_accounts_eu_west_1", "deployment_targets");
    assert_string_equal(str(cJSON_GetArrayItem(AT(acc, "organizational_unit_ids"), 0)),
                        "${var.organization_root_id}");
    assert_string_equal(str(cJSON_GetArrayItem(AT(acc, "accounts"), 0)), "333333333333");
    assert_int_equal(cJSON_GetArraySize(AT(acc, "accounts")), 1); /* not the management account */
    assert_string_equal(str(AT(acc, "account_filter_type")), "INTERSECTION");
    assert_non_null(AT(r.tf, "variable", "organization_root_id"));
    assert_null(AT(r.tf, "variable", "organization_id"));
    tf_free(&r);
}

/* Without templates: the policies alone, no StackSet, no provider. */
static void test_no_templates(void **state)
{
    (void)state;
    struct tf_run r;
    run_tf(&r, PROGRAM("apps"), NULL, 0);
    assert_non_null(AT(r.tf, "resource", "aws_organizations_policy", "p"));
    assert_null(AT(r.tf, "resource", "aws_cloudformation_stack_set"));
    assert_null(AT(r.tf, "resource", "aws_cloudformation_stack"));
    assert_null(AT(r.tf, "output", "stack_set_names"));
    tf_free(&r);
}

static void test_identical_runs(void **state)
{
    (void)state;
    const char *templates[] = {
        "obc.members.template.json", members_tpl,
        "obc.account.mgmt.template.json", plain_tpl,
    };
    struct tf_run a, b;
    run_tf(&a, PROGRAM("apps, ops"), templates, 2);
    run_tf(&b, PROGRAM("apps, ops"), templates, 2);
    assert_string_equal(a.text, b.text);
    tf_free(&a);
    tf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_members_and_accounts),
        cmocka_unit_test(test_ou_and_account_without_root),
        cmocka_unit_test(test_no_templates),
        cmocka_unit_test(test_identical_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
