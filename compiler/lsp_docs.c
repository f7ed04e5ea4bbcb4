/*
 * lsp_docs.c - the language server's open documents: URI, path and the
 * full text of the latest version (full synchronisation), in malloc'd
 * memory that lives from didOpen to didClose; and the file: URI <-> path
 * conversions.
 */
#include "lsp.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct lsp_doc *lsp_doc_find(struct lsp_docs *docs, const char *uri)
{
    for (struct lsp_doc *d = docs->head; d; d = d->next)
        if (strcmp(d->uri, uri) == 0)
            return d;
    return NULL;
}

static char *dup_bytes(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

struct lsp_doc *lsp_doc_set(struct lsp_docs *docs, const char *uri, const char *text, size_t len, int64_t version)
{
    char *copy = dup_bytes(text, len);
    if (!copy)
        return NULL;
    struct lsp_doc *d = lsp_doc_find(docs, uri);
    if (!d) {
        d = calloc(1, sizeof *d);
        char *u = dup_bytes(uri, strlen(uri));
        char *path = lsp_uri_to_path(uri);
        if (!path)
            path = dup_bytes(uri, strlen(uri)); /* an untitled: document: shown by its URI */
        if (!d || !u || !path) {
            free(d);
            free(u);
            free(path);
            free(copy);
            return NULL;
        }
        d->uri = u;
        d->path = path;
        d->next = docs->head;
        docs->head = d;
    }
    free(d->text);
    d->text = copy;
    d->len = len;
    d->version = version;
    return d;
}

static void doc_free(struct lsp_doc *d)
{
    free(d->uri);
    free(d->path);
    free(d->text);
    free(d);
}

void lsp_doc_close(struct lsp_docs *docs, const char *uri)
{
    for (struct lsp_doc **p = &docs->head; *p; p = &(*p)->next) {
        if (strcmp((*p)->uri, uri) == 0) {
            struct lsp_doc *d = *p;
            *p = d->next;
            doc_free(d);
            return;
        }
    }
}

void lsp_docs_free(struct lsp_docs *docs)
{
    while (docs->head) {
        struct lsp_doc *d = docs->head;
        docs->head = d->next;
        doc_free(d);
    }
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *lsp_uri_to_path(const char *uri)
{
    if (strncmp(uri, "file://", 7) != 0)
        return NULL;
    const char *s = uri + 7;
    if (*s != '/') { /* file://host/path: only the local host */
        if (strncmp(s, "localhost/", 10) != 0)
            return NULL;
        s += 9;
    }
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = hex_value(s[i + 1])) >= 0 && (lo = hex_value(s[i + 2])) >= 0 &&
            (hi || lo)) {
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

const char *lsp_path_to_uri(struct arena *a, const char *path)
{
    struct strbuf b = {0};
    sb_puts(a, &b, "file://");
    if (path[0] != '/') {
        char resolved[PATH_MAX];
        char *r = realpath(path, resolved);
        if (r)
            path = arena_strdup(a, r);
        else
            sb_puts(a, &b, "/"); /* cannot happen for a file that was read */
    }
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/-._~", *p)) {
            sb_putn(a, &b, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            sb_putn(a, &b, e, 3);
        }
    }
    return sb_str(a, &b);
}
