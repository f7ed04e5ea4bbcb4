/*
 * output.c - writes the set of output files of one compilation as one
 * directory that replaces the old output directory as a whole, so that a
 * reader sees either every old file or every new one, never a mix.
 *
 * Layout, for an output directory P/D:
 *   P/D                          the output: only the files of one run
 *   P/.D.obc-lock                lock file (flock), kept between runs
 *   P/.D.obc-stage.<pid>.<rand>  the new files while they are written
 *   P/.D.obc-old.<pid>.<rand>    the old directory while it is removed
 *
 * Steps: open P one component at a time without following symbolic links
 * (O_NOFOLLOW|O_DIRECTORY, creating missing components with mkdirat);
 * refuse a D that is a symbolic link or not a directory; take an
 * exclusive flock on the lock file (O_NOFOLLOW, a regular file), so that
 * two runs into the same directory take turns; remove the staging and old
 * entries that earlier runs left (under the lock they belong to runs that
 * no longer hold it: killed or crashed); check that an existing D is a real
 * directory that holds only files obc writes; create the staging
 * directory and write every file into it (openat relative to its
 * descriptor, O_CREAT|O_EXCL|O_NOFOLLOW); make them all durable in one
 * pass (syncfs; one fsync per file where there is none); fsync the
 * staging directory; then rename D
 * aside, rename the staging directory to D, fsync P and remove the old
 * directory. Any failure before the renames removes the staging
 * directory and leaves D as it was; a failed second rename puts the old
 * D back.
 *
 * With `follow_symlinks`, the path is first created and resolved with
 * mkdir and realpath (following links) and the steps above then run on
 * the resolved path.
 *
 * On Linux an existing D is swapped with the staging directory in one
 * step (renameat2 with RENAME_EXCHANGE), so a reader never finds D
 * absent. Where that call is missing (other systems, or a filesystem that
 * refuses it) D is renamed aside first: between the two renames D is
 * briefly absent, which a reader sees as "no output", never as a mix.
 *
 * Owns: nothing but the files it writes. Does not print (main.c reports
 * the error) and allocates only for realpath and readdir. It uses flock
 * (Linux, the BSDs, macOS) and the POSIX *at calls.
 */
#ifdef __linux__
#define _GNU_SOURCE 1 /* renameat2, RENAME_EXCHANGE (glibc 2.28) */
#endif
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define OPEN_DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define ENTRY_MAX      (NAME_MAX + 64) /* ".<base>.obc-stage.<pid>.<rand>" */

/* ---- names ----------------------------------------------------------- */

/* A name must stay inside the directory. */
static bool plain_name(const char *name)
{
    return name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
           strcmp(name, "..") != 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A temporary ".<name>.tmp-<pid>" of an obc before the staging directory. */
static bool old_style_tmp(const char *s)
{
    const char *t = strstr(s, ".tmp-");
    if (s[0] != '.' || !t)
        return false;
    const char *last;
    while ((last = strstr(t + 1, ".tmp-")) != NULL)
        t = last;
    t += 5;
    if (!*t)
        return false;
    for (; *t; t++)
        if (*t < '0' || *t > '9')
            return false;
    return true;
}

/* "<prefix><pid>.<rand>": the prefix matches and a pid follows. */
static bool staging_entry(const char *name, const char *prefix, long *pid)
{
    size_t k = strlen(prefix);
    if (strncmp(name, prefix, k) != 0)
        return false;
    char *end;
    errno = 0;
    *pid = strtol(name + k, &end, 10);
    if (end == name + k || *end != '.' || errno)
        *pid = 0;
    return true;
}

/* ---- small file-system helpers -------------------------------------- */

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

/* Makes the directory's entries durable. File systems that cannot sync a
 * directory say so with EINVAL; that is not an error. */
static int sync_dir(int dfd)
{
    if (fsync(dfd) != 0 && errno != EINVAL && errno != ENOTSUP)
        return errno;
    return 0;
}

/* Why `name` in `dfd` could not be opened as a directory: ELOOP for a
 * symbolic link, ENOTDIR for anything else that is not a directory. */
static int open_error(int dfd, const char *name, int err)
{
    struct stat st;
    if (err == ENOENT || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return err;
    if (S_ISLNK(st.st_mode))
        return ELOOP;
    if (!S_ISDIR(st.st_mode))
        return ENOTDIR;
    return err;
}

/* A directory stream on `fd`; on failure fd is closed and errno kept. */
static DIR *stream_of(int fd)
{
    DIR *d = fdopendir(fd);
    if (!d) {
        int err = errno;
        close(fd);
        errno = err;
    }
    return d;
}

/* Removes `name` from `pfd`: a directory with the files in it (never
 * following a symbolic link, never descending further), or a file. Best
 * effort: what cannot be removed stays, and a later run tries again. */
static void remove_entry(int pfd, const char *name)
{
    int fd = openat(pfd, name, OPEN_DIR_FLAGS);
    if (fd < 0) {
        if (errno == ENOTDIR || errno == ELOOP)
            unlinkat(pfd, name, 0);
        return;
    }
    DIR *d = stream_of(fd);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(fd, e->d_name, 0);
    closedir(d); /* closes fd */
    unlinkat(pfd, name, AT_REMOVEDIR);
}

/* ---- the steps ------------------------------------------------------- */

/* Opens the parent of the last component of `path` without following
 * any symbolic link, creating missing directories; *base is then the
 * last component (inside `path`, which is modified). Returns the
 * descriptor, or -1 with *err set. */
static int open_parent(char *path, const char **base, int *err)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        path[--len] = '\0';
    char *slash = strrchr(path, '/');
    const char *last = slash ? slash + 1 : path;
    if (!*last || strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
        *err = EINVAL; /* "/", "." or "..": not a directory obc can replace */
        return -1;
    }
    *base = last;
    int fd = openat(AT_FDCWD, path[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *err = errno;
        return -1;
    }
    if (!slash)
        return fd;
    *slash = '\0';
    char *comp = path;
    while (comp && *comp) {
        char *next = strchr(comp, '/');
        if (next)
            *next++ = '\0';
        if (*comp && strcmp(comp, ".") != 0) {
            int sub = openat(fd, comp, OPEN_DIR_FLAGS);
            if (sub < 0 && errno == ENOENT && mkdirat(fd, comp, 0777) != 0 && errno != EEXIST) {
                *err = errno;
                close(fd);
                return -1;
            }
            if (sub < 0)
                sub = openat(fd, comp, OPEN_DIR_FLAGS);
            if (sub < 0) {
                *err = open_error(fd, comp, errno);
                close(fd);
                return -1;
            }
            close(fd);
            fd = sub;
        }
        if (next)
            next[-1] = '/';
        comp = next;
    }
    *slash = '/';
    return fd;
}

/* Takes the lock of `base` in `pfd`. Returns its descriptor or -1. */
static int take_lock(int pfd, const char *base, int *err)
{
    char name[ENTRY_MAX];
    int n = snprintf(name, sizeof name, ".%s.obc-lock", base);
    if (n < 0 || (size_t)n >= sizeof name) {
        *err = ENAMETOOLONG;
        return -1;
    }
    /* O_NONBLOCK: a planted FIFO must not hang the open */
    int fd = openat(pfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
    if (fd < 0) {
        *err = errno;
        return -1;
    }
    struct stat st;
    errno = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        *err = errno ? errno : EEXIST; /* something else is in the lock file's place */
        close(fd);
        return -1;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            *err = errno;
            close(fd);
            return -1;
        }
    }
    return fd;
}

/* Removes the staging and old directories of `base` that earlier runs
 * left. Called with the lock held: runs create them only under the
 * lock, so every one there belongs to a run that no longer holds it
 * (killed, or crashed); the recorded pid is checked as well. */
static void remove_stale(int pfd, const char *base)
{
    char stage[ENTRY_MAX], old[ENTRY_MAX];
    snprintf(stage, sizeof stage, ".%s.obc-stage.", base);
    snprintf(old, sizeof old, ".%s.obc-old.", base);
    int fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    DIR *d = stream_of(fd);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid;
        if (!staging_entry(e->d_name, stage, &pid) && !staging_entry(e->d_name, old, &pid))
            continue;
        /* Even when `pid` is alive (a reused pid, or this process in an
         * earlier call), the entry's run has let go of the lock. */
        (void)pid;
        remove_entry(pfd, e->d_name);
    }
    closedir(d);
}

static char foreign[NAME_MAX + 1]; /* the entry named by ENOTEMPTY */

/* An existing output directory may be replaced as a whole only when it
 * holds nothing but files obc writes: regular files named "*.json", and
 * temporaries of older versions. Returns 0, ENOTDIR, ELOOP, or
 * ENOTEMPTY with `foreign` set; *exists says whether it is there. */
static int check_old(int pfd, const char *base, bool *exists)
{
    *exists = false;
    int fd = openat(pfd, base, OPEN_DIR_FLAGS);
    if (fd < 0)
        return errno == ENOENT ? 0 : open_error(pfd, base, errno);
    *exists = true;
    DIR *d = stream_of(fd);
    if (!d)
        return errno;
    int err = 0;
    struct dirent *e;
    while (!err && (e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
            continue;
        struct stat st;
        bool ours = (has_suffix(n, ".json") || old_style_tmp(n)) &&
                    fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
        if (!ours) {
            snprintf(foreign, sizeof foreign, "%s", n);
            err = ENOTEMPTY;
        }
    }
    closedir(d);
    return err;
}

/* Creates a new directory "<prefix><pid>.<rand>" in `pfd`; its name in
 * `name`. */
static int make_unique(int pfd, const char *prefix, char name[ENTRY_MAX], bool dir)
{
    static unsigned counter;
    for (int tries = 0; tries < 100; tries++) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long r = (unsigned long)ts.tv_nsec ^ ((unsigned long)ts.tv_sec << 20) ^
                          (unsigned long)(++counter * 2654435761u);
        int n = snprintf(name, ENTRY_MAX, "%s%ld.%08lx", prefix, (long)getpid(), r & 0xffffffffUL);
        if (n < 0 || n >= ENTRY_MAX)
            return ENAMETOOLONG;
        if (!dir)
            return 0;
        if (mkdirat(pfd, name, 0777) == 0)
            return 0;
        if (errno != EEXIST)
            return errno;
    }
    return EEXIST;
}

/* Writes `f` into the staging directory `sfd`; sync_files makes it
 * durable with the others. */
static int write_file(int sfd, const struct out_file *f)
{
    int fd = openat(sfd, f->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return errno;
    int err = write_all(fd, f->data, f->len);
    if (close(fd) != 0 && !err)
        err = errno;
    return err;
}

/* Makes every file written into `sfd` durable before anything is renamed:
 * one pass over the file system that holds them (syncfs), or, where
 * there is none, one fsync per file. */
static int sync_files(int sfd, const struct out_file *files, size_t n, size_t *culprit)
{
#if defined(__linux__)
    *culprit = n;
    if (syncfs(sfd) == 0)
        return 0;
    if (errno != ENOSYS && errno != EINVAL && errno != ENOTSUP)
        return errno; /* a write that did not reach the disk */
#endif
    for (size_t i = 0; i < n; i++) {
        *culprit = i;
        int fd = openat(sfd, files[i].name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return errno;
        int err = fsync(fd) != 0 ? errno : 0;
        if (close(fd) != 0 && !err)
            err = errno;
        if (err)
            return err;
    }
    return 0;
}

/* Writes every file into a new staging directory and switches it in
 * for `base`. */
/* Swaps the directories `a` and `b` of pfd in one step; false when the
 * system or the filesystem cannot (then nothing changed). */
static bool exchange_dirs(int pfd, const char *a, const char *b)
{
#if defined(__linux__) && defined(RENAME_EXCHANGE)
    return renameat2(pfd, a, pfd, b, RENAME_EXCHANGE) == 0;
#else
    (void)pfd;
    (void)a;
    (void)b;
    return false;
#endif
}

static int stage_and_switch(int pfd, const char *base, const struct out_file *files, size_t n,
                            size_t *culprit)
{
    bool exists;
    int err = check_old(pfd, base, &exists);
    if (err)
        return err;
    char prefix[ENTRY_MAX], stage[ENTRY_MAX], old[ENTRY_MAX];
    snprintf(prefix, sizeof prefix, ".%s.obc-stage.", base);
    if ((err = make_unique(pfd, prefix, stage, true)) != 0)
        return err;
    int sfd = openat(pfd, stage, OPEN_DIR_FLAGS);
    if (sfd < 0) {
        err = errno;
        remove_entry(pfd, stage);
        return err;
    }
    for (size_t i = 0; i < n && !err; i++) {
        *culprit = i;
        err = write_file(sfd, &files[i]);
    }
    if (!err)
        err = sync_files(sfd, files, n, culprit);
    if (!err) {
        *culprit = n;
        err = sync_dir(sfd);
    }
    if (close(sfd) != 0 && !err) {
        *culprit = n;
        err = errno;
    }
    if (err) {
        remove_entry(pfd, stage);
        return err;
    }
    if (exists && exchange_dirs(pfd, stage, base)) {
        /* the staging name now holds the old directory */
        err = sync_dir(pfd);
        remove_entry(pfd, stage);
        return err;
    }
    snprintf(prefix, sizeof prefix, ".%s.obc-old.", base);
    make_unique(pfd, prefix, old, false); /* fits: shorter than the stage name */
    if (exists && renameat(pfd, base, pfd, old) != 0) {
        err = errno;
        remove_entry(pfd, stage);
        return err;
    }
    if (renameat(pfd, stage, pfd, base) != 0) {
        err = errno;
        if (exists)
            renameat(pfd, old, pfd, base); /* put the old one back */
        remove_entry(pfd, stage);
        return err;
    }
    err = sync_dir(pfd);
    if (exists)
        remove_entry(pfd, old);
    return err;
}

/* mkdir -p, following symbolic links (only with follow_symlinks). */
static int make_dirs_following(const char *dir)
{
    char path[PATH_MAX];
    size_t len = strlen(dir);
    memcpy(path, dir, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        if (path[i - 1] == '/')
            continue;
        char saved = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) != 0) {
            int err = errno;
            struct stat st;
            if (stat(path, &st) != 0)
                return err;
            if (!S_ISDIR(st.st_mode))
                return ENOTDIR;
        }
        path[i] = saved;
    }
    return 0;
}

int out_write_all(const char *dir, const struct out_file *files, size_t n,
                  const struct out_options *opts, const char **failed)
{
    *failed = NULL;
    foreign[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!plain_name(files[i].name)) {
            *failed = files[i].name;
            return EINVAL;
        }
        if (strlen(files[i].name) > NAME_MAX) {
            *failed = files[i].name;
            return ENAMETOOLONG;
        }
    }
    size_t len = strlen(dir);
    if (len == 0)
        return ENOENT;
    if (len >= PATH_MAX)
        return ENAMETOOLONG;
    char path[PATH_MAX];
    memcpy(path, dir, len + 1);
    if (opts && opts->follow_symlinks) {
        int err = make_dirs_following(dir);
        if (err)
            return err;
        char *real = realpath(dir, NULL);
        if (!real)
            return errno;
        bool fits = strlen(real) < sizeof path;
        if (fits)
            memcpy(path, real, strlen(real) + 1);
        free(real);
        if (!fits)
            return ENAMETOOLONG;
    }
    const char *base;
    int err = 0;
    int pfd = open_parent(path, &base, &err);
    if (pfd < 0)
        return err;
    /* What is in the way is reported before the lock file is made: a
     * link or a file cannot become the output directory anyway. */
    struct stat st;
    if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode)) {
        close(pfd);
        return S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
    }
    int lock = take_lock(pfd, base, &err);
    if (lock < 0) {
        close(pfd);
        return err;
    }
    remove_stale(pfd, base);
    size_t culprit = n;
    err = stage_and_switch(pfd, base, files, n, &culprit);
    if (err == ENOTEMPTY && culprit == n && foreign[0])
        *failed = foreign;
    else if (err && culprit < n)
        *failed = files[culprit].name;
    close(lock); /* releases the lock */
    if (close(pfd) != 0 && !err)
        err = errno;
    return err;
}

/* ---- one file --------------------------------------------------------- */

/* `obc import -o FILE`: the data goes into a new file next to FILE
 * (".<base>.obc-stage.<pid>.<rand>", O_EXCL, fsync) that is then renamed
 * over it, so a reader sees the old file or the new one, never a part.
 * The path is opened as for out_write_all, without following symbolic
 * links; an existing FILE that is a symbolic link (ELOOP) or not a
 * regular file (EISDIR) is refused. */
int out_write_file(const char *path, const char *data, size_t len)
{
    char *copy = strdup(path);
    if (!copy)
        return ENOMEM;
    const char *base = NULL;
    int err = 0;
    int pfd = open_parent(copy, &base, &err);
    if (pfd < 0) {
        free(copy);
        return err;
    }
    struct stat st;
    if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0)
        err = S_ISLNK(st.st_mode) ? ELOOP : !S_ISREG(st.st_mode) ? EISDIR : 0;
    else if (errno != ENOENT)
        err = errno;
    char stage[ENTRY_MAX];
    char prefix[ENTRY_MAX];
    if (!err && snprintf(prefix, sizeof prefix, ".%s.obc-stage.", base) >= (int)sizeof prefix)
        err = ENAMETOOLONG;
    if (!err)
        err = make_unique(pfd, prefix, stage, false);
    if (!err) {
        struct out_file f = {stage, data, len};
        err = write_file(pfd, &f);
        if (!err && renameat(pfd, stage, pfd, base) != 0)
            err = errno;
        if (err)
            unlinkat(pfd, stage, 0);
        else
            err = sync_dir(pfd);
    }
    close(pfd);
    free(copy);
    return err;
}
