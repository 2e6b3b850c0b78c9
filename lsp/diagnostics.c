/* diagnostics.c - scanning open documents and publishing what was found.
 *
 * Each didOpen/didChange rescans the whole document (one Vectorscan pass,
 * well under a millisecond for a thousand lines) and publishes at once, so
 * what the client masks is never behind what it shows.  Findings are kept
 * as byte spans and converted to positions in the negotiated encoding only
 * when sent.  The secret itself never appears in a diagnostic or in
 * ward/secretRanges: only its range does.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

typedef struct scan_ctx {
    lsp_server *s;
    lsp_doc *d;
    const char *rel;
} scan_ctx;

char *lsp_finding_message(const ward_finding *f)
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
    if (lsp_in_baseline(c->s, f, c->rel))
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
    x->message = lsp_finding_message(f);
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

void lsp_analyze(lsp_server *s, lsp_doc *d)
{
    lsp_doc_clear_findings(d);
    scan_ctx c = {s, d, d->path ? lsp_rel_path(s, d->path) : ""};
    ward_scan_buffer(s->scanner, d->text ? d->text : "", d->len, c.rel[0] ? c.rel : NULL,
                     collect, &c);
}

cJSON *lsp_finding_range(const lsp_server *s, const lsp_doc *d, const lsp_finding *f,
                            lsp_pos_cursor *c)
{
    uint64_t l0, c0, l1, c1;
    lsp_text_position(d->text, d->len, f->offset, s->enc, c, &l0, &c0);
    lsp_pos_cursor c2 = *c;
    lsp_text_position(d->text, d->len, f->offset + f->length, s->enc, &c2, &l1, &c1);
    return lsp_make_range(l0, c0, l1, c1);
}

cJSON *lsp_make_diagnostic(const lsp_server *s, cJSON *range, const char *rule,
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
    lsp_pos_cursor c = {0, 0, 0};
    for (size_t i = 0; i < d->n_findings; i++) {
        const lsp_finding *f = &d->findings[i];
        cJSON *r = lsp_finding_range(s, d, f, &c);
        if (ranges)
            cJSON_AddItemToArray(*ranges, cJSON_Duplicate(r, 1));
        cJSON_AddItemToArray(arr, lsp_make_diagnostic(s, r, f->rule_id, f->message, f->confidence,
                                                  f->fingerprint));
    }
    return arr;
}

void lsp_publish_raw(lsp_server *s, const char *uri, int64_t version, cJSON *diags,
                        cJSON *ranges, int push)
{
    if (push) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "uri", uri);
        if (version >= 0)
            cJSON_AddNumberToObject(p, "version", (double)version);
        cJSON_AddItemToObject(p, "diagnostics", diags);
        lsp_send_notification(s, "textDocument/publishDiagnostics", p);
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
    lsp_send_notification(s, "ward/secretRanges", m);
}

void lsp_publish(lsp_server *s, lsp_doc *d)
{
    cJSON *ranges;
    cJSON *diags = doc_diagnostics(s, d, &ranges);
    lsp_publish_raw(s, d->uri, d->version, diags, ranges, s->push_open);
}

lsp_doc *lsp_find_doc(lsp_server *s, const char *uri)
{
    for (lsp_doc *d = s->docs; d; d = d->next)
        if (uri && !strcmp(d->uri, uri))
            return d;
    return NULL;
}

void lsp_reanalyze_all(lsp_server *s)
{
    for (lsp_doc *d = s->docs; d; d = d->next) {
        lsp_analyze(s, d);
        lsp_publish(s, d);
    }
    if (s->cap_pull && s->cap_refresh)
        lsp_send_request(s, "workspace/diagnostic/refresh", cJSON_CreateNull());
}

/* ---- pull diagnostics ---------------------------------------------- */

cJSON *lsp_h_diagnostic(lsp_server *s, const cJSON *params, int *code, const char **msg)
{
    const char *uri = lsp_jstr(lsp_jobj(params, "textDocument"), "uri");
    if (!uri) {
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: textDocument.uri is required";
        return NULL;
    }
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "kind", "full");
    lsp_doc *d = lsp_find_doc(s, uri);
    cJSON_AddItemToObject(res, "items", d ? doc_diagnostics(s, d, NULL) : cJSON_CreateArray());
    return res;
}

