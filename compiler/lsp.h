/*
 * lsp.h - the language server (`obc lsp`): JSON-RPC over stdio with
 * Content-Length framing (lsp_transport.c), the open documents
 * (lsp_docs.c), compiling one document version into its own struct obc
 * and publishing its diagnostics (lsp_build.c), the language features
 * (lsp_features.c: hover, definition, completion, code actions;
 * lsp_format.c: formatting) and the dispatch table (lsp_server.c).
 * docs/lsp.md documents the protocol subset.
 */
#ifndef OBC_LSP_H
#define OBC_LSP_H

#include "driver.h"
#include "sema.h"

#include <cjson/cJSON.h>

/* Framing limits (hostile clients): one header line, all headers of one
 * message, and one message body. */
#define LSP_MAX_HEADER_LINE 1024
#define LSP_MAX_HEADERS 8192
#define LSP_MAX_BODY (LIMIT_FILE_BYTES + 1024u * 1024u)

/* JSON-RPC error codes. */
enum {
    LSP_PARSE_ERROR = -32700,
    LSP_INVALID_REQUEST = -32600,
    LSP_METHOD_NOT_FOUND = -32601,
    LSP_INVALID_PARAMS = -32602,
    LSP_SERVER_NOT_INITIALIZED = -32002,
    LSP_REQUEST_FAILED = -32803,
};

/* lsp_transport.c */
enum lsp_read { LSP_READ_OK, LSP_READ_EOF, LSP_READ_BAD };
/* Reads one message; *body is malloc'd (caller frees), NUL-terminated.
 * LSP_READ_BAD: a malformed or oversized header or body (the stream can
 * no longer be trusted: the server stops). */
enum lsp_read lsp_read_message(FILE *in, char **body, size_t *len);
/* Writes `msg` framed, and frees it. False on a write error. */
bool lsp_send(FILE *out, cJSON *msg);

/* lsp_docs.c: the text of each open document, outside any compilation */
struct lsp_doc {
    char *uri;
    char *path;      /* the file path of a file: URI, shown in diagnostics */
    char *text;
    size_t len;
    int64_t version;
    struct lsp_doc *next;
};
struct lsp_docs {
    struct lsp_doc *head;
};
struct lsp_doc *lsp_doc_find(struct lsp_docs *docs, const char *uri);
/* Opens or replaces a document; NULL when out of memory. */
struct lsp_doc *lsp_doc_set(struct lsp_docs *docs, const char *uri, const char *text, size_t len, int64_t version);
void lsp_doc_close(struct lsp_docs *docs, const char *uri);
void lsp_docs_free(struct lsp_docs *docs);
/* "file:///a%20b/c.ob" -> "/a b/c.ob" (malloc'd), NULL if not a file: URI. */
char *lsp_uri_to_path(const char *uri);
/* The file: URI of an absolute or relative path, in arena a. */
const char *lsp_path_to_uri(struct arena *a, const char *path);

/* lsp_build.c: one compilation of one document version */
struct lsp_build {
    struct obc cc;
    struct src_file *file; /* the document's file in cc.files, or NULL */
    jmp_buf oom;
};
/* Compiles doc (imports are read from disk). Returns false when it ran
 * out of memory (then nothing of b may be used but lsp_build_free). */
bool lsp_build_run(struct lsp_build *b, const struct lsp_doc *doc, const char *stdlib_dir);
void lsp_build_free(struct lsp_build *b);
/* The publishDiagnostics notification for b's document. */
cJSON *lsp_build_diagnostics(struct lsp_build *b, const struct lsp_doc *doc);
/* LSP positions in b's document. */
uint32_t lsp_offset_of(struct lsp_build *b, const cJSON *position);
cJSON *lsp_range_json(struct src_file *f, uint32_t start, uint32_t end);
/* The diagnostics of b's document, filtered and sorted like the published ones. */
bool lsp_diag_in_document(const struct lsp_build *b, const struct diag *d);

/* lsp_features.c: each returns the result of its request (cJSON null
 * when there is none). */
cJSON *lsp_hover(struct lsp_build *b, uint32_t offset);
cJSON *lsp_definition(struct lsp_build *b, const struct lsp_doc *doc, uint32_t offset);
cJSON *lsp_completion(struct lsp_build *b, uint32_t offset);
cJSON *lsp_code_actions(struct lsp_build *b, const struct lsp_doc *doc, const cJSON *range);
/* lsp_format.c */
/* The edits that make doc canonical (fmt_source): one whole-document
 * edit, none when it already is, NULL when it does not parse. */
cJSON *lsp_formatting(const struct lsp_doc *doc);

/* lsp_server.c: runs the server until exit; returns the exit status
 * (0 after shutdown then exit, 1 otherwise). */
int lsp_run(FILE *in, FILE *out, const char *stdlib_dir);

#endif /* OBC_LSP_H */
