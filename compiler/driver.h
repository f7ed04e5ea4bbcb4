/*
 * driver.h - the top layer: the pipeline of one compilation (compile.c)
 * and atomic writing of its outputs (output.c). Used by main.c, the
 * tests and the fuzz harness.
 */
#ifndef OBC_DRIVER_H
#define OBC_DRIVER_H

#include "base.h"
#include "emit.h" /* struct out_file */

/* ------------------------------------------------------------------ */
/* compile.c: the pipeline. Call after load_program/load_text.
 * Runs sema and the checks unless the front end reported errors.
 * Returns the program, or NULL when it could not be analysed. */
struct ir_program *obc_analyze(struct obc *cc);
/* The same for a BACKUP_POLICY document `f` (load_document): read with
 * json_in.c, lowered with json_lower.c beside the standard library, then
 * the same checks, and the size of the document as written. Sets
 * opts.emit to EMIT_POLICY: obc_emit then renders the policy alone. */
struct ir_program *obc_analyze_document(struct obc *cc, struct src_file *f);
/* The same for several documents lowered into one program, one policy
 * each (obc import). */
struct ir_program *obc_analyze_documents(struct obc *cc, struct src_file *const *files, size_t n);
/* Renders every policy and the manifest into `out` (struct out_file*),
 * sorted by file name. Run only when obc_analyze found no errors;
 * may report policy-level errors itself (e.g. size). */
bool obc_emit(struct obc *cc, struct vec *out);
#define MANIFEST_FILE "obc.manifest.json"

/* ------------------------------------------------------------------ */
/* import_ob.c: `obc import`                                           */

/* Prints `prog` (analysed without errors: a program lowered from policy
 * documents, or compiled from .ob files) as one .ob program whose
 * policies are the same JSON values, proved by compiling the text in a
 * fresh compilation. Sets *text (in cc's arena) and returns true; or
 * reports why not (OB1130-OB1134) and returns false. */
struct ir_program;
bool import_print(struct obc *cc, const struct ir_program *prog, const char **text);


/* ------------------------------------------------------------------ */
/* output.c: atomic writing of a set of files                          */

struct out_options {
    bool follow_symlinks; /* --follow-output-symlink: DIR and the path to it may be links */
};
/* Makes `dir` hold exactly `files`, replacing the directory as a whole
 * (see output.c for the layout): every file is written into a new
 * staging directory next to `dir`, which then takes its place, so a
 * reader sees all old files or all new ones. A lock file next to `dir`
 * serialises runs into the same directory; staging directories that
 * killed runs left are removed. No symbolic link on the path is followed
 * unless opts->follow_symlinks. When anything fails nothing is replaced.
 * Returns 0 or an errno value; *failed is then:
 *   - the name of the file that failed (EINVAL: a name that is not a
 *     plain file name; ENAMETOOLONG; a write error), or
 *   - with ENOTEMPTY, the entry of the existing `dir` that obc does not
 *     write (only regular "*.json" files are replaced), or
 *   - NULL when `dir` itself is the problem: ELOOP (a symbolic link on
 *     the way), ENOTDIR, EINVAL ("/", "." or ".."), or the error of
 *     creating, locking or switching it. */
int out_write_all(const char *dir, const struct out_file *files, size_t n,
                  const struct out_options *opts, const char **failed);
/* Replaces the file `path` with `len` bytes of `data` in one step (a new
 * file renamed over it), following no symbolic link. Returns 0 or an
 * errno value: ELOOP for a link on the way or at `path`, EISDIR when
 * `path` exists and is not a regular file. */
int out_write_file(const char *path, const char *data, size_t len);


/* effective.c: effective policies (docs/inheritance.md). */
struct eff_node;
struct eff_account {
    const struct ir_account *account;
    struct eff_node *policy;
};
/* The effective policy of every account under a policy's attachment, in
 * the order first met (struct eff_account* into `out`, when not NULL),
 * each distinct one checked once (obc_analyze runs it for the checks).
 * False when errors are reported. */
bool obc_effective_program(struct obc *cc, const struct ir_program *prog, struct vec *out);
/* `obc effective FILE...`: documents `files`, file i at level level_of[i]
 * (0 = the root; non-decreasing), read, merged and checked. NULL when a
 * document cannot be read or has errors. */
struct eff_node *obc_effective_documents(struct obc *cc, struct src_file *const *files, const size_t *level_of,
                                         size_t n);

#endif /* OBC_DRIVER_H */
