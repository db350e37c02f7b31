/*
 * Unit tests for remedies (001 §18, Appendix B), in core and store. Each test names the
 * rule it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "redress.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_redress.h"
#include "test_helpers.h"

#define D(y, m, d) date_from_ymd(y, m, d)

typedef test_case_fixture fixture;

/* ---- core ------------------------------------------------------------------- */

/* ---- core: redress ---------------------------------------------------------- */

static redress_input justified(const char *type)
{
	return (redress_input){.type = type, .description = "Apologise for the missed contact",
			       .justified = true, .went_past_target = true};
}

/* 001 Appendix B "Types of remedy": each type is accepted as its shape requires. */
static void test_redress_types(void **state)
{
	(void)state;
	fh_error err = {0};
	for (const char *const *t = REDRESS_TYPES; *t; t++) {
		redress_input in = justified(*t);
		if (strcmp(*t, "financial") == 0) {
			in.category = "time_and_trouble";
			in.amount_pence = 15000;
		} else if (strcmp(*t, "delay_payment") == 0) {
			in.amount_pence = 5000;
		}
		assert_int_equal(redress_check(&in, &err), FH_OK);
	}
	redress_input in = justified("compensation");
	assert_int_equal(redress_check(&in, &err), FH_EINVAL);
	assert_string_equal(err.field, "type");
}

/* 001 Appendix B: a financial remedy names its category and an amount; others have neither. */
static void test_redress_financial_shape(void **state)
{
	(void)state;
	fh_error err = {0};
	redress_input in = justified("financial");
	in.amount_pence = 100;
	assert_int_equal(redress_check(&in, &err), FH_EINVAL);
	assert_string_equal(err.field, "category");
	assert_string_equal(err.source, "001 Appendix B");
	in.category = "distress_harm_risk";
	in.amount_pence = 0;
	assert_int_equal(redress_check(&in, &err), FH_EINVAL);
	assert_string_equal(err.field, "amount_pence");
	in.amount_pence = REDRESS_AMOUNT_MAX + 1;
	assert_int_equal(redress_check(&in, &err), FH_EINVAL);
	in.amount_pence = 25000;
	assert_int_equal(redress_check(&in, &err), FH_OK);

	redress_input apology = justified("apology");
	apology.amount_pence = 100;
	assert_int_equal(redress_check(&apology, &err), FH_EINVAL);
	assert_string_equal(err.field, "amount_pence");
	apology.amount_pence = 0;
	apology.category = "time_and_trouble";
	assert_int_equal(redress_check(&apology, &err), FH_EINVAL);
	assert_string_equal(err.field, "category");
}

/* 001 Appendix B "Exceptions": legal action, court and insurance settlements are refused with the reason. */
static void test_redress_exceptions_refused(void **state)
{
	(void)state;
	fh_error err = {0};
	for (const char *const *e = REDRESS_EXCEPTIONS; *e; e++) {
		redress_input in = justified("apology");
		in.exception = *e;
		assert_int_equal(redress_check(&in, &err), FH_ERULE);
		assert_string_equal(err.field, "exception");
		assert_string_equal(err.source, "001 Appendix B");
		assert_non_null(strstr(err.message, "does not apply to"));
	}
	redress_input in = justified("apology");
	in.exception = "legal_action";
	redress_check(&in, &err);
	assert_non_null(strstr(err.message, "legal action"));
	in.exception = "weather";
	assert_int_equal(redress_check(&in, &err), FH_EINVAL);
	in.exception = "";
	assert_int_equal(redress_check(&in, &err), FH_OK);
}

/* 001 Appendix B: for justified complaints only; a delay payment only after a target was missed. */
static void test_redress_justified_and_delay(void **state)
{
	(void)state;
	fh_error err = {0};
	redress_input in = justified("apology");
	in.justified = false;
	assert_int_equal(redress_check(&in, &err), FH_ERULE);
	assert_string_equal(err.source, "001 Appendix B");
	in = justified("delay_payment");
	in.amount_pence = 2500;
	in.went_past_target = false;
	assert_int_equal(redress_check(&in, &err), FH_ERULE);
	assert_non_null(strstr(err.message, "target"));
}

/* DOMAIN §5: approved once, delivered only after approval, never in the future. */
static void test_redress_approve_deliver(void **state)
{
	(void)state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	assert_int_equal(redress_check_approve(false, D(2026, 11, 3), today, &err), FH_OK);
	assert_int_equal(redress_check_approve(true, D(2026, 11, 3), today, &err), FH_ECONFLICT);
	assert_int_equal(redress_check_approve(false, D(2026, 11, 24), today, &err), FH_EINVAL);
	assert_int_equal(redress_check_deliver(false, 0, false, D(2026, 11, 5), today, &err), FH_ERULE);
	assert_string_equal(err.source, "001 §18.2");
	assert_int_equal(redress_check_deliver(true, D(2026, 11, 3), false, D(2026, 11, 2), today, &err),
			 FH_EINVAL);
	assert_int_equal(redress_check_deliver(true, D(2026, 11, 3), true, D(2026, 11, 5), today, &err),
			 FH_ECONFLICT);
	assert_int_equal(redress_check_deliver(true, D(2026, 11, 3), false, D(2026, 11, 5), today, &err),
			 FH_OK);
}

/* ---- store ------------------------------------------------------------------ */

/* The finding that makes the complaint justified, and a late Stage 1, as the lifecycle would leave them. */
static void make_justified_and_late(fixture *f)
{
	assert_int_equal(test_raw_exec(f->path,
		"INSERT INTO findings (point_id, stage, outcome, recorded_at)"
		" SELECT id, 1, 'upheld', '2026-04-01T10:00:00Z' FROM complaint_points;"
		"INSERT INTO case_stages (case_id, stage, state, started_on, due_on, responded_on)"
		" SELECT id, 1, 'responded', '2026-03-02', '2026-03-16', '2026-03-30' FROM cases;"),
		DB_OK);
}

/* 001 Appendix B: the store asks whether the case is justified and late, and records nothing it refuses. */
static void test_store_remedy_rules(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	redress_input in = {.type = "apology", .description = "A written apology"};
	assert_int_equal(store_remedy_add(f->st, f->ref, &in, "cm@bct", today, NULL, &err), FH_ERULE);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM remedies"), 0);
	assert_int_equal(test_event_count(f->path, "remedy_recorded"), 0);

	make_justified_and_late(f);
	int64_t id = 0;
	assert_int_equal(store_remedy_add(f->st, f->ref, &in, "cm@bct", today, &id, &err), FH_OK);
	assert_true(id > 0);
	redress_input pay = {.type = "delay_payment", .description = "Delay at Stage 1",
			     .amount_pence = 5000};
	assert_int_equal(store_remedy_add(f->st, f->ref, &pay, "cm@bct", today, NULL, &err), FH_OK);
	redress_input court = {.type = "financial", .category = "quantifiable_loss",
			       .amount_pence = 90000, .description = "Costs",
			       .exception = "court_settlement"};
	assert_int_equal(store_remedy_add(f->st, f->ref, &court, "cm@bct", today, NULL, &err),
			 FH_ERULE);
	assert_string_equal(err.source, "001 Appendix B");
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM remedies"), 2);
	assert_int_equal(test_event_count(f->path, "remedy_recorded"), 2);
	/* the description may name people: it never goes into the audit chain */
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events WHERE data LIKE '%apology%'"
				      " AND data LIKE '%written%'"), 0);
}

/* DOMAIN §5: who approved and when, then delivered when; each one transaction with its event. */
static void test_store_remedy_approve_deliver(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	make_justified_and_late(f);
	redress_input in = {.type = "financial", .category = "time_and_trouble",
			    .amount_pence = 25000, .description = "Time and trouble"};
	int64_t id;
	assert_int_equal(store_remedy_add(f->st, f->ref, &in, "cm@bct", today, &id, &err), FH_OK);
	assert_int_equal(store_remedy_deliver(f->st, f->ref, id, today, "cm@bct", today, &err),
			 FH_ERULE);
	assert_int_equal(store_remedy_approve(f->st, f->ref, id, today, "hos@bct", today, &err), FH_OK);
	assert_int_equal(store_remedy_approve(f->st, f->ref, id, today, "hos@bct", today, &err),
			 FH_ECONFLICT);
	assert_int_equal(store_remedy_approve(f->st, f->ref, id + 7, today, "hos@bct", today, &err),
			 FH_ENOTFOUND);
	assert_int_equal(store_remedy_deliver(f->st, f->ref, id, today, "cm@bct", today, &err), FH_OK);
	assert_int_equal(test_event_count(f->path, "remedy_approved"), 1);
	assert_int_equal(test_event_count(f->path, "remedy_delivered"), 1);

	fh_arena arena = ARENA_INIT;
	store_remedy *list;
	size_t n;
	assert_int_equal(store_remedy_list(f->st, f->ref, &arena, &list, &n, &err), FH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].approved_by, "hos@bct");
	assert_string_equal(list[0].approved_on, "2026-11-23");
	assert_string_equal(list[0].delivered_on, "2026-11-23");

	store_redress_total *t;
	assert_int_equal(store_redress_totals(f->st, "bct", NULL, NULL, &arena, &t, &n, &err), FH_OK);
	assert_int_equal(n, 1);
	assert_string_equal(t[0].type, "financial");
	assert_int_equal(t[0].approved_pence, 25000);
	assert_int_equal(t[0].delivered, 1);
	assert_int_equal(store_redress_totals(f->st, "bct", "2027-01-01", NULL, &arena, &t, &n, &err),
			 FH_OK);
	assert_int_equal(n, 0);
	arena_free(&arena);

	store_audit_report rep;
	assert_int_equal(store_audit_verify(f->st, &rep, &err), FH_OK);
}

#define STORE_T(name) cmocka_unit_test_setup_teardown(name, test_case_setup, test_case_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redress_types),
		cmocka_unit_test(test_redress_financial_shape),
		cmocka_unit_test(test_redress_exceptions_refused),
		cmocka_unit_test(test_redress_justified_and_delay),
		cmocka_unit_test(test_redress_approve_deliver),
		STORE_T(test_store_remedy_rules),
		STORE_T(test_store_remedy_approve_deliver),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
