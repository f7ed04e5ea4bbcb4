/*
 * inherit.h - effective policies: the policies attached from the root of
 * an organization down to one account, merged by AWS Organizations'
 * inheritance rules (docs/inheritance.md). inherit.c.
 *
 * A policy enters as a `ptree`: a BACKUP_POLICY document with its
 * operators, from a located JSON tree (a policy document) or from the
 * language's emitter (a cJSON document and the IR location of each item).
 * The merge yields an `eff_node` tree: the effective policy, without
 * operators, where every value remembers the place that set it, so a
 * problem found in the effective policy is reported in the policy that
 * causes it.
 */
#ifndef OBC_INHERIT_H
#define OBC_INHERIT_H

#include "front.h"
#include "ir.h"

struct ptree;   /* a policy document with its operators */
struct eff_node; /* a node of an effective policy */
struct cJSON;

/* From a policy document (json_in.c). What json_lower.c rejects (a
 * malformed operator, a value of the wrong kind) is left out, silently:
 * json_lower reports it. Never NULL for an object. */
struct ptree *ptree_from_json(struct obc *cc, const struct json_value *doc);
/* From a document the language's emitter built: `locs` maps each cJSON
 * item (ptrset tag 0, b NULL) to a struct loc* (emit_policy_located). */
struct ptree *ptree_from_cjson(struct obc *cc, const struct cJSON *doc, const struct ptrset *locs);

/* One policy attached to a target, and the policies of one level of the
 * organization tree (the root, an OU, the account) in attachment order. */
struct inherit_policy {
    const struct ptree *doc;
    const char *name;       /* "policy base", "file root.json": for messages */
};
struct inherit_level {
    const struct inherit_policy *policies;
    size_t n;
    const char *target;     /* "root r", "OU prod", "account a": for messages */
};

/* The effective policy of one account under the chain of `levels`, root
 * first. Reports OB8102, OB8103, OB8105 and OB8106 (the caller folds
 * what several accounts repeat: diag_fold_since). */
struct eff_node *inherit_effective(struct obc *cc, const struct inherit_level *levels, size_t nlevels);

/* The effective policy as AWS shows it: no operators, values as written
 * (strings stay strings), keys in the order first written. */
struct cJSON *eff_policy_json(struct obc *cc, const struct eff_node *root);
/* The DescribeEffectivePolicy response for it: {"EffectivePolicy":
 * {"PolicyContent": "<minified>", "TargetId": ..., "PolicyType":
 * "BACKUP_POLICY"}}. */
struct cJSON *eff_describe_json(struct obc *cc, const struct eff_node *root, const char *target_id);
/* The effective policy as a located JSON tree for json_lower.c: each
 * value's location is where the policy that set it wrote it. */
struct json_value *eff_located(struct obc *cc, const struct eff_node *root);

#endif /* OBC_INHERIT_H */
