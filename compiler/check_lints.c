/*
 * check_lints.c - warnings about parts of a program that do nothing:
 * declarations of the user's that nothing uses (OB9001) and imports none
 * of whose names are used (OB9002).
 *
 * Owns: what "used" means for a declaration (ir_decl.used, set by name
 * resolution; policies are the program's roots, the organization's
 * management account counts as used, and so does a root or an OU that
 * is the parent of an OU or an account, stated or by default: ir_org.c) and for a file (a declaration in it
 * or in the files it imports is used, or it declares a policy or the
 * organization block). Does not look at the AST or change the IR.
 *
 * Both lints stay quiet after a name or type error (OB2xxx): a reference
 * that did not resolve makes the declaration it meant look unused.
 * A file that is itself unused is reported once, at its import; the
 * declarations and imports inside it are not reported again.
 */
#include "checks.h"

#include <stdlib.h>

/* ---- what is used ---------------------------------------------------- */

/* Whether a name or type error (OB2xxx) was reported, shown or past the
 * display limit: an unresolved, missing, misspelt or ill-typed reference
 * leaves the declaration it meant looking unused. */
static bool reference_failed(const struct obc *cc)
{
    return cc->diag.family_errors[2] > 0;
}

/* Every declaration of the program (struct ir_decl*), policies included. */
static void all_decls(const struct ir_program *prog, struct vec *out, struct arena *a)
{
    const struct vec *kinds[] = {&prog->partitions, &prog->regions, &prog->restypes, &prog->permissions,
                                 &prog->roles,      &prog->accounts, &prog->ous,     &prog->roots,
                                 &prog->keys,       &prog->vaults,  &prog->selections, &prog->plans,
                                 &prog->policies,   &prog->events,  &prog->notifies, &prog->restore_tests,
                                 &prog->audit_controls, &prog->audit_frameworks};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t i = 0; i < kinds[k]->len; i++)
            vec_push(a, out, kinds[k]->items[i]);
}

/* Policies, notifications, restore tests and audit frameworks are what a
 * program makes: nothing refers to them, and they are never unused. */
static bool is_root_kind(enum decl_kind k)
{
    return k == DK_POLICY || k == DK_NOTIFY || k == DK_RESTORE_TEST || k == DK_AUDIT_FRAMEWORK;
}

/* A declaration written in a file (not one made up for an account id or
 * an inline role or permission set). */
static bool named(const struct ir_decl *d)
{
    return d->name && d->name_loc.file && d->file;
}

/* Who refers to `d` among the references the standard library itself
 * makes: every std region names its partition, the std keys name their
 * permission set and the resource types they encrypt. Such a reference
 * sets `used` just like one of the user's, so for these the user's own
 * references are looked at. Asked only of standard-library declarations
 * (decl_used()), whose number is fixed, so the walks over the program's
 * regions and keys stay linear in the program. */
static void refs_to(const struct ir_program *prog, const struct ir_decl *d, bool *by_std, bool *by_user)
{
    for (size_t i = 0; i < prog->regions.len; i++) {
        const struct ir_region *r = VEC_GET(const struct ir_region, prog->regions, i);
        if (r->partition && &r->partition->d == d)
            *(r->d.from_stdlib ? by_std : by_user) = true;
    }
    for (size_t i = 0; i < prog->keys.len; i++) {
        const struct ir_key *k = VEC_GET(const struct ir_key, prog->keys, i);
        bool refers = k->grants && &k->grants->d == d;
        for (size_t j = 0; j < k->regions.len && !refers; j++)
            refers = k->regions.items[j] == d;
        for (size_t j = 0; j < k->encrypts.len && !refers; j++)
            refers = k->encrypts.items[j] == d;
        if (refers)
            *(k->d.from_stdlib ? by_std : by_user) = true;
    }
}

/* The roots and OUs that are the parent of an OU or an account (a
 * `parent` resolved by name is `used` already; this adds the only root,
 * which is the parent of those that state none). */
static void org_parents(const struct ir_program *prog, struct ptrset *out, struct arena *a)
{
    const struct vec *kinds[] = {&prog->ous, &prog->accounts};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < kinds[k]->len; i++) {
            const struct ir_decl *p = ir_org_parent(prog, kinds[k]->items[i]);
            if (p)
                ptrset_add(a, out, p);
        }
}

static bool decl_used(const struct ir_program *prog, const struct ptrset *parents, const struct ir_decl *d)
{
    if (prog->org.management && &prog->org.management->d == d)
        return true;
    if ((d->kind == DK_ROOT || d->kind == DK_OU) && ptrset_has(parents, d))
        return true;
    /* an account that says where it sits receives what is attached above */
    if (d->kind == DK_ACCOUNT && ((const struct ir_account *)d)->parent_at.state == IR_SET)
        return true;
    if (!d->used || !d->from_stdlib)
        return d->used;
    bool by_std = false, by_user = false;
    refs_to(prog, d, &by_std, &by_user);
    return by_user || !by_std;
}

/* ---- files ----------------------------------------------------------- */

enum file_state { FILE_UNKNOWN, FILE_VISITING, FILE_USED, FILE_UNUSED };

struct lint {
    struct obc *cc;
    const struct ir_program *prog;
    struct vec decls;          /* every declaration */
    enum file_state *state;    /* by file id */
    bool *imported;            /* by file id: some file imports it */
    struct vec *decls_of;      /* by file id: the declarations in it (one pass over `decls`) */
    struct ptrset parents;     /* the roots and OUs that are a parent (org_parents()) */
};

static bool file_declares_used(const struct lint *L, const struct src_file *f)
{
    if (L->prog->org.declared && L->prog->org.loc.file == f->id)
        return true;
    const struct vec *mine = &L->decls_of[f->id];
    for (size_t i = 0; i < mine->len; i++) {
        const struct ir_decl *d = VEC_GET(const struct ir_decl, *mine, i);
        if (is_root_kind(d->kind) || decl_used(L->prog, &L->parents, d))
            return true;
    }
    return false;
}

/* A file is used when it declares something used, a policy or the
 * organization, or imports (transitively) a file that is used. */
static bool file_used(struct lint *L, const struct src_file *f)
{
    enum file_state *st = &L->state[f->id];
    if (*st == FILE_USED || *st == FILE_UNUSED || *st == FILE_VISITING)
        return *st == FILE_USED;
    *st = FILE_VISITING;
    bool used = file_declares_used(L, f);
    for (size_t i = 0; i < f->imports.len && !used; i++)
        used = file_used(L, VEC_GET(const struct src_import, f->imports, i)->target);
    *st = used ? FILE_USED : FILE_UNUSED;
    return used;
}

/* An imported file of the user's that nothing uses: its import is
 * reported, nothing inside it is. */
static bool file_dead(struct lint *L, const struct src_file *f)
{
    return f && !f->is_stdlib && L->imported[f->id] && !file_used(L, f);
}

/* ---- OB9001 ---------------------------------------------------------- */

/* Where a declaration of each kind is used, for the help text (policies
 * are roots of the program and never unused). */
static const char *used_where(enum decl_kind k)
{
    static const char *const where[DK_COUNT] = {
        [DK_ACCOUNT] = "name it in a policy's attach, as an owner, in accept_copies_from or grant_to",
        [DK_OU] = "name it in a policy's attach, or as the parent of an OU or an account",
        [DK_ROOT] = "name it in a policy's attach, or as the parent of an OU or an account",
        [DK_PARTITION] = "name it as a region's partition",
        [DK_REGION] = "name it in a plan's, vault's, key's or the organization's regions",
        [DK_RESOURCE_TYPE] = "name it in a selection's match (type in [...])",
        [DK_PERMISSIONS] = "name it as a key's grants",
        [DK_ROLE] = "name it as a selection's role",
        [DK_KEY] = "name it as a vault's key",
        [DK_VAULT] = "name it as a rule's vault or a copy's target",
        [DK_SELECTION] = "name it in a plan's select",
        [DK_PLAN] = "name it in a policy's plans",
        [DK_EVENT] = "name it in a notification's on",
        [DK_AUDIT_CONTROL] = "name it in a control block of an audit framework",
    };
    return where[k];
}

static int by_position(const void *x, const void *y)
{
    const struct ir_decl *a = *(const struct ir_decl *const *)x, *b = *(const struct ir_decl *const *)y;
    if (a->name_loc.file != b->name_loc.file)
        return a->name_loc.file < b->name_loc.file ? -1 : 1;
    return a->name_loc.start < b->name_loc.start ? -1 : a->name_loc.start > b->name_loc.start;
}

static void check_unused_decls(struct lint *L)
{
    struct vec unused = {0};
    for (size_t i = 0; i < L->decls.len; i++) {
        struct ir_decl *d = VEC_GET(struct ir_decl, L->decls, i);
        if (is_root_kind(d->kind) || d->from_stdlib || !named(d) || decl_used(L->prog, &L->parents, d) || file_dead(L, d->file))
            continue;
        vec_push(&L->cc->arena, &unused, d);
    }
    if (unused.len > 1)
        qsort(unused.items, unused.len, sizeof *unused.items, by_position);
    for (size_t i = 0; i < unused.len; i++) {
        const struct ir_decl *d = VEC_GET(const struct ir_decl, unused, i);
        struct diag *diag = diag_emit(L->cc, OB9001, d->name_loc, "%s '%s' is declared but never used",
                                      decl_kind_name(d->kind), d->name);
        diag_help(L->cc, diag, "remove it, or use it: %s", used_where(d->kind));
    }
}

/* ---- OB9002 ---------------------------------------------------------- */

static void check_unused_imports(struct lint *L)
{
    const struct vec *imports = &L->prog->imports;
    for (size_t i = 0; i < imports->len; i++) {
        const struct src_import *imp = VEC_GET(const struct src_import, *imports, i);
        if (imp->from->is_stdlib || file_dead(L, imp->from) || file_used(L, imp->target))
            continue;
        struct diag *d = diag_emit(L->cc, OB9002, imp->loc, "nothing that '%s' declares is used", imp->target->path);
        diag_help(L->cc, d, "remove the import");
    }
}

void check_lints(struct obc *cc, struct ir_program *prog)
{
    if (reference_failed(cc))
        return;
    struct lint L = {cc, prog, {0}, NULL, NULL, NULL, {0}};
    org_parents(prog, &L.parents, &cc->arena);
    size_t nfiles = cc->files.len + 1; /* file ids are 1-based */
    L.state = arena_alloc(&cc->arena, nfiles * sizeof *L.state);
    L.imported = arena_alloc(&cc->arena, nfiles * sizeof *L.imported);
    for (size_t i = 0; i < prog->imports.len; i++)
        L.imported[VEC_GET(const struct src_import, prog->imports, i)->target->id] = true;
    all_decls(prog, &L.decls, &cc->arena);
    L.decls_of = arena_alloc(&cc->arena, nfiles * sizeof *L.decls_of);
    for (size_t i = 0; i < L.decls.len; i++) {
        struct ir_decl *d = VEC_GET(struct ir_decl, L.decls, i);
        if (d->file && d->file->id < nfiles)
            vec_push(&cc->arena, &L.decls_of[d->file->id], d);
    }
    check_unused_decls(&L);
    check_unused_imports(&L);
}
