/*
 * symtab.c - the program's global namespace, built on a string map
 * (strmap.c): one entry per name, declarations of other kinds with the
 * same name chained through ir_decl.same_name.
 */
#include "sema.h"

/* ---- the namespace ---------------------------------------------------- */

struct ir_decl *sym_lookup(const struct symtab *t, const char *name)
{
    return strmap_get(&t->names, name);
}

void sym_insert(struct arena *a, struct symtab *t, struct ir_decl *d)
{
    strmap_put_new(a, &t->names, d->name, d);
}
