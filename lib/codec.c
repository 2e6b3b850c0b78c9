/* codec.c - the encodings and hashes behind validators, fingerprints and
 * example templates: CRC-32, base62, base64, SHA-256, Shannon entropy and a
 * JSON syntax checker.
 *
 * Everything here runs on bytes taken straight from scanned files, so every
 * function is written for hostile input: lengths are checked before each
 * read and write, nothing allocates, and the only data outside the stack are
 * const tables, which keeps the whole file thread-safe without locks.  The
 * decoders are strict (canonical base64 only, RFC 8259 JSON only) because
 * their answers feed "is this token real?" decisions: leniency here would
 * turn noise into high-confidence findings.
 */
#include "codec.h"

#include <string.h>
#include <zlib.h>

/* ------------------------------------------------------------------ CRC-32 */

/* zlib (linked for pack inflation anyway) has a fast, tested CRC-32: the
 * same IEEE polynomial GitHub's and npm's token checksums use. */
uint32_t ward_crc32(const void *data, size_t len)
{
    uLong c = crc32(0L, Z_NULL, 0);
    const Bytef *p = data;
    while (len > 0) { /* crc32() takes a uInt length */
        uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;
        c = crc32(c, p, n);
        p += n;
        len -= n;
    }
    return (uint32_t)c;
}

/* ------------------------------------------------------------------ base62 */

static const char b62_alphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static int b62_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    if (c >= 'a' && c <= 'z') return c - 'a' + 36;
    return -1;
}

/* Returns 0 on success.  The output is exactly width characters and is not
 * NUL-terminated, so callers can write checksums straight into a token. */
int ward_base62_encode(uint64_t value, char *out, size_t width)
{
    for (size_t i = width; i > 0; i--) {
        out[i - 1] = b62_alphabet[value % 62];
        value /= 62;
    }
    return value ? -1 : 0;
}

/* Returns 0 on success.  An empty string is rejected: it has no value, and
 * accepting it would let a checksum field of width 0 "match". */
int ward_base62_decode(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0) return -1;
    for (size_t i = 0; i < len; i++) {
        int d = b62_value((unsigned char)s[i]);
        if (d < 0) return -1;
        if (v > (UINT64_MAX - (uint64_t)d) / 62) return -1;
        v = v * 62 + (uint64_t)d;
    }
    *out = v;
    return 0;
}

/* ------------------------------------------------------------------ base64 */

static int b64_value(unsigned char c, int url)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == (url ? '-' : '+')) return 62;
    if (c == (url ? '_' : '/')) return 63;
    return -1;
}

/* One decoder fed a character at a time, so the whitespace-skipping and the
 * plain variants share every rule about padding and trailing bits. */
typedef struct b64dec {
    unsigned char *out;
    size_t cap, o;      /* output buffer, its size, bytes written */
    size_t n, pad;      /* data characters and '=' characters seen */
    uint32_t acc;       /* bits not yet emitted (fewer than 8 after a feed) */
    int nbits, url, err;
} b64dec;

static void b64_feed(b64dec *d, unsigned char c)
{
    if (d->err) return;
    if (c == '=') { d->pad++; return; }
    int v = b64_value(c, d->url);
    if (v < 0 || d->pad) { d->err = 1; return; }   /* data after padding */
    d->acc = (d->acc << 6) | (uint32_t)v;
    d->nbits += 6;
    d->n++;
    if (d->nbits >= 8) {
        d->nbits -= 8;
        if (d->o >= d->cap) { d->err = 1; return; }
        d->out[d->o++] = (unsigned char)(d->acc >> d->nbits);
        d->acc &= (1u << d->nbits) - 1u;
    }
}

static long b64_finish(const b64dec *d)
{
    if (d->err) return -1;
    if (d->n % 4 == 1) return -1;                  /* 6 bits cannot make a byte */
    /* Padding, when present, completes the last quantum exactly: one '='
     * after 3 characters, two after 2, never more. */
    if (d->pad && (d->n % 4 == 0 || d->pad != 4 - d->n % 4)) return -1;
    /* Non-zero leftover bits mean the text is not the canonical encoding of
     * any byte string; real encoders never emit that. */
    if (d->acc != 0) return -1;
    return (long)d->o;
}

long ward_base64_decode(const char *s, size_t len, int url, unsigned char *out, size_t cap)
{
    b64dec d = { out, cap, 0, 0, 0, 0, 0, url ? 1 : 0, 0 };
    for (size_t i = 0; i < len && !d.err; i++)
        b64_feed(&d, (unsigned char)s[i]);
    return b64_finish(&d);
}

long ward_base64_decode_ws(const char *s, size_t len, unsigned char *out, size_t cap)
{
    b64dec d = { out, cap, 0, 0, 0, 0, 0, 0, 0 };
    for (size_t i = 0; i < len && !d.err; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
            continue;
        b64_feed(&d, c);
    }
    return b64_finish(&d);
}

long ward_base64_encode(const unsigned char *in, size_t len, int url, int pad, char *out, size_t cap)
{
    const char *alpha = url
        ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (len > ((size_t)-1 / 4 - 1) * 3) return -1;
    size_t need = pad ? (len + 2) / 3 * 4 : (len * 4 + 2) / 3;
    if (need > cap) return -1;
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alpha[v >> 18];
        out[o++] = alpha[(v >> 12) & 63];
        out[o++] = alpha[(v >> 6) & 63];
        out[o++] = alpha[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = alpha[v >> 18];
        out[o++] = alpha[(v >> 12) & 63];
        if (pad) { out[o++] = '='; out[o++] = '='; }
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = alpha[v >> 18];
        out[o++] = alpha[(v >> 12) & 63];
        out[o++] = alpha[(v >> 6) & 63];
        if (pad) out[o++] = '=';
    }
    return (long)o;
}

/* ----------------------------------------------------------------- SHA-256 */

/* FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the
 * cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u,
    0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
    0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
    0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
    0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u,
    0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u,
    0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
    0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static uint32_t ror32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void sha256_block(uint32_t h[8], const unsigned char *blk)
{
    uint32_t w[64];
    for (int t = 0; t < 16; t++) w[t] = load_be32(blk + 4 * t);
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = ror32(w[t - 15], 7) ^ ror32(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = ror32(w[t - 2], 17) ^ ror32(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    uint32_t e = h[4], f = h[5], g = h[6], k = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t S1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = k + S1 + ch + sha256_k[t] + w[t];
        uint32_t S0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        k = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

void ward_sha256_init(ward_sha256 *c)
{
    /* FIPS 180-4 section 5.3.3: fractional parts of the square roots of the
     * first 8 primes. */
    static const uint32_t iv[8] = {
        0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
        0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
    };
    memcpy(c->h, iv, sizeof iv);
    c->n = 0;
    c->used = 0;
}

void ward_sha256_update(ward_sha256 *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    c->n += len;
    if (c->used) {
        size_t take = 64 - c->used;
        if (take > len) take = len;
        memcpy(c->buf + c->used, p, take);
        c->used += take; p += take; len -= take;
        if (c->used < 64) return;
        sha256_block(c->h, c->buf);
        c->used = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        sha256_block(c->h, p);
    if (len) {
        memcpy(c->buf, p, len);
        c->used = len;
    }
}

void ward_sha256_final(ward_sha256 *c, unsigned char out[32])
{
    uint64_t bits = c->n * 8;
    c->buf[c->used++] = 0x80;
    if (c->used > 56) {
        memset(c->buf + c->used, 0, 64 - c->used);
        sha256_block(c->h, c->buf);
        c->used = 0;
    }
    memset(c->buf + c->used, 0, 56 - c->used);
    for (int i = 0; i < 8; i++)
        c->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_block(c->h, c->buf);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
    memset(c, 0, sizeof *c);   /* a hashed secret should not linger in the context */
}

/* ----------------------------------------------------------------- entropy */

/* log2 of a positive integer, without libm: the library is linked by callers
 * that do not pass -lm.  x = 2^e * m with m in [sqrt(1/2), sqrt(2)), and
 * ln m = 2 atanh((m-1)/(m+1)), whose series converges to double precision in
 * a dozen terms on that interval. */
static double log2_count(size_t n)
{
    double m = (double)n;
    int e = 0;
    while (m >= 1.4142135623730951) { m *= 0.5; e++; }
    double z = (m - 1.0) / (m + 1.0), z2 = z * z, term = z, sum = 0.0;
    for (int k = 0; k < 14; k++) {
        sum += term / (double)(2 * k + 1);
        term *= z2;
    }
    return (double)e + 2.0 * sum * 1.4426950408889634;   /* 1/ln 2 */
}

/* H = log2(len) - (1/len) * sum c*log2(c): the same value as the textbook
 * -sum p*log2(p), but it needs a logarithm of integers only. */
double ward_entropy(const char *s, size_t len)
{
    size_t count[256] = {0};
    if (len == 0) return 0.0;
    for (size_t i = 0; i < len; i++) count[(unsigned char)s[i]]++;
    double acc = 0.0;
    for (int b = 0; b < 256; b++)
        if (count[b] > 1) acc += (double)count[b] * log2_count(count[b]);
    double h = log2_count(len) - acc / (double)len;
    return h < 0.0 ? 0.0 : h;   /* rounding can leave -1e-16 for one symbol */
}

/* -------------------------------------------------------------------- JSON */

#define JSON_MAX_DEPTH 64

/* A recursive-descent checker.  Recursion is bounded by JSON_MAX_DEPTH, so
 * the stack use is fixed whatever the input.  When key is set, members of
 * the top-level object are compared with it after unescaping, which lets
 * callers ask "does the header have an alg?" without a second parser. */
typedef struct jparse {
    const unsigned char *p, *end;
    int depth;
    const char *key;
    size_t keylen;
    int found;
} jparse;

static void j_ws(jparse *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static int j_hex(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int j_hex4(jparse *j, uint32_t *cp)
{
    if (j->end - j->p < 4) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int d = j_hex(j->p[i]);
        if (d < 0) return 0;
        v = v << 4 | (uint32_t)d;
    }
    j->p += 4;
    *cp = v;
    return 1;
}

/* Compares one unescaped code point with the key at *pos. */
static void j_match_cp(const char *key, size_t keylen, size_t *pos, int *bad, uint32_t cp)
{
    unsigned char u[4];
    size_t n;
    if (cp < 0x80) { u[0] = (unsigned char)cp; n = 1; }
    else if (cp < 0x800) { u[0] = (unsigned char)(0xC0 | cp >> 6); u[1] = (unsigned char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | cp >> 12); u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | cp >> 18); u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (unsigned char)(0x80 | (cp & 0x3F)); n = 4;
    }
    if (*bad) return;
    if (*pos + n > keylen || memcmp(key + *pos, u, n) != 0) { *bad = 1; return; }
    *pos += n;
}

/* Length of a well-formed UTF-8 sequence starting at p (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF), or 0. */
static size_t j_utf8(const unsigned char *p, const unsigned char *end)
{
    size_t avail = (size_t)(end - p);
    unsigned char c = p[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
    else return 0;
    if (avail < n) return 0;
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF) return 0;
    return n;
}

/* Parses a string starting at the opening quote.  When match is set, the
 * unescaped content is compared with j->key. */
static int j_string(jparse *j, int match)
{
    size_t pos = 0;
    int bad = 0;
    j->p++;   /* the opening quote, checked by the caller */
    for (;;) {
        if (j->p >= j->end) return 0;
        unsigned char c = *j->p;
        if (c == '"') {
            j->p++;
            if (match && !bad && pos == j->keylen) j->found = 1;
            return 1;
        }
        if (c < 0x20) return 0;
        if (c == '\\') {
            if (j->end - j->p < 2) return 0;
            unsigned char e = j->p[1];
            uint32_t cp;
            j->p += 2;
            switch (e) {
            case '"': cp = '"'; break;
            case '\\': cp = '\\'; break;
            case '/': cp = '/'; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u':
                if (!j_hex4(j, &cp)) return 0;
                /* Join a surrogate pair when one follows; a lone surrogate is
                 * allowed by the RFC 8259 grammar, so it is accepted. */
                if (cp >= 0xD800 && cp <= 0xDBFF && j->end - j->p >= 6 &&
                    j->p[0] == '\\' && j->p[1] == 'u') {
                    jparse save = *j;
                    uint32_t lo;
                    j->p += 2;
                    if (j_hex4(j, &lo) && lo >= 0xDC00 && lo <= 0xDFFF)
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    else
                        *j = save;
                }
                break;
            default:
                return 0;
            }
            if (match) j_match_cp(j->key, j->keylen, &pos, &bad, cp);
            continue;
        }
        size_t n = 1;
        if (c >= 0x80) {
            n = j_utf8(j->p, j->end);
            if (!n) return 0;
        }
        if (match && !bad) {
            if (pos + n > j->keylen || memcmp(j->key + pos, j->p, n) != 0) bad = 1;
            else pos += n;
        }
        j->p += n;
    }
}

static int j_digits(jparse *j)
{
    const unsigned char *start = j->p;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    return j->p > start;
}

static int j_number(jparse *j)
{
    if (j->p < j->end && *j->p == '-') j->p++;
    if (j->p >= j->end) return 0;
    if (*j->p == '0') j->p++;                 /* no leading zeros */
    else if (!j_digits(j)) return 0;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (!j_digits(j)) return 0;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-')) j->p++;
        if (!j_digits(j)) return 0;
    }
    return 1;
}

static int j_literal(jparse *j, const char *word, size_t n)
{
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0) return 0;
    j->p += n;
    return 1;
}

static int j_value(jparse *j);

static int j_object(jparse *j)
{
    if (++j->depth > JSON_MAX_DEPTH) return 0;
    int top = j->depth == 1;
    j->p++;
    j_ws(j);
    if (j->p < j->end && *j->p == '}') { j->p++; j->depth--; return 1; }
    for (;;) {
        if (j->p >= j->end || *j->p != '"') return 0;
        if (!j_string(j, top && j->key != NULL)) return 0;
        j_ws(j);
        if (j->p >= j->end || *j->p != ':') return 0;
        j->p++;
        if (!j_value(j)) return 0;   /* j_value skips the whitespace around it */
        if (j->p >= j->end) return 0;
        if (*j->p == '}') { j->p++; j->depth--; return 1; }
        if (*j->p != ',') return 0;
        j->p++;
        j_ws(j);
    }
}

static int j_array(jparse *j)
{
    if (++j->depth > JSON_MAX_DEPTH) return 0;
    j->p++;
    j_ws(j);
    if (j->p < j->end && *j->p == ']') { j->p++; j->depth--; return 1; }
    for (;;) {
        if (!j_value(j)) return 0;
        if (j->p >= j->end) return 0;
        if (*j->p == ']') { j->p++; j->depth--; return 1; }
        if (*j->p != ',') return 0;
        j->p++;
    }
}

static int j_value(jparse *j)
{
    int ok;
    j_ws(j);
    if (j->p >= j->end) return 0;
    switch (*j->p) {
    case '{': ok = j_object(j); break;
    case '[': ok = j_array(j); break;
    case '"': ok = j_string(j, 0); break;
    case 't': ok = j_literal(j, "true", 4); break;
    case 'f': ok = j_literal(j, "false", 5); break;
    case 'n': ok = j_literal(j, "null", 4); break;
    default:
        if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) ok = j_number(j);
        else ok = 0;
    }
    if (ok) j_ws(j);
    return ok;
}

static int j_check(const char *s, size_t len, const char *key, int *found)
{
    if (!s) return 0;
    jparse j = { (const unsigned char *)s, (const unsigned char *)s + len, 0,
                 key, key ? strlen(key) : 0, 0 };
    j_ws(&j);
    if (j.p >= j.end || *j.p != '{') return 0;
    if (!j_value(&j) || j.p != j.end) return 0;
    if (found) *found = j.found;
    return 1;
}

int ward_json_is_object(const char *s, size_t len)
{
    return j_check(s, len, NULL, NULL);
}

int ward_json_has_key(const char *s, size_t len, const char *key)
{
    int found = 0;
    if (!key) return 0;
    return j_check(s, len, key, &found) && found;
}
