/*
 * store.c: opening a database, migrations, transactions, the audit chain.
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
#include "hashchain.h"
#include "procedure.h"
#include "migrations.h"

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

int store_bind_text(db_stmt *stmt, int index, const char *s)
{
	return s ? db_bind_text(stmt, index, s, -1)
		 : db_bind_null(stmt, index);
}

const char *store_column_text(db_stmt *stmt, int col, fh_arena *arena)
{
	const unsigned char *s = db_column_text(stmt, col);
	return arena_strndup(arena, s ? (const char *)s : "",
			     s ? (size_t)db_column_bytes(stmt, col) : 0);
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

/* One integer from a query without parameters; -1 when it fails. */
static int64_t query_int(fh_store *st, const char *sql)
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
	if (query_int(st, has_table) != 1)
		return 0;
	return (int)query_int(st, "SELECT coalesce(max(version), 0) FROM schema_migrations");
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
	int64_t objects = query_int(st, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
				       " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()");
	int64_t ours = query_int(st, "SELECT count(*) FROM pg_description d JOIN pg_class c"
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
		int64_t app_id = query_int(st, "PRAGMA application_id");
		int64_t objects = query_int(st, "SELECT count(*) FROM sqlite_schema");
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

/* ---- the audit chain ----------------------------------------------------- */

fh_status store_event_append(fh_store *st, int64_t org_id, int64_t case_id,
			     const char *actor, const char *action, const char *reason,
			     const char *effective_on, const char *data, fh_error *err)
{
	assert(st->depth > 0);
	if (!actor || !*actor)
		return error_set(err, FH_EINVAL, "actor", NULL, "every change names who made it");
	db_stmt *stmt;
	fh_status s = store_stmt(st,
		"SELECT h.last_id, h.last_hash,"
		" (SELECT code FROM organisations WHERE id = ?1),"
		" (SELECT reference FROM cases WHERE id = ?2),"
		" (SELECT coalesce(max(seq), 0) + 1 FROM events WHERE case_id = ?2)"
		" FROM audit_head h WHERE h.id = 1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	db_bind_int64(stmt, 2, case_id);
	if (db_step(stmt) != DB_ROW) {
		s = store_fail(st, "reading the audit head", err);
		store_stmt_done(st, stmt);
		return s;
	}
	uint8_t prev[HASHCHAIN_BYTES], hash[HASHCHAIN_BYTES];
	bool has_prev = db_column_bytes(stmt, 1) == HASHCHAIN_BYTES;
	if (has_prev)
		memcpy(prev, db_column_blob(stmt, 1), HASHCHAIN_BYTES);
	char org_code[40] = "", reference[FH_REFERENCE_MAX] = "";
	if (db_column_type(stmt, 2) == DB_TEXT)
		snprintf(org_code, sizeof org_code, "%s", db_column_text(stmt, 2));
	if (db_column_type(stmt, 3) == DB_TEXT)
		snprintf(reference, sizeof reference, "%s", db_column_text(stmt, 3));
	hashchain_event ev = {
		.id = db_column_int64(stmt, 0) + 1,
		.org_code = org_code,
		.reference = reference,
		.seq = case_id ? db_column_int64(stmt, 4) : 0,
		.actor = actor,
		.action = action,
		.reason = reason ? reason : "",
		.effective_on = effective_on ? effective_on : "",
		.data = data ? data : "{}",
	};
	store_stmt_done(st, stmt);
	if ((org_id && !*org_code) || (case_id && !*reference))
		return error_set(err, FH_ENOTFOUND, NULL, NULL, "an event for a missing %s",
				 case_id && !*reference ? "case" : "organisation");
	char at[21];
	store_now(at);
	ev.at = at;
	/* version 2: the chain takes a salted digest of the content, so that
	 * retention can erase the content later (hashchain.h); a schema from
	 * before migration 018 has nowhere to keep the salt */
	if (!st->event_version)
		st->event_version = query_int(st, store_is_postgresql(st)
			? "SELECT count(*) FROM information_schema.tables"
			  " WHERE table_schema = current_schema() AND table_name = 'event_salts'"
			: "SELECT count(*) FROM sqlite_schema WHERE name = 'event_salts'") ? 2 : 1;
	uint8_t salt[HASHCHAIN_SALT_BYTES], digest[HASHCHAIN_BYTES];
	randombytes_buf(salt, sizeof salt);
	hashchain_content_digest(salt, ev.reason, ev.data, digest);
	ev.version = st->event_version;
	ev.content_digest = digest;
	hashchain_hash(has_prev ? prev : NULL, &ev, hash);

	s = store_stmt(st, ev.version == 2
		? "INSERT INTO events (id, org_id, case_id, seq, at, effective_on, actor, action,"
		  " reason, data, hash, hash_version, content_digest)"
		  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2, ?)"
		: "INSERT INTO events (id, org_id, case_id, seq, at, effective_on, actor, action,"
		  " reason, data, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, ev.id);
	if (org_id)
		db_bind_int64(stmt, 2, org_id);
	if (case_id) {
		db_bind_int64(stmt, 3, case_id);
		db_bind_int64(stmt, 4, ev.seq);
	}
	db_bind_text(stmt, 5, ev.at, -1);
	db_bind_text(stmt, 6, ev.effective_on, -1);
	db_bind_text(stmt, 7, ev.actor, -1);
	db_bind_text(stmt, 8, ev.action, -1);
	db_bind_text(stmt, 9, ev.reason, -1);
	db_bind_text(stmt, 10, ev.data, -1);
	db_bind_blob(stmt, 11, hash, sizeof hash);
	if (ev.version == 2)
		db_bind_blob(stmt, 12, digest, sizeof digest);
	if (db_step(stmt) != DB_DONE)
		s = store_fail(st, "appending an event", err);
	store_stmt_done(st, stmt);
	if (!s && ev.version == 2 &&
	    !(s = store_stmt(st, "INSERT INTO event_salts (event_id, salt) VALUES (?, ?)", &stmt,
			     err))) {
		db_bind_int64(stmt, 1, ev.id);
		db_bind_blob(stmt, 2, salt, sizeof salt);
		s = store_stmt_run(st, stmt, "keeping an event's salt", err);
	}
	if (s)
		return s;

	s = store_stmt(st, "UPDATE audit_head SET event_count = event_count + 1, last_id = ?,"
			      " last_hash = ? WHERE id = 1", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, ev.id);
	db_bind_blob(stmt, 2, hash, sizeof hash);
	if (db_step(stmt) != DB_DONE)
		s = store_fail(st, "moving the audit head", err);
	store_stmt_done(st, stmt);
	return s;
}

static fh_status audit_bad(store_audit_report *report, int64_t id, fh_error *err,
			   const char *what)
{
	report->first_bad_event = id;
	return error_set(err, FH_EINTEGRITY, NULL, NULL, "%s", what);
}

/*
 * A version 2 event's content (columns 13-16 of store_audit_verify's query):
 * kept, its text must give its stored digest under its salt; erased, it must
 * hold no text and no salt, and the stored digest stands for it.  Points
 * ev->content_digest at digest or the stored one; NULL when all is well,
 * else what is wrong.
 */
static const char *audit_content(db_stmt *stmt, hashchain_event *ev,
				 uint8_t digest[HASHCHAIN_BYTES])
{
	ev->version = db_column_int(stmt, 13);
	if (ev->version < 2)
		return NULL;
	if (db_column_bytes(stmt, 14) != HASHCHAIN_BYTES)
		return "has no content digest";
	const uint8_t *stored = db_column_blob(stmt, 14);
	bool has_salt = db_column_bytes(stmt, 16) == HASHCHAIN_SALT_BYTES;
	if (db_column_int(stmt, 15)) {
		if (*ev->reason || strcmp(ev->data, "{}") != 0 || has_salt)
			return "is marked erased but still holds content";
		memcpy(digest, stored, HASHCHAIN_BYTES);
	} else {
		if (!has_salt)
			return "lost its salt: its content cannot be checked";
		hashchain_content_digest(db_column_blob(stmt, 16), ev->reason, ev->data,
					 digest);
		if (memcmp(digest, stored, HASHCHAIN_BYTES) != 0)
			return "does not match its content digest: its reason or data was altered";
	}
	ev->content_digest = digest;
	return NULL;
}

fh_status store_audit_verify(fh_store *st, store_audit_report *report, fh_error *err)
{
	memset(report, 0, sizeof *report);
	db_stmt *stmt;
	fh_status s = store_prepare(st,
		"SELECT e.id, coalesce(o.code, ''), coalesce(c.reference, ''), coalesce(e.seq, 0),"
		" e.at, e.effective_on, e.actor, e.action, e.reason, e.data, e.hash,"
		" e.org_id IS NOT NULL AND o.id IS NULL, e.case_id IS NOT NULL AND c.id IS NULL,"
		" e.hash_version, e.content_digest, e.erased_on IS NOT NULL, x.salt"
		" FROM events e LEFT JOIN organisations o ON o.id = e.org_id"
		" LEFT JOIN cases c ON c.id = e.case_id"
		" LEFT JOIN event_salts x ON x.event_id = e.id ORDER BY e.id", &stmt, err);
	if (s)
		return s;
	uint8_t prev[HASHCHAIN_BYTES], hash[HASHCHAIN_BYTES];
	bool has_prev = false;
	int64_t expected_id = 1;
	int rc;
	char msg[160];
	while ((rc = db_step(stmt)) == DB_ROW) {
		hashchain_event ev = {
			.id = db_column_int64(stmt, 0),
			.org_code = (const char *)db_column_text(stmt, 1),
			.reference = (const char *)db_column_text(stmt, 2),
			.seq = db_column_int64(stmt, 3),
			.at = (const char *)db_column_text(stmt, 4),
			.effective_on = (const char *)db_column_text(stmt, 5),
			.actor = (const char *)db_column_text(stmt, 6),
			.action = (const char *)db_column_text(stmt, 7),
			.reason = (const char *)db_column_text(stmt, 8),
			.data = (const char *)db_column_text(stmt, 9),
		};
		if (ev.id != expected_id) {
			snprintf(msg, sizeof msg, "event %lld is missing (the log jumps to %lld)",
				 (long long)expected_id, (long long)ev.id);
			s = audit_bad(report, expected_id, err, msg);
			break;
		}
		if (db_column_int(stmt, 11) || db_column_int(stmt, 12)) {
			snprintf(msg, sizeof msg, "event %lld names an organisation or case that "
				 "was removed", (long long)ev.id);
			s = audit_bad(report, ev.id, err, msg);
			break;
		}
		uint8_t digest[HASHCHAIN_BYTES];
		const char *content = audit_content(stmt, &ev, digest);
		if (content) {
			snprintf(msg, sizeof msg, "event %lld %s", (long long)ev.id, content);
			s = audit_bad(report, ev.id, err, msg);
			break;
		}
		hashchain_hash(has_prev ? prev : NULL, &ev, hash);
		if (db_column_bytes(stmt, 10) != HASHCHAIN_BYTES ||
		    memcmp(hash, db_column_blob(stmt, 10), HASHCHAIN_BYTES) != 0) {
			snprintf(msg, sizeof msg, "event %lld does not match its hash: it, or one "
				 "before it, was altered", (long long)ev.id);
			s = audit_bad(report, ev.id, err, msg);
			break;
		}
		memcpy(prev, hash, sizeof prev);
		has_prev = true;
		expected_id++;
		report->events_checked++;
	}
	if (!s && rc != DB_DONE)
		s = store_fail(st, "reading the events", err);
	db_finalize(stmt);
	if (s)
		return s;

	s = store_prepare(st, "SELECT event_count, last_id, last_hash FROM audit_head WHERE id = 1",
			  &stmt, err);
	if (s)
		return s;
	if (db_step(stmt) != DB_ROW) {
		db_finalize(stmt);
		return audit_bad(report, expected_id, err, "the audit head is missing");
	}
	bool head_ok = db_column_int64(stmt, 0) == report->events_checked &&
		       db_column_int64(stmt, 1) == expected_id - 1 &&
		       (has_prev ? db_column_bytes(stmt, 2) == HASHCHAIN_BYTES &&
					   memcmp(prev, db_column_blob(stmt, 2), HASHCHAIN_BYTES) == 0
				 : db_column_type(stmt, 2) == DB_NULL);
	int64_t head_count = db_column_int64(stmt, 0);
	db_finalize(stmt);
	if (!head_ok) {
		snprintf(msg, sizeof msg, "the log ends at event %lld but %lld events were "
			 "recorded: the newest were removed or the head was altered",
			 (long long)(expected_id - 1), (long long)head_count);
		return audit_bad(report, expected_id, err, msg);
	}

	/* Every case begins with its 'recorded' event and numbers its events
	 * 1, 2, 3...: a case row slipped in without history shows here. */
	int64_t orphan = query_int(st,
		"SELECT coalesce(min(c.id), 0) FROM cases c WHERE NOT EXISTS"
		" (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.seq = 1"
		"  AND e.action = 'recorded')");
	int64_t gappy = query_int(st,
		"SELECT coalesce(min(case_id), 0) FROM (SELECT case_id FROM events"
		" WHERE case_id IS NOT NULL GROUP BY case_id HAVING count(*) != max(seq)) AS g");
	if (orphan || gappy) {
		snprintf(msg, sizeof msg, "case id %lld has no complete history of events",
			 (long long)(orphan ? orphan : gappy));
		report->first_bad_event = 0;
		return error_set(err, FH_EINTEGRITY, NULL, NULL, "%s", msg);
	}
	return FH_OK;
}
