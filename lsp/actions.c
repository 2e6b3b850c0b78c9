/* actions.c - code actions: the quick fixes offered on a finding and the
 * edits they carry.
 *
 * Three per finding: a `ward:allow` comment at the end of its line (when
 * the language has comments), "move to .env" (replaces the literal with an
 * environment lookup and appends the value to the root's .env, the name to
 * .env.example and .env to .gitignore), and "add to the baseline" (a
 * command, run by workspace.c).  The "move to .env" edit is the only message
 * that carries a secret: its whole point is to write it into the
 * git-ignored .env file.  Language knowledge lives in lang.c.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

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
    lsp_text_position(t, len, a, s->enc, NULL, &l0, &c0);
    lsp_text_position(t, len, b, s->enc, NULL, &l1, &c1);
    cJSON *e = cJSON_CreateObject();
    cJSON_AddItemToObject(e, "range", lsp_make_range(l0, c0, l1, c1));
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
    char *uri = lsp_path_to_uri(path);
    if (!uri)
        return;
    size_t len = 0;
    char *cur = NULL;
    lsp_doc *open = lsp_find_doc(s, uri);
    if (open) {
        cur = malloc(open->len + 1);
        if (cur) {
            memcpy(cur, open->text ? open->text : "", open->len);
            cur[open->len] = '\0';
            len = open->len;
        }
    } else {
        cur = lsp_read_file(path, &len, 16u << 20);
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
    lsp_envlang lang = lsp_env_language(d->language, d->path);
    if (lang == ENV_NONE || !s->cap_doc_changes || !s->cap_create || !d->path)
        return NULL;
    size_t ls, le;
    char name[128];
    char *rep = NULL;
    if (lsp_env_plan(lang, d->text, d->len, f->offset, f->length, f->rule_id, &ls, &le, name,
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

    char *dir = lsp_home_dir(s, d->path);
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

cJSON *lsp_h_code_action(lsp_server *s, const cJSON *params, int *code, const char **msg)
{
    const char *uri = lsp_jstr(lsp_jobj(params, "textDocument"), "uri");
    const cJSON *range = lsp_jobj(params, "range");
    uint64_t l0, c0, l1, c1;
    if (!uri || !range || lsp_get_position(lsp_jobj(range, "start"), &l0, &c0) < 0 ||
        lsp_get_position(lsp_jobj(range, "end"), &l1, &c1) < 0) {
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: textDocument.uri and range are required";
        return NULL;
    }
    cJSON *res = cJSON_CreateArray();
    const cJSON *only = lsp_jpath(params, "context.only");
    if (cJSON_IsArray(only) && !lsp_array_has(only, "quickfix"))
        return res;
    lsp_doc *d = lsp_find_doc(s, uri);
    if (!d || !d->text)
        return res;
    size_t a = lsp_text_offset(d->text, d->len, l0, c0, s->enc);
    size_t b = lsp_text_offset(d->text, d->len, l1, c1, s->enc);
    if (b < a) {
        size_t x = a;
        a = b;
        b = x;
    }
    lsp_comment cs = lsp_comment_style(d->language, d->path);
    lsp_pos_cursor cur = {0, 0, 0};
    for (size_t i = 0; i < d->n_findings; i++) {
        const lsp_finding *f = &d->findings[i];
        if (f->offset > b || f->offset + f->length < a)
            continue;
        cJSON *r = lsp_finding_range(s, d, f, &cur);
        cJSON *diag = lsp_make_diagnostic(s, r, f->rule_id, f->message, f->confidence,
                                      f->fingerprint);
        if (cs != CMT_NONE) {
            cJSON *act = new_action("Allow this secret with a ward:allow comment",
                                    cJSON_Duplicate(diag, 1));
            size_t end = f->length ? f->offset + f->length - 1 : f->offset;
            size_t at = eol(d->text, d->len, end);
            cJSON *edits = cJSON_CreateArray();
            cJSON_AddItemToArray(edits, text_edit(s, d->text, d->len, at, at, lsp_comment_text(cs)));
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

