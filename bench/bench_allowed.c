/*
 * bench_allowed: what lifecycle_allowed costs, the list of actions the
 * staff case page offers (issue 6 §4: the page in under 5 ms).
 *
 *   bench_allowed PROCEDURES_DIR [CALLS]
 *
 * Takes a BCT statutory complaint to a running Stage 2 (IO and IP
 * appointed, Statement of Complaint agreed) with lifecycle_apply alone, no
 * database, then asks for its allowed actions CALLS times as the
 * complaints team (the case page's usual reader) and prints the time a
 * call.  Its instruction count under callgrind is the steady figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "calendar.h"
#include "lifecycle.h"
#include "procedure.h"

static fh_procedure *load(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench_allowed: cannot read %s\n", path);
		exit(1);
	}
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	fh_procedure *proc = NULL;
	proc_problems problems = {0};
	fh_error err = {0};
	if (procedure_parse(text, &proc, &problems, &err)) {
		fprintf(stderr, "bench_allowed: %s: %s\n", path, err.message);
		exit(1);
	}
	return proc;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_allowed PROCEDURES_DIR [CALLS]\n");
		return 2;
	}
	int calls = argc > 2 ? atoi(argv[2]) : 20000;
	fh_procedure *procs[2] = {load(argv[1], "bct-statutory.json"),
				  load(argv[1], "bct-non-statutory.json")};
	fh_calendar *cal;
	fh_error err = {0};
	if (calendar_create_named("england-and-wales", NULL, &cal, &err))
		return 1;
	static const fh_point points[] = {
		{.id = 1, .seq = 1, .summary = "Contact was cancelled twice", .desired_outcome = "A plan"},
		{.id = 2, .seq = 2, .summary = "Calls were not returned", .desired_outcome = ""},
	};
	const lifecycle_case kase = {.kind = "complaint", .received_on = date_from_ymd(2026, 11, 2),
				     .relationship = "parent", .child_status = "looked_after",
				     .consent = "given", .n_points = 2, .points = points};
	const fh_actor system = {.name = "bench", .all_roles = true};
	lifecycle_ctx ctx = {.kase = &kase, .org_procs = (const fh_procedure *const *)procs,
			     .n_org_procs = 2, .cal = cal, .actor = &system,
			     .today = date_from_ymd(2027, 3, 1)};
	static const char *const steps[][2] = {
		{"acknowledge", "{\"on\": \"2026-11-03\"}"},
		{"triage", "{\"on\": \"2026-11-03\", \"grounds_arose_on\": \"2026-10-01\"}"},
		{"accept", "{\"on\": \"2026-11-04\"}"},
		{"assign", "{\"on\": \"2026-11-04\", \"role\": \"adjudicating_officer\", \"user\": \"tm@bct.demo\"}"},
		{"record_finding", "{\"on\": \"2026-11-10\", \"point\": 1, \"outcome\": \"upheld\","
				   " \"reasoning\": \"r\", \"outcome_response\": \"o\"}"},
		{"record_finding", "{\"on\": \"2026-11-10\", \"point\": 2, \"outcome\": \"not_upheld\","
				   " \"reasoning\": \"r\"}"},
		{"issue_response", "{\"on\": \"2026-11-12\", \"learning\": \"l\", \"actions\": []}"},
		{"request_escalation", "{\"on\": \"2026-11-20\", \"reason\": \"still unhappy\"}"},
		{"accept_escalation", "{\"on\": \"2026-11-23\"}"},
		{"assign", "{\"on\": \"2026-11-23\", \"role\": \"investigating_officer\", \"user\": \"io@x.example\"}"},
		{"assign", "{\"on\": \"2026-11-23\", \"role\": \"independent_person\", \"user\": \"ip@x.example\"}"},
		{"agree_statement", "{\"on\": \"2026-11-27\"}"},
	};
	json_t *state = lifecycle_initial_state(&ctx);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		json_t *params = json_loads(steps[i][1], 0, NULL);
		lifecycle_outcome out;
		if (lifecycle_apply(&ctx, state, steps[i][0], params, &out, &err)) {
			fprintf(stderr, "bench_allowed: %s: %s\n", steps[i][0], err.message);
			return 1;
		}
		if (out.chosen)
			ctx.proc = out.chosen;
		json_decref(state);
		json_decref(out.event);
		json_decref(params);
		state = out.state;
	}
	static const char *const team[] = {"complaints_team"};
	const fh_actor officer = {.name = "complaints@bct.demo", .n_roles = 1, .roles = team};
	ctx.actor = &officer;
	json_t *first = lifecycle_allowed(&ctx, state);
	char *names = json_dumps(first, JSON_COMPACT);
	printf("allowed at Stage 2 for the complaints team: %s\n", names);
	free(names);
	json_decref(first);
	double t0 = now();
	size_t total = 0;
	for (int i = 0; i < calls; i++) {
		json_t *allowed = lifecycle_allowed(&ctx, state);
		total += json_array_size(allowed);
		json_decref(allowed);
	}
	double secs = now() - t0;
	printf("%d calls in %.3f s of CPU: %.1f us a call (%zu names)\n", calls, secs,
	       1e6 * secs / calls, total);
	json_decref(state);
	return 0;
}
