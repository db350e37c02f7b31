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
#include "store_calendar.h"
#include "store_event.h"
#include "store_lifecycle.h"
#include "store_letter.h"
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
	/* The people the scenarios assign (issue 14 item 4: only users of the
	 * case's organisation; independent ones where the procedure says so). */
	static const struct { const char *email, *org, *role; bool independent; } staff[] = {
		{"tm@bct.demo", "bct", "adjudicating_officer", false},
		{"ind.ao@bct.demo", "bct", "adjudicating_officer", true},
		{"director@bct.demo", "bct", "leadership", true},
		{"other.tm@bct.demo", "bct", "adjudicating_officer", false},
		{"io@external.example", "bct", "investigating_officer", true},
		{"ip@external.example", "bct", "independent_person", true},
		{"chair@panel.example", "bct", "panel_member", true},
		{"p2@panel.example", "bct", "panel_member", true},
		{"p3@panel.example", "bct", "panel_member", true},
		{"p4@panel.example", "bct", "panel_member", true},
		{"tm@bcp.demo", "bcp", "adjudicating_officer", false},
		{"ro@bcp.demo", "bcp", "reviewing_officer", false},
		{"trustee1@bccc.demo", "bccc", "investigating_officer", false},
		{"trustee2@bccc.demo", "bccc", "panel_member", false},
		{"trustee3@bccc.demo", "bccc", "panel_member", false},
		{"trustee4@bccc.demo", "bccc", "panel_member", false},
		{"io@example.demo", "example", "investigating_officer", false},
		{"ip@example.demo", "example", "independent_person", true},
		{"ro@example.demo", "example", "reviewing_officer", false},
	};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
		fh_user u = {.email = staff[i].email, .display_name = staff[i].email};
		assert_int_equal(store_user_create(st, &u, "test", NULL, &err), FH_OK);
		assert_int_equal(store_user_grant(st, staff[i].email, staff[i].org, staff[i].role, NULL,
						  "test", &err), FH_OK);
		if (staff[i].independent)
			assert_int_equal(store_user_set_independent(st, staff[i].email, staff[i].org,
								    true, "test", &err), FH_OK);
	}
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

/* The last refusal refused() saw, so a test can check its words. */
static fh_error last_refusal;

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
	last_refusal = err;
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

/* How many open deadlines (dashboards: lifecycle_deadlines) the case has for clock, today. */
static int open_clocks(fixture *f, const char *today, const char *clock)
{
	json_t *h;
	fh_error err = {0};
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d(today), false, &h, &err), FH_OK);
	int n = 0;
	size_t i;
	json_t *dl;
	json_array_foreach(json_object_get(h, "deadlines"), i, dl)
		n += !strcmp(json_string_value(json_object_get(dl, "clock")), clock);
	json_decref(h);
	return n;
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
	/* a second adjudicating officer, whom an administrator has marked
	 * independent: still barred from the panel later (reg 19(2)-(3)) */
	act_ok(f, "2026-12-24", "assign", "{\"role\": \"adjudicating_officer\", \"user\": \"ind.ao@bct.demo\"}");
	/* 001 B has no duty to record the response of the person complained
	 * about (003's is its own): the action is refused here */
	refused(f, "2026-12-24", "record_subject_response", "{\"person\": \"tm@bct.demo\", \"told_on\": \"2026-12-24\"}",
		FH_ERULE, "action", "001 B Stage 1");

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
	assert_non_null(strstr(advice, "within 20 working days of receiving this response (by Wednesday 17 February 2027)"));
	assert_non_null(strstr(advice, "until Thursday 20 January 2028"));
	json_decref(r);

	/* 001 B Stage 2: asked within the ideal window; the 25 WD clock starts
	 * only when the Statement of Complaint is agreed. */
	refused(f, "2027-02-10", "request_escalation", NULL, FH_EINVAL, "reason", NULL);
	r = act(f, "2027-02-10", "request_escalation", "{\"reason\": \"The contact plan never came.\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "timing")), "in_time");
	json_decref(r);
	/* 000 "Stage Two": the Stage 2 request is acknowledged within two
	 * working days (Wednesday's request by Friday). */
	assert_string_equal(due(f, 2, "acknowledge"), "2027-02-12");
	act_ok(f, "2027-02-11", "acknowledge", NULL);
	assert_string_equal(due(f, 2, "acknowledge"), "2027-02-12");
	assert_int_equal(open_clocks(f, "2027-02-11", "acknowledge"), 0);
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
	/* Issue 14 item 4 (16 item 7): only a user of this organisation is
	 * assigned; the Stage 2 Investigating Officer and Independent Person
	 * must be ones an administrator marked independent of it (001 B Stage 2
	 * "appoint an independent Investigating Officer and Independent Person"). */
	refused(f, "2027-02-16", "assign", "{\"role\": \"investigating_officer\", \"user\": \"nobody@nowhere.example\"}",
		FH_EINVAL, "user", NULL);
	assert_non_null(strstr(last_refusal.message, "nobody@nowhere.example is not a user"));
	refused(f, "2027-02-16", "assign", "{\"role\": \"investigating_officer\", \"user\": \"tm@bcp.demo\"}",
		FH_ERULE, "user", NULL);
	assert_non_null(strstr(last_refusal.message, "not a user of this organisation"));
	refused(f, "2027-02-16", "assign", "{\"role\": \"investigating_officer\", \"user\": \"other.tm@bct.demo\"}",
		FH_ERULE, "user", "001 B Stage 2");
	assert_non_null(strstr(last_refusal.message, "must be independent of the organisation"));
	refused(f, "2027-02-16", "assign", "{\"role\": \"independent_person\", \"user\": \"other.tm@bct.demo\"}",
		FH_ERULE, "user", "001 B Stage 2");
	/* nor anyone the complaint is about, whatever the role (reg 19; 001 B) */
	refused(f, "2027-02-16", "assign", "{\"role\": \"independent_person\", \"user\": \"tm@bct.demo\"}",
		FH_ERULE, "user", NULL);
	assert_non_null(strstr(last_refusal.message, "is complained about"));
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
	{
		/* the Assistant Director adjudicates Stage 2 (001 B Stage 2) */
		static const fh_actor director = {.name = "director@bct.demo", .all_roles = true};
		json_t *p = json_loads(response_params, 0, NULL);
		json_object_set_new(p, "on", json_string("2027-04-20"));
		json_t *res = NULL;
		fh_error aerr = {0};
		assert_int_equal(store_case_act(f->st, f->ref, "issue_response", p, &director,
						d("2027-04-20"), &res, &aerr), FH_OK);
		json_decref(p);
		json_decref(res);
	}

	/* Issue 14 item 11, 000 "The outcome of your complaint": "a copy of the
	 * independent investigation officer's report and a letter of response";
	 * the confidential addendum (001 B Stage 2) stays out of the letter. */
	{
		static const char *const dirs[] = {FH_LETTERS_DIR, NULL};
		const char *variants[] = {NULL, "plain", "child"};
		for (size_t v = 0; v < 3; v++) {
			store_letter_request req = {.reference = f->ref, .kind = "stage_response",
						    .variant = variants[v], .stage = 2,
						    .template_dirs = dirs, .dry_run = true};
			fh_arena la = ARENA_INIT;
			store_letter out;
			fh_error lerr = {0};
			fh_status ls = store_letter_issue(f->st, &req, &cli_actor, d("2027-04-20"), &la, &out, &lerr);
			if (ls)
				fprintf(stderr, "# letter: %s: %s (%s)\n", lerr.field, lerr.message, lerr.source);
			assert_int_equal(ls, FH_OK);
			assert_non_null(strstr(out.document, "Findings on each point."));
			assert_non_null(strstr(out.document, "Investigating Officer's report"));
			assert_null(strstr(out.document, "Supervision concerns"));
			/* only the IO's report is enclosed here (000 names it alone) */
			assert_null(strstr(out.document, "Independent Person's report"));
			arena_free(&la);
		}
		json_t *life = NULL;
		fh_error lerr = {0};
		assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2027-04-20"), true,
						      &life, &lerr), FH_OK);
		json_t *resp = json_object_get(json_array_get(json_object_get(json_object_get(life, "state"),
			"stages"), 1), "response");
		assert_string_equal(json_string_value(json_array_get(json_object_get(resp, "encloses"), 0)), "io");
		assert_int_equal(json_array_size(json_object_get(resp, "encloses")), 1);
		json_decref(life);
	}

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
	/* 001 B Stage 3; reg 19(4): the 30 WD run from receipt of the valid
	 * request (20 May), not from its acceptance (24 May: 6 July). */
	act_ok(f, "2027-05-24", "accept_escalation", NULL);
	assert_string_equal(due(f, 3, "panel"), "2027-07-02");
	refused(f, "2027-05-24", "schedule_panel", "{\"date\": \"2027-07-05\", \"place\": \"Room 1\"}",
		FH_ERULE, "date", "001 B Stage 3");
	r = act(f, "2027-05-24", "schedule_panel", "{\"date\": \"2027-06-09\", \"place\": \"Room 1\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "invite_by")), "2027-05-25");
	json_decref(r);
	refused(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"io@external.example\"}",
		FH_ERULE, "user", "001 B Stage 3");
	/* Relying on reg 19(2)-(3) as the issue cites it and on
	 * 001 B Stage 3 ("three independent people") and 000 ("independent of
	 * the Birmingham Children's Trust"): no member is the Stage 2
	 * Independent Person, the Stage 1 adjudicating officer, the Stage 2
	 * adjudicator, anyone complained about, or anyone not independent. */
	refused(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"ip@external.example\"}",
		FH_ERULE, "user", "reg 19(2)-(3)");
	assert_non_null(strstr(last_refusal.message, "was the independent_person at stage 2"));
	refused(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"ind.ao@bct.demo\"}",
		FH_ERULE, "user", "reg 19(2)-(3)");
	assert_non_null(strstr(last_refusal.message, "was the adjudicating_officer at stage 1"));
	refused(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"director@bct.demo\"}",
		FH_ERULE, "user", "reg 19(2)-(3)");
	assert_non_null(strstr(last_refusal.message, "was the responder at stage 2"));
	refused(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"tm@bct.demo\"}",
		FH_ERULE, "user", "reg 19(2)-(3)");
	assert_non_null(strstr(last_refusal.message, "is complained about"));
	refused(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"other.tm@bct.demo\"}",
		FH_ERULE, "user", "001 B Stage 3 (\"three independent people\")");
	refused(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"tm@bcp.demo\"}",
		FH_ERULE, "user", NULL);
	act_ok(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"chair@panel.example\", \"chair\": true}");
	refused(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"p2@panel.example\", \"chair\": true}",
		FH_ERULE, "chair", "001 B Stage 3");
	act_ok(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"p2@panel.example\"}");
	refused(f, "2027-05-24", "record_panel", NULL, FH_EINVAL, "on", NULL); /* before the panel date */
	act_ok(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"p3@panel.example\"}");
	refused(f, "2027-05-24", "assign", "{\"role\": \"panel_member\", \"user\": \"p4@panel.example\"}",
		FH_ERULE, "role", "001 B Stage 3");
	refused(f, "2027-05-26", "send_invitation", NULL, FH_ERULE, "on", "001 B Stage 3");
	act_ok(f, "2027-05-25", "send_invitation", NULL);
	/* 001 B Stage 3: a panel moved after its invitation needs a new one, in
	 * time for the new date: the invitation sent for 9 June does not count
	 * for 16 June, and the one for 16 June is due by 2 June. */
	r = act(f, "2027-05-26", "schedule_panel", "{\"date\": \"2027-06-16\", \"place\": \"Room 2\"}");
	assert_true(json_is_true(json_object_get(json_object_get(r, "result"), "new_invitation_needed")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "invite_by")), "2027-06-02");
	json_decref(r);
	refused(f, "2027-06-16", "record_panel", NULL, FH_ERULE, "invitation", "001 B Stage 3");
	refused(f, "2027-06-03", "send_invitation", NULL, FH_ERULE, "on", "001 B Stage 3");
	/* Back to 9 June: the invitation sent for it counts again. */
	act_ok(f, "2027-05-27", "schedule_panel", "{\"date\": \"2027-06-09\", \"place\": \"Room 1\"}");
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

	/* Issue 14 item 13, 001 Appendix A: the restriction letter gives the
	 * right of appeal and the senior manager's 10 working days to answer
	 * (Level 3), and no time limit for appealing, which the policy does not set. */
	{
		static const char *const dirs[] = {FH_LETTERS_DIR, NULL};
		json_t *given = json_pack("{ss ss ss ss}", "behaviour", "Forty calls a day to the team.",
					  "restrictions", "One call a week, to a named officer.",
					  "period", "3 months", "review_on", "2027-12-01");
		const char *variants[] = {NULL, "plain"};
		for (size_t v = 0; v < 2; v++) {
			store_letter_request req = {.reference = f->ref, .kind = "behaviour_restriction",
						    .variant = variants[v], .values = given,
						    .template_dirs = dirs, .dry_run = true};
			fh_arena la = ARENA_INIT;
			store_letter out;
			fh_error lerr = {0};
			assert_int_equal(store_letter_issue(f->st, &req, &cli_actor, d("2027-11-01"), &la,
							    &out, &lerr), FH_OK);
			assert_non_null(strstr(out.document, "appeal"));
			assert_non_null(strstr(out.document, "reply within 10 working days"));
			assert_null(strstr(out.document, "Write to us within"));
			assert_null(strstr(out.document, "write to us within"));
			assert_null(strstr(out.document, "was not involved"));
			arena_free(&la);
		}
		json_decref(given);
	}

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

/*
 * Issue 14 item 12, 003 Stage 1: "if it relates to a specific person or
 * persons, they will be informed and given an opportunity to respond"; 003
 * Stage 2: "they should be informed and be allowed further opportunity to
 * respond".  The reply describes the "action taken to investigate it", so
 * the response waits until the telling is recorded.
 */
static void test_bccc_person_complained_about(void **state)
{
	fixture *f = *state;
	record(f, "bccc", "2027-01-04", false, 1);
	act_ok(f, "2027-01-05", "acknowledge", NULL);
	act_ok(f, "2027-01-05", "triage", "{\"about_staff\": [\"volunteer@bccc.demo\"]}");
	act_ok(f, "2027-01-05", "accept", NULL);
	findings(f, "2027-01-20", 1);
	refused(f, "2027-01-20", "issue_response", response_params, FH_ERULE, "response", "003 Stage 1");
	assert_non_null(strstr(last_refusal.message, "volunteer@bccc.demo has not been told of the complaint"));
	{
		json_t *life = NULL;
		fh_error lerr = {0};
		assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2027-01-20"), false,
						      &life, &lerr), FH_OK);
		json_t *m = json_array_get(json_object_get(life, "missing"), 0);
		assert_string_equal(json_string_value(json_object_get(m, "field")), "person");
		assert_non_null(strstr(json_string_value(json_object_get(m, "source")), "003 Stage 1"));
		json_decref(life);
	}
	refused(f, "2027-01-20", "record_subject_response", "{\"person\": \"someone@else.example\", \"told_on\": \"2027-01-12\"}",
		FH_EINVAL, "person", "003 Stage 1");
	refused(f, "2027-01-20", "record_subject_response", "{\"person\": \"volunteer@bccc.demo\", \"told_on\": \"2027-01-21\"}",
		FH_EINVAL, "told_on", NULL);
	refused(f, "2027-01-20", "record_subject_response", "{\"person\": \"volunteer@bccc.demo\"}",
		FH_EINVAL, "told_on", NULL);
	act_ok(f, "2027-01-20", "record_subject_response", "{\"person\": \"volunteer@bccc.demo\","
	       " \"told_on\": \"2027-01-12\", \"response\": \"Says the session ended early on the coordinator's instruction.\"}");
	json_t *r = act(f, "2027-01-20", "issue_response", response_params);
	json_t *told = json_object_get(json_object_get(json_array_get(json_object_get(
		json_object_get(r, "state"), "stages"), 0), "subject_responses"), "volunteer@bccc.demo");
	assert_string_equal(json_string_value(json_object_get(told, "told_on")), "2027-01-12");
	json_decref(r);
	/* what they answered is theirs: not in the customer's view */
	json_t *h;
	fh_error err = {0};
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2027-01-20"), true, &h, &err), FH_OK);
	char *text = json_dumps(h, 0);
	assert_null(strstr(text, "coordinator's instruction"));
	assert_non_null(strstr(text, "2027-01-12"));
	free(text);
	json_decref(h);
	/* Stage 2 asks again: "further opportunity to respond" (003 Stage 2) */
	act_ok(f, "2027-01-25", "request_escalation", "{\"reason\": \"x\"}");
	act_ok(f, "2027-01-25", "accept_escalation", NULL);
	act_ok(f, "2027-01-25", "assign", "{\"role\": \"investigating_officer\", \"user\": \"trustee1@bccc.demo\"}");
	findings(f, "2027-02-08", 1);
	refused(f, "2027-02-08", "issue_response", response_params, FH_ERULE, "response", "003 Stage 2");
	act_ok(f, "2027-02-08", "record_subject_response", "{\"person\": \"volunteer@bccc.demo\", \"told_on\": \"2027-02-01\"}");
	act_ok(f, "2027-02-08", "issue_response", response_params);
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
	act_ok(f, "2026-07-02", "assign", "{\"role\": \"adjudicating_officer\", \"user\": \"other.tm@bct.demo\"}");
	findings(f, "2026-07-29", 1);
	act_ok(f, "2026-07-29", "issue_response", response_params);
	act_ok(f, "2026-08-10", "request_escalation", "{\"reason\": \"x\"}");
	act_ok(f, "2026-08-11", "accept_escalation", NULL);
	/* Issue 14 item 10, 001 C Stage 2: "completed by the line manager of the
	 * stage 1 Adjudicating Officer or by the Customer Relations Service":
	 * someone other than the Stage 1 adjudicator reviews it. */
	refused(f, "2026-08-11", "assign", "{\"role\": \"reviewing_officer\", \"user\": \"other.tm@bct.demo\"}",
		FH_ERULE, "user", "001 C Stage 2");
	assert_non_null(strstr(last_refusal.message, "was the adjudicating_officer at stage 1"));
	act_ok(f, "2026-08-11", "assign", "{\"role\": \"reviewing_officer\", \"user\": \"tm@bct.demo\"}");
	/* 25 WD from 11 August over the Summer bank holiday (31 August). */
	assert_string_equal(due(f, 2, "response"), "2026-09-16");
	refused(f, "2026-08-12", "extend", "{\"to\": 30, \"reason\": \"x\"}", FH_ERULE, "clock", "001 C Stage 2");
	findings(f, "2026-09-10", 1);
	act_ok(f, "2026-09-10", "issue_response", response_params);
	act_ok(f, "2026-10-10", "close", NULL);
}

/* ---- issue 14: the clocks that were wrong in law ------------------------------ */

/* The deadline of clock at stage in the dashboards' list (lifecycle_deadlines) on today. */
static json_t *deadline(fixture *f, const char *today, int stage, const char *clock)
{
	json_t *h;
	fh_error err = {0};
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d(today), false, &h, &err), FH_OK);
	json_t *found = NULL;
	size_t i;
	json_t *dl;
	json_array_foreach(json_object_get(h, "deadlines"), i, dl)
		if (json_integer_value(json_object_get(dl, "stage")) == stage &&
		    !strcmp(json_string_value(json_object_get(dl, "clock")), clock))
			found = json_incref(dl);
	json_decref(h);
	assert_non_null(found);
	return found;
}

/* 001 §7.4; 000 "Friends or relatives": no clock stops for good. */
static void test_consent_001_7_4_no_clock_stops_for_good(void **state)
{
	fixture *f = *state;
	/* A wait for the child's answer stops the Stage 1 clock only for the
	 * procedure's consent_wait_limit (BCT: 20 WD, from acceptance on 22
	 * December to 22 January 2027); then the 10 WD run: 5 February. */
	record(f, "bct", "2026-12-18", true, 1);
	act_ok(f, "2026-12-21", "triage", "{\"grounds_arose_on\": \"2026-11-01\"}");
	json_t *r = act(f, "2026-12-22", "accept", NULL);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "clock_stopped_until")),
			    "2027-01-22");
	json_decref(r);
	assert_string_equal(due(f, 1, "response"), "2027-02-05");
	/* The dashboards show the open stop with its age (issue 14). */
	json_t *dl = deadline(f, "2027-01-05", 1, "response");
	assert_true(json_is_true(json_object_get(dl, "stopped")));
	assert_string_equal(json_string_value(json_object_get(dl, "stopped_for")), "consent");
	assert_string_equal(json_string_value(json_object_get(dl, "stopped_since")), "2026-12-22");
	assert_string_equal(json_string_value(json_object_get(dl, "stopped_until")), "2027-01-22");
	assert_int_equal(json_integer_value(json_object_get(dl, "stopped_days")), 14);
	json_decref(dl);
	/* After the limit the clock runs although nobody answered. */
	dl = deadline(f, "2027-01-26", 1, "response");
	assert_false(json_is_true(json_object_get(dl, "stopped")));
	assert_string_equal(json_string_value(json_object_get(dl, "due")), "2027-02-05");
	json_decref(dl);

	/* 001 §7.4: a child unable to answer (too young, lacking understanding)
	 * does not hold the clock: it runs from the answer on 23 December. */
	record(f, "bct", "2026-12-18", true, 1);
	act_ok(f, "2026-12-21", "triage", "{\"grounds_arose_on\": \"2026-11-01\"}");
	act_ok(f, "2026-12-22", "accept", NULL);
	r = act(f, "2026-12-23", "consent", "{\"consent\": \"unable\"}");
	assert_true(json_is_true(json_object_get(json_object_get(r, "result"), "clock_restarted")));
	json_decref(r);
	assert_string_equal(due(f, 1, "response"), "2027-01-11");
	/* ... and a case recorded with consent unable is not stopped at all. */

	/* 001 §7.4: a child who refuses ends the complaint as theirs: it is not
	 * accepted, and is declined with a letter. */
	record(f, "bct", "2026-12-18", true, 1);
	act_ok(f, "2026-12-21", "triage", "{\"grounds_arose_on\": \"2026-11-01\"}");
	act_ok(f, "2026-12-21", "consent", "{\"consent\": \"refused\"}");
	refused(f, "2026-12-22", "accept", NULL, FH_ERULE, "consent", "001 §7.4");
	refused(f, "2026-12-22", "accept", "{\"consent_override_reason\": \"x\"}", FH_ERULE, "consent", "001 §7.4");
	act_ok(f, "2026-12-22", "decline", NULL);
	assert_string_equal(state_str(f, "status"), "closed");

	/* Refused after acceptance: the stop ends (the clock does not stop for
	 * good) and the case may be declined. */
	record(f, "bct", "2026-12-18", true, 1);
	act_ok(f, "2026-12-21", "triage", "{\"grounds_arose_on\": \"2026-11-01\"}");
	act_ok(f, "2026-12-22", "accept", NULL);
	r = act(f, "2026-12-23", "consent", "{\"consent\": \"refused\"}");
	assert_true(json_is_true(json_object_get(json_object_get(r, "result"), "clock_restarted")));
	assert_non_null(json_object_get(json_object_get(r, "result"), "next"));
	json_decref(r);
	act_ok(f, "2026-12-23", "decline", NULL);
	assert_string_equal(state_str(f, "status"), "closed");
	assert_int_equal(open_clocks(f, "2026-12-23", "response"), 0);
}

/* Closing never takes away the right to the next stage (001 B Stage 2:
 * a year; 003 Stage 2: 2 weeks of receiving the reply). */
static void test_closed_case_keeps_the_right_to_escalate(void **state)
{
	fixture *f = *state;
	/* 003 Stage 2: the Friday reply goes by first-class post, so it is
	 * received on Tuesday 19 January; the 2 weeks end on 2 February. */
	record(f, "bccc", "2027-01-04", false, 1);
	act_ok(f, "2027-01-04", "acknowledge", NULL);
	act_ok(f, "2027-01-04", "triage", NULL);
	act_ok(f, "2027-01-04", "accept", NULL);
	/* 003 Stage 1: one acknowledgement, done before acceptance: no second
	 * Stage 1 clock left overdue (issue 14). */
	assert_int_equal(open_clocks(f, "2027-01-15", "acknowledge"), 0);
	findings(f, "2027-01-15", 1);
	refused(f, "2027-01-15", "issue_response", "{\"learning\": \"x\", \"actions\": [], \"sent_by\": \"pigeon\"}",
		FH_EINVAL, "sent_by", NULL);
	json_t *r = act(f, "2027-01-15", "issue_response",
			"{\"learning\": \"Tell families sooner.\", \"actions\": [], \"sent_by\": \"post\"}");
	json_t *until = json_object_get(json_object_get(r, "result"), "escalate_until");
	assert_string_equal(json_string_value(json_object_get(until, "latest")), "2027-02-02");
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(r, "result"), "escalation_advice")),
			       "2 weeks of receiving this response (by Tuesday 2 February 2027)"));
	json_decref(r);
	act_ok(f, "2027-01-20", "close", NULL);
	assert_string_equal(state_str(f, "status"), "closed");
	/* Past the window a closed case is refused, with the dates, even with
	 * a reason to accept it late. */
	refused(f, "2027-02-03", "request_escalation", "{\"reason\": \"x\", \"override_reason\": \"y\"}",
		FH_ERULE, "on", "003 Stage 2");
	r = act(f, "2027-02-02", "request_escalation", "{\"reason\": \"The reply missed my point.\"}");
	assert_true(json_is_true(json_object_get(json_object_get(r, "result"), "reopened")));
	json_decref(r);
	assert_string_equal(state_str(f, "status"), "open");
	assert_string_equal(state_str(f, "stage"), "2");

	/* 001 B Stage 2 (non-statutory: 001 C Stage 2): a year from receiving
	 * the response, here given as received on 31 July 2026. */
	record(f, "bct", "2026-07-01", false, 1);
	act_ok(f, "2026-07-02", "triage", "{\"not_about_child\": true}");
	act_ok(f, "2026-07-02", "accept", NULL);
	findings(f, "2026-07-29", 1);
	refused(f, "2026-07-29", "issue_response", "{\"learning\": \"x\", \"actions\": [], \"received_on\": \"2026-07-28\"}",
		FH_EINVAL, "received_on", NULL);
	r = act(f, "2026-07-29", "issue_response",
		"{\"learning\": \"Tell families sooner.\", \"actions\": [], \"received_on\": \"2026-07-31\"}");
	until = json_object_get(json_object_get(r, "result"), "escalate_until");
	assert_string_equal(json_string_value(json_object_get(until, "ideal")), "2026-08-28");
	assert_string_equal(json_string_value(json_object_get(until, "latest")), "2027-07-31");
	json_decref(r);
	act_ok(f, "2026-08-03", "close", NULL);
	refused(f, "2027-08-02", "request_escalation", "{\"reason\": \"x\"}", FH_ERULE, "on", "001 C Stage 2");
	r = act(f, "2027-07-30", "request_escalation", "{\"reason\": \"Nothing changed.\"}");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "result"), "timing")), "late_accepted");
	json_decref(r);
	assert_string_equal(state_str(f, "status"), "open");
}

/* 001 B: an extension is decided before the deadline passes; a late
 * response stays late. */
static void test_extension_before_the_deadline_001_B(void **state)
{
	fixture *f = *state;
	record(f, "bct", "2027-02-26", false, 1);
	act_ok(f, "2027-03-01", "triage", NULL);
	act_ok(f, "2027-03-01", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2027-03-15");
	refused(f, "2027-03-15", "extend", "{\"to\": 20, \"reason\": \"Complex.\", \"because\": \"complex\"}",
		FH_ERULE, "on", "001 B Stage 1");
	refused(f, "2027-03-22", "extend", "{\"to\": 20, \"reason\": \"Complex.\", \"because\": \"complex\"}",
		FH_ERULE, "on", "001 B Stage 1");
	assert_string_equal(due(f, 1, "response"), "2027-03-15");
	/* decided before: 20 WD over Good Friday and Easter Monday 2027 */
	act_ok(f, "2027-03-12", "extend", "{\"to\": 20, \"reason\": \"Complex.\", \"because\": \"complex\"}");
	assert_string_equal(due(f, 1, "response"), "2027-03-31");
}

/* issue 14: an unknown parameter is refused by name, never ignored; a
 * mistyped grounds_arose_on must not skip the year of 001 §9.1. */
static void test_unknown_parameters_are_refused(void **state)
{
	fixture *f = *state;
	record(f, "bct", "2026-06-01", true, 1);
	refused(f, "2026-06-02", "triage", "{\"grounds_arose\": \"2024-01-01\"}", FH_EINVAL, "grounds_arose", NULL);
	refused(f, "2026-06-02", "acknowledge", "{\"note\": \"x\"}", FH_EINVAL, "note", NULL);
	act_ok(f, "2026-06-02", "triage", "{\"grounds_arose_on\": \"2024-01-01\"}");
	assert_string_equal(state_str(f, "route"), "not_considered");
}

/* DOMAIN §3; reg 2 of SI 2006/1738: closure days never lengthen a
 * statutory clock; they count only where the procedure's file says so. */
static void test_closure_days_only_where_the_file_says(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	assert_int_equal(store_calendar_closure_add(f->st, "bct", d("2027-03-02"), "Staff training day",
						    "test", &err), FH_OK);
	record(f, "bct", "2027-02-26", false, 1);
	act_ok(f, "2027-03-01", "triage", NULL);
	act_ok(f, "2027-03-01", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2027-03-15");
	/* A statutory file may not say closure days count. */
	fh_procedure *p;
	proc_problems problems = {0};
	assert_int_equal(store_procedure_get(f->st, "bct-statutory", 0, &p, &err), FH_OK);
	json_t *doc = json_deep_copy(p->doc);
	procedure_free(p);
	json_object_set_new(doc, "closure_days", json_true());
	char *text = json_dumps(doc, 0);
	assert_int_equal(procedure_parse(text, &p, &problems, &err), FH_EINVAL);
	assert_string_equal(problems.items[0].path, "closure_days");
	free(text);
	json_decref(doc);
	/* A non-statutory one may: BCT's own choice, 20 WD from 1 March with
	 * the closure day is 1 April (31 March without it). */
	record(f, "bct", "2027-02-26", false, 1);
	act_ok(f, "2027-03-01", "triage", "{\"not_about_child\": true}");
	act_ok(f, "2027-03-01", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2027-03-31");
	assert_int_equal(store_procedure_get(f->st, "bct-non-statutory", 0, &p, &err), FH_OK);
	doc = json_deep_copy(p->doc);
	procedure_free(p);
	json_object_set_new(doc, "closure_days", json_true());
	json_object_set_new(doc, "version", json_integer(json_integer_value(json_object_get(doc, "version")) + 1));
	text = json_dumps(doc, 0);
	int version;
	bool changed;
	assert_int_equal(store_procedure_install(f->st, text, "test", &version, &changed, &problems, &err), FH_OK);
	free(text);
	json_decref(doc);
	record(f, "bct", "2027-02-26", false, 1);
	act_ok(f, "2027-03-01", "triage", "{\"not_about_child\": true}");
	act_ok(f, "2027-03-01", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2027-04-01");
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
		T(test_consent_001_7_4_no_clock_stops_for_good),
		T(test_closed_case_keeps_the_right_to_escalate),
		T(test_extension_before_the_deadline_001_B),
		T(test_unknown_parameters_are_refused),
		T(test_closure_days_only_where_the_file_says),
		T(test_bccc_person_complained_about),
		cmocka_unit_test(test_procedure_files),
		T(test_procedure_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
