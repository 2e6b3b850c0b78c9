/* pack.h - objects read straight from a repository's pack files (pack.c).
 * Private to libward.
 *
 * ward git reads every tree and blob of a history once.  Through libgit2
 * each read takes a process-wide lock, resolves delta chains with a small
 * cache whose eviction scans it whole, and allocates twice; here the packs
 * are mapped once and shared, and each thread has a reader of its own: its
 * decompressor (libdeflate), and a cache of resolved objects (least recently used first
 * out) so that the bases of a delta chain are rebuilt once, not once per
 * object in the chain.  What is not in a pack (loose objects, a base that
 * lives elsewhere) is reported as not found, and the caller asks libgit2.
 *
 * Measured, so this file keeps its place: WARD_PACK_READER=libgit2 makes
 * ward git skip it, and over git/git's 85,361 commits that takes 165 s
 * (160 s of CPU) against 53 s (78 s of CPU) with it, at about the same
 * peak memory once libgit2's windows are small (docs/git.md).
 */
#ifndef WARD_PACK_H
#define WARD_PACK_H

#include <stddef.h>
#include <stdint.h>

#define WARD_OID_RAWSZ 20

/* Object types as a pack stores them. */
enum { WARD_OBJ_COMMIT = 1, WARD_OBJ_TREE = 2, WARD_OBJ_BLOB = 3, WARD_OBJ_TAG = 4 };

/* What ward_pack_read returns. */
enum {
    WARD_PACK_OK = 0,
    WARD_PACK_NOT_FOUND = 1, /* in no pack, or its delta base is in none */
    WARD_PACK_TOO_BIG = 2,   /* larger than max_size; *size says how large */
    WARD_PACK_CORRUPT = -1,  /* the pack is damaged here; err says how */
    WARD_PACK_NOMEM = -2
};

typedef struct ward_packs ward_packs;
typedef struct ward_pack_reader ward_pack_reader;

/* Maps every pack under objects_dir/pack that has a version 2 index.  A
 * pack that cannot be used is left out (libgit2 still reads it); none at
 * all is not an error.  NULL only when out of memory. */
ward_packs *ward_packs_open(const char *objects_dir);
/* The same over one index and pack held in memory (tests, fuzzing); the
 * buffers must outlive the set.  NULL when they are not a valid pair. */
ward_packs *ward_packs_from_memory(const unsigned char *idx, size_t idx_len,
                                   const unsigned char *pack, size_t pack_len);
void ward_packs_free(ward_packs *ps);
/* Keeps what was read mapped: for a caller that reads a few hundred
 * objects (ward staged), dropping pages only costs the faults that bring
 * them back. */
void ward_packs_keep_pages(ward_packs *ps);
size_t ward_packs_count(const ward_packs *ps);
/* Whether a pack is marked as fetched from a promisor remote (a partial
 * clone, whose missing objects are left out on purpose). */
int ward_packs_promisor(const ward_packs *ps);
/* Objects in the first pack's index (tests, fuzzing): the i-th id. */
size_t ward_packs_objects(const ward_packs *ps);
const unsigned char *ward_packs_object_id(const ward_packs *ps, size_t i);

/* A reader for one thread, with a cache of at most cache_bytes. */
ward_pack_reader *ward_pack_reader_new(const ward_packs *ps, size_t cache_bytes);
void ward_pack_reader_free(ward_pack_reader *r);

/* Reads the object with the given raw id.  On WARD_PACK_OK, *data is a
 * malloc'd copy of its content of *len bytes (NUL-terminated one past the
 * end) for the caller to free, and *type its type.  Objects larger than
 * max_size (0: no limit beyond the built-in 1 GiB) are not read. */
int ward_pack_read(ward_pack_reader *r, const unsigned char *id, uint64_t max_size, int *type,
                   unsigned char **data, size_t *len, uint64_t *size, char *err, size_t errlen);

/* Every object of the packs in pack order (the order they lie in the
 * files, pack by pack): ward git reads all blobs, then all trees, this way,
 * so that a delta comes soon after its base, as git cat-file --unordered
 * reads them.  Nine bytes an object: its index position, the inverse, and its type. */
#define WARD_ORDER_BASE 0x80 /* in type[]: some delta in the pack names it as base */
typedef struct ward_pack_order {
    size_t n, n_packs;
    uint32_t *pos;        /* the k-th object's position in its pack's index */
    unsigned char *type;  /* its type (WARD_OBJ_*; 0 unreadable) | WARD_ORDER_BASE */
    size_t *first;        /* the first k of each pack, then n */
    uint32_t *k_of;       /* by pack, by index position: k less the pack's first */
} ward_pack_order;

/* 0, or -1 out of memory. */
int ward_pack_order_build(const ward_packs *ps, ward_pack_order *o);
void ward_pack_order_free(ward_pack_order *o);
const unsigned char *ward_pack_order_id(const ward_packs *ps, const ward_pack_order *o, size_t k);
uint64_t ward_pack_order_offset(const ward_packs *ps, const ward_pack_order *o, size_t k);
/* 1 with *k when id is in a pack, else 0. */
int ward_pack_order_locate(const ward_packs *ps, const ward_pack_order *o,
                           const unsigned char *id, size_t *k);
/* ward_pack_read for the k-th object; a delta base stays in the cache for
 * the deltas that follow it.  With owned, an object the cache keeps is lent
 * rather than copied (*owned 0: not to be freed, and only good until the
 * reader's next read); without, *data is always the caller's. */
int ward_pack_read_order(ward_pack_reader *r, const ward_pack_order *o, size_t k,
                         uint64_t max_size, int *type, unsigned char **data, size_t *len,
                         uint64_t *size, int *owned, char *err, size_t errlen);

/* Applies a git delta to base; exposed for tests.  0 on success with a
 * malloc'd *out, -1 when the delta is malformed, -2 out of memory. */
int ward_delta_apply(const unsigned char *base, size_t base_len, const unsigned char *delta,
                     size_t delta_len, uint64_t max_size, unsigned char **out, size_t *out_len);

#endif
