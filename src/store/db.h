/*
 * db: the one place the store meets a database engine.
 *
 * The store's SQL runs on SQLite (a file: the embedded default) or on
 * PostgreSQL (a postgresql:// URL: several servers over one database).
 * This layer keeps SQLite's statement model (prepare, bind, step, read
 * columns, reset) for both, so the store's code is written once: on
 * PostgreSQL a statement runs when it is first stepped and its rows are
 * then read one by one from the result.
 *
 * SQL is written with `?` or `?N` parameters; for PostgreSQL they become
 * $N.  Status codes and column types keep SQLite's numbers, so a caller can
 * compare with DB_ROW, DB_DONE and DB_CONSTRAINT whichever engine answered.
 */
#ifndef FH_DB_H
#define FH_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db_conn db_conn;
typedef struct db_stmt db_stmt;

enum {
	DB_OK = 0,
	DB_ERROR = 1,
	DB_BUSY = 5,
	DB_NOMEM = 7,
	DB_READONLY = 8,
	DB_CORRUPT = 11,
	DB_CANTOPEN = 14,
	DB_CONSTRAINT = 19,
	DB_NOTADB = 26,
	DB_ROW = 100,
	DB_DONE = 101,
};

enum db_type { DB_INTEGER = 1, DB_FLOAT = 2, DB_TEXT = 3, DB_BLOB = 4, DB_NULL = 5 };

enum db_engine { DB_SQLITE, DB_POSTGRESQL };

/* True when target names a PostgreSQL database (postgresql:// or postgres://). */
bool db_target_is_url(const char *target);

/*
 * Opens a connection: a SQLite file at path (created when create is set), or
 * a PostgreSQL URL.  For a URL whose database does not exist yet and create
 * set, the database is made first (through the server's `postgres`
 * database).  On failure *out is NULL and why holds the engine's words.
 */
int db_open(const char *target, bool readonly, bool create, db_conn **out, char *why, size_t why_len);
void db_close(db_conn *conn);
enum db_engine db_engine_of(const db_conn *conn);

/* Runs one or more statements without parameters or rows. */
int db_exec(db_conn *conn, const char *sql);

/*
 * On PostgreSQL, while on and inside a transaction: an INSERT, UPDATE or
 * DELETE without RETURNING is sent ahead in libpq's pipeline and its step
 * answers DB_DONE at once; its real answer is read with the next statement
 * that waits (one with rows, COMMIT, db_changes, db_flush), which reports
 * the first failure among them, and every later statement fails with it
 * until ROLLBACK (or ROLLBACK TO).  SAVEPOINT and RELEASE always go ahead
 * inside a transaction.  Only for callers that treat any failure as the
 * failure of the whole change (one is rolled back, whichever statement it
 * was).  Nothing changes on SQLite.
 */
void db_defer_writes(db_conn *conn, bool on);
/* Waits for every statement sent ahead; the first failure among them. */
int db_flush(db_conn *conn);

int db_prepare(db_conn *conn, const char *sql, db_stmt **out);
/*
 * Marks a statement that will be kept and run many times (a cache's): on
 * PostgreSQL it is then prepared on the server at its second run.  Others
 * are parsed at each run, which costs one round trip, not three (prepare,
 * run, deallocate) for a statement run only a few times before it goes.
 */
void db_keep(db_stmt *stmt);
int db_bind_int64(db_stmt *stmt, int index, int64_t value);
int db_bind_int(db_stmt *stmt, int index, int value);
int db_bind_double(db_stmt *stmt, int index, double value);
/* Text and blobs are copied: the caller's buffer may go at once. */
int db_bind_text(db_stmt *stmt, int index, const char *text, int len);
int db_bind_blob(db_stmt *stmt, int index, const void *data, size_t len);
int db_bind_null(db_stmt *stmt, int index);
int db_bind_parameter_count(db_stmt *stmt);
int db_step(db_stmt *stmt);
int db_reset(db_stmt *stmt);
int db_clear_bindings(db_stmt *stmt);
int db_finalize(db_stmt *stmt);

int db_column_count(db_stmt *stmt);
int db_column_type(db_stmt *stmt, int col);
int64_t db_column_int64(db_stmt *stmt, int col);
int db_column_int(db_stmt *stmt, int col);
double db_column_double(db_stmt *stmt, int col);
/* NULL for a NULL column; valid until the next step, reset or finalize. */
const unsigned char *db_column_text(db_stmt *stmt, int col);
const void *db_column_blob(db_stmt *stmt, int col);
int db_column_bytes(db_stmt *stmt, int col);

/* Rows changed by the connection's last INSERT, UPDATE or DELETE. */
int64_t db_changes(db_conn *conn);
/* The engine's message and status for the connection's last failure. */
const char *db_errmsg(db_conn *conn);
int db_errcode(db_conn *conn);
/* True when no transaction is open on the connection. */
bool db_autocommit(db_conn *conn);

/* The SQLite handle under conn (NULL for PostgreSQL): backups and WAL control. */
struct sqlite3 *db_sqlite(db_conn *conn);

#endif
