/* gitdir.c - a work tree's repository, read without libgit2 (see gitdir.h).
 *
 * Discovery follows git_repository_open_ext as ward_git_open calls it: the
 * folder itself, and when searching, each folder above on the same file
 * system, until one holds ".git" (a folder, or a file saying
 * "gitdir: PATH").  A folder that is a repository itself (HEAD and
 * objects/) is a bare one or the inside of .git: libgit2's to judge.
 */
#define _GNU_SOURCE
#include "gitdir.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_SMALL_FILE (64u << 20) /* HEAD, refs, config, packed-refs */
#define LOOSE_MAX_FILE (2ull << 30) /* larger than any object ward reads, compressed */
#define MAX_SYMREF 5               /* as git: "ref: " followed at most this often */

__attribute__((format(printf, 3, 4))) static int why_set(char *why, size_t whylen,
                                                         const char *fmt, ...)
{
    if (why && whylen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return 1;
}

char *ward_file_read(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *buf = NULL;
    int saved = 0;
    if (fstat(fd, &st) < 0) {
        saved = errno;
    } else if (!S_ISREG(st.st_mode)) {
        saved = EINVAL;
    } else if ((uint64_t)st.st_size > max) {
        saved = EFBIG;
    } else if (!(buf = malloc((size_t)st.st_size + 1))) {
        saved = ENOMEM;
    } else {
        size_t n = 0;
        while (n < (size_t)st.st_size) {
            ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                saved = errno;
                free(buf);
                buf = NULL;
                break;
            }
            if (r == 0)
                break; /* shorter now than fstat said: what there is */
            n += (size_t)r;
        }
        if (buf) {
            buf[n] = '\0';
            if (len)
                *len = n;
        }
    }
    close(fd);
    errno = saved;
    return buf;
}

static char *slurp(const char *path, size_t *len)
{
    return ward_file_read(path, MAX_SMALL_FILE, len);
}

static char *join(const char *a, const char *b)
{
    char *s = malloc(strlen(a) + strlen(b) + 2);
    if (s)
        sprintf(s, "%s/%s", a, b);
    return s;
}

/* "gitdir: PATH" (PATH relative to the folder holding the file). */
static char *gitdir_from_file(const char *dotgit, const char *dir)
{
    char *text = slurp(dotgit, NULL);
    if (!text || strncmp(text, "gitdir: ", 8)) {
        free(text);
        return NULL;
    }
    char *p = text + 8;
    p[strcspn(p, "\r\n")] = '\0';
    char *out = *p == '/' ? strdup(p) : join(dir, p);
    free(text);
    return out;
}

/* Whether a config file sets what this reader cannot follow: an object
 * format or ref storage (repository extensions), or core.bare.  Read
 * loosely: a false alarm only costs the trip through libgit2. */
static const char *config_unusual(const char *config)
{
    char *text = slurp(config, NULL);
    if (!text)
        return NULL;
    for (char *c = text; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    const char *why = NULL;
    if (strstr(text, "objectformat") || strstr(text, "compatobjectformat"))
        why = "an object format other than SHA-1 may be set";
    else if (strstr(text, "refstorage"))
        why = "a ref storage other than files may be set";
    for (char *line = text; !why && line && *line; line = strchr(line, '\n'), line += !!line) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (strncmp(line, "bare", 4))
            continue;
        char *v = line + 4;
        while (*v == ' ' || *v == '\t')
            v++;
        if (*v++ != '=')
            continue;
        while (*v == ' ' || *v == '\t')
            v++;
        if (!strncmp(v, "true", 4) || !strncmp(v, "yes", 3) || !strncmp(v, "on", 2) || *v == '1')
            why = "core.bare is set";
    }
    free(text);
    return why;
}

int ward_gitdir_open(const char *path, ward_gitdir *g, char *why, size_t whylen)
{
    memset(g, 0, sizeof *g);
    static const char *const env[] = {"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR",
                                      "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"};
    for (size_t i = 0; i < sizeof env / sizeof *env; i++)
        if (getenv(env[i]))
            return why_set(why, whylen, "%s is set", env[i]);
    int search = !path || !strcmp(path, ".");
    char dir[PATH_MAX + 16];
    if (!realpath(path ? path : ".", dir))
        return why_set(why, whylen, "cannot resolve '%s'", path ? path : ".");
    struct stat sb;
    dev_t dev = stat(dir, &sb) == 0 ? sb.st_dev : 0;
    size_t n = strlen(dir);
    char *found = NULL;
    for (;;) {
        char probe[PATH_MAX + 16];
        snprintf(probe, sizeof probe, "%.*s/.git", (int)n, dir);
        if (stat(probe, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) {
                found = strdup(probe);
            } else if (S_ISREG(sb.st_mode)) {
                dir[n] = '\0';
                found = gitdir_from_file(probe, n ? dir : "/");
                if (!found)
                    return why_set(why, whylen, "'%s' does not name a repository", probe);
            } else {
                return why_set(why, whylen, "'%s' is neither a folder nor a file", probe);
            }
            break;
        }
        snprintf(probe, sizeof probe, "%.*s/HEAD", (int)n, dir);
        struct stat ob;
        char objects[PATH_MAX + 16];
        snprintf(objects, sizeof objects, "%.*s/objects", (int)n, dir);
        if (stat(probe, &sb) == 0 && S_ISREG(sb.st_mode) && stat(objects, &ob) == 0 &&
            S_ISDIR(ob.st_mode))
            return why_set(why, whylen, "'%.*s' may be a repository itself", (int)(n ? n : 1), n ? dir : "/");
        if (!search || n == 0)
            return why_set(why, whylen, "%s", "no .git found");
        while (n > 0 && dir[n - 1] != '/')
            n--;
        if (n > 0)
            n--;
        dir[n] = '\0';
        if (stat(n ? dir : "/", &sb) == 0 && sb.st_dev != dev)
            return why_set(why, whylen, "%s", "the search reached another file system");
    }
    if (!found)
        return -2;
    g->gitdir = found;
    char *cd = join(found, "commondir");
    if (!cd) {
        ward_gitdir_close(g);
        return -2;
    }
    char *text = slurp(cd, NULL);
    free(cd);
    if (text) {
        text[strcspn(text, "\r\n")] = '\0';
        g->common = *text == '/' ? strdup(text) : join(found, text);
        free(text);
    } else {
        g->common = strdup(found);
    }
    const char *idx = getenv("GIT_INDEX_FILE");
    g->index = idx && *idx ? strdup(idx) : join(found, "index");
    char *objects = g->common ? join(g->common, "objects") : NULL;
    char *config = g->common ? join(g->common, "config") : NULL;
    char *alt = objects ? join(objects, "info/alternates") : NULL;
    if (!g->common || !g->index || !objects || !config || !alt) {
        free(objects);
        free(config);
        free(alt);
        ward_gitdir_close(g);
        return -2;
    }
    const char *unusual = config_unusual(config);
    int rc = 0;
    if (unusual)
        rc = why_set(why, whylen, "%s", unusual);
    else if (stat(alt, &sb) == 0)
        rc = why_set(why, whylen, "%s", "the repository borrows objects (alternates)");
    else if (!(g->packs = ward_packs_open(objects)) ||
             !(g->rd = ward_pack_reader_new(g->packs, 32u << 20)))
        rc = -2;
    else
        ward_packs_keep_pages(g->packs); /* one commit's worth of objects */
    free(config);
    free(alt);
    free(objects);
    if (rc)
        ward_gitdir_close(g);
    return rc;
}

void ward_gitdir_close(ward_gitdir *g)
{
    if (!g)
        return;
    ward_pack_reader_free(g->rd);
    ward_packs_free(g->packs);
    free(g->gitdir);
    free(g->common);
    free(g->index);
    memset(g, 0, sizeof *g);
}

/* ---------------------------------------------------------------------
 * HEAD.
 * ------------------------------------------------------------------- */

void ward_oid_hex(const unsigned char id[20], char out[41])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 20; i++) {
        out[2 * i] = digits[id[i] >> 4];
        out[2 * i + 1] = digits[id[i] & 15];
    }
    out[40] = '\0';
}

static int unhex(const char *s, unsigned char id[20])
{
    for (int i = 0; i < 40; i++) {
        int c = s[i], v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return -1;
        if (i & 1)
            id[i / 2] = (unsigned char)(id[i / 2] << 4 | v);
        else
            id[i / 2] = (unsigned char)v;
    }
    return 0;
}

/* A ref from packed-refs: 0 found, 1 not there, -1 malformed. */
static int packed_ref(const ward_gitdir *g, const char *name, unsigned char id[20])
{
    char *file = join(g->common, "packed-refs");
    char *text = file ? slurp(file, NULL) : NULL;
    free(file);
    if (!text)
        return 1;
    int rc = 1;
    size_t nl = strlen(name);
    for (char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
        size_t ll = strcspn(line, "\r\n");
        if (*line == '#' || *line == '^' || ll != 41 + nl)
            continue;
        if (line[40] == ' ' && !strncmp(line + 41, name, nl)) {
            rc = unhex(line, id) ? -1 : 0;
            break;
        }
    }
    free(text);
    return rc;
}

/* Reads "ref: NAME" or an id from a file's text; 0 id, 2 symbolic (name
 * set, malloc'd), -1 neither. */
static int ref_text(const char *text, unsigned char id[20], char **name)
{
    if (!strncmp(text, "ref: ", 5)) {
        const char *p = text + 5;
        size_t n = strcspn(p, "\r\n");
        if (!n || strstr(p, "..") || *p == '/')
            return -1;
        *name = strndup(p, n);
        return *name ? 2 : -1;
    }
    if (strlen(text) >= 40 && !unhex(text, id) && (text[40] == '\0' || isspace((unsigned char)text[40])))
        return 0;
    return -1;
}

int ward_gitdir_head_tree(ward_gitdir *g, unsigned char id[20], char *why, size_t whylen)
{
    char *file = join(g->gitdir, "HEAD");
    char *text = file ? slurp(file, NULL) : NULL;
    free(file);
    if (!text) {
        why_set(why, whylen, "%s", "cannot read HEAD");
        return -1;
    }
    char *name = NULL;
    int rc = ref_text(text, id, &name);
    free(text);
    for (int depth = 0; rc == 2 && depth <= MAX_SYMREF; depth++) {
        /* HEAD-like names live in the work tree's folder, branches in the common one */
        char *p = join(strncmp(name, "refs/", 5) ? g->gitdir : g->common, name);
        text = p ? slurp(p, NULL) : NULL;
        free(p);
        if (text) {
            char *next = NULL;
            rc = ref_text(text, id, &next);
            free(text);
            free(name);
            name = next;
        } else {
            int pr = packed_ref(g, name, id);
            free(name);
            name = NULL;
            if (pr == 1)
                return 1; /* a branch with no commit yet */
            rc = pr;
        }
    }
    free(name);
    if (rc != 0) {
        why_set(why, whylen, "%s", "cannot resolve HEAD");
        return -1;
    }
    int type;
    unsigned char *data = NULL;
    size_t len;
    char err[256];
    int r = ward_gitdir_read(g, id, 0, &type, &data, &len, NULL, err, sizeof err);
    if (r != WARD_PACK_OK || type != WARD_OBJ_COMMIT || len < 46 || memcmp(data, "tree ", 5) ||
        unhex((char *)data + 5, id)) {
        free(data);
        why_set(why, whylen, "%s", "cannot read HEAD's commit");
        return -1;
    }
    free(data);
    return 0;
}

/* ---------------------------------------------------------------------
 * Objects.
 * ------------------------------------------------------------------- */

static int corrupt(char *err, size_t errlen, const char *what)
{
    if (err && errlen)
        snprintf(err, errlen, "a damaged loose object (%s)", what);
    return WARD_PACK_CORRUPT;
}

int ward_loose_parse(const unsigned char *file, size_t file_len, uint64_t max_size, int *type,
                     unsigned char **data, size_t *len, uint64_t *size, char *err,
                     size_t errlen)
{
    *data = NULL;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        return WARD_PACK_NOMEM;
    unsigned char head[64];
    z.next_in = (unsigned char *)file;
    z.avail_in = file_len > UINT32_MAX ? UINT32_MAX : (uInt)file_len;
    z.next_out = head;
    z.avail_out = sizeof head;
    int zr = inflate(&z, Z_SYNC_FLUSH);
    size_t got = sizeof head - z.avail_out;
    const unsigned char *nul = memchr(head, 0, got);
    if ((zr != Z_OK && zr != Z_STREAM_END) || !nul) {
        inflateEnd(&z);
        return corrupt(err, errlen, "no header");
    }
    static const char *const names[] = {NULL, "commit ", "tree ", "blob ", "tag "};
    int t = 0;
    for (int i = 1; i <= 4; i++)
        if (!strncmp((const char *)head, names[i], strlen(names[i])))
            t = i;
    const unsigned char *p = t ? head + strlen(names[t]) : nul;
    uint64_t sz = 0;
    if (p == nul)
        t = 0;
    for (; t && p < nul; p++) {
        if (*p < '0' || *p > '9' || sz > (UINT64_MAX - 9) / 10)
            t = 0;
        sz = sz * 10 + (uint64_t)(*p - '0');
    }
    if (!t) {
        inflateEnd(&z);
        return corrupt(err, errlen, "a bad header");
    }
    if (size)
        *size = sz;
    if ((max_size && sz > max_size) || sz > (1ull << 30)) {
        inflateEnd(&z);
        return WARD_PACK_TOO_BIG;
    }
    unsigned char *out = malloc((size_t)sz + 1);
    if (!out) {
        inflateEnd(&z);
        return WARD_PACK_NOMEM;
    }
    size_t have = got - (size_t)(nul + 1 - head);
    if (have > sz) {
        free(out);
        inflateEnd(&z);
        return corrupt(err, errlen, "longer than its header says");
    }
    memcpy(out, nul + 1, have);
    if (zr != Z_STREAM_END) {
        /* room for one byte more than announced, to see a longer object */
        z.next_out = out + have;
        z.avail_out = (uInt)(sz - have + 1);
        zr = inflate(&z, Z_FINISH);
        have = (size_t)(z.next_out - out);
    }
    inflateEnd(&z);
    if (zr != Z_STREAM_END || have != sz) {
        free(out);
        return corrupt(err, errlen, have > sz ? "longer than its header says"
                                              : "shorter than its header says");
    }
    out[sz] = '\0';
    *data = out;
    *len = (size_t)sz;
    *type = t;
    return WARD_PACK_OK;
}

int ward_gitdir_read(ward_gitdir *g, const unsigned char id[20], uint64_t max_size, int *type,
                     unsigned char **data, size_t *len, uint64_t *size, char *err,
                     size_t errlen)
{
    *data = NULL;
    int rc = ward_pack_read(g->rd, id, max_size, type, data, len, size, err, errlen);
    if (rc != WARD_PACK_NOT_FOUND)
        return rc;
    char hex[41], rel[64];
    ward_oid_hex(id, hex);
    snprintf(rel, sizeof rel, "objects/%.2s/%s", hex, hex + 2);
    char *path = join(g->common, rel);
    if (!path)
        return WARD_PACK_NOMEM;
    size_t n = 0;
    unsigned char *file = (unsigned char *)ward_file_read(path, LOOSE_MAX_FILE, &n);
    free(path);
    if (!file)
        return errno == ENOMEM ? WARD_PACK_NOMEM : errno == EFBIG ? WARD_PACK_TOO_BIG
                                                                 : WARD_PACK_NOT_FOUND;
    rc = ward_loose_parse(file, n, max_size, type, data, len, size, err, errlen);
    free(file);
    return rc;
}
