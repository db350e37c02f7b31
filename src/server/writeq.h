/*
 * writeq: the server's changes, committed in batches (group commit).
 *
 * Every change must be durable before it is acknowledged (WAL with
 * synchronous=FULL: a commit returns only after the log is flushed), and a
 * flush costs far more than the change itself.  One commit per request caps
 * the server at one flush per change, whatever the number of cores.
 *
 * So one writer thread, with its own connection, takes every change queued
 * while it was busy with the last batch and applies them in one transaction:
 * each in a savepoint of its own, so a change that is refused (its job
 * answers false) is undone alone, audit events included, while the others
 * stand; then one COMMIT, and only then is each submitter told.  Under load
 * one flush serves many requests; when idle, a request waits for one flush,
 * as before.  The audit chain stays whole across a batch because each event
 * reads and moves the chain's head inside the transaction: an undone change
 * takes its events, and the head's move, with it.
 *
 * The writer takes the server's write lock for each batch (as readlog does),
 * so it never meets another writer of this process inside SQLite.
 *
 * If the batch's COMMIT fails, or SQLite ends the transaction itself (an I/O
 * error, a full disk), nothing of the batch is kept and every job is told
 * committed = false: its submitter must answer that nothing was saved.
 */
#ifndef FH_WRITEQ_H
#define FH_WRITEQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

typedef struct writeq writeq;

/*
 * One change, run on the writer thread inside the batch's transaction with
 * st the writer's connection.  True keeps what it wrote; false undoes all of
 * it (a refusal).
 */
typedef bool (*writeq_job)(void *ctx, fh_store *st);

/*
 * Called on the writer thread once the job's batch has been committed
 * (committed true: what the job kept is durable) or has failed (false:
 * nothing of it was kept).
 */
typedef void (*writeq_done)(void *ctx, bool committed);

/*
 * Opens its own connection to db_path and starts the writer thread; a batch
 * holds at most max_batch jobs (the rest wait for the next).
 */
fh_status writeq_start(const char *db_path, pthread_mutex_t *write_lock, size_t max_batch,
		       writeq **out, fh_error *err);

/*
 * Queues a job; done(ctx, ...) follows once its batch is settled.  False
 * (and neither call) when the queue is stopping or out of memory: the caller
 * must then make the change some other way or refuse it.
 */
bool writeq_submit(writeq *q, writeq_job job, writeq_done done, void *ctx);

/* How many batches have been committed, and how many jobs they held (for /metrics). */
void writeq_counts(writeq *q, uint64_t *batches, uint64_t *jobs);

/*
 * Applies whatever is queued and stops the thread; later submissions are
 * refused (false).  The queue stays valid, for submitters still running,
 * until writeq_free.
 */
void writeq_stop(writeq *q);
void writeq_free(writeq *q);

#endif
