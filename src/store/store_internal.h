/*
 * store_internal: what the store_*.c files share and nothing else sees.
 */
#ifndef FH_STORE_INTERNAL_H
#define FH_STORE_INTERNAL_H

#include "db.h"

#include "store.h"

struct fh_store {
	db_conn *db;
	int depth;       /* > 0 while a transaction is open */
	int wal_pages;   /* the WAL's length after this connection's last commit,
			    when its checkpoints are deferred (store_defer_checkpoints) */
	bool readonly;
	/* The hash version new events take: 2 once the schema has event_salts
	 * (migration 018), 1 in an older schema; 0 until the first append. */
	int event_version;
	/* The last organisation calendar built, and the fingerprint of the
	 * closure days and imported holidays it was built from: building one
	 * costs far more than an action, and it changes only when an
	 * administrator edits those tables. */
	struct fh_calendar *cached_calendar;
	/* the same region without the closure days: the working days every
	 * statutory clock counts (reg 2 of SI 2006/1738) */
	struct fh_calendar *cached_calendar_working;
	char cached_calendar_key[160];
	/* Prepared statements kept for reuse (store_stmt): parsing SQL costs
	 * more than running these small statements. */
	struct store_cached_stmt {
		char *sql;
		db_stmt *stmt;
		bool busy;
	} stmts[96];
	size_t n_stmts;
	/* The last organisation's parsed procedures, and the newest installed
	 * procedure id they were read at (installing one moves it). */
	struct {
		char org[40];
		int64_t newest_id;
		struct fh_procedure *procs[16];
		size_t count;
	} procedures;
};

/*
 * Prepares sql (one statement) on st; FH_ESTORE with SQLite's words when it
 * fails.  The caller finalises the statement.
 */
fh_status store_prepare(fh_store *st, const char *sql, db_stmt **stmt, fh_error *err);

/*
 * Like store_prepare, but the statement comes from (and goes back to) the
 * handle's cache: give it back with store_stmt_done, never finalise it.
 * The same SQL may be in use twice (a nested query): the second gets a
 * statement of its own, which store_stmt_done then finalises.
 */
fh_status store_stmt(fh_store *st, const char *sql, db_stmt **stmt, fh_error *err);
void store_stmt_done(fh_store *st, db_stmt *stmt);

/*
 * Steps a statement from store_stmt that returns no rows to its end and
 * gives it back; FH_ESTORE (or FH_ECONFLICT) saying `what` when it fails.
 */
fh_status store_stmt_run(fh_store *st, db_stmt *stmt, const char *what, fh_error *err);

/*
 * store_stmt_run for an INSERT ... RETURNING id (the portable way to learn a
 * new row's id): *id from its row (untouched when the statement returns none).
 */
fh_status store_stmt_run_id(fh_store *st, db_stmt *stmt, const char *what, int64_t *id,
			    fh_error *err);

/*
 * store_begin for a transaction that only appends rows numbered by the
 * database (the access log): on PostgreSQL it does not queue behind the
 * writers' lock, which guards the audit chain and the reference counters
 * it does not touch; SQLite has one writer at a time whatever the rows.
 */
fh_status store_begin_append(fh_store *st, fh_error *err);

/* True when the handle is on PostgreSQL (some SQL has a dialect of its own). */
bool store_is_postgresql(const fh_store *st);

/* FH_ESTORE (or FH_ECONFLICT for a constraint) with SQLite's current message. */
fh_status store_fail(fh_store *st, const char *what, fh_error *err);

/*
 * Opens a transaction unless the caller already has one; tx_end commits
 * (status FH_OK) or rolls back, but only when tx_begin opened it.
 */
fh_status store_tx_begin(fh_store *st, bool *opened, fh_error *err);
fh_status store_tx_end(fh_store *st, bool opened, fh_status status, fh_error *err);

/*
 * store_tx_begin, and the time the change is made (store_now) into now:
 * the start of a change that stamps its rows.
 */
fh_status store_tx_begin_at(fh_store *st, bool *opened, char now[21], fh_error *err);

/*
 * store_tx_begin (store_tx_begin_at when now is not NULL), then store_stmt(sql)
 * in that transaction: the start of a change whose first step is one
 * statement.  On failure the transaction is ended (nothing is left open) and
 * the status returned; on FH_OK the caller gives the statement back and ends
 * the transaction.
 */
fh_status store_tx_stmt(fh_store *st, bool *opened, char *now, const char *sql, db_stmt **stmt,
			fh_error *err);

/*
 * store_tx_begin, then store_case_locate in that transaction: the start of
 * every change to one case.  On failure the transaction is ended (nothing
 * is left open) and the status returned; on FH_OK the caller ends it.
 */
fh_status store_tx_begin_case(fh_store *st, const char *reference, bool *opened,
			      int64_t *case_id, int64_t *org_id, fh_error *err);

/*
 * store_tx_begin, then store_org_get(code) in that transaction: the start of
 * a change to one organisation or to what it holds.  On failure the
 * transaction is ended and the status returned; on FH_OK the caller ends it.
 * *org points into arena either way, which the caller frees.
 */
fh_status store_tx_begin_org(fh_store *st, const char *code, bool *opened, fh_arena *arena,
			     fh_org *org, fh_error *err);

/*
 * store_tx_begin_case, then store_person_on_case: the start of every change
 * to what one party to a case has (consent, access needs, advocacy).  On
 * failure the transaction is ended and the status returned; on FH_OK the
 * caller ends it.
 */
fh_status store_tx_begin_party(fh_store *st, const char *reference, int64_t person_id,
			       bool *opened, int64_t *case_id, int64_t *org_id, fh_error *err);

/* FH_OK when person_id is a party to case_id, FH_ENOTFOUND (field person_id) if not. */
fh_status store_person_on_case(fh_store *st, int64_t case_id, int64_t person_id, fh_error *err);

/*
 * The monitoring report's projections of one case (migration 009_report:
 * report_stages, report_extensions, report_ombudsman), rewritten from its
 * lifecycle state after case_stages, findings and case_assignments have
 * been: called by project() in store_lifecycle.c, in its transaction.
 */
struct json_t;
fh_status store_report_project(fh_store *st, int64_t case_id, const struct json_t *state,
			       fh_error *err);

/*
 * Builds those projections for every case when report_projection.built is
 * 0 (a database upgraded to them), in one transaction, and sets it to 1;
 * nothing when the table is not there (an older schema) or built is 1.
 */
fh_status store_report_projection_ready(fh_store *st, fh_error *err);

/* Looks up an organisation's id by code: FH_ENOTFOUND naming the field "org". */
fh_status store_org_id(fh_store *st, const char *code, int64_t *id, fh_error *err);

/*
 * Steps sql (a row of organisations, the code bound at 1) to its row: FH_OK
 * with *stmt on it, for the caller to read and give back with
 * store_stmt_done; FH_ENOTFOUND naming the field "org" when there is no
 * such organisation; store_fail(what) otherwise.  On failure the statement
 * is given back already.
 */
fh_status store_org_row(fh_store *st, const char *sql, const char *code, const char *what,
			db_stmt **stmt, fh_error *err);

/* A user's id by email: FH_ENOTFOUND naming `field`. */
fh_status store_user_id(fh_store *st, const char *email, const char *field, int64_t *id,
			fh_error *err);

/* A team's id by name in an organisation: FH_ENOTFOUND naming the field "team". */
fh_status store_team_lookup(fh_store *st, int64_t org_id, const char *name, int64_t *id,
			    fh_error *err);

/*
 * store_open, but migrating no further than max_version: the tests use it to
 * build a database as an earlier release left it, then upgrade it.
 */
fh_status store_open_version(const char *path, int flags, int max_version, fh_store **out,
			     fh_error *err);

/*
 * Writes a newly recorded case's first lifecycle state and deadlines (its
 * acknowledgement clock runs from receipt), inside the caller's transaction.
 */
fh_status store_lifecycle_seed(fh_store *st, int64_t case_id, const char *org_code,
			       const char *kind, fh_date received_on, fh_error *err);

/*
 * Refuses a file that is not a Fairhearing database or that a newer
 * Fairhearing wrote; *fresh says it is an empty SQLite file (a new one).
 */
fh_status store_check_ownership(fh_store *st, const char *path, bool *fresh, fh_error *err);

/* One integer from a query without parameters; -1 when it fails. */
int64_t store_query_int(fh_store *st, const char *sql);

/* The current UTC time as YYYY-MM-DDTHH:MM:SSZ. */
void store_now(char buf[21]);

#endif
