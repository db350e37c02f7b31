/*
 * readlog: writing the access log of reads of personal data, durably and
 * cheaply.
 *
 * A read of a case must be on record before the data leaves the server
 * (DOMAIN §8: every read is logged), but one transaction per read would
 * cost each read a disk flush.  So one writer thread takes every entry
 * queued while it was writing the last batch and commits them together
 * (group commit), then tells each entry's submitter.  Under load, one flush
 * serves many reads; when idle, a read waits for one flush.  The submitter
 * does not block: the server suspends the connection and resumes it from
 * the callback, so a worker thread serves other connections meanwhile.
 *
 * The writer takes the server's write lock for each batch, so it never
 * competes with a request's write transaction inside SQLite (where waiting
 * means sleeping in the busy handler).
 */
#ifndef FH_READLOG_H
#define FH_READLOG_H

#include <pthread.h>
#include <stdbool.h>

#include "store_access_log.h"

typedef struct readlog readlog;

/* Opens its own connection to db_path and starts the writer thread. */
fh_status readlog_start(const char *db_path, pthread_mutex_t *write_lock, readlog **out,
			fh_error *err);

/*
 * Called on the writer thread once the entry's batch is committed (written
 * true) or has failed (false: the data must not be released).
 */
typedef void (*readlog_done)(void *ctx, bool written);

/*
 * Queues an entry; done(ctx, ...) follows once it is settled.  False (and
 * no call of done) when the log is stopping or out of memory.
 */
bool readlog_submit(readlog *log, const store_access_entry *entry, readlog_done done,
		    void *ctx);

/* Writes whatever is queued, stops the thread, closes the connection. */
void readlog_stop(readlog *log);

#endif
