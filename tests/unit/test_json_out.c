/*
 * test_json_out.c - exact bytes of json_print in both layouts: nesting,
 * empty containers, key order, string escapes, numbers (and what JSON
 * cannot say), raw nodes, and NULL when its buffer cannot grow (and
 * obc_emit, which prints every document, and the size check, which
 * prints policies to measure them, then fail through the arena's
 * out-of-memory jump without leaking the document); and the json_add_*
 * builder the emitters share, also when cJSON cannot allocate.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

/* realloc, failing while `realloc_fails` is set: json_print grows its
 * buffer with realloc and nothing else here calls it meanwhile. */
static bool realloc_fails;

void *realloc(void *p, size_t n)
{
    static void *(*next)(void *, size_t);
    if (realloc_fails)
        return NULL;
    if (!next)
        *(void **)&next = dlsym(RTLD_NEXT, "realloc");
    return next(p, n);
}

/* json_chars counts what json_print writes, character by character
 * (UTF-8 sequences), without printing. */
static void expect_chars_match(const cJSON *doc)
{
    for (int pretty = 0; pretty <= 1; pretty++) {
        char *text = json_print(doc, pretty);
        assert_non_null(text);
        assert_int_equal(json_chars(doc, pretty), utf8_chars(text));
        free(text);
    }
}

static void test_chars_without_printing(void **state)
{
    (void)state;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "caf\xc3\xa9 \xf0\x9f\x98\x80", "tab\t quote\" back\\ nl\n ctl\x01 \xe2\x82\xac");
    cJSON_AddNumberToObject(doc, "n", 35);
    cJSON_AddNumberToObject(doc, "x", 0.1);
    cJSON_AddItemToObject(doc, "empty", cJSON_CreateArray());
    cJSON *deep = doc;
    for (int i = 0; i < 40; i++) { /* deeper than the printer's indentation in one piece */
        cJSON *next = cJSON_CreateObject();
        cJSON_AddItemToObject(deep, "k", next);
        deep = next;
    }
    cJSON_AddTrueToObject(deep, "last");
    expect_chars_match(doc);
    expect_chars_match(NULL);
    cJSON_Delete(doc);
}

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

static void test_non_finite_numbers_and_raw(void **state)
{
    (void)state;
    cJSON *doc = cJSON_CreateArray();
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(NAN));
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(INFINITY));
    cJSON_AddItemToArray(doc, cJSON_CreateNumber(-INFINITY));
    cJSON_AddItemToArray(doc, cJSON_CreateRaw("{\"as\": \"is\"}"));
    expect_print(doc, false, "[null,null,null,{\"as\": \"is\"}]");
    cJSON_Delete(doc);
}

static void test_print_without_memory(void **state)
{
    (void)state;
    cJSON *doc = nested_doc();
    realloc_fails = true;
    char *pretty = json_print(doc, true), *minified = json_print(doc, false);
    realloc_fails = false;
    assert_null(pretty);
    assert_null(minified);
    expect_print(doc, false, "{\"plans\":{\"p\":{\"regions\":{\"@@assign\":[\"a\",\"b\"]},\"empty\":{},\"none\":[]}}}");
    cJSON_Delete(doc);
}

static const char small_program[] =
    "import \"std/aws\"\n"
    "root r = \"r-ab12\"\n"
    "vault v { name = \"backups\" }\n"
    "selection s { role = default_backup_role; match = tag(\"b\") == \"t\" }\n"
    "plan p {\n  regions = [eu-west-1]\n  select = [s]\n"
    "  rule daily { schedule = daily at 05:00; vault = v; delete_after = 35d }\n}\n"
    "policy pol { plans = [p]; attach = [r] }\n";

/* obc_analyze (emit false) or obc_emit of c while realloc fails; true
 * when it jumped out of memory. */
static bool run_without_memory(struct compiled *c, bool emit, struct vec *out)
{
    jmp_buf oom;
    volatile bool jumped = false;
    c->cc.arena.oom = &oom;
    realloc_fails = true;
    if (setjmp(oom) == 0) {
        if (emit)
            obc_emit(&c->cc, out);
        else
            obc_analyze(&c->cc);
    } else {
        jumped = true;
    }
    realloc_fails = false;
    c->cc.arena.oom = NULL;
    return jumped;
}

static void test_emit_and_analyze_without_memory(void **state)
{
    (void)state;
    struct compiled c = {0};
    assert_non_null(compile_text(&c, small_program));
    assert_int_equal(c.cc.diag.errors, 0);
    struct vec out = {0};
    assert_true(run_without_memory(&c, true, &out));
    assert_int_equal(out.len, 0);
    compiled_free(&c);

    obc_init(&c.cc, &(struct obc_options){.stdlib_dir = "stdlib"});
    c.initialized = true;
    load_text(&c.cc, "t.ob", small_program, strlen(small_program));
    /* the size checks count the characters the printer would write: the
     * analysis prints nothing, so the printer's failing realloc never
     * reaches it */
    assert_false(run_without_memory(&c, false, NULL));
    assert_int_equal(c.cc.diag.errors, 0);
    compiled_free(&c);
}

/* cJSON's allocator for the next test: fails once `allocations_left`
 * allocations have been served. */
static int allocations_left;

static void *limited_malloc(size_t n)
{
    if (allocations_left == 0)
        return NULL;
    allocations_left--;
    return malloc(n);
}

/* Builds {"plans": {"name": "x"}} into *d with cJSON allowed `allowed`
 * allocations; true when it jumped out of memory instead. */
static bool build_with(int allowed, struct json_doc *d, struct arena *a)
{
    jmp_buf oom;
    volatile bool jumped = false;
    a->oom = &oom;
    cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = limited_malloc, .free_fn = free});
    allocations_left = allowed;
    if (setjmp(oom) == 0) {
        cJSON *root = json_doc_init(d, a);
        cJSON *obj = json_add_object(d, root, "plans");
        json_add_string(d, obj, "name", "x");
    } else {
        jumped = true;
    }
    cJSON_InitHooks(NULL);
    a->oom = NULL;
    return jumped;
}

static void test_builder_out_of_memory(void **state)
{
    (void)state;
    /* the document takes 6 allocations: the root, the object and its
     * key, the string node, its value and its key */
    for (int allowed = 0; allowed <= 6; allowed++) {
        struct json_doc d = {0};
        struct arena a;
        arena_init(&a);
        bool jumped = build_with(allowed, &d, &a);
        if (allowed < 6) {
            if (!jumped)
                fail_msg("no out-of-memory jump with %d allocations", allowed);
            assert_null(d.root); /* freed, nothing leaks */
        } else {
            assert_false(jumped);
            expect_print(d.root, false, "{\"plans\":{\"name\":\"x\"}}");
            cJSON_Delete(d.root);
        }
        arena_free(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nested_pretty),
        cmocka_unit_test(test_chars_without_printing),
        cmocka_unit_test(test_nested_minified),
        cmocka_unit_test(test_key_order_is_insertion_order),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_empty_top_level),
        cmocka_unit_test(test_array_of_objects_pretty),
        cmocka_unit_test(test_builder),
        cmocka_unit_test(test_null_document),
        cmocka_unit_test(test_non_finite_numbers_and_raw),
        cmocka_unit_test(test_print_without_memory),
        cmocka_unit_test(test_emit_and_analyze_without_memory),
        cmocka_unit_test(test_builder_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
