/*
 * writeq.c: the group-commit writer of the server's changes.
 *
 * Submitters append to queue under the lock; the writer swaps it for the
 * empty spare, applies what it took outside the lock (in transactions of at
 * most max_batch jobs), tells every submitter, and goes back for more.
 * Callbacks run outside the lock, so one may submit again.
 */
#include "writeq.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct item {
	writeq_job job;
	writeq_done done;
	void *ctx;
} item;

typedef struct items {
	item *v;
	size_t n, cap;
} items;

struct writeq {
	fh_store *st;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;
	pthread_mutex_t *write_lock;
	size_t max_batch;
	items queue, spare;
	bool stopping;
	atomic_uint_fast64_t batches, jobs;
};

/*
 * Applies jobs [0, n) in one transaction, each in its own savepoint, and
 * commits.  True when the commit returned: every kept change is durable.
 */
static bool apply(writeq *q, const item *jobs, size_t n)
{
	fh_error err = {0};
	fh_status s = store_begin(q->st, &err);
	for (size_t i = 0; i < n && !s; i++) {
		s = store_savepoint(q->st, &err);
		if (s)
			break;
		bool keep = jobs[i].job(jobs[i].ctx, q->st);
		if (store_tx_lost(q->st)) {
			s = error_set(&err, FH_ESTORE, NULL, NULL,
				      "the database ended the transaction (an I/O error?)");
			break;
		}
		s = store_savepoint_end(q->st, keep, &err);
	}
	if (!s)
		s = store_commit(q->st, &err);
	else
		store_rollback(q->st);
	if (s) {
		fprintf(stderr, "fairhearing: serve: a batch of %zu changes could not be saved: %s\n",
			n, err.message);
		return false;
	}
	atomic_fetch_add(&q->batches, 1);
	atomic_fetch_add(&q->jobs, n);
	return true;
}

static void *writer(void *arg)
{
	writeq *q = arg;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (q->queue.n == 0 && !q->stopping)
			pthread_cond_wait(&q->work, &q->lock);
		if (q->queue.n == 0 && q->stopping)
			break;
		items taken = q->queue;
		q->queue = q->spare;
		q->queue.n = 0;
		pthread_mutex_unlock(&q->lock);

		for (size_t at = 0; at < taken.n; at += q->max_batch) {
			size_t n = taken.n - at < q->max_batch ? taken.n - at : q->max_batch;
			pthread_mutex_lock(q->write_lock);
			bool committed = apply(q, taken.v + at, n);
			pthread_mutex_unlock(q->write_lock);
			for (size_t i = at; i < at + n; i++)
				taken.v[i].done(taken.v[i].ctx, committed);
		}

		pthread_mutex_lock(&q->lock);
		taken.n = 0;
		q->spare = taken;
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

fh_status writeq_start(const char *db_path, pthread_mutex_t *write_lock, size_t max_batch,
		       writeq **out, fh_error *err)
{
	*out = NULL;
	writeq *q = calloc(1, sizeof *q);
	if (!q)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	fh_status s = store_open(db_path, 0, &q->st, err);
	if (s) {
		free(q);
		return s;
	}
	/* A batch's savepoints keep their pages' originals; in memory, not in a
	 * temporary file written for every batch. */
	if ((s = store_temp_in_memory(q->st, err))) {
		store_close(q->st);
		free(q);
		return s;
	}
	q->write_lock = write_lock;
	q->max_batch = max_batch ? max_batch : 1;
	atomic_init(&q->batches, 0);
	atomic_init(&q->jobs, 0);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->work, NULL);
	q->queue.v = malloc(64 * sizeof *q->queue.v);
	q->spare.v = malloc(64 * sizeof *q->spare.v);
	q->queue.cap = q->spare.cap = 64;
	if (!q->queue.v || !q->spare.v || pthread_create(&q->thread, NULL, writer, q) != 0) {
		store_close(q->st);
		free(q->queue.v);
		free(q->spare.v);
		pthread_mutex_destroy(&q->lock);
		pthread_cond_destroy(&q->work);
		free(q);
		return error_set(err, FH_ENOMEM, NULL, NULL, "cannot start the writer");
	}
	*out = q;
	return FH_OK;
}

bool writeq_submit(writeq *q, writeq_job job, writeq_done done, void *ctx)
{
	pthread_mutex_lock(&q->lock);
	if (q->stopping) {
		pthread_mutex_unlock(&q->lock);
		return false;
	}
	if (q->queue.n == q->queue.cap) {
		item *bigger = realloc(q->queue.v, 2 * q->queue.cap * sizeof *bigger);
		if (!bigger) {
			pthread_mutex_unlock(&q->lock);
			return false;
		}
		q->queue.v = bigger;
		q->queue.cap *= 2;
	}
	q->queue.v[q->queue.n++] = (item){job, done, ctx};
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->lock);
	return true;
}

void writeq_counts(writeq *q, uint64_t *batches, uint64_t *jobs)
{
	*batches = q ? atomic_load(&q->batches) : 0;
	*jobs = q ? atomic_load(&q->jobs) : 0;
}

void writeq_stop(writeq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	bool running = !q->stopping;
	q->stopping = true;
	pthread_cond_signal(&q->work);
	pthread_mutex_unlock(&q->lock);
	if (running)
		pthread_join(q->thread, NULL);
}

void writeq_free(writeq *q)
{
	if (!q)
		return;
	writeq_stop(q);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->work);
	store_close(q->st);
	free(q->queue.v);
	free(q->spare.v);
	free(q);
}
