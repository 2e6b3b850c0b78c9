/* test_rules.c - every rule's examples, expanded into fake tokens and run.
 *
 * Each positive template must produce a finding of its rule, and where the
 * template marks the secret with %{<} %{>}, exactly that secret.  Each
 * negative template must produce no finding of its rule.  Every template is
 * expanded with several seeds, so a rule that only works by luck fails. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <ward.h>

#include "check.h"

#define SEEDS 12

typedef struct want {
    const char *rule;
    const char *text;
    size_t off, len;  /* expected secret span; len 0 = any */
    int found, exact;
    char other[512];  /* what was found instead, for the message */
} want;

static int on_finding(const ward_finding *f, void *user)
{
    want *w = user;
    if (strcmp(f->rule_id, w->rule)) {
        size_t n = strlen(w->other);
        if (n < sizeof w->other - 80)
            snprintf(w->other + n, sizeof w->other - n, " %s@%llu+%llu", f->rule_id,
                     (unsigned long long)f->offset, (unsigned long long)f->length);
        return 0;
    }
    w->found = 1;
    if (w->len && f->offset == w->off && f->length == w->len)
        w->exact = 1;
    return 0;
}

static ward_engine *E;
static ward_scanner *S;
static int total_pos, total_neg;

static void run_examples(void)
{
    char *buf = malloc(1 << 20);
    for (size_t i = 0; i < ward_engine_rule_count(E); i++) {
        ward_rule_info r;
        ward_engine_rule(E, i, &r);
        if (r.n_positive < 1 || r.n_negative < 1) {
            fprintf(stderr, "rule %s: needs at least one positive and one negative example\n",
                    r.id);
            check_current_failed_ = 1;
        }
        for (size_t k = 0; k < r.n_positive + r.n_negative; k++) {
            int positive = k < r.n_positive;
            const char *tmpl = positive ? r.positive[k] : r.negative[k - r.n_positive];
            for (uint64_t seed = 1; seed <= SEEDS; seed++) {
                uint64_t st = seed * 0x9e3779b97f4a7c15ull;
                size_t len, so, sl;
                if (ward_example_expand(tmpl, &st, buf, 1 << 20, &len, &so, &sl) != WARD_OK) {
                    fprintf(stderr, "rule %s: example does not expand: %s\n", r.id, tmpl);
                    check_current_failed_ = 1;
                    break;
                }
                want w = {r.id, buf, so, sl, 0, 0, ""};
                ward_scan_buffer(S, buf, len, "example.txt", on_finding, &w);
                if (positive && (!w.found || (sl && !w.exact))) {
                    fprintf(stderr, "rule %s: positive example (seed %llu) %s:\n  %s\n  others:%s\n",
                            r.id, (unsigned long long)seed,
                            !w.found ? "not found" : "found with the wrong span", buf,
                            w.other[0] ? w.other : " none");
                    check_current_failed_ = 1;
                    break;
                }
                if (!positive && w.found) {
                    fprintf(stderr, "rule %s: negative example (seed %llu) found:\n  %s\n", r.id,
                            (unsigned long long)seed, buf);
                    check_current_failed_ = 1;
                    break;
                }
            }
            positive ? total_pos++ : total_neg++;
        }
    }
    free(buf);
}

static void ids_unique_and_described(void)
{
    size_t n = ward_engine_rule_count(E);
    for (size_t i = 0; i < n; i++) {
        ward_rule_info a;
        ward_engine_rule(E, i, &a);
        CHECK(a.description && strlen(a.description) > 3);
        CHECK(a.regex != NULL);
        for (size_t j = i + 1; j < n; j++) {
            ward_rule_info b;
            ward_engine_rule(E, j, &b);
            if (!strcmp(a.id, b.id)) {
                fprintf(stderr, "duplicate rule id %s\n", a.id);
                check_current_failed_ = 1;
            }
        }
    }
}

/* The required families are all present. */
static void families_covered(void)
{
    static const char *const prefixes[] = {
        "aws-", "github-", "gitlab-", "google-", "slack-", "stripe-", "openai-", "anthropic-",
        "sendgrid-", "twilio-", "npm-", "private-key", "jwt", "url-credentials", "generic-"};
    for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; p++) {
        int found = 0;
        for (size_t i = 0; i < ward_engine_rule_count(E); i++) {
            ward_rule_info r;
            ward_engine_rule(E, i, &r);
            found |= !strncmp(r.id, prefixes[p], strlen(prefixes[p]));
        }
        if (!found) {
            fprintf(stderr, "no rule for the family %s\n", prefixes[p]);
            check_current_failed_ = 1;
        }
    }
}

int main(void)
{
    if (ward_engine_new(NULL, &E, NULL, 0) || ward_scanner_new(E, &S))
        return 1;
    RUN(run_examples);
    RUN(ids_unique_and_described);
    RUN(families_covered);
    fprintf(stderr, "%zu rules, %d positive and %d negative examples, %d seeds each\n",
            ward_engine_rule_count(E), total_pos, total_neg, SEEDS);
    ward_scanner_free(S);
    ward_engine_free(E);
    return check_summary();
}
