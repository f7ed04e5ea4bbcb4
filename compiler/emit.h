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
struct cJSON *emit_manifest(struct obc *cc, const struct ir_program *prog);

/* emit_size.c: OB8001, each policy (as emit_policy builds it) fits in
 * AWS_POLICY_MAX_CHARS minified; run after the checks. OB8008, the file
 * as written (`pretty`, the text of `doc`) fits too. */
void emit_check_sizes(struct obc *cc, const struct ir_program *prog);
void emit_check_document_size(struct obc *cc, const struct src_file *f, size_t minified);
void emit_check_written_size(struct obc *cc, const struct ir_policy *pol, const char *pretty, struct cJSON *doc);

#endif /* OBC_EMIT_H */
