/* test_lsp.c - protocol tests for the language server, driven in-process:
 * bytes in through lsp_feed, messages out through a capture callback.
 * Fake tokens are made at run time from templates (ward_example_expand), so
 * no realistic token is stored here. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/check.h"
#include "server.h"

/* ---- harness ------------------------------------------------------- */

typedef struct cap {
    char *buf;
    size_t len, cap;
} cap;

static int capture(const char *b, size_t n, void *user)
{
    cap *c = user;
    if (c->len + n + 1 > c->cap) {
        c->cap = (c->len + n + 1) * 2;
        c->buf = realloc(c->buf, c->cap);
    }
    memcpy(c->buf + c->len, b, n);
    c->len += n;
    c->buf[c->len] = '\0';
    return 0;
}

typedef struct T {
    lsp_server *s;
    cap out;
    cJSON *msgs[256];
    int n;
} T;

static void t_open(T *t, const lsp_options *o)
{
    memset(t, 0, sizeof *t);
    char err[256];
    t->s = lsp_server_new(o, capture, &t->out, err, sizeof err);
    if (!t->s) {
        fprintf(stderr, "server: %s\n", err);
        exit(1);
    }
}

static void t_clear(T *t)
{
    for (int i = 0; i < t->n; i++)
        cJSON_Delete(t->msgs[i]);
    t->n = 0;
    t->out.len = 0;
}

static void t_close(T *t)
{
    t_clear(t);
    free(t->out.buf);
    lsp_server_free(t->s);
}

/* Parses what the server wrote since the last call into t->msgs. */
static void t_parse(T *t)
{
    for (int i = 0; i < t->n; i++)
        cJSON_Delete(t->msgs[i]);
    t->n = 0;
    const char *p = t->out.buf, *end = p + t->out.len;
    while (p && p < end && t->n < 256) {
        size_t n;
        if (sscanf(p, "Content-Length: %zu\r\n\r\n", &n) != 1)
            break;
        const char *b = strstr(p, "\r\n\r\n") + 4;
        t->msgs[t->n++] = cJSON_ParseWithLength(b, n);
        p = b + n;
    }
}

static void raw(T *t, const char *bytes, size_t n)
{
    t_clear(t);
    lsp_feed(t->s, bytes, n);
    t_parse(t);
}

static int sendf(T *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sendf(T *t, const char *fmt, ...)
{
    char *body;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&body, fmt, ap);
    va_end(ap);
    char head[64];
    int hl = snprintf(head, sizeof head, "Content-Length: %d\r\n\r\n", n);
    t_clear(t);
    lsp_feed(t->s, head, (size_t)hl);
    int r = lsp_feed(t->s, body, (size_t)n);
    free(body);
    t_parse(t);
    return r;
}

/* Lets a workspace scan (on its own thread) finish, collecting what it
 * sends after what is already captured. */
static void wait_scan(T *t)
{
    for (int i = 0; i < 1000 && lsp_pump(t->s); i++) {
        struct pollfd pf = {lsp_wake_fd(t->s), POLLIN, 0};
        poll(&pf, 1, 100);
    }
    t_parse(t);
}

/* The first message with this method (or, for NULL, a response). */
static cJSON *msg(T *t, const char *method)
{
    for (int i = 0; i < t->n; i++) {
        cJSON *m = cJSON_GetObjectItem(t->msgs[i], "method");
        if (method ? (m && !strcmp(m->valuestring, method)) : !m)
            return t->msgs[i];
    }
    return NULL;
}

static int count(T *t, const char *method)
{
    int k = 0;
    for (int i = 0; i < t->n; i++) {
        cJSON *m = cJSON_GetObjectItem(t->msgs[i], "method");
        k += m && !strcmp(m->valuestring, method);
    }
    return k;
}

static int err_code(T *t)
{
    cJSON *r = msg(t, NULL);
    cJSON *e = r ? cJSON_GetObjectItem(r, "error") : NULL;
    return e ? cJSON_GetObjectItem(e, "code")->valueint : 0;
}

static double num(const cJSON *o, const char *path)
{
    char key[64];
    while (o && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        memcpy(key, path, n);
        key[n] = '\0';
        o = (key[0] >= '0' && key[0] <= '9') ? cJSON_GetArrayItem(o, atoi(key))
                                             : cJSON_GetObjectItem(o, key);
        path += n + (dot != NULL);
    }
    return cJSON_IsNumber(o) ? o->valuedouble : -999;
}

static const char *str(const cJSON *o, const char *path)
{
    char key[64];
    while (o && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        memcpy(key, path, n);
        key[n] = '\0';
        o = (key[0] >= '0' && key[0] <= '9') ? cJSON_GetArrayItem(o, atoi(key))
                                             : cJSON_GetObjectItem(o, key);
        path += n + (dot != NULL);
    }
    return cJSON_IsString(o) ? o->valuestring : NULL;
}

static char token[128];
static uint64_t seed = 42;

static void make_token(void)
{
    size_t n, so, sl;
    if (ward_example_expand("ghp_%{crc62:30}", &seed, token, sizeof token, &n, &so, &sl)) {
        fprintf(stderr, "cannot make a fake token\n");
        exit(1);
    }
}

static char tmpdir[256];

/* fmt with its one "%s" replaced by the token (formats come from tables). */
static void fill(char *out, size_t outcap, const char *fmt)
{
    const char *at = strstr(fmt, "%s");
    snprintf(out, outcap, "%.*s%s%s", (int)(at - fmt), fmt, token, at + 2);
}

static void init(T *t, const char *caps, const char *extra)
{
    sendf(t,
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"rootUri\":"
          "\"file://%s\",\"capabilities\":%s%s}}",
          tmpdir, caps, extra ? extra : "");
    sendf(t, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
}

static const char *const full_caps =
    "{\"general\":{\"positionEncodings\":[\"utf-16\"]},\"window\":{\"workDoneProgress\":true},"
    "\"workspace\":{\"workspaceEdit\":{\"documentChanges\":true,\"resourceOperations\":"
    "[\"create\"]}}}";

static void open_doc(T *t, const char *name, const char *lang, const char *text)
{
    cJSON *s = cJSON_CreateString(text);
    char *js = cJSON_PrintUnformatted(s);
    sendf(t,
          "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
          "{\"uri\":\"file://%s/%s\",\"languageId\":\"%s\",\"version\":1,\"text\":%s}}}",
          tmpdir, name, lang, js);
    free(js);
    cJSON_Delete(s);
}

/* No output so far contains the secret. */
static int leaks(T *t)
{
    return t->out.len && memmem(t->out.buf, t->out.len, token, strlen(token)) != NULL;
}

/* ---- tests --------------------------------------------------------- */

static void test_lifecycle(void)
{
    T t;
    t_open(&t, NULL);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/codeAction\",\"params\":{}}");
    CHECK_INT(err_code(&t), -32002);
    CHECK_INT(num(msg(&t, NULL), "id"), 7);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{}}");
    CHECK_INT(t.n, 0); /* notifications before initialize are dropped */
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":"
              "{\"general\":{\"positionEncodings\":[\"utf-16\",\"utf-8\"]}}}}");
    CHECK_STR(str(msg(&t, NULL), "result.capabilities.positionEncoding"), "utf-8");
    CHECK_INT(num(msg(&t, NULL), "result.capabilities.textDocumentSync.change"), 2);
    CHECK(!cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(msg(&t, NULL), "result"),
                                                   "capabilities"),
                               "diagnosticProvider"));
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{}}");
    CHECK_INT(err_code(&t), -32600);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no/such\",\"params\":{}}");
    CHECK_INT(err_code(&t), -32601);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"no/such\",\"params\":{}}");
    CHECK_INT(t.n, 0);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"shutdown\"}");
    CHECK(msg(&t, NULL) && cJSON_IsNull(cJSON_GetObjectItem(msg(&t, NULL), "result")));
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"textDocument/diagnostic\",\"params\":{}}");
    CHECK_INT(err_code(&t), -32600);
    CHECK_INT(sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"), 1);
    CHECK_INT(lsp_exit_status(t.s), 0);
    t_close(&t);

    t_open(&t, NULL);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
    CHECK_STR(str(msg(&t, NULL), "result.capabilities.positionEncoding"), "utf-16");
    CHECK_INT(sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"), 1);
    CHECK_INT(lsp_exit_status(t.s), 1); /* exit without shutdown */
    t_close(&t);

    /* The older offsetEncoding extension (Neovim 0.7) is answered in kind. */
    t_open(&t, NULL);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":"
              "{\"offsetEncoding\":[\"utf-8\",\"utf-16\"]}}}");
    CHECK_STR(str(msg(&t, NULL), "result.offsetEncoding"), "utf-8");
    t_close(&t);
}

static void test_framing(void)
{
    T t;
    t_open(&t, NULL);
    const char *ok = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"no/such\"}";
    char buf[512];
    /* malformed JSON */
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":");
    CHECK_INT(err_code(&t), -32700);
    CHECK(cJSON_IsNull(cJSON_GetObjectItem(msg(&t, NULL), "id")));
    /* not an object, a batch, a bad version, a bad id */
    sendf(&t, "42");
    CHECK_INT(err_code(&t), -32600);
    sendf(&t, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}]");
    CHECK_INT(err_code(&t), -32600);
    sendf(&t, "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"x\"}");
    CHECK_INT(err_code(&t), -32600);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}");
    CHECK_INT(err_code(&t), -32600);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":3}");
    CHECK_INT(err_code(&t), -32600);
    /* Content-Length too large: the next header inside the body resyncs. */
    int n = snprintf(buf, sizeof buf, "Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\"}"
                                      "Content-Length: %zu\r\n\r\n%s", strlen(ok), ok);
    raw(&t, buf, (size_t)n);
    CHECK_INT(t.n, 2);
    CHECK_INT(num(t.msgs[0], "error.code"), -32700);
    CHECK_INT(num(t.msgs[1], "error.code"), -32002);
    CHECK_INT(num(t.msgs[1], "id"), 9);
    /* Content-Length too small: the rest is reported and skipped. */
    n = snprintf(buf, sizeof buf, "Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\"}"
                                  "Content-Length: %zu\r\n\r\n%s", strlen(ok), ok);
    raw(&t, buf, (size_t)n);
    CHECK_INT(t.n, 3);
    CHECK_INT(num(t.msgs[0], "error.code"), -32700);
    CHECK_INT(num(t.msgs[1], "error.code"), -32700);
    CHECK_INT(num(t.msgs[2], "id"), 9);
    /* oversized: refused without buffering, the stream stays in step */
    n = snprintf(buf, sizeof buf, "Content-Length: %u\r\n\r\n", LSP_MAX_MESSAGE + 1);
    raw(&t, buf, (size_t)n);
    CHECK_INT(err_code(&t), -32600);
    char *junk = calloc(1, 1u << 20);
    memset(junk, 'x', 1u << 20);
    for (unsigned i = 0; i < 64; i++)
        lsp_feed(t.s, junk, 1u << 20);
    free(junk);
    n = snprintf(buf, sizeof buf, "x");
    raw(&t, buf, 1); /* the last byte of the oversized body */
    CHECK_INT(t.n, 0);
    n = snprintf(buf, sizeof buf, "Content-Length: %zu\r\n\r\n%s", strlen(ok), ok);
    raw(&t, buf, (size_t)n);
    CHECK_INT(num(msg(&t, NULL), "id"), 9);
    /* no Content-Length, a non-numeric one, an endless header */
    raw(&t, "Content-Type: x\r\n\r\n", 19);
    CHECK_INT(err_code(&t), -32700);
    raw(&t, "Content-Length: abc\r\n\r\n", 23);
    CHECK_INT(err_code(&t), -32700);
    char *hdr = malloc(LSP_MAX_HEADER + 10);
    memset(hdr, 'h', LSP_MAX_HEADER + 10);
    raw(&t, hdr, LSP_MAX_HEADER + 10);
    CHECK_INT(err_code(&t), -32700);
    free(hdr);
    /* one byte at a time */
    n = snprintf(buf, sizeof buf, "Content-Length: %zu\r\n\r\n%s", strlen(ok), ok);
    t_clear(&t);
    for (int i = 0; i < n; i++)
        lsp_feed(t.s, buf + i, 1);
    t_parse(&t);
    CHECK_INT(t.n, 1);
    CHECK_INT(num(msg(&t, NULL), "id"), 9);
    t_close(&t);
}

/* A token after non-ASCII text: columns in UTF-16 and UTF-8. */
static void test_diagnostics(void)
{
    for (int utf8 = 0; utf8 < 2; utf8++) {
        T t;
        t_open(&t, NULL);
        init(&t, utf8 ? "{\"general\":{\"positionEncodings\":[\"utf-8\"]}}" : "{}", NULL);
        char text[512];
        /* "é" is 2 bytes / 1 unit, the emoji 4 bytes / 2 units */
        snprintf(text, sizeof text, "a\nk = \"\xc3\xa9\xf0\x9f\x98\x80\" + \"%s\"\n", token);
        open_doc(&t, "d.py", "python", text);
        cJSON *p = msg(&t, "textDocument/publishDiagnostics");
        CHECK(p != NULL);
        size_t col = strstr(text, token) - strchr(text, '\n') - 1; /* bytes */
        double want = utf8 ? (double)col : (double)col - 1 - 2;
        CHECK_INT(num(p, "params.version"), 1);
        CHECK_INT(num(p, "params.diagnostics.0.range.start.line"), 1);
        CHECK_INT(num(p, "params.diagnostics.0.range.start.character"), want);
        CHECK_INT(num(p, "params.diagnostics.0.range.end.character"), want + strlen(token));
        CHECK_STR(str(p, "params.diagnostics.0.code"), "github-pat");
        CHECK_STR(str(p, "params.diagnostics.0.source"), "ward");
        CHECK_INT(num(p, "params.diagnostics.0.severity"), 1);
        CHECK_STR(str(p, "params.diagnostics.0.message"),
                  "GitHub personal access token (classic), checksum valid; "
                  "revoke: https://github.com/settings/tokens (Delete the token)");
        CHECK(str(p, "params.diagnostics.0.data.fingerprint") &&
              strlen(str(p, "params.diagnostics.0.data.fingerprint")) == 32);
        cJSON *m = msg(&t, "ward/secretRanges");
        CHECK(m != NULL);
        CHECK_INT(num(m, "params.ranges.0.start.character"), want);
        CHECK_INT(num(m, "params.ranges.0.end.character"), want + strlen(token));
        CHECK_INT(num(m, "params.version"), 1);
        CHECK(!leaks(&t));

        /* Insert "ü" (2 bytes, 1 unit) just before the token's quote. */
        sendf(&t,
              "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":"
              "{\"uri\":\"file://%s/d.py\",\"version\":2},\"contentChanges\":[{\"range\":{\"start\":"
              "{\"line\":1,\"character\":%d},\"end\":{\"line\":1,\"character\":%d}},\"text\":"
              "\"\xc3\xbc\"}]}}",
              tmpdir, (int)want - 1, (int)want - 1);
        p = msg(&t, "textDocument/publishDiagnostics");
        CHECK_INT(num(p, "params.version"), 2);
        CHECK_INT(num(p, "params.diagnostics.0.range.start.character"), want + (utf8 ? 2 : 1));
        CHECK(!leaks(&t));
        /* Delete the token: diagnostics and ranges clear. */
        double s0 = want + (utf8 ? 2 : 1);
        sendf(&t,
              "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":"
              "{\"uri\":\"file://%s/d.py\",\"version\":3},\"contentChanges\":[{\"range\":{\"start\":"
              "{\"line\":1,\"character\":%d},\"end\":{\"line\":1,\"character\":%d}},\"text\":\"\"}]}}",
              tmpdir, (int)s0, (int)s0 + (int)strlen(token));
        p = msg(&t, "textDocument/publishDiagnostics");
        CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "params"),
                                                         "diagnostics")),
                  0);
        CHECK_INT(num(p, "params.version"), 3);
        m = msg(&t, "ward/secretRanges");
        CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "params"), "ranges")),
                  0);
        /* A full-text change brings it back; close clears. */
        char js[256];
        snprintf(js, sizeof js, "x = '%s'", token);
        cJSON *jstr = cJSON_CreateString(js);
        char *enc = cJSON_PrintUnformatted(jstr);
        sendf(&t,
              "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":"
              "{\"uri\":\"file://%s/d.py\",\"version\":4},\"contentChanges\":[{\"text\":%s}]}}",
              tmpdir, enc);
        free(enc);
        cJSON_Delete(jstr);
        p = msg(&t, "textDocument/publishDiagnostics");
        CHECK_INT(num(p, "params.diagnostics.0.range.start.character"), 5);
        sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":{\"textDocument\":"
                  "{\"uri\":\"file://%s/d.py\"}}}",
              tmpdir);
        p = msg(&t, "textDocument/publishDiagnostics");
        CHECK(p && cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "params"),
                                                          "diagnostics")) == 0);
        t_close(&t);
    }
}

static void test_severity_and_pull(void)
{
    T t;
    t_open(&t, NULL);
    init(&t, "{\"textDocument\":{\"diagnostic\":{}}}",
         ",\"initializationOptions\":{\"severity\":{\"high\":\"hint\"}}");
    char text[256];
    snprintf(text, sizeof text, "t = \"%s\"\n", token);
    open_doc(&t, "p.py", "python", text);
    CHECK_INT(count(&t, "textDocument/publishDiagnostics"), 0); /* the client pulls */
    CHECK_INT(count(&t, "ward/secretRanges"), 1);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"textDocument/diagnostic\",\"params\":"
              "{\"textDocument\":{\"uri\":\"file://%s/p.py\"}}}",
          tmpdir);
    cJSON *r = msg(&t, NULL);
    CHECK_STR(str(r, "result.kind"), "full");
    CHECK_INT(num(r, "result.items.0.severity"), 4);
    CHECK_INT(num(r, "result.items.0.range.start.character"), 5);
    CHECK(!leaks(&t));
    t_close(&t);
}

static cJSON *actions(T *t, const char *name, int line, int ch)
{
    sendf(t,
          "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"textDocument/codeAction\",\"params\":{"
          "\"textDocument\":{\"uri\":\"file://%s/%s\"},\"range\":{\"start\":{\"line\":%d,"
          "\"character\":%d},\"end\":{\"line\":%d,\"character\":%d}},\"context\":{\"diagnostics\":[]}}}",
          tmpdir, name, line, ch, line, ch);
    return cJSON_GetObjectItem(msg(t, NULL), "result");
}

static const cJSON *action_titled(const cJSON *list, const char *prefix)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, list)
    {
        const char *ti = str(a, "title");
        if (ti && !strncmp(ti, prefix, strlen(prefix)))
            return a;
    }
    return NULL;
}

static void test_allow_comments(void)
{
    static const struct {
        const char *name, *lang, *fmt, *want;
    } cases[] = {
        {"a.py", "python", "t = \"%s\"\n", " # ward:allow"},
        {"a.js", "javascript", "const t = \"%s\";\n", " // ward:allow"},
        {"a.sql", "sql", "select '%s';\n", " -- ward:allow"},
        {"a.ini", "ini", "token = %s\n", " ; ward:allow"},
        {"a.css", "css", "a { --t: \"%s\"; }\n", " /* ward:allow */"},
        {"a.html", "html", "<p data-t=\"%s\"></p>\n", " <!-- ward:allow -->"},
        {"b.sh", "", "T=\"%s\"\n", " # ward:allow"}, /* by extension */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        T t;
        t_open(&t, NULL);
        init(&t, full_caps, NULL);
        char text[256];
        fill(text, sizeof text, cases[i].fmt);
        open_doc(&t, cases[i].name, cases[i].lang, text);
        size_t col = strstr(text, token) - text;
        const cJSON *a = action_titled(actions(&t, cases[i].name, 0, (int)col + 3), "Allow");
        CHECK(a != NULL);
        CHECK_STR(str(a, "kind"), "quickfix");
        CHECK_STR(str(a, "edit.documentChanges.0.edits.0.newText"), cases[i].want);
        CHECK_INT(num(a, "edit.documentChanges.0.edits.0.range.start.character"),
                  strchr(text, '\n') - text);
        CHECK_STR(str(a, "diagnostics.0.code"), "github-pat");
        char *aj = cJSON_PrintUnformatted(a);
        CHECK(aj && !strstr(aj, token)); /* only "move to .env" may carry it */
        free(aj);
        /* Applying it silences the finding. */
        size_t ll = strchr(text, '\n') - text;
        char fixed[300];
        snprintf(fixed, sizeof fixed, "%.*s%s\n", (int)ll, text, cases[i].want);
        open_doc(&t, cases[i].name, cases[i].lang, fixed);
        cJSON *p = msg(&t, "textDocument/publishDiagnostics");
        CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "params"),
                                                         "diagnostics")),
                  0);
        t_close(&t);
    }
}

static void test_move_to_env(void)
{
    static const struct {
        const char *name, *lang, *fmt, *replacement;
    } cases[] = {
        {"m.py", "python", "import os\ngithub_token = \"%s\"\n", "os.environ[\"GITHUB_TOKEN\"]"},
        {"m.ts", "typescript", "\nconst apiKey = '%s';\n", "process.env.API_KEY"},
        {"m.go", "go", "\nvar tok = \"%s\"\n", "os.Getenv(\"TOK\")"},
        {"m.rb", "ruby", "\nclient.token = \"%s\"\n", "ENV[\"TOKEN\"]"},
        {"m.sh", "shellscript", "\nexport GH_TOKEN=%s\n", "\"$GH_TOKEN\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[300];
        snprintf(dir, sizeof dir, "%s/env%zu", tmpdir, i);
        mkdir(dir, 0755);
        char gi[320];
        snprintf(gi, sizeof gi, "%s/.gitignore", dir);
        if (i == 1) { /* .gitignore already lists .env: not touched */
            FILE *f = fopen(gi, "w");
            fputs("node_modules\n.env\n", f);
            fclose(f);
        }
        T t;
        t_open(&t, NULL);
        sendf(&t,
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"rootUri\":"
              "\"file://%s\",\"capabilities\":%s}}",
              dir, full_caps);
        char text[256], name[64];
        fill(text, sizeof text, cases[i].fmt);
        snprintf(name, sizeof name, "env%zu/%s", i, cases[i].name);
        open_doc(&t, name, cases[i].lang, text);
        const cJSON *a = action_titled(actions(&t, name, 1, 20), "Move this secret to .env");
        CHECK(a != NULL);
        if (!a) {
            t_close(&t);
            continue;
        }
        const cJSON *dc = cJSON_GetObjectItem(cJSON_GetObjectItem(a, "edit"), "documentChanges");
        CHECK_STR(str(dc, "0.edits.0.newText"), cases[i].replacement);
        /* .env gets NAME=value, .env.example NAME=, .gitignore .env */
        int saw_env = 0, saw_example = 0, saw_gi = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, dc)
        {
            const char *uri = str(c, "textDocument.uri"), *nt = str(c, "edits.0.newText");
            if (!uri || !nt)
                continue;
            const char *base = strrchr(uri, '/') + 1;
            if (!strcmp(base, ".env"))
                saw_env = strstr(nt, token) != NULL && strchr(nt, '=') != NULL;
            if (!strcmp(base, ".env.example"))
                saw_example = nt[strlen(nt) - 2] == '=' && !strstr(nt, token);
            if (!strcmp(base, ".gitignore"))
                saw_gi = !strcmp(nt, ".env\n");
        }
        CHECK(saw_env);
        CHECK(saw_example);
        CHECK_INT(saw_gi, i != 1);
        t_close(&t);
    }
    /* Without documentChanges the action is not offered. */
    T t;
    t_open(&t, NULL);
    init(&t, "{}", NULL);
    char text[256];
    snprintf(text, sizeof text, "t = \"%s\"\n", token);
    open_doc(&t, "n.py", "python", text);
    const cJSON *list = actions(&t, "n.py", 0, 8);
    CHECK(action_titled(list, "Move") == NULL);
    CHECK(action_titled(list, "Allow") != NULL);
    CHECK(str(action_titled(list, "Allow"), "edit.changes") == NULL); /* a changes map */
    t_close(&t);
}

static void test_baseline(void)
{
    char dir[300];
    snprintf(dir, sizeof dir, "%s/bl", tmpdir);
    mkdir(dir, 0755);
    T t;
    t_open(&t, NULL);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"rootUri\":"
              "\"file://%s\",\"capabilities\":{}}}",
          dir);
    char text[256];
    snprintf(text, sizeof text, "t = \"%s\"\n", token);
    open_doc(&t, "bl/src.py", "python", text);
    const cJSON *a = action_titled(actions(&t, "bl/src.py", 0, 8), "Add this secret to the ward baseline");
    CHECK(a != NULL);
    CHECK_STR(str(a, "command.command"), "ward.addToBaseline");
    cJSON *args = cJSON_Duplicate(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "command"), "arguments"), 1);
    char *as = cJSON_PrintUnformatted(args);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"workspace/executeCommand\",\"params\":"
              "{\"command\":\"ward.addToBaseline\",\"arguments\":%s}}",
          as);
    free(as);
    cJSON_Delete(args);
    CHECK(msg(&t, NULL) && !cJSON_GetObjectItem(msg(&t, NULL), "error"));
    cJSON *p = msg(&t, "textDocument/publishDiagnostics");
    CHECK(p && cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "params"),
                                                      "diagnostics")) == 0);
    char path[400], line[256] = "";
    snprintf(path, sizeof path, "%s/.ward-baseline", dir);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (f) {
        while (fgets(line, sizeof line, f) && line[0] == '#')
            ;
        fclose(f);
    }
    CHECK(!strncmp(line, "github-pat\t", 11));
    CHECK(strstr(line, "\tsrc.py\n") != NULL);
    CHECK(strstr(line, token) == NULL);
    t_close(&t);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_workspace_scan_and_config(void)
{
    char dir[300], path[400], text[256];
    snprintf(dir, sizeof dir, "%s/ws", tmpdir);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/one.py", dir);
    snprintf(text, sizeof text, "a = 1\nt = \"%s\"\n", token);
    write_file(path, text);
    snprintf(path, sizeof path, "%s/fixtures", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/fixtures/two.py", dir);
    write_file(path, text);
    snprintf(path, sizeof path, "%s/clean.txt", dir);
    write_file(path, "nothing here\n");

    T t;
    t_open(&t, NULL);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"workspaceFolders\":"
              "[{\"uri\":\"file://%s\",\"name\":\"ws\"}],\"capabilities\":{\"window\":"
              "{\"workDoneProgress\":true},\"workspace\":{\"didChangeWatchedFiles\":"
              "{\"dynamicRegistration\":true}}}}}",
          dir);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
    CHECK(msg(&t, "client/registerCapability") != NULL);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":20,\"method\":\"workspace/executeCommand\",\"params\":"
              "{\"command\":\"ward.scanWorkspace\"}}");
    cJSON *cr = msg(&t, "window/workDoneProgress/create");
    CHECK(cr != NULL);
    CHECK(msg(&t, NULL) == NULL); /* waits for the client's answer */
    double cid = num(cr, "id");
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":%.0f,\"result\":null}", cid);
    wait_scan(&t);
    CHECK_INT(count(&t, "textDocument/publishDiagnostics"), 2);
    CHECK_STR(str(t.n >= 2 ? t.msgs[t.n - 2] : NULL, "params.value.kind"), "end"); /* then the reply */
    CHECK(count(&t, "$/progress") >= 2);
    CHECK_STR(str(msg(&t, "$/progress"), "params.value.kind"), "begin");
    CHECK_INT(num(msg(&t, NULL), "id"), 20);
    CHECK_INT(num(msg(&t, NULL), "result.findings"), 2);
    CHECK(!leaks(&t));

    /* A .ward.toml allowlisting fixtures/, announced as a watched change. */
    snprintf(path, sizeof path, "%s/.ward.toml", dir);
    write_file(path, "[allowlist]\npaths = ['''(^|/)fixtures/''']\n");
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"workspace/didChangeWatchedFiles\",\"params\":"
              "{\"changes\":[{\"uri\":\"file://%s\",\"type\":1}]}}",
          path);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":21,\"method\":\"workspace/executeCommand\",\"params\":"
              "{\"command\":\"ward.scanWorkspace\",\"workDoneToken\":\"tok\"}}");
    wait_scan(&t);
    CHECK_INT(num(msg(&t, NULL), "result.findings"), 1);
    /* fixtures/two.py was published before and is clean now: cleared */
    int cleared = 0;
    for (int i = 0; i < t.n; i++) {
        const char *u = str(t.msgs[i], "params.uri");
        const char *m = str(t.msgs[i], "method");
        if (u && m && !strcmp(m, "textDocument/publishDiagnostics") && strstr(u, "fixtures/two.py"))
            cleared = cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(t.msgs[i], "params"),
                                                             "diagnostics")) == 0;
    }
    CHECK(cleared);
    /* An open document follows the config too. */
    open_doc(&t, "ws/fixtures/three.py", "python", text);
    cJSON *p = msg(&t, "textDocument/publishDiagnostics");
    CHECK(p && cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "params"),
                                                      "diagnostics")) == 0);
    /* A broken config keeps the previous rules and says so. */
    write_file(path, "[[rules]\nid = \n");
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"workspace/didChangeWatchedFiles\",\"params\":"
              "{\"changes\":[{\"uri\":\"file://%s\",\"type\":2}]}}",
          path);
    CHECK(msg(&t, "window/showMessage") != NULL);
    t_close(&t);
}

/* The workspace scan runs beside the message loop: an edit is answered
 * while it runs, it can be cancelled either way, and a configuration
 * reload during it is safe. */
static void test_scan_beside_loop(void)
{
    char dir[300], path[400], text[256];
    snprintf(dir, sizeof dir, "%s/big", tmpdir);
    mkdir(dir, 0755);
    snprintf(text, sizeof text, "t = \"%s\"\n", token);
    for (int i = 0; i < 100; i++) { /* (each file sends two messages; T keeps 256) */
        snprintf(path, sizeof path, "%s/f%03d.py", dir, i);
        write_file(path, text);
    }
    T t;
    t_open(&t, NULL);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"workspaceFolders\":"
              "[{\"uri\":\"file://%s\",\"name\":\"big\"}],\"capabilities\":{}}}",
          dir);
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":30,\"method\":\"workspace/executeCommand\",\"params\":"
              "{\"command\":\"ward.scanWorkspace\",\"workDoneToken\":\"t30\"}}");
    CHECK_STR(str(msg(&t, "$/progress"), "params.value.kind"), "begin");
    CHECK(msg(&t, NULL) == NULL); /* answered when the scan ends, not now */
    /* A second scan is refused while one runs. */
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":31,\"method\":\"workspace/executeCommand\",\"params\":"
              "{\"command\":\"ward.scanWorkspace\"}}");
    CHECK_INT(err_code(&t), -32803);
    /* An open document is answered at once, before the scan is pumped. */
    open_doc(&t, "live.py", "python", text);
    cJSON *p = msg(&t, "textDocument/publishDiagnostics");
    CHECK(p && strstr(str(p, "params.uri"), "live.py"));
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "params"),
                                                     "diagnostics")), 1);
    /* A config reload replaces the engine the scan thread uses. */
    snprintf(path, sizeof path, "%s/.ward.toml", dir);
    write_file(path, "[allowlist]\npaths = ['''nothing-matches-this''']\n");
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"workspace/didChangeWatchedFiles\",\"params\":"
              "{\"changes\":[{\"uri\":\"file://%s\",\"type\":1}]}}",
          path);
    t_clear(&t);
    wait_scan(&t);
    CHECK_INT(num(msg(&t, NULL), "id"), 30);
    CHECK_INT(num(msg(&t, NULL), "result.findings"), 100);
    CHECK_INT(count(&t, "textDocument/publishDiagnostics"), 100);
    CHECK(!leaks(&t));

    /* $/cancelRequest answers at once; nothing of the scan follows. */
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":32,\"method\":\"workspace/executeCommand\",\"params\":"
              "{\"command\":\"ward.scanWorkspace\",\"workDoneToken\":\"t32\"}}");
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":32}}");
    CHECK_INT(num(msg(&t, NULL), "id"), 32);
    CHECK_INT(err_code(&t), -32800);
    CHECK_STR(str(msg(&t, "$/progress"), "params.value.kind"), "end");
    /* until its thread has stopped, a new scan is refused */
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":33,\"method\":\"workspace/executeCommand\",\"params\":"
              "{\"command\":\"ward.scanWorkspace\"}}");
    CHECK_INT(err_code(&t), -32803);
    t_clear(&t);
    wait_scan(&t);
    CHECK_INT(count(&t, "textDocument/publishDiagnostics"), 0);
    CHECK(msg(&t, NULL) == NULL);
    /* The progress's cancel button does the same. */
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":34,\"method\":\"workspace/executeCommand\",\"params\":"
              "{\"command\":\"ward.scanWorkspace\",\"workDoneToken\":\"t34\"}}");
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"window/workDoneProgress/cancel\",\"params\":"
              "{\"token\":\"t34\"}}");
    CHECK_INT(num(msg(&t, NULL), "id"), 34);
    CHECK_INT(err_code(&t), -32800);
    t_clear(&t);
    wait_scan(&t);
    CHECK_INT(count(&t, "textDocument/publishDiagnostics"), 0);
    /* shutdown with a scan running answers it as cancelled */
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":35,\"method\":\"workspace/executeCommand\",\"params\":"
              "{\"command\":\"ward.scanWorkspace\"}}");
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"id\":36,\"method\":\"shutdown\"}");
    CHECK_INT(num(msg(&t, NULL), "id"), 35);
    CHECK_INT(err_code(&t), -32800);
    t_close(&t);
}

/* Positions past the end of a line or the text, and reversed ranges, are
 * clamped, never out of bounds. */
static void test_clamping(void)
{
    T t;
    t_open(&t, NULL);
    init(&t, "{}", NULL);
    open_doc(&t, "c.txt", "plaintext", "ab\n\xf0\x9f\x98\x80x\n");
    sendf(&t, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":"
              "{\"uri\":\"file://%s/c.txt\",\"version\":2},\"contentChanges\":[{\"range\":{\"start\":"
              "{\"line\":9,\"character\":99},\"end\":{\"line\":0,\"character\":99}},\"text\":\"Z\"},"
              "{\"range\":{\"start\":{\"line\":1,\"character\":1},\"end\":{\"line\":1,\"character\":1}},"
              "\"text\":\"Q\"}]}}",
          tmpdir);
    CHECK(msg(&t, "textDocument/publishDiagnostics") != NULL);
    CHECK_INT(lsp_enc_bytes("\xf0\x9f\x98\x80x", 5, 1, ENC_UTF16), 0); /* inside a surrogate pair */
    CHECK_INT(lsp_enc_bytes("\xf0\x9f\x98\x80x", 5, 2, ENC_UTF16), 4);
    CHECK_INT(lsp_enc_bytes("\xc3\xa9x", 3, 1, ENC_UTF8), 0);          /* inside a character */
    CHECK_INT(lsp_enc_units("\xff\xfe", 2, ENC_UTF16), 2);             /* invalid bytes */
    size_t off = lsp_text_offset("ab\r\ncd", 6, 0, 5, ENC_UTF16);
    CHECK_INT(off, 2); /* end of line 0, before CR LF */
    t_close(&t);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ward-lsp-test-XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    make_token();
    RUN(test_lifecycle);
    RUN(test_framing);
    RUN(test_diagnostics);
    RUN(test_severity_and_pull);
    RUN(test_allow_comments);
    RUN(test_move_to_env);
    RUN(test_baseline);
    RUN(test_workspace_scan_and_config);
    RUN(test_scan_beside_loop);
    RUN(test_clamping);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", tmpdir);
    return check_summary();
}
