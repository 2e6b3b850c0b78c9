/* fuzz_staged.c - libFuzzer target for what `ward staged` parses itself:
 * the index (lib/gitindex.c), loose objects (lib/gitdir.c) and the line
 * diff (lib/linediff.c).
 *
 * Input: one byte of mode, then the data.  Mode 0: an index file; what it
 * gives must be in order, and its cache tree well formed.  Mode 1: a loose
 * object's file; what it gives must be as long as its header says.  Mode 2:
 * two texts, split at the next byte's proportion; the added lines must be
 * ranges of the new text in order, and, for texts of a few hundred lines,
 * exactly the lines a longest common subsequence leaves out (computed here
 * the slow way).  Each buffer is a heap copy of exactly its length, so ASan
 * flags any read past it.
 *
 *   tests/fuzz/build.sh staged
 */
#define _GNU_SOURCE
#include "gitdir.h"
#include "gitindex.h"
#include "linediff.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char *dup_of(const uint8_t *p, size_t n)
{
    unsigned char *b = malloc(n ? n : 1);
    if (b && n)
        memcpy(b, p, n);
    return b;
}

static size_t tree_nodes(const ward_cache_tree *t, int depth)
{
    if (depth > 300 || strnlen(t->name, t->name_len) != t->name_len || t->entries < -1)
        abort();
    size_t n = 1;
    for (const ward_cache_tree *c = t->child; c; c = c->next)
        n += tree_nodes(c, depth + 1);
    return n;
}

static void index_case(const uint8_t *data, size_t size)
{
    unsigned char *buf = dup_of(data, size);
    ward_index ix;
    char why[160];
    if (buf && ward_index_parse(buf, size, &ix, why, sizeof why) == 0) {
        free(buf); /* what the index gives must not point into the file */
        buf = NULL;
        for (size_t i = 0; i < ix.n; i++) {
            const ward_index_entry *e = &ix.e[i];
            if (strlen(e->path) != e->path_len)
                abort();
            if (i > 0) {
                const ward_index_entry *p = &ix.e[i - 1];
                size_t m = p->path_len < e->path_len ? p->path_len : e->path_len;
                int c = memcmp(p->path, e->path, m);
                if (c > 0 || (c == 0 && p->path_len >= e->path_len))
                    abort();
            }
        }
        if (ix.tree)
            tree_nodes(ix.tree, 0);
        ward_index_free(&ix);
    }
    free(buf);
}

static void loose_case(const uint8_t *data, size_t size)
{
    unsigned char *buf = dup_of(data, size), *out = NULL;
    size_t len = 0;
    uint64_t sz = 0;
    int type = 0;
    char err[160];
    if (buf && ward_loose_parse(buf, size, 1 << 20, &type, &out, &len, &sz, err, sizeof err) ==
                   WARD_PACK_OK) {
        if (!out || len != sz || out[len] != 0 || type < WARD_OBJ_COMMIT || type > WARD_OBJ_TAG)
            abort();
    }
    free(out);
    free(buf);
}

/* Lines as a diff sees them: each with its '\n', the last without. */
static size_t split(const char *s, size_t n, const char **at, size_t *len, size_t cap)
{
    size_t k = 0, i = 0;
    while (i < n && k < cap) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) + 1 : n;
        at[k] = s + i;
        len[k++] = end - i;
        i = end;
    }
    return i < n ? SIZE_MAX : k;
}

#define SMALL 300

static void diff_case(const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    size_t cut = (size_t)data[0] * (size - 1) / 255;
    char *a = (char *)dup_of(data + 1, cut), *b = (char *)dup_of(data + 1 + cut, size - 1 - cut);
    size_t an = cut, bn = size - 1 - cut;
    ward_line_range *r = NULL;
    size_t n = 0;
    if (!a || !b || ward_added_lines(a, an, b, bn, &r, &n)) {
        free(a);
        free(b);
        return;
    }
    static const char *la[SMALL], *lb[SMALL];
    static size_t lla[SMALL], llb[SMALL];
    size_t na = split(a, an, la, lla, SMALL), nb = split(b, bn, lb, llb, SMALL);
    uint64_t added = 0, prev = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].first <= prev || r[i].last < r[i].first || (nb != SIZE_MAX && r[i].last > nb))
            abort();
        prev = r[i].last + 1; /* ranges are maximal: never adjacent */
        added += r[i].last - r[i].first + 1;
    }
    if (na != SIZE_MAX && nb != SIZE_MAX) {
        /* the longest common subsequence, by dynamic programming */
        static unsigned short t[SMALL + 1][SMALL + 1];
        for (size_t i = 0; i <= na; i++)
            for (size_t j = 0; j <= nb; j++)
                t[i][j] = !i || !j ? 0
                          : lla[i - 1] == llb[j - 1] && !memcmp(la[i - 1], lb[j - 1], lla[i - 1])
                              ? (unsigned short)(t[i - 1][j - 1] + 1)
                          : t[i - 1][j] > t[i][j - 1] ? t[i - 1][j] : t[i][j - 1];
        if (added != nb - t[na][nb])
            abort();
    }
    free(r);
    free(a);
    free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 3) {
    case 0: index_case(data + 1, size - 1); break;
    case 1: loose_case(data + 1, size - 1); break;
    default: diff_case(data + 1, size - 1); break;
    }
    return 0;
}
