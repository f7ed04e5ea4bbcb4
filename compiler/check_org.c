/*
 * check_org.c - the organization tree the program states (ir_org.c):
 * parent chains that return to themselves (OB2020), OU ids whose root
 * part disagrees with the root or the OU above them (OB2021), and OUs
 * nested deeper than AWS Organizations allows under a root (OB2022).
 *
 * Owns: one walk up from every OU, memoized, so that the whole program
 * costs O(OUs): each OU gets its state (a cycle above or in it, its depth
 * in OUs, the nearest declaration above it with a root part) once, from
 * its parent's. Only OUs have parents that can be OUs (an account cannot
 * be a parent: VT_REF kinds), so cycles are cycles of OUs. An OU whose
 * chain runs into a cycle is not judged by OB2021 or OB2022: OB2020 is
 * its error.
 */
#include "checks.h"

#include <string.h>

/* The root part of an id: r-PART, ou-PART-SUFFIX (AWS: "the ID of the
 * root that contains the OU"). Only well-formed ids (OB2007 otherwise). */
struct part {
    const char *s;
    size_t n;
};

static bool root_part(const struct ir_decl *d, struct part *out)
{
    if (d->kind == DK_ROOT) {
        const char *id = ((const struct ir_root *)d)->id;
        if (!id || !id_root_ok(id))
            return false;
        *out = (struct part){id + 2, strlen(id + 2)};
        return true;
    }
    if (d->kind == DK_OU) {
        const char *id = ((const struct ir_ou *)d)->id;
        if (!id || !id_ou_ok(id))
            return false;
        *out = (struct part){id + 3, (size_t)(strchr(id + 3, '-') - (id + 3))};
        return true;
    }
    return false;
}

static const struct ir_attr *id_at(const struct ir_decl *d)
{
    return d->kind == DK_ROOT ? &((const struct ir_root *)d)->id_at : &((const struct ir_ou *)d)->id_at;
}

static const char *id_of(const struct ir_decl *d)
{
    return d->kind == DK_ROOT ? ((const struct ir_root *)d)->id : ((const struct ir_ou *)d)->id;
}

enum walk { W_NEW, W_ON_PATH, W_DONE };

struct ou_state {
    enum walk walk;
    size_t pos;                    /* W_ON_PATH: its index in the current path */
    bool cyclic;                   /* in a cycle, or under one */
    size_t depth;                  /* OUs in its chain, itself included */
    const struct ir_decl *above;   /* the nearest root or OU above it with a root part */
};

struct org_check {
    struct obc *cc;
    const struct ir_program *prog;
    struct arena *a;
    struct ptrset states; /* (0, ou, NULL) -> struct ou_state */
};

static struct ou_state *state_of(struct org_check *C, const struct ir_decl *ou)
{
    bool fresh;
    return ptrset_memo(C->a, &C->states, 0, ou, NULL, sizeof(struct ou_state), &fresh);
}

static bool before(const struct ir_decl *a, const struct ir_decl *b)
{
    if (a->name_loc.file != b->name_loc.file)
        return a->name_loc.file < b->name_loc.file;
    return a->name_loc.start < b->name_loc.start;
}

/* ---- OB2020 ------------------------------------------------------------ */

#define CYCLE_NAMES_SHOWN 8

/* The OUs of `cycle` (struct ir_decl*, each one's parent the next, the
 * last one's the first): reported once, at the parent of the one
 * declared first, naming the cycle from it. */
static void report_cycle(struct org_check *C, const struct vec *cycle)
{
    size_t first = 0;
    for (size_t i = 1; i < cycle->len; i++)
        if (before(cycle->items[i], cycle->items[first]))
            first = i;
    struct strbuf b = {0};
    size_t n = cycle->len;
    for (size_t k = 0; k < n && k < CYCLE_NAMES_SHOWN; k++)
        sb_printf(C->a, &b, "%s -> ", VEC_GET(const struct ir_decl, *cycle, (first + k) % n)->name);
    if (n > CYCLE_NAMES_SHOWN)
        sb_printf(C->a, &b, "... (%zu OUs) -> ", n);
    const struct ir_ou *head = VEC_GET(const struct ir_ou, *cycle, first);
    sb_printf(C->a, &b, "%s", head->d.name);
    struct diag *d = diag_emit(C->cc, OB2020, head->parent_at.loc,
                               "cycle in the organization tree: the parents of OU '%s' lead back to it: %s",
                               head->d.name, sb_str(C->a, &b));
    if (n > 1) {
        const struct ir_ou *next = VEC_GET(const struct ir_ou, *cycle, (first + 1) % n);
        diag_note(C->cc, d, next->parent_at.loc, "OU '%s' names '%s' as its parent", next->d.name,
                  next->parent ? next->parent->name : "?");
    }
    diag_help(C->cc, d, "every chain of parents ends at a root: change the parent of one of %s",
              n == 1 ? "them (an OU cannot be its own parent)" : "these OUs");
}

/* ---- the walk ------------------------------------------------------------ */

/* Gives `ou` (and every OU above it that has none yet) its state: walks
 * up to a root, the top, an OU with a state, or an OU already on the
 * path (a cycle, reported here), then fills the path downwards. Each OU
 * is on a path once in the whole program. */
static void walk(struct org_check *C, const struct ir_decl *ou)
{
    if (state_of(C, ou)->walk == W_DONE)
        return;
    struct vec path = {0};
    const struct ir_decl *x = ou;
    bool cyclic = false;
    while (x && x->kind == DK_OU) {
        struct ou_state *st = state_of(C, x);
        if (st->walk == W_DONE) {
            cyclic = st->cyclic;
            break;
        }
        if (st->walk == W_ON_PATH) {
            struct vec cycle = {0};
            for (size_t i = st->pos; i < path.len; i++)
                vec_push(C->a, &cycle, path.items[i]);
            report_cycle(C, &cycle);
            cyclic = true;
            break;
        }
        st->walk = W_ON_PATH;
        st->pos = path.len;
        vec_push(C->a, &path, (void *)x);
        x = ir_org_parent(C->prog, x);
    }
    /* x: where the walk stopped (NULL, a root, or an OU with a state). */
    for (size_t i = path.len; i-- > 0;) {
        const struct ir_decl *d = path.items[i];
        const struct ir_decl *p = i + 1 < path.len ? path.items[i + 1] : x;
        struct ou_state *st = state_of(C, d);
        st->walk = W_DONE;
        st->cyclic = cyclic;
        if (cyclic)
            continue;
        struct part unused;
        if (!p) {
            st->depth = 1;
        } else if (p->kind == DK_ROOT) {
            st->depth = 1;
            st->above = root_part(p, &unused) ? p : NULL;
        } else {
            const struct ou_state *ps = state_of(C, p);
            st->depth = ps->depth + 1;
            st->above = root_part(p, &unused) ? p : ps->above;
        }
    }
}

/* ---- OB2021 ------------------------------------------------------------ */

static void check_root_part(struct org_check *C, const struct ir_ou *ou, const struct ou_state *st)
{
    struct part mine, theirs;
    if (!st->above || !root_part(&ou->d, &mine) || !root_part(st->above, &theirs))
        return;
    if (mine.n == theirs.n && memcmp(mine.s, theirs.s, mine.n) == 0)
        return;
    const struct ir_decl *above = st->above;
    struct diag *d;
    if (above->kind == DK_ROOT)
        d = diag_emit(C->cc, OB2021, ou->id_at.loc,
                      "OU '%s' has id %s, which names root r-%.*s, but it is under root '%s' (%s)", ou->d.name,
                      ou->id, (int)mine.n, mine.s, above->name, id_of(above));
    else
        d = diag_emit(C->cc, OB2021, ou->id_at.loc,
                      "OU '%s' has id %s, which names root r-%.*s, but OU '%s' above it names root r-%.*s (%s)",
                      ou->d.name, ou->id, (int)mine.n, mine.s, above->name, (int)theirs.n, theirs.s,
                      id_of(above));
    diag_note(C->cc, d, id_at(above)->loc, "%s '%s' has id %s", above->kind == DK_ROOT ? "root" : "OU", above->name,
              id_of(above));
    diag_help(C->cc, d,
              "an OU id is ou-ROOT-SUFFIX, where ROOT is the id of its root after r- (here ou-%.*s-...): "
              "correct the id, or the parent of '%s'",
              (int)theirs.n, theirs.s, ou->d.name);
}

/* ---- OB2022 ------------------------------------------------------------ */

static void check_depth(struct org_check *C, const struct ir_ou *ou, const struct ou_state *st)
{
    if (st->depth != AWS_OU_MAX_DEPTH + 1)
        return; /* deeper OUs sit under one reported here */
    struct vec chain = {0};
    ir_org_chain(C->prog, &ou->d, &chain, C->a);
    struct strbuf b = {0};
    for (size_t i = 0; i < chain.len; i++)
        sb_printf(C->a, &b, "%s%s", i ? " -> " : "", VEC_GET(const struct ir_decl, chain, i)->name);
    struct diag *d = diag_emit(C->cc, OB2022, ou->parent_at.loc,
                               "OU '%s' is nested %zu levels deep: AWS Organizations allows %d levels of OUs "
                               "under a root (%s)",
                               ou->d.name, st->depth, AWS_OU_MAX_DEPTH, sb_str(C->a, &b));
    diag_help(C->cc, d, "move '%s' (and what is under it) up: name an OU at most %d levels deep as its parent",
              ou->d.name, AWS_OU_MAX_DEPTH - 1);
}

void check_org(struct obc *cc, struct ir_program *prog)
{
    struct org_check C = {cc, prog, &cc->arena, {0}};
    for (size_t i = 0; i < prog->ous.len; i++)
        walk(&C, prog->ous.items[i]);
    for (size_t i = 0; i < prog->ous.len; i++) {
        const struct ir_ou *ou = prog->ous.items[i];
        const struct ou_state *st = state_of(&C, &ou->d);
        if (st->cyclic)
            continue;
        check_root_part(&C, ou, st);
        check_depth(&C, ou, st);
    }
}
