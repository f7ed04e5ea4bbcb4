/*
 * frontend.c - benchmark driver for obc's front end alone.
 *
 *   frontend FILE...
 *
 * Reads and parses FILE... and everything they import, exactly as
 * `obc check` starts (load_program: reading, UTF-8 validation, the flex
 * scanner, the bison parser, the AST, imports including the embedded
 * standard library), then stops: no sema, no checks, no emitters. Used by
 * tests/bench/run.sh to measure lex+parse throughput and instructions per
 * byte. Exit status: 0 parsed cleanly, 1 diagnostics, 2 I/O error.
 *
 * Owns nothing in the compiler; links the same objects as build/obc
 * (all but main.o).
 */
#include "front.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: frontend FILE...\n", stderr);
        return 2;
    }
    struct obc cc;
    obc_init(&cc, NULL);
    int rc = 0;
    if (!load_program(&cc, (const char *const *)(argv + 1), (size_t)(argc - 1), stderr)) {
        rc = 2;
    } else if (cc.diag.errors > 0) {
        fprintf(stderr, "frontend: %zu errors while parsing\n", cc.diag.errors);
        rc = 1;
    }
    obc_free(&cc);
    return rc;
}
