/*
 * Unit tests for freezing decisions (001 §11), in core and store. Each test names the
 * rule it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "freezing.h"
#include "store_freezing.h"
#include "store_internal.h"
#include "test_helpers.h"

#define D(y, m, d) date_from_ymd(y, m, d)

typedef test_case_fixture fixture;

/* ---- core ------------------------------------------------------------------- */


static void test_freezing_request(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	assert_int_equal(freezing_check_request("school", "x", today, today, false, &err), FH_EINVAL);
	assert_string_equal(err.source, "001 §11.1");
	assert_int_equal(freezing_check_request("placement", "", today, today, false, &err), FH_EINVAL);
	assert_int_equal(freezing_check_request("placement", "Move to Leeds", today, today, true, &err),
			 FH_ECONFLICT);
	assert_int_equal(freezing_check_request("placement", "Move to Leeds", today, today, false, &err),
			 FH_OK);
}

/* 001 §11.2-11.4: two views; agreement decides, disagreement escalates; against freezing needs a reason. */
static void test_freezing_views(void **state)
{
	(void)state;
	fh_error err = {0};
	const char *outcome;
	bool escalate;
	freezing_state fs = {0};
	assert_int_equal(freezing_check_view(&fs, "complaints_manager", false, "freeze", NULL, &outcome,
					     &escalate, &err), FH_EFORBIDDEN);
	assert_int_equal(freezing_check_view(&fs, "director", true, "freeze", NULL, &outcome, &escalate,
					     &err), FH_EINVAL);
	assert_int_equal(freezing_check_view(&fs, "complaints_manager", true, "not_freeze", "", &outcome,
					     &escalate, &err), FH_ERULE);
	assert_string_equal(err.source, "001 §11.3");
	assert_int_equal(freezing_check_view(&fs, "complaints_manager", true, "freeze", NULL, &outcome,
					     &escalate, &err), FH_OK);
	assert_null(outcome);
	assert_false(escalate);
	fs.cim_view = "freeze";
	assert_int_equal(freezing_check_view(&fs, "complaints_manager", true, "freeze", NULL, &outcome,
					     &escalate, &err), FH_ECONFLICT);
	assert_int_equal(freezing_check_view(&fs, "head_of_service", true, "freeze", NULL, &outcome,
					     &escalate, &err), FH_OK);
	assert_string_equal(outcome, "frozen");
	assert_int_equal(freezing_check_view(&fs, "head_of_service", true, "not_freeze",
					     "The placement puts her at risk", &outcome, &escalate,
					     &err), FH_OK);
	assert_null(outcome);
	assert_true(escalate);
	/* the Director decides only after a disagreement (001 §11.4) */
	freezing_state agreed = {.cim_view = "freeze"};
	assert_int_equal(freezing_check_decision(&agreed, "freeze", NULL, &err), FH_ERULE);
	assert_string_equal(err.source, "001 §11.4");
	freezing_state split = {.cim_view = "freeze", .hos_view = "not_freeze", .escalated = true};
	assert_int_equal(freezing_check_view(&split, "head_of_service", true, "freeze", NULL, &outcome,
					     &escalate, &err), FH_ECONFLICT);
	assert_int_equal(freezing_check_decision(&split, "not_freeze", NULL, &err), FH_ERULE);
	assert_int_equal(freezing_check_decision(&split, "freeze", NULL, &err), FH_OK);
	/* reviewed only once decided */
	assert_int_equal(freezing_check_review(&split, "maintained", "n", D(2026, 11, 23),
					       D(2026, 11, 23), &err), FH_ECONFLICT);
	split.outcome = "frozen";
	assert_int_equal(freezing_check_review(&split, "maintained", "", D(2026, 11, 23),
					       D(2026, 11, 23), &err), FH_EINVAL);
	assert_int_equal(freezing_check_review(&split, "maintained", "Complaint still open",
					       D(2026, 11, 23), D(2026, 11, 23), &err), FH_OK);
}

/* ---- store ------------------------------------------------------------------ */

/* 001 §11: request, two views, escalation, the Director's decision and a review, each an event. */
static void test_store_freezing(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	int64_t id;
	assert_int_equal(store_freeze_request(f->st, f->ref, "placement", "Move to a placement in Leeds",
					      today, "cm@bct", today, &id, &err), FH_OK);
	assert_int_equal(store_freeze_request(f->st, f->ref, "service", "End respite", today, "cm@bct",
					      today, NULL, &err), FH_ECONFLICT);
	assert_int_equal(store_freeze_view(f->st, f->ref, id, "complaints_manager", true, "freeze", NULL,
					   "cm@bct", today, &err), FH_OK);
	assert_int_equal(store_freeze_decide(f->st, f->ref, id, "freeze", NULL, "dir@bct", today, &err),
			 FH_ERULE);
	assert_int_equal(store_freeze_view(f->st, f->ref, id, "head_of_service", true, "not_freeze",
					   "Staying puts him at risk", "hos@bct", today, &err), FH_OK);
	assert_int_equal(test_event_count(f->path, "freeze_escalated"), 1);
	assert_int_equal(store_freeze_decide(f->st, f->ref, id, "freeze", NULL, "dir@bct", today, &err),
			 FH_OK);
	assert_int_equal(store_freeze_review(f->st, f->ref, id, today, "reversed", "Risk grew",
					     "cm@bct", today, &err), FH_OK);
	json_t *list = NULL;
	assert_int_equal(store_freeze_list(f->st, f->ref, &list, &err), FH_OK);
	json_t *r = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(r, "outcome")), "frozen");
	assert_true(json_is_true(json_object_get(r, "escalated")));
	assert_string_equal(json_string_value(json_object_get(r, "director_by")), "dir@bct");
	assert_string_equal(json_string_value(json_object_get(r, "review_outcome")), "reversed");
	json_decref(list);
	assert_int_equal(test_event_count(f->path, "freeze_decided"), 1);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events WHERE data LIKE '%risk%'"), 0);
	/* decided: a new request may be made */
	assert_int_equal(store_freeze_request(f->st, f->ref, "service", "End respite", today, "cm@bct",
					      today, NULL, &err), FH_OK);
}

#define STORE_T(name) cmocka_unit_test_setup_teardown(name, test_case_setup, test_case_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_freezing_request),
		cmocka_unit_test(test_freezing_views),
		STORE_T(test_store_freezing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
