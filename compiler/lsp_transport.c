/*
 * lsp_transport.c - the framing of the language server's messages:
 * "Content-Length: N\r\n" headers, an empty line, N bytes of JSON. Owns
 * the limits on what a client may send (LSP_MAX_HEADER_LINE,
 * LSP_MAX_HEADERS, LSP_MAX_BODY): past them the stream is refused, never
 * buffered.
 */
#include "lsp.h"

#include <stdlib.h>
#include <string.h>

/* One header line without its CR LF into line[]; -1 at EOF before any
 * byte, -2 when too long or not ended by CR LF (a lone LF is accepted). */
static int read_header_line(FILE *in, char *line, size_t cap, size_t *total)
{
    size_t n = 0;
    int c;
    while ((c = getc(in)) != EOF) {
        if (++*total > LSP_MAX_HEADERS)
            return -2;
        if (c == '\n') {
            if (n && line[n - 1] == '\r')
                n--;
            line[n] = '\0';
            return (int)n;
        }
        if (n + 1 >= cap)
            return -2;
        line[n++] = (char)c;
    }
    return n == 0 ? -1 : -2;
}

/* ASCII case-insensitive comparison of n bytes (header names). */
static int ascii_casecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i];
        int y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i];
        if (x != y)
            return x - y;
    }
    return 0;
}

static bool parse_length(const char *s, size_t *out)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    size_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (size_t)(*s - '0');
        if (v > LSP_MAX_BODY)
            return false;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    *out = v;
    return *s == '\0';
}

enum lsp_read lsp_read_message(FILE *in, char **body, size_t *len)
{
    char line[LSP_MAX_HEADER_LINE];
    size_t total = 0, length = 0;
    bool have_length = false;
    for (;;) {
        int n = read_header_line(in, line, sizeof line, &total);
        if (n == -1 && total == 0)
            return LSP_READ_EOF;
        if (n < 0)
            return LSP_READ_BAD;
        if (n == 0) {
            if (!have_length)
                return LSP_READ_BAD;
            break;
        }
        const char *colon = strchr(line, ':');
        if (!colon)
            return LSP_READ_BAD;
        size_t name_len = (size_t)(colon - line);
        if (name_len == strlen("Content-Length") && ascii_casecmp(line, "Content-Length", name_len) == 0) {
            if (!parse_length(colon + 1, &length))
                return LSP_READ_BAD;
            have_length = true;
        }
    }
    char *buf = malloc(length + 1);
    if (!buf)
        return LSP_READ_BAD;
    if (fread(buf, 1, length, in) != length) {
        free(buf);
        return LSP_READ_BAD;
    }
    buf[length] = '\0';
    *body = buf;
    *len = length;
    return LSP_READ_OK;
}

bool lsp_send(FILE *out, cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    cJSON_Delete(msg);
    if (!text)
        return false;
    size_t n = strlen(text);
    bool ok = fprintf(out, "Content-Length: %zu\r\n\r\n", n) > 0 && fwrite(text, 1, n, out) == n && fflush(out) == 0;
    free(text);
    return ok;
}
