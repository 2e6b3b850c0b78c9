/* test_near.c - rules written as `near` (provider names) and `value` (the
 * secret's shape), and the `revoke` key.
 *
 * The loader turns near + value into one regex; these tests plant a fake
 * value (made at run time) in every assignment style the issue lists and
 * check that exactly the value is reported, that Vectorscan took the regex
 * as is (no PCRE2-only fallback), and that near misses stay silent. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ward.h>

#include "check.h"
#include "rules_engine.h"

static const char *CONFIG =
    "[[rules]]\n"
    "id = \"kucoin-secret\"\n"
    "description = \"KuCoin API secret\"\n"
    "near = [\"kucoin\", \"ku_coin\"]\n"
    "value = '''[a-f0-9]{40}'''\n"
    "revoke = \"https://www.kucoin.com/account/api\"\n"
    "[[rules]]\n"
    "id = \"datadog-key\"\n"
    "description = \"Datadog API key\"\n"
    "near = [\"datadog\", \"dd-api\"]\n"
    "value = '''[a-f0-9]{32}'''\n"
    "revoke = \"Organization Settings > API Keys in Datadog\"\n"
    "[[rules]]\n"
    "id = \"sumo-id\"\n"
    "description = \"Sumo Logic access id\"\n"
    "near = [\"sumo\"]\n"
    "value = '''su[a-zA-Z0-9]{12}'''\n"
    "[[rules]]\n"
    "id = \"lob-key\"\n"
    "description = \"Lob API key\"\n"
    "near = [\"lob\"]\n"
    "value = '''[a-f0-9]{24}'''\n";

static ward_engine *E;
static ward_scanner *S;

typedef first_finding got;

static got scan(const char *text)
{
    return scan_first(S, text, "config.txt");
}

static char *fake(const char *tmpl, uint64_t seed)
{
    static char buf[8][128];
    static int k;
    char *out = buf[k++ % 8];
    size_t len, so, sl;
    uint64_t st = seed * 0x9e3779b97f4a7c15ull;
    if (ward_example_expand(tmpl, &st, out, 128, &len, &so, &sl) != WARD_OK)
        out[0] = '\0';
    return out;
}

/* Writes line with its one "%s" replaced by v. */
static void plant(char *out, size_t cap, const char *line, const char *v)
{
    const char *at = strstr(line, "%s");
    if (!at)
        at = line + strlen(line);
    snprintf(out, cap, "%.*s%s%s", (int)(at - line), line, v, *at ? at + 2 : "");
}

/* line holds one "%s": where the value is planted. */
static void expect(const char *rule, const char *tmpl, const char *line)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        const char *v = fake(tmpl, seed);
        char text[512];
        plant(text, sizeof text, line, v);
        got g = scan(text);
        if (g.n != 1 || strcmp(g.rule, rule) || strcmp(g.secret, v)) {
            fprintf(stderr, "want %s [%s] in: %s\n  got %d finding(s), first %s [%s]\n", rule,
                    v, text, g.n, g.rule, g.secret);
            check_current_failed_ = 1;
            return;
        }
    }
}

static void expect_none(const char *tmpl, const char *line)
{
    for (uint64_t seed = 1; seed <= 4; seed++) {
        char text[512];
        plant(text, sizeof text, line, fake(tmpl, seed));
        got g = scan(text);
        if (g.n) {
            fprintf(stderr, "want nothing in: %s\n  got %s [%s]\n", text, g.rule, g.secret);
            check_current_failed_ = 1;
            return;
        }
    }
}

static void vectorscan_takes_the_regex(void)
{
    /* A warning would say a rule fell back to PCRE2 alone. */
    CHECK(ward_engine_warning(E, 0) == NULL);
    if (ward_engine_warning(E, 0))
        fprintf(stderr, "  %s\n", ward_engine_warning(E, 0));
    ward_rule_info r;
    CHECK(ward_engine_rule(E, 0, &r) == WARD_OK);
    CHECK(r.regex && strstr(r.regex, "(?i:ku[_.-]?coin)"));
}

static void assignment_styles(void)
{
    const char *h = "%{hex:40}";
    const char *k = "kucoin-secret";
    expect(k, h, "KUCOIN_API_KEY=%s\n");
    expect(k, h, "export KUCOIN_API_KEY=\"%s\"\n");
    expect(k, h, "kucoinSecret := \"%s\"\n");
    expect(k, h, "    'kucoin_key' => '%s',\n");
    expect(k, h, "KUCOIN_KEY ?= %s\n");
    expect(k, h, "kucoin_secret = `%s`;\n");
    expect(k, h, "let kucoinApiSecret: string = '%s'\n");
    expect(k, h, "ENV[\"KUCOIN_SECRET\"] = \"%s\"\n");
    expect(k, h, "define('KUCOIN_SECRET', '%s');\n");
    expect(k, h, "client.set_kucoin_secret(\"%s\")\n");
    expect(k, h, "https://example.test/?kucoin_key=%s&x=1\n");
    expect(k, h, "Ku_Coin_Key=%s\n");
    expect(k, h, "ku-coin.key = %s\n");
}

static void comparisons(void)
{
    const char *h = "%{hex:40}";
    expect("kucoin-secret", h, "if kucoin_secret == \"%s\" {\n");
    expect("kucoin-secret", h, "if (kucoinSecret !== '%s') throw err;\n");
    expect("kucoin-secret", h, "assert cfg.kucoin_key != \"%s\"\n");
}

static void structured_formats(void)
{
    const char *h = "%{hex:40}";
    const char *k = "kucoin-secret";
    expect(k, h, "kucoin:\n  url: x\nkucoin_api_key: %s\n");                /* YAML */
    expect(k, h, "  kucoin_secret: \"%s\"\n");                                 /* YAML */
    expect(k, h, "{\"kucoin_api_key\": \"%s\", \"x\": 1}\n");                 /* JSON */
    expect(k, h, "{\"kucoinSecret\":\"%s\"}\n");                               /* JSON */
    expect(k, h, "<kucoinApiKey>%s</kucoinApiKey>\n");                         /* XML */
    expect(k, h, "<add key=\"KucoinApiKey\" value=\"%s\" />\n");               /* XML */
    expect(k, h, "<kucoin apiSecret=\"%s\"/>\n");                              /* XML */
    expect(k, h, "kucoin.secret=%s\r\n");                                      /* properties */
    expect(k, h, "\"env\": \"KUCOIN_SECRET=%s\\nOTHER=1\"\n");                 /* escaped */
    expect("datadog-key", "%{hex:32}", "datadog.api_key = %s\n");
    expect("datadog-key", "%{hex:32}", "DATADOG_API_KEY=%s\n");
    expect("sumo-id", "su%{a62:12}", "{\"sumo_access_id\": \"%s\"}\n");
}

static void http_headers(void)
{
    expect("datadog-key", "%{hex:32}", "curl -H 'DD-API-KEY: %s' https://example.test\n");
    expect("datadog-key", "%{hex:32}", "curl -H \"dd-api-key:%s\" https://example.test\n");
}

static void near_misses(void)
{
    /* Longer tokens at either end, the wrong alphabet, no provider name. */
    expect_none("%{hex:41}", "KUCOIN_API_KEY=%s\n");
    expect_none("%{hex:40}", "KUCOIN_API_KEY=z%s\n");
    expect_none("%{hex:40}", "KUCOIN_API_KEY=\"%sz\"\n");
    expect_none("%{HEX:40}", "KUCOIN_API_KEY=%s\n");
    expect_none("%{hex:40}", "API_KEY=%s\n");
    expect_none("%{hex:40}", "commit %s kucoin\n");
    /* A short name is not matched inside a word. */
    expect_none("%{hex:24}", "global_key = \"%s\"\n");
    expect("lob-key", "%{hex:24}", "LOB_API_KEY = \"%s\"\n");
    expect("lob-key", "%{hex:24}", "my_lob_key: %s\n");
}

static void revoke_reaches_findings(void)
{
    char text[256];
    snprintf(text, sizeof text, "KUCOIN_SECRET=%s\n", fake("%{hex:40}", 7));
    got g = scan(text);
    CHECK_INT(g.n, 1);
    CHECK_STR(g.revoke, "https://www.kucoin.com/account/api");
    ward_rule_info r;
    CHECK(ward_engine_rule(E, 0, &r) == WARD_OK);
    CHECK_STR(r.revoke, "https://www.kucoin.com/account/api");
    CHECK(ward_engine_rule(E, 2, &r) == WARD_OK);
    CHECK(r.revoke == NULL);
    snprintf(text, sizeof text, "SUMO_ACCESS_ID=%s\n", fake("su%{a62:12}", 7));
    g = scan(text);
    CHECK_INT(g.n, 1);
    CHECK(g.revoke == NULL);
}

static ward_status load(const char *config, char *err, size_t errlen)
{
    ward_engine_options o = WARD_INIT(ward_engine_options);
    o.config_text = config;
    o.config_len = strlen(config);
    o.no_default_rules = 1;
    o.cache_dir = "";
    ward_engine *e = NULL;
    ward_status st = ward_engine_new(&o, &e, err, errlen);
    ward_engine_free(e);
    return st;
}

static void bad_rules_are_errors(void)
{
    static const struct {
        const char *body, *says;
    } cases[] = {
        {"near = [\"x1234\"]\n", "'near' and 'value' go together"},
        {"value = '''[a-f0-9]{40}'''\n", "'near' and 'value' go together"},
        {"near = [\"kucoin\"]\nvalue = '''[a-f]{4}'''\nregex = '''x'''\n", "not both"},
        {"near = [\"ku coin\"]\nvalue = '''[a-f]{4}'''\n", "not ' '"},
        {"near = [\"ku(coin\"]\nvalue = '''[a-f]{4}'''\n", "not '('"},
        {"near = []\nvalue = '''[a-f]{4}'''\n", "at least one"},
        {"near = [\"kucoin\"]\nvalue = \"\"\n", "non-empty"},
        {"near = [\"kucoin\"]\nvalue = '''[a-f]{4}'''\nsecretGroup = 2\n", "secretGroup"},
        {"regex = '''x'''\nrevoke = \"two\\nlines\"\n", "one line"},
        {"regex = '''x'''\nrevoke = \"\"\n", "one line"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char cfg[512], err[256] = "";
        snprintf(cfg, sizeof cfg, "[[rules]]\nid = \"r\"\n%s", cases[i].body);
        ward_status st = load(cfg, err, sizeof err);
        if (st != WARD_ECONFIG || !strstr(err, cases[i].says)) {
            fprintf(stderr, "case %zu: status %d, error '%s', want '%s'\n", i, (int)st, err,
                    cases[i].says);
            check_current_failed_ = 1;
        }
    }
}

int main(void)
{
    if (rules_engine(CONFIG, &E, &S))
        return 1;
    RUN(vectorscan_takes_the_regex);
    RUN(assignment_styles);
    RUN(comparisons);
    RUN(structured_formats);
    RUN(http_headers);
    RUN(near_misses);
    RUN(revoke_reaches_findings);
    RUN(bad_rules_are_errors);
    ward_scanner_free(S);
    ward_engine_free(E);
    return check_summary();
}
