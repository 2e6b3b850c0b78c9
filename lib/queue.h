/* queue.h - one ordered, bounded work queue for every parallel scan.
 *
 * A producer submits jobs in order; worker threads run them; each job's
 * outputs (findings and events) are delivered in submission order, one at a
 * time, whatever the thread count.  Used by the folder walk (walk.c) and the
 * history scan (git.c).
 *
 *   producer ──submit──► [ pending FIFO ] ──► workers (run) ──► outputs
 *                         at most `window` jobs in flight         │
 *   deliver (in order, under one lock) ◄── head job: straight through
 *                                      ◄── later jobs: owned copies
 *
 * Ownership: a finding or event handed to ward_queue_finding/_event is a
 * borrowed view valid only during that call (as everywhere in libward).
 * The job at the head of the line delivers it at once, still borrowed;
 * any later job copies it (secret, line text, path, reason, message) into
 * memory the queue owns, because the scanner reuses the buffers the view
 * points into (UTF-16 transcoding, decoded text, the read buffer).
 *
 * Bounds: at most `window` jobs are in flight, and a job whose copies pass
 * `max_buffered` bytes waits until it is the head.  The head's worker is
 * never blocked, so the queue cannot deadlock.
 *
 * Every delivery callback (deliver_finding, deliver_event, job_done) runs
 * under the queue's lock, so the consumer never sees two at once and needs
 * no lock of its own.
 */
#ifndef WARD_QUEUE_H
#define WARD_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "ward.h"

typedef struct ward_queue ward_queue;
typedef struct ward_queue_job ward_queue_job;

typedef struct ward_queue_ops {
    /* Per-thread context (a scanner, buffers, a pack reader): made once in
     * each worker thread; NULL from worker_new is a failure, and that
     * worker's jobs then get run with ctx NULL (run must report it). */
    void *(*worker_new)(void *user);
    void (*worker_free)(void *ctx, void *user);
    /* Runs one job: reads, scans, reports with ward_queue_finding and
     * ward_queue_event.  Called without the lock. */
    void (*run)(void *ctx, ward_queue_job *j, void *payload, void *user);
    /* Delivery, in order, under the lock.  deliver_finding returns non-zero
     * to stop everything (the queue then aborts). */
    int (*deliver_finding)(const ward_finding *f, void *payload, void *user);
    void (*deliver_event)(const ward_event *ev, void *payload, void *user);
    /* After a job's last output, in order (delivered = 1), or for a job
     * that never ran because the queue aborted (delivered = 0): the place
     * to count it and free its payload.  May be NULL. */
    void (*job_done)(void *payload, int delivered, void *user);
} ward_queue_ops;

typedef struct ward_queue_config {
    unsigned threads;      /* worker threads, at least 1 */
    unsigned window;       /* jobs in flight; 0 = 256 */
    unsigned wake_batch;   /* pending jobs that wake the workers; 0 = 1 */
    size_t max_buffered;   /* bytes of copies one waiting job may hold; 0 = 64 MiB */
    /* When set, a producer that finds the window full runs the oldest
     * pending job itself with this context instead of waiting (with two
     * CPUs this keeps both busy when producing is lighter than running). */
    void *producer_ctx;
} ward_queue_config;

/* Starts the workers.  WARD_ENOMEM when memory or a thread cannot be had
 * (then *out is NULL and nothing runs). */
ward_status ward_queue_new(const ward_queue_ops *ops, void *user, const ward_queue_config *cfg,
                           ward_queue **out);

/* Queues a job (payload is the caller's, handed back to run and the
 * delivery callbacks, and to job_done, which frees it).  Blocks while the
 * window is full.  Returns 0, or -1 when the queue has aborted: payload is
 * then passed to job_done(delivered = 0) before the call returns. */
int ward_queue_submit(ward_queue *q, void *payload);

/* Outputs of the running job j (from run only).  They return non-zero when
 * the queue has aborted, so a long scan can stop early. */
int ward_queue_finding(ward_queue_job *j, const ward_finding *f);
int ward_queue_event(ward_queue_job *j, const ward_event *ev);

/* Stops the queue: no further job starts, and each one pending is passed to
 * job_done(delivered = 0).  Safe from any thread, also from a delivery
 * callback. */
void ward_queue_abort(ward_queue *q);

/* Runs fn(user) under the queue's lock, so it does not overlap with any
 * delivery callback (to read counters the callbacks keep). */
void ward_queue_locked(ward_queue *q, void (*fn)(void *user), void *user);

/* Waits until every job is delivered, joins the workers and frees the
 * queue.  Returns WARD_OK, WARD_EABORT after an abort, or WARD_ENOMEM when
 * an output could not be copied (that also aborts). */
ward_status ward_queue_finish(ward_queue *q);

#endif
