/*
 * emit_terraform.c - the Terraform configuration (obc.tf.json) of the
 * management account, in Terraform's JSON syntax.
 *
 * Owns: turning the manifest's organization section and the list of
 * CloudFormation templates (emit_cfn.c) into resources of the AWS
 * provider (docs/deploy.md, section "Terraform"):
 *  - terraform.required_providers.aws (hashicorp/aws >= 5.0);
 *  - aws_organizations_policy per policy, its content read from the
 *    compiled file next to obc.tf.json (file("${path.module}/NAME.json")),
 *    and aws_organizations_policy_attachment per target;
 *  - aws_backup_global_settings when the manifest's cross_account_backup,
 *    and aws_backup_region_settings of the management account per Region
 *    where the manifest lists resource types to opt in (AWS uses the
 *    management account's settings for the plans of backup policies);
 *  - the members template: a service-managed aws_cloudformation_stack_set
 *    with automatic deployment, and per Region of the members entry
 *    aws_cloudformation_stack_set_instance for the attached roots and OUs,
 *    (an attached root alone: it covers the rest), and one for the
 *    attached accounts (the root, filtered to the accounts with
 *    account_filter_type INTERSECTION) when no root is attached, but
 *    the management account, where a service-managed StackSet never
 *    deploys;
 *  - a named account's template: a stack set without automatic
 *    deployment, instances for that one account per Region of its entry;
 *    for the management account, where a service-managed StackSet never
 *    deploys, aws_cloudformation_stack per Region through a provider
 *    alias per Region;
 *  - variables (name_prefix, call_as, organization_id when a template
 *    takes OrganizationId, organization_root_id when an account is
 *    attached and no root id is known) and outputs (policy ids, stack set
 *    names, stack ids).
 * Every template parameter gets a value (the provider asks for all of
 * them): OrganizationId the variable, the others their Default, or a
 * variable parameter_NAME when they have none.
 * Literal strings are escaped for Terraform's templates ("${" -> "$${").
 * Resource names are declaration names; a name used twice for one
 * resource type gets a numeric suffix. Deterministic: manifest order.
 * Reads the manifest, the templates' Parameters and, for the root id
 * when no root is attached, the program's declared roots (the manifest
 * lists only attachment targets); reports nothing.
 */
#include "emit.h"

#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define TF_FILE "obc.tf.json"
#define MEMBERS_TEMPLATE "obc.members.template.json"
#define ACCOUNT_TEMPLATE_PREFIX "obc.account."
#define TEMPLATE_SUFFIX ".template.json"
#define ORG_ID_PARAMETER "OrganizationId"

/* One Parameter of a template: its name and Default (NULL: none). */
struct tf_param {
    const char *name;
    const char *default_value;
};

/* A template emit_cloudformation wrote, with what Terraform passes it. */
struct tf_template {
    const char *file;     /* its name in the output directory */
    const char *account;  /* the named account, or NULL for the members template */
    struct vec params;    /* struct tf_param* in template order */
};

struct tf {
    struct obc *cc;
    struct arena *a;
    const cJSON *manifest;
    struct json_doc doc;
    cJSON *root;
    cJSON *resource;            /* "resource" */
    cJSON *outputs;             /* "output" */
    cJSON *providers;           /* "provider"."aws", or NULL */
    cJSON *output_policies;     /* output policy_ids value */
    cJSON *output_stack_sets;   /* output stack_set_names value, or NULL */
    cJSON *output_stacks;       /* output stack_ids value, or NULL */
    struct vec param_vars;      /* const char*: parameters without a value */
    struct strmap names;        /* "TYPE.NAME" -> itself: names taken */
    struct vec templates;       /* struct tf_template* */
    bool need_org_id;           /* variable organization_id */
    bool need_root_id;          /* variable organization_root_id */
    const char *root_id;        /* a root id the program or an attachment gives */
    const char *attached_root;  /* the id of an attached root, or NULL */
    struct vec target_units;    /* const char*: attached root and OU ids, once each */
    struct vec target_accounts; /* const char*: attached account ids, once each */
    struct strmap targets;      /* the strings of target_units and target_accounts */
    struct vec attachments;     /* cJSON*: the policy attachments */
    struct vec setup;           /* const char*: "TYPE.NAME" of what the policies need
                                   in place before they are attached */
};

/* ---- small helpers ------------------------------------------------ */

static const cJSON *item(const cJSON *obj, const char *key)
{
    return obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

/* A literal for a Terraform JSON string, which is a template: "${" and
 * "%{" would start an interpolation or a directive. */
static const char *literal(struct arena *a, const char *s)
{
    size_t extra = 0;
    for (const char *p = s; *p; p++)
        extra += (p[0] == '$' || p[0] == '%') && p[1] == '{';
    if (!extra)
        return s;
    size_t n = strlen(s);
    char *out = arena_alloc(a, n + extra + 1), *o = out;
    for (const char *p = s; *p; p++) {
        if ((p[0] == '$' || p[0] == '%') && p[1] == '{')
            *o++ = p[0];
        *o++ = *p;
    }
    return out;
}

/* `s` with every character other than a letter or digit turned into
 * `sep` (a Terraform name from "eu-west-1", a StackSet name from a
 * declaration). */
static const char *only_alnum(struct arena *a, const char *s, char sep)
{
    char *out = arena_strdup(a, s);
    for (char *p = out; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            *p = sep;
    }
    return out;
}

/* A resource name for `type` that no other resource of the type has:
 * `want`, or `want`_2, _3, ... */
static const char *unique_name(struct tf *t, const char *type, const char *want)
{
    const char *name = want;
    for (unsigned n = 2;; n++) {
        const char *key = arena_printf(t->a, "%s.%s", type, name);
        if (!strmap_put_new(t->a, &t->names, key, (void *)key))
            return name;
        name = arena_printf(t->a, "%s_%u", want, n);
    }
}

static cJSON *add_resource(struct tf *t, const char *type, const char *want, const char **name)
{
    cJSON *of_type = cJSON_GetObjectItemCaseSensitive(t->resource, type);
    if (!of_type)
        of_type = json_add_object(&t->doc, t->resource, type);
    *name = unique_name(t, type, want);
    return json_add_object(&t->doc, of_type, *name);
}

static const char *file_expr(struct tf *t, const char *file)
{
    return arena_printf(t->a, "${file(\"${path.module}/%s\")}", file);
}

/* Appends `s` to `v` unless it is there (short lists: template parameters). */
static void push_once(struct arena *a, struct vec *v, const char *s)
{
    for (size_t i = 0; i < v->len; i++)
        if (!strcmp(VEC_GET(const char, *v, i), s))
            return;
    vec_push(a, v, (void *)s);
}

/* ---- the templates ------------------------------------------------ */

/* The Parameters of the template `f` (which obc rendered: it parses).
 * The parsed copy is malloc'd: out of memory in the arena meanwhile, it
 * is freed before the compilation's own jump. */
static struct tf_template *read_template(struct tf *t, const struct out_file *f)
{
    struct tf_template *tpl = arena_alloc(t->a, sizeof *tpl);
    tpl->file = f->name;
    size_t n = strlen(f->name), pre = strlen(ACCOUNT_TEMPLATE_PREFIX), suf = strlen(TEMPLATE_SUFFIX);
    if (n > pre + suf && !strncmp(f->name, ACCOUNT_TEMPLATE_PREFIX, pre))
        tpl->account = arena_strndup(t->a, f->name + pre, n - pre - suf);
    cJSON *volatile doc = NULL;
    jmp_buf here, *outer = t->a->oom;
    if (setjmp(here)) {
        t->a->oom = outer;
        cJSON_Delete(doc);
        arena_fail(t->a);
    }
    t->a->oom = &here;
    doc = cJSON_ParseWithLength(f->data, f->len);
    if (!doc)
        arena_fail(t->a); /* obc's own JSON: only memory can make it fail */
    const cJSON *p;
    cJSON_ArrayForEach(p, item(doc, "Parameters")) {
        struct tf_param *param = arena_alloc(t->a, sizeof *param);
        param->name = arena_strdup(t->a, p->string);
        const cJSON *d = item(p, "Default");
        if (cJSON_IsString(d))
            param->default_value = arena_strdup(t->a, d->valuestring);
        else if (cJSON_IsNumber(d))
            param->default_value = arena_printf(t->a, "%.17g", d->valuedouble);
        vec_push(t->a, &tpl->params, param);
    }
    t->a->oom = outer;
    cJSON_Delete(doc);
    return tpl;
}

static bool is_template(const char *name)
{
    size_t n = strlen(name), suf = strlen(TEMPLATE_SUFFIX);
    return n > suf && !strcmp(name + n - suf, TEMPLATE_SUFFIX);
}

/* The value of every parameter; a parameter without a Default that obc
 * does not know becomes a variable named after it. */
static void add_parameters(struct tf *t, cJSON *res, const struct tf_template *tpl)
{
    if (!tpl->params.len)
        return;
    cJSON *params = json_add_object(&t->doc, res, "parameters");
    for (size_t i = 0; i < tpl->params.len; i++) {
        const struct tf_param *p = VEC_GET(struct tf_param, tpl->params, i);
        if (!strcmp(p->name, ORG_ID_PARAMETER)) {
            t->need_org_id = true;
            json_add_string(&t->doc, params, p->name, "${var.organization_id}");
        } else if (p->default_value) {
            json_add_string(&t->doc, params, p->name, literal(t->a, p->default_value));
        } else {
            push_once(t->a, &t->param_vars, p->name);
            json_add_string(&t->doc, params, p->name, arena_printf(t->a, "${var.parameter_%s}", p->name));
        }
    }
}

/* An output whose value is a map, added to "output"; returns the map. */
static cJSON *output_map(struct tf *t, const char *name, const char *description)
{
    cJSON *o = json_add_object(&t->doc, t->outputs, name);
    json_add_string(&t->doc, o, "description", description);
    return json_add_object(&t->doc, o, "value");
}

/* ---- the organization --------------------------------------------- */

static void add_policies(struct tf *t, const cJSON *org)
{
    const cJSON *pol;
    cJSON_ArrayForEach(pol, item(org, "policies")) {
        const char *pname = json_string_at(pol, "name"), *name;
        cJSON *res = add_resource(t, "aws_organizations_policy", pname, &name);
        json_add_string(&t->doc, res, "name", literal(t->a, pname));
        if (json_string_at(pol, "description"))
            json_add_string(&t->doc, res, "description", literal(t->a, json_string_at(pol, "description")));
        json_add_string(&t->doc, res, "type", json_string_at(pol, "type") ? json_string_at(pol, "type") : "BACKUP_POLICY");
        json_add_string(&t->doc, res, "content", file_expr(t, json_string_at(pol, "file")));
        const char *policy_id = arena_printf(t->a, "${aws_organizations_policy.%s.id}", name);
        json_add_string(&t->doc, t->output_policies, pname, policy_id);
        const cJSON *target;
        cJSON_ArrayForEach(target, item(pol, "targets")) {
            const char *type = json_string_at(target, "type"), *id = json_string_at(target, "id"), *aname;
            if (!id)
                continue;
            const char *tname = json_string_at(target, "name") ? json_string_at(target, "name") : only_alnum(t->a, id, '_');
            cJSON *att = add_resource(t, "aws_organizations_policy_attachment",
                                      arena_printf(t->a, "%s_%s", name, tname), &aname);
            json_add_string(&t->doc, att, "policy_id", policy_id);
            json_add_string(&t->doc, att, "target_id", id);
            vec_push(t->a, &t->attachments, att);
            bool account = type && !strcmp(type, "ACCOUNT");
            if (!strmap_put_new(t->a, &t->targets, id, (void *)id))
                vec_push(t->a, account ? &t->target_accounts : &t->target_units, (void *)id);
            if (type && !strcmp(type, "ROOT") && !t->attached_root)
                t->attached_root = id;
        }
    }
}

static void add_global_settings(struct tf *t, const cJSON *org)
{
    if (!cJSON_IsTrue(item(org, "cross_account_backup")))
        return;
    const char *name;
    cJSON *res = add_resource(t, "aws_backup_global_settings", "this", &name);
    vec_push(t->a, &t->setup, arena_printf(t->a, "aws_backup_global_settings.%s", name));
    cJSON *settings = json_add_object(&t->doc, res, "global_settings");
    json_add_string(&t->doc, settings, "isCrossAccountBackupEnabled", "true");
}

/* ---- stack sets and stacks ---------------------------------------- */

static const char *root_ref(struct tf *t)
{
    if (t->attached_root)
        return t->attached_root;
    if (t->root_id)
        return t->root_id;
    t->need_root_id = true;
    return "${var.organization_root_id}";
}

static cJSON *add_stack_set(struct tf *t, const struct tf_template *tpl, const char *want,
                            const char *suffix, bool auto_deploy, const char **name)
{
    cJSON *res = add_resource(t, "aws_cloudformation_stack_set", want, name);
    json_add_string(&t->doc, res, "name", arena_printf(t->a, "${var.name_prefix}-%s", suffix));
    json_add_string(&t->doc, res, "description",
                    arena_printf(t->a, "obc: %s (%s)", tpl->account ? "one named account" : "every account that receives the backup policies", tpl->file));
    json_add_string(&t->doc, res, "permission_model", "SERVICE_MANAGED");
    json_add_string(&t->doc, res, "call_as", "${var.call_as}");
    cJSON *ad = json_add_object(&t->doc, res, "auto_deployment");
    json_add_bool(&t->doc, ad, "enabled", auto_deploy);
    if (auto_deploy)
        json_add_bool(&t->doc, ad, "retain_stacks_on_account_removal", false);
    cJSON *caps = json_add_array(&t->doc, res, "capabilities");
    json_add_string(&t->doc, caps, NULL, "CAPABILITY_NAMED_IAM");
    json_add_string(&t->doc, res, "template_body", file_expr(t, tpl->file));
    add_parameters(t, res, tpl);
    if (!t->output_stack_sets)
        t->output_stack_sets = output_map(t, "stack_set_names", "The name of each StackSet, by resource name");
    json_add_string(&t->doc, t->output_stack_sets, *name,
                    arena_printf(t->a, "${aws_cloudformation_stack_set.%s.name}", *name));
    return res;
}

/* One instance per Region: `units` (root and OU ids), or with `accounts`
 * the root filtered to those accounts. */
static void add_instances(struct tf *t, const char *stack_set, const char *want, const cJSON *regions,
                          const struct vec *units, const struct vec *accounts)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, regions) {
        const char *region = json_string_at(r, "region"), *name;
        if (!region)
            continue;
        cJSON *res = add_resource(t, "aws_cloudformation_stack_set_instance",
                                  arena_printf(t->a, "%s_%s", want, only_alnum(t->a, region, '_')), &name);
        vec_push(t->a, &t->setup, arena_printf(t->a, "aws_cloudformation_stack_set_instance.%s", name));
        json_add_string(&t->doc, res, "stack_set_name",
                        arena_printf(t->a, "${aws_cloudformation_stack_set.%s.name}", stack_set));
        json_add_string(&t->doc, res, "call_as", "${var.call_as}");
        json_add_string(&t->doc, res, "region", region);
        cJSON *targets = json_add_object(&t->doc, res, "deployment_targets");
        if (accounts) {
            cJSON *ous = json_add_array(&t->doc, targets, "organizational_unit_ids");
            json_add_string(&t->doc, ous, NULL, root_ref(t));
            json_add_strings(&t->doc, targets, "accounts", accounts);
            json_add_string(&t->doc, targets, "account_filter_type", "INTERSECTION");
        } else {
            json_add_strings(&t->doc, targets, "organizational_unit_ids", units);
        }
    }
}

static const cJSON *account_entry(const struct tf *t, const char *name)
{
    const cJSON *acc;
    cJSON_ArrayForEach(acc, item(t->manifest, "accounts")) {
        const char *n = json_string_at(acc, "name");
        if (n && !strcmp(n, name))
            return acc;
    }
    return NULL;
}

static const char *management_id(const struct tf *t)
{
    return json_string_at(item(item(t->manifest, "organization"), "management_account"), "id");
}

static void add_members(struct tf *t, const struct tf_template *tpl)
{
    const cJSON *members = item(t->manifest, "accounts") ? cJSON_GetArrayItem(item(t->manifest, "accounts"), 0) : NULL;
    const cJSON *regions = item(members, "regions");
    /* a root covers every OU and account under it */
    bool has_root = t->attached_root != NULL;
    struct vec units = {0}, accounts = {0};
    if (has_root)
        vec_push(t->a, &units, (void *)t->attached_root);
    else
        units = t->target_units;
    /* a service-managed StackSet never deploys to the management account */
    const char *mgmt = management_id(t);
    for (size_t i = 0; !has_root && i < t->target_accounts.len; i++) {
        const char *id = VEC_GET(const char, t->target_accounts, i);
        if (!mgmt || strcmp(id, mgmt))
            vec_push(t->a, &accounts, (void *)id);
    }
    const char *ss;
    add_stack_set(t, tpl, "members", "members", units.len > 0, &ss);
    if (units.len)
        add_instances(t, ss, "members", regions, &units, NULL);
    if (accounts.len)
        add_instances(t, ss, "members_accounts", regions, NULL, &accounts);
}

/* "aws.ALIAS" of the provider configuration for `region`, declared on
 * first use (the management account's resources of each Region). */
static const char *region_provider(struct tf *t, const char *region)
{
    if (!t->providers)
        t->providers = json_add_array(&t->doc, json_add_object(&t->doc, t->root, "provider"), "aws");
    const char *alias = only_alnum(t->a, region, '_');
    const cJSON *p;
    cJSON_ArrayForEach(p, t->providers) {
        const char *a = json_string_at(p, "alias");
        if (a && !strcmp(a, alias))
            return arena_printf(t->a, "aws.%s", alias);
    }
    cJSON *conf = json_add_object(&t->doc, t->providers, NULL);
    json_add_string(&t->doc, conf, "alias", alias);
    json_add_string(&t->doc, conf, "region", region);
    return arena_printf(t->a, "aws.%s", alias);
}

/* The management account: a stack per Region, each through a provider
 * configuration for its Region. */
static void add_management_stacks(struct tf *t, const struct tf_template *tpl, const cJSON *acc)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, item(acc, "regions")) {
        const char *region = json_string_at(r, "region"), *name;
        if (!region)
            continue;
        const char *provider = region_provider(t, region);
        const char *alias = provider + strlen("aws.");
        cJSON *res = add_resource(t, "aws_cloudformation_stack",
                                  arena_printf(t->a, "account_%s_%s", tpl->account, alias), &name);
        vec_push(t->a, &t->setup, arena_printf(t->a, "aws_cloudformation_stack.%s", name));
        json_add_string(&t->doc, res, "provider", provider);
        json_add_string(&t->doc, res, "name",
                        arena_printf(t->a, "${var.name_prefix}-account-%s", only_alnum(t->a, tpl->account, '-')));
        cJSON *caps = json_add_array(&t->doc, res, "capabilities");
        json_add_string(&t->doc, caps, NULL, "CAPABILITY_NAMED_IAM");
        json_add_string(&t->doc, res, "template_body", file_expr(t, tpl->file));
        add_parameters(t, res, tpl);
        if (!t->output_stacks)
            t->output_stacks = output_map(t, "stack_ids", "The id of each management account stack, by resource name");
        json_add_string(&t->doc, t->output_stacks, name, arena_printf(t->a, "${aws_cloudformation_stack.%s.id}", name));
    }
}

static void add_account(struct tf *t, const struct tf_template *tpl)
{
    const cJSON *acc = account_entry(t, tpl->account);
    const char *id = json_string_at(acc, "account");
    if (!acc || !id)
        return;
    const char *mgmt = management_id(t);
    if (mgmt && !strcmp(mgmt, id)) {
        add_management_stacks(t, tpl, acc);
        return;
    }
    const char *ss;
    add_stack_set(t, tpl, arena_printf(t->a, "account_%s", tpl->account),
                  arena_printf(t->a, "account-%s", only_alnum(t->a, tpl->account, '-')), false, &ss);
    struct vec accounts = {0};
    vec_push(t->a, &accounts, (void *)id);
    add_instances(t, ss, arena_printf(t->a, "account_%s", tpl->account), item(acc, "regions"), NULL, &accounts);
}

/* AWS Backup's Region settings of the management account, whose
 * settings AWS uses for the plans of backup policies (manifest:
 * resource_type_opt_in, resource_type_management), one resource per
 * Region through the Region's provider configuration. */
static void copy_bools(struct tf *t, cJSON *res, const char *key, const cJSON *from)
{
    if (!cJSON_IsObject(from) || !from->child)
        return;
    cJSON *to = json_add_object(&t->doc, res, key);
    const cJSON *e;
    cJSON_ArrayForEach(e, from)
        json_add_bool(&t->doc, to, e->string, cJSON_IsTrue(e));
}

static void add_region_settings(struct tf *t)
{
    const char *mgmt = management_id(t);
    const cJSON *acc;
    cJSON_ArrayForEach(acc, item(t->manifest, "accounts")) {
        const char *id = json_string_at(acc, "account");
        if (!mgmt || !id || strcmp(id, mgmt))
            continue;
        const cJSON *r;
        cJSON_ArrayForEach(r, item(acc, "regions")) {
            const char *region = json_string_at(r, "region"), *name;
            const cJSON *opt_in = item(r, "resource_type_opt_in");
            if (!region || !cJSON_IsObject(opt_in) || !opt_in->child)
                continue;
            const char *provider = region_provider(t, region);
            cJSON *res = add_resource(t, "aws_backup_region_settings",
                                      arena_printf(t->a, "management_%s", provider + strlen("aws.")), &name);
            vec_push(t->a, &t->setup, arena_printf(t->a, "aws_backup_region_settings.%s", name));
            json_add_string(&t->doc, res, "provider", provider);
            copy_bools(t, res, "resource_type_opt_in_preference", opt_in);
            copy_bools(t, res, "resource_type_management_preference", item(r, "resource_type_management"));
        }
    }
}

/* ---- variables, outputs, the document ------------------------------ */

static cJSON *add_variable(struct tf *t, cJSON *vars, const char *name, const char *description,
                           const char *default_value, const char *pattern, const char *error)
{
    cJSON *v = json_add_object(&t->doc, vars, name);
    json_add_string(&t->doc, v, "type", "string");
    json_add_string(&t->doc, v, "description", description);
    if (default_value)
        json_add_string(&t->doc, v, "default", default_value);
    if (pattern) {
        cJSON *val = json_add_object(&t->doc, v, "validation");
        json_add_string(&t->doc, val, "condition",
                        arena_printf(t->a, "${can(regex(\"%s\", var.%s))}", pattern, name));
        json_add_string(&t->doc, val, "error_message", error);
    }
    return v;
}

static void root_id_from_program(struct tf *t, const struct ir_program *prog)
{
    for (size_t i = 0; !t->root_id && i < prog->roots.len; i++) {
        const struct ir_root *r = VEC_GET(struct ir_root, prog->roots, i);
        if (r->id)
            t->root_id = r->id;
    }
}

void emit_terraform(struct obc *cc, const struct ir_program *prog, const struct cJSON *manifest,
                    const struct vec *templates, struct vec *out)
{
    struct tf t = {.cc = cc, .a = &cc->arena, .manifest = manifest};
    /* read before the document exists: a failure then leaks nothing */
    for (size_t i = 0; i < templates->len; i++) {
        const struct out_file *f = templates->items[i];
        if (is_template(f->name))
            vec_push(t.a, &t.templates, read_template(&t, f));
    }
    cJSON *root = t.root = json_doc_init(&t.doc, t.a);
    json_add_string(&t.doc, root, "//",
                    "Written by obc compile --emit terraform: the Terraform module of the management account "
                    "(docs/deploy.md). obc replaces this directory as a whole; do not edit.");
    cJSON *req = json_add_object(&t.doc, json_add_object(&t.doc, json_add_object(&t.doc, root, "terraform"),
                                                         "required_providers"), "aws");
    json_add_string(&t.doc, req, "source", "hashicorp/aws");
    json_add_string(&t.doc, req, "version", ">= 5.0");
    cJSON *vars = json_add_object(&t.doc, root, "variable");
    t.resource = json_add_object(&t.doc, root, "resource");
    t.outputs = json_add_object(&t.doc, root, "output");
    t.output_policies = output_map(&t, "policy_ids", "The Organizations policy id of each policy, by policy name");

    const cJSON *org = item(manifest, "organization");
    root_id_from_program(&t, prog);
    add_policies(&t, org);
    add_global_settings(&t, org);
    add_region_settings(&t);
    for (size_t i = 0; i < t.templates.len; i++) {
        const struct tf_template *tpl = VEC_GET(struct tf_template, t.templates, i);
        if (!strcmp(tpl->file, MEMBERS_TEMPLATE))
            add_members(&t, tpl);
        else if (tpl->account)
            add_account(&t, tpl);
    }

    add_variable(&t, vars, "name_prefix", "Prefix of the names of the StackSets and stacks this module creates",
                 "obc-backup", "^[a-zA-Z][-a-zA-Z0-9]{0,63}$",
                 "name_prefix must start with a letter and hold only letters, digits and hyphens.");
    add_variable(&t, vars, "call_as",
                 "SELF in the management account, DELEGATED_ADMIN in a delegated administrator account for StackSets",
                 "SELF", "^(SELF|DELEGATED_ADMIN)$", "call_as must be SELF or DELEGATED_ADMIN.");
    if (t.need_org_id)
        add_variable(&t, vars, "organization_id",
                     "The organization id (the program declares no organization { id }): the templates' OrganizationId",
                     NULL, "^o-[a-z0-9]{10,32}$", "organization_id must look like o-exampleorgid.");
    if (t.need_root_id)
        add_variable(&t, vars, "organization_root_id",
                     "The id of the organization root (the program declares none): StackSets reach attached accounts through it",
                     NULL, "^r-[0-9a-z]{4,32}$", "organization_root_id must look like r-examplerootid.");
    for (size_t i = 0; i < t.param_vars.len; i++) {
        const char *p = VEC_GET(const char, t.param_vars, i);
        add_variable(&t, vars, arena_printf(t.a, "parameter_%s", p),
                     arena_printf(t.a, "The templates' parameter %s", p), NULL, NULL, NULL);
    }
    /* a policy attached before its vaults, roles and keys exist makes
     * failed jobs in every account it reaches until they do */
    for (size_t i = 0; t.setup.len && i < t.attachments.len; i++)
        json_add_strings(&t.doc, t.attachments.items[i], "depends_on", &t.setup);
    if (!t.resource->child)
        cJSON_DeleteItemFromObjectCaseSensitive(root, "resource");
    vec_push(t.a, out, emit_render(cc, TF_FILE, t.doc.root));
}
