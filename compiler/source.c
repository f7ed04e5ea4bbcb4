/*
 * source.c - source files and locations: registering files with the
 * compilation, reading them from disk or a stream within the size limit,
 * and mapping byte offsets to lines and columns.
 *
 * Lines end at "\n", "\r\n" or a lone "\r". Columns are 1-based byte
 * offsets within the line (a tab is one column), as clang counts them.
 */
#ifdef __linux__
#define _DEFAULT_SOURCE 1 /* fstatfs */
#endif
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif

struct src_file *src_add(struct obc *cc, const char *path, const char *dir,
                         const char *key, const char *text, size_t len)
{
    struct src_file *f = arena_alloc(&cc->arena, sizeof *f);
    f->id = (uint32_t)cc->files.len + 1;
    f->path = arena_strdup(&cc->arena, path);
    f->dir = arena_strdup(&cc->arena, dir ? dir : "");
    f->key = arena_strdup(&cc->arena, key ? key : path);
    f->text = text;
    f->len = len;
    vec_push(&cc->arena, &cc->files, f);
    f->arena = &cc->arena; /* the line map is made there when first needed */
    return f;
}

void src_line_map(struct src_file *f)
{
    if (f->line_starts)
        return;
    const char *text = f->text;
    size_t len = f->len, n = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
            n++;
    uint32_t *starts = arena_alloc(f->arena, n * sizeof *starts);
    size_t k = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n')))
            starts[k++] = (uint32_t)(i + 1);
    f->line_starts = starts;
    f->nlines = n;
}

struct src_file *src_get(const struct obc *cc, uint32_t id)
{
    if (id == 0 || id > cc->files.len)
        return NULL;
    return VEC_GET(struct src_file, cc->files, id - 1);
}

struct src_pos src_pos(struct src_file *f, uint32_t offset)
{
    src_line_map(f);
    size_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) { /* last line start <= offset */
        size_t mid = lo + (hi - lo) / 2;
        if (f->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    struct src_pos p = {(uint32_t)lo + 1, offset - f->line_starts[lo] + 1};
    return p;
}

const char *src_line(struct src_file *f, uint32_t line, size_t *len)
{
    src_line_map(f);
    if (line == 0 || line > f->nlines) {
        *len = 0;
        return "";
    }
    size_t start = f->line_starts[line - 1];
    size_t end = start;
    while (end < f->len && f->text[end] != '\n' && f->text[end] != '\r')
        end++;
    *len = end - start;
    return f->text + start;
}

/* UTF-16 units of the UTF-8 sequence at s (n bytes left), and its length. */
static uint32_t utf16_units(const char *s, size_t n, size_t *bytes)
{
    uint32_t cp;
    size_t k = utf8_decode((const unsigned char *)s, n, &cp);
    if (k == 0) {
        *bytes = 1;
        return 1;
    }
    *bytes = k;
    return cp > 0xFFFF ? 2 : 1;
}

uint32_t src_utf16_col(struct src_file *f, uint32_t offset)
{
    if (offset > f->len)
        offset = (uint32_t)f->len;
    struct src_pos p = src_pos(f, offset);
    uint32_t col = 0;
    for (size_t i = f->line_starts[p.line - 1]; i < offset;) {
        size_t k;
        col += utf16_units(f->text + i, f->len - i, &k);
        i += k;
    }
    return col;
}

uint32_t src_offset_utf16(struct src_file *f, uint32_t line, uint32_t col16)
{
    src_line_map(f);
    if (line >= f->nlines)
        return (uint32_t)f->len;
    size_t len;
    const char *s = src_line(f, line + 1, &len);
    size_t i = 0;
    for (uint32_t col = 0; i < len;) {
        size_t k;
        uint32_t units = utf16_units(s + i, len - i, &k);
        if (col + units > col16)
            break;
        col += units;
        i += k;
    }
    return (uint32_t)(s - f->text + i);
}

struct loc loc_span(struct loc a, struct loc b)
{
    if (a.file == 0)
        return b;
    if (b.file != a.file)
        return a;
    struct loc l = {a.file, a.start < b.start ? a.start : b.start, a.end > b.end ? a.end : b.end};
    return l;
}

int src_read_stream(struct arena *a, FILE *fp, char **text, size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = arena_alloc(a, cap + 1);
    for (;;) {
        if (n == cap) { /* n is at most LIMIT_FILE_BYTES here: see below */
            buf = arena_grow(a, buf, cap + 1, cap * 2 + 1);
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) {
            if (ferror(fp))
                return errno ? errno : EIO;
            break;
        }
        if (n > LIMIT_FILE_BYTES)
            return EFBIG;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

#ifdef __linux__
/* Pseudo-filesystems whose "regular files" are views of the kernel or of
 * processes (/proc/self/environ is one): never program text. */
static bool is_pseudo_fs(int fd)
{
    static const unsigned long magic[] = {
        0x9fa0,     /* proc */
        0x62656572, /* sysfs */
        0x64626720, /* debugfs */
        0x74726163, /* tracefs */
        0x73636673, /* securityfs */
        0x27e0eb,   /* cgroup */
        0x63677270, /* cgroup2 */
        0x1cd1,     /* devpts */
        0xcafe4a11, /* bpf */
        0x62656570, /* configfs */
        0xde5e81e4, /* efivarfs */
        0x6165676c, /* pstore */
        0x42494e4d, /* binfmt_misc */
        0x65735543, /* fusectl */
    };
    struct statfs sf;
    if (fstatfs(fd, &sf) != 0)
        return false;
    for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
        if ((unsigned long)sf.f_type == magic[i])
            return true;
    return false;
}
#else
static bool is_pseudo_fs(int fd)
{
    (void)fd;
    return false;
}
#endif

int src_open(const char *path, unsigned flags, int *fd_out, struct src_stat *info)
{
    /* O_NONBLOCK: opening a FIFO (even one swapped in after a check)
     * must not wait for a writer; O_NOCTTY: a terminal never becomes ours. */
    int oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    if (flags & SRC_NOFOLLOW)
        oflags |= O_NOFOLLOW;
    int fd = open(path, oflags);
    if (fd < 0)
        return errno == ELOOP && (flags & SRC_NOFOLLOW) ? ENODEV : errno;
    struct stat st;
    int err = 0;
    if (fstat(fd, &st) != 0)
        err = errno;
    else if (S_ISDIR(st.st_mode))
        err = EISDIR;
    else if ((flags & SRC_REGULAR) && (!S_ISREG(st.st_mode) || is_pseudo_fs(fd)))
        err = ENODEV; /* a device, pipe, socket or kernel file */
    else if (S_ISREG(st.st_mode) && st.st_size > (off_t)LIMIT_FILE_BYTES)
        err = EFBIG;
    if (err) {
        close(fd);
        return err;
    }
    info->dev = (uint64_t)st.st_dev;
    info->ino = (uint64_t)st.st_ino;
    info->size = S_ISREG(st.st_mode) && st.st_size > 0 ? (uint64_t)st.st_size : 0;
    *fd_out = fd;
    return 0;
}

int src_read_fd(struct arena *a, int fd, size_t size_hint, size_t max, char **text, size_t *len)
{
    /* The descriptor was opened non-blocking; a regular file reads the
     * same either way, anything else (allowed only for input files named
     * on the command line) blocks as the user asked. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK))
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    if (size_hint > max)
        return EFBIG;
    /* Exactly the size fstat gave, plus one byte to see growth; grows by
     * doubling only for files without a size (a device) or that grew. */
    size_t cap = size_hint ? size_hint + 1 : 64 * 1024;
    if (cap > max + 1)
        cap = max + 1;
    size_t n = 0;
    char *buf = arena_alloc(a, cap + 1);
    for (;;) {
        if (n == cap) {
            if (n > max)
                return EFBIG;
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            buf = arena_grow(a, buf, cap + 1, ncap + 1);
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > max)
            return EFBIG;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

int src_read_file(struct arena *a, const char *path, bool regular_only, char **text, size_t *len)
{
    int fd;
    struct src_stat info;
    int err = src_open(path, regular_only ? SRC_REGULAR : 0, &fd, &info);
    if (err)
        return err;
    err = src_read_fd(a, fd, (size_t)info.size, LIMIT_FILE_BYTES, text, len);
    close(fd);
    return err;
}

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len;
    uint32_t min;
    if (c < 0x80) {
        if (cp)
            *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    uint32_t v = c & (0x3Fu >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    if (cp)
        *cp = v;
    return len;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t utf8_chars(const char *s)
{
    size_t count = 0;
    for (; *s; s++)
        count += ((unsigned char)*s & 0xC0) != 0x80;
    return count;
}

/* ---- Trojan Source ------------------------------------------------ */

const char *unicode_invisible_name(uint32_t cp)
{
    static const struct { uint32_t cp; const char *name; } names[] = {
        {0x00AD, "SOFT HYPHEN"},
        {0x061C, "ARABIC LETTER MARK"},
        {0x200B, "ZERO WIDTH SPACE"},
        {0x200C, "ZERO WIDTH NON-JOINER"},
        {0x200D, "ZERO WIDTH JOINER"},
        {0x200E, "LEFT-TO-RIGHT MARK"},
        {0x200F, "RIGHT-TO-LEFT MARK"},
        {0x202A, "LEFT-TO-RIGHT EMBEDDING"},
        {0x202B, "RIGHT-TO-LEFT EMBEDDING"},
        {0x202C, "POP DIRECTIONAL FORMATTING"},
        {0x202D, "LEFT-TO-RIGHT OVERRIDE"},
        {0x202E, "RIGHT-TO-LEFT OVERRIDE"},
        {0x2060, "WORD JOINER"},
        {0x2066, "LEFT-TO-RIGHT ISOLATE"},
        {0x2067, "RIGHT-TO-LEFT ISOLATE"},
        {0x2068, "FIRST STRONG ISOLATE"},
        {0x2069, "POP DIRECTIONAL ISOLATE"},
        {0xFEFF, "ZERO WIDTH NO-BREAK SPACE"},
    };
    if (cp != 0x00AD && cp != 0x061C && cp != 0xFEFF && (cp < 0x200B || cp > 0x2069))
        return NULL; /* the common case: one comparison chain, no search */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].cp == cp)
            return names[i].name;
    return NULL;
}

char unicode_confusable(uint32_t cp, const char **name)
{
    static const struct { uint32_t cp; char ascii; const char *name; } table[] = {
        {0x0405, 'S', "CYRILLIC CAPITAL LETTER DZE"},
        {0x0406, 'I', "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I"},
        {0x0408, 'J', "CYRILLIC CAPITAL LETTER JE"},
        {0x0410, 'A', "CYRILLIC CAPITAL LETTER A"},
        {0x0412, 'B', "CYRILLIC CAPITAL LETTER VE"},
        {0x0415, 'E', "CYRILLIC CAPITAL LETTER IE"},
        {0x041A, 'K', "CYRILLIC CAPITAL LETTER KA"},
        {0x041C, 'M', "CYRILLIC CAPITAL LETTER EM"},
        {0x041D, 'H', "CYRILLIC CAPITAL LETTER EN"},
        {0x041E, 'O', "CYRILLIC CAPITAL LETTER O"},
        {0x0420, 'P', "CYRILLIC CAPITAL LETTER ER"},
        {0x0421, 'C', "CYRILLIC CAPITAL LETTER ES"},
        {0x0422, 'T', "CYRILLIC CAPITAL LETTER TE"},
        {0x0425, 'X', "CYRILLIC CAPITAL LETTER HA"},
        {0x0430, 'a', "CYRILLIC SMALL LETTER A"},
        {0x0435, 'e', "CYRILLIC SMALL LETTER IE"},
        {0x043E, 'o', "CYRILLIC SMALL LETTER O"},
        {0x0440, 'p', "CYRILLIC SMALL LETTER ER"},
        {0x0441, 'c', "CYRILLIC SMALL LETTER ES"},
        {0x0443, 'y', "CYRILLIC SMALL LETTER U"},
        {0x0445, 'x', "CYRILLIC SMALL LETTER HA"},
        {0x0455, 's', "CYRILLIC SMALL LETTER DZE"},
        {0x0456, 'i', "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I"},
        {0x0458, 'j', "CYRILLIC SMALL LETTER JE"},
        {0x04BB, 'h', "CYRILLIC SMALL LETTER SHHA"},
        {0x0391, 'A', "GREEK CAPITAL LETTER ALPHA"},
        {0x0392, 'B', "GREEK CAPITAL LETTER BETA"},
        {0x0395, 'E', "GREEK CAPITAL LETTER EPSILON"},
        {0x0396, 'Z', "GREEK CAPITAL LETTER ZETA"},
        {0x0397, 'H', "GREEK CAPITAL LETTER ETA"},
        {0x0399, 'I', "GREEK CAPITAL LETTER IOTA"},
        {0x039A, 'K', "GREEK CAPITAL LETTER KAPPA"},
        {0x039C, 'M', "GREEK CAPITAL LETTER MU"},
        {0x039D, 'N', "GREEK CAPITAL LETTER NU"},
        {0x039F, 'O', "GREEK CAPITAL LETTER OMICRON"},
        {0x03A1, 'P', "GREEK CAPITAL LETTER RHO"},
        {0x03A4, 'T', "GREEK CAPITAL LETTER TAU"},
        {0x03A5, 'Y', "GREEK CAPITAL LETTER UPSILON"},
        {0x03A7, 'X', "GREEK CAPITAL LETTER CHI"},
        {0x03B1, 'a', "GREEK SMALL LETTER ALPHA"},
        {0x03B9, 'i', "GREEK SMALL LETTER IOTA"},
        {0x03BA, 'k', "GREEK SMALL LETTER KAPPA"},
        {0x03BD, 'v', "GREEK SMALL LETTER NU"},
        {0x03BF, 'o', "GREEK SMALL LETTER OMICRON"},
        {0x03C1, 'p', "GREEK SMALL LETTER RHO"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].cp == cp) {
            if (name)
                *name = table[i].name;
            return table[i].ascii;
        }
    return 0;
}

enum script { SC_OTHER, SC_LATIN, SC_CYRILLIC, SC_GREEK };

static enum script script_of(uint32_t cp)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
        return SC_LATIN;
    if ((cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7) || (cp >= 0x1E00 && cp <= 0x1EFF))
        return SC_LATIN;
    if ((cp >= 0x0400 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x052F))
        return SC_CYRILLIC;
    if ((cp >= 0x0386 && cp <= 0x03FF && cp != 0x0387) || (cp >= 0x1F00 && cp <= 0x1FFF))
        return SC_GREEK;
    return SC_OTHER;
}

bool unicode_mixed_script(const char *s, size_t n, struct mixed_script *out)
{
    static const char *const script_names[] = {"", "Latin", "Cyrillic", "Greek"};
    const unsigned char *u = (const unsigned char *)s;
    size_t count[4] = {0}, first[4] = {0}, len[4] = {0};
    uint32_t first_cp[4] = {0};
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(u + i, n - i, &cp);
        if (l == 0) {
            i++;
            continue;
        }
        enum script sc = script_of(cp);
        if (count[sc]++ == 0) {
            first[sc] = i;
            len[sc] = l;
            first_cp[sc] = cp;
        }
        i += l;
    }
    if (!count[SC_LATIN] || (!count[SC_CYRILLIC] && !count[SC_GREEK]))
        return false;
    /* the non-Latin script: the one seen first when both are there */
    enum script other = !count[SC_GREEK] || (count[SC_CYRILLIC] && first[SC_CYRILLIC] < first[SC_GREEK])
                            ? SC_CYRILLIC : SC_GREEK;
    size_t others = count[SC_CYRILLIC] + count[SC_GREEK];
    enum script minority = count[SC_LATIN] < others ? SC_LATIN : other;
    out->at = first[minority];
    out->len = len[minority];
    out->cp = first_cp[minority];
    out->script = script_names[minority];
    out->among = script_names[minority == SC_LATIN ? other : SC_LATIN];
    out->name = NULL;
    out->looks_like = 0;
    if (minority != SC_LATIN)
        out->looks_like = unicode_confusable(out->cp, &out->name);
    return true;
}
