/*
 * ir_paths.c - lookups in policy_paths.def: which blocks emit a node of
 * a BACKUP_POLICY document, and the document path of `children NAME`.
 * The table has a few dozen rows and a lookup is made once per
 * `children` item written, so a scan of it is constant work.
 */
#include "ir.h"

#include <string.h>

static const struct {
    const char *block, *node;
} nodes[] = {
#define BLOCK_NODE(block, node) {block, node},
#include "policy_paths.def"
};

static const struct {
    const char *block, *name, *path;
} paths[] = {
#define PATH(block, name, path) {block, name, path},
#include "policy_paths.def"
};

#define COUNT(a) (sizeof a / sizeof a[0])

const char *policy_node_of(const char *block)
{
    for (size_t i = 0; i < COUNT(nodes); i++)
        if (strcmp(nodes[i].block, block) == 0)
            return nodes[i].node;
    return NULL;
}

const char *policy_path_of(const char *block, const char *name)
{
    for (size_t i = 0; i < COUNT(paths); i++)
        if (strcmp(paths[i].block, block) == 0 && strcmp(paths[i].name, name) == 0)
            return paths[i].path;
    return NULL;
}

size_t policy_path_names(const char *block, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < COUNT(paths) && n < max; i++)
        if (strcmp(paths[i].block, block) == 0 && paths[i].name[0])
            out[n++] = paths[i].name;
    return n;
}

void policy_path_split(struct arena *a, const char *path, struct vec *out)
{
    while (*path) {
        const char *slash = strchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : strlen(path);
        vec_push(a, out, arena_strndup(a, path, n));
        path += n + (slash != NULL);
    }
}

const char *policy_name_of_path(struct arena *a, const char *block, const struct vec *path)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < path->len; i++)
        sb_printf(a, &b, "%s%s", i ? "/" : "", (const char *)path->items[i]);
    const char *joined = sb_str(a, &b);
    if (!joined[0])
        return "";
    for (size_t i = 0; i < COUNT(paths); i++)
        if (strcmp(paths[i].block, block) == 0 && strcmp(paths[i].path, joined) == 0)
            return paths[i].name;
    return NULL;
}

bool control_parse(const char *const *names, size_t n, unsigned *allowed, bool *all)
{
    unsigned set = 0;
    bool none = false, any = false;
    for (size_t i = 0; i < n; i++) {
        const char *s = names[i];
        if (!s)
            return false;
        if (strcmp(s, "@@none") == 0)
            none = true;
        else if (strcmp(s, "@@all") == 0)
            any = true;
        else if (strcmp(s, "@@assign") == 0)
            set |= IR_CHILD_ASSIGN;
        else if (strcmp(s, "@@append") == 0)
            set |= IR_CHILD_APPEND;
        else if (strcmp(s, "@@remove") == 0)
            set |= IR_CHILD_REMOVE;
        else
            return false;
    }
    if (n == 0 || ((none || any) && n > 1))
        return false;
    *allowed = any ? IR_CHILD_ALL : set;
    *all = any;
    return true;
}
