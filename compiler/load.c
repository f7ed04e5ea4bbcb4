/*
 * load.c - reads the files named on the command line and everything they
 * import, parsing each exactly once.
 *
 * Import resolution:
 *   "std/NAME"      the embedded standard library (stdlib/NAME.ob), or
 *                   obc_options.stdlib_dir when set (for development);
 *                   NAME is a plain name ([A-Za-z0-9_-], optional ".ob").
 *   "path/x.ob"     relative to the importing file's directory; ".ob" is
 *                   added when the path has no extension, and any other
 *                   extension is refused.
 *
 * Confinement (OB1022): every imported file must lie inside the root of
 * the program: obc_options.root_dir, or else the directory of the input
 * file the import chain started from. An import is refused, before
 * anything is opened, when it is absolute, when it leaves the root
 * lexically ("../x.ob"), when its real path (symbolic links resolved)
 * leaves the root, or when it lies in /proc, /sys or /dev. The file is
 * then opened by its real path without following a final symbolic link
 * and without blocking, checked on the descriptor (a regular file, not a
 * kernel pseudo-file, and, where /proc/self/fd tells, still inside the
 * root), and only then read. Nothing of a refused file is ever read, so
 * no diagnostic can show its lines.
 *
 * Files are identified by their real path and by device and inode, both
 * checked before a byte is read, so a file imported many times (by any
 * spelling, symbolic or hard link) is read once; an import spelled the
 * same way twice in one file is resolved once. All files of a program
 * together are at most LIMIT_PROGRAM_BYTES (OB1030). A cycle is reported
 * as OB1021 with the whole chain; a missing file as OB1020.
 */
#include "front.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { UNSEEN, VISITING, DONE };

struct loader {
    struct obc *cc;
    unsigned char *state;    /* by file id */
    struct vec stack;        /* struct frame*: the import chain being visited */
    const char **rdir;       /* by file id: real path of its directory (NULL: none) */
    const char **root;       /* by file id: real path of the root its imports stay in */
    const char **root_shown; /* by file id: that root as the user named it */
    struct strmap by_key;    /* src_file key (real path, "std:x.ob") -> file */
    struct strmap by_inode;  /* "dev:ino" -> file */
    struct strmap by_spec;   /* "id:spec" -> the file that import resolved to */
    const char *std_root;    /* real path of opts.stdlib_dir, once known */
    size_t bytes;            /* bytes read from files and stdin so far */
};

struct frame {
    struct src_file *file;
    struct loc import_loc; /* where the parent imports this file */
};

static void loader_init(struct loader *L, struct obc *cc)
{
    memset(L, 0, sizeof *L);
    L->cc = cc;
    size_t n = LIMIT_FILES + 2;
    L->state = arena_alloc(&cc->arena, n);
    L->rdir = arena_alloc(&cc->arena, n * sizeof *L->rdir);
    L->root = arena_alloc(&cc->arena, n * sizeof *L->root);
    L->root_shown = arena_alloc(&cc->arena, n * sizeof *L->root_shown);
    for (size_t i = 0; i < cc->files.len; i++) { /* files loaded earlier are done */
        struct src_file *f = VEC_GET(struct src_file, cc->files, i);
        L->state[f->id] = DONE;
        strmap_put_new(&cc->arena, &L->by_key, f->key, f);
    }
}

static const char *dir_of(struct arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return "";
    if (slash == path)
        return "/";
    return arena_strndup(a, path, (size_t)(slash - path));
}

/* realpath() in the arena; NULL (errno set) when it fails. */
static const char *real_path(struct arena *a, const char *path)
{
    char *rp = realpath(path, NULL);
    if (!rp)
        return NULL;
    const char *k = arena_strdup(a, rp);
    free(rp);
    return k;
}

static const char *real_key(struct arena *a, const char *path)
{
    const char *k = real_path(a, path);
    return k ? k : arena_strdup(a, path);
}

/* Whether `path` (absolute, normalized) is `dir` or lies under it. */
static bool is_within(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return path[0] == '/';
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Kernel and device trees: never program text, whatever the root. */
static bool is_special(const char *path)
{
    return is_within("/proc", path) || is_within("/sys", path) || is_within("/dev", path);
}

/* `rel` appended to the absolute directory `base`, with "." and ".."
 * resolved as text (".." at "/" stays at "/"). */
static const char *lexical_join(struct arena *a, const char *base, const char *rel)
{
    size_t bl = strlen(base), rl = strlen(rel);
    char *out = arena_alloc(a, bl + rl + 2);
    memcpy(out, base, bl + 1);
    size_t n = bl;
    while (n > 1 && out[n - 1] == '/')
        out[--n] = '\0';
    const char *p = rel;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0 || (len == 1 && p[0] == '.')) {
            /* nothing */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            while (n > 1 && out[n - 1] != '/')
                n--;
            if (n > 1)
                n--;
            out[n] = '\0';
        } else {
            if (n > 1 || out[0] != '/')
                out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
            out[n] = '\0';
        }
        p += len;
        if (*p == '/')
            p++;
    }
    return out;
}

static bool has_extension(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strchr(base, '.') != NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A standard library module name: letters, digits, '_' and '-', then
 * optionally ".ob"; nothing that could name another directory. */
static bool is_std_name(const char *name)
{
    size_t n = strlen(name);
    if (ends_with(name, ".ob"))
        n -= 3;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* Where the descriptor really points, when the system says (Linux
 * /proc/self/fd); NULL when it cannot tell. */
static const char *fd_path(struct arena *a, int fd)
{
    char link[64], buf[PATH_MAX + 1];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, buf, PATH_MAX);
    if (n <= 0 || buf[0] != '/')
        return NULL;
    return arena_strndup(a, buf, (size_t)n);
}

/* After realpath(full) failed: whether a symbolic link on the way is
 * why, either because the deepest directory that resolves lies outside
 * `root` or because the first component that does not resolve is a
 * link. Such an import is refused like a link that leads outside, so
 * that whether a file outside the root exists is never told. */
static bool broken_link_on_the_way(struct arena *a, const char *full, const char *root)
{
    char *p = arena_strdup(a, full);
    for (;;) {
        char *slash = strrchr(p, '/');
        if (!slash)
            return false;
        const char *child = arena_strdup(a, p);
        if (slash == p) {
            if (p[1] == '\0')
                return false;
            p[1] = '\0';
        } else {
            *slash = '\0';
        }
        const char *rp = real_path(a, p);
        if (rp) {
            struct stat st;
            if (!is_within(root, rp) || is_special(rp))
                return true;
            return lstat(child, &st) == 0 && S_ISLNK(st.st_mode);
        }
    }
}

static const char *inode_key(struct arena *a, const struct src_stat *st)
{
    return arena_printf(a, "%llu:%llu", (unsigned long long)st->dev, (unsigned long long)st->ino);
}

/* Opens a file by its real path (no final symbolic link, no blocking),
 * checks the descriptor is still inside `root`, and reads it within the
 * per-file and per-program limits; or finds it already read under
 * another name (*found). Returns 0 or an errno value: EXDEV when the
 * descriptor turned out to be outside the root, EDQUOT when the
 * program's total would pass LIMIT_PROGRAM_BYTES. */
static int open_and_read(struct loader *L, const char *real, const char *root, struct src_file **found,
                         char **text, size_t *len, const char **ikey)
{
    struct arena *a = &L->cc->arena;
    int fd;
    struct src_stat st;
    *found = NULL;
    int err = src_open(real, SRC_REGULAR | SRC_NOFOLLOW, &fd, &st);
    if (err)
        return err;
    const char *at = fd_path(a, fd);
    if (at && (!is_within(root, at) || is_special(at))) {
        close(fd);
        return EXDEV;
    }
    *ikey = inode_key(a, &st);
    if ((*found = strmap_get(&L->by_inode, *ikey)) != NULL) {
        close(fd);
        return 0;
    }
    size_t left = LIMIT_PROGRAM_BYTES - L->bytes;
    if (st.size <= LIMIT_FILE_BYTES && st.size > left) {
        close(fd);
        return EDQUOT;
    }
    size_t max = left < LIMIT_FILE_BYTES ? left : LIMIT_FILE_BYTES;
    err = src_read_fd(a, fd, (size_t)st.size, max, text, len);
    close(fd);
    if (err == EFBIG && max < LIMIT_FILE_BYTES)
        err = EDQUOT;
    if (!err)
        L->bytes += *len;
    return err;
}

static struct src_file *add_file(struct loader *L, const char *shown, const char *key, const char *ikey,
                                 const char *text, size_t len, const char *rdir, const char *root,
                                 const char *root_shown)
{
    struct obc *cc = L->cc;
    struct src_file *f = src_add(cc, shown, dir_of(&cc->arena, shown), key, text, len);
    L->rdir[f->id] = rdir;
    L->root[f->id] = root;
    L->root_shown[f->id] = root_shown;
    strmap_put_new(&cc->arena, &L->by_key, f->key, f);
    if (ikey)
        strmap_put_new(&cc->arena, &L->by_inode, ikey, f);
    return f;
}

/* Finds an embedded or on-disk std module; NULL if there is none. */
static struct src_file *open_std(struct loader *L, const char *name)
{
    struct obc *cc = L->cc;
    const char *file = has_extension(name) ? name : arena_printf(&cc->arena, "%s.ob", name);
    const char *key = arena_printf(&cc->arena, "std:%s", file);
    struct src_file *f = strmap_get(&L->by_key, key);
    if (f)
        return f;
    const char *shown = arena_printf(&cc->arena, "std/%s", file);
    if (cc->opts.stdlib_dir) {
        if (!L->std_root && !(L->std_root = real_path(&cc->arena, cc->opts.stdlib_dir)))
            return NULL;
        const char *real = real_path(&cc->arena, arena_printf(&cc->arena, "%s/%s", L->std_root, file));
        if (!real || !is_within(L->std_root, real) || is_special(real))
            return NULL;
        char *text;
        size_t len;
        const char *ikey = NULL;
        if (open_and_read(L, real, L->std_root, &f, &text, &len, &ikey) != 0)
            return NULL;
        if (f)
            return f;
        f = add_file(L, shown, key, ikey, text, len, NULL, NULL, NULL);
    } else {
        for (size_t i = 0; i < stdlib_files_count; i++) {
            if (strcmp(stdlib_files[i].name, file) == 0) {
                f = add_file(L, shown, key, NULL, stdlib_files[i].text, stdlib_files[i].len, NULL, NULL, NULL);
                f->snapshot = i < stdlib_asts_count ? stdlib_asts[i] : NULL; /* parsed when obc was built */
                break;
            }
        }
        if (!f)
            return NULL;
    }
    f->is_stdlib = true;
    return f;
}

static void std_names(struct obc *cc, struct vec *out)
{
    for (size_t i = 0; i < stdlib_files_count; i++) {
        const char *n = stdlib_files[i].name;
        const char *dot = strrchr(n, '.');
        vec_push(&cc->arena, out, arena_printf(&cc->arena, "std/%.*s", (int)(dot ? dot - n : (long)strlen(n)), n));
    }
}

static struct src_file *resolve_std(struct loader *L, const struct ast_value *str, const char *name)
{
    struct obc *cc = L->cc;
    const char *spec = str->text;
    if (!is_std_name(name)) {
        struct diag *d = diag_emit(cc, OB1022, str->loc, "'%s' is not a standard library module name", spec);
        diag_help(cc, d, "standard library modules have plain names, without '/' or '..': import \"std/aws\"");
        return NULL;
    }
    struct src_file *f = open_std(L, name);
    if (f)
        return f;
    struct diag *d = diag_emit(cc, OB1020, str->loc, "no standard library module '%s'", spec);
    struct vec names = {0};
    std_names(cc, &names);
    const char *s = suggest_from_vec(spec, &names);
    if (s)
        diag_help(cc, d, "did you mean \"%s\"?", s);
    else
        diag_help(cc, d, "the standard library is imported with import \"std/aws\"");
    return NULL;
}

static void refuse(struct loader *L, struct src_file *from, const struct ast_value *str, const char *fmt,
                   const char *what)
{
    struct obc *cc = L->cc;
    const char *root = L->root_shown[from->id] ? L->root_shown[from->id] : ".";
    struct diag *d = diag_emit(cc, OB1022, str->loc, fmt, what, root);
    if (what[0] == '/')
        diag_help(cc, d, "write the path relative to the importing file; it must stay inside '%s'", root);
    else
        diag_help(cc, d, "import .ob files inside '%s', by a path relative to the importing file; "
                         "to share files from a wider directory, pass --root DIR", root);
}

/* Resolves one import; reports OB1020, OB1022 or OB1030 and returns NULL
 * when it cannot be read. */
static struct src_file *resolve(struct loader *L, struct src_file *from, const struct ast_value *str)
{
    struct obc *cc = L->cc;
    struct arena *a = &cc->arena;
    const char *spec = str->text;
    if (strlen(spec) != str->text_len) {
        struct diag *d = diag_emit(cc, OB1022, str->loc, "import path contains a NUL byte");
        diag_help(cc, d, "remove the \\0 escape from the path");
        return NULL;
    }
    if (strncmp(spec, "std/", 4) == 0)
        return resolve_std(L, str, spec + 4);
    if (from->is_stdlib)
        return resolve_std(L, str, spec);
    if (spec[0] == '/') {
        refuse(L, from, str, "import '%s' is an absolute path, outside the program's root '%s'", spec);
        return NULL;
    }
    if (spec[0] == '\0') {
        struct diag *d = diag_emit(cc, OB1020, str->loc, "empty import path");
        diag_help(cc, d, "name a .ob file, relative to the importing file");
        return NULL;
    }
    const char *rel = spec;
    if (!has_extension(spec))
        rel = arena_printf(a, "%s.ob", spec);
    else if (!ends_with(spec, ".ob")) {
        struct diag *d = diag_emit(cc, OB1022, str->loc, "import '%s' does not name a .ob file", spec);
        diag_help(cc, d, "imports name program files: \"x.ob\", or \"x\" for x.ob");
        return NULL;
    }
    const char *memo = arena_printf(a, "%u:%s", from->id, rel);
    struct src_file *f = strmap_get(&L->by_spec, memo);
    if (f)
        return f;
    const char *path = rel;
    if (from->dir[0])
        path = arena_printf(a, "%s%s%s", from->dir, from->dir[strlen(from->dir) - 1] == '/' ? "" : "/", rel);
    const char *rdir = L->rdir[from->id], *root = L->root[from->id];
    if (!rdir || !root) {
        struct diag *d = diag_emit(cc, OB1020, str->loc, "cannot import '%s': the directory of '%s' cannot be found",
                                   path, from->path);
        diag_help(cc, d, "name the importing file by a path that exists");
        return NULL;
    }
    const char *lex = lexical_join(a, rdir, rel);
    if (!is_within(root, lex) || is_special(lex)) {
        refuse(L, from, str, "import '%s' is outside the program's root '%s'", spec);
        return NULL;
    }
    const char *full = arena_printf(a, "%s%s%s", rdir, strcmp(rdir, "/") == 0 ? "" : "/", rel);
    const char *real = real_path(a, full);
    int err = real ? 0 : errno;
    if (real ? !is_within(root, real) || is_special(real) : broken_link_on_the_way(a, full, root)) {
        refuse(L, from, str, "import '%s' goes through a symbolic link that does not lead to a file "
                             "inside the program's root '%s'", spec);
        return NULL;
    }
    char *text = NULL;
    size_t len = 0;
    const char *ikey = NULL;
    if (real && (f = strmap_get(&L->by_key, real)) == NULL) {
        err = open_and_read(L, real, root, &f, &text, &len, &ikey);
        if (err == EXDEV) {
            refuse(L, from, str, "import '%s' leads outside the program's root '%s'", spec);
            return NULL;
        }
    }
    if (err) {
        struct diag *d;
        if (err == EFBIG) {
            d = diag_emit(cc, OB1030, str->loc, "imported file '%s' is larger than %u bytes", path, LIMIT_FILE_BYTES);
            diag_help(cc, d, "split it into smaller files");
        } else if (err == EDQUOT) {
            d = diag_emit(cc, OB1030, str->loc, "importing '%s' takes the program past %u bytes in all its files",
                          path, LIMIT_PROGRAM_BYTES);
            diag_help(cc, d, "split the program into several compilations");
        } else if (err == ENODEV || err == EISDIR) {
            d = diag_emit(cc, OB1020, str->loc, "cannot import '%s': not a regular file", path);
            diag_help(cc, d, "imports name .ob files");
        } else {
            d = diag_emit(cc, OB1020, str->loc, "cannot import '%s': %s", path, strerror(err));
            diag_help(cc, d, "import paths are relative to the importing file (%s)",
                      from->dir[0] ? from->dir : "the current directory");
        }
        return NULL;
    }
    if (!f) {
        f = add_file(L, path, real, ikey, text, len, dir_of(a, real), root, L->root_shown[from->id]);
    } else {
        strmap_put_new(a, &L->by_key, real, f); /* another name of a file read already */
    }
    strmap_put_new(a, &L->by_spec, memo, f);
    return f;
}

static void report_cycle(struct loader *L, struct src_file *target, struct loc loc)
{
    struct obc *cc = L->cc;
    struct strbuf chain = {0};
    size_t first = 0;
    for (size_t i = 0; i < L->stack.len; i++)
        if (VEC_GET(struct frame, L->stack, i)->file == target)
            first = i;
    for (size_t i = first; i < L->stack.len; i++)
        sb_printf(&cc->arena, &chain, "%s -> ", VEC_GET(struct frame, L->stack, i)->file->path);
    sb_puts(&cc->arena, &chain, target->path);
    struct diag *d = diag_emit(cc, OB1021, loc, "import cycle: %s", sb_str(&cc->arena, &chain));
    for (size_t i = first + 1; i < L->stack.len; i++) {
        struct frame *fr = VEC_GET(struct frame, L->stack, i);
        diag_note(cc, d, fr->import_loc, "'%s' is imported here", fr->file->path);
    }
    diag_help(cc, d, "remove one of these imports; names are global to the program, so a file needs only one path to be read");
}

static void visit(struct loader *L, struct src_file *f, struct loc import_loc)
{
    struct obc *cc = L->cc;
    struct frame *fr = arena_alloc(&cc->arena, sizeof *fr);
    fr->file = f;
    fr->import_loc = import_loc;
    vec_push(&cc->arena, &L->stack, fr);
    L->state[f->id] = VISITING;
    if (f->snapshot)
        ast_snapshot_read(cc, f, f->snapshot);
    else
        parse_file(cc, f);
    for (size_t i = 0; i < f->items.len; i++) {
        const struct ast_item *it = VEC_GET(struct ast_item, f->items, i);
        const char *w = ast_word_text(it, 0);
        if (it->form != ITEM_STRING || !w || strcmp(w, "import") != 0 || it->words.len != 1)
            continue;
        if (L->stack.len >= LIMIT_IMPORT_DEPTH) {
            struct diag *d = diag_emit(cc, OB1030, it->value->loc, "imports nested more than %d deep",
                                       LIMIT_IMPORT_DEPTH);
            diag_help(cc, d, "import the deeper files directly from a file higher up");
            continue;
        }
        if (cc->files.len >= LIMIT_FILES) {
            struct diag *d = diag_emit(cc, OB1030, it->value->loc, "more than %d files in one program", LIMIT_FILES);
            diag_help(cc, d, "split the program into several compilations");
            break;
        }
        struct src_file *g = resolve(L, f, it->value);
        if (!g)
            continue;
        struct src_import *imp = arena_alloc(&cc->arena, sizeof *imp);
        imp->from = f;
        imp->target = g;
        imp->loc = it->loc;
        vec_push(&cc->arena, &f->imports, imp);
        if (L->state[g->id] == VISITING)
            report_cycle(L, g, it->value->loc);
        else if (L->state[g->id] == UNSEEN)
            visit(L, g, it->value->loc);
    }
    L->state[f->id] = DONE;
    L->stack.len--;
}

/* The root of the program as --root names it: its real path, or NULL
 * after reporting why it cannot be used. */
static const char *option_root(struct obc *cc, FILE *err)
{
    const char *dir = cc->opts.root_dir;
    const char *real = real_path(&cc->arena, dir);
    struct stat st;
    if (!real || stat(real, &st) != 0) {
        report_error(err, "cannot use --root '%s': %s", dir, strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        report_error(err, "cannot use --root '%s': not a directory", dir);
        return NULL;
    }
    return real;
}

static void input_error(FILE *err, const char *shown, int e)
{
    if (e == EFBIG)
        report_error(err, "cannot read '%s': larger than the %u-byte limit", shown, LIMIT_FILE_BYTES);
    else if (e == EDQUOT)
        report_error(err, "cannot read '%s': the program's files are larger than %u bytes in all", shown,
                     LIMIT_PROGRAM_BYTES);
    else if (e == EISDIR)
        report_error(err, "cannot read '%s': it is a directory", shown);
    else if (e == ENODEV)
        report_error(err, "cannot read '%s': not a regular file (use '-' for standard input)", shown);
    else
        report_error(err, "cannot read '%s': %s", shown, strerror(e));
}

bool load_program(struct obc *cc, const char *const *paths, size_t npaths, FILE *err)
{
    struct loader L;
    loader_init(&L, cc);
    const char *given_root = NULL;
    if (cc->opts.root_dir && !(given_root = option_root(cc, err)))
        return false;
    bool ok = true;
    struct vec roots = {0};
    for (size_t i = 0; i < npaths; i++) {
        const char *path = paths[i];
        char *text = NULL;
        size_t len = 0;
        int e;
        const char *shown = path, *key, *ikey = NULL, *rdir, *root, *root_shown;
        struct src_file *same = NULL;
        if (strcmp(path, "-") == 0) {
            e = src_read_stream(&cc->arena, stdin, &text, &len);
            if (!e && len > LIMIT_PROGRAM_BYTES - L.bytes)
                e = EDQUOT;
            shown = "<stdin>";
            key = "<stdin>";
            rdir = real_path(&cc->arena, ".");
            root_shown = ".";
        } else {
            /* Named by the user: read as given, symbolic links followed,
             * but only a regular file, opened without blocking. */
            int fd;
            struct src_stat st;
            e = src_open(path, SRC_REGULAR, &fd, &st);
            key = real_key(&cc->arena, path);
            const char *d = dir_of(&cc->arena, path);
            rdir = real_path(&cc->arena, d[0] ? d : ".");
            root_shown = d[0] ? d : ".";
            if (!e) {
                ikey = inode_key(&cc->arena, &st);
                same = strmap_get(&L.by_inode, ikey);
                if (!same)
                    same = strmap_get(&L.by_key, key);
                size_t left = LIMIT_PROGRAM_BYTES - L.bytes;
                if (!same && st.size <= LIMIT_FILE_BYTES && st.size > left)
                    e = EDQUOT;
                else if (!same) {
                    size_t max = left < LIMIT_FILE_BYTES ? left : LIMIT_FILE_BYTES;
                    e = src_read_fd(&cc->arena, fd, (size_t)st.size, max, &text, &len);
                    if (e == EFBIG && max < LIMIT_FILE_BYTES)
                        e = EDQUOT;
                }
                close(fd);
            }
        }
        if (e) {
            input_error(err, shown, e);
            ok = false;
            continue;
        }
        if (same || strmap_get(&L.by_key, key))
            continue;
        if (cc->files.len >= LIMIT_FILES) {
            report_error(err, "more than %d input files", LIMIT_FILES);
            return false;
        }
        L.bytes += len;
        root = given_root ? given_root : rdir;
        if (given_root)
            root_shown = cc->opts.root_dir;
        struct src_file *f = add_file(&L, shown, key, ikey, text, len, rdir, root, root_shown);
        f->dir = strcmp(path, "-") == 0 ? "" : dir_of(&cc->arena, path);
        vec_push(&cc->arena, &roots, f);
    }
    if (!ok)
        return false;
    for (size_t i = 0; i < roots.len; i++) {
        struct src_file *f = VEC_GET(struct src_file, roots, i);
        if (L.state[f->id] == UNSEEN)
            visit(&L, f, LOC_NONE);
    }
    return true;
}

void load_text(struct obc *cc, const char *name, const char *text, size_t len)
{
    struct loader L;
    loader_init(&L, cc);
    if (len > LIMIT_FILE_BYTES) {
        struct diag *d = diag_emit(cc, OB1030, LOC_NONE, "'%s' is larger than %u bytes", name, LIMIT_FILE_BYTES);
        diag_help(cc, d, "split it into smaller files");
        return;
    }
    L.bytes = len;
    char *copy = arena_strndup(&cc->arena, text, len);
    const char *d = dir_of(&cc->arena, name);
    const char *rdir = real_path(&cc->arena, d[0] ? d : ".");
    const char *root = cc->opts.root_dir ? real_path(&cc->arena, cc->opts.root_dir) : rdir;
    const char *root_shown = cc->opts.root_dir ? cc->opts.root_dir : d[0] ? d : ".";
    struct src_file *f = src_add(cc, name, d, name, copy, len);
    L.rdir[f->id] = rdir;
    L.root[f->id] = root;
    L.root_shown[f->id] = root_shown;
    visit(&L, f, LOC_NONE);
}

/* Adds a policy document (not parsed: json_in.c reads it) and loads the
 * standard library beside it. */
static struct src_file *add_document(struct obc *cc, const char *shown, const char *dir, const char *key,
                                     const char *text, size_t len)
{
    struct loader L;
    loader_init(&L, cc);
    struct src_file *f = src_add(cc, shown, dir, key, text, len);
    L.state[f->id] = DONE;
    struct src_file *std = open_std(&L, "aws");
    if (std && L.state[std->id] == UNSEEN)
        visit(&L, std, LOC_NONE);
    return f;
}

/* PATH.obcignore beside a policy document: its suppressions (JSON has
 * no comments; docs/suppressions.md). None is fine; one that cannot be
 * read is an I/O error, reported: false. */
static bool load_ignore_sidecar(struct obc *cc, struct src_file *doc, const char *path, FILE *err)
{
    const char *name = arena_printf(&cc->arena, "%s.obcignore", path);
    int fd;
    struct src_stat st;
    char *text = NULL;
    size_t len = 0;
    int e = src_open(name, SRC_REGULAR, &fd, &st);
    if (e == ENOENT)
        return true;
    if (!e) {
        e = src_read_fd(&cc->arena, fd, (size_t)st.size, LIMIT_FILE_BYTES, &text, &len);
        close(fd);
    }
    if (e) {
        input_error(err, name, e);
        return false;
    }
    struct src_file *sidecar = src_add(cc, name, dir_of(&cc->arena, name), real_key(&cc->arena, name), text, len);
    suppress_read_sidecar(cc, doc, sidecar);
    return true;
}

bool load_standard_library(struct obc *cc)
{
    if (cc->files.len + stdlib_files_count + 1 > LIMIT_FILES)
        return false;
    struct loader L;
    loader_init(&L, cc);
    struct src_file *std = open_std(&L, "aws");
    if (std && L.state[std->id] == UNSEEN)
        visit(&L, std, LOC_NONE);
    return std != NULL;
}

struct src_file *load_document(struct obc *cc, const char *path, FILE *err)
{
    char *text = NULL;
    size_t len = 0;
    int e;
    bool in = strcmp(path, "-") == 0;
    if (in) {
        e = src_read_stream(&cc->arena, stdin, &text, &len);
        if (!e && len > LIMIT_FILE_BYTES)
            e = EFBIG;
    } else {
        /* as load_program reads a file named on the command line */
        int fd;
        struct src_stat st;
        e = src_open(path, SRC_REGULAR, &fd, &st);
        if (!e) {
            e = src_read_fd(&cc->arena, fd, (size_t)st.size, LIMIT_FILE_BYTES, &text, &len);
            close(fd);
        }
    }
    if (e) {
        input_error(err, in ? "<stdin>" : path, e);
        return NULL;
    }
    struct src_file *f = add_document(cc, in ? "<stdin>" : path, in ? "" : dir_of(&cc->arena, path),
                                      in ? "<stdin>" : real_key(&cc->arena, path), text, len);
    if (!in && !load_ignore_sidecar(cc, f, path, err))
        return NULL;
    return f;
}

struct src_file *load_document_text(struct obc *cc, const char *name, const char *text, size_t len)
{
    return add_document(cc, name, dir_of(&cc->arena, name), name, arena_strndup(&cc->arena, text, len), len);
}

bool path_is_document(const char *path)
{
    static const char *const ends[] = {".json", ".json.tpl", ".tpl"};
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t k = strlen(ends[i]);
        if (n > k && strcmp(path + n - k, ends[i]) == 0)
            return true;
    }
    return false;
}
