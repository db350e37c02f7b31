/*
 * store_cache: prepared statements kept between calls, for the queries the
 * server makes on every request.
 *
 * Preparing a statement (parsing SQL, planning) costs tens of microseconds,
 * more than running these small queries; a request that signs someone in,
 * finds a case and checks an assignment would spend most of its time
 * preparing.  So a worker thread that owns a connection enables the cache
 * for it; the functions that use the cache then reuse their statements.
 *
 * The cache belongs to the thread (fh_store is single-threaded) and serves
 * exactly the one connection it was enabled for: any other connection gets
 * fresh statements as usual, so the command line, which never enables it,
 * behaves exactly as before.  The owner must call store_cache_release before
 * closing the connection.
 */
#ifndef FH_STORE_CACHE_H
#define FH_STORE_CACHE_H

#include "db.h"

#include "store.h"

/* Keeps statements for st on this thread (releasing any kept for another). */
void store_cache_enable(fh_store *st);

/* Finalises this thread's kept statements. */
void store_cache_release(void);

/* The slots: one per cached query. */
enum store_cache_slot {
	CACHE_TOKEN_RESOLVE,
	CACHE_SESSION_RESOLVE,
	CACHE_PRINCIPAL_USER,
	CACHE_PRINCIPAL_GRANTS,
	CACHE_CASE_LOCATE,
	CACHE_CASE_ASSIGNED,
	CACHE_AUDIT_HEAD,
	CACHE_PING,
	CACHE_SLOTS
};

/*
 * A statement for sql, ready to bind: the kept one (reset, bindings cleared)
 * when the cache is on for st, else a new one.  Give it back with
 * store_cache_done, never sqlite3_finalize.
 */
fh_status store_cache_get(fh_store *st, enum store_cache_slot slot, const char *sql,
			  db_stmt **stmt, fh_error *err);

/* Resets a kept statement (so it holds no read lock), or finalises a new one. */
void store_cache_done(fh_store *st, enum store_cache_slot slot, db_stmt *stmt);

#endif
