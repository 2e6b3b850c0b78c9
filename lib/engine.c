/* engine.c - loads a rule set and its compiled Vectorscan database.
 *
 * Every rule's regex goes into one Vectorscan database so that a buffer is
 * scanned once for all rules.  Compiling that database takes far longer than
 * a pre-commit hook or an editor can wait, so it is compiled once and
 * serialised: the built-in catalog's database is made at build time and
 * embedded (builtin_db.c, beside the catalog's rules in compiled form); a
 * custom rule set's is cached on disk under a hash of its regexes.  A blob is
 * only trusted when its hash matches the rules now loaded, or when they are
 * the catalog's own unchanged, and Vectorscan itself refuses one made for
 * another CPU, in which case we compile afresh.
 *
 * Blob layout (little-endian host order; the blob never leaves the machine
 * that made it, or the build that embedded it):
 *   "WARDDB1\0"  u32 n_rules  u8 sha256(rule set)[32]
 *   n_rules x { u8 hs_mode  u32 max_width }
 *   u64 hs_len  hs_len bytes of hs_serialize_database()
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <hs/hs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec.h"
#include "encoded.h"
#include "internal.h"

static const char blob_magic[8] = "WARDDB1";

const char *ward_strerror(ward_status st)
{
    switch (st) {
    case WARD_OK: return "success";
    case WARD_ENOMEM: return "out of memory";
    case WARD_EINVAL: return "invalid argument";
    case WARD_ECONFIG: return "bad configuration";
    case WARD_EIO: return "input/output error";
    case WARD_EREGEX: return "regex does not compile";
    case WARD_ESCAN: return "matcher failed";
    case WARD_ETOOBIG: return "input too large";
    case WARD_EABORT: return "stopped by the caller";
    case WARD_EPARTIAL: return "some inputs could not be scanned";
    }
    return "unknown status";
}

const char *ward_confidence_name(ward_confidence c)
{
    switch (c) {
    case WARD_CONF_LOW: return "low";
    case WARD_CONF_MEDIUM: return "medium";
    case WARD_CONF_HIGH: return "high";
    }
    return "unknown";
}

void ward_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

int ward_engine_warn(struct ward_engine *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ward_warnings_vadd(&e->warnings, &e->n_warnings, fmt, ap);
    va_end(ap);
    return rc;
}

const char *ward_engine_warning(const ward_engine *e, size_t i)
{
    return e && i < e->n_warnings ? e->warnings[i] : NULL;
}


/* The hash that keys a compiled database: every regex in order, and the
 * Vectorscan version, since blobs are not portable across versions. */
static void ruleset_hash(const struct ward_engine *e, unsigned char out[32])
{
    ward_sha256 c;
    ward_sha256_init(&c);
    ward_sha256_update(&c, hs_version(), strlen(hs_version()));
    for (size_t i = 0; i < e->n_rules; i++) {
        const char *re = e->rules[i].regex ? e->rules[i].regex : "";
        ward_sha256_update(&c, re, strlen(re) + 1);
        if (e->rules[i].hs_regex)
            ward_sha256_update(&c, e->rules[i].hs_regex, strlen(e->rules[i].hs_regex) + 1);
    }
    ward_sha256_final(&c, out);
}

static void put(unsigned char **p, const void *v, size_t n)
{
    memcpy(*p, v, n);
    *p += n;
}

ward_status ward_engine_serialize(const struct ward_engine *e, unsigned char **out, size_t *len)
{
    char *hsb = NULL;
    size_t hsl = 0;
    if (e->db && hs_serialize_database(e->db, &hsb, &hsl) != HS_SUCCESS)
        return WARD_ENOMEM;
    size_t total = 8 + 4 + 32 + e->n_rules * 5 + 8 + hsl;
    unsigned char *b = malloc(total), *p = b;
    if (!b) {
        free(hsb);
        return WARD_ENOMEM;
    }
    uint32_t n = (uint32_t)e->n_rules;
    uint64_t l = hsl;
    unsigned char h[32];
    ruleset_hash(e, h);
    put(&p, blob_magic, 8);
    put(&p, &n, 4);
    put(&p, h, 32);
    for (size_t i = 0; i < e->n_rules; i++) {
        unsigned char m = (unsigned char)e->rules[i].hs_mode;
        uint32_t w = e->rules[i].max_width;
        put(&p, &m, 1);
        put(&p, &w, 4);
    }
    put(&p, &l, 8);
    if (hsl)
        put(&p, hsb, hsl);
    free(hsb);
    *out = b;
    *len = total;
    return WARD_OK;
}

/* Adopts a blob when it was made for exactly these rules; 0 on success. */
/* trusted: the rules are the catalog alone, which the embedded blob was
 * made from at build time, so hashing them again (0.8 ms) proves nothing. */
static int deserialize(struct ward_engine *e, const unsigned char *b, size_t len, int trusted)
{
    uint32_t n;
    uint64_t hsl;
    unsigned char h[32];
    size_t head = 8 + 4 + 32;
    if (len < head || memcmp(b, blob_magic, 8))
        return -1;
    memcpy(&n, b + 8, 4);
    if (n != e->n_rules || len < head + (size_t)n * 5 + 8)
        return -1;
    if (!trusted) {
        ruleset_hash(e, h);
        if (memcmp(h, b + 12, 32))
            return -1;
    }
    const unsigned char *p = b + head;
    for (size_t i = 0; i < n; i++, p += 5) {
        uint32_t w;
        memcpy(&w, p + 1, 4);
        if (p[0] > WARD_HS_NONE || w > WARD_MAX_WINDOW)
            return -1;
        e->rules[i].hs_mode = p[0];
        e->rules[i].max_width = w;
    }
    memcpy(&hsl, p, 8);
    p += 8;
    if (hsl != len - (size_t)(p - b))
        return -1;
    if (hsl && hs_deserialize_database((const char *)p, hsl, &e->db) != HS_SUCCESS) {
        e->db = NULL;
        return -1;
    }
    return 0;
}

static unsigned hs_flags_for(enum ward_hs_mode m)
{
    return HS_FLAG_MULTILINE | (m == WARD_HS_PREFILTER ? HS_FLAG_PREFILTER : 0);
}

/* Compiles the database.  A rule Vectorscan rejects is retried in prefilter
 * mode (PCRE2 then decides) and, failing that, left to PCRE2 alone, with a
 * warning either way: a gitleaks config written for Go's RE2 should load. */
static ward_status compile_db(struct ward_engine *e, char *err, size_t errlen)
{
    size_t n = e->n_rules;
    const char **exprs = calloc(n ? n : 1, sizeof *exprs);
    unsigned *flags = calloc(n ? n : 1, sizeof *flags), *ids = calloc(n ? n : 1, sizeof *ids);
    ward_status st = WARD_OK;
    if (!exprs || !flags || !ids) {
        st = WARD_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        ward_rule *r = &e->rules[i];
        r->hs_mode = r->regex ? WARD_HS_EXACT : WARD_HS_NONE;
        r->max_width = WARD_MAX_WINDOW;
        if (!r->regex)
            continue;
        const char *hx = r->hs_regex ? r->hs_regex : r->regex;
        hs_expr_info_t *info = NULL;
        hs_compile_error_t *ce = NULL;
        if (hs_expression_info(hx, hs_flags_for(WARD_HS_EXACT), &info, &ce) != HS_SUCCESS) {
            hs_free_compile_error(ce);
            ce = NULL;
            r->hs_mode = WARD_HS_PREFILTER;
            if (hs_expression_info(hx, hs_flags_for(WARD_HS_PREFILTER), &info, &ce) !=
                HS_SUCCESS) {
                ward_engine_warn(e, "rule '%s': %s; matched with PCRE2 alone (slower)", r->id,
                                 ce ? ce->message : "unsupported regex");
                hs_free_compile_error(ce);
                r->hs_mode = WARD_HS_NONE;
                continue;
            }
            ward_engine_warn(e, "rule '%s': regex uses constructs Vectorscan cannot match "
                                "exactly; prefiltering, PCRE2 confirms", r->id);
        }
        if (info->max_width < WARD_MAX_WINDOW)
            r->max_width = info->max_width;
        free(info);
    }
    for (;;) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (e->rules[i].hs_mode != WARD_HS_NONE) {
                exprs[m] = e->rules[i].hs_regex ? e->rules[i].hs_regex : e->rules[i].regex;
                flags[m] = hs_flags_for(e->rules[i].hs_mode);
                ids[m] = (unsigned)i;
                m++;
            }
        if (!m)
            break;
        hs_compile_error_t *ce = NULL;
        if (hs_compile_multi(exprs, flags, ids, (unsigned)m, HS_MODE_BLOCK, NULL, &e->db, &ce) ==
            HS_SUCCESS)
            break;
        e->db = NULL;
        if (ce->expression < 0 || (size_t)ce->expression >= m) {
            if (errlen)
                snprintf(err, errlen, "cannot compile the rule database: %s", ce->message);
            hs_free_compile_error(ce);
            st = WARD_EREGEX;
            break;
        }
        /* Expression-level failures that info did not predict (resource
         * limits, usually): demote that rule and try again. */
        ward_rule *r = &e->rules[ids[ce->expression]];
        ward_engine_warn(e, "rule '%s': %s; matched with PCRE2 alone (slower)", r->id,
                         ce->message);
        r->hs_mode = WARD_HS_NONE;
        hs_free_compile_error(ce);
    }
out:
    free(exprs);
    free(flags);
    free(ids);
    return st;
}

static void cache_path(const struct ward_engine *e, const char *dir, char *out, size_t cap)
{
    unsigned char h[32];
    char hex[65];
    ruleset_hash(e, h);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    snprintf(out, cap, "%s/db-%.32s.bin", dir, hex);
}

static int load_cached(struct ward_engine *e, const char *file)
{
    char *text;
    size_t len;
    if (ward_read_file(file, &text, &len, NULL, 0))
        return -1;
    int rc = deserialize(e, (unsigned char *)text, len, 0);
    free(text);
    return rc;
}

/* Best effort: a cache that cannot be written only costs time next run. */
static void store_cached(const struct ward_engine *e, const char *dir, const char *file)
{
    unsigned char *b;
    size_t len;
    char tmp[4200];
    if (ward_engine_serialize(e, &b, &len))
        return;
    /* mkdir -p for the last two levels is enough for ~/.cache/ward. */
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        (void)mkdir(parent, 0700);
    }
    (void)mkdir(dir, 0700);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", file, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        size_t off = 0;
        while (off < len) {
            ssize_t w = write(fd, b + off, len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        if (close(fd) == 0 && off == len)
            (void)rename(tmp, file);
        else
            (void)unlink(tmp);
    }
    free(b);
}

static ward_status build_matcher(struct ward_engine *e, const ward_engine_options *o, char *err,
                                 size_t errlen)
{
    if (deserialize(e, ward_builtin_db, ward_builtin_db_len, e->catalog_only) == 0)
        return WARD_OK;
    char dir[4096] = "", file[4200] = "";
    const char *cd = o ? o->cache_dir : NULL;
    if (cd)
        snprintf(dir, sizeof dir, "%s", cd);
    else if (getenv("XDG_CACHE_HOME") && *getenv("XDG_CACHE_HOME"))
        snprintf(dir, sizeof dir, "%s/ward", getenv("XDG_CACHE_HOME"));
    else if (getenv("HOME") && *getenv("HOME"))
        snprintf(dir, sizeof dir, "%s/.cache/ward", getenv("HOME"));
    if (*dir) {
        cache_path(e, dir, file, sizeof file);
        if (load_cached(e, file) == 0)
            return WARD_OK;
    }
    ward_status st = compile_db(e, err, errlen);
    if (st == WARD_OK && *dir)
        store_cached(e, dir, file);
    return st;
}

/* Remembers a provider token prefix (lowercase, at most 31 bytes). */
static int add_prefix(struct ward_engine *e, const char *p, size_t n)
{
    if (n < 3 || n > 31)
        return 0;
    for (size_t i = 0; i < e->n_prefixes; i++)
        if (strlen(e->prefixes[i]) == n && !strncasecmp(e->prefixes[i], p, n))
            return 0;
    if (e->n_prefixes % 64 == 0) {
        char **np = realloc(e->prefixes, (e->n_prefixes + 64) * sizeof *np);
        if (!np)
            return -1;
        e->prefixes = np;
    }
    char *d = malloc(n + 1);
    if (!d)
        return -1;
    for (size_t i = 0; i < n; i++)
        d[i] = (char)tolower((unsigned char)p[i]);
    d[n] = '\0';
    e->prefixes[e->n_prefixes++] = d;
    return 0;
}

/* Reads literal characters (letters, digits, _ - and escaped punctuation)
 * from *p into buf; stops at anything else. */
static size_t literal_run(const char **p, char *buf, size_t len, size_t cap)
{
    const char *q = *p;
    while (len < cap) {
        if (isalnum((unsigned char)*q) || *q == '_' || *q == '-') {
            buf[len++] = *q++;
        } else if (q[0] == '\\' && q[1] && strchr(".-_$/+=", q[1])) {
            buf[len++] = q[1];
            q += 2;
        } else {
            break;
        }
    }
    *p = q;
    return len;
}

/* The literal prefixes a regex's first capturing group starts with: a
 * literal run, or an alternation of literals "(?:AKIA|ASIA)" and the run
 * after it.  Quantified last characters are dropped. */
static int regex_prefixes(struct ward_engine *e, const char *re)
{
    const char *p = re;
    while ((p = strchr(p, '(')) && p[1] == '?')
        p++;
    if (!p)
        return 0;
    p++;
    char buf[32];
    if (p[0] == '(' && p[1] == '?' && p[2] == ':') {
        const char *q = p + 3;
        char alts[8][32];
        size_t lens[8], n = 0;
        for (;;) {
            if (n == 8)
                return 0;
            const char *a = q;
            lens[n] = literal_run(&q, alts[n], 0, sizeof alts[n] - 1);
            if (q == a)
                return 0;
            n++;
            if (*q == '|') {
                q++;
                continue;
            }
            if (*q != ')')
                return 0;
            q++;
            break;
        }
        const char *after = q;
        for (size_t i = 0; i < n; i++) {
            q = after;
            size_t len = literal_run(&q, alts[i], lens[i], sizeof alts[i] - 1);
            if (strchr("?*{", *q) && len > lens[i])
                len--; /* the last literal is optional or repeated */
            if (add_prefix(e, alts[i], len) < 0)
                return -1;
        }
        return 0;
    }
    size_t len = literal_run(&p, buf, 0, sizeof buf - 1);
    /* A small class inside the literal, as in EZ[AT]K (EasyPost): one
     * prefix per member, each with the literal after the class. */
    const char *close = *p == '[' ? strchr(p, ']') : NULL;
    if (len && close && close - p - 1 >= 1 && close - p - 1 <= 4 && !strchr("?*{+", close[1])) {
        int plain = 1;
        for (const char *c = p + 1; c < close; c++)
            plain &= isalnum((unsigned char)*c) != 0;
        for (const char *c = p + 1; plain && c < close; c++) {
            char alt[32];
            memcpy(alt, buf, len);
            alt[len] = *c;
            const char *q = close + 1;
            size_t al = literal_run(&q, alt, len + 1, sizeof alt - 1);
            if (strchr("?*{", *q) && al > len + 1)
                al--;
            if (add_prefix(e, alt, al) < 0)
                return -1;
        }
        if (plain)
            return 0;
    }
    if (strchr("?*{", *p) && len)
        len--;
    return add_prefix(e, buf, len);
}

static ward_status finish(struct ward_engine *e)
{
    size_t n_none = 0;
    for (size_t i = 0; i < e->n_rules; i++)
        n_none += e->rules[i].hs_mode == WARD_HS_NONE && e->rules[i].regex;
    e->pcre_only = calloc(n_none ? n_none : 1, sizeof(size_t));
    if (!e->pcre_only)
        return WARD_ENOMEM;
    for (size_t i = 0; i < e->n_rules; i++)
        if (e->rules[i].hs_mode == WARD_HS_NONE && e->rules[i].regex)
            e->pcre_only[e->n_pcre_only++] = i;
    /* Capture counts without compiling PCRE2 code: an upper bound from the
     * pattern text is enough to size per-thread match data.  The compiled
     * catalog knows it: counting would read every regex of it, which
     * start-up otherwise never touches. */
    uint32_t most = e->max_groups ? e->max_groups : 1;
    for (size_t i = 0; !e->max_groups && i < e->n_rules; i++) {
        uint32_t g = 0;
        for (const char *p = e->rules[i].regex; p && *p; p++)
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '(')
                g++;
        if (g > most)
            most = g;
    }
    e->max_groups = most;
    /* Token prefixes the provider rules own ("ghp_", "AKIA", "sk-ant-api03-"):
     * the literal start of each rule's secret group, and keywords that end
     * in a separator.  A generic finding whose value starts with one is a
     * near miss of that provider's format (a wrong length, a test value),
     * not a secret of unknown kind.  The compiled catalog brings its own. */
    for (size_t i = 0; !e->prefixes_borrowed && i < e->n_rules; i++) {
        const ward_rule *r = &e->rules[i];
        if (r->generic)
            continue;
        if (r->regex && regex_prefixes(e, r->regex) < 0)
            return WARD_ENOMEM;
        for (size_t k = 0; k < r->n_keywords; k++) {
            const char *kw = r->keywords[k];
            size_t n = strlen(kw);
            if (n >= 3 && strchr("_-.$", kw[n - 1]) && !strchr("_-.$", kw[0]) &&
                add_prefix(e, kw, n) < 0)
                return WARD_ENOMEM;
        }
    }
    return WARD_OK;
}

ward_status ward_take_options(void *dst, size_t ours, const void *src)
{
    memset(dst, 0, ours);
    if (src) {
        size_t theirs;
        memcpy(&theirs, src, sizeof theirs);
        if (theirs < sizeof theirs)
            return WARD_EINVAL; /* not set up with WARD_INIT */
        for (size_t i = ours; i < theirs; i++)
            if (((const unsigned char *)src)[i])
                return WARD_EINVAL; /* a field this library does not know */
        memcpy(dst, src, theirs < ours ? theirs : ours);
    }
    memcpy(dst, &ours, sizeof ours);
    return WARD_OK;
}

ward_status ward_engine_new(const ward_engine_options *opts, ward_engine **out, char *err,
                            size_t errlen)
{
    if (!out)
        return WARD_EINVAL;
    *out = NULL;
    if (errlen)
        err[0] = '\0';
    ward_engine_options oo;
    if (ward_take_options(&oo, sizeof oo, opts) != WARD_OK) {
        if (errlen)
            snprintf(err, errlen, "ward_engine_options: set up with WARD_INIT, and with "
                                  "no field this libward does not know");
        return WARD_EINVAL;
    }
    const ward_engine_options *o = &oo;
    struct ward_engine *e = calloc(1, sizeof *e);
    if (!e)
        return WARD_ENOMEM;
    pthread_mutex_init(&e->lazy_lock, NULL);
    e->no_builtin = o && o->no_default_rules;
    if (o && o->config_path) {
        char *real = realpath(o->config_path, NULL), *slash = real ? strrchr(real, '/') : NULL;
        if (slash) {
            slash[slash == real] = '\0'; /* "/x.toml" keeps "/" */
            e->config_dir = real;
            e->cwd = getcwd(NULL, 0);
        } else {
            free(real);
        }
    }
    int dd = o ? o->decode_depth : 0;
    e->decode_depth = dd < 0 ? 0 : dd == 0 ? WARD_DECODE_DEPTH
                    : dd > WARD_MAX_DECODE_DEPTH ? WARD_MAX_DECODE_DEPTH : dd;
    ward_status st = WARD_OK;
    ward_ruleset rs = {.no_builtin = e->no_builtin};
    if (o && o->config_path)
        st = ward_rules_load_file(&rs, o->config_path, err, errlen);
    else if (o && o->config_text)
        st = ward_rules_load(&rs, "config", o->config_text, o->config_len, 0, err, errlen);
    else if (!o || !o->no_default_rules) {
        st = ward_rules_load_builtin(&rs, err, errlen);
        e->catalog_only = 1;
    }
    /* A config that only adds allowlists leaves the catalog's rules as they
     * were: its database needs no hash to be trusted, its prefixes hold. */
    if (rs.catalog_intact)
        e->catalog_only = 1;
    if (e->catalog_only && rs.prefixes) {
        e->prefixes = rs.prefixes;
        e->n_prefixes = rs.n_prefixes;
        e->prefixes_borrowed = 1;
        e->max_groups = rs.max_groups;
    } else {
        free(rs.prefixes);
    }
    /* The engine takes the rule set over, loaded or not (it frees it). */
    e->rules = rs.rules;
    e->n_rules = rs.n_rules;
    e->allowlists = rs.allowlists;
    e->n_allowlists = rs.n_allowlists;
    e->warnings = rs.warnings;
    e->n_warnings = rs.n_warnings;
    if (st == WARD_OK)
        st = build_matcher(e, o, err, errlen);
    if (st == WARD_OK)
        st = finish(e);
    if (st != WARD_OK) {
        ward_engine_free(e);
        return st;
    }
    *out = e;
    return WARD_OK;
}

void ward_engine_free(ward_engine *e)
{
    if (!e)
        return;
    free(e->config_dir);
    free(e->cwd);
    /* what it took over from the loader */
    ward_ruleset rs = {.rules = e->rules, .n_rules = e->n_rules, .allowlists = e->allowlists,
                       .n_allowlists = e->n_allowlists, .warnings = e->warnings,
                       .n_warnings = e->n_warnings};
    ward_ruleset_free(&rs);
    if (e->db)
        hs_free_database(e->db);
    free(e->pcre_only);
    for (size_t i = 0; !e->prefixes_borrowed && i < e->n_prefixes; i++)
        free(e->prefixes[i]);
    free(e->prefixes);
    pthread_mutex_destroy(&e->lazy_lock);
    free(e);
}

/* A regex compiled on first use, by whichever thread needs it first: *slot
 * and *failed are read without the lock, so both are atomic. */
static pcre2_code *lazy_code(const struct ward_engine *e, _Atomic(pcre2_code *) *slot,
                             _Atomic int *failed, const char *src)
{
    pcre2_code *re = atomic_load_explicit(slot, memory_order_acquire);
    if (re || !src || atomic_load_explicit(failed, memory_order_acquire))
        return re;
    pthread_mutex_lock((pthread_mutex_t *)&e->lazy_lock);
    re = atomic_load_explicit(slot, memory_order_relaxed);
    if (!re && !atomic_load_explicit(failed, memory_order_relaxed)) {
        char msg[200];
        re = ward_pcre_compile(src, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, 1, msg, sizeof msg);
        if (re)
            atomic_store_explicit(slot, re, memory_order_release);
        else
            atomic_store_explicit(failed, 1, memory_order_release);
    }
    pthread_mutex_unlock((pthread_mutex_t *)&e->lazy_lock);
    return re;
}

pcre2_code *ward_rule_code(const struct ward_engine *e, ward_rule *r)
{
    return lazy_code(e, &r->re, &r->re_failed, r->regex);
}

pcre2_code *ward_rule_loose_code(const struct ward_engine *e, ward_rule *r)
{
    return lazy_code(e, &r->loose_re, &r->loose_failed, r->loose);
}

size_t ward_engine_rule_count(const ward_engine *e)
{
    return e ? e->n_rules : 0;
}

ward_status ward_engine_rule(const ward_engine *e, size_t i, ward_rule_info *info)
{
    if (!e || !info || i >= e->n_rules)
        return WARD_EINVAL;
    const ward_rule *r = &e->rules[i];
    memset(info, 0, sizeof *info);
    info->id = r->id;
    info->description = r->description;
    info->regex = r->regex;
    info->validator = r->validator_name;
    info->confidence = r->confidence;
    info->entropy = r->entropy;
    info->n_keywords = r->n_keywords;
    info->keywords = (const char *const *)r->keywords;
    info->n_positive = r->n_positive;
    info->n_negative = r->n_negative;
    info->positive = (const char *const *)r->positive;
    info->negative = (const char *const *)r->negative;
    info->revoke = r->revoke;
    info->loose = r->loose;
    return WARD_OK;
}
