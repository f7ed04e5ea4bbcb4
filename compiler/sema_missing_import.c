/*
 * sema_missing_import.c - semantic analysis of a program (sema_run), with
 * the recovery from a forgotten import "std/aws".
 *
 * A program that uses default_backup_role, regions or resource types
 * without importing the standard library would get one "unknown name"
 * for each use, and then errors that are false because those names are
 * missing (a plan "has no regions" when its regions were all unknown).
 * So when a program that does not load the standard library meets names
 * it cannot resolve, it is analysed once more with the standard library
 * loaded. If some of those names are the standard library's, that second
 * analysis stands: one error says the import is missing and names what
 * it declares, and the errors left are those the program would have
 * with the import added. Otherwise the first analysis stands, exactly as
 * it was, and the standard library is unloaded again.
 *
 * Cost: a second analysis only for a program without the standard
 * library that has unknown names, which fails anyway.
 */
#include "sema.h"

#include <string.h>

static bool std_loaded(const struct obc *cc)
{
    for (size_t i = 0; i < cc->files.len; i++)
        if (VEC_GET(struct src_file, cc->files, i)->is_stdlib)
            return true;
    return false;
}

/* The declaration of `name` that the standard library makes, or NULL. */
static const struct ir_decl *std_declaration(const struct sema *s, const char *name)
{
    for (const struct ir_decl *d = sym_lookup(&s->syms, name); d; d = d->same_name)
        if (d->from_stdlib)
            return d;
    return NULL;
}

static bool before(struct loc a, struct loc b)
{
    return a.file != b.file ? a.file < b.file : a.start < b.start;
}

/* The one error of a forgotten import: at the first use (in file order)
 * of a name the standard library declares, naming a few others. */
static void report_missing_import(struct sema *first, struct sema *second)
{
    struct obc *cc = second->cc;
    struct arena *a = second->a;
    struct strmap seen = {0};
    struct vec names = {0};
    const struct sema_unknown *at = NULL;
    for (size_t i = 0; i < first->unknown.len; i++) {
        const struct sema_unknown *u = VEC_GET(const struct sema_unknown, first->unknown, i);
        if (!std_declaration(second, u->name))
            continue;
        if (!at || before(u->loc, at->loc))
            at = u;
        if (!strmap_get(&seen, u->name)) {
            strmap_put_new(a, &seen, u->name, (void *)u->name);
            vec_push(a, &names, (void *)u->name);
        }
    }
    const struct ir_decl *d = std_declaration(second, at->name);
    struct diag *e = diag_emit(cc, OB2001, at->loc, "'%s' is %s of the standard library, which this program "
                               "does not import", text_safe(a, at->name), decl_kind_article(d->kind));
    struct strbuf others = {0};
    size_t shown = 0;
    for (size_t i = 0; i < names.len && shown < 3; i++) {
        const char *n = names.items[i];
        if (strcmp(n, at->name) == 0)
            continue;
        sb_printf(a, &others, "%s'%s'", shown ? ", " : "", text_safe(a, n));
        shown++;
    }
    const char *root = src_get(cc, at->loc.file)->path;
    for (size_t i = 0; i < cc->files.len; i++) { /* the first file of the program */
        const struct src_file *f = VEC_GET(const struct src_file, cc->files, i);
        if (!f->is_stdlib) {
            root = f->path;
            break;
        }
    }
    size_t more = names.len - 1 - shown;
    if (shown == 0)
        diag_help(cc, e, "add import \"std/aws\" at the top of %s", text_safe(a, root));
    else if (more == 0)
        diag_help(cc, e, "add import \"std/aws\" at the top of %s; it also declares %s, used here",
                  text_safe(a, root), sb_str(a, &others));
    else
        diag_help(cc, e, "add import \"std/aws\" at the top of %s; it also declares %s and %zu more name%s "
                  "used here", text_safe(a, root), sb_str(a, &others), more, more == 1 ? "" : "s");
}

static bool any_from_std(const struct sema *first, const struct sema *second)
{
    for (size_t i = 0; i < first->unknown.len; i++)
        if (std_declaration(second, VEC_GET(const struct sema_unknown, first->unknown, i)->name))
            return true;
    return false;
}

struct ir_program *sema_run(struct obc *cc)
{
    if (std_loaded(cc))
        return sema_analyze(cc, false)->prog;
    struct diag_engine at_start = cc->diag;
    struct sema *first = sema_analyze(cc, false);
    if (first->unknown.len == 0)
        return first->prog;
    /* The first analysis's diagnostics, kept apart: the second one's
     * reuse the slots of the list past `at_start`. */
    struct diag_engine after_first = cc->diag;
    size_t mark = at_start.list.len;
    struct vec kept = {0};
    for (size_t i = mark; i < after_first.list.len; i++)
        vec_push(&cc->arena, &kept, after_first.list.items[i]);
    size_t nfiles = cc->files.len;
    if (load_standard_library(cc) && cc->diag.errors == after_first.errors) {
        cc->diag = at_start;
        struct sema *second = sema_analyze(cc, false);
        if (any_from_std(first, second)) {
            report_missing_import(first, second);
            return second->prog;
        }
    }
    /* None of the unknown names is the standard library's: the first
     * analysis stands as it was. */
    cc->files.len = nfiles;
    cc->diag = after_first;
    cc->diag.list.len = mark;
    for (size_t i = 0; i < kept.len; i++)
        vec_push(&cc->arena, &cc->diag.list, kept.items[i]);
    return first->prog;
}
