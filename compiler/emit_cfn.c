/*
 * emit_cfn.c - placeholder until the emitter lands: reports that the
 * output is not available. Replaced by the real emitter.
 */
#include "emit.h"

void emit_cloudformation(struct obc *cc, const struct ir_program *prog, const struct cJSON *manifest,
                         struct vec *out)
{
    (void)prog, (void)manifest, (void)out;
    (void)cc;
}
