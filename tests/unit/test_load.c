/*
 * test_load.c - in-memory sources (load.c load_text): the size limit, and
 * relative imports of a file that sits in the root directory.
 */
#include "front.h"
#include "driver.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const struct diag *only_diag(const struct obc *cc)
{
    assert_int_equal(cc->diag.list.len, 1);
    return VEC_GET(const struct diag, cc->diag.list, 0);
}

static void test_text_over_the_size_limit_is_refused(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, NULL);
    size_t len = LIMIT_FILE_BYTES + 1;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, '#', len);
    load_text(&cc, "big.ob", text, len);
    free(text);
    const struct diag *d = only_diag(&cc);
    assert_int_equal(d->code, OB1030);
    assert_string_equal(d->msg, "'big.ob' is larger than 8388608 bytes");
    assert_int_equal(cc.files.len, 0);
    obc_free(&cc);
}

static void test_text_at_the_size_limit_is_read(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, NULL);
    size_t len = LIMIT_FILE_BYTES;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, '\n', len);
    text[0] = '#';
    load_text(&cc, "edge.ob", text, len);
    free(text);
    assert_int_equal(cc.diag.list.len, 0);
    assert_int_equal(cc.files.len, 1);
    obc_free(&cc);
}

static void test_import_next_to_a_file_in_the_root(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, NULL);
    const char *src = "import \"obc-test-no-such-file.ob\"\n";
    load_text(&cc, "/t.ob", src, strlen(src));
    const struct diag *d = only_diag(&cc);
    assert_int_equal(d->code, OB1020);
    assert_string_equal(d->msg, "cannot import '/obc-test-no-such-file.ob': No such file or directory");
    obc_free(&cc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_over_the_size_limit_is_refused),
        cmocka_unit_test(test_text_at_the_size_limit_is_read),
        cmocka_unit_test(test_import_next_to_a_file_in_the_root),
    };
    return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
