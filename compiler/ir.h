/*
 * ir.h - the policy IR: what the program means, independent of syntax.
 * Checks and emitters work on this, never on the AST. Also the facts
 * derived from it that several later layers share: ir_facts.c (owners,
 * regions, receivers), ir_arns.c (ARNs and regions as a policy names
 * them), ir_org.c (the organization tree), key_users.c (who uses each
 * KMS key), cron.c (schedules).
 */
#ifndef OBC_IR_H
#define OBC_IR_H

#include "base.h"

/* AWS quotas and limits (aws_limits.def): AWS_POLICY_MAX_CHARS, ... */
enum aws_limit {
#define AWS_LIMIT(name, value, sources, what) name = value,
#include "aws_limits.def"
#undef AWS_LIMIT
};

/* ------------------------------------------------------------------ */
/* The policy IR: what the program means, independent of syntax.
 * Checks and emitters work on this, never on the AST.                 */

enum decl_kind {
    DK_ACCOUNT, DK_OU, DK_ROOT, DK_PARTITION, DK_REGION, DK_RESOURCE_TYPE,
    DK_PERMISSIONS, DK_ROLE, DK_KEY, DK_VAULT, DK_SELECTION, DK_PLAN, DK_POLICY,
    DK_EVENT, DK_NOTIFY, DK_RESTORE_TEST, DK_AUDIT_CONTROL, DK_AUDIT_FRAMEWORK,
    DK_BUILTIN, /* members, organization */
    DK_COUNT
};
#define KIND(k) (1u << (k)) /* sets of kinds, for resolution */
const char *decl_kind_name(enum decl_kind k);    /* "vault" */
const char *decl_kind_article(enum decl_kind k); /* "a vault" */
const char *kinds_describe(struct arena *a, unsigned kinds); /* "a root, an OU or an account" */

/* The common head of every named declaration. */
struct ir_decl {
    enum decl_kind kind;
    const char *name;
    struct loc loc;       /* the whole declaration */
    struct loc name_loc;  /* its name */
    bool used;            /* referenced from somewhere */
    bool from_stdlib;
    bool implicit;        /* made by ir_decl_implicit(): not written in the program */
    struct src_file *file;
    struct ir_decl *same_name; /* next declaration of another kind with this name */
};
/* The head of a declaration the program does not write, named where it
 * is first met (`loc`) and used there: an account known only by its id,
 * a vault a policy document names. */
struct ir_decl ir_decl_implicit(enum decl_kind kind, const char *name, struct loc loc);

/* What became of a value the program may write: not written (ABSENT),
 * read into the IR (SET), or written but rejected by sema with an error
 * (REJECTED; the IR then holds no value). Checks judge only SET values
 * and stay quiet about REJECTED ones, whose error is already reported. */
enum ir_state { IR_ABSENT, IR_SET, IR_REJECTED };

/* An attribute whose value lives in other fields (a list, a reference):
 * its state and where it was written. */
struct ir_attr {
    enum ir_state state;
    struct loc loc;
};

/* Scalar values with their state and the place they were written. */
struct ir_num {
    int64_t v;
    struct loc loc;
    enum ir_state state;
};
struct ir_flag {
    bool v;
    struct loc loc;
    enum ir_state state;
};
struct ir_text {
    const char *s; /* NULL unless SET */
    struct loc loc;
    enum ir_state state;
};

/* The organization tree (docs/inheritance.md): where an OU or an account
 * sits. `parent` is a root, an OU, or NULL when the program does not say
 * (then the program's only root, if it declares exactly one: ir_org.c). */
struct ir_account {
    struct ir_decl d;
    const char *id; /* 12 digits */
    struct ir_attr id_at;
    struct ir_decl *parent;
    struct ir_attr parent_at;
};
struct ir_ou {
    struct ir_decl d;
    const char *id;
    struct ir_attr id_at;
    struct ir_decl *parent;
    struct ir_attr parent_at;
};
struct ir_root {
    struct ir_decl d;
    const char *id;
    struct ir_attr id_at;
};

struct ir_partition {
    struct ir_decl d;
    bool cross_account_copy; /* false in aws-cn */
};

struct ir_region {
    struct ir_decl d;
    struct ir_partition *partition;
    bool opt_in;             /* must be enabled per account */
    const char *display;     /* "Europe (Frankfurt)" */
    bool no_air_gapped_vaults; /* air_gapped_vaults = false */
};

struct ir_restype {
    struct ir_decl d;
    struct vec arns;          /* const char*: ARN patterns after "arn:<partition>:", or "*" */
    struct vec role_policies; /* const char*: extra managed policies the backup role needs
                                 ("AWSBackupServiceRolePolicyForS3Backup") */
    const char *opt_in_name;  /* region-settings name ("RDS"); NULL for any */
    const char *scan_name;    /* scan_settings resource type ("EBS", "ALL"); NULL: not scanned */
    const char *index_name;   /* index_actions resource type ("EBS"); NULL: not indexed */
    const char *restore_test_name; /* ProtectedResourceType of restore testing ("EBS"); NULL: not tested */
    const char *audit_name;   /* ComplianceResourceTypes of an audit control's scope ("EBS") */
    struct vec index_role_policies; /* const char*: managed policies the backup role needs to index it */
    bool continuous;          /* continuous backup (PITR) */
    bool cold_storage;
    bool cold_monthly_only;   /* cold storage only for monthly or rarer backups (EBS) */
    bool full_management;     /* independent encryption with the vault key */
    bool cross_account_copy;
    bool cross_region_copy;
    bool opt_in_cross_account_copy; /* the same where an opt-in region is involved */
    bool opt_in_cross_region_copy;
    bool is_any;              /* the wildcard type `any` */
    bool management_preference; /* has a ResourceTypeManagementPreference setting */
    bool no_air_gapped_cross_region_copy; /* air_gapped_cross_region_copy = false */
};

struct ir_permissions {
    struct ir_decl d;
    struct vec actions; /* const char*: "kms:Decrypt" */
};

struct ir_role {
    struct ir_decl d;            /* inline roles (role "arn:...") have name NULL */
    struct ir_text arn;          /* explicit ARN, may contain $account; or NULL */
    const char *role_name;       /* with path: ARN built per partition */
    const char *path;            /* "/service-role/" or "/" */
    struct vec managed_policies; /* const char*: paths after "policy/" */
    const char *trusts;          /* service principal as written; NULL: the AWS Backup
                                    service principal (service_linked_role->trusts) */
};

enum principal_kind { PRIN_NONE, PRIN_MEMBERS, PRIN_ORGANIZATION, PRIN_ACCOUNT };
struct ir_principal {
    enum principal_kind kind;
    struct ir_account *account; /* PRIN_ACCOUNT */
    struct loc loc;
};

struct ir_key {
    struct ir_decl d;
    struct ir_text arn;
    struct ir_text alias;
    struct ir_principal owner;   /* from `owner`, or the ARN's account */
    const char *account_id;      /* from the ARN (may be NULL) */
    struct ir_region *region;    /* from the ARN (may be NULL) */
    struct vec regions;          /* struct ir_region*: from `region` */
    struct ir_attr regions_at;
    bool multi_region;           /* ARN key id starts with mrk- */
    bool aws_managed;            /* an AWS managed key (aws/backup) */
    struct ir_permissions *grants; /* named or anonymous permission set */
    struct ir_attr grants_at;
    struct vec grant_to;         /* struct ir_principal*: other accounts its key policy
                                    lets use it (its own account always can) */
    struct ir_attr grant_to_at;
    struct vec encrypts;         /* struct ir_restype*: as a source key, the types whose
                                    resources it encrypts; empty: every type */
    struct ir_attr encrypts_at;
};

enum lock_mode { LOCK_GOVERNANCE, LOCK_COMPLIANCE };
struct ir_lock {
    struct loc loc;
    enum lock_mode mode;
    struct ir_attr mode_at;
    struct ir_num min_retention; /* days */
    struct ir_num max_retention; /* days */
    struct ir_num grace;         /* days (changeable_for_days) */
    bool air_gapped;             /* the retention range of a logically air-gapped vault
                                    (MinRetentionDays, MaxRetentionDays of
                                    CreateLogicallyAirGappedBackupVault), always in
                                    compliance mode: no mode, no grace */
};

struct ir_vault {
    struct ir_decl d;
    struct ir_text aws_name;     /* defaults to the declared name */
    struct ir_principal owner;   /* default: members */
    struct vec regions;          /* struct ir_region*; empty = every plan region */
    struct ir_attr regions_at;
    struct ir_key *key;          /* NULL: the AWS managed aws/backup key */
    struct ir_attr key_at;
    struct ir_lock *lock;        /* NULL: unlocked */
    struct vec accept_from;      /* struct ir_principal* */
    struct ir_attr accept_at;
    bool air_gapped;             /* type = logically_air_gapped: its min_retention and
                                    max_retention are in `lock` (lock->air_gapped) */
    struct ir_attr type_at;
    struct vec share_with;       /* struct ir_principal*: AWS RAM shares (air-gapped) */
    struct ir_attr share_at;
    bool external;               /* `external = true`, or named by a policy document:
                                    created and configured outside the program, so its
                                    key, lock, access policy and (air-gapped) retention
                                    range are unknown: key and lock are NULL and mean
                                    nothing, and checks that judge them stay quiet */
    struct ir_attr external_at;
};

/* ------------------------------------------------------------------ */
/* Inheritance operators (docs/inheritance.md, spec 2.1 [S2]).
 * A multi-valued setting (plan regions, a selection entry's tag_value,
 * resource_types and not_resource_types, index_actions and scan_settings
 * resource_types) is written with one value-setting operator; every other
 * setting is @@assign. The default (0) is @@assign. */
enum ir_list_op { IR_OP_ASSIGN, IR_OP_APPEND, IR_OP_REMOVE };
/* @@operators_allowed_for_child_policies: the operators policies below
 * may use at one node. A set of IR_CHILD_* bits; 0 is ["@@none"]. */
#define IR_CHILD_ASSIGN 1u
#define IR_CHILD_APPEND 2u
#define IR_CHILD_REMOVE 4u
#define IR_CHILD_ALL (IR_CHILD_ASSIGN | IR_CHILD_APPEND | IR_CHILD_REMOVE)
struct ir_control {
    struct vec path;   /* const char*: document keys from the node of the holder
                          (a policy: the document root; a plan: plans.NAME; a rule:
                          rules.NAME; a copy: copy_actions.ARN; a selection: each of its
                          entries) down to the controlled node; empty: that node */
    unsigned allowed;  /* IR_CHILD_* bits; 0: ["@@none"] */
    bool all;          /* written ["@@all"] (allowed is then IR_CHILD_ALL) */
    struct loc loc;    /* where it is written */
};

/* ir_paths.c: policy_paths.def, where blocks and attributes sit in a
 * document. `block` is a block's word ("plan", "rule", ...). */
/* The node block `block` emits ("rules.NAME"), or NULL when it emits none. */
const char *policy_node_of(const char *block);
/* The path ("lifecycle/delete_after_days") of `children name` in `block`,
 * or NULL; name "" is `children` alone: NULL when that is the block's
 * node itself. */
const char *policy_path_of(const char *block, const char *name);
/* The names `children NAME` takes in `block` (up to max, table order). */
size_t policy_path_names(const char *block, const char **out, size_t max);
/* Appends the keys of a path ("a/b") to out (const char*). */
void policy_path_split(struct arena *a, const char *path, struct vec *out);
/* The other way: the name `children NAME` gives the node at `path`
 * (document keys, const char*) under `block`'s node: "" for the node
 * itself (or for a policy, "plans"), the first row's name, or NULL when
 * no row names it. */
const char *policy_name_of_path(struct arena *a, const char *block, const struct vec *path);
/* The set an @@operators_allowed_for_child_policies array names
 * (`names`: its strings, NULL for an item that is none): IR_CHILD_* bits
 * and whether it is ["@@all"]. False when it is malformed (empty, an
 * unknown name, @@none or @@all with others). */
bool control_parse(const char *const *names, size_t n, unsigned *allowed, bool *all);

enum cond_op { COND_EQUALS, COND_NOT_EQUALS, COND_LIKE, COND_NOT_LIKE };
struct ir_condition {
    enum cond_op op;
    const char *tag_key;
    const char *value;
    struct loc loc;
};

struct ir_sel_entry {
    const char *name;          /* stable, derived from the selection name */
    bool resources;            /* selections.resources (else .tags) */
    const char *tag_key;       /* tags entry */
    struct vec tag_values;     /* const char* */
    struct vec types;          /* struct ir_restype*: resource_types */
    struct vec not_types;      /* struct ir_restype*: not_resource_types */
    struct vec type_arns;      /* const char*: resource_types as a policy document wrote
                                  them (its partition's spelling); empty: the types'
                                  patterns */
    struct vec not_type_arns;  /* the same for not_resource_types */
    struct vec conditions;     /* struct ir_condition* */
    enum ir_list_op tag_values_op, types_op, not_types_op; /* their operators */
    struct loc loc;            /* the and-group in the match expression */
    struct ir_tag_reqs *tag_reqs; /* ir_overlap.c's cache; NULL until first used */
};

struct ir_selection {
    struct ir_decl d;
    struct ir_text aws_name;   /* `name`; the entries are named after it */
    struct ir_role *role;
    struct ir_attr role_at;
    struct vec entries;   /* struct ir_sel_entry* */
    struct ir_attr match_at;
    struct vec source_keys;  /* struct ir_key*: keys that encrypt the selected resources
                                (spec 6.1: types without full management keep them) */
    struct ir_attr source_keys_at;
    struct vec controls;     /* struct ir_control*: on each of its entries */
};

struct ir_tag {
    const char *key;
    const char *value;
    struct loc loc;
};

struct ir_lifecycle {
    struct ir_num delete_after;  /* days */
    struct ir_num cold_after;    /* days */
    struct ir_flag archive;
};

struct ir_copy {
    struct loc loc;
    struct ir_vault *target;
    struct loc target_loc;
    const char *written_arn;     /* the target ARN as a policy document wrote it ($region
                                    kept); NULL: built from the target vault */
    struct ir_lifecycle lc;
    struct vec controls;         /* struct ir_control*: from copy_actions.ARN */
};

struct cron; /* cron.c */
struct ir_plan;
struct ir_rule {
    const char *name;
    struct ir_text aws_name;    /* `name`: its key in the policy */
    struct loc loc;
    struct loc name_loc;
    struct ir_plan *plan;
    const char *cron;           /* "cron(50 5 ? * * *)" */
    struct cron *cronv;         /* parsed form, for overlap checks */
    struct ir_attr schedule_at;
    struct ir_num start_within;    /* minutes */
    struct ir_num complete_within; /* minutes */
    struct ir_vault *vault;
    struct ir_attr vault_at;
    struct ir_flag continuous;
    struct ir_lifecycle lc;
    struct vec tags;            /* struct ir_tag*: recovery_point_tags */
    struct ir_attr tags_at;
    struct vec copies;          /* struct ir_copy* */
    struct ir_vault *air_gapped_vault; /* target_logically_air_gapped_backup_vault_arn */
    struct ir_attr air_gapped_at;
    enum scan_mode { SCAN_NONE, SCAN_FULL, SCAN_INCREMENTAL } scan; /* scan_actions.GUARDDUTY */
    struct ir_attr scan_at;
    struct vec index_types;     /* struct ir_restype*: index_actions.resource_types */
    struct ir_attr index_at;
    enum ir_list_op index_op;
    struct vec controls;        /* struct ir_control*: from rules.NAME */
};

struct ir_plan {
    struct ir_decl d;
    struct ir_text aws_name;    /* `name`: its key in the policy */
    struct vec regions;         /* struct ir_region* */
    struct ir_attr regions_at;
    bool regions_from_org;      /* inherited from organization.regions */
    struct vec selections;      /* struct ir_selection* */
    struct ir_attr select_at;
    struct ir_flag windows_vss;
    struct ir_flag s3_backup_acls;
    struct ir_flag s3_backup_object_tags;
    struct vec tags;            /* struct ir_tag*: backup_plan_tags */
    struct ir_attr tags_at;
    struct vec scan_types;      /* struct ir_restype*: scan_settings.GUARDDUTY.resource_types */
    struct ir_attr scan_types_at;
    struct ir_role *scan_role;  /* scan_settings.GUARDDUTY.scanner_role_arn */
    struct ir_attr scan_role_at;
    struct vec rules;           /* struct ir_rule* */
    struct vec policies;        /* struct ir_policy*: the policies that contain it */
    enum ir_list_op regions_op, scan_types_op;
    bool partial;               /* `partial = true`, or a document's plan that lacks a key a
                                   complete plan has: only what is written is emitted, and
                                   the checks judge it in the effective policies only */
    struct ir_attr partial_at;
    struct vec controls;        /* struct ir_control*: from plans.NAME */
};

enum target_kind { TARGET_ROOT, TARGET_OU, TARGET_ACCOUNT };
struct ir_target {
    enum target_kind kind;
    struct ir_decl *decl;
    const char *id;
    struct loc loc;
};

struct ir_policy {
    struct ir_decl d;
    struct vec plans;           /* struct ir_plan* */
    struct ir_attr plans_at;
    struct vec attach;          /* struct ir_target* */
    struct ir_attr attach_at;
    struct ir_text description;
    bool document;              /* lowered from a policy document: its attachments are unknown */
    struct vec controls;        /* struct ir_control*: from the document root ("plans") */
    struct loc renamed_label;   /* document: the first tag entry id or condition name obc
                                   writes otherwise (file NULL: none); AWS discards them */
};

/* ------------------------------------------------------------------ */
/* Operations around the backups: notifications, restore tests and audit
 * frameworks (docs/language.md, "Operations"). None of them is part of a
 * policy document; the manifest lists them in the regions[] entries of
 * the account that holds them (lower_ops.c, check_ops.c, emit_ops.c). */

/* An AWS Backup job event (std/aws notify.ob): how EventBridge reports
 * it and which vault notification event, if any, carries it. */
struct ir_event {
    struct ir_decl d;
    struct ir_text detail_type;  /* "Backup Job State Change" */
    struct vec states;           /* const char*: "FAILED" */
    const char *state_field;     /* "state" or "status" */
    struct ir_text vault_event;  /* "COPY_JOB_FAILED"; NULL: vault notifications do not */
    bool vault_event_all_outcomes; /* the vault event also reports other outcomes */
};

enum notify_via { NOTIFY_EVENTBRIDGE, NOTIFY_VAULT };
/* An SNS subscription: protocol "email", "https", "sqs" or "lambda". */
struct ir_subscription {
    const char *protocol;
    const char *endpoint;
    struct loc loc;
};
struct ir_notify {
    struct ir_decl d;
    enum notify_via via;
    struct ir_attr via_at;
    struct ir_text topic;
    struct vec events;           /* struct ir_event* */
    struct ir_attr events_at;
    struct vec subscriptions;    /* struct ir_subscription*, in the order written */
    struct vec vaults;           /* struct ir_vault*: via vault */
    struct ir_attr vaults_at;
    struct ir_principal owner;   /* via eventbridge; default members */
    struct vec regions;          /* struct ir_region*; empty: the default */
    struct ir_attr regions_at;
};

enum restore_pick { RESTORE_LATEST, RESTORE_RANDOM };
enum restore_points { POINTS_SNAPSHOT, POINTS_CONTINUOUS, POINTS_BOTH };
/* One restore testing selection (a `test` block). */
struct ir_restore_selection {
    const char *name;
    struct loc name_loc;
    struct ir_text aws_name;
    struct ir_restype *type;
    struct ir_attr type_at;
    struct ir_role *role;
    struct ir_attr role_at;
    struct vec tags;             /* struct ir_tag*: StringEquals */
    struct vec not_tags;         /* struct ir_tag*: StringNotEquals */
    struct ir_attr tags_at, not_tags_at;
    struct ir_num validate_within; /* minutes */
};
struct ir_restore_test {
    struct ir_decl d;
    struct ir_text aws_name;
    const char *cron;            /* "cron(0 3 ? * SUN *)" */
    struct ir_attr schedule_at;
    struct ir_num start_within;  /* minutes */
    struct vec vaults;           /* struct ir_vault* */
    struct ir_attr vaults_at;
    enum restore_pick pick;
    enum restore_points points;
    struct ir_num window;        /* days */
    struct ir_principal owner;   /* default: the first vault's owner */
    struct vec regions;          /* struct ir_region*; empty: the vaults' regions */
    struct ir_attr regions_at;
    struct vec selections;       /* struct ir_restore_selection* */
};

/* An AWS Backup Audit Manager control (std/aws audit.ob). */
struct ir_audit_control {
    struct ir_decl d;
    struct ir_text aws_name;
    struct vec parameters;       /* struct ir_tag*: control attribute -> AWS parameter name */
    struct vec ranges;           /* struct ir_tag*: control attribute -> "MIN-MAX" */
    bool scoped;                 /* takes resource types as its scope */
};
/* A value a `control` block gives one parameter. */
struct ir_control_param {
    const char *attr;            /* "retention" */
    struct ir_num value;         /* days or minutes, as the attribute reads it */
};
struct ir_framework_control {
    struct ir_audit_control *control;
    struct loc loc, name_loc;
    struct vec params;           /* struct ir_control_param*, in schema order */
    struct vec types;            /* struct ir_restype* */
    struct ir_attr types_at;
};
struct ir_audit_framework {
    struct ir_decl d;
    struct ir_text aws_name;
    struct ir_text description;
    struct ir_principal owner;   /* default members */
    struct vec regions;          /* struct ir_region*; empty: the owner's plan regions */
    struct ir_attr regions_at;
    struct vec controls;         /* struct ir_framework_control* */
};

struct ir_org {
    bool declared;
    struct loc loc;
    struct ir_text id;
    struct ir_account *management;
    struct ir_attr management_at;
    struct vec regions;         /* struct ir_region* */
    struct ir_attr regions_at;
};


struct ir_program {
    struct ir_org org;
    struct vec *key_uses_memo; /* key_users.c: key_uses() of this program, made
                                  once for the checks and the manifest */
    /* std permission sets that say what each user of a key needs
     * (stdlib/kms.ob); NULL when the standard library is not imported. */
    struct ir_permissions *need_vault_writer;   /* backup_vault_writer */
    struct ir_permissions *need_copy_source;    /* cross_account_copy_source */
    struct ir_permissions *need_role_key;       /* backup_role_key */
    struct ir_permissions *need_vault_creator;  /* backup_vault_creator */
    /* backup_key_minimum: what AWS documents as the minimum; a missing
     * action of it is an error (OB7001), any other a warning (OB7008). */
    struct ir_permissions *key_minimum;
    /* The std role default_backup_role: its managed policies are the
     * ones every backup role needs (spec 8). NULL without the std. */
    struct ir_role *default_backup_role;
    /* The std role backup_service_linked_role (stdlib/iam.ob): the name,
     * path and managed policy of AWSServiceRoleForBackup, and in `trusts`
     * the AWS Backup service principal. NULL when the standard library is
     * not imported: the manifest then lists no service-linked role, no
     * trusted service and no key-policy principal. */
    struct ir_role *service_linked_role;
    /* The std role guardduty_scanner_role (stdlib/iam.ob): the service
     * principal a plan's scan_role trusts and the managed policy it needs,
     * which the manifest lists for every scan role. NULL without the std. */
    struct ir_role *scanner_role;
    struct vec partitions, regions, restypes, permissions, roles;
    struct vec accounts, ous, roots;
    struct vec keys, vaults, selections, plans, policies;
    struct vec events, notifies, restore_tests, audit_controls, audit_frameworks;
    struct vec imports;         /* struct src_import* */
};


/* ------------------------------------------------------------------ */
/* cron.c: AWS 6-field cron expressions                                */

struct cron {
    uint64_t minutes;     /* bit m: fires at minute m */
    uint32_t hours;       /* bit h */
    uint32_t months;      /* bit 1..12 */
    uint32_t dom;         /* bit 1..31; 0 when day-of-month is '?' */
    bool dom_any;         /* day-of-month is '?' */
    bool dom_last;        /* L: last day of the month */
    int dom_last_offset;  /* L-n (AWS documents no L-n: always 0) */
    int dom_weekday;      /* nW: weekday nearest day n (0 = none) */
    bool dom_last_weekday;/* LW */
    uint8_t dow;          /* bit 1..7 (1 = Sunday); 0 when '?' */
    bool dow_any;         /* day-of-week is '?' */
    int dow_last;         /* nL: last weekday n of the month (0 = none) */
    int dow_nth_day;      /* d#n: weekday d ... */
    int dow_nth;          /* ... the n-th in the month (0 = none) */
    uint64_t years[4];    /* bit y-1970 for 1970..2199 */
    const char *text;     /* the six fields, normalized: single spaces,
                             upper-case names, no leading zeros (arena) */
};

/* Parses the text inside cron(...). On error reports OB3001/OB3002/OB3003
 * at `loc` (narrowed to the bad field when `raw_base` is non-zero: the
 * source offset of the expression's first byte) and returns false. */
bool cron_parse(struct obc *cc, const char *expr, struct loc loc, uint32_t raw_base,
                struct cron *out);
/* Whether the schedule fires on the given date (month 1..12, day 1..31). */
bool cron_fires_on(const struct cron *c, int year, int month, int day);
/* The days of a month it fires on: bit d-1 for day d (cron_fires_on for
 * a whole month at once). */
uint32_t cron_month_days(const struct cron *c, int year, int month);
/* Number of firings per day it can have at most (popcount hours*minutes). */
int cron_firings_per_day(const struct cron *c);
/* Days of a month of the Gregorian calendar (month 1..12). */
int cron_days_in_month(int year, int month);
/* The most times it fires in one calendar month, in any year. */
int cron_max_per_month(const struct cron *c);


/* ------------------------------------------------------------------ */
/* ir_facts.c: facts derived from the IR that several checks and the
 * manifest share. Pure functions. */

/* The account that holds a vault or key: a named account, or members. */
struct ir_principal ir_vault_owner(const struct ir_vault *v);
struct ir_principal ir_key_owner(const struct ir_key *k);
bool ir_same_principal(const struct ir_principal *a, const struct ir_principal *b);
/* A set of principals, for asking whether a long list (grant_to,
 * accept_copies_from) names one in constant time: has() is true when an
 * item is ir_same_principal() with `who`; `organization` and `members`
 * record whether the list names those (`none`: a principal of no kind). Zero-initialized is empty. */
struct ir_principal_set {
    bool organization, members, none;
    struct strmap ids;      /* accounts with an id, by id */
    struct ptrset accounts; /* accounts without one */
};
void ir_principal_set_add(struct arena *a, struct ir_principal_set *s, const struct ir_principal *p);
bool ir_principal_set_has(const struct ir_principal_set *s, const struct ir_principal *who);
/* A copy from `source` to `target` leaves the account it runs in. */
bool ir_copy_cross_account(const struct ir_vault *source, const struct ir_vault *target);
/* The regions each vault must exist in: its own list, else the regions
 * of every plan whose rules target it (struct ir_region*, in order of
 * first appearance, no duplicates). Fills `out` (zero-initialized) for
 * every vault of the program in one pass over the plans and their rules;
 * ir_vault_regions_of() looks one vault up in it. */
void ir_vault_regions(const struct ir_program *prog, struct ptrset *out, struct arena *a);
const struct vec *ir_vault_regions_of(const struct ptrset *map, const struct ir_vault *v);
/* ir_overlap.c: whether two plans may back up the same resource (they
 * share a region and their selections cannot be shown disjoint). */
bool ir_plans_may_share_resources(const struct ir_plan *a, const struct ir_plan *b, struct arena *ar);
/* The tag keys entry `e` requires to equal one of a set of values without
 * a `*` (const char*, in order of first mention), and that set for `key`
 * (const char*, no duplicates; NULL when `key` is not one of them). */
const struct vec *ir_entry_required_keys(const struct ir_sel_entry *e, struct arena *a);
const struct vec *ir_entry_required_values(const struct ir_sel_entry *e, const char *key, struct arena *a);
/* Two resource types select the same resources in a policy: one of them
 * is `any`, or they share an ARN pattern (aurora, documentdb, neptune). */
bool ir_types_share_pattern(const struct ir_restype *a, const struct ir_restype *b);
/* The resource types a plan can back up (struct ir_restype*), and
 * whether it can back up anything (tag-only selections or `any`). */
void ir_plan_types(const struct ir_program *prog, const struct ir_plan *p, struct vec *out,
                   bool *any, struct arena *a);
/* The same for one selection. */
void ir_selection_types(const struct ir_program *prog, const struct ir_selection *sel, struct vec *out,
                        bool *any, struct arena *a);
/* Whether key `k`, named in a selection's source_keys, encrypts resources
 * of type `t` (its `encrypts` list, or every type without one). */
bool ir_key_encrypts(const struct ir_key *k, const struct ir_restype *t);
/* Where a plan runs: one entry per attachment of every policy that
 * contains it (struct ir_receiver*); `who` is the account for an account
 * target and PRIN_MEMBERS for a root or an OU. */
struct ir_receiver {
    struct ir_principal who;
    const struct ir_policy *policy;
    const struct ir_target *target;
};
void ir_plan_receivers(const struct ir_plan *p, struct vec *out, struct arena *a);
/* The receiver one attachment `t` of policy `pol` makes. */
struct ir_receiver *ir_receiver_of(struct arena *a, const struct ir_policy *pol, const struct ir_target *t);
/* The retention a copy ends up with in days: its own delete_after, else
 * the rule's; `forever` is set when neither is given. */
int64_t ir_copy_retention(const struct ir_rule *r, const struct ir_copy *c, bool *forever);
/* The names AWS knows a plan, rule or selection by: its `name`, else
 * the declared name. */
const char *ir_plan_name(const struct ir_plan *p);
const char *ir_rule_name(const struct ir_rule *r);
const char *ir_selection_name(const struct ir_selection *s);
/* The vault is AWS's `Default` vault (by its AWS name), whose key cannot
 * be shared with other accounts. */
bool ir_vault_is_default(const struct ir_vault *v);
/* Two declarations name one AWS vault (per region): the same AWS name,
 * held by the same account (or both by every member). */
bool ir_same_aws_vault(const struct ir_vault *a, const struct ir_vault *b);
/* A region of plan `p` in another partition than the region copy `c`
 * lands in (copies never cross partitions), or NULL. c->target must be
 * set: the checks skip copies whose target sema rejected. */
const struct ir_region *ir_copy_foreign_region(const struct ir_plan *p, const struct ir_copy *c);
/* For a cross-account copy of rule `r`: the partition of one of the
 * plan's regions that has no cross-account copy (aws-cn), or NULL. */
const struct ir_partition *ir_copy_account_barrier(const struct ir_plan *p, const struct ir_rule *r,
                                                   const struct ir_copy *c);
/* Whether sema rejected a value that decides how long rule `r` (and its
 * copy `c`, when not NULL) keeps recovery points: a delete_after, or
 * continuous. Checks of retention stay quiet then. */
bool ir_retention_unknown(const struct ir_rule *r, const struct ir_copy *c);
/* Whether a set number of days lies in 1..36500, the range AWS accepts
 * for delete_after and for a vault lock's min and max retention. */
bool ir_days_valid(const struct ir_num *n);
/* The retention range a vault lock enforces. A bound counts only when it
 * is set and valid, and neither counts when min > max (the lock itself
 * is wrong then: OB4010, OB4016). */
struct ir_lock_range {
    bool has_min, has_max;
    int64_t min, max;
};
struct ir_lock_range ir_lock_range(const struct ir_lock *l);

/* ------------------------------------------------------------------ */
/* ir_org.c: the organization tree the program states (docs/language.md,
 * "Organization tree"). Accounts known only by an id (ir_decl.implicit)
 * sit nowhere. Every walk stops at a cycle's first repeat (OB2020). */

/* The root or OU `d` (an account or an OU) sits in: its stated parent,
 * else the only declared root when the program declares exactly one,
 * else NULL (also for a root, for a parent written but rejected, and for
 * an implicit account). O(1). */
const struct ir_decl *ir_org_parent(const struct ir_program *prog, const struct ir_decl *d);
/* Appends the chain of `account` (an account, OU or root) to `out`
 * (struct ir_decl*): from the top (a root, or the topmost OU known) down
 * to `account` itself. O(its depth). */
void ir_org_chain(const struct ir_program *prog, const struct ir_decl *account, struct vec *out, struct arena *a);
/* Appends every declared account whose chain holds `target` (a root, an
 * OU, or an account: itself) to `out`, in declaration order. Builds the
 * tree for the one question: O(roots + OUs + accounts) per call. */
void ir_org_accounts_under(const struct ir_program *prog, const struct ir_decl *target, struct vec *out,
                           struct arena *a);
/* The same for many targets: the tree (child lists) built once in
 * O(roots + OUs + accounts), then each question in O(k log k) for the k
 * declarations under its target. */
struct ir_org_tree;
struct ir_org_tree *ir_org_tree_build(const struct ir_program *prog, struct arena *a);
void ir_org_tree_accounts_under(const struct ir_org_tree *t, const struct ir_decl *target, struct vec *out,
                                struct arena *a);

/* ------------------------------------------------------------------ */
/* key_users.c: who uses each KMS key, and what they need on it.
 * Shared by the manifest (key-policy statements) and the KMS checks. */

enum key_use_kind {
    KEY_USE_VAULT_WRITE,   /* an account's service-linked role writes into a vault
                              encrypted with the key */
    KEY_USE_COPY_SOURCE,   /* the destination account of a cross-account copy reads a
                              source recovery point encrypted with the key */
    KEY_USE_BACKUP_ROLE,   /* a selection's IAM role runs backup jobs that use the key
                              (of the resources, or of the vault it backs up into) */
    KEY_USE_VAULT_CREATE,  /* the principal that creates a vault of another account
                              than the key's */
};
struct key_use {
    enum key_use_kind kind;
    struct ir_key *key;
    struct ir_principal who;        /* the account (or members) that needs access */
    const char *role;               /* the role that acts: the name of the service-linked
                                       role (AWSServiceRoleForBackup), or words for it
                                       when the std is not imported */
    struct ir_permissions *needs;   /* what it needs (NULL if std not imported) */
    struct ir_vault *vault;         /* the vault involved */
    struct ir_rule *rule;           /* the rule (copies) or NULL */
    const struct ir_copy *copy;     /* the copy (KEY_USE_COPY_SOURCE) or NULL */
    const struct ir_selection *selection; /* KEY_USE_BACKUP_ROLE: whose role; with
                                       resource_key, the selection whose source_keys
                                       name the key (copies too) */
    const struct ir_plan *plan;     /* KEY_USE_BACKUP_ROLE: the plan (its partition) */
    bool resource_key;              /* the key encrypts source resources (source_keys),
                                       not the vault */
    struct loc loc;                 /* where the use comes from */
};
void key_uses(struct obc *cc, const struct ir_program *prog, struct vec *out); /* out starts empty */


/* ------------------------------------------------------------------ */
/* ARNs as they appear in a policy (ir_arns.c). */
/* The partition of region r ("aws" without one, or r NULL). */
const char *ir_region_partition(const struct ir_region *r);
const char *vault_arn(struct arena *a, const struct ir_vault *v, const struct ir_region *region);
/* A rule's target_logically_air_gapped_backup_vault_arn: AWS requires
 * the $region and $account placeholders [S1]. */
const char *air_gapped_vault_arn(struct arena *a, const struct ir_vault *v, const char *partition);
const char *role_arn(struct arena *a, const struct ir_role *r, const char *partition);
const char *restype_arn(struct arena *a, const char *pattern, const char *partition);
const char *plan_partition(const struct ir_plan *p); /* of its first region; "aws" if none */
/* The region a copy action of plan `p` lands in (the region of its
 * vault ARN): the target vault's only region; else the first plan region
 * the target exists in (any plan region when the target names none);
 * else the target's first region. NULL when nothing names a region. */
const struct ir_region *copy_region(const struct ir_plan *p, const struct ir_copy *c);

/* ------------------------------------------------------------------ */
/* aws_ids.c: formats of AWS identifiers (sema reports OB2007) */
bool id_account_ok(const char *s);
bool id_ou_ok(const char *s);
bool id_root_ok(const char *s);
bool id_org_ok(const char *s);
/* Splits an ARN into partition, service, region, account, resource. */
struct arn_parts {
    const char *partition, *service, *region, *account, *resource;
};
bool arn_split(struct arena *a, const char *arn, struct arn_parts *out);

#endif /* OBC_IR_H */
