/*
 * Unit tests for unreasonably persistent behaviour (001 §19, Appendix A): warnings,
 * restrictions, their reviews and appeals, and the decision a restriction asks for on a
 * new case, in core and store. Each test names the rule it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "behaviour.h"
#include "store_behaviour.h"
#include "store_event.h"
#include "store_internal.h"
#include "test_helpers.h"

#define D(y, m, d) date_from_ymd(y, m, d)

typedef test_case_fixture fixture;

/* ---- core ------------------------------------------------------------------- */

static char *iso(fh_date d, char buf[DATE_ISO_LEN])
{
	return date_format(d, buf);
}

/* BCT's periods, as its file orgs/demo/bct.json carries them (001 Appendix A). */
static const behaviour_policy bct_behaviour = {.usual_months = 6, .review_months = 3,
					       .appeal_working_days = 10, .source = "001 Appendix A"};


/* Calendar months, the end of a short month clamped (the restriction's period is in months). */
static void test_behaviour_add_months(void **state)
{
	(void)state;
	char b[DATE_ISO_LEN];
	assert_string_equal(iso(behaviour_add_months(D(2026, 1, 31), 1), b), "2026-02-28");
	assert_string_equal(iso(behaviour_add_months(D(2026, 11, 15), 3), b), "2027-02-15");
	assert_string_equal(iso(behaviour_add_months(D(2027, 8, 31), 6), b), "2028-02-29");
}

/* 001 Appendix A review: one before the end of a restriction of up to six months. */
static void test_behaviour_reviews_short(void **state)
{
	(void)state;
	fh_date due[BEHAVIOUR_MAX_REVIEWS];
	char b[DATE_ISO_LEN];
	size_t n = behaviour_review_dates(&bct_behaviour, D(2026, 12, 1), D(2027, 3, 1), due, BEHAVIOUR_MAX_REVIEWS);
	assert_int_equal(n, 1);
	assert_string_equal(iso(due[0], b), "2027-02-28");
	n = behaviour_review_dates(&bct_behaviour, D(2026, 12, 1), D(2027, 6, 1), due, BEHAVIOUR_MAX_REVIEWS);
	assert_int_equal(n, 1);
	assert_string_equal(iso(due[0], b), "2027-05-31");
}

/* 001 Appendix A: longer than six months, reviewed every three months, and before the end. */
static void test_behaviour_reviews_long(void **state)
{
	(void)state;
	fh_date due[BEHAVIOUR_MAX_REVIEWS];
	char b[DATE_ISO_LEN];
	size_t n = behaviour_review_dates(&bct_behaviour, D(2026, 12, 1), D(2027, 12, 1), due, BEHAVIOUR_MAX_REVIEWS);
	assert_int_equal(n, 4);
	assert_string_equal(iso(due[0], b), "2027-03-01");
	assert_string_equal(iso(due[1], b), "2027-06-01");
	assert_string_equal(iso(due[2], b), "2027-09-01");
	assert_string_equal(iso(due[3], b), "2027-11-30");
	n = behaviour_review_dates(&bct_behaviour, D(2026, 12, 1), D(2027, 12, 1), due, 2);
	assert_int_equal(n, 2);
}

/* 001 Appendix A Level 1: a warning needs its evidence and the change asked for. */
static void test_behaviour_warning(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	assert_int_equal(behaviour_check_warning("", "Stop", today, today, &err), FH_ERULE);
	assert_string_equal(err.field, "evidence");
	assert_string_equal(err.source, "001 Appendix A Level 1");
	assert_int_equal(behaviour_check_warning("40 calls in a week", "", today, today, &err), FH_ERULE);
	assert_int_equal(behaviour_check_warning("40 calls", "One call a week", today + 1, today, &err),
			 FH_EINVAL);
	assert_int_equal(behaviour_check_warning("40 calls", "One call a week", today, today, &err), FH_OK);
}

/* 001 Appendix A Level 2: kind from the list; after a warning unless threats or abuse; over six months exceptional. */
static void test_behaviour_restriction(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	behaviour_restriction r = {.kind = "named_contact_only", .detail = "Only Ms Patel",
				   .reason = "Daily calls to many officers", .starts_on = today,
				   .ends_on = behaviour_add_months(today, 3), .warned = true};
	assert_int_equal(behaviour_check_restriction(&r, &bct_behaviour, today, &err), FH_OK);
	behaviour_restriction bad = r;
	bad.kind = "ban_forever";
	assert_int_equal(behaviour_check_restriction(&bad, &bct_behaviour, today, &err), FH_EINVAL);
	assert_string_equal(err.field, "kind");
	bad = r;
	bad.warned = false;
	assert_int_equal(behaviour_check_restriction(&bad, &bct_behaviour, today, &err), FH_ERULE);
	assert_string_equal(err.field, "without_warning");
	assert_string_equal(err.source, "001 Appendix A Level 2");
	bad.without_warning = "threats_or_abuse";
	assert_int_equal(behaviour_check_restriction(&bad, &bct_behaviour, today, &err), FH_OK);
	bad = r;
	bad.ends_on = behaviour_add_months(today, 9);
	assert_int_equal(behaviour_check_restriction(&bad, &bct_behaviour, today, &err), FH_ERULE);
	assert_string_equal(err.field, "exceptional_reason");
	bad.exceptional_reason = "Threats continued through the first restriction";
	assert_int_equal(behaviour_check_restriction(&bad, &bct_behaviour, today, &err), FH_OK);
	bad = r;
	bad.ends_on = bad.starts_on;
	assert_int_equal(behaviour_check_restriction(&bad, &bct_behaviour, today, &err), FH_EINVAL);
	bad = r;
	bad.reason = "";
	assert_int_equal(behaviour_check_restriction(&bad, &bct_behaviour, today, &err), FH_ERULE);
	assert_string_equal(err.field, "reason");
}

/* 001 Appendix A Level 3: an appeal is answered within ten working days, explaining the Ombudsman. */
static void test_behaviour_appeal(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_calendar *cal = NULL;
	assert_int_equal(calendar_create_named("england-and-wales", NULL, &cal, &err), FH_OK);
	fh_date due;
	char b[DATE_ISO_LEN];
	/* 2026-12-18 (Friday): ten working days, past Christmas Day, Boxing Day
	 * (substitute Monday 28th) and New Year's Day */
	assert_int_equal(behaviour_appeal_due(cal, &bct_behaviour, D(2026, 12, 18), &due, &err), FH_OK);
	assert_string_equal(iso(due, b), "2027-01-06");
	calendar_free(cal);
	fh_date today = D(2026, 11, 23);
	assert_int_equal(behaviour_check_appeal(today, false, true, "x", today, &err), FH_ECONFLICT);
	assert_int_equal(behaviour_check_appeal(today, true, false, "x", today, &err), FH_ECONFLICT);
	assert_int_equal(behaviour_check_appeal(today, false, false, "", today, &err), FH_EINVAL);
	assert_int_equal(behaviour_check_appeal(today + 1, false, false, "Unfair", today, &err),
			 FH_EINVAL);
	assert_int_equal(behaviour_check_appeal(today, false, false, "Unfair", today, &err), FH_OK);
	assert_int_equal(behaviour_check_answer(true, false, today, today, "upheld", "Stays",
						false, today, &err), FH_ERULE);
	assert_string_equal(err.field, "ombudsman_explained");
	assert_string_equal(err.source, "001 Appendix A Level 3");
	assert_int_equal(behaviour_check_answer(false, false, today, today, "upheld", "Stays",
						true, today, &err), FH_ENOTFOUND);
	assert_int_equal(behaviour_check_answer(true, true, today, today, "upheld", "Stays",
						true, today, &err), FH_ECONFLICT);
	assert_int_equal(behaviour_check_answer(true, false, today, today - 1, "upheld", "Stays",
						true, today, &err), FH_EINVAL);
	assert_int_equal(behaviour_check_answer(true, false, today, today, "upheld", "Stays",
						true, today, &err), FH_OK);
}

/* 001 Appendix A: a review says its outcome; an extension past six months is exceptional. */
static void test_behaviour_review_rules(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_date s = D(2026, 6, 1), e = D(2026, 9, 1), today = D(2026, 8, 20);
	assert_int_equal(behaviour_check_review(&bct_behaviour, true, s, e, today, "continue", "n", 0, NULL, today,
						&err), FH_ECONFLICT);
	assert_int_equal(behaviour_check_review(&bct_behaviour, false, s, e, today, "forget", "n", 0, NULL, today,
						&err), FH_EINVAL);
	assert_int_equal(behaviour_check_review(&bct_behaviour, false, s, e, today, "continue", "", 0, NULL, today,
						&err), FH_EINVAL);
	assert_int_equal(behaviour_check_review(&bct_behaviour, false, s, e, today, "extend", "n", D(2026, 8, 1),
						NULL, today, &err), FH_EINVAL);
	assert_int_equal(behaviour_check_review(&bct_behaviour, false, s, e, today, "extend", "n", D(2027, 1, 1),
						NULL, today, &err), FH_ERULE);
	assert_int_equal(behaviour_check_review(&bct_behaviour, false, s, e, today, "extend", "n", D(2026, 11, 1),
						NULL, today, &err), FH_OK);
	assert_int_equal(behaviour_check_review(&bct_behaviour, false, s, e, today, "lift", "Calmer", 0, NULL, today,
						&err), FH_OK);
}

/* issue 14 item 14: the periods are the organisation's own (its file's
 * policy.behaviour), not 001 Appendix A's for everyone. */
static void test_behaviour_periods_are_the_organisations(void **state)
{
	(void)state;
	fh_error err = {0};
	const behaviour_policy own = {.usual_months = 4, .review_months = 2,
				      .appeal_working_days = 15, .source = "its own policy"};
	fh_date due[BEHAVIOUR_MAX_REVIEWS];
	char b[DATE_ISO_LEN];
	/* five months: past its four, so reviewed every two months and before the end */
	size_t n = behaviour_review_dates(&own, D(2026, 12, 1), D(2027, 5, 1), due,
					  BEHAVIOUR_MAX_REVIEWS);
	assert_int_equal(n, 3);
	assert_string_equal(iso(due[0], b), "2027-02-01");
	assert_string_equal(iso(due[1], b), "2027-04-01");
	assert_string_equal(iso(due[2], b), "2027-04-30");
	/* BCT's six months: the same restriction is usual, one review */
	assert_int_equal(behaviour_review_dates(&bct_behaviour, D(2026, 12, 1), D(2027, 5, 1), due,
						BEHAVIOUR_MAX_REVIEWS), 1);
	fh_date today = D(2026, 11, 23);
	behaviour_restriction r = {.kind = "named_contact_only", .detail = "Only Ms Patel",
				   .reason = "Daily calls", .starts_on = today,
				   .ends_on = behaviour_add_months(today, 5), .warned = true};
	assert_int_equal(behaviour_check_restriction(&r, &own, today, &err), FH_ERULE);
	assert_string_equal(err.field, "exceptional_reason");
	assert_string_equal(err.source, "its own policy");
	assert_non_null(strstr(err.message, "at most 4 months"));
	assert_int_equal(behaviour_check_restriction(&r, &bct_behaviour, today, &err), FH_OK);
	fh_calendar *cal = NULL;
	assert_int_equal(calendar_create_named("england-and-wales", NULL, &cal, &err), FH_OK);
	fh_date answer_by;
	assert_int_equal(behaviour_appeal_due(cal, &own, D(2026, 12, 18), &answer_by, &err), FH_OK);
	assert_string_equal(iso(answer_by, b), "2027-01-13"); /* 15 working days */

	/* An organisation whose file sets no periods borrows none: it may warn,
	 * but a restriction or an appeal waits until it sets them. */
	assert_int_equal(behaviour_check_restriction(&r, NULL, today, &err), FH_ERULE);
	assert_string_equal(err.field, "policy.behaviour");
	assert_non_null(strstr(err.message, "sets no persistent-behaviour periods"));
	assert_int_equal(behaviour_appeal_due(cal, NULL, D(2026, 12, 18), &answer_by, &err), FH_ERULE);
	assert_string_equal(err.field, "policy.behaviour");
	assert_int_equal(behaviour_check_warning("40 calls", "One call a week", today, today, &err),
			 FH_OK);
	calendar_free(cal);
}

/* 001 §11.1: a request names a change of placement or service and what is proposed. */
/* 001 Appendix A: reviews and appeals past their date are overdue; a
 * restriction's end is never a task, and one already past is not listed. */
static void test_behaviour_deadlines_as_of(void **state)
{
	(void)state;
	json_t *list = json_pack("[{ss ss} {ss ss} {ss ss} {ss ss} {ss ss}]",
				 "what", "review", "due_on", "2026-11-01",
				 "what", "appeal_answer", "due_on", "2026-11-23",
				 "what", "restriction_end", "due_on", "2026-11-22",
				 "what", "restriction_end", "due_on", "2027-02-23",
				 "what", "review", "due_on", "2027-02-22");
	behaviour_deadlines_as_of(list, "2026-11-23");
	assert_int_equal(json_array_size(list), 4);
	const char *want[][2] = {{"review", "true"}, {"appeal_answer", "false"},
				 {"restriction_end", "false"}, {"review", "false"}};
	for (size_t i = 0; i < 4; i++) {
		json_t *d = json_array_get(list, i);
		assert_string_equal(json_string_value(json_object_get(d, "what")), want[i][0]);
		assert_int_equal(json_is_true(json_object_get(d, "overdue")), !strcmp(want[i][1], "true"));
	}
	json_decref(list);
}

/* ---- store ------------------------------------------------------------------ */

/* bct's file carries 001 Appendix A's periods (orgs/demo/bct.json); the
 * fixture's bct is made without a file, so they are given here. */
static void give_bct_appendix_a(fixture *f)
{
	assert_int_equal(test_raw_exec(f->path,
		"UPDATE organisations SET settings = '{\"policy\":{\"behaviour\":"
		"{\"usual_months\":6,\"review_months\":3,\"appeal_working_days\":10,"
		"\"source\":\"001 Appendix A\"}}}' WHERE code = 'bct'"), 0);
}

/* issue 14 item 14: without periods in its file an organisation cannot
 * restrict; with them it can (the tests below). */
static void test_store_behaviour_needs_the_orgs_periods(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	behaviour_restriction r = {.kind = "witness_present", .detail = "Meetings with a witness",
				   .reason = "Threats to staff", .starts_on = today,
				   .ends_on = behaviour_add_months(today, 3),
				   .without_warning = "threats_or_abuse"};
	int64_t rid = 0;
	assert_int_equal(store_behaviour_restrict(f->st, "bct", test_first_person(f->path), &r, "cim@bct", today,
						  &rid, &err), FH_ERULE);
	assert_string_equal(err.field, "policy.behaviour");
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM behaviour_restrictions"), 0);
	give_bct_appendix_a(f);
	assert_int_equal(store_behaviour_restrict(f->st, "bct", test_first_person(f->path), &r, "cim@bct", today,
						  &rid, &err), FH_OK);
}

/* 001 Appendix A: warning, restriction with reviews listed as deadlines, appeal due in ten working days. */
static void test_store_behaviour_levels(void **state)
{
	fixture *f = *state;
	give_bct_appendix_a(f);
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	int64_t person = test_first_person(f->path);
	behaviour_restriction r = {.kind = "phone_set_times", .detail = "Tuesdays 10-12",
				   .reason = "Calls every hour", .starts_on = today,
				   .ends_on = behaviour_add_months(today, 4)};
	int64_t rid = 0;
	assert_int_equal(store_behaviour_restrict(f->st, "bct", person, &r, "cim@bct", today, &rid,
						  &err), FH_ERULE);
	assert_string_equal(err.source, "001 Appendix A Level 2");
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM behaviour_restrictions"), 0);
	assert_int_equal(store_behaviour_warn(f->st, "bct", person, today - 30, "Calls", "Fewer calls",
					      "cim@bct", today, NULL, &err), FH_OK);
	assert_int_equal(store_behaviour_warn(f->st, "bct", person + 99, today, "Calls", "Fewer",
					      "cim@bct", today, NULL, &err), FH_ENOTFOUND);
	assert_int_equal(store_behaviour_restrict(f->st, "bct", person, &r, "cim@bct", today, &rid,
						  &err), FH_OK);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM behaviour_reviews"), 1);
	fh_date due;
	assert_int_equal(store_behaviour_appeal(f->st, "bct", rid, today, "Unfair", "cim@bct", today,
						&due, &err), FH_OK);
	char b[DATE_ISO_LEN];
	assert_string_equal(iso(due, b), "2026-12-07");
	assert_int_equal(store_behaviour_appeal(f->st, "bct", rid, today, "Again", "cim@bct", today,
						&due, &err), FH_ECONFLICT);

	json_t *j = NULL;
	assert_int_equal(store_behaviour_person(f->st, "bct", person, &j, &err), FH_OK);
	json_t *deadlines = json_object_get(j, "deadlines");
	assert_int_equal(json_array_size(deadlines), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(deadlines, 0), "what")),
			    "appeal_answer");
	assert_string_equal(json_string_value(json_object_get(json_array_get(deadlines, 1), "due_on")),
			    "2027-03-22");
	json_decref(j);

	assert_int_equal(store_behaviour_answer(f->st, "bct", rid, today, "lifted", "Lifted on appeal",
						true, "ad@bct", today, &err), FH_OK);
	assert_int_equal(store_behaviour_person(f->st, "bct", person, &j, &err), FH_OK);
	assert_int_equal(json_array_size(json_object_get(j, "deadlines")), 0);
	json_decref(j);
	assert_int_equal(store_behaviour_review(f->st, "bct", rid, today, "continue", "n", 0, NULL,
						"cim@bct", today, &err), FH_ECONFLICT);
	/* the events name the person and restriction, never the evidence */
	assert_int_equal(test_event_count(f->path, "behaviour_warning"), 1);
	assert_int_equal(test_event_count(f->path, "behaviour_restriction"), 1);
	assert_int_equal(test_event_count(f->path, "behaviour_appeal_answered"), 1);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events WHERE data LIKE '%Calls%'"), 0);
	store_audit_report rep;
	assert_int_equal(store_audit_verify(f->st, &rep, &err), FH_OK);
}

/* 001 Appendix A: an extension past six months reschedules the reviews quarterly. */
static void test_store_behaviour_extend(void **state)
{
	fixture *f = *state;
	give_bct_appendix_a(f);
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	int64_t person = test_first_person(f->path), rid;
	behaviour_restriction r = {.kind = "witness_present", .detail = "Meetings with a witness",
				   .reason = "Threats to staff", .starts_on = D(2026, 6, 1),
				   .ends_on = D(2026, 12, 1), .without_warning = "threats_or_abuse"};
	assert_int_equal(store_behaviour_restrict(f->st, "bct", person, &r, "cim@bct", today, &rid,
						  &err), FH_OK);
	assert_int_equal(store_behaviour_review(f->st, "bct", rid, today, "extend", "Threats went on",
						D(2027, 6, 1), NULL, "cim@bct", today, &err), FH_ERULE);
	assert_int_equal(store_behaviour_review(f->st, "bct", rid, today, "extend", "Threats went on",
						D(2027, 6, 1), "Threats continued", "cim@bct", today,
						&err), FH_OK);
	/* the review held, then quarterly from the start (2026-12-01, 2027-03-01) and
	 * the day before the new end (2027-05-31) */
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM behaviour_reviews"
				      " WHERE reviewed_on IS NULL AND due_on IN ('2026-12-01', '2027-03-01', '2027-05-31')"), 3);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM behaviour_reviews"
				      " WHERE reviewed_on = '2026-11-23' AND outcome = 'extend'"), 1);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM behaviour_reviews"), 4);
}

/* 001 Appendix A New complaints: shown on the case, with a decision asked for and recorded once. */
static void test_store_case_restriction_decision(void **state)
{
	fixture *f = *state;
	give_bct_appendix_a(f);
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	int64_t person = test_first_person(f->path), rid;
	/* in force when the case was received (2026-03-02) */
	behaviour_restriction r = {.kind = "no_reply_on_topic", .detail = "The 2025 placement",
				   .reason = "Same complaint twelve times", .starts_on = D(2026, 2, 1),
				   .ends_on = D(2026, 5, 1), .without_warning = "extreme_behaviour"};
	assert_int_equal(store_behaviour_restrict(f->st, "bct", person, &r, "cim@bct", today, &rid,
						  &err), FH_OK);
	int64_t case_id = test_raw_int(f->path, "SELECT id FROM cases");
	json_t *arr = NULL;
	assert_int_equal(store_case_restrictions(f->st, case_id, &arr, &err), FH_OK);
	assert_int_equal(json_array_size(arr), 1);
	assert_true(json_is_true(json_object_get(json_array_get(arr, 0), "decision_needed")));
	json_decref(arr);
	assert_int_equal(store_case_restriction_decide(f->st, f->ref, rid, false, "", "cim@bct", today,
						       &err), FH_EINVAL);
	assert_int_equal(store_case_restriction_decide(f->st, f->ref, rid, false,
						       "A new matter: judged on its merits", "cim@bct",
						       today, &err), FH_OK);
	assert_int_equal(store_case_restriction_decide(f->st, f->ref, rid, true, "Again", "cim@bct",
						       today, &err), FH_ECONFLICT);
	assert_int_equal(store_case_restriction_decide(f->st, f->ref, rid + 5, true, "x", "cim@bct",
						       today, &err), FH_ENOTFOUND);
	assert_int_equal(store_case_restrictions(f->st, case_id, &arr, &err), FH_OK);
	json_t *one = json_array_get(arr, 0);
	assert_true(json_is_false(json_object_get(one, "decision_needed")));
	assert_true(json_is_false(json_object_get(one, "applies")));
	json_decref(arr);
	assert_int_equal(test_event_count(f->path, "restriction_decision"), 1);
}

#define STORE_T(name) cmocka_unit_test_setup_teardown(name, test_case_setup, test_case_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_behaviour_add_months),
		cmocka_unit_test(test_behaviour_reviews_short),
		cmocka_unit_test(test_behaviour_reviews_long),
		cmocka_unit_test(test_behaviour_warning),
		cmocka_unit_test(test_behaviour_restriction),
		cmocka_unit_test(test_behaviour_appeal),
		cmocka_unit_test(test_behaviour_review_rules),
		cmocka_unit_test(test_behaviour_periods_are_the_organisations),
		cmocka_unit_test(test_behaviour_deadlines_as_of),
		STORE_T(test_store_behaviour_needs_the_orgs_periods),
		STORE_T(test_store_behaviour_levels),
		STORE_T(test_store_behaviour_extend),
		STORE_T(test_store_case_restriction_decision),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
