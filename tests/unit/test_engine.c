/* test_engine.c - the engine and scanner: rules from config text, spans,
 * positions, filters, allowlists, overlaps, errors.  Rules here come from
 * small configs written for each test, so these tests do not depend on the
 * built-in catalog (test_rules.c covers that). */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <ward.h>

#include "check.h"

typedef struct got {
    int n;
    char rule[8][64];
    char secret[8][256];
    ward_finding f[8];
} got;

static int collect(const ward_finding *f, void *user)
{
    got *g = user;
    if (g->n < 8) {
        snprintf(g->rule[g->n], sizeof g->rule[0], "%s", f->rule_id);
        snprintf(g->secret[g->n], sizeof g->secret[0], "%.*s", (int)f->secret_len, f->secret);
        g->f[g->n] = *f;
        g->f[g->n].secret = NULL; /* views die with the call */
        g->f[g->n].line_text = NULL;
    }
    g->n++;
    return 0;
}

static ward_engine *engine(const char *config, int no_default)
{
    ward_engine_options o = WARD_INIT(ward_engine_options);
    o.config_text = config;
    o.config_len = strlen(config);
    o.no_default_rules = no_default;
    o.cache_dir = "";
    ward_engine *e = NULL;
    char err[256];
    ward_status st = ward_engine_new(&o, &e, err, sizeof err);
    if (st)
        fprintf(stderr, "engine: %s\n", err);
    /* Every config here is valid: an engine that fails to load fails the
     * test, rather than passing each "finds nothing" check below. */
    CHECK_INT(st, WARD_OK);
    CHECK(e != NULL);
    return e;
}

static got scan(ward_engine *e, const char *text, const char *path)
{
    got g;
    memset(&g, 0, sizeof g);
    ward_scanner *s = NULL;
    ward_status st = ward_scanner_new(e, &s);
    CHECK_INT(st, WARD_OK);
    if (st == WARD_OK) {
        CHECK_INT(ward_scan_buffer(s, text, strlen(text), path, collect, &g), WARD_OK);
        ward_scanner_free(s);
    }
    return g;
}

static const char *TOK_RULE = "[[rules]]\nid = \"tok\"\ndescription = \"test token\"\n"
                              "regex = '''\\btok_([a-z0-9]{16})\\b'''\n";

static void test_spans_and_positions(void)
{
    ward_engine *e = engine(TOK_RULE, 1);
    CHECK(e != NULL);
    got g = scan(e, "first line\n  x = tok_a1b2c3d4e5f6g7h8\r\nand tok_9z8y7x6w5v4u3t2s end\n",
                 "f.txt");
    CHECK_INT(g.n, 2);
    CHECK_STR(g.secret[0], "a1b2c3d4e5f6g7h8"); /* the capture group, not the match */
    CHECK_INT(g.f[0].line, 2);
    CHECK_INT(g.f[0].column, 11);
    CHECK_INT(g.f[0].end_column, 27);
    CHECK_INT(g.f[0].offset, 21);
    CHECK_INT(g.f[0].match_offset, 17);
    CHECK_INT(g.f[1].line, 3);
    CHECK_INT(g.f[1].column, 9);
    CHECK_STR(g.f[0].path, "f.txt");
    CHECK_STR(g.f[0].rule_id, "tok");
    CHECK_INT(g.f[0].confidence, WARD_CONF_MEDIUM);
    ward_engine_free(e);
}

static void test_fingerprint_is_positional_independent(void)
{
    ward_engine *e = engine(TOK_RULE, 1);
    got a = scan(e, "tok_a1b2c3d4e5f6g7h8\n", NULL);
    got b = scan(e, "\n\n\n   tok_a1b2c3d4e5f6g7h8 tok_q1w2e3r4t5y6u7i8\n", NULL);
    CHECK_INT(a.n, 1);
    CHECK_INT(b.n, 2);
    CHECK_STR(a.f[0].fingerprint, b.f[0].fingerprint);
    CHECK(strcmp(b.f[0].fingerprint, b.f[1].fingerprint) != 0);
    CHECK_INT(strlen(a.f[0].fingerprint), WARD_FINGERPRINT_LEN);
    ward_engine_free(e);
}

static void test_placeholders_filtered(void)
{
    ward_engine *e = engine(TOK_RULE, 1);
    got g = scan(e, "tok_xxxxxxxxxxxxxxxx\ntok_abcdefghijklmnop\ntok_0000000000000000\n"
                    "tok_yourkeyhere12345\n",
                 NULL);
    CHECK_INT(g.n, 0);
    ward_engine_free(e);
}

static void test_inline_allow_comments(void)
{
    ward_engine *e = engine(TOK_RULE, 1);
    got g = scan(e, "a = tok_a1b2c3d4e5f6g7h8 # ward:allow\n"
                    "b = tok_a1b2c3d4e5f6g7h9 // gitleaks:allow\n"
                    "c = tok_a1b2c3d4e5f6g7h0 # pragma: allowlist secret\n"
                    "d = tok_a1b2c3d4e5f6g7h1\n",
                 NULL);
    CHECK_INT(g.n, 1);
    CHECK_STR(g.secret[0], "a1b2c3d4e5f6g7h1");
    ward_engine_free(e);
}

static void test_rule_allowlists(void)
{
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "%s[[rules.allowlists]]\nstopwords = [\"C3D4\"]\n"
             "[[rules.allowlists]]\nregexTarget = \"line\"\nregexes = ['''^skip:''']\n"
             "[[rules.allowlists]]\ncondition = \"AND\"\npaths = ['''^docs/''']\n"
             "regexes = ['''^q''']\n",
             TOK_RULE);
    ward_engine *e = engine(cfg, 1);
    CHECK(e != NULL);
    /* stopwords match case-insensitively inside the secret */
    got g = scan(e, "tok_a1b2c3d4e5f6g7h8\n", NULL);
    CHECK_INT(g.n, 0);
    g = scan(e, "skip: tok_z1b2x3d4e5f6g7h8\nkeep: tok_z1b2x3d4e5f6g7h8\n", NULL);
    CHECK_INT(g.n, 1);
    CHECK_INT(g.f[0].line, 2);
    /* AND: both the path and the regex must hold */
    g = scan(e, "tok_q1b2x3d4e5f6g7h8\n", "docs/readme.md");
    CHECK_INT(g.n, 0);
    g = scan(e, "tok_q1b2x3d4e5f6g7h8\n", "src/main.c");
    CHECK_INT(g.n, 1);
    g = scan(e, "tok_z1b2x3d4e5f6g7h8\n", "docs/readme.md");
    CHECK_INT(g.n, 1);
    ward_engine_free(e);
}

static void test_global_allowlist_and_target_rules(void)
{
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "%s[[rules]]\nid = \"other\"\nregex = '''\\bzzz_([a-z0-9]{16})\\b'''\n"
             "[[allowlists]]\ntargetRules = [\"tok\"]\npaths = ['''fixtures/''']\n",
             TOK_RULE);
    ward_engine *e = engine(cfg, 1);
    got g = scan(e, "tok_a1b2c3d4e5f6g7h8 zzz_a1b2c3d4e5f6g7h8\n", "test/fixtures/x");
    CHECK_INT(g.n, 1);
    CHECK_STR(g.rule[0], "other");
    ward_engine_free(e);
    e = engine("[allowlist]\npaths = ['''\\.lock$''']\n", 0);
    CHECK(e != NULL); /* an allowlist-only config extends the built-in catalog */
    CHECK(ward_engine_rule_count(e) > 20);
    ward_engine_free(e);
}

static void test_entropy_and_keywords(void)
{
    ward_engine *e = engine("[[rules]]\nid = \"ent\"\nregex = '''key=([a-z0-9]{12,})'''\n"
                            "entropy = 3.0\nkeywords = [\"KEY=\"]\n",
                            1);
    got g = scan(e, "key=aaaabbbbaaaabbbb\nkey=k3j5h7g9f1d3s5a7\n", NULL);
    CHECK_INT(g.n, 1);
    CHECK_STR(g.secret[0], "k3j5h7g9f1d3s5a7");
    CHECK(g.f[0].entropy > 3.0);
    ward_engine_free(e);
}

static void test_overlap_prefers_confident_rule(void)
{
    ward_engine *e = engine("[[rules]]\nid = \"specific\"\nconfidence = \"high\"\n"
                            "regex = '''\\b(sp_[a-z0-9]{16})'''\n"
                            "[[rules]]\nid = \"broad\"\nconfidence = \"low\"\n"
                            "regex = '''secret\\s*=\\s*\"([^\"]{8,})\"'''\n",
                            1);
    got g = scan(e, "secret = \"sp_a1b2c3d4e5f6g7h8\"\nsecret = \"q8w7e6r5t4y3u2i1\"\n", NULL);
    CHECK_INT(g.n, 2);
    CHECK_STR(g.rule[0], "specific");
    CHECK_STR(g.rule[1], "broad");
    ward_engine_free(e);
}

static void test_generic_leaves_provider_prefixes_alone(void)
{
    /* A value that starts like a provider's token but fails its format is
     * a near miss (a wrong length, a test value), not a secret of unknown
     * kind: the generic rule leaves it to the provider rule. */
    ward_engine *e = engine("[[rules]]\nid = \"acme\"\nregex = '''\\b(acme_[a-z0-9]{20})\\b'''\n"
                            "[[rules]]\nid = \"generic-secret\"\nconfidence = \"low\"\n"
                            "regex = '''secret\\s*=\\s*\"([^\"]{8,})\"'''\n",
                            1);
    got g = scan(e, "secret = \"acme_q8w7e6r5t4y3\"\nsecret = \"Zq8w7e6r5t4y3u2i1\"\n"
                    "secret = \"acme-q8w7e6r5t4y3u2\"\n",
                 NULL);
    CHECK_INT(g.n, 1); /* "acme-" is the same near miss with another separator */
    CHECK_STR(g.rule[0], "generic-secret");
    CHECK_INT(g.f[0].line, 2);
    ward_engine_free(e);
}

static void test_tie_goes_to_more_context(void)
{
    /* Same secret, same confidence: the rule that matched its context
     * stands, whichever comes first in the catalog. */
    ward_engine *e = engine("[[rules]]\nid = \"bare\"\nregex = '''\\b(blk_[a-z0-9]{16})\\b'''\n"
                            "[[rules]]\nid = \"in-json\"\n"
                            "regex = '''\"key\"\\s*:\\s*\"(blk_[a-z0-9]{16})\"'''\n",
                            1);
    got g = scan(e, "{\"key\": \"blk_q8w7e6r5t4y3u2i1\"}\nblk_z8w7e6r5t4y3u2i1\n", NULL);
    CHECK_INT(g.n, 2);
    CHECK_STR(g.rule[0], "in-json");
    CHECK_STR(g.rule[1], "bare");
    ward_engine_free(e);
}

static void test_prefilter_fallback(void)
{
    /* Vectorscan has no lookahead: the rule loads with a warning and PCRE2
     * decides. */
    ward_engine *e = engine("[[rules]]\nid = \"look\"\nregex = '''pw_(?=[a-z]*[0-9])([a-z0-9]{10})'''\n",
                            1);
    CHECK(e != NULL);
    CHECK(ward_engine_warning(e, 0) != NULL);
    got g = scan(e, "pw_abcdefghij pw_abcde1ghij\n", NULL);
    CHECK_INT(g.n, 1);
    CHECK_STR(g.secret[0], "abcde1ghij");
    ward_engine_free(e);
}

static void test_config_errors(void)
{
    ward_engine_options o = WARD_INIT(ward_engine_options);
    ward_engine *e = (ward_engine *)1;
    char err[256];
    o.cache_dir = "";
    o.config_text = "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n";
    o.config_len = strlen(o.config_text);
    CHECK_INT(ward_engine_new(&o, &e, err, sizeof err), WARD_ECONFIG);
    CHECK(e == NULL);
    CHECK(strstr(err, "config:2") != NULL || strstr(err, "config:1") != NULL);
    CHECK(strstr(err, "'x'") != NULL);
    o.config_text = "[[rules]]\nid = \"x\"\nregex = \"a\"\nvalidate = \"nope\"\n";
    o.config_len = strlen(o.config_text);
    CHECK_INT(ward_engine_new(&o, &e, err, sizeof err), WARD_ECONFIG);
    CHECK(strstr(err, "nope") != NULL);
    o.config_text = "title = \"unterminated\n";
    o.config_len = strlen(o.config_text);
    CHECK_INT(ward_engine_new(&o, &e, err, sizeof err), WARD_ECONFIG);
    CHECK(strstr(err, "line 1") != NULL);
    o.config_text = NULL;
    o.config_path = "/nonexistent/ward.toml";
    CHECK_INT(ward_engine_new(&o, &e, err, sizeof err), WARD_ECONFIG);
    CHECK(strstr(err, "cannot open '/nonexistent/ward.toml'") != NULL);
}

static void test_extend_and_disable(void)
{
    ward_engine *base = engine("", 0);
    size_t nb = ward_engine_rule_count(base);
    ward_engine *e = engine("[extend]\nuseDefault = true\ndisabledRules = [\"github-pat\"]\n"
                            "[[rules]]\nid = \"tok\"\nregex = '''tok_[a-z]{4}'''\n",
                            0);
    CHECK(e != NULL);
    CHECK_INT(ward_engine_rule_count(e), nb); /* one added, one disabled */
    int has_gh = 0, has_tok = 0;
    for (size_t i = 0; i < ward_engine_rule_count(e); i++) {
        ward_rule_info r;
        ward_engine_rule(e, i, &r);
        has_gh |= !strcmp(r.id, "github-pat");
        has_tok |= !strcmp(r.id, "tok");
    }
    CHECK(!has_gh);
    CHECK(has_tok);
    CHECK_INT(ward_engine_rule(e, 100000, &(ward_rule_info){0}), WARD_EINVAL);
    ward_engine_free(e);
    ward_engine_free(base);
}

static void test_binary_and_invalid_utf8_bytes(void)
{
    ward_engine *e = engine(TOK_RULE, 1);
    const char buf[] = "\xff\xfe\x00tok_a1b2c3d4e5f6g7h8\x00\xc3\x28";
    got g;
    memset(&g, 0, sizeof g);
    ward_scanner *s;
    ward_scanner_new(e, &s);
    CHECK_INT(ward_scan_buffer(s, buf, sizeof buf - 1, NULL, collect, &g), WARD_OK);
    CHECK_INT(g.n, 1);
    CHECK_INT(g.f[0].offset, 7);
    ward_scanner_free(s);
    ward_engine_free(e);
}

static int stop_at_first(const ward_finding *f, void *user)
{
    (void)f;
    ++*(int *)user;
    return 1;
}

static void test_abort(void)
{
    ward_engine *e = engine(TOK_RULE, 1);
    ward_scanner *s;
    ward_scanner_new(e, &s);
    int n = 0;
    const char *t = "tok_a1b2c3d4e5f6g7h8 tok_q1b2c3d4e5f6g7h8\n";
    CHECK_INT(ward_scan_buffer(s, t, strlen(t), NULL, stop_at_first, &n), WARD_EABORT);
    CHECK_INT(n, 1);
    CHECK_INT(ward_scan_buffer(NULL, t, 1, NULL, stop_at_first, &n), WARD_EINVAL);
    ward_scanner_free(s);
    ward_engine_free(e);
}

static void test_redact(void)
{
    char buf[64];
    CHECK_STR(ward_redact_preview("abcdefghijklmnopqrst", 20, buf, sizeof buf), "abcd…(20 chars)");
    CHECK_STR(ward_redact_preview("abcdefghij", 10, buf, sizeof buf), "ab…(10 chars)");
    CHECK_STR(ward_redact_preview("abc", 3, buf, sizeof buf), "…(3 chars)");
    CHECK_STR(ward_redact_preview("\x01\x02xxxxxxxxxxxxxxxxx", 19, buf, sizeof buf), "??xx…(19 chars)");
    ward_redact_preview("abcdefghijklmnopqrst", 20, buf, 3);
    CHECK_INT(strlen(buf), 2);
}

static void test_strings(void)
{
    CHECK_STR(ward_strerror(WARD_OK), "success");
    CHECK_STR(ward_strerror((ward_status)999), "unknown status");
    CHECK_STR(ward_confidence_name(WARD_CONF_HIGH), "high");
    ward_engine_free(NULL);
    ward_scanner_free(NULL);
}

size_t ward_count_newlines(const char *p, size_t n); /* lib/internal.h */

static void test_count_newlines(void)
{
    /* The word-at-a-time count against the obvious one, on bytes chosen to
     * trip a borrow: newlines next to 0x00, 0x0b, 0x8a and 0xff. */
    static const unsigned char alphabet[] = {'\n', 0x00, 0x0b, 0x8a, 0xff, 0x09, 'a'};
    char buf[300];
    uint64_t x = 7;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        buf[i] = (char)alphabet[(x >> 33) % sizeof alphabet];
    }
    for (size_t off = 0; off < 9; off++)
        for (size_t n = 0; off + n <= sizeof buf; n += 7) {
            size_t want = 0;
            for (size_t i = 0; i < n; i++)
                want += buf[off + i] == '\n';
            if (ward_count_newlines(buf + off, n) != want) {
                fprintf(stderr, "count_newlines(%zu, %zu) is wrong\n", off, n);
                check_current_failed_ = 1;
            }
        }
}

static void test_builtin_starts_without_compiling(void)
{
    /* The built-in catalog loads from the serialised database: no warnings
     * and every rule is in the one Vectorscan database. */
    ward_engine *e = NULL;
    CHECK_INT(ward_engine_new(NULL, &e, NULL, 0), WARD_OK);
    CHECK(ward_engine_warning(e, 0) == NULL);
    CHECK(ward_engine_rule_count(e) >= 40);
    ward_engine_free(e);
}

/* The ABI policy in ward.h: option structs carry their size. */
static int git_finding(const ward_finding *f, const ward_commit *c, void *user)
{
    (void)f, (void)c, (void)user;
    return 0;
}

static void test_abi_sizes(void)
{
    static const char cfg[] = "[[rules]]\nid = \"t\"\nregex = '''tok_[a-z]{8}'''\n";
    ward_engine *e = NULL;
    char err[256];
    /* not set up with WARD_INIT: refused, with a reason */
    ward_engine_options zero = {0};
    CHECK_INT(ward_engine_new(&zero, &e, err, sizeof err), WARD_EINVAL);
    CHECK(e == NULL);
    CHECK(strstr(err, "WARD_INIT") != NULL);
    /* an older caller's smaller struct: the fields it lacks read as zero
     * (decode_depth 0: the default) */
    ward_engine_options old = WARD_INIT(ward_engine_options);
    old.size = offsetof(ward_engine_options, decode_depth);
    old.config_text = cfg;
    old.config_len = strlen(cfg);
    old.no_default_rules = 1;
    old.cache_dir = "";
    old.decode_depth = -1; /* past its size: must not be read */
    CHECK_INT(ward_engine_new(&old, &e, err, sizeof err), WARD_OK);
    /* base64 of "the key is tok_qzmxwkvr here" */
    got g = scan(e, "x = \"dGhlIGtleSBpcyB0b2tfcXpteHdrdnIgaGVyZQ==\"\n", "a.txt");
    CHECK_INT(g.n, 1); /* decoding was on: the default, not the -1 past the size */
    CHECK_INT(g.f[0].size, sizeof(ward_finding));
    CHECK(WARD_HAS(ward_finding, &g.f[0], revoke));
    ward_engine_free(e);
    e = NULL;
    /* a newer caller's larger struct: extra zero bytes are fine, a field
     * this library does not know is refused */
    struct {
        ward_engine_options o;
        int future;
    } newer;
    memset(&newer, 0, sizeof newer);
    newer.o.size = sizeof newer;
    newer.o.config_text = cfg;
    newer.o.config_len = strlen(cfg);
    newer.o.no_default_rules = 1;
    newer.o.cache_dir = "";
    CHECK_INT(ward_engine_new(&newer.o, &e, err, sizeof err), WARD_OK);
    ward_engine_free(e);
    e = NULL;
    newer.future = 1;
    CHECK_INT(ward_engine_new(&newer.o, &e, err, sizeof err), WARD_EINVAL);
    /* the other option structs too */
    CHECK_INT(ward_engine_new(NULL, &e, err, sizeof err), WARD_OK);
    ward_walk_options wo = {0};
    ward_callbacks cb = {collect, NULL, NULL, &g};
    const char *paths[] = {"/dev/null"};
    CHECK_INT(ward_scan_paths(e, paths, 1, &wo, &cb), WARD_EINVAL);
    wo = WARD_INIT(ward_walk_options);
    CHECK_INT(ward_scan_paths(e, paths, 1, &wo, &cb), WARD_OK);
    ward_git_options go = {0};
    ward_git_callbacks gcb = {.on_finding = git_finding};
    CHECK_INT(ward_scan_git(e, ".", &go, &gcb, err, sizeof err), WARD_EINVAL);
    CHECK_INT(ward_scan_staged(e, ".", &go, &gcb, err, sizeof err), WARD_EINVAL);
    ward_engine_free(e);
}

int main(void)
{
    RUN(test_spans_and_positions);
    RUN(test_fingerprint_is_positional_independent);
    RUN(test_placeholders_filtered);
    RUN(test_inline_allow_comments);
    RUN(test_rule_allowlists);
    RUN(test_global_allowlist_and_target_rules);
    RUN(test_entropy_and_keywords);
    RUN(test_overlap_prefers_confident_rule);
    RUN(test_generic_leaves_provider_prefixes_alone);
    RUN(test_tie_goes_to_more_context);
    RUN(test_prefilter_fallback);
    RUN(test_config_errors);
    RUN(test_extend_and_disable);
    RUN(test_binary_and_invalid_utf8_bytes);
    RUN(test_abort);
    RUN(test_redact);
    RUN(test_strings);
    RUN(test_count_newlines);
    RUN(test_builtin_starts_without_compiling);
    RUN(test_abi_sizes);
    return check_summary();
}
