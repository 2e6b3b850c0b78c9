/* history.c - one finding per secret and place, and where it stands now
 * (see history.h).
 *
 * Placing a record costs a few tree lookups: at each branch tip, one path
 * lookup per record; down HEAD's first-parent line, one top-level entry
 * comparison per commit and record, and a full path lookup only when that
 * entry changed.  The walk down stops when every record is placed, so a
 * secret still at HEAD costs one lookup, and one removed long ago costs a
 * walk back to its removal.
 */
#define _GNU_SOURCE
#include "history.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RECORDS (1u << 22)
#define MAX_CHAIN 2000000u    /* commits followed down the first-parent line */

ward_finding *ward_finding_clone(const ward_finding *f)
{
    size_t pl = f->path ? strlen(f->path) + 1 : 0, rl = f->reason ? strlen(f->reason) + 1 : 0;
    ward_finding *c = malloc(sizeof *c + f->secret_len + 1 + f->line_len + 1 + pl + rl);
    if (!c)
        return NULL;
    *c = *f;
    char *at = (char *)(c + 1);
    memcpy(at, f->secret, f->secret_len);
    at[f->secret_len] = '\0';
    c->secret = at;
    at += f->secret_len + 1;
    memcpy(at, f->line_text ? f->line_text : "", f->line_len);
    at[f->line_len] = '\0';
    c->line_text = at;
    at += f->line_len + 1;
    if (pl) {
        memcpy(at, f->path, pl);
        c->path = at;
        at += pl;
    }
    if (rl) {
        memcpy(at, f->reason, rl);
        c->reason = at;
    }
    return c;
}

static uint64_t key_hash(const ward_finding *f)
{
    uint64_t h = 1469598103934665603ull ^ f->rule_index;
    for (const char *p = f->fingerprint; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (const char *p = f->path ? f->path : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h ^ (h >> 29);
}

static int same_key(const ward_finding *a, const ward_finding *b)
{
    return a->rule_index == b->rule_index && !strcmp(a->fingerprint, b->fingerprint) &&
           !strcmp(a->path ? a->path : "", b->path ? b->path : "");
}

static int grow_slots(ward_hagg *a)
{
    size_t ns = a->nslot ? a->nslot * 2 : 256;
    uint32_t *s = calloc(ns, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < a->n; i++) {
        size_t j = key_hash(a->v[i].f) & (ns - 1);
        while (s[j])
            j = (j + 1) & (ns - 1);
        s[j] = (uint32_t)i + 1;
    }
    free(a->slot);
    a->slot = s;
    a->nslot = ns;
    return 0;
}

static int holds(const ward_hrec *r, const git_oid *id)
{
    for (size_t i = r->n_blobs; i-- > 0;) /* newest first: the likely one */
        if (git_oid_equal(&r->blobs[i], id))
            return 1;
    return 0;
}

static int add_blob(ward_hrec *r, const git_oid *blob)
{
    if (holds(r, blob))
        return 0; /* several findings of one rule in one blob, or a copy */
    if (r->n_blobs == r->cap_blobs) {
        size_t nc = r->cap_blobs ? r->cap_blobs * 2 : 2;
        git_oid *b = realloc(r->blobs, nc * sizeof *b);
        if (!b)
            return -1;
        r->blobs = b;
        r->cap_blobs = nc;
    }
    git_oid_cpy(&r->blobs[r->n_blobs++], blob);
    return 0;
}

int ward_hagg_add(ward_hagg *a, const ward_finding *f, const git_oid *blob, uint32_t commit)
{
    if ((a->n + 1) * 2 > a->nslot && grow_slots(a) < 0)
        return -1;
    size_t j = key_hash(f) & (a->nslot - 1);
    while (a->slot[j]) {
        ward_hrec *r = &a->v[a->slot[j] - 1];
        if (same_key(r->f, f)) {
            r->newest = commit;
            return add_blob(r, blob);
        }
        j = (j + 1) & (a->nslot - 1);
    }
    if (a->n >= MAX_RECORDS)
        return -1;
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 16;
        ward_hrec *v = realloc(a->v, nc * sizeof *v);
        if (!v)
            return -1;
        a->v = v;
        a->cap = nc;
    }
    ward_hrec *r = &a->v[a->n];
    memset(r, 0, sizeof *r);
    if (!(r->f = ward_finding_clone(f)) || add_blob(r, blob) < 0) {
        free(r->f);
        free(r->blobs);
        return -1;
    }
    r->commit = r->newest = commit;
    a->slot[j] = (uint32_t)++a->n;
    return 0;
}

void ward_hagg_free(ward_hagg *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i].f);
        free(a->v[i].blobs);
        for (size_t k = 0; k < a->v[i].n_refs; k++)
            free(a->v[i].refs[k]);
        free(a->v[i].refs);
    }
    free(a->v);
    free(a->slot);
    memset(a, 0, sizeof *a);
}

int ward_hagg_alias(ward_hagg *a, const git_oid *blob, const char *path, uint32_t commit)
{
    for (size_t i = 0, n = a->n; i < n; i++) {
        if (!holds(&a->v[i], blob))
            continue;
        ward_finding f = *a->v[i].f; /* a->v may move in ward_hagg_add */
        f.path = path;
        if (!strcmp(a->v[i].f->path ? a->v[i].f->path : "", path))
            continue;
        if (ward_hagg_add(a, &f, blob, commit) < 0)
            return -1;
    }
    return 0;
}

/* ---- placing records ---- */

/* Whether tree holds, at r's path, one of r's blobs. */
static int tree_holds(git_tree *tree, const ward_hrec *r)
{
    git_tree_entry *e = NULL;
    if (!r->f->path || git_tree_entry_bypath(&e, tree, r->f->path) < 0)
        return 0;
    int in = holds(r, git_tree_entry_id(e));
    git_tree_entry_free(e);
    return in;
}

/* The id of tree's entry for the first component of path, or NULL. */
static const git_oid *top_entry(git_tree *tree, const char *path)
{
    const char *slash = strchr(path, '/');
    char name[1024];
    size_t n = slash ? (size_t)(slash - path) : strlen(path);
    if (n >= sizeof name)
        return NULL;
    memcpy(name, path, n);
    name[n] = '\0';
    const git_tree_entry *e = git_tree_entry_byname(tree, name);
    return e ? git_tree_entry_id(e) : NULL;
}

static int add_ref(ward_hrec *r, const char *name)
{
    char **v = realloc(r->refs, (r->n_refs + 1) * sizeof *v);
    if (!v)
        return -1;
    r->refs = v;
    if (!(v[r->n_refs] = strdup(name)))
        return -1;
    r->n_refs++;
    return 0;
}

static int refs_holding(git_repository *repo, ward_hrec *v, size_t n)
{
    git_branch_iterator *it;
    if (git_branch_iterator_new(&it, repo, GIT_BRANCH_LOCAL) < 0)
        return 0;
    git_reference *ref;
    git_branch_t type;
    int rc = 0;
    while (rc == 0 && git_branch_next(&ref, &type, it) == 0) {
        git_commit *c = NULL;
        git_tree *t = NULL;
        if (git_reference_peel((git_object **)&c, ref, GIT_OBJECT_COMMIT) == 0 &&
            git_commit_tree(&t, c) == 0)
            for (size_t i = 0; i < n && rc == 0; i++)
                if (tree_holds(t, &v[i]))
                    rc = add_ref(&v[i], git_reference_name(ref));
        git_tree_free(t);
        git_commit_free(c);
        git_reference_free(ref);
    }
    git_branch_iterator_free(it);
    return rc;
}

ward_status ward_history_locate(git_repository *repo, const char *tip, ward_hrec *v, size_t n)
{
    if (!n)
        return WARD_OK;
    if (refs_holding(repo, v, n) < 0)
        return WARD_ENOMEM;
    git_object *o = NULL;
    git_commit *c = NULL;
    if (git_revparse_single(&o, repo, tip ? tip : "HEAD") < 0 ||
        git_object_peel((git_object **)&c, o, GIT_OBJECT_COMMIT) < 0) {
        git_object_free(o);
        return WARD_OK; /* an unborn HEAD: nothing is present anywhere */
    }
    git_object_free(o);
    unsigned char *done = calloc(n, 1);
    git_oid *top = calloc(n, sizeof *top);    /* the top entry at the child */
    unsigned char *top_ok = calloc(n, 1);
    if (!done || !top || !top_ok) {
        free(done);
        free(top);
        free(top_ok);
        git_commit_free(c);
        return WARD_ENOMEM;
    }
    size_t left = n;
    git_oid child;
    int have_child = 0;
    for (unsigned steps = 0; c && left && steps < MAX_CHAIN; steps++) {
        git_tree *t = NULL;
        if (git_commit_tree(&t, c) < 0)
            break;
        for (size_t i = 0; i < n; i++) {
            if (done[i])
                continue;
            ward_hrec *r = &v[i];
            const git_oid *te = r->f->path ? top_entry(t, r->f->path) : NULL;
            /* unchanged at the top: the path holds what it held at the child */
            int same = te && top_ok[i] && git_oid_equal(te, &top[i]);
            if (te) {
                git_oid_cpy(&top[i], te);
                top_ok[i] = 1;
            } else {
                top_ok[i] = 0;
            }
            if (same || !te || !tree_holds(t, r))
                continue;
            done[i] = 1;
            left--;
            r->have_last = 1;
            git_oid_cpy(&r->last, git_commit_id(c));
            if (have_child) {
                r->have_removed = 1;
                git_oid_cpy(&r->removed, &child);
            } else {
                r->present = 1;
            }
        }
        git_tree_free(t);
        git_oid_cpy(&child, git_commit_id(c));
        have_child = 1;
        git_commit *parent = NULL;
        if (git_commit_parentcount(c) == 0 || git_commit_parent(&parent, c, 0) < 0)
            parent = NULL;
        git_commit_free(c);
        c = parent;
    }
    git_commit_free(c);
    free(done);
    free(top);
    free(top_ok);
    return WARD_OK;
}
