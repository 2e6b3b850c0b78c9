/* test_catalog.c - the compiled catalog (rules.c, written by ward-dbgen)
 * loads exactly what the catalog's TOML loads: every field of every rule,
 * the global allowlists, the engine's database modes and token prefixes;
 * alone, and under configs that extend, override and disable built-in
 * rules.  A rule set with every key survives the round trip through the
 * compiled form, and a damaged blob fails to load without crashing or
 * leaking. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "internal.h"

static const char *what; /* the comparison under way, for messages */

#define SAME(cond, ...) do { \
    if (!(cond)) { \
        fprintf(stderr, "%s: ", what); \
        fprintf(stderr, __VA_ARGS__); \
        fputc('\n', stderr); \
        check_current_failed_ = 1; \
    } } while (0)

static int str_eq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static void same_str(const char *id, const char *field, const char *a, const char *b)
{
    SAME(str_eq(a, b), "rule %s: %s: \"%s\" vs \"%s\"", id, field, a ? a : "(null)",
         b ? b : "(null)");
}

static void same_strv(const char *id, const char *field, char **a, size_t na, char **b,
                      size_t nb)
{
    SAME(na == nb, "rule %s: %s: %zu vs %zu entries", id, field, na, nb);
    for (size_t i = 0; i < na && i < nb; i++)
        same_str(id, field, a[i], b[i]);
}

static void same_codes(const char *id, const char *field, pcre2_code **a, pcre2_code **b,
                       size_t n)
{
    for (size_t i = 0; i < n; i++)
        SAME(a[i] && b[i], "rule %s: %s[%zu] not compiled", id, field, i);
}

static void same_allowlist(const char *id, const ward_allowlist *a, const ward_allowlist *b)
{
    same_str(id, "allowlist description", a->description, b->description);
    SAME(a->condition_and == b->condition_and, "rule %s: allowlist condition", id);
    SAME(a->target == b->target, "rule %s: allowlist regexTarget", id);
    same_strv(id, "allowlist regexes", a->regex_src, a->n_regexes, b->regex_src, b->n_regexes);
    if (a->n_regexes == b->n_regexes)
        same_codes(id, "allowlist regexes", a->regexes, b->regexes, a->n_regexes);
    same_strv(id, "allowlist paths", a->path_src, a->n_paths, b->path_src, b->n_paths);
    if (a->n_paths == b->n_paths)
        same_codes(id, "allowlist paths", a->paths, b->paths, a->n_paths);
    same_strv(id, "stopwords", a->stopwords, a->n_stopwords, b->stopwords, b->n_stopwords);
    same_strv(id, "targetRules", a->target_rules, a->n_target_rules, b->target_rules,
              b->n_target_rules);
    same_strv(id, "commits", a->commits, a->n_commits, b->commits, b->n_commits);
}

/* Every field of ward_rule (internal.h), save the lazily compiled code and
 * the ownership marks. */
static void same_rule(const ward_rule *a, const ward_rule *b, int engine)
{
    const char *id = a->id ? a->id : "?";
    same_str(id, "id", a->id, b->id);
    same_str(id, "description", a->description, b->description);
    same_str(id, "regex", a->regex, b->regex);
    same_str(id, "validator", a->validator_name, b->validator_name);
    SAME(a->validator == b->validator, "rule %s: validator function", id);
    SAME(a->secret_group == b->secret_group, "rule %s: secretGroup", id);
    SAME(!memcmp(&a->entropy, &b->entropy, sizeof a->entropy), "rule %s: entropy %g vs %g", id,
         a->entropy, b->entropy);
    SAME(a->confidence == b->confidence, "rule %s: confidence", id);
    SAME(a->generic == b->generic, "rule %s: generic", id);
    same_strv(id, "keywords", a->keywords, a->n_keywords, b->keywords, b->n_keywords);
    same_str(id, "path", a->path, b->path);
    SAME(!a->path_re == !b->path_re, "rule %s: path regex compiled", id);
    SAME(a->n_allowlists == b->n_allowlists, "rule %s: %zu vs %zu allowlists", id,
         a->n_allowlists, b->n_allowlists);
    for (size_t i = 0; i < a->n_allowlists && i < b->n_allowlists; i++)
        same_allowlist(id, &a->allowlists[i], &b->allowlists[i]);
    same_strv(id, "positive", a->positive, a->n_positive, b->positive, b->n_positive);
    same_strv(id, "negative", a->negative, a->n_negative, b->negative, b->n_negative);
    same_str(id, "revoke", a->revoke, b->revoke);
    same_str(id, "hs_regex", a->hs_regex, b->hs_regex);
    SAME(a->kw_gate == b->kw_gate, "rule %s: kw_gate", id);
    same_str(id, "loose", a->loose, b->loose);
    same_str(id, "reason", a->reason, b->reason);
    same_strv(id, "pairs", a->pairs, a->n_pairs, b->pairs, b->n_pairs);
    same_str(id, "pair_reason", a->pair_reason, b->pair_reason);
    if (engine) {
        SAME(a->hs_mode == b->hs_mode, "rule %s: hs_mode", id);
        SAME(a->max_width == b->max_width, "rule %s: max_width %u vs %u", id, a->max_width,
             b->max_width);
    }
}

static void same_rules(const ward_rule *a, size_t na, const ward_rule *b, size_t nb, int engine)
{
    SAME(na == nb, "%zu vs %zu rules", na, nb);
    for (size_t i = 0; i < na && i < nb; i++)
        same_rule(&a[i], &b[i], engine);
}

static void same_globals(const ward_allowlist *a, size_t na, const ward_allowlist *b, size_t nb)
{
    SAME(na == nb, "%zu vs %zu global allowlists", na, nb);
    for (size_t i = 0; i < na && i < nb; i++)
        same_allowlist("(global)", &a[i], &b[i]);
}

static ward_engine *engine_with(const char *config, int toml)
{
    ward_engine_options o = WARD_INIT(ward_engine_options);
    if (config) {
        o.config_text = config;
        o.config_len = strlen(config);
    }
    o.cache_dir = "";
    if (toml)
        setenv("WARD_CATALOG_TOML", "1", 1);
    ward_engine *e = NULL;
    char err[256] = "";
    ward_status st = ward_engine_new(&o, &e, err, sizeof err);
    unsetenv("WARD_CATALOG_TOML");
    if (st)
        fprintf(stderr, "engine: %s\n", err);
    CHECK_INT(st, WARD_OK);
    return e;
}

/* The engine over the catalog's TOML and the one over its compiled form. */
static void same_engines(const char *config)
{
    ward_engine *t = engine_with(config, 1), *c = engine_with(config, 0);
    if (!t || !c) {
        ward_engine_free(t);
        ward_engine_free(c);
        return;
    }
    same_rules(t->rules, t->n_rules, c->rules, c->n_rules, 1);
    same_globals(t->allowlists, t->n_allowlists, c->allowlists, c->n_allowlists);
    same_strv("(engine)", "prefixes", t->prefixes, t->n_prefixes, c->prefixes, c->n_prefixes);
    SAME(t->max_groups == c->max_groups, "max_groups");
    SAME(t->n_pcre_only == c->n_pcre_only, "rules matched by PCRE2 alone");
    SAME(t->n_warnings == c->n_warnings, "%zu vs %zu warnings", t->n_warnings, c->n_warnings);
    SAME((t->db == NULL) == (c->db == NULL), "database");
    ward_engine_free(t);
    ward_engine_free(c);
}

static void test_catalog_as_from_toml(void)
{
    what = "catalog";
    ward_engine *c = engine_with(NULL, 0);
    if (!c)
        return;
    CHECK(c->n_rules >= 600);
    /* it did come from the compiled form, borrowing its strings */
    CHECK(ward_builtin_catalog_len > 0);
    CHECK(c->rules[0].borrowed && c->prefixes_borrowed && c->catalog_only);
    ward_engine_free(c);
    same_engines(NULL);

    /* and the rule set alone, before the engine sees it */
    ward_ruleset t = {0}, b = {0};
    char err[256];
    CHECK_INT(ward_rules_load_builtin_toml(&t, err, sizeof err), WARD_OK);
    CHECK_INT(ward_catalog_load(&b, ward_builtin_catalog, ward_builtin_catalog_len, err,
                                sizeof err),
              WARD_OK);
    CHECK(b.catalog_intact && !t.catalog_intact);
    CHECK(t.n_warnings == 0 && b.n_warnings == 0);
    same_rules(t.rules, t.n_rules, b.rules, b.n_rules, 0);
    same_globals(t.allowlists, t.n_allowlists, b.allowlists, b.n_allowlists);
    ward_ruleset_free(&t);
    ward_ruleset_free(&b);
}

/* Configs over the catalog: how rules.c merges them must not depend on
 * where the catalog came from. */
static void test_configs_over_the_catalog(void)
{
    what = "allowlist-only config";
    same_engines("[allowlist]\ndescription = \"fixtures\"\npaths = ['''fixtures/''']\n");
    ward_engine *e = engine_with("[allowlist]\nstopwords = [\"example\"]\n", 0);
    if (e) { /* the catalog's rules as they were: its prefixes and database fit */
        CHECK(e->catalog_only && e->prefixes_borrowed);
        ward_engine_free(e);
    }

    what = "extend, override, disable, add";
    static const char extend[] =
        "[extend]\nuseDefault = true\ndisabledRules = [\"github-pat\", \"slack-bot-token\"]\n"
        "[[rules]]\nid = \"aws-access-key-id\"\ndescription = \"mine\"\n"
        "regex = '''\\b(AKIA[A-Z0-9]{16})\\b'''\nkeywords = [\"akia\"]\n"
        "[[rules]]\nid = \"tok\"\nregex = '''\\b(tok_[a-z0-9]{16})\\b'''\n"
        "[[rules.allowlists]]\nregexes = ['''tok_0+''']\n";
    same_engines(extend);
    e = engine_with(extend, 0);
    if (e) {
        CHECK(!e->catalog_only && !e->prefixes_borrowed);
        int mine = 0;
        for (size_t i = 0; i < e->n_rules; i++) {
            CHECK(strcmp(e->rules[i].id, "github-pat") != 0);
            if (!strcmp(e->rules[i].id, "aws-access-key-id"))
                mine = !e->rules[i].borrowed && !strcmp(e->rules[i].description, "mine");
        }
        CHECK(mine);
        ward_engine_free(e);
    }

    what = "the catalog twice, through a base that overrides it";
    /* the base loads the catalog and overrides github-pat; the config then
     * loads the catalog again, whose rules replace the first copy's */
    char dir[] = "/tmp/ward-catalog-XXXXXX", base[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(base, sizeof base, "%s/base.toml", dir);
    FILE *f = fopen(base, "w");
    if (f) {
        fputs("[extend]\nuseDefault = true\n[[rules]]\nid = \"github-pat\"\n"
              "regex = '''ghp_[a-z]{36}'''\n[[rules]]\nid = \"x\"\nregex = '''x_[0-9]{9}'''\n",
              f);
        fclose(f);
    }
    char twice[160];
    snprintf(twice, sizeof twice, "[extend]\npath = \"%s\"\nuseDefault = true\n", base);
    same_engines(twice);
    remove(base);
    remove(dir);
}

/* Every key a rule set can have, through the compiled form and back. */
static const char every_key[] =
    "[[rules]]\n"
    "id = \"tok\"\n"
    "description = \"test token\"\n"
    "regex = '''\\b(tok_[a-z0-9]{16})\\b'''\n"
    "secretGroup = 1\n"
    "entropy = 3.1\n"
    "keywords = [\"Tok_\", \"token\"]\n"
    "path = '''\\.env$'''\n"
    "confidence = \"high\"\n"
    "validate = \"github-crc32\"\n"
    "revoke = \"https://example.com/revoke\"\n"
    "reason = \"a reason\"\n"
    "pairs = [\"id-rule\", \"other\"]\n"
    "loose = '''tok_[a-z0-9]{10,30}'''\n"
    "[rules.examples]\n"
    "positive = [\"tok_%{lalnum:16}\"]\n"
    "negative = [\"tok_short\", \"x\"]\n"
    "[[rules.allowlists]]\n"
    "description = \"fixtures\"\n"
    "condition = \"AND\"\n"
    "regexTarget = \"line\"\n"
    "regexes = ['''fake''', '''^test''']\n"
    "paths = ['''fixtures/''']\n"
    "stopwords = [\"Example\"]\n"
    "commits = [\"0123456789abcdef\"]\n"
    "[[rules.allowlists]]\n"
    "regexTarget = \"match\"\n"
    "stopwords = [\"dummy\"]\n"
    "[[rules]]\n"
    "id = \"near-rule\"\n"
    "near = [\"kucoin\", \"ku_coin\"]\n"
    "value = '''[a-f0-9]{32}'''\n"
    "keywords = [\"kucoin\"]\n"
    "[[rules]]\n"
    "id = \"gated\"\n"
    "regex = '''[A-Za-z0-9_-]{22}/[A-Za-z0-9_-]{22}'''\n"
    "keywords = [\"configcat\"]\n"
    "[[rules]]\n"
    "id = \"generic-thing\"\n"
    "regex = '''(?i)secret\\s*=\\s*(\\w{12,})'''\n"
    "[[rules]]\n"
    "id = \"path-only\"\n"
    "path = '''id_rsa$'''\n"
    "[allowlist]\n"
    "description = \"global\"\n"
    "targetRules = [\"tok\"]\n"
    "regexes = ['''EXAMPLE''']\n"
    "[[allowlists]]\n"
    "paths = ['''vendor/''', '''\\.lock$''']\n"
    "stopwords = [\"sample\"]\n";

static void test_round_trip_of_every_key(void)
{
    what = "round trip";
    ward_ruleset t = {.no_builtin = 1}, b = {0};
    char err[256] = "";
    CHECK_INT(ward_rules_load(&t, "every.toml", every_key, strlen(every_key), 0, err, sizeof err),
              WARD_OK);
    CHECK_INT(t.n_rules, 5);
    CHECK_INT(t.n_allowlists, 2);
    char *prefixes[] = {"tok_", "abc-"};
    unsigned char *blob = NULL;
    size_t len = 0;
    CHECK_INT(ward_catalog_serialize(t.rules, t.n_rules, t.allowlists, t.n_allowlists, prefixes,
                                     2, 3, &blob, &len),
              WARD_OK);
    CHECK_INT(ward_catalog_load(&b, blob, len, err, sizeof err), WARD_OK);
    same_rules(t.rules, t.n_rules, b.rules, b.n_rules, 0);
    same_globals(t.allowlists, t.n_allowlists, b.allowlists, b.n_allowlists);
    same_strv("(set)", "prefixes", prefixes, 2, b.prefixes, b.n_prefixes);
    CHECK(b.catalog_intact);
    CHECK_INT(b.max_groups, 3);
    ward_ruleset_free(&b);

    /* loaded after rules of the same id, it replaces them in place */
    static const char two[] =
        "[[rules]]\nid = \"gated\"\nregex = 'g'\n[[rules]]\nid = \"mine\"\nregex = 'm'\n";
    ward_ruleset m = {.no_builtin = 1};
    CHECK_INT(ward_rules_load(&m, "a.toml", two, strlen(two), 0, err, sizeof err), WARD_OK);
    m.no_builtin = 0;
    CHECK_INT(m.n_rules, 2);
    CHECK_INT(ward_catalog_load(&m, blob, len, err, sizeof err), WARD_OK);
    CHECK_INT(m.n_rules, 6);
    CHECK(!m.catalog_intact);
    if (m.n_rules == 6) {
        CHECK_STR(m.rules[0].id, "gated");
        CHECK(m.rules[0].borrowed && m.rules[0].kw_gate);
        CHECK_STR(m.rules[1].id, "mine");
        CHECK_STR(m.rules[2].id, "tok");
    }
    ward_ruleset_free(&m);
    ward_ruleset_free(&t);
    free(blob);
}

/* Every truncation and many corruptions of a blob: an error or a rule set,
 * never a crash, an overread or a leak (the ASan tree runs this). */
static void test_damaged_blob(void)
{
    ward_ruleset t = {.no_builtin = 1};
    char err[256] = "";
    CHECK_INT(ward_rules_load(&t, "every.toml", every_key, strlen(every_key), 0, err, sizeof err),
              WARD_OK);
    unsigned char *blob = NULL;
    size_t len = 0;
    CHECK_INT(ward_catalog_serialize(t.rules, t.n_rules, t.allowlists, t.n_allowlists, NULL, 0,
                                     0, &blob, &len),
              WARD_OK);
    ward_ruleset_free(&t);
    if (!blob)
        return;
    for (size_t n = 0; n < len; n++) {
        unsigned char *cut = malloc(n ? n : 1);
        memcpy(cut, blob, n);
        ward_ruleset b = {0};
        CHECK_INT(ward_catalog_load(&b, cut, n, err, sizeof err), WARD_ECONFIG);
        ward_ruleset_free(&b);
        free(cut);
    }
    uint64_t x = 42;
    unsigned char *bad = malloc(len);
    for (int k = 0; k < 3000; k++) {
        memcpy(bad, blob, len);
        for (int f = 0; f < 1 + k % 3; f++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            size_t at = 8 + (size_t)((x >> 33) % (len - 8));
            bad[at] = (unsigned char)(k & 1 ? bad[at] ^ (1u << (x >> 60) % 8) : x >> 40);
        }
        ward_ruleset b = {0};
        ward_status st = ward_catalog_load(&b, bad, len, err, sizeof err);
        CHECK(st == WARD_OK || st == WARD_ECONFIG || st == WARD_ENOMEM);
        ward_ruleset_free(&b);
    }
    free(bad);
    free(blob);
}

int main(void)
{
    RUN(test_catalog_as_from_toml);
    RUN(test_configs_over_the_catalog);
    RUN(test_round_trip_of_every_key);
    RUN(test_damaged_blob);
    return check_summary();
}
