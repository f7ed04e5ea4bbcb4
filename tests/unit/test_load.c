/*
 * test_load.c - in-memory sources (load.c load_text): the size limit,
 * relative imports of a file that sits in the root directory, the
 * confinement of imports to the program's root (OB1022), reading a file
 * once whatever its spelling, and opening files without blocking
 * (source.c src_open).
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
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

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


/* A fresh directory with a.ob ("root r = ...") and sub/; removed by
 * remove_dir. */
static char *make_dir(void)
{
    char tmpl[] = "/tmp/obc-test-load.XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char path[256];
    snprintf(path, sizeof path, "%s/a.ob", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("root r = \"r-ab12\"\n", fp);
    fclose(fp);
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    return strdup(dir);
}

static void remove_dir(char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static size_t count_code(const struct obc *cc, enum diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < cc->diag.list.len; i++)
        n += VEC_GET(const struct diag, cc->diag.list, i)->code == code;
    return n;
}

static void test_imports_outside_the_root_are_refused(void **state)
{
    (void)state;
    char *dir = make_dir();
    char name[256];
    snprintf(name, sizeof name, "%s/sub/t.ob", dir);
    struct obc cc;
    obc_init(&cc, NULL);
    const char *src = "import \"/etc/passwd\"\n"
                      "import \"../a.ob\"\n"                /* sub/ is the root: outside */
                      "import \"../../../../../../etc/hostname.ob\"\n"
                      "import \"std/../x\"\n"
                      "import \"notes.txt\"\n";
    load_text(&cc, name, src, strlen(src));
    assert_int_equal(count_code(&cc, OB1022), 5);
    assert_int_equal(cc.diag.list.len, 5);
    assert_int_equal(cc.files.len, 1); /* nothing else was read */
    obc_free(&cc);
    remove_dir(dir);
}

static void test_root_option_widens_the_root(void **state)
{
    (void)state;
    char *dir = make_dir();
    char name[256];
    snprintf(name, sizeof name, "%s/sub/t.ob", dir);
    struct obc_options opts = {0};
    opts.root_dir = dir;
    struct obc cc;
    obc_init(&cc, &opts);
    const char *src = "import \"../a.ob\"\n";
    load_text(&cc, name, src, strlen(src));
    assert_int_equal(cc.diag.list.len, 0);
    assert_int_equal(cc.files.len, 2);
    obc_free(&cc);
    remove_dir(dir);
}

static void test_a_file_is_read_once_whatever_its_spelling(void **state)
{
    (void)state;
    char *dir = make_dir();
    char name[256], path[300], other[300];
    snprintf(name, sizeof name, "%s/t.ob", dir);
    snprintf(path, sizeof path, "%s/a.ob", dir);
    snprintf(other, sizeof other, "%s/hard.ob", dir);
    assert_int_equal(link(path, other), 0);
    snprintf(other, sizeof other, "%s/sym.ob", dir);
    assert_int_equal(symlink("a.ob", other), 0);
    struct obc cc;
    obc_init(&cc, NULL);
    const char *src = "import \"a.ob\"\nimport \"./a.ob\"\nimport \"sub/../a.ob\"\nimport \"a\"\n"
                      "import \"hard.ob\"\nimport \"sym.ob\"\nimport \"a.ob\"\n";
    load_text(&cc, name, src, strlen(src));
    assert_int_equal(cc.diag.list.len, 0);
    assert_int_equal(cc.files.len, 2);
    struct src_file *t = VEC_GET(struct src_file, cc.files, 0);
    assert_int_equal(t->imports.len, 7);
    for (size_t i = 0; i < t->imports.len; i++)
        assert_ptr_equal(VEC_GET(struct src_import, t->imports, i)->target,
                         VEC_GET(struct src_file, cc.files, 1));
    obc_free(&cc);
    remove_dir(dir);
}

static void test_open_refuses_fifos_without_blocking(void **state)
{
    (void)state;
    char *dir = make_dir();
    char path[300];
    snprintf(path, sizeof path, "%s/fifo.ob", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    int fd = -1;
    struct src_stat st;
    /* no writer ever opens it: a blocking open would hang here */
    assert_int_equal(src_open(path, SRC_REGULAR, &fd, &st), ENODEV);
    char link[300];
    snprintf(link, sizeof link, "%s/link.ob", dir);
    assert_int_equal(symlink("a.ob", link), 0);
    assert_int_equal(src_open(link, SRC_REGULAR | SRC_NOFOLLOW, &fd, &st), ENODEV);
    assert_int_equal(src_open(link, SRC_REGULAR, &fd, &st), 0);
    assert_int_equal(st.size, 18);
    close(fd);
    remove_dir(dir);
}

static void test_open_refuses_kernel_files(void **state)
{
    (void)state;
    int fd = -1;
    struct src_stat st;
    if (access("/proc/self/environ", R_OK) != 0)
        skip();
    /* a "regular file" of /proc: its size says 0, its content is secrets */
    assert_int_equal(src_open("/proc/self/environ", SRC_REGULAR, &fd, &st), ENODEV);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_over_the_size_limit_is_refused),
        cmocka_unit_test(test_text_at_the_size_limit_is_read),
        cmocka_unit_test(test_import_next_to_a_file_in_the_root),
        cmocka_unit_test(test_imports_outside_the_root_are_refused),
        cmocka_unit_test(test_root_option_widens_the_root),
        cmocka_unit_test(test_a_file_is_read_once_whatever_its_spelling),
        cmocka_unit_test(test_open_refuses_fifos_without_blocking),
        cmocka_unit_test(test_open_refuses_kernel_files),
    };
    return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
