/* encoded.c - secrets inside base64, percent-encoded and JSON-escaped text.
 *
 * Cost is bounded by looking only at candidate runs, found without a full
 * pass over the bytes:
 *  - base64 (standard or URL-safe): a run of at least 24 alphabet
 *    characters contains one of every 24th byte, so only those bytes are
 *    probed and a hit is widened to its run; the run is decoded only while
 *    the result stays mostly printable text;
 *  - percent-encoding: memchr for '%', then a run of URL characters with at
 *    least two %XX escapes;
 *  - string escapes (\" \/ \\ \uXXXX \n \t \r): memchr for '\\', then its
 *    line, unescaped.
 * Each candidate becomes a segment of one scratch buffer: the line's text
 * before the run, the decoded run, the line's text after it (so that a name
 * such as `password:` still stands before a decoded value), each byte
 * mapped to the span of the original that produced it.  All segments of a
 * chunk (at most WARD_DECODE_MAX bytes) are scanned by scan.c in one nested
 * pass of the same engine; ward_enc_map takes each finding back to its
 * encoded span, and scan.c leaves a secret that reads the same in the
 * original to the normal pass.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "encoded.h"

#define B64_MIN 24u           /* shortest base64 run worth decoding */
#define RUN_MAX (64u * 1024u) /* longest run decoded */
#define CTX_MAX 256u          /* line context kept on each side of a run */
#define LINE_MAX_ESC 8192u    /* longest stretch of a line unescaped */

typedef struct seg {
    size_t off, len;          /* in dec */
    const char *encoding;
} seg;

struct ward_enc {
    char *dec;                /* decoded segments, '\n' between them */
    uint32_t *jpos;           /* a wrapped run's characters, by position */
    uint32_t *src_s, *src_e;  /* per decoded byte: its span in the chunk */
    size_t n, cap;
    seg *segs;
    size_t n_seg, cap_seg;
    const ward_chunk *c;      /* the chunk being decoded */
};

/* 0: not base64; else value + 1.  Both alphabets: + / and - _.  Constant
 * data, so scanner threads share it without any initialisation. */
static const unsigned char b64v[256] = {
    ['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7, ['H'] = 8,
    ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15,
    ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
    ['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29,
    ['d'] = 30, ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
    ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42, ['q'] = 43,
    ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49, ['x'] = 50,
    ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
    ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['-'] = 63,
    ['/'] = 64, ['_'] = 64
};

size_t ward_b64_decode_any(const char *in, size_t n, unsigned char *out, size_t cap)
{
    while (n && in[n - 1] == '=')
        n--;
    uint32_t acc = 0;
    int bits = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = b64v[(unsigned char)in[i]];
        if (!v)
            return (size_t)-1;
        acc = (acc << 6) | (v - 1);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (k >= cap)
                return k;
            out[k++] = (unsigned char)(acc >> bits);
        }
    }
    return k;
}

static int printable(unsigned char c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t' || c == '\r';
}

static int reserve(ward_enc *st, size_t more)
{
    size_t need = st->n + more;
    if (need > WARD_DECODE_MAX)
        return -1;
    if (need <= st->cap)
        return 0;
    size_t nc = st->cap ? st->cap * 2 : 16384;
    while (nc < need)
        nc *= 2;
    if (nc > WARD_DECODE_MAX)
        nc = WARD_DECODE_MAX;
    char *d = realloc(st->dec, nc);
    if (d)
        st->dec = d;
    uint32_t *a = realloc(st->src_s, nc * sizeof *a);
    if (a)
        st->src_s = a;
    uint32_t *b = realloc(st->src_e, nc * sizeof *b);
    if (b)
        st->src_e = b;
    if (!d || !a || !b)
        return -1;
    st->cap = nc;
    return 0;
}

static void put(ward_enc *st, char ch, size_t s, size_t e)
{
    st->dec[st->n] = ch;
    st->src_s[st->n] = (uint32_t)s;
    st->src_e[st->n] = (uint32_t)e;
    st->n++;
}

/* Copies original bytes [a, b) 1:1. */
static void put_plain(ward_enc *st, const char *buf, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        put(st, buf[i], i, i + 1);
}

static void open_seg(ward_enc *st, const char *encoding)
{
    if (st->n_seg == st->cap_seg) {
        size_t nc = st->cap_seg ? st->cap_seg * 2 : 64;
        seg *p = realloc(st->segs, nc * sizeof *p);
        if (!p)
            return;
        st->segs = p;
        st->cap_seg = nc;
    }
    st->segs[st->n_seg++] = (seg){st->n, 0, encoding};
}

static void close_seg(ward_enc *st)
{
    seg *g = &st->segs[st->n_seg - 1];
    g->len = st->n - g->off;
    put(st, '\n', st->src_e[st->n - 1], st->src_e[st->n - 1]);
}

/* Line context before [a, b) and after it, capped. */
static void context(const ward_chunk *c, size_t a, size_t b, size_t *pa, size_t *pb)
{
    size_t ls = line_start(c->buf, a, a > CTX_MAX ? a - CTX_MAX : 0);
    *pa = ls;
    *pb = line_end(c->buf, c->len, b, CTX_MAX);
}

/* n base64 characters: at chunk positions pos[0..n), or from a on when pos
 * is NULL; the text around them is the line before a and after end.
 * Decoded when it reads as text. */
static void decode_b64(ward_enc *st, const uint32_t *pos, size_t a, size_t n, size_t end)
{
    const char *buf = st->c->buf;
#define AT(k) ((size_t)(pos ? pos[k] : a + (k)))
    while (n && buf[AT(n - 1)] == '=')
        n--;
    if (n < B64_MIN)
        return;
    if (n > RUN_MAX) {
        n = RUN_MAX;
        end = AT(n - 1) + 1;
    }
    /* Printable ASCII puts the first character of every 4 in I-Z or a-f
     * (tab, newline and carriage return in C-D): a cheap test before any
     * decoding, which most identifiers and paths fail. */
    for (size_t k = 0, bad = 0; k < 8 && 4 * k < n; k++) {
        unsigned v = b64v[(unsigned char)buf[AT(4 * k)]] - 1u;
        if (!((v >= 8 && v <= 31) || v == 2 || v == 3) && ++bad > 1)
            return;
    }
    /* Decode into a small buffer first; give up at the first sign of
     * binary (an image, random bytes, an identifier read as base64). */
    unsigned char tmp[RUN_MAX / 4 * 3 + 4];
    size_t dn = 0, bad = 0;
    int std = 0, url = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char ch0 = (unsigned char)buf[AT(k)];
        /* One alphabet only: a path mixes '/' with '-' or '_'. */
        std |= ch0 == '+' || ch0 == '/';
        url |= ch0 == '-' || ch0 == '_';
        acc = (acc << 6) | (unsigned)(b64v[ch0] - 1);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            unsigned char ch = (unsigned char)(acc >> bits);
            tmp[dn++] = ch;
            if (!printable(ch) && ++bad * 20 > dn + 2)
                return; /* more than 5% non-text */
        }
    }
    if (dn < 16 || (std && url))
        return;
    size_t pa, pb;
    context(st->c, a, end, &pa, &pb);
    if (reserve(st, (a - pa) + dn + (pb - end) + 1))
        return;
    open_seg(st, "base64");
    put_plain(st, buf, pa, a);
    for (size_t i = 0; i < dn; i++) {
        size_t g = i / 3 * 4; /* the last group takes the padding with it */
        put(st, (char)tmp[i], AT(g), g + 4 < n ? AT(g + 3) + 1 : end);
    }
    put_plain(st, buf, end, pb);
    close_seg(st);
#undef AT
}

/* A base64 run [a, b) (padding included). */
static void try_base64(ward_enc *st, size_t a, size_t b)
{
    decode_b64(st, NULL, a, b - a, b);
}

/* Tools such as base64(1) and MIME wrap long base64 at 76 or 64 columns, so
 * a secret can straddle lines.  A run of w characters (a multiple of 4, at
 * least 40) that ends its line, followed by lines (indented alike or not)
 * holding runs of exactly w and a last one of at most w, is decoded as one.
 * Returns the end of the last line used, or 0 when [a, b) is not wrapped. */
static size_t try_wrapped(ward_enc *st, size_t a, size_t b)
{
    const unsigned char *buf = (const unsigned char *)st->c->buf;
    size_t len = st->c->len, w = b - a;
    if (w % 4 || w < 40 || b >= len || (buf[b] != '\n' && buf[b] != '\r'))
        return 0;
    if (!st->jpos && !(st->jpos = malloc(RUN_MAX * sizeof *st->jpos)))
        return 0;
    size_t n = 0, end = b, lines = 1;
    for (size_t k = a; k < b; k++)
        st->jpos[n++] = (uint32_t)k;
    for (;;) {
        size_t p = end;
        if (p < len && buf[p] == '\r')
            p++;
        if (p >= len || buf[p] != '\n')
            break;
        p++;
        size_t ind = 0;
        while (p + ind < len && ind < 32 && (buf[p + ind] == ' ' || buf[p + ind] == '\t'))
            ind++;
        size_t s0 = p + ind, e0 = s0;
        while (e0 < len && e0 - s0 <= w && b64v[buf[e0]])
            e0++;
        size_t pad = e0;
        while (pad < len && pad - e0 < 2 && buf[pad] == '=')
            pad++;
        size_t rl = pad - s0;
        if (!rl || rl > w || n + rl > RUN_MAX ||
            (pad < len && buf[pad] != '\n' && buf[pad] != '\r'))
            break;
        for (size_t k = s0; k < pad; k++)
            st->jpos[n++] = (uint32_t)k;
        end = pad;
        lines++;
        if (rl < w || pad > e0)
            break; /* a short or padded line ends the block */
    }
    if (lines < 2)
        return 0;
    decode_b64(st, st->jpos, a, n, end);
    return end;
}

/* Bit i set when p[i] is in either base64 alphabet, for 64 bytes. */
static uint64_t b64_mask64(const unsigned char *p)
{
#ifdef __SSE2__
    uint64_t m = 0;
    const __m128i bias_u = _mm_set1_epi8((char)(0x80 - 'A')), bias_l = _mm_set1_epi8((char)(0x80 - 'a')),
                  bias_d = _mm_set1_epi8((char)(0x80 - '0')), lim26 = _mm_set1_epi8((char)(-128 + 26)),
                  lim10 = _mm_set1_epi8((char)(-128 + 10)), plus = _mm_set1_epi8('+'),
                  slash = _mm_set1_epi8('/'), dash = _mm_set1_epi8('-'), us = _mm_set1_epi8('_');
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i r = _mm_cmplt_epi8(_mm_add_epi8(v, bias_u), lim26);
        r = _mm_or_si128(r, _mm_cmplt_epi8(_mm_add_epi8(v, bias_l), lim26));
        r = _mm_or_si128(r, _mm_cmplt_epi8(_mm_add_epi8(v, bias_d), lim10));
        r = _mm_or_si128(r, _mm_or_si128(_mm_cmpeq_epi8(v, plus), _mm_cmpeq_epi8(v, slash)));
        r = _mm_or_si128(r, _mm_or_si128(_mm_cmpeq_epi8(v, dash), _mm_cmpeq_epi8(v, us)));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(r) << (16 * k);
    }
    return m;
#else
    uint64_t m = 0;
    for (int i = 0; i < 64; i++)
        m |= (uint64_t)(b64v[p[i]] != 0) << i;
    return m;
#endif
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
/* Class bits by high nibble (2..7) and by low nibble: a byte is in the
 * alphabet when the two share a bit (the usual two-table pshufb test). */
#define LO_TAB 0x2a, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3c, 0x15, 0x14, \
               0x15, 0x14, 0x1d
#define HI_TAB 0, 0, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0, 0, 0, 0, 0, 0, 0, 0
__attribute__((target("avx2"))) static void b64_masks_avx2(const unsigned char *p, size_t nb,
                                                           uint64_t *out)
{
    const __m256i lo = _mm256_setr_epi8(LO_TAB, LO_TAB), hi = _mm256_setr_epi8(HI_TAB, HI_TAB),
                  nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
    for (size_t b = 0; b < nb; b++) {
        uint64_t m = 0;
        for (int k = 0; k < 2; k++) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(p + 64 * b + 32 * k));
            __m256i l = _mm256_shuffle_epi8(lo, _mm256_and_si256(v, nib));
            __m256i h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib));
            __m256i r = _mm256_cmpeq_epi8(_mm256_and_si256(l, h), zero);
            m |= (uint64_t)(uint32_t)~_mm256_movemask_epi8(r) << (32 * k);
        }
        out[b] = m;
    }
}
/* Decided once for the process: threads only read it afterwards. */
static int use_avx2;
static pthread_once_t avx2_once = PTHREAD_ONCE_INIT;
static void avx2_probe(void)
{
    use_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
}
#endif

static uint64_t b64_mask_at(const unsigned char *buf, size_t len, size_t i)
{
    if (i + 64 <= len)
        return b64_mask64(buf + i);
    uint64_t w = 0;
    for (size_t k = 0; i + k < len; k++)
        w |= (uint64_t)(b64v[buf[i + k]] != 0) << k;
    return w;
}

/* The end of the run through pos - 1: the first byte at or after pos
 * outside the alphabet (or len, or lim). */
static size_t run_end(const unsigned char *buf, size_t len, size_t pos, size_t lim)
{
    while (pos < len && pos < lim) {
        uint64_t inv = ~b64_mask_at(buf, len, pos);
        if (inv)
            return pos + (size_t)__builtin_ctzll(inv);
        pos += 64;
    }
    return pos < len ? pos : len;
}

/* The start of the run through pos, not below floor. */
static size_t run_start(const unsigned char *buf, size_t pos, size_t floor)
{
    while (pos >= floor + 64) {
        uint64_t inv = ~b64_mask_at(buf, pos, pos - 64);
        if (inv)
            return pos - 64 + 64 - (size_t)__builtin_clzll(inv);
        pos -= 64;
    }
    while (pos > floor && b64v[buf[pos - 1]])
        pos--;
    return pos;
}

/* Masks of nb whole 64-byte blocks. */
static void b64_masks(const unsigned char *p, size_t nb, uint64_t *out)
{
#ifdef HAVE_AVX2_PATH
    if (use_avx2) {
        b64_masks_avx2(p, nb, out);
        return;
    }
#endif
    for (size_t b = 0; b < nb; b++)
        out[b] = b64_mask64(p + 64 * b);
}

/* Runs of at least B64_MIN alphabet characters starting in [emit_from,
 * emit_to), found 64 bytes at a time from bit masks: a run of 24 shows as
 * a bit that survives AND-ing the mask with itself shifted 1..23 places
 * (the block before included, for runs that cross), so a block without one
 * costs a few instructions, whatever it holds. */
static void scan_base64(ward_enc *st)
{
    const ward_chunk *c = st->c;
    const unsigned char *buf = (const unsigned char *)c->buf;
    size_t len = c->len, from = c->emit_from, to = c->emit_to;
    uint64_t prev = 0;
    size_t minpos = from;
    uint64_t masks[64];
    size_t batch = 0, nbat = 0; /* masks[k] is the block at batch + 64 k */
    for (size_t i = from; i < len && i < to + RUN_MAX; i += 64) {
        if (i < batch || i >= batch + 64 * nbat) {
            batch = i;
            nbat = (len - i) / 64 < 64 ? (len - i) / 64 : 64;
            b64_masks(buf + i, nbat, masks);
        }
        uint64_t w = i + 64 <= len ? masks[(i - batch) / 64] : b64_mask_at(buf, len, i);
        unsigned __int128 y = (unsigned __int128)w << 64 | prev;
        prev = w;
        if (!w)
            continue;
        y &= y << 1;
        y &= y << 2;
        y &= y << 4;
        y &= y << 8;  /* bit j: bytes j-15..j all in the alphabet */
        y &= y << 8;  /* j-23..j */
        uint64_t hi = (uint64_t)(y >> 64);
        if (minpos > i)
            hi &= minpos - i >= 64 ? 0 : ~(uint64_t)0 << (minpos - i);
        if (!hi)
            continue;
        size_t j = i + (size_t)__builtin_ctzll(hi);
        /* Never walk back past the end of the run handled last: inside one
         * endless run (a 2 MB data blob) that would cost 64 KiB per step of
         * a few bytes, quadratic in the run's length. */
        size_t floor = j > RUN_MAX ? j - RUN_MAX : 0;
        if (minpos > from && minpos - 1 > floor)
            floor = minpos - 1;
        size_t a = run_start(buf, j + 1 - B64_MIN, floor);
        size_t b = run_end(buf, len, j + 1, a + RUN_MAX);
        if (a >= to || st->n >= WARD_DECODE_MAX)
            return;
        size_t e = b;
        while (e < len && e - b < 2 && buf[e] == '=')
            e++;
        size_t wrapped = 0;
        if (a >= from && (a == 0 || !b64v[buf[a - 1]])) {
            if (e == b)
                wrapped = try_wrapped(st, a, b);
            if (!wrapped)
                try_base64(st, a, e);
        }
        if (wrapped)
            b = wrapped; /* its lines are done */
        /* Go on from the block holding the run's end. */
        minpos = b + 1;
        size_t blk = from + (b - from) / 64 * 64;
        prev = blk >= from + 64 ? b64_mask_at(buf, len, blk - 64) : 0;
        i = blk - 64; /* the loop adds 64 */
    }
}

static int hexv(unsigned char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Characters of a URL or form value: anything but space, quotes, <>. */
static int urlish(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '`';
}

static void scan_percent(ward_enc *st)
{
    const ward_chunk *c = st->c;
    const char *buf = c->buf;
    size_t len = c->len, p = c->emit_from;
    while (p < c->emit_to && st->n < WARD_DECODE_MAX) {
        const char *h = memchr(buf + p, '%', c->emit_to - p);
        if (!h)
            return;
        p = (size_t)(h - buf);
        if (p + 2 >= len || hexv((unsigned char)buf[p + 1]) < 0 ||
            hexv((unsigned char)buf[p + 2]) < 0) {
            p++;
            continue;
        }
        size_t a = p, b = p;
        size_t floor = p > LINE_MAX_ESC ? p - LINE_MAX_ESC : 0;
        while (a > floor && urlish((unsigned char)buf[a - 1]))
            a--;
        while (b < len && b - a < LINE_MAX_ESC && urlish((unsigned char)buf[b]))
            b++;
        size_t esc = 0;
        for (size_t i = a; i + 2 < b; i++)
            if (buf[i] == '%' && hexv((unsigned char)buf[i + 1]) >= 0 &&
                hexv((unsigned char)buf[i + 2]) >= 0)
                esc++, i += 2;
        if (esc >= 2 && (a >= c->emit_from || p == c->emit_from)) {
            size_t pa, pb;
            context(c, a, b, &pa, &pb);
            if (!reserve(st, (a - pa) + (b - a) + (pb - b) + 1)) {
                open_seg(st, "percent");
                put_plain(st, buf, pa, a);
                for (size_t i = a; i < b;) {
                    int h1, h2;
                    if (buf[i] == '%' && i + 2 < b &&
                        (h1 = hexv((unsigned char)buf[i + 1])) >= 0 &&
                        (h2 = hexv((unsigned char)buf[i + 2])) >= 0) {
                        put(st, (char)(h1 * 16 + h2), i, i + 3);
                        i += 3;
                    } else {
                        put(st, buf[i] == '+' ? ' ' : buf[i], i, i + 1);
                        i++;
                    }
                }
                put_plain(st, buf, b, pb);
                close_seg(st);
            }
        }
        p = b + 1;
    }
}

/* Writes the UTF-8 form of code point cp; returns its length. */
static int utf8(unsigned cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 63));
        return 2;
    }
    o[0] = (char)(0xe0 | cp >> 12);
    o[1] = (char)(0x80 | ((cp >> 6) & 63));
    o[2] = (char)(0x80 | (cp & 63));
    return 3;
}

static int esc_at(const char *buf, size_t i, size_t b)
{
    if (i + 1 >= b)
        return 0;
    switch (buf[i + 1]) {
    case '"': case '/': case '\\': case 'n': case 't': case 'r': case '\'':
        return 2;
    case 'u':
        for (size_t k = 2; k < 6; k++)
            if (i + k >= b || hexv((unsigned char)buf[i + k]) < 0)
                return 0;
        return 6;
    default:
        return 0;
    }
}

static void scan_escapes(ward_enc *st)
{
    const ward_chunk *c = st->c;
    const char *buf = c->buf;
    size_t p = c->emit_from;
    while (p < c->emit_to && st->n < WARD_DECODE_MAX) {
        const char *h = memchr(buf + p, '\\', c->emit_to - p);
        if (!h)
            return;
        p = (size_t)(h - buf);
        if (!esc_at(buf, p, c->len)) {
            p++;
            continue;
        }
        size_t a = line_start(buf, p, p > 1024 ? p - 1024 : 0);
        size_t b = line_end(buf, c->len, p, LINE_MAX_ESC - (p - a));
        if (reserve(st, b - a + 1))
            return;
        open_seg(st, "json-escape");
        for (size_t i = a; i < b;) {
            int k = buf[i] == '\\' ? esc_at(buf, i, b) : 0;
            if (!k) {
                put(st, buf[i], i, i + 1);
                i++;
                continue;
            }
            char ch = buf[i + 1];
            if (k == 6) {
                unsigned cp = 0;
                for (int j = 2; j < 6; j++)
                    cp = cp * 16 + (unsigned)hexv((unsigned char)buf[i + (size_t)j]);
                char o[3];
                int m = utf8(cp, o);
                for (int j = 0; j < m; j++)
                    put(st, o[j], i, i + 6);
            } else {
                put(st, ch == 'n' ? '\n' : ch == 't' ? '\t' : ch == 'r' ? '\r' : ch, i, i + 2);
            }
            i += (size_t)k;
        }
        close_seg(st);
        p = b + 1;
    }
}

static const seg *seg_of(const ward_enc *st, size_t off)
{
    size_t lo = 0, hi = st->n_seg;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (st->segs[mid].off + st->segs[mid].len < off)
            lo = mid + 1;
        else if (st->segs[mid].off > off)
            hi = mid;
        else
            return &st->segs[mid];
    }
    return NULL;
}

int ward_enc_map(const ward_enc *st, const ward_chunk *c, const ward_finding *f,
                 ward_enc_span *out)
{
    if (!f->length || !f->secret_len)
        return 0; /* a path-only rule */
    size_t ds = (size_t)f->offset, de = ds + (size_t)f->length;
    size_t ms = (size_t)f->match_offset, me = ms + (size_t)f->match_length;
    const seg *g = seg_of(st, ds);
    if (!g || de > g->off + g->len)
        return 0; /* straddles two segments */
    if (ms < g->off)
        ms = g->off;
    if (me > g->off + g->len)
        me = g->off + g->len;
    if (me <= ms || ms > ds || me < de) {
        ms = ds;
        me = de;
    }
    size_t ss = st->src_s[ds], se = st->src_e[de - 1];
    /* A string literal with escaped quotes around a plain value (test code
     * full of "key = \"...\"" strings): a low-confidence finding counts
     * only when the secret itself was escaped. */
    if (f->confidence == WARD_CONF_LOW && g->encoding[0] == 'j' && se - ss == f->secret_len &&
        !memcmp(c->buf + ss, f->secret, f->secret_len))
        return 0;
    *out = (ward_enc_span){st->src_s[ms], st->src_e[me - 1], ss, se, g->encoding};
    return 1;
}

static void reset(ward_enc *st)
{
    st->n = 0;
    st->n_seg = 0;
}

ward_status ward_enc_decode(ward_enc **state, const ward_chunk *c, const char **dec,
                            size_t *dlen)
{
    *dec = NULL;
    *dlen = 0;
    if (!c->len || c->len > UINT32_MAX)
        return WARD_OK;
#ifdef HAVE_AVX2_PATH
    pthread_once(&avx2_once, avx2_probe);
#endif
    ward_enc *st = *state;
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st)
            return WARD_ENOMEM;
        *state = st;
    }
    reset(st);
    st->c = c;
    scan_base64(st);
    scan_percent(st);
    scan_escapes(st);
    st->c = NULL;
    /* Segments are appended in order of their offset in dec, as seg_of
     * needs. */
    if (st->n_seg) {
        *dec = st->dec;
        *dlen = st->n;
    }
    return WARD_OK;
}

void ward_enc_free(ward_enc *st)
{
    if (!st)
        return;
    free(st->dec);
    free(st->src_s);
    free(st->src_e);
    free(st->jpos);
    free(st->segs);
    free(st);
}
