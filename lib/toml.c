/* toml.c - the TOML v1.0 parser declared in toml.h.
 *
 * The document is first checked to be valid UTF-8 as a whole, so that the
 * parser proper only has to reason about ASCII bytes.  It is then read in one
 * forward pass by a hand-written recursive-descent parser that never looks at
 * a byte outside the caller's (ptr, len) window.  Recursion happens only for
 * values nested in arrays and inline tables, and it is bounded: every
 * container records its depth in the tree and creating one deeper than
 * TOML_MAX_DEPTH fails.  The same cap applies to tables made by [a.b.c]
 * headers and dotted keys, so callers may safely walk the tree recursively.
 *
 * Every node, key and string lives in one arena released by ward_toml_free in one
 * go.  Growable vectors (table entries, array items) are copied on doubling,
 * which wastes at most as much memory as they finally use; the node count is
 * capped, so memory stays proportional to the document.  Tables are
 * searched linearly while small and get a seeded open-addressing index once
 * they grow, so documents with huge tables stay linear.
 *
 * Which tables may be reopened by later headers or dotted keys is tracked with
 * a few flags per table (see the enum below); that is all the state the TOML
 * "no redefinition" rules need.
 */
#include "toml.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds memory on hostile input: a node costs 40 bytes plus its share of
 * entry/item vectors and key text. */
#define MAX_NODES 1000000u
/* Tables with more keys than this get a hash index. */
#define LINEAR_MAX 16
#define FIRST_BLOCK 16384u
#define MAX_BLOCK (1u << 20)

enum {
    F_IMPLICIT = 1, /* made as a parent by an [a.b] header: [a] may still define it once */
    F_DEFINED = 2,  /* made by a header or as an [[array]] element */
    F_DOTTED = 4,   /* made by a dotted key: only further dotted keys may add to it */
    F_INLINE = 8,   /* inline table: sealed once its closing brace is read */
    F_AOT = 16      /* array made by [[ ]] headers: the only kind [[ ]] may append to */
};

struct entry {
    const char *key;
    size_t klen;
    toml_value *val;
};

/* Counts fit in 32 bits because of MAX_NODES, which keeps nodes at 40 bytes.
 * The hash seed is the index's own address: it is random (ASLR) and changes
 * whenever the index is rebuilt, so it costs no field. */
struct tab_data {
    struct entry *ent;
    uint32_t *slots; /* index+1 into ent, 0 = empty; NULL while the table is small */
    uint32_t len, cap, nslots;
};

struct arr_data {
    toml_value **items;
    size_t len, cap;
};

struct toml_value {
    unsigned char type, flags;
    unsigned short depth;
    unsigned line;
    union {
        struct { const char *ptr; size_t len; } s; /* strings and date-times */
        int64_t i;
        double f;
        int b;
        struct arr_data a;
        struct tab_data t;
    } u;
};

struct block {
    struct block *next;
    size_t cap, used;
    max_align_t mem[];
};

/* The root is the first member so ward_toml_free can find the arena from it. */
struct doc {
    toml_value root;
    struct block *blocks;
};

typedef struct parser {
    const char *p, *end;
    unsigned line;
    int failed;
    char *err;
    size_t errlen;
    struct block *blocks;
    size_t next_block;
    size_t nodes;
} parser;

struct keypart {
    const char *s;
    size_t n;
};

/* ---- errors ---------------------------------------------------------- */

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(a, b) __attribute__((format(printf, a, b)))
#else
#define PRINTF_LIKE(a, b)
#endif

static int fail(parser *P, unsigned line, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Only the first error is kept: later ones are consequences of it. */
static int fail(parser *P, unsigned line, const char *fmt, ...)
{
    if (P->failed)
        return -1;
    P->failed = 1;
    if (P->err && P->errlen) {
        int n = snprintf(P->err, P->errlen, "line %u: ", line);
        if (n >= 0 && (size_t)n < P->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(P->err + n, P->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

/* Keys quoted in messages may hold any bytes; keep messages short and
 * printable.  (A struct return keeps the buffer alive for the call.) */
struct keyname {
    char s[40];
};

static struct keyname show(const char *k, size_t n)
{
    struct keyname r;
    size_t o = 0, i;
    for (i = 0; i < n && o < sizeof r.s - 4; i++) {
        unsigned char c = (unsigned char)k[i];
        r.s[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (i < n) {
        memcpy(r.s + o, "...", 3);
        o += 3;
    }
    r.s[o] = 0;
    return r;
}

/* ---- arena ----------------------------------------------------------- */

/* Nothing stored needs more than pointer/double/uint64_t alignment. */
#define ARENA_ALIGN _Alignof(union { void *p; double d; uint64_t u; })

static void free_blocks(struct block *b)
{
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
}

static void *arena_refill(parser *P, size_t n);

/* The hot path stays small enough to inline. */
static inline void *arena_alloc(parser *P, size_t n)
{
    struct block *b = P->blocks;
    if (n - 1 < SIZE_MAX / 2) {
        n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
        if (b && b->cap - b->used >= n) {
            void *r = (char *)b->mem + b->used;
            b->used += n;
            return r;
        }
    }
    return arena_refill(P, n);
}

static void *arena_refill(parser *P, size_t n)
{
    struct block *b = P->blocks, *nb;
    size_t cap;

    if (n > SIZE_MAX / 2) {
        fail(P, P->line, "out of memory");
        return NULL;
    }
    n = n ? (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1) : ARENA_ALIGN;
    if (b && n > P->next_block / 4) {
        /* A big request gets its own block, linked behind the current one so
         * the current block's free tail keeps serving small requests. */
        nb = malloc(sizeof *nb + n);
        if (!nb) {
            fail(P, P->line, "out of memory");
            return NULL;
        }
        nb->cap = nb->used = n;
        nb->next = b->next;
        b->next = nb;
        return nb->mem;
    }
    cap = P->next_block > n ? P->next_block : n;
    nb = malloc(sizeof *nb + cap);
    if (!nb) {
        fail(P, P->line, "out of memory");
        return NULL;
    }
    nb->cap = cap;
    nb->used = n;
    nb->next = b;
    P->blocks = nb;
    if (P->next_block < MAX_BLOCK)
        P->next_block *= 2;
    return nb->mem;
}

static char *arena_strdup(parser *P, const char *s, size_t n)
{
    char *r = arena_alloc(P, n + 1);
    if (r) {
        if (n)
            memcpy(r, s, n);
        r[n] = 0;
    }
    return r;
}

/* ---- nodes, tables, arrays ------------------------------------------ */

static toml_value *new_node(parser *P, toml_type type, unsigned depth, unsigned line)
{
    toml_value *v;
    if ((type == TOML_ARRAY || type == TOML_TABLE) && depth > TOML_MAX_DEPTH) {
        fail(P, line, "nesting deeper than %d", TOML_MAX_DEPTH);
        return NULL;
    }
    if (++P->nodes > MAX_NODES) {
        fail(P, line, "too many values");
        return NULL;
    }
    v = arena_alloc(P, sizeof *v);
    if (!v)
        return NULL;
    memset(v, 0, sizeof *v);
    v->type = (unsigned char)type;
    v->depth = (unsigned short)depth;
    v->line = line;
    return v;
}

static toml_value *new_table(parser *P, unsigned depth, unsigned line, unsigned flags)
{
    toml_value *t = new_node(P, TOML_TABLE, depth, line);
    if (t)
        t->flags = (unsigned char)flags;
    return t;
}

/* Seeded with an address (see struct tab_data) so that a document cannot be
 * precomputed to make every key collide. */
static uint64_t key_hash(const char *k, size_t n, const void *seedp)
{
    const uint64_t seed = (uint64_t)(uintptr_t)seedp * 0x9e3779b97f4a7c15u;
    uint64_t h = seed ^ 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)k[i];
        h *= 0x100000001b3u;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return h;
}

static toml_value *table_find(const toml_value *t, const char *k, size_t n)
{
    const struct tab_data *T = &t->u.t;
    if (T->slots) {
        size_t mask = T->nslots - 1, i = (size_t)key_hash(k, n, T->slots) & mask;
        for (;;) {
            uint32_t s = T->slots[i];
            if (!s)
                return NULL;
            const struct entry *e = &T->ent[s - 1];
            if (e->klen == n && memcmp(e->key, k, n) == 0)
                return e->val;
            i = (i + 1) & mask;
        }
    }
    for (size_t i = 0; i < T->len; i++) {
        const struct entry *e = &T->ent[i];
        if (e->klen == n && (n == 0 || e->key[0] == k[0]) && memcmp(e->key, k, n) == 0)
            return e->val;
    }
    return NULL;
}

static void slot_put(struct tab_data *T, size_t idx)
{
    const struct entry *e = &T->ent[idx];
    size_t mask = T->nslots - 1, i = (size_t)key_hash(e->key, e->klen, T->slots) & mask;
    while (T->slots[i])
        i = (i + 1) & mask;
    T->slots[i] = (uint32_t)(idx + 1);
}

/* The caller has checked that k is not in t yet. */
static int table_insert(parser *P, toml_value *t, const char *k, size_t n, toml_value *v)
{
    struct tab_data *T = &t->u.t;
    if (T->len == T->cap) {
        size_t cap = T->cap ? T->cap * 2 : 4;
        struct entry *e = arena_alloc(P, cap * sizeof *e);
        if (!e)
            return -1;
        if (T->len)
            memcpy(e, T->ent, T->len * sizeof *e);
        T->ent = e;
        T->cap = (uint32_t)cap;
    }
    T->ent[T->len].key = k;
    T->ent[T->len].klen = n;
    T->ent[T->len].val = v;
    T->len++;
    if (T->len <= LINEAR_MAX)
        return 0;
    if (T->nslots < 2 * T->len) {
        size_t ns = 64;
        while (ns < 4 * T->len)
            ns *= 2;
        uint32_t *slots = arena_alloc(P, ns * sizeof *slots);
        if (!slots)
            return -1;
        memset(slots, 0, ns * sizeof *slots);
        T->slots = slots;
        T->nslots = (uint32_t)ns;
        for (size_t i = 0; i < T->len; i++)
            slot_put(T, i);
    } else {
        slot_put(T, T->len - 1);
    }
    return 0;
}

static int array_push(parser *P, toml_value *a, toml_value *v)
{
    struct arr_data *A = &a->u.a;
    if (A->len == A->cap) {
        size_t cap = A->cap ? A->cap * 2 : 4;
        toml_value **items = arena_alloc(P, cap * sizeof *items);
        if (!items)
            return -1;
        if (A->len)
            memcpy(items, A->items, A->len * sizeof *items);
        A->items = items;
        A->cap = cap;
    }
    A->items[A->len++] = v;
    return 0;
}

/* ---- lexical helpers ------------------------------------------------- */

/* Character classes for the two hottest loops: bare keys and string bodies. */
enum { C_BARE = 1, C_STR = 2 };
#define R2(c, v) [(c)] = (v), [(c) + 1] = (v)
#define R4(c, v) R2(c, v), R2((c) + 2, v)
#define R8(c, v) R4(c, v), R4((c) + 4, v)
#define R16(c, v) R8(c, v), R8((c) + 8, v)
static const unsigned char char_class[256] = {
    R16(0x00, C_STR), R16(0x10, C_STR), [0x7f] = C_STR, ['"'] = C_STR, ['\''] = C_STR,
    ['\\'] = C_STR, R8('0', C_BARE), R2('8', C_BARE), R16('A', C_BARE), R8('Q', C_BARE),
    R2('Y', C_BARE), R16('a', C_BARE), R8('q', C_BARE), R2('y', C_BARE), ['_'] = C_BARE,
    ['-'] = C_BARE,
};
#undef R2
#undef R4
#undef R8
#undef R16

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_bare(int c)
{
    return c >= 0 && c < 256 && (char_class[c] & C_BARE);
}

static int is_ctrl(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

static void skip_ws(parser *P)
{
    const char *p = P->p;
    while (p < P->end && (*p == ' ' || *p == '\t'))
        p++;
    P->p = p;
}

/* 1 when a newline was consumed, 0 when there is none, -1 on a lone CR. */
static int eat_newline(parser *P)
{
    if (P->p >= P->end)
        return 0;
    if (*P->p == '\n') {
        P->p++;
        P->line++;
        return 1;
    }
    if (*P->p == '\r') {
        if (P->end - P->p >= 2 && P->p[1] == '\n') {
            P->p += 2;
            P->line++;
            return 1;
        }
        return fail(P, P->line, "bare carriage return");
    }
    return 0;
}

/* At '#'; stops before the line break, which the caller consumes. */
static int skip_comment(parser *P)
{
    for (P->p++; P->p < P->end; P->p++) {
        unsigned char c = (unsigned char)*P->p;
        if (c == '\n' || c == '\r')
            break;
        if (is_ctrl(c))
            return fail(P, P->line, "control character in comment");
    }
    return 0;
}

/* Whitespace, comments and newlines, as allowed between array elements. */
static int skip_blank(parser *P)
{
    for (;;) {
        skip_ws(P);
        if (P->p >= P->end)
            return 0;
        if (*P->p == '#') {
            if (skip_comment(P))
                return -1;
            continue;
        }
        int r = eat_newline(P);
        if (r <= 0)
            return r;
    }
}

/* The rest of a line after a key/value pair or header. */
static int end_of_line(parser *P, const char *after)
{
    skip_ws(P);
    if (P->p < P->end && *P->p == '#' && skip_comment(P))
        return -1;
    if (P->p >= P->end)
        return 0;
    int r = eat_newline(P);
    if (r < 0)
        return -1;
    if (r == 0)
        return fail(P, P->line, "expected newline after %s", after);
    return 0;
}

static unsigned line_at(const char *from, const char *at)
{
    unsigned line = 1;
    const char *nl;
    while ((nl = memchr(from, '\n', (size_t)(at - from))) != NULL) {
        line++;
        from = nl + 1;
    }
    return line;
}

/* Done once over the whole document so later stages only reason about ASCII;
 * lines are only counted when there is an error to report. */
static int check_utf8(parser *P)
{
    const unsigned char *s = (const unsigned char *)P->p, *end = (const unsigned char *)P->end;
    while (s < end) {
        unsigned c = *s;
        size_t n, i;
        uint32_t cp;
        if (end - s >= 8) {
            uint64_t w;
            memcpy(&w, s, 8);
            if (!(w & 0x8080808080808080u)) {
                s += 8;
                continue;
            }
        }
        if (c < 0x80) {
            s++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            goto bad;
        }
        if ((size_t)(end - s) <= n)
            goto bad;
        for (i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                goto bad;
            cp = cp << 6 | (s[i] & 0x3f);
        }
        /* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            goto bad;
        s += n + 1;
    }
    return 0;
bad:
    return fail(P, line_at(P->p, (const char *)s), "invalid utf-8");
}

/* ---- strings --------------------------------------------------------- */

static int hex_val(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static char *put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3f));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

/* At a backslash inside a basic string body ending at stop. */
static int decode_escape(parser *P, const char **sp, const char *stop, char **op, unsigned *line,
                         int multi)
{
    const char *s = *sp;
    char e = stop - s >= 2 ? s[1] : 0, c;
    switch (e) {
    case 'b': c = '\b'; break;
    case 't': c = '\t'; break;
    case 'n': c = '\n'; break;
    case 'f': c = '\f'; break;
    case 'r': c = '\r'; break;
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case 'u':
    case 'U': {
        size_t n = e == 'u' ? 4 : 8;
        uint32_t cp = 0;
        if ((size_t)(stop - s) < 2 + n)
            return fail(P, *line, "invalid unicode escape");
        for (size_t i = 0; i < n; i++) {
            int h = hex_val((unsigned char)s[2 + i]);
            if (h < 0)
                return fail(P, *line, "invalid unicode escape");
            cp = cp << 4 | (uint32_t)h;
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return fail(P, *line, "invalid unicode escape");
        *op = put_utf8(*op, cp);
        *sp = s + 2 + n;
        return 0;
    }
    default:
        if (multi) {
            /* line-ending backslash: drop it and all whitespace that follows,
             * newlines included */
            const char *t = s + 1;
            while (t < stop && (*t == ' ' || *t == '\t'))
                t++;
            if (t < stop && (*t == '\n' || (*t == '\r' && stop - t >= 2 && t[1] == '\n'))) {
                while (t < stop) {
                    if (*t == ' ' || *t == '\t') {
                        t++;
                    } else if (*t == '\n') {
                        t++;
                        (*line)++;
                    } else if (*t == '\r' && stop - t >= 2 && t[1] == '\n') {
                        t += 2;
                        (*line)++;
                    } else {
                        break;
                    }
                }
                *sp = t;
                return 0;
            }
        }
        return fail(P, *line, "invalid escape sequence");
    }
    *(*op)++ = c;
    *sp = s + 2;
    return 0;
}

/* At the opening quote of any of the four string forms (multi-line ones are
 * not keys).  A first pass finds the closing delimiter, counts lines and
 * rejects control characters; the common string without escapes or CRLFs is
 * then copied as is, anything else decoded by a second pass.  Decoding never
 * makes text longer, so the body's length bounds the copy. */
static int parse_string(parser *P, int is_key, const char **out, size_t *outlen)
{
    const char *p = P->p, *end = P->end, *body, *stop, *after, *s;
    const char q = *p;
    const int literal = q == '\'';
    const int multi = !is_key && end - p >= 3 && p[1] == q && p[2] == q;
    const unsigned start = P->line;
    unsigned line = start, body_line;
    int plain = 1;
    char *buf, *o;

    body = p + (multi ? 3 : 1);
    if (multi) {
        if (body < end && *body == '\n') {
            body++;
            line++;
        } else if (end - body >= 2 && body[0] == '\r' && body[1] == '\n') {
            body += 2;
            line++;
        }
    }
    body_line = line;
    for (s = body;;) {
        unsigned char c;
        while (s < end && !(char_class[(unsigned char)*s] & C_STR))
            s++;
        if (s >= end)
            return fail(P, start, "unterminated string");
        c = (unsigned char)*s;
        if (c == (unsigned char)q) {
            size_t run = 1;
            if (!multi) {
                stop = s;
                after = s + 1;
                break;
            }
            while ((size_t)(end - s) > run && s[run] == q)
                run++;
            if (run < 3) {
                s += run;
                continue;
            }
            /* up to two quotes may sit right before the closing delimiter */
            if (run > 5)
                return fail(P, line, "too many quotes at end of string");
            stop = s + (run - 3);
            after = s + run;
            break;
        }
        if (c == '\\' && !literal) {
            plain = 0;
            if (end - s < 2)
                return fail(P, start, "unterminated string");
            if (s[1] == '\n' || s[1] == '\r') {
                if (!multi)
                    return fail(P, start, "unterminated string");
                if (s[1] == '\r' && !(end - s >= 3 && s[2] == '\n'))
                    return fail(P, line, "invalid escape sequence");
                s++; /* the line break is counted next round */
            } else {
                s += 2; /* an escaped quote must not end the string */
            }
        } else if (c == '\n') {
            if (!multi)
                return fail(P, start, "unterminated string");
            line++;
            s++;
        } else if (c == '\r') {
            if (!multi)
                return fail(P, start, "unterminated string");
            if (!(end - s >= 2 && s[1] == '\n'))
                return fail(P, line, "control character in string");
            plain = 0; /* CRLF becomes LF */
            line++;
            s += 2;
        } else if (c == '\t' || c == '"' || c == '\'' || c == '\\') {
            s++;
        } else {
            return fail(P, line, "control character in string");
        }
    }

    buf = o = arena_alloc(P, (size_t)(stop - body) + 1);
    if (!buf)
        return -1;
    if (plain) {
        memcpy(buf, body, (size_t)(stop - body));
        o += stop - body;
    } else {
        unsigned dline = body_line;
        for (s = body; s < stop;) {
            unsigned char c = (unsigned char)*s;
            if (c == '\\' && !literal) {
                if (decode_escape(P, &s, stop, &o, &dline, multi))
                    return -1;
            } else if (c == '\n') {
                *o++ = '\n';
                s++;
                dline++;
            } else if (c == '\r' && stop - s >= 2 && s[1] == '\n') {
                *o++ = '\n';
                s += 2;
                dline++;
            } else if (is_ctrl(c)) { /* the scan already refused these */
                return fail(P, dline, "control character in string");
            } else {
                *o++ = (char)c;
                s++;
            }
        }
    }
    *o = 0;
    *out = buf;
    *outlen = (size_t)(o - buf);
    P->p = after;
    P->line = line;
    return 0;
}

/* ---- keys ------------------------------------------------------------ */

/* A dotted key has at most TOML_MAX_DEPTH + 1 parts: more would nest tables
 * beyond the depth cap anyway. */
static int parse_key(parser *P, struct keypart *parts, size_t *np)
{
    size_t n = 0;
    for (;;) {
        skip_ws(P);
        if (n > TOML_MAX_DEPTH)
            return fail(P, P->line, "nesting deeper than %d", TOML_MAX_DEPTH);
        if (P->p >= P->end)
            return fail(P, P->line, "expected a key");
        if (*P->p == '"' || *P->p == '\'') {
            if (parse_string(P, 1, &parts[n].s, &parts[n].n))
                return -1;
        } else if (is_bare((unsigned char)*P->p)) {
            const char *b = P->p, *e = P->p;
            while (e < P->end && (char_class[(unsigned char)*e] & C_BARE))
                e++;
            P->p = e;
            parts[n].n = (size_t)(e - b);
            if (!(parts[n].s = arena_strdup(P, b, parts[n].n)))
                return -1;
        } else {
            return fail(P, P->line, "expected a key");
        }
        n++;
        skip_ws(P);
        if (P->p < P->end && *P->p == '.') {
            P->p++;
            continue;
        }
        *np = n;
        return 0;
    }
}

/* ---- scalars --------------------------------------------------------- */

static int digit_val(int c, int radix)
{
    int v = hex_val(c);
    return v >= 0 && v < radix ? v : -1;
}

/* One or more digits, underscores only between two digits. */
static int digit_run(const char **sp, const char *end, int radix)
{
    const char *s = *sp;
    if (s >= end || digit_val((unsigned char)*s, radix) < 0)
        return -1;
    for (;;) {
        s++;
        if (s < end && *s == '_') {
            s++;
            if (s >= end || digit_val((unsigned char)*s, radix) < 0)
                return -1;
        } else if (s >= end || digit_val((unsigned char)*s, radix) < 0) {
            break;
        }
    }
    *sp = s;
    return 0;
}

static int read2(const char *s, int *out)
{
    if (!is_digit(s[0]) || !is_digit(s[1]))
        return -1;
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    return 0;
}

static int days_in(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Offset date-time, local date-time, local date or local time; the caller
 * saw "DDDD-" or "DD:".  Kept as its source text. */
static toml_value *parse_datetime(parser *P, unsigned depth)
{
    const char *s = P->p, *end = P->end, *q = s;
    const unsigned line = P->line;
    int want_time = 1, has_date = 0, a, b, c, d;
    toml_value *v;

    if (end - q >= 5 && q[4] == '-') {
        if (end - q < 10 || q[7] != '-' || read2(q, &a) || read2(q + 2, &b) ||
            read2(q + 5, &c) || read2(q + 8, &d))
            goto bad;
        if (c < 1 || c > 12 || d < 1 || d > days_in(a * 100 + b, c))
            goto bad;
        q += 10;
        has_date = 1;
        if (q < end && (*q == 'T' || *q == 't'))
            q++;
        else if (end - q >= 4 && *q == ' ' && is_digit(q[1]) && is_digit(q[2]) && q[3] == ':')
            q++;
        else
            want_time = 0;
    }
    if (want_time) {
        if (end - q < 8 || q[2] != ':' || q[5] != ':' || read2(q, &a) || read2(q + 3, &b) ||
            read2(q + 6, &c) || a > 23 || b > 59 || c > 60)
            goto bad;
        q += 8;
        if (q < end && *q == '.') {
            q++;
            if (q >= end || !is_digit(*q))
                goto bad;
            while (q < end && is_digit(*q))
                q++;
        }
        if (has_date && q < end) {
            if (*q == 'Z' || *q == 'z') {
                q++;
            } else if (*q == '+' || *q == '-') {
                if (end - q < 6 || q[3] != ':' || read2(q + 1, &a) || read2(q + 4, &b) ||
                    a > 23 || b > 59)
                    goto bad;
                q += 6;
            }
        }
    }
    if (q < end && (is_bare((unsigned char)*q) || *q == '.' || *q == ':' || *q == '+'))
        goto bad;
    if (!(v = new_node(P, TOML_DATETIME, depth, line)))
        return NULL;
    if (!(v->u.s.ptr = arena_strdup(P, s, (size_t)(q - s))))
        return NULL;
    v->u.s.len = (size_t)(q - s);
    P->p = q;
    return v;
bad:
    fail(P, line, "invalid date-time");
    return NULL;
}

/* Converts a validated decimal float without relying on the C library's
 * idea of the radix character (setlocale would change it): the digits are
 * rewritten as an integer mantissa and a power of ten. */
static int convert_float(parser *P, const char *s, const char *t, double *out)
{
    char small[128], *buf = small, *o;
    const char *d = s;
    long long exp10 = 0, frac = 0, e = 0;
    int in_frac = 0, eneg = 0;
    size_t need = (size_t)(t - s) + 32;

    if (need > sizeof small && !(buf = malloc(need)))
        return fail(P, P->line, "out of memory");
    o = buf;
    for (; d < t && *d != 'e' && *d != 'E'; d++) {
        if (*d == '.')
            in_frac = 1;
        else if (*d != '_') {
            *o++ = *d;
            frac += in_frac && is_digit(*d);
        }
    }
    if (d < t) {
        d++;
        if (*d == '+' || *d == '-')
            eneg = *d++ == '-';
        /* saturate: no document has the 10^12 mantissa digits it would take
         * to bring a larger exponent back into range */
        for (; d < t; d++)
            if (*d != '_' && e < 1000000000000LL)
                e = e * 10 + (*d - '0');
    }
    exp10 = (eneg ? -e : e) - frac;
    *o++ = 'e';
    if (exp10 < 0) {
        *o++ = '-';
        exp10 = -exp10;
    }
    {
        char digits[24];
        int nd = 0;
        do
            digits[nd++] = (char)('0' + exp10 % 10);
        while ((exp10 /= 10) > 0);
        while (nd)
            *o++ = digits[--nd];
        *o = 0;
    }
    *out = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    return 0;
}

static toml_value *parse_number(parser *P, unsigned depth)
{
    const char *s = P->p, *end = P->end, *t = s, *q = s, *d;
    const unsigned line = P->line;
    int neg = 0, is_float = 0;
    toml_value *v;

    if (end - s >= 5 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
        s[4] == '-')
        return parse_datetime(P, depth);
    if (end - s >= 3 && is_digit(s[0]) && is_digit(s[1]) && s[2] == ':')
        return parse_datetime(P, depth);

    while (t < end && (is_bare((unsigned char)*t) || *t == '.' || *t == '+'))
        t++;
    if (q < t && (*q == '+' || *q == '-')) {
        neg = *q == '-';
        q++;
    }
    if (t - q == 3 && (memcmp(q, "inf", 3) == 0 || memcmp(q, "nan", 3) == 0)) {
        if (!(v = new_node(P, TOML_FLOAT, depth, line)))
            return NULL;
        v->u.f = *q == 'i' ? (double)INFINITY : (double)NAN;
        if (neg)
            v->u.f = -v->u.f;
        P->p = t;
        return v;
    }
    if (q == t || !is_digit(*q)) {
        fail(P, line, q == s ? "expected a value" : "invalid number");
        return NULL;
    }

    if (q == s && t - q > 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'o' || q[1] == 'b')) {
        const int radix = q[1] == 'x' ? 16 : q[1] == 'o' ? 8 : 2;
        uint64_t acc = 0;
        d = q + 2;
        if (digit_run(&d, t, radix) || d != t)
            goto bad;
        for (d = q + 2; d < t; d++) {
            if (*d == '_')
                continue;
            unsigned dv = (unsigned)digit_val((unsigned char)*d, radix);
            if (acc > ((uint64_t)INT64_MAX - dv) / (unsigned)radix)
                goto range;
            acc = acc * (unsigned)radix + dv;
        }
        if (!(v = new_node(P, TOML_INT, depth, line)))
            return NULL;
        v->u.i = (int64_t)acc;
        P->p = t;
        return v;
    }

    d = q;
    if (digit_run(&d, t, 10))
        goto bad;
    if (*q == '0' && d - q > 1) {
        fail(P, line, "leading zeros are not allowed");
        return NULL;
    }
    if (d < t && *d == '.') {
        d++;
        if (digit_run(&d, t, 10))
            goto bad;
        is_float = 1;
    }
    if (d < t && (*d == 'e' || *d == 'E')) {
        d++;
        if (d < t && (*d == '+' || *d == '-'))
            d++;
        if (digit_run(&d, t, 10))
            goto bad;
        is_float = 1;
    }
    if (d != t)
        goto bad;

    if (is_float) {
        if (!(v = new_node(P, TOML_FLOAT, depth, line)))
            return NULL;
        if (convert_float(P, s, t, &v->u.f))
            return NULL;
    } else {
        const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
        uint64_t acc = 0;
        for (d = q; d < t; d++) {
            if (*d == '_')
                continue;
            unsigned dv = (unsigned)(*d - '0');
            if (acc > (limit - dv) / 10)
                goto range;
            acc = acc * 10 + dv;
        }
        if (!(v = new_node(P, TOML_INT, depth, line)))
            return NULL;
        /* INT64_MIN has no positive counterpart to negate */
        if (!neg)
            v->u.i = (int64_t)acc;
        else
            v->u.i = acc > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)acc;
    }
    P->p = t;
    return v;
bad:
    fail(P, line, "invalid number");
    return NULL;
range:
    fail(P, line, "integer out of range");
    return NULL;
}

static toml_value *parse_bool(parser *P, unsigned depth)
{
    const size_t avail = (size_t)(P->end - P->p);
    toml_value *v;
    int b;
    size_t n;
    if (avail >= 4 && memcmp(P->p, "true", 4) == 0) {
        b = 1;
        n = 4;
    } else if (avail >= 5 && memcmp(P->p, "false", 5) == 0) {
        b = 0;
        n = 5;
    } else {
        fail(P, P->line, "expected a value");
        return NULL;
    }
    if (avail > n && is_bare((unsigned char)P->p[n])) {
        fail(P, P->line, "expected a value");
        return NULL;
    }
    if (!(v = new_node(P, TOML_BOOL, depth, P->line)))
        return NULL;
    v->u.b = b;
    P->p += n;
    return v;
}

/* ---- containers ------------------------------------------------------ */

static toml_value *parse_value(parser *P, unsigned depth);

static int parse_keyval(parser *P, toml_value *tab)
{
    struct keypart k[TOML_MAX_DEPTH + 1];
    const unsigned line = P->line;
    toml_value *t = tab, *x, *v;
    size_t n, i;

    if (parse_key(P, k, &n))
        return -1;
    skip_ws(P);
    if (P->p >= P->end || *P->p != '=')
        return fail(P, P->line, "expected '=' after key");
    P->p++;
    skip_ws(P);

    for (i = 0; i + 1 < n; i++) {
        x = table_find(t, k[i].s, k[i].n);
        if (!x) {
            if (!(x = new_table(P, t->depth + 1u, line, F_DOTTED)) ||
                table_insert(P, t, k[i].s, k[i].n, x))
                return -1;
        } else if (x->type != TOML_TABLE) {
            return fail(P, line, "key '%s' is not a table", show(k[i].s, k[i].n).s);
        } else if (x->flags & F_INLINE) {
            return fail(P, line, "cannot extend inline table '%s'", show(k[i].s, k[i].n).s);
        } else if (!(x->flags & F_DOTTED)) {
            /* Tables made by [headers], even implicitly as parents, only take
             * dotted keys from their own section (toml-lang/toml#846). */
            return fail(P, line, "cannot use dotted keys to extend table '%s'",
                        show(k[i].s, k[i].n).s);
        }
        t = x;
    }
    if (table_find(t, k[n - 1].s, k[n - 1].n))
        return fail(P, line, "duplicate key '%s'", show(k[n - 1].s, k[n - 1].n).s);
    if (!(v = parse_value(P, t->depth + 1u)))
        return -1;
    return table_insert(P, t, k[n - 1].s, k[n - 1].n, v);
}

static toml_value *parse_array(parser *P, unsigned depth)
{
    const unsigned line = P->line;
    toml_value *a = new_node(P, TOML_ARRAY, depth, line), *v;
    if (!a)
        return NULL;
    P->p++;
    for (;;) {
        if (skip_blank(P))
            return NULL;
        if (P->p >= P->end) {
            fail(P, line, "unterminated array");
            return NULL;
        }
        if (*P->p == ']') {
            P->p++;
            return a;
        }
        if (!(v = parse_value(P, depth + 1)) || array_push(P, a, v) || skip_blank(P))
            return NULL;
        if (P->p >= P->end) {
            fail(P, line, "unterminated array");
            return NULL;
        }
        if (*P->p == ',') {
            P->p++;
        } else if (*P->p == ']') {
            P->p++;
            return a;
        } else {
            fail(P, P->line, "expected ',' or ']' in array");
            return NULL;
        }
    }
}

static toml_value *parse_inline_table(parser *P, unsigned depth)
{
    const unsigned line = P->line;
    toml_value *t = new_table(P, depth, line, F_INLINE);
    if (!t)
        return NULL;
    P->p++;
    skip_ws(P);
    if (P->p < P->end && *P->p == '}') {
        P->p++;
        return t;
    }
    for (;;) {
        if (P->p >= P->end) {
            fail(P, line, "unterminated inline table");
            return NULL;
        }
        if (*P->p == '\n' || *P->p == '\r') {
            fail(P, P->line, "newline in inline table");
            return NULL;
        }
        if (parse_keyval(P, t))
            return NULL;
        skip_ws(P);
        if (P->p >= P->end) {
            fail(P, line, "unterminated inline table");
            return NULL;
        }
        if (*P->p == '}') {
            P->p++;
            return t;
        }
        if (*P->p == '\n' || *P->p == '\r') {
            fail(P, P->line, "newline in inline table");
            return NULL;
        }
        if (*P->p != ',') {
            fail(P, P->line, "expected ',' or '}' in inline table");
            return NULL;
        }
        P->p++;
        skip_ws(P);
        if (P->p < P->end && *P->p == '}') {
            fail(P, P->line, "trailing comma in inline table");
            return NULL;
        }
    }
}

static toml_value *parse_value(parser *P, unsigned depth)
{
    const unsigned line = P->line;
    toml_value *v;
    if (P->p >= P->end) {
        fail(P, line, "expected a value");
        return NULL;
    }
    switch (*P->p) {
    case '"':
    case '\'': {
        const char *s;
        size_t n;
        if (parse_string(P, 0, &s, &n) || !(v = new_node(P, TOML_STRING, depth, line)))
            return NULL;
        v->u.s.ptr = s;
        v->u.s.len = n;
        return v;
    }
    case '[': return parse_array(P, depth);
    case '{': return parse_inline_table(P, depth);
    case 't':
    case 'f': return parse_bool(P, depth);
    default: return parse_number(P, depth);
    }
}

/* [a.b.c] or [[a.b.c]]; returns the table that following pairs go into. */
static toml_value *parse_header(parser *P, toml_value *root)
{
    struct keypart k[TOML_MAX_DEPTH + 1];
    const unsigned line = P->line;
    const int aot = P->end - P->p >= 2 && P->p[1] == '[';
    toml_value *t = root, *x, *e;
    size_t n, i;

    P->p += aot ? 2 : 1;
    if (parse_key(P, k, &n))
        return NULL;
    skip_ws(P);
    if (aot) {
        if (P->end - P->p < 2 || P->p[0] != ']' || P->p[1] != ']') {
            fail(P, P->line, "expected ']]' after table name");
            return NULL;
        }
        P->p += 2;
    } else {
        if (P->p >= P->end || *P->p != ']') {
            fail(P, P->line, "expected ']' after table name");
            return NULL;
        }
        P->p++;
    }

    for (i = 0; i + 1 < n; i++) {
        x = table_find(t, k[i].s, k[i].n);
        if (!x) {
            if (!(x = new_table(P, t->depth + 1u, line, F_IMPLICIT)) ||
                table_insert(P, t, k[i].s, k[i].n, x))
                return NULL;
        } else if (x->type == TOML_ARRAY && (x->flags & F_AOT)) {
            x = x->u.a.items[x->u.a.len - 1]; /* [[ ]] arrays are never empty */
        } else if (x->type == TOML_ARRAY) {
            fail(P, line, "cannot extend static array '%s'", show(k[i].s, k[i].n).s);
            return NULL;
        } else if (x->type != TOML_TABLE) {
            fail(P, line, "key '%s' is not a table", show(k[i].s, k[i].n).s);
            return NULL;
        } else if (x->flags & F_INLINE) {
            fail(P, line, "cannot extend inline table '%s'", show(k[i].s, k[i].n).s);
            return NULL;
        }
        t = x;
    }

    const struct keypart *last = &k[n - 1];
    x = table_find(t, last->s, last->n);
    if (aot) {
        if (!x) {
            if (!(x = new_node(P, TOML_ARRAY, t->depth + 1u, line)) ||
                table_insert(P, t, last->s, last->n, x))
                return NULL;
            x->flags = F_AOT;
        } else if (x->type == TOML_ARRAY && !(x->flags & F_AOT)) {
            fail(P, line, "cannot append to static array '%s'", show(last->s, last->n).s);
            return NULL;
        } else if (x->type != TOML_ARRAY) {
            fail(P, line, "key '%s' is not an array of tables", show(last->s, last->n).s);
            return NULL;
        }
        if (!(e = new_table(P, x->depth + 1u, line, F_DEFINED)) || array_push(P, x, e))
            return NULL;
        return e;
    }
    if (!x) {
        if (!(x = new_table(P, t->depth + 1u, line, F_DEFINED)) ||
            table_insert(P, t, last->s, last->n, x))
            return NULL;
        return x;
    }
    if (x->type == TOML_TABLE && x->flags == F_IMPLICIT) {
        x->flags = F_DEFINED;
        x->line = line;
        return x;
    }
    fail(P, line, x->type == TOML_TABLE ? "table '%s' already defined" : "key '%s' already defined",
         show(last->s, last->n).s);
    return NULL;
}

static int parse_document(parser *P, toml_value *root)
{
    toml_value *cur = root;
    while (P->p < P->end) {
        skip_ws(P);
        if (P->p >= P->end)
            break;
        if (*P->p == '[') {
            if (!(cur = parse_header(P, root)) || end_of_line(P, "table header"))
                return -1;
        } else if (*P->p == '#' || *P->p == '\n' || *P->p == '\r') {
            if (end_of_line(P, "comment"))
                return -1;
        } else if (parse_keyval(P, cur) || end_of_line(P, "value")) {
            return -1;
        }
    }
    return 0;
}

/* ---- public API ------------------------------------------------------ */

toml_value *ward_toml_parse(const char *text, size_t len, char *err, size_t errlen)
{
    parser P;
    struct doc *doc;

    memset(&P, 0, sizeof P);
    if (err && errlen)
        err[0] = 0;
    if (!text)
        text = "", len = 0;
    P.p = text;
    P.end = text + len;
    P.line = 1;
    P.err = err;
    P.errlen = errlen;
    P.next_block = FIRST_BLOCK;

    if (check_utf8(&P))
        return NULL;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        P.p += 3;
    if (!(doc = arena_alloc(&P, sizeof *doc)))
        goto fail;
    memset(doc, 0, sizeof *doc);
    doc->root.type = TOML_TABLE;
    doc->root.flags = F_DEFINED;
    doc->root.line = 1;
    P.nodes = 1;
    if (parse_document(&P, &doc->root))
        goto fail;
    doc->blocks = P.blocks;
    return &doc->root;
fail:
    free_blocks(P.blocks);
    return NULL;
}

void ward_toml_free(toml_value *root)
{
    if (root)
        free_blocks(((struct doc *)root)->blocks);
}

toml_type ward_toml_type_of(const toml_value *v)
{
    return v ? (toml_type)v->type : TOML_TABLE;
}

unsigned ward_toml_line(const toml_value *v)
{
    return v ? v->line : 0;
}

const toml_value *ward_toml_get(const toml_value *table, const char *key)
{
    if (!table || !key || table->type != TOML_TABLE)
        return NULL;
    return table_find(table, key, strlen(key));
}

size_t ward_toml_len(const toml_value *v)
{
    if (!v)
        return 0;
    if (v->type == TOML_TABLE)
        return v->u.t.len;
    if (v->type == TOML_ARRAY)
        return v->u.a.len;
    return 0;
}

const char *ward_toml_key_at(const toml_value *table, size_t i)
{
    if (!table || table->type != TOML_TABLE || i >= table->u.t.len)
        return NULL;
    return table->u.t.ent[i].key;
}

const toml_value *ward_toml_value_at(const toml_value *v, size_t i)
{
    if (!v)
        return NULL;
    if (v->type == TOML_TABLE)
        return i < v->u.t.len ? v->u.t.ent[i].val : NULL;
    if (v->type == TOML_ARRAY)
        return i < v->u.a.len ? v->u.a.items[i] : NULL;
    return NULL;
}

const char *ward_toml_str(const toml_value *v, size_t *len)
{
    if (!v || (v->type != TOML_STRING && v->type != TOML_DATETIME))
        return NULL;
    if (len)
        *len = v->u.s.len;
    return v->u.s.ptr;
}

int ward_toml_int(const toml_value *v, int64_t *out)
{
    if (!v || v->type != TOML_INT)
        return -1;
    if (out)
        *out = v->u.i;
    return 0;
}

int ward_toml_float(const toml_value *v, double *out)
{
    if (!v || (v->type != TOML_FLOAT && v->type != TOML_INT))
        return -1;
    if (out)
        *out = v->type == TOML_FLOAT ? v->u.f : (double)v->u.i;
    return 0;
}

int ward_toml_bool(const toml_value *v, int *out)
{
    if (!v || v->type != TOML_BOOL)
        return -1;
    if (out)
        *out = v->u.b;
    return 0;
}
