/*
 * discover.c - finding the programs and files under a directory given on
 * the command line (docs/programs.md): a directory's programs are its
 * `main.ob` files, searched recursively, or the entry files a `.obc`
 * file lists. Hidden directories and build directories (build, obc-out,
 * node_modules) are skipped, no symbolic link is followed, and the walk
 * is bounded in depth and in entries (LIMIT_DISCOVER_*), so its cost is
 * linear in the entries it reads.
 *
 * Owns: the directory walk and the `.obc` list format. Prints nothing:
 * problems are diagnostics (the `.obc` file's lines, OB1030 for a limit)
 * or a false return with errno (a directory that cannot be read).
 */
#include "front.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ENTRY_NAME "main.ob"
#define LIST_NAME ".obc"

struct walk {
    struct obc *cc;
    const char *suffix;   /* discover_files: the file names to collect */
    struct vec *out;      /* paths (files) or struct vec* (programs) */
    bool programs;
    size_t entries;       /* directory entries read so far */
    bool stopped;         /* a limit was hit (reported) */
};

static bool skipped_dir(const char *name)
{
    return name[0] == '.' || strcmp(name, "build") == 0 || strcmp(name, "obc-out") == 0 ||
           strcmp(name, "node_modules") == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "dir/name", or "name" when dir is "." */
static const char *join(struct arena *a, const char *dir, const char *name)
{
    if (strcmp(dir, ".") == 0)
        return arena_strdup(a, name);
    size_t n = strlen(dir);
    return arena_printf(a, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

/* A relative path of a .obc line that stays inside its directory: not
 * empty, not absolute, no "." or ".." component. */
static bool inside_path(const char *p)
{
    if (!p[0] || p[0] == '/')
        return false;
    for (const char *c = p;;) {
        size_t len = strcspn(c, "/");
        if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
            return false;
        if (!c[len])
            return true;
        c += len + 1;
    }
}

/* Reads the .obc file of directory `path` (open as dirfd) into programs:
 * one per line, its entry files separated by blanks; `#` starts a
 * comment. Problems are diagnostics at the line. */
static void read_list(struct walk *w, int dirfd, const char *path)
{
    struct obc *cc = w->cc;
    const char *list_path = join(&cc->arena, path, LIST_NAME);
    int fd = openat(dirfd, LIST_NAME, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    char *text = NULL;
    size_t len = 0;
    int err = fd < 0 ? errno : src_read_fd(&cc->arena, fd, 0, LIMIT_FILE_BYTES, &text, &len);
    if (fd >= 0)
        close(fd);
    if (err) {
        diag_emit(cc, OB1020, LOC_NONE, "cannot read '%s': %s", list_path, strerror(err));
        return;
    }
    struct src_file *f = src_add(cc, list_path, path, list_path, text, len);
    size_t found = 0, errors = cc->diag.errors;
    for (size_t at = 0; at < len;) {
        size_t end = at;
        while (end < len && text[end] != '\n')
            end++;
        struct vec *program = NULL;
        for (size_t i = at; i < end;) {
            while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
                i++;
            if (i == end || text[i] == '#')
                break;
            size_t s = i;
            while (i < end && text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
                i++;
            const char *name = arena_strndup(&cc->arena, text + s, i - s);
            struct loc loc = {f->id, (uint32_t)s, (uint32_t)i};
            struct stat st;
            bool exists = inside_path(name) && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
            if (!inside_path(name)) {
                struct diag *d = diag_emit(cc, OB1022, loc, "'%s' is not a path inside the directory of '%s'",
                                           name, list_path);
                diag_help(cc, d, "write a relative path below that directory, without '.' or '..' components");
            } else if (!exists || !S_ISREG(st.st_mode)) {
                struct diag *d = diag_emit(cc, OB1020, loc, "entry file '%s' listed in '%s' %s", name, list_path,
                                           exists ? "is not a regular file" : "cannot be found");
                diag_help(cc, d, "list the programs' entry files, relative to the directory of the list");
            } else {
                if (!program)
                    program = arena_alloc(&cc->arena, sizeof *program);
                vec_push(&cc->arena, program, (void *)join(&cc->arena, path, name));
            }
        }
        if (program) {
            vec_push(&cc->arena, w->out, program);
            found++;
        }
        at = end + 1;
    }
    if (!found && cc->diag.errors == errors) {
        struct diag *d = diag_emit(cc, OB1020, (struct loc){f->id, 0, 0}, "'%s' lists no entry file", list_path);
        diag_help(cc, d, "write one program per line: its entry files, separated by blanks");
    }
}

/* Walks directory `path` (open as dirfd, which this closes) at `depth`. */
static bool walk_dir(struct walk *w, int dirfd, const char *path, int depth)
{
    struct obc *cc = w->cc;
    DIR *d = fdopendir(dirfd);
    if (!d) {
        int err = errno;
        close(dirfd);
        errno = err;
        return false;
    }
    struct vec names = {0};
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (++w->entries > LIMIT_DISCOVER_ENTRIES) {
            diag_emit(cc, OB1030, LOC_NONE, "more than %d directory entries below the directory searched for "
                      "programs (reached in '%s')", LIMIT_DISCOVER_ENTRIES, path);
            w->stopped = true;
            closedir(d);
            return true;
        }
        vec_push(&cc->arena, &names, arena_strdup(&cc->arena, e->d_name));
        errno = 0;
    }
    if (errno) {
        int err = errno;
        closedir(d);
        errno = err;
        return false;
    }
    if (names.len > 1)
        qsort(names.items, names.len, sizeof names.items[0], by_name);
    struct stat st;
    if (w->programs) {
        for (size_t i = 0; i < names.len; i++) {
            const char *name = names.items[i];
            if (strcmp(name, LIST_NAME) == 0 && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISREG(st.st_mode)) {
                read_list(w, dirfd, path);
                closedir(d);
                return true; /* the list governs the whole directory */
            }
        }
    }
    bool ok = true;
    for (size_t i = 0; ok && !w->stopped && i < names.len; i++) {
        const char *name = names.items[i];
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; /* removed meanwhile */
        if (S_ISREG(st.st_mode)) {
            if (w->programs && strcmp(name, ENTRY_NAME) == 0) {
                struct vec *program = arena_alloc(&cc->arena, sizeof *program);
                vec_push(&cc->arena, program, (void *)join(&cc->arena, path, name));
                vec_push(&cc->arena, w->out, program);
            } else if (!w->programs && ends_with(name, w->suffix)) {
                vec_push(&cc->arena, w->out, (void *)join(&cc->arena, path, name));
            }
            if (w->out->len > LIMIT_DISCOVER_FOUND) {
                diag_emit(cc, OB1030, LOC_NONE, "more than %d %s below the directory searched (reached in '%s')",
                          LIMIT_DISCOVER_FOUND, w->programs ? "programs" : "files", path);
                w->stopped = true;
            }
        } else if (S_ISDIR(st.st_mode) && !skipped_dir(name)) {
            if (depth + 1 > LIMIT_DISCOVER_DEPTH) {
                diag_emit(cc, OB1030, LOC_NONE, "'%s' is nested more than %d directories below the directory "
                          "searched", join(&cc->arena, path, name), LIMIT_DISCOVER_DEPTH);
                w->stopped = true;
                break;
            }
            int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                ok = false;
                break;
            }
            ok = walk_dir(w, sub, join(&cc->arena, path, name), depth + 1);
        }
    }
    int err = errno;
    closedir(d);
    errno = err;
    return ok;
}

static bool walk(struct walk *w, const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* the operand itself may be a link */
    if (fd < 0)
        return false;
    size_t before = w->out->len;
    bool ok = walk_dir(w, fd, dir, 0);
    if (w->stopped) /* past a limit: nothing of this directory is used */
        w->out->len = before;
    return ok;
}

bool discover_programs(struct obc *cc, const char *dir, struct vec *entries)
{
    struct walk w = {.cc = cc, .out = entries, .programs = true};
    return walk(&w, dir);
}

bool discover_files(struct obc *cc, const char *dir, const char *suffix, struct vec *paths)
{
    struct walk w = {.cc = cc, .suffix = suffix, .out = paths};
    size_t before = paths->len;
    bool ok = walk(&w, dir);
    if (paths->len - before > 1)
        qsort(paths->items + before, paths->len - before, sizeof paths->items[0], by_name);
    return ok;
}

bool path_is_directory(const char *path)
{
    struct stat st;
    return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
