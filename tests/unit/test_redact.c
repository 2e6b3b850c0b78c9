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

/* ---- pauses: a half-written secret is never shown in clear ---- */

static const char DOTC[] = "\xe2\x97\x8f";

/* Writes text (may be NULL), then flushes at each level of a list ended by
 * -1; the output accumulates in o. */
static void step(ward_redactor *r, buf *o, const char *text, const int *levels)
{
    if (text)
        ward_redactor_write(r, text, strlen(text), sink, o);
    for (; *levels >= 0; levels++)
        ward_redactor_flush(r, (ward_flush_level)*levels, sink, o);
}

/* Whether any 6 characters of the secret after its first 4 (a provider
 * prefix is public) appear in clear. */
static int shows_part(const char *out, const char *secret)
{
    size_t n = strlen(secret);
    for (size_t i = 4; i + 6 <= n; i++)
        if (memmem(out, strlen(out), secret + i, 6))
            return 1;
    return 0;
}

/* A context ("token=") and a secret's template: the secret starts with a
 * provider prefix, or follows a secret-like assignment, or both. */
static const struct {
    const char *context, *tmpl;
} HALF[] = {
    {"token=", "ghp_%{crc62:30}"},
    {"got ", "ghp_%{crc62:30}"},
    {"DB_PASSWORD = \"", "%{a62:12}%{digit:2}%{a62:12}"},
    {"curl -H \"Authorization: Bearer ", "%{a62:20}%{digit:2}%{a62:18}"},
    {"\033[1mapi_key\033[0m: ", "%{a62:14}%{digit:2}%{a62:14}"},
};

static void test_paused_half_token_held(void)
{
    for (size_t i = 0; i < sizeof HALF / sizeof *HALF; i++) {
        char secret[128];
        snprintf(secret, sizeof secret, "%s", fake(HALF[i].tmpl, 20 + i));
        size_t half = strlen(secret) / 2;
        char first[256];
        snprintf(first, sizeof first, "%s%.*s", HALF[i].context, (int)half, secret);
        buf o = {calloc(1, 1), 0, 1};
        ward_redactor *r;
        ward_redactor_new(E, WARD_MASK_DOTS, &r);
        /* a short then a long pause: the context goes out, the half stays */
        step(r, &o, first, (int[]){WARD_FLUSH_SHORT, WARD_FLUSH_LONG, -1});
        if (strcmp(o.p, HALF[i].context)) {
            fprintf(stderr, "case %zu after a long pause: \"%s\"\n", i, o.p);
            check_current_failed_ = 1;
        }
        CHECK_INT(ward_redactor_pending(r), half);
        /* the rest comes: the whole secret is masked */
        step(r, &o, secret + half, (int[]){WARD_FLUSH_SHORT, -1});
        step(r, &o, "\"\n", (int[]){WARD_FLUSH_END, -1});
        CHECK(!shows_part(o.p, secret));
        CHECK(strstr(o.p, DOTC) != NULL);
        ward_redactor_free(r);
        free(o.p);
    }
}

static void test_paused_half_token_goes_stale(void)
{
    for (size_t i = 0; i < sizeof HALF / sizeof *HALF; i++) {
        char secret[128], dots[512] = "";
        snprintf(secret, sizeof secret, "%s", fake(HALF[i].tmpl, 40 + i));
        size_t half = strlen(secret) / 2, n = strlen(secret);
        char first[256], want[1024];
        snprintf(first, sizeof first, "%s%.*s", HALF[i].context, (int)half, secret);
        buf o = {calloc(1, 1), 0, 1};
        ward_redactor *r;
        ward_redactor_new(E, WARD_MASK_DOTS, &r);
        /* a second goes by: the half goes out masked, one dot a character */
        step(r, &o, first, (int[]){WARD_FLUSH_SHORT, WARD_FLUSH_LONG, WARD_FLUSH_STALE, -1});
        for (size_t k = 0; k < half; k++)
            strcat(dots, DOTC);
        snprintf(want, sizeof want, "%s%s", HALF[i].context, dots);
        CHECK_STR(o.p, want);
        CHECK_INT(ward_redactor_pending(r), 0);
        /* the rest, in two pieces with pauses, is masked too */
        size_t q = (n - half) / 2;
        char piece[128];
        snprintf(piece, sizeof piece, "%.*s", (int)q, secret + half);
        step(r, &o, piece, (int[]){WARD_FLUSH_SHORT, WARD_FLUSH_LONG, -1});
        step(r, &o, secret + half + q, (int[]){-1});
        step(r, &o, " done\n", (int[]){WARD_FLUSH_END, -1});
        for (size_t k = half; k < n; k++)
            strcat(dots, DOTC);
        snprintf(want, sizeof want, "%s%s done\n", HALF[i].context, dots);
        CHECK_STR(o.p, want);
        ward_redactor_free(r);
        free(o.p);
    }
    /* the fixed style names what it masked */
    buf o = {calloc(1, 1), 0, 1};
    ward_redactor *r;
    ward_redactor_new(E, WARD_MASK_FIXED, &r);
    step(r, &o, "token=ghp_abcdef", (int[]){WARD_FLUSH_LONG, WARD_FLUSH_STALE, -1});
    CHECK_STR(o.p, "token=[REDACTED:partial]");
    CHECK_INT(ward_redactor_flush(r, (ward_flush_level)4, sink, &o), WARD_EINVAL);
    ward_redactor_free(r);
    free(o.p);
}

/* Any split, any pauses: no secret shows in clear, and clean lines pass
 * unchanged. */
static void test_random_pauses(void)
{
    uint64_t x = 7;
    for (int it = 0; it < 300; it++) {
        char a[64], b[64], in[1024];
        snprintf(a, sizeof a, "%s", fake("ghp_%{crc62:30}", (uint64_t)it + 100));
        snprintf(b, sizeof b, "%s", fake("%{a62:20}%{digit:2}%{a62:18}", (uint64_t)it + 500));
        snprintf(in, sizeof in,
                 "plain line one\nx token=\033[31m%s\033[0m y\nAuthorization: Bearer %s\n"
                 "plain line two\n",
                 a, b);
        size_t len = strlen(in), at = 0;
        buf o = {calloc(1, 1), 0, 1};
        ward_redactor *r;
        ward_redactor_new(E, it % 2 ? WARD_MASK_DOTS : WARD_MASK_PREFIX, &r);
        while (at < len) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t n = 1 + x % 9;
            if (n > len - at)
                n = len - at;
            ward_redactor_write(r, in + at, n, sink, &o);
            at += n;
            int lv = (int)(x >> 20) % 5; /* 3, 4: no pause */
            for (int l = 0; l <= lv && lv < 3; l++)
                ward_redactor_flush(r, l == 2 ? WARD_FLUSH_STALE : (ward_flush_level)l, sink, &o);
        }
        ward_redactor_flush(r, WARD_FLUSH_END, sink, &o);
        if (shows_part(o.p, a) || shows_part(o.p, b)) {
            fprintf(stderr, "iteration %d shows a secret: %s\n", it, o.p);
            check_current_failed_ = 1;
        }
        CHECK(strstr(o.p, "plain line one\nx token=") == o.p);
        CHECK(strstr(o.p, "\nplain line two\n") != NULL);
        ward_redactor_free(r);
        free(o.p);
    }
}

/* A suspect run longer than the hold: memory stays bounded, the redactor
 * does not spin, and the run is masked all along. */
static void test_endless_suspect_run(void)
{
    size_t n = 3u << 20;
    char *in = malloc(n);
    memcpy(in, "token=ghp_", 10);
    for (size_t i = 10; i < n; i++)
        in[i] = "abcdefgh"[i % 8];
    buf o = {calloc(1, 1), 0, 1};
    ward_redactor *r;
    ward_redactor_new(E, WARD_MASK_FIXED, &r);
    for (size_t at = 0; at < n; at += 65536) {
        ward_redactor_write(r, in + at, n - at < 65536 ? n - at : 65536, sink, &o);
        ward_redactor_flush(r, WARD_FLUSH_SHORT, sink, &o);
        ward_redactor_flush(r, WARD_FLUSH_LONG, sink, &o);
        CHECK(ward_redactor_pending(r) <= WARD_REDACT_HOLD);
    }
    ward_redactor_flush(r, WARD_FLUSH_END, sink, &o);
    CHECK(strstr(o.p, "token=[REDACTED:partial]") == o.p);
    CHECK(memmem(o.p, o.len, "abcdefgh", 8) == NULL);
    ward_redactor_free(r);
    free(o.p);
    free(in);
}

static void test_prompt_released_at_once(void)
{
    static const char *const prompts[] = {"Enter name: ", "password: ", "$ ", "[y/N] ",
                                          "token=\n"};
    for (size_t i = 0; i < sizeof prompts / sizeof *prompts; i++) {
        buf o = {calloc(1, 1), 0, 1};
        ward_redactor *r;
        ward_redactor_new(E, WARD_MASK_DOTS, &r);
        step(r, &o, prompts[i], (int[]){WARD_FLUSH_SHORT, -1});
        CHECK_STR(o.p, prompts[i]);
        ward_redactor_free(r);
        free(o.p);
    }
    /* a last word that is no secret's start waits for the long pause only */
    static const char *const words[] = {"Loading the tokenizer", "export TOKEN",
                                        "progress 45%", "ghost", "ERROR: disk",
                                        "curl https", "the keyboard", "Asia"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        buf o = {calloc(1, 1), 0, 1};
        ward_redactor *r;
        ward_redactor_new(E, WARD_MASK_DOTS, &r);
        step(r, &o, words[i], (int[]){WARD_FLUSH_SHORT, WARD_FLUSH_LONG, -1});
        CHECK_STR(o.p, words[i]);
        ward_redactor_free(r);
        free(o.p);
    }
}

static void test_paused_key_block_held(void)
{
    const char *pem = fake("%{pem:RSA PRIVATE KEY}\n", 4);
    const char *body = strstr(pem, "-----\n") + 6;
    char part[512];
    snprintf(part, sizeof part, "key:\n%.*s", (int)(strchr(body, '\n') - pem + 1), pem);
    buf o = {calloc(1, 1), 0, 1};
    ward_redactor *r;
    ward_redactor_new(E, WARD_MASK_DOTS, &r);
    step(r, &o, part, (int[]){WARD_FLUSH_SHORT, WARD_FLUSH_LONG, -1});
    CHECK_STR(o.p, "key:\n");
    step(r, &o, NULL, (int[]){WARD_FLUSH_STALE, -1});
    CHECK(memmem(o.p, o.len, body, 20) == NULL);
    CHECK(strstr(o.p, DOTC) != NULL);
    ward_redactor_free(r);
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
    RUN(test_paused_half_token_held);
    RUN(test_paused_half_token_goes_stale);
    RUN(test_random_pauses);
    RUN(test_endless_suspect_run);
    RUN(test_prompt_released_at_once);
    RUN(test_paused_key_block_held);
    ward_engine_free(E);
    return check_summary();
}
