/*
 * The monitoring report (001 §16.1, §16.2; 003 "Monitoring and learning";
 * DOMAIN §9): every table's numbers checked against the demo database
 * computed another way: direct SQL on a connection of the test's own,
 * jansson over the lifecycle documents, and working days counted day by day
 * rather than with calendar_working_days_between.  Then the suppression of
 * small numbers, and the escaping writers the HTML and CSV go through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include "db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
#include "demo.h"
#include "html.h"
#include "report.h"
#include "store_behaviour.h"
#include "store_calendar.h"
#include "store_event.h"
#include "store_freezing.h"
#include "store_joint.h"
#include "orgfile.h"
#include "store_lifecycle.h"
#include "store_orgfile.h"
#include "store_redress.h"
#include "store_assessment.h"
#include "store_report.h"
#include "test_helpers.h"

#define FROM "2025-12-01"
#define TO "2026-11-30"
#define PREV_FROM "2024-12-01"
#define PREV_TO "2025-11-30"

static char *db_path;
static db_conn *raw;       /* the test's own connection, for the independent counts */
static fh_store *st;
static fh_arena arena = ARENA_INIT;
static fh_report bct;      /* the bct report for FROM..TO */

static fh_date d(const char *iso)
{
	fh_date out;
	assert_true(date_parse(iso, &out));
	return out;
}

static int group_setup(void **state)
{
	(void)state;
	fh_error err = {0};
	db_path = test_dbpath();
	if (store_open(db_path, STORE_CREATE, &st, &err))
		return -1;
	FILE *devnull = fopen("/dev/null", "w");
	/* The hash is never checked here: nobody signs in. */
	fh_status s = demo_load(st, d("2026-11-23"), "$argon2id$v=19$m=65536,t=2,p=1$test$test",
				FH_PROCEDURES_DIR, devnull, &err);
	fclose(devnull);
	if (s) {
		fprintf(stderr, "demo_load: %s\n", err.message);
		return -1;
	}
	if (db_open(db_path, true, false, &raw, NULL, 0) != DB_OK)
		return -1;
	store_report_query q = {.org_code = "bct", .from = d(FROM), .to = d(TO)};
	if (store_report_build(st, &q, &arena, &bct, &err)) {
		fprintf(stderr, "report: %s\n", err.message);
		return -1;
	}
	return 0;
}

static fh_store *annual_st;
static char *annual_path;
static fh_arena annual_arena = ARENA_INIT;

static int group_teardown(void **state)
{
	(void)state;
	if (annual_st) { /* the annual report's own database (annual_ready) */
		arena_free(&annual_arena);
		store_close(annual_st);
		test_rmdb(annual_path);
	}
	arena_free(&arena);
	db_close(raw);
	store_close(st);
	test_rmdb(db_path);
	return 0;
}

/* One integer from sql, with ?1.. bound to the texts given (NULL ends them). */
static int64_t sql_int(const char *sql, ...)
{
	db_stmt *stmt;
	assert_int_equal(db_prepare(raw, sql, &stmt), DB_OK);
	va_list ap;
	va_start(ap, sql);
	const char *arg;
	for (int i = 1; (arg = va_arg(ap, const char *)); i++)
		db_bind_text(stmt, i, arg, -1);
	va_end(ap);
	assert_int_equal(db_step(stmt), DB_ROW);
	int64_t n = db_column_int64(stmt, 0);
	db_finalize(stmt);
	return n;
}

static const report_table *table(const fh_report *r, const char *id)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (!strcmp(r->tables[i]->id, id))
			return r->tables[i];
	fail_msg("no table %s", id);
	abort(); /* fail_msg does not return; saying so lets gcc see no NULL escapes */
}

/* The row whose first cells are the given texts (NULL ends them). */
static size_t row_of(const report_table *t, const char *first, const char *second)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (!strcmp(report_cell_at(t, r, 0)->text, first) &&
		    (!second || !strcmp(report_cell_at(t, r, 1)->text, second)))
			return r;
	fail_msg("no row %s/%s in %s", first, second ? second : "", t->id);
	return 0;
}

static int64_t n_at(const report_table *t, size_t row, size_t col)
{
	return report_cell_at(t, row, col)->n;
}

#define BCT_CASES \
	"(SELECT id FROM cases WHERE org_id = (SELECT id FROM organisations WHERE code = 'bct'))"

/* 001 §16.1 "number received at each stage": cases by kind, and the previous period. */
static void test_received_by_kind(void **state)
{
	(void)state;
	const report_table *t = table(&bct, "received");
	static const char *const kinds[] = {"complaint", "comment", "compliment", "enquiry"};
	int64_t total = 0;
	for (size_t i = 0; i < 4; i++) {
		size_t r = row_of(t, kinds[i], NULL);
		int64_t cur = sql_int("SELECT count(*) FROM cases WHERE id IN " BCT_CASES
				      " AND kind = ?1 AND received_on BETWEEN ?2 AND ?3",
				      kinds[i], FROM, TO, NULL);
		int64_t prev = sql_int("SELECT count(*) FROM cases WHERE id IN " BCT_CASES
				       " AND kind = ?1 AND received_on BETWEEN ?2 AND ?3",
				       kinds[i], PREV_FROM, PREV_TO, NULL);
		assert_int_equal(n_at(t, r, 1), cur);
		assert_int_equal(n_at(t, r, 2), prev);
		assert_int_equal(report_cell_at(t, r, 3)->kind, REPORT_CHANGE);
		total += cur;
	}
	assert_true(total > 50); /* the demo data does reach the period */
	assert_int_equal(n_at(t, row_of(t, "all representations", NULL), 1), total);
}

/* 001 §16.1: requests at each stage. */
static void test_stage_requests(void **state)
{
	(void)state;
	const report_table *t = table(&bct, "stages");
	for (int stage = 1; stage <= 3; stage++) {
		char label[16], sn[4];
		snprintf(label, sizeof label, "Stage %d", stage);
		snprintf(sn, sizeof sn, "%d", stage);
		int64_t requested = sql_int(
			"SELECT count(*) FROM case_stages WHERE case_id IN " BCT_CASES
			" AND stage = ?1 AND coalesce(requested_on, started_on) >= ?2"
			" AND coalesce(requested_on, started_on) <= ?3", sn, FROM, TO, NULL);
		assert_int_equal(n_at(t, row_of(t, label, NULL), 1), requested);
	}
}

/* 001 §16.1 "number responded to within the deadline", with the count and %. */
static void test_responses_within_deadline(void **state)
{
	(void)state;
	const report_table *t = table(&bct, "responses");
	int64_t all = 0;
	for (int stage = 1; stage <= 3; stage++) {
		char label[16], sn[4];
		snprintf(label, sizeof label, "Stage %d", stage);
		snprintf(sn, sizeof sn, "%d", stage);
		size_t r = row_of(t, label, NULL);
		int64_t responses = sql_int("SELECT count(*) FROM case_stages WHERE case_id IN "
					    BCT_CASES " AND stage = ?1 AND responded_on >= ?2"
					    " AND responded_on <= ?3", sn, FROM, TO, NULL);
		int64_t within = sql_int("SELECT count(*) FROM case_stages WHERE case_id IN "
					 BCT_CASES " AND stage = ?1 AND responded_on >= ?2"
					 " AND responded_on <= ?3 AND responded_on <= due_on", /* ISO dates */
					 sn, FROM, TO, NULL);
		assert_int_equal(n_at(t, r, 1), responses);
		assert_int_equal(n_at(t, r, 2), within);
		assert_int_equal(n_at(t, r, 4), responses - within - n_at(t, r, 5));
		const report_cell *pct = report_cell_at(t, r, 3);
		assert_int_equal(pct->kind, REPORT_PERCENT);
		assert_int_equal(pct->n, within);
		all += responses;
	}
	assert_int_equal(n_at(t, row_of(t, "all stages", NULL), 1), all);
	assert_true(n_at(t, row_of(t, "Stage 1", NULL), 4) > 0); /* the demo has late ones */
}

/* Working days counted one day at a time: the definition, not the prefix sums. */
static int working_days_after(const fh_calendar *cal, fh_date from, fh_date to)
{
	int n = 0;
	for (fh_date x = from + 1; x <= to; x++)
		n += calendar_is_working_day(cal, x);
	return n;
}

/* How late the late ones were, in working days under the org's calendar. */
static void test_late_working_days(void **state)
{
	(void)state;
	fh_calendar *cal;
	fh_error err = {0};
	assert_int_equal(store_calendar_for_org(st, "bct", &cal, &err), FH_OK);
	const report_table *t = table(&bct, "late");
	for (int stage = 1; stage <= 3; stage++) {
		db_stmt *stmt;
		assert_int_equal(db_prepare(raw, "SELECT due_on, responded_on FROM case_stages WHERE case_id IN " BCT_CASES
			" AND stage = ?1 AND responded_on BETWEEN ?2 AND ?3 AND responded_on > due_on", &stmt), DB_OK);
		db_bind_int(stmt, 1, stage);
		db_bind_text(stmt, 2, FROM, -1);
		db_bind_text(stmt, 3, TO, -1);
		int64_t count = 0, sum = 0, max = 0, upto5 = 0, over20 = 0;
		while (db_step(stmt) == DB_ROW) {
			int days = working_days_after(cal, d((const char *)db_column_text(stmt, 0)),
						      d((const char *)db_column_text(stmt, 1)));
			count++;
			sum += days;
			max = days > max ? days : max;
			upto5 += days <= 5;
			over20 += days > 20;
		}
		db_finalize(stmt);
		char label[16];
		snprintf(label, sizeof label, "Stage %d", stage);
		size_t r = row_of(t, label, NULL);
		assert_int_equal(n_at(t, r, 1), count);
		assert_int_equal(n_at(t, r, 2), count ? (sum * 20 + count) / (count * 2) : 0);
		assert_int_equal(n_at(t, r, 3), max);
		assert_int_equal(n_at(t, r, 4), upto5);
		assert_int_equal(n_at(t, r, 7), over20);
		assert_int_equal(n_at(t, r, 4) + n_at(t, r, 5) + n_at(t, r, 6) + n_at(t, r, 7), count);
	}
	calendar_free(cal);
}

/* 001 §16.1 "number upheld": findings per stage. */
static void test_findings_per_stage(void **state)
{
	(void)state;
	const report_table *t = table(&bct, "findings");
	static const char *const outcomes[] = {"upheld", "partly_upheld", "not_upheld",
					       "not_determined", "withdrawn"};
	for (int stage = 1; stage <= 3; stage++) {
		char label[16], sn[4];
		snprintf(label, sizeof label, "Stage %d", stage);
		snprintf(sn, sizeof sn, "%d", stage);
		size_t r = row_of(t, label, NULL);
		int64_t all = 0;
		for (size_t o = 0; o < 5; o++) {
			int64_t n = sql_int(
				"SELECT count(*) FROM findings f, complaint_points p, case_stages s"
				" WHERE p.id = f.point_id AND s.case_id = p.case_id AND s.stage = f.stage"
				" AND p.case_id IN " BCT_CASES " AND f.stage = ?1 AND f.outcome = ?2"
				" AND s.responded_on >= ?3 AND s.responded_on <= ?4",
				sn, outcomes[o], FROM, TO, NULL);
			assert_int_equal(n_at(t, r, 1 + o), n);
			all += n;
		}
		assert_int_equal(n_at(t, r, 6), all);
	}
	assert_true(n_at(t, row_of(t, "Stage 1", NULL), 6) > 0);
}

/* 001 §16.2 "types of complaint and trends": by team and by service area. */
static void test_complaints_by_team_and_service(void **state)
{
	(void)state;
	const report_table *teams = table(&bct, "teams");
	const report_table *services = table(&bct, "services");
	int64_t total = sql_int("SELECT count(*) FROM cases WHERE id IN " BCT_CASES
				" AND kind = 'complaint' AND received_on BETWEEN ?1 AND ?2", FROM, TO, NULL);
	int64_t sum_teams = 0, sum_services = 0;
	for (size_t r = 0; r < teams->nrows; r++) {
		const char *team = report_cell_at(teams, r, 1)->text;
		if (team[0] != '(') {
			int64_t n = sql_int("SELECT count(*) FROM cases c JOIN teams t ON t.id = c.team_id"
					    " WHERE c.id IN " BCT_CASES " AND t.name = ?1 AND c.kind = 'complaint'"
					    " AND c.received_on BETWEEN ?2 AND ?3", team, FROM, TO, NULL);
			int64_t prev = sql_int("SELECT count(*) FROM cases c JOIN teams t ON t.id = c.team_id"
					       " WHERE c.id IN " BCT_CASES " AND t.name = ?1 AND c.kind = 'complaint'"
					       " AND c.received_on BETWEEN ?2 AND ?3", team, PREV_FROM, PREV_TO, NULL);
			assert_int_equal(n_at(teams, r, 2), n);
			assert_int_equal(n_at(teams, r, 3), prev);
		}
		sum_teams += n_at(teams, r, 2);
	}
	for (size_t r = 0; r < services->nrows; r++)
		sum_services += n_at(services, r, 1);
	assert_int_equal(sum_teams, total);
	assert_int_equal(sum_services, total);
	size_t cic = row_of(services, "Children in Care", NULL);
	assert_int_equal(n_at(services, cic, 1),
			 sql_int("SELECT count(*) FROM cases c JOIN teams t ON t.id = c.team_id"
				 " JOIN teams sv ON sv.id = t.parent_id WHERE c.id IN " BCT_CASES
				 " AND sv.name = 'Children in Care' AND c.kind = 'complaint'"
				 " AND c.received_on BETWEEN ?1 AND ?2", FROM, TO, NULL));
}

/* Routes, subjects and compliments by team (001 §16.2; 002 "Compliments
 * are passed to the staff and teams concerned"), each against direct SQL. */
static void test_routes_subjects_compliments(void **state)
{
	(void)state;
	const report_table *routes = table(&bct, "routes");
	int64_t sum = 0;
	for (size_t r = 0; r < routes->nrows; r++) {
		const char *route = report_cell_at(routes, r, 0)->text;
		assert_int_equal(n_at(routes, r, 1),
				 sql_int("SELECT count(*) FROM cases WHERE id IN " BCT_CASES " AND route = ?1"
					 " AND received_on BETWEEN ?2 AND ?3", route, FROM, TO, NULL));
		sum += n_at(routes, r, 1);
	}
	assert_int_equal(sum, sql_int("SELECT count(*) FROM cases WHERE id IN " BCT_CASES
				      " AND received_on BETWEEN ?1 AND ?2", FROM, TO, NULL));
	const report_table *subjects = table(&bct, "subjects");
	for (size_t r = 0; r < subjects->nrows; r++) {
		const char *subject = report_cell_at(subjects, r, 0)->text;
		const char *as_stored = strcmp(subject, "(not recorded)") ? subject : "";
		assert_int_equal(n_at(subjects, r, 1),
				 sql_int("SELECT count(*) FROM cases WHERE id IN " BCT_CASES " AND service = ?1"
					 " AND kind = 'complaint' AND received_on BETWEEN ?2 AND ?3",
					 as_stored, FROM, TO, NULL));
		assert_int_equal(n_at(subjects, r, 2),
				 sql_int("SELECT count(*) FROM cases WHERE id IN " BCT_CASES " AND service = ?1"
					 " AND kind = 'complaint' AND received_on BETWEEN ?2 AND ?3",
					 as_stored, PREV_FROM, PREV_TO, NULL));
	}
	const report_table *compliments = table(&bct, "compliments");
	sum = 0;
	for (size_t r = 0; r < compliments->nrows; r++) {
		const char *team = report_cell_at(compliments, r, 1)->text;
		if (team[0] != '(') {
			assert_int_equal(n_at(compliments, r, 2),
					 sql_int("SELECT count(*) FROM cases c JOIN teams t ON t.id = c.team_id"
						 " WHERE c.id IN " BCT_CASES " AND t.name = ?1 AND c.kind = 'compliment'"
						 " AND c.received_on BETWEEN ?2 AND ?3", team, FROM, TO, NULL));
			assert_int_equal(n_at(compliments, r, 3),
					 sql_int("SELECT count(*) FROM cases c JOIN teams t ON t.id = c.team_id"
						 " WHERE c.id IN " BCT_CASES " AND t.name = ?1 AND c.kind = 'compliment'"
						 " AND c.received_on BETWEEN ?2 AND ?3", team, PREV_FROM, PREV_TO, NULL));
		}
		sum += n_at(compliments, r, 2);
	}
	assert_int_equal(sum, sql_int("SELECT count(*) FROM cases WHERE id IN " BCT_CASES
				      " AND kind = 'compliment' AND received_on BETWEEN ?1 AND ?2",
				      FROM, TO, NULL));
	assert_true(sum > 0);
}

/* A Head of Service's report (001 §16: "at Head of Service and Team Manager
 * level"): the service's teams only, responses and findings against SQL
 * that selects the service's cases through teams.parent_id. */
static void test_service_scope_numbers(void **state)
{
	(void)state;
	fh_report r;
	fh_error err = {0};
	store_report_query q = {.org_code = "bct", .team = "Children in Care", .from = d(FROM),
				.to = d(TO)};
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_OK);
#define CIC_CASES "(SELECT c.id FROM cases c JOIN teams t ON t.id = c.team_id WHERE c.org_id =" \
	" (SELECT id FROM organisations WHERE code = 'bct') AND (t.name = 'Children in Care' OR" \
	" t.parent_id = (SELECT id FROM teams WHERE org_id = c.org_id AND name = 'Children in Care')))"
	const report_table *resp = table(&r, "responses"), *late = table(&r, "late");
	const report_table *findings = table(&r, "findings"), *stages = table(&r, "stages");
	int64_t responses_all = 0;
	for (int stage = 1; stage <= 3; stage++) {
		char sn[4];
		snprintf(sn, sizeof sn, "%d", stage);
		size_t row = (size_t)stage - 1;
		int64_t responses = sql_int("SELECT count(*) FROM case_stages WHERE case_id IN " CIC_CASES
					    " AND stage = ?1 AND responded_on BETWEEN ?2 AND ?3",
					    sn, FROM, TO, NULL);
		int64_t n_late = sql_int("SELECT count(*) FROM case_stages WHERE case_id IN " CIC_CASES
					 " AND stage = ?1 AND responded_on BETWEEN ?2 AND ?3"
					 " AND responded_on > due_on", sn, FROM, TO, NULL);
		assert_int_equal(n_at(resp, row, 1), responses);
		assert_int_equal(n_at(resp, row, 4), n_late);
		assert_int_equal(n_at(late, row, 1), n_late);
		assert_int_equal(n_at(findings, row, 6),
				 sql_int("SELECT count(*) FROM findings f JOIN complaint_points p ON p.id ="
					 " f.point_id JOIN case_stages s ON s.case_id = p.case_id AND s.stage ="
					 " f.stage WHERE p.case_id IN " CIC_CASES " AND f.stage = ?1"
					 " AND s.responded_on BETWEEN ?2 AND ?3", sn, FROM, TO, NULL));
		assert_int_equal(n_at(stages, row, 2),
				 sql_int("SELECT count(*) FROM case_stages WHERE case_id IN " CIC_CASES
					 " AND stage = ?1 AND started_on BETWEEN ?2 AND ?3", sn, FROM, TO, NULL));
		responses_all += responses;
	}
	assert_true(responses_all > 0);
	assert_true(responses_all < n_at(table(&bct, "responses"), 3, 1)); /* a part of the whole */
#undef CIC_CASES
}

/* The trend line: every month of the period, summing to the complaints received. */
static void test_monthly_trend(void **state)
{
	(void)state;
	const report_table *t = table(&bct, "monthly");
	assert_int_equal(t->nrows, 12);
	assert_string_equal(report_cell_at(t, 0, 0)->text, "2025-12");
	assert_string_equal(report_cell_at(t, 11, 0)->text, "2026-11");
	for (size_t r = 0; r < t->nrows; r++) {
		char lo[16], hi[16];
		snprintf(lo, sizeof lo, "%s-01", report_cell_at(t, r, 0)->text);
		snprintf(hi, sizeof hi, "%s-31", report_cell_at(t, r, 0)->text);
		assert_int_equal(n_at(t, r, 1),
				 sql_int("SELECT count(*) FROM cases WHERE id IN " BCT_CASES
					 " AND kind = 'complaint' AND received_on BETWEEN ?1 AND ?2",
					 lo, hi, NULL));
	}
}

/* Extensions, and learning (003 "Monitoring and learning"), counted with
 * jansson over each lifecycle document. */
static void test_extensions_and_learning(void **state)
{
	(void)state;
	db_stmt *stmt;
	assert_int_equal(db_prepare(raw, "SELECT state FROM case_lifecycle WHERE case_id IN "
					    BCT_CASES, &stmt), DB_OK);
	int64_t extensions = 0, responses[4] = {0}, learning[4] = {0}, actions[4] = {0};
	while (db_step(stmt) == DB_ROW) {
		json_t *doc = json_loads((const char *)db_column_text(stmt, 0), 0, NULL);
		assert_non_null(doc);
		size_t i, j;
		json_t *stage, *ext;
		json_array_foreach(json_object_get(doc, "stages"), i, stage) {
			json_array_foreach(json_object_get(stage, "extensions"), j, ext) {
				const char *on = json_string_value(json_object_get(ext, "on"));
				extensions += on && strcmp(on, FROM) >= 0 && strcmp(on, TO) <= 0;
			}
			const char *resp = json_string_value(json_object_get(stage, "responded_on"));
			int n = (int)json_integer_value(json_object_get(stage, "number"));
			if (resp && strcmp(resp, FROM) >= 0 && strcmp(resp, TO) <= 0 && n >= 1 && n <= 3) {
				json_t *r = json_object_get(stage, "response");
				const char *l = json_string_value(json_object_get(r, "learning"));
				responses[n]++;
				learning[n] += l && l[0];
				actions[n] += (int64_t)json_array_size(json_object_get(r, "actions"));
			}
		}
		json_decref(doc);
	}
	db_finalize(stmt);
	const report_table *t = table(&bct, "extensions");
	assert_int_equal(n_at(t, row_of(t, "all extensions", NULL), 2), extensions);
	assert_true(extensions > 0);
	const report_table *lt = table(&bct, "learning");
	for (int n = 1; n <= 3; n++) {
		char label[16];
		snprintf(label, sizeof label, "Stage %d", n);
		size_t r = row_of(lt, label, NULL);
		assert_int_equal(n_at(lt, r, 1), responses[n]);
		assert_int_equal(n_at(lt, r, 2), learning[n]);
		assert_int_equal(n_at(lt, r, 3), actions[n]);
	}
	/* Remedies are a table now (test_remedies_and_advocacy), not a note; the
	 * demo records none, so the table is empty (no total row of zeros). */
	assert_int_equal(bct.nnotes, 0);
	assert_int_equal(table(&bct, "remedies")->nrows, 0);
}

/* Ombudsman enquiries and outcomes (001 B: after the last stage, the
 * LGSCO): two enquiries recorded through the lifecycle, one with its
 * outcome, then the table checked against the lifecycle documents read with
 * jansson. */
static void test_ombudsman(void **state)
{
	(void)state;
	static const fh_actor team = {.name = "complaints@bct.demo", .all_roles = true};
	db_stmt *stmt;
	assert_int_equal(db_prepare(raw, "SELECT reference FROM cases WHERE id IN " BCT_CASES
					    " AND kind = 'complaint' AND state = 'closed' ORDER BY id LIMIT 2", &stmt), DB_OK);
	int recorded = 0;
	while (db_step(stmt) == DB_ROW) {
		const char *ref = (const char *)db_column_text(stmt, 0);
		fh_error err = {0};
		json_t *result = NULL, *params = json_pack("{ss}", "reference", "26 000 001");
		assert_int_equal(store_case_act(st, ref, "ombudsman", params, &team, d("2026-10-01"),
						&result, &err), FH_OK);
		json_decref(result);
		json_decref(params);
		if (recorded++ == 0) {
			params = json_pack("{ss}", "outcome", "no_fault");
			assert_int_equal(store_case_act(st, ref, "ombudsman", params, &team,
							d("2026-11-02"), &result, &err), FH_OK);
			json_decref(result);
			json_decref(params);
		}
	}
	db_finalize(stmt);
	assert_int_equal(recorded, 2);

	/* counted another way: every bct lifecycle document, with jansson */
	int64_t enquiries = 0, awaiting = 0, no_fault = 0;
	assert_int_equal(db_prepare(raw, "SELECT state FROM case_lifecycle WHERE case_id IN "
					    BCT_CASES, &stmt), DB_OK);
	while (db_step(stmt) == DB_ROW) {
		json_t *doc = json_loads((const char *)db_column_text(stmt, 0), 0, NULL);
		size_t i;
		json_t *o;
		json_array_foreach(json_object_get(doc, "ombudsman"), i, o) {
			const char *on = json_string_value(json_object_get(o, "enquiry_on"));
			const char *outcome = json_string_value(json_object_get(o, "outcome"));
			if (!on || strcmp(on, FROM) < 0 || strcmp(on, TO) > 0)
				continue;
			enquiries++;
			awaiting += !outcome;
			no_fault += outcome && !strcmp(outcome, "no_fault");
		}
		json_decref(doc);
	}
	db_finalize(stmt);
	assert_int_equal(enquiries, 2);
	fh_report r;
	fh_error err = {0};
	store_report_query q = {.org_code = "bct", .from = d(FROM), .to = d(TO)};
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_OK);
	const report_table *t = table(&r, "ombudsman");
	assert_int_equal(n_at(t, row_of(t, "all enquiries", NULL), 1), enquiries);
	assert_int_equal(n_at(t, row_of(t, "awaiting outcome", NULL), 1), awaiting);
	assert_int_equal(n_at(t, row_of(t, "no_fault", NULL), 1), no_fault);
}

/* Escalation 1->2 and 2->3 of the responses in the period. */
static void test_escalation(void **state)
{
	(void)state;
	const report_table *t = table(&bct, "escalation");
	for (int stage = 1; stage <= 2; stage++) {
		char sn[4];
		snprintf(sn, sizeof sn, "%d", stage);
		int64_t responses = sql_int("SELECT count(*) FROM case_stages WHERE case_id IN "
					    BCT_CASES " AND stage = ?1 AND responded_on BETWEEN ?2 AND ?3",
					    sn, FROM, TO, NULL);
		int64_t escalated = sql_int(
			"SELECT count(*) FROM case_stages s WHERE s.case_id IN " BCT_CASES
			" AND s.stage = ?1 AND s.responded_on BETWEEN ?2 AND ?3 AND EXISTS"
			" (SELECT 1 FROM case_stages x WHERE x.case_id = s.case_id AND x.stage = s.stage + 1)",
			sn, FROM, TO, NULL);
		assert_int_equal(n_at(t, (size_t)stage - 1, 1), responses);
		assert_int_equal(n_at(t, (size_t)stage - 1, 2), escalated);
	}
}

/* Equality monitoring: distinct complainants, and small counts suppressed always. */
static void test_equality_always_suppressed(void **state)
{
	(void)state;
	const report_table *t = table(&bct, "equality");
	assert_true(t->always_suppress);
	int64_t people = sql_int("SELECT count(DISTINCT cp.person_id) FROM case_parties cp JOIN cases c"
				 " ON c.id = cp.case_id WHERE c.id IN " BCT_CASES " AND c.kind = 'complaint'"
				 " AND cp.role = 'complainant' AND c.received_on BETWEEN ?1 AND ?2",
				 FROM, TO, NULL);
	int64_t sex_total = 0, smalls = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		if (!strcmp(report_cell_at(t, r, 0)->text, "Sex"))
			sex_total += n_at(t, r, 2);
		smalls += report_is_small(n_at(t, r, 2));
	}
	assert_int_equal(sex_total, people);
	assert_true(smalls > 0); /* so the check below means something */
	int64_t female = sql_int("SELECT count(DISTINCT cp.person_id) FROM case_parties cp JOIN cases c"
				 " ON c.id = cp.case_id JOIN equality_monitoring e ON e.person_id = cp.person_id"
				 " WHERE c.id IN " BCT_CASES " AND c.kind = 'complaint' AND e.sex = 'Female'"
				 " AND cp.role = 'complainant' AND c.received_on BETWEEN ?1 AND ?2",
				 FROM, TO, NULL);
	assert_int_equal(n_at(t, row_of(t, "Sex", "Female"), 2), female);
}

/* A team's report, and a service's (its teams together), and the refusals. */
static void test_scope_and_refusals(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_report r;
	store_report_query q = {.org_code = "bct", .team = "Children in Care", .from = d(FROM),
				.to = d(TO)};
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_OK);
	const report_table *received = table(&r, "received");
	assert_int_equal(n_at(received, row_of(received, "complaint", NULL), 1),
			 n_at(table(&bct, "services"), row_of(table(&bct, "services"), "Children in Care", NULL), 1));
	q.team = "Fostering";
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_OK);
	received = table(&r, "received");
	const report_table *teams = table(&bct, "teams");
	assert_int_equal(n_at(received, row_of(received, "complaint", NULL), 1),
			 n_at(teams, row_of(teams, "Children in Care", "Fostering"), 2));
	q.team = "No such team";
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_ENOTFOUND);
	assert_string_equal(err.field, "team");
	q.team = NULL;
	q.org_code = "nope";
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_ENOTFOUND);
	assert_string_equal(err.field, "org");
	q.org_code = "bct";
	q.from = d(TO);
	q.to = d(FROM);
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_EINVAL);
}

/* Suppression of small numbers (DOMAIN §9: publishable without personal data). */
static void test_suppression(void **state)
{
	(void)state;
	char buf[32];
	report_cell c = {0};
	static const struct { int64_t n; const char *open, *suppressed; } counts[] = {
		{0, "0", "0"}, {1, "1", "<5"}, {4, "4", "<5"}, {5, "5", "5"}, {120, "120", "120"}};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		report_set_count(&c, counts[i].n);
		assert_string_equal(report_cell_format(&c, false, buf), counts[i].open);
		assert_string_equal(report_cell_format(&c, true, buf), counts[i].suppressed);
	}
	report_set_percent(&c, 2, 3);
	assert_string_equal(report_cell_format(&c, false, buf), "66.7%");
	assert_string_equal(report_cell_format(&c, true, buf), "<5");
	report_set_percent(&c, 3, 12); /* a small numerator can be worked back too */
	assert_string_equal(report_cell_format(&c, true, buf), "<5");
	report_set_percent(&c, 10, 12);
	assert_string_equal(report_cell_format(&c, true, buf), "83.3%");
	report_set_percent(&c, 0, 0);
	assert_string_equal(report_cell_format(&c, true, buf), "n/a");
	report_set_change(&c, 12, 9);
	assert_string_equal(report_cell_format(&c, true, buf), "+3");
	report_set_change(&c, 6, 9);
	assert_string_equal(report_cell_format(&c, true, buf), "-3");
	report_set_change(&c, 6, 2);
	assert_string_equal(report_cell_format(&c, false, buf), "+4");
	assert_string_equal(report_cell_format(&c, true, buf), "<5");
	report_set_number(&c, 54, 1, 12);
	assert_string_equal(report_cell_format(&c, true, buf), "5.4");
	report_set_number(&c, 100, 1, 1); /* how late the one late response was */
	assert_string_equal(report_cell_format(&c, false, buf), "10.0");
	assert_string_equal(report_cell_format(&c, true, buf), "<5");
	assert_int_equal(report_permille(1, 8), 125);
	assert_int_equal(report_permille(1, 0), -1);
}

/* A table of n rows of counts (and a total row when total), for the suppression tests. */
static report_table *counts_table(fh_report *r, const char *id, size_t rows, size_t cols,
				  const int64_t *v, bool total)
{
	static const char *const names[] = {"Label", "A", "B", "C", "D", "E"};
	report_table *t = report_add_table(r, &arena, id, id, "", cols + 1, names);
	for (size_t row = 0; row < rows; row++) {
		report_cell *c = report_add_row(t, &arena);
		report_set_text(&c[0], &arena, "row");
		for (size_t k = 0; k < cols; k++)
			report_set_count(&c[k + 1], v[row * cols + k]);
	}
	if (total) {
		report_cell *c = report_add_row(t, &arena);
		report_set_text(&c[0], &arena, "all rows");
		for (size_t k = 0; k < cols; k++) {
			int64_t sum = 0;
			for (size_t row = 0; row < rows; row++)
				sum += v[row * cols + k];
			report_set_count(&c[k + 1], sum);
		}
		t->total_row = true;
	}
	t->columns_add_up = true;
	return t;
}

static const char *shown(const report_table *t, size_t row, size_t col, char buf[32])
{
	return report_cell_format(report_cell_at(t, row, col), true, buf);
}

/* DOMAIN §9 (publishable under FOI without identifying anyone): secondary
 * suppression, so that a <5 cannot be worked back from a total. */
static void test_secondary_suppression(void **state)
{
	(void)state;
	char buf[32];
	fh_report r;
	memset(&r, 0, sizeof r);
	/* One small cell in a column with a total: the smallest count of 5 or
	 * more is hidden with it; the zero is not (it would give the 3 away). */
	const int64_t col[] = {3, 0, 40, 12, 9};
	report_table *t = counts_table(&r, "col", 5, 1, col, true);
	report_suppress(&r, true);
	assert_string_equal(shown(t, 0, 1, buf), "<5");
	assert_string_equal(shown(t, 1, 1, buf), "0");
	assert_string_equal(shown(t, 2, 1, buf), "40");
	assert_string_equal(shown(t, 3, 1, buf), "12");
	assert_string_equal(shown(t, 4, 1, buf), "*");   /* 9: the smallest of 5 or more */
	assert_string_equal(shown(t, 5, 1, buf), "64");  /* the total stays */
	/* Not anonymised: nothing hidden, nothing marked. */
	report_suppress(&r, false);
	assert_string_equal(report_cell_format(report_cell_at(t, 4, 1), false, buf), "9");
	assert_string_equal(report_cell_format(report_cell_at(t, 0, 1), false, buf), "3");

	/* Two small cells already protect each other: nothing more is hidden. */
	memset(&r, 0, sizeof r);
	const int64_t two[] = {3, 2, 40, 9};
	t = counts_table(&r, "two", 4, 1, two, true);
	report_suppress(&r, true);
	assert_string_equal(shown(t, 3, 1, buf), "9");

	/* Rows and columns together: hiding a cell for its column leaves its
	 * row with one hidden cell, so the row hides another (repeated until
	 * nothing changes).  Rows: within, late, no deadline = responses. */
	memset(&r, 0, sizeof r);
	const int64_t grid[] = {20, 50, 2, 6,  /* responses, within, late, none */
				30, 23, 7, 0,
				15, 10, 5, 0};
	t = counts_table(&r, "grid", 3, 4, grid, true);
	t->sum_col = 1;
	t->nparts = 3;
	t->parts[0] = 2, t->parts[1] = 3, t->parts[2] = 4;
	report_suppress(&r, true);
	/* row 0: late 2 is primary; the row hides no deadline 6 (smallest >= 5) */
	assert_string_equal(shown(t, 0, 3, buf), "<5");
	assert_string_equal(shown(t, 0, 4, buf), "*");
	/* column "late": 2 hidden alone, so 5 (row 2) goes too; then row 2 has
	 * one hidden part and hides within 10 */
	assert_string_equal(shown(t, 2, 3, buf), "*");
	assert_string_equal(shown(t, 2, 2, buf), "*");
	/* column "within": 10 hidden alone, so 23 goes; row 1 then hides 7 */
	assert_string_equal(shown(t, 1, 2, buf), "*");
	assert_string_equal(shown(t, 1, 3, buf), "*");
	/* every row, column and total checked: no sum has exactly one hidden cell */
	for (size_t c = 1; c <= 4; c++) {
		int hidden = 0;
		for (size_t row = 0; row < 3; row++)
			hidden += report_cell_at(t, row, c)->hidden != REPORT_SHOWN;
		/* one hidden is safe only when the total is hidden too */
		assert_true(hidden != 1 || report_cell_at(t, 3, c)->hidden);
	}
	/* column "none": 6 alone beside two zeros, so its total goes */
	assert_string_equal(shown(t, 3, 4, buf), "*");
	for (size_t row = 0; row < 4; row++) {
		int hidden = 0;
		for (size_t c = 2; c <= 4; c++)
			hidden += report_cell_at(t, row, c)->hidden != REPORT_SHOWN;
		assert_true(hidden != 1 || report_cell_at(t, row, 1)->hidden);
	}

	/* A percentage or change beside a hidden count is hidden too. */
	memset(&r, 0, sizeof r);
	const int64_t pc[] = {30, 2, 9};
	t = counts_table(&r, "pc", 1, 3, pc, false);
	report_cell *extra = report_add_row(t, &arena);
	report_set_text(&extra[0], &arena, "x");
	report_set_count(&extra[1], 50);
	report_set_count(&extra[2], 7);
	report_set_count(&extra[3], 8);
	t->ncols = 4;
	memset(&r, 0, sizeof r);
	r.tables[r.ntables++] = t;
	report_suppress(&r, true);
	assert_string_equal(shown(t, 0, 2, buf), "<5");
	assert_string_equal(shown(t, 1, 2, buf), "*"); /* 7, the column's other cell */

	/* Groups: each equality question's answers add up to the complainants. */
	memset(&r, 0, sizeof r);
	static const char *const eq[] = {"Question", "Answer", "People"};
	t = report_add_table(&r, &arena, "eq", "eq", "", 3, eq);
	t->always_suppress = true;
	t->group_col = 0;
	static const struct { const char *q, *a; int64_t n; } answers[] = {
		{"Sex", "Female", 9}, {"Sex", "Male", 3}, {"Sex", "not answered", 68},
		{"Disability", "No", 40}, {"Disability", "Yes", 12}, {"Disability", "not answered", 28}};
	for (size_t i = 0; i < 6; i++) {
		report_cell *c = report_add_row(t, &arena);
		report_set_text(&c[0], &arena, answers[i].q);
		report_set_text(&c[1], &arena, answers[i].a);
		report_set_count(&c[2], answers[i].n);
	}
	report_suppress(&r, false); /* always_suppress: even in the full version */
	assert_string_equal(shown(t, 1, 2, buf), "<5");
	assert_string_equal(shown(t, 0, 2, buf), "*");  /* Female 9: Sex adds up to 80 */
	assert_string_equal(shown(t, 4, 2, buf), "12"); /* Disability has nothing hidden */

	/* Links: a count shown in two tables is hidden in both. */
	memset(&r, 0, sizeof r);
	const int64_t a[] = {7, 30}, b[] = {7, 2, 30};
	report_table *ta = counts_table(&r, "a", 2, 1, a, false);
	report_table *tb = counts_table(&r, "b", 1, 3, b, false);
	tb->sum_col = 3;
	tb->nparts = 2;
	tb->parts[0] = 1, tb->parts[1] = 2;
	r.links[r.nlinks++] = (report_link){"a", "b", 1, 1};
	report_suppress(&r, true);
	assert_string_equal(shown(tb, 0, 2, buf), "<5");
	assert_string_equal(shown(tb, 0, 1, buf), "*");  /* 7 + <5 = 30 */
	assert_string_equal(shown(ta, 0, 1, buf), "*");  /* the same 7 in table a */
}

/* The anonymised demo report: every sum a reader has holds no lone hidden
 * cell, and every secondary cell is a count of 5 or more. */
static void test_secondary_suppression_demo(void **state)
{
	(void)state;
	fh_report r;
	fh_error err = {0};
	store_report_query q = {.org_code = "bct", .from = d(FROM), .to = d(TO)};
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_OK);
	report_suppress(&r, true);
	int primaries = 0, secondaries = 0;
	for (size_t i = 0; i < r.ntables; i++) {
		const report_table *t = r.tables[i];
		size_t body = t->total_row ? t->nrows - 1 : t->nrows;
		for (size_t c = 0; c < t->ncols; c++) {
			if (!t->columns_add_up)
				break;
			int hidden = 0;
			for (size_t row = 0; row < body; row++) {
				const report_cell *cell = report_cell_at(t, row, c);
				if (cell->kind != REPORT_COUNT)
					continue;
				hidden += cell->hidden != REPORT_SHOWN;
				primaries += cell->hidden == REPORT_PRIMARY;
				if (cell->hidden == REPORT_SECONDARY) {
					secondaries++;
					assert_true(cell->n >= 5);
				}
				if (cell->hidden == REPORT_PRIMARY)
					assert_true(report_is_small(cell->n));
			}
			if (hidden == 1 && !(t->total_row && report_cell_at(t, body, c)->hidden))
				fail_msg("%s column %zu has one hidden cell", t->id, c);
		}
		/* and no row's parts have one hidden cell beside a shown sum */
		for (size_t row = 0; t->sum_col >= 0 && row < t->nrows; row++) {
			int hidden = 0;
			for (size_t k = 0; k < t->nparts; k++)
				hidden += report_cell_at(t, row, (size_t)t->parts[k])->hidden != REPORT_SHOWN;
			if (hidden == 1 && !report_cell_at(t, row, (size_t)t->sum_col)->hidden)
				fail_msg("%s row %zu has one hidden part", t->id, row);
		}
	}
	/* the tables whose columns add up to a total a reader has */
	static const char *const summed[] = {"received", "routes", "responses", "services",
					     "subjects", "teams", "monthly", "extensions",
					     "ombudsman", "compliments"};
	for (size_t i = 0; i < sizeof summed / sizeof summed[0]; i++)
		assert_true(table(&r, summed[i])->columns_add_up);
	assert_true(primaries > 0);
	assert_true(secondaries > 0); /* the demo does need it */
	/* the late responses of each stage are hidden alike in both tables */
	const report_table *late = table(&r, "late"), *resp = table(&r, "responses");
	for (size_t row = 0; row < 3; row++)
		assert_int_equal(report_cell_at(late, row, 1)->hidden != REPORT_SHOWN,
				 report_cell_at(resp, row, 4)->hidden != REPORT_SHOWN);
}

/* The whole of a report projection table as text, in key order. */
static char *dump(db_conn *db, const char *sql)
{
	db_stmt *stmt;
	assert_int_equal(db_prepare(db, sql, &stmt), DB_OK);
	html_buf b = HTML_BUF_INIT;
	size_t rows = 0;
	while (db_step(stmt) == DB_ROW) {
		for (int c = 0; c < db_column_count(stmt); c++) {
			const char *v = (const char *)db_column_text(stmt, c);
			html_raw(&b, v ? v : "NULL");
			html_raw(&b, "|");
		}
		html_raw(&b, "\n");
		rows++;
	}
	db_finalize(stmt);
	assert_true(rows > 0);
	return b.data;
}

/* The report's projections (migration 009_report) built for a database that
 * had cases before them are the rows each action wrote as it went; and a
 * case moved to another team is counted under the new team. */
static void test_projection_rebuild(void **state)
{
	(void)state;
	static const char *const tables[] = {
		"SELECT * FROM report_stages ORDER BY case_id, stage",
		"SELECT * FROM report_extensions ORDER BY case_id, stage, on_date, because",
		"SELECT * FROM report_ombudsman ORDER BY case_id, enquiry_on"};
	db_conn *rw;
	assert_int_equal(db_open(db_path, false, false, &rw, NULL, 0), DB_OK);
	/* (test_ombudsman has recorded two enquiries through the lifecycle) */
	char *before[3];
	for (int i = 0; i < 3; i++)
		before[i] = dump(rw, tables[i]);
	assert_int_equal(db_exec(rw, "DELETE FROM report_stages; DELETE FROM report_extensions;"
				      " DELETE FROM report_ombudsman;"
				      " UPDATE report_projection SET built = 0"),
			 DB_OK);
	fh_store *again;
	fh_error err = {0};
	assert_int_equal(store_open(db_path, 0, &again, &err), FH_OK); /* rebuilds them */
	for (int i = 0; i < 3; i++) {
		char *after = dump(rw, tables[i]);
		assert_string_equal(after, before[i]);
		free(after);
		free(before[i]);
	}
	assert_int_equal(sql_int("SELECT built FROM report_projection", NULL), 1);
	store_close(again);

	/* a case moved to another team: its stages follow (the report_case_team trigger) */
	int64_t case_id = sql_int("SELECT case_id FROM report_stages WHERE team_id IS NOT NULL"
				  " ORDER BY case_id LIMIT 1", NULL);
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE cases SET team_id = (SELECT min(id) FROM teams t WHERE"
		 " t.org_id = cases.org_id AND t.id IS DISTINCT FROM cases.team_id) WHERE id = %lld",
		 (long long)case_id);
	assert_int_equal(db_exec(rw, sql), DB_OK);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM report_stages r JOIN cases c ON c.id ="
		 " r.case_id WHERE c.id = %lld AND r.team_id IS NOT DISTINCT FROM c.team_id",
		 (long long)case_id);
	int64_t moved = sql_int(sql, NULL);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM report_stages WHERE case_id = %lld",
		 (long long)case_id);
	assert_int_equal(moved, sql_int(sql, NULL));
	db_close(rw);

	/* The daily counts the report adds up, kept by triggers through every
	 * change above (actions, a rebuild, a case moved), are the cases and
	 * stages grouped afresh: nothing in one that is not in the other. */
	static const char *const same[] = {
		"SELECT org_id, received_on, kind, coalesce(team_id, 0), route, service, count(*)"
		" FROM cases GROUP BY 1, 2, 3, 4, 5, 6 EXCEPT SELECT * FROM report_case_days WHERE n > 0",
		"SELECT * FROM report_case_days WHERE n > 0 EXCEPT SELECT org_id, received_on, kind,"
		" coalesce(team_id, 0), route, service, count(*) FROM cases GROUP BY 1, 2, 3, 4, 5, 6",
		"SELECT org_id, responded_on, stage, coalesce(due_on, ''), coalesce(team_id, 0), officers,"
		" count(*), sum(upheld), sum(partly_upheld), sum(not_upheld), sum(not_determined),"
		" sum(withdrawn), sum(learning), sum(actions), sum(actions_done), sum(escalated)"
		" FROM report_stages WHERE responded_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6"
		" EXCEPT SELECT * FROM report_response_days WHERE n > 0",
		"SELECT * FROM report_response_days WHERE n > 0 EXCEPT SELECT org_id, responded_on, stage,"
		" coalesce(due_on, ''), coalesce(team_id, 0), officers, count(*), sum(upheld),"
		" sum(partly_upheld), sum(not_upheld), sum(not_determined), sum(withdrawn), sum(learning),"
		" sum(actions), sum(actions_done), sum(escalated) FROM report_stages"
		" WHERE responded_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6",
		"SELECT org_id, 'started', started_on, stage, coalesce(team_id, 0), count(*) FROM report_stages"
		" WHERE started_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5"
		" EXCEPT SELECT * FROM report_stage_days WHERE n > 0 AND what = 'started'",
		"SELECT * FROM report_stage_days WHERE n > 0 AND what = 'requested' EXCEPT"
		" SELECT org_id, 'requested', requested_on, stage, coalesce(team_id, 0), count(*)"
		" FROM report_stages WHERE requested_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		char q[1200];
		snprintf(q, sizeof q, "SELECT count(*) FROM (%s) AS d", same[i]);
		assert_int_equal(sql_int(q, NULL), 0);
	}
	assert_true(sql_int("SELECT count(*) FROM report_case_days WHERE n < 0", NULL) == 0);
	assert_true(sql_int("SELECT count(*) FROM report_response_days WHERE n > 0", NULL) > 10);
}

/* 001 §4.3: weekly, quarterly and annual reports. */
static void test_presets(void **state)
{
	(void)state;
	fh_date f, t;
	char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
	assert_true(report_preset("week", d("2026-11-25"), &f, &t)); /* a Wednesday */
	assert_string_equal(date_format(f, a), "2026-11-23");
	assert_string_equal(date_format(t, b), "2026-11-29");
	assert_true(report_preset("week", d("2026-11-23"), &f, &t)); /* the Monday itself */
	assert_string_equal(date_format(f, a), "2026-11-23");
	assert_true(report_preset("quarter", d("2026-11-25"), &f, &t));
	assert_string_equal(date_format(f, a), "2026-10-01");
	assert_string_equal(date_format(t, b), "2026-12-31");
	assert_true(report_preset("quarter", d("2024-02-10"), &f, &t));
	assert_string_equal(date_format(t, b), "2024-03-31");
	assert_true(report_preset("year", d("2026-11-25"), &f, &t)); /* the financial year */
	assert_string_equal(date_format(f, a), "2026-04-01");
	assert_string_equal(date_format(t, b), "2027-03-31");
	assert_true(report_preset("year", d("2026-03-31"), &f, &t));
	assert_string_equal(date_format(f, a), "2025-04-01");
	assert_false(report_preset("month", d("2026-03-31"), &f, &t));
}

static void test_periods(void **state)
{
	(void)state;
	fh_date pf, pt;
	char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
	report_previous_period(d(FROM), d(TO), &pf, &pt);
	assert_string_equal(date_format(pf, a), PREV_FROM);
	assert_string_equal(date_format(pt, b), PREV_TO);
	report_previous_period(d("2026-07-01"), d("2026-09-30"), &pf, &pt); /* a quarter: 92 days */
	assert_string_equal(date_format(pf, a), "2026-03-31");
	assert_string_equal(date_format(pt, b), "2026-06-30");
	assert_int_equal(report_month_count(d("2026-01-31"), d("2026-02-01")), 2);
	assert_int_equal(report_month_count(d("2025-12-01"), d("2026-11-30")), 12);
}

/* issue 16 item 11 (OWASP CSV injection): a spreadsheet skips a leading
 * TAB or CR before it looks for a formula, so those cells are neutralised
 * as = + - @ are. */
static void test_csv_injection_tab_cr_owasp(void **state)
{
	(void)state;
	html_buf b = HTML_BUF_INIT;
	/* issue 16 item 11 (OWASP CSV injection): a leading TAB or CR is
	 * skipped by spreadsheets before they look for a formula. */
	csv_field(&b, "\t=cmd|' /C calc'!A0");
	html_raw(&b, "|");
	csv_field(&b, "\r@SUM(1+1)");
	html_raw(&b, "|");
	csv_field(&b, "-2");
	assert_string_equal(html_buf_str(&b),
			    "\"'\t=cmd|' /C calc'!A0\"|\"'\r@SUM(1+1)\"|\"'-2\"");
	html_buf_free(&b);
}

/* Issue 16 item 12: in the anonymised version a label outside its closed
 * list reads "Other" and rows alike are added together; the version not
 * for publication keeps them as typed. */
static void test_anonymised_labels_closed_lists_issue16_item12(void **state)
{
	(void)state;
	for (int anonymised = 0; anonymised <= 1; anonymised++) {
		fh_arena pool = ARENA_INIT;
		fh_report r = {0};
		static const char *const cols[] = {"Question", "Answer", "Complainants"};
		report_table *t = report_add_table(&r, &pool, "equality", "Equality", "", 3, cols);
		static const char *const SEX[] = {"Female", "Male", NULL};
		static const char *const NONE[] = {"not answered", NULL};
		t->group_col = 0;
		t->label_col = 1;
		t->nclosed = 2;
		t->closed[0].group = "Sex", t->closed[0].values = SEX;
		t->closed[1].group = "Language", t->closed[1].values = NONE;
		const struct { const char *q, *a; int64_t n; } rows[] = {
			{"Language", "Klingon", 6}, {"Language", "Welsh", 7},
			{"Language", "not answered", 9}, {"Sex", "Female", 12},
			{"Sex", "Martian", 3}, {"Sex", "Wizard", 4},
		};
		for (size_t i = 0; i < 6; i++) {
			report_cell *row = report_add_row(t, &pool);
			report_set_text(&row[0], &pool, rows[i].q);
			report_set_text(&row[1], &pool, rows[i].a);
			report_set_count(&row[2], rows[i].n);
		}
		report_suppress(&r, anonymised);
		if (!anonymised) {
			assert_int_equal(t->nrows, 6);
			assert_string_equal(report_cell_at(t, 0, 1)->text, "Klingon");
		} else {
			assert_int_equal(t->nrows, 4);
			assert_string_equal(report_cell_at(t, 0, 1)->text, "Other");
			assert_int_equal(report_cell_at(t, 0, 2)->n, 13);
			assert_string_equal(report_cell_at(t, 1, 1)->text, "not answered");
			assert_string_equal(report_cell_at(t, 2, 1)->text, "Female");
			assert_string_equal(report_cell_at(t, 3, 0)->text, "Sex");
			assert_string_equal(report_cell_at(t, 3, 1)->text, "Other");
			assert_int_equal(report_cell_at(t, 3, 2)->n, 7);
		}
		arena_free(&pool);
	}
}

/* The escaping writers every value of the HTML and CSV goes through. */
static void test_escaping_writers(void **state)
{
	(void)state;
	html_buf b = HTML_BUF_INIT;
	assert_string_equal(html_buf_str(&b), "");
	html_text(&b, "<script>alert('x') & \"y\"</script>");
	assert_string_equal(html_buf_str(&b), "&lt;script&gt;alert('x') &amp; \"y\"&lt;/script&gt;");
	html_buf_free(&b);
	html_attr(&b, "a\"b'c<d>&");
	assert_string_equal(html_buf_str(&b), "a&quot;b&#39;c&lt;d&gt;&amp;");
	html_buf_free(&b);
	csv_field(&b, "plain");
	html_raw(&b, "|");
	csv_field(&b, "a,b");
	html_raw(&b, "|");
	csv_field(&b, "say \"hi\"\r\nthen");
	html_raw(&b, "|");
	csv_field(&b, "=HYPERLINK(\"x\")");
	html_raw(&b, "|");
	csv_field(&b, "");
	assert_string_equal(html_buf_str(&b),
			    "plain|\"a,b\"|\"say \"\"hi\"\"\r\nthen\"|\"'=HYPERLINK(\"\"x\"\")\"|");
	html_buf_free(&b);
	for (int i = 0; i < 1000; i++) /* growth past the first block */
		html_rawf(&b, "%d,", i);
	assert_int_equal(strncmp(html_buf_str(&b) + b.len - 4, "999,", 4), 0);
	html_buf_free(&b);
}

/*
 * Remedies and payments (001 §18, Appendix B) and advocacy and access
 * (DOMAIN §7): rows written straight into the policy tables on a
 * connection of the test's own (six remedies in the period, one before it;
 * advocacy and access needs on cases received in the period and one
 * before), then every cell checked against a direct count, and the small
 * counts suppressed in the anonymised version.
 */
static void test_remedies_and_advocacy(void **state)
{
	(void)state;
	db_conn *w;
	assert_int_equal(db_open(db_path, false, false, &w, NULL, 0), DB_OK);
	const char *sql =
		"BEGIN;"
		"CREATE TEMP TABLE pick AS SELECT c.id AS case_id, c.received_on AS received_on,"
		" (SELECT person_id FROM case_parties p WHERE p.case_id = c.id ORDER BY p.id LIMIT 1)"
		"  AS person_id, row_number() OVER (ORDER BY c.id) AS n"
		" FROM cases c JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct'"
		" AND c.received_on BETWEEN '" FROM "' AND '" TO "'"
		" AND EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id) LIMIT 9;"
		"INSERT INTO remedies (case_id, type, category, amount_pence, description, recorded_by,"
		" recorded_at, approved_by, approved_on, delivered_by, delivered_on)"
		" SELECT case_id, 'apology', '', 0, 'An apology', 't', '2026-03-0' || n || 'T10:00:00Z',"
		"  CASE WHEN n <= 5 THEN 't' END, CASE WHEN n <= 5 THEN '2026-04-01' END,"
		"  CASE WHEN n <= 2 THEN 't' END, CASE WHEN n <= 2 THEN '2026-04-02' END"
		" FROM pick WHERE n <= 5;"
		"INSERT INTO remedies (case_id, type, category, amount_pence, description, recorded_by,"
		" recorded_at, approved_by, approved_on)"
		" SELECT case_id, 'financial', 'time_and_trouble', 12550, 'Time and trouble', 't',"
		"  '2026-05-01T09:00:00Z', 't', '2026-05-02' FROM pick WHERE n = 6;"
		"INSERT INTO remedies (case_id, type, category, amount_pence, description, recorded_by,"
		" recorded_at) SELECT case_id, 'apology', '', 0, 'Before the period', 't',"
		"  '2025-11-30T23:00:00Z' FROM pick WHERE n = 7;"
		"INSERT INTO case_advocacy (case_id, person_id, service, offered_on, referred_on,"
		" taken_up_on, declined_on, clock_extended, recorded_by)"
		" SELECT case_id, person_id, 'Rights and Participation Service', received_on,"
		"  CASE WHEN n <= 6 THEN received_on END, CASE WHEN n <= 5 THEN received_on END,"
		"  CASE WHEN n > 6 THEN received_on END, CASE WHEN n = 1 THEN 1 ELSE 0 END, 't' FROM pick;"
		"INSERT INTO case_access_needs (case_id, person_id, need, recorded_by, recorded_at)"
		" SELECT case_id, person_id, CASE WHEN n <= 6 THEN 'interpreter' ELSE 'signer' END, 't',"
		"  received_on || 'T00:00:00Z' FROM pick;"
		"COMMIT;";
	if (db_exec(w, sql) != DB_OK)
		fail_msg("inserting the policy rows: %s", db_errmsg(w));
	db_close(w);

	fh_report r;
	fh_error err = {0};
	store_report_query q = {.org_code = "bct", .from = d(FROM), .to = d(TO)};
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_OK);
	for (size_t i = 0; i < r.nnotes; i++)
		assert_null(strstr(r.notes[i], "Remedies"));

	const report_table *t = table(&r, "remedies");
	static const char REM[] =
		"SELECT %s FROM remedies x JOIN cases c ON c.id = x.case_id JOIN organisations o"
		" ON o.id = c.org_id WHERE o.code = 'bct' AND x.type = ?1"
		" AND date(x.recorded_at) BETWEEN '" FROM "' AND '" TO "'";
	char buf[600];
	static const char *const types[][2] = {{"Apology", "apology"}, {"Financial", "financial"}};
	for (size_t k = 0; k < 2; k++) {
		size_t row = row_of(t, types[k][0], NULL);
		snprintf(buf, sizeof buf, REM, "count(*)");
		assert_int_equal(n_at(t, row, 2), sql_int(buf, types[k][1], NULL));
		snprintf(buf, sizeof buf, REM, "count(x.approved_on)");
		assert_int_equal(n_at(t, row, 3), sql_int(buf, types[k][1], NULL));
		snprintf(buf, sizeof buf, REM, "count(x.delivered_on)");
		assert_int_equal(n_at(t, row, 4), sql_int(buf, types[k][1], NULL));
		snprintf(buf, sizeof buf, REM,
			 "coalesce(sum(CASE WHEN x.approved_on IS NOT NULL THEN x.amount_pence END), 0)");
		assert_int_equal(n_at(t, row, 5), sql_int(buf, types[k][1], NULL));
	}
	/* the one before the period is not counted: 5 apologies, not 6 */
	assert_int_equal(n_at(t, row_of(t, "Apology", NULL), 2), 5);
	size_t total = row_of(t, "all remedies", NULL);
	assert_int_equal(n_at(t, total, 2), 6);
	assert_int_equal(n_at(t, total, 5), 12550);

	t = table(&r, "advocacy");
	static const char ADV[] =
		"SELECT %s FROM case_advocacy a JOIN cases c ON c.id = a.case_id JOIN organisations o"
		" ON o.id = c.org_id WHERE o.code = 'bct'"
		" AND c.received_on BETWEEN '" FROM "' AND '" TO "'";
	static const char *const cols[] = {"count(*)", "count(referred_on)", "count(taken_up_on)",
					   "count(declined_on)", "sum(clock_extended)"};
	size_t row = row_of(t, "Rights and Participation Service", NULL);
	for (size_t k = 0; k < 5; k++) {
		snprintf(buf, sizeof buf, ADV, cols[k]);
		assert_int_equal(n_at(t, row, k + 1), sql_int(buf, NULL));
	}
	t = table(&r, "access");
	static const char ACC[] =
		"SELECT %s FROM case_access_needs n JOIN cases c ON c.id = n.case_id JOIN organisations o"
		" ON o.id = c.org_id WHERE o.code = 'bct' AND n.need = ?1"
		" AND c.received_on BETWEEN '" FROM "' AND '" TO "'";
	static const char *const needs[][2] = {{"Interpreter", "interpreter"}, {"Signer", "signer"}};
	for (size_t k = 0; k < 2; k++) {
		snprintf(buf, sizeof buf, ACC, "count(*)");
		assert_int_equal(n_at(t, row_of(t, needs[k][0], NULL), 1),
				 sql_int(buf, needs[k][1], NULL));
		snprintf(buf, sizeof buf, ACC, "count(DISTINCT n.case_id)");
		assert_int_equal(n_at(t, row_of(t, needs[k][0], NULL), 2),
				 sql_int(buf, needs[k][1], NULL));
	}

	/* Anonymised: the one financial remedy, its amount and the 3 signers are hidden. */
	report_suppress(&r, true);
	char cell[32];
	t = table(&r, "remedies");
	row = row_of(t, "Financial", NULL);
	assert_string_equal(report_cell_format(report_cell_at(t, row, 2), true, cell), "<5");
	assert_string_equal(report_cell_format(report_cell_at(t, row, 5), true, cell), "<5");
	t = table(&r, "access");
	assert_string_equal(report_cell_format(report_cell_at(t, row_of(t, "Signer", NULL), 1), true,
					       cell), "<5");

	/* A team's report leaves the organisation-wide tables out, and says so. */
	fh_report team;
	store_report_query tq = {.org_code = "bct", .team = "Children in Care", .from = d(FROM),
				 .to = d(TO)};
	assert_int_equal(store_report_build(st, &tq, &arena, &team, &err), FH_OK);
	for (size_t i = 0; i < team.ntables; i++)
		assert_string_not_equal(team.tables[i]->id, "remedies");
	bool said = false;
	for (size_t i = 0; i < team.nnotes; i++)
		said |= strstr(team.notes[i], "whole organisation") != NULL;
	assert_true(said);
}

/* One text from sql on the test's own connection, copied into the arena. */
static const char *sql_text(const char *sql)
{
	db_stmt *stmt;
	assert_int_equal(db_prepare(raw, sql, &stmt), DB_OK);
	assert_int_equal(db_step(stmt), DB_ROW);
	const char *s = arena_printf(&arena, "%s", (const char *)db_column_text(stmt, 0));
	db_finalize(stmt);
	return s;
}

#define BCT_PERSON(k) "SELECT p.id FROM people p JOIN organisations o ON o.id = p.org_id" \
	" WHERE o.code = 'bct' ORDER BY p.id LIMIT 1 OFFSET " #k
#define BCT_CASE(k) "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id" \
	" WHERE o.code = 'bct' AND c.id NOT IN (SELECT case_id FROM freeze_requests)" \
	" ORDER BY c.id LIMIT 1 OFFSET " #k
#define BCT_STAGED_CASE(k) "SELECT c.reference FROM cases c JOIN organisations o" \
	" ON o.id = c.org_id WHERE o.code = 'bct' AND c.stage BETWEEN 1 AND 3" \
	" ORDER BY c.id DESC LIMIT 1 OFFSET " #k

/*
 * Unreasonably persistent behaviour (001 §19, Appendix A), freezing
 * decisions (001 §11) and joint complaints (001 §12, §13): a few of each
 * recorded through the store's own functions (some before the period), then
 * every cell checked against a direct count, a small count suppressed in the
 * anonymised version, and the tables left out of a team's report.
 */
static void test_behaviour_freezing_joint(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_date today = d("2026-11-23");
	int64_t p1 = sql_int(BCT_PERSON(0), NULL), p2 = sql_int(BCT_PERSON(1), NULL),
		p3 = sql_int(BCT_PERSON(2), NULL);
	/* Two warnings in the period, one before it. */
	assert_int_equal(store_behaviour_warn(st, "bct", p1, d("2026-01-10"), "Calls", "Fewer calls",
					      "cim@bct", today, NULL, &err), FH_OK);
	assert_int_equal(store_behaviour_warn(st, "bct", p1, d("2026-02-10"), "Calls", "Fewer calls",
					      "cim@bct", today, NULL, &err), FH_OK);
	assert_int_equal(store_behaviour_warn(st, "bct", p2, d("2025-11-01"), "Emails", "Fewer",
					      "cim@bct", today, NULL, &err), FH_OK);
	/* Three restrictions started in the period, one before it. */
	behaviour_restriction rs[] = {
		{.kind = "phone_call_limit", .detail = "One call a week", .reason = "Calls daily",
		 .starts_on = d("2026-03-01"), .ends_on = d("2026-06-01")},
		{.kind = "phone_call_limit", .detail = "One call a week", .reason = "Calls daily",
		 .starts_on = d("2026-04-01"), .ends_on = d("2026-07-01")},
		{.kind = "witness_present", .detail = "A witness at meetings", .reason = "Threats",
		 .starts_on = d("2026-05-01"), .ends_on = d("2026-08-01"),
		 .without_warning = "threats_or_abuse"},
		{.kind = "named_contact_only", .detail = "One officer", .reason = "Abuse",
		 .starts_on = d("2025-10-01"), .ends_on = d("2026-01-01"),
		 .without_warning = "extreme_behaviour"},
	};
	int64_t people[] = {p1, p2, p3, p3}, rid[4];
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(store_behaviour_restrict(st, "bct", people[i], &rs[i], "cim@bct", today,
							  &rid[i], &err), FH_OK);
	/* Reviews: two in the period (continue, lift), one before it. */
	assert_int_equal(store_behaviour_review(st, "bct", rid[0], d("2026-05-31"), "continue", "n", 0,
						NULL, "cim@bct", today, &err), FH_OK);
	assert_int_equal(store_behaviour_review(st, "bct", rid[2], d("2026-07-31"), "lift", "Calmer", 0,
						NULL, "cim@bct", today, &err), FH_OK);
	assert_int_equal(store_behaviour_review(st, "bct", rid[3], d("2025-11-30"), "continue", "n", 0,
						NULL, "cim@bct", today, &err), FH_OK);
	/* Appeals: one answered (upheld), one awaiting an answer. */
	fh_date due;
	assert_int_equal(store_behaviour_appeal(st, "bct", rid[0], d("2026-03-05"), "Unfair", "cim@bct",
						today, &due, &err), FH_OK);
	assert_int_equal(store_behaviour_answer(st, "bct", rid[0], d("2026-03-15"), "upheld", "Fair",
						true, "ad@bct", today, &err), FH_OK);
	assert_int_equal(store_behaviour_appeal(st, "bct", rid[1], d("2026-04-05"), "Unfair", "cim@bct",
						today, &due, &err), FH_OK);

	/* Freezing: agreed and frozen; disagreed, escalated and not frozen; undecided. */
	const char *fa = sql_text(BCT_CASE(0)), *fb = sql_text(BCT_CASE(1)),
		   *fc = sql_text(BCT_CASE(2));
	int64_t ida, idb;
	assert_int_equal(store_freeze_request(st, fa, "placement", "Move to Leeds", d("2026-02-01"),
					      "cm@bct", today, &ida, &err), FH_OK);
	assert_int_equal(store_freeze_view(st, fa, ida, "complaints_manager", true, "freeze", NULL,
					   "cm@bct", today, &err), FH_OK);
	assert_int_equal(store_freeze_view(st, fa, ida, "head_of_service", true, "freeze", NULL,
					   "hos@bct", today, &err), FH_OK);
	assert_int_equal(store_freeze_request(st, fb, "service", "End respite", d("2026-03-01"),
					      "cm@bct", today, &idb, &err), FH_OK);
	assert_int_equal(store_freeze_view(st, fb, idb, "complaints_manager", true, "freeze", NULL,
					   "cm@bct", today, &err), FH_OK);
	assert_int_equal(store_freeze_view(st, fb, idb, "head_of_service", true, "not_freeze",
					   "Respite is unsafe", "hos@bct", today, &err), FH_OK);
	assert_int_equal(store_freeze_decide(st, fb, idb, "not_freeze", "Unsafe", "dir@bct", today,
					     &err), FH_OK);
	assert_int_equal(store_freeze_request(st, fc, "service", "End respite", d("2026-06-01"),
					      "cm@bct", today, NULL, &err), FH_OK);

	/* Joint: three contributions on two cases, one received; three liaisons. */
	const char *ja = sql_text(BCT_STAGED_CASE(0)), *jb = sql_text(BCT_STAGED_CASE(1));
	const char *t1 = sql_text("SELECT t.name FROM teams t JOIN organisations o ON o.id = t.org_id"
				  " WHERE o.code = 'bct' AND t.level = 'team' ORDER BY t.id LIMIT 1");
	const char *t2 = sql_text("SELECT t.name FROM teams t JOIN organisations o ON o.id = t.org_id"
				  " WHERE o.code = 'bct' AND t.level = 'team' ORDER BY t.id LIMIT 1"
				  " OFFSET 1");
	assert_int_equal(store_contribution_request(st, ja, t1, d("2026-02-01"), "cm@bct", today, &err),
			 FH_OK);
	assert_int_equal(store_contribution_request(st, ja, t2, d("2026-02-01"), "cm@bct", today, &err),
			 FH_OK);
	assert_int_equal(store_contribution_request(st, jb, t1, d("2026-03-01"), "cm@bct", today, &err),
			 FH_OK);
	int64_t cid = sql_int("SELECT j.id FROM case_contributions j JOIN cases c ON c.id = j.case_id"
			      " WHERE c.reference = ?1 ORDER BY j.id LIMIT 1", ja, NULL);
	assert_int_equal(store_contribution_received(st, ja, cid, d("2026-02-10"), "cm@bct", today,
						     &err), FH_OK);
	assert_int_equal(store_liaison_add(st, ja, "City NHS Trust", "single_response", d("2026-02-03"),
					   true, d("2026-02-04"), "cm@bct", today, &err), FH_OK);
	assert_int_equal(store_liaison_add(st, jb, "County Police", "separate", d("2026-03-03"), true,
					   d("2026-03-03"), "cm@bct", today, &err), FH_OK);
	assert_int_equal(store_liaison_add(st, ja, "Hill Academy", "separate", d("2026-03-04"), true,
					   d("2026-03-05"), "cm@bct", today, &err), FH_OK);

	fh_report r;
	store_report_query q = {.org_code = "bct", .from = d(FROM), .to = d(TO)};
	assert_int_equal(store_report_build(st, &q, &arena, &r, &err), FH_OK);
	char buf[800];
	const char *const P = "'" FROM "' AND '" TO "'";

	/* Behaviour: each row against its own count. */
	const report_table *t = table(&r, "behaviour");
	static const char PERSON_BCT[] =
		" JOIN people p ON p.id = %s.person_id JOIN organisations o ON o.id = p.org_id"
		" WHERE o.code = 'bct'";
	char pj[200];
	snprintf(pj, sizeof pj, PERSON_BCT, "w");
	snprintf(buf, sizeof buf, "SELECT count(*) FROM behaviour_warnings w%s AND w.issued_on"
		 " BETWEEN %s", pj, P);
	assert_int_equal(n_at(t, row_of(t, "Warnings given", NULL), 2), sql_int(buf, NULL));
	assert_int_equal(n_at(t, row_of(t, "Warnings given", NULL), 2), 2);
	snprintf(pj, sizeof pj, PERSON_BCT, "x");
	static const char *const kinds[][2] = {{"Phone call limit", "phone_call_limit"},
					       {"Witness present", "witness_present"}};
	for (size_t k = 0; k < 2; k++) {
		snprintf(buf, sizeof buf, "SELECT count(*) FROM behaviour_restrictions x%s"
			 " AND x.kind = ?1 AND x.starts_on BETWEEN %s", pj, P);
		assert_int_equal(n_at(t, row_of(t, "Restrictions started", kinds[k][0]), 2),
				 sql_int(buf, kinds[k][1], NULL));
	}
	assert_int_equal(n_at(t, row_of(t, "Restrictions started", "Phone call limit"), 2), 2);
	for (size_t i = 0; i < t->nrows; i++) /* the one before the period is not there */
		assert_string_not_equal(report_cell_at(t, i, 1)->text, "Named contact only");
	static const char *const reviews[][2] = {{"Continue", "continue"}, {"Lift", "lift"}};
	for (size_t k = 0; k < 2; k++) {
		snprintf(buf, sizeof buf, "SELECT count(*) FROM behaviour_reviews v JOIN"
			 " behaviour_restrictions x ON x.id = v.restriction_id%s AND v.outcome = ?1"
			 " AND v.reviewed_on BETWEEN %s", pj, P);
		assert_int_equal(n_at(t, row_of(t, "Restriction reviews held", reviews[k][0]), 2),
				 sql_int(buf, reviews[k][1], NULL));
	}
	assert_int_equal(n_at(t, row_of(t, "Restriction reviews held", "Continue"), 2), 1);
	snprintf(buf, sizeof buf, "SELECT count(*) FROM behaviour_appeals a JOIN"
		 " behaviour_restrictions x ON x.id = a.restriction_id%s AND a.outcome IS NOT DISTINCT FROM ?1"
		 " AND a.received_on BETWEEN %s", pj, P);
	assert_int_equal(n_at(t, row_of(t, "Appeals received", "Upheld"), 2),
			 sql_int(buf, "upheld", NULL));
	assert_int_equal(n_at(t, row_of(t, "Appeals received", "Awaiting an answer"), 2),
			 sql_int(buf, NULL));
	assert_int_equal(n_at(t, row_of(t, "Appeals received", "Awaiting an answer"), 2), 1);

	/* Freezing. */
	t = table(&r, "freezing");
	static const char FRZ[] =
		"SELECT count(*) FROM freeze_requests f JOIN cases c ON c.id = f.case_id"
		" JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND %s";
	static const char *const frz[][2] = {
		{"Requests received", "f.requested_on BETWEEN '" FROM "' AND '" TO "'"},
		{"Escalated: the deciders disagreed",
		 "f.escalated = 1 AND f.requested_on BETWEEN '" FROM "' AND '" TO "'"},
		{"Decided: frozen",
		 "f.outcome = 'frozen' AND f.decided_on BETWEEN '" FROM "' AND '" TO "'"},
		{"Decided: not frozen",
		 "f.outcome = 'not_frozen' AND f.decided_on BETWEEN '" FROM "' AND '" TO "'"},
	};
	static const int64_t frz_expected[] = {3, 1, 1, 1};
	for (size_t k = 0; k < 4; k++) {
		snprintf(buf, sizeof buf, FRZ, frz[k][1]);
		assert_int_equal(n_at(t, row_of(t, frz[k][0], NULL), 1), sql_int(buf, NULL));
		assert_int_equal(n_at(t, row_of(t, frz[k][0], NULL), 1), frz_expected[k]);
	}

	/* Joint complaints: the number and the cases. */
	t = table(&r, "joint");
	static const char CON[] =
		"SELECT %s FROM case_contributions j JOIN cases c ON c.id = j.case_id"
		" JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND j.%s BETWEEN %s";
	static const char *const con[][2] = {{"Team contributions requested", "requested_on"},
					     {"Team contributions received", "received_on"}};
	static const int64_t con_expected[][2] = {{3, 2}, {1, 1}};
	for (size_t k = 0; k < 2; k++) {
		size_t row = row_of(t, con[k][0], NULL);
		snprintf(buf, sizeof buf, CON, "count(*)", con[k][1], P);
		assert_int_equal(n_at(t, row, 2), sql_int(buf, NULL));
		snprintf(buf, sizeof buf, CON, "count(DISTINCT j.case_id)", con[k][1], P);
		assert_int_equal(n_at(t, row, 3), sql_int(buf, NULL));
		assert_int_equal(n_at(t, row, 2), con_expected[k][0]);
		assert_int_equal(n_at(t, row, 3), con_expected[k][1]);
	}
	static const char LIA[] =
		"SELECT %s FROM case_liaisons l JOIN cases c ON c.id = l.case_id"
		" JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND l.responder = ?1"
		" AND l.liaised_on BETWEEN %s";
	static const char *const lia[][2] = {{"Single response", "single_response"},
					     {"Separate", "separate"}};
	for (size_t k = 0; k < 2; k++) {
		size_t row = row_of(t, "Liaisons with other organisations", lia[k][0]);
		snprintf(buf, sizeof buf, LIA, "count(*)", P);
		assert_int_equal(n_at(t, row, 2), sql_int(buf, lia[k][1], NULL));
		snprintf(buf, sizeof buf, LIA, "count(DISTINCT l.case_id)", P);
		assert_int_equal(n_at(t, row, 3), sql_int(buf, lia[k][1], NULL));
	}
	assert_int_equal(n_at(t, row_of(t, "Liaisons with other organisations", "Separate"), 2), 2);

	/* Anonymised: the small counts are hidden; the open version shows them. */
	char cell[32];
	t = table(&r, "behaviour");
	const report_cell *w = report_cell_at(t, row_of(t, "Warnings given", NULL), 2);
	assert_string_equal(report_cell_format(w, false, cell), "2");
	report_suppress(&r, true);
	assert_string_equal(report_cell_format(w, true, cell), "<5");
	t = table(&r, "freezing");
	assert_string_equal(report_cell_format(report_cell_at(t, row_of(t, "Requests received", NULL),
							      1), true, cell), "<5");
	t = table(&r, "joint");
	assert_string_equal(report_cell_format(report_cell_at(t, row_of(t,
				"Team contributions requested", NULL), 3), true, cell), "<5");

	/* A team's report leaves them out. */
	fh_report team;
	store_report_query tq = {.org_code = "bct", .team = "Children in Care", .from = d(FROM),
				 .to = d(TO)};
	assert_int_equal(store_report_build(st, &tq, &arena, &team, &err), FH_OK);
	for (size_t i = 0; i < team.ntables; i++) {
		assert_string_not_equal(team.tables[i]->id, "behaviour");
		assert_string_not_equal(team.tables[i]->id, "freezing");
		assert_string_not_equal(team.tables[i]->id, "joint");
	}
}


/* --- the annual report (issue 19 item 3) ----------------------------------------
 *
 * Five complaints of the example council, which adopted the Ombudsman's
 * Complaint Handling Code (procedures/lgsco-code.json) for its
 * non-statutory complaints from 2026-04-01, on a database of their own, so
 * that every figure is known by hand (England and Wales: Good Friday
 * 3 April and Easter Monday 6 April 2026, the Early May bank holiday 4 May,
 * the Spring bank holiday 25 May):
 *
 *  A  Code, received Wed 1 April, acknowledged 2 April (due 10 April: in
 *     time), answered 20 April, the 10th working day after the
 *     acknowledgement across Easter (in time); upheld; an apology and
 *     £150.00 for time and trouble approved, the money delivered;
 *  B  Code, received 1 April, acknowledged 13 April (late), answered 28
 *     April (due 27: late); not upheld; Stage 2 asked 5 May, acknowledged
 *     7 May (due 12: in time), answered 20 May (in time), not upheld; the
 *     Ombudsman's enquiry 1 September, its decision 2 November;
 *  C  Code, received Fri 1 May, acknowledged 5 May (due 11: in time),
 *     extended on 15 May to 20 working days (due 3 June), answered 1 June
 *     (in time, after an extension); partly upheld;
 *  D  statutory (a looked-after young person), received 1 June,
 *     acknowledged 2 June (2 working days: due 3 June), answered 5 June
 *     (due 15 June); upheld;
 *  E  corporate, received 31 March, before the Code: acknowledged 1 April
 *     (due 2 April), answered 14 April (due 16 April); not upheld.
 */
static fh_report annual;
static char annual_ref[5][FH_REFERENCE_MAX];
static const fh_actor annual_actor = {.name = "test", .all_roles = true};

static void annual_record(int i, const char *received, bool child)
{
	fh_party party = {.role = "complainant", .relationship = "self",
			  .child_status = child ? "looked_after" : NULL,
			  .person = {.given_name = "Sam", .family_name = "Reyes"}};
	fh_point point = {.summary = "Letters went unanswered", .desired_outcome = "An answer"};
	fh_case_input in = {.org_code = "example", .kind = "complaint", .channel = "email",
			    .received_on = received, .summary = "Letters unanswered",
			    .n_parties = 1, .parties = &party, .n_points = 1, .points = &point};
	fh_error err = {0};
	test_seed_ok(store_case_create(annual_st, &in, "test", annual_ref[i], &err), &err,
		     "annual: recording a case");
}

/* Stage 2's reviewer, who issues B's Stage 2 response (LGSCO Code §6, Stage 2) */
static const fh_actor annual_reviewer = {.name = "ro@example.test", .all_roles = true};

static void annual_act_as(int i, const char *on, const char *action, const char *params,
			  const fh_actor *actor)
{
	json_t *p = json_loads(params ? params : "{}", 0, NULL);
	assert_non_null(p);
	json_object_set_new(p, "on", json_string(on));
	json_t *result = NULL;
	fh_error err = {0};
	fh_status s = store_case_act(annual_st, annual_ref[i], action, p, actor, d(on),
				     &result, &err);
	if (s)
		fprintf(stderr, "# %s %s %s: %s: %s\n", annual_ref[i], on, action, err.field,
			err.message);
	assert_int_equal(s, FH_OK);
	json_decref(result);
	json_decref(p);
}

static void annual_act(int i, const char *on, const char *action, const char *params)
{
	annual_act_as(i, on, action, params, &annual_actor);
}

/* A finding on the case's one point, then the response, on the same day, by actor. */
static void annual_answer_as(int i, const char *on, const char *outcome, const fh_actor *actor)
{
	char finding[256];
	snprintf(finding, sizeof finding, "{\"point\": 1, \"outcome\": \"%s\", \"reasoning\": "
		 "\"Records checked.\", \"outcome_response\": \"Answered.\"}", outcome);
	annual_act_as(i, on, "record_finding", finding, actor);
	annual_act_as(i, on, "issue_response",
		   "{\"learning\": \"Answer letters within ten working days.\", \"actions\": "
		   "[{\"action\": \"Letters log\", \"owner\": \"manager@example.test\", "
		   "\"due_on\": \"2026-12-31\"}]}", actor);
}

static void annual_answer(int i, const char *on, const char *outcome)
{
	annual_answer_as(i, on, outcome, &annual_actor);
}

/* Builds the database and the report once, for the first annual test that
 * runs (the program is one TAP group); group_teardown removes it. */
static void annual_ready(void)
{
	if (annual_st)
		return;
	fh_error err = {0};
	annual_path = test_dbpath();
	test_seed_ok(store_open(annual_path, STORE_CREATE, &annual_st, &err), &err, "annual: open");
	int installed = 0;
	test_seed_ok(store_procedure_install_dir(annual_st, FH_PROCEDURES_DIR, "test", &installed,
						 &err), &err, "annual: procedures");
	test_apply_demo_org(annual_st, "example");
	/* Stage 2's reviewer, who was not at Stage 1 (LGSCO Code §6, Stage 2) */
	fh_user u = {.email = "ro@example.test", .display_name = "Reviewing Officer"};
	test_seed_ok(store_user_create(annual_st, &u, "test", NULL, &err), &err, "annual: user");
	test_seed_ok(store_user_grant(annual_st, u.email, "example", "reviewing_officer", NULL,
				      "test", &err), &err, "annual: grant");

	static const char *const NOT_CHILD = "{\"not_about_child\": true}";
	/* A */
	annual_record(0, "2026-04-01", false);
	annual_act(0, "2026-04-01", "triage", NOT_CHILD);
	annual_act(0, "2026-04-01", "accept", NULL);
	annual_act(0, "2026-04-02", "acknowledge", NULL);
	annual_answer(0, "2026-04-20", "upheld");
	redress_input apology = {.type = "apology", .description = "A written apology"};
	redress_input money = {.type = "financial", .category = "time_and_trouble",
			       .amount_pence = 15000, .description = "For the time and trouble"};
	int64_t id1 = 0, id2 = 0;
	test_seed_ok(store_remedy_add(annual_st, annual_ref[0], &apology, "test", d("2026-04-21"),
				      &id1, &err), &err, "annual: remedy");
	test_seed_ok(store_remedy_add(annual_st, annual_ref[0], &money, "test", d("2026-04-21"),
				      &id2, &err), &err, "annual: remedy");
	test_seed_ok(store_remedy_approve(annual_st, annual_ref[0], id2, d("2026-05-01"), "test",
					  d("2026-05-01"), &err), &err, "annual: approve");
	test_seed_ok(store_remedy_deliver(annual_st, annual_ref[0], id2, d("2026-05-10"), "test",
					  d("2026-05-10"), &err), &err, "annual: deliver");
	/* B */
	annual_record(1, "2026-04-01", false);
	annual_act(1, "2026-04-01", "triage", NOT_CHILD);
	annual_act(1, "2026-04-01", "accept", NULL);
	annual_act(1, "2026-04-13", "acknowledge", NULL);
	annual_answer(1, "2026-04-28", "not_upheld");
	annual_act(1, "2026-05-05", "request_escalation", "{\"reason\": \"Still no answer\"}");
	annual_act(1, "2026-05-05", "accept_escalation", NULL);
	annual_act(1, "2026-05-07", "acknowledge", NULL);
	annual_act(1, "2026-05-07", "assign",
		   "{\"role\": \"reviewing_officer\", \"user\": \"ro@example.test\"}");
	annual_answer_as(1, "2026-05-20", "not_upheld", &annual_reviewer);
	annual_act(1, "2026-09-01", "ombudsman", "{\"reference\": \"26 001 234\"}");
	annual_act(1, "2026-11-02", "ombudsman", "{\"outcome\": \"fault_remedy_recommended\"}");
	/* C */
	annual_record(2, "2026-05-01", false);
	annual_act(2, "2026-05-01", "triage", NOT_CHILD);
	annual_act(2, "2026-05-01", "accept", NULL);
	annual_act(2, "2026-05-05", "acknowledge", NULL);
	annual_act(2, "2026-05-15", "extend", "{\"to\": 20, \"reason\": \"Records held by a "
		   "contractor\", \"notice_on\": \"2026-05-15\"}");
	annual_answer(2, "2026-06-01", "partly_upheld");
	/* D */
	annual_record(3, "2026-06-01", true);
	annual_act(3, "2026-06-02", "acknowledge", NULL);
	annual_act(3, "2026-06-02", "triage", "{\"grounds_arose_on\": \"2026-05-01\"}");
	annual_act(3, "2026-06-02", "accept", NULL);
	annual_answer(3, "2026-06-05", "upheld");
	/* E */
	annual_record(4, "2026-03-31", false);
	annual_act(4, "2026-04-01", "triage", NOT_CHILD);
	annual_act(4, "2026-04-01", "accept", NULL);
	annual_act(4, "2026-04-01", "acknowledge", NULL);
	annual_answer(4, "2026-04-14", "not_upheld");

	store_report_query q = {.org_code = "example", .from = d("2026-04-01"),
				.to = d("2027-03-31"), .kind = REPORT_KIND_ANNUAL};
	test_seed_ok(store_report_build(annual_st, &q, &annual_arena, &annual, &err), &err,
		     "annual report");
}

/* The row (stage, procedure) of an annual table, asserting it exists. */
static size_t annual_row(const char *id, const char *first, const char *second)
{
	return row_of(table(&annual, id), first, second);
}

#define CODE_G "Complaint Handling Code"
#define STAT_G "Statutory (children's)"
#define OTHER_G "Other non-statutory"

/* Each case's group: the Code by its own copy's based_on, the corporate
 * procedure before 2026-04-01 apart (issue 19 items 2 and 3). */
static void test_annual_received_at_each_stage_issue19_item3(void **state)
{
	(void)state;
	annual_ready();
	assert_int_equal(annual.kind, REPORT_KIND_ANNUAL);
	assert_string_equal(annual.title,
			    "Annual complaints performance and service improvement report");
	const report_table *t = table(&annual, "annual_received");
	size_t s1 = row_of(t, "Stage 1", NULL), s2 = row_of(t, "Stage 2", NULL);
	/* E was received on 31 March, before the period */
	assert_int_equal(n_at(t, s1, 1), 3);
	assert_int_equal(n_at(t, s1, 2), 1);
	assert_int_equal(n_at(t, s1, 3), 0);
	assert_int_equal(n_at(t, s1, 4), 4);
	assert_int_equal(n_at(t, s2, 1), 1);
	assert_int_equal(n_at(t, s2, 4), 1);
	assert_int_equal(t->nrows, 2); /* no Stage 3 ran */
}

/* LGSCO Code §6.2 (acknowledged within 5 working days), §6.3-§6.5 (answered
 * within 10 of the acknowledgement), LGSCO Code §6, Stage 2 (5 and 20); the
 * statutory and corporate cases by their own 2 and 10 (004). */
static void test_annual_timescales_lgsco_code_6_2_to_6_5(void **state)
{
	(void)state;
	annual_ready();
	const report_table *t = table(&annual, "annual_timescales");
	size_t r = annual_row("annual_timescales", "Stage 1", CODE_G);
	/* A and C in time, B acknowledged on the 7th working day */
	assert_int_equal(n_at(t, r, 2), 3);
	assert_int_equal(n_at(t, r, 3), 2);
	assert_int_equal(report_permille(n_at(t, r, 4), report_cell_at(t, r, 4)->d), 667);
	/* A in time across Easter (20 April, not 16), C in time after its
	 * extension, B late (28 April, due 27) */
	assert_int_equal(n_at(t, r, 5), 3);
	assert_int_equal(n_at(t, r, 6), 2);
	assert_int_equal(n_at(t, r, 8), 1);
	assert_int_equal(n_at(t, r, 9), 1);
	char buf[32];
	assert_string_equal(report_cell_format(report_cell_at(t, r, 7), false, buf), "66.7%");
	r = annual_row("annual_timescales", "Stage 2", CODE_G);
	assert_int_equal(n_at(t, r, 2), 1);
	assert_int_equal(n_at(t, r, 3), 1);
	assert_int_equal(n_at(t, r, 5), 1);
	assert_int_equal(n_at(t, r, 6), 1);
	assert_int_equal(n_at(t, r, 8), 0);
	r = annual_row("annual_timescales", "Stage 1", STAT_G);
	assert_int_equal(n_at(t, r, 2), 1);
	assert_int_equal(n_at(t, r, 3), 1);
	assert_int_equal(n_at(t, r, 5), 1);
	assert_int_equal(n_at(t, r, 6), 1);
	r = annual_row("annual_timescales", "Stage 1", OTHER_G);
	assert_int_equal(n_at(t, r, 2), 1);
	assert_int_equal(n_at(t, r, 3), 1);
	assert_int_equal(n_at(t, r, 6), 1);
	assert_int_equal(t->nrows, 4);
}

/* LGSCO Code §6.4: extensions and their reasons. */
static void test_annual_extensions_lgsco_code_6_4(void **state)
{
	(void)state;
	annual_ready();
	const report_table *t = table(&annual, "annual_extensions");
	assert_int_equal(t->nrows, 1);
	size_t r = annual_row("annual_extensions", "Stage 1", CODE_G);
	assert_string_equal(report_cell_at(t, r, 2)->text, "A reason in words (see the list)");
	assert_int_equal(n_at(t, r, 3), 1);
	assert_int_equal(n_at(t, r, 4), 0);
	const report_table *list = table(&annual, "annual_extension_list");
	assert_true(list->personal);
	assert_int_equal(list->nrows, 1);
	assert_string_equal(report_cell_at(list, 0, 0)->text, annual_ref[2]);
	assert_string_equal(report_cell_at(list, 0, 3)->text, "2026-05-15");
	assert_string_equal(report_cell_at(list, 0, 4)->text, "Records held by a contractor");
}

/* issue 19 item 3: outcomes (upheld, partly upheld, not upheld). */
static void test_annual_outcomes_issue19_item3(void **state)
{
	(void)state;
	annual_ready();
	const report_table *t = table(&annual, "annual_outcomes");
	size_t r = annual_row("annual_outcomes", "Stage 1", CODE_G);
	assert_int_equal(n_at(t, r, 2), 1);
	assert_int_equal(n_at(t, r, 3), 1);
	assert_int_equal(n_at(t, r, 4), 1);
	r = annual_row("annual_outcomes", "Stage 2", CODE_G);
	assert_int_equal(n_at(t, r, 2), 0);
	assert_int_equal(n_at(t, r, 4), 1);
	r = annual_row("annual_outcomes", "Stage 1", STAT_G);
	assert_int_equal(n_at(t, r, 2), 1);
	r = annual_row("annual_outcomes", "Stage 1", OTHER_G);
	assert_int_equal(n_at(t, r, 4), 1);
}

/* 001 Appendix B; issue 19 item 3: remedies approved and their total. */
static void test_annual_remedies_total_issue19_item3(void **state)
{
	(void)state;
	annual_ready();
	const report_table *t = table(&annual, "annual_remedies");
	/* the apology was never approved: only the payment counts */
	assert_int_equal(t->nrows, 2);
	size_t r = annual_row("annual_remedies", CODE_G, "Financial");
	assert_int_equal(n_at(t, r, 2), 1);
	assert_int_equal(n_at(t, r, 3), 1);
	r = annual_row("annual_remedies", CODE_G, "All remedies");
	assert_int_equal(n_at(t, r, 4), 15000);
	char buf[32];
	assert_string_equal(report_cell_format(report_cell_at(t, r, 4), false, buf), "150.00");
}

/* issue 19 item 3: service improvements from learning, and the Ombudsman. */
static void test_annual_learning_and_ombudsman_issue19_item3(void **state)
{
	(void)state;
	annual_ready();
	const report_table *t = table(&annual, "annual_learning");
	size_t r = annual_row("annual_learning", "Stage 1", CODE_G);
	assert_int_equal(n_at(t, r, 2), 3);
	assert_int_equal(n_at(t, r, 3), 3);
	assert_int_equal(n_at(t, r, 4), 3);
	assert_int_equal(n_at(t, r, 5), 0);
	assert_int_equal(table(&annual, "annual_improvements")->nrows, 6);
	t = table(&annual, "annual_ombudsman");
	assert_int_equal(t->nrows, 2);
	assert_int_equal(n_at(t, annual_row("annual_ombudsman", CODE_G, "Enquiries received"), 2), 1);
	assert_int_equal(n_at(t, annual_row("annual_ombudsman", CODE_G,
					    "Decided: Fault remedy recommended"), 2), 1);
	/* the records hold no Ombudsman remedy or its due date: said, not invented */
	bool said = false;
	for (size_t i = 0; i < annual.nnotes; i++)
		said |= strstr(annual.notes[i], "cannot show compliance") != NULL;
	assert_true(said);
}

/* The annual report is of the whole organisation (its rendering is
 * checked through the command line, tests/cli/test_report_cli.sh). */
static void test_annual_refusals_and_rendering_issue19_item3(void **state)
{
	(void)state;
	annual_ready();
	fh_report r;
	fh_error err = {0};
	store_report_query q = {.org_code = "example", .team = "Assessment",
				.from = d("2026-04-01"), .to = d("2027-03-31"),
				.kind = REPORT_KIND_ANNUAL};
	assert_int_equal(store_report_build(annual_st, &q, &annual_arena, &r, &err), FH_EINVAL);
	assert_string_equal(err.field, "team");
	report_kind k;
	assert_true(report_kind_parse("annual", &k));
	assert_int_equal(k, REPORT_KIND_ANNUAL);
	assert_false(report_kind_parse("yearly", &k));

}


/* --- the self-assessment against the Code (issue 19 item 4) ----------------- */

/* The text of the self-assessment table's row of requirement id, column col. */
static const char *assessed(const fh_report *r, const char *id, size_t col)
{
	const report_table *t = table(r, "annual_self_assessment");
	return report_cell_at(t, row_of(t, id, NULL), col)->text;
}

/*
 * The evidence the records give, from the annual report's own counts over
 * the five known complaints: A, B and C are the Code's; acknowledged in
 * time 2 of 3 (B late, LGSCO Code §6.2), answered in time 2 of 3 (§6.3),
 * after an extension 1 of 3 (C, §6.4), Stage 2 acknowledged and answered
 * in time 1 of 1 (B), by the reviewing officer who had no part in Stage 1
 * (LGSCO Code §6, Stage 2), and every Code response (A, B twice, C) says
 * what was learnt.
 */
static void test_self_assessment_evidence_from_records_issue19_item4(void **state)
{
	(void)state;
	annual_ready();
	assert_string_equal(table(&annual, "annual_self_assessment")->title,
			    "Self-assessment against the Code, 2026-27");
	assert_string_equal(assessed(&annual, "§6.2", 3),
			    "Stage 1 acknowledged within 5 working days: 2 of 3, 66.7%");
	assert_string_equal(assessed(&annual, "§6.3", 3),
			    "Stage 1 answered in time (10 working days, or the extended date): "
			    "2 of 3, 66.7%");
	assert_string_equal(assessed(&annual, "§6.4", 3),
			    "Stage 1 responses made after an extension: 1 of 3, 33.3%");
	assert_string_equal(assessed(&annual, "§6, Stage 2 (acknowledgement)", 3),
			    "Stage 2 acknowledged within 5 working days: 1 of 1, 100.0%");
	assert_string_equal(assessed(&annual, "§6, Stage 2 (who considers it)", 3),
			    "Stage 2 responses by someone with no part in Stage 1: 1 of 1, 100.0%");
	assert_string_equal(assessed(&annual, "§6, Stage 2 (time)", 3),
			    "Stage 2 answered in time (20 working days, or the extended date): "
			    "1 of 1, 100.0%");
	assert_string_equal(assessed(&annual, "§9.1", 3),
			    "Responses that record what was learnt: 4 of 4, 100.0%");
	assert_string_equal(assessed(&annual, "§1.4", 3), "");
	assert_string_equal(assessed(&annual, "§6.2", 1), "Stage 1: A complaint is acknowledged and "
			    "logged within five working days of its receipt.");
	assert_string_equal(assessed(&annual, "§1.4", 2), "Not answered");

	/* the same figures for the staff page and the API: one count */
	store_assessment a;
	fh_error err = {0};
	test_seed_ok(store_assessment_get(annual_st, "example", 2026, &annual_arena, &a, &err),
		     &err, "assessment: get");
	assert_int_equal(a.figures[FIGURE_STAGE1_ACKNOWLEDGED_IN_TIME].num, 2);
	assert_int_equal(a.figures[FIGURE_STAGE1_ACKNOWLEDGED_IN_TIME].den, 3);
	assert_int_equal(a.figures[FIGURE_STAGE2_SEPARATE_HANDLER].num, 1);
	assert_int_equal(a.answered, 0);
	assert_false(a.previous);
	bool seen = false;
	for (size_t i = 0; i < a.n; i++)
		if (!strcmp(a.items[i].req->id, "6.2")) {
			assert_string_equal(a.items[i].computed, "Stage 1 acknowledged within 5 "
					    "working days: 2 of 3, 66.7%");
			seen = true;
		}
	assert_true(seen);
	store_assessment_release(&a);
}

/*
 * issue 19 item 4: each year's answers are kept, a refused save writes
 * nothing, and a new year starts from last year's, each marked carried over
 * until saved again; the annual report prints the answers.
 */
static void test_self_assessment_kept_and_carried_over_issue19_item4(void **state)
{
	(void)state;
	annual_ready();
	fh_error err = {0};
	int64_t before = 0, after = 0;
	test_seed_ok(store_audit_head(annual_st, &before, &err), &err, "audit head");
	/* the second answer lacks its action: neither is saved */
	assessment_answer two[] = {
		{.requirement = "1.4", .complies = "yes", .evidence = "The policy, section 2"},
		{.requirement = "6.2", .complies = "partly", .owner = "Complaints manager"},
	};
	assert_int_equal(store_assessment_save(annual_st, "example", 2026, two, 2, true,
					       "manager@example.test", &err), FH_EINVAL);
	assert_string_equal(err.field, "answers[1].action");
	test_seed_ok(store_audit_head(annual_st, &after, &err), &err, "audit head");
	assert_int_equal(after, before);
	store_assessment a;
	test_seed_ok(store_assessment_get(annual_st, "example", 2026, &annual_arena, &a, &err),
		     &err, "assessment: get");
	assert_int_equal(a.answered, 0);
	store_assessment_release(&a);

	two[1].action = "Acknowledge on the day of receipt";
	two[1].due_on = "2026-09-30";
	test_seed_ok(store_assessment_save(annual_st, "example", 2026, two, 2, true,
					   "manager@example.test", &err), &err, "assessment: save");
	test_seed_ok(store_audit_head(annual_st, &after, &err), &err, "audit head");
	assert_int_equal(after, before + 1); /* one save, one event */

	/* the annual report prints them */
	fh_report r;
	store_report_query q = {.org_code = "example", .from = d("2026-04-01"),
				.to = d("2027-03-31"), .kind = REPORT_KIND_ANNUAL};
	test_seed_ok(store_report_build(annual_st, &q, &annual_arena, &r, &err), &err, "report");
	assert_string_equal(assessed(&r, "§1.4", 2), "Yes");
	assert_string_equal(assessed(&r, "§1.4", 3), "The policy, section 2");
	assert_string_equal(assessed(&r, "§6.2", 2), "Partly");
	assert_string_equal(assessed(&r, "§6.2", 5), "Acknowledge on the day of receipt "
			    "(Complaints manager, by 2026-09-30)");

	/* 2027 starts from 2026: copied, carried over */
	size_t copied = 0;
	test_seed_ok(store_assessment_start(annual_st, "example", 2027, "manager@example.test",
					    &copied, &err), &err, "assessment: start");
	assert_int_equal(copied, 2);
	test_seed_ok(store_assessment_get(annual_st, "example", 2027, &annual_arena, &a, &err),
		     &err, "assessment: get 2027");
	assert_int_equal(a.answered, 2);
	assert_int_equal(a.carried_over, 2);
	assert_true(a.previous);
	for (size_t i = 0; i < a.n; i++) {
		const assessment_answer *x = &a.items[i].answer;
		if (!strcmp(a.items[i].req->id, "6.2")) {
			assert_string_equal(x->complies, "partly");
			assert_string_equal(x->action, "Acknowledge on the day of receipt");
			assert_string_equal(x->due_on, "2026-09-30");
			assert_true(x->carried_over);
		}
	}
	store_assessment_release(&a);
	q.from = d("2027-04-01");
	q.to = d("2028-03-31");
	test_seed_ok(store_report_build(annual_st, &q, &annual_arena, &r, &err), &err, "report");
	assert_string_equal(assessed(&r, "§6.2", 2),
			    "Partly (carried over from 2026-27, not yet confirmed)");
	/* started once; a year with nothing before it has nothing to start from */
	assert_int_equal(store_assessment_start(annual_st, "example", 2027, "manager@example.test",
						&copied, &err), FH_ECONFLICT);
	assert_string_equal(err.field, "year");
	assert_int_equal(store_assessment_start(annual_st, "example", 2030, "manager@example.test",
						&copied, &err), FH_ENOTFOUND);
	assert_string_equal(err.field, "year");
	/* saving it again confirms it */
	assessment_answer yes = {.requirement = "6.2", .complies = "yes"};
	test_seed_ok(store_assessment_save(annual_st, "example", 2027, &yes, 1, false,
					   "manager@example.test", &err), &err, "assessment: confirm");
	test_seed_ok(store_assessment_get(annual_st, "example", 2027, &annual_arena, &a, &err),
		     &err, "assessment: get 2027");
	assert_int_equal(a.carried_over, 1);
	for (size_t i = 0; i < a.n; i++)
		if (!strcmp(a.items[i].req->id, "6.2")) {
			assert_false(a.items[i].answer.carried_over);
			assert_string_equal(a.items[i].answer.action, ""); /* yes keeps no action */
		}
	store_assessment_release(&a);
	/* 2026's answers are kept as they were */
	test_seed_ok(store_assessment_get(annual_st, "example", 2026, &annual_arena, &a, &err),
		     &err, "assessment: get 2026");
	assert_int_equal(a.answered, 2);
	assert_int_equal(a.carried_over, 0);
	store_assessment_release(&a);
	/* an unknown organisation, a year out of range */
	assert_int_equal(store_assessment_get(annual_st, "nowhere", 2026, &annual_arena, &a, &err),
			 FH_ENOTFOUND);
	assert_int_equal(store_assessment_save(annual_st, "example", 1999, &yes, 1, false,
					       "manager@example.test", &err), FH_EINVAL);
	assert_string_equal(err.field, "year");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_received_by_kind),
		cmocka_unit_test(test_stage_requests),
		cmocka_unit_test(test_responses_within_deadline),
		cmocka_unit_test(test_late_working_days),
		cmocka_unit_test(test_findings_per_stage),
		cmocka_unit_test(test_complaints_by_team_and_service),
		cmocka_unit_test(test_monthly_trend),
		cmocka_unit_test(test_routes_subjects_compliments),
		cmocka_unit_test(test_service_scope_numbers),
		cmocka_unit_test(test_extensions_and_learning),
		cmocka_unit_test(test_escalation),
		cmocka_unit_test(test_ombudsman),
		cmocka_unit_test(test_equality_always_suppressed),
		cmocka_unit_test(test_scope_and_refusals),
		cmocka_unit_test(test_suppression),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_secondary_suppression),
		cmocka_unit_test(test_secondary_suppression_demo),
		cmocka_unit_test(test_presets),
		cmocka_unit_test(test_projection_rebuild),
		cmocka_unit_test(test_escaping_writers),
		cmocka_unit_test(test_csv_injection_tab_cr_owasp),
		cmocka_unit_test(test_anonymised_labels_closed_lists_issue16_item12),
		cmocka_unit_test(test_remedies_and_advocacy),
		cmocka_unit_test(test_behaviour_freezing_joint),
		cmocka_unit_test(test_annual_received_at_each_stage_issue19_item3),
		cmocka_unit_test(test_annual_timescales_lgsco_code_6_2_to_6_5),
		cmocka_unit_test(test_annual_extensions_lgsco_code_6_4),
		cmocka_unit_test(test_annual_outcomes_issue19_item3),
		cmocka_unit_test(test_annual_remedies_total_issue19_item3),
		cmocka_unit_test(test_annual_learning_and_ombudsman_issue19_item3),
		cmocka_unit_test(test_annual_refusals_and_rendering_issue19_item3),
		cmocka_unit_test(test_self_assessment_evidence_from_records_issue19_item4),
		cmocka_unit_test(test_self_assessment_kept_and_carried_over_issue19_item4),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
