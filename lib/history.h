/* history.h - one finding per secret and place across a history.
 *
 * A history scan meets the same secret in every version of a file.  The
 * aggregator keeps one record per (rule, fingerprint, path): the first
 * occurrence (an owned copy), the commit that introduced it, and the blobs
 * that held it.  After the walk, ward_history_locate says for each record
 * whether the branches' tips still hold it and, when HEAD no longer does,
 * which commit took it out (a walk down HEAD's first-parent line that
 * stops as soon as every record is placed).
 */
#ifndef WARD_HISTORY_H
#define WARD_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "git2_lazy.h"
#include "ward.h"

typedef struct ward_hrec {
    ward_finding *f;          /* the first occurrence, owned (ward_finding_clone) */
    uint32_t commit;          /* the caller's index of the introducing commit */
    uint32_t newest;          /* ... and of the commit of the newest version */
    git_oid *blobs;           /* the blobs that held it, oldest first */
    size_t n_blobs, cap_blobs;
    /* filled by ward_history_locate */
    int present;              /* HEAD's (or the branch's) tree holds it */
    int have_last, have_removed;
    git_oid last, removed;
    char **refs;              /* branches whose tips hold it */
    size_t n_refs;
} ward_hrec;

typedef struct ward_hagg {
    ward_hrec *v;
    size_t n, cap;
    uint32_t *slot;           /* open addressing: record index + 1, 0 empty */
    size_t nslot;
} ward_hagg;

/* Records finding f, found in blob at the commit with index commit.  0, or
 * -1 when memory is short. */
int ward_hagg_add(ward_hagg *a, const ward_finding *f, const git_oid *blob, uint32_t commit);
void ward_hagg_free(ward_hagg *a);

/* A blob the walk met again at another path (a copy, a move): each record
 * it held gets a record at that path too, introduced at commit (and a
 * record at the same path is left as it is).  0, or -1 when memory is short. */
int ward_hagg_alias(ward_hagg *a, const git_oid *blob, const char *path, uint32_t commit);

/* Places n records (see the top of this file).  tip: the revision whose
 * first-parent line is followed (NULL: HEAD).  Errors: WARD_ENOMEM;
 * anything libgit2 cannot read leaves the records it concerns unplaced. */
ward_status ward_history_locate(git_repository *repo, const char *tip, ward_hrec *v, size_t n);
/* The same, where digest (may be NULL) gives a commit's tree's digest of
 * the entries that may hold findings (sweep.h): a commit with its child's
 * digest changes nothing and its tree is not read. */
typedef int (*ward_tree_digest_fn)(const git_oid *commit, uint64_t *digest, void *user);
ward_status ward_history_locate_with(git_repository *repo, const char *tip, ward_hrec *v,
                                     size_t n, ward_tree_digest_fn digest, void *user);

/* An owned copy of f and its strings in one allocation (free() frees it);
 * NULL when memory is short. */
ward_finding *ward_finding_clone(const ward_finding *f);

#endif
