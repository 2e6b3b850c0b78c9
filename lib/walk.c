/* walk.c - scans files and folders with a pool of workers, output in order.
 *
 * The calling thread walks the paths (folders in sorted order, .gitignore
 * honoured through libgit2) and queues one job per file.  Workers, each with
 * its own scanner and read buffer, scan jobs in chunks of WARD_CHUNK bytes so
 * memory stays bounded however large a file is.
 *
 * Output is delivered in walk order whatever the thread count: each job has a
 * sequence number, and a job's findings and events are handed to the caller
 * only once every earlier job has been delivered.  The job at the head of the
 * line delivers straight through; later ones buffer copies until their turn.
 * At most WINDOW jobs are in flight, which bounds that buffering, and a job
 * whose buffer passes MAX_BUFFERED waits until it is the head.  Every
 * callback runs under one mutex, so the caller never sees two at once.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "git2_lazy.h"
#include "internal.h"
#include "queue.h"

#define WINDOW 256u
#define MAX_DEPTH 512
#define BINARY_SNIFF 8192u
/* UTF-16 text is transcoded whole; past this it is skipped, with a note. */
#define MAX_UTF16 (256ull << 20)
#define PROGRESS_NS 100000000ll

/* One file (or stdin, or an error met by the walk, delivered in order). */
typedef struct job {
    char *path;
    int is_stdin;
    const char *err_what; /* set: the job only carries this event */
    const char *err_msg;  /* static, or strerror's */
    ward_event_kind err_kind;
} job;

typedef struct pool {
    const ward_engine *e;
    const ward_walk_options *o;
    const ward_callbacks *cb;
    ward_queue *q;
    int git_ready;        /* libgit2 initialised (only when a walk needs it); <0 failed */
    char git_err[512];    /* why it could not be loaded (a note's message) */
    int stop;             /* the queue refused a job: the walk ends */
    ward_status fatal;
    /* written by delivery callbacks, which run under the queue's lock */
    uint64_t files, findings, errors;
    uint64_t bytes;       /* atomic: workers add as they scan */
    int64_t last_progress;
    int progress_done;
} pool;

/* Whether the caller asked the scan to stop (opts->cancel). */
static int cancelled(const pool *p)
{
    return p->o->cancel && __atomic_load_n(p->o->cancel, __ATOMIC_RELAXED);
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* Under the queue's lock (or after it is gone). */
static void progress_locked(pool *p, int done)
{
    if (!p->cb->on_progress)
        return;
    int64_t t = now_ns();
    if (!done && t - p->last_progress < PROGRESS_NS)
        return;
    p->last_progress = t;
    ward_progress pr = {p->files, __atomic_load_n(&p->bytes, __ATOMIC_RELAXED), p->findings,
                        p->errors, done};
    p->cb->on_progress(&pr, p->cb->user);
}

static int deliver_finding(const ward_finding *f, void *payload, void *user)
{
    (void)payload;
    pool *p = user;
    p->findings++;
    int stop = p->cb->on_finding(f, p->cb->user);
    progress_locked(p, 0);
    return stop;
}

static void deliver_event(const ward_event *ev, void *payload, void *user)
{
    (void)payload;
    pool *p = user;
    if (ev->kind == WARD_EV_ERROR)
        p->errors++;
    if (p->cb->on_event)
        p->cb->on_event(ev, p->cb->user);
}

static void job_done(void *payload, int delivered, void *user)
{
    job *j = payload;
    pool *p = user;
    if (delivered && !j->err_what)
        p->files++;
    if (delivered)
        progress_locked(p, 0);
    free(j->path);
    free(j);
}

typedef struct worker {
    pool *p;
    ward_scanner *s;
    char *buf;
    size_t cap;
    ward_queue_job *qj;   /* the job being run */
} worker;

static void *worker_new(void *user)
{
    pool *p = user;
    worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->p = p;
    return w; /* its buffer and scanner come with its first file (worker_ready) */
}

/* A worker's buffer and scanner, made on its first file: a scan of one
 * small file then pays for one scanner's scratch, not one per thread. */
static int worker_ready(worker *w)
{
    if (w->s)
        return 1;
    w->cap = WARD_CHUNK + WARD_MAX_WINDOW + WARD_LINE_CONTEXT;
    if (!w->buf && !(w->buf = malloc(w->cap)))
        return 0;
    return ward_scanner_new(w->p->e, &w->s) == WARD_OK;
}

static void worker_free(void *ctx, void *user)
{
    (void)user;
    worker *w = ctx;
    if (!w)
        return;
    ward_scanner_free(w->s);
    free(w->buf);
    free(w);
}

static int on_finding(const ward_finding *f, void *user)
{
    worker *w = user;
    return ward_queue_finding(w->qj, f);
}

static void job_event(ward_queue_job *qj, job *j, ward_event_kind kind, const char *what,
                      const char *msg)
{
    ward_event ev = {kind, j->path, what, msg, WARD_SKIP_OTHER};
    ward_queue_event(qj, &ev);
}

static void job_skip(ward_queue_job *qj, job *j, ward_skip_kind why, const char *msg)
{
    ward_event ev = {WARD_EV_SKIPPED, j->path, "skipped", msg, why};
    ward_queue_event(qj, &ev);
}

static ssize_t read_full(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return got ? (ssize_t)got : -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* UTF-16 text (with its byte-order mark) is read whole, up to max, and
 * handed to ward_scan_buffer, which transcodes it: the first have bytes are
 * in w->buf already. */
static void scan_utf16(worker *w, job *j, int fd, size_t have, int eof, uint64_t max)
{
    pool *p = w->p;
    size_t cap = have, n = have;
    char *all = malloc(cap ? cap : 1);
    if (!all) {
        job_event(w->qj, j, WARD_EV_ERROR, "cannot scan", "out of memory");
        return;
    }
    memcpy(all, w->buf, have);
    while (!eof) {
        if (n + w->cap > max + 2) {
            free(all);
            job_skip(w->qj, j, WARD_SKIP_SIZE,
                     max == MAX_UTF16 ? "UTF-16 text over 256 MiB"
                                      : "grew past --max-file-size while read");
            return;
        }
        if (n + w->cap > cap) {
            char *b = realloc(all, cap * 2 + w->cap);
            if (!b) {
                free(all);
                job_event(w->qj, j, WARD_EV_ERROR, "cannot scan", "out of memory");
                return;
            }
            all = b;
            cap = cap * 2 + w->cap;
        }
        ssize_t r = read_full(fd, all + n, w->cap);
        if (r < 0) {
            free(all);
            job_event(w->qj, j, WARD_EV_ERROR, "cannot read", strerror(errno));
            return;
        }
        n += (size_t)r;
        eof = (size_t)r < w->cap;
    }
    ward_status st = ward_scan_buffer(w->s, all, n, j->is_stdin ? "-" : j->path, on_finding, w);
    __atomic_add_fetch(&p->bytes, (uint64_t)n, __ATOMIC_RELAXED);
    if (st != WARD_OK && st != WARD_EABORT)
        job_event(w->qj, j, WARD_EV_ERROR, "cannot scan", ward_strerror(st));
    free(all);
}

/* Scans one file in chunks that overlap by the longest match plus line
 * context, so every match lies whole inside the chunk that reports it.
 * Memory does not grow with the file, so there is no size limit unless
 * the user sets one (--max-file-size). */
static void scan_file(worker *w, job *j)
{
    pool *p = w->p;
    const char *label = j->is_stdin ? "-" : j->path;
    int fd = j->is_stdin ? 0 : open(j->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        job_event(w->qj, j, WARD_EV_ERROR, "cannot open", strerror(errno));
        return;
    }
    struct stat sb;
    uint64_t max = p->o->max_file_size ? p->o->max_file_size : UINT64_MAX;
    if (!j->is_stdin && fstat(fd, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) {
            job_event(w->qj, j, WARD_EV_ERROR, "cannot read", strerror(EISDIR));
            close(fd);
            return;
        }
        if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > max) {
            char msg[96];
            snprintf(msg, sizeof msg, "larger than the %llu-byte limit (--max-file-size)",
                     (unsigned long long)max);
            job_skip(w->qj, j, WARD_SKIP_SIZE, msg);
            close(fd);
            return;
        }
    }
    const size_t keep = WARD_MAX_WINDOW + WARD_LINE_CONTEXT;
    size_t have = 0, emit_from = 0;
    uint64_t base_off = 0, base_line = 1;
    int first = 1;
    for (;;) {
        ssize_t r = read_full(fd, w->buf + have, w->cap - have);
        if (r < 0) {
            job_event(w->qj, j, WARD_EV_ERROR, "cannot read", strerror(errno));
            break;
        }
        have += (size_t)r;
        int eof = have < w->cap;
        if (first) {
            first = 0;
            if (ward_utf16_bom(w->buf, have)) {
                scan_utf16(w, j, fd, have, eof, max < MAX_UTF16 ? max : MAX_UTF16);
                break;
            }
            size_t sniff = have < BINARY_SNIFF ? have : BINARY_SNIFF;
            if (!p->o->scan_binary && memchr(w->buf, '\0', sniff)) {
                job_skip(w->qj, j, WARD_SKIP_BINARY, "binary file (--binary scans it)");
                break;
            }
        }
        ward_chunk c = {w->buf, have, base_off, base_line, emit_from, eof ? have : have - keep,
                        label, NULL};
        ward_status st = ward_scan_chunk(w->s, &c, on_finding, w);
        __atomic_add_fetch(&p->bytes, (uint64_t)(c.emit_to - c.emit_from), __ATOMIC_RELAXED);
        if (st == WARD_ESCAN) {
            job_event(w->qj, j, WARD_EV_ERROR, "cannot scan", "the matcher failed");
            break;
        }
        if (st != WARD_OK || eof || cancelled(p))
            break;
        /* A file that grows while read stops at the limit; a stream (stdin)
         * has none: nothing stops it but the end of input. */
        if (!j->is_stdin && max != UINT64_MAX && base_off + have > max + keep) {
            job_skip(w->qj, j, WARD_SKIP_SIZE, "grew past --max-file-size while read");
            break;
        }
        size_t adv = c.emit_to - WARD_LINE_CONTEXT;
        base_line += ward_count_newlines(w->buf, adv);
        base_off += adv;
        memmove(w->buf, w->buf + adv, have - adv);
        have -= adv;
        emit_from = WARD_LINE_CONTEXT;
    }
    if (!j->is_stdin)
        close(fd);
}

static void run_job(void *ctx, ward_queue_job *qj, void *payload, void *user)
{
    (void)user;
    worker *w = ctx;
    job *j = payload;
    if (j->err_what) {
        job_event(qj, j, j->err_kind, j->err_what, j->err_msg);
        return;
    }
    if (!w || !worker_ready(w)) {
        job_event(qj, j, WARD_EV_ERROR, "cannot scan", "out of memory");
        return;
    }
    w->qj = qj;
    scan_file(w, j);
}

/* Queues a file, or an error met by the walk (err_what set) so that it is
 * delivered in walk order.  -1 once the scan has stopped. */
static int submit(pool *p, const char *path, int is_stdin, const char *err_what,
                  const char *err_msg, ward_event_kind kind)
{
    job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        p->fatal = WARD_ENOMEM;
        p->stop = 1;
        ward_queue_abort(p->q);
        return -1;
    }
    j->is_stdin = is_stdin;
    j->err_what = err_what;
    j->err_msg = err_msg;
    j->err_kind = kind;
    if (ward_queue_submit(p->q, j) < 0)
        p->stop = 1;
    return p->stop ? -1 : 0;
}

/* ---- the walk ---- */

typedef struct frame {
    char *path;           /* as it will be reported */
    char **names;         /* each: one byte of d_type, then the name */
    size_t n, i;
    dev_t dev;
    ino_t ino;
} frame;

typedef struct walker {
    pool *p;
    git_repository *repo;
    char *workdir;        /* realpath of repo's work tree, with trailing slash */
    size_t workdir_len;
    char *root_rel;       /* the walk root relative to workdir, "" or "dir/" */
    size_t root_skip;     /* how much of a walked path is the root as given */
    frame stack[MAX_DEPTH];
    int depth;
} walker;

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int bare = dl == 1 && dir[0] == '.'; /* "./x" reads better as "x" */
    char *r = malloc(dl + nl + 2);
    if (!r)
        return NULL;
    if (bare) {
        memcpy(r, name, nl + 1);
    } else {
        memcpy(r, dir, dl);
        size_t k = dl;
        if (k == 0 || r[k - 1] != '/')
            r[k++] = '/';
        memcpy(r + k, name, nl + 1);
    }
    return r;
}

static int read_dir(frame *f, const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return -1;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (f->n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(f->names, cap * sizeof *nn);
            if (!nn)
                break;
            f->names = nn;
        }
        /* Keeping d_type spares a stat per entry for most of a tree. */
        size_t nl = strlen(de->d_name);
        if (!(f->names[f->n] = malloc(nl + 2)))
            break;
        f->names[f->n][0] = (char)de->d_type;
        memcpy(f->names[f->n] + 1, de->d_name, nl + 1);
        f->n++;
    }
    closedir(d);
    if (f->n > 1)
        qsort(f->names, f->n, sizeof *f->names, name_cmp);
    return 0;
}

static void free_frame(frame *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->names[i]);
    free(f->names);
    free(f->path);
    memset(f, 0, sizeof *f);
}

static int is_ignored(walker *w, const char *path, int is_dir)
{
    if (!w->repo)
        return 0;
    /* libgit2 wants the path relative to the work tree; a trailing slash
     * lets directory-only patterns ("build/") apply. */
    char rel[PATH_MAX + 2];
    /* walked paths start with the root as given ("../app/x"): what follows
     * it is relative to the root, whose place in the work tree is root_rel */
    const char *base = strlen(path) >= w->root_skip ? path + w->root_skip : "";
    int n = snprintf(rel, sizeof rel, "%s%s%s", w->root_rel, base, is_dir ? "/" : "");
    if (n < 0 || n >= (int)sizeof rel)
        return 0;
    int ignored = 0;
    if (git_ignore_path_is_ignored(&ignored, w->repo, rel) < 0)
        return 0;
    return ignored;
}

/* Whether dir (a real path) is inside a git work tree: a .git entry in it
 * or above it.  Asked before libgit2 is loaded at all: loading it (and the
 * two dozen libraries it needs) and initialising it (the system's TLS
 * certificates) cost milliseconds that a scan outside any repository
 * should not pay. */
static int in_git_tree(const char *real)
{
    char p[PATH_MAX + 8];
    size_t n = strlen(real);
    if (n >= PATH_MAX)
        return 0;
    memcpy(p, real, n + 1);
    for (;;) {
        struct stat sb;
        memcpy(p + n, "/.git", 6);
        if (stat(p, &sb) == 0)
            return 1;
        while (n > 0 && p[n - 1] != '/')
            n--;
        if (n <= 1)
            return 0;
        n--; /* drop the slash */
    }
}

static void open_repo(walker *w, const char *dir)
{
    char real[PATH_MAX];
    if (w->p->o->no_ignore || !realpath(dir, real) || !in_git_tree(real))
        return;
    if (!w->p->git_ready) {
        /* Only here, inside a work tree, is libgit2 loaded at all. */
        w->p->git_ready = ward_git2_init(w->p->git_err, sizeof w->p->git_err) ? -1 : 1;
        if (w->p->git_ready < 0)
            submit(w->p, dir, 0, ".gitignore is not honoured", w->p->git_err, WARD_EV_NOTE);
    }
    if (w->p->git_ready < 0)
        return;
    if (git_repository_open_ext(&w->repo, real, 0, NULL) < 0) {
        w->repo = NULL;
        return;
    }
    const char *wd = git_repository_workdir(w->repo);
    char wreal[PATH_MAX];
    if (!wd || !realpath(wd, wreal)) {
        git_repository_free(w->repo);
        w->repo = NULL;
        return;
    }
    size_t wl = strlen(wreal), rl = strlen(real);
    if (strncmp(real, wreal, wl) || (rl > wl && real[wl] != '/')) {
        git_repository_free(w->repo);
        w->repo = NULL;
        return;
    }
    const char *rest = real + wl;
    while (*rest == '/')
        rest++;
    w->root_rel = malloc(strlen(rest) + 2);
    if (!w->root_rel) {
        git_repository_free(w->repo);
        w->repo = NULL;
        return;
    }
    snprintf(w->root_rel, strlen(rest) + 2, "%s%s", rest, *rest ? "/" : "");
    /* A folder named on the command line is scanned even if ignored, like
     * a file named there; libgit2 would say all its contents are ignored
     * too, so its ignore rules are not consulted at all. */
    int ignored = 0;
    if (*rest && git_ignore_path_is_ignored(&ignored, w->repo, w->root_rel) == 0 && ignored) {
        git_repository_free(w->repo);
        w->repo = NULL;
    }
}

static int walk_dir(walker *w, const char *root, const struct stat *rootsb)
{
    pool *p = w->p;
    int follow = p->o->follow_symlinks;
    open_repo(w, root);
    size_t rl = strlen(root);
    w->root_skip = rl == 1 && root[0] == '.' ? 0 : rl + (rl && root[rl - 1] != '/');
    w->depth = 0;
    frame *f = &w->stack[0];
    memset(f, 0, sizeof *f);
    f->path = strdup(root);
    f->dev = rootsb->st_dev;
    f->ino = rootsb->st_ino;
    if (!f->path || read_dir(f, root) < 0) {
        submit(p, root, 0, "cannot open", strerror(errno), WARD_EV_ERROR);
        free_frame(f);
        return 0;
    }
    while (w->depth >= 0 && !p->stop) {
        if (cancelled(p)) {
            p->stop = 1;
            ward_queue_abort(p->q);
            break;
        }
        f = &w->stack[w->depth];
        if (f->i == f->n) {
            free_frame(f);
            w->depth--;
            continue;
        }
        const char *name = f->names[f->i] + 1;
        unsigned char type = (unsigned char)f->names[f->i++][0];
        char *path = join(f->path, name);
        if (!path)
            return -1;
        struct stat sb;
        int rc = 0;
        if (type == DT_REG) {
            sb.st_mode = S_IFREG; /* the worker's fstat sees the size */
        } else if (type == DT_DIR && !follow) {
            /* loops need symbolic links, which are not followed here */
            memset(&sb, 0, sizeof sb);
            sb.st_mode = S_IFDIR;
        } else if (type == DT_LNK && !follow) {
            free(path);
            continue;
        } else {
            rc = follow ? stat(path, &sb) : lstat(path, &sb);
        }
        if (rc < 0 && follow && lstat(path, &sb) == 0) {
            /* a dangling link */
            free(path);
            continue;
        }
        if (rc < 0) {
            submit(p, path, 0, "cannot open", strerror(errno), WARD_EV_ERROR);
            free(path);
            continue;
        }
        if (S_ISDIR(sb.st_mode)) {
            if (!strcmp(name, ".git") || is_ignored(w, path, 1)) {
                free(path);
                continue;
            }
            /* A loop needs a followed symbolic link; without following, a
             * directory's dev and inode are not even looked up. */
            int loop = 0;
            for (int k = 0; follow && k <= w->depth; k++)
                loop |= w->stack[k].dev == sb.st_dev && w->stack[k].ino == sb.st_ino;
            if (loop || w->depth + 1 >= MAX_DEPTH) {
                submit(p, path, 0, "skipped",
                       loop ? "symbolic link loop" : "folders nest too deeply", WARD_EV_SKIPPED);
                free(path);
                continue;
            }
            frame *nf = &w->stack[w->depth + 1];
            memset(nf, 0, sizeof *nf);
            nf->path = path;
            nf->dev = sb.st_dev;
            nf->ino = sb.st_ino;
            if (read_dir(nf, path) < 0) {
                submit(p, path, 0, "cannot open", strerror(errno), WARD_EV_ERROR);
                free_frame(nf);
                continue;
            }
            w->depth++;
            continue;
        }
        if (S_ISREG(sb.st_mode) && !is_ignored(w, path, 0))
            submit(p, path, 0, NULL, NULL, 0);
        /* symlinks (unless followed), sockets, fifos and devices met in a
         * walk are not files anyone wrote secrets into */
        free(path);
    }
    while (w->depth >= 0)
        free_frame(&w->stack[w->depth--]);
    return 0;
}

static void walk_path(pool *p, const char *path)
{
    if (!strcmp(path, "-")) {
        submit(p, "-", 1, NULL, NULL, 0);
        return;
    }
    struct stat sb;
    /* A path named on the command line is always followed and scanned, even
     * if ignored: the user asked for it by name. */
    if (stat(path, &sb) < 0) {
        submit(p, path, 0, "cannot open", strerror(errno), WARD_EV_ERROR);
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        submit(p, path, 0, NULL, NULL, 0);
        return;
    }
    walker *w = calloc(1, sizeof *w);
    if (!w) {
        p->fatal = WARD_ENOMEM;
        p->stop = 1;
        return;
    }
    w->p = p;
    w->root_rel = NULL;
    walk_dir(w, path, &sb);
    if (w->repo)
        git_repository_free(w->repo);
    free(w->root_rel);
    free(w);
}

static unsigned online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

ward_status ward_scan_paths(const ward_engine *e, const char *const *paths, size_t n_paths,
                            const ward_walk_options *opts, const ward_callbacks *cb)
{
    static const char *const dot[] = {"."};
    ward_walk_options oo;
    if (!e || !cb || !cb->on_finding || (n_paths && !paths) ||
        ward_take_options(&oo, sizeof oo, opts) != WARD_OK)
        return WARD_EINVAL;
    opts = &oo; /* p->o points here: the walk ends before this returns */
    if (!n_paths) {
        paths = dot;
        n_paths = 1;
    }
    pool *p = calloc(1, sizeof *p);
    if (!p)
        return WARD_ENOMEM;
    p->e = e;
    p->o = opts;
    p->cb = cb;
    p->last_progress = now_ns();
    static const ward_queue_ops ops = {worker_new, worker_free, run_job, deliver_finding,
                                       deliver_event, job_done};
    ward_queue_config qc = {.threads = opts->threads ? opts->threads : online_cpus(),
                            .window = WINDOW};
    ward_status st = ward_queue_new(&ops, p, &qc, &p->q);
    for (size_t i = 0; st == WARD_OK && i < n_paths && !p->stop; i++)
        walk_path(p, paths[i]);
    if (st == WARD_OK && cancelled(p))
        ward_queue_abort(p->q);
    if (st == WARD_OK) {
        ward_status qs = ward_queue_finish(p->q);
        if (qs == WARD_OK)
            progress_locked(p, 1);
        if (!p->fatal && qs != WARD_OK)
            p->fatal = qs;
        st = p->fatal ? p->fatal : p->errors ? WARD_EPARTIAL : WARD_OK;
    }
    if (p->git_ready > 0)
        git_libgit2_shutdown();
    free(p);
    return st;
}
