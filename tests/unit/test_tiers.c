/* test_tiers.c - confidence tiers inside one rule.
 *
 * The documented shape is high (a valid checksum) or medium; a failed
 * checksum is low and still reported; the provider's prefix with another
 * length or alphabet (the rule's `loose` regex) is medium with the reason
 * "shape differs from the documented format", and never repeats or
 * resurrects a match of the documented shape.  Tokens are made at run time
 * from templates. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ward.h>

#include "check.h"
#include "rules_engine.h"

int ward_token_has_words(const char *s, size_t len); /* lib/internal.h */
int ward_is_placeholder(const char *s, size_t len);

#define LOOSE_REASON "shape differs from the documented format"

static const char *CONFIG =
    "[[rules]]\n"
    "id = \"tok\"\n"
    "description = \"test token\"\n"
    "regex = '''\\b(tkn_[0-9A-Za-z]{36})\\b'''\n"
    "loose = '''\\b(tkn_[0-9A-Za-z_-]{16,80})(?:[^0-9A-Za-z_-]|$)'''\n"
    "keywords = [\"tkn_\"]\n"
    "confidence = \"high\"\n"
    "validate = \"github-crc32\"\n"
    "[rules.allowlist]\n"
    "regexes = ['''^tkn_0000''']\n";

typedef struct got {
    int n;
    char rule[64], secret[160], reason[96];
    ward_confidence conf;
} got;

static int collect(const ward_finding *f, void *user)
{
    got *g = user;
    if (!g->n++) {
        snprintf(g->rule, sizeof g->rule, "%s", f->rule_id);
        snprintf(g->secret, sizeof g->secret, "%.*s", (int)f->secret_len, f->secret);
        snprintf(g->reason, sizeof g->reason, "%s", f->reason);
        g->conf = f->confidence;
    }
    return 0;
}

static got scan_with(ward_engine *e, const char *text)
{
    got g;
    memset(&g, 0, sizeof g);
    ward_scanner *s;
    if (ward_scanner_new(e, &s) == WARD_OK) {
        ward_scan_buffer(s, text, strlen(text), "app.conf", collect, &g);
        ward_scanner_free(s);
    }
    return g;
}

static ward_engine *E, *B; /* the test config; the built-in catalog */

static const char *fake(const char *tmpl, uint64_t seed, char *out, size_t cap)
{
    size_t len, so, sl;
    uint64_t st = seed * 0x9e3779b97f4a7c15ull;
    if (ward_example_expand(tmpl, &st, out, cap, &len, &so, &sl) != WARD_OK)
        out[0] = '\0';
    return out;
}

/* Each of 4 expansions of tmpl gives exactly one finding, of rule at conf,
 * whose reason contains reason (when given). */
static void expect(ward_engine *e, const char *tmpl, const char *rule, ward_confidence conf,
                   const char *reason)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        char text[512];
        fake(tmpl, seed, text, sizeof text);
        got g = scan_with(e, text);
        if (g.n != 1 || strcmp(g.rule, rule) || g.conf != conf ||
            (reason && !strstr(g.reason, reason))) {
            fprintf(stderr, "in: %s\n  want one %s at %s (%s)\n  got %d, first %s at %s (%s)\n",
                    text, rule, ward_confidence_name(conf), reason ? reason : "any", g.n,
                    g.rule, ward_confidence_name(g.conf), g.reason);
            check_current_failed_ = 1;
            return;
        }
    }
}

static void expect_none(ward_engine *e, const char *tmpl)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        char text[512];
        fake(tmpl, seed, text, sizeof text);
        got g = scan_with(e, text);
        if (g.n) {
            fprintf(stderr, "in: %s\n  want nothing, got %s at %s (%s)\n", text, g.rule,
                    ward_confidence_name(g.conf), g.reason);
            check_current_failed_ = 1;
            return;
        }
    }
}

static void documented_shape(void)
{
    /* tkn_ + 30 base62 + 6 CRC characters, as GitHub's tokens */
    expect(E, "key = \"tkn_%{crc62:30}\"", "tok", WARD_CONF_HIGH, "checksum valid");
}

static void failed_checksum_is_low_not_dropped(void)
{
    expect(E, "key = \"tkn_%{a62:36}\"", "tok", WARD_CONF_LOW, "checksum mismatch");
    /* and the loose tier does not lift it back to medium */
    expect(E, "tkn_%{a62:36}", "tok", WARD_CONF_LOW, "checksum mismatch");
}

static void other_length_or_alphabet_is_medium(void)
{
    expect(E, "key = \"tkn_%{a62:24}\"", "tok", WARD_CONF_MEDIUM, LOOSE_REASON);
    expect(E, "key = \"tkn_%{a62:50}\"", "tok", WARD_CONF_MEDIUM, LOOSE_REASON);
    expect(E, "key = \"tkn_%{b64url:40}\"", "tok", WARD_CONF_MEDIUM, LOOSE_REASON);
}

static void loose_tier_keeps_the_filters(void)
{
    expect_none(E, "key = \"tkn_%{a62:8}\"");                 /* too short for either */
    expect_none(E, "key = \"tkn_XXXXXXXXXXXXXXXXXXXXXXXX\""); /* placeholder */
    expect_none(E, "key = \"tkn_your_token_goes_here\"");     /* placeholder */
    expect_none(E, "name = tkn_config_registry_value_name");  /* words, not a token */
    /* an allowlisted documented token is not reported by the loose tier */
    expect_none(E, "key = \"tkn_0000%{a62:32}\"");
    expect_none(E, "key = \"tkn_0000%{a62:20}\"");
}

static void builtin_loose_tiers(void)
{
    static const struct {
        const char *tmpl, *rule;
    } cases[] = {
        {"GITHUB_TOKEN=ghp_%{a62:30}", "github-pat"},
        {"GITHUB_TOKEN=ghp_%{a62:40}", "github-pat"},
        {"token: gho_%{a62:30}", "github-oauth-token"},
        {"token: github_pat_%{a62:70}", "github-fine-grained-pat"},
        {"GITLAB_TOKEN=glpat-%{a62:14}", "gitlab-pat"},
        {"SLACK_TOKEN=xoxb-%{a62:30}", "slack-bot-token"},
        {"SLACK_TOKEN=xoxp-%{digit:10}-%{a62:24}", "slack-user-token"},
        {"stripe.api_key = \"sk_live_%{a62:12}\"", "stripe-live-secret-key"},
        {"NPM_TOKEN=npm_%{a62:24}", "npm-access-token"},
        {"SENDGRID_API_KEY=SG.%{b64url:16}.%{b64url:30}", "sendgrid-api-key"},
        {"OPENAI_API_KEY=sk-proj-%{a62:24}", "openai-project-key"},
        {"ANTHROPIC_API_KEY=sk-ant-api03-%{b64url:60}", "anthropic-api-key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect(B, cases[i].tmpl, cases[i].rule, WARD_CONF_MEDIUM, LOOSE_REASON);
    /* identifiers with a provider's prefix are not tokens */
    expect_none(B, "echo $npm_config_registry_user_agent_string");
    expect_none(B, "x = ghp_token_prefix_length_checker");
}

typedef struct many {
    int n;
    char rule[8][64], reason[8][128];
    ward_confidence conf[8];
} many;

static int collect_all(const ward_finding *f, void *user)
{
    many *m = user;
    if (m->n < 8) {
        snprintf(m->rule[m->n], sizeof m->rule[0], "%s", f->rule_id);
        snprintf(m->reason[m->n], sizeof m->reason[0], "%s", f->reason);
        m->conf[m->n] = f->confidence;
    }
    m->n++;
    return 0;
}

/* The finding of rule in the expansion of tmpl (seed 1..4) has conf and a
 * reason containing reason; want_n findings in all. */
static void expect_in(const char *tmpl, int want_n, const char *rule, ward_confidence conf,
                      const char *reason)
{
    ward_scanner *sc;
    if (ward_scanner_new(B, &sc) != WARD_OK) {
        check_current_failed_ = 1;
        return;
    }
    for (uint64_t seed = 1; seed <= 4; seed++) {
        char text[4096];
        fake(tmpl, seed, text, sizeof text);
        many m;
        memset(&m, 0, sizeof m);
        ward_scan_buffer(sc, text, strlen(text), "creds.txt", collect_all, &m);
        int k = 0;
        while (k < m.n && k < 8 && strcmp(m.rule[k], rule))
            k++;
        if (m.n != want_n || k == m.n || m.conf[k] != conf || !strstr(m.reason[k], reason)) {
            fprintf(stderr, "in: %s\n  want %d finding(s), %s at %s (%s)\n  got %d:", text,
                    want_n, rule, ward_confidence_name(conf), reason, m.n);
            for (int i = 0; i < m.n && i < 8; i++)
                fprintf(stderr, " %s at %s (%s);", m.rule[i], ward_confidence_name(m.conf[i]),
                        m.reason[i]);
            fprintf(stderr, "\n");
            check_current_failed_ = 1;
            break;
        }
    }
    ward_scanner_free(sc);
}

static void identifiers_are_medium_and_say_what_they_are(void)
{
    expect_in("TWILIO_ACCOUNT_SID=AC%{hex:32}\n", 1, "twilio-account-sid", WARD_CONF_MEDIUM,
              "account SID: an identifier");
    expect_in("  \"accountSid\": \"AC%{hex:32}\",\n", 1, "twilio-account-sid",
              WARD_CONF_MEDIUM, "account SID");
    expect_in("TWILIO_API_KEY=SK%{hex:32}\n", 1, "twilio-api-key-sid", WARD_CONF_MEDIUM,
              "API key SID: an identifier");
    /* the AWS access key ID stays high, whatever its account encoding */
    expect_in("aws_access_key_id = AKIA%{b32:16}\n", 1, "aws-access-key-id", WARD_CONF_HIGH,
              "");
    /* with 0, 1, 8 or 9 it is not base32: another alphabet, medium */
    expect_in("aws_access_key_id = AKIA%{upper:8}0189%{upper:4}\n", 1, "aws-access-key-id",
              WARD_CONF_MEDIUM, LOOSE_REASON);
}

static void secrets_pair_with_their_identifiers(void)
{
    expect_in("TWILIO_AUTH_TOKEN=%{hex:32}\n", 1, "twilio-auth-token", WARD_CONF_MEDIUM, "");
    expect_in("TWILIO_ACCOUNT_SID=AC%{hex:32}\nTWILIO_AUTH_TOKEN=%{hex:32}\n", 2,
              "twilio-auth-token", WARD_CONF_HIGH, "paired with twilio-account-sid");
    expect_in("TWILIO_AUTH_TOKEN=%{hex:32}\nTWILIO_ACCOUNT_SID=AC%{hex:32}\n", 2,
              "twilio-account-sid", WARD_CONF_MEDIUM, "account SID");
    expect_in("TWILIO_API_KEY=SK%{hex:32}\nTWILIO_API_SECRET=%{a62:32}\n", 2,
              "twilio-api-key-sid", WARD_CONF_MEDIUM, "API key SID");
    expect_in("TWILIO_API_KEY=SK%{hex:32}\nTWILIO_API_SECRET=%{a62:32}\n", 2,
              "twilio-api-key-secret", WARD_CONF_HIGH, "paired with twilio-api-key-sid");
    expect_in("aws_secret_access_key = %{b64:40}\n", 1, "aws-secret-access-key",
              WARD_CONF_MEDIUM, "");
    expect_in("[default]\naws_access_key_id = AKIA%{b32:16}\naws_secret_access_key = "
              "%{b64:40}\n",
              2, "aws-secret-access-key", WARD_CONF_HIGH, "paired with aws-access-key-id");
    /* too far apart to be one pair */
    char far[4096];
    snprintf(far, sizeof far, "aws_access_key_id = AKIA%%{b32:16}\n%*s\n"
                              "aws_secret_access_key = %%{b64:40}\n", 1200, "");
    expect_in(far, 2, "aws-secret-access-key", WARD_CONF_MEDIUM, "");
}

static void words_in_a_token_are_not_high(void)
{
    const char *r = "stripe-live-secret-key", *why = "readable words";
    expect_in("STRIPE_KEY=sk_live_%{a62:24}\n", 1, r, WARD_CONF_HIGH, "");
    expect_in("STRIPE_KEY=sk_" "live_checkingLengthIsOkay%{a62:8}\n", 1, r, WARD_CONF_MEDIUM, why);
    expect_in("STRIPE_KEY=sk_live_%{digit:4}checkingLength%{digit:4}%{a62:8}\n", 1, r, WARD_CONF_MEDIUM,
              why);
    expect_in("STRIPE_KEY=sk_live_abcdefgh%{a62:16}\n", 1, r, WARD_CONF_MEDIUM, why);
    expect_in("STRIPE_KEY=sk_live_%{a62:20}test\n", 1, r, WARD_CONF_MEDIUM, why);
    /* a valid checksum does not make a made-up token real */
    expect_in("GITHUB_TOKEN=ghp_%{a62:30}\n", 1, "github-pat", WARD_CONF_MEDIUM, "");
}

/* Random tokens seldom look made up: under 1 in 1000 of 36 base62. */
static void random_tokens_have_no_words(void)
{
    int hits = 0;
    uint64_t st = 42;
    for (int i = 0; i < 20000; i++) {
        char t[64];
        size_t len, so, sl;
        ward_example_expand("%{a62:36}", &st, t, sizeof t, &len, &so, &sl);
        hits += ward_token_has_words(t, len);
    }
    if (hits > 20)
        fprintf(stderr, "%d of 20000 random tokens have words\n", hits);
    CHECK(hits <= 20);
}

static void published_samples_are_placeholders(void)
{
    /* Built from pieces so that no scanner reads a token here. */
    static const char *const parts[][2] = {
        {"sk_test_", "4eC39HqLyjWDarjtT1zdp7dc"},
        {"ghp_", "16C7e42F292c6912E7710c838347Ae178B4a"},
        {"AIza", "SyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"},
        {"xoxb-", "17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"},
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        char line[256];
        snprintf(line, sizeof line, "key = \"%s%s\"\n", parts[i][0], parts[i][1]);
        got g = scan_with(B, line);
        if (g.n)
            fprintf(stderr, "sample %zu reported: %s (%s)\n", i, g.rule, g.reason);
        CHECK_INT(g.n, 0);
        CHECK(ward_is_placeholder(line + 7, strlen(line + 7) - 2));
    }
}

static void bad_loose_is_an_error(void)
{
    static const char *const cfgs[] = {
        "[[rules]]\nid = \"r\"\nloose = '''x('''\nregex = '''x'''\n",
        "[[rules]]\nid = \"r\"\nloose = '''x'''\npath = '''x'''\n",
        "[[rules]]\nid = \"r\"\nloose = \"\"\nregex = '''x'''\n",
    };
    static const char *const says[] = {"bad 'loose' regex", "needs 'regex'", "non-empty"};
    for (size_t i = 0; i < 3; i++) {
        ward_engine_options o = WARD_INIT(ward_engine_options);
        o.config_text = cfgs[i];
        o.config_len = strlen(cfgs[i]);
        o.no_default_rules = 1;
        o.cache_dir = "";
        ward_engine *e = NULL;
        char err[256] = "";
        ward_status st = ward_engine_new(&o, &e, err, sizeof err);
        if (st != WARD_ECONFIG || !strstr(err, says[i])) {
            fprintf(stderr, "case %zu: status %d, error '%s'\n", i, (int)st, err);
            check_current_failed_ = 1;
        }
        ward_engine_free(e);
    }
}

int main(void)
{
    char err[256] = "";
    if (rules_engine(CONFIG, &E, NULL) || ward_engine_new(NULL, &B, err, sizeof err)) {
        fprintf(stderr, "catalog: %s\n", err);
        return 1;
    }
    CHECK(ward_engine_warning(E, 0) == NULL);
    RUN(documented_shape);
    RUN(failed_checksum_is_low_not_dropped);
    RUN(other_length_or_alphabet_is_medium);
    RUN(loose_tier_keeps_the_filters);
    RUN(builtin_loose_tiers);
    RUN(identifiers_are_medium_and_say_what_they_are);
    RUN(secrets_pair_with_their_identifiers);
    RUN(words_in_a_token_are_not_high);
    RUN(random_tokens_have_no_words);
    RUN(published_samples_are_placeholders);
    RUN(bad_loose_is_an_error);
    ward_engine_free(E);
    ward_engine_free(B);
    return check_summary();
}
