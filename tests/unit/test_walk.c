/* test_walk.c - the walker and worker pool: order independent of threads,
 * .gitignore through libgit2, symlinks and loops, binary and large files,
 * errors that do not stop the scan, and chunk boundaries in big files. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ward.h>

#include "check.h"

static char root[256];
static ward_engine *E;

typedef struct log {
    char *text;   /* one line per finding or event */
    size_t len, cap;
    int findings, errors, skips;
    uint64_t lines[4096];
    uint64_t offsets[4096];
} log_t;

static void append(log_t *l, const char *s)
{
    size_t n = strlen(s);
    if (l->len + n + 1 > l->cap) {
        l->cap = (l->len + n + 1) * 2;
        l->text = realloc(l->text, l->cap);
    }
    memcpy(l->text + l->len, s, n + 1);
    l->len += n;
}

static int on_finding(const ward_finding *f, void *user)
{
    log_t *l = user;
    char line[512];
    snprintf(line, sizeof line, "F %s:%llu %s %.*s\n", f->path, (unsigned long long)f->line,
             f->rule_id, (int)f->secret_len, f->secret);
    append(l, line);
    if (l->findings < 4096) {
        l->lines[l->findings] = f->line;
        l->offsets[l->findings] = f->offset;
    }
    l->findings++;
    return 0;
}

static void on_event(const ward_event *ev, void *user)
{
    log_t *l = user;
    char line[512];
    snprintf(line, sizeof line, "E%d %s %s: %s\n", ev->kind, ev->path, ev->what, ev->message);
    append(l, line);
    if (ev->kind == WARD_EV_ERROR)
        l->errors++;
    else
        l->skips++;
}

static ward_status walk(const char *const *paths, size_t n, ward_walk_options *o, log_t *l)
{
    memset(l, 0, sizeof *l);
    append(l, "");
    ward_callbacks cb = {on_finding, on_event, NULL, l};
    return ward_scan_paths(E, paths, n, o, &cb);
}

/* Token bodies that look random, so no placeholder filter drops them. */
static unsigned long long mix(uint64_t x)
{
    x = (x + 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull;
    return (x ^ (x >> 31)) | (1ull << 63);
}

static void put(const char *rel, const char *content, size_t len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    /* make parents */
    for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "wb");
    fwrite(content, 1, len, f);
    fclose(f);
}

static void puts_file(const char *rel, const char *content)
{
    put(rel, content, strlen(content));
}

static char *path(const char *rel)
{
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", root, rel);
    return p[k];
}

static void test_order_is_independent_of_threads(void)
{
    for (int i = 0; i < 300; i++) {
        char rel[64], body[128];
        snprintf(rel, sizeof rel, "many/d%02d/e%d/g/f%03d.txt", i % 17, i % 3, i);
        snprintf(body, sizeof body, "x\nkey = tok_%016llx\n", mix((uint64_t)i));
        puts_file(rel, body);
    }
    const char *p[] = {path("many")};
    ward_walk_options o = WARD_INIT(ward_walk_options);
    log_t one, eight;
    o.threads = 1;
    CHECK_INT(walk(p, 1, &o, &one), WARD_OK);
    o.threads = 8;
    CHECK_INT(walk(p, 1, &o, &eight), WARD_OK);
    CHECK_INT(one.findings, 300);
    CHECK_INT(eight.findings, 300);
    CHECK(one.text && eight.text && strcmp(one.text, eight.text) == 0);
    /* sorted walk: d00/f000 comes first, d16/... last */
    CHECK(strstr(one.text, "d00/e0/g/f000.txt:2") == one.text + 2 + strlen(root) + 6);
    CHECK_INT(one.skips + one.errors, 0);
    free(one.text);
    free(eight.text);
}

static void test_gitignore(void)
{
    git_libgit2_init();
    git_repository *repo;
    CHECK_INT(git_repository_init(&repo, path("repo"), 0), 0);
    git_repository_free(repo);
    git_libgit2_shutdown();
    puts_file("repo/.gitignore", "ignored.txt\nbuild/\n*.log\n");
    puts_file("repo/kept.txt", "tok_a1b2c3d4e5f6g7h1\n");
    puts_file("repo/ignored.txt", "tok_a1b2c3d4e5f6g7h2\n");
    puts_file("repo/build/out.txt", "tok_a1b2c3d4e5f6g7h3\n");
    puts_file("repo/sub/app.log", "tok_a1b2c3d4e5f6g7h4\n");
    puts_file("repo/sub/code.c", "tok_a1b2c3d4e5f6g7h5\n");
    puts_file("repo/.git/secret", "tok_a1b2c3d4e5f6g7h6\n");
    const char *p[] = {path("repo")};
    ward_walk_options o = WARD_INIT(ward_walk_options);
    log_t l;
    CHECK_INT(walk(p, 1, &o, &l), WARD_OK);
    CHECK_INT(l.findings, 2);
    CHECK(strstr(l.text, "kept.txt") && strstr(l.text, "code.c"));
    free(l.text);
    o.no_ignore = 1;
    CHECK_INT(walk(p, 1, &o, &l), WARD_OK);
    CHECK_INT(l.findings, 5); /* never .git itself */
    free(l.text);
    /* a file named explicitly is scanned even when ignored */
    const char *q[] = {path("repo/ignored.txt")};
    o.no_ignore = 0;
    CHECK_INT(walk(q, 1, &o, &l), WARD_OK);
    CHECK_INT(l.findings, 1);
    free(l.text);
    /* so is a folder named explicitly inside an ignored one */
    const char *r[] = {path("repo/build")};
    CHECK_INT(walk(r, 1, &o, &l), WARD_OK);
    CHECK_INT(l.findings, 1);
    free(l.text);
}

static void test_symlinks(void)
{
    puts_file("links/real/a.txt", "tok_a1b2c3d4e5f6g7h7\n");
    symlink("../real", path("links/real/loop"));
    symlink("real/a.txt", path("links/alias.txt"));
    symlink("nowhere", path("links/dangling"));
    const char *p[] = {path("links")};
    ward_walk_options o = WARD_INIT(ward_walk_options);
    log_t l;
    CHECK_INT(walk(p, 1, &o, &l), WARD_OK);
    CHECK_INT(l.findings, 1); /* links not followed */
    free(l.text);
    o.follow_symlinks = 1;
    CHECK_INT(walk(p, 1, &o, &l), WARD_OK);
    CHECK_INT(l.findings, 2); /* alias.txt and real/a.txt; the loop is cut */
    CHECK(strstr(l.text, "symbolic link loop") != NULL);
    free(l.text);
}

static void test_binary_large_and_missing(void)
{
    char bin[64] = "tok_a1b2c3d4e5f6g7h8\n";
    bin[30] = '\0';
    put("misc/data.bin", bin, sizeof bin);
    puts_file("misc/big.txt", "tok_a1b2c3d4e5f6g7h9 and plenty of padding to make this file "
                              "larger than the limit the test sets below\n");
    const char *p[] = {path("misc/data.bin"), path("misc/big.txt"), path("misc/nope.txt")};
    ward_walk_options o = WARD_INIT(ward_walk_options);
    o.max_file_size = 70;
    log_t l;
    CHECK_INT(walk(p, 3, &o, &l), WARD_EPARTIAL);
    CHECK_INT(l.findings, 0);
    CHECK_INT(l.skips, 2);
    CHECK_INT(l.errors, 1);
    CHECK(strstr(l.text, "binary file") && strstr(l.text, "larger than"));
    CHECK(strstr(l.text, "nope.txt cannot open: No such file or directory") != NULL);
    /* errors and skips arrive in the order of the paths */
    CHECK(strstr(l.text, "data.bin") < strstr(l.text, "big.txt"));
    CHECK(strstr(l.text, "big.txt") < strstr(l.text, "nope.txt"));
    free(l.text);
    o.scan_binary = 1;
    o.max_file_size = 0;
    CHECK_INT(walk(p, 2, &o, &l), WARD_OK);
    CHECK_INT(l.findings, 2);
    free(l.text);
}

/* A file far larger than one chunk, with tokens placed just before, across
 * and just after every chunk boundary: each is found exactly once, with the
 * right line. */
static void test_chunk_boundaries(void)
{
    const size_t size = 13u << 20, chunk = 4u << 20;
    char *buf = malloc(size);
    memset(buf, 'a', size);
    for (size_t i = 99; i < size; i += 100)
        buf[i] = '\n';
    size_t planted[64], n = 0;
    const size_t keep = 64 * 1024 + 4096;
    for (size_t base = chunk; base < size - chunk / 2 && n < 60; base += chunk - keep + 4096) {
        long deltas[] = {-80000, -70000, -5000, -20, -10, 0, 7, 30, 5000};
        for (size_t d = 0; d < sizeof deltas / sizeof *deltas; d++) {
            size_t at = (size_t)((long)base + deltas[d]);
            at -= at % 100; /* start of a line */
            if (n && at <= planted[n - 1] + 100)
                continue;
            char tok[32];
            snprintf(tok, sizeof tok, " tok_%016llx ", mix(at));
            memcpy(buf + at, tok, strlen(tok));
            planted[n++] = at;
        }
    }
    put("big/huge.txt", buf, size);
    const char *p[] = {path("big/huge.txt")};
    ward_walk_options o = WARD_INIT(ward_walk_options);
    log_t l;
    CHECK_INT(walk(p, 1, &o, &l), WARD_OK);
    CHECK_INT(l.findings, (int)n);
    for (size_t i = 0; i < n && i < (size_t)l.findings; i++) {
        CHECK_INT(l.offsets[i], planted[i] + 5);
        CHECK_INT(l.lines[i], planted[i] / 100 + 1);
    }
    free(l.text);
    free(buf);
}

/* A cancel flag set by another thread (the language server's cancel
 * button) stops the walk itself, not only the delivery of findings. */
static int cancel_flag;
static int cancel_after_first(const ward_finding *f, void *user)
{
    (void)f;
    (*(int *)user)++;
    __atomic_store_n(&cancel_flag, 1, __ATOMIC_RELAXED);
    return 0; /* never asks to stop itself */
}

static void test_cancel(void)
{
    const char *p[] = {path("many")}; /* 300 files, one finding each */
    ward_walk_options o = WARD_INIT(ward_walk_options);
    o.threads = 2;
    o.cancel = &cancel_flag;
    int seen = 0;
    ward_callbacks cb = {cancel_after_first, NULL, NULL, &seen};
    cancel_flag = 1;
    CHECK_INT(ward_scan_paths(E, p, 1, &o, &cb), WARD_EABORT);
    CHECK_INT(seen, 0);
    cancel_flag = 0;
    CHECK_INT(ward_scan_paths(E, p, 1, &o, &cb), WARD_EABORT);
    CHECK(seen >= 1 && seen < 300);
    o.cancel = NULL;
    seen = 0;
    CHECK_INT(ward_scan_paths(E, p, 1, &o, &cb), WARD_OK);
    CHECK_INT(seen, 300);
}

int main(void)
{
    snprintf(root, sizeof root, "%s/ward-walk-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    const char *cfg = "[[rules]]\nid = \"tok\"\nregex = '''\\btok_([a-z0-9]{16})\\b'''\n";
    ward_engine_options eo = WARD_INIT(ward_engine_options);
    eo.config_text = cfg;
    eo.config_len = strlen(cfg);
    eo.no_default_rules = 1;
    eo.cache_dir = "";
    if (ward_engine_new(&eo, &E, NULL, 0))
        return 1;
    RUN(test_order_is_independent_of_threads);
    RUN(test_gitignore);
    RUN(test_symlinks);
    RUN(test_binary_large_and_missing);
    RUN(test_chunk_boundaries);
    RUN(test_cancel);
    ward_engine_free(E);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    return check_summary();
}
