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
 * hundred lines.  An edit that brings no diagnostics counts as a failure
 * (reported, never sorted into the percentiles).
 *
 * During a workspace scan: the same 1,000-line edits while the server scans
 * a large tree (LSP_BENCH_TREE, folders separated by ':'; default
 * /usr/share:/usr/include) on its scan thread.  The bench plays the stdio
 * loop: before each edit it publishes whatever the scan queued (lsp_pump),
 * and that time counts in the edit's latency, as an edit arriving just then
 * would wait for it.  Edits come every 2 ms; only those made while the scan
 * ran count.  Then the scan alone, pumped as the loop does, against `ward
 * scan` on the same folders.
 *
 * Idle RSS: a real `ward lsp` child after initialize and one open document.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <fcntl.h>
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
static int n_published, scan_answered;
static const char *bench_uri = "file:///bench/doc.py";

static int sink(const char *buf, size_t len, void *user)
{
    (void)user;
    size_t head = len < 200 ? len : 200;
    /* only the edited document's diagnostics: a scan publishes others */
    if (memmem(buf, head, "publishDiagnostics", 18) &&
        memmem(buf, head, bench_uri, strlen(bench_uri))) {
        t_published = now_ms();
        n_published++;
    }
    if (memmem(buf, head, "\"id\":900", 8))
        scan_answered = 1;
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

/* The tree to scan: LSP_BENCH_TREE's folders as workspaceFolders JSON. */
static char *tree_folders(void)
{
    const char *env = getenv("LSP_BENCH_TREE");
    char *list = strdup(env && *env ? env : "/usr/share:/usr/include");
    char *out = malloc(strlen(list) * 2 + 4096), *o = out;
    o += sprintf(o, "[");
    int first = 1;
    for (char *p = strtok(list, ":"); p; p = strtok(NULL, ":")) {
        o += sprintf(o, "%s{\"uri\":\"file://%s\",\"name\":\"t\"}", first ? "" : ",", p);
        first = 0;
    }
    sprintf(o, "]");
    free(list);
    return out;
}

static void start_scan(lsp_server *s)
{
    scan_answered = 0;
    feed(s, "{\"jsonrpc\":\"2.0\",\"id\":900,\"method\":\"workspace/executeCommand\","
            "\"params\":{\"command\":\"ward.scanWorkspace\"}}");
}

/* One turn of the stdio loop with nothing from the client: publishes what
 * the scan queued; returns 1 while it runs. */
static int pump(lsp_server *s, int wait_ms)
{
    struct pollfd pf = {lsp_wake_fd(s), POLLIN, 0};
    if (poll(&pf, 1, wait_ms) > 0)
        return lsp_pump(s);
    return !scan_answered;
}

static void run(const char *label, size_t target, int by_lines, int edits, int during_scan)
{
    char err[256];
    lsp_server *s = lsp_server_new(NULL, sink, NULL, err, sizeof err);
    if (!s) {
        fprintf(stderr, "lsp_bench: %s\n", err);
        exit(2);
    }
    if (during_scan) {
        char *folders = tree_folders();
        char *init = malloc(strlen(folders) + 256);
        sprintf(init, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                      "\"workspaceFolders\":%s,\"capabilities\":{}}}", folders);
        feed(s, init);
        free(init);
        free(folders);
    } else {
        feed(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}");
    }
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
    int line = 0, ok = 0, failed = 0;
    if (during_scan)
        start_scan(s);
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
        if (during_scan) {
            if (!pump(s, 2))
                break; /* the scan ended: only edits made during it count */
        }
        double t0 = now_ms();
        if (during_scan && lsp_pump(s) == 0)
            break;
        feed(s, msg);
        if (n_published > before)
            ms[ok++] = t_published - t0;
        else
            failed++;
    }
    if (during_scan) {
        feed(s, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":900}}");
        while (pump(s, 100)) {
        }
    }
    qsort(ms, (size_t)ok, sizeof *ms, cmp);
    if (ok)
        printf("%-12s %6d lines %8zu bytes  %5d edits  p50 %.3f ms  p99 %.3f ms  max %.3f ms"
               "  failed %d\n",
               label, lines, bytes, ok, ms[ok / 2], ms[ok * 99 / 100], ms[ok - 1], failed);
    else
        printf("%-12s no edit brought diagnostics (%d failed)\n", label, failed);
    free(ms);
    free(open);
    free(js);
    free(doc);
    lsp_server_free(s);
}

/* The workspace scan alone, pumped as the stdio loop does, against
 * `ward scan` on the same folders (both after a warm-up of the caches). */
static void scan_speed(const char *ward)
{
    char err[256];
    lsp_server *s = lsp_server_new(NULL, sink, NULL, err, sizeof err);
    char *folders = tree_folders();
    char *init = malloc(strlen(folders) + 256);
    sprintf(init, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                  "\"workspaceFolders\":%s,\"capabilities\":{}}}", folders);
    feed(s, init);
    free(init);
    free(folders);
    double t0 = now_ms();
    start_scan(s);
    while (pump(s, 100)) {
    }
    double lsp_ms = now_ms() - t0;
    lsp_server_free(s);
    const char *env = getenv("LSP_BENCH_TREE");
    char *list = strdup(env && *env ? env : "/usr/share:/usr/include");
    char *argv[64];
    int n = 0;
    argv[n++] = (char *)ward;
    argv[n++] = "scan";
    for (char *p = strtok(list, ":"); p && n < 62; p = strtok(NULL, ":"))
        argv[n++] = p;
    argv[n] = NULL;
    t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        dup2(fd, 2);
        execv(ward, argv);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
    double cli_ms = now_ms() - t0;
    free(list);
    printf("workspace scan: ward lsp %.0f ms, ward scan %.0f ms\n", lsp_ms, cli_ms);
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
    run("1k-lines", 1000, 1, edits, 0);
    run("500KB", 500 * 1024, 0, edits / 4, 0);
    run("1k-in-scan", 1000, 1, edits, 1);
    if (argc > 1)
        scan_speed(argv[1]);
    if (argc > 1) {
        long kib = idle_rss_kib(argv[1]);
        printf("idle RSS of '%s lsp': %.1f MiB\n", argv[1], kib / 1024.0);
    }
    return 0;
}
