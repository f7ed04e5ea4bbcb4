/*
 * test_stdlib.c - the standard library as it ships (the copy embedded in
 * obc): it compiles without a diagnostic, and the facts the checks and
 * the manifest rely on come out of it exactly: partitions, every Region
 * with its partition and opt-in flag, the resource types' ARN patterns,
 * opt-in names and capabilities, the permission sets, the AWS managed key,
 * the default backup role and the service-linked role.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

/* The smallest complete program that uses the library. */
static const char program[] =
    "import \"std/aws\"\n"
    "root org_root = \"r-ab12\"\n"
    "selection tagged { role = default_backup_role; match = tag(\"backup\") == \"true\" }\n"
    "vault local { }\n"
    "plan daily {\n"
    "  regions = [eu-central-1]\n"
    "  select = [tagged]\n"
    "  rule nightly { schedule = daily at 05:00; vault = local; delete_after = 35d }\n"
    "}\n"
    "policy org { plans = [daily]; attach = [org_root] }\n";

static int setup(void **state)
{
    if (compiled_setup(state) != 0)
        return -1;
    compile_text_opts(*state, NULL, program); /* NULL options: the embedded standard library */
    return 0;
}

/* The declaration called `name` in vec (of struct ir_X*, each starting
 * with struct ir_decl), or NULL. */
static void *find(const struct vec *v, const char *name)
{
    for (size_t i = 0; i < v->len; i++) {
        struct ir_decl *d = v->items[i];
        if (d->name && strcmp(d->name, name) == 0)
            return d;
    }
    return NULL;
}

static struct ir_restype *restype(struct compiled *f, const char *name)
{
    struct ir_restype *t = find(&f->prog->restypes, name);
    assert_non_null(t);
    return t;
}

static struct ir_region *region(struct compiled *f, const char *name)
{
    struct ir_region *r = find(&f->prog->regions, name);
    assert_non_null(r);
    assert_non_null(r->partition);
    return r;
}

/* Asserts that vec (const char*) holds exactly the n strings given. */
static void assert_strings(const struct vec *v, const char *const *want, size_t n)
{
    assert_int_equal(v->len, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(VEC_GET(const char, *v, i), want[i]);
}

/* The resource types these tests know the facts of. A type added to the
 * standard library later is left out of types_where(), so that adding one
 * changes no assertion here but those a test adds about it. */
static const char *const known_types[] = {
    "ebs", "ec2", "efs", "fsx", "rds", "aurora", "documentdb", "neptune", "dynamodb", "s3",
    "redshift", "redshift_serverless", "storage_gateway", "virtual_machine", "cloudformation",
    "timestream", "sap_hana", "dsql", "eks", "any",
};

static bool is_known_type(const char *name)
{
    for (size_t i = 0; i < sizeof known_types / sizeof known_types[0]; i++)
        if (strcmp(known_types[i], name) == 0)
            return true;
    return false;
}

/* The names of the known resource types for which pick() is true,
 * space-separated in declaration order. */
static const char *types_where(struct compiled *f, bool (*pick)(const struct ir_restype *))
{
    static char buf[512];
    buf[0] = '\0';
    for (size_t i = 0; i < f->prog->restypes.len; i++) {
        const struct ir_restype *t = f->prog->restypes.items[i];
        if (!is_known_type(t->d.name) || !pick(t))
            continue;
        if (buf[0])
            strcat(buf, " ");
        strcat(buf, t->d.name);
    }
    return buf;
}

static bool is_continuous(const struct ir_restype *t) { return t->continuous; }
static bool is_cold(const struct ir_restype *t) { return t->cold_storage; }
static bool is_managed(const struct ir_restype *t) { return t->full_management; }
static bool no_opt_in_account_copy(const struct ir_restype *t) { return !t->opt_in_cross_account_copy; }
static bool no_opt_in_region_copy(const struct ir_restype *t) { return !t->opt_in_cross_region_copy; }
static bool no_account_copy(const struct ir_restype *t) { return !t->is_any && !t->cross_account_copy; }
static bool no_region_copy(const struct ir_restype *t) { return !t->is_any && !t->cross_region_copy; }

static void compiles_without_diagnostics(void **state)
{
    struct compiled *f = *state;
    assert_non_null(f->prog);
    assert_int_equal(f->cc.diag.errors, 0);
    assert_int_equal(f->cc.diag.warnings, 0);
    for (size_t i = 0; i < f->prog->partitions.len; i++)
        assert_true(((struct ir_decl *)f->prog->partitions.items[i])->from_stdlib);
}

static void partitions(void **state)
{
    struct compiled *f = *state;
    assert_int_equal(f->prog->partitions.len, 8);
    struct ir_partition *aws = find(&f->prog->partitions, "aws");
    struct ir_partition *cn = find(&f->prog->partitions, "aws-cn");
    struct ir_partition *gov = find(&f->prog->partitions, "aws-us-gov");
    assert_non_null(aws);
    assert_non_null(cn);
    assert_non_null(gov);
    assert_true(aws->cross_account_copy);
    assert_false(cn->cross_account_copy);
    assert_true(gov->cross_account_copy);
    /* Declared so that role ARNs in them are accepted; no Region is. */
    static const char *const regionless[] = {"aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"};
    for (size_t i = 0; i < sizeof regionless / sizeof regionless[0]; i++) {
        struct ir_partition *p = find(&f->prog->partitions, regionless[i]);
        assert_non_null(p);
        assert_true(p->cross_account_copy);
        for (size_t j = 0; j < f->prog->regions.len; j++)
            assert_ptr_not_equal(((struct ir_region *)f->prog->regions.items[j])->partition, p);
    }
}

static void every_region_is_well_formed(void **state)
{
    struct compiled *f = *state;
    /* The schema's ^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$ in POSIX ERE. */
    regex_t re;
    assert_int_equal(regcomp(&re, "^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", REG_EXTENDED | REG_NOSUB), 0);
    /* at least the 38 Regions (17 opt-in) of 2026: adding one breaks nothing */
    assert_true(f->prog->regions.len >= 38);
    size_t opt_in = 0;
    for (size_t i = 0; i < f->prog->regions.len; i++) {
        const struct ir_region *r = f->prog->regions.items[i];
        if (regexec(&re, r->d.name, 0, NULL, 0) != 0)
            fail_msg("region code '%s' does not match the schema pattern", r->d.name);
        if (!r->partition || !r->display || !r->display[0])
            fail_msg("region '%s' lacks a partition or a display name", r->d.name);
        opt_in += r->opt_in;
    }
    regfree(&re);
    assert_true(opt_in >= 17);
}

static void region_facts(void **state)
{
    struct compiled *f = *state;
    struct ir_region *r = region(f, "eu-central-1");
    assert_string_equal(r->partition->d.name, "aws");
    assert_string_equal(r->display, "Europe (Frankfurt)");
    assert_false(r->opt_in);
    assert_false(region(f, "us-east-1")->opt_in);
    assert_false(region(f, "ap-northeast-3")->opt_in);
    assert_true(region(f, "af-south-1")->opt_in);
    assert_true(region(f, "ap-east-2")->opt_in);
    assert_true(region(f, "ap-southeast-7")->opt_in);
    assert_true(region(f, "mx-central-1")->opt_in);
    assert_string_equal(region(f, "ap-southeast-6")->display, "Asia Pacific (New Zealand)");
    assert_string_equal(region(f, "cn-north-1")->partition->d.name, "aws-cn");
    assert_string_equal(region(f, "cn-northwest-1")->partition->d.name, "aws-cn");
    assert_string_equal(region(f, "us-gov-west-1")->partition->d.name, "aws-us-gov");
    assert_string_equal(region(f, "us-gov-east-1")->partition->d.name, "aws-us-gov");
    assert_false(region(f, "us-gov-east-1")->opt_in);
}

static void resource_type_patterns_and_names(void **state)
{
    struct compiled *f = *state;
    for (size_t i = 0; i < sizeof known_types / sizeof known_types[0]; i++)
        assert_non_null(restype(f, known_types[i]));
    for (size_t i = 0; i < f->prog->restypes.len; i++) {
        const struct ir_restype *t = f->prog->restypes.items[i];
        if (t->is_any)
            continue;
        if (!t->opt_in_name || t->arns.len == 0)
            fail_msg("resource type '%s' lacks an opt-in name or ARN patterns", t->d.name);
    }
    static const char *const fsx[] = {"fsx:*:*:file-system/*", "fsx:*:*:volume/*"};
    assert_strings(&restype(f, "fsx")->arns, fsx, 2);
    static const char *const cluster[] = {"rds:*:*:cluster:*"};
    assert_strings(&restype(f, "aurora")->arns, cluster, 1);
    assert_strings(&restype(f, "documentdb")->arns, cluster, 1);
    assert_strings(&restype(f, "neptune")->arns, cluster, 1);
    static const char *const s3[] = {"s3:::*"};
    assert_strings(&restype(f, "s3")->arns, s3, 1);
    static const char *const vm[] = {"backup-gateway:*:*:vm/*"};
    assert_strings(&restype(f, "virtual_machine")->arns, vm, 1);
    static const char *const hana[] = {"ssm-sap:*:*:HANA/*"};
    assert_strings(&restype(f, "sap_hana")->arns, hana, 1);
    assert_string_equal(restype(f, "sap_hana")->opt_in_name, "SAP HANA on Amazon EC2");
    assert_string_equal(restype(f, "storage_gateway")->opt_in_name, "Storage Gateway");
    assert_string_equal(restype(f, "virtual_machine")->opt_in_name, "VirtualMachine");
    assert_string_equal(restype(f, "redshift_serverless")->opt_in_name, "Redshift Serverless");

    struct ir_restype *any = restype(f, "any");
    assert_true(any->is_any);
    assert_null(any->opt_in_name);
    static const char *const star[] = {"*"};
    assert_strings(&any->arns, star, 1);
}

static void resource_type_capabilities(void **state)
{
    struct compiled *f = *state;
    assert_string_equal(types_where(f, is_continuous), "rds aurora s3 sap_hana");
    assert_string_equal(types_where(f, is_cold),
                        "ebs efs dynamodb virtual_machine cloudformation timestream sap_hana");
    assert_string_equal(types_where(f, is_managed),
                        "efs dynamodb s3 virtual_machine cloudformation timestream sap_hana");
    assert_string_equal(types_where(f, no_opt_in_account_copy), "documentdb neptune cloudformation timestream");
    assert_string_equal(types_where(f, no_opt_in_region_copy), "fsx documentdb");
    assert_string_equal(types_where(f, no_account_copy), "redshift redshift_serverless dsql eks");
    assert_string_equal(types_where(f, no_region_copy), "redshift redshift_serverless dsql eks");

    static const char *const s3_policies[] = {"AWSBackupServiceRolePolicyForS3Backup",
                                              "AWSBackupServiceRolePolicyForS3Restore"};
    assert_strings(&restype(f, "s3")->role_policies, s3_policies, 2);
    for (size_t i = 0; i < f->prog->restypes.len; i++) {
        const struct ir_restype *t = f->prog->restypes.items[i];
        if (strcmp(t->d.name, "s3") != 0)
            assert_int_equal(t->role_policies.len, 0);
    }
}

static void permission_sets(void **state)
{
    struct compiled *f = *state;
    static const char *const vault_key[] = {"kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt",
                                            "kms:RetireGrant", "kms:DescribeKey"};
    struct ir_permissions *p = find(&f->prog->permissions, "backup_vault_key");
    assert_non_null(p);
    assert_strings(&p->actions, vault_key, 5);

    static const char *const writer[] = {"kms:CreateGrant", "kms:GenerateDataKey", "kms:Decrypt",
                                         "kms:DescribeKey", "kms:RetireGrant"};
    assert_non_null(f->prog->need_vault_writer);
    assert_string_equal(f->prog->need_vault_writer->d.name, "backup_vault_writer");
    assert_strings(&f->prog->need_vault_writer->actions, writer, 5);

    static const char *const source[] = {"kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant",
                                         "kms:GenerateDataKey", "kms:RetireGrant"};
    assert_non_null(f->prog->need_copy_source);
    assert_string_equal(f->prog->need_copy_source->d.name, "cross_account_copy_source");
    assert_strings(&f->prog->need_copy_source->actions, source, 5);
}

static void aws_managed_key(void **state)
{
    struct compiled *f = *state;
    struct ir_key *k = find(&f->prog->keys, "aws_managed_backup_key");
    assert_non_null(k);
    assert_true(k->aws_managed);
    assert_string_equal(k->alias.s, "alias/aws/backup");
    assert_null(k->arn.s);
    assert_int_equal(k->owner.kind, PRIN_MEMBERS);
    assert_non_null(k->grants);
    assert_string_equal(k->grants->d.name, "backup_vault_key");
}

static void default_backup_role(void **state)
{
    struct compiled *f = *state;
    struct ir_role *r = find(&f->prog->roles, "default_backup_role");
    assert_non_null(r);
    assert_null(r->arn.s);
    assert_string_equal(r->role_name, "AWSBackupDefaultServiceRole");
    assert_string_equal(r->path, "/service-role/");
    assert_string_equal(r->trusts, "backup.amazonaws.com");
    static const char *const policies[] = {"service-role/AWSBackupServiceRolePolicyForBackup",
                                           "service-role/AWSBackupServiceRolePolicyForRestores"};
    assert_strings(&r->managed_policies, policies, 2);
}

static void service_linked_role(void **state)
{
    struct compiled *f = *state;
    struct ir_role *r = find(&f->prog->roles, "backup_service_linked_role");
    assert_non_null(r);
    assert_ptr_equal(f->prog->service_linked_role, r);
    assert_null(r->arn.s);
    assert_string_equal(r->role_name, "AWSServiceRoleForBackup");
    assert_string_equal(r->path, "/aws-service-role/backup.amazonaws.com/");
    assert_string_equal(r->trusts, "backup.amazonaws.com");
    static const char *const policies[] = {"aws-service-role/AWSBackupServiceLinkedRolePolicyForBackup"};
    assert_strings(&r->managed_policies, policies, 1);
    /* the library's own role is no unused declaration of the program's */
    assert_false(r->d.used);
}

/* Names are global: the library never uses one twice, whatever the kind. */
static void std_names_are_unique(void **state)
{
    struct compiled *f = *state;
    const struct vec *kinds[] = {&f->prog->partitions, &f->prog->regions, &f->prog->restypes,
                                 &f->prog->permissions, &f->prog->roles, &f->prog->keys};
    struct vec all = {0};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t i = 0; i < kinds[k]->len; i++) {
            struct ir_decl *d = kinds[k]->items[i];
            if (!d->from_stdlib)
                continue;
            for (size_t j = 0; j < all.len; j++)
                if (strcmp(((struct ir_decl *)all.items[j])->name, d->name) == 0)
                    fail_msg("std name '%s' is declared twice", d->name);
            vec_push(&f->cc.arena, &all, d);
        }
    assert_true(all.len >= 8 + 38 + 20 + 3 + 2 + 1); /* at least those of 2026 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(compiles_without_diagnostics, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(partitions, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(every_region_is_well_formed, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(region_facts, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(resource_type_patterns_and_names, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(resource_type_capabilities, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(permission_sets, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(aws_managed_key, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(default_backup_role, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(service_linked_role, setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(std_names_are_unique, setup, compiled_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
