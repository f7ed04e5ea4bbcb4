/*
 * json_in.c - a strict RFC 8259 JSON reader with locations: one whole
 * source file becomes a tree of struct json_value in the compilation's
 * arena, where every value and every object key keeps its byte range.
 *
 * Owns: JSON syntax and its errors (OB1001 bytes, OB1002 unterminated
 * string, OB1003 escapes, OB1004 numbers, OB1010 syntax, OB1030 nesting),
 * each with a precise range and a help line. Errors inside a string are
 * reported and reading goes on to the string's end; any other error ends
 * the file (one report, no cascade). Does not interpret the document:
 * duplicate keys are kept, in source order, for the caller to report.
 *
 * Linear: every byte is looked at a bounded number of times, strings are
 * decoded in one pass into a buffer sized by their source text, and
 * recursion is bounded by LIMIT_NESTING. Must not: exit, or allocate
 * outside the arena.
 */
#include "front.h"

#include <string.h>

struct json_reader {
    struct obc *cc;
    struct src_file *f;
    const unsigned char *s;
    uint32_t n;       /* bytes in s */
    uint32_t pos;     /* the next byte to read */
    int depth;        /* open [ and { */
    bool failed;      /* an error was reported */
};

static struct loc range(const struct json_reader *r, uint32_t start, uint32_t end)
{
    return (struct loc){r->f->id, start, end};
}

static bool is_ws(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct json_reader *r)
{
    while (r->pos < r->n && is_ws(r->s[r->pos]))
        r->pos++;
}

static bool is_word(unsigned c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool is_number_char(unsigned c)
{
    return is_word(c) || c == '.' || c == '+' || c == '-';
}

static struct diag *emit(struct json_reader *r, enum diag_code code, struct loc l, const char *help,
                         const char *fmt, ...) OBC_PRINTF(5, 6);
static struct diag *emit(struct json_reader *r, enum diag_code code, struct loc l, const char *help,
                         const char *fmt, ...)
{
    r->failed = true;
    const char *msg = ""; /* past the display limit the message is never shown */
    if (!diag_next_hidden(r->cc)) {
        va_list ap;
        va_start(ap, fmt);
        msg = arena_vprintf(&r->cc->arena, fmt, ap);
        va_end(ap);
    }
    struct diag *d = diag_emit(r->cc, code, l, "%s", msg);
    if (help)
        diag_help(r->cc, d, "%s", help);
    return d;
}

/* Case-insensitive comparison of ASCII words. */
static bool same_folded(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((a[i] | 0x20) != (b[i] | 0x20))
            return false;
    return true;
}

/* A byte that may not stand between tokens (not ASCII, or a control
 * character other than whitespace): reported as OB1001 (or OB1010 for a
 * valid non-ASCII character). Returns false when the byte is ordinary. */
static bool bad_byte(struct json_reader *r, const char *expected)
{
    uint32_t i = r->pos;
    unsigned c = r->s[i];
    if (c >= 0x20 && c < 0x7F)
        return false;
    struct diag *d;
    uint32_t cp = 0;
    size_t len = c >= 0x80 ? utf8_decode(r->s + i, r->n - i, &cp) : 1;
    r->failed = true;
    if (c == 0) {
        d = diag_emit(r->cc, OB1001, range(r, i, i + 1), "NUL byte in the source");
        diag_help(r->cc, d, "JSON files must be UTF-8 text; remove the byte");
    } else if (c < 0x80) {
        d = diag_emit(r->cc, OB1001, range(r, i, i + 1), "control character 0x%02X in the source", c);
        diag_help(r->cc, d, "remove it; only space, tab, newline and carriage return may stand between JSON tokens");
    } else if (len == 0) {
        uint32_t j = i + 1; /* one report for the run of bad bytes */
        while (j < r->n && r->s[j] >= 0x80 && utf8_decode(r->s + j, r->n - j, NULL) == 0)
            j++;
        d = diag_emit(r->cc, OB1001, range(r, i, j), "invalid UTF-8 byte 0x%02X", c);
        diag_help(r->cc, d, "JSON files must be UTF-8 text; remove the byte or re-save the file as UTF-8");
    } else if (cp == 0xFEFF) {
        d = diag_emit(r->cc, OB1001, range(r, i, i + 3), "byte-order mark in the middle of the file");
        diag_help(r->cc, d, "delete it; only the first bytes of a file may hold a byte-order mark");
    } else {
        d = diag_emit(r->cc, OB1010, range(r, i, i + (uint32_t)len), "unexpected character U+%04X, expected %s",
                      (unsigned)cp, expected);
        if (cp == 0x201C || cp == 0x201D)
            diag_help(r->cc, d, "strings use the plain ASCII double quote '\"'");
        else if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x3000)
            diag_help(r->cc, d, "replace this Unicode space with a plain space");
        else
            diag_help(r->cc, d, "remove it, or put the text in a string");
    }
    return true;
}

/* "unexpected X, expected Y" at r->pos, X spelled as written. Returns the
 * diagnostic for help and notes, or NULL when the byte there was reported
 * as an invalid one instead. */
static struct diag *unexpected(struct json_reader *r, const char *expected)
{
    uint32_t i = r->pos;
    if (i >= r->n) {
        r->failed = true;
        struct diag *d = diag_emit(r->cc, OB1010, range(r, i, i), "unexpected end of file, expected %s", expected);
        diag_help(r->cc, d, "the file ends too early: complete the value and close every open '[' and '{'");
        return d;
    }
    if (bad_byte(r, expected))
        return NULL;
    unsigned c = r->s[i];
    uint32_t j = i + 1;
    const char *text = (const char *)r->s + i, *tok;
    if (c == '"') {
        while (j < r->n && r->s[j] != '"' && r->s[j] != '\n' && r->s[j] != '\r')
            j += r->s[j] == '\\' && j + 1 < r->n ? 2 : 1;
        j = j < r->n && r->s[j] == '"' ? j + 1 : j;
        tok = j - i <= 42 ? arena_printf(&r->cc->arena, "string %.*s", (int)(j - i), text) : "string";
    } else {
        if (is_word(c) || c == '-')
            while (j < r->n && (c == '-' || (c >= '0' && c <= '9') ? is_number_char(r->s[j]) : is_word(r->s[j])))
                j++;
        tok = j - i > 40 ? arena_printf(&r->cc->arena, "'%.37s...'", text)
                         : arena_printf(&r->cc->arena, "'%.*s'", (int)(j - i), text);
    }
    r->failed = true;
    struct diag *d = diag_emit(r->cc, OB1010, range(r, i, j), "unexpected %s, expected %s", tok, expected);
    if (c == '/')
        diag_help(r->cc, d, "JSON has no comments: remove it");
    else if (c != '\'')
        diag_help(r->cc, d, "write %s here", expected); /* callers that know better say more */
    else if (c == '\'')
        diag_help(r->cc, d, "JSON strings use double quotes: \"text\"");
    return d;
}

static struct json_value *node(struct json_reader *r, enum json_kind k, uint32_t start, uint32_t end)
{
    struct json_value *v = arena_alloc(&r->cc->arena, sizeof *v);
    v->kind = k;
    v->loc = range(r, start, end);
    return v;
}

static int hex(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10) : -1;
}

/* The four hex digits at s[i..i+4) within [.., end), or -1. */
static long hex4(const unsigned char *s, uint32_t i, uint32_t end)
{
    if (end - i < 4)
        return -1;
    long v = 0;
    for (uint32_t k = i; k < i + 4; k++) {
        int h = hex(s[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* One escape at s[i] == '\\' inside a string ending at `end`: appends its
 * text to out and returns the escape's length, reporting a bad one. */
static uint32_t escape(struct json_reader *r, uint32_t i, uint32_t end, char *out, size_t *len)
{
    const unsigned char *s = r->s;
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *e = i + 1 < end && s[i + 1] ? strchr(from, s[i + 1]) : NULL;
    if (e) {
        out[(*len)++] = to[e - from];
        return 2;
    }
    if (i + 1 >= end || s[i + 1] != 'u') {
        uint32_t el = i + 1 < end ? 2 : 1;
        unsigned c = i + 1 < end ? s[i + 1] : 0;
        const char *help = "the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write \\\\ for a backslash";
        if (c > 0x20 && c < 0x7F)
            emit(r, OB1003, range(r, i, i + el), help, "invalid escape '\\%c' in a string", (char)c);
        else
            emit(r, OB1003, range(r, i, i + el), help, "invalid escape in a string");
        return el;
    }
    long cp = hex4(s, i + 2, end);
    if (cp < 0) {
        uint32_t k = i + 2;
        while (k < end && k < i + 6 && hex(s[k]) >= 0)
            k++;
        emit(r, OB1003, range(r, i, k), "write \\u and exactly four hex digits, like \\u00e9",
             "malformed unicode escape '%.*s'", (int)(k - i), (const char *)s + i);
        return k - i;
    }
    uint32_t el = 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        emit(r, OB1003, range(r, i, i + 6), "a low surrogate \\uDC00-\\uDFFF must follow a high one "
             "\\uD800-\\uDBFF, as in \\uD83D\\uDE00; or write the character itself",
             "lone surrogate '%.6s' in a string", (const char *)s + i);
        return 6;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        long lo = i + 7 < end && s[i + 6] == '\\' && s[i + 7] == 'u' ? hex4(s, i + 8, end) : -1;
        if (lo < 0xDC00 || lo > 0xDFFF) {
            emit(r, OB1003, range(r, i, i + 6), "a high surrogate \\uD800-\\uDBFF must be followed by a low one "
                 "\\uDC00-\\uDFFF, as in \\uD83D\\uDE00; or write the character itself",
                 "lone surrogate '%.6s' in a string", (const char *)s + i);
            return 6;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        el = 12;
    }
    *len += utf8_encode((uint32_t)cp, out + *len);
    return el;
}

/* A string at r->pos (a '"'). Errors inside it are reported and reading
 * goes on to its end; NULL only when it is unterminated. */
static struct json_value *string(struct json_reader *r)
{
    const unsigned char *s = r->s;
    uint32_t open = r->pos, end = open + 1;
    bool raw = true;
    while (end < r->n && s[end] != '"' && s[end] != '\n' && s[end] != '\r') {
        raw = raw && s[end] != '\\';
        end += s[end] == '\\' && end + 1 < r->n && s[end + 1] != '\n' && s[end + 1] != '\r' ? 2 : 1;
    }
    if (end >= r->n || s[end] != '"') {
        emit(r, OB1002, range(r, open, end),
             end >= r->n ? "close the string with '\"'"
                         : "close the string with '\"' before the line ends; write a line break inside a string as \\n",
             "unterminated string");
        return NULL;
    }
    /* decoded text is never longer than the source: \uXXXX is 6 bytes for
     * at most 3, a surrogate pair 12 for 4 */
    char *out = arena_alloc(&r->cc->arena, end - open);
    size_t len = 0;
    for (uint32_t i = open + 1; i < end;) {
        unsigned c = s[i];
        if (c == '\\') {
            i += escape(r, i, end, out, &len);
            continue;
        }
        if (c >= 0x20 && c < 0x80) {
            out[len++] = (char)c;
            i++;
            continue;
        }
        size_t l = c >= 0x80 ? utf8_decode(s + i, end - i, NULL) : 0;
        if (l) {
            memcpy(out + len, s + i, l);
            len += l;
            i += (uint32_t)l;
            continue;
        }
        if (c < 0x20) {
            struct diag *d = c ? emit(r, OB1001, range(r, i, i + 1), NULL, "control character 0x%02X in a string", c)
                               : emit(r, OB1001, range(r, i, i + 1), NULL, "NUL byte in a string");
            if (c == '\t')
                diag_help(r->cc, d, "write it as the escape \\t");
            else
                diag_help(r->cc, d, "write it as the escape \\u%04X", c);
            i++;
            continue;
        }
        uint32_t j = i + 1;
        while (j < end && s[j] >= 0x80 && utf8_decode(s + j, end - j, NULL) == 0)
            j++;
        emit(r, OB1001, range(r, i, j), "JSON files must be UTF-8 text; remove the byte or re-save the file as UTF-8",
             "invalid UTF-8 byte 0x%02X", c);
        i = j;
    }
    out[len] = '\0';
    struct json_value *v = node(r, JSON_STRING, open, end + 1);
    v->text = out;
    v->len = len;
    v->raw = raw;
    r->pos = end + 1;
    return v;
}

/* A number at r->pos: the longest run of characters a number could be
 * made of, checked against the RFC's grammar as a whole. */
static struct json_value *number(struct json_reader *r)
{
    const unsigned char *s = r->s;
    uint32_t start = r->pos, end = start;
    while (end < r->n && is_number_char(s[end]))
        end++;
    uint32_t i = start;
    const char *help = NULL;
    bool integer = true;
    if (s[i] == '-')
        i++;
    if (s[start] == '+')
        help = "remove the '+': JSON numbers have no plus sign";
    else if (i < end && s[i] == '.')
        help = "write a digit before the decimal point: 0.5";
    else if (i < end && s[i] == '0' && i + 1 < end && (s[i + 1] | 0x20) == 'x')
        help = "JSON numbers are decimal, without a 0x prefix";
    else if (i < end && s[i] == '0' && i + 1 < end && s[i + 1] >= '0' && s[i + 1] <= '9')
        help = "write it without leading zeros";
    else if (i >= end || s[i] < '0' || s[i] > '9')
        help = i < end && is_word(s[i]) ? "JSON has no NaN or Infinity; write a number, or null"
                                         : "write digits after the minus sign";
    else {
        while (i < end && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i < end && s[i] == '.') {
            integer = false;
            uint32_t d = ++i;
            while (i < end && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == d)
                help = "put a digit after the decimal point: 1.0";
        }
        if (!help && i < end && (s[i] | 0x20) == 'e') {
            integer = false;
            i++;
            if (i < end && (s[i] == '+' || s[i] == '-'))
                i++;
            uint32_t d = i;
            while (i < end && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == d)
                help = "write digits after the exponent: 1e5";
        }
        if (!help && i != end)
            help = "a JSON number is written -?digits[.digits][e[+-]digits], like -12.5e3";
    }
    if (help) {
        if (end - start > 40)
            emit(r, OB1004, range(r, start, end), help, "malformed number '%.37s...'", (const char *)s + start);
        else
            emit(r, OB1004, range(r, start, end), help, "malformed number '%.*s'", (int)(end - start),
                 (const char *)s + start);
        return NULL;
    }
    struct json_value *v = node(r, JSON_NUMBER, start, end);
    v->text = arena_strndup(&r->cc->arena, (const char *)s + start, end - start);
    v->len = end - start;
    v->is_integer = integer;
    r->pos = end;
    return v;
}

/* true, false or null; any other word is an error. */
static struct json_value *literal(struct json_reader *r, const char *expected)
{
    static const struct { const char *word; enum json_kind kind; } lits[] = {
        {"true", JSON_TRUE}, {"false", JSON_FALSE}, {"null", JSON_NULL}};
    uint32_t start = r->pos, end = start;
    while (end < r->n && is_word(r->s[end]))
        end++;
    const char *w = (const char *)r->s + start;
    size_t n = end - start;
    bool folds = false;
    for (size_t k = 0; k < 3; k++) {
        if (n == strlen(lits[k].word) && memcmp(w, lits[k].word, n) == 0) {
            r->pos = end;
            return node(r, lits[k].kind, start, end);
        }
        folds = folds || (n == strlen(lits[k].word) && same_folded(w, lits[k].word, n));
    }
    struct diag *d = unexpected(r, expected);
    if (folds)
        diag_help(r->cc, d, "JSON's literals are lower case: true, false and null");
    else if ((n == 4 && memcmp(w, "None", 4) == 0) || (n == 3 && memcmp(w, "nil", 3) == 0))
        diag_help(r->cc, d, "write null");
    else if ((n == 3 && memcmp(w, "NaN", 3) == 0) || (n == 8 && memcmp(w, "Infinity", 8) == 0))
        diag_help(r->cc, d, "JSON has no NaN or Infinity; write a number, or null");
    else
        diag_help(r->cc, d, "strings are written in double quotes: \"%.*s\"", n > 40 ? 40 : (int)n, w);
    return NULL;
}

static struct json_value *value(struct json_reader *r);

/* The error at the end of an unclosed [ or {: where it was opened. */
static void unclosed(struct json_reader *r, struct diag *d, uint32_t open, const char *what, char close)
{
    if (!d)
        return;
    if (r->pos >= r->n) {
        diag_help(r->cc, d, "close the %s with '%c'", what, close);
        diag_note(r->cc, d, range(r, open, open + 1), "the %s opened here is never closed", what);
    } else if (r->s[r->pos] == '"' || r->s[r->pos] == '{' || r->s[r->pos] == '[' ||
               (r->s[r->pos] >= '0' && r->s[r->pos] <= '9'))
        diag_help(r->cc, d, "put a ',' between two %s", close == '}' ? "members" : "elements");
    else if (r->s[r->pos] == (close == '}' ? ']' : '}')) {
        diag_help(r->cc, d, "close the %s with '%c'", what, close);
        diag_note(r->cc, d, range(r, open, open + 1), "the %s opened here", what);
    }
}

static bool open_bracket(struct json_reader *r)
{
    if (++r->depth <= LIMIT_NESTING)
        return true;
    struct diag *d = diag_emit(r->cc, OB1030, range(r, r->pos, r->pos + 1), "brackets nested more than %d deep",
                               LIMIT_NESTING);
    diag_help(r->cc, d, "flatten the structure; obc stops reading this file here");
    r->failed = true;
    return false;
}

/* One element of an array, after '[' or ','. */
static bool array_item(struct json_reader *r, struct json_value *v)
{
    skip_ws(r);
    if (r->pos < r->n && r->s[r->pos] == ']' && v->items.len > 0) {
        struct diag *d = unexpected(r, "a value");
        diag_help(r->cc, d, "remove the ',' before ']': JSON allows no trailing comma");
        return false;
    }
    struct json_value *item = value(r);
    if (item)
        vec_push(&r->cc->arena, &v->items, item);
    return item != NULL;
}

/* One "key": value member of the object opened at `open`, after '{' or ','. */
static bool object_member(struct json_reader *r, struct json_value *v, uint32_t open)
{
    skip_ws(r);
    if (r->pos >= r->n || r->s[r->pos] != '"') {
        bool after_comma = v->members.len > 0;
        struct diag *d = unexpected(r, after_comma ? "a string key" : "a string key or '}'");
        if (d && r->pos < r->n && r->s[r->pos] == '}')
            diag_help(r->cc, d, "remove the ',' before '}': JSON allows no trailing comma");
        else if (d && r->pos < r->n && (is_word(r->s[r->pos]) || r->s[r->pos] == '-'))
            diag_help(r->cc, d, "object keys are strings in double quotes: \"%.*s\"",
                      (int)(d->loc.end - d->loc.start > 40 ? 40 : d->loc.end - d->loc.start),
                      (const char *)r->s + r->pos);
        else
            unclosed(r, d, open, "object", '}');
        return false;
    }
    struct json_value *key = string(r);
    if (!key)
        return false;
    skip_ws(r);
    if (r->pos >= r->n || r->s[r->pos] != ':') {
        struct diag *d = unexpected(r, "':'");
        if (d && r->pos < r->n && r->s[r->pos] == '=')
            diag_help(r->cc, d, "write ':' between a key and its value");
        else if (r->pos >= r->n)
            unclosed(r, d, open, "object", '}');
        return false;
    }
    r->pos++;
    struct json_value *val = value(r);
    if (!val)
        return false;
    struct json_member *m = arena_alloc(&r->cc->arena, sizeof *m);
    m->key = key;
    m->value = val;
    vec_push(&r->cc->arena, &v->members, m);
    return true;
}

/* An array or object at r->pos: elements until the closing bracket, each
 * followed by ',' or that bracket. */
static struct json_value *container(struct json_reader *r, enum json_kind kind)
{
    uint32_t open = r->pos;
    char close = kind == JSON_ARRAY ? ']' : '}';
    const char *what = kind == JSON_ARRAY ? "array" : "object";
    if (!open_bracket(r))
        return NULL;
    struct json_value *v = node(r, kind, open, open + 1);
    r->pos++;
    skip_ws(r);
    bool more = r->pos >= r->n || r->s[r->pos] != close;
    if (!more)
        r->pos++; /* [] or {} */
    while (more) {
        if (!(kind == JSON_ARRAY ? array_item(r, v) : object_member(r, v, open)))
            return NULL;
        skip_ws(r);
        if (r->pos >= r->n || (r->s[r->pos] != ',' && r->s[r->pos] != close)) {
            unclosed(r, unexpected(r, kind == JSON_ARRAY ? "',' or ']'" : "',' or '}'"), open, what, close);
            return NULL;
        }
        more = r->s[r->pos++] == ',';
    }
    r->depth--;
    v->loc.end = r->pos;
    return v;
}

static struct json_value *value(struct json_reader *r)
{
    skip_ws(r);
    unsigned c = r->pos < r->n ? r->s[r->pos] : 0;
    if (r->pos >= r->n) {
        unexpected(r, "a value");
        return NULL;
    }
    if (c == '{')
        return container(r, JSON_OBJECT);
    if (c == '[')
        return container(r, JSON_ARRAY);
    if (c == '"')
        return string(r);
    if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))
        return number(r);
    if (is_word(c))
        return literal(r, "a value");
    unexpected(r, "a value");
    return NULL;
}

struct json_value *json_read(struct obc *cc, struct src_file *f)
{
    struct json_reader r = {cc, f, (const unsigned char *)f->text, (uint32_t)f->len, 0, 0, false};
    if (r.n >= 3 && memcmp(r.s, "\xEF\xBB\xBF", 3) == 0)
        r.pos = 3; /* a leading byte-order mark is skipped, as in .ob files */
    skip_ws(&r);
    if (r.pos >= r.n) {
        struct diag *d = unexpected(&r, "a JSON value");
        diag_help(cc, d, "the file is empty: a JSON document holds one value, such as an object {}");
        return NULL;
    }
    struct json_value *root = value(&r);
    if (!root)
        return NULL;
    skip_ws(&r);
    if (r.pos < r.n) {
        struct diag *d = unexpected(&r, "end of file");
        if (d)
            diag_help(cc, d, "a file holds one JSON value: remove what follows it, or put the values in an array");
        return NULL;
    }
    return r.failed ? NULL : root;
}

const struct json_member *json_find(const struct json_value *obj, const char *key)
{
    if (!obj || obj->kind != JSON_OBJECT)
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < obj->members.len; i++) {
        const struct json_member *m = VEC_GET(struct json_member, obj->members, i);
        if (m->key->len == n && memcmp(m->key->text, key, n) == 0)
            return m;
    }
    return NULL;
}

const char *json_kind_name(enum json_kind k)
{
    static const char *const names[] = {"null", "false", "true", "number", "string", "array", "object"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "value";
}
