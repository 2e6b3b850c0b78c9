/* test_redact.c - the stream redactor: byte-identical when clean, a secret
 * split at every offset still masked, escapes looked through and kept,
 * CRLF, endless lines with bounded memory, key blocks, styles. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <ward.h>

#include "check.h"

static ward_engine *E;

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static int sink(const char *b, size_t n, void *user)
{
    buf *o = user;
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->p = realloc(o->p, o->cap);
    }
    memcpy(o->p + o->len, b, n);
    o->len += n;
    o->p[o->len] = '\0';
    return 0;
}

/* Feeds text in the given pieces (sizes; 0-terminated list, rest at the
 * end), with an optional short flush after each piece. */
static buf run(const char *text, size_t len, const size_t *pieces, int flush_between,
               ward_mask_style style)
{
    buf o = {calloc(1, 1), 0, 1};
    ward_redactor *r;
    ward_redactor_new(E, style, &r);
    size_t at = 0;
    for (; pieces && *pieces && at < len; pieces++) {
        size_t n = *pieces < len - at ? *pieces : len - at;
        ward_redactor_write(r, text + at, n, sink, &o);
        if (flush_between)
            ward_redactor_flush(r, WARD_FLUSH_SHORT, sink, &o);
        CHECK(ward_redactor_pending(r) <= WARD_REDACT_HOLD);
        at += n;
    }
    ward_redactor_write(r, text + at, len - at, sink, &o);
    ward_redactor_flush(r, WARD_FLUSH_END, sink, &o);
    CHECK_INT(ward_redactor_pending(r), 0);
    ward_redactor_free(r);
    return o;
}

static char *fake(const char *tmpl, uint64_t seed)
{
    static char out[8][8192];
    static int k;
    k = (k + 1) % 8;
    size_t len, so, sl;
    if (ward_example_expand(tmpl, &seed, out[k], sizeof out[k], &len, &so, &sl))
        return NULL;
    return out[k];
}

static void test_clean_input_is_byte_identical(void)
{
    size_t n = 3u << 20;
    char *in = malloc(n);
    uint64_t x = 42;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        in[i] = (char)(x >> 24);
    }
    size_t pieces[] = {1, 7, 4096, 65536, 3, 1 << 20, 0};
    buf o = run(in, n, pieces, 0, WARD_MASK_DOTS);
    CHECK_INT(o.len, n);
    CHECK(o.len == n && memcmp(o.p, in, n) == 0);
    free(o.p);
    const char *text = "plain text\r\nwith \033[1mcolour\033[0m and\ttabs\n no newline at end";
    o = run(text, strlen(text), (size_t[]){5, 0}, 1, WARD_MASK_DOTS);
    CHECK_STR(o.p, text);
    free(o.p);
    free(in);
}

static void test_split_at_every_offset(void)
{
    char line[256], tok[64];
    snprintf(tok, sizeof tok, "%s", fake("ghp_%{crc62:30}", 7));
    snprintf(line, sizeof line, "export GITHUB_TOKEN=%s # deploy\r\nnext line\n", tok);
    size_t len = strlen(line);
    buf whole = run(line, len, NULL, 0, WARD_MASK_DOTS);
    CHECK(strstr(whole.p, tok) == NULL);
    CHECK(strstr(whole.p, "export GITHUB_TOKEN=\xe2\x97\x8f") != NULL);
    CHECK(strstr(whole.p, "\xe2\x97\x8f # deploy\r\nnext line\n") != NULL);
    for (int flush = 0; flush < 2; flush++)
        for (size_t k = 1; k < len; k++) {
            size_t pieces[] = {k, 0};
            buf o = run(line, len, pieces, flush, WARD_MASK_DOTS);
            if (strcmp(o.p, whole.p)) {
                fprintf(stderr, "split at %zu (flush %d) differs: %s\n", k, flush, o.p);
                check_current_failed_ = 1;
            }
            free(o.p);
        }
    free(whole.p);
}

static void test_escapes_inside_and_around(void)
{
    char tok[64], in[512], want[512];
    snprintf(tok, sizeof tok, "%s", fake("ghp_%{crc62:30}", 9));
    /* colour codes split the token in three */
    snprintf(in, sizeof in, "\033[32mok\033[0m \033[31m%.10s\033[1m%.20s\033[22m%s\033[0m!\n", tok,
             tok + 10, tok + 30);
    buf o = run(in, strlen(in), (size_t[]){13, 0}, 0, WARD_MASK_DOTS);
    /* every escape sequence survives in place; 40 dots stand for 40 chars */
    char dots[40 * 3 + 1] = "";
    for (int i = 0; i < 10; i++)
        strcat(dots, "\xe2\x97\x8f");
    snprintf(want, sizeof want, "\033[32mok\033[0m \033[31m%s\033[1m%s%s\033[22m%.*s\033[0m!\n",
             dots, dots, dots, 30, "");
    /* the last 10 chars after \033[22m */
    char tail[64] = "";
    for (int i = 0; i < 10; i++)
        strcat(tail, "\xe2\x97\x8f");
    snprintf(want, sizeof want, "\033[32mok\033[0m \033[31m%s\033[1m%s%s\033[22m%s\033[0m!\n", dots,
             dots, dots, tail);
    CHECK_STR(o.p, want);
    free(o.p);
}

static void test_endless_line_bounded(void)
{
    size_t n = 5u << 20;
    char *in = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        in[i] = "abcdefgh "[i % 9];
    size_t at[] = {100, (1u << 20) - 20, (2u << 20) + 7, n - 60};
    char toks[4][64];
    for (int i = 0; i < 4; i++) {
        snprintf(toks[i], sizeof toks[i], " %s ", fake("npm_%{crc62:30}", (uint64_t)i + 1));
        memcpy(in + at[i], toks[i], strlen(toks[i]));
    }
    in[n] = '\0';
    buf o = run(in, n, (size_t[]){4096, 1 << 16, 300000, 1 << 20, 0}, 0, WARD_MASK_PREFIX);
    for (int i = 0; i < 4; i++) {
        CHECK(strstr(o.p, toks[i]) == NULL);
        CHECK(memmem(o.p, o.len, toks[i], 5) != NULL); /* " npm_" prefix kept */
    }
    free(o.p);
    free(in);
}

static void test_key_block_line_by_line(void)
{
    const char *pem = fake("before\n%{pem:RSA PRIVATE KEY}\nafter\n", 3);
    size_t len = strlen(pem);
    /* feed it one line per write, flushing between: the body must not leak */
    size_t pieces[200], k = 0;
    const char *p = pem;
    while (k < 199 && (p = strchr(p, '\n'))) {
        pieces[k] = (size_t)(p - pem) + 1 - (k ? 0 : 0);
        p++;
        k++;
    }
    /* convert absolute ends to sizes */
    size_t prev = 0;
    for (size_t i = 0; i < k; i++) {
        size_t end = pieces[i];
        pieces[i] = end - prev;
        prev = end;
    }
    pieces[k] = 0;
    buf o = run(pem, len, pieces, 1, WARD_MASK_DOTS);
    const char *body = strstr(pem, "-----\n") + 6;
    CHECK(memmem(o.p, o.len, body, 40) == NULL);
    CHECK(strstr(o.p, "before\n") == o.p);
    CHECK(strstr(o.p, "after\n") != NULL);
    CHECK_INT(strlen(o.p) > len, 1); /* dots are three bytes each */
    free(o.p);
}

static void test_fixed_style(void)
{
    char in[128];
    snprintf(in, sizeof in, "k=%s\n", fake("npm_%{crc62:30}", 5));
    buf o = run(in, strlen(in), NULL, 0, WARD_MASK_FIXED);
    CHECK_STR(o.p, "k=[REDACTED:npm-access-token]\n");
    free(o.p);
}

int main(void)
{
    if (ward_engine_new(NULL, &E, NULL, 0))
        return 1;
    RUN(test_clean_input_is_byte_identical);
    RUN(test_split_at_every_offset);
    RUN(test_escapes_inside_and_around);
    RUN(test_endless_line_bounded);
    RUN(test_key_block_line_by_line);
    RUN(test_fixed_style);
    ward_engine_free(E);
    return check_summary();
}
