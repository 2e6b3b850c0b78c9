/* cmd_scan.c - `ward scan`: files, folders and standard input.
 *
 * Loads the engine (the built-in catalog, plus .ward.toml found at the
 * repository root or --config), scans with the library's worker pool, and
 * prints each finding as the library delivers it, in walk order.  Progress
 * goes to stderr only when stderr is a terminal and the scan has run longer
 * than a moment; it is erased before anything else is printed there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

enum {
    O_FORMAT = 'f', O_CONFIG = 'c', O_THREADS = 'j', O_QUIET = 'q', O_VERBOSE = 'v',
    O_SHOW = 256, O_NOCONFIG, O_FOLLOW, O_NOIGNORE, O_BINARY, O_MAXSIZE, O_MINCONF, O_COLOR,
    O_ALLOWERR, O_NODEFAULT, O_BASELINE, O_BASELINE_WRITE, O_UNUSED
};

const cli_opt scan_opts[] = {
    {O_FORMAT, 'f', "format", "FORMAT", "output format: text (default), json (JSON Lines, one "
                                        "finding per line) or sarif (SARIF 2.1.0)"},
    {O_SHOW, 0, "show-secrets", NULL, "print secrets in full instead of redacted"},
    {O_CONFIG, 'c', "config", "FILE", "rules and allowlists in the gitleaks TOML schema "
                                      "(default: .ward.toml, else .gitleaks.toml, at the "
                                      "repository root)"},
    {O_NOCONFIG, 0, "no-config", NULL, "do not look for .ward.toml or .gitleaks.toml"},
    {O_NODEFAULT, 0, "no-default-rules", NULL, "use only the rules of --config"},
    {O_MINCONF, 0, "min-confidence", "LEVEL", "report only findings of at least this "
                                              "confidence: low (default), medium or high"},
    {O_THREADS, 'j', "threads", "N", "worker threads (default: one per CPU)"},
    {O_FOLLOW, 0, "follow", NULL, "follow symbolic links (loops are detected)"},
    {O_NOIGNORE, 0, "no-ignore", NULL, "scan files that .gitignore excludes"},
    {O_BINARY, 0, "binary", NULL, "scan files that look binary (a NUL byte in the first 8 "
                                  "KiB)"},
    {O_MAXSIZE, 0, "max-file-size", "SIZE", "skip files larger than SIZE bytes; K, M and G "
                                            "suffixes allowed (default: 50M)"},
    {O_ALLOWERR, 0, "allow-errors", NULL, "unreadable files are reported but do not make "
                                          "the exit status 2"},
    {O_COLOR, 0, "color", "WHEN", "colour output: auto (default: when standard output is a "
                                  "terminal and NO_COLOR is unset), always or never"},
    {O_QUIET, 'q', "quiet", NULL, "print no findings; only the exit status tells"},
    {O_VERBOSE, 'v', "verbose", NULL, "also report skipped files and configuration warnings"},
    {O_BASELINE, 0, "baseline", "FILE", "report only findings not listed in FILE (made by "
                                        "--baseline-write)"},
    {O_BASELINE_WRITE, 0, "baseline-write", "FILE", "record every finding in FILE (rule, "
                                                    "fingerprint, path; sorted) and exit 0 "
                                                    "unless there was an error"},
    {O_UNUSED, 0, "report-unused", NULL, "list --baseline entries that matched nothing, on "
                                         "standard error"},
    {0, 0, NULL, NULL, NULL},
};

typedef struct scan_ctx {
    reporter rep;
    int quiet, verbose, min_conf;
    int progress_tty;
    int progress_shown;
    int broken_pipe;
    unsigned long long findings, errors;
    struct timespec start;
    cli_baseline base;
} scan_ctx;

static double elapsed(const scan_ctx *c)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - c->start.tv_sec) + (double)(t.tv_nsec - c->start.tv_nsec) / 1e9;
}

static void clear_progress(scan_ctx *c)
{
    if (c->progress_shown) {
        fputs("\r\033[K", stderr);
        c->progress_shown = 0;
    }
}

static int on_finding(const ward_finding *f, void *user)
{
    scan_ctx *c = user;
    if ((int)f->confidence < c->min_conf)
        return 0;
    if (cli_baseline_known(&c->base, f))
        return 0;
    c->findings++;
    if (c->quiet)
        return 0;
    clear_progress(c);
    if (reporter_finding(&c->rep, f) < 0) {
        c->broken_pipe = 1;
        return 1;
    }
    return 0;
}

static void on_event(const ward_event *ev, void *user)
{
    scan_ctx *c = user;
    if (ev->kind == WARD_EV_ERROR)
        c->errors++;
    else if (!c->verbose)
        return;
    clear_progress(c);
    cli_error("%s '%s': %s", ev->what, ev->path, ev->message);
}

static void on_progress(const ward_progress *p, void *user)
{
    scan_ctx *c = user;
    if (!c->progress_tty)
        return;
    if (p->done) {
        clear_progress(c);
        return;
    }
    if (elapsed(c) < 0.25)
        return;
    fprintf(stderr, "\r\033[Kscanning: %llu files, %.1f MB, %llu findings",
            (unsigned long long)p->files, (double)p->bytes / 1e6,
            (unsigned long long)p->findings);
    fflush(stderr);
    c->progress_shown = 1;
}

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

/* Finds the repository root above start (a folder) and its config file. */
static int find_config(const char *start, char *out, size_t cap)
{
    char dir[PATH_MAX];
    if (!realpath(start, dir))
        return -1;
    for (;;) {
        char probe[PATH_MAX + 32];
        struct stat sb;
        snprintf(probe, sizeof probe, "%s/.git", dir);
        if (stat(probe, &sb) == 0) {
            static const char *const names[] = {".ward.toml", ".gitleaks.toml"};
            for (int i = 0; i < 2; i++) {
                snprintf(probe, sizeof probe, "%s/%s", strcmp(dir, "/") ? dir : "", names[i]);
                if (stat(probe, &sb) == 0 && S_ISREG(sb.st_mode) &&
                    (size_t)snprintf(out, cap, "%s", probe) < cap)
                    return 0;
            }
            return -1;
        }
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            return -1;
        *slash = '\0';
    }
}

static void config_start(const char *path, char *out, size_t cap)
{
    struct stat sb;
    if (!path || !strcmp(path, "-") || stat(path, &sb) < 0) {
        snprintf(out, cap, ".");
    } else if (S_ISDIR(sb.st_mode)) {
        snprintf(out, cap, "%s", path);
    } else {
        const char *slash = strrchr(path, '/');
        if (slash)
            snprintf(out, cap, "%.*s", (int)(slash - path + (slash == path)), path);
        else
            snprintf(out, cap, ".");
    }
}

int cmd_scan(int argc, char **argv)
{
    const cli_cmd *self = cli_find("scan");
    cli_parse ps;
    cli_parse_init(&ps, self, argc, argv);
    scan_ctx c = {0};
    ward_walk_options wo = {0};
    ward_engine_options eo = {0};
    cli_format fmt = FMT_TEXT;
    const char *color = "auto", *config = NULL;
    int show = 0, no_config = 0, allow_errors = 0, opt;
    while ((opt = cli_next(&ps)) != -1) {
        switch (opt) {
        case 'h': cli_print_help(stdout, self); return EXIT_CLEAN;
        case O_FORMAT:
            if (!strcmp(ps.optarg, "text")) fmt = FMT_TEXT;
            else if (!strcmp(ps.optarg, "json")) fmt = FMT_JSON;
            else if (!strcmp(ps.optarg, "sarif")) fmt = FMT_SARIF;
            else {
                cli_error("unknown format '%s' (text, json or sarif)", ps.optarg);
                return EXIT_ERROR;
            }
            break;
        case O_SHOW: show = 1; break;
        case O_CONFIG: config = ps.optarg; break;
        case O_NOCONFIG: no_config = 1; break;
        case O_NODEFAULT: eo.no_default_rules = 1; break;
        case O_MINCONF:
            if (!strcmp(ps.optarg, "low")) c.min_conf = WARD_CONF_LOW;
            else if (!strcmp(ps.optarg, "medium")) c.min_conf = WARD_CONF_MEDIUM;
            else if (!strcmp(ps.optarg, "high")) c.min_conf = WARD_CONF_HIGH;
            else {
                cli_error("unknown confidence '%s' (low, medium or high)", ps.optarg);
                return EXIT_ERROR;
            }
            break;
        case O_THREADS: {
            char *end;
            long n = strtol(ps.optarg, &end, 10);
            if (*end || n < 1 || n > 256) {
                cli_error("bad thread count '%s' (1 to 256)", ps.optarg);
                return EXIT_ERROR;
            }
            wo.threads = (unsigned)n;
            break;
        }
        case O_FOLLOW: wo.follow_symlinks = 1; break;
        case O_NOIGNORE: wo.no_ignore = 1; break;
        case O_BINARY: wo.scan_binary = 1; break;
        case O_MAXSIZE:
            if (parse_size(ps.optarg, &wo.max_file_size)) {
                cli_error("bad size '%s' (a number of bytes, with K, M or G)", ps.optarg);
                return EXIT_ERROR;
            }
            break;
        case O_ALLOWERR: allow_errors = 1; break;
        case O_COLOR:
            if (strcmp(ps.optarg, "auto") && strcmp(ps.optarg, "always") &&
                strcmp(ps.optarg, "never")) {
                cli_error("bad --color '%s' (auto, always or never)", ps.optarg);
                return EXIT_ERROR;
            }
            color = ps.optarg;
            break;
        case O_QUIET: c.quiet = 1; break;
        case O_VERBOSE: c.verbose = 1; break;
        case O_BASELINE: c.base.known_path = ps.optarg; break;
        case O_BASELINE_WRITE: c.base.write_path = ps.optarg; break;
        case O_UNUSED: c.base.report_unused = 1; break;
        default: return EXIT_ERROR;
        }
    }
    char found[PATH_MAX + 32];
    if (!config && !no_config) {
        char start[PATH_MAX];
        config_start(ps.n_operands ? ps.operands[0] : NULL, start, sizeof start);
        if (find_config(start, found, sizeof found) == 0)
            config = found;
    }
    if (eo.no_default_rules && !config) {
        cli_error("--no-default-rules needs --config");
        return EXIT_ERROR;
    }
    if (cli_baseline_start(&c.base) < 0) {
        cli_baseline_finish(&c.base, 0);
        return EXIT_ERROR;
    }
    eo.config_path = config;
    ward_engine *e;
    char err[512];
    ward_status st = ward_engine_new(&eo, &e, err, sizeof err);
    if (st) {
        cli_error("%s", *err ? err : ward_strerror(st));
        cli_baseline_finish(&c.base, 0);
        return EXIT_ERROR;
    }
    for (size_t i = 0; c.verbose && ward_engine_warning(e, i); i++)
        cli_error("warning: %s", ward_engine_warning(e, i));
    if (reporter_init(&c.rep, stdout, fmt, show, fmt == FMT_TEXT && cli_want_color(color), e)) {
        cli_error("out of memory");
        cli_baseline_finish(&c.base, 0);
        ward_engine_free(e);
        return EXIT_ERROR;
    }
    c.progress_tty = cli_isatty(2) && !c.quiet;
    clock_gettime(CLOCK_MONOTONIC, &c.start);
    ward_callbacks cb = {on_finding, on_event, on_progress, &c};
    st = ward_scan_paths(e, (const char *const *)ps.operands, (size_t)ps.n_operands, &wo, &cb);
    clear_progress(&c);
    int out_ok = c.broken_pipe ? 0 : reporter_finish(&c.rep) == 0;
    if (c.broken_pipe || !out_ok) {
        /* The reader went away: stop quietly, as `head` users expect. */
        cli_baseline_finish(&c.base, 0);
        ward_engine_free(e);
        return c.findings ? EXIT_FOUND : EXIT_CLEAN;
    }
    int rc = c.findings ? EXIT_FOUND : EXIT_CLEAN;
    if (st == WARD_EPARTIAL) {
        if (!allow_errors)
            rc = EXIT_ERROR;
    } else if (st != WARD_OK) {
        cli_error("scan failed: %s", ward_strerror(st));
        rc = EXIT_ERROR;
    }
    int full = st == WARD_OK || st == WARD_EPARTIAL;
    if (cli_baseline_finish(&c.base, full) < 0)
        rc = EXIT_ERROR;
    else if (c.base.write_path && full && rc == EXIT_FOUND)
        rc = EXIT_CLEAN; /* the findings are now the baseline */
    if (cli_isatty(2) && !c.quiet && getenv("WARD_FORCE_TTY") == NULL)
        fprintf(stderr, "ward: %llu finding%s (%.2f s)\n", c.findings,
                c.findings == 1 ? "" : "s", elapsed(&c));
    ward_engine_free(e);
    return rc;
}
