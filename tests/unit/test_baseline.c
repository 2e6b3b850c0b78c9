/* test_baseline.c - baselines: written sorted and deduplicated, read back,
 * matched on rule + fingerprint + path (not line), unused entries, escaping
 * of odd paths, and malformed files. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ward.h>

#include "check.h"

static char dir[] = "/tmp/ward-baseline-XXXXXX";

static ward_finding mk(const char *rule, const char *fp, const char *path, uint64_t line)
{
    ward_finding f = WARD_INIT(ward_finding);
    f.rule_id = rule;
    f.path = path;
    f.line = line;
    snprintf(f.fingerprint, sizeof f.fingerprint, "%s", fp);
    return f;
}

static char *slurp(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f)
        return NULL;
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static const char *FP1 = "00112233445566778899aabbccddeeff";
static const char *FP2 = "ffeeddccbbaa99887766554433221100";

static void test_write_sorted_dedup(void)
{
    ward_baseline *b;
    CHECK_INT(ward_baseline_new(&b), WARD_OK);
    ward_finding f1 = mk("zeta", FP1, "src/a.c", 3), f2 = mk("aws", FP2, "./b.env", 9),
                 f3 = mk("zeta", FP1, "src/a.c", 40);
    CHECK_INT(ward_baseline_add(b, &f1), WARD_OK);
    CHECK_INT(ward_baseline_add(b, &f2), WARD_OK);
    CHECK_INT(ward_baseline_add(b, &f3), WARD_OK); /* same entry, other line */
    CHECK_INT(ward_baseline_count(b), 2);
    char p[256];
    snprintf(p, sizeof p, "%s/base", dir);
    char err[256];
    CHECK_INT(ward_baseline_write(b, p, err, sizeof err), WARD_OK);
    char *text = slurp(p);
    CHECK(text != NULL);
    char want[512];
    snprintf(want, sizeof want,
             "# ward baseline: rule<TAB>fingerprint<TAB>path, sorted; no secrets\n"
             "aws\t%s\tb.env\nzeta\t%s\tsrc/a.c\n", FP2, FP1);
    CHECK_STR(text, want);
    ward_baseline_free(b);
}

static void test_load_and_match(void)
{
    char p[256], err[256];
    snprintf(p, sizeof p, "%s/base", dir);
    ward_baseline *b;
    CHECK_INT(ward_baseline_new(&b), WARD_OK);
    CHECK_INT(ward_baseline_load(b, p, err, sizeof err), WARD_OK);
    CHECK_INT(ward_baseline_count(b), 2);
    ward_finding moved = mk("zeta", FP1, "src/a.c", 1000);  /* the line moved: still known */
    ward_finding dot = mk("aws", FP2, "./b.env", 1);         /* "./" is ignored */
    ward_finding other = mk("zeta", FP1, "src/other.c", 3);  /* same secret, new file */
    ward_finding rule = mk("aws", FP1, "src/a.c", 3);        /* another rule */
    CHECK_INT(ward_baseline_match(b, &moved), 1);
    CHECK_INT(ward_baseline_match(b, &other), 0);
    CHECK_INT(ward_baseline_match(b, &rule), 0);
    ward_baseline_entry en;
    CHECK_INT(ward_baseline_get(b, 0, &en), WARD_OK);
    CHECK_STR(en.rule_id, "aws");
    CHECK_STR(en.fingerprint, FP2);
    CHECK_STR(en.path, "b.env");
    CHECK_INT(en.used, 0);
    CHECK_INT(ward_baseline_match(b, &dot), 1);
    CHECK_INT(ward_baseline_get(b, 0, &en), WARD_OK);
    CHECK_INT(en.used, 1);
    CHECK_INT(ward_baseline_get(b, 2, &en), WARD_EINVAL);
    ward_baseline_free(b);
}

static void test_odd_paths_round_trip(void)
{
    char p[256], err[256];
    snprintf(p, sizeof p, "%s/odd", dir);
    ward_baseline *b, *c;
    CHECK_INT(ward_baseline_new(&b), WARD_OK);
    ward_finding f = mk("r", FP1, "a\tb\\c\nd", 1);
    CHECK_INT(ward_baseline_add(b, &f), WARD_OK);
    CHECK_INT(ward_baseline_write(b, p, err, sizeof err), WARD_OK);
    CHECK(strstr(slurp(p), "a\\tb\\\\c\\nd\n") != NULL);
    CHECK_INT(ward_baseline_new(&c), WARD_OK);
    CHECK_INT(ward_baseline_load(c, p, err, sizeof err), WARD_OK);
    CHECK_INT(ward_baseline_match(c, &f), 1);
    ward_baseline_free(b);
    ward_baseline_free(c);
}

static void test_bad_files(void)
{
    char p[256], err[256];
    ward_baseline *b;
    CHECK_INT(ward_baseline_new(&b), WARD_OK);
    snprintf(p, sizeof p, "%s/missing", dir);
    CHECK_INT(ward_baseline_load(b, p, err, sizeof err), WARD_EIO);
    CHECK(strstr(err, "cannot open '") == err);
    CHECK(strstr(err, "No such file or directory") != NULL);
    snprintf(p, sizeof p, "%s/bad", dir);
    FILE *f = fopen(p, "w");
    fprintf(f, "# comment\n\nr\t%s\tok\nonly-one-field\n", FP1);
    fclose(f);
    CHECK_INT(ward_baseline_load(b, p, err, sizeof err), WARD_ECONFIG);
    CHECK(strstr(err, "bad:4: ") != NULL);
    f = fopen(p, "w");
    fprintf(f, "r\tnot-hex\tpath\n");
    fclose(f);
    CHECK_INT(ward_baseline_load(b, p, err, sizeof err), WARD_ECONFIG);
    ward_baseline_free(b);
    ward_baseline_free(NULL);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    RUN(test_write_sorted_dedup);
    RUN(test_load_and_match);
    RUN(test_odd_paths_round_trip);
    RUN(test_bad_files);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_summary();
}
