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
/* The same on a program that holds one effective policy beside the
 * vocabulary (effective.c): every check of the policies, not the lints
 * and the organization tree, which the program's own analysis judged. */
void checks_run_effective(struct obc *cc, struct ir_program *prog);
void check_windows(struct obc *cc, struct ir_program *prog);   /* OB3010-OB3012 */
void check_overlap(struct obc *cc, struct ir_program *prog);   /* OB3020 */
void check_roles(struct obc *cc, struct ir_program *prog);     /* OB5007 partitions, OB5008, OB6010 */
void check_lifecycle(struct obc *cc, struct ir_program *prog); /* OB4001-OB4006, OB4042, OB9003 */
void check_continuous(struct obc *cc, struct ir_program *prog); /* OB4020 */
void check_cold(struct obc *cc, struct ir_program *prog);      /* OB4040, OB4041 */
void check_lock(struct obc *cc, struct ir_program *prog);      /* OB4010-OB4016 */
void check_copies(struct obc *cc, struct ir_program *prog);    /* OB6001-OB6009, OB6011, OB6012 */
void check_kms(struct obc *cc, struct ir_program *prog);       /* OB7001-OB7004, OB7006-OB7008 */
void check_limits(struct obc *cc, struct ir_program *prog);    /* OB8001-OB8007, OB8009 */
void check_lints(struct obc *cc, struct ir_program *prog);     /* OB9001, OB9002 */
void check_airgap(struct obc *cc, struct ir_program *prog);    /* OB2010, OB4030, OB6020-OB6023 */
void check_scan(struct obc *cc, struct ir_program *prog);      /* OB5020-OB5023 */
void check_variables(struct obc *cc, struct ir_program *prog); /* OB9004 */
void check_org(struct obc *cc, struct ir_program *prog);       /* OB2020-OB2022 */
void check_ops(struct obc *cc, struct ir_program *prog);       /* OB6101-OB6104, OB6106, OB6110-OB6115, OB6120, OB6122 */
/* Helpers shared by the checks (checks.c): the names of a list of
 * declarations (struct ir_decl* heads), at most `shown` of them and then
 * "and N more"; and a principal as a phrase ("account 'backup'"). */
const char *check_names(struct arena *a, const struct vec *decls, size_t shown);
/* The same for the first items of a longer list of `total` items. */
const char *check_names_of(struct arena *a, const struct vec *decls, size_t shown, size_t total);
const char *check_principal_words(struct arena *a, const struct ir_principal *p);
const char *check_rule_words(struct arena *a, const struct ir_rule *r); /* "rule 'r' of plan 'p'" */
/* A count with its noun, singular for 1: "1 day", "14 days". */
const char *check_count(struct arena *a, int64_t n, const char *one, const char *many);
const char *check_days(struct arena *a, int64_t n); /* check_count(n, "day", "days") */
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
bool check_first_time(struct arena *ar, struct ptrset *seen, enum diag_code code, const void *a,
                      const void *b);
/* The first receiver of plan `p` (in ir_plan_receivers() order) that is
 * not the account with id `id` (when `id` is NULL: not account `acct`,
 * which has no id); NULL when every receiver is. Roots and OUs are never
 * that account. Linear over a whole program: each policy's and each
 * plan's receivers are summed up once, in `memo` (zero-initialized, kept
 * by the caller), so asking for every selection or rule of a plan costs
 * constant time each, however many policies hold the plan and however
 * many targets they are attached to. */
const struct ir_receiver *check_other_receiver(struct arena *ar, struct ptrset *memo,
                                               const struct ir_plan *p, const char *id,
                                               const struct ir_account *acct);

/* What the checks ask of one plan for each of its rules and copies,
 * worked out once per plan (`memo`: a set the caller keeps for this
 * alone, zero-initialized), so that asking for every copy costs constant
 * time however many regions the plan has. */
struct check_plan {
    struct ptrset regions;                /* the plan's regions */
    bool one_partition;                   /* its regions are in at most one partition */
    const struct ir_partition *partition; /* the first of its regions' partitions */
    bool no_cross_account;                /* one of them has no cross-account copy */
};
const struct check_plan *check_plan_facts(struct arena *ar, struct ptrset *memo, const struct ir_plan *p);
/* Whether copy `c` of rule `r` cannot leave the plan's partition or
 * account: ir_copy_foreign_region() or ir_copy_account_barrier() is not
 * NULL; in constant time. */
bool check_copy_walled(const struct check_plan *f, const struct ir_plan *p, const struct ir_rule *r,
                       const struct ir_copy *c);

#endif /* OBC_CHECKS_H */
