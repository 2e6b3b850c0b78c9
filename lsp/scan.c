/* scan.c - the workspace scan (the ward.scanWorkspace command).
 *
 * The scan runs on its own thread, beside the message loop, so live
 * didOpen/didChange diagnostics keep their latency while it walks: that
 * thread calls ward_scan_paths (the library's parallel walker, with the
 * worker count of `ward scan`) and copies each file's findings into one
 * queue, ranges already converted and messages already made, never the
 * secret.  A pipe wakes the loop (lsp_wake_fd); lsp_pump, on the loop's
 * thread, publishes them.  Everything that reads the server's state (open
 * documents, the baseline, the roots) happens there, so the scan thread
 * touches nothing but its own copies and the engine it started with, which
 * a configuration reload leaves alive until the thread is joined.
 *
 * The scan thread and its workers run at a lower priority (nice 10; Linux
 * threads inherit it) so an edit's rescan wins the CPU.  $/cancelRequest or
 * window/workDoneProgress/cancel ends the request at once (RequestCancelled,
 * and the progress ends); the walk itself stops at its next finding (the
 * library's only stop signal) and whatever it still sends is dropped.
 * Files open in the editor are skipped: their live diagnostics stand.
 * Files the previous scan published and that are clean now are cleared.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#endif

#include "server.h"

#define SCAN_MAX_QUEUED 1024     /* files waiting for the loop, at most */
#define SCAN_MAX_HITS 100000     /* findings kept per file, at most */
#define SCAN_PUMP_BATCH 32       /* files published per lsp_pump call */
#define RPC_REQUEST_CANCELLED (-32800)

typedef struct scan_hit {
    char *rule_id, *message;
    char fingerprint[WARD_FINGERPRINT_LEN + 1];
    ward_confidence confidence;
    uint64_t l0, c0, l1, c1;
} scan_hit;

enum { ITEM_FILE, ITEM_PROGRESS, ITEM_DONE };

typedef struct scan_item {
    int kind;
    char *path;                 /* ITEM_FILE */
    scan_hit *hits;
    size_t n, cap;
    uint64_t files, findings;   /* ITEM_PROGRESS */
    ward_status status;         /* ITEM_DONE */
    struct scan_item *next;
} scan_item;

struct lsp_scan {
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t room;        /* the loop took the queue */
    scan_item *head, *tail;
    size_t queued;
    atomic_int cancel;
    int stop;                   /* the library's cancel flag (set atomically) */
    /* the scan thread's inputs and state */
    const ward_engine *engine;
    ward_engine *retired;       /* replaced by a reload; freed after the join */
    char **roots;
    size_t n_roots;
    unsigned threads;
    lsp_encoding enc;
    int wake_fd;
    scan_item *cur;             /* the file being collected */
    /* the loop's side */
    cJSON *req_id;
    char *token;
    int detached;               /* answered (cancelled); drop what comes */
    char **uris;                /* published by this scan */
    size_t n_uris;
    uint64_t files_with_findings, findings;
};

static void free_item(scan_item *it)
{
    for (size_t i = 0; i < it->n; i++) {
        free(it->hits[i].rule_id);
        free(it->hits[i].message);
    }
    free(it->hits);
    free(it->path);
    free(it);
}

/* ---- the scan thread ------------------------------------------------ */

/* Queues it (taking it), waiting while the loop is behind. */
static void push(struct lsp_scan *j, scan_item *it)
{
    pthread_mutex_lock(&j->mu);
    while (j->queued >= SCAN_MAX_QUEUED && !atomic_load(&j->cancel) && it->kind == ITEM_FILE)
        pthread_cond_wait(&j->room, &j->mu);
    if (it->kind == ITEM_PROGRESS && j->tail && j->tail->kind == ITEM_PROGRESS) {
        j->tail->files = it->files; /* the loop has not seen the last one: replace it */
        j->tail->findings = it->findings;
        free_item(it);
        pthread_mutex_unlock(&j->mu);
        return;
    }
    if (j->tail)
        j->tail->next = it;
    else
        j->head = it;
    j->tail = it;
    j->queued++;
    pthread_mutex_unlock(&j->mu);
    ssize_t w = write(j->wake_fd, "x", 1); /* EAGAIN: a wake-up is pending anyway */
    (void)w;
}

static void flush_file(struct lsp_scan *j)
{
    if (j->cur)
        push(j, j->cur);
    j->cur = NULL;
}

static int on_finding(const ward_finding *f, void *user)
{
    struct lsp_scan *j = user;
    if (atomic_load(&j->cancel))
        return 1;
    if (!f->path)
        return 0;
    if (j->cur && strcmp(j->cur->path, f->path))
        flush_file(j);
    if (!j->cur) {
        j->cur = calloc(1, sizeof *j->cur);
        if (!j->cur || !(j->cur->path = strdup(f->path))) {
            free(j->cur);
            j->cur = NULL;
            return 1;
        }
        j->cur->kind = ITEM_FILE;
    }
    scan_item *it = j->cur;
    if (it->n == SCAN_MAX_HITS)
        return 0;
    if (it->n == it->cap) {
        size_t nc = it->cap ? it->cap * 2 : 8;
        scan_hit *nh = realloc(it->hits, nc * sizeof *nh);
        if (!nh)
            return 1;
        it->hits = nh;
        it->cap = nc;
    }
    scan_hit *h = &it->hits[it->n];
    memset(h, 0, sizeof *h);
    /* Columns from the finding: bytes, converted with the line's text when
     * it is all there (line_text is capped for very long lines). */
    uint64_t c0 = f->column - 1, c1 = f->end_column - 1;
    if (j->enc == ENC_UTF16) {
        if (f->line_col0 == f->column - 1 && f->line_col0 <= f->line_len)
            c0 = lsp_enc_units(f->line_text, f->line_col0, ENC_UTF16);
        if (f->end_line == f->line) {
            c1 = c0 + lsp_enc_units(f->secret, f->secret_len, ENC_UTF16);
        } else {
            const char *lastnl = memrchr(f->secret, '\n', f->secret_len);
            size_t k = lastnl ? (size_t)(f->secret + f->secret_len - lastnl - 1) : 0;
            c1 = lsp_enc_units(f->secret + f->secret_len - k, k, ENC_UTF16);
        }
    }
    h->l0 = f->line - 1;
    h->c0 = c0;
    h->l1 = f->end_line - 1;
    h->c1 = c1;
    h->rule_id = strdup(f->rule_id);
    h->message = lsp_finding_message(f);
    if (!h->rule_id || !h->message) {
        free(h->rule_id);
        free(h->message);
        return 1;
    }
    memcpy(h->fingerprint, f->fingerprint, sizeof h->fingerprint);
    h->confidence = f->confidence;
    it->n++;
    return 0;
}

static void on_progress(const ward_progress *p, void *user)
{
    struct lsp_scan *j = user;
    if (p->done || atomic_load(&j->cancel))
        return;
    scan_item *it = calloc(1, sizeof *it);
    if (!it)
        return;
    it->kind = ITEM_PROGRESS;
    it->files = p->files;
    it->findings = p->findings;
    push(j, it);
}

static void *scan_main(void *arg)
{
    struct lsp_scan *j = arg;
#ifdef __linux__
    /* Per thread on Linux, and inherited by the walker's workers. */
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) != 0) {
        /* running at normal priority is fine too */
    }
#endif
    ward_walk_options wo = WARD_INIT(ward_walk_options);
    wo.threads = j->threads;
    wo.cancel = &j->stop; /* a cancel stops the walk itself, not only delivery */
    ward_callbacks cb = {on_finding, NULL, on_progress, j};
    ward_status st = ward_scan_paths(j->engine, (const char *const *)j->roots, j->n_roots, &wo, &cb);
    flush_file(j);
    scan_item *done = calloc(1, sizeof *done);
    if (done) {
        done->kind = ITEM_DONE;
        done->status = st;
        push(j, done);
    } else {
        atomic_store(&j->cancel, 2); /* the loop sees the thread ended */
        ssize_t w = write(j->wake_fd, "x", 1);
        (void)w;
    }
    return NULL;
}

/* ---- the loop's side ------------------------------------------------ */

static void free_scan(struct lsp_scan *j)
{
    if (!j)
        return;
    for (scan_item *it = j->head, *nx; it; it = nx) {
        nx = it->next;
        free_item(it);
    }
    if (j->cur)
        free_item(j->cur);
    for (size_t i = 0; i < j->n_roots; i++)
        free(j->roots[i]);
    free(j->roots);
    for (size_t i = 0; i < j->n_uris; i++)
        free(j->uris[i]);
    free(j->uris);
    ward_engine_free(j->retired);
    cJSON_Delete(j->req_id);
    free(j->token);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->room);
    free(j);
}

static int is_open_path(lsp_server *s, const char *path)
{
    for (lsp_doc *d = s->docs; d; d = d->next)
        if (d->path && !strcmp(d->path, path))
            return 1;
    return 0;
}

static void publish_file(lsp_server *s, struct lsp_scan *j, const scan_item *it)
{
    if (is_open_path(s, it->path))
        return; /* an open document has live diagnostics already */
    char *uri = lsp_path_to_uri(it->path);
    if (!uri)
        return;
    char **nu = realloc(j->uris, (j->n_uris + 1) * sizeof *nu);
    if (!nu) {
        free(uri);
        return;
    }
    j->uris = nu;
    j->uris[j->n_uris++] = uri;
    cJSON *diags = cJSON_CreateArray(), *ranges = cJSON_CreateArray();
    const char *rel = lsp_rel_path(s, it->path);
    for (size_t i = 0; i < it->n; i++) {
        const scan_hit *h = &it->hits[i];
        ward_finding f = WARD_INIT(ward_finding);
        f.rule_id = h->rule_id;
        f.path = it->path;
        memcpy(f.fingerprint, h->fingerprint, sizeof f.fingerprint);
        if (lsp_in_baseline(s, &f, rel))
            continue;
        cJSON *r = lsp_make_range(h->l0, h->c0, h->l1, h->c1);
        cJSON_AddItemToArray(ranges, cJSON_Duplicate(r, 1));
        cJSON_AddItemToArray(diags, lsp_make_diagnostic(s, r, h->rule_id, h->message,
                                                        h->confidence, h->fingerprint));
        j->findings++;
    }
    lsp_publish_raw(s, uri, -1, diags, ranges, 1);
    j->files_with_findings++;
}

static void end_progress(lsp_server *s, struct lsp_scan *j, const char *how)
{
    char m[192];
    snprintf(m, sizeof m, "%s%llu findings in %llu files", how,
             (unsigned long long)j->findings, (unsigned long long)j->files_with_findings);
    lsp_progress(s, j->token, "end", NULL, m);
}

/* Takes over the URIs this scan published; a complete scan also clears the
 * previous scan's files that are clean now. */
static void settle_uris(lsp_server *s, struct lsp_scan *j, int complete)
{
    for (size_t i = 0; i < s->n_scan_uris; i++) {
        int again = 0;
        for (size_t k = 0; k < j->n_uris && !again; k++)
            again = !strcmp(s->scan_uris[i], j->uris[k]);
        if (again) {
            free(s->scan_uris[i]);
        } else if (complete) {
            if (!lsp_find_doc(s, s->scan_uris[i]))
                lsp_publish_raw(s, s->scan_uris[i], -1, cJSON_CreateArray(),
                                cJSON_CreateArray(), 1);
            free(s->scan_uris[i]);
        } else { /* not reached by a cancelled scan: its diagnostics stand */
            char **nu = realloc(j->uris, (j->n_uris + 1) * sizeof *nu);
            if (nu) {
                j->uris = nu;
                j->uris[j->n_uris++] = s->scan_uris[i];
            } else {
                free(s->scan_uris[i]);
            }
        }
    }
    free(s->scan_uris);
    s->scan_uris = j->uris;
    s->n_scan_uris = j->n_uris;
    j->uris = NULL;
    j->n_uris = 0;
}

static void finish(lsp_server *s, struct lsp_scan *j, ward_status st)
{
    settle_uris(s, j, 1);
    end_progress(s, j, "");
    if (st != WARD_OK && st != WARD_EPARTIAL) {
        lsp_send_error(s, j->req_id, RPC_REQUEST_FAILED, ward_strerror(st));
        return;
    }
    cJSON *res = cJSON_CreateObject();
    cJSON_AddNumberToObject(res, "findings", (double)j->findings);
    cJSON_AddNumberToObject(res, "files", (double)j->files_with_findings);
    cJSON_AddBoolToObject(res, "partial", st == WARD_EPARTIAL);
    lsp_send_result(s, j->req_id, res);
}

/* Answers the running scan's request as cancelled; the thread runs on
 * until it notices, and what it still sends is dropped. */
static void cancel_scan(lsp_server *s)
{
    struct lsp_scan *j = s->scan;
    if (!j || j->detached)
        return;
    atomic_store(&j->cancel, 1);
    __atomic_store_n(&j->stop, 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&j->mu);
    pthread_cond_broadcast(&j->room);
    pthread_mutex_unlock(&j->mu);
    j->detached = 1;
    settle_uris(s, j, 0);
    end_progress(s, j, "cancelled: ");
    lsp_send_error(s, j->req_id, RPC_REQUEST_CANCELLED, "Request cancelled");
}

static void join_scan(lsp_server *s)
{
    struct lsp_scan *j = s->scan;
    if (!j)
        return;
    if (j->started)
        pthread_join(j->thread, NULL);
    s->scan = NULL;
    free_scan(j);
}

int lsp_pump(lsp_server *s)
{
    char buf[256];
    while (s->wake[0] >= 0 && read(s->wake[0], buf, sizeof buf) > 0) {
    }
    struct lsp_scan *j = s->scan;
    if (!j)
        return 0;
    /* A bounded batch, so an edit arriving meanwhile waits for at most
     * SCAN_PUMP_BATCH files; the pipe is woken again for the rest. */
    pthread_mutex_lock(&j->mu);
    scan_item *list = j->head, *last = NULL;
    size_t n = 0;
    for (scan_item *it = list; it && n < SCAN_PUMP_BATCH; it = it->next, n++)
        last = it;
    if (last) {
        j->head = last->next;
        last->next = NULL;
        if (!j->head)
            j->tail = NULL;
        j->queued -= n;
    }
    int more = j->head != NULL;
    pthread_cond_broadcast(&j->room);
    pthread_mutex_unlock(&j->mu);
    if (more) {
        ssize_t w = write(s->wake[1], "x", 1);
        (void)w;
    }
    int ended = atomic_load(&j->cancel) == 2;
    ward_status st = WARD_ENOMEM;
    for (scan_item *it = list, *nx; it; it = nx) {
        nx = it->next;
        if (it->kind == ITEM_DONE) {
            ended = 1;
            st = it->status;
        } else if (!j->detached && it->kind == ITEM_FILE) {
            publish_file(s, j, it);
        } else if (!j->detached && it->kind == ITEM_PROGRESS) {
            char m[128];
            snprintf(m, sizeof m, "%llu files, %llu findings", (unsigned long long)it->files,
                     (unsigned long long)it->findings);
            lsp_progress(s, j->token, "report", NULL, m);
        }
        free_item(it);
    }
    if (!ended)
        return 1;
    if (!j->detached)
        finish(s, j, st);
    join_scan(s);
    return 0;
}

int lsp_wake_fd(const lsp_server *s)
{
    return s->wake[0];
}

void lsp_scan_cancel(lsp_server *s)
{
    cancel_scan(s);
}

void lsp_scan_stop(lsp_server *s)
{
    if (!s->scan)
        return;
    cancel_scan(s);
    join_scan(s);
}

int lsp_scan_keep_engine(lsp_server *s, ward_engine *old)
{
    struct lsp_scan *j = s->scan;
    if (!j || j->engine != old || j->retired)
        return 0;
    j->retired = old;
    return 1;
}

static void start_scan(lsp_server *s, const cJSON *req_id, const char *token)
{
    struct lsp_scan *j = calloc(1, sizeof *j);
    if (!j) {
        lsp_send_error(s, req_id, RPC_INTERNAL_ERROR, "Internal error: out of memory");
        return;
    }
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->room, NULL);
    j->req_id = cJSON_Duplicate(req_id, 1);
    j->token = token ? strdup(token) : NULL;
    j->engine = s->engine;
    j->threads = s->opts.threads;
    j->enc = s->enc;
    j->wake_fd = s->wake[1];
    lsp_progress(s, j->token, "begin", "ward: scanning the workspace", NULL);
    if (s->n_roots && !s->opts.dry_run) {
        j->roots = calloc(s->n_roots, sizeof *j->roots);
        for (size_t i = 0; j->roots && i < s->n_roots; i++)
            if ((j->roots[j->n_roots] = strdup(s->roots[i])))
                j->n_roots++;
        if (j->n_roots == s->n_roots && pthread_create(&j->thread, NULL, scan_main, j) == 0) {
            j->started = 1;
            s->scan = j;
            return;
        }
        s->scan = j;
        end_progress(s, j, "");
        lsp_send_error(s, req_id, RPC_INTERNAL_ERROR, "Internal error: cannot start the scan");
        j->detached = 1;
        join_scan(s);
        return;
    }
    /* Nothing to walk (no roots, or fuzzing): done at once. */
    s->scan = j;
    finish(s, j, WARD_OK);
    join_scan(s);
}

void lsp_on_cancel_request(lsp_server *s, const cJSON *params)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(params, "id");
    if (!id)
        return;
    if (s->pending_req_id && cJSON_Compare(id, s->pending_req_id, 1)) {
        /* still waiting for the progress token: the scan never starts */
        lsp_send_error(s, s->pending_req_id, RPC_REQUEST_CANCELLED, "Request cancelled");
        cJSON_Delete(s->pending_req_id);
        s->pending_req_id = NULL;
        s->pending_create = 0;
        return;
    }
    if (s->scan && !s->scan->detached && cJSON_Compare(id, s->scan->req_id, 1))
        cancel_scan(s);
}

void lsp_on_progress_cancel(lsp_server *s, const cJSON *params)
{
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(params, "token");
    char buf[64];
    const char *t = NULL;
    if (cJSON_IsString(tok))
        t = tok->valuestring;
    else if (cJSON_IsNumber(tok) && snprintf(buf, sizeof buf, "%.0f", tok->valuedouble) > 0)
        t = buf;
    if (t && s->scan && !s->scan->detached && s->scan->token && !strcmp(t, s->scan->token))
        cancel_scan(s);
}

cJSON lsp_deferred;

cJSON *lsp_h_execute(lsp_server *s, const cJSON *params, const cJSON *id, int *code,
                        const char **msg)
{
    const char *cmd = lsp_jstr(params, "command");
    if (!cmd) {
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: command is required";
        return NULL;
    }
    if (!strcmp(cmd, "ward.addToBaseline"))
        return lsp_add_to_baseline(s, cJSON_GetObjectItemCaseSensitive(params, "arguments"), code, msg);
    if (strcmp(cmd, "ward.scanWorkspace")) {
        *code = RPC_INVALID_PARAMS;
        *msg = "Invalid params: unknown command";
        return NULL;
    }
    if (s->pending_req_id || (s->scan && !s->scan->detached)) {
        *code = RPC_REQUEST_FAILED;
        *msg = "Request failed: a workspace scan is already running";
        return NULL;
    }
    if (s->scan) {
        *code = RPC_REQUEST_FAILED;
        *msg = "Request failed: the cancelled workspace scan is still stopping";
        return NULL;
    }
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(params, "workDoneToken");
    char buf[64];
    if (cJSON_IsString(tok)) {
        start_scan(s, id, tok->valuestring);
    } else if (cJSON_IsNumber(tok)) {
        snprintf(buf, sizeof buf, "%.0f", tok->valuedouble);
        start_scan(s, id, buf); /* a numeric token echoed as a string is not ideal, but rare */
    } else if (s->cap_progress) {
        /* Ask the client for a token; the scan starts when it answers. */
        snprintf(buf, sizeof buf, "ward-scan-%ld", s->next_id + 1);
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "token", buf);
        s->pending_req_id = cJSON_Duplicate(id, 1);
        s->pending_create = lsp_send_request(s, "window/workDoneProgress/create", p);
    } else {
        start_scan(s, id, NULL);
    }
    return LSP_DEFERRED;
}

void lsp_on_response(lsp_server *s, const cJSON *msg)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    if (!s->pending_create || !cJSON_IsNumber(id) || (long)id->valuedouble != s->pending_create)
        return;
    char token[64];
    snprintf(token, sizeof token, "ward-scan-%ld", s->pending_create);
    int ok = cJSON_GetObjectItemCaseSensitive(msg, "error") == NULL;
    cJSON *req = s->pending_req_id;
    s->pending_req_id = NULL;
    s->pending_create = 0;
    if (s->state == ST_READY)
        start_scan(s, req, ok ? token : NULL);
    cJSON_Delete(req);
}

