/*
 * Unit tests for data rights (DOMAIN §8): consent, retention and redaction, and the
 * subject access export, in core and store. Each test names the rule it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "rights.h"
#include "store_advocacy.h"
#include "store_document.h"
#include "store_internal.h"
#include "store_rights.h"
#include "test_helpers.h"

#define D(y, m, d) date_from_ymd(y, m, d)

typedef test_case_fixture fixture;

/* ---- core ------------------------------------------------------------------- */

/* 001 §14.3: consent to share for independent consideration is written, signed and dated. */
static void test_rights_consent(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	assert_int_equal(rights_check_consent("independent_consideration", false, true, today, today,
					      &err), FH_ERULE);
	assert_string_equal(err.field, "written");
	assert_string_equal(err.source, "001 §14.3");
	assert_int_equal(rights_check_consent("independent_consideration", true, false, today, today,
					      &err), FH_ERULE);
	assert_string_equal(err.field, "signed");
	assert_int_equal(rights_check_consent("independent_consideration", true, true, today + 1, today,
					      &err), FH_EINVAL);
	assert_int_equal(rights_check_consent("marketing", true, true, today, today, &err), FH_EINVAL);
	assert_int_equal(rights_check_consent("independent_consideration", true, true, today, today,
					      &err), FH_OK);
}

/* DOMAIN §8: due N years after closure, to the day; a redaction says what it removed. */
static void test_rights_retention_and_redaction(void **state)
{
	(void)state;
	fh_error err = {0};
	assert_false(rights_retention_due(D(2020, 6, 2), 6, D(2026, 6, 1)));
	assert_true(rights_retention_due(D(2020, 6, 2), 6, D(2026, 6, 2)));
	assert_true(rights_retention_due(D(2020, 2, 29), 6, D(2026, 2, 28)));
	assert_int_equal(rights_check_retention_years(0, &err), FH_EINVAL);
	assert_int_equal(rights_check_retention_years(101, &err), FH_EINVAL);
	assert_int_equal(rights_check_retention_years(6, &err), FH_OK);
	assert_int_equal(rights_check_redaction("", &err), FH_EINVAL);
	assert_int_equal(rights_check_redaction("The foster carer's address", &err), FH_OK);
}

/* 001 §15.3, DOMAIN §8: anonymising a state empties the confidential parts and the notes. */
static void test_rights_scrub_state(void **state)
{
	(void)state;
	json_t *st = json_pack("{s{s{ss}ss} s[{s{ss}ss}] ss}", "mediation", "confidential", "notes",
			       "Mother said ...", "status", "agreed", "stages", "confidential",
			       "addendum", "The IO thinks ...", "reason", "Mrs K was ill",
			       "status", "closed");
	assert_int_equal(rights_scrub_state(st), 3);
	char *text = json_dumps(st, JSON_COMPACT | JSON_SORT_KEYS);
	assert_null(strstr(text, "Mother"));
	assert_null(strstr(text, "IO thinks"));
	assert_null(strstr(text, "Mrs K"));
	assert_non_null(strstr(text, "\"status\":\"closed\""));
	free(text);
	assert_int_equal(rights_scrub_state(st), 0);
	json_decref(st);
}

/* ---- store ------------------------------------------------------------------ */

/* 000 "Access to records": everything about the person, other people on the case withheld. */
static void test_store_subject_export(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	/* a second case with the same person and someone else */
	int64_t person = test_first_person(f->path);
	fh_party parties[2] = {
		{.role = "complainant", .relationship = "self",
		 .person = {.id = person, .given_name = "Amira", .family_name = "Khan"}},
		{.role = "child", .child_status = "looked_after",
		 .person = {.given_name = "Zain", .family_name = "Otherchild"}},
	};
	fh_case_input in = {.org_code = "bct", .kind = "complaint", .channel = "phone",
			    .received_on = "2026-05-02", .summary = "Missed review",
			    .n_parties = 2, .parties = parties};
	char ref2[FH_REFERENCE_MAX];
	assert_int_equal(case_input_validate(&in, today, &err), FH_OK);
	assert_int_equal(store_case_create(f->st, &in, "test", ref2, &err), FH_OK);
	assert_int_equal(store_consent_add(f->st, ref2, person, "independent_consideration", true, true,
					   D(2026, 11, 20), "cm@bct", today, &err), FH_OK);
	assert_int_equal(store_consent_add(f->st, ref2, person, "independent_consideration", true, true,
					   D(2026, 11, 20), "cm@bct", today, &err), FH_ECONFLICT);
	assert_int_equal(store_access_need_add(f->st, ref2, person, "interpreter", "Urdu", false, 0,
					       "cm@bct", today, &err), FH_OK);
	json_t *out = NULL;
	assert_int_equal(store_subject_export(f->st, "bct", person, today, &out, &err), FH_OK);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(out,
				"access_needs"), 0), "detail")), "Urdu");
	char *text = json_dumps(out, JSON_COMPACT);
	assert_non_null(strstr(text, "amira@example.org"));
	assert_null(strstr(text, "Otherchild"));
	assert_null(strstr(text, "Zain"));
	free(text);
	json_t *cases = json_object_get(out, "cases");
	assert_int_equal(json_array_size(cases), 2);
	json_t *second = json_array_get(cases, 1);
	assert_int_equal(json_integer_value(json_object_get(second, "other_people_withheld")), 1);
	assert_int_equal(json_array_size(json_object_get(second, "consents")), 1);
	json_decref(out);
	assert_int_equal(store_subject_export(f->st, "bct", person + 1000, today, &out, &err),
			 FH_ENOTFOUND);
}

/* DOMAIN §8: a redacted copy is a new document; the original is kept. */
static void test_store_redaction(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_arena arena = ARENA_INIT;
	store_document orig, copy;
	const char text[] = "Report naming the foster carer at 1 High St";
	const char red[] = "Report naming the foster carer at [redacted]";
	assert_int_equal(store_document_add(f->st, f->ref, "report.txt", "text/plain", "staff", text,
					    sizeof text - 1, "io@bct", &arena, &orig, &err), FH_OK);
	assert_int_equal(store_document_redact(f->st, f->ref, orig.id, false, "report-redacted.txt",
					       "text/plain", "customer", red, sizeof red - 1, "",
					       "cm@bct", &arena, &copy, &err), FH_EINVAL);
	assert_int_equal(store_document_redact(f->st, f->ref, orig.id + 9, false, "r.txt",
					       "text/plain", "customer", red, sizeof red - 1,
					       "address", "cm@bct", &arena, &copy, &err), FH_ENOTFOUND);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM documents"), 1);
	assert_int_equal(store_document_redact(f->st, f->ref, orig.id, false, "report-redacted.txt",
					       "text/plain", "customer", red, sizeof red - 1,
					       "The carer's address", "cm@bct", &arena, &copy, &err),
			 FH_OK);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM documents"), 2);
	assert_int_equal(test_raw_int(f->path, "SELECT original_id FROM document_redactions"), orig.id);
	assert_int_equal(test_event_count(f->path, "document_redacted"), 1);
	store_document back;
	assert_int_equal(store_document_get(f->st, f->ref, orig.id, false, &arena, &back, &err), FH_OK);
	assert_memory_equal(back.content, text, sizeof text - 1);
	arena_free(&arena);
}

#define STORE_T(name) cmocka_unit_test_setup_teardown(name, test_case_setup, test_case_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rights_consent),
		cmocka_unit_test(test_rights_retention_and_redaction),
		cmocka_unit_test(test_rights_scrub_state),
		STORE_T(test_store_subject_export),
		STORE_T(test_store_redaction),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
