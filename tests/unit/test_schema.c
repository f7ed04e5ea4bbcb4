/*
 * test_schema.c - the block schema (schema.def) as the one source of
 * truth: its tables are consistent, every list of words derives from it,
 * docs/language.md documents exactly its attributes (and which take +=
 * and -=), policy_paths.def agrees with it and policy_keys.def, and the IR records
 * for each attribute whether it was absent, set or rejected.
 *
 * Run from the repository root (it reads docs/language.md and stdlib/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

/* ---- the tables ---------------------------------------------------------- */

static void test_attributes_unique_per_block(void **state)
{
    (void)state;
    for (size_t i = 0; i < ATTR_COUNT; i++) {
        const struct attr_spec *a = schema_attr((enum attr_id)i);
        assert_true(a->block > BK_NONE && a->block < BK_COUNT);
        enum attr_id found;
        assert_true(schema_attr_lookup(a->block, a->name, &found));
        assert_int_equal(found, i); /* the first of that name is this one */
        assert_true(a->type != VT_ENUM || a->choices);
        bool ref = a->type == VT_REF || a->type == VT_REFS || a->type == VT_PRINCIPAL || a->type == VT_PRINCIPALS ||
                   a->type == VT_ROLE || a->type == VT_GRANTS;
        assert_int_equal(ref, a->kinds != 0);
    }
    enum attr_id id;
    assert_false(schema_attr_lookup(BK_RULE, "delete_afer", &id));
    assert_true(schema_attr_lookup(BK_COPY, "delete_after", &id));
    assert_int_equal(id, A_COPY_DELETE_AFTER);
}

static void test_words_derive_from_schema(void **state)
{
    (void)state;
    size_t ndecls, nwords;
    const struct decl_spec *decls = schema_decls(&ndecls);
    const char *const *words = schema_top_words(&nwords);
    /* the declarations, the unnamed top-level blocks, import */
    size_t unnamed = 0;
    for (size_t k = 0; k < BK_COUNT; k++) {
        const struct block_spec *b = schema_block((enum block_kind)k);
        assert_int_equal(b->kind, k);
        if (b->parent != BK_NONE) {
            assert_ptr_equal(schema_block_by_word(b->word, false), b);
            continue;
        }
        assert_ptr_equal(schema_block_by_word(b->word, true), b);
        const struct decl_spec *d = schema_decl_by_word(b->word);
        if (!d) {
            unnamed++;
            bool listed = false;
            for (size_t i = 0; i < nwords; i++)
                listed |= strcmp(words[i], b->word) == 0;
            assert_true(listed);
        } else {
            assert_int_equal(d->block, k);
        }
    }
    assert_int_equal(nwords, ndecls + unnamed + 1);
    for (size_t i = 0; i < ndecls; i++) {
        assert_string_equal(words[i], decls[i].word);
        assert_true(decls[i].form == ITEM_ASSIGN || decls[i].block != BK_NONE);
        /* a declaration of both forms: its short form's value is the one
         * ATTR_SHORT attribute of its block, the only one it requires */
        if (decls[i].form == ITEM_ASSIGN && decls[i].block != BK_NONE) {
            enum attr_id short_id = schema_short_attr(decls[i].block);
            assert_int_not_equal(short_id, ATTR_COUNT);
            for (size_t a = 0; a < ATTR_COUNT; a++) {
                const struct attr_spec *at = schema_attr((enum attr_id)a);
                if (at->block == decls[i].block && a != short_id)
                    assert_int_equal(at->flags & (ATTR_REQUIRED | ATTR_SHORT), 0);
            }
        }
    }
    for (size_t k = 0; k < BK_COUNT; k++) { /* ATTR_SHORT only where a DECL takes both forms */
        enum attr_id short_id = schema_short_attr((enum block_kind)k);
        if (short_id == ATTR_COUNT)
            continue;
        const struct decl_spec *d = schema_decl_by_word(schema_block((enum block_kind)k)->word);
        assert_non_null(d);
        assert_int_equal(d->form, ITEM_ASSIGN);
        assert_int_equal(d->block, k);
    }
    assert_string_equal(words[nwords - 1], "import");

    struct arena a;
    arena_init(&a);
    const char *text = schema_top_words_text(&a);
    for (size_t i = 0; i < nwords; i++)
        assert_non_null(strstr(text, words[i]));
    assert_non_null(strstr(text, "resource_type"));
    arena_free(&a);
}

/* ---- docs/language.md ---------------------------------------------------- */

/* The attribute names in the first column of the table that follows
 * `<!-- attributes: WORD -->`: every `name` in backquotes, except nested
 * blocks (`lock { }`). Appends to names (n at most max). */
static size_t doc_attributes(const char *doc, const char *word, const char **names, size_t max, char *store)
{
    char marker[64];
    snprintf(marker, sizeof marker, "<!-- attributes: %s -->\n", word);
    const char *p = strstr(doc, marker);
    if (!p)
        fail_msg("docs/language.md has no table for block '%s' (%s)", word, marker);
    p += strlen(marker);
    size_t n = 0;
    for (int row = 0; *p == '|'; row++) {
        const char *eol = strchr(p, '\n');
        const char *cell_end = strchr(p + 1, '|');
        if (row >= 2) /* past the header and the rule */
            for (const char *q = strchr(p, '`'); q && q < cell_end; q = strchr(q, '`')) {
                const char *e = strchr(q + 1, '`');
                if (!strchr(q, '{') || strchr(q, '{') > e) {
                    size_t len = (size_t)(e - q - 1);
                    memcpy(store, q + 1, len);
                    store[len] = '\0';
                    assert_true(n < max);
                    names[n++] = store;
                    store += len + 1;
                }
                q = e + 1;
            }
        p = eol ? eol + 1 : p + strlen(p);
    }
    return n;
}

static void test_language_doc_tables(void **state)
{
    (void)state;
    FILE *f = fopen("docs/language.md", "rb");
    assert_non_null(f);
    static char doc[1 << 20];
    size_t len = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[len] = '\0';
    for (size_t k = 0; k < BK_COUNT; k++) {
        const struct block_spec *b = schema_block((enum block_kind)k);
        const char *names[64];
        static char store[4096];
        size_t n = doc_attributes(doc, b->word, names, 64, store);
        size_t in_schema = 0;
        for (size_t i = 0; i < ATTR_COUNT; i++) {
            const struct attr_spec *a = schema_attr((enum attr_id)i);
            if (a->block != b->kind)
                continue;
            in_schema++;
            bool documented = false;
            for (size_t j = 0; j < n; j++)
                documented |= strcmp(names[j], a->name) == 0;
            if (!documented)
                fail_msg("docs/language.md: the %s table lacks '%s'", b->word, a->name);
        }
        for (size_t j = 0; j < n; j++) {
            enum attr_id id;
            if (!schema_attr_lookup(b->kind, names[j], &id))
                fail_msg("docs/language.md: the %s table lists '%s', which the schema does not have", b->word,
                         names[j]);
        }
        assert_int_equal(n, in_schema);
    }
}

/* Every attribute that takes += and -= (ATTR_LIST_OP) says so in its row
 * of docs/language.md ("also `+=`, `-=`"), and no other row does. */
static void test_language_doc_list_operators(void **state)
{
    (void)state;
    FILE *f = fopen("docs/language.md", "rb");
    assert_non_null(f);
    static char doc[1 << 20];
    size_t len = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[len] = '\0';
    for (size_t k = 0; k < BK_COUNT; k++) {
        const struct block_spec *b = schema_block((enum block_kind)k);
        char marker[64];
        snprintf(marker, sizeof marker, "<!-- attributes: %s -->\n", b->word);
        const char *p = strstr(doc, marker);
        assert_non_null(p);
        p += strlen(marker);
        for (int row = 0; *p == '|'; row++) {
            const char *eol = strchr(p, '\n');
            size_t n = eol ? (size_t)(eol - p) : strlen(p);
            char line[1024];
            snprintf(line, sizeof line, "%.*s", (int)n, p);
            p += n + (eol != NULL);
            if (row < 2 || line[2] != '`')
                continue;
            char name[64];
            const char *e = strchr(line + 3, '`');
            snprintf(name, sizeof name, "%.*s", (int)(e - line - 3), line + 3);
            enum attr_id id;
            if (!schema_attr_lookup(b->kind, name, &id))
                continue; /* nested blocks, or a row of several names */
            bool says = strstr(line, "`+=`") != NULL;
            bool takes = (schema_attr(id)->flags & ATTR_LIST_OP) != 0;
            if (says != takes)
                fail_msg("docs/language.md: the %s row of '%s' %s += and -=", b->word, name,
                         takes ? "does not mention" : "mentions, but the schema rejects");
        }
    }
}

/* policy_paths.def names blocks of schema.def and keys of
 * policy_keys.def, and every attribute that takes += and -= has a node. */
static void test_policy_paths(void **state)
{
    (void)state;
    static const char *const keys[] = {
#define KEY(id, node, key, kind, child, ops, need) key,
#include "policy_keys.def"
    };
    static const struct { const char *block, *name, *path; } paths[] = {
#define PATH(block, name, path) {block, name, path},
#include "policy_paths.def"
    };
    struct arena a;
    arena_init(&a);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const struct block_spec *b = schema_block_by_word(paths[i].block, true);
        if (!b)
            b = schema_block_by_word(paths[i].block, false);
        assert_non_null(b);
        assert_non_null(policy_node_of(paths[i].block));
        struct vec ks = {0};
        policy_path_split(&a, paths[i].path, &ks);
        assert_true(ks.len > 0);
        for (size_t k = 0; k < ks.len; k++) {
            const char *key = VEC_GET(const char, ks, k);
            bool known = strcmp(key, "GUARDDUTY") == 0; /* the scanner: a map entry */
            for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++)
                known |= strcmp(keys[j], key) == 0;
            if (!known)
                fail_msg("policy_paths.def: '%s' (%s %s) is no key of policy_keys.def", key, paths[i].block,
                         paths[i].name);
        }
    }
    for (size_t i = 0; i < ATTR_COUNT; i++) {
        const struct attr_spec *at = schema_attr((enum attr_id)i);
        if ((at->flags & ATTR_LIST_OP) && at->type != VT_MATCH) /* match: several keys of each entry */
            assert_non_null(policy_path_of(schema_block(at->block)->word, at->name));
    }
    arena_free(&a);
}

/* ---- value states -------------------------------------------------------- */

static const char *const rule_program =
    "import \"std/aws\"\n"
    "vault v { region = eu-west-1 }\n"
    "selection s { role = default_backup_role; match = tag(\"b\") == \"y\" }\n"
    "plan p {\n"
    "  regions = [eu-west-1]\n"
    "  select = [s]\n"
    "  rule r { schedule = daily at 05:00; vault = v; %s }\n"
    "}\n"
    "policy pol { plans = [p] }\n";

static const struct ir_rule *the_rule(const struct ir_program *prog)
{
    assert_non_null(prog);
    const struct ir_plan *p = VEC_GET(const struct ir_plan, prog->plans, 0);
    return VEC_GET(const struct ir_rule, p->rules, 0);
}

static void test_state_absent(void **state)
{
    struct compiled *c = *state;
    const struct ir_rule *r = the_rule(compile_printf(c, rule_program, ""));
    assert_int_equal(r->lc.delete_after.state, IR_ABSENT);
    assert_int_equal(r->vault_at.state, IR_SET);
    assert_int_equal(count_diags(c, OB9003), 1); /* forever: said once */
}

static void test_state_set(void **state)
{
    struct compiled *c = *state;
    const struct ir_rule *r = the_rule(compile_printf(c, rule_program, "delete_after = 35d"));
    assert_int_equal(r->lc.delete_after.state, IR_SET);
    assert_int_equal(r->lc.delete_after.v, 35);
    assert_int_equal(count_diags(c, OB9003), 0);
}

static void test_state_rejected_value(void **state)
{
    struct compiled *c = *state;
    const struct ir_rule *r = the_rule(compile_printf(c, rule_program, "delete_after = \"35d\""));
    assert_int_equal(r->lc.delete_after.state, IR_REJECTED);
    assert_int_equal(count_diags(c, OB2003), 1);
    assert_int_equal(count_diags(c, OB9003), 0); /* written, only wrongly */
}

static void test_state_rejected_misspelt(void **state)
{
    struct compiled *c = *state;
    const struct ir_rule *r = the_rule(compile_printf(c, rule_program, "delete_afer = 35d"));
    assert_int_equal(r->lc.delete_after.state, IR_REJECTED);
    assert_int_equal(count_diags(c, OB2005), 1);
    assert_int_equal(count_diags(c, OB9003), 0);
}

static void test_state_rejected_reference(void **state)
{
    struct compiled *c = *state;
    const struct ir_program *prog = compile_printf(c, rule_program, "delete_after = 35d");
    (void)prog;
    compiled_free(c);
    prog = compile_text(c, "import \"std/aws\"\n"
                           "vault v { region = [eu-west-1, eu-wst-1] }\n");
    assert_non_null(prog);
    const struct ir_vault *v = VEC_GET(const struct ir_vault, prog->vaults, 0);
    assert_int_equal(v->regions_at.state, IR_REJECTED);
    assert_int_equal(v->regions.len, 1);
    assert_int_equal(v->key_at.state, IR_ABSENT);
}

/* Warnings of rule_program with `rule_body`, after more errors than
 * the display limit shows. */
static size_t warnings_past_the_cap(struct compiled *c, const char *rule_body)
{
    struct text t;
    FILE *f = text_open(&t);
    for (int i = 0; i < LIMIT_DIAGNOSTICS + 5; i++)
        fprintf(f, "account a%d = \"1\"\n", i); /* OB2007 each */
    fprintf(f, rule_program, rule_body);
    char *src = text_close(&t);
    compile_text(c, src);
    free(src);
    assert_true(c->cc.diag.dropped > 0);
    size_t w = c->cc.diag.warnings;
    compiled_free(c);
    return w;
}

/* Past the display limit a rejected delete_after is still rejected: the
 * state lives in the IR, not in the list of diagnostics shown, so OB9003
 * (counted even when not shown) stays quiet. */
static void test_state_past_the_cap(void **state)
{
    struct compiled *c = *state;
    size_t kept = warnings_past_the_cap(c, "delete_after = 35d");
    assert_int_equal(warnings_past_the_cap(c, "delete_after = \"35d\""), kept);
    assert_int_equal(warnings_past_the_cap(c, ""), kept + 1); /* OB9003 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attributes_unique_per_block),
        cmocka_unit_test(test_words_derive_from_schema),
        cmocka_unit_test(test_language_doc_tables),
        cmocka_unit_test(test_language_doc_list_operators),
        cmocka_unit_test(test_policy_paths),
        cmocka_unit_test_setup_teardown(test_state_absent, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_state_set, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_state_rejected_value, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_state_rejected_misspelt, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_state_rejected_reference, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_state_past_the_cap, compiled_setup, compiled_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
