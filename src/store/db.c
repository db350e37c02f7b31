/*
 * db.c: SQLite and PostgreSQL behind SQLite's statement model (db.h).
 *
 * SQLite calls pass straight through.  On PostgreSQL a statement is sent
 * when it is first stepped; its whole result comes back at once and later
 * steps walk its rows, so a caller may run another statement while one is
 * still being read (the store nests queries).  A statement executed a second
 * time is prepared on the server, so the store's cached statements are
 * parsed and planned once per connection, as on SQLite.
 *
 * Inside a transaction a caller may ask (db_defer_writes) that statements
 * which return no rows be sent ahead: libpq's pipeline mode queues them on
 * the connection without waiting for their answers, and the next statement
 * that must wait (one that returns rows, a COMMIT, db_changes) goes in the
 * same pipeline and reads every answer in order, so a case's writes cost one
 * round trip with the read or commit that follows them instead of one each.
 * The first failure among them is the failure of that waiting statement;
 * PostgreSQL skips the rest, the transaction is left aborted, and every
 * later statement fails with that first message until the caller rolls back.
 *
 * Parameter values travel as text, except blobs (binary bytea).  Integers
 * are declared int8, so `x = ?` compares as numbers; text and NULL are
 * declared unknown, so the server infers their type from where they stand,
 * which is closest to SQLite's loose typing.
 */
#include "db.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At most this many statements wait for their answers at once. */
#define DB_PIPELINE_MAX 64

/* PostgreSQL's type oids (pg_type.h is server-side only). */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25,
       OID_OID = 26, OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

struct db_conn {
	enum db_engine engine;
	sqlite3 *lite;
	PGconn *pg;
	int errcode;
	int64_t changes;
	unsigned long statements_named;
	const char *trace_sql;  /* the statement being sent, for the trace */
	bool tx_open;           /* a BEGIN was sent and no COMMIT or ROLLBACK since */
	unsigned generation;    /* moves when the connection is re-established */
	/* statements sent ahead in pipeline mode (db_defer_writes) */
	bool defer;             /* rowless statements in a transaction go ahead */
	bool piped;             /* libpq is in pipeline mode */
	bool failed;            /* one sent ahead failed: errmsg says why, until a rollback */
	int pending;            /* sent ahead, answers not yet read */
	struct pg_ahead {
		db_stmt *prepared;  /* a PQsendPrepare for this statement, or NULL */
		char sql[120];      /* its start, for FAIRHEARING_TRACE_SQL_ERRORS */
	} ahead[DB_PIPELINE_MAX];
	char errmsg[512];
};

struct pg_param {
	char *value;    /* NULL: SQL NULL */
	int len;
	Oid type;
	bool binary;
};

struct db_stmt {
	db_conn *conn;
	sqlite3_stmt *lite;
	/* PostgreSQL */
	char *sql;              /* with $N parameters */
	int nparams;
	uint64_t used;          /* the parameters the SQL names (the first 64) */
	struct pg_param *params;
	PGresult *res;
	int row, nrows;
	unsigned runs;          /* executions so far: the second one prepares */
	bool rowless;           /* INSERT, UPDATE or DELETE without RETURNING */
	bool sent_ahead;        /* sent in a pipeline; its answer is the connection's */
	bool keep;              /* db_keep: worth preparing on the server */
	char name[32];          /* server-side statement, once prepared */
	unsigned generation;    /* the connection's generation it was prepared in */
	const char **values;    /* libpq's view of params, filled when it runs */
	int *lens, *formats;
	Oid *types;
	unsigned char **blobs;  /* decoded bytea of the current row, per column */
	size_t *blob_lens;
};

bool db_target_is_url(const char *target)
{
	return target && (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11));
}

enum db_engine db_engine_of(const db_conn *conn)
{
	return conn->engine;
}

sqlite3 *db_sqlite(db_conn *conn)
{
	return conn->lite;
}

static int pg_fail(db_conn *conn, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn->pg);
	if (!msg || !*msg)
		msg = PQerrorMessage(conn->pg);
	snprintf(conn->errmsg, sizeof conn->errmsg, "%s", msg ? msg : "unknown error");
	size_t n = strlen(conn->errmsg);
	while (n && (conn->errmsg[n - 1] == '\n' || conn->errmsg[n - 1] == ' '))
		conn->errmsg[--n] = '\0';
	/* libpq's messages start "ERROR:  "; the store adds its own context. */
	if (!strncmp(conn->errmsg, "ERROR:  ", 8))
		memmove(conn->errmsg, conn->errmsg + 8, strlen(conn->errmsg + 8) + 1);
	/* A developer's aid: every statement PostgreSQL refuses, as it was sent. */
	if (getenv("FAIRHEARING_TRACE_SQL_ERRORS"))
		fprintf(stderr, "db: %s [%s]\n", conn->errmsg, conn->trace_sql ? conn->trace_sql : "");
	if (state && !strncmp(state, "23", 2))
		conn->errcode = DB_CONSTRAINT;
	else if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
			   !strcmp(state, "55P03")))
		conn->errcode = DB_BUSY;
	else if (state && !strcmp(state, "25006"))
		conn->errcode = DB_READONLY;
	else
		conn->errcode = DB_ERROR;
	return conn->errcode;
}

static void quiet_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Connects to url, or to the same server's `postgres` database when maintenance is set. */
static PGconn *pg_connect(const char *url, bool maintenance)
{
	if (!maintenance)
		return PQconnectdb(url);
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &err);
	if (!opts) {
		PQfreemem(err);
		return NULL;
	}
	const char *keys[64], *values[64];
	int n = 0;
	for (PQconninfoOption *o = opts; o->keyword && n < 62; o++) {
		if (!o->val || !strcmp(o->keyword, "dbname"))
			continue;
		keys[n] = o->keyword;
		values[n++] = o->val;
	}
	keys[n] = "dbname";
	values[n++] = "postgres";
	keys[n] = NULL;
	values[n] = NULL;
	PGconn *pg = PQconnectdbParams(keys, values, 0);
	PQconninfoFree(opts);
	return pg;
}

/* The database a URL names, or NULL. */
static char *pg_dbname(const char *url)
{
	char *err = NULL, *name = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, &err);
	if (!opts) {
		PQfreemem(err);
		return NULL;
	}
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (!strcmp(o->keyword, "dbname") && o->val && *o->val)
			name = strdup(o->val);
	PQconninfoFree(opts);
	return name;
}

static bool pg_create_database(const char *url, char *why, size_t why_len)
{
	char *name = pg_dbname(url);
	if (!name) {
		snprintf(why, why_len, "the URL names no database (postgresql://HOST/NAME)");
		return false;
	}
	PGconn *pg = pg_connect(url, true);
	bool ok = false;
	if (!pg || PQstatus(pg) != CONNECTION_OK) {
		snprintf(why, why_len, "cannot reach the server to create database %s: %s", name,
			 pg ? PQerrorMessage(pg) : "bad URL");
	} else {
		char *ident = PQescapeIdentifier(pg, name, strlen(name));
		char sql[600];
		/* Text sorts byte by byte, as SQLite sorts it, while letters
		 * beyond ASCII stay letters (for the search index). */
		snprintf(sql, sizeof sql, "CREATE DATABASE %s ENCODING 'UTF8' LC_COLLATE 'C'"
			 " LC_CTYPE 'C.UTF-8' TEMPLATE template0", ident ? ident : "\"\"");
		PQfreemem(ident);
		PGresult *res = PQexec(pg, sql);
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		/* 42P04: another process created it first, which is as good. */
		ok = PQresultStatus(res) == PGRES_COMMAND_OK || (state && !strcmp(state, "42P04"));
		if (!ok)
			snprintf(why, why_len, "cannot create database %s: %s", name,
				 PQresultErrorMessage(res));
		PQclear(res);
	}
	PQfinish(pg);
	free(name);
	return ok;
}

static int open_pg(db_conn *conn, const char *url, bool readonly, bool create, char *why,
		   size_t why_len)
{
	conn->engine = DB_POSTGRESQL;
	conn->pg = PQconnectdb(url);
	if (PQstatus(conn->pg) != CONNECTION_OK && create) {
		/* libpq gives no SQLSTATE for a failed connection: ask the server. */
		PQfinish(conn->pg);
		conn->pg = NULL;
		if (!pg_create_database(url, why, why_len))
			return DB_CANTOPEN;
		conn->pg = PQconnectdb(url);
	}
	if (PQstatus(conn->pg) != CONNECTION_OK) {
		snprintf(why, why_len, "%s", PQerrorMessage(conn->pg));
		size_t n = strlen(why);
		while (n && why[n - 1] == '\n')
			why[--n] = '\0';
		return DB_CANTOPEN;
	}
	PQsetNoticeProcessor(conn->pg, quiet_notices, NULL);
	/* A writer waits for the others' lock as long as SQLite's busy timeout. */
	int rc = db_exec(conn, readonly ? "SET lock_timeout = '5s';"
				  " SET default_transaction_read_only = on"
				: "SET lock_timeout = '5s'");
	if (rc != DB_OK) {
		snprintf(why, why_len, "%s", conn->errmsg);
		return rc;
	}
	return DB_OK;
}

int db_open(const char *target, bool readonly, bool create, db_conn **out, char *why, size_t why_len)
{
	char ignored[8];
	if (!why) {
		why = ignored;
		why_len = sizeof ignored;
	}
	*out = NULL;
	db_conn *conn = calloc(1, sizeof *conn);
	if (!conn) {
		snprintf(why, why_len, "out of memory");
		return DB_NOMEM;
	}
	int rc;
	if (db_target_is_url(target)) {
		rc = open_pg(conn, target, readonly, create, why, why_len);
	} else {
		conn->engine = DB_SQLITE;
		int flags = readonly ? SQLITE_OPEN_READONLY
				     : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
		rc = sqlite3_open_v2(target, &conn->lite, flags | SQLITE_OPEN_NOMUTEX, NULL);
		if (rc != SQLITE_OK) {
			snprintf(why, why_len, "%s",
				 conn->lite ? sqlite3_errmsg(conn->lite) : "out of memory");
		} else {
			sqlite3_extended_result_codes(conn->lite, 1);
			sqlite3_busy_timeout(conn->lite, 5000);
		}
	}
	if (rc != DB_OK) {
		db_close(conn);
		return rc;
	}
	*out = conn;
	return DB_OK;
}

void db_close(db_conn *conn)
{
	if (!conn)
		return;
	if (conn->lite)
		sqlite3_close_v2(conn->lite);
	if (conn->pg)
		PQfinish(conn->pg);
	free(conn);
}

/* ---- the pipeline: statements sent ahead -------------------------------- */

/* Queues the bookkeeping of one more statement sent in the pipeline. */
static void pg_ahead_note(db_conn *conn, const char *sql, db_stmt *prepared)
{
	struct pg_ahead *a = &conn->ahead[conn->pending++];
	a->prepared = prepared;
	snprintf(a->sql, sizeof a->sql, "%s", sql);
}

static bool pg_enter_pipeline(db_conn *conn)
{
	if (conn->piped)
		return true;
	if (PQenterPipelineMode(conn->pg) != 1) {
		pg_fail(conn, NULL);
		return false;
	}
	conn->piped = true;
	return true;
}

/*
 * Ends the pipeline: sends its Sync and reads, in order, the answer to every
 * statement sent ahead and then, when last is given, to the one statement
 * sent after them that waits for its rows (*last: its result, to keep).  The
 * first failure is the connection's failure until a rollback (conn->failed);
 * what PostgreSQL skipped after it (PGRES_PIPELINE_ABORTED) adds nothing.
 */
static int pg_collect(db_conn *conn, PGresult **last)
{
	if (last)
		*last = NULL;
	if (!conn->piped)
		return conn->failed ? conn->errcode : DB_OK;
	int total = conn->pending + (last ? 1 : 0);
	int rc = conn->failed ? conn->errcode : DB_OK;
	bool lost = PQpipelineSync(conn->pg) != 1;
	for (int i = 0; i < total && !lost; i++) {
		PGresult *res;
		bool any = false;
		while ((res = PQgetResult(conn->pg))) {
			any = true;
			ExecStatusType st = PQresultStatus(res);
			bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
			db_stmt *prepared = i < conn->pending ? conn->ahead[i].prepared : NULL;
			if (prepared && !ok) {
				/* not prepared on the server: the next run prepares again */
				prepared->name[0] = '\0';
				prepared->runs = 0;
			}
			if (ok && i == conn->pending && last && !*last && rc == DB_OK) {
				*last = res;
				continue;
			}
			if (ok && !prepared) {
				const char *tuples = PQcmdTuples(res);
				if (tuples && *tuples)
					conn->changes = strtoll(tuples, NULL, 10);
			} else if (st != PGRES_PIPELINE_ABORTED && !ok && rc == DB_OK) {
				conn->trace_sql = i < conn->pending ? conn->ahead[i].sql : conn->trace_sql;
				rc = pg_fail(conn, res);
			}
			PQclear(res);
		}
		if (!any && PQstatus(conn->pg) != CONNECTION_OK)
			lost = true;
	}
	if (!lost) {
		PGresult *sync = PQgetResult(conn->pg);
		lost = PQresultStatus(sync) != PGRES_PIPELINE_SYNC;
		PQclear(sync);
	}
	conn->pending = 0;
	if (lost || PQexitPipelineMode(conn->pg) != 1) {
		if (rc == DB_OK) {
			snprintf(conn->errmsg, sizeof conn->errmsg, "the connection to the database was "
				 "lost while statements were under way: %s", PQerrorMessage(conn->pg));
			conn->errcode = rc = DB_ERROR;
		}
		/* A connection that is still up but out of step is made again;
		 * conn->failed keeps every statement failing until the store's
		 * rollback, as for a connection lost in a transaction. */
		if (PQstatus(conn->pg) == CONNECTION_OK) {
			PQreset(conn->pg);
			PQsetNoticeProcessor(conn->pg, quiet_notices, NULL);
			conn->generation++;
		}
	}
	conn->piped = false;
	if (rc != DB_OK) {
		PQclear(last ? *last : NULL);
		if (last)
			*last = NULL;
		conn->failed = true;
	}
	return rc;
}

void db_defer_writes(db_conn *conn, bool on)
{
	conn->defer = on && conn->pg;
}

int db_flush(db_conn *conn)
{
	return conn->lite ? DB_OK : pg_collect(conn, NULL);
}

/*
 * A connection the server dropped (a restart, a fail-over to the standby)
 * is made again, but never inside a transaction: what that transaction did
 * is gone, so its remaining statements must fail until the store rolls it
 * back, rather than run on their own in a new session.
 */
static bool pg_usable(db_conn *conn)
{
	if (PQstatus(conn->pg) == CONNECTION_OK)
		return true;
	if (conn->tx_open) {
		snprintf(conn->errmsg, sizeof conn->errmsg, "the connection to the database was "
			 "lost during a transaction");
		conn->errcode = DB_ERROR;
		return false;
	}
	PQreset(conn->pg);
	if (PQstatus(conn->pg) != CONNECTION_OK) {
		pg_fail(conn, NULL);
		return false;
	}
	PQsetNoticeProcessor(conn->pg, quiet_notices, NULL);
	conn->generation++;
	return true;
}

/* Keeps tx_open in step with the transaction statements the store sends. */
static void pg_track_transaction(db_conn *conn, const char *sql)
{
	if (!strncmp(sql, "BEGIN", 5))
		conn->tx_open = true;
	else if (!strncmp(sql, "COMMIT", 6) ||
		 (!strncmp(sql, "ROLLBACK", 8) && strncmp(sql, "ROLLBACK TO", 11)))
		conn->tx_open = false;
}

/*
 * One statement without parameters in the pipeline: sent ahead (a SAVEPOINT
 * or RELEASE, whose answer nobody waits for), or sent after what is pending
 * and waited for (a COMMIT), which reads every answer before its own.
 */
static int pg_exec_piped(db_conn *conn, const char *sql, bool ahead)
{
	if (!pg_enter_pipeline(conn))
		return conn->errcode;
	if (conn->pending + 1 >= DB_PIPELINE_MAX) {
		int rc = pg_collect(conn, NULL);
		if (rc != DB_OK || !pg_enter_pipeline(conn))
			return conn->errcode;
	}
	conn->trace_sql = sql;
	if (PQsendQueryParams(conn->pg, sql, 0, NULL, NULL, NULL, NULL, 0) != 1) {
		int rc = pg_fail(conn, NULL);
		conn->failed = true;
		return rc;
	}
	if (ahead) {
		pg_ahead_note(conn, sql, NULL);
		return DB_OK;
	}
	PGresult *res;
	int rc = pg_collect(conn, &res);
	PQclear(res);
	/* When something before it failed, a COMMIT was skipped and the
	 * transaction is still open, for the caller's ROLLBACK. */
	if (rc == DB_OK)
		pg_track_transaction(conn, sql);
	return rc;
}

int db_exec(db_conn *conn, const char *sql)
{
	if (conn->lite)
		return sqlite3_exec(conn->lite, sql, NULL, NULL, NULL);
	bool rollback = !strncmp(sql, "ROLLBACK", 8);
	bool single = !strchr(sql, ';');
	if (conn->piped) {
		if (!rollback && !conn->failed && conn->tx_open && single)
			return pg_exec_piped(conn, sql, !strncmp(sql, "SAVEPOINT ", 10) ||
						   !strncmp(sql, "RELEASE ", 8));
		/* before a rollback, what failed is being undone anyway */
		int rc = pg_collect(conn, NULL);
		if (rc != DB_OK && !rollback)
			return rc;
	}
	if (rollback)
		conn->failed = false;
	else if (conn->failed)
		return conn->errcode;
	/* A savepoint's answer is needed by nobody: it goes ahead of the
	 * statements that follow it, as RELEASE goes ahead of the next ones. */
	if (conn->tx_open && single && PQstatus(conn->pg) == CONNECTION_OK &&
	    (!strncmp(sql, "SAVEPOINT ", 10) || !strncmp(sql, "RELEASE ", 8)))
		return pg_exec_piped(conn, sql, true);
	bool bad = PQstatus(conn->pg) != CONNECTION_OK;
	if (bad && conn->tx_open && !strncmp(sql, "ROLLBACK", 8) && strncmp(sql, "ROLLBACK TO", 11)) {
		conn->tx_open = false; /* the server ended it when the connection went */
		return DB_OK;
	}
	if (!pg_usable(conn))
		return conn->errcode;
	conn->trace_sql = sql;
	PGresult *res = PQexec(conn->pg, sql);
	ExecStatusType st = PQresultStatus(res);
	/* libpq learns that a connection died only by using it: outside a
	 * transaction nothing was done, so the statement is sent once more. */
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && !conn->tx_open &&
	    PQstatus(conn->pg) == CONNECTION_BAD && pg_usable(conn)) {
		PQclear(res);
		res = PQexec(conn->pg, sql);
		st = PQresultStatus(res);
	}
	int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? DB_OK : pg_fail(conn, res);
	PQclear(res);
	/* A failed COMMIT ends the transaction too; a failed BEGIN opens none. */
	if (rc == DB_OK || strncmp(sql, "BEGIN", 5))
		pg_track_transaction(conn, sql);
	return rc;
}

/*
 * SQLite's `?` and `?N` as PostgreSQL's $N, outside quotes and comments.  A
 * bare `?` takes one more than the highest number so far, as in SQLite.
 * Two SQLite spellings with an exact PostgreSQL meaning are rewritten on the
 * way, so the store's SQL need not come in two copies for them:
 * group_concat(x, sep) is string_agg(x, sep), and `INDEXED BY name` (a
 * hint to SQLite's planner, which PostgreSQL's plans for itself) is dropped.
 * Anything else that differs is written per engine in the store.
 */
/* True when word starts at p and is not the tail of a longer name. */
static bool word_at(const char *sql, const char *p, const char *word)
{
	if (p > sql && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
			(p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9')))
		return false;
	return strncmp(p, word, strlen(word)) == 0;
}

static char *translate_params(const char *sql, int *nparams, uint64_t *used)
{
	*used = 0;
	size_t len = strlen(sql);
	char *out = malloc(len * 3 + 1);
	if (!out)
		return NULL;
	char *o = out;
	int highest = 0;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			char q = *p;
			*o++ = *p++;
			while (*p && *p != q)
				*o++ = *p++;
			if (*p)
				*o++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			size_t n = end ? (size_t)(end + 2 - p) : strlen(p);
			memcpy(o, p, n);
			o += n;
			p += n;
		} else if (word_at(sql, p, "group_concat(")) {
			o += sprintf(o, "string_agg(");
			p += strlen("group_concat(");
		} else if (word_at(sql, p, "INDEXED BY ")) {
			p += strlen("INDEXED BY ");
			while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				p++;
		} else if (*p == '?') {
			p++;
			int n = 0;
			if (*p >= '0' && *p <= '9') {
				while (*p >= '0' && *p <= '9')
					n = n * 10 + (*p++ - '0');
			} else {
				n = highest + 1;
			}
			if (n > highest)
				highest = n;
			if (n <= 64)
				*used |= UINT64_C(1) << (n - 1);
			o += sprintf(o, "$%d", n);
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	*nparams = highest;
	return out;
}

int db_prepare(db_conn *conn, const char *sql, db_stmt **out)
{
	*out = NULL;
	db_stmt *stmt = calloc(1, sizeof *stmt);
	if (!stmt)
		return DB_NOMEM;
	stmt->conn = conn;
	if (conn->lite) {
		int rc = sqlite3_prepare_v2(conn->lite, sql, -1, &stmt->lite, NULL);
		if (rc != SQLITE_OK) {
			free(stmt);
			return rc;
		}
		*out = stmt;
		return DB_OK;
	}
	stmt->sql = translate_params(sql, &stmt->nparams, &stmt->used);
	const char *verb = sql + strspn(sql, " \t\n");
	stmt->rowless = (!strncmp(verb, "INSERT", 6) || !strncmp(verb, "UPDATE", 6) ||
			 !strncmp(verb, "DELETE", 6)) && !strstr(sql, "RETURNING") &&
			!strstr(sql, "returning");
	size_t n = (size_t)stmt->nparams + 1;
	stmt->params = calloc(n, sizeof *stmt->params);
	stmt->values = calloc(n, sizeof *stmt->values);
	stmt->lens = calloc(n, sizeof *stmt->lens);
	stmt->formats = calloc(n, sizeof *stmt->formats);
	stmt->types = calloc(n, sizeof *stmt->types);
	stmt->row = -1;
	if (!stmt->sql || !stmt->params || !stmt->values || !stmt->lens || !stmt->formats ||
	    !stmt->types) {
		db_finalize(stmt);
		return DB_NOMEM;
	}
	*out = stmt;
	return DB_OK;
}

static struct pg_param *param(db_stmt *stmt, int index)
{
	if (index < 1 || index > stmt->nparams)
		return NULL;
	struct pg_param *p = &stmt->params[index - 1];
	free(p->value);
	*p = (struct pg_param){0};
	return p;
}

static int set_param(db_stmt *stmt, int index, Oid type, const void *data, size_t len,
		     bool binary)
{
	struct pg_param *p = param(stmt, index);
	if (!p)
		return DB_ERROR;
	p->value = malloc(len + 1);
	if (!p->value)
		return DB_NOMEM;
	if (len)
		memcpy(p->value, data, len);
	p->value[len] = '\0';
	p->len = (int)len;
	p->type = type;
	p->binary = binary;
	return DB_OK;
}

void db_keep(db_stmt *stmt)
{
	stmt->keep = true;
}

int db_bind_int64(db_stmt *stmt, int index, int64_t value)
{
	if (stmt->lite)
		return sqlite3_bind_int64(stmt->lite, index, value);
	char buf[24];
	int n = snprintf(buf, sizeof buf, "%" PRId64, value);
	return set_param(stmt, index, OID_INT8, buf, (size_t)n, false);
}

int db_bind_int(db_stmt *stmt, int index, int value)
{
	return db_bind_int64(stmt, index, value);
}

int db_bind_double(db_stmt *stmt, int index, double value)
{
	if (stmt->lite)
		return sqlite3_bind_double(stmt->lite, index, value);
	char buf[40];
	int n = snprintf(buf, sizeof buf, "%.17g", value);
	return set_param(stmt, index, OID_FLOAT8, buf, (size_t)n, false);
}

int db_bind_text(db_stmt *stmt, int index, const char *text, int len)
{
	if (stmt->lite)
		return sqlite3_bind_text(stmt->lite, index, text, len, SQLITE_TRANSIENT);
	if (!text)
		return db_bind_null(stmt, index);
	return set_param(stmt, index, 0, text, len < 0 ? strlen(text) : (size_t)len, false);
}

int db_bind_blob(db_stmt *stmt, int index, const void *data, size_t len)
{
	if (stmt->lite)
		return sqlite3_bind_blob64(stmt->lite, index, data, len, SQLITE_TRANSIENT);
	return set_param(stmt, index, OID_BYTEA, data, len, true);
}

int db_bind_null(db_stmt *stmt, int index)
{
	if (stmt->lite)
		return sqlite3_bind_null(stmt->lite, index);
	return param(stmt, index) ? DB_OK : DB_ERROR;
}

int db_bind_parameter_count(db_stmt *stmt)
{
	return stmt->lite ? sqlite3_bind_parameter_count(stmt->lite) : stmt->nparams;
}

static void drop_row_cache(db_stmt *stmt)
{
	if (!stmt->blobs)
		return;
	int cols = stmt->res ? PQnfields(stmt->res) : 0;
	for (int i = 0; i < cols; i++)
		PQfreemem(stmt->blobs[i]);
	free(stmt->blobs);
	free(stmt->blob_lens);
	stmt->blobs = NULL;
	stmt->blob_lens = NULL;
}

static void drop_result(db_stmt *stmt)
{
	drop_row_cache(stmt);
	PQclear(stmt->res);
	stmt->res = NULL;
	stmt->row = -1;
	stmt->nrows = 0;
}

static int pg_send(db_stmt *stmt, bool may_retry);

static int pg_run(db_stmt *stmt)
{
	db_conn *conn = stmt->conn;
	int n = stmt->nparams;
	const char **values = stmt->values;
	int *lens = stmt->lens, *formats = stmt->formats;
	Oid *types = stmt->types;
	for (int i = 0; i < n; i++) {
		values[i] = stmt->params[i].value;
		lens[i] = stmt->params[i].len;
		formats[i] = stmt->params[i].binary;
		types[i] = stmt->params[i].type;
		/* A parameter the SQL never names (SQLite binds it harmlessly)
		 * must still have a type for PostgreSQL: any will do. */
		if (i < 64 && !(stmt->used & (UINT64_C(1) << i)) && !types[i])
			types[i] = OID_TEXT;
	}
	if (!pg_usable(conn))
		return conn->errcode;
	if (stmt->name[0] && stmt->generation != conn->generation) {
		stmt->name[0] = '\0'; /* prepared on a connection that is gone */
		stmt->runs = 0;
	}
	return pg_send(stmt, true);
}

/* A statement's successful result becomes its rows. */
static int pg_keep_result(db_stmt *stmt, PGresult *res)
{
	const char *tuples = PQcmdTuples(res);
	if (tuples && *tuples)
		stmt->conn->changes = strtoll(tuples, NULL, 10);
	stmt->res = res;
	stmt->nrows = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0;
	stmt->row = -1;
	return DB_OK;
}

/*
 * A statement in the pipeline: sent ahead (a rowless statement under
 * db_defer_writes), or sent after what is pending and waited for.  A
 * statement kept for the cache is prepared on the server in the pipeline
 * too, at its second run as outside it.
 */
static int pg_send_piped(db_stmt *stmt, bool ahead)
{
	db_conn *conn = stmt->conn;
	int n = stmt->nparams;
	if (!pg_enter_pipeline(conn))
		return conn->errcode;
	if (conn->pending + 2 > DB_PIPELINE_MAX) {
		int rc = pg_collect(conn, NULL);
		if (rc != DB_OK || !pg_enter_pipeline(conn))
			return conn->errcode;
	}
	if (stmt->keep && stmt->runs == 2 && !stmt->name[0]) {
		char name[32];
		snprintf(name, sizeof name, "fh_%lu", ++conn->statements_named);
		if (PQsendPrepare(conn->pg, name, stmt->sql, n, n ? stmt->types : NULL) == 1) {
			memcpy(stmt->name, name, sizeof name);
			stmt->generation = conn->generation;
			pg_ahead_note(conn, stmt->sql, stmt);
		}
	}
	int sent = stmt->name[0]
		? PQsendQueryPrepared(conn->pg, stmt->name, n, n ? stmt->values : NULL,
				      n ? stmt->lens : NULL, n ? stmt->formats : NULL, 0)
		: PQsendQueryParams(conn->pg, stmt->sql, n, n ? stmt->types : NULL,
				    n ? stmt->values : NULL, n ? stmt->lens : NULL,
				    n ? stmt->formats : NULL, 0);
	if (sent != 1) {
		int rc = pg_fail(conn, NULL);
		conn->failed = true;
		return rc;
	}
	if (ahead) {
		pg_ahead_note(conn, stmt->sql, NULL);
		stmt->sent_ahead = true;
		stmt->nrows = 0;
		stmt->row = -1;
		return DB_OK;
	}
	PGresult *res;
	int rc = pg_collect(conn, &res);
	return rc != DB_OK ? rc : pg_keep_result(stmt, res);
}

static int pg_send(db_stmt *stmt, bool may_retry)
{
	db_conn *conn = stmt->conn;
	int n = stmt->nparams;
	const char **values = stmt->values;
	int *lens = stmt->lens, *formats = stmt->formats;
	Oid *types = stmt->types;
	PGresult *res;
	stmt->runs++;
	conn->trace_sql = stmt->sql;
	if (conn->failed)
		return conn->errcode;
	bool ahead = conn->defer && conn->tx_open && stmt->rowless;
	if (ahead || conn->piped)
		return pg_send_piped(stmt, ahead);
	if (stmt->keep && stmt->runs == 2 && !stmt->name[0]) {
		char name[32];
		snprintf(name, sizeof name, "fh_%lu", ++conn->statements_named);
		PGresult *prep = PQprepare(conn->pg, name, stmt->sql, n, n ? types : NULL);
		if (PQresultStatus(prep) == PGRES_COMMAND_OK) {
			memcpy(stmt->name, name, sizeof name);
			stmt->generation = conn->generation;
		}
		PQclear(prep);
	}
	if (stmt->name[0])
		res = PQexecPrepared(conn->pg, stmt->name, n, n ? values : NULL, n ? lens : NULL,
				     n ? formats : NULL, 0);
	else
		res = PQexecParams(conn->pg, stmt->sql, n, n ? types : NULL, n ? values : NULL,
				   n ? lens : NULL, n ? formats : NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && may_retry && !conn->tx_open &&
	    PQstatus(conn->pg) == CONNECTION_BAD) {
		/* As in db_exec: a dead connection found by using it, outside a
		 * transaction, is made again and the statement sent once more. */
		PQclear(res);
		if (!pg_usable(conn))
			return conn->errcode;
		stmt->name[0] = '\0';
		stmt->runs = 0;
		return pg_send(stmt, false);
	}
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = pg_fail(conn, res);
		PQclear(res);
		return rc;
	}
	return pg_keep_result(stmt, res);
}

int db_step(db_stmt *stmt)
{
	if (stmt->lite)
		return sqlite3_step(stmt->lite);
	if (!stmt->res && !stmt->sent_ahead) {
		int rc = pg_run(stmt);
		if (rc != DB_OK)
			return rc;
	}
	drop_row_cache(stmt);
	if (stmt->row + 1 >= stmt->nrows) {
		stmt->row = stmt->nrows;
		return DB_DONE;
	}
	stmt->row++;
	return DB_ROW;
}

int db_reset(db_stmt *stmt)
{
	if (stmt->lite)
		return sqlite3_reset(stmt->lite);
	drop_result(stmt);
	stmt->sent_ahead = false;
	return DB_OK;
}

int db_clear_bindings(db_stmt *stmt)
{
	if (stmt->lite)
		return sqlite3_clear_bindings(stmt->lite);
	for (int i = 1; i <= stmt->nparams; i++)
		param(stmt, i);
	return DB_OK;
}

int db_finalize(db_stmt *stmt)
{
	if (!stmt)
		return DB_OK;
	int rc = DB_OK;
	if (stmt->lite) {
		rc = sqlite3_finalize(stmt->lite);
	} else {
		drop_result(stmt);
		/* its answer (or its PQsendPrepare's) may still be on the way */
		if (stmt->name[0] && stmt->conn->piped)
			pg_collect(stmt->conn, NULL);
		if (stmt->name[0] && stmt->generation == stmt->conn->generation &&
		    PQstatus(stmt->conn->pg) == CONNECTION_OK) {
			char sql[48];
			snprintf(sql, sizeof sql, "DEALLOCATE %s", stmt->name);
			PQclear(PQexec(stmt->conn->pg, sql));
		}
		db_clear_bindings(stmt);
		free(stmt->params);
		free(stmt->values);
		free(stmt->lens);
		free(stmt->formats);
		free(stmt->types);
		free(stmt->sql);
	}
	free(stmt);
	return rc;
}

int db_column_count(db_stmt *stmt)
{
	if (stmt->lite)
		return sqlite3_column_count(stmt->lite);
	return stmt->res ? PQnfields(stmt->res) : 0;
}

/* The current row's cell, or NULL when it is SQL NULL (or there is no row). */
static const char *cell(db_stmt *stmt, int col)
{
	if (!stmt->res || stmt->row < 0 || stmt->row >= stmt->nrows || col < 0 ||
	    col >= PQnfields(stmt->res) || PQgetisnull(stmt->res, stmt->row, col))
		return NULL;
	return PQgetvalue(stmt->res, stmt->row, col);
}

int db_column_type(db_stmt *stmt, int col)
{
	if (stmt->lite)
		return sqlite3_column_type(stmt->lite, col);
	if (!cell(stmt, col))
		return DB_NULL;
	switch (PQftype(stmt->res, col)) {
	case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID:
		return DB_INTEGER;
	case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC:
		return DB_FLOAT;
	case OID_BYTEA:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

int64_t db_column_int64(db_stmt *stmt, int col)
{
	if (stmt->lite)
		return sqlite3_column_int64(stmt->lite, col);
	const char *v = cell(stmt, col);
	if (!v)
		return 0;
	/* A boolean expression reads as 1 or 0, as SQLite gives it. */
	if (PQftype(stmt->res, col) == OID_BOOL)
		return *v == 't';
	if (PQftype(stmt->res, col) == OID_NUMERIC || PQftype(stmt->res, col) == OID_FLOAT8 ||
	    PQftype(stmt->res, col) == OID_FLOAT4)
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

int db_column_int(db_stmt *stmt, int col)
{
	return (int)db_column_int64(stmt, col);
}

double db_column_double(db_stmt *stmt, int col)
{
	if (stmt->lite)
		return sqlite3_column_double(stmt->lite, col);
	const char *v = cell(stmt, col);
	if (!v)
		return 0;
	if (PQftype(stmt->res, col) == OID_BOOL)
		return *v == 't';
	return strtod(v, NULL);
}

/* The current row's bytea cell decoded, kept until the row changes. */
static const unsigned char *pg_blob(db_stmt *stmt, int col, size_t *len)
{
	*len = 0;
	const char *v = cell(stmt, col);
	if (!v)
		return NULL;
	if (PQftype(stmt->res, col) != OID_BYTEA) {
		*len = (size_t)PQgetlength(stmt->res, stmt->row, col);
		return (const unsigned char *)v;
	}
	int cols = PQnfields(stmt->res);
	if (!stmt->blobs) {
		stmt->blobs = calloc((size_t)cols, sizeof *stmt->blobs);
		stmt->blob_lens = calloc((size_t)cols, sizeof *stmt->blob_lens);
		if (!stmt->blobs || !stmt->blob_lens) {
			free(stmt->blobs);
			free(stmt->blob_lens);
			stmt->blobs = NULL;
			stmt->blob_lens = NULL;
			return NULL;
		}
	}
	if (!stmt->blobs[col])
		stmt->blobs[col] = PQunescapeBytea((const unsigned char *)v, &stmt->blob_lens[col]);
	*len = stmt->blob_lens[col];
	return stmt->blobs[col];
}

const unsigned char *db_column_text(db_stmt *stmt, int col)
{
	if (stmt->lite)
		return sqlite3_column_text(stmt->lite, col);
	const char *v = cell(stmt, col);
	if (v && PQftype(stmt->res, col) == OID_BOOL)
		return (const unsigned char *)(*v == 't' ? "1" : "0");
	return (const unsigned char *)v;
}

const void *db_column_blob(db_stmt *stmt, int col)
{
	if (stmt->lite)
		return sqlite3_column_blob(stmt->lite, col);
	size_t len;
	return pg_blob(stmt, col, &len);
}

int db_column_bytes(db_stmt *stmt, int col)
{
	if (stmt->lite)
		return sqlite3_column_bytes(stmt->lite, col);
	const char *v = cell(stmt, col);
	if (!v)
		return 0;
	if (PQftype(stmt->res, col) == OID_BOOL)
		return 1;
	size_t len;
	pg_blob(stmt, col, &len);
	return (int)len;
}

int64_t db_changes(db_conn *conn)
{
	if (conn->lite)
		return sqlite3_changes64(conn->lite);
	if (conn->piped)
		pg_collect(conn, NULL); /* a failure stays the connection's */
	return conn->changes;
}

const char *db_errmsg(db_conn *conn)
{
	return conn->lite ? sqlite3_errmsg(conn->lite) : conn->errmsg;
}

int db_errcode(db_conn *conn)
{
	if (conn->lite)
		return sqlite3_extended_errcode(conn->lite) & 0xff;
	return conn->errcode;
}

bool db_autocommit(db_conn *conn)
{
	if (conn->lite)
		return sqlite3_get_autocommit(conn->lite);
	if (conn->piped)
		pg_collect(conn, NULL);
	return PQtransactionStatus(conn->pg) == PQTRANS_IDLE;
}
