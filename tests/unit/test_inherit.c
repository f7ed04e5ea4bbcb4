/*
 * test_inherit.c - the inheritance merge (inherit.c): each value operator,
 * object keys (matched ignoring case), child controls at the levels AWS
 * documents (plans, a plan, a list, a leaf), their intersection at one
 * level, the first attached value at one level, and what it reports
 * (OB8102, OB8103, OB8105, OB8106).
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

#include "front.h"
#include "inherit.h"

struct merge {
    struct obc cc;
    const char *effective; /* minified, in the arena */
};

static int setup(void **state)
{
    struct merge *m = calloc(1, sizeof *m);
    struct obc_options opts = {0};
    obc_init(&m->cc, &opts);
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    struct merge *m = *state;
    obc_free(&m->cc);
    free(m);
    return 0;
}

/* Merges the documents `levels` (NULL-terminated; "A|B" is one level of
 * two policies) and keeps the effective policy, minified. */
static void merge_levels(struct merge *m, const char *const *levels)
{
    struct inherit_level lv[8];
    size_t n = 0;
    for (; levels[n]; n++) {
        struct inherit_policy *pols = arena_alloc(&m->cc.arena, 4 * sizeof *pols);
        size_t k = 0;
        const char *s = levels[n];
        while (*s) {
            const char *bar = strchr(s, '|');
            size_t len = bar ? (size_t)(bar - s) : strlen(s);
            char *name = arena_printf(&m->cc.arena, "level%zu-%zu.json", n, k);
            struct src_file *f = load_document_text(&m->cc, name, s, len);
            struct json_value *doc = json_read(&m->cc, f);
            assert_non_null(doc);
            pols[k++] = (struct inherit_policy){.doc = ptree_from_json(&m->cc, doc), .name = name};
            s += len + (bar != NULL);
        }
        lv[n] = (struct inherit_level){.policies = pols, .n = k, .target = "t"};
    }
    struct eff_node *eff = inherit_effective(&m->cc, lv, n);
    cJSON *j = eff_policy_json(&m->cc, eff);
    char *text = cJSON_PrintUnformatted(j);
    m->effective = arena_strdup(&m->cc.arena, text);
    free(text);
    cJSON_Delete(j);
}

static size_t count(const struct merge *m, enum diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < m->cc.diag.list.len; i++)
        n += ((const struct diag *)m->cc.diag.list.items[i])->code == code;
    return n;
}

#define R(ops) "{\"plans\":{\"p\":{\"regions\":" ops "}}}"

static void assign_replaces_the_list(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){R("{\"@@assign\":[\"a\",\"b\"]}"), R("{\"@@assign\":[\"c\"]}"), NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"regions\":[\"c\"]}}}");
}

static void append_adds_what_is_missing(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){R("{\"@@append\":[\"a\",\"b\"]}"), R("{\"@@append\":[\"b\",\"c\"]}"), NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"regions\":[\"a\",\"b\",\"c\"]}}}");
}

static void remove_takes_out_and_reports_what_is_not_there(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){R("{\"@@assign\":[\"a\",\"b\"]}"), R("{\"@@remove\":[\"a\",\"x\"]}"), NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"regions\":[\"b\"]}}}");
    assert_int_equal(count(m, OB8103), 1);
}

static void remove_of_nothing(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){"{\"plans\":{\"p\":{}}}", R("{\"@@remove\":[\"a\"]}"), NULL});
    assert_int_equal(count(m, OB8103), 1);
}

static void keys_match_ignoring_case(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){"{\"plans\":{\"Daily\":{\"regions\":{\"@@assign\":[\"a\"]}}}}",
                                     "{\"plans\":{\"daily\":{\"regions\":{\"@@append\":[\"b\"]}}}}", NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"Daily\":{\"regions\":[\"a\",\"b\"]}}}");
}

static void none_on_a_list_keeps_the_parent_value(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){
        R("{\"@@operators_allowed_for_child_policies\":[\"@@none\"],\"@@assign\":[\"a\"]}"),
        R("{\"@@append\":[\"b\"]}"), NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"regions\":[\"a\"]}}}");
    assert_int_equal(count(m, OB8102), 1);
    /* the note points at the control */
    const struct diag *d = m->cc.diag.list.items[0];
    assert_non_null(d->notes);
}

static void none_on_plans_forbids_new_plans_append_allows_them(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){
        "{\"plans\":{\"@@operators_allowed_for_child_policies\":[\"@@none\"],\"p\":{}}}",
        "{\"plans\":{\"q\":{\"regions\":{\"@@assign\":[\"a\"]}}}}", NULL});
    assert_string_equal(m->effective, "{}");
    assert_int_equal(count(m, OB8102), 1);
}

static void append_on_plans_allows_new_plans(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){
        "{\"plans\":{\"@@operators_allowed_for_child_policies\":[\"@@append\"],"
        "\"p\":{\"@@operators_allowed_for_child_policies\":[\"@@none\"],\"regions\":{\"@@assign\":[\"a\"]}}}}",
        "{\"plans\":{\"q\":{\"regions\":{\"@@assign\":[\"b\"]}}}}", NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"regions\":[\"a\"]},\"q\":{\"regions\":[\"b\"]}}}");
    assert_int_equal(count(m, OB8102), 0);
}

/* A control covers its node only: the plan's ["@@none"] stops a new key
 * in the plan, not a change to a key below it (AWS's examples lock
 * every node one by one). */
static void a_control_covers_its_own_node(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){
        "{\"plans\":{\"p\":{\"@@operators_allowed_for_child_policies\":[\"@@none\"],"
        "\"regions\":{\"@@assign\":[\"a\"]}}}}",
        "{\"plans\":{\"p\":{\"regions\":{\"@@assign\":[\"b\"]},\"rules\":{\"r\":{}}}}}", NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"regions\":[\"b\"]}}}");
    assert_int_equal(count(m, OB8102), 0); /* "rules" adds nothing: it holds no value */
}

static void controls_of_one_level_intersect(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){
        R("{\"@@operators_allowed_for_child_policies\":[\"@@append\"],\"@@assign\":[\"a\"]}") "|"
        R("{\"@@operators_allowed_for_child_policies\":[\"@@append\",\"@@remove\"]}"),
        R("{\"@@remove\":[\"a\"]}"), NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"regions\":[\"a\"]}}}");
    assert_int_equal(count(m, OB8102), 1);
}

/* A control limits the levels below, not the policies beside it. */
static void a_control_does_not_bind_its_own_level(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){
        R("{\"@@operators_allowed_for_child_policies\":[\"@@none\"],\"@@assign\":[\"a\"]}") "|"
        R("{\"@@append\":[\"b\"]}"), NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"regions\":[\"a\",\"b\"]}}}");
    assert_int_equal(count(m, OB8102), 0);
}

static void first_attached_wins_at_one_level(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){
        "{\"plans\":{\"p\":{\"rules\":{\"r\":{\"schedule_expression\":{\"@@assign\":\"cron(0 5 ? * * *)\"}}}}}}|"
        "{\"plans\":{\"p\":{\"rules\":{\"r\":{\"schedule_expression\":{\"@@assign\":\"cron(0 6 ? * * *)\"}}}}}}",
        NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"rules\":{\"r\":{\"schedule_expression\":"
                                      "\"cron(0 5 ? * * *)\"}}}}}");
    assert_int_equal(count(m, OB8105), 1);
}

static void a_lower_level_replaces(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){
        "{\"plans\":{\"p\":{\"rules\":{\"r\":{\"schedule_expression\":{\"@@assign\":\"cron(0 5 ? * * *)\"}}}}}}",
        "{\"plans\":{\"p\":{\"rules\":{\"r\":{\"schedule_expression\":{\"@@assign\":\"cron(0 6 ? * * *)\"}}}}}}",
        NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"rules\":{\"r\":{\"schedule_expression\":"
                                      "\"cron(0 6 ? * * *)\"}}}}}");
    assert_int_equal(m->cc.diag.list.len, 0);
}

#define WHOLE(region, rule) "{\"plans\":{\"p\":{\"regions\":{\"@@assign\":[\"" region "\"]}," \
    "\"rules\":{\"" rule "\":{}},\"selections\":{\"tags\":{\"s\":{}}}}}}"

static void a_complete_child_plan_of_the_same_name(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){WHOLE("a", "r"), WHOLE("b", "r2"), NULL});
    assert_int_equal(count(m, OB8106), 1);
}

static void the_same_plan_again_is_quiet(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){WHOLE("a", "r"), WHOLE("a", "r"), NULL});
    assert_int_equal(count(m, OB8106), 0);
}

static void values_keep_their_json_kind(void **state)
{
    struct merge *m = *state;
    merge_levels(m, (const char *[]){
        "{\"plans\":{\"p\":{\"rules\":{\"r\":{\"lifecycle\":{\"opt_in_to_archive_for_supported_resources\":"
        "{\"@@assign\":false},\"delete_after_days\":{\"@@assign\":\"35\"}}}}}}}", NULL});
    assert_string_equal(m->effective, "{\"plans\":{\"p\":{\"rules\":{\"r\":{\"lifecycle\":{"
                                      "\"opt_in_to_archive_for_supported_resources\":false,"
                                      "\"delete_after_days\":\"35\"}}}}}}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(assign_replaces_the_list, setup, teardown),
        cmocka_unit_test_setup_teardown(append_adds_what_is_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(remove_takes_out_and_reports_what_is_not_there, setup, teardown),
        cmocka_unit_test_setup_teardown(remove_of_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(keys_match_ignoring_case, setup, teardown),
        cmocka_unit_test_setup_teardown(none_on_a_list_keeps_the_parent_value, setup, teardown),
        cmocka_unit_test_setup_teardown(none_on_plans_forbids_new_plans_append_allows_them, setup, teardown),
        cmocka_unit_test_setup_teardown(append_on_plans_allows_new_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(a_control_covers_its_own_node, setup, teardown),
        cmocka_unit_test_setup_teardown(controls_of_one_level_intersect, setup, teardown),
        cmocka_unit_test_setup_teardown(a_control_does_not_bind_its_own_level, setup, teardown),
        cmocka_unit_test_setup_teardown(first_attached_wins_at_one_level, setup, teardown),
        cmocka_unit_test_setup_teardown(a_lower_level_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(a_complete_child_plan_of_the_same_name, setup, teardown),
        cmocka_unit_test_setup_teardown(the_same_plan_again_is_quiet, setup, teardown),
        cmocka_unit_test_setup_teardown(values_keep_their_json_kind, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
