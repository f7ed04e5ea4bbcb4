/*
 * check_scan.c - malware scanning and backup indexing (OB5020-OB5023).
 * Source: backup-policy-spec.md 1.3 and 1.6 [S1, B1, B6].
 *
 * Owns: which resource types a plan's scan_types and a rule's index may
 * name (those the standard library gives a scan_name or an index_name:
 * the values of scan_settings and index_actions resource_types), the
 * ALL that the policy syntax lists for scans but the API enum lacks, the
 * one index resource type per rule of the API against the two of the
 * policy examples, and that a rule that scans has scan settings in its
 * plan. Both sides of a disagreement between AWS pages are warnings.
 */
#include "checks.h"

/* OB5020: a type with no name in scan_settings or index_actions. */
static void check_supported(struct obc *cc, const struct vec *types, struct loc at, bool scan)
{
    for (size_t i = 0; i < types->len; i++) {
        const struct ir_restype *t = VEC_GET(const struct ir_restype, *types, i);
        if (scan ? t->scan_name != NULL : t->index_name != NULL)
            continue;
        struct diag *d = diag_emit(cc, OB5020, at, "%s cannot %s resource type '%s'",
                                   scan ? "malware scanning (GuardDuty)" : "backup indexing",
                                   scan ? "scan" : "index", t->d.name);
        diag_help(cc, d, scan ? "scan_types takes ebs, ec2, s3 or any (EBS, EC2, S3, ALL): remove '%s'"
                              : "index takes ebs or s3 (EBS, S3): remove '%s'", t->d.name);
    }
}

/* OB5021: ALL is in the Organizations syntax, not in ScanResourceType. */
static void check_all(struct obc *cc, const struct ir_plan *p)
{
    for (size_t i = 0; i < p->scan_types.len; i++) {
        const struct ir_restype *t = VEC_GET(const struct ir_restype, p->scan_types, i);
        if (!t->is_any || !t->scan_name)
            continue;
        struct diag *d = diag_emit(cc, OB5021, p->scan_types_at.loc, "scan_types of plan '%s' has '%s' (%s): the "
                                   "backup policy syntax lists it, but the AWS Backup API's ScanResourceType is only "
                                   "EBS, EC2 and S3", p->d.name, t->d.name, t->scan_name);
        diag_help(cc, d, "to be safe with both, list the types: scan_types = [ebs, ec2, s3]");
        return;
    }
}

/* OB5022: "Only 1 resource type will be accepted for each BackupRule" [B1];
 * every policy example indexes EBS and S3 in one rule [S1]. */
static void check_index_count(struct obc *cc, const struct ir_rule *r)
{
    if (r->index_at.state != IR_SET || r->index_types.len <= AWS_INDEX_TYPES_PER_RULE)
        return;
    struct diag *d = diag_emit(cc, OB5022, r->index_at.loc, "%s indexes %zu resource types; the AWS Backup API "
                               "accepts one per rule, although the backup policy examples list two",
                               check_rule_words(&cc->arena, r), r->index_types.len);
    diag_help(cc, d, "to be safe with both, index one type per rule: index = [ebs] here and index = [s3] in "
                     "another rule");
}

/* OB5023: scan_actions needs the plan's scan_settings "in order for
 * scanning jobs to start successfully" [S1]. */
static void check_settings(struct obc *cc, const struct ir_plan *p, const struct ir_rule *r)
{
    if (r->scan == SCAN_NONE || p->scan_types_at.state != IR_ABSENT || p->scan_role_at.state != IR_ABSENT ||
        p->partial) /* a partial plan may inherit its scan settings */
        return;
    struct diag *d = diag_emit(cc, OB5023, r->scan_at.loc, "%s scans for malware, but plan '%s' has no scan "
                               "settings, so its scan jobs cannot start", check_rule_words(&cc->arena, r),
                               p->d.name);
    diag_note(cc, d, p->d.name_loc, "plan '%s' is declared here", p->d.name);
    diag_help(cc, d, "add scan_types = [ebs] and scan_role = ROLE (like guardduty_scanner_role from std/aws) to "
                     "plan '%s'", p->d.name);
}

void check_scan(struct obc *cc, struct ir_program *prog)
{
    for (size_t i = 0; i < prog->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, i);
        check_supported(cc, &p->scan_types, p->scan_types_at.loc, true);
        check_all(cc, p);
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            check_supported(cc, &r->index_types, r->index_at.loc, false);
            check_index_count(cc, r);
            check_settings(cc, p, r);
        }
    }
}
