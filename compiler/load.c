/*
 * load.c - reads the files named on the command line and everything they
 * import, parsing each exactly once.
 *
 * Import resolution:
 *   "std/NAME"      the embedded standard library (stdlib/NAME.ob), or
 *                   obc_options.stdlib_dir when set (for development);
 *   "path/x.ob"     relative to the importing file's directory; ".ob" is
 *                   added when the path has no extension.
 * Files are identified by their real path, so a file imported twice (or
 * named on the command line and imported) is read once. A cycle is
 * reported as OB1021 with the whole chain; a missing file as OB1020.
 */
#include "front.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { UNSEEN, VISITING, DONE };

struct loader {
    struct obc *cc;
    unsigned char *state;  /* by file id */
    struct vec stack;      /* struct frame*: the import chain being visited */
};

struct frame {
    struct src_file *file;
    struct loc import_loc; /* where the parent imports this file */
};

static const char *dir_of(struct arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return "";
    if (slash == path)
        return "/";
    return arena_strndup(a, path, (size_t)(slash - path));
}

static struct src_file *find_by_key(struct obc *cc, const char *key)
{
    for (size_t i = 0; i < cc->files.len; i++) {
        struct src_file *f = VEC_GET(struct src_file, cc->files, i);
        if (strcmp(f->key, key) == 0)
            return f;
    }
    return NULL;
}

static const char *real_key(struct arena *a, const char *path)
{
    char *rp = realpath(path, NULL);
    if (!rp)
        return arena_strdup(a, path);
    const char *k = arena_strdup(a, rp);
    free(rp);
    return k;
}

static bool has_extension(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strchr(base, '.') != NULL;
}

/* Finds an embedded or on-disk std module; NULL if there is none. */
static struct src_file *open_std(struct loader *L, const char *name)
{
    struct obc *cc = L->cc;
    const char *file = has_extension(name) ? name : arena_printf(&cc->arena, "%s.ob", name);
    const char *key = arena_printf(&cc->arena, "std:%s", file);
    struct src_file *f = find_by_key(cc, key);
    if (f)
        return f;
    const char *shown = arena_printf(&cc->arena, "std/%s", file);
    if (cc->opts.stdlib_dir) {
        const char *path = arena_printf(&cc->arena, "%s/%s", cc->opts.stdlib_dir, file);
        char *text;
        size_t len;
        if (src_read_file(&cc->arena, path, true, &text, &len) != 0)
            return NULL;
        f = src_add(cc, shown, "std", key, text, len);
    } else {
        for (size_t i = 0; i < stdlib_files_count; i++) {
            if (strcmp(stdlib_files[i].name, file) == 0) {
                f = src_add(cc, shown, "std", key, stdlib_files[i].text, stdlib_files[i].len);
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

/* Resolves one import; reports OB1020 and returns NULL when not found. */
static struct src_file *resolve(struct loader *L, struct src_file *from, const struct ast_value *str)
{
    struct obc *cc = L->cc;
    const char *spec = str->text;
    struct src_file *f;
    if (strncmp(spec, "std/", 4) == 0 || (from->is_stdlib && spec[0] != '/')) {
        f = open_std(L, strncmp(spec, "std/", 4) == 0 ? spec + 4 : spec);
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
    const char *path = spec;
    if (spec[0] != '/' && from->dir[0])
        path = arena_printf(&cc->arena, "%s%s%s", from->dir, from->dir[strlen(from->dir) - 1] == '/' ? "" : "/", spec);
    char *text = NULL;
    size_t len = 0;
    int err = src_read_file(&cc->arena, path, true, &text, &len);
    if (err == ENOENT && !has_extension(path)) {
        const char *p2 = arena_printf(&cc->arena, "%s.ob", path);
        if (src_read_file(&cc->arena, p2, true, &text, &len) == 0) {
            path = p2;
            err = 0;
        }
    }
    const char *key = real_key(&cc->arena, path);
    if ((f = find_by_key(cc, key)) != NULL)
        return f;
    if (err) {
        struct diag *d;
        if (err == EFBIG) {
            d = diag_emit(cc, OB1030, str->loc, "imported file '%s' is larger than %u bytes", path, LIMIT_FILE_BYTES);
            diag_help(cc, d, "split it into smaller files");
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
    return src_add(cc, path, dir_of(&cc->arena, path), key, text, len);
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

bool load_program(struct obc *cc, const char *const *paths, size_t npaths, FILE *err)
{
    struct loader L = {0};
    L.cc = cc;
    L.state = arena_alloc(&cc->arena, LIMIT_FILES + 2);
    bool ok = true;
    struct vec roots = {0};
    for (size_t i = 0; i < npaths; i++) {
        const char *path = paths[i];
        char *text;
        size_t len;
        int e;
        const char *shown = path, *dir, *key;
        if (strcmp(path, "-") == 0) {
            e = src_read_stream(&cc->arena, stdin, &text, &len);
            shown = "<stdin>";
            dir = "";
            key = "<stdin>";
        } else {
            e = src_read_file(&cc->arena, path, false, &text, &len);
            dir = dir_of(&cc->arena, path);
            key = real_key(&cc->arena, path);
        }
        if (e) {
            if (e == EFBIG)
                report_error(err, "cannot read '%s': larger than the %u-byte limit", shown, LIMIT_FILE_BYTES);
            else if (e == EISDIR)
                report_error(err, "cannot read '%s': it is a directory", shown);
            else
                report_error(err, "cannot read '%s': %s", shown, strerror(e));
            ok = false;
            continue;
        }
        if (find_by_key(cc, key))
            continue;
        if (cc->files.len >= LIMIT_FILES) {
            report_error(err, "more than %d input files", LIMIT_FILES);
            return false;
        }
        vec_push(&cc->arena, &roots, src_add(cc, shown, dir, key, text, len));
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
    struct loader L = {0};
    L.cc = cc;
    L.state = arena_alloc(&cc->arena, LIMIT_FILES + 2);
    if (len > LIMIT_FILE_BYTES) {
        struct diag *d = diag_emit(cc, OB1030, LOC_NONE, "'%s' is larger than %u bytes", name, LIMIT_FILE_BYTES);
        diag_help(cc, d, "split it into smaller files");
        return;
    }
    char *copy = arena_strndup(&cc->arena, text, len);
    for (size_t i = 0; i < cc->files.len; i++) /* files loaded earlier are done */
        L.state[VEC_GET(struct src_file, cc->files, i)->id] = DONE;
    struct src_file *f = src_add(cc, name, dir_of(&cc->arena, name), name, copy, len);
    visit(&L, f, LOC_NONE);
}
