/*
 * readlog: writing the access log of reads of personal data, durably and
 * cheaply.
 *
 * A read of a case must be on record before the data leaves the server
 * (issue 5 §5: every read is logged), but one transaction per read would
 * cost each read a disk flush.  So one writer thread takes every entry
 * queued while it was writing the last batch and commits them together
 * (group commit); a reader waits only for the batch holding its entry.
 * Under load, one flush serves many reads; when idle, a read waits for one
 * flush.
 *
 * The writer takes the server's write lock for each batch, so it never
 * competes with a request's write transaction inside SQLite (where waiting
 * means sleeping in the busy handler).
 */
#ifndef FH_READLOG_H
#define FH_READLOG_H

#include <pthread.h>
#include <stdbool.h>

#include "store_access.h"

typedef struct readlog readlog;

/* Opens its own connection to db_path and starts the writer thread. */
fh_status readlog_start(const char *db_path, pthread_mutex_t *write_lock, readlog **out,
			fh_error *err);

/*
 * Queues an entry and waits until it is committed.  False when it could not
 * be written (the caller must then not release the data) or the log is
 * stopping.
 */
bool readlog_record(readlog *log, const store_access_entry *entry);

/* Writes whatever is queued, stops the thread, closes the connection. */
void readlog_stop(readlog *log);

#endif
