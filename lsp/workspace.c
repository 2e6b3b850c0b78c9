/* workspace.c - workspace roots, the configuration and the baseline.
 *
 * The rules come from --config, else initializationOptions.configPath, else
 * the first root's .ward.toml or .gitleaks.toml, else the built-in catalog.
 * Saving or changing a config or .ward-baseline (didSave, or a watched-file
 * event) reloads it and scans every open document again; a broken config
 * keeps the previous rules and says so.  ward.addToBaseline writes the
 * baseline next to the file's root.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server.h"

static const char *const config_names[] = {".ward.toml", ".gitleaks.toml"};
/* ---- files and roots ----------------------------------------------- */

char *lsp_read_file(const char *path, size_t *len, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, r;
    char *buf = malloc(cap + 1);
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            if (cap >= max) {
                break;
            }
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

int lsp_file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The workspace root containing path, or NULL. */
static const char *root_of(const lsp_server *s, const char *path)
{
    const char *best = NULL;
    size_t bestn = 0;
    for (size_t i = 0; i < s->n_roots; i++) {
        size_t n = strlen(s->roots[i]);
        while (n > 1 && s->roots[i][n - 1] == '/')
            n--;
        if (!strncmp(path, s->roots[i], n) && (path[n] == '/' || n == 1) && n > bestn) {
            best = s->roots[i];
            bestn = n;
        }
    }
    return best;
}

/* path relative to its root (for path rules and the baseline). */
const char *lsp_rel_path(const lsp_server *s, const char *path)
{
    const char *r = root_of(s, path);
    if (!r)
        return path;
    size_t n = strlen(r);
    while (n > 1 && r[n - 1] == '/')
        n--;
    return path[n] == '/' ? path + n + 1 : path + n;
}

/* The folder where .env and the baseline go: the file's root, else its
 * folder.  Malloc'd. */
char *lsp_home_dir(const lsp_server *s, const char *path)
{
    const char *r = root_of(s, path);
    if (r)
        return strdup(r);
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* A workspace folder's path without trailing slashes, or NULL. */
static char *root_path(const char *uri)
{
    char *p = lsp_uri_to_path(uri);
    size_t n = p ? strlen(p) : 0;
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    return p;
}

void lsp_add_root(lsp_server *s, const char *uri)
{
    char *p = root_path(uri);
    if (!p)
        return;
    for (size_t i = 0; i < s->n_roots; i++)
        if (!strcmp(s->roots[i], p)) {
            free(p);
            return;
        }
    char **nr = realloc(s->roots, (s->n_roots + 1) * sizeof *nr);
    if (!nr) {
        free(p);
        return;
    }
    s->roots = nr;
    s->roots[s->n_roots++] = p;
}

static void remove_root(lsp_server *s, const char *uri)
{
    char *p = root_path(uri);
    if (!p)
        return;
    for (size_t i = 0; i < s->n_roots; i++)
        if (!strcmp(s->roots[i], p)) {
            free(s->roots[i]);
            s->roots[i] = s->roots[--s->n_roots];
            break;
        }
    free(p);
}

/* ---- configuration and baseline ------------------------------------ */

void lsp_free_baseline(lsp_server *s)
{
    ward_baseline_free(s->baseline);
    s->baseline = NULL;
}


int lsp_in_baseline(lsp_server *s, const ward_finding *f, const char *rel)
{
    if (!s->baseline)
        return 0;
    ward_finding g = *f;
    g.path = rel && *rel ? rel : NULL;
    return ward_baseline_match(s->baseline, &g);
}

/* (Re)loads the engine: --config, else initializationOptions.configPath,
 * else the first root's .ward.toml or .gitleaks.toml, else built-in rules.
 * On failure the previous engine stays and the client is told. */
static int load_engine(lsp_server *s, char *err, size_t errlen)
{
    char found[4096];
    const char *cfg = NULL;
    if (s->opts.config_path)
        cfg = s->opts.config_path;
    else if (!s->opts.no_config && s->init_config)
        cfg = s->init_config;
    else if (!s->opts.no_config)
        for (size_t r = 0; r < s->n_roots && !cfg; r++)
            for (int i = 0; i < 2 && !cfg; i++) {
                snprintf(found, sizeof found, "%s/%s", s->roots[r], config_names[i]);
                if (lsp_file_exists(found))
                    cfg = found;
            }
    ward_engine_options eo = WARD_INIT(ward_engine_options);
    eo.config_path = cfg;
    ward_engine *e = NULL;
    ward_scanner *sc = NULL;
    ward_status st = ward_engine_new(&eo, &e, err, errlen);
    if (st == WARD_OK && (st = ward_scanner_new(e, &sc)) != WARD_OK)
        snprintf(err, errlen, "%s", ward_strerror(st));
    if (st != WARD_OK) {
        ward_engine_free(e);
        return -1;
    }
    ward_scanner_free(s->scanner);
    if (!lsp_scan_keep_engine(s, s->engine))
        ward_engine_free(s->engine);
    s->engine = e;
    s->scanner = sc;
    return 0;
}

static int is_config_path(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    return !strcmp(b, config_names[0]) || !strcmp(b, config_names[1]);
}

static int is_baseline_path(const char *path)
{
    const char *b = strrchr(path, '/');
    return !strcmp(b ? b + 1 : path, ".ward-baseline");
}

/* .ward-baseline in each root (ward_baseline_load's format: lines
 * "rule<TAB>fingerprint<TAB>path", path relative to the root).  A malformed
 * file is reported to the client and the rest still loads. */
void lsp_load_baseline(lsp_server *s)
{
    lsp_free_baseline(s);
    if (ward_baseline_new(&s->baseline) != WARD_OK)
        return;
    for (size_t r = 0; r < s->n_roots; r++) {
        char path[4096], err[512] = "";
        snprintf(path, sizeof path, "%s/.ward-baseline", s->roots[r]);
        if (!lsp_file_exists(path))
            continue;
        if (ward_baseline_load(s->baseline, path, err, sizeof err) != WARD_OK) {
            char msg[640];
            snprintf(msg, sizeof msg, "ward: baseline not fully loaded: %s", err);
            lsp_show_message(s, 2, msg);
        }
    }
}

void lsp_reload_config(lsp_server *s)
{
    char err[512] = "";
    if (load_engine(s, err, sizeof err) < 0) {
        char msg[640];
        snprintf(msg, sizeof msg, "ward: configuration not loaded (keeping the previous rules): %s",
                 err);
        lsp_show_message(s, 1, msg);
    }
}


/* After the config or the baseline changed on disk: reload what changed
 * and scan every open document again. */
static void reload_changed(lsp_server *s, int cfg, int bl)
{
    if (cfg)
        lsp_reload_config(s);
    if (bl)
        lsp_load_baseline(s);
    if (cfg || bl)
        lsp_reanalyze_all(s);
}

void lsp_on_did_save(lsp_server *s, const cJSON *params)
{
    const char *uri = lsp_jstr(lsp_jobj(params, "textDocument"), "uri");
    char *path = lsp_uri_to_path(uri);
    if (!path)
        return;
    int cfg = is_config_path(path), bl = is_baseline_path(path);
    free(path);
    reload_changed(s, cfg, bl);
}

void lsp_on_watched(lsp_server *s, const cJSON *params)
{
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "changes"), *c;
    int cfg = 0, bl = 0;
    cJSON_ArrayForEach(c, changes)
    {
        char *path = lsp_uri_to_path(lsp_jstr(c, "uri"));
        if (path) {
            cfg |= is_config_path(path);
            bl |= is_baseline_path(path);
        }
        free(path);
    }
    reload_changed(s, cfg, bl);
}

void lsp_on_folders(lsp_server *s, const cJSON *params)
{
    const cJSON *ev = lsp_jobj(params, "event"), *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(ev, "removed")) remove_root(s, lsp_jstr(f, "uri"));
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(ev, "added")) lsp_add_root(s, lsp_jstr(f, "uri"));
    lsp_load_baseline(s);
}

/* ---- commands ------------------------------------------------------ */

static int valid_fingerprint(const char *fp)
{
    if (!fp || strlen(fp) != WARD_FINGERPRINT_LEN)
        return 0;
    for (const char *p = fp; *p; p++)
        if (!strchr("0123456789abcdef", *p))
            return 0;
    return 1;
}

cJSON *lsp_add_to_baseline(lsp_server *s, const cJSON *args, int *code, const char **msg)
{
    const cJSON *a = cJSON_GetArrayItem(args, 0);
    const char *uri = lsp_jstr(a, "uri"), *rule = lsp_jstr(a, "ruleId"), *fp = lsp_jstr(a, "fingerprint");
    char *path = s->opts.dry_run ? NULL : lsp_uri_to_path(uri);
    if (!path || !rule || !*rule || strpbrk(rule, "\t\n\r") || !valid_fingerprint(fp)) {
        free(path);
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: expected {uri, ruleId, fingerprint}";
        return NULL;
    }
    char *dir = lsp_home_dir(s, path);
    char file[4096], err[512] = "";
    snprintf(file, sizeof file, "%s/.ward-baseline", dir ? dir : ".");
    free(dir);
    ward_finding f = WARD_INIT(ward_finding);
    f.rule_id = rule;
    f.path = lsp_rel_path(s, path);
    memcpy(f.fingerprint, fp, WARD_FINGERPRINT_LEN + 1);
    ward_baseline *b = NULL;
    ward_status st = ward_baseline_new(&b);
    if (st == WARD_OK && lsp_file_exists(file))
        st = ward_baseline_load(b, file, err, sizeof err);
    if (st == WARD_OK)
        st = ward_baseline_add(b, &f);
    if (st == WARD_OK)
        st = ward_baseline_write(b, file, err, sizeof err);
    ward_baseline_free(b);
    free(path);
    if (st != WARD_OK) {
        *code = RPC_REQUEST_FAILED;
        *msg = "Request failed: cannot update .ward-baseline";
        return NULL;
    }
    lsp_load_baseline(s);
    lsp_reanalyze_all(s);
    return cJSON_CreateNull();
}

