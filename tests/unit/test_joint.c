/*
 * Unit tests for joint complaints (001 §12, §13), in core and store. Each test names the
 * rule it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "joint.h"
#include "store_internal.h"
#include "store_joint.h"
#include "store_lifecycle.h"
#include "test_helpers.h"

#define D(y, m, d) date_from_ymd(y, m, d)

typedef test_case_fixture fixture;

/* ---- core ------------------------------------------------------------------- */

/* 001 §13.1: one co-ordinated response: not while a team's contribution is outstanding. */
static void test_joint_response(void **state)
{
	(void)state;
	fh_error err = {0};
	assert_int_equal(joint_check_response(2, "Fostering", &err), FH_ERULE);
	assert_string_equal(err.source, "001 §13.1");
	assert_non_null(strstr(err.message, "Fostering"));
	assert_int_equal(joint_check_response(0, NULL, &err), FH_OK);
	fh_date today = D(2026, 11, 23);
	assert_int_equal(joint_check_contribution(0, today, today, false, &err), FH_ECONFLICT);
	assert_int_equal(joint_check_contribution(1, today, today, true, &err), FH_ECONFLICT);
	assert_int_equal(joint_check_contribution(1, today, today, false, &err), FH_OK);
	assert_int_equal(joint_check_received(false, today, today - 1, today, &err), FH_EINVAL);
	assert_int_equal(joint_check_received(true, today, today, today, &err), FH_ECONFLICT);
	assert_int_equal(joint_check_received(false, today - 3, today, today, &err), FH_OK);
}

/* 001 §12.2: without a single response, the customer is told how and by whom. */
static void test_joint_liaison(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	assert_int_equal(joint_check_liaison("", "single_response", today, false, 0, today, &err),
			 FH_EINVAL);
	assert_string_equal(err.source, "001 §12.1");
	assert_int_equal(joint_check_liaison("NHS Trust", "whoever", today, false, 0, today, &err),
			 FH_EINVAL);
	assert_int_equal(joint_check_liaison("NHS Trust", "separate", today, false, 0, today, &err),
			 FH_ERULE);
	assert_string_equal(err.source, "001 §12.2");
	assert_int_equal(joint_check_liaison("NHS Trust", "other_organisation", today, true, today - 1,
					     today, &err), FH_EINVAL);
	assert_int_equal(joint_check_liaison("NHS Trust", "other_organisation", today, true, today,
					     today, &err), FH_OK);
	assert_int_equal(joint_check_liaison("NHS Trust", "single_response", today, false, 0, today,
					     &err), FH_OK);
}

/* ---- store ------------------------------------------------------------------ */

/* 001 §13.1: the stage response is refused while a team's contribution is outstanding. */
static void test_store_joint_blocks_response(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	fh_team svc = {.name = "Children's Social Care", .level = "service"};
	assert_int_equal(store_team_create(f->st, "bct", &svc, "test", NULL, &err), FH_OK);
	fh_team team = {.name = "Fostering", .level = "team", .parent = "Children's Social Care"};
	assert_int_equal(store_team_create(f->st, "bct", &team, "test", NULL, &err), FH_OK);
	/* not at a stage yet */
	assert_int_equal(store_contribution_request(f->st, f->ref, "Fostering", today, "cm@bct", today,
						    &err), FH_ECONFLICT);
	assert_int_equal(test_raw_exec(f->path, "UPDATE cases SET stage = 1, state = 'open'"), DB_OK);
	assert_int_equal(store_contribution_request(f->st, f->ref, "Nowhere", today, "cm@bct", today,
						    &err), FH_ENOTFOUND);
	assert_int_equal(store_contribution_request(f->st, f->ref, "Fostering", today, "cm@bct", today,
						    &err), FH_OK);
	static const char *const roles[] = {"complaints_team"};
	fh_actor actor = {.name = "cm@bct", .n_roles = 1, .roles = roles};
	json_t *result = NULL;
	assert_int_equal(store_case_act(f->st, f->ref, "issue_response", NULL, &actor, today, &result,
					&err), FH_ERULE);
	assert_string_equal(err.source, "001 §13.1");
	assert_int_equal(test_event_count(f->path, "issue_response"), 0);
	int64_t id = test_raw_int(f->path, "SELECT id FROM case_contributions");
	assert_int_equal(store_contribution_received(f->st, f->ref, id, today, "cm@bct", today, &err),
			 FH_OK);
	error_clear(&err);
	fh_status s = store_case_act(f->st, f->ref, "issue_response", NULL, &actor, today, &result,
				     &err);
	json_decref(result);
	/* whatever the lifecycle decides now, it is not the co-ordination rule */
	assert_true(s == FH_OK || strcmp(err.source, "001 §13.1") != 0);
	json_t *j = NULL;
	assert_int_equal(store_joint_get(f->st, f->ref, &j, &err), FH_OK);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j,
				"contributions"), 0), "received_on")), "2026-11-23");
	json_decref(j);
}

#define STORE_T(name) cmocka_unit_test_setup_teardown(name, test_case_setup, test_case_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_joint_response),
		cmocka_unit_test(test_joint_liaison),
		STORE_T(test_store_joint_blocks_response),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
