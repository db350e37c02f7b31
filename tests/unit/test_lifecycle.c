/*
 * The lifecycle through the store: what store_case_act and
 * store_case_lifecycle add to core's rules, on either engine.  The cases
 * themselves (every shipped procedure from first contact to its end, every
 * due date and refusal) are data in tests/scenarios/, run through core by
 * test_scenarios.c; here are the parts that need a database: the
 * organisation's file as the store reads it, installed procedure versions,
 * the letters a case's record produces and the audit chain after them.
 * Expected dates were worked out by hand from the England and Wales
 * calendar.
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
#include "orgfile.h"
#include "store_letter.h"
#include "store_orgfile.h"
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
	/* The people the cases below assign: only users of the case's
	 * organisation, and independent ones where the procedure says so
	 * (001 B Stage 2), as user_roles and user_independence record them. */
	static const struct { const char *email, *org, *role; bool independent; } staff[] = {
		{"director@bct.demo", "bct", "leadership", true},
		{"other.tm@bct.demo", "bct", "adjudicating_officer", false},
		{"io@external.example", "bct", "investigating_officer", true},
		{"ip@external.example", "bct", "independent_person", true},
		{"tm@bcp.demo", "bcp", "adjudicating_officer", false},
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

/* The action must be refused with want, naming field; nothing is recorded. */
static void refused(fixture *f, const char *on, const char *action, const char *params,
		    fh_status want, const char *field, const char *message)
{
	json_t *p = json_loads(params, 0, NULL);
	assert_non_null(p);
	json_object_set_new(p, "on", json_string(on));
	fh_arena a = ARENA_INIT;
	fh_case c;
	fh_error err = {0};
	assert_int_equal(store_case_get(f->st, f->ref, &a, &c, &err), FH_OK);
	size_t events_before = c.n_events;
	arena_free(&a);
	json_t *result = NULL;
	fh_status s = store_case_act(f->st, f->ref, action, p, &cli_actor, d(on), &result, &err);
	json_decref(p);
	if (s != want || strcmp(err.field, field) || !strstr(err.message, message))
		fprintf(stderr, "# %s: got %s field '%s': %s\n", action, error_status_name(s), err.field,
			err.message);
	assert_int_equal(s, want);
	assert_string_equal(err.field, field);
	assert_non_null(strstr(err.message, message));
	assert_int_equal(store_case_get(f->st, f->ref, &a, &c, &err), FH_OK);
	assert_int_equal(c.n_events, events_before);
	arena_free(&a);
}

/*
 * A BCT statutory case through the store to its Stage 2 response, with the
 * Investigating Officer's report, the Independent Person's and the
 * confidential addendum (001 B Stage 2): the path of
 * tests/scenarios/bct-statutory-three-stages.scenario, which checks every
 * date on it.
 */
static void bct_case_to_stage_2_response(fixture *f)
{
	record(f, "bct", "2026-12-18", true, 2);
	act_ok(f, "2026-12-21", "acknowledge", NULL);
	act_ok(f, "2026-12-21", "triage", "{\"grounds_arose_on\": \"2026-11-01\"}");
	act_ok(f, "2026-12-22", "accept", NULL);
	act_ok(f, "2026-12-23", "consent", "{\"consent\": \"given\"}");
	assert_string_equal(due(f, 1, "response"), "2027-01-11");
	findings(f, "2027-01-19", 2);
	act_ok(f, "2027-01-20", "issue_response", response_params);
	act_ok(f, "2027-02-10", "request_escalation", "{\"reason\": \"The contact plan never came.\"}");
	act_ok(f, "2027-02-12", "accept_escalation", NULL);
	consent_to_share(f, "2027-02-16");
	/* The store tells the lifecycle who the named user is (user_roles,
	 * user_independence): not a user, a user of another organisation, one
	 * not marked independent of this one (001 B Stage 2). */
	refused(f, "2027-02-16", "assign", "{\"role\": \"investigating_officer\", \"user\": \"nobody@nowhere.example\"}",
		FH_EINVAL, "user", "nobody@nowhere.example is not a user");
	refused(f, "2027-02-16", "assign", "{\"role\": \"investigating_officer\", \"user\": \"tm@bcp.demo\"}",
		FH_ERULE, "user", "not a user of this organisation");
	refused(f, "2027-02-16", "assign", "{\"role\": \"investigating_officer\", \"user\": \"other.tm@bct.demo\"}",
		FH_ERULE, "user", "must be independent of the organisation");
	act_ok(f, "2027-02-16", "assign", "{\"role\": \"investigating_officer\", \"user\": \"io@external.example\"}");
	act_ok(f, "2027-02-16", "assign", "{\"role\": \"independent_person\", \"user\": \"ip@external.example\"}");
	act_ok(f, "2027-02-19", "agree_statement", NULL);
	assert_string_equal(due(f, 2, "response"), "2027-03-30");
	act_ok(f, "2027-04-12", "record_report", "{\"kind\": \"io\", \"summary\": \"Findings on each point.\"}");
	act_ok(f, "2027-04-13", "record_report", "{\"kind\": \"ip\", \"summary\": \"Fair.\"}");
	act_ok(f, "2027-04-13", "record_report", "{\"kind\": \"addendum\", \"summary\": \"Supervision concerns about a named worker.\"}");
	findings(f, "2027-04-19", 2);
	/* the Assistant Director adjudicates Stage 2 (001 B Stage 2) */
	static const fh_actor director = {.name = "director@bct.demo", .all_roles = true};
	json_t *p = json_loads(response_params, 0, NULL);
	json_object_set_new(p, "on", json_string("2027-04-20"));
	json_t *res = NULL;
	fh_error err = {0};
	assert_int_equal(store_case_act(f->st, f->ref, "issue_response", p, &director, d("2027-04-20"),
					&res, &err), FH_OK);
	json_decref(p);
	json_decref(res);
	assert_string_equal(state_str(f, "status"), "open");
	assert_string_equal(state_str(f, "stage"), "2");
}

/*
 * 000 "The outcome of your complaint": "a copy of the independent
 * investigation officer's report and a letter of response"; the
 * confidential addendum (001 B Stage 2) stays out of the letter and out of
 * the customer's view of the case.
 */
/* Every path in want has a problem reported at it. */
static void assert_problems_at(const proc_problems *problems, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < problems->count; k++)
			found |= !strcmp(problems->items[k].path, want[i]);
		if (!found)
			fprintf(stderr, "# no problem reported at %s\n", want[i]);
		assert_true(found);
	}
}

static void test_bct_stage_2_letter_encloses_the_io_report_000(void **state)
{
	fixture *f = *state;
	bct_case_to_stage_2_response(f);
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
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2027-04-20"), true, &life,
					      &lerr), FH_OK);
	json_t *resp = json_object_get(json_array_get(json_object_get(json_object_get(life, "state"),
		"stages"), 1), "response");
	assert_string_equal(json_string_value(json_array_get(json_object_get(resp, "encloses"), 0)), "io");
	assert_int_equal(json_array_size(json_object_get(resp, "encloses")), 1);
	char *text = json_dumps(life, 0);
	assert_null(strstr(text, "Supervision concerns"));
	free(text);
	json_decref(life);
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2027-04-20"), false, &life,
					      &lerr), FH_OK);
	text = json_dumps(life, 0);
	assert_non_null(strstr(text, "Supervision concerns"));
	free(text);
	json_decref(life);
}

/*
 * 001 Appendix A: the restriction letter gives the right of appeal and the
 * senior manager's 10 working days to answer (Level 3), and no time limit
 * for appealing, which the policy does not set.  After it, with the case
 * closed and the Ombudsman's view recorded, the history is whole and the
 * chain verifies.
 */
static void test_bct_restriction_letter_001_appendix_A(void **state)
{
	fixture *f = *state;
	bct_case_to_stage_2_response(f);
	act_ok(f, "2027-07-05", "close", NULL);
	act_ok(f, "2027-09-01", "ombudsman", "{\"reference\": \"27 001 234\"}");
	act_ok(f, "2027-11-01", "ombudsman", "{\"outcome\": \"no_fault\"}");
	assert_string_equal(state_str(f, "status"), "closed");
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
	store_audit_report rep;
	fh_error err = {0};
	assert_int_equal(store_audit_verify(f->st, &rep, &err), FH_OK);
}

/*
 * The organisation's file as the store reads it (organisations.settings):
 * its words for the reasons triage finds a complaint not considered
 * (policy.triage, 001 §9.1 in orgs/demo/bct.json) and who may take each
 * action (policy.actions).  The rules themselves are in
 * tests/scenarios/bct-triage-routes.scenario and bct-org-role-table.scenario.
 */
static void test_store_reads_the_organisations_policy(void **state)
{
	fixture *f = *state;
	assert_int_equal(test_raw_exec(f->path, "UPDATE organisations SET settings = '{\"policy\":"
		"{\"triage\":{\"source\":\"001 §9.1\",\"exclusions\":[{\"code\":"
		"\"child_protection_conference\",\"text\":\"Child Protection Conferences have their "
		"own procedure\",\"source\":\"001 §9.1\"}]},"
		"\"actions\":{\"accept\":[\"head_of_service\"]}}}' WHERE code = 'bct'"), 0);
	record(f, "bct", "2026-06-01", true, 1);
	json_t *r = act(f, "2026-06-02", "triage", "{\"exclusions\": [\"child_protection_conference\"]}");
	json_t *reason = json_array_get(json_object_get(json_object_get(r, "result"), "reasons"), 0);
	assert_string_equal(json_string_value(json_object_get(reason, "text")),
			    "Child Protection Conferences have their own procedure");
	assert_string_equal(json_string_value(json_object_get(reason, "source")), "001 §9.1");
	json_decref(r);

	record(f, "bct", "2026-06-01", false, 1);
	act_ok(f, "2026-06-02", "triage", NULL);
	static const char *const team[] = {"complaints_team"}, *const head[] = {"head_of_service"};
	const fh_actor officer = {.name = "co@bct", .n_roles = 1, .roles = team};
	const fh_actor hos = {.name = "hos@bct", .n_roles = 1, .roles = head};
	json_t *params = json_pack("{ss}", "on", "2026-06-03"), *result = NULL;
	fh_error err = {0};
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

/*
 * An organisation's closure day, as the store keeps it, lengthens only a
 * clock whose procedure's file says closure days count (DOMAIN §3; reg 2 of
 * SI 2006/1738): the statutory one keeps 10 WD; BCT's non-statutory file,
 * changed to say so and installed, counts it.
 */
static void test_store_closure_days_reach_the_clocks(void **state)
{
	fixture *f = *state;
	fh_error err = {0};
	assert_int_equal(store_calendar_closure_add(f->st, "bct", d("2027-03-02"), "Staff training day",
						    "test", &err), FH_OK);
	record(f, "bct", "2027-02-26", false, 1);
	act_ok(f, "2027-03-01", "triage", NULL);
	act_ok(f, "2027-03-01", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2027-03-15");
	fh_procedure *p;
	proc_problems problems = {0};
	assert_int_equal(store_procedure_get(f->st, "bct-non-statutory", 0, &p, &err), FH_OK);
	json_t *doc = json_deep_copy(p->doc);
	procedure_free(p);
	json_object_set_new(doc, "closure_days", json_true());
	json_object_set_new(doc, "version", json_integer(json_integer_value(json_object_get(doc, "version")) + 1));
	char *text = json_dumps(doc, 0);
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
	assert_problems_at(&problems, want, sizeof want / sizeof want[0]);
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

/*
 * LGSCO Code §6.3 and Stage 2: a clock from "acknowledged" needs an
 * acknowledgement to wait for (the procedure's for stage 1, the stage's
 * own later), and an acknowledgement cannot wait for itself; §6.4: an
 * extension past extend_to with a good reason needs an extend_to; §6.5: a
 * notice that gives the Ombudsman's details needs a notice.
 */
static void test_procedure_acknowledged_clocks_lgsco_code(void **state)
{
	(void)state;
	fh_procedure *p;
	proc_problems problems;
	fh_error err = {0};
	const char *bad =
		"{\"code\": \"x\", \"version\": 1, \"org\": \"example\", \"name\": \"n\","
		" \"route\": \"non_statutory\", \"source\": \"s\","
		" \"acknowledge\": {\"from\": \"acknowledged\", \"unit\": \"working-days\","
		" \"length\": 5, \"source\": \"s\"},"
		" \"stages\": [{\"number\": 1, \"name\": \"one\", \"responder\": \"adjudicating_officer\","
		" \"response\": {\"from\": \"acknowledged\", \"unit\": \"working-days\", \"length\": 10,"
		" \"beyond_with_good_reason\": true, \"notice_gives_final_resort\": true, \"source\": \"s\"},"
		" \"response_requires\": [\"findings\"], \"source\": \"s\"},"
		" {\"number\": 2, \"name\": \"two\", \"responder\": \"reviewing_officer\","
		" \"request\": {\"latest\": {\"unit\": \"years\", \"length\": 1}, \"source\": \"s\"},"
		" \"response\": {\"from\": \"acknowledged\", \"unit\": \"working-days\", \"length\": 20,"
		" \"source\": \"s\"}, \"response_requires\": [\"findings\"], \"source\": \"s\"}],"
		" \"final_resort\": {\"name\": \"LGSCO\", \"contact\": \"c\", \"source\": \"s\"}}";
	assert_int_equal(procedure_parse(bad, &p, &problems, &err), FH_EINVAL);
	const char *want[] = {"acknowledge.from", "stages[0].response.beyond_with_good_reason",
			      "stages[0].response.notice_gives_final_resort",
			      "stages[1].response.from"};
	assert_problems_at(&problems, want, sizeof want / sizeof want[0]);
	/* Stage 1 waits for the procedure's acknowledgement: no problem there
	 * (the procedure has one, though it is itself refused). */
	for (size_t k = 0; k < problems.count; k++)
		assert_string_not_equal(problems.items[k].path, "stages[0].response.from");
}

/* The code and version of the procedure triage chose for the case. */
static const char *procedure_code(fixture *f)
{
	static char buf[64];
	json_t *h;
	fh_error err = {0};
	assert_int_equal(store_case_lifecycle(f->st, f->ref, &cli_actor, d("2030-01-01"), false, &h,
					      &err), FH_OK);
	json_t *p = json_object_get(json_object_get(h, "state"), "procedure");
	snprintf(buf, sizeof buf, "%s v%lld", json_string_value(json_object_get(p, "code")),
		 (long long)json_integer_value(json_object_get(p, "version")));
	json_decref(h);
	return buf;
}

/* The demo's example council, as its file says: the Ombudsman's Code for
 * non-statutory complaints from 2026-04-01 (issue 19 item 2). */
static void apply_example(fixture *f)
{
	test_apply_demo_org(f->st, "example");
}

/*
 * LGSCO Code: the example council's file (orgs/demo/example.json) adopts
 * the Ombudsman's Complaint Handling Code for its non-statutory complaints
 * from 1 April 2026; a complaint received the day before keeps the
 * corporate procedure (2 WD to acknowledge, 10 WD from receipt), one
 * received that day runs under the Code (5 WD to acknowledge, LGSCO Code
 * §6.2; 10 WD from the acknowledgement, §6.3).  Easter 2026: Good Friday
 * 3 April, Easter Monday 6 April.
 */
static void test_example_adopts_the_lgsco_code_from_2026_04_01(void **state)
{
	fixture *f = *state;
	apply_example(f);

	record(f, "example", "2026-03-31", false, 1);
	assert_string_equal(due(f, 0, "acknowledge"), "2026-04-02");
	act_ok(f, "2026-04-01", "triage", "{\"not_about_child\": true}");
	assert_string_equal(procedure_code(f), "example-corporate v1");
	act_ok(f, "2026-04-01", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "2026-04-16");

	record(f, "example", "2026-04-01", false, 1);
	/* before triage the route is not known: the council's first
	 * procedure's 2 working days (2 and 7 April) */
	assert_string_equal(due(f, 0, "acknowledge"), "2026-04-07");
	act_ok(f, "2026-04-01", "triage", "{\"not_about_child\": true}");
	assert_string_equal(procedure_code(f), "example-lgsco-code v1");
	/* LGSCO Code §6.2: 5 working days: 2, 7, 8, 9, 10 April */
	assert_string_equal(due(f, 0, "acknowledge"), "2026-04-10");
	act_ok(f, "2026-04-01", "accept", NULL);
	assert_string_equal(due(f, 1, "response"), "(none)");
	act_ok(f, "2026-04-02", "acknowledge", NULL);
	assert_string_equal(due(f, 1, "response"), "2026-04-20");
}

/* The acknowledgement letter of a case gives its reply date and timescale
 * from its own procedure: the corporate procedure's 10 working days from
 * receipt before 2026-04-01 (004), the Code's 10 from the acknowledgement
 * after (LGSCO Code §6.3; issue 19 item 5). */
static const char *ack_letter(fixture *f, const char *variant, fh_arena *la)
{
	static const char *const dirs[] = {FH_LETTERS_DIR, NULL};
	store_letter_request req = {.reference = f->ref, .kind = "acknowledgement",
				    .variant = variant, .template_dirs = dirs, .dry_run = true};
	store_letter out;
	fh_error lerr = {0};
	fh_status ls = store_letter_issue(f->st, &req, &cli_actor, d("2026-04-02"), la, &out, &lerr);
	if (ls)
		fprintf(stderr, "# letter: %s: %s (%s)\n", lerr.field, lerr.message, lerr.source);
	assert_int_equal(ls, FH_OK);
	return out.document;
}

static void test_example_letters_say_the_codes_timescales_issue19_item5(void **state)
{
	fixture *f = *state;
	apply_example(f);
	fh_arena la = ARENA_INIT;
	record(f, "example", "2026-03-31", false, 1);
	act_ok(f, "2026-04-01", "triage", "{\"not_about_child\": true}");
	act_ok(f, "2026-04-01", "accept", NULL);
	act_ok(f, "2026-04-01", "acknowledge", NULL);
	const char *doc = ack_letter(f, NULL, &la);
	assert_non_null(strstr(doc, "16 April 2026"));
	assert_non_null(strstr(doc, "10 working days from receiving your complaint"));
	assert_null(strstr(doc, "acknowledging"));
	doc = ack_letter(f, "plain", &la);
	assert_non_null(strstr(doc, "within 10 working days from receiving your complaint"));

	record(f, "example", "2026-04-01", false, 1);
	act_ok(f, "2026-04-01", "triage", "{\"not_about_child\": true}");
	act_ok(f, "2026-04-01", "accept", NULL);
	act_ok(f, "2026-04-02", "acknowledge", NULL);
	doc = ack_letter(f, NULL, &la);
	/* 10 working days after Thursday 2 April, over Easter: 20 April */
	assert_non_null(strstr(doc, "20 April 2026"));
	assert_non_null(strstr(doc, "10 working days from acknowledging your complaint"));
	doc = ack_letter(f, "plain", &la);
	assert_non_null(strstr(doc, "within 10 working days from acknowledging your complaint"));
	arena_free(&la);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_bct_stage_2_letter_encloses_the_io_report_000),
		T(test_bct_restriction_letter_001_appendix_A),
		T(test_store_reads_the_organisations_policy),
		T(test_store_closure_days_reach_the_clocks),
		cmocka_unit_test(test_procedure_files),
		cmocka_unit_test(test_procedure_acknowledged_clocks_lgsco_code),
		T(test_procedure_versions),
		T(test_example_adopts_the_lgsco_code_from_2026_04_01),
		T(test_example_letters_say_the_codes_timescales_issue19_item5),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
