/*
 * driver.h - the top layer: the pipeline of one compilation (compile.c)
 * and atomic writing of its outputs (output.c). Used by main.c, the
 * tests and the fuzz harness.
 */
#ifndef OBC_DRIVER_H
#define OBC_DRIVER_H

#include "base.h"

/* ------------------------------------------------------------------ */
/* compile.c: the pipeline. Call after load_program/load_text.
 * Runs sema and the checks unless the front end reported errors.
 * Returns the program, or NULL when it could not be analysed. */
struct ir_program *obc_analyze(struct obc *cc);
/* Renders every policy and the manifest into `out` (struct out_file*),
 * sorted by file name. Run only when obc_analyze found no errors;
 * may report policy-level errors itself (e.g. size). */
bool obc_emit(struct obc *cc, struct vec *out);
#define MANIFEST_FILE "obc.manifest.json"


/* ------------------------------------------------------------------ */
/* output.c: atomic writing of a set of files                          */

struct out_file {
    const char *name;   /* file name inside the output directory */
    const char *data;
    size_t len;
};
/* Writes every file to a temporary name in `dir` (created with its
 * missing parents), then renames them all, in the order given. When any
 * write fails nothing is replaced and the temporaries are removed.
 * Returns 0 or an errno value; *failed is then the name (inside `dir`)
 * of the file that failed, or NULL when `dir` itself could not be
 * created or opened. */
int out_write_all(const char *dir, const struct out_file *files, size_t n,
                  const char **failed);


#endif /* OBC_DRIVER_H */
