/*
 * fuzz_compile.c - libFuzzer harness for the whole pipeline: the input
 * bytes are one source file that goes through the lexer, parser,
 * imports, semantic analysis, every check, both emitters and both
 * diagnostic renderers. An input that starts with '{' is read as a
 * BACKUP_POLICY JSON document instead (json_in.c, json_lower.c, the
 * same checks and emitters). A source file also goes through the formatter
 * (fmt.c): when it formats, formatting the result must give it back
 * unchanged (abort otherwise). Any crash, sanitizer report, leak or hang is a
 * bug; the input that caused it becomes a corpus case (corpus/fuzz/).
 *
 * Built by `make fuzz` / `make check` with clang -fsanitize=fuzzer.
 */
#include "front.h"
#include "driver.h"
#include "fmt.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fmt(fmt(x)) == fmt(x), in a compilation of its own. */
static void fuzz_fmt(const uint8_t *data, size_t size)
{
    struct obc cc;
    obc_init(&cc, NULL);
    jmp_buf oom;
    if (setjmp(oom)) {
        obc_free(&cc);
        return;
    }
    cc.arena.oom = &oom;
    char *text = arena_strndup(&cc.arena, (const char *)data, size);
    struct src_file *f = src_add(&cc, "fuzz.ob", "", "fuzz.ob", text, size);
    struct strbuf once, twice;
    if (fmt_source(&cc, f, &once)) {
        struct src_file *g = src_add(&cc, "formatted.ob", "", "formatted.ob", once.s, once.len);
        if (!fmt_source(&cc, g, &twice) || twice.len != once.len || memcmp(twice.s, once.s, once.len) != 0)
            abort();
    }
    obc_free(&cc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    struct obc cc;
    obc_init(&cc, NULL);
    jmp_buf oom;
    if (setjmp(oom)) {
        obc_free(&cc);
        return 0;
    }
    cc.arena.oom = &oom;
    struct ir_program *prog;
    if (size && data[0] == '{') {
        struct src_file *f = load_document_text(&cc, "fuzz.json", (const char *)data, size);
        prog = obc_analyze_document(&cc, f);
    } else {
        fuzz_fmt(data, size);
        load_text(&cc, "fuzz.ob", (const char *)data, size);
        prog = obc_analyze(&cc);
    }
    if (prog) {
        struct vec out = {0};
        obc_emit(&cc, &out);
    }
    diag_sort(&cc);
    diag_render_text(&cc, sink, true);
    diag_render_json(&cc, sink);
    diag_render_summary(&cc, sink, false);
    obc_free(&cc);
    return 0;
}
