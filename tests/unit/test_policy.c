/*
 * Unit tests for the rest of the policy: remedies (001 §18, Appendix B)
 * unreasonably persistent behaviour (001 §19, Appendix A) and freezing
 * decisions (001 §11), data rights (DOMAIN §8) and joint complaints
 * (001 §12, §13) and advocacy and access (DOMAIN §7), in core and store.  Each test names the rule it checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

#include "advocacy.h"
#include "behaviour.h"
#include "freezing.h"
#include "joint.h"
#include "redress.h"
#include "rights.h"
#include "store_advocacy.h"
#include "store_behaviour.h"
#include "store_document.h"
#include "store_event.h"
#include "store_freezing.h"
#include "store_joint.h"
#include "store_lifecycle.h"
#include "store_internal.h"
#include "store_redress.h"
#include "store_rights.h"
#include "test_helpers.h"

#define D(y, m, d) date_from_ymd(y, m, d)

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


/* ---- core: behaviour ------------------------------------------------------- */

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

/* ---- core: freezing -------------------------------------------------------- */

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


/* ---- core: data rights ------------------------------------------------------- */

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


/* ---- core: joint complaints ---------------------------------------------------- */

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


/* ---- core: advocacy ------------------------------------------------------------- */

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

/* ---- store ------------------------------------------------------------------- */

typedef test_case_fixture fixture;

static int64_t events(fixture *f, const char *action)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE action = '%s'", action);
	return test_raw_int(f->path, sql);
}

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
	assert_int_equal(events(f, "remedy_recorded"), 0);

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
	assert_int_equal(events(f, "remedy_recorded"), 2);
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
	assert_int_equal(events(f, "remedy_approved"), 1);
	assert_int_equal(events(f, "remedy_delivered"), 1);

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


static int64_t person_of(fixture *f)
{
	return test_raw_int(f->path, "SELECT min(person_id) FROM case_parties");
}

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
	assert_int_equal(store_behaviour_restrict(f->st, "bct", person_of(f), &r, "cim@bct", today,
						  &rid, &err), FH_ERULE);
	assert_string_equal(err.field, "policy.behaviour");
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM behaviour_restrictions"), 0);
	give_bct_appendix_a(f);
	assert_int_equal(store_behaviour_restrict(f->st, "bct", person_of(f), &r, "cim@bct", today,
						  &rid, &err), FH_OK);
}

/* 001 Appendix A: warning, restriction with reviews listed as deadlines, appeal due in ten working days. */
static void test_store_behaviour_levels(void **state)
{
	fixture *f = *state;
	give_bct_appendix_a(f);
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	int64_t person = person_of(f);
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
	assert_int_equal(events(f, "behaviour_warning"), 1);
	assert_int_equal(events(f, "behaviour_restriction"), 1);
	assert_int_equal(events(f, "behaviour_appeal_answered"), 1);
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
	int64_t person = person_of(f), rid;
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
	int64_t person = person_of(f), rid;
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
	assert_int_equal(events(f, "restriction_decision"), 1);
}

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
	assert_int_equal(events(f, "freeze_escalated"), 1);
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
	assert_int_equal(events(f, "freeze_decided"), 1);
	assert_int_equal(test_raw_int(f->path, "SELECT count(*) FROM events WHERE data LIKE '%risk%'"), 0);
	/* decided: a new request may be made */
	assert_int_equal(store_freeze_request(f->st, f->ref, "service", "End respite", today, "cm@bct",
					      today, NULL, &err), FH_OK);
}

/* 000 "Access to records": everything about the person, other people on the case withheld. */
static void test_store_subject_export(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	/* a second case with the same person and someone else */
	int64_t person = person_of(f);
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
	assert_int_equal(events(f, "document_redacted"), 1);
	store_document back;
	assert_int_equal(store_document_get(f->st, f->ref, orig.id, false, &arena, &back, &err), FH_OK);
	assert_memory_equal(back.content, text, sizeof text - 1);
	arena_free(&arena);
}

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
	assert_int_equal(events(f, "issue_response"), 0);
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

/* DOMAIN §7: advocacy by service and access needs counted for reports. */
static void test_store_advocacy_counts(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	fh_date today = D(2026, 11, 23);
	int64_t person = person_of(f);
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
	assert_int_equal(events(f, "advocacy"), 2);
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
		cmocka_unit_test(test_behaviour_add_months),
		cmocka_unit_test(test_behaviour_reviews_short),
		cmocka_unit_test(test_behaviour_reviews_long),
		cmocka_unit_test(test_behaviour_warning),
		cmocka_unit_test(test_behaviour_restriction),
		cmocka_unit_test(test_behaviour_appeal),
		cmocka_unit_test(test_behaviour_review_rules),
		cmocka_unit_test(test_behaviour_periods_are_the_organisations),
		cmocka_unit_test(test_behaviour_deadlines_as_of),
		cmocka_unit_test(test_freezing_request),
		cmocka_unit_test(test_freezing_views),
		cmocka_unit_test(test_rights_consent),
		cmocka_unit_test(test_rights_retention_and_redaction),
		cmocka_unit_test(test_rights_scrub_state),
		cmocka_unit_test(test_joint_response),
		cmocka_unit_test(test_joint_liaison),
		cmocka_unit_test(test_advocacy_steps),
		cmocka_unit_test(test_access_needs),
		STORE_T(test_store_remedy_rules),
		STORE_T(test_store_remedy_approve_deliver),
		STORE_T(test_store_behaviour_needs_the_orgs_periods),
		STORE_T(test_store_behaviour_levels),
		STORE_T(test_store_behaviour_extend),
		STORE_T(test_store_case_restriction_decision),
		STORE_T(test_store_freezing),
		STORE_T(test_store_subject_export),
		STORE_T(test_store_redaction),
		STORE_T(test_store_joint_blocks_response),
		STORE_T(test_store_advocacy_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
