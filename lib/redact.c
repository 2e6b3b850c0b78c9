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
 * A long pause releases everything but a run that looks like the start of a
 * secret: it begins with a provider's token prefix (the engine's list), or
 * follows a secret-like assignment ("token=", "Authorization: Bearer ",
 * names from the generic rules' keywords).  Only a stale flush lets it go,
 * masked; characters that continue it later are masked too (`cont`).  The
 * released part of the current line is kept (`tail`) so that the rest of a
 * line is scanned with its start: a value whose name went out on a pause is
 * still recognised when it completes.
 *
 * Terminal output interleaves ANSI escape sequences with text, sometimes in
 * the middle of a token.  When the buffer holds an ESC, the scan runs over a
 * copy with the sequences removed, and a map from that copy back to the raw
 * bytes lets the mask replace only visible characters while every escape
 * sequence passes through untouched.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

#define LONG_LINE (64u << 10) /* a line this long is cut at a delimiter */
#define PEM_HOLD (64u << 10)  /* an open key block is held at most this long */
static const char DOT[] = "\xe2\x97\x8f"; /* U+25CF BLACK CIRCLE */

typedef struct span {
    size_t start, end;       /* clean offsets, or raw ones when raw is set */
    const char *rule;
    int raw;
    int more;                /* the rest of a secret whose start went out */
} span;

#define TAIL 256           /* the released part of the current line kept */
#define CTX_SCAN 4096      /* how much of the buffer is scanned after it */

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
    int cont;                /* the last release ended inside a masked secret */
    char tail[TAIL];         /* escape-free end of the released part of the line */
    size_t tail_len;
    char *ctx;               /* tail + the start of the buffer, for one scan */
    size_t ctx_shift;        /* findings from that scan: offset - ctx_shift */
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
    free(r->ctx);
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

/* Start of an escape sequence still unfinished at the end of buf[0, len),
 * or len: it is held, since its rest would otherwise show as text and
 * split the token after it. */
static size_t open_escape(const char *buf, size_t len)
{
    const char *q = memrchr(buf, '\033', len);
    if (!q)
        return len;
    size_t n = len - (size_t)(q - buf), i;
    if (n < 2)
        return (size_t)(q - buf);
    if (q[1] == '[') {
        for (i = 2; i < n && !((unsigned char)q[i] >= 0x40 && (unsigned char)q[i] <= 0x7e); i++)
            ;
        return i < n ? len : (size_t)(q - buf);
    }
    if (q[1] == ']' || q[1] == 'P' || q[1] == '_')
        return memchr(q, '\a', n) ? len : (size_t)(q - buf);
    return len;
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

static int add_span(ward_redactor *r, span sp)
{
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
    r->spans[r->n_spans++] = sp;
    return 0;
}

static int on_finding(const ward_finding *f, void *user)
{
    ward_redactor *r = user;
    size_t s0 = (size_t)f->offset, e0 = (size_t)(f->offset + f->length), k = r->ctx_shift;
    if (e0 <= k)
        return 0; /* wholly in what was released already */
    return add_span(r, (span){s0 > k ? s0 - k : 0, e0 - k, f->rule_id, 0, s0 < k});
}

/* Raw offsets of a span. */
static void span_raw(const ward_redactor *r, const span *sp, size_t *rs, size_t *re)
{
    int m = r->mapped && !sp->raw;
    *rs = m ? r->map[sp->start] : sp->start;
    *re = m ? r->map[sp->end - 1] + 1 : sp->end;
}

static int span_cmp(const void *a, const void *b, void *r)
{
    size_t as, ae, bs, be;
    span_raw(r, a, &as, &ae);
    span_raw(r, b, &bs, &be);
    return as < bs ? -1 : as > bs;
}

/* Orders the spans by raw start, as emit needs. */
static void sort_spans(ward_redactor *r)
{
    qsort_r(r->spans, r->n_spans, sizeof *r->spans, span_cmp, r);
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
    size_t at = 0; /* raw bytes written so far */
    char out[4096];
    for (size_t i = 0; i < r->n_spans && !k->stop; i++) {
        const span *sp = &r->spans[i];
        size_t rs, re;
        span_raw(r, sp, &rs, &re);
        if (rs >= P || re <= at)
            continue; /* beyond the release point, or masked already */
        int more = sp->more || rs < at;
        if (rs < at)
            rs = at; /* overlaps one already masked: mask the rest */
        if (re > P)
            re = P;
        put(k, buf + at, rs - at);
        /* the rest of a secret shows no prefix and no second label */
        size_t shown = more ? 4 : 0, o = 0;
        if (r->style == WARD_MASK_FIXED && !more) {
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

/* Whether the name before a value (ctx ends where the value starts) makes
 * it a secret: `NAME = "`, `NAME: `, `NAME := `, `NAME => `, and
 * `Authorization: Bearer `, NAME holding a generic rule's keyword. */
static int after_assignment(const ward_engine *e, const char *c, size_t i)
{
    if (i && strchr("\"'`", c[i - 1]))
        i--;
    size_t j = i, w;
    while (j && (c[j - 1] == ' ' || c[j - 1] == '\t'))
        j--;
    for (w = j; w && isalpha((unsigned char)c[w - 1]);)
        w--;
    if (j < i && j - w >= 5 && j - w <= 6 &&
        (!strncasecmp(c + w, "bearer", 6) || !strncasecmp(c + w, "token", j - w) ||
         !strncasecmp(c + w, "basic", j - w)))
        i = w; /* an HTTP authentication scheme */
    while (i && (c[i - 1] == ' ' || c[i - 1] == '\t'))
        i--;
    if (i >= 2 && c[i - 1] == '>' && c[i - 2] == '=')
        i -= 2;
    else if (i && (c[i - 1] == '=' || c[i - 1] == ':'))
        i -= i >= 2 && c[i - 1] == '=' && c[i - 2] == ':' ? 2 : 1;
    else
        return 0;
    while (i && (c[i - 1] == ' ' || c[i - 1] == '\t'))
        i--;
    for (int q = 0; q < 2 && i && strchr("\"']", c[i - 1]); q++)
        i--;
    size_t k = i;
    while (k && (isalnum((unsigned char)c[k - 1]) || strchr("_.-", c[k - 1])))
        k--;
    if (k == i)
        return 0;
    for (size_t ri = 0; ri < e->n_rules; ri++) {
        const ward_rule *ru = &e->rules[ri];
        for (size_t n = 0; ru->generic && n < ru->n_keywords; n++)
            if (ward_memmem_ci(c + k, i - k, ru->keywords[n], strlen(ru->keywords[n])))
                return 1;
    }
    return 0;
}

/* Whether the run text[start, start + run) may be the start of a secret. */
static int may_start_secret(const ward_redactor *r, const char *text, size_t start, size_t run)
{
    /* A prefix of letters only ("key", "https", "akia") is a common word
     * too: it counts once a digit follows, as in most tokens. */
    const char *v = text + start;
    size_t k = (size_t)ward_provider_prefixed(r->e, v, run);
    int plain = 1;
    for (size_t i = 0; i < k; i++)
        plain &= isalpha((unsigned char)v[i]) != 0;
    for (size_t i = k; plain && k && i < run; i++)
        plain = !isdigit((unsigned char)v[i]);
    if (k && !plain)
        return 1;
    char c[TAIL + 160];
    size_t n = 0;
    if (start < 160) {
        memcpy(c, r->tail, r->tail_len);
        n = r->tail_len;
    }
    size_t from = start < 160 ? 0 : start - 160;
    memcpy(c + n, text + from, start - from);
    return after_assignment(r->e, c, n + start - from);
}

/* Scans the tail of the line released so far with the start of text, so a
 * secret whose start went out on a pause is still found; its part in text
 * is added to the spans. */
static ward_status scan_with_tail(ward_redactor *r, const char *text, size_t tlen)
{
    if (!r->tail_len)
        return WARD_OK;
    if (!r->ctx && !(r->ctx = malloc(TAIL + CTX_SCAN)))
        return WARD_ENOMEM;
    size_t n = tlen < CTX_SCAN ? tlen : CTX_SCAN;
    memcpy(r->ctx, r->tail, r->tail_len);
    memcpy(r->ctx + r->tail_len, text, n);
    size_t before = r->n_spans;
    r->ctx_shift = r->tail_len;
    ward_status st = ward_scan_buffer(r->s, r->ctx, r->tail_len + n, NULL, on_finding, r);
    r->ctx_shift = 0;
    if (r->n_spans > before)
        sort_spans(r);
    return st;
}

/* Remembers the escape-free end of the released line, for after_assignment
 * and scan_with_tail. */
static void keep_tail(ward_redactor *r, size_t P)
{
    const char *b = r->buf;
    const char *nl = memrchr(b, '\n', P);
    size_t i = 0;
    if (nl) {
        i = (size_t)(nl - b) + 1;
        r->tail_len = 0;
    }
    while (i < P) {
        if (b[i] == '\033') {
            i += esc_len(b + i, P - i);
            continue;
        }
        if (r->tail_len == TAIL) {
            memmove(r->tail, r->tail + TAIL / 2, TAIL / 2);
            r->tail_len = TAIL / 2;
        }
        r->tail[r->tail_len++] = b[i++];
    }
}

/* Stages of a release, in order of how much may go. */
enum { ST_INPUT, ST_SHORT, ST_LONG, ST_STALE, ST_END };

/* Raw offset of clean offset c (c == tlen: the end). */
static size_t raw_at(const ward_redactor *r, size_t c, size_t tlen)
{
    if (c >= tlen)
        return r->len;
    return r->mapped ? r->map[c] : c;
}

/* Chooses the release point for a stage, scans, and writes what is
 * released. */
static ward_status release(ward_redactor *r, int stage, ward_write_fn fn, void *user)
{
    size_t len = r->len, P = 0, kb = len;
    if (!len)
        return WARD_OK;
    if (stage == ST_INPUT) {
        const char *nl = memrchr(r->buf, '\n', len);
        P = nl ? (size_t)(nl - r->buf) + 1 : 0;
        if (!nl && len > LONG_LINE) {
            /* An endless line: cut it at a delimiter well before its end. */
            size_t q = len - 4096;
            while (q > len / 2 && !is_delim(r->buf[q - 1]))
                q--;
            if (!is_delim(r->buf[q - 1])) {
                /* no delimiter: never cut a run that may be a secret, it
                 * waits for the hold to fill and then goes out masked */
                size_t s0 = q, e0 = q;
                while (s0 && !is_delim(r->buf[s0 - 1]))
                    s0--;
                while (e0 < len && !is_delim(r->buf[e0]))
                    e0++;
                if ((r->cont && !s0) || may_start_secret(r, r->buf, s0, e0 - s0))
                    q = s0;
            }
            P = q;
        }
        kb = open_key_block(r->buf, P);
        if (kb < P && len - kb < PEM_HOLD)
            P = kb;
        size_t oe = open_escape(r->buf, len);
        P = oe < P ? oe : P;
        if (P == 0 && len < WARD_REDACT_HOLD)
            return WARD_OK; /* the common case, before any work */
    }
    /* Everything else is decided on the text without escape sequences. */
    const char *text = r->buf;
    size_t tlen = len;
    if (memchr(r->buf, '\033', len)) {
        if (strip(r, len))
            return WARD_ENOMEM;
        text = r->clean;
        tlen = r->clean_len;
    }
    r->mapped = text != r->buf;
    size_t run = 0, lead = 0;
    while (run < tlen && !is_delim(text[tlen - 1 - run]))
        run++;
    while (r->cont && lead < tlen && !is_delim(text[lead]))
        lead++;
    size_t run_at = raw_at(r, tlen - run, tlen);
    int suspect = 0;
    if (run && stage >= ST_LONG && stage <= ST_STALE)
        suspect = (r->cont && lead == tlen) || may_start_secret(r, text, tlen - run, run);

    if (stage != ST_INPUT) {
        P = stage == ST_SHORT || (stage == ST_LONG && suspect) ? run_at : len;
        if (stage <= ST_STALE) {
            kb = open_key_block(r->buf, stage == ST_STALE ? len : P);
            if (kb < P && len - kb < PEM_HOLD && stage < ST_STALE)
                P = kb;
        }
        size_t oe = stage < ST_END ? open_escape(r->buf, len) : len;
        P = oe < P ? oe : P;
    }
    if (P == 0 && len < WARD_REDACT_HOLD)
        return WARD_OK;
    if (P == 0) {
        P = len; /* the hold is full: nothing more can wait, so mask */
        kb = len;
        stage = ST_STALE;
        suspect = run && (lead == tlen || may_start_secret(r, text, tlen - run, run));
    }

    /* Scan everything held, so a secret straddling P is seen whole. */
    r->n_spans = 0;
    r->overflow = 0;
    ward_status st = ward_scan_buffer(r->s, text, tlen, NULL, on_finding, r);
    if (st == WARD_OK)
        st = scan_with_tail(r, text, tlen);
    if (st != WARD_OK)
        return st;
    /* What must be masked though no rule matched: the rest of a secret
     * masked before, and on a stale flush what a long one held. */
    int extra = 0;
    if (lead)
        extra |= add_span(r, (span){0, lead < tlen ? raw_at(r, lead - 1, tlen) + 1 : len,
                                    "partial", 1, 1}) == 0;
    if (stage == ST_STALE && suspect)
        extra |= add_span(r, (span){run_at, len, "partial", 1, 0}) == 0;
    if (stage == ST_STALE && kb < len && len - kb < PEM_HOLD)
        extra |= add_span(r, (span){kb, len, "private-key", 1, 0}) == 0;
    if (extra)
        sort_spans(r);
    if (stage < ST_STALE) {
        for (size_t i = 0; i < r->n_spans; i++) {
            size_t rs, re;
            span_raw(r, &r->spans[i], &rs, &re);
            /* a secret reaching the end of what is held may still grow */
            if (rs < P && (re > P || (re == len && stage < ST_LONG)))
                P = rs;
        }
        if (P == 0 && len < WARD_REDACT_HOLD)
            return WARD_OK;
        if (P == 0)
            P = len; /* full: every span is masked, none may wait */
    }
    if (r->overflow) {
        /* A buffer with over a million secrets: mask all of it rather than
         * let any through unmasked. */
        r->n_spans = 1;
        r->spans[0] = (span){0, len, "many", 1, 0};
    }
    sink k = {fn, user, 0};
    emit(r, P, &k);
    /* A masked secret that ends where the release does may go on. */
    int cont = 0;
    for (size_t i = 0; i < r->n_spans && stage != ST_END; i++) {
        size_t rs, re;
        span_raw(r, &r->spans[i], &rs, &re);
        cont |= rs < P && re >= P;
    }
    r->cont = cont;
    keep_tail(r, P);
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
            ward_status st = release(r, ST_LONG, out, user);
            if (st)
                return st;
            continue;
        }
        size_t n = len < room ? len : room;
        memcpy(r->buf + r->len, buf, n);
        r->len += n;
        buf += n;
        len -= n;
        ward_status st = release(r, ST_INPUT, out, user);
        if (st)
            return st;
    }
    return WARD_OK;
}

ward_status ward_redactor_flush(ward_redactor *r, ward_flush_level level, ward_write_fn out,
                                void *user)
{
    static const int stage[] = {ST_SHORT, ST_LONG, ST_END, ST_STALE};
    if (!r || !out || (unsigned)level >= sizeof stage / sizeof *stage)
        return WARD_EINVAL;
    return release(r, stage[level], out, user);
}
