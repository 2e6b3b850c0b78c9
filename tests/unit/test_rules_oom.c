/* test_rules_oom.c - loading rules when a string copy fails.  strdup is
 * wrapped at link time (-Wl,--wrap=strdup, see tests/CMakeLists.txt) so
 * that its Nth call returns NULL; for every N the load must fail with
 * WARD_ENOMEM, never crash, and never yield a rule without its id or a rule
 * that lost its regex (it would load as a path-only rule and report every
 * file its path matches).  Under ASan the failed loads must not leak. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <ward.h>

#include "check.h"

char *__real_strdup(const char *s);
char *__wrap_strdup(const char *s);

static long calls, fail_at = -1;

char *__wrap_strdup(const char *s)
{
    if (++calls == fail_at)
        return NULL;
    return __real_strdup(s);
}

/* Every key of a rule that rules.c copies: id, description, regex,
 * validate, keywords, examples, and an allowlist with a description. */
static const char *CONFIG =
    "[[rules]]\n"
    "id = \"tok\"\n"
    "description = \"test token\"\n"
    "regex = '''\\b(tok_[a-z0-9]{16})\\b'''\n"
    "path = '''\\.env$'''\n"
    "keywords = [\"tok_\"]\n"
    "[rules.allowlist]\n"
    "description = \"fixtures\"\n"
    "paths = ['''fixtures/''']\n"
    "[[rules]]\n"
    "id = \"bare\"\n"
    "regex = '''\\b(bare_[a-z0-9]{16})\\b'''\n"
    "[rules.examples]\n"
    "positive = [\"bare_%{lalnum:16}\"]\n";

static ward_status load(ward_engine **e)
{
    ward_engine_options o = WARD_INIT(ward_engine_options);
    o.config_text = CONFIG;
    o.config_len = strlen(CONFIG);
    o.no_default_rules = 1;
    o.cache_dir = "";
    char err[256];
    *e = NULL;
    calls = 0;
    return ward_engine_new(&o, e, err, sizeof err);
}

static void test_every_failed_copy_fails_the_load(void)
{
    ward_engine *e;
    fail_at = -1;
    CHECK_INT(load(&e), WARD_OK);
    long total = calls;
    CHECK(total >= 6); /* the strings above are copied with strdup */
    CHECK_INT(ward_engine_rule_count(e), 2);
    ward_engine_free(e);

    for (long k = 1; k <= total; k++) {
        fail_at = k;
        ward_status st = load(&e);
        if (st != WARD_ENOMEM) {
            fprintf(stderr, "strdup call %ld of %ld failed: status %d, want WARD_ENOMEM\n", k,
                    total, (int)st);
            CHECK_INT(st, WARD_ENOMEM);
        }
        if (st == WARD_OK) {
            /* what a load that swallowed the failure would leave */
            for (size_t i = 0; i < ward_engine_rule_count(e); i++) {
                ward_rule_info info;
                CHECK_INT(ward_engine_rule(e, i, &info), WARD_OK);
                CHECK(info.id != NULL);
                CHECK(info.regex != NULL);
            }
        }
        ward_engine_free(e);
    }
    fail_at = -1;
}

int main(void)
{
    RUN(test_every_failed_copy_fails_the_load);
    return check_summary();
}
