/* cmd_rules.c - `ward rules`: the catalog as a table, as JSON, or explained
 * rule by rule. */
#define _GNU_SOURCE
#include <string.h>

#include "cli.h"

enum { O_FORMAT = 'f', O_CONFIG = 'c', O_NOCONFIG = 256 };

const cli_opt rules_opts[] = {
    {O_FORMAT, 'f', "format", "FORMAT", "text (default) or json"},
    {O_CONFIG, 'c', "config", "FILE", "list the rules of this configuration instead of the "
                                      "built-in catalog alone"},
    {0, 0, NULL, NULL, NULL},
};

static void explain(const ward_rule_info *r)
{
    printf("%s\n  description: %s\n  confidence:  %s\n", r->id, r->description,
           ward_confidence_name(r->confidence));
    printf("  regex:       %s\n", r->regex ? r->regex : "(none: matches file names)");
    if (r->loose)
        printf("  loose:       %s (medium: shape differs from the documented format)\n",
               r->loose);
    if (r->n_keywords) {
        printf("  keywords:   ");
        for (size_t i = 0; i < r->n_keywords; i++)
            printf(" %s", r->keywords[i]);
        printf("\n");
    }
    if (r->entropy > 0)
        printf("  entropy:     at least %.2f bits per character\n", r->entropy);
    if (r->validator)
        printf("  validator:   %s\n", r->validator);
    if (r->revoke)
        printf("  revoke:      %s\n", r->revoke);
    for (size_t i = 0; i < r->n_positive; i++)
        printf("  finds:       %s\n", r->positive[i]);
    for (size_t i = 0; i < r->n_negative; i++)
        printf("  ignores:     %s\n", r->negative[i]);
}

static void json_rule(const ward_rule_info *r)
{
    printf("{\"id\":");
    json_str(stdout, r->id, strlen(r->id));
    printf(",\"description\":");
    json_str(stdout, r->description, strlen(r->description));
    printf(",\"confidence\":\"%s\",\"regex\":", ward_confidence_name(r->confidence));
    if (r->regex)
        json_str(stdout, r->regex, strlen(r->regex));
    else
        printf("null");
    printf(",\"validator\":");
    if (r->validator)
        json_str(stdout, r->validator, strlen(r->validator));
    else
        printf("null");
    printf(",\"loose\":");
    if (r->loose)
        json_str(stdout, r->loose, strlen(r->loose));
    else
        printf("null");
    printf(",\"revoke\":");
    if (r->revoke)
        json_str(stdout, r->revoke, strlen(r->revoke));
    else
        printf("null");
    printf(",\"entropy\":%.2f,\"keywords\":[", r->entropy);
    for (size_t i = 0; i < r->n_keywords; i++) {
        if (i)
            putchar(',');
        json_str(stdout, r->keywords[i], strlen(r->keywords[i]));
    }
    printf("]}\n");
}

int cmd_rules(const cli_cmd *self, int argc, char **argv)
{
    cli_parse ps;
    cli_parse_init(&ps, self, argc, argv);
    int json = 0, opt;
    ward_engine_options eo = WARD_INIT(ward_engine_options);
    while ((opt = cli_next(&ps)) != -1) {
        switch (opt) {
        case 'h': cli_print_help(stdout, self); return EXIT_CLEAN;
        case O_FORMAT:
            if (!strcmp(ps.optarg, "json")) json = 1;
            else if (strcmp(ps.optarg, "text")) {
                cli_error("unknown format '%s' (text or json)", ps.optarg);
                return EXIT_ERROR;
            }
            break;
        case O_CONFIG: eo.config_path = ps.optarg; break;
        default: return EXIT_ERROR;
        }
    }
    ward_engine *e;
    char err[512];
    ward_status st = ward_engine_new(&eo, &e, err, sizeof err);
    if (st) {
        cli_error("%s", *err ? err : ward_strerror(st));
        return EXIT_ERROR;
    }
    int rc = EXIT_CLEAN;
    size_t n = ward_engine_rule_count(e);
    for (int k = 0; k < ps.n_operands; k++) {
        size_t i = 0;
        ward_rule_info r;
        for (; i < n; i++)
            if (ward_engine_rule(e, i, &r) == WARD_OK && !strcmp(r.id, ps.operands[k]))
                break;
        if (i == n) {
            cli_error("no rule '%s' (see 'ward rules')", ps.operands[k]);
            rc = EXIT_ERROR;
            continue;
        }
        if (json)
            json_rule(&r);
        else
            explain(&r);
    }
    for (size_t i = 0; !ps.n_operands && i < n; i++) {
        ward_rule_info r;
        if (ward_engine_rule(e, i, &r))
            continue;
        if (json)
            json_rule(&r);
        else
            printf("%-36s %-7s %s\n", r.id, ward_confidence_name(r.confidence), r.description);
    }
    ward_engine_free(e);
    return rc; /* main() checks that standard output took it all */
}
