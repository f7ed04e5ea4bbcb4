/*
 * ir_org.c - the organization tree a program states: the parent of an
 * account or an OU, the chain of targets from the top of the tree down
 * to an account, and the accounts under a root, an OU or an account.
 *
 * Owns: what "under" means (docs/language.md, "Organization tree"). An
 * account or OU sits under its `parent`; without one, under the only
 * root the program declares when it declares exactly one, and at the top
 * of the tree otherwise (then its chain holds only what the program
 * states). An account known only by an id (ir_decl.implicit: an ARN's or
 * a document's account) sits nowhere. A parent chain that runs into a
 * cycle (reported by check_org.c, OB2020) is followed up to its first
 * repeat, so every walk here ends.
 */
#include "ir.h"

#include <stdlib.h>

const struct ir_decl *ir_org_parent(const struct ir_program *prog, const struct ir_decl *d)
{
    const struct ir_decl *stated;
    const struct ir_attr *at;
    if (d->kind == DK_ACCOUNT) {
        const struct ir_account *acc = (const struct ir_account *)d;
        stated = acc->parent;
        at = &acc->parent_at;
    } else if (d->kind == DK_OU) {
        const struct ir_ou *ou = (const struct ir_ou *)d;
        stated = ou->parent;
        at = &ou->parent_at;
    } else {
        return NULL; /* a root is the top; other kinds are not in the tree */
    }
    if (stated)
        return stated;
    /* A parent written but rejected (its error is reported) is unknown:
     * no guess. */
    if (at->state == IR_REJECTED || d->implicit || prog->roots.len != 1)
        return NULL;
    return VEC_GET(const struct ir_decl, prog->roots, 0);
}

/* The walk up stops at the first declaration met twice, so it takes at
 * most one step per OU, plus the account and a root. */
void ir_org_chain(const struct ir_program *prog, const struct ir_decl *account, struct vec *out, struct arena *a)
{
    struct vec up = {0};
    struct ptrset seen = {0};
    for (const struct ir_decl *d = account; d && ptrset_add(a, &seen, d); d = ir_org_parent(prog, d))
        vec_push(a, &up, (void *)d);
    for (size_t i = up.len; i-- > 0;)
        vec_push(a, out, up.items[i]);
}

/* ---- the tree, built once ---------------------------------------------- */

struct org_node {
    const struct ir_decl *d;
    size_t order;        /* an account's index in prog->accounts */
    struct vec children; /* struct org_node*: OUs in declaration order, then accounts */
};

struct ir_org_tree {
    struct ptrset nodes; /* (0, decl, NULL) -> struct org_node */
};

static struct org_node *node_add(struct arena *a, struct ir_org_tree *t, const struct ir_decl *d, size_t order)
{
    bool fresh;
    struct org_node *n = ptrset_memo(a, &t->nodes, 0, d, NULL, sizeof *n, &fresh);
    n->d = d;
    n->order = order;
    return n;
}

static void link_child(struct arena *a, struct ir_org_tree *t, const struct ir_program *prog, struct org_node *child)
{
    const struct ir_decl *p = ir_org_parent(prog, child->d);
    struct org_node *pn = p ? ptrset_get(&t->nodes, 0, p, NULL) : NULL;
    if (pn)
        vec_push(a, &pn->children, child);
}

/* One node per root, OU and account the program declares, and one child
 * link per parent: O(roots + OUs + accounts). */
struct ir_org_tree *ir_org_tree_build(const struct ir_program *prog, struct arena *a)
{
    struct ir_org_tree *t = arena_alloc(a, sizeof *t);
    for (size_t i = 0; i < prog->roots.len; i++)
        node_add(a, t, prog->roots.items[i], 0);
    for (size_t i = 0; i < prog->ous.len; i++)
        node_add(a, t, prog->ous.items[i], 0);
    for (size_t i = 0; i < prog->accounts.len; i++) {
        const struct ir_decl *d = prog->accounts.items[i];
        if (!d->implicit)
            node_add(a, t, d, i);
    }
    for (size_t i = 0; i < prog->ous.len; i++)
        link_child(a, t, prog, ptrset_get(&t->nodes, 0, prog->ous.items[i], NULL));
    for (size_t i = 0; i < prog->accounts.len; i++) {
        struct org_node *n = ptrset_get(&t->nodes, 0, prog->accounts.items[i], NULL);
        if (n)
            link_child(a, t, prog, n);
    }
    return t;
}

static int by_order(const void *x, const void *y)
{
    const struct org_node *a = *(const struct org_node *const *)x, *b = *(const struct org_node *const *)y;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Down the child links from `target` with an explicit stack (no
 * recursion), each node once (a cycle is entered once): O(k log k) for
 * the k nodes under it. */
void ir_org_tree_accounts_under(const struct ir_org_tree *t, const struct ir_decl *target, struct vec *out,
                                struct arena *a)
{
    struct org_node *top = ptrset_get(&t->nodes, 0, target, NULL);
    if (!top)
        return;
    struct vec stack = {0}, found = {0};
    struct ptrset seen = {0};
    ptrset_add(a, &seen, top);
    vec_push(a, &stack, top);
    while (stack.len) {
        struct org_node *n = stack.items[--stack.len];
        if (n->d->kind == DK_ACCOUNT)
            vec_push(a, &found, n);
        for (size_t i = 0; i < n->children.len; i++)
            if (ptrset_add(a, &seen, n->children.items[i]))
                vec_push(a, &stack, n->children.items[i]);
    }
    if (found.len > 1)
        qsort(found.items, found.len, sizeof *found.items, by_order);
    for (size_t i = 0; i < found.len; i++)
        vec_push(a, out, (void *)VEC_GET(struct org_node, found, i)->d);
}

void ir_org_accounts_under(const struct ir_program *prog, const struct ir_decl *target, struct vec *out,
                           struct arena *a)
{
    ir_org_tree_accounts_under(ir_org_tree_build(prog, a), target, out, a);
}
