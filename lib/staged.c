/* staged.c - the changes staged for the next commit (ward_scan_staged).
 *
 * The index is diffed against HEAD's tree with no context lines and rename
 * detection; the new side's hunks give the added line ranges, the staged
 * blob is scanned whole (so multi-line secrets and path rules work), and
 * only findings touching an added line are delivered.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gitrepo.h"

/* ---------------------------------------------------------------------
 * Staged changes.
 * ------------------------------------------------------------------- */

typedef struct range {
    uint64_t first, last;
} range;

typedef struct staged_ctx {
    const ward_git_callbacks *cb;
    const range *r;
    size_t n;
    int all;       /* every line counts (a binary blob scanned on request) */
    int aborted;
} staged_ctx;

static int staged_finding(const ward_finding *f, void *user)
{
    staged_ctx *s = user;
    int hit = s->all;
    for (size_t i = 0; !hit && i < s->n; i++)
        hit = f->line <= s->r[i].last && f->end_line >= s->r[i].first;
    /* A path-only rule (the file itself is the secret) counts when the
     * file is new or renamed: its ranges then start at line 1. */
    if (!hit || s->cb->on_finding(f, NULL, s->cb->user) == 0)
        return 0;
    s->aborted = 1;
    return 1;
}

static ward_status staged_file(git_repository *repo, ward_scanner *sc, git_patch *patch,
                               const git_diff_delta *d, const ward_git_options *o,
                               uint64_t max_size, const ward_git_callbacks *cb, int *errors,
                               int *aborted)
{
    const char *path = d->new_file.path;
    if (d->new_file.mode == GIT_FILEMODE_COMMIT) {
        ward_git_event(cb, WARD_EV_SKIPPED, WARD_SKIP_OTHER, path, "skipped", "submodule");
        return WARD_OK;
    }
    if (d->new_file.size > max_size) {
        ward_git_event(cb, WARD_EV_SKIPPED, WARD_SKIP_SIZE, path, "skipped", "over the size limit");
        return WARD_OK;
    }
    git_blob *blob;
    if (git_blob_lookup(&blob, repo, &d->new_file.id) < 0) {
        char msg[600], hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &d->new_file.id);
        snprintf(msg, sizeof msg, "%s (object %s)", ward_git_msg(), hex);
        (*errors)++;
        ward_git_event(cb, WARD_EV_ERROR, WARD_SKIP_OTHER, path, "cannot read blob", msg);
        return WARD_OK;
    }
    const char *data = git_blob_rawcontent(blob);
    size_t len = (size_t)git_blob_rawsize(blob);
    int binary = !ward_utf16_bom(data, len) &&
                 memchr(data, 0, len < WARD_GIT_BINARY_PROBE ? len : WARD_GIT_BINARY_PROBE) != NULL;
    if (binary && !o->scan_binary) {
        ward_git_event(cb, WARD_EV_SKIPPED, WARD_SKIP_BINARY, path, "skipped", "binary file");
        git_blob_free(blob);
        return WARD_OK;
    }
    size_t nh = patch ? git_patch_num_hunks(patch) : 0;
    range *r = calloc(nh + 1, sizeof *r);
    if (!r) {
        git_blob_free(blob);
        return WARD_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < nh; i++) {
        const git_diff_hunk *hk;
        size_t lines;
        if (git_patch_get_hunk(&hk, &lines, patch, i) == 0 && hk->new_lines > 0)
            r[n++] = (range){(uint64_t)hk->new_start,
                             (uint64_t)hk->new_start + (uint64_t)hk->new_lines - 1};
    }
    staged_ctx s = {cb, r, n, binary || (d->flags & GIT_DIFF_FLAG_BINARY), 0};
    ward_status st = WARD_OK;
    if (n || s.all)
        st = ward_scan_buffer(sc, data, len, path, staged_finding, &s);
    if (st == WARD_EABORT || s.aborted) {
        *aborted = 1;
        st = WARD_OK;
    } else if (st) {
        (*errors)++;
        ward_git_event(cb, WARD_EV_ERROR, WARD_SKIP_OTHER, path, "cannot scan", ward_strerror(st));
        st = WARD_OK;
    }
    free(r);
    git_blob_free(blob);
    return st;
}

ward_status ward_scan_staged(const ward_engine *e, const char *repo,
                             const ward_git_options *opts, const ward_git_callbacks *cb,
                             char *errbuf, size_t errlen)
{
    ward_git_options oo;
    ward_status begun = ward_git_begin(e, opts, cb, &oo, errbuf, errlen);
    if (begun)
        return begun;
    opts = &oo;
    uint64_t max_size = opts->max_file_size ? opts->max_file_size : WARD_GIT_MAX_BLOB;
    git_repository *r = NULL;
    git_index *idx = NULL;
    git_object *head = NULL;
    git_tree *tree = NULL;
    git_diff *diff = NULL;
    ward_scanner *sc = NULL;
    int errors = 0, aborted = 0;
    ward_status st = ward_git_open(repo, &r, errbuf, errlen);
    if (st)
        goto out;
    if (git_repository_is_bare(r)) {
        ward_set_err(errbuf, errlen, "'%s' is a bare repository: nothing is staged",
                repo ? repo : ".");
        st = WARD_EINVAL;
        goto out;
    }
    if (git_repository_index(&idx, r) < 0) {
        ward_set_err(errbuf, errlen, "cannot open the index: %s", ward_git_msg());
        st = WARD_EIO;
        goto out;
    }
    int rc = git_revparse_single(&head, r, "HEAD^{tree}");
    if (rc == 0) {
        tree = (git_tree *)head;
        head = NULL;
    } else if (rc != GIT_ENOTFOUND && rc != GIT_EUNBORNBRANCH) {
        ward_set_err(errbuf, errlen, "cannot read HEAD: %s", ward_git_msg());
        st = WARD_EIO;
        goto out;
    }
    git_diff_options dopt;
    git_diff_options_init(&dopt, GIT_DIFF_OPTIONS_VERSION);
    dopt.context_lines = 0;
    dopt.interhunk_lines = 0;
    if (git_diff_tree_to_index(&diff, r, tree, idx, &dopt) < 0) {
        ward_set_err(errbuf, errlen, "cannot compare the index with HEAD: %s", ward_git_msg());
        st = WARD_EIO;
        goto out;
    }
    git_diff_find_options fopt;
    git_diff_find_options_init(&fopt, GIT_DIFF_FIND_OPTIONS_VERSION);
    fopt.flags = GIT_DIFF_FIND_RENAMES;
    if (git_diff_find_similar(diff, &fopt) < 0) {
        ward_set_err(errbuf, errlen, "cannot compare the index with HEAD: %s", ward_git_msg());
        st = WARD_EIO;
        goto out;
    }
    if ((st = ward_scanner_new(e, &sc)))
        goto out;
    size_t nd = git_diff_num_deltas(diff);
    for (size_t i = 0; i < nd && !st && !aborted; i++) {
        const git_diff_delta *d = git_diff_get_delta(diff, i);
        if (d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_UNMODIFIED ||
            d->status == GIT_DELTA_IGNORED || d->status == GIT_DELTA_UNTRACKED)
            continue;
        git_patch *patch = NULL;
        if (d->new_file.mode != GIT_FILEMODE_COMMIT && d->new_file.size <= max_size &&
            git_patch_from_diff(&patch, diff, i) < 0) {
            char msg[600], hex[GIT_OID_HEXSZ + 1];
            git_oid_tostr(hex, sizeof hex, &d->new_file.id);
            snprintf(msg, sizeof msg, "%s (object %s)", ward_git_msg(), hex);
            errors++;
            ward_git_event(cb, WARD_EV_ERROR, WARD_SKIP_OTHER, d->new_file.path, "cannot read blob", msg);
            continue;
        }
        st = staged_file(r, sc, patch, d, opts, max_size, cb, &errors, &aborted);
        git_patch_free(patch);
    }
out:
    ward_scanner_free(sc);
    git_diff_free(diff);
    git_tree_free(tree);
    git_object_free(head);
    git_index_free(idx);
    git_repository_free(r);
    git_libgit2_shutdown();
    if (st)
        return st;
    if (aborted)
        return WARD_EABORT;
    return errors ? WARD_EPARTIAL : WARD_OK;
}
