/* fuzz_toml.c - libFuzzer target for the TOML parser (lib/toml.c).
 *
 * libFuzzer hands over a heap buffer of exactly `size` bytes with no NUL after
 * it, so AddressSanitizer flags any read past the window the parser was
 * given.  On success the whole tree is walked through every accessor and the
 * invariants the API promises are checked (types agree with accessors, strings
 * are NUL-terminated at their length, lookups find what iteration yields,
 * nesting stays within TOML_MAX_DEPTH); a violation aborts so the fuzzer
 * records it.  On failure the message must have the "line N: " shape, and a
 * second parse with a tiny or absent error buffer must fail the same way.
 */
#include "toml.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c) do { if (!(c)) { fprintf(stderr, "invariant failed: %s\n", #c); abort(); } } while (0)

/* Folding every byte into a sink makes ASan check each one. */
static unsigned touch(const char *s, size_t n, unsigned acc)
{
    for (size_t i = 0; i < n; i++)
        acc = acc * 31u + (unsigned char)s[i];
    return acc;
}

static unsigned walk(const toml_value *v, unsigned depth, int exact_keys, unsigned acc)
{
    toml_type t = ward_toml_type_of(v);
    size_t n = 99, len = ward_toml_len(v);
    int64_t i;
    double d;
    int b;
    const char *s = ward_toml_str(v, &n);

    REQUIRE(ward_toml_line(v) >= 1);
    REQUIRE((s != NULL) == (t == TOML_STRING || t == TOML_DATETIME));
    REQUIRE((ward_toml_int(v, &i) == 0) == (t == TOML_INT));
    REQUIRE((ward_toml_float(v, &d) == 0) == (t == TOML_FLOAT || t == TOML_INT));
    REQUIRE((ward_toml_bool(v, &b) == 0) == (t == TOML_BOOL));
    REQUIRE(ward_toml_get(v, "") == NULL || t == TOML_TABLE);
    if (s) {
        REQUIRE(s[n] == 0);
        acc = touch(s, n + 1, acc);
    }
    if (t == TOML_BOOL)
        REQUIRE(b == 0 || b == 1);
    if (t != TOML_TABLE && t != TOML_ARRAY) {
        REQUIRE(len == 0);
        REQUIRE(ward_toml_value_at(v, 0) == NULL);
        REQUIRE(ward_toml_key_at(v, 0) == NULL);
        return acc;
    }
    /* containers: the root is depth 0 */
    REQUIRE(depth <= TOML_MAX_DEPTH);
    REQUIRE(ward_toml_value_at(v, len) == NULL);
    REQUIRE(ward_toml_key_at(v, len) == NULL);
    for (size_t k = 0; k < len; k++) {
        const toml_value *c = ward_toml_value_at(v, k);
        REQUIRE(c != NULL);
        if (t == TOML_TABLE) {
            const char *key = ward_toml_key_at(v, k);
            REQUIRE(key != NULL);
            acc = touch(key, strlen(key) + 1, acc);
            const toml_value *found = ward_toml_get(v, key);
            /* a key with an embedded NUL (from a \u0000 escape) is cut short
             * by ward_toml_get's C-string interface, so it may find another key */
            if (exact_keys)
                REQUIRE(found == c);
        } else {
            REQUIRE(ward_toml_key_at(v, k) == NULL);
        }
        acc = walk(c, depth + 1, exact_keys, acc);
    }
    return acc;
}

static int contains(const uint8_t *data, size_t size, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, needle, n) == 0)
            return 1;
    return 0;
}

static volatile unsigned sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[128];
    toml_value *root = ward_toml_parse((const char *)data, size, err, sizeof err);
    if (root) {
        int exact = !contains(data, size, "\\u0000") && !contains(data, size, "\\U00000000");
        REQUIRE(ward_toml_type_of(root) == TOML_TABLE);
        sink = walk(root, 0, exact, 0);
        ward_toml_free(root);
        return 0;
    }
    REQUIRE(memchr(err, 0, sizeof err) != NULL);
    REQUIRE(strncmp(err, "line ", 5) == 0);
    REQUIRE(err[5] >= '1' && err[5] <= '9');

    char tiny[6];
    REQUIRE(ward_toml_parse((const char *)data, size, tiny, sizeof tiny) == NULL);
    REQUIRE(strncmp(tiny, err, sizeof tiny - 1) == 0 && tiny[sizeof tiny - 1] == 0);
    REQUIRE(ward_toml_parse((const char *)data, size, NULL, 0) == NULL);
    return 0;
}
