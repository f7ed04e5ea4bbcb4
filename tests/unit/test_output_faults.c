/*
 * test_output_faults.c - output.c under failing system calls: every call
 * that can fail is made to fail once (the linker's --wrap sends
 * output.o's calls through the wrappers below), and each failure must be
 * reported with its errno, leave no staging directory, and replace
 * nothing (or, past the switch, leave the new set complete).
 * Linked with TEST_LDFLAGS_output_faults (Makefile).
 *
 * The tests run in a fresh directory and write to "out" in it, so the
 * calls of one run come in a fixed order: openat ".", the lock file,
 * "." again (stale entries), "out" (when it exists), the staging
 * directory, then one per file.
 */
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <cmocka.h>

/* ---- the fault plan --------------------------------------------------- */

enum call { C_WRITE, C_FSYNC, C_SYNCFS, C_CLOSE, C_OPENAT, C_MKDIRAT, C_RENAMEAT, C_RENAMEAT2, C_UNLINKAT, C_FLOCK, C_COUNT };

struct fault {
    int after;  /* let this many calls pass first */
    int err;    /* then fail with this errno (0: no fault) */
    bool zero;  /* write: return 0 instead of failing */
};
static struct fault plan[C_COUNT];
static int calls[C_COUNT];

/* Arms fault `f` on call `c`, counting its calls from now. */
static void arm(enum call c, struct fault f)
{
    plan[c] = f;
    calls[c] = 0;
}

static bool fails(enum call c)
{
    if (!plan[c].err && !plan[c].zero)
        return false;
    if (calls[c]++ < plan[c].after)
        return false;
    plan[c] = (struct fault){0};
    return true;
}

ssize_t __real_write(int fd, const void *buf, size_t n);
int __real_fsync(int fd);
int __real_syncfs(int fd);
int __real_close(int fd);
int __real_openat(int dfd, const char *path, int flags, ...);
int __real_mkdirat(int dfd, const char *path, mode_t mode);
int __real_flock(int fd, int op);
int __real_renameat(int a, const char *p, int b, const char *q);
int __real_unlinkat(int dfd, const char *path, int flags);
int __real_renameat2(int a, const char *p, int b, const char *q, unsigned flags);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
int __wrap_fsync(int fd);
int __wrap_syncfs(int fd);
int __wrap_close(int fd);
int __wrap_openat(int dfd, const char *path, int flags, ...);
int __wrap_mkdirat(int dfd, const char *path, mode_t mode);
int __wrap_flock(int fd, int op);
int __wrap_renameat(int a, const char *p, int b, const char *q);
int __wrap_unlinkat(int dfd, const char *path, int flags);
int __wrap_renameat2(int a, const char *p, int b, const char *q, unsigned flags);

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
    bool zero = plan[C_WRITE].zero;
    int err = plan[C_WRITE].err;
    if (fails(C_WRITE)) {
        if (zero)
            return 0;
        errno = err;
        return -1;
    }
    return __real_write(fd, buf, n);
}

#define WRAP(name, call, ...)             \
    do {                                  \
        int err_ = plan[call].err;        \
        if (fails(call)) {                \
            errno = err_;                 \
            return -1;                    \
        }                                 \
        return __real_##name(__VA_ARGS__); \
    } while (0)

int __wrap_fsync(int fd) { WRAP(fsync, C_FSYNC, fd); }
int __wrap_syncfs(int fd) { WRAP(syncfs, C_SYNCFS, fd); }
int __wrap_close(int fd)
{
    int err = plan[C_CLOSE].err;
    if (fails(C_CLOSE)) {
        __real_close(fd); /* the descriptor is gone either way, as on Linux */
        errno = err;
        return -1;
    }
    return __real_close(fd);
}
int __wrap_openat(int dfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int mode = va_arg(ap, int);
    va_end(ap);
    WRAP(openat, C_OPENAT, dfd, path, flags, mode);
}
int __wrap_mkdirat(int dfd, const char *path, mode_t mode) { WRAP(mkdirat, C_MKDIRAT, dfd, path, mode); }
int __wrap_flock(int fd, int op) { WRAP(flock, C_FLOCK, fd, op); }
int __wrap_renameat(int a, const char *p, int b, const char *q) { WRAP(renameat, C_RENAMEAT, a, p, b, q); }
int __wrap_unlinkat(int dfd, const char *path, int flags) { WRAP(unlinkat, C_UNLINKAT, dfd, path, flags); }
int __wrap_renameat2(int a, const char *p, int b, const char *q, unsigned flags)
{
    WRAP(renameat2, C_RENAMEAT2, a, p, b, q, flags);
}

/* ---- fixtures --------------------------------------------------------- */

static char root[64];
static int saved_cwd = -1;
#define OUT "out"

/* openat calls of one run into an existing "out", in order */
enum { OPENAT_CWD, OPENAT_LOCK, OPENAT_STALE, OPENAT_OLD, OPENAT_STAGE, OPENAT_FIRST_FILE };

static int setup(void **state)
{
    (void)state;
    memset(plan, 0, sizeof plan);
    memset(calls, 0, sizeof calls);
    strcpy(root, "/tmp/obc-faults.XXXXXX");
    if (!mkdtemp(root))
        return -1;
    saved_cwd = open(".", O_RDONLY | O_DIRECTORY);
    if (saved_cwd < 0 || chdir(root) != 0)
        return -1;
    return mkdir(OUT, 0755);
}

static int teardown(void **state)
{
    (void)state;
    memset(plan, 0, sizeof plan);
    if (fchdir(saved_cwd) != 0)
        return -1;
    __real_close(saved_cwd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static const struct out_file two[] = {
    {"a.json", "{\"new\": 1}\n", 11},
    {"b.json", "{\"new\": 2}\n", 11},
};
static const struct out_options strict = {.follow_symlinks = false};

/* The names in `dir`, sorted, joined by spaces. */
static const char *listing_of(const char *dir)
{
    static char buf[512];
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            strcat(buf, buf[0] ? " " : "");
            strcat(buf, names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    return buf;
}

static const char *listing(void) { return listing_of(OUT); }

static void put(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", OUT, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *content(const char *name)
{
    static char buf[64];
    char path[128];
    snprintf(path, sizeof path, "%s/%s", OUT, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Arms one fault, writes `two` over old files, checks the outcome: the
 * error, the culprit, and no staging or old directory left beside out. */
static void expect_failure(enum call c, struct fault f, int want_err, const char *want_failed)
{
    put("a.json", "old a\n");
    put("b.json", "old b\n");
    arm(c, f);
    const char *failed = "unset";
    int err = out_write_all(OUT, two, 2, &strict, &failed);
    assert_int_equal(err, want_err);
    if (want_failed)
        assert_string_equal(failed, want_failed);
    else
        assert_null(failed);
    assert_string_equal(listing(), "a.json b.json");
    const char *beside = listing_of(".");
    if (strcmp(beside, "out") != 0) /* the lock file is made by the first run that gets that far */
        assert_string_equal(beside, ".out.obc-lock out");
}

static void expect_old(void)
{
    assert_string_equal(content("a.json"), "old a\n");
    assert_string_equal(content("b.json"), "old b\n");
}

static void expect_new(void)
{
    assert_string_equal(content("a.json"), "{\"new\": 1}\n");
    assert_string_equal(content("b.json"), "{\"new\": 2}\n");
}

/* ---- tests ------------------------------------------------------------ */

static void test_write_error_keeps_old_files(void **state)
{
    (void)state;
    expect_failure(C_WRITE, (struct fault){.after = 1, .err = EIO}, EIO, "b.json");
    expect_old();
}

static void test_write_without_progress_is_a_full_disk(void **state)
{
    (void)state;
    expect_failure(C_WRITE, (struct fault){.zero = true}, ENOSPC, "a.json");
    expect_old();
}

static void test_interrupted_write_is_retried(void **state)
{
    (void)state;
    arm(C_WRITE, (struct fault){.err = EINTR});
    const char *failed = "unset";
    assert_int_equal(out_write_all(OUT, two, 2, &strict, &failed), 0);
    assert_null(failed);
    expect_new();
}

static void test_fsync_error_keeps_old_files(void **state)
{
    (void)state;
    /* one syncfs makes the files durable; where the system has none,
     * each file is synced and the first that fails is named */
    arm(C_SYNCFS, (struct fault){.err = ENOSYS});
    expect_failure(C_FSYNC, (struct fault){.err = EIO}, EIO, "a.json");
    expect_old();
    arm(C_SYNCFS, (struct fault){.err = ENOSYS});
    expect_failure(C_FSYNC, (struct fault){.after = 1, .err = EIO}, EIO, "b.json");
    expect_old();
    /* syncfs itself reports a write that failed: nothing replaced */
    expect_failure(C_SYNCFS, (struct fault){.err = EIO}, EIO, NULL);
    expect_old();
}

static void test_close_error_keeps_old_files(void **state)
{
    (void)state;
    expect_failure(C_CLOSE, (struct fault){.after = 1, .err = EIO}, EIO, "b.json");
    expect_old();
}

static void test_create_error_is_reported(void **state)
{
    (void)state;
    expect_failure(C_OPENAT, (struct fault){.after = OPENAT_FIRST_FILE, .err = EACCES}, EACCES, "a.json");
    expect_old();
}

static void test_every_directory_open_can_fail(void **state)
{
    (void)state;
    /* the parent, the lock file, the old directory, the staging directory;
     * the scan for stale entries is best effort and does not fail */
    int which[] = {OPENAT_CWD, OPENAT_LOCK, OPENAT_OLD, OPENAT_STAGE};
    for (size_t i = 0; i < sizeof which / sizeof which[0]; i++) {
        expect_failure(C_OPENAT, (struct fault){.after = which[i], .err = EMFILE}, EMFILE, NULL);
        expect_old();
    }
    arm(C_OPENAT, (struct fault){.after = OPENAT_STALE, .err = EMFILE});
    const char *failed;
    assert_int_equal(out_write_all(OUT, two, 2, &strict, &failed), 0);
    expect_new();
}

static void test_staging_directory_that_cannot_be_made(void **state)
{
    (void)state;
    expect_failure(C_MKDIRAT, (struct fault){.err = ENOSPC}, ENOSPC, NULL);
    expect_old();
}

static void test_lock_that_cannot_be_taken(void **state)
{
    (void)state;
    expect_failure(C_FLOCK, (struct fault){.err = ENOLCK}, ENOLCK, NULL);
    expect_old();
    arm(C_FLOCK, (struct fault){.err = EINTR}); /* interrupted: tried again */
    const char *failed;
    assert_int_equal(out_write_all(OUT, two, 2, &strict, &failed), 0);
    expect_new();
}

static void test_first_rename_error_replaces_nothing(void **state)
{
    (void)state;
    /* no one-step exchange (another filesystem), and the old directory
     * cannot be moved aside */
    arm(C_RENAMEAT2, (struct fault){.err = EINVAL});
    expect_failure(C_RENAMEAT, (struct fault){.err = EXDEV}, EXDEV, NULL);
    expect_old();
}

static void test_second_rename_error_puts_the_old_directory_back(void **state)
{
    (void)state;
    /* no one-step exchange; the old directory is aside, the staging one
     * cannot take its place */
    arm(C_RENAMEAT2, (struct fault){.err = ENOSYS});
    expect_failure(C_RENAMEAT, (struct fault){.after = 1, .err = EIO}, EIO, NULL);
    expect_old();
}

static void test_refused_exchange_falls_back_to_two_renames(void **state)
{
    (void)state;
    put("a.json", "old a\n");
    arm(C_RENAMEAT2, (struct fault){.err = EINVAL});
    const char *failed = "unset";
    assert_int_equal(out_write_all(OUT, two, 2, &strict, &failed), 0);
    expect_new();
    assert_string_equal(listing_of("."), ".out.obc-lock out");
}

static void test_old_directory_that_cannot_go_is_removed_later(void **state)
{
    (void)state;
    put("a.json", "old a\n");
    arm(C_UNLINKAT, (struct fault){.err = EPERM});
    const char *failed = "unset";
    assert_int_equal(out_write_all(OUT, two, 2, &strict, &failed), 0);
    expect_new();
    assert_string_not_equal(listing_of("."), ".out.obc-lock out"); /* the old one is left */
    assert_int_equal(out_write_all(OUT, two, 2, &strict, &failed), 0);
    assert_string_equal(listing_of("."), ".out.obc-lock out");
    expect_new();
}

static void test_stale_temporary_of_an_older_version_goes(void **state)
{
    (void)state;
    put(".a.json.tmp-12345", "left by a killed run\n");
    const char *failed = "unset";
    assert_int_equal(out_write_all(OUT, two, 2, &strict, &failed), 0);
    assert_string_equal(listing(), "a.json b.json");
    expect_new();
}

static void test_directory_sync_and_close_errors(void **state)
{
    (void)state;
    /* fsync (the files went through syncfs): the staging directory first:
     * nothing replaced */
    expect_failure(C_FSYNC, (struct fault){.after = 0, .err = EIO}, EIO, NULL);
    expect_old();
    /* then the parent, after the switch: reported, the new set is complete */
    expect_failure(C_FSYNC, (struct fault){.after = 1, .err = EIO}, EIO, NULL);
    expect_new();
    /* a file system that cannot sync a directory is fine */
    arm(C_FSYNC, (struct fault){.after = 0, .err = EINVAL});
    const char *failed = "unset";
    assert_int_equal(out_write_all(OUT, two, 2, &strict, &failed), 0);
    /* close: two files, then the staging directory */
    expect_failure(C_CLOSE, (struct fault){.after = 2, .err = EIO}, EIO, NULL);
    expect_old();
}

static void test_bad_directory_names(void **state)
{
    (void)state;
    const char *failed = "unset";
    assert_int_equal(out_write_all("", two, 2, &strict, &failed), ENOENT);
    char long_dir[PATH_MAX + 16];
    memset(long_dir, 'd', sizeof long_dir - 1);
    long_dir[sizeof long_dir - 1] = '\0';
    assert_int_equal(out_write_all(long_dir, two, 2, &strict, &failed), ENAMETOOLONG);
    char long_name[300];
    memset(long_name, 'n', 260); /* too long for the file system */
    strcpy(long_name + 260, ".json");
    const struct out_file one[] = {{long_name, "x", 1}};
    assert_int_equal(out_write_all(OUT, one, 1, &strict, &failed), ENAMETOOLONG);
    assert_string_equal(failed, long_name);
    /* a directory name too long for the staging directory's name */
    memset(long_name, 'd', 250);
    long_name[250] = '\0';
    assert_int_equal(out_write_all(long_name, two, 2, &strict, &failed), ENAMETOOLONG);
    assert_string_equal(listing(), "");
    assert_string_equal(listing_of("."), "out");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_error_keeps_old_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_without_progress_is_a_full_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupted_write_is_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fsync_error_keeps_old_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_error_keeps_old_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_error_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_directory_open_can_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staging_directory_that_cannot_be_made, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_that_cannot_be_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_rename_error_replaces_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_rename_error_puts_the_old_directory_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_exchange_falls_back_to_two_renames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_directory_that_cannot_go_is_removed_later, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_temporary_of_an_older_version_goes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_sync_and_close_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_directory_names, setup, teardown),
    };
    return cmocka_run_group_tests_name("output under failing system calls", tests, NULL, NULL);
}
