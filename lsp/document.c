/* document.c - open documents, and positions in the negotiated encoding.
 *
 * LSP positions are (line, character) where character counts UTF-8 bytes or
 * UTF-16 code units, as negotiated at initialize; ward's findings count
 * bytes.  Lines end at LF; a CR before the LF is not part of the line.
 * Invalid UTF-8 bytes count as one unit each (editors show them as U+FFFD).
 * A character past the end of a line means the end of the line (the spec's
 * rule), and a position inside a character snaps to its start.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* Length of the UTF-8 sequence at s[0..n): 1..4, or 1 for an invalid byte. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t k;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 4;
    else
        return 1;
    if (k > n)
        return 1;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    if (k == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0)))
        return 1;
    if (k == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90)))
        return 1;
    return k;
}

uint64_t lsp_enc_units(const char *s, size_t n, lsp_encoding enc)
{
    if (enc == ENC_UTF8)
        return n;
    const unsigned char *u = (const unsigned char *)s;
    uint64_t units = 0;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            i++;
            units++;
            continue;
        }
        size_t k = utf8_len(u + i, n - i);
        units += k == 4 ? 2 : 1;
        i += k;
    }
    return units;
}

size_t lsp_enc_bytes(const char *s, size_t n, uint64_t units, lsp_encoding enc)
{
    const unsigned char *u = (const unsigned char *)s;
    if (enc == ENC_UTF8) {
        size_t b = units < n ? (size_t)units : n;
        if (b > 0 && b < n && (u[b] & 0xC0) == 0x80) {
            /* inside a multi-byte character: snap back to its start */
            size_t st = b;
            while (st > 0 && b - st < 3 && (u[st] & 0xC0) == 0x80)
                st--;
            if (utf8_len(u + st, n - st) > b - st)
                b = st;
        }
        return b;
    }
    size_t i = 0;
    uint64_t got = 0;
    while (i < n && got < units) {
        size_t k = u[i] < 0x80 ? 1 : utf8_len(u + i, n - i);
        unsigned w = k == 4 ? 2 : 1;
        if (got + w > units)
            break; /* the middle of a surrogate pair */
        got += w;
        i += k;
    }
    return i;
}

size_t lsp_line_start(const char *text, size_t len, uint64_t line)
{
    size_t off = 0;
    while (line > 0) {
        const char *nl = memchr(text + off, '\n', len - off);
        if (!nl)
            return len;
        off = (size_t)(nl - text) + 1;
        line--;
    }
    return off;
}

/* End of the line starting at ls, without its LF and a CR before it. */
static size_t line_end(const char *text, size_t len, size_t ls)
{
    const char *nl = memchr(text + ls, '\n', len - ls);
    size_t le = nl ? (size_t)(nl - text) : len;
    if (le > ls && text[le - 1] == '\r')
        le--;
    return le;
}

size_t lsp_text_offset(const char *text, size_t len, uint64_t line, uint64_t character,
                   lsp_encoding enc)
{
    size_t ls = lsp_line_start(text, len, line);
    if (ls >= len)
        return len;
    size_t le = line_end(text, len, ls);
    return ls + lsp_enc_bytes(text + ls, le - ls, character, enc);
}

void lsp_text_position(const char *text, size_t len, size_t off, lsp_encoding enc,
                       lsp_pos_cursor *cur, uint64_t *line, uint64_t *character)
{
    lsp_pos_cursor local = {0, 0, 0};
    lsp_pos_cursor *c = cur ? cur : &local;
    if (!text)
        text = "";
    if (off > len)
        off = len;
    if (off < c->off)
        memset(c, 0, sizeof *c);
    for (;;) {
        const char *nl = memchr(text + c->off, '\n', off - c->off);
        if (!nl)
            break;
        c->line++;
        c->off = c->ls = (size_t)(nl - text) + 1;
    }
    c->off = off;
    *line = c->line;
    *character = lsp_enc_units(text + c->ls, off - c->ls, enc);
}

int lsp_doc_replace(lsp_doc *d, size_t start, size_t end, const char *rep, size_t n)
{
    if (start > d->len)
        start = d->len;
    if (end > d->len)
        end = d->len;
    if (end < start)
        end = start;
    size_t nlen = d->len - (end - start) + n;
    if (nlen > LSP_MAX_DOCUMENT)
        return -1;
    if (nlen + 1 > d->cap) {
        size_t want = d->cap ? d->cap : 256;
        while (want < nlen + 1)
            want *= 2;
        char *nb = realloc(d->text, want);
        if (!nb)
            return -1;
        d->text = nb;
        d->cap = want;
    }
    memmove(d->text + start + n, d->text + end, d->len - end);
    if (n)
        memcpy(d->text + start, rep, n);
    d->len = nlen;
    d->text[nlen] = '\0';
    return 0;
}

void lsp_doc_clear_findings(lsp_doc *d)
{
    for (size_t i = 0; i < d->n_findings; i++) {
        free(d->findings[i].rule_id);
        free(d->findings[i].message);
    }
    d->n_findings = 0;
}

void lsp_doc_free(lsp_doc *d)
{
    if (!d)
        return;
    lsp_doc_clear_findings(d);
    free(d->findings);
    free(d->uri);
    free(d->path);
    free(d->language);
    free(d->text);
    free(d);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

char *lsp_uri_to_path(const char *uri)
{
    if (!uri || strncmp(uri, "file://", 7))
        return NULL;
    const char *p = uri + 7;
    if (*p != '/') {
        /* file://localhost/x */
        if (strncmp(p, "localhost/", 10))
            return NULL;
        p += 9;
    }
    size_t n = strlen(p);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (; *p && *p != '?' && *p != '#'; p++) {
        int h, l;
        if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0 && (h || l)) {
            *o++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

char *lsp_path_to_uri(const char *path)
{
    size_t n = strlen(path);
    char *out = malloc(8 + n * 3), *o = out;
    if (!out)
        return NULL;
    memcpy(o, "file://", 7);
    o += 7;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("/-._~!$&'()*+,;=@", (int)c)) {
            *o++ = (char)c;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}
