/*
 * casecache: cases already rendered as JSON, kept per worker thread.
 *
 * Reading a whole case is a dozen queries (parties, points, stages,
 * findings, events) and rendering it more work again; most reads are of a
 * case someone has just read.  So each worker keeps the JSON of the cases it
 * rendered most recently, stamped with the id of the newest event in the
 * audit chain when it read them.  Every change of anything appends an event,
 * so an entry is served only while the chain's head is still that event;
 * any change anywhere makes every entry stale at once.  Correctness does not
 * depend on knowing which change touches which case.
 *
 * Authorisation and the access log are not cached: they run on every
 * request before a cached body is used.
 */
#ifndef FH_CASECACHE_H
#define FH_CASECACHE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A copy (malloc'd; the caller frees) of the JSON kept for case_id when it
 * was rendered at audit head `head`; NULL when there is none.
 */
char *casecache_get(int64_t case_id, int64_t head);

/* Keeps json (copied) for case_id as of audit head `head`. */
void casecache_put(int64_t case_id, int64_t head, const char *json);

/* Frees this thread's entries (at thread exit). */
void casecache_release(void);

#endif
