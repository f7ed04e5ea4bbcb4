/*
 * test_json_out.c - exact bytes of json_print in both layouts: nesting,
 * empty containers, key order, string escapes, numbers; and the
 * json_add_* builder the emitters share.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "obc.h"

static void expect_print(const cJSON *doc, bool pretty, const char *want)
{
    char *got = json_print(doc, pretty);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* {"plans": {"p": {"regions": {"@@assign": ["a", "b"]}, "empty": {}, "none": []}}} */
static cJSON *nested_doc(void)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *plans = cJSON_AddObjectToObject(doc, "plans");
    cJSON *p = cJSON_AddObjectToObject(plans, "p");
    cJSON *regions = cJSON_AddObjectToObject(p, "regions");
    cJSON *list = cJSON_AddArrayToObject(regions, "@@assign");
    cJSON_AddItemToArray(list, cJSON_CreateString("a"));
    cJSON_AddItemToArray(list, cJSON_CreateString("b"));
    cJSON_AddObjectToObject(p, "empty");
    cJSON_AddArrayToObject(p, "none");
    return doc;
}

static void test_nested_pretty(void **state)
{
    (void)state;
    cJSON *doc = nested_doc();
    expect_print(doc, true,
                 "{\n"
                 "  \"plans\": {\n"
                 "    \"p\": {\n"
                 "      \"regions\": {\n"
                 "        \"@@assign\": [\n"
                 "          \"a\",\n"
                 "          \"b\"\n"
                 "        ]\n"
                 "      },\n"
                 "      \"empty\": {},\n"
                 "      \"none\": []\n"
                 "    }\n"
                 "  }\n"
                 "}\n");
    cJSON_Delete(doc);
}

static void test_nested_minified(void **state)
{
    (void)state;
    cJSON *doc = nested_doc();
    expect_print(doc, false,
                 "{\"plans\":{\"p\":{\"regions\":{\"@@assign\":[\"a\",\"b\"]},"
                 "\"empty\":{},\"none\":[]}}}");
    cJSON_Delete(doc);
}

static void test_key_order_is_insertion_order(void **state)
{
    (void)state;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "z", "1");
    cJSON_AddStringToObject(doc, "a", "2");
    cJSON_AddStringToObject(doc, "m", "3");
    expect_print(doc, false, "{\"z\":\"1\",\"a\":\"2\",\"m\":\"3\"}");
    cJSON_Delete(doc);
}

static void test_escapes(void **state)
{
    (void)state;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "q\"k", "a\"b\\c/d");
    cJSON_AddStringToObject(doc, "ctl", "x\ny\tz\r\b\f\x01\x1f");
    cJSON_AddStringToObject(doc, "utf8", "K\xc3\xb6ln \xe2\x82\xac \xf0\x9f\x92\xbe");
    cJSON_AddStringToObject(doc, "del", "\x7f");
    expect_print(doc, false,
                 "{\"q\\\"k\":\"a\\\"b\\\\c/d\","
                 "\"ctl\":\"x\\ny\\tz\\r\\b\\f\\u0001\\u001f\","
                 "\"utf8\":\"K\xc3\xb6ln \xe2\x82\xac \xf0\x9f\x92\xbe\","
                 "\"del\":\"\x7f\"}");
    cJSON_Delete(doc);
}

static void test_scalars(void **state)
{
    (void)state;
    cJSON *doc = cJSON_CreateArray();
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(0));
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(-0.0));
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(36500));
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(-7));
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(1e15));
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(52560000));
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(0.5));
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(0.1));
    cJSON_AddItemToArray(doc, cJSON_CreateTrue());
    cJSON_AddItemToArray(doc, cJSON_CreateFalse());
    cJSON_AddItemToArray(doc, cJSON_CreateNull());
    cJSON_AddItemToArray(doc, cJSON_CreateString(""));
    expect_print(doc, false,
                 "[0,0,36500,-7,1000000000000000,52560000,0.5,0.1,true,false,null,\"\"]");
    cJSON_Delete(doc);
}

static void test_empty_top_level(void **state)
{
    (void)state;
    cJSON *obj = cJSON_CreateObject();
    cJSON *arr = cJSON_CreateArray();
    expect_print(obj, true, "{}\n");
    expect_print(obj, false, "{}");
    expect_print(arr, true, "[]\n");
    expect_print(arr, false, "[]");
    cJSON_Delete(obj);
    cJSON_Delete(arr);
}

static void test_array_of_objects_pretty(void **state)
{
    (void)state;
    cJSON *doc = cJSON_CreateArray();
    cJSON *a = cJSON_CreateObject();
    cJSON_AddBoolToObject(a, "enabled", true);
    cJSON_AddItemToArray(doc, a);
    cJSON_AddItemToArray(doc, cJSON_CreateObject());
    cJSON *inner = cJSON_CreateArray();
    cJSON_AddItemToArray(inner, cJSON_CreateNumber(1));
    cJSON_AddItemToArray(doc, inner);
    expect_print(doc, true,
                 "[\n"
                 "  {\n"
                 "    \"enabled\": true\n"
                 "  },\n"
                 "  {},\n"
                 "  [\n"
                 "    1\n"
                 "  ]\n"
                 "]\n");
    cJSON_Delete(doc);
}

static void test_builder(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct json_doc d;
    cJSON *root = json_doc_init(&d, &a);
    cJSON *obj = json_add_object(&d, root, "Plan");
    json_add_int(&d, obj, "days", 36500);
    json_add_bool(&d, obj, "on", false);
    struct vec v = {0};
    vec_push(&a, &v, "x");
    vec_push(&a, &v, "y");
    json_add_strings(&d, obj, "list", &v);
    cJSON *arr = json_add_array(&d, root, "items");
    json_add_string(&d, arr, NULL, "first");
    json_add_object(&d, arr, NULL);
    assert_true(json_has_key(root, "Plan"));
    assert_true(json_has_key(root, "plan")); /* AWS lowercases keys */
    assert_false(json_has_key(root, "plans"));
    assert_false(json_has_key(obj, "Plan"));
    expect_print(d.root, false,
                 "{\"Plan\":{\"days\":36500,\"on\":false,\"list\":[\"x\",\"y\"]},"
                 "\"items\":[\"first\",{}]}");
    cJSON_Delete(d.root);
    arena_free(&a);
}

static void test_null_document(void **state)
{
    (void)state;
    expect_print(NULL, false, "null");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_pretty),
        cmocka_unit_test(test_nested_minified),
        cmocka_unit_test(test_key_order_is_insertion_order),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_empty_top_level),
        cmocka_unit_test(test_array_of_objects_pretty),
        cmocka_unit_test(test_builder),
        cmocka_unit_test(test_null_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
