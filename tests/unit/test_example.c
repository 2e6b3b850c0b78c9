/* test_example.c - unit tests for ward_example_expand (lib/example.c).
 *
 * Beyond lengths and alphabets, the structured directives are checked with
 * ward's own validators: rule examples rely on %{crc62}, %{jwt} and %{pem}
 * producing values that validate, so that is the contract tested here.
 */
#include "check.h"
#include "codec.h"
#include "validate.h"
#include "ward.h"

static char out[16384];

static ward_status expand_seed(const char *tmpl, uint64_t seed, size_t *len)
{
    size_t off, slen;
    return ward_example_expand(tmpl, &seed, out, sizeof out, len, &off, &slen);
}

/* Expands and returns the length, failing the test on an error. */
static size_t expand(const char *tmpl, uint64_t seed)
{
    size_t len = 0;
    ward_status st = expand_seed(tmpl, seed, &len);
    if (st != WARD_OK) fprintf(stderr, "expand(%s) = %d\n", tmpl, (int)st);
    CHECK_INT(st, WARD_OK);
    CHECK_INT(strlen(out), len);
    return len;
}

static ward_vresult run_validator(const char *name, const char *s, size_t n, const char **why)
{
    const ward_validator *v = ward_validator_find(name);
    CHECK(v != NULL);
    *why = NULL;
    return v ? v->fn(s, n, why) : WARD_V_NA;
}

static int all_in(const char *s, size_t n, const char *alphabet)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(alphabet, s[i]) || s[i] == '\0') return 0;
    return 1;
}

static void test_char_classes(void)
{
    static const struct { const char *dir, *alpha; } cases[] = {
        { "a62", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" },
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
    };
    char tmpl[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static const size_t ns[] = { 1, 7, 40, 4096 };
        for (size_t k = 0; k < 4; k++) {
            snprintf(tmpl, sizeof tmpl, "%%{%s:%zu}", cases[i].dir, ns[k]);
            size_t n = expand(tmpl, 42 + k);
            CHECK_INT(n, ns[k]);
            CHECK(all_in(out, n, cases[i].alpha));
        }
        /* 4096 draws from at most 64 symbols: every symbol shows up. */
        snprintf(tmpl, sizeof tmpl, "%%{%s:4096}", cases[i].dir);
        size_t n = expand(tmpl, 7);
        for (const char *a = cases[i].alpha; *a; a++)
            CHECK(memchr(out, *a, n) != NULL);
    }
}

static void test_literal_text(void)
{
    CHECK_INT(expand("plain text", 1), 10);
    CHECK_STR(out, "plain text");
    expand("100%% sure", 1);
    CHECK_STR(out, "100% sure");
    expand("printf(\"%d\\n\")", 1);
    CHECK_STR(out, "printf(\"%d\\n\")");
    expand("echo %VAR% 50%", 1);
    CHECK_STR(out, "echo %VAR% 50%");
    expand("%", 1);
    CHECK_STR(out, "%");
    expand("%%%%", 1);
    CHECK_STR(out, "%%");
    expand("", 1);
    CHECK_STR(out, "");
    size_t n = expand("key=%{hex:4};", 1);
    CHECK_INT(n, 9);
    CHECK(memcmp(out, "key=", 4) == 0 && out[8] == ';');
}

static void test_determinism(void)
{
    const char *t = "%{a62:20} %{jwt} %{uuid} %{pem:EC PRIVATE KEY} %{crc62:30}";
    static char first[16384];
    size_t n1 = expand(t, 1234);
    memcpy(first, out, n1 + 1);
    size_t n2 = expand(t, 1234);
    CHECK_INT(n1, n2);
    CHECK_STR(out, first);
    expand(t, 1235);
    CHECK(strcmp(out, first) != 0);

    /* The seed advances, so consecutive expansions differ. */
    uint64_t seed = 9, before = seed;
    char a[64], b[64];
    CHECK_INT(ward_example_expand("%{a62:32}", &seed, a, sizeof a, NULL, NULL, NULL), WARD_OK);
    CHECK(seed != before);
    CHECK_INT(ward_example_expand("%{a62:32}", &seed, b, sizeof b, NULL, NULL, NULL), WARD_OK);
    CHECK(strcmp(a, b) != 0);
}

static void test_markers(void)
{
    uint64_t seed = 5;
    size_t len, off, slen;
    CHECK_INT(ward_example_expand("token = \"%{<}%{hex:16}%{>}\"", &seed, out, sizeof out,
                                  &len, &off, &slen), WARD_OK);
    CHECK_INT(len, 26);
    CHECK_INT(off, 9);
    CHECK_INT(slen, 16);
    CHECK(all_in(out + off, slen, "0123456789abcdef"));

    CHECK_INT(ward_example_expand("no markers %{hex:4}", &seed, out, sizeof out,
                                  &len, &off, &slen), WARD_OK);
    CHECK(off == (size_t)-1);
    CHECK_INT(slen, 0);

    /* Without %{>} the secret runs to the end. */
    CHECK_INT(ward_example_expand("k: %{<}%{digit:5}", &seed, out, sizeof out,
                                  &len, &off, &slen), WARD_OK);
    CHECK_INT(off, 3);
    CHECK_INT(slen, 5);

    /* An empty span is allowed. */
    CHECK_INT(ward_example_expand("a%{<}%{>}b", &seed, out, sizeof out, &len, &off, &slen), WARD_OK);
    CHECK_INT(off, 1);
    CHECK_INT(slen, 0);

    CHECK_INT(ward_example_expand("%{>}x", &seed, out, sizeof out, &len, &off, &slen), WARD_EINVAL);
    CHECK_INT(ward_example_expand("%{<}x%{<}", &seed, out, sizeof out, &len, &off, &slen), WARD_EINVAL);
    CHECK_INT(ward_example_expand("%{<}x%{>}%{>}", &seed, out, sizeof out, &len, &off, &slen), WARD_EINVAL);
    CHECK(off == (size_t)-1);
    CHECK_INT(slen, 0);
}

static void test_errors(void)
{
    static const char *bad[] = {
        "%{unknown}", "%{foo:3}", "%{hex:0}", "%{hex:4097}", "%{hex:}", "%{hex}",
        "%{hex:1a}", "%{hex:-1}", "%{hex: 3}", "%{hex:00001}", "%{jwt:3}", "%{uuid:1}",
        "%{hex:3", "%{", "x%{}", "%{pem:}", "%{pem}", "%{pem:lower case}",
        "%{pemjson:}", "%{<:1}", "%{HEX:99999}", "%{A62:3}",
        "%{pem:LABEL THAT IS FAR TOO LONG TO BE ACCEPTED BY THE GENERATOR AT ALL X}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = 99;
        ward_status st = expand_seed(bad[i], 1, &len);
        if (st != WARD_EINVAL) fprintf(stderr, "template %s gave %d\n", bad[i], (int)st);
        CHECK_INT(st, WARD_EINVAL);
        CHECK_INT(len, 0);
        CHECK_STR(out, "");
    }
    uint64_t seed = 1;
    size_t len;
    CHECK_INT(ward_example_expand(NULL, &seed, out, sizeof out, &len, NULL, NULL), WARD_EINVAL);
    CHECK_INT(ward_example_expand("x", NULL, out, sizeof out, &len, NULL, NULL), WARD_EINVAL);
    CHECK_INT(ward_example_expand("x", &seed, NULL, 10, &len, NULL, NULL), WARD_EINVAL);
    /* 4096 is the largest N. */
    CHECK_INT(expand("%{hex:4096}", 1), 4096);
}

static void test_too_big(void)
{
    char small[9];
    uint64_t seed = 3;
    size_t len = 5;
    CHECK_INT(ward_example_expand("12345678", &seed, small, sizeof small, &len, NULL, NULL), WARD_OK);
    CHECK_STR(small, "12345678");
    CHECK_INT(len, 8);
    CHECK_INT(ward_example_expand("123456789", &seed, small, sizeof small, &len, NULL, NULL), WARD_ETOOBIG);
    CHECK_INT(len, 0);
    CHECK_STR(small, "");
    CHECK_INT(ward_example_expand("%{hex:9}", &seed, small, sizeof small, &len, NULL, NULL), WARD_ETOOBIG);
    CHECK_INT(ward_example_expand("%{hex:8}", &seed, small, sizeof small, &len, NULL, NULL), WARD_OK);
    CHECK_INT(ward_example_expand("%{jwt}", &seed, small, sizeof small, &len, NULL, NULL), WARD_ETOOBIG);
    CHECK_INT(ward_example_expand("%{pem:RSA PRIVATE KEY}", &seed, small, sizeof small, &len, NULL, NULL), WARD_ETOOBIG);
    CHECK_INT(ward_example_expand("", &seed, small, 0, &len, NULL, NULL), WARD_ETOOBIG);
    CHECK_INT(ward_example_expand("", &seed, small, 1, &len, NULL, NULL), WARD_OK);
    CHECK_INT(ward_example_expand("%{bad}", &seed, small, 1, &len, NULL, NULL), WARD_EINVAL);
}

static void test_crc62(void)
{
    for (uint64_t s = 0; s < 50; s++) {
        size_t n = expand("%{crc62:30}", s);
        CHECK_INT(n, 36);
        char want[6];
        ward_base62_encode(ward_crc32(out, 30), want, 6);
        CHECK(memcmp(out + 30, want, 6) == 0);
    }
    CHECK_INT(expand("%{crc62:1}", 1), 7);
    CHECK_INT(expand("%{crc62:4096}", 1), 4102);

    const char *why;
    for (uint64_t s = 0; s < 50; s++) {
        size_t n = expand("ghp_%{crc62:30}", s);
        CHECK_INT(run_validator("github-crc32", out, n, &why), WARD_V_VALID);
        CHECK_STR(why, "checksum valid");
        n = expand("npm_%{crc62:30}", s);
        CHECK_INT(run_validator("npm-crc32", out, n, &why), WARD_V_VALID);
    }
}

static void test_jwt(void)
{
    const char *why;
    for (uint64_t s = 0; s < 30; s++) {
        size_t n = expand("%{jwt}", s);
        CHECK_INT(run_validator("jwt", out, n, &why), WARD_V_VALID);
        CHECK_STR(why, "header and payload decode to JSON");
        CHECK(all_in(out, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."));

        const char *d1 = strchr(out, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
        CHECK(d1 && d2 && !strchr(d2 + 1, '.'));
        if (!d1 || !d2) continue;
        unsigned char dec[256];
        long k = ward_base64_decode(out, (size_t)(d1 - out), 1, dec, sizeof dec);
        CHECK(k == 27 && memcmp(dec, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 27) == 0);
        k = ward_base64_decode(d1 + 1, (size_t)(d2 - d1 - 1), 1, dec, sizeof dec);
        CHECK(k > 0 && ward_json_has_key((char *)dec, (size_t)k, "sub") &&
              ward_json_has_key((char *)dec, (size_t)k, "iat"));
        CHECK_INT(strlen(d2 + 1), 43);
    }
}

static void test_uuid(void)
{
    for (uint64_t s = 0; s < 50; s++) {
        size_t n = expand("%{uuid}", s);
        CHECK_INT(n, 36);
        for (size_t i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) CHECK(out[i] == '-');
            else CHECK(strchr("0123456789abcdef", out[i]) && out[i]);
        }
        CHECK(out[14] == '4');
        CHECK(strchr("89ab", out[19]) != NULL);
    }
}

static const char *const pem_labels[] = {
    "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PRIVATE KEY",
    "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK", "ENCRYPTED PRIVATE KEY",
};
static const ward_vresult pem_want[] = {
    WARD_V_VALID, WARD_V_VALID, WARD_V_VALID, WARD_V_VALID,
    WARD_V_VALID, WARD_V_VALID, WARD_V_NA,
};
static const char *const pem_reason[] = {
    "PEM body decodes to a DER key", "PEM body decodes to a DER key",
    "PEM body decodes to a DER key", "PEM body decodes to a DER key",
    "OpenSSH key decodes", "PGP key block decodes", "encrypted private key",
};

static void test_pem(void)
{
    char tmpl[96], head[96], tail[96];
    const char *why;
    for (size_t i = 0; i < sizeof pem_labels / sizeof pem_labels[0]; i++) {
        snprintf(tmpl, sizeof tmpl, "%%{pem:%s}", pem_labels[i]);
        snprintf(head, sizeof head, "-----BEGIN %s-----\n", pem_labels[i]);
        snprintf(tail, sizeof tail, "\n-----END %s-----", pem_labels[i]);
        for (uint64_t s = 0; s < 20; s++) {
            size_t n = expand(tmpl, s);
            CHECK(strncmp(out, head, strlen(head)) == 0);
            CHECK(n > strlen(tail) && strcmp(out + n - strlen(tail), tail) == 0);
            ward_vresult r = run_validator("pem-private-key", out, n, &why);
            if (r != pem_want[i]) fprintf(stderr, "%s seed %d: %s\n", pem_labels[i], (int)s, why);
            CHECK_INT(r, pem_want[i]);
            CHECK_STR(why, pem_reason[i]);

            /* Body lines are 64 characters, only the last may be shorter. */
            const char *p = out + strlen(head), *end = out + n - strlen(tail);
            int pgp = i == 5, last_short = 0;
            if (pgp) {
                const char *blank = strstr(p, "\n\n");
                CHECK(blank != NULL);
                if (blank) p = blank + 2;
            }
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t ll = (size_t)((nl ? nl : end) - p);
                if (pgp && p[0] == '=') {
                    CHECK_INT(ll, 5);
                } else {
                    CHECK(!last_short);
                    CHECK(ll >= 1 && ll <= 64);
                    if (ll < 64) last_short = 1;
                }
                p = nl ? nl + 1 : end;
            }
        }
    }
    /* Another label still makes a block, which the validator leaves alone. */
    size_t n = expand("%{pem:CERTIFICATE}", 1);
    CHECK_INT(run_validator("pem-private-key", out, n, &why), WARD_V_NA);
}

static void test_pemjson(void)
{
    char tmpl[96];
    const char *why;
    for (size_t i = 0; i < sizeof pem_labels / sizeof pem_labels[0]; i++) {
        snprintf(tmpl, sizeof tmpl, "%%{pemjson:%s}", pem_labels[i]);
        size_t n = expand(tmpl, 77);
        CHECK(memchr(out, '\n', n) == NULL);
        CHECK(strstr(out, "-----\\n") != NULL);
        CHECK_INT(run_validator("pem-private-key", out, n, &why), pem_want[i]);
        CHECK_STR(why, pem_reason[i]);
    }
    /* A service-account file: the key inside a JSON string value. */
    size_t n = expand("{\"type\":\"service_account\",\"private_key\":\"%{<}%{pemjson:PRIVATE KEY}\\n%{>}\"}", 3);
    CHECK(ward_json_is_object(out, n));
    uint64_t seed = 3;
    size_t len, off, slen;
    CHECK_INT(ward_example_expand("{\"private_key\":\"%{<}%{pemjson:PRIVATE KEY}\\n%{>}\"}",
                                  &seed, out, sizeof out, &len, &off, &slen), WARD_OK);
    CHECK(ward_json_is_object(out, len));
    CHECK_INT(run_validator("pem-private-key", out + off, slen, &why), WARD_V_VALID);
    CHECK_STR(why, "PEM body decodes to a DER key");

    /* The same seed gives the same key in both forms. */
    static char plain[4096];
    n = expand("%{pem:RSA PRIVATE KEY}", 11);
    memcpy(plain, out, n + 1);
    size_t m = expand("%{pemjson:RSA PRIVATE KEY}", 11), j = 0;
    for (size_t i = 0; i < n; i++) {
        if (plain[i] == '\n') { CHECK(j + 1 < m && out[j] == '\\' && out[j + 1] == 'n'); j += 2; }
        else { CHECK(j < m && out[j] == plain[i]); j++; }
    }
    CHECK_INT(j, m);
}


static void test_provider_directives(void)
{
    size_t n = expand("%{bech32:58}", 3);
    CHECK_INT(n, 58);
    for (size_t i = 0; i < n; i++) CHECK(strchr("qpzry9x8gf2tvdw0s3jn54khce6mua7l", out[i]) != NULL);
    n = expand("%{BECH32:10}", 3);
    for (size_t i = 0; i < n; i++) CHECK(strchr("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", out[i]) != NULL);
    n = expand("%{pypi}", 4);
    CHECK(n > 100 && strncmp(out, "pypi-AgEIcHlwaS5vcmc", 20) == 0);
    n = expand("%{glsa}", 4);
    CHECK_INT(n, 46);
    CHECK(strncmp(out, "glsa_", 5) == 0 && out[37] == '_');
    n = expand("%{atlassian:ATATT3xFfGF0}", 4);
    CHECK_INT(n, 192);
    CHECK(strncmp(out, "ATATT3xFfGF0", 12) == 0 && out[183] == '=');
    n = expand("%{gitlabrt:glpat-}", 4);
    CHECK(strncmp(out, "glpat-", 6) == 0 && n > 20 && out[n - 13] == '.' && out[n - 10] == '.');
    CHECK_INT(expand_seed("%{atlassian:}", 1, &n), WARD_EINVAL);
    CHECK_INT(expand_seed("%{gitlabrt:a b}", 1, &n), WARD_EINVAL);
    CHECK_INT(expand_seed("%{pypi:1}", 1, &n), WARD_EINVAL);
}

int main(void)
{
    RUN(test_provider_directives);
    RUN(test_char_classes);
    RUN(test_literal_text);
    RUN(test_determinism);
    RUN(test_markers);
    RUN(test_errors);
    RUN(test_too_big);
    RUN(test_crc62);
    RUN(test_jwt);
    RUN(test_uuid);
    RUN(test_pem);
    RUN(test_pemjson);
    return check_summary();
}
