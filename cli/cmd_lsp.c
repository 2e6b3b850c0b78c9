/* cmd_lsp.c - `ward lsp`: the language server on standard input and output.
 *
 * Parses the options and hands over to the language server library
 * (lsp_serve in lsp/lsp.h), which ends on `exit` (status 0 after shutdown,
 * 1 without, as the spec says), or with status 0 when the client goes away.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lsp.h"

enum { O_CONFIG = 'c', O_THREADS = 'j', O_NOCONFIG = 256, O_STDIO };

const cli_opt lsp_opts[] = {
    {O_CONFIG, 'c', "config", "FILE", "rules and allowlists to use instead of the workspace's "
                                      ".ward.toml or .gitleaks.toml"},
    {O_NOCONFIG, 0, "no-config", NULL, "do not look for .ward.toml or .gitleaks.toml"},
    {O_THREADS, 'j', "threads", "N", "worker threads for a workspace scan (default: one per CPU)"},
    {O_STDIO, 0, "stdio", NULL, "talk over standard input and output (the default and only "
                                "transport; accepted for clients that pass it)"},
    {0, 0, NULL, NULL, NULL},
};

int cmd_lsp(const cli_cmd *self, int argc, char **argv)
{
    cli_parse ps;
    cli_parse_init(&ps, self, argc, argv);
    lsp_options o = {0};
    int opt;
    while ((opt = cli_next(&ps)) != -1) {
        switch (opt) {
        case 'h': cli_print_help(stdout, self); return EXIT_CLEAN;
        case O_CONFIG: o.config_path = ps.optarg; break;
        case O_NOCONFIG: o.no_config = 1; break;
        case O_STDIO: break;
        case O_THREADS: {
            char *end;
            long n = strtol(ps.optarg, &end, 10);
            if (*end || n < 1 || n > 1024) {
                cli_error("invalid thread count '%s'", ps.optarg);
                return EXIT_ERROR;
            }
            o.threads = (unsigned)n;
            break;
        }
        default: return EXIT_ERROR;
        }
    }
    if (ps.n_operands) {
        cli_error("unexpected argument '%s' (see 'ward lsp --help')", ps.operands[0]);
        return EXIT_ERROR;
    }
    char err[512] = "";
    int rc = lsp_serve(&o, 0, 1, err, sizeof err);
    if (rc < 0) {
        cli_error("%s", err);
        return EXIT_ERROR;
    }
    return rc;
}
