/* queue.c - the ordered, bounded work queue (see queue.h for the picture).
 *
 * Jobs live in a ring indexed by sequence number; a FIFO of pending jobs
 * feeds the workers.  Delivery walks the ring from the oldest undelivered
 * job: a finished job delivers its copies and leaves; an unfinished one at
 * the head delivers what it buffered and from then on delivers straight
 * through, so a long stream (stdin, a huge file) reaches the consumer as it
 * is scanned rather than at its end.
 */
#define _GNU_SOURCE
#include "queue.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_WINDOW 256u
#define DEFAULT_MAX_BUFFERED (64u << 20)
#define MAX_THREADS 256u

typedef struct item {
    int is_event;
    ward_finding f;       /* its strings point into mem */
    ward_event ev;
    char *mem;
} item;

enum { PENDING, RUNNING, DONE };

struct ward_queue_job {
    ward_queue *q;
    uint64_t seq;
    void *payload;
    int state;
    item *items;
    size_t n_items, cap_items;
    size_t buffered;
    ward_queue_job *next; /* pending FIFO */
};

struct ward_queue {
    ward_queue_ops ops;
    void *user;
    unsigned window, wake_batch;
    size_t max_buffered;
    void *producer_ctx;
    pthread_mutex_t mu;
    pthread_cond_t work, space, head;
    ward_queue_job *pend_head, *pend_tail;
    size_t n_pending;
    ward_queue_job **ring;
    uint64_t next_seq, deliver_seq;
    int closed, aborted;
    ward_status fatal;
    pthread_t *th;
    unsigned nth;
};

static void free_items(ward_queue_job *j)
{
    for (size_t i = 0; i < j->n_items; i++)
        free(j->items[i].mem);
    free(j->items);
    j->items = NULL;
    j->n_items = j->cap_items = 0;
    j->buffered = 0;
}

static void abort_locked(ward_queue *q)
{
    q->aborted = 1;
    pthread_cond_broadcast(&q->work);
    pthread_cond_broadcast(&q->space);
    pthread_cond_broadcast(&q->head);
}

static void deliver_item(ward_queue *q, ward_queue_job *j, const item *it)
{
    if (q->aborted)
        return;
    if (it->is_event) {
        if (q->ops.deliver_event)
            q->ops.deliver_event(&it->ev, j->payload, q->user);
    } else if (q->ops.deliver_finding(&it->f, j->payload, q->user)) {
        abort_locked(q);
    }
}

static void deliver_buffered(ward_queue *q, ward_queue_job *j)
{
    for (size_t i = 0; i < j->n_items; i++)
        deliver_item(q, j, &j->items[i]);
    free_items(j);
}

/* Delivers every finished job at the head of the line.  Caller holds mu. */
static void drain_locked(ward_queue *q)
{
    int moved = 0;
    while (q->deliver_seq < q->next_seq) {
        ward_queue_job *j = q->ring[q->deliver_seq % q->window];
        if (j->state != DONE) {
            /* The new head hands over what it buffered, and from now on
             * delivers straight through. */
            deliver_buffered(q, j);
            pthread_cond_broadcast(&q->head);
            break;
        }
        deliver_buffered(q, j);
        q->ring[q->deliver_seq % q->window] = NULL;
        q->deliver_seq++;
        if (q->ops.job_done)
            q->ops.job_done(j->payload, !q->aborted, q->user);
        free(j);
        moved = 1;
    }
    if (moved) {
        pthread_cond_broadcast(&q->space);
        pthread_cond_broadcast(&q->head);
    }
}

static size_t slen(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Copies s (n bytes, NUL added) to *at and advances it. */
static const char *put(char **at, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = *at;
    memcpy(d, s, n);
    d[n] = '\0';
    *at += n + 1;
    return d;
}

/* An owned copy of f or ev in one allocation; -1 when memory is short. */
static int copy_item(item *it, const ward_finding *f, const ward_event *ev)
{
    memset(it, 0, sizeof *it);
    if (f) {
        size_t need = f->secret_len + 1 + f->line_len + 1 + slen(f->path) + slen(f->reason);
        char *at = it->mem = malloc(need);
        if (!at)
            return -1;
        it->f = *f;
        it->f.secret = put(&at, f->secret ? f->secret : "", f->secret_len);
        it->f.line_text = put(&at, f->line_text ? f->line_text : "", f->line_len);
        it->f.path = put(&at, f->path, f->path ? strlen(f->path) : 0);
        it->f.reason = put(&at, f->reason, f->reason ? strlen(f->reason) : 0);
        return 0;
    }
    size_t need = slen(ev->path) + slen(ev->what) + slen(ev->message);
    char *at = it->mem = malloc(need ? need : 1);
    if (!at)
        return -1;
    it->is_event = 1;
    it->ev = *ev;
    it->ev.path = put(&at, ev->path, ev->path ? strlen(ev->path) : 0);
    it->ev.what = put(&at, ev->what, ev->what ? strlen(ev->what) : 0);
    it->ev.message = put(&at, ev->message, ev->message ? strlen(ev->message) : 0);
    return 0;
}

static int output(ward_queue_job *j, const ward_finding *f, const ward_event *ev)
{
    ward_queue *q = j->q;
    pthread_mutex_lock(&q->mu);
    while (j->seq != q->deliver_seq && j->buffered > q->max_buffered && !q->aborted)
        pthread_cond_wait(&q->head, &q->mu);
    if (q->aborted) {
        /* nothing more is delivered */
    } else if (j->seq == q->deliver_seq) {
        deliver_buffered(q, j);
        item it = {.is_event = ev != NULL};
        if (f)
            it.f = *f;
        else
            it.ev = *ev;
        deliver_item(q, j, &it);
    } else {
        if (j->n_items == j->cap_items) {
            size_t nc = j->cap_items ? j->cap_items * 2 : 8;
            item *ni = realloc(j->items, nc * sizeof *ni);
            if (!ni)
                goto nomem;
            j->items = ni;
            j->cap_items = nc;
        }
        item *it = &j->items[j->n_items];
        if (copy_item(it, f, ev) < 0)
            goto nomem;
        j->n_items++;
        j->buffered += sizeof *it + (f ? f->secret_len + f->line_len : 64);
    }
    int stop = q->aborted;
    pthread_mutex_unlock(&q->mu);
    return stop;
nomem:
    q->fatal = WARD_ENOMEM;
    abort_locked(q);
    pthread_mutex_unlock(&q->mu);
    return 1;
}

int ward_queue_finding(ward_queue_job *j, const ward_finding *f)
{
    return output(j, f, NULL);
}

int ward_queue_event(ward_queue_job *j, const ward_event *ev)
{
    return output(j, NULL, ev);
}

/* Takes the oldest pending job.  Caller holds mu. */
static ward_queue_job *take_locked(ward_queue *q)
{
    ward_queue_job *j = q->pend_head;
    if (j) {
        q->pend_head = j->next;
        if (!q->pend_head)
            q->pend_tail = NULL;
        q->n_pending--;
        j->state = RUNNING;
    }
    return j;
}

/* Runs j (taken already) with ctx; returns with mu held. */
static void run_locked(ward_queue *q, void *ctx, ward_queue_job *j)
{
    pthread_mutex_unlock(&q->mu);
    q->ops.run(ctx, j, j->payload, q->user);
    pthread_mutex_lock(&q->mu);
    j->state = DONE;
    drain_locked(q);
}

static void *worker_main(void *arg)
{
    ward_queue *q = arg;
    void *ctx = q->ops.worker_new ? q->ops.worker_new(q->user) : NULL;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->pend_head && !q->closed && !q->aborted)
            pthread_cond_wait(&q->work, &q->mu);
        ward_queue_job *j = q->aborted ? NULL : take_locked(q);
        if (!j)
            break; /* closed and nothing left, or aborted */
        run_locked(q, ctx, j);
    }
    pthread_mutex_unlock(&q->mu);
    if (q->ops.worker_free)
        q->ops.worker_free(ctx, q->user);
    return NULL;
}

ward_status ward_queue_new(const ward_queue_ops *ops, void *user, const ward_queue_config *cfg,
                           ward_queue **out)
{
    *out = NULL;
    if (!ops || !ops->run || !ops->deliver_finding || !cfg)
        return WARD_EINVAL;
    ward_queue *q = calloc(1, sizeof *q);
    if (!q)
        return WARD_ENOMEM;
    q->ops = *ops;
    q->user = user;
    q->window = cfg->window ? cfg->window : DEFAULT_WINDOW;
    q->wake_batch = cfg->wake_batch ? cfg->wake_batch : 1;
    q->max_buffered = cfg->max_buffered ? cfg->max_buffered : DEFAULT_MAX_BUFFERED;
    q->producer_ctx = cfg->producer_ctx;
    unsigned nt = cfg->threads ? cfg->threads : 1;
    if (nt > MAX_THREADS)
        nt = MAX_THREADS;
    q->ring = calloc(q->window, sizeof *q->ring);
    q->th = calloc(nt, sizeof *q->th);
    if (!q->ring || !q->th) {
        free(q->ring);
        free(q->th);
        free(q);
        return WARD_ENOMEM;
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_cond_init(&q->space, NULL);
    pthread_cond_init(&q->head, NULL);
    for (; q->nth < nt; q->nth++)
        if (pthread_create(&q->th[q->nth], NULL, worker_main, q) != 0)
            break;
    if (!q->nth) {
        ward_queue_finish(q);
        return WARD_ENOMEM;
    }
    *out = q;
    return WARD_OK;
}

int ward_queue_submit(ward_queue *q, void *payload)
{
    ward_queue_job *j = calloc(1, sizeof *j);
    pthread_mutex_lock(&q->mu);
    if (!j) {
        q->fatal = WARD_ENOMEM;
        abort_locked(q);
    }
    while (!q->aborted && q->next_seq - q->deliver_seq >= q->window) {
        if (q->producer_ctx && q->pend_head) {
            run_locked(q, q->producer_ctx, take_locked(q));
            continue;
        }
        /* about to wait: whatever is pending must be on its way */
        pthread_cond_broadcast(&q->work);
        pthread_cond_wait(&q->space, &q->mu);
    }
    if (q->aborted) {
        pthread_mutex_unlock(&q->mu);
        free(j);
        if (q->ops.job_done)
            q->ops.job_done(payload, 0, q->user);
        return -1;
    }
    j->q = q;
    j->payload = payload;
    j->seq = q->next_seq++;
    q->ring[j->seq % q->window] = j;
    if (q->pend_tail)
        q->pend_tail->next = j;
    else
        q->pend_head = j;
    q->pend_tail = j;
    /* Waking a worker costs two context switches: for small jobs (blobs)
     * they are woken for a batch, and always before the producer waits. */
    if (++q->n_pending >= q->wake_batch)
        pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

void ward_queue_abort(ward_queue *q)
{
    pthread_mutex_lock(&q->mu);
    abort_locked(q);
    pthread_mutex_unlock(&q->mu);
}

void ward_queue_locked(ward_queue *q, void (*fn)(void *user), void *user)
{
    pthread_mutex_lock(&q->mu);
    fn(user);
    pthread_mutex_unlock(&q->mu);
}

ward_status ward_queue_finish(ward_queue *q)
{
    if (!q)
        return WARD_OK;
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->mu);
    for (unsigned i = 0; i < q->nth; i++)
        pthread_join(q->th[i], NULL);
    /* With the workers gone, whatever is left never ran (an abort) or was
     * never delivered: hand each back, oldest first. */
    for (uint64_t s = q->deliver_seq; s < q->next_seq; s++) {
        ward_queue_job *j = q->ring[s % q->window];
        if (!j)
            continue;
        free_items(j);
        if (q->ops.job_done)
            q->ops.job_done(j->payload, 0, q->user);
        free(j);
    }
    ward_status st = q->fatal ? q->fatal : q->aborted ? WARD_EABORT : WARD_OK;
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->space);
    pthread_cond_destroy(&q->head);
    free(q->ring);
    free(q->th);
    free(q);
    return st;
}
