/*
 * readlog.c: the group-commit writer of the access log.
 *
 * Each queued entry carries its submitter's callback.  The writer swaps the
 * queue for an empty one, commits the batch outside the lock, then calls
 * every callback of the batch (still outside the lock, so a callback may
 * submit again), and only then, when the WAL has grown past 1,000 pages,
 * copies it back into the database: the readers of a batch never wait for a
 * checkpoint inside their commit (store_defer_checkpoints).
 */
#include "readlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A list of entries with, in parallel, whom to tell about each. */
typedef struct waiter {
	readlog_done done;
	void *ctx;
} waiter;

typedef struct slots {
	store_access_entry *entries;
	waiter *waiters;
	size_t n, cap;
} slots;

struct readlog {
	fh_store *st;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;     /* the writer waits here for entries */
	pthread_mutex_t *write_lock;
	/* Readers fill queue; the writer writes batch outside the lock, so only
	 * queue ever grows. */
	slots queue, batch;
	bool stopping;
};

static bool slots_init(slots *s, size_t cap)
{
	s->entries = malloc(cap * sizeof *s->entries);
	s->waiters = malloc(cap * sizeof *s->waiters);
	s->n = 0;
	s->cap = cap;
	return s->entries && s->waiters;
}

static void slots_free(slots *s)
{
	free(s->entries);
	free(s->waiters);
}

static bool slots_grow(slots *s)
{
	size_t cap = s->cap * 2;
	store_access_entry *e = realloc(s->entries, cap * sizeof *e);
	if (!e)
		return false;
	s->entries = e;
	waiter *w = realloc(s->waiters, cap * sizeof *w);
	if (!w)
		return false;
	s->waiters = w;
	s->cap = cap;
	return true;
}

static void *writer(void *arg)
{
	readlog *log = arg;
	pthread_mutex_lock(&log->lock);
	for (;;) {
		while (log->queue.n == 0 && !log->stopping)
			pthread_cond_wait(&log->work, &log->lock);
		if (log->queue.n == 0 && log->stopping)
			break;
		/* Take the whole queue; readers go on queuing into the other buffer. */
		slots batch = log->queue;
		log->queue = log->batch;
		log->queue.n = 0;
		log->batch = batch;
		pthread_mutex_unlock(&log->lock);

		fh_error err = {0};
		pthread_mutex_lock(log->write_lock);
		fh_status s = store_access_append(log->st, batch.entries, batch.n, &err);
		pthread_mutex_unlock(log->write_lock);
		if (s)
			fprintf(stderr, "fairhearing: serve: the access log could not be written: %s\n",
				err.message);

		for (size_t i = 0; i < batch.n; i++)
			batch.waiters[i].done(batch.waiters[i].ctx, s == FH_OK);
		/* Only now, with the batch answered, copy the WAL back if it has
		 * grown (store_defer_checkpoints): no reader waits for it. */
		store_checkpoint_if_due(log->st);
		pthread_mutex_lock(&log->lock);
		log->batch.n = 0;
	}
	pthread_mutex_unlock(&log->lock);
	return NULL;
}

fh_status readlog_start(const char *db_path, pthread_mutex_t *write_lock, readlog **out,
			fh_error *err)
{
	*out = NULL;
	readlog *log = calloc(1, sizeof *log);
	if (!log)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	fh_status s = store_open(db_path, 0, &log->st, err);
	if (s) {
		free(log);
		return s;
	}
	store_defer_checkpoints(log->st);
	log->write_lock = write_lock;
	pthread_mutex_init(&log->lock, NULL);
	pthread_cond_init(&log->work, NULL);
	/* both are initialised either way, so that both can be freed */
	bool queue_ok = slots_init(&log->queue, 256), batch_ok = slots_init(&log->batch, 256);
	bool ok = queue_ok && batch_ok;
	if (!ok || pthread_create(&log->thread, NULL, writer, log) != 0) {
		store_close(log->st);
		slots_free(&log->queue);
		slots_free(&log->batch);
		free(log);
		return error_set(err, FH_ENOMEM, NULL, NULL, "cannot start the access-log writer");
	}
	*out = log;
	return FH_OK;
}

bool readlog_submit(readlog *log, const store_access_entry *entry, readlog_done done,
		    void *ctx)
{
	pthread_mutex_lock(&log->lock);
	if (log->stopping || (log->queue.n == log->queue.cap && !slots_grow(&log->queue))) {
		pthread_mutex_unlock(&log->lock);
		return false;
	}
	log->queue.entries[log->queue.n] = *entry;
	log->queue.waiters[log->queue.n++] = (waiter){done, ctx};
	pthread_cond_signal(&log->work);
	pthread_mutex_unlock(&log->lock);
	return true;
}

void readlog_stop(readlog *log)
{
	if (!log)
		return;
	pthread_mutex_lock(&log->lock);
	log->stopping = true;
	pthread_cond_signal(&log->work);
	pthread_mutex_unlock(&log->lock);
	pthread_join(log->thread, NULL);
	pthread_mutex_destroy(&log->lock);
	pthread_cond_destroy(&log->work);
	store_close(log->st);
	slots_free(&log->queue);
	slots_free(&log->batch);
	free(log);
}
