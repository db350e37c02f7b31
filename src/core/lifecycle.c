/*
 * lifecycle.c: the actions of DOMAIN §3-§4 over a case's state document.
 *
 * Each action is a function that reads its parameters, checks the state and
 * the procedure, and changes a private copy of the state.  After every
 * action the clocks are counted again from their start, extension and the
 * stops, so a due date is always a function of recorded facts.
 */
#include "lifecycle.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "letter.h"
#include "timescale.h"
#include "triage.h"

/* ---- the working context of one action ----------------------------------- */

typedef struct act {
	const lifecycle_ctx *ctx;
	json_t *state;      /* the copy being changed */
	const json_t *params;
	json_t *result;     /* what the action decided, for the event */
	fh_error *err;
	fh_date on;         /* the action's effective date */
	lifecycle_outcome *out;
	const char *kept_out; /* a parameter that never goes into the event (001 §15.3) */
	bool roles_decided;   /* the organisation's own role table allowed the actor */
} act;

static const char *const TEAM[] = {"complaints_team", "manager", NULL};
static const char *const TEAM_IO[] = {"complaints_team", "manager", "investigating_officer", NULL};

const char *const LIFECYCLE_INTEREST[] = {"accepted", "refused", NULL};
const char *const LIFECYCLE_PARTIES[] = {"customer", "organisation", NULL};
const char *const LIFECYCLE_MEDIATION_OUTCOMES[] = {"resolved", "not_resolved", NULL};

static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static char *iso(fh_date d, char buf[DATE_ISO_LEN])
{
	return date_format(d, buf);
}

static json_t *jdate(fh_date d)
{
	char buf[DATE_ISO_LEN];
	return json_string(date_format(d, buf));
}

static bool get_date(const json_t *obj, const char *key, fh_date *out)
{
	const char *s = str(obj, key);
	return s && date_parse(s, out);
}

/*
 * The calendar a procedure's clocks count on: the region's working days
 * (reg 2 of SI 2006/1738), or the organisation's with its closure days only
 * where the procedure's file says they count (closure_days).
 */
static const fh_calendar *proc_calendar(const lifecycle_ctx *ctx, const fh_procedure *p)
{
	return p && p->closure_days && ctx->cal_closures ? ctx->cal_closures : ctx->cal;
}

/* The same for one clock of the state, which records the choice. */
static const fh_calendar *clock_calendar(const lifecycle_ctx *ctx, const json_t *c)
{
	return json_is_true(json_object_get(c, "closure_days")) && ctx->cal_closures
		       ? ctx->cal_closures : ctx->cal;
}

/* ---- parameters ------------------------------------------------------------ */

static fh_status p_text(act *a, const char *key, bool required, size_t max, const char **out)
{
	json_t *v = json_object_get(a->params, key);
	*out = NULL;
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
		if (required)
			return error_set(a->err, FH_EINVAL, key, NULL, "is required");
		return FH_OK;
	}
	if (!json_is_string(v))
		return error_set(a->err, FH_EINVAL, key, NULL, "must be text");
	if (json_string_length(v) > max)
		return error_set(a->err, FH_EINVAL, key, NULL, "is too long (at most %zu characters)", max);
	*out = json_string_value(v);
	return FH_OK;
}

static fh_status p_choice(act *a, const char *key, const char *const *choices, bool required,
			  const char **out)
{
	fh_status s = p_text(a, key, required, 64, out);
	if (s || !*out)
		return s;
	if (!model_is_one_of(choices, *out)) {
		char names[512];
		return error_set(a->err, FH_EINVAL, key, NULL, "'%s' is not one of %s", *out,
				 model_join(choices, names, sizeof names));
	}
	return FH_OK;
}

static fh_status p_date(act *a, const char *key, bool required, fh_date *out, bool *given)
{
	const char *s;
	*given = false;
	fh_status st = p_text(a, key, required, 10, &s);
	if (st || !s)
		return st;
	if (!date_parse(s, out))
		return error_set(a->err, FH_EINVAL, key, NULL, "'%s' is not a real date (YYYY-MM-DD)", s);
	*given = true;
	return FH_OK;
}

static fh_status p_int(act *a, const char *key, bool required, int min, int max, int *out)
{
	json_t *v = json_object_get(a->params, key);
	if (!v || json_is_null(v)) {
		if (required)
			return error_set(a->err, FH_EINVAL, key, NULL, "is required");
		return FH_OK;
	}
	if (json_is_string(v)) { /* the command line sends everything as text */
		char *end;
		long n = strtol(json_string_value(v), &end, 10);
		if (*json_string_value(v) && !*end && n >= min && n <= max) {
			*out = (int)n;
			return FH_OK;
		}
	} else if (json_is_integer(v) && json_integer_value(v) >= min &&
		   json_integer_value(v) <= max) {
		*out = (int)json_integer_value(v);
		return FH_OK;
	}
	return error_set(a->err, FH_EINVAL, key, NULL, "must be a whole number from %d to %d", min, max);
}

static fh_status p_bool(act *a, const char *key, bool *out)
{
	json_t *v = json_object_get(a->params, key);
	*out = false;
	if (!v || json_is_null(v))
		return FH_OK;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return FH_OK;
	}
	if (json_is_string(v) && (!strcmp(json_string_value(v), "true") ||
				  !strcmp(json_string_value(v), "false"))) {
		*out = !strcmp(json_string_value(v), "true");
		return FH_OK;
	}
	return error_set(a->err, FH_EINVAL, key, NULL, "must be true or false");
}

/* ---- roles and state ------------------------------------------------------- */

static bool has_any(const fh_actor *actor, const char *const *roles)
{
	for (; roles && *roles; roles++)
		if (model_actor_has_role(actor, *roles))
			return true;
	return false;
}

/*
 * The roles the organisation's file gives the action (policy.actions), as a
 * NULL-terminated list in buf, or NULL when it gives none: the action's own.
 * Where it gives them, they alone decide who may take the action (the
 * gate and the action's own checks of roles both defer to them).
 */
static const char *const *own_roles(const lifecycle_ctx *ctx, const char *action,
				    const char *buf[], size_t max)
{
	const json_t *list = action && lifecycle_action_roles_settable(action)
				     ? json_object_get(ctx->action_roles, action) : NULL;
	if (!json_is_array(list))
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < json_array_size(list) && n + 1 < max; i++)
		if (json_is_string(json_array_get(list, i)))
			buf[n++] = json_string_value(json_array_get(list, i));
	buf[n] = NULL;
	return buf;
}

static fh_status need_roles(act *a, const char *const *roles, const char *extra)
{
	if (a->roles_decided)
		return FH_OK;
	if (has_any(a->ctx->actor, roles) || (extra && model_actor_has_role(a->ctx->actor, extra)))
		return FH_OK;
	char names[256];
	model_join(roles, names, sizeof names);
	return error_set(a->err, FH_EFORBIDDEN, "actor", NULL, "this action is for %s%s%s",
			 names, extra ? ", " : "", extra ? extra : "");
}

/* The organisation's own role table, where it names the action. */
static fh_status own_roles_allow(act *a, const char *action)
{
	const char *buf[16];
	const char *const *own = own_roles(a->ctx, action, buf, 16);
	if (!own)
		return FH_OK;
	if (!has_any(a->ctx->actor, own)) {
		char names[256];
		model_join(own, names, sizeof names);
		return error_set(a->err, FH_EFORBIDDEN, "actor", "policy.actions",
				 "this organisation gives this action to %s", names);
	}
	a->roles_decided = true;
	return FH_OK;
}

static const char *status(act *a)
{
	return str(a->state, "status");
}

static int stage_no(act *a)
{
	return (int)json_integer_value(json_object_get(a->state, "stage"));
}

static json_t *stage_obj(act *a, int n)
{
	json_t *stages = json_object_get(a->state, "stages");
	return n >= 1 ? json_array_get(stages, (size_t)n - 1) : NULL;
}

static json_t *current_stage(act *a)
{
	return stage_obj(a, stage_no(a));
}

static const proc_stage *current_rules(act *a)
{
	return a->ctx->proc ? procedure_stage(a->ctx->proc, stage_no(a)) : NULL;
}

static fh_status not_now(act *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static fh_status not_now(act *a, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char where[96];
	int n = stage_no(a);
	if (n > 0)
		snprintf(where, sizeof where, " (the case is %s at stage %d)", status(a), n);
	else
		snprintf(where, sizeof where, " (the case is %s)", status(a));
	return error_set(a->err, FH_ECONFLICT, "action", NULL, "%s%s", msg, where);
}

static fh_status need_status(act *a, const char *wanted)
{
	if (strcmp(status(a), wanted) == 0)
		return FH_OK;
	return not_now(a, "this action needs a case that is %s", wanted);
}

/* ---- clocks ---------------------------------------------------------------- */

static json_t *new_clock(const char *name, const proc_clock *rule, const char *unit_override)
{
	(void)unit_override;
	return json_pack("{ss ss? ss si si si ss ss? ss? ss? ss? ss? sb}", "name", name, "start", NULL,
			 "unit", timescale_unit_name(rule->span.unit), "limit", rule->span.length,
			 "max", rule->extend_to, "extended_to", 0, "from", rule->from, "reason", NULL,
			 "notice_on", NULL, "due", NULL, "done_on", NULL, "source", rule->source,
			 "notice_required", rule->extension_notice);
}

/* Gives every waiting clock of the stage whose starting event is `event` its start. */
static void start_clocks(json_t *stage, const char *event, fh_date on)
{
	json_t *clocks = json_object_get(stage, "clocks");
	const char *key;
	json_t *c;
	json_object_foreach(clocks, key, c) {
		const char *from = str(c, "from");
		if (from && !strcmp(from, event) && json_is_null(json_object_get(c, "start")))
			json_object_set_new(c, "start", jdate(on));
	}
}

static void finish_clock(json_t *stage_or_root, const char *name, fh_date on)
{
	json_t *c = json_object_get(json_object_get(stage_or_root, "clocks"), name);
	if (c && json_is_null(json_object_get(c, "done_on")) && !json_is_null(json_object_get(c, "start")))
		json_object_set_new(c, "done_on", jdate(on));
}

/*
 * The state's stops, clipped to one clock's life and merged where they
 * overlap (a suspension during a wait for consent), as timescale needs them.
 */
static size_t clock_stops(const json_t *state, fh_date start, bool done, fh_date done_on,
			  timescale_stop *out, size_t max)
{
	size_t n = 0;
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(state, "stops"), i, s) {
		fh_date from, to = TIMESCALE_OPEN, until;
		if (!get_date(s, "from", &from))
			continue;
		if (str(s, "to"))
			get_date(s, "to", &to);
		/* a wait that may stop the clock only so long runs out */
		if (get_date(s, "until", &until) && until < to)
			to = until;
		if (to != TIMESCALE_OPEN && to <= start)
			continue;
		if (done && from >= done_on)
			continue;
		if (from < start)
			from = start;
		if (n > 0 && from <= out[n - 1].restarted_on) {
			if (to > out[n - 1].restarted_on)
				out[n - 1].restarted_on = to;
			continue;
		}
		if (n < max)
			out[n++] = (timescale_stop){from, to};
	}
	return n;
}

/* Counts one clock again; fills its due date.  Returns false when it has not started. */
static bool count_clock(const lifecycle_ctx *ctx, const json_t *state, json_t *c,
			timescale_progress *progress)
{
	fh_date start, done_on = 0, due_override;
	if (!get_date(c, "start", &start))
		return false;
	bool done = get_date(c, "done_on", &done_on);
	timescale_stop stops[32];
	timescale_clock clock = {
		.start = start,
		.limit = (int)json_integer_value(json_object_get(c, "limit")),
		.source = str(c, "source"),
	};
	timescale_unit_parse(str(c, "unit"), &clock.unit);
	int extended = (int)json_integer_value(json_object_get(c, "extended_to"));
	if (extended > 0) {
		clock.extended_limit = extended;
		clock.max_limit = extended;
		clock.extension_reason = "recorded";
	}
	clock.stops = stops;
	clock.stop_count = clock_stops(state, start, done, done_on, stops, 32);
	fh_error err;
	timescale_progress p;
	if (timescale_progress_on(clock_calendar(ctx, c), &clock, done ? done_on : ctx->today, &p,
				  &err) != FH_OK)
		return false;
	/* 003: a progress report sets a new date rather than a new length. */
	if (get_date(c, "due_override", &due_override) && due_override > p.due)
		p.due = due_override;
	assert(p.due >= start); /* DOMAIN §3: a clock is never due before it starts */
	json_object_set_new(c, "due", jdate(p.due));
	if (progress)
		*progress = p;
	return true;
}

static void recount(const lifecycle_ctx *ctx, json_t *state)
{
	const char *key;
	json_t *c;
	json_object_foreach(json_object_get(state, "clocks"), key, c)
		count_clock(ctx, state, c, NULL);
	size_t i;
	json_t *st;
	json_array_foreach(json_object_get(state, "stages"), i, st) {
		json_object_foreach(json_object_get(st, "clocks"), key, c)
			count_clock(ctx, state, c, NULL);
	}
}

static json_t *open_stop(act *a, const char *why)
{
	json_t *stop = json_pack("{so ss? ss}", "from", jdate(a->on), "to", NULL, "why", why);
	json_array_append_new(json_object_get(a->state, "stops"), stop);
	return stop;
}

/*
 * 001 §7.4; 000 "Friends or relatives": the clock waits for the child's
 * answer, but only for the longest the procedure allows (consent_wait_limit);
 * then it runs again whatever the answer (no clock stops for good).
 */
static void open_consent_stop(act *a)
{
	const fh_procedure *p = a->ctx->proc;
	json_t *stop = open_stop(a, "consent");
	fh_date until;
	fh_error e;
	if (p && p->consent_wait_limit.length &&
	    timescale_add(proc_calendar(a->ctx, p), a->on, p->consent_wait_limit.length,
			  p->consent_wait_limit.unit, &until, &e) == FH_OK) {
		json_object_set_new(stop, "until", jdate(until));
		json_object_set_new(stop, "source", json_string(p->consent_wait_source));
		json_object_set_new(a->result, "clock_stopped_until", jdate(until));
	}
}

/* Closes the open stop for `why`; false when there is none. */
static bool close_stop(act *a, const char *why)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(a->state, "stops"), i, s) {
		if (json_is_null(json_object_get(s, "to")) && !strcmp(str(s, "why"), why)) {
			json_object_set_new(s, "to", jdate(a->on));
			return true;
		}
	}
	return false;
}

/* ---- creating stages -------------------------------------------------------- */

static json_t *new_stage(const proc_stage *rules)
{
	json_t *clocks = json_object();
	if (rules->acknowledge.present)
		json_object_set_new(clocks, "acknowledge", new_clock("acknowledge", &rules->acknowledge, NULL));
	if (rules->panel.present && rules->panel.within.present)
		json_object_set_new(clocks, "panel", new_clock("panel", &rules->panel.within, NULL));
	json_object_set_new(clocks, "response", new_clock("response", &rules->response, NULL));
	return json_pack("{si ss so so so so so so so so so}", "number", rules->number, "name",
			 rules->name, "status", json_string("requested"), "clocks", clocks,
			 "assignments", json_array(), "findings", json_object(), "reports",
			 json_object(), "confidential", json_object(), "panel", json_object(),
			 "extensions", json_array(), "response", json_null());
}

/* ---- the actions ------------------------------------------------------------- */

static fh_status do_acknowledge(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	if (s)
		return s;
	if (!strcmp(status(a), "closed") || !strcmp(status(a), "withdrawn"))
		return not_now(a, "a closed case is not acknowledged");
	json_t *stage = current_stage(a);
	json_t *stage_ack = stage ? json_object_get(json_object_get(stage, "clocks"), "acknowledge") : NULL;
	if (stage_ack && json_is_null(json_object_get(stage_ack, "done_on"))) {
		finish_clock(stage, "acknowledge", a->on);
		json_object_set_new(stage, "acknowledged_on", jdate(a->on));
		/* LGSCO Code, Stage 2: the response is due so long after the
		 * request is acknowledged */
		start_clocks(stage, "acknowledged", a->on);
		return FH_OK;
	}
	if (!json_is_null(json_object_get(a->state, "acknowledged_on")))
		return not_now(a, "the case was already acknowledged");
	json_object_set_new(a->state, "acknowledged_on", jdate(a->on));
	finish_clock(a->state, "acknowledge", a->on);
	/* LGSCO Code §6.3: the case's acknowledgement is Stage 1's, whose
	 * response clock may wait for it (acknowledged after acceptance). */
	if (stage && stage_no(a) == 1)
		start_clocks(stage, "acknowledged", a->on);
	return FH_OK;
}

static const fh_procedure *procedure_for_route(const lifecycle_ctx *ctx, const char *route)
{
	const fh_procedure *fallback = NULL;
	for (size_t i = 0; i < ctx->n_org_procs; i++) {
		if (!strcmp(ctx->org_procs[i]->route, route))
			return ctx->org_procs[i];
		if (!fallback)
			fallback = ctx->org_procs[i];
	}
	/* An organisation with one procedure (a charity: 003) runs every
	 * complaint through it. */
	return ctx->n_org_procs == 1 ? fallback : NULL;
}

/*
 * Before triage the case's acknowledgement clock is the first procedure's
 * of the organisation (the route is not known yet); once triage chooses the
 * procedure, an acknowledgement still to be sent is due as that procedure
 * says (the example council: 2 working days under 004, 5 under the LGSCO
 * Code §6.2).  One already sent keeps the clock it was sent under.
 */
static void chosen_acknowledgement(act *a, const fh_procedure *p)
{
	const proc_clock *ack = p->acknowledge.present ? &p->acknowledge
				: p->stages[0].acknowledge.present ? &p->stages[0].acknowledge
								    : NULL;
	json_t *clocks = json_object_get(a->state, "clocks");
	json_t *old = json_object_get(clocks, "acknowledge");
	if (!ack || !old || !json_is_null(json_object_get(old, "done_on")))
		return;
	json_t *c = new_clock("acknowledge", ack, NULL);
	json_object_set(c, "start", json_object_get(old, "start"));
	if (p->closure_days)
		json_object_set_new(c, "closure_days", json_true());
	json_object_set_new(clocks, "acknowledge", c);
}

static fh_status do_triage(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	if (s || (s = need_status(a, "received")))
		return s;
	const lifecycle_case *k = a->ctx->kase;
	triage_facts f = {.kind = k->kind, .anonymous = k->anonymous,
			  .relationship = k->relationship, .child_status = k->child_status,
			  .received_on = k->received_on, .about_child = true};
	bool not_about_child = false;
	const char *late_reason = NULL, *interest = NULL, *interest_reason = NULL;
	if ((s = p_bool(a, "not_about_child", &not_about_child)) ||
	    (s = p_bool(a, "provider_concern", &f.provider_concern)) ||
	    (s = p_bool(a, "partner_agency", &f.partner_agency)) ||
	    (s = p_bool(a, "child_express_consent", &f.child_express_consent)) ||
	    (s = p_bool(a, "court_report", &f.court_report)) ||
	    (s = p_text(a, "accept_late_reason", false, 2000, &late_reason)) ||
	    (s = p_choice(a, "sufficient_interest", LIFECYCLE_INTEREST,
			  false, &interest)) ||
	    (s = p_text(a, "sufficient_interest_reason", false, 2000, &interest_reason)) ||
	    (s = p_date(a, "grounds_arose_on", false, &f.grounds_arose_on, &f.has_grounds_date)))
		return s;
	/* 001 §7.5: a discretionary decision is recorded with its reason (and a
	 * refusal is explained to the representative in writing). */
	if (interest && !interest_reason)
		return error_set(a->err, FH_EINVAL, "sufficient_interest_reason", "001 §7.5",
				 "a decision on sufficient interest is recorded with its reason");
	f.about_child = !not_about_child;
	f.late_accepted_reason = late_reason;
	f.sufficient_interest = interest;
	const char *codes[16];
	json_t *ex = json_object_get(a->params, "exclusions");
	if (ex && !json_is_array(ex) && !json_is_string(ex))
		return error_set(a->err, FH_EINVAL, "exclusions", NULL, "must be a list of reasons");
	char list[512]; /* the codes point into it until triage_decide returns */
	if (json_is_string(ex)) { /* from the command line: comma-separated */
		snprintf(list, sizeof list, "%s", json_string_value(ex));
		char *save = NULL;
		for (char *tok = strtok_r(list, ",", &save); tok && f.n_exclusions < 16;
		     tok = strtok_r(NULL, ",", &save))
			codes[f.n_exclusions++] = tok;
	} else {
		size_t i;
		json_t *v;
		json_array_foreach(ex, i, v) {
			if (!json_is_string(v) || f.n_exclusions == 16)
				return error_set(a->err, FH_EINVAL, "exclusions", NULL,
						 "must be a list of at most 16 reasons");
			codes[f.n_exclusions++] = json_string_value(v);
		}
	}
	f.exclusions = codes;
	f.wording = a->ctx->exclusion_wording;
	f.n_wording = a->ctx->n_exclusion_wording;
	/* The time limit is the organisation's (all the seeds say one year). */
	const fh_procedure *any = a->ctx->n_org_procs ? a->ctx->org_procs[0] : NULL;
	if (any && any->complaint_time_limit.length) {
		f.time_limit_years = any->complaint_time_limit.unit == TIMESCALE_YEARS
					     ? any->complaint_time_limit.length : 1;
		f.time_limit_source = any->time_limit_source;
	}
	triage_result r;
	if ((s = triage_decide(&f, &r, a->err)))
		return s;
	json_t *reasons = json_array();
	for (size_t i = 0; i < r.n_reasons; i++)
		json_array_append_new(reasons, json_pack("{ss ss ss sb}", "code", r.reasons[i].code,
							 "text", r.reasons[i].text, "source",
							 r.reasons[i].source, "applies", r.reasons[i].applies));
	json_t *about = json_object_get(a->params, "about_staff");
	json_t *triage = json_pack("{ss so so}", "route", r.route, "reasons", reasons, "on", jdate(a->on));
	if (late_reason)
		json_object_set_new(triage, "late_accepted_reason", json_string(late_reason));
	if (interest)
		json_object_set_new(triage, "sufficient_interest",
				    json_pack("{ss ss}", "decision", interest, "reason", interest_reason));
	if (about && (json_is_array(about) || json_is_string(about)))
		json_object_set(triage, "about_staff", about);
	json_object_set_new(a->state, "triage", triage);
	json_object_set_new(a->state, "route", json_string(r.route));
	if (!strcmp(r.route, "statutory") || !strcmp(r.route, "non_statutory")) {
		const fh_procedure *p = procedure_for_route(a->ctx, r.route);
		if (!p)
			return error_set(a->err, FH_ERULE, "route", NULL,
					 "the organisation has no %s procedure installed", r.route);
		json_object_set_new(a->state, "procedure",
				    json_pack("{ss si}", "code", p->code, "version", p->version));
		a->out->chosen = p;
		chosen_acknowledgement(a, p);
	} else {
		json_object_set_new(a->state, "procedure", json_null());
	}
	json_object_set_new(a->result, "route", json_string(r.route));
	json_object_set(a->result, "reasons", reasons);
	return FH_OK;
}

/* The child's answer on consent: the state's, else the case record's. */
static const char *consent_state(const lifecycle_ctx *ctx, const json_t *state)
{
	const char *c = str(state, "consent");
	if (!c)
		c = ctx->kase->consent ? ctx->kase->consent : "not_needed";
	return c;
}

/*
 * The consent that matters: someone speaks for the child and the child has
 * not answered.  A child unable to answer (too young, lacking understanding)
 * does not hold the complaint up, nor does one whose consent is not needed
 * (001 §7.4; 000 "Friends or relatives"); a refusal is no wait but an end
 * (consent_refused).
 */
static bool consent_missing(const lifecycle_ctx *ctx, const json_t *state)
{
	const char *c = consent_state(ctx, state);
	return strcmp(c, "not_needed") != 0 && strcmp(c, "given") != 0 && strcmp(c, "unable") != 0;
}

static bool consent_refused(const lifecycle_ctx *ctx, const json_t *state)
{
	return !strcmp(consent_state(ctx, state), "refused");
}

static fh_status start_stage(act *a, const proc_stage *rules, fh_date requested_on, bool requested)
{
	/* stages in order: a case enters stage n + 1 only from stage n (the
	 * procedure numbers its stages 1, 2, 3: procedure.c) */
	assert(rules->number == stage_no(a) + 1 &&
	       (size_t)rules->number == json_array_size(json_object_get(a->state, "stages")) + 1);
	json_t *stage = new_stage(rules);
	json_t *clocks = json_object_get(stage, "clocks");
	/* 003 Stage 1: the case's acknowledgement, started at receipt, is the
	 * stage's: one duty, one clock. */
	if (rules->number == 1 && json_object_get(json_object_get(a->state, "clocks"), "acknowledge"))
		json_object_del(clocks, "acknowledge");
	if (a->ctx->proc && a->ctx->proc->closure_days) {
		const char *key;
		json_t *c;
		json_object_foreach(clocks, key, c)
			json_object_set_new(c, "closure_days", json_true());
	}
	json_array_append_new(json_object_get(a->state, "stages"), stage);
	json_object_set_new(a->state, "stage", json_integer(rules->number));
	if (requested)
		json_object_set_new(stage, "requested_on", jdate(requested_on));
	start_clocks(stage, "requested", requested_on);
	return FH_OK;
}

static fh_status do_accept(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	if (s || (s = need_status(a, "received")))
		return s;
	const char *route = str(a->state, "route");
	if (strcmp(route, "statutory") && strcmp(route, "non_statutory"))
		return error_set(a->err, FH_ERULE, "route", NULL,
				 "only a complaint triaged to the statutory or non-statutory procedure "
				 "is accepted (this one: %s)", route);
	const fh_procedure *p = a->ctx->proc;
	if (!p)
		return error_set(a->err, FH_ERULE, "procedure", NULL, "triage chose no procedure");
	const char *override = NULL;
	if ((s = p_text(a, "consent_override_reason", false, 2000, &override)))
		return s;
	bool missing = consent_missing(a->ctx, a->state);
	/* 001 §7.4: a child who says no ends the complaint made as theirs. */
	if (strcmp(p->consent, "none") && consent_refused(a->ctx, a->state))
		return error_set(a->err, FH_ERULE, "consent", p->consent_source,
				 "the child refused consent, so the complaint cannot go on as "
				 "theirs: decline it with a letter (decline), or record the "
				 "representative's own complaint as a complaint of its own");
	if (missing && !strcmp(p->consent, "blocks_acceptance") && !override)
		return error_set(a->err, FH_ERULE, "consent", p->consent_source,
				 "the child's consent to this complaint being made for them is needed "
				 "before it is accepted (record it with the consent action, or give "
				 "consent_override_reason)");
	start_stage(a, &p->stages[0], a->ctx->kase->received_on, false);
	json_t *stage = current_stage(a);
	json_object_set_new(stage, "status", json_string("active"));
	json_object_set_new(stage, "accepted_on", jdate(a->on));
	start_clocks(stage, "received", a->ctx->kase->received_on);
	start_clocks(stage, "accepted", a->on);
	/* LGSCO Code §6.3: 10 working days from the acknowledgement, which
	 * usually comes before acceptance; until it is recorded the response
	 * clock waits for it (waiting_for: acknowledged). */
	fh_date acked;
	if (get_date(a->state, "acknowledged_on", &acked))
		start_clocks(stage, "acknowledged", acked);
	json_object_set_new(a->state, "status", json_string("open"));
	/* 001 §7.4: while the child has not agreed, the response clock waits. */
	if (missing && !strcmp(p->consent, "stops_clock") && !override) {
		open_consent_stop(a);
		json_object_set_new(a->result, "clock_stopped", json_string("waiting for the child's consent"));
	}
	if (override)
		json_object_set_new(a->result, "consent_override_reason", json_string(override));
	return FH_OK;
}

static fh_status do_consent(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	const char *state;
	if (s)
		return s;
	if (!strcmp(status(a), "closed") || !strcmp(status(a), "withdrawn"))
		return not_now(a, "consent is recorded on an open case");
	if ((s = p_choice(a, "consent", MODEL_CONSENT_STATES, true, &state)))
		return s;
	json_object_set_new(a->state, "consent", json_string(state));
	/* 001 §7.4; 000 "Friends or relatives": given, unable (too young,
	 * lacking understanding) and not needed let the clock run; refused
	 * ends the complaint as the child's, and stops no clock either. */
	if (strcmp(state, "not_asked") && strcmp(state, "requested") && close_stop(a, "consent"))
		json_object_set_new(a->result, "clock_restarted", json_true());
	if (!strcmp(state, "refused"))
		json_object_set_new(a->result, "next",
				    json_string("the child refused consent: the complaint cannot go on "
						"as theirs; decline it with a letter, or record the "
						"representative's own complaint as its own"));
	return FH_OK;
}

static fh_status do_decline(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	if (s)
		return s;
	bool refused = consent_refused(a->ctx, a->state) && a->ctx->proc &&
		       strcmp(a->ctx->proc->consent, "none");
	if (strcmp(status(a), "received") && !(refused && !strcmp(status(a), "open")))
		return need_status(a, "received");
	const char *route = str(a->state, "route");
	if (strcmp(route, "not_considered") != 0 && !refused)
		return error_set(a->err, FH_ERULE, "route", "001 §9.1",
				 "a complaint is declined only when triage found a reason not to "
				 "consider it, or the child refused consent to it being made for "
				 "them (this one: %s)", route);
	const char *letter = NULL;
	if ((s = p_text(a, "letter", false, 200, &letter)))
		return s;
	json_t *reasons = json_object_get(json_object_get(a->state, "triage"), "reasons");
	json_t *declined = json_pack("{so sO}", "on", jdate(a->on), "reasons", reasons);
	if (refused) {
		json_object_set_new(declined, "consent_refused",
				    json_string(a->ctx->proc->consent_source ? a->ctx->proc->consent_source
									      : "001 §7.4"));
		close_stop(a, "consent");
		json_t *stage = current_stage(a);
		if (stage)
			json_object_set_new(stage, "status", json_string("closed"));
	}
	json_object_set_new(a->state, "declined", declined);
	json_object_set_new(a->state, "status", json_string("closed"));
	json_object_set_new(a->state, "closed_on", jdate(a->on));
	finish_clock(a->state, "acknowledge", a->on);
	json_object_set_new(a->result, "letter_required", json_string("001 §9.2"));
	return FH_OK;
}

const char *const LIFECYCLE_PROCEEDINGS[] = {"court", "tribunal", "disciplinary", "criminal", NULL};

static fh_status do_suspend(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	const char *kind, *reason;
	if (s)
		return s;
	if (strcmp(status(a), "open") && strcmp(status(a), "received"))
		return not_now(a, "only a case being handled can be suspended");
	if ((s = p_choice(a, "proceedings", LIFECYCLE_PROCEEDINGS, true, &kind)) ||
	    (s = p_text(a, "reason", true, 2000, &reason)))
		return s;
	json_object_set_new(a->state, "suspended_from", json_string(status(a)));
	json_object_set_new(a->state, "status", json_string("suspended"));
	json_t *stop = open_stop(a, "suspended");
	json_object_set_new(stop, "proceedings", json_string(kind));
	return FH_OK;
}

static fh_status do_resume(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	fh_date concluded;
	bool given;
	if (s || (s = need_status(a, "suspended")) ||
	    (s = p_date(a, "proceedings_concluded_on", false, &concluded, &given)))
		return s;
	/* 001 §9.4: one year from the end of the proceedings to come back. */
	if (given && date_add_years(concluded, 1) < a->on) {
		char c[DATE_ISO_LEN], last[DATE_ISO_LEN];
		return error_set(a->err, FH_ERULE, "on", "001 §9.4",
				 "the proceedings ended on %s, so the complaint could be resubmitted "
				 "until %s", iso(concluded, c), iso(date_add_years(concluded, 1), last));
	}
	close_stop(a, "suspended");
	json_object_set_new(a->state, "status", json_string(str(a->state, "suspended_from")));
	json_object_del(a->state, "suspended_from");
	return FH_OK;
}

static bool user_in(const json_t *list, const char *user)
{
	if (json_is_string(list))
		return strstr(json_string_value(list), user) != NULL;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), user))
			return true;
	return false;
}

static size_t count_assigned(const json_t *stage, const char *role, const char *user, bool chair_only)
{
	size_t n = 0, i;
	json_t *as;
	json_array_foreach(json_object_get(stage, "assignments"), i, as) {
		if (strcmp(str(as, "role"), role) || !json_is_null(json_object_get(as, "ended_on")))
			continue;
		if (user && strcmp(str(as, "user"), user))
			continue;
		if (chair_only && !json_is_true(json_object_get(as, "chair")))
			continue;
		n++;
	}
	return n;
}

/*
 * 001 §14.3 (DOMAIN §8): a customer asking for independent consideration
 * gives written, signed and dated consent to share their personal
 * information first, so the stage's procedure names the roles (the
 * investigating officer, the independent person) the case is not shared
 * with, by assigning them, until that consent is recorded and dated on or
 * before the day.
 */
static fh_status consent_to_share_check(act *a, const proc_stage *rules, const char *role)
{
	bool needed = false;
	for (size_t i = 0; i < rules->n_consent_to_share_before; i++)
		needed |= !strcmp(rules->consent_to_share_before[i], role);
	if (!needed)
		return FH_OK;
	const lifecycle_case *k = a->ctx->kase;
	if (!k->consent_to_share)
		return error_set(a->err, FH_ERULE, "consent", rules->consent_to_share_source,
				 "the case is shared with the %s only once the customer's written, "
				 "signed and dated consent to share their personal information for "
				 "independent consideration is recorded", role);
	if (k->consent_to_share_on > a->on) {
		char on[DATE_ISO_LEN];
		date_format(k->consent_to_share_on, on);
		return error_set(a->err, FH_ERULE, "consent", rules->consent_to_share_source,
				 "the consent to share is dated %s, after this appointment: the "
				 "case is shared with the %s only once it is given", on, role);
	}
	return FH_OK;
}

static bool in_list(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/* The user as the store found them, or NULL when there is no such user. */
static const lifecycle_person *find_person(act *a, const char *email)
{
	for (size_t i = 0; i < a->ctx->n_people; i++)
		if (a->ctx->people[i].email && !strcasecmp(a->ctx->people[i].email, email))
			return &a->ctx->people[i];
	return NULL;
}

/*
 * The person assigned is a user of this
 * organisation (assignee_check), and, where the stage's procedure names the
 * role in its "independence", one an administrator marked independent of it
 * (independence_check; reg 19;
 * 001 B Stage 2 "independent Investigating Officer and Independent
 * Person"; 001 B Stage 3 "three independent people"; 000).
 */
static fh_status assignee_check(act *a, const char *user)
{
	const lifecycle_person *who = find_person(a, user);
	if (!who)
		return error_set(a->err, FH_EINVAL, "user", NULL,
				 "%s is not a user: only a user of this organisation is assigned", user);
	if (!who->in_org)
		return error_set(a->err, FH_ERULE, "user", NULL,
				 "%s is not a user of this organisation, so cannot be assigned "
				 "to its case", user);
	return FH_OK;
}

static fh_status independence_check(act *a, const proc_stage *rules, const char *role,
				    const char *user)
{
	const lifecycle_person *who = find_person(a, user);
	if (in_list(rules->independent_roles, rules->n_independent_roles, role) &&
	    !(who && who->independent))
		return error_set(a->err, FH_ERULE, "user", rules->independence_source,
				 "the %s must be independent of the organisation, and no "
				 "administrator has marked %s independent of it", role, user);
	return FH_OK;
}

/*
 * Items 4 and 10: the stage's "separation" keeps whoever held one of its
 * earlier roles at an earlier stage, or issued an earlier stage's response,
 * out of its roles: the Review Panel is none of the Stage 2 Investigating
 * Officer or Independent Person, the Stage 1 adjudicating officer or the
 * Stage 2 adjudicator (reg 19; 001 B Stage 3); 001 C Stage 2 is reviewed
 * by someone other than the Stage 1 adjudicator.
 */
static fh_status separation_check(act *a, const proc_stage *rules, const char *role, const char *user)
{
	if (!in_list(rules->separation_roles, rules->n_separation_roles, role))
		return FH_OK;
	for (int n = 1; n < rules->number; n++) {
		json_t *earlier = stage_obj(a, n);
		if (!earlier)
			continue;
		for (size_t i = 0; i < rules->n_separation_earlier; i++) {
			const char *was = rules->separation_earlier[i];
			bool held;
			if (!strcmp(was, "responder")) {
				const char *by = str(json_object_get(earlier, "response"), "by");
				held = by && !strcasecmp(by, user);
			} else {
				size_t k;
				json_t *as;
				held = false;
				/* ended assignments count too: they acted on the case */
				json_array_foreach(json_object_get(earlier, "assignments"), k, as)
					held |= !strcmp(str(as, "role"), was) &&
						!strcasecmp(str(as, "user"), user);
			}
			if (held)
				return error_set(a->err, FH_ERULE, "user", rules->separation_source,
						 "%s was the %s at stage %d, so cannot be the %s at "
						 "stage %d", user, strcmp(was, "responder") ? was
						 : "responder", n, role, rules->number);
		}
	}
	return FH_OK;
}

static fh_status do_assign(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	const char *role, *user;
	bool chair = false;
	json_t *stage = current_stage(a);
	const proc_stage *rules = current_rules(a);
	if (s)
		return s;
	if (!stage || strcmp(status(a), "open") || !strcmp(str(stage, "status"), "closed"))
		return not_now(a, "people are assigned to a stage that is open");
	if ((s = p_choice(a, "role", MODEL_USER_ROLES, true, &role)) ||
	    (s = p_text(a, "user", true, 200, &user)) || (s = p_bool(a, "chair", &chair)))
		return s;
	if (count_assigned(stage, role, user, false))
		return error_set(a->err, FH_ECONFLICT, "user", NULL, "%s is already assigned as %s", user, role);
	if ((s = assignee_check(a, user)))
		return s;
	if ((s = consent_to_share_check(a, rules, role)))
		return s;
	/* 001 B Stage 1: a complaint about a Team Manager goes to another. */
	json_t *about = json_object_get(json_object_get(a->state, "triage"), "about_staff");
	if (about && user_in(about, user) &&
	    (!strcmp(role, "adjudicating_officer") || !strcmp(role, "investigating_officer") ||
	     !strcmp(role, "reviewing_officer") || !strcmp(role, rules->responder)))
		return error_set(a->err, FH_ERULE, "user", "001 B Stage 1",
				 "%s is complained about in this case, so cannot handle it: "
				 "another manager or a Head of Service is identified", user);
	/* nor oversee it, review it or sit on its panel (reg 19;
	 * 001 B Stage 3), whatever the role */
	if (about && user_in(about, user))
		return error_set(a->err, FH_ERULE, "user",
				 rules->separation_source ? rules->separation_source
				 : rules->independence_source ? rules->independence_source
				 : rules->source,
				 "%s is complained about in this case, so cannot be its %s", user, role);
	if ((s = independence_check(a, rules, role, user)) ||
	    (s = separation_check(a, rules, role, user)))
		return s;
	if (!strcmp(role, "panel_member")) {
		if (!rules->panel.present)
			return error_set(a->err, FH_ERULE, "role", rules->source,
					 "stage %d has no panel", rules->number);
		/* 003 Stage 3: the panel excludes whoever investigated at Stage 2. */
		json_t *earlier = rules->panel.excludes_stage ? stage_obj(a, rules->panel.excludes_stage) : NULL;
		if (earlier && (count_assigned(earlier, "investigating_officer", user, false) ||
				count_assigned(earlier, "reviewing_officer", user, false) ||
				count_assigned(earlier, "adjudicating_officer", user, false)))
			return error_set(a->err, FH_ERULE, "user", rules->panel.source,
					 "%s investigated the complaint at stage %d, so cannot sit on "
					 "the panel", user, rules->panel.excludes_stage);
		if (count_assigned(stage, "panel_member", NULL, false) >= (size_t)rules->panel.members)
			return error_set(a->err, FH_ERULE, "role", rules->panel.source,
					 "the panel has exactly %d members and is full",
					 rules->panel.members);
		if (chair && count_assigned(stage, "panel_member", NULL, true))
			return error_set(a->err, FH_ERULE, "chair", rules->panel.source,
					 "the panel already has a chair");
	} else if (chair) {
		return error_set(a->err, FH_EINVAL, "chair", NULL, "only a panel member chairs");
	}
	json_array_append_new(json_object_get(stage, "assignments"),
			      json_pack("{ss ss sb so ss?}", "role", role, "user", user, "chair", chair,
					"on", jdate(a->on), "ended_on", NULL));
	return FH_OK;
}

static fh_status do_unassign(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	const char *role, *user;
	json_t *stage = current_stage(a);
	if (s)
		return s;
	if (!stage || strcmp(status(a), "open"))
		return not_now(a, "assignments end on an open case");
	if ((s = p_choice(a, "role", MODEL_USER_ROLES, true, &role)) ||
	    (s = p_text(a, "user", true, 200, &user)))
		return s;
	size_t i;
	json_t *as;
	json_array_foreach(stage ? json_object_get(stage, "assignments") : NULL, i, as) {
		if (!strcmp(str(as, "role"), role) && !strcmp(str(as, "user"), user) &&
		    json_is_null(json_object_get(as, "ended_on"))) {
			json_object_set_new(as, "ended_on", jdate(a->on));
			return FH_OK;
		}
	}
	return error_set(a->err, FH_ENOTFOUND, "user", NULL, "%s is not assigned as %s", user, role);
}

static fh_status do_extend(act *a)
{
	json_t *stage = current_stage(a);
	const proc_stage *rules = current_rules(a);
	if (!stage || strcmp(status(a), "open") || strcmp(str(stage, "status"), "active"))
		return not_now(a, "only a running stage is extended");
	fh_status s = need_roles(a, TEAM, rules->responder);
	const char *name = "response", *reason, *because = NULL, *good_reason = NULL;
	if (s || (s = p_text(a, "clock", false, 32, &name)) ||
	    (s = p_text(a, "reason", true, 2000, &reason)) ||
	    (s = p_text(a, "because", false, 64, &because)) ||
	    (s = p_text(a, "good_reason", false, 2000, &good_reason)))
		return s;
	if (!name)
		name = "response";
	json_t *c = json_object_get(json_object_get(stage, "clocks"), name);
	const proc_clock *rule = !strcmp(name, "response") ? &rules->response
				 : !strcmp(name, "acknowledge") ? &rules->acknowledge
				 : !strcmp(name, "panel") ? &rules->panel.within : NULL;
	if (!c || !rule)
		return error_set(a->err, FH_EINVAL, "clock", NULL, "stage %d has no clock '%s'",
				 rules->number, name);
	if (!json_is_null(json_object_get(c, "done_on")))
		return not_now(a, "the %s clock has already stopped", name);
	/* 001 B: an extension is decided, and the customer told, before the
	 * deadline passes; one recorded on the due date or later would turn a
	 * late response into one in time. */
	fh_date due_now;
	char dd[DATE_ISO_LEN], don[DATE_ISO_LEN];
	if (get_date(c, "due", &due_now) && a->on >= due_now)
		return error_set(a->err, FH_ERULE, "on", rule->source,
				 "an extension is decided before the deadline passes: the %s clock "
				 "of stage %d was due on %s, and this extension is dated %s",
				 name, rules->number, iso(due_now, dd), iso(a->on, don));
	if (rule->extend_to == 0)
		return error_set(a->err, FH_ERULE, "clock", rule->source,
				 "the %s clock of stage %d cannot be extended", name, rules->number);
	if (rule->n_extension_reasons) {
		if (!because || !model_is_one_of(rule->extension_reasons, because)) {
			char names[256];
			return error_set(a->err, FH_ERULE, "because", rule->source,
					 "an extension is allowed only because the complaint is %s",
					 model_join(rule->extension_reasons, names, sizeof names));
		}
	}
	fh_date notice;
	bool has_notice;
	if ((s = p_date(a, "notice_on", false, &notice, &has_notice)))
		return s;
	if (rule->extension_notice && !has_notice)
		return error_set(a->err, FH_ERULE, "notice_on", rule->source,
				 "the customer must be sent a %s first: record the date it was sent "
				 "(notice_on)", rule->notice_name);
	if (has_notice && (notice > a->on))
		return error_set(a->err, FH_EINVAL, "notice_on", NULL, "is after the extension");
	/* LGSCO Code §6.4: a good reason is kept only where it decides the
	 * length, an extension past extend_to on a clock that allows one */
	int asked = 0;
	if (good_reason && !(rule->beyond_with_good_reason &&
			     !p_int(a, "to", true, 1, TIMESCALE_MAX_N, &asked) &&
			     asked > rule->extend_to))
		return error_set(a->err, FH_EINVAL, "good_reason", rule->source,
				 "a good reason is recorded only with an extension past %d %s, on a "
				 "clock that allows one", rule->extend_to,
				 timescale_unit_name(rule->span.unit));
	if (rule->extend_to == -1) {
		/* 003: a progress report gives a new date. */
		fh_date new_due, due;
		bool given;
		if ((s = p_date(a, "new_due", true, &new_due, &given)))
			return s;
		if (get_date(c, "due", &due) && new_due <= due)
			return error_set(a->err, FH_EINVAL, "new_due", NULL,
					 "must be later than the present due date");
		json_object_set_new(c, "due_override", jdate(new_due));
	} else {
		int to;
		int limit = (int)json_integer_value(json_object_get(c, "limit"));
		int current = (int)json_integer_value(json_object_get(c, "extended_to"));
		if ((s = p_int(a, "to", true, 1, TIMESCALE_MAX_N, &to)))
			return s;
		/* LGSCO Code §6.4: no more than the file's extend_to "without good
		 * reason": past it only with that reason recorded. */
		if (to > rule->extend_to && !(rule->beyond_with_good_reason && good_reason))
			return error_set(a->err, FH_ERULE, "to", rule->source,
					 "the %s clock can be extended to at most %d %s%s", name,
					 rule->extend_to, timescale_unit_name(rule->span.unit),
					 rule->beyond_with_good_reason
						 ? " unless a good reason is recorded (good_reason)" : "");
		if (to <= (current ? current : limit))
			return error_set(a->err, FH_EINVAL, "to", NULL,
					 "must be longer than the %d %s in force", current ? current : limit,
					 timescale_unit_name(rule->span.unit));
		json_object_set_new(c, "extended_to", json_integer(to));
	}
	json_object_set_new(c, "reason", json_string(reason));
	if (has_notice)
		json_object_set_new(c, "notice_on", jdate(notice));
	json_t *entry = json_pack("{ss so ss ss? ss?}", "clock", name, "on", jdate(a->on), "reason",
				  reason, "because", because, "notice",
				  rule->extension_notice ? rule->notice_name : NULL);
	if (good_reason)
		json_object_set_new(entry, "good_reason", json_string(good_reason));
	json_array_append_new(json_object_get(stage, "extensions"), entry);
	return FH_OK;
}

static fh_status do_agree_statement(act *a)
{
	json_t *stage = current_stage(a);
	const proc_stage *rules = current_rules(a);
	fh_status s = need_roles(a, TEAM, "investigating_officer");
	if (s)
		return s;
	if (!stage || strcmp(status(a), "open") || strcmp(str(stage, "status"), "active"))
		return not_now(a, "the Statement of Complaint is agreed in a running stage");
	if (!rules->statement_of_complaint)
		return error_set(a->err, FH_ERULE, "action", rules->source,
				 "stage %d has no Statement of Complaint", rules->number);
	if (!json_is_null(json_object_get(stage, "statement_agreed_on")) &&
	    json_object_get(stage, "statement_agreed_on"))
		return not_now(a, "the Statement of Complaint was already agreed");
	for (size_t i = 0; i < rules->n_required_roles; i++)
		if (!count_assigned(stage, rules->required_roles[i], NULL, false))
			return error_set(a->err, FH_ERULE, "assignments", rules->source,
					 "the %s is appointed before the Statement of Complaint is agreed",
					 rules->required_roles[i]);
	json_object_set_new(stage, "statement_agreed_on", jdate(a->on));
	start_clocks(stage, "statement_agreed", a->on);
	return FH_OK;
}

const char *const LIFECYCLE_FINDINGS[] = {"upheld", "partly_upheld", "not_upheld", "not_determined",
				       "withdrawn", NULL};

static const fh_point *find_point(act *a, int seq)
{
	for (size_t i = 0; i < a->ctx->kase->n_points; i++)
		if (a->ctx->kase->points[i].seq == seq)
			return &a->ctx->kase->points[i];
	return NULL;
}

static fh_status do_record_finding(act *a)
{
	json_t *stage = current_stage(a);
	const proc_stage *rules = current_rules(a);
	if (!stage || strcmp(status(a), "open") || strcmp(str(stage, "status"), "active"))
		return not_now(a, "findings are recorded in a running stage");
	const char *const roles[] = {"complaints_team", "investigating_officer", "panel_member", NULL};
	fh_status s = need_roles(a, roles, rules->responder);
	int point = 0;
	const char *outcome, *reasoning, *answer;
	if (s || (s = p_int(a, "point", true, 1, 1000, &point)) ||
	    (s = p_choice(a, "outcome", LIFECYCLE_FINDINGS, true, &outcome)) ||
	    (s = p_text(a, "reasoning", true, 20000, &reasoning)) ||
	    (s = p_text(a, "outcome_response", false, 20000, &answer)))
		return s;
	if (!find_point(a, point))
		return error_set(a->err, FH_ENOTFOUND, "point", NULL, "the case has no point %d", point);
	char key[16];
	snprintf(key, sizeof key, "%d", point);
	json_object_set_new(json_object_get(stage, "findings"), key,
			    json_pack("{ss ss ss? so ss}", "outcome", outcome, "reasoning", reasoning,
				      "outcome_response", answer, "on", jdate(a->on), "by",
				      a->ctx->actor->name));
	return FH_OK;
}

/*
 * 003 Stage 1: "if it relates to a specific person or persons,
 * they will be informed and given an opportunity to respond"; 003 Stage 2:
 * "they should be informed and be allowed further opportunity to
 * respond": at a stage whose procedure names subject_response, the date
 * each person triage named as complained about (about_staff) was told, and
 * what they answered, if anything.  The response waits for every one
 * (do_issue_response).  Their answer is theirs, not the customer's: the
 * public view keeps only the date they were told.
 */
static fh_status do_record_subject_response(act *a)
{
	json_t *stage = current_stage(a);
	const proc_stage *rules = current_rules(a);
	if (!stage || strcmp(status(a), "open") || strcmp(str(stage, "status"), "active"))
		return not_now(a, "the person complained about is told during a running stage");
	fh_status s = need_roles(a, TEAM_IO, rules->responder);
	if (s)
		return s;
	if (!rules->subject_response_source)
		return error_set(a->err, FH_ERULE, "action", rules->source,
				 "stage %d of this procedure records no response from the person "
				 "complained about", rules->number);
	json_t *about = json_object_get(json_object_get(a->state, "triage"), "about_staff");
	if (!about || (json_is_array(about) && !json_array_size(about)))
		return error_set(a->err, FH_ERULE, "person", rules->subject_response_source,
				 "triage named nobody the complaint is about (about_staff)");
	const char *person, *response = NULL;
	fh_date told_on;
	bool given;
	if ((s = p_text(a, "person", true, 200, &person)) ||
	    (s = p_date(a, "told_on", true, &told_on, &given)) ||
	    (s = p_text(a, "response", false, 20000, &response)))
		return s;
	if (!user_in(about, person))
		return error_set(a->err, FH_EINVAL, "person", rules->subject_response_source,
				 "%s is not named as complained about in this case", person);
	if (told_on > a->on)
		return error_set(a->err, FH_EINVAL, "told_on", NULL,
				 "the person is told on or before the day it is recorded");
	json_t *all = json_object_get(stage, "subject_responses");
	if (!json_is_object(all)) {
		all = json_object();
		json_object_set_new(stage, "subject_responses", all);
	}
	json_object_set_new(all, person, json_pack("{so ss? so ss}", "told_on", jdate(told_on),
						   "response", response, "recorded_on",
						   jdate(a->on), "source",
						   rules->subject_response_source));
	return FH_OK;
}

/* The people named as complained about who have not been told yet. */
static void subject_gaps(const json_t *state, const json_t *stage, const proc_stage *rules,
			 char *gaps, size_t size)
{
	if (!rules->subject_response_source)
		return;
	json_t *about = json_object_get(json_object_get(state, "triage"), "about_staff");
	json_t *told = json_object_get(stage, "subject_responses");
	size_t i;
	json_t *v;
	if (json_is_string(about) && *json_string_value(about) &&
	    !json_object_get(told, json_string_value(about)))
		error_list_add(gaps, size, "%s has not been told of the complaint and given the "
			       "chance to respond (%s)", json_string_value(about),
			       rules->subject_response_source);
	json_array_foreach(json_is_array(about) ? about : NULL, i, v)
		if (json_is_string(v) && !json_object_get(told, json_string_value(v)))
			error_list_add(gaps, size, "%s has not been told of the complaint and "
				       "given the chance to respond (%s)", json_string_value(v),
				       rules->subject_response_source);
}

const char *const LIFECYCLE_REPORTS[] = {"io", "ip", "addendum", NULL};

static fh_status do_record_report(act *a)
{
	json_t *stage = current_stage(a);
	const proc_stage *rules = current_rules(a);
	const char *kind, *summary;
	if (!stage || strcmp(status(a), "open") || strcmp(str(stage, "status"), "active"))
		return not_now(a, "reports are recorded in a running stage");
	if (!rules->n_required_reports && !rules->addendum_allowed)
		return error_set(a->err, FH_ERULE, "action", rules->source,
				 "stage %d has no investigation reports", rules->number);
	fh_status s = p_choice(a, "kind", LIFECYCLE_REPORTS, true, &kind);
	if (s || (s = p_text(a, "summary", true, 50000, &summary)))
		return s;
	const char *author = !strcmp(kind, "ip") ? "independent_person" : "investigating_officer";
	if ((s = need_roles(a, TEAM, author)))
		return s;
	bool allowed = !strcmp(kind, "addendum") ? rules->addendum_allowed : false;
	for (size_t i = 0; i < rules->n_required_reports; i++)
		allowed |= !strcmp(rules->required_reports[i], kind);
	if (!allowed)
		return error_set(a->err, FH_ERULE, "kind", rules->source,
				 "stage %d has no %s report", rules->number, kind);
	json_t *report = json_pack("{ss so ss}", "summary", summary, "on", jdate(a->on), "by",
				   a->ctx->actor->name);
	if (!strcmp(kind, "addendum")) {
		/* 001 B Stage 2: concerns for the organisation, never the customer. */
		json_object_set_new(json_object_get(stage, "confidential"), "addendum", report);
		a->out->confidential = true;
	} else {
		json_object_set_new(json_object_get(stage, "reports"), kind, report);
	}
	return FH_OK;
}

/* A unit as prose: "working days", not the file's "working-days". */
static const char *unit_words(timescale_unit unit, char buf[32])
{
	snprintf(buf, 32, "%s", timescale_unit_name(unit));
	for (char *p = buf; *p; p++)
		if (*p == '-')
			*p = ' ';
	return buf;
}

/*
 * The window for asking for stage `next`, counted from `anchor` (the day the
 * customer received the earlier response: 000, 002, 003 "of receiving"):
 * *ideal (0 when the procedure names none) and *latest.
 */
static fh_status request_window(const lifecycle_ctx *ctx, const proc_stage *next, fh_date anchor,
				fh_date *ideal, fh_date *latest, fh_error *err)
{
	const fh_calendar *cal = proc_calendar(ctx, ctx->proc);
	*ideal = 0;
	fh_status s = FH_OK;
	if (next->request.ideal.length)
		s = timescale_add(cal, anchor, next->request.ideal.length, next->request.ideal.unit,
				  ideal, err);
	if (!s)
		s = timescale_add(cal, anchor, next->request.latest.length, next->request.latest.unit,
				  latest, err);
	return s;
}

/*
 * The advice on what the customer can do next (DOMAIN §4), from the
 * procedure, worded for the letter it goes into (dates written out), with
 * the window counted from the day the customer receives the response.
 */
static json_t *escalation_advice(act *a, fh_date received)
{
	const fh_procedure *p = a->ctx->proc;
	const proc_stage *next = procedure_stage(p, stage_no(a) + 1);
	char buf[1200], d1[DATE_ISO_LEN], d2[DATE_ISO_LEN], l1[64], l2[64], unit[32];
	if (!next) {
		snprintf(buf, sizeof buf, "This is the final stage of our procedure. If you are still "
			 "unhappy you can contact the %s: %s.", p->final_name, p->final_contact);
		return json_string(buf);
	}
	fh_date ideal = 0, latest = 0;
	fh_error err;
	request_window(a->ctx, next, received, &ideal, &latest, &err);
	bool has_ideal = ideal != 0;
	letter_long_date(iso(latest, d2), l2, sizeof l2);
	if (has_ideal && ideal != latest)
		snprintf(buf, sizeof buf, "If you are still unhappy you can ask for Stage %d (%s). "
			 "Please ask within %d %s of receiving this response (by %s); we accept "
			 "requests until %s.", next->number, next->name, next->request.ideal.length,
			 unit_words(next->request.ideal.unit, unit),
			 letter_long_date(iso(ideal, d1), l1, sizeof l1), l2);
	else
		snprintf(buf, sizeof buf, "If you are still unhappy you can ask for Stage %d (%s) "
			 "within %d %s of receiving this response (by %s).", next->number, next->name,
			 next->request.latest.length, unit_words(next->request.latest.unit, unit), l2);
	return json_string(buf);
}

bool lifecycle_point_withdrawn(const json_t *state, int seq)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(state, "withdrawn_points"), i, v)
		if (json_integer_value(v) == seq)
			return true;
	return false;
}

const char *const LIFECYCLE_SENT_BY[] = {"email", "hand", "post", NULL};

/*
 * When the customer received a response (000, 002, 003 "of receiving"): by
 * email or by hand that day; by first-class post on the second working day
 * after posting; or on the day given as received_on.  Neither: the day of
 * the response, as before the rule.
 */
static fh_status response_received(act *a, const char *sent_by, bool given, fh_date *received)
{
	if (given) {
		if (*received < a->on)
			return error_set(a->err, FH_EINVAL, "received_on", NULL,
					 "is before the response was sent");
		return FH_OK;
	}
	*received = a->on;
	if (sent_by && !strcmp(sent_by, "post")) {
		fh_error e;
		if (timescale_add(proc_calendar(a->ctx, a->ctx->proc), a->on, 2,
				  TIMESCALE_WORKING_DAYS, received, &e))
			return error_set(a->err, FH_EINVAL, "on", NULL, "%s", e.message);
	}
	return FH_OK;
}

/* DOMAIN §4: a finding on every point still in the complaint, and an
 * answer to each desired outcome, where the procedure requires them. */
static void point_gaps(act *a, const json_t *stage, const proc_stage *rules, char *gaps,
		       size_t size)
{
	json_t *findings = json_object_get(stage, "findings");
	for (size_t i = 0; i < a->ctx->kase->n_points; i++) {
		const fh_point *pt = &a->ctx->kase->points[i];
		if (pt->withdrawn || lifecycle_point_withdrawn(a->state, pt->seq))
			continue;
		char key[16];
		snprintf(key, sizeof key, "%d", pt->seq);
		json_t *f = json_object_get(findings, key);
		if (procedure_requires(rules, "findings") && !f)
			error_list_add(gaps, size, "no finding on point %d", pt->seq);
		if (procedure_requires(rules, "outcomes") && pt->desired_outcome && *pt->desired_outcome &&
		    f && !str(f, "outcome_response"))
			error_list_add(gaps, size, "no answer to the desired outcome of point %d", pt->seq);
	}
}

/* The response's actions, each with what, an owner and a due date not
 * before the response; the good ones as the response records them (the
 * caller owns the array), the rest named in gaps. */
static json_t *response_actions(act *a, const json_t *actions, char *gaps, size_t size)
{
	size_t i;
	json_t *act_item;
	json_t *clean_actions = json_array();
	json_array_foreach(json_is_array(actions) ? actions : NULL, i, act_item) {
		fh_date due;
		const char *what = str(act_item, "action"), *owner = str(act_item, "owner");
		bool dated = get_date(act_item, "due_on", &due);
		if (!what || !*what)
			error_list_add(gaps, size, "action %zu says what will be done", i + 1);
		if (!owner || !*owner)
			error_list_add(gaps, size, "action %zu has no owner", i + 1);
		if (!dated)
			error_list_add(gaps, size, "action %zu has no due date (due_on)", i + 1);
		else if (due < a->on)
			error_list_add(gaps, size, "action %zu is due before the response", i + 1);
		if (what && owner && dated)
			json_array_append_new(clean_actions, json_pack("{ss ss so ss?}", "action", what,
					      "owner", owner, "due_on", jdate(due), "done_on", NULL));
	}
	return clean_actions;
}

/* What the stage itself still lacks: the people appointed, the reports,
 * the agreed Statement of Complaint, the telling of the people complained
 * about, and the panel's meeting and its chair's report. */
static void stage_gaps(act *a, const json_t *stage, const proc_stage *rules, char *gaps,
		       size_t size)
{
	for (size_t k = 0; k < rules->n_required_roles; k++)
		if (!count_assigned(stage, rules->required_roles[k], NULL, false))
			error_list_add(gaps, size, "no %s was appointed", rules->required_roles[k]);
	for (size_t k = 0; k < rules->n_required_reports; k++)
		if (!json_object_get(json_object_get(stage, "reports"), rules->required_reports[k]))
			error_list_add(gaps, size, "the %s report", !strcmp(rules->required_reports[k], "io")
				? "Investigating Officer's" : "Independent Person's");
	if (rules->statement_of_complaint && !str(stage, "statement_agreed_on"))
		error_list_add(gaps, size, "the agreed Statement of Complaint");
	subject_gaps(a->state, stage, rules, gaps, size);
	if (rules->panel.present) {
		json_t *panel = json_object_get(stage, "panel");
		if (!str(panel, "held_on"))
			error_list_add(gaps, size, "the panel has not met");
		else if (rules->panel.chair_report.present && !str(panel, "chair_report_on"))
			error_list_add(gaps, size, "the chair's report");
	}
}

/*
 * Records the response on the stage and ends its clocks: what it said, the
 * reports enclosed with it, and, counted from the day the customer received
 * it, the window for asking for the next stage.
 */
static void record_response(act *a, json_t *stage, const proc_stage *rules, const char *learning,
			    json_t *clean_actions, json_t *advice_json, const char *sent_by,
			    fh_date received)
{
	json_object_set_new(stage, "response",
			    json_pack("{so ss? so so ss ss? so}", "on", jdate(a->on), "learning", learning,
				      "actions", clean_actions, "escalation_advice", advice_json, "by",
				      a->ctx->actor->name, "sent_by", sent_by, "received_on",
				      jdate(received)));
	/* 000 "The outcome of your complaint": the reports the
	 * customer gets a copy of with the response; the addendum never */
	if (rules->n_response_encloses) {
		json_t *enclosed = json_array();
		for (size_t k = 0; k < rules->n_response_encloses; k++)
			json_array_append_new(enclosed, json_string(rules->response_encloses[k]));
		json_object_set_new(json_object_get(stage, "response"), "encloses", enclosed);
		json_object_set_new(json_object_get(stage, "response"), "encloses_source",
				    json_string(rules->response_encloses_source));
	}
	json_object_set_new(stage, "status", json_string("responded"));
	json_object_set_new(stage, "responded_on", jdate(a->on));
	/* 000, 002, 003 "of receiving": the window for the next stage counts
	 * from the day the customer received the response. */
	json_object_set_new(stage, "response_received_on", jdate(received));
	const proc_stage *next = procedure_stage(a->ctx->proc, rules->number + 1);
	fh_date ideal, latest;
	fh_error e;
	if (next && !request_window(a->ctx, next, received, &ideal, &latest, &e)) {
		json_t *until = json_pack("{si so so ss}", "stage", next->number, "ideal",
					  ideal ? jdate(ideal) : json_null(), "latest", jdate(latest),
					  "source", next->request.source);
		json_object_set_new(stage, "escalate_until", until);
		json_object_set(a->result, "escalate_until", until);
	}
	finish_clock(stage, "response", a->on);
	finish_clock(stage, "acknowledge", a->on);
}

static fh_status do_issue_response(act *a)
{
	json_t *stage = current_stage(a);
	const proc_stage *rules = current_rules(a);
	if (!stage || strcmp(status(a), "open") || strcmp(str(stage, "status"), "active"))
		return not_now(a, "a response is issued by a running stage");
	fh_status s = need_roles(a, (const char *const[]){rules->responder, NULL}, NULL);
	json_t *about = json_object_get(json_object_get(a->state, "triage"), "about_staff");
	if (!s && about && !a->ctx->actor->all_roles && user_in(about, a->ctx->actor->name))
		return error_set(a->err, FH_ERULE, "actor", "001 B Stage 1",
				 "the person complained about cannot respond to the complaint");
	const char *learning = NULL, *advice = NULL, *sent_by = NULL;
	fh_date received = a->on;
	bool received_given;
	if (s || (s = p_text(a, "learning", false, 20000, &learning)) ||
	    (s = p_text(a, "escalation_advice", false, 5000, &advice)) ||
	    (s = p_choice(a, "sent_by", LIFECYCLE_SENT_BY, false, &sent_by)) ||
	    (s = p_date(a, "received_on", false, &received, &received_given)) ||
	    (s = response_received(a, sent_by, received_given, &received)))
		return s;
	char gaps[1500] = "";
	point_gaps(a, stage, rules, gaps, sizeof gaps);
	/* What is missing only because a parameter was left out is a parameter
	 * problem (FH_EINVAL), so lifecycle_allowed offers the response as soon
	 * as the case is ready for one; anything else is the rule's refusal. */
	size_t before_params = strlen(gaps);
	bool no_learning = procedure_requires(rules, "learning") && !learning;
	if (no_learning)
		error_list_add(gaps, sizeof gaps, "the learning or service improvement identified");
	json_t *actions = json_object_get(a->params, "actions");
	if (procedure_requires(rules, "actions") && !json_is_array(actions))
		error_list_add(gaps, sizeof gaps, "the actions to be taken (a list, which may be empty)");
	size_t after_params = strlen(gaps);
	json_t *clean_actions = response_actions(a, actions, gaps, sizeof gaps);
	stage_gaps(a, stage, rules, gaps, sizeof gaps);
	if (*gaps) {
		bool params_only = before_params == 0 && strlen(gaps) == after_params;
		json_decref(clean_actions);
		return error_set(a->err, params_only ? FH_EINVAL : FH_ERULE,
				 params_only ? (no_learning ? "learning" : "actions") : "response",
				 rules->source,
				 "the stage %d response cannot be issued yet: %s (DOMAIN §4)",
				 rules->number, gaps);
	}
	json_t *advice_json = advice ? json_string(advice) : escalation_advice(a, received);
	record_response(a, stage, rules, learning, clean_actions, advice_json, sent_by, received);
	json_object_set(a->result, "escalation_advice", json_object_get(json_object_get(stage, "response"), "escalation_advice"));
	return FH_OK;
}

static fh_status do_request_escalation(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	if (s)
		return s;
	json_t *stage = current_stage(a);
	const fh_procedure *p = a->ctx->proc;
	/* Closing a case never takes away the right to the next
	 * stage: a case closed after its stage response takes the request while
	 * the window is open, and reopens. */
	bool closed = !strcmp(status(a), "closed") && stage && str(stage, "responded_on") &&
		      !json_object_get(a->state, "declined");
	if (!stage || (strcmp(status(a), "open") && !closed) ||
	    (!closed && strcmp(str(stage, "status"), "responded")))
		return not_now(a, "escalation is asked for after a stage response");
	const proc_stage *next = procedure_stage(p, stage_no(a) + 1);
	if (!next)
		return error_set(a->err, FH_ERULE, "action", p->final_source,
				 "stage %d is the last stage of this procedure: the customer may go to the %s",
				 stage_no(a), p->final_name);
	fh_date anchor, ideal = 0, latest;
	json_t *anchor_stage = stage_obj(a, next->request.anchor_stage);
	/* 000, 002, 003 "of receiving": from the day the customer received the
	 * response; a state from before that was recorded counts from the
	 * response's date. */
	if (!get_date(anchor_stage, "response_received_on", &anchor) &&
	    !get_date(anchor_stage, "responded_on", &anchor))
		return error_set(a->err, FH_ERULE, "action", next->request.source,
				 "stage %d has no response to count from", next->request.anchor_stage);
	fh_error e;
	if (request_window(a->ctx, next, anchor, &ideal, &latest, &e))
		return error_set(a->err, FH_EINVAL, "on", NULL, "%s", e.message);
	const char *timing;
	char d1[DATE_ISO_LEN], d2[DATE_ISO_LEN];
	if (closed && a->on > latest)
		return error_set(a->err, FH_ERULE, "on", next->request.source,
				 "too late: the case is closed, and a request for stage %d was accepted "
				 "until %s (%d %s after the stage %d response was received on %s)",
				 next->number, iso(latest, d1), next->request.latest.length,
				 timescale_unit_name(next->request.latest.unit),
				 next->request.anchor_stage, iso(anchor, d2));
	const char *why, *override;
	if ((s = p_text(a, "reason", true, 5000, &why)) ||
	    (s = p_text(a, "override_reason", false, 2000, &override)))
		return s;
	if (next->request.ideal.length && a->on <= ideal)
		timing = "in_time";
	else if (a->on <= latest)
		timing = next->request.ideal.length ? "late_accepted" : "in_time";
	else if (next->request.discretionary && override)
		timing = "late_by_discretion";
	else
		return error_set(a->err, FH_ERULE, "on", next->request.source,
				 "too late: a request for stage %d is accepted until %s (%d %s after "
				 "the stage %d response was received on %s)%s", next->number, iso(latest, d1),
				 next->request.latest.length, timescale_unit_name(next->request.latest.unit),
				 next->request.anchor_stage, iso(anchor, d2),
				 next->request.discretionary ? "; give override_reason to accept it anyway" : "");
	json_object_set_new(stage, "status", json_string("closed"));
	if (closed) {
		json_object_set_new(a->state, "status", json_string("open"));
		json_object_set_new(a->state, "reopened_on", jdate(a->on));
		json_object_set_new(a->state, "closed_on", json_null());
		json_object_set_new(a->result, "reopened", json_true());
	}
	start_stage(a, next, a->on, true);
	json_t *ns = current_stage(a);
	json_object_set_new(ns, "request_timing", json_string(timing));
	json_object_set_new(ns, "request_reason", json_string(why));
	if (override && !strcmp(timing, "late_by_discretion"))
		json_object_set_new(ns, "override_reason", json_string(override));
	json_object_set_new(a->result, "timing", json_string(timing));
	return FH_OK;
}

static fh_status do_accept_escalation(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	json_t *stage = current_stage(a);
	if (s)
		return s;
	if (!stage || strcmp(status(a), "open") || strcmp(str(stage, "status"), "requested"))
		return not_now(a, "only a requested stage is accepted");
	json_object_set_new(stage, "status", json_string("active"));
	json_object_set_new(stage, "accepted_on", jdate(a->on));
	start_clocks(stage, "accepted", a->on);
	return FH_OK;
}

static fh_status panel_stage(act *a, json_t **stage, const proc_stage **rules)
{
	*stage = current_stage(a);
	*rules = current_rules(a);
	if (!*stage || strcmp(status(a), "open") || strcmp(str(*stage, "status"), "active"))
		return not_now(a, "the panel belongs to a running stage");
	if (!(*rules)->panel.present)
		return error_set(a->err, FH_ERULE, "action", (*rules)->source, "stage %d has no panel",
				 (*rules)->number);
	return FH_OK;
}

static fh_status do_schedule_panel(act *a)
{
	json_t *stage;
	const proc_stage *rules;
	fh_status s = need_roles(a, TEAM, NULL);
	if (s || (s = panel_stage(a, &stage, &rules)))
		return s;
	fh_date date, due;
	bool given;
	const char *place, *override;
	if ((s = p_date(a, "date", true, &date, &given)) || (s = p_text(a, "place", true, 500, &place)) ||
	    (s = p_text(a, "override_reason", false, 2000, &override)))
		return s;
	if (date < a->on)
		return error_set(a->err, FH_EINVAL, "date", NULL, "the panel cannot meet in the past");
	json_t *within = json_object_get(json_object_get(stage, "clocks"), "panel");
	char d1[DATE_ISO_LEN];
	if (within && get_date(within, "due", &due) && date > due && !override)
		return error_set(a->err, FH_ERULE, "date", rules->panel.within.source,
				 "the panel must meet within %d %s of the valid request, by %s "
				 "(give override_reason to record why it cannot)",
				 rules->panel.within.span.length,
				 timescale_unit_name(rules->panel.within.span.unit), iso(due, d1));
	json_t *panel = json_object_get(stage, "panel");
	/* 001 B Stage 3: a panel moved after its invitation went out needs a new
	 * invitation, in time for the new date (record_panel checks). */
	fh_date invited_for;
	if (get_date(panel, "invitation_for", &invited_for) && invited_for != date)
		json_object_set_new(a->result, "new_invitation_needed", json_true());
	json_object_set_new(panel, "date", jdate(date));
	json_object_set_new(panel, "place", json_string(place));
	if (rules->panel.invitation_before.length) {
		fh_date latest;
		fh_error e;
		if (timescale_latest_before(proc_calendar(a->ctx, a->ctx->proc), date, rules->panel.invitation_before.length,
					    rules->panel.invitation_before.unit, &latest, &e) == FH_OK) {
			json_object_set_new(panel, "invite_by", jdate(latest));
			json_object_set_new(a->result, "invite_by", jdate(latest));
		}
	}
	return FH_OK;
}

static fh_status do_send_invitation(act *a)
{
	json_t *stage;
	const proc_stage *rules;
	fh_status s = need_roles(a, TEAM, NULL);
	if (s || (s = panel_stage(a, &stage, &rules)))
		return s;
	json_t *panel = json_object_get(stage, "panel");
	fh_date invite_by;
	if (!str(panel, "date"))
		return not_now(a, "schedule the panel before inviting to it");
	char d1[DATE_ISO_LEN], d2[DATE_ISO_LEN];
	if (get_date(panel, "invite_by", &invite_by) && a->on > invite_by)
		return error_set(a->err, FH_ERULE, "on", rules->panel.source,
				 "the invitation with the papers goes not less than %d %s before the "
				 "panel of %s: by %s at the latest; move the panel instead",
				 rules->panel.invitation_before.length,
				 timescale_unit_name(rules->panel.invitation_before.unit),
				 str(panel, "date"), iso(invite_by, d1));
	(void)d2;
	json_object_set_new(panel, "invitation_sent_on", jdate(a->on));
	json_object_set(panel, "invitation_for", json_object_get(panel, "date"));
	return FH_OK;
}

static fh_status do_record_panel(act *a)
{
	json_t *stage;
	const proc_stage *rules;
	const char *const roles[] = {"complaints_team", "manager", "panel_member", NULL};
	fh_status s = need_roles(a, roles, NULL);
	if (s || (s = panel_stage(a, &stage, &rules)))
		return s;
	json_t *panel = json_object_get(stage, "panel");
	fh_date date;
	if (!get_date(panel, "date", &date))
		return not_now(a, "the panel has not been scheduled");
	if (a->on < date)
		return error_set(a->err, FH_EINVAL, "on", NULL, "is before the panel's date (%s)",
				 str(panel, "date"));
	if (rules->panel.invitation_before.length && !str(panel, "invitation_sent_on"))
		return error_set(a->err, FH_ERULE, "invitation", rules->panel.source,
				 "the invitation and papers were never sent");
	/* 001 B Stage 3: the invitation that counts is the one for the date the
	 * panel is held, sent not less than the stated time before it (a state
	 * from before invitation_for was recorded: the one invitation). */
	fh_date invited_for, sent, invite_by;
	char d1[DATE_ISO_LEN], d2[DATE_ISO_LEN];
	if (rules->panel.invitation_before.length && get_date(panel, "invitation_for", &invited_for) &&
	    invited_for != date)
		return error_set(a->err, FH_ERULE, "invitation", rules->panel.source,
				 "the invitation went out for a panel on %s, not %s: send a new one, "
				 "not less than %d %s before the panel", iso(invited_for, d1),
				 str(panel, "date"), rules->panel.invitation_before.length,
				 timescale_unit_name(rules->panel.invitation_before.unit));
	if (rules->panel.invitation_before.length && get_date(panel, "invitation_sent_on", &sent) &&
	    get_date(panel, "invite_by", &invite_by) && sent > invite_by)
		return error_set(a->err, FH_ERULE, "invitation", rules->panel.source,
				 "the invitation was sent on %s, later than %s, not less than %d %s "
				 "before the panel of %s", iso(sent, d1), iso(invite_by, d2),
				 rules->panel.invitation_before.length,
				 timescale_unit_name(rules->panel.invitation_before.unit),
				 str(panel, "date"));
	size_t members = count_assigned(stage, "panel_member", NULL, false);
	if (members != (size_t)rules->panel.members)
		return error_set(a->err, FH_ERULE, "panel", rules->panel.source,
				 "the panel has exactly %d members; %zu are assigned",
				 rules->panel.members, members);
	if (rules->panel.chair && !count_assigned(stage, "panel_member", NULL, true))
		return error_set(a->err, FH_ERULE, "chair", rules->panel.source,
				 "one of the panel members chairs it: assign a chair");
	/* The panel was held on its date (recorded on this one); the chair's
	 * report is due within five working days "of the Panel Meeting"
	 * (001 B Stage 3), so its clock starts on that date. */
	json_object_set_new(panel, "held_on", jdate(date));
	if (a->on != date)
		json_object_set_new(panel, "recorded_on", jdate(a->on));
	finish_clock(stage, "panel", date);
	if (rules->panel.chair_report.present) {
		json_t *clock = new_clock("chair_report", &rules->panel.chair_report, NULL);
		json_object_set_new(clock, "start", jdate(date));
		if (a->ctx->proc && a->ctx->proc->closure_days)
			json_object_set_new(clock, "closure_days", json_true());
		json_object_set_new(json_object_get(stage, "clocks"), "chair_report", clock);
	}
	return FH_OK;
}

static fh_status do_issue_chair_report(act *a)
{
	json_t *stage;
	const proc_stage *rules;
	const char *const roles[] = {"complaints_team", "panel_member", NULL};
	fh_status s = need_roles(a, roles, NULL);
	const char *summary;
	if (s || (s = panel_stage(a, &stage, &rules)) ||
	    (s = p_text(a, "summary", true, 50000, &summary)))
		return s;
	json_t *panel = json_object_get(stage, "panel");
	if (!str(panel, "held_on"))
		return not_now(a, "the panel has not met");
	if (str(panel, "chair_report_on"))
		return not_now(a, "the chair's report was already issued");
	json_object_set_new(panel, "chair_report_on", jdate(a->on));
	json_object_set_new(json_object_get(stage, "reports"), "chair",
			    json_pack("{ss so ss}", "summary", summary, "on", jdate(a->on), "by",
				      a->ctx->actor->name));
	finish_clock(stage, "chair_report", a->on);
	start_clocks(stage, "chair_report", a->on);
	return FH_OK;
}

static fh_status do_withdraw(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	const char *reason;
	if (s)
		return s;
	if (!strcmp(status(a), "closed") || !strcmp(status(a), "withdrawn"))
		return not_now(a, "the case has already ended");
	if ((s = p_text(a, "reason", true, 2000, &reason)))
		return s;
	json_object_set_new(a->state, "status", json_string("withdrawn"));
	json_object_set_new(a->state, "closed_on", jdate(a->on));
	close_stop(a, "suspended");
	close_stop(a, "consent");
	return FH_OK;
}

static fh_status do_close(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	if (s)
		return s;
	const char *route = str(a->state, "route");
	bool recorded_only = !strcmp(route, "recorded") || !strcmp(route, "enquiry") ||
			     !strcmp(route, "anonymous") || !strcmp(route, "provider_redirect");
	json_t *stage = current_stage(a);
	json_t *mediation = json_object_get(a->state, "mediation");
	bool resolved = mediation && !strcmp(str(mediation, "status") ? str(mediation, "status") : "", "resolved");
	if (!strcmp(status(a), "received") && recorded_only) {
		/* recorded, passed on, nothing more to run */
	} else if (!strcmp(status(a), "open") && stage &&
		   (!strcmp(str(stage, "status"), "responded") || resolved)) {
		json_object_set_new(stage, "status", json_string("closed"));
	} else {
		return not_now(a, "a case closes after its stage response, after mediation resolves "
				  "it, or once recorded when it is not a complaint to investigate");
	}
	json_object_set_new(a->state, "status", json_string("closed"));
	json_object_set_new(a->state, "closed_on", jdate(a->on));
	finish_clock(a->state, "acknowledge", a->on);
	return FH_OK;
}

static fh_status do_refer_mediation(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	const char *by;
	if (s)
		return s;
	if (strcmp(status(a), "open"))
		return not_now(a, "mediation is offered on an open case");
	json_t *m = json_object_get(a->state, "mediation");
	if (m && !json_is_null(m) && strcmp(str(m, "status"), "ended") && strcmp(str(m, "status"), "resolved"))
		return not_now(a, "mediation is already under way");
	if ((s = p_choice(a, "offered_by", LIFECYCLE_PARTIES,
			  true, &by)))
		return s;
	/* 001 §15.3: at any stage or between stages, voluntary for both. */
	json_object_set_new(a->state, "mediation",
			    json_pack("{ss so si ss sb sb so}", "status", "offered", "offered_on",
				      jdate(a->on), "stage", stage_no(a), "offered_by", by,
				      "customer_agrees", !strcmp(by, "customer"), "organisation_agrees",
				      !strcmp(by, "organisation"), "confidential", json_object()));
	return FH_OK;
}

static fh_status do_agree_mediation(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	const char *party;
	json_t *m = json_object_get(a->state, "mediation");
	if (s)
		return s;
	if (!m || json_is_null(m) || strcmp(str(m, "status"), "offered"))
		return not_now(a, "there is no mediation offer waiting for agreement");
	if ((s = p_choice(a, "party", LIFECYCLE_PARTIES, true,
			  &party)))
		return s;
	json_object_set_new(m, !strcmp(party, "customer") ? "customer_agrees" : "organisation_agrees",
			    json_true());
	if (json_is_true(json_object_get(m, "customer_agrees")) &&
	    json_is_true(json_object_get(m, "organisation_agrees"))) {
		json_object_set_new(m, "status", json_string("under_way"));
		json_object_set_new(m, "started_on", jdate(a->on));
		if (a->ctx->proc && a->ctx->proc->mediation_stops_clock)
			open_stop(a, "mediation");
	}
	return FH_OK;
}

static fh_status do_end_mediation(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	const char *outcome, *notes;
	json_t *m = json_object_get(a->state, "mediation");
	if (s)
		return s;
	if (!m || json_is_null(m) || strcmp(str(m, "status"), "under_way"))
		return not_now(a, "no mediation is under way");
	if ((s = p_choice(a, "outcome", LIFECYCLE_MEDIATION_OUTCOMES,
			  true, &outcome)) ||
	    (s = p_text(a, "notes", false, 50000, &notes)))
		return s;
	json_t *plan = json_object_get(a->params, "action_plan");
	json_t *clean = json_array();
	size_t i;
	json_t *item;
	json_array_foreach(json_is_array(plan) ? plan : NULL, i, item) {
		fh_date due;
		if (!str(item, "action") || !get_date(item, "due_on", &due)) {
			json_decref(clean);
			char field[32];
			snprintf(field, sizeof field, "action_plan[%zu]", i);
			return error_set(a->err, FH_ERULE, field, "001 §15.2",
					 "each action in the plan has a timescale (action and due_on)");
		}
		json_array_append_new(clean, json_pack("{ss so}", "action", str(item, "action"), "due_on", jdate(due)));
	}
	if (!strcmp(outcome, "resolved") && json_array_size(clean) == 0) {
		json_decref(clean);
		return error_set(a->err, FH_ERULE, "action_plan", "001 §15.2",
				 "mediation ends with an action plan with timescales, shared with all parties");
	}
	json_object_set_new(m, "status", json_string(!strcmp(outcome, "resolved") ? "resolved" : "ended"));
	json_object_set_new(m, "ended_on", jdate(a->on));
	json_object_set_new(m, "action_plan", clean);
	if (notes) {
		/* 001 §15.3: what is said in mediation stays in mediation: kept
		 * with the mediation, never copied into the history. */
		json_object_set_new(json_object_get(m, "confidential"), "notes", json_string(notes));
		a->out->confidential = true;
		a->kept_out = "notes";
	}
	close_stop(a, "mediation");
	return FH_OK;
}

const char *const LIFECYCLE_OMBUDSMAN_OUTCOMES[] = {
	"premature", "not_investigated", "no_fault", "fault_no_injustice", "fault_remedied",
	"fault_remedy_recommended", "withdrawn", NULL};

static fh_status do_ombudsman(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	const char *reference, *outcome;
	if (s)
		return s;
	if (!strcmp(status(a), "received"))
		return not_now(a, "the Ombudsman is recorded on a case being handled or closed");
	if ((s = p_text(a, "reference", false, 64, &reference)) ||
	    (s = p_choice(a, "outcome", LIFECYCLE_OMBUDSMAN_OUTCOMES, false, &outcome)))
		return s;
	json_t *list = json_object_get(a->state, "ombudsman");
	json_t *last = json_array_size(list) ? json_array_get(list, json_array_size(list) - 1) : NULL;
	if (outcome) {
		if (!last || str(last, "outcome"))
			return not_now(a, "record the Ombudsman's enquiry before its outcome");
		json_object_set_new(last, "outcome", json_string(outcome));
		json_object_set_new(last, "outcome_on", jdate(a->on));
		return FH_OK;
	}
	json_array_append_new(list, json_pack("{so ss?}", "enquiry_on", jdate(a->on), "reference", reference));
	return FH_OK;
}

/*
 * A complaint point added after recording: the customer tells the officer
 * more, or the Statement of Complaint sets the points out (001 B Stage 2).
 * The store writes the point from the event's result; a Review Panel cannot
 * consider new complaints (001 B Stage 3).
 */
static fh_status do_add_point(act *a)
{
	fh_status s = need_roles(a, TEAM, "investigating_officer");
	if (s)
		return s;
	if (strcmp(status(a), "open") && strcmp(status(a), "received"))
		return not_now(a, "points are added to a case being handled");
	json_t *stage = current_stage(a);
	if (stage && strcmp(str(stage, "status"), "active") && strcmp(str(stage, "status"), "requested"))
		return not_now(a, "the stage has responded: a new point is a new complaint or the "
				  "next stage's");
	const proc_stage *rules = current_rules(a);
	if (rules && rules->panel.present)
		return error_set(a->err, FH_ERULE, "action", "001 B Stage 3",
				 "a review panel cannot consider new complaints, only how the earlier "
				 "stage dealt with them");
	if (a->ctx->kase->n_points >= MODEL_MAX_POINTS)
		return error_set(a->err, FH_ERULE, "point", NULL, "a case has at most %d points",
				 MODEL_MAX_POINTS);
	const char *summary, *outcome;
	if ((s = p_text(a, "summary", true, MODEL_TEXT_MAX, &summary)) ||
	    (s = p_text(a, "desired_outcome", false, MODEL_TEXT_MAX, &outcome)))
		return s;
	int seq = 0;
	for (size_t i = 0; i < a->ctx->kase->n_points; i++)
		if (a->ctx->kase->points[i].seq > seq)
			seq = a->ctx->kase->points[i].seq;
	json_object_set_new(a->result, "point",
			    json_pack("{si ss ss}", "seq", seq + 1, "summary", summary,
				      "desired_outcome", outcome ? outcome : ""));
	return FH_OK;
}

static fh_status do_withdraw_point(act *a)
{
	fh_status s = need_roles(a, TEAM, NULL);
	int point;
	if (s)
		return s;
	if (strcmp(status(a), "open") && strcmp(status(a), "received"))
		return not_now(a, "points are withdrawn from a case being handled");
	if (a->ctx->kase->n_points == 0)
		return not_now(a, "the case has no complaint points");
	if ((s = p_int(a, "point", true, 1, 1000, &point)))
		return s;
	if (!find_point(a, point))
		return error_set(a->err, FH_ENOTFOUND, "point", NULL, "the case has no point %d", point);
	json_t *list = json_object_get(a->state, "withdrawn_points");
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
		if (json_integer_value(v) == point)
			return not_now(a, "point %d was already withdrawn", point);
	json_array_append_new(list, json_integer(point));
	return FH_OK;
}

/* ---- the table ---------------------------------------------------------------- */

/*
 * What refuses an action before it reads a parameter, as a table
 * lifecycle_allowed can check without running the action (which works on a
 * deep copy of the state: most of the staff case page's time when all 28
 * were tried).  Each field restates a check the action itself makes before
 * any parameter is read, so that when the gate says no the action would be
 * refused (FH_EFORBIDDEN, FH_ECONFLICT) whatever the parameters; the gate
 * may say yes to an action that is refused later (that is found by trying
 * it).  `params_next` says more: once past the gate, the action's next
 * refusal with no parameters is a missing parameter (FH_EINVAL), so it is
 * allowed without a trial.  tests/unit/test_lifecycle_allowed.c compares
 * lifecycle_allowed with trying every action over many states, actors and
 * days: a gate that drifts from its action fails there.
 */
typedef struct action_gate {
	const char *const *roles;        /* the actor holds one (NULL: not checked first) */
	bool or_responder;               /* ... or the current stage's responder role */
	const char *const *status;       /* the case's status is one of these (NULL: any) */
	const char *const *status_not;   /* ... and none of these */
	bool stage;                      /* there is a current stage */
	const char *const *stage_status; /* its status is one of these (NULL: any) */
	const char *const *stage_not;    /* ... and none of these */
	const char *const *mediation;    /* the mediation's status is one of these (NULL: any) */
	bool params_next;                /* past the gate, only a missing parameter refuses */
} action_gate;

static const char *const NO_ROLE[] = {NULL};
static const char *const ENDED[] = {"closed", "withdrawn", NULL};
static const char *const RECEIVED[] = {"received", NULL};
static const char *const OPEN[] = {"open", NULL};
static const char *const HANDLED[] = {"open", "received", NULL};
static const char *const SUSPENDED[] = {"suspended", NULL};
static const char *const ACTIVE[] = {"active", NULL};
static const char *const REQUESTED[] = {"requested", NULL};
static const char *const CLOSED[] = {"closed", NULL};
static const char *const OPEN_OR_CLOSED[] = {"open", "closed", NULL};
static const char *const RESPONDED_OR_CLOSED[] = {"responded", "closed", NULL};
static const char *const OFFERED[] = {"offered", NULL};
static const char *const UNDER_WAY[] = {"under_way", NULL};
static const char *const FINDERS[] = {"complaints_team", "investigating_officer", "panel_member", NULL};
static const char *const PANEL_RECORDERS[] = {"complaints_team", "manager", "panel_member", NULL};
static const char *const CHAIR_REPORTERS[] = {"complaints_team", "panel_member", NULL};

typedef struct action_def {
	lifecycle_action_info info;
	fh_status (*run)(act *a);
	action_gate gate;
} action_def;

static const action_def action_table[] = {
	{{"acknowledge", "acknowledge receipt (case or current stage)", "on"},
	 do_acknowledge, {.roles = TEAM, .status_not = ENDED}},
	{{"triage", "decide the route and the procedure (DOMAIN §2)",
	  "on, grounds_arose_on, not_about_child, provider_concern, partner_agency, "
	  "child_express_consent, court_report, sufficient_interest (accepted|refused) with "
	  "sufficient_interest_reason, "
	  "accept_late_reason, exclusions [codes of 001 §9.1], about_staff [emails]"},
	 do_triage, {.roles = TEAM, .status = RECEIVED}},
	{{"accept", "accept the complaint into Stage 1", "on, consent_override_reason"},
	 do_accept, {.roles = TEAM, .status = RECEIVED}},
	{{"decline", "close a complaint triage found not to be considered (001 §9.1-9.2), or one the child refused consent to (001 §7.4)", "on, letter"},
	 do_decline, {.roles = TEAM, .status = HANDLED}},
	{{"consent", "record the child's consent", "on, consent"},
	 do_consent, {.roles = TEAM, .status_not = ENDED, .params_next = true}},
	{{"suspend", "suspend for concurrent proceedings (001 §9.3)", "on, proceedings, reason"},
	 do_suspend, {.roles = TEAM, .status = HANDLED, .params_next = true}},
	{{"resume", "resume a suspended case (001 §9.4)", "on, proceedings_concluded_on"},
	 do_resume, {.roles = TEAM, .status = SUSPENDED}},
	{{"assign", "assign someone to the current stage", "on, role, user, chair"},
	 do_assign, {.roles = TEAM, .status = OPEN, .stage = true, .stage_not = CLOSED, .params_next = true}},
	{{"unassign", "end an assignment", "on, role, user"},
	 do_unassign, {.roles = TEAM, .status = OPEN, .stage = true, .params_next = true}},
	{{"extend", "extend a clock, within the procedure's limit", "on, clock, to | new_due, reason, because, notice_on, good_reason"},
	 do_extend, {.roles = TEAM, .or_responder = true, .status = OPEN, .stage = true, .stage_status = ACTIVE, .params_next = true}},
	{{"agree_statement", "record the agreed Statement of Complaint (001 B Stage 2)", "on"},
	 do_agree_statement, {.roles = TEAM_IO, .status = OPEN, .stage = true, .stage_status = ACTIVE}},
	{{"record_finding", "record a finding on a complaint point", "on, point, outcome, reasoning, outcome_response"},
	 do_record_finding, {.roles = FINDERS, .or_responder = true, .status = OPEN, .stage = true, .stage_status = ACTIVE, .params_next = true}},
	{{"record_report", "record the IO or IP report, or the confidential addendum", "on, kind, summary"},
	 do_record_report, {.status = OPEN, .stage = true, .stage_status = ACTIVE}},
	{{"issue_response", "issue the stage response (DOMAIN §4)", "on, learning, actions [{action, owner, due_on}], escalation_advice, sent_by (email|hand|post) | received_on"},
	 do_issue_response, {.roles = NO_ROLE, .or_responder = true, .status = OPEN, .stage = true, .stage_status = ACTIVE}},
	{{"request_escalation", "record the customer's request for the next stage", "on, reason, override_reason"},
	 do_request_escalation, {.roles = TEAM, .status = OPEN_OR_CLOSED, .stage = true, .stage_status = RESPONDED_OR_CLOSED}},
	{{"accept_escalation", "accept the request and start the stage", "on"},
	 do_accept_escalation, {.roles = TEAM, .status = OPEN, .stage = true, .stage_status = REQUESTED}},
	{{"schedule_panel", "set the Review Panel's date and place", "on, date, place, override_reason"},
	 do_schedule_panel, {.roles = TEAM, .status = OPEN, .stage = true, .stage_status = ACTIVE}},
	{{"send_invitation", "record the panel invitation and papers sent", "on"},
	 do_send_invitation, {.roles = TEAM, .status = OPEN, .stage = true, .stage_status = ACTIVE}},
	{{"record_panel", "record that the panel met", "on"},
	 do_record_panel, {.roles = PANEL_RECORDERS, .status = OPEN, .stage = true, .stage_status = ACTIVE}},
	{{"issue_chair_report", "record the panel chair's report", "on, summary"},
	 do_issue_chair_report, {.roles = CHAIR_REPORTERS, .status = OPEN, .stage = true, .stage_status = ACTIVE}},
	{{"refer_mediation", "offer or request mediation (001 §15)", "on, offered_by"},
	 do_refer_mediation, {.roles = TEAM, .status = OPEN}},
	{{"agree_mediation", "record one party's agreement to mediation", "on, party"},
	 do_agree_mediation, {.roles = TEAM, .mediation = OFFERED, .params_next = true}},
	{{"end_mediation", "record mediation's end and its action plan", "on, outcome, action_plan [{action, due_on}], notes"},
	 do_end_mediation, {.roles = TEAM, .mediation = UNDER_WAY, .params_next = true}},
	{{"ombudsman", "record an Ombudsman enquiry, or its outcome", "on, reference | outcome"},
	 do_ombudsman, {.roles = TEAM, .status_not = RECEIVED}},
	{{"add_point", "add a complaint point with its desired outcome", "on, summary, desired_outcome"},
	 do_add_point, {.roles = TEAM_IO, .status = HANDLED}},
	{{"record_subject_response", "the person complained about was told and may respond (003)",
	  "on, person, told_on, response"},
	 do_record_subject_response, {.roles = TEAM_IO, .or_responder = true, .status = OPEN, .stage = true, .stage_status = ACTIVE}},
	{{"withdraw_point", "the customer withdraws one complaint point", "on, point"},
	 do_withdraw_point, {.roles = TEAM, .status = HANDLED}},
	{{"withdraw", "the customer withdraws the complaint", "on, reason"},
	 do_withdraw, {.roles = TEAM, .status_not = ENDED, .params_next = true}},
	{{"close", "close the case", "on"},
	 do_close, {.roles = TEAM}},
};
enum { N_ACTIONS = sizeof action_table / sizeof action_table[0] };

/*
 * The parameters an action reads are the names in its info.params, the one
 * list the help, the API's list of actions and this check share: the words
 * outside brackets and parentheses, which hold what a value looks like;
 * `|` (either) and `with` (together) join names.  lifecycle_apply refuses
 * any other parameter (FH_EINVAL, field: the parameter), so a mistyped name
 * (grounds_arose instead of grounds_arose_on) is an error on the command
 * line, the API and the web alike, never a rule silently skipped.  Keep
 * info.params in step with what each do_ function reads.
 */
static bool next_param_name(const char **doc, char *name, size_t size)
{
	int depth = 0;
	for (const char *p = *doc; *p;) {
		if (strchr("([{", *p))
			depth++;
		else if (strchr(")]}", *p))
			depth--;
		if (depth > 0 || !((*p >= 'a' && *p <= 'z') || *p == '_')) {
			p++;
			continue;
		}
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
		*doc = p + n;
		if (n == 4 && !strncmp(p, "with", 4)) {
			p += n;
			continue;
		}
		snprintf(name, size, "%.*s", (int)n, p);
		return true;
	}
	return false;
}

/* FH_OK when every parameter is one the action reads. */
static fh_status check_param_names(const action_def *def, const json_t *params, fh_error *err)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)params, key, v) {
		(void)v;
		bool known = false;
		char name[64], names[400] = "";
		for (const char *doc = def->info.params; next_param_name(&doc, name, sizeof name);) {
			known |= !strcmp(name, key);
			error_list_add(names, sizeof names, "%s", name);
		}
		if (!known)
			return error_set(err, FH_EINVAL, key, NULL, "is not a parameter of %s (it takes: %s)",
					 def->info.name, names);
	}
	return FH_OK;
}

size_t lifecycle_action_count(void)
{
	return N_ACTIONS;
}

/* A pointer into the constant table: copying the table into a static array on
 * every call, as this once did, was a data race between the server's worker
 * threads. */
const lifecycle_action_info *lifecycle_action(size_t i)
{
	assert(i < N_ACTIONS);
	return &action_table[i].info;
}

bool lifecycle_action_takes(const char *action, const char *param)
{
	char name[64];
	for (size_t i = 0; i < N_ACTIONS; i++) {
		if (strcmp(action_table[i].info.name, action) != 0)
			continue;
		for (const char *doc = action_table[i].info.params;
		     next_param_name(&doc, name, sizeof name);)
			if (!strcmp(name, param))
				return true;
	}
	return false;
}

bool lifecycle_action_roles_settable(const char *action)
{
	for (size_t i = 0; i < N_ACTIONS; i++)
		if (!strcmp(action_table[i].info.name, action))
			return action_table[i].gate.roles && action_table[i].gate.roles != NO_ROLE;
	return false;
}

json_t *lifecycle_initial_state(const lifecycle_ctx *ctx)
{
	char received[DATE_ISO_LEN];
	date_format(ctx->kase->received_on, received);
	json_t *clocks = json_object();
	/* The acknowledgement clock runs from receipt, before anyone has triaged. */
	for (size_t i = 0; i < ctx->n_org_procs; i++) {
		const fh_procedure *p = ctx->org_procs[i];
		const proc_clock *ack = p->acknowledge.present ? &p->acknowledge
					: p->stages[0].acknowledge.present ? &p->stages[0].acknowledge
									    : NULL;
		if (ack && !strcmp(ctx->kase->kind, "complaint")) {
			json_t *c = new_clock("acknowledge", ack, NULL);
			json_object_set_new(c, "start", json_string(received));
			if (p->closure_days)
				json_object_set_new(c, "closure_days", json_true());
			json_object_set_new(clocks, "acknowledge", c);
			break;
		}
	}
	json_t *state = json_pack("{ss ss so si ss ss ss? ss? so so so so so ss? ss?}", "status", "received",
				  "route", "untriaged", "procedure", json_null(), "stage", 0,
				  "received_on", received, "last_on", received, "acknowledged_on", NULL,
				  "triage", NULL, "clocks", clocks, "stages", json_array(), "stops",
				  json_array(), "ombudsman", json_array(), "withdrawn_points",
				  json_array(), "mediation", NULL, "closed_on", NULL);
	recount(ctx, state);
	return state;
}

static const action_def *action_named(const char *action)
{
	for (size_t i = 0; i < N_ACTIONS; i++)
		if (!strcmp(action_table[i].info.name, action))
			return &action_table[i];
	return NULL;
}

/*
 * lifecycle_apply's work on a state the caller hands over: on FH_OK it is
 * out->state; on a refusal it is left as the action left it, the caller's
 * to free (lifecycle_allowed_by_trial reuses it when the refusal did not
 * change it).
 */
static fh_status apply_to(const lifecycle_ctx *ctx, json_t *state, const action_def *def,
			  const json_t *params, lifecycle_outcome *out, fh_error *err)
{
	json_t *empty = json_object();
	act a = {.ctx = ctx, .state = state, .params = params ? params : empty,
		 .result = json_object(), .err = err, .out = out};
	/* Every action happens on a date: not in the future, not before the
	 * last thing that happened to the case. */
	bool given;
	fh_date last;
	fh_status s = p_date(&a, "on", false, &a.on, &given);
	if (!s && !given)
		a.on = ctx->today;
	char d1[DATE_ISO_LEN];
	if (!s && a.on > ctx->today)
		s = error_set(err, FH_EINVAL, "on", NULL, "is in the future");
	if (!s && get_date(a.state, "last_on", &last) && a.on < last)
		s = error_set(err, FH_EINVAL, "on", NULL, "is before the previous event on the case (%s)",
			      iso(last, d1));
	if (!s)
		s = own_roles_allow(&a, def->info.name);
	if (!s)
		s = def->run(&a);
	if (s) {
		json_decref(a.result);
		json_decref(empty);
		out->chosen = NULL;
		out->confidential = false;
		return s;
	}
	json_object_set_new(a.state, "last_on", jdate(a.on));
	lifecycle_ctx recount_ctx = *ctx;
	if (out->chosen)
		recount_ctx.proc = out->chosen;
	recount(&recount_ctx, a.state);
	json_t *p = json_deep_copy(a.params);
	json_object_set_new(p, "on", jdate(a.on));
	if (a.kept_out && json_object_get(p, a.kept_out)) {
		json_object_del(p, a.kept_out);
		json_object_set_new(p, "kept_out", json_pack("[s]", a.kept_out));
	}
	out->state = a.state;
	out->event = json_pack("{so so}", "params", p, "result", a.result);
	out->effective_on = a.on;
	json_decref(empty);
	return FH_OK;
}

fh_status lifecycle_apply(const lifecycle_ctx *ctx, const json_t *state, const char *action,
			  const json_t *params, lifecycle_outcome *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	const action_def *def = action_named(action);
	if (!def) {
		char names[1024] = "";
		for (size_t i = 0; i < N_ACTIONS; i++)
			error_list_add(names, sizeof names, "%s", action_table[i].info.name);
		return error_set(err, FH_EINVAL, "action", NULL, "no action '%s' (one of: %s)", action, names);
	}
	if (params && !json_is_object(params))
		return error_set(err, FH_EINVAL, "params", NULL, "must be an object");
	if (params) {
		fh_status bad = check_param_names(def, params, err);
		if (bad)
			return bad;
	}
	json_t *copy = json_deep_copy(state);
	fh_status s = apply_to(ctx, copy, def, params, out, err);
	if (s)
		json_decref(copy);
	return s;
}

/*
 * The stop that holds a clock today (every open stop shows on the
 * dashboards with its age): why, since when, until when it may last, and its
 * age in calendar days.  The earliest, when stops overlap.
 */
static void describe_stop(const lifecycle_ctx *ctx, const json_t *state, json_t *d)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(state, "stops"), i, s) {
		fh_date from, to = TIMESCALE_OPEN, until = TIMESCALE_OPEN;
		if (!get_date(s, "from", &from) || from > ctx->today)
			continue;
		if (str(s, "to"))
			get_date(s, "to", &to);
		get_date(s, "until", &until);
		if (to <= ctx->today || until <= ctx->today)
			continue;
		json_object_set_new(d, "stopped_since", jdate(from));
		json_object_set_new(d, "stopped_for", json_string(str(s, "why") ? str(s, "why") : ""));
		json_object_set_new(d, "stopped_days", json_integer((json_int_t)(ctx->today - from)));
		if (until != TIMESCALE_OPEN)
			json_object_set_new(d, "stopped_until", jdate(until));
		return;
	}
}

static void add_deadline(const lifecycle_ctx *ctx, const json_t *state, json_t *list, int stage,
			 json_t *c)
{
	if (!json_is_null(json_object_get(c, "done_on")) && json_object_get(c, "done_on"))
		return;
	json_t *copy = json_deep_copy(c);
	timescale_progress p;
	bool started = count_clock(ctx, state, copy, &p);
	json_t *d = json_pack("{si ss sO sO ss si}", "stage", stage, "clock", str(c, "name"), "start",
			      json_object_get(c, "start"), "source", json_object_get(c, "source"),
			      "unit", str(c, "unit"), "limit",
			      (int)(json_integer_value(json_object_get(c, "extended_to"))
					    ? json_integer_value(json_object_get(c, "extended_to"))
					    : json_integer_value(json_object_get(c, "limit"))));
	if (started) {
		json_object_set(d, "due", json_object_get(copy, "due"));
		json_object_set_new(d, "taken", json_integer(p.taken));
		json_object_set_new(d, "left", json_integer(p.left));
		json_object_set_new(d, "overdue", json_integer(p.overdue));
		json_object_set_new(d, "counted_in", json_string(timescale_unit_name(p.counted_in)));
		json_object_set_new(d, "stopped", json_boolean(p.stopped));
		if (p.stopped)
			describe_stop(ctx, state, d);
	} else {
		json_object_set_new(d, "due", json_null());
		json_object_set_new(d, "waiting_for", json_string(str(c, "from")));
	}
	json_decref(copy);
	json_array_append_new(list, d);
}

json_t *lifecycle_deadlines(const lifecycle_ctx *ctx, const json_t *state)
{
	json_t *list = json_array();
	const char *st = str(state, "status");
	if (!st || !strcmp(st, "closed") || !strcmp(st, "withdrawn"))
		return list;
	const char *key;
	json_t *c;
	json_object_foreach(json_object_get(state, "clocks"), key, c)
		add_deadline(ctx, state, list, 0, c);
	size_t i;
	json_t *stage;
	json_array_foreach(json_object_get(state, "stages"), i, stage) {
		if (!strcmp(str(stage, "status"), "closed"))
			continue;
		json_object_foreach(json_object_get(stage, "clocks"), key, c)
			add_deadline(ctx, state, list, (int)i + 1, c);
	}
	return list;
}

json_t *lifecycle_missing(const lifecycle_ctx *ctx, const json_t *state)
{
	json_t *out = json_array();
	int n = (int)json_integer_value(json_object_get(state, "stage"));
	const proc_stage *rules = ctx->proc && n >= 1 ? procedure_stage(ctx->proc, n) : NULL;
	const json_t *stage = json_array_get(json_object_get(state, "stages"), (size_t)(n - 1));
	const char *case_status = str(state, "status"), *stage_status = str(stage, "status");
	if (!rules || !case_status || strcmp(case_status, "open") || !stage_status ||
	    !strcmp(stage_status, "closed"))
		return out;
	/* 003: the people complained about, told before the response */
	char told[1500] = "";
	if (!strcmp(stage_status, "active"))
		subject_gaps(state, stage, rules, told, sizeof told);
	if (*told)
		json_array_append_new(out, json_pack("{ss ss ss}", "field", "person", "source",
						     rules->subject_response_source, "message", told));
	if (!rules->n_consent_to_share_before || ctx->kase->consent_to_share)
		return out;
	char roles[200] = "";
	for (size_t i = 0, len = 0; i < rules->n_consent_to_share_before && len < sizeof roles; i++)
		len += (size_t)snprintf(roles + len, sizeof roles - len, "%s%s", i ? " and " : "",
					rules->consent_to_share_before[i]);
	for (char *c = roles; *c; c++) /* investigating_officer: investigating officer */
		if (*c == '_')
			*c = ' ';
	json_array_append_new(out, json_pack(
		"{ss ss ss+}", "field", "consent", "source", rules->consent_to_share_source,
		"message", "the customer's written, signed and dated consent to share their "
			   "personal information for independent consideration, before the case "
			   "goes to the ", roles));
	return out;
}

json_t *lifecycle_allowed_by_trial(const lifecycle_ctx *ctx, const json_t *state)
{
	json_t *names = json_array();
	/* Each action is applied in full, as lifecycle_apply would, to a copy
	 * of the state; a copy a refusal left equal to the state serves the
	 * next action too (most are refused, and the copies were most of the
	 * cost). */
	json_t *scratch = NULL;
	for (size_t i = 0; i < N_ACTIONS; i++) {
		lifecycle_outcome out = {0};
		fh_error err = {0};
		if (!scratch)
			scratch = json_deep_copy(state);
		/* An action is allowed now when only its parameters stand in the way. */
		fh_status s = apply_to(ctx, scratch, &action_table[i], NULL, &out, &err);
		if (s == FH_OK) {
			json_decref(out.state);
			json_decref(out.event);
			scratch = NULL;
		} else if (!json_equal(scratch, state)) {
			json_decref(scratch);
			scratch = NULL;
		}
		if (s == FH_OK || s == FH_EINVAL)
			json_array_append_new(names, json_string(action_table[i].info.name));
	}
	json_decref(scratch);
	return names;
}

static bool one_of(const char *const *list, const char *value)
{
	for (; *list; list++)
		if (!strcmp(*list, value))
			return true;
	return false;
}

typedef enum { GATE_REFUSED, GATE_TRY, GATE_ALLOWED } gate_answer;

/*
 * The action's gate (see action_gate) on this state for this actor.  What
 * cannot be read (a status missing, a stage without its procedure) is left
 * to the trial: the gate refuses only what it is sure of.
 */
static gate_answer gate_check(const lifecycle_ctx *ctx, const json_t *state, const action_gate *g,
			      const char *action)
{
	bool sure = true;
	const char *buf[16];
	const char *const *own = own_roles(ctx, action, buf, 16);
	if (own && !has_any(ctx->actor, own))
		return GATE_REFUSED;
	const char *const *roles = own ? NULL : g->roles;
	const char *status = str(state, "status");
	if (!status && (g->status || g->status_not))
		sure = false;
	else if ((g->status && !one_of(g->status, status)) ||
		 (g->status_not && one_of(g->status_not, status)))
		return GATE_REFUSED;
	int n = (int)json_integer_value(json_object_get(state, "stage"));
	const json_t *stage = n >= 1 ? json_array_get(json_object_get(state, "stages"), (size_t)n - 1) : NULL;
	if (g->stage) {
		if (!stage)
			return GATE_REFUSED;
		const char *st = str(stage, "status");
		if (!st && (g->stage_status || g->stage_not))
			sure = false;
		else if ((g->stage_status && !one_of(g->stage_status, st)) ||
			 (g->stage_not && one_of(g->stage_not, st)))
			return GATE_REFUSED;
	}
	if (g->mediation) {
		const json_t *m = json_object_get(state, "mediation");
		const char *ms = str(m, "status");
		if (!m || json_is_null(m))
			return GATE_REFUSED;
		if (!ms)
			sure = false;
		else if (!one_of(g->mediation, ms))
			return GATE_REFUSED;
	}
	if (roles && !has_any(ctx->actor, roles)) {
		const proc_stage *rules = ctx->proc ? procedure_stage(ctx->proc, n) : NULL;
		if (!g->or_responder)
			return GATE_REFUSED;
		if (!rules)
			sure = false; /* the action would look for the responder where there is none */
		else if (!rules->responder || !model_actor_has_role(ctx->actor, rules->responder))
			return GATE_REFUSED;
	} else if (!own && g->or_responder && !(ctx->proc && procedure_stage(ctx->proc, n))) {
		sure = false;
	}
	return sure && g->params_next ? GATE_ALLOWED : GATE_TRY;
}

/*
 * The same answer as lifecycle_allowed_by_trial, for less: an action its
 * gate refuses is not tried, one its gate allows is not tried either, and
 * the others are tried on one scratch copy of the state, copied again only
 * when a trial changed it (a refused action rarely does: checked, not
 * assumed).  A trial runs the action alone, without counting the clocks
 * again or building the event, which cannot change its answer.
 */
json_t *lifecycle_allowed(const lifecycle_ctx *ctx, const json_t *state)
{
	json_t *names = json_array();
	/* Every action happens today here; when the case's last event is
	 * later, every action is refused for its date, a parameter (FH_EINVAL
	 * on "on"), as lifecycle_apply would. */
	fh_date last;
	bool date_refused = get_date(state, "last_on", &last) && ctx->today < last;
	json_t *empty = json_object();
	json_t *scratch = NULL;
	for (size_t i = 0; i < N_ACTIONS; i++) {
		const action_def *def = &action_table[i];
		gate_answer g = date_refused ? GATE_ALLOWED
					     : gate_check(ctx, state, &def->gate, def->info.name);
		if (g == GATE_TRY) {
			if (!scratch)
				scratch = json_deep_copy(state);
			lifecycle_outcome out = {0};
			fh_error err = {0};
			act a = {.ctx = ctx, .state = scratch, .params = empty, .result = json_object(),
				 .err = &err, .on = ctx->today, .out = &out,
				 .roles_decided = own_roles(ctx, def->info.name, (const char *[16]){0}, 16)};
			fh_status s = def->run(&a);
			json_decref(a.result);
			if (s == FH_OK || !json_equal(scratch, state)) {
				json_decref(scratch);
				scratch = NULL;
			}
			g = s == FH_OK || s == FH_EINVAL ? GATE_ALLOWED : GATE_REFUSED;
		}
		if (g == GATE_ALLOWED)
			json_array_append_new(names, json_string(def->info.name));
	}
	json_decref(scratch);
	json_decref(empty);
	return names;
}

json_t *lifecycle_public_view(const json_t *state)
{
	json_t *view = json_deep_copy(state);
	size_t i;
	json_t *stage;
	json_array_foreach(json_object_get(view, "stages"), i, stage)
		json_object_del(stage, "confidential");
	json_t *m = json_object_get(view, "mediation");
	if (m)
		json_object_del(m, "confidential");
	/* what the person complained about answered is theirs */
	json_array_foreach(json_object_get(view, "stages"), i, stage) {
		const char *who;
		json_t *rec;
		json_object_foreach(json_object_get(stage, "subject_responses"), who, rec)
			json_object_del(rec, "response");
	}
	return view;
}
