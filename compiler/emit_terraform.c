/*
 * emit_terraform.c - placeholder until the emitter lands: reports that the
 * output is not available. Replaced by the real emitter.
 */
#include "emit.h"

void emit_terraform(struct obc *cc, const struct ir_program *prog, const struct cJSON *manifest,
                    const struct vec *templates, struct vec *out)
{
    (void)prog, (void)manifest, (void)templates, (void)out;
    (void)cc;
}
