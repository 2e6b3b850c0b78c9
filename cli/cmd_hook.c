/* cmd_hook.c - `ward hook install`: a pre-commit hook that runs
 * `ward staged`.
 *
 * The hooks folder is core.hooksPath when set (relative to the working
 * tree, as git takes it), else .git/hooks.  An existing hook is never
 * overwritten without --force; the file is created with O_EXCL so that two
 * installs cannot race into a half-written hook.  libward finds the
 * folder (ward_repo_hooks_dir), so the CLI needs nothing but ward.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
    char *dir = NULL, *wd = NULL, err[1024];
    int rc = EXIT_ERROR;
    char file[PATH_MAX + 16];
    if (ward_repo_hooks_dir(NULL, &dir, &wd, err, sizeof err)) {
        cli_error("%s", err);
        goto out;
    }
    if (strlen(dir) >= PATH_MAX) {
        cli_error("cannot open hooks folder: path too long");
        goto out;
    }
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        cli_error("cannot create '%s': %s", dir, strerror(errno));
        goto out;
    }
    snprintf(file, sizeof file, "%s/pre-commit", dir);
    /* Relative to the working tree when inside it, so messages are short. */
    const char *shown = wd && !strncmp(file, wd, strlen(wd)) ? file + strlen(wd) : file;
    int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0755);
    if (fd < 0 && errno == EEXIST) {
        if (!force) {
            cli_error("'%s' already exists (use --force to replace it)", shown);
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
    printf("installed %s\n", shown);
    rc = EXIT_CLEAN;
out:
    free(dir);
    free(wd);
    return rc;
}
