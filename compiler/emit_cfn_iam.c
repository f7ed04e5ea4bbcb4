/*
 * emit_cfn_iam.c - the IAM roles and KMS keys of a CloudFormation template
 * (docs/deploy.md, "CloudFormation"): AWS::IAM::Role per named role of the
 * members entry (in the HomeRegion only), and AWS::KMS::Key with its key
 * policy and AWS::KMS::Alias per key the scope's account holds by alias.
 * A key policy names each role through its account's root and the
 * condition aws:PrincipalArn, since a key policy may only name principals
 * that exist and these roles may not yet. Made from the manifest only.
 */
#include "emit_cfn.h"

#include <cjson/cJSON.h>
#include <string.h>

#define MEMBERS "$account"

/* An IAM role of the members entry: RoleName, Path, the trust of its
 * service principal, its managed policies; in the HomeRegion only. */
void cfn_role(struct cfn *t, const cJSON *r)
{
    const char *name = json_string_at(r, "name"), *trusts = json_string_at(r, "trusts"), *arn = json_string_at(r, "arn");
    if (!name || !arn)
        return;
    if (!strstr(arn, t->account)) {
        cfn_manual(t, "IAM role %s is in another account: it is not created here", name);
        return;
    }
    if (!trusts) {
        cfn_manual(t, "IAM role %s names no service it trusts: create it by hand", name);
        return;
    }
    if (strmap_put_new(&t->cc->arena, &t->role_names, name, (void *)name))
        return; /* IAM role names are unique in an account, whatever the path */
    const char *decl = json_string_at(r, "declaration");
    const char *cond = cfn_home_condition(t);
    const char *id = cfn_id(t, "Role", decl ? decl : name, NULL);
    cJSON *p = cfn_resource(t, id, "AWS::IAM::Role", cond);
    json_add_string(&t->d, p, "RoleName", name);
    if (json_string_at(r, "path"))
        json_add_string(&t->d, p, "Path", json_string_at(r, "path"));
    cJSON *doc = json_add_object(&t->d, p, "AssumeRolePolicyDocument");
    json_add_string(&t->d, doc, "Version", "2012-10-17");
    cJSON *st = json_add_object(&t->d, json_add_array(&t->d, doc, "Statement"), NULL);
    json_add_string(&t->d, st, "Effect", "Allow");
    json_add_string(&t->d, json_add_object(&t->d, st, "Principal"), "Service", trusts);
    json_add_string(&t->d, st, "Action", "sts:AssumeRole");
    const cJSON *mp = cJSON_GetObjectItemCaseSensitive(r, "managed_policies");
    if (cJSON_GetArraySize(mp) > 0)
        cfn_put_value(t, p, "ManagedPolicyArns", mp);
    cfn_output_getatt(t, arena_printf(&t->cc->arena, "%sArn", id), id, "Arn", cond);
}

/* "arn:PARTITION:iam::ACCOUNT:" + "root" from a principal's ARN. */
static const char *account_root(struct cfn *t, const char *principal)
{
    const char *iam = strstr(principal, ":iam::");
    const char *end = iam ? strchr(iam + 6, ':') : NULL;
    if (!end)
        return principal;
    return arena_printf(&t->cc->arena, "%.*sroot", (int)(end + 1 - principal), principal);
}

/* One statement of a created key's policy. A principal that may not exist
 * when the key is created (a role of another account, of this template,
 * the service-linked role AWS Backup creates later) is its account's root
 * with condition aws:PrincipalArn; a principal of every member account
 * (for a key of a named account) is any principal of the organization. */
static void put_key_statement(struct cfn *t, cJSON *stmts, const cJSON *s)
{
    const char *principal = json_string_at(s, "principal"), *sid = json_string_at(s, "sid");
    const char *acct = json_string_at(s, "account");
    if (!principal || !sid || !acct)
        return;
    cJSON *st = json_add_object(&t->d, stmts, NULL);
    json_add_string(&t->d, st, "Sid", sid);
    json_add_string(&t->d, st, "Effect", "Allow");
    cJSON *pr = json_add_object(&t->d, st, "Principal");
    bool root = strlen(principal) > 5 && strcmp(principal + strlen(principal) - 5, ":root") == 0;
    bool every_member = strcmp(acct, MEMBERS) == 0 && strcmp(t->account, MEMBERS) != 0;
    if (every_member)
        json_add_string(&t->d, pr, "AWS", "*");
    else
        cfn_put_str(t, pr, "AWS", root ? principal : account_root(t, principal));
    cfn_put_value(t, st, "Action", cJSON_GetObjectItemCaseSensitive(s, "actions"));
    json_add_string(&t->d, st, "Resource", "*");
    if (!every_member && root)
        return;
    cJSON *c = json_add_object(&t->d, st, "Condition");
    if (every_member) {
        cfn_put_str(t, json_add_object(&t->d, c, "StringEquals"), "aws:PrincipalOrgID", "$organization_id");
        if (!root) {
            struct strbuf b = {0};
            for (const char *p = principal; *p;) {
                if (strncmp(p, MEMBERS, strlen(MEMBERS)) == 0) {
                    sb_puts(&t->cc->arena, &b, "*");
                    p += strlen(MEMBERS);
                } else {
                    sb_putn(&t->cc->arena, &b, p++, 1);
                }
            }
            cfn_put_str(t, json_add_object(&t->d, c, "ArnLike"), "aws:PrincipalArn", sb_str(&t->cc->arena, &b));
        }
        return;
    }
    cfn_put_str(t, json_add_object(&t->d, c, "ArnLike"), "aws:PrincipalArn", principal);
}

/* A key the scope's account holds and the program declares by alias:
 * AWS::KMS::Key with its policy and AWS::KMS::Alias, in its Regions. */
void cfn_key(struct cfn *t, const cJSON *k)
{
    const char *name = json_string_at(k, "name"), *alias = json_string_at(k, "alias");
    struct vec regions = {0};
    const cJSON *kr = cJSON_GetObjectItemCaseSensitive(k, "regions");
    for (size_t i = 0; i < t->regions.len; i++) {
        const char *r = VEC_GET(const char, t->regions, i);
        const cJSON *x;
        cJSON_ArrayForEach(x, kr) if (cJSON_IsString(x) && strcmp(x->valuestring, r) == 0)
            vec_push(&t->cc->arena, &regions, (void *)r);
    }
    if (!regions.len)
        return;
    const char *cond = cfn_regions_condition(t, &regions);
    const char *id = cfn_id(t, "Key", name, NULL);
    strmap_put_new(&t->cc->arena, &t->key_ids, name, (void *)id);
    t->region = NULL;
    cJSON *p = cfn_resource(t, id, "AWS::KMS::Key", cond);
    json_add_string(&t->d, p, "Description", arena_printf(&t->cc->arena, "obc key %s (%s)", name, alias));
    json_add_bool(&t->d, p, "EnableKeyRotation", true);
    cJSON *pol = json_add_object(&t->d, p, "KeyPolicy");
    json_add_string(&t->d, pol, "Version", "2012-10-17");
    cJSON *stmts = json_add_array(&t->d, pol, "Statement");
    cJSON *st = json_add_object(&t->d, stmts, NULL);
    json_add_string(&t->d, st, "Sid", "Enable IAM User Permissions");
    json_add_string(&t->d, st, "Effect", "Allow");
    cfn_put_str(t, json_add_object(&t->d, st, "Principal"), "AWS", "arn:aws:iam::$account:root");
    json_add_string(&t->d, st, "Action", "kms:*");
    json_add_string(&t->d, st, "Resource", "*");
    struct strmap sids = {0};
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(k, "statements")) {
        const char *sid = json_string_at(s, "sid");
        if (sid && !strmap_put_new(&t->cc->arena, &sids, sid, (void *)sid))
            put_key_statement(t, stmts, s);
    }
    const char *aid = cfn_id(t, "KeyAlias", name, NULL);
    cJSON *ap = cfn_resource(t, aid, "AWS::KMS::Alias", cond);
    json_add_string(&t->d, ap, "AliasName", alias);
    cfn_put_ref(t, ap, "TargetKeyId", id);
    cfn_output_getatt(t, arena_printf(&t->cc->arena, "%sArn", id), id, "Arn", cond);
}
