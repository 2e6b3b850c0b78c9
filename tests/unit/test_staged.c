/* test_staged.c - what `ward staged` reads itself: the line diff
 * (lib/linediff.c), checked against a longest common subsequence computed
 * the slow way over thousands of random texts, and the index
 * (lib/gitindex.c), checked against `git ls-files --stage` for each index
 * version git writes, with and without a cache tree. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gitindex.h"
#include "linediff.h"

/* ---------------------------------------------------------------------
 * The line diff.
 * ------------------------------------------------------------------- */

static size_t added_count(const char *a, const char *b, ward_line_range **r, size_t *n)
{
    CHECK_INT(ward_added_lines(a, strlen(a), b, strlen(b), r, n), 0);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        k += (size_t)((*r)[i].last - (*r)[i].first + 1);
    return k;
}

static void test_diff_cases(void)
{
    ward_line_range *r;
    size_t n;
    CHECK_INT(added_count("a\nb\n", "a\nb\n", &r, &n), 0);
    CHECK_INT(n, 0);
    CHECK_INT(added_count("a\nb\nc\n", "a\nx\nb\nc\n", &r, &n), 1);
    CHECK_INT(r[0].first, 2);
    CHECK_INT(r[0].last, 2);
    free(r);
    CHECK_INT(added_count("", "a\nb\n", &r, &n), 2);
    CHECK_INT(r[0].first, 1);
    CHECK_INT(r[0].last, 2);
    free(r);
    CHECK_INT(added_count("a\nb\n", "", &r, &n), 0);
    /* a last line without its newline differs from the same with one */
    CHECK_INT(added_count("a\nb", "a\nb\n", &r, &n), 1);
    CHECK_INT(r[0].first, 2);
    free(r);
    /* a line copied: one of the two is new */
    CHECK_INT(added_count("k\nx\ny\n", "k\nx\ny\nk\n", &r, &n), 1);
    CHECK_INT(r[0].first, 4);
    free(r);
    /* two separate insertions are two ranges */
    CHECK_INT(added_count("1\n2\n3\n4\n", "0\n1\n2\n9\n3\n4\n", &r, &n), 2);
    CHECK_INT(n, 2);
    CHECK_INT(r[0].first, 1);
    CHECK_INT(r[1].first, 4);
    free(r);
}

static uint64_t rng = 88172645463325252ull;
static unsigned next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)rng;
}

#define LINES 120

static char *text(const unsigned *v, size_t n)
{
    char *s = malloc(n * 4 + 1), *p = s;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%u\n", v[i]);
    *p = '\0';
    return s;
}

/* Myers finds an edit script of least cost, so the lines it adds are
 * exactly those a longest common subsequence leaves out. */
static void test_diff_is_minimal(void)
{
    static unsigned short t[LINES + 1][LINES + 1];
    int bad = 0;
    for (int round = 0; round < 3000 && !bad; round++) {
        unsigned a[LINES], b[LINES], alphabet = 2 + next() % 12;
        size_t na = next() % LINES, nb = next() % LINES;
        for (size_t i = 0; i < na; i++)
            a[i] = next() % alphabet;
        for (size_t j = 0; j < nb; j++) /* mostly a's lines, some changed */
            b[j] = j < na && next() % 4 ? a[j] : next() % alphabet;
        for (size_t i = 0; i <= na; i++)
            for (size_t j = 0; j <= nb; j++)
                t[i][j] = !i || !j ? 0
                          : a[i - 1] == b[j - 1] ? (unsigned short)(t[i - 1][j - 1] + 1)
                          : t[i - 1][j] > t[i][j - 1] ? t[i - 1][j] : t[i][j - 1];
        char *sa = text(a, na), *sb = text(b, nb);
        ward_line_range *r;
        size_t n;
        size_t got = added_count(sa, sb, &r, &n);
        uint64_t prev = 0;
        for (size_t i = 0; i < n; i++) {
            if (r[i].first <= prev || r[i].last < r[i].first || r[i].last > nb)
                bad = 1;
            prev = r[i].last + 1;
        }
        if (got != nb - t[na][nb]) {
            fprintf(stderr, "round %d: %zu added, want %zu\n", round, got, nb - t[na][nb]);
            bad = 1;
        }
        free(r);
        free(sa);
        free(sb);
    }
    CHECK(!bad);
}

/* ---------------------------------------------------------------------
 * The index.
 * ------------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    do {
        if (n + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap + 1);
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The index as `git ls-files --stage` prints it: "MODE ID 0\tPATH\n". */
static char *listing(const ward_index *ix)
{
    size_t cap = 1, n = 0;
    for (size_t i = 0; i < ix->n; i++)
        cap += ix->e[i].path_len + 60;
    char *s = malloc(cap);
    s[0] = '\0';
    for (size_t i = 0; i < ix->n; i++) {
        n += (size_t)sprintf(s + n, "%06o ", ix->e[i].mode);
        for (int k = 0; k < 20; k++)
            n += (size_t)sprintf(s + n, "%02x", ix->e[i].id[k]);
        n += (size_t)sprintf(s + n, " 0\t%s\n", ix->e[i].path);
    }
    return s;
}

static int sh(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
    return rc;
}

static void test_index_versions(void)
{
    char dir[] = "/tmp/ward-test-index-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd %s && git init -q r && cd r && mkdir -p a/b a/c d && "
             "for i in 1 2 3 4 5; do echo $i > a/b/f$i.txt; echo $i > a/c/g$i; done && "
             "echo x > d/h && echo y > a.txt && echo z > a-b && ln -s a.txt link && "
             "git add . && git -c user.name=a -c user.email=a@b commit -qm one && "
             "echo w >> a/c/g2 && git add a/c/g2", dir);
    CHECK_INT(sh(cmd), 0);
    for (int version = 2; version <= 4; version++) {
        snprintf(cmd, sizeof cmd,
                 "cd %s/r && git update-index --index-version %d && git ls-files --stage > ../want",
                 dir, version);
        CHECK_INT(sh(cmd), 0);
        char path[512];
        size_t len = 0, wlen = 0;
        snprintf(path, sizeof path, "%s/r/.git/index", dir);
        char *data = slurp(path, &len);
        snprintf(path, sizeof path, "%s/want", dir);
        char *want = slurp(path, &wlen);
        CHECK(data && want);
        if (!data || !want) {
            free(data);
            free(want);
            continue;
        }
        ward_index ix;
        char why[160] = "";
        int rc = ward_index_parse((unsigned char *)data, len, &ix, why, sizeof why);
        CHECK_INT(rc, 0);
        if (rc == 0) {
            char *got = listing(&ix);
            CHECK_STR(got, want);
            free(got);
            /* the cache tree: the root and a/ are invalid (a/c/g2 changed), a/b valid */
            CHECK(ix.tree != NULL);
            if (ix.tree) {
                CHECK_INT(ix.tree->entries, -1);
                const ward_cache_tree *a = ix.tree->child;
                while (a && !(a->name_len == 1 && a->name[0] == 'a'))
                    a = a->next;
                CHECK(a != NULL);
                const ward_cache_tree *b = a ? a->child : NULL;
                while (b && !(b->name_len == 1 && b->name[0] == 'b'))
                    b = b->next;
                CHECK(b != NULL && b->entries == 5);
            }
            ward_index_free(&ix);
        }
        /* cut anywhere, it is refused, never overread */
        for (size_t cut = 0; cut < len; cut += 7) {
            char *part = malloc(cut + 1);
            memcpy(part, data, cut);
            if (ward_index_parse((unsigned char *)part, cut, &ix, why, sizeof why) == 0)
                ward_index_free(&ix);
            free(part);
        }
        free(data);
        free(want);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    sh(cmd);
}

static void test_index_refusals(void)
{
    ward_index ix;
    char why[160] = "";
    unsigned char v5[32 + 20] = "DIRC\0\0\0\5\0\0\0\0";
    CHECK_INT(ward_index_parse(v5, sizeof v5, &ix, why, sizeof why), -1);
    CHECK_STR(why, "an index version this reader does not take");
    /* a required extension ("link": a split index) */
    unsigned char link[12 + 8 + 20] = "DIRC\0\0\0\2\0\0\0\0link\0\0\0\0";
    CHECK_INT(ward_index_parse(link, sizeof link, &ix, why, sizeof why), -1);
    CHECK_STR(why, "an index extension this reader does not take ('link')");
    /* a sparse index's is understood */
    unsigned char sdir[12 + 8 + 20] = "DIRC\0\0\0\2\0\0\0\0sdir\0\0\0\0";
    CHECK_INT(ward_index_parse(sdir, sizeof sdir, &ix, why, sizeof why), 0);
    CHECK_INT(ix.sparse, 1);
    ward_index_free(&ix);
    /* an optional one is passed by */
    unsigned char opt[12 + 8 + 20] = "DIRC\0\0\0\2\0\0\0\0UNTR\0\0\0\0";
    CHECK_INT(ward_index_parse(opt, sizeof opt, &ix, why, sizeof why), 0);
    CHECK_INT(ix.n, 0);
    ward_index_free(&ix);
}

int main(void)
{
    RUN(test_diff_cases);
    RUN(test_diff_is_minimal);
    RUN(test_index_versions);
    RUN(test_index_refusals);
    return check_summary();
}
