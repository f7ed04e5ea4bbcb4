/*
 * test_stdlib_snapshot.c - the standard library's syntax trees made at
 * build time (tools/stdsnap.c, compiler/ast_snapshot.c) against the trees
 * the parser makes from the embedded text, node by node: every field of
 * every item, word and value, locations included. Also: a snapshot
 * written and read back here gives the same tree, and a loaded program
 * takes the library from the snapshots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "front.h"

static void same_loc(struct loc a, const struct src_file *fa, struct loc b, const struct src_file *fb)
{
    assert_int_equal(a.file == fa->id, b.file == fb->id);
    assert_int_equal(a.file == 0, b.file == 0);
    assert_int_equal(a.start, b.start);
    assert_int_equal(a.end, b.end);
}

static void same_text(const char *a, size_t na, const char *b, size_t nb)
{
    assert_int_equal(a == NULL, b == NULL);
    assert_int_equal(na, nb);
    if (a)
        assert_memory_equal(a, b, na);
}

static void same_value(const struct ast_value *a, const struct src_file *fa, const struct ast_value *b,
                       const struct src_file *fb)
{
    assert_int_equal(a == NULL, b == NULL);
    if (!a)
        return;
    assert_int_equal(a->kind, b->kind);
    same_loc(a->loc, fa, b->loc, fb);
    same_loc(a->head_loc, fa, b->head_loc, fb);
    same_text(a->text, a->text_len, b->text, b->text_len);
    if (a->text)
        assert_int_equal(b->text[b->text_len], '\0');
    assert_int_equal(a->raw, b->raw);
    assert_int_equal(a->num, b->num);
    assert_int_equal(a->unit, b->unit);
    assert_int_equal(a->op, b->op);
    same_value(a->lhs, fa, b->lhs, fb);
    same_value(a->rhs, fa, b->rhs, fb);
    assert_int_equal(a->items.len, b->items.len);
    for (size_t i = 0; i < a->items.len; i++)
        same_value(a->items.items[i], fa, b->items.items[i], fb);
    assert_int_equal(a->depth, b->depth);
}

static void same_item(const struct ast_item *a, const struct src_file *fa, const struct ast_item *b,
                      const struct src_file *fb)
{
    assert_int_equal(a->form, b->form);
    same_loc(a->loc, fa, b->loc, fb);
    assert_int_equal(a->op, b->op);
    same_loc(a->op_loc, fa, b->op_loc, fb);
    assert_int_equal(a->words.len, b->words.len);
    for (size_t i = 0; i < a->words.len; i++) {
        const struct ast_word *wa = a->words.items[i], *wb = b->words.items[i];
        assert_string_equal(wa->text, wb->text);
        same_loc(wa->loc, fa, wb->loc, fb);
    }
    same_value(a->value, fa, b->value, fb);
    assert_int_equal(a->body.len, b->body.len);
    for (size_t i = 0; i < a->body.len; i++)
        same_item(a->body.items[i], fa, b->body.items[i], fb);
    same_loc(a->open_loc, fa, b->open_loc, fb);
}

static size_t count_items(const struct vec *items)
{
    size_t n = items->len;
    for (size_t i = 0; i < items->len; i++)
        n += count_items(&((const struct ast_item *)items->items[i])->body);
    return n;
}

static void test_snapshots_equal_parsed_text(void **state)
{
    (void)state;
    assert_int_equal(stdlib_asts_count, stdlib_files_count);
    size_t total = 0;
    for (size_t i = 0; i < stdlib_files_count; i++) {
        struct obc cc;
        obc_init(&cc, NULL);
        const struct embedded_file *e = &stdlib_files[i];
        struct src_file *parsed = src_add(&cc, e->name, "", e->name, e->text, e->len);
        assert_true(parse_file(&cc, parsed));
        struct src_file *loaded = src_add(&cc, e->name, "", "again", e->text, e->len);
        ast_snapshot_read(&cc, loaded, stdlib_asts[i]);
        assert_int_equal(parsed->items.len, loaded->items.len);
        for (size_t k = 0; k < parsed->items.len; k++)
            same_item(parsed->items.items[k], parsed, loaded->items.items[k], loaded);
        total += count_items(&parsed->items);
        obc_free(&cc);
    }
    assert_true(total > 100); /* the library has its hundreds of declarations */
}

/* Every kind of item and value, written and read back. */
static void test_round_trip(void **state)
{
    (void)state;
    static const char text[] =
        "import \"std/aws\"\n"
        "account a = \"111122223333\"\n"
        "plan p {\n  regions += [eu-west-1]\n  rule r { schedule = cron(\"0 5 ? * * *\"); start_within = 90min;"
        " delete_after = -3d }\n  tags = { \"k\" = \"v\\n\" }\n}\n"
        "selection s { match = not (tag(\"a\") == \"b\" or tag(\"c\") in [\"d\"]) and type not in [s3]; at = 05:30 }\n";
    struct obc cc;
    obc_init(&cc, NULL);
    struct src_file *parsed = src_add(&cc, "t.ob", "", "t.ob", text, sizeof text - 1);
    parse_file(&cc, parsed);
    struct strbuf b = {0};
    ast_snapshot_write(&cc.arena, &parsed->items, &b);
    struct src_file *loaded = src_add(&cc, "t.ob", "", "again", text, sizeof text - 1);
    ast_snapshot_read(&cc, loaded, (const unsigned char *)b.s);
    assert_int_equal(parsed->items.len, 4);
    assert_int_equal(loaded->items.len, parsed->items.len);
    for (size_t k = 0; k < parsed->items.len; k++)
        same_item(parsed->items.items[k], parsed, loaded->items.items[k], loaded);
    obc_free(&cc);
}

/* A program that imports the library gets it from the snapshots: its
 * files hold items, and no diagnostic comes of it. */
static void test_loaded_program_uses_snapshots(void **state)
{
    (void)state;
    static const char text[] = "import \"std/aws\"\n";
    struct obc cc;
    obc_init(&cc, NULL);
    load_text(&cc, "main.ob", text, sizeof text - 1);
    assert_int_equal(cc.diag.list.len, 0);
    size_t std = 0;
    for (size_t i = 0; i < cc.files.len; i++) {
        const struct src_file *f = cc.files.items[i];
        if (!f->is_stdlib)
            continue;
        std++;
        assert_non_null(f->snapshot);
        assert_true(f->items.len > 0);
        assert_null(f->line_starts); /* nothing asked for a position in it */
    }
    assert_true(std > 1);
    obc_free(&cc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshots_equal_parsed_text),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_loaded_program_uses_snapshots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
