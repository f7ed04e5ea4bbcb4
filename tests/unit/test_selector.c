/*
 * test_selector.c - match expressions to AWS selection entries, end to end
 * (source text through obc_analyze): the tags and resources mappings, De
 * Morgan, type intersection, entry names and their determinism, the shape
 * errors (OB2003), OB5001-OB5006 with near misses that must stay clean,
 * and entry-name clashes in a plan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

/* ------------------------------------------------------------------ */
/* fixture                                                             */

/* Everything a program needs around its selections. PLAN_SELECT is the
 * plan's `select` value. */
#define PRELUDE                                                                  \
    "import \"std/aws\"\n"                                                       \
    "root org_root = \"r-ab12\"\n"                                               \
    "vault local {\n"                                                            \
    "  name = \"org-backup\"\n"                                                  \
    "}\n"                                                                        \
    "policy pol {\n"                                                             \
    "  plans  = [p]\n"                                                           \
    "  attach = [org_root]\n"                                                    \
    "}\n"

static const char *plan_text(const char *select)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             "plan p {\n"
             "  regions = [eu-central-1]\n"
             "  select  = %s\n"
             "  rule nightly {\n"
             "    schedule     = daily at 05:50\n"
             "    vault        = local\n"
             "    delete_after = 14d\n"
             "  }\n"
             "}\n",
             select);
    return buf;
}

/* A program whose plan selects the one selection `s` with this match. */
static void run_match(struct compiled *r, const char *match)
{
    compile_printf(r, "%s%sselection s {\n  role  = default_backup_role\n  match = %s\n}\n", PRELUDE,
                   plan_text("[s]"), match);
}

/* A program with the given selections (full text) and plan `select`. */
static void run_selections(struct compiled *r, const char *selections, const char *select)
{
    compile_printf(r, "%s%s%s", PRELUDE, plan_text(select), selections);
}

static const struct diag *first_diag(const struct compiled *r, enum diag_code code)
{
    const struct diag *d = find_diag(r, code);
    if (!d)
        fail_msg("no %s diagnostic", diag_info(code)->id);
    return d;
}

/* The source text a range covers. */
static const char *loc_text(struct compiled *r, struct loc loc)
{
    struct src_file *f = src_get(&r->cc, loc.file);
    assert_non_null(f);
    assert_true(loc.start <= loc.end && loc.end <= f->len);
    return arena_strndup(&r->cc.arena, f->text + loc.start, loc.end - loc.start);
}

static void print_diags(const struct compiled *r)
{
    for (size_t i = 0; i < r->cc.diag.list.len; i++) {
        const struct diag *d = VEC_GET(struct diag, r->cc.diag.list, i);
        print_message("  %s: %s%s%s\n", diag_info(d->code)->id, d->msg, d->help ? " | help: " : "",
                      d->help ? d->help : "");
    }
}

static void assert_clean(struct compiled *r)
{
    if (r->cc.diag.errors)
        print_diags(r);
    assert_int_equal(r->cc.diag.errors, 0);
    assert_non_null(r->prog);
}

/* Exactly one error, of this code. */
static const struct diag *assert_only_error(struct compiled *r, enum diag_code code)
{
    if (r->cc.diag.errors != 1 || count_diags(r, code) != 1)
        print_diags(r);
    assert_int_equal(r->cc.diag.errors, 1);
    assert_int_equal(count_diags(r, code), 1);
    return first_diag(r, code);
}

static void assert_contains(const char *text, const char *part)
{
    if (!text || !strstr(text, part))
        fail_msg("'%s' does not contain '%s'", text ? text : "(null)", part);
}

static const struct ir_selection *selection(const struct compiled *r, const char *name)
{
    for (size_t i = 0; i < r->prog->selections.len; i++) {
        const struct ir_selection *s = VEC_GET(struct ir_selection, r->prog->selections, i);
        if (strcmp(s->d.name, name) == 0)
            return s;
    }
    fail_msg("no selection '%s'", name);
    return NULL;
}

static const struct ir_sel_entry *entry(const struct compiled *r, const char *sel, size_t i)
{
    const struct ir_selection *s = selection(r, sel);
    assert_true(i < s->entries.len);
    return VEC_GET(struct ir_sel_entry, s->entries, i);
}

static size_t entry_count(const struct compiled *r, const char *sel)
{
    return selection(r, sel)->entries.len;
}

/* "a,b" from a vector of strings. */
static const char *join_strings(struct compiled *r, const struct vec *v)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < v->len; i++)
        sb_printf(&r->cc.arena, &b, "%s%s", i ? "," : "", VEC_GET(const char, *v, i));
    return sb_str(&r->cc.arena, &b);
}

/* "rds,aurora" from a vector of resource types. */
static const char *join_types(struct compiled *r, const struct vec *v)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < v->len; i++)
        sb_printf(&r->cc.arena, &b, "%s%s", i ? "," : "", VEC_GET(struct ir_restype, *v, i)->d.name);
    return sb_str(&r->cc.arena, &b);
}

/* "==env=prod;like:team=data-*" from the conditions of an entry. */
static const char *join_conditions(struct compiled *r, const struct ir_sel_entry *e)
{
    static const char *const op[] = {"==", "!=", "like", "not like"};
    struct strbuf b = {0};
    for (size_t i = 0; i < e->conditions.len; i++) {
        const struct ir_condition *c = VEC_GET(struct ir_condition, e->conditions, i);
        sb_printf(&r->cc.arena, &b, "%s%s %s %s", i ? "; " : "", c->tag_key, op[c->op], c->value);
    }
    return sb_str(&r->cc.arena, &b);
}

static void assert_tags_entry(struct compiled *r, const struct ir_sel_entry *e, const char *key, const char *values,
                              const char *conditions)
{
    assert_false(e->resources);
    assert_string_equal(e->tag_key, key);
    assert_string_equal(join_strings(r, &e->tag_values), values);
    assert_string_equal(join_conditions(r, e), conditions);
    assert_int_equal(e->types.len, 0);
    assert_int_equal(e->not_types.len, 0);
}

static void assert_resources_entry(struct compiled *r, const struct ir_sel_entry *e, const char *types,
                                   const char *not_types, const char *conditions)
{
    assert_true(e->resources);
    assert_null(e->tag_key);
    assert_int_equal(e->tag_values.len, 0);
    assert_string_equal(join_types(r, &e->types), types);
    assert_string_equal(join_types(r, &e->not_types), not_types);
    assert_string_equal(join_conditions(r, e), conditions);
}

/* ------------------------------------------------------------------ */
/* tags entries                                                        */

static void test_tag_equals_is_tags_entry(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "tag(\"BackupEnabled\") == \"True\"");
    assert_clean(&r);
    assert_int_equal(entry_count(&r, "s"), 1);
    const struct ir_sel_entry *e = entry(&r, "s", 0);
    assert_string_equal(e->name, "s");
    assert_tags_entry(&r, e, "BackupEnabled", "True", "");
    assert_string_equal(loc_text(&r, e->loc), "tag(\"BackupEnabled\") == \"True\"");
    assert_string_equal(loc_text(&r, selection(&r, "s")->match_at.loc), "tag(\"BackupEnabled\") == \"True\"");
    compiled_free(&r);
}

static void test_tag_in_gives_values_in_order_without_duplicates(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "tag(\"env\") in [\"prod\", \"stage\", \"prod\", \"dev\"]");
    assert_clean(&r);
    assert_tags_entry(&r, entry(&r, "s", 0), "env", "prod,stage,dev", "");
    compiled_free(&r);

    run_match(&r, "tag(\"env\") in [\"prod\"]");
    assert_clean(&r);
    assert_tags_entry(&r, entry(&r, "s", 0), "env", "prod", "");
    compiled_free(&r);
}

static void test_tags_entry_other_atoms_become_conditions(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "tag(\"backup\") == \"true\" and tag(\"env\") != \"dev\" and tag(\"team\") like \"data-*\""
                  " and tag(\"tier\") not like \"t*\" and tag(\"x\") not in [\"a\", \"b\"] and tag(\"y\") in [\"c\"]");
    assert_clean(&r);
    assert_int_equal(entry_count(&r, "s"), 1);
    assert_tags_entry(&r, entry(&r, "s", 0), "backup", "true",
                      "env != dev; team like data-*; tier not like t*; x != a; x != b; y == c");
    compiled_free(&r);
}

static void test_tags_entry_first_equals_is_the_key(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "tag(\"a\") == \"1\" and tag(\"b\") == \"2\"");
    assert_clean(&r);
    assert_tags_entry(&r, entry(&r, "s", 0), "a", "1", "b == 2");
    compiled_free(&r);

    /* a negative test first does not become the key */
    run_match(&r, "tag(\"z\") != \"0\" and tag(\"b\") == \"2\"");
    assert_clean(&r);
    assert_tags_entry(&r, entry(&r, "s", 0), "b", "2", "z != 0");
    compiled_free(&r);
}

static void test_tags_entry_multi_value_in_is_the_key(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "tag(\"b\") == \"2\" and tag(\"a\") in [\"x\", \"y\"]");
    assert_clean(&r);
    assert_tags_entry(&r, entry(&r, "s", 0), "a", "x,y", "b == 2");
    compiled_free(&r);
}

/* ------------------------------------------------------------------ */
/* resources entries                                                   */

static void test_type_in_is_resources_entry(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type in [rds, aurora, dynamodb] and tag(\"env\") == \"prod\" and tag(\"team\") like \"data-*\"");
    assert_clean(&r);
    assert_int_equal(entry_count(&r, "s"), 1);
    const struct ir_sel_entry *e = entry(&r, "s", 0);
    assert_string_equal(e->name, "s");
    assert_resources_entry(&r, e, "rds,aurora,dynamodb", "", "env == prod; team like data-*");
    const struct ir_condition *c = VEC_GET(struct ir_condition, e->conditions, 0);
    assert_int_equal(c->op, COND_EQUALS);
    assert_string_equal(loc_text(&r, c->loc), "tag(\"env\") == \"prod\"");
    assert_int_equal(VEC_GET(struct ir_condition, e->conditions, 1)->op, COND_LIKE);
    compiled_free(&r);
}

static void test_resources_entry_condition_operators(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type in [s3] and tag(\"a\") != \"1\" and tag(\"b\") not like \"x*\" and tag(\"c\") in [\"3\"]"
                  " and tag(\"d\") not in [\"4\", \"5\", \"4\"]");
    assert_clean(&r);
    const struct ir_sel_entry *e = entry(&r, "s", 0);
    assert_resources_entry(&r, e, "s3", "", "a != 1; b not like x*; c == 3; d != 4; d != 5");
    static const enum cond_op ops[] = {COND_NOT_EQUALS, COND_NOT_LIKE, COND_EQUALS, COND_NOT_EQUALS,
                                       COND_NOT_EQUALS};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(VEC_GET(struct ir_condition, e->conditions, i)->op, ops[i]);
    compiled_free(&r);
}

static void test_type_not_in_gives_not_types(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type in [any] and type not in [s3, ebs, s3] and type not in [efs]");
    assert_clean(&r);
    const struct ir_sel_entry *e = entry(&r, "s", 0);
    assert_resources_entry(&r, e, "any", "s3,ebs,efs", "");
    assert_true(VEC_GET(struct ir_restype, e->types, 0)->is_any);
    compiled_free(&r);
}

static void test_type_lists_intersect(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type in [rds, aurora, s3, rds] and type in [s3, rds]");
    assert_clean(&r);
    assert_resources_entry(&r, entry(&r, "s", 0), "rds,s3", "", "");
    compiled_free(&r);

    run_match(&r, "type in [any] and type in [rds, ebs]");
    assert_clean(&r);
    assert_resources_entry(&r, entry(&r, "s", 0), "rds,ebs", "", "");
    compiled_free(&r);

    run_match(&r, "type in [rds, ebs] and type in [any]");
    assert_clean(&r);
    assert_resources_entry(&r, entry(&r, "s", 0), "rds,ebs", "", "");
    compiled_free(&r);

    /* any absorbs the other types of its list */
    run_match(&r, "type in [rds, any]");
    assert_clean(&r);
    assert_resources_entry(&r, entry(&r, "s", 0), "any", "", "");
    compiled_free(&r);
}

static void test_empty_intersection_is_ob5001(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type in [rds, ebs] and tag(\"a\") == \"b\" and type in [s3]");
    const struct diag *d = assert_only_error(&r, OB5001);
    assert_string_equal(loc_text(&r, d->loc), "type in [rds, ebs] and tag(\"a\") == \"b\" and type in [s3]");
    assert_non_null(d->notes);
    assert_string_equal(loc_text(&r, d->notes->loc), "type in [rds, ebs]");
    assert_non_null(d->notes->next);
    assert_string_equal(loc_text(&r, d->notes->next->loc), "type in [s3]");
    assert_null(d->notes->next->next);
    assert_int_equal(selection(&r, "s")->entries.len, 0);
    compiled_free(&r);
}

static void test_type_not_in_that_excludes_everything_is_ob5001(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type in [rds] and type not in [rds]");
    assert_only_error(&r, OB5001);
    compiled_free(&r);

    /* aurora and neptune share one ARN pattern: AWS cannot tell them apart */
    run_match(&r, "type in [aurora] and type not in [neptune]");
    const struct diag *d = assert_only_error(&r, OB5001);
    assert_contains(d->help, "'aurora' has the ARN pattern of 'neptune'");
    compiled_free(&r);

    run_match(&r, "type in [any] and type not in [any]");
    assert_only_error(&r, OB5001);
    compiled_free(&r);

    /* near miss: something is left */
    run_match(&r, "type in [rds, s3] and type not in [rds]");
    assert_clean(&r);
    assert_resources_entry(&r, entry(&r, "s", 0), "rds,s3", "rds", "");
    compiled_free(&r);
}

/* ------------------------------------------------------------------ */
/* OB5001, OB5002, OB5003                                              */

static void test_no_positive_test_is_ob5001(void **state)
{
    (void)state;
    static const char *const matches[] = {
        "tag(\"env\") != \"dev\"",
        "tag(\"env\") not like \"dev*\"",
        "tag(\"env\") like \"prod*\"",
        "tag(\"env\") not in [\"a\", \"b\"]",
        "not tag(\"env\") == \"dev\"",
        "tag(\"env\") != \"dev\" and tag(\"x\") not like \"y\"",
    };
    for (size_t i = 0; i < sizeof matches / sizeof matches[0]; i++) {
        struct compiled r;
        run_match(&r, matches[i]);
        const struct diag *d = assert_only_error(&r, OB5001);
        assert_string_equal(loc_text(&r, d->loc), matches[i]);
        assert_contains(d->help, "tag(\"backup\") == \"true\"");
        assert_contains(d->help, "type in [any]");
        compiled_free(&r);
    }

    /* the help gives the rewrite that keeps the meaning, and says what
     * 'not' made of the group */
    struct compiled r;
    run_match(&r, "tag(\"env\") != \"dev\" and tag(\"x\") not like \"y\"");
    const struct diag *d = assert_only_error(&r, OB5001);
    assert_string_equal(d->help, "add a positive test such as tag(\"backup\") == \"true\", or write type in [any] and "
                                 "tag(\"env\") != \"dev\" and tag(\"x\") not like \"y\" to back up every resource "
                                 "that passes the group");
    compiled_free(&r);

    run_match(&r, "not (tag(\"env\") == \"dev\" or tag(\"x\") in [\"1\", \"2\"])");
    d = assert_only_error(&r, OB5001);
    assert_contains(d->help, "with 'not' pushed inwards the group is tag(\"env\") != \"dev\" and "
                             "tag(\"x\") not in [\"1\", \"2\"]; ");
    compiled_free(&r);

    run_match(&r, "tag(\"env\") like \"prod*\"");
    d = assert_only_error(&r, OB5001);
    assert_contains(d->help, "in AWS 'like' is only a condition: add a positive test");
    compiled_free(&r);
}

static void test_type_not_in_without_type_in_is_ob5001(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type not in [s3]");
    const struct diag *d = assert_only_error(&r, OB5001);
    assert_string_equal(loc_text(&r, d->loc), "type not in [s3]");
    assert_contains(d->help, "type in [any] and type not in [s3]");
    compiled_free(&r);

    run_match(&r, "tag(\"a\") == \"b\" and type not in [s3]");
    d = assert_only_error(&r, OB5001);
    assert_string_equal(loc_text(&r, d->loc), "type not in [s3]");
    assert_string_equal(d->msg, "'type not in' needs a 'type in' in the same and-group");
    compiled_free(&r);

    /* a `type not in` that 'not' made */
    run_match(&r, "tag(\"a\") == \"b\" and not (type in [s3])");
    d = assert_only_error(&r, OB5001);
    assert_string_equal(loc_text(&r, d->loc), "type in [s3]");
    assert_string_equal(d->msg, "'not' turns this into type not in [s3], which needs a 'type in' in the same and-group");
    compiled_free(&r);

    /* near miss */
    run_match(&r, "tag(\"a\") == \"b\" and type in [any] and type not in [s3]");
    assert_clean(&r);
    assert_resources_entry(&r, entry(&r, "s", 0), "any", "s3", "a == b");
    compiled_free(&r);
}

static void test_two_in_lists_on_different_keys_is_ob5002(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "tag(\"a\") in [\"1\", \"2\"] and tag(\"b\") in [\"3\", \"4\"]");
    const struct diag *d = assert_only_error(&r, OB5002);
    assert_string_equal(loc_text(&r, d->loc), "tag(\"a\") in [\"1\", \"2\"]");
    assert_non_null(d->notes);
    assert_string_equal(loc_text(&r, d->notes->loc), "tag(\"b\") in [\"3\", \"4\"]");
    assert_contains(d->help, "(tag(\"b\") == \"3\" or tag(\"b\") == \"4\") in place of tag(\"b\") in [\"3\", \"4\"]");
    compiled_free(&r);

    /* three keys: one error for the group, a note at each further list */
    run_match(&r, "tag(\"a\") in [\"1\", \"2\"] and tag(\"b\") in [\"3\", \"4\"] and tag(\"c\") in [\"5\", \"6\"]");
    d = assert_only_error(&r, OB5002);
    assert_contains(d->msg, "tags \"a\", \"b\" and \"c\"");
    assert_non_null(d->notes);
    assert_string_equal(loc_text(&r, d->notes->loc), "tag(\"b\") in [\"3\", \"4\"]");
    assert_non_null(d->notes->next);
    assert_string_equal(loc_text(&r, d->notes->next->loc), "tag(\"c\") in [\"5\", \"6\"]");
    assert_null(d->notes->next->next);
    compiled_free(&r);

    /* near miss: the second list has one value, so it is a condition */
    run_match(&r, "tag(\"a\") in [\"1\", \"2\"] and tag(\"b\") in [\"3\", \"3\"]");
    assert_clean(&r);
    assert_tags_entry(&r, entry(&r, "s", 0), "a", "1,2", "b == 3");
    compiled_free(&r);

    /* near miss: with type in, both lists are conditions: OB5003 instead */
    run_match(&r, "type in [rds] and tag(\"a\") in [\"1\", \"2\"] and tag(\"b\") in [\"3\", \"4\"]");
    assert_int_equal(count_diags(&r, OB5002), 0);
    assert_int_equal(count_diags(&r, OB5003), 2);
    compiled_free(&r);
}

static void test_in_list_as_condition_is_ob5003(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type in [rds] and tag(\"env\") in [\"a\", \"b\"]");
    const struct diag *d = assert_only_error(&r, OB5003);
    assert_string_equal(loc_text(&r, d->loc), "tag(\"env\") in [\"a\", \"b\"]");
    assert_string_equal(d->help, "write it as alternatives, (tag(\"env\") == \"a\" or tag(\"env\") == \"b\"): "
                                 "each becomes its own selection entry");
    compiled_free(&r);

    /* a list that 'not' made: the help shows it as it is now */
    run_match(&r, "type in [rds] and not (tag(\"env\") not in [\"a\", \"b\", \"c\", \"d\"])");
    d = assert_only_error(&r, OB5003);
    assert_string_equal(loc_text(&r, d->loc), "tag(\"env\") not in [\"a\", \"b\", \"c\", \"d\"]");
    assert_contains(d->help, "this test is tag(\"env\") in [\"a\", \"b\", \"c\", ...]");
    assert_contains(d->help, "(tag(\"env\") == \"a\" or tag(\"env\") == \"b\" or tag(\"env\") == \"c\" or ...)");
    compiled_free(&r);

    /* the same key in two lists of a tags entry: the values both hold */
    run_match(&r, "tag(\"env\") in [\"a\", \"b\"] and tag(\"env\") in [\"b\", \"c\"]");
    d = assert_only_error(&r, OB5003);
    assert_string_equal(loc_text(&r, d->loc), "tag(\"env\") in [\"b\", \"c\"]");
    assert_non_null(d->notes);
    assert_string_equal(loc_text(&r, d->notes->loc), "tag(\"env\") in [\"a\", \"b\"]");
    assert_contains(d->help, "write the one value they share, tag(\"env\") == \"b\"");
    compiled_free(&r);

    run_match(&r, "tag(\"env\") in [\"a\", \"b\", \"c\"] and tag(\"env\") in [\"c\", \"b\"]");
    d = assert_only_error(&r, OB5003);
    assert_contains(d->help, "tag(\"env\") in [\"b\", \"c\"]");
    compiled_free(&r);

    run_match(&r, "tag(\"env\") in [\"a\", \"b\"] and tag(\"env\") in [\"c\", \"d\"]");
    d = assert_only_error(&r, OB5003);
    assert_contains(d->help, "never matches");
    compiled_free(&r);

    /* near miss: the rewrite the help suggests */
    run_match(&r, "(type in [rds] and tag(\"env\") == \"a\") or (type in [rds] and tag(\"env\") == \"b\")");
    assert_clean(&r);
    assert_int_equal(entry_count(&r, "s"), 2);
    assert_resources_entry(&r, entry(&r, "s", 0), "rds", "", "env == a");
    assert_resources_entry(&r, entry(&r, "s", 1), "rds", "", "env == b");
    compiled_free(&r);
}

/* ------------------------------------------------------------------ */
/* normal form                                                         */

static void test_de_morgan(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type in [rds] and not (tag(\"a\") == \"1\" or tag(\"b\") like \"x*\")");
    assert_clean(&r);
    assert_int_equal(entry_count(&r, "s"), 1);
    assert_resources_entry(&r, entry(&r, "s", 0), "rds", "", "a != 1; b not like x*");
    compiled_free(&r);

    /* not(and) is an or: two groups */
    run_match(&r, "type in [any] and not (tag(\"a\") != \"1\" and type in [rds])");
    assert_clean(&r);
    assert_int_equal(entry_count(&r, "s"), 2);
    assert_resources_entry(&r, entry(&r, "s", 0), "any", "", "a == 1");
    assert_resources_entry(&r, entry(&r, "s", 1), "any", "rds", "");
    compiled_free(&r);

    /* not(in) is not in, not(not in) is in, not(type not in) is type in */
    run_match(&r, "not (type not in [s3]) and not (tag(\"a\") in [\"1\", \"2\"]) and not (tag(\"b\") not in [\"3\"])"
                  " and not (tag(\"c\") not like \"y*\")");
    assert_clean(&r);
    assert_resources_entry(&r, entry(&r, "s", 0), "s3", "", "a != 1; a != 2; b == 3; c like y*");
    compiled_free(&r);

    run_match(&r, "not not tag(\"a\") == \"1\"");
    assert_clean(&r);
    assert_tags_entry(&r, entry(&r, "s", 0), "a", "1", "");
    compiled_free(&r);

    run_match(&r, "not (tag(\"a\") != \"1\")");
    assert_clean(&r);
    assert_tags_entry(&r, entry(&r, "s", 0), "a", "1", "");
    compiled_free(&r);
}

static void test_groups_follow_source_order(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "tag(\"a\") == \"1\" or tag(\"b\") == \"2\" or tag(\"c\") == \"3\"");
    assert_clean(&r);
    assert_int_equal(entry_count(&r, "s"), 3);
    static const char *const keys[] = {"a", "b", "c"};
    static const char *const names[] = {"s-1", "s-2", "s-3"};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(entry(&r, "s", i)->name, names[i]);
        assert_string_equal(entry(&r, "s", i)->tag_key, keys[i]);
    }
    assert_string_equal(loc_text(&r, entry(&r, "s", 1)->loc), "tag(\"b\") == \"2\"");
    compiled_free(&r);

    run_match(&r, "(tag(\"a\") == \"1\" or tag(\"b\") == \"2\") and (tag(\"c\") == \"3\" or tag(\"d\") == \"4\")");
    assert_clean(&r);
    assert_int_equal(entry_count(&r, "s"), 4);
    assert_tags_entry(&r, entry(&r, "s", 0), "a", "1", "c == 3");
    assert_tags_entry(&r, entry(&r, "s", 1), "a", "1", "d == 4");
    assert_tags_entry(&r, entry(&r, "s", 2), "b", "2", "c == 3");
    assert_tags_entry(&r, entry(&r, "s", 3), "b", "2", "d == 4");
    /* a group's range spans its atoms */
    assert_string_equal(loc_text(&r, entry(&r, "s", 0)->loc),
                        "tag(\"a\") == \"1\" or tag(\"b\") == \"2\") and (tag(\"c\") == \"3\"");
    assert_string_equal(loc_text(&r, entry(&r, "s", 3)->loc), "tag(\"b\") == \"2\") and (tag(\"c\") == \"3\" or tag(\"d\") == \"4\"");
    compiled_free(&r);
}

/* 2^k groups from k factors of two alternatives, parenthesized in a
 * balanced way so that the expression stays shallow. */
static char *factors(size_t k)
{
    struct text t;
    FILE *f = text_open(&t);
    for (size_t i = 0; i < k; i++)
        fprintf(f, "%s(tag(\"k%zu\") == \"a\" or tag(\"k%zu\") == \"b\")", i ? " and " : "", i, i);
    return text_close(&t);
}

static void test_normal_form_limit_is_ob5005(void **state)
{
    (void)state;
    struct compiled r;
    char *m = factors(8); /* 256 groups */
    run_match(&r, m);
    const struct diag *d = assert_only_error(&r, OB5005);
    assert_string_equal(loc_text(&r, d->loc), m);
    assert_contains(d->msg, "more than 128");
    assert_int_equal(selection(&r, "s")->entries.len, 0);
    compiled_free(&r);
    free(m);

    /* one past the limit */
    m = factors(7);
    char *m129 = malloc(strlen(m) + 64);
    sprintf(m129, "%s or tag(\"z\") == \"1\"", m);
    run_match(&r, m129);
    d = assert_only_error(&r, OB5005);
    assert_string_equal(loc_text(&r, d->loc), m129);
    compiled_free(&r);
    free(m129);
    free(m);

    /* 2^40 groups if it were expanded: must stop early */
    m = factors(40);
    run_match(&r, m);
    assert_only_error(&r, OB5005);
    compiled_free(&r);
    free(m);

    /* near miss: exactly 128 groups is a valid normal form (the plan is
     * then over AWS's quotas, which is another OB5005, at the plan) */
    m = factors(7);
    run_match(&r, m);
    assert_int_equal(entry_count(&r, "s"), 128);
    assert_int_equal(count_diags(&r, OB5005), 2);
    assert_string_equal(loc_text(&r, first_diag(&r, OB5005)->loc), "[s]");
    assert_string_equal(entry(&r, "s", 127)->name, "s-128");
    compiled_free(&r);
    free(m);
}

/* ------------------------------------------------------------------ */
/* names                                                               */

static void test_long_names_are_cut_keeping_the_suffix(void **state)
{
    (void)state;
    const char *name = "a_selection_name_that_is_much_longer_than_fifty_characters_x";
    assert_true(strlen(name) > 50);
    char sels[1024], select[128];
    snprintf(sels, sizeof sels,
             "selection %s {\n role = default_backup_role\n match = tag(\"a\") == \"1\" or tag(\"b\") == \"2\"\n}\n"
             "selection short {\n role = default_backup_role\n match = tag(\"c\") == \"3\"\n}\n",
             name);
    snprintf(select, sizeof select, "[%s, short]", name);
    struct compiled r;
    run_selections(&r, sels, select);
    assert_int_equal(count_diags(&r, OB5001) + count_diags(&r, OB5002) + count_diags(&r, OB5003) +
                         count_diags(&r, OB5004) + count_diags(&r, OB5005),
                     0);
    const char *e1 = entry(&r, name, 0)->name, *e2 = entry(&r, name, 1)->name;
    assert_int_equal(strlen(e1), 50);
    assert_int_equal(strlen(e2), 50);
    assert_int_equal(strncmp(e1, name, 48), 0);
    assert_string_equal(e1 + 48, "-1");
    assert_string_equal(e2 + 48, "-2");
    assert_string_equal(entry(&r, "short", 0)->name, "short");
    compiled_free(&r);
}

static void test_names_and_entries_are_deterministic(void **state)
{
    (void)state;
    const char *m = "(type in [rds, s3] or type in [ebs]) and not (tag(\"a\") == \"1\" or tag(\"b\") in [\"x\"])";
    char first[1024] = "", second[1024] = "";
    char *out[] = {first, second};
    for (int k = 0; k < 2; k++) {
        struct compiled r;
        run_match(&r, m);
        assert_clean(&r);
        const struct ir_selection *s = selection(&r, "s");
        for (size_t i = 0; i < s->entries.len; i++) {
            const struct ir_sel_entry *e = VEC_GET(struct ir_sel_entry, s->entries, i);
            size_t n = strlen(out[k]);
            snprintf(out[k] + n, 1024 - n, "%s:%s:%s:%s|", e->name, join_types(&r, &e->types),
                     join_types(&r, &e->not_types), join_conditions(&r, e));
        }
        compiled_free(&r);
    }
    assert_string_equal(first, "s-1:rds,s3::a != 1; b != x|s-2:ebs::a != 1; b != x|");
    assert_string_equal(first, second);
}

/* ------------------------------------------------------------------ */
/* shape errors                                                        */

struct shape_case {
    const char *match;
    const char *range; /* what the error points at */
    const char *help;  /* part of the help */
};

static void test_malformed_tests_are_ob2003(void **state)
{
    (void)state;
    static const struct shape_case cases[] = {
        {"foo == \"x\"", "foo", "tag(\"foo\") == \"x\""},
        {"tag(\"K\") == 5", "5", "tag(\"K\") == \"5\""},
        {"tag(\"K\") != prod", "prod", "tag(\"K\") != \"prod\""},
        {"tag(\"K\") == [\"a\", \"b\"]", "[\"a\", \"b\"]", "tag(\"K\") in [\"a\", \"b\"]"},
        {"tag(\"K\") in \"a\"", "\"a\"", "tag(\"K\") in [\"a\"]"},
        {"tag(\"K\") in [\"a\", b]", "b", "\"b\""},
        {"tag(\"K\") in []", "[]", "tag(\"K\") in [\"a\", \"b\"]"},
        {"tag(K) == \"v\"", "K", "tag(\"K\")"},
        {"tag(\"a\", \"b\") == \"c\"", "tag(\"a\", \"b\")", "tag(\"a\") == \"b\""},
        {"tag() == \"c\"", "tag()", "tag(\"key\")"},
        {"tag(\"\") == \"c\"", "\"\"", "tag(\"backup\")"},
        {"type == rds", "==", "type in [rds]"},
        {"type != rds", "!=", "type not in [rds]"},
        {"type in rds", "rds", "type in [rds]"},
        {"type in []", "[]", "type in [any]"},
        {"type in [\"rds\"]", "\"rds\"", "without quotes: rds"},
        {"typ in [rds]", "typ", "type in [rds]"},
        {"tags(\"a\") == \"b\"", "tags(\"a\")", "tag(\"a\") == \"b\""},
        {"\"env\" == \"prod\"", "\"env\"", "tag(\"env\") == \"prod\""},
        {"rds", "rds", "type in [rds]"},
        {"tag(\"a\")", "tag(\"a\")", "tag(\"a\") == \"value\""},
        {"type in [rds] and 5", "5", "tag(\"backup\") == \"true\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct compiled r;
        run_match(&r, cases[i].match);
        print_message("case %zu: %s\n", i, cases[i].match);
        const struct diag *d = assert_only_error(&r, OB2003);
        assert_string_equal(loc_text(&r, d->loc), cases[i].range);
        assert_contains(d->help, cases[i].help);
        compiled_free(&r);
    }
}

static void test_every_malformed_test_is_reported(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "foo == \"x\" or (type == rds and tag(K) == \"v\")");
    assert_int_equal(r.cc.diag.errors, 3);
    assert_int_equal(count_diags(&r, OB2003), 3);
    compiled_free(&r);
}

static void test_unknown_type_gets_a_suggestion(void **state)
{
    (void)state;
    struct compiled r;
    run_match(&r, "type in [rdss]");
    assert_int_equal(r.cc.diag.errors, 1);
    assert_int_equal(count_diags(&r, OB5001) + count_diags(&r, OB2003), 0);
    const struct diag *d = VEC_GET(struct diag, r.cc.diag.list, 0);
    assert_string_equal(loc_text(&r, d->loc), "rdss");
    compiled_free(&r);
}

/* ------------------------------------------------------------------ */
/* quotas in one entry                                                 */

static char *value_list(size_t n)
{
    struct text t;
    FILE *f = text_open(&t);
    fputc('[', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\"v%zu\"", i ? ", " : "", i);
    fputc(']', f);
    return text_close(&t);
}

static void test_condition_and_value_quotas(void **state)
{
    (void)state;
    struct compiled r;
    char m[2048];
    char *l31 = value_list(31), *l30 = value_list(30);

    snprintf(m, sizeof m, "type in [rds] and tag(\"k\") not in %s", l31);
    run_match(&r, m);
    const struct diag *d = assert_only_error(&r, OB5005);
    assert_contains(d->msg, "31 conditions");
    assert_contains(d->help, "every value of a 'not in' list is one condition");
    compiled_free(&r);

    snprintf(m, sizeof m, "type in [rds] and tag(\"k\") not in %s", l30);
    run_match(&r, m);
    assert_clean(&r);
    assert_int_equal(entry(&r, "s", 0)->conditions.len, 30);
    compiled_free(&r);

    snprintf(m, sizeof m, "tag(\"k\") in %s", l31);
    run_match(&r, m);
    d = assert_only_error(&r, OB5005);
    assert_contains(d->msg, "31 tag values");
    compiled_free(&r);

    snprintf(m, sizeof m, "tag(\"k\") in %s", l30);
    run_match(&r, m);
    assert_clean(&r);
    assert_int_equal(entry(&r, "s", 0)->tag_values.len, 30);
    compiled_free(&r);
    free(l31);
    free(l30);
}

/* ------------------------------------------------------------------ */
/* plan-level rules                                                    */

#define SEL(name, match) "selection " name " {\n  role = default_backup_role\n  match = " match "\n}\n"

static void test_plan_without_selection_is_ob5006(void **state)
{
    (void)state;
    struct compiled r;
    run_selections(&r, SEL("s", "tag(\"a\") == \"b\""), "[]");
    const struct diag *d = first_diag(&r, OB5006);
    assert_string_equal(loc_text(&r, d->loc), "[]");
    assert_int_equal(count_diags(&r, OB5006), 1);
    assert_string_equal(d->help, "name at least one selection, e.g. select = [s]");
    compiled_free(&r);

    /* near miss */
    run_selections(&r, SEL("s", "tag(\"a\") == \"b\""), "[s]");
    assert_clean(&r);
    compiled_free(&r);
}

static void test_plan_mixing_tags_and_resources_is_ob5004(void **state)
{
    (void)state;
    struct compiled r;
    run_selections(&r,
                   SEL("tagged", "tag(\"backup\") == \"true\"")
                   SEL("dbs", "type in [rds] and tag(\"env\") == \"prod\""),
                   "[tagged, dbs]");
    const struct diag *d = assert_only_error(&r, OB5004);
    assert_string_equal(loc_text(&r, d->loc), "[tagged, dbs]");
    assert_non_null(d->notes);
    assert_string_equal(loc_text(&r, d->notes->loc), "tag(\"backup\") == \"true\"");
    assert_non_null(d->notes->next);
    assert_string_equal(loc_text(&r, d->notes->next->loc), "type in [rds] and tag(\"env\") == \"prod\"");
    assert_contains(d->help, "write type in [any] and tag(\"backup\") == \"true\"");
    compiled_free(&r);

    /* the help keeps the tag entry's values and conditions */
    run_selections(&r,
                   SEL("tagged", "tag(\"backup\") in [\"true\", \"yes\"] and tag(\"env\") != \"dev\" and "
                                 "tag(\"app\") not like \"tmp*\"")
                   SEL("dbs", "type in [rds]"),
                   "[tagged, dbs]");
    d = assert_only_error(&r, OB5004);
    assert_contains(d->help, "write type in [any] and (tag(\"backup\") == \"true\" or tag(\"backup\") == \"yes\") "
                             "and tag(\"env\") != \"dev\" and tag(\"app\") not like \"tmp*\"");
    compiled_free(&r);

    /* within one selection too */
    run_selections(&r, SEL("s", "tag(\"backup\") == \"true\" or type in [s3]"), "[s]");
    assert_only_error(&r, OB5004);
    compiled_free(&r);

    /* a selection that failed adds nothing to its plan: no cascade */
    run_selections(&r,
                   SEL("tagged", "tag(\"backup\") == 5")
                   SEL("dbs", "type in [rds] and tag(\"env\") == \"prod\""),
                   "[tagged, dbs]");
    assert_only_error(&r, OB2003);
    compiled_free(&r);

    /* near miss: the rewrite */
    run_selections(&r,
                   SEL("tagged", "type in [any] and tag(\"backup\") == \"true\"")
                   SEL("dbs", "type in [rds] and tag(\"env\") == \"prod\""),
                   "[tagged, dbs]");
    assert_clean(&r);
    compiled_free(&r);
}

/* One selection with `n` tag entries: tag("k") == "1" or ... */
static char *or_chain(size_t n, const char *prefix)
{
    struct text t;
    FILE *f = text_open(&t);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%stag(\"k\") == \"%zu\"", i ? " or " : "", prefix, i);
    return text_close(&t);
}

static void test_plan_quotas_are_ob5005(void **state)
{
    (void)state;
    struct compiled r;
    char sel[8192];
    char *m = or_chain(11, "");
    snprintf(sel, sizeof sel, "selection s {\n role = default_backup_role\n match = %s\n}\n", m);
    run_selections(&r, sel, "[s]");
    const struct diag *d = assert_only_error(&r, OB5005);
    assert_string_equal(loc_text(&r, d->loc), "[s]");
    assert_string_equal(d->msg, "plan 'p' has 11 tag-only selection entries, AWS allows at most 10");
    assert_non_null(d->notes);
    assert_string_equal(d->notes->msg, "selection 's' gives 11 of them");
    compiled_free(&r);
    free(m);

    m = or_chain(10, "");
    snprintf(sel, sizeof sel, "selection s {\n role = default_backup_role\n match = %s\n}\n", m);
    run_selections(&r, sel, "[s]");
    assert_clean(&r);
    assert_int_equal(entry_count(&r, "s"), 10);
    compiled_free(&r);
    free(m);

    /* a selection listed twice counts once (the repetition is OB2006) */
    m = or_chain(6, "");
    snprintf(sel, sizeof sel, "selection s {\n role = default_backup_role\n match = %s\n}\n", m);
    run_selections(&r, sel, "[s, s]");
    assert_int_equal(count_diags(&r, OB5005), 0);
    compiled_free(&r);
    free(m);

    /* 11 x 10 resource entries, in two factors (so many entries also make
     * the policy too large, OB8001, which is not this file's concern) */
    char *a = or_chain(11, ""), *b = or_chain(10, "");
    snprintf(sel, sizeof sel, "selection s {\n role = default_backup_role\n match = type in [rds] and (%s) and (%s)\n}\n",
             a, b);
    run_selections(&r, sel, "[s]");
    assert_int_equal(count_diags(&r, OB5005), 1);
    d = first_diag(&r, OB5005);
    assert_string_equal(loc_text(&r, d->loc), "[s]");
    assert_string_equal(d->msg, "plan 'p' has 110 selection entries, AWS allows at most 100");
    assert_non_null(d->notes);
    assert_string_equal(d->notes->msg, "selection 's' gives 110 of them");
    compiled_free(&r);
    free(a);

    a = or_chain(10, "");
    snprintf(sel, sizeof sel, "selection s {\n role = default_backup_role\n match = type in [rds] and (%s) and (%s)\n}\n",
             a, b);
    run_selections(&r, sel, "[s]");
    assert_int_equal(count_diags(&r, OB5005), 0);
    assert_non_null(r.prog);
    assert_int_equal(entry_count(&r, "s"), 100);
    assert_string_equal(entry(&r, "s", 99)->name, "s-100");
    compiled_free(&r);
    free(a);
    free(b);
}

static void test_entry_name_clashes(void **state)
{
    (void)state;
    struct compiled r;
    run_selections(&r,
                   SEL("a", "tag(\"x\") == \"1\" or tag(\"x\") == \"2\"")
                   SEL("a-1", "tag(\"y\") == \"1\""),
                   "[a, a-1]");
    const struct diag *d = assert_only_error(&r, OB8003);
    assert_string_equal(loc_text(&r, d->loc), "a-1");
    assert_contains(d->msg, "'a-1'");
    compiled_free(&r);

    run_selections(&r, SEL("db", "tag(\"x\") == \"1\"") SEL("DB", "tag(\"y\") == \"1\""), "[db, DB]");
    d = assert_only_error(&r, OB8006);
    assert_string_equal(loc_text(&r, d->loc), "DB");
    compiled_free(&r);

    /* near miss: a-2x is not an entry name of selection a */
    run_selections(&r, SEL("a", "tag(\"x\") == \"1\" or tag(\"x\") == \"2\"") SEL("a-2x", "tag(\"y\") == \"1\""),
                   "[a, a-2x]");
    assert_clean(&r);
    compiled_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_equals_is_tags_entry),
        cmocka_unit_test(test_tag_in_gives_values_in_order_without_duplicates),
        cmocka_unit_test(test_tags_entry_other_atoms_become_conditions),
        cmocka_unit_test(test_tags_entry_first_equals_is_the_key),
        cmocka_unit_test(test_tags_entry_multi_value_in_is_the_key),
        cmocka_unit_test(test_type_in_is_resources_entry),
        cmocka_unit_test(test_resources_entry_condition_operators),
        cmocka_unit_test(test_type_not_in_gives_not_types),
        cmocka_unit_test(test_type_lists_intersect),
        cmocka_unit_test(test_empty_intersection_is_ob5001),
        cmocka_unit_test(test_type_not_in_that_excludes_everything_is_ob5001),
        cmocka_unit_test(test_no_positive_test_is_ob5001),
        cmocka_unit_test(test_type_not_in_without_type_in_is_ob5001),
        cmocka_unit_test(test_two_in_lists_on_different_keys_is_ob5002),
        cmocka_unit_test(test_in_list_as_condition_is_ob5003),
        cmocka_unit_test(test_de_morgan),
        cmocka_unit_test(test_groups_follow_source_order),
        cmocka_unit_test(test_normal_form_limit_is_ob5005),
        cmocka_unit_test(test_long_names_are_cut_keeping_the_suffix),
        cmocka_unit_test(test_names_and_entries_are_deterministic),
        cmocka_unit_test(test_malformed_tests_are_ob2003),
        cmocka_unit_test(test_every_malformed_test_is_reported),
        cmocka_unit_test(test_unknown_type_gets_a_suggestion),
        cmocka_unit_test(test_condition_and_value_quotas),
        cmocka_unit_test(test_plan_without_selection_is_ob5006),
        cmocka_unit_test(test_plan_mixing_tags_and_resources_is_ob5004),
        cmocka_unit_test(test_plan_quotas_are_ob5005),
        cmocka_unit_test(test_entry_name_clashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
