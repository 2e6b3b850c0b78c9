/* gitrepo.h - what the libgit2 files (git.c, staged.c, gitrepo.c) share.
 * Private to libward. */
#ifndef WARD_GITREPO_H
#define WARD_GITREPO_H

#include "git2_lazy.h"

#include "internal.h"

/* A blob is read whole (deltas need their bases whole), so a limit stays:
 * past it a blob is skipped and the summary line says so. */
#define WARD_GIT_MAX_BLOB (256ull << 20)
/* A blob with a NUL in its first bytes is binary (as git decides). */
#define WARD_GIT_BINARY_PROBE 8192u

/* libgit2's last error message, or "unknown error". */
const char *ward_git_msg(void);
/* What ward_scan_git and ward_scan_staged check first: an engine and an
 * on_finding callback, options a caller of any version may pass (copied
 * into *out), and libgit2 loaded.  Clears errbuf.  WARD_EINVAL, WARD_EIO
 * when libgit2 cannot be loaded, or WARD_OK. */
ward_status ward_git_begin(const ward_engine *e, const ward_git_options *opts,
                           const ward_git_callbacks *cb, ward_git_options *out,
                           char *errbuf, size_t errlen);
/* Opens the repository at path (NULL or "." searches upwards from the
 * current folder); a clear one-line error otherwise. */
ward_status ward_git_open(const char *path, git_repository **repo, char *err, size_t errlen);
/* Hands an event to cb->on_event, when there is one. */
void ward_git_event(const ward_git_callbacks *cb, ward_event_kind kind, ward_skip_kind skip,
                    const char *path, const char *what, const char *message);

#endif
