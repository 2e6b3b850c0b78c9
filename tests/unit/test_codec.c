/* test_codec.c - unit tests for lib/codec.c.
 *
 * Hashes and checksums are checked against published vectors (the CRC-32
 * check value, FIPS 180-2 appendix B for SHA-256) because a self-consistent
 * but wrong implementation would still round-trip.  The decoders get both
 * round trips and hand-picked rejects, since strictness is what validators
 * rely on.
 */
#include "check.h"
#include "codec.h"

#include <stdlib.h>

static void hex32(const unsigned char *d, char *out)
{
    static const char h[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = h[d[i] >> 4];
        out[2 * i + 1] = h[d[i] & 15];
    }
    out[64] = '\0';
}

static void sha_hex(const void *data, size_t len, char *out)
{
    ward_sha256 c;
    unsigned char d[32];
    ward_sha256_init(&c);
    ward_sha256_update(&c, data, len);
    ward_sha256_final(&c, d);
    hex32(d, out);
}

static void test_crc32(void)
{
    CHECK_INT(ward_crc32("123456789", 9), 0xCBF43926u);
    CHECK_INT(ward_crc32("", 0), 0);
    CHECK_INT(ward_crc32("a", 1), 0xE8B7BE43u);
    CHECK_INT(ward_crc32("The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
}

/* A bit-at-a-time CRC-32 as the reference: every byte value makes the
 * table-driven code use a different entry, so all 256 entries are checked. */
static uint32_t crc32_bitwise(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int b = 0; b < 8; b++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static void test_crc32_table(void)
{
    unsigned char msg[512];
    for (int b = 0; b < 256; b++) {
        unsigned char one = (unsigned char)b;
        CHECK_INT(ward_crc32(&one, 1), crc32_bitwise(&one, 1));
    }
    for (size_t i = 0; i < sizeof msg; i++) msg[i] = (unsigned char)(i * 31 + (i >> 3));
    CHECK_INT(ward_crc32(msg, sizeof msg), crc32_bitwise(msg, sizeof msg));
}

static void test_sha256_vectors(void)
{
    char hx[65];
    sha_hex("", 0, hx);
    CHECK_STR(hx, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha_hex("abc", 3, hx);
    CHECK_STR(hx, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha_hex(m448, strlen(m448), hx);
    CHECK_STR(hx, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_million_a(void)
{
    char chunk[1000], hx[65];
    unsigned char d[32];
    ward_sha256 c;
    memset(chunk, 'a', sizeof chunk);
    ward_sha256_init(&c);
    for (int i = 0; i < 1000; i++) ward_sha256_update(&c, chunk, sizeof chunk);
    ward_sha256_final(&c, d);
    hex32(d, hx);
    CHECK_STR(hx, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Feeding the same bytes in awkward pieces must give the one-shot digest:
 * this is where buffering bugs hide. */
static void test_sha256_split(void)
{
    unsigned char msg[300];
    char one[65], split[65];
    for (size_t i = 0; i < sizeof msg; i++) msg[i] = (unsigned char)(i * 7 + 3);
    for (size_t len = 0; len <= sizeof msg; len += 17) {
        sha_hex(msg, len, one);
        for (size_t step = 1; step < 70; step += 13) {
            ward_sha256 c;
            unsigned char d[32];
            ward_sha256_init(&c);
            for (size_t at = 0; at < len; at += step)
                ward_sha256_update(&c, msg + at, len - at < step ? len - at : step);
            ward_sha256_final(&c, d);
            hex32(d, split);
            CHECK_STR(split, one);
        }
    }
    /* 55, 56 and 64 bytes straddle the padding boundary. */
    memset(msg, 'a', 64);
    sha_hex(msg, 55, one);
    CHECK_STR(one, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    sha_hex(msg, 56, one);
    CHECK_STR(one, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    sha_hex(msg, 64, one);
    CHECK_STR(one, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void test_base62(void)
{
    char buf[16];
    uint64_t v = 0;
    CHECK_INT(ward_base62_encode(0, buf, 3), 0);
    CHECK(memcmp(buf, "000", 3) == 0);
    CHECK_INT(ward_base62_encode(61, buf, 2), 0);
    CHECK(memcmp(buf, "0z", 2) == 0);
    CHECK_INT(ward_base62_encode(62, buf, 2), 0);
    CHECK(memcmp(buf, "10", 2) == 0);
    CHECK_INT(ward_base62_encode(62, buf, 1), -1);           /* needs two digits */
    CHECK_INT(ward_base62_encode(0xFFFFFFFFu, buf, 6), 0);   /* any CRC32 fits in 6 */
    CHECK(memcmp(buf, "4gfFC3", 6) == 0);
    CHECK_INT(ward_base62_encode(UINT64_MAX, buf, 11), 0);
    CHECK(memcmp(buf, "LygHa16AHYF", 11) == 0);
    CHECK_INT(ward_base62_encode(UINT64_MAX, buf, 10), -1);

    CHECK_INT(ward_base62_decode("4gfFC3", 6, &v), 0);
    CHECK_INT(v, 0xFFFFFFFFu);
    CHECK_INT(ward_base62_decode("LygHa16AHYF", 11, &v), 0);
    CHECK(v == UINT64_MAX);
    CHECK_INT(ward_base62_decode("LygHa16AHYG", 11, &v), -1);  /* 2^64 overflows */
    CHECK_INT(ward_base62_decode("zzzzzzzzzzzz", 12, &v), -1);
    CHECK_INT(ward_base62_decode("ab-c", 4, &v), -1);
    CHECK_INT(ward_base62_decode("a b", 3, &v), -1);
    CHECK_INT(ward_base62_decode("", 0, &v), -1);

    uint64_t seed = 12345;
    for (int i = 0; i < 1000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t x = seed >> (i % 64), back = 0;
        CHECK_INT(ward_base62_encode(x, buf, 11), 0);
        CHECK_INT(ward_base62_decode(buf, 11, &back), 0);
        CHECK(back == x);
    }
}

static void test_base64_vectors(void)
{
    /* RFC 4648 section 10. */
    static const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    static const char *bare[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
    char out[32];
    unsigned char dec[32];
    for (int i = 0; i < 7; i++) {
        size_t n = strlen(plain[i]);
        long k = ward_base64_encode((const unsigned char *)plain[i], n, 0, 1, out, sizeof out);
        CHECK_INT(k, strlen(enc[i]));
        CHECK(memcmp(out, enc[i], (size_t)k) == 0);
        k = ward_base64_encode((const unsigned char *)plain[i], n, 1, 0, out, sizeof out);
        CHECK_INT(k, strlen(bare[i]));
        CHECK(memcmp(out, bare[i], (size_t)k) == 0);
        CHECK_INT(ward_base64_decode(enc[i], strlen(enc[i]), 0, dec, sizeof dec), n);
        CHECK(memcmp(dec, plain[i], n) == 0);
        CHECK_INT(ward_base64_decode(bare[i], strlen(bare[i]), 1, dec, sizeof dec), n);
        CHECK(memcmp(dec, plain[i], n) == 0);
    }
}

static void test_base64_roundtrip(void)
{
    unsigned char in[200], dec[200];
    char enc[300];
    uint64_t s = 99;
    for (size_t len = 0; len < sizeof in; len++) {
        for (size_t i = 0; i < len; i++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            in[i] = (unsigned char)(s >> 56);
        }
        for (int url = 0; url < 2; url++)
            for (int pad = 0; pad < 2; pad++) {
                long k = ward_base64_encode(in, len, url, pad, enc, sizeof enc);
                CHECK(k >= 0);
                CHECK_INT(ward_base64_decode(enc, (size_t)k, url, dec, sizeof dec), len);
                CHECK(memcmp(in, dec, len) == 0);
            }
    }
}

static void test_base64_rejects(void)
{
    unsigned char d[16];
    char out[8];
    CHECK_INT(ward_base64_decode("Z", 1, 0, d, sizeof d), -1);        /* 6 bits */
    CHECK_INT(ward_base64_decode("Zg=", 3, 0, d, sizeof d), -1);      /* half padding */
    CHECK_INT(ward_base64_decode("Zg===", 5, 0, d, sizeof d), -1);
    CHECK_INT(ward_base64_decode("Zm9v====", 8, 0, d, sizeof d), -1);
    CHECK_INT(ward_base64_decode("Zm8=====", 8, 0, d, sizeof d), -1);   /* found by fuzzing */
    CHECK_INT(ward_base64_decode("Zg======", 8, 0, d, sizeof d), -1);
    CHECK_INT(ward_base64_decode_ws("Zg== ====", 9, d, sizeof d), -1);
    CHECK_INT(ward_base64_decode("Zg==Zg==", 8, 0, d, sizeof d), -1); /* data after padding */
    CHECK_INT(ward_base64_decode("Zh==", 4, 0, d, sizeof d), -1);     /* non-zero spare bits */
    CHECK_INT(ward_base64_decode("Zm9", 3, 0, d, sizeof d), -1);      /* spare bits again */
    CHECK_INT(ward_base64_decode("Zm 9v", 5, 0, d, sizeof d), -1);
    CHECK_INT(ward_base64_decode("a+b/", 4, 1, d, sizeof d), -1);     /* std chars in url mode */
    CHECK_INT(ward_base64_decode("a-b_", 4, 0, d, sizeof d), -1);     /* url chars in std mode */
    CHECK_INT(ward_base64_decode("a-b_", 4, 1, d, sizeof d), 3);
    CHECK_INT(ward_base64_decode("a+b/", 4, 0, d, sizeof d), 3);
    CHECK_INT(ward_base64_decode("Zm9vYmFy", 8, 0, d, 5), -1);        /* out too small */
    CHECK_INT(ward_base64_decode("Zm9vYmFy", 8, 0, d, 6), 6);
    CHECK_INT(ward_base64_decode("Zm9v\0mFy", 8, 0, d, sizeof d), -1);
    CHECK_INT(ward_base64_encode((const unsigned char *)"foobar", 6, 0, 1, out, 7), -1);
    CHECK_INT(ward_base64_encode((const unsigned char *)"foobar", 6, 0, 1, out, 8), 8);
    CHECK_INT(ward_base64_encode((const unsigned char *)"f", 1, 0, 1, out, 3), -1);
    CHECK_INT(ward_base64_encode((const unsigned char *)"f", 1, 0, 0, out, 2), 2);
}

static void test_base64_ws(void)
{
    unsigned char d[16];
    const char *t = "Zm9v\nYmFy\r\n";
    CHECK_INT(ward_base64_decode_ws(t, strlen(t), d, sizeof d), 6);
    CHECK(memcmp(d, "foobar", 6) == 0);
    t = " Zm 9v\tYg= =\n";
    CHECK_INT(ward_base64_decode_ws(t, strlen(t), d, sizeof d), 4);
    t = "Zm9v\n-mFy";
    CHECK_INT(ward_base64_decode_ws(t, strlen(t), d, sizeof d), -1);
    t = "Zg==\nZg==";
    CHECK_INT(ward_base64_decode_ws(t, strlen(t), d, sizeof d), -1);
    CHECK_INT(ward_base64_decode_ws(" \n ", 3, d, sizeof d), 0);
}

static int near(double a, double b) { return a - b < 1e-9 && b - a < 1e-9; }

static void test_entropy(void)
{
    CHECK(near(ward_entropy("", 0), 0.0));
    CHECK(near(ward_entropy("aaaaaaaa", 8), 0.0));
    CHECK(near(ward_entropy("ab", 2), 1.0));
    CHECK(near(ward_entropy("abcd", 4), 2.0));
    CHECK(near(ward_entropy("aabb", 4), 1.0));
    CHECK(near(ward_entropy("0123456789abcdef", 16), 4.0));
    /* p = 1/4, 3/4: 2*(1/4) + (3/4)*log2(4/3) */
    CHECK(near(ward_entropy("abbb", 4), 0.8112781244591328));
    /* "1223334444": p = .1 .2 .3 .4 */
    CHECK(near(ward_entropy("1223334444", 10), 1.8464393446710154));
    char all[256];
    for (int i = 0; i < 256; i++) all[i] = (char)i;
    CHECK(near(ward_entropy(all, 256), 8.0));
    /* A large, uneven count exercises the logarithm well away from 1. */
    size_t n = 100000;
    char *big = malloc(n);
    CHECK(big != NULL);
    if (big) {
        memset(big, 'x', n);
        for (size_t i = 0; i < n; i += 3) big[i] = 'y';
        /* p = 0.33334, q = 0.66666 */
        CHECK(near(ward_entropy(big, n), 0.9183025005768872));
        free(big);
    }
}

static int jok(const char *s) { return ward_json_is_object(s, strlen(s)); }

static void test_json_accept(void)
{
    CHECK(jok("{}"));
    CHECK(jok(" \t\r\n{ } \n"));
    CHECK(jok("{\"a\":1}"));
    CHECK(jok("{\"a\":-0,\"b\":0.5,\"c\":1e10,\"d\":-1.25E-3,\"e\":2e+2,\"f\":123}"));
    CHECK(jok("{\"a\":true,\"b\":false,\"c\":null}"));
    CHECK(jok("{\"a\":[],\"b\":[1,[2,[3]]],\"c\":{\"d\":{}}}"));
    CHECK(jok("{\"esc\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\"}"));
    CHECK(jok("{\"lone\":\"\\ud800\"}"));                 /* grammar allows it */
    CHECK(jok("{\"utf8\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}"));
    CHECK(jok("{\"a\":1,\"a\":2}"));                      /* duplicates: SHOULD, not MUST */
    CHECK(jok("{ \"a\" : [ 1 , 2 ] , \"b\" : { } }"));

    char deep[200];
    size_t n = 0;
    deep[n++] = '{';
    memcpy(deep + n, "\"a\":", 4);
    n += 4;
    for (int i = 0; i < 63; i++) deep[n++] = '[';   /* 64 levels in all */
    for (int i = 0; i < 63; i++) deep[n++] = ']';
    deep[n++] = '}';
    CHECK(ward_json_is_object(deep, n));
}

static void test_json_reject(void)
{
    static const char *bad[] = {
        "", " ", "[]", "1", "\"s\"", "null", "{", "}", "{\"a\"}", "{\"a\":}",
        "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}", "{a:1}", "{'a':1}",
        "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1e}",
        "{\"a\":-}", "{\"a\":0x10}", "{\"a\":NaN}", "{\"a\":Infinity}",
        "{\"a\":tru}", "{\"a\":True}", "{\"a\":nul}", "{\"a\":[1,]}", "{\"a\":[,1]}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"unterminated}",
        "{\"a\":\"tab\there\"}", "{\"a\":\"nl\nhere\"}", "{} {}", "{}x", "{\"a\":1}]",
        "{\"a\":\"\xc3\"}", "{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\xed\xa0\x80\"}",
        "{\"a\":\"\xf4\x90\x80\x80\"}", "{\"a\":\"\xff\"}", "{\"a\":[}", "{\"a\":[1}]",
        "\xef\xbb\xbf{}", "{\"a\":1}\v", "/*c*/{}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (jok(bad[i])) fprintf(stderr, "accepted: %s\n", bad[i]);
        CHECK(!jok(bad[i]));
    }
    CHECK(!ward_json_is_object("{\"a\":1}", 6));       /* length, not NUL, ends it */
    CHECK(!ward_json_is_object("{\"a\":\"\0\"}", 8));
    CHECK(!ward_json_is_object(NULL, 0));

    char deep[200];
    size_t n = 0;
    deep[n++] = '{';
    memcpy(deep + n, "\"a\":", 4);
    n += 4;
    for (int i = 0; i < 64; i++) deep[n++] = '[';   /* 65 levels */
    for (int i = 0; i < 64; i++) deep[n++] = ']';
    deep[n++] = '}';
    CHECK(!ward_json_is_object(deep, n));

    /* Far past the cap: must fail fast, not recurse 100000 deep. */
    size_t big = 200000;
    char *s = malloc(big);
    CHECK(s != NULL);
    if (s) {
        s[0] = '{'; s[1] = '"'; s[2] = '"'; s[3] = ':';
        memset(s + 4, '[', big - 4);
        CHECK(!ward_json_is_object(s, big));
        free(s);
    }
}

static void test_json_has_key(void)
{
    const char *h = "{\"typ\":\"x\",\"alg\":\"y\"}";
    CHECK(ward_json_has_key(h, strlen(h), "alg"));
    CHECK(ward_json_has_key(h, strlen(h), "typ"));
    CHECK(!ward_json_has_key(h, strlen(h), "al"));
    CHECK(!ward_json_has_key(h, strlen(h), "algo"));
    h = "{\"\\u0061lg\":1}";
    CHECK(ward_json_has_key(h, strlen(h), "alg"));
    h = "{\"x\":{\"alg\":1}}";                     /* nested does not count */
    CHECK(!ward_json_has_key(h, strlen(h), "alg"));
    h = "{\"x\":\"alg\"}";                         /* a value does not count */
    CHECK(!ward_json_has_key(h, strlen(h), "alg"));
    h = "{\"alg\":1,}";                            /* invalid JSON never has keys */
    CHECK(!ward_json_has_key(h, strlen(h), "alg"));
    h = "{\"\\u00e9\\ud83d\\ude00\":1}";
    CHECK(ward_json_has_key(h, strlen(h), "\xc3\xa9\xf0\x9f\x98\x80"));
    h = "{\"\":1}";
    CHECK(ward_json_has_key(h, strlen(h), ""));
}

int main(void)
{
    RUN(test_crc32);
    RUN(test_crc32_table);
    RUN(test_sha256_vectors);
    RUN(test_sha256_million_a);
    RUN(test_sha256_split);
    RUN(test_base62);
    RUN(test_base64_vectors);
    RUN(test_base64_roundtrip);
    RUN(test_base64_rejects);
    RUN(test_base64_ws);
    RUN(test_entropy);
    RUN(test_json_accept);
    RUN(test_json_reject);
    RUN(test_json_has_key);
    return check_summary();
}
