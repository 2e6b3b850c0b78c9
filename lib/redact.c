/* redact.c - masks secrets in a stream, holding back as little as it can.
 *
 * Input accumulates in a buffer.  Each time, a release point P is chosen:
 * after the last complete line, or (on a pause) the end of the buffer less a
 * trailing run that could still grow into a secret.  An unfinished private
 * key block (a BEGIN line with no END yet) is held whole, since its body
 * lines are the secret.  The whole buffer is scanned, so a secret that
 * straddles P moves P back to its start and stays held until it is complete;
 * then bytes [0, P) are written with each secret's characters masked.
 *
 * Terminal output interleaves ANSI escape sequences with text, sometimes in
 * the middle of a token.  When the buffer holds an ESC, the scan runs over a
 * copy with the sequences removed, and a map from that copy back to the raw
 * bytes lets the mask replace only visible characters while every escape
 * sequence passes through untouched.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LONG_LINE (64u << 10) /* a line this long is cut at a delimiter */
#define PEM_HOLD (64u << 10)  /* an open key block is held at most this long */
static const char DOT[] = "\xe2\x97\x8f"; /* U+25CF BLACK CIRCLE */

typedef struct span {
    size_t start, end;       /* clean offsets */
    const char *rule;
} span;

struct ward_redactor {
    const ward_engine *e;
    ward_scanner *s;
    ward_mask_style style;
    char *buf;
    size_t len;
    char *clean;             /* buf without escape sequences, when it has any */
    uint32_t *map;           /* clean offset -> raw offset */
    size_t clean_len;
    int mapped;              /* this round scanned the copy, not buf */
    span *spans;
    size_t n_spans, cap_spans;
    uint64_t masked;
    int overflow;            /* too many findings in one buffer to mask singly */
};

ward_status ward_redactor_new(const ward_engine *e, ward_mask_style style, ward_redactor **out)
{
    if (!e || !out || style > WARD_MASK_FIXED)
        return WARD_EINVAL;
    *out = NULL;
    ward_redactor *r = calloc(1, sizeof *r);
    if (!r)
        return WARD_ENOMEM;
    r->e = e;
    r->style = style;
    r->buf = malloc(WARD_REDACT_HOLD);
    if (!r->buf || ward_scanner_new(e, &r->s) != WARD_OK) {
        ward_redactor_free(r);
        return WARD_ENOMEM;
    }
    *out = r;
    return WARD_OK;
}

void ward_redactor_free(ward_redactor *r)
{
    if (!r)
        return;
    ward_scanner_free(r->s);
    free(r->buf);
    free(r->clean);
    free(r->map);
    free(r->spans);
    free(r);
}

size_t ward_redactor_pending(const ward_redactor *r)
{
    return r ? r->len : 0;
}

uint64_t ward_redactor_masked(const ward_redactor *r)
{
    return r ? r->masked : 0;
}

/* Length of the escape sequence at p (p[0] == ESC), or 1 if it is a lone
 * ESC.  CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and two-byte
 * sequences; an unterminated one at the end counts whole. */
static size_t esc_len(const char *p, size_t n)
{
    if (n < 2)
        return 1;
    if (p[1] == '[') {
        size_t i = 2;
        while (i < n && !((unsigned char)p[i] >= 0x40 && (unsigned char)p[i] <= 0x7e))
            i++;
        return i < n ? i + 1 : n;
    }
    if (p[1] == ']' || p[1] == 'P' || p[1] == '_') {
        for (size_t i = 2; i < n; i++) {
            if (p[i] == '\a')
                return i + 1;
            if (p[i] == '\033' && i + 1 < n && p[i + 1] == '\\')
                return i + 2;
        }
        return n;
    }
    return 2;
}

/* Builds the escape-free copy of buf[0, len) and its map. */
static int strip(ward_redactor *r, size_t len)
{
    if (!r->clean) {
        r->clean = malloc(WARD_REDACT_HOLD);
        r->map = malloc(WARD_REDACT_HOLD * sizeof *r->map);
        if (!r->clean || !r->map)
            return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        if (r->buf[i] == '\033') {
            i += esc_len(r->buf + i, len - i);
            continue;
        }
        r->clean[k] = r->buf[i];
        r->map[k++] = (uint32_t)i++;
    }
    r->clean_len = k;
    return 0;
}

static int on_finding(const ward_finding *f, void *user)
{
    ward_redactor *r = user;
    if (r->n_spans == r->cap_spans) {
        size_t nc = r->cap_spans ? r->cap_spans * 2 : 16;
        span *ns = nc <= (1u << 20) ? realloc(r->spans, nc * sizeof *ns) : NULL;
        if (!ns) {
            r->overflow = 1;
            return 0;
        }
        r->spans = ns;
        r->cap_spans = nc;
    }
    r->spans[r->n_spans++] = (span){(size_t)f->offset, (size_t)(f->offset + f->length),
                                    f->rule_id};
    return 0;
}

static int is_delim(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' ||
           c == ',' || c == ';' || c == '=' || c == ':' || c == '(' || c == ')' || c == '<' ||
           c == '>' || c == '`' || c == '\033';
}

/* Start of the last BEGIN line of a private-key block with no END after it
 * in buf[0, len), or len when there is none. */
static size_t open_key_block(const char *buf, size_t len)
{
    const char *p = buf, *last = NULL;
    while ((p = memmem(p, (size_t)(buf + len - p), "-----BEGIN ", 11))) {
        const char *eol = memchr(p, '\n', (size_t)(buf + len - p));
        size_t ll = eol ? (size_t)(eol - p) : (size_t)(buf + len - p);
        if (memmem(p, ll, "PRIVATE KEY", 11))
            last = p;
        p += 11;
    }
    if (!last || memmem(last, (size_t)(buf + len - last), "-----END ", 9))
        return len;
    while (last > buf && last[-1] != '\n')
        last--;
    return (size_t)(last - buf);
}

typedef struct sink {
    ward_write_fn fn;
    void *user;
    int stop;
} sink;

static void put(sink *k, const char *b, size_t n)
{
    if (n && !k->stop && k->fn(b, n, k->user))
        k->stop = 1;
}

/* Writes raw bytes [0, P) with the spans (clean offsets) masked. */
static void emit(ward_redactor *r, size_t P, sink *k)
{
    const char *buf = r->buf;
    int mapped = r->mapped;
    size_t at = 0; /* raw bytes written so far */
    char out[4096];
    for (size_t i = 0; i < r->n_spans && !k->stop; i++) {
        const span *sp = &r->spans[i];
        size_t rs = mapped ? r->map[sp->start] : sp->start;
        if (rs >= P || rs < at)
            continue; /* beyond the release point, or inside one already masked */
        put(k, buf + at, rs - at);
        size_t re = mapped ? r->map[sp->end - 1] + 1 : sp->end;
        size_t shown = 0, o = 0;
        if (r->style == WARD_MASK_FIXED) {
            int n = snprintf(out, sizeof out, "[REDACTED:%s]", sp->rule);
            put(k, out, n > 0 && (size_t)n < sizeof out ? (size_t)n : 0);
        }
        for (size_t j = rs; j < re; j++) {
            unsigned char c = (unsigned char)buf[j];
            if (c == '\033') { /* escape sequences pass through as they are */
                size_t el = esc_len(buf + j, re - j);
                put(k, out, o);
                o = 0;
                put(k, buf + j, el);
                j += el - 1;
                continue;
            }
            if (c == '\n' || c == '\r') { /* keep the layout of a key block */
                out[o++] = (char)c;
            } else if ((c & 0xc0) == 0x80) {
                /* a UTF-8 continuation byte: its character is masked already */
            } else if (r->style == WARD_MASK_PREFIX && shown < 4) {
                out[o++] = (char)c;
                shown++;
            } else if (r->style != WARD_MASK_FIXED) {
                memcpy(out + o, DOT, 3);
                o += 3;
            }
            if (o > sizeof out - 8) {
                put(k, out, o);
                o = 0;
            }
        }
        put(k, out, o);
        at = re;
        r->masked++;
    }
    if (at < P)
        put(k, buf + at, P - at);
}

/* Chooses the release point for a level (-1: new input arrived), scans, and
 * writes what is released. */
static ward_status release(ward_redactor *r, int level, ward_write_fn fn, void *user)
{
    size_t len = r->len, P;
    if (!len)
        return WARD_OK;
    const char *nl = memrchr(r->buf, '\n', len);
    if (level >= WARD_FLUSH_LONG) {
        P = len;
    } else if (level == WARD_FLUSH_SHORT) {
        size_t run = 0;
        while (run < len && !is_delim(r->buf[len - 1 - run]))
            run++;
        P = len - run;
    } else {
        P = nl ? (size_t)(nl - r->buf) + 1 : 0;
        if (!nl && len > LONG_LINE) {
            /* An endless line: cut it at a delimiter well before its end. */
            size_t q = len - 4096;
            while (q > len / 2 && !is_delim(r->buf[q - 1]))
                q--;
            P = q;
        }
    }
    if (level < WARD_FLUSH_LONG) {
        size_t kb = open_key_block(r->buf, P);
        if (kb < P && len - kb < PEM_HOLD)
            P = kb;
    }
    if (P == 0 && len < WARD_REDACT_HOLD)
        return WARD_OK;
    if (P == 0)
        P = len; /* the hold is full: nothing more can wait */

    /* Scan everything held, so a secret straddling P is seen whole. */
    r->n_spans = 0;
    r->overflow = 0;
    const char *text = r->buf;
    size_t tlen = len;
    if (memchr(r->buf, '\033', len)) {
        if (strip(r, len))
            return WARD_ENOMEM;
        text = r->clean;
        tlen = r->clean_len;
    }
    r->mapped = text != r->buf;
    ward_status st = ward_scan_buffer(r->s, text, tlen, NULL, on_finding, r);
    if (st != WARD_OK)
        return st;
    int mapped = r->mapped;
    if (level < WARD_FLUSH_END) {
        for (size_t i = 0; i < r->n_spans; i++) {
            size_t rs = mapped ? r->map[r->spans[i].start] : r->spans[i].start;
            size_t re = mapped ? r->map[r->spans[i].end - 1] + 1 : r->spans[i].end;
            /* a secret reaching the end of what is held may still grow */
            if (rs < P && (re > P || (re == len && level < WARD_FLUSH_LONG)))
                P = rs;
        }
    }
    if (r->overflow) {
        /* A buffer with over a million secrets: mask all of it rather than
         * let any through unmasked. */
        r->n_spans = 1;
        r->spans[0] = (span){0, tlen, "many"};
    }
    sink k = {fn, user, 0};
    emit(r, P, &k);
    memmove(r->buf, r->buf + P, len - P);
    r->len = len - P;
    return k.stop ? WARD_EABORT : WARD_OK;
}

ward_status ward_redactor_write(ward_redactor *r, const char *buf, size_t len,
                                ward_write_fn out, void *user)
{
    if (!r || (!buf && len) || !out)
        return WARD_EINVAL;
    while (len) {
        size_t room = WARD_REDACT_HOLD - r->len;
        if (!room) {
            ward_status st = release(r, WARD_FLUSH_LONG, out, user);
            if (st)
                return st;
            continue;
        }
        size_t n = len < room ? len : room;
        memcpy(r->buf + r->len, buf, n);
        r->len += n;
        buf += n;
        len -= n;
        ward_status st = release(r, -1, out, user);
        if (st)
            return st;
    }
    return WARD_OK;
}

ward_status ward_redactor_flush(ward_redactor *r, ward_flush_level level, ward_write_fn out,
                                void *user)
{
    if (!r || !out)
        return WARD_EINVAL;
    return release(r, (int)level, out, user);
}
