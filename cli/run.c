/* run.c - what `ward scan`, `ward git` and `ward staged` share.
 *
 * The options they have in common (format, config, confidence, baselines,
 * size limits, colour, quiet/verbose), loading the engine with the
 * repository's configuration, the per-finding filter (confidence, baseline),
 * errors and progress on stderr, and the exit status.  Each command keeps
 * only its own options and the library call that does its work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return -1;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    }
    if (*end == 'i' && shift)
        end++;
    if ((*end == 'b' || *end == 'B') && shift)
        end++;
    if (*end || v == 0 || v > (ULLONG_MAX >> shift))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

/* Baselines: --baseline filters known findings, --baseline-write records. */
int cli_baseline_start(cli_baseline *b)
{
    char err[1024];
    if (b->report_unused && !b->known_path) {
        cli_error("--report-unused needs --baseline");
        return -1;
    }
    if (b->known_path) {
        if (ward_baseline_new(&b->known)) {
            cli_error("out of memory");
            return -1;
        }
        ward_status st = ward_baseline_load(b->known, b->known_path, err, sizeof err);
        if (st) {
            cli_error("%s", err);
            return -1;
        }
    }
    if (b->write_path && ward_baseline_new(&b->record)) {
        cli_error("out of memory");
        return -1;
    }
    return 0;
}

int cli_baseline_known(cli_baseline *b, const ward_finding *f)
{
    if (b->record && !b->failed && ward_baseline_add(b->record, f) != WARD_OK)
        b->failed = 1;
    return b->known && ward_baseline_match(b->known, f);
}

int cli_baseline_finish(cli_baseline *b, int write)
{
    int rc = 0;
    char err[1024];
    if (b->record && write) {
        if (b->failed) {
            cli_error("cannot write '%s': too many findings for a baseline", b->write_path);
            rc = -1;
        } else if (ward_baseline_write(b->record, b->write_path, err, sizeof err)) {
            cli_error("%s", err);
            rc = -1;
        }
    }
    if (b->known && b->report_unused) {
        ward_baseline_entry en;
        for (size_t i = 0; ward_baseline_get(b->known, i, &en) == WARD_OK; i++)
            if (!en.used)
                cli_error("unused baseline entry: %s %s %s", en.rule_id, en.fingerprint,
                          en.path);
    }
    ward_baseline_free(b->known);
    ward_baseline_free(b->record);
    b->known = b->record = NULL;
    return rc;
}

int cli_run_option(cli_run *r, int key, const char *arg)
{
    switch (key) {
    case OPT_FORMAT:
        if (!strcmp(arg, "text")) r->fmt = FMT_TEXT;
        else if (!strcmp(arg, "json")) r->fmt = FMT_JSON;
        else if (!strcmp(arg, "sarif")) r->fmt = FMT_SARIF;
        else {
            cli_error("unknown format '%s' (text, json or sarif)", arg);
            return -1;
        }
        return 1;
    case OPT_SHOW: r->show = 1; return 1;
    case OPT_CONFIG: r->config = arg; return 1;
    case OPT_NOCONFIG: r->no_config = 1; return 1;
    case OPT_NODEFAULT: r->eo.no_default_rules = 1; return 1;
    case OPT_MINCONF:
        if (!strcmp(arg, "low")) r->min_conf = WARD_CONF_LOW;
        else if (!strcmp(arg, "medium")) r->min_conf = WARD_CONF_MEDIUM;
        else if (!strcmp(arg, "high")) r->min_conf = WARD_CONF_HIGH;
        else {
            cli_error("unknown confidence '%s' (low, medium or high)", arg);
            return -1;
        }
        return 1;
    case OPT_THREADS: {
        char *end;
        long n = strtol(arg, &end, 10);
        if (*end || n < 1 || n > 64) {
            cli_error("bad thread count '%s' (1 to 64)", arg);
            return -1;
        }
        r->threads = (unsigned)n;
        return 1;
    }
    case OPT_BINARY: r->binary = 1; return 1;
    case OPT_MAXSIZE:
        if (parse_size(arg, &r->max_size)) {
            cli_error("bad size '%s' (a number of bytes, with K, M or G)", arg);
            return -1;
        }
        return 1;
    case OPT_ALLOWERR: r->allow_errors = 1; return 1;
    case OPT_DECODE:
        if (strlen(arg) != 1 || arg[0] < '0' || arg[0] > '0' + WARD_MAX_DECODE_DEPTH) {
            cli_error("bad --decode-depth '%s' (0 to %d)", arg, WARD_MAX_DECODE_DEPTH);
            return -1;
        }
        r->eo.decode_depth = arg[0] == '0' ? -1 : arg[0] - '0';
        return 1;
    case OPT_COLOR:
        if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never")) {
            cli_error("bad --color '%s' (auto, always or never)", arg);
            return -1;
        }
        r->color = arg;
        return 1;
    case OPT_QUIET: r->quiet = 1; return 1;
    case OPT_VERBOSE: r->verbose = 1; return 1;
    case OPT_BASELINE: r->base.known_path = arg; return 1;
    case OPT_BASELINE_WRITE: r->base.write_path = arg; return 1;
    case OPT_UNUSED: r->base.report_unused = 1; return 1;
    }
    return 0;
}

/* .ward.toml, else .gitleaks.toml, in dir.  0 when found (path in out). */
static int config_in(const char *dir, char *out, size_t cap)
{
    static const char *const names[] = {".ward.toml", ".gitleaks.toml"};
    for (int i = 0; i < 2; i++) {
        char probe[PATH_MAX + 32];
        struct stat sb;
        snprintf(probe, sizeof probe, "%s/%s", strcmp(dir, "/") ? dir : "", names[i]);
        if (stat(probe, &sb) == 0 && S_ISREG(sb.st_mode) &&
            (size_t)snprintf(out, cap, "%s", probe) < cap)
            return 0;
    }
    return -1;
}

/* The config of the work tree holding start (searched upwards for the
 * folder with .git when search is set); outside any work tree, the one in
 * start itself. */
static int find_config(const char *start, int search, char *out, size_t cap)
{
    char dir[PATH_MAX], first[PATH_MAX];
    if (!realpath(start, dir))
        return -1;
    memcpy(first, dir, sizeof first);
    for (;;) {
        char probe[PATH_MAX + 32];
        struct stat sb;
        snprintf(probe, sizeof probe, "%s/.git", dir);
        if (stat(probe, &sb) == 0 || !search)
            return config_in(dir, out, cap);
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            return config_in(first, out, cap);
        *slash = '\0';
    }
}

int cli_run_begin(cli_run *r, const char *config_start, int search, ward_engine **e)
{
    char found[PATH_MAX + 32];
    *e = NULL;
    if (!r->config && !r->no_config &&
        find_config(config_start ? config_start : ".", search, found, sizeof found) == 0)
        r->config = found;
    if (r->eo.no_default_rules && !r->config) {
        cli_error("--no-default-rules needs --config");
        return -1;
    }
    if (cli_baseline_start(&r->base) < 0) {
        cli_baseline_finish(&r->base, 0);
        return -1;
    }
    r->eo.size = sizeof r->eo;
    r->eo.config_path = r->config;
    char err[1024];
    ward_status st = ward_engine_new(&r->eo, e, err, sizeof err);
    r->config = NULL; /* it may point at found[], which is going away */
    if (st) {
        cli_error("%s", *err ? err : ward_strerror(st));
        cli_baseline_finish(&r->base, 0);
        return -1;
    }
    for (size_t i = 0; r->verbose && ward_engine_warning(*e, i); i++)
        cli_error("warning: %s", ward_engine_warning(*e, i));
    if (reporter_init(&r->rep, stdout, r->fmt, r->show,
                      r->fmt == FMT_TEXT && cli_want_color(r->color ? r->color : "auto"), *e)) {
        cli_error("out of memory");
        cli_baseline_finish(&r->base, 0);
        ward_engine_free(*e);
        *e = NULL;
        return -1;
    }
    r->progress_tty = r->progress_noun && cli_isatty(2) && !r->quiet;
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    return 0;
}

static double elapsed(const cli_run *r)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - r->start.tv_sec) + (double)(t.tv_nsec - r->start.tv_nsec) / 1e9;
}

static void clear_progress(cli_run *r)
{
    if (r->progress_shown) {
        fputs("\r\033[K", stderr);
        r->progress_shown = 0;
    }
}

int cli_run_finding(cli_run *r, const ward_finding *f, const ward_commit *cm)
{
    if ((int)f->confidence < r->min_conf || cli_baseline_known(&r->base, f))
        return 0;
    r->findings++;
    if (r->quiet)
        return 0;
    clear_progress(r);
    if (reporter_finding_git(&r->rep, f, cm) < 0) {
        r->broken_pipe = 1;
        return 1;
    }
    return 0;
}

void cli_run_event(cli_run *r, const ward_event *ev)
{
    if (ev->kind == WARD_EV_ERROR)
        r->errors++;
    if (ev->kind == WARD_EV_SKIPPED && ev->skip <= WARD_SKIP_ABSENT)
        r->skipped[ev->skip]++;
    if (ev->kind == WARD_EV_SKIPPED && !r->verbose)
        return;
    clear_progress(r);
    if (ev->kind == WARD_EV_NOTE)
        cli_error("note: %s: %s", ev->what, ev->message);
    else
        cli_error("%s '%s': %s", ev->what, ev->path, ev->message);
}

void cli_run_progress(cli_run *r, const ward_progress *p)
{
    if (!r->progress_tty)
        return;
    if (p->done) {
        clear_progress(r);
        return;
    }
    /* Quick scans show none.  WARD_PROGRESS_DELAY_MS changes the wait (the
     * tests set 0 so a short history shows it too). */
    static double delay = -1;
    if (delay < 0) {
        const char *d = getenv("WARD_PROGRESS_DELAY_MS");
        delay = d && *d >= '0' && *d <= '9' ? atof(d) / 1000 : 0.25;
    }
    if (elapsed(r) < delay)
        return;
    fprintf(stderr, "\r\033[K%s: %llu %s, %.1f MB, %llu findings",
            r->progress_verb ? r->progress_verb : "scanning", (unsigned long long)p->files,
            r->progress_noun, (double)p->bytes / 1e6, (unsigned long long)p->findings);
    fflush(stderr);
    r->progress_shown = 1;
}

/* Nothing is passed over in silence: without -v, one line says what was
 * skipped and how to see it ("2 files skipped: 1 binary, 1 over
 * --max-file-size; -v lists them").  A partial clone's absent objects have
 * a note of their own. */
static void skip_summary(const cli_run *r)
{
    static const char *const why[] = {"other", "binary", "over --max-file-size"};
    unsigned long long n = r->skipped[WARD_SKIP_OTHER] + r->skipped[WARD_SKIP_BINARY] +
                           r->skipped[WARD_SKIP_SIZE];
    if (!n || r->verbose || r->quiet)
        return;
    const char *noun = r->progress_noun ? r->progress_noun : "files";
    char line[256];
    int len = snprintf(line, sizeof line, "%llu %.*s skipped:", n,
                       (int)strlen(noun) - (n == 1), noun);
    const char *sep = " ";
    for (int k = WARD_SKIP_BINARY; k <= WARD_SKIP_SIZE + 1; k++) {
        int kind = k <= WARD_SKIP_SIZE ? k : WARD_SKIP_OTHER; /* "other" last */
        if (r->skipped[kind] && len > 0 && (size_t)len < sizeof line) {
            len += snprintf(line + len, sizeof line - (size_t)len, "%s%llu %s", sep,
                            r->skipped[kind], why[kind]);
            sep = ", ";
        }
    }
    cli_error("%s; -v lists them", line);
}

int cli_run_end(cli_run *r, ward_engine *e, ward_status st, const char *err, const char *what)
{
    clear_progress(r);
    skip_summary(r);
    if (r->broken_pipe || reporter_finish(&r->rep) != 0) {
        /* The output failed: main() reports it, or stays quiet when the
         * reader went away, as `head` users expect. */
        cli_baseline_finish(&r->base, 0);
        ward_engine_free(e);
        return r->findings ? EXIT_FOUND : EXIT_CLEAN;
    }
    int rc = r->findings ? EXIT_FOUND : EXIT_CLEAN;
    if (st == WARD_EPARTIAL) {
        if (!r->allow_errors)
            rc = EXIT_ERROR;
    } else if (st != WARD_OK) {
        if (err && *err)
            cli_error("%s", err);
        else
            cli_error("%s failed: %s", what, ward_strerror(st));
        rc = EXIT_ERROR;
    }
    int full = st == WARD_OK || st == WARD_EPARTIAL;
    if (cli_baseline_finish(&r->base, full) < 0)
        rc = EXIT_ERROR;
    else if (r->base.write_path && full && rc == EXIT_FOUND)
        rc = EXIT_CLEAN; /* the findings are now the baseline */
    if (r->progress_noun && cli_isatty(2) && !r->quiet && !getenv("WARD_FORCE_TTY"))
        fprintf(stderr, "ward: %llu finding%s (%.2f s)\n", r->findings,
                r->findings == 1 ? "" : "s", elapsed(r));
    ward_engine_free(e);
    return rc;
}
