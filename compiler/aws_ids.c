/*
 * aws_ids.c - the formats of AWS identifiers: account ids, OU ids, root
 * ids, organization ids, and the generic ARN layout
 * arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. Pure functions; the
 * callers report OB2007 / OB5007 / OB7005 with context.
 */
#include "ir.h"

#include <string.h>

static bool all_of(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i] || !strchr(set, s[i]))
            return false;
    return true;
}

#define DIGITS "0123456789"
#define LOWER_ALNUM "0123456789abcdefghijklmnopqrstuvwxyz"

bool id_account_ok(const char *s)
{
    return strlen(s) == 12 && all_of(s, 12, DIGITS);
}

/* ou-[0-9a-z]{4,32}-[0-9a-z]{8,32} */
bool id_ou_ok(const char *s)
{
    if (strncmp(s, "ou-", 3) != 0)
        return false;
    const char *p = s + 3, *dash = strchr(p, '-');
    if (!dash)
        return false;
    size_t a = (size_t)(dash - p), b = strlen(dash + 1);
    return a >= 4 && a <= 32 && b >= 8 && b <= 32 && all_of(p, a, LOWER_ALNUM) && all_of(dash + 1, b, LOWER_ALNUM);
}

/* r-[0-9a-z]{4,32} */
bool id_root_ok(const char *s)
{
    size_t n = strlen(s);
    return strncmp(s, "r-", 2) == 0 && n >= 6 && n <= 34 && all_of(s + 2, n - 2, LOWER_ALNUM);
}

/* o-[a-z0-9]{10,32} */
bool id_org_ok(const char *s)
{
    size_t n = strlen(s);
    return strncmp(s, "o-", 2) == 0 && n >= 12 && n <= 34 && all_of(s + 2, n - 2, LOWER_ALNUM);
}

bool arn_split(struct arena *a, const char *arn, struct arn_parts *out)
{
    const char *f[6];
    size_t len[6];
    const char *p = arn;
    for (int i = 0; i < 5; i++) {
        const char *c = strchr(p, ':');
        if (!c)
            return false;
        f[i] = p;
        len[i] = (size_t)(c - p);
        p = c + 1;
    }
    f[5] = p;
    len[5] = strlen(p);
    if (len[0] != 3 || memcmp(f[0], "arn", 3) != 0 || len[1] == 0 || len[2] == 0 || len[5] == 0)
        return false;
    out->partition = arena_strndup(a, f[1], len[1]);
    out->service = arena_strndup(a, f[2], len[2]);
    out->region = arena_strndup(a, f[3], len[3]);
    out->account = arena_strndup(a, f[4], len[4]);
    out->resource = arena_strndup(a, f[5], len[5]);
    return true;
}
