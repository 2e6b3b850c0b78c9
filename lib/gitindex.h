/* gitindex.h - git's index file (the staging area), read without libgit2
 * (gitindex.c).  Private to libward.
 *
 * `ward staged` runs in a pre-commit hook, before every commit; its budget
 * is a few milliseconds, and loading libgit2 alone took a third of that.  So
 * the index, HEAD's tree and the objects are read here, and what this
 * reader does not know (a split or sparse index, a conflict, an unknown
 * required extension) is said in *why, for the caller to hand the work to
 * libgit2 instead.
 *
 * Versions 2, 3 and 4 (whose paths are prefix-compressed) are read, and the
 * TREE extension (the cache tree: a folder's tree id while none of its
 * entries changed), which lets a comparison with HEAD pass whole folders
 * by.  The trailing checksum is not verified: a damaged index is caught by
 * the bounds every field is read within, and git itself may skip it
 * (index.skipHash). */
#ifndef WARD_GITINDEX_H
#define WARD_GITINDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct ward_index_entry {
    const char *path;          /* NUL-terminated, owned by the index */
    size_t path_len;
    uint32_t mode;
    unsigned char id[20];
    int intent_to_add;         /* `git add -N`: not part of the next commit */
} ward_index_entry;

/* A folder of the cache tree: entries < 0 when it is invalid (something
 * under it changed since its id was computed). */
typedef struct ward_cache_tree {
    const char *name;          /* its last component; "" for the root */
    size_t name_len;
    int64_t entries;           /* index entries under it, or -1 */
    unsigned char id[20];
    struct ward_cache_tree *child; /* its first subfolder */
    struct ward_cache_tree *next;  /* its parent's next subfolder */
} ward_cache_tree;

typedef struct ward_index {
    ward_index_entry *e;       /* in the index's order: by path, bytewise */
    size_t n;
    ward_cache_tree *tree;     /* NULL without a TREE extension */
    char *paths;               /* the storage of every entry's path */
    ward_cache_tree *nodes;    /* the storage of the cache tree */
    unsigned char *tree_data;  /* and of its names */
    int sparse;                /* a sparse index: an entry of mode 040000 whose path
                                * ends in '/' is a whole folder, by its tree's id */
} ward_index;

/* Parses an index held in data, which need not outlive it.  0 with *out filled (free it with
 * ward_index_free); -1 with why set when the data is not an index this
 * reader takes, or is malformed; -2 out of memory. */
int ward_index_parse(const unsigned char *data, size_t len, ward_index *out, char *why,
                     size_t whylen);
void ward_index_free(ward_index *ix);

#endif
