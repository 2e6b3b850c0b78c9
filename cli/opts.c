/* opts.c - option parsing, --help and the man page, from one table.
 *
 * Each command declares its options once (cli_opt); parsing, the --help
 * text and ward(1) are all generated from that table, and a test checks that
 * the installed man page and --help agree.  Supported forms: -x, -xVALUE,
 * -x VALUE, clustered flags (-qv), --name, --name=VALUE, --name VALUE, and
 * "--" to end options.  Options and operands may be mixed.
 */
#define _GNU_SOURCE
#include <string.h>

#include "cli.h"

void cli_parse_init(cli_parse *p, const cli_cmd *cmd, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    p->i = 1;
    /* operands never outnumber arguments, so argv's own storage suffices */
    p->operands = argv + argc;
}

static int add_operand(cli_parse *p, char *arg)
{
    /* Operands are compacted to the front of argv[1..], in order. */
    p->argv[1 + p->n_operands++] = arg;
    p->operands = p->argv + 1;
    return 0;
}

int cli_next(cli_parse *p)
{
    const cli_opt *o;
    p->optarg = NULL;
    if (p->pending_short && *p->pending_short) {
        char c = *p->pending_short++;
        for (o = p->cmd->opts; o->key; o++)
            if (o->short_name == c)
                break;
        if (!o->key) {
            cli_error("unknown option '-%c' (see 'ward %s --help')", c, p->cmd->name);
            return '?';
        }
        if (o->arg) {
            if (*p->pending_short) {
                p->optarg = p->pending_short;
            } else if (p->i < p->argc) {
                p->optarg = p->argv[p->i++];
            } else {
                cli_error("option '-%c' needs a value (%s)", c, o->arg);
                return '?';
            }
            p->pending_short = NULL;
        }
        return o->key;
    }
    p->pending_short = NULL;
    while (p->i < p->argc) {
        char *a = p->argv[p->i++];
        if (!strcmp(a, "--")) {
            while (p->i < p->argc)
                add_operand(p, p->argv[p->i++]);
            break;
        }
        if (a[0] == '-' && a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            for (o = p->cmd->opts; o->key; o++)
                if (o->long_name && strlen(o->long_name) == nl && !strncmp(o->long_name, name, nl))
                    break;
            if (!o->key) {
                if (!strcmp(name, "help"))
                    return 'h';
                cli_error("unknown option '--%.*s' (see 'ward %s --help')", (int)nl, name,
                          p->cmd->name);
                return '?';
            }
            if (o->arg) {
                if (eq) {
                    p->optarg = eq + 1;
                } else if (p->i < p->argc) {
                    p->optarg = p->argv[p->i++];
                } else {
                    cli_error("option '--%s' needs a value (%s)", o->long_name, o->arg);
                    return '?';
                }
            } else if (eq) {
                cli_error("option '--%s' takes no value", o->long_name);
                return '?';
            }
            return o->key;
        }
        if (a[0] == '-' && a[1]) {
            if (!strcmp(a, "-h"))
                return 'h';
            p->pending_short = a + 1;
            return cli_next(p);
        }
        add_operand(p, a); /* includes "-" for stdin */
    }
    return -1;
}

static void opt_label(char *buf, size_t cap, const cli_opt *o)
{
    if (o->short_name && o->long_name)
        snprintf(buf, cap, "-%c, --%s%s%s", o->short_name, o->long_name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
    else if (o->long_name)
        snprintf(buf, cap, "    --%s%s%s", o->long_name, o->arg ? " " : "", o->arg ? o->arg : "");
    else
        snprintf(buf, cap, "-%c%s%s", o->short_name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* Wraps text at width, indenting continuation lines by indent. */
static void wrap(FILE *out, const char *text, int col, int indent, int width)
{
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        int wl = sp ? (int)(sp - p) : (int)strlen(p);
        if (col > indent && col + 1 + wl > width) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, (size_t)wl, out);
        col += wl;
        p += wl;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

void cli_print_help(FILE *out, const cli_cmd *cmd)
{
    fprintf(out, "usage: ward %s %s\n\n", cmd->name, cmd->usage);
    wrap(out, cmd->description, 0, 0, 78);
    if (!cmd->opts[0].key)
        return;
    fprintf(out, "\noptions:\n");
    for (const cli_opt *o = cmd->opts; o->key; o++) {
        char label[96];
        opt_label(label, sizeof label, o);
        int col = fprintf(out, "  %-28s", label);
        if (col > 30) {
            fprintf(out, "\n%30s", "");
            col = 30;
        }
        wrap(out, o->help, col, 30, 78);
    }
    fprintf(out, "  %-28s%s\n", "-h, --help", "show this help");
}

/* roff needs backslashes and leading dots/quotes escaped. */
static void roff(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

void cli_print_man(FILE *out, const cli_cmd *cmds, size_t n)
{
    fprintf(out, ".TH WARD 1 \"\" \"ward %s\" \"User Commands\"\n", WARD_VERSION);
    fprintf(out, ".SH NAME\nward \\- find secrets in code and text, locally\n");
    fprintf(out, ".SH SYNOPSIS\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(out, ".B ward %s\n", cmds[i].name);
        roff(out, cmds[i].usage);
        fprintf(out, "\n.br\n");
    }
    fprintf(out, ".SH DESCRIPTION\nward scans files, folders, standard input and git history "
                 "for API keys, tokens, private keys and passwords, with precise rules for "
                 "known formats and a generic rule for secret-like assignments.  Nothing is "
                 "ever sent anywhere.  Secrets are redacted in all output unless "
                 "\\fB\\-\\-show\\-secrets\\fR is given.\n");
    fprintf(out, ".SH COMMANDS\n");
    for (size_t i = 0; i < n; i++) {
        const cli_cmd *c = &cmds[i];
        fprintf(out, ".SS \"ward %s\"\n", c->name);
        roff(out, c->description);
        fputc('\n', out);
        for (const cli_opt *o = c->opts; o->key; o++) {
            char label[96];
            opt_label(label, sizeof label, o);
            const char *l = label;
            while (*l == ' ')
                l++;
            fprintf(out, ".TP\n.B ");
            roff(out, l);
            fputc('\n', out);
            roff(out, o->help);
            fputc('\n', out);
        }
        if (c->opts[0].key)
            fprintf(out, ".TP\n.B \\-h, \\-\\-help\nshow this help\n");
    }
    fprintf(out, ".SH EXIT STATUS\n0 nothing found, 1 findings, 2 error (an error beats "
                 "findings).\n");
    fprintf(out, ".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nwhen set, no colour.\n.TP\n"
                 ".B XDG_CACHE_HOME\nwhere compiled databases of custom rule sets are "
                 "cached (ward/ below it).\n");
    fprintf(out, ".SH FILES\n.TP\n.B .ward.toml\nat the repository root: rules and "
                 "allowlists in the gitleaks schema.\n");
}
