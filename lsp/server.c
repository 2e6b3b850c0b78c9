/* server.c - the language server object: message dispatch, the lifecycle
 * (initialize, shutdown, exit) and text synchronisation.
 *
 * Positions go out in the negotiated encoding (UTF-8 when the client offers
 * it, else UTF-16).  The other jobs live beside this file: diagnostics.c,
 * actions.c, workspace.c, scan.c, output.c (see server.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

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
    const cJSON *caps = lsp_jobj(params, "capabilities");
    /* Position encoding: UTF-8 when offered (LSP 3.17, or the older
     * offsetEncoding extension some clients send), UTF-16 otherwise. */
    const cJSON *pe = lsp_jpath(caps, "general.positionEncodings");
    const cJSON *oe = cJSON_GetObjectItemCaseSensitive(caps, "offsetEncoding");
    s->enc = ENC_UTF16;
    if (cJSON_IsArray(pe) && lsp_array_has(pe, "utf-8"))
        s->enc = ENC_UTF8;
    if (cJSON_IsArray(oe)) {
        s->used_offset_encoding = 1;
        if (lsp_array_has(oe, "utf-8"))
            s->enc = ENC_UTF8;
    }
    s->cap_pull = lsp_jtrue(caps, "textDocument.diagnostic");
    s->cap_progress = lsp_jtrue(caps, "window.workDoneProgress");
    s->cap_doc_changes = lsp_jtrue(caps, "workspace.workspaceEdit.documentChanges");
    s->cap_create = lsp_array_has(lsp_jpath(caps, "workspace.workspaceEdit.resourceOperations"), "create");
    s->cap_watch = lsp_jtrue(caps, "workspace.didChangeWatchedFiles.dynamicRegistration");
    s->cap_refresh = lsp_jtrue(caps, "workspace.diagnostics.refreshSupport");

    const cJSON *io = lsp_jobj(params, "initializationOptions");
    const cJSON *sev = lsp_jobj(io, "severity");
    s->sev[WARD_CONF_HIGH] = severity_value(lsp_jpath(sev, "high"), 1);
    s->sev[WARD_CONF_MEDIUM] = severity_value(lsp_jpath(sev, "medium"), 2);
    s->sev[WARD_CONF_LOW] = severity_value(lsp_jpath(sev, "low"), 3);
    const cJSON *push = cJSON_GetObjectItemCaseSensitive(io, "pushDiagnostics");
    /* A client that pulls gets no pushes for open documents (it would show
     * each finding twice), unless it asks for both. */
    s->push_open = cJSON_IsBool(push) ? cJSON_IsTrue(push) : !s->cap_pull;
    const char *cp = lsp_jstr(io, "configPath");
    if (cp && *cp)
        s->init_config = strdup(cp);

    const cJSON *wf = cJSON_GetObjectItemCaseSensitive(params, "workspaceFolders");
    const cJSON *f;
    if (cJSON_IsArray(wf))
        cJSON_ArrayForEach(f, wf) lsp_add_root(s, lsp_jstr(f, "uri"));
    if (!s->n_roots && lsp_jstr(params, "rootUri"))
        lsp_add_root(s, lsp_jstr(params, "rootUri"));
    if (!s->n_roots && lsp_jstr(params, "rootPath")) {
        char *u = lsp_path_to_uri(lsp_jstr(params, "rootPath"));
        if (u)
            lsp_add_root(s, u);
        free(u);
    }
    if (s->n_roots || s->init_config || s->opts.config_path)
        lsp_reload_config(s);
    lsp_load_baseline(s);

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
    lsp_send_request(s, "client/registerCapability", p);
}

static cJSON *h_shutdown(lsp_server *s, const cJSON *params, int *code, const char **msg)
{
    (void)params;
    (void)code;
    (void)msg;
    lsp_scan_cancel(s); /* its thread is joined when the server is freed */
    s->state = ST_SHUTDOWN;
    return cJSON_CreateNull();
}

/* ---- text synchronisation ------------------------------------------ */

static void n_did_open(lsp_server *s, const cJSON *params)
{
    const cJSON *td = lsp_jobj(params, "textDocument");
    const char *uri = lsp_jstr(td, "uri"), *text = lsp_jstr(td, "text");
    if (!uri || !text)
        return;
    lsp_doc *d = lsp_find_doc(s, uri);
    if (!d) {
        d = calloc(1, sizeof *d);
        if (!d || !(d->uri = strdup(uri))) {
            free(d);
            return;
        }
        d->path = lsp_uri_to_path(uri);
        d->next = s->docs;
        s->docs = d;
    }
    free(d->language);
    const char *lang = lsp_jstr(td, "languageId");
    d->language = lang ? strdup(lang) : NULL;
    double v = lsp_jnum(td, "version");
    d->version = v >= 0 ? (int64_t)v : 0;
    d->len = 0;
    if (lsp_doc_replace(d, 0, 0, text, strlen(text)) < 0)
        d->len = 0;
    lsp_analyze(s, d);
    lsp_publish(s, d);
}

static void n_did_change(lsp_server *s, const cJSON *params)
{
    const cJSON *td = lsp_jobj(params, "textDocument");
    lsp_doc *d = lsp_find_doc(s, lsp_jstr(td, "uri"));
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(params, "contentChanges");
    if (!d || !cJSON_IsArray(changes))
        return;
    const cJSON *ch;
    cJSON_ArrayForEach(ch, changes)
    {
        const char *text = lsp_jstr(ch, "text");
        if (!text)
            continue;
        const cJSON *range = lsp_jobj(ch, "range");
        size_t a = 0, b = d->len;
        if (range) {
            uint64_t l0, c0, l1, c1;
            if (lsp_get_position(lsp_jobj(range, "start"), &l0, &c0) < 0 ||
                lsp_get_position(lsp_jobj(range, "end"), &l1, &c1) < 0)
                continue;
            const char *t = d->text ? d->text : "";
            a = lsp_text_offset(t, d->len, l0, c0, s->enc);
            b = lsp_text_offset(t, d->len, l1, c1, s->enc);
            if (b < a) {
                size_t x = a;
                a = b;
                b = x;
            }
        }
        lsp_doc_replace(d, a, b, text, strlen(text));
    }
    double v = lsp_jnum(td, "version");
    if (v >= 0)
        d->version = (int64_t)v;
    lsp_analyze(s, d);
    lsp_publish(s, d);
}
static void n_did_close(lsp_server *s, const cJSON *params)
{
    const char *uri = lsp_jstr(lsp_jobj(params, "textDocument"), "uri");
    for (lsp_doc **pp = &s->docs; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->uri, uri ? uri : "")) {
            continue;
        }
        lsp_doc *d = *pp;
        *pp = d->next;
        lsp_publish_raw(s, d->uri, -1, cJSON_CreateArray(), cJSON_CreateArray(), 1);
        lsp_doc_free(d);
        return;
    }
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
    {"textDocument/diagnostic", lsp_h_diagnostic, NULL},
    {"textDocument/codeAction", lsp_h_code_action, NULL},
    {"workspace/executeCommand", NULL, NULL}, /* handled specially: may defer */
    {"initialized", NULL, n_initialized},
    {"textDocument/didOpen", NULL, n_did_open},
    {"textDocument/didChange", NULL, n_did_change},
    {"textDocument/didSave", NULL, lsp_on_did_save},
    {"textDocument/didClose", NULL, n_did_close},
    {"workspace/didChangeWatchedFiles", NULL, lsp_on_watched},
    {"workspace/didChangeWorkspaceFolders", NULL, lsp_on_folders},
    {"$/cancelRequest", NULL, lsp_on_cancel_request},
    {"window/workDoneProgress/cancel", NULL, lsp_on_progress_cancel},
};

static void dispatch(lsp_server *s, const cJSON *msg)
{
    const cJSON *jv = cJSON_GetObjectItemCaseSensitive(msg, "jsonrpc");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    const cJSON *mj = cJSON_GetObjectItemCaseSensitive(msg, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    int has_id = id != NULL;
    if (has_id && !cJSON_IsNumber(id) && !cJSON_IsString(id) && !cJSON_IsNull(id)) {
        lsp_send_error(s, NULL, RPC_INVALID_REQUEST, "Invalid request: id must be a number or string");
        return;
    }
    if (!cJSON_IsString(jv) || strcmp(jv->valuestring, "2.0")) {
        lsp_send_error(s, id, RPC_INVALID_REQUEST, "Invalid request: jsonrpc must be \"2.0\"");
        return;
    }
    if (!mj) {
        if (has_id && (cJSON_GetObjectItemCaseSensitive(msg, "result") ||
                       cJSON_GetObjectItemCaseSensitive(msg, "error"))) {
            lsp_on_response(s, msg);
            return;
        }
        lsp_send_error(s, id, RPC_INVALID_REQUEST, "Invalid request: no method");
        return;
    }
    if (!cJSON_IsString(mj)) {
        lsp_send_error(s, id, RPC_INVALID_REQUEST, "Invalid request: method must be a string");
        return;
    }
    if (params && !cJSON_IsObject(params) && !cJSON_IsArray(params)) {
        if (has_id)
            lsp_send_error(s, id, RPC_INVALID_REQUEST,
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
            lsp_send_error(s, id, RPC_SERVER_NOT_INITIALIZED, "Server not initialized");
        return;
    }
    if (s->state == ST_SHUTDOWN) {
        if (has_id)
            lsp_send_error(s, id, RPC_INVALID_REQUEST, "Invalid request: the server is shutting down");
        return;
    }
    const method *m = NULL;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (!strcmp(methods[i].name, name))
            m = &methods[i];
    if (!m) {
        if (has_id)
            lsp_send_error(s, id, RPC_METHOD_NOT_FOUND, "Method not found");
        return; /* unknown notifications ($/setTrace, ...) are ignored */
    }
    if (m->notify) {
        m->notify(s, params);
        if (has_id)
            lsp_send_result(s, id, NULL);
        return;
    }
    if (!has_id)
        return; /* a request sent as a notification cannot be answered */
    int code = 0;
    const char *text = NULL;
    cJSON *res;
    if (!strcmp(name, "workspace/executeCommand"))
        res = lsp_h_execute(s, params, id, &code, &text);
    else
        res = m->request(s, params, &code, &text);
    if (res == LSP_DEFERRED)
        return;
    if (res)
        lsp_send_result(s, id, res);
    else
        lsp_send_error(s, id, code ? code : RPC_INTERNAL_ERROR, text ? text : "Internal error");
}

static void on_body(void *user, const char *body, size_t len)
{
    lsp_server *s = user;
    if (s->state == ST_EXITED)
        return;
    cJSON *j = cJSON_ParseWithLength(body, len);
    if (!j) {
        lsp_send_error(s, NULL, RPC_PARSE_ERROR, "Parse error: invalid JSON");
        return;
    }
    if (cJSON_IsObject(j))
        dispatch(s, j);
    else
        lsp_send_error(s, NULL, RPC_INVALID_REQUEST,
                   cJSON_IsArray(j) ? "Invalid request: batches are not supported"
                                    : "Invalid request: not an object");
    cJSON_Delete(j);
}

static void on_frame_error(void *user, int code, const char *msg)
{
    lsp_server *s = user;
    if (s->state != ST_EXITED)
        lsp_send_error(s, NULL, code, msg);
}

int lsp_feed(lsp_server *s, const char *buf, size_t len)
{
    if (s->state == ST_EXITED)
        return 1;
    lsp_sink sink = {on_body, on_frame_error, s};
    if (lsp_reader_feed(&s->rd, buf, len, &sink) < 0)
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
    s->wake[0] = s->wake[1] = -1;
    lsp_reader_init(&s->rd);
    if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(errbuf, errlen, "%s", strerror(errno));
        s->wake[0] = s->wake[1] = -1;
        lsp_server_free(s);
        return NULL;
    }
    /* The built-in catalog, so the server works before (and without) a
     * workspace; initialize swaps in the workspace's configuration. */
    ward_engine_options eo = WARD_INIT(ward_engine_options);
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
    lsp_scan_stop(s);
    while (s->docs) {
        lsp_doc *d = s->docs;
        s->docs = d->next;
        lsp_doc_free(d);
    }
    for (size_t i = 0; i < s->n_roots; i++)
        free(s->roots[i]);
    free(s->roots);
    for (size_t i = 0; i < s->n_scan_uris; i++)
        free(s->scan_uris[i]);
    free(s->scan_uris);
    lsp_free_baseline(s);
    free(s->init_config);
    cJSON_Delete(s->pending_req_id);
    lsp_reader_free(&s->rd);
    ward_scanner_free(s->scanner);
    ward_engine_free(s->engine);
    if (s->wake[0] >= 0) {
        close(s->wake[0]);
        close(s->wake[1]);
    }
    free(s);
}
