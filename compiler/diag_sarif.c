/*
 * diag_sarif.c - the diagnostic records of diag.c as a SARIF 2.1.0 log
 * (`--format sarif`, docs/cli.md "SARIF"), for GitHub code scanning and
 * SARIF viewers.
 *
 * Owns: the log skeleton (one run; tool.driver lists every code of
 * codes.def as a rule, in codes.def order, so a result's ruleIndex is its
 * enum diag_code), and turning one compilation's diagnostics into
 * results, related locations, artifacts and fingerprints. Several
 * compilations add to one log; the caller prints it once.
 *
 * Locations: URIs relative to the working directory (uriBaseId
 * %SRCROOT%; the standard library's files STDLIB), percent-encoded;
 * columns are 1-based UTF-16 code units (src_utf16_col), endColumn the
 * column after the range. Text from the input goes through text_safe.
 *
 * partialFingerprints.primaryLocationLineHash: FNV-1a (64 bits) of the
 * rule id and the primary line's text without blanks (spaces, tabs,
 * CR), in hex, then ":N", N counting the results of that rule with that
 * hash in that file (1, 2, ...): stable when lines move, as GitHub's own
 * fingerprints are.
 */
#include "base.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "%SRCROOT%"
#define STDLIB_BASE "STDLIB"

static const char *level_of(enum severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* The family of a code (codes.def sections), for properties.tags. */
static const char *family_of(int number)
{
    if (number >= 1100 && number < 1200)
        return "policy-document";
    if (number >= 1200 && number < 2000)
        return "import";
    if (number >= 6100 && number < 6200)
        return "operations";
    static const char *const by_thousand[] = {"", "syntax", "names", "schedules", "lifecycle",
                                              "selections", "copies", "kms", "aws-limits", "lint"};
    int k = number / 1000;
    return k >= 1 && k <= 9 ? by_thousand[k] : "other";
}

/* "unknown name" -> "UnknownName": letters and digits of the title,
 * each word capitalised. malloc'd. */
static char *rule_name(const char *title)
{
    size_t n = strlen(title);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    bool word_start = true;
    for (const char *p = title; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) && c < 0x80) {
            out[k++] = word_start ? (char)toupper(c) : (char)c;
            word_start = false;
        } else {
            word_start = true;
        }
    }
    out[k] = '\0';
    return out;
}

/* The first paragraph under "## What is wrong" in an explanation (or
 * its first paragraph of text), lines joined by spaces. malloc'd. */
static char *first_paragraph(const char *md)
{
    const char *p = strstr(md, "## What is wrong");
    if (p)
        p = strchr(p, '\n');
    else
        p = md;
    while (p && *p) { /* skip blank lines and headings */
        while (*p == '\n')
            p++;
        if (*p == '#' || strncmp(p, "Severity:", 9) == 0) {
            p = strchr(p, '\n');
            continue;
        }
        break;
    }
    if (!p || !*p)
        return NULL;
    const char *end = strstr(p, "\n\n");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    while (n > 0 && p[n - 1] == '\n')
        n--;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = p[i] == '\n' ? ' ' : p[i];
    out[n] = '\0';
    return out;
}

static cJSON *text_object(const char *text)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "text", text);
    return o;
}

static cJSON *rule_for(enum diag_code code)
{
    const struct diag_code_info *info = diag_info(code);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "id", info->id);
    char *name = rule_name(info->title);
    cJSON_AddStringToObject(r, "name", name ? name : info->id);
    free(name);
    cJSON_AddItemToObject(r, "shortDescription", text_object(info->title));
    const char *expl = diag_explanation(code);
    char *para = expl ? first_paragraph(expl) : NULL;
    cJSON_AddItemToObject(r, "fullDescription", text_object(para ? para : info->title));
    free(para);
    cJSON *help = cJSON_AddObjectToObject(r, "help");
    cJSON_AddStringToObject(help, "text", expl ? expl : info->title);
    cJSON_AddStringToObject(help, "markdown", expl ? expl : info->title);
    cJSON *conf = cJSON_AddObjectToObject(r, "defaultConfiguration");
    cJSON_AddStringToObject(conf, "level", level_of(info->sev));
    cJSON *props = cJSON_AddObjectToObject(r, "properties");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON_AddItemToArray(tags, cJSON_CreateString(family_of(info->number)));
    cJSON_AddItemToArray(tags, cJSON_CreateString(info->number >= 9000 ? "maintainability" : "correctness"));
    return r;
}

cJSON *diag_sarif_log(void)
{
    cJSON *log = cJSON_CreateObject();
    cJSON_AddStringToObject(log, "$schema", SARIF_SCHEMA);
    cJSON_AddStringToObject(log, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(log, "runs");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(runs, run);
    cJSON *tool = cJSON_AddObjectToObject(run, "tool");
    cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
    cJSON_AddStringToObject(driver, "name", "obc");
    cJSON_AddStringToObject(driver, "version", OBC_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", OBC_VERSION);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    for (int c = 0; c < DIAG_CODE_COUNT; c++)
        cJSON_AddItemToArray(rules, rule_for((enum diag_code)c));
    cJSON *invocations = cJSON_AddArrayToObject(run, "invocations");
    cJSON *inv = cJSON_CreateObject();
    cJSON_AddBoolToObject(inv, "executionSuccessful", true);
    cJSON_AddItemToArray(invocations, inv);
    cJSON *bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
    cJSON *root = cJSON_AddObjectToObject(bases, SRCROOT);
    cJSON_AddItemToObject(root, "description", text_object("The working directory obc ran in."));
    cJSON *std = cJSON_AddObjectToObject(bases, STDLIB_BASE);
    cJSON_AddItemToObject(std, "description", text_object("The standard library built into obc (std/...)."));
    cJSON_AddArrayToObject(run, "artifacts");
    cJSON_AddArrayToObject(run, "results");
    cJSON_AddStringToObject(run, "columnKind", "utf16CodeUnits");
    return log;
}

/* ---- one compilation --------------------------------------------- */

struct sarif_ctx {
    struct obc *cc;
    cJSON *run, *artifacts, *results;
    struct strmap artifact_index; /* uri -> index + 1 (as a pointer) */
    struct strmap occurrences;    /* "uri\nrule\nhash" -> count */
    const char *cwd;              /* with a trailing '/', or NULL */
    struct src_file *first;       /* the first file of the program, or NULL */
};

static bool uri_plain(unsigned char c)
{
    return isalnum(c) && c < 0x80 ? true : c != '\0' && strchr("-._~/!$&'()*+,;=@", c) != NULL;
}

/* f's path as a URI reference relative to the working directory
 * (absolute paths below it lose the prefix; "./" is dropped), percent
 * encoded; *stdlib when it is a file of the built-in standard library. */
static const char *artifact_uri(struct sarif_ctx *x, struct src_file *f)
{
    const char *p = f->path;
    if (p[0] == '/' && x->cwd && strncmp(p, x->cwd, strlen(x->cwd)) == 0)
        p += strlen(x->cwd);
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    struct strbuf b = {0};
    if (p[0] == '/' && !f->is_stdlib)
        sb_puts(&x->cc->arena, &b, "file://");
    for (const unsigned char *u = (const unsigned char *)p; *u; u++) {
        if (uri_plain(*u))
            sb_putn(&x->cc->arena, &b, (const char *)u, 1);
        else
            sb_printf(&x->cc->arena, &b, "%%%02X", *u);
    }
    return sb_str(&x->cc->arena, &b);
}

static bool uri_absolute(const char *uri)
{
    return strncmp(uri, "file://", 7) == 0;
}

/* The artifacts[] index of f, adding it the first time. */
static int artifact_of(struct sarif_ctx *x, struct src_file *f, const char **uri_out)
{
    const char *uri = artifact_uri(x, f);
    *uri_out = uri;
    void *found = strmap_get(&x->artifact_index, uri);
    if (found)
        return (int)((intptr_t)found - 1);
    int index = cJSON_GetArraySize(x->artifacts);
    cJSON *a = cJSON_CreateObject();
    cJSON *loc = cJSON_AddObjectToObject(a, "location");
    cJSON_AddStringToObject(loc, "uri", uri);
    if (!uri_absolute(uri))
        cJSON_AddStringToObject(loc, "uriBaseId", f->is_stdlib ? STDLIB_BASE : SRCROOT);
    cJSON_AddNumberToObject(a, "length", (double)f->len);
    cJSON_AddItemToArray(x->artifacts, a);
    strmap_put_new(&x->cc->arena, &x->artifact_index, uri, (void *)(intptr_t)(index + 1));
    return index;
}

/* "message" as a sentence: first letter capitalised, a final period. */
static const char *sentence(struct arena *a, const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return s;
    char *out = arena_printf(a, "%s%s", s, strchr(".!?", s[n - 1]) ? "" : ".");
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
    return out;
}

/* A physicalLocation naming file f, without a region yet. */
static cJSON *whole_file(struct sarif_ctx *x, struct src_file *f)
{
    const char *uri;
    int index = artifact_of(x, f, &uri);
    cJSON *p = cJSON_CreateObject();
    cJSON *art = cJSON_AddObjectToObject(p, "artifactLocation");
    cJSON_AddStringToObject(art, "uri", uri);
    if (!uri_absolute(uri))
        cJSON_AddStringToObject(art, "uriBaseId", f->is_stdlib ? STDLIB_BASE : SRCROOT);
    cJSON_AddNumberToObject(art, "index", index);
    return p;
}

/* A physicalLocation for loc, or NULL when it has no file. */
static cJSON *physical(struct sarif_ctx *x, struct loc loc, const char **uri_out)
{
    struct src_file *f = src_get(x->cc, loc.file);
    if (!f)
        return NULL;
    cJSON *p = whole_file(x, f);
    if (uri_out)
        *uri_out = json_string_at(cJSON_GetObjectItemCaseSensitive(p, "artifactLocation"), "uri");
    uint32_t start = loc.start <= f->len ? loc.start : (uint32_t)f->len;
    uint32_t end = loc.end > start && loc.end <= f->len ? loc.end : start;
    struct src_pos a = src_pos(f, start), b = src_pos(f, end);
    uint32_t c0 = src_utf16_col(f, start) + 1, c1 = src_utf16_col(f, end) + 1;
    if (end == start) { /* an empty range: the character there, if the line has one */
        size_t len;
        src_line(f, a.line, &len);
        if (a.col - 1 < len)
            c1 = c0 + 1;
    }
    cJSON *r = cJSON_AddObjectToObject(p, "region");
    cJSON_AddNumberToObject(r, "startLine", a.line);
    cJSON_AddNumberToObject(r, "startColumn", c0);
    cJSON_AddNumberToObject(r, "endLine", b.line);
    cJSON_AddNumberToObject(r, "endColumn", c1);
    return p;
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* partialFingerprints.primaryLocationLineHash of a result of `code` at loc. */
static const char *line_hash(struct sarif_ctx *x, enum diag_code code, struct loc loc, const char *uri)
{
    struct src_file *f = src_get(x->cc, loc.file);
    const char *id = diag_info(code)->id;
    uint64_t h = fnv1a(0xcbf29ce484222325ULL, id, strlen(id) + 1);
    size_t len;
    const char *line = src_line(f, src_pos(f, loc.start <= f->len ? loc.start : (uint32_t)f->len).line, &len);
    for (size_t i = 0; i < len; i++)
        if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            h = fnv1a(h, line + i, 1);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
    const char *key = arena_printf(&x->cc->arena, "%s\n%s", uri, hex);
    intptr_t *count = strmap_get(&x->occurrences, key);
    if (!count) {
        count = arena_alloc(&x->cc->arena, sizeof *count);
        *count = 0;
        strmap_put_new(&x->cc->arena, &x->occurrences, key, count);
    }
    ++*count;
    return arena_printf(&x->cc->arena, "%s:%ld", hex, (long)*count);
}

static void add_result(struct sarif_ctx *x, const struct diag *d)
{
    struct arena *a = &x->cc->arena;
    const struct diag_code_info *info = diag_info(d->code);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "ruleId", info->id);
    cJSON_AddNumberToObject(r, "ruleIndex", (double)d->code);
    cJSON_AddStringToObject(r, "level", level_of(d->sev));
    const char *text = sentence(a, text_safe(a, d->msg));
    if (d->help)
        text = arena_printf(a, "%s %s", text, sentence(a, text_safe(a, d->help)));
    cJSON_AddItemToObject(r, "message", text_object(text));
    const char *uri = NULL;
    struct loc where = d->loc;
    if (!src_get(x->cc, where.file) && x->first) /* about the program as a whole: all of its first file */
        where = (struct loc){x->first->id, 0, (uint32_t)x->first->len};
    cJSON *p = physical(x, where, &uri);
    cJSON *locs = cJSON_AddArrayToObject(r, "locations");
    if (p) {
        cJSON *l = cJSON_CreateObject();
        cJSON_AddItemToObject(l, "physicalLocation", p);
        cJSON_AddItemToArray(locs, l);
    }
    if (d->notes) {
        cJSON *rel = cJSON_AddArrayToObject(r, "relatedLocations");
        int id = 1;
        for (const struct diag_note *n = d->notes; n; n = n->next) {
            cJSON *l = cJSON_CreateObject();
            cJSON_AddNumberToObject(l, "id", id++);
            cJSON *np = physical(x, n->loc, NULL);
            if (np)
                cJSON_AddItemToObject(l, "physicalLocation", np);
            cJSON_AddItemToObject(l, "message", text_object(sentence(a, text_safe(a, n->msg))));
            cJSON_AddItemToArray(rel, l);
        }
    }
    if (uri) {
        cJSON *fp = cJSON_AddObjectToObject(r, "partialFingerprints");
        cJSON_AddStringToObject(fp, "primaryLocationLineHash", line_hash(x, d->code, where, uri));
    }
    cJSON_AddItemToArray(x->results, r);
}

void diag_sarif_add(struct obc *cc, cJSON *log)
{
    struct sarif_ctx x = {.cc = cc};
    x.run = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(log, "runs"), 0);
    x.artifacts = cJSON_GetObjectItemCaseSensitive(x.run, "artifacts");
    x.results = cJSON_GetObjectItemCaseSensitive(x.run, "results");
    char buf[PATH_MAX];
    if (getcwd(buf, sizeof buf))
        x.cwd = arena_printf(&cc->arena, "%s%s", buf, strcmp(buf, "/") == 0 ? "" : "/");
    /* what earlier compilations listed, so a file shared by two is listed once */
    int k = 0;
    for (cJSON *a = x.artifacts ? x.artifacts->child : NULL; a; a = a->next, k++) {
        const char *uri = json_string_at(cJSON_GetObjectItemCaseSensitive(a, "location"), "uri");
        if (uri)
            strmap_put_new(&cc->arena, &x.artifact_index, arena_strdup(&cc->arena, uri), (void *)(intptr_t)(k + 1));
    }
    /* every file of the program (the standard library only when a result is in it) */
    for (size_t i = 0; i < cc->files.len; i++) {
        struct src_file *f = VEC_GET(struct src_file, cc->files, i);
        if (!f->is_stdlib && !f->origin) {
            if (!x.first)
                x.first = f;
            const char *uri;
            artifact_of(&x, f, &uri);
        }
    }
    for (size_t i = 0; i < cc->diag.list.len; i++)
        add_result(&x, VEC_GET(struct diag, cc->diag.list, i));
    if (cc->diag.dropped) {
        cJSON *inv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(x.run, "invocations"), 0);
        cJSON *notes = cJSON_GetObjectItemCaseSensitive(inv, "toolExecutionNotifications");
        if (!notes)
            notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
        cJSON *n = cJSON_CreateObject();
        cJSON_AddStringToObject(n, "level", "warning");
        cJSON_AddItemToObject(n, "message",
                              text_object(arena_printf(&cc->arena,
                                                       "%zu more diagnostic%s not shown (limit %zu).",
                                                       cc->diag.dropped, cc->diag.dropped == 1 ? "" : "s",
                                                       cc->diag.max)));
        cJSON_AddItemToArray(notes, n);
    }
}
