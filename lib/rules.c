/* rules.c - turns TOML rule tables into ward_rule structures.
 *
 * The schema is gitleaks' (`[[rules]]` with id, description, regex,
 * secretGroup, entropy, keywords, path, allowlists; a global allowlist;
 * `[extend]`) plus ward's own keys: confidence, validate and examples.
 * Unknown keys produce a warning, not an error, so a configuration written
 * for a newer gitleaks still loads.  Regexes of allowlists and rule paths
 * are compiled here, eagerly: they are few, and an error in them is a
 * configuration error the user should see at once.
 *
 * The built-in catalog is loaded from TOML only at build time: ward-dbgen
 * writes the loaded rules in a compiled form (the end of this file) that
 * ward reads back at start-up; a user's config still goes through TOML and
 * merges with it as before.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "toml.h"

static char *lowerdup(const char *s)
{
    char *d = strdup(s);
    if (d)
        for (char *p = d; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    return d;
}

/* strdup into *dst, or WARD_ENOMEM: a copy that failed must fail the load,
 * not leave a rule without its id or, worse, without its regex (it would
 * load as a path-only rule and report every file its path matches). */
static ward_status dup_into(char **dst, const char *s)
{
    *dst = strdup(s);
    return *dst ? WARD_OK : WARD_ENOMEM;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

pcre2_code *ward_pcre_compile(const char *pattern, size_t len, uint32_t flags, int jit, char *err,
                              size_t errlen)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, len, flags, &ec, &eo, NULL);
    if (!re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(ec, msg, sizeof msg);
        if (errlen)
            snprintf(err, errlen, "%s at offset %zu", (const char *)msg, (size_t)eo);
        return NULL;
    }
    /* JIT is an optimisation: a pattern it cannot handle is still usable. */
    if (jit)
        (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}


void ward_allowlist_free(ward_allowlist *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_regexes; i++)
        pcre2_code_free(a->regexes[i]);
    for (size_t i = 0; i < a->n_paths; i++)
        pcre2_code_free(a->paths[i]);
    if (!a->borrowed) {
        free(a->description);
        free(a->regexes);
        free_strv(a->regex_src, a->n_regexes);
        free(a->paths);
        free_strv(a->path_src, a->n_paths);
        free_strv(a->stopwords, a->n_stopwords);
        free_strv(a->commits, a->n_commits);
        free_strv(a->target_rules, a->n_target_rules);
    }
    free(a->block);
}

void ward_rules_free_rule(ward_rule *r)
{
    if (r->path_re)
        pcre2_code_free(r->path_re);
    for (size_t i = 0; i < r->n_allowlists; i++)
        ward_allowlist_free(&r->allowlists[i]);
    pcre2_code *lre = atomic_load(&r->loose_re);
    if (lre)
        pcre2_code_free(lre);
    pcre2_code *re = atomic_load(&r->re);
    if (re)
        pcre2_code_free(re);
    if (!r->borrowed) {
        free(r->id);
        free(r->description);
        free(r->regex);
        free(r->validator_name);
        free_strv(r->keywords, r->n_keywords);
        free(r->path);
        free(r->allowlists);
        free_strv(r->positive, r->n_positive);
        free_strv(r->negative, r->n_negative);
        free(r->revoke);
        free(r->hs_regex);
        free(r->loose);
        free(r->reason);
        free_strv(r->pairs, r->n_pairs);
        free(r->pair_reason);
    }
    free(r->block);
    memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------- utilities */

#define MAX_CONFIG_BYTES (16u << 20)

ward_status ward_read_file(const char *path, char **text, size_t *len, char *err,
                             size_t errlen)
{
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) < 0) {
        if (errlen)
            snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return WARD_ECONFIG;
    }
    if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > MAX_CONFIG_BYTES) {
        if (errlen)
            snprintf(err, errlen, "cannot use '%s': %s", path,
                     S_ISREG(sb.st_mode) ? "larger than 16 MiB" : "not a regular file");
        close(fd);
        return WARD_ECONFIG;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    size_t got = 0;
    if (!buf) {
        close(fd);
        return WARD_ENOMEM;
    }
    while (got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            if (errlen)
                snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
            free(buf);
            close(fd);
            return WARD_ECONFIG;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *text = buf;
    *len = got;
    return WARD_OK;
}

int ward_warnings_vadd(char ***v, size_t *n, const char *fmt, va_list ap)
{
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    if (*n >= 1000)
        return -1; /* a hostile config cannot grow this without bound */
    char **w = realloc(*v, (*n + 1) * sizeof *w);
    if (!w)
        return -1;
    *v = w;
    if (!(w[*n] = strdup(buf)))
        return -1;
    (*n)++;
    return 0;
}

static int ruleset_warn(ward_ruleset *rs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int ruleset_warn(ward_ruleset *rs, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ward_warnings_vadd(&rs->warnings, &rs->n_warnings, fmt, ap);
    va_end(ap);
    return rc;
}

void ward_ruleset_free(ward_ruleset *rs)
{
    for (size_t i = 0; i < rs->n_rules; i++)
        ward_rules_free_rule(&rs->rules[i]);
    free(rs->rules);
    for (size_t i = 0; i < rs->n_allowlists; i++)
        ward_allowlist_free(&rs->allowlists[i]);
    free(rs->allowlists);
    for (size_t i = 0; i < rs->n_warnings; i++)
        free(rs->warnings[i]);
    free(rs->warnings);
    free(rs->prefixes);
    memset(rs, 0, sizeof *rs);
}

/* Loader state: where we are, for messages. */
typedef struct loader {
    ward_ruleset *rs;
    const char *name;
    char *err;
    size_t errlen;
    int depth;
} loader;

static ward_status fail(loader *L, const toml_value *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ward_status fail(loader *L, const toml_value *at, const char *fmt, ...)
{
    if (L->errlen) {
        int n = snprintf(L->err, L->errlen, "%s:%u: ", L->name, at ? ward_toml_line(at) : 0);
        if (n >= 0 && (size_t)n < L->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(L->err + n, L->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return WARD_ECONFIG;
}

/* Reads a string array (or a single string, leniently) into a new vector. */
static ward_status get_strv(loader *L, const toml_value *v, const char *what, int lower,
                            char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!v)
        return WARD_OK;
    if (ward_toml_type_of(v) == TOML_STRING) {
        *out = calloc(1, sizeof(char *));
        if (!*out)
            return WARD_ENOMEM;
        (*out)[0] = lower ? lowerdup(ward_toml_str(v, NULL)) : strdup(ward_toml_str(v, NULL));
        if (!(*out)[0])
            return WARD_ENOMEM;
        *n = 1;
        return WARD_OK;
    }
    if (ward_toml_type_of(v) != TOML_ARRAY)
        return fail(L, v, "'%s' must be an array of strings", what);
    size_t len = ward_toml_len(v);
    *out = calloc(len ? len : 1, sizeof(char *));
    if (!*out)
        return WARD_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        const char *s = ward_toml_str(ward_toml_value_at(v, i), NULL);
        if (!s)
            return fail(L, ward_toml_value_at(v, i), "'%s' must be an array of strings", what);
        (*out)[i] = lower ? lowerdup(s) : strdup(s);
        if (!(*out)[i])
            return WARD_ENOMEM;
        (*n)++;
    }
    return WARD_OK;
}

/* Reads a list of regexes: their sources into *src, compiled into *out
 * (multiline, as gitleaks).  On failure neither is kept. */
static ward_status compile_list(loader *L, const toml_value *v, const char *what,
                                pcre2_code ***out, char ***src, size_t *n)
{
    size_t ns;
    ward_status st = get_strv(L, v, what, 0, src, &ns);
    *out = NULL;
    *n = 0;
    if (st == WARD_OK && ns && !(*out = calloc(ns, sizeof(pcre2_code *))))
        st = WARD_ENOMEM;
    for (size_t i = 0; st == WARD_OK && i < ns; i++) {
        char msg[200];
        (*out)[i] = ward_pcre_compile((*src)[i], PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, 0, msg,
                                      sizeof msg);
        if (!(*out)[i])
            st = fail(L, v, "bad regex in '%s': %s", what, msg);
    }
    if (st == WARD_OK) {
        *n = ns;
        return WARD_OK;
    }
    for (size_t i = 0; *out && i < ns; i++)
        pcre2_code_free((*out)[i]);
    free(*out);
    free_strv(*src, ns);
    *out = NULL;
    *src = NULL;
    return st;
}

static ward_status load_allowlist(loader *L, const toml_value *t, int global,
                                  ward_allowlist *a)
{
    ward_status st = WARD_OK;
    memset(a, 0, sizeof *a);
    if (ward_toml_type_of(t) != TOML_TABLE)
        return fail(L, t, "an allowlist must be a table");
    for (size_t i = 0; i < ward_toml_len(t) && st == WARD_OK; i++) {
        const char *k = ward_toml_key_at(t, i);
        const toml_value *v = ward_toml_value_at(t, i);
        if (!strcmp(k, "description")) {
            const char *s = ward_toml_str(v, NULL);
            st = dup_into(&a->description, s ? s : "");
        } else if (!strcmp(k, "condition")) {
            const char *s = ward_toml_str(v, NULL);
            if (!s || (strcasecmp(s, "or") && strcasecmp(s, "and")))
                st = fail(L, v, "'condition' must be \"OR\" or \"AND\"");
            else
                a->condition_and = !strcasecmp(s, "and");
        } else if (!strcmp(k, "regexTarget")) {
            const char *s = ward_toml_str(v, NULL);
            if (s && !strcmp(s, "secret"))
                a->target = WARD_TARGET_SECRET;
            else if (s && !strcmp(s, "match"))
                a->target = WARD_TARGET_MATCH;
            else if (s && !strcmp(s, "line"))
                a->target = WARD_TARGET_LINE;
            else
                st = fail(L, v, "'regexTarget' must be \"secret\", \"match\" or \"line\"");
        } else if (!strcmp(k, "regexes")) {
            st = compile_list(L, v, "regexes", &a->regexes, &a->regex_src, &a->n_regexes);
        } else if (!strcmp(k, "paths")) {
            st = compile_list(L, v, "paths", &a->paths, &a->path_src, &a->n_paths);
        } else if (!strcmp(k, "stopwords")) {
            st = get_strv(L, v, "stopwords", 1, &a->stopwords, &a->n_stopwords);
        } else if (global && !strcmp(k, "targetRules")) {
            st = get_strv(L, v, "targetRules", 0, &a->target_rules, &a->n_target_rules);
        } else if (!strcmp(k, "commits")) {
            /* Only ward git knows a finding's commit; elsewhere this
             * criterion never holds. */
            st = get_strv(L, v, "commits", 1, &a->commits, &a->n_commits);
            for (size_t c = 0; st == WARD_OK && c < a->n_commits; c++) {
                size_t l = strlen(a->commits[c]);
                if (l < 7 || l > 40 || strspn(a->commits[c], "0123456789abcdef") != l)
                    st = fail(L, v, "'commits' holds commit ids (7 to 40 hex digits), not '%s'",
                              a->commits[c]);
            }
        } else {
            ruleset_warn(L->rs, "%s:%u: unknown allowlist key '%s' ignored", L->name,
                             ward_toml_line(v), k);
        }
    }
    return st;
}

/* Appends the allowlists found under `single` (a table) and `many` (an array
 * of tables) to *out. */
static ward_status load_allowlists(loader *L, const toml_value *single, const toml_value *many,
                                   int global, ward_allowlist **out, size_t *n)
{
    size_t want = (single ? 1 : 0) + (many ? ward_toml_len(many) : 0);
    if (many && ward_toml_type_of(many) != TOML_ARRAY)
        return fail(L, many, "'allowlists' must be an array of tables");
    if (!want)
        return WARD_OK;
    ward_allowlist *a = realloc(*out, (*n + want) * sizeof *a);
    if (!a)
        return WARD_ENOMEM;
    *out = a;
    if (single) {
        ward_status st = load_allowlist(L, single, global, &a[*n]);
        (*n)++;
        if (st)
            return st;
    }
    for (size_t i = 0; many && i < ward_toml_len(many); i++) {
        ward_status st = load_allowlist(L, ward_toml_value_at(many, i), global, &a[*n]);
        (*n)++;
        if (st)
            return st;
    }
    return WARD_OK;
}

/* The regex of a rule given as `near` (provider names) and `value` (the
 * secret's shape): one of the names anywhere in a variable or key name, any
 * assignment style, optional quotes, then the value, bounded on both sides.
 *
 *   names    (?i:kucoin|ku[_.-]?coin)      caseless; '_', '-', '.' in a name
 *                                          match any of them or nothing
 *   rest     [\w.:\t -]{0,30}              the rest of the name (KUCOIN_API_KEY,
 *                                          kucoinSecret, "sumo_access_id") and
 *                                          a type (kucoinKey: string = ...)
 *   close    ['"`\])\t ]{0,4}              closing quote, bracket, spaces
 *   operator [:!?]{0,2}={1,3}>? | : | > | , | ( | value=
 *                                          = == === != := ::= ?= => (comparisons
 *                                          and assignments), YAML/JSON/header ':',
 *                                          XML '<k>v</k>', a call's or tuple's
 *                                          argument, <add key="k" value="v"/>
 *   open     [\t '"`]{0,4}                 spaces and an opening quote
 *   (value)                                the secret: group 1
 *   end      [\s'"`;,<>)\]}&|\\] or $      so a longer token does not match
 *
 * The value starts right after the operator and its quotes, so it cannot be
 * the tail of a longer word either.  A name shorter than 5 characters must
 * not follow a letter ("lob" is not in "global_key").  All of it is in the
 * subset Vectorscan and PCRE2 share, and the bounded repeats are small so the
 * database compiles quickly. */
#define NEAR_MAX_NAME 64
#define NEAR_SHORT_NAME 5

static ward_status near_regex(loader *L, const toml_value *at, ward_rule *r, char **names,
                              size_t n, const char *value)
{
    char *re = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&re, &len);
    if (!f)
        return WARD_ENOMEM;
    ward_status st = WARD_OK;
    fputs("(?:", f);
    for (size_t i = 0; i < n && st == WARD_OK; i++) {
        const char *nm = names[i];
        size_t letters = 0;
        if (!*nm || strlen(nm) > NEAR_MAX_NAME)
            st = fail(L, at, "rule '%s': a 'near' name must have 1 to %d characters", r->id,
                      NEAR_MAX_NAME);
        for (const char *p = nm; st == WARD_OK && *p; p++)
            if (isalnum((unsigned char)*p))
                letters++;
            else if (!strchr("_-.", *p))
                st = fail(L, at,
                          "rule '%s': 'near' names hold letters, digits, '_', '-' and '.', "
                          "not '%c'",
                          r->id, *p);
        if (st != WARD_OK)
            break;
        if (i)
            fputc('|', f);
        if (letters < NEAR_SHORT_NAME)
            fputs("(?:^|[^A-Za-z])", f);
        fputs("(?i:", f);
        for (const char *p = nm; *p; p++)
            if (isalnum((unsigned char)*p))
                fputc(*p, f);
            else if (p == nm || !strchr("_-.", p[-1]))
                fputs("[_.-]?", f);
        fputc(')', f);
    }
    fputs(")[\\w.:\\t -]{0,30}['\"`\\])\\t ]{0,4}", f);
    long assign = ftell(f);
    fprintf(f, "(?:[:!?]{0,2}={1,3}>?|:|>|,|\\(|[Vv]alue=)[\\t '\"`]{0,4}"
               "(%s)(?:[\\s'\"`;,<>)\\]}&|\\\\]|$)",
            value);
    if (fclose(f) != 0 || !re || assign < 0) {
        free(re);
        return st ? st : WARD_ENOMEM;
    }
    if (st != WARD_OK) {
        free(re);
        return st;
    }
    /* Vectorscan looks for the name and the operator's first character
     * only: the value's repeats, for hundreds of rules, would more than
     * double the database's compile time, and PCRE2 confirms each
     * candidate with the whole regex from the name on. */
    if (asprintf(&r->hs_regex, "%.*s[=:>,(!?Vv]", (int)assign, re) < 0) {
        r->hs_regex = NULL;
        free(re);
        return WARD_ENOMEM;
    }
    r->regex = re;
    r->secret_group = 1;
    return WARD_OK;
}

/* Compiles a user's regex src into *slot, or fails the load naming it. */
static ward_status check_regex(loader *L, const toml_value *t, const ward_rule *r, const char *src,
                               const char *what, _Atomic(pcre2_code *) *slot)
{
    char msg[200];
    pcre2_code *re =
        ward_pcre_compile(src, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, 1, msg, sizeof msg);
    if (!re)
        return fail(L, t, "rule '%s': bad %s: %s", r->id, what, msg);
    atomic_store(slot, re);
    return WARD_OK;
}

/* ------------------------------------------------------- keyword gating
 *
 * Vectorscan is fast when a pattern holds a literal it can look for first
 * ("ghp_", "AKIA"); a token given only by its alphabet and lengths
 * (configcat's "[A-Za-z0-9_-]{22}/[A-Za-z0-9_-]{22}") makes it run its
 * automata over every byte, and one such rule cost 2x the whole catalog.  A
 * rule with keywords only fires when one stands on the match's line
 * (scan.c), so for such a rule Vectorscan looks for the keywords instead and
 * PCRE2 runs the regex over the keyword's line. */

/* Shortest literal run a rule needs before its keywords do better. */
#define GATE_LITERAL 3
#define GATE_DEPTH 32

/* Skips a quantifier at *p and says whether it lets the atom be absent
 * (?, *, {0...}); *counted says whether one was there. */
static int skip_quant(const char **p, int *counted)
{
    const char *s = *p;
    int optional = 0;
    *counted = 1;
    if (*s == '?' || *s == '*') {
        optional = 1, s++;
    } else if (*s == '+') {
        s++;
    } else if (*s == '{' && isdigit((unsigned char)s[1])) {
        const char *q = s + 1;
        long lo = strtol(q, (char **)&q, 10);
        if (*q == ',')
            for (q++; isdigit((unsigned char)*q); q++)
                ;
        if (*q != '}') {
            *counted = 0;
            return 0; /* a literal '{' */
        }
        optional = lo == 0;
        s = q + 1;
    } else {
        *counted = 0;
        return 0;
    }
    if (*s == '?' || *s == '+')
        s++; /* lazy or possessive */
    *p = s;
    return optional;
}

static size_t lit_alt(const char **p, int depth);

/* The longest literal run one branch must contain; stops at '|' or ')'. */
static size_t lit_seq(const char **p, int depth)
{
    const char *s = *p;
    size_t best = 0, run = 0;
    while (*s && *s != '|' && *s != ')') {
        int literal = 0, q;
        if (*s == '(') {
            s++;
            if (*s == '?' && (isalpha((unsigned char)s[1]) || s[1] == '-')) {
                const char *f = s + 1;
                while (isalpha((unsigned char)*f) || *f == '-')
                    f++;
                if (*f == ')') { /* (?i): flags for what follows */
                    s = f + 1;
                    continue;
                }
            }
            int look = s[0] == '?' && (s[1] == '=' || s[1] == '!' ||
                                       (s[1] == '<' && (s[2] == '=' || s[2] == '!')));
            if (*s == '?') { /* (?:  (?i:  (?<name>  (?P<name>  lookarounds */
                while (*s && *s != ':' && *s != '>' && *s != '=' && *s != '!' && *s != ')')
                    s++;
                if (*s && *s != ')')
                    s++;
            }
            size_t inner = depth < GATE_DEPTH ? lit_alt(&s, depth + 1) : 0;
            if (*s != ')')
                return 0; /* unbalanced: say nothing */
            s++;
            if (skip_quant(&s, &q) || look)
                inner = 0;
            if (inner > best)
                best = inner;
            run = 0;
            continue;
        }
        if (*s == '[') {
            s++;
            if (*s == '^')
                s++;
            if (*s == ']')
                s++;
            while (*s && *s != ']') {
                if (*s == '\\' && s[1])
                    s++;
                else if (*s == '[' && s[1] == ':') {
                    const char *e = strstr(s, ":]");
                    if (e)
                        s = e + 1;
                }
                s++;
            }
            if (!*s)
                return 0;
            s++;
        } else if (*s == '\\') {
            s++;
            if (!*s)
                return 0;
            if (isalnum((unsigned char)*s)) {
                /* \t \n \r and \xHH are characters; \d \w \b \p{..} and
                 * the rest are classes or assertions */
                literal = strchr("tnrfex", *s) != NULL;
                if ((*s == 'x' || *s == 'p' || *s == 'P') && s[1] == '{') {
                    const char *e = strchr(s, '}');
                    s = e ? e : s; /* \x{263a}, \p{L} */
                } else if (*s == 'x') {
                    for (int k = 0; k < 2 && isxdigit((unsigned char)s[1]); k++)
                        s++;
                }
            } else {
                literal = 1; /* an escaped punctuation character */
            }
            s++;
        } else if (*s == '.' || *s == '^' || *s == '$') {
            s++;
        } else {
            literal = 1;
            s++;
        }
        int optional = skip_quant(&s, &q);
        if (!literal || optional) {
            run = 0;
            continue;
        }
        run++;
        if (run > best)
            best = run;
        if (q)
            run = 0; /* "a+" holds one 'a' for sure, then maybe more */
    }
    *p = s;
    return best;
}

/* The shortest of the branches' runs. */
static size_t lit_alt(const char **p, int depth)
{
    size_t least = lit_seq(p, depth);
    while (**p == '|') {
        (*p)++;
        size_t b = lit_seq(p, depth);
        if (b < least)
            least = b;
    }
    return least;
}

/* The longest literal run every match of re must contain, as far as a
 * quick look can tell: it may say less than the truth, never more. */
size_t ward_regex_required_literal(const char *re)
{
    const char *p = re;
    size_t n = lit_alt(&p, 0);
    return *p ? 0 : n;
}

/* Gives Vectorscan r's keywords in place of a regex with no literal worth
 * looking for; scan.c then confirms over the keyword's line. */
static ward_status gate_by_keywords(ward_rule *r)
{
    if (!r->regex || r->hs_regex || !r->n_keywords ||
        ward_regex_required_literal(r->regex) >= GATE_LITERAL)
        return WARD_OK;
    for (size_t i = 0; i < r->n_keywords; i++)
        if (strlen(r->keywords[i]) < GATE_LITERAL)
            return WARD_OK; /* "db" would open a window on every line */
    char *re = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&re, &len);
    if (!f)
        return WARD_ENOMEM;
    fputs("(?i)(?:", f);
    for (size_t i = 0; i < r->n_keywords; i++) {
        if (i)
            fputc('|', f);
        for (const char *k = r->keywords[i]; *k; k++) {
            if (ispunct((unsigned char)*k))
                fputc('\\', f);
            fputc(*k, f);
        }
    }
    fputc(')', f);
    if (fclose(f) != 0 || !re) {
        free(re);
        return WARD_ENOMEM;
    }
    r->hs_regex = re;
    r->kw_gate = 1;
    return WARD_OK;
}

/* What Vectorscan needs of re: re without a leading word boundary in *out,
 * or NULL there when that is re itself.  A \b before a run of word characters makes
 * Vectorscan check every position of the run (webex-bot-token's cost went
 * from 0.32 s to 0.06 s over /usr/include without it); PCRE2 confirms each
 * candidate with the whole regex, so a superset is all Vectorscan owes. */
static ward_status hs_form(const char *re, char **out)
{
    size_t flags = 0;
    *out = NULL;
    if (!strncmp(re, "(?i)", 4))
        flags = 4;
    if (strncmp(re + flags, "\\b", 2) || !re[flags + 2])
        return WARD_OK; /* no \b to drop, or nothing after it */
    if (!(*out = malloc(strlen(re) - 1)))
        return WARD_ENOMEM;
    memcpy(*out, re, flags);
    strcpy(*out + flags, re + flags + 2);
    return WARD_OK;
}

static ward_status load_rule(loader *L, const toml_value *t, ward_rule *r)
{
    ward_status st = WARD_OK;
    const toml_value *single_allow = NULL, *many_allow = NULL, *near_at = NULL;
    int have_conf = 0, have_group = 0;
    char **near = NULL, *value = NULL;
    size_t n_near = 0;
    memset(r, 0, sizeof *r);
    r->confidence = WARD_CONF_MEDIUM;
    if (ward_toml_type_of(t) != TOML_TABLE)
        return fail(L, t, "each [[rules]] entry must be a table");
    for (size_t i = 0; i < ward_toml_len(t) && st == WARD_OK; i++) {
        const char *k = ward_toml_key_at(t, i);
        const toml_value *v = ward_toml_value_at(t, i);
        const char *s = ward_toml_str(v, NULL);
        if (!strcmp(k, "id")) {
            if (!s || !*s)
                st = fail(L, v, "'id' must be a non-empty string");
            else
                st = dup_into(&r->id, s);
        } else if (!strcmp(k, "description")) {
            st = dup_into(&r->description, s ? s : "");
        } else if (!strcmp(k, "regex")) {
            if (!s)
                st = fail(L, v, "'regex' must be a string");
            else
                st = dup_into(&r->regex, s);
        } else if (!strcmp(k, "secretGroup")) {
            int64_t g;
            if (ward_toml_int(v, &g) || g < 0 || g > 99)
                st = fail(L, v, "'secretGroup' must be an integer from 0 to 99");
            else
                r->secret_group = (int)g, have_group = 1;
        } else if (!strcmp(k, "entropy")) {
            if (ward_toml_float(v, &r->entropy) || r->entropy < 0 || r->entropy > 8)
                st = fail(L, v, "'entropy' must be a number from 0 to 8");
        } else if (!strcmp(k, "keywords")) {
            st = get_strv(L, v, "keywords", 1, &r->keywords, &r->n_keywords);
        } else if (!strcmp(k, "path")) {
            char msg[200];
            if (!s)
                st = fail(L, v, "'path' must be a string");
            else if (!(r->path_re = ward_pcre_compile(s, PCRE2_ZERO_TERMINATED, 0, 0, msg,
                                                      sizeof msg)))
                st = fail(L, v, "bad 'path' regex: %s", msg);
            else
                st = dup_into(&r->path, s);
        } else if (!strcmp(k, "allowlist")) {
            single_allow = v;
        } else if (!strcmp(k, "allowlists")) {
            many_allow = v;
        } else if (!strcmp(k, "confidence")) {
            have_conf = 1;
            if (s && !strcmp(s, "high"))
                r->confidence = WARD_CONF_HIGH;
            else if (s && !strcmp(s, "medium"))
                r->confidence = WARD_CONF_MEDIUM;
            else if (s && !strcmp(s, "low"))
                r->confidence = WARD_CONF_LOW;
            else
                st = fail(L, v, "'confidence' must be \"high\", \"medium\" or \"low\"");
        } else if (!strcmp(k, "validate")) {
            if (!s || !(r->validator = ward_validator_find(s)))
                st = fail(L, v, "unknown validator '%s'", s ? s : "?");
            else
                st = dup_into(&r->validator_name, s);
        } else if (!strcmp(k, "examples")) {
            if (ward_toml_type_of(v) != TOML_TABLE)
                st = fail(L, v, "'examples' must be a table");
            else if (!(st = get_strv(L, ward_toml_get(v, "positive"), "positive", 0, &r->positive,
                                     &r->n_positive)))
                st = get_strv(L, ward_toml_get(v, "negative"), "negative", 0, &r->negative,
                              &r->n_negative);
        } else if (!strcmp(k, "revoke")) {
            if (!s || !*s || strchr(s, '\n'))
                st = fail(L, v, "'revoke' must be a URL or one line of text");
            else if (!(r->revoke = strdup(s)))
                st = WARD_ENOMEM;
        } else if (!strcmp(k, "reason")) {
            free(r->reason);
            r->reason = NULL;
            if (!s || !*s || strchr(s, '\n'))
                st = fail(L, v, "'reason' must be one line of text");
            else if (!(r->reason = strdup(s)))
                st = WARD_ENOMEM;
        } else if (!strcmp(k, "pairs")) {
            free_strv(r->pairs, r->n_pairs);
            st = get_strv(L, v, "pairs", 0, &r->pairs, &r->n_pairs);
        } else if (!strcmp(k, "loose")) {
            free(r->loose);
            r->loose = NULL;
            if (!s || !*s)
                st = fail(L, v, "'loose' must be a non-empty regex string");
            else if (!(r->loose = strdup(s)))
                st = WARD_ENOMEM;
        } else if (!strcmp(k, "near")) {
            near_at = v;
            free_strv(near, n_near);
            st = get_strv(L, v, "near", 0, &near, &n_near);
            if (st == WARD_OK && !n_near)
                st = fail(L, v, "'near' must name at least one provider");
        } else if (!strcmp(k, "value")) {
            free(value);
            value = NULL;
            if (!s || !*s)
                st = fail(L, v, "'value' must be a non-empty regex string");
            else if (!(value = strdup(s)))
                st = WARD_ENOMEM;
        } else if (!strcmp(k, "tags") || !strcmp(k, "reportGroup")) {
            /* informational in gitleaks; nothing to do */
        } else {
            ruleset_warn(L->rs, "%s:%u: unknown rule key '%s' ignored", L->name,
                             ward_toml_line(v), k);
        }
    }
    if (st == WARD_OK && !r->id)
        st = fail(L, t, "a rule has no 'id'");
    if (st == WARD_OK && (near_at || value)) {
        if (r->regex)
            st = fail(L, t, "rule '%s': give either 'regex' or 'near' and 'value', not both",
                      r->id);
        else if (!near_at || !value)
            st = fail(L, t, "rule '%s': 'near' and 'value' go together", r->id);
        else if (have_group)
            st = fail(L, t, "rule '%s': with 'near' the secret is 'value'; drop 'secretGroup'",
                      r->id);
        else
            st = near_regex(L, near_at, r, near, n_near, value);
    }
    free_strv(near, n_near);
    free(value);
    if (st == WARD_OK && !r->regex && !r->path_re)
        st = fail(L, t, "rule '%s' has neither 'regex' nor 'path'", r->id);
    if (st == WARD_OK && r->n_pairs) {
        /* "paired with aws-access-key-id nearby" */
        size_t n = 32;
        for (size_t i = 0; i < r->n_pairs; i++)
            n += strlen(r->pairs[i]) + 4;
        if (!(r->pair_reason = malloc(n)))
            st = WARD_ENOMEM;
        else {
            strcpy(r->pair_reason, "paired with ");
            for (size_t i = 0; i < r->n_pairs; i++) {
                if (i)
                    strcat(r->pair_reason, " or ");
                strcat(r->pair_reason, r->pairs[i]);
            }
            strcat(r->pair_reason, " nearby");
        }
    }
    if (st == WARD_OK && r->loose && !r->regex)
        st = fail(L, t, "rule '%s': 'loose' needs 'regex' (the documented shape)", r->id);
    if (st == WARD_OK)
        st = gate_by_keywords(r);
    if (st == WARD_OK && r->regex && !r->hs_regex)
        st = hs_form(r->regex, &r->hs_regex);
    if (st == WARD_OK && r->loose && !r->kw_gate) {
        /* Vectorscan looks for either shape; PCRE2 tells them apart. */
        char *hx = NULL, *lx = NULL;
        st = hs_form(r->loose, &lx);
        if (st == WARD_OK && asprintf(&hx, "(?:%s)|(?:%s)", r->hs_regex ? r->hs_regex : r->regex,
                                      lx ? lx : r->loose) < 0)
            st = WARD_ENOMEM;
        if (st == WARD_OK)
            free(r->hs_regex), r->hs_regex = hx;
        free(lx);
    }
    /* A user's regexes are checked now, so a typo is an error at load time
     * rather than a rule that silently never fires.  Built-in regexes are
     * checked by the test suite and compiled lazily. */
    if (st == WARD_OK && r->loose && L->depth != WARD_LOAD_BUILTIN)
        st = check_regex(L, t, r, r->loose, "'loose' regex", &r->loose_re);
    if (st == WARD_OK && r->regex && L->depth != WARD_LOAD_BUILTIN)
        st = check_regex(L, t, r, r->regex, "regex", &r->re);
    if (st == WARD_OK)
        st = load_allowlists(L, single_allow, many_allow, 0, &r->allowlists,
                             &r->n_allowlists);
    if (st == WARD_OK && !r->description)
        st = dup_into(&r->description, r->id);
    if (st == WARD_OK) {
        /* Generic rules get the assignment-noise filters; a gitleaks config
         * has no confidence key, so its generic rule is recognised by name. */
        if (!have_conf && strstr(r->id, "generic"))
            r->confidence = WARD_CONF_LOW;
        r->generic = r->confidence == WARD_CONF_LOW;
    }
    return st;
}

/* Replaces a rule of the same id among the first `older` (a config
 * overriding a default) or appends.  The catalog's ids are unique (a test
 * says so), so its rules are compared only with those loaded before it. */
static ward_status add_rule(ward_ruleset *e, ward_rule *r, size_t older)
{
    e->catalog_intact = 0;
    for (size_t i = 0; i < older; i++)
        if (!strcmp(e->rules[i].id, r->id)) {
            ward_rules_free_rule(&e->rules[i]);
            e->rules[i] = *r;
            return WARD_OK;
        }
    if (e->n_rules == e->cap_rules) {
        size_t nc = e->cap_rules ? 2 * e->cap_rules : 64;
        ward_rule *nr = realloc(e->rules, nc * sizeof *nr);
        if (!nr)
            return WARD_ENOMEM;
        e->rules = nr;
        e->cap_rules = nc;
    }
    e->rules[e->n_rules++] = *r;
    return WARD_OK;
}

static ward_status load_builtin_toml(ward_ruleset *e, char *err, size_t errlen)
{
    if (e->no_builtin)
        return WARD_OK;
    e->catalog_from = e->n_rules;
    for (size_t i = 0; i < ward_builtin_rule_count; i++) {
        ward_status st = ward_rules_load(e, ward_builtin_rule_names[i], ward_builtin_rule_texts[i],
                                         ward_builtin_rule_lens[i], WARD_LOAD_BUILTIN, err,
                                         errlen);
        if (st)
            return st;
    }
    return WARD_OK;
}

static ward_status load_builtin(ward_ruleset *e, char *err, size_t errlen)
{
    if (e->no_builtin)
        return WARD_OK;
    const char *toml = getenv("WARD_CATALOG_TOML");
    if (!ward_builtin_catalog_len || (toml && *toml && strcmp(toml, "0")))
        return load_builtin_toml(e, err, errlen);
    return ward_catalog_load(e, ward_builtin_catalog, ward_builtin_catalog_len, err, errlen);
}

ward_status ward_rules_load_builtin(ward_ruleset *e, char *err, size_t errlen)
{
    return load_builtin(e, err, errlen);
}

ward_status ward_rules_load_builtin_toml(ward_ruleset *e, char *err, size_t errlen)
{
    return load_builtin_toml(e, err, errlen);
}

static ward_status load_file(ward_ruleset *e, const char *path, int depth, char *err,
                             size_t errlen)
{
    char *text;
    size_t len;
    ward_status st = ward_read_file(path, &text, &len, err, errlen);
    if (st)
        return st;
    st = ward_rules_load(e, path, text, len, depth, err, errlen);
    free(text);
    return st;
}

ward_status ward_rules_load_file(ward_ruleset *e, const char *path, char *err,
                                 size_t errlen)
{
    return load_file(e, path, 0, err, errlen);
}

ward_status ward_rules_load(ward_ruleset *e, const char *name, const char *text,
                            size_t len, int depth, char *err, size_t errlen)
{
    loader L = {e, name, err, errlen, depth};
    char perr[256];
    if (depth > WARD_MAX_EXTEND_DEPTH && depth != WARD_LOAD_BUILTIN) {
        if (errlen)
            snprintf(err, errlen, "%s: [extend] nests too deeply", name);
        return WARD_ECONFIG;
    }
    toml_value *root = ward_toml_parse(text, len, perr, sizeof perr);
    if (!root) {
        if (errlen)
            snprintf(err, errlen, "%s: %s", name, perr);
        return WARD_ECONFIG;
    }
    ward_status st = WARD_OK;
    const toml_value *rules = ward_toml_get(root, "rules");
    const toml_value *ext = ward_toml_get(root, "extend");
    if (rules && ward_toml_type_of(rules) != TOML_ARRAY)
        st = fail(&L, rules, "'rules' must be an array of tables ([[rules]])");

    /* The base comes first so that this file's rules override its rules of
     * the same id.  A top-level config that defines no rules only adds
     * allowlists to the built-in catalog. */
    int use_default = depth == 0 && !rules && !ext;
    if (st == WARD_OK && ext) {
        if (ward_toml_type_of(ext) != TOML_TABLE) {
            st = fail(&L, ext, "[extend] must be a table");
        } else {
            const toml_value *ud = ward_toml_get(ext, "useDefault");
            if (ud && ward_toml_bool(ud, &use_default))
                st = fail(&L, ud, "'useDefault' must be true or false");
            const toml_value *bp = ward_toml_get(ext, "path");
            if (st == WARD_OK && bp) {
                const char *p = ward_toml_str(bp, NULL);
                char full[4096];
                const char *slash = strrchr(name, '/');
                if (!p)
                    st = fail(&L, bp, "[extend] 'path' must be a string");
                else if (p[0] != '/' && slash &&
                         snprintf(full, sizeof full, "%.*s/%s", (int)(slash - name), name, p) <
                             (int)sizeof full)
                    st = load_file(e, full, depth + 1, err, errlen);
                else
                    st = load_file(e, p, depth + 1, err, errlen);
            }
        }
    }
    if (st == WARD_OK && use_default && depth != WARD_LOAD_BUILTIN)
        st = load_builtin(e, err, errlen);
    for (size_t i = 0; st == WARD_OK && rules && i < ward_toml_len(rules); i++) {
        ward_rule r;
        st = load_rule(&L, ward_toml_value_at(rules, i), &r);
        if (st == WARD_OK)
            st = add_rule(e, &r, depth == WARD_LOAD_BUILTIN ? e->catalog_from : e->n_rules);
        if (st != WARD_OK)
            ward_rules_free_rule(&r);
    }
    if (st == WARD_OK)
        st = load_allowlists(&L, ward_toml_get(root, "allowlist"), ward_toml_get(root, "allowlists"), 1,
                             &e->allowlists, &e->n_allowlists);
    const toml_value *dr = ext ? ward_toml_get(ext, "disabledRules") : NULL;
    if (st == WARD_OK && dr) {
        char **v;
        size_t n;
        st = get_strv(&L, dr, "disabledRules", 0, &v, &n);
        for (size_t i = 0; st == WARD_OK && i < n; i++)
            for (size_t j = 0; j < e->n_rules; j++)
                if (!strcmp(e->rules[j].id, v[i])) {
                    e->catalog_intact = 0;
                    ward_rules_free_rule(&e->rules[j]);
                    memmove(&e->rules[j], &e->rules[j + 1],
                            (e->n_rules - j - 1) * sizeof e->rules[0]);
                    e->n_rules--;
                    break;
                }
        if (st == WARD_OK)
            free_strv(v, n);
    }
    for (size_t i = 0; st == WARD_OK && i < ward_toml_len(root); i++) {
        const char *k = ward_toml_key_at(root, i);
        if (strcmp(k, "rules") && strcmp(k, "extend") && strcmp(k, "allowlist") &&
            strcmp(k, "allowlists") && strcmp(k, "title") && strcmp(k, "minVersion"))
            ruleset_warn(e, "%s:%u: unknown key '%s' ignored", name,
                             ward_toml_line(ward_toml_value_at(root, i)), k);
    }
    ward_toml_free(root);
    return st;
}

/* ---------------------------------------------------- the compiled catalog
 *
 * Parsing 520 KB of TOML and analysing 675 regexes took most of ward's
 * start-up, so ward-dbgen does it once at build time and writes the result
 * in this form into builtin_db.c; ward reads it back with no parsing, no
 * copies (a rule loaded so points into the blob and says so in `borrowed`)
 * and one allocation per rule for its pointer arrays.
 *
 *   header    "WARDCAT\0"  u32 version  u32 length  u32 n_rules
 *             u32 n_globals  u32 n_prefixes  u32 pool (the string pool's offset)
 *             u32 max_groups
 *   body      n_rules x rule, n_globals x { u32 slots, allowlist },
 *             n_prefixes x str
 *   pool      NUL-terminated strings, each once; the blob ends with it
 *
 *   rule      u32 slots  u32 n_allowlists
 *             str id, description, regex, path, validator_name, revoke,
 *                 hs_regex, loose, reason, pair_reason
 *             u32 secret_group, confidence, generic, kw_gate
 *             u64 entropy (its IEEE 754 bits)
 *             strv keywords, positive, negative, pairs
 *             n_allowlists x allowlist
 *   allowlist str description  u32 condition_and, target
 *             strv regexes, paths, stopwords, target_rules, commits
 *   str       u32 offset into the pool, or ~0 for NULL
 *   strv      u32 n, n x str
 *
 * Integers are little-endian; offsets make it position-independent (no
 * relocations to apply at start-up).  `slots` is how many pointers the
 * arrays need (compiled regexes and their sources included).  What the engine
 * computes at start-up from the rules (hs_mode, max_width) comes from the
 * serialised database; the prefixes come from here when the rules are the
 * catalog's alone, and so does the most capture groups any regex has.  Regexes of rule paths and allowlists are compiled at
 * load, as from TOML: the catalog has a handful. */

static const char catalog_magic[8] = "WARDCAT";
#define CATALOG_VERSION 1u
#define CATALOG_HEAD 36u
#define CATALOG_NULL 0xffffffffu

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
    int oom;
} wbuf;

static void w_bytes(wbuf *w, const void *v, size_t n)
{
    if (w->oom)
        return;
    if (w->n + n > w->cap) {
        size_t nc = w->cap ? w->cap : 4096;
        while (nc < w->n + n)
            nc *= 2;
        unsigned char *np = realloc(w->p, nc);
        if (!np) {
            w->oom = 1;
            return;
        }
        w->p = np;
        w->cap = nc;
    }
    memcpy(w->p + w->n, v, n);
    w->n += n;
}

static void w_u32(wbuf *w, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    w_bytes(w, b, 4);
}

/* The writer's string pool: each distinct string once, found again through
 * an open-addressing table of offsets + 1. */
typedef struct wpool {
    wbuf text;
    uint32_t *slot;
    size_t cap, used;
} wpool;

static uint64_t str_hash(const char *s)
{
    return ward_fnv1a(WARD_FNV_BASIS, s, strlen(s));
}

static uint32_t pool_add(wpool *P, const char *s)
{
    if (P->text.oom)
        return 0;
    if (2 * (P->used + 1) > P->cap) {
        size_t nc = P->cap ? 2 * P->cap : 4096;
        uint32_t *ns = calloc(nc, sizeof *ns);
        if (!ns) {
            P->text.oom = 1;
            return 0;
        }
        for (size_t i = 0; i < P->cap; i++)
            if (P->slot[i]) {
                size_t j = str_hash((char *)P->text.p + P->slot[i] - 1) & (nc - 1);
                while (ns[j])
                    j = (j + 1) & (nc - 1);
                ns[j] = P->slot[i];
            }
        free(P->slot);
        P->slot = ns;
        P->cap = nc;
    }
    size_t j = str_hash(s) & (P->cap - 1);
    for (; P->slot[j]; j = (j + 1) & (P->cap - 1))
        if (!strcmp((char *)P->text.p + P->slot[j] - 1, s))
            return P->slot[j] - 1;
    uint32_t off = (uint32_t)P->text.n;
    w_bytes(&P->text, s, strlen(s) + 1);
    P->slot[j] = off + 1;
    P->used++;
    return off;
}

static void w_str(wbuf *w, wpool *P, const char *s)
{
    w_u32(w, s ? pool_add(P, s) : CATALOG_NULL);
}

static void w_strv(wbuf *w, wpool *P, char *const *v, size_t n)
{
    w_u32(w, (uint32_t)n);
    for (size_t i = 0; i < n; i++)
        w_str(w, P, v[i]);
}

static size_t allowlist_slots(const ward_allowlist *a)
{
    return 2 * a->n_regexes + 2 * a->n_paths + a->n_stopwords + a->n_target_rules + a->n_commits;
}

static void w_allowlist(wbuf *w, wpool *P, const ward_allowlist *a)
{
    w_str(w, P, a->description);
    w_u32(w, (uint32_t)a->condition_and);
    w_u32(w, (uint32_t)a->target);
    w_strv(w, P, a->regex_src, a->n_regexes);
    w_strv(w, P, a->path_src, a->n_paths);
    w_strv(w, P, a->stopwords, a->n_stopwords);
    w_strv(w, P, a->target_rules, a->n_target_rules);
    w_strv(w, P, a->commits, a->n_commits);
}

static void w_rule(wbuf *w, wpool *P, const ward_rule *r)
{
    size_t slots = r->n_keywords + r->n_positive + r->n_negative + r->n_pairs;
    for (size_t i = 0; i < r->n_allowlists; i++)
        slots += allowlist_slots(&r->allowlists[i]);
    w_u32(w, (uint32_t)slots);
    w_u32(w, (uint32_t)r->n_allowlists);
    const char *strs[] = {r->id,     r->description, r->regex,  r->path,   r->validator_name,
                          r->revoke, r->hs_regex,    r->loose,  r->reason, r->pair_reason};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        w_str(w, P, strs[i]);
    w_u32(w, (uint32_t)r->secret_group);
    w_u32(w, (uint32_t)r->confidence);
    w_u32(w, (uint32_t)r->generic);
    w_u32(w, (uint32_t)r->kw_gate);
    uint64_t bits;
    memcpy(&bits, &r->entropy, 8);
    w_u32(w, (uint32_t)bits);
    w_u32(w, (uint32_t)(bits >> 32));
    w_strv(w, P, r->keywords, r->n_keywords);
    w_strv(w, P, r->positive, r->n_positive);
    w_strv(w, P, r->negative, r->n_negative);
    w_strv(w, P, r->pairs, r->n_pairs);
    for (size_t i = 0; i < r->n_allowlists; i++)
        w_allowlist(w, P, &r->allowlists[i]);
}

ward_status ward_catalog_serialize(const ward_rule *rules, size_t n_rules,
                                   const ward_allowlist *globals, size_t n_globals,
                                   char *const *prefixes, size_t n_prefixes,
                                   uint32_t max_groups, unsigned char **out, size_t *len)
{
    wbuf w = {0};
    wpool P = {0};
    *out = NULL;
    *len = 0;
    w_bytes(&w, catalog_magic, 8);
    for (int i = 0; i < 7; i++)
        w_u32(&w, 0); /* version, length, counts, pool, groups: below */
    for (size_t i = 0; i < n_rules; i++)
        w_rule(&w, &P, &rules[i]);
    for (size_t i = 0; i < n_globals; i++) {
        w_u32(&w, (uint32_t)allowlist_slots(&globals[i]));
        w_allowlist(&w, &P, &globals[i]);
    }
    for (size_t i = 0; i < n_prefixes; i++)
        w_str(&w, &P, prefixes[i]);
    size_t pool = w.n;
    w_bytes(&w, P.text.p, P.text.n);
    ward_status st = WARD_OK;
    if (w.oom || P.text.oom)
        st = WARD_ENOMEM;
    else if (w.n >= CATALOG_NULL || n_rules >= CATALOG_NULL)
        st = WARD_ETOOBIG;
    if (st == WARD_OK) {
        uint32_t head[7] = {CATALOG_VERSION,     (uint32_t)w.n,        (uint32_t)n_rules,
                            (uint32_t)n_globals, (uint32_t)n_prefixes, (uint32_t)pool,
                            max_groups};
        size_t end = w.n;
        w.n = 8;
        for (int i = 0; i < 7; i++)
            w_u32(&w, head[i]);
        w.n = end;
        *out = w.p;
        *len = w.n;
    } else {
        free(w.p);
    }
    free(P.text.p);
    free(P.slot);
    return st;
}

/* The reader.  It only ever sees the blob ward-dbgen compiled into this
 * binary (or, in the tests, one just made by ward_catalog_serialize), yet
 * every read is checked against the blob's bounds all the same: a check
 * costs nothing next to the rest, and a bad blob then fails the load
 * instead of reading past it. */
typedef struct rdr {
    const unsigned char *b;
    size_t pos, end;              /* end: where the pool begins */
    const char *pool;
    size_t pool_len;
    void **slot, **slot_end;      /* the pointer arrays being handed out */
    int bad;
} rdr;

static uint32_t r_u32(rdr *R)
{
    if (R->bad || R->end - R->pos < 4) {
        R->bad = 1;
        return 0;
    }
    const unsigned char *p = R->b + R->pos;
    R->pos += 4;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The strings are the blob's: const data the rules never write (nor free,
 * being borrowed). */
static char *r_str(rdr *R)
{
    uint32_t off = r_u32(R);
    if (off == CATALOG_NULL)
        return NULL;
    if (off >= R->pool_len) {
        R->bad = 1;
        return NULL;
    }
    return (char *)(R->pool + off);
}

/* n pointers from the current allocation. */
static void **r_slots(rdr *R, size_t n)
{
    if (!n || R->bad)
        return NULL;
    if ((size_t)(R->slot_end - R->slot) < n) {
        R->bad = 1;
        return NULL;
    }
    void **v = R->slot;
    R->slot += n;
    return v;
}

static char **r_strv(rdr *R, size_t *n)
{
    *n = 0;
    uint32_t k = r_u32(R);
    char **v = (char **)r_slots(R, k);
    if (!v)
        return NULL;
    for (size_t i = 0; i < k; i++)
        v[i] = r_str(R);
    *n = R->bad ? 0 : k;
    return R->bad ? NULL : v;
}

/* n regexes: their sources and, compiled as load_allowlist does, the code. */
static ward_status r_regexes(rdr *R, pcre2_code ***code, char ***src, size_t *n)
{
    *src = r_strv(R, n);
    *code = (pcre2_code **)r_slots(R, *n);
    if (R->bad) {
        *n = 0;
        return WARD_ECONFIG;
    }
    for (size_t i = 0; i < *n; i++) {
        char msg[200];
        if (!((*code)[i] = ward_pcre_compile((*src)[i], PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, 0,
                                             msg, sizeof msg))) {
            *n = i; /* the rest are not compiled */
            return WARD_EREGEX;
        }
    }
    return WARD_OK;
}

static ward_status r_allowlist(rdr *R, ward_allowlist *a)
{
    a->borrowed = 1;
    a->description = r_str(R);
    a->condition_and = r_u32(R) != 0;
    uint32_t t = r_u32(R);
    if (t > WARD_TARGET_LINE)
        R->bad = 1;
    a->target = (enum ward_regex_target)t;
    ward_status st = r_regexes(R, &a->regexes, &a->regex_src, &a->n_regexes);
    if (st == WARD_OK)
        st = r_regexes(R, &a->paths, &a->path_src, &a->n_paths);
    if (st == WARD_OK) {
        a->stopwords = r_strv(R, &a->n_stopwords);
        a->target_rules = r_strv(R, &a->n_target_rules);
        a->commits = r_strv(R, &a->n_commits);
    }
    return st ? st : R->bad ? WARD_ECONFIG : WARD_OK;
}

/* One allocation for slots pointers, after room for n_allow allowlists. */
static void *r_block(rdr *R, size_t slots, size_t n_allow)
{
    size_t room = R->end - R->pos;
    /* each slot and allowlist takes at least 4 bytes of the blob */
    if (R->bad || slots > room / 4 || n_allow > room / 4) {
        R->bad = 1;
        return NULL;
    }
    size_t size = n_allow * sizeof(ward_allowlist) + slots * sizeof(void *);
    void *b = size ? calloc(1, size) : NULL;
    R->slot = R->slot_end = NULL;
    if (b) {
        R->slot = (void **)((ward_allowlist *)b + n_allow);
        R->slot_end = R->slot + slots;
    }
    return b;
}

static ward_status r_rule(rdr *R, ward_rule *r)
{
    memset(r, 0, sizeof *r);
    r->borrowed = 1;
    uint32_t slots = r_u32(R), n_allow = r_u32(R);
    r->block = r_block(R, slots, n_allow);
    if (R->bad)
        return WARD_ECONFIG;
    if ((slots || n_allow) && !r->block)
        return WARD_ENOMEM;
    r->allowlists = n_allow ? r->block : NULL;
    r->n_allowlists = n_allow;
    for (size_t i = 0; i < n_allow; i++)
        r->allowlists[i].borrowed = 1;
    r->id = r_str(R);
    r->description = r_str(R);
    r->regex = r_str(R);
    r->path = r_str(R);
    r->validator_name = r_str(R);
    r->revoke = r_str(R);
    r->hs_regex = r_str(R);
    r->loose = r_str(R);
    r->reason = r_str(R);
    r->pair_reason = r_str(R);
    r->secret_group = (int)r_u32(R);
    uint32_t conf = r_u32(R);
    r->confidence = (ward_confidence)conf;
    r->generic = r_u32(R) != 0;
    r->kw_gate = r_u32(R) != 0;
    uint64_t bits = r_u32(R);
    bits |= (uint64_t)r_u32(R) << 32;
    memcpy(&r->entropy, &bits, 8);
    r->keywords = r_strv(R, &r->n_keywords);
    r->positive = r_strv(R, &r->n_positive);
    r->negative = r_strv(R, &r->n_negative);
    r->pairs = r_strv(R, &r->n_pairs);
    if (!R->bad && (!r->id || !r->description || (!r->regex && !r->path) ||
                    r->secret_group > 99 || conf > WARD_CONF_HIGH))
        R->bad = 1;
    if (!R->bad && r->validator_name && !(r->validator = ward_validator_find(r->validator_name)))
        R->bad = 1;
    if (R->bad)
        return WARD_ECONFIG;
    if (r->path) {
        char msg[200];
        if (!(r->path_re = ward_pcre_compile(r->path, PCRE2_ZERO_TERMINATED, 0, 0, msg,
                                             sizeof msg)))
            return WARD_EREGEX;
    }
    for (size_t i = 0; i < n_allow; i++) {
        ward_status st = r_allowlist(R, &r->allowlists[i]);
        if (st)
            return st;
    }
    return R->slot == R->slot_end ? WARD_OK : WARD_ECONFIG;
}

ward_status ward_catalog_load(ward_ruleset *rs, const unsigned char *b, size_t len, char *err,
                              size_t errlen)
{
    if (rs->no_builtin)
        return WARD_OK;
    rdr R = {.b = b, .pos = 8, .end = CATALOG_HEAD};
    uint32_t version = 0, total = 0, n_rules = 0, n_globals = 0, n_prefixes = 0, pool = 0;
    uint32_t groups = 0;
    if (len >= CATALOG_HEAD && !memcmp(b, catalog_magic, 8)) {
        version = r_u32(&R), total = r_u32(&R), n_rules = r_u32(&R);
        n_globals = r_u32(&R), n_prefixes = r_u32(&R), pool = r_u32(&R);
        groups = r_u32(&R);
    }
    if (version != CATALOG_VERSION || total != len || pool < CATALOG_HEAD || pool >= len ||
        b[len - 1] != '\0') {
        ward_set_err(err, errlen, "the compiled rule catalog is damaged");
        return WARD_ECONFIG;
    }
    R.end = pool;
    R.pool = (const char *)b + pool;
    R.pool_len = len - pool;
    int was_empty = rs->n_rules == 0;
    rs->catalog_from = rs->n_rules;
    ward_status st = WARD_OK;
    if (n_rules <= (R.end - R.pos) / 8 && rs->n_rules + n_rules > rs->cap_rules) {
        /* room for them all at once (a rule takes at least 8 bytes) */
        ward_rule *nr = realloc(rs->rules, (rs->n_rules + n_rules) * sizeof *nr);
        if (!nr)
            return WARD_ENOMEM;
        rs->rules = nr;
        rs->cap_rules = rs->n_rules + n_rules;
    }
    for (uint32_t i = 0; st == WARD_OK && i < n_rules; i++) {
        ward_rule r;
        st = r_rule(&R, &r);
        if (st == WARD_OK)
            st = add_rule(rs, &r, rs->catalog_from);
        if (st != WARD_OK)
            ward_rules_free_rule(&r);
    }
    if (st == WARD_OK && n_globals) {
        if (n_globals > (R.end - R.pos) / 4)
            st = WARD_ECONFIG;
        ward_allowlist *a =
            st ? NULL : realloc(rs->allowlists, (rs->n_allowlists + n_globals) * sizeof *a);
        if (!st && !a)
            st = WARD_ENOMEM;
        if (a)
            rs->allowlists = a;
        for (uint32_t i = 0; st == WARD_OK && i < n_globals; i++) {
            ward_allowlist *g = &rs->allowlists[rs->n_allowlists++];
            memset(g, 0, sizeof *g);
            g->block = r_block(&R, r_u32(&R), 0);
            if (R.bad)
                st = WARD_ECONFIG;
            else if (R.slot != R.slot_end && !g->block)
                st = WARD_ENOMEM;
            else if (!(st = r_allowlist(&R, g)) && R.slot != R.slot_end)
                st = WARD_ECONFIG;
        }
    }
    if (st == WARD_OK && !rs->prefixes && n_prefixes) {
        if (n_prefixes > (R.end - R.pos) / 4)
            st = WARD_ECONFIG;
        else if (!(rs->prefixes = calloc(n_prefixes, sizeof(char *))))
            st = WARD_ENOMEM;
        for (uint32_t i = 0; st == WARD_OK && i < n_prefixes; i++)
            if (!(rs->prefixes[i] = r_str(&R)))
                st = WARD_ECONFIG;
        if (st == WARD_OK)
            rs->n_prefixes = n_prefixes;
    }
    if (st == WARD_ECONFIG || R.bad) {
        st = WARD_ECONFIG;
        ward_set_err(err, errlen, "the compiled rule catalog is damaged");
    } else if (st == WARD_EREGEX) {
        st = WARD_ECONFIG;
        ward_set_err(err, errlen, "a regex of the compiled rule catalog does not compile");
    }
    rs->catalog_intact = st == WARD_OK && was_empty;
    if (rs->catalog_intact)
        rs->max_groups = groups;
    return st;
}
