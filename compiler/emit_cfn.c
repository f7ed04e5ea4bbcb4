/*
 * emit_cfn.c - the CloudFormation templates (docs/deploy.md,
 * "CloudFormation"): obc.members.template.json for every account that
 * receives the policies (a service-managed StackSet deploys it to each of
 * them, in every Region of the members entry) and
 * obc.account.NAME.template.json for each named account of the manifest
 * that has something CloudFormation can create.
 *
 * Owns: the template skeleton, logical ids, Parameters (HomeRegion,
 * OrganizationId), Conditions (one per Region, InHomeRegion), placeholders
 * ($account, $region, $organization_id, the partition of ARNs), the
 * grouping of regional entries by Region, and the vaults. IAM roles and
 * keys are emit_cfn_iam.c; notifications, restore testing plans and
 * audit frameworks emit_cfn_extras.c.
 *
 * Made from the manifest cJSON only (emit_manifest.c): nothing is derived
 * again from the IR. A regional entry (a vault, a notification ...) that
 * is the same in several Regions becomes one resource under the condition
 * of those Regions (none when it is in all of them). Global resources (IAM
 * roles) exist once, in the HomeRegion. What a template cannot do is listed
 * in its Metadata. Deterministic: manifest order everywhere.
 */
#include "emit_cfn.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define MEMBERS "$account"
#define ORG_PARAM "OrganizationId"
#define FN_OR_MAX 10 /* Fn::Or takes 2 to 10 conditions */

static bool cfn_bool(const cJSON *obj, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* ---- logical ids, parameters, conditions ----------------------------- */

static void put_camel(struct cfn *t, struct strbuf *b, const char *s)
{
    bool start = true;
    for (; *s; s++) {
        char c = *s;
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            start = true;
            continue;
        }
        if (start && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        sb_putn(&t->cc->arena, b, &c, 1);
        start = false;
    }
}

const char *cfn_id(struct cfn *t, const char *kind, const char *name, const char *suffix)
{
    struct arena *a = &t->cc->arena;
    struct strbuf b = {0};
    sb_puts(a, &b, kind);
    put_camel(t, &b, name);
    sb_puts(a, &b, suffix ? suffix : "");
    const char *base = sb_str(a, &b);
    const char *id = base;
    for (unsigned n = 2; strmap_get(&t->ids, id); n++)
        id = arena_printf(a, "%s%u", base, n);
    strmap_put_new(a, &t->ids, id, (void *)id);
    return id;
}

static const char *region_suffix(struct cfn *t, const struct vec *regions)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < regions->len; i++)
        put_camel(t, &b, VEC_GET(const char, *regions, i));
    return sb_str(&t->cc->arena, &b);
}

void cfn_put_ref(struct cfn *t, cJSON *parent, const char *key, const char *id)
{
    json_add_string(&t->d, json_add_object(&t->d, parent, key), "Ref", id);
}

void cfn_put_getatt(struct cfn *t, cJSON *parent, const char *key, const char *id, const char *attr)
{
    cJSON *l = json_add_array(&t->d, json_add_object(&t->d, parent, key), "Fn::GetAtt");
    json_add_string(&t->d, l, NULL, id);
    json_add_string(&t->d, l, NULL, attr);
}

/* Fn::Equals [Ref AWS::Region, region] as condition "InREGION". */
static const char *region_condition(struct cfn *t, const char *region)
{
    struct strbuf b = {0};
    sb_puts(&t->cc->arena, &b, "In");
    put_camel(t, &b, region);
    const char *name = sb_str(&t->cc->arena, &b);
    if (!cJSON_GetObjectItemCaseSensitive(t->conds, name)) {
        cJSON *eq = json_add_array(&t->d, json_add_object(&t->d, t->conds, name), "Fn::Equals");
        cfn_put_ref(t, eq, NULL, "AWS::Region");
        json_add_string(&t->d, eq, NULL, region);
    }
    return name;
}

/* Fn::Or of the conditions names[from..n), nested past FN_OR_MAX. */
static void put_or(struct cfn *t, cJSON *parent, const char *key, const char **names, size_t from, size_t n)
{
    cJSON *l = json_add_array(&t->d, json_add_object(&t->d, parent, key), "Fn::Or");
    for (size_t i = from; i < n; i++) {
        if (i - from == FN_OR_MAX - 1 && n - i > 1) {
            put_or(t, l, NULL, names, i, n);
            return;
        }
        json_add_string(&t->d, json_add_object(&t->d, l, NULL), "Condition", names[i]);
    }
}

const char *cfn_regions_condition(struct cfn *t, const struct vec *regions)
{
    if (regions->len == t->regions.len)
        return NULL;
    if (regions->len == 1)
        return region_condition(t, VEC_GET(const char, *regions, 0));
    const char **names = arena_alloc(&t->cc->arena, regions->len * sizeof *names);
    for (size_t i = 0; i < regions->len; i++)
        names[i] = region_condition(t, VEC_GET(const char, *regions, i));
    const char *name = arena_printf(&t->cc->arena, "In%s", region_suffix(t, regions));
    if (!cJSON_GetObjectItemCaseSensitive(t->conds, name))
        put_or(t, t->conds, name, names, 0, regions->len);
    return name;
}

/* Parameter HomeRegion and condition InHomeRegion: where global resources
 * (IAM roles) are created, once per account. */
const char *cfn_home_condition(struct cfn *t)
{
    static const char name[] = "InHomeRegion";
    if (cJSON_GetObjectItemCaseSensitive(t->conds, name))
        return name;
    cJSON *p = json_add_object(&t->d, t->params, "HomeRegion");
    json_add_string(&t->d, p, "Type", "String");
    json_add_string(&t->d, p, "Description",
                    "the one Region of each account where the global resources (IAM roles) are created");
    json_add_string(&t->d, p, "Default", VEC_GET(const char, t->regions, 0));
    json_add_strings(&t->d, p, "AllowedValues", &t->regions);
    cJSON *eq = json_add_array(&t->d, json_add_object(&t->d, t->conds, name), "Fn::Equals");
    cfn_put_ref(t, eq, NULL, "AWS::Region");
    cfn_put_ref(t, eq, NULL, "HomeRegion");
    return name;
}

static void org_parameter(struct cfn *t)
{
    if (cJSON_GetObjectItemCaseSensitive(t->params, ORG_PARAM))
        return;
    cJSON *p = json_add_object(&t->d, t->params, ORG_PARAM);
    json_add_string(&t->d, p, "Type", "String");
    json_add_string(&t->d, p, "Description",
                    "the AWS Organizations id (the program declares no organization { id })");
    json_add_string(&t->d, p, "AllowedPattern", "^o-[a-z0-9]{10,32}$");
}

/* ---- values ------------------------------------------------------------ */

/* Appends s[0..n) with "${" written as "${!" (a literal in Fn::Sub) and
 * the placeholders replaced; sets *sub when one was. */
static void put_sub_text(struct cfn *t, struct strbuf *b, const char *s, size_t n, bool *sub)
{
    struct arena *a = &t->cc->arena;
    static const struct {
        const char *from, *to;
    } ph[] = {{"$account", "${AWS::AccountId}"}, {"$region", "${AWS::Region}"}};
    for (size_t i = 0; i < n;) {
        if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
            sb_puts(a, b, "${!");
            i += 2;
            continue;
        }
        bool done = false;
        for (size_t k = 0; k < sizeof ph / sizeof ph[0] && !done; k++) {
            size_t m = strlen(ph[k].from);
            if (n - i >= m && memcmp(s + i, ph[k].from, m) == 0) {
                sb_puts(a, b, ph[k].to);
                i += m, *sub = true, done = true;
            }
        }
        static const char org[] = "$organization_id";
        if (!done && n - i >= sizeof org - 1 && memcmp(s + i, org, sizeof org - 1) == 0) {
            if (t->org_id) {
                sb_puts(a, b, t->org_id);
            } else {
                org_parameter(t);
                sb_puts(a, b, "${" ORG_PARAM "}");
                *sub = true;
            }
            i += sizeof org - 1, done = true;
        }
        if (!done)
            sb_putn(a, b, s + i++, 1);
    }
}

void cfn_put_str(struct cfn *t, cJSON *parent, const char *key, const char *s)
{
    if (strcmp(s, "$organization_id") == 0) {
        if (t->org_id) {
            json_add_string(&t->d, parent, key, t->org_id);
        } else {
            org_parameter(t);
            cfn_put_ref(t, parent, key, ORG_PARAM);
        }
        return;
    }
    struct arena *a = &t->cc->arena;
    struct strbuf b = {0};
    bool sub = false;
    const char *rest = s;
    if (strncmp(s, "arn:", 4) == 0) {
        /* arn:PARTITION:SERVICE:REGION:... */
        const char *part = s + 4, *svc = strchr(part, ':');
        const char *reg = svc ? strchr(svc + 1, ':') : NULL;
        const char *acct = reg ? strchr(reg + 1, ':') : NULL;
        if (acct && svc > part) {
            sb_puts(a, &b, "arn:${AWS::Partition}");
            sub = true;
            put_sub_text(t, &b, svc, (size_t)(reg + 1 - svc), &sub);
            size_t rn = (size_t)(acct - reg - 1);
            if (t->region && rn == strlen(t->region) && memcmp(reg + 1, t->region, rn) == 0)
                sb_puts(a, &b, "${AWS::Region}");
            else
                put_sub_text(t, &b, reg + 1, rn, &sub);
            rest = acct;
        }
    }
    put_sub_text(t, &b, rest, strlen(rest), &sub);
    if (sub)
        json_add_string(&t->d, json_add_object(&t->d, parent, key), "Fn::Sub", sb_str(a, &b));
    else
        json_add_string(&t->d, parent, key, s);
}

void cfn_put_value(struct cfn *t, cJSON *parent, const char *key, const cJSON *v)
{
    if (cJSON_IsString(v)) {
        cfn_put_str(t, parent, key, v->valuestring);
    } else if (cJSON_IsBool(v)) {
        json_add_bool(&t->d, parent, key, cJSON_IsTrue(v));
    } else if (cJSON_IsNumber(v)) {
        json_add_int(&t->d, parent, key, (int64_t)v->valuedouble);
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        cJSON *c = cJSON_IsArray(v) ? json_add_array(&t->d, parent, key) : json_add_object(&t->d, parent, key);
        for (const cJSON *x = v->child; x; x = x->next)
            cfn_put_value(t, c, cJSON_IsArray(v) ? NULL : x->string, x);
    }
}

/* ---- resources --------------------------------------------------------- */

cJSON *cfn_resource(struct cfn *t, const char *id, const char *type, const char *cond)
{
    cJSON *r = json_add_object(&t->d, t->res, id);
    json_add_string(&t->d, r, "Type", type);
    if (cond)
        json_add_string(&t->d, r, "Condition", cond);
    t->nresources++;
    return json_add_object(&t->d, r, "Properties");
}

void cfn_output_getatt(struct cfn *t, const char *id, const char *res, const char *attr, const char *cond)
{
    cJSON *o = json_add_object(&t->d, t->outs, id);
    if (cond)
        json_add_string(&t->d, o, "Condition", cond);
    cfn_put_getatt(t, o, "Value", res, attr);
}

void cfn_manual(struct cfn *t, const char *fmt, const char *arg)
{
    const char *s = arena_printf(&t->cc->arena, fmt, arg ? arg : "");
    for (size_t i = 0; i < t->manual.len; i++)
        if (strcmp(VEC_GET(const char, t->manual, i), s) == 0)
            return;
    vec_push(&t->cc->arena, &t->manual, (void *)s);
}

/* The account that holds key `name` (manifest keys[]), NULL if unknown. */
static const char *key_account(struct cfn *t, const char *name)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(t->manifest, "keys"))
        if (name && json_string_at(k, "name") && strcmp(json_string_at(k, "name"), name) == 0)
            return json_string_at(k, "account");
    return NULL;
}

static void put_vault_key(struct cfn *t, cJSON *p, const cJSON *v)
{
    const char *enc = json_string_at(v, "encryption_key"), *key = json_string_at(v, "key");
    const char *id = key ? strmap_get(&t->key_ids, key) : NULL;
    if (id) {
        cfn_put_getatt(t, p, "EncryptionKeyArn", id, "Arn");
    } else if (enc && strncmp(enc, "alias/", 6) == 0) {
        const char *acct = key_account(t, key);
        const char *part = json_string_at(t->scope, "partition");
        cfn_put_str(t, p, "EncryptionKeyArn",
                    arena_printf(&t->cc->arena, "arn:%s:kms:%s:%s:%s", part ? part : "aws", t->region,
                                 acct ? acct : MEMBERS, enc));
        cfn_manual(t, "vault %s: its key is held by another account and known here by its alias ARN only; AWS documents "
                      "EncryptionKeyArn as a key ARN: if the stack rejects the alias, put the key's ARN (an output of "
                      "its account's template) in its place",
                   json_string_at(v, "name"));
    } else if (enc && strncmp(enc, "arn:", 4) == 0) {
        cfn_put_str(t, p, "EncryptionKeyArn", enc);
    } /* aws/backup, aws_owned: AWS's key, nothing to say */
}

static void put_int_of(struct cfn *t, cJSON *p, const char *key, const cJSON *from, const char *field)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(from, field);
    if (cJSON_IsNumber(n))
        json_add_int(&t->d, p, key, (int64_t)n->valuedouble);
}

/* The vault notification a notification with `via: vault` asked for. */
struct vault_topic {
    const cJSON *n;
    const char *topic_id;
};

static void put_vault(struct cfn *t, const cJSON *v, const char *cond, const char *suffix)
{
    const char *name = json_string_at(v, "name"), *decl = json_string_at(v, "declaration");
    if (!name)
        return;
    if (cfn_bool(v, "external")) {
        cfn_manual(t, "vault %s is external: it is created outside the program", name);
        return;
    }
    bool air = json_string_at(v, "type") && strcmp(json_string_at(v, "type"), "logically_air_gapped") == 0;
    const char *id = cfn_id(t, "Vault", decl ? decl : name, suffix);
    cJSON *p = cfn_resource(t, id, air ? "AWS::Backup::LogicallyAirGappedBackupVault" : "AWS::Backup::BackupVault",
                            cond);
    json_add_string(&t->d, p, "BackupVaultName", name);
    put_vault_key(t, p, v);
    if (air) {
        put_int_of(t, p, "MinRetentionDays", v, "min_retention_days");
        put_int_of(t, p, "MaxRetentionDays", v, "max_retention_days");
        if (cJSON_GetObjectItemCaseSensitive(v, "ram_shared_with"))
            cfn_manual(t, "vault %s: share it through AWS RAM as ram_shared_with in obc.manifest.json says", name);
    }
    const cJSON *lock = cJSON_GetObjectItemCaseSensitive(v, "lock");
    if (!air && cJSON_IsObject(lock)) {
        cJSON *l = json_add_object(&t->d, p, "LockConfiguration");
        put_int_of(t, l, "MinRetentionDays", lock, "min_retention_days");
        put_int_of(t, l, "MaxRetentionDays", lock, "max_retention_days");
        put_int_of(t, l, "ChangeableForDays", lock, "changeable_for_days");
    }
    const cJSON *ap = cJSON_GetObjectItemCaseSensitive(v, "access_policy");
    if (cJSON_IsObject(ap))
        cfn_put_value(t, p, "AccessPolicy", ap);
    const struct vault_topic *vt =
        strmap_get(&t->vault_topics, arena_printf(&t->cc->arena, "%s/%s", cond ? cond : "", name));
    if (vt) {
        cJSON *n = json_add_object(&t->d, p, "Notifications");
        cfn_put_value(t, n, "BackupVaultEvents", cJSON_GetObjectItemCaseSensitive(vt->n, "vault_events"));
        cfn_put_ref(t, n, "SNSTopicArn", vt->topic_id);
    }
    cfn_output_getatt(t, arena_printf(&t->cc->arena, "%sArn", id), id, "BackupVaultArn", cond);
}

/* Called by the notification builder: vault `vault` (its AWS name) of the
 * Regions of `cond` notifies topic `topic_id`. */
void cfn_vault_topic(struct cfn *t, const char *cond, const char *vault, const cJSON *n, const char *topic_id)
{
    struct vault_topic *vt = arena_alloc(&t->cc->arena, sizeof *vt);
    vt->n = n, vt->topic_id = topic_id;
    strmap_put_new(&t->cc->arena, &t->vault_topics, arena_printf(&t->cc->arena, "%s/%s", cond ? cond : "", vault),
                   vt);
}

/* ---- regional entries ---------------------------------------------------- */

/* One entry (a vault, a notification ...) in each Region it is listed in. */
struct regional {
    struct vec regions; /* const char* */
    struct vec entries; /* const cJSON*, one per Region */
    struct vec texts;   /* const char*: the entry with its Region's code in ARNs neutral */
};

/* The entry as text, with ":REGION:" as ":*:", to compare Regions. */
static const char *neutral_text(struct cfn *t, const cJSON *e, const char *region)
{
    char *s = json_print(e, false);
    if (!s)
        arena_fail(&t->cc->arena);
    struct strbuf b = {0};
    const char *needle = arena_printf(&t->cc->arena, ":%s:", region);
    size_t nl = strlen(needle);
    for (const char *p = s; *p;) {
        if (strncmp(p, needle, nl) == 0) {
            sb_puts(&t->cc->arena, &b, ":*:");
            p += nl;
        } else {
            sb_putn(&t->cc->arena, &b, p++, 1);
        }
    }
    free(s);
    return sb_str(&t->cc->arena, &b);
}

typedef void regional_builder(struct cfn *t, const cJSON *e, const char *cond, const char *suffix);

/* Every entry of regions[].<field>, keyed by its `idkey`, grouped by the
 * Regions where it is the same, each group through `build`. */
static void put_regional(struct cfn *t, const char *field, const char *idkey, regional_builder *build)
{
    struct arena *a = &t->cc->arena;
    struct strmap byid = {0};
    struct vec order = {0};
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(t->scope, "regions")) {
        const char *region = json_string_at(r, "region");
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, field)) {
            const char *id = json_string_at(e, idkey) ? json_string_at(e, idkey) : json_string_at(e, "name");
            if (!id || !region)
                continue;
            struct regional *g = strmap_get(&byid, id);
            if (!g) {
                g = arena_alloc(a, sizeof *g);
                strmap_put_new(a, &byid, id, g);
                vec_push(a, &order, g);
            }
            vec_push(a, &g->regions, (void *)region);
            vec_push(a, &g->entries, (void *)e);
            vec_push(a, &g->texts, (void *)neutral_text(t, e, region));
        }
    }
    for (size_t i = 0; i < order.len; i++) {
        struct regional *g = VEC_GET(struct regional, order, i);
        /* the Regions of each distinct text, in order of first use */
        struct strmap by_text = {0};
        struct vec firsts = {0}; /* size_t index (as a pointer) of each text's first entry */
        struct vec *same = arena_alloc(a, g->regions.len * sizeof *same);
        for (size_t j = 0; j < g->regions.len; j++) {
            const char *text = VEC_GET(const char, g->texts, j);
            size_t *first = strmap_get(&by_text, text);
            if (!first) {
                first = arena_alloc(a, sizeof *first);
                *first = j;
                strmap_put_new(a, &by_text, text, first);
                vec_push(a, &firsts, first);
            }
            vec_push(a, &same[*first], g->regions.items[j]);
        }
        for (size_t f = 0; f < firsts.len; f++) {
            size_t j = *VEC_GET(size_t, firsts, f);
            const char *cond = cfn_regions_condition(t, &same[j]);
            t->region = VEC_GET(const char, g->regions, j);
            build(t, VEC_GET(const cJSON, g->entries, j), cond, cond ? region_suffix(t, &same[j]) : NULL);
            t->region = NULL;
        }
    }
}

/* ---- the templates ------------------------------------------------------- */

static void note_manual(struct cfn *t)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(t->scope, "regions")) {
        if (cJSON_GetObjectItemCaseSensitive(r, "resource_type_opt_in") ||
            cJSON_GetObjectItemCaseSensitive(r, "resource_type_management"))
            cfn_manual(t, "%sAWS Backup Region settings (resource_type_opt_in, resource_type_management): CloudFormation "
                      "has no resource for UpdateRegionSettings; apply them as obc.manifest.json lists them", NULL);
        if (cfn_bool(r, "enable_region"))
            cfn_manual(t, "opt-in Region %s: enable it in the account before deploying", json_string_at(r, "region"));
    }
    if (cJSON_GetObjectItemCaseSensitive(t->scope, "service_linked_role"))
        cfn_manual(t, "%sthe service-linked role AWSServiceRoleForBackup: AWS Backup creates it when the account first "
                  "uses AWS Backup (or CreateServiceLinkedRole); CloudFormation does not create it", NULL);
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(t->manifest, "keys")) {
        if (!json_string_at(k, "arn") || !json_string_at(k, "account"))
            continue;
        bool mine = strcmp(json_string_at(k, "account"), t->account) == 0;
        const cJSON *s;
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(k, "statements"))
            mine = mine || (json_string_at(s, "account") && strcmp(json_string_at(s, "account"), t->account) == 0);
        if (mine)
            cfn_manual(t, "key %s is given by ARN: a template cannot change the policy of a key it does not own; add "
                      "the statements obc.manifest.json lists for it to its key policy", json_string_at(k, "name"));
    }
}

/* Whether the scope's template creates key `k`: its account holds it and
 * the program declares it by alias (a key given by ARN exists already). */
static bool creates_key(const struct cfn *t, const cJSON *k)
{
    return json_string_at(k, "alias") && !json_string_at(k, "arn") && json_string_at(k, "account") &&
           strcmp(json_string_at(k, "account"), t->account) == 0;
}

static const char *program_name(struct obc *cc)
{
    for (size_t i = 0; i < cc->files.len; i++) {
        const struct src_file *f = VEC_GET(const struct src_file, cc->files, i);
        if (f->is_stdlib)
            continue;
        const char *p = f->origin ? f->origin->path : f->path;
        const char *slash = strrchr(p, '/');
        return slash ? slash + 1 : p;
    }
    return "the program";
}

static void drop_if_empty(cJSON *root, const char *key)
{
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, key)) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(root, key);
}

static void put_template(struct obc *cc, const cJSON *manifest, const cJSON *scope, bool members, struct vec *out)
{
    struct cfn tv = {0}, *t = &tv;
    t->cc = cc, t->manifest = manifest, t->scope = scope;
    t->account = json_string_at(scope, "account");
    t->org_id = json_string_at(cJSON_GetObjectItemCaseSensitive(manifest, "organization"), "id");
    const char *name = json_string_at(scope, "name");
    if (!t->account || !name)
        return;
    const cJSON *r, *x;
    struct strmap seen = {0};
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(scope, "regions"))
        if (json_string_at(r, "region") && !strmap_put_new(&cc->arena, &seen, json_string_at(r, "region"), (void *)r))
            vec_push(&cc->arena, &t->regions, (void *)json_string_at(r, "region"));
    /* and the Regions of the keys it creates (an account that holds a key
     * but no vault has no regions[] entry) */
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(manifest, "keys")) {
        if (!creates_key(t, x))
            continue;
        const cJSON *kr;
        cJSON_ArrayForEach(kr, cJSON_GetObjectItemCaseSensitive(x, "regions"))
            if (cJSON_IsString(kr) && !strmap_put_new(&cc->arena, &seen, kr->valuestring, (void *)kr))
                vec_push(&cc->arena, &t->regions, kr->valuestring);
    }
    if (!t->regions.len)
        return;
    cJSON *root = json_doc_init(&t->d, &cc->arena);
    json_add_string(&t->d, root, "AWSTemplateFormatVersion", "2010-09-09");
    const char *prog = program_name(cc);
    json_add_string(&t->d, root, "Description",
                    members ? arena_printf(&cc->arena,
                                           "obc (%s): the AWS Backup resources of every account that receives the "
                                           "policies; deploy with a service-managed StackSet to each of its Regions",
                                           prog)
                            : arena_printf(&cc->arena, "obc (%s): the AWS Backup resources of account %s (%s)", prog,
                                           name, t->account));
    cJSON *meta = json_add_object(&t->d, json_add_object(&t->d, root, "Metadata"), "obc");
    t->params = json_add_object(&t->d, root, "Parameters");
    t->conds = json_add_object(&t->d, root, "Conditions");
    t->res = json_add_object(&t->d, root, "Resources");
    t->outs = json_add_object(&t->d, root, "Outputs");
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(scope, "iam_roles"))
        cfn_role(t, x);
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(manifest, "keys"))
        if (creates_key(t, x))
            cfn_key(t, x);
    cfn_topics(t);
    put_regional(t, "notifications", "name", cfn_notification);
    put_regional(t, "vaults", "declaration", put_vault);
    put_regional(t, "restore_testing_plans", "name", cfn_restore_testing_plan);
    put_regional(t, "audit_frameworks", "name", cfn_audit_framework);
    if (!t->nresources) {
        cJSON_Delete(t->d.root);
        return;
    }
    note_manual(t);
    json_add_string(&t->d, meta, "scope", members ? "members" : name);
    json_add_strings(&t->d, meta, "regions", &t->regions);
    if (t->manual.len)
        json_add_strings(&t->d, meta, "not_in_template", &t->manual);
    drop_if_empty(root, "Parameters");
    drop_if_empty(root, "Conditions");
    drop_if_empty(root, "Outputs");
    const char *file = members ? "obc.members.template.json"
                               : arena_printf(&cc->arena, "obc.account.%s.template.json", name);
    vec_push(&cc->arena, out, emit_render(cc, file, t->d.root));
}

void emit_cloudformation(struct obc *cc, const struct ir_program *prog, const cJSON *manifest, struct vec *out)
{
    (void)prog; /* everything comes from the manifest */
    const cJSON *a;
    bool first = true;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(manifest, "accounts")) {
        put_template(cc, manifest, a, first, out);
        first = false;
    }
}
