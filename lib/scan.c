/* scan.c - one pass over the bytes for all rules, then exact confirmation.
 *
 * A chunk is scanned once by the Vectorscan database holding every rule.
 * Vectorscan reports only where a match ends, possibly at many ends for one
 * match, so each report opens (or extends) a window for its rule reaching
 * back the rule's longest match; overlapping windows of one rule merge.  PCRE2
 * (JIT) then runs only inside those windows to find the exact span and the
 * secret's capture group.  Candidates go through the filters (entropy,
 * keywords, placeholders, allowlists, inline allow comments) and the rule's
 * validator; survivors are sorted by position, overlaps resolved in favour
 * of the more confident rule, and handed to the callback with line and
 * column computed by a single forward cursor.
 *
 * Everything a scan needs lives in the scanner, which one thread owns, so
 * nothing is allocated per buffer once the arrays have grown to fit.
 */
#define _GNU_SOURCE
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "encoded.h"
#include "internal.h"

/* How far past a reported end PCRE2 may look: to the end of the line, for
 * trailing context such as \b or a closing delimiter. */
#define WINDOW_AFTER 256u
/* Matches of the documented shape a window remembers for the loose pass. */
#define LOOSE_SPANS 64u
/* How far apart an identifier and its secret may start to pair up. */
#define PAIR_NEAR 1024u
/* Longest token checked for readable words. */
#define WORDS_MAX 128u
/* Hard caps so a hostile input cannot grow memory without bound. */
#define MAX_WINDOWS (1u << 20)
#define MAX_RAW (1u << 20)
/* How far along its line a match looks for keywords and allow comments. */
#define LINE_NEAR 1024u
/* Backtracking budget per PCRE2 call; a pathological window is abandoned. */
#define MATCH_LIMIT 200000u

typedef struct window {
    uint32_t rule;
    size_t ws, we;
} window;

typedef struct raw {
    size_t rule;
    size_t ms, me, ss, se;
    ward_confidence conf;
    const char *reason;
    int dropped;
    const char *enc;        /* found in decoded text: the encoding, else NULL */
    const char *dsecret;    /* then the decoded secret */
    size_t dlen;
} raw;

struct ward_scanner {
    const ward_engine *e;
    hs_scratch_t *scratch;
    pcre2_match_data *md;
    pcre2_match_data *md_aux; /* for allowlists and paths, so md survives */
    pcre2_match_context *mctx;
    window *win;
    size_t n_win, cap_win;
    size_t *cur_win;        /* per rule: 1 + index of its open window, 0 none */
    signed char *path_ok;   /* per rule, per chunk: 0 unknown, 1 yes, -1 no */
    raw *raw;
    size_t n_raw, cap_raw;
    const ward_chunk *chunk; /* the chunk being matched */
    int truncated;           /* a cap was hit: some candidates were dropped */
    int decode_depth;        /* layers of encoding looked through */
    int nested;              /* scans decoded text for another scanner */
    const char *commit;      /* ward git: the blob's commit, for allowlists */
    char *alt, *alt_of;      /* the chunk's path relative to the config, and the path it is of */
    ward_enc *enc;           /* the decoded runs of the chunk */
    ward_scanner *sub;       /* scans them, one layer of decoding less */
    /* UTF-16 input, transcoded to UTF-8 (u8), with checkpoints to map
     * offsets back: ck_in[k] (input byte) and ck_out[k] (u8 offset) at the
     * first code point boundary past k * U16_CK code units. */
    char *u8;
    size_t u8cap;
    uint64_t *ck_in, *ck_out;
    size_t ckcap;
};

void ward_scanner_set_commit(ward_scanner *s, const char *sha)
{
    s->commit = sha;
}

void ward_scanner_set_decode(ward_scanner *s, int depth, int nested)
{
    s->decode_depth = depth;
    s->nested = nested;
}

ward_status ward_scanner_new(const ward_engine *e, ward_scanner **out)
{
    if (!e || !out)
        return WARD_EINVAL;
    *out = NULL;
    ward_scanner *s = calloc(1, sizeof *s);
    if (!s)
        return WARD_ENOMEM;
    s->e = e;
    s->decode_depth = e->decode_depth;
    size_t nr = e->n_rules ? e->n_rules : 1;
    s->cur_win = calloc(nr, sizeof *s->cur_win);
    s->path_ok = calloc(nr, 1);
    s->md = pcre2_match_data_create(e->max_groups + 1, NULL);
    s->md_aux = pcre2_match_data_create(1, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    if (!s->cur_win || !s->path_ok || !s->md || !s->md_aux || !s->mctx ||
        (e->db && hs_alloc_scratch(e->db, &s->scratch) != HS_SUCCESS)) {
        ward_scanner_free(s);
        return WARD_ENOMEM;
    }
    pcre2_set_match_limit(s->mctx, MATCH_LIMIT);
    *out = s;
    return WARD_OK;
}

void ward_scanner_free(ward_scanner *s)
{
    if (!s)
        return;
    if (s->scratch)
        hs_free_scratch(s->scratch);
    pcre2_match_data_free(s->md);
    pcre2_match_data_free(s->md_aux);
    pcre2_match_context_free(s->mctx);
    free(s->win);
    free(s->cur_win);
    free(s->path_ok);
    free(s->raw);
    ward_enc_free(s->enc);
    ward_scanner_free(s->sub);
    free(s->alt);
    free(s->alt_of);
    free(s->u8);
    free(s->ck_in);
    free(s->ck_out);
    free(s);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem, size_t max)
{
    if (need <= *cap)
        return 0;
    if (need > max)
        return -1;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    if (nc > max)
        nc = max;
    void *p = realloc(*arr, nc * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    (void)from;
    (void)flags;
    ward_scanner *s = ctx;
    size_t cw = s->cur_win[id];
    size_t len = s->chunk->len;
    /* Most reports fall inside the window already open: the common case,
     * kept to a compare. */
    if (cw && to <= s->win[cw - 1].we)
        return 0;
    size_t ws, we;
    if (s->e->rules[id].kw_gate) {
        /* A keyword: the regex may match anywhere on its line (consider()
         * asks for the keyword on the match's line, within LINE_NEAR). */
        const char *buf = s->chunk->buf;
        ws = line_start(buf, to, to > LINE_NEAR ? (size_t)to - LINE_NEAR : 0);
        we = line_end(buf, len, to, LINE_NEAR);
        we = we + WINDOW_AFTER < len ? we + WINDOW_AFTER : len;
    } else {
        size_t mw = s->e->rules[id].max_width;
        ws = to > mw ? (size_t)to - mw : 0;
        we = to + WINDOW_AFTER < len ? (size_t)to + WINDOW_AFTER : len;
    }
    if (cw && ws <= s->win[cw - 1].we) {
        s->win[cw - 1].we = we;
        return 0;
    }
    if (grow((void **)&s->win, &s->cap_win, s->n_win + 1, sizeof(window), MAX_WINDOWS)) {
        s->truncated = 1;
        return 0;
    }
    s->win[s->n_win] = (window){id, ws, we};
    s->cur_win[id] = ++s->n_win;
    return 0;
}

static int path_allowed(const pcre2_code *const *res, size_t n, const char *path,
                        pcre2_match_data *md)
{
    if (!path)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (pcre2_match(res[i], (PCRE2_SPTR)path, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) >= 0)
            return 1;
    return 0;
}

/* A path matches when it does as given (as gitleaks matches it) or, with a
 * config file, relative to the config's folder: "^vendor/" in a config at
 * the repository root then holds for `ward scan /abs/repo` and from any
 * subfolder too. */
static int path_allowed2(const pcre2_code *const *res, size_t n, const char *path,
                         const char *alt, pcre2_match_data *md)
{
    return path_allowed(res, n, path, md) || (alt && path_allowed(res, n, alt, md));
}

/* Drops "." and "dir/.." segments and doubled slashes from an absolute
 * path, in place (lexically, as a path that was walked needs no more). */
static void normalize_path(char *p)
{
    char *out = p + 1, *in = p + 1;
    while (*in) {
        char *end = strchr(in, '/');
        size_t n = end ? (size_t)(end - in) : strlen(in);
        if (n == 0 || (n == 1 && in[0] == '.')) {
            /* nothing */
        } else if (n == 2 && in[0] == '.' && in[1] == '.') {
            if (out > p + 1) {
                out--; /* the slash after the last segment */
                while (out > p + 1 && out[-1] != '/')
                    out--;
            }
        } else {
            memmove(out, in, n);
            out += n;
            if (end)
                *out++ = '/';
        }
        in += n + (end ? 1 : 0);
    }
    if (out > p + 1 && out[-1] == '/')
        out--;
    *out = '\0';
}

/* The chunk's path relative to the engine's config folder, or NULL when it
 * is not below it. */
static const char *alt_path(ward_scanner *s, const char *path)
{
    const ward_engine *e = s->e;
    if (!e->config_dir || !e->cwd || !path || !*path || !strcmp(path, "-"))
        return NULL;
    if (s->alt_of && !strcmp(s->alt_of, path))
        return s->alt;
    free(s->alt);
    free(s->alt_of);
    s->alt = NULL;
    s->alt_of = strdup(path);
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    size_t lc = strlen(e->cwd), ld = strlen(e->config_dir), lp = strlen(path);
    char *abs = malloc(lc + lp + 2);
    if (!abs || !s->alt_of) {
        free(abs);
        return NULL;
    }
    if (path[0] == '/')
        memcpy(abs, path, lp + 1);
    else
        sprintf(abs, "%s%s%s", e->cwd, lc && e->cwd[lc - 1] == '/' ? "" : "/", path);
    normalize_path(abs);
    size_t skip = ld == 1 ? 1 : ld + 1; /* the config in "/" */
    if (!strncmp(abs, e->config_dir, ld) && (ld == 1 || abs[ld] == '/') && abs[skip])
        s->alt = strdup(abs + skip);
    free(abs);
    return s->alt;
}

static int regex_hit(const ward_allowlist *a, const char *t, size_t tl, pcre2_match_data *md)
{
    for (size_t i = 0; i < a->n_regexes; i++)
        if (pcre2_match(a->regexes[i], (PCRE2_SPTR)t, tl, 0, 0, md, NULL) >= 0)
            return 1;
    return 0;
}

static int stopword_hit(const ward_allowlist *a, const char *secret, size_t sl)
{
    for (size_t i = 0; i < a->n_stopwords; i++)
        if (ward_memmem_ci(secret, sl, a->stopwords[i], strlen(a->stopwords[i])))
            return 1;
    return 0;
}

typedef struct cand {
    const char *secret, *match, *line, *path, *rule_id, *commit, *alt;
    size_t sl, ml, ll;
} cand;

/* gitleaks semantics: with condition OR any configured criterion allows the
 * finding; with AND every configured one must. */
static int allowlisted(const ward_allowlist *a, size_t n, const cand *c, int global,
                       pcre2_match_data *md)
{
    for (size_t i = 0; i < n; i++, a++) {
        if (global && a->n_target_rules) {
            size_t k = 0;
            while (k < a->n_target_rules && strcmp(a->target_rules[k], c->rule_id))
                k++;
            if (k == a->n_target_rules)
                continue;
        }
        int set = 0, hit = 0;
        const char *t = a->target == WARD_TARGET_MATCH  ? c->match
                        : a->target == WARD_TARGET_LINE ? c->line
                                                        : c->secret;
        size_t tl = a->target == WARD_TARGET_MATCH  ? c->ml
                    : a->target == WARD_TARGET_LINE ? c->ll
                                                    : c->sl;
        if (a->n_paths) {
            set++;
            hit += path_allowed2((const pcre2_code *const *)a->paths, a->n_paths, c->path,
                                 c->alt, md);
        }
        if (a->n_regexes) {
            set++;
            hit += regex_hit(a, t, tl, md);
        }
        if (a->n_stopwords) {
            set++;
            hit += stopword_hit(a, c->secret, c->sl);
        }
        if (a->n_commits) {
            set++;
            for (size_t k = 0; c->commit && k < a->n_commits; k++)
                if (!strncmp(c->commit, a->commits[k], strlen(a->commits[k]))) {
                    hit++;
                    break;
                }
        }
        if (set && (a->condition_and ? hit == set : hit > 0))
            return 1;
    }
    return 0;
}

/* A string of n characters has at most log2(n) bits of entropy per
 * character, so a fixed threshold (gitleaks' generic rule uses 3.5) rejects
 * nearly every random value under 13 characters and one in ten of 16.  The
 * generic rules ask values of 12 to 23 characters for 0.6 bit less than the
 * most they could have; the randomness model still has to call them
 * random. */
static double entropy_needed(const ward_rule *r, size_t n)
{
    if (!r->generic || n >= 24 || n < 12)
        return r->entropy; /* under 12: identifiers, badge tokens, examples */
    static const double log2_of[24] = {0.0000, 0.0000, 1.0000, 1.5850, 2.0000, 2.3219, 2.5850, 2.8074, 3.0000, 3.1699, 3.3219, 3.4594, 3.5850, 3.7004, 3.8074, 3.9069, 4.0000, 4.0875, 4.1699, 4.2479, 4.3219, 4.3923, 4.4594, 4.5236};
    double most = log2_of[n] - 0.6;
    return most < r->entropy ? most : r->entropy;
}

static int keywords_present(const ward_rule *r, const char *t, size_t tl)
{
    if (!r->n_keywords)
        return 1;
    for (size_t i = 0; i < r->n_keywords; i++)
        if (ward_memmem_ci(t, tl, r->keywords[i], strlen(r->keywords[i])))
            return 1;
    return 0;
}

static int rule_path_ok(ward_scanner *s, size_t ri)
{
    const ward_rule *r = &s->e->rules[ri];
    if (!r->path_re)
        return 1;
    if (!s->path_ok[ri]) {
        const pcre2_code *p = r->path_re;
        s->path_ok[ri] =
            path_allowed2(&p, 1, s->chunk->path, alt_path(s, s->chunk->path), s->md_aux) ? 1 : -1;
    }
    return s->path_ok[ri] > 0;
}

/* Whether a value starts with a token prefix a provider rule owns (the
 * length of the longest that matches, or 0); a
 * prefix's closing separator may differ ("ghp-" for "ghp_"), since that too
 * is a near miss of the provider's format. */
int ward_provider_prefixed(const ward_engine *e, const char *v, size_t n)
{
    static const char seps[] = "_-.";
    int best = 0;
    for (size_t i = 0; i < e->n_prefixes; i++) {
        const char *p = e->prefixes[i];
        size_t k = strlen(p);
        if (k > n)
            continue;
        int sep = strchr(seps, p[k - 1]) != NULL;
        if (!strncasecmp(v, p, k - sep) && (!sep || (v[k - 1] && strchr(seps, v[k - 1]))) &&
            (int)k > best)
            best = (int)k;
    }
    return best;
}

static const char *default_reason(ward_confidence c)
{
    switch (c) {
    case WARD_CONF_HIGH: return "format unique to the provider";
    case WARD_CONF_MEDIUM: return "provider-specific format";
    default: return "high-entropy value assigned to a secret-like name";
    }
}

/* The reason a match of a rule's `loose` regex gives for its tier. */
static const char loose_reason[] = "shape differs from the documented format";

/* Filters one PCRE2 match and records it as a candidate finding; loose says
 * it matched the rule's `loose` regex, not the documented shape. */
static void consider(ward_scanner *s, size_t ri, size_t ms, size_t me, const PCRE2_SIZE *ov,
                     int rc, int loose)
{
    const ward_chunk *c = s->chunk;
    const ward_rule *r = &s->e->rules[ri];
    if (ms < c->emit_from || ms >= c->emit_to)
        return; /* another chunk owns it */
    size_t ss = ms, se = me;
    if (r->secret_group > 0) {
        int g = r->secret_group;
        if (g < rc && ov[2 * g] != PCRE2_UNSET) {
            ss = ov[2 * g];
            se = ov[2 * g + 1];
        }
    } else {
        for (int g = 1; g < rc; g++)
            if (ov[2 * g] != PCRE2_UNSET && ov[2 * g + 1] > ov[2 * g]) {
                ss = ov[2 * g];
                se = ov[2 * g + 1];
                break;
            }
    }
    if (se <= ss)
        return;
    const char *buf = c->buf, *secret = buf + ss;
    size_t sl = se - ss;
    /* The lines the match stands on: where keywords and allow comments
     * count.  (Not the whole window, which can be 64 KiB wide.) */
    size_t ls = line_start(buf, ms, ms > LINE_NEAR ? ms - LINE_NEAR : 0);
    size_t le = line_end(buf, c->len, me, LINE_NEAR);
    if (!keywords_present(r, buf + ms, me - ms) && !keywords_present(r, buf + ls, le - ls))
        return;
    if (r->entropy > 0 && ward_entropy(secret, sl) < entropy_needed(r, sl))
        return;
    if (ward_is_placeholder(secret, sl))
        return;
    /* A loose shape is only a token when it reads as random: the prefix
     * also starts names (npm_config_registry, ghp_token_length). */
    if (loose && !ward_looks_random(secret, sl))
        return;
    if (r->generic && (ward_is_generic_noise(secret, sl) || ward_provider_prefixed(s->e, secret, sl) ||
                       ward_generic_path_noise(c->path) ||
                       ward_generic_line_noise(buf + ls, le - ls, ss - ls, sl)))
        return;
    if (ward_line_has_allow(buf + ls, le - ls))
        return;
    cand cd = {secret, buf + ms, buf + ls, c->path, r->id, c->commit, alt_path(s, c->path),
               sl, me - ms, le - ls};
    if (allowlisted(r->allowlists, r->n_allowlists, &cd, 0, s->md_aux) ||
        allowlisted(s->e->allowlists, s->e->n_allowlists, &cd, 1, s->md_aux))
        return;
    ward_confidence conf = r->confidence;
    const char *reason = r->reason ? r->reason : default_reason(conf);
    if (loose) {
        /* The provider's prefix in another length or alphabet: likely its
         * token still, but nothing about it is proven. */
        if (conf > WARD_CONF_MEDIUM)
            conf = WARD_CONF_MEDIUM;
        reason = loose_reason;
    } else if (r->validator) {
        const char *why = NULL;
        ward_vresult v = r->validator->fn(secret, sl, &why);
        if (v == WARD_V_VALID)
            conf = WARD_CONF_HIGH;
        else if (v == WARD_V_INVALID)
            conf = WARD_CONF_LOW;
        if (why)
            reason = why;
    }
    if (conf == WARD_CONF_HIGH && sl <= WORDS_MAX && !memchr(secret, '\n', sl)) {
        /* Past the provider's prefix, readable words mean a made-up token
         * (even one whose checksum was computed to fit).  Long bodies (keys,
         * JWTs) hold word-like runs by chance. */
        size_t p = (size_t)ward_provider_prefixed(s->e, secret, sl);
        if (ward_token_has_words(secret + p, sl - p)) {
            conf = WARD_CONF_MEDIUM;
            reason = "readable words in the token: likely a made-up example";
        }
    }
    if (grow((void **)&s->raw, &s->cap_raw, s->n_raw + 1, sizeof(raw), MAX_RAW)) {
        s->truncated = 1;
        return;
    }
    s->raw[s->n_raw++] = (raw){ri, ms, me, ss, se, conf, reason, 0, NULL, NULL, 0};
}

/* A finding made in decoded text (encoded.c), at its encoded span. */
static void add_encoded(ward_scanner *s, size_t rule, size_t ms, size_t me, size_t ss, size_t se,
                        ward_confidence conf, const char *reason, const char *dsecret,
                        size_t dlen, const char *encoding)
{
    const ward_chunk *c = s->chunk;
    if (ss < c->emit_from || ss >= c->emit_to)
        return;
    size_t ls = line_start(c->buf, ss, ss > LINE_NEAR ? ss - LINE_NEAR : 0);
    if (ward_line_has_allow(c->buf + ls, line_end(c->buf, c->len, se, LINE_NEAR) - ls))
        return;
    /* Text that decoding left as it was: the plain pass may have it. */
    for (size_t i = 0; i < s->n_raw; i++)
        if (s->raw[i].rule == rule && s->raw[i].ss < se && ss < s->raw[i].se)
            return;
    if (grow((void **)&s->raw, &s->cap_raw, s->n_raw + 1, sizeof(raw), MAX_RAW)) {
        s->truncated = 1;
        return;
    }
    s->raw[s->n_raw++] = (raw){rule, ms, me, ss, se, conf, reason, 0, encoding, dsecret, dlen};
}

static int on_decoded(const ward_finding *f, void *user)
{
    ward_scanner *s = user;
    ward_enc_span sp;
    if (ward_enc_map(s->enc, s->chunk, f, &sp))
        add_encoded(s, f->rule_index, sp.ms, sp.me, sp.ss, sp.se, f->confidence, f->reason,
                    f->secret, f->secret_len, sp.encoding);
    return 0;
}

/* The nested pass: the chunk's encoded runs, decoded (encoded.c), scanned
 * by a scanner that looks through one layer less. */
static ward_status scan_decoded(ward_scanner *s)
{
    const ward_chunk *c = s->chunk;
    const char *dec;
    size_t dlen;
    ward_status st = ward_enc_decode(&s->enc, c, &dec, &dlen);
    if (st != WARD_OK || !dlen)
        return st;
    if (!s->sub && ward_scanner_new(s->e, &s->sub) != WARD_OK)
        return WARD_ENOMEM;
    ward_scanner_set_decode(s->sub, s->decode_depth - 1, 1);
    ward_chunk dc = {dec, dlen, 0, 1, 0, dlen, c->path, c->commit};
    st = ward_scan_chunk(s->sub, &dc, on_decoded, s);
    return st == WARD_EABORT ? WARD_OK : st;
}

/* Runs rule ri's PCRE2 code over [ws, we), recording every match. */
static void confirm(ward_scanner *s, size_t ri, size_t ws, size_t we)
{
    const ward_chunk *c = s->chunk;
    ward_rule *r = &((ward_engine *)s->e)->rules[ri];
    pcre2_code *code = ward_rule_code(s->e, r);
    if (!code)
        return;
    /* PCRE2 sees the whole chunk as its subject and starts at ws, so ^, \b
     * and lookbehinds see the real bytes before the window; only the end is
     * stretched a little, to the end of its line, for trailing context. */
    we = line_end(c->buf, c->len, we, WINDOW_AFTER);
    pcre2_code *loose = ward_rule_loose_code(s->e, r);
    /* The documented shape's matches, so the loose pass skips what they
     * cover (whether or not they became findings). */
    size_t spans[2 * LOOSE_SPANS], n_spans = 0;
    for (int pass = 0; pass < (loose ? 2 : 1); pass++) {
        size_t pos = ws;
        while (pos < we) {
            int rc = pcre2_match(pass ? loose : code, (PCRE2_SPTR)c->buf, we, pos, 0, s->md,
                                 s->mctx);
            if (rc <= 0)
                break; /* no match, or the backtracking budget ran out */
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            if (ov[1] <= ov[0]) {
                pos = ov[0] + 1;
                continue;
            }
            size_t end = ov[1], k = 0;
            if (!pass && n_spans <= LOOSE_SPANS) {
                if (n_spans < LOOSE_SPANS)
                    spans[2 * n_spans] = ov[0], spans[2 * n_spans + 1] = end;
                n_spans++;
            }
            while (pass && k < n_spans && (spans[2 * k + 1] <= ov[0] || end <= spans[2 * k]))
                k++;
            if (!pass || k == n_spans)
                consider(s, ri, ov[0], end, ov, rc, pass);
            pos = end;
        }
        if (n_spans > LOOSE_SPANS)
            break; /* too crowded to tell the shapes apart: the documented one only */
    }
}

static int raw_cmp(const void *a, const void *b)
{
    const raw *x = a, *y = b;
    if (x->ss != y->ss)
        return x->ss < y->ss ? -1 : 1;
    if (x->se != y->se)
        return x->se > y->se ? -1 : 1;
    return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* A medium finding of a rule with `pairs` becomes high when a finding of
 * one of those rules (the identifier that goes with the secret: an AWS
 * access key ID, a Twilio SID) starts within PAIR_NEAR bytes.  raw is
 * sorted by position, so each looks only at its neighbours. */
static void pair_up(ward_scanner *s)
{
    const ward_engine *e = s->e;
    for (size_t i = 0; i < s->n_raw; i++) {
        raw *a = &s->raw[i];
        const ward_rule *r = &e->rules[a->rule];
        if (!r->n_pairs || a->conf != WARD_CONF_MEDIUM || a->reason == loose_reason)
            continue;
        for (int dir = -1; dir <= 1 && a->conf == WARD_CONF_MEDIUM; dir += 2) {
            for (size_t j = i; dir < 0 ? j-- > 0 : ++j < s->n_raw;) {
                const raw *b = &s->raw[j];
                size_t d = b->ss > a->ss ? b->ss - a->ss : a->ss - b->ss;
                if (d > PAIR_NEAR)
                    break;
                const char *id = e->rules[b->rule].id;
                size_t k = 0;
                while (k < r->n_pairs && strcmp(r->pairs[k], id))
                    k++;
                if (k < r->n_pairs) {
                    a->conf = WARD_CONF_HIGH;
                    a->reason = r->pair_reason;
                    break;
                }
            }
        }
    }
}

/* Of two equally confident findings of the same secret, the one whose rule
 * matched more context says more (a service-account key in its JSON, over
 * the bare PEM block inside it); then the first rule in the catalog. */
static int loses_tie(const raw *a, const raw *b)
{
    size_t la = a->me - a->ms, lb = b->me - b->ms;
    if (la != lb)
        return la < lb;
    return a->rule > b->rule;
}

/* Where two findings claim overlapping bytes, the more confident one stands
 * (a GitHub token inside `token = "..."` is not also a generic secret); of
 * equally confident ones with the same span, see loses_tie(). */
static void resolve_overlaps(ward_scanner *s)
{
    for (size_t i = 0; i < s->n_raw; i++) {
        raw *a = &s->raw[i];
        for (size_t j = i + 1; j < s->n_raw && s->raw[j].ss < a->se && !a->dropped; j++) {
            raw *b = &s->raw[j];
            if (b->dropped)
                continue;
            if (a->conf != b->conf)
                (a->conf < b->conf ? a : b)->dropped = 1;
            else if (a->ss == b->ss && a->se == b->se)
                (loses_tie(a, b) ? a : b)->dropped = 1;
        }
    }
}

static void fingerprint(const char *rule_id, const char *secret, size_t sl, char *out)
{
    ward_sha256 c;
    unsigned char h[32];
    static const char hex[] = "0123456789abcdef";
    ward_sha256_init(&c);
    ward_sha256_update(&c, rule_id, strlen(rule_id) + 1);
    ward_sha256_update(&c, secret, sl);
    ward_sha256_final(&c, h);
    for (int i = 0; i < WARD_FINGERPRINT_LEN / 2; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[WARD_FINGERPRINT_LEN] = '\0';
}

size_t ward_count_newlines(const char *p, size_t n)
{
    /* Eight bytes at a time: after XOR with '\n' a newline is a zero byte,
     * and (x & 0x7f..) + 0x7f.. sets a byte's top bit exactly when any of
     * its low seven bits is set, so no borrow can cross bytes. */
    const uint64_t lo7 = 0x7f7f7f7f7f7f7f7full, nl = 0x0a0a0a0a0a0a0a0aull;
    size_t k = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        x ^= nl;
        uint64_t t = ~(((x & lo7) + lo7) | x | lo7);
        /* one bit per newline, at bit 7 of its byte: sum the bytes with a
         * multiply (no popcount instruction in the baseline x86-64 ISA) */
        k += (size_t)(((t >> 7) * 0x0101010101010101ull) >> 56);
    }
    for (; i < n; i++)
        k += p[i] == '\n';
    return k;
}

static ward_status emit(ward_scanner *s, ward_finding_fn fn, void *user)
{
    const ward_chunk *c = s->chunk;
    const char *buf = c->buf;
    size_t cur = 0, cur_ls = 0;
    uint64_t cur_line = c->base_line;
    for (size_t i = 0; i < s->n_raw; i++) {
        const raw *x = &s->raw[i];
        if (x->dropped)
            continue;
        const ward_rule *r = &s->e->rules[x->rule];
        /* Findings are sorted, so one cursor walks the newlines once. */
        size_t nl = ward_count_newlines(buf + cur, x->ss - cur);
        if (nl) {
            cur_line += nl;
            cur_ls = line_start(buf, x->ss, cur);
        }
        cur = x->ss;
        size_t span_nl = ward_count_newlines(buf + x->ss, x->se - x->ss);
        size_t end_ls = span_nl ? line_start(buf, x->se, x->ss) : cur_ls;
        size_t le = line_end(buf, c->len, x->ss, WARD_MAX_LINE_TEXT);
        size_t lt = x->ss - cur_ls > WARD_MAX_LINE_TEXT / 2 ? x->ss - WARD_MAX_LINE_TEXT / 2
                                                             : cur_ls;
        if (le > lt + WARD_MAX_LINE_TEXT)
            le = lt + WARD_MAX_LINE_TEXT;
        if (le > lt && buf[le - 1] == '\r')
            le--;
        ward_finding f = {
            .size = sizeof f,
            .rule_id = r->id,
            .description = r->description,
            .revoke = r->revoke,
            .rule_index = x->rule,
            .confidence = x->conf,
            .reason = x->reason,
            .path = c->path,
            .secret = x->enc ? x->dsecret : buf + x->ss,
            .secret_len = x->enc ? x->dlen : x->se - x->ss,
            .offset = c->base_offset + x->ss,
            .length = x->se - x->ss,
            .match_offset = c->base_offset + x->ms,
            .match_length = x->me - x->ms,
            .line = cur_line,
            .column = x->ss - cur_ls + 1,
            .end_line = cur_line + span_nl,
            .end_column = x->se - end_ls + 1,
            .line_text = buf + lt,
            .line_len = le - lt,
            .line_col0 = x->ss - lt,
            .encoding = x->enc,
        };
        f.entropy = ward_entropy(f.secret, f.secret_len);
        fingerprint(r->id, f.secret, f.secret_len, f.fingerprint);
        if (fn(&f, user))
            return WARD_EABORT;
    }
    return WARD_OK;
}

ward_status ward_scan_chunk(ward_scanner *s, const ward_chunk *c, ward_finding_fn fn, void *user)
{
    const ward_engine *e = s->e;
    s->chunk = c;
    s->n_win = 0;
    s->n_raw = 0;
    memset(s->cur_win, 0, e->n_rules * sizeof *s->cur_win);
    memset(s->path_ok, 0, e->n_rules);
    if (e->db && c->len &&
        hs_scan(e->db, c->buf, (unsigned)c->len, 0, s->scratch, on_match, s) != HS_SUCCESS)
        return WARD_ESCAN;
    for (size_t i = 0; i < s->n_win; i++)
        if (rule_path_ok(s, s->win[i].rule))
            confirm(s, s->win[i].rule, s->win[i].ws, s->win[i].we);
    for (size_t i = 0; i < e->n_pcre_only; i++)
        if (rule_path_ok(s, e->pcre_only[i]))
            confirm(s, e->pcre_only[i], 0, c->len);
    if (s->decode_depth > 0) {
        ward_status est = scan_decoded(s);
        if (est)
            return est;
    }
    if (s->n_raw > 1)
        qsort(s->raw, s->n_raw, sizeof(raw), raw_cmp);
    pair_up(s);
    resolve_overlaps(s);
    ward_status st = emit(s, fn, user);
    /* Path-only rules (a file that is itself a secret, such as a keystore)
     * report once, with the first chunk. */
    for (size_t i = 0; st == WARD_OK && c->base_offset == 0 && !s->nested && i < e->n_rules;
         i++) {
        const ward_rule *r = &e->rules[i];
        if (r->regex || !rule_path_ok(s, i))
            continue;
        ward_finding f = {.size = sizeof f, .rule_id = r->id, .description = r->description,
                          .revoke = r->revoke, .rule_index = i,
                          .confidence = r->confidence, .reason = "file name matches",
                          .path = c->path, .secret = "", .line = 1, .column = 1,
                          .end_line = 1, .end_column = 1, .line_text = ""};
        fingerprint(r->id, c->path ? c->path : "", c->path ? strlen(c->path) : 0,
                    f.fingerprint);
        if (fn(&f, user))
            st = WARD_EABORT;
    }
    s->chunk = NULL;
    return st;
}

static ward_status scan_plain(ward_scanner *s, const char *buf, size_t len, const char *path,
                              ward_finding_fn fn, void *user)
{
    /* Vectorscan takes 32-bit lengths; bigger buffers go in overlapping
     * chunks exactly as files do. */
    size_t keep = WARD_MAX_WINDOW + WARD_LINE_CONTEXT;
    size_t step = (size_t)1 << 30, off = 0, emit_from = 0;
    uint64_t line = 1;
    for (;;) {
        size_t n = len - off > step + keep ? step + keep : len - off;
        int last = off + n == len;
        ward_chunk c = {buf + off, n, off, line, emit_from, last ? n : n - keep, path, s->commit};
        ward_status st = ward_scan_chunk(s, &c, fn, user);
        if (st || last)
            return st;
        size_t adv = c.emit_to - WARD_LINE_CONTEXT;
        line += ward_count_newlines(buf + off, adv);
        off += adv;
        emit_from = WARD_LINE_CONTEXT;
    }
}

/* ---------------------------------------------------------------------
 * UTF-16 text.  A buffer that starts with a UTF-16 byte-order mark (as
 * Windows PowerShell's Out-File and regedit write), and holds mostly text
 * in the first 256 code points, is transcoded to UTF-8
 * and scanned as such; findings name the encoding, their offsets are mapped
 * back to the input, their secret and line text are the UTF-8 copy.
 * ------------------------------------------------------------------- */

#define U16_CK 1024u

int ward_utf16_bom(const char *buf, size_t len)
{
    if (len < 4)
        return 0;
    unsigned char a = (unsigned char)buf[0], b = (unsigned char)buf[1];
    int kind = a == 0xff && b == 0xfe ? 1 : a == 0xfe && b == 0xff ? 2 : 0;
    if (!kind)
        return 0;
    /* A mark alone could open binary data: ask for text that mostly lives
     * in the first 256 code points (its high bytes zero), as any file with
     * ASCII names and values does.  (Text mostly in other scripts is left
     * alone: as before, it counts as binary.) */
    size_t units = (len - 2) / 2 < 2048 ? (len - 2) / 2 : 2048, zero = 0;
    for (size_t k = 0; k < units; k++)
        zero += buf[2 + 2 * k + (kind == 1)] == 0;
    return zero * 2 >= units ? kind : 0;
}

/* Decodes the code point at in[i] (big-endian when be) into out: its UTF-8
 * length, with *used the input bytes taken (2 or 4).  An unpaired
 * surrogate, or a last odd byte, is U+FFFD. */
static size_t u16_cp(const unsigned char *in, size_t n, size_t i, int be, char *out, size_t *used)
{
    if (n - i < 2) {
        *used = n - i;
        memcpy(out, "\xef\xbf\xbd", 3);
        return 3;
    }
    unsigned u = be ? (unsigned)in[i] << 8 | in[i + 1] : (unsigned)in[i + 1] << 8 | in[i];
    *used = 2;
    if (u >= 0xd800 && u < 0xdc00 && n - i >= 4) {
        unsigned v = be ? (unsigned)in[i + 2] << 8 | in[i + 3] : (unsigned)in[i + 3] << 8 | in[i + 2];
        if (v >= 0xdc00 && v < 0xe000) {
            u = 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
            *used = 4;
        }
    }
    if (u >= 0xd800 && u < 0xe000)
        u = 0xfffd;
    if (u < 0x80) {
        out[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        out[0] = (char)(0xc0 | u >> 6);
        out[1] = (char)(0x80 | (u & 0x3f));
        return 2;
    }
    if (u < 0x10000) {
        out[0] = (char)(0xe0 | u >> 12);
        out[1] = (char)(0x80 | (u >> 6 & 0x3f));
        out[2] = (char)(0x80 | (u & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | u >> 18);
    out[1] = (char)(0x80 | (u >> 12 & 0x3f));
    out[2] = (char)(0x80 | (u >> 6 & 0x3f));
    out[3] = (char)(0x80 | (u & 0x3f));
    return 4;
}

/* Transcodes in[2..n) into s->u8 (*outlen bytes), and records the
 * checkpoints (*nck of them, the last at the end). */
static ward_status u16_transcode(ward_scanner *s, const unsigned char *in, size_t n, int be,
                                 size_t *outlen, size_t *nck)
{
    size_t need = (n / 2 + 1) * 3 + 4, cap = n / 2 / U16_CK + 2;
    if (need > s->u8cap) {
        char *p = realloc(s->u8, need);
        if (!p)
            return WARD_ENOMEM;
        s->u8 = p;
        s->u8cap = need;
    }
    if (cap > s->ckcap) {
        uint64_t *a = realloc(s->ck_in, cap * sizeof *a);
        if (a)
            s->ck_in = a;
        uint64_t *b = realloc(s->ck_out, cap * sizeof *b);
        if (b)
            s->ck_out = b;
        if (!a || !b)
            return WARD_ENOMEM;
        s->ckcap = cap;
    }
    size_t o = 0, k = 0;
    for (size_t i = 2; i < n;) {
        if ((i - 2) / 2 >= k * U16_CK) {
            s->ck_in[k] = i;
            s->ck_out[k++] = o;
        }
        size_t used;
        o += u16_cp(in, n, i, be, s->u8 + o, &used);
        i += used;
    }
    s->ck_in[k] = n;
    s->ck_out[k++] = o;
    *outlen = o;
    *nck = k;
    return WARD_OK;
}

typedef struct u16ctx {
    const ward_scanner *s;
    const unsigned char *in;
    size_t n, nck;
    int be;
    ward_finding_fn fn;
    void *user;
} u16ctx;

/* The input offset of the code point holding UTF-8 offset o (the end of
 * the input for o at the end). */
static uint64_t u16_map(const u16ctx *x, uint64_t o)
{
    size_t lo = 0, hi = x->nck;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->s->ck_out[mid] <= o)
            lo = mid;
        else
            hi = mid;
    }
    uint64_t i = x->s->ck_in[lo], out = x->s->ck_out[lo];
    char tmp[4];
    while (i < x->n) {
        size_t used, l = u16_cp(x->in, x->n, (size_t)i, x->be, tmp, &used);
        if (out + l > o)
            break;
        out += l;
        i += used;
    }
    return i;
}

static int u16_finding(const ward_finding *f, void *user)
{
    u16ctx *x = user;
    ward_finding g = *f;
    g.offset = u16_map(x, f->offset);
    g.length = u16_map(x, f->offset + f->length) - g.offset;
    g.match_offset = u16_map(x, f->match_offset);
    g.match_length = u16_map(x, f->match_offset + f->match_length) - g.match_offset;
    if (!g.encoding)
        g.encoding = x->be ? "utf-16be" : "utf-16le";
    return x->fn(&g, x->user);
}

ward_status ward_scan_buffer(ward_scanner *s, const char *buf, size_t len, const char *path,
                             ward_finding_fn fn, void *user)
{
    if (!s || (!buf && len) || !fn)
        return WARD_EINVAL;
    int bom = s->nested ? 0 : ward_utf16_bom(buf, len);
    if (!bom)
        return scan_plain(s, buf, len, path, fn, user);
    size_t n8, nck;
    ward_status st = u16_transcode(s, (const unsigned char *)buf, len, bom == 2, &n8, &nck);
    if (st)
        return st;
    u16ctx x = {s, (const unsigned char *)buf, len, nck, bom == 2, fn, user};
    return scan_plain(s, s->u8, n8, path, u16_finding, &x);
}

char *ward_redact_preview(const char *secret, size_t len, char *out, size_t outlen)
{
    if (!outlen)
        return out;
    /* Show a little of a long secret, so a user can tell which one it is,
     * and nothing of a short one.  A PEM block's BEGIN line is no secret and
     * says far more than its first four dashes. */
    size_t show = len >= 16 ? 4 : len >= 8 ? 2 : 0;
    if (len > 11 && !memcmp(secret, "-----BEGIN ", 11)) {
        const char *end = memmem(secret + 11, len - 11 < 64 ? len - 11 : 64, "-----", 5);
        if (end)
            show = (size_t)(end - secret) + 5;
    }
    size_t k = 0;
    for (size_t i = 0; i < show && k + 1 < outlen; i++) {
        unsigned char ch = (unsigned char)secret[i];
        out[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
    }
    out[k] = '\0';
    snprintf(out + k, outlen - k, "…(%zu chars)", len);
    return out;
}
