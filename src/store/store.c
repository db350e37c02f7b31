/*
 * store.c: opening a database, migrations, transactions (the audit chain is
 * store_event.c).
 *
 * A Fairhearing database is marked with its own SQLite application_id, so a
 * stray file (another program's database, a spreadsheet) is refused before
 * anything is written to it.  The schema version is the highest row of
 * schema_migrations, not PRAGMA user_version, so the history of upgrades is
 * kept and readable.
 */
#include "store_internal.h"

#include <assert.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calendar.h"
#include "procedure.h"
#include "migrations.h"
#include "store_cache.h"

/* "FHRG": marks a file as Fairhearing's. */
#define FH_APPLICATION_ID 0x46485247

/*
 * On PostgreSQL every writing transaction first takes this advisory lock:
 * writers then queue one at a time, across every server, as SQLite's
 * BEGIN IMMEDIATE makes them, which the audit chain (one head row, each
 * event hashed over the one before) and the reference counters rely on.
 */
#define FH_WRITE_LOCK "SELECT pg_advisory_xact_lock(1179144775)"

/* What marks a PostgreSQL database as Fairhearing's (a file has application_id). */
#define FH_PG_MARK "fairhearing"

bool store_is_postgresql(const fh_store *st)
{
	return db_engine_of(st->db) == DB_POSTGRESQL;
}

static const struct migration *migrations_for(const fh_store *st)
{
	return store_is_postgresql(st) ? store_pg_migrations : store_migrations;
}

fh_status store_fail(fh_store *st, const char *what, fh_error *err)
{
	int code = db_errcode(st->db);
	if (code == DB_CONSTRAINT)
		return error_set(err, FH_ECONFLICT, NULL, NULL, "%s: %s", what, db_errmsg(st->db));
	if (code == DB_BUSY)
		return error_set(err, FH_EBUSY, NULL, NULL, "%s: the database is busy (%s); try again",
				 what, db_errmsg(st->db));
	if (code == DB_NOTADB)
		return error_set(err, FH_ESCHEMA, "db", NULL, "%s: not a Fairhearing database", what);
	return error_set(err, FH_ESTORE, NULL, NULL, "%s: %s", what, db_errmsg(st->db));
}

fh_status store_prepare(fh_store *st, const char *sql, db_stmt **stmt, fh_error *err)
{
	if (db_prepare(st->db, sql, stmt) != DB_OK) {
		*stmt = NULL;
		return store_fail(st, "preparing a query", err);
	}
	return FH_OK;
}

fh_status store_stmt(fh_store *st, const char *sql, db_stmt **stmt, fh_error *err)
{
	for (size_t i = 0; i < st->n_stmts; i++) {
		struct store_cached_stmt *c = &st->stmts[i];
		if (!c->busy && !strcmp(c->sql, sql)) {
			c->busy = true;
			*stmt = c->stmt;
			return FH_OK;
		}
	}
	fh_status s = store_prepare(st, sql, stmt, err);
	if (!s && st->n_stmts < sizeof st->stmts / sizeof st->stmts[0]) {
		char *copy = strdup(sql);
		if (copy) {
			st->stmts[st->n_stmts++] = (struct store_cached_stmt){copy, *stmt, true};
			db_keep(*stmt);
		}
	}
	return s;
}

void store_stmt_done(fh_store *st, db_stmt *stmt)
{
	if (!stmt)
		return;
	for (size_t i = 0; i < st->n_stmts; i++) {
		if (st->stmts[i].stmt == stmt) {
			db_reset(stmt);
			db_clear_bindings(stmt);
			st->stmts[i].busy = false;
			return;
		}
	}
	db_finalize(stmt);
}

fh_status store_stmt_run(fh_store *st, db_stmt *stmt, const char *what, fh_error *err)
{
	fh_status s = db_step(stmt) == DB_DONE ? FH_OK : store_fail(st, what, err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_stmt_run_id(fh_store *st, db_stmt *stmt, const char *what, int64_t *id,
			    fh_error *err)
{
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		if (id)
			*id = db_column_int64(stmt, 0);
		rc = db_step(stmt);
	}
	fh_status s = rc == DB_DONE ? FH_OK : store_fail(st, what, err);
	store_stmt_done(st, stmt);
	return s;
}

void store_now(char buf[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static fh_status exec(fh_store *st, const char *sql, const char *what, fh_error *err)
{
	if (db_exec(st->db, sql) != DB_OK)
		return store_fail(st, what, err);
	return FH_OK;
}

int64_t store_query_int(fh_store *st, const char *sql)
{
	db_stmt *stmt;
	int64_t v = -1;
	if (db_prepare(st->db, sql, &stmt) != DB_OK)
		return -1;
	if (db_step(stmt) == DB_ROW)
		v = db_column_int64(stmt, 0);
	db_finalize(stmt);
	return v;
}

int store_latest_schema_version(void)
{
	return store_migration_count;
}

int store_schema_version(fh_store *st)
{
	const char *has_table = store_is_postgresql(st)
		? "SELECT count(*) FROM information_schema.tables"
		  " WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
		: "SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migrations'";
	if (store_query_int(st, has_table) != 1)
		return 0;
	return (int)store_query_int(st, "SELECT coalesce(max(version), 0) FROM schema_migrations");
}

/* Applies one migration in its own transaction, with its record. */
static fh_status migrate_one(fh_store *st, const struct migration *mig, fh_error *err)
{
	char now[21];
	store_now(now);
	bool pg = store_is_postgresql(st);
	if (exec(st, pg ? "BEGIN" : "BEGIN IMMEDIATE", "starting a migration", err))
		return FH_ESTORE;
	fh_status s = pg ? exec(st, FH_WRITE_LOCK, "waiting for other writers", err) : FH_OK;
	char what[96];
	snprintf(what, sizeof what, "applying migration %03d_%s", mig->version, mig->name);
	/* Another server starting at the same moment may have applied it. */
	if (!s && store_schema_version(st) >= mig->version)
		return exec(st, "COMMIT", what, err);
	if (!s && pg && mig->version == 1) {
		s = exec(st,
			 "CREATE TABLE schema_migrations ("
			 " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);"
			 " COMMENT ON TABLE schema_migrations IS '" FH_PG_MARK "'",
			 what, err);
	} else if (!s && mig->version == 1) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d", FH_APPLICATION_ID);
		s = exec(st,
			 "CREATE TABLE schema_migrations ("
			 " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL"
			 ") STRICT",
			 what, err);
		if (!s)
			s = exec(st, pragma, what, err);
	}
	if (!s)
		s = exec(st, mig->sql, what, err);
	if (!s) {
		db_stmt *stmt;
		s = store_prepare(st, "INSERT INTO schema_migrations (version, name, applied_at) "
				      "VALUES (?, ?, ?)", &stmt, err);
		if (!s) {
			db_bind_int(stmt, 1, mig->version);
			db_bind_text(stmt, 2, mig->name, -1);
			db_bind_text(stmt, 3, now, -1);
			if (db_step(stmt) != DB_DONE)
				s = store_fail(st, what, err);
			db_finalize(stmt);
		}
	}
	if (!s)
		s = exec(st, "COMMIT", what, err);
	if (s)
		db_exec(st->db, "ROLLBACK");
	return s;
}

/* Refuses files that are not ours, or that a newer Fairhearing wrote. */
/* A PostgreSQL database is ours when its schema_migrations table carries our mark. */
static fh_status check_pg_ownership(fh_store *st, const char *path, bool *fresh, fh_error *err)
{
	int64_t objects = store_query_int(st, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
				       " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()");
	int64_t ours = store_query_int(st, "SELECT count(*) FROM pg_description d JOIN pg_class c"
				    " ON c.oid = d.objoid JOIN pg_namespace n ON n.oid = c.relnamespace"
				    " WHERE n.nspname = current_schema()"
				    " AND c.relname = 'schema_migrations'"
				    " AND d.description = '" FH_PG_MARK "'");
	if (objects < 0 || ours < 0)
		return error_set(err, FH_ESTORE, "db", NULL, "cannot read %s: %s", path,
				 db_errmsg(st->db));
	*fresh = objects == 0;
	if (!*fresh && ours != 1)
		return error_set(err, FH_ESCHEMA, "db", NULL,
				 "%s is not a Fairhearing database (it holds another program's "
				 "tables); nothing was changed", path);
	return FH_OK;
}

fh_status store_check_ownership(fh_store *st, const char *path, bool *fresh, fh_error *err)
{
	if (store_is_postgresql(st)) {
		fh_status s = check_pg_ownership(st, path, fresh, err);
		if (s)
			return s;
	} else {
		int64_t app_id = store_query_int(st, "PRAGMA application_id");
		int64_t objects = store_query_int(st, "SELECT count(*) FROM sqlite_schema");
		if (app_id < 0 || objects < 0)
			return error_set(err, FH_ESCHEMA, "db", NULL,
					 "%s is not a Fairhearing database (not an SQLite file: %s)",
					 path, db_errmsg(st->db));
		*fresh = app_id == 0 && objects == 0;
		if (!*fresh && app_id != FH_APPLICATION_ID)
			return error_set(err, FH_ESCHEMA, "db", NULL,
					 "%s is not a Fairhearing database (it belongs to another "
					 "program); nothing was changed", path);
	}
	int version = store_schema_version(st);
	if (version > store_migration_count)
		return error_set(err, FH_ESCHEMA, "db", NULL,
				 "%s was written by a newer Fairhearing (schema version %d; this "
				 "program knows up to %d): upgrade Fairhearing; nothing was changed",
				 path, version, store_migration_count);
	return FH_OK;
}

fh_status store_open(const char *path, int flags, fh_store **out, fh_error *err)
{
	return store_open_version(path, flags, store_migration_count, out, err);
}

fh_status store_open_version(const char *path, int flags, int max_version, fh_store **out,
			     fh_error *err)
{
	*out = NULL;
	if (!path || !*path)
		return error_set(err, FH_EINVAL, "db", NULL, "a database path is required (--db PATH)");
	if (sodium_init() < 0)
		return error_set(err, FH_ESTORE, NULL, NULL, "libsodium failed to initialise");
	struct stat sb;
	bool url = db_target_is_url(path);
	bool exists = url || stat(path, &sb) == 0;
	if (!exists && !(flags & STORE_CREATE))
		return error_set(err, FH_ENOTFOUND, "db", NULL,
				 "no database at %s: create one with `fairhearing init --db %s`",
				 path, path);
	if (!url && exists && !S_ISREG(sb.st_mode))
		return error_set(err, FH_ESCHEMA, "db", NULL, "%s is not a file", path);

	fh_store *st = calloc(1, sizeof *st);
	if (!st)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	st->readonly = flags & STORE_READONLY;
	char why[300];
	if (db_open(path, st->readonly, flags & STORE_CREATE, &st->db, why, sizeof why) != DB_OK) {
		fh_status s;
		if (url && !(flags & STORE_CREATE))
			s = error_set(err, FH_ENOTFOUND, "db", NULL, "cannot open %s: %s (create it with "
				      "`fairhearing init --db URL`)", path, why);
		else
			s = error_set(err, FH_ESTORE, "db", NULL, "cannot open %s: %s", path, why);
		store_close(st);
		return s;
	}

	bool fresh = false;
	fh_status s = store_check_ownership(st, path, &fresh, err);
	/* WAL lets readers go on while one writer writes; synchronous=FULL makes
	 * each commit durable before it is acknowledged. */
	if (!s && !st->readonly && !url)
		s = exec(st, "PRAGMA journal_mode = WAL", "setting WAL mode", err);
	if (!s && !url)
		s = exec(st, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", "configuring", err);
	if (!s && !st->readonly) {
		for (int v = store_schema_version(st); !s && v < max_version; v++)
			s = migrate_one(st, &migrations_for(st)[v], err);
		if (!s)
			s = store_report_projection_ready(st, err);
	} else if (!s && !(flags & STORE_AS_IS) &&
		   store_schema_version(st) < store_migration_count) {
		s = error_set(err, FH_ESCHEMA, "db", NULL,
			      "%s needs upgrading: run `fairhearing init --db %s`", path, path);
	}
	if (s) {
		store_close(st);
		return s;
	}
	*out = st;
	return FH_OK;
}

void store_close(fh_store *st)
{
	if (!st)
		return;
	calendar_free(st->cached_calendar);
	calendar_free(st->cached_calendar_working);
	for (size_t i = 0; i < st->procedures.count; i++)
		procedure_free(st->procedures.procs[i]);
	for (size_t i = 0; i < st->n_stmts; i++) {
		db_finalize(st->stmts[i].stmt);
		free(st->stmts[i].sql);
	}
	db_close(st->db);
	free(st);
}

/* ---- transactions -------------------------------------------------------- */

static fh_status begin(fh_store *st, bool queue, fh_error *err)
{
	if (st->depth > 0)
		return error_set(err, FH_ECONFLICT, NULL, NULL, "a transaction is already open");
	bool pg = store_is_postgresql(st);
	if (exec(st, pg ? "BEGIN" : "BEGIN IMMEDIATE", "starting a transaction", err))
		return FH_ESTORE;
	if (pg && queue && exec(st, FH_WRITE_LOCK, "waiting for other writers", err)) {
		db_exec(st->db, "ROLLBACK");
		return FH_ESTORE;
	}
	st->depth = 1;
	return FH_OK;
}

fh_status store_begin(fh_store *st, fh_error *err)
{
	return begin(st, true, err);
}

fh_status store_begin_append(fh_store *st, fh_error *err)
{
	return begin(st, false, err);
}

fh_status store_commit(fh_store *st, fh_error *err)
{
	assert(st->depth == 1);
	if (exec(st, "COMMIT", "committing", err)) {
		store_rollback(st);
		return FH_ESTORE;
	}
	st->depth = 0;
	return FH_OK;
}

void store_rollback(fh_store *st)
{
	if (st->depth > 0)
		db_exec(st->db, "ROLLBACK");
	st->depth = 0;
}

fh_status store_savepoint(fh_store *st, fh_error *err)
{
	assert(st->depth == 1);
	if (exec(st, "SAVEPOINT fh_change", "marking a change", err))
		return FH_ESTORE;
	st->depth = 2;
	return FH_OK;
}

fh_status store_savepoint_end(fh_store *st, bool keep, fh_error *err)
{
	assert(st->depth == 2);
	st->depth = 1;
	if (!keep) {
		if (exec(st, "ROLLBACK TO fh_change", "undoing a change", err))
			return FH_ESTORE;
		/* What the handle kept from inside the undone change (a procedure
		 * parsed at an id that is now free again) must not outlive it. */
		for (size_t i = 0; i < st->procedures.count; i++)
			procedure_free(st->procedures.procs[i]);
		st->procedures.count = 0;
		st->procedures.org[0] = '\0';
		calendar_free(st->cached_calendar);
		st->cached_calendar = NULL;
		calendar_free(st->cached_calendar_working);
		st->cached_calendar_working = NULL;
		st->cached_calendar_key[0] = '\0';
	}
	return exec(st, "RELEASE fh_change", "keeping a change", err);
}

fh_status store_temp_in_memory(fh_store *st, fh_error *err)
{
	if (store_is_postgresql(st))
		return FH_OK;
	return exec(st, "PRAGMA temp_store = MEMORY", "keeping temporary files in memory", err);
}

static int count_wal(void *arg, struct sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	((fh_store *)arg)->wal_pages = pages;
	return DB_OK;
}

void store_defer_checkpoints(fh_store *st)
{
	/* A WAL hook replaces SQLite's automatic checkpoint (which is one). */
	if (db_sqlite(st->db))
		sqlite3_wal_hook(db_sqlite(st->db), count_wal, st);
}

void store_checkpoint_if_due(fh_store *st)
{
	if (st->wal_pages < 1000)
		return;
	/* PASSIVE: copies what no reader still needs, never waits for one;
	 * a later call finishes the rest.  A failure leaves the WAL longer. */
	sqlite3_wal_checkpoint_v2(db_sqlite(st->db), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	st->wal_pages = 0;
}

bool store_tx_lost(fh_store *st)
{
	return st->depth > 0 && db_autocommit(st->db);
}

fh_status store_tx_begin(fh_store *st, bool *opened, fh_error *err)
{
	*opened = false;
	if (st->readonly)
		return error_set(err, FH_ESTORE, "db", NULL, "the database was opened read-only");
	if (st->depth > 0)
		return FH_OK;
	fh_status s = store_begin(st, err);
	*opened = s == FH_OK;
	return s;
}

fh_status store_tx_begin_at(fh_store *st, bool *opened, char now[21], fh_error *err)
{
	fh_status s = store_tx_begin(st, opened, err);
	if (!s)
		store_now(now);
	return s;
}

fh_status store_tx_stmt(fh_store *st, bool *opened, char *now, const char *sql, db_stmt **stmt,
			fh_error *err)
{
	fh_status s = now ? store_tx_begin_at(st, opened, now, err) : store_tx_begin(st, opened, err);
	if (s)
		return s;
	s = store_stmt(st, sql, stmt, err);
	return s ? store_tx_end(st, *opened, s, err) : FH_OK;
}

fh_status store_tx_end(fh_store *st, bool opened, fh_status status, fh_error *err)
{
	if (!opened)
		return status;
	if (status != FH_OK) {
		store_rollback(st);
		return status;
	}
	return store_commit(st, err);
}

fh_status store_ping(fh_store *st, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_cache_get(st, CACHE_PING, "SELECT count(*) FROM audit_head", &stmt,
				      err);
	if (s)
		return s;
	if (db_step(stmt) != DB_ROW)
		s = store_fail(st, "checking the database", err);
	store_cache_done(st, CACHE_PING, stmt);
	return s;
}
