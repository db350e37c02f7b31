/*
 * store_cache.c: per-thread kept statements for one connection.
 */
#include "store_cache.h"

#include <sqlite3.h>

#include "store_internal.h"

static _Thread_local struct {
	fh_store *st;
	db_stmt *stmts[CACHE_SLOTS];
} cache;

void store_cache_release(void)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		db_finalize(cache.stmts[i]);
		cache.stmts[i] = NULL;
	}
	cache.st = NULL;
}

void store_cache_enable(fh_store *st)
{
	if (cache.st != st)
		store_cache_release();
	cache.st = st;
}

fh_status store_cache_get(fh_store *st, enum store_cache_slot slot, const char *sql,
			  db_stmt **stmt, fh_error *err)
{
	if (cache.st != st)
		return store_prepare(st, sql, stmt, err);
	if (cache.stmts[slot]) {
		*stmt = cache.stmts[slot];
		db_clear_bindings(*stmt);
		return FH_OK;
	}
	if (db_prepare(st->db, sql, stmt) != DB_OK) {
		*stmt = NULL;
		return store_fail(st, "preparing a query", err);
	}
	cache.stmts[slot] = *stmt;
	db_keep(*stmt);
	return FH_OK;
}

void store_cache_done(fh_store *st, enum store_cache_slot slot, db_stmt *stmt)
{
	if (cache.st == st && cache.stmts[slot] == stmt)
		db_reset(stmt);
	else
		db_finalize(stmt);
}

void store_access_thread_cache(fh_store *st)
{
	store_cache_enable(st);
}

void store_access_thread_release(void)
{
	store_cache_release();
}

void store_threads_init(void)
{
	/* SQLite's memory statistics take a global lock on every allocation. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
