/*
 * fuzz_program.c - libFuzzer harness for whole programs on disk: the
 * input is a set of files (a fresh temporary root directory per input)
 * that goes through load_program exactly as `obc compile ENTRY` runs
 * it from inside a checkout: imports, file identity, special files,
 * then analysis, both emitters and both diagnostic renderers. It
 * complements fuzz_compile.c (one in-memory file, no file system) and
 * is run with -max_len=1048576 so that large files are reached too.
 *
 * Input format
 *   An input that does not begin with "--- " is one file, main.ob.
 *   Otherwise it is a list of sections, each opened by a header line
 *   that begins with "--- " at the start of the input or of a line:
 *     --- NAME            a regular file; its contents are every byte
 *                         after the header line up to the next header
 *                         line (the newline before it included)
 *     --- NAME/           a directory (missing parents are created for
 *                         every kind but links)
 *     --- NAME |          a FIFO (named pipe); its contents are ignored
 *     --- NAME -> TARGET  a symbolic link to TARGET (verbatim), or to
 *                         the harmless file outside.ob in a second
 *                         temporary directory when TARGET is @outside,
 *                         or to that directory when it is @outside-dir
 *   In file contents, @ROOT@ is replaced by the absolute path of the
 *   root and @OUTSIDE@ by that of the second directory, so that a seed
 *   can import an absolute path inside and outside the root.
 *   The first section names the entry file; the input is skipped when
 *   the entry is not a regular file in the end (obc reads an input named
 *   on its command line whatever it is, so a FIFO would block).
 *   At most MAX_SECTIONS sections; a NAME is relative, at most 255
 *   bytes, with no empty, "." or ".." component; a section with another
 *   name, or a file that exists already, is dropped.
 *
 * Confinement of the harness itself: files, directories and FIFOs are
 * created before any link, so they never go through one. A link is
 * made only in a directory whose real path is inside the root, and once
 * all are made, every link whose target resolves outside the root (but
 * to outside.ob or its directory) is removed, so nothing the fuzzer
 * writes reaches anything but the two temporary directories. The root
 * is removed after each input (nftw, not following links).
 *
 * Crashes, sanitizer reports, leaks, hangs (a FIFO read: -timeout) and
 * an emitted file name that is not a plain file name are bugs.
 * With OBC_FUZZ_SHOW set in the environment the diagnostics also go to
 * standard error (to look at what a seed does).
 */
#include "front.h"
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

enum { MAX_SECTIONS = 64, MAX_NAME = 255 };

enum kind { K_FILE, K_DIR, K_FIFO, K_LINK };

struct section {
    enum kind kind;
    char name[MAX_NAME + 1];
    char target[PATH_MAX];
    const uint8_t *body;
    size_t len;
};

static char base[PATH_MAX];    /* real path of this process's work directory */
static char outside[PATH_MAX]; /* real path of the second directory */
static char outside_file[PATH_MAX];
static char root[PATH_MAX];    /* real path of the current input's root */
static char start_dir[PATH_MAX]; /* the cwd, restored after each input */
static bool show;              /* OBC_FUZZ_SHOW set: diagnostics to stderr */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void rm_tree(const char *path)
{
    if (path[0])
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void cleanup(void)
{
    if (chdir("/") != 0)
        return;
    rm_tree(base);
    rm_tree(outside);
}

static void make_temp_dir(char *out, const char *tmp, const char *pattern)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s/%s", tmp, pattern);
    if (!mkdtemp(buf) || !realpath(buf, out)) {
        perror("fuzz_program: mkdtemp");
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !tmp[0])
        tmp = "/tmp";
    if (!getcwd(start_dir, sizeof start_dir)) {
        perror("fuzz_program: getcwd");
        abort();
    }
    show = getenv("OBC_FUZZ_SHOW") != NULL;
    make_temp_dir(base, tmp, "obc-fuzz-program.XXXXXX");
    make_temp_dir(outside, tmp, "obc-fuzz-outside.XXXXXX");
    snprintf(outside_file, sizeof outside_file, "%s/outside.ob", outside);
    FILE *fp = fopen(outside_file, "w");
    if (!fp) {
        perror("fuzz_program: outside.ob");
        abort();
    }
    fputs("account outside_account = \"999999999999\"\n", fp);
    fclose(fp);
    atexit(cleanup);
    return 0;
}

/* A relative name of non-empty components other than "." and "..". */
static bool name_ok(const char *n)
{
    if (!n[0] || n[0] == '/')
        return false;
    const char *p = n;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        if (!slash)
            return true;
        p = slash + 1;
    }
}

static bool header_at(const uint8_t *d, size_t size, size_t i)
{
    return size - i >= 4 && memcmp(d + i, "--- ", 4) == 0 && (i == 0 || d[i - 1] == '\n');
}

/* Splits the input; returns the number of sections (0: one main.ob). */
static size_t split(const uint8_t *d, size_t size, struct section *s)
{
    size_t n = 0, i = 0;
    if (!header_at(d, size, 0))
        return 0;
    while (i < size && n < MAX_SECTIONS) {
        /* i is at a header */
        size_t h = i + 4, e = h;
        while (e < size && d[e] != '\n')
            e++;
        size_t body = e < size ? e + 1 : e, next = body;
        while (next < size && !header_at(d, size, next))
            next++;
        i = next;
        size_t hlen = e - h;
        if (hlen == 0 || hlen >= PATH_MAX || memchr(d + h, '\0', hlen))
            continue;
        char line[PATH_MAX];
        memcpy(line, d + h, hlen);
        line[hlen] = '\0';
        struct section *sec = &s[n];
        memset(sec, 0, sizeof *sec);
        sec->kind = K_FILE;
        sec->body = d + body;
        sec->len = next - body;
        char *arrow = strstr(line, " -> ");
        if (arrow) {
            *arrow = '\0';
            const char *t = arrow + 4;
            if (strcmp(t, "@outside") == 0)
                t = outside_file;
            else if (strcmp(t, "@outside-dir") == 0)
                t = outside;
            if (!t[0] || strlen(t) >= sizeof sec->target)
                continue;
            strcpy(sec->target, t);
            sec->kind = K_LINK;
        } else if (hlen >= 2 && strcmp(line + hlen - 2, " |") == 0) {
            line[hlen - 2] = '\0';
            sec->kind = K_FIFO;
        } else if (line[hlen - 1] == '/') {
            while (hlen > 0 && line[hlen - 1] == '/')
                line[--hlen] = '\0';
            sec->kind = K_DIR;
        }
        if (strlen(line) > MAX_NAME || !name_ok(line))
            continue;
        strcpy(sec->name, line);
        n++;
    }
    return n;
}

/* mkdir -p of the directories above `name` (relative to the cwd, root). */
static bool make_parents(const char *name)
{
    char buf[MAX_NAME + 1];
    strcpy(buf, name);
    for (char *p = strchr(buf, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return true;
}

static void write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w <= 0)
            return;
        c += w;
        n -= (size_t)w;
    }
}

/* Writes a file's contents with @ROOT@ and @OUTSIDE@ expanded. */
static void write_body(int fd, const uint8_t *b, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (b[i] != '@')
            continue;
        const char *with = NULL;
        size_t skip = 0;
        if (len - i >= 6 && memcmp(b + i, "@ROOT@", 6) == 0)
            with = root, skip = 6;
        else if (len - i >= 9 && memcmp(b + i, "@OUTSIDE@", 9) == 0)
            with = outside, skip = 9;
        if (!with)
            continue;
        write_all(fd, b + start, i - start);
        write_all(fd, with, strlen(with));
        i += skip - 1;
        start = i + 1;
    }
    write_all(fd, b + start, len - start);
}

/* Is the real path `p` the root, inside it, or the harmless outside file? */
static bool allowed(const char *p)
{
    size_t rl = strlen(root);
    if (strncmp(p, root, rl) == 0 && (p[rl] == '\0' || p[rl] == '/'))
        return true;
    return strcmp(p, outside_file) == 0 || strcmp(p, outside) == 0;
}

/* Keeps a link only if it resolves to an allowed place or to nothing. */
static bool link_ok(const char *name)
{
    char *r = realpath(name, NULL);
    if (!r)
        return errno == ENOENT || errno == ENOTDIR || errno == ELOOP;
    bool ok = allowed(r);
    free(r);
    return ok;
}

static void build(struct section *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i].kind == K_LINK || !make_parents(s[i].name))
            continue;
        if (s[i].kind == K_DIR) {
            mkdir(s[i].name, 0755);
        } else if (s[i].kind == K_FIFO) {
            mkfifo(s[i].name, 0644);
        } else {
            int fd = open(s[i].name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
            if (fd < 0)
                continue;
            write_body(fd, s[i].body, s[i].len);
            close(fd);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i].kind != K_LINK)
            continue;
        char dir[MAX_NAME + 1];
        strcpy(dir, s[i].name);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            char *r = realpath(dir, NULL);
            bool ok = r && allowed(r) && strcmp(r, outside) != 0;
            free(r);
            if (!ok)
                continue;
        }
        symlink(s[i].target, s[i].name);
    }
    /* A later link can change where an earlier one leads; removing one
     * can only make others lead nowhere. */
    for (size_t i = 0; i < n; i++)
        if (s[i].kind == K_LINK && !link_ok(s[i].name))
            unlink(s[i].name);
}

/* An emitted file is written into the output directory under its name. */
static void check_out_name(const char *name)
{
    bool bad = !name[0] || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strchr(name, '/');
    for (const char *p = name; *p && !bad; p++)
        bad = (unsigned char)*p < 0x20 || *p == 0x7f;
    if (bad) {
        fprintf(stderr, "fuzz_program: emitted file name is not a plain file name: '%s'\n", name);
        abort();
    }
}

static void compile(const char *entry)
{
    struct obc cc;
    obc_init(&cc, NULL);
    char *buf = NULL;
    size_t blen = 0;
    FILE *sink = open_memstream(&buf, &blen);
    if (!sink)
        abort();
    jmp_buf oom;
    if (setjmp(oom)) {
        obc_free(&cc);
        fclose(sink);
        free(buf);
        return;
    }
    cc.arena.oom = &oom;
    const char *paths[] = {entry};
    if (load_program(&cc, paths, 1, sink)) {
        struct vec out = {0};
        if (obc_analyze(&cc)) {
            obc_emit(&cc, &out);
            for (size_t i = 0; i < out.len; i++)
                check_out_name(VEC_GET(struct out_file, out, i)->name);
        }
        diag_sort(&cc);
        diag_render_text(&cc, sink, true);
        diag_render_json(&cc, sink);
        diag_render_summary(&cc, sink, false);
        if (show) {
            diag_render_text(&cc, stderr, false);
            diag_render_summary(&cc, stderr, false);
        }
    }
    cc.arena.oom = NULL;
    obc_free(&cc);
    fclose(sink);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct section s[MAX_SECTIONS];
    char tmpl[PATH_MAX];
    snprintf(tmpl, sizeof tmpl, "%s/in.XXXXXX", base);
    if (!mkdtemp(tmpl) || !realpath(tmpl, root) || chdir(root) != 0) {
        perror("fuzz_program: input root");
        abort();
    }
    size_t n = split(data, size, s);
    const char *entry = "main.ob";
    if (n == 0) {
        s[0].kind = K_FILE;
        strcpy(s[0].name, entry);
        s[0].body = data;
        s[0].len = size;
        n = 1;
    }
    build(s, n);
    entry = s[0].name;
    struct stat st;
    if (stat(entry, &st) == 0 && S_ISREG(st.st_mode))
        compile(entry);
    if (chdir(start_dir) != 0)
        abort();
    rm_tree(root);
    root[0] = '\0';
    return 0;
}
