/* git2_lazy.c - loading libgit2 on first use (see git2_lazy.h for why).
 *
 * The library is opened by its soname, the one the headers libward was
 * compiled against name (LIBGIT2_SOVERSION): libgit2 changes its ABI with
 * every minor version, so any other version could misread the structs it
 * shares with us, and is refused even when WARD_LIBGIT2 points at it.  It
 * is never closed: libgit2 keeps threads' state and atexit work of its own,
 * and a second load would cost what the first one saved.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "git2_lazy.h"
#include "internal.h"

#define WARD_LIBGIT2_SONAME "libgit2.so." LIBGIT2_SOVERSION

ward_git2_table ward_git2;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512]; /* empty once loaded; written only under load_once */

/* dlerror's text usually starts with the file's name, which our message
 * already gives. */
static const char *without_name(const char *msg, const char *file)
{
    size_t n = strlen(file);
    if (!strncmp(msg, file, n) && msg[n] == ':' && msg[n + 1] == ' ')
        return msg + n + 2;
    return msg;
}

static void load(void)
{
    const char *env = getenv("WARD_LIBGIT2");
    const char *file = env && *env ? env : WARD_LIBGIT2_SONAME;
    /* RTLD_LOCAL: nothing else in the process resolves against it. */
    void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "cannot load '%s': %s", file,
                 why ? without_name(why, file) : "unknown error");
        return;
    }
    const char *missing = NULL;
#define WARD_GIT2_RESOLVE(name)                                        \
    if (!missing) {                                                    \
        void *sym = dlsym(h, "git_" #name);                            \
        if (sym)                                                       \
            memcpy(&ward_git2.name, &sym, sizeof sym);                 \
        else                                                           \
            missing = "git_" #name;                                    \
    }
    WARD_GIT2_FUNCS(WARD_GIT2_RESOLVE)
#undef WARD_GIT2_RESOLVE
    int major = 0, minor = 0, rev = 0;
    if (missing) {
        snprintf(load_error, sizeof load_error, "cannot load '%s': it has no %s", file, missing);
    } else if (ward_git2.libgit2_version(&major, &minor, &rev) < 0 ||
               major != LIBGIT2_VER_MAJOR || minor != LIBGIT2_VER_MINOR) {
        snprintf(load_error, sizeof load_error,
                 "cannot load '%s': it is libgit2 %d.%d.%d, ward was built for %d.%d", file,
                 major, minor, rev, LIBGIT2_VER_MAJOR, LIBGIT2_VER_MINOR);
    } else {
        return;
    }
    memset(&ward_git2, 0, sizeof ward_git2);
    dlclose(h);
}

ward_status ward_git2_init(char *err, size_t errlen)
{
    pthread_once(&load_once, load);
    if (load_error[0]) {
        ward_set_err(err, errlen, "%s", load_error);
        return WARD_EIO;
    }
    git_libgit2_init();
    return WARD_OK;
}

/* A folder a repository may be found in: a work tree's (.git, a folder or
 * a file naming one) or a bare repository (HEAD and objects/). */
static int maybe_here(char *dir, size_t n)
{
    struct stat sb;
    memcpy(dir + n, "/.git", 6);
    if (stat(dir, &sb) == 0)
        return 1;
    memcpy(dir + n, "/HEAD", 6);
    if (stat(dir, &sb) < 0 || !S_ISREG(sb.st_mode))
        return 0;
    memcpy(dir + n, "/objects", 9);
    return stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int ward_git2_maybe_repo(const char *path, int search)
{
    char dir[PATH_MAX + 16];
    if (!realpath(path ? path : ".", dir))
        return 1; /* libgit2 says what is wrong with it */
    size_t n = strlen(dir);
    if (n == 1)
        n = 0; /* "/": its entries are "/.git" */
    for (;;) {
        if (maybe_here(dir, n))
            return 1;
        if (!search || n == 0)
            return 0;
        while (n > 0 && dir[n - 1] != '/')
            n--;
        if (n > 0)
            n--; /* drop the slash; 0 leaves the root */
    }
}
