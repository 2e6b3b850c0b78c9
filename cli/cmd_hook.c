/* cmd_hook.c - `ward hook install`: a pre-commit hook that runs
 * `ward staged`.
 *
 * The hooks folder is core.hooksPath when set (relative to the working
 * tree, as git takes it), else .git/hooks.  An existing hook is never
 * overwritten without --force; the file is created with O_EXCL so that two
 * installs cannot race into a half-written hook.  This command needs
 * libgit2 only to find the repository, so it includes git2.h itself: the
 * CLI otherwise sticks to ward.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum { O_FORCE = 256 };

const cli_opt hook_opts[] = {
    {O_FORCE, 0, "force", NULL, "replace an existing pre-commit hook"},
    {0, 0, NULL, NULL, NULL},
};

static const char hook_text[] =
    "#!/bin/sh\n"
    "# pre-commit hook installed by 'ward hook install': refuses a commit whose\n"
    "# staged changes add a secret.  Skip it once with 'git commit --no-verify'.\n"
    "exec ward staged\n";

static int hooks_dir(git_repository *repo, char *out, size_t cap)
{
    git_config *cfg = NULL;
    git_buf val = {0};
    int have = 0;
    if (git_repository_config(&cfg, repo) == 0 &&
        git_config_get_string_buf(&val, cfg, "core.hooksPath") == 0 && val.size)
        have = 1;
    int rc = 0;
    if (have) {
        const char *v = val.ptr;
        const char *base = git_repository_workdir(repo);
        if (!base)
            base = git_repository_path(repo);
        if (v[0] == '~' && v[1] == '/' && getenv("HOME"))
            rc = snprintf(out, cap, "%s/%s", getenv("HOME"), v + 2) >= (int)cap;
        else if (v[0] == '/')
            rc = snprintf(out, cap, "%s", v) >= (int)cap;
        else
            rc = snprintf(out, cap, "%s%s", base, v) >= (int)cap;
    } else {
        rc = snprintf(out, cap, "%shooks", git_repository_path(repo)) >= (int)cap;
    }
    git_buf_dispose(&val);
    git_config_free(cfg);
    return rc ? -1 : 0;
}

int cmd_hook(const cli_cmd *self, int argc, char **argv)
{
    cli_parse ps;
    cli_parse_init(&ps, self, argc, argv);
    int force = 0, opt;
    while ((opt = cli_next(&ps)) != -1) {
        switch (opt) {
        case 'h': cli_print_help(stdout, self); return EXIT_CLEAN;
        case O_FORCE: force = 1; break;
        default: return EXIT_ERROR;
        }
    }
    if (ps.n_operands != 1 || strcmp(ps.operands[0], "install")) {
        cli_error("usage: ward hook install [--force]");
        return EXIT_ERROR;
    }
    git_libgit2_init();
    git_repository *repo = NULL;
    int rc = EXIT_ERROR;
    char dir[PATH_MAX], file[PATH_MAX + 16];
    if (git_repository_open_ext(&repo, ".", 0, NULL) < 0) {
        cli_error("'.' is not in a git repository");
        goto out;
    }
    if (hooks_dir(repo, dir, sizeof dir) < 0) {
        cli_error("cannot open hooks folder: path too long");
        goto out;
    }
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dir[--dl] = '\0';
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        cli_error("cannot create '%s': %s", dir, strerror(errno));
        goto out;
    }
    snprintf(file, sizeof file, "%s/pre-commit", dir);
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0755);
    if (fd < 0 && errno == EEXIST) {
        if (!force) {
            const char *wd = git_repository_workdir(repo);
            cli_error("'%s' already exists (use --force to replace it)",
                      wd && !strncmp(file, wd, strlen(wd)) ? file + strlen(wd) : file);
            goto out;
        }
        fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    }
    if (fd < 0) {
        cli_error("cannot write '%s': %s", file, strerror(errno));
        goto out;
    }
    size_t len = sizeof hook_text - 1;
    int bad = write(fd, hook_text, len) != (ssize_t)len;
    bad |= fchmod(fd, 0755) < 0;
    if (close(fd) < 0 || bad) {
        cli_error("cannot write '%s': %s", file, strerror(errno));
        goto out;
    }
    /* Relative to the working tree when inside it, so the message is short. */
    const char *wd = git_repository_workdir(repo), *shown = file;
    if (wd && !strncmp(file, wd, strlen(wd)))
        shown = file + strlen(wd);
    printf("installed %s\n", shown);
    rc = EXIT_CLEAN;
out:
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}
