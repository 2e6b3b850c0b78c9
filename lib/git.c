/* git.c - a repository's history.
 *
 * History (ward_scan_git).  The commit graph is walked by hand rather than
 * with git_revwalk, so that a missing or corrupt commit, and the boundary of
 * a shallow clone (which libgit2 1.5 does not understand), are reported and
 * passed over instead of ending the walk.  The graph holds 20-byte ids and
 * a few integers per commit; commits are then ordered parents first, oldest
 * first among those ready (Kahn's algorithm with a heap on commit time).
 *
 * Commits come parents first, so whatever a commit shares with its parents
 * is already in a set of ids seen (trees, blobs and gitlinks; open
 * addressing over bare 20-byte ids, sized from the packs' object counts
 * before the walk so it never doubles while full): one lookup per tree
 * entry skips
 * anything met before at any path.  So every distinct blob is read once,
 * attributed to the first commit in that order which introduced it, and an
 * unchanged subtree is never opened twice.  A blob that only existed in one
 * commit is still found: it is new in that commit's tree.
 *
 * Commits and trees are read raw and parsed here; objects come from the
 * pack files through ward's reader (pack.c: no lock, a delta-base cache per
 * thread), and from libgit2 when they are not in a pack.  Blobs go to a
 * pool of workers, each with its own reader, libgit2 handle and scanner.  Jobs sit in a ring of fixed size; the
 * calling thread produces them in commit order and delivers each job's
 * findings in that order, so output does not depend on the thread count.  A
 * job with findings keeps its blob until delivery (findings point into it);
 * others release it at once, so memory is bounded by the ring.
 *
 * Staged changes are in staged.c, opening and naming a repository in
 * gitrepo.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <git2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gitrepo.h"
#include "history.h"
#include "pack.h"
#include "queue.h"
#include "sweep.h"

#define RING 128u                  /* jobs in flight */
#define WAKE_BATCH 16u             /* queued jobs that wake the workers */
#define MAX_PATH_LEN 65536u
#define MAX_FINDINGS_PER_BLOB 100000u
/* Caches of resolved objects (delta bases): the walking thread's, for
 * commits and trees, and the workers' together, for blobs.  On git/git
 * (-j2) halving both from 32 MiB took 45 MiB off peak memory for about 8 %
 * more wall time; with the ring at 128 jobs and pack pages dropped every
 * 16 MiB, peak RSS went from 410 MiB to 189 MiB (bench/runs). */
#define WALK_CACHE (16u << 20)
#define WORKER_CACHE_TOTAL (16u << 20)
/* Each sweeping thread's: in pack order a delta follows its base closely,
 * so 8 MiB did as well as 16 on git/git (8.5-8.9 s either way, three pairs)
 * and took 20 MiB off its peak (102-106 MiB against 123-125). */
#define SWEEP_CACHE (8u << 20)



/* ---------------------------------------------------------------------
 * A set of object ids.  An all-zero slot is empty (no object has that id).
 * ------------------------------------------------------------------- */

typedef struct oidset {
    unsigned char (*slot)[GIT_OID_RAWSZ];
    size_t cap, n;
} oidset;

static size_t oid_hash(const unsigned char *id)
{
    size_t h;
    memcpy(&h, id, sizeof h); /* ids are SHA-1: already uniform */
    return h;
}

static int oid_zero(const unsigned char *id)
{
    for (int i = 0; i < GIT_OID_RAWSZ; i++)
        if (id[i])
            return 0;
    return 1;
}

/* Loads the cache line a later oidset_add(s, id) will look at first. */
static void oidset_prefetch(const oidset *s, const unsigned char *id)
{
    if (s->cap)
        __builtin_prefetch(s->slot[oid_hash(id) & (s->cap - 1)]);
}

/* Room for n ids at most 70 % full: cap becomes 1024 or more, a power of
 * two.  0, or -1 out of memory. */
static int oidset_reserve(oidset *s, size_t n)
{
    size_t cap = s->cap ? s->cap : 1024;
    while (n * 10 > cap * 7) {
        if (cap > SIZE_MAX / 2 / GIT_OID_RAWSZ)
            return -1;
        cap *= 2;
    }
    if (cap == s->cap)
        return 0;
    unsigned char (*slot)[GIT_OID_RAWSZ] = calloc(cap, GIT_OID_RAWSZ);
    if (!slot)
        return -1;
    for (size_t i = 0; i < s->cap; i++) {
        if (oid_zero(s->slot[i]))
            continue;
        size_t j = oid_hash(s->slot[i]) & (cap - 1);
        while (!oid_zero(slot[j]))
            j = (j + 1) & (cap - 1);
        memcpy(slot[j], s->slot[i], GIT_OID_RAWSZ);
    }
    free(s->slot);
    s->slot = slot;
    s->cap = cap;
    return 0;
}

/* 1 when added, 0 when already there, -1 out of memory. */
static int oidset_add(oidset *s, const git_oid *oid)
{
    const unsigned char *id = oid->id;
    if (oid_zero(id))
        return 0;
    if ((s->n + 1) * 10 > s->cap * 7 && oidset_reserve(s, s->n + 1) < 0)
        return -1;
    /* the first 8 bytes are the hash: compare them as a word first */
    size_t h = oid_hash(id), j = h & (s->cap - 1);
    while (!oid_zero(s->slot[j])) {
        if (oid_hash(s->slot[j]) == h &&
            !memcmp(s->slot[j] + sizeof h, id + sizeof h, GIT_OID_RAWSZ - sizeof h))
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    memcpy(s->slot[j], id, GIT_OID_RAWSZ);
    s->n++;
    return 1;
}

static int oidset_has(const oidset *s, const git_oid *oid)
{
    if (!s->cap)
        return 0;
    size_t j = oid_hash(oid->id) & (s->cap - 1);
    while (!oid_zero(s->slot[j])) {
        if (!memcmp(s->slot[j], oid->id, GIT_OID_RAWSZ))
            return 1;
        j = (j + 1) & (s->cap - 1);
    }
    return 0;
}



/* ---------------------------------------------------------------------
 * The commit graph.
 * ------------------------------------------------------------------- */

enum { N_PARSED = 1, N_HIDDEN = 2, N_MISSING = 4, N_BOUNDARY = 8 };

typedef struct cnode {
    git_oid id;
    int64_t time;
    uint32_t par_off;   /* into graph.par */
    uint32_t npar;
    uint32_t pending;   /* parents not yet ordered */
    uint32_t child_off; /* into graph.child */
    uint32_t nchild;
    uint8_t flags;
    uint8_t has_digest; /* after a sweep: digest is its tree's */
    uint64_t digest;
} cnode;

typedef struct graph {
    cnode *v;
    size_t n, cap;
    uint32_t *par;
    size_t npar, parcap;
    uint32_t *child;
    uint32_t *index;    /* open addressing over v by id; UINT32_MAX = empty */
    size_t icap;
    oidset shallow;     /* commits named in the shallow file */
} graph;

static int graph_grow_index(graph *g)
{
    size_t cap = g->icap ? g->icap * 2 : 1024;
    uint32_t *ix = malloc(cap * sizeof *ix);
    if (!ix)
        return -1;
    memset(ix, 0xff, cap * sizeof *ix);
    for (size_t i = 0; i < g->n; i++) {
        size_t j = oid_hash(g->v[i].id.id) & (cap - 1);
        while (ix[j] != UINT32_MAX)
            j = (j + 1) & (cap - 1);
        ix[j] = (uint32_t)i;
    }
    free(g->index);
    g->index = ix;
    g->icap = cap;
    return 0;
}

/* Index of the node for id, creating it (flags) when absent; *created says
 * which.  UINT32_MAX on allocation failure or past the cap. */
/* The node of id, or UINT32_MAX. */
static uint32_t graph_find(const graph *g, const git_oid *id)
{
    if (!g->icap)
        return UINT32_MAX;
    for (size_t j = oid_hash(id->id) & (g->icap - 1); g->index[j] != UINT32_MAX;
         j = (j + 1) & (g->icap - 1))
        if (git_oid_equal(&g->v[g->index[j]].id, id))
            return g->index[j];
    return UINT32_MAX;
}

static uint32_t graph_node(graph *g, const git_oid *id, uint8_t flags, int *created)
{
    *created = 0;
    if ((g->n + 1) * 2 > g->icap && graph_grow_index(g) < 0)
        return UINT32_MAX;
    size_t j = oid_hash(id->id) & (g->icap - 1);
    while (g->index[j] != UINT32_MAX) {
        if (git_oid_equal(&g->v[g->index[j]].id, id))
            return g->index[j];
        j = (j + 1) & (g->icap - 1);
    }
    if (g->n >= UINT32_MAX - 1)
        return UINT32_MAX; /* node numbers are 32-bit: 4 G commits */
    if (g->n == g->cap) {
        /* by a quarter once large: doubling left 560,000 commits in room
         * for a million (glibc's realloc of a large block moves no bytes) */
        size_t cap = g->cap < 65536 ? (g->cap ? g->cap * 2 : 1024) : g->cap + g->cap / 4;
        cnode *v = realloc(g->v, cap * sizeof *v);
        if (!v)
            return UINT32_MAX;
        g->v = v;
        g->cap = cap;
    }
    memset(&g->v[g->n], 0, sizeof g->v[g->n]);
    git_oid_cpy(&g->v[g->n].id, id);
    g->v[g->n].flags = flags;
    g->index[j] = (uint32_t)g->n;
    *created = 1;
    return (uint32_t)g->n++;
}

static void graph_free(graph *g)
{
    free(g->v);
    free(g->par);
    free(g->child);
    free(g->index);
    free(g->shallow.slot);
}

typedef struct hist {
    const ward_engine *e;
    const ward_git_options *o;
    const ward_git_callbacks *cb;
    git_repository *repo;
    git_odb *odb;
    ward_packs *packs;         /* shared by every thread, read-only */
    ward_pack_reader *rd;      /* the walking thread's reader */
    git_oid *pv;               /* a commit's parents, while it is parsed */
    size_t pcap;
    graph g;
    oidset seen;
    /* With hidden commits (a range, --since-commit, a datastore's tips):
     * the commits to walk, from libgit2's revision walk, which stops by
     * date once only hidden commits are left; a commit outside it is a
     * hidden boundary.  Unused (limited = 0) without hidden commits. */
    oidset visible;
    int limited;
    uint64_t max_size;
    int errors;
    int partial;               /* a partial clone: objects may be left out on purpose */
    uint64_t missing;          /* objects a partial clone does not hold */
    int aborted;
    ward_status fatal;
    char *err;
    size_t errlen;
    struct pool *pool;         /* while blobs are scanned: events go through its queue */
    ward_sweep *sweep;         /* a whole history: blobs scanned in pack order first */
    /* While the graph is built beside a sweep: its events wait here, and
     * each commit's tree (by node) for the digest the sweep gives later. */
    int deferring;
    ward_status collected;     /* what collect returned on its thread */
    struct devent { ward_event_kind kind; ward_skip_kind skip; char *path, *what, *msg; } *dev;
    size_t n_dev, cap_dev;
    git_oid *trees;
    size_t cap_trees;
} hist;

static void walk_event(struct pool *p, ward_event_kind kind, ward_skip_kind skip,
                       const char *path, const char *what, const char *msg);

/* An event the walking thread meets.  Before the scan starts it is
 * delivered at once; during it, it is queued, to come out in order and
 * never beside a worker's delivery.  Errors are counted where they are
 * delivered. */
static void hevent(hist *h, ward_event_kind kind, ward_skip_kind skip, const char *path,
                   const char *what, const char *msg)
{
    if (h->pool) {
        walk_event(h->pool, kind, skip, path, what, msg);
        return;
    }
    if (h->deferring) {
        if (h->n_dev == h->cap_dev) {
            size_t cap = h->cap_dev ? h->cap_dev * 2 : 16;
            struct devent *v = realloc(h->dev, cap * sizeof *v);
            if (!v) {
                h->fatal = WARD_ENOMEM;
                return;
            }
            h->dev = v;
            h->cap_dev = cap;
        }
        struct devent *d = &h->dev[h->n_dev];
        *d = (struct devent){kind, skip, strdup(path ? path : ""), strdup(what), strdup(msg)};
        if (!d->path || !d->what || !d->msg) {
            free(d->path);
            free(d->what);
            free(d->msg);
            h->fatal = WARD_ENOMEM;
            return;
        }
        h->n_dev++;
        return;
    }
    if (kind == WARD_EV_ERROR)
        h->errors++;
    if (h->cb->on_event) {
        ward_event ev = {kind, path, what, msg, skip};
        h->cb->on_event(&ev, h->cb->user);
    }
}

static void obj_error(hist *h, const git_oid *id, const char *kind, const char *why,
                      const char *where)
{
    char hex[GIT_OID_HEXSZ + 1], what[64], msg[1024];
    git_oid_tostr(hex, sizeof hex, id);
    snprintf(what, sizeof what, "cannot read %s", kind);
    snprintf(msg, sizeof msg, "%.500s%s%.500s", why, where ? "; " : "", where ? where : "");
    hevent(h, WARD_EV_ERROR, WARD_SKIP_OTHER, hex, what, msg);
}

/* What ward needs of a raw commit: its tree, its parents (into h->pv) and
 * its committer time.  -1 when there is no tree line. */
static int parse_commit(hist *h, const ward_objbuf *o, git_oid *tree, size_t *np, int64_t *time)
{
    const char *p = (const char *)o->data, *end = p + o->len;
    int have_tree = 0;
    *np = 0;
    *time = 0;
    while (p < end && *p != '\n') {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t l = (size_t)(eol - p);
        if (l == 5 + GIT_OID_HEXSZ && !memcmp(p, "tree ", 5)) {
            have_tree = git_oid_fromstrn(tree, p + 5, GIT_OID_HEXSZ) == 0;
        } else if (l == 7 + GIT_OID_HEXSZ && !memcmp(p, "parent ", 7)) {
            if (*np == h->pcap) {
                size_t cap = h->pcap ? h->pcap * 2 : 8;
                git_oid *v = realloc(h->pv, cap * sizeof *v);
                if (!v)
                    return -2;
                h->pv = v;
                h->pcap = cap;
            }
            if (git_oid_fromstrn(&h->pv[*np], p + 7, GIT_OID_HEXSZ) == 0)
                (*np)++;
        } else if (l > 10 && !memcmp(p, "committer ", 10)) {
            const char *gt = eol;
            while (gt > p && gt[-1] != '>')
                gt--;
            int64_t t = 0;
            while (gt < eol && *gt == ' ')
                gt++;
            while (gt < eol && *gt >= '0' && *gt <= '9' && t < INT64_MAX / 10 - 9)
                t = t * 10 + (*gt++ - '0');
            *time = t;
        }
        p = eol + 1;
    }
    return have_tree ? 0 : -1;
}

/* A clone made with --filter leaves objects out on purpose: its packs are
 * marked as from a promisor remote, or (older git) extensions.partialclone
 * names the remote. */
static int is_partial_clone(git_repository *repo)
{
    git_config *cfg = NULL;
    const char *v = NULL;
    int partial = git_repository_config_snapshot(&cfg, repo) == 0 &&
                  git_config_get_string(&v, cfg, "extensions.partialclone") == 0 && v && *v;
    git_config_free(cfg);
    return partial;
}

/* Walks from start; hidden walks mark what they reach hidden.  A walk stops
 * at nodes already known, so hidden walks run first. */
static ward_status walk_from(hist *h, const git_oid *start, int hidden)
{
    graph *g = &h->g;
    uint32_t *stack = NULL;
    size_t ns = 0, cs = 0;
    int created;
    if (!hidden && h->limited && !oidset_has(&h->visible, start))
        return WARD_OK; /* a tip the hidden commits cover */
    uint32_t s = graph_node(g, start, hidden ? N_HIDDEN : 0, &created);
    if (s == UINT32_MAX)
        return g->n >= UINT32_MAX - 1 ? WARD_ETOOBIG : WARD_ENOMEM;
    if (!created)
        return WARD_OK;
    ward_status st = WARD_OK;
    stack = malloc(64 * sizeof *stack);
    if (!stack)
        return WARD_ENOMEM;
    cs = 64;
    stack[ns++] = s;
    while (ns) {
        uint32_t i = stack[--ns];
        if (g->v[i].flags & N_PARSED)
            continue;
        g->v[i].flags |= N_PARSED;
        ward_objbuf o;
        git_oid tree;
        size_t np;
        char err[256];
        int pr = -1;
        if (ward_obj_read(h->rd, h->odb, &g->v[i].id, 0, &o, NULL, err, sizeof err) ==
            WARD_OBJREAD_OK) {
            pr = o.type == GIT_OBJECT_COMMIT ? parse_commit(h, &o, &tree, &np, &g->v[i].time)
                                             : -1;
            ward_obj_free(&o);
        }
        if (pr == -2) {
            st = WARD_ENOMEM;
            break;
        }
        if (pr < 0) {
            g->v[i].flags |= N_MISSING;
            continue; /* reported by the child that names it */
        }
        if (h->deferring) {
            if (i >= h->cap_trees) {
                size_t cap = g->cap > i ? g->cap : i + 1;
                git_oid *t = realloc(h->trees, cap * sizeof *t);
                if (!t) {
                    st = WARD_ENOMEM;
                    break;
                }
                h->trees = t;
                h->cap_trees = cap;
            }
            git_oid_cpy(&h->trees[i], &tree);
        }
        if (g->npar + np > g->parcap) {
            size_t cap = (g->parcap + np) * 2;
            uint32_t *par = realloc(g->par, cap * sizeof *par);
            if (!par) {
                st = WARD_ENOMEM;
                break;
            }
            g->par = par;
            g->parcap = cap;
        }
        g->v[i].par_off = (uint32_t)g->npar;
        g->v[i].npar = (uint32_t)np;
        for (size_t k = 0; k < np; k++) {
            int beyond = !hidden && h->limited && !oidset_has(&h->visible, &h->pv[k]);
            uint32_t p = graph_node(g, &h->pv[k], hidden || beyond ? N_HIDDEN : 0, &created);
            if (p == UINT32_MAX) {
                st = g->n >= UINT32_MAX - 1 ? WARD_ETOOBIG : WARD_ENOMEM;
                break;
            }
            g->par[g->npar++] = p;
            if (!created || beyond)
                continue; /* known, or a hidden boundary: not walked */
            if (ns == cs) {
                uint32_t *ns2 = realloc(stack, cs * 2 * sizeof *stack);
                if (!ns2) {
                    st = WARD_ENOMEM;
                    break;
                }
                stack = ns2;
                cs *= 2;
            }
            stack[ns++] = p;
        }
        if (st)
            break;
    }
    free(stack);
    return st;
}

static void read_shallow(hist *h)
{
    if (!git_repository_is_shallow(h->repo))
        return;
    char p[4096];
    snprintf(p, sizeof p, "%sshallow", git_repository_path(h->repo));
    FILE *f = fopen(p, "r");
    if (!f)
        return;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        git_oid id;
        line[strcspn(line, "\r\n")] = '\0';
        if (git_oid_fromstrn(&id, line, strlen(line)) == 0 && strlen(line) == GIT_OID_HEXSZ)
            oidset_add(&h->g.shallow, &id);
    }
    fclose(f);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static ward_status resolve(hist *h, const char *spec, git_oid *out)
{
    git_object *obj, *peeled;
    if (git_revparse_single(&obj, h->repo, spec) < 0) {
        ward_set_err(h->err, h->errlen, "unknown revision '%s': %s", spec, ward_git_msg());
        return WARD_EINVAL;
    }
    int rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
    git_object_free(obj);
    if (rc < 0) {
        ward_set_err(h->err, h->errlen, "revision '%s' is not a commit: %s", spec, ward_git_msg());
        return WARD_EINVAL;
    }
    git_oid_cpy(out, git_object_id(peeled));
    git_object_free(peeled);
    return WARD_OK;
}

/* Every ref (sorted by name, for a stable order) and HEAD. */
static ward_status walk_all_refs(hist *h)
{
    git_strarray names = {0};
    if (git_reference_list(&names, h->repo) < 0) {
        ward_set_err(h->err, h->errlen, "cannot list references: %s", ward_git_msg());
        return WARD_EIO;
    }
    qsort(names.strings, names.count, sizeof *names.strings, name_cmp);
    ward_status st = WARD_OK;
    git_oid id;
    for (size_t i = 0; i < names.count && !st; i++) {
        git_reference *ref, *res;
        if (git_reference_lookup(&ref, h->repo, names.strings[i]) < 0)
            continue;
        int ok = git_reference_resolve(&res, ref) == 0;
        git_reference_free(ref);
        if (!ok)
            continue;
        git_object *obj, *peeled;
        if (git_reference_target(res) &&
            git_object_lookup(&obj, h->repo, git_reference_target(res), GIT_OBJECT_ANY) == 0) {
            if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
                git_oid_cpy(&id, git_object_id(peeled));
                git_object_free(peeled);
                st = walk_from(h, &id, 0);
            }
            git_object_free(obj);
        } else if (git_reference_target(res)) {
            /* a ref naming a missing object */
            obj_error(h, git_reference_target(res), "object", ward_git_msg(), names.strings[i]);
        }
        git_reference_free(res);
    }
    git_strarray_dispose(&names);
    if (!st && git_reference_name_to_id(&id, h->repo, "HEAD") == 0)
        st = walk_from(h, &id, 0);
    return st;
}

/* With hidden tips, asks libgit2's revision walk which commits are to be
 * walked: those reachable from the visible tips and not from a hidden one.
 * It stops by commit date once only hidden commits are left, where walking
 * the hidden side whole inflates every commit of an old history (1.4 s of a
 * 1.5 s re-scan of git/git).  On any error (a shallow or damaged history)
 * h->limited stays 0 and the hidden side is walked whole, as before. */
static void limit_walk(hist *h, const git_oid *hide, size_t n_hide, const git_oid *tip)
{
    git_revwalk *w = NULL;
    if (git_revwalk_new(&w, h->repo) < 0)
        return;
    int ok = 1;
    for (size_t i = 0; ok && i < n_hide; i++)
        ok = git_revwalk_hide(w, &hide[i]) == 0;
    if (ok && tip)
        ok = git_revwalk_push(w, tip) == 0;
    else if (ok)
        ok = git_revwalk_push_glob(w, "refs/*") == 0 &&
             (git_revwalk_push_head(w) == 0 || git_repository_head_unborn(h->repo) == 1);
    git_oid id;
    int rc = 0;
    while (ok && (rc = git_revwalk_next(&id, w)) == 0)
        ok = oidset_add(&h->visible, &id) >= 0;
    git_revwalk_free(w);
    if (ok && rc == GIT_ITEROVER) {
        h->limited = 1;
    } else {
        free(h->visible.slot);
        memset(&h->visible, 0, sizeof h->visible);
        git_error_clear();
    }
}

static ward_status collect(hist *h)
{
    const ward_git_options *o = h->o;
    ward_status st;
    git_oid a, b, *hide = calloc(o->n_hide + 2, sizeof *hide);
    size_t n_hide = 0;
    if (!hide)
        return WARD_ENOMEM;
    if (o->range) {
        const char *dots = strstr(o->range, "..");
        if (!dots || dots[2] == '.') {
            ward_set_err(h->err, h->errlen, "bad range '%s' (expected A..B)", o->range);
            free(hide);
            return WARD_EINVAL;
        }
        char left[1024];
        snprintf(left, sizeof left, "%.*s", (int)(dots - o->range), o->range);
        const char *right = dots + 2;
        if ((st = resolve(h, *left ? left : "HEAD", &a)) ||
            (st = resolve(h, *right ? right : "HEAD", &b))) {
            free(hide);
            return st;
        }
        hide[n_hide++] = a;
    }
    if (o->since_commit) {
        if ((st = resolve(h, o->since_commit, &a))) {
            free(hide);
            return st;
        }
        hide[n_hide++] = a;
    }
    for (size_t i = 0; i < o->n_hide && o->hide; i++) {
        /* A tip an earlier scan covered may be gone (a force-push): then
         * there is simply less to hide. */
        git_object *obj = NULL;
        if (git_revparse_single(&obj, h->repo, o->hide[i]) < 0) {
            hevent(h, WARD_EV_NOTE, WARD_SKIP_OTHER, o->hide[i], "incremental scan",
                   "a commit scanned before is no longer here; its history is scanned again");
            continue;
        }
        git_oid_cpy(&hide[n_hide++], git_object_id(obj));
        git_object_free(obj);
    }
    if (o->branch && !o->range && (st = resolve(h, o->branch, &b))) {
        free(hide);
        return st;
    }
    if (n_hide)
        limit_walk(h, hide, n_hide, o->range || o->branch ? &b : NULL);
    st = WARD_OK;
    for (size_t i = 0; !h->limited && !st && i < n_hide; i++)
        st = walk_from(h, &hide[i], 1);
    free(hide);
    if (st)
        return st;
    if (o->range || o->branch)
        return walk_from(h, &b, 0);
    return walk_all_refs(h);
}

static int tree_cmp(const void *a, const void *b, void *trees)
{
    const git_oid *t = trees;
    return memcmp(t[*(const uint32_t *)a].id, t[*(const uint32_t *)b].id, GIT_OID_RAWSZ);
}

static void *collect_thread(void *arg)
{
    hist *h = arg;
    h->collected = collect(h);
    return NULL;
}

/* Min-heap of node indexes on (time, index). */
typedef struct heap {
    uint32_t *v;
    size_t n;
    const cnode *nodes;
} heap;

static int heap_less(const heap *hp, uint32_t a, uint32_t b)
{
    int64_t ta = hp->nodes[a].time, tb = hp->nodes[b].time;
    return ta != tb ? ta < tb : a < b;
}

static void heap_push(heap *hp, uint32_t x)
{
    size_t i = hp->n++;
    while (i) {
        size_t p = (i - 1) / 2;
        if (!heap_less(hp, x, hp->v[p]))
            break;
        hp->v[i] = hp->v[p];
        i = p;
    }
    hp->v[i] = x;
}

static uint32_t heap_pop(heap *hp)
{
    uint32_t top = hp->v[0], x = hp->v[--hp->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        uint32_t mv = x;
        if (l < hp->n && heap_less(hp, hp->v[l], mv))
            m = l, mv = hp->v[l];
        if (r < hp->n && heap_less(hp, hp->v[r], mv))
            m = r;
        if (m == i)
            break;
        hp->v[i] = hp->v[m];
        i = m;
    }
    if (hp->n)
        hp->v[i] = x;
    return top;
}

static int scannable(const cnode *n)
{
    return (n->flags & (N_HIDDEN | N_MISSING)) == 0 && (n->flags & N_PARSED);
}

/* Fills *order with the commits to scan, parents first. */
static ward_status order_commits(hist *h, uint32_t **order, size_t *n_order)
{
    graph *g = &h->g;
    size_t nchild = 0;
    for (size_t i = 0; i < g->n; i++) {
        cnode *c = &g->v[i];
        if (!scannable(c))
            continue;
        for (uint32_t k = 0; k < c->npar; k++) {
            cnode *p = &g->v[g->par[c->par_off + k]];
            if (scannable(p)) {
                c->pending++;
                p->nchild++;
                nchild++;
            }
        }
    }
    g->child = malloc((nchild + 1) * sizeof *g->child);
    uint32_t *out = malloc((g->n + 1) * sizeof *out);
    heap hp = {malloc((g->n + 1) * sizeof(uint32_t)), 0, g->v};
    if (!g->child || !out || !hp.v) {
        free(out);
        free(hp.v);
        return WARD_ENOMEM;
    }
    size_t off = 0;
    for (size_t i = 0; i < g->n; i++) {
        g->v[i].child_off = (uint32_t)off;
        off += g->v[i].nchild;
        g->v[i].nchild = 0;
    }
    for (size_t i = 0; i < g->n; i++) {
        cnode *c = &g->v[i];
        if (!scannable(c))
            continue;
        for (uint32_t k = 0; k < c->npar; k++) {
            cnode *p = &g->v[g->par[c->par_off + k]];
            if (scannable(p))
                g->child[p->child_off + p->nchild++] = (uint32_t)i;
        }
        if (!c->pending)
            heap_push(&hp, (uint32_t)i);
    }
    size_t n = 0;
    while (hp.n) {
        uint32_t i = heap_pop(&hp);
        out[n++] = i;
        cnode *c = &g->v[i];
        for (uint32_t k = 0; k < c->nchild; k++) {
            uint32_t ch = g->child[c->child_off + k];
            if (--g->v[ch].pending == 0)
                heap_push(&hp, ch);
        }
    }
    free(hp.v);
    *order = out;
    *n_order = n;
    return WARD_OK;
}

/* ---------------------------------------------------------------------
 * Jobs and workers, on the shared ordered queue (queue.c).  A job is a blob
 * to read and scan, or an event the walk met (a damaged tree, a
 * submodule), queued so that it is delivered in order with the blobs and
 * never beside a delivery from a worker.
 * ------------------------------------------------------------------- */

typedef struct job {
    git_oid id;
    char *path;
    uint32_t commit;
    /* an event only (is_event): kind, skip, what, message */
    int is_event;
    ward_event_kind ev_kind;
    ward_skip_kind ev_skip;
    char *ev_what, *ev_msg;
    /* set by the worker, read at delivery */
    uint64_t bytes;
    int scanned, missing;
} job;

typedef struct pool {
    hist *h;
    ward_queue *q;
    const char *gitdir;
    size_t cache_bytes;       /* each worker's object cache */
    int scan_binary;
    uint64_t max_size;
    /* under the queue's lock (delivery callbacks) */
    uint64_t files, bytes, findings, errors;
    struct timespec last;
    /* one finding per (rule, fingerprint, path), unless all_occurrences */
    int summarise;
    ward_hagg agg;
    /* Copies and moves: a blob met again at another path holds the same
     * secrets there.  Delivery marks blobs with findings in hot (one bit
     * per 16-bit hash, set atomically); the walk notes a seen blob as a
     * candidate when its bit is set, or when it was submitted within the
     * last RING blobs (then it may not be delivered yet).  A blob older
     * than that was delivered before the walk's last submit took the
     * queue's lock, so its bit is visible: the outcome does not depend on
     * timing.  Candidates are checked against the records at the end. */
    unsigned char hot[8192];
    git_oid recent[RING];     /* the walk's last RING blob submissions */
    /* places (blob, path) already submitted or noted, as 64-bit keys: each
     * place becomes at most one candidate, and a blob at the path it was
     * scanned at is none */
    uint64_t *placed;
    size_t placed_n, placed_cap;
    uint16_t recent_n[65536]; /* how many of them have each 16-bit hash */
    size_t recent_pos;
    struct alias { git_oid id; char *path; uint32_t commit; } *alias;
    size_t n_alias, cap_alias;
    /* commit data for delivery, read through a reader and a repository
     * handle of its own that only delivery (one thread at a time) uses: the
     * last commit read */
    git_repository *drepo;
    git_odb *dodb;
    ward_pack_reader *drd;
    uint32_t cur_commit;
    int have_cur;
    struct author { char *name, *email; int64_t time; int tz; } cur;
    char cur_sha[GIT_OID_HEXSZ + 1];
} pool;

/* A commit's author, read raw: "author NAME <EMAIL> TIME +HHMM".  (Through
 * libgit2, each lookup searched libgit2's own map of the pack's index, which
 * stayed resident: over 100 MiB for a history of 5 M objects.)  0, or -1
 * when the commit cannot be read; a line it cannot parse gives empty
 * fields. */
static int read_author(pool *p, const git_oid *id, struct author *a)
{
    memset(a, 0, sizeof *a);
    ward_objbuf o;
    char err[256];
    if (!p->dodb || ward_obj_read(p->drd, p->dodb, id, 0, &o, NULL, err, sizeof err) !=
                        WARD_OBJREAD_OK)
        return -1;
    const char *d = (const char *)o.data, *end = d + (o.type == GIT_OBJECT_COMMIT ? o.len : 0);
    const char *name = "", *email = "";
    size_t nl = 0, el = 0;
    while (d < end && *d != '\n') {
        const char *eol = memchr(d, '\n', (size_t)(end - d));
        if (!eol)
            eol = end;
        if ((size_t)(eol - d) > 7 && !memcmp(d, "author ", 7)) {
            const char *lt = memchr(d, '<', (size_t)(eol - d));
            const char *gt = lt ? memchr(lt, '>', (size_t)(eol - lt)) : NULL;
            if (lt && gt) {
                name = d + 7;
                nl = (size_t)(lt - name);
                while (nl && name[nl - 1] == ' ')
                    nl--;
                email = lt + 1;
                el = (size_t)(gt - email);
                const char *q = gt + 1;
                while (q < eol && *q == ' ')
                    q++;
                while (q < eol && *q >= '0' && *q <= '9' && a->time < INT64_MAX / 10 - 9)
                    a->time = a->time * 10 + (*q++ - '0');
                while (q < eol && *q == ' ')
                    q++;
                if (eol - q >= 5 && (*q == '+' || *q == '-')) {
                    int hh = (q[1] - '0') * 10 + (q[2] - '0');
                    int mm = (q[3] - '0') * 10 + (q[4] - '0');
                    a->tz = (*q == '-' ? -1 : 1) * (hh * 60 + mm);
                }
            }
            break;
        }
        d = eol + 1;
    }
    a->name = strndup(name, nl);
    a->email = strndup(email, el);
    ward_obj_free(&o);
    return a->name && a->email ? 0 : -1;
}

static void author_free(struct author *a)
{
    free(a->name);
    free(a->email);
    memset(a, 0, sizeof *a);
}

/* A thread's tools for reading and scanning blobs. */
typedef struct wctx {
    pool *p;
    git_repository *repo;     /* NULL for the walking thread's, which borrows */
    git_odb *odb;
    ward_pack_reader *rd;
    ward_scanner *sc;
    ward_queue_job *qj;
    int own;
} wctx;

static void *wctx_new(void *user)
{
    pool *p = user;
    wctx *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->p = p;
    w->own = 1;
    if (git_repository_open_ext(&w->repo, p->gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
        git_repository_odb(&w->odb, w->repo) < 0 || ward_scanner_new(p->h->e, &w->sc) ||
        (p->h->packs && !(w->rd = ward_pack_reader_new(p->h->packs, p->cache_bytes)))) {
        ward_scanner_free(w->sc);
        git_odb_free(w->odb);
        git_repository_free(w->repo);
        free(w);
        return NULL;
    }
    return w;
}

static void wctx_free(void *ctx, void *user)
{
    (void)user;
    wctx *w = ctx;
    if (!w || !w->own)
        return;
    ward_scanner_free(w->sc);
    ward_pack_reader_free(w->rd);
    git_odb_free(w->odb);
    git_repository_free(w->repo);
    free(w);
}

static void job_event(wctx *w, job *j, ward_event_kind kind, ward_skip_kind skip,
                      const char *what, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void job_event(wctx *w, job *j, ward_event_kind kind, ward_skip_kind skip,
                      const char *what, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ward_event ev = {kind, j->path, what, msg, skip};
    ward_queue_event(w->qj, &ev);
}

static int collect_finding(const ward_finding *f, void *user)
{
    wctx *w = user;
    return ward_queue_finding(w->qj, f);
}

static void scan_blob(wctx *w, job *j)
{
    pool *p = w->p;
    char hex[GIT_OID_HEXSZ + 1], err[512];
    git_oid_tostr(hex, sizeof hex, &j->id);
    uint64_t size;
    ward_objbuf ob;
    int rc = ward_obj_read(w->rd, w->odb, &j->id, p->max_size, &ob, &size, err, sizeof err);
    if (rc == WARD_OBJREAD_TOO_BIG) {
        job_event(w, j, WARD_EV_SKIPPED, WARD_SKIP_SIZE, "skipped",
                  "blob of %llu bytes is over the size limit", (unsigned long long)size);
        return;
    }
    if (rc == WARD_OBJREAD_MISSING && p->h->partial) {
        j->missing = 1;
        job_event(w, j, WARD_EV_SKIPPED, WARD_SKIP_ABSENT, "skipped",
                  "blob %.12s is not in this partial clone", hex);
        return;
    }
    if (rc != WARD_OBJREAD_OK) {
        job_event(w, j, WARD_EV_ERROR, WARD_SKIP_OTHER, "cannot read blob", "%s%s%s%s", err,
                  strstr(err, hex) ? "" : " (object ", strstr(err, hex) ? "" : hex,
                  strstr(err, hex) ? "" : ")");
        return;
    }
    const char *data = (const char *)ob.data;
    size_t len = ob.len;
    j->bytes = len;
    if (!p->scan_binary && ward_git_binary(data, len)) {
        job_event(w, j, WARD_EV_SKIPPED, WARD_SKIP_BINARY, "skipped", "binary file");
        ward_obj_free(&ob);
        return;
    }
    j->scanned = 1;
    char commit[GIT_OID_HEXSZ + 1];
    git_oid_tostr(commit, sizeof commit, &p->h->g.v[j->commit].id);
    ward_scanner_set_commit(w->sc, commit); /* for allowlists' `commits` */
    /* The queue copies each finding it cannot deliver at once, so the blob
     * (and the scanner's buffers) can go as soon as the scan is over. */
    ward_status st = ward_scan_buffer(w->sc, data, len, j->path, collect_finding, w);
    if (st && st != WARD_EABORT)
        job_event(w, j, WARD_EV_ERROR, WARD_SKIP_OTHER, "cannot scan", "%s", ward_strerror(st));
    ward_obj_free(&ob);
}

static void run_job(void *ctx, ward_queue_job *qj, void *payload, void *user)
{
    pool *p = user;
    job *j = payload;
    if (j->is_event) {
        ward_event ev = {j->ev_kind, j->path, j->ev_what, j->ev_msg, j->ev_skip};
        ward_queue_event(qj, &ev);
        return;
    }
    wctx *w = ctx;
    if (!w) {
        ward_event ev = {WARD_EV_ERROR, j->path, "cannot scan", "out of memory", WARD_SKIP_OTHER};
        ward_queue_event(qj, &ev);
        (void)p;
        return;
    }
    w->qj = qj;
    scan_blob(w, j);
}

static void progress(pool *p, int done)
{
    const ward_git_callbacks *cb = p->h->cb;
    if (!cb->on_progress)
        return;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (!done && (t.tv_sec - p->last.tv_sec) * 1000 + (t.tv_nsec - p->last.tv_nsec) / 1000000 < 100)
        return;
    p->last = t;
    ward_progress pr = {p->files, p->bytes, p->findings, p->errors, done};
    cb->on_progress(&pr, cb->user);
}

static const ward_commit *commit_info(pool *p, uint32_t idx, ward_commit *out)
{
    hist *h = p->h;
    if (!p->have_cur || p->cur_commit != idx) {
        author_free(&p->cur);
        if (read_author(p, &h->g.v[idx].id, &p->cur) < 0) {
            author_free(&p->cur);
            p->cur.time = h->g.v[idx].time;
        }
        p->have_cur = 1;
        p->cur_commit = idx;
        git_oid_tostr(p->cur_sha, sizeof p->cur_sha, &h->g.v[idx].id);
    }
    out->sha = p->cur_sha;
    out->author = p->cur.name ? p->cur.name : "";
    out->email = p->cur.email ? p->cur.email : "";
    out->time = p->cur.time;
    out->tz_minutes = p->cur.tz;
    out->history = NULL; /* every occurrence: no summary */
    return out;
}

static unsigned oid16(const git_oid *id)
{
    return (unsigned)id->id[0] << 8 | id->id[1];
}

/* Delivery, in order, under the queue's lock. */
static int deliver_finding(const ward_finding *f, void *payload, void *user)
{
    pool *p = user;
    job *j = payload;
    ward_commit c;
    p->findings++;
    if (p->summarise) {
        unsigned hb = oid16(&j->id);
        __atomic_fetch_or(&p->hot[hb >> 3], (unsigned char)(1u << (hb & 7)), __ATOMIC_RELAXED);
        if (ward_hagg_add(&p->agg, f, &j->id, j->commit) == 0)
            return 0;
        p->h->fatal = WARD_ENOMEM;
        return 1;
    }
    return p->h->cb->on_finding(f, commit_info(p, j->commit, &c), p->h->cb->user);
}

static void deliver_event(const ward_event *ev, void *payload, void *user)
{
    (void)payload;
    pool *p = user;
    if (ev->kind == WARD_EV_ERROR) {
        p->errors++;
        p->h->errors++;
    }
    if (p->h->cb->on_event)
        p->h->cb->on_event(ev, p->h->cb->user);
}

static void job_done(void *payload, int delivered, void *user)
{
    pool *p = user;
    job *j = payload;
    if (delivered) {
        if (j->scanned) {
            p->files++;
            p->bytes += j->bytes;
            if (p->h->cb->blob_scanned)
                p->h->cb->blob_scanned(j->id.id, p->h->cb->user);
        }
        p->h->missing += (uint64_t)j->missing;
        progress(p, 0);
    }
    free(j->path);
    free(j->ev_what);
    free(j->ev_msg);
    free(j);
}

static int submit_job(pool *p, job *j)
{
    if (ward_queue_submit(p->q, j) < 0) {
        p->h->aborted = 1;
        return -1;
    }
    return 0;
}

static uint64_t place_key(const git_oid *id, const char *path)
{
    uint64_t k;
    memcpy(&k, id->id, sizeof k);
    k = ward_fnv1a(k, path, strlen(path));
    return k ? k : 1; /* 0 marks an empty slot */
}

/* 1 when key is new (and now held), 0 when held already, -1 no memory. */
static int place_add(pool *p, uint64_t key)
{
    if ((p->placed_n + 1) * 2 > p->placed_cap) {
        size_t nc = p->placed_cap ? p->placed_cap * 2 : 4096;
        uint64_t *v = calloc(nc, sizeof *v);
        if (!v)
            return -1;
        for (size_t i = 0; i < p->placed_cap; i++) {
            if (!p->placed[i])
                continue;
            size_t j = (p->placed[i] >> 17) & (nc - 1);
            while (v[j])
                j = (j + 1) & (nc - 1);
            v[j] = p->placed[i];
        }
        free(p->placed);
        p->placed = v;
        p->placed_cap = nc;
    }
    size_t j = (key >> 17) & (p->placed_cap - 1);
    while (p->placed[j]) {
        if (p->placed[j] == key)
            return 0;
        j = (j + 1) & (p->placed_cap - 1);
    }
    p->placed[j] = key;
    p->placed_n++;
    return 1;
}

static int submit(pool *p, const git_oid *id, const char *path, uint32_t commit)
{
    job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        return -1;
    }
    git_oid_cpy(&j->id, id);
    j->commit = commit;
    if (p->summarise) {
        if (place_add(p, place_key(id, path)) < 0) {
            free(j->path);
            free(j);
            return -1;
        }
        git_oid *slot = &p->recent[p->recent_pos++ % RING];
        if (p->recent_pos > RING)
            p->recent_n[oid16(slot)]--;
        git_oid_cpy(slot, id);
        p->recent_n[oid16(id)]++;
    }
    return submit_job(p, j) < 0 && !p->h->aborted ? -1 : 0;
}

/* Whether a blob the walk has seen before may hold secrets (see pool.hot).
 * Then maybe_alias notes it at path in commit, when the place is new.  -1 when memory
 * is short. */
static int may_hold(pool *p, const git_oid *id)
{
    unsigned hb = oid16(id);
    int cand = __atomic_load_n(&p->hot[hb >> 3], __ATOMIC_RELAXED) & (1u << (hb & 7));
    for (size_t i = 0; !cand && p->recent_n[hb] && i < RING && i < p->recent_pos; i++)
        cand = git_oid_equal(&p->recent[i], id);
    return cand;
}

static int maybe_alias(pool *p, const git_oid *id, const char *path, uint32_t commit)
{
    int fresh = place_add(p, place_key(id, path));
    if (fresh <= 0)
        return fresh;
    if (p->n_alias == p->cap_alias) {
        size_t nc = p->cap_alias ? p->cap_alias * 2 : 64;
        struct alias *v = realloc(p->alias, nc * sizeof *v);
        if (!v)
            return -1;
        p->alias = v;
        p->cap_alias = nc;
    }
    struct alias *a = &p->alias[p->n_alias];
    if (!(a->path = strdup(path)))
        return -1;
    git_oid_cpy(&a->id, id);
    a->commit = commit;
    p->n_alias++;
    return 0;
}

/* An event met by the walk, delivered in order with the blobs. */
static void walk_event(pool *p, ward_event_kind kind, ward_skip_kind skip, const char *path,
                       const char *what, const char *msg)
{
    job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path ? path : "")) || !(j->ev_what = strdup(what)) ||
        !(j->ev_msg = strdup(msg))) {
        if (j) {
            free(j->path);
            free(j->ev_what);
        }
        free(j);
        p->h->fatal = WARD_ENOMEM;
        p->h->aborted = 1;
        return;
    }
    j->is_event = 1;
    j->ev_kind = kind;
    j->ev_skip = skip;
    submit_job(p, j);
}

/* ---------------------------------------------------------------------
 * Trees.
 * ------------------------------------------------------------------- */

typedef struct pathbuf {
    char *s;
    size_t len, cap;
} pathbuf;

static int path_push(pathbuf *pb, const char *name, size_t *saved)
{
    size_t nl = strlen(name), need = pb->len + (pb->len ? 1 : 0) + nl + 1;
    if (need > MAX_PATH_LEN)
        return -1;
    if (need > pb->cap) {
        size_t cap = need * 2 > MAX_PATH_LEN ? MAX_PATH_LEN : need * 2;
        char *s = realloc(pb->s, cap);
        if (!s)
            return -1;
        pb->s = s;
        pb->cap = cap;
    }
    *saved = pb->len;
    if (pb->len)
        pb->s[pb->len++] = '/';
    memcpy(pb->s + pb->len, name, nl + 1);
    pb->len += nl;
    return 0;
}

/* Walks tree and submits every blob not seen before.  Commits come parents
 * first, so whatever a commit shares with its parents is in the seen set
 * already, subtrees included: one hash lookup per entry decides, where
 * diffing against the parent's tree cost a second tree parse and a name
 * search per entry. */
static ward_status walk_tree(hist *h, pool *p, const git_oid *tid, const char *where,
                             pathbuf *pb, uint32_t commit, int depth)
{
    /* Trees are read raw and parsed here: each is read once, so libgit2's
     * tree objects (an allocation per tree, a trip through its cache) buy
     * nothing.  An entry is "<octal mode> <name>\0<20-byte id>". */
    ward_objbuf obj;
    char at[1024], err[512];
    if (!where) {
        snprintf(at, sizeof at, "at %s", pb->s ? pb->s : "");
        where = at;
    }
    int rc = ward_obj_read(h->rd, h->odb, tid, 0, &obj, NULL, err, sizeof err);
    if (rc == WARD_OBJREAD_MISSING && h->partial) { /* a clone with --filter=tree:N */
        char hex[GIT_OID_HEXSZ + 1], msg[128];
        git_oid_tostr(hex, sizeof hex, tid);
        snprintf(msg, sizeof msg, "tree %.12s is not in this partial clone", hex);
        h->missing++;
        hevent(h, WARD_EV_SKIPPED, WARD_SKIP_ABSENT, pb->s ? pb->s : "", "skipped", msg);
        return WARD_OK;
    }
    if (rc != WARD_OBJREAD_OK || obj.type != GIT_OBJECT_TREE) {
        if (rc == WARD_OBJREAD_OK)
            snprintf(err, sizeof err, "not a tree");
        ward_obj_free(&obj);
        obj_error(h, tid, "tree", err, where);
        return WARD_OK;
    }
    const unsigned char *d = obj.data;
    size_t len = obj.len, off = 0;
    /* After a sweep, a tree it read names the few entries to look at. */
    int swept = h->sweep && !obj.g && ward_sweep_swept(h->sweep, tid->id);
    /* Most entries are unchanged from the parent and already in the set:
     * the lookups are cache misses, so start loading them all first. */
    for (const unsigned char *q = d, *end = d + len; q < end && !h->sweep;) {
        const unsigned char *nul = memchr(q, '\0', (size_t)(end - q));
        if (!nul || (size_t)(end - nul) < 1 + GIT_OID_RAWSZ)
            break;
        oidset_prefetch(&h->seen, nul + 1);
        q = nul + 1 + GIT_OID_RAWSZ;
    }
    ward_status st = WARD_OK;
    while (off < len && !st && !h->aborted) {
        ward_tree_entry te;
        if (ward_tree_next(d, len, &off, &te) < 0) {
            obj_error(h, tid, "tree", "malformed tree entry", where);
            break;
        }
        const char *name = te.name;
        unsigned mode = te.mode;
        git_oid id;
        git_oid_fromraw(&id, te.id);
        unsigned kind = mode & 0170000;
        if (h->sweep && kind != 0160000 &&
            !(kind == 0040000 ? !ward_sweep_tree_skip(h->sweep, id.id)
              : swept         ? ward_sweep_wants(h->sweep, id.id)
                              : !ward_sweep_blob_clean(h->sweep, id.id)))
            continue; /* the sweep read it: nothing there */
        int added = oidset_add(&h->seen, &id);
        if (added < 0) {
            st = WARD_ENOMEM;
            break;
        }
        if (!added && p->summarise && kind != 0040000 && kind != 0160000 &&
            may_hold(p, &id)) {
            size_t saved;
            if (path_push(pb, name, &saved) == 0) {
                if (maybe_alias(p, &id, pb->s, commit) < 0)
                    st = WARD_ENOMEM;
                pb->len = saved;
                pb->s[saved] = '\0';
            }
            continue;
        }
        if (!added)
            continue;
        size_t saved;
        if (path_push(pb, name, &saved) < 0) {
            hevent(h, WARD_EV_ERROR, WARD_SKIP_OTHER, pb->s ? pb->s : "", "cannot scan",
                   "path too long");
            continue;
        }
        if (kind == 0040000) {
            if (depth > 4096) {
                hevent(h, WARD_EV_ERROR, WARD_SKIP_OTHER, pb->s, "cannot scan",
                       "trees nested too deeply");
            } else {
                st = walk_tree(h, p, &id, NULL, pb, commit, depth + 1);
            }
        } else if (kind == 0160000) {
            hevent(h, WARD_EV_SKIPPED, WARD_SKIP_OTHER, pb->s, "skipped", "submodule");
        } else if (h->cb->blob_known && h->cb->blob_known(id.id, h->cb->user)) {
            /* scanned by an earlier run (an incremental scan) */
        } else if (submit(p, &id, pb->s, commit) < 0) {
            st = WARD_ENOMEM;
        }
        pb->len = saved;
        if (pb->s)
            pb->s[saved] = '\0';
    }
    ward_obj_free(&obj);
    return st;
}

static ward_status scan_commit(hist *h, pool *p, uint32_t idx, pathbuf *pb)
{
    cnode *n = &h->g.v[idx];
    char hex[GIT_OID_HEXSZ + 1], err[512];
    git_oid_tostr(hex, sizeof hex, &n->id);
    for (uint32_t k = 0; k < n->npar; k++) {
        cnode *par = &h->g.v[h->g.par[n->par_off + k]];
        if (!(par->flags & N_MISSING))
            continue;
        char phex[GIT_OID_HEXSZ + 1], msg[256];
        git_oid_tostr(phex, sizeof phex, &par->id);
        if (oidset_has(&h->g.shallow, &n->id)) {
            snprintf(msg, sizeof msg, "shallow clone: history before commit %.12s is not "
                     "available; scanned as a root commit", hex);
            hevent(h, WARD_EV_SKIPPED, WARD_SKIP_OTHER, phex, "skipped", msg);
        } else if (!(par->flags & N_BOUNDARY)) {
            snprintf(msg, sizeof msg, "object not found (parent of commit %.12s)", hex);
            hevent(h, WARD_EV_ERROR, WARD_SKIP_OTHER, phex, "cannot read commit", msg);
        }
        par->flags |= N_BOUNDARY; /* say it once */
    }
    /* After a sweep: a tree with a parent's tree's digest holds the wanted
     * entries that parent's held, at the same paths, and the walk met them
     * there; the commit is not even read again. */
    if (h->sweep && n->has_digest) {
        for (uint32_t k = 0; k < n->npar; k++) {
            cnode *par = &h->g.v[h->g.par[n->par_off + k]];
            if (par->has_digest && par->digest == n->digest)
                return WARD_OK;
        }
    }
    ward_objbuf o;
    git_oid tree;
    size_t np;
    int64_t t;
    int rc = ward_obj_read(h->rd, h->odb, &n->id, 0, &o, NULL, err, sizeof err);
    if (rc == WARD_OBJREAD_OK && parse_commit(h, &o, &tree, &np, &t) < 0) {
        snprintf(err, sizeof err, "malformed commit");
        rc = WARD_OBJREAD_ERROR;
    }
    ward_obj_free(&o);
    if (rc != WARD_OBJREAD_OK) {
        obj_error(h, &n->id, "commit", err, NULL);
        return WARD_OK;
    }
    pb->len = 0;
    if (pb->s)
        pb->s[0] = '\0';
    /* a tree seen before (a revert, an empty commit, one already reported
     * unreadable) holds nothing new */
    char where[80];
    snprintf(where, sizeof where, "the tree of commit %.12s", hex);
    if (h->sweep && ward_sweep_tree_skip(h->sweep, tree.id))
        return WARD_OK;
    int fresh = oidset_add(&h->seen, &tree);
    return fresh < 0   ? WARD_ENOMEM
           : fresh > 0 ? walk_tree(h, p, &tree, where, pb, idx, 0)
                       : WARD_OK;
}

/* A commit by id, for a summary's last commit: read by the delivery reader
 * (the walk is over; one thread).  *a holds the strings until freed. */
static const ward_commit *commit_by_id(pool *p, const git_oid *id, struct author *a,
                                       char sha[GIT_OID_HEXSZ + 1], ward_commit *out)
{
    if (read_author(p, id, a) < 0)
        author_free(a);
    git_oid_tostr(sha, GIT_OID_HEXSZ + 1, id);
    memset(out, 0, sizeof *out);
    out->sha = sha;
    out->author = a->name ? a->name : "";
    out->email = a->email ? a->email : "";
    out->time = a->time;
    out->tz_minutes = a->tz;
    return out;
}

_Static_assert(sizeof(git_oid) == 20, "ward_git_history.blobs views git_oids as 20-byte ids");

/* A commit's tree digest, from the graph (the sweep's digests are gone by
 * then: see ward_sweep_trim). */
static int commit_digest(const git_oid *commit, uint64_t *digest, void *user)
{
    const graph *g = user;
    uint32_t i = graph_find(g, commit);
    if (i == UINT32_MAX || !g->v[i].has_digest)
        return 0;
    *digest = g->v[i].digest;
    return 1;
}

/* After the walk: places each (rule, fingerprint, path) and delivers it
 * once, in the order the walk first met it. */
static void emit_summaries(hist *h, pool *p)
{
    ward_hagg *a = &p->agg;
    for (size_t i = 0; i < p->n_alias; i++)
        if (ward_hagg_alias(a, &p->alias[i].id, p->alias[i].path, p->alias[i].commit) < 0) {
            h->fatal = WARD_ENOMEM;
            return;
        }
    ward_status st = ward_history_locate_with(p->drepo ? p->drepo : h->repo, h->o->branch, a->v,
                                              a->n, h->sweep ? commit_digest : NULL, &h->g);
    if (st) {
        h->fatal = st;
        return;
    }
    for (size_t i = 0; i < a->n && !h->aborted; i++) {
        ward_hrec *r = &a->v[i];
        ward_commit intro, last;
        struct author hold = {0};
        char last_sha[GIT_OID_HEXSZ + 1], removed[GIT_OID_HEXSZ + 1];
        commit_info(p, r->commit, &intro);
        if (r->have_last) {
            commit_by_id(p, &r->last, &hold, last_sha, &last);
        } else {
            /* not on HEAD's line (a branch since deleted, another root):
             * the newest version's commit is the last seen */
            commit_by_id(p, &h->g.v[r->newest].id, &hold, last_sha, &last);
        }
        if (r->have_removed)
            git_oid_tostr(removed, sizeof removed, &r->removed);
        ward_git_history hy = {.last = &last,
                               .versions = r->n_blobs,
                               .present = r->present,
                               .removed_in = r->have_removed ? removed : NULL,
                               .n_refs = r->n_refs,
                               .refs = (const char *const *)r->refs,
                               .n_blobs = r->n_blobs,
                               .blobs = (const unsigned char(*)[20])r->blobs};
        intro.history = &hy;
        if (h->cb->on_finding(r->f, &intro, h->cb->user))
            h->aborted = 1;
        author_free(&hold);
    }
}

static void sweep_progress(uint64_t files, uint64_t bytes, void *user)
{
    hist *h = user;
    if (h->cb->on_progress) {
        ward_progress pr = {files, bytes, 0, 0, 0};
        h->cb->on_progress(&pr, h->cb->user);
    }
}

static unsigned online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

ward_status ward_scan_git(const ward_engine *e, const char *repo, const ward_git_options *opts,
                          const ward_git_callbacks *cb, char *errbuf, size_t errlen)
{
    ward_git_options oo;
    ward_status begun = ward_git_begin(e, opts, cb, &oo, errbuf, errlen);
    if (begun)
        return begun;
    opts = &oo;
    /* Bounded memory: every tree and blob is looked at once, so libgit2's
     * object cache (256 MiB by default) buys little; cap it, and the pack
     * windows mapped at once, process-wide (these are global settings).
     * Its default window is 1 GiB, the whole pack of most histories: its
     * pages then stay resident (2 MiB at a time where the file system has
     * large folios) for as long as libgit2 reads, such as while findings
     * are placed (history.c).  Small windows, few mapped, are unmapped as
     * it goes. */
    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(32 << 20));
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)(8 << 20));
    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)(32 << 20));
    hist h = {.e = e, .o = opts, .cb = cb, .err = errbuf, .errlen = errlen};
    h.max_size = opts->max_file_size ? opts->max_file_size : WARD_GIT_MAX_BLOB;
    ward_status st = ward_git_open(repo, &h.repo, errbuf, errlen);
    uint32_t *order = NULL;
    size_t n_order = 0;
    pool *p = NULL;
    wctx self = {0};
    if (st)
        goto out;
    if (git_repository_odb(&h.odb, h.repo) < 0) {
        ward_set_err(errbuf, errlen, "cannot open the object database: %s", ward_git_msg());
        st = WARD_EIO;
        goto out;
    }
    /* Worktrees share the main repository's objects. */
    char objdir[4096];
    snprintf(objdir, sizeof objdir, "%sobjects", git_repository_commondir(h.repo));
    /* WARD_PACK_READER=libgit2 reads every object through libgit2 instead
     * of pack.c: the switch that keeps the pack reader honest (pack.h). */
    const char *reader = getenv("WARD_PACK_READER");
    if (!(reader && !strcmp(reader, "libgit2")) &&
        (!(h.packs = ward_packs_open(objdir)) ||
         !(h.rd = ward_pack_reader_new(h.packs, WALK_CACHE)))) {
        st = WARD_ENOMEM;
        goto out;
    }
    read_shallow(&h);
    h.partial = is_partial_clone(h.repo) || ward_packs_promisor(h.packs);
    unsigned cpus = online_cpus();
    /* A whole history: a sweep scans every blob first, in pack order
     * (sweep.h).  WARD_GIT_SWEEP=0 walks as for a part of one. */
    const char *sw = getenv("WARD_GIT_SWEEP");
    int sweep = !(sw && !strcmp(sw, "0")) && !opts->range && !opts->since_commit &&
                !opts->n_hide && !opts->branch && !h.partial &&
                ward_sweep_possible(e, h.packs, objdir);
    if (sw && !strcmp(sw, "1") && !sweep) { /* for tests: say so rather than walk */
        ward_set_err(errbuf, errlen, "WARD_GIT_SWEEP=1, but this scan cannot sweep (a part of "
                     "the history, no packs, alternates, or a rule that depends on the path)");
        st = WARD_EINVAL;
        goto out;
    }
    if (sweep) {
        /* The commit graph is built on a thread of its own meanwhile (it
         * reads commits through libgit2 and the walk's reader, which the
         * sweep does not touch); its events wait until the sweep is over,
         * so that callbacks never run on two threads at once. */
        ward_sweep_options so = {.e = e, .packs = h.packs, .max_size = h.max_size,
                                 .scan_binary = opts->scan_binary,
                                 .threads = opts->threads ? opts->threads : cpus,
                                 .cache_bytes = SWEEP_CACHE, .on_progress = sweep_progress,
                                 .user = &h};
        pthread_t ct;
        h.deferring = 1;
        int threaded = pthread_create(&ct, NULL, collect_thread, &h) == 0;
        ward_status cs = threaded ? WARD_OK : collect(&h);
        st = ward_sweep_run(&so, &h.sweep);
        if (threaded) {
            pthread_join(ct, NULL);
            cs = h.collected;
        }
        h.deferring = 0;
        for (size_t i = 0; i < h.n_dev; i++) {
            struct devent *d = &h.dev[i];
            hevent(&h, d->kind, d->skip, d->path, d->what, d->msg);
        }
        if (!st)
            st = cs ? cs : h.fatal;
        if (st)
            goto out;
        /* each commit's tree digest, for passing commits by: looked up in
         * the order of the trees' ids, so that the searches go through the
         * pack's index once, front to back, instead of keeping all of it
         * resident (140 MB for 5 M objects) */
        uint32_t *by_tree = malloc((h.g.n + 1) * sizeof *by_tree);
        size_t nb = 0;
        if (!by_tree) {
            st = WARD_ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < h.g.n && i < h.cap_trees; i++)
            if ((h.g.v[i].flags & N_PARSED) && !(h.g.v[i].flags & N_MISSING))
                by_tree[nb++] = (uint32_t)i;
        qsort_r(by_tree, nb, sizeof *by_tree, tree_cmp, h.trees);
        for (size_t j = 0; j < nb; j++) {
            cnode *c = &h.g.v[by_tree[j]];
            c->has_digest =
                (uint8_t)ward_sweep_digest(h.sweep, h.trees[by_tree[j]].id, &c->digest);
        }
        free(by_tree);
        free(h.trees);
        h.trees = NULL;
        /* what the walk no longer needs of the sweep: the order of reads
         * and the trees' digests */
        if (cb->blob_scanned)
            ward_sweep_each_clean(h.sweep, cb->blob_scanned, cb->user);
        ward_sweep_trim(h.sweep);
    } else {
        /* Every packed object is usually reachable: size the set of ids
         * seen for them at once, instead of doubling it (and holding both
         * copies) as it fills.  After a sweep, the walk meets few. */
        if (h.packs && oidset_reserve(&h.seen, ward_packs_objects(h.packs)) < 0) {
            st = WARD_ENOMEM;
            goto out;
        }
        if ((st = collect(&h)))
            goto out;
    }
    if ((st = order_commits(&h, &order, &n_order)))
        goto out;
    p = calloc(1, sizeof *p);
    if (!p) {
        st = WARD_ENOMEM;
        goto out;
    }
    p->h = &h;
    p->gitdir = git_repository_path(h.repo);
    p->scan_binary = opts->scan_binary;
    p->max_size = h.max_size;
    p->summarise = !opts->all_occurrences;
    clock_gettime(CLOCK_MONOTONIC, &p->last);
    if (git_repository_open_ext(&p->drepo, p->gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
        git_repository_odb(&p->dodb, p->drepo) < 0)
        p->dodb = NULL; /* then findings carry the commit id alone */
    if (h.packs && !(p->drd = ward_pack_reader_new(h.packs, 1u << 20))) {
        st = WARD_ENOMEM;
        goto out;
    }
    if (h.sweep) {
        /* what the sweep scanned clean counts as scanned, and a store
         * records it */
        ward_sweep_counts(h.sweep, &p->files, &p->bytes);
    }
    /* The calling thread is busy walking trees, so by default the workers
     * take the other CPUs (with two CPUs, -j1 beat -j2 by a fifth). */
    unsigned want = opts->threads ? opts->threads : cpus > 1 ? cpus - 1 : 1;
    if (want > 64)
        want = 64;
    p->cache_bytes = WORKER_CACHE_TOTAL / want;
    /* Rather than wait for the workers when the window is full, the walking
     * thread scans a blob itself: with two CPUs the walk is lighter than
     * the reading, and this keeps both busy.  It borrows the walk's reader. */
    self.p = p;
    self.odb = h.odb;
    self.rd = h.rd;
    if (ward_scanner_new(e, &self.sc))
        self.sc = NULL;
    static const ward_queue_ops ops = {wctx_new, wctx_free, run_job, deliver_finding,
                                       deliver_event, job_done};
    ward_queue_config qc = {.threads = want, .window = RING, .wake_batch = WAKE_BATCH,
                            .producer_ctx = self.sc ? &self : NULL};
    if ((st = ward_queue_new(&ops, p, &qc, &p->q)))
        goto out;
    h.pool = p;
    pathbuf pb = {0};
    for (size_t i = 0; i < n_order && !st && !h.aborted; i++)
        st = scan_commit(&h, p, order[i], &pb);
    free(pb.s);
    h.pool = NULL;
    ward_status qs = ward_queue_finish(p->q);
    p->q = NULL;
    if (qs == WARD_EABORT)
        h.aborted = 1;
    else if (qs && !st)
        st = qs;
    if (p->summarise && !st && !h.aborted && !h.fatal)
        emit_summaries(&h, p);
    if (h.fatal && !st)
        st = h.fatal;
    progress(p, 1);
    if (h.missing && !h.aborted) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "%llu object%s of this partial clone's history %s not here and %s not scanned "
                 "(a clone without --filter has them)",
                 (unsigned long long)h.missing, h.missing == 1 ? "" : "s",
                 h.missing == 1 ? "is" : "are", h.missing == 1 ? "was" : "were");
        ward_git_event(cb, WARD_EV_NOTE, WARD_SKIP_OTHER, git_repository_path(h.repo), "partial clone",
              msg);
    }
out:
    if (p) {
        author_free(&p->cur);
        ward_pack_reader_free(p->drd);
        git_odb_free(p->dodb);
        git_repository_free(p->drepo);
        ward_hagg_free(&p->agg);
        for (size_t i = 0; i < p->n_alias; i++)
            free(p->alias[i].path);
        free(p->alias);
        free(p->placed);
        free(p);
    }
    ward_scanner_free(self.sc);
    free(order);
    graph_free(&h.g);
    ward_sweep_free(h.sweep);
    for (size_t i = 0; i < h.n_dev; i++) {
        free(h.dev[i].path);
        free(h.dev[i].what);
        free(h.dev[i].msg);
    }
    free(h.dev);
    free(h.trees);
    free(h.seen.slot);
    free(h.visible.slot);
    free(h.pv);
    ward_pack_reader_free(h.rd);
    ward_packs_free(h.packs);
    git_odb_free(h.odb);
    git_repository_free(h.repo);
    git_libgit2_shutdown();
    if (st == WARD_ETOOBIG && errbuf && !*errbuf)
        ward_set_err(errbuf, errlen, "more than %u commits in the history", UINT32_MAX - 2);
    if (st)
        return st;
    if (h.aborted)
        return WARD_EABORT;
    return h.errors ? WARD_EPARTIAL : WARD_OK;
}

/* ---------------------------------------------------------------------
 * Where a known secret stands now.
 * ------------------------------------------------------------------- */

/* The allocation behind a located history: the struct, then what it
 * points to. */
typedef struct located {
    ward_git_history h;
    ward_commit last;
    char sha[GIT_OID_HEXSZ + 1], removed[GIT_OID_HEXSZ + 1];
    char *author, *email;
    unsigned char (*blobs)[20];
} located;

ward_status ward_git_locate(const char *repo, const char *path, const unsigned char (*blobs)[20],
                            size_t n_blobs, struct ward_git_history **out, char *errbuf,
                            size_t errlen)
{
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!out || !path || (n_blobs && !blobs))
        return WARD_EINVAL;
    *out = NULL;
    if (ward_git2_init(errbuf, errlen))
        return WARD_EIO;
    git_repository *r = NULL;
    ward_status st = ward_git_open(repo, &r, errbuf, errlen);
    located *l = st ? NULL : calloc(1, sizeof *l);
    ward_finding f = {.size = sizeof f, .path = path, .fingerprint = ""};
    ward_hrec rec = {.f = &f, .n_blobs = n_blobs};
    if (!st && !l)
        st = WARD_ENOMEM;
    if (!st && n_blobs) {
        l->blobs = malloc(n_blobs * 20);
        rec.blobs = malloc(n_blobs * sizeof *rec.blobs);
        if (!l->blobs || !rec.blobs)
            st = WARD_ENOMEM;
        for (size_t i = 0; !st && i < n_blobs; i++) {
            memcpy(l->blobs[i], blobs[i], 20);
            git_oid_fromraw(&rec.blobs[i], blobs[i]);
        }
    }
    if (!st)
        st = ward_history_locate(r, NULL, &rec, 1);
    if (!st) {
        git_commit *c = NULL;
        l->h.last = rec.have_last ? &l->last : NULL;
        if (rec.have_last) {
            git_oid_tostr(l->sha, sizeof l->sha, &rec.last);
            const git_signature *a =
                git_commit_lookup(&c, r, &rec.last) == 0 ? git_commit_author(c) : NULL;
            l->author = strdup(a && a->name ? a->name : "");
            l->email = strdup(a && a->email ? a->email : "");
            l->last = (ward_commit){l->sha, l->author ? l->author : "", l->email ? l->email : "",
                                    a ? (int64_t)a->when.time : 0, a ? a->when.offset : 0, NULL};
            git_commit_free(c);
        }
        if (rec.have_removed)
            git_oid_tostr(l->removed, sizeof l->removed, &rec.removed);
        l->h.versions = n_blobs;
        l->h.present = rec.present;
        l->h.removed_in = rec.have_removed ? l->removed : NULL;
        l->h.n_refs = rec.n_refs;
        l->h.refs = (const char *const *)rec.refs;
        rec.refs = NULL; /* now the history's */
        l->h.n_blobs = n_blobs;
        l->h.blobs = (const unsigned char(*)[20])l->blobs;
        *out = &l->h;
    } else if (l) {
        free(l->blobs);
        free(l);
    }
    for (size_t k = 0; k < rec.n_refs && rec.refs; k++)
        free(rec.refs[k]);
    free(rec.refs);
    free(rec.blobs);
    git_repository_free(r);
    git_libgit2_shutdown();
    return st;
}

void ward_git_history_free(struct ward_git_history *h)
{
    if (!h)
        return;
    located *l = (located *)h; /* h is its first member */
    for (size_t k = 0; k < h->n_refs; k++)
        free((char *)h->refs[k]);
    free((void *)h->refs);
    free(l->author);
    free(l->email);
    free(l->blobs);
    free(l);
}
