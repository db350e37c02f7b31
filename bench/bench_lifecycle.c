/*
 * bench_lifecycle: how many lifecycle actions per second store_case_act
 * applies, each a whole transaction (load the case and its state, decide,
 * write the state, its projections and the audit event, commit durably).
 *
 *   bench_lifecycle DB_PATH PROCEDURES_DIR [CASES [create-only]]
 *
 * For each case: record it, then acknowledge, triage, accept, assign,
 * record_finding and issue_response: seven writes per case.  The figure is
 * what one worker thread sustains on one connection, with
 * synchronous=FULL (every commit reaches the disk before it returns).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "store_event.h"
#include "store_lifecycle.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(fh_status s, const fh_error *err, const char *what)
{
	if (s) {
		fprintf(stderr, "bench_lifecycle: %s: %s: %s\n", what, err->field, err->message);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_lifecycle DB_PATH PROCEDURES_DIR [CASES]\n");
		return 2;
	}
	int cases = argc > 3 ? atoi(argv[3]) : 2000;
	int steps_per_case = argc > 4 && !strcmp(argv[4], "create-only") ? 0 : 6;
	fh_store *st;
	fh_error err = {0};
	remove(argv[1]);
	check(store_open(argv[1], STORE_CREATE, &st, &err), &err, "open");
	fh_org org = {.code = "bct", .name = "Birmingham Children's Trust", .ref_prefix = "BCT"};
	check(store_org_create(st, &org, "bench", NULL, &err), &err, "org");
	int installed;
	check(store_procedure_install_dir(st, argv[2], "bench", &installed, &err), &err, "procedures");

	fh_party parties[2] = {
		{.role = "complainant", .relationship = "parent",
		 .person = {.given_name = "Amira", .family_name = "Khan"}},
		{.role = "child", .child_status = "looked_after",
		 .person = {.given_name = "Yusuf", .family_name = "Khan"}},
	};
	fh_point point = {.summary = "Contact was cancelled", .desired_outcome = "A plan"};
	fh_case_input in = {.org_code = "bct", .kind = "complaint", .channel = "email",
			    .received_on = "2026-03-02", .summary = "Contact cancelled",
			    .n_parties = 2, .parties = parties, .n_points = 1, .points = &point};
	static const struct {
		const char *action, *params;
	} steps[] = {
		{"acknowledge", "{\"on\": \"2026-03-03\"}"},
		{"triage", "{\"on\": \"2026-03-03\", \"grounds_arose_on\": \"2026-02-01\"}"},
		{"accept", "{\"on\": \"2026-03-03\", \"consent_override_reason\": \"bench\"}"},
		{"assign", "{\"on\": \"2026-03-03\", \"role\": \"adjudicating_officer\", \"user\": \"tm@bct.demo\"}"},
		{"record_finding", "{\"on\": \"2026-03-10\", \"point\": 1, \"outcome\": \"upheld\","
				   " \"reasoning\": \"r\", \"outcome_response\": \"o\"}"},
		{"issue_response", "{\"on\": \"2026-03-12\", \"learning\": \"l\", \"actions\": []}"},
	};
	json_t *params[6];
	for (int i = 0; i < 6; i++)
		params[i] = json_loads(steps[i].params, 0, NULL);
	fh_actor actor = {.name = "bench", .all_roles = true};
	fh_date today;
	date_parse("2026-03-12", &today);
	double t0 = now();
	long actions = 0;
	for (int c = 0; c < cases; c++) {
		char ref[FH_REFERENCE_MAX];
		check(store_case_create(st, &in, "bench", ref, &err), &err, "record");
		actions++;
		for (int i = 0; i < steps_per_case; i++) {
			json_t *result;
			check(store_case_act(st, ref, steps[i].action, params[i], &actor, today, &result, &err),
			      &err, steps[i].action);
			json_decref(result);
			actions++;
		}
	}
	double secs = now() - t0;
	printf("%d cases, %ld durable transactions (record + %d actions each) in %.2f s: "
	       "%.0f transactions/s, %.2f ms each\n", cases, actions, steps_per_case, secs,
	       actions / secs, 1000 * secs / actions);
	for (int i = 0; i < 6; i++)
		json_decref(params[i]);
	store_audit_report report;
	check(store_audit_verify(st, &report, &err), &err, "audit");
	store_close(st);
	return 0;
}
