/* test_filter.c - the generic rule's randomness model, its file- and
 * line-aware filters, and secrets found inside encoded text (base64,
 * percent-encoding, string escapes).  Tokens are made from templates at
 * run time, so no realistic one is stored here. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ward.h>

#include "check.h"
#include "encoded.h"

static uint64_t seed = 42;

static char *fake(const char *tmpl)
{
    static char bufs[8][512];
    static int k;
    char *out = bufs[k++ & 7];
    size_t n, so, sl;
    if (ward_example_expand(tmpl, &seed, out, 512, &n, &so, &sl) != WARD_OK)
        out[0] = '\0';
    return out;
}

int ward_is_generic_noise(const char *s, size_t len); /* lib/internal.h */

static void test_resource_ids_are_noise(void)
{
    /* A Twilio SID names a resource; the same shape with other letters or
     * a random token of that length is not an id. */
    const char *sid = fake("SK%{hex:32}"), *acct = fake("AC%{hex:32}");
    const char *tok = fake("%{a62:34}");
    CHECK(ward_is_generic_noise(sid, strlen(sid)));
    CHECK(ward_is_generic_noise(acct, strlen(acct)));
    CHECK(!ward_is_generic_noise(tok, strlen(tok)));
}

static void test_random_model(void)
{
    /* words and identifiers are not random */
    CHECK(!ward_looks_random("SuperSecretPassword", 19));
    CHECK(!ward_looks_random("get_user_token", 14));
    CHECK(!ward_looks_random("correcthorsebatterystaple", 25));
    CHECK(!ward_looks_random("ThisIsMyPasswordForProduction", 29));
    CHECK(!ward_looks_random("administrator", 13));
    /* hex and digits need more length */
    CHECK(!ward_looks_random("deadbeef1234", 12));
    CHECK(!ward_looks_random("1234567890123456", 16));
    CHECK(ward_looks_random("9f86d081884c7d659a2feaa0", 24));
    /* random tokens are, whatever their alphabet; 200 of each */
    const char *tmpls[] = {"%{a62:24}", "%{a62:12}%{digit:2}%{a62:12}", "%{lalnum:20}",
                           "%{b64url:32}", "%{hex:32}", "%{ualnum:24}"};
    for (size_t t = 0; t < sizeof tmpls / sizeof *tmpls; t++) {
        int miss = 0;
        for (int i = 0; i < 200; i++) {
            const char *v = fake(tmpls[t]);
            if (!ward_looks_random(v, strlen(v))) {
                fprintf(stderr, "not random: %s\n", v);
                miss++;
            }
        }
        if (miss > 2)
            fprintf(stderr, "%s: %d of 200 not random\n", tmpls[t], miss);
        CHECK(miss <= 2);
    }
}

static void test_path_noise(void)
{
    const char *noisy[] = {"package-lock.json", "app/yarn.lock", "web/pnpm-lock.yaml",
                           "Cargo.lock", "poetry.lock", "svc/go.sum", "composer.lock",
                           "Gemfile.lock", "dist/app.min.js", "static/site.min.css",
                           "dist/app.js.map", "assets/logo.svg", "test/fixtures/user.json",
                           "src/__fixtures__/a.ts", "pkg/testdata/config.yaml",
                           "lib/dom.d.ts", "apis/kms-2014-11-01.examples.json"};
    for (size_t i = 0; i < sizeof noisy / sizeof *noisy; i++) {
        if (!ward_generic_path_noise(noisy[i]))
            fprintf(stderr, "not noise: %s\n", noisy[i]);
        CHECK(ward_generic_path_noise(noisy[i]));
    }
    const char *plain[] = {"src/app.js", "config/settings.yaml", ".env", "lock.go",
                           "docs/fixtures.md", "testdata.json", "src/min.js", NULL};
    for (size_t i = 0; plain[i]; i++)
        CHECK(!ward_generic_path_noise(plain[i]));
    CHECK(!ward_generic_path_noise(NULL));
}

static void test_line_noise(void)
{
    /* a minified bundle line: long, next to no whitespace */
    char min[3000];
    size_t n = 0;
    while (n + 40 < sizeof min)
        n += (size_t)snprintf(min + n, sizeof min - n, "var a%zu=function(){return b(c,d)};", n);
    CHECK(ward_generic_line_noise(min, n, 100, 20));
    /* a long but ordinary line is not */
    char prose[3000];
    for (size_t i = 0; i < sizeof prose; i++)
        prose[i] = i % 6 == 5 ? ' ' : 'a';
    CHECK(!ward_generic_line_noise(prose, sizeof prose, 100, 20));
    const char *img = "icon: \"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB\"";
    CHECK(ward_generic_line_noise(img, strlen(img), 30, 20));
    const char *svg = "<path d=\"M10 10 L20 20\" token=\"abc\"/>";
    CHECK(ward_generic_line_noise(svg, strlen(svg), 31, 3));
    const char *ok = "password = \"x8Jf2kLq9ZpT4wYb\"";
    CHECK(!ward_generic_line_noise(ok, strlen(ok), 12, 16));
    /* only the secret's own line counts */
    char two[1200];
    int k = snprintf(two, sizeof two, "token = abcdef\n");
    memset(two + k, 'x', sizeof two - (size_t)k);
    CHECK(!ward_generic_line_noise(two, sizeof two, 8, 6));
}

static void test_base64_decoder(void)
{
    unsigned char out[64];
    size_t n = ward_b64_decode_any("aGVsbG8gd29ybGQ=", 16, out, sizeof out);
    CHECK_INT(n, 11);
    CHECK(!memcmp(out, "hello world", 11));
    n = ward_b64_decode_any("-_-_", 4, out, sizeof out); /* URL-safe */
    CHECK_INT(n, 3);
    CHECK_INT(out[0], 0xfb);
    CHECK_INT(ward_b64_decode_any("ab$d", 4, out, sizeof out), (size_t)-1);
}

/* ---- the scanner with the built-in catalog ---------------------------- */

typedef struct got {
    int n;
    char rule[8][64], enc[8][16], secret[8][128];
    uint64_t off[8], len[8], line[8];
} got;

static int collect(const ward_finding *f, void *user)
{
    got *g = user;
    if (g->n < 8) {
        snprintf(g->rule[g->n], 64, "%s", f->rule_id);
        snprintf(g->enc[g->n], 16, "%s", f->encoding ? f->encoding : "-");
        snprintf(g->secret[g->n], 128, "%.*s", (int)f->secret_len, f->secret);
        g->off[g->n] = f->offset;
        g->len[g->n] = f->length;
        g->line[g->n] = f->line;
    }
    g->n++;
    return 0;
}

static ward_engine *eng;

static got scan_path(const char *text, const char *path, int depth)
{
    got g;
    memset(&g, 0, sizeof g);
    ward_scanner *s;
    if (ward_scanner_new(eng, &s) == WARD_OK) {
        if (depth >= 0)
            ward_scanner_set_decode(s, depth, 0);
        ward_scan_buffer(s, text, strlen(text), path, collect, &g);
        ward_scanner_free(s);
    }
    return g;
}

static got scan(const char *text) { return scan_path(text, "x.txt", -1); }

/* The generic rule on short random values, identifiers and settings: what
 * a value of 12 to 23 characters needs, camelCase and pointer types, names
 * that make a value a setting, elided examples. */
static void test_generic_short_values_and_identifiers(void)
{
    char text[256];
    /* random values of 12 and 16 characters are found (a fixed 3.5-bit
     * entropy threshold found 3 in 10 of 12, 9 in 10 of 16; letters-only
     * values that read as camelCase are still lost); 200 of each */
    const char *tmpls[] = {"api_secret = \"%{a62:12}\"\n", "api_secret = \"%{a62:16}\"\n"};
    const int want[] = {175, 188};
    for (size_t t = 0; t < 2; t++) {
        int found = 0;
        for (int i = 0; i < 200; i++)
            found += scan(fake(tmpls[t])).n == 1;
        fprintf(stderr, "%s: %d of 200 found\n", tmpls[t], found);
        CHECK(found >= want[t]);
    }
    /* under 12 characters the threshold stays: badge tokens, names */
    CHECK_INT(scan(fake("badge.svg?token=%{a62:10}\n")).n, 0);
    /* type names and camelCase identifiers are not secrets */
    const char *names[] = {"curtoken: TldScriptToken;\n", "passwd: HTTPPasswordMgr\n",
                           "token = isNotArrowToken;\n", "private_key: \"_RSAPrivateKey\",\n",
                           "FPassword: TSQLStringType;\n", "PWD_CONFIGW = ^_WD_CONFIGW;\n",
                           "password = config.database.password\n"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        int n = scan(names[i]).n;
        if (n)
            fprintf(stderr, "flagged: %s", names[i]);
        CHECK_INT(n, 0);
    }
    /* letters that change case at every step are random, not camelCase:
     * built here so that no such literal sits in the source */
    char mixed[32];
    for (int i = 0; i < 24; i++)
        mixed[i] = (char)((i % 2 ? 'A' : 'a') + (i * 7 + 3) % 26);
    mixed[24] = '\0';
    snprintf(text, sizeof text, "api_secret = \"%s\"\n", mixed);
    CHECK_INT(scan(text).n, 1);
    /* a name that makes the value a setting about a secret */
    const char *settings[] = {"password_encryption = %{a62:16}\n", "tokenType: \"%{a62:20}\"\n",
                              "SECRET_FILE=%{a62:20}\n", "api_key_name = \"%{a62:20}\"\n"};
    for (size_t i = 0; i < sizeof settings / sizeof *settings; i++)
        CHECK_INT(scan(fake(settings[i])).n, 0);
    CHECK_INT(scan(fake("password_hash_secret = \"%{a62:20}\"\n")).n, 1);
    /* a near miss of a provider's format is left to that provider's rule,
     * also when the rule's prefix has a class in it (EZ[AT]K, EasyPost) */
    CHECK_INT(scan(fake("EASYPOST_API_KEY = \"EZAK%{a62:20}\"\n")).n, 0);
    CHECK_INT(scan(fake("EASYPOST_API_KEY = \"EZTK%{a62:20}\"\n")).n, 0);
    /* an elided example is never a whole secret */
    CHECK_INT(scan(fake("\"nextToken\": \"%{a62:8}...%{a62:8}==\",\n")).n, 0);
}

static void b64(const char *in, char *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(in), k = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)(unsigned char)in[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)in[i + 2];
        out[k++] = a[v >> 18];
        out[k++] = a[(v >> 12) & 63];
        out[k++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
        out[k++] = i + 2 < n ? a[v & 63] : '=';
    }
    out[k] = '\0';
}

static void test_encoded_base64(void)
{
    char tok[64], enc[128], text[512];
    snprintf(tok, sizeof tok, "%s", fake("ghp_%{crc62:30}"));
    b64(tok, enc);
    int pre = snprintf(text, sizeof text, "first\n  gh: %s\n", enc);
    (void)pre;
    got g = scan(text);
    CHECK_INT(g.n, 1);
    CHECK_STR(g.rule[0], "github-pat");
    CHECK_STR(g.enc[0], "base64");
    CHECK_STR(g.secret[0], tok); /* the decoded secret */
    CHECK_INT(g.off[0], 12);     /* at the encoded span */
    CHECK_INT(g.len[0], strlen(enc));
    CHECK_INT(g.line[0], 2);
    /* depth 0: decoding is off */
    g = scan_path(text, "x.txt", 0);
    CHECK_INT(g.n, 0);
    /* an allow comment on the encoded line is honoured */
    snprintf(text, sizeof text, "gh: %s # ward:allow\n", enc);
    CHECK_INT(scan(text).n, 0);
    /* random bytes, an image, a hash: nothing */
    g = scan("img: iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\n"
             "sha: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n");
    CHECK_INT(g.n, 0);
}

static void test_encoded_percent_and_escapes(void)
{
    char tok[64], text[512];
    snprintf(tok, sizeof tok, "%s", fake("ghp_%{crc62:30}"));
    /* percent-encoded JSON in a query string */
    snprintf(text, sizeof text, "cb: https://x.io/cb?state=%%7B%%22token%%22%%3A%%22%s%%22%%7D\n",
             tok);
    got g = scan(text);
    CHECK_INT(g.n, 1);
    CHECK_STR(g.enc[0], "percent");
    CHECK_STR(g.secret[0], tok);
    /* a JSON-escaped underscore splits the token in the original */
    snprintf(text, sizeof text, "{\"cfg\": \"{\\\"t\\\": \\\"ghp\\u005f%s\\\"}\"}\n", tok + 4);
    g = scan(text);
    CHECK_INT(g.n, 1);
    CHECK_STR(g.enc[0], "json-escape");
    CHECK_STR(g.secret[0], tok);
    CHECK_INT(g.off[0], strstr(text, "ghp") - text); /* starts at "ghp" */
    CHECK_INT(g.len[0], 45); /* "ghp" + \u005f (6) + 36 */
    /* a plain token on an escaped line is reported once, not as encoded */
    snprintf(text, sizeof text, "{\"a\": \"x\\ny\", \"t\": \"%s\"}\n", tok);
    g = scan(text);
    CHECK_INT(g.n, 1);
    CHECK_STR(g.enc[0], "-");
    /* a generic secret with an escaped character, in a .env held in a
     * JSON string */
    char val[64];
    snprintf(val, sizeof val, "%s", fake("%{a62:12}%{digit:2}%{a62:12}"));
    snprintf(text, sizeof text,
             "{\"env\": \"HOST=db\\nDB_PASSWORD=%.14s\\u0021%s\\nPORT=5432\"}\n", val,
             val + 14);
    g = scan(text);
    CHECK_INT(g.n, 1);
    CHECK_STR(g.rule[0], "generic-secret");
    CHECK(!strncmp(g.secret[0], val, 14) && g.secret[0][14] == '!');
    CHECK_STR(g.enc[0], "json-escape");
    /* a plain value between escaped quotes (a string in test code) is not */
    snprintf(text, sizeof text, "s = \"{\\\"password\\\": \\\"%s\\\"}\";\n", val);
    CHECK_INT(scan(text).n, 0);
}

static void test_generic_file_aware(void)
{
    char text[256];
    snprintf(text, sizeof text, "DB_PASSWORD = \"%s\"\n",
             fake("%{a62:12}%{digit:2}%{a62:12}"));
    CHECK_INT(scan_path(text, "src/db.py", -1).n, 1);
    CHECK_INT(scan_path(text, "test/fixtures/db.py", -1).n, 0);
    CHECK_INT(scan_path(text, "package-lock.json", -1).n, 0);
    CHECK_INT(scan_path(text, "dist/app.min.js", -1).n, 0);
    /* provider rules stay reported in those files */
    snprintf(text, sizeof text, "GITHUB_TOKEN=%s\n", fake("ghp_%{crc62:30}"));
    CHECK_INT(scan_path(text, "test/fixtures/env", -1).n, 1);
    CHECK_INT(scan_path(text, "dist/app.min.js", -1).n, 1);
    /* word-like values are not generic secrets */
    CHECK_INT(scan("password = \"SuperSecretPassword\"\n").n, 0);
    CHECK_INT(scan("token: get_user_token_value\n").n, 0);
    CHECK_INT(scan("api_key = \"ThisIsMyProductionKey\"\n").n, 0);
    /* resource names and timestamps are not secrets either */
    CHECK_INT(scan("\"SecretId\": \"arn:aws:secretsmanager:us-west-2:123456789012:secret:Db-a1b2c3\"\n").n, 0);
    CHECK_INT(scan("secret_arn: us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3\n").n, 0);
    CHECK_INT(scan("\"PasswordLastUsed\": \"2016-09-08T21:47:36Z\"\n").n, 0);
}

int main(void)
{
    ward_engine_options o = WARD_INIT(ward_engine_options);
    o.cache_dir = "";
    char err[256];
    if (ward_engine_new(&o, &eng, err, sizeof err)) {
        fprintf(stderr, "engine: %s\n", err);
        return 1;
    }
    RUN(test_resource_ids_are_noise);
    RUN(test_random_model);
    RUN(test_path_noise);
    RUN(test_line_noise);
    RUN(test_generic_short_values_and_identifiers);
    RUN(test_base64_decoder);
    RUN(test_encoded_base64);
    RUN(test_encoded_percent_and_escapes);
    RUN(test_generic_file_aware);
    ward_engine_free(eng);
    return check_summary();
}
