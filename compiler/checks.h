/*
 * checks.h - the checks that run on the finished IR (checks.c runs them
 * in order and holds the helpers they share; check_*.c, one family per
 * file). They read the IR and report diagnostics; they emit nothing.
 */
#ifndef OBC_CHECKS_H
#define OBC_CHECKS_H

#include "ir.h"

/* ------------------------------------------------------------------ */
/* checks.c: the checks that run on the finished IR                    */

void checks_run(struct obc *cc, struct ir_program *prog);
void check_windows(struct obc *cc, struct ir_program *prog);   /* OB3010-OB3012 */
void check_overlap(struct obc *cc, struct ir_program *prog);   /* OB3020 */
void check_roles(struct obc *cc, struct ir_program *prog);     /* OB5007 partitions, OB5008, OB6010 */
void check_lifecycle(struct obc *cc, struct ir_program *prog); /* OB4001-OB4006, OB9003 */
void check_lock(struct obc *cc, struct ir_program *prog);      /* OB4010-OB4016 */
void check_copies(struct obc *cc, struct ir_program *prog);    /* OB6001-OB6009 */
void check_kms(struct obc *cc, struct ir_program *prog);       /* OB7001-OB7004, OB7006-OB7008 */
void check_limits(struct obc *cc, struct ir_program *prog);    /* OB8001-OB8007, OB8009 */
void check_lints(struct obc *cc, struct ir_program *prog);     /* OB9001, OB9002 */
/* Helpers shared by the checks (checks.c): the names of a list of
 * declarations (struct ir_decl* heads), at most `shown` of them and then
 * "and N more"; and a principal as a phrase ("account 'backup'"). */
const char *check_names(struct arena *a, const struct vec *decls, size_t shown);
const char *check_principal_words(struct arena *a, const struct ir_principal *p);
const char *check_rule_words(struct arena *a, const struct ir_rule *r); /* "rule 'r' of plan 'p'" */
/* The resource types a message names (struct ir_restype*, as decls):
 * at most CHECK_TYPES_SHOWN. For a selection by tags or type any (`any`)
 * how many types there are is the standard library's business, not the
 * program's, so the rest are "other types", not a count. */
#define CHECK_TYPES_SHOWN 3
const char *check_some_types(struct arena *a, const struct vec *types, bool any);
/* One diagnostic per root cause: whether (code, a, b) is new to `seen`
 * (a set the caller keeps, zero-initialized); records it. A hash set, so
 * that a program with many reports stays linear (expected constant time
 * per call); only membership is ever asked, so its order never shows. */
struct check_seen;
struct check_reported {
    struct check_seen *slots;
    size_t cap, count;
};
bool check_first_time(struct arena *ar, struct check_reported *seen, enum diag_code code, const void *a,
                      const void *b);
/* The first receiver of plan `p` (in ir_plan_receivers() order) that is
 * not the account with id `id` (when `id` is NULL: not account `acct`,
 * which has no id); NULL when every receiver is. Roots and OUs are never
 * that account. Linear over a whole program: each policy's and each
 * plan's receivers are summed up once, in `memo` (zero-initialized, kept
 * by the caller), so asking for every selection or rule of a plan costs
 * constant time each, however many policies hold the plan and however
 * many targets they are attached to. */
const struct ir_receiver *check_other_receiver(struct arena *ar, struct check_reported *memo,
                                               const struct ir_plan *p, const char *id,
                                               const struct ir_account *acct);


#endif /* OBC_CHECKS_H */
