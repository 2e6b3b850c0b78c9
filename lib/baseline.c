/* baseline.c - known findings, kept as (rule, fingerprint, path) lines.
 *
 * An entry is the text of its line, "rule<TAB>fingerprint<TAB>path" with the
 * path escaped, so sorting the lines bytewise sorts the entries and equality
 * of lines is equality of keys.  Entries live in one array that is sorted
 * and deduplicated lazily, before the first lookup or write after a change;
 * lookups are binary searches.  No line number is stored (moving a line keeps
 * it known) and never the secret (the fingerprint is a truncated SHA-256 of
 * rule id and secret, computed by the scanner).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define MAX_FILE (256u << 20)
#define MAX_LINE 8192u

typedef struct entry {
    char *line;      /* "rule\tfp\tpath" */
    char *parts;     /* the same with NULs for tabs: rule, fp, path */
    size_t fp_off, path_off;
    int used;
} entry;

struct ward_baseline {
    entry *v;
    size_t n, cap;
    int sorted;
};

ward_status ward_baseline_new(ward_baseline **out)
{
    if (!out)
        return WARD_EINVAL;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return WARD_ENOMEM;
    (*out)->sorted = 1;
    return WARD_OK;
}

void ward_baseline_free(ward_baseline *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->v[i].line);
        free(b->v[i].parts);
    }
    free(b->v);
    free(b);
}

/* Paths are printed relative to where ward runs; "./x" and "x" are one. */
static const char *norm_path(const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    return p;
}

/* Writes "rule\tfp\tescaped-path" into out; returns its length, or 0 when
 * it does not fit (or a field is unusable). */
static size_t make_line(const char *rule, const char *fp, const char *path, char *out,
                        size_t cap)
{
    size_t k = 0, rl = strlen(rule), fl = strlen(fp);
    if (!rl || !fl || rl + fl + 3 > cap || strpbrk(rule, "\t\n\r") || strpbrk(fp, "\t\n\r"))
        return 0;
    memcpy(out, rule, rl);
    k = rl;
    out[k++] = '\t';
    memcpy(out + k, fp, fl);
    k += fl;
    out[k++] = '\t';
    for (const char *p = norm_path(path ? path : "-"); *p; p++) {
        const char *esc = *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : *p == '\r' ? "\\r"
                        : *p == '\\' ? "\\\\" : NULL;
        size_t need = esc ? 2 : 1;
        if (k + need + 1 > cap)
            return 0;
        if (esc) {
            out[k++] = esc[0];
            out[k++] = esc[1];
        } else {
            out[k++] = *p;
        }
    }
    out[k] = '\0';
    return k;
}

static ward_status push_line(ward_baseline *b, const char *line, size_t len)
{
    if (b->n >= WARD_BASELINE_MAX_ENTRIES)
        return WARD_ETOOBIG;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        entry *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return WARD_ENOMEM;
        b->v = v;
        b->cap = cap;
    }
    entry *e = &b->v[b->n];
    e->line = malloc(len + 1);
    e->parts = malloc(len + 1);
    if (!e->line || !e->parts) {
        free(e->line);
        free(e->parts);
        return WARD_ENOMEM;
    }
    memcpy(e->line, line, len);
    e->line[len] = '\0';
    memcpy(e->parts, line, len + 1);
    char *t1 = strchr(e->parts, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t2) { /* callers validate; keep the entry well formed anyway */
        free(e->line);
        free(e->parts);
        return WARD_EINVAL;
    }
    *t1 = *t2 = '\0';
    e->fp_off = (size_t)(t1 + 1 - e->parts);
    e->path_off = (size_t)(t2 + 1 - e->parts);
    e->used = 0;
    b->n++;
    b->sorted = b->n <= 1 || (b->sorted && strcmp(b->v[b->n - 2].line, e->line) < 0);
    return WARD_OK;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->line, ((const entry *)b)->line);
}

static void settle(ward_baseline *b)
{
    if (b->sorted)
        return;
    qsort(b->v, b->n, sizeof *b->v, entry_cmp);
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (k && !strcmp(b->v[k - 1].line, b->v[i].line)) {
            b->v[k - 1].used |= b->v[i].used;
            free(b->v[i].line);
            free(b->v[i].parts);
            continue;
        }
        b->v[k++] = b->v[i];
    }
    b->n = k;
    b->sorted = 1;
}


static int is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return n > 0;
}

ward_status ward_baseline_load(ward_baseline *b, const char *path, char *err, size_t errlen)
{
    if (!b || !path)
        return WARD_EINVAL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ward_set_err(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return WARD_EIO;
    }
    char *line = NULL;
    size_t cap = 0, total = 0;
    unsigned long no = 0;
    ssize_t got;
    ward_status st = WARD_OK;
    while ((got = getline(&line, &cap, f)) > 0) {
        no++;
        total += (size_t)got;
        size_t len = (size_t)got;
        if (total > MAX_FILE) {
            ward_set_err(err, errlen, "%s:%lu: %s", path, no, "baseline larger than 256 MiB");
            st = WARD_ETOOBIG;
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len || line[0] == '#')
            continue;
        char *t1 = memchr(line, '\t', len), *t2 = t1 ? memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line)) : NULL;
        if (len > MAX_LINE || !t1 || !t2 || t1 == line || !t2[1] ||
            !is_hex(t1 + 1, (size_t)(t2 - t1 - 1)) || memchr(t2 + 1, '\t', len - (size_t)(t2 + 1 - line))) {
            ward_set_err(err, errlen, "%s:%lu: %s", path, no,
                    "expected rule, fingerprint and path separated by tabs");
            st = WARD_ECONFIG;
            break;
        }
        st = push_line(b, line, len);
        if (st) {
            ward_set_err(err, errlen, "%s:%lu: %s", path, no, ward_strerror(st));
            break;
        }
    }
    if (st == WARD_OK && ferror(f)) {
        ward_set_err(err, errlen, "cannot read '%s': %s", path, strerror(errno));
        st = WARD_EIO;
    }
    free(line);
    fclose(f);
    return st;
}

int ward_baseline_match(ward_baseline *b, const ward_finding *f)
{
    char key[MAX_LINE];
    if (!b || !f || !b->n || !make_line(f->rule_id, f->fingerprint, f->path, key, sizeof key))
        return 0;
    settle(b);
    entry probe = {.line = key};
    entry *hit = bsearch(&probe, b->v, b->n, sizeof *b->v, entry_cmp);
    if (!hit)
        return 0;
    hit->used = 1;
    return 1;
}

ward_status ward_baseline_add(ward_baseline *b, const ward_finding *f)
{
    char key[MAX_LINE];
    if (!b || !f)
        return WARD_EINVAL;
    size_t n = make_line(f->rule_id, f->fingerprint, f->path, key, sizeof key);
    if (!n)
        return WARD_ETOOBIG;
    return push_line(b, key, n);
}

ward_status ward_baseline_write(ward_baseline *b, const char *path, char *err, size_t errlen)
{
    if (!b || !path)
        return WARD_EINVAL;
    settle(b);
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= sizeof tmp) {
        ward_set_err(err, errlen, "cannot write '%s': %s", path, "path too long");
        return WARD_EIO;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        ward_set_err(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        return WARD_EIO;
    }
    fputs("# ward baseline: rule<TAB>fingerprint<TAB>path, sorted; no secrets\n", f);
    for (size_t i = 0; i < b->n; i++) {
        fputs(b->v[i].line, f);
        fputc('\n', f);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        ward_set_err(err, errlen, "cannot write '%s': %s", path, strerror(errno ? errno : EIO));
        unlink(tmp);
        return WARD_EIO;
    }
    return WARD_OK;
}

size_t ward_baseline_count(ward_baseline *b)
{
    if (!b)
        return 0;
    settle(b);
    return b->n;
}

ward_status ward_baseline_get(ward_baseline *b, size_t i, ward_baseline_entry *out)
{
    if (!b || !out)
        return WARD_EINVAL;
    settle(b);
    if (i >= b->n)
        return WARD_EINVAL;
    out->rule_id = b->v[i].parts;
    out->fingerprint = b->v[i].parts + b->v[i].fp_off;
    out->path = b->v[i].parts + b->v[i].path_off;
    out->used = b->v[i].used;
    return WARD_OK;
}
