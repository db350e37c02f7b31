/*
 * Shared by the unit tests: temporary databases and a standard case.
 */
#ifndef FH_TEST_HELPERS_H
#define FH_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h" /* FH_ORGS_DIR, FH_PROCEDURES_DIR */
#include "db.h"

#include "model.h"
#include "orgfile.h"
#include "store.h"
#include "store_orgfile.h"

/*
 * Databases: a SQLite file in a new temporary directory, or, when
 * FAIRHEARING_TEST_PG holds a PostgreSQL base URL (tests/run.sh starts a
 * throwaway cluster and sets it), a database on that cluster whose name is
 * new to this test run and process: fh_u_RUN_PID_N. `store_open` with
 * STORE_CREATE makes either.
 */
static inline const char *test_pg_base(void)
{
	const char *base = getenv("FAIRHEARING_TEST_PG");
	return base && *base ? base : NULL;
}

/* True when this run's databases are PostgreSQL ones (FAIRHEARING_TEST_PG set). */
static inline int test_pg(void)
{
	return test_pg_base() != NULL;
}

/*
 * Ends the current cmocka test as a skip when the run is on PostgreSQL,
 * saying why on a TAP comment line first: for checks of what only SQLite
 * has (its file format, application_id, WAL).  Needs <cmocka.h>.
 */
#define test_skip_on_pg(why)                                                  \
	do {                                                                  \
		if (test_pg()) {                                              \
			printf("# skipped on PostgreSQL: %s\n", (why));        \
			skip();                                               \
		}                                                             \
	} while (0)

/* True for a PostgreSQL target (a URL), false for a SQLite file. */
static inline int test_db_is_pg(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

/* A fresh database target (file path or URL); remove with test_rmdb. */
static inline char *test_dbpath(void)
{
	const char *base = test_pg_base();
	if (base) {
		static unsigned n;
		const char *run = getenv("FAIRHEARING_TEST_RUN");
		size_t len = strlen(base) + 96;
		char *url = malloc(len);
		if (!url)
			abort();
		snprintf(url, len, "%s%sfh_u_%s_%ld_%u", base, base[strlen(base) - 1] == '/' ? "" : "/",
			 run && *run ? run : "0", (long)getpid(), ++n);
		return url;
	}
	char *dir = strdup("/tmp/fh-test-XXXXXX");
	if (!dir || !mkdtemp(dir))
		abort();
	char *path = malloc(strlen(dir) + 16);
	sprintf(path, "%s/test.db", dir);
	free(dir);
	return path;
}

/* Drops a PostgreSQL test database through psql, on its server's `postgres`
 * database (WITH (FORCE): a connection a failed test left open does not stop it). */
static inline void test_pg_drop(const char *url)
{
	const char *slash = strrchr(url, '/');
	const char *query = strchr(slash, '?');
	size_t name_len = query ? (size_t)(query - slash - 1) : strlen(slash + 1);
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "PGOPTIONS=-cclient_min_messages=warning psql -XAtq -v ON_ERROR_STOP=1 -d '%.*s/postgres%s' "
		 "-c 'DROP DATABASE IF EXISTS \"%.*s\" WITH (FORCE)' >/dev/null",
		 (int)(slash - url), url, query ? query : "", (int)name_len, slash + 1);
	if (system(cmd) != 0)
		fprintf(stderr, "test_rmdb: could not drop %s\n", url);
}

static inline void test_rmdb(char *path)
{
	if (test_db_is_pg(path)) {
		test_pg_drop(path);
		free(path);
		return;
	}
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
	db_conn *db;
	db_stmt *stmt;
	int64_t v = -1;
	if (db_open(path, false, true, &db, NULL, 0) != DB_OK)
		abort();
	if (db_prepare(db, sql, &stmt) == DB_OK) {
		if (db_step(stmt) == DB_ROW)
			v = db_column_int64(stmt, 0);
		db_finalize(stmt);
	}
	db_close(db);
	return v;
}

/* Runs SQL on the file behind the store's back, as someone tampering would. */
static inline int test_raw_exec(const char *path, const char *sql)
{
	db_conn *db;
	if (db_open(path, false, true, &db, NULL, 0) != DB_OK)
		abort();
	int rc = db_exec(db, sql);
	db_close(db);
	return rc;
}

/*
 * Makes the PostgreSQL database TO a copy of FROM (CREATE DATABASE ...
 * TEMPLATE, on their server's `postgres` database), or, when LOCKED, first
 * makes FROM a store at the latest schema version if it is not one yet, all
 * under an advisory lock that every test program of the run shares: only
 * while it is held is anyone connected to FROM, which copying needs.
 */
static inline void test_pg_copy(const char *from, const char *to, int locked)
{
	const char *slash = strrchr(to, '/'), *fslash = strrchr(from, '/');
	const char *query = strchr(slash, '?'), *fquery = strchr(fslash, '?');
	char admin[600], sql[300];
	snprintf(admin, sizeof admin, "%.*s/postgres%s", (int)(slash - to), to, query ? query : "");
	snprintf(sql, sizeof sql, "CREATE DATABASE \"%.*s\" TEMPLATE \"%.*s\"",
		 (int)(query ? (size_t)(query - slash - 1) : strlen(slash + 1)), slash + 1,
		 (int)(fquery ? (size_t)(fquery - fslash - 1) : strlen(fslash + 1)), fslash + 1);
	db_conn *db;
	fh_store *st;
	fh_error err = {0};
	if (db_open(admin, false, false, &db, NULL, 0) != DB_OK)
		abort();
	/* the lock's key: any number of this helper's own */
	if (locked && db_exec(db, "SELECT pg_advisory_lock(4242017)") != DB_OK) {
		fprintf(stderr, "test_pg_copy: %s\n", db_errmsg(db));
		abort();
	}
	if (locked && store_open(from, STORE_CREATE, &st, &err) != FH_OK) {
		fprintf(stderr, "test_pg_copy: %s: %s\n", from, err.message);
		abort();
	}
	if (locked)
		store_close(st);
	if (db_exec(db, sql) != DB_OK) {
		fprintf(stderr, "test_pg_copy: %s: %s\n", sql, db_errmsg(db));
		abort();
	}
	db_close(db); /* and the lock with it */
}

/*
 * TO (a target of test_dbpath, not made yet) as a copy of the closed
 * database FROM: CREATE DATABASE ... TEMPLATE, or SQLite's VACUUM INTO.
 */
static inline void test_db_copy(const char *from, const char *to)
{
	if (test_db_is_pg(from)) {
		test_pg_copy(from, to, 0);
		return;
	}
	char sql[600];
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", to);
	if (test_raw_exec(from, sql) != DB_OK)
		abort();
}

/*
 * On PostgreSQL, makes URL a copy of this run's template, a database at the
 * latest schema version (fh_utpl_RUN_VERSION, migrated by the first test to
 * ask): copying one takes a fraction of migrating a new one, which every
 * test case on a fresh store would do otherwise.  What the copy holds is
 * what store_open would have made; the migrations' own tests (test_store.c)
 * still migrate from nothing and from every earlier version.
 */
static inline void test_pg_from_template(const char *url)
{
	const char *slash = strrchr(url, '/');
	const char *query = strchr(slash, '?');
	const char *run = getenv("FAIRHEARING_TEST_RUN");
	char tpl[700];
	snprintf(tpl, sizeof tpl, "%.*s/fh_utpl_%s_%d%s", (int)(slash - url), url,
		 run && *run ? run : "0", store_latest_schema_version(), query ? query : "");
	test_pg_copy(tpl, url, 1);
}

/*
 * A store on a fresh temporary database, its path in *path; close both with
 * test_store_close.  A database that will not open ends the test program.
 */
static inline fh_store *test_store_open(char **path)
{
	fh_store *st;
	fh_error err = {0};
	*path = test_dbpath();
	if (test_db_is_pg(*path))
		test_pg_from_template(*path);
	if (store_open(*path, STORE_CREATE, &st, &err) != FH_OK) {
		fprintf(stderr, "store_open: %s\n", err.message);
		abort();
	}
	return st;
}

static inline void test_store_close(fh_store *st, char *path)
{
	store_close(st);
	test_rmdb(path);
}

/* Ends the test program when a seeding step fails (setups are not tests). */
static inline void test_seed_ok(fh_status s, const fh_error *err, const char *what)
{
	if (s != FH_OK) {
		fprintf(stderr, "%s: %s\n", what, err->message);
		abort();
	}
}

/* Applies the demo's organisation file orgs/demo/CODE.json to st, as
 * `fairhearing org apply` does, with its procedures from procedures/. */
static inline void test_apply_demo_org(fh_store *st, const char *code)
{
	char dir[4096], path[4200];
	snprintf(dir, sizeof dir, "%s/demo", FH_ORGS_DIR);
	snprintf(path, sizeof path, "%s/%s.json", dir, code);
	FILE *in = fopen(path, "rb");
	if (!in) {
		perror(path);
		abort();
	}
	static char text[65536];
	size_t got = fread(text, 1, sizeof text - 1, in);
	fclose(in);
	text[got] = '\0';
	fh_orgfile *file = NULL;
	proc_problems problems = {0};
	fh_error err = {0};
	test_seed_ok(orgfile_parse(text, &file, &problems, &err), &err, path);
	store_org_apply_opts opts = {.procedures_dir = FH_PROCEDURES_DIR, .file_dir = dir,
				     .actor = "test"};
	bool admin_created = false;
	test_seed_ok(store_org_apply(st, file, &opts, NULL, &admin_created, &err), &err, path);
	orgfile_free(file);
}

/* The two organisations most tests use, bct and bcp; their ids unless NULL. */
static inline void test_seed_orgs(fh_store *st, int64_t *bct_id, int64_t *bcp_id)
{
	fh_error err = {0};
	const fh_org bct = {.code = "bct", .name = "Birmingham Children's Trust", .ref_prefix = "BCT"};
	const fh_org bcp = {.code = "bcp", .name = "BCP Council", .ref_prefix = "BCP"};
	test_seed_ok(store_org_create(st, &bct, "test", bct_id, &err), &err, "bct");
	test_seed_ok(store_org_create(st, &bcp, "test", bcp_id, &err), &err, "bcp");
}

/* The standard case: bct (with its address, for letters) and one complaint
 * by Amira Khan about a cancelled contact, received 2026-03-02; its
 * reference in ref. */
static inline void test_seed_case(fh_store *st, char ref[FH_REFERENCE_MAX])
{
	fh_error err = {0};
	const fh_org org = {.code = "bct", .name = "Birmingham Children's Trust",
			    .ref_prefix = "BCT", .address = "PO Box 17342, Birmingham B2 2DW"};
	test_seed_ok(store_org_create(st, &org, "test", NULL, &err), &err, "bct");
	fh_party party = {.role = "complainant", .relationship = "self",
			  .person = {.given_name = "Amira", .family_name = "Khan",
				     .email = "amira@example.org"}};
	fh_point point = {.summary = "Contact was cancelled", .desired_outcome = "An apology"};
	fh_case_input in = {.org_code = "bct", .kind = "complaint", .channel = "email",
			    .received_on = "2026-03-02", .summary = "Contact cancelled",
			    .n_parties = 1, .parties = &party, .n_points = 1, .points = &point};
	test_seed_ok(case_input_validate(&in, date_from_ymd(2026, 11, 23), &err), &err, "case");
	test_seed_ok(store_case_create(st, &in, "test", ref, &err), &err, "case");
}

/* How many events of this action the audit chain holds. */
static inline int64_t test_event_count(const char *path, const char *action)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE action = '%s'", action);
	return test_raw_int(path, sql);
}

/* The first person on any case (the standard case's complainant). */
static inline int64_t test_first_person(const char *path)
{
	return test_raw_int(path, "SELECT min(person_id) FROM case_parties");
}

/* The fixture of tests on the standard case: a store and the case's reference. */
typedef struct test_case_fixture {
	char *path;
	fh_store *st;
	char ref[FH_REFERENCE_MAX];
} test_case_fixture;

/* cmocka setup and teardown of a test_case_fixture. */
static inline int test_case_setup(void **state)
{
	test_case_fixture *f = calloc(1, sizeof *f);
	f->st = test_store_open(&f->path);
	test_seed_case(f->st, f->ref);
	*state = f;
	return 0;
}

static inline int test_case_teardown(void **state)
{
	test_case_fixture *f = *state;
	test_store_close(f->st, f->path);
	free(f);
	return 0;
}

#endif
