#define _GNU_SOURCE
/* linediff.c - which lines a change adds (see linediff.h).
 *
 * Lines become small integers (equal lines, equal numbers) through one
 * hash table over both sides.  The common head and tail are passed by,
 * lines found on one side only are marked at once, and what is left goes
 * to Myers' middle-snake search: find a point that an edit script of
 * least cost passes through, halfway along it, then split there and go on
 * with each half.  The search keeps two rows of furthest reach per
 * diagonal, so memory is linear; its cost is capped, past which the rest
 * of a region counts as added.
 */
#include "linediff.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_COST 4096 /* edit steps a single search may take before giving up */

typedef struct line {
    const char *p;
    size_t len;
    uint64_t hash;
} line;

typedef struct differ {
    const uint32_t *a, *b; /* the lines left to align, as numbers */
    const size_t *bmap;    /* b's position in the new file, per aligned line */
    unsigned char *added;  /* per line of the new file */
    int *vf, *vb;          /* furthest reach per diagonal, forward and back */
} differ;

static size_t split_lines(const char *s, size_t len, line **out)
{
    size_t n = 0;
    for (const char *p = s, *end = s + len; p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    line *v = malloc((n ? n : 1) * sizeof *v);
    *out = v;
    if (!v)
        return SIZE_MAX;
    size_t k = 0, start = 0;
    while (start < len) {
        const char *nl = memchr(s + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - s) + 1 : len;
        v[k].p = s + start;
        v[k].len = end - start;
        v[k].hash = ward_fnv1a(WARD_FNV_BASIS, v[k].p, v[k].len);
        k++;
        start = end;
    }
    return n;
}

/* Numbers the lines of both sides alike; counts each number's lines on
 * side a (cnt[2*id]) and on side b (cnt[2*id+1]). */
static int number_lines(const line *la, size_t na, const line *lb, size_t nb, uint32_t *ia,
                        uint32_t *ib, uint32_t **cnt)
{
    size_t total = na + nb, cap = 16;
    while (cap < total * 2)
        cap *= 2;
    uint32_t *slot = malloc(cap * sizeof *slot); /* a line's index + 1, or 0 */
    const line **rep = malloc((total + 1) * sizeof *rep);
    uint32_t *c = calloc(2 * (total + 1), sizeof *c);
    if (!slot || !rep || !c) {
        free(slot);
        free(rep);
        free(c);
        return -2;
    }
    memset(slot, 0, cap * sizeof *slot);
    uint32_t next = 0;
    for (size_t i = 0; i < total; i++) {
        const line *l = i < na ? &la[i] : &lb[i - na];
        size_t h = (size_t)l->hash & (cap - 1);
        uint32_t id;
        for (;;) {
            if (!slot[h]) {
                id = next++;
                rep[id] = l;
                slot[h] = id + 1;
                break;
            }
            const line *r = rep[slot[h] - 1];
            if (r->hash == l->hash && r->len == l->len && !memcmp(r->p, l->p, l->len)) {
                id = slot[h] - 1;
                break;
            }
            h = (h + 1) & (cap - 1);
        }
        if (i < na) {
            ia[i] = id;
            c[2 * id]++;
        } else {
            ib[i - na] = id;
            c[2 * id + 1]++;
        }
    }
    free(slot);
    free(rep);
    *cnt = c;
    return 0;
}

static void mark(differ *d, size_t b0, size_t b1)
{
    for (size_t j = b0; j < b1; j++)
        d->added[d->bmap[j]] = 1;
}

/* A point (*x, *y) on a least-cost path from (a0, b0) to (a1, b1), with
 * a0 < a1, b0 < b1 and both ends differing; 0, or -1 past MAX_COST. */
static int middle(differ *d, size_t a0, size_t a1, size_t b0, size_t b1, size_t *x, size_t *y)
{
    const uint32_t *A = d->a + a0, *B = d->b + b0;
    long n = (long)(a1 - a0), m = (long)(b1 - b0), delta = n - m;
    long maxd = (n + m + 1) / 2;
    if (maxd > MAX_COST)
        maxd = MAX_COST;
    long off = maxd + 1, vlen = 2 * maxd + 3;
    int *vf = d->vf, *vb = d->vb;
    for (long i = 0; i < vlen; i++)
        vf[i] = vb[i] = -1;
    vf[off + 1] = vb[off + 1] = 0;
    int odd = (int)(delta & 1);
    long fs = 0, fe = 0, bs = 0, be = 0; /* diagonals trimmed where a path left the grid */
    for (long k = 0; k <= maxd; k++) {
        for (long dk = -k + fs; dk <= k - fe; dk += 2) {
            long i = off + dk, px;
            if (dk == -k || (dk != k && vf[i - 1] < vf[i + 1]))
                px = vf[i + 1];
            else
                px = vf[i - 1] + 1;
            long py = px - dk;
            while (px < n && py < m && A[px] == B[py]) {
                px++;
                py++;
            }
            vf[i] = (int)px;
            if (px > n) {
                fe += 2;
            } else if (py > m) {
                fs += 2;
            } else if (odd) {
                long j = off + delta - dk;
                if (j >= 0 && j < vlen && vb[j] != -1 && px >= n - vb[j]) {
                    *x = a0 + (size_t)px;
                    *y = b0 + (size_t)py;
                    return 0;
                }
            }
        }
        for (long dk = -k + bs; dk <= k - be; dk += 2) {
            long i = off + dk, px;
            if (dk == -k || (dk != k && vb[i - 1] < vb[i + 1]))
                px = vb[i + 1];
            else
                px = vb[i - 1] + 1;
            long py = px - dk;
            while (px < n && py < m && A[n - px - 1] == B[m - py - 1]) {
                px++;
                py++;
            }
            vb[i] = (int)px;
            if (px > n) {
                be += 2;
            } else if (py > m) {
                bs += 2;
            } else if (!odd) {
                long j = off + delta - dk;
                if (j >= 0 && j < vlen && vf[j] != -1) {
                    long fx = vf[j], fy = fx - (j - off);
                    if (fx >= n - px) {
                        *x = a0 + (size_t)fx;
                        *y = b0 + (size_t)fy;
                        return 0;
                    }
                }
            }
        }
    }
    return -1;
}

static void align(differ *d, size_t a0, size_t a1, size_t b0, size_t b1)
{
    for (;;) {
        while (a0 < a1 && b0 < b1 && d->a[a0] == d->b[b0]) {
            a0++;
            b0++;
        }
        while (a0 < a1 && b0 < b1 && d->a[a1 - 1] == d->b[b1 - 1]) {
            a1--;
            b1--;
        }
        if (b0 == b1)
            return;
        if (a0 == a1) {
            mark(d, b0, b1);
            return;
        }
        size_t x, y;
        if (middle(d, a0, a1, b0, b1, &x, &y) || (x == a0 && y == b0) || (x == a1 && y == b1)) {
            mark(d, b0, b1);
            return;
        }
        /* the smaller half by recursion, the larger in this loop: the
         * stack stays shallow whatever the inputs */
        if ((x - a0) + (y - b0) < (a1 - x) + (b1 - y)) {
            align(d, a0, x, b0, y);
            a0 = x;
            b0 = y;
        } else {
            align(d, x, a1, y, b1);
            a1 = x;
            b1 = y;
        }
    }
}

int ward_added_lines(const char *a, size_t alen, const char *b, size_t blen,
                     ward_line_range **r, size_t *n)
{
    *r = NULL;
    *n = 0;
    line *la = NULL, *lb = NULL;
    size_t na = split_lines(a, alen, &la), nb = split_lines(b, blen, &lb);
    uint32_t *ia = malloc((na + 1) * sizeof *ia), *ib = malloc((nb + 1) * sizeof *ib);
    size_t *bmap = malloc((nb + 1) * sizeof *bmap);
    unsigned char *added = calloc(nb + 1, 1);
    int *v = malloc(2 * (2 * MAX_COST + 3) * sizeof *v);
    uint32_t *cnt = NULL;
    int rc = -2;
    if (na == SIZE_MAX || nb == SIZE_MAX || !ia || !ib || !bmap || !added || !v ||
        number_lines(la, na, lb, nb, ia, ib, &cnt))
        goto out;
    /* A line on one side only is a change wherever the rest aligns: mark
     * it, and align the others (their numbers packed into ia and ib). */
    size_t ka = 0, kb = 0;
    for (size_t i = 0; i < na; i++)
        if (cnt[2 * ia[i] + 1])
            ia[ka++] = ia[i];
    for (size_t j = 0; j < nb; j++) {
        if (cnt[2 * ib[j]]) {
            bmap[kb] = j;
            ib[kb++] = ib[j];
        } else {
            added[j] = 1;
        }
    }
    differ d = {ia, ib, bmap, added, v, v + 2 * MAX_COST + 3};
    align(&d, 0, ka, 0, kb);
    size_t runs = 0;
    for (size_t j = 0; j < nb; j++)
        runs += added[j] && (j == 0 || !added[j - 1]);
    rc = 0;
    if (runs) {
        ward_line_range *out = malloc(runs * sizeof *out);
        if (!out) {
            rc = -2;
            goto out;
        }
        size_t k = 0;
        for (size_t j = 0; j < nb; j++) {
            if (!added[j])
                continue;
            if (j == 0 || !added[j - 1])
                out[k++].first = j + 1;
            out[k - 1].last = j + 1;
        }
        *r = out;
        *n = runs;
    }
out:
    free(la);
    free(lb);
    free(ia);
    free(ib);
    free(bmap);
    free(added);
    free(v);
    free(cnt);
    return rc;
}
