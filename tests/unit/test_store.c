/*
 * Unit tests for the store, on SQLite or PostgreSQL: opening and refusing
 * databases, migrations, round trips of every record, references,
 * one-transaction changes, and the audit hash chain detecting tampering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "hashchain.h"
#include "migrations.h"
#include "store_event.h"
#include "store_internal.h"
#include "test_helpers.h"

typedef struct fixture {
	char *path;
	fh_store *st;
} fixture;

static const fh_org test_org = {.code = "bct", .name = "Birmingham Children's Trust",
				.ref_prefix = "BCT", .address = "PO Box 17342, Birmingham B2 2DW"};

static void seed_org(fh_store *st)
{
	fh_error err = {0};
	assert_int_equal(store_org_create(st, &test_org, "test", NULL, &err), FH_OK);
	fh_team service = {.name = "Children in Care", .level = "service"};
	fh_team team = {.name = "Fostering", .level = "team", .parent = "Children in Care"};
	assert_int_equal(store_team_create(st, "bct", &service, "test", NULL, &err), FH_OK);
	assert_int_equal(store_team_create(st, "bct", &team, "test", NULL, &err), FH_OK);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->st = test_store_open(&f->path);
	seed_org(f->st);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	test_store_close(f->st, f->path);
	free(f);
	return 0;
}

/* A parent complaining for a looked-after child, with two points. */
static fh_case_input parent_complaint(fh_party parties[2], fh_point points[2], fh_equality *eq)
{
	*eq = (fh_equality){.preferred_language = "Urdu", .sex = "Female", .disability = "no"};
	parties[0] = (fh_party){
		.role = "complainant", .relationship = "parent",
		.person = {.given_name = "Amira", .family_name = "Khan", .email = "a.khan@example.org",
			   .address = "12 Albert Road, Birmingham", .postcode = "B12 9QX",
			   .equality = eq}};
	parties[1] = (fh_party){.role = "child", .child_status = "looked_after",
				.person = {.given_name = "Yusuf", .family_name = "Khan",
					   .date_of_birth = "2014-05-02"}};
	points[0] = (fh_point){.summary = "Contact with his sister was cancelled twice",
			       .desired_outcome = "A contact plan"};
	points[1] = (fh_point){.summary = "Calls were not returned", .desired_outcome = ""};
	return (fh_case_input){.org_code = "bct", .kind = "complaint", .channel = "email",
			       .received_on = "2026-03-02", .summary = "Sibling contact cancelled",
			       .details = "Twice in March.", .team = "Fostering",
			       .n_parties = 2, .parties = parties, .n_points = 2, .points = points};
}

static void test_fresh_database_is_marked_and_migrated(void **state)
{
	fixture *f = *state;
	assert_int_equal(store_schema_version(f->st), store_latest_schema_version());
	/* Our mark: SQLite's application_id, or on PostgreSQL the comment on
	 * schema_migrations. */
	if (test_pg())
		assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM pg_class WHERE relname ="
						  " 'schema_migrations' AND obj_description(oid, 'pg_class')"
						  " = 'fairhearing'"), 1);
	else
		assert_int_equal(test_raw_int(f->path, "PRAGMA application_id"), 0x46485247);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM schema_migrations"),
			 store_latest_schema_version());
	/* STRICT everywhere (PostgreSQL's types are): a text in an integer
	 * column is refused. */
	assert_int_not_equal(test_raw_exec(f->path, "INSERT INTO reference_counters VALUES (1, 'x', 1)"),
			     DB_OK);
}

/* WAL, so readers never wait for the writer. */
static void test_sqlite_file_is_in_wal_mode(void **state)
{
	fixture *f = *state;
	test_skip_on_pg("WAL is SQLite's journal mode; PostgreSQL's readers never wait for a writer");
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM pragma_journal_mode "
					  "WHERE journal_mode = 'wal'"), 1);
}

static void test_refuses_files_that_are_not_databases(void **state)
{
	(void)state;
	test_skip_on_pg("a file that is not a database: there is no file");
	char *path = test_dbpath();
	FILE *fp = fopen(path, "w");
	fputs("name,age\nAmira,14\n", fp);
	fclose(fp);
	fh_store *st;
	fh_error err = {0};
	assert_int_equal(store_open(path, STORE_CREATE, &st, &err), FH_ESCHEMA);
	assert_string_equal(err.field, "db");
	fp = fopen(path, "r");
	char buf[64] = {0};
	assert_true(fread(buf, 1, sizeof buf - 1, fp) > 0);
	fclose(fp);
	assert_string_equal(buf, "name,age\nAmira,14\n"); /* untouched */
	test_rmdb(path);
}

/* Another program's database (its tables, not our mark) is left alone. */
static void test_refuses_another_programs_database(void **state)
{
	(void)state;
	char *path = test_dbpath();
	fh_store *st;
	fh_error err = {0};
	assert_int_equal(test_raw_exec(path, "CREATE TABLE invoices (id INTEGER)"), DB_OK);
	assert_int_equal(store_open(path, STORE_CREATE, &st, &err), FH_ESCHEMA);
	assert_non_null(strstr(err.message, "another program"));
	assert_int_equal(test_raw_int(path, test_pg()
		? "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
		  " WHERE n.nspname = current_schema()"
		: "SELECT count(*) FROM sqlite_schema"), 1);
	test_rmdb(path);
}

static void test_refuses_missing_file_without_create(void **state)
{
	(void)state;
	fh_store *st;
	fh_error err = {0};
	/* a file in a directory that does not exist, or a database never created */
	char *path = test_pg() ? test_dbpath() : strdup("/tmp/fh-no-such-dir/none.db");
	assert_int_equal(store_open(path, 0, &st, &err), FH_ENOTFOUND);
	assert_non_null(strstr(err.message, "fairhearing init"));
	free(path);
}

static void test_refuses_newer_schema(void **state)
{
	fixture *f = *state;
	store_close(f->st);
	f->st = NULL;
	char sql[160];
	snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES (%d, 'future', 'x')",
		 store_latest_schema_version() + 1);
	assert_int_equal(test_raw_exec(f->path, sql), DB_OK);
	fh_error err = {0};
	assert_int_equal(store_open(f->path, 0, &f->st, &err), FH_ESCHEMA);
	assert_non_null(strstr(err.message, "newer Fairhearing"));
	assert_null(f->st);
}

/* From empty and from each earlier version, upgrading reaches the latest
 * schema, records every step, keeps existing data and its audit chain.
 * The database at each version is a copy of one migrated a step further
 * each time (a ladder), not migrated from nothing again: the same schemas
 * for half the migrations, which on PostgreSQL were most of the store
 * test's time. */
static void test_migrates_from_each_earlier_version(void **state)
{
	(void)state;
	int latest = store_latest_schema_version();
	char *ladder = test_dbpath();
	for (int from = 1; from <= latest; from++) {
		char *path = test_dbpath();
		fh_store *st;
		fh_error err = {0};
		assert_int_equal(store_open_version(ladder, STORE_CREATE, from, &st, &err), FH_OK);
		assert_int_equal(store_schema_version(st), from);
		store_close(st);
		test_db_copy(ladder, path);
		assert_int_equal(store_open_version(path, 0, from, &st, &err), FH_OK);
		assert_int_equal(store_schema_version(st), from);
		seed_org(st); /* version 1 already has organisations and teams */
		store_close(st);
		assert_int_equal(store_open(path, 0, &st, &err), FH_OK);
		assert_int_equal(store_schema_version(st), latest);
		assert_int_equal(test_raw_int(path, "SELECT count(*) FROM schema_migrations"), latest);
		assert_int_equal(test_raw_int(path, "SELECT count(*) FROM organisations"), 1);
		store_audit_report report;
		assert_int_equal(store_audit_verify(st, &report, &err), FH_OK);
		assert_int_equal(report.events_checked, 3);
		store_close(st);
		test_rmdb(path);
	}
	test_rmdb(ladder);
	assert_true(store_migration_count >= 1);
	assert_int_equal(store_migrations[0].version, 1);
}

static void test_case_round_trip(void **state)
{
	fixture *f = *state;
	fh_party parties[2];
	fh_point points[2];
	fh_equality eq;
	fh_case_input in = parent_complaint(parties, points, &eq);
	fh_error err = {0};
	char ref[FH_REFERENCE_MAX];
	assert_int_equal(case_input_validate(&in, date_from_ymd(2026, 11, 23), &err), FH_OK);
	assert_int_equal(store_case_create(f->st, &in, "officer@bct.demo", ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2026-00001");

	fh_arena a = ARENA_INIT;
	fh_case c;
	assert_int_equal(store_case_get(f->st, "bct-2026-00001", &a, &c, &err), FH_OK);
	assert_string_equal(c.reference, "BCT-2026-00001");
	assert_string_equal(c.org_code, "bct");
	assert_string_equal(c.kind, "complaint");
	assert_string_equal(c.channel, "email");
	assert_string_equal(c.received_on, "2026-03-02");
	assert_string_equal(c.summary, "Sibling contact cancelled");
	assert_string_equal(c.details, "Twice in March.");
	assert_string_equal(c.team, "Fostering");
	assert_string_equal(c.route, "untriaged");
	assert_string_equal(c.state, "received");
	assert_int_equal(c.n_parties, 2);
	assert_string_equal(c.parties[0].role, "complainant");
	assert_string_equal(c.parties[0].relationship, "parent");
	/* 000 "Friends or relatives": a parent speaks for the child, so the
	 * child's consent starts as not yet asked. */
	assert_string_equal(c.parties[0].consent, "not_asked");
	assert_string_equal(c.parties[0].person.email, "a.khan@example.org");
	assert_string_equal(c.parties[0].person.postcode, "B12 9QX");
	assert_string_equal(c.parties[1].child_status, "looked_after");
	assert_string_equal(c.parties[1].person.date_of_birth, "2014-05-02");
	assert_int_equal(c.n_points, 2);
	assert_int_equal(c.points[0].seq, 1);
	assert_string_equal(c.points[0].desired_outcome, "A contact plan");
	assert_int_equal(c.n_events, 1);
	assert_string_equal(c.events[0].action, "recorded");
	assert_string_equal(c.events[0].actor, "officer@bct.demo");
	assert_string_equal(c.events[0].effective_on, "2026-03-02");
	/* Equality answers are kept apart from the person and the case (DOMAIN §7),
	 * and the event names what was recorded, never who. */
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM equality_monitoring WHERE "
					  "preferred_language = 'Urdu'"), 1);
	assert_null(strstr(c.events[0].data, "Khan"));
	arena_free(&a);

	assert_int_equal(store_case_get(f->st, "BCT-2026-00099", &a, &c, &err), FH_ENOTFOUND);
	assert_int_equal(store_case_get(f->st, "not a ref", &a, &c, &err), FH_EINVAL);
	assert_string_equal(err.field, "reference");
	arena_free(&a);
}

/* The search rows matching word as a phrase: FTS5's MATCH, or on PostgreSQL
 * a tsquery over the tsvector, the word cut to its runs of letters and
 * digits as migrations_pg/004 says. */
static int64_t search_rows(const char *path, const char *word)
{
	char sql[200];
	if (test_pg())
		snprintf(sql, sizeof sql, "SELECT count(*) FROM cases_fts WHERE tsv @@ to_tsquery("
			 "'simple', quote_literal(regexp_replace('%s', '[^[:alnum:]]+', ' ', 'g')))", word);
	else
		snprintf(sql, sizeof sql, "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"%s\"'",
			 word);
	return test_raw_int(path, sql);
}

/* A new case's search row is written once (migration 017), holding what
 * migration 004's triggers put there: the reference, every party's name,
 * the summary, details and every point; later changes still reach it. */
static void test_case_search_row(void **state)
{
	fixture *f = *state;
	fh_party parties[2];
	fh_point points[2];
	fh_equality eq;
	fh_case_input in = parent_complaint(parties, points, &eq);
	fh_error err = {0};
	char ref[FH_REFERENCE_MAX];
	assert_int_equal(store_case_create(f->st, &in, "officer@bct.demo", ref, &err), FH_OK);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases_fts"), 1);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases_fts WHERE names = "
					  "'Amira Khan Yusuf Khan'"), 1);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases_fts WHERE body = "
					  "'Sibling contact cancelled Twice in March. Contact with his "
					  "sister was cancelled twice A contact plan Calls were not returned '"),
			 1);
	static const char *const words[] = {"BCT-2026-00001", "amira", "yusuf", "sibling", "march",
					    "sister", "plan", "returned"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		assert_int_equal(search_rows(f->path, words[i]), 1);
	/* a party added later, through the trigger that stays */
	assert_int_equal(test_raw_exec(f->path,
		"INSERT INTO people (org_id, given_name, family_name, created_at)"
		" VALUES (1, 'Zed', 'Quillon', 'x');"
		"INSERT INTO case_parties (case_id, person_id, role)"
		" VALUES (1, (SELECT max(id) FROM people), 'advocate');"),
		DB_OK);
	assert_int_equal(search_rows(f->path, "quillon"), 1);
	/* FTS5's own check of its index (PostgreSQL's tsvector is a generated
	 * column: it cannot disagree with the text) */
	if (!test_pg())
		assert_int_equal(test_raw_exec(f->path, "INSERT INTO cases_fts (cases_fts) VALUES"
					       " ('integrity-check')"), DB_OK);
	assert_int_equal(test_raw_int(f->path, test_pg()
		? "SELECT count(*) FROM pg_trigger WHERE tgname = 'cases_fts_insert'"
		: "SELECT count(*) FROM sqlite_master WHERE name = 'cases_fts_insert'"), 0);
}

/* Issue 16 item 13: a received date before the organisation was set up is
 * refused naming received_on, and nothing is written; without a set-up
 * day the floor is SI 2006/1738's coming into force (1 September 2006). */
static void test_received_before_set_up_refused_issue16_item13(void **state)
{
	fixture *f = *state;
	fh_party parties[2];
	fh_point points[2];
	fh_equality eq;
	fh_case_input in = parent_complaint(parties, points, &eq);
	fh_error err = {0};
	char ref[FH_REFERENCE_MAX];
	in.received_on = "1900-01-01";
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_EINVAL);
	assert_string_equal(err.field, "received_on");
	assert_non_null(strstr(err.message, "2006-09-01"));
	in.received_on = "2006-08-31";
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_EINVAL);
	in.received_on = "2006-09-01";
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);

	assert_int_equal(store_org_set_up_on(f->st, "bct", "2018-04-01", "t", &err), FH_OK);
	assert_int_equal(store_org_set_up_on(f->st, "bct", "2018-13-01", "t", &err), FH_EINVAL);
	assert_string_equal(err.field, "set_up_on");
	int64_t cases = test_raw_int(f->path, "SELECT count(*) FROM cases");
	int64_t events = test_raw_int(f->path, "SELECT count(*) FROM events");
	in.received_on = "2018-03-31";
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_EINVAL);
	assert_string_equal(err.field, "received_on");
	assert_non_null(strstr(err.message, "was set up (2018-04-01)"));
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases"), cases);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events"), events);
	in.received_on = "2018-04-01";
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2018-00001");
}

/* References count per organisation and per year of receipt, with no gaps:
 * a case that fails to record does not use up a number. */
static void test_references_and_atomicity(void **state)
{
	fixture *f = *state;
	fh_party parties[2];
	fh_point points[2];
	fh_equality eq;
	fh_case_input in = parent_complaint(parties, points, &eq);
	fh_error err = {0};
	char ref[FH_REFERENCE_MAX];
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2026-00001");

	int64_t people = test_raw_int(f->path, "SELECT count(*) FROM people");
	int64_t events = test_raw_int(f->path, "SELECT count(*) FROM events");
	in.team = "No Such Team";
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_ENOTFOUND);
	assert_string_equal(err.field, "team");
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases"), 1);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM people"), people);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events"), events);

	in.team = NULL;
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2026-00002");
	in.received_on = "2025-12-31";
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2025-00001");

	in.org_code = "nobody";
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_ENOTFOUND);
	assert_string_equal(err.field, "org");

	/* A failure inside the caller's transaction takes the whole of it back. */
	in.org_code = "bct";
	assert_int_equal(store_begin(f->st, &err), FH_OK);
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	store_rollback(f->st);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM cases"), 3);
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2025-00002");
}

/*
 * Refuses inserts into TABLE (where WHEN holds) with "refused by the test",
 * behind the store's back: a failure in the middle of recording a case.
 */
static void refuse_inserts(const char *path, const char *table, const char *when)
{
	char sql[800];
	if (test_db_is_pg(path))
		snprintf(sql, sizeof sql,
			 "CREATE FUNCTION t_refuse_%s() RETURNS trigger LANGUAGE plpgsql AS"
			 " $$BEGIN RAISE EXCEPTION 'refused by the test'; END$$;"
			 " CREATE TRIGGER t_refuse_%s BEFORE INSERT ON %s FOR EACH ROW"
			 " WHEN (%s) EXECUTE FUNCTION t_refuse_%s()", table, table, table, when, table);
	else
		snprintf(sql, sizeof sql,
			 "CREATE TRIGGER t_refuse_%s BEFORE INSERT ON %s WHEN %s"
			 " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END", table, table, when);
	assert_int_equal(test_raw_exec(path, sql), DB_OK);
}

static void allow_inserts(const char *path, const char *table)
{
	char sql[300];
	if (test_db_is_pg(path))
		snprintf(sql, sizeof sql, "DROP TRIGGER t_refuse_%s ON %s; DROP FUNCTION t_refuse_%s()",
			 table, table, table);
	else
		snprintf(sql, sizeof sql, "DROP TRIGGER t_refuse_%s", table);
	assert_int_equal(test_raw_exec(path, sql), DB_OK);
}

/* Nothing of a failed case is left: no case, person, point or event. */
static void assert_nothing_added(const char *path, int64_t cases, int64_t people, int64_t events)
{
	assert_int_equal(test_raw_int(path, "SELECT count(*) FROM cases"), cases);
	assert_int_equal(test_raw_int(path, "SELECT count(*) FROM people"), people);
	assert_int_equal(test_raw_int(path, "SELECT count(*) FROM complaint_points"), 2 * cases);
	assert_int_equal(test_raw_int(path, "SELECT count(*) FROM events"), events);
	assert_int_equal(test_raw_int(path, "SELECT count(*) FROM case_lifecycle"), cases);
}

/*
 * Issue 21 item 2: on PostgreSQL a case's rowless writes are sent ahead in
 * libpq's pipeline and their answers read later (db_defer_writes).  A write
 * that fails there, early (a point, with reads after it) or last (the first
 * state), must still fail the whole case with its own message, leave
 * nothing written, keep the audit chain whole and leave no gap in the
 * references; and inside a writer's batch (a savepoint a change, as
 * src/server/writeq.c does) only that case is undone.  The same holds on
 * SQLite, where every statement waits for its answer.
 */
static void test_failure_of_a_write_sent_ahead_undoes_the_whole_case_issue21(void **state)
{
	fixture *f = *state;
	fh_party parties[2];
	fh_point points[2];
	fh_equality eq;
	fh_case_input in = parent_complaint(parties, points, &eq);
	fh_error err = {0};
	char ref[FH_REFERENCE_MAX];
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2026-00001");
	int64_t people = test_raw_int(f->path, "SELECT count(*) FROM people");
	int64_t events = test_raw_int(f->path, "SELECT count(*) FROM events");

	/* a point: statements and reads follow it */
	refuse_inserts(f->path, "complaint_points", "NEW.summary = 'Calls were not returned'");
	memset(&err, 0, sizeof err);
	assert_int_not_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_non_null(strstr(err.message, "refused by the test"));
	assert_nothing_added(f->path, 1, people, events);

	/* the same inside a batch: the failed case's savepoint is undone, the
	 * next case in the same transaction is kept and takes the next number */
	assert_int_equal(store_begin(f->st, &err), FH_OK);
	assert_int_equal(store_savepoint(f->st, &err), FH_OK);
	memset(&err, 0, sizeof err);
	assert_int_not_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_non_null(strstr(err.message, "refused by the test"));
	assert_int_equal(store_savepoint_end(f->st, false, &err), FH_OK);
	points[1].summary = "Calls were returned late";
	assert_int_equal(store_savepoint(f->st, &err), FH_OK);
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2026-00002");
	assert_int_equal(store_savepoint_end(f->st, true, &err), FH_OK);
	assert_int_equal(store_commit(f->st, &err), FH_OK);
	allow_inserts(f->path, "complaint_points");
	int64_t people2 = test_raw_int(f->path, "SELECT count(*) FROM people");
	int64_t events2 = test_raw_int(f->path, "SELECT count(*) FROM events");
	assert_int_equal(people2, people + 2);
	assert_true(events2 > events);

	/* the case's first state, its last rowless write */
	refuse_inserts(f->path, "case_lifecycle", "1 = 1");
	memset(&err, 0, sizeof err);
	assert_int_not_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_non_null(strstr(err.message, "refused by the test"));
	assert_nothing_added(f->path, 2, people2, events2);
	allow_inserts(f->path, "case_lifecycle");

	/* the connection is usable again, the numbers run on, the chain holds */
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	assert_string_equal(ref, "BCT-2026-00003");
	store_audit_report report = {0};
	assert_int_equal(store_audit_verify(f->st, &report, &err), FH_OK);
}

static void test_orgs_teams_users(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_arena a = ARENA_INIT;
	fh_org org;
	assert_int_equal(store_org_get(f->st, "bct", &a, &org, &err), FH_OK);
	assert_string_equal(org.name, "Birmingham Children's Trust");
	assert_string_equal(org.region, "england-and-wales");
	assert_int_equal(store_org_create(f->st, &test_org, "t", NULL, &err), FH_ECONFLICT);
	fh_org bad = {.code = "BAD CODE", .name = "x", .ref_prefix = "XX"};
	assert_int_not_equal(store_org_create(f->st, &bad, "t", NULL, &err), FH_OK);

	fh_user u = {.email = "tm@bct.demo", .display_name = "Team Manager"};
	assert_int_equal(store_user_create(f->st, &u, "t", NULL, &err), FH_OK);
	assert_int_equal(store_user_grant(f->st, "tm@bct.demo", "bct", "adjudicating_officer",
					  "Fostering", "t", &err), FH_OK);
	assert_int_equal(store_user_grant(f->st, "tm@bct.demo", "bct", "wizard", NULL, "t", &err),
			 FH_EINVAL);
	assert_string_equal(err.field, "role");
	fh_user *users;
	size_t n;
	assert_int_equal(store_user_list(f->st, "bct", &a, &users, &n, &err), FH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(users[0].n_roles, 1);
	assert_string_equal(users[0].roles[0].role, "adjudicating_officer");
	assert_string_equal(users[0].roles[0].team, "Fostering");

	fh_team *teams;
	assert_int_equal(store_team_list(f->st, "bct", &a, &teams, &n, &err), FH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(teams[0].name, "Children in Care");
	assert_string_equal(teams[1].parent, "Children in Care");
	fh_team orphan = {.name = "Orphan", .level = "team"};
	assert_int_equal(store_team_create(f->st, "bct", &orphan, "t", NULL, &err), FH_EINVAL);
	assert_string_equal(err.field, "parent");
	arena_free(&a);
}

static void test_list_filters_and_pages(void **state)
{
	fixture *f = *state;
	fh_party parties[2];
	fh_point points[2];
	fh_equality eq;
	fh_case_input in = parent_complaint(parties, points, &eq);
	fh_error err = {0};
	char ref[FH_REFERENCE_MAX];
	const char *dates[] = {"2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05", "2026-05-05"};
	for (int i = 0; i < 5; i++) {
		in.received_on = dates[i];
		in.kind = i % 2 ? "compliment" : "complaint";
		assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	}
	fh_arena a = ARENA_INIT;
	fh_case *cases;
	size_t count;
	store_page page;
	store_case_filter filter = {.org_code = "bct", .limit = 2};
	assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err), FH_OK);
	assert_int_equal(count, 2);
	assert_int_equal(page.total, 5);
	assert_string_equal(cases[0].received_on, "2026-05-05"); /* newest first */
	filter.offset = 4;
	assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err), FH_OK);
	assert_int_equal(count, 1);
	assert_string_equal(cases[0].received_on, "2026-01-05");
	filter = (store_case_filter){.kind = "compliment", .received_from = "2026-03-01"};
	assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err), FH_OK);
	assert_int_equal(count, 1);
	assert_string_equal(cases[0].received_on, "2026-04-05");
	filter = (store_case_filter){.offset = 100};
	assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err), FH_OK);
	assert_int_equal(count, 0);
	assert_int_equal(page.total, 5);
	arena_free(&a);
}

/*
 * Paging with the cursor: every case exactly once, in the list's
 * total order (newest received first, then the later id first), including
 * cases received on the same day, which only the id tells apart.
 */
static void test_list_cursor_sees_every_case_once_in_order(void **state)
{
	fixture *f = *state;
	fh_party parties[2];
	fh_point points[2];
	fh_equality eq;
	fh_case_input in = parent_complaint(parties, points, &eq);
	fh_error err = {0};
	enum { N = 11 };
	char refs[N][FH_REFERENCE_MAX];
	/* three days, several cases on each, recorded out of date order */
	const char *dates[N] = {"2026-02-01", "2026-03-01", "2026-02-01", "2026-01-01",
				"2026-03-01", "2026-02-01", "2026-01-01", "2026-03-01",
				"2026-02-01", "2026-01-01", "2026-02-01"};
	for (int i = 0; i < N; i++) {
		in.received_on = dates[i];
		assert_int_equal(store_case_create(f->st, &in, "t", refs[i], &err), FH_OK);
	}
	/* the order expected: by date descending, then recorded later first */
	const char *want[N];
	size_t w = 0;
	const char *days[] = {"2026-03-01", "2026-02-01", "2026-01-01"};
	for (int d = 0; d < 3; d++)
		for (int i = N - 1; i >= 0; i--)
			if (strcmp(dates[i], days[d]) == 0)
				want[w++] = refs[i];
	assert_int_equal(w, N);

	fh_arena a = ARENA_INIT;
	store_cursor after;
	store_case_filter filter = {.org_code = "bct", .limit = 3};
	size_t seen = 0, pages = 0;
	for (;;) {
		fh_case *cases;
		size_t count;
		store_page page;
		assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err),
				 FH_OK);
		assert_int_equal(page.total, N);
		assert_false(page.total_capped);
		for (size_t i = 0; i < count; i++, seen++) {
			assert_true(seen < N);
			assert_string_equal(cases[i].reference, want[seen]);
		}
		pages++;
		if (!page.next[0])
			break;
		assert_int_equal(count, 3); /* a page with a next is full */
		assert_true(store_cursor_parse(page.next, &after));
		filter.after = &after;
	}
	assert_int_equal(seen, N);
	assert_int_equal(pages, 4); /* 3 + 3 + 3 + 2 */

	/* A list that fits its page has no next and an exact total. */
	filter = (store_case_filter){.org_code = "bct", .limit = N};
	fh_case *cases;
	size_t count;
	store_page page;
	assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err), FH_OK);
	assert_int_equal(count, N);
	assert_string_equal(page.next, "");
	assert_int_equal(page.total, N);
	/* The cursor with the other filters: only March's cases after the first. */
	filter = (store_case_filter){.org_code = "bct", .received_from = "2026-03-01", .limit = 1};
	assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err), FH_OK);
	assert_int_equal(count, 1);
	assert_int_equal(page.total, 3);
	assert_true(store_cursor_parse(page.next, &after));
	filter.after = &after;
	filter.limit = 10;
	assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err), FH_OK);
	assert_int_equal(count, 2);
	assert_string_equal(cases[0].reference, want[1]);
	assert_string_equal(cases[1].reference, want[2]);
	assert_int_equal(page.total, 3); /* the whole list's count, not what is left */
	arena_free(&a);
}

/* The cursor is opaque text: anything not made by store_cursor_format is refused. */
static void test_cursor_malformed_is_refused(void **state)
{
	(void)state;
	char text[STORE_CURSOR_MAX];
	store_cursor c;
	store_cursor_format("2026-02-01", 42, text);
	assert_true(store_cursor_parse(text, &c));
	assert_string_equal(c.received_on, "2026-02-01");
	assert_int_equal(c.id, 42);
	store_cursor_format("2026-12-31", INT64_C(123456789012), text);
	assert_true(store_cursor_parse(text, &c));
	assert_int_equal(c.id, INT64_C(123456789012));
	char made[8][STORE_CURSOR_MAX];
	store_cursor_format("2026-02-30", 42, made[0]); /* no such day */
	store_cursor_format("2026-02-01", 0, made[1]);  /* no such id */
	store_cursor_format("2026-02-01", -5, made[2]);
	store_cursor_format("2026-2-1xx", 42, made[3]);
	const char *bad[] = {"", "x", "MjAyNi0wMi0wMS40Mg==", "MjAyNi0wMi0wMS40Mg!", "2026-02-01.42",
			     "MjAyNi0wMi0wMSA0Mg", "MjAyNi0wMi0wMS40Mng",
			     "MjAyNi0wMi0wMS40MjQyNDI0MjQyNDI0MjQyNDI0MjQyNDI0MjQyNDI0Mg",
			     made[0], made[1], made[2], made[3]};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (store_cursor_parse(bad[i], &c))
			fail_msg("cursor '%s' (%zu) was accepted", bad[i], i);
	}
}

/* Counts stop at STORE_COUNT_CAP + 1: "more than 1000". */
static void test_list_count_stops_at_cap(void **state)
{
	fixture *f = *state;
	fh_party parties[2];
	fh_point points[2];
	fh_equality eq;
	fh_case_input in = parent_complaint(parties, points, &eq);
	fh_error err = {0};
	char ref[FH_REFERENCE_MAX];
	in.received_on = "2026-04-01";
	assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
	/* 1,200 copies of it, made in SQL (the count, not the history, is tested) */
	assert_int_equal(test_raw_exec(f->path,
		"WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 1200)"
		" INSERT INTO cases (org_id, reference, kind, channel, received_on, summary,"
		" created_at, updated_at) SELECT org_id, reference || '.' || CAST(k.n AS TEXT), kind,"
		" channel, received_on, summary, created_at, updated_at FROM cases, k"), DB_OK);
	fh_arena a = ARENA_INIT;
	fh_case *cases;
	size_t count;
	store_page page;
	store_case_filter filter = {.org_code = "bct", .limit = 20};
	assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err), FH_OK);
	assert_int_equal(count, 20);
	assert_true(page.total_capped);
	assert_int_equal(page.total, STORE_COUNT_CAP + 1);
	assert_int_not_equal(page.next[0], '\0');
	/* a filter that leaves fewer than the cap is counted exactly */
	filter.received_from = "2026-04-02";
	assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err), FH_OK);
	assert_int_equal(count, 0);
	assert_int_equal(page.total, 0);
	assert_false(page.total_capped);
	/* the last page, reached by cursor, is still counted at the cap */
	filter = (store_case_filter){.org_code = "bct", .limit = 1000};
	size_t seen = 0;
	store_cursor after;
	for (;;) {
		assert_int_equal(store_case_list(f->st, &filter, &a, &cases, &count, &page, &err),
				 FH_OK);
		seen += count;
		assert_true(page.total_capped);
		if (!page.next[0])
			break;
		assert_true(store_cursor_parse(page.next, &after));
		filter.after = &after;
	}
	assert_int_equal(seen, 1201);
	arena_free(&a);
}

static void add_cases(fixture *f, int n)
{
	fh_party parties[2];
	fh_point points[2];
	fh_equality eq;
	fh_case_input in = parent_complaint(parties, points, &eq);
	fh_error err = {0};
	char ref[FH_REFERENCE_MAX];
	for (int i = 0; i < n; i++)
		assert_int_equal(store_case_create(f->st, &in, "t", ref, &err), FH_OK);
}

static fh_status verify(fixture *f, store_audit_report *report, fh_error *err)
{
	store_close(f->st);
	assert_int_equal(store_open(f->path, 0, &f->st, err), FH_OK);
	return store_audit_verify(f->st, report, err);
}

/* Verifies the chain and expects it to break at event id (why, in err). */
static void expect_broken_at(fixture *f, int64_t id, fh_error *err)
{
	store_audit_report report;
	assert_int_equal(verify(f, &report, err), FH_EINTEGRITY);
	assert_int_equal(report.first_bad_event, id);
}

static void test_events_are_append_only(void **state)
{
	fixture *f = *state;
	add_cases(f, 1);
	assert_int_not_equal(test_raw_exec(f->path, "UPDATE events SET actor = 'x'"), DB_OK);
	assert_int_not_equal(test_raw_exec(f->path, "DELETE FROM events"), DB_OK);
	assert_int_not_equal(test_raw_exec(f->path, "DELETE FROM audit_head"), DB_OK);
}

static void test_chain_verifies(void **state)
{
	fixture *f = *state;
	add_cases(f, 3);
	store_audit_report report;
	fh_error err = {0};
	assert_int_equal(verify(f, &report, &err), FH_OK);
	/* 1 organisation + 2 teams + 3 cases */
	assert_int_equal(report.events_checked, 6);
	assert_int_equal(report.first_bad_event, 0);
}

/*
 * Tampering as someone with the database in their hands would: SQLite's
 * guards are triggers to drop (and foreign keys to turn off); PostgreSQL's
 * triggers, foreign keys' too, stay quiet for the session in replica mode
 * (the test cluster's user is a superuser).
 */
static void tamper(const char *path, const char *sqlite_guards, const char *sql)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s%s", test_pg() ? "SET session_replication_role = replica;"
						      : sqlite_guards, sql);
	assert_int_equal(test_raw_exec(path, buf), DB_OK);
}

/* Someone with the file drops the guard and edits a recorded event. */
static void test_chain_detects_edited_event(void **state)
{
	fixture *f = *state;
	add_cases(f, 3);
	tamper(f->path, "DROP TRIGGER events_no_update;",
	       "UPDATE events SET reason = 'nothing happened' WHERE id = 5");
	fh_error err = {0};
	expect_broken_at(f, 5, &err);
	assert_non_null(strstr(err.message, "event 5"));
}

static void test_chain_detects_deleted_event(void **state)
{
	fixture *f = *state;
	add_cases(f, 3);
	tamper(f->path, "DROP TRIGGER events_no_delete;", "DELETE FROM events WHERE id = 4");
	fh_error err = {0};
	expect_broken_at(f, 4, &err);
}

/* Removing the newest event leaves a chain that links up; the head knows. */
static void test_chain_detects_deleted_newest_event(void **state)
{
	fixture *f = *state;
	add_cases(f, 3);
	tamper(f->path, "DROP TRIGGER events_no_delete; PRAGMA foreign_keys=OFF;",
	       "DELETE FROM events WHERE id = (SELECT max(id) FROM events)");
	store_audit_report report;
	fh_error err = {0};
	assert_int_equal(verify(f, &report, &err), FH_EINTEGRITY);
	assert_non_null(strstr(err.message, "removed"));
}

/* A case row slipped in without going through the store has no history. */
static void test_chain_detects_case_without_history(void **state)
{
	fixture *f = *state;
	add_cases(f, 1);
	assert_int_equal(test_raw_exec(f->path,
		"INSERT INTO cases (org_id, reference, kind, channel, received_on, summary,"
		" created_at, updated_at) VALUES (1, 'BCT-2026-00777', 'complaint', 'email',"
		" '2026-01-01', 'forged', 'x', 'x')"), DB_OK);
	store_audit_report report;
	fh_error err = {0};
	assert_int_equal(verify(f, &report, &err), FH_EINTEGRITY);
	assert_non_null(strstr(err.message, "no complete history"));
}

static void test_event_append_needs_actor(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	assert_int_equal(store_begin(f->st, &err), FH_OK);
	assert_int_equal(store_event_append(f->st, 0, 0, "", "x", NULL, NULL, NULL, &err), FH_EINVAL);
	assert_string_equal(err.field, "actor");
	assert_int_equal(store_event_append(f->st, 0, 999, "t", "x", NULL, NULL, NULL, &err),
			 FH_ENOTFOUND);
	store_rollback(f->st);
}


/* ---- erasing an event's content (DOMAIN §8; hashchain.h version 2) ---- */

/* What retention does to the events of case 2 (events 4.. of add_cases). */
#define ERASE_CASE_2 \
	"UPDATE events SET reason = '', data = '{}', erased_on = '2032-06-01' WHERE case_id = 2;" \
	"DELETE FROM event_salts WHERE event_id IN (SELECT id FROM events WHERE case_id = 2)"

/* n zero bytes, as each engine writes a blob literal; good until the next call */
static const char *zero_blob(int n)
{
	static char buf[48];
	snprintf(buf, sizeof buf, test_pg() ? "decode(repeat('00', %d), 'hex')" : "zeroblob(%d)", n);
	return buf;
}

/* DOMAIN §8: the version 2 hash takes the salted digest, not the text. */
static void test_hashchain_version_2_hashes_the_digest(void **state)
{
	(void)state;
	uint8_t salt[HASHCHAIN_SALT_BYTES] = {1}, other[HASHCHAIN_SALT_BYTES] = {2};
	uint8_t d1[HASHCHAIN_BYTES], d2[HASHCHAIN_BYTES], h1[HASHCHAIN_BYTES], h2[HASHCHAIN_BYTES];
	hashchain_content_digest(salt, "Amira Khan", "{}", d1);
	hashchain_content_digest(other, "Amira Khan", "{}", d2);
	assert_memory_not_equal(d1, d2, HASHCHAIN_BYTES); /* the salt is what hides the text */
	hashchain_content_digest(salt, "Amira Kha", "n{}", d2);
	assert_memory_not_equal(d1, d2, HASHCHAIN_BYTES); /* length-prefixed */
	hashchain_event ev = {.id = 1, .org_code = "bct", .reference = "", .at = "x",
			      .effective_on = "", .actor = "t", .action = "a",
			      .reason = "Amira Khan", .data = "{}", .version = 2,
			      .content_digest = d1};
	hashchain_hash(NULL, &ev, h1);
	ev.reason = "";
	ev.data = "{}";
	hashchain_hash(NULL, &ev, h2);
	assert_memory_equal(h1, h2, HASHCHAIN_BYTES); /* erasing the text keeps the hash */
	ev.version = 1;
	hashchain_hash(NULL, &ev, h2);
	assert_memory_not_equal(h1, h2, HASHCHAIN_BYTES); /* versions never pass for each other */
}

/* DOMAIN §8: retention blanks events' content and salts; the chain verifies. */
static void test_chain_verifies_after_erasure(void **state)
{
	fixture *f = *state;
	add_cases(f, 3);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events WHERE hash_version = 2"), 6);
	assert_int_equal(test_raw_exec(f->path, ERASE_CASE_2), DB_OK);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events WHERE erased_on IS NOT NULL"
					       " AND reason = '' AND data = '{}' AND content_digest IS NOT NULL"),
			 1);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM event_salts"), 5);
	store_audit_report report;
	fh_error err = {0};
	assert_int_equal(verify(f, &report, &err), FH_OK);
	assert_int_equal(report.events_checked, 6);
	fh_arena arena = {0};
	fh_case c;
	assert_int_equal(store_case_get(f->st, "BCT-2026-00002", &arena, &c, &err), FH_OK);
	assert_string_equal(c.events[0].erased_on, "2032-06-01");
	char note[MODEL_ERASED_NOTE_MAX];
	assert_string_equal(model_event_reason(&c.events[0], note),
			    "removed under the retention rule on 2032-06-01");
	arena_free(&arena);
}

/* DOMAIN §8: the one change allowed is the erasure, and a salt goes only with it. */
static void test_erasure_is_the_only_change(void **state)
{
	fixture *f = *state;
	add_cases(f, 1);
	assert_int_not_equal(test_raw_exec(f->path, "UPDATE events SET reason = 'other', erased_on ="
						    " '2032-06-01' WHERE id = 4"), DB_OK);
	assert_int_not_equal(test_raw_exec(f->path, "UPDATE events SET reason = '', data = '{}',"
						    " erased_on = '2032-06-01', actor = 'x' WHERE id = 4"),
			     DB_OK);
	assert_int_not_equal(test_raw_exec(f->path, "DELETE FROM event_salts WHERE event_id = 4"),
			     DB_OK);
	char sql[96];
	snprintf(sql, sizeof sql, "UPDATE event_salts SET salt = %s", zero_blob(16));
	assert_int_not_equal(test_raw_exec(f->path, sql), DB_OK);
}

/* DOMAIN §8: an erased event whose digest was altered breaks the chain. */
static void test_chain_detects_altered_erased_digest(void **state)
{
	fixture *f = *state;
	add_cases(f, 3);
	assert_int_equal(test_raw_exec(f->path, ERASE_CASE_2), DB_OK);
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE events SET content_digest = %s WHERE id = 5", zero_blob(32));
	tamper(f->path, "DROP TRIGGER events_no_update;", sql);
	fh_error err = {0};
	expect_broken_at(f, 5, &err);
}

/* DOMAIN §8: text put back into an erased event, or an erasure that kept
 * the salt, or a kept event that lost it, shows. */
static void test_chain_detects_forged_erasure(void **state)
{
	fixture *f = *state;
	add_cases(f, 3);
	assert_int_equal(test_raw_exec(f->path, ERASE_CASE_2), DB_OK);
	tamper(f->path, "DROP TRIGGER events_no_update;",
	       "UPDATE events SET reason = 'made up' WHERE id = 5");
	fh_error err = {0};
	expect_broken_at(f, 5, &err);
	assert_non_null(strstr(err.message, "erased"));
	tamper(f->path, "DROP TRIGGER event_salts_no_delete;",
	       "UPDATE events SET reason = '' WHERE id = 5; DELETE FROM event_salts WHERE event_id = 6");
	expect_broken_at(f, 6, &err);
	assert_non_null(strstr(err.message, "salt"));
}

/* DOMAIN §8: an event inserted after erasure, without the chain's hash, shows. */
static void test_chain_detects_inserted_event_after_erasure(void **state)
{
	fixture *f = *state;
	add_cases(f, 3);
	assert_int_equal(test_raw_exec(f->path, ERASE_CASE_2), DB_OK);
	char sql[400], z32[48];
	snprintf(z32, sizeof z32, "%s", zero_blob(32));
	snprintf(sql, sizeof sql,
		 "INSERT INTO events (id, org_id, at, actor, action, hash, hash_version, content_digest)"
		 " VALUES (7, 1, 'x', 'x', 'forged', %s, 2, %s);", z32, z32);
	snprintf(sql + strlen(sql), sizeof sql - strlen(sql),
		 "INSERT INTO event_salts VALUES (7, %s)", zero_blob(16));
	assert_int_equal(test_raw_exec(f->path, sql), DB_OK);
	fh_error err = {0};
	expect_broken_at(f, 7, &err);
}

/* A database written before erasure existed keeps its version 1 events,
 * which verify as before and cannot be erased; new events are version 2. */
static void test_chain_mixes_versions(void **state)
{
	(void)state;
	char *path = test_dbpath();
	fh_store *st;
	fh_error err = {0};
	/* the schema as it was before migration 018 (event erasure) */
	assert_int_equal(store_open_version(path, STORE_CREATE, 17, &st, &err), FH_OK);
	seed_org(st);
	store_close(st);
	assert_int_equal(store_open(path, 0, &st, &err), FH_OK);
	fixture f = {.path = path, .st = st};
	add_cases(&f, 1);
	assert_int_equal(test_raw_int(path, "SELECT group_concat(CAST(hash_version AS TEXT), '') FROM events"), 1112);
	assert_int_not_equal(test_raw_exec(path, "UPDATE events SET reason = '', data = '{}',"
						 " erased_on = '2032-06-01' WHERE id = 1"), DB_OK);
	store_audit_report report;
	assert_int_equal(verify(&f, &report, &err), FH_OK);
	assert_int_equal(report.events_checked, 4);
	test_store_close(f.st, path);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_received_before_set_up_refused_issue16_item13),
		T(test_fresh_database_is_marked_and_migrated),
		T(test_sqlite_file_is_in_wal_mode),
		cmocka_unit_test(test_refuses_files_that_are_not_databases),
		cmocka_unit_test(test_refuses_another_programs_database),
		cmocka_unit_test(test_refuses_missing_file_without_create),
		T(test_refuses_newer_schema),
		cmocka_unit_test(test_migrates_from_each_earlier_version),
		T(test_case_round_trip),
		T(test_case_search_row),
		T(test_references_and_atomicity),
		T(test_failure_of_a_write_sent_ahead_undoes_the_whole_case_issue21),
		T(test_orgs_teams_users),
		T(test_list_filters_and_pages),
		T(test_list_cursor_sees_every_case_once_in_order),
		cmocka_unit_test(test_cursor_malformed_is_refused),
		T(test_list_count_stops_at_cap),
		T(test_events_are_append_only),
		T(test_chain_verifies),
		T(test_chain_detects_edited_event),
		T(test_chain_detects_deleted_event),
		T(test_chain_detects_deleted_newest_event),
		T(test_chain_detects_case_without_history),
		T(test_event_append_needs_actor),
		cmocka_unit_test(test_hashchain_version_2_hashes_the_digest),
		T(test_chain_verifies_after_erasure),
		T(test_erasure_is_the_only_change),
		T(test_chain_detects_altered_erased_digest),
		T(test_chain_detects_forged_erasure),
		T(test_chain_detects_inserted_event_after_erasure),
		cmocka_unit_test(test_chain_mixes_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
