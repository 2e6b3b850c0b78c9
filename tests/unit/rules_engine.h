/* rules_engine.h - for the unit tests that write their own rules: an engine
 * of exactly those rules (no catalog, no on-disk cache), and a scanner when
 * s is given.  Prints the loader's reason and returns -1 when it fails. */
#ifndef WARD_TEST_RULES_ENGINE_H
#define WARD_TEST_RULES_ENGINE_H

#include <stdio.h>
#include <string.h>
#include <ward.h>

static inline int rules_engine(const char *config, ward_engine **e, ward_scanner **s)
{
    ward_engine_options o = WARD_INIT(ward_engine_options);
    o.config_text = config;
    o.config_len = strlen(config);
    o.no_default_rules = 1;
    o.cache_dir = "";
    char err[256];
    if (ward_engine_new(&o, e, err, sizeof err) != WARD_OK) {
        fprintf(stderr, "engine: %s\n", err);
        return -1;
    }
    if (s && ward_scanner_new(*e, s) != WARD_OK) {
        fprintf(stderr, "scanner: out of memory\n");
        return -1;
    }
    return 0;
}

/* How many findings a scan of text made, and the first one's rule, secret
 * and revoke text. */
typedef struct first_finding {
    int n;
    char rule[64];
    char secret[128];
    const char *revoke;
} first_finding;

static int first_finding_cb(const ward_finding *f, void *user)
{
    first_finding *g = user;
    if (!g->n++) {
        snprintf(g->rule, sizeof g->rule, "%s", f->rule_id);
        snprintf(g->secret, sizeof g->secret, "%.*s", (int)f->secret_len, f->secret);
        g->revoke = f->revoke;
    }
    return 0;
}

static inline first_finding scan_first(ward_scanner *s, const char *text, const char *path)
{
    first_finding g;
    memset(&g, 0, sizeof g);
    ward_scan_buffer(s, text, strlen(text), path, first_finding_cb, &g);
    return g;
}

#endif
