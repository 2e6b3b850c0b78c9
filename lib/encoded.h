/* encoded.h - secrets inside base64, percent-encoded and JSON-escaped text
 * (encoded.c), and the generic rule's file- and line-aware filters
 * (filter.c).  Private to libward. */
#ifndef WARD_ENCODED_H
#define WARD_ENCODED_H

#include "internal.h"

/* How many layers of encoding a scanner looks through (a base64 blob
 * inside a JSON string is two); 0 turns decoding off. */
#define WARD_DECODE_DEPTH 1
/* Decoded bytes per chunk, at most: the cost is bounded whatever the input. */
#define WARD_DECODE_MAX (256u * 1024u)

typedef struct ward_enc ward_enc;

/* Receives a finding made in decoded text: rule, the encoded spans of the
 * match and of the secret in the chunk, the confidence and reason the
 * nested scan gave it, the decoded secret (valid until the next chunk) and
 * the encoding's name. */
typedef void (*ward_enc_add_fn)(void *ctx, size_t rule, size_t ms, size_t me, size_t ss,
                                size_t se, ward_confidence conf, const char *reason,
                                const char *dsecret, size_t dlen, const char *encoding);

/* Finds candidate encoded runs in the chunk (those starting in
 * [emit_from, emit_to)), decodes them into a scratch buffer and scans that
 * with a nested scanner of depth - 1.  *state is created on first use. */
ward_status ward_enc_scan(ward_enc **state, const ward_engine *e, const ward_chunk *c,
                          int depth, ward_enc_add_fn add, void *ctx);
void ward_enc_free(ward_enc *st);

/* scan.c: a scanner that looks through `depth` layers of encoding; a nested
 * one (nested = 1) does not report path-only rules again. */
void ward_scanner_set_decode(ward_scanner *s, int depth, int nested);

/* The decoders, exposed for tests.  Each writes at most cap bytes and
 * returns how many it wrote, or (size_t)-1 when the input is not of that
 * kind (an invalid base64 character, nothing to unescape). */
size_t ward_b64_decode_any(const char *in, size_t n, unsigned char *out, size_t cap);

/* filter.c: the generic rule's randomness model, 1 when the value reads as
 * a random token rather than words, an identifier, a path or a hash. */
int ward_looks_random(const char *s, size_t len);
/* 1 for files whose generic-looking values are not secrets: lock files,
 * minified bundles and source maps, SVG, test fixtures. */
int ward_generic_path_noise(const char *path);
/* 1 when the secret at [col, col + sl) of a line is in a minified line, a
 * data: URI or an SVG drawing. */
int ward_generic_line_noise(const char *line, size_t ll, size_t col, size_t sl);

#endif
