/* fake.c - expands example templates into fake secrets, at build and test
 * time, so that no realistic token is ever committed.
 *
 *   ward-fake [--seed N] TEMPLATE...     print each expansion on a line
 *   ward-fake [--seed N] --file FILE     expand a whole file to stdout
 *   ward-fake [--seed N] --tree SRC DST  expand each SRC/.../x.tmpl to DST/.../x
 *
 * The same seed gives the same bytes, so golden tests can depend on them.
 * Uses only the public API (ward_example_expand). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <ward.h>

#define MAX_FILE (1u << 20)

static int expand(const char *tmpl, uint64_t *seed, char **out, size_t *len)
{
    size_t cap = strlen(tmpl) * 4 + 65536;
    *out = malloc(cap);
    if (!*out)
        return -1;
    size_t so, sl;
    ward_status st = ward_example_expand(tmpl, seed, *out, cap, len, &so, &sl);
    if (st) {
        fprintf(stderr, "ward-fake: cannot expand template: %s\n", ward_strerror(st));
        free(*out);
        return -1;
    }
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ward-fake: cannot open '%s': %s\n", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, MAX_FILE, f) : 0;
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static int write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "ward-fake: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int tree(const char *src, const char *dst, uint64_t *seed)
{
    DIR *d = opendir(src);
    if (!d) {
        fprintf(stderr, "ward-fake: cannot open '%s': %s\n", src, strerror(errno));
        return -1;
    }
    mkdir(dst, 0755);
    struct dirent **list;
    int n = scandir(src, &list, NULL, alphasort), rc = 0;
    closedir(d);
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        char sp[4096], dp[4096];
        struct stat sb;
        snprintf(sp, sizeof sp, "%s/%s", src, name);
        if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))) {
            free(list[i]);
            continue;
        }
        if (stat(sp, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            snprintf(dp, sizeof dp, "%s/%s", dst, name);
            rc |= tree(sp, dp, seed);
        } else {
            size_t nl = strlen(name);
            if (nl > 5 && !strcmp(name + nl - 5, ".tmpl")) {
                snprintf(dp, sizeof dp, "%s/%.*s", dst, (int)(nl - 5), name);
                char *t = slurp(sp), *out;
                size_t len;
                if (!t || expand(t, seed, &out, &len))
                    rc = -1;
                else {
                    rc |= write_file(dp, out, len);
                    free(out);
                }
                free(t);
            }
        }
        free(list[i]);
    }
    free(list);
    return rc;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    int i = 1;
    if (i + 1 < argc && !strcmp(argv[i], "--seed")) {
        seed = strtoull(argv[i + 1], NULL, 10);
        i += 2;
    }
    if (i < argc && !strcmp(argv[i], "--tree")) {
        if (i + 2 >= argc) {
            fprintf(stderr, "usage: ward-fake [--seed N] --tree SRC DST\n");
            return 2;
        }
        return tree(argv[i + 1], argv[i + 2], &seed) ? 1 : 0;
    }
    if (i < argc && !strcmp(argv[i], "--file")) {
        char *t = i + 1 < argc ? slurp(argv[i + 1]) : NULL, *out;
        size_t len;
        if (!t || expand(t, &seed, &out, &len))
            return 1;
        fwrite(out, 1, len, stdout);
        free(out);
        free(t);
        return 0;
    }
    for (; i < argc; i++) {
        char *out;
        size_t len;
        if (expand(argv[i], &seed, &out, &len))
            return 1;
        fwrite(out, 1, len, stdout);
        putchar('\n');
        free(out);
    }
    return fflush(stdout) ? 1 : 0;
}
