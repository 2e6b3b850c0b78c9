/* cmd_git.c - `ward git` (the whole history of one or more repositories)
 * and `ward staged` (what is about to be committed).
 *
 * Both hand the work to the library (ward_scan_git, ward_scan_staged) and
 * print each finding with the scan reporters, which add the commit when
 * there is one.  Options, config, baselines, progress and the exit status
 * are shared with `ward scan` (run.c).  Several repositories go into one
 * report, each finding naming its repository.  With --datastore, findings
 * go to the store as they are found (every occurrence, so a killed scan
 * loses nothing it recorded) and what is new is printed from the store at
 * the end of each repository.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum { O_BRANCH = OPT_LOCAL, O_RANGE, O_SINCE, O_ALLOCC, O_STORE, O_ALL, O_NAME };

const cli_opt git_opts[] = {
    {O_BRANCH, 0, "branch", "REV", "scan REV and its ancestors only (default: every ref and "
                                   "HEAD)"},
    {O_RANGE, 0, "range", "A..B", "scan the commits reachable from B but not from A"},
    {O_SINCE, 0, "since-commit", "SHA", "scan only commits that are not SHA or its "
                                        "ancestors"},
    {O_ALLOCC, 0, "all-occurrences", NULL, "report every blob version that holds a secret, "
                                            "not one finding per secret and path"},
    {O_STORE, 0, "datastore", "FILE", "keep refs, blobs and findings in the SQLite FILE "
                                      "(created if absent): a re-scan reads only what is new "
                                      "and reports only new findings"},
    {O_ALL, 0, "all", NULL, "with --datastore: report every stored finding of the scanned "
                            "repositories, not only new ones"},
    {O_NAME, 0, "repo-name", "NAME", "the repository's name in findings and the datastore "
                                     "(default: REPO as given, else the work tree's folder "
                                     "name); one REPO only"},
    {OPT_THREADS, 'j', "threads", "N", "worker threads (default: one per CPU)"},
    CLI_RUN_OPTS("blobs"),
    {0, 0, NULL, NULL, NULL},
};

const cli_opt staged_opts[] = {
    CLI_RUN_OPTS("files"),
    {0, 0, NULL, NULL, NULL},
};

typedef struct git_ctx {
    cli_run r;
    ward_store_scan *sc;      /* --datastore: the scan of the current repository */
    const ward_engine *e;
} git_ctx;

static int on_finding(const ward_finding *f, const ward_commit *cm, void *user)
{
    git_ctx *g = user;
    if (g->sc)
        return ward_store_scan_finding(g->sc, f, cm) < 0;
    return cli_run_finding(&g->r, f, cm);
}

static void on_event(const ward_event *ev, void *user)
{
    cli_run_event(&((git_ctx *)user)->r, ev);
}

static void on_progress(const ward_progress *p, void *user)
{
    cli_run_progress(&((git_ctx *)user)->r, p);
}

static int blob_known(const unsigned char id[20], void *user)
{
    return ward_store_blob_known(((git_ctx *)user)->sc, id);
}

static void blob_scanned(const unsigned char id[20], void *user)
{
    ward_store_blob_scanned(((git_ctx *)user)->sc, id);
}

size_t cli_rule_index(const ward_engine *e, const char *id)
{
    size_t n = ward_engine_rule_count(e);
    for (size_t i = 0; i < n; i++) {
        ward_rule_info ri;
        if (ward_engine_rule(e, i, &ri) == WARD_OK && !strcmp(ri.id, id))
            return i;
    }
    return n;
}

static int stored_finding(const ward_store_finding *sf, void *user)
{
    git_ctx *g = user;
    ward_finding f = *sf->finding;
    f.rule_index = cli_rule_index(g->e, f.rule_id);
    return cli_run_finding(&g->r, &f, sf->commit);
}

/* A repository's name: REPO as given, without trailing slashes, "/.git" or
 * ".git";
 * for the current repository, its work tree's folder name. */
static char *repo_name(const char *repo)
{
    char buf[PATH_MAX];
    if (!repo) {
        ward_repo_info info = {0};
        const char *base = ".";
        if (ward_repo_info_get(NULL, &info) == WARD_OK && info.workdir)
            base = info.workdir;
        else if (getcwd(buf, sizeof buf))
            base = buf;
        const char *slash = strrchr(base, '/');
        char *name = strdup(slash && slash[1] ? slash + 1 : base);
        ward_repo_info_free(&info);
        return name;
    }
    size_t n = strlen(repo);
    while (n > 1 && repo[n - 1] == '/')
        n--;
    if (n > 5 && !strncmp(repo + n - 5, "/.git", 5))
        n -= 5;
    else if (n > 4 && !strncmp(repo + n - 4, ".git", 4))
        n -= 4; /* a bare repository, "org/x.git", is "org/x" */
    return strndup(repo, n);
}

/* One repository: scan (into the store, then print what is new). */
static ward_status scan_one(git_ctx *g, ward_store *store, const char *repo, const char *name,
                            ward_git_options go, int all, char *err, size_t errlen)
{
    ward_git_callbacks cb = {.on_finding = on_finding, .on_event = on_event,
                             .on_progress = on_progress, .user = g};
    g->r.rep.repository = name;
    if (!store)
        return ward_scan_git(g->e, repo, &go, &cb, err, errlen);
    ward_status st = ward_store_scan_begin(store, name, repo ? repo : ".", &g->sc, err, errlen);
    if (st)
        return st;
    go.hide = ward_store_scan_hide(g->sc, &go.n_hide);
    if (g->r.verbose)
        cli_error("datastore: '%s': %zu blobs and %zu ref tips known from earlier scans", name,
                  ward_store_scan_known(g->sc), go.n_hide);
    go.all_occurrences = 1; /* the store aggregates; each blob's findings land with it */
    cb.blob_known = blob_known;
    cb.blob_scanned = blob_scanned;
    st = ward_scan_git(g->e, repo, &go, &cb, err, errlen);
    char serr[512] = "";
    ward_status est = ward_store_scan_end(g->sc, st, serr, sizeof serr);
    if (est && !st) {
        snprintf(err, errlen, "%s", serr);
        st = est;
    }
    if (!est && !g->r.broken_pipe) {
        ward_status rs = ward_store_findings(store, g->sc, all, stored_finding, g, serr,
                                             sizeof serr);
        if (rs && rs != WARD_EABORT && !st) {
            snprintf(err, errlen, "%s", serr);
            st = rs;
        }
    }
    ward_store_scan_free(g->sc);
    g->sc = NULL;
    return st;
}

static int run(const cli_cmd *self, int argc, char **argv, int staged)
{
    cli_parse ps;
    cli_parse_init(&ps, self, argc, argv);
    git_ctx g = {0};
    cli_run *r = &g.r;
    ward_git_options go = WARD_INIT(ward_git_options);
    const char *store_path = NULL, *name_opt = NULL;
    int all = 0;
    int opt;
    while ((opt = cli_next(&ps)) != -1) {
        int taken = cli_run_option(r, opt, ps.optarg);
        if (taken < 0)
            return EXIT_ERROR;
        if (taken)
            continue;
        switch (opt) {
        case 'h': cli_print_help(stdout, self); return EXIT_CLEAN;
        case O_BRANCH: go.branch = ps.optarg; break;
        case O_RANGE: go.range = ps.optarg; break;
        case O_SINCE: go.since_commit = ps.optarg; break;
        case O_ALLOCC: go.all_occurrences = 1; break;
        case O_STORE: store_path = ps.optarg; break;
        case O_ALL: all = 1; break;
        case O_NAME: name_opt = ps.optarg; break;
        default: return EXIT_ERROR;
        }
    }
    if (staged && ps.n_operands > 0) {
        cli_error("too many arguments (see 'ward %s --help')", self->name);
        return EXIT_ERROR;
    }
    if (go.range && (go.branch || go.since_commit)) {
        cli_error("--range cannot be combined with --branch or --since-commit");
        return EXIT_ERROR;
    }
    if (name_opt && ps.n_operands > 1) {
        cli_error("--repo-name names one repository; %d were given", ps.n_operands);
        return EXIT_ERROR;
    }
    if (store_path && (go.range || go.since_commit || go.all_occurrences || r->show)) {
        cli_error("--datastore cannot be combined with %s",
                  go.range ? "--range" : go.since_commit ? "--since-commit"
                  : go.all_occurrences ? "--all-occurrences"
                                       : "--show-secrets (the datastore keeps no secrets)");
        return EXIT_ERROR;
    }
    if (all && !store_path) {
        cli_error("--all needs --datastore");
        return EXIT_ERROR;
    }
    const char *repo = ps.n_operands ? ps.operands[0] : NULL;
    if (!staged) {
        r->progress_verb = "history";
        r->progress_noun = "blobs";
    }
    ward_engine *e;
    if (cli_run_begin(r, repo ? repo : ".", !repo, &e))
        return EXIT_ERROR;
    g.e = e;
    go.threads = r->threads;
    go.scan_binary = r->binary;
    go.max_file_size = r->max_size;
    ward_repo_info vcs = {0};
    if (r->fmt == FMT_SARIF && ps.n_operands <= 1 && ward_repo_info_get(repo, &vcs) == WARD_OK)
        r->rep.vcs = &vcs;
    if (store_path)
        r->rep.redacted_input = 1; /* findings are printed from the store */
    char err[1024] = "";
    ward_status st = WARD_OK;
    if (staged) {
        ward_git_callbacks cb = {.on_finding = on_finding, .on_event = on_event,
                                 .on_progress = on_progress, .user = &g};
        st = ward_scan_staged(e, repo, &go, &cb, err, sizeof err);
        int rc = cli_run_end(r, e, st, err, "staged scan");
        ward_repo_info_free(&vcs);
        return rc;
    }
    ward_store *store = NULL;
    if (store_path) {
        st = ward_store_open(store_path, 1, &store, err, sizeof err);
        if (st) {
            int rc = cli_run_end(r, e, st, err, "datastore");
            ward_repo_info_free(&vcs);
            return rc;
        }
    }
    /* Each repository in turn; one that fails is reported and the others
     * are still scanned (the exit status says there was an error). */
    int n = ps.n_operands ? ps.n_operands : 1, failed = 0;
    r->rep.text_repository = n > 1;
    for (int i = 0; i < n && !r->broken_pipe; i++) {
        const char *rp = ps.n_operands ? ps.operands[i] : NULL;
        char *name = name_opt ? strdup(name_opt) : rp || store ? repo_name(rp) : NULL;
        ward_status one = scan_one(&g, store, rp, name, go, all, err, sizeof err);
        free(name);
        g.r.rep.repository = NULL;
        if (n == 1) {
            st = one;
        } else if (one == WARD_EPARTIAL) {
            if (st == WARD_OK)
                st = one;
        } else if (one && one != WARD_EABORT) {
            cli_error("%s", *err ? err : ward_strerror(one));
            failed = 1;
        }
        *err = n == 1 ? *err : '\0';
    }
    int rc = cli_run_end(r, e, st, err, "history scan");
    ward_store_free(store);
    ward_repo_info_free(&vcs);
    return failed ? EXIT_ERROR : rc;
}

int cmd_git(const cli_cmd *self, int argc, char **argv)
{
    /* A history's blobs come and go by the hundred thousand, from several
     * threads.  glibc raises its mmap threshold to the largest block freed
     * (up to 32 MiB), after which big blobs come from the arenas and leave
     * them fragmented; and it keeps up to twice that free before trimming.
     * Fixed thresholds keep peak memory near what is live (git/git: 176
     * MiB of anonymous memory at peak before, 136 MiB after). */
    mallopt(M_MMAP_THRESHOLD, 256 << 10);
    mallopt(M_TRIM_THRESHOLD, 1 << 20);
    return run(self, argc, argv, 0);
}

int cmd_staged(const cli_cmd *self, int argc, char **argv)
{
    return run(self, argc, argv, 1);
}
