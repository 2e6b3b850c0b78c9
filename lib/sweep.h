/* sweep.h - a whole history's blobs scanned in pack order (sweep.c).
 * Private to libward.
 *
 * Walking a history reads blobs in commit order, and every read of a delta
 * rebuilds its chain of bases: over git/git that inflated twice what git
 * cat-file reads.  A sweep reads the packs front to back instead, as
 * cat-file --unordered does, so each delta follows its base, which the
 * reader keeps: every blob is scanned once, with no path, by all threads.
 * Almost every blob holds nothing; the few that may (or that a walk must
 * report: binary, too large, unreadable, not in a pack) are "wanted".  A
 * second sweep over the trees marks every tree that holds a wanted blob,
 * a submodule, a missing entry, or (through its subtrees) such a tree.
 *
 * The walk then does what it always did, with the same results, but opens
 * only marked trees and reads and scans only wanted blobs, now with their
 * path and commit.  A scan without a path finds everything a scan with one
 * finds, unless a rule depends on the path: then there is no sweep.
 */
#ifndef WARD_SWEEP_H
#define WARD_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "pack.h"
#include "ward.h"

typedef struct ward_sweep ward_sweep;

typedef struct ward_sweep_options {
    const ward_engine *e;
    ward_packs *packs;
    uint64_t max_size;          /* larger blobs are wanted (the walk skips them) */
    int scan_binary;
    unsigned threads;
    size_t cache_bytes;         /* each thread's delta-base cache */
    /* progress while sweeping (blobs, bytes), from the calling thread */
    void (*on_progress)(uint64_t files, uint64_t bytes, void *user);
    void *user;
} ward_sweep_options;

/* Whether a sweep can stand in for reading every blob in the walk: the
 * engine has no rule that depends on a path, and the repository has packs
 * and no alternates. */
int ward_sweep_possible(const ward_engine *e, const ward_packs *ps, const char *objects_dir);

/* Runs both sweeps.  WARD_OK with *out, or an error (out of memory). */
ward_status ward_sweep_run(const ward_sweep_options *o, ward_sweep **out);
void ward_sweep_free(ward_sweep *s);

/* A packed tree the sweep read: then ward_sweep_wants says which of its
 * blobs the walk needs (the rest are clean).  In other trees (loose ones),
 * ward_sweep_blob_clean says it blob by blob. */
int ward_sweep_swept(const ward_sweep *s, const unsigned char id[20]);
int ward_sweep_wants(const ward_sweep *s, const unsigned char id[20]);
/* A packed blob the sweep scanned and found nothing in. */
int ward_sweep_blob_clean(const ward_sweep *s, const unsigned char id[20]);
/* A packed tree the sweep read that holds nothing the walk needs: no wanted
 * entry at any depth. */
int ward_sweep_tree_skip(const ward_sweep *s, const unsigned char id[20]);
/* A digest of what the walk needs under a tree the sweep read (1; else
 * 0): of every entry below it that is wanted, with its path.  A commit
 * whose tree's digest is its parent's brings nothing new to the walk. */
int ward_sweep_digest(const ward_sweep *s, const unsigned char id[20], uint64_t *sig);
/* Frees what the walk does not need once every commit has its tree's
 * digest and ward_sweep_each_clean has run: then ward_sweep_digest says no,
 * and ward_sweep_each_clean does nothing. */
void ward_sweep_trim(ward_sweep *s);
/* Blobs (and bytes) scanned clean. */
void ward_sweep_counts(const ward_sweep *s, uint64_t *files, uint64_t *bytes);
/* Calls fn for every blob scanned clean, in pack order. */
void ward_sweep_each_clean(const ward_sweep *s, void (*fn)(const unsigned char id[20], void *),
                           void *user);

#endif
