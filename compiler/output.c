/*
 * output.c - writes the set of output files of one compilation into a
 * directory so that either every file is replaced or none is.
 *
 * Steps: create the directory (and missing parents, like mkdir -p);
 * write every file to a temporary ".<name>.tmp-<pid>" in that directory
 * (O_CREAT|O_EXCL, a write loop that survives EINTR and short writes,
 * fsync, close); check that no target is a directory; only then rename
 * the temporaries over the targets, in the order given, and fsync the
 * directory. Any failure before the renames removes every temporary and
 * leaves the old files as they were. A rename is not expected to fail
 * once those checks passed; if one does anyway, the files renamed before
 * it stay replaced and the rest are removed.
 *
 * Owns: nothing but the files it writes. Does not print (main.c reports
 * the error) and does not allocate: paths are built in fixed buffers and
 * files are addressed relative to a directory descriptor.
 */
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Room for ".<name>.tmp-<pid>" with a name of up to NAME_MAX bytes; a
 * longer temporary name is rejected by the file system anyway. */
#define TMP_NAME_MAX (NAME_MAX + 32)

/* Creates `dir` and its missing parents. Returns 0 or an errno value. */
static int make_dirs(const char *dir)
{
    char path[PATH_MAX];
    size_t len = strlen(dir);
    if (len == 0)
        return ENOENT;
    if (len >= sizeof path)
        return ENAMETOOLONG;
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        if (path[i - 1] == '/') /* "a//b" or a trailing slash */
            continue;
        char saved = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) != 0) {
            int err = errno;
            struct stat st;
            if (stat(path, &st) != 0) /* not there and not creatable */
                return err;
            if (!S_ISDIR(st.st_mode))
                return ENOTDIR;
        }
        path[i] = saved;
    }
    return 0;
}

/* The temporary name of `name`. Returns 0 or ENAMETOOLONG. */
static int tmp_name(char buf[TMP_NAME_MAX], const char *name)
{
    int n = snprintf(buf, TMP_NAME_MAX, ".%s.tmp-%ld", name, (long)getpid());
    return n < 0 || n >= TMP_NAME_MAX ? ENAMETOOLONG : 0;
}

/* A name must stay inside the directory. */
static bool plain_name(const char *name)
{
    return name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
           strcmp(name, "..") != 0;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (n == 0) /* no progress and no error: treat as a full device */
            return ENOSPC;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Creates the temporary for `f` in `dfd` and fills it. On failure the
 * temporary (if it was created) is already removed. */
static int write_tmp(int dfd, const struct out_file *f)
{
    char tmp[TMP_NAME_MAX];
    int err = tmp_name(tmp, f->name);
    if (err)
        return err;
    int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno == EEXIST) {
        /* left behind by a killed run that had the same process id */
        if (unlinkat(dfd, tmp, 0) != 0)
            return errno;
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    }
    if (fd < 0)
        return errno;
    err = write_all(fd, f->data, f->len);
    if (!err && fsync(fd) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    if (err)
        unlinkat(dfd, tmp, 0);
    return err;
}

/* Removes the temporaries of files[from..n). */
static void remove_tmps(int dfd, const struct out_file *files, size_t from, size_t n)
{
    for (size_t i = from; i < n; i++) {
        char tmp[TMP_NAME_MAX];
        if (tmp_name(tmp, files[i].name) == 0)
            unlinkat(dfd, tmp, 0);
    }
}

/* A target that exists as a directory cannot be replaced by rename. */
static int check_target(int dfd, const char *name)
{
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : errno;
    return S_ISDIR(st.st_mode) ? EISDIR : 0;
}

/* Makes the renames durable. File systems that cannot sync a directory
 * say so with EINVAL; that is not an error. */
static int sync_dir(int dfd)
{
    if (fsync(dfd) != 0 && errno != EINVAL && errno != ENOTSUP)
        return errno;
    return 0;
}

static int write_into(int dfd, const struct out_file *files, size_t n, size_t *culprit)
{
    for (size_t i = 0; i < n; i++) {
        *culprit = i;
        int err = plain_name(files[i].name) ? write_tmp(dfd, &files[i]) : EINVAL;
        if (err) {
            remove_tmps(dfd, files, 0, i);
            return err;
        }
    }
    for (size_t i = 0; i < n; i++) {
        *culprit = i;
        int err = check_target(dfd, files[i].name);
        if (err) {
            remove_tmps(dfd, files, 0, n);
            return err;
        }
    }
    for (size_t i = 0; i < n; i++) {
        *culprit = i;
        char tmp[TMP_NAME_MAX];
        tmp_name(tmp, files[i].name); /* its length was checked when it was written */
        if (renameat(dfd, tmp, dfd, files[i].name) != 0) {
            int err = errno;
            remove_tmps(dfd, files, i, n);
            return err;
        }
    }
    *culprit = n;
    return sync_dir(dfd);
}

int out_write_all(const char *dir, const struct out_file *files, size_t n,
                  const char **failed)
{
    *failed = NULL;
    int err = make_dirs(dir);
    if (err)
        return err;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return errno;
    size_t culprit = n;
    err = write_into(dfd, files, n, &culprit);
    if (close(dfd) != 0 && !err) {
        err = errno;
        culprit = n;
    }
    if (err && culprit < n)
        *failed = files[culprit].name;
    return err;
}
