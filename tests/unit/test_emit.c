/*
 * test_emit.c - the emitters end to end on in-memory programs: exact
 * bytes of a compiled policy, byte-identical output across runs, the
 * copy-action key rule, the locations of emit_policy_located, the key
 * uses behind the manifest, and the
 * manifest of a program without the standard library.
 * Run from the repository root (the standard library is read from stdlib/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

static const char simple_src[] =
    "import \"std/aws\"\n"
    "root org_root = \"r-ab12\"\n"
    "vault local { name = \"org-backup\" }\n"
    "selection tagged {\n"
    "  role  = default_backup_role\n"
    "  match = tag(\"BackupEnabled\") in [\"True\", \"yes\"]\n"
    "}\n"
    "plan daily {\n"
    "  regions = [eu-central-1]\n"
    "  select  = [tagged]\n"
    "  tags    = { \"Owner\" = \"platform\" }\n"
    "  rule nightly {\n"
    "    schedule     = daily at 05:50\n"
    "    start_within = 1h\n"
    "    vault        = local\n"
    "    delete_after = 14d\n"
    "  }\n"
    "}\n"
    "policy org_backup {\n"
    "  plans  = [daily]\n"
    "  attach = [org_root]\n"
    "}\n";

static const char simple_policy[] =
    "{\n"
    "  \"plans\": {\n"
    "    \"daily\": {\n"
    "      \"regions\": {\n"
    "        \"@@assign\": [\n"
    "          \"eu-central-1\"\n"
    "        ]\n"
    "      },\n"
    "      \"rules\": {\n"
    "        \"nightly\": {\n"
    "          \"schedule_expression\": {\n"
    "            \"@@assign\": \"cron(50 5 ? * * *)\"\n"
    "          },\n"
    "          \"start_backup_window_minutes\": {\n"
    "            \"@@assign\": \"60\"\n"
    "          },\n"
    "          \"lifecycle\": {\n"
    "            \"delete_after_days\": {\n"
    "              \"@@assign\": \"14\"\n"
    "            }\n"
    "          },\n"
    "          \"target_backup_vault_name\": {\n"
    "            \"@@assign\": \"org-backup\"\n"
    "          }\n"
    "        }\n"
    "      },\n"
    "      \"selections\": {\n"
    "        \"tags\": {\n"
    "          \"tagged\": {\n"
    "            \"iam_role_arn\": {\n"
    "              \"@@assign\": \"arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole\"\n"
    "            },\n"
    "            \"tag_key\": {\n"
    "              \"@@assign\": \"BackupEnabled\"\n"
    "            },\n"
    "            \"tag_value\": {\n"
    "              \"@@assign\": [\n"
    "                \"True\",\n"
    "                \"yes\"\n"
    "              ]\n"
    "            }\n"
    "          }\n"
    "        }\n"
    "      },\n"
    "      \"backup_plan_tags\": {\n"
    "        \"owner\": {\n"
    "          \"tag_key\": {\n"
    "            \"@@assign\": \"Owner\"\n"
    "          },\n"
    "          \"tag_value\": {\n"
    "            \"@@assign\": \"platform\"\n"
    "          }\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n";

/* A central vault in a named account that receives copies from member
 * vaults encrypted with a member-side key. */
static const char copy_src[] =
    "import \"std/aws\"\n"
    "account backup = \"222222222222\"\n"
    "root org_root = \"r-ab12\"\n"
    "organization { id = \"o-a1b2c3d4e5\" }\n"
    "key member_key {\n"
    "  alias  = \"alias/org-backup\"\n"
    "  owner  = members\n"
    "  region = eu-central-1\n"
    "  grants = backup_vault_key\n"
    "  grant_to = [backup]\n"
    "}\n"
    "key central_key {\n"
    "  arn    = \"arn:aws:kms:eu-central-1:222222222222:key/6a1f0c7e-8d3b-4c71-9a55-1e6f0b7d3c21\"\n"
    "  grants = backup_vault_key\n"
    "}\n"
    "vault local { name = \"org-backup\"; key = member_key }\n"
    "vault central {\n"
    "  name   = \"org-backup-central\"\n"
    "  owner  = backup\n"
    "  region = eu-central-1\n"
    "  key    = central_key\n"
    "  accept_copies_from = organization\n"
    "}\n"
    "selection dbs {\n"
    "  role  = default_backup_role\n"
    "  match = type in [aurora, documentdb, neptune, rds] and tag(\"env\") == \"prod\"\n"
    "  source_keys = [member_key]\n"
    "}\n"
    "plan daily {\n"
    "  regions = [eu-central-1]\n"
    "  select  = [dbs]\n"
    "  rule nightly {\n"
    "    schedule     = daily at 05:50\n"
    "    vault        = local\n"
    "    delete_after = 14d\n"
    "    copy to central { delete_after = 30d }\n"
    "  }\n"
    "}\n"
    "policy org_backup { plans = [daily]; attach = [org_root] }\n";

/* A program compiled and emitted: `out` holds its struct out_file*. */
struct run {
    struct compiled c;
    struct vec out;
};

static void compile_src(struct run *r, const char *src)
{
    memset(r, 0, sizeof *r);
    assert_non_null(compile_text(&r->c, src));
    assert_int_equal(r->c.cc.diag.errors, 0);
    assert_true(obc_emit(&r->c.cc, &r->out));
}

static const struct out_file *find_out(const struct run *r, const char *name)
{
    for (size_t i = 0; i < r->out.len; i++) {
        const struct out_file *f = VEC_GET(const struct out_file, r->out, i);
        if (strcmp(f->name, name) == 0)
            return f;
    }
    fail_msg("no output file %s", name);
    return NULL;
}

static void test_policy_bytes(void **state)
{
    (void)state;
    struct run r;
    compile_src(&r, simple_src);
    assert_int_equal(r.out.len, 2);
    assert_string_equal(VEC_GET(struct out_file, r.out, 0)->name, MANIFEST_FILE);
    const struct out_file *f = find_out(&r, "org_backup.json");
    assert_int_equal(f->len, strlen(simple_policy));
    assert_string_equal(f->data, simple_policy);
    compiled_free(&r.c);
}

static void test_two_runs_identical(void **state)
{
    (void)state;
    const char *sources[] = {simple_src, copy_src};
    for (size_t s = 0; s < 2; s++) {
        struct run a, b;
        compile_src(&a, sources[s]);
        compile_src(&b, sources[s]);
        assert_int_equal(a.out.len, b.out.len);
        for (size_t i = 0; i < a.out.len; i++) {
            const struct out_file *x = VEC_GET(const struct out_file, a.out, i);
            const struct out_file *y = VEC_GET(const struct out_file, b.out, i);
            assert_string_equal(x->name, y->name);
            assert_int_equal(x->len, y->len);
            assert_memory_equal(x->data, y->data, x->len);
        }
        compiled_free(&a.c);
        compiled_free(&b.c);
    }
}

static const cJSON *path(const cJSON *j, const char *const *keys)
{
    for (; *keys && j; keys++)
        j = cJSON_GetObjectItemCaseSensitive(j, *keys);
    assert_non_null(j);
    return j;
}

static void test_copy_action_and_shared_arn(void **state)
{
    (void)state;
    struct run r;
    compile_src(&r, copy_src);
    cJSON *doc = cJSON_Parse(find_out(&r, "org_backup.json")->data);
    assert_non_null(doc);
    const char *arn = "arn:aws:backup:eu-central-1:222222222222:backup-vault:org-backup-central";
    const cJSON *copies = path(doc, (const char *[]){"plans", "daily", "rules", "nightly",
                                                     "copy_actions", NULL});
    assert_int_equal(cJSON_GetArraySize(copies), 1);
    assert_string_equal(copies->child->string, arn);
    const cJSON *target = path(copies->child, (const char *[]){"target_backup_vault_arn", "@@assign", NULL});
    assert_string_equal(target->valuestring, arn);
    /* aurora, documentdb and neptune share arn:aws:rds:*:*:cluster:* */
    const cJSON *types = path(doc, (const char *[]){"plans", "daily", "selections", "resources",
                                                   "dbs", "resource_types", "@@assign", NULL});
    assert_int_equal(cJSON_GetArraySize(types), 2);
    assert_string_equal(cJSON_GetArrayItem(types, 0)->valuestring, "arn:aws:rds:*:*:cluster:*");
    assert_string_equal(cJSON_GetArrayItem(types, 1)->valuestring, "arn:aws:rds:*:*:db:*");
    cJSON_Delete(doc);
    compiled_free(&r.c);
}

/* ---- emit_policy_located ------------------------------------------------ */

static const char located_src[] =
    "import \"std/aws\"\n"
    "root org_root = \"r-ab12\"\n"
    "vault local { name = \"org-backup\" }\n"
    "selection tagged {\n"
    "  role  = default_backup_role\n"
    "  match = tag(\"backup\") == \"true\"\n"
    "}\n"
    "plan daily {\n"
    "  regions += [eu-west-1]\n"
    "  select  = [tagged]\n"
    "  children regions = [append]\n"
    "  children windows_vss = none\n"
    "  rule nightly {\n"
    "    schedule     = daily at 05:00\n"
    "    vault        = local\n"
    "    delete_after = 35d\n"
    "  }\n"
    "}\n"
    "policy org_backup {\n"
    "  plans  = [daily]\n"
    "  attach = [org_root]\n"
    "}\n";

/* The source offset of the first `text` in located_src. */
static uint32_t offset_of(const char *text)
{
    const char *p = strstr(located_src, text);
    assert_non_null(p);
    return (uint32_t)(p - located_src);
}

static const struct loc *loc_of(const struct ptrset *locs, const cJSON *item)
{
    const struct loc *l = ptrset_get(locs, 0, item, NULL);
    assert_non_null(l);
    return l;
}

/* Every item under j has a location (the tree is a few levels deep). */
static size_t count_unlocated(const struct ptrset *locs, const cJSON *j)
{
    size_t n = ptrset_get(locs, 0, j, NULL) == NULL;
    for (const cJSON *c = j->child; c; c = c->next)
        n += count_unlocated(locs, c);
    return n;
}

static void test_policy_locations(void **state)
{
    (void)state;
    struct compiled c = {0};
    struct ir_program *prog = compile_text(&c, located_src);
    assert_non_null(prog);
    assert_int_equal(c.cc.diag.errors, 0);
    const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, 0);
    struct ptrset locs = {0};
    cJSON *doc = emit_policy_located(&c.cc, pol, &locs);
    assert_int_equal(count_unlocated(&locs, doc), 0);
    /* objects: the block that made them */
    assert_int_equal(loc_of(&locs, doc)->start, pol->d.loc.start);
    const cJSON *plan = path(doc, (const char *[]){"plans", "daily", NULL});
    assert_int_equal(loc_of(&locs, plan)->start, offset_of("plan daily"));
    const cJSON *rule = path(plan, (const char *[]){"rules", "nightly", NULL});
    assert_int_equal(loc_of(&locs, rule)->start, offset_of("rule nightly"));
    /* leaves: the operator object and the value inside it, the value written */
    const cJSON *regions = path(plan, (const char *[]){"regions", NULL});
    const cJSON *appended = path(regions, (const char *[]){"@@append", NULL});
    assert_int_equal(loc_of(&locs, regions)->start, offset_of("[eu-west-1]"));
    assert_int_equal(loc_of(&locs, appended)->start, offset_of("[eu-west-1]"));
    assert_int_equal(loc_of(&locs, appended->child)->start, offset_of("[eu-west-1]"));
    const cJSON *days = path(rule, (const char *[]){"lifecycle", "delete_after_days", NULL});
    assert_int_equal(loc_of(&locs, days)->start, offset_of("35d"));
    assert_int_equal(loc_of(&locs, days)->end, offset_of("35d") + 3);
    assert_int_equal(loc_of(&locs, path(days, (const char *[]){"@@assign", NULL}))->start, offset_of("35d"));
    /* controls: the `children` item, first in their node */
    const cJSON *control = regions->child;
    assert_string_equal(control->string, "@@operators_allowed_for_child_policies");
    assert_int_equal(loc_of(&locs, control)->start, offset_of("children regions"));
    assert_int_equal(loc_of(&locs, control->child)->start, offset_of("children regions"));
    /* a node made to hold only a control has the control's location */
    const cJSON *vss = path(plan, (const char *[]){"advanced_backup_settings", "ec2", "windows_vss", NULL});
    assert_int_equal(cJSON_GetArraySize(vss), 1);
    assert_int_equal(loc_of(&locs, vss)->start, offset_of("children windows_vss"));
    /* the same document as emit_policy */
    cJSON *plain = emit_policy(&c.cc, pol);
    char *a = json_print(doc, false), *b = json_print(plain, false);
    cJSON_Delete(doc);
    cJSON_Delete(plain);
    assert_string_equal(a, b);
    free(a);
    free(b);
    compiled_free(&c);
}

static void test_key_uses(void **state)
{
    (void)state;
    struct run r;
    compile_src(&r, copy_src);
    struct vec uses = {0};
    key_uses(&r.c.cc, r.c.prog, &uses);
    assert_int_equal(uses.len, 4);
    const struct key_use *u0 = VEC_GET(const struct key_use, uses, 0);
    const struct key_use *u1 = VEC_GET(const struct key_use, uses, 1);
    const struct key_use *u2 = VEC_GET(const struct key_use, uses, 2);
    const struct key_use *u3 = VEC_GET(const struct key_use, uses, 3);
    /* members write into their local vault */
    assert_int_equal(u0->kind, KEY_USE_VAULT_WRITE);
    assert_string_equal(u0->key->d.name, "member_key");
    assert_int_equal(u0->who.kind, PRIN_MEMBERS);
    assert_ptr_equal(u0->needs, r.c.prog->need_vault_writer);
    /* the selection's role backs up the databases the key encrypts; the
     * plan selects no fully managed type, so it needs no vault key */
    assert_int_equal(u1->kind, KEY_USE_BACKUP_ROLE);
    assert_string_equal(u1->key->d.name, "member_key");
    assert_true(u1->resource_key);
    assert_ptr_equal(u1->needs, r.c.prog->need_role_key);
    /* the backup account writes the copies into the central vault */
    assert_int_equal(u2->kind, KEY_USE_VAULT_WRITE);
    assert_string_equal(u2->key->d.name, "central_key");
    assert_int_equal(u2->who.kind, PRIN_ACCOUNT);
    assert_string_equal(u2->who.account->id, "222222222222");
    /* ... and must be able to use the key the recovery points keep: the
     * databases' own key (source_keys), not the vault's */
    assert_int_equal(u3->kind, KEY_USE_COPY_SOURCE);
    assert_string_equal(u3->key->d.name, "member_key");
    assert_true(u3->resource_key);
    assert_string_equal(u3->who.account->id, "222222222222");
    assert_ptr_equal(u3->needs, r.c.prog->need_copy_source);
    assert_string_equal(u3->role, "AWSServiceRoleForBackup");
    compiled_free(&r.c);
}

static void test_manifest_basics(void **state)
{
    (void)state;
    struct run r;
    compile_src(&r, copy_src);
    cJSON *m = cJSON_Parse(find_out(&r, MANIFEST_FILE)->data);
    assert_non_null(m);
    assert_int_equal(path(m, (const char *[]){"manifest_version", NULL})->valueint, 1);
    assert_true(cJSON_IsTrue(path(m, (const char *[]){"organization", "cross_account_backup", NULL})));
    const cJSON *accounts = path(m, (const char *[]){"accounts", NULL});
    assert_int_equal(cJSON_GetArraySize(accounts), 2);
    assert_string_equal(path(cJSON_GetArrayItem(accounts, 0), (const char *[]){"account", NULL})->valuestring,
                        "$account");
    const cJSON *central = cJSON_GetArrayItem(accounts, 1);
    assert_string_equal(path(central, (const char *[]){"account", NULL})->valuestring, "222222222222");
    const cJSON *vault = cJSON_GetArrayItem(path(cJSON_GetArrayItem(path(central, (const char *[]){"regions", NULL}), 0),
                                                 (const char *[]){"vaults", NULL}),
                                            0);
    const cJSON *org = path(vault, (const char *[]){"access_policy", "Statement", NULL})->child;
    assert_string_equal(path(org, (const char *[]){"Condition", "StringEquals", "aws:PrincipalOrgID", NULL})->valuestring,
                        "o-a1b2c3d4e5");
    const cJSON *keys = path(m, (const char *[]){"keys", NULL});
    assert_int_equal(cJSON_GetArraySize(keys), 2);
    const cJSON *member_key = cJSON_GetArrayItem(keys, 0);
    assert_string_equal(path(member_key, (const char *[]){"name", NULL})->valuestring, "member_key");
    const cJSON *stmts = path(member_key, (const char *[]){"statements", NULL});
    assert_int_equal(cJSON_GetArraySize(stmts), 3);
    assert_string_equal(path(cJSON_GetArrayItem(stmts, 1), (const char *[]){"principal", NULL})->valuestring,
                        "arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole");
    assert_string_equal(path(cJSON_GetArrayItem(stmts, 2), (const char *[]){"principal", NULL})->valuestring,
                        "arn:aws:iam::222222222222:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup");
    cJSON_Delete(m);
    compiled_free(&r.c);
}

/* Without std/aws the service-linked role and the backup service
 * principal are unknown: the manifest leaves them out instead of making
 * them up, and the key uses name the role in words. */
static const char no_std_src[] =
    "partition aws { cross_account_copy = true }\n"
    "region xx-east-1 { partition = aws }\n"
    "root org_root = \"r-ab12\"\n"
    "role backup_role { name = \"BackupRole\" }\n"
    "key member_key { alias = \"alias/backups\"; owner = members; grants = [\"kms:Decrypt\"] }\n"
    "vault local { name = \"backups\"; key = member_key }\n"
    "selection tagged { role = backup_role; match = tag(\"backup\") == \"true\" }\n"
    "plan daily {\n"
    "  regions = [xx-east-1]\n"
    "  select  = [tagged]\n"
    "  rule nightly { schedule = daily at 05:00; vault = local; delete_after = 35d }\n"
    "}\n"
    "policy org_backup { plans = [daily]; attach = [org_root] }\n";

static void test_manifest_without_std(void **state)
{
    (void)state;
    struct run r;
    compile_src(&r, no_std_src);
    assert_null(r.c.prog->service_linked_role);
    struct vec uses = {0};
    key_uses(&r.c.cc, r.c.prog, &uses);
    assert_int_equal(uses.len, 1);
    const struct key_use *u = VEC_GET(const struct key_use, uses, 0);
    assert_string_equal(u->role, "the AWS Backup service-linked role");
    assert_null(u->needs);
    cJSON *m = cJSON_Parse(find_out(&r, MANIFEST_FILE)->data);
    assert_non_null(m);
    assert_int_equal(cJSON_GetArraySize(path(m, (const char *[]){"organization", "trusted_service_access", NULL})), 0);
    const cJSON *members = cJSON_GetArrayItem(path(m, (const char *[]){"accounts", NULL}), 0);
    assert_null(cJSON_GetObjectItemCaseSensitive(members, "service_linked_role"));
    const cJSON *role = cJSON_GetArrayItem(path(members, (const char *[]){"iam_roles", NULL}), 0);
    assert_string_equal(path(role, (const char *[]){"name", NULL})->valuestring, "BackupRole");
    assert_null(cJSON_GetObjectItemCaseSensitive(role, "trusts"));
    const cJSON *notes = path(members, (const char *[]){"notes", NULL});
    const cJSON *last = cJSON_GetArrayItem(notes, cJSON_GetArraySize(notes) - 1);
    assert_non_null(strstr(last->valuestring, "import \"std/aws\""));
    const cJSON *key = cJSON_GetArrayItem(path(m, (const char *[]){"keys", NULL}), 0);
    const cJSON *st = cJSON_GetArrayItem(path(key, (const char *[]){"statements", NULL}), 0);
    assert_non_null(st);
    assert_null(cJSON_GetObjectItemCaseSensitive(st, "principal"));
    assert_int_equal(cJSON_GetArraySize(path(st, (const char *[]){"actions", NULL})), 0);
    cJSON_Delete(m);
    compiled_free(&r.c);
}

static void test_minified_policy(void **state)
{
    (void)state;
    struct run r;
    compile_src(&r, simple_src);
    cJSON *doc = emit_policy(&r.c.cc, VEC_GET(const struct ir_policy, r.c.prog->policies, 0));
    char *text = json_print(doc, false);
    cJSON_Delete(doc);
    assert_non_null(text);
    assert_string_equal(
        text,
        "{\"plans\":{\"daily\":{\"regions\":{\"@@assign\":[\"eu-central-1\"]},\"rules\":{\"nightly\":"
        "{\"schedule_expression\":{\"@@assign\":\"cron(50 5 ? * * *)\"},"
        "\"start_backup_window_minutes\":{\"@@assign\":\"60\"},"
        "\"lifecycle\":{\"delete_after_days\":{\"@@assign\":\"14\"}},"
        "\"target_backup_vault_name\":{\"@@assign\":\"org-backup\"}}},"
        "\"selections\":{\"tags\":{\"tagged\":{\"iam_role_arn\":{\"@@assign\":"
        "\"arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole\"},"
        "\"tag_key\":{\"@@assign\":\"BackupEnabled\"},\"tag_value\":{\"@@assign\":[\"True\",\"yes\"]}}}},"
        "\"backup_plan_tags\":{\"owner\":{\"tag_key\":{\"@@assign\":\"Owner\"},"
        "\"tag_value\":{\"@@assign\":\"platform\"}}}}}}");
    free(text);
    compiled_free(&r.c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_bytes),
        cmocka_unit_test(test_two_runs_identical),
        cmocka_unit_test(test_copy_action_and_shared_arn),
        cmocka_unit_test(test_policy_locations),
        cmocka_unit_test(test_key_uses),
        cmocka_unit_test(test_manifest_basics),
        cmocka_unit_test(test_manifest_without_std),
        cmocka_unit_test(test_minified_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
