/*
 * test_ir_arns.c - the ARNs of ir_arns.c on hand-built IR: the region
 * a copy lands in for every shape of target (the size check measures
 * policies whose copy targets sema rejected, so targets with no region
 * or several reach it), vault ARNs without a region, partition or named
 * owner, role ARNs built from a name and path, and resource type ARNs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sema.h"

struct world {
    struct arena a;
    struct ir_partition aws, china;
    struct ir_region west, central, north, beijing;
};

static int setup(void **state)
{
    static struct world w;
    memset(&w, 0, sizeof w);
    arena_init(&w.a);
    w.aws.d.name = "aws";
    w.china.d.name = "aws-cn";
    w.west = (struct ir_region){.d.name = "eu-west-1", .partition = &w.aws};
    w.central = (struct ir_region){.d.name = "eu-central-1", .partition = &w.aws};
    w.north = (struct ir_region){.d.name = "eu-north-1", .partition = &w.aws};
    w.beijing = (struct ir_region){.d.name = "cn-north-1", .partition = &w.china};
    *state = &w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    arena_free(&w->a);
    return 0;
}

/* A vec of regions from a NULL-terminated list. */
static struct vec regions(struct world *w, struct ir_region *first, ...)
{
    struct vec v = {0};
    va_list ap;
    va_start(ap, first);
    for (struct ir_region *r = first; r; r = va_arg(ap, struct ir_region *))
        vec_push(&w->a, &v, r);
    va_end(ap);
    return v;
}

static void test_copy_region(void **state)
{
    struct world *w = *state;
    struct ir_vault target = {.d.name = "central"};
    struct ir_copy copy = {.target = &target};
    struct ir_plan plan = {.d.name = "p"};
    plan.regions = regions(w, &w->west, &w->central, NULL);

    /* its only region, whatever the plan's */
    target.regions = regions(w, &w->north, NULL);
    assert_ptr_equal(copy_region(&plan, &copy), &w->north);
    /* no region: the plan's first */
    target.regions = regions(w, NULL);
    assert_ptr_equal(copy_region(&plan, &copy), &w->west);
    /* several: the first plan region it has */
    target.regions = regions(w, &w->north, &w->central, NULL);
    assert_ptr_equal(copy_region(&plan, &copy), &w->central);
    /* several, none of the plan's: its own first */
    target.regions = regions(w, &w->north, &w->beijing, NULL);
    assert_ptr_equal(copy_region(&plan, &copy), &w->north);
    /* no region anywhere */
    target.regions = regions(w, NULL);
    plan.regions = regions(w, NULL);
    assert_null(copy_region(&plan, &copy));
}

static void test_vault_arn(void **state)
{
    struct world *w = *state;
    struct ir_account backup = {.d.name = "backup", .id = "222222222222"};
    struct ir_vault v = {.d.name = "local", .owner.kind = PRIN_MEMBERS};
    /* no region known: the placeholder, in the default partition */
    assert_string_equal(vault_arn(&w->a, &v, NULL), "arn:aws:backup:$region:$account:backup-vault:local");
    assert_string_equal(vault_arn(&w->a, &v, &w->beijing),
                        "arn:aws-cn:backup:cn-north-1:$account:backup-vault:local");
    /* a region whose partition sema could not resolve */
    struct ir_region lost = {.d.name = "xx-east-1"};
    assert_string_equal(vault_arn(&w->a, &v, &lost), "arn:aws:backup:xx-east-1:$account:backup-vault:local");
    /* a named account, an AWS name, and the vault's only region wins */
    v.owner = (struct ir_principal){.kind = PRIN_ACCOUNT, .account = &backup};
    v.aws_name.s = "org-backup";
    v.regions = regions(w, &w->central, NULL);
    assert_string_equal(vault_arn(&w->a, &v, &w->west),
                        "arn:aws:backup:eu-central-1:222222222222:backup-vault:org-backup");
}

static void test_role_and_type_arns(void **state)
{
    struct world *w = *state;
    struct ir_role by_arn = {.arn.s = "arn:aws:iam::$account:role/Backup"};
    struct ir_role named = {.d.name = "backup_role", .role_name = "OrgBackup", .path = "/backup/"};
    struct ir_role bare = {.d.name = "plain", .path = ""};
    assert_string_equal(role_arn(&w->a, &by_arn, "aws-cn"), "arn:aws:iam::$account:role/Backup");
    assert_string_equal(role_arn(&w->a, &named, "aws-us-gov"), "arn:aws-us-gov:iam::$account:role/backup/OrgBackup");
    assert_string_equal(role_arn(&w->a, &bare, "aws"), "arn:aws:iam::$account:role/plain");
    assert_string_equal(restype_arn(&w->a, "*", "aws"), "*");
    assert_string_equal(restype_arn(&w->a, "rds:*:*:db:*", "aws-cn"), "arn:aws-cn:rds:*:*:db:*");
}

static void test_plan_partition(void **state)
{
    struct world *w = *state;
    struct ir_plan plan = {.d.name = "p"};
    assert_string_equal(plan_partition(&plan), "aws"); /* sema reported the missing regions */
    plan.regions = regions(w, &w->beijing, &w->west, NULL);
    assert_string_equal(plan_partition(&plan), "aws-cn");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_copy_region, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vault_arn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_and_type_arns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_partition, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
