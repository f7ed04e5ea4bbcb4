/*
 * sema.c - semantic analysis driver: collects every top-level declaration
 * of every file into the global namespace (reporting duplicates), then
 * lowers each one into the policy IR in dependency order (partitions,
 * regions, ... plans, policies).
 *
 * Owns: the declaration forms (which head words exist at top level and
 * how they are written: `= value`, a block, or both, as schema.def says), the namespace, and the IR objects' creation.
 * Does not: check attributes (sema_block.c), read values
 * (sema_values.c), or run the cross-object checks (checks.c).
 */
#include "sema.h"

#include <string.h>

static void report_unknown_declaration(struct sema *s, const struct ast_item *it)
{
    const char *w = ast_word_text(it, 0);
    if (it->form == ITEM_ASSIGN && it->words.len == 1) {
        struct diag *d = diag_emit(s->cc, OB2005, ast_word_loc(it, 0), "attribute '%s' outside a block", w);
        diag_help(s->cc, d, "attributes go inside a declaration such as vault NAME { %s = ... }", w);
        return;
    }
    size_t nwords;
    const char *const *words = schema_top_words(&nwords);
    const char *guess = suggest_name(w, words, nwords);
    const struct block_spec *nested = schema_block_by_word(w, false);
    struct diag *d = diag_emit(s->cc, OB2005, ast_word_loc(it, 0), "unknown declaration '%s'%s%s%s", w,
                               guess ? " (did you mean '" : "", guess ? guess : "", guess ? "'?)" : "");
    if (nested)
        diag_help(s->cc, d, "a '%s' block belongs inside a %s", w, schema_block(nested->parent)->word);
    else
        diag_help(s->cc, d, "declarations are %s", schema_top_words_text(s->a));
}

/* Checks that an item is written the way its declaration kind needs:
 * `form`, or also a block when `both` (a DECL that takes both forms). */
static bool check_form(struct sema *s, const struct ast_item *it, enum item_form form, bool both, size_t nwords,
                       const char *example, const char *block_example)
{
    if ((it->form == form || (both && it->form == ITEM_BLOCK)) && it->words.len == nwords)
        return true;
    const char *w = ast_word_text(it, 0);
    struct loc at = it->words.len > nwords ? ast_word_loc(it, nwords) : ast_word_loc(it, it->words.len - 1);
    struct diag *d;
    if (it->words.len < nwords)
        d = diag_emit(s->cc, OB1010, at, "expected a name after '%s'", w);
    else if (it->words.len > nwords)
        d = diag_emit(s->cc, OB1010, at, "unexpected '%s' in the head of this %s", ast_word_text(it, nwords), w);
    else if (both)
        d = diag_emit(s->cc, OB1010, it->loc, "'%s' takes '= value' or a block { ... }", w);
    else if (form == ITEM_BLOCK)
        d = diag_emit(s->cc, OB1010, it->loc, "'%s' takes a block { ... }", w);
    else if (form == ITEM_STRING)
        d = diag_emit(s->cc, OB1010, it->loc, "'%s' takes a string", w);
    else
        d = diag_emit(s->cc, OB1010, it->loc, "'%s' takes '= value'", w);
    if (both)
        diag_help(s->cc, d, "write: %s, or %s", example, block_example);
    else
        diag_help(s->cc, d, "write: %s", example);
    return false;
}

static void declare(struct sema *s, struct src_file *f, const struct ast_item *it, const struct decl_spec *form)
{
    const char *name = ast_word_text(it, 1);
    struct loc name_loc = ast_word_loc(it, 1);
    if (strcmp(name, "members") == 0 || strcmp(name, "organization") == 0) {
        struct diag *d = diag_emit(s->cc, OB2002, name_loc, "'%s' is a built-in name", name);
        diag_help(s->cc, d, "choose another name; '%s' always means %s", name,
                  name[0] == 'm' ? "every account that receives the policy" : "every account in the organization");
        return;
    }
    struct ir_decl *first = sym_lookup(&s->syms, name), *last = NULL;
    for (struct ir_decl *prev = first; prev; prev = prev->same_name) {
        last = prev;
        if (prev->kind != form->kind)
            continue;
        struct diag *d = diag_emit(s->cc, OB2002, name_loc, "%s '%s' is declared twice", decl_kind_name(form->kind), name);
        diag_note(s->cc, d, prev->name_loc, "first declared here");
        diag_help(s->cc, d, "rename one of them; names are global to the whole program");
        return;
    }
    struct ir_decl *d = arena_alloc(s->a, form->size);
    d->kind = form->kind;
    d->name = name;
    d->loc = it->loc;
    d->name_loc = name_loc;
    d->file = f;
    d->from_stdlib = f->is_stdlib;
    if (last)
        last->same_name = d;
    else
        sym_insert(s->a, &s->syms, d);
    vec_push(s->a, &s->all_decls, d);
    vec_push(s->a, &s->decl_items, (void *)it);
}

/* Only programs without syntax errors get here (obc_analyze), so every
 * item has its head words. */
static void collect_item(struct sema *s, struct src_file *f, const struct ast_item *it)
{
    const char *w = ast_word_text(it, 0);
    if (strcmp(w, "import") == 0) {
        check_form(s, it, ITEM_STRING, false, 1, "import \"std/aws\"", NULL);
        return; /* resolved by load.c */
    }
    if (strcmp(w, "organization") == 0) {
        if (!check_form(s, it, ITEM_BLOCK, false, 1, schema_block(BK_ORGANIZATION)->example, NULL))
            return;
        if (s->org_item) {
            struct diag *d = diag_emit(s->cc, OB2002, ast_word_loc(it, 0), "organization is declared twice");
            diag_note(s->cc, d, ast_word_loc(s->org_item, 0), "first declared here");
            diag_help(s->cc, d, "merge the two blocks; a program describes one organization");
            return;
        }
        s->org_item = it;
        return;
    }
    const struct decl_spec *form = schema_decl_by_word(w);
    if (!form) {
        report_unknown_declaration(s, it);
        return;
    }
    bool both = form->form == ITEM_ASSIGN && form->block != BK_NONE;
    if (!check_form(s, it, form->form, both, 2, form->example, both ? schema_block(form->block)->example : NULL))
        return;
    if (it->form == ITEM_ASSIGN && it->op != ITEM_OP_ASSIGN) {
        struct diag *d = diag_emit(s->cc, OB8101, it->op_loc, "'%s' cannot declare %s '%s': += and -= change "
                                   "inherited lists of a policy", item_op_text(it->op), w, ast_word_text(it, 1));
        diag_help(s->cc, d, "write: %s", form->example);
    }
    declare(s, f, it, form);
}

/* Lowers every declaration of kind `k`, in declaration order, into the
 * program's vector `vec` with `lower`, which takes the IR struct `type`. */
#define LOWER_ALL(s, k, vec, lower, type)                                                  \
    for (size_t i_ = 0; i_ < (s)->all_decls.len; i_++) {                                   \
        struct ir_decl *d_ = VEC_GET(struct ir_decl, (s)->all_decls, i_);                  \
        if (d_->kind != (k))                                                               \
            continue;                                                                      \
        vec_push((s)->a, &(s)->prog->vec, d_);                                             \
        lower((s), VEC_GET(const struct ast_item, (s)->decl_items, i_), (type *)d_);       \
    }

/* A std declaration the checks or the manifest use, found by its
 * well-known name and kind; NULL when the std is not imported. */
static struct ir_decl *std_decl(struct sema *s, const char *name, enum decl_kind kind)
{
    for (struct ir_decl *d = sym_lookup(&s->syms, name); d; d = d->same_name)
        if (d->kind == kind && d->from_stdlib)
            return d;
    return NULL;
}

/* Whether item `it` of a program declares vocabulary: a partition, a
 * region or a resource type. */
static bool is_vocabulary(const struct ast_item *it)
{
    const struct decl_spec *form = schema_decl_by_word(ast_word_text(it, 0));
    return form && (form->kind == DK_PARTITION || form->kind == DK_REGION || form->kind == DK_RESOURCE_TYPE);
}

struct sema *sema_analyze(struct obc *cc, bool vocabulary_only)
{
    struct sema *s = arena_alloc(&cc->arena, sizeof *s);
    s->cc = cc;
    s->a = &cc->arena;
    s->prog = arena_alloc(s->a, sizeof *s->prog);
    s->builtin_members = (struct ir_decl){.kind = DK_BUILTIN, .name = "members", .used = true, .from_stdlib = true};
    s->builtin_organization = (struct ir_decl){.kind = DK_BUILTIN, .name = "organization", .used = true, .from_stdlib = true};

    /* The standard library first: when a program redeclares a std name,
     * the program's declaration is the duplicate that gets reported. */
    for (int std = 1; std >= 0; std--) {
        for (size_t i = 0; i < cc->files.len; i++) {
            struct src_file *f = VEC_GET(struct src_file, cc->files, i);
            if (f->is_stdlib != (std == 1))
                continue;
            for (size_t j = 0; j < f->items.len; j++) {
                const struct ast_item *it = VEC_GET(const struct ast_item, f->items, j);
                if (!vocabulary_only || f->is_stdlib || is_vocabulary(it))
                    collect_item(s, f, it);
            }
            for (size_t j = 0; j < f->imports.len; j++)
                vec_push(s->a, &s->prog->imports, f->imports.items[j]);
        }
    }

    /* In dependency order: what a declaration refers to is lowered first. */
    LOWER_ALL(s, DK_PARTITION, partitions, lower_partition, struct ir_partition);
    LOWER_ALL(s, DK_REGION, regions, lower_region, struct ir_region);
    LOWER_ALL(s, DK_RESOURCE_TYPE, restypes, lower_restype, struct ir_restype);
    LOWER_ALL(s, DK_PERMISSIONS, permissions, lower_permissions, struct ir_permissions);
    LOWER_ALL(s, DK_ROLE, roles, lower_role, struct ir_role);
    LOWER_ALL(s, DK_ACCOUNT, accounts, lower_account, struct ir_account);
    LOWER_ALL(s, DK_OU, ous, lower_ou, struct ir_ou);
    LOWER_ALL(s, DK_ROOT, roots, lower_root, struct ir_root);
    if (s->org_item)
        lower_organization(s, s->org_item);
    s->prog->need_vault_writer = (struct ir_permissions *)std_decl(s, "backup_vault_writer", DK_PERMISSIONS);
    s->prog->need_copy_source = (struct ir_permissions *)std_decl(s, "cross_account_copy_source", DK_PERMISSIONS);
    s->prog->service_linked_role = (struct ir_role *)std_decl(s, "backup_service_linked_role", DK_ROLE);
    s->prog->scanner_role = (struct ir_role *)std_decl(s, "guardduty_scanner_role", DK_ROLE);
    s->prog->need_role_key = (struct ir_permissions *)std_decl(s, "backup_role_key", DK_PERMISSIONS);
    s->prog->need_vault_creator = (struct ir_permissions *)std_decl(s, "backup_vault_creator", DK_PERMISSIONS);
    s->prog->key_minimum = (struct ir_permissions *)std_decl(s, "backup_key_minimum", DK_PERMISSIONS);
    s->prog->default_backup_role = (struct ir_role *)std_decl(s, "default_backup_role", DK_ROLE);
    LOWER_ALL(s, DK_KEY, keys, lower_key, struct ir_key);
    LOWER_ALL(s, DK_VAULT, vaults, lower_vault, struct ir_vault);
    LOWER_ALL(s, DK_SELECTION, selections, lower_selection, struct ir_selection);
    LOWER_ALL(s, DK_PLAN, plans, lower_plan, struct ir_plan);
    LOWER_ALL(s, DK_POLICY, policies, lower_policy, struct ir_policy);
    LOWER_ALL(s, DK_EVENT, events, lower_event, struct ir_event);
    LOWER_ALL(s, DK_NOTIFY, notifies, lower_notify, struct ir_notify);
    LOWER_ALL(s, DK_RESTORE_TEST, restore_tests, lower_restore_test, struct ir_restore_test);
    LOWER_ALL(s, DK_AUDIT_CONTROL, audit_controls, lower_audit_control, struct ir_audit_control);
    LOWER_ALL(s, DK_AUDIT_FRAMEWORK, audit_frameworks, lower_audit_framework, struct ir_audit_framework);
    return s;
}

struct ir_program *sema_run_vocabulary(struct obc *cc)
{
    return sema_analyze(cc, true)->prog;
}
