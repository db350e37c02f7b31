#include "procedure.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATAFILE_READER /* the short names of datafile.h */
#include "datafile.h"
#include "model.h"

const char *const PROCEDURE_CLOCK_EVENTS[] = {"received", "accepted", "requested",
					      "acknowledged", "statement_agreed", "chair_report",
					      NULL};
const char *const PROCEDURE_RESPONSE_PARTS[] = {"findings", "outcomes", "learning", "actions",
						"escalation_advice", NULL};
static const char *const consent_effects[] = {"none", "stops_clock", "blocks_acceptance", NULL};
const char *const PROCEDURE_ROUTES[] = {"statutory", "non_statutory", NULL};
static const char *const report_kinds[] = {"io", "ip", NULL};

static const char *get_string(parser *p, const json_t *obj, const char *path, const char *key,
			      bool required)
{
	return datafile_string(p->problems, obj, path, key, required, false);
}

static const char *get_choice(parser *p, const json_t *obj, const char *path, const char *key,
			      const char *const *choices, const char *fallback)
{
	const char *s = get_string(p, obj, path, key, fallback == NULL);
	if (!s)
		return fallback;
	if (!model_is_one_of(choices, s)) {
		char at[96], names[256];
		join(at, sizeof at, path, key);
		problem(p, at, "'%s' is not one of %s", s, model_join(choices, names, sizeof names));
		return fallback;
	}
	return s;
}

static int get_int(parser *p, const json_t *obj, const char *path, const char *key, int min,
		   int max, int fallback)
{
	return datafile_int(p->problems, obj, path, key, min, max, false, fallback);
}

static bool get_bool(parser *p, const json_t *obj, const char *path, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return false;
	if (!json_is_boolean(v)) {
		char at[96];
		join(at, sizeof at, path, key);
		problem(p, at, "must be true or false");
		return false;
	}
	return json_is_true(v);
}

/* A list of names each from choices (NULL: any non-empty string). */
static const char *const *get_names(parser *p, const json_t *obj, const char *path,
				    const char *key, const char *const *choices, size_t *count)
{
	char at[96];
	join(at, sizeof at, path, key);
	*count = 0;
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v) || json_array_size(v) > 16) {
		problem(p, at, "must be a list of at most 16 names");
		return NULL;
	}
	/* The array of pointers is kept alive by the document: it is stored
	 * there as an opaque value so procedure_free releases it. */
	size_t n = json_array_size(v);
	const char **names = calloc(n + 1, sizeof *names);
	if (!names)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(v, i);
		char item[112];
		snprintf(item, sizeof item, "%s[%zu]", at, i);
		if (!json_is_string(s)) {
			problem(p, item, "must be a string");
			continue;
		}
		if (choices && !model_is_one_of(choices, json_string_value(s))) {
			char list[256];
			problem(p, item, "'%s' is not one of %s", json_string_value(s),
				model_join(choices, list, sizeof list));
			continue;
		}
		names[(*count)++] = json_string_value(s);
	}
	return names;
}

static const char *const span_keys[] = {"unit", "length", NULL};

static void parse_span(parser *p, const json_t *obj, const char *path, proc_span *span,
		       bool required)
{
	memset(span, 0, sizeof *span);
	if (!obj || json_is_null(obj)) {
		if (required)
			problem(p, path, "is required");
		return;
	}
	if (!json_is_object(obj)) {
		problem(p, path, "must be an object with unit and length");
		return;
	}
	only_keys(p, obj, path, span_keys);
	const char *unit = get_string(p, obj, path, "unit", true);
	if (unit && !timescale_unit_parse(unit, &span->unit)) {
		char at[96];
		join(at, sizeof at, path, "unit");
		problem(p, at, "'%s' is not one of working-days, weeks, calendar-days, years", unit);
	}
	span->length = get_int(p, obj, path, "length", 1, 1000, 0);
	if (!json_object_get(obj, "length")) {
		char at[96];
		join(at, sizeof at, path, "length");
		problem(p, at, "is required");
	}
}

static const char *const clock_keys[] = {"from", "unit", "length", "extend_to",
					 "extension_reasons", "extension_notice", "notice_name",
					 "beyond_with_good_reason", "notice_gives_final_resort",
					 "source", NULL};

static void parse_clock(parser *p, const json_t *obj, const char *path, proc_clock *clock,
			bool required, const char *default_from)
{
	memset(clock, 0, sizeof *clock);
	if (!obj || json_is_null(obj)) {
		if (required)
			problem(p, path, "is required");
		return;
	}
	if (!json_is_object(obj)) {
		problem(p, path, "must be an object");
		return;
	}
	only_keys(p, obj, path, clock_keys);
	clock->present = true;
	clock->from = get_choice(p, obj, path, "from", PROCEDURE_CLOCK_EVENTS, default_from);
	json_t *span = json_pack("{sO? sO?}", "unit", json_object_get(obj, "unit"), "length",
				 json_object_get(obj, "length"));
	parse_span(p, span, path, &clock->span, true);
	json_decref(span);
	clock->source = get_string(p, obj, path, "source", true);
	clock->extend_to = get_int(p, obj, path, "extend_to", -1, 1000, 0);
	if (clock->extend_to > 0 && clock->extend_to <= clock->span.length) {
		char at[96];
		join(at, sizeof at, path, "extend_to");
		problem(p, at, "must be longer than length (%d)", clock->span.length);
	}
	clock->extension_reasons = get_names(p, obj, path, "extension_reasons", NULL,
					     &clock->n_extension_reasons);
	clock->extension_notice = get_bool(p, obj, path, "extension_notice");
	clock->notice_name = get_string(p, obj, path, "notice_name", false);
	if (!clock->notice_name)
		clock->notice_name = "extension notice";
	clock->beyond_with_good_reason = get_bool(p, obj, path, "beyond_with_good_reason");
	if (clock->beyond_with_good_reason && clock->extend_to <= 0) {
		char at[96];
		join(at, sizeof at, path, "beyond_with_good_reason");
		problem(p, at, "needs extend_to: the length an extension reaches without a good reason");
	}
	clock->notice_gives_final_resort = get_bool(p, obj, path, "notice_gives_final_resort");
	if (clock->notice_gives_final_resort && !clock->extension_notice) {
		char at[96];
		join(at, sizeof at, path, "notice_gives_final_resort");
		problem(p, at, "needs extension_notice: true (the notice that gives the details)");
	}
}

/*
 * A clock that starts when the complaint, or the request for a stage, is
 * acknowledged (LGSCO Code §6.3) needs an acknowledgement to wait for: the
 * procedure's own (stage 1) or the stage's; an acknowledgement never waits
 * for itself.
 */
static void check_acknowledged_from(parser *p, const proc_clock *clock, const char *path,
				    bool has_acknowledgement)
{
	if (!clock->present || !clock->from || strcmp(clock->from, "acknowledged"))
		return;
	char at[96];
	join(at, sizeof at, path, "from");
	if (!has_acknowledgement)
		problem(p, at, "a clock from acknowledged needs an acknowledge clock to wait for "
			       "(the procedure's for stage 1, else the stage's own)");
}

static const char *const window_keys[] = {"anchor_stage", "ideal", "latest", "discretionary",
					  "source", NULL};
static const char *const panel_keys[] = {"members", "chair", "within", "invitation_before",
					 "chair_report", "excludes_stage", "source", NULL};
static const char *const stage_keys[] = {
	"number", "name", "responder", "acknowledge", "request", "response",
	"statement_of_complaint", "required_roles", "required_reports", "addendum_allowed",
	"response_requires", "panel", "consent_to_share", "independence", "separation",
	"subject_response", "response_encloses", "source", NULL};
static const char *const encloses_keys[] = {"reports", "source", NULL};
static const char *const consent_to_share_keys[] = {"before_assigning", "source", NULL};
static const char *const independence_keys[] = {"roles", "source", NULL};
static const char *const separation_keys[] = {"roles", "earlier", "source", NULL};
static const char *const subject_response_keys[] = {"source", NULL};
/* What a separation's "earlier" may name: a role held at an earlier stage,
 * or "responder", whoever issued an earlier stage's response. */
static const char *const earlier_roles[] = {
	"complaints_team", "manager", "adjudicating_officer", "investigating_officer",
	"independent_person", "panel_member", "reviewing_officer", "head_of_service",
	"leadership", "administrator", "responder", NULL};
static const char *const proc_keys[] = {
	"code", "version", "org", "name", "route", "source", "consent", "consent_source",
	"consent_wait_limit", "consent_wait_source", "closure_days", "mediation_stops_clock",
	"complaint_time_limit", "time_limit_source", "acknowledge",
	"stages", "final_resort", "notes", NULL};
static const char *const final_keys[] = {"name", "contact", "source", NULL};

/*
 * A stage's optional block at path.key: NULL when absent (or null), or when
 * it is not an object, which is a problem ("must be an object with SHAPE");
 * at gets the block's path either way.
 */
static const json_t *stage_block(parser *p, const json_t *obj, const char *path, const char *key,
				 const char *shape, char at[96])
{
	join(at, 96, path, key);
	const json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_object(v)) {
		problem(p, at, "must be an object%s%s", shape ? " with " : "", shape ? shape : "");
		return NULL;
	}
	return v;
}

/* A list a block cannot do without is empty: "is required" at at.key, with why. */
static void required_list(parser *p, const char *at, const char *key, const char *why)
{
	char sub[112];
	snprintf(sub, sizeof sub, "%s.%s", at, key);
	problem(p, sub, "is required: %s", why);
}

/* The window for asking for a stage after the first (request: anchor_stage, ideal, latest). */
static void parse_stage_request(parser *p, const json_t *obj, const char *path, proc_stage *st,
				int expected_number)
{
	char at[96];
	json_t *req = json_object_get(obj, "request");
	join(at, sizeof at, path, "request");
	if (expected_number == 1) {
		if (req && !json_is_null(req))
			problem(p, at, "the first stage is not requested: it starts when the case is accepted");
		return;
	}
	if (!json_is_object(req)) {
		problem(p, at, "is required for stage %d: the window for asking", expected_number);
		return;
	}
	only_keys(p, req, at, window_keys);
	st->request.present = true;
	st->request.anchor_stage = get_int(p, req, at, "anchor_stage", 1, expected_number - 1,
					   expected_number - 1);
	char sub[112];
	snprintf(sub, sizeof sub, "%s.ideal", at);
	parse_span(p, json_object_get(req, "ideal"), sub, &st->request.ideal, false);
	snprintf(sub, sizeof sub, "%s.latest", at);
	parse_span(p, json_object_get(req, "latest"), sub, &st->request.latest, true);
	st->request.discretionary = get_bool(p, req, at, "discretionary");
	st->request.source = get_string(p, req, at, "source", true);
}

/* What the stage needs before its response: roles, reports and the response's parts. */
static void parse_stage_requirements(parser *p, const json_t *obj, const char *path, proc_stage *st)
{
	char at[96];
	st->statement_of_complaint = get_bool(p, obj, path, "statement_of_complaint");
	if (st->statement_of_complaint && st->response.from &&
	    strcmp(st->response.from, "statement_agreed") != 0) {
		join(at, sizeof at, path, "response.from");
		problem(p, at, "a stage with a Statement of Complaint starts its clock from "
			       "statement_agreed (001 B Stage 2)");
	}
	st->required_roles = get_names(p, obj, path, "required_roles", MODEL_USER_ROLES,
				       &st->n_required_roles);
	st->required_reports = get_names(p, obj, path, "required_reports", report_kinds,
					 &st->n_required_reports);
	st->addendum_allowed = get_bool(p, obj, path, "addendum_allowed");
	st->response_requires = get_names(p, obj, path, "response_requires",
					  PROCEDURE_RESPONSE_PARTS, &st->n_response_requires);
	if (!json_object_get(obj, "response_requires")) {
		join(at, sizeof at, path, "response_requires");
		problem(p, at, "is required: what the stage response must contain (DOMAIN §4)");
	}
}

/* 001 §14.3: {"before_assigning": [roles], "source": "..."} */
static void parse_stage_consent_to_share(parser *p, const json_t *obj, const char *path,
					 proc_stage *st)
{
	char at[96];
	const json_t *share = stage_block(p, obj, path, "consent_to_share",
					  "before_assigning and source", at);
	if (!share)
		return;
	only_keys(p, share, at, consent_to_share_keys);
	st->consent_to_share_before = get_names(p, share, at, "before_assigning", MODEL_USER_ROLES,
						&st->n_consent_to_share_before);
	if (!st->n_consent_to_share_before)
		required_list(p, at, "before_assigning",
			      "the roles the case is shared with only once consent is recorded");
	st->consent_to_share_source = get_string(p, share, at, "source", true);
}

/* {"roles": [roles], "source"}: only users an administrator marked
 * independent of the organisation are assigned to these roles */
static void parse_stage_independence(parser *p, const json_t *obj, const char *path,
				     proc_stage *st)
{
	char at[96];
	const json_t *indep = stage_block(p, obj, path, "independence", "roles and source", at);
	if (!indep)
		return;
	only_keys(p, indep, at, independence_keys);
	st->independent_roles = get_names(p, indep, at, "roles", MODEL_USER_ROLES,
					  &st->n_independent_roles);
	if (!st->n_independent_roles)
		required_list(p, at, "roles", "the roles that must be independent of the organisation");
	st->independence_source = get_string(p, indep, at, "source", true);
}

/* {"roles", "earlier", "source"}: nobody who held one of the earlier roles
 * at an earlier stage (or responded there) is assigned to one of these
 * roles at this stage (reg 19; 001 B Stage 3; 001 C Stage 2) */
static void parse_stage_separation(parser *p, const json_t *obj, const char *path, proc_stage *st,
				   int expected_number)
{
	char at[96];
	const json_t *sep = stage_block(p, obj, path, "separation", "roles, earlier and source", at);
	if (!sep)
		return;
	if (expected_number == 1) {
		problem(p, at, "the first stage has no earlier stage to be separate from");
		return;
	}
	only_keys(p, sep, at, separation_keys);
	st->separation_roles = get_names(p, sep, at, "roles", MODEL_USER_ROLES,
					 &st->n_separation_roles);
	st->separation_earlier = get_names(p, sep, at, "earlier", earlier_roles,
					   &st->n_separation_earlier);
	if (!st->n_separation_roles)
		required_list(p, at, "roles", "the roles at this stage it restricts");
	if (!st->n_separation_earlier)
		required_list(p, at, "earlier", "the earlier roles they may not have held");
	st->separation_source = get_string(p, sep, at, "source", true);
}

/* 003: {"source"}: each person the complaint is about is told and may
 * respond, recorded before the stage response */
static void parse_stage_subject_response(parser *p, const json_t *obj, const char *path,
					 proc_stage *st)
{
	char at[96];
	const json_t *subj = stage_block(p, obj, path, "subject_response", "source", at);
	if (!subj)
		return;
	only_keys(p, subj, at, subject_response_keys);
	st->subject_response_source = get_string(p, subj, at, "source", true);
}

/* 000 "The outcome of your complaint": {"reports": [io, ip], "source"}:
 * the response goes with a copy of these reports (never the confidential
 * addendum, which is not a report kind here) */
static void parse_stage_response_encloses(parser *p, const json_t *obj, const char *path,
					  proc_stage *st)
{
	char at[96];
	const json_t *encl = stage_block(p, obj, path, "response_encloses", "reports and source", at);
	if (!encl)
		return;
	only_keys(p, encl, at, encloses_keys);
	st->response_encloses = get_names(p, encl, at, "reports", report_kinds,
					  &st->n_response_encloses);
	if (!st->n_response_encloses)
		required_list(p, at, "reports", "the reports (io, ip) sent with the response");
	for (size_t i = 0; i < st->n_response_encloses; i++) {
		bool kept = false;
		for (size_t k = 0; k < st->n_required_reports; k++)
			kept |= !strcmp(st->required_reports[k], st->response_encloses[i]);
		if (!kept) {
			char sub[112];
			snprintf(sub, sizeof sub, "%s.reports[%zu]", at, i);
			problem(p, sub, "must be one of the stage's required_reports");
		}
	}
	st->response_encloses_source = get_string(p, encl, at, "source", true);
}

/* A Review Panel: its members, chair, who it excludes, and its clocks (001 B Stage 3). */
static void parse_stage_panel(parser *p, const json_t *obj, const char *path, proc_stage *st,
			      int expected_number)
{
	char at[96];
	const json_t *panel = stage_block(p, obj, path, "panel", NULL, at);
	if (!panel)
		return;
	only_keys(p, panel, at, panel_keys);
	proc_panel *pn = &st->panel;
	pn->present = true;
	pn->members = get_int(p, panel, at, "members", 1, 9, 3);
	pn->chair = get_bool(p, panel, at, "chair");
	pn->excludes_stage = get_int(p, panel, at, "excludes_stage", 0, expected_number - 1, 0);
	pn->source = get_string(p, panel, at, "source", true);
	char sub[112];
	snprintf(sub, sizeof sub, "%s.within", at);
	parse_clock(p, json_object_get(panel, "within"), sub, &pn->within, false, "accepted");
	snprintf(sub, sizeof sub, "%s.invitation_before", at);
	parse_span(p, json_object_get(panel, "invitation_before"), sub, &pn->invitation_before, false);
	snprintf(sub, sizeof sub, "%s.chair_report", at);
	parse_clock(p, json_object_get(panel, "chair_report"), sub, &pn->chair_report, false,
		    "accepted");
}

static void parse_stage(parser *p, const json_t *obj, const char *path, proc_stage *st,
			int expected_number)
{
	only_keys(p, obj, path, stage_keys);
	st->number = get_int(p, obj, path, "number", 1, PROCEDURE_MAX_STAGES, expected_number);
	if (st->number != expected_number) {
		char at[96];
		join(at, sizeof at, path, "number");
		problem(p, at, "stages are numbered 1, 2, 3 in order; expected %d", expected_number);
	}
	st->name = get_string(p, obj, path, "name", true);
	st->responder = get_choice(p, obj, path, "responder", MODEL_USER_ROLES, NULL);
	st->source = get_string(p, obj, path, "source", true);
	char at[96];
	join(at, sizeof at, path, "acknowledge");
	parse_clock(p, json_object_get(obj, "acknowledge"), at, &st->acknowledge, false,
		    expected_number == 1 ? "received" : "requested");
	join(at, sizeof at, path, "response");
	parse_clock(p, json_object_get(obj, "response"), at, &st->response, true, "accepted");
	parse_stage_request(p, obj, path, st, expected_number);
	parse_stage_requirements(p, obj, path, st);
	parse_stage_consent_to_share(p, obj, path, st);
	parse_stage_independence(p, obj, path, st);
	parse_stage_separation(p, obj, path, st, expected_number);
	parse_stage_subject_response(p, obj, path, st);
	parse_stage_response_encloses(p, obj, path, st);
	parse_stage_panel(p, obj, path, st, expected_number);
	join(at, sizeof at, path, "acknowledge");
	if (st->acknowledge.present && st->acknowledge.from &&
	    !strcmp(st->acknowledge.from, "acknowledged")) {
		char sub[112];
		snprintf(sub, sizeof sub, "%s.from", at);
		problem(p, sub, "an acknowledgement cannot start from itself");
	}
}

/* Keeps an allocated name list until procedure_free. */
static void own(fh_procedure *proc, const char *const *names)
{
	if (!names)
		return;
	if (proc->n_owned < sizeof proc->owned / sizeof proc->owned[0])
		proc->owned[proc->n_owned++] = (void *)names;
	else
		free((void *)names); /* cannot happen: a procedure has at most 34 lists */
}

void procedure_free(fh_procedure *proc)
{
	if (!proc)
		return;
	for (size_t i = 0; i < proc->n_owned; i++)
		free(proc->owned[i]);
	json_decref(proc->doc);
	free(proc);
}

fh_status procedure_from_json(json_t *doc, fh_procedure **out, proc_problems *problems,
			      fh_error *err)
{
	*out = NULL;
	memset(problems, 0, sizeof *problems);
	parser p = {.problems = problems};
	fh_status refused;
	fh_procedure *proc = datafile_begin(doc, sizeof *proc, problems, "(document)", "(document)",
					    "must be a JSON object", &refused, err);
	if (!proc)
		return refused;
	proc->doc = doc;
	only_keys(&p, doc, "", proc_keys);
	proc->code = get_string(&p, doc, "", "code", true);
	if (proc->code && (strlen(proc->code) > 48 || strspn(proc->code,
	    "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(proc->code)))
		problem(&p, "code", "must be lower-case letters, digits and hyphens (at most 48)");
	proc->version = get_int(&p, doc, "", "version", 1, 1000000, 0);
	if (!json_object_get(doc, "version"))
		problem(&p, "version", "is required");
	proc->org = get_string(&p, doc, "", "org", true);
	proc->name = get_string(&p, doc, "", "name", true);
	proc->route = get_choice(&p, doc, "", "route", PROCEDURE_ROUTES, NULL);
	proc->source = get_string(&p, doc, "", "source", true);
	proc->consent = get_choice(&p, doc, "", "consent", consent_effects, "none");
	proc->consent_source = get_string(&p, doc, "", "consent_source", false);
	parse_span(&p, json_object_get(doc, "consent_wait_limit"), "consent_wait_limit",
		   &proc->consent_wait_limit, false);
	proc->consent_wait_source = get_string(&p, doc, "", "consent_wait_source",
					       proc->consent_wait_limit.length > 0);
	if (proc->consent_wait_limit.length && proc->consent && strcmp(proc->consent, "stops_clock"))
		problem(&p, "consent_wait_limit", "only a procedure whose consent stops the clock "
						  "(consent: stops_clock) limits the wait");
	proc->closure_days = get_bool(&p, doc, "", "closure_days");
	if (proc->closure_days && proc->route && !strcmp(proc->route, "statutory"))
		problem(&p, "closure_days", "a statutory procedure counts working days as reg 2 of "
					    "SI 2006/1738 defines them: closure days never lengthen "
					    "its clocks");
	proc->mediation_stops_clock = get_bool(&p, doc, "", "mediation_stops_clock");
	parse_span(&p, json_object_get(doc, "complaint_time_limit"), "complaint_time_limit",
		   &proc->complaint_time_limit, false);
	proc->time_limit_source = get_string(&p, doc, "", "time_limit_source", false);
	proc->notes = get_string(&p, doc, "", "notes", false);
	parse_clock(&p, json_object_get(doc, "acknowledge"), "acknowledge", &proc->acknowledge,
		    false, "received");
	if (proc->acknowledge.present && proc->acknowledge.from &&
	    !strcmp(proc->acknowledge.from, "acknowledged"))
		problem(&p, "acknowledge.from", "an acknowledgement cannot start from itself");

	json_t *stages = json_object_get(doc, "stages");
	if (!json_is_array(stages) || json_array_size(stages) == 0 ||
	    json_array_size(stages) > PROCEDURE_MAX_STAGES) {
		problem(&p, "stages", "must be a list of 1 to %d stages", PROCEDURE_MAX_STAGES);
	} else {
		proc->n_stages = json_array_size(stages);
		for (size_t i = 0; i < proc->n_stages; i++) {
			char path[32];
			snprintf(path, sizeof path, "stages[%zu]", i);
			json_t *s = json_array_get(stages, i);
			if (!json_is_object(s)) {
				problem(&p, path, "must be an object");
				continue;
			}
			parse_stage(&p, s, path, &proc->stages[i], (int)i + 1);
			proc_stage *st = &proc->stages[i];
			bool acked = st->acknowledge.present || (i == 0 && proc->acknowledge.present);
			char sub[64];
			snprintf(sub, sizeof sub, "%s.response", path);
			check_acknowledged_from(&p, &st->response, sub, acked);
			snprintf(sub, sizeof sub, "%s.panel.within", path);
			check_acknowledged_from(&p, &st->panel.within, sub, acked);
			own(proc, st->required_roles);
			own(proc, st->consent_to_share_before);
			own(proc, st->independent_roles);
			own(proc, st->separation_roles);
			own(proc, st->separation_earlier);
			own(proc, st->response_encloses);
			own(proc, st->required_reports);
			own(proc, st->response_requires);
			own(proc, st->response.extension_reasons);
			own(proc, st->acknowledge.extension_reasons);
			own(proc, st->panel.within.extension_reasons);
			own(proc, st->panel.chair_report.extension_reasons);
		}
	}
	own(proc, proc->acknowledge.extension_reasons);

	json_t *final = json_object_get(doc, "final_resort");
	if (!json_is_object(final)) {
		problem(&p, "final_resort", "is required: where the customer goes at the end "
					    "(the Ombudsman, NACCC)");
	} else {
		only_keys(&p, final, "final_resort", final_keys);
		proc->final_name = get_string(&p, final, "final_resort", "name", true);
		proc->final_contact = get_string(&p, final, "final_resort", "contact", true);
		proc->final_source = get_string(&p, final, "final_resort", "source", true);
	}

	if (problems->count > 0) {
		error_set(err, FH_EINVAL, problems->items[0].path, NULL, "%s%s",
			  problems->items[0].message,
			  problems->count > 1 ? " (and more problems)" : "");
		procedure_free(proc);
		return FH_EINVAL;
	}
	*out = proc;
	return FH_OK;
}

fh_status procedure_parse(const char *text, fh_procedure **out, proc_problems *problems,
			  fh_error *err)
{
	json_error_t jerr;
	memset(problems, 0, sizeof *problems);
	*out = NULL;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		parser p = {.problems = problems};
		char at[48];
		snprintf(at, sizeof at, "line %d, column %d", jerr.line, jerr.column);
		problem(&p, at, "%s", jerr.text);
		return error_set(err, FH_EINVAL, at, NULL, "%s", jerr.text);
	}
	return procedure_from_json(doc, out, problems, err);
}

const proc_stage *procedure_stage(const fh_procedure *proc, int number)
{
	if (number < 1 || (size_t)number > proc->n_stages)
		return NULL;
	return &proc->stages[number - 1];
}

bool procedure_requires(const proc_stage *stage, const char *part)
{
	for (size_t i = 0; i < stage->n_response_requires; i++)
		if (strcmp(stage->response_requires[i], part) == 0)
			return true;
	return false;
}
