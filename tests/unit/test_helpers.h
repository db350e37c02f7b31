/*
 * Shared by the unit tests: temporary databases and a standard case.
 */
#ifndef FH_TEST_HELPERS_H
#define FH_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"

/* A fresh path in a new temporary directory; remove with test_rmdb. */
static inline char *test_dbpath(void)
{
	char *dir = strdup("/tmp/fh-test-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	char *path = malloc(strlen(dir) + 16);
	sprintf(path, "%s/test.db", dir);
	free(dir);
	return path;
}

static inline void test_rmdb(char *path)
{
	char buf[512];
	const char *suffixes[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(buf, sizeof buf, "%s%s", path, suffixes[i]);
		unlink(buf);
	}
	char *slash = strrchr(path, '/');
	*slash = '\0';
	rmdir(path);
	free(path);
}

/* One integer from SQL run on the file directly, behind the store's back. */
static inline int64_t test_raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	int64_t v = -1;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		abort();
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			v = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	return v;
}

/* Runs SQL on the file behind the store's back, as someone tampering would. */
static inline int test_raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		abort();
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

#endif
