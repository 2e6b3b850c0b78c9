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

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#include "gitrepo.h"

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
    const char *path = f->path ? f->path : "";
    uint64_t h = ward_fnv1a(WARD_FNV_BASIS ^ f->rule_index, f->fingerprint,
                            strlen(f->fingerprint));
    h = ward_fnv1a(h, path, strlen(path));
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

/* Objects are read raw, through ward's pack reader first (libgit2's tree
 * objects cost an allocation and a parse of every entry per tree, and its
 * reader a lock per object): down git/git's first-parent line this took
 * placing from 2.5 s to a fraction of that. */
typedef struct hrd {
    ward_packs *packs;
    ward_pack_reader *rd;
    git_odb *odb;
} hrd;

/* A commit's tree, and its first parent (*has_parent 0 when none). */
static int commit_tree(hrd *r, const git_oid *commit, git_oid *tree, git_oid *parent,
                       int *has_parent)
{
    ward_objbuf o;
    char err[256];
    if (ward_obj_read(r->rd, r->odb, commit, 0, &o, NULL, err, sizeof err) != WARD_OBJREAD_OK)
        return -1;
    int have_tree = 0;
    *has_parent = 0;
    const char *p = (const char *)o.data, *end = p + (o.type == GIT_OBJECT_COMMIT ? o.len : 0);
    while (p < end && *p != '\n') {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t l = (size_t)(eol - p);
        if (l == 5 + GIT_OID_HEXSZ && !memcmp(p, "tree ", 5))
            have_tree = git_oid_fromstrn(tree, p + 5, GIT_OID_HEXSZ) == 0;
        else if (!*has_parent && l == 7 + GIT_OID_HEXSZ && !memcmp(p, "parent ", 7))
            *has_parent = git_oid_fromstrn(parent, p + 7, GIT_OID_HEXSZ) == 0;
        p = eol + 1;
    }
    ward_obj_free(&o);
    return have_tree ? 0 : -1;
}

/* git orders a tree's entries by name, a folder's name as if it ended in
 * '/'.  Compares entry e with the name n (of length nl, a folder or not). */
static int entry_cmp(const ward_tree_entry *e, const char *n, size_t nl, int n_dir)
{
    size_t el = e->name_len, m = el < nl ? el : nl;
    int c = memcmp(e->name, n, m);
    if (c)
        return c;
    unsigned ce = m < el ? (unsigned char)e->name[m] : (e->mode & 0170000) == 0040000 ? '/' : 0;
    unsigned cn = m < nl ? (unsigned char)n[m] : n_dir ? '/' : 0;
    return (int)ce - (int)cn;
}

/* A tree's entries, in order, for lookups by name. */
typedef struct entries {
    ward_objbuf o;
    ward_tree_entry *v;
    size_t n, cap;
} entries;

static int entries_read(hrd *r, const git_oid *tree, entries *es)
{
    char err[256];
    es->n = 0;
    if (ward_obj_read(r->rd, r->odb, tree, 0, &es->o, NULL, err, sizeof err) != WARD_OBJREAD_OK)
        return -1;
    if (es->o.type != GIT_OBJECT_TREE) {
        ward_obj_free(&es->o);
        return -1;
    }
    ward_tree_entry te;
    for (size_t off = 0; ward_tree_next(es->o.data, es->o.len, &off, &te) > 0;) {
        if (es->n == es->cap) {
            size_t cap = es->cap ? es->cap * 2 : 64;
            ward_tree_entry *v = realloc(es->v, cap * sizeof *v);
            if (!v) {
                ward_obj_free(&es->o);
                return -1;
            }
            es->v = v;
            es->cap = cap;
        }
        es->v[es->n++] = te;
    }
    return 0;
}

static void entries_free(entries *es)
{
    ward_obj_free(&es->o);
    free(es->v);
    memset(es, 0, sizeof *es);
}

static const ward_tree_entry *entry_find(const entries *es, const char *n, size_t nl, int n_dir)
{
    size_t lo = 0, hi = es->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = entry_cmp(&es->v[mid], n, nl, n_dir);
        if (!c)
            return &es->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The id of the first component of path in the tree es, into *out. */
static int top_entry(const entries *es, const char *path, git_oid *out)
{
    const char *slash = strchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : strlen(path);
    const ward_tree_entry *e = entry_find(es, path, n, slash != NULL);
    if (!e)
        return 0;
    git_oid_fromraw(out, e->id);
    return 1;
}

/* Whether the tree es holds, at r's path, one of r's blobs; tmp is scratch. */
static int tree_holds(hrd *r, const entries *es, const ward_hrec *rec, entries *tmp)
{
    const char *path = rec->f->path;
    if (!path || !*path)
        return 0;
    const entries *cur = es;
    for (;;) {
        const char *slash = strchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : strlen(path);
        const ward_tree_entry *e = entry_find(cur, path, n, slash != NULL);
        if (!e)
            return 0;
        git_oid id;
        git_oid_fromraw(&id, e->id);
        if (!slash)
            return holds(rec, &id);
        ward_obj_free(&tmp->o); /* e is no longer needed */
        if (entries_read(r, &id, tmp) < 0)
            return 0;
        cur = tmp;
        path = slash + 1;
    }
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

static int refs_holding(git_repository *repo, hrd *hr, ward_hrec *v, size_t n, entries *root,
                        entries *tmp)
{
    git_branch_iterator *it;
    if (git_branch_iterator_new(&it, repo, GIT_BRANCH_LOCAL) < 0)
        return 0;
    git_reference *ref;
    git_branch_t type;
    int rc = 0;
    while (rc == 0 && git_branch_next(&ref, &type, it) == 0) {
        git_object *c = NULL;
        git_oid tree, parent;
        int hp;
        if (git_reference_peel(&c, ref, GIT_OBJECT_COMMIT) == 0 &&
            commit_tree(hr, git_object_id(c), &tree, &parent, &hp) == 0 &&
            entries_read(hr, &tree, root) == 0) {
            for (size_t i = 0; i < n && rc == 0; i++)
                if (tree_holds(hr, root, &v[i], tmp))
                    rc = add_ref(&v[i], git_reference_name(ref));
            ward_obj_free(&root->o);
            ward_obj_free(&tmp->o);
        }
        git_object_free(c);
        git_reference_free(ref);
    }
    git_branch_iterator_free(it);
    return rc;
}

ward_status ward_history_locate(git_repository *repo, const char *tip, ward_hrec *v, size_t n)
{
    return ward_history_locate_with(repo, tip, v, n, NULL, NULL);
}

ward_status ward_history_locate_with(git_repository *repo, const char *tip, ward_hrec *v,
                                     size_t n, ward_tree_digest_fn digest, void *user)
{
    if (!n)
        return WARD_OK;
    hrd hr = {0};
    entries root = {0}, tmp = {0};
    char objdir[4096];
    snprintf(objdir, sizeof objdir, "%sobjects", git_repository_commondir(repo));
    if (git_repository_odb(&hr.odb, repo) < 0)
        return WARD_OK; /* nothing can be read: nothing is placed */
    if ((hr.packs = ward_packs_open(objdir)))
        hr.rd = ward_pack_reader_new(hr.packs, 16u << 20);
    ward_status st = WARD_OK;
    unsigned char *done = calloc(n, 1);
    git_oid *top = calloc(n, sizeof *top);    /* the top entry at the child */
    unsigned char *top_ok = calloc(n, 1);
    git_object *o = NULL;
    if (!done || !top || !top_ok || (hr.packs && !hr.rd) ||
        refs_holding(repo, &hr, v, n, &root, &tmp) < 0) {
        st = WARD_ENOMEM;
        goto out;
    }
    git_oid c;
    if (git_revparse_single(&o, repo, tip ? tip : "HEAD") < 0) {
        goto out; /* an unborn HEAD: nothing is present anywhere */
    } else {
        git_object *peeled = NULL;
        if (git_object_peel(&peeled, o, GIT_OBJECT_COMMIT) < 0)
            goto out;
        git_oid_cpy(&c, git_object_id(peeled));
        git_object_free(peeled);
    }
    size_t left = n;
    git_oid child;
    int have_child = 0, have_c = 1, have_dg = 0;
    uint64_t dg = 0;
    for (unsigned steps = 0; have_c && left && steps < MAX_CHAIN; steps++) {
        git_oid tree, parent;
        int hp;
        if (commit_tree(&hr, &c, &tree, &parent, &hp) < 0)
            break;
        /* A tree with its child's digest holds what the child's held at
         * every path a record can be at (their blobs are all wanted). */
        uint64_t d;
        int now = digest && digest(&c, &d, user);
        if (now && have_dg && d == dg && have_child) {
            git_oid_cpy(&child, &c);
            have_c = hp;
            git_oid_cpy(&c, &parent);
            continue;
        }
        have_dg = now;
        dg = d;
        if (entries_read(&hr, &tree, &root) < 0)
            break;
        for (size_t i = 0; i < n; i++) {
            if (done[i])
                continue;
            ward_hrec *r = &v[i];
            git_oid te;
            int have_te = r->f->path && top_entry(&root, r->f->path, &te);
            /* unchanged at the top: the path holds what it held at the child */
            int same = have_te && top_ok[i] && git_oid_equal(&te, &top[i]);
            if (have_te)
                git_oid_cpy(&top[i], &te);
            top_ok[i] = (unsigned char)have_te;
            if (same || !have_te || !tree_holds(&hr, &root, r, &tmp))
                continue;
            done[i] = 1;
            left--;
            r->have_last = 1;
            git_oid_cpy(&r->last, &c);
            if (have_child) {
                r->have_removed = 1;
                git_oid_cpy(&r->removed, &child);
            } else {
                r->present = 1;
            }
        }
        ward_obj_free(&root.o);
        ward_obj_free(&tmp.o);
        git_oid_cpy(&child, &c);
        have_child = 1;
        have_c = hp;
        git_oid_cpy(&c, &parent);
    }
out:
    git_object_free(o);
    entries_free(&root);
    entries_free(&tmp);
    free(done);
    free(top);
    free(top_ok);
    ward_pack_reader_free(hr.rd);
    ward_packs_free(hr.packs);
    git_odb_free(hr.odb);
    return st;
}
