/* pack.c - objects read straight from pack files (see pack.h).
 *
 * An index (version 2) is a fan-out table of 256 counts, the sorted ids,
 * their CRCs, 31-bit offsets and a table of 64-bit offsets for the large
 * ones.  A pack is "PACK", a version, a count, then objects: a header of
 * type and inflated size (7 bits a byte, the first byte holding 4), then
 * zlib data; a delta names its base by a backward distance (OFS_DELTA) or
 * by id (REF_DELTA), and its data is two sizes and copy/insert commands.
 *
 * Everything read from a pack is checked against the bounds of the mapping
 * and against the sizes the headers announce; anything off is reported as
 * corrupt with the pack's name and the offset, never trusted.
 *
 * Memory.  Mapped pages that were read count toward a process's resident
 * set, so a scan of a multi-gigabyte pack would look like one that holds it
 * all.  After every 16 MiB mapped, the mappings' pages are dropped (they
 * stay in the page cache; touching them again is a minor fault), and a
 * large index's pages after every 16 MiB of searches (account_idx).
 */
#define _GNU_SOURCE
#include "pack.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>

#define HARD_MAX (1ull << 30)      /* no object larger than this is read */
#define MAX_CHAIN 10000u           /* longer delta chains are called corrupt */
#define DROP_EVERY (16ull << 20)   /* bytes mapped in between dropping mapped pages */
#define IDX_DROP_EVERY (16ull << 20) /* the same for large indexes (account_idx) */
/* What one read maps in at least: a fault on a file mapping also maps the
 * cached pages around it (fault_around_bytes, 64 KiB by default, more
 * where folios are large; counting 256 KiB kept the bound), so
 * counting only the compressed bytes let a history's random reads keep
 * 200 MiB of the pack resident between drops. */
#define FAULT_AROUND (256u << 10)
#define CACHE_BUCKETS (1u << 17) /* most lookups miss: keep chains short */
#define BIG_INDEX (32u << 20)    /* indexes larger than this are not kept resident */

enum { OBJ_OFS_DELTA = 6, OBJ_REF_DELTA = 7 };

typedef struct pack {
    const unsigned char *idx, *data;
    size_t idx_len, len;
    uint32_t n;
    const unsigned char *fanout, *ids, *off32, *off64;
    size_t nlarge;
    int mapped;
    char name[64];
} pack;

struct ward_packs {
    pack *v;
    size_t n;
    int promisor;       /* a pack-*.promisor file was seen */
    int big_index;      /* the indexes are too large to keep resident (see find_any) */
    atomic_ullong read; /* bytes read from the mappings, for dropping pages */
    atomic_ullong idx_read; /* the same for large indexes alone (account_idx) */
    int keep_pages;     /* never drop (ward_packs_keep_pages) */
};

typedef struct centry {
    struct centry *hnext, *prev, *next;
    uint64_t key;
    size_t len;
    int type;
    unsigned char *data;  /* malloc'd, NUL-terminated, the entry's own */
} centry;

typedef struct chain_link {
    uint32_t pack;
    uint64_t off, data_off, size;
} chain_link;

struct ward_pack_reader {
    ward_packs *ps;
    struct libdeflate_decompressor *z;
    centry **bucket;
    centry *head, *tail; /* most recently used first */
    size_t bytes, cap;
    chain_link *chain;
    size_t nchain, capchain;
    uint32_t last_pack;  /* where the last object was found */
    int sequential;      /* reading in pack order (ward_pack_read_order) */
    const pack *seq_pack; /* and where in the pack it read last: */
    uint64_t seq_block;  /* the last 64 KiB block it mapped (see inflate_at) */
    int lend, lent;      /* the caller takes a cached object without a copy */
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* ---------------------------------------------------------------------
 * Indexes and packs.
 * ------------------------------------------------------------------- */

static int pack_init(pack *p)
{
    const unsigned char *x = p->idx;
    if (p->idx_len < 8 + 1024 + 40 || memcmp(x, "\377tOc", 4) || be32(x + 4) != 2)
        return -1;
    p->fanout = x + 8;
    uint32_t prev = 0;
    for (int i = 0; i < 256; i++) {
        uint32_t c = be32(p->fanout + 4 * i);
        if (c < prev)
            return -1;
        prev = c;
    }
    p->n = prev;
    uint64_t need = 8 + 1024 + (uint64_t)p->n * 28 + 40;
    if (need > p->idx_len || (p->idx_len - need) % 8)
        return -1;
    p->nlarge = (size_t)(p->idx_len - need) / 8;
    p->ids = x + 8 + 1024;
    p->off32 = p->ids + (size_t)p->n * 24; /* past the ids and the CRCs */
    p->off64 = p->off32 + (size_t)p->n * 4;
    const unsigned char *d = p->data;
    if (p->len < 12 + 20 || memcmp(d, "PACK", 4) || (be32(d + 4) != 2 && be32(d + 4) != 3) ||
        be32(d + 8) != p->n)
        return -1;
    return 0;
}

static void *map_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    void *m = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
        if (m == MAP_FAILED) {
            m = NULL;
        } else {
            *len = (size_t)st.st_size;
            /* A file system with large folios (ext4, xfs) would map 2 MiB
             * at every read: bounded resident memory needs small pages. */
            madvise(m, (size_t)st.st_size, MADV_NOHUGEPAGE);
        }
    }
    close(fd);
    return m;
}

static void pack_unmap(pack *p)
{
    if (!p->mapped)
        return;
    munmap((void *)p->idx, p->idx_len);
    munmap((void *)p->data, p->len);
}

static int add_pack(ward_packs *ps, const pack *p)
{
    pack *v = realloc(ps->v, (ps->n + 1) * sizeof *v);
    if (!v)
        return -1;
    ps->v = v;
    ps->v[ps->n++] = *p;
    size_t all = 0;
    for (size_t i = 0; i < ps->n; i++)
        all += ps->v[i].idx_len;
    ps->big_index = all > BIG_INDEX;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ward_packs *ward_packs_open(const char *objects_dir)
{
    ward_packs *ps = calloc(1, sizeof *ps);
    if (!ps)
        return NULL;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/pack", objects_dir);
    DIR *d = opendir(dir);
    if (!d)
        return ps;
    char **names = NULL;
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l > 9 && !strcmp(de->d_name + l - 9, ".promisor"))
            ps->promisor = 1;
        if (l < 5 || strcmp(de->d_name + l - 4, ".idx") || strncmp(de->d_name, "pack-", 5))
            continue;
        char **v = realloc(names, (nn + 1) * sizeof *v);
        if (!v || !(v[nn] = strdup(de->d_name))) {
            free(v ? v : names);
            names = NULL;
            nn = 0;
            break;
        }
        names = v;
        nn++;
    }
    closedir(d);
    if (nn)
        qsort(names, nn, sizeof *names, name_cmp); /* a stable order */
    for (size_t i = 0; i < nn; i++) {
        char ip[4096 + 256], pp[4096 + 256];
        snprintf(ip, sizeof ip, "%s/%s", dir, names[i]);
        snprintf(pp, sizeof pp, "%s/%.*s.pack", dir, (int)(strlen(names[i]) - 4), names[i]);
        pack p = {0};
        p.mapped = 1;
        p.idx = map_file(ip, &p.idx_len);
        p.data = p.idx ? map_file(pp, &p.len) : NULL;
        snprintf(p.name, sizeof p.name, "%.*s.pack", (int)(strlen(names[i]) - 4), names[i]);
        if (!p.idx || !p.data || pack_init(&p) || add_pack(ps, &p)) {
            if (p.idx)
                munmap((void *)p.idx, p.idx_len);
            if (p.data)
                munmap((void *)p.data, p.len);
        }
        free(names[i]);
    }
    free(names);
    return ps;
}

ward_packs *ward_packs_from_memory(const unsigned char *idx, size_t idx_len,
                                   const unsigned char *data, size_t len)
{
    pack p = {.idx = idx, .idx_len = idx_len, .data = data, .len = len, .name = "pack"};
    ward_packs *ps = calloc(1, sizeof *ps);
    if (!ps)
        return NULL;
    if (pack_init(&p) || add_pack(ps, &p)) {
        free(ps);
        return NULL;
    }
    return ps;
}

void ward_packs_free(ward_packs *ps)
{
    if (!ps)
        return;
    for (size_t i = 0; i < ps->n; i++)
        pack_unmap(&ps->v[i]);
    free(ps->v);
    free(ps);
}

void ward_packs_keep_pages(ward_packs *ps)
{
    if (ps)
        ps->keep_pages = 1;
}

int ward_packs_promisor(const ward_packs *ps)
{
    return ps && ps->promisor;
}

size_t ward_packs_count(const ward_packs *ps)
{
    return ps ? ps->n : 0;
}

size_t ward_packs_objects(const ward_packs *ps)
{
    return ps && ps->n ? ps->v[0].n : 0;
}

const unsigned char *ward_packs_object_id(const ward_packs *ps, size_t i)
{
    return ps && ps->n && i < ps->v[0].n ? ps->v[0].ids + i * WARD_OID_RAWSZ : NULL;
}

/* The index position of id in pack p, or -1.  Ids are uniform, so the
 * search starts where id's value says it should lie in its fan-out bucket
 * and gallops out from there (1, 2, 4 ... entries) until it has id's place
 * between two probes, then halves that range.  The estimate is off by
 * about the square root of half the bucket's size (70 entries in a bucket
 * of 20,000), so a search reads a few KiB around one place: a history of
 * millions of objects is searched millions of times, and each page it
 * reads is one more to keep resident or fault in again.  (A window of
 * 512 entries either side, halved, read two or three 64 KiB blocks a
 * search.) */
static int64_t idx_search(const pack *p, const unsigned char *id)
{
    uint32_t lo = id[0] ? be32(p->fanout + 4 * (id[0] - 1)) : 0;
    uint32_t hi = be32(p->fanout + 4 * id[0]);
    if (lo >= hi)
        return -1;
    uint64_t x = be64(id + 1);
    uint32_t est = lo + (uint32_t)(((unsigned __int128)x * (hi - lo)) >> 64);
    int c = memcmp(p->ids + (size_t)est * WARD_OID_RAWSZ, id, WARD_OID_RAWSZ);
    if (!c)
        return est;
    if (c < 0) { /* id lies after est: (est, hi) */
        uint32_t step = 1;
        lo = est + 1;
        while (hi - est > step) {
            uint32_t at = est + step;
            c = memcmp(p->ids + (size_t)at * WARD_OID_RAWSZ, id, WARD_OID_RAWSZ);
            if (!c)
                return at;
            if (c > 0) {
                hi = at;
                break;
            }
            lo = at + 1;
            step *= 2;
        }
    } else { /* id lies before est: [lo, est) */
        uint32_t step = 1;
        hi = est;
        while (est - lo >= step) {
            uint32_t at = est - step;
            c = memcmp(p->ids + (size_t)at * WARD_OID_RAWSZ, id, WARD_OID_RAWSZ);
            if (!c)
                return at;
            if (c < 0) {
                lo = at + 1;
                break;
            }
            hi = at;
            step *= 2;
        }
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        c = memcmp(p->ids + (size_t)mid * WARD_OID_RAWSZ, id, WARD_OID_RAWSZ);
        if (!c)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Finds id in pack p: 1 with *off set, 0 when absent, -1 when the index
 * gives an offset outside the pack. */
static int pack_find(const pack *p, const unsigned char *id, uint64_t *off)
{
    int64_t at = idx_search(p, id);
    if (at < 0)
        return 0;
    uint32_t v = be32(p->off32 + (size_t)at * 4);
    uint64_t o = v;
    if (v & 0x80000000u) {
        size_t k = v & 0x7fffffffu;
        if (k >= p->nlarge)
            return -1;
        o = be64(p->off64 + k * 8);
    }
    if (o < 12 || o >= p->len - 20)
        return -1;
    *off = o;
    return 1;
}

static void account(ward_packs *ps, uint64_t n);
static void account_idx(ward_packs *ps, uint64_t n);

/* What a search of an index counts toward dropping its pages (see
 * account_idx): it touches the ids around where the id should lie (two
 * pages or three, idx_search) and the page of its offset, and each fault
 * maps the 64 KiB around it (the kernel's fault-around, which MADV_RANDOM
 * does not turn off).  Counted at less, the searches of a history of 5 M
 * objects kept 50 MB of its index resident.  Indexes of 32 MiB or less
 * (1.2 M objects) are not counted: they may as well stay. */
#define SEARCH_PAGES (128u << 10)

static int find_any(const ward_packs *ps, const unsigned char *id, uint32_t *last,
                    uint32_t *pi, uint64_t *off)
{
    if (ps->big_index)
        account_idx((ward_packs *)ps, SEARCH_PAGES);
    uint32_t first = *last < ps->n ? *last : 0;
    for (size_t k = 0; k < ps->n; k++) {
        uint32_t i = (uint32_t)((first + k) % ps->n);
        int r = pack_find(&ps->v[i], id, off);
        if (r) {
            *pi = i;
            *last = i;
            return r;
        }
    }
    return 0;
}

/* Adds n to a count of bytes mapped; 1 when it crossed a multiple of
 * every, and the pages should go. */
static int crossed(const ward_packs *ps, atomic_ullong *count, uint64_t n, uint64_t every)
{
    if (ps->keep_pages)
        return 0;
    unsigned long long before = atomic_fetch_add(count, n);
    return before / every != (before + n) / every;
}

static void account(ward_packs *ps, uint64_t n)
{
    if (!crossed(ps, &ps->read, n, DROP_EVERY))
        return;
    for (size_t i = 0; i < ps->n; i++) {
        if (!ps->v[i].mapped)
            continue;
        madvise((void *)ps->v[i].data, ps->v[i].len, MADV_DONTNEED);
        madvise((void *)ps->v[i].idx, ps->v[i].idx_len, MADV_DONTNEED);
    }
}

/* A large index's pages are dropped on their own: searches touch a few
 * pages each, all over it.  Reading in pack order also touches the table
 * of offsets (4 bytes an object) at random, uncounted: that part of an
 * index may stay. */
static void account_idx(ward_packs *ps, uint64_t n)
{
    if (!crossed(ps, &ps->idx_read, n, IDX_DROP_EVERY))
        return;
    for (size_t i = 0; i < ps->n; i++)
        if (ps->v[i].mapped)
            madvise((void *)ps->v[i].idx, ps->v[i].idx_len, MADV_DONTNEED);
}

/* ---------------------------------------------------------------------
 * The reader's cache: a hash on (pack, offset) and a recency list.
 * ------------------------------------------------------------------- */

static uint64_t ckey(uint32_t pi, uint64_t off)
{
    return (uint64_t)pi << 44 ^ off;
}

static size_t cslot(uint64_t key)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & (CACHE_BUCKETS - 1);
}

static void lru_unlink(ward_pack_reader *r, centry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        r->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        r->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_front(ward_pack_reader *r, centry *e)
{
    e->prev = NULL;
    e->next = r->head;
    if (r->head)
        r->head->prev = e;
    r->head = e;
    if (!r->tail)
        r->tail = e;
}

static void cache_drop(ward_pack_reader *r, centry *e)
{
    centry **pp = &r->bucket[cslot(e->key)];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    lru_unlink(r, e);
    r->bytes -= e->len;
    free(e->data);
    free(e);
}

static centry *cache_get(ward_pack_reader *r, uint64_t key)
{
    for (centry *e = r->bucket[cslot(key)]; e; e = e->hnext) {
        if (e->key == key) {
            lru_unlink(r, e);
            lru_front(r, e);
            return e;
        }
    }
    return NULL;
}

/* Keeps d (len bytes, NUL-terminated, malloc'd) under key: 1 when the cache
 * took it over, 0 when the caller keeps it. */
static int cache_own(ward_pack_reader *r, uint64_t key, int type, unsigned char *d, size_t len)
{
    if (len > r->cap / 8)
        return 0; /* one large blob would push out every base */
    while (r->tail && r->bytes + len > r->cap)
        cache_drop(r, r->tail);
    centry *e = malloc(sizeof *e);
    if (!e)
        return 0; /* a cache, not a necessity */
    e->key = key;
    e->len = len;
    e->type = type;
    e->data = d;
    size_t s = cslot(key);
    e->hnext = r->bucket[s];
    r->bucket[s] = e;
    lru_front(r, e);
    r->bytes += len;
    return 1;
}

ward_pack_reader *ward_pack_reader_new(const ward_packs *ps, size_t cache_bytes)
{
    ward_pack_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ps = (ward_packs *)ps; /* only its page counter changes */
    r->cap = cache_bytes;
    r->bucket = calloc(CACHE_BUCKETS, sizeof *r->bucket);
    if (!r->bucket || !(r->z = libdeflate_alloc_decompressor())) {
        free(r->bucket);
        free(r);
        return NULL;
    }
    return r;
}

void ward_pack_reader_free(ward_pack_reader *r)
{
    if (!r)
        return;
    while (r->head)
        cache_drop(r, r->head);
    free(r->bucket);
    free(r->chain);
    libdeflate_free_decompressor(r->z);
    free(r);
}

/* ---------------------------------------------------------------------
 * Objects.
 * ------------------------------------------------------------------- */

typedef struct hdr {
    int type;
    uint64_t size, data_off, base_off;
    const unsigned char *base_id;
} hdr;

static int read_header(const pack *p, uint64_t off, hdr *h)
{
    const unsigned char *d = p->data;
    uint64_t end = p->len - 20, pos = off;
    if (pos >= end)
        return -1;
    unsigned c = d[pos++];
    h->type = (c >> 4) & 7;
    h->size = c & 15;
    unsigned shift = 4;
    while (c & 0x80) {
        if (pos >= end || shift > 60)
            return -1;
        c = d[pos++];
        h->size |= (uint64_t)(c & 0x7f) << shift;
        shift += 7;
    }
    h->base_id = NULL;
    h->base_off = 0;
    if (h->type == OBJ_OFS_DELTA) {
        if (pos >= end)
            return -1;
        c = d[pos++];
        uint64_t dist = c & 0x7f;
        while (c & 0x80) {
            if (pos >= end || dist > (UINT64_MAX >> 7) - 1)
                return -1;
            c = d[pos++];
            dist = ((dist + 1) << 7) | (c & 0x7f);
        }
        if (dist == 0 || dist > off - 12)
            return -1;
        h->base_off = off - dist;
    } else if (h->type == OBJ_REF_DELTA) {
        if (end - pos < WARD_OID_RAWSZ)
            return -1;
        h->base_id = d + pos;
        pos += WARD_OID_RAWSZ;
    } else if (h->type < WARD_OBJ_COMMIT || h->type > WARD_OBJ_TAG) {
        return -1;
    }
    h->data_off = pos;
    return 0;
}

/* Inflates exactly size bytes from the zlib stream at data_off. */
static int inflate_at(ward_pack_reader *r, const pack *p, uint64_t data_off, uint64_t size,
                      unsigned char **out)
{
    unsigned char *buf = malloc((size_t)size + 1);
    if (!buf)
        return WARD_PACK_NOMEM;
    /* The stream's end is found by inflating it: hand over the rest of the
     * pack, and libdeflate says how much it used.  It checks the stream's
     * Adler-32, as zlib does; an object that inflates to more or less than
     * its header says is corrupt. */
    size_t in_used = 0, out_len = 0;
    enum libdeflate_result lr = libdeflate_zlib_decompress_ex(
        r->z, p->data + data_off, (size_t)(p->len - 20 - data_off), buf, (size_t)size, &in_used,
        &out_len);
    if (lr != LIBDEFLATE_SUCCESS || out_len != size) {
        free(buf);
        return WARD_PACK_CORRUPT;
    }
    /* A reader going through the pack in order maps the 64 KiB blocks
     * (fault-around) that what it inflates lies in, less the one it ended
     * in last time (a delta's base, behind it, is blocks of its own).
     * Counting only the bytes inflated and a page, reading the trees alone
     * (which lie among the blobs) let 130 MB of a 3.7 GB pack stay mapped
     * between drops. */
    uint64_t charge = in_used + FAULT_AROUND;
    if (r->sequential) {
        uint64_t first = data_off >> 16, last = (data_off + in_used) >> 16;
        if (r->seq_pack == p && first == r->seq_block)
            first++; /* mapped and counted by the read before */
        charge = last >= first ? (last - first + 1) << 16 : 0;
        /* and never less than before, when blobs lie close together */
        if (charge < in_used + 4096)
            charge = in_used + 4096;
        r->seq_pack = p;
        r->seq_block = last;
    }
    account(r->ps, charge);
    buf[size] = 0;
    *out = buf;
    return WARD_PACK_OK;
}

static int varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    uint64_t x = 0;
    unsigned shift = 0, c;
    do {
        if (*p >= end || shift > 63)
            return -1;
        c = *(*p)++;
        x |= (uint64_t)(c & 0x7f) << shift;
        shift += 7;
    } while (c & 0x80);
    *v = x;
    return 0;
}

/* The size a delta produces, from its header. */
static int delta_target(const unsigned char *d, size_t n, uint64_t *size)
{
    const unsigned char *p = d, *end = d + n;
    uint64_t src;
    return varint(&p, end, &src) || varint(&p, end, size) ? -1 : 0;
}

int ward_delta_apply(const unsigned char *base, size_t base_len, const unsigned char *delta,
                     size_t delta_len, uint64_t max_size, unsigned char **out, size_t *out_len)
{
    const unsigned char *p = delta, *end = delta + delta_len;
    uint64_t src, dst;
    if (varint(&p, end, &src) || varint(&p, end, &dst) || src != base_len ||
        dst > (max_size ? max_size : HARD_MAX))
        return -1;
    unsigned char *o = malloc((size_t)dst + 1);
    if (!o)
        return -2;
    uint64_t w = 0;
    while (p < end) {
        unsigned c = *p++;
        if (c & 0x80) {
            uint64_t co = 0, cs = 0;
            for (int i = 0; i < 4; i++)
                if (c & (1u << i)) {
                    if (p >= end)
                        goto bad;
                    co |= (uint64_t)*p++ << (8 * i);
                }
            for (int i = 0; i < 3; i++)
                if (c & (0x10u << i)) {
                    if (p >= end)
                        goto bad;
                    cs |= (uint64_t)*p++ << (8 * i);
                }
            if (!cs)
                cs = 0x10000;
            if (co > base_len || cs > base_len - co || cs > dst - w)
                goto bad;
            memcpy(o + w, base + co, (size_t)cs);
            w += cs;
        } else if (c) {
            if (c > (size_t)(end - p) || c > dst - w)
                goto bad;
            memcpy(o + w, p, c);
            p += c;
            w += c;
        } else {
            goto bad; /* reserved */
        }
    }
    if (w != dst)
        goto bad;
    o[dst] = 0;
    *out = o;
    *out_len = (size_t)dst;
    return 0;
bad:
    free(o);
    return -1;
}

static int corrupt(const pack *p, uint64_t off, const char *what, char *err, size_t errlen)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s (object at offset %llu)", p->name, what,
                 (unsigned long long)off);
    return WARD_PACK_CORRUPT;
}

static int push_link(ward_pack_reader *r, uint32_t pi, uint64_t off, const hdr *h)
{
    if (r->nchain == r->capchain) {
        size_t cap = r->capchain ? r->capchain * 2 : 16;
        chain_link *v = realloc(r->chain, cap * sizeof *v);
        if (!v)
            return -1;
        r->chain = v;
        r->capchain = cap;
    }
    r->chain[r->nchain++] = (chain_link){pi, off, h->data_off, h->size};
    return 0;
}

static int read_at(ward_pack_reader *r, uint32_t pi, uint64_t off, uint64_t limit, int keep_top,
                   int *type, unsigned char **data, size_t *len, uint64_t *size, char *err,
                   size_t errlen)
{
    ward_packs *ps = r->ps;
    /* cur is the object built so far: the caller's to free when cur_own,
     * else the cache's (valid until the next cache_own) */
    unsigned char *cur = NULL;
    size_t curlen = 0;
    int curtype = 0, rc, cur_own = 0;
    r->nchain = 0;
    /* Down the chain to a base: one in the cache, or a whole object. */
    for (;;) {
        const pack *p = &ps->v[pi];
        centry *e = cache_get(r, ckey(pi, off));
        if (e) {
            if (!r->nchain && e->len > limit) {
                *size = e->len;
                return WARD_PACK_TOO_BIG;
            }
            cur = e->data;
            curlen = e->len;
            curtype = e->type;
            break;
        }
        hdr h;
        if (read_header(p, off, &h))
            return corrupt(p, off, "bad object header", err, errlen);
        if (h.type <= WARD_OBJ_TAG) {
            if (h.size > (r->nchain ? HARD_MAX : limit)) {
                *size = h.size;
                return WARD_PACK_TOO_BIG;
            }
            if ((rc = inflate_at(r, p, h.data_off, h.size, &cur)))
                return rc == WARD_PACK_CORRUPT ? corrupt(p, off, "cannot inflate", err, errlen)
                                               : rc;
            curlen = (size_t)h.size;
            curtype = h.type;
            cur_own = !((r->nchain || keep_top) &&
                        cache_own(r, ckey(pi, off), curtype, cur, curlen));
            break;
        }
        if (h.size > HARD_MAX)
            return corrupt(p, off, "delta too large", err, errlen);
        if (r->nchain >= MAX_CHAIN)
            return corrupt(p, off, "delta chain too long", err, errlen);
        if (push_link(r, pi, off, &h))
            return WARD_PACK_NOMEM;
        if (h.type == OBJ_OFS_DELTA) {
            off = h.base_off;
        } else {
            int f = find_any(ps, h.base_id, &r->last_pack, &pi, &off);
            if (f < 0)
                return corrupt(p, off, "bad index entry for a delta base", err, errlen);
            if (!f)
                return WARD_PACK_NOT_FOUND; /* a base outside the packs */
        }
    }
    /* Back up the chain, applying each delta to the object below it. */
    while (r->nchain) {
        chain_link k = r->chain[--r->nchain];
        const pack *p = &ps->v[k.pack];
        unsigned char *delta, *next;
        size_t nextlen;
        uint64_t target;
        if ((rc = inflate_at(r, p, k.data_off, k.size, &delta))) {
            if (cur_own)
                free(cur);
            return rc == WARD_PACK_CORRUPT ? corrupt(p, k.off, "cannot inflate delta", err, errlen)
                                           : rc;
        }
        if (delta_target(delta, (size_t)k.size, &target)) {
            free(delta);
            if (cur_own)
                free(cur);
            return corrupt(p, k.off, "bad delta header", err, errlen);
        }
        if (target > (r->nchain ? HARD_MAX : limit)) {
            free(delta);
            if (cur_own)
                free(cur);
            *size = target;
            return WARD_PACK_TOO_BIG;
        }
        rc = ward_delta_apply(cur, curlen, delta, (size_t)k.size, HARD_MAX, &next, &nextlen);
        free(delta);
        if (cur_own)
            free(cur);
        if (rc)
            return rc == -2 ? WARD_PACK_NOMEM : corrupt(p, k.off, "bad delta", err, errlen);
        cur = next;
        curlen = nextlen;
        cur_own = !((r->nchain || keep_top) &&
                    cache_own(r, ckey(k.pack, k.off), curtype, cur, curlen));
    }
    r->lent = 0;
    if (!cur_own && r->lend) { /* the cache holds it: lent until the next read */
        r->lent = 1;
    } else if (!cur_own) { /* the cache holds it: the caller gets a copy */
        unsigned char *c = malloc(curlen + 1);
        if (!c)
            return WARD_PACK_NOMEM;
        memcpy(c, cur, curlen);
        c[curlen] = 0;
        cur = c;
    }
    *type = curtype;
    *data = cur;
    *len = curlen;
    *size = curlen;
    return WARD_PACK_OK;
}

int ward_pack_read(ward_pack_reader *r, const unsigned char *id, uint64_t max_size, int *type,
                   unsigned char **data, size_t *len, uint64_t *size, char *err, size_t errlen)
{
    uint32_t pi;
    uint64_t off, sz = 0;
    int f = find_any(r->ps, id, &r->last_pack, &pi, &off);
    if (f < 0)
        return corrupt(&r->ps->v[pi], 0, "index entry outside the pack", err, errlen);
    if (!f)
        return WARD_PACK_NOT_FOUND;
    uint64_t limit = max_size && max_size < HARD_MAX ? max_size : HARD_MAX;
    int rc = read_at(r, pi, off, limit, 0, type, data, len, &sz, err, errlen);
    if (size)
        *size = sz;
    return rc;
}

/* ---------------------------------------------------------------------
 * Pack order (see pack.h).
 * ------------------------------------------------------------------- */

static uint64_t idx_off(const pack *p, uint32_t pos)
{
    uint32_t v = be32(p->off32 + (size_t)pos * 4);
    if (!(v & 0x80000000u))
        return v;
    size_t k = v & 0x7fffffffu;
    return k < p->nlarge ? be64(p->off64 + k * 8) : UINT64_MAX;
}

static int pos_cmp(const void *a, const void *b, void *arg)
{
    const pack *p = arg;
    uint64_t x = idx_off(p, *(const uint32_t *)a), y = idx_off(p, *(const uint32_t *)b);
    return x < y ? -1 : x > y;
}

static uint32_t order_pack(const ward_pack_order *o, size_t k)
{
    uint32_t pi = 0;
    while (pi + 1 < o->n_packs && o->first[pi + 1] <= k)
        pi++;
    return pi;
}

uint64_t ward_pack_order_offset(const ward_packs *ps, const ward_pack_order *o, size_t k)
{
    return idx_off(&ps->v[order_pack(o, k)], o->pos[k]);
}

const unsigned char *ward_pack_order_id(const ward_packs *ps, const ward_pack_order *o, size_t k)
{
    return ps->v[order_pack(o, k)].ids + (size_t)o->pos[k] * WARD_OID_RAWSZ;
}

/* The k of the object at off in pack pi, or SIZE_MAX. */
static size_t order_find(const ward_packs *ps, const ward_pack_order *o, uint32_t pi, uint64_t off)
{
    const pack *p = &ps->v[pi];
    size_t lo = o->first[pi], hi = o->first[pi + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t m = idx_off(p, o->pos[mid]);
        if (m < off)
            lo = mid + 1;
        else if (m > off)
            hi = mid;
        else
            return mid;
    }
    return SIZE_MAX;
}

int ward_pack_order_locate(const ward_packs *ps, const ward_pack_order *o,
                           const unsigned char *id, size_t *k)
{
    for (uint32_t pi = 0; pi < ps->n; pi++) {
        if (ps->big_index)
            account_idx((ward_packs *)ps, SEARCH_PAGES);
        int64_t at = idx_search(&ps->v[pi], id);
        if (at >= 0) {
            *k = o->first[pi] + o->k_of[o->first[pi] + (size_t)at];
            return 1;
        }
    }
    return 0;
}

/* The type an object's chain ends in, following headers only; 0 when a
 * header is unreadable or a base is outside the packs. */
static int chain_type(const ward_packs *ps, uint32_t pi, uint64_t off)
{
    uint32_t last = pi;
    for (unsigned depth = 0; depth <= MAX_CHAIN; depth++) {
        hdr h;
        if (read_header(&ps->v[pi], off, &h))
            return 0;
        if (h.type <= WARD_OBJ_TAG)
            return h.type;
        if (h.type == OBJ_OFS_DELTA)
            off = h.base_off;
        else if (find_any(ps, h.base_id, &last, &pi, &off) != 1)
            return 0;
    }
    return 0;
}

int ward_pack_order_build(const ward_packs *ps, ward_pack_order *o)
{
    memset(o, 0, sizeof *o);
    size_t n = 0;
    for (size_t i = 0; i < ps->n; i++)
        n += ps->v[i].n;
    o->n = n;
    o->n_packs = ps->n;
    o->pos = malloc((n + 1) * sizeof *o->pos);
    o->type = calloc(n + 1, 1);
    o->first = malloc((ps->n + 1) * sizeof *o->first);
    o->k_of = malloc((n + 1) * sizeof *o->k_of);
    if (!o->pos || !o->type || !o->first || !o->k_of || n > UINT32_MAX) {
        ward_pack_order_free(o);
        return -1;
    }
    size_t at = 0;
    for (uint32_t pi = 0; pi < ps->n; pi++) {
        const pack *p = &ps->v[pi];
        o->first[pi] = at;
        for (uint32_t i = 0; i < p->n; i++)
            o->pos[at + i] = i;
        qsort_r(o->pos + at, p->n, sizeof *o->pos, pos_cmp, (void *)p);
        for (uint32_t i = 0; i < p->n; i++)
            o->k_of[at + o->pos[at + i]] = (uint32_t)i;
        at += p->n;
    }
    o->first[ps->n] = at;
    /* Types in pack order: an OFS_DELTA's base lies before it, so its type
     * is known by then; a REF_DELTA's base may lie anywhere. */
    for (uint32_t pi = 0; pi < ps->n; pi++) {
        const pack *p = &ps->v[pi];
        for (size_t k = o->first[pi]; k < o->first[pi + 1]; k++) {
            uint64_t off = idx_off(p, o->pos[k]);
            hdr h;
            if (off >= p->len || read_header(p, off, &h))
                continue;
            /* each header read maps a few pages: drop them as we go */
            if (k + 1 < o->first[pi + 1] && (k & 63) == 63)
                account((ward_packs *)ps, FAULT_AROUND);
            if (h.type <= WARD_OBJ_TAG) {
                o->type[k] |= (unsigned char)h.type;
                continue;
            }
            size_t b = SIZE_MAX;
            uint32_t bpi = pi, last = pi;
            uint64_t boff = h.base_off;
            if (h.type == OBJ_OFS_DELTA || find_any(ps, h.base_id, &last, &bpi, &boff) == 1)
                b = order_find(ps, o, bpi, boff);
            if (b == SIZE_MAX)
                continue;
            o->type[b] |= WARD_ORDER_BASE;
            int t = b < k ? o->type[b] & 7 : 0;
            o->type[k] |= (unsigned char)(t ? t : chain_type(ps, bpi, boff));
        }
    }
    return 0;
}

void ward_pack_order_free(ward_pack_order *o)
{
    free(o->pos);
    free(o->type);
    free(o->first);
    free(o->k_of);
    memset(o, 0, sizeof *o);
}

int ward_pack_read_order(ward_pack_reader *r, const ward_pack_order *o, size_t k,
                         uint64_t max_size, int *type, unsigned char **data, size_t *len,
                         uint64_t *size, int *owned, char *err, size_t errlen)
{
    uint32_t pi = order_pack(o, k);
    uint64_t off = idx_off(&r->ps->v[pi], o->pos[k]), sz = 0;
    if (off < 12 || off >= r->ps->v[pi].len - 20)
        return corrupt(&r->ps->v[pi], 0, "index entry outside the pack", err, errlen);
    uint64_t limit = max_size && max_size < HARD_MAX ? max_size : HARD_MAX;
    r->sequential = 1;
    r->lend = owned != NULL;
    int rc = read_at(r, pi, off, limit, (o->type[k] & WARD_ORDER_BASE) != 0, type, data, len, &sz,
                     err, errlen);
    if (owned)
        *owned = !r->lent;
    r->sequential = r->lend = r->lent = 0;
    if (size)
        *size = sz;
    return rc;
}
