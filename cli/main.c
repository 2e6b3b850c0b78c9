/* main.c - the `ward` program: a table of subcommands, each in its own file.
 *
 * Exit status: 0 nothing found, 1 findings, 2 error (an error beats
 * findings).  A broken pipe ends the program quietly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int cmd_help(const cli_cmd *self, int argc, char **argv);
static int cmd_version(const cli_cmd *self, int argc, char **argv);

static const cli_opt no_opts[] = {{0, 0, NULL, NULL, NULL}};

static const cli_cmd cli_commands[] = {
    {"scan", "[OPTIONS] [PATH...]", "scan files, folders or standard input for secrets",
     "Scans each PATH (a file, a folder, or - for standard input; the current folder when "
     "none is given) with every rule in one pass.  Folders are walked in sorted order; "
     ".gitignore is honoured inside a git repository; binary files, files over the size "
     "limit and symbolic links are passed over unless asked for.  Findings go to standard "
     "output, with the secret redacted unless --show-secrets is given; errors and progress "
     "go to standard error.  Exit status: 0 when nothing is found, 1 when something is, 2 "
     "on an error such as an unreadable file (an error beats findings).",
     scan_opts, cmd_scan},
    {"rules", "[OPTIONS] [RULE-ID...]", "list and explain the rule catalog",
     "Lists every loaded rule with its confidence and description, or explains the named "
     "rules: regex, keywords, entropy threshold, validator and example templates.",
     rules_opts, cmd_rules},
    {"redact", "[OPTIONS] [FILE...]", "copy input to output with every secret masked",
     "Copies each FILE (standard input when none is given, or -) to standard output with "
     "every detected secret masked; every other byte passes through unchanged, for text and "
     "binary input alike.  It streams with bounded memory, finds a secret split across any "
     "read boundary, and flushes promptly: complete lines at once, and on a pause all but a "
     "trailing run that could still be the start of a secret.  ANSI colour and cursor "
     "sequences are looked through and kept.  Exit status: 0, or 2 on an error.",
     redact_opts, cmd_redact},
    {"mask", "[OPTIONS] -- CMD [ARGS...]", "run a command with secrets masked on screen",
     "Runs CMD in a pseudo-terminal and masks secrets in everything it prints before it "
     "reaches the screen; keyboard input passes through.  Input that is not a terminal "
     "is passed on without echo, then end of file.  Window-size changes and termination "
     "signals are forwarded; if CMD has not ended a second later, or on a second signal, "
     "ward ends by that signal.  The terminal is restored on every way out, and the exit "
     "status is CMD's (128+N when a signal N ended it).  Works for interactive shells: "
     "ward mask -- bash.",
     redact_opts, cmd_mask},
    {"lsp", "[OPTIONS]", "run the language server (LSP over standard input and output)",
     "Speaks the Language Server Protocol over standard input and output, for editors: "
     "open documents are scanned as they change and each secret is reported as a "
     "diagnostic whose range is exactly the secret (the message names the kind, never the "
     "secret), with quick fixes (a ward:allow comment, the baseline, move to .env) and a "
     "ward.scanWorkspace command.  The workspace's .ward.toml (else .gitleaks.toml) is read "
     "at start and re-read when it changes.  See docs/lsp.md for the protocol and the "
     "masking contract.  Exit status: 0 after shutdown and exit or when the client goes "
     "away, 1 on exit without shutdown, 2 on an error.",
     lsp_opts, cmd_lsp},
    {"git", "[OPTIONS] [REPO...]", "scan git repositories' whole history",
     "Scans every commit reachable from any ref (or from --branch, or in --range, or after "
     "--since-commit) of the repository REPO (default: the one holding the current folder; "
     "bare repositories work).  Each distinct blob is read once from the object database and "
     "scanned once; a finding names the path and the commit that first introduced the blob "
     "there (sha, author, date), so a secret that was added and later deleted is still "
     "found.  Shallow clones are scanned from their boundary; missing or corrupt objects are "
     "reported and the scan goes on; submodules, binary and oversized blobs are passed over "
     "(noted under -v).  Several REPOs go into one report, each finding naming its "
     "repository.  With --datastore, a re-scan reads only the commits and blobs not scanned "
     "before and reports only new findings (see docs/datastore.md).  Exit status as for "
     "scan: 0 clean, 1 findings, 2 an error.",
     git_opts, cmd_git},
    {"staged", "[OPTIONS]", "scan what is staged for the next commit",
     "Scans the changes staged in the index of the repository holding the current folder, "
     "against HEAD (or against nothing before the first commit): only secrets on added or "
     "changed lines are reported; unstaged edits and history are not looked at, and a moved "
     "file reports only its edited lines.  Paths are relative to the repository root.  Made "
     "for a pre-commit hook (see 'ward hook install').  Exit status as for scan.",
     staged_opts, cmd_staged},
    {"hook", "install [--force]", "install a git pre-commit hook that runs ward staged",
     "Writes a pre-commit hook running 'ward staged' into the repository's hooks folder "
     "(core.hooksPath when set, else .git/hooks).  An existing hook is left alone unless "
     "--force is given.  For the pre-commit framework, use the hook 'ward' from ward's "
     ".pre-commit-hooks.yaml instead.",
     hook_opts, cmd_hook},
    {"report", "[OPTIONS] [--datastore FILE] [FILE.jsonl...]",
     "print findings from a datastore, or merge JSON Lines reports",
     "Prints the findings kept in a datastore (made by 'ward git --datastore'), without "
     "scanning, or merges the JSON Lines outputs of several 'ward git -f json' runs (one per "
     "repository, say, from GNU parallel) into one report: one finding per repository, rule, "
     "fingerprint and path, and one incident per fingerprint.  Secrets are always redacted: "
     "a datastore keeps none.  The HTML format is one self-contained page (no external "
     "scripts or fonts) with a sortable table of incidents, counts by rule and by "
     "repository, and a timeline.  Exit status: 0 nothing reported, 1 findings, 2 an error.",
     report_opts, cmd_report},
    {"version", "", "print the version", "Prints ward's version and its matcher's.", no_opts,
     cmd_version},
    {"help", "[COMMAND]", "show help for ward or a command",
     "Shows the list of commands, or a command's options.", no_opts, cmd_help},
};
static const size_t cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

static void usage(FILE *out)
{
    fprintf(out, "usage: ward COMMAND [OPTIONS] [ARGS...]\n\n"
                 "ward finds secrets (API keys, tokens, private keys, passwords) locally.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < cli_n_commands; i++)
        fprintf(out, "  %-9s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(out, "\nRun 'ward help COMMAND' or 'ward COMMAND --help' for its options.\n");
}

/* The command of that name, or NULL. */
static const cli_cmd *cli_find(const char *name)
{
    for (size_t i = 0; i < cli_n_commands; i++)
        if (!strcmp(cli_commands[i].name, name))
            return &cli_commands[i];
    return NULL;
}

static int cmd_help(const cli_cmd *self, int argc, char **argv)
{
    (void)self;
    if (argc < 2) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    const cli_cmd *c = cli_find(argv[1]);
    if (!c) {
        cli_error("unknown command '%s'", argv[1]);
        return EXIT_ERROR;
    }
    cli_print_help(stdout, c);
    return EXIT_CLEAN;
}

static int cmd_version(const cli_cmd *self, int argc, char **argv)
{
    (void)self;
    (void)argc;
    (void)argv;
    printf("ward %s\n", WARD_VERSION);
    return EXIT_CLEAN;
}

static int out_errno;

void cli_out_error(int err)
{
    if (!out_errno)
        out_errno = err ? err : EIO;
}

/* Flushes standard output and turns a write error into the exit status. */
static int finish(int rc)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout))
        cli_out_error(errno);
    if (!out_errno || out_errno == EPIPE)
        return rc;
    cli_error("cannot write to standard output: %s", strerror(out_errno));
    return EXIT_ERROR;
}

int main(int argc, char **argv)
{
    /* Writes to a closed pipe fail with EPIPE instead of killing us, so the
     * reporter can stop the scan and exit quietly. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return EXIT_ERROR;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h"))
        return finish(cmd_help(NULL, 1, argv));
    if (!strcmp(name, "--version") || !strcmp(name, "-V"))
        return finish(cmd_version(NULL, 1, argv));
    if (!strcmp(name, "--man")) {
        cli_print_man(stdout, cli_commands, cli_n_commands);
        return finish(EXIT_CLEAN);
    }
    const cli_cmd *c = cli_find(name);
    if (!c) {
        cli_error("unknown command '%s' (see 'ward --help')", name);
        return EXIT_ERROR;
    }
    return finish(c->run(c, argc - 1, argv + 1));
}
