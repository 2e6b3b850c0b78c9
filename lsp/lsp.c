/* lsp.c - the language server: message dispatch, diagnostics, quick fixes,
 * workspace scan and configuration.
 *
 * Single-threaded and synchronous: each didOpen/didChange rescans the whole
 * document (one Vectorscan pass, well under a millisecond for a thousand
 * lines) and publishes at once, so what the client masks is never behind
 * what it shows.  Positions go out in the negotiated encoding (UTF-8 when
 * the client offers it, else UTF-16); findings are kept as byte spans.
 * The secret itself never appears in a diagnostic, a notification or a log;
 * the only message that carries it is the "move to .env" edit, whose whole
 * point is to write it into the git-ignored .env file.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lsp.h"

enum { ST_UNINIT = 0, ST_READY, ST_SHUTDOWN, ST_EXITED };

struct lsp_server {
    lsp_write_fn out;
    void *out_user;
    int out_broken;
    rpc_reader rd;
    lsp_options opts;
    ward_engine *engine;
    ward_scanner *scanner;
    int state, exit_status;
    lsp_encoding enc;
    /* client capabilities */
    int cap_pull, cap_progress, cap_doc_changes, cap_create, cap_watch, cap_refresh;
    int used_offset_encoding;
    int push_open; /* push diagnostics for open documents */
    int sev[3];    /* LSP severity per confidence */
    char *init_config;
    char **roots;
    size_t n_roots;
    lsp_doc *docs;
    ward_baseline *baseline; /* the roots' .ward-baseline files, or NULL */
    /* workspace scan */
    long next_id;
    long pending_create;   /* id of our workDoneProgress/create, or 0 */
    cJSON *pending_req_id; /* the executeCommand waiting for it */
    char **scan_uris;      /* published by the last workspace scan */
    size_t n_scan_uris;
};

static const char *const config_names[] = {".ward.toml", ".gitleaks.toml"};

/* ---- output -------------------------------------------------------- */

static void send_msg(lsp_server *s, cJSON *msg)
{
    char *body = cJSON_PrintUnformatted(msg);
    cJSON_Delete(msg);
    if (!body || s->out_broken) {
        free(body);
        return;
    }
    size_t bl = strlen(body);
    char head[64];
    int hl = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", bl);
    char *all = malloc((size_t)hl + bl);
    if (all) {
        memcpy(all, head, (size_t)hl);
        memcpy(all + hl, body, bl);
        if (s->out(all, (size_t)hl + bl, s->out_user) != 0)
            s->out_broken = 1;
        free(all);
    }
    free(body);
}

static cJSON *new_msg(void)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "jsonrpc", "2.0");
    return m;
}

static void send_result(lsp_server *s, const cJSON *id, cJSON *result)
{
    cJSON *m = new_msg();
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
    send_msg(s, m);
}

static void send_error(lsp_server *s, const cJSON *id, int code, const char *text)
{
    cJSON *m = new_msg();
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    cJSON *e = cJSON_AddObjectToObject(m, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", text);
    send_msg(s, m);
}

static void send_notification(lsp_server *s, const char *method, cJSON *params)
{
    cJSON *m = new_msg();
    cJSON_AddStringToObject(m, "method", method);
    cJSON_AddItemToObject(m, "params", params);
    send_msg(s, m);
}

static long send_request(lsp_server *s, const char *method, cJSON *params)
{
    cJSON *m = new_msg();
    long id = ++s->next_id;
    cJSON_AddNumberToObject(m, "id", (double)id);
    cJSON_AddStringToObject(m, "method", method);
    cJSON_AddItemToObject(m, "params", params);
    send_msg(s, m);
    return id;
}

static void show_message(lsp_server *s, int type, const char *text)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "type", type);
    cJSON_AddStringToObject(p, "message", text);
    send_notification(s, "window/showMessage", p);
}

/* ---- small JSON helpers -------------------------------------------- */

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static cJSON *jobj(const cJSON *o, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsObject(v) ? v : NULL;
}

/* A non-negative integer member, or -1. */
static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 ? v->valuedouble : -1;
}

static int jtrue(const cJSON *o, const char *path)
{
    /* path: "a.b.c" */
    char key[64];
    const cJSON *cur = o;
    while (cur && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key)
            return 0;
        memcpy(key, path, n);
        key[n] = '\0';
        cur = cJSON_GetObjectItemCaseSensitive(cur, key);
        path += n + (dot != NULL);
    }
    return cur && (cJSON_IsTrue(cur) || cJSON_IsObject(cur));
}

static const cJSON *jpath(const cJSON *o, const char *path)
{
    char key[64];
    const cJSON *cur = o;
    while (cur && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof key)
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        cur = cJSON_GetObjectItemCaseSensitive(cur, key);
        path += n + (dot != NULL);
    }
    return cur;
}

static int array_has(const cJSON *a, const char *s)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, a)
    {
        if (cJSON_IsString(v) && !strcmp(v->valuestring, s))
            return 1;
    }
    return 0;
}

/* Reads a (parameter) position; -1 when malformed. */
static int get_position(const cJSON *p, uint64_t *line, uint64_t *ch)
{
    double l = jnum(p, "line"), c = jnum(p, "character");
    if (l < 0 || c < 0 || l > 4e9 || c > 4e9)
        return -1;
    *line = (uint64_t)l;
    *ch = (uint64_t)c;
    return 0;
}

static cJSON *make_position(uint64_t line, uint64_t ch)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "line", (double)line);
    cJSON_AddNumberToObject(p, "character", (double)ch);
    return p;
}

static cJSON *make_range(uint64_t l0, uint64_t c0, uint64_t l1, uint64_t c1)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "start", make_position(l0, c0));
    cJSON_AddItemToObject(r, "end", make_position(l1, c1));
    return r;
}

/* ---- files and roots ----------------------------------------------- */

static char *read_file(const char *path, size_t *len, size_t max)
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

static int file_exists(const char *path)
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
static const char *rel_path(const lsp_server *s, const char *path)
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
static char *home_dir(const lsp_server *s, const char *path)
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
    char *p = uri_to_path(uri);
    size_t n = p ? strlen(p) : 0;
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    return p;
}

static void add_root(lsp_server *s, const char *uri)
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

static void free_baseline(lsp_server *s)
{
    ward_baseline_free(s->baseline);
    s->baseline = NULL;
}

/* .ward-baseline in each root (ward_baseline_load's format: lines
 * "rule<TAB>fingerprint<TAB>path", path relative to the root).  A malformed
 * file is reported to the client and the rest still loads. */
static void load_baseline(lsp_server *s);

static int in_baseline(lsp_server *s, const ward_finding *f, const char *rel)
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
                if (file_exists(found))
                    cfg = found;
            }
    ward_engine_options eo = {0};
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
    ward_engine_free(s->engine);
    s->engine = e;
    s->scanner = sc;
    return 0;
}

/* ---- analysis and diagnostics -------------------------------------- */

typedef struct scan_ctx {
    lsp_server *s;
    lsp_doc *d;
    const char *rel;
} scan_ctx;

static char *finding_message(const ward_finding *f)
{
    const char *desc = f->description && *f->description ? f->description : f->rule_id;
    size_t n = strlen(desc) + (f->reason ? strlen(f->reason) : 0) + 4;
    n += f->revoke ? strlen(f->revoke) + 16 : 0;
    char *m = malloc(n);
    if (m) {
        if (f->reason && *f->reason)
            snprintf(m, n, "%s, %s", desc, f->reason);
        else
            snprintf(m, n, "%s", desc);
        if (f->revoke) /* shown on hover: what to do about it */
            snprintf(m + strlen(m), n - strlen(m), "; revoke: %s", f->revoke);
    }
    return m;
}

static int collect(const ward_finding *f, void *user)
{
    scan_ctx *c = user;
    lsp_doc *d = c->d;
    if (in_baseline(c->s, f, c->rel))
        return 0;
    if (d->n_findings == d->cap_findings) {
        size_t nc = d->cap_findings ? d->cap_findings * 2 : 8;
        lsp_finding *nf = realloc(d->findings, nc * sizeof *nf);
        if (!nf)
            return 1;
        d->findings = nf;
        d->cap_findings = nc;
    }
    lsp_finding *x = &d->findings[d->n_findings];
    x->rule_id = strdup(f->rule_id);
    x->message = finding_message(f);
    if (!x->rule_id || !x->message) {
        free(x->rule_id);
        free(x->message);
        return 1;
    }
    memcpy(x->fingerprint, f->fingerprint, sizeof x->fingerprint);
    x->confidence = f->confidence;
    x->offset = (size_t)f->offset;
    x->length = (size_t)f->length;
    d->n_findings++;
    return 0;
}

static void analyze(lsp_server *s, lsp_doc *d)
{
    doc_clear_findings(d);
    scan_ctx c = {s, d, d->path ? rel_path(s, d->path) : ""};
    ward_scan_buffer(s->scanner, d->text ? d->text : "", d->len, c.rel[0] ? c.rel : NULL,
                     collect, &c);
}

/* Walks a document's positions forward, so converting N sorted findings
 * costs one pass over the text instead of N. */
typedef struct pos_cursor {
    size_t off, ls;
    uint64_t line;
} pos_cursor;

static void cursor_pos(const lsp_doc *d, pos_cursor *c, size_t off, lsp_encoding enc,
                       uint64_t *line, uint64_t *ch)
{
    if (off > d->len)
        off = d->len;
    if (off < c->off)
        memset(c, 0, sizeof *c);
    const char *t = d->text;
    for (;;) {
        const char *nl = memchr(t + c->off, '\n', off - c->off);
        if (!nl)
            break;
        c->line++;
        c->off = c->ls = (size_t)(nl - t) + 1;
    }
    c->off = off;
    *line = c->line;
    *ch = enc_units(t + c->ls, off - c->ls, enc);
}

static cJSON *finding_range(const lsp_server *s, const lsp_doc *d, const lsp_finding *f,
                            pos_cursor *c)
{
    uint64_t l0, c0, l1, c1;
    cursor_pos(d, c, f->offset, s->enc, &l0, &c0);
    pos_cursor c2 = *c;
    cursor_pos(d, &c2, f->offset + f->length, s->enc, &l1, &c1);
    return make_range(l0, c0, l1, c1);
}

static cJSON *make_diagnostic(const lsp_server *s, cJSON *range, const char *rule,
                              const char *message, ward_confidence conf, const char *fp)
{
    cJSON *dg = cJSON_CreateObject();
    cJSON_AddItemToObject(dg, "range", range);
    cJSON_AddNumberToObject(dg, "severity", s->sev[conf <= WARD_CONF_HIGH ? conf : 0]);
    cJSON_AddStringToObject(dg, "code", rule);
    cJSON_AddStringToObject(dg, "source", "ward");
    cJSON_AddStringToObject(dg, "message", message);
    cJSON *data = cJSON_AddObjectToObject(dg, "data");
    cJSON_AddStringToObject(data, "fingerprint", fp);
    cJSON_AddStringToObject(data, "ruleId", rule);
    cJSON_AddStringToObject(data, "confidence", ward_confidence_name(conf));
    return dg;
}

static cJSON *doc_diagnostics(const lsp_server *s, const lsp_doc *d, cJSON **ranges)
{
    cJSON *arr = cJSON_CreateArray();
    if (ranges)
        *ranges = cJSON_CreateArray();
    pos_cursor c = {0, 0, 0};
    for (size_t i = 0; i < d->n_findings; i++) {
        const lsp_finding *f = &d->findings[i];
        cJSON *r = finding_range(s, d, f, &c);
        if (ranges)
            cJSON_AddItemToArray(*ranges, cJSON_Duplicate(r, 1));
        cJSON_AddItemToArray(arr, make_diagnostic(s, r, f->rule_id, f->message, f->confidence,
                                                  f->fingerprint));
    }
    return arr;
}

static void publish_raw(lsp_server *s, const char *uri, int64_t version, cJSON *diags,
                        cJSON *ranges, int push)
{
    if (push) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "uri", uri);
        if (version >= 0)
            cJSON_AddNumberToObject(p, "version", (double)version);
        cJSON_AddItemToObject(p, "diagnostics", diags);
        send_notification(s, "textDocument/publishDiagnostics", p);
    } else {
        cJSON_Delete(diags);
    }
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "uri", uri);
    if (version >= 0)
        cJSON_AddNumberToObject(m, "version", (double)version);
    else
        cJSON_AddNullToObject(m, "version");
    cJSON_AddItemToObject(m, "ranges", ranges);
    send_notification(s, "ward/secretRanges", m);
}

static void publish(lsp_server *s, lsp_doc *d)
{
    cJSON *ranges;
    cJSON *diags = doc_diagnostics(s, d, &ranges);
    publish_raw(s, d->uri, d->version, diags, ranges, s->push_open);
}

static lsp_doc *find_doc(lsp_server *s, const char *uri)
{
    for (lsp_doc *d = s->docs; d; d = d->next)
        if (uri && !strcmp(d->uri, uri))
            return d;
    return NULL;
}

static void reanalyze_all(lsp_server *s)
{
    for (lsp_doc *d = s->docs; d; d = d->next) {
        analyze(s, d);
        publish(s, d);
    }
    if (s->cap_pull && s->cap_refresh)
        send_request(s, "workspace/diagnostic/refresh", cJSON_CreateNull());
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

static void load_baseline(lsp_server *s)
{
    free_baseline(s);
    if (ward_baseline_new(&s->baseline) != WARD_OK)
        return;
    for (size_t r = 0; r < s->n_roots; r++) {
        char path[4096], err[512] = "";
        snprintf(path, sizeof path, "%s/.ward-baseline", s->roots[r]);
        if (!file_exists(path))
            continue;
        if (ward_baseline_load(s->baseline, path, err, sizeof err) != WARD_OK) {
            char msg[640];
            snprintf(msg, sizeof msg, "ward: baseline not fully loaded: %s", err);
            show_message(s, 2, msg);
        }
    }
}

static void reload_config(lsp_server *s)
{
    char err[512] = "";
    if (load_engine(s, err, sizeof err) < 0) {
        char msg[640];
        snprintf(msg, sizeof msg, "ward: configuration not loaded (keeping the previous rules): %s",
                 err);
        show_message(s, 1, msg);
    }
}

/* ---- lifecycle ----------------------------------------------------- */

static int severity_value(const cJSON *v, int dflt)
{
    if (cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= 4)
        return (int)v->valuedouble;
    if (!cJSON_IsString(v))
        return dflt;
    static const char *const names[] = {"error", "warning", "information", "hint"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(v->valuestring, names[i]))
            return i + 1;
    if (!strcmp(v->valuestring, "info"))
        return 3;
    return dflt;
}

static cJSON *h_initialize(lsp_server *s, const cJSON *params, int *code, const char **msg)
{
    if (s->state != ST_UNINIT) {
        *code = RPC_INVALID_REQUEST;
        *msg = "Invalid request: initialize was already received";
        return NULL;
    }
    const cJSON *caps = jobj(params, "capabilities");
    /* Position encoding: UTF-8 when offered (LSP 3.17, or the older
     * offsetEncoding extension some clients send), UTF-16 otherwise. */
    const cJSON *pe = jpath(caps, "general.positionEncodings");
    const cJSON *oe = cJSON_GetObjectItemCaseSensitive(caps, "offsetEncoding");
    s->enc = ENC_UTF16;
    if (cJSON_IsArray(pe) && array_has(pe, "utf-8"))
        s->enc = ENC_UTF8;
    if (cJSON_IsArray(oe)) {
        s->used_offset_encoding = 1;
        if (array_has(oe, "utf-8"))
            s->enc = ENC_UTF8;
    }
    s->cap_pull = jtrue(caps, "textDocument.diagnostic");
    s->cap_progress = jtrue(caps, "window.workDoneProgress");
    s->cap_doc_changes = jtrue(caps, "workspace.workspaceEdit.documentChanges");
    s->cap_create = array_has(jpath(caps, "workspace.workspaceEdit.resourceOperations"), "create");
    s->cap_watch = jtrue(caps, "workspace.didChangeWatchedFiles.dynamicRegistration");
    s->cap_refresh = jtrue(caps, "workspace.diagnostics.refreshSupport");

    const cJSON *io = jobj(params, "initializationOptions");
    const cJSON *sev = jobj(io, "severity");
    s->sev[WARD_CONF_HIGH] = severity_value(jpath(sev, "high"), 1);
    s->sev[WARD_CONF_MEDIUM] = severity_value(jpath(sev, "medium"), 2);
    s->sev[WARD_CONF_LOW] = severity_value(jpath(sev, "low"), 3);
    const cJSON *push = cJSON_GetObjectItemCaseSensitive(io, "pushDiagnostics");
    /* A client that pulls gets no pushes for open documents (it would show
     * each finding twice), unless it asks for both. */
    s->push_open = cJSON_IsBool(push) ? cJSON_IsTrue(push) : !s->cap_pull;
    const char *cp = jstr(io, "configPath");
    if (cp && *cp)
        s->init_config = strdup(cp);

    const cJSON *wf = cJSON_GetObjectItemCaseSensitive(params, "workspaceFolders");
    const cJSON *f;
    if (cJSON_IsArray(wf))
        cJSON_ArrayForEach(f, wf) add_root(s, jstr(f, "uri"));
    if (!s->n_roots && jstr(params, "rootUri"))
        add_root(s, jstr(params, "rootUri"));
    if (!s->n_roots && jstr(params, "rootPath")) {
        char *u = path_to_uri(jstr(params, "rootPath"));
        if (u)
            add_root(s, u);
        free(u);
    }
    if (s->n_roots || s->init_config || s->opts.config_path)
        reload_config(s);
    load_baseline(s);

    cJSON *res = cJSON_CreateObject();
    cJSON *c = cJSON_AddObjectToObject(res, "capabilities");
    cJSON_AddStringToObject(c, "positionEncoding", s->enc == ENC_UTF8 ? "utf-8" : "utf-16");
    cJSON *sync = cJSON_AddObjectToObject(c, "textDocumentSync");
    cJSON_AddTrueToObject(sync, "openClose");
    cJSON_AddNumberToObject(sync, "change", 2);
    cJSON *save = cJSON_AddObjectToObject(sync, "save");
    cJSON_AddFalseToObject(save, "includeText");
    cJSON *ca = cJSON_AddObjectToObject(c, "codeActionProvider");
    cJSON *kinds = cJSON_AddArrayToObject(ca, "codeActionKinds");
    cJSON_AddItemToArray(kinds, cJSON_CreateString("quickfix"));
    cJSON *ec = cJSON_AddObjectToObject(c, "executeCommandProvider");
    cJSON *cmds = cJSON_AddArrayToObject(ec, "commands");
    cJSON_AddItemToArray(cmds, cJSON_CreateString("ward.scanWorkspace"));
    cJSON_AddItemToArray(cmds, cJSON_CreateString("ward.addToBaseline"));
    cJSON_AddTrueToObject(ec, "workDoneProgress");
    if (s->cap_pull) {
        cJSON *dp = cJSON_AddObjectToObject(c, "diagnosticProvider");
        cJSON_AddStringToObject(dp, "identifier", "ward");
        cJSON_AddFalseToObject(dp, "interFileDependencies");
        cJSON_AddFalseToObject(dp, "workspaceDiagnostics");
    }
    cJSON *ws = cJSON_AddObjectToObject(c, "workspace");
    cJSON *wsf = cJSON_AddObjectToObject(ws, "workspaceFolders");
    cJSON_AddTrueToObject(wsf, "supported");
    cJSON_AddTrueToObject(wsf, "changeNotifications");
    if (s->used_offset_encoding)
        cJSON_AddStringToObject(res, "offsetEncoding", s->enc == ENC_UTF8 ? "utf-8" : "utf-16");
    cJSON *si = cJSON_AddObjectToObject(res, "serverInfo");
    cJSON_AddStringToObject(si, "name", "ward");
    cJSON_AddStringToObject(si, "version", WARD_VERSION);
    s->state = ST_READY;
    return res;
}

static void n_initialized(lsp_server *s, const cJSON *params)
{
    (void)params;
    if (!s->cap_watch)
        return;
    cJSON *p = cJSON_CreateObject();
    cJSON *regs = cJSON_AddArrayToObject(p, "registrations");
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToArray(regs, r);
    cJSON_AddStringToObject(r, "id", "ward-config-watch");
    cJSON_AddStringToObject(r, "method", "workspace/didChangeWatchedFiles");
    cJSON *ro = cJSON_AddObjectToObject(r, "registerOptions");
    cJSON *w = cJSON_AddArrayToObject(ro, "watchers");
    static const char *const globs[] = {"**/.ward.toml", "**/.gitleaks.toml", "**/.ward-baseline"};
    for (int i = 0; i < 3; i++) {
        cJSON *g = cJSON_CreateObject();
        cJSON_AddStringToObject(g, "globPattern", globs[i]);
        cJSON_AddItemToArray(w, g);
    }
    send_request(s, "client/registerCapability", p);
}

static cJSON *h_shutdown(lsp_server *s, const cJSON *params, int *code, const char **msg)
{
    (void)params;
    (void)code;
    (void)msg;
    s->state = ST_SHUTDOWN;
    return cJSON_CreateNull();
}

/* ---- text synchronisation ------------------------------------------ */

static void n_did_open(lsp_server *s, const cJSON *params)
{
    const cJSON *td = jobj(params, "textDocument");
    const char *uri = jstr(td, "uri"), *text = jstr(td, "text");
    if (!uri || !text)
        return;
    lsp_doc *d = find_doc(s, uri);
    if (!d) {
        d = calloc(1, sizeof *d);
        if (!d || !(d->uri = strdup(uri))) {
            free(d);
            return;
        }
        d->path = uri_to_path(uri);
        d->next = s->docs;
        s->docs = d;
    }
    free(d->language);
    const char *lang = jstr(td, "languageId");
    d->language = lang ? strdup(lang) : NULL;
    double v = jnum(td, "version");
    d->version = v >= 0 ? (int64_t)v : 0;
    d->len = 0;
    if (doc_replace(d, 0, 0, text, strlen(text)) < 0)
        d->len = 0;
    analyze(s, d);
    publish(s, d);
}

static void n_did_change(lsp_server *s, const cJSON *params)
{
    const cJSON *td = jobj(params, "textDocument");
    lsp_doc *d = find_doc(s, jstr(td, "uri"));
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges");
    if (!d || !cJSON_IsArray(changes))
        return;
    const cJSON *ch;
    cJSON_ArrayForEach(ch, changes)
    {
        const char *text = jstr(ch, "text");
        if (!text)
            continue;
        const cJSON *range = jobj(ch, "range");
        size_t a = 0, b = d->len;
        if (range) {
            uint64_t l0, c0, l1, c1;
            if (get_position(jobj(range, "start"), &l0, &c0) < 0 ||
                get_position(jobj(range, "end"), &l1, &c1) < 0)
                continue;
            const char *t = d->text ? d->text : "";
            a = text_offset(t, d->len, l0, c0, s->enc);
            b = text_offset(t, d->len, l1, c1, s->enc);
            if (b < a) {
                size_t x = a;
                a = b;
                b = x;
            }
        }
        doc_replace(d, a, b, text, strlen(text));
    }
    double v = jnum(td, "version");
    if (v >= 0)
        d->version = (int64_t)v;
    analyze(s, d);
    publish(s, d);
}

/* After the config or the baseline changed on disk: reload what changed
 * and scan every open document again. */
static void reload_changed(lsp_server *s, int cfg, int bl)
{
    if (cfg)
        reload_config(s);
    if (bl)
        load_baseline(s);
    if (cfg || bl)
        reanalyze_all(s);
}

static void n_did_save(lsp_server *s, const cJSON *params)
{
    const char *uri = jstr(jobj(params, "textDocument"), "uri");
    char *path = uri_to_path(uri);
    if (!path)
        return;
    int cfg = is_config_path(path), bl = is_baseline_path(path);
    free(path);
    reload_changed(s, cfg, bl);
}

static void n_did_close(lsp_server *s, const cJSON *params)
{
    const char *uri = jstr(jobj(params, "textDocument"), "uri");
    for (lsp_doc **pp = &s->docs; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->uri, uri ? uri : "")) {
            continue;
        }
        lsp_doc *d = *pp;
        *pp = d->next;
        publish_raw(s, d->uri, -1, cJSON_CreateArray(), cJSON_CreateArray(), 1);
        doc_free(d);
        return;
    }
}

static void n_watched(lsp_server *s, const cJSON *params)
{
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "changes"), *c;
    int cfg = 0, bl = 0;
    cJSON_ArrayForEach(c, changes)
    {
        char *path = uri_to_path(jstr(c, "uri"));
        if (path) {
            cfg |= is_config_path(path);
            bl |= is_baseline_path(path);
        }
        free(path);
    }
    reload_changed(s, cfg, bl);
}

static void n_folders(lsp_server *s, const cJSON *params)
{
    const cJSON *ev = jobj(params, "event"), *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(ev, "removed")) remove_root(s, jstr(f, "uri"));
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(ev, "added")) add_root(s, jstr(f, "uri"));
    load_baseline(s);
}

/* ---- pull diagnostics ---------------------------------------------- */

static cJSON *h_diagnostic(lsp_server *s, const cJSON *params, int *code, const char **msg)
{
    const char *uri = jstr(jobj(params, "textDocument"), "uri");
    if (!uri) {
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: textDocument.uri is required";
        return NULL;
    }
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "kind", "full");
    lsp_doc *d = find_doc(s, uri);
    cJSON_AddItemToObject(res, "items", d ? doc_diagnostics(s, d, NULL) : cJSON_CreateArray());
    return res;
}

/* ---- code actions -------------------------------------------------- */

/* End of the line containing byte off (before CR LF). */
static size_t eol(const char *t, size_t len, size_t off)
{
    const char *nl = memchr(t + off, '\n', len - off);
    size_t e = nl ? (size_t)(nl - t) : len;
    if (e > off && t[e - 1] == '\r')
        e--;
    return e;
}

static cJSON *text_edit(const lsp_server *s, const char *t, size_t len, size_t a, size_t b,
                        const char *newtext)
{
    uint64_t l0, c0, l1, c1;
    text_position(t, len, a, s->enc, &l0, &c0);
    text_position(t, len, b, s->enc, &l1, &c1);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddItemToObject(e, "range", make_range(l0, c0, l1, c1));
    cJSON_AddStringToObject(e, "newText", newtext);
    return e;
}

static cJSON *doc_edit(const char *uri, int64_t version, cJSON *edits)
{
    cJSON *de = cJSON_CreateObject();
    cJSON *id = cJSON_AddObjectToObject(de, "textDocument");
    cJSON_AddStringToObject(id, "uri", uri);
    if (version >= 0)
        cJSON_AddNumberToObject(id, "version", (double)version);
    else
        cJSON_AddNullToObject(id, "version");
    cJSON_AddItemToObject(de, "edits", edits);
    return de;
}

/* A WorkspaceEdit changing one document. */
static cJSON *single_edit(const lsp_server *s, const lsp_doc *d, cJSON *edits)
{
    cJSON *we = cJSON_CreateObject();
    if (s->cap_doc_changes) {
        cJSON *dc = cJSON_AddArrayToObject(we, "documentChanges");
        cJSON_AddItemToArray(dc, doc_edit(d->uri, d->version, edits));
    } else {
        cJSON *ch = cJSON_AddObjectToObject(we, "changes");
        cJSON_AddItemToObject(ch, d->uri, edits);
    }
    return we;
}

static cJSON *new_action(const char *title, cJSON *diag)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "title", title);
    cJSON_AddStringToObject(a, "kind", "quickfix");
    cJSON *ds = cJSON_AddArrayToObject(a, "diagnostics");
    cJSON_AddItemToArray(ds, diag);
    return a;
}

/* Appends text to the file at path as a CreateFile (if absent) plus an
 * insertion at its end; skipped when `unless_line` is already a line of it. */
static void append_to_file(lsp_server *s, cJSON *dc, const char *path, const char *text,
                           const char *const *unless_lines)
{
    char *uri = path_to_uri(path);
    if (!uri)
        return;
    size_t len = 0;
    char *cur = NULL;
    lsp_doc *open = find_doc(s, uri);
    if (open) {
        cur = malloc(open->len + 1);
        if (cur) {
            memcpy(cur, open->text ? open->text : "", open->len);
            cur[open->len] = '\0';
            len = open->len;
        }
    } else {
        cur = read_file(path, &len, 16u << 20);
    }
    if (cur && unless_lines) {
        for (const char *const *u = unless_lines; *u; u++) {
            size_t ul = strlen(*u);
            for (size_t i = 0; i + ul <= len;) {
                const char *p = memmem(cur + i, len - i, *u, ul);
                if (!p)
                    break;
                size_t at = (size_t)(p - cur);
                if ((at == 0 || cur[at - 1] == '\n') &&
                    (at + ul == len || cur[at + ul] == '\n' || cur[at + ul] == '\r')) {
                    free(cur);
                    free(uri);
                    return;
                }
                i = at + 1;
            }
        }
    }
    if (!cur) {
        cJSON *cf = cJSON_CreateObject();
        cJSON_AddStringToObject(cf, "kind", "create");
        cJSON_AddStringToObject(cf, "uri", uri);
        cJSON *o = cJSON_AddObjectToObject(cf, "options");
        cJSON_AddTrueToObject(o, "ignoreIfExists");
        cJSON_AddItemToArray(dc, cf);
    }
    size_t tl = strlen(text);
    char *ins = malloc(tl + 2);
    if (ins) {
        int need_nl = cur && len && cur[len - 1] != '\n';
        snprintf(ins, tl + 2, "%s%s", need_nl ? "\n" : "", text);
        cJSON *edits = cJSON_CreateArray();
        cJSON_AddItemToArray(edits, text_edit(s, cur ? cur : "", len, len, len, ins));
        cJSON_AddItemToArray(dc, doc_edit(uri, open ? open->version : -1, edits));
        free(ins);
    }
    free(cur);
    free(uri);
}

static int env_safe(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./+=:@~",
                    v[i]))
            return 0;
    return 1;
}

static cJSON *env_action_(lsp_server *s, const lsp_doc *d, const lsp_finding *f, cJSON *diag);

/* The "move to .env" action, or NULL (diag is consumed either way). */
static cJSON *env_action(lsp_server *s, const lsp_doc *d, const lsp_finding *f, cJSON *diag)
{
    cJSON *a = env_action_(s, d, f, diag);
    if (!a)
        cJSON_Delete(diag);
    return a;
}

static cJSON *env_action_(lsp_server *s, const lsp_doc *d, const lsp_finding *f, cJSON *diag)
{
    lsp_envlang lang = env_language(d->language, d->path);
    if (lang == ENV_NONE || !s->cap_doc_changes || !s->cap_create || !d->path)
        return NULL;
    size_t ls, le;
    char name[128];
    char *rep = NULL;
    if (env_plan(lang, d->text, d->len, f->offset, f->length, f->rule_id, &ls, &le, name,
                 sizeof name, &rep) < 0)
        return NULL;
    const char *secret = d->text + f->offset;
    if (!env_safe(secret, f->length) && memchr(secret, '\'', f->length)) {
        free(rep);
        return NULL;
    }
    char title[256];
    snprintf(title, sizeof title, "Move this secret to .env as %s", name);
    cJSON *a = new_action(title, diag);
    cJSON *we = cJSON_AddObjectToObject(a, "edit");
    cJSON *dc = cJSON_AddArrayToObject(we, "documentChanges");
    cJSON *edits = cJSON_CreateArray();
    cJSON_AddItemToArray(edits, text_edit(s, d->text, d->len, ls, le, rep));
    free(rep);
    /* Imports the lookup needs. */
    if (lang == ENV_PYTHON && !strstr(d->text, "import os")) {
        size_t at = d->len >= 2 && !strncmp(d->text, "#!", 2) ? eol(d->text, d->len, 0) : 0;
        if (at && at < d->len)
            at = (size_t)((char *)memchr(d->text + at, '\n', d->len - at) - d->text) + 1;
        cJSON_AddItemToArray(edits, text_edit(s, d->text, d->len, at, at, "import os\n"));
    } else if (lang == ENV_GO && !strstr(d->text, "\"os\"")) {
        const char *imp = strstr(d->text, "import (\n");
        if (imp) {
            size_t at = (size_t)(imp - d->text) + 9;
            cJSON_AddItemToArray(edits, text_edit(s, d->text, d->len, at, at, "\t\"os\"\n"));
        }
    }
    cJSON_AddItemToArray(dc, doc_edit(d->uri, d->version, edits));

    char *dir = home_dir(s, d->path);
    if (!dir)
        return a;
    size_t pl = strlen(dir) + 32;
    char *p = malloc(pl);
    size_t vl = strlen(name) + f->length + 8;
    char *line = malloc(vl);
    if (p && line) {
        int safe = env_safe(secret, f->length);
        snprintf(line, vl, "%s=%s%.*s%s\n", name, safe ? "" : "'", (int)f->length, secret,
                 safe ? "" : "'");
        snprintf(p, pl, "%s/.env", dir);
        append_to_file(s, dc, p, line, NULL);
        char bare[160];
        snprintf(bare, sizeof bare, "%s=", name);
        const char *const unless_ex[] = {bare, NULL};
        snprintf(line, vl, "%s=\n", name);
        snprintf(p, pl, "%s/.env.example", dir);
        append_to_file(s, dc, p, line, unless_ex);
        static const char *const unless_gi[] = {".env", "/.env", ".env*", "/.env*", "*.env", NULL};
        snprintf(p, pl, "%s/.gitignore", dir);
        append_to_file(s, dc, p, ".env\n", unless_gi);
    }
    free(line);
    free(p);
    free(dir);
    return a;
}

static cJSON *h_code_action(lsp_server *s, const cJSON *params, int *code, const char **msg)
{
    const char *uri = jstr(jobj(params, "textDocument"), "uri");
    const cJSON *range = jobj(params, "range");
    uint64_t l0, c0, l1, c1;
    if (!uri || !range || get_position(jobj(range, "start"), &l0, &c0) < 0 ||
        get_position(jobj(range, "end"), &l1, &c1) < 0) {
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: textDocument.uri and range are required";
        return NULL;
    }
    cJSON *res = cJSON_CreateArray();
    const cJSON *only = jpath(params, "context.only");
    if (cJSON_IsArray(only) && !array_has(only, "quickfix"))
        return res;
    lsp_doc *d = find_doc(s, uri);
    if (!d || !d->text)
        return res;
    size_t a = text_offset(d->text, d->len, l0, c0, s->enc);
    size_t b = text_offset(d->text, d->len, l1, c1, s->enc);
    if (b < a) {
        size_t x = a;
        a = b;
        b = x;
    }
    lsp_comment cs = comment_style(d->language, d->path);
    pos_cursor cur = {0, 0, 0};
    for (size_t i = 0; i < d->n_findings; i++) {
        const lsp_finding *f = &d->findings[i];
        if (f->offset > b || f->offset + f->length < a)
            continue;
        cJSON *r = finding_range(s, d, f, &cur);
        cJSON *diag = make_diagnostic(s, r, f->rule_id, f->message, f->confidence,
                                      f->fingerprint);
        if (cs != CMT_NONE) {
            cJSON *act = new_action("Allow this secret with a ward:allow comment",
                                    cJSON_Duplicate(diag, 1));
            size_t end = f->length ? f->offset + f->length - 1 : f->offset;
            size_t at = eol(d->text, d->len, end);
            cJSON *edits = cJSON_CreateArray();
            cJSON_AddItemToArray(edits, text_edit(s, d->text, d->len, at, at, comment_text(cs)));
            cJSON_AddItemToObject(act, "edit", single_edit(s, d, edits));
            cJSON_AddItemToArray(res, act);
        }
        cJSON *env = env_action(s, d, f, cJSON_Duplicate(diag, 1));
        if (env) {
            cJSON_AddTrueToObject(env, "isPreferred");
            cJSON_AddItemToArray(res, env);
        }
        if (d->path) {
            cJSON *act = new_action("Add this secret to the ward baseline (.ward-baseline)",
                                    cJSON_Duplicate(diag, 1));
            cJSON *cmd = cJSON_AddObjectToObject(act, "command");
            cJSON_AddStringToObject(cmd, "title", "Add to the ward baseline");
            cJSON_AddStringToObject(cmd, "command", "ward.addToBaseline");
            cJSON *args = cJSON_AddArrayToObject(cmd, "arguments");
            cJSON *arg = cJSON_CreateObject();
            cJSON_AddStringToObject(arg, "uri", d->uri);
            cJSON_AddStringToObject(arg, "ruleId", f->rule_id);
            cJSON_AddStringToObject(arg, "fingerprint", f->fingerprint);
            cJSON_AddItemToArray(args, arg);
            cJSON_AddItemToArray(res, act);
        }
        cJSON_Delete(diag);
    }
    return res;
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

static cJSON *add_to_baseline(lsp_server *s, const cJSON *args, int *code, const char **msg)
{
    const cJSON *a = cJSON_GetArrayItem(args, 0);
    const char *uri = jstr(a, "uri"), *rule = jstr(a, "ruleId"), *fp = jstr(a, "fingerprint");
    char *path = s->opts.dry_run ? NULL : uri_to_path(uri);
    if (!path || !rule || !*rule || strpbrk(rule, "\t\n\r") || !valid_fingerprint(fp)) {
        free(path);
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: expected {uri, ruleId, fingerprint}";
        return NULL;
    }
    char *dir = home_dir(s, path);
    char file[4096], err[512] = "";
    snprintf(file, sizeof file, "%s/.ward-baseline", dir ? dir : ".");
    free(dir);
    ward_finding f;
    memset(&f, 0, sizeof f);
    f.rule_id = rule;
    f.path = rel_path(s, path);
    memcpy(f.fingerprint, fp, WARD_FINGERPRINT_LEN + 1);
    ward_baseline *b = NULL;
    ward_status st = ward_baseline_new(&b);
    if (st == WARD_OK && file_exists(file))
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
    load_baseline(s);
    reanalyze_all(s);
    return cJSON_CreateNull();
}

typedef struct ws_ctx {
    lsp_server *s;
    char *path;       /* the file being collected */
    cJSON *diags, *ranges;
    char **uris;      /* published this scan */
    size_t n_uris;
    const char *token;
    uint64_t files_with_findings, findings;
} ws_ctx;

static int is_open_path(lsp_server *s, const char *path)
{
    for (lsp_doc *d = s->docs; d; d = d->next)
        if (d->path && !strcmp(d->path, path))
            return 1;
    return 0;
}

static void ws_flush(ws_ctx *c)
{
    if (c->path && c->diags) {
        char *uri = path_to_uri(c->path);
        if (uri) {
            publish_raw(c->s, uri, -1, c->diags, c->ranges, 1);
            char **nu = realloc(c->uris, (c->n_uris + 1) * sizeof *nu);
            if (nu) {
                c->uris = nu;
                c->uris[c->n_uris++] = uri;
            } else {
                free(uri);
            }
            c->files_with_findings++;
        } else {
            cJSON_Delete(c->diags);
            cJSON_Delete(c->ranges);
        }
    } else {
        cJSON_Delete(c->diags);
        cJSON_Delete(c->ranges);
    }
    free(c->path);
    c->path = NULL;
    c->diags = c->ranges = NULL;
}

static int ws_finding(const ward_finding *f, void *user)
{
    ws_ctx *c = user;
    lsp_server *s = c->s;
    if (!f->path)
        return 0;
    if (!c->path || strcmp(c->path, f->path)) {
        ws_flush(c);
        c->path = strdup(f->path);
        if (!c->path || is_open_path(s, f->path))
            return 0; /* an open document has live diagnostics already */
        c->diags = cJSON_CreateArray();
        c->ranges = cJSON_CreateArray();
    }
    if (!c->diags)
        return 0;
    const char *rel = rel_path(s, f->path);
    if (in_baseline(s, f, rel))
        return 0;
    /* Columns from the finding: bytes, converted with the line's text when
     * it is all there (line_text is capped for very long lines). */
    uint64_t c0 = f->column - 1, c1 = f->end_column - 1;
    if (s->enc == ENC_UTF16) {
        if (f->line_col0 == f->column - 1 && f->line_col0 <= f->line_len)
            c0 = enc_units(f->line_text, f->line_col0, ENC_UTF16);
        if (f->end_line == f->line) {
            c1 = c0 + enc_units(f->secret, f->secret_len, ENC_UTF16);
        } else {
            const char *lastnl = memrchr(f->secret, '\n', f->secret_len);
            size_t k = lastnl ? (size_t)(f->secret + f->secret_len - lastnl - 1) : 0;
            c1 = enc_units(f->secret + f->secret_len - k, k, ENC_UTF16);
        }
    }
    cJSON *r = make_range(f->line - 1, c0, f->end_line - 1, c1);
    cJSON_AddItemToArray(c->ranges, cJSON_Duplicate(r, 1));
    char *m = finding_message(f);
    cJSON_AddItemToArray(c->diags, make_diagnostic(s, r, f->rule_id, m ? m : f->rule_id,
                                                   f->confidence, f->fingerprint));
    free(m);
    c->findings++;
    return 0;
}

static void progress(lsp_server *s, const char *token, const char *kind, const char *title,
                     const char *message)
{
    if (!token)
        return;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "token", token);
    cJSON *v = cJSON_AddObjectToObject(p, "value");
    cJSON_AddStringToObject(v, "kind", kind);
    if (title)
        cJSON_AddStringToObject(v, "title", title);
    if (message)
        cJSON_AddStringToObject(v, "message", message);
    send_notification(s, "$/progress", p);
}

static void ws_progress(const ward_progress *p, void *user)
{
    ws_ctx *c = user;
    if (p->done)
        return;
    char m[128];
    snprintf(m, sizeof m, "%llu files, %llu findings", (unsigned long long)p->files,
             (unsigned long long)p->findings);
    progress(c->s, c->token, "report", NULL, m);
}

static void run_scan(lsp_server *s, const cJSON *req_id, const char *token)
{
    ws_ctx c = {0};
    c.s = s;
    c.token = token;
    progress(s, token, "begin", "ward: scanning the workspace", NULL);
    ward_walk_options wo = {0};
    wo.threads = s->opts.threads;
    ward_callbacks cb = {ws_finding, NULL, ws_progress, &c};
    uint64_t files = 0;
    ward_status st = WARD_OK;
    if (s->n_roots && !s->opts.dry_run)
        st = ward_scan_paths(s->engine, (const char *const *)s->roots, s->n_roots, &wo, &cb);
    ws_flush(&c);
    /* Files published by the previous scan and clean now. */
    for (size_t i = 0; i < s->n_scan_uris; i++) {
        int again = 0;
        for (size_t j = 0; j < c.n_uris && !again; j++)
            again = !strcmp(s->scan_uris[i], c.uris[j]);
        if (!again && !find_doc(s, s->scan_uris[i]))
            publish_raw(s, s->scan_uris[i], -1, cJSON_CreateArray(), cJSON_CreateArray(), 1);
        free(s->scan_uris[i]);
    }
    free(s->scan_uris);
    s->scan_uris = c.uris;
    s->n_scan_uris = c.n_uris;
    char m[160];
    snprintf(m, sizeof m, "%llu findings in %llu files", (unsigned long long)c.findings,
             (unsigned long long)c.files_with_findings);
    progress(s, token, "end", NULL, m);
    (void)files;
    if (st != WARD_OK && st != WARD_EPARTIAL) {
        send_error(s, req_id, RPC_REQUEST_FAILED, ward_strerror(st));
        return;
    }
    cJSON *res = cJSON_CreateObject();
    cJSON_AddNumberToObject(res, "findings", (double)c.findings);
    cJSON_AddNumberToObject(res, "files", (double)c.files_with_findings);
    cJSON_AddBoolToObject(res, "partial", st == WARD_EPARTIAL);
    send_result(s, req_id, res);
}

static cJSON deferred_marker;
#define DEFERRED (&deferred_marker)

static cJSON *h_execute(lsp_server *s, const cJSON *params, const cJSON *id, int *code,
                        const char **msg)
{
    const char *cmd = jstr(params, "command");
    if (!cmd) {
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: command is required";
        return NULL;
    }
    if (!strcmp(cmd, "ward.addToBaseline"))
        return add_to_baseline(s, cJSON_GetObjectItemCaseSensitive(params, "arguments"), code, msg);
    if (strcmp(cmd, "ward.scanWorkspace")) {
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: unknown command";
        return NULL;
    }
    if (s->pending_req_id) {
        *code = RPC_REQUEST_FAILED;
        *msg = "Request failed: a workspace scan is already starting";
        return NULL;
    }
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(params, "workDoneToken");
    char buf[64];
    if (cJSON_IsString(tok)) {
        run_scan(s, id, tok->valuestring);
    } else if (cJSON_IsNumber(tok)) {
        snprintf(buf, sizeof buf, "%.0f", tok->valuedouble);
        run_scan(s, id, buf); /* a numeric token echoed as a string is not ideal, but rare */
    } else if (s->cap_progress) {
        /* Ask the client for a token; the scan starts when it answers. */
        snprintf(buf, sizeof buf, "ward-scan-%ld", s->next_id + 1);
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "token", buf);
        s->pending_req_id = cJSON_Duplicate(id, 1);
        s->pending_create = send_request(s, "window/workDoneProgress/create", p);
    } else {
        run_scan(s, id, NULL);
    }
    return DEFERRED;
}

static void on_response(lsp_server *s, const cJSON *msg)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    if (!s->pending_create || !cJSON_IsNumber(id) || (long)id->valuedouble != s->pending_create)
        return;
    char token[64];
    snprintf(token, sizeof token, "ward-scan-%ld", s->pending_create);
    int ok = cJSON_GetObjectItemCaseSensitive(msg, "error") == NULL;
    cJSON *req = s->pending_req_id;
    s->pending_req_id = NULL;
    s->pending_create = 0;
    if (s->state == ST_READY)
        run_scan(s, req, ok ? token : NULL);
    cJSON_Delete(req);
}

/* ---- dispatch ------------------------------------------------------ */

typedef struct method {
    const char *name;
    cJSON *(*request)(lsp_server *, const cJSON *, int *, const char **);
    void (*notify)(lsp_server *, const cJSON *);
} method;

static const method methods[] = {
    {"initialize", h_initialize, NULL},
    {"shutdown", h_shutdown, NULL},
    {"textDocument/diagnostic", h_diagnostic, NULL},
    {"textDocument/codeAction", h_code_action, NULL},
    {"workspace/executeCommand", NULL, NULL}, /* handled specially: may defer */
    {"initialized", NULL, n_initialized},
    {"textDocument/didOpen", NULL, n_did_open},
    {"textDocument/didChange", NULL, n_did_change},
    {"textDocument/didSave", NULL, n_did_save},
    {"textDocument/didClose", NULL, n_did_close},
    {"workspace/didChangeWatchedFiles", NULL, n_watched},
    {"workspace/didChangeWorkspaceFolders", NULL, n_folders},
};

static void dispatch(lsp_server *s, const cJSON *msg)
{
    const cJSON *jv = cJSON_GetObjectItemCaseSensitive(msg, "jsonrpc");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const cJSON *mj = cJSON_GetObjectItemCaseSensitive(msg, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    int has_id = id != NULL;
    if (has_id && !cJSON_IsNumber(id) && !cJSON_IsString(id) && !cJSON_IsNull(id)) {
        send_error(s, NULL, RPC_INVALID_REQUEST, "Invalid request: id must be a number or string");
        return;
    }
    if (!cJSON_IsString(jv) || strcmp(jv->valuestring, "2.0")) {
        send_error(s, id, RPC_INVALID_REQUEST, "Invalid request: jsonrpc must be \"2.0\"");
        return;
    }
    if (!mj) {
        if (has_id && (cJSON_GetObjectItemCaseSensitive(msg, "result") ||
                       cJSON_GetObjectItemCaseSensitive(msg, "error"))) {
            on_response(s, msg);
            return;
        }
        send_error(s, id, RPC_INVALID_REQUEST, "Invalid request: no method");
        return;
    }
    if (!cJSON_IsString(mj)) {
        send_error(s, id, RPC_INVALID_REQUEST, "Invalid request: method must be a string");
        return;
    }
    if (params && !cJSON_IsObject(params) && !cJSON_IsArray(params)) {
        if (has_id)
            send_error(s, id, RPC_INVALID_REQUEST,
                       "Invalid request: params must be an object or an array");
        return;
    }
    const char *name = mj->valuestring;
    if (!strcmp(name, "exit")) {
        s->exit_status = s->state == ST_SHUTDOWN ? 0 : 1;
        s->state = ST_EXITED;
        return;
    }
    if (s->state == ST_UNINIT && strcmp(name, "initialize")) {
        if (has_id)
            send_error(s, id, RPC_SERVER_NOT_INITIALIZED, "Server not initialized");
        return;
    }
    if (s->state == ST_SHUTDOWN) {
        if (has_id)
            send_error(s, id, RPC_INVALID_REQUEST, "Invalid request: the server is shutting down");
        return;
    }
    const method *m = NULL;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (!strcmp(methods[i].name, name))
            m = &methods[i];
    if (!m) {
        if (has_id)
            send_error(s, id, RPC_METHOD_NOT_FOUND, "Method not found");
        return; /* unknown notifications ($/cancelRequest, $/setTrace, ...) are ignored */
    }
    if (m->notify) {
        m->notify(s, params);
        if (has_id)
            send_result(s, id, NULL);
        return;
    }
    if (!has_id)
        return; /* a request sent as a notification cannot be answered */
    int code = 0;
    const char *text = NULL;
    cJSON *res;
    if (!strcmp(name, "workspace/executeCommand"))
        res = h_execute(s, params, id, &code, &text);
    else
        res = m->request(s, params, &code, &text);
    if (res == DEFERRED)
        return;
    if (res)
        send_result(s, id, res);
    else
        send_error(s, id, code ? code : RPC_INTERNAL_ERROR, text ? text : "Internal error");
}

static void on_body(void *user, const char *body, size_t len)
{
    lsp_server *s = user;
    if (s->state == ST_EXITED)
        return;
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!j) {
        send_error(s, NULL, RPC_PARSE_ERROR, "Parse error: invalid JSON");
        return;
    }
    if (cJSON_IsObject(j))
        dispatch(s, j);
    else
        send_error(s, NULL, RPC_INVALID_REQUEST,
                   cJSON_IsArray(j) ? "Invalid request: batches are not supported"
                                    : "Invalid request: not an object");
    cJSON_Delete(j);
}

static void on_frame_error(void *user, int code, const char *msg)
{
    lsp_server *s = user;
    if (s->state != ST_EXITED)
        send_error(s, NULL, code, msg);
}

int lsp_feed(lsp_server *s, const char *buf, size_t len)
{
    if (s->state == ST_EXITED)
        return 1;
    rpc_sink sink = {on_body, on_frame_error, s};
    if (rpc_reader_feed(&s->rd, buf, len, &sink) < 0)
        return -1;
    return s->state == ST_EXITED ? 1 : 0;
}

int lsp_exit_status(const lsp_server *s)
{
    return s->state == ST_EXITED ? s->exit_status : 0;
}

lsp_server *lsp_server_new(const lsp_options *opts, lsp_write_fn out, void *user, char *errbuf,
                           size_t errlen)
{
    lsp_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
        return NULL;
    }
    if (opts)
        s->opts = *opts;
    s->out = out;
    s->out_user = user;
    s->enc = ENC_UTF16;
    s->sev[WARD_CONF_HIGH] = 1;
    s->sev[WARD_CONF_MEDIUM] = 2;
    s->sev[WARD_CONF_LOW] = 3;
    s->push_open = 1;
    rpc_reader_init(&s->rd);
    /* The built-in catalog, so the server works before (and without) a
     * workspace; initialize swaps in the workspace's configuration. */
    ward_engine_options eo = {0};
    eo.config_path = opts ? opts->config_path : NULL;
    if (ward_engine_new(&eo, &s->engine, errbuf, errlen) != WARD_OK ||
        ward_scanner_new(s->engine, &s->scanner) != WARD_OK) {
        lsp_server_free(s);
        return NULL;
    }
    return s;
}

void lsp_server_free(lsp_server *s)
{
    if (!s)
        return;
    while (s->docs) {
        lsp_doc *d = s->docs;
        s->docs = d->next;
        doc_free(d);
    }
    for (size_t i = 0; i < s->n_roots; i++)
        free(s->roots[i]);
    free(s->roots);
    for (size_t i = 0; i < s->n_scan_uris; i++)
        free(s->scan_uris[i]);
    free(s->scan_uris);
    free_baseline(s);
    free(s->init_config);
    cJSON_Delete(s->pending_req_id);
    rpc_reader_free(&s->rd);
    ward_scanner_free(s->scanner);
    ward_engine_free(s->engine);
    free(s);
}
