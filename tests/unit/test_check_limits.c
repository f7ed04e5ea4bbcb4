/*
 * test_check_limits.c - what the corpus cannot show for OB8001-OB8005:
 *  - a selection entry name AWS rejects (names derived from identifiers
 *    are always valid, so the IR is changed by hand);
 *  - the 10,000-character limit across a sweep of sizes, against a
 *    minifier written here (whitespace outside strings removed from the
 *    pretty-printed policy, characters counted as code points);
 *  - tag key and value lengths around 128 and 256, in ASCII and in
 *    two-byte characters;
 *  - the ordinals of attachments past the 20th (21st, 22nd, 23rd).
 * Run from the repository root (the standard library is read from stdlib/).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "sema.h"
#include "checks.h"
#include "emit.h"
#include "driver.h"
#include "compile_fixture.h"

static void analyze(struct compiled *c, const char *src)
{
    compile_text(c, src);
    assert_non_null(c->prog);
}

static const char head[] =
    "import \"std/aws\"\n"
    "root r = \"r-ab12\"\n"
    "vault v { name = \"backups\" }\n"
    "selection s {\n  role  = default_backup_role\n  match = tag(\"backup\") == \"true\"\n}\n";

/* A program of one plan with `nrules` rules of `ntags` tags each: the
 * last tag of the last rule is key = `key`, value = `value`, the others
 * "kN" = `filler`. */
static char *program(size_t nrules, size_t ntags, const char *filler, const char *key, const char *value)
{
    struct text t;
    FILE *f = text_open(&t);
    fprintf(f, "%splan p {\n  regions = [eu-west-1]\n  select  = [s]\n", head);
    for (size_t r = 0; r < nrules; r++) {
        fprintf(f, "  rule r%zu {\n    schedule = daily at %02zu:00\n    vault = v\n    delete_after = 35d\n", r, r);
        if (ntags) {
            fprintf(f, "    tags = {\n");
            for (size_t i = 0; i + 1 < ntags; i++)
                fprintf(f, "      \"k%zu\" = \"%s\"\n", i, filler);
            bool last = r + 1 == nrules;
            fprintf(f, "      \"%s\" = \"%s\"\n    }\n", last ? key : "klast", last ? value : filler);
        }
        fprintf(f, "  }\n");
    }
    fprintf(f, "}\npolicy pol {\n  plans  = [p]\n  attach = [r]\n}\n");
    return text_close(&t);
}

static char *repeat(const char *unit, size_t times)
{
    size_t n = strlen(unit);
    char *s = malloc(n * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, unit, n);
    s[n * times] = '\0';
    return s;
}

/* ---- selection entry names ------------------------------------------ */

static void entry_name_rejected(void **state)
{
    struct compiled *r = *state;
    char *src = program(1, 0, "", "", "");
    analyze(r, src);
    free(src);
    assert_int_equal(r->cc.diag.list.len, 0);
    struct ir_selection *sel = VEC_GET(struct ir_selection, r->prog->selections, 0);
    struct ir_sel_entry *en = VEC_GET(struct ir_sel_entry, sel->entries, 0);

    en->name = "nightly backup!";
    check_limits(&r->cc, r->prog);
    const struct diag *d = one_diag(r, OB8003);
    assert_string_equal(d->msg, "selection entry name 'nightly backup!' of selection 's' has characters that are not "
                                "allowed (' ', '!'), so AWS rejects it");
    assert_int_equal(d->loc.start, sel->d.name_loc.start);
    assert_int_equal(d->loc.end, sel->d.name_loc.end);

    r->cc.diag.list.len = 0;
    en->name = "a.b_c-D.e";
    check_limits(&r->cc, r->prog);
    assert_int_equal(count_diags(r, OB8003), 0);

    en->name = "x12345678901234567890123456789012345678901234567890"; /* 51 */
    check_limits(&r->cc, r->prog);
    d = one_diag(r, OB8003);
    assert_string_equal(d->msg, "selection entry name 'x12345678901234567890123456789012345678901234567890' of "
                                "selection 's' is 51 characters long, so AWS rejects it");
}

/* ---- OB8001 against an independent count ----------------------------- */

/* Code points of the JSON text without the whitespace between tokens. */
static size_t minified_length(const char *json)
{
    size_t n = 0;
    bool in_string = false, escaped = false;
    for (const char *p = json; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            continue;
        } else if (c == '"') {
            in_string = true;
        }
        n += (c & 0xC0) != 0x80;
    }
    return n;
}

static size_t policy_length(struct compiled *r)
{
    cJSON *doc = emit_policy(&r->cc, VEC_GET(const struct ir_policy, r->prog->policies, 0));
    char *text = json_print(doc, true);
    cJSON_Delete(doc);
    assert_non_null(text);
    size_t n = minified_length(text);
    free(text);
    return n;
}

static void size_limit_sweep(void **state)
{
    (void)state;
    /* three rules of ten tags, values of 245 'e' with an acute accent
     * (two bytes, one character) but the last, of `last`: 9,933 to
     * 10,089 characters */
    char *filler = repeat("\xc3\xa9", 245);
    size_t fired = 0, quiet = 0;
    for (size_t last = 100; last <= 256; last++) {
        struct compiled r = {0};
        char *value = repeat("\xc3\xa9", last);
        char *src = program(3, 10, filler, "last", value);
        free(value);
        analyze(&r, src);
        free(src);
        size_t length = policy_length(&r);
        const struct diag *d = find_diag(&r, OB8001);
        size_t n = count_diags(&r, OB8001);
        if (length > 10000) {
            assert_int_equal(n, 1);
            char expected[96];
            snprintf(expected, sizeof expected, "policy 'pol' is %zu,%03zu characters (minified JSON), %zu over",
                     length / 1000, length % 1000, length - 10000);
            assert_memory_equal(d->msg, expected, strlen(expected));
            fired++;
        } else {
            assert_int_equal(n, 0);
            quiet++;
        }
        compiled_free(&r);
    }
    free(filler);
    assert_true(fired > 0 && quiet > 0); /* the sweep crosses the limit */
}

/* ---- tag lengths ------------------------------------------------------ */

static void tag_length_sweep(void **state)
{
    (void)state;
    const char *units[] = {"k", "\xc3\xa9"};
    for (size_t u = 0; u < 2; u++) {
        for (size_t n = 126; n <= 130; n++) {
            struct compiled r = {0};
            char *key = repeat(units[u], n);
            char *src = program(1, 1, "", key, "v");
            analyze(&r, src);
            assert_int_equal(count_diags(&r, OB8005), n > 128);
            compiled_free(&r);
            free(src);
            free(key);
        }
        for (size_t n = 254; n <= 258; n++) {
            struct compiled r = {0};
            char *value = repeat(units[u], n);
            char *src = program(1, 1, "", "Team", value);
            analyze(&r, src);
            assert_int_equal(count_diags(&r, OB8005), n > 256);
            compiled_free(&r);
            free(src);
            free(value);
        }
    }
}

/* ---- ordinals of attachments ----------------------------------------- */

static void attachment_ordinals(void **state)
{
    struct compiled *r = *state;
    struct text t;
    FILE *f = text_open(&t);
    char *plan = program(1, 0, "", "", "");
    *strstr(plan, "policy pol {") = '\0'; /* keep the plan, make the policies here */
    fputs(plan, f);
    free(plan);
    for (int i = 1; i <= 23; i++)
        fprintf(f, "policy pol%02d { plans = [p]; attach = [r, r] }\n", i);
    char *src = text_close(&t);
    analyze(r, src);
    free(src);
    const struct diag *d = one_diag(r, OB8002);
    assert_string_equal(d->msg, "policy 'pol11' is the 11th backup policy attached directly to root 'r' (r-ab12); "
                                "AWS allows 10 per root, OU or account");
    const char *expected[] = {"12th", "13th", "14th", "15th", "16th", "17th", "18th", "19th", "20th",
                              "21st", "22nd", "23rd"};
    size_t i = 0;
    for (const struct diag_note *note = d->notes; note; note = note->next, i++) {
        assert_true(i < 12);
        char text[80];
        snprintf(text, sizeof text, "policy 'pol%02zu' is attached to it here as well, the %s", i + 12, expected[i]);
        assert_string_equal(note->msg, text);
    }
    assert_int_equal(i, 12); /* listing the root twice in one policy counts once */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(entry_name_rejected, compiled_setup, compiled_teardown),
        cmocka_unit_test(size_limit_sweep),
        cmocka_unit_test(tag_length_sweep),
        cmocka_unit_test_setup_teardown(attachment_ordinals, compiled_setup, compiled_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
