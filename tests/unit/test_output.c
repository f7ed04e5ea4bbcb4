/*
 * test_output.c - out_write_all (compiler/output.c): files land in the
 * directory with the exact bytes given, the directory is replaced as a
 * whole (never rewritten in place), missing parents are created, every
 * failure leaves the old files untouched and no staging directory,
 * symbolic links are not followed unless asked for, staging directories
 * of killed runs are removed, and concurrent runs into one directory
 * leave one run's complete set.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver.h"

struct fixture {
    char root[64]; /* a fresh directory */
    char dir[80];  /* root/out, the output directory (made by setup) */
};

static const struct out_options strict = {.follow_symlinks = false};

static int make_tmpdir(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    strcpy(fx->root, "/tmp/obc-test-output-XXXXXX");
    if (!mkdtemp(fx->root)) {
        free(fx);
        return -1;
    }
    snprintf(fx->dir, sizeof fx->dir, "%s/out", fx->root);
    if (mkdir(fx->dir, 0755) != 0) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP || flag == FTW_D)
        return rmdir(path);
    return unlink(path);
}

static int remove_tmpdir(void **state)
{
    struct fixture *fx = *state;
    chmod(fx->root, 0755);
    chmod(fx->dir, 0755);
    int rc = nftw(fx->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return rc;
}

static const char *path_in(const struct fixture *fx, const char *name, char buf[256])
{
    snprintf(buf, 256, "%s/%s", fx->dir, name);
    return buf;
}

/* The whole contents of a file, or "<missing>". Returns a static buffer. */
static const char *slurp(const char *path)
{
    static char buf[4096];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return "<missing>";
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = '\0';
    return buf;
}

static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* Number of entries in dir (without . and ..) and how many start with '.'. */
static void count_entries(const char *dir, int *total, int *hidden)
{
    char cmd[256];
    *total = *hidden = 0;
    snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[512];
    while (fgets(line, sizeof line, p)) {
        (*total)++;
        if (line[0] == '.')
            (*hidden)++;
    }
    pclose(p);
}

static struct out_file file(const char *name, const char *text)
{
    struct out_file f = {name, text, strlen(text)};
    return f;
}

static void test_writes_every_file(void **state)
{
    struct fixture *fx = *state;
    char buf[256];
    struct out_file files[] = {file("a.json", "{\"a\": 1}\n"), file("b.json", ""),
                               file("obc.manifest.json", "{}\n")};
    const char *failed = "unset";
    assert_int_equal(out_write_all(fx->dir, files, 3, &strict, &failed), 0);
    assert_null(failed);
    assert_string_equal(slurp(path_in(fx, "a.json", buf)), "{\"a\": 1}\n");
    assert_string_equal(slurp(path_in(fx, "b.json", buf)), "");
    assert_string_equal(slurp(path_in(fx, "obc.manifest.json", buf)), "{}\n");
    int total, hidden;
    count_entries(fx->dir, &total, &hidden);
    assert_int_equal(total, 3);
    assert_int_equal(hidden, 0);
}

static void test_binary_data_is_written_exactly(void **state)
{
    struct fixture *fx = *state;
    char buf[256];
    static const char data[] = {'x', '\0', 'y', '\n'};
    struct out_file f = {"bin.json", data, sizeof data};
    const char *failed;
    assert_int_equal(out_write_all(fx->dir, &f, 1, &strict, &failed), 0);
    struct stat st;
    assert_int_equal(stat(path_in(fx, "bin.json", buf), &st), 0);
    assert_int_equal(st.st_size, 4);
}

static void test_replaces_existing_file_by_rename(void **state)
{
    struct fixture *fx = *state;
    char buf[256], keep[256];
    put(path_in(fx, "p.json", buf), "old contents\n");
    snprintf(keep, sizeof keep, "%s/keep", fx->root);
    /* A second link to the old file: an in-place rewrite would change it. */
    assert_int_equal(link(path_in(fx, "p.json", buf), keep), 0);
    struct out_file f = file("p.json", "new\n");
    const char *failed;
    assert_int_equal(out_write_all(fx->dir, &f, 1, &strict, &failed), 0);
    assert_string_equal(slurp(path_in(fx, "p.json", buf)), "new\n");
    assert_string_equal(slurp(keep), "old contents\n");
}

static void test_creates_missing_parents(void **state)
{
    struct fixture *fx = *state;
    char dir[256], buf[256];
    snprintf(dir, sizeof dir, "%s/x/y//z/", fx->dir);
    struct out_file f = file("p.json", "deep\n");
    const char *failed;
    assert_int_equal(out_write_all(dir, &f, 1, &strict, &failed), 0);
    assert_string_equal(slurp(path_in(fx, "x/y/z/p.json", buf)), "deep\n");
}

static void test_no_files_still_creates_directory(void **state)
{
    struct fixture *fx = *state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/empty", fx->dir);
    const char *failed = "unset";
    assert_int_equal(out_write_all(dir, NULL, 0, &strict, &failed), 0);
    assert_null(failed);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
}

static void test_parent_is_a_file(void **state)
{
    struct fixture *fx = *state;
    char buf[256], dir[256];
    put(path_in(fx, "plain", buf), "x");
    snprintf(dir, sizeof dir, "%s/plain/out", fx->dir);
    struct out_file f = file("p.json", "x\n");
    const char *failed = "unset";
    assert_int_equal(out_write_all(dir, &f, 1, &strict, &failed), ENOTDIR);
    assert_null(failed); /* the directory is the culprit */
}

static void test_unwritable_directory_fails_cleanly(void **state)
{
    struct fixture *fx = *state;
    if (geteuid() == 0)
        skip(); /* root ignores permissions */
    char buf[256];
    put(path_in(fx, "a.json", buf), "old\n");
    assert_int_equal(chmod(fx->root, 0555), 0); /* where the staging directory goes */
    struct out_file files[] = {file("a.json", "new\n"), file("b.json", "new\n")};
    const char *failed = "unset";
    assert_int_equal(out_write_all(fx->dir, files, 2, &strict, &failed), EACCES);
    assert_null(failed);
    assert_int_equal(chmod(fx->root, 0755), 0);
    assert_string_equal(slurp(path_in(fx, "a.json", buf)), "old\n");
    int total, hidden;
    count_entries(fx->dir, &total, &hidden);
    assert_int_equal(total, 1);
    assert_int_equal(hidden, 0);
}

static void test_failure_in_the_middle_replaces_nothing(void **state)
{
    struct fixture *fx = *state;
    char buf[256];
    put(path_in(fx, "a.json", buf), "old a\n");
    put(path_in(fx, "c.json", buf), "old c\n");
    assert_int_equal(mkdir(path_in(fx, "b.json", buf), 0755), 0); /* cannot be replaced */
    struct out_file files[] = {file("a.json", "new a\n"), file("b.json", "new b\n"),
                               file("c.json", "new c\n")};
    const char *failed = NULL;
    /* b.json is not a file obc writes: the directory is not replaced */
    assert_int_equal(out_write_all(fx->dir, files, 3, &strict, &failed), ENOTEMPTY);
    assert_string_equal(failed, "b.json");
    assert_string_equal(slurp(path_in(fx, "a.json", buf)), "old a\n");
    assert_string_equal(slurp(path_in(fx, "c.json", buf)), "old c\n");
    int total, hidden;
    count_entries(fx->dir, &total, &hidden);
    assert_int_equal(total, 3);
    assert_int_equal(hidden, 0);
}

/* A write that fails part-way (here: past the file size limit, the way a
 * full disk makes write() fail) is detected, even after a short write. */
static void test_failed_write_is_detected(void **state)
{
    struct fixture *fx = *state;
    char buf[256];
    put(path_in(fx, "a.json", buf), "old a\n");
    char big[2048];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    struct out_file files[] = {file("a.json", "new a\n"), file("b.json", big)};

    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 1000;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    const char *failed = NULL;
    int err = out_write_all(fx->dir, files, 2, &strict, &failed);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);

    assert_int_equal(err, EFBIG);
    assert_string_equal(failed, "b.json");
    assert_string_equal(slurp(path_in(fx, "a.json", buf)), "old a\n");
    int total, hidden;
    count_entries(fx->dir, &total, &hidden);
    assert_int_equal(total, 1);
    assert_int_equal(hidden, 0);
    count_entries(fx->root, &total, &hidden); /* out and the lock file: no staging directory */
    assert_int_equal(total, 2);
    assert_int_equal(hidden, 1);
}

static void test_name_must_stay_inside_directory(void **state)
{
    struct fixture *fx = *state;
    struct out_file files[] = {file("ok.json", "x"), file("../escape.json", "x")};
    const char *failed = NULL;
    assert_int_equal(out_write_all(fx->dir, files, 2, &strict, &failed), EINVAL);
    assert_string_equal(failed, "../escape.json");
    int total, hidden;
    count_entries(fx->dir, &total, &hidden);
    assert_int_equal(total, 0);
}

static void test_stale_temporary_is_replaced(void **state)
{
    struct fixture *fx = *state;
    char buf[256], stale[64];
    snprintf(stale, sizeof stale, ".p.json.tmp-%ld", (long)getpid());
    put(path_in(fx, stale, buf), "left over by a killed run");
    struct out_file f = file("p.json", "fresh\n");
    const char *failed;
    assert_int_equal(out_write_all(fx->dir, &f, 1, &strict, &failed), 0);
    assert_string_equal(slurp(path_in(fx, "p.json", buf)), "fresh\n");
    int total, hidden;
    count_entries(fx->dir, &total, &hidden);
    assert_int_equal(total, 1);
    assert_int_equal(hidden, 0);
}


/* ---- the directory as a whole, symbolic links, stale staging --------- */

static void test_files_of_an_earlier_run_are_gone(void **state)
{
    struct fixture *fx = *state;
    char buf[256];
    put(path_in(fx, "removed_policy.json", buf), "old\n");
    struct out_file f = file("p.json", "new\n");
    const char *failed;
    assert_int_equal(out_write_all(fx->dir, &f, 1, &strict, &failed), 0);
    int total, hidden;
    count_entries(fx->dir, &total, &hidden);
    assert_int_equal(total, 1);
    assert_string_equal(slurp(path_in(fx, "p.json", buf)), "new\n");
}

static void test_foreign_file_stops_the_replacement(void **state)
{
    struct fixture *fx = *state;
    char buf[256];
    put(path_in(fx, "README", buf), "mine\n");
    put(path_in(fx, "p.json", buf), "old\n");
    struct out_file f = file("p.json", "new\n");
    const char *failed = NULL;
    assert_int_equal(out_write_all(fx->dir, &f, 1, &strict, &failed), ENOTEMPTY);
    assert_string_equal(failed, "README");
    assert_string_equal(slurp(path_in(fx, "README", buf)), "mine\n");
    assert_string_equal(slurp(path_in(fx, "p.json", buf)), "old\n");
}

static void test_current_directory_is_refused(void **state)
{
    (void)state;
    struct out_file f = file("p.json", "new\n");
    const char *failed = "unset";
    assert_int_equal(out_write_all(".", &f, 1, &strict, &failed), EINVAL);
    assert_null(failed);
    assert_int_equal(out_write_all("/", &f, 1, &strict, &failed), EINVAL);
    assert_int_equal(out_write_all("a/..", &f, 1, &strict, &failed), EINVAL);
}

static void test_symlinked_output_directory_is_refused(void **state)
{
    struct fixture *fx = *state;
    char target[128], link_path[128], victim[160];
    snprintf(target, sizeof target, "%s/outside", fx->root);
    assert_int_equal(mkdir(target, 0755), 0);
    snprintf(victim, sizeof victim, "%s/p.json", target);
    put(victim, "outside\n");
    snprintf(link_path, sizeof link_path, "%s/link", fx->root);
    assert_int_equal(symlink(target, link_path), 0);
    struct out_file f = file("p.json", "new\n");
    const char *failed = "unset";
    assert_int_equal(out_write_all(link_path, &f, 1, &strict, &failed), ELOOP);
    assert_null(failed);
    assert_string_equal(slurp(victim), "outside\n");
    /* a link above the output directory is refused as well */
    char below[160];
    snprintf(below, sizeof below, "%s/sub", link_path);
    assert_int_equal(out_write_all(below, &f, 1, &strict, &failed), ELOOP);
    struct stat st;
    assert_int_equal(lstat(below, &st), -1);
    /* a dangling link is not created through */
    snprintf(link_path, sizeof link_path, "%s/dangling", fx->root);
    snprintf(below, sizeof below, "%s/nowhere", fx->root);
    assert_int_equal(symlink(below, link_path), 0);
    assert_int_equal(out_write_all(link_path, &f, 1, &strict, &failed), ELOOP);
    assert_int_equal(lstat(below, &st), -1);
}

static void test_symlink_followed_when_asked(void **state)
{
    struct fixture *fx = *state;
    char target[128], link_path[128], victim[160];
    snprintf(target, sizeof target, "%s/outside", fx->root);
    assert_int_equal(mkdir(target, 0755), 0);
    snprintf(link_path, sizeof link_path, "%s/link", fx->root);
    assert_int_equal(symlink(target, link_path), 0);
    struct out_file f = file("p.json", "new\n");
    const struct out_options follow = {.follow_symlinks = true};
    const char *failed = "unset";
    assert_int_equal(out_write_all(link_path, &f, 1, &follow, &failed), 0);
    snprintf(victim, sizeof victim, "%s/p.json", target);
    assert_string_equal(slurp(victim), "new\n");
    struct stat st;
    assert_int_equal(lstat(link_path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
}

static void test_symlink_inside_is_not_followed(void **state)
{
    struct fixture *fx = *state;
    char victim[128], buf[256];
    snprintf(victim, sizeof victim, "%s/victim", fx->root);
    put(victim, "keep me\n");
    assert_int_equal(symlink(victim, path_in(fx, "p.json", buf)), 0);
    struct out_file f = file("p.json", "new\n");
    const char *failed = NULL;
    assert_int_equal(out_write_all(fx->dir, &f, 1, &strict, &failed), ENOTEMPTY);
    assert_string_equal(failed, "p.json");
    assert_string_equal(slurp(victim), "keep me\n");
    struct stat st;
    assert_int_equal(lstat(path_in(fx, "p.json", buf), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
}

static void test_symlinked_lock_file_is_not_followed(void **state)
{
    struct fixture *fx = *state;
    char victim[128], lock[128];
    snprintf(victim, sizeof victim, "%s/victim", fx->root);
    put(victim, "keep me\n");
    snprintf(lock, sizeof lock, "%s/.out.obc-lock", fx->root);
    assert_int_equal(symlink(victim, lock), 0);
    struct out_file f = file("p.json", "new\n");
    const char *failed = "unset";
    assert_int_equal(out_write_all(fx->dir, &f, 1, &strict, &failed), ELOOP);
    assert_string_equal(slurp(victim), "keep me\n");
}

/* The pid of a process that has exited. */
static long dead_pid(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return (long)pid;
}

static void test_stale_staging_is_removed(void **state)
{
    struct fixture *fx = *state;
    char stage[160], old[160], inner[200], other[160];
    snprintf(stage, sizeof stage, "%s/.out.obc-stage.%ld.1234abcd", fx->root, dead_pid());
    snprintf(old, sizeof old, "%s/.out.obc-old.%ld.99", fx->root, dead_pid());
    snprintf(other, sizeof other, "%s/.other.obc-stage.%ld.1", fx->root, dead_pid());
    assert_int_equal(mkdir(stage, 0755), 0);
    assert_int_equal(mkdir(old, 0755), 0);
    assert_int_equal(mkdir(other, 0755), 0);
    snprintf(inner, sizeof inner, "%s/a.json", stage);
    put(inner, "half written");
    struct out_file f = file("p.json", "new\n");
    const char *failed;
    assert_int_equal(out_write_all(fx->dir, &f, 1, &strict, &failed), 0);
    struct stat st;
    assert_int_equal(lstat(stage, &st), -1);
    assert_int_equal(lstat(old, &st), -1);
    assert_int_equal(lstat(other, &st), 0); /* another output directory's */
}

/* Two processes write different sets into one directory, many times:
 * afterwards the directory holds one set, complete. */
static void test_concurrent_runs_leave_one_set(void **state)
{
    struct fixture *fx = *state;
    struct out_file set_a[] = {file("a1.json", "A\n"), file("a2.json", "A\n"), file("a3.json", "A\n")};
    struct out_file set_b[] = {file("b1.json", "B\n"), file("b2.json", "B\n")};
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            for (int i = 0; i < 40; i++) {
                const char *failed;
                int err = k == 0 ? out_write_all(fx->dir, set_a, 3, &strict, &failed)
                                 : out_write_all(fx->dir, set_b, 2, &strict, &failed);
                if (err)
                    _exit(1);
            }
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    int total, hidden;
    count_entries(fx->dir, &total, &hidden);
    char buf[256];
    if (strcmp(slurp(path_in(fx, "a1.json", buf)), "A\n") == 0)
        assert_int_equal(total, 3);
    else
        assert_int_equal(total, 2);
    count_entries(fx->root, &total, &hidden);
    assert_int_equal(total, 2); /* out and the lock file */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writes_every_file, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_binary_data_is_written_exactly, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_replaces_existing_file_by_rename, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_creates_missing_parents, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_no_files_still_creates_directory, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_parent_is_a_file, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_unwritable_directory_fails_cleanly, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_failure_in_the_middle_replaces_nothing, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_failed_write_is_detected, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_name_must_stay_inside_directory, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_stale_temporary_is_replaced, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_files_of_an_earlier_run_are_gone, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_foreign_file_stops_the_replacement, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_current_directory_is_refused, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_symlinked_output_directory_is_refused, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_symlink_followed_when_asked, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_symlink_inside_is_not_followed, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_symlinked_lock_file_is_not_followed, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_stale_staging_is_removed, make_tmpdir, remove_tmpdir),
        cmocka_unit_test_setup_teardown(test_concurrent_runs_leave_one_set, make_tmpdir, remove_tmpdir),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
