/*
 * json_out.c - deterministic JSON printing of a cJSON tree.
 *
 * Owns: the exact bytes of every document obc writes. Two layouts:
 *  - pretty: 2-space indentation, `"key": value`, one element per line,
 *    empty containers as {} and [], a trailing newline;
 *  - minified: no whitespace at all (what AWS counts toward the policy
 *    size limit).
 * Strings are escaped per JSON: '"', '\\', newline, tab, CR, BS and FF
 * with their two-character escapes, other control characters (below
 * 0x20) as \u00XX, everything else (non-ASCII UTF-8,
 * '/') kept as is. Integral numbers print without exponent or fraction.
 *
 * Also owns the small builder the emitters share (json_doc_*, json_add_*):
 * cJSON calls that cannot fail silently. When cJSON cannot allocate, the
 * whole document is freed and the compilation fails through arena_fail,
 * like any other out-of-memory condition.
 *
 * Does not: decide what goes into a document, or use cJSON's own printer
 * (its layout uses tabs and its number format is not ours). The printed
 * text is malloc'd, not arena memory, because the caller owns it beyond
 * the tree.
 */
#include "base.h"

#include <cjson/cJSON.h>
#include <math.h> /* isfinite (a macro: no libm needed) */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A malloc'd growable buffer; `failed` sticks after the first failed
 * allocation so the walker can finish without checking every call. When
 * `counting`, nothing is stored: `chars` counts the characters (UTF-8
 * sequences) the text would have. */
struct out {
    char *s;
    size_t len, cap;
    bool failed;
    bool counting;
    size_t chars;
};

static void put_n(struct out *o, const char *s, size_t n)
{
    if (o->counting) {
        for (size_t i = 0; i < n; i++)
            o->chars += ((unsigned char)s[i] & 0xC0) != 0x80;
        return;
    }
    if (o->failed)
        return;
    size_t need = o->len + n + 1;
    if (need > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < need) /* doubles, or takes just what is needed where doubling would wrap */
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        char *p = realloc(o->s, cap);
        if (!p) {
            o->failed = true;
            return;
        }
        o->s = p;
        o->cap = cap;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
}

static void put_s(struct out *o, const char *s)
{
    put_n(o, s, strlen(s));
}

static void put_c(struct out *o, char c)
{
    put_n(o, &c, 1);
}

static void put_newline_indent(struct out *o, int depth)
{
    static const char line[] = "\n                                                                ";
    size_t n = 1 + 2 * (size_t)depth; /* the newline and the indentation in one piece */
    if (n <= sizeof line - 1) {
        put_n(o, line, n);
        return;
    }
    put_c(o, '\n');
    for (int i = 0; i < depth; i++)
        put_n(o, "  ", 2);
}

static void put_string(struct out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    put_c(o, '"');
    const char *run = s; /* bytes that need no escaping are copied in runs */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c != '"' && c != '\\' && c >= 0x20)
            continue;
        put_n(o, run, (size_t)(s - run));
        run = s + 1;
        const char *short_esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\t' ? "\\t"
                              : c == '\r' ? "\\r" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
        if (short_esc) {
            put_n(o, short_esc, 2);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put_n(o, esc, 6);
        }
    }
    put_n(o, run, (size_t)(s - run));
    put_c(o, '"');
}

/* Integral values (below 1e17, where doubles still hold every integer
 * the manifest can produce) print as plain integers; other finite
 * values as the shortest %g form that reads back the same; NaN and
 * infinities, which JSON cannot express, as null. */
static void put_number(struct out *o, double v)
{
    char buf[64];
    if (!isfinite(v)) {
        put_s(o, "null");
        return;
    }
    if (v > -1e17 && v < 1e17 && (double)(long long)v == v) {
        snprintf(buf, sizeof buf, "%lld", (long long)v); /* also turns -0 into 0 */
        put_s(o, buf);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    put_s(o, buf);
}

static void put_value(struct out *o, const cJSON *v, bool pretty, int depth);

static void put_container(struct out *o, const cJSON *v, bool pretty, int depth, bool object)
{
    put_c(o, object ? '{' : '[');
    const cJSON *child = v->child;
    if (!child) {
        put_c(o, object ? '}' : ']');
        return;
    }
    for (; child; child = child->next) {
        if (pretty)
            put_newline_indent(o, depth + 1);
        if (object) {
            put_string(o, child->string ? child->string : "");
            put_s(o, pretty ? ": " : ":");
        }
        put_value(o, child, pretty, depth + 1);
        if (child->next)
            put_c(o, ',');
    }
    if (pretty)
        put_newline_indent(o, depth);
    put_c(o, object ? '}' : ']');
}

static void put_value(struct out *o, const cJSON *v, bool pretty, int depth)
{
    switch (v->type & 0xff) {
    case cJSON_False:
        put_s(o, "false");
        break;
    case cJSON_True:
        put_s(o, "true");
        break;
    case cJSON_Number:
        put_number(o, v->valuedouble);
        break;
    case cJSON_String:
        put_string(o, v->valuestring ? v->valuestring : "");
        break;
    case cJSON_Raw:
        put_s(o, v->valuestring ? v->valuestring : "null");
        break;
    case cJSON_Array:
        put_container(o, v, pretty, depth, false);
        break;
    case cJSON_Object:
        put_container(o, v, pretty, depth, true);
        break;
    default: /* cJSON_NULL, cJSON_Invalid */
        put_s(o, "null");
        break;
    }
}

/* A whole document: `null` for none, and a final newline when pretty. */
static void put_document(struct out *o, const cJSON *doc, bool pretty)
{
    if (doc)
        put_value(o, doc, pretty, 0);
    else
        put_s(o, "null");
    if (pretty)
        put_c(o, '\n');
}

char *json_print(const struct cJSON *doc, bool pretty)
{
    struct out o = {0};
    put_document(&o, doc, pretty);
    if (o.failed) {
        free(o.s);
        return NULL;
    }
    return o.s;
}

size_t json_chars(const struct cJSON *doc, bool pretty)
{
    struct out o = {.counting = true};
    put_document(&o, doc, pretty);
    return o.chars;
}

/* ---- building ----------------------------------------------------- */

static _Noreturn void doc_fail(struct json_doc *d)
{
    cJSON_Delete(d->root);
    d->root = NULL;
    arena_fail(d->arena);
}

struct cJSON *json_doc_init(struct json_doc *d, struct arena *a)
{
    d->arena = a;
    d->root = NULL;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        arena_fail(a);
    d->root = root;
    return root;
}

/* Adds `item` under `key` of object `parent`, or at the end of array
 * `parent` when key is NULL. */
static cJSON *attach(struct json_doc *d, cJSON *parent, const char *key, cJSON *item)
{
    if (!item)
        doc_fail(d);
    bool ok = key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item);
    if (!ok) {
        cJSON_Delete(item);
        doc_fail(d);
    }
    return item;
}

struct cJSON *json_add_object(struct json_doc *d, struct cJSON *parent, const char *key)
{
    return attach(d, parent, key, cJSON_CreateObject());
}

struct cJSON *json_add_array(struct json_doc *d, struct cJSON *parent, const char *key)
{
    return attach(d, parent, key, cJSON_CreateArray());
}

struct cJSON *json_add_string(struct json_doc *d, struct cJSON *parent, const char *key, const char *s)
{
    return attach(d, parent, key, cJSON_CreateString(s));
}

struct cJSON *json_add_bool(struct json_doc *d, struct cJSON *parent, const char *key, bool v)
{
    return attach(d, parent, key, cJSON_CreateBool(v));
}

void json_add_int(struct json_doc *d, struct cJSON *parent, const char *key, int64_t v)
{
    attach(d, parent, key, cJSON_CreateNumber((double)v));
}

struct cJSON *json_add_strings(struct json_doc *d, struct cJSON *parent, const char *key,
                               const struct vec *strings)
{
    cJSON *list = json_add_array(d, parent, key);
    for (size_t i = 0; i < strings->len; i++)
        json_add_string(d, list, NULL, VEC_GET(const char, *strings, i));
    return list;
}

struct cJSON *json_add_array_first(struct json_doc *d, struct cJSON *parent, const char *key)
{
    cJSON *item = json_add_array(d, parent, key);
    if (parent->child == item)
        return item;
    cJSON_DetachItemViaPointer(parent, item);
    if (!cJSON_InsertItemInArray(parent, 0, item)) {
        cJSON_Delete(item);
        doc_fail(d);
    }
    return item;
}

const char *json_string_at(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}
