/* compile_cost.c - what each rule costs Vectorscan to compile.
 *
 * Start-up never compiles the built-in catalog (its database is serialised
 * at build time), but the build does, and so does the first run with a
 * custom rule set.  Large bounded repeats ({64,16384}) are the usual culprit:
 * prefer {64,} where the regex allows.  Prints rules by cost, then the time
 * for the whole database.
 *   compile_cost [--config FILE] [--top N]
 */
#define _GNU_SOURCE
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ward.h>

typedef struct cost {
    double ms;
    size_t bytes;
    const char *id;
} cost;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int by_cost(const void *a, const void *b)
{
    double x = ((const cost *)a)->ms, y = ((const cost *)b)->ms;
    return x < y ? 1 : x > y ? -1 : 0;
}

int main(int argc, char **argv)
{
    ward_engine_options o = WARD_INIT(ward_engine_options);
    size_t top = 15;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--config"))
            o.config_path = argv[i + 1];
        else if (!strcmp(argv[i], "--top"))
            top = (size_t)atoi(argv[i + 1]);
    }
    ward_engine *e;
    char err[512];
    if (ward_engine_new(&o, &e, err, sizeof err)) {
        fprintf(stderr, "compile_cost: %s\n", err);
        return 2;
    }
    size_t n = ward_engine_rule_count(e), m = 0;
    cost *c = calloc(n + 1, sizeof *c);
    const char **exprs = calloc(n + 1, sizeof *exprs);
    unsigned *flags = calloc(n + 1, sizeof *flags), *ids = calloc(n + 1, sizeof *ids);
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        ward_rule_info r;
        ward_engine_rule(e, i, &r);
        if (!r.regex)
            continue;
        hs_database_t *db = NULL;
        hs_compile_error_t *ce = NULL;
        double t0 = now_ms();
        int rc = hs_compile(r.regex, HS_FLAG_MULTILINE, HS_MODE_BLOCK, NULL, &db, &ce);
        c[m].ms = now_ms() - t0;
        c[m].id = r.id;
        if (rc == HS_SUCCESS) {
            hs_database_size(db, &c[m].bytes);
            hs_free_database(db);
        } else {
            hs_free_compile_error(ce);
        }
        total += c[m].ms;
        exprs[m] = r.regex;
        flags[m] = HS_FLAG_MULTILINE;
        ids[m] = (unsigned)i;
        m++;
    }
    qsort(c, m, sizeof *c, by_cost);
    printf("%-40s %10s %10s\n", "rule", "ms", "bytes");
    for (size_t i = 0; i < m && i < top; i++)
        printf("%-40s %10.1f %10zu\n", c[i].id, c[i].ms, c[i].bytes);
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    double t0 = now_ms();
    int rc = hs_compile_multi(exprs, flags, ids, (unsigned)m, HS_MODE_BLOCK, NULL, &db, &ce);
    double all = now_ms() - t0;
    size_t bytes = 0;
    if (rc == HS_SUCCESS) {
        hs_database_size(db, &bytes);
        hs_free_database(db);
    } else {
        hs_free_compile_error(ce);
    }
    printf("%zu rules: %.0f ms compiled one by one; %.0f ms as one database of %zu bytes\n", m,
           total, all, bytes);
    printf("reproduce: cmake --build build && build/bench/compile_cost\n");
    free(c);
    free(exprs);
    free(flags);
    free(ids);
    ward_engine_free(e);
    return 0;
}
