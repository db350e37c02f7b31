/*
 * slowpool: a few threads for work too slow for a request's worker (a
 * password check: argon2id, ~64 MiB and a tenth of a second or more).
 *
 * libmicrohttpd's workers each serve many connections from one event
 * loop; a worker blocked on a hash serves none of them.  So the slow part
 * of a request is queued here, its connection suspended, and the worker
 * goes back to its loop; a pool thread runs the job and the connection is
 * resumed.  The queue is bounded: a caller first reserves a place
 * (slowpool_reserve), and when every place is taken it answers at once
 * (503 with Retry-After) instead of waiting.  The threads also bound how
 * many hashes run at once, and so the memory they take.
 */
#ifndef FH_SLOWPOOL_H
#define FH_SLOWPOOL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct slowpool slowpool;

/* threads pool threads; capacity jobs queued or running at most. */
slowpool *slowpool_start(int threads, size_t capacity);

/* Takes a place for one job; false when every place is taken. */
bool slowpool_reserve(slowpool *p);

/* Gives back a place reserved and not used. */
void slowpool_release(slowpool *p);

/* Queues run(ctx) in a place already reserved; it runs on a pool thread. */
void slowpool_submit(slowpool *p, void (*run)(void *ctx), void *ctx);

/* Runs what is queued, then stops and joins the threads and frees p. */
void slowpool_stop(slowpool *p);

#endif
