/*
 * test_discover.c - discover.c on a tree made in a temporary directory:
 * discover_files finds the files with a suffix, sorted, skipping hidden
 * and build directories and symbolic links; discover_programs finds the
 * main.ob files (names in byte order, directory by directory), and a .obc list replaces the search below
 * its directory; a missing directory is false with errno.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front.h"

static char root[64];

static void put(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void dir(const char *rel)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    assert_int_equal(mkdir(path, 0700), 0);
}

static int make_tree(void **state)
{
    (void)state;
    strcpy(root, "/tmp/obc-discover.XXXXXX");
    assert_non_null(mkdtemp(root));
    dir("b");
    dir("a");
    dir("a/x");
    dir(".hidden");
    dir("build");
    dir("listed");
    dir("listed/sub");
    put("main.ob", "");
    put("b/main.ob", "");
    put("b/z.ob", "");
    put("a/x/main.ob", "");
    put("a/y.ob", "");
    put("a.ob", "");
    put(".hidden/main.ob", "");
    put("build/main.ob", "");
    put("listed/one.ob", "");
    put("listed/two.ob", "");
    put("listed/sub/main.ob", "");
    put("listed/.obc", "# two programs\none.ob\ntwo.ob sub/main.ob  # together\n");
    char link[256], target[256];
    snprintf(link, sizeof link, "%s/link", root);
    snprintf(target, sizeof target, "%s/b", root);
    assert_int_equal(symlink(target, link), 0);
    return 0;
}

static int remove_tree(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *rel(const char *path)
{
    return path + strlen(root) + 1;
}

static void test_files(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, &(struct obc_options){0});
    struct vec paths = {0};
    assert_true(discover_files(&cc, root, ".ob", &paths));
    static const char *const want[] = {"a.ob", "a/x/main.ob", "a/y.ob", "b/main.ob", "b/z.ob", "listed/one.ob",
                                       "listed/sub/main.ob", "listed/two.ob", "main.ob"};
    assert_int_equal(paths.len, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < paths.len; i++)
        assert_string_equal(rel(paths.items[i]), want[i]);
    obc_free(&cc);
}

static void test_programs(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, &(struct obc_options){0});
    struct vec programs = {0};
    assert_true(discover_programs(&cc, root, &programs));
    assert_int_equal(cc.diag.list.len, 0);
    assert_int_equal(programs.len, 5);
    const struct vec *p[5];
    for (size_t i = 0; i < 5; i++)
        p[i] = programs.items[i];
    assert_string_equal(rel(p[0]->items[0]), "a/x/main.ob");
    assert_string_equal(rel(p[1]->items[0]), "b/main.ob");
    assert_string_equal(rel(p[2]->items[0]), "listed/one.ob");
    assert_int_equal(p[3]->len, 2);
    assert_string_equal(rel(p[3]->items[0]), "listed/two.ob");
    assert_string_equal(rel(p[3]->items[1]), "listed/sub/main.ob");
    assert_string_equal(rel(p[4]->items[0]), "main.ob");
    obc_free(&cc);
}

static void test_missing(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, &(struct obc_options){0});
    struct vec programs = {0};
    char path[128];
    snprintf(path, sizeof path, "%s/nothing-here", root);
    errno = 0;
    assert_false(discover_programs(&cc, path, &programs));
    assert_int_equal(errno, ENOENT);
    obc_free(&cc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_programs),
        cmocka_unit_test(test_missing),
    };
    return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
