/*
 * test_ir_org.c - the organization tree of ir_org.c: the parent of an
 * account or OU (stated, the only root by default, or none), the chain
 * from the top down to an account, and the accounts under a target, on
 * compiled programs (a three-level tree, no root, a cycle) and on
 * hand-built IR (implicit accounts, a cycle with nothing else around it);
 * and check_org.c on a chain far deeper than AWS allows (no recursion,
 * one report).
 *
 * Run from the repository root (it reads stdlib/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "driver.h"
#include "compile_fixture.h"

/* The declaration named `name` among the roots, OUs and accounts. */
static const struct ir_decl *decl(const struct ir_program *prog, const char *name)
{
    const struct vec *kinds[] = {&prog->roots, &prog->ous, &prog->accounts};
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < kinds[k]->len; i++) {
            const struct ir_decl *d = kinds[k]->items[i];
            if (strcmp(d->name, name) == 0)
                return d;
        }
    fail_msg("no declaration '%s'", name);
    return NULL;
}

/* The names of a vector of declarations, joined with spaces. */
static const char *names(struct arena *a, const struct vec *v)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < v->len; i++)
        sb_printf(a, &b, "%s%s", i ? " " : "", VEC_GET(const struct ir_decl, *v, i)->name);
    return sb_str(a, &b);
}

static const char *chain_of(struct compiled *c, const char *name)
{
    struct vec out = {0};
    ir_org_chain(c->prog, decl(c->prog, name), &out, &c->cc.arena);
    return names(&c->cc.arena, &out);
}

static const char *under(struct compiled *c, const char *name)
{
    struct vec out = {0};
    ir_org_accounts_under(c->prog, decl(c->prog, name), &out, &c->cc.arena);
    return names(&c->cc.arena, &out);
}

/* Declaration order differs from the tree's: the deepest account first,
 * an account of the middle level, one under the root by default, and
 * another deep one last; parents are declared after their children. */
static const char *const three_levels =
    "account deep  { id = \"111111111111\"; parent = c }\n"
    "account mid   { id = \"222222222222\"; parent = a }\n"
    "account top   = \"333333333333\"\n"
    "account deep2 { id = \"444444444444\"; parent = c }\n"
    "ou c { id = \"ou-ab12-33333333\"; parent = b }\n"
    "ou b { id = \"ou-ab12-22222222\"; parent = a }\n"
    "ou a = \"ou-ab12-11111111\"\n"
    "root r = \"r-ab12\"\n";

static void test_chain(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, three_levels));
    assert_int_equal(c->cc.diag.errors, 0);
    assert_string_equal(chain_of(c, "deep"), "r a b c deep");
    assert_string_equal(chain_of(c, "mid"), "r a mid");
    assert_string_equal(chain_of(c, "top"), "r top");
    assert_string_equal(chain_of(c, "b"), "r a b");
    assert_string_equal(chain_of(c, "r"), "r");
}

static void test_accounts_under_three_levels(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, three_levels));
    assert_string_equal(under(c, "r"), "deep mid top deep2");
    assert_string_equal(under(c, "a"), "deep mid deep2");
    assert_string_equal(under(c, "b"), "deep deep2");
    assert_string_equal(under(c, "c"), "deep deep2");
    assert_string_equal(under(c, "mid"), "mid"); /* an account: itself */

    /* the tree built once answers the same for every target */
    struct arena *a = &c->cc.arena;
    struct ir_org_tree *t = ir_org_tree_build(c->prog, a);
    const char *const targets[] = {"r", "a", "b", "c", "deep", "top"};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        struct vec out = {0};
        ir_org_tree_accounts_under(t, decl(c->prog, targets[i]), &out, a);
        assert_string_equal(names(a, &out), under(c, targets[i]));
    }
    /* something that is not in the tree has nothing under it */
    struct vec out = {0};
    struct ir_decl vault = {.kind = DK_VAULT, .name = "v"};
    ir_org_tree_accounts_under(t, &vault, &out, a);
    assert_int_equal(out.len, 0);
}

static void test_default_root(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, three_levels));
    const struct ir_decl *r = decl(c->prog, "r");
    assert_ptr_equal(ir_org_parent(c->prog, decl(c->prog, "a")), r);   /* states none */
    assert_ptr_equal(ir_org_parent(c->prog, decl(c->prog, "top")), r); /* states none */
    assert_ptr_equal(ir_org_parent(c->prog, decl(c->prog, "b")), decl(c->prog, "a"));
    assert_null(ir_org_parent(c->prog, r));
    compiled_free(c);

    /* with two roots neither is the default */
    assert_non_null(compile_text(c, "root r = \"r-ab12\"\nroot s = \"r-cd34\"\n"
                                    "ou a = \"ou-ab12-11111111\"\n"
                                    "ou b { id = \"ou-cd34-22222222\"; parent = s }\n"));
    assert_null(ir_org_parent(c->prog, decl(c->prog, "a")));
    assert_ptr_equal(ir_org_parent(c->prog, decl(c->prog, "b")), decl(c->prog, "s"));
    assert_string_equal(chain_of(c, "a"), "a");
    compiled_free(c);

    /* a parent written but rejected is unknown, not the root */
    assert_non_null(compile_text(c, "root r = \"r-ab12\"\n"
                                    "account x { id = \"111111111111\"; parent = nosuch }\n"));
    assert_int_equal(count_diags(c, OB2001), 1);
    assert_null(ir_org_parent(c->prog, decl(c->prog, "x")));
    assert_string_equal(under(c, "r"), "");
}

static void test_no_root(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, "ou a = \"ou-ab12-11111111\"\n"
                                    "ou b { id = \"ou-ab12-22222222\"; parent = a }\n"
                                    "account x { id = \"111111111111\"; parent = b }\n"
                                    "account y = \"222222222222\"\n"));
    assert_int_equal(c->cc.diag.errors, 0);
    assert_null(ir_org_parent(c->prog, decl(c->prog, "a")));
    assert_null(ir_org_parent(c->prog, decl(c->prog, "y")));
    assert_string_equal(chain_of(c, "x"), "a b x");
    assert_string_equal(chain_of(c, "y"), "y");
    assert_string_equal(under(c, "a"), "x");
    assert_string_equal(under(c, "y"), "y");
}

static void test_cycle_does_not_hang(void **state)
{
    struct compiled *c = *state;
    assert_non_null(compile_text(c, "root r = \"r-ab12\"\n"
                                    "ou a { id = \"ou-ab12-11111111\"; parent = b }\n"
                                    "ou b { id = \"ou-ab12-22222222\"; parent = a }\n"
                                    "ou c { id = \"ou-ab12-33333333\"; parent = a }\n"
                                    "account x { id = \"111111111111\"; parent = c }\n"
                                    "account y = \"222222222222\"\n"));
    assert_int_equal(count_diags(c, OB2020), 1);
    assert_string_equal(chain_of(c, "x"), "b a c x"); /* up to the first repeat */
    assert_string_equal(chain_of(c, "a"), "b a");
    assert_string_equal(under(c, "a"), "x");
    assert_string_equal(under(c, "b"), "x");
    assert_string_equal(under(c, "r"), "y"); /* the cycle is not under the root */
}

/* Hand-built IR: an OU that is its own parent, and an account known
 * only by an id, which sits nowhere even with one root declared. */
static void test_hand_built(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ir_program prog = {0};
    struct ir_root root = {.d = {.kind = DK_ROOT, .name = "r"}, .id = "r-ab12"};
    struct ir_ou self = {.d = {.kind = DK_OU, .name = "self"}, .id = "ou-ab12-11111111"};
    self.parent = &self.d;
    self.parent_at.state = IR_SET;
    struct ir_account acc = {.d = {.kind = DK_ACCOUNT, .name = "acc"}, .id = "111111111111", .parent = &self.d};
    struct ir_account seen = {.d = ir_decl_implicit(DK_ACCOUNT, "222222222222", LOC_NONE), .id = "222222222222"};
    vec_push(&a, &prog.roots, &root);
    vec_push(&a, &prog.ous, &self);
    vec_push(&a, &prog.accounts, &seen);
    vec_push(&a, &prog.accounts, &acc);

    assert_ptr_equal(ir_org_parent(&prog, &self.d), &self.d);
    assert_null(ir_org_parent(&prog, &seen.d));
    struct vec out = {0};
    ir_org_chain(&prog, &acc.d, &out, &a);
    assert_string_equal(names(&a, &out), "self acc");
    out = (struct vec){0};
    ir_org_accounts_under(&prog, &self.d, &out, &a);
    assert_string_equal(names(&a, &out), "acc");
    out = (struct vec){0};
    ir_org_accounts_under(&prog, &root.d, &out, &a);
    assert_int_equal(out.len, 0);
    out = (struct vec){0};
    ir_org_accounts_under(&prog, &seen.d, &out, &a);
    assert_int_equal(out.len, 0);
    arena_free(&a);
}

/* A chain of OUs far deeper than AWS allows, and a cycle as long: every
 * walk is a loop, so neither overflows the stack, and each is reported
 * once (the sixth level; the cycle). */
#define DEEP 20000
static void test_deep_chain_and_long_cycle(void **state)
{
    struct compiled *c = *state;
    struct text t;
    FILE *f = text_open(&t);
    fprintf(f, "root r = \"r-ab12\"\nou d0 = \"ou-ab12-00000000\"\n");
    for (int i = 1; i < DEEP; i++)
        fprintf(f, "ou d%d { id = \"ou-ab12-%08d\"; parent = d%d }\n", i, i, i - 1);
    fprintf(f, "account x { id = \"111111111111\"; parent = d%d }\n", DEEP - 1);
    fprintf(f, "ou c0 { id = \"ou-ab12-c0000000\"; parent = c%d }\n", DEEP - 1);
    for (int i = 1; i < DEEP; i++)
        fprintf(f, "ou c%d { id = \"ou-ab12-c%07d\"; parent = c%d }\n", i, i, i - 1);
    char *src = text_close(&t);
    compile_text(c, src);
    free(src);
    assert_non_null(c->prog);
    assert_int_equal(count_diags(c, OB2022), 1);
    assert_int_equal(count_diags(c, OB2020), 1);
    struct vec out = {0};
    ir_org_chain(c->prog, decl(c->prog, "x"), &out, &c->cc.arena);
    assert_int_equal(out.len, DEEP + 2); /* r, d0 .. d19999, x */
    out = (struct vec){0};
    ir_org_accounts_under(c->prog, decl(c->prog, "d0"), &out, &c->cc.arena);
    assert_int_equal(out.len, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chain, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_accounts_under_three_levels, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_default_root, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_no_root, compiled_setup, compiled_teardown),
        cmocka_unit_test_setup_teardown(test_cycle_does_not_hang, compiled_setup, compiled_teardown),
        cmocka_unit_test(test_hand_built),
        cmocka_unit_test_setup_teardown(test_deep_chain_and_long_cycle, compiled_setup, compiled_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
