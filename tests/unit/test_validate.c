/* test_validate.c - unit tests for the offline validators (lib/validate.c).
 *
 * Every token here is made at run time, from example templates or by
 * encoding small hand-built structures, so the source never holds anything
 * a secret scanner (ward included) would flag.  Each validator is driven to
 * all three answers, and the PEM one through the shapes keys take in the
 * wild: JSON-escaped, CRLF, indented, flattened, with RFC 1421 headers.
 */
#include "check.h"
#include "codec.h"
#include "validate.h"
#include "ward.h"

#include <stdlib.h>

static char buf[40000];

static ward_vresult vrun(const char *name, const char *s, size_t n, const char **why)
{
    const ward_validator *v = ward_validator_find(name);
    CHECK(v != NULL);
    *why = NULL;
    if (!v) return WARD_V_NA;
    ward_vresult r = v->fn(s, n, why);
    CHECK(*why != NULL);
    return r;
}

static size_t expand(const char *tmpl, uint64_t seed, char *out, size_t cap)
{
    size_t len = 0;
    CHECK_INT(ward_example_expand(tmpl, &seed, out, cap, &len, NULL, NULL), WARD_OK);
    return len;
}

/* A different base62 character at s[i], so a checksum must change. */
static void bump_b62(char *s, size_t i)
{
    s[i] = s[i] == 'z' ? '0' : s[i] == '9' ? 'A' : s[i] == 'Z' ? 'a' : (char)(s[i] + 1);
}

static void test_table(void)
{
    size_t n = 0;
    const ward_validator *t = ward_validators(&n);
    CHECK_INT(n, 10);
    static const char *names[] = { "github-crc32", "npm-crc32", "jwt", "pem-private-key", "openai",
                                   "gitlab-routable", "grafana-sa-crc32", "atlassian-crc32",
                                   "pypi-macaroon", "aws-account-id" };
    for (size_t i = 0; i < 10; i++) {
        const ward_validator *v = ward_validator_find(names[i]);
        CHECK(v != NULL && v->fn != NULL);
        CHECK(v >= t && v < t + n);
        if (v) CHECK_STR(v->name, names[i]);
    }
    CHECK(ward_validator_find("nope") == NULL);
    CHECK(ward_validator_find("") == NULL);
    CHECK(ward_validator_find(NULL) == NULL);
    CHECK(ward_validator_find("JWT") == NULL);
}

static void crc_cases(const char *name, const char *prefix)
{
    char tmpl[32], tok[64];
    const char *why;
    snprintf(tmpl, sizeof tmpl, "%s%%{crc62:30}", prefix);
    for (uint64_t s = 0; s < 40; s++) {
        size_t n = expand(tmpl, s, tok, sizeof tok);
        size_t p = strlen(prefix);
        CHECK_INT(n, p + 36);
        CHECK_INT(vrun(name, tok, n, &why), WARD_V_VALID);
        CHECK_STR(why, "checksum valid");

        bump_b62(tok, p + 31 + s % 5);                  /* the checksum */
        CHECK_INT(vrun(name, tok, n, &why), WARD_V_INVALID);
        CHECK_STR(why, "checksum mismatch");
        expand(tmpl, s, tok, sizeof tok);
        bump_b62(tok, p + s % 30);                      /* the random part */
        CHECK_INT(vrun(name, tok, n, &why), WARD_V_INVALID);
    }
    /* A fixed body, with the checksum computed here rather than trusted
     * from the generator. */
    char body[37];
    memset(body, 'A', 30);
    ward_base62_encode(ward_crc32(body, 30), body + 30, 6);
    body[36] = '\0';
    snprintf(tok, sizeof tok, "%s%s", prefix, body);
    CHECK_INT(vrun(name, tok, strlen(tok), &why), WARD_V_VALID);

    /* Shapes that do not fit: NA, not INVALID. */
    size_t n = expand(tmpl, 1, tok, sizeof tok);
    CHECK_INT(vrun(name, tok, n - 1, &why), WARD_V_NA);           /* 35 chars */
    tok[n] = 'x';
    CHECK_INT(vrun(name, tok, n + 1, &why), WARD_V_NA);           /* 37 chars */
    tok[n - 10] = '-';
    CHECK_INT(vrun(name, tok, n, &why), WARD_V_NA);               /* not base62 */
    n = expand("%{crc62:30}", 1, tok, sizeof tok);
    CHECK_INT(vrun(name, tok, n, &why), WARD_V_NA);               /* no prefix */
    CHECK_INT(vrun(name, "", 0, &why), WARD_V_NA);
    CHECK_INT(vrun(name, "_", 1, &why), WARD_V_NA);
    /* The body is what follows the last underscore. */
    n = expand("x_y_%{crc62:30}", 4, tok, sizeof tok);
    CHECK_INT(vrun(name, tok, n, &why), WARD_V_VALID);
    n = expand("%{crc62:30}_", 4, tok, sizeof tok);
    CHECK_INT(vrun(name, tok, n, &why), WARD_V_NA);
    /* The length given is honoured: the check never reads past it. */
    n = expand(tmpl, 2, tok, sizeof tok);
    char *heap = malloc(n);
    CHECK(heap != NULL);
    if (heap) {
        memcpy(heap, tok, n);
        CHECK_INT(vrun(name, heap, n, &why), WARD_V_VALID);
        free(heap);
    }
}

static void test_github(void)
{
    static const char *prefixes[] = { "ghp_", "gho_", "ghu_", "ghs_", "ghr_" };
    for (size_t i = 0; i < 5; i++) crc_cases("github-crc32", prefixes[i]);
}

static void test_npm(void)
{
    crc_cases("npm-crc32", "npm_");
}

/* Joins base64url(header).base64url(payload).sig into buf. */
static size_t make_jwt(const char *header, const char *payload, const char *sig)
{
    size_t n = 0;
    long k = ward_base64_encode((const unsigned char *)header, strlen(header), 1, 0, buf, sizeof buf);
    CHECK(k >= 0);
    n += (size_t)k;
    buf[n++] = '.';
    k = ward_base64_encode((const unsigned char *)payload, strlen(payload), 1, 0, buf + n, sizeof buf - n);
    CHECK(k >= 0);
    n += (size_t)k;
    buf[n++] = '.';
    memcpy(buf + n, sig, strlen(sig));
    n += strlen(sig);
    buf[n] = '\0';
    return n;
}

static void test_jwt(void)
{
    const char *why;
    size_t n = make_jwt("{\"alg\":\"none\"}", "{}", "");
    CHECK_INT(vrun("jwt", buf, n, &why), WARD_V_VALID);
    CHECK_STR(why, "header and payload decode to JSON");
    n = make_jwt("{\"typ\":\"x\", \"alg\":\"test\"}", "{\"n\":[1,2,{\"k\":null}]}", "c2lnbmF0dXJl");
    CHECK_INT(vrun("jwt", buf, n, &why), WARD_V_VALID);

    /* Padded segments are accepted too. */
    long k = ward_base64_encode((const unsigned char *)"{\"alg\":\"x\"}", 11, 1, 1, buf, sizeof buf);
    CHECK(k > 0 && buf[k - 1] == '=');
    memcpy(buf + k, ".e30.", 6);   /* e30 is {} */
    CHECK_INT(vrun("jwt", buf, (size_t)k + 5, &why), WARD_V_VALID);

    for (uint64_t s = 0; s < 20; s++) {
        n = expand("%{jwt}", s, buf, sizeof buf);
        CHECK_INT(vrun("jwt", buf, n, &why), WARD_V_VALID);
        /* Damage the payload's first character: its JSON breaks. */
        char *d = strchr(buf, '.');
        CHECK(d != NULL); /* the damage below must happen */
        if (d) {
            d[1] = d[1] == 'Z' ? 'Y' : 'Z';
            CHECK_INT(vrun("jwt", buf, n, &why), WARD_V_INVALID);
            CHECK_STR(why, "not a decodable JWT");
        }
    }

    static const char *bad_pairs[][2] = {
        { "{\"typ\":\"x\"}", "{}" },            /* no alg */
        { "{\"x\":{\"alg\":1}}", "{}" },        /* alg only nested */
        { "[\"alg\"]", "{}" },                  /* header not an object */
        { "{\"alg\":\"x\"}", "[]" },            /* payload not an object */
        { "{\"alg\":\"x\"}", "plain text" },
        { "{\"alg\":\"x\",}", "{}" },
        { "", "{}" },
        { "{\"alg\":\"x\"}", "" },
    };
    for (size_t i = 0; i < sizeof bad_pairs / sizeof bad_pairs[0]; i++) {
        n = make_jwt(bad_pairs[i][0], bad_pairs[i][1], "AAAA");
        CHECK_INT(vrun("jwt", buf, n, &why), WARD_V_INVALID);
        CHECK_STR(why, "not a decodable JWT");
    }

    n = make_jwt("{\"alg\":\"x\"}", "{}", "AA*A");          /* bad signature char */
    CHECK_INT(vrun("jwt", buf, n, &why), WARD_V_INVALID);
    n = make_jwt("{\"alg\":\"x\"}", "{}", "A");             /* impossible length */
    CHECK_INT(vrun("jwt", buf, n, &why), WARD_V_INVALID);
    n = make_jwt("{\"alg\":\"x\"}", "{}", "AAAA.AAAA");     /* four segments */
    CHECK_INT(vrun("jwt", buf, n, &why), WARD_V_INVALID);
    n = make_jwt("{\"alg\":\"x\"}", "{}", "");
    buf[n - 1] = '\0';                                       /* two segments */
    CHECK_INT(vrun("jwt", buf, n - 1, &why), WARD_V_INVALID);
    /* Standard-alphabet characters are not base64url. */
    n = make_jwt("{\"alg\":\"x\"}", "{}", "ab+/");
    CHECK_INT(vrun("jwt", buf, n, &why), WARD_V_INVALID);
    CHECK_INT(vrun("jwt", "..", 2, &why), WARD_V_INVALID);
    CHECK_INT(vrun("jwt", "", 0, &why), WARD_V_INVALID);
    CHECK_INT(vrun("jwt", "abc", 3, &why), WARD_V_INVALID);

    /* Past the size limit the answer is "can't tell". */
    size_t big = 20000;
    char *b = malloc(big);
    CHECK(b != NULL);
    if (b) {
        memset(b, 'A', big);
        b[10] = '.';
        b[20] = '.';
        CHECK_INT(vrun("jwt", b, big, &why), WARD_V_NA);
        free(b);
    }
}

/* Builds "-----BEGIN label-----" + headers + base64(der) in 64-char lines +
 * "-----END label-----", with nl as the line break, into buf. */
static size_t make_pem(const char *label, const char *headers, const unsigned char *der,
                       size_t dn, const char *nl)
{
    char b64[8192];
    long k = ward_base64_encode(der, dn, 0, 1, b64, sizeof b64);
    CHECK(k >= 0);
    size_t n = (size_t)snprintf(buf, sizeof buf, "-----BEGIN %s-----%s%s", label, nl, headers ? headers : "");
    for (long i = 0; i < k; i += 64) {
        int w = (int)(k - i < 64 ? k - i : 64);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%.*s%s", w, b64 + i, nl);
    }
    n += (size_t)snprintf(buf + n, sizeof buf - n, "-----END %s-----", label);
    return n;
}

/* Replaces every occurrence of from with to in buf (in place, via a copy). */
static size_t replace_all(size_t n, const char *from, const char *to)
{
    static char tmp[40000];
    size_t fl = strlen(from), tl = strlen(to), o = 0;
    for (size_t i = 0; i < n;) {
        if (i + fl <= n && memcmp(buf + i, from, fl) == 0) {
            memcpy(tmp + o, to, tl);
            o += tl;
            i += fl;
        } else {
            tmp[o++] = buf[i++];
        }
    }
    memcpy(buf, tmp, o);
    buf[o] = '\0';
    return o;
}

static void test_pem_generated(void)
{
    static const char *labels[] = { "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY",
                                     "PRIVATE KEY", "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK" };
    char tmpl[64];
    const char *why;
    for (size_t i = 0; i < 6; i++) {
        snprintf(tmpl, sizeof tmpl, "%%{pem:%s}", labels[i]);
        size_t n = expand(tmpl, 100 + i, buf, sizeof buf);
        ward_vresult want = WARD_V_VALID;
        CHECK_INT(vrun("pem-private-key", buf, n, &why), want);

        /* The forms a key takes once copied around. */
        n = replace_all(n, "\n", "\r\n");
        CHECK_INT(vrun("pem-private-key", buf, n, &why), want);
        n = replace_all(n, "\r\n", "\n    ");                 /* indented, as in YAML */
        CHECK_INT(vrun("pem-private-key", buf, n, &why), want);
        n = replace_all(n, "\n    ", "\\n");                  /* JSON-escaped */
        CHECK_INT(vrun("pem-private-key", buf, n, &why), want);
        n = replace_all(n, "/", "\\/");                       /* with escaped slashes */
        CHECK_INT(vrun("pem-private-key", buf, n, &why), want);
        n = replace_all(n, "\\/", "/");
        memcpy(buf + n, "\\n", 3);                            /* trailing \n, as in a key file */
        CHECK_INT(vrun("pem-private-key", buf, n + 2, &why), want);
        if (i != 5) {   /* flattened to one line (armor headers need line breaks) */
            n = replace_all(n, "\\n", " ");
            CHECK_INT(vrun("pem-private-key", buf, n, &why), want);
        }

        /* Truncated: no END line. */
        n = expand(tmpl, 100 + i, buf, sizeof buf);
        char *end = strstr(buf, "-----END");
        CHECK(end != NULL);
        if (!end) continue;
        CHECK_INT(vrun("pem-private-key", buf, (size_t)(end - buf), &why), WARD_V_INVALID);
        CHECK_INT(vrun("pem-private-key", buf, (size_t)(end - buf) + 12, &why), WARD_V_INVALID);
        CHECK_INT(vrun("pem-private-key", buf, n - 1, &why), WARD_V_INVALID);   /* "----" */

        /* A character that is not base64 in the body. */
        char *body = strchr(buf, '\n') + (i == 5 ? 25 : 1);
        char saved = body[10];
        body[10] = '!';
        CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_INVALID);
        CHECK_STR(why, "PEM body does not decode");
        body[10] = saved;
        CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_VALID);

        /* A different label in the END line. */
        end[9] = end[9] == 'X' ? 'Y' : 'X';
        CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_INVALID);
    }

    /* Surrounding text does not matter: the block is found inside it. */
    size_t n = expand("key = \"%{pemjson:EC PRIVATE KEY}\\n\"", 9, buf, sizeof buf);
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_VALID);
}

static void test_pem_der(void)
{
    const char *why;
    static const unsigned char ok1[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };
    static const unsigned char ok2[] = { 0x30, 0x81, 0x03, 0x02, 0x01, 0x00 };   /* long form */
    size_t n = make_pem("RSA PRIVATE KEY", NULL, ok1, sizeof ok1, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_VALID);
    CHECK_STR(why, "PEM body decodes to a DER key");
    n = make_pem("PRIVATE KEY", NULL, ok2, sizeof ok2, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_VALID);

    static const struct { unsigned char d[8]; size_t n; } bad[] = {
        { { 0x30, 0x04, 0x02, 0x01, 0x00 }, 5 },            /* length past the data */
        { { 0x30, 0x03, 0x02, 0x01, 0x00, 0x00 }, 6 },      /* data past the length */
        { { 0x30, 0x03, 0x04, 0x01, 0x00 }, 5 },            /* first element not INTEGER */
        { { 0x31, 0x03, 0x02, 0x01, 0x00 }, 5 },            /* SET, not SEQUENCE */
        { { 0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00 }, 7 },/* indefinite length */
        { { 0x30, 0x02, 0x02, 0x05 }, 4 },                  /* INTEGER past the end */
        { { 0x30, 0x02, 0x02, 0x00 }, 4 },                  /* empty INTEGER */
        { { 0x30, 0x00 }, 2 },
        { { 0x30 }, 1 },
        { { 0x30, 0x85, 0, 0, 0, 0, 3 }, 7 },               /* too many length bytes */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = make_pem("EC PRIVATE KEY", NULL, bad[i].d, bad[i].n, "\n");
        ward_vresult r = vrun("pem-private-key", buf, n, &why);
        if (r != WARD_V_INVALID) fprintf(stderr, "bad DER case %zu passed\n", i);
        CHECK_INT(r, WARD_V_INVALID);
        CHECK_STR(why, "PEM body does not decode");
    }
    /* An empty body. */
    n = make_pem("DSA PRIVATE KEY", NULL, ok1, 0, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_INVALID);
}

static void test_pem_headers(void)
{
    const char *why;
    unsigned char der[200];
    for (size_t i = 0; i < sizeof der; i++) der[i] = (unsigned char)(i * 13);
    /* Encrypted RSA in the traditional format: the DER is ciphertext. */
    size_t n = make_pem("RSA PRIVATE KEY",
                        "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n",
                        der, sizeof der, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_NA);
    CHECK_STR(why, "encrypted private key");
    n = replace_all(n, "\n", "\\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_NA);

    /* Headers that do not say ENCRYPTED leave the body to be judged. */
    static const unsigned char ok[] = { 0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x07 };
    n = make_pem("RSA PRIVATE KEY", "Comment: a test\n  continued\n\n", ok, sizeof ok, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_VALID);

    /* PKCS#8 encrypted: NA whatever the body. */
    n = make_pem("ENCRYPTED PRIVATE KEY", NULL, ok, sizeof ok, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_NA);
    CHECK_STR(why, "encrypted private key");
    /* ...but a truncated one is still INVALID. */
    char *end = strstr(buf, "-----END");
    CHECK(end != NULL);
    if (end) CHECK_INT(vrun("pem-private-key", buf, (size_t)(end - buf), &why), WARD_V_INVALID);

    /* Labels that are not private keys, and text that is no PEM at all. */
    n = make_pem("CERTIFICATE", NULL, ok, sizeof ok, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_NA);
    n = make_pem("PUBLIC KEY", NULL, ok, sizeof ok, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_NA);
    CHECK_INT(vrun("pem-private-key", "hello", 5, &why), WARD_V_NA);
    CHECK_INT(vrun("pem-private-key", "", 0, &why), WARD_V_NA);
    /* A BEGIN line cut short. */
    CHECK_INT(vrun("pem-private-key", "-----BEGIN RSA PRI", 18, &why), WARD_V_INVALID);
}

/* An openssh-key-v1 body with the given cipher name. */
static size_t make_openssh(const char *cipher, int magic_ok)
{
    unsigned char d[128];
    size_t n = 0, cl = strlen(cipher);
    memcpy(d, magic_ok ? "openssh-key-v1" : "openssh-key-v2", 15);
    n = 15;
    d[n++] = 0; d[n++] = 0; d[n++] = 0; d[n++] = (unsigned char)cl;
    memcpy(d + n, cipher, cl);
    n += cl;
    for (int i = 0; i < 40; i++) d[n++] = (unsigned char)(i + 1);
    return make_pem("OPENSSH PRIVATE KEY", NULL, d, n, "\n");
}

static void test_pem_openssh(void)
{
    const char *why;
    size_t n = make_openssh("none", 1);
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_VALID);
    CHECK_STR(why, "OpenSSH key decodes");
    n = make_openssh("aes256-ctr", 1);
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_NA);
    CHECK_STR(why, "encrypted private key");
    n = make_openssh("none", 0);
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_INVALID);
    /* A cipher-name length that runs past the data. */
    unsigned char d[24];
    memcpy(d, "openssh-key-v1", 15);
    d[15] = 0; d[16] = 0; d[17] = 1; d[18] = 0;
    memcpy(d + 19, "none", 4);
    n = make_pem("OPENSSH PRIVATE KEY", NULL, d, 23, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_INVALID);
    n = make_pem("OPENSSH PRIVATE KEY", NULL, d, 16, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_INVALID);
}

static void test_pem_pgp(void)
{
    const char *why;
    size_t n = expand("%{pem:PGP PRIVATE KEY BLOCK}", 5, buf, sizeof buf);
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_VALID);
    CHECK_STR(why, "PGP key block decodes");

    /* A wrong CRC-24. */
    char *crc = strstr(buf, "\n=");
    CHECK(crc != NULL);
    if (!crc) return;
    char saved = crc[3];
    crc[3] = crc[3] == 'A' ? 'B' : 'A';
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_INVALID);
    CHECK_STR(why, "PGP armor checksum mismatch");
    crc[3] = saved;

    /* Without the checksum line, and without armor headers. */
    unsigned char pkt[39];   /* a multiple of 3: the body has no padding */
    for (size_t i = 0; i < sizeof pkt; i++) pkt[i] = (unsigned char)(0xC5 + i);

    /* Body after the checksum line is not allowed (and is not quietly
     * taken as more body). */
    n = make_pem("PGP PRIVATE KEY BLOCK", "\n", pkt, sizeof pkt, "\n");
    char *e0 = strstr(buf, "-----END");
    CHECK(e0 != NULL); /* the damage below must happen */
    if (e0) {
        memmove(e0 + 11, e0, strlen(e0) + 1);
        memcpy(e0, "=AAAA\nAAAA\n", 11);
        CHECK_INT(vrun("pem-private-key", buf, n + 11, &why), WARD_V_INVALID);
        CHECK_STR(why, "PEM body does not decode");
    }
    n = make_pem("PGP PRIVATE KEY BLOCK", "\n", pkt, sizeof pkt, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_VALID);
    n = make_pem("PGP PRIVATE KEY BLOCK", "Version: test\nComment: x\n\n", pkt, sizeof pkt, "\n");
    CHECK_INT(vrun("pem-private-key", buf, n, &why), WARD_V_VALID);
    /* A checksum line that is not base64. */
    n = make_pem("PGP PRIVATE KEY BLOCK", "\n", pkt, sizeof pkt, "\n");
    char *e = strstr(buf, "-----END");
    CHECK(e != NULL); /* the damage below must happen */
    if (e) {
        memmove(e + 6, e, strlen(e) + 1);
        memcpy(e, "=A*AA\n", 6);
        CHECK_INT(vrun("pem-private-key", buf, n + 6, &why), WARD_V_INVALID);
    }
}

static void test_pem_limits(void)
{
    const char *why;
    /* Over the size limit: NA, and nothing is read past len. */
    size_t big = 17000;
    char *b = malloc(big);
    CHECK(b != NULL);
    if (b) {
        memset(b, 'A', big);
        CHECK_INT(vrun("pem-private-key", b, big, &why), WARD_V_NA);
        /* Exactly at the limit with no BEGIN: NA too, read within bounds. */
        CHECK_INT(vrun("pem-private-key", b, 16384, &why), WARD_V_NA);
        free(b);
    }
    /* A valid block copied to a buffer of exactly its size. */
    size_t n = expand("%{pem:RSA PRIVATE KEY}", 8, buf, sizeof buf);
    char *h = malloc(n);
    CHECK(h != NULL);
    if (h) {
        memcpy(h, buf, n);
        CHECK_INT(vrun("pem-private-key", h, n, &why), WARD_V_VALID);
        free(h);
    }
}

static void test_openai(void)
{
    const char *why;
    size_t n = expand("sk-%{a62:20}T3BlbkFJ%{a62:20}", 1, buf, sizeof buf);
    CHECK_INT(vrun("openai", buf, n, &why), WARD_V_VALID);
    CHECK_STR(why, "carries the T3BlbkFJ marker");
    n = expand("sk-proj-%{b64url:40}T3BlbkFJ", 2, buf, sizeof buf);
    CHECK_INT(vrun("openai", buf, n, &why), WARD_V_VALID);
    n = expand("sk-%{hex:48}", 3, buf, sizeof buf);
    CHECK_INT(vrun("openai", buf, n, &why), WARD_V_NA);
    CHECK_INT(vrun("openai", "T3BlbkF", 7, &why), WARD_V_NA);
    CHECK_INT(vrun("openai", "T3BlbkFJ", 8, &why), WARD_V_VALID);
    CHECK_INT(vrun("openai", "T3BlbkFJ", 7, &why), WARD_V_NA);   /* len is the bound */
    CHECK_INT(vrun("openai", "", 0, &why), WARD_V_NA);
}


/* Generated tokens validate; one changed character anywhere fails. */
static void checksum_cases(const char *name, const char *tmpl, size_t skip, ward_vresult broken)
{
    char tok[512];
    const char *why;
    for (uint64_t s = 0; s < 40; s++) {
        size_t n = expand(tmpl, s, tok, sizeof tok);
        CHECK_INT(vrun(name, tok, n, &why), WARD_V_VALID);
        size_t at = skip + (s * 7) % (n - skip);
        char was = tok[at];
        if (tok[at] == '.' || tok[at] == '_' || tok[at] == '=' || tok[at] == '-') continue;
        bump_b62(tok, at);
        if ((was >= 'a' && was <= 'z') && at >= n - 9 && strcmp(name, "gitlab-routable") == 0 &&
            tok[at] == '0')
            continue;   /* base36 wrapped from z: still base36 */
        ward_vresult r = vrun(name, tok, n, &why);
        CHECK(r == broken || (r == WARD_V_NA && broken == WARD_V_INVALID && at >= n - 9));
    }
}

static void test_gitlab_routable(void)
{
    const char *why;
    checksum_cases("gitlab-routable", "%{gitlabrt:glpat-}", 6, WARD_V_INVALID);
    checksum_cases("gitlab-routable", "%{gitlabrt:glrt-t1_}", 8, WARD_V_INVALID);
    /* Legacy random tokens carry no checksum. */
    char tok[128];
    size_t n = expand("glpat-%{b64url:20}", 3, tok, sizeof tok);
    CHECK_INT(vrun("gitlab-routable", tok, n, &why), WARD_V_NA);
    /* The unversioned form: PREFIX payload "." LL CRC7. */
    char body[96];
    n = expand("glpat-%{b64url:40}", 5, body, sizeof body);
    memcpy(body + n, ".14", 3);   /* 40 in base36 */
    uint32_t c = ward_crc32(body, n + 3);
    char crc[8];
    for (int i = 6; i >= 0; i--) { crc[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[c % 36]; c /= 36; }
    memcpy(body + n + 3, crc, 7);
    CHECK_INT(vrun("gitlab-routable", body, n + 10, &why), WARD_V_VALID);
    body[n + 2] = '5';   /* wrong length: 41 */
    CHECK_INT(vrun("gitlab-routable", body, n + 10, &why), WARD_V_INVALID);
}

static void test_grafana(void)
{
    const char *why;
    checksum_cases("grafana-sa-crc32", "%{glsa}", 5, WARD_V_INVALID);
    char tok[64];
    size_t n = expand("glsa_%{a62:32}", 1, tok, sizeof tok);
    CHECK_INT(vrun("grafana-sa-crc32", tok, n, &why), WARD_V_NA);
}

static void test_atlassian(void)
{
    const char *why;
    char tok[256];
    /* A mismatch is not proof of a fake (the scheme is undocumented). */
    checksum_cases("atlassian-crc32", "%{atlassian:ATATT3xFfGF0}", 12, WARD_V_NA);
    size_t n = expand("%{atlassian:ATCTT3xFfGN0}", 2, tok, sizeof tok);
    CHECK_INT(n, 192);
    CHECK_INT(vrun("atlassian-crc32", tok, n, &why), WARD_V_VALID);
    CHECK_STR(why, "checksum valid");
    n = expand("ATATT3%{b64url:100}", 2, tok, sizeof tok);
    CHECK_INT(vrun("atlassian-crc32", tok, n, &why), WARD_V_NA);
}

static void test_pypi(void)
{
    const char *why;
    char tok[512];
    for (uint64_t s = 0; s < 20; s++) {
        size_t n = expand("%{pypi}", s, tok, sizeof tok);
        CHECK(strncmp(tok, "pypi-AgEIcHlwaS5vcmc", 20) == 0);
        CHECK_INT(vrun("pypi-macaroon", tok, n, &why), WARD_V_VALID);
        CHECK_INT(vrun("pypi-macaroon", tok, n - 4, &why), WARD_V_INVALID);   /* truncated */
    }
    /* Hand-built: wrong location, and test.pypi.org. */
    unsigned char m[80];
    size_t k = 0;
    m[k++] = 2; m[k++] = 1; m[k++] = 8; memcpy(m + k, "evil.org", 8); k += 8;
    m[k++] = 2; m[k++] = 1; m[k++] = 'x'; m[k++] = 0; m[k++] = 0;
    m[k++] = 6; m[k++] = 32; memset(m + k, 7, 32); k += 32;
    memcpy(tok, "pypi-", 5);
    long e = ward_base64_encode(m, k, 1, 0, tok + 5, sizeof tok - 5);
    CHECK(e > 0);
    CHECK_INT(vrun("pypi-macaroon", tok, 5 + (size_t)e, &why), WARD_V_INVALID);
    CHECK_STR(why, "macaroon not located at pypi.org");
    k = 0;
    m[k++] = 2; m[k++] = 1; m[k++] = 13; memcpy(m + k, "test.pypi.org", 13); k += 13;
    m[k++] = 2; m[k++] = 1; m[k++] = 'x'; m[k++] = 0; m[k++] = 0;
    m[k++] = 6; m[k++] = 32; memset(m + k, 9, 32); k += 32;
    e = ward_base64_encode(m, k, 1, 0, tok + 5, sizeof tok - 5);
    CHECK_INT(vrun("pypi-macaroon", tok, 5 + (size_t)e, &why), WARD_V_VALID);
    CHECK_INT(vrun("pypi-macaroon", "pypi-", 5, &why), WARD_V_NA);
}

/* Encodes a 10-byte buffer as an AKIA key ID. */
static void aws_key(const unsigned char b[10], char out[21])
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    memcpy(out, "AKIA", 4);
    uint64_t hi = 0;
    for (int i = 0; i < 5; i++) hi = hi << 8 | b[i];
    uint64_t lo = 0;
    for (int i = 5; i < 10; i++) lo = lo << 8 | b[i];
    for (int i = 0; i < 8; i++) out[4 + i] = a[(hi >> (35 - 5 * i)) & 31];
    for (int i = 0; i < 8; i++) out[12 + i] = a[(lo >> (35 - 5 * i)) & 31];
    out[20] = '\0';
}

static void test_aws_account(void)
{
    const char *why;
    char key[21];
    unsigned char b[10];
    /* Account 123456789012 placed per the published layout: bits 7..46 of
     * the first 48. */
    uint64_t acct = 123456789012ull, z = acct << 7;
    for (int i = 0; i < 6; i++) b[i] = (unsigned char)(z >> (40 - 8 * i));
    for (int i = 6; i < 10; i++) b[i] = (unsigned char)(0x5A + i);
    aws_key(b, key);
    CHECK_INT(vrun("aws-account-id", key, 20, &why), WARD_V_VALID);
    CHECK_STR(why, "key ID decodes to an account ID");
    /* More than 12 digits: encodes no account. */
    z = 0x7FFFFFFFFF80ull;
    for (int i = 0; i < 6; i++) b[i] = (unsigned char)(z >> (40 - 8 * i));
    aws_key(b, key);
    CHECK_INT(vrun("aws-account-id", key, 20, &why), WARD_V_NA);
    memset(b, 0, sizeof b);
    aws_key(b, key);
    CHECK_INT(vrun("aws-account-id", key, 20, &why), WARD_V_NA);
    aws_key((const unsigned char *)"\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23", key);
    key[10] = '0';   /* not base32 */
    CHECK_INT(vrun("aws-account-id", key, 20, &why), WARD_V_INVALID);
    CHECK_INT(vrun("aws-account-id", key, 16, &why), WARD_V_NA);
}

int main(void)
{
    RUN(test_table);
    RUN(test_github);
    RUN(test_npm);
    RUN(test_jwt);
    RUN(test_pem_generated);
    RUN(test_pem_der);
    RUN(test_pem_headers);
    RUN(test_pem_openssh);
    RUN(test_pem_pgp);
    RUN(test_pem_limits);
    RUN(test_openai);
    RUN(test_gitlab_routable);
    RUN(test_grafana);
    RUN(test_atlassian);
    RUN(test_pypi);
    RUN(test_aws_account);
    return check_summary();
}
