/* staged.c - the changes staged for the next commit (ward_scan_staged).
 *
 * The index is compared with HEAD's tree, renames are followed, and for
 * each file the index adds or changes, the lines it adds are found with a
 * line diff; the staged blob is scanned whole (so multi-line secrets and
 * path rules work), and only findings touching an added line are
 * delivered.
 *
 * A pre-commit hook runs this before every commit, so it is read without
 * libgit2 (gitdir.c, gitindex.c, linediff.c): loading libgit2 and its TLS
 * library's certificate store took longer than the rest.  The cache tree
 * in the index lets whole folders that HEAD already has go by unread.
 * When the repository is one that reader does not take (gitdir.h), the
 * same comparison is made through libgit2 instead; WARD_STAGED=libgit2
 * forces that, WARD_STAGED=native forbids it (tests).  GIT_INDEX_FILE is
 * honoured either way: `git commit -a` and `git commit PATH` hand the hook
 * the index about to be committed that way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gitdir.h"
#include "gitindex.h"
#include "gitrepo.h"
#include "linediff.h"

#define RENAME_LIMIT 200    /* as libgit2: more added x deleted files than its square, exact renames only */
#define RENAME_SCORE 50     /* percent of lines in common that makes a rename */
#define ALL_LINES UINT64_MAX
#define INDEX_MAX (2ull << 30)

/* ---------------------------------------------------------------------
 * Delivery, for both ways of finding the changes.
 * ------------------------------------------------------------------- */

typedef struct staged_ctx {
    const ward_git_callbacks *cb;
    const ward_line_range *r;
    size_t n;
    int all;       /* every line counts (a binary blob scanned on request) */
    int aborted;
} staged_ctx;

static int staged_finding(const ward_finding *f, void *user)
{
    staged_ctx *s = user;
    int hit = s->all;
    for (size_t i = 0; !hit && i < s->n; i++)
        hit = f->line <= s->r[i].last && f->end_line >= s->r[i].first;
    /* A path-only rule (the file itself is the secret) counts when the
     * file is new or renamed: its ranges then start at line 1. */
    if (!hit || s->cb->on_finding(f, NULL, s->cb->user) == 0)
        return 0;
    s->aborted = 1;
    return 1;
}

typedef struct deliver {
    ward_scanner *sc;
    const ward_git_options *o;
    const ward_git_callbacks *cb;
    uint64_t max_size;
    int errors, aborted;
} deliver;

/* Scans one staged blob; its added lines are r[0..n), or all of them
 * (a binary side: no line diff).  A binary blob is skipped unless asked
 * for.  WARD_OK unless out of memory. */
static ward_status deliver_blob(deliver *dv, const char *path, const char *data, size_t len,
                                const ward_line_range *r, size_t n, int binary, int all)
{
    if (binary && !dv->o->scan_binary) {
        ward_git_event(dv->cb, WARD_EV_SKIPPED, WARD_SKIP_BINARY, path, "skipped", "binary file");
        return WARD_OK;
    }
    staged_ctx s = {dv->cb, r, n, binary || all, 0};
    ward_status st = WARD_OK;
    if (n || s.all)
        st = ward_scan_buffer(dv->sc, data, len, path, staged_finding, &s);
    if (st == WARD_EABORT || s.aborted) {
        dv->aborted = 1;
        st = WARD_OK;
    } else if (st == WARD_ENOMEM) {
        return st;
    } else if (st) {
        dv->errors++;
        ward_git_event(dv->cb, WARD_EV_ERROR, WARD_SKIP_OTHER, path, "cannot scan", ward_strerror(st));
        st = WARD_OK;
    }
    return st;
}

static void cannot_read(deliver *dv, const char *path, const unsigned char *id, const char *why)
{
    char msg[600], hex[41];
    ward_oid_hex(id, hex);
    snprintf(msg, sizeof msg, "%s (object %s)", why, hex);
    dv->errors++;
    ward_git_event(dv->cb, WARD_EV_ERROR, WARD_SKIP_OTHER, path, "cannot read blob", msg);
}

/* ---------------------------------------------------------------------
 * Without libgit2: the index against HEAD's tree.
 * ------------------------------------------------------------------- */

typedef struct change {
    const char *path;          /* the index's, or owned */
    char *owned;               /* set for a path made from a sparse folder's tree */
    unsigned mode;
    unsigned char id[20];
    unsigned char old[20];     /* what it replaces, when has_old */
    int has_old;
    int renamed;               /* found under another path in HEAD */
} change;

typedef struct gone {
    char *path;                /* malloc'd */
    unsigned char id[20];
    int is_tree;               /* a whole folder, expanded when renames are looked for */
    int taken;
} gone;

typedef struct native {
    ward_gitdir g;
    ward_index ix;
    change *ch;
    size_t nch, capch;
    gone *del;
    size_t ndel, capdel;
    char why[256];
} native;

static change *new_change(native *nv)
{
    if (nv->nch == nv->capch) {
        size_t cap = nv->capch ? nv->capch * 2 : 16;
        change *v = realloc(nv->ch, cap * sizeof *v);
        if (!v)
            return NULL;
        nv->ch = v;
        nv->capch = cap;
    }
    change *c = &nv->ch[nv->nch++];
    memset(c, 0, sizeof *c);
    return c;
}

/* A change: path (owned when own is set), mode and id on the index's side,
 * what it replaces (NULL: nothing). */
static int add_change_at(native *nv, const char *path, char *own, unsigned mode,
                         const unsigned char *id, const unsigned char *old)
{
    change *c = new_change(nv);
    if (!c) {
        free(own);
        return -2;
    }
    c->path = path;
    c->owned = own;
    c->mode = mode;
    memcpy(c->id, id, 20);
    if (old) {
        memcpy(c->old, old, 20);
        c->has_old = 1;
    }
    return 0;
}

static int add_change(native *nv, const ward_index_entry *e, const unsigned char *old)
{
    if (e->intent_to_add)
        return 0; /* `git add -N`: not in the next commit */
    return add_change_at(nv, e->path, NULL, e->mode, e->id, old);
}

static int add_gone(native *nv, const char *prefix, size_t plen, const char *name, size_t nlen,
                    const unsigned char *id, int is_tree)
{
    if (nv->ndel == nv->capdel) {
        size_t cap = nv->capdel ? nv->capdel * 2 : 16;
        gone *v = realloc(nv->del, cap * sizeof *v);
        if (!v)
            return -2;
        nv->del = v;
        nv->capdel = cap;
    }
    char *p = malloc(plen + nlen + 1);
    if (!p)
        return -2;
    memcpy(p, prefix, plen);
    memcpy(p + plen, name, nlen);
    p[plen + nlen] = '\0';
    gone *d = &nv->del[nv->ndel++];
    memset(d, 0, sizeof *d);
    d->path = p;
    memcpy(d->id, id, 20);
    d->is_tree = is_tree;
    return 0;
}

/* Orders a tree entry's name (with a '/' after a folder's) against an
 * index path's next component, as both git's trees and its index sort. */
static int key_cmp(const char *a, size_t an, int adir, const char *b, size_t bn, int bdir)
{
    size_t m = an < bn ? an : bn;
    int c = memcmp(a, b, m);
    if (c)
        return c;
    int ca = m < an ? (unsigned char)a[m] : adir ? '/' : -1;
    int cb = m < bn ? (unsigned char)b[m] : bdir ? '/' : -1;
    /* past m, each name either ended or goes on with '/' as a folder */
    return ca == cb ? 0 : ca < cb ? -1 : 1;
}

static int read_tree(native *nv, const unsigned char *id, unsigned char **data, size_t *len)
{
    int type;
    char err[160];
    int rc = ward_gitdir_read(&nv->g, id, 0, &type, data, len, NULL, err, sizeof err);
    if (rc == WARD_PACK_NOMEM)
        return -2;
    if (rc != WARD_PACK_OK || type != WARD_OBJ_TREE) {
        free(*data);
        *data = NULL;
        snprintf(nv->why, sizeof nv->why, "a tree of HEAD cannot be read here (%s)",
                 rc == WARD_PACK_NOT_FOUND ? "not found" : rc == WARD_PACK_OK ? "not a tree" : err);
        return -1;
    }
    return 0;
}

static const ward_cache_tree *ct_child(const ward_cache_tree *ct, const char *name, size_t n)
{
    for (const ward_cache_tree *c = ct ? ct->child : NULL; c; c = c->next)
        if (c->name_len == n && !memcmp(c->name, name, n))
            return c;
    return NULL;
}

static int is_file(unsigned mode)
{
    return (mode & 0170000) == 0100000 || mode == 0120000;
}

/* A sparse index keeps a folder outside the sparse checkout as one entry,
 * its tree: the folder new (old NULL) or changed against HEAD's tree old
 * is compared tree against tree, its files added as changes with paths of
 * their own.  0, -1 (nv->why), -2. */
static int diff_trees(native *nv, const char *prefix, size_t plen, const unsigned char *old,
                      const unsigned char *new, int depth)
{
    if (depth > 4096) {
        snprintf(nv->why, sizeof nv->why, "folders nested too deep");
        return -1;
    }
    unsigned char *od = NULL, *nd = NULL;
    size_t ol = 0, nl = 0, oo = 0, no = 0;
    int rc = old ? read_tree(nv, old, &od, &ol) : 0;
    if (!rc)
        rc = read_tree(nv, new, &nd, &nl);
    ward_tree_entry a, b;
    int ha = old && !rc ? ward_tree_next(od, ol, &oo, &a) : 0;
    int hb = !rc ? ward_tree_next(nd, nl, &no, &b) : 0;
    while (!rc && (ha > 0 || hb > 0)) {
        if (ha < 0 || hb < 0) {
            snprintf(nv->why, sizeof nv->why, "a malformed tree");
            rc = -1;
            break;
        }
        int adir = ha > 0 && a.mode == 040000, bdir = hb > 0 && b.mode == 040000;
        int c = ha <= 0 ? 1 : hb <= 0 ? -1 : key_cmp(a.name, a.name_len, adir, b.name, b.name_len, bdir);
        if (c < 0) { /* only in HEAD */
            if (adir || is_file(a.mode))
                rc = add_gone(nv, prefix, plen, a.name, a.name_len, a.id, adir);
            ha = ward_tree_next(od, ol, &oo, &a);
            continue;
        }
        if (c > 0 || memcmp(a.id, b.id, 20) || a.mode != b.mode) {
            char *path = malloc(plen + b.name_len + 2);
            if (!path) {
                rc = -2;
                break;
            }
            memcpy(path, prefix, plen);
            memcpy(path + plen, b.name, b.name_len);
            path[plen + b.name_len] = '\0';
            if (bdir) {
                path[plen + b.name_len] = '/';
                rc = diff_trees(nv, path, plen + b.name_len + 1, c == 0 && adir ? a.id : NULL,
                                b.id, depth + 1);
                free(path);
            } else if (is_file(b.mode) || b.mode == 0160000) {
                int same_kind = c == 0 && is_file(a.mode) && is_file(b.mode);
                rc = add_change_at(nv, path, path, b.mode, b.id, same_kind ? a.id : NULL);
            } else {
                free(path);
            }
        }
        if (c == 0)
            ha = ward_tree_next(od, ol, &oo, &a);
        hb = ward_tree_next(nd, nl, &no, &b);
    }
    free(od);
    free(nd);
    return rc;
}

/* The index entries [lo, hi) (all under prefix, plen bytes with its '/')
 * against the HEAD folder tree (NULL: none).  0, -1 (nv->why), -2. */
static int diff_dir(native *nv, const char *prefix, size_t plen, const unsigned char *tree,
                    size_t lo, size_t hi, const ward_cache_tree *ct, int depth)
{
    if (depth > 4096) {
        snprintf(nv->why, sizeof nv->why, "folders nested too deep");
        return -1;
    }
    if (tree && ct && ct->entries >= 0 && (size_t)ct->entries == hi - lo && !memcmp(ct->id, tree, 20))
        return 0; /* the index holds this very folder */
    unsigned char *data = NULL;
    size_t len = 0, off = 0;
    int rc = tree ? read_tree(nv, tree, &data, &len) : 0;
    if (rc)
        return rc;
    ward_tree_entry te;
    int have = tree ? ward_tree_next(data, len, &off, &te) : 0;
    size_t i = lo;
    while (rc == 0 && (have > 0 || i < hi)) {
        if (have < 0) {
            snprintf(nv->why, sizeof nv->why, "a malformed tree in HEAD");
            rc = -1;
            break;
        }
        const ward_index_entry *e = i < hi ? &nv->ix.e[i] : NULL;
        const char *name = e ? e->path + plen : NULL;
        size_t nlen = e ? e->path_len - plen : 0;
        const char *slash = e ? memchr(name, '/', nlen) : NULL;
        size_t klen = slash ? (size_t)(slash - name) : nlen;
        int tdir = have > 0 && te.mode == 040000;
        int c = have <= 0 ? 1 : !e ? -1 : key_cmp(te.name, te.name_len, tdir, name, klen, slash != NULL);
        if (c < 0) { /* only in HEAD */
            if (tdir || (te.mode & 0170000) == 0100000 || te.mode == 0120000)
                rc = add_gone(nv, prefix, plen, te.name, te.name_len, te.id, tdir);
            have = ward_tree_next(data, len, &off, &te);
            continue;
        }
        /* the index entries of this name: one file, or a folder's many */
        size_t j = i + 1;
        if (slash)
            while (j < hi && nv->ix.e[j].path_len > plen + klen &&
                   !memcmp(nv->ix.e[j].path + plen, name, klen) && nv->ix.e[j].path[plen + klen] == '/')
                j++;
        int sparse = slash && e->mode == 040000 && klen + 1 == nlen; /* "name/": a tree */
        if (sparse) {
            if (c > 0 || memcmp(te.id, e->id, 20))
                rc = diff_trees(nv, e->path, e->path_len, c == 0 ? te.id : NULL, e->id, depth + 1);
        } else if (c > 0) { /* only in the index */
            for (size_t k = i; k < j && !rc; k++)
                rc = add_change(nv, &nv->ix.e[k], NULL);
        } else if (slash) { /* a folder on both sides */
            const ward_cache_tree *sub = ct_child(ct, name, klen);
            rc = diff_dir(nv, e->path, plen + klen + 1, te.id, i, j, sub, depth + 1);
        } else if (memcmp(te.id, e->id, 20) || (te.mode == 0160000) != (e->mode == 0160000)) {
            rc = add_change(nv, e, te.mode == 0160000 || e->mode == 0160000 ? NULL : te.id);
        }
        i = j;
        if (c == 0)
            have = ward_tree_next(data, len, &off, &te);
    }
    free(data);
    return rc;
}

/* Every file under a deleted folder, for renames out of it. */
static int expand_gone(native *nv, size_t k, int depth)
{
    if (depth > 4096) {
        snprintf(nv->why, sizeof nv->why, "folders nested too deep");
        return -1;
    }
    unsigned char id[20];
    memcpy(id, nv->del[k].id, 20);
    const char *prefix = nv->del[k].path; /* its own allocation: stays while del grows */
    nv->del[k].taken = 1; /* the folder itself is not a candidate */
    unsigned char *data = NULL;
    size_t len = 0, off = 0;
    int rc = read_tree(nv, id, &data, &len);
    if (rc)
        return rc;
    size_t plen = strlen(prefix);
    char *dir = malloc(plen + 2);
    if (!dir) {
        free(data);
        return -2;
    }
    memcpy(dir, prefix, plen);
    dir[plen] = '/';
    ward_tree_entry te;
    int r;
    while (rc == 0 && (r = ward_tree_next(data, len, &off, &te)) > 0) {
        int tdir = te.mode == 040000;
        if (!tdir && (te.mode & 0170000) != 0100000 && te.mode != 0120000)
            continue;
        size_t at = nv->ndel;
        rc = add_gone(nv, dir, plen + 1, te.name, te.name_len, te.id, tdir);
        if (!rc && tdir)
            rc = expand_gone(nv, at, depth + 1);
    }
    free(dir);
    free(data);
    return rc;
}

/* The lines two texts share, as a percentage of the longer's lines. */
static int similarity(const char *a, size_t alen, const char *b, size_t blen)
{
    ward_line_range *r = NULL;
    size_t n = 0;
    if (ward_added_lines(a, alen, b, blen, &r, &n))
        return 0;
    uint64_t added = 0, lines_b = 0, lines_a = 0;
    for (size_t i = 0; i < n; i++)
        added += r[i].last - r[i].first + 1;
    free(r);
    for (size_t i = 0; i < blen; i++)
        lines_b += b[i] == '\n';
    lines_b += blen && b[blen - 1] != '\n';
    for (size_t i = 0; i < alen; i++)
        lines_a += a[i] == '\n';
    lines_a += alen && a[alen - 1] != '\n';
    uint64_t same = lines_b - added, most = lines_a > lines_b ? lines_a : lines_b;
    return most ? (int)(same * 100 / most) : 0;
}

/* Pairs added files with deleted ones: the same blob first, then (while
 * the pairs to try stay few) the most alike above RENAME_SCORE. */
static int find_renames(native *nv, uint64_t max_size)
{
    size_t nadd = 0;
    for (size_t i = 0; i < nv->nch; i++)
        nadd += !nv->ch[i].has_old && nv->ch[i].mode != 0160000;
    if (!nadd || !nv->ndel)
        return 0;
    for (size_t k = 0; k < nv->ndel; k++) { /* grows as it goes */
        if (nv->del[k].is_tree && !nv->del[k].taken) {
            int rc = expand_gone(nv, k, 0);
            if (rc)
                return rc;
        }
    }
    size_t ncand = 0;
    for (size_t i = 0; i < nv->nch; i++) {
        change *c = &nv->ch[i];
        if (c->has_old || c->mode == 0160000)
            continue;
        for (size_t k = 0; k < nv->ndel; k++) {
            gone *d = &nv->del[k];
            if (d->is_tree || d->taken)
                continue;
            ncand++;
            if (!memcmp(d->id, c->id, 20)) {
                d->taken = 1;
                memcpy(c->old, d->id, 20);
                c->has_old = c->renamed = 1;
                break;
            }
        }
    }
    if (ncand > (size_t)RENAME_LIMIT * RENAME_LIMIT)
        return 0;
    for (size_t i = 0; i < nv->nch; i++) {
        change *c = &nv->ch[i];
        if (c->has_old || c->mode == 0160000)
            continue;
        unsigned char *nd = NULL;
        size_t nl;
        int type;
        char err[256];
        int rc = ward_gitdir_read(&nv->g, c->id, max_size, &type, &nd, &nl, NULL, err, sizeof err);
        if (rc == WARD_PACK_NOMEM)
            return -2;
        if (rc != WARD_PACK_OK || ward_git_binary((char *)nd, nl)) {
            free(nd);
            continue; /* said when it is delivered */
        }
        int best = -1, best_score = RENAME_SCORE - 1;
        for (size_t k = 0; k < nv->ndel; k++) {
            gone *d = &nv->del[k];
            if (d->is_tree || d->taken)
                continue;
            unsigned char *od = NULL;
            size_t ol;
            rc = ward_gitdir_read(&nv->g, d->id, max_size, &type, &od, &ol, NULL, err, sizeof err);
            if (rc == WARD_PACK_NOMEM) {
                free(nd);
                return -2;
            }
            if (rc == WARD_PACK_OK && !ward_git_binary((char *)od, ol)) {
                int s = similarity((char *)od, ol, (char *)nd, nl);
                if (s > best_score) {
                    best_score = s;
                    best = (int)k;
                }
            }
            free(od);
        }
        free(nd);
        if (best >= 0) {
            nv->del[best].taken = 1;
            memcpy(c->old, nv->del[best].id, 20);
            c->has_old = c->renamed = 1;
        }
    }
    return 0;
}

static void native_free(native *nv)
{
    for (size_t k = 0; k < nv->ndel; k++)
        free(nv->del[k].path);
    free(nv->del);
    for (size_t i = 0; i < nv->nch; i++)
        free(nv->ch[i].owned);
    free(nv->ch);
    ward_index_free(&nv->ix);
    ward_gitdir_close(&nv->g);
}

/* Reads the index named by g->index: 0, -1 (nv->why), -2. */
static int read_index(native *nv)
{
    size_t n = 0;
    unsigned char *buf = (unsigned char *)ward_file_read(nv->g.index, INDEX_MAX, &n);
    if (!buf && errno == ENOENT)
        return 0; /* nothing staged yet: an empty index */
    if (!buf && errno == ENOMEM)
        return -2;
    if (!buf) {
        snprintf(nv->why, sizeof nv->why, "cannot read the index '%.180s'", nv->g.index);
        return -1;
    }
    int rc = ward_index_parse(buf, n, &nv->ix, nv->why, sizeof nv->why);
    free(buf); /* the parser keeps copies of the paths */
    return rc;
}

/* The staged changes without libgit2: 0 when done (*st says how), 1 when
 * libgit2 must do it (nothing was delivered; why says why). */
static int staged_native(const char *repo, deliver *dv, ward_status *st_out, char *why,
                         size_t whylen)
{
    native nv;
    memset(&nv, 0, sizeof nv);
    int rc = ward_gitdir_open(repo, &nv.g, nv.why, sizeof nv.why);
    unsigned char head[20];
    int unborn = 0;
    if (rc == 0)
        rc = read_index(&nv);
    if (rc == 0) {
        int h = ward_gitdir_head_tree(&nv.g, head, nv.why, sizeof nv.why);
        unborn = h == 1;
        rc = h < 0 ? -1 : 0;
    }
    if (rc == 0)
        rc = diff_dir(&nv, "", 0, unborn ? NULL : head, 0, nv.ix.n, nv.ix.tree, 0);
    if (rc == 0)
        rc = find_renames(&nv, dv->max_size);
    if (rc == -2) {
        native_free(&nv);
        *st_out = WARD_ENOMEM;
        return 0;
    }
    if (rc) {
        snprintf(why, whylen, "%s", nv.why);
        native_free(&nv);
        return 1;
    }
    ward_status st = WARD_OK;
    for (size_t i = 0; i < nv.nch && !st && !dv->aborted; i++) {
        change *c = &nv.ch[i];
        if (c->mode == 0160000) {
            ward_git_event(dv->cb, WARD_EV_SKIPPED, WARD_SKIP_OTHER, c->path, "skipped", "submodule");
            continue;
        }
        if (c->renamed && !memcmp(c->old, c->id, 20))
            continue; /* moved as it was: nothing added */
        unsigned char *data = NULL, *old = NULL;
        size_t len = 0, olen = 0;
        uint64_t size = 0;
        int type;
        char err[256] = "";
        int r = ward_gitdir_read(&nv.g, c->id, dv->max_size, &type, &data, &len, &size, err, sizeof err);
        if (r == WARD_PACK_TOO_BIG) {
            ward_git_event(dv->cb, WARD_EV_SKIPPED, WARD_SKIP_SIZE, c->path, "skipped", "over the size limit");
            continue;
        }
        if (r == WARD_PACK_NOMEM) {
            st = WARD_ENOMEM;
            break;
        }
        if (r != WARD_PACK_OK || type != WARD_OBJ_BLOB) {
            free(data);
            cannot_read(dv, c->path, c->id, r == WARD_PACK_NOT_FOUND ? "object not found"
                                            : r == WARD_PACK_OK ? "not a blob" : err);
            continue;
        }
        int binary = ward_git_binary((char *)data, len), old_binary = 0;
        ward_line_range all = {1, ALL_LINES}, *ranges = &all;
        size_t n = len ? 1 : 0;
        if (c->has_old && !binary) {
            r = ward_gitdir_read(&nv.g, c->old, 0, &type, &old, &olen, NULL, err, sizeof err);
            if (r == WARD_PACK_NOMEM) {
                free(data);
                st = WARD_ENOMEM;
                break;
            }
            if (r == WARD_PACK_OK && ward_git_binary((char *)old, olen)) {
                old_binary = 1; /* as git's diff: either side binary, the whole file */
            } else if (r == WARD_PACK_OK) {
                if (ward_added_lines((char *)old, olen, (char *)data, len, &ranges, &n)) {
                    free(old);
                    free(data);
                    st = WARD_ENOMEM;
                    break;
                }
            }
            /* an old side that cannot be read: the whole file counts */
            free(old);
        }
        st = deliver_blob(dv, c->path, (char *)data, len, ranges, n, binary, old_binary);
        if (ranges != &all)
            free(ranges);
        free(data);
    }
    native_free(&nv);
    *st_out = st;
    return 0;
}

/* ---------------------------------------------------------------------
 * Through libgit2: its diff of HEAD's tree with the index, with renames.
 * ------------------------------------------------------------------- */

static ward_status staged_file(git_repository *repo, git_patch *patch, const git_diff_delta *d,
                               deliver *dv)
{
    const char *path = d->new_file.path;
    if (d->new_file.mode == GIT_FILEMODE_COMMIT) {
        ward_git_event(dv->cb, WARD_EV_SKIPPED, WARD_SKIP_OTHER, path, "skipped", "submodule");
        return WARD_OK;
    }
    if (d->new_file.size > dv->max_size) {
        ward_git_event(dv->cb, WARD_EV_SKIPPED, WARD_SKIP_SIZE, path, "skipped", "over the size limit");
        return WARD_OK;
    }
    git_blob *blob;
    if (git_blob_lookup(&blob, repo, &d->new_file.id) < 0) {
        cannot_read(dv, path, d->new_file.id.id, ward_git_msg());
        return WARD_OK;
    }
    const char *data = git_blob_rawcontent(blob);
    size_t len = (size_t)git_blob_rawsize(blob);
    size_t nh = patch ? git_patch_num_hunks(patch) : 0;
    ward_line_range *r = calloc(nh + 1, sizeof *r);
    if (!r) {
        git_blob_free(blob);
        return WARD_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < nh; i++) {
        const git_diff_hunk *hk;
        size_t lines;
        if (git_patch_get_hunk(&hk, &lines, patch, i) == 0 && hk->new_lines > 0)
            r[n++] = (ward_line_range){(uint64_t)hk->new_start,
                                       (uint64_t)hk->new_start + (uint64_t)hk->new_lines - 1};
    }
    ward_status st = deliver_blob(dv, path, data, len, r, n, ward_git_binary(data, len),
                                  (d->flags & GIT_DIFF_FLAG_BINARY) != 0);
    free(r);
    git_blob_free(blob);
    return st;
}

static ward_status staged_libgit2(const char *repo, deliver *dv, char *errbuf, size_t errlen)
{
    if (ward_git2_init(errbuf, errlen))
        return WARD_EIO;
    git_repository *r = NULL;
    git_index *idx = NULL;
    git_commit *commit = NULL;
    git_tree *tree = NULL;
    git_diff *diff = NULL;
    ward_status st = ward_git_open(repo, &r, errbuf, errlen);
    if (st)
        goto out;
    if (git_repository_is_bare(r)) {
        ward_set_err(errbuf, errlen, "'%s' is a bare repository: nothing is staged",
                repo ? repo : ".");
        st = WARD_EINVAL;
        goto out;
    }
    const char *index_file = getenv("GIT_INDEX_FILE");
    if ((index_file && *index_file ? git_index_open(&idx, index_file)
                                   : git_repository_index(&idx, r)) < 0) {
        ward_set_err(errbuf, errlen, "cannot open the index: %s", ward_git_msg());
        st = WARD_EIO;
        goto out;
    }
    /* no tree only before the first commit: HEAD naming a commit that
     * cannot be read is an error, not an empty history.  (Not through
     * git_revparse_single("HEAD^{tree}"), which leaks a reference in
     * libgit2 1.5 when the commit is missing.) */
    git_oid hid;
    if (git_reference_name_to_id(&hid, r, "HEAD") == 0) {
        if (git_commit_lookup(&commit, r, &hid) < 0 || git_commit_tree(&tree, commit) < 0) {
            ward_set_err(errbuf, errlen, "cannot read HEAD: %s", ward_git_msg());
            st = WARD_EIO;
            goto out;
        }
    } else if (git_repository_head_unborn(r) != 1) {
        ward_set_err(errbuf, errlen, "cannot read HEAD: %s", ward_git_msg());
        st = WARD_EIO;
        goto out;
    }
    git_diff_options dopt;
    git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
    dopt.context_lines = 0;
    dopt.interhunk_lines = 0;
    if (git_diff_tree_to_index(&diff, r, tree, idx, &dopt) < 0) {
        ward_set_err(errbuf, errlen, "cannot compare the index with HEAD: %s", ward_git_msg());
        st = WARD_EIO;
        goto out;
    }
    git_diff_find_options fopt;
    git_diff_find_options_init(&fopt, GIT_DIFF_FIND_OPTIONS_VERSION);
    fopt.flags = GIT_DIFF_FIND_RENAMES;
    if (git_diff_find_similar(diff, &fopt) < 0) {
        ward_set_err(errbuf, errlen, "cannot compare the index with HEAD: %s", ward_git_msg());
        st = WARD_EIO;
        goto out;
    }
    size_t nd = git_diff_num_deltas(diff);
    for (size_t i = 0; i < nd && !st && !dv->aborted; i++) {
        const git_diff_delta *d = git_diff_get_delta(diff, i);
        if (d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_UNMODIFIED ||
            d->status == GIT_DELTA_IGNORED || d->status == GIT_DELTA_UNTRACKED)
            continue;
        git_patch *patch = NULL;
        if (d->new_file.mode != GIT_FILEMODE_COMMIT && d->new_file.size <= dv->max_size &&
            git_patch_from_diff(&patch, diff, i) < 0) {
            cannot_read(dv, d->new_file.path, d->new_file.id.id, ward_git_msg());
            continue;
        }
        st = staged_file(r, patch, d, dv);
        git_patch_free(patch);
    }
out:
    git_diff_free(diff);
    git_tree_free(tree);
    git_commit_free(commit);
    git_index_free(idx);
    git_repository_free(r);
    git_libgit2_shutdown();
    return st;
}

ward_status ward_scan_staged(const ward_engine *e, const char *repo,
                             const ward_git_options *opts, const ward_git_callbacks *cb,
                             char *errbuf, size_t errlen)
{
    ward_git_options oo;
    ward_status st = ward_git_check(e, opts, cb, &oo, errbuf, errlen);
    if (st)
        return st;
    deliver dv = {NULL, &oo, cb, oo.max_file_size ? oo.max_file_size : WARD_GIT_MAX_BLOB, 0, 0};
    if ((st = ward_scanner_new(e, &dv.sc)))
        return st;
    const char *how = getenv("WARD_STAGED");
    int through_libgit2 = how && !strcmp(how, "libgit2");
    if (!through_libgit2) {
        char why[256] = "";
        through_libgit2 = staged_native(repo, &dv, &st, why, sizeof why);
        if (through_libgit2 && how && !strcmp(how, "native")) {
            ward_set_err(errbuf, errlen, "WARD_STAGED=native, but libgit2 is needed: %s", why);
            through_libgit2 = 0;
            st = WARD_EIO;
        }
    }
    if (through_libgit2)
        st = staged_libgit2(repo, &dv, errbuf, errlen);
    ward_scanner_free(dv.sc);
    if (st)
        return st;
    if (dv.aborted)
        return WARD_EABORT;
    return dv.errors ? WARD_EPARTIAL : WARD_OK;
}
