/*
 * schema.c - the shape of every block kind: which attributes it takes,
 * of which type, which are required, and which blocks nest inside it.
 * This is the language's definition of blocks (docs/language.md); the
 * generic checks in sema_block.c and the lowering in lower_*.c read it.
 *
 * Keep in sync with docs/language.md (the attribute tables).
 */
#include "sema.h"

#include <string.h>

#define REQ ATTR_REQUIRED
#define PRINCIPAL_KINDS (KIND(DK_ACCOUNT) | KIND(DK_BUILTIN))
#define TARGET_KINDS (KIND(DK_ROOT) | KIND(DK_OU) | KIND(DK_ACCOUNT))

/* Keep in sync with lower_lock (lower_keyvault.c), which maps index 1 to LOCK_GOVERNANCE. */
static const char *const lock_modes[] = {"compliance", "governance", NULL};

static const struct attr_spec organization_attrs[] = {
    {"id", VT_STRING, 0, 0, NULL, "the organization id, \"o-...\""},
    {"management", VT_REF, KIND(DK_ACCOUNT), 0, NULL, "the management account"},
    {"regions", VT_REFS, KIND(DK_REGION), 0, NULL, "default regions for plans"},
};

static const struct attr_spec key_attrs[] = {
    {"arn", VT_STRING, 0, 0, NULL, "the key ARN, \"arn:aws:kms:REGION:ACCOUNT:key/ID\""},
    {"alias", VT_STRING, 0, 0, NULL, "an alias, \"alias/NAME\", for a key each owner holds"},
    {"owner", VT_PRINCIPAL, PRINCIPAL_KINDS, 0, NULL, "the account that holds the key, or members"},
    {"region", VT_REFS, KIND(DK_REGION), 0, NULL, "the region or regions of the key"},
    {"grants", VT_GRANTS, KIND(DK_PERMISSIONS), 0, NULL, "the permission set its key policy grants"},
    {"aws_managed", VT_BOOL, 0, 0, NULL, "true for an AWS managed key"},
    {"grant_to", VT_PRINCIPALS, PRINCIPAL_KINDS, 0, NULL,
     "other accounts its key policy lets use it: organization, members or accounts"},
};

static const struct attr_spec vault_attrs[] = {
    {"name", VT_STRING, 0, 0, NULL, "the AWS vault name"},
    {"owner", VT_PRINCIPAL, PRINCIPAL_KINDS, 0, NULL, "the account that holds the vault, or members"},
    {"region", VT_REFS, KIND(DK_REGION), 0, NULL, "the region or regions of the vault"},
    {"key", VT_REF, KIND(DK_KEY), 0, NULL, "the KMS key that encrypts it"},
    {"accept_copies_from", VT_PRINCIPALS, PRINCIPAL_KINDS, 0, NULL,
     "who may copy into it: organization, members or accounts"},
};

static const struct attr_spec lock_attrs[] = {
    {"mode", VT_ENUM, 0, REQ, lock_modes, "compliance or governance"},
    {"min_retention", VT_DAYS, 0, 0, NULL, "the shortest retention allowed"},
    {"max_retention", VT_DAYS, 0, 0, NULL, "the longest retention allowed"},
    {"grace", VT_DAYS, 0, 0, NULL, "days before a compliance lock becomes immutable"},
};

static const struct attr_spec selection_attrs[] = {
    {"role", VT_ROLE, KIND(DK_ROLE), REQ, NULL, "the IAM role that backs the resources up"},
    {"match", VT_MATCH, 0, REQ, NULL, "which resources: tag(\"K\") == \"V\", type in [...]"},
};

static const struct attr_spec plan_attrs[] = {
    {"regions", VT_REFS, KIND(DK_REGION), 0, NULL, "the regions the plan runs in"},
    {"select", VT_REFS, KIND(DK_SELECTION), REQ, NULL, "the selections it backs up"},
    {"windows_vss", VT_BOOL, 0, 0, NULL, "Windows VSS for EC2"},
    {"backup_acls", VT_BOOL, 0, 0, NULL, "back up S3 ACLs"},
    {"backup_object_tags", VT_BOOL, 0, 0, NULL, "back up S3 object tags"},
    {"tags", VT_TAGMAP, 0, 0, NULL, "tags on the backup plan"},
};

static const struct attr_spec rule_attrs[] = {
    {"schedule", VT_SCHEDULE, 0, REQ, NULL, "when it runs: daily at 05:00, cron(\"...\")"},
    {"start_within", VT_MINUTES, 0, 0, NULL, "start window"},
    {"complete_within", VT_MINUTES, 0, 0, NULL, "completion window"},
    {"vault", VT_REF, KIND(DK_VAULT), REQ, NULL, "the target vault"},
    {"continuous", VT_BOOL, 0, 0, NULL, "continuous backup (point-in-time recovery)"},
    {"delete_after", VT_DAYS, 0, 0, NULL, "retention"},
    {"cold_after", VT_DAYS, 0, 0, NULL, "move to cold storage after"},
    {"archive", VT_BOOL, 0, 0, NULL, "opt in to the archive tier"},
    {"tags", VT_TAGMAP, 0, 0, NULL, "tags on the recovery points"},
    {"timezone", VT_STRING, 0, 0, NULL, "not supported: backup policies are UTC"},
};

static const struct attr_spec copy_attrs[] = {
    {"delete_after", VT_DAYS, 0, 0, NULL, "retention of the copy"},
    {"cold_after", VT_DAYS, 0, 0, NULL, "move the copy to cold storage after"},
    {"archive", VT_BOOL, 0, 0, NULL, "opt in to the archive tier"},
};

static const struct attr_spec policy_attrs[] = {
    {"plans", VT_REFS, KIND(DK_PLAN), REQ, NULL, "the plans in the document"},
    {"attach", VT_REFS, TARGET_KINDS, 0, NULL, "roots, OUs and accounts it is attached to"},
    {"description", VT_STRING, 0, 0, NULL, "a description"},
};

static const struct attr_spec partition_attrs[] = {
    {"cross_account_copy", VT_BOOL, 0, 0, NULL, "whether cross-account copy exists"},
};

static const struct attr_spec region_attrs[] = {
    {"partition", VT_REF, KIND(DK_PARTITION), REQ, NULL, "its partition"},
    {"display", VT_STRING, 0, 0, NULL, "its display name"},
    {"opt_in", VT_BOOL, 0, 0, NULL, "whether accounts must enable it"},
};

static const struct attr_spec restype_attrs[] = {
    {"arns", VT_STRINGS, 0, REQ, NULL, "ARN patterns after \"arn:PARTITION:\""},
    {"opt_in_name", VT_STRING, 0, 0, NULL, "its name in region settings"},
    {"continuous_backup", VT_BOOL, 0, 0, NULL, "supports continuous backup"},
    {"cold_storage", VT_BOOL, 0, 0, NULL, "supports cold storage"},
    {"full_management", VT_BOOL, 0, 0, NULL, "fully managed by AWS Backup"},
    {"cross_account_copy", VT_BOOL, 0, 0, NULL, "supports cross-account copy"},
    {"cross_region_copy", VT_BOOL, 0, 0, NULL, "supports cross-region copy"},
    {"cross_account_and_region_copy", VT_BOOL, 0, 0, NULL, "both in one copy action"},
    {"role_policies", VT_STRINGS, 0, 0, NULL, "extra managed policies for the backup role"},
    {"any", VT_BOOL, 0, 0, NULL, "the wildcard type"},
    {"management_preference", VT_BOOL, 0, 0, NULL, "listed in ResourceTypeManagementPreference"},
};

static const struct attr_spec role_attrs[] = {
    {"arn", VT_STRING, 0, 0, NULL, "the role ARN"},
    {"name", VT_STRING, 0, 0, NULL, "the role name (the ARN is built per partition)"},
    {"path", VT_STRING, 0, 0, NULL, "the role path, \"/service-role/\""},
    {"trusts", VT_STRING, 0, 0, NULL, "the service principal it trusts"},
    {"managed_policies", VT_STRINGS, 0, 0, NULL, "managed policies, after \"policy/\""},
};

static const char *const no_children[] = {NULL};
static const char *const vault_children[] = {"lock", NULL};
static const char *const plan_children[] = {"rule", NULL};
static const char *const rule_children[] = {"copy", NULL};

#define N(a) (sizeof(a) / sizeof((a)[0]))
static const struct block_spec blocks[BK_COUNT] = {
    [BK_ORGANIZATION] = {BK_ORGANIZATION, "organization", organization_attrs, N(organization_attrs), no_children, "organization { ... }"},
    [BK_KEY] = {BK_KEY, "key", key_attrs, N(key_attrs), no_children, "key NAME { ... }"},
    [BK_VAULT] = {BK_VAULT, "vault", vault_attrs, N(vault_attrs), vault_children, "vault NAME { ... }"},
    [BK_LOCK] = {BK_LOCK, "lock", lock_attrs, N(lock_attrs), no_children, "lock { ... }"},
    [BK_SELECTION] = {BK_SELECTION, "selection", selection_attrs, N(selection_attrs), no_children, "selection NAME { ... }"},
    [BK_PLAN] = {BK_PLAN, "plan", plan_attrs, N(plan_attrs), plan_children, "plan NAME { ... }"},
    [BK_RULE] = {BK_RULE, "rule", rule_attrs, N(rule_attrs), rule_children, "rule NAME { ... }"},
    [BK_COPY] = {BK_COPY, "copy", copy_attrs, N(copy_attrs), no_children, "copy to VAULT { ... }"},
    [BK_POLICY] = {BK_POLICY, "policy", policy_attrs, N(policy_attrs), no_children, "policy NAME { ... }"},
    [BK_PARTITION] = {BK_PARTITION, "partition", partition_attrs, N(partition_attrs), no_children, "partition NAME { ... }"},
    [BK_REGION] = {BK_REGION, "region", region_attrs, N(region_attrs), no_children, "region NAME { ... }"},
    [BK_RESOURCE_TYPE] = {BK_RESOURCE_TYPE, "resource_type", restype_attrs, N(restype_attrs), no_children, "resource_type NAME { ... }"},
    [BK_ROLE] = {BK_ROLE, "role", role_attrs, N(role_attrs), no_children, "role NAME { ... }"},
};

const struct block_spec *schema_block(enum block_kind k)
{
    return &blocks[k];
}

/* Nested blocks (lock, rule, copy) are not top-level declarations. */
const struct block_spec *schema_block_by_word(const char *word, bool top_level)
{
    for (size_t i = 0; i < BK_COUNT; i++) {
        bool nested = i == BK_LOCK || i == BK_RULE || i == BK_COPY;
        if (nested == top_level)
            continue;
        if (strcmp(blocks[i].word, word) == 0)
            return &blocks[i];
    }
    return NULL;
}

int schema_attr_index(const struct block_spec *spec, const char *name)
{
    for (size_t i = 0; i < spec->nattrs; i++)
        if (strcmp(spec->attrs[i].name, name) == 0)
            return (int)i;
    return -1;
}
