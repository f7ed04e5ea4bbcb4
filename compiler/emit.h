/*
 * emit.h - the emitters: the BACKUP_POLICY documents (emit_policy.c),
 * the account-side manifest (emit_manifest.c), their size limits
 * (emit_size.c). JSON printing is json_out.c (base.h).
 */
#ifndef OBC_EMIT_H
#define OBC_EMIT_H

#include "ir.h"

/* ------------------------------------------------------------------ */
/* emit_policy.c, emit_manifest.c                                     */

struct cJSON *emit_policy(struct obc *cc, const struct ir_policy *pol);
/* The same document, and in `locs` (when not NULL) every cJSON item it
 * creates, key a = the item, b = NULL, tag 0, mapped to a struct loc*
 * (in cc->arena): a leaf's operator object and value, the IR value's
 * location; an object, the IR block's that produced it (policy, plan,
 * rule, copy, selection entry, tag, condition); a control's array and
 * strings, and a node made only to hold a control, the `children`
 * item's. emit_policy() is this with locs NULL. */
struct cJSON *emit_policy_located(struct obc *cc, const struct ir_policy *pol, struct ptrset *locs);
struct cJSON *emit_manifest(struct obc *cc, const struct ir_program *prog);

/* emit_render.c: one output file, and `doc` rendered as obc writes it
 * (pretty, or minified with --minify) into one named `name`.
 * emit_render frees doc; emit_render_keep leaves it to the caller (out of
 * memory, both free it before the jump, which skips the caller's free). */
struct out_file {
    const char *name; /* file name inside the output directory */
    const char *data;
    size_t len;
};
struct out_file *emit_render(struct obc *cc, const char *name, struct cJSON *doc);
struct out_file *emit_render_keep(struct obc *cc, const char *name, struct cJSON *doc);

/* ------------------------------------------------------------------ */
/* emit_cfn.c, emit_terraform.c: the deployable outputs (docs/deploy.md),
 * both made from the manifest `manifest` (emit_manifest) and the IR.    */

/* The CloudFormation templates, each rendered with emit_render and pushed
 * on out (struct out_file*): the members template first, then one per
 * named account, in manifest order. */
void emit_cloudformation(struct obc *cc, const struct ir_program *prog, const struct cJSON *manifest,
                         struct vec *out);
/* obc.tf.json; `templates` are the out_files emit_cloudformation pushed. */
void emit_terraform(struct obc *cc, const struct ir_program *prog, const struct cJSON *manifest,
                    const struct vec *templates, struct vec *out);

/* emit_size.c: OB8001, each policy (as emit_policy builds it) fits in
 * AWS_POLICY_MAX_CHARS minified; run after the checks. OB8008, the file
 * as written (`pretty`, the text of `doc`) fits too. */
void emit_check_sizes(struct obc *cc, const struct ir_program *prog);
void emit_check_document_size(struct obc *cc, const struct src_file *f, size_t minified);
void emit_check_written_size(struct obc *cc, const struct ir_policy *pol, size_t written, struct cJSON *doc);

#endif /* OBC_EMIT_H */
