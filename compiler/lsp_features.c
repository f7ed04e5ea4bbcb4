/*
 * lsp_features.c - what the language server answers about a position in
 * a document, from one compilation of it (lsp_build.c): hover (the
 * explanation of a diagnostic there, the declaration of a name),
 * go to definition, completion (attribute and block words of the
 * enclosing block, declaration names of the kind an attribute expects,
 * enum choices, standard library modules) and the quick fixes that the
 * "did you mean" diagnostics carry.
 *
 * Declarations are found in the syntax trees of the compilation's files
 * (not the IR), so they are found while the program has errors; the
 * enclosing block of a position is found by one scan of the text up to
 * it, so it is found while the text does not parse.
 */
#include "lsp.h"

#include <string.h>

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The identifier around `offset` in f, or NULL. */
static const char *word_at(struct arena *a, const struct src_file *f, uint32_t offset, struct loc *where)
{
    uint32_t s = offset, e = offset;
    while (s > 0 && name_char(f->text[s - 1]))
        s--;
    while (e < f->len && name_char(f->text[e]))
        e++;
    if (s == e)
        return NULL;
    *where = (struct loc){f->id, s, e};
    return arena_strndup(a, f->text + s, e - s);
}

/* Calls fn for every top-level declaration named `name` (NULL: every
 * one) in the files of b. */
typedef void (*decl_fn)(struct lsp_build *b, const struct src_file *f, const struct ast_item *it,
                        const struct decl_spec *spec, void *ctx);
static void each_declaration(struct lsp_build *b, const char *name, decl_fn fn, void *ctx)
{
    for (size_t i = 0; i < b->cc.files.len; i++) {
        const struct src_file *f = VEC_GET(struct src_file, b->cc.files, i);
        for (size_t j = 0; j < f->items.len; j++) {
            const struct ast_item *it = VEC_GET(struct ast_item, f->items, j);
            const char *w0 = ast_word_text(it, 0), *w1 = ast_word_text(it, 1);
            const struct decl_spec *spec = w0 && w1 ? schema_decl_by_word(w0) : NULL;
            if (spec && (!name || strcmp(w1, name) == 0))
                fn(b, f, it, spec, ctx);
        }
    }
}

/* ------------------------------------------------------------------ */
/* hover                                                                */

static int open_blocks(const struct src_file *f, uint32_t offset, int *stack, int max);

/* What the attribute `name` of the block open at `offset` is, if it is one. */
static void describe_attribute(struct lsp_build *b, const char *name, uint32_t offset, struct strbuf *out)
{
    int stack[LIMIT_NESTING];
    int depth = open_blocks(b->file, offset, stack, LIMIT_NESTING);
    enum attr_id id;
    if (!depth || stack[depth - 1] < 0 || !schema_attr_lookup((enum block_kind)stack[depth - 1], name, &id))
        return;
    const struct attr_spec *as = schema_attr(id);
    if (out->len)
        sb_puts(&b->cc.arena, out, "\n\n---\n\n");
    sb_printf(&b->cc.arena, out, "`%s` (in %s): %s", as->name, schema_block(as->block)->example, as->what);
}

static void describe_declaration(struct lsp_build *b, const struct src_file *f, const struct ast_item *it,
                                 const struct decl_spec *spec, void *ctx)
{
    struct arena *a = &b->cc.arena;
    struct strbuf *out = ctx;
    /* the declaration as written, up to 12 lines */
    uint32_t start = it->loc.start, end = it->loc.end, line_end = start;
    int lines = 0;
    while (line_end < end && lines < 12)
        if (f->text[line_end++] == '\n')
            lines++;
    if (out->len)
        sb_puts(a, out, "\n\n---\n\n");
    sb_printf(a, out, "%s **%s**", decl_kind_article(spec->kind), ast_word_text(it, 1));
    if (f->is_stdlib)
        sb_printf(a, out, " (standard library, %s)", f->path);
    else
        sb_printf(a, out, " (%s:%u)", f->path, (unsigned)src_pos((struct src_file *)f, start).line);
    sb_printf(a, out, "\n\n```obc\n%.*s%s\n```", (int)(line_end - start), f->text + start,
              line_end < end ? "..." : "");
}

cJSON *lsp_hover(struct lsp_build *b, uint32_t offset)
{
    if (!b->file)
        return cJSON_CreateNull();
    struct arena *a = &b->cc.arena;
    struct strbuf out = {0};
    for (size_t i = 0; i < b->cc.diag.list.len; i++) {
        const struct diag *d = VEC_GET(struct diag, b->cc.diag.list, i);
        if (d->loc.file != b->file->id || offset < d->loc.start || offset > d->loc.end)
            continue;
        const struct diag_code_info *info = diag_info(d->code);
        const char *text = diag_explanation(d->code);
        if (out.len)
            sb_puts(a, &out, "\n\n---\n\n");
        if (text)
            sb_puts(a, &out, text);
        else
            sb_printf(a, &out, "%s: %s", info->id, info->title);
    }
    struct loc where = LOC_NONE;
    const char *name = word_at(a, b->file, offset, &where);
    if (name) {
        describe_attribute(b, name, where.start, &out);
        each_declaration(b, name, describe_declaration, &out);
    }
    if (!out.len)
        return cJSON_CreateNull();
    cJSON *h = cJSON_CreateObject();
    cJSON *contents = cJSON_AddObjectToObject(h, "contents");
    cJSON_AddStringToObject(contents, "kind", "markdown");
    cJSON_AddStringToObject(contents, "value", sb_str(a, &out));
    if (name)
        cJSON_AddItemToObject(h, "range", lsp_range_json(b->file, where.start, where.end));
    return h;
}

/* ------------------------------------------------------------------ */
/* definition                                                           */

static void add_location(struct lsp_build *b, const struct src_file *f, const struct ast_item *it,
                         const struct decl_spec *spec, void *ctx)
{
    (void)spec;
    if (f->is_stdlib) /* the embedded library has no file to open */
        return;
    struct loc at = ast_word_loc(it, 1);
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "uri", lsp_path_to_uri(&b->cc.arena, f->path));
    cJSON_AddItemToObject(l, "range", lsp_range_json((struct src_file *)f, at.start, at.end));
    cJSON_AddItemToArray(ctx, l);
}

cJSON *lsp_definition(struct lsp_build *b, const struct lsp_doc *doc, uint32_t offset)
{
    (void)doc;
    struct loc where;
    const char *name = b->file ? word_at(&b->cc.arena, b->file, offset, &where) : NULL;
    if (!name)
        return cJSON_CreateNull();
    cJSON *list = cJSON_CreateArray();
    each_declaration(b, name, add_location, list);
    if (cJSON_GetArraySize(list) == 0) {
        cJSON_Delete(list);
        return cJSON_CreateNull();
    }
    return list;
}

/* ------------------------------------------------------------------ */
/* completion                                                           */

#define NOT_A_BLOCK (-2) /* a map or a list written with braces */

/* The kinds of the blocks open at `offset` (innermost last), by one scan
 * skipping strings and comments. Returns the depth (at most max). */
static int open_blocks(const struct src_file *f, uint32_t offset, int *stack, int max)
{
    int depth = 0, overflow = 0;
    uint32_t line_start = 0;
    bool saw_equals = false;
    for (uint32_t i = 0; i < offset && i < f->len; i++) {
        char c = f->text[i];
        if (c == '\n') {
            line_start = i + 1;
            saw_equals = false;
        } else if (c == '#') {
            while (i + 1 < offset && f->text[i + 1] != '\n')
                i++;
        } else if (c == '"') {
            for (i++; i < offset && f->text[i] != '"' && f->text[i] != '\n'; i++)
                if (f->text[i] == '\\')
                    i++;
        } else if (c == '=') {
            saw_equals = true;
        } else if (c == '{') {
            int kind = NOT_A_BLOCK;
            uint32_t w = line_start;
            while (w < i && (f->text[w] == ' ' || f->text[w] == '\t'))
                w++;
            uint32_t we = w;
            while (we < i && name_char(f->text[we]))
                we++;
            char word[64];
            if (!saw_equals && we > w && we - w < sizeof word) {
                memcpy(word, f->text + w, we - w);
                word[we - w] = '\0';
                int parent = depth ? stack[depth - 1] : BK_NONE;
                for (int k = 0; k < BK_COUNT && parent != NOT_A_BLOCK; k++) {
                    const struct block_spec *bs = schema_block((enum block_kind)k);
                    if ((int)bs->parent == parent && strcmp(bs->word, word) == 0)
                        kind = k;
                }
            }
            if (depth < max)
                stack[depth++] = kind;
            else
                overflow++;
        } else if (c == '}') {
            if (overflow)
                overflow--;
            else if (depth)
                depth--;
        }
    }
    return depth;
}

static void add_item(cJSON *items, const char *label, int kind, const char *detail)
{
    for (cJSON *it = items->child; it; it = it->next) /* once each */
        if (strcmp(cJSON_GetObjectItemCaseSensitive(it, "label")->valuestring, label) == 0)
            return;
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "label", label);
    cJSON_AddNumberToObject(c, "kind", kind);
    if (detail)
        cJSON_AddStringToObject(c, "detail", detail);
    cJSON_AddItemToArray(items, c);
}

enum { CK_VALUE = 12, CK_PROPERTY = 10, CK_KEYWORD = 14, CK_REFERENCE = 18, CK_MODULE = 9 };

struct names_of_kinds {
    unsigned kinds;
    cJSON *items;
};

static void add_declaration_name(struct lsp_build *b, const struct src_file *f, const struct ast_item *it,
                                 const struct decl_spec *spec, void *ctx)
{
    (void)b;
    struct names_of_kinds *want = ctx;
    if (want->kinds & KIND(spec->kind))
        add_item(want->items, ast_word_text(it, 1), CK_REFERENCE,
                 f->is_stdlib ? arena_printf(&b->cc.arena, "%s (std)", spec->word) : spec->word);
}

static void complete_value(struct lsp_build *b, int block, const char *attr, cJSON *items)
{
    enum attr_id id;
    if (block < 0 || !schema_attr_lookup((enum block_kind)block, attr, &id))
        return;
    const struct attr_spec *as = schema_attr(id);
    switch (as->type) {
    case VT_REF:
    case VT_REFS:
    case VT_PRINCIPAL:
    case VT_PRINCIPALS:
    case VT_ROLE:
    case VT_GRANTS: {
        unsigned kinds = as->kinds;
        if (as->type == VT_ROLE)
            kinds = KIND(DK_ROLE);
        else if (as->type == VT_GRANTS)
            kinds = KIND(DK_PERMISSIONS);
        else if (as->type == VT_PRINCIPAL || as->type == VT_PRINCIPALS)
            kinds = kinds ? kinds : KIND(DK_ACCOUNT) | KIND(DK_OU) | KIND(DK_ROOT);
        struct names_of_kinds want = {kinds, items};
        each_declaration(b, NULL, add_declaration_name, &want);
        if (as->type == VT_PRINCIPALS || as->type == VT_PRINCIPAL)
            add_item(items, "members", CK_KEYWORD, NULL);
        if (as->type == VT_PRINCIPALS)
            add_item(items, "organization", CK_KEYWORD, NULL);
        break;
    }
    case VT_ENUM:
        for (const char *const *c = as->choices; c && *c; c++)
            add_item(items, *c, CK_VALUE, as->name);
        break;
    case VT_BOOL:
        add_item(items, "true", CK_VALUE, NULL);
        add_item(items, "false", CK_VALUE, NULL);
        break;
    default:
        break;
    }
}

cJSON *lsp_completion(struct lsp_build *b, uint32_t offset)
{
    cJSON *items = cJSON_CreateArray();
    if (!b->file)
        return items;
    const struct src_file *f = b->file;
    struct arena *a = &b->cc.arena;
    int stack[LIMIT_NESTING];
    int depth = open_blocks(f, offset, stack, LIMIT_NESTING);
    int block = depth ? stack[depth - 1] : BK_NONE;
    uint32_t ls = offset;
    while (ls > 0 && f->text[ls - 1] != '\n')
        ls--;
    const char *line = arena_strndup(a, f->text + ls, offset - ls);
    const char *sep = strrchr(line, ';'); /* items written on one line: the last one */
    if (sep)
        line = sep + 1;
    const char *eq = strchr(line, '=');
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "import", 6) == 0 && !name_char(p[6])) {
        for (size_t i = 0; i < stdlib_files_count; i++) {
            const char *n = stdlib_files[i].name;
            size_t len = strlen(n);
            if (len > 3 && strcmp(n + len - 3, ".ob") == 0)
                add_item(items, arena_printf(a, "std/%.*s", (int)(len - 3), n), CK_MODULE, "standard library");
        }
    } else if (eq) {
        const char *e = p;
        while (name_char(*e))
            e++;
        complete_value(b, block, arena_strndup(a, p, (size_t)(e - p)), items);
    } else if (block == BK_NONE) {
        size_t n;
        const char *const *words = schema_top_words(&n);
        for (size_t i = 0; i < n; i++)
            add_item(items, words[i], CK_KEYWORD, NULL);
    } else if (block >= 0) {
        for (int i = 0; i < ATTR_COUNT; i++) {
            const struct attr_spec *as = schema_attr((enum attr_id)i);
            if ((int)as->block == block)
                add_item(items, as->name, CK_PROPERTY, as->what);
        }
        for (int k = 0; k < BK_COUNT; k++) {
            const struct block_spec *bs = schema_block((enum block_kind)k);
            if ((int)bs->parent == block)
                add_item(items, bs->word, CK_KEYWORD, bs->example);
        }
    }
    return items;
}

/* ------------------------------------------------------------------ */
/* code actions                                                         */

/* The replacement a "did you mean" diagnostic proposes, or NULL. */
static const char *proposed(struct arena *a, const char *text)
{
    static const char *const lead[] = {"did you mean '", "did you mean \"", "change it to '"};
    for (size_t i = 0; text && i < sizeof lead / sizeof lead[0]; i++) {
        const char *s = strstr(text, lead[i]);
        if (!s)
            continue;
        s += strlen(lead[i]);
        const char *e = strchr(s, lead[i][strlen(lead[i]) - 1]);
        if (e && e > s)
            return arena_strndup(a, s, (size_t)(e - s));
    }
    return NULL;
}

cJSON *lsp_code_actions(struct lsp_build *b, const struct lsp_doc *doc, const cJSON *range)
{
    cJSON *actions = cJSON_CreateArray();
    if (!b->file)
        return actions;
    struct arena *a = &b->cc.arena;
    uint32_t from = lsp_offset_of(b, cJSON_GetObjectItemCaseSensitive(range, "start"));
    uint32_t to = lsp_offset_of(b, cJSON_GetObjectItemCaseSensitive(range, "end"));
    for (size_t i = 0; i < b->cc.diag.list.len; i++) {
        const struct diag *d = VEC_GET(struct diag, b->cc.diag.list, i);
        if (d->loc.file != b->file->id || d->loc.end < from || d->loc.start > to)
            continue;
        const char *fix = proposed(a, d->help);
        if (!fix)
            fix = proposed(a, d->msg);
        const char *old = arena_strndup(a, b->file->text + d->loc.start, d->loc.end - d->loc.start);
        bool one_word = old[0] != '\0';
        for (const char *c = old; *c; c++)
            one_word &= name_char(*c) || *c == '-' || *c == '/' || *c == '.';
        if (!fix || !one_word || strcmp(fix, old) == 0) /* only a word for a word */
            continue;
        cJSON *act = cJSON_CreateObject();
        cJSON_AddStringToObject(act, "title", arena_printf(a, "Change '%s' to '%s'", old, fix));
        cJSON_AddStringToObject(act, "kind", "quickfix");
        cJSON_AddBoolToObject(act, "isPreferred", true);
        cJSON *edit = cJSON_AddObjectToObject(act, "edit");
        cJSON *changes = cJSON_AddObjectToObject(edit, "changes");
        cJSON *edits = cJSON_AddArrayToObject(changes, doc->uri);
        cJSON *te = cJSON_CreateObject();
        cJSON_AddItemToObject(te, "range", lsp_range_json(b->file, d->loc.start, d->loc.end));
        cJSON_AddStringToObject(te, "newText", fix);
        cJSON_AddItemToArray(edits, te);
        cJSON_AddItemToArray(actions, act);
    }
    return actions;
}
