/*
 * Scenario tests of the case lifecycle: for each of the seven shipped
 * procedures a case from first contact to its end, driven through
 * store_case_act (the function the CLI and the server call), checking every
 * due date and state on the way, and the refusals the policies require.
 * Expected dates were worked out by hand from the England and Wales
 * calendar (Christmas 2026, New Year and Easter 2027 are crossed on purpose).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "config.h"
#include "lifecycle.h"
#include "store_lifecycle.h"
#include "store_rights.h"
#include "test_helpers.h"

typedef struct fixture {
	char *path;
	fh_store *st;
	char ref[FH_REFERENCE_MAX];
} fixture;

static const fh_actor cli_actor = {.name = "test", .all_roles = true};

static void seed(fh_store *st)
{
	static const fh_org orgs[] = {
		{.code = "bct", .name = "Birmingham Children's Trust", .ref_prefix = "BCT"},
		{.code = "bcp", .name = "BCP Council", .ref_prefix = "BCP"},
		{.code = "bccc", .name = "Birmingham Child Contact Centre", .ref_prefix = "BCCC"},
		{.code = "example", .name = "Example Council", .ref_prefix = "EXC"},
	};
	fh_error err = {0};
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(store_org_create(st, &orgs[i], "test", NULL, &err), FH_OK);
	int installed = 0;
	assert_int_equal(store_procedure_install_dir(st, FH_PROCEDURES_DIR, "test", &installed, &err), FH_OK);
	assert_int_equal(installed, 7);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->st = test_store_open(&f->path);
	seed(f->st);
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

/* Records a complaint: a parent (or the young person) for a looked-after child. */
static void record(fixture *f, const char *org, const char *received, bool parent, int points)
{
	fh_party parties[2] = {
		{.role = "complainant", .relationship = parent ? "parent" : "self",
		 .child_status = parent ? NULL : "looked_after",
		 .person = {.given_name = "Amira", .family_name = "Khan"}},
		{.role = "child", .child_status = "looked_after",
		 .person = {.given_name = "Yusuf", .family_name = "Khan"}},
	};
	fh_point pts[3] = {
		{.summary = "Contact with his sister was cancelled twice", .desired_outcome = "A contact plan"},
		{.summary = "Calls were not returned", .desired_outcome = ""},
		{.summary = "The review minutes were never sent", .desired_outcome = "The minutes"},
	};
	fh_case_input in = {.org_code = org, .kind = "complaint", .channel = "email",
			    .received_on = received, .summary = "Contact cancelled",
			    .n_parties = parent ? 2 : 1, .parties = parties,
			    .n_points = (size_t)points, .points = pts};
	fh_error err = {0};
	assert_int_equal(store_case_create(f->st, &in, "test", f->ref, &err), FH_OK);
}

static fh_date d(const char *iso)
{
	fh_date out = 0;
	assert_true(date_parse(iso, &out));
	return out;
}

/* Applies an action dated `on` (also "today"); params is JSON text or NULL. */
static json_t *act(fixture *f, const char *on, const char *action, const char *params)
{
	json_error_t jerr;
	json_t *p = params ? json_loads(params, 0, &jerr) : json_object();
	assert_non_null(p);
	json_object_set_new(p, "on", json_string(on));
	json_t *result = NULL;
	fh_error err = {0};
	fh_status s = store_case_act(f->st, f->ref, action, p, &cli_actor, d(on), &result, &err);
	if (s)
		fprintf(stderr, "# %s %s: %s: %s (%s)\n", f->ref, action, err.field, err.message, err.source);
	assert_int_equal(s, FH_OK);
	json_decref(p);
	return result;
}

/* 001 §14.3: the complainant's written, signed consent to share, dated on. */
static void consent_to_share(fixture *f, const char *on)
{
	fh_arena a = ARENA_INIT;
	fh_case c;
	fh_error err = {0};
	assert_int_equal(store_case_get(f->st, f->ref, &a, &c, &err), FH_OK);
	assert_int_equal(store_consent_add(f->st, f->ref, c.parties[0].person.id,
					   "independent_consideration", true, true, d(on), "test", d(on),
					   &err), FH_OK);
	arena_free(&a);
}

static void act_ok(fixture *f, const char *on, const char *action, const char *params)
{
	json_decref(act(f, on, action, params));
}

/* The action must be refused with want, naming field, citing source (a substring). */
static void refused(fixture *f, const char *on, const char *action, const char *params,
		    fh_status want, const char *field, const char *source)
{
	json_error_t jerr;
	json_t *p = params ? json_loads(params, 0, &jerr) : json_object();
	assert_non_null(p);
	json_object_set_new(p, "on", json_string(on));
	json_t *result = NULL;
	fh_error err = {0};
	int64_t events_before;
	{
		fh_arena a = ARENA_INIT;
		fh_case c;
		assert_int_equal(store_case_get(f->st, f->ref, &a, &c, &err), FH_OK);
		events_before = (int64_t)c.n_events;
		arena_free(&a);
	}
	fh_status s = store_case_act(f->st, f->ref, action, p, &cli_actor, d(on), &result, &err);
	json_decref(p);
	if (s != want || strcmp(err.field, field) || (source && !strstr(err.source, source)))
		fprintf(stderr, "# %s: got %s field '%s' source '%s': %s\n", action,
			error_status_name(s), err.field, err.source, err.message);
	assert_int_equal(s, want);
	assert_string_equal(err.field, field);
	if (source)
		assert_non_null(strstr(err.source, source));
	assert_true(strlen(err.message) > 10);
	/* nothing recorded */
	fh_arena a = ARENA_INIT;
	fh_case c;
	assert_int_equal(store_case_get(f->st, f->ref, &a, &c, &err), FH_OK);
	assert_int_equal((int64_t)c.n_events, events_before);
	arena_free(&a);
}

/* The due date of a clock now (stage 0: the case's own). */
static const char *due(fixture *f, int stage, const char *clock)
{
	static char buf[DATE_ISO_LEN];
	json_t *h;
	fh_error err = {0};
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2099-01-01"),
					      false, &h, &err), FH_OK);
	json_t *state = json_object_get(h, "state");
	json_t *clocks = stage ? json_object_get(json_array_get(json_object_get(state, "stages"),
								(size_t)stage - 1), "clocks")
			       : json_object_get(state, "clocks");
	const char *s = json_string_value(json_object_get(json_object_get(clocks, clock), "due"));
	snprintf(buf, sizeof buf, "%s", s ? s : "(none)");
	json_decref(h);
	return buf;
}

static const char *state_str(fixture *f, const char *key)
{
	static char buf[64];
	json_t *h;
	fh_error err = {0};
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2030-01-01"), false, &h, &err), FH_OK);
	json_t *v = json_object_get(json_object_get(h, "state"), key);
	if (json_is_integer(v))
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
	else
		snprintf(buf, sizeof buf, "%s", json_is_string(v) ? json_string_value(v) : "null");
	json_decref(h);
	return buf;
}

static void findings(fixture *f, const char *on, int points)
{
	for (int p = 1; p <= points; p++) {
		char params[256];
		snprintf(params, sizeof params,
			 "{\"point\": %d, \"outcome\": \"partly_upheld\", \"reasoning\": \"Records checked.\","
			 " \"outcome_response\": \"Agreed in part.\"}", p);
		act_ok(f, on, "record_finding", params);
	}
}

static const char *response_params =
	"{\"learning\": \"Tell families before changing worker.\","
	" \"actions\": [{\"action\": \"Team briefing\", \"owner\": \"tm@bct.demo\", \"due_on\": \"2028-12-31\"}]}";

/* ---- BCT statutory: all three stages (001 Section B) -------------------------- */

static void test_bct_statutory_three_stages(void **state)
{
	fixture *f = *state;
	record(f, "bct", "2026-12-18", true, 2);
	/* 000; 004: acknowledge within 2 working days of receipt, from receipt. */
	assert_string_equal(due(f, 0, "acknowledge"), "2026-12-22");
	act_ok(f, "2026-12-21", "acknowledge", NULL);
	act_ok(f, "2026-12-21", "triage", "{\"grounds_arose_on\": \"2026-11-01\", \"about_staff\": [\"tm@bct.demo\"]}");
	assert_string_equal(state_str(f, "route"), "statutory");

	/* 001 B Stage 1: 10 WD from acceptance; the clock waits for the child's
	 * consent (001 §7.4), which comes the next day: Christmas, Boxing Day
	 * (substitute Monday) and New Year's Day do not count. */
	act_ok(f, "2026-12-22", "accept", NULL);
	act_ok(f, "2026-12-23", "consent", "{\"consent\": \"given\"}");
	assert_string_equal(due(f, 1, "response"), "2027-01-11");

	/* 001 B Stage 1: extension to 20 WD only if complex or for an advocate. */
	refused(f, "2026-12-24", "extend", "{\"to\": 20, \"reason\": \"busy\", \"because\": \"workload\"}",
		FH_ERULE, "because", "001 B Stage 1");
	refused(f, "2026-12-24", "extend", "{\"to\": 21, \"reason\": \"advocate\", \"because\": \"advocate\"}",
		FH_ERULE, "to", "001 B Stage 1");
	act_ok(f, "2026-12-24", "extend", "{\"to\": 20, \"reason\": \"An advocate is being appointed.\", \"because\": \"advocate\"}");
	assert_string_equal(due(f, 1, "response"), "2027-01-25");

	/* 001 B Stage 1: the Team Manager complained about cannot adjudicate. */
	refused(f, "2026-12-24", "assign", "{\"role\": \"adjudicating_officer\", \"user\": \"tm@bct.demo\"}",
		FH_ERULE, "user", "001 B Stage 1");
	act_ok(f, "2026-12-24", "assign", "{\"role\": \"adjudicating_officer\", \"user\": \"other.tm@bct.demo\"}");

	/* DOMAIN §4: no response without a finding on every point and outcome,
	 * the learning, and actions with owners and dates. */
	refused(f, "2027-01-19", "issue_response", NULL, FH_ERULE, "response", "001 B Stage 1");
	act_ok(f, "2027-01-19", "record_finding", "{\"point\": 1, \"outcome\": \"upheld\", \"reasoning\": \"Cancelled twice.\"}");
	refused(f, "2027-01-19", "issue_response", response_params, FH_ERULE, "response", NULL);
	act_ok(f, "2027-01-19", "record_finding", "{\"point\": 1, \"outcome\": \"upheld\", \"reasoning\": \"Cancelled twice.\", \"outcome_response\": \"A plan by February.\"}");
	act_ok(f, "2027-01-19", "record_finding", "{\"point\": 2, \"outcome\": \"not_upheld\", \"reasoning\": \"Logs show calls returned.\"}");
	refused(f, "2027-01-20", "issue_response",
		"{\"learning\": \"x\", \"actions\": [{\"action\": \"Briefing\", \"due_on\": \"2027-02-01\"}]}",
		FH_ERULE, "response", NULL);
	/* With every finding in, only the response's own parameters are missing:
	 * a parameter problem, so the response is offered as allowed now. */
	refused(f, "2027-01-20", "issue_response", NULL, FH_EINVAL, "learning", "001 B Stage 1");
	refused(f, "2027-01-20", "issue_response", "{\"learning\": \"x\"}", FH_EINVAL, "actions",
		"001 B Stage 1");
	{
		json_t *life = NULL;
		fh_error lerr = {0};
		assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2027-01-20"), false,
						      &life, &lerr), FH_OK);
		bool offered = false;
		size_t i;
		json_t *name;
		json_array_foreach(json_object_get(life, "allowed"), i, name)
			offered |= strcmp(json_string_value(name), "issue_response") == 0;
		assert_true(offered);
		json_decref(life);
	}
	json_t *r = act(f, "2027-01-20", "issue_response", response_params);
	/* The escalation advice comes from the procedure: 20 WD ideally, one year at most. */
	const char *advice = json_string_value(json_object_get(json_object_get(r, "result"), "escalation_advice"));
	assert_non_null(strstr(advice, "within 20 working days of this response (by Wednesday 17 February 2027)"));
	assert_non_null(strstr(advice, "until Thursday 20 January 2028"));
	json_decref(r);

	/* 001 B Stage 2: asked within the ideal window; the 25 WD clock starts
	 * only when the Statement of Complaint is agreed. */
	refused(f, "2027-02-10", "request_escalation", NULL, FH_EINVAL, "reason", NULL);
	r = act(f, "2027-02-10", "request_escalation", "{\"reason\": \"The contact plan never came.\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "timing")), "in_time");
	json_decref(r);
	act_ok(f, "2027-02-12", "accept_escalation", NULL);
	assert_string_equal(due(f, 2, "response"), "(none)");
	refused(f, "2027-02-15", "agree_statement", NULL, FH_ERULE, "assignments", "001 B Stage 2");
	/* 001 §14.3: the case goes to the investigating officer and the
	 * independent person only once the customer's written, signed and dated
	 * consent to share is recorded, dated no later than the appointment. */
	refused(f, "2027-02-15", "assign", "{\"role\": \"investigating_officer\", \"user\": \"io@external.example\"}",
		FH_ERULE, "consent", "001 §14.3");
	refused(f, "2027-02-15", "assign", "{\"role\": \"independent_person\", \"user\": \"ip@external.example\"}",
		FH_ERULE, "consent", "001 §14.3");
	consent_to_share(f, "2027-02-16");
	refused(f, "2027-02-15", "assign", "{\"role\": \"investigating_officer\", \"user\": \"io@external.example\"}",
		FH_ERULE, "consent", "001 §14.3");
	act_ok(f, "2027-02-16", "assign", "{\"role\": \"investigating_officer\", \"user\": \"io@external.example\"}");
	act_ok(f, "2027-02-16", "assign", "{\"role\": \"independent_person\", \"user\": \"ip@external.example\"}");
	/* The Statement of Complaint sets out a point the customer raised at the
	 * meeting: it joins the case and needs its own finding (DOMAIN §4). */
	refused(f, "2027-02-19", "add_point", "{\"desired_outcome\": \"x\"}", FH_EINVAL, "summary", NULL);
	act_ok(f, "2027-02-19", "add_point", "{\"summary\": \"The review minutes were never sent\","
	       " \"desired_outcome\": \"The minutes\"}");
	act_ok(f, "2027-02-19", "agree_statement", NULL);
	/* Crosses Good Friday and Easter Monday 2027. */
	assert_string_equal(due(f, 2, "response"), "2027-03-30");

	/* 001 B Stage 2: at most 65 WD, and only after a written notice. */
	refused(f, "2027-03-25", "extend", "{\"to\": 66, \"reason\": \"complex\", \"because\": \"complex\", \"notice_on\": \"2027-03-25\"}",
		FH_ERULE, "to", "001 B Stage 2");
	refused(f, "2027-03-25", "extend", "{\"to\": 65, \"reason\": \"complex\", \"because\": \"complex\"}",
		FH_ERULE, "notice_on", "001 B Stage 2");
	act_ok(f, "2027-03-25", "extend", "{\"to\": 65, \"reason\": \"Many witnesses.\", \"because\": \"complex\", \"notice_on\": \"2027-03-24\"}");
	assert_string_equal(due(f, 2, "response"), "2027-05-26");

	act_ok(f, "2027-04-12", "record_report", "{\"kind\": \"io\", \"summary\": \"Findings on each point.\"}");
	refused(f, "2027-04-13", "issue_response", response_params, FH_ERULE, "response", "001 B Stage 2");
	act_ok(f, "2027-04-13", "record_report", "{\"kind\": \"ip\", \"summary\": \"Fair.\"}");
	act_ok(f, "2027-04-13", "record_report", "{\"kind\": \"addendum\", \"summary\": \"Supervision concerns about a named worker.\"}");
	findings(f, "2027-04-19", 2);
	refused(f, "2027-04-20", "issue_response", response_params, FH_ERULE, "response", "001 B Stage 2");
	findings(f, "2027-04-20", 3);
	act_ok(f, "2027-04-20", "issue_response", response_params);

	/* The confidential addendum never reaches the customer's view. */
	json_t *h;
	fh_error err = {0};
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2027-04-20"), true, &h, &err), FH_OK);
	char *text = json_dumps(h, 0);
	assert_null(strstr(text, "Supervision concerns"));
	free(text);
	json_decref(h);
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2027-04-20"), false, &h, &err), FH_OK);
	text = json_dumps(h, 0);
	assert_non_null(strstr(text, "Supervision concerns"));
	free(text);
	json_decref(h);

	/* 001 B Stage 3: panel within 30 WD of the valid request; papers not
	 * less than 10 WD before; exactly three members, one chairing, none of
	 * them the Stage 2 investigator (003 Stage 3 states the same rule). */
	r = act(f, "2027-05-20", "request_escalation", "{\"reason\": \"The investigation missed a point.\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "timing")), "late_accepted");
	json_decref(r);
	act_ok(f, "2027-05-20", "accept_escalation", NULL);
	assert_string_equal(due(f, 3, "panel"), "2027-07-02");
	refused(f, "2027-05-21", "schedule_panel", "{\"date\": \"2027-07-05\", \"place\": \"Room 1\"}",
		FH_ERULE, "date", "001 B Stage 3");
	r = act(f, "2027-05-21", "schedule_panel", "{\"date\": \"2027-06-09\", \"place\": \"Room 1\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "invite_by")), "2027-05-25");
	json_decref(r);
	refused(f, "2027-05-21", "assign", "{\"role\": \"panel_member\", \"user\": \"io@external.example\"}",
		FH_ERULE, "user", "001 B Stage 3");
	act_ok(f, "2027-05-21", "assign", "{\"role\": \"panel_member\", \"user\": \"chair@panel.example\", \"chair\": true}");
	refused(f, "2027-05-21", "assign", "{\"role\": \"panel_member\", \"user\": \"p2@panel.example\", \"chair\": true}",
		FH_ERULE, "chair", "001 B Stage 3");
	act_ok(f, "2027-05-21", "assign", "{\"role\": \"panel_member\", \"user\": \"p2@panel.example\"}");
	refused(f, "2027-05-24", "record_panel", NULL, FH_EINVAL, "on", NULL); /* before the panel date */
	act_ok(f, "2027-05-21", "assign", "{\"role\": \"panel_member\", \"user\": \"p3@panel.example\"}");
	refused(f, "2027-05-21", "assign", "{\"role\": \"panel_member\", \"user\": \"p4@panel.example\"}",
		FH_ERULE, "role", "001 B Stage 3");
	refused(f, "2027-05-26", "send_invitation", NULL, FH_ERULE, "on", "001 B Stage 3");
	act_ok(f, "2027-05-25", "send_invitation", NULL);
	act_ok(f, "2027-06-09", "record_panel", NULL);
	assert_string_equal(due(f, 3, "chair_report"), "2027-06-16");
	act_ok(f, "2027-06-14", "issue_chair_report", "{\"summary\": \"Stage 2 was adequate; two recommendations.\"}");
	assert_string_equal(due(f, 3, "response"), "2027-07-05");
	/* 001 B Stage 3: the panel cannot consider new complaints. */
	refused(f, "2027-06-30", "add_point", "{\"summary\": \"Something new\"}", FH_ERULE, "action", "001 B Stage 3");
	findings(f, "2027-06-30", 3);
	r = act(f, "2027-07-01", "issue_response", response_params);
	advice = json_string_value(json_object_get(json_object_get(r, "result"), "escalation_advice"));
	assert_non_null(strstr(advice, "Local Government and Social Care Ombudsman"));
	json_decref(r);
	refused(f, "2027-07-02", "request_escalation", "{\"reason\": \"x\"}", FH_ERULE, "action", "001 B");
	act_ok(f, "2027-07-05", "close", NULL);
	assert_string_equal(state_str(f, "status"), "closed");
	act_ok(f, "2027-09-01", "ombudsman", "{\"reference\": \"27 001 234\"}");
	act_ok(f, "2027-11-01", "ombudsman", "{\"outcome\": \"no_fault\"}");

	/* The history is whole and the chain verifies. */
	store_audit_report rep;
	assert_int_equal(store_audit_verify(f->st, &rep, &err), FH_OK);
}

/* Actions are dated: never before the last event, never in the future. */
static void test_dates_and_states_are_checked(void **state)
{
	fixture *f = *state;
	record(f, "bct", "2026-03-02", false, 1);
	refused(f, "2026-03-03", "accept", NULL, FH_ERULE, "route", NULL);
	act_ok(f, "2026-03-03", "triage", NULL);
	refused(f, "2026-03-01", "accept", NULL, FH_EINVAL, "on", NULL);
	refused(f, "2026-03-03", "issue_response", NULL, FH_ECONFLICT, "action", NULL);
	refused(f, "2026-03-03", "frobnicate", NULL, FH_EINVAL, "action", NULL);
	act_ok(f, "2026-03-03", "accept", NULL);
	refused(f, "2026-03-04", "accept", NULL, FH_ECONFLICT, "action", NULL);
	/* 001 §9.3, §9.4: suspended for proceedings; back within a year of their end. */
	act_ok(f, "2026-03-04", "suspend", "{\"proceedings\": \"court\", \"reason\": \"Care proceedings.\"}");
	assert_string_equal(state_str(f, "status"), "suspended");
	refused(f, "2027-04-01", "resume", "{\"proceedings_concluded_on\": \"2026-03-20\"}", FH_ERULE, "on", "001 §9.4");
	act_ok(f, "2026-04-01", "resume", "{\"proceedings_concluded_on\": \"2026-03-20\"}");
	/* Accepted 3 March; stopped 4 March, resumed 1 April: 4 March counts
	 * (day 1), 5 March to 1 April are lost, and days 2 to 10 run from 2
	 * April over Easter 2026 (Good Friday 3 April, Easter Monday 6 April). */
	assert_string_equal(due(f, 1, "response"), "2026-04-16");
	act_ok(f, "2026-04-02", "withdraw", "{\"reason\": \"Resolved informally.\"}");
	assert_string_equal(state_str(f, "status"), "withdrawn");
	refused(f, "2026-04-03", "close", NULL, FH_ECONFLICT, "action", NULL);
}

/* DOMAIN §2: the triage route and its reasons. */
static void test_triage_routes(void **state)
{
	fixture *f = *state;
	record(f, "bct", "2026-06-01", true, 1);
	/* 001 §9.1: more than a year after the grounds arose. */
	json_t *r = act(f, "2026-06-02", "triage", "{\"grounds_arose_on\": \"2025-05-01\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "route")), "not_considered");
	json_decref(r);
	refused(f, "2026-06-02", "accept", NULL, FH_ERULE, "route", NULL);
	act_ok(f, "2026-06-02", "decline", NULL);
	assert_string_equal(state_str(f, "status"), "closed");

	/* The same, accepted at the organisation's discretion with a reason. */
	record(f, "bct", "2026-06-01", true, 1);
	r = act(f, "2026-06-02", "triage", "{\"grounds_arose_on\": \"2025-05-01\", \"accept_late_reason\": \"Was in hospital.\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "route")), "statutory");
	json_decref(r);

	/* 001 §7.10: an adult's own service goes to the non-statutory procedure. */
	record(f, "bct", "2026-06-01", true, 1);
	act_ok(f, "2026-06-02", "triage", "{\"not_about_child\": true}");
	assert_string_equal(state_str(f, "route"), "non_statutory");
	act_ok(f, "2026-06-02", "accept", NULL);
	/* 001 C Stage 1: 20 WD from acceptance. */
	assert_string_equal(due(f, 1, "response"), "2026-06-30");

	/* 001 §7.3, §7.5: a grandmother needs the organisation's decision on
	 * her interest, recorded with its reason; refused, it is not considered. */
	{
		fh_party parties[2] = {
			{.role = "complainant", .relationship = "relative",
			 .person = {.given_name = "Edna", .family_name = "Khan"}},
			{.role = "child", .child_status = "looked_after",
			 .person = {.given_name = "Yusuf", .family_name = "Khan"}},
		};
		fh_case_input in = {.org_code = "bct", .kind = "complaint", .channel = "letter",
				    .received_on = "2026-06-01", .summary = "Visits stopped",
				    .n_parties = 2, .parties = parties};
		fh_error err = {0};
		assert_int_equal(store_case_create(f->st, &in, "test", f->ref, &err), FH_OK);
	}
	refused(f, "2026-06-02", "triage", NULL, FH_EINVAL, "sufficient_interest", "001 §7.3");
	refused(f, "2026-06-02", "triage", "{\"sufficient_interest\": \"refused\"}", FH_EINVAL,
		"sufficient_interest_reason", "001 §7.5");
	r = act(f, "2026-06-02", "triage", "{\"sufficient_interest\": \"refused\","
		" \"sufficient_interest_reason\": \"No contact with the child for six years.\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "route")), "not_considered");
	json_t *decision = json_object_get(json_object_get(json_object_get(r, "state"), "triage"),
					   "sufficient_interest");
	assert_string_equal(json_string_value(json_object_get(decision, "reason")),
			    "No contact with the child for six years.");
	json_decref(r);
	assert_string_equal(state_str(f, "route"), "not_considered");

	/* 001 §9.1 exclusions named by the team. */
	record(f, "bct", "2026-06-01", true, 1);
	refused(f, "2026-06-02", "triage", "{\"exclusions\": [\"bad_weather\"]}", FH_EINVAL, "exclusions", "001 §9.1");
	r = act(f, "2026-06-02", "triage", "{\"exclusions\": [\"child_protection_conference\"]}");
	assert_string_equal(state_str(f, "route"), "not_considered");
	/* issue 14 item 14: this bct has no file, so it words no reasons: the
	 * reason is recorded as its code in words, in nobody else's words. */
	json_t *reason = json_array_get(json_object_get(json_object_get(r, "result"), "reasons"), 0);
	assert_string_equal(json_string_value(json_object_get(reason, "code")), "child_protection_conference");
	assert_string_equal(json_string_value(json_object_get(reason, "text")), "child protection conference");
	assert_string_equal(json_string_value(json_object_get(reason, "source")), "");
	json_decref(r);
	/* With its file's words (001 §9.1 in orgs/demo/bct.json), the letter's words are its own. */
	assert_int_equal(test_raw_exec(f->path, "UPDATE organisations SET settings = '{\"policy\":"
		"{\"triage\":{\"source\":\"001 §9.1\",\"exclusions\":[{\"code\":"
		"\"child_protection_conference\",\"text\":\"Child Protection Conferences have their "
		"own procedure\",\"source\":\"001 §9.1\"}]}}}' WHERE code = 'bct'"), 0);
	record(f, "bct", "2026-06-01", true, 1);
	r = act(f, "2026-06-02", "triage", "{\"exclusions\": [\"child_protection_conference\"]}");
	reason = json_array_get(json_object_get(json_object_get(r, "result"), "reasons"), 0);
	assert_string_equal(json_string_value(json_object_get(reason, "text")),
			    "Child Protection Conferences have their own procedure");
	assert_string_equal(json_string_value(json_object_get(reason, "source")), "001 §9.1");
	json_decref(r);
}

/* issue 14 item 14: who may take each action is the organisation's, where
 * its file says (policy.actions); elsewhere the action's own roles. */
static void test_org_role_table(void **state)
{
	fixture *f = *state;
	record(f, "bct", "2026-06-01", false, 1);
	act_ok(f, "2026-06-02", "triage", NULL);
	static const char *const team[] = {"complaints_team"}, *const head[] = {"head_of_service"};
	const fh_actor officer = {.name = "co@bct", .n_roles = 1, .roles = team};
	const fh_actor hos = {.name = "hos@bct", .n_roles = 1, .roles = head};
	json_t *params = json_pack("{ss}", "on", "2026-06-03"), *result = NULL;
	fh_error err = {0};
	/* without a table: the complaints team accepts, a Head of Service may not */
	assert_int_equal(store_case_act(f->st, f->ref, "accept", params, &hos, d("2026-06-03"), &result,
					&err), FH_EFORBIDDEN);
	assert_int_equal(test_raw_exec(f->path, "UPDATE organisations SET settings ="
		" '{\"policy\":{\"actions\":{\"accept\":[\"head_of_service\"]}}}' WHERE code = 'bct'"), 0);
	assert_int_equal(store_case_act(f->st, f->ref, "accept", params, &officer, d("2026-06-03"),
					&result, &err), FH_EFORBIDDEN);
	assert_string_equal(err.source, "policy.actions");
	assert_non_null(strstr(err.message, "this organisation gives this action to head_of_service"));
	json_t *allowed = NULL;
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &officer, d("2026-06-03"), false, &allowed,
					      &err), FH_OK);
	char *names = json_dumps(json_object_get(allowed, "allowed"), JSON_COMPACT);
	assert_null(strstr(names, "\"accept\""));
	free(names);
	json_decref(allowed);
	assert_int_equal(store_case_act(f->st, f->ref, "accept", params, &hos, d("2026-06-03"), &result,
					&err), FH_OK);
	assert_string_equal(state_str(f, "status"), "open");
	json_decref(result);
	json_decref(params);
}

/* 001 §15: mediation is voluntary for both, ends with an action plan with
 * timescales, and what was said stays confidential. */
static void test_mediation(void **state)
{
	fixture *f = *state;
	record(f, "bct", "2026-06-01", false, 1);
	act_ok(f, "2026-06-02", "triage", NULL);
	act_ok(f, "2026-06-02", "accept", NULL);
	act_ok(f, "2026-06-03", "refer_mediation", "{\"offered_by\": \"organisation\"}");
	refused(f, "2026-06-04", "end_mediation", "{\"outcome\": \"resolved\"}", FH_ECONFLICT, "action", NULL);
	act_ok(f, "2026-06-04", "agree_mediation", "{\"party\": \"customer\"}");
	refused(f, "2026-06-10", "end_mediation", "{\"outcome\": \"resolved\"}", FH_ERULE, "action_plan", "001 §15.2");
	act_ok(f, "2026-06-10", "end_mediation",
	       "{\"outcome\": \"resolved\", \"notes\": \"Mother said the worker shouted.\","
	       " \"action_plan\": [{\"action\": \"Monthly contact review\", \"due_on\": \"2026-07-10\"}]}");
	json_t *h;
	fh_error err = {0};
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2026-06-10"), true, &h, &err), FH_OK);
	char *text = json_dumps(h, 0);
	assert_null(strstr(text, "shouted"));
	assert_non_null(strstr(text, "Monthly contact review"));
	free(text);
	json_decref(h);
	act_ok(f, "2026-06-11", "close", NULL);
}

/* 002: BCP asks for the child's consent before accepting; Stage 1 counts
 * from receipt; a late response needs a letter saying why and when. */
static void test_bcp_children_act(void **state)
{
	fixture *f = *state;
	record(f, "bcp", "2026-08-24", true, 1);
	act_ok(f, "2026-08-25", "acknowledge", NULL);
	act_ok(f, "2026-08-25", "triage", NULL);
	refused(f, "2026-08-25", "accept", NULL, FH_ERULE, "consent", "002");
	act_ok(f, "2026-08-26", "consent", "{\"consent\": \"given\"}");
	act_ok(f, "2026-08-26", "accept", NULL);
	/* 10 WD from receipt on 24 August, over the 31 August bank holiday. */
	assert_string_equal(due(f, 1, "response"), "2026-09-08");
	refused(f, "2026-09-07", "extend", "{\"to\": 20, \"reason\": \"complex\"}", FH_ERULE, "notice_on", "002 Stage 1");
	act_ok(f, "2026-09-07", "extend", "{\"to\": 20, \"reason\": \"Waiting for school records.\", \"notice_on\": \"2026-09-07\"}");
	assert_string_equal(due(f, 1, "response"), "2026-09-22");
	act_ok(f, "2026-09-07", "assign", "{\"role\": \"adjudicating_officer\", \"user\": \"tm@bcp.demo\"}");
	findings(f, "2026-09-18", 1);
	act_ok(f, "2026-09-18", "issue_response", response_params);
	/* 002 Stage 2: within 20 WD of the Stage 1 response, later only at discretion. */
	refused(f, "2026-10-19", "request_escalation", "{\"reason\": \"x\"}", FH_ERULE, "on", "002 Stage 2");
	json_t *r = act(f, "2026-10-19", "request_escalation", "{\"reason\": \"x\", \"override_reason\": \"Letter lost in the post.\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "timing")), "late_by_discretion");
	json_decref(r);
	act_ok(f, "2026-10-20", "accept_escalation", NULL);
	/* 25 WD from acceptance; up to 65 with a letter. */
	assert_string_equal(due(f, 2, "response"), "2026-11-24");
}

static void test_bcp_corporate(void **state)
{
	fixture *f = *state;
	record(f, "bcp", "2026-05-01", false, 1);
	act_ok(f, "2026-05-05", "triage", "{\"not_about_child\": true}");
	assert_string_equal(state_str(f, "route"), "non_statutory");
	act_ok(f, "2026-05-05", "accept", NULL);
	/* 002 Stage 1: 10 WD from receipt, over the Early May bank holiday (4 May). */
	assert_string_equal(due(f, 1, "response"), "2026-05-18");
	findings(f, "2026-05-15", 1);
	act_ok(f, "2026-05-15", "issue_response", response_params);
	act_ok(f, "2026-05-20", "request_escalation", "{\"reason\": \"x\"}");
	act_ok(f, "2026-05-20", "accept_escalation", NULL);
	act_ok(f, "2026-05-20", "assign", "{\"role\": \"reviewing_officer\", \"user\": \"ro@bcp.demo\"}");
	/* 25 WD from acceptance, over the Spring bank holiday (25 May). */
	assert_string_equal(due(f, 2, "response"), "2026-06-25");
	findings(f, "2026-06-20", 1);
	json_t *r = act(f, "2026-06-22", "issue_response", response_params);
	/* No Stage 3 in the corporate procedure: the Ombudsman is next. */
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(r, "result"), "escalation_advice")),
			       "Ombudsman"));
	json_decref(r);
	refused(f, "2026-06-23", "request_escalation", "{\"reason\": \"x\"}", FH_ERULE, "action", "002");
	act_ok(f, "2026-06-23", "close", NULL);
}

/* 003: BCCC counts in calendar weeks; a late reply needs a Progress Report
 * with a new date; Stage 3 is a panel of three trustees, final, then NACCC. */
static void test_bccc_weeks(void **state)
{
	fixture *f = *state;
	record(f, "bccc", "2026-12-21", false, 1);
	/* Stage 1 acknowledgement within 1 week of receipt: Christmas counts. */
	assert_string_equal(due(f, 0, "acknowledge"), "2026-12-28");
	act_ok(f, "2026-12-22", "acknowledge", NULL);
	act_ok(f, "2026-12-22", "triage", NULL);
	act_ok(f, "2026-12-22", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2027-01-18");
	refused(f, "2027-01-15", "extend", "{\"reason\": \"volunteer away\", \"new_due\": \"2027-01-29\"}",
		FH_ERULE, "notice_on", "003 Stage 1");
	act_ok(f, "2027-01-15", "extend", "{\"reason\": \"A volunteer is away.\", \"new_due\": \"2027-01-29\", \"notice_on\": \"2027-01-15\"}");
	assert_string_equal(due(f, 1, "response"), "2027-01-29");
	findings(f, "2027-01-27", 1);
	act_ok(f, "2027-01-27", "issue_response", response_params);
	/* Within 2 weeks of the Stage 1 reply (by 10 February). */
	refused(f, "2027-02-11", "request_escalation", "{\"reason\": \"x\"}", FH_ERULE, "on", "003 Stage 2");
	act_ok(f, "2027-02-10", "request_escalation", "{\"reason\": \"x\"}");
	/* Stage 2 acknowledgement in 1 week, reply in 4 weeks, from the request. */
	assert_string_equal(due(f, 2, "acknowledge"), "2027-02-17");
	assert_string_equal(due(f, 2, "response"), "2027-03-10");
	act_ok(f, "2027-02-11", "acknowledge", NULL);
	act_ok(f, "2027-02-11", "accept_escalation", NULL);
	act_ok(f, "2027-02-11", "assign", "{\"role\": \"investigating_officer\", \"user\": \"trustee1@bccc.demo\"}");
	findings(f, "2027-03-01", 1);
	act_ok(f, "2027-03-01", "issue_response", response_params);
	act_ok(f, "2027-03-08", "request_escalation", "{\"reason\": \"x\"}");
	act_ok(f, "2027-03-08", "accept_escalation", NULL);
	assert_string_equal(due(f, 3, "response"), "2027-04-05");
	/* 003 Stage 3: the panel excludes whoever investigated at Stage 2. */
	refused(f, "2027-03-09", "assign", "{\"role\": \"panel_member\", \"user\": \"trustee1@bccc.demo\"}",
		FH_ERULE, "user", "003 Stage 3");
	act_ok(f, "2027-03-09", "assign", "{\"role\": \"panel_member\", \"user\": \"trustee2@bccc.demo\"}");
	act_ok(f, "2027-03-09", "assign", "{\"role\": \"panel_member\", \"user\": \"trustee3@bccc.demo\"}");
	act_ok(f, "2027-03-09", "schedule_panel", "{\"date\": \"2027-03-20\", \"place\": \"Centre\"}");
	refused(f, "2027-03-20", "record_panel", NULL, FH_ERULE, "panel", "003 Stage 3");
	act_ok(f, "2027-03-10", "assign", "{\"role\": \"panel_member\", \"user\": \"trustee4@bccc.demo\"}");
	act_ok(f, "2027-03-20", "record_panel", NULL);
	findings(f, "2027-03-25", 1);
	json_t *r = act(f, "2027-03-25", "issue_response", response_params);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(r, "result"), "escalation_advice")),
			       "NACCC"));
	json_decref(r);
	act_ok(f, "2027-03-26", "close", NULL);
}

/* 004: acknowledgement 2 WD, Stage 1 10 WD from receipt (complex 20),
 * Stage 2 with an Investigating Officer and Independent Person. */
static void test_example_statutory(void **state)
{
	fixture *f = *state;
	record(f, "example", "2027-03-24", false, 1);
	assert_string_equal(due(f, 0, "acknowledge"), "2027-03-30"); /* over Easter 2027 */
	act_ok(f, "2027-03-25", "acknowledge", NULL);
	act_ok(f, "2027-03-25", "triage", NULL);
	act_ok(f, "2027-03-25", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2027-04-09");
	act_ok(f, "2027-04-08", "extend", "{\"to\": 20, \"reason\": \"Several services.\", \"because\": \"complex\"}");
	assert_string_equal(due(f, 1, "response"), "2027-04-23");
	findings(f, "2027-04-20", 1);
	act_ok(f, "2027-04-20", "issue_response", response_params);
	act_ok(f, "2027-04-22", "request_escalation", "{\"reason\": \"x\"}");
	act_ok(f, "2027-04-23", "accept_escalation", NULL);
	refused(f, "2027-04-23", "agree_statement", NULL, FH_ERULE, "action", "004");
	act_ok(f, "2027-04-23", "assign", "{\"role\": \"investigating_officer\", \"user\": \"io@example.demo\"}");
	findings(f, "2027-05-20", 1);
	refused(f, "2027-05-20", "issue_response", response_params, FH_ERULE, "response", "004");
	act_ok(f, "2027-05-20", "assign", "{\"role\": \"independent_person\", \"user\": \"ip@example.demo\"}");
	act_ok(f, "2027-05-20", "record_report", "{\"kind\": \"io\", \"summary\": \"r\"}");
	act_ok(f, "2027-05-20", "record_report", "{\"kind\": \"ip\", \"summary\": \"r\"}");
	act_ok(f, "2027-05-21", "issue_response", response_params);
	act_ok(f, "2027-06-30", "close", NULL);
}

static void test_example_corporate(void **state)
{
	fixture *f = *state;
	record(f, "example", "2026-12-23", true, 2);
	act_ok(f, "2026-12-24", "triage", "{\"not_about_child\": true}");
	act_ok(f, "2026-12-24", "accept", NULL);
	/* 10 WD from 23 December 2026. */
	assert_string_equal(due(f, 1, "response"), "2027-01-11");
	act_ok(f, "2027-01-04", "withdraw_point", "{\"point\": 2}");
	findings(f, "2027-01-08", 1); /* point 2 was withdrawn: no finding needed */
	act_ok(f, "2027-01-08", "issue_response", response_params);
	act_ok(f, "2027-01-20", "request_escalation", "{\"reason\": \"x\"}");
	act_ok(f, "2027-01-20", "accept_escalation", NULL);
	assert_string_equal(due(f, 2, "response"), "2027-02-17");
	act_ok(f, "2027-01-20", "assign", "{\"role\": \"reviewing_officer\", \"user\": \"ro@example.demo\"}");
	findings(f, "2027-02-10", 1);
	act_ok(f, "2027-02-10", "issue_response", response_params);
	act_ok(f, "2027-03-20", "close", NULL);
}

/* 001 Section C: Stage 2 is a review by the Reviewing Officer, 25 WD from acceptance. */
static void test_bct_non_statutory(void **state)
{
	fixture *f = *state;
	record(f, "bct", "2026-07-01", false, 1);
	act_ok(f, "2026-07-02", "triage", "{\"not_about_child\": true}");
	act_ok(f, "2026-07-02", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2026-07-30");
	findings(f, "2026-07-29", 1);
	act_ok(f, "2026-07-29", "issue_response", response_params);
	act_ok(f, "2026-08-10", "request_escalation", "{\"reason\": \"x\"}");
	act_ok(f, "2026-08-11", "accept_escalation", NULL);
	/* 25 WD from 11 August over the Summer bank holiday (31 August). */
	assert_string_equal(due(f, 2, "response"), "2026-09-16");
	refused(f, "2026-08-12", "extend", "{\"to\": 30, \"reason\": \"x\"}", FH_ERULE, "clock", "001 C Stage 2");
	findings(f, "2026-09-10", 1);
	act_ok(f, "2026-09-10", "issue_response", response_params);
	act_ok(f, "2026-10-10", "close", NULL);
}

/* The procedure files: every shipped one is valid; a broken one is refused
 * with every problem and its path. */
static void test_procedure_files(void **state)
{
	(void)state;
	fh_procedure *p;
	proc_problems problems;
	fh_error err = {0};
	const char *bad = "{\"code\": \"X Y\", \"version\": 0, \"org\": \"bct\", \"name\": \"n\","
			  " \"route\": \"sideways\", \"source\": \"s\", \"colour\": 1,"
			  " \"stages\": [{\"number\": 1, \"name\": \"one\", \"responder\": \"wizard\","
			  " \"response\": {\"from\": \"accepted\", \"unit\": \"fortnights\", \"length\": 10,"
			  " \"extend_to\": 5, \"source\": \"s\"}, \"response_requires\": [\"magic\"],"
			  " \"consent_to_share\": {\"before_assigning\": [\"druid\"], \"when\": 1},"
			  " \"source\": \"s\"}]}";
	assert_int_equal(procedure_parse(bad, &p, &problems, &err), FH_EINVAL);
	const char *want[] = {"colour", "code", "version", "route", "stages[0].responder",
			      "stages[0].response.unit", "stages[0].response.extend_to",
			      "stages[0].response_requires[0]", "final_resort",
			      /* 001 §14.3: the consent to share rule's roles and source */
			      "stages[0].consent_to_share.before_assigning[0]",
			      "stages[0].consent_to_share.when", "stages[0].consent_to_share.source"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		bool found = false;
		for (size_t k = 0; k < problems.count; k++)
			found |= !strcmp(problems.items[k].path, want[i]);
		if (!found)
			fprintf(stderr, "# no problem reported at %s\n", want[i]);
		assert_true(found);
	}
	assert_int_equal(procedure_parse("{\"code\": ", &p, &problems, &err), FH_EINVAL);
	assert_int_equal(problems.count, 1);
}

/* A changed procedure is a new version; cases keep the version they started under. */
static void test_procedure_versions(void **state)
{
	fixture *f = *state;
	record(f, "bct", "2026-06-01", false, 1);
	act_ok(f, "2026-06-02", "triage", NULL);
	act_ok(f, "2026-06-02", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2026-06-16");
	fh_procedure *p;
	fh_error err = {0};
	assert_int_equal(store_procedure_get(f->st, "bct-statutory", 0, &p, &err), FH_OK);
	json_t *doc = json_deep_copy(p->doc);
	procedure_free(p);
	json_t *stage1 = json_array_get(json_object_get(doc, "stages"), 0);
	json_object_set_new(json_object_get(stage1, "response"), "length", json_integer(5));
	char *text = json_dumps(doc, 0);
	proc_problems problems;
	int version;
	bool changed;
	assert_int_equal(store_procedure_install(f->st, text, "test", &version, &changed, &problems, &err), FH_ECONFLICT);
	assert_string_equal(err.field, "version");
	free(text);
	int next = (int)json_integer_value(json_object_get(doc, "version")) + 1;
	json_object_set_new(doc, "version", json_integer(next));
	text = json_dumps(doc, 0);
	assert_int_equal(store_procedure_install(f->st, text, "test", &version, &changed, &problems, &err), FH_OK);
	assert_true(changed);
	assert_int_equal(version, next);
	free(text);
	json_decref(doc);
	/* The running case still has 10 WD; a new one gets 5. */
	act_ok(f, "2026-06-03", "acknowledge", NULL);
	assert_string_equal(due(f, 1, "response"), "2026-06-16");
	record(f, "bct", "2026-06-01", false, 1);
	act_ok(f, "2026-06-02", "triage", NULL);
	act_ok(f, "2026-06-02", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2026-06-09");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_bct_statutory_three_stages),
		T(test_dates_and_states_are_checked),
		T(test_triage_routes),
		T(test_org_role_table),
		T(test_mediation),
		T(test_bcp_children_act),
		T(test_bcp_corporate),
		T(test_bccc_weeks),
		T(test_example_statutory),
		T(test_example_corporate),
		T(test_bct_non_statutory),
		cmocka_unit_test(test_procedure_files),
		T(test_procedure_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
