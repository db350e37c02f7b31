/*
 * Fuzz target: lifecycle actions and their parameters, as
 * POST /api/v1/cases/{ref}/actions/{action} and `fairhearing case act` pass
 * them.  The input is a script, one action a line: the action's name, a
 * space, its parameters as a JSON object (or nothing).  The actions are
 * applied in order to a complaint under Birmingham Children's Trust's two
 * shipped procedures, each accepted state becoming the next one's start,
 * so the fuzzer can walk deep into a case (a Stage 3 panel needs a dozen
 * steps).  Every state reached is asked for its deadlines, its allowed
 * actions and its public view; the last state of a script is also checked
 * against trying every action (lifecycle_allowed_by_trial), which costs some
 * forty applications, so doing it for every step made a script of 32 steps
 * over a thousand: the fuzzer's shorter mutations reach the states between.
 * A refusal must say why.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "calendar.h"
#include "config.h"
#include "lifecycle.h"
#include "procedure.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_STEPS = 32 };

static fh_procedure *procs[2];
static fh_calendar *cal;

static fh_procedure *load(const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", FH_PROCEDURES_DIR, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_lifecycle: cannot read %s\n", path);
		abort();
	}
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	fh_procedure *proc = NULL;
	proc_problems problems = {0};
	fh_error err = {0};
	if (procedure_parse(text, &proc, &problems, &err)) {
		fprintf(stderr, "fuzz_lifecycle: %s: %s\n", path, err.message);
		abort();
	}
	return proc;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	procs[0] = load("bct-statutory.json");
	procs[1] = load("bct-non-statutory.json");
	fh_error err = {0};
	if (calendar_create_named("england-and-wales", NULL, &cal, &err))
		abort();
	return 0;
}

/* Every view of a state must be computable. */
static void look_at(const lifecycle_ctx *ctx, const json_t *state)
{
	json_decref(lifecycle_deadlines(ctx, state));
	json_decref(lifecycle_allowed(ctx, state));
	json_decref(lifecycle_public_view(state));
}

/* The allowed actions are the same as trying every action finds. */
static void check_allowed(const lifecycle_ctx *ctx, const json_t *state)
{
	json_t *allowed = lifecycle_allowed(ctx, state);
	json_t *tried = lifecycle_allowed_by_trial(ctx, state);
	assert(json_equal(allowed, tried));
	json_decref(allowed);
	json_decref(tried);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fh_point points[] = {
		{.id = 1, .seq = 1, .summary = "Contact was cancelled twice", .desired_outcome = "A plan"},
		{.id = 2, .seq = 2, .summary = "Calls were not returned", .desired_outcome = ""},
	};
	const lifecycle_case kase = {.kind = "complaint", .received_on = date_from_ymd(2026, 11, 2),
				     .relationship = "parent", .child_status = "looked_after",
				     .consent = "given", .n_points = 2, .points = points};
	const fh_actor actor = {.name = "fuzz", .all_roles = true};
	/* users as the store would find them: independent, not, of another organisation */
	static const lifecycle_person people[] = {
		{"a@x", true, true}, {"b@x", true, false}, {"c@x", false, false}};
	lifecycle_ctx ctx = {.kase = &kase, .org_procs = (const fh_procedure *const *)procs,
			     .n_org_procs = 2, .cal = cal, .actor = &actor,
			     .today = date_from_ymd(2029, 12, 31), .people = people,
			     .n_people = sizeof people / sizeof people[0]};
	json_t *state = lifecycle_initial_state(&ctx);
	assert(state);

	char *script = malloc(size + 1);
	if (!script) {
		json_decref(state);
		return 0;
	}
	memcpy(script, data, size);
	script[size] = '\0';
	char *line = script;
	for (int step = 0; line && *line && step < MAX_STEPS; step++) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *space = strchr(line, ' ');
		json_t *params = NULL;
		if (space) {
			*space = '\0';
			params = json_loads(space + 1, JSON_REJECT_DUPLICATES, NULL);
			if (!json_is_object(params)) { /* the API refuses such a body before here */
				json_decref(params);
				line = next;
				continue;
			}
		}
		lifecycle_outcome out = {0};
		fh_error err = {0};
		fh_status s = lifecycle_apply(&ctx, state, line, params, &out, &err);
		if (s) {
			assert(err.message[0] != '\0');
			assert(out.state == NULL && out.event == NULL);
		} else {
			assert(json_is_object(out.state) && json_is_object(out.event));
			if (out.chosen)
				ctx.proc = out.chosen;
			json_decref(state);
			state = out.state;
			json_decref(out.event);
			look_at(&ctx, state);
		}
		json_decref(params);
		line = next;
	}
	check_allowed(&ctx, state);
	json_decref(state);
	free(script);
	return 0;
}
