/*
 * schema.c - the language's declarations, blocks and attributes, as
 * tables built from schema.def: which attributes each block takes, of
 * which type, which are required, which blocks nest where, and which
 * words start a top-level item. The generic checks in sema_block.c, the
 * readers the lowering uses, and the help texts that list words all read
 * these tables; docs/language.md is checked against them
 * (tests/unit/test_schema.c).
 */
#include "sema.h"

#include <string.h>

/* The choices of VT_ENUM attributes; lower_lock maps index 1 to LOCK_GOVERNANCE. */
static const char *const lock_modes[] = {"compliance", "governance", NULL};
/* lower_vault maps index 1 to an air-gapped vault; lower_rule index 0 to a full scan. */
static const char *const vault_types[] = {"backup", "logically_air_gapped", NULL};
static const char *const scan_modes[] = {"full", "incremental", NULL};
/* lower_notify maps index 1 to NOTIFY_VAULT; lower_restore_test the
 * indexes of these two to enum restore_pick and enum restore_points. */
static const char *const notify_vias[] = {"eventbridge", "vault", NULL};
static const char *const restore_picks[] = {"latest", "random", NULL};
static const char *const restore_points[] = {"snapshot", "continuous", "both", NULL};

static const struct attr_spec attrs[ATTR_COUNT] = {
#define ATTR(id, block, name, type, kinds, flags, choices, what) \
    [id] = {block, name, type, kinds, flags, choices, what},
#include "schema.def"
};

static const struct block_spec blocks[BK_COUNT] = {
#define BLOCK(kind, word, parent, example) [kind] = {kind, word, parent, example},
#include "schema.def"
};

static const struct decl_spec decls[] = {
#define DECL(word, kind, form, ir_type, block, example) \
    {word, kind, form, sizeof(struct ir_type), block, example},
#include "schema.def"
};
#define NDECLS (sizeof decls / sizeof decls[0])

/* Declarations, then the top-level blocks that are not named declarations
 * (organization), then import. */
static const char *const top_words[] = {
#define DECL(word, kind, form, ir_type, block, example) word,
#include "schema.def"
    "organization", "import",
};
#define NTOP (sizeof top_words / sizeof top_words[0])

const struct attr_spec *schema_attr(enum attr_id id)
{
    return &attrs[id];
}

const struct block_spec *schema_block(enum block_kind k)
{
    return &blocks[k];
}

const struct block_spec *schema_block_by_word(const char *word, bool top_level)
{
    for (size_t i = 0; i < BK_COUNT; i++) {
        if ((blocks[i].parent == BK_NONE) != top_level)
            continue;
        if (strcmp(blocks[i].word, word) == 0)
            return &blocks[i];
    }
    return NULL;
}

bool schema_attr_lookup(enum block_kind k, const char *name, enum attr_id *out)
{
    for (size_t i = 0; i < ATTR_COUNT; i++) {
        if (attrs[i].block == k && strcmp(attrs[i].name, name) == 0) {
            *out = (enum attr_id)i;
            return true;
        }
    }
    return false;
}

enum attr_id schema_short_attr(enum block_kind k)
{
    for (size_t i = 0; i < ATTR_COUNT; i++)
        if (attrs[i].block == k && (attrs[i].flags & ATTR_SHORT))
            return (enum attr_id)i;
    return ATTR_COUNT;
}

const struct decl_spec *schema_decl_by_word(const char *word)
{
    for (size_t i = 0; i < NDECLS; i++)
        if (strcmp(decls[i].word, word) == 0)
            return &decls[i];
    return NULL;
}

const struct decl_spec *schema_decls(size_t *n)
{
    *n = NDECLS;
    return decls;
}

const char *const *schema_top_words(size_t *n)
{
    *n = NTOP;
    return top_words;
}

const char *schema_top_words_text(struct arena *a)
{
    struct strbuf b = {0};
    for (size_t i = 0; i + 1 < NTOP; i++)
        sb_printf(a, &b, "%s%s", i ? ", " : "", top_words[i]);
    sb_printf(a, &b, " (and %s)", top_words[NTOP - 1]);
    return sb_str(a, &b);
}
