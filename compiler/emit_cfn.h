/*
 * emit_cfn.h - what the parts of the CloudFormation emitter share:
 * emit_cfn.c (the template, its Parameters, Conditions and logical ids,
 * values with placeholders, vaults), emit_cfn_iam.c (roles, keys) and
 * emit_cfn_extras.c (notifications, restore testing plans, audit
 * frameworks). Internal to
 * the emitter; the interface is emit_cloudformation in emit.h.
 */
#ifndef OBC_EMIT_CFN_H
#define OBC_EMIT_CFN_H

#include "emit.h"

/* One template being built: the scope is one `accounts[]` entry of the
 * manifest (the members, or a named account). */
struct cfn {
    struct obc *cc;
    struct json_doc d;        /* d.root: the template */
    struct cJSON *params, *conds, *res, *outs;
    const struct cJSON *manifest;
    const struct cJSON *scope; /* the accounts[] entry */
    const char *account;      /* its `account`: "$account" or an id */
    const char *org_id;       /* organization.id, NULL when not declared */
    const char *region;       /* the Region whose entry is being written (its
                                 code in ARNs becomes ${AWS::Region}) */
    struct vec regions;       /* const char*: the Regions of the scope, in order */
    struct strmap ids;        /* logical ids in use */
    struct strmap key_ids;    /* key name -> logical id of a created key */
    struct strmap role_names; /* IAM role names created */
    struct strmap topic_ids;  /* topic name -> its resources (emit_cfn_extras.c) */
    struct strmap vault_topics; /* "condition/vault" -> its notification (emit_cfn.c) */
    struct vec manual;        /* const char*: what the template leaves to people */
    size_t nresources;
};

/* A logical id: `kind` then the CamelCase of `name` (letters and digits
 * only), then `suffix`; a number is appended when it is taken. */
const char *cfn_id(struct cfn *t, const char *kind, const char *name, const char *suffix);
/* A string of the manifest as a template value: a plain string, or
 * {"Fn::Sub": ...} with $account, $region, the partition of an ARN and the
 * current Region of an ARN replaced, or {"Ref": "OrganizationId"} for
 * "$organization_id". Added under key of parent (key NULL: appended). */
void cfn_put_str(struct cfn *t, struct cJSON *parent, const char *key, const char *s);
/* A JSON value of the manifest (a policy document...), strings through
 * cfn_put_str. */
void cfn_put_value(struct cfn *t, struct cJSON *parent, const char *key, const struct cJSON *v);
/* A new resource `id` of `type` under Condition `cond` (NULL: none);
 * returns its Properties object. */
struct cJSON *cfn_resource(struct cfn *t, const char *id, const char *type, const char *cond);
/* An output `id` with the value Fn::GetAtt [res, attr], under `cond`. */
void cfn_output_getatt(struct cfn *t, const char *id, const char *res, const char *attr, const char *cond);
/* {"Ref": id} under key of parent. */
void cfn_put_ref(struct cfn *t, struct cJSON *parent, const char *key, const char *id);
/* {"Fn::GetAtt": [id, attr]} under key of parent. */
void cfn_put_getatt(struct cfn *t, struct cJSON *parent, const char *key, const char *id, const char *attr);
/* The condition for the Regions `regions` (const char*) of the scope:
 * NULL when they are all of them, else InREGION or an Fn::Or of those. */
const char *cfn_regions_condition(struct cfn *t, const struct vec *regions);

/* The notification builder's hook: vault `vault` (its AWS name) of the
 * Regions of `cond` notifies topic `topic_id` as notification `n` says. */
void cfn_vault_topic(struct cfn *t, const char *cond, const char *vault, const struct cJSON *n,
                     const char *topic_id);

/* Adds one line (fmt with %s = arg) to the template's
 * Metadata.obc.not_in_template, once. */
void cfn_manual(struct cfn *t, const char *fmt, const char *arg);
/* Parameter HomeRegion and condition InHomeRegion; returns its name. */
const char *cfn_home_condition(struct cfn *t);

/* emit_cfn_iam.c: an iam_roles[] entry of the scope; a keys[] entry the
 * scope's account holds by alias (records its logical id in key_ids). */
void cfn_role(struct cfn *t, const struct cJSON *r);
void cfn_key(struct cfn *t, const struct cJSON *k);

/* emit_cfn_extras.c: the builders of the regional entries other than
 * vaults; each gets one entry of regions[].<field> and the condition
 * and id suffix of the Regions it stands for. */
void cfn_topics(struct cfn *t); /* before the notifications */
void cfn_notification(struct cfn *t, const struct cJSON *n, const char *cond, const char *suffix);
void cfn_restore_testing_plan(struct cfn *t, const struct cJSON *p, const char *cond, const char *suffix);
void cfn_audit_framework(struct cfn *t, const struct cJSON *f, const char *cond, const char *suffix);

#endif /* OBC_EMIT_CFN_H */
