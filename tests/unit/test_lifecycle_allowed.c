/*
 * lifecycle_allowed against its definition: for every state a walk through
 * the shipped procedures reaches, for many actors and days, the actions it
 * lists must be exactly those lifecycle_allowed_by_trial finds by applying
 * each action in full.  lifecycle_allowed decides most actions from a table
 * of the checks each makes before reading a parameter (lifecycle.c:
 * action_gate); a gate that drifts from its action shows up here.
 *
 * The walks are the scenarios' paths (first contact to a Stage 3 panel)
 * with random detours: at each step either the path's next action or any
 * action with one of a few sets of parameters, applied by someone holding
 * every role, on a day a little after the last.  Deterministic (a fixed
 * seed), core only (no database), so it runs in a few seconds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "lifecycle.h"
#include "procedure.h"

static fh_procedure *load(const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", FH_PROCEDURES_DIR, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	fh_procedure *proc = NULL;
	proc_problems problems = {0};
	fh_error err = {0};
	assert_int_equal(procedure_parse(text, &proc, &problems, &err), FH_OK);
	return proc;
}

/* The actions with parameters a walk tries; DAY is today, LATER ten days on. */
static const struct {
	const char *action, *params;
} moves[] = {
	{"acknowledge", "{}"},
	{"triage", "{}"},
	{"triage", "{\"about_staff\": [\"tm@org.example\"]}"},
	{"triage", "{\"not_about_child\": true}"},
	{"triage", "{\"provider_concern\": true}"},
	{"triage", "{\"exclusions\": [\"already_dealt_with\"]}"},
	{"accept", "{}"},
	{"accept", "{\"consent_override_reason\": \"urgent\"}"},
	{"decline", "{}"},
	{"consent", "{\"consent\": \"given\"}"},
	{"consent", "{\"consent\": \"refused\"}"},
	{"suspend", "{\"proceedings\": \"court\", \"reason\": \"hearing\"}"},
	{"resume", "{}"},
	{"assign", "{\"role\": \"adjudicating_officer\", \"user\": \"ao@org.example\"}"},
	{"assign", "{\"role\": \"adjudicating_officer\", \"user\": \"tm@org.example\"}"},
	{"assign", "{\"role\": \"investigating_officer\", \"user\": \"io@org.example\"}"},
	{"assign", "{\"role\": \"independent_person\", \"user\": \"ip@org.example\"}"},
	{"assign", "{\"role\": \"reviewing_officer\", \"user\": \"ro@org.example\"}"},
	{"assign", "{\"role\": \"panel_member\", \"user\": \"p1@org.example\", \"chair\": true}"},
	{"assign", "{\"role\": \"panel_member\", \"user\": \"p2@org.example\"}"},
	{"assign", "{\"role\": \"panel_member\", \"user\": \"p3@org.example\"}"},
	{"unassign", "{\"role\": \"panel_member\", \"user\": \"p3@org.example\"}"},
	{"extend", "{\"to\": 20, \"reason\": \"r\", \"because\": \"complex\", \"notice_on\": \"DAY\"}"},
	{"extend", "{\"to\": 65, \"reason\": \"r\", \"because\": \"complex\", \"notice_on\": \"DAY\"}"},
	{"extend", "{\"new_due\": \"LATER\", \"reason\": \"r\", \"notice_on\": \"DAY\"}"},
	/* LGSCO Code §6.4: past the usual limit with a good reason */
	{"extend", "{\"to\": 25, \"reason\": \"r\", \"notice_on\": \"DAY\", \"good_reason\": \"g\"}"},
	{"agree_statement", "{}"},
	{"record_finding", "{\"point\": 1, \"outcome\": \"upheld\", \"reasoning\": \"r\", \"outcome_response\": \"o\"}"},
	{"record_finding", "{\"point\": 2, \"outcome\": \"not_upheld\", \"reasoning\": \"r\", \"outcome_response\": \"o\"}"},
	{"record_report", "{\"kind\": \"io\", \"summary\": \"s\"}"},
	{"record_report", "{\"kind\": \"ip\", \"summary\": \"s\"}"},
	{"record_report", "{\"kind\": \"addendum\", \"summary\": \"s\"}"},
	{"issue_response", "{\"learning\": \"l\", \"actions\": [{\"action\": \"a\", \"owner\": \"o\", \"due_on\": \"2040-01-01\"}]}"},
	{"request_escalation", "{\"reason\": \"still unhappy\"}"},
	{"accept_escalation", "{}"},
	{"schedule_panel", "{\"date\": \"LATER\", \"place\": \"Room 1\", \"override_reason\": \"diaries\"}"},
	{"send_invitation", "{}"},
	{"record_panel", "{}"},
	{"issue_chair_report", "{\"summary\": \"s\"}"},
	{"refer_mediation", "{\"offered_by\": \"customer\"}"},
	{"agree_mediation", "{\"party\": \"organisation\"}"},
	{"end_mediation", "{\"outcome\": \"not_resolved\"}"},
	{"end_mediation", "{\"outcome\": \"resolved\", \"action_plan\": [{\"action\": \"a\", \"due_on\": \"2040-01-01\"}]}"},
	{"ombudsman", "{\"reference\": \"LGO-1\"}"},
	{"ombudsman", "{\"outcome\": \"no_fault\"}"},
	{"record_subject_response", "{\"person\": \"tm@org.example\", \"told_on\": \"DAY\", \"response\": \"r\"}"},
	{"add_point", "{\"summary\": \"s\"}"},
	{"withdraw_point", "{\"point\": 2}"},
	{"withdraw", "{\"reason\": \"r\"}"},
	{"close", "{}"},
};
enum { N_MOVES = sizeof moves / sizeof moves[0] };

/* The golden path through all three stages (see move_for). */
static const char *const path[] = {
	"acknowledge", "triage:{}", "consent:given", "accept:{}", "assign:ao@", "extend:20",
	"record_finding:1", "record_finding:2", "issue_response", "request_escalation",
	"accept_escalation", "assign:io@", "assign:ip@", "assign:ro@", "agree_statement",
	"record_report:io", "record_report:ip", "record_report:addendum", "record_finding:1",
	"record_finding:2", "issue_response", "request_escalation", "accept_escalation",
	"assign:p1@", "assign:p2@", "assign:p3@", "schedule_panel", "send_invitation", "record_panel",
	"issue_chair_report", "record_finding:1", "record_finding:2", "issue_response",
	"ombudsman:LGO", "close",
};
enum { N_PATH = sizeof path / sizeof path[0] };

/* A path step: an action, or ACTION:TEXT for its move whose parameters hold TEXT. */
static size_t move_for(const char *step)
{
	const char *colon = strchr(step, ':');
	size_t len = colon ? (size_t)(colon - step) : strlen(step);
	for (size_t i = 0; i < N_MOVES; i++)
		if (strlen(moves[i].action) == len && !strncmp(moves[i].action, step, len) &&
		    (!colon || strstr(moves[i].params, colon + 1)))
			return i;
	fail_msg("no move %s", step);
	return 0;
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint32_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static json_t *params_for(size_t move, fh_date today)
{
	char day[DATE_ISO_LEN], later[DATE_ISO_LEN], text[512];
	date_format(today, day);
	date_format(today + 10, later);
	const char *in = moves[move].params;
	size_t n = 0;
	while (*in && n + 12 < sizeof text) {
		if (!strncmp(in, "DAY", 3)) {
			n += (size_t)snprintf(text + n, sizeof text - n, "%s", day);
			in += 3;
		} else if (!strncmp(in, "LATER", 5)) {
			n += (size_t)snprintf(text + n, sizeof text - n, "%s", later);
			in += 5;
		} else {
			text[n++] = *in++;
		}
	}
	text[n] = '\0';
	json_t *params = json_loads(text, 0, NULL);
	assert_non_null(params);
	return params;
}

static const char *const ROLE_SETS[][3] = {
	{"complaints_team", NULL, NULL},
	{"manager", NULL, NULL},
	{"adjudicating_officer", NULL, NULL},
	{"investigating_officer", NULL, NULL},
	{"independent_person", NULL, NULL},
	{"panel_member", NULL, NULL},
	{"reviewing_officer", NULL, NULL},
	{"head_of_service", NULL, NULL},
	{"leadership", NULL, NULL},
	{"administrator", NULL, NULL},
	{NULL, NULL, NULL},
	{"investigating_officer", "panel_member", NULL},
	{"adjudicating_officer", "leadership", NULL},
};
enum { N_ROLE_SETS = sizeof ROLE_SETS / sizeof ROLE_SETS[0] };

static size_t compared;

/* The fast answer and the full trial's must be the same list. */
static void compare(const lifecycle_ctx *ctx, const json_t *state)
{
	json_t *fast = lifecycle_allowed(ctx, state);
	json_t *slow = lifecycle_allowed_by_trial(ctx, state);
	if (!json_equal(fast, slow)) {
		char *a = json_dumps(fast, JSON_COMPACT), *b = json_dumps(slow, JSON_COMPACT);
		char *st = json_dumps(state, JSON_COMPACT);
		fprintf(stderr, "# actor %s (%zu roles%s)\n# fast:  %s\n# trial: %s\n# state: %s\n",
			ctx->actor->name, ctx->actor->n_roles, ctx->actor->all_roles ? ", all" : "",
			a, b, st);
		free(a);
		free(b);
		free(st);
	}
	assert_true(json_equal(fast, slow));
	json_decref(fast);
	json_decref(slow);
	compared++;
}

/* Every actor on the state's day, and a few of them on other days. */
static void compare_all(lifecycle_ctx ctx, const json_t *state, fh_date last)
{
	fh_actor all = {.name = "all@org.example", .all_roles = true};
	ctx.actor = &all;
	ctx.today = last;
	compare(&ctx, state);
	for (size_t r = 0; r < N_ROLE_SETS; r++) {
		size_t n = 0;
		while (n < 3 && ROLE_SETS[r][n])
			n++;
		/* the person complained about, as well as a stranger to the case */
		fh_actor one = {.name = r % 2 ? "tm@org.example" : "someone@org.example",
				.n_roles = n, .roles = ROLE_SETS[r]};
		ctx.actor = &one;
		ctx.today = last;
		compare(&ctx, state);
		if (r % 4 == 0) {
			ctx.today = last + 400; /* late: escalation windows have closed */
			compare(&ctx, state);
			ctx.today = last - 1;   /* before the last event: every date refused */
			compare(&ctx, state);
		}
		/* issue 14 item 14: an organisation's own role table (its file's
		 * policy.actions) moves actions between roles; the gate and the
		 * trial must still agree. */
		if (r % 3 == 0 || r == 7 || r == 8) {
			json_t *table = json_pack("{s[s] s[ss] s[s] s[s] s[s]}",
						  "accept", "head_of_service",
						  "extend", "manager", "leadership",
						  "assign", "adjudicating_officer",
						  "agree_statement", "complaints_team",
						  "close", "leadership");
			ctx.action_roles = table;
			ctx.today = last;
			compare(&ctx, state);
			ctx.today = last - 1;
			compare(&ctx, state);
			ctx.action_roles = NULL;
			json_decref(table);
		}
	}
}

static void walk(const char *const *proc_files, size_t n_procs, const char *kind, const char *consent,
		 size_t n_points, int steps)
{
	fh_procedure *procs[2];
	for (size_t i = 0; i < n_procs; i++)
		procs[i] = load(proc_files[i]);
	fh_calendar *cal;
	fh_error err = {0};
	assert_int_equal(calendar_create_named("england-and-wales", NULL, &cal, &err), FH_OK);
	static const fh_point points[] = {
		{.id = 1, .seq = 1, .summary = "Contact was cancelled", .desired_outcome = "A plan"},
		{.id = 2, .seq = 2, .summary = "Calls were not returned", .desired_outcome = ""},
	};
	const lifecycle_case kase = {.kind = kind, .received_on = date_from_ymd(2026, 11, 2),
				     .relationship = "parent", .child_status = "looked_after",
				     .consent = consent, .n_points = n_points, .points = points};
	fh_actor all = {.name = "all@org.example", .all_roles = true};
	/* the users the moves assign, as the store would find them: of the
	 * organisation and marked independent of it (issue 14 item 4) */
	static const lifecycle_person people[] = {
		{"ao@org.example", true, true}, {"tm@org.example", true, true},
		{"io@org.example", true, true}, {"ip@org.example", true, true},
		{"ro@org.example", true, true}, {"p1@org.example", true, true},
		{"p2@org.example", true, true}, {"p3@org.example", true, true}};
	lifecycle_ctx ctx = {.kase = &kase, .org_procs = (const fh_procedure *const *)procs,
			     .n_org_procs = n_procs, .cal = cal, .actor = &all,
			     .today = kase.received_on, .people = people,
			     .n_people = sizeof people / sizeof people[0]};
	json_t *state = lifecycle_initial_state(&ctx);
	fh_date today = kase.received_on;
	compare_all(ctx, state, today);
	size_t at = 0;
	for (int step = 0; step < steps; step++) {
		size_t move = at < N_PATH && next_random() % 3 ? move_for(path[at++])
							       : next_random() % N_MOVES;
		today += (fh_date)(next_random() % 6);
		json_t *params = params_for(move, today);
		lifecycle_outcome out;
		ctx.actor = &all;
		ctx.today = today;
		fh_status s = lifecycle_apply(&ctx, state, moves[move].action, params, &out, &err);
		json_decref(params);
		if (s != FH_OK)
			continue;
		if (out.chosen)
			ctx.proc = out.chosen;
		json_decref(state);
		json_decref(out.event);
		state = out.state;
		compare_all(ctx, state, today);
	}
	json_decref(state);
	calendar_free(cal);
	for (size_t i = 0; i < n_procs; i++)
		procedure_free(procs[i]);
}

static void test_bct(void **state)
{
	(void)state;
	const char *const files[] = {"bct-statutory.json", "bct-non-statutory.json"};
	for (int i = 0; i < 6; i++)
		walk(files, 2, "complaint", i % 2 ? "given" : "requested", 2, 60);
}

static void test_bcp(void **state)
{
	(void)state;
	const char *const files[] = {"bcp-children-act.json", "bcp-corporate.json"};
	for (int i = 0; i < 4; i++)
		walk(files, 2, "complaint", i % 2 ? "not_needed" : "requested", 2, 60);
}

static void test_bccc(void **state)
{
	(void)state;
	const char *const files[] = {"bccc.json"};
	for (int i = 0; i < 3; i++)
		walk(files, 1, "complaint", "not_needed", 2, 60);
	/* a contact recorded without its points yet */
	walk(files, 1, "complaint", "not_needed", 0, 60);
	/* not complaints: recorded, then closed */
	walk(files, 1, "compliment", "not_needed", 0, 30);
	walk(files, 1, "enquiry", "not_needed", 1, 30);
}

/* The Ombudsman's Complaint Handling Code: response clocks that wait for
 * the acknowledgement (LGSCO Code §6.3), extensions past the usual limit
 * with a good reason (§6.4). */
static void test_lgsco_code(void **state)
{
	(void)state;
	const char *const files[] = {"lgsco-code.json"};
	for (int i = 0; i < 3; i++)
		walk(files, 1, "complaint", "not_needed", (size_t)i % 3, 60);
}

static void test_example(void **state)
{
	(void)state;
	const char *const files[] = {"example-statutory.json", "example-corporate.json"};
	for (int i = 0; i < 3; i++)
		walk(files, 2, "complaint", "given", (size_t)i % 3, 60);
	/* enough states were compared to mean something */
	assert_true(compared > 1000);
	fprintf(stderr, "# %zu comparisons\n", compared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bct),
		cmocka_unit_test(test_bcp),
		cmocka_unit_test(test_bccc),
		cmocka_unit_test(test_lgsco_code),
		cmocka_unit_test(test_example),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
