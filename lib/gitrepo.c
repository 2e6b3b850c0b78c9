/* gitrepo.c - opening a repository, and what names it in a report. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gitrepo.h"
#include "history.h"

/* ---------------------------------------------------------------------
 * Opening a repository.
 * ------------------------------------------------------------------- */

const char *ward_git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown error";
}

ward_status ward_git_check(const ward_engine *e, const ward_git_options *opts,
                           const ward_git_callbacks *cb, ward_git_options *out,
                           char *errbuf, size_t errlen)
{
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!e || !cb || !cb->on_finding || ward_take_options(out, sizeof *out, opts) != WARD_OK)
        return WARD_EINVAL;
    return WARD_OK;
}

ward_status ward_git_begin(const ward_engine *e, const ward_git_options *opts,
                           const ward_git_callbacks *cb, ward_git_options *out,
                           char *errbuf, size_t errlen)
{
    ward_status st = ward_git_check(e, opts, cb, out, errbuf, errlen);
    if (st)
        return st;
    if (ward_git2_init(errbuf, errlen))
        return WARD_EIO;
    return WARD_OK;
}

ward_status ward_git_open(const char *path, git_repository **repo, char *err, size_t errlen)
{
    int search = !path || !strcmp(path, ".");
    const char *p = path ? path : ".";
    struct stat sb;
    if (stat(p, &sb) < 0) {
        ward_set_err(err, errlen, "cannot open '%s': %s", p, strerror(errno));
        return WARD_EIO;
    }
    if (git_repository_open_ext(repo, p, search ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
        const git_error *ge = git_error_last();
        if (ge && ge->klass == GIT_ERROR_REPOSITORY && strstr(ge->message, "could not find"))
            ward_set_err(err, errlen, "'%s' is not a git repository", p);
        else
            ward_set_err(err, errlen, "cannot open '%s': %s", p, ward_git_msg());
        *repo = NULL;
        return WARD_EIO;
    }
    return WARD_OK;
}

void ward_git_event(const ward_git_callbacks *cb, ward_event_kind kind, ward_skip_kind skip,
                  const char *path, const char *what, const char *message)
{
    if (cb->on_event) {
        ward_event ev = {kind, path, what, message, skip};
        cb->on_event(&ev, cb->user);
    }
}

/* ---------------------------------------------------------------------
 * What names a repository in a report.
 * ------------------------------------------------------------------- */

/* A remote URL as a URI without credentials: "scheme://user:pw@host/p"
 * loses "user:pw@"; scp-like "user@host:path" becomes "ssh://host/path". */
static char *clean_remote(const char *url)
{
    const char *sep = strstr(url, "://");
    if (sep) {
        const char *auth = sep + 3, *end = auth + strcspn(auth, "/?#");
        const char *at = memchr(auth, '@', (size_t)(end - auth));
        while (at) { /* the last '@' before the path ends the user part */
            const char *next = memchr(at + 1, '@', (size_t)(end - at - 1));
            if (!next)
                break;
            at = next;
        }
        if (!at)
            return strdup(url);
        char *out = malloc(strlen(url) + 1);
        if (out)
            sprintf(out, "%.*s%s", (int)(auth - url), url, at + 1);
        return out;
    }
    const char *colon = strchr(url, ':'), *slash = strchr(url, '/');
    if (colon && (!slash || colon < slash) && colon > url) {
        const char *host = url, *at = memchr(url, '@', (size_t)(colon - url));
        if (at)
            host = at + 1;
        char *out = malloc(strlen(url) + 16);
        if (out)
            sprintf(out, "ssh://%.*s/%s", (int)(colon - host), host,
                    colon[1] == '/' ? colon + 2 : colon + 1);
        return out;
    }
    return strdup(url); /* a local path */
}

ward_status ward_repo_info_get(const char *repo, ward_repo_info *info)
{
    if (!info)
        return WARD_EINVAL;
    memset(info, 0, sizeof *info);
    /* ward scan --format sarif asks this outside any repository too: a
     * look at the folders says so without loading libgit2. */
    if (!ward_git2_maybe_repo(repo, !repo || !strcmp(repo, ".")) || ward_git2_init(NULL, 0))
        return WARD_EIO;
    git_repository *r = NULL;
    ward_status st = ward_git_open(repo, &r, NULL, 0);
    if (st) {
        git_libgit2_shutdown();
        return st;
    }
    /* The configured URL, read directly: git_remote_lookup also applies
     * url.*.insteadOf through regexes, and leaks their match data in
     * libgit2 1.5. */
    git_config *cfg = NULL;
    const char *url = NULL;
    if (git_repository_config_snapshot(&cfg, r) == 0 &&
        git_config_get_string(&url, cfg, "remote.origin.url") == 0 && url && *url) {
        info->uri = clean_remote(url);
    } else {
        const char *dir = git_repository_workdir(r) ? git_repository_workdir(r)
                                                    : git_repository_path(r);
        char *abs = realpath(dir, NULL);
        info->uri = malloc(strlen(abs ? abs : dir) + 16);
        if (info->uri)
            sprintf(info->uri, "file://%s%s", abs ? abs : dir,
                    (abs ? abs : dir)[strlen(abs ? abs : dir) - 1] == '/' ? "" : "/");
        free(abs);
    }
    git_config_free(cfg);
    git_oid head;
    if (git_reference_name_to_id(&head, r, "HEAD") == 0) {
        info->revision = malloc(GIT_OID_HEXSZ + 1);
        if (info->revision)
            git_oid_tostr(info->revision, GIT_OID_HEXSZ + 1, &head);
    }
    if (git_repository_workdir(r) && (info->workdir = realpath(git_repository_workdir(r), NULL))) {
        size_t l = strlen(info->workdir);
        if (l > 1 && info->workdir[l - 1] == '/')
            info->workdir[l - 1] = '\0';
    }
    git_reference *h = NULL;
    if (git_reference_lookup(&h, r, "HEAD") == 0 && git_reference_type(h) == GIT_REFERENCE_SYMBOLIC)
        info->branch = strdup(git_reference_symbolic_target(h));
    git_reference_free(h);
    git_repository_free(r);
    git_libgit2_shutdown();
    if (!info->uri) {
        ward_repo_info_free(info);
        return WARD_ENOMEM;
    }
    return WARD_OK;
}

void ward_repo_info_free(ward_repo_info *info)
{
    if (!info)
        return;
    free(info->uri);
    free(info->revision);
    free(info->branch);
    free(info->workdir);
    memset(info, 0, sizeof *info);
}

/* ---------------------------------------------------------------------
 * Where its hooks go.
 * ------------------------------------------------------------------- */

ward_status ward_repo_hooks_dir(const char *repo, char **hooks, char **workdir, char *errbuf,
                                size_t errlen)
{
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (!hooks || !workdir)
        return WARD_EINVAL;
    *hooks = *workdir = NULL;
    if (ward_git2_init(errbuf, errlen))
        return WARD_EIO;
    git_repository *r = NULL;
    ward_status st = ward_git_open(repo, &r, errbuf, errlen);
    if (st) {
        git_libgit2_shutdown();
        return st;
    }
    git_config *cfg = NULL;
    const char *v = NULL, *home = getenv("HOME");
    const char *wd = git_repository_workdir(r), *gd = git_repository_path(r);
    if (git_repository_config_snapshot(&cfg, r) < 0 ||
        git_config_get_string(&v, cfg, "core.hooksPath") < 0 || !*v)
        v = NULL;
    /* As git takes it: "~/" is $HOME, a relative path is the work tree's
     * (the git folder's in a bare repository). */
    char *out = NULL;
    int n = v && v[0] == '~' && v[1] == '/' && home ? asprintf(&out, "%s/%s", home, v + 2)
          : v && v[0] == '/'                        ? asprintf(&out, "%s", v)
          : v                                       ? asprintf(&out, "%s%s", wd ? wd : gd, v)
                                                    : asprintf(&out, "%shooks", gd);
    if (n < 0)
        out = NULL;
    size_t l = out ? strlen(out) : 0;
    while (l > 1 && out[l - 1] == '/')
        out[--l] = '\0';
    *hooks = out;
    *workdir = wd ? strdup(wd) : NULL;
    git_config_free(cfg);
    git_repository_free(r);
    git_libgit2_shutdown();
    if (!*hooks || (wd && !*workdir)) {
        free(*hooks);
        free(*workdir);
        *hooks = *workdir = NULL;
        ward_set_err(errbuf, errlen, "out of memory");
        return WARD_ENOMEM;
    }
    return WARD_OK;
}

/* ---------------------------------------------------------------------
 * Reading objects.
 * ------------------------------------------------------------------- */

int ward_obj_read(ward_pack_reader *rd, git_odb *odb, const git_oid *id, uint64_t max,
                  ward_objbuf *o, uint64_t *size, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    char perr[256] = "";
    uint64_t sz = 0;
    int rc = rd ? ward_pack_read(rd, id->id, max, &o->type, &o->data, &o->len, &sz, perr,
                                 sizeof perr)
                : WARD_PACK_NOT_FOUND;
    if (size)
        *size = sz;
    if (rc == WARD_PACK_OK)
        return WARD_OBJREAD_OK;
    if (rc == WARD_PACK_TOO_BIG)
        return WARD_OBJREAD_TOO_BIG;
    if (rc == WARD_PACK_NOMEM) {
        snprintf(err, errlen, "out of memory");
        return WARD_OBJREAD_ERROR;
    }
    size_t hs;
    git_object_t ht;
    if (max && git_odb_read_header(&hs, &ht, odb, id) == 0 && hs > max) {
        if (size)
            *size = hs;
        return WARD_OBJREAD_TOO_BIG;
    }
    int gr = git_odb_read(&o->g, odb, id);
    if (gr < 0) {
        snprintf(err, errlen, "%s", rc == WARD_PACK_CORRUPT ? perr : ward_git_msg());
        o->g = NULL;
        return gr == GIT_ENOTFOUND && rc == WARD_PACK_NOT_FOUND ? WARD_OBJREAD_MISSING
                                                                 : WARD_OBJREAD_ERROR;
    }
    o->data = (unsigned char *)git_odb_object_data(o->g);
    o->len = git_odb_object_size(o->g);
    o->type = (int)git_odb_object_type(o->g);
    return WARD_OBJREAD_OK;
}

void ward_obj_free(ward_objbuf *o)
{
    if (o->g)
        git_odb_object_free(o->g);
    else
        free(o->data);
    memset(o, 0, sizeof *o);
}

int ward_tree_next(const unsigned char *d, size_t len, size_t *off, ward_tree_entry *e)
{
    size_t at = *off, ms = at;
    if (at >= len)
        return 0;
    unsigned mode = 0;
    while (at < len && d[at] >= '0' && d[at] <= '7' && at - ms < 7)
        mode = mode * 8 + (unsigned)(d[at++] - '0');
    const unsigned char *nul =
        at < len && at > ms && d[at] == ' ' ? memchr(d + at + 1, '\0', len - at - 1) : NULL;
    if (!nul || nul == d + at + 1 || (size_t)(d + len - nul) < 1 + 20)
        return -1;
    e->mode = mode;
    e->name = (const char *)d + at + 1;
    e->name_len = (size_t)(nul - (d + at + 1));
    e->id = nul + 1;
    *off = (size_t)(nul - d) + 1 + 20;
    return 1;
}
