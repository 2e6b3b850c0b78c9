/* output.c - what the server sends, and small JSON helpers.
 *
 * Every outgoing message is framed whole (header and body in one write), so
 * a client never sees half a message.  Once the writer fails the server
 * stops writing (the client is gone) but keeps its state consistent.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

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

void lsp_send_result(lsp_server *s, const cJSON *id, cJSON *result)
{
    cJSON *m = new_msg();
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    cJSON_AddItemToObject(m, "result", result ? result : cJSON_CreateNull());
    send_msg(s, m);
}

void lsp_send_error(lsp_server *s, const cJSON *id, int code, const char *text)
{
    cJSON *m = new_msg();
    cJSON_AddItemToObject(m, "id", id ? cJSON_Duplicate(id, 1) : cJSON_CreateNull());
    cJSON *e = cJSON_AddObjectToObject(m, "error");
    cJSON_AddNumberToObject(e, "code", code);
    cJSON_AddStringToObject(e, "message", text);
    send_msg(s, m);
}

void lsp_send_notification(lsp_server *s, const char *method, cJSON *params)
{
    cJSON *m = new_msg();
    cJSON_AddStringToObject(m, "method", method);
    cJSON_AddItemToObject(m, "params", params);
    send_msg(s, m);
}

long lsp_send_request(lsp_server *s, const char *method, cJSON *params)
{
    cJSON *m = new_msg();
    long id = ++s->next_id;
    cJSON_AddNumberToObject(m, "id", (double)id);
    cJSON_AddStringToObject(m, "method", method);
    cJSON_AddItemToObject(m, "params", params);
    send_msg(s, m);
    return id;
}

void lsp_show_message(lsp_server *s, int type, const char *text)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddNumberToObject(p, "type", type);
    cJSON_AddStringToObject(p, "message", text);
    lsp_send_notification(s, "window/showMessage", p);
}

/* ---- small JSON helpers -------------------------------------------- */

const char *lsp_jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

cJSON *lsp_jobj(const cJSON *o, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsObject(v) ? v : NULL;
}

/* A non-negative integer member, or -1. */
double lsp_jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 ? v->valuedouble : -1;
}

int lsp_jtrue(const cJSON *o, const char *path)
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

const cJSON *lsp_jpath(const cJSON *o, const char *path)
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

int lsp_array_has(const cJSON *a, const char *s)
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
int lsp_get_position(const cJSON *p, uint64_t *line, uint64_t *ch)
{
    double l = lsp_jnum(p, "line"), c = lsp_jnum(p, "character");
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

cJSON *lsp_make_range(uint64_t l0, uint64_t c0, uint64_t l1, uint64_t c1)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "start", make_position(l0, c0));
    cJSON_AddItemToObject(r, "end", make_position(l1, c1));
    return r;
}

void lsp_progress(lsp_server *s, const char *token, const char *kind, const char *title,
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
    lsp_send_notification(s, "$/progress", p);
}

