/* store.c - the datastore of incremental history scans, in SQLite.
 *
 * One file holds repositories, the ref tips each scan covered, the blobs
 * already scanned (20-byte ids, WITHOUT ROWID) and one row per (repository,
 * rule, fingerprint, path) with its first and last sighting; the blobs that
 * held a finding sit in a side table so that it can be placed again
 * later.  docs/datastore.md is the schema's documentation; PRAGMA
 * user_version its version.
 *
 * A re-scan hides the stored tips (only new commits are walked) and skips
 * stored blobs: their ids are loaded once into an open-addressing set, since
 * asking SQLite per blob would cost more than reading it.  Findings reach the
 * store per occurrence, and a blob's findings arrive before its
 * blob_scanned call, so each batch transaction holds whole blobs: a kill
 * between batches leaves blobs recorded only with their findings, and the
 * next run skips exactly those.  Ref tips are written last, by a successful
 * scan, so a killed scan's commits are walked again (their known blobs are
 * not read again).  Secrets never reach the file: only fingerprints and
 * ward_redact_preview previews.
 */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "git2_lazy.h"
#include "history.h"
#include "idset.h"
#include "internal.h"

#define BATCH_BLOBS 4096   /* blobs per transaction while scanning, at most */
#define BATCH_NS 250000000 /* ... and at most this long between commits */
#define MAX_PENDING 65536  /* findings of one blob held before its id arrives */
#define MAX_REFS 100000

struct ward_store {
    sqlite3 *db;
};

typedef struct pending {
    ward_finding f;           /* strings below are owned */
    char *rule, *desc, *reason, *path, *enc, *preview;
    char sha[41], *author, *email;
    int64_t time;
    int tz;
} pending;

struct ward_store_scan {
    ward_store *s;
    char *name, *repo;
    int64_t repo_id, scan_id, since; /* since: the previous successful scan */
    int64_t started;
    /* tips now, stored at the end; tips before, for ward_git_options.hide */
    char **ref_names, **ref_shas;
    size_t n_refs;
    char **hide;
    size_t n_hide;
    ward_idset set;             /* blobs of earlier scans */
    /* delivery side */
    pending *pend;
    size_t n_pend, cap_pend;
    size_t in_batch;
    struct timespec batch_start;
    int in_tx, failed, ended;
    char err[256];
    sqlite3_stmt *ins_blob, *upsert, *ins_fblob, *bump;
};

static const char *const schema =
    "CREATE TABLE repositories(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " path TEXT NOT NULL);"
    "CREATE TABLE scans(id INTEGER PRIMARY KEY, repository INTEGER NOT NULL REFERENCES"
    " repositories(id), started INTEGER NOT NULL, finished INTEGER, status TEXT NOT NULL);"
    "CREATE TABLE refs(repository INTEGER NOT NULL REFERENCES repositories(id),"
    " name TEXT NOT NULL, sha TEXT NOT NULL, scan INTEGER NOT NULL,"
    " PRIMARY KEY(repository, name)) WITHOUT ROWID;"
    "CREATE TABLE blobs(repository INTEGER NOT NULL, id BLOB NOT NULL,"
    " PRIMARY KEY(repository, id)) WITHOUT ROWID;"
    "CREATE TABLE findings(id INTEGER PRIMARY KEY,"
    " repository INTEGER NOT NULL REFERENCES repositories(id),"
    " rule TEXT NOT NULL, fingerprint TEXT NOT NULL, path TEXT NOT NULL,"
    " description TEXT NOT NULL, confidence INTEGER NOT NULL, reason TEXT NOT NULL,"
    " preview TEXT NOT NULL, encoding TEXT, line INTEGER, col INTEGER, end_line INTEGER,"
    " end_col INTEGER, off INTEGER, len INTEGER, entropy REAL,"
    " commit_sha TEXT NOT NULL, author TEXT, email TEXT, commit_time INTEGER,"
    " commit_tz INTEGER, last_commit TEXT NOT NULL, last_time INTEGER, last_tz INTEGER,"
    " versions INTEGER NOT NULL DEFAULT 0, present INTEGER NOT NULL DEFAULT 1,"
    " removed_in TEXT, refs TEXT NOT NULL DEFAULT '',"
    " first_seen_scan INTEGER NOT NULL, last_seen_scan INTEGER NOT NULL,"
    " UNIQUE(repository, rule, fingerprint, path));"
    "CREATE TABLE finding_blobs(finding INTEGER NOT NULL REFERENCES findings(id),"
    " blob BLOB NOT NULL, PRIMARY KEY(finding, blob)) WITHOUT ROWID;"
    "PRAGMA user_version = 1;";

static void seterr(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *errbuf, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (errbuf && errlen)
        vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
}

static int exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

ward_status ward_store_open(const char *path, int create, ward_store **out, char *errbuf,
                            size_t errlen)
{
    if (!path || !out)
        return WARD_EINVAL;
    *out = NULL;
    ward_store *s = calloc(1, sizeof *s);
    if (!s)
        return WARD_ENOMEM;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        seterr(errbuf, errlen, "cannot open '%s': %s", path,
               s->db ? sqlite3_errmsg(s->db) : "out of memory");
        ward_store_free(s);
        return WARD_EIO;
    }
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    int tables = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        tables = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version < 0 || tables < 0) {
        seterr(errbuf, errlen, "cannot open '%s': %s", path, "not a ward datastore");
        ward_store_free(s);
        return WARD_EIO;
    }
    /* WAL: readers (ward report) never wait for a scan's batches. */
    exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");
    if (version == 0 && tables == 0) {
        if (exec(s->db, "BEGIN IMMEDIATE") || exec(s->db, schema) || exec(s->db, "COMMIT")) {
            seterr(errbuf, errlen, "cannot write '%s': %s", path, sqlite3_errmsg(s->db));
            exec(s->db, "ROLLBACK");
            ward_store_free(s);
            return WARD_EIO;
        }
    } else if (version != WARD_STORE_SCHEMA) {
        char v[32];
        snprintf(v, sizeof v, "%d", version);
        seterr(errbuf, errlen, "cannot use '%s': schema version %s is not 1 (a newer ward?)",
               path, v);
        ward_store_free(s);
        return version == 0 ? WARD_EIO : WARD_ECONFIG;
    }
    *out = s;
    return WARD_OK;
}

void ward_store_free(ward_store *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    free(s);
}

/* ------------------------------------------------------------------ */
/* The blob set. */

static int set_add(ward_store_scan *sc, const unsigned char *id)
{
    if (sc->set.n >= WARD_STORE_MAX_BLOBS)
        return -1;
    return ward_idset_put(&sc->set, id) < 0 ? -1 : 0;
}

int ward_store_blob_known(ward_store_scan *sc, const unsigned char id[20])
{
    return sc && ward_idset_has(&sc->set, id);
}

/* ------------------------------------------------------------------ */
/* Beginning a scan. */

typedef struct refs_acc {
    ward_store_scan *sc;
    size_t cap;
    int fail;
} refs_acc;

static int add_ref(refs_acc *a, const char *name, const git_oid *id)
{
    ward_store_scan *sc = a->sc;
    if (sc->n_refs >= MAX_REFS)
        return 0;
    if (sc->n_refs == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 16;
        char **nn = realloc(sc->ref_names, nc * sizeof *nn);
        if (nn)
            sc->ref_names = nn;
        char **ns = realloc(sc->ref_shas, nc * sizeof *ns);
        if (ns)
            sc->ref_shas = ns;
        if (!nn || !ns)
            return a->fail = -1;
        a->cap = nc;
    }
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, id);
    sc->ref_names[sc->n_refs] = strdup(name);
    sc->ref_shas[sc->n_refs] = strdup(hex);
    if (!sc->ref_names[sc->n_refs] || !sc->ref_shas[sc->n_refs]) {
        free(sc->ref_names[sc->n_refs]);
        free(sc->ref_shas[sc->n_refs]);
        return a->fail = -1;
    }
    sc->n_refs++;
    return 0;
}

static int ref_cb(git_reference *ref, void *payload)
{
    refs_acc *a = payload;
    git_object *obj = NULL;
    /* Only refs that lead to a commit are walked, so only those are tips. */
    if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) {
        add_ref(a, git_reference_name(ref), git_object_id(obj));
        git_object_free(obj);
    }
    git_reference_free(ref);
    return a->fail;
}

/* The tips the history scan is about to walk: every ref and HEAD. */
static ward_status read_tips(ward_store_scan *sc, char *errbuf, size_t errlen)
{
    git_repository *r = NULL;
    if (ward_git2_init(errbuf, errlen))
        return WARD_EIO;
    if (git_repository_open_ext(&r, sc->repo, 0, NULL) < 0) {
        seterr(errbuf, errlen, "'%s' is not a git repository", sc->repo);
        git_libgit2_shutdown();
        return WARD_EIO;
    }
    refs_acc a = {.sc = sc};
    git_reference_foreach(r, ref_cb, &a);
    git_object *head = NULL;
    if (!a.fail && git_revparse_single(&head, r, "HEAD^{commit}") == 0) {
        add_ref(&a, "HEAD", git_object_id(head));
        git_object_free(head);
    }
    git_repository_free(r);
    git_libgit2_shutdown();
    return a.fail ? WARD_ENOMEM : WARD_OK;
}

static int prep(ward_store_scan *sc, sqlite3_stmt **st, const char *sql)
{
    return sqlite3_prepare_v2(sc->s->db, sql, -1, st, NULL) == SQLITE_OK ? 0 : -1;
}

static ward_status db_fail(ward_store_scan *sc, char *errbuf, size_t errlen)
{
    seterr(errbuf, errlen, "datastore: %s", sqlite3_errmsg(sc->s->db));
    return WARD_EIO;
}

static ward_status load_state(ward_store_scan *sc, char *errbuf, size_t errlen)
{
    sqlite3 *db = sc->s->db;
    sqlite3_stmt *st = NULL;
    if (exec(db, "BEGIN IMMEDIATE"))
        return db_fail(sc, errbuf, errlen);
    if (prep(sc, &st, "INSERT INTO repositories(name, path) VALUES(?1, ?2) ON CONFLICT(name)"
                      " DO UPDATE SET path = excluded.path RETURNING id"))
        goto fail;
    sqlite3_bind_text(st, 1, sc->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, sc->repo, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    sc->repo_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    /* A scan of this repository still "running" was killed (or runs now in
     * another process: then both finish their own work all the same). */
    if (prep(sc, &st, "UPDATE scans SET status = 'interrupted' WHERE repository = ?1 AND"
                      " status = 'running'"))
        goto fail;
    sqlite3_bind_int64(st, 1, sc->repo_id);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (prep(sc, &st, "SELECT coalesce(max(id), 0) FROM scans WHERE repository = ?1 AND"
                      " status IN ('ok', 'partial')"))
        goto fail;
    sqlite3_bind_int64(st, 1, sc->repo_id);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    sc->since = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (prep(sc, &st, "INSERT INTO scans(repository, started, status) VALUES(?1, ?2, 'running')"
                      " RETURNING id"))
        goto fail;
    sqlite3_bind_int64(st, 1, sc->repo_id);
    sqlite3_bind_int64(st, 2, sc->started);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    sc->scan_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (prep(sc, &st, "SELECT sha FROM refs WHERE repository = ?1 ORDER BY name"))
        goto fail;
    sqlite3_bind_int64(st, 1, sc->repo_id);
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW && sc->n_hide < MAX_REFS) {
        if (sc->n_hide == cap) {
            cap = cap ? cap * 2 : 16;
            char **nh = realloc(sc->hide, cap * sizeof *nh);
            if (!nh)
                goto nomem;
            sc->hide = nh;
        }
        if (!(sc->hide[sc->n_hide] = strdup((const char *)sqlite3_column_text(st, 0))))
            goto nomem;
        sc->n_hide++;
    }
    sqlite3_finalize(st);
    if (prep(sc, &st, "SELECT id FROM blobs WHERE repository = ?1"))
        goto fail;
    sqlite3_bind_int64(st, 1, sc->repo_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) == 20 && set_add(sc, sqlite3_column_blob(st, 0)) < 0)
            goto nomem;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE || exec(db, "COMMIT"))
        goto fail;
    return WARD_OK;
nomem:
    sqlite3_finalize(st);
    exec(db, "ROLLBACK");
    seterr(errbuf, errlen, "datastore: %s", "out of memory (too many blobs?)");
    return WARD_ENOMEM;
fail:
    seterr(errbuf, errlen, "datastore: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    exec(db, "ROLLBACK");
    return WARD_EIO;
}

ward_status ward_store_scan_begin(ward_store *s, const char *name, const char *repo,
                                  ward_store_scan **out, char *errbuf, size_t errlen)
{
    if (!s || !name || !out)
        return WARD_EINVAL;
    *out = NULL;
    ward_store_scan *sc = calloc(1, sizeof *sc);
    if (!sc)
        return WARD_ENOMEM;
    sc->s = s;
    sc->started = (int64_t)time(NULL);
    sc->name = strdup(name);
    sc->repo = strdup(repo ? repo : ".");
    if (!sc->name || !sc->repo) {
        ward_store_scan_free(sc);
        return WARD_ENOMEM;
    }
    ward_status st = read_tips(sc, errbuf, errlen);
    if (!st)
        st = load_state(sc, errbuf, errlen);
    if (!st && (prep(sc, &sc->ins_blob, "INSERT OR IGNORE INTO blobs VALUES(?1, ?2)") ||
                prep(sc, &sc->upsert,
                     "INSERT INTO findings(repository, rule, fingerprint, path, description,"
                     " confidence, reason, preview, encoding, line, col, end_line, end_col, off,"
                     " len, entropy, commit_sha, author, email, commit_time, commit_tz,"
                     " last_commit, last_time, last_tz, first_seen_scan, last_seen_scan)"
                     " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,"
                     "?19,?20,?21,?17,?20,?21,?22,?22)"
                     " ON CONFLICT(repository, rule, fingerprint, path) DO UPDATE SET"
                     " last_commit = CASE WHEN excluded.last_time >= last_time THEN"
                     " excluded.last_commit ELSE last_commit END,"
                     " last_tz = CASE WHEN excluded.last_time >= last_time THEN"
                     " excluded.last_tz ELSE last_tz END,"
                     " last_time = max(last_time, excluded.last_time),"
                     " last_seen_scan = excluded.last_seen_scan RETURNING id") ||
                prep(sc, &sc->ins_fblob, "INSERT OR IGNORE INTO finding_blobs VALUES(?1, ?2)") ||
                prep(sc, &sc->bump, "UPDATE findings SET versions = versions + 1 WHERE id = ?1")))
        st = db_fail(sc, errbuf, errlen);
    if (st) {
        sc->ended = 1; /* nothing to finish */
        ward_store_scan_free(sc);
        return st;
    }
    *out = sc;
    return WARD_OK;
}

size_t ward_store_scan_known(const ward_store_scan *sc)
{
    return sc ? sc->set.n : 0;
}

const char *const *ward_store_scan_hide(const ward_store_scan *sc, size_t *n)
{
    *n = sc ? sc->n_hide : 0;
    return sc ? (const char *const *)sc->hide : NULL;
}

/* ------------------------------------------------------------------ */
/* Recording, from the delivering thread. */

static void fail(ward_store_scan *sc)
{
    if (!sc->failed)
        snprintf(sc->err, sizeof sc->err, "datastore: %s", sqlite3_errmsg(sc->s->db));
    sc->failed = 1;
}

static int tx_begin(ward_store_scan *sc)
{
    if (sc->in_tx)
        return 0;
    if (exec(sc->s->db, "BEGIN IMMEDIATE")) {
        fail(sc);
        return -1;
    }
    sc->in_tx = 1;
    clock_gettime(CLOCK_MONOTONIC, &sc->batch_start);
    return 0;
}

static int tx_commit(ward_store_scan *sc)
{
    if (!sc->in_tx)
        return 0;
    sc->in_tx = 0;
    sc->in_batch = 0;
    if (exec(sc->s->db, "COMMIT")) {
        fail(sc);
        exec(sc->s->db, "ROLLBACK");
        return -1;
    }
    return 0;
}

static void pending_free(pending *p)
{
    free(p->rule);
    free(p->desc);
    free(p->reason);
    free(p->path);
    free(p->enc);
    free(p->preview);
    free(p->author);
    free(p->email);
}

int ward_store_scan_finding(ward_store_scan *sc, const ward_finding *f, const ward_commit *c)
{
    if (!sc || sc->failed)
        return -1;
    if (sc->n_pend == sc->cap_pend) {
        size_t nc = sc->cap_pend ? sc->cap_pend * 2 : 16;
        pending *np = nc <= MAX_PENDING ? realloc(sc->pend, nc * sizeof *np) : NULL;
        if (!np) {
            snprintf(sc->err, sizeof sc->err, "datastore: too many findings in one blob");
            sc->failed = 1;
            return -1;
        }
        sc->pend = np;
        sc->cap_pend = nc;
    }
    pending *p = &sc->pend[sc->n_pend];
    memset(p, 0, sizeof *p);
    char red[128];
    ward_redact_preview(f->secret, f->secret_len, red, sizeof red);
    p->f = *f;
    p->rule = strdup(f->rule_id ? f->rule_id : "");
    p->desc = strdup(f->description ? f->description : "");
    p->reason = strdup(f->reason ? f->reason : "");
    p->path = strdup(f->path ? f->path : "");
    p->enc = f->encoding ? strdup(f->encoding) : NULL;
    p->preview = strdup(red);
    p->author = strdup(c && c->author ? c->author : "");
    p->email = strdup(c && c->email ? c->email : "");
    snprintf(p->sha, sizeof p->sha, "%s", c && c->sha ? c->sha : "");
    p->time = c ? c->time : 0;
    p->tz = c ? c->tz_minutes : 0;
    if (!p->rule || !p->desc || !p->reason || !p->path || (f->encoding && !p->enc) ||
        !p->preview || !p->author || !p->email) {
        pending_free(p);
        snprintf(sc->err, sizeof sc->err, "datastore: out of memory");
        sc->failed = 1;
        return -1;
    }
    sc->n_pend++;
    return 0;
}

/* Writes the pending findings, tied to blob (NULL when unknown). */
static int flush_pending(ward_store_scan *sc, const unsigned char *blob)
{
    int rc = 0;
    for (size_t i = 0; i < sc->n_pend; i++) {
        pending *p = &sc->pend[i];
        sqlite3_stmt *u = sc->upsert;
        if (!rc) {
            sqlite3_reset(u);
            sqlite3_bind_int64(u, 1, sc->repo_id);
            sqlite3_bind_text(u, 2, p->rule, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 3, p->f.fingerprint, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(u, 4, p->path, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 5, p->desc, -1, SQLITE_STATIC);
            sqlite3_bind_int(u, 6, (int)p->f.confidence);
            sqlite3_bind_text(u, 7, p->reason, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 8, p->preview, -1, SQLITE_STATIC);
            if (p->enc)
                sqlite3_bind_text(u, 9, p->enc, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(u, 9);
            sqlite3_bind_int64(u, 10, (sqlite3_int64)p->f.line);
            sqlite3_bind_int64(u, 11, (sqlite3_int64)p->f.column);
            sqlite3_bind_int64(u, 12, (sqlite3_int64)p->f.end_line);
            sqlite3_bind_int64(u, 13, (sqlite3_int64)p->f.end_column);
            sqlite3_bind_int64(u, 14, (sqlite3_int64)p->f.offset);
            sqlite3_bind_int64(u, 15, (sqlite3_int64)p->f.length);
            sqlite3_bind_double(u, 16, p->f.entropy);
            sqlite3_bind_text(u, 17, p->sha, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 18, p->author, -1, SQLITE_STATIC);
            sqlite3_bind_text(u, 19, p->email, -1, SQLITE_STATIC);
            sqlite3_bind_int64(u, 20, p->time);
            sqlite3_bind_int(u, 21, p->tz);
            sqlite3_bind_int64(u, 22, sc->scan_id);
            if (sqlite3_step(u) != SQLITE_ROW) {
                rc = -1;
            } else if (blob) {
                sqlite3_int64 fid = sqlite3_column_int64(u, 0);
                sqlite3_reset(u);
                sqlite3_stmt *b = sc->ins_fblob;
                sqlite3_reset(b);
                sqlite3_bind_int64(b, 1, fid);
                sqlite3_bind_blob(b, 2, blob, 20, SQLITE_STATIC);
                if (sqlite3_step(b) != SQLITE_DONE) {
                    rc = -1;
                } else if (sqlite3_changes(sc->s->db) > 0) {
                    /* a version counts once, even when a resumed scan
                     * meets its blob again */
                    sqlite3_reset(sc->bump);
                    sqlite3_bind_int64(sc->bump, 1, fid);
                    if (sqlite3_step(sc->bump) != SQLITE_DONE)
                        rc = -1;
                }
            } else {
                sqlite3_reset(u);
            }
        }
        pending_free(p);
    }
    sc->n_pend = 0;
    if (rc)
        fail(sc);
    return rc;
}

void ward_store_blob_scanned(ward_store_scan *sc, const unsigned char id[20])
{
    if (!sc || sc->failed || tx_begin(sc))
        return;
    if (flush_pending(sc, id))
        return;
    sqlite3_reset(sc->ins_blob);
    sqlite3_bind_int64(sc->ins_blob, 1, sc->repo_id);
    sqlite3_bind_blob(sc->ins_blob, 2, id, 20, SQLITE_STATIC);
    if (sqlite3_step(sc->ins_blob) != SQLITE_DONE) {
        fail(sc);
        return;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t ns = (int64_t)(now.tv_sec - sc->batch_start.tv_sec) * 1000000000 +
                 (now.tv_nsec - sc->batch_start.tv_nsec);
    if (++sc->in_batch >= BATCH_BLOBS || ns >= BATCH_NS)
        tx_commit(sc);
}

/* ------------------------------------------------------------------ */
/* Ending a scan: place every finding that may have moved. */

static char *join_refs(char *const *refs, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(refs[i]) + 1;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s%s", i ? "\n" : "", refs[i]);
    *p = '\0';
    return s;
}

static void hrecs_free(ward_hrec *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i].f)
            free((char *)v[i].f->path);
        free(v[i].f);
        free(v[i].blobs);
        for (size_t k = 0; k < v[i].n_refs; k++)
            free(v[i].refs[k]);
        free(v[i].refs);
    }
    free(v);
}

/* Places every stored finding of the repository that was seen now or was
 * present before (anything else stays where it was: a removed secret that
 * comes back is in a new blob, so seen now).  One walk down HEAD's
 * first-parent line places them all (the history scan's own locator, as
 * ward_git_locate does for one). */
static ward_status relocate(ward_store_scan *sc, char *errbuf, size_t errlen)
{
    sqlite3_stmt *q = NULL, *bl = NULL, *up = NULL;
    ward_hrec *v = NULL;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    git_repository *repo = NULL;
    ward_status ret = WARD_OK;
    if (prep(sc, &q, "SELECT id, path FROM findings WHERE repository = ?1 AND"
                     " (last_seen_scan = ?2 OR present = 1)") ||
        prep(sc, &bl, "SELECT blob FROM finding_blobs WHERE finding = ?1"))
        goto dbfail;
    sqlite3_bind_int64(q, 1, sc->repo_id);
    sqlite3_bind_int64(q, 2, sc->scan_id);
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            ward_hrec *nv = realloc(v, nc * sizeof *nv);
            if (nv)
                v = nv;
            int64_t *ni = realloc(ids, nc * sizeof *ni);
            if (ni)
                ids = ni;
            if (!nv || !ni)
                goto nomem;
            cap = nc;
        }
        ward_hrec *r = &v[n];
        memset(r, 0, sizeof *r);
        ids[n++] = sqlite3_column_int64(q, 0);
        ward_finding *f = calloc(1, sizeof *f);
        r->f = f;
        if (f)
            f->size = sizeof *f;
        if (!f || !(f->path = strdup((const char *)sqlite3_column_text(q, 1))))
            goto nomem;
        sqlite3_reset(bl);
        sqlite3_bind_int64(bl, 1, ids[n - 1]);
        while (sqlite3_step(bl) == SQLITE_ROW) {
            if (sqlite3_column_bytes(bl, 0) != 20)
                continue;
            if (r->n_blobs == r->cap_blobs) {
                size_t bc = r->cap_blobs ? r->cap_blobs * 2 : 4;
                git_oid *nb = realloc(r->blobs, bc * sizeof *nb);
                if (!nb)
                    goto nomem;
                r->blobs = nb;
                r->cap_blobs = bc;
            }
            memcpy(r->blobs[r->n_blobs++].id, sqlite3_column_blob(bl, 0), 20);
        }
    }
    sqlite3_finalize(q);
    q = NULL;
    if (!n)
        goto out;
    if (ward_git2_init(errbuf, errlen)) {
        ret = WARD_EIO;
        goto out;
    }
    if (git_repository_open_ext(&repo, sc->repo, 0, NULL) < 0) {
        git_libgit2_shutdown();
        seterr(errbuf, errlen, "'%s' is not a git repository", sc->repo);
        ret = WARD_EIO;
        goto out;
    }
    ret = ward_history_locate(repo, NULL, v, n);
    if (ret) {
        seterr(errbuf, errlen, "datastore: %s", ward_strerror(ret));
        goto out;
    }
    if (prep(sc, &up, "UPDATE findings SET present = ?2, removed_in = ?3, refs = ?4,"
                      " last_commit = coalesce(?5, last_commit), last_time = coalesce(?6,"
                      " last_time), last_tz = coalesce(?7, last_tz) WHERE id = ?1"))
        goto dbfail;
    for (size_t i = 0; i < n; i++) {
        ward_hrec *r = &v[i];
        if (!r->n_blobs)
            continue; /* nothing to look for */
        char *refs = join_refs(r->refs, r->n_refs);
        if (!refs)
            goto nomem;
        char hex[GIT_OID_HEXSZ + 1];
        sqlite3_reset(up);
        sqlite3_clear_bindings(up);
        sqlite3_bind_int64(up, 1, ids[i]);
        sqlite3_bind_int(up, 2, r->present);
        if (r->have_removed) {
            git_oid_tostr(hex, sizeof hex, &r->removed);
            sqlite3_bind_text(up, 3, hex, -1, SQLITE_TRANSIENT);
        }
        sqlite3_bind_text(up, 4, refs, -1, SQLITE_TRANSIENT);
        free(refs);
        git_commit *c = NULL;
        if (r->have_last && git_commit_lookup(&c, repo, &r->last) == 0) {
            const git_signature *a = git_commit_author(c);
            git_oid_tostr(hex, sizeof hex, &r->last);
            sqlite3_bind_text(up, 5, hex, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(up, 6, a ? (int64_t)a->when.time : 0);
            sqlite3_bind_int(up, 7, a ? a->when.offset : 0);
        } /* else NULLs: not on HEAD's line; the newest occurrence stays last */
        git_commit_free(c);
        if (sqlite3_step(up) != SQLITE_DONE)
            goto dbfail;
    }
    goto out;
nomem:
    seterr(errbuf, errlen, "datastore: %s", "out of memory");
    ret = WARD_ENOMEM;
    goto out;
dbfail:
    ret = db_fail(sc, errbuf, errlen);
out:
    if (repo) {
        git_repository_free(repo);
        git_libgit2_shutdown();
    }
    sqlite3_finalize(q);
    sqlite3_finalize(bl);
    sqlite3_finalize(up);
    hrecs_free(v, n);
    free(ids);
    return ret;
}

static ward_status store_refs(ward_store_scan *sc, char *errbuf, size_t errlen)
{
    sqlite3_stmt *d = NULL, *ins = NULL;
    ward_status ret = WARD_OK;
    if (prep(sc, &d, "DELETE FROM refs WHERE repository = ?1") ||
        prep(sc, &ins, "INSERT OR REPLACE INTO refs VALUES(?1, ?2, ?3, ?4)")) {
        ret = db_fail(sc, errbuf, errlen);
        goto out;
    }
    sqlite3_bind_int64(d, 1, sc->repo_id);
    if (sqlite3_step(d) != SQLITE_DONE) {
        ret = db_fail(sc, errbuf, errlen);
        goto out;
    }
    for (size_t i = 0; i < sc->n_refs; i++) {
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, sc->repo_id);
        sqlite3_bind_text(ins, 2, sc->ref_names[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, sc->ref_shas[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 4, sc->scan_id);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            ret = db_fail(sc, errbuf, errlen);
            break;
        }
    }
out:
    sqlite3_finalize(d);
    sqlite3_finalize(ins);
    return ret;
}

static void mark_scan(ward_store_scan *sc, const char *status)
{
    sqlite3_stmt *st = NULL;
    if (prep(sc, &st, "UPDATE scans SET finished = ?2, status = ?3 WHERE id = ?1") == 0) {
        sqlite3_bind_int64(st, 1, sc->scan_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
        sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
}

ward_status ward_store_scan_end(ward_store_scan *sc, ward_status scan_status, char *errbuf,
                                size_t errlen)
{
    if (!sc || sc->ended)
        return WARD_EINVAL;
    sc->ended = 1;
    int ok = scan_status == WARD_OK || scan_status == WARD_EPARTIAL;
    if (!sc->failed && !tx_begin(sc))
        flush_pending(sc, NULL); /* findings of a blob whose id never came */
    if (sc->failed) {
        exec(sc->s->db, "ROLLBACK");
        sc->in_tx = 0;
        if (exec(sc->s->db, "BEGIN IMMEDIATE") == 0) {
            mark_scan(sc, "failed");
            exec(sc->s->db, "COMMIT");
        }
        seterr(errbuf, errlen, "%s", sc->err);
        return WARD_EIO;
    }
    ward_status st = WARD_OK;
    if (ok) {
        st = relocate(sc, errbuf, errlen);
        if (!st)
            st = store_refs(sc, errbuf, errlen);
    }
    mark_scan(sc, !ok || st ? "failed" : scan_status == WARD_OK ? "ok" : "partial");
    if (tx_commit(sc) && !st) {
        seterr(errbuf, errlen, "%s", sc->err);
        st = WARD_EIO;
    }
    return st;
}

void ward_store_scan_free(ward_store_scan *sc)
{
    if (!sc)
        return;
    if (!sc->ended)
        ward_store_scan_end(sc, WARD_EABORT, NULL, 0);
    for (size_t i = 0; i < sc->n_pend; i++)
        pending_free(&sc->pend[i]);
    free(sc->pend);
    sqlite3_finalize(sc->ins_blob);
    sqlite3_finalize(sc->upsert);
    sqlite3_finalize(sc->ins_fblob);
    sqlite3_finalize(sc->bump);
    for (size_t i = 0; i < sc->n_refs; i++) {
        free(sc->ref_names[i]);
        free(sc->ref_shas[i]);
    }
    free(sc->ref_names);
    free(sc->ref_shas);
    for (size_t i = 0; i < sc->n_hide; i++)
        free(sc->hide[i]);
    free(sc->hide);
    ward_idset_free(&sc->set);
    free(sc->name);
    free(sc->repo);
    free(sc);
}

/* ------------------------------------------------------------------ */
/* Reading. */

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

ward_status ward_store_findings(ward_store *s, const ward_store_scan *new_in, int all,
                                ward_store_finding_fn fn, void *user, char *errbuf,
                                size_t errlen)
{
    if (!s || !fn)
        return WARD_EINVAL;
    sqlite3_stmt *st = NULL;
    const char *sql =
        "SELECT r.name, f.rule, f.description, f.confidence, f.reason, f.path, f.preview,"
        " f.line, f.col, f.end_line, f.end_col, f.off, f.len, f.entropy, f.fingerprint,"
        " f.encoding, f.commit_sha, f.author, f.email, f.commit_time, f.commit_tz,"
        " f.last_commit, f.last_time, f.last_tz, f.versions, f.present, f.removed_in, f.refs,"
        " s1.started, s2.started, f.first_seen_scan"
        " FROM findings f JOIN repositories r ON r.id = f.repository"
        " LEFT JOIN scans s1 ON s1.id = f.first_seen_scan"
        " LEFT JOIN scans s2 ON s2.id = f.last_seen_scan"
        " WHERE (?1 = 0 OR f.repository = ?1) AND f.first_seen_scan > ?2"
        " ORDER BY r.name, f.commit_time, f.path, f.rule, f.fingerprint";
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        seterr(errbuf, errlen, "datastore: %s", sqlite3_errmsg(s->db));
        return WARD_EIO;
    }
    sqlite3_bind_int64(st, 1, new_in ? new_in->repo_id : 0);
    sqlite3_bind_int64(st, 2, new_in && !all ? new_in->since : 0);
    int rc;
    ward_status ret = WARD_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ward_finding f = {.size = sizeof f};
        ward_commit c = {0}, last = {0};
        ward_git_history h = {0};
        f.rule_id = col_text(st, 1);
        f.description = col_text(st, 2);
        f.confidence = (ward_confidence)sqlite3_column_int(st, 3);
        f.reason = col_text(st, 4);
        f.path = col_text(st, 5);
        f.secret = col_text(st, 6);
        f.secret_len = strlen(f.secret);
        f.line = (uint64_t)sqlite3_column_int64(st, 7);
        f.column = (uint64_t)sqlite3_column_int64(st, 8);
        f.end_line = (uint64_t)sqlite3_column_int64(st, 9);
        f.end_column = (uint64_t)sqlite3_column_int64(st, 10);
        f.offset = (uint64_t)sqlite3_column_int64(st, 11);
        f.length = (uint64_t)sqlite3_column_int64(st, 12);
        f.entropy = sqlite3_column_double(st, 13);
        snprintf(f.fingerprint, sizeof f.fingerprint, "%s", col_text(st, 14));
        f.encoding = sqlite3_column_type(st, 15) == SQLITE_NULL ? NULL : col_text(st, 15);
        f.line_text = "";
        f.line_col0 = (size_t)-1;
        f.match_offset = f.offset;
        f.match_length = f.length;
        c.sha = col_text(st, 16);
        c.author = col_text(st, 17);
        c.email = col_text(st, 18);
        c.time = sqlite3_column_int64(st, 19);
        c.tz_minutes = sqlite3_column_int(st, 20);
        last.sha = col_text(st, 21);
        last.author = "";
        last.email = "";
        last.time = sqlite3_column_int64(st, 22);
        last.tz_minutes = sqlite3_column_int(st, 23);
        h.last = &last;
        h.versions = (uint64_t)sqlite3_column_int64(st, 24);
        h.present = sqlite3_column_int(st, 25);
        h.removed_in = sqlite3_column_type(st, 26) == SQLITE_NULL ? NULL : col_text(st, 26);
        /* refs: newline-separated in the column, split in a copy */
        char *refs = strdup(col_text(st, 27));
        const char *rv[64];
        size_t nr = 0;
        if (!refs) {
            ret = WARD_ENOMEM;
            break;
        }
        for (char *p = refs; *p && nr < 64;) {
            rv[nr++] = p;
            char *nl = strchr(p, '\n');
            if (!nl)
                break;
            *nl = '\0';
            p = nl + 1;
        }
        h.n_refs = nr;
        h.refs = rv;
        c.history = &h;
        ward_store_finding sf = {.repository = col_text(st, 0),
                                 .finding = &f,
                                 .commit = &c,
                                 .first_seen = sqlite3_column_int64(st, 28),
                                 .last_seen = sqlite3_column_int64(st, 29),
                                 .is_new = new_in && sqlite3_column_int64(st, 30) > new_in->since};
        int stop = fn(&sf, user);
        free(refs);
        if (stop) {
            ret = WARD_EABORT;
            break;
        }
    }
    if (!ret && rc != SQLITE_DONE) {
        seterr(errbuf, errlen, "datastore: %s", sqlite3_errmsg(s->db));
        ret = WARD_EIO;
    }
    sqlite3_finalize(st);
    return ret;
}
