/*
 * store_backup.c: backup and restore through SQLite's online backup API.
 * The contract and the reasons are in store_backup.h.
 */
#include "store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_event.h"
#include "store_internal.h"

#include <sqlite3.h>

/* How long a copy waits for a writer that holds the lock before giving up. */
enum { COPY_PATIENCE_MS = 10000, COPY_NAP_MS = 25 };

/* A bare connection wrapped in a handle, so the store's checks can run on it. */
static fh_status open_raw(const char *path, bool readonly, fh_store **out, fh_error *err)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	(*out)->readonly = readonly;
	char why[300];
	fh_status s;
	if (db_target_is_url(path)) {
		s = error_set(err, FH_EINVAL, "db", NULL, "backup and restore copy SQLite files; for "
			  "PostgreSQL use pg_dump or pg_basebackup (docs/deployment.md)");
	} else if (db_open(path, readonly, !readonly, &(*out)->db, why, sizeof why) != DB_OK) {
		s = error_set(err, FH_ESTORE, "db", NULL, "cannot open %s: %s", path, why);
	} else {
		return FH_OK;
	}
	store_close(*out);
	*out = NULL;
	return s;
}

static fh_status exec(fh_store *st, const char *sql, const char *what, fh_error *err)
{
	if (db_exec(st->db, sql) != DB_OK)
		return store_fail(st, what, err);
	return FH_OK;
}

/*
 * Copies every page of src into dst in one step, so that the whole copy is
 * made under one read transaction on src: a snapshot.  A writer holding a
 * lock makes it wait (bounded), never copy half.
 */
static fh_status copy_pages(fh_store *src, fh_store *dst, const char *what, fh_error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(db_sqlite(dst->db), "main", db_sqlite(src->db),
						"main");
	if (!b)
		return store_fail(dst, what, err);
	int rc, waited = 0;
	while ((rc = sqlite3_backup_step(b, -1)) == DB_BUSY || rc == SQLITE_LOCKED) {
		if (waited >= COPY_PATIENCE_MS)
			break;
		sqlite3_sleep(COPY_NAP_MS);
		waited += COPY_NAP_MS;
	}
	sqlite3_backup_finish(b);
	if (rc != DB_DONE) {
		if ((rc & 0xff) == DB_NOTADB)
			return error_set(err, FH_ESCHEMA, "db", NULL, "%s: not an SQLite database", what);
		return error_set(err, FH_ESTORE, "db", NULL, "%s: %s", what, sqlite3_errstr(rc));
	}
	return FH_OK;
}

/* SQLite's own check of the file's structure, then the whole audit chain. */
static fh_status verify(fh_store *st, const char *path, store_backup_report *report,
			fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_prepare(st, "PRAGMA quick_check", &stmt, err);
	if (s)
		return s;
	int rc = db_step(stmt);
	bool whole = rc == DB_ROW &&
		     strcmp((const char *)db_column_text(stmt, 0), "ok") == 0;
	db_finalize(stmt);
	if (!whole)
		return error_set(err, FH_EINTEGRITY, "db", NULL,
				 "%s is damaged (SQLite's quick_check fails)", path);
	store_audit_report audit;
	s = store_audit_verify(st, &audit, err);
	if (s) {
		char why[sizeof err->message];
		snprintf(why, sizeof why, "%s", err->message);
		return error_set(err, s, "db", NULL, "%s: its audit chain does not verify: %s",
				 path, why);
	}
	report->events = audit.events_checked;
	report->schema_version = store_schema_version(st);
	s = store_prepare(st, "SELECT count(*) FROM cases", &stmt, err);
	if (s)
		return s;
	if (db_step(stmt) == DB_ROW)
		report->cases = db_column_int64(stmt, 0);
	db_finalize(stmt);
	return FH_OK;
}

/* A new empty file beside path (same directory, so a rename is atomic). */
static fh_status temp_beside(const char *path, char *buf, size_t size, fh_error *err)
{
	if ((size_t)snprintf(buf, size, "%s.tmp-XXXXXX", path) >= size)
		return error_set(err, FH_EINVAL, "path", NULL, "%s: the path is too long", path);
	int fd = mkstemp(buf);
	if (fd < 0)
		return error_set(err, FH_ESTORE, "path", NULL, "cannot create a file beside %s: %s",
				 path, strerror(errno));
	close(fd);
	return FH_OK;
}

/* Removes a scratch database and anything SQLite left beside it. */
static void remove_temp(const char *tmp)
{
	static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
	char name[4200];
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(name, sizeof name, "%s%s", tmp, suffixes[i]);
		unlink(name);
	}
}

static fh_status sync_path(const char *path, bool directory, fh_error *err)
{
	int fd = open(path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return error_set(err, FH_ESTORE, "path", NULL, "cannot make %s durable: %s", path,
				 strerror(e));
	}
	close(fd);
	return FH_OK;
}

static bool exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

/*
 * Gives the finished scratch file its name, durably.  Without replace a
 * hard link does it, which fails rather than overwrite a file that appeared
 * meanwhile.
 */
static fh_status place(const char *tmp, const char *final, bool replace, fh_error *err)
{
	fh_status s = sync_path(tmp, false, err);
	if (s)
		return s;
	bool linked = !replace && link(tmp, final) == 0;
	/* a file system without hard links: the check just made must do */
	if (!replace && !linked && (errno == EPERM || errno == ENOTSUP || errno == ENOSYS) &&
	    !exists(final))
		replace = true;
	if (!linked && (!replace || rename(tmp, final) != 0)) {
		if (errno == EEXIST)
			return error_set(err, FH_ECONFLICT, "path", NULL,
					 "%s exists: choose another name, or --force to replace it",
					 final);
		return error_set(err, FH_ESTORE, "path", NULL, "cannot write %s: %s", final,
				 strerror(errno));
	}
	if (linked)
		unlink(tmp);
	char dir[4200];
	snprintf(dir, sizeof dir, "%s", final);
	return sync_path(dirname(dir), true, err);
}

fh_status store_backup(const char *db_path, const char *out_path, bool force,
		       store_backup_report *report, fh_error *err)
{
	memset(report, 0, sizeof *report);
	if (!out_path || !*out_path)
		return error_set(err, FH_EINVAL, "out", NULL, "where to write the backup is required "
				 "(--out FILE)");
	if (!force && exists(out_path))
		return error_set(err, FH_ECONFLICT, "out", NULL,
				 "%s exists: choose another name, or --force to replace it", out_path);
	fh_store *src, *dst = NULL;
	fh_status s = store_open(db_path, STORE_READONLY | STORE_AS_IS, &src, err);
	if (s)
		return s;
	char tmp[4200];
	s = temp_beside(out_path, tmp, sizeof tmp, err);
	if (s) {
		store_close(src);
		return s;
	}
	s = open_raw(tmp, false, &dst, err);
	if (!s)
		s = copy_pages(src, dst, "copying the database", err);
	store_close(src);
	/* One self-contained file: a backup carries no write-ahead log. */
	if (!s)
		s = exec(dst, "PRAGMA journal_mode = DELETE", "making the copy one file", err);
	if (!s)
		s = verify(dst, out_path, report, err);
	store_close(dst);
	if (!s)
		s = place(tmp, out_path, force, err);
	if (s) {
		remove_temp(tmp);
		return s;
	}
	struct stat sb;
	if (stat(out_path, &sb) == 0)
		report->bytes = sb.st_size;
	return FH_OK;
}

fh_status store_restore(const char *from_path, const char *db_path, bool force,
			store_backup_report *report, fh_error *err)
{
	memset(report, 0, sizeof *report);
	if (!from_path || !*from_path)
		return error_set(err, FH_EINVAL, "from", NULL, "the backup to restore is required "
				 "(--from FILE)");
	if (!db_path || !*db_path)
		return error_set(err, FH_EINVAL, "db", NULL, "a database path is required (--db PATH)");
	struct stat sb;
	if (stat(from_path, &sb) != 0)
		return error_set(err, FH_ENOTFOUND, "from", NULL, "no backup at %s", from_path);
	if (!S_ISREG(sb.st_mode))
		return error_set(err, FH_EINVAL, "from", NULL, "%s is not a file", from_path);
	bool replacing = exists(db_path);
	if (replacing && !force)
		return error_set(err, FH_ECONFLICT, "db", NULL,
				 "%s exists: restore to a new path, or --force to replace its "
				 "contents with the backup", db_path);
	char wal[4200];
	snprintf(wal, sizeof wal, "%s-wal", db_path);
	if (!replacing && exists(wal))
		return error_set(err, FH_ECONFLICT, "db", NULL,
				 "%s has no database but a leftover write-ahead log (%s): move it "
				 "aside first", db_path, wal);

	/* Is it ours?  Checked before anything is written anywhere. */
	fh_store *src, *tmpst = NULL;
	fh_status s = open_raw(from_path, true, &src, err);
	if (s)
		return s;
	bool fresh = false;
	s = store_check_ownership(src, from_path, &fresh, err);
	if (!s && fresh)
		s = error_set(err, FH_ESCHEMA, "from", NULL,
			      "%s is an empty database, not a Fairhearing backup", from_path);
	if (s) {
		store_close(src);
		return s;
	}

	/* A scratch copy beside the destination, upgraded and verified. */
	char tmp[4200];
	s = temp_beside(db_path, tmp, sizeof tmp, err);
	if (s) {
		store_close(src);
		return s;
	}
	s = open_raw(tmp, false, &tmpst, err);
	if (!s)
		s = copy_pages(src, tmpst, "reading the backup", err);
	store_close(src);
	store_close(tmpst);
	tmpst = NULL;
	if (!s)
		s = store_open(tmp, 0, &tmpst, err);
	if (!s)
		s = verify(tmpst, from_path, report, err);

	if (!s && !replacing) {
		s = exec(tmpst, "PRAGMA journal_mode = DELETE", "finishing the copy", err);
		store_close(tmpst);
		tmpst = NULL;
		if (!s)
			s = place(tmp, db_path, false, err);
	} else if (!s) {
		fh_store *dst;
		s = open_raw(db_path, false, &dst, err);
		if (!s) {
			bool empty;
			s = store_check_ownership(dst, db_path, &empty, err);
			if (!s)
				s = copy_pages(tmpst, dst, "replacing the database", err);
			store_backup_report again = {0};
			if (!s)
				s = verify(dst, db_path, &again, err);
			store_close(dst);
		}
	}
	store_close(tmpst);
	remove_temp(tmp);
	if (!s && stat(db_path, &sb) == 0)
		report->bytes = sb.st_size;
	return s;
}
