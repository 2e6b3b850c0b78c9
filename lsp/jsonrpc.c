/* jsonrpc.c - Content-Length framing of a JSON-RPC byte stream.
 *
 * A message is a header block ("Content-Length: N\r\n", optionally other
 * headers, then an empty line) followed by N bytes of JSON.  The reader is
 * incremental: bytes arrive in any chunking and complete bodies are handed to
 * the sink.  Hostile input is bounded and recoverable:
 *  - a header block over LSP_MAX_HEADER, or without a usable Content-Length,
 *    is reported (-32700) and dropped;
 *  - a body over LSP_MAX_MESSAGE is reported (-32600) and skipped without
 *    being buffered, so the stream stays in step;
 *  - a Content-Length that is too large shows up as the next message's
 *    header inside the body ("Content-Length: N\r\n" can never occur in valid
 *    JSON, which forbids raw line breaks in strings): the body is cut there,
 *    reported (-32700), and reading resumes at that header instead of
 *    waiting for bytes that never come;
 *  - a Content-Length that is too small leaves the rest of the JSON in front
 *    of the next header: it is reported and skipped up to "Content-Length".
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

void lsp_reader_init(lsp_reader *r)
{
    memset(r, 0, sizeof *r);
}

void lsp_reader_free(lsp_reader *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}

static void consume(lsp_reader *r, size_t n)
{
    memmove(r->buf, r->buf + n, r->len - n);
    r->len -= n;
}

/* Finds "Content-Length" (any case) in s[0..n); returns its offset or -1. */
static long find_cl(const char *s, size_t n)
{
    static const char key[] = "content-length";
    size_t k = sizeof key - 1;
    for (size_t i = 0; i + k <= n; i++)
        if ((s[i] | 0x20) == 'c' && !strncasecmp(s + i, key, k))
            return (long)i;
    return -1;
}

/* In a body, "Content-Length:" followed by optional blanks, digits and CR LF
 * marks the start of the next message.  Searches s[from..n). */
static long find_next_header(const char *s, size_t n, size_t from)
{
    static const char key[] = "Content-Length:";
    size_t k = sizeof key - 1;
    while (from < n) {
        const char *p = memmem(s + from, n - from, key, k);
        if (!p)
            return -1;
        size_t i = (size_t)(p - s) + k;
        while (i < n && s[i] == ' ')
            i++;
        size_t d = i;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i > d && i + 1 < n && s[i] == '\r' && s[i + 1] == '\n')
            return p - s;
        from = (size_t)(p - s) + 1;
    }
    return -1;
}

/* Parses a header block s[0..n) (terminator excluded).  Returns 0 with *len
 * set, or -1 with *why set. */
static int parse_header(const char *s, size_t n, uint64_t *len, const char **why)
{
    long at = find_cl(s, n);
    if (at < 0) {
        *why = "Parse error: header without Content-Length";
        return -1;
    }
    size_t i = (size_t)at + 14;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= n || s[i] != ':') {
        *why = "Parse error: malformed Content-Length header";
        return -1;
    }
    i++;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    uint64_t v = 0;
    size_t d = i;
    while (i < n && isdigit((unsigned char)s[i]) && v <= (UINT64_MAX - 9) / 10)
        v = v * 10 + (uint64_t)(s[i++] - '0');
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == d || (i < n && s[i] != '\r' && s[i] != '\n')) {
        *why = "Parse error: malformed Content-Length header";
        return -1;
    }
    *len = v;
    return 0;
}

static int append(lsp_reader *r, const char *data, size_t n)
{
    if (r->len + n > r->cap) {
        size_t want = r->cap ? r->cap : 4096;
        while (want < r->len + n)
            want *= 2;
        char *nb = realloc(r->buf, want);
        if (!nb)
            return -1;
        r->buf = nb;
        r->cap = want;
    }
    memcpy(r->buf + r->len, data, n);
    r->len += n;
    return 0;
}

/* Releases a large buffer once it is no longer needed. */
static void shrink(lsp_reader *r)
{
    if (r->cap > (1u << 20) && r->len < (1u << 16)) {
        char *nb = realloc(r->buf, 1u << 16);
        if (nb) {
            r->buf = nb;
            r->cap = 1u << 16;
        }
    }
}

int lsp_reader_feed(lsp_reader *r, const char *data, size_t n, const lsp_sink *sink)
{
    while (n && r->skip) {
        size_t k = r->skip < n ? (size_t)r->skip : n;
        r->skip -= k;
        data += k;
        n -= k;
    }
    if (n && append(r, data, n) < 0)
        return -1;
    for (;;) {
        if (r->skip) {
            size_t k = r->skip < r->len ? (size_t)r->skip : r->len;
            r->skip -= k;
            consume(r, k);
            if (r->skip)
                break;
        }
        if (r->in_body) {
            /* A next header inside the body means the length lied. */
            size_t from = r->scanned > 24 ? r->scanned - 24 : 0;
            size_t upto = r->len < r->need ? r->len : r->need;
            long nh = find_next_header(r->buf, upto, from);
            if (nh >= 0) {
                sink->error(sink->user, RPC_PARSE_ERROR,
                            "Parse error: Content-Length does not match the message");
                consume(r, (size_t)nh);
                r->in_body = 0;
                continue;
            }
            r->scanned = upto;
            if (r->len < r->need)
                break;
            r->in_body = 0;
            sink->message(sink->user, r->buf, r->need);
            consume(r, r->need);
            continue;
        }
        if (!r->len)
            break;
        /* Header block: up to an empty line (CRLF CRLF, or LF LF). */
        char *end = memmem(r->buf, r->len, "\r\n\r\n", 4);
        size_t hlen, tlen = 4;
        char *lf = memmem(r->buf, end ? (size_t)(end - r->buf) : r->len, "\n\n", 2);
        if (lf) {
            end = lf;
            tlen = 2;
        }
        if (!end) {
            if (r->len > LSP_MAX_HEADER) {
                sink->error(sink->user, RPC_PARSE_ERROR, "Parse error: header too long");
                long at = find_cl(r->buf + 1, r->len - 1);
                consume(r, at >= 0 ? (size_t)at + 1 : r->len);
                continue;
            }
            break;
        }
        hlen = (size_t)(end - r->buf);
        /* Garbage before the header (the tail of a body whose length was
         * too small): report it and start at "Content-Length". */
        long at = find_cl(r->buf, hlen);
        size_t lead = 0;
        while (lead < hlen && isspace((unsigned char)r->buf[lead]))
            lead++;
        if (at > 0 && (size_t)at > lead) {
            sink->error(sink->user, RPC_PARSE_ERROR,
                        "Parse error: bytes outside a message (Content-Length too small?)");
            consume(r, (size_t)at);
            continue;
        }
        uint64_t blen;
        const char *why;
        if (hlen > LSP_MAX_HEADER) {
            sink->error(sink->user, RPC_PARSE_ERROR, "Parse error: header too long");
            consume(r, hlen + tlen);
            continue;
        }
        if (parse_header(r->buf, hlen, &blen, &why) < 0) {
            sink->error(sink->user, RPC_PARSE_ERROR, why);
            consume(r, hlen + tlen);
            continue;
        }
        consume(r, hlen + tlen);
        if (blen > LSP_MAX_MESSAGE) {
            sink->error(sink->user, RPC_INVALID_REQUEST,
                        "Invalid request: message larger than the 64 MiB limit");
            r->skip = blen;
            continue;
        }
        r->in_body = 1;
        r->need = (size_t)blen;
        r->scanned = 0;
    }
    shrink(r);
    return 0;
}
