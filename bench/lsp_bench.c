/* lsp_bench.c - how fast `ward lsp` turns an edit into diagnostics, and
 * how much memory it holds when idle.
 *
 *   bench/lsp_bench.sh [BUILD_DIR]      builds and runs this
 *
 * Latency: the server runs in-process; the clock starts before the
 * didChange bytes are fed and stops when the publishDiagnostics message is
 * written (framing, JSON parsing, the edit, the rescan, position conversion
 * and the JSON reply all included).  Each edit inserts or deletes one
 * character on a pseudo-random line.  Documents: 1,000 lines and 500 KB of
 * code-like text with fake tokens (made from templates, seeded) every few
 * hundred lines.  Idle RSS: a real `ward lsp` child after initialize and
 * one open document.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lsp.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double t_published;
static int n_published;

static int sink(const char *buf, size_t len, void *user)
{
    (void)user;
    if (memmem(buf, len < 200 ? len : 200, "publishDiagnostics", 18)) {
        t_published = now_ms();
        n_published++;
    }
    return 0;
}

static void feed(lsp_server *s, const char *body)
{
    char head[64];
    int hl = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", strlen(body));
    lsp_feed(s, head, (size_t)hl);
    lsp_feed(s, body, strlen(body));
}

/* A JSON string literal of text (ASCII here, so only quotes and newlines). */
static char *json_text(const char *t)
{
    size_t n = strlen(t);
    char *o = malloc(n * 2 + 3), *p = o;
    *p++ = '"';
    for (; *t; t++) {
        if (*t == '\n') {
            *p++ = '\\';
            *p++ = 'n';
        } else if (*t == '"' || *t == '\\') {
            *p++ = '\\';
            *p++ = *t;
        } else {
            *p++ = *t;
        }
    }
    *p++ = '"';
    *p = '\0';
    return o;
}

static char *make_doc(size_t target, int *lines)
{
    uint64_t seed = 1;
    size_t cap = target + 4096, len = 0;
    char *d = malloc(cap);
    int l = 0;
    while (len < target) {
        char line[256];
        int n;
        if (l % 250 == 125) {
            char tok[128];
            size_t tl, so, sl;
            ward_example_expand("ghp_%{crc62:30}", &seed, tok, sizeof tok, &tl, &so, &sl);
            n = snprintf(line, sizeof line, "    token_%d = \"%s\"\n", l, tok);
        } else {
            if (l % 3 == 0)
                n = snprintf(line, sizeof line,
                             "    result = compute_value(items[%d], options.get(\"mode\"))\n", l);
            else if (l % 3 == 1)
                n = snprintf(line, sizeof line,
                             "    // a comment explaining step %d of the pipeline and why\n", l);
            else
                n = snprintf(line, sizeof line,
                             "    if (count_%d > limit) { log.warn(\"too many\"); return; }\n", l);
        }
        if (len + (size_t)n >= cap)
            break;
        memcpy(d + len, line, (size_t)n);
        len += (size_t)n;
        l++;
    }
    d[len] = '\0';
    *lines = l;
    return d;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void run(const char *label, size_t target, int by_lines, int edits)
{
    char err[256];
    lsp_server *s = lsp_server_new(NULL, sink, NULL, err, sizeof err);
    if (!s) {
        fprintf(stderr, "lsp_bench: %s\n", err);
        exit(2);
    }
    feed(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
    feed(s, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
    int lines;
    char *doc = make_doc(by_lines ? target * 70 : target, &lines);
    if (by_lines) { /* cut at exactly `target` lines */
        char *p = doc;
        for (size_t i = 0; i < target && p; i++)
            p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
        if (p)
            *p = '\0';
        lines = (int)target;
    }
    size_t bytes = strlen(doc);
    char *js = json_text(doc);
    char *open = malloc(strlen(js) + 256);
    sprintf(open, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
                  "{\"uri\":\"file:///bench/doc.py\",\"languageId\":\"python\",\"version\":1,\"text\":%s}}}",
            js);
    feed(s, open);
    double *ms = malloc(sizeof(double) * (size_t)edits);
    unsigned rng = 12345;
    int line = 0;
    for (int i = 0; i < edits; i++) {
        char msg[512];
        if (i % 2 == 0) {
            rng = rng * 1103515245 + 12345;
            line = (int)((rng >> 8) % (unsigned)lines);
            snprintf(msg, sizeof msg,
                     "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                     "\"textDocument\":{\"uri\":\"file:///bench/doc.py\",\"version\":%d},"
                     "\"contentChanges\":[{\"range\":{\"start\":{\"line\":%d,\"character\":4},"
                     "\"end\":{\"line\":%d,\"character\":4}},\"text\":\"x\"}]}}",
                     i + 2, line, line);
        } else {
            snprintf(msg, sizeof msg,
                     "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{"
                     "\"textDocument\":{\"uri\":\"file:///bench/doc.py\",\"version\":%d},"
                     "\"contentChanges\":[{\"range\":{\"start\":{\"line\":%d,\"character\":4},"
                     "\"end\":{\"line\":%d,\"character\":5}},\"text\":\"\"}]}}",
                     i + 2, line, line);
        }
        int before = n_published;
        double t0 = now_ms();
        feed(s, msg);
        ms[i] = n_published > before ? t_published - t0 : -1;
    }
    qsort(ms, (size_t)edits, sizeof *ms, cmp);
    printf("%-10s %7d lines %8zu bytes  %5d edits  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n",
           label, lines, bytes, edits, ms[edits / 2], ms[edits * 99 / 100], ms[edits - 1]);
    free(ms);
    free(open);
    free(js);
    free(doc);
    lsp_server_free(s);
}

static long idle_rss_kib(const char *ward)
{
    int in[2], out[2];
    if (pipe(in) || pipe(out))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execl(ward, ward, "lsp", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    char msg[2048];
    const char *init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}";
    const char *open = "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
                       "{\"uri\":\"file:///bench/a.py\",\"languageId\":\"python\",\"version\":1,"
                       "\"text\":\"x = 1\\n\"}}}";
    int n = snprintf(msg, sizeof msg, "Content-Length: %zu\r\n\r\n%sContent-Length: %zu\r\n\r\n%s",
                     strlen(init), init, strlen(open), open);
    if (write(in[1], msg, (size_t)n) != n)
        return -1;
    char buf[4096];
    ssize_t r = read(out[0], buf, sizeof buf); /* the initialize reply */
    (void)r;
    usleep(300000);
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kib = atol(line + 6);
    if (f)
        fclose(f);
    close(in[1]);
    close(out[0]);
    waitpid(pid, NULL, 0);
    return kib;
}

int main(int argc, char **argv)
{
    int edits = argc > 2 ? atoi(argv[2]) : 2000;
    run("1k-lines", 1000, 1, edits);
    run("500KB", 500 * 1024, 0, edits / 4);
    if (argc > 1) {
        long kib = idle_rss_kib(argv[1]);
        printf("idle RSS of '%s lsp': %.1f MiB\n", argv[1], kib / 1024.0);
    }
    return 0;
}
