/* output.c - finding reporters: text for people, JSON Lines, SARIF 2.1.0;
 * and the error line and terminal checks every command uses.
 *
 * Every reporter redacts the secret unless --show-secrets was given, and no
 * reporter ever puts the secret in a message.  JSON is written by hand with a
 * string escaper that turns invalid UTF-8 into U+FFFD, because paths and
 * secrets are arbitrary bytes and the output must stay valid JSON.  SARIF
 * results are streamed into a memory buffer and wrapped into the document
 * at the end, once it is known which rules the run used.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ------------------------------------------------- errors and terminals */

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("ward: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_isatty(int fd)
{
    const char *f = getenv("WARD_FORCE_TTY");
    if (f && *f && strcmp(f, "0"))
        return 1;
    return isatty(fd);
}

int cli_want_color(const char *when)
{
    if (when && !strcmp(when, "always"))
        return 1;
    if (when && !strcmp(when, "never"))
        return 0;
    const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return 0;
    if (term && !strcmp(term, "dumb"))
        return 0;
    return cli_isatty(1);
}

/* ------------------------------------------------------------ reporters */

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        need = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        need = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        need = 4, cp = c & 0x07;
    else
        return 0;
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return need;
}

void json_str(FILE *out, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            switch (c) {
            case '\n': fputs("\\n", out); break;
            case '\r': fputs("\\r", out); break;
            case '\t': fputs("\\t", out); break;
            default: fprintf(out, "\\u%04x", c);
            }
            i++;
        } else {
            size_t l = utf8_len(s + i, len - i);
            if (!l) {
                fputs("\\ufffd", out);
                i++;
            } else {
                fwrite(s + i, 1, l, out);
                i += l;
            }
        }
    }
    fputc('"', out);
}

static void json_cstr(FILE *out, const char *s)
{
    json_str(out, s ? s : "", s ? strlen(s) : 0);
}

/* Code points in s, counting each invalid byte as one. */
static size_t codepoints(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        size_t l = utf8_len(s + i, len - i);
        i += l ? l : 1;
    }
    return n;
}

int reporter_init(reporter *r, FILE *out, cli_format fmt, int show_secrets, int color,
                  const ward_engine *e)
{
    memset(r, 0, sizeof *r);
    r->out = out;
    r->fmt = fmt;
    r->show_secrets = show_secrets;
    r->color = color;
    r->engine = e;
    if (fmt == FMT_SARIF) {
        r->sarif = open_memstream(&r->sarif_buf, &r->sarif_len);
        r->rules_used = calloc(ward_engine_rule_count(e) + 1, 1);
        if (!r->sarif || !r->rules_used)
            return -1;
    }
    return 0;
}

static const char *conf_color(ward_confidence c)
{
    return c == WARD_CONF_HIGH ? "\033[1;31m" : c == WARD_CONF_MEDIUM ? "\033[33m" : "\033[36m";
}

/* The secret as the user may see it: redacted unless asked otherwise. */
static void secret_text(const reporter *r, const ward_finding *f, char *buf, size_t cap,
                        const char **s, size_t *len)
{
    if (r->show_secrets || r->redacted_input) {
        *s = f->secret;
        *len = f->secret_len;
    } else {
        ward_redact_preview(f->secret, f->secret_len, buf, cap);
        *s = buf;
        *len = strlen(buf);
    }
}

/* The author's date of a commit, in the author's time zone: "2024-01-02"
 * (ymd only) or "2024-01-02T03:04:05+01:00". */
static void commit_date(const ward_commit *c, int ymd, char *out, size_t cap)
{
    time_t t = (time_t)(c->time + (int64_t)c->tz_minutes * 60);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, cap, "?");
        return;
    }
    int off = c->tz_minutes < 0 ? -c->tz_minutes : c->tz_minutes;
    if (ymd)
        snprintf(out, cap, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    else
        snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 c->tz_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

/* Text for a terminal without control bytes: a hostile file or commit must
 * not be able to move the cursor or retitle the window. */
static void safe_text(FILE *o, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        fputc(c < 0x20 || c == 0x7f ? '?' : c, o);
    }
}

/* ,"commit":...,"author":...,"email":...,"date":... */
static void commit_json(FILE *o, const ward_commit *cm)
{
    char date[64];
    commit_date(cm, 0, date, sizeof date);
    fputs(",\"commit\":", o);
    json_cstr(o, cm->sha);
    fputs(",\"author\":", o);
    json_cstr(o, cm->author);
    fputs(",\"email\":", o);
    json_cstr(o, cm->email);
    fputs(",\"date\":", o);
    json_cstr(o, date);
    const ward_git_history *hy = cm->history;
    if (!hy)
        return;
    commit_date(hy->last, 0, date, sizeof date);
    fputs(",\"last_commit\":", o);
    json_cstr(o, hy->last->sha);
    fputs(",\"last_date\":", o);
    json_cstr(o, date);
    fprintf(o, ",\"versions\":%llu,\"present\":%s,\"removed_in\":",
            (unsigned long long)hy->versions, hy->present ? "true" : "false");
    if (hy->removed_in)
        json_cstr(o, hy->removed_in);
    else
        fputs("null", o);
    fputs(",\"refs\":[", o);
    for (size_t i = 0; i < hy->n_refs; i++) {
        if (i)
            fputc(',', o);
        json_cstr(o, hy->refs[i]);
    }
    fputc(']', o);
}

static void text_finding(reporter *r, const ward_finding *f, const ward_commit *cm)
{
    FILE *o = r->out;
    char red[128];
    const char *s;
    size_t sl;
    secret_text(r, f, red, sizeof red, &s, &sl);
    const char *B = r->color ? "\033[1m" : "", *M = r->color ? "\033[35m" : "",
               *G = r->color ? "\033[32m" : "", *Y = r->color ? "\033[33m" : "",
               *C = r->color ? conf_color(f->confidence) : "", *Z = r->color ? "\033[0m" : "";
    if (r->repository && r->text_repository) {
        safe_text(o, r->repository, strlen(r->repository));
        fputs(": ", o);
    }
    fprintf(o, "%s%s%s:%s%llu%s:%s%llu%s: %s%s%s %s[%s]%s %s: ", M,
            f->path ? f->path : "-", Z, G, (unsigned long long)f->line, Z, G,
            (unsigned long long)f->column, Z, Y, f->rule_id, Z, C,
            ward_confidence_name(f->confidence), Z, f->description);
    fputs(B, o);
    safe_text(o, s, sl);
    fprintf(o, "%s (%s)", Z, f->reason);
    if (f->encoding)
        fprintf(o, " (in %s)", f->encoding);
    if (cm) {
        char date[64];
        commit_date(cm, 1, date, sizeof date);
        fprintf(o, " commit %.8s by ", cm->sha);
        safe_text(o, cm->author, strlen(cm->author));
        fprintf(o, " on %s", date);
        const ward_git_history *hy = cm->history;
        if (hy && hy->present)
            fprintf(o, "; %llu version%s, still in HEAD", (unsigned long long)hy->versions,
                    hy->versions == 1 ? "" : "s");
        else if (hy && hy->removed_in)
            fprintf(o, "; %llu version%s, removed in %.8s", (unsigned long long)hy->versions,
                    hy->versions == 1 ? "" : "s", hy->removed_in);
        else if (hy)
            fprintf(o, "; %llu version%s, last in %.8s (not in HEAD)",
                    (unsigned long long)hy->versions, hy->versions == 1 ? "" : "s",
                    hy->last->sha);
    }
    fputc('\n', o);
}

static void json_finding(reporter *r, const ward_finding *f, const ward_commit *cm)
{
    FILE *o = r->out;
    char red[128];
    const char *s;
    size_t sl;
    secret_text(r, f, red, sizeof red, &s, &sl);
    fputs("{\"rule\":", o);
    json_cstr(o, f->rule_id);
    fputs(",\"description\":", o);
    json_cstr(o, f->description);
    fputs(",\"path\":", o);
    json_cstr(o, f->path ? f->path : "-");
    fprintf(o, ",\"line\":%llu,\"column\":%llu,\"end_line\":%llu,\"end_column\":%llu",
            (unsigned long long)f->line, (unsigned long long)f->column,
            (unsigned long long)f->end_line, (unsigned long long)f->end_column);
    fprintf(o, ",\"offset\":%llu,\"length\":%llu", (unsigned long long)f->offset,
            (unsigned long long)f->length);
    fprintf(o, ",\"confidence\":\"%s\",\"reason\":", ward_confidence_name(f->confidence));
    json_cstr(o, f->reason);
    fprintf(o, ",\"entropy\":%.2f,\"fingerprint\":\"%s\",\"secret\":", f->entropy,
            f->fingerprint);
    json_str(o, s, sl);
    fprintf(o, ",\"redacted\":%s",
            r->show_secrets && !r->redacted_input ? "false" : "true");
    if (f->revoke) {
        fputs(",\"revoke\":", o);
        json_cstr(o, f->revoke);
    }
    if (f->encoding) {
        fputs(",\"encoding\":", o);
        json_cstr(o, f->encoding);
    }
    if (cm)
        commit_json(o, cm);
    if (cm && cm->history) /* one secret in several places is one incident */
        fprintf(o, ",\"incident\":\"%s\"", f->fingerprint);
    if (r->repository) {
        fputs(",\"repository\":", o);
        json_cstr(o, r->repository);
    }
    fputs("}\n", o);
}

/* A URI for a path (relative reference, or file:// when absolute): unreserved characters and '/' stay,
 * everything else is percent-encoded (RFC 3986). */
static void uri(FILE *o, const char *path)
{
    fputc('"', o);
    if (path[0] == '/')
        fputs("file://", o); /* an absolute path becomes an absolute URI */
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            fputc(*p, o);
        else
            fprintf(o, "%%%02X", *p);
    }
    fputc('"', o);
}

static const char *sarif_level(ward_confidence c)
{
    return c == WARD_CONF_HIGH ? "error" : c == WARD_CONF_MEDIUM ? "warning" : "note";
}

static void sarif_finding(reporter *r, const ward_finding *f, const ward_commit *cm)
{
    FILE *o = r->sarif;
    char red[128];
    const char *s;
    size_t sl;
    secret_text(r, f, red, sizeof red, &s, &sl);
    r->rules_used[f->rule_index] = 1;
    /* SARIF columns count code points here (columnKind below); byte columns
     * are converted using the line text when it starts at the line start. */
    unsigned long long sc = f->column, ec = f->end_column;
    if (f->line_col0 + 1 == f->column) {
        sc = codepoints(f->line_text, f->line_col0) + 1;
        if (f->end_line == f->line)
            ec = sc + codepoints(f->secret, f->secret_len);
    }
    if (r->count)
        fputc(',', o);
    fprintf(o, "{\"ruleId\":");
    json_cstr(o, f->rule_id);
    fprintf(o, ",\"level\":\"%s\",\"message\":{\"text\":", sarif_level(f->confidence));
    char msg[512];
    snprintf(msg, sizeof msg, "%s (%s confidence: %s)", f->description,
             ward_confidence_name(f->confidence), f->reason);
    json_cstr(o, msg);
    fprintf(o, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    uri(o, f->path && strcmp(f->path, "-") ? f->path : "stdin");
    if (r->vcs && f->path && f->path[0] != '/' && strcmp(f->path, "-") && strncmp(f->path, "../", 3))
        fputs(",\"uriBaseId\":\"SRCROOT\"", o);
    fprintf(o, "},\"region\":{\"startLine\":%llu,\"startColumn\":%llu,\"endLine\":%llu,"
               "\"endColumn\":%llu}}}]",
            (unsigned long long)f->line, sc, (unsigned long long)f->end_line, ec);
    fprintf(o, ",\"partialFingerprints\":{\"wardFingerprint/v1\":\"%s\"}", f->fingerprint);
    fprintf(o, ",\"properties\":{\"confidence\":\"%s\",\"secret\":",
            ward_confidence_name(f->confidence));
    json_str(o, s, sl);
    if (cm)
        commit_json(o, cm);
    if (r->repository) {
        fputs(",\"repository\":", o);
        json_cstr(o, r->repository);
    }
    fprintf(o, "}}");
}

int reporter_finding(reporter *r, const ward_finding *f)
{
    return reporter_finding_git(r, f, NULL);
}

int reporter_finding_git(reporter *r, const ward_finding *f, const ward_commit *c)
{
    switch (r->fmt) {
    case FMT_TEXT: text_finding(r, f, c); break;
    case FMT_JSON: json_finding(r, f, c); break;
    case FMT_SARIF: sarif_finding(r, f, c); break;
    }
    r->count++;
    if (ferror(r->out)) {
        cli_out_error(errno);
        return -1;
    }
    return 0;
}

static void sarif_rule(FILE *o, const ward_rule_info *ri, int first)
{
    if (!first)
        fputc(',', o);
    fputs("{\"id\":", o);
    json_cstr(o, ri->id);
    fputs(",\"name\":", o);
    json_cstr(o, ri->id);
    fputs(",\"shortDescription\":{\"text\":", o);
    json_cstr(o, ri->description);
    fputc('}', o);
    if (ri->revoke) {
        /* What to do about a finding: where the owner revokes the secret.
         * Revoke texts mix a URL with words ("https://x/keys (delete the
         * key)"), so helpUri gets the URL alone: it must be a valid URI. */
        const char *rv = ri->revoke, *u = strstr(rv, "https://");
        if (!u)
            u = strstr(rv, "http://");
        size_t ulen = u ? strcspn(u, " \t") : 0;
        while (ulen && strchr(").,;:", u[ulen - 1]))
            ulen--;
        char *text = NULL, *md = NULL, *uri = NULL;
        int ok = asprintf(&text, "Revoke or rotate this credential: %s", rv) >= 0;
        if (ok && u)
            ok = asprintf(&md, "Revoke or rotate this credential: %.*s<%.*s>%s", (int)(u - rv),
                          rv, (int)ulen, u, u + ulen) >= 0 &&
                 asprintf(&uri, "%.*s", (int)ulen, u) >= 0;
        else if (ok)
            ok = asprintf(&md, "Revoke or rotate this credential: %s", rv) >= 0;
        if (ok) {
            fputs(",\"help\":{\"text\":", o);
            json_cstr(o, text);
            fputs(",\"markdown\":", o);
            json_cstr(o, md);
            fputc('}', o);
            if (uri) {
                fputs(",\"helpUri\":", o);
                json_cstr(o, uri);
            }
        }
        free(text);
        free(md);
        free(uri);
    }
    fprintf(o, ",\"defaultConfiguration\":{\"level\":\"%s\"},\"properties\":{\"confidence\":"
               "\"%s\",\"tags\":[\"security\",\"secret\"]}}",
            sarif_level(ri->confidence), ward_confidence_name(ri->confidence));
}

int reporter_finish(reporter *r)
{
    if (r->fmt == FMT_SARIF) {
        FILE *o = r->out;
        fclose(r->sarif);
        r->sarif = NULL;
        /* ruleIndex is omitted in results, so rules may be any subset: list
         * those that produced results, which keeps the document small. */
        fprintf(o, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                   "\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"ward\","
                   "\"version\":\"%s\",\"semanticVersion\":\"%s\",\"rules\":[",
                WARD_VERSION, WARD_VERSION);
        int first = 1;
        for (size_t i = 0; i < ward_engine_rule_count(r->engine); i++) {
            ward_rule_info ri;
            if (!r->rules_used[i] || ward_engine_rule(r->engine, i, &ri))
                continue;
            sarif_rule(o, &ri, first);
            first = 0;
        }
        fprintf(o, "]}},");
        if (r->vcs && r->vcs->uri) {
            fputs("\"versionControlProvenance\":[{\"repositoryUri\":", o);
            json_cstr(o, r->vcs->uri);
            if (r->vcs->revision) {
                fputs(",\"revisionId\":", o);
                json_cstr(o, r->vcs->revision);
            }
            if (r->vcs->branch) {
                fputs(",\"branch\":", o);
                json_cstr(o, r->vcs->branch);
            }
            fputs(",\"mappedTo\":{\"uriBaseId\":\"SRCROOT\"}}],", o);
        }
        fprintf(o, "\"columnKind\":\"unicodeCodePoints\",\"results\":[");
        fwrite(r->sarif_buf, 1, r->sarif_len, o);
        fprintf(o, "]}]}\n");
        free(r->sarif_buf);
        free(r->rules_used);
        r->sarif_buf = NULL;
        r->rules_used = NULL;
    }
    errno = 0;
    if (fflush(r->out) != 0 || ferror(r->out)) {
        cli_out_error(errno);
        return -1;
    }
    return 0;
}
