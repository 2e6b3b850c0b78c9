/* sweep.c - a whole history's blobs scanned in pack order (see sweep.h).
 *
 * Both sweeps share out the objects in pack order in chunks, so each
 * thread's reader meets a delta soon after its base (bases that some delta
 * names are kept in its cache); a chunk's first deltas rebuild their chain.
 * What they learn is kept in spare bits of the order's type byte, one byte
 * per object, which only the thread that owns the object writes:
 *
 *   CLEAN  a blob scanned with no finding (with no path: see sweep.h)
 *   READ   a tree read and parsed by the second sweep
 *   MARK   a tree the walk must open
 *
 * An entry is wanted when the walk must see it: a gitlink, a blob that is
 * not CLEAN (a finding, binary, too large, unreadable, not in a pack), a
 * subtree not in a pack.  Each tree gets a digest: the sum of a hash of
 * (name, id) for its wanted entries and of (name, digest) for its subtrees
 * with one; an unread tree's is unique.  A tree with a digest is MARKed,
 * and a commit whose tree has the digest of a parent's tree holds the same
 * wanted entries at the same paths, so the walk passes it by.  Over
 * git/git most commits are passed by, though most trees hold something
 * wanted somewhere below.
 */
#define _GNU_SOURCE
#include "sweep.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gitrepo.h"
#include "internal.h"

#define F_CLEAN 0x08
#define F_READ 0x10
#define F_MARK 0x20
#define CHUNK 1024u             /* objects a thread takes at a time */
#define IDCACHE (1u << 15)      /* each thread's cache of ids looked up */

/* A set of ids, by open addressing; the all-zero id is a flag of its own. */
typedef struct idset {
    unsigned char (*v)[20];
    size_t n, cap;
    int zero;
} idset;

static size_t id_slot(const unsigned char *id, size_t cap)
{
    uint64_t h;
    memcpy(&h, id, sizeof h);
    return (size_t)(h * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
}

static int id_is_zero(const unsigned char *id)
{
    static const unsigned char z[20];
    return !memcmp(id, z, 20);
}

static int idset_has(const idset *s, const unsigned char *id)
{
    if (id_is_zero(id))
        return s->zero;
    if (!s->cap)
        return 0;
    for (size_t i = id_slot(id, s->cap);; i = (i + 1) & (s->cap - 1)) {
        if (!memcmp(s->v[i], id, 20))
            return 1;
        if (id_is_zero(s->v[i]))
            return 0;
    }
}

static int idset_put(idset *s, const unsigned char *id)
{
    if (id_is_zero(id)) {
        s->zero = 1;
        return 0;
    }
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        unsigned char(*v)[20] = calloc(cap, 20);
        if (!v)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (id_is_zero(s->v[i]))
                continue;
            size_t j = id_slot(s->v[i], cap);
            while (!id_is_zero(v[j]))
                j = (j + 1) & (cap - 1);
            memcpy(v[j], s->v[i], 20);
        }
        free(s->v);
        s->v = v;
        s->cap = cap;
    }
    size_t i = id_slot(id, s->cap);
    for (; !id_is_zero(s->v[i]); i = (i + 1) & (s->cap - 1))
        if (!memcmp(s->v[i], id, 20))
            return 0;
    memcpy(s->v[i], id, 20);
    s->n++;
    return 0;
}

struct ward_sweep {
    ward_packs *ps;
    ward_pack_order o;
    uint64_t files, bytes;
    /* what the walk opens or reads in a tree the sweep read: its marked
     * subtrees and those not in a pack, and its blobs that are not CLEAN */
    idset wanted;
    /* by k, for trees: a digest of the wanted entries below (see sig_of) */
    uint64_t *sig;
};

typedef struct worker {
    const ward_sweep_options *opt;
    ward_sweep *s;
    atomic_size_t *next;
    int pass;                   /* 1: blobs, 2: trees */
    int main;                   /* the calling thread: reports progress */
    ward_pack_reader *rd;
    ward_scanner *sc;
    uint64_t files, bytes;
    atomic_ullong *all_files, *all_bytes;
    struct timespec last;
    /* the second sweep's: edges (subtree k << 32 | tree k), and a
     * direct-mapped cache of ids it looked up */
    struct edge { uint32_t child, parent, name; } *edge;
    size_t n_edge, cap_edge;
    struct idc { unsigned char id[20]; uint32_t k; } *idc;
    idset wanted;              /* entries that mark a tree (see ward_sweep) */
    int failed;
} worker;

int ward_sweep_possible(const ward_engine *e, const ward_packs *ps, const char *objects_dir)
{
    if (!ps || !ward_packs_count(ps))
        return 0;
    for (size_t i = 0; i < e->n_rules; i++)
        if (e->rules[i].path_re || e->rules[i].path)
            return 0;
    char alt[4200];
    snprintf(alt, sizeof alt, "%s/info/alternates", objects_dir);
    return access(alt, F_OK) != 0;
}

static int stop_at_first(const ward_finding *f, void *user)
{
    (void)f;
    *(int *)user = 1;
    return 1;
}

static void sweep_blob(worker *w, size_t k)
{
    const ward_sweep_options *o = w->opt;
    int type;
    unsigned char *data;
    size_t len;
    uint64_t size;
    char err[256];
    if (ward_pack_read_order(w->rd, &w->s->o, k, o->max_size, &type, &data, &len, &size, err,
                             sizeof err) != WARD_PACK_OK)
        return; /* wanted: the walk says why */
    int found = 0;
    if (type == WARD_OBJ_BLOB &&
        (o->scan_binary || ward_utf16_bom((const char *)data, len) ||
         !memchr(data, 0, len < WARD_GIT_BINARY_PROBE ? len : WARD_GIT_BINARY_PROBE))) {
        ward_status st = ward_scan_buffer(w->sc, (const char *)data, len, NULL, stop_at_first,
                                          &found);
        if ((st == WARD_OK || st == WARD_EABORT) && !found) {
            w->s->o.type[k] |= F_CLEAN;
            w->files++;
            w->bytes += len;
        }
    }
    free(data);
}

/* The k of id (UINT32_MAX: not in a pack), through the thread's cache. */
static uint32_t lookup(worker *w, const unsigned char *id)
{
    uint32_t h;
    memcpy(&h, id + 4, sizeof h);
    struct idc *c = &w->idc[h & (IDCACHE - 1)];
    if (c->k && !memcmp(c->id, id, 20))
        return c->k - 1;
    size_t k;
    uint32_t r = ward_pack_order_locate(w->s->ps, &w->s->o, id, &k) ? (uint32_t)k : UINT32_MAX;
    memcpy(c->id, id, 20);
    c->k = r + 1; /* 0: empty; UINT32_MAX + 1 wraps to 0 and is looked up again */
    return r;
}

static int push_edge(worker *w, uint32_t child, size_t parent, uint64_t name)
{
    if (w->n_edge == w->cap_edge) {
        size_t cap = w->cap_edge ? w->cap_edge * 2 : 4096;
        struct edge *v = realloc(w->edge, cap * sizeof *v);
        if (!v)
            return -1;
        w->edge = v;
        w->cap_edge = cap;
    }
    w->edge[w->n_edge++] = (struct edge){child, (uint32_t)parent, (uint32_t)(name ^ name >> 32)};
    return 0;
}

/* 64-bit FNV-1a, then mixed: names and ids into a tree's digest. */
static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

static uint64_t name_hash(const unsigned char *s, size_t n, unsigned mode)
{
    uint64_t h = 1469598103934665603ull ^ mode;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

/* One entry's part of a digest: a sum of these is the same in any order. */
static uint64_t entry_sig(uint64_t name, const unsigned char *id)
{
    uint64_t x;
    memcpy(&x, id, sizeof x);
    return mix(name ^ mix(x)) | 1;
}

static int want(worker *w, const unsigned char *id)
{
    if (idset_put(&w->wanted, id) < 0)
        w->failed = 1;
    return 1;
}

static void sweep_tree(worker *w, size_t k)
{
    unsigned char *type = w->s->o.type;
    int t;
    unsigned char *d;
    size_t len;
    uint64_t size;
    char err[256];
    if (ward_pack_read_order(w->rd, &w->s->o, k, 0, &t, &d, &len, &size, err, sizeof err) !=
        WARD_PACK_OK)
        return; /* not READ: the walk opens it and says why */
    int bad = t != WARD_OBJ_TREE, mark = 0;
    uint64_t sig = 0;
    ward_tree_entry te;
    for (size_t off = 0; t == WARD_OBJ_TREE;) {
        int r = ward_tree_next(d, len, &off, &te);
        if (r <= 0) {
            bad = r < 0; /* malformed: the walk reports it */
            break;
        }
        unsigned mode = te.mode;
        const unsigned char *id = te.id;
        const unsigned char *name = (const unsigned char *)te.name;
        const unsigned char *nul = name + te.name_len;
        unsigned kind = mode & 0170000;
        int wanted = 0;
        if (kind == 0160000) {
            wanted = 1; /* a submodule: the walk reports it */
        } else if (kind == 0040000) {
            uint32_t c = lookup(w, id);
            if (c == UINT32_MAX)
                wanted = want(w, id);
            else if (push_edge(w, c, k, name_hash(name, (size_t)(nul - name), kind)) < 0)
                w->failed = 1, mark = 1;
        } else {
            uint32_t c = lookup(w, id);
            if (c == UINT32_MAX || !(type[c] & F_CLEAN))
                wanted = want(w, id);
        }
        if (wanted) {
            mark = 1;
            sig += entry_sig(name_hash(name, (size_t)(nul - name), kind), id);
        }
    }
    if (bad) {
        mark = 1;
        sig = mix(k + 1) | 1; /* equal to no other tree's: the walk opens it */
    }
    w->s->sig[k] = sig;
    free(d);
    type[k] |= (unsigned char)(F_READ | (mark ? F_MARK : 0));
}

static void report(worker *w, int force)
{
    const ward_sweep_options *o = w->opt;
    atomic_fetch_add(w->all_files, w->files);
    atomic_fetch_add(w->all_bytes, w->bytes);
    w->files = w->bytes = 0;
    if (!w->main || !o->on_progress)
        return;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (!force &&
        (t.tv_sec - w->last.tv_sec) * 1000 + (t.tv_nsec - w->last.tv_nsec) / 1000000 < 100)
        return;
    w->last = t;
    o->on_progress(atomic_load(w->all_files), atomic_load(w->all_bytes), o->user);
}

static void *work(void *arg)
{
    worker *w = arg;
    const ward_pack_order *o = &w->s->o;
    int want = w->pass == 1 ? WARD_OBJ_BLOB : WARD_OBJ_TREE;
    for (;;) {
        size_t at = atomic_fetch_add(w->next, CHUNK);
        if (at >= o->n)
            break;
        size_t end = at + CHUNK < o->n ? at + CHUNK : o->n;
        for (size_t k = at; k < end; k++) {
            if ((o->type[k] & 7) != want)
                continue;
            if (w->pass == 1)
                sweep_blob(w, k);
            else
                sweep_tree(w, k);
        }
        report(w, 0);
    }
    return NULL;
}

/* Each tree's digest: its own wanted entries' (already in sig), plus, for
 * each subtree with a digest, that digest under the subtree's name.  Two
 * trees with the same digest hold the same wanted entries at the same
 * paths.  Children first, by a walk with a stack of its own; a tree whose
 * digest is being made is not entered twice (git's ids forbid cycles, a
 * damaged pack does not). */
static ward_status digests(ward_sweep *s, struct edge *edge, size_t n_edge)
{
    size_t n = s->o.n;
    /* a tree's edges lie together (one thread pushed them in a row):
     * they are [first[k], first[k] + count[k]) */
    uint32_t *first = calloc(n + 1, sizeof *first), *count = calloc(n + 1, sizeof *count);
    unsigned char *state = calloc(n, 1);            /* 1 in progress, 2 done */
    uint32_t *stack = malloc((n + 1) * sizeof *stack);
    if (!first || !count || !state || !stack || n_edge >= UINT32_MAX) {
        free(first);
        free(count);
        free(state);
        free(stack);
        return WARD_ENOMEM;
    }
    for (size_t i = 0; i < n_edge; i++) {
        if (!count[edge[i].parent]++)
            first[edge[i].parent] = (uint32_t)i;
    }
    for (size_t root = 0; root < n; root++) {
        if ((s->o.type[root] & 7) != WARD_OBJ_TREE || state[root])
            continue;
        size_t sp = 0;
        stack[sp++] = (uint32_t)root;
        state[root] = 1;
        while (sp) {
            uint32_t t = stack[sp - 1];
            int pushed = 0;
            for (uint32_t i = first[t]; i < first[t] + count[t] && !pushed; i++) {
                uint32_t c = edge[i].child;
                if (!state[c] && sp < n) {
                    state[c] = 1;
                    stack[sp++] = c;
                    pushed = 1;
                }
            }
            if (pushed)
                continue;
            uint64_t sig = s->sig[t];
            if (!(s->o.type[t] & F_READ))
                sig = mix(t + 1); /* unread: never equal to another */
            for (uint32_t i = first[t]; i < first[t] + count[t]; i++) {
                uint64_t cs = state[edge[i].child] == 2 ? s->sig[edge[i].child] : mix(~(uint64_t)t);
                if (cs)
                    sig += mix(edge[i].name ^ mix(cs)) | 1;
            }
            s->sig[t] = sig;
            if (sig)
                s->o.type[t] |= F_MARK;
            state[t] = 2;
            sp--;
        }
    }
    free(count);
    free(first);
    free(state);
    free(stack);
    return WARD_OK;
}

ward_status ward_sweep_run(const ward_sweep_options *opt, ward_sweep **out)
{
    *out = NULL;
    ward_sweep *s = calloc(1, sizeof *s);
    if (!s)
        return WARD_ENOMEM;
    s->ps = opt->packs;
    if (ward_pack_order_build(opt->packs, &s->o) < 0 ||
        !(s->sig = calloc(s->o.n + 1, sizeof *s->sig))) {
        ward_pack_order_free(&s->o);
        free(s);
        return WARD_ENOMEM;
    }
    unsigned nt = opt->threads ? opt->threads : 1;
    worker *w = calloc(nt, sizeof *w);
    pthread_t *tid = calloc(nt, sizeof *tid);
    atomic_ullong files = 0, bytes = 0;
    ward_status st = w && tid ? WARD_OK : WARD_ENOMEM;
    for (unsigned i = 0; i < nt && !st; i++) {
        w[i] = (worker){.opt = opt, .s = s, .main = i == 0, .all_files = &files,
                        .all_bytes = &bytes};
        if (!(w[i].rd = ward_pack_reader_new(opt->packs, opt->cache_bytes)) ||
            ward_scanner_new(opt->e, &w[i].sc) ||
            !(w[i].idc = calloc(IDCACHE, sizeof *w[i].idc)))
            st = WARD_ENOMEM;
    }
    for (int pass = 1; pass <= 2 && !st; pass++) {
        atomic_size_t next = 0;
        unsigned started = 1;
        for (unsigned i = 0; i < nt; i++) {
            w[i].pass = pass;
            w[i].next = &next;
        }
        for (unsigned i = 1; i < nt; i++)
            if (pthread_create(&tid[i], NULL, work, &w[i]) == 0)
                started++;
            else
                break;
        work(&w[0]);
        for (unsigned i = 1; i < started; i++)
            pthread_join(tid[i], NULL);
        if (pass == 1)
            report(&w[0], 1);
    }
    s->files = atomic_load(&files);
    s->bytes = atomic_load(&bytes);
    /* the edges, gathered into one array */
    size_t n_edge = 0;
    for (unsigned i = 0; w && i < nt; i++) {
        n_edge += w[i].n_edge;
        if (w[i].failed)
            st = WARD_ENOMEM;
    }
    /* into the first thread's array, each other one freed once copied */
    struct edge *edge = st || !w ? NULL : realloc(w[0].edge, (n_edge + 1) * sizeof *edge);
    if (!st && !edge)
        st = WARD_ENOMEM;
    if (edge)
        w[0].edge = NULL;
    for (size_t i = 0, at = edge ? w[0].n_edge : 0; w && i < nt; i++) {
        if (i && edge && w[i].n_edge) {
            memcpy(edge + at, w[i].edge, w[i].n_edge * sizeof *edge);
            at += w[i].n_edge;
        }
        for (size_t j = 0; !st && j < w[i].wanted.cap; j++)
            if (!id_is_zero(w[i].wanted.v[j]) && idset_put(&s->wanted, w[i].wanted.v[j]) < 0)
                st = WARD_ENOMEM;
        if (w[i].wanted.zero)
            s->wanted.zero = 1;
        free(w[i].wanted.v);
        free(w[i].edge);
        free(w[i].idc);
        ward_scanner_free(w[i].sc);
        ward_pack_reader_free(w[i].rd);
    }
    free(w);
    free(tid);
    if (!st)
        st = digests(s, edge, n_edge);
    free(edge);
    for (size_t k = 0; !st && k < s->o.n; k++)
        if ((s->o.type[k] & 7) == WARD_OBJ_TREE && (s->o.type[k] & F_MARK) &&
            idset_put(&s->wanted, ward_pack_order_id(s->ps, &s->o, k)) < 0)
            st = WARD_ENOMEM;
    if (st) {
        ward_sweep_free(s);
        return st;
    }
    *out = s;
    return WARD_OK;
}

void ward_sweep_free(ward_sweep *s)
{
    if (!s)
        return;
    ward_pack_order_free(&s->o);
    free(s->wanted.v);
    free(s->sig);
    free(s);
}

int ward_sweep_swept(const ward_sweep *s, const unsigned char id[20])
{
    size_t k;
    return s && ward_pack_order_locate(s->ps, &s->o, id, &k) &&
           (s->o.type[k] & 7) == WARD_OBJ_TREE && (s->o.type[k] & F_READ);
}

int ward_sweep_digest(const ward_sweep *s, const unsigned char id[20], uint64_t *sig)
{
    size_t k;
    if (!s || !ward_pack_order_locate(s->ps, &s->o, id, &k) ||
        (s->o.type[k] & 7) != WARD_OBJ_TREE || !(s->o.type[k] & F_READ))
        return 0;
    *sig = s->sig[k];
    return 1;
}

int ward_sweep_wants(const ward_sweep *s, const unsigned char id[20])
{
    return idset_has(&s->wanted, id);
}

int ward_sweep_tree_skip(const ward_sweep *s, const unsigned char id[20])
{
    size_t k;
    if (!s || !ward_pack_order_locate(s->ps, &s->o, id, &k))
        return 0;
    unsigned t = s->o.type[k];
    return (t & 7) == WARD_OBJ_TREE && (t & F_READ) && !(t & F_MARK);
}

int ward_sweep_blob_clean(const ward_sweep *s, const unsigned char id[20])
{
    size_t k;
    return s && ward_pack_order_locate(s->ps, &s->o, id, &k) && (s->o.type[k] & F_CLEAN);
}

void ward_sweep_counts(const ward_sweep *s, uint64_t *files, uint64_t *bytes)
{
    *files = s ? s->files : 0;
    *bytes = s ? s->bytes : 0;
}

void ward_sweep_each_clean(const ward_sweep *s, void (*fn)(const unsigned char id[20], void *),
                           void *user)
{
    for (size_t k = 0; s && k < s->o.n; k++)
        if (s->o.type[k] & F_CLEAN)
            fn(ward_pack_order_id(s->ps, &s->o, k), user);
}
