/*
 * test_emit_cfn.c - the CloudFormation emitter (emit_cfn.c,
 * emit_cfn_extras.c) on a hand-made manifest (tests/cfn/manifest-extras.json)
 * with the entries the notify, restore_test and audit_framework
 * declarations produce: an SNS topic shared by an EventBridge rule and a
 * vault's notifications (one topic, one topic policy, subscriptions once),
 * a restore testing plan with two selections, an audit framework; the
 * Region conditions of an entry in one of two Regions and in eleven of
 * twelve (a nested Fn::Or); placeholders. With
 * OBC_CFN_UNIT_OUT set the template is also written there, for
 * tests/check-cfn.py (make cfn).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

static cJSON *read_json(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *doc = cJSON_Parse(buf);
    assert_non_null(doc);
    return doc;
}

static const cJSON *at(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        fail_msg("no member %s", key);
    return v;
}

static const char *type_of(const cJSON *res, const char *id)
{
    return at(at(res, id), "Type")->valuestring;
}

static void test_extras(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, &(struct obc_options){.stdlib_dir = "stdlib"});
    cJSON *m = read_json("tests/cfn/manifest-extras.json");
    struct vec out = {0};
    emit_cloudformation(&cc, NULL, m, &out);
    assert_int_equal(out.len, 1);
    const struct out_file *f = out.items[0];
    assert_string_equal(f->name, "obc.members.template.json");
    const char *path = getenv("OBC_CFN_UNIT_OUT");
    if (path) {
        FILE *w = fopen(path, "wb");
        assert_non_null(w);
        assert_int_equal(fwrite(f->data, 1, f->len, w), f->len);
        assert_int_equal(fclose(w), 0);
    }
    cJSON *t = cJSON_Parse(f->data);
    assert_non_null(t);
    const cJSON *res = at(t, "Resources");

    /* the topic of both notifications, once; both services may publish */
    assert_string_equal(type_of(res, "TopicBackupAlerts"), "AWS::SNS::Topic");
    assert_null(cJSON_GetObjectItemCaseSensitive(res, "TopicBackupAlerts2"));
    assert_int_equal(cJSON_GetArraySize(at(at(at(res, "TopicBackupAlerts"), "Properties"), "Subscription")), 2);
    const cJSON *pol = at(at(res, "TopicPolicyBackupAlerts"), "Properties");
    const cJSON *st = cJSON_GetArrayItem(at(at(pol, "PolicyDocument"), "Statement"), 0);
    assert_int_equal(cJSON_GetArraySize(at(at(st, "Principal"), "Service")), 2);
    /* the EventBridge rule is the same in both Regions: no condition */
    assert_string_equal(type_of(res, "RuleAlerts"), "AWS::Events::Rule");
    assert_null(cJSON_GetObjectItemCaseSensitive(at(res, "RuleAlerts"), "Condition"));
    /* the vault and its notifications exist in eu-west-1 only */
    const cJSON *vault = at(res, "VaultLocalEuWest1");
    assert_string_equal(at(vault, "Condition")->valuestring, "InEuWest1");
    const cJSON *n = at(at(vault, "Properties"), "Notifications");
    assert_int_equal(cJSON_GetArraySize(at(n, "BackupVaultEvents")), 2);
    /* restore testing: a plan and its two selections; audit: a framework */
    assert_string_equal(type_of(res, "RestoreTestingPlanWeeklyEuWest1"), "AWS::Backup::RestoreTestingPlan");
    assert_string_equal(type_of(res, "RestoreTestingSelectionWeeklyEbsVolumesEuWest1"),
                        "AWS::Backup::RestoreTestingSelection");
    assert_string_equal(type_of(res, "RestoreTestingSelectionWeeklyAllRdsEuWest1"),
                        "AWS::Backup::RestoreTestingSelection");
    const cJSON *sel = at(at(res, "RestoreTestingSelectionWeeklyEbsVolumesEuWest1"), "Properties");
    assert_string_equal(at(cJSON_GetArrayItem(at(at(sel, "ProtectedResourceConditions"), "StringEquals"), 0), "Key")
                            ->valuestring,
                        "aws:ResourceTag/restore");
    assert_string_equal(at(at(sel, "IamRoleArn"), "Fn::Sub")->valuestring,
                        "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/service-role/AWSBackupDefaultServiceRole");
    const cJSON *fw = at(at(res, "FrameworkComplianceEuWest1"), "Properties");
    assert_int_equal(cJSON_GetArraySize(at(fw, "FrameworkControls")), 2);
    /* the vault ARN of the plan's Region: partition, Region and account filled in */
    const cJSON *rp = at(at(res, "RestoreTestingPlanWeeklyEuWest1"), "Properties");
    assert_string_equal(at(cJSON_GetArrayItem(at(at(rp, "RecoveryPointSelection"), "IncludeVaults"), 0), "Fn::Sub")
                            ->valuestring,
                        "arn:${AWS::Partition}:backup:${AWS::Region}:${AWS::AccountId}:backup-vault:org-backup");

    cJSON_Delete(t);
    cJSON_Delete(m);
    obc_free(&cc);
}

/* The same manifest twice gives the same bytes. */
static void test_deterministic(void **state)
{
    (void)state;
    const char *text[2];
    struct obc cc[2];
    for (int i = 0; i < 2; i++) {
        obc_init(&cc[i], &(struct obc_options){.stdlib_dir = "stdlib"});
        cJSON *m = read_json("tests/cfn/manifest-extras.json");
        struct vec out = {0};
        emit_cloudformation(&cc[i], NULL, m, &out);
        assert_int_equal(out.len, 1);
        text[i] = ((const struct out_file *)out.items[0])->data;
        cJSON_Delete(m);
    }
    assert_string_equal(text[0], text[1]);
    obc_free(&cc[0]);
    obc_free(&cc[1]);
}

/* Placeholders: $account and the ARN's partition and Region in Fn::Sub,
 * a literal "${" kept literal ("${!"), $organization_id as the parameter
 * OrganizationId when the organization has no id; a named account's
 * template. */
static void test_placeholders(void **state)
{
    (void)state;
    static const char manifest[] =
        "{\"organization\": {}, \"accounts\": ["
        "{\"account\": \"$account\", \"name\": \"members\", \"regions\": []},"
        "{\"account\": \"222222222222\", \"name\": \"backup\", \"partition\": \"aws\", \"regions\": ["
        " {\"region\": \"eu-west-1\", \"vaults\": [{\"name\": \"central\", \"declaration\": \"central\","
        "  \"encryption_key\": \"arn:aws:kms:eu-west-1:222222222222:key/k1\","
        "  \"access_policy\": {\"Statement\": [{\"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"$organization_id\"}}}]}}],"
        "  \"notifications\": [{\"name\": \"n\", \"via\": \"vault\", \"topic\": \"t\", \"vault\": \"central\","
        "   \"vault_events\": [\"COPY_JOB_FAILED\"],"
        "   \"subscriptions\": [{\"protocol\": \"https\", \"endpoint\": \"https://h.example.com/${x}/$account\"}]}]}]}],"
        "\"keys\": []}";
    struct obc cc;
    obc_init(&cc, &(struct obc_options){.stdlib_dir = "stdlib"});
    cJSON *m = cJSON_Parse(manifest);
    assert_non_null(m);
    struct vec out = {0};
    emit_cloudformation(&cc, NULL, m, &out);
    assert_int_equal(out.len, 1); /* the members have nothing to create */
    const struct out_file *f = out.items[0];
    assert_string_equal(f->name, "obc.account.backup.template.json");
    cJSON *t = cJSON_Parse(f->data);
    assert_non_null(t);
    const cJSON *param = at(at(t, "Parameters"), "OrganizationId");
    assert_string_equal(at(param, "AllowedPattern")->valuestring, "^o-[a-z0-9]{10,32}$");
    const cJSON *p = at(at(at(t, "Resources"), "VaultCentral"), "Properties");
    assert_string_equal(at(at(p, "EncryptionKeyArn"), "Fn::Sub")->valuestring,
                        "arn:${AWS::Partition}:kms:${AWS::Region}:222222222222:key/k1");
    const cJSON *st = cJSON_GetArrayItem(at(at(p, "AccessPolicy"), "Statement"), 0);
    assert_string_equal(at(at(at(at(st, "Condition"), "StringEquals"), "aws:PrincipalOrgID"), "Ref")->valuestring,
                        "OrganizationId");
    const cJSON *topic = at(at(at(t, "Resources"), "TopicT"), "Properties");
    const cJSON *sub = cJSON_GetArrayItem(at(topic, "Subscription"), 0);
    assert_string_equal(at(at(sub, "Endpoint"), "Fn::Sub")->valuestring,
                        "https://h.example.com/${!x}/${AWS::AccountId}");
    assert_string_equal(at(at(at(p, "Notifications"), "SNSTopicArn"), "Ref")->valuestring, "TopicT");
    cJSON_Delete(t);
    cJSON_Delete(m);
    obc_free(&cc);
}

/* Twelve Regions and a vault in eleven of them: its condition is an
 * Fn::Or of ten items at most, the last one nesting the rest. */
static void test_many_regions(void **state)
{
    (void)state;
    static const char *const regions[] = {"us-east-1", "us-east-2", "us-west-1", "us-west-2",
                                          "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1",
                                          "eu-north-1", "ap-south-1", "ap-northeast-1", "sa-east-1"};
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text, "{\"accounts\": [{\"account\": \"$account\", \"name\": \"members\", \"regions\": [");
    for (size_t i = 0; i < 12; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s{\"region\": \"%s\", \"vaults\": [%s]}", i ? "," : "",
                              regions[i], i < 11 ? "{\"name\": \"v\", \"declaration\": \"v\"}" : "");
    snprintf(text + n, sizeof text - n, "]}], \"keys\": []}");
    struct obc cc;
    obc_init(&cc, &(struct obc_options){.stdlib_dir = "stdlib"});
    cJSON *m = cJSON_Parse(text);
    assert_non_null(m);
    struct vec out = {0};
    emit_cloudformation(&cc, NULL, m, &out);
    assert_int_equal(out.len, 1);
    cJSON *t = cJSON_Parse(((const struct out_file *)out.items[0])->data);
    assert_non_null(t);
    const cJSON *res = at(at(t, "Resources"), "VaultVUsEast1UsEast2UsWest1UsWest2EuWest1EuWest2EuWest3EuCentral1EuNorth1ApSouth1ApNortheast1");
    const char *cond = at(res, "Condition")->valuestring;
    const cJSON *or = at(at(at(t, "Conditions"), cond), "Fn::Or");
    assert_int_equal(cJSON_GetArraySize(or), 10);
    const cJSON *nested = at(cJSON_GetArrayItem(or, 9), "Fn::Or");
    assert_int_equal(cJSON_GetArraySize(nested), 2);
    assert_string_equal(at(cJSON_GetArrayItem(nested, 1), "Condition")->valuestring, "InApNortheast1");
    cJSON_Delete(t);
    cJSON_Delete(m);
    obc_free(&cc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extras),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_many_regions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
