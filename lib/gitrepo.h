/* gitrepo.h - what the libgit2 files (git.c, staged.c, gitrepo.c) share.
 * Private to libward. */
#ifndef WARD_GITREPO_H
#define WARD_GITREPO_H

#include "git2_lazy.h"

#include <string.h>

#include "internal.h"
#include "pack.h"

/* A blob is read whole (deltas need their bases whole), so a limit stays:
 * past it a blob is skipped and the summary line says so. */
#define WARD_GIT_MAX_BLOB (256ull << 20)
/* A blob with a NUL in its first bytes is binary (as git decides), unless
 * it starts with a UTF-16 byte-order mark (ward_scan_buffer transcodes it). */
#define WARD_GIT_BINARY_PROBE 8192u
static inline int ward_git_binary(const void *data, size_t len)
{
    return !ward_utf16_bom((const char *)data, len) &&
           memchr(data, 0, len < WARD_GIT_BINARY_PROBE ? len : WARD_GIT_BINARY_PROBE) != NULL;
}

/* libgit2's last error message, or "unknown error". */
const char *ward_git_msg(void);
/* What ward_scan_git and ward_scan_staged check first: an engine and an
 * on_finding callback, and options a caller of any version may pass
 * (copied into *out); ward_git_begin also loads libgit2.  Clears errbuf.  WARD_EINVAL, WARD_EIO
 * when libgit2 cannot be loaded, or WARD_OK. */
ward_status ward_git_check(const ward_engine *e, const ward_git_options *opts,
                           const ward_git_callbacks *cb, ward_git_options *out,
                           char *errbuf, size_t errlen);
ward_status ward_git_begin(const ward_engine *e, const ward_git_options *opts,
                           const ward_git_callbacks *cb, ward_git_options *out,
                           char *errbuf, size_t errlen);
/* Opens the repository at path (NULL or "." searches upwards from the
 * current folder); a clear one-line error otherwise. */
ward_status ward_git_open(const char *path, git_repository **repo, char *err, size_t errlen);
/* Hands an event to cb->on_event, when there is one. */
void ward_git_event(const ward_git_callbacks *cb, ward_event_kind kind, ward_skip_kind skip,
                    const char *path, const char *what, const char *message);

/* Reading objects: from the pack files by ward's own reader (pack.c), through
 * libgit2 for the rest (loose objects, alternates, a base outside the packs,
 * and a damaged pack entry, which libgit2 may find elsewhere). */
typedef struct ward_objbuf {
    unsigned char *data;
    size_t len;
    int type;                  /* git_object_t and pack types agree */
    git_odb_object *g;         /* set when libgit2 read it */
} ward_objbuf;

enum {
    WARD_OBJREAD_OK = 0,
    WARD_OBJREAD_ERROR = -1,   /* err says why */
    WARD_OBJREAD_TOO_BIG = -2, /* over max bytes; *size says how large */
    WARD_OBJREAD_MISSING = -3  /* in no pack and not in the object database */
};

/* Reads id into *o from rd (may be NULL), else odb.  max 0: no limit. */
int ward_obj_read(ward_pack_reader *rd, git_odb *odb, const git_oid *id, uint64_t max,
                  ward_objbuf *o, uint64_t *size, char *err, size_t errlen);
void ward_obj_free(ward_objbuf *o);

/* One entry of a raw tree: "<octal mode> <name>\0<20-byte id>". */
typedef struct ward_tree_entry {
    unsigned mode;
    const char *name;          /* NUL-terminated, in the tree's data */
    size_t name_len;
    const unsigned char *id;
} ward_tree_entry;

/* The entry at *off (then moved past it): 1, 0 at the end, -1 malformed. */
int ward_tree_next(const unsigned char *d, size_t len, size_t *off, ward_tree_entry *e);

#endif
