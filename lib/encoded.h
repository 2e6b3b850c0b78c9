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

/* Finds the candidate encoded runs in chunk c and decodes them, each with
 * its line's context, into one buffer: *dec and *dlen (0 when there is
 * nothing to look at), valid until the next call.  *state is created on
 * first use.  scan.c scans the buffer with a nested scanner. */
ward_status ward_enc_decode(ward_enc **state, const ward_chunk *c, const char **dec,
                            size_t *dlen);

/* Where a finding f made in the decoded buffer stands in chunk c: the
 * spans of its match and secret and the encoding's name.  0 when it is not
 * reported (it straddles two runs, it is a path-only rule, or an escaped
 * string literal only quotes a plain value the normal pass sees). */
typedef struct ward_enc_span {
    size_t ms, me, ss, se;
    const char *encoding;
} ward_enc_span;
int ward_enc_map(const ward_enc *st, const ward_chunk *c, const ward_finding *f,
                 ward_enc_span *out);
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
