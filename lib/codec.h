/* codec.h - encodings and hashes used by validators, fingerprints and
 * example templates.  All functions are pure, allocation-free and safe on any
 * input bytes. */
#ifndef WARD_CODEC_H
#define WARD_CODEC_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()). */
uint32_t ward_crc32(const void *data, size_t len);

/* Base62 with alphabet 0-9A-Za-z.  encode writes exactly width characters
 * (left-padded with '0'; returns -1 if value needs more); decode returns -1 on
 * a bad character or overflow of 64 bits. */
int ward_base62_encode(uint64_t value, char *out, size_t width);
int ward_base62_decode(const char *s, size_t len, uint64_t *out);
/* Both return 0 on success; encode does not NUL-terminate, and decode
 * rejects an empty string. */

/* Base64: standard or URL-safe alphabet, padding optional, no whitespace.
 * Returns the decoded length, or -1 on invalid input or when out (cap bytes)
 * is too small.  Strict: only the chosen alphabet, padding (if any) must
 * complete the last quantum, and unused trailing bits must be zero. */
long ward_base64_decode(const char *s, size_t len, int url, unsigned char *out, size_t cap);
/* Like ward_base64_decode but skips ASCII whitespace (PEM bodies). */
long ward_base64_decode_ws(const char *s, size_t len, unsigned char *out, size_t cap);
/* Encodes; returns the length written (no NUL), or -1 if cap is too small. */
long ward_base64_encode(const unsigned char *in, size_t len, int url, int pad, char *out, size_t cap);

/* SHA-256 (FIPS 180-4). */
typedef struct ward_sha256 { uint32_t h[8]; uint64_t n; unsigned char buf[64]; size_t used; } ward_sha256;
void ward_sha256_init(ward_sha256 *c);
void ward_sha256_update(ward_sha256 *c, const void *data, size_t len);
void ward_sha256_final(ward_sha256 *c, unsigned char out[32]);

/* Shannon entropy in bits per byte of the byte distribution of s. */
double ward_entropy(const char *s, size_t len);

/* 1 when s is a syntactically valid JSON text (RFC 8259) whose top level is
 * an object; bounded nesting (64); never allocates. */
int ward_json_is_object(const char *s, size_t len);
/* 1 when ward_json_is_object(s, len) holds and the top-level object has a
 * member named key (NUL-terminated UTF-8), compared after unescaping, so
 * "\u0061lg" matches "alg".  Nested members are not searched. */
int ward_json_has_key(const char *s, size_t len, const char *key);

#endif
