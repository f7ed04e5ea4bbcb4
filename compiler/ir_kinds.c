/*
 * ir_kinds.c - the kinds of declarations: their names as messages write
 * them ("vault", "an OU", "a root, an OU or an account"), and the head of
 * a declaration the program does not write (an account known only by an
 * id, a vault a policy document names).
 */
#include "ir.h"

static const char *const kind_names[DK_COUNT] = {
    [DK_ACCOUNT] = "account", [DK_OU] = "OU", [DK_ROOT] = "root", [DK_PARTITION] = "partition",
    [DK_REGION] = "region", [DK_RESOURCE_TYPE] = "resource type", [DK_PERMISSIONS] = "permission set",
    [DK_ROLE] = "role", [DK_KEY] = "key", [DK_VAULT] = "vault", [DK_SELECTION] = "selection",
    [DK_PLAN] = "plan", [DK_POLICY] = "policy", [DK_EVENT] = "backup event", [DK_NOTIFY] = "notification",
    [DK_RESTORE_TEST] = "restore test", [DK_AUDIT_CONTROL] = "audit control",
    [DK_AUDIT_FRAMEWORK] = "audit framework", [DK_BUILTIN] = "built-in principal",
};

const char *decl_kind_name(enum decl_kind k)
{
    return kind_names[k];
}

const char *decl_kind_article(enum decl_kind k)
{
    static const char *const articles[DK_COUNT] = {
        [DK_ACCOUNT] = "an account", [DK_OU] = "an OU", [DK_ROOT] = "a root",
        [DK_PARTITION] = "a partition", [DK_REGION] = "a region", [DK_RESOURCE_TYPE] = "a resource type",
        [DK_PERMISSIONS] = "a permission set", [DK_ROLE] = "a role", [DK_KEY] = "a key",
        [DK_VAULT] = "a vault", [DK_SELECTION] = "a selection", [DK_PLAN] = "a plan",
        [DK_POLICY] = "a policy", [DK_EVENT] = "a backup event", [DK_NOTIFY] = "a notification",
        [DK_RESTORE_TEST] = "a restore test", [DK_AUDIT_CONTROL] = "an audit control",
        [DK_AUDIT_FRAMEWORK] = "an audit framework", [DK_BUILTIN] = "members",
    };
    return articles[k];
}

const char *kinds_describe(struct arena *a, unsigned kinds)
{
    struct strbuf b = {0};
    size_t n = 0, total = 0;
    for (int k = 0; k < DK_COUNT; k++)
        total += (kinds >> k) & 1u;
    for (int k = 0; k < DK_COUNT; k++) {
        if (!(kinds & KIND(k)))
            continue;
        n++;
        if (n > 1)
            sb_puts(a, &b, n == total ? " or " : ", ");
        sb_puts(a, &b, decl_kind_article((enum decl_kind)k));
    }
    return sb_str(a, &b);
}

struct ir_decl ir_decl_implicit(enum decl_kind kind, const char *name, struct loc loc)
{
    return (struct ir_decl){.kind = kind, .name = name, .loc = loc, .name_loc = loc, .used = true, .implicit = true};
}
