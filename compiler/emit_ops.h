/*
 * emit_ops.h - the manifest entries of notifications, restore tests and
 * audit frameworks (emit_ops.c), which emit_manifest.c places in the
 * regions[] entries of the account that holds them.
 */
#ifndef OBC_EMIT_OPS_H
#define OBC_EMIT_OPS_H

#include "ir.h"

struct cJSON;

enum op_kind { OP_NOTIFY, OP_RESTORE_TEST, OP_FRAMEWORK };

/* One declaration in one account, in the regions it exists in. */
struct op_place {
    enum op_kind kind;
    const struct ir_notify *notify;          /* OP_NOTIFY */
    const struct ir_vault *vault;            /* OP_NOTIFY via vault: one place per vault */
    const struct ir_restore_test *test;      /* OP_RESTORE_TEST */
    const struct ir_audit_framework *framework; /* OP_FRAMEWORK */
    struct ir_principal owner;
    struct vec regions;                      /* struct ir_region* */
};

/* Appends the places of every notification, restore test and framework
 * to `out` (struct op_place*, program order). `vault_regions(ctx, v)`
 * gives the regions a vault exists in; `default_regions` the regions a
 * declaration goes to when neither it nor its vaults name any (the plans'
 * regions). */
void ops_places(struct arena *a, const struct ir_program *prog,
                const struct vec *(*vault_regions)(void *ctx, const struct ir_vault *v), void *ctx,
                const struct vec *default_regions, struct vec *out);

/* Adds "notifications", "restore_testing_plans" and "audit_frameworks"
 * (each only when not empty) to the manifest's region entry `obj` for the
 * places `there` (struct op_place*, all in `region`). */
void emit_ops_region(struct json_doc *doc, struct arena *a, struct cJSON *obj, const struct vec *there,
                     const struct ir_region *region);

#endif /* OBC_EMIT_OPS_H */
