/* gitdir.h - a work tree's repository, read without libgit2 (gitdir.c).
 * Private to libward.
 *
 * What `ward staged` needs and no more: the repository found from a work
 * tree's folder, HEAD's tree, and objects from packs (pack.c) or loose.
 * Whatever falls outside (a bare repository, GIT_DIR and friends in the
 * environment, alternates, an object format or ref storage other than the
 * usual) is reported with a reason and the return value 1, and the caller
 * hands the work to libgit2, so the answer is never a guess.
 */
#ifndef WARD_GITDIR_H
#define WARD_GITDIR_H

#include <stddef.h>
#include <stdint.h>

#include "pack.h"

typedef struct ward_gitdir {
    char *gitdir;   /* HEAD and the index: .git, or a linked work tree's folder */
    char *common;   /* refs, packed-refs, config and objects */
    char *index;    /* the index file: GIT_INDEX_FILE when set, as git takes it */
    ward_packs *packs;
    ward_pack_reader *rd;
} ward_gitdir;

/* Finds the repository of the work tree at path (NULL or "." also looks in
 * the folders above, as git does).  0 with *g filled (close it with
 * ward_gitdir_close); 1 with why set when this reader does not take it;
 * -2 out of memory. */
int ward_gitdir_open(const char *path, ward_gitdir *g, char *why, size_t whylen);
void ward_gitdir_close(ward_gitdir *g);

/* The tree of HEAD's commit: 0 with id set; 1 when HEAD names a branch
 * with no commit yet; -1 with why set otherwise. */
int ward_gitdir_head_tree(ward_gitdir *g, unsigned char id[20], char *why, size_t whylen);

/* Reads an object as ward_pack_read does (the same return values), from
 * the packs and then from the loose objects. */
int ward_gitdir_read(ward_gitdir *g, const unsigned char id[20], uint64_t max_size, int *type,
                     unsigned char **data, size_t *len, uint64_t *size, char *err,
                     size_t errlen);

/* An object id as 40 lower-case hex digits and a NUL (no libgit2 needed). */
void ward_oid_hex(const unsigned char id[20], char out[41]);

/* The whole of a regular file of at most max bytes, NUL-terminated, in a
 * malloc'd buffer of *len bytes and the NUL; NULL with errno set (EFBIG
 * past max, EINVAL not a regular file, ENOMEM, or open's and read's). */
char *ward_file_read(const char *path, size_t max, size_t *len);

/* Inflates a loose object's file: the same return values, with
 * WARD_PACK_CORRUPT for anything malformed (exposed for fuzzing). */
int ward_loose_parse(const unsigned char *file, size_t file_len, uint64_t max_size, int *type,
                     unsigned char **data, size_t *len, uint64_t *size, char *err,
                     size_t errlen);

#endif
