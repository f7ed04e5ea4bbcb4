/*
 * diag_terms.c - the words of a diagnostic when the input is a policy
 * document: the checks speak of a rule's `delete_after` and write
 * durations as the language does (`390d`, `90min`); a reader of a
 * BACKUP_POLICY document knows `delete_after_days` and plain numbers.
 *
 * Owns: the table of language attributes and their policy keys, and the
 * one rewriting diag.c applies to every message, note and help when
 * diag_engine.document_terms is set. Text the diagnostic quotes ('name',
 * "value") is never rewritten. Linear in the length of the message.
 */
#include "base.h"

#include <ctype.h>
#include <string.h>

/* attribute of the language -> key of the policy document; a phrase
 * comes before the word it starts with */
static const struct {
    const char *word, *key;
} terms[] = {
    {"delete_after = <days>", "lifecycle.delete_after_days"},
    {"continuous = true", "enable_continuous_backup"},
    {"delete_after", "delete_after_days"},
    {"cold_after", "move_to_cold_storage_after_days"},
    {"start_within", "start_backup_window_minutes"},
    {"complete_within", "complete_backup_window_minutes"},
};

/* durations as the language writes them: 390d, 90min, 8h */
static const struct {
    const char *unit, *words;
} units[] = {
    {"min", " minutes"},
    {"d", " days"},
    {"h", " hours"},
};

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* The length of a duration written at s (digits, optionally grouped with
 * commas, then a unit and a word boundary), or 0; *unit gets the unit. */
static size_t duration_at(const char *s, size_t *unit)
{
    size_t n = 0;
    while (isdigit((unsigned char)s[n]) || (n && s[n] == ',' && isdigit((unsigned char)s[n + 1])))
        n++;
    if (!n)
        return 0;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t len = strlen(units[u].unit);
        if (strncmp(s + n, units[u].unit, len) == 0 && !word_char(s[n + len])) {
            *unit = u;
            return n + len;
        }
    }
    return 0;
}

const char *diag_document_terms(struct arena *a, const char *msg)
{
    if (!msg)
        return NULL;
    struct strbuf out = {0};
    char quote = 0; /* inside '...' or "..." */
    const char *p = msg;
    while (*p) {
        bool boundary = p == msg || !word_char(p[-1]);
        if (quote) {
            if (*p == quote && (quote == '"' || !word_char(p[1])))
                quote = 0;
            sb_putn(a, &out, p++, 1);
            continue;
        }
        if ((*p == '"' || *p == '\'') && boundary) {
            quote = *p;
            sb_putn(a, &out, p++, 1);
            continue;
        }
        if (boundary) {
            bool done = false;
            for (size_t t = 0; !done && t < sizeof terms / sizeof terms[0]; t++) {
                size_t len = strlen(terms[t].word);
                if (strncmp(p, terms[t].word, len) == 0 && !word_char(p[len])) {
                    sb_puts(a, &out, terms[t].key);
                    p += len;
                    done = true;
                }
            }
            size_t unit;
            size_t len = done ? 0 : duration_at(p, &unit);
            if (len) {
                sb_putn(a, &out, p, len - strlen(units[unit].unit));
                sb_puts(a, &out, units[unit].words);
                p += len;
                done = true;
            }
            if (done)
                continue;
        }
        sb_putn(a, &out, p++, 1);
    }
    return sb_str(a, &out);
}
