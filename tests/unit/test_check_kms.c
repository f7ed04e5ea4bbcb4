/*
 * test_check_kms.c - the IAM action patterns OB7001 accepts in a key's
 * grants, swept over a table: exact names, '*' at the start, middle and
 * end, a '*' that matches nothing, case-insensitive action names, other
 * services, and prefixes that must not match. For each row the exact
 * list of missing actions (in the order std backup_vault_writer names
 * them) is asserted: those of the documented minimum in OB7001, the
 * others in OB7008, or that each stays quiet. Also check_names, the
 * list wording the checks share, at every length around its cut-off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

struct row {
    const char *grants;  /* the list written in the key */
    const char *missing; /* what OB7001 lists (the documented minimum), or NULL when quiet */
    const char *advised; /* what OB7008 lists (the seed module's advice), or NULL when quiet */
};

static const struct row rows[] = {
    {"[\"kms:*\"]", NULL, NULL},
    {"[\"kms:*e*\"]", NULL, NULL},
    {"[\"kms:CreateGrant\", \"kms:GenerateDataKey\", \"kms:Decrypt\", \"kms:DescribeKey\", \"kms:RetireGrant\"]", NULL, NULL},
    {"[\"kms:creategrant\", \"kms:GENERATEDATAKEY\", \"kms:decrypt\", \"kms:describekey\", \"kms:retiregrant\"]", NULL, NULL},
    {"[\"kms:*Grant\", \"kms:*Key\", \"kms:Decrypt*\"]", NULL, NULL},
    {"[\"kms:Create*\", \"kms:Generate*Key\", \"kms:De*\", \"kms:Retire*\"]", NULL, NULL},
    {"[\"kms:Decrypt\"]", "kms:CreateGrant and kms:GenerateDataKey", "kms:DescribeKey and kms:RetireGrant"},
    {"[\"kms:*Grant\"]", "kms:GenerateDataKey and kms:Decrypt", "kms:DescribeKey"},
    {"[\"kms:Describe\", \"kms:*Grant\", \"kms:GenerateDataKey\", \"kms:Decrypt\"]", NULL, "kms:DescribeKey"},
    {"[\"kms:CreateGrants\", \"kms:GenerateDataKey\", \"kms:Decrypt\", \"kms:DescribeKey\", \"kms:RetireGrant\"]",
     "kms:CreateGrant", NULL},
    {"[\"ec2:*\", \"kms:Encrypt\"]",
     "kms:CreateGrant, kms:GenerateDataKey and kms:Decrypt", "kms:DescribeKey and kms:RetireGrant"},
    {"[\"kms:*Data*\", \"kms:*Grant\", \"kms:Decrypt\", \"kms:Describe*Key\"]", NULL, NULL},
    {"[\"kms:Generate*Pair\", \"kms:*Grant\", \"kms:Decrypt\", \"kms:DescribeKey\"]", "kms:GenerateDataKey", NULL},
};
#define NROWS (sizeof rows / sizeof rows[0])

static void compile_grants(struct compiled *c, const char *grants)
{
    compile_printf(c,
                   "import \"std/aws\"\n"
                   "root org_root = \"r-ab12\"\n"
                   "key member_key {\n  alias = \"alias/org-backup\"\n  owner = members\n  grants = %s\n}\n"
                   "vault local {\n  name = \"org-backup\"\n  key = member_key\n}\n"
                   "selection s {\n  role = default_backup_role\n  match = tag(\"b\") == \"t\"\n}\n"
                   "plan p {\n  regions = [eu-west-1]\n  select = [s]\n"
                   "  rule nightly {\n    schedule = daily at 05:00\n    vault = local\n    delete_after = 14d\n  }\n"
                   "}\n"
                   "policy pol {\n  plans = [p]\n  attach = [org_root]\n}\n",
                   grants);
    assert_non_null(c->prog);
}

/* The diagnostic `code` lists exactly `list` (when it fires) with
 * `tail` after it, and notes the uses of the key. */
static void expect_grants(const struct compiled *c, enum diag_code code, const char *grants, const char *list,
                          const char *tail)
{
    const struct diag *d = find_diag(c, code);
    if (!list) {
        if (d)
            fail_msg("grants %s: unexpected %s: %s", grants, code == OB7001 ? "OB7001" : "OB7008", d->msg);
        return;
    }
    char want[640];
    snprintf(want, sizeof want, "key 'member_key' does not grant %s, which %s", list, tail);
    if (!d)
        fail_msg("grants %s: %s missing", grants, code == OB7001 ? "OB7001" : "OB7008");
    assert_int_equal(count_diags(c, code), 1);
    assert_string_equal(d->msg, want);
    assert_non_null(d->notes); /* the vault and the role that use the key */
}

static void test_grant_patterns(void **state)
{
    (void)state;
    for (size_t i = 0; i < NROWS; i++) {
        struct compiled c = {0};
        compile_grants(&c, rows[i].grants);
        expect_grants(&c, OB7001, rows[i].grants, rows[i].missing,
                      "the backup principals that use it need: AWS documents kms:CreateGrant, "
                      "kms:GenerateDataKey and kms:Decrypt as the minimum");
        expect_grants(&c, OB7008, rows[i].grants, rows[i].advised,
                      "the seed Terraform module advises for the backup principals that use it: AWS Backup "
                      "retires the grants it creates with kms:RetireGrant and reads the key with kms:DescribeKey");
        if (c.cc.diag.errors != (rows[i].missing ? 1u : 0u))
            fail_msg("grants %s: %zu errors", rows[i].grants, c.cc.diag.errors);
        compiled_free(&c);
    }
}

static void test_check_names(void **state)
{
    (void)state;
    static const char *const names[] = {"ebs", "ec2", "efs", "fsx", "rds"};
    static const char *const want[] = {"", "ebs", "ebs and ec2", "ebs, ec2 and efs", "ebs, ec2, efs and 1 more",
                                       "ebs, ec2, efs and 2 more"};
    struct arena a;
    arena_init(&a);
    struct ir_decl decls[5];
    for (size_t n = 0; n <= 5; n++) {
        struct vec v = {0};
        for (size_t i = 0; i < n; i++) {
            decls[i] = (struct ir_decl){.kind = DK_RESOURCE_TYPE, .name = names[i]};
            vec_push(&a, &v, &decls[i]);
        }
        assert_string_equal(check_names(&a, &v, 3), want[n]);
        if (n)
            assert_string_equal(check_names(&a, &v, SIZE_MAX),
                                n == 5 ? "ebs, ec2, efs, fsx and rds" : n == 4 ? "ebs, ec2, efs and fsx" : want[n]);
    }
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grant_patterns),
        cmocka_unit_test(test_check_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
