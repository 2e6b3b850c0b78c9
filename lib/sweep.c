/* sweep.c - a whole history's blobs scanned in pack order (see sweep.h).
 *
 * Both sweeps share out the objects in pack order in chunks, so each
 * thread's reader meets a delta soon after its base (bases that some delta
 * names are kept in its cache); a chunk's first deltas rebuild their chain.
 * What they learn is kept in spare bits of the order's type byte, one byte
 * per object, which only the thread that owns the object writes:
 *
 *   CLEAN  a blob scanned with no finding (with no path: see sweep.h)
 *   READ   a tree read and parsed
 *   DONE   a tree whose digest is final
 *   MARK   a tree the walk must open: its digest is not zero
 *
 * An entry is wanted when the walk must see it: a gitlink, a blob that is
 * not CLEAN (a finding, binary, too large, unreadable, not in a pack), a
 * subtree not in a pack.  A tree's digest is the sum of a hash of (name,
 * id) for its wanted entries and of (name, digest) for its subtrees with a
 * digest; an unreadable tree's is unique.  A commit whose tree has the
 * digest of a parent's tree holds the same wanted entries at the same
 * paths, so the walk passes it by.
 *
 * A digest needs its subtrees' first.  Rather than keep every tree-subtree
 * edge (git/git has 2.9 M, a history of 5 M objects tens of millions), the
 * trees are read in the direction that mostly meets subtrees first: a
 * packed history (git gc) writes a tree before its subtrees, so backwards;
 * git fast-import writes them after, so forwards; a sample of trees
 * decides.  A tree with a subtree not yet DONE waits for the next round,
 * which goes the other way and reads only the trees still waiting.
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
#include "idset.h"
#include "internal.h"

#define F_CLEAN 0x08
#define F_READ 0x10
#define F_MARK 0x20
#define F_DONE 0x40
#define F_STORED F_CLEAN        /* (a tree) waits with its record kept */
#define RECORD_BUDGET (48u << 20) /* bytes of waiting trees' records */
#define MAX_ROUNDS 64           /* then trees still waiting are opened by the walk */
#define SAMPLE 256              /* trees read to choose the direction */
#define CHUNK 1024u             /* objects a thread takes at a time */
#define IDCACHE (1u << 15)      /* each thread's cache of ids looked up */

struct ward_sweep {
    ward_packs *ps;
    ward_pack_order o;
    uint64_t files, bytes;
    /* what the walk reads in a tree the sweep read, besides its marked
     * subtrees: its blobs that are not CLEAN, subtrees not in a pack */
    ward_idset wanted;
    /* for each tree, by its rank among the trees (see sig_at): a digest of
     * the wanted entries below */
    uint64_t *sig;
    uint64_t *is_tree;          /* a bit per object */
    uint32_t *rank;             /* trees before each 64 objects */
};

/* Tree k's digest: only trees have one, so they are kept by rank, eight
 * bytes a tree rather than an object. */
static uint64_t *sig_at(const ward_sweep *s, size_t k)
{
    uint64_t below = s->is_tree[k >> 6] & ((1ull << (k & 63)) - 1);
    return &s->sig[s->rank[k >> 6] + (size_t)__builtin_popcountll(below)];
}

/* Fills is_tree, rank and sig for the order's trees; -1 out of memory. */
static int sig_init(ward_sweep *s)
{
    size_t blocks = s->o.n / 64 + 1, n = 0;
    s->is_tree = calloc(blocks, sizeof *s->is_tree);
    s->rank = calloc(blocks, sizeof *s->rank);
    if (!s->is_tree || !s->rank)
        return -1;
    for (size_t k = 0; k < s->o.n; k++) {
        if (!(k & 63))
            s->rank[k >> 6] = (uint32_t)n;
        if ((s->o.type[k] & 7) == WARD_OBJ_TREE) {
            s->is_tree[k >> 6] |= 1ull << (k & 63);
            n++;
        }
    }
    return (s->sig = calloc(n + 1, sizeof *s->sig)) ? 0 : -1;
}

typedef struct worker {
    const ward_sweep_options *opt;
    ward_sweep *s;
    atomic_size_t *next;
    int pass;                   /* 1: blobs, 2: trees */
    int reverse;                /* trees: last to first */
    int main;                   /* the calling thread: reports progress */
    ward_pack_reader *rd;
    ward_scanner *sc;
    uint64_t files, bytes;
    atomic_ullong *all_files, *all_bytes;
    struct timespec last;
    /* the second sweep's records of trees that wait (see wait_record),
     * and its direct-mapped cache of ids it looked up */
    uint64_t *rec;
    size_t n_rec, cap_rec;
    atomic_size_t *rec_bytes;   /* all threads' records, against the budget */
    size_t budget;
    struct idc { unsigned char id[20]; uint32_t k; } *idc;
    ward_idset wanted;              /* entries that mark a tree (see ward_sweep) */
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
    int owned;
    if (ward_pack_read_order(w->rd, &w->s->o, k, o->max_size, &type, &data, &len, &size, &owned,
                             err, sizeof err) != WARD_PACK_OK)
        return; /* wanted: the walk says why */
    int found = 0;
    if (type == WARD_OBJ_BLOB &&
        (o->scan_binary || !ward_git_binary(data, len))) {
        ward_status st = ward_scan_buffer(w->sc, (const char *)data, len, NULL, stop_at_first,
                                          &found);
        if ((st == WARD_OK || st == WARD_EABORT) && !found) {
            w->s->o.type[k] |= F_CLEAN;
            w->files++;
            w->bytes += len;
        }
    }
    if (owned)
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
    return ward_fnv1a(WARD_FNV_BASIS ^ mode, s, n);
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
    if (ward_idset_put(&w->wanted, id) < 0)
        w->failed = 1;
    return 1;
}

static int rec_push(worker *w, uint64_t x)
{
    if (w->n_rec == w->cap_rec) {
        size_t cap = w->cap_rec ? w->cap_rec * 2 : 4096;
        uint64_t *v = realloc(w->rec, cap * sizeof *v);
        if (!v)
            return -1;
        w->rec = v;
        w->cap_rec = cap;
    }
    w->rec[w->n_rec++] = x;
    return 0;
}

/* A name hash as a record keeps it. */
static uint32_t fold(uint64_t name)
{
    return (uint32_t)(name ^ name >> 32);
}

/* A subtree's part of its tree's digest: the same whether the tree is
 * finished as it is read or later from its record (which keeps only the
 * folded name). */
static uint64_t sub_sig(uint64_t name, uint64_t sig)
{
    return mix(fold(name) ^ mix(sig)) | 1;
}

static unsigned char type_of(const unsigned char *type, size_t k)
{
    return __atomic_load_n(&type[k], __ATOMIC_ACQUIRE);
}

/* Reads tree k and makes its digest, unless a subtree's is not made yet:
 * then it waits for another round.  sample (choosing the direction) counts
 * the subtrees before and after it instead. */
static void sweep_tree(worker *w, size_t k, size_t sample[2])
{
    unsigned char *type = w->s->o.type;
    int t;
    unsigned char *d;
    size_t len;
    uint64_t size;
    char err[256];
    int owned;
    if (ward_pack_read_order(w->rd, &w->s->o, k, 0, &t, &d, &len, &size, &owned, err,
                             sizeof err) !=
        WARD_PACK_OK) {
        /* not READ: the walk opens it and says why */
        *sig_at(w->s, k) = mix(k + 1) | 1;
        __atomic_fetch_or(&type[k], F_DONE | F_MARK, __ATOMIC_RELEASE);
        return;
    }
    int bad = t != WARD_OBJ_TREE, waits = 0;
    uint64_t sig = 0;
    size_t rec_at = w->n_rec;
    int keep = !sample && rec_push(w, 0) == 0 && rec_push(w, 0) == 0; /* header, partial digest */
    ward_tree_entry te;
    for (size_t off = 0; !bad;) {
        int r = ward_tree_next(d, len, &off, &te);
        if (r <= 0) {
            bad = r < 0; /* malformed: the walk reports it */
            break;
        }
        unsigned kind = te.mode & 0170000;
        uint64_t name = 0;
        if (kind == 0040000) {
            name = name_hash((const unsigned char *)te.name, te.name_len, kind);
            uint32_t c = lookup(w, te.id);
            unsigned char ct = c == UINT32_MAX ? 0 : type_of(type, c);
            if (sample) {
                if (c != UINT32_MAX)
                    sample[c > k]++;
            } else if (c == UINT32_MAX) {
                sig += entry_sig(name, te.id); /* not in a pack: the walk reads it */
                want(w, te.id);
            } else if ((ct & 7) != WARD_OBJ_TREE) {
                sig += entry_sig(name, te.id) ^ mix(c); /* not a tree: the walk says so */
            } else if (!(ct & F_DONE)) {
                waits = 1;
                keep = keep && rec_push(w, (uint64_t)c << 32 | fold(name)) == 0;
            } else if (*sig_at(w->s, c)) {
                sig += sub_sig(name, *sig_at(w->s, c));
            }
        } else if (!sample) {
            uint32_t c = kind == 0160000 ? UINT32_MAX : lookup(w, te.id);
            if (kind == 0160000 || c == UINT32_MAX || !(type_of(type, c) & F_CLEAN)) {
                /* a submodule, or a blob the walk reads */
                name = name_hash((const unsigned char *)te.name, te.name_len, kind);
                sig += entry_sig(name, te.id);
                if (kind != 0160000)
                    want(w, te.id);
            }
        }
    }
    if (owned)
        free(d);
    if (sample)
        return;
    if (waits && !bad) {
        /* Keep what is known, to finish it without reading it again, while
         * the budget lasts; else read it again in the next round. */
        size_t words = w->n_rec - rec_at;
        size_t was = keep ? atomic_fetch_add(w->rec_bytes, words * 8) : 0;
        if (keep && was + words * 8 <= w->budget) {
            w->rec[rec_at] = (uint64_t)k << 32 | (uint32_t)(words - 2);
            w->rec[rec_at + 1] = sig;
            __atomic_fetch_or(&type[k], F_READ | F_STORED, __ATOMIC_RELEASE);
        } else {
            if (keep)
                atomic_fetch_sub(w->rec_bytes, words * 8);
            w->n_rec = rec_at;
        }
        return;
    }
    w->n_rec = rec_at;
    if (bad)
        sig = mix(k + 1) | 1; /* equal to no other tree's: the walk opens it */
    *sig_at(w->s, k) = sig;
    __atomic_fetch_or(&type[k],
                      (unsigned char)((bad ? 0 : F_READ) | F_DONE | (sig ? F_MARK : 0)),
                      __ATOMIC_RELEASE);
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
        for (size_t j = at; j < end; j++) {
            size_t k = w->reverse ? o->n - 1 - j : j;
            unsigned char t = type_of(o->type, k);
            if ((t & 7) != want)
                continue;
            if (w->pass == 1)
                sweep_blob(w, k);
            else if (!(t & (F_DONE | F_STORED)))
                sweep_tree(w, k, NULL);
        }
        report(w, 0);
    }
    return NULL;
}

/* Runs pass over the objects on every thread. */
static void run_pass(worker *w, unsigned nt, pthread_t *tid, int pass, int reverse)
{
    atomic_size_t next = 0;
    unsigned started = 1;
    for (unsigned i = 0; i < nt; i++) {
        w[i].pass = pass;
        w[i].reverse = reverse;
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
}

/* Whether trees should be read last to first: when, in a sample of them,
 * more subtrees lie after their tree than before it. */
static int choose_reverse(worker *w)
{
    const ward_pack_order *o = &w->s->o;
    size_t n_trees = 0, count[2] = {0, 0};
    for (size_t k = 0; k < o->n; k++)
        n_trees += (o->type[k] & 7) == WARD_OBJ_TREE;
    size_t step = n_trees / SAMPLE + 1, seen = 0;
    for (size_t k = 0; k < o->n; k++)
        if ((o->type[k] & 7) == WARD_OBJ_TREE && seen++ % step == 0)
            sweep_tree(w, k, count);
    return count[1] > count[0];
}

/* Finishes the waiting trees whose subtrees are all done or kept, from the
 * threads' records: per tree, a header (k << 32 | n), its partial digest,
 * then n subtrees it waited for (subtree k << 32 | name hash).  Children
 * first, by a walk with a stack of its own; a tree that waits for one that
 * is neither done nor kept stays kept for the next time. */
static ward_status finish_kept(ward_sweep *s, worker *w, unsigned nt)
{
    size_t n = 0;
    for (unsigned i = 0; i < nt; i++)
        for (size_t at = 0; at < w[i].n_rec; at += 2 + (uint32_t)w[i].rec[at])
            n++;
    if (!n)
        return WARD_OK;
    size_t cap = 1;
    while (cap < 2 * n)
        cap *= 2;
    /* where each kept tree's record is: thread and offset, by k */
    struct slot {
        uint32_t k, thread;
        size_t at;
        unsigned char state;
    } *map = calloc(cap, sizeof *map);
    uint32_t *stack = malloc(n * sizeof *stack);
    if (!map || !stack) {
        free(map);
        free(stack);
        return WARD_ENOMEM;
    }
    for (unsigned i = 0; i < nt; i++)
        for (size_t at = 0; at < w[i].n_rec; at += 2 + (uint32_t)w[i].rec[at]) {
            uint32_t k = (uint32_t)(w[i].rec[at] >> 32);
            size_t j = mix(k) & (cap - 1);
            while (map[j].state)
                j = (j + 1) & (cap - 1);
            map[j] = (struct slot){k, i, at, 1};
        }
    /* state: 1 to do, 2 on the stack, 3 done, 4 blocked */
    unsigned char *type = s->o.type;
    for (size_t r = 0; r < cap; r++) {
        if (map[r].state != 1)
            continue;
        size_t sp = 0;
        stack[sp++] = (uint32_t)r;
        map[r].state = 2;
        while (sp) {
            struct slot *t = &map[stack[sp - 1]];
            const uint64_t *rec = w[t->thread].rec + t->at;
            uint32_t nc = (uint32_t)rec[0];
            int pushed = 0, blocked = 0;
            for (uint32_t i = 0; i < nc && !pushed; i++) {
                uint32_t c = (uint32_t)(rec[2 + i] >> 32);
                if (type[c] & F_DONE)
                    continue;
                if (!(type[c] & F_STORED)) {
                    blocked = 1;
                    continue;
                }
                size_t j = mix(c) & (cap - 1);
                while (map[j].state && map[j].k != c)
                    j = (j + 1) & (cap - 1);
                if (map[j].state == 1 && sp < n) {
                    map[j].state = 2;
                    stack[sp++] = (uint32_t)j;
                    pushed = 1;
                } else if (map[j].state != 3) {
                    blocked = 1; /* waiting in turn, or a cycle */
                }
            }
            if (pushed)
                continue;
            sp--;
            if (blocked) {
                t->state = 4;
                continue;
            }
            uint64_t sig = rec[1];
            for (uint32_t i = 0; i < nc; i++) {
                uint32_t c = (uint32_t)(rec[2 + i] >> 32);
                if (*sig_at(s, c))
                    sig += sub_sig((uint32_t)rec[2 + i], *sig_at(s, c));
            }
            *sig_at(s, t->k) = sig;
            type[t->k] = (unsigned char)((type[t->k] & ~F_STORED) | F_DONE | (sig ? F_MARK : 0));
            t->state = 3;
        }
    }
    /* the blocked stay kept: their records move to the front */
    for (unsigned i = 0; i < nt; i++) {
        size_t out = 0;
        for (size_t at = 0, len; at < w[i].n_rec; at += len) {
            len = 2 + (uint32_t)w[i].rec[at];
            if (type[w[i].rec[at] >> 32] & F_DONE)
                continue;
            memmove(w[i].rec + out, w[i].rec + at, len * sizeof *w[i].rec);
            out += len;
        }
        w[i].n_rec = out;
    }
    free(map);
    free(stack);
    return WARD_OK;
}

/* Digests for every tree: rounds in turn directions until none waits. */
static ward_status tree_rounds(ward_sweep *s, worker *w, unsigned nt, pthread_t *tid)
{
    int reverse = choose_reverse(&w[0]);
    size_t left = SIZE_MAX;
    ward_status st = WARD_OK;
    for (int round = 0; round < MAX_ROUNDS && !st; round++, reverse = !reverse) {
        run_pass(w, nt, tid, 2, reverse);
        st = finish_kept(s, w, nt);
        size_t now = 0;
        for (size_t k = 0; k < s->o.n; k++)
            now += (s->o.type[k] & 7) == WARD_OBJ_TREE && !(s->o.type[k] & F_DONE);
        if (!now || now == left)
            break;
        left = now;
    }
    /* A tree still waiting (a damaged pack can make a cycle) is opened by
     * the walk. */
    for (size_t k = 0; k < s->o.n; k++)
        if ((s->o.type[k] & 7) == WARD_OBJ_TREE && !(s->o.type[k] & F_DONE)) {
            *sig_at(s, k) = mix(k + 1) | 1;
            s->o.type[k] = (unsigned char)((s->o.type[k] & ~F_STORED) | F_DONE | F_MARK);
        }
    return st;
}

ward_status ward_sweep_run(const ward_sweep_options *opt, ward_sweep **out)
{
    *out = NULL;
    ward_sweep *s = calloc(1, sizeof *s);
    if (!s)
        return WARD_ENOMEM;
    s->ps = opt->packs;
    if (ward_pack_order_build(opt->packs, &s->o) < 0 || sig_init(s) < 0) {
        ward_sweep_free(s);
        return WARD_ENOMEM;
    }
    unsigned nt = opt->threads ? opt->threads : 1;
    worker *w = calloc(nt, sizeof *w);
    pthread_t *tid = calloc(nt, sizeof *tid);
    atomic_ullong files = 0, bytes = 0;
    atomic_size_t rec_bytes = 0;
    /* WARD_SWEEP_BUDGET=0 makes every waiting tree be read again (tests) */
    const char *bv = getenv("WARD_SWEEP_BUDGET");
    size_t budget = bv && *bv ? (size_t)strtoull(bv, NULL, 10) : RECORD_BUDGET;
    ward_status st = w && tid ? WARD_OK : WARD_ENOMEM;
    for (unsigned i = 0; i < nt && !st; i++) {
        w[i] = (worker){.opt = opt, .s = s, .main = i == 0, .all_files = &files,
                        .all_bytes = &bytes, .rec_bytes = &rec_bytes,
                        .budget = budget};
        if (!(w[i].rd = ward_pack_reader_new(opt->packs, opt->cache_bytes)) ||
            ward_scanner_new(opt->e, &w[i].sc) ||
            !(w[i].idc = calloc(IDCACHE, sizeof *w[i].idc)))
            st = WARD_ENOMEM;
    }
    if (!st) {
        run_pass(w, nt, tid, 1, 0);
        report(&w[0], 1);
        st = tree_rounds(s, w, nt, tid);
    }
    s->files = atomic_load(&files);
    s->bytes = atomic_load(&bytes);
    for (unsigned i = 0; w && i < nt; i++) {
        static const unsigned char none[20];
        for (size_t j = 0; !st && j < w[i].wanted.cap; j++)
            if (memcmp(w[i].wanted.v[j], none, 20) &&
                ward_idset_put(&s->wanted, w[i].wanted.v[j]) < 0)
                st = WARD_ENOMEM;
        if (w[i].wanted.zero && ward_idset_put(&s->wanted, none) < 0)
            st = WARD_ENOMEM;
        if (w[i].failed)
            st = WARD_ENOMEM;
        ward_idset_free(&w[i].wanted);
        free(w[i].rec);
        free(w[i].idc);
        ward_scanner_free(w[i].sc);
        ward_pack_reader_free(w[i].rd);
    }
    free(w);
    free(tid);
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
    ward_idset_free(&s->wanted);
    free(s->sig);
    free(s->is_tree);
    free(s->rank);
    free(s);
}

void ward_sweep_trim(ward_sweep *s)
{
    free(s->sig);
    s->sig = NULL;
    free(s->is_tree);
    s->is_tree = NULL;
    free(s->rank);
    s->rank = NULL;
    free(s->o.pos);
    s->o.pos = NULL;
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
    if (!s || !s->sig || !ward_pack_order_locate(s->ps, &s->o, id, &k) ||
        (s->o.type[k] & 7) != WARD_OBJ_TREE || !(s->o.type[k] & F_READ))
        return 0;
    *sig = *sig_at(s, k);
    return 1;
}

int ward_sweep_wants(const ward_sweep *s, const unsigned char id[20])
{
    return ward_idset_has(&s->wanted, id);
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
    for (size_t k = 0; s && s->o.pos && k < s->o.n; k++)
        if (s->o.type[k] & F_CLEAN)
            fn(ward_pack_order_id(s->ps, &s->o, k), user);
}
