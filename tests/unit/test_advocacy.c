/*
 * Unit tests for advocacy and access needs (DOMAIN §7), in core and store. Each test
 * names the rule it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "advocacy.h"
#include "store_advocacy.h"
#include "store_internal.h"
#include "test_helpers.h"

#define D(y, m, d) date_from_ymd(y, m, d)

typedef test_case_fixture fixture;

/* ---- core ------------------------------------------------------------------- */

/* DOMAIN §7: offered, referred, taken up or declined, in order, each once. */
static void test_advocacy_steps(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	advocacy_state st = {0};
	assert_int_equal(advocacy_step(&st, "referred", today, today, &err), FH_ERULE);
	assert_string_equal(err.source, "DOMAIN §7");
	assert_int_equal(advocacy_step(&st, "offered", today + 1, today, &err), FH_EINVAL);
	assert_int_equal(advocacy_step(&st, "offered", today - 5, today, &err), FH_OK);
	assert_int_equal(advocacy_step(&st, "offered", today, today, &err), FH_ECONFLICT);
	assert_int_equal(advocacy_step(&st, "taken_up", today, today, &err), FH_ERULE);
	assert_int_equal(advocacy_step(&st, "referred", today - 6, today, &err), FH_EINVAL);
	assert_int_equal(advocacy_step(&st, "referred", today - 2, today, &err), FH_OK);
	assert_int_equal(advocacy_step(&st, "taken_up", today, today, &err), FH_OK);
	assert_int_equal(advocacy_step(&st, "declined", today, today, &err), FH_ECONFLICT);
	assert_true(st.offered_on == today - 5 && st.referred_on == today - 2 && st.taken_up_on == today);
	assert_int_equal(advocacy_step(&st, "ignored", today, today, &err), FH_EINVAL);
}

/* DOMAIN §7: interpreters name the language, formats what they are; a signer needs no detail. */
static void test_access_needs(void **state)
{
	(void)state;
	fh_error err = {0};
	assert_int_equal(access_check_need("interpreter", "", &err), FH_EINVAL);
	assert_int_equal(access_check_need("interpreter", "Polish", &err), FH_OK);
	assert_int_equal(access_check_need("alternative_format", NULL, &err), FH_EINVAL);
	assert_int_equal(access_check_need("alternative_format", "Easy read", &err), FH_OK);
	assert_int_equal(access_check_need("signer", NULL, &err), FH_OK);
	assert_int_equal(access_check_need("telepathy", "x", &err), FH_EINVAL);
}

/* ---- store ------------------------------------------------------------------ */

/* DOMAIN §7: advocacy by service and access needs counted for reports. */
static void test_store_advocacy_counts(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	int64_t person = test_first_person(f->path);
	static const char *const roles[] = {"complaints_team"};
	fh_actor actor = {.name = "cm@bct", .n_roles = 1, .roles = roles};
	/* the organisation has no advocacy service on record: it must be named */
	assert_int_equal(store_advocacy_step(f->st, f->ref, person, "offered", today, NULL, 0, &actor,
					     today, &err), FH_EINVAL);
	assert_string_equal(err.field, "service");
	assert_int_equal(store_advocacy_step(f->st, f->ref, person, "offered", today,
					     "Rights & Participation Service", 0, &actor, today, &err),
			 FH_OK);
	assert_int_equal(store_advocacy_step(f->st, f->ref, person, "taken_up", today, NULL, 20,
					     &actor, today, &err), FH_EINVAL);
	assert_int_equal(store_advocacy_step(f->st, f->ref, person, "declined", today, NULL, 0, &actor,
					     today, &err), FH_OK);
	assert_int_equal(store_access_need_add(f->st, f->ref, person, "alternative_format",
					       "Large print", false, 0, "cm@bct", today, &err), FH_OK);
	assert_int_equal(store_access_need_add(f->st, f->ref, person + 50, "signer", NULL, false, 0,
					       "cm@bct", today, &err), FH_ENOTFOUND);
	json_t *c = NULL;
	assert_int_equal(store_advocacy_counts(f->st, "bct", "2026-01-01", "2026-12-31", &c, &err), FH_OK);
	json_t *a = json_array_get(json_object_get(c, "advocacy"), 0);
	assert_string_equal(json_string_value(json_object_get(a, "service")),
			    "Rights & Participation Service");
	assert_int_equal(json_integer_value(json_object_get(a, "offered")), 1);
	assert_int_equal(json_integer_value(json_object_get(a, "declined")), 1);
	assert_int_equal(json_integer_value(json_object_get(a, "taken_up")), 0);
	assert_int_equal(json_array_size(json_object_get(c, "access_needs")), 1);
	json_decref(c);
	assert_int_equal(store_advocacy_counts(f->st, "bct", "2027-01-01", NULL, &c, &err), FH_OK);
	assert_int_equal(json_array_size(json_object_get(c, "advocacy")), 0);
	json_decref(c);
	assert_int_equal(test_event_count(f->path, "advocacy"), 2);
}

#define STORE_T(name) cmocka_unit_test_setup_teardown(name, test_case_setup, test_case_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_advocacy_steps),
		cmocka_unit_test(test_access_needs),
		STORE_T(test_store_advocacy_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
