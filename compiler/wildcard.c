/*
 * wildcard.c - matching text against a pattern with wildcards: `*` any
 * run of characters, and with WILD_QUESTION `?` any one character;
 * WILD_FOLD compares ASCII letters ignoring case. One matcher for IAM
 * action patterns ("kms:Create*", case-insensitive, check_kms.c) and
 * resource-type ARN patterns (EC2 volumes: "ec2:*:*:volume/" and a star;
 * json_lower.c).
 *
 * Linear in practice: the classic backtracking of the last `*` only,
 * O(pattern x text) at worst, and both are short identifiers or ARNs.
 */
#include "base.h"

#include <ctype.h>

bool wildcard_match(const char *pat, const char *s, unsigned flags)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        bool same = (flags & WILD_FOLD) ? tolower((unsigned char)*pat) == tolower((unsigned char)*s) : *pat == *s;
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat && (same || (*pat == '?' && (flags & WILD_QUESTION)))) {
            pat++;
            s++;
        } else if (star) {
            pat = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}
