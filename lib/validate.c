/* validate.c - offline validators: structure inside a token that proves it
 * is a real credential rather than a look-alike.
 *
 * Each validator checks what the issuer built into the format: the CRC32
 * tail of GitHub and npm tokens, the JSON halves of a JWT, the DER or
 * OpenSSH or OpenPGP body of a private-key block, the marker OpenAI embeds.
 * A validator sees only the secret's bytes, reads nothing past len, never
 * allocates and keeps no state, so findings can be validated on any scanner
 * thread.  Decoded bytes go to fixed stack buffers; a secret too large for
 * them gets WARD_V_NA ("can't tell") rather than a guess, since no real
 * token of these kinds comes near the limit.
 */
#include "validate.h"
#include "codec.h"

#include <stdint.h>
#include <string.h>

/* Larger secrets are not examined.  16 KiB covers an 8192-bit RSA key in
 * PEM form twice over while keeping the stack use of one call under 32 KiB. */
#define MAX_SECRET 16384
#define MAX_DECODED (MAX_SECRET / 4 * 3)

static ward_vresult answer(const char **reason, ward_vresult r, const char *why)
{
    if (reason) *reason = why;
    return r;
}

static int is_b62(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Finds needle in [s, s+len); returns its offset or -1. */
static long find(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0) return 0;
    for (size_t i = 0; i + n <= len; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0) return (long)i;
    return -1;
}

/* ---------------------------------------------------- CRC32-tailed tokens */

#define CRC_BODY 30
#define CRC_TAIL 6

/* GitHub's and npm's scheme: PREFIX_ + 30 random base62 characters + the
 * base62 CRC32 of those 30, 6 characters wide.  The prefix itself is left to
 * the rule's regex, which already chose it; what only a validator can add
 * is the checksum, and a prefix-agnostic check also covers token kinds that
 * appear after this was written. */
static ward_vresult crc_tailed(const char *s, size_t len, const char **reason)
{
    size_t us = len;
    for (size_t i = len; i > 0; i--)
        if (s[i - 1] == '_') { us = i - 1; break; }
    if (us == len) return answer(reason, WARD_V_NA, "not a prefixed token");
    const char *body = s + us + 1;
    size_t blen = len - us - 1;
    if (blen != CRC_BODY + CRC_TAIL) return answer(reason, WARD_V_NA, "not a checksummed token");
    for (size_t i = 0; i < blen; i++)
        if (!is_b62((unsigned char)body[i]))
            return answer(reason, WARD_V_NA, "not a checksummed token");
    char want[CRC_TAIL];
    ward_base62_encode(ward_crc32(body, CRC_BODY), want, CRC_TAIL);   /* 62^6 > 2^32 */
    if (memcmp(want, body + CRC_BODY, CRC_TAIL) != 0)
        return answer(reason, WARD_V_INVALID, "checksum mismatch");
    return answer(reason, WARD_V_VALID, "checksum valid");
}

static ward_vresult v_github(const char *s, size_t len, const char **reason)
{
    return crc_tailed(s, len, reason);
}

static ward_vresult v_npm(const char *s, size_t len, const char **reason)
{
    return crc_tailed(s, len, reason);
}

/* --------------------------------------------------------------------- JWT */

/* A JWS in compact form: the header and payload must each be a JSON object,
 * and the header must name its algorithm.  Random base64url text almost never
 * decodes to JSON, so this separates tokens from look-alike identifiers. */
static ward_vresult v_jwt(const char *s, size_t len, const char **reason)
{
    unsigned char buf[MAX_DECODED];
    size_t dot[2], ndots = 0;
    if (len > MAX_SECRET) return answer(reason, WARD_V_NA, "too long to check");
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '.') continue;
        if (ndots == 2) return answer(reason, WARD_V_INVALID, "not a decodable JWT");
        dot[ndots++] = i;
    }
    if (ndots != 2 || dot[0] == 0 || dot[1] == dot[0] + 1)
        return answer(reason, WARD_V_INVALID, "not a decodable JWT");

    long n = ward_base64_decode(s, dot[0], 1, buf, sizeof buf);
    if (n < 0 || !ward_json_has_key((const char *)buf, (size_t)n, "alg"))
        return answer(reason, WARD_V_INVALID, "not a decodable JWT");
    n = ward_base64_decode(s + dot[0] + 1, dot[1] - dot[0] - 1, 1, buf, sizeof buf);
    if (n < 0 || !ward_json_is_object((const char *)buf, (size_t)n))
        return answer(reason, WARD_V_INVALID, "not a decodable JWT");
    /* The signature is opaque, but it must still be base64url; it may be
     * empty for an unsecured ("alg":"none") token. */
    n = ward_base64_decode(s + dot[1] + 1, len - dot[1] - 1, 1, buf, sizeof buf);
    if (n < 0) return answer(reason, WARD_V_INVALID, "not a decodable JWT");
    return answer(reason, WARD_V_VALID, "header and payload decode to JSON");
}

/* --------------------------------------------------------- PEM private keys */

enum pem_kind { PEM_DER, PEM_ENCRYPTED, PEM_OPENSSH, PEM_PGP, PEM_OTHER };

static enum pem_kind pem_classify(const char *label, size_t n)
{
    static const struct { const char *label; enum pem_kind kind; } known[] = {
        { "RSA PRIVATE KEY", PEM_DER },
        { "EC PRIVATE KEY", PEM_DER },
        { "DSA PRIVATE KEY", PEM_DER },
        { "PRIVATE KEY", PEM_DER },
        { "ENCRYPTED PRIVATE KEY", PEM_ENCRYPTED },
        { "OPENSSH PRIVATE KEY", PEM_OPENSSH },
        { "PGP PRIVATE KEY BLOCK", PEM_PGP },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i].label) == n && memcmp(known[i].label, label, n) == 0)
            return known[i].kind;
    return PEM_OTHER;
}

/* Copies s into out undoing the escapes a PEM block picks up when it is
 * stored inside a JSON or similar string: \n and \r become line breaks, \t a
 * tab, \/ a slash (some encoders escape it; it occurs in base64).  A PEM
 * block has no backslashes of its own, so this cannot damage one. */
static size_t pem_unescape(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < len) {
            char e = s[i + 1];
            if (e == 'n' || e == 'r' || e == 't' || e == '/') {
                out[o++] = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : '/';
                i++;
                continue;
            }
        }
        out[o++] = c;
    }
    return o;
}

static int is_hspace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

/* The next line of t[*pos, n): sets [*ls, *le) to it without the break and
 * without surrounding blanks (keys are often indented in YAML or code);
 * *indented tells whether it began with a blank (an RFC 1421 header
 * continuation).  Returns 0 at the end of the text. */
static int next_line(const char *t, size_t n, size_t *pos, size_t *ls, size_t *le, int *indented)
{
    if (*pos >= n) return 0;
    size_t a = *pos, b = a;
    while (b < n && t[b] != '\n') b++;
    *pos = b < n ? b + 1 : n;
    *indented = a < b && (t[a] == ' ' || t[a] == '\t');
    while (a < b && is_hspace(t[a])) a++;
    while (b > a && is_hspace(t[b - 1])) b--;
    *ls = a;
    *le = b;
    return 1;
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

/* Reads a DER length at d[*i]; definite forms up to 4 length bytes. */
static int der_len(const unsigned char *d, size_t n, size_t *i, size_t *out)
{
    if (*i >= n) return 0;
    unsigned char b = d[(*i)++];
    if (b < 0x80) { *out = b; return 1; }
    size_t k = b & 0x7Fu;
    if (k == 0 || k > 4 || n - *i < k) return 0;   /* 0x80 is BER's indefinite form */
    size_t v = 0;
    for (size_t j = 0; j < k; j++) v = v << 8 | d[(*i)++];
    *out = v;
    return 1;
}

/* PKCS#1, SEC 1, DSA and PKCS#8 keys all are a SEQUENCE spanning the whole
 * body that opens with an INTEGER (a version or, for DSA, zero). */
static int der_key_shape(const unsigned char *d, size_t n)
{
    size_t i = 0, seq, ilen;
    if (n < 2 || d[i++] != 0x30) return 0;
    if (!der_len(d, n, &i, &seq) || seq != n - i) return 0;
    if (i >= n || d[i++] != 0x02) return 0;
    if (!der_len(d, n, &i, &ilen) || ilen == 0 || ilen > n - i) return 0;
    return 1;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* openssh-key-v1: magic, then the cipher name as an SSH string.  "none"
 * means the private half is in the clear. */
static ward_vresult openssh_check(const unsigned char *d, size_t n, const char **reason)
{
    static const char magic[] = "openssh-key-v1";   /* sizeof includes the NUL the format has */
    if (n < sizeof magic + 4 || memcmp(d, magic, sizeof magic) != 0)
        return answer(reason, WARD_V_INVALID, "PEM body does not decode");
    uint32_t clen = be32(d + sizeof magic);
    size_t at = sizeof magic + 4;
    if (clen > n - at) return answer(reason, WARD_V_INVALID, "PEM body does not decode");
    if (clen == 4 && memcmp(d + at, "none", 4) == 0)
        return answer(reason, WARD_V_VALID, "OpenSSH key decodes");
    return answer(reason, WARD_V_NA, "encrypted private key");
}

/* CRC-24 of RFC 4880 section 6.1, bit by bit: armor bodies are small and
 * this runs once per finding, so a table would buy nothing. */
static uint32_t crc24(const unsigned char *d, size_t n)
{
    uint32_t crc = 0xB704CEu;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint32_t)d[i] << 16;
        for (int b = 0; b < 8; b++) {
            crc <<= 1;
            if (crc & 0x1000000u) crc ^= 0x1864CFBu;
        }
    }
    return crc & 0xFFFFFFu;
}

/* The whole block: BEGIN line, optional headers (RFC 1421 Proc-Type and
 * DEK-Info, or OpenPGP armor headers) ended by a blank line, a base64 body,
 * for OpenPGP an optional "=XXXX" CRC-24 line, and a matching END line.
 * The body is taken as blank-separated pieces rather than strict lines so a
 * block whose newlines were flattened to spaces (an environment variable, a
 * log line) is still recognised. */
static ward_vresult v_pem(const char *s, size_t len, const char **reason)
{
    char text[MAX_SECRET];
    unsigned char der[MAX_DECODED];
    if (len > MAX_SECRET) return answer(reason, WARD_V_NA, "too long to check");
    text[0] = '\0';   /* only to quiet a may-be-uninitialised warning for len 0 */
    size_t n = pem_unescape(s, len, text);

    long at = find(text, n, "-----BEGIN ");
    if (at < 0) return answer(reason, WARD_V_NA, "not a PEM block");
    size_t label_at = (size_t)at + 11, eol = label_at;
    while (eol < n && text[eol] != '\n') eol++;
    long dashes = find(text + label_at, eol - label_at, "-----");
    if (dashes < 0) return answer(reason, WARD_V_INVALID, "PEM block is truncated");
    const char *label = text + label_at;
    size_t label_len = (size_t)dashes;
    enum pem_kind kind = pem_classify(label, label_len);
    if (kind == PEM_OTHER) return answer(reason, WARD_V_NA, "not a private key label");

    size_t region = label_at + label_len + 5;
    long end_rel = find(text + region, n - region, "-----END ");
    if (end_rel < 0) return answer(reason, WARD_V_INVALID, "PEM block is truncated");
    size_t end_at = region + (size_t)end_rel, after = end_at + 9;
    if (n - after < label_len + 5 || memcmp(text + after, label, label_len) != 0 ||
        memcmp(text + after + label_len, "-----", 5) != 0)
        return answer(reason, WARD_V_INVALID, "PEM END line does not match");

    /* The body is compacted in place at the start of its region: the write
     * index never passes the piece being read, since only blanks and line
     * breaks are dropped, and the END line (which label points before) is
     * never written over. */
    enum { LEAD, HEADERS, BODY } phase = LEAD;
    size_t pos = region, w = region, ls, le;
    int indented, encrypted = 0, have_crc = 0;
    char crc_text[4];
    while (next_line(text, end_at, &pos, &ls, &le, &indented)) {
        const char *l = text + ls;
        size_t ll = le - ls;
        if (phase == LEAD) {
            if (ll == 0) continue;
            phase = memchr(l, ':', ll) ? HEADERS : BODY;
        }
        if (phase == HEADERS) {
            if (ll == 0) { phase = BODY; continue; }
            if (!indented && starts_with(l, ll, "Proc-Type:") && find(l, ll, "ENCRYPTED") >= 0)
                encrypted = 1;
            continue;
        }
        for (size_t i = 0; i < ll;) {
            while (i < ll && is_hspace(l[i])) i++;
            size_t j = i;
            while (j < ll && !is_hspace(l[j])) j++;
            if (j == i) break;
            if (have_crc) return answer(reason, WARD_V_INVALID, "PEM body does not decode");
            if (kind == PEM_PGP && j - i == 5 && l[i] == '=') {
                memcpy(crc_text, l + i + 1, 4);
                have_crc = 1;
            } else {
                memmove(text + w, l + i, j - i);
                w += j - i;
            }
            i = j;
        }
    }
    if (encrypted || kind == PEM_ENCRYPTED) return answer(reason, WARD_V_NA, "encrypted private key");

    long dn = ward_base64_decode(text + region, w - region, 0, der, sizeof der);
    if (dn <= 0) return answer(reason, WARD_V_INVALID, "PEM body does not decode");
    size_t dl = (size_t)dn;

    switch (kind) {
    case PEM_DER:
        if (!der_key_shape(der, dl)) return answer(reason, WARD_V_INVALID, "PEM body does not decode");
        return answer(reason, WARD_V_VALID, "PEM body decodes to a DER key");
    case PEM_OPENSSH:
        return openssh_check(der, dl, reason);
    case PEM_PGP:
        if (have_crc) {
            unsigned char c[3];
            if (ward_base64_decode(crc_text, 4, 0, c, sizeof c) != 3)
                return answer(reason, WARD_V_INVALID, "PEM body does not decode");
            if (((uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | c[2]) != crc24(der, dl))
                return answer(reason, WARD_V_INVALID, "PGP armor checksum mismatch");
        }
        return answer(reason, WARD_V_VALID, "PGP key block decodes");
    default:
        return answer(reason, WARD_V_NA, "not a private key label");
    }
}

/* ------------------------------------------------------------------ OpenAI */

/* "T3BlbkFJ" is base64 for "OpenAI"; OpenAI embeds it in its keys, and other
 * sk- keys that match the same broad regex do not carry it. */
static ward_vresult v_openai(const char *s, size_t len, const char **reason)
{
    if (find(s, len, "T3BlbkFJ") >= 0)
        return answer(reason, WARD_V_VALID, "carries the T3BlbkFJ marker");
    return answer(reason, WARD_V_NA, "no T3BlbkFJ marker");
}


/* ----------------------------------------------------- GitLab routable */

static int b36_val(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    return -1;
}

/* GitLab's routable tokens (gitlab-org/gitlab lib/authn/token_field/
 * generator/routable_token.rb): PREFIX + base64url(16 random bytes, the
 * routing payload "k:v\n...", one byte of its length) + "." + a 2-character
 * base36 version + "." + the base64 part's length in 2 base36 characters +
 * the CRC32 of everything before it in 7 base36 characters, zero-padded.
 * Earlier tokens had no version segment.  Tokens without the 9-character
 * tail are the older random kind, which carry nothing to check. */
static ward_vresult v_gitlab_routable(const char *s, size_t len, const char **reason)
{
    size_t dot = len;
    for (size_t i = len; i > 0; i--)
        if (s[i - 1] == '.') { dot = i - 1; break; }
    if (dot == len || len - dot - 1 != 9) return answer(reason, WARD_V_NA, "not a routable token");
    const char *tail = s + dot + 1;
    uint64_t plen = 0, crc = 0;
    for (size_t i = 0; i < 9; i++) {
        int v = b36_val((unsigned char)tail[i]);
        if (v < 0) return answer(reason, WARD_V_NA, "not a routable token");
        if (i < 2) plen = plen * 36 + (uint64_t)v;
        else crc = crc * 36 + (uint64_t)v;
    }
    size_t pend = dot;   /* where the base64 part ends */
    if (dot >= 3 && s[dot - 3] == '.' && b36_val((unsigned char)s[dot - 2]) >= 0 &&
        b36_val((unsigned char)s[dot - 1]) >= 0)
        pend = dot - 3;
    if (plen == 0 || plen > pend) return answer(reason, WARD_V_INVALID, "payload length mismatch");
    for (size_t i = pend - (size_t)plen; i < pend; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_b62(c) && c != '-' && c != '_')
            return answer(reason, WARD_V_INVALID, "payload length mismatch");
    }
    if (ward_crc32(s, len - 7) != crc) return answer(reason, WARD_V_INVALID, "checksum mismatch");
    return answer(reason, WARD_V_VALID, "checksum valid");
}

/* ------------------------------------------------ Grafana service tokens */

static int hex_val(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* grafana/grafana pkg/components/satokengen: "gl" + service id + "_" + 32
 * random characters, then "_" and the hex of the IEEE CRC32 of everything
 * before that underscore, its four bytes written little-endian first. */
static ward_vresult v_grafana_sa(const char *s, size_t len, const char **reason)
{
    if (len < 12 || s[0] != 'g' || s[1] != 'l' || s[len - 9] != '_')
        return answer(reason, WARD_V_NA, "not a checksummed token");
    uint32_t want = 0;
    for (size_t i = 0; i < 4; i++) {
        int hi = hex_val((unsigned char)s[len - 8 + 2 * i]), lo = hex_val((unsigned char)s[len - 7 + 2 * i]);
        if (hi < 0 || lo < 0 || (s[len - 8 + 2 * i] >= 'A' && s[len - 8 + 2 * i] <= 'F') ||
            (s[len - 7 + 2 * i] >= 'A' && s[len - 7 + 2 * i] <= 'F'))
            return answer(reason, WARD_V_NA, "not a checksummed token");
        want |= (uint32_t)(hi << 4 | lo) << (8 * i);
    }
    if (ward_crc32(s, len - 9) != want) return answer(reason, WARD_V_INVALID, "checksum mismatch");
    return answer(reason, WARD_V_VALID, "checksum valid");
}

/* --------------------------------------------------------------- Atlassian */

/* Atlassian API and access tokens (ATATT3..., ATCTT3...) end in "=" and 8
 * hex digits, the big-endian CRC32 of everything before the digits.
 * Atlassian does not document this (the scheme is as scanners that check it
 * describe it), so a mismatch proves nothing and leaves the rule's own
 * confidence: only a match, which chance gives 1 in 2^32, counts. */
static ward_vresult v_atlassian(const char *s, size_t len, const char **reason)
{
    if (len < 20 || s[len - 9] != '=') return answer(reason, WARD_V_NA, "not a checksummed token");
    uint32_t want = 0;
    for (size_t i = len - 8; i < len; i++) {
        int v = hex_val((unsigned char)s[i]);
        if (v < 0) return answer(reason, WARD_V_NA, "not a checksummed token");
        want = want << 4 | (uint32_t)v;
    }
    if (ward_crc32(s, len - 8) != want) return answer(reason, WARD_V_NA, "checksum not confirmed");
    return answer(reason, WARD_V_VALID, "checksum valid");
}

/* -------------------------------------------------------------------- PyPI */

/* One field of a version 2 binary macaroon (libmacaroons' format, which
 * pymacaroons and so PyPI write): a varint type, and for types other than
 * 0 (end of section) a varint length and that many bytes. */
static int mac_field(const unsigned char *d, size_t n, size_t *i, unsigned *type,
                     const unsigned char **val, size_t *vlen)
{
    uint64_t v[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        if (k == 1 && v[0] == 0) break;
        int shift = 0;
        for (;;) {
            if (*i >= n || shift > 28) return 0;
            unsigned char b = d[(*i)++];
            v[k] |= (uint64_t)(b & 0x7F) << shift;
            shift += 7;
            if (!(b & 0x80)) break;
        }
    }
    *type = (unsigned)v[0];
    *vlen = 0;
    *val = NULL;
    if (v[0] == 0) return 1;
    if (v[1] > n - *i) return 0;
    *val = d + *i;
    *vlen = (size_t)v[1];
    *i += (size_t)v[1];
    return 1;
}

/* PyPI API tokens (warehouse, "pypi-" + base64url of a serialised
 * macaroon, docs pypi.org/help/#apitoken): the macaroon must be version 2,
 * located at pypi.org (or test.pypi.org), have an identifier, well-formed
 * caveat sections, and end in a 32-byte signature. */
static ward_vresult v_pypi(const char *s, size_t len, const char **reason)
{
    unsigned char d[MAX_DECODED];
    if (len > MAX_SECRET) return answer(reason, WARD_V_NA, "too long to check");
    if (len < 6 || memcmp(s, "pypi-", 5) != 0) return answer(reason, WARD_V_NA, "not a PyPI token");
    size_t bl = len - 5;
    while (bl > 0 && s[5 + bl - 1] == '=') bl--;
    long n = ward_base64_decode(s + 5, bl, 1, d, sizeof d);
    if (n < 2 || d[0] != 2) return answer(reason, WARD_V_INVALID, "not a decodable macaroon");
    size_t i = 1, vl;
    unsigned t;
    const unsigned char *v;
    if (!mac_field(d, (size_t)n, &i, &t, &v, &vl) || t != 1 ||
        !((vl == 8 && memcmp(v, "pypi.org", 8) == 0) || (vl == 13 && memcmp(v, "test.pypi.org", 13) == 0)))
        return answer(reason, WARD_V_INVALID, "macaroon not located at pypi.org");
    if (!mac_field(d, (size_t)n, &i, &t, &v, &vl) || t != 2 || vl == 0 ||
        !mac_field(d, (size_t)n, &i, &t, &v, &vl) || t != 0)
        return answer(reason, WARD_V_INVALID, "not a decodable macaroon");
    /* Caveat sections, each ended by an end-of-section; an empty one ends them. */
    for (int sections = 0;; sections++) {
        int fields = 0;
        for (;;) {
            if (!mac_field(d, (size_t)n, &i, &t, &v, &vl) || t > 4 || sections > 1000)
                return answer(reason, WARD_V_INVALID, "not a decodable macaroon");
            if (t == 0) break;
            fields++;
        }
        if (!fields) break;
    }
    if (!mac_field(d, (size_t)n, &i, &t, &v, &vl) || t != 6 || vl != 32 || i != (size_t)n)
        return answer(reason, WARD_V_INVALID, "not a decodable macaroon");
    return answer(reason, WARD_V_VALID, "macaroon for pypi.org decodes");
}

/* --------------------------------------------------------- AWS account id */

/* An access key ID after its 4-character prefix is base32; the first six
 * decoded bytes, masked with 0x7FFFFFFFFF80 and shifted right by 7, are
 * the owning account's ID (Tal Be'ery, "A short note on AWS KEY ID", 2023,
 * and AWS's sts get-access-key-info, which reports that account).  A value
 * of 12 decimal digits or fewer is an account ID; anything else, as older
 * key IDs give, means the ID encodes none and proves nothing. */
static ward_vresult v_aws_account(const char *s, size_t len, const char **reason)
{
    if (len != 20) return answer(reason, WARD_V_NA, "not an access key ID");
    uint64_t bits = 0;
    int nbits = 0;
    unsigned char b[10];
    size_t nb = 0;
    for (size_t i = 4; i < 20; i++) {
        char c = s[i];
        int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
        if (v < 0) return answer(reason, WARD_V_INVALID, "not base32");
        bits = bits << 5 | (uint64_t)v;
        nbits += 5;
        if (nbits >= 8) {
            nbits -= 8;
            b[nb++] = (unsigned char)(bits >> nbits);
            bits &= ((uint64_t)1 << nbits) - 1;
        }
    }
    uint64_t z = 0;
    for (int i = 0; i < 6; i++) z = z << 8 | b[i];
    uint64_t account = (z & 0x7FFFFFFFFF80ull) >> 7;
    if (account == 0 || account > 999999999999ull)
        return answer(reason, WARD_V_NA, "key ID encodes no account ID");
    return answer(reason, WARD_V_VALID, "key ID decodes to an account ID");
}

/* ------------------------------------------------------------------- table */

static const ward_validator validators[] = {
    { "github-crc32", v_github },
    { "npm-crc32", v_npm },
    { "jwt", v_jwt },
    { "pem-private-key", v_pem },
    { "openai", v_openai },
    { "gitlab-routable", v_gitlab_routable },
    { "grafana-sa-crc32", v_grafana_sa },
    { "atlassian-crc32", v_atlassian },
    { "pypi-macaroon", v_pypi },
    { "aws-account-id", v_aws_account },
};

const ward_validator *ward_validator_find(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < sizeof validators / sizeof validators[0]; i++)
        if (strcmp(validators[i].name, name) == 0) return &validators[i];
    return NULL;
}

const ward_validator *ward_validators(size_t *n)
{
    if (n) *n = sizeof validators / sizeof validators[0];
    return validators;
}
