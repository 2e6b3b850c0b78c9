/* test_gate.c - keyword gating: a rule whose regex holds no literal worth
 * looking for is found through its keywords.
 *
 * The loader asks how long a literal run every match of the regex must hold
 * (ward_regex_required_literal); under 3 characters, and with keywords of 3
 * or more, Vectorscan looks for the keywords and PCRE2 runs the regex over
 * the keyword's line.  These tests pin the literal analysis on the shapes
 * the catalog uses, and check that a gated rule still finds its token with
 * the keyword before it, after it or inside it, and nothing when the
 * keyword is on another line (which the keyword filter never allowed).
 * Vectorscan also gets every regex without a leading \b, which cost it far
 * more than the rest of the pattern. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ward.h>

#include "check.h"
#include "internal.h"
#include "rules_engine.h"

static void literal_runs(void)
{
    CHECK_INT(ward_regex_required_literal("ghp_[A-Za-z0-9]{36}"), 4);
    CHECK_INT(ward_regex_required_literal("\\b(ghp_[A-Za-z0-9]{36})\\b"), 4);
    CHECK_INT(ward_regex_required_literal("(?i)\\b(AKIA[0-9A-Z]{16})"), 4);
    CHECK_INT(ward_regex_required_literal("-----BEGIN[ A-Z]*PRIVATE KEY-----"), 16);
    /* escaped punctuation is literal; \d \w \s \b are not */
    CHECK_INT(ward_regex_required_literal("xox\\-\\d+"), 4);
    CHECK_INT(ward_regex_required_literal("\\d\\w\\s"), 0);
    /* classes, dots and optional atoms break runs */
    CHECK_INT(ward_regex_required_literal("[A-Za-z0-9_-]{22}/[A-Za-z0-9_-]{22}"), 1);
    CHECK_INT(ward_regex_required_literal("ab?cd"), 2);
    CHECK_INT(ward_regex_required_literal("abc*d"), 2);
    CHECK_INT(ward_regex_required_literal("ab{0,2}cd"), 2);
    CHECK_INT(ward_regex_required_literal("ab{2}cd"), 2);
    CHECK_INT(ward_regex_required_literal("a.bc"), 2);
    /* an optional group gives nothing; a required one gives its best */
    CHECK_INT(ward_regex_required_literal("(?:configcat-sdk-1/)?[A-Z]{22}"), 0);
    CHECK_INT(ward_regex_required_literal("(?:sk_live_)[A-Z]{22}"), 8);
    /* alternation: the weakest branch */
    CHECK_INT(ward_regex_required_literal("(?:sk_live_|rk_test_)x"), 8);
    CHECK_INT(ward_regex_required_literal("(?:sk_live_|r)x"), 1);
    CHECK_INT(ward_regex_required_literal("abcd|xy"), 2);
    /* lookarounds match nothing themselves */
    CHECK_INT(ward_regex_required_literal("(?<=token=)[a-z]{8}"), 0);
    /* flags, named groups */
    CHECK_INT(ward_regex_required_literal("(?i)(?P<k>hf_)[a-z]{34}"), 3);
    /* a literal '{' that is not a quantifier */
    CHECK_INT(ward_regex_required_literal("x{y"), 3);
    /* malformed input says nothing rather than too much */
    CHECK_INT(ward_regex_required_literal("(abc"), 0);
    CHECK_INT(ward_regex_required_literal("[abc"), 0);
    CHECK_INT(ward_regex_required_literal("abc\\"), 0);
    /* deep nesting stops */
    char deep[400];
    memset(deep, '(', 150);
    memcpy(deep + 150, "abc", 3);
    memset(deep + 153, ')', 150);
    deep[303] = '\0';
    CHECK(ward_regex_required_literal(deep) <= 3);
}

static const char *CONFIG =
    "[[rules]]\n"
    "id = \"gated\"\n"
    "regex = '''\\b([A-Za-z0-9]{22}/[A-Za-z0-9]{22})(?:[^A-Za-z0-9/]|$)'''\n"
    "secretGroup = 1\n"
    "keywords = [\"configcat\"]\n"
    "[[rules]]\n"
    "id = \"prefixed\"\n"
    "regex = '''\\b(wrd_[A-Za-z0-9]{30})\\b'''\n"
    "keywords = [\"wrd_\"]\n"
    "[[rules]]\n"
    "id = \"short-keyword\"\n"
    "regex = '''\\b([a-f0-9]{8}:[a-f0-9]{30})\\b'''\n"
    "keywords = [\"db\"]\n";

static ward_engine *E;
static ward_scanner *S;

static const ward_rule *rule(const char *id)
{
    for (size_t i = 0; i < E->n_rules; i++)
        if (!strcmp(E->rules[i].id, id))
            return &E->rules[i];
    return NULL;
}

static void which_rules_are_gated(void)
{
    const ward_rule *g = rule("gated"), *p = rule("prefixed"), *k = rule("short-keyword");
    CHECK(g && p && k);
    if (!g || !p || !k)
        return;
    CHECK_INT(g->kw_gate, 1);
    CHECK_STR(g->hs_regex, "(?i)(?:configcat)");
    CHECK_INT(p->kw_gate, 0);
    /* Vectorscan gets the regex without its leading \b (PCRE2 still checks it) */
    CHECK_STR(p->hs_regex, "(wrd_[A-Za-z0-9]{30})\\b");
    CHECK_INT(k->kw_gate, 0); /* a 2-letter keyword would open a window per line */
}


static void gated_rule_finds_its_token(void)
{
    static const char *lines[] = {
        "CONFIGCAT_SDK_KEY=%s\n",
        "client = get(\"%s\")  # configcat\n",
        "x = 1\n\n  configcat:\n    key: \"%s\"\n",
    };
    for (uint64_t seed = 1; seed <= 4; seed++) {
        char v[64], text[512];
        size_t len, so, sl;
        uint64_t st = seed * 0x9e3779b97f4a7c15ull;
        CHECK_INT(ward_example_expand("%{a62:22}/%{a62:22}", &st, v, sizeof v, &len, &so, &sl),
                  WARD_OK);
        for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
            const char *at = strstr(lines[i], "%s");
            snprintf(text, sizeof text, "%.*s%s%s", (int)(at - lines[i]), lines[i], v, at + 2);
            first_finding g = scan_first(S, text, "app.py");
            if (i < 2) {
                CHECK_INT(g.n, 1);
                CHECK_STR(g.rule, "gated");
                CHECK_STR(g.secret, v);
            } else {
                CHECK_INT(g.n, 0); /* the keyword is on another line */
            }
        }
        /* a long file with the keyword far away from the token */
        size_t cap = 200000;
        char *big = malloc(cap);
        size_t n = (size_t)snprintf(big, cap, "configcat = 1\n");
        while (n < 150000)
            n += (size_t)snprintf(big + n, cap - n, "int filler_%zu = 0;\n", n);
        n += (size_t)snprintf(big + n, cap - n, "key = %s\n", v);
        CHECK_INT(scan_first(S, big, "app.c").n, 0);
        snprintf(big + n, cap - n, "key2 = %s # configcat\n", v);
        first_finding g = scan_first(S, big, "app.c");
        CHECK_INT(g.n, 1);
        CHECK_STR(g.rule, "gated");
        free(big);
    }
}

int main(void)
{
    RUN(literal_runs);
    if (rules_engine(CONFIG, &E, &S))
        return 1;
    RUN(which_rules_are_gated);
    RUN(gated_rule_finds_its_token);
    ward_scanner_free(S);
    ward_engine_free(E);
    return check_summary();
}
