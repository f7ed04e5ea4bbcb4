/*
 * effective.c - the effective policy of each account (docs/inheritance.md):
 * which policies reach an account, level by level, and the checks of the
 * merged result.
 *
 * Owns: the chain of levels of an account (the organization tree of
 * ir_org.c and each policy's `attach`, in program order: the order obc
 * documents as the attachment order), or of the documents given to
 * `obc effective FILE...`; grouping accounts that receive the same
 * policies, so each distinct effective policy is merged and checked once;
 * the checks of an effective policy (json_lower.c on its located form,
 * then every check), reported at the policy that causes a problem and
 * naming the accounts it reaches (diag_fold_*).
 * Does not: merge (inherit.c) or print (main.c).
 */
#include "driver.h"
#include "checks.h"
#include "emit.h"
#include "inherit.h"
#include "sema.h"

#include <cjson/cJSON.h>
#include <string.h>

/* What the effective policies of one run are lowered beside: the standard
 * library and the program's own vocabulary, lowered once, with the index
 * the lowering keeps of it. */
struct eff_vocabulary {
    struct ir_program *prog;
    struct json_lowering *lowering;
};

/* Lowers an effective policy alone, beside the vocabulary, and runs every
 * check on it: a missing required key is OB8104. `name` names it;
 * messages keep the words of the input (a program's, or documents'). */
static void vocabulary_ready(struct obc *cc, struct eff_vocabulary *v)
{
    if (!v->prog) {
        v->prog = sema_run_vocabulary(cc);
        v->lowering = json_lowering_begin(cc, v->prog, false);
    }
}

static void check_effective(struct obc *cc, struct eff_vocabulary *v, const struct eff_node *eff, const char *name)
{
    vocabulary_ready(cc, v);
    /* the vocabulary shared; the policy and what it names, its own */
    struct ir_program *prog = arena_alloc(&cc->arena, sizeof *prog);
    *prog = *v->prog;
    prog->accounts = prog->keys = prog->vaults = prog->selections = prog->plans = prog->policies = (struct vec){0};
    prog->key_uses_memo = NULL; /* its own policies: its own key uses */
    struct json_lowering *L = json_lowering_again(v->lowering, prog);
    json_lowering_missing(L, JSON_MISSING_EFFECTIVE);
    struct src_file named = {.path = name};
    json_lower(L, &named, eff_located(cc, eff));
    checks_run_effective(cc, prog);
}

/* What a check of an effective policy can leave behind that outlives it:
 * diagnostics, files, line maps, the calendars of check_overlap.c. */
struct eff_trace {
    struct arena_mark mark;
    struct vec list;  /* diag.list at the mark */
    size_t held, files;
    size_t line_maps; /* files whose line map is made */
    struct rule_cal *calendars;
};

static size_t line_maps(const struct obc *cc)
{
    size_t n = 0;
    for (size_t i = 0; i < cc->files.len; i++)
        n += ((const struct src_file *)cc->files.items[i])->line_starts != NULL;
    return n;
}

static struct eff_trace trace_begin(struct obc *cc)
{
    return (struct eff_trace){arena_mark(&cc->arena), cc->diag.list, cc->diag.held.len, cc->files.len,
                              line_maps(cc), cc->overlap_calendars};
}

/* A check leaves nothing anyone reads but its diagnostics: those are
 * kept and everything else it allocated goes back, so memory does not
 * grow with the number of distinct effective policies. Any other trace
 * (a file, a line map, a warning held for a suppression) keeps it all. */
static void trace_end(struct obc *cc, const struct eff_trace *t)
{
    if (cc->diag.held.len != t->held || cc->files.len != t->files || line_maps(cc) != t->line_maps)
        return;
    struct rule_cal *calendars = cc->overlap_calendars;
    cc->overlap_calendars = t->calendars; /* made by this check: released with it */
    if (!diag_release_keeping(cc, t->mark, t->list))
        cc->overlap_calendars = calendars;
}

/* ---- policy documents: obc effective ROOT.json ... ACCOUNT.json -------- */

struct eff_node *obc_effective_documents(struct obc *cc, struct src_file *const *files, const size_t *level_of,
                                         size_t n)
{
    if (cc->diag.errors || n == 0)
        return NULL;
    cc->opts.emit = EMIT_POLICY;
    cc->diag.document_terms = true;
    struct src_file **texts = arena_alloc(&cc->arena, n * sizeof *texts);
    struct json_value **docs = arena_alloc(&cc->arena, n * sizeof *docs);
    for (size_t i = 0; i < n; i++) {
        texts[i] = template_render(cc, files[i]);
        docs[i] = texts[i] ? json_read(cc, texts[i]) : NULL;
    }
    if (cc->diag.errors)
        return NULL;
    /* each document's own structure, as `obc check` reads it; being
     * partial is what a policy of a chain may be */
    struct ir_program *prog = sema_run(cc);
    cc->prog = prog;
    struct json_lowering *L = json_lowering_begin(cc, prog, false);
    json_lowering_missing(L, JSON_MISSING_IGNORED);
    for (size_t i = 0; i < n; i++) {
        json_lower(L, texts[i], docs[i]);
        emit_check_document_size(cc, texts[i], json_minified_chars(texts[i]->text, texts[i]->len));
    }
    if (cc->diag.errors)
        return NULL;
    size_t nlevels = level_of[n - 1] + 1;
    struct inherit_level *levels = arena_alloc(&cc->arena, nlevels * sizeof *levels);
    struct inherit_policy *pols = arena_alloc(&cc->arena, n * sizeof *pols);
    for (size_t i = 0; i < n; i++) {
        struct src_file *named = texts[i]->origin ? texts[i]->origin : texts[i];
        pols[i] = (struct inherit_policy){.doc = ptree_from_json(cc, docs[i]),
                                          .name = arena_printf(&cc->arena, "%s", named->path)};
        struct inherit_level *lv = &levels[level_of[i]];
        if (!lv->policies)
            lv->policies = &pols[i];
        lv->n++;
    }
    struct diag_fold *fold = diag_fold_begin(cc);
    size_t mark = cc->diag.list.len;
    struct eff_node *eff = inherit_effective(cc, levels, nlevels);
    struct eff_vocabulary vocabulary = {0};
    check_effective(cc, &vocabulary, eff, texts[n - 1]->path);
    diag_fold_since(fold, mark, NULL, 0);
    return eff;
}

/* ---- programs ------------------------------------------------------------- */

/* One distinct chain of policies and the accounts that receive it. */
struct chain {
    struct inherit_level *levels;
    size_t nlevels;
    size_t npolicies;
    bool partial;           /* one of its plans is partial */
    struct vec who;         /* const char*: how messages name them */
    struct eff_node *eff;
};

struct program_run {
    struct obc *cc;
    struct arena *a;
    const struct ir_program *prog;
    struct ptrset attached;   /* target decl -> struct vec* of struct inherit_policy* */
    struct ptrset policy_of;  /* ir_policy -> struct inherit_policy* */
    struct ptrset partial;    /* struct inherit_policy* of a policy with a partial plan */
    struct strmap chains;     /* signature -> struct chain* */
    struct vec order;         /* struct chain*, in order of first account */
};

static bool policy_partial(const struct ir_policy *pol)
{
    for (size_t i = 0; i < pol->plans.len; i++)
        if (VEC_GET(const struct ir_plan, pol->plans, i)->partial)
            return true;
    return false;
}

static struct inherit_policy *policy_tree(struct program_run *r, const struct ir_policy *pol)
{
    struct inherit_policy *p = ptrset_get(&r->policy_of, 0, pol, NULL);
    if (p)
        return p;
    struct ptrset locs = {0};
    cJSON *doc = emit_policy_located(r->cc, pol, &locs);
    p = arena_alloc(r->a, sizeof *p);
    p->doc = ptree_from_cjson(r->cc, doc, &locs);
    p->name = arena_printf(r->a, "policy %s", pol->d.name);
    cJSON_Delete(doc);
    if (policy_partial(pol))
        ptrset_add(r->a, &r->partial, p);
    bool added;
    *ptrset_put(r->a, &r->policy_of, 0, pol, NULL, &added) = p;
    return p;
}

/* Every target's policies, in program order (the attachment order). */
static void index_attachments(struct program_run *r)
{
    for (size_t i = 0; i < r->prog->policies.len; i++) {
        const struct ir_policy *pol = r->prog->policies.items[i];
        if (pol->document)
            continue;
        for (size_t j = 0; j < pol->attach.len; j++) {
            const struct ir_target *t = pol->attach.items[j];
            if (!t->decl)
                continue;
            bool added;
            void **slot = ptrset_put(r->a, &r->attached, 0, t->decl, NULL, &added);
            if (added)
                *slot = arena_alloc(r->a, sizeof(struct vec));
            vec_push(r->a, *slot, policy_tree(r, pol));
        }
    }
}

static const char *target_words(struct arena *a, const struct ir_decl *d)
{
    return arena_printf(a, "%s %s", decl_kind_name(d->kind), d->name);
}

/* The chain of `d` (an account, or the OU or root an account would sit
 * in), grouped with the accounts that receive the same policies. */
static struct chain *chain_of(struct program_run *r, const struct ir_decl *d)
{
    struct vec path = {0};
    ir_org_chain(r->prog, d, &path, r->a);
    struct strbuf sig = {0};
    struct inherit_level *levels = arena_alloc(r->a, (path.len ? path.len : 1) * sizeof *levels);
    size_t nlevels = 0, npolicies = 0;
    bool partial = false;
    for (size_t i = 0; i < path.len; i++) {
        const struct ir_decl *t = path.items[i];
        const struct vec *pols = ptrset_get(&r->attached, 0, t, NULL);
        if (!pols)
            continue;
        struct inherit_policy *arr = arena_alloc(r->a, pols->len * sizeof *arr);
        for (size_t j = 0; j < pols->len; j++) {
            arr[j] = *(struct inherit_policy *)pols->items[j];
            sb_printf(r->a, &sig, "%p,", pols->items[j]);
            partial |= ptrset_has(&r->partial, pols->items[j]);
        }
        sb_puts(r->a, &sig, "|");
        levels[nlevels++] = (struct inherit_level){.policies = arr, .n = pols->len, .target = target_words(r->a, t)};
        npolicies += pols->len;
    }
    const char *key = sb_str(r->a, &sig);
    struct chain *c = strmap_get(&r->chains, key);
    if (c)
        return c;
    c = arena_alloc(r->a, sizeof *c);
    *c = (struct chain){.levels = levels, .nlevels = nlevels, .npolicies = npolicies, .partial = partial};
    strmap_put_new(r->a, &r->chains, key, c);
    vec_push(r->a, &r->order, c);
    return c;
}

static const char *account_words(struct arena *a, const struct ir_decl *d)
{
    const struct ir_account *acc = (const struct ir_account *)d;
    if (d->implicit || !d->name)
        return arena_printf(a, "account %s", acc->id ? acc->id : "?");
    return arena_printf(a, "account %s", d->name);
}

bool obc_effective_program(struct obc *cc, const struct ir_program *prog, struct vec *out)
{
    if (cc->diag.errors)
        return false;
    struct program_run run = {.cc = cc, .a = &cc->arena, .prog = prog}, *r = &run;
    index_attachments(r);
    struct ir_org_tree *tree = ir_org_tree_build(prog, r->a);
    /* The accounts under each attachment, in declaration order; a root or
     * an OU with no declared account below it stands for the accounts
     * that may be placed there. */
    struct ptrset seen = {0};
    struct vec accounts = {0}, chains = {0}; /* struct eff_account*, and the chain of each */
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = prog->policies.items[i];
        for (size_t j = 0; !pol->document && j < pol->attach.len; j++) {
            const struct ir_target *t = pol->attach.items[j];
            if (!t->decl)
                continue;
            struct vec under = {0};
            ir_org_tree_accounts_under(tree, t->decl, &under, r->a);
            if (t->decl->kind == DK_ACCOUNT && under.len == 0)
                vec_push(r->a, &under, t->decl); /* an account known by its id only */
            if (under.len == 0 && ptrset_add(r->a, &seen, t->decl)) {
                struct chain *c = chain_of(r, t->decl);
                vec_push(r->a, &c->who, arena_printf(r->a, "any account in %s", target_words(r->a, t->decl)));
            }
            for (size_t k = 0; k < under.len; k++) {
                const struct ir_decl *acc = under.items[k];
                if (!ptrset_add(r->a, &seen, acc))
                    continue;
                struct chain *c = chain_of(r, acc);
                vec_push(r->a, &c->who, (void *)account_words(r->a, acc));
                struct eff_account *ea = arena_alloc(r->a, sizeof *ea);
                *ea = (struct eff_account){.account = (const struct ir_account *)acc};
                vec_push(r->a, &accounts, ea);
                vec_push(r->a, &chains, c);
            }
        }
    }
    struct diag_fold *fold = diag_fold_begin(cc);
    struct eff_vocabulary vocabulary = {0};
    for (size_t i = 0; i < r->order.len; i++) {
        struct chain *c = r->order.items[i];
        size_t mark = cc->diag.list.len;
        /* one complete policy alone is what the checks judged already */
        bool checked = c->npolicies > 1 || c->partial;
        if (checked)
            vocabulary_ready(cc, &vocabulary);
        struct eff_trace merged = trace_begin(cc); /* without `out`, the merged tree is thrown away too */
        c->eff = inherit_effective(cc, c->levels, c->nlevels);
        if (checked) {
            struct eff_trace trace = trace_begin(cc);
            check_effective(cc, &vocabulary, c->eff, arena_printf(r->a, "effective-%zu", i + 1));
            trace_end(cc, &trace);
        }
        if (!out) {
            trace_end(cc, &merged);
            c->eff = NULL;
        }
        diag_fold_since(fold, mark, (const char *const *)c->who.items, c->who.len);
    }
    for (size_t k = 0; out && k < accounts.len; k++) {
        struct eff_account *ea = accounts.items[k];
        ea->policy = ((struct chain *)chains.items[k])->eff;
        vec_push(r->a, out, ea);
    }
    diag_fold_end(fold, "in the effective policy of", "in the effective policies of");
    return cc->diag.errors == 0;
}
