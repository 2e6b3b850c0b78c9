/* scan.c - the workspace scan (the ward.scanWorkspace command).
 *
 * Walks every root with the library's parallel walker and publishes each
 * file's findings as it completes, with $/progress reports when the client
 * gave or granted a work-done token.  Files open in the editor are skipped:
 * their live diagnostics already stand.  Files the previous scan published
 * and that are clean now are cleared.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

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
        char *uri = lsp_path_to_uri(c->path);
        if (uri) {
            lsp_publish_raw(c->s, uri, -1, c->diags, c->ranges, 1);
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
    const char *rel = lsp_rel_path(s, f->path);
    if (lsp_in_baseline(s, f, rel))
        return 0;
    /* Columns from the finding: bytes, converted with the line's text when
     * it is all there (line_text is capped for very long lines). */
    uint64_t c0 = f->column - 1, c1 = f->end_column - 1;
    if (s->enc == ENC_UTF16) {
        if (f->line_col0 == f->column - 1 && f->line_col0 <= f->line_len)
            c0 = lsp_enc_units(f->line_text, f->line_col0, ENC_UTF16);
        if (f->end_line == f->line) {
            c1 = c0 + lsp_enc_units(f->secret, f->secret_len, ENC_UTF16);
        } else {
            const char *lastnl = memrchr(f->secret, '\n', f->secret_len);
            size_t k = lastnl ? (size_t)(f->secret + f->secret_len - lastnl - 1) : 0;
            c1 = lsp_enc_units(f->secret + f->secret_len - k, k, ENC_UTF16);
        }
    }
    cJSON *r = lsp_make_range(f->line - 1, c0, f->end_line - 1, c1);
    cJSON_AddItemToArray(c->ranges, cJSON_Duplicate(r, 1));
    char *m = lsp_finding_message(f);
    cJSON_AddItemToArray(c->diags, lsp_make_diagnostic(s, r, f->rule_id, m ? m : f->rule_id,
                                                   f->confidence, f->fingerprint));
    free(m);
    c->findings++;
    return 0;
}

static void ws_progress(const ward_progress *p, void *user)
{
    ws_ctx *c = user;
    if (p->done)
        return;
    char m[128];
    snprintf(m, sizeof m, "%llu files, %llu findings", (unsigned long long)p->files,
             (unsigned long long)p->findings);
    lsp_progress(c->s, c->token, "report", NULL, m);
}

static void run_scan(lsp_server *s, const cJSON *req_id, const char *token)
{
    ws_ctx c = {0};
    c.s = s;
    c.token = token;
    lsp_progress(s, token, "begin", "ward: scanning the workspace", NULL);
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
        if (!again && !lsp_find_doc(s, s->scan_uris[i]))
            lsp_publish_raw(s, s->scan_uris[i], -1, cJSON_CreateArray(), cJSON_CreateArray(), 1);
        free(s->scan_uris[i]);
    }
    free(s->scan_uris);
    s->scan_uris = c.uris;
    s->n_scan_uris = c.n_uris;
    char m[160];
    snprintf(m, sizeof m, "%llu findings in %llu files", (unsigned long long)c.findings,
             (unsigned long long)c.files_with_findings);
    lsp_progress(s, token, "end", NULL, m);
    (void)files;
    if (st != WARD_OK && st != WARD_EPARTIAL) {
        lsp_send_error(s, req_id, RPC_REQUEST_FAILED, ward_strerror(st));
        return;
    }
    cJSON *res = cJSON_CreateObject();
    cJSON_AddNumberToObject(res, "findings", (double)c.findings);
    cJSON_AddNumberToObject(res, "files", (double)c.files_with_findings);
    cJSON_AddBoolToObject(res, "partial", st == WARD_EPARTIAL);
    lsp_send_result(s, req_id, res);
}

cJSON lsp_deferred;

cJSON *lsp_h_execute(lsp_server *s, const cJSON *params, const cJSON *id, int *code,
                        const char **msg)
{
    const char *cmd = lsp_jstr(params, "command");
    if (!cmd) {
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: command is required";
        return NULL;
    }
    if (!strcmp(cmd, "ward.addToBaseline"))
        return lsp_add_to_baseline(s, cJSON_GetObjectItemCaseSensitive(params, "arguments"), code, msg);
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
        s->pending_create = lsp_send_request(s, "window/workDoneProgress/create", p);
    } else {
        run_scan(s, id, NULL);
    }
    return LSP_DEFERRED;
}

void lsp_on_response(lsp_server *s, const cJSON *msg)
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

