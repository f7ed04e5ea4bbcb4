/*
 * lsp_server.c - the language server's loop and dispatch table: reads
 * each message (lsp_transport.c), answers requests by method, handles
 * the lifecycle (initialize, initialized, shutdown, exit) and the
 * document notifications (didOpen, didChange with full sync, didClose),
 * publishing the diagnostics of every new version. Every request about
 * a document compiles its current text in a struct obc of its own that
 * is freed before the next message is read.
 */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

struct server {
    FILE *out;
    const char *stdlib_dir;
    struct lsp_docs docs;
    bool initialized;
    bool shutdown;
    bool exit;
    bool write_failed;
};

static void send(struct server *s, cJSON *msg)
{
    if (msg && !lsp_send(s->out, msg))
        s->write_failed = true;
}

static void reply(struct server *s, const cJSON *id, cJSON *result)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
    cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
    send(s, m);
}

static void reply_error(struct server *s, const cJSON *id, int code, const char *message)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
    cJSON *e = cJSON_AddObjectToObject(m, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", message);
    send(s, m);
}

static const char *param_string(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *document_uri(const cJSON *params)
{
    return param_string(cJSON_GetObjectItemCaseSensitive(params, "textDocument"), "uri");
}

/* ------------------------------------------------------------------ */
/* Lifecycle                                                            */

static cJSON *capabilities(void)
{
    cJSON *r = cJSON_CreateObject();
    cJSON *caps = cJSON_AddObjectToObject(r, "capabilities");
    cJSON_AddStringToObject(caps, "positionEncoding", "utf-16");
    cJSON *sync = cJSON_AddObjectToObject(caps, "textDocumentSync");
    cJSON_AddBoolToObject(sync, "openClose", true);
    cJSON_AddNumberToObject(sync, "change", 1); /* full */
    cJSON_AddBoolToObject(caps, "hoverProvider", true);
    cJSON_AddBoolToObject(caps, "definitionProvider", true);
    cJSON *completion = cJSON_AddObjectToObject(caps, "completionProvider");
    cJSON *triggers = cJSON_AddArrayToObject(completion, "triggerCharacters");
    cJSON_AddItemToArray(triggers, cJSON_CreateString("="));
    cJSON_AddItemToArray(triggers, cJSON_CreateString("\""));
    cJSON_AddBoolToObject(caps, "documentFormattingProvider", true);
    cJSON *actions = cJSON_AddObjectToObject(caps, "codeActionProvider");
    cJSON *kinds = cJSON_AddArrayToObject(actions, "codeActionKinds");
    cJSON_AddItemToArray(kinds, cJSON_CreateString("quickfix"));
    cJSON *info = cJSON_AddObjectToObject(r, "serverInfo");
    cJSON_AddStringToObject(info, "name", "obc");
    cJSON_AddStringToObject(info, "version", OBC_VERSION);
    return r;
}

static void on_initialize(struct server *s, const cJSON *id, const cJSON *params)
{
    (void)params; /* utf-16 is the only encoding offered, and the default */
    s->initialized = true;
    reply(s, id, capabilities());
}

static void on_shutdown(struct server *s, const cJSON *id, const cJSON *params)
{
    (void)params;
    s->shutdown = true;
    reply(s, id, NULL);
}

static void on_exit(struct server *s, const cJSON *id, const cJSON *params)
{
    (void)id;
    (void)params;
    s->exit = true;
}

static void on_ignored(struct server *s, const cJSON *id, const cJSON *params)
{
    (void)s;
    (void)id;
    (void)params;
}

/* ------------------------------------------------------------------ */
/* Documents                                                            */

static void publish(struct server *s, const struct lsp_doc *doc)
{
    struct lsp_build b;
    if (lsp_build_run(&b, doc, s->stdlib_dir))
        send(s, lsp_build_diagnostics(&b, doc));
    lsp_build_free(&b);
}

static void set_document(struct server *s, const char *uri, const cJSON *text, const cJSON *version)
{
    if (!uri || !cJSON_IsString(text))
        return;
    int64_t v = cJSON_IsNumber(version) ? (int64_t)version->valuedouble : 0;
    struct lsp_doc *doc = lsp_doc_set(&s->docs, uri, text->valuestring, strlen(text->valuestring), v);
    if (doc)
        publish(s, doc);
}

static void on_did_open(struct server *s, const cJSON *id, const cJSON *params)
{
    (void)id;
    const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
    set_document(s, param_string(td, "uri"), cJSON_GetObjectItemCaseSensitive(td, "text"),
                 cJSON_GetObjectItemCaseSensitive(td, "version"));
}

static void on_did_change(struct server *s, const cJSON *id, const cJSON *params)
{
    (void)id;
    const cJSON *td = cJSON_GetObjectItemCaseSensitive(params, "textDocument");
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges");
    const cJSON *last = NULL, *c;
    cJSON_ArrayForEach(c, changes) last = c; /* full sync: the last change is the text */
    if (last)
        set_document(s, param_string(td, "uri"), cJSON_GetObjectItemCaseSensitive(last, "text"),
                     cJSON_GetObjectItemCaseSensitive(td, "version"));
}

static void on_did_close(struct server *s, const cJSON *id, const cJSON *params)
{
    (void)id;
    const char *uri = document_uri(params);
    if (!uri)
        return;
    lsp_doc_close(&s->docs, uri);
    /* its diagnostics go with it */
    cJSON *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "jsonrpc", "2.0");
    cJSON_AddStringToObject(n, "method", "textDocument/publishDiagnostics");
    cJSON *p = cJSON_AddObjectToObject(n, "params");
    cJSON_AddStringToObject(p, "uri", uri);
    cJSON_AddArrayToObject(p, "diagnostics");
    send(s, n);
}

/* ------------------------------------------------------------------ */
/* Requests about a position or a document                              */

enum feature { F_HOVER, F_DEFINITION, F_COMPLETION, F_CODE_ACTION };

static void answer_feature(struct server *s, const cJSON *id, const cJSON *params, enum feature what)
{
    const char *uri = document_uri(params);
    struct lsp_doc *doc = uri ? lsp_doc_find(&s->docs, uri) : NULL;
    if (!doc) {
        reply_error(s, id, LSP_INVALID_PARAMS, "the document is not open");
        return;
    }
    struct lsp_build b;
    if (!lsp_build_run(&b, doc, s->stdlib_dir)) {
        lsp_build_free(&b);
        reply_error(s, id, LSP_REQUEST_FAILED, "out of memory");
        return;
    }
    jmp_buf oom;
    if (setjmp(oom)) {
        b.cc.arena.oom = NULL;
        lsp_build_free(&b);
        reply_error(s, id, LSP_REQUEST_FAILED, "out of memory");
        return;
    }
    b.cc.arena.oom = &oom;
    uint32_t offset = lsp_offset_of(&b, cJSON_GetObjectItemCaseSensitive(params, "position"));
    cJSON *result = what == F_HOVER        ? lsp_hover(&b, offset)
                    : what == F_DEFINITION ? lsp_definition(&b, doc, offset)
                    : what == F_COMPLETION ? lsp_completion(&b, offset)
                                           : lsp_code_actions(&b, doc, cJSON_GetObjectItemCaseSensitive(params, "range"));
    b.cc.arena.oom = NULL;
    lsp_build_free(&b);
    reply(s, id, result);
}

static void on_hover(struct server *s, const cJSON *id, const cJSON *params)
{
    answer_feature(s, id, params, F_HOVER);
}

static void on_definition(struct server *s, const cJSON *id, const cJSON *params)
{
    answer_feature(s, id, params, F_DEFINITION);
}

static void on_completion(struct server *s, const cJSON *id, const cJSON *params)
{
    answer_feature(s, id, params, F_COMPLETION);
}

static void on_code_action(struct server *s, const cJSON *id, const cJSON *params)
{
    answer_feature(s, id, params, F_CODE_ACTION);
}

static void on_formatting(struct server *s, const cJSON *id, const cJSON *params)
{
    const char *uri = document_uri(params);
    struct lsp_doc *doc = uri ? lsp_doc_find(&s->docs, uri) : NULL;
    if (!doc) {
        reply_error(s, id, LSP_INVALID_PARAMS, "the document is not open");
        return;
    }
    cJSON *edits = lsp_formatting(doc);
    if (!edits) /* a syntax error: the diagnostics say where */
        reply_error(s, id, LSP_REQUEST_FAILED, "the document has syntax errors; it is formatted once they are fixed");
    else
        reply(s, id, edits);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                             */

struct method {
    const char *name;
    void (*handle)(struct server *s, const cJSON *id, const cJSON *params);
    bool request; /* answered; otherwise a notification */
};

static const struct method methods[] = {
    {"initialize", on_initialize, true},
    {"initialized", on_ignored, false},
    {"shutdown", on_shutdown, true},
    {"exit", on_exit, false},
    {"textDocument/didOpen", on_did_open, false},
    {"textDocument/didChange", on_did_change, false},
    {"textDocument/didSave", on_ignored, false},
    {"textDocument/didClose", on_did_close, false},
    {"textDocument/hover", on_hover, true},
    {"textDocument/definition", on_definition, true},
    {"textDocument/completion", on_completion, true},
    {"textDocument/codeAction", on_code_action, true},
    {"textDocument/formatting", on_formatting, true},
    {"$/cancelRequest", on_ignored, false},
    {"$/setTrace", on_ignored, false},
};

static void dispatch(struct server *s, const char *body, size_t len)
{
    cJSON *msg = cJSON_ParseWithLength(body, len);
    if (!msg || !cJSON_IsObject(msg)) {
        reply_error(s, NULL, LSP_PARSE_ERROR, "the message is not a JSON object");
        cJSON_Delete(msg);
        return;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const char *method = param_string(msg, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    if (!method) { /* a response to a request of ours (none are sent), or garbage */
        if (!cJSON_GetObjectItemCaseSensitive(msg, "result") && !cJSON_GetObjectItemCaseSensitive(msg, "error"))
            reply_error(s, id, LSP_INVALID_REQUEST, "a message without a method");
        cJSON_Delete(msg);
        return;
    }
    const struct method *m = NULL;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(methods[i].name, method) == 0)
            m = &methods[i];
    if (!m) {
        if (id) /* unknown notifications are dropped, as the protocol says */
            reply_error(s, id, LSP_METHOD_NOT_FOUND, "method not found");
    } else if (!s->initialized && m->handle != on_initialize && m->handle != on_exit) {
        if (id)
            reply_error(s, id, LSP_SERVER_NOT_INITIALIZED, "initialize first");
    } else if (s->shutdown && m->handle != on_exit) {
        if (id)
            reply_error(s, id, LSP_INVALID_REQUEST, "the server is shutting down");
    } else {
        m->handle(s, id, params);
    }
    cJSON_Delete(msg);
}

int lsp_run(FILE *in, FILE *out, const char *stdlib_dir)
{
    struct server s = {0};
    s.out = out;
    s.stdlib_dir = stdlib_dir;
    while (!s.exit && !s.write_failed) {
        char *body;
        size_t len;
        enum lsp_read r = lsp_read_message(in, &body, &len);
        if (r != LSP_READ_OK) {
            if (r == LSP_READ_BAD)
                fputs("obc: error: lsp: a malformed or oversized message; stopping\n", stderr);
            break;
        }
        dispatch(&s, body, len);
        free(body);
    }
    lsp_docs_free(&s.docs);
    return s.exit && s.shutdown ? 0 : 1;
}
