/*
 * lower_decls.c - lowers the simple declarations into the IR: accounts,
 * OUs, roots, permission sets, the organization, and the standard
 * library's vocabulary (partitions, regions, resource types, roles).
 *
 * Owns: OB2007 for account/OU/root/organization ids, where an account
 * or OU sits in the organization tree (its `parent`), OB5007 for role
 * ARNs (their partition must be a declared one, std: partitions.ob) and
 * for a selection that names the service-linked role (std:
 * backup_service_linked_role), and the shape of inline roles
 * (role "arn:...").
 */
#include "sema.h"

#include <string.h>

/* The id of an account, OU or root: a string; numbers get a help that
 * explains why ids are strings. */
static bool id_string(struct sema *s, const struct ast_value *v, const char *what, struct ir_text *out)
{
    if (v->kind == AST_INT) {
        struct diag *d = diag_emit(s->cc, OB2003, v->loc, "expected a string, found %s", ast_describe(s->a, v));
        diag_help(s->cc, d, "write the %s in quotes: \"%.*s\"", what, (int)(v->loc.end - v->loc.start),
                  s->cc->files.len ? src_get(s->cc, v->loc.file)->text + v->loc.start : "");
        return false;
    }
    return val_string(s, v, out);
}

/* How one kind of id is written, for OB2007. */
struct id_format {
    const char *what;          /* "account id" */
    bool (*ok)(const char *);
    const char *not_one;       /* "an AWS account id" */
    const char *looks_like;    /* help text */
};

/* Reads id value `v` (NULL: not written) into *at; the id, or NULL when
 * it is absent or not a string. */
static const char *lower_id(struct sema *s, const struct ast_value *v, const struct id_format *f, struct ir_attr *at)
{
    if (!v)
        return NULL;
    *at = (struct ir_attr){IR_REJECTED, v->loc};
    struct ir_text id;
    if (!id_string(s, v, f->what, &id))
        return NULL;
    at->state = IR_SET;
    if (!f->ok(id.s)) {
        struct diag *d = diag_emit(s->cc, OB2007, id.loc, "'%s' is not %s", id.s, f->not_one);
        diag_help(s->cc, d, "%s", f->looks_like);
    }
    return id.s;
}

/* `account NAME = "id"` or `account NAME { id = "..."; parent = ... }`
 * (and the same for ou): the block schema reads both forms. */
void lower_account(struct sema *s, const struct ast_item *it, struct ir_account *acc)
{
    static const struct id_format f = {"account id", id_account_ok, "an AWS account id",
                                       "an account id is exactly 12 digits: \"123456789012\""};
    struct block b;
    sema_block(s, it, BK_ACCOUNT, &b);
    acc->parent = blk_ref(s, &b, A_ACCOUNT_PARENT, &acc->parent_at);
    acc->id = lower_id(s, blk_value(&b, A_ACCOUNT_ID), &f, &acc->id_at);
    if (!acc->id)
        return;
    const struct ir_account *first = strmap_put_new(s->a, &s->accounts_by_id, acc->id, acc);
    if (first) {
        struct diag *d = diag_emit(s->cc, OB2002, acc->d.name_loc, "accounts '%s' and '%s' have the same id %s",
                                   first->d.name, acc->d.name, acc->id);
        diag_note(s->cc, d, first->d.name_loc, "'%s' is declared here", first->d.name);
        diag_help(s->cc, d, "declare each account once, under one name");
    }
}

void lower_ou(struct sema *s, const struct ast_item *it, struct ir_ou *ou)
{
    static const struct id_format f = {"OU id", id_ou_ok, "an organizational unit id",
                                       "an OU id looks like \"ou-ab12-34cd56ef\": ou-, 4 to 32 lower-case letters "
                                       "or digits, -, 8 to 32 more"};
    struct block b;
    sema_block(s, it, BK_OU, &b);
    ou->parent = blk_ref(s, &b, A_OU_PARENT, &ou->parent_at);
    ou->id = lower_id(s, blk_value(&b, A_OU_ID), &f, &ou->id_at);
}

void lower_root(struct sema *s, const struct ast_item *it, struct ir_root *root)
{
    static const struct id_format f = {"root id", id_root_ok, "an organization root id",
                                       "a root id looks like \"r-ab12\": r- and 4 to 32 lower-case letters or digits"};
    root->id = lower_id(s, it->value, &f, &root->id_at);
}

/* service:Action, e.g. kms:Decrypt or kms:* */
static bool action_ok(const char *a)
{
    const char *colon = strchr(a, ':');
    if (!colon || colon == a || !colon[1])
        return false;
    for (const char *p = a; p < colon; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    for (const char *p = colon + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '*'))
            return false;
    return true;
}

/* Reads a list of actions into p->actions; false when one was rejected. */
static bool read_actions(struct sema *s, const struct ast_value *v, struct ir_permissions *p)
{
    if (v->kind != AST_LIST) {
        struct diag *d = diag_emit(s->cc, OB2003, v->loc, "expected a list of actions, found %s", ast_describe(s->a, v));
        diag_help(s->cc, d, "write [\"kms:Decrypt\", \"kms:DescribeKey\"]");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < v->items.len; i++) {
        const struct ast_value *a = VEC_GET(const struct ast_value, v->items, i);
        struct ir_text t;
        if (!val_string(s, a, &t)) {
            ok = false;
            continue;
        }
        if (!action_ok(t.s)) {
            struct diag *d = diag_emit(s->cc, OB2003, a->loc, "'%s' is not an IAM action", t.s);
            diag_help(s->cc, d, "actions are written service:Action, like \"kms:Decrypt\"");
            ok = false;
            continue;
        }
        vec_push(s->a, &p->actions, (void *)t.s);
    }
    return ok;
}

void lower_permissions(struct sema *s, const struct ast_item *it, struct ir_permissions *p)
{
    read_actions(s, it->value, p);
}

struct ir_permissions *lower_grants(struct sema *s, const struct ast_value *v, struct ir_attr *at)
{
    *at = (struct ir_attr){IR_REJECTED, v->loc};
    if (v->kind == AST_IDENT) {
        struct ir_permissions *named = (struct ir_permissions *)val_ref(s, v, KIND(DK_PERMISSIONS));
        if (named)
            at->state = IR_SET;
        return named;
    }
    if (v->kind != AST_LIST) {
        struct diag *d = diag_emit(s->cc, OB2003, v->loc, "expected a permission set or a list of actions, found %s",
                                   ast_describe(s->a, v));
        diag_help(s->cc, d, "write backup_vault_key (from std/aws) or [\"kms:Decrypt\", ...]");
        return NULL;
    }
    struct ir_permissions *p = arena_alloc(s->a, sizeof *p);
    p->d.kind = DK_PERMISSIONS;
    p->d.loc = v->loc;
    p->d.name_loc = v->loc;
    if (read_actions(s, v, p))
        at->state = IR_SET;
    return p;
}

void lower_organization(struct sema *s, const struct ast_item *it)
{
    struct block b;
    sema_block(s, it, BK_ORGANIZATION, &b);
    struct ir_org *org = &s->prog->org;
    org->declared = true;
    org->loc = it->loc;
    if (blk_text(s, &b, A_ORGANIZATION_ID, &org->id) == IR_SET && !id_org_ok(org->id.s)) {
        struct diag *d = diag_emit(s->cc, OB2007, org->id.loc, "'%s' is not an organization id", org->id.s);
        diag_help(s->cc, d, "an organization id looks like \"o-a1b2c3d4e5\": o- and 10 to 32 lower-case letters or digits");
        org->id.state = IR_REJECTED;
    }
    org->management = (struct ir_account *)blk_ref(s, &b, A_ORGANIZATION_MANAGEMENT, &org->management_at);
    blk_list(s, &b, A_ORGANIZATION_REGIONS, &org->regions, &org->regions_at);
}

void lower_partition(struct sema *s, const struct ast_item *it, struct ir_partition *p)
{
    struct block b;
    sema_block(s, it, BK_PARTITION, &b);
    struct ir_flag f = {.v = true};
    blk_flag(s, &b, A_PARTITION_CROSS_ACCOUNT_COPY, &f);
    p->cross_account_copy = f.v;
}

void lower_region(struct sema *s, const struct ast_item *it, struct ir_region *r)
{
    struct block b;
    sema_block(s, it, BK_REGION, &b);
    struct ir_attr at = {0};
    r->partition = (struct ir_partition *)blk_ref(s, &b, A_REGION_PARTITION, &at);
    struct ir_text t = {0};
    if (blk_text(s, &b, A_REGION_DISPLAY, &t) == IR_SET)
        r->display = t.s;
    struct ir_flag f = {0};
    if (blk_flag(s, &b, A_REGION_OPT_IN, &f) == IR_SET)
        r->opt_in = f.v;
    f = (struct ir_flag){0};
    if (blk_flag(s, &b, A_REGION_AIR_GAPPED_VAULTS, &f) == IR_SET)
        r->no_air_gapped_vaults = !f.v;
}

static bool flag_of(struct sema *s, const struct block *b, enum attr_id id)
{
    struct ir_flag f = {0};
    blk_flag(s, b, id, &f);
    return f.v;
}

/* A flag whose absence means true: a limit nobody declared is no limit. */
static bool flag_or_true(struct sema *s, const struct block *b, enum attr_id id)
{
    struct ir_flag f = {0};
    return blk_flag(s, b, id, &f) == IR_SET ? f.v : true;
}

void lower_restype(struct sema *s, const struct ast_item *it, struct ir_restype *t)
{
    struct block b;
    sema_block(s, it, BK_RESOURCE_TYPE, &b);
    struct ir_attr arns = {0}, policies = {0};
    if (blk_list(s, &b, A_RESTYPE_ARNS, &t->arns, &arns) == IR_SET && t->arns.len == 0) {
        struct diag *d = diag_emit(s->cc, OB2003, arns.loc, "resource type '%s' has no ARN pattern", t->d.name);
        diag_help(s->cc, d, "list at least one, like arns = [\"rds:*:*:db:*\"] (after \"arn:PARTITION:\")");
    }
    struct ir_text name = {0};
    if (blk_text(s, &b, A_RESTYPE_OPT_IN_NAME, &name) == IR_SET)
        t->opt_in_name = name.s;
    name = (struct ir_text){0};
    if (blk_text(s, &b, A_RESTYPE_SCAN_NAME, &name) == IR_SET)
        t->scan_name = name.s;
    name = (struct ir_text){0};
    if (blk_text(s, &b, A_RESTYPE_INDEX_NAME, &name) == IR_SET)
        t->index_name = name.s;
    name = (struct ir_text){0};
    if (blk_text(s, &b, A_RESTYPE_RESTORE_TEST_NAME, &name) == IR_SET)
        t->restore_test_name = name.s;
    name = (struct ir_text){0};
    if (blk_text(s, &b, A_RESTYPE_AUDIT_NAME, &name) == IR_SET)
        t->audit_name = name.s;
    blk_list(s, &b, A_RESTYPE_ROLE_POLICIES, &t->role_policies, &policies);
    struct ir_attr index_policies;
    blk_list(s, &b, A_RESTYPE_INDEX_ROLE_POLICIES, &t->index_role_policies, &index_policies);
    t->continuous = flag_of(s, &b, A_RESTYPE_CONTINUOUS_BACKUP);
    t->cold_storage = flag_of(s, &b, A_RESTYPE_COLD_STORAGE);
    t->cold_monthly_only = flag_of(s, &b, A_RESTYPE_COLD_STORAGE_MONTHLY);
    t->full_management = flag_of(s, &b, A_RESTYPE_FULL_MANAGEMENT);
    t->cross_account_copy = flag_of(s, &b, A_RESTYPE_CROSS_ACCOUNT_COPY);
    t->cross_region_copy = flag_of(s, &b, A_RESTYPE_CROSS_REGION_COPY);
    t->opt_in_cross_account_copy = flag_or_true(s, &b, A_RESTYPE_OPT_IN_CROSS_ACCOUNT_COPY);
    t->opt_in_cross_region_copy = flag_or_true(s, &b, A_RESTYPE_OPT_IN_CROSS_REGION_COPY);
    t->is_any = flag_of(s, &b, A_RESTYPE_ANY);
    t->management_preference = flag_of(s, &b, A_RESTYPE_MANAGEMENT_PREFERENCE);
    struct ir_flag f = {0};
    if (blk_flag(s, &b, A_RESTYPE_AIR_GAPPED_CROSS_REGION_COPY, &f) == IR_SET)
        t->no_air_gapped_cross_region_copy = !f.v;
}

/* Whether `p` names a declared partition (the std's partitions.ob). With
 * no partition declared (no std import) nothing can be said: true. */
static bool known_partition(struct sema *s, const char *p)
{
    if (s->prog->partitions.len == 0)
        return true;
    for (struct ir_decl *d = sym_lookup(&s->syms, p); d; d = d->same_name)
        if (d->kind == DK_PARTITION)
            return true;
    return false;
}

/* "aws, aws-cn, aws-us-gov, ...": the first declared partitions. */
static const char *partition_examples(struct sema *s)
{
    struct strbuf b = {0};
    const struct vec *parts = &s->prog->partitions;
    for (size_t i = 0; i < parts->len && i < 3; i++)
        sb_printf(s->a, &b, "%s%s", i ? ", " : "", VEC_GET(struct ir_decl, *parts, i)->name);
    if (parts->len > 3)
        sb_puts(s->a, &b, ", ...");
    return sb_str(s->a, &b);
}

/* [a-zA-Z0-9+=,.@_-]{1,64} */
static bool role_name_ok(const char *n, size_t len)
{
    if (len < 1 || len > 64)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("+=,.@_-", c)))
            return false;
    }
    return true;
}

/* IAM role path characters: printable ASCII without empty segments. */
static bool role_path_ok(const char *path, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (path[i] < 0x21 || path[i] > 0x7E || (path[i] == '/' && i + 1 < n && path[i + 1] == '/'))
            return false;
    return true;
}

bool lower_role_arn(struct sema *s, const char *arn, struct loc loc)
{
    struct arn_parts p;
    const char *why = NULL, *fix = NULL;
    if (strstr(arn, "$region")) {
        why = "it uses $region, which AWS substitutes only in air-gapped vault ARNs";
        fix = "a role is global to its account: drop the region";
    } else if (!strchr(arn, ':') && role_name_ok(arn, strlen(arn))) {
        why = "it is a role name, not an ARN";
        fix = arena_printf(s->a, "write \"arn:aws:iam::$account:role/%s\"", arn);
    } else if (!arn_split(s->a, arn, &p) || strcmp(p.service, "iam") != 0 || strncmp(p.resource, "role/", 5) != 0) {
        why = "an IAM role ARN looks like arn:aws:iam::$account:role/NAME";
    } else if (p.region[0]) {
        why = "IAM ARNs have no region (the fourth field must be empty)";
        fix = arena_printf(s->a, "write \"arn:%s:iam::%s:%s\"", p.partition, p.account, p.resource);
    } else if (!known_partition(s, p.partition)) {
        why = arena_printf(s->a, "its partition is not an AWS partition (%s)", partition_examples(s));
    } else if (strcmp(p.account, "$account") != 0 && !id_account_ok(p.account)) {
        why = "its account must be 12 digits or $account";
    } else {
        const char *name = strrchr(p.resource, '/') + 1;
        size_t path_len = (size_t)(name - p.resource) - 4; /* "/.../" after "role" */
        if (!role_name_ok(name, strlen(name)))
            why = "its role name must be 1 to 64 of A-Z a-z 0-9 + = , . @ _ -";
        else if (!role_path_ok(p.resource + 4, path_len))
            why = "its path has an empty segment or a character IAM does not allow";
        else if (strstr(p.resource, "aws-service-role/"))
            why = "it is a service-linked role, which AWS Backup cannot use to run a plan's selections";
    }
    if (!why)
        return true;
    struct diag *d = diag_emit(s->cc, OB5007, loc, "'%s' is not a usable backup role ARN: %s", arn, why);
    if (fix)
        diag_help(s->cc, d, "%s", fix);
    else
        diag_help(s->cc, d, "write arn:aws:iam::$account:role/NAME (the same role in every account), or use "
                            "default_backup_role from std/aws");
    return false;
}

void lower_role(struct sema *s, const struct ast_item *it, struct ir_role *r)
{
    struct block b;
    sema_block(s, it, BK_ROLE, &b);
    struct ir_text t = {0};
    const struct ast_value *arn = blk_value(&b, A_ROLE_ARN), *name = blk_value(&b, A_ROLE_NAME);
    if (arn && name) {
        struct diag *d = diag_emit(s->cc, OB2006, name->loc, "role '%s' gives both 'arn' and 'name'", r->d.name);
        diag_note(s->cc, d, arn->loc, "'arn' is given here");
        diag_help(s->cc, d, "keep one: 'name' (and 'path') builds the ARN in each partition, 'arn' is used as written");
    } else if (!arn && !name) {
        struct diag *d = diag_emit(s->cc, OB2004, r->d.name_loc, "role '%s' has neither 'arn' nor 'name'", r->d.name);
        diag_help(s->cc, d, "add name = \"ROLE_NAME\" or arn = \"arn:aws:iam::$account:role/ROLE_NAME\"");
    }
    if (blk_text(s, &b, A_ROLE_ARN, &r->arn) == IR_SET && !lower_role_arn(s, r->arn.s, r->arn.loc)) {
        r->arn.s = NULL;
        r->arn.state = IR_REJECTED;
    }
    if (blk_text(s, &b, A_ROLE_NAME, &t) == IR_SET) {
        if (role_name_ok(t.s, strlen(t.s)))
            r->role_name = t.s;
        else {
            struct diag *d = diag_emit(s->cc, OB5007, name->loc, "'%s' is not an IAM role name", t.s);
            diag_help(s->cc, d, "a role name is 1 to 64 of A-Z a-z 0-9 + = , . @ _ -");
        }
    }
    r->path = "/";
    t = (struct ir_text){0};
    if (blk_text(s, &b, A_ROLE_PATH, &t) == IR_SET) {
        size_t n = strlen(t.s);
        if (n == 0 || t.s[0] != '/' || t.s[n - 1] != '/' || !role_path_ok(t.s, n)) {
            struct diag *d = diag_emit(s->cc, OB5007, t.loc, "role path '%s' must start and end with '/' and have "
                                       "no empty segment", t.s);
            diag_help(s->cc, d, "write a path like \"/\", \"/service-role/\" or \"/backup/\"");
        } else if (strstr(t.s, "/aws-service-role/") && !r->d.from_stdlib) { /* std: backup_service_linked_role */
            struct diag *d = diag_emit(s->cc, OB5007, t.loc, "role path '%s' is the service-linked role path", t.s);
            diag_help(s->cc, d, "AWS Backup cannot run selections with a service-linked role: use default_backup_role "
                                "or a role of your own");
        } else
            r->path = t.s;
    }
    t = (struct ir_text){0};
    if (blk_text(s, &b, A_ROLE_TRUSTS, &t) == IR_SET)
        r->trusts = t.s;
    struct ir_attr policies = {0};
    blk_list(s, &b, A_ROLE_MANAGED_POLICIES, &r->managed_policies, &policies);
}

struct ir_role *lower_role_value(struct sema *s, const struct ast_value *v)
{
    if (v->kind == AST_IDENT) {
        struct ir_role *r = (struct ir_role *)val_ref(s, v, KIND(DK_ROLE));
        if (r && r->path && strstr(r->path, "/aws-service-role/")) { /* std: backup_service_linked_role */
            struct diag *d = diag_emit(s->cc, OB5007, v->loc, "role '%s' is the service-linked role %s, which AWS "
                                       "Backup cannot use to run a plan's selections", r->d.name,
                                       r->role_name ? r->role_name : r->d.name);
            diag_help(s->cc, d, "use default_backup_role from std/aws, or a role of your own; AWS Backup uses "
                                "the service-linked role by itself");
            return NULL;
        }
        return r;
    }
    if (v->kind == AST_PHRASE && strcmp(v->text, "role") == 0 && v->items.len == 1 &&
        VEC_GET(const struct ast_value, v->items, 0)->kind == AST_STRING) {
        const struct ast_value *str = VEC_GET(const struct ast_value, v->items, 0);
        if (!lower_role_arn(s, str->text, str->loc))
            return NULL;
        struct ir_role *r = arena_alloc(s->a, sizeof *r);
        r->d.kind = DK_ROLE;
        r->d.loc = v->loc;
        r->d.name_loc = v->loc;
        r->arn.s = str->text;
        r->arn.loc = str->loc;
        r->path = "/";
        return r;
    }
    struct diag *d = diag_emit(s->cc, OB2003, v->loc, "expected a role, found %s", ast_describe(s->a, v));
    if (v->kind == AST_STRING)
        diag_help(s->cc, d, "write role \"%s\"", v->text);
    else
        diag_help(s->cc, d, "name a role (default_backup_role) or write role \"arn:aws:iam::$account:role/NAME\"");
    return NULL;
}
