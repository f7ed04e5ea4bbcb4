/*
 * emit_size.c - the size of a compiled policy (OB8001, OB8008): AWS
 * accepts at most 10,000 characters in one backup policy document [S4,
 * spec 3.1]. Measures what emit_policy() builds, so the count is that of
 * the document obc writes; when a policy is too large, says which plans
 * to move out. Reports only; the driver decides when it runs.
 */
#include "emit.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- OB8001: size of the compiled policy ---------------------------- */

struct plan_share {
    const struct ir_plan *plan;
    size_t index;  /* in the policy, for a stable order */
    size_t chars;  /* characters that leave the document with the plan */
};

/* A copy whose target did not resolve cannot be emitted (its ARN needs
 * the vault); the error that says so is enough. */
static bool policy_emittable(const struct ir_policy *pol)
{
    for (size_t i = 0; i < pol->plans.len; i++) {
        const struct ir_plan *p = VEC_GET(const struct ir_plan, pol->plans, i);
        for (size_t j = 0; j < p->rules.len; j++) {
            const struct ir_rule *r = VEC_GET(const struct ir_rule, p->rules, j);
            for (size_t k = 0; k < r->copies.len; k++)
                if (!VEC_GET(const struct ir_copy, r->copies, k)->target)
                    return false;
        }
    }
    return true;
}


/* Minified characters of plan `p` as a member of a policy's "plans":
 * `"name":{...}`. A plan is written the same in every policy that holds
 * it, so it is measured once (`cache`: plan name -> size_t*), which keeps
 * the check linear when one plan sits in many policies. */
static size_t plan_chars(struct obc *cc, struct strmap *cache, const struct ir_plan *p)
{
    size_t *known = strmap_get(cache, p->d.name);
    if (known)
        return *known;
    struct ir_policy alone = {0};
    vec_push(&cc->arena, &alone.plans, (void *)p);
    size_t *n = arena_alloc(&cc->arena, sizeof *n); /* before the document exists: nothing to free on failure */
    cJSON *doc = emit_policy(cc, &alone); /* never NULL: out of memory jumps through arena_fail */
    const cJSON *plans = cJSON_GetObjectItemCaseSensitive(doc, "plans");
    /* plan names are identifiers, which JSON writes without escapes */
    *n = strlen(p->d.name) + 3 + json_chars(plans->child, false);
    cJSON_Delete(doc);
    strmap_put_new(&cc->arena, cache, p->d.name, n);
    return *n;
}

/* Measures a policy and each of its plans (shares[i] for pol->plans[i]:
 * the plan and the comma between it and a neighbour) without building
 * it: {"plans":{...}} around the plans, separated by commas. */
static size_t measure_policy(struct obc *cc, struct strmap *cache, const struct ir_policy *pol,
                             struct plan_share *shares)
{
    size_t n = pol->plans.len, total = strlen("{\"plans\":{}}") + (n - 1);
    for (size_t i = 0; i < n; i++) {
        size_t chars = plan_chars(cc, cache, VEC_GET(const struct ir_plan, pol->plans, i));
        total += chars;
        shares[i].chars = chars + (n > 1);
    }
    return total;
}

static int by_share(const void *x, const void *y)
{
    const struct plan_share *a = x, *b = y;
    if (a->chars != b->chars)
        return a->chars > b->chars ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* "'a'", "'a' and 'b'", "'a', 'b' and 'c'" */
static const char *plan_list(struct arena *a, const struct plan_share *s, size_t n)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_puts(a, &b, i + 1 == n ? " and " : ", ");
        sb_printf(a, &b, "'%s'", s[i].plan->d.name);
    }
    return sb_str(a, &b);
}

/* Characters of a policy that holds only this plan. */
static size_t alone_chars(const struct plan_share *s, size_t nplans)
{
    return strlen("{\"plans\":{}}") + s->chars - (nplans > 1);
}

/* The smallest set of plans whose removal brings the document under the
 * limit: the largest first. Sorts `s`; returns how many of its first
 * entries to move, or 0 when even one plan alone is too large. */
static size_t plans_to_move(struct plan_share *s, size_t n, size_t total)
{
    qsort(s, n, sizeof *s, by_share);
    if (n < 2 || alone_chars(&s[0], n) > AWS_POLICY_MAX_CHARS)
        return 0;
    size_t moved = 0;
    while (total > AWS_POLICY_MAX_CHARS && moved + 1 < n)
        total -= s[moved++].chars;
    return total > AWS_POLICY_MAX_CHARS ? 0 : moved;
}

static void report_size(struct obc *cc, const struct ir_policy *pol, size_t total, struct plan_share *s)
{
    struct arena *a = &cc->arena;
    size_t n = pol->plans.len;
    struct diag *d = diag_emit(cc, OB8001, pol->d.name_loc,
                               "policy '%s' is %s characters (minified JSON), %s over the %s AWS accepts for one "
                               "backup policy",
                               pol->d.name, arena_thousands(a, total), arena_thousands(a, total - AWS_POLICY_MAX_CHARS),
                               arena_thousands(a, AWS_POLICY_MAX_CHARS));
    size_t move = plans_to_move(s, n, total);
    if (move) {
        for (size_t i = 0; i < move; i++)
            diag_note(cc, d, s[i].plan->d.name_loc, "plan '%s' takes %s characters of it", s[i].plan->d.name,
                      arena_thousands(a, s[i].chars));
        diag_help(cc, d, "move %s %s into another policy with the same attachments; the count is of the "
                         "minified JSON, which is what AWS measures",
                  plural(move, "plan", "plans"), plan_list(a, s, move));
        return;
    }
    diag_note(cc, d, s[0].plan->d.name_loc, "a policy of plan '%s' alone is %s characters", s[0].plan->d.name,
              arena_thousands(a, alone_chars(&s[0], n)));
    diag_help(cc, d, "split plan '%s': move some of its rules into a new plan in another policy; the count is of "
                     "the minified JSON, which is what AWS measures",
              s[0].plan->d.name);
}

void emit_check_sizes(struct obc *cc, const struct ir_program *prog)
{
    struct strmap cache = {0};
    for (size_t i = 0; i < prog->policies.len; i++) {
        const struct ir_policy *pol = VEC_GET(const struct ir_policy, prog->policies, i);
        if (pol->plans.len == 0 || pol->document || !policy_emittable(pol))
            continue; /* a document is judged as written: emit_check_document_size */
        struct plan_share *shares = arena_alloc(&cc->arena, pol->plans.len * sizeof *shares);
        for (size_t j = 0; j < pol->plans.len; j++)
            shares[j] = (struct plan_share){VEC_GET(const struct ir_plan, pol->plans, j), j, 0};
        size_t total = measure_policy(cc, &cache, pol, shares);
        if (total > AWS_POLICY_MAX_CHARS)
            report_size(cc, pol, total, shares);
    }
}

/* OB8008: the console strips whitespace, but the CLI, the API,
 * CloudFormation and Terraform send the text as it is [S4, S10], so a
 * pretty file can be refused although its minified form fits. */
void emit_check_written_size(struct obc *cc, const struct ir_policy *pol, size_t written, cJSON *doc)
{
    if (written <= AWS_POLICY_MAX_CHARS)
        return;
    size_t minified = json_chars(doc, false); /* fits: over the limit it is OB8001, an error, and nothing is emitted */
    struct diag *d = diag_emit(cc, OB8008, pol->d.name_loc,
                               "policy '%s' is written pretty-printed as %s characters; AWS counts the whitespace when "
                               "the file is sent through the CLI, the API, CloudFormation or Terraform",
                               pol->d.name, arena_thousands(&cc->arena, written));
    diag_help(cc, d, "compile with --minify (%s characters, under the 10,000 limit), or paste the policy into the "
                     "console, which strips whitespace", arena_thousands(&cc->arena, minified));
}

/* A policy document read from a file: AWS counts its text [S4]. Over
 * 10,000 characters minified is OB8001; over as written while the
 * minified form fits is OB8008 (the console strips whitespace, the CLI,
 * the API, CloudFormation and Terraform do not). */
void emit_check_document_size(struct obc *cc, const struct src_file *f, size_t minified)
{
    struct arena *a = &cc->arena;
    struct loc at = {f->id, 0, f->len ? 1 : 0};
    if (minified > AWS_POLICY_MAX_CHARS) {
        struct diag *d = diag_emit(cc, OB8001, at, "the policy is %s characters minified, %s over AWS's limit of %s",
                                   arena_thousands(a, minified), arena_thousands(a, minified - AWS_POLICY_MAX_CHARS),
                                   arena_thousands(a, AWS_POLICY_MAX_CHARS));
        diag_help(cc, d, "split the plans over several policies attached to the same targets");
        return;
    }
    size_t written = utf8_chars(f->text);
    if (written <= AWS_POLICY_MAX_CHARS)
        return;
    struct diag *d = diag_emit(cc, OB8008, at, "the policy is %s characters as written; AWS counts the whitespace "
                               "when the file is sent through the CLI, the API, CloudFormation or Terraform",
                               arena_thousands(a, written));
    diag_help(cc, d, "send it minified (%s characters, under the 10,000 limit), for example with "
                     "'obc compile --minify', or paste it into the console, which strips whitespace",
              arena_thousands(a, minified));
}
