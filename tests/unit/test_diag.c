/*
 * test_diag.c - the code catalogue and the order of diagnostics:
 * diag_code_parse accepts OB1001, ob1001 and 1001 and nothing else;
 * every code has its embedded explanation; diag_sort orders by file,
 * then offset, then emission order, with diagnostics without a location
 * last; both renderings of a diagnostic without a location and of one
 * with a note; untrusted text (messages, help, notes, file names, source
 * lines) is printed escaped and as valid UTF-8 in both renderings, while
 * ordinary UTF-8 stays as it is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

static void test_code_parse(void **state)
{
    (void)state;
    static const char *const forms[] = {"OB4002", "ob4002", "Ob4002", "oB4002", "4002"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        enum diag_code code = OB1001;
        assert_true(diag_code_parse(forms[i], &code));
        assert_int_equal(code, OB4002);
    }
    enum diag_code first = OB4002, last = OB1001;
    assert_true(diag_code_parse("OB1001", &first));
    assert_int_equal(first, OB1001);
    assert_true(diag_code_parse("9003", &last));
    assert_int_equal(last, OB9003);
    static const char *const bad[] = {"", "OB", "OB400", "OB40020", "OB4003", "XB4002", "OC4002", "B4002",
                                      "OB 4002", "4002 ", "OBOB4002"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum diag_code code = OB8008;
        if (diag_code_parse(bad[i], &code))
            fail_msg("'%s' parsed as %s", bad[i], diag_info(code)->id);
        assert_int_equal(code, OB8008); /* left alone */
    }
}

static void test_every_code_has_its_explanation(void **state)
{
    (void)state;
    for (int c = 0; c < DIAG_CODE_COUNT; c++) {
        const char *text = diag_explanation((enum diag_code)c);
        if (!text)
            fail_msg("%s has no explanation", diag_info((enum diag_code)c)->id);
        char head[16];
        snprintf(head, sizeof head, "# %s: ", diag_info((enum diag_code)c)->id);
        assert_memory_equal(text, head, strlen(head));
    }
}

static void test_sort_by_file_offset_and_emission(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, NULL);
    diag_emit(&cc, OB9001, LOC_NONE, "no location");
    diag_emit(&cc, OB2001, (struct loc){2, 5, 6}, "file 2 at 5");
    diag_emit(&cc, OB2001, (struct loc){1, 9, 10}, "file 1 at 9");
    diag_emit(&cc, OB2002, (struct loc){2, 5, 8}, "file 2 at 5, later");
    diag_emit(&cc, OB2001, (struct loc){1, 3, 4}, "file 1 at 3");
    diag_emit(&cc, OB9002, LOC_NONE, "no location, later");
    diag_sort(&cc);
    static const char *const want[] = {"file 1 at 3",        "file 1 at 9", "file 2 at 5", "file 2 at 5, later",
                                       "no location", "no location, later"};
    assert_int_equal(cc.diag.list.len, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(VEC_GET(struct diag, cc.diag.list, i)->msg, want[i]);
    obc_free(&cc);
}

/* diag_release_keeping: the memory since the mark goes back, the
 * diagnostics stored since then stay, with their help and notes, and
 * the list grows on from where it was. */
static void test_release_keeping_diagnostics(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, NULL);
    diag_emit(&cc, OB2001, (struct loc){1, 1, 2}, "before the mark");
    struct vec list = cc.diag.list;
    struct arena_mark mark = arena_mark(&cc.arena);
    size_t total = cc.arena.total;
    for (int i = 0; i < 40; i++) /* work thrown away: several chunks */
        arena_alloc(&cc.arena, 16 * 1024);
    for (int i = 0; i < 20; i++) { /* enough to move the list's array */
        struct diag *d = diag_emit(&cc, OB2002, (struct loc){1, (uint32_t)i, (uint32_t)i + 1}, "kept %d", i);
        if (i % 2)
            diag_help(&cc, d, "help %d", i);
        for (int k = 0; k < i % 3; k++)
            diag_note(&cc, d, (struct loc){1, 0, 1}, "note %d.%d", i, k);
    }
    assert_true(diag_release_keeping(&cc, mark, list));
    assert_true(cc.arena.total < total + 64 * 1024); /* the thrown-away chunks are gone */
    assert_int_equal(cc.diag.list.len, 21);
    assert_string_equal(VEC_GET(struct diag, cc.diag.list, 0)->msg, "before the mark");
    for (int i = 0; i < 20; i++) {
        const struct diag *d = cc.diag.list.items[i + 1];
        char want[32];
        snprintf(want, sizeof want, "kept %d", i);
        assert_string_equal(d->msg, want);
        assert_int_equal(d->loc.start, (uint32_t)i);
        if (i % 2) {
            snprintf(want, sizeof want, "help %d", i);
            assert_string_equal(d->help, want);
        } else
            assert_null(d->help);
        int k = 0;
        for (const struct diag_note *n = d->notes; n; n = n->next, k++) {
            snprintf(want, sizeof want, "note %d.%d", i, k);
            assert_string_equal(n->msg, want);
        }
        assert_int_equal(k, i % 3);
        if (k)
            assert_non_null(d->last_note);
    }
    assert_int_equal(cc.diag.errors, 21);
    diag_emit(&cc, OB2001, LOC_NONE, "after");
    assert_int_equal(cc.diag.list.len, 22);
    obc_free(&cc);
}

/* What diag_render_text (color off) or diag_render_json writes. */
static char *render(struct obc *cc, bool json)
{
    struct text t;
    FILE *f = text_open(&t);
    if (json)
        diag_render_json(cc, f);
    else
        diag_render_text(cc, f, false);
    return text_close(&t);
}

static void test_render_without_location_and_with_note(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, NULL);
    static const char text[] = "vault v { }\n";
    struct src_file *f = src_add(&cc, "t.ob", "", "t.ob", text, sizeof text - 1);
    struct diag *d = diag_emit(&cc, OB1030, LOC_NONE, "'big.ob' is larger than 8388608 bytes");
    diag_help(&cc, d, "split it");
    d = diag_emit(&cc, OB2002, (struct loc){f->id, 6, 7}, "vault 'v' is declared twice");
    diag_note(&cc, d, (struct loc){f->id, 0, 5}, "first declared here");

    char *out = render(&cc, false);
    assert_string_equal(out, "obc: error[OB1030]: 'big.ob' is larger than 8388608 bytes\n"
                             "     = help: split it\n"
                             "t.ob:1:7: error[OB2002]: vault 'v' is declared twice\n"
                             "   1 | vault v { }\n"
                             "     |       ^\n"
                             "t.ob:1:1: note: first declared here\n"
                             "   1 | vault v { }\n"
                             "     | ^~~~~\n");
    free(out);

    out = render(&cc, true);
    assert_non_null(strstr(out, "\"message\": \"'big.ob' is larger than 8388608 bytes\",\n"
                                "      \"range\": null,\n"));
    assert_non_null(strstr(out, "\"notes\": [\n"
                                "        {\n"
                                "          \"message\": \"first declared here\",\n"
                                "          \"range\": {\n"
                                "            \"file\": \"t.ob\",\n"
                                "            \"start\": {\n"
                                "              \"line\": 1,\n"
                                "              \"column\": 1,\n"
                                "              \"offset\": 0\n"
                                "            },\n"
                                "            \"end\": {\n"
                                "              \"line\": 1,\n"
                                "              \"column\": 6,\n"
                                "              \"offset\": 5\n"));
    free(out);
    obc_free(&cc);
}

/* Hostile text in every part of a diagnostic: a forged line (LF, CR),
 * terminal escapes (ESC, BEL, CSI as C1), a right-to-left override, a
 * line separator, DEL, a tab and invalid UTF-8 bytes. */
static const char hostile[] = "a\nb\r::error file=x::forged\x1b[31m\x07\xc2\x9b\xe2\x80\xae\xe2\x80\xa8\x7f\t\xff\xc3";
static const char hostile_shown[] = "a\\nb\\r::error file=x::forged\\u{1b}[31m\\u{7}\\u{9b}\\u{202e}\\u{2028}\\u{7f}\\t\\xff\\xc3";

static void test_render_escapes_untrusted_text(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, NULL);
    static const char text[] = "vault v { name = \"x\xe2\x80\xae\xc2\x85\x1b\xfey\" }\n";
    struct src_file *f = src_add(&cc, "evil\n\x1b[2J\xe2\x81\xa6\xfe.ob", "", "evil.ob", text, sizeof text - 1);
    struct diag *d = diag_emit(&cc, OB2003, (struct loc){f->id, 17, 28}, "found string \"%s\"", hostile);
    diag_help(&cc, d, "help %s", hostile);
    diag_note(&cc, d, LOC_NONE, "note %s", hostile);

    char *out = render(&cc, false);
    char want[2048];
    snprintf(want, sizeof want,
             "evil\\n\\u{1b}[2J\\u{2066}\\xfe.ob:1:18: error[OB2003]: found string \"%s\"\n"
             "   1 | vault v { name = \"x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy\" }\n"
             "     |                  ^~~~~~~~\n"
             "     = help: help %s\n"
             "obc: note: note %s\n",
             hostile_shown, hostile_shown, hostile_shown);
    assert_string_equal(out, want);
    free(out);

    out = render(&cc, true);
    /* no control character at all (JSON escapes would be needed), valid UTF-8 */
    for (const unsigned char *p = (const unsigned char *)out; *p; p++)
        assert_true(*p >= 0x20 || *p == '\n');
    const unsigned char *u = (const unsigned char *)out;
    for (size_t i = 0, n = strlen(out); i < n;) {
        size_t l = utf8_decode(u + i, n - i, NULL);
        assert_true(l > 0);
        i += l;
    }
    assert_null(strstr(out, "\xe2\x80\xae"));
    assert_null(strstr(out, "\xc2\x9b"));
    assert_non_null(strstr(out, "\"file\": \"evil\\\\n\\\\u{1b}[2J\\\\u{2066}\\\\xfe.ob\""));
    assert_non_null(strstr(out, "\"message\": \"found string \\\"a\\\\nb\\\\r::error file=x::forged\\\\u{1b}[31m"));
    assert_non_null(strstr(out, "\"help\": \"help a\\\\nb\\\\r"));
    assert_non_null(strstr(out, "\"message\": \"note a\\\\nb\\\\r"));
    free(out);
    obc_free(&cc);
}

static void test_render_keeps_ordinary_utf8(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, NULL);
    static const char text[] = "vault caf\xc3\xa9 { name = \"\xe6\x97\xa5\xe6\x9c\xac\" }\n";
    struct src_file *f = src_add(&cc, "r\xc3\xa9sum\xc3\xa9.ob", "", "r.ob", text, sizeof text - 1);
    struct diag *d = diag_emit(&cc, OB2003, (struct loc){f->id, 6, 11}, "vault 'caf\xc3\xa9' named \"\xe6\x97\xa5\xe6\x9c\xac\" \\n");
    diag_help(&cc, d, "\xe2\x80\x94 \xf0\x9f\x98\x80");
    char *out = render(&cc, false);
    assert_string_equal(out, "r\xc3\xa9sum\xc3\xa9.ob:1:7: error[OB2003]: vault 'caf\xc3\xa9' named \"\xe6\x97\xa5\xe6\x9c\xac\" \\n\n"
                             "   1 | vault caf\xc3\xa9 { name = \"\xe6\x97\xa5\xe6\x9c\xac\" }\n"
                             "     |       ^~~~\n"
                             "     = help: \xe2\x80\x94 \xf0\x9f\x98\x80\n");
    free(out);
    out = render(&cc, true);
    assert_non_null(strstr(out, "\"message\": \"vault 'caf\xc3\xa9' named \\\"\xe6\x97\xa5\xe6\x9c\xac\\\" \\\\n\""));
    assert_non_null(strstr(out, "\"file\": \"r\xc3\xa9sum\xc3\xa9.ob\""));
    free(out);
    obc_free(&cc);
}

static void test_report_error_escapes(void **state)
{
    (void)state;
    struct text t;
    FILE *f = text_open(&t);
    report_error(f, "cannot read '%s': %s", "a\nobc: 0 errors\x1b]8;;\xc2\x9c\xe2\x81\xa9\xff", "gone");
    char *out = text_close(&t);
    assert_string_equal(out, "obc: error: cannot read 'a\\nobc: 0 errors\\u{1b}]8;;\\u{9c}\\u{2069}\\xff': gone\n");
    free(out);
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[500] = '\n';
    f = text_open(&t);
    report_error(f, "%s", big);
    out = text_close(&t);
    assert_int_equal(strlen(out), strlen("obc: error: ") + 999 + 1 + 1);
    assert_non_null(strstr(out, "x\\nx"));
    free(out);
}

/* In a policy document's words: attributes become its keys, durations
 * numbers with units; quoted names and values, and words that only
 * contain an attribute, stay as they are. */
static void test_document_terms(void **state)
{
    (void)state;
    struct obc cc;
    obc_init(&cc, NULL);
    struct arena *a = &cc.arena;
    assert_string_equal(diag_document_terms(a, "make delete_after at least 390d, or cold_after at most 275d"),
                        "make delete_after_days at least 390 days, or move_to_cold_storage_after_days at most 275 days");
    assert_string_equal(diag_document_terms(a, "start_within 8h and complete_within 90min; 36,500d"),
                        "start_backup_window_minutes 8 hours and complete_backup_window_minutes 90 minutes; "
                        "36,500 days");
    /* quoted text, keys that already are policy keys, and the plan's own words */
    assert_string_equal(diag_document_terms(a, "rule 'delete_after 2d' of plan \"cold_after\" keeps it"),
                        "rule 'delete_after 2d' of plan \"cold_after\" keeps it");
    assert_string_equal(diag_document_terms(a, "the plan's delete_after_days, x_delete_after, 2days, OB4002"),
                        "the plan's delete_after_days, x_delete_after, 2days, OB4002");
    assert_string_equal(diag_document_terms(a, "the plan's cold_after is 'it''s' 5d"),
                        "the plan's move_to_cold_storage_after_days is 'it''s' 5 days");
    assert_string_equal(diag_document_terms(a, "remove continuous = true, or add delete_after = <days>"),
                        "remove enable_continuous_backup, or add lifecycle.delete_after_days");
    assert_string_equal(diag_document_terms(a, ""), "");
    assert_null(diag_document_terms(a, NULL));
    obc_free(&cc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_parse),
        cmocka_unit_test(test_every_code_has_its_explanation),
        cmocka_unit_test(test_sort_by_file_offset_and_emission),
        cmocka_unit_test(test_release_keeping_diagnostics),
        cmocka_unit_test(test_render_without_location_and_with_note),
        cmocka_unit_test(test_render_escapes_untrusted_text),
        cmocka_unit_test(test_render_keeps_ordinary_utf8),
        cmocka_unit_test(test_report_error_escapes),
        cmocka_unit_test(test_document_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
