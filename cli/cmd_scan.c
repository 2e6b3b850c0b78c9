/* cmd_scan.c - `ward scan`: files, folders and standard input.
 *
 * Scans with the library's worker pool and prints each finding as the
 * library delivers it, in walk order.  Everything it shares with `ward git`
 * (options, config, baselines, progress, exit status) is in run.c.
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

enum { O_FOLLOW = OPT_LOCAL, O_NOIGNORE };

const cli_opt scan_opts[] = {
    {OPT_THREADS, 'j', "threads", "N", "worker threads (default: one per CPU)"},
    {O_FOLLOW, 0, "follow", NULL, "follow symbolic links (loops are detected)"},
    {O_NOIGNORE, 0, "no-ignore", NULL, "scan files that .gitignore excludes"},
    CLI_RUN_OPTS("files"),
    {0, 0, NULL, NULL, NULL},
};

static int on_finding(const ward_finding *f, void *user)
{
    return cli_run_finding(user, f, NULL);
}

static void on_event(const ward_event *ev, void *user)
{
    cli_run_event(user, ev);
}

static void on_progress(const ward_progress *p, void *user)
{
    cli_run_progress(user, p);
}

/* The folder from which to look for the repository's config: the first
 * path's folder, or the current one. */
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

int cmd_scan(const cli_cmd *self, int argc, char **argv)
{
    cli_parse ps;
    cli_parse_init(&ps, self, argc, argv);
    cli_run r = {0};
    ward_walk_options wo = WARD_INIT(ward_walk_options);
    int opt;
    while ((opt = cli_next(&ps)) != -1) {
        int taken = cli_run_option(&r, opt, ps.optarg);
        if (taken < 0)
            return EXIT_ERROR;
        if (taken)
            continue;
        switch (opt) {
        case 'h': cli_print_help(stdout, self); return EXIT_CLEAN;
        case O_FOLLOW: wo.follow_symlinks = 1; break;
        case O_NOIGNORE: wo.no_ignore = 1; break;
        default: return EXIT_ERROR;
        }
    }
    char start[PATH_MAX];
    config_start(ps.n_operands ? ps.operands[0] : NULL, start, sizeof start);
    r.progress_noun = "files";
    ward_engine *e;
    if (cli_run_begin(&r, start, 1, &e))
        return EXIT_ERROR;
    wo.threads = r.threads;
    wo.scan_binary = r.binary;
    wo.max_file_size = r.max_size;
    /* SARIF run at the root of a work tree names the repository, as ward
     * git does: its relative paths are then relative to that root */
    ward_repo_info vcs = {0};
    char cwd[PATH_MAX];
    if (r.fmt == FMT_SARIF && getcwd(cwd, sizeof cwd) && ward_repo_info_get(NULL, &vcs) == WARD_OK &&
        vcs.workdir && !strcmp(vcs.workdir, cwd))
        r.rep.vcs = &vcs;
    ward_callbacks cb = {on_finding, on_event, on_progress, &r};
    ward_status st =
        ward_scan_paths(e, (const char *const *)ps.operands, (size_t)ps.n_operands, &wo, &cb);
    int rc = cli_run_end(&r, e, st, NULL, "scan");
    ward_repo_info_free(&vcs);
    return rc;
}
