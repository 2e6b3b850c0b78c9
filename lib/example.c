/* example.c - ward_example_expand: turns example templates into fake tokens
 * at run time, so rule examples, tests and benchmarks never store anything
 * that looks like a real credential.
 *
 * A template is copied to the output with its %{...} directives replaced by
 * pseudo-random text drawn from splitmix64 over the caller's seed: the same
 * seed always gives the same output (reproducible tests and benchmarks), and
 * the state is the caller's, so expansion is thread-safe.  Structured
 * directives (%{crc62}, %{jwt}, %{pem}) build values that pass ward's own
 * offline validators, so a rule's positive examples exercise validation too.
 *
 * Directives (N is 1..4096):
 *   %{a62:N} %{hex:N} %{HEX:N} %{lower:N} %{upper:N} %{digit:N}
 *   %{lalnum:N} [a-z0-9]   %{ualnum:N} [A-Z0-9]   %{b32:N} [A-Z2-7]
 *   %{b64:N} [A-Za-z0-9+/] %{b64url:N} [A-Za-z0-9_-]  (no padding)
 *   %{crc62:N}     N base62 characters then their 6-character base62 CRC32
 *   %{jwt}         header.payload.signature, base64url, JSON header and payload
 *   %{pem:LABEL}   "-----BEGIN LABEL-----\n", base64 in 64-character lines,
 *                  "\n-----END LABEL-----", with a body that suits the label
 *                  (DER for RSA/EC/DSA/PKCS#8 keys, openssh-key-v1 with
 *                  cipher "none", an OpenPGP armor with its =CRC24 line)
 *   %{pemjson:LABEL}  the same block with every line break written as the
 *                  two characters \n, as it appears inside a JSON string
 *                  (a service-account file's "private_key")
 *   %{uuid}        a random version-4 UUID, lowercase
 *   %{bech32:N} %{BECH32:N}  N characters of the bech32 alphabet, lower/upper
 *   %{pypi}        a PyPI API token: pypi- + base64url of a version 2
 *                  macaroon located at pypi.org, with a 32-byte signature
 *   %{glsa}        a Grafana service account token: glsa_ + 32 base62 + _ +
 *                  the little-endian hex CRC32 of what precedes it
 *   %{atlassian:PREFIX}  PREFIX + base64url to 183 characters + "=" + the
 *                  uppercase big-endian hex CRC32 of those 184 (192 in all)
 *   %{gitlabrt:PREFIX}  a GitLab routable token: PREFIX + base64url payload
 *                  + ".01." + 2 base36 digits of its length + 7 of the CRC32
 *                  (PREFIX: 1..32 characters of [A-Za-z0-9_-])
 *   %{<} %{>}      where the secret starts and ends (%{>} may be left out:
 *                  the secret then runs to the end)
 *   %%             a literal percent sign
 * A '%' not followed by '{' or '%' is itself literal, so negative examples
 * can hold "%d" or "%VAR%".  An unknown directive or bad N is WARD_EINVAL.
 * LABEL is 1..64 characters of [A-Z0-9 ]; a label other than the known key
 * kinds gets a generic DER SEQUENCE body.
 */
#include "ward.h"
#include "codec.h"

#include <string.h>

#define MAX_N 4096
#define MAX_LABEL 64

typedef struct expander {
    char *out;
    size_t cap, len;     /* cap includes the NUL */
    int full;
    uint64_t *seed;
} expander;

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit word of state, fast, and
 * good enough for fake tokens; cryptographic quality is not a goal. */
static uint64_t next_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform-enough index below k (k <= 64): the multiply-shift bias is
 * k / 2^32, far below anything a test could notice. */
static unsigned rand_below(uint64_t *state, unsigned k)
{
    return (unsigned)(((next_rand(state) >> 32) * k) >> 32);
}

static void rand_bytes(uint64_t *state, unsigned char *p, size_t n)
{
    while (n) {
        uint64_t r = next_rand(state);
        for (int i = 0; i < 8 && n; i++, n--) {
            *p++ = (unsigned char)r;
            r >>= 8;
        }
    }
}

static void put(expander *x, const char *s, size_t n)
{
    if (x->full) return;
    if (n > x->cap - 1 - x->len) { x->full = 1; return; }
    memcpy(x->out + x->len, s, n);
    x->len += n;
}

static void put_str(expander *x, const char *s) { put(x, s, strlen(s)); }

static const char A62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void rand_chars(uint64_t *state, const char *alpha, char *out, size_t n)
{
    unsigned k = (unsigned)strlen(alpha);
    for (size_t i = 0; i < n; i++) out[i] = alpha[rand_below(state, k)];
}

/* ---------------------------------------------------------------- DER */

/* A small DER writer over a fixed buffer; the bodies made here are well
 * under its size, and overflow is caught by the caller's size check. */
typedef struct der {
    unsigned char b[1536];
    size_t n;
} der;

static void der_byte(der *d, unsigned char c)
{
    if (d->n < sizeof d->b) d->b[d->n++] = c;
}

static void der_bytes(der *d, const unsigned char *p, size_t k)
{
    for (size_t i = 0; i < k; i++) der_byte(d, p[i]);
}

/* Opens a constructed value; its length is patched by der_close.  Two length
 * bytes are always reserved (0x82 form), which DER allows only for lengths
 * >= 256, so der_close shifts the contents when the value is shorter. */
static size_t der_open(der *d, unsigned char tag)
{
    der_byte(d, tag);
    size_t at = d->n;
    der_byte(d, 0x82);
    der_byte(d, 0);
    der_byte(d, 0);
    return at;
}

static void der_close(der *d, size_t at)
{
    size_t body = at + 3, len = d->n - body;
    if (len < 0x80) {
        memmove(d->b + at + 1, d->b + body, len);
        d->b[at] = (unsigned char)len;
        d->n -= 2;
    } else if (len < 0x100) {
        memmove(d->b + at + 2, d->b + body, len);
        d->b[at] = 0x81;
        d->b[at + 1] = (unsigned char)len;
        d->n -= 1;
    } else {
        d->b[at + 1] = (unsigned char)(len >> 8);
        d->b[at + 2] = (unsigned char)len;
    }
}

static void der_prim(der *d, unsigned char tag, const unsigned char *p, size_t k)
{
    size_t at = der_open(d, tag);
    der_bytes(d, p, k);
    der_close(d, at);
}

static void der_small_int(der *d, unsigned v)
{
    unsigned char b[4];
    size_t k = 0;
    /* Minimal two's complement: one leading zero only when the top bit is set. */
    if (v >= 0x800000) b[k++] = (unsigned char)(v >> 24);
    if (v >= 0x8000) b[k++] = (unsigned char)(v >> 16);
    if (v >= 0x80) b[k++] = (unsigned char)(v >> 8);
    b[k++] = (unsigned char)v;
    der_prim(d, 0x02, b, k);
}

/* A positive INTEGER of k random bytes: the first byte is 1..0x7F, so it
 * needs no sign byte and has no redundant leading zero. */
static void der_rand_int(der *d, uint64_t *seed, size_t k)
{
    unsigned char b[256];
    rand_bytes(seed, b, k);
    b[0] = (unsigned char)(1 + b[0] % 0x7F);
    der_prim(d, 0x02, b, k);
}

static void der_rand_octets(der *d, uint64_t *seed, size_t k)
{
    unsigned char b[256];
    rand_bytes(seed, b, k);
    der_prim(d, 0x04, b, k);
}

/* ---------------------------------------------------------- key bodies */

static void body_rsa(der *d, uint64_t *seed)
{
    size_t seq = der_open(d, 0x30);
    der_small_int(d, 0);                 /* version */
    der_rand_int(d, seed, 128);          /* modulus */
    der_small_int(d, 65537);             /* public exponent */
    der_rand_int(d, seed, 128);          /* private exponent */
    for (int i = 0; i < 5; i++) der_rand_int(d, seed, 64);   /* primes, CRT values */
    der_close(d, seq);
}

static void body_ec(der *d, uint64_t *seed)
{
    static const unsigned char prime256v1[] = { 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 };
    size_t seq = der_open(d, 0x30);
    der_small_int(d, 1);
    der_rand_octets(d, seed, 32);
    size_t params = der_open(d, 0xA0);
    der_prim(d, 0x06, prime256v1, sizeof prime256v1);
    der_close(d, params);
    der_close(d, seq);
}

static void body_dsa(der *d, uint64_t *seed)
{
    size_t seq = der_open(d, 0x30);
    der_small_int(d, 0);
    der_rand_int(d, seed, 128);   /* p */
    der_rand_int(d, seed, 20);    /* q */
    der_rand_int(d, seed, 128);   /* g */
    der_rand_int(d, seed, 128);   /* y */
    der_rand_int(d, seed, 20);    /* x */
    der_close(d, seq);
}

/* PKCS#8 as an Ed25519 key has it: version, AlgorithmIdentifier, and the
 * 32-byte private key wrapped in an OCTET STRING inside the OCTET STRING. */
static void body_pkcs8(der *d, uint64_t *seed)
{
    static const unsigned char ed25519[] = { 0x2B, 0x65, 0x70 };
    size_t seq = der_open(d, 0x30);
    der_small_int(d, 0);
    size_t alg = der_open(d, 0x30);
    der_prim(d, 0x06, ed25519, sizeof ed25519);
    der_close(d, alg);
    size_t outer = der_open(d, 0x04);
    der_rand_octets(d, seed, 32);
    der_close(d, outer);
    der_close(d, seq);
}

/* PKCS#8 EncryptedPrivateKeyInfo: an algorithm (PBES2) and opaque bytes. */
static void body_encrypted(der *d, uint64_t *seed)
{
    static const unsigned char pbes2[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D };
    size_t seq = der_open(d, 0x30);
    size_t alg = der_open(d, 0x30);
    der_prim(d, 0x06, pbes2, sizeof pbes2);
    der_close(d, alg);
    der_rand_octets(d, seed, 80);
    der_close(d, seq);
}

static void body_generic(der *d, uint64_t *seed)
{
    size_t seq = der_open(d, 0x30);
    der_small_int(d, 0);
    der_rand_octets(d, seed, 48);
    der_close(d, seq);
}

static void ssh_u32(der *d, uint32_t v)
{
    der_byte(d, (unsigned char)(v >> 24));
    der_byte(d, (unsigned char)(v >> 16));
    der_byte(d, (unsigned char)(v >> 8));
    der_byte(d, (unsigned char)v);
}

static void ssh_string(der *d, const void *p, size_t k)
{
    ssh_u32(d, (uint32_t)k);
    der_bytes(d, p, k);
}

/* openssh-key-v1 unencrypted: magic, cipher "none", kdf "none", empty kdf
 * options, one key, its public blob, then the (random) private section. */
static void body_openssh(der *d, uint64_t *seed)
{
    unsigned char r[96];
    der_bytes(d, (const unsigned char *)"openssh-key-v1", 15);   /* with its NUL */
    ssh_string(d, "none", 4);
    ssh_string(d, "none", 4);
    ssh_string(d, "", 0);
    ssh_u32(d, 1);
    ssh_u32(d, 4 + 11 + 4 + 32);
    ssh_string(d, "ssh-ed25519", 11);
    rand_bytes(seed, r, 32);
    ssh_string(d, r, 32);
    rand_bytes(seed, r, sizeof r);
    ssh_string(d, r, sizeof r);
}

/* An OpenPGP secret-key packet (new format, tag 5, one-octet length) over
 * random contents: version 4, a timestamp, EdDSA, then key material. */
static void body_pgp(der *d, uint64_t *seed)
{
    unsigned char r[84];
    rand_bytes(seed, r, sizeof r);
    der_byte(d, 0xC5);
    der_byte(d, (unsigned char)(1 + 4 + 1 + (sizeof r - 4)));
    der_byte(d, 4);
    der_bytes(d, r, 4);
    der_byte(d, 22);
    der_bytes(d, r + 4, sizeof r - 4);
}

static uint32_t crc24(const unsigned char *p, size_t n)
{
    uint32_t crc = 0xB704CEu;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint32_t)p[i] << 16;
        for (int b = 0; b < 8; b++) {
            crc <<= 1;
            if (crc & 0x1000000u) crc ^= 0x1864CFBu;
        }
    }
    return crc & 0xFFFFFFu;
}

static void emit_pem(expander *x, const char *label, size_t label_len, int json)
{
    const char *nl = json ? "\\n" : "\n";
    der d;
    char b64[2200];
    d.n = 0;
    int pgp = 0;

#define LABEL_IS(s) (label_len == sizeof(s) - 1 && memcmp(label, s, label_len) == 0)
    if (LABEL_IS("RSA PRIVATE KEY")) body_rsa(&d, x->seed);
    else if (LABEL_IS("EC PRIVATE KEY")) body_ec(&d, x->seed);
    else if (LABEL_IS("DSA PRIVATE KEY")) body_dsa(&d, x->seed);
    else if (LABEL_IS("PRIVATE KEY")) body_pkcs8(&d, x->seed);
    else if (LABEL_IS("ENCRYPTED PRIVATE KEY")) body_encrypted(&d, x->seed);
    else if (LABEL_IS("OPENSSH PRIVATE KEY")) body_openssh(&d, x->seed);
    else if (LABEL_IS("PGP PRIVATE KEY BLOCK")) { body_pgp(&d, x->seed); pgp = 1; }
    else body_generic(&d, x->seed);
#undef LABEL_IS

    long n = ward_base64_encode(d.b, d.n, 0, 1, b64, sizeof b64);
    if (n < 0) { x->full = 1; return; }   /* cannot happen with these sizes */

    put_str(x, "-----BEGIN ");
    put(x, label, label_len);
    put_str(x, "-----");
    put_str(x, nl);
    if (pgp) {
        /* OpenPGP armor: headers, then a blank line before the body. */
        put_str(x, "Comment: ward test data");
        put_str(x, nl);
        put_str(x, nl);
    }
    for (long i = 0; i < n; i += 64) {
        if (i) put_str(x, nl);
        put(x, b64 + i, (size_t)(n - i < 64 ? n - i : 64));
    }
    if (pgp) {
        uint32_t c = crc24(d.b, d.n);
        unsigned char cb[3] = { (unsigned char)(c >> 16), (unsigned char)(c >> 8), (unsigned char)c };
        char ct[4];
        ward_base64_encode(cb, 3, 0, 1, ct, sizeof ct);
        put_str(x, nl);
        put_str(x, "=");
        put(x, ct, 4);
    }
    put_str(x, nl);
    put_str(x, "-----END ");
    put(x, label, label_len);
    put_str(x, "-----");
}

/* ----------------------------------------------------------- jwt, uuid */

static void put_b64url(expander *x, const void *p, size_t n)
{
    char buf[256];
    long k = ward_base64_encode(p, n, 1, 0, buf, sizeof buf);
    if (k < 0) { x->full = 1; return; }
    put(x, buf, (size_t)k);
}

static size_t u64_dec(uint64_t v, char *out)
{
    char t[20];
    size_t k = 0, n = 0;
    do { t[k++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (k) out[n++] = t[--k];
    return n;
}

static void emit_jwt(expander *x)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    char payload[96];
    size_t n = 0;
    unsigned char sig[32];

    memcpy(payload, "{\"sub\":\"", 8);
    n = 8;
    rand_chars(x->seed, "abcdefghijklmnopqrstuvwxyz0123456789", payload + n, 12);
    n += 12;
    memcpy(payload + n, "\",\"iat\":", 8);
    n += 8;
    n += u64_dec(1500000000u + next_rand(x->seed) % 400000000u, payload + n);
    payload[n++] = '}';

    put_b64url(x, header, sizeof header - 1);
    put_str(x, ".");
    put_b64url(x, payload, n);
    put_str(x, ".");
    /* 32 random bytes give the 43-character signature of HS256, and being a
     * real encoding it decodes strictly, as a signature must. */
    rand_bytes(x->seed, sig, sizeof sig);
    put_b64url(x, sig, sizeof sig);
}

static void emit_uuid(expander *x)
{
    unsigned char b[16];
    char s[36];
    static const char hex[] = "0123456789abcdef";
    rand_bytes(x->seed, b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);   /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s[o++] = '-';
        s[o++] = hex[b[i] >> 4];
        s[o++] = hex[b[i] & 15];
    }
    put(x, s, sizeof s);
}


/* ------------------------------------------------ checksummed provider tokens */

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int valid_prefix(const char *s, size_t n)
{
    if (n == 0 || n > 32) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* pypi- + base64url (unpadded) of a version 2 macaroon located at pypi.org:
 * an identifier, one caveat, and a 32-byte signature. */
static void emit_pypi(expander *x)
{
    static const char caveat[] = "{\"version\":1,\"permissions\":\"user\"}";
    unsigned char m[160], sig[32];
    char id[32], out[256];
    size_t n = 0;
    m[n++] = 2;
    m[n++] = 1; m[n++] = 8; memcpy(m + n, "pypi.org", 8); n += 8;
    rand_chars(x->seed, "0123456789abcdef", id, sizeof id);
    m[n++] = 2; m[n++] = sizeof id; memcpy(m + n, id, sizeof id); n += sizeof id;
    m[n++] = 0;
    m[n++] = 2; m[n++] = sizeof caveat - 1; memcpy(m + n, caveat, sizeof caveat - 1); n += sizeof caveat - 1;
    m[n++] = 0;
    m[n++] = 0;
    rand_bytes(x->seed, sig, sizeof sig);
    m[n++] = 6; m[n++] = 32; memcpy(m + n, sig, 32); n += 32;
    long k = ward_base64_encode(m, n, 1, 0, out, sizeof out);
    if (k < 0) { x->full = 1; return; }
    put_str(x, "pypi-");
    put(x, out, (size_t)k);
}

/* glsa_ + 32 base62 + _ + the little-endian hex CRC32 of what precedes it. */
static void emit_glsa(expander *x)
{
    static const char hex[] = "0123456789abcdef";
    char t[5 + 32 + 1 + 8];
    memcpy(t, "glsa_", 5);
    rand_chars(x->seed, A62, t + 5, 32);
    uint32_t c = ward_crc32(t, 37);
    t[37] = '_';
    for (int i = 0; i < 4; i++) {
        unsigned char b = (unsigned char)(c >> (8 * i));
        t[38 + 2 * i] = hex[b >> 4];
        t[39 + 2 * i] = hex[b & 15];
    }
    put(x, t, sizeof t);
}

/* PREFIX + base64url to 183 characters, "=", and the big-endian uppercase
 * hex CRC32 of everything before the digits: 192 characters in all. */
static void emit_atlassian(expander *x, const char *prefix, size_t plen)
{
    static const char hex[] = "0123456789ABCDEF";
    char t[192];
    memcpy(t, prefix, plen);
    rand_chars(x->seed, B64URL, t + plen, 183 - plen);
    t[183] = '=';
    uint32_t c = ward_crc32(t, 184);
    for (int i = 0; i < 8; i++) t[184 + i] = hex[(c >> (28 - 4 * i)) & 15];
    put(x, t, sizeof t);
}

static size_t b36(uint64_t v, size_t width, char *out)
{
    static const char d[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (size_t i = width; i > 0; i--) { out[i - 1] = d[v % 36]; v /= 36; }
    return width;
}

/* A GitLab routable token: PREFIX + base64url(16 random bytes + routing
 * payload + its length byte) + ".01." + 2 base36 digits of the base64
 * length + 7 base36 digits of the CRC32 of everything before them. */
static void emit_gitlab_routable(expander *x, const char *prefix, size_t plen)
{
    unsigned char raw[64];
    char t[160];
    size_t n = 0;
    rand_bytes(x->seed, raw, 16);
    n = 16;
    char payload[40];
    size_t pl = 0;
    memcpy(payload, "o:", 2); pl = 2;
    rand_chars(x->seed, "0123456789abcdefghijklmnopqrstuvwxyz", payload + pl, 6); pl += 6;
    memcpy(payload + pl, "\nu:", 3); pl += 3;
    rand_chars(x->seed, "0123456789abcdefghijklmnopqrstuvwxyz", payload + pl, 5); pl += 5;
    memcpy(raw + n, payload, pl); n += pl;
    raw[n++] = (unsigned char)pl;
    memcpy(t, prefix, plen);
    long k = ward_base64_encode(raw, n, 1, 0, t + plen, sizeof t - plen - 20);
    if (k < 0) { x->full = 1; return; }
    size_t o = plen + (size_t)k;
    memcpy(t + o, ".01.", 4); o += 4;
    o += b36((uint64_t)k, 2, t + o);
    o += b36(ward_crc32(t, o), 7, t + o);
    put(x, t, o);
}

/* ----------------------------------------------------------- directives */

static const struct {
    const char *name;
    const char *alphabet;
} char_classes[] = {
    { "a62", A62 },
    { "hex", "0123456789abcdef" },
    { "HEX", "0123456789ABCDEF" },
    { "lower", "abcdefghijklmnopqrstuvwxyz" },
    { "upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ" },
    { "digit", "0123456789" },
    { "lalnum", "abcdefghijklmnopqrstuvwxyz0123456789" },
    { "ualnum", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" },
    { "b32", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" },
    { "b64", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" },
    { "b64url", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_" },
    { "crc62", A62 },
    { "bech32", "qpzry9x8gf2tvdw0s3jn54khce6mua7l" },
    { "BECH32", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L" },
};

static int name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && memcmp(name, want, n) == 0;
}

/* Parses N: decimal digits only, 1..MAX_N. */
static int parse_count(const char *s, size_t n, size_t *out)
{
    size_t v = 0;
    if (n == 0 || n > 4) return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    if (v < 1 || v > MAX_N) return 0;
    *out = v;
    return 1;
}

static int valid_label(const char *s, size_t n)
{
    if (n == 0 || n > MAX_LABEL) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ')) return 0;
    }
    return 1;
}

ward_status ward_example_expand(const char *tmpl, uint64_t *seed, char *out,
                                size_t cap, size_t *out_len,
                                size_t *secret_off, size_t *secret_len)
{
    size_t soff = (size_t)-1, send = (size_t)-1;
    ward_status st = WARD_OK;
    expander x = { out, cap, 0, 0, seed };

    if (out_len) *out_len = 0;
    if (secret_off) *secret_off = (size_t)-1;
    if (secret_len) *secret_len = 0;
    if (!tmpl || !seed || !out) return WARD_EINVAL;
    if (cap == 0) return WARD_ETOOBIG;

    for (const char *p = tmpl; *p && st == WARD_OK && !x.full;) {
        if (p[0] != '%' || (p[1] != '{' && p[1] != '%')) {
            const char *q = p + 1;
            while (*q && *q != '%') q++;
            put(&x, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (p[1] == '%') { put(&x, "%", 1); p += 2; continue; }

        const char *body = p + 2, *close = strchr(body, '}');
        if (!close) { st = WARD_EINVAL; break; }
        const char *colon = memchr(body, ':', (size_t)(close - body));
        size_t name_len = (size_t)((colon ? colon : close) - body);
        const char *arg = colon ? colon + 1 : NULL;
        size_t arg_len = colon ? (size_t)(close - arg) : 0;
        p = close + 1;

        if (!arg && name_is(body, name_len, "<")) {
            if (soff != (size_t)-1) st = WARD_EINVAL;
            else soff = x.len;
        } else if (!arg && name_is(body, name_len, ">")) {
            if (soff == (size_t)-1 || send != (size_t)-1) st = WARD_EINVAL;
            else send = x.len;
        } else if (!arg && name_is(body, name_len, "jwt")) {
            emit_jwt(&x);
        } else if (!arg && name_is(body, name_len, "uuid")) {
            emit_uuid(&x);
        } else if (!arg && name_is(body, name_len, "pypi")) {
            emit_pypi(&x);
        } else if (!arg && name_is(body, name_len, "glsa")) {
            emit_glsa(&x);
        } else if (arg && name_is(body, name_len, "atlassian")) {
            if (!valid_prefix(arg, arg_len) || arg_len > 100) st = WARD_EINVAL;
            else emit_atlassian(&x, arg, arg_len);
        } else if (arg && name_is(body, name_len, "gitlabrt")) {
            if (!valid_prefix(arg, arg_len)) st = WARD_EINVAL;
            else emit_gitlab_routable(&x, arg, arg_len);
        } else if (arg && (name_is(body, name_len, "pem") || name_is(body, name_len, "pemjson"))) {
            if (!valid_label(arg, arg_len)) st = WARD_EINVAL;
            else emit_pem(&x, arg, arg_len, name_is(body, name_len, "pemjson"));
        } else {
            size_t count = 0, k;
            for (k = 0; k < sizeof char_classes / sizeof char_classes[0]; k++)
                if (name_is(body, name_len, char_classes[k].name)) break;
            if (k == sizeof char_classes / sizeof char_classes[0] || !arg ||
                !parse_count(arg, arg_len, &count)) {
                st = WARD_EINVAL;
                break;
            }
            char buf[MAX_N + 6];
            rand_chars(seed, char_classes[k].alphabet, buf, count);
            if (name_is(body, name_len, "crc62")) {
                ward_base62_encode(ward_crc32(buf, count), buf + count, 6);
                count += 6;
            }
            put(&x, buf, count);
        }
    }

    if (st == WARD_OK && x.full) st = WARD_ETOOBIG;
    if (st != WARD_OK) {
        out[0] = '\0';
        return st;
    }
    out[x.len] = '\0';
    if (out_len) *out_len = x.len;
    if (soff != (size_t)-1) {
        if (send == (size_t)-1) send = x.len;
        if (secret_off) *secret_off = soff;
        if (secret_len) *secret_len = send - soff;
    }
    return WARD_OK;
}
