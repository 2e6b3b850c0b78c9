/* internal.h - libward's private structures, shared between its modules.
 *
 * The engine (engine.c) owns the rules and the compiled Vectorscan database;
 * a scanner (scan.c) owns one thread's scratch; the walker (walk.c) drives a
 * pool of scanners over files.  lib/README.md maps the modules.
 */
#ifndef WARD_INTERNAL_H
#define WARD_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>

#include "../include/ward.h"
#include "validate.h"

/* FNV-1a over n bytes, going on from h (WARD_FNV_BASIS to start): the hash
 * of names, paths and keys in libward's tables. */
#define WARD_FNV_BASIS 1469598103934665603ull
static inline uint64_t ward_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211ull;
    return h;
}

/* Matches are confirmed by PCRE2 on a window that reaches back this far at
 * most; a regex whose longest match is longer is still found, but its
 * span may be cut (documented in docs/internals.md). */
#define WARD_MAX_WINDOW (64u * 1024u)
/* Large inputs are scanned in chunks this big, overlapping by
 * WARD_MAX_WINDOW plus line context, so memory stays bounded. */
#define WARD_CHUNK (4u * 1024u * 1024u)
#define WARD_LINE_CONTEXT 4096u
#define WARD_MAX_LINE_TEXT 4096u

/* How a rule's regex is matched. */
enum ward_hs_mode {
    WARD_HS_EXACT = 0,     /* compiled as is into the database */
    WARD_HS_PREFILTER = 1, /* compiled with HS_FLAG_PREFILTER: PCRE2 decides */
    WARD_HS_NONE = 2       /* not in the database: PCRE2 over the whole input */
};

enum ward_regex_target { WARD_TARGET_SECRET = 0, WARD_TARGET_MATCH, WARD_TARGET_LINE };

typedef struct ward_allowlist {
    char *description;
    int condition_and;            /* all set criteria must hold, not any */
    enum ward_regex_target target;
    pcre2_code **regexes;
    char **regex_src;             /* regexes[i] compiled from regex_src[i] */
    size_t n_regexes;
    pcre2_code **paths;
    char **path_src;
    size_t n_paths;
    char **stopwords;             /* lowercase */
    size_t n_stopwords;
    char **target_rules;          /* global allowlists only: rule ids, empty = all */
    size_t n_target_rules;
    char **commits;               /* lowercase hex: ids or prefixes of at least 7 */
    size_t n_commits;
    /* Loaded from the compiled-in catalog (rules.c, ward_catalog_load): the
     * strings point into it and the pointer arrays live in block; only
     * block and the compiled regexes are the allowlist's own. */
    int borrowed;
    void *block;
} ward_allowlist;

typedef struct ward_rule {
    char *id;
    char *description;
    char *regex;                  /* NULL for a path-only rule */
    char *validator_name;
    const ward_validator *validator;
    int secret_group;             /* 0 = first group that matched, else the whole match */
    double entropy;
    ward_confidence confidence;
    int generic;                  /* extra filters for assignment-style rules */
    char **keywords;              /* lowercase */
    size_t n_keywords;
    char *path;                   /* path_re's source, or NULL */
    pcre2_code *path_re;
    ward_allowlist *allowlists;
    size_t n_allowlists;
    char **positive, **negative;
    size_t n_positive, n_negative;
    char *revoke;                 /* where the owner revokes it (URL or a line), or NULL */
    /* What Vectorscan compiles instead of regex, or NULL: a cheaper superset
     * (PCRE2 confirms every candidate with regex anyway). */
    char *hs_regex;
    /* hs_regex is the rule's keywords (rules.c, gate_by_keywords): a match
     * of it opens a window over the keyword's line. */
    int kw_gate;
    /* The tier below the documented shape: the provider's prefix with
     * another length or alphabet.  Its matches that no `regex` match
     * overlaps are reported at medium at most.  Compiled lazily. */
    char *loose;
    _Atomic(pcre2_code *) loose_re;
    _Atomic int loose_failed;
    char *reason;                 /* the rule's own reason text, or NULL */
    /* Rules whose finding near this one's proves it (an identifier that
     * goes with this secret): then this one is high, for pair_reason. */
    char **pairs;
    size_t n_pairs;
    char *pair_reason;

    enum ward_hs_mode hs_mode;
    unsigned max_width;           /* longest match, capped at WARD_MAX_WINDOW */
    /* Compiled lazily on the first candidate so start-up does not pay for
     * rules that never fire; published with release/acquire. */
    _Atomic(pcre2_code *) re;
    _Atomic int re_failed;
    /* Loaded from the compiled-in catalog: as for ward_allowlist, strings
     * point into it, and block holds the pointer arrays and allowlists. */
    int borrowed;
    void *block;
} ward_rule;

struct ward_engine {
    int decode_depth;             /* layers of encoding scanners look through */
    /* With a config file: its folder and the working folder, both absolute,
     * so that allowlist and rule paths also match relative to the config
     * (see alt_path in scan.c). */
    char *config_dir, *cwd;
    ward_rule *rules;
    size_t n_rules;
    ward_allowlist *allowlists;   /* global */
    size_t n_allowlists;
    struct hs_database *db;       /* ids are rule indexes; NULL when empty */
    size_t *pcre_only;            /* rules matched by PCRE2 alone */
    size_t n_pcre_only;
    uint32_t max_groups;          /* most capture groups in any regex */
    char **prefixes;              /* provider token prefixes, lowercase */
    size_t n_prefixes;
    int prefixes_borrowed;        /* the strings are the catalog's: free only the array */
    char **warnings;
    size_t n_warnings;
    pthread_mutex_t lazy_lock;
    int no_builtin;               /* never load the embedded catalog */
    int catalog_only;             /* the rules are the embedded catalog alone */
};

/* engine.c: a rule's PCRE2 code, compiled on first use; the same for its
 * `loose` regex (NULL when it has none). */
pcre2_code *ward_rule_code(const struct ward_engine *e, ward_rule *r);
pcre2_code *ward_rule_loose_code(const struct ward_engine *e, ward_rule *r);
int ward_engine_warn(struct ward_engine *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Formats into a caller's error buffer; NULL or 0-sized buffers are fine. */
void ward_set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A rule set as rules.c loads it; ward_engine_new takes it over. */
typedef struct ward_ruleset {
    ward_rule *rules;
    size_t n_rules, cap_rules;
    ward_allowlist *allowlists;   /* global */
    size_t n_allowlists;
    char **warnings;
    size_t n_warnings;
    int no_builtin;               /* in: an [extend] of the catalog loads nothing */
    size_t catalog_from;          /* where the catalog's rules begin, while it loads */
    /* out: the provider prefixes of the compiled catalog, when it loaded
     * (the array is the set's own, the strings point into the catalog). */
    char **prefixes;
    size_t n_prefixes;
    /* out: the rules are the compiled catalog's alone, in its order (a
     * config may have added allowlists), so its database and prefixes fit */
    int catalog_intact;
    uint32_t max_groups;          /* out: the most capture groups in the catalog's regexes */
} ward_ruleset;

/* rules.c: load rule tables from TOML text into rs, after whatever its
 * [extend] names (the built-in catalog, another file).  depth is 0 for a
 * user's config, WARD_LOAD_BUILTIN for the embedded catalog.  Returns WARD_OK
 * or WARD_ECONFIG with "name:line: reason" in err. */
#define WARD_LOAD_BUILTIN (-1)
#define WARD_MAX_EXTEND_DEPTH 4
ward_status ward_rules_load(ward_ruleset *rs, const char *name, const char *text,
                            size_t len, int depth, char *err, size_t errlen);
/* The embedded catalog: from its compiled form (ward_builtin_catalog) when
 * there is one, else from its TOML (ward-dbgen, which makes the compiled
 * form, has none); WARD_CATALOG_TOML=1 in the environment asks for the TOML
 * (to debug the compiled form). */
ward_status ward_rules_load_builtin(ward_ruleset *rs, char *err, size_t errlen);
ward_status ward_rules_load_builtin_toml(ward_ruleset *rs, char *err, size_t errlen);
/* rules.c: the compiled form of a rule set (the catalog as it loads into
 * an empty one) and of what the engine derives from it (provider prefixes,
 * max_groups),
 * for ward-dbgen; and loading that into rs as the TOML would load, rules
 * pointing into b (which must outlive them), the prefixes into
 * rs->prefixes unless set already. */
ward_status ward_catalog_serialize(const ward_rule *rules, size_t n_rules,
                                   const ward_allowlist *globals, size_t n_globals,
                                   char *const *prefixes, size_t n_prefixes,
                                   uint32_t max_groups, unsigned char **out, size_t *len);
ward_status ward_catalog_load(ward_ruleset *rs, const unsigned char *b, size_t len, char *err,
                              size_t errlen);
ward_status ward_rules_load_file(ward_ruleset *rs, const char *path, char *err,
                                 size_t errlen);
void ward_ruleset_free(ward_ruleset *rs);
/* rules.c: appends a formatted warning to a list (at most 1000). */
int ward_warnings_vadd(char ***v, size_t *n, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* rules.c: reads a whole file (a config, a cached database; capped at
 * 16 MiB) into a new buffer. */
ward_status ward_read_file(const char *path, char **text, size_t *len, char *err,
                             size_t errlen);
void ward_rules_free_rule(ward_rule *r);
void ward_allowlist_free(ward_allowlist *a);
/* jit: also JIT-compile it (for regexes run over every window; allowlist
 * and path regexes, run per candidate, are not worth the start-up time). */
pcre2_code *ward_pcre_compile(const char *pattern, size_t len, uint32_t flags, int jit, char *err,
                              size_t errlen);

/* scan.c: whether v[0, n) starts with a token prefix a provider rule owns
 * ("ghp_"; "ghp-" too, a near miss of the format): the length of the
 * longest that matches, or 0. */
int ward_provider_prefixed(const ward_engine *e, const char *v, size_t n);
/* rules.c: the longest literal run every match of a regex must hold (it may
 * say less, never more). */
size_t ward_regex_required_literal(const char *re);

/* filter.c */
int ward_is_placeholder(const char *s, size_t len);
int ward_is_generic_noise(const char *s, size_t len);
/* Readable words, an ascending run or a "test" suffix inside a token: a
 * made-up example, so never high confidence (filter.c). */
int ward_token_has_words(const char *s, size_t len);
int ward_line_has_allow(const char *line, size_t len);
const char *ward_memmem_ci(const char *hay, size_t hlen, const char *needle, size_t nlen);
/* engine.c: a caller's options struct (it begins with its size, see the ABI
 * policy in ward.h) copied into dst, ours bytes: fields an older caller did
 * not know are zero; a newer caller's extra bytes must be zero.  src NULL
 * gives all defaults.  WARD_EINVAL for a size of 0 or unknown fields set. */
ward_status ward_take_options(void *dst, size_t ours, const void *src);

/* Generated at build time: the embedded catalog (builtin_rules.c, by
 * cmake/embed.cmake), its serialised database and its rules in compiled form
 * (builtin_db.c, by lib/dbgen). */
extern const char *const ward_builtin_rule_names[];
extern const char *const ward_builtin_rule_texts[];
extern const size_t ward_builtin_rule_lens[];
extern const size_t ward_builtin_rule_count;
extern const unsigned char ward_builtin_db[];
extern const size_t ward_builtin_db_len;
extern const unsigned char ward_builtin_catalog[]; /* ward_catalog_serialize's; 0 long in ward-dbgen */
extern const size_t ward_builtin_catalog_len;

/* Chunked scanning, shared by ward_scan_buffer and the walker. */
typedef struct ward_chunk {
    const char *buf;
    size_t len;
    uint64_t base_offset;         /* offset of buf[0] in the whole input */
    uint64_t base_line;           /* line number of buf[0], 1-based */
    size_t emit_from, emit_to;    /* report matches starting in [emit_from, emit_to) */
    const char *path;
    const char *commit;           /* ward git: the commit the blob is attributed to */
} ward_chunk;

/* The start of the line holding pos, looking back no further than floor. */
static inline size_t line_start(const char *buf, size_t pos, size_t floor)
{
    const char *p = pos > floor ? memrchr(buf + floor, '\n', pos - floor) : NULL;
    return p ? (size_t)(p - buf) + 1 : floor;
}

/* The end of the line holding pos (its newline, or len), looking at most
 * cap bytes ahead. */
static inline size_t line_end(const char *buf, size_t len, size_t pos, size_t cap)
{
    size_t lim = pos + cap < len ? pos + cap : len;
    const char *p = pos < lim ? memchr(buf + pos, '\n', lim - pos) : NULL;
    return p ? (size_t)(p - buf) : lim;
}

/* Newlines in p[0, n). */
size_t ward_count_newlines(const char *p, size_t n);
ward_status ward_scan_chunk(ward_scanner *s, const ward_chunk *c, ward_finding_fn fn,
                            void *user);
/* ward git: the commit (40 hex digits) the next buffers belong to, which
 * allowlists' `commits` match against; NULL for none. */
void ward_scanner_set_commit(ward_scanner *s, const char *sha);
/* 1 when buf starts with a UTF-16LE byte-order mark and then mostly holds
 * text in the first 256 code points, 2 the same for UTF-16BE, else 0: such
 * text is not binary, and ward_scan_buffer transcodes it. */
int ward_utf16_bom(const char *buf, size_t len);

/* The byte serialisation of an engine's database plus per-rule metadata. */
ward_status ward_engine_serialize(const struct ward_engine *e, unsigned char **out,
                                  size_t *len);

#endif
