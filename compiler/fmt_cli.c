/*
 * fmt_cli.c - `obc fmt [--check] [--diff] [FILE|DIR|-]...` (docs/fmt.md):
 * each file (a DIR: every .ob file below it) formatted in its own compilation, rewritten in one step
 * (out_write_file) only when its text changes, its permissions kept; --check lists the files
 * that would change, --diff prints what would change; "-" filters
 * standard input to standard output.
 *
 * Owns: fmt_run. The layout itself is fmt.c's.
 */
#include "driver.h"
#include "fmt.h"
#include "front.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FMT_CLEAN = 0, FMT_FOUND = 1, FMT_TROUBLE = 2 };

static int read_input(struct obc *cc, const char *path, char **text, size_t *len)
{
    if (strcmp(path, "-") == 0)
        return src_read_stream(&cc->arena, stdin, text, len);
    return src_read_file(&cc->arena, path, true, text, len);
}

static int write_failed(const char *what, int err)
{
    report_error(stderr, "cannot write '%s': %s", what, strerror(err));
    return FMT_TROUBLE;
}

/* Replaces the file `path` with text[0..len), keeping its permission
 * bits (out_write_file creates a new file). 0 or an errno value. */
static int rewrite(const char *path, const char *text, size_t len)
{
    struct stat before;
    bool keep = lstat(path, &before) == 0 && S_ISREG(before.st_mode);
    int e = out_write_file(path, text, len);
    if (e || !keep)
        return e;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat after;
    if (fstat(fd, &after) == 0 && (after.st_mode & 07777) != (before.st_mode & 07777) &&
        fchmod(fd, before.st_mode & 07777) != 0)
        e = errno;
    close(fd);
    return e;
}

/* One file, in cc. */
static int fmt_one(struct obc *cc, const char *path, enum fmt_mode mode, bool color, FILE *err)
{
    char *text = NULL;
    size_t len = 0;
    bool is_stdin = strcmp(path, "-") == 0;
    const char *shown = is_stdin ? "<stdin>" : path;
    if (path_is_document(path)) {
        report_error(err, "cannot format '%s': obc fmt formats .ob programs, and this is a policy document (JSON)",
                     shown);
        return FMT_TROUBLE;
    }
    int e = read_input(cc, path, &text, &len);
    if (e) {
        if (e == ENODEV)
            report_error(err, "cannot format '%s': not a regular file", shown);
        else if (e == EISDIR)
            report_error(err, "cannot format '%s': it is a directory; name the .ob files", shown);
        else
            report_error(err, "cannot read '%s': %s", shown, strerror(e));
        return FMT_TROUBLE;
    }
    struct src_file *f = src_add(cc, shown, "", shown, text, len);
    struct strbuf out;
    if (!fmt_source(cc, f, &out)) {
        diag_sort(cc);
        diag_render_text(cc, err, color);
        diag_render_summary(cc, err, color);
        return FMT_FOUND;
    }
    bool changed = out.len != len || memcmp(out.s, text, len) != 0;
    if (mode == FMT_CHECK) {
        if (changed) {
            text_put_safe(stdout, shown);
            fputc('\n', stdout);
        }
        return changed ? FMT_FOUND : FMT_CLEAN;
    }
    if (mode == FMT_DIFF) {
        struct strbuf diff = {0};
        const char *safe = text_safe(&cc->arena, shown);
        fmt_unified_diff(&cc->arena, text, len, out.s, out.len, arena_printf(&cc->arena, "a/%s", safe),
                         arena_printf(&cc->arena, "b/%s", safe), &diff);
        if (diff.len)
            fwrite(diff.s, 1, diff.len, stdout);
        return changed ? FMT_FOUND : FMT_CLEAN;
    }
    if (is_stdin) {
        if (fwrite(out.s, 1, out.len, stdout) != out.len)
            return write_failed("<stdout>", errno ? errno : EIO);
        return FMT_CLEAN;
    }
    if (!changed)
        return FMT_CLEAN;
    e = rewrite(path, out.s, out.len);
    if (e == ELOOP)
        report_error(err, "refusing to rewrite '%s': it, or a directory on the way to it, is a symbolic link", path);
    else if (e)
        return write_failed(path, e);
    return e ? FMT_TROUBLE : FMT_CLEAN;
}

typedef int fmt_job(struct obc *cc, const char *path, enum fmt_mode mode, bool color, FILE *err);

/* job(path) in a compilation of its own, with a recovery point for a failed allocation. */
static int in_own_compilation(fmt_job *job, const char *path, enum fmt_mode mode, bool color, FILE *err)
{
    struct obc cc;
    obc_init(&cc, NULL);
    jmp_buf oom;
    volatile int rc = FMT_TROUBLE;
    if (setjmp(oom)) {
        cc.arena.oom = NULL;
        fputs("obc: error: out of memory\n", err);
        rc = FMT_TROUBLE;
    } else {
        cc.arena.oom = &oom;
        rc = job(&cc, path, mode, color, err);
        cc.arena.oom = NULL;
    }
    obc_free(&cc);
    return rc;
}

/* Every .ob file below `dir` (discover_files: hidden and build
 * directories skipped, no symbolic link followed), each formatted in a
 * compilation of its own. */
static int fmt_directory(struct obc *cc, const char *dir, enum fmt_mode mode, bool color, FILE *err)
{
    struct vec files = {0};
    if (!discover_files(cc, dir, ".ob", &files)) {
        report_error(err, "cannot search '%s' for .ob files: %s", dir, strerror(errno));
        return FMT_TROUBLE;
    }
    if (cc->diag.list.len > 0) { /* a limit of the walk: nothing formatted */
        diag_sort(cc);
        diag_render_text(cc, err, color);
        return FMT_TROUBLE;
    }
    int worst = FMT_CLEAN;
    for (size_t i = 0; i < files.len; i++) {
        int rc = in_own_compilation(fmt_one, files.items[i], mode, color, err);
        if (rc > worst)
            worst = rc;
    }
    return worst;
}

int fmt_run(const char *const *paths, size_t n, enum fmt_mode mode, bool color, FILE *err)
{
    int worst = FMT_CLEAN;
    for (size_t i = 0; i < n; i++) {
        int rc = in_own_compilation(path_is_directory(paths[i]) ? fmt_directory : fmt_one, paths[i], mode, color,
                                    err);
        if (rc > worst)
            worst = rc;
    }
    return worst;
}
