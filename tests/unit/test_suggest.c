/*
 * test_suggest.c - "did you mean" (suggest.c): which candidate is close
 * enough, ties, case and '-'/'_' folding, and names too long to compare.
 */
#include "base.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static const char *const regions[] = {"eu-west-1", "eu-west-2", "eu-central-1", "us-east-1"};
#define NREGIONS (sizeof regions / sizeof regions[0])

static void test_one_typo_is_suggested(void **state)
{
    (void)state;
    assert_string_equal(suggest_name("eu-wset-1", regions, NREGIONS), "eu-west-1");  /* transposition */
    assert_string_equal(suggest_name("eu-centrl-1", regions, NREGIONS), "eu-central-1"); /* deletion */
    assert_string_equal(suggest_name("us-eastt-1", regions, NREGIONS), "us-east-1");  /* insertion */
}

static void test_case_and_separators_are_not_differences(void **state)
{
    (void)state;
    const char *const names[] = {"backup_vault_key", "central"};
    assert_string_equal(suggest_name("Backup-Vault-Key", names, 2), "backup_vault_key");
    assert_string_equal(suggest_name("CENTRAL", names, 2), "central");
}

static void test_far_names_and_exact_names_give_nothing(void **state)
{
    (void)state;
    assert_null(suggest_name("mars-north-1", regions, NREGIONS)); /* 4 edits: too far */
    assert_null(suggest_name("eu-west-1", (const char *const[]){"eu-west-1"}, 1)); /* itself is no suggestion */
    assert_null(suggest_name("x", NULL, 0));
}

static void test_first_of_equally_close_wins(void **state)
{
    (void)state;
    /* eu-west-3 is one edit from both eu-west-1 and eu-west-2 */
    assert_string_equal(suggest_name("eu-west-3", regions, NREGIONS), "eu-west-1");
}

static void test_names_over_64_characters_are_not_compared(void **state)
{
    (void)state;
    char long_name[80], long_candidate[80];
    memset(long_name, 'a', 70);
    long_name[70] = '\0';
    memcpy(long_candidate, long_name, sizeof long_name);
    long_candidate[0] = 'b'; /* one edit, but both are past the limit */
    const char *const cands[] = {long_candidate, "aaaa"};
    assert_null(suggest_name(long_name, cands, 2));
    const char *const with_long[] = {long_candidate, "centrla"};
    assert_string_equal(suggest_name("central", with_long, 2), "centrla");
}

static void test_from_vec(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct vec v = {0};
    vec_push(&a, &v, "selection");
    vec_push(&a, &v, "policy");
    assert_string_equal(suggest_from_vec("polcy", &v), "policy");
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_typo_is_suggested),
        cmocka_unit_test(test_case_and_separators_are_not_differences),
        cmocka_unit_test(test_far_names_and_exact_names_give_nothing),
        cmocka_unit_test(test_first_of_equally_close_wins),
        cmocka_unit_test(test_names_over_64_characters_are_not_compared),
        cmocka_unit_test(test_from_vec),
    };
    return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
