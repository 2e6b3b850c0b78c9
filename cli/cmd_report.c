/* cmd_report.c - `ward report`: findings from a datastore, or the JSON Lines
 * outputs of several `ward git -f json` runs merged into one report.
 *
 * Both sources become one list of records, one per (repository, rule,
 * fingerprint, path), sorted by repository, introduction date and path;
 * the same fingerprint anywhere is one incident.  Text, JSON and SARIF go
 * through the scan reporters (so the fields are those of `ward git`); HTML
 * is written here as one self-contained page: inline CSS and a few lines of
 * inline JS to sort the tables, an inline SVG timeline, nothing fetched.
 * Secrets are never printed: a datastore keeps only redacted previews, and
 * a JSON input that carries a secret in clear is redacted on reading.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define MAX_RECORDS (1u << 22)
#define MAX_LINE (16u << 20)
#define MAX_REFS 64

enum { O_STORE = OPT_LOCAL };

const cli_opt report_opts[] = {
    {O_STORE, 0, "datastore", "FILE", "print the findings kept in FILE (made by 'ward git "
                                      "--datastore')"},
    {OPT_FORMAT, 'f', "format", "FORMAT", "output format: text (default), json (JSON Lines), "
                                          "sarif (SARIF 2.1.0) or html (one self-contained "
                                          "page)"},
    {OPT_MINCONF, 0, "min-confidence", "LEVEL", "report only findings of at least this "
                                                "confidence: low (default), medium or high"},
    {OPT_COLOR, 0, "color", "WHEN", "colour text output: auto (default), always or never"},
    {OPT_QUIET, 'q', "quiet", NULL, "print no findings and no summary; only the exit status "
                                    "tells"},
    {0, 0, NULL, NULL, NULL},
};

typedef struct rec {
    char *repository, *rule, *description, *reason, *path, *preview, *fingerprint, *encoding;
    ward_confidence confidence;
    uint64_t line, column, end_line, end_column, offset, length, versions;
    double entropy;
    char *commit, *author, *email, *last_commit, *removed_in;
    int64_t time, last_time;
    int tz, last_tz, present, has_history;
    char *refs[MAX_REFS];
    size_t n_refs;
} rec;

typedef struct recs {
    rec *v;
    size_t n, cap;
    int oom;
} recs;

static char *dup0(const char *s)
{
    return strdup(s ? s : "");
}

static void rec_free(rec *r)
{
    free(r->repository);
    free(r->rule);
    free(r->description);
    free(r->reason);
    free(r->path);
    free(r->preview);
    free(r->fingerprint);
    free(r->encoding);
    free(r->commit);
    free(r->author);
    free(r->email);
    free(r->last_commit);
    free(r->removed_in);
    for (size_t i = 0; i < r->n_refs; i++)
        free(r->refs[i]);
}

static rec *recs_push(recs *rs)
{
    if (rs->n == rs->cap) {
        size_t nc = rs->cap ? rs->cap * 2 : 256;
        rec *nv = rs->n < MAX_RECORDS ? realloc(rs->v, nc * sizeof *nv) : NULL;
        if (!nv) {
            rs->oom = 1;
            return NULL;
        }
        rs->v = nv;
        rs->cap = nc;
    }
    rec *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static int rec_ok(const rec *r)
{
    return r->repository && r->rule && r->description && r->reason && r->path && r->preview &&
           r->fingerprint && r->commit && r->author && r->email && r->last_commit;
}

/* ------------------------------------------------------------------ */
/* From a datastore. */

static int from_store(const ward_store_finding *sf, void *user)
{
    recs *rs = user;
    const ward_finding *f = sf->finding;
    const ward_commit *c = sf->commit;
    const ward_git_history *h = c->history;
    rec *r = recs_push(rs);
    if (!r)
        return 1;
    r->repository = dup0(sf->repository);
    r->rule = dup0(f->rule_id);
    r->description = dup0(f->description);
    r->reason = dup0(f->reason);
    r->path = dup0(f->path);
    r->preview = strndup(f->secret, f->secret_len);
    r->fingerprint = dup0(f->fingerprint);
    r->encoding = f->encoding ? dup0(f->encoding) : NULL;
    r->confidence = f->confidence;
    r->line = f->line, r->column = f->column, r->end_line = f->end_line;
    r->end_column = f->end_column, r->offset = f->offset, r->length = f->length;
    r->entropy = f->entropy;
    r->commit = dup0(c->sha), r->author = dup0(c->author), r->email = dup0(c->email);
    r->time = c->time, r->tz = c->tz_minutes;
    r->has_history = 1;
    r->last_commit = dup0(h->last->sha);
    r->last_time = h->last->time, r->last_tz = h->last->tz_minutes;
    r->versions = h->versions;
    r->present = h->present;
    r->removed_in = h->removed_in ? dup0(h->removed_in) : NULL;
    for (size_t i = 0; i < h->n_refs && i < MAX_REFS; i++)
        if ((r->refs[r->n_refs] = dup0(h->refs[i])))
            r->n_refs++;
    if (!rec_ok(r)) {
        rs->oom = 1;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* From JSON Lines. */

/* "2024-01-02T03:04:05+01:00" into seconds since the epoch and the offset
 * in minutes; -1 when it is not such a date. */
static int parse_date(const char *s, int64_t *t, int *tz)
{
    int Y, M, D, h, m, sec, oh, om;
    char sign;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &Y, &M, &D, &h, &m, &sec, &sign, &oh,
                     &om) != 9 || (sign != '+' && sign != '-'))
        return -1;
    struct tm tm = {.tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h,
                    .tm_min = m, .tm_sec = sec};
    int off = (oh * 60 + om) * (sign == '-' ? -1 : 1);
    *t = (int64_t)timegm(&tm) - (int64_t)off * 60;
    *tz = off;
    return 0;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static uint64_t jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) && v->valuedouble > 0 ? (uint64_t)v->valuedouble : 0;
}

static int from_json(recs *rs, const cJSON *o, const char *where)
{
    const char *rule = jstr(o, "rule"), *fp = jstr(o, "fingerprint"), *path = jstr(o, "path");
    const char *secret = jstr(o, "secret"), *conf = jstr(o, "confidence");
    if (!rule || !fp || !path || !secret) {
        cli_error("%s: not a ward finding (rule, fingerprint, path and secret are needed)",
                  where);
        return -1;
    }
    rec *r = recs_push(rs);
    if (!r)
        return -1;
    const cJSON *red = cJSON_GetObjectItemCaseSensitive(o, "redacted");
    char buf[128];
    /* A report never shows a secret: one given in clear is redacted here. */
    if (!cJSON_IsTrue(red))
        secret = ward_redact_preview(secret, strlen(secret), buf, sizeof buf);
    r->repository = dup0(jstr(o, "repository"));
    r->rule = dup0(rule);
    r->description = dup0(jstr(o, "description"));
    r->reason = dup0(jstr(o, "reason"));
    r->path = dup0(path);
    r->preview = dup0(secret);
    r->fingerprint = strndup(fp, WARD_FINGERPRINT_LEN);
    r->encoding = jstr(o, "encoding") ? dup0(jstr(o, "encoding")) : NULL;
    r->confidence = conf && !strcmp(conf, "high")     ? WARD_CONF_HIGH
                    : conf && !strcmp(conf, "medium") ? WARD_CONF_MEDIUM
                                                      : WARD_CONF_LOW;
    r->line = jnum(o, "line"), r->column = jnum(o, "column"), r->end_line = jnum(o, "end_line");
    r->end_column = jnum(o, "end_column"), r->offset = jnum(o, "offset");
    r->length = jnum(o, "length");
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(o, "entropy");
    r->entropy = cJSON_IsNumber(en) ? en->valuedouble : 0;
    r->commit = dup0(jstr(o, "commit"));
    r->author = dup0(jstr(o, "author"));
    r->email = dup0(jstr(o, "email"));
    if (parse_date(jstr(o, "date"), &r->time, &r->tz))
        r->time = 0, r->tz = 0;
    /* A summarised finding has its history; one of --all-occurrences is one
     * version, last seen where it came in. */
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(o, "versions");
    r->has_history = cJSON_IsNumber(ver);
    r->versions = cJSON_IsNumber(ver) ? jnum(o, "versions") : 1;
    r->last_commit = dup0(jstr(o, "last_commit") ? jstr(o, "last_commit") : r->commit);
    if (parse_date(jstr(o, "last_date"), &r->last_time, &r->last_tz))
        r->last_time = r->time, r->last_tz = r->tz;
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(o, "present");
    r->present = cJSON_IsBool(pr) ? cJSON_IsTrue(pr) : 1;
    r->removed_in = jstr(o, "removed_in") ? dup0(jstr(o, "removed_in")) : NULL;
    const cJSON *refs = cJSON_GetObjectItemCaseSensitive(o, "refs"), *it;
    cJSON_ArrayForEach(it, refs) {
        if (cJSON_IsString(it) && r->n_refs < MAX_REFS && (r->refs[r->n_refs] = dup0(it->valuestring)))
            r->n_refs++;
    }
    if (!rec_ok(r)) {
        rs->oom = 1;
        return -1;
    }
    return 0;
}

static int read_jsonl(recs *rs, const char *path)
{
    FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "r");
    if (!f) {
        cli_error("cannot open '%s': %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long no = 0;
    int rc = 0;
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        no++;
        if ((size_t)len > MAX_LINE) {
            cli_error("%s:%lu: line too long", path, no);
            rc = -1;
            break;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
        char where[512];
        snprintf(where, sizeof where, "%s:%lu", path, no);
        if (!cJSON_IsObject(o)) {
            cli_error("%s: not JSON (ward report reads the output of 'ward git -f json')",
                      where);
            rc = -1;
        } else {
            rc = from_json(rs, o, where);
        }
        cJSON_Delete(o);
    }
    if (rc == 0 && ferror(f)) {
        cli_error("cannot read '%s': %s", path, strerror(errno));
        rc = -1;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Sorting and merging. */

static int cmp_key(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    int c;
    if ((c = strcmp(x->repository, y->repository)) || (c = strcmp(x->rule, y->rule)) ||
        (c = strcmp(x->fingerprint, y->fingerprint)) || (c = strcmp(x->path, y->path)))
        return c;
    return x->time < y->time ? -1 : x->time > y->time;
}

static int cmp_out(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    int c;
    if ((c = strcmp(x->repository, y->repository)))
        return c;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if ((c = strcmp(x->path, y->path)) || (c = strcmp(x->rule, y->rule)))
        return c;
    return strcmp(x->fingerprint, y->fingerprint);
}

static int has_ref(const rec *r, const char *ref)
{
    for (size_t i = 0; i < r->n_refs; i++)
        if (!strcmp(r->refs[i], ref))
            return 1;
    return 0;
}

/* One record per key: the earliest introduction, the latest sighting. */
static void merge(recs *rs)
{
    if (!rs->n)
        return;
    qsort(rs->v, rs->n, sizeof *rs->v, cmp_key);
    size_t w = 0;
    for (size_t i = 1; i < rs->n; i++) {
        rec *k = &rs->v[w], *x = &rs->v[i];
        if (strcmp(k->repository, x->repository) || strcmp(k->rule, x->rule) ||
            strcmp(k->fingerprint, x->fingerprint) || strcmp(k->path, x->path)) {
            rs->v[++w] = *x;
            continue;
        }
        /* x came in no earlier than k (sorted by time) */
        /* Two summaries of one place (an output given twice, a re-run)
         * count their versions once; single occurrences add up. */
        if (k->has_history && x->has_history)
            k->versions = k->versions > x->versions ? k->versions : x->versions;
        else
            k->versions += x->versions;
        k->has_history = k->has_history && x->has_history;
        if (x->last_time >= k->last_time) {
            char *t = k->last_commit;
            k->last_commit = x->last_commit, x->last_commit = t;
            k->last_time = x->last_time, k->last_tz = x->last_tz;
            t = k->removed_in;
            k->removed_in = x->removed_in, x->removed_in = t;
            k->present = x->present || k->present;
        } else {
            k->present = k->present || x->present;
        }
        if (k->present) {
            free(k->removed_in);
            k->removed_in = NULL;
        }
        for (size_t j = 0; j < x->n_refs; j++)
            if (!has_ref(k, x->refs[j]) && k->n_refs < MAX_REFS) {
                k->refs[k->n_refs++] = x->refs[j];
                x->refs[j] = NULL;
            }
        rec_free(x);
    }
    rs->n = w + 1;
}

/* ------------------------------------------------------------------ */
/* Text, JSON, SARIF: through the scan reporters. */

static int print_rec(reporter *rp, const rec *r, const ward_engine *e)
{
    ward_finding f = WARD_INIT(ward_finding);
    f.rule_id = r->rule;
    f.description = r->description;
    f.rule_index = cli_rule_index(e, r->rule);
    f.confidence = r->confidence;
    f.reason = r->reason;
    f.path = r->path;
    f.secret = r->preview;
    f.secret_len = strlen(r->preview);
    f.offset = f.match_offset = r->offset;
    f.length = f.match_length = r->length;
    f.line = r->line, f.column = r->column, f.end_line = r->end_line;
    f.end_column = r->end_column;
    f.line_text = "";
    f.line_col0 = (size_t)-1;
    f.entropy = r->entropy;
    snprintf(f.fingerprint, sizeof f.fingerprint, "%s", r->fingerprint);
    f.encoding = r->encoding;
    ward_commit last = {.sha = r->last_commit, .author = "", .email = "",
                        .time = r->last_time, .tz_minutes = r->last_tz};
    ward_git_history h = {.last = &last, .versions = r->versions, .present = r->present,
                          .removed_in = r->removed_in, .n_refs = r->n_refs,
                          .refs = (const char *const *)r->refs};
    ward_commit c = {.sha = r->commit, .author = r->author, .email = r->email,
                     .time = r->time, .tz_minutes = r->tz, .history = &h};
    rp->repository = *r->repository ? r->repository : NULL;
    return reporter_finding_git(rp, &f, &c);
}

/* ------------------------------------------------------------------ */
/* HTML. */

static void html_esc(FILE *o, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '&': fputs("&amp;", o); break;
        case '"': fputs("&quot;", o); break;
        case '\'': fputs("&#39;", o); break;
        default: fputc(c < 0x20 || c == 0x7f ? '?' : c, o);
        }
    }
}

static void ymd(int64_t t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!t || !gmtime_r(&tt, &tm))
        snprintf(out, cap, "?");
    else
        snprintf(out, cap, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

typedef struct incident {
    const char *fingerprint, *rule, *preview;
    size_t first;             /* index of a record, for the rule's description */
    size_t findings, repos, paths;
    int64_t came, went;       /* first introduction, last sighting */
    int present;
    uint64_t versions;
} incident;

static int cmp_fp(const void *a, const void *b)
{
    const rec *const *x = a, *const *y = b;
    int c = strcmp((*x)->fingerprint, (*y)->fingerprint);
    if (c)
        return c;
    if ((c = strcmp((*x)->repository, (*y)->repository)))
        return c;
    return strcmp((*x)->path, (*y)->path);
}

typedef struct count {
    const char *key;
    size_t findings, incidents;
} count;

static int cmp_count(const void *a, const void *b)
{
    const count *x = a, *y = b;
    if (x->incidents != y->incidents)
        return x->incidents > y->incidents ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Counts of findings and incidents by a key of each record. */
static count *tally(rec **by_fp, size_t n, int by_repo, size_t *n_out)
{
    count *v = calloc(n ? n : 1, sizeof *v);
    size_t m = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *key = by_repo ? by_fp[i]->repository : by_fp[i]->rule;
        size_t j = 0;
        while (j < m && strcmp(v[j].key, key))
            j++;
        if (j == m)
            v[m++].key = key;
        v[j].findings++;
        /* a new incident for this key unless an earlier record of the same
         * fingerprint had the same key (records are grouped by fingerprint) */
        int seen = 0;
        for (size_t k = i; k-- > 0 && !strcmp(by_fp[k]->fingerprint, by_fp[i]->fingerprint);)
            if (!strcmp(by_repo ? by_fp[k]->repository : by_fp[k]->rule, key))
                seen = 1;
        if (!seen)
            v[j].incidents++;
    }
    qsort(v, m, sizeof *v, cmp_count);
    *n_out = m;
    return v;
}

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}"
    "table{border-collapse:collapse;font-size:13px}th,td{border-bottom:1px solid #d8dee4;"
    "padding:4px 10px;text-align:left;vertical-align:top}th{background:#f3f5f7;cursor:pointer;"
    "user-select:none;white-space:nowrap}th.asc:after{content:' \\25B2'}"
    "th.desc:after{content:' \\25BC'}td.num{text-align:right}code{font:12px ui-monospace,"
    "monospace}.present{color:#b42318;font-weight:600}.removed{color:#57606a}"
    ".counts{display:flex;gap:48px;flex-wrap:wrap}.muted{color:#57606a}"
    "svg text{font:11px system-ui,sans-serif;fill:#1b1f24}";

/* Sorting: click a header; numbers and dates compare by data-v. */
static const char js[] =
    "document.querySelectorAll('table.sortable').forEach(function(t){"
    "t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){"
    "var asc=!th.classList.contains('asc');t.querySelectorAll('th').forEach(function(h){"
    "h.classList.remove('asc','desc')});th.classList.add(asc?'asc':'desc');"
    "var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){"
    "var a=x.cells[i],c=y.cells[i],p=a.getAttribute('data-v'),q=c.getAttribute('data-v');"
    "var r=p!==null&&q!==null?(+p)-(+q):a.textContent.localeCompare(c.textContent);"
    "return asc?r:-r});rows.forEach(function(r){b.appendChild(r)})})})});"
    /* a shareable order: #sort=TABLE-ID,COLUMN[,desc] */
    "(function(){var m=/^#sort=([\\w-]+),(\\d+)(,desc)?$/.exec(location.hash);if(!m)return;"
    "var t=document.getElementById(m[1]);var th=t&&t.tHead.rows[0].cells[+m[2]];if(!th)return;"
    "th.click();if(m[3])th.click()})();";

static int write_html(FILE *o, recs *rs)
{
    size_t n = rs->n;
    rec **by_fp = malloc((n ? n : 1) * sizeof *by_fp);
    incident *inc = calloc(n ? n : 1, sizeof *inc);
    if (!by_fp || !inc) {
        free(by_fp);
        free(inc);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        by_fp[i] = &rs->v[i];
    qsort(by_fp, n, sizeof *by_fp, cmp_fp);
    size_t ni = 0, nrepos = 0;
    int64_t tmin = 0, tmax = 0;
    for (size_t i = 0; i < n; i++) {
        rec *r = by_fp[i];
        if (!ni || strcmp(inc[ni - 1].fingerprint, r->fingerprint)) {
            incident *x = &inc[ni++];
            x->fingerprint = r->fingerprint, x->rule = r->rule, x->preview = r->preview;
            x->first = i, x->came = r->time, x->went = r->last_time;
        }
        incident *x = &inc[ni - 1];
        x->findings++;
        x->versions += r->versions;
        x->present |= r->present;
        if (r->time < x->came)
            x->came = r->time;
        if (r->last_time > x->went)
            x->went = r->last_time;
        int new_repo = 1, new_path = 1;
        for (size_t k = x->first; k < i; k++) {
            if (!strcmp(by_fp[k]->repository, r->repository)) {
                new_repo = 0;
                if (!strcmp(by_fp[k]->path, r->path))
                    new_path = 0;
            }
        }
        x->repos += new_repo;
        x->paths += new_path;
        if (!tmin || (r->time && r->time < tmin))
            tmin = r->time;
        if (r->last_time > tmax)
            tmax = r->last_time;
    }
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(rs->v[k].repository, rs->v[i].repository);
        nrepos += !seen;
    }
    size_t npresent = 0;
    for (size_t i = 0; i < ni; i++)
        npresent += (size_t)inc[i].present;
    int64_t now = (int64_t)time(NULL);
    if (tmax < now && npresent)
        tmax = now; /* present secrets run to today */
    if (tmax <= tmin)
        tmax = tmin + 86400;

    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width\">"
          "<title>ward report</title><style>", o);
    fputs(css, o);
    fputs("</style></head><body>\n<h1>ward report</h1>\n", o);
    fprintf(o, "<p id=\"summary\"><b id=\"n-incidents\">%zu</b> incident%s (distinct secrets), "
               "<b id=\"n-present\">%zu</b> still present; <b id=\"n-findings\">%zu</b> "
               "finding%s in <b id=\"n-repos\">%zu</b> repositor%s. "
               "<span class=\"muted\">Secrets are redacted.</span></p>\n",
            ni, ni == 1 ? "" : "s", npresent, n, n == 1 ? "" : "s", nrepos,
            nrepos == 1 ? "y" : "ies");

    fputs("<div class=\"counts\">", o);
    for (int by_repo = 0; by_repo < 2; by_repo++) {
        size_t nc = 0;
        count *c = tally(by_fp, n, by_repo, &nc);
        fprintf(o, "<div><h2>By %s</h2><table class=\"sortable\" id=\"by-%s\"><thead><tr>"
                   "<th>%s</th><th>Incidents</th><th>Findings</th></tr></thead><tbody>\n",
                by_repo ? "repository" : "rule", by_repo ? "repository" : "rule",
                by_repo ? "Repository" : "Rule");
        for (size_t i = 0; c && i < nc; i++) {
            fputs("<tr><td>", o);
            html_esc(o, *c[i].key ? c[i].key : "(unnamed)");
            fprintf(o, "</td><td class=\"num\" data-v=\"%zu\">%zu</td><td class=\"num\" "
                       "data-v=\"%zu\">%zu</td></tr>\n",
                    c[i].incidents, c[i].incidents, c[i].findings, c[i].findings);
        }
        fputs("</tbody></table></div>", o);
        free(c);
    }
    fputs("</div>\n", o);

    /* Timeline: a bar per incident from its first introduction to its last
     * sighting; a present one runs to the end, red. */
    int W = 960, L = 260, R = 20, H = 18;
    fprintf(o, "<h2>Timeline</h2><svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" "
               "width=\"%d\" height=\"%zu\" role=\"img\" aria-label=\"when secrets came in and "
               "went\">\n",
            W, ni * (size_t)H + 30);
    char d0[48], d1[48];
    ymd(tmin, d0, sizeof d0);
    ymd(tmax, d1, sizeof d1);
    fprintf(o, "<text x=\"%d\" y=\"12\">%s</text><text x=\"%d\" y=\"12\" "
               "text-anchor=\"end\">%s</text>\n",
            L, d0, W - R, d1);
    double span = (double)(tmax - tmin);
    for (size_t i = 0; i < ni; i++) {
        const incident *x = &inc[i];
        double a = (double)(x->came - tmin) / span, b = (double)(x->went - tmin) / span;
        if (x->present)
            b = 1;
        int xa = L + (int)(a * (W - L - R)), xb = L + (int)(b * (W - L - R));
        if (xb < xa + 3)
            xb = xa + 3;
        int y = 22 + (int)i * H;
        char c0[48], c1[48];
        ymd(x->came, c0, sizeof c0);
        ymd(x->went, c1, sizeof c1);
        fprintf(o, "<g class=\"bar\" data-fingerprint=\"%s\"><text x=\"0\" y=\"%d\">", x->fingerprint,
                y + 11);
        html_esc(o, x->rule);
        fprintf(o, " %.8s</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" "
                   "fill=\"%s\"><title>",
                x->fingerprint, xa, y, xb - xa, H - 6, x->present ? "#d1242f" : "#8c959f");
        html_esc(o, x->rule);
        fprintf(o, ": in %s, %s %s</title></rect></g>\n", c0,
                x->present ? "still present, last seen" : "last seen", c1);
    }
    fputs("</svg>\n", o);

    fputs("<h2>Incidents</h2><table class=\"sortable\" id=\"incidents\"><thead><tr>"
          "<th>Incident</th><th>Rule</th><th>Secret</th><th>Repositories</th><th>Paths</th>"
          "<th>Versions</th><th>Came in</th><th>Last seen</th><th>Status</th></tr></thead>"
          "<tbody>\n", o);
    for (size_t i = 0; i < ni; i++) {
        const incident *x = &inc[i];
        char c0[48], c1[48];
        ymd(x->came, c0, sizeof c0);
        ymd(x->went, c1, sizeof c1);
        fprintf(o, "<tr data-incident=\"%s\"><td><code>%.12s</code></td><td title=\"", x->fingerprint,
                x->fingerprint);
        html_esc(o, by_fp[x->first]->description);
        fputs("\">", o);
        html_esc(o, x->rule);
        fputs("</td><td><code>", o);
        html_esc(o, x->preview);
        fprintf(o, "</code></td><td class=\"num\" data-v=\"%zu\">%zu</td><td class=\"num\" "
                   "data-v=\"%zu\">%zu</td><td class=\"num\" data-v=\"%llu\">%llu</td>"
                   "<td data-v=\"%lld\">%s</td><td data-v=\"%lld\">%s</td>"
                   "<td class=\"%s\">%s</td></tr>\n",
                x->repos, x->repos, x->paths, x->paths, (unsigned long long)x->versions,
                (unsigned long long)x->versions, (long long)x->came, c0, (long long)x->went, c1,
                x->present ? "present" : "removed", x->present ? "present" : "removed");
    }
    fputs("</tbody></table>\n", o);

    fputs("<h2>Findings</h2><table class=\"sortable\" id=\"findings\"><thead><tr>"
          "<th>Repository</th><th>Path</th><th>Line</th><th>Rule</th><th>Incident</th>"
          "<th>Commit</th><th>Author</th><th>Came in</th><th>Last seen</th><th>Status</th>"
          "</tr></thead><tbody>\n", o);
    for (size_t i = 0; i < n; i++) {
        const rec *r = &rs->v[i];
        char c0[48], c1[48];
        ymd(r->time, c0, sizeof c0);
        ymd(r->last_time, c1, sizeof c1);
        fputs("<tr><td>", o);
        html_esc(o, r->repository);
        fputs("</td><td><code>", o);
        html_esc(o, r->path);
        fprintf(o, "</code></td><td class=\"num\" data-v=\"%llu\">%llu</td><td>",
                (unsigned long long)r->line, (unsigned long long)r->line);
        html_esc(o, r->rule);
        fprintf(o, "</td><td><code>%.12s</code></td><td><code>%.8s</code></td><td>",
                r->fingerprint, r->commit);
        html_esc(o, r->author);
        fprintf(o, "</td><td data-v=\"%lld\">%s</td><td data-v=\"%lld\">%s</td><td class=\"%s\">",
                (long long)r->time, c0, (long long)r->last_time, c1,
                r->present ? "present" : "removed");
        if (r->present)
            fputs("present", o);
        else if (r->removed_in)
            fprintf(o, "removed in <code>%.8s</code>", r->removed_in);
        else
            fputs("removed", o);
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody></table>\n<p class=\"muted\">Made by ward " WARD_VERSION
          ". Secrets are redacted; an incident is one secret (its fingerprint) wherever it "
          "was found.</p>\n<script>", o);
    fputs(js, o);
    fputs("</script></body></html>\n", o);
    free(by_fp);
    free(inc);
    return ferror(o) ? -1 : 0;
}

/* ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t n_incidents(const recs *rs)
{
    const char **v = malloc((rs->n ? rs->n : 1) * sizeof *v);
    size_t m = 0;
    if (!v)
        return 0;
    for (size_t i = 0; i < rs->n; i++)
        v[i] = rs->v[i].fingerprint;
    qsort(v, rs->n, sizeof *v, cmp_str);
    for (size_t i = 0; i < rs->n; i++)
        m += !i || strcmp(v[i], v[i - 1]);
    free(v);
    return m;
}

int cmd_report(const cli_cmd *self, int argc, char **argv)
{
    cli_parse ps;
    cli_parse_init(&ps, self, argc, argv);
    const char *store_path = NULL, *color = "auto";
    int html = 0, quiet = 0, min_conf = WARD_CONF_LOW;
    cli_run tmp = {0};
    int opt;
    while ((opt = cli_next(&ps)) != -1) {
        switch (opt) {
        case 'h': cli_print_help(stdout, self); return EXIT_CLEAN;
        case O_STORE: store_path = ps.optarg; break;
        case OPT_FORMAT:
            if (!strcmp(ps.optarg, "html")) {
                html = 1;
                break;
            }
            if (cli_run_option(&tmp, opt, ps.optarg) < 0) {
                cli_error("(or html)");
                return EXIT_ERROR;
            }
            html = 0;
            break;
        case OPT_MINCONF:
            if (cli_run_option(&tmp, opt, ps.optarg) < 0)
                return EXIT_ERROR;
            min_conf = tmp.min_conf;
            break;
        case OPT_COLOR:
            if (cli_run_option(&tmp, opt, ps.optarg) < 0)
                return EXIT_ERROR;
            color = ps.optarg;
            break;
        case OPT_QUIET: quiet = 1; break;
        default: return EXIT_ERROR;
        }
    }
    if (!store_path && !ps.n_operands) {
        cli_error("nothing to report: give --datastore FILE or JSON Lines files (see 'ward "
                  "report --help')");
        return EXIT_ERROR;
    }
    recs rs = {0};
    int rc = EXIT_CLEAN;
    char err[1024] = "";
    if (store_path) {
        ward_store *s = NULL;
        ward_status st = ward_store_open(store_path, 0, &s, err, sizeof err);
        if (!st)
            st = ward_store_findings(s, NULL, 1, from_store, &rs, err, sizeof err);
        ward_store_free(s);
        if (st && !rs.oom) {
            cli_error("%s", *err ? err : ward_strerror(st));
            rc = EXIT_ERROR;
        }
    }
    for (int i = 0; i < ps.n_operands && rc == EXIT_CLEAN; i++)
        if (read_jsonl(&rs, ps.operands[i]) < 0 && !rs.oom)
            rc = EXIT_ERROR;
    if (rs.oom) {
        cli_error("out of memory (or more than %u findings)", MAX_RECORDS);
        rc = EXIT_ERROR;
    }
    if (rc == EXIT_CLEAN) {
        /* the confidence filter first, so counts describe what is shown */
        size_t w = 0;
        for (size_t i = 0; i < rs.n; i++) {
            if ((int)rs.v[i].confidence >= min_conf)
                rs.v[w++] = rs.v[i];
            else
                rec_free(&rs.v[i]);
        }
        rs.n = w;
        merge(&rs);
        if (rs.n)
            qsort(rs.v, rs.n, sizeof *rs.v, cmp_out);
    }
    if (rc == EXIT_CLEAN && !quiet) {
        if (html) {
            if (write_html(stdout, &rs) < 0 && !ferror(stdout)) {
                cli_error("out of memory");
                rc = EXIT_ERROR;
            }
        } else {
            ward_engine *e = NULL;
            reporter rp = {0};
            if (ward_engine_new(NULL, &e, err, sizeof err) ||
                reporter_init(&rp, stdout, tmp.fmt, 0,
                              tmp.fmt == FMT_TEXT && cli_want_color(color), e)) {
                cli_error("%s", *err ? err : "out of memory");
                rc = EXIT_ERROR;
            } else {
                rp.redacted_input = 1;
                for (size_t i = 1; i < rs.n; i++)
                    if (strcmp(rs.v[i].repository, rs.v[0].repository))
                        rp.text_repository = 1;
                for (size_t i = 0; i < rs.n; i++)
                    if (print_rec(&rp, &rs.v[i], e) < 0)
                        break;
                reporter_finish(&rp);
            }
            ward_engine_free(e);
        }
        if (rc == EXIT_CLEAN) {
            size_t nrepo = 0;
            for (size_t i = 0; i < rs.n; i++)
                nrepo += !i || strcmp(rs.v[i].repository, rs.v[i - 1].repository);
            size_t ni = n_incidents(&rs);
            cli_error("%zu finding%s, %zu incident%s, %zu repositor%s", rs.n,
                      rs.n == 1 ? "" : "s", ni, ni == 1 ? "" : "s", nrepo,
                      nrepo == 1 ? "y" : "ies");
        }
    }
    if (rc == EXIT_CLEAN && rs.n)
        rc = EXIT_FOUND;
    for (size_t i = 0; i < rs.n; i++)
        rec_free(&rs.v[i]);
    free(rs.v);
    return rc;
}
