/*
 * The lifecycle scenarios: every file in tests/scenarios/ (*.scenario) is a
 * case, or a few, taken through dated actions under one organisation's
 * procedures, with the states, due dates and refusals expected after each
 * step.  This program reads them and runs them through core alone
 * (lifecycle_apply and its siblings, as store_case_act and
 * store_case_lifecycle call them), so a new procedure's case is a new file,
 * not new C.  tests/scenarios/README.md describes the format.
 *
 * Each file is one TAP test named after the file.  A step that fails says
 * the file, its line, the step and what was expected against what came.
 * With FH_SCENARIO_TRACE=1 every step is echoed as a TAP comment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
#include "lifecycle.h"
#include "orgfile.h"
#include "procedure.h"

#define MAX_PROCS 32
#define MAX_PEOPLE 64
#define MAX_POINTS 32
#define MAX_CLOSURES 32
#define MAX_ROLES 8

typedef struct person {
	char email[128];
	bool in_org, independent;
} person;

/* Everything one file sets up and the case it is taking through. */
typedef struct scenario {
	const char *path, *file;
	char *source; /* the file's text */
	int line, steps, checks;
	char text[4096]; /* the step being run, as written */

	/* the organisation */
	char org[32];
	fh_procedure *procs[MAX_PROCS]; /* every version known: shipped and changed */
	size_t n_procs;
	calendar_day closures[MAX_CLOSURES];
	char closure_names[MAX_CLOSURES][96];
	size_t n_closures;
	fh_calendar *cal, *cal_closures;
	json_t *settings; /* {"policy": ...}, as the organisation's file gives it */
	triage_wording wording[32];
	person people[MAX_PEOPLE];
	size_t n_people;
	json_t *defines; /* define NAME JSON */
	char actor_name[128];
	char actor_roles[MAX_ROLES][64];
	const char *actor_role_ptrs[MAX_ROLES];
	fh_actor actor;

	/* the case */
	bool have_case;
	lifecycle_case kase;
	fh_point points[MAX_POINTS];
	json_t *point_texts; /* owns the points' strings */
	json_t *state;
	const fh_procedure *proc;
	json_t *last;        /* the last action's answer: {"state", "deadlines", "result"} */
	fh_error refusal;    /* the last refusal */
	bool refused_once;
} scenario;

/* ---- reporting -------------------------------------------------------------- */

static void failed(scenario *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void failed(scenario *s, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printf("# %s:%d (step %d): %s\n#   %s\n", s->file, s->line, s->steps, s->text, msg);
	fflush(stdout);
	fail_msg("%s:%d: %s", s->file, s->line, msg);
}

/* The text a value is compared as: strings bare, the rest as compact JSON. */
static char *render(const json_t *v)
{
	if (!v)
		return strdup("(none)");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}

/* A value in doc at a path of keys and array indexes joined by '/'; "." is doc. */
static json_t *at(json_t *doc, const char *path)
{
	if (!strcmp(path, "."))
		return doc;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *v = doc;
	for (char *save = NULL, *k = strtok_r(buf, "/", &save); k && v; k = strtok_r(NULL, "/", &save))
		v = json_is_array(v) ? json_array_get(v, strtoul(k, NULL, 10)) : json_object_get(v, k);
	return v;
}

/* Checks what (a path's value) against op and want: = equals, ~ contains,
 * !~ does not contain, # has that many elements, present is there at all. */
static void check(scenario *s, const char *what, json_t *v, const char *op, const char *want)
{
	s->checks++;
	char *got = render(v);
	bool ok;
	if (!strcmp(op, "="))
		ok = !strcmp(got, want);
	else if (!strcmp(op, "~"))
		ok = strstr(got, want) != NULL;
	else if (!strcmp(op, "!~"))
		ok = strstr(got, want) == NULL;
	else if (!strcmp(op, "present"))
		ok = v != NULL;
	else if (!strcmp(op, "#")) {
		char n[32];
		snprintf(n, sizeof n, "%zu", json_is_array(v) ? json_array_size(v) : json_object_size(v));
		ok = !strcmp(n, want);
		free(got);
		got = strdup(n);
	} else {
		free(got);
		failed(s, "unknown comparison '%s' (use =, ~, !~, # or present)", op);
		return;
	}
	if (!ok) {
		char msg[1024];
		if (!strcmp(op, "present"))
			snprintf(msg, sizeof msg, "%s: expected a value, found none", what);
		else
			snprintf(msg, sizeof msg, "%s: expected %s'%s', got '%.700s'", what,
				 !strcmp(op, "=") ? "" : !strcmp(op, "~") ? "to contain " :
				 !strcmp(op, "!~") ? "not to contain " : "a count of ", want, got);
		free(got);
		failed(s, "%s", msg);
		return;
	}
	free(got);
}

/* ---- reading a line ----------------------------------------------------------- */

static char *word(char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (!**p)
		return NULL;
	char *w = *p;
	while (**p && **p != ' ' && **p != '\t')
		(*p)++;
	if (**p)
		*(*p)++ = '\0';
	return w;
}

static char *rest(char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
	char *r = *p, *end = r + strlen(r);
	while (end > r && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return r;
}

static char *need(scenario *s, char **p, const char *what)
{
	char *w = word(p);
	if (!w)
		failed(s, "missing %s", what);
	return w;
}

static fh_date date_of(scenario *s, const char *iso)
{
	fh_date d = 0;
	if (!iso || !date_parse(iso, &d))
		failed(s, "'%s' is not a date (YYYY-MM-DD)", iso ? iso : "");
	return d;
}

/* Parameters: nothing, $NAME (a define) or a JSON object; a new reference. */
static json_t *params_of(scenario *s, const char *text)
{
	if (!*text)
		return json_object();
	if (*text == '$') {
		json_t *v = json_object_get(s->defines, text + 1);
		if (!v)
			failed(s, "nothing is defined as '%s'", text + 1);
		return json_deep_copy(v);
	}
	json_error_t jerr;
	json_t *v = json_loads(text, 0, &jerr);
	if (!json_is_object(v))
		failed(s, "parameters are not a JSON object: %s (column %d)", jerr.text, jerr.column);
	return v;
}

/* ---- the organisation --------------------------------------------------------- */

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)n + 1);
	size_t got = fread(text, 1, (size_t)n, f);
	fclose(f);
	text[got] = '\0';
	return text;
}

/* The shipped procedures (every .json file in procedures/), as installing them would. */
static void load_procedures(scenario *s)
{
	DIR *dir = opendir(FH_PROCEDURES_DIR);
	assert_non_null(dir);
	struct dirent *e;
	while ((e = readdir(dir))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json"))
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", FH_PROCEDURES_DIR, e->d_name);
		char *text = read_text(path);
		assert_non_null(text);
		proc_problems problems = {0};
		fh_error err = {0};
		assert_true(s->n_procs < MAX_PROCS);
		assert_int_equal(procedure_parse(text, &s->procs[s->n_procs], &problems, &err), FH_OK);
		s->n_procs++;
		free(text);
	}
	closedir(dir);
}

/* The newest version of a procedure, or NULL. */
static fh_procedure *newest(scenario *s, const char *code)
{
	fh_procedure *best = NULL;
	for (size_t i = 0; i < s->n_procs; i++)
		if (!strcmp(s->procs[i]->code, code) && (!best || s->procs[i]->version > best->version))
			best = s->procs[i];
	return best;
}

/* The working days of reg 2 (no closure days) and the organisation's own. */
static void build_calendars(scenario *s)
{
	calendar_free(s->cal);
	calendar_free(s->cal_closures);
	fh_error err = {0};
	calendar_extra extra = {.closures = s->closures, .closure_count = s->n_closures};
	assert_int_equal(calendar_create_named(CALENDAR_DEFAULT_REGION, NULL, &s->cal, &err), FH_OK);
	assert_int_equal(calendar_create_named(CALENDAR_DEFAULT_REGION, &extra, &s->cal_closures, &err),
			 FH_OK);
}

/*
 * The context the store would give an action on this case today: the
 * organisation's newest procedures for triage, the case's own procedure,
 * both calendars, its file's policy, and, for assign, the user it names
 * as the store found them (an unknown user is left out).
 */
static lifecycle_ctx context(scenario *s, fh_date today, const fh_procedure **org_procs,
			     const char *action, const json_t *params, lifecycle_person *who)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_procs; i++)
		if (!strcmp(s->procs[i]->org, s->org) && newest(s, s->procs[i]->code) == s->procs[i])
			org_procs[n++] = s->procs[i];
	lifecycle_ctx ctx = {.kase = &s->kase, .proc = s->proc, .org_procs = org_procs,
			     .n_org_procs = n, .cal = s->cal, .cal_closures = s->cal_closures,
			     .actor = &s->actor, .today = today};
	ctx.exclusion_wording = s->wording;
	ctx.n_exclusion_wording = orgfile_triage_wording(s->settings, s->wording,
							 sizeof s->wording / sizeof s->wording[0]);
	ctx.action_roles = json_object_get(json_object_get(s->settings, "policy"), "actions");
	const char *email = action && !strcmp(action, "assign")
				    ? json_string_value(json_object_get(params, "user")) : NULL;
	for (size_t i = 0; email && i < s->n_people; i++)
		if (!strcmp(s->people[i].email, email)) {
			*who = (lifecycle_person){.email = s->people[i].email,
						  .in_org = s->people[i].in_org,
						  .independent = s->people[i].independent};
			ctx.people = who;
			ctx.n_people = 1;
		}
	return ctx;
}

/* ---- set-up lines ------------------------------------------------------------- */

static void set_actor(scenario *s, char *p)
{
	snprintf(s->actor_name, sizeof s->actor_name, "%s", need(s, &p, "the actor's name"));
	size_t n = 0;
	for (char *r; (r = word(&p)) && n < MAX_ROLES; n++) {
		snprintf(s->actor_roles[n], sizeof s->actor_roles[n], "%s", r);
		s->actor_role_ptrs[n] = s->actor_roles[n];
	}
	s->actor = (fh_actor){.name = s->actor_name, .all_roles = n == 0, .n_roles = n,
			      .roles = s->actor_role_ptrs};
}

static void add_user(scenario *s, char *p)
{
	if (s->n_people == MAX_PEOPLE)
		failed(s, "more than %d users", MAX_PEOPLE);
	person *u = &s->people[s->n_people++];
	snprintf(u->email, sizeof u->email, "%s", need(s, &p, "the user's email"));
	u->in_org = true;
	for (char *w; (w = word(&p));) {
		if (!strcmp(w, "independent"))
			u->independent = true;
		else if (!strcmp(w, "outside"))
			u->in_org = false;
		else
			failed(s, "a user is 'independent' or 'outside', not '%s'", w);
	}
}

static void add_closure(scenario *s, char *p)
{
	if (s->n_closures == MAX_CLOSURES)
		failed(s, "more than %d closure days", MAX_CLOSURES);
	fh_date d = date_of(s, need(s, &p, "the closure day"));
	snprintf(s->closure_names[s->n_closures], sizeof s->closure_names[0], "%s", rest(&p));
	s->closures[s->n_closures] = (calendar_day){.date = d, .name = s->closure_names[s->n_closures]};
	s->n_closures++;
	build_calendars(s);
}

static void set_policy(scenario *s, char *p)
{
	json_t *policy = params_of(s, rest(&p));
	json_decref(s->settings);
	s->settings = json_pack("{so}", "policy", policy);
}

static void define(scenario *s, char *p)
{
	const char *name = need(s, &p, "a name");
	json_t *v = params_of(s, rest(&p));
	json_object_set_new(s->defines, name, v);
}

/*
 * procedure CODE set PATH JSON [=> PROBLEM]: the newest version of CODE with
 * one value changed, installed as the next version; with => the changed
 * file must be refused, its first problem at PROBLEM.
 */
static void change_procedure(scenario *s, char *p)
{
	const char *code = need(s, &p, "the procedure's code");
	fh_procedure *base = newest(s, code);
	if (!base)
		failed(s, "no procedure '%s'", code);
	const char *verb = need(s, &p, "'set'");
	if (strcmp(verb, "set"))
		failed(s, "a procedure line says 'set', not '%s'", verb);
	char *path = need(s, &p, "the path to set");
	char *value = rest(&p), *problem = strstr(value, "=>");
	if (problem) {
		*problem = '\0';
		problem += 2;
		while (*problem == ' ')
			problem++;
		rest(&value);
	}
	json_error_t jerr;
	json_t *v = json_loads(value, JSON_DECODE_ANY, &jerr);
	if (!v)
		failed(s, "'%s' is not a JSON value: %s", value, jerr.text);
	json_t *doc = json_deep_copy(base->doc);
	char *slash = strrchr(path, '/');
	json_t *parent = doc;
	if (slash) {
		*slash = '\0';
		parent = at(doc, path);
	}
	if (!json_is_object(parent))
		failed(s, "the procedure has no object at '%s'", path);
	json_object_set_new(parent, slash ? slash + 1 : path, v);
	json_object_set_new(doc, "version", json_integer(base->version + 1));
	char *text = json_dumps(doc, 0);
	json_decref(doc);
	fh_procedure *changed = NULL;
	proc_problems problems = {0};
	fh_error err = {0};
	fh_status st = procedure_parse(text, &changed, &problems, &err);
	free(text);
	s->checks++;
	if (problem) {
		if (st != FH_EINVAL || !problems.count || strcmp(problems.items[0].path, problem)) {
			procedure_free(changed);
			failed(s, "expected the change refused at '%s', got %s (%s)", problem,
			       error_status_name(st), problems.count ? problems.items[0].path : "no problem");
		}
		return;
	}
	if (st)
		failed(s, "the changed procedure is refused: %s: %s", err.field, err.message);
	if (s->n_procs == MAX_PROCS)
		failed(s, "more than %d procedures", MAX_PROCS);
	s->procs[s->n_procs++] = changed;
}

/* ---- the case ------------------------------------------------------------------ */

static void end_case(scenario *s)
{
	json_decref(s->state);
	json_decref(s->last);
	json_decref(s->point_texts);
	s->state = s->last = s->point_texts = NULL;
	s->proc = NULL;
	s->have_case = false;
}

static void add_point(scenario *s, const char *summary, const char *desired)
{
	if (s->kase.n_points == MAX_POINTS)
		failed(s, "more than %d points", MAX_POINTS);
	json_array_append_new(s->point_texts, json_string(summary));
	json_array_append_new(s->point_texts, json_string(desired ? desired : ""));
	size_t n = s->kase.n_points++;
	s->points[n] = (fh_point){.seq = (int)n + 1,
				  .summary = json_string_value(json_array_get(s->point_texts, 2 * n)),
				  .desired_outcome = json_string_value(json_array_get(s->point_texts, 2 * n + 1))};
}

/*
 * case RECEIVED COMPLAINANT POINTS: a new complaint of the organisation,
 * received that day, about a looked-after child, made by the young person
 * (self) or for them (parent, relative: the child's consent is then asked,
 * as store_case_create defaults it), with POINTS points.
 */
static void new_case(scenario *s, char *p)
{
	static const char *const summaries[][2] = {
		{"Contact with his sister was cancelled twice", "A contact plan"},
		{"Calls were not returned", ""},
		{"The review minutes were never sent", "The minutes"},
	};
	end_case(s);
	fh_date received = date_of(s, need(s, &p, "the date received"));
	const char *who = need(s, &p, "the complainant (self, parent or relative)");
	if (strcmp(who, "self") && strcmp(who, "parent") && strcmp(who, "relative"))
		failed(s, "the complainant is self, parent or relative, not '%s'", who);
	int points = atoi(need(s, &p, "the number of points"));
	if (points < 0 || points > 3)
		failed(s, "a case starts with 0 to 3 points");
	s->point_texts = json_array();
	s->kase = (lifecycle_case){.kind = "complaint", .received_on = received,
				   .relationship = !strcmp(who, "parent") ? "parent"
						   : !strcmp(who, "self") ? "self" : "relative",
				   .child_status = "looked_after",
				   .consent = strcmp(who, "self") ? "not_asked" : "not_needed",
				   .points = s->points};
	for (int i = 0; i < points; i++)
		add_point(s, summaries[i][0], summaries[i][1]);
	const fh_procedure *org_procs[MAX_PROCS];
	fh_actor saved = s->actor;
	static const fh_actor system = {.name = "system", .all_roles = true};
	s->actor = system;
	lifecycle_ctx ctx = context(s, received, org_procs, NULL, NULL, NULL);
	s->state = lifecycle_initial_state(&ctx);
	s->actor = saved;
	s->have_case = true;
}

/* The procedure the state names, at the version it names. */
static const fh_procedure *state_procedure(scenario *s)
{
	json_t *proc = json_object_get(s->state, "procedure");
	if (!json_is_object(proc))
		return NULL;
	const char *code = json_string_value(json_object_get(proc, "code"));
	int version = (int)json_integer_value(json_object_get(proc, "version"));
	for (size_t i = 0; i < s->n_procs; i++)
		if (!strcmp(s->procs[i]->code, code) && s->procs[i]->version == version)
			return s->procs[i];
	return NULL;
}

/* Applies action on a day; FH_OK keeps the new state and the answer. */
static fh_status apply(scenario *s, const char *on, const char *action, json_t *params)
{
	if (!s->have_case)
		failed(s, "no case yet: a 'case' line comes first");
	fh_date today = date_of(s, on);
	json_object_set_new(params, "on", json_string(on));
	const fh_procedure *org_procs[MAX_PROCS];
	lifecycle_person who;
	lifecycle_ctx ctx = context(s, today, org_procs, action, params, &who);
	lifecycle_outcome out = {0};
	fh_error err = {0};
	fh_status st = lifecycle_apply(&ctx, s->state, action, params, &out, &err);
	if (st) {
		s->refusal = err;
		s->refused_once = true;
		if (out.state || out.event)
			failed(s, "a refusal left a new state or an event behind");
		return st;
	}
	json_t *point = json_object_get(json_object_get(out.event, "result"), "point");
	if (point) /* add_point: the store adds the point the lifecycle decided */
		add_point(s, json_string_value(json_object_get(point, "summary")),
			  json_string_value(json_object_get(point, "desired_outcome")));
	json_decref(s->state);
	s->state = out.state;
	s->proc = out.chosen ? out.chosen : state_procedure(s);
	ctx.proc = s->proc;
	json_decref(s->last);
	s->last = json_pack("{sO so sO}", "state", s->state, "deadlines",
			    lifecycle_deadlines(&ctx, s->state), "result",
			    json_object_get(out.event, "result"));
	json_decref(out.event);
	return FH_OK;
}

/* act DATE ACTION [PARAMS] */
static void act_line(scenario *s, char *p)
{
	const char *on = need(s, &p, "the date"), *action = need(s, &p, "the action");
	json_t *params = params_of(s, rest(&p));
	fh_status st = apply(s, on, action, params);
	json_decref(params);
	s->checks++;
	if (st)
		failed(s, "%s was refused: %s %s: %s (%s)", action, error_status_name(st),
		       s->refusal.field, s->refusal.message, s->refusal.source);
}

/*
 * refuse DATE ACTION [PARAMS] => STATUS FIELD [SOURCE]: the action must be
 * refused with that status, naming that field, its source containing SOURCE,
 * with words to say why, and the case left as it was.
 */
static void refuse_line(scenario *s, char *p)
{
	char *arrow = strstr(p, "=>");
	if (!arrow)
		failed(s, "a refusal says what it expects after '=>'");
	*arrow = '\0';
	char *want = arrow + 2;
	const char *on = need(s, &p, "the date"), *action = need(s, &p, "the action");
	const char *status = need(s, &want, "the status"), *field = need(s, &want, "the field");
	const char *source = rest(&want);
	json_t *params = params_of(s, rest(&p));
	json_t *before = json_deep_copy(s->state);
	fh_status st = apply(s, on, action, params);
	json_decref(params);
	s->checks++;
	bool same = json_equal(before, s->state);
	json_decref(before);
	if (st == FH_OK)
		failed(s, "%s was allowed; expected %s on %s", action, status, field);
	if (strcmp(error_status_name(st), status) || strcmp(s->refusal.field, field) ||
	    (*source && !strstr(s->refusal.source, source)))
		failed(s, "expected %s on '%s' citing '%s', got %s on '%s' citing '%s': %s", status,
		       field, source, error_status_name(st), s->refusal.field, s->refusal.source,
		       s->refusal.message);
	if (strlen(s->refusal.message) <= 10)
		failed(s, "the refusal's message says too little: '%s'", s->refusal.message);
	if (!same)
		failed(s, "the refusal changed the case's state");
}

/* findings DATE N: a partly upheld finding on each of points 1 to N. */
static void findings_line(scenario *s, char *p)
{
	const char *on = need(s, &p, "the date");
	int n = atoi(need(s, &p, "how many points"));
	for (int point = 1; point <= n; point++) {
		json_t *params = json_pack("{si ss ss ss}", "point", point, "outcome", "partly_upheld",
					   "reasoning", "Records checked.", "outcome_response",
					   "Agreed in part.");
		fh_status st = apply(s, on, "record_finding", params);
		json_decref(params);
		s->checks++;
		if (st)
			failed(s, "the finding on point %d was refused: %s: %s", point,
			       s->refusal.field, s->refusal.message);
	}
}

/* consent_to_share DATE: written, signed consent to share, dated DATE (001 §14.3). */
static void consent_line(scenario *s, char *p)
{
	fh_date on = date_of(s, need(s, &p, "the date"));
	if (!s->kase.consent_to_share || on < s->kase.consent_to_share_on)
		s->kase.consent_to_share_on = on;
	s->kase.consent_to_share = true;
}

/* ---- expectations --------------------------------------------------------------- */

/* due STAGE CLOCK DATE|none: a clock's due date (stage 0: the case's own). */
static void due_line(scenario *s, char *p)
{
	int stage = atoi(need(s, &p, "the stage"));
	const char *clock = need(s, &p, "the clock");
	const char *want = rest(&p);
	json_t *clocks = stage ? json_object_get(json_array_get(json_object_get(s->state, "stages"),
								 (size_t)stage - 1), "clocks")
			       : json_object_get(s->state, "clocks");
	char what[128];
	snprintf(what, sizeof what, "stage %d %s due", stage, clock);
	json_t *due = json_object_get(json_object_get(clocks, clock), "due");
	check(s, what, json_is_string(due) ? due : NULL, "=", !strcmp(want, "none") ? "(none)" : want);
}

/* state KEY VALUE: a field of the state (status, route, stage ...). */
static void state_line(scenario *s, char *p)
{
	const char *key = need(s, &p, "the field");
	json_t *v = json_object_get(s->state, key);
	check(s, key, json_is_null(v) ? NULL : v, "=", rest(&p));
}

/* The lifecycle as store_case_lifecycle shows it on a day; public: the customer's view. */
static json_t *view(scenario *s, const char *on, bool public_only)
{
	const fh_procedure *org_procs[MAX_PROCS];
	lifecycle_ctx ctx = context(s, date_of(s, on), org_procs, NULL, NULL, NULL);
	json_t *state = public_only ? lifecycle_public_view(s->state) : json_incref(s->state);
	return json_pack("{so so so so}", "state", state, "deadlines", lifecycle_deadlines(&ctx, s->state),
			 "allowed", lifecycle_allowed(&ctx, s->state), "missing",
			 lifecycle_missing(&ctx, s->state));
}

/* PATH OP VALUE against doc */
static void path_check(scenario *s, json_t *doc, char *p)
{
	const char *path = need(s, &p, "a path"), *op = need(s, &p, "a comparison");
	check(s, path, at(doc, path), op, rest(&p));
}

/* last PATH OP VALUE: the last action's answer. */
static void last_line(scenario *s, char *p)
{
	if (!s->last)
		failed(s, "no action has been taken on this case");
	path_check(s, s->last, p);
}

/* lifecycle DATE PATH OP VALUE, public DATE PATH OP VALUE */
static void view_line(scenario *s, char *p, bool public_only)
{
	json_t *v = view(s, need(s, &p, "the date"), public_only);
	path_check(s, v, p);
	json_decref(v);
}

/* open DATE CLOCK N: how many open deadlines of that clock the dashboards list. */
static void open_line(scenario *s, char *p)
{
	json_t *v = view(s, need(s, &p, "the date"), false);
	const char *clock = need(s, &p, "the clock");
	int n = 0;
	size_t i;
	json_t *dl;
	json_array_foreach(json_object_get(v, "deadlines"), i, dl)
		n += !strcmp(json_string_value(json_object_get(dl, "clock")), clock);
	json_decref(v);
	json_t *count = json_integer(n);
	char what[96];
	snprintf(what, sizeof what, "open %s deadlines", clock);
	check(s, what, count, "=", rest(&p));
	json_decref(count);
}

/* deadline DATE STAGE CLOCK FIELD OP VALUE: a field of one listed deadline. */
static void deadline_line(scenario *s, char *p)
{
	json_t *v = view(s, need(s, &p, "the date"), false);
	int stage = atoi(need(s, &p, "the stage"));
	const char *clock = need(s, &p, "the clock");
	json_t *found = NULL;
	size_t i;
	json_t *dl;
	json_array_foreach(json_object_get(v, "deadlines"), i, dl)
		if (json_integer_value(json_object_get(dl, "stage")) == stage &&
		    !strcmp(json_string_value(json_object_get(dl, "clock")), clock))
			found = json_incref(dl);
	json_decref(v);
	if (!found)
		failed(s, "no open deadline for stage %d %s", stage, clock);
	const char *field = need(s, &p, "the field"), *op = need(s, &p, "a comparison");
	json_t *value = json_incref(json_object_get(found, field));
	json_decref(found);
	check(s, field, value, op, rest(&p));
	json_decref(value);
}

/* allowed DATE ACTION yes|no: whether the action is offered to the actor. */
static void allowed_line(scenario *s, char *p)
{
	json_t *v = view(s, need(s, &p, "the date"), false);
	const char *action = need(s, &p, "the action"), *want = need(s, &p, "yes or no");
	bool offered = false;
	size_t i;
	json_t *name;
	json_array_foreach(json_object_get(v, "allowed"), i, name)
		offered |= !strcmp(json_string_value(name), action);
	json_decref(v);
	s->checks++;
	if (offered != !strcmp(want, "yes"))
		failed(s, "%s: expected %s offered, got %s", action, !strcmp(want, "yes") ? "" : "not ",
		       offered ? "offered" : "not offered");
}

/* message OP TEXT: the last refusal's words. */
static void message_line(scenario *s, char *p)
{
	if (!s->refused_once)
		failed(s, "nothing has been refused yet");
	json_t *m = json_string(s->refusal.message);
	const char *op = need(s, &p, "a comparison");
	check(s, "the refusal's message", m, op, rest(&p));
	json_decref(m);
}

/* ---- the runner ------------------------------------------------------------------ */

static void lifecycle_line(scenario *s, char *p)
{
	view_line(s, p, false);
}

static void public_line(scenario *s, char *p)
{
	view_line(s, p, true);
}

/* The steps: each line's first word names one. */
static const struct {
	const char *verb;
	void (*run)(scenario *, char *);
} verbs[] = {
	{"user", add_user}, {"closure", add_closure}, {"policy", set_policy},
	{"define", define}, {"actor", set_actor}, {"procedure", change_procedure},
	{"case", new_case}, {"act", act_line}, {"refuse", refuse_line},
	{"findings", findings_line}, {"consent_to_share", consent_line},
	{"due", due_line}, {"state", state_line}, {"last", last_line}, {"open", open_line},
	{"deadline", deadline_line}, {"allowed", allowed_line}, {"message", message_line},
	{"lifecycle", lifecycle_line}, {"public", public_line},
};

static void run_line(scenario *s, char *line)
{
	char *p = line;
	const char *verb = word(&p);
	if (!strcmp(verb, "org")) {
		snprintf(s->org, sizeof s->org, "%s", need(s, &p, "the organisation's code"));
		return;
	}
	if (!strcmp(verb, "title") || !strcmp(verb, "source")) {
		printf("# %s %s: %s\n", s->file, verb, rest(&p));
		return;
	}
	if (!s->org[0])
		failed(s, "the 'org' line comes first");
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (!strcmp(verbs[i].verb, verb)) {
			s->steps++;
			verbs[i].run(s, p);
			return;
		}
	failed(s, "unknown step '%s' (tests/scenarios/README.md lists them)", verb);
}

/* Before a file: the shipped procedures, the calendars and the default actor. */
static int setup(void **state)
{
	const char *path = *state;
	scenario *s = calloc(1, sizeof *s);
	const char *slash = strrchr(path, '/');
	s->path = path;
	s->file = slash ? slash + 1 : path;
	s->defines = json_object();
	s->settings = json_object();
	set_actor(s, (char[]){"test"});
	load_procedures(s);
	build_calendars(s);
	*state = s;
	return 0;
}

/* After a file, passed or failed: everything it held. */
static int teardown(void **state)
{
	scenario *s = *state;
	end_case(s);
	json_decref(s->defines);
	json_decref(s->settings);
	for (size_t i = 0; i < s->n_procs; i++)
		procedure_free(s->procs[i]);
	calendar_free(s->cal);
	calendar_free(s->cal_closures);
	free(s->source);
	free(s);
	return 0;
}

static void run_file(void **state)
{
	scenario *s = *state;
	s->source = read_text(s->path);
	assert_non_null(s->source);
	const bool trace = getenv("FH_SCENARIO_TRACE") && *getenv("FH_SCENARIO_TRACE") == '1';
	for (char *line = s->source, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		s->line++;
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		snprintf(s->text, sizeof s->text, "%s", p);
		if (trace)
			printf("# %s:%d %s\n", s->file, s->line, p);
		run_line(s, p);
	}
	printf("# %s: %d steps, %d checks passed\n", s->file, s->steps, s->checks);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	DIR *dir = opendir(FH_SCENARIOS_DIR);
	if (!dir) {
		fprintf(stderr, "cannot open %s\n", FH_SCENARIOS_DIR);
		return 1;
	}
	char *paths[256];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(dir)) && n < 256) {
		size_t len = strlen(e->d_name);
		if (len > 9 && !strcmp(e->d_name + len - 9, ".scenario")) {
			paths[n] = malloc(strlen(FH_SCENARIOS_DIR) + len + 2);
			sprintf(paths[n], "%s/%s", FH_SCENARIOS_DIR, e->d_name);
			n++;
		}
	}
	closedir(dir);
	qsort(paths, n, sizeof paths[0], by_name);
	struct CMUnitTest *tests = calloc(n ? n : 1, sizeof *tests);
	for (size_t i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){.name = strrchr(paths[i], '/') + 1, .test_func = run_file,
					       .setup_func = setup, .teardown_func = teardown,
					       .initial_state = paths[i]};
	int failures = n ? _cmocka_run_group_tests("scenarios", tests, n, NULL, NULL) : 1;
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(tests);
	return failures;
}
