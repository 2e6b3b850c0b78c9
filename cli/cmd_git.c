/* cmd_git.c - `ward git` (a repository's whole history) and `ward staged`
 * (what is about to be committed).
 *
 * Both hand the work to the library (ward_scan_git, ward_scan_staged) and
 * print each finding with the scan reporters, which add the commit when
 * there is one.  Options, config, baselines, progress and the exit status
 * are shared with `ward scan` (run.c).
 */
#define _GNU_SOURCE
#include <string.h>

#include "cli.h"

enum { O_BRANCH = OPT_LOCAL, O_RANGE, O_SINCE };

const cli_opt git_opts[] = {
    {O_BRANCH, 0, "branch", "REV", "scan REV and its ancestors only (default: every ref and "
                                   "HEAD)"},
    {O_RANGE, 0, "range", "A..B", "scan the commits reachable from B but not from A"},
    {O_SINCE, 0, "since-commit", "SHA", "scan only commits that are not SHA or its "
                                        "ancestors"},
    {OPT_THREADS, 'j', "threads", "N", "worker threads (default: one per CPU)"},
    CLI_RUN_OPTS("blobs"),
    {0, 0, NULL, NULL, NULL},
};

const cli_opt staged_opts[] = {
    CLI_RUN_OPTS("files"),
    {0, 0, NULL, NULL, NULL},
};

static int on_finding(const ward_finding *f, const ward_commit *cm, void *user)
{
    return cli_run_finding(user, f, cm);
}

static void on_event(const ward_event *ev, void *user)
{
    cli_run_event(user, ev);
}

static void on_progress(const ward_progress *p, void *user)
{
    cli_run_progress(user, p);
}

static int run(int argc, char **argv, int staged)
{
    const cli_cmd *self = cli_find(staged ? "staged" : "git");
    cli_parse ps;
    cli_parse_init(&ps, self, argc, argv);
    cli_run r = {0};
    ward_git_options go = {0};
    int opt;
    while ((opt = cli_next(&ps)) != -1) {
        int taken = cli_run_option(&r, opt, ps.optarg);
        if (taken < 0)
            return EXIT_ERROR;
        if (taken)
            continue;
        switch (opt) {
        case 'h': cli_print_help(stdout, self); return EXIT_CLEAN;
        case O_BRANCH: go.branch = ps.optarg; break;
        case O_RANGE: go.range = ps.optarg; break;
        case O_SINCE: go.since_commit = ps.optarg; break;
        default: return EXIT_ERROR;
        }
    }
    if (ps.n_operands > (staged ? 0 : 1)) {
        cli_error("too many arguments (see 'ward %s --help')", self->name);
        return EXIT_ERROR;
    }
    if (go.range && (go.branch || go.since_commit)) {
        cli_error("--range cannot be combined with --branch or --since-commit");
        return EXIT_ERROR;
    }
    const char *repo = ps.n_operands ? ps.operands[0] : NULL;
    if (!staged) {
        r.progress_verb = "history";
        r.progress_noun = "blobs";
    }
    ward_engine *e;
    if (cli_run_begin(&r, repo ? repo : ".", !repo, &e))
        return EXIT_ERROR;
    go.threads = r.threads;
    go.scan_binary = r.binary;
    go.max_file_size = r.max_size;
    ward_repo_info vcs = {0};
    if (r.fmt == FMT_SARIF && ward_repo_info_get(repo, &vcs) == WARD_OK)
        r.rep.vcs = &vcs;
    ward_git_callbacks cb = {.on_finding = on_finding, .on_event = on_event,
                             .on_progress = on_progress, .user = &r};
    char err[1024] = "";
    ward_status st = staged ? ward_scan_staged(e, repo, &go, &cb, err, sizeof err)
                            : ward_scan_git(e, repo, &go, &cb, err, sizeof err);
    int rc = cli_run_end(&r, e, st, err, staged ? "staged scan" : "history scan");
    ward_repo_info_free(&vcs);
    return rc;
}

int cmd_git(int argc, char **argv)
{
    return run(argc, argv, 0);
}

int cmd_staged(int argc, char **argv)
{
    return run(argc, argv, 1);
}
