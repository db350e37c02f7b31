/*
 * Unit tests for store_workspace: the dashboards' counts by clock and by
 * stage, their filters, paging, and need to know (DOMAIN §8) applied as the
 * case list applies it.
 *
 * "Today" is Monday 2026-11-23.  Every case gets the acknowledgement clock
 * of its procedure (2 working days from receipt; 000, 004), so its due date
 * follows from the date it was received:
 *   overdue  received Mon 2026-11-02, due Wed 2026-11-04
 *   today    received Thu 2026-11-19, due Mon 2026-11-23
 *   week     received Mon 2026-11-23, due Wed 2026-11-25 (team Fostering)
 *   assigned received Fri 2026-11-20, due Tue 2026-11-24 (the investigator's)
 *   bcp      received Mon 2026-11-02: another organisation's, overdue
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "store_auth.h"
#include "date.h"
#include "store_lifecycle.h"
#include "store_workspace.h"
#include "test_helpers.h"

typedef struct fixture {
	char *path;
	fh_store *st;
	int64_t bct, bcp;
	int64_t complaints, investigator, outsider;
	char overdue[FH_REFERENCE_MAX], today[FH_REFERENCE_MAX], week[FH_REFERENCE_MAX];
	char assigned[FH_REFERENCE_MAX], other[FH_REFERENCE_MAX];
	fh_arena arena;
} fixture;

static int64_t add_user(fh_store *st, const char *email, const char *org, const char *role)
{
	fh_error err = {0};
	fh_user u = {.email = email, .display_name = email, .password_hash = "x"};
	int64_t id = 0;
	assert_int_equal(store_user_create(st, &u, "test", &id, &err), FH_OK);
	assert_int_equal(store_user_grant(st, email, org, role, NULL, "test", &err), FH_OK);
	return id;
}

static void add_case(fh_store *st, const char *org, const char *received, const char *team,
		     char ref[FH_REFERENCE_MAX])
{
	fh_error err = {0};
	fh_party p = {.role = "complainant", .relationship = "self",
		      .person = {.given_name = "Amira", .family_name = "Quillfeather"}};
	fh_case_input in = {.org_code = org, .kind = "complaint", .channel = "phone",
			    .received_on = received, .team = team, .summary = "Contact cancelled",
			    .n_parties = 1, .parties = &p};
	assert_int_equal(store_case_create(st, &in, "test", ref, &err), FH_OK);
}

__attribute__((format(printf, 2, 3)))
static void sql(fixture *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char text[1024];
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	assert_int_equal(test_raw_exec(f->path, text), 0);
}

/* The counts the workspace migration keeps equal a count of the cases themselves. */
static void assert_kept_counts_true(fixture *f)
{
	assert_int_equal(test_raw_int(f->path,
		"SELECT count(*) FROM (SELECT org_id, coalesce(next_due, '') AS due, stage, count(*) AS n"
		" FROM cases WHERE state IN ('received', 'open', 'suspended') GROUP BY 1, 2, 3) x"
		" WHERE NOT EXISTS (SELECT 1 FROM case_open_counts k WHERE k.org_id = x.org_id"
		" AND k.due = x.due AND k.stage = x.stage AND k.n = x.n)"), 0);
	assert_int_equal(test_raw_int(f->path, "SELECT coalesce(sum(n), 0) FROM case_open_counts"),
			 test_raw_int(f->path, "SELECT count(*) FROM cases"
				      " WHERE state IN ('received', 'open', 'suspended')"));
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	fh_error err = {0};
	f->st = test_store_open(&f->path);
	test_seed_orgs(f->st, &f->bct, &f->bcp);
	int installed = 0;
	assert_int_equal(store_procedure_install_dir(f->st, FH_PROCEDURES_DIR, "test", &installed,
						     &err), FH_OK);
	fh_team fostering = {.name = "Fostering", .level = "service"};
	assert_int_equal(store_team_create(f->st, "bct", &fostering, "test", NULL, &err), FH_OK);
	f->complaints = add_user(f->st, "complaints@bct.test", "bct", "complaints_team");
	f->investigator = add_user(f->st, "io@bct.test", "bct", "investigating_officer");
	f->outsider = add_user(f->st, "complaints@bcp.test", "bcp", "complaints_team");
	add_case(f->st, "bct", "2026-11-02", NULL, f->overdue);
	add_case(f->st, "bct", "2026-11-19", NULL, f->today);
	add_case(f->st, "bct", "2026-11-23", "Fostering", f->week);
	add_case(f->st, "bct", "2026-11-20", NULL, f->assigned);
	add_case(f->st, "bcp", "2026-11-02", NULL, f->other);
	sql(f, "INSERT INTO case_assignments (case_id, stage, user_id, user_email, role, assigned_on)"
	       " SELECT id, 1, (SELECT id FROM users WHERE email = 'io@bct.test'), 'io@bct.test',"
	       " 'investigating_officer', '2026-11-20' FROM cases WHERE reference = '%s'",
	    f->assigned);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	arena_free(&f->arena);
	test_store_close(f->st, f->path);
	free(f);
	return 0;
}

/* The filter of a user who sees bct whole (complaints team) or by assignment. */
static const int64_t *one(int64_t id)
{
	static int64_t ids[8];
	static size_t next;
	next = (next + 1) % 8;
	ids[next] = id;
	return &ids[next];
}

static store_ws_filter org_wide(const fixture *f, int64_t user, int64_t org)
{
	(void)f;
	return (store_ws_filter){.user_id = user, .org_wide = one(org), .n_org_wide = 1,
				 .stage = -1, .today = "2026-11-23", .week_end = "2026-11-30"};
}

static store_ws_filter assigned_only(const fixture *f, int64_t user, int64_t org)
{
	(void)f;
	return (store_ws_filter){.user_id = user, .assigned_only = one(org),
				 .n_assigned_only = 1, .stage = -1, .today = "2026-11-23",
				 .week_end = "2026-11-30"};
}

static void test_counts_by_clock_and_stage(void **state)
{
	fixture *f = *state;
	store_ws_filter q = org_wide(f, f->complaints, f->bct);
	store_ws_counts c;
	fh_error err = {0};
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 4); /* not bcp's */
	assert_int_equal(c.overdue, 1);
	assert_int_equal(c.due_today, 1);
	assert_int_equal(c.due_week, 2);
	assert_int_equal(c.by_stage[0], 4);
	assert_int_equal(c.by_stage[1] + c.by_stage[2] + c.by_stage[3], 0);
}

/* DOMAIN §8: an officer counts and lists only the cases assigned to them. */
static void test_need_to_know(void **state)
{
	fixture *f = *state;
	store_ws_filter q = assigned_only(f, f->investigator, f->bct);
	store_ws_counts c;
	fh_error err = {0};
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 1);
	assert_int_equal(c.due_week, 1);
	assert_int_equal(c.overdue, 0);
	store_ws_row *rows;
	size_t n;
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 50, 0, &f->arena, &rows, &n, &err), FH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].reference, f->assigned);
	assert_string_equal(rows[0].officers, "io@bct.test");

	/* Another tenant's complaints team sees only its own case. */
	q = org_wide(f, f->outsider, f->bcp);
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 50, 0, &f->arena, &rows, &n, &err), FH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].reference, f->other);

	/* A user with no organisation sees nothing at all. */
	q = (store_ws_filter){.user_id = f->investigator, .stage = -1, .today = "2026-11-23",
			      .week_end = "2026-11-30"};
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 0);
}

static void test_list_soonest_first_and_buckets(void **state)
{
	fixture *f = *state;
	store_ws_filter q = org_wide(f, f->complaints, f->bct);
	store_ws_row *rows;
	size_t n;
	fh_error err = {0};
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 50, 0, &f->arena, &rows, &n, &err), FH_OK);
	assert_int_equal(n, 4);
	assert_string_equal(rows[0].reference, f->overdue);
	assert_string_equal(rows[0].due, "2026-11-04"); /* 2 working days after Mon 2 Nov */
	assert_string_equal(rows[0].clock, "acknowledge");
	assert_string_equal(rows[1].reference, f->today);
	assert_string_equal(rows[1].due, "2026-11-23");
	assert_string_equal(rows[2].reference, f->assigned);
	assert_string_equal(rows[2].due, "2026-11-24");
	assert_string_equal(rows[3].reference, f->week);
	assert_string_equal(rows[3].due, "2026-11-25");
	assert_string_equal(rows[3].team, "Fostering");
	assert_string_equal(rows[3].org_code, "bct");

	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_OVERDUE, 50, 0, &f->arena, &rows, &n, &err), FH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].reference, f->overdue);
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_DUE_TODAY, 50, 0, &f->arena, &rows, &n, &err), FH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].reference, f->today);
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_DUE_WEEK, 50, 0, &f->arena, &rows, &n, &err), FH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].reference, f->assigned);
	assert_string_equal(rows[1].reference, f->week);
}

static void test_filters(void **state)
{
	fixture *f = *state;
	store_ws_filter q = org_wide(f, f->complaints, f->bct);
	store_ws_counts c;
	fh_error err = {0};
	q.team = "Fostering";
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 1);
	assert_int_equal(c.due_week, 1);
	q = org_wide(f, f->complaints, f->bct);
	q.officer = "IO@bct.test"; /* emails match whatever their case */
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 1);
	q = org_wide(f, f->complaints, f->bct);
	q.stage = 1;
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 0);
	q.stage = 0;
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 4);
	q = org_wide(f, f->complaints, f->bct);
	q.procedure = "bct-statutory"; /* none is triaged yet */
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 0);
	q = org_wide(f, f->complaints, f->bct);
	q.org_code = "bcp"; /* an organisation the user does not see whole: nothing more */
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 0);
	/* My work: the complaints officer is assigned to nothing. */
	q = org_wide(f, f->complaints, f->bct);
	q.mine = true;
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 0);
	q = assigned_only(f, f->investigator, f->bct);
	q.mine = true;
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 1);
}

/* A closed case is off the dashboard; a stopped clock (a suspended case,
 * 001 §9.3) never makes a case overdue. */
static void test_closed_and_stopped(void **state)
{
	fixture *f = *state;
	sql(f, "UPDATE cases SET state = 'closed' WHERE reference = '%s'", f->today);
	assert_kept_counts_true(f);
	sql(f, "UPDATE case_deadlines SET stopped = 1 WHERE case_id ="
	       " (SELECT id FROM cases WHERE reference = '%s')", f->overdue);
	store_ws_filter q = org_wide(f, f->complaints, f->bct);
	store_ws_counts c;
	fh_error err = {0};
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 3);
	assert_int_equal(c.overdue, 0);
	assert_int_equal(c.due_today, 0);
	store_ws_row *rows;
	size_t n;
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 50, 0, &f->arena, &rows, &n, &err), FH_OK);
	assert_int_equal(n, 3);
	/* The one with no running clock comes last, with no date. */
	assert_string_equal(rows[2].reference, f->overdue);
	assert_string_equal(rows[2].due, "");
}

/* Roles in two organisations: both counted, one list merged by due date. */
static void test_two_organisations(void **state)
{
	fixture *f = *state;
	int64_t both[2] = {f->bct, f->bcp};
	store_ws_filter q = org_wide(f, f->complaints, f->bct);
	q.org_wide = both;
	q.n_org_wide = 2;
	store_ws_counts c;
	fh_error err = {0};
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 5);
	assert_int_equal(c.overdue, 2);
	store_ws_row *rows;
	size_t n;
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 3, 0, &f->arena, &rows, &n, &err),
			 FH_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].reference, f->overdue); /* same due date: recorded first */
	assert_string_equal(rows[1].reference, f->other);
	assert_string_equal(rows[1].org_code, "bcp");
	assert_string_equal(rows[2].reference, f->today);
	q.org_code = "bcp";
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 1);
	q.org_code = "nowhere";
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 0);
}

/* A case moving through its procedure moves in the counts (001 B Stage 1). */
static void test_counts_follow_the_lifecycle(void **state)
{
	fixture *f = *state;
	static const fh_actor team = {.name = "test", .all_roles = true};
	fh_error err = {0};
	json_t *result = NULL;
	assert_kept_counts_true(f);
	assert_int_equal(store_case_act(f->st, f->week, "acknowledge", NULL, &team,
					date_from_ymd(2026, 11, 23), &result, &err), FH_OK);
	json_decref(result);
	assert_int_equal(store_case_act(f->st, f->week, "triage", NULL, &team,
					date_from_ymd(2026, 11, 23), &result, &err), FH_OK);
	json_decref(result);
	assert_int_equal(store_case_act(f->st, f->week, "accept", NULL, &team,
					date_from_ymd(2026, 11, 23), &result, &err), FH_OK);
	json_decref(result);
	assert_kept_counts_true(f);
	store_ws_filter q = org_wide(f, f->complaints, f->bct);
	store_ws_counts c;
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.open, 4);
	assert_int_equal(c.by_stage[1], 1);
	assert_int_equal(c.by_stage[0], 3);
	/* The Stage 1 response is due 10 working days after acceptance: not this week. */
	assert_int_equal(c.due_week, 1);
	/* The same counts, counted case by case (a team filter takes that way). */
	q.team = "Fostering";
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_OK);
	assert_int_equal(c.by_stage[1], 1);
	assert_int_equal(c.open, 1);
	assert_int_equal(c.due_week, 0);
	sql(f, "UPDATE cases SET state = 'closed' WHERE reference = '%s'", f->week);
	assert_kept_counts_true(f);
}

static void test_paging_and_bad_input(void **state)
{
	fixture *f = *state;
	store_ws_filter q = org_wide(f, f->complaints, f->bct);
	store_ws_row *rows;
	size_t n;
	fh_error err = {0};
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 2, 2, &f->arena, &rows, &n, &err), FH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].reference, f->assigned);
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 2, 10, &f->arena, &rows, &n, &err), FH_OK);
	assert_int_equal(n, 0);
	/* A page that runs from the cases with a clock into those without. */
	sql(f, "UPDATE case_deadlines SET stopped = 1 WHERE case_id ="
	       " (SELECT id FROM cases WHERE reference = '%s')", f->today);
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 2, 2, &f->arena, &rows, &n, &err),
			 FH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].reference, f->week);
	assert_string_equal(rows[1].reference, f->today);
	assert_string_equal(rows[1].due, "");
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 2, 3, &f->arena, &rows, &n, &err),
			 FH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].reference, f->today);
	assert_int_equal(store_ws_list(f->st, &q, STORE_WS_ANY, 501, 0, &f->arena, &rows, &n, &err), FH_EINVAL);
	assert_string_equal(err.field, "limit");
	q.today = "2026-13-01";
	store_ws_counts c;
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_EINVAL);
	assert_string_equal(err.field, "today");
	q = org_wide(f, f->complaints, f->bct);
	q.week_end = "2026-11-22";
	assert_int_equal(store_ws_count(f->st, &q, &c, &err), FH_EINVAL);
	assert_string_equal(err.field, "week_end");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts_by_clock_and_stage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_need_to_know, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_soonest_first_and_buckets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed_and_stopped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_organisations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_follow_the_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paging_and_bad_input, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
