/* cli.h - shared pieces of the `ward` program: the subcommand table, the
 * option parser driven by one table per command (which also generates --help
 * and the man page), and the finding reporters. */
#ifndef WARD_CLI_H
#define WARD_CLI_H

#include <stdio.h>
#include <time.h>
#include <ward.h>

#define EXIT_CLEAN 0
#define EXIT_FOUND 1
#define EXIT_ERROR 2

/* One option of a command.  `arg` names its value ("FILE"), or is NULL for a
 * flag.  The table is the single source of truth for parsing, --help and
 * ward(1). */
typedef struct cli_opt {
    int key;              /* returned by cli_next(); a short letter or >= 256 */
    char short_name;      /* 0 for long-only */
    const char *long_name;
    const char *arg;
    const char *help;
} cli_opt;

typedef struct cli_cmd cli_cmd;
struct cli_cmd {
    const char *name;
    const char *usage;    /* "[OPTIONS] [PATH...]" */
    const char *summary;  /* one line */
    const char *description; /* a paragraph for --help and the man page */
    const cli_opt *opts;  /* terminated by an entry with key 0 */
    /* self: this entry, for its options and help */
    int (*run)(const cli_cmd *self, int argc, char **argv);
};

/* Option parsing: call cli_next until it returns -1 (end of options) or '?'
 * (an error, already reported).  Operands are collected in order into
 * state->operands; "--" ends options. */
typedef struct cli_parse {
    const cli_cmd *cmd;
    int argc;
    char **argv;
    int i;
    const char *optarg;
    char **operands;
    int n_operands;
    const char *pending_short; /* rest of a -abc cluster */
} cli_parse;

void cli_parse_init(cli_parse *p, const cli_cmd *cmd, int argc, char **argv);
int cli_next(cli_parse *p);
void cli_print_help(FILE *out, const cli_cmd *cmd);
/* The man page of the n commands in cmds. */
void cli_print_man(FILE *out, const cli_cmd *cmds, size_t n);

/* Errors in the house style: "ward: cannot open 'x': reason". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Standard output.  A command that sees a write fail records the error
 * (the first one counts) and stops writing; main() flushes stdout after
 * every command, reports "cannot write to standard output" once and exits 2.
 * A closed pipe (EPIPE) stays quiet and keeps the command's status, as
 * `ward scan | head` users expect. */
void cli_out_error(int err);

/* Terminal facts, with WARD_FORCE_TTY=1 letting tests reach the TTY path. */
int cli_isatty(int fd);
int cli_want_color(const char *when); /* "auto", "always", "never" */

/* JSON string writer: escapes control characters and quotes, and writes
 * invalid UTF-8 bytes as U+FFFD so the output is always valid JSON. */
void json_str(FILE *out, const char *s, size_t len);

/* Reporters. */
typedef enum { FMT_TEXT, FMT_JSON, FMT_SARIF } cli_format;

typedef struct reporter {
    FILE *out;
    cli_format fmt;
    int show_secrets;
    int color;
    const ward_engine *engine;
    /* SARIF collects results and writes the document at the end. */
    char *sarif_buf;
    size_t sarif_len;
    FILE *sarif;
    unsigned long long count;
    unsigned char *rules_used; /* SARIF: which rules to describe */
    /* ward git and staged: the repository, for SARIF's
     * versionControlProvenance; result paths are then relative to it. */
    const ward_repo_info *vcs;
    /* ward git REPO... and ward report: the repository's name, or NULL
     * (JSON and SARIF carry it; text prefixes it when text_repository is
     * set, that is when findings of several repositories are mixed). */
    const char *repository;
    int text_repository;
    /* ward report: secrets arrive already redacted (a datastore keeps no
     * secret), so they are printed as they are. */
    int redacted_input;
} reporter;

int reporter_init(reporter *r, FILE *out, cli_format fmt, int show_secrets, int color,
                  const ward_engine *e);
/* Writes one finding; returns -1 when the output is gone (broken pipe). */
int reporter_finding(reporter *r, const ward_finding *f);
int reporter_finish(reporter *r);

int cmd_scan(const cli_cmd *self, int argc, char **argv);
int cmd_rules(const cli_cmd *self, int argc, char **argv);
int cmd_redact(const cli_cmd *self, int argc, char **argv);
int cmd_mask(const cli_cmd *self, int argc, char **argv);
extern const cli_opt redact_opts[];
int cmd_lsp(const cli_cmd *self, int argc, char **argv);
extern const cli_opt lsp_opts[];
/* Git history, staged changes, hooks (cmd_git.c, cmd_hook.c). */
int reporter_finding_git(reporter *r, const ward_finding *f, const ward_commit *c);
int cmd_git(const cli_cmd *self, int argc, char **argv);
int cmd_staged(const cli_cmd *self, int argc, char **argv);
int cmd_hook(const cli_cmd *self, int argc, char **argv);
/* ward report (cmd_report.c): a datastore or merged JSON Lines. */
int cmd_report(const cli_cmd *self, int argc, char **argv);
extern const cli_opt report_opts[];
/* The engine's index of a rule id (for SARIF's rule list), or the rule
 * count when the engine does not know it. */
size_t cli_rule_index(const ward_engine *e, const char *id);
extern const cli_opt git_opts[];
extern const cli_opt staged_opts[];
extern const cli_opt hook_opts[];
/* Baselines for scan and git: --baseline FILE filters known findings,
 * --baseline-write FILE records all of them, --report-unused lists entries
 * of --baseline that matched nothing (on stderr). */
typedef struct cli_baseline {
    const char *known_path, *write_path;
    int report_unused;
    ward_baseline *known, *record;
    int failed;
} cli_baseline;
/* Loads --baseline; -1 (reported) on error. */
int cli_baseline_start(cli_baseline *b);
/* Records the finding for --baseline-write; 1 when --baseline knows it
 * (then it is not reported), 0 otherwise. */
int cli_baseline_known(cli_baseline *b, const ward_finding *f);
/* Writes --baseline-write and reports unused entries; -1 (reported) on error.
 * Frees everything. */
int cli_baseline_finish(cli_baseline *b, int write);

/* run.c: what scan, git and staged share.  Common option keys (a command's
 * own options use keys from OPT_LOCAL on). */
enum {
    OPT_FORMAT = 'f', OPT_CONFIG = 'c', OPT_THREADS = 'j', OPT_QUIET = 'q', OPT_VERBOSE = 'v',
    OPT_SHOW = 256, OPT_NOCONFIG, OPT_NODEFAULT, OPT_MINCONF, OPT_BINARY, OPT_MAXSIZE,
    OPT_ALLOWERR, OPT_COLOR, OPT_BASELINE, OPT_BASELINE_WRITE, OPT_UNUSED, OPT_DECODE,
    OPT_LOCAL = 300
};

/* The common option table entries; WHAT names the scanned things ("files",
 * "blobs"). */
#define CLI_RUN_OPTS(WHAT) \
    {OPT_FORMAT, 'f', "format", "FORMAT", "output format: text (default), json (JSON Lines, " \
                                          "one finding per line) or sarif (SARIF 2.1.0)"}, \
    {OPT_SHOW, 0, "show-secrets", NULL, "print secrets in full instead of redacted"}, \
    {OPT_CONFIG, 'c', "config", "FILE", "rules and allowlists in the gitleaks TOML schema " \
                                        "(default: .ward.toml, else .gitleaks.toml, at the " \
                                        "repository root)"}, \
    {OPT_NOCONFIG, 0, "no-config", NULL, "do not look for .ward.toml or .gitleaks.toml"}, \
    {OPT_NODEFAULT, 0, "no-default-rules", NULL, "use only the rules of --config"}, \
    {OPT_MINCONF, 0, "min-confidence", "LEVEL", "report only findings of at least this " \
                                                "confidence: low (default), medium or high"}, \
    {OPT_BASELINE, 0, "baseline", "FILE", "report only findings not listed in FILE (made by " \
                                          "--baseline-write)"}, \
    {OPT_BASELINE_WRITE, 0, "baseline-write", "FILE", "record every finding in FILE (rule, " \
                                                      "fingerprint, path; sorted) and exit 0 " \
                                                      "unless there was an error"}, \
    {OPT_UNUSED, 0, "report-unused", NULL, "list --baseline entries that matched nothing, " \
                                           "on standard error"}, \
    {OPT_DECODE, 0, "decode-depth", "N", "look for secrets through N layers of encoding " \
                                         "(base64, %-encoding, string escapes): 0 to 3 " \
                                         "(default 1)"}, \
    {OPT_BINARY, 0, "binary", NULL, "scan " WHAT " that look binary (a NUL byte in the " \
                                    "first 8 KiB)"}, \
    {OPT_MAXSIZE, 0, "max-file-size", "SIZE", "skip " WHAT " larger than SIZE bytes; K, M " \
                                              "and G suffixes allowed (default: no limit " \
                                              "for files, 256M for history blobs)"}, \
    {OPT_ALLOWERR, 0, "allow-errors", NULL, "unreadable " WHAT " are reported but do not " \
                                            "make the exit status 2"}, \
    {OPT_COLOR, 0, "color", "WHEN", "colour output: auto (default: when standard output is " \
                                    "a terminal and NO_COLOR is unset), always or never"}, \
    {OPT_QUIET, 'q', "quiet", NULL, "print no findings; only the exit status tells"}, \
    {OPT_VERBOSE, 'v', "verbose", NULL, "also report skipped " WHAT " and configuration " \
                                        "warnings"}

typedef struct cli_run {
    /* options */
    cli_format fmt;
    const char *color, *config;
    int show, no_config, allow_errors, quiet, verbose, min_conf, binary;
    unsigned threads;
    uint64_t max_size;
    ward_engine_options eo;
    cli_baseline base;
    /* set by the command: progress wording, or NULL for no progress */
    const char *progress_verb, *progress_noun;
    /* state */
    reporter rep;
    int progress_tty, progress_shown, broken_pipe;
    unsigned long long findings, errors;
    unsigned long long skipped[4]; /* by ward_skip_kind, for the summary line */
    struct timespec start;
} cli_run;

/* Takes a common option: 1 taken, 0 not common, -1 bad value (reported). */
int cli_run_option(cli_run *r, int key, const char *arg);
/* Finds the config (from config_start, searching upwards for the repository
 * root when search is set), loads the baseline and the engine, prepares the
 * reporter.  0, or -1 after reporting. */
int cli_run_begin(cli_run *r, const char *config_start, int search, ward_engine **e);
/* Callbacks' bodies; cli_run_finding returns 1 to stop (output gone). */
int cli_run_finding(cli_run *r, const ward_finding *f, const ward_commit *cm);
void cli_run_event(cli_run *r, const ward_event *ev);
void cli_run_progress(cli_run *r, const ward_progress *p);
/* Finishes output and baseline, frees e, and gives the exit status.  what
 * names the operation for a failure message ("scan"). */
int cli_run_end(cli_run *r, ward_engine *e, ward_status st, const char *err, const char *what);
extern const cli_opt scan_opts[];
extern const cli_opt rules_opts[];

#endif
