/*
 * staff_case.c: the case page, and the small form of each action.
 *
 * The case page shows everything staff need to handle a case: the
 * complaint, its people (never their equality-monitoring answers: DOMAIN
 * §7), the points and desired outcomes with the findings on each, every
 * stage with its assignments, extensions, reports and response, every
 * deadline, the documents and the timeline of events.  Under "What you can
 * do now" it lists exactly the actions the procedure allows this user now
 * (lifecycle_allowed), each a link to its own form page.
 *
 * A form's fields are declared in ACTION_FORMS below (validate at the edge,
 * by declaration: STYLE 7) and turned into the same JSON parameters the API
 * takes; the action then goes through store_case_act, the one entry point
 * for every lifecycle action, so the rules are never implemented twice.  A
 * refusal is shown on the form page with the rule's words and its source,
 * the form filled in as it was sent.
 *
 * What the customer never sees (the Investigating Officer's confidential
 * addendum, what was said in mediation, confidential documents and
 * confidential entries of the timeline) is shown only to those the one
 * rule lets see it (authz_may_see_confidential), as on the API.  Each read of a case page is written to
 * the access log before the page is sent.
 */
#include "web_staff.h"

#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "date.h"
#include "lifecycle.h"
#include "model.h"
#include "server.h"
#include "store_document.h"
#include "store_lifecycle.h"
#include "triage.h"
#include "web.h"

/* ---- the forms, by declaration ---------------------------------------------- */

typedef enum field_kind {
	K_DATE,     /* YYYY-MM-DD text */
	K_TEXT,
	K_AREA,     /* a textarea */
	K_INT,      /* a whole number, sent as text (the rules parse it) */
	K_BOOL,     /* one checkbox: "true" when ticked, left out when not */
	K_CHOICE,   /* one of choices */
	K_MULTI,    /* any of choices: a JSON list */
	K_EMAILS,   /* emails separated by commas: a JSON list */
	K_POINT,    /* one of the case's complaint points, by number */
	K_CLOCK,    /* one of the case's running clocks, by name */
	K_REASONS,  /* one of the reasons its procedure allows to extend a clock of the stage */
	K_USER,     /* one of the organisation's users, by email */
	K_ACTIONS,  /* up to three rows of action, owner and due date: a JSON list */
	K_PLAN,     /* up to three rows of action and due date: a JSON list */
} field_kind;

typedef struct action_field {
	const char *name;
	const char *label;
	const char *hint;
	field_kind kind;
	const char *const *choices;
	bool optional;
} action_field;

typedef struct action_form {
	const char *action;
	const char *title;  /* the page's heading */
	const char *intro;  /* a sentence under it, with the rule's source */
	action_field fields[12];
} action_form;

/* The words of every choice are the lifecycle's (lifecycle.h), so a form
 * offers exactly what the action takes; the reasons to extend a clock are
 * the case's procedure's (K_REASONS). */

#define ON {"on", "Date", "The day it happened, for example 2026-11-23", K_DATE, NULL, false}
#define REASON(label) {"reason", label, NULL, K_AREA, NULL, false} /* required wherever asked */

static const action_form ACTION_FORMS[] = {
	{"acknowledge", "Acknowledge receipt", "Record that receipt was acknowledged (000; 004).",
	 {ON}},
	{"triage", "Triage", "Decide the route: who is complaining and about what decides the "
	 "procedure (001 §7); the reasons not to consider a complaint are in 001 §9.1.",
	 {ON,
	  {"grounds_arose_on", "When the grounds arose", "Complaints more than a year later may "
	   "be refused (001 §9.1). For example 2026-10-01", K_DATE, NULL, true},
	  {"not_about_child", "Not about a service to a child", "An adult's complaint about a "
	   "service with no direct impact on a child (001 §7.10)", K_BOOL, NULL, true},
	  {"provider_concern", "A provider's concern", "Redirect to the commissioner (001 §7.9)",
	   K_BOOL, NULL, true},
	  {"partner_agency", "From a partner agency", "Police, schools, health (001 §7.8)", K_BOOL,
	   NULL, true},
	  {"child_express_consent", "The child gave express consent", NULL, K_BOOL, NULL, true},
	  {"court_report", "About a court report", "001 §10", K_BOOL, NULL, true},
	  {"sufficient_interest", "Sufficient interest", "For a representative who is not a "
	   "parent or carer (001 §7.5)", K_CHOICE, LIFECYCLE_INTEREST, true},
	  {"sufficient_interest_reason", "Reason for the sufficient interest decision", NULL,
	   K_AREA, NULL, true},
	  {"accept_late_reason", "Reason to accept a late complaint", NULL, K_AREA, NULL, true},
	  {"exclusions", "Reasons not to consider it (001 §9.1)", NULL, K_MULTI,
	   TRIAGE_EXCLUSIONS, true},
	  {"about_staff", "Staff complained about", "Their email addresses, separated by commas "
	   "(a complaint about a Team Manager goes to another: 001 B Stage 1)", K_EMAILS, NULL,
	   true}}},
	{"accept", "Accept into Stage 1", "The Stage 1 clock starts on acceptance (001 B Stage 1).",
	 {ON, {"consent_override_reason", "Reason to go ahead without the child's consent", NULL,
	       K_AREA, NULL, true}}},
	{"decline", "Decline", "Close a complaint triage found not to be considered; the "
	 "customer must be told why in writing (001 §9.2).", {ON}},
	{"consent", "Record consent", "The child's consent to a representative (001 §7.4).",
	 {ON, {"consent", "Consent", NULL, K_CHOICE, MODEL_CONSENT_STATES, false}}},
	{"suspend", "Suspend", "While court, tribunal, disciplinary or criminal proceedings run "
	 "(001 §9.3).", {ON, {"proceedings", "Proceedings", NULL, K_CHOICE, LIFECYCLE_PROCEEDINGS, false},
			 REASON("Reason")}},
	{"resume", "Resume", "001 §9.4.",
	 {ON, {"proceedings_concluded_on", "When the proceedings concluded", NULL, K_DATE, NULL,
	       true}}},
	{"assign", "Assign someone", "To the current stage.",
	 {ON, {"role", "Role", NULL, K_CHOICE, MODEL_USER_ROLES, false},
	  {"user", "Person", NULL, K_USER, NULL, false},
	  {"chair", "Chair of the panel", NULL, K_BOOL, NULL, true}}},
	{"unassign", "End an assignment", NULL,
	 {ON, {"role", "Role", NULL, K_CHOICE, MODEL_USER_ROLES, false},
	  {"user", "Person", NULL, K_USER, NULL, false}}},
	{"extend", "Extend a clock", "Within the procedure's limit, for the reasons it allows; "
	 "at Stage 2 only after a written notice to the customer (001 B Stage 1, Stage 2).",
	 {ON, {"clock", "Clock", NULL, K_CLOCK, NULL, false},
	  {"to", "Extend to (working days or weeks, as the clock counts)", "The new length in "
	   "all, for example 20", K_INT, NULL, true},
	  {"new_due", "New due date", "Only for a clock a progress report moves (003)", K_DATE,
	   NULL, true},
	  {"because", "Because the complaint is", NULL, K_REASONS, NULL, true},
	  REASON("Reason"),
	  {"notice_on", "Date the written notice was sent", NULL, K_DATE, NULL, true},
	  {"good_reason", "Good reason for going past the usual limit", "Only where the "
	   "procedure allows a longer extension with one (LGSCO Code §6.4)", K_AREA, NULL, true}}},
	{"agree_statement", "Statement of Complaint agreed", "The Stage 2 clock starts when the "
	 "customer agrees it (001 B Stage 2).", {ON}},
	{"record_finding", "Record a finding", "A finding for every point and every desired "
	 "outcome (DOMAIN §4; 001 B).",
	 {ON, {"point", "Point", NULL, K_POINT, NULL, false},
	  {"outcome", "Finding", NULL, K_CHOICE, LIFECYCLE_FINDINGS, false},
	  {"reasoning", "Reasons", NULL, K_AREA, NULL, false},
	  {"outcome_response", "Answer to the desired outcome", NULL, K_AREA, NULL, true}}},
	{"record_report", "Record a report", "The Investigating Officer's or Independent "
	 "Person's report, or the confidential addendum the customer never sees (001 B Stage 2).",
	 {ON, {"kind", "Report", NULL, K_CHOICE, LIFECYCLE_REPORTS, false},
	  {"summary", "Summary", NULL, K_AREA, NULL, false}}},
	{"issue_response", "Issue the response", "It must answer every point and desired "
	 "outcome, say what was learnt and what will be done, by whom and when, and how to "
	 "escalate (DOMAIN §4).",
	 {ON, {"learning", "Learning and service improvement", NULL, K_AREA, NULL, true},
	  {"actions", "Actions", "What will be done, who owns it and by when", K_ACTIONS, NULL,
	   true},
	  {"escalation_advice", "How to escalate", "Left empty, the procedure's words are used",
	   K_AREA, NULL, true},
	  {"sent_by", "Sent by", "The window for the next stage counts from receipt: email and "
	   "hand that day, first-class post the second working day after (000, 002, 003 "
	   "\"of receiving\")", K_CHOICE, LIFECYCLE_SENT_BY, true},
	  {"received_on", "Received by the customer on", "Only when known; it replaces the "
	   "day worked out from how it was sent", K_DATE, NULL, true}}},
	{"request_escalation", "Record a request for the next stage", "Within the procedure's "
	 "window from the day the customer received the response (001 B: ideally 20 working days, "
	 "accepted up to a year); a closed case reopens for it while the window is open.",
	 {ON, REASON("What the customer is still unhappy about"),
	  {"override_reason", "Reason to accept a late request", NULL, K_AREA, NULL, true}}},
	{"accept_escalation", "Accept the request", "The next stage starts.", {ON}},
	{"schedule_panel", "Schedule the Review Panel", "Within 30 working days of the request "
	 "(001 B Stage 3).",
	 {ON, {"date", "Panel date", "For example 2026-12-14", K_DATE, NULL, false},
	  {"place", "Place", NULL, K_TEXT, NULL, false},
	  {"override_reason", "Reason for a later date", NULL, K_AREA, NULL, true}}},
	{"send_invitation", "Invitation and papers sent", "Not less than 10 working days before "
	 "the panel (001 B Stage 3).", {ON}},
	{"record_panel", "The panel met", NULL, {ON}},
	{"issue_chair_report", "The chair's report", "Within 5 working days of the panel "
	 "(001 B Stage 3).", {ON, {"summary", "Summary", NULL, K_AREA, NULL, false}}},
	{"refer_mediation", "Offer or request mediation", "Voluntary for both (001 §15).",
	 {ON, {"offered_by", "Offered by", NULL, K_CHOICE, LIFECYCLE_PARTIES, false}}},
	{"agree_mediation", "Agreement to mediation", NULL,
	 {ON, {"party", "Who agreed", NULL, K_CHOICE, LIFECYCLE_PARTIES, false}}},
	{"end_mediation", "End mediation", "It ends in an action plan shared with everyone "
	 "(001 §15.2).",
	 {ON, {"outcome", "Outcome", NULL, K_CHOICE, LIFECYCLE_MEDIATION_OUTCOMES, false},
	  {"action_plan", "Action plan", NULL, K_PLAN, NULL, true},
	  {"notes", "Notes (confidential)", NULL, K_AREA, NULL, true}}},
	{"ombudsman", "The Ombudsman", "An enquiry's reference, or its outcome.",
	 {ON, {"reference", "Ombudsman's reference", NULL, K_TEXT, NULL, true},
	  {"outcome", "Outcome", NULL, K_CHOICE, LIFECYCLE_OMBUDSMAN_OUTCOMES, true}}},
	{"add_point", "Add a point", "A point set out after recording, such as in the Statement "
	 "of Complaint.",
	 {ON, {"summary", "The point", NULL, K_AREA, NULL, false},
	  {"desired_outcome", "What would put it right", NULL, K_AREA, NULL, true}}},
	{"record_subject_response", "The person complained about was told",
	 "If the complaint relates to a specific person, they are told and may respond; the "
	 "reply waits for it (003 Stage 1, Stage 2).",
	 {ON, {"person", "Person complained about", "Their email, as triage recorded it",
	       K_TEXT, NULL, false},
	  {"told_on", "When they were told", "For example 2027-01-12", K_DATE, NULL, false},
	  {"response", "What they said", "Leave empty if they chose not to respond", K_AREA,
	   NULL, true}}},
	{"withdraw_point", "Withdraw a point", NULL,
	 {ON, {"point", "Point", NULL, K_POINT, NULL, false}}},
	{"withdraw", "Withdraw the complaint", NULL, {ON, REASON("Reason")}},
	{"close", "Close the case", NULL, {ON}},
};
#define N_FORMS (sizeof ACTION_FORMS / sizeof ACTION_FORMS[0])

static const action_form *form_for(const char *action)
{
	for (size_t i = 0; i < N_FORMS; i++)
		if (strcmp(ACTION_FORMS[i].action, action) == 0)
			return &ACTION_FORMS[i];
	return NULL;
}

static size_t n_fields(const action_form *af)
{
	size_t n = 0;
	while (n < sizeof af->fields / sizeof af->fields[0] && af->fields[n].name)
		n++;
	return n;
}

/* ---- what the page reads --------------------------------------------------- */

typedef struct case_view {
	fh_case c;
	json_t *life;       /* {"state", "deadlines", "allowed"}; owned */
	bool privileged;    /* may see what the customer never sees */
	store_document *docs;
	size_t n_docs;
} case_view;

/* Reads the case (authorised by the route) and logs the read. */
static bool load(http_request *req, case_view *v)
{
	memset(v, 0, sizeof *v);
	v->privileged = authz_may_see_confidential(req);
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	fh_error err = {0};
	if (store_case_get(req->st, req->params[0], req->arena, &v->c, &err) ||
	    store_case_lifecycle(req->st, req->params[0], &actor, req->today, !v->privileged,
				 &v->life, &err) ||
	    store_document_list(req->st, req->params[0], v->privileged, req->arena, &v->docs,
				&v->n_docs, &err)) {
		json_decref(v->life);
		v->life = NULL;
		http_fail(req, &err);
		return false;
	}
	return server_log_read(req, req->case_id, "case", "staff page");
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void text_or(html_buf *b, const char *s, const char *otherwise)
{
	if (s && *s)
		html_text(b, s);
	else
		html_raw(b, otherwise);
}

static void row(html_buf *b, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	html_raw(b, "<div class=\"summary-row\"><dt class=\"summary-key\">");
	html_text(b, key);
	html_raw(b, "</dt><dd class=\"summary-value\">");
	html_text(b, value);
	html_raw(b, "</dd></div>");
}

static const char *person_name(http_request *req, const fh_person *p)
{
	const char *name = arena_printf(req->arena, "%s%s%s%s%s", p->title ? p->title : "",
					p->title && *p->title ? " " : "",
					p->given_name ? p->given_name : "",
					p->given_name && *p->given_name ? " " : "",
					p->family_name ? p->family_name : "");
	if (!*name && p->organisation)
		return p->organisation;
	return name;
}

static void heading(http_request *req, html_buf *b, const fh_case *c)
{
	html_raw(b, "<span class=\"caption\">");
	html_text(b, c->org_name);
	html_raw(b, "</span><h1>");
	html_text(b, c->reference);
	html_raw(b, "</h1><p class=\"lead\">");
	html_text(b, c->summary);
	html_raw(b, "</p><p class=\"tags\"><span class=\"tag\">");
	html_text(b, staff_words(req, c->kind));
	html_raw(b, "</span> <span class=\"tag\">");
	html_text(b, strcmp(c->route, "untriaged") == 0 ? "New: to triage"
							 : staff_words(req, c->route));
	html_raw(b, "</span> <span class=\"tag\">");
	html_text(b, staff_words(req, c->state));
	html_raw(b, "</span>");
	if (c->stage)
		html_rawf(b, " <span class=\"tag\">Stage %d</span>", c->stage);
	html_raw(b, "</p>");
}

static void section_actions(http_request *req, html_buf *b, const case_view *v)
{
	json_t *allowed = json_object_get(v->life, "allowed");
	html_raw(b, "<h2 id=\"actions\">What you can do now</h2>");
	if (!json_array_size(allowed)) {
		html_raw(b, "<p>The procedure allows you no action on this case now.</p>");
		return;
	}
	html_raw(b, "<ul class=\"action-list\">");
	size_t i;
	json_t *name;
	json_array_foreach(allowed, i, name) {
		const action_form *af = form_for(json_string_value(name));
		if (!af)
			continue;
		html_raw(b, "<li><a class=\"button button-secondary button-small\" href=\"/staff/cases/");
		html_attr(b, v->c.reference);
		html_raw(b, "/actions/");
		html_attr(b, af->action);
		html_raw(b, "\">");
		html_text(b, af->title);
		html_raw(b, "</a></li>");
	}
	html_raw(b, "</ul>");
	(void)req;
}

static void section_deadlines(http_request *req, html_buf *b, const case_view *v)
{
	json_t *deadlines = json_object_get(v->life, "deadlines");
	html_raw(b, "<h2 id=\"deadlines\">Deadlines</h2>");
	if (!json_array_size(deadlines)) {
		html_raw(b, "<p>No clock is running.</p>");
		return;
	}
	html_raw(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Stage</th>"
		    "<th scope=\"col\">Clock</th><th scope=\"col\">Started</th><th scope=\"col\">Due"
		    "</th><th scope=\"col\">Where it stands</th><th scope=\"col\">Rule</th></tr>"
		    "</thead><tbody>");
	size_t i;
	json_t *d;
	json_array_foreach(deadlines, i, d) {
		json_int_t stage = json_integer_value(json_object_get(d, "stage"));
		html_raw(b, "<tr><td>");
		if (stage)
			html_rawf(b, "Stage %lld", (long long)stage);
		else
			html_raw(b, "Case");
		html_raw(b, "</td><td>");
		html_text(b, staff_words(req, jstr(d, "clock")));
		html_rawf(b, " <span class=\"muted\">(%lld ",
			  (long long)json_integer_value(json_object_get(d, "limit")));
		html_text(b, staff_lower(req, jstr(d, "unit")));
		html_raw(b, ")</span></td><td>");
		text_or(b, staff_date(req, jstr(d, "start")), "Not yet");
		html_raw(b, "</td><td>");
		if (jstr(d, "due")) {
			html_text(b, staff_date(req, jstr(d, "due")));
		} else {
			html_raw(b, "Waits for: ");
			html_text(b, staff_words(req, jstr(d, "waiting_for")));
		}
		html_raw(b, "</td><td>");
		if (json_is_true(json_object_get(d, "stopped")))
			html_raw(b, "<span class=\"tag tag-grey\">Stopped</span>");
		else if (json_integer_value(json_object_get(d, "overdue")) > 0)
			html_rawf(b, "<span class=\"tag tag-red\">Overdue by %lld</span>",
				  (long long)json_integer_value(json_object_get(d, "overdue")));
		else if (jstr(d, "due"))
			html_rawf(b, "%lld taken, %lld left",
				  (long long)json_integer_value(json_object_get(d, "taken")),
				  (long long)json_integer_value(json_object_get(d, "left")));
		html_raw(b, "</td><td>");
		html_text(b, jstr(d, "source"));
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

static void section_complaint(http_request *req, html_buf *b, const case_view *v)
{
	const fh_case *c = &v->c;
	html_raw(b, "<h2 id=\"complaint\">What came in</h2><dl class=\"summary\">");
	row(b, "Received", staff_date(req, c->received_on));
	row(b, "How", staff_words(req, c->channel));
	row(b, "Made to", c->received_by);
	row(b, "Service", c->service);
	row(b, "Team", c->team);
	row(b, "Procedure", c->procedure_code);
	row(b, "Details", c->details);
	if (c->anonymous)
		row(b, "Anonymous", "Yes (001 §7.7)");
	if (c->confidential)
		row(b, "Confidential", "Yes");
	html_raw(b, "</dl>");

	html_raw(b, "<h2 id=\"people\">People</h2>");
	if (!c->n_parties)
		html_raw(b, "<p>No one is recorded.</p>");
	for (size_t i = 0; i < c->n_parties; i++) {
		const fh_party *p = &c->parties[i];
		html_raw(b, "<h3>");
		html_text(b, person_name(req, &p->person));
		html_raw(b, " <span class=\"muted\">");
		html_text(b, staff_words(req, p->role));
		html_raw(b, "</span></h3><dl class=\"summary\">");
		row(b, "Relationship", staff_words(req, p->relationship));
		row(b, "Child's status", staff_words(req, p->child_status));
		if (p->consent && strcmp(p->consent, "not_needed") != 0)
			row(b, "Consent", staff_words(req, p->consent));
		row(b, "Organisation", p->person.organisation);
		row(b, "Address", p->person.address);
		row(b, "Postcode", p->person.postcode);
		row(b, "Phone", p->person.phone);
		row(b, "Email", p->person.email);
		row(b, "Prefers", staff_words(req, p->person.preferred_contact));
		row(b, "Needs", p->person.needs);
		if (p->correspond)
			row(b, "Letters", "Send letters to this person");
		html_raw(b, "</dl>");
		staff_behaviour_person_link(req, b, c, &p->person);
	}
}

static void section_points(http_request *req, html_buf *b, const case_view *v)
{
	const fh_case *c = &v->c;
	json_t *stages = json_object_get(json_object_get(v->life, "state"), "stages");
	html_raw(b, "<h2 id=\"points\">Points and desired outcomes</h2>");
	if (!c->n_points) {
		html_raw(b, "<p>No points are recorded.</p>");
		return;
	}
	html_raw(b, "<ol class=\"points\">");
	for (size_t i = 0; i < c->n_points; i++) {
		const fh_point *p = &c->points[i];
		html_raw(b, "<li><p>");
		html_text(b, p->summary);
		if (p->withdrawn)
			html_raw(b, " <span class=\"tag tag-grey\">Withdrawn</span>");
		html_raw(b, "</p>");
		if (p->desired_outcome && *p->desired_outcome) {
			html_raw(b, "<p><strong>Would put it right:</strong> ");
			html_text(b, p->desired_outcome);
			html_raw(b, "</p>");
		}
		size_t k;
		json_t *stage;
		char seq[16];
		snprintf(seq, sizeof seq, "%d", p->seq);
		json_array_foreach(stages, k, stage) {
			json_t *f = json_object_get(json_object_get(stage, "findings"), seq);
			if (!f)
				continue;
			html_rawf(b, "<p class=\"finding\"><strong>Stage %lld finding: ",
				  (long long)json_integer_value(json_object_get(stage, "number")));
			html_text(b, staff_words(req, jstr(f, "outcome")));
			html_raw(b, "</strong>");
			if (jstr(f, "reasoning")) {
				html_raw(b, ". ");
				html_text(b, jstr(f, "reasoning"));
			}
			if (jstr(f, "outcome_response") && *jstr(f, "outcome_response")) {
				html_raw(b, "<br>Answer to the desired outcome: ");
				html_text(b, jstr(f, "outcome_response"));
			}
			html_raw(b, "</p>");
		}
		html_raw(b, "</li>");
	}
	html_raw(b, "</ol>");
}

static void section_stages(http_request *req, html_buf *b, const case_view *v)
{
	json_t *state = json_object_get(v->life, "state");
	json_t *triage = json_object_get(state, "triage");
	if (json_is_object(triage)) { /* null until triage */
		html_raw(b, "<h2 id=\"triage\">Triage</h2><p>Route: <strong>");
		html_text(b, staff_words(req, jstr(triage, "route")));
		html_raw(b, "</strong>, on ");
		html_text(b, staff_date(req, jstr(triage, "on")));
		html_raw(b, ".</p><ul>");
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(triage, "reasons"), i, r) {
			html_raw(b, "<li>");
			html_text(b, jstr(r, "text"));
			html_raw(b, " <span class=\"muted\">(");
			html_text(b, jstr(r, "source"));
			html_raw(b, ")</span></li>");
		}
		html_raw(b, "</ul>");
	}
	size_t i;
	json_t *stage;
	json_array_foreach(json_object_get(state, "stages"), i, stage) {
		html_rawf(b, "<h2 id=\"stage-%zu\">Stage %lld: ", i + 1,
			  (long long)json_integer_value(json_object_get(stage, "number")));
		html_text(b, jstr(stage, "name"));
		html_raw(b, "</h2><dl class=\"summary\">");
		row(b, "Status", staff_words(req, jstr(stage, "status")));
		row(b, "Requested", staff_date(req, jstr(stage, "requested_on")));
		row(b, "Accepted", staff_date(req, jstr(stage, "accepted_on")));
		row(b, "Statement of Complaint agreed", staff_date(req, jstr(stage, "statement_agreed_on")));
		row(b, "Responded", staff_date(req, jstr(stage, "responded_on")));
		html_raw(b, "</dl>");
		size_t k;
		json_t *a;
		if (json_array_size(json_object_get(stage, "assignments"))) {
			html_raw(b, "<h3>Assigned</h3><ul>");
			json_array_foreach(json_object_get(stage, "assignments"), k, a) {
				html_raw(b, "<li>");
				html_text(b, jstr(a, "user"));
				html_raw(b, ", ");
				html_text(b, staff_words(req, jstr(a, "role")));
				if (json_is_true(json_object_get(a, "chair")))
					html_raw(b, " (chair)");
				html_raw(b, ", from ");
				html_text(b, staff_date(req, jstr(a, "on")));
				if (jstr(a, "ended_on")) {
					html_raw(b, " to ");
					html_text(b, staff_date(req, jstr(a, "ended_on")));
				}
				html_raw(b, "</li>");
			}
			html_raw(b, "</ul>");
		}
		if (json_array_size(json_object_get(stage, "extensions"))) {
			html_raw(b, "<h3>Extensions</h3><ul>");
			json_array_foreach(json_object_get(stage, "extensions"), k, a) {
				html_raw(b, "<li>");
				html_text(b, staff_words(req, jstr(a, "clock")));
				html_raw(b, " clock on ");
				html_text(b, staff_date(req, jstr(a, "on")));
				if (jstr(a, "because")) {
					html_raw(b, ", because the complaint is ");
					html_text(b, jstr(a, "because"));
				}
				if (jstr(a, "reason")) {
					html_raw(b, ": ");
					html_text(b, jstr(a, "reason"));
				}
				html_raw(b, "</li>");
			}
			html_raw(b, "</ul>");
		}
		const char *key;
		json_t *report;
		json_t *reports = json_object_get(stage, "reports");
		if (json_object_size(reports)) {
			html_raw(b, "<h3>Reports</h3><dl class=\"summary\">");
			json_object_foreach(reports, key, report)
				row(b, strcmp(key, "io") == 0 ? "Investigating Officer"
					: strcmp(key, "ip") == 0 ? "Independent Person" : key,
				    json_is_string(report) ? json_string_value(report)
							   : jstr(report, "summary"));
			html_raw(b, "</dl>");
		}
		/* 003: the person complained about, told and heard */
		json_t *told = json_object_get(stage, "subject_responses");
		if (json_object_size(told)) {
			html_raw(b, "<h3>The person complained about</h3><dl class=\"summary\">");
			json_object_foreach(told, key, report) {
				const char *said = jstr(report, "response");
				row(b, key, arena_printf(req->arena, "Told on %s. %s",
					 staff_date(req, jstr(report, "told_on")),
					 said ? arena_printf(req->arena, "They said: %s", said)
					      : v->privileged ? "No response recorded."
							      : ""));
			}
			html_raw(b, "</dl>");
		}
		json_t *confidential = json_object_get(stage, "confidential");
		if (v->privileged && json_object_size(confidential)) {
			html_raw(b, "<div class=\"notice\"><h3>Confidential: the customer never sees "
				    "this (001 B Stage 2)</h3><dl class=\"summary\">");
			json_object_foreach(confidential, key, report)
				row(b, staff_words(req, key), json_is_string(report)
					? json_string_value(report) : jstr(report, "summary"));
			html_raw(b, "</dl></div>");
		}
		json_t *response = json_object_get(stage, "response");
		if (json_is_object(response)) {
			html_raw(b, "<h3>Response</h3><dl class=\"summary\">");
			row(b, "Issued", staff_date(req, jstr(response, "on")));
			row(b, "Sent by", staff_words(req, jstr(response, "sent_by") ? jstr(response, "sent_by") : ""));
			/* 000, 002, 003 "of receiving": the window counts from here */
			row(b, "Received by the customer", staff_date(req, jstr(stage, "response_received_on")));
			json_t *until = json_object_get(stage, "escalate_until");
			if (json_is_object(until)) {
				row(b, "Next stage ideally asked for by", staff_date(req, jstr(until, "ideal")));
				row(b, arena_printf(req->arena, "Stage %lld may be asked for until",
						    (long long)json_integer_value(json_object_get(until, "stage"))),
				    arena_printf(req->arena, "%s, even once the case is closed (%s)",
						 staff_date(req, jstr(until, "latest")), jstr(until, "source")));
			}
			row(b, "Learning", jstr(response, "learning"));
			row(b, "How to escalate", jstr(response, "escalation_advice"));
			html_raw(b, "</dl>");
			json_t *acts = json_object_get(response, "actions");
			if (json_array_size(acts)) {
				html_raw(b, "<table><caption>Actions</caption><thead><tr>"
					    "<th scope=\"col\">Action</th><th scope=\"col\">Owner</th>"
					    "<th scope=\"col\">Due</th></tr></thead><tbody>");
				json_array_foreach(acts, k, a) {
					html_raw(b, "<tr><td>");
					html_text(b, jstr(a, "action"));
					html_raw(b, "</td><td>");
					html_text(b, jstr(a, "owner"));
					html_raw(b, "</td><td>");
					html_text(b, staff_date(req, jstr(a, "due_on")));
					html_raw(b, "</td></tr>");
				}
				html_raw(b, "</tbody></table>");
			}
		}
	}
}

static void section_documents(http_request *req, html_buf *b, const case_view *v,
			      const web_errors *errors)
{
	html_raw(b, "<h2 id=\"documents\">Documents</h2>");
	if (!v->n_docs)
		html_raw(b, "<p>No documents.</p>");
	else
		html_raw(b, "<ul>");
	for (size_t i = 0; i < v->n_docs; i++) {
		const store_document *d = &v->docs[i];
		html_raw(b, "<li><a href=\"/api/v1/cases/");
		html_attr(b, v->c.reference);
		html_rawf(b, "/documents/%lld\">", (long long)d->id);
		html_text(b, d->filename);
		html_raw(b, "</a> <span class=\"muted\">");
		html_rawf(b, "%lld KB, ", (long long)((d->size + 1023) / 1024));
		html_text(b, d->visibility);
		html_raw(b, ", ");
		html_text(b, d->uploaded_by);
		html_raw(b, ", ");
		html_text(b, staff_date(req, d->uploaded_at));
		html_raw(b, "</span></li>");
	}
	if (v->n_docs)
		html_raw(b, "</ul>");
	staff_rights_redactions(req, b, v->c.reference, v->docs, v->n_docs);
	/* Adding one: the types a browser will not run as a page (api_documents.c). */
	html_raw(b, "<details class=\"filters\"");
	if (errors && errors->n)
		html_raw(b, " open");
	html_raw(b, "><summary>Add a document</summary><form method=\"post\" "
		    "enctype=\"multipart/form-data\" novalidate action=\"/staff/cases/");
	html_attr(b, v->c.reference);
	html_raw(b, "/documents\">");
	web_csrf_field(req, b);
	web_file_input(b, &(web_field){.name = "file", .label = "File",
				       .hint = "A PDF, PNG, JPEG, plain text or Word document, "
					       "up to 5 MB",
				       .accept = ".pdf,.png,.jpg,.jpeg,.txt,.docx",
				       .error = errors ? web_errors_for(errors, "file") : NULL});
	static const web_option staff_only[] = {
		{"staff", "Staff", "Only staff who may see the case"},
		{"customer", "Customer", "May be shared with the customer"},
		{"confidential", "Confidential", "Only the complaints team and the adjudicating "
		 "officer (001 B Stage 2)"}};
	web_radios(b, &(web_field){.name = "visibility", .label = "Who may see it",
				   .options = staff_only, .n_options = v->privileged ? 3 : 2,
				   .value = "staff",
				   .error = errors ? web_errors_for(errors, "visibility") : NULL});
	html_raw(b, "<button type=\"submit\" class=\"button button-secondary\">Add the document"
		    "</button></form></details>");
}

static void section_timeline(http_request *req, html_buf *b, const case_view *v)
{
	html_raw(b, "<h2 id=\"timeline\">Timeline</h2><div class=\"table-wrap\"><table><thead><tr>"
		    "<th scope=\"col\">When</th><th scope=\"col\">What</th><th scope=\"col\">Who</th>"
		    "<th scope=\"col\">Why</th></tr></thead><tbody>");
	for (size_t i = v->c.n_events; i-- > 0;) {
		const fh_event *e = &v->c.events[i];
		char note[MODEL_ERASED_NOTE_MAX];
		bool hidden = false;
		if (!v->privileged && e->data && strstr(e->data, "\"confidential\"")) {
			json_t *data = json_loads(e->data, 0, NULL);
			hidden = json_is_true(json_object_get(data, "confidential"));
			json_decref(data);
		}
		html_raw(b, "<tr><td>");
		html_text(b, staff_date(req, e->effective_on && *e->effective_on ? e->effective_on
										  : e->at));
		html_raw(b, "</td><td>");
		html_text(b, staff_words(req, e->action));
		html_raw(b, "</td><td>");
		html_text(b, e->actor);
		html_raw(b, "</td><td>");
		if (hidden)
			html_raw(b, "<span class=\"muted\">Confidential</span>");
		else if (e->erased_on && *e->erased_on)
			html_raw(b, "<span class=\"muted\">"), html_text(b, model_event_reason(e, note)),
				html_raw(b, "</span>");
		else
			html_text(b, e->reason);
		html_raw(b, "</td></tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

static void render_case(http_request *req, case_view *v, int status, const web_errors *errors)
{
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, arena_printf(req->arena, "%s%s", errors && errors->n ? "Error: "
									 : "", v->c.reference), NULL);
	if (errors)
		web_error_summary(&b, errors);
	/* what the stage waits for before it can go on (001 §14.3) */
	size_t mi;
	json_t *m;
	json_array_foreach(json_object_get(v->life, "missing"), mi, m) {
		html_raw(&b, "<div class=\"notice notice-warning\" id=\"missing-");
		html_attr(&b, json_string_value(json_object_get(m, "field")));
		html_raw(&b, "\"><p><strong>Missing before the case can go on:</strong> ");
		html_text(&b, json_string_value(json_object_get(m, "message")));
		html_raw(&b, " (");
		html_text(&b, json_string_value(json_object_get(m, "source")));
		html_raw(&b, "). <a href=\"#advocacy\">Record it under consent</a>.</p></div>");
	}
	const char *done = http_query(req, "done");
	const action_form *af = done ? form_for(done) : NULL;
	if (af || (done && strcmp(done, "document") == 0)) {
		html_raw(&b, "<div class=\"notice\" role=\"status\"><p><strong>Done: ");
		html_text(&b, af ? af->title : "Add a document");
		html_raw(&b, ".</strong></p></div>");
	}
	heading(req, &b, &v->c);
	staff_behaviour_banner(req, &b, &v->c);
	html_raw(&b, "<nav aria-label=\"On this page\" class=\"contents\"><ul>"
		     "<li><a href=\"#actions\">What you can do now</a></li>"
		     "<li><a href=\"#deadlines\">Deadlines</a></li>"
		     "<li><a href=\"#people\">People</a></li>"
		     "<li><a href=\"#remedies\">Remedies</a></li>"
		     "<li><a href=\"#advocacy\">Advocacy</a></li>"
		     "<li><a href=\"#freezing\">Freezing</a></li>"
		     "<li><a href=\"#points\">Points</a></li>"
		     "<li><a href=\"#documents\">Documents</a></li>"
		     "<li><a href=\"#letters\">Letters</a></li>"
		     "<li><a href=\"#timeline\">Timeline</a></li></ul></nav>");
	section_actions(req, &b, v);
	section_deadlines(req, &b, v);
	section_complaint(req, &b, v);
	staff_redress_section(req, &b, &v->c);
	staff_joint_section(req, &b, &v->c);
	staff_advocacy_section(req, &b, &v->c);
	staff_freezing_section(req, &b, &v->c);
	section_points(req, &b, v);
	section_stages(req, &b, v);
	section_documents(req, &b, v, errors);
	staff_case_letters(req, &b, &v->c);
	section_timeline(req, &b, v);
	web_page_end(req, &b);
	json_decref(v->life);
	v->life = NULL;
	web_html(req, status, &b);
}

void staff_case(http_request *req)
{
	case_view v;
	if (!load(req, &v))
		return;
	render_case(req, &v, 200, NULL);
}

/*
 * POST /staff/cases/{ref}/documents: the file, checked as the API checks an
 * upload (store_document_check: a type a browser will not run, bytes that
 * look like it), kept with its audit event (store_document_add).
 */
void staff_case_document(http_request *req)
{
	size_t n = 0;
	const web_upload *files = web_files(req, "file", &n);
	const char *visibility = web_form(req, "visibility");
	web_errors errors = {0};
	bool privileged = authz_may_see_confidential(req);
	fh_error err = {0};
	if (!visibility || !*visibility)
		visibility = "staff";
	if (n != 1)
		web_errors_add(&errors, "file", "Choose one file to add");
	else if (strcmp(visibility, "confidential") == 0 && !privileged)
		web_errors_add(&errors, "visibility", "Only the complaints team and the adjudicating "
			       "officer may keep confidential documents (001 B Stage 2)");
	else if (store_document_check(files[0].filename, files[0].content_type, visibility,
				      files[0].data, files[0].size, &err))
		web_errors_add(&errors, strcmp(err.field, "visibility") == 0 ? "visibility" : "file",
			       strcmp(err.field, "content_type") == 0
				       ? "The file must be a PDF, PNG, JPEG, plain text or Word document"
				       : arena_printf(req->arena, "The file %s", err.message));
	if (!errors.n) {
		store_document d;
		fh_status s = store_document_add(req->st, req->params[0], files[0].filename,
						 files[0].content_type, visibility, files[0].data,
						 files[0].size, req->who->user.email, req->arena, &d,
						 &err);
		if (s) {
			http_fail(req, &err);
			return;
		}
		web_redirect(req, arena_printf(req->arena, "/staff/cases/%s?done=document#documents",
					       web_url_encode(req, req->params[0])));
		return;
	}
	case_view v;
	if (!load(req, &v))
		return;
	render_case(req, &v, 422, &errors);
}

/* ---- an action's form page ---------------------------------------------------- */

/* The value a field had as sent (NULL: the form was not sent). */
static const char *sent(http_request *req, const char *name)
{
	return strcmp(req->method, "POST") == 0 ? web_form(req, name) : NULL;
}

static const char *row_name(http_request *req, const char *field, const char *part, int n)
{
	return arena_printf(req->arena, "%s-%d-%s", field, n, part);
}

/*
 * The reasons the case's procedure allows for extending a clock of its
 * current stage (proc_clock.extension_reasons of the response, the
 * acknowledgement and the panel), each once, NULL-ended in req->arena; an
 * empty list when it names none (then any stated reason is taken).
 */
static const char **extension_reasons(http_request *req, const case_view *v)
{
	const char **out = arena_array(req->arena, 1, sizeof *out);
	json_t *stage = json_object_get(json_object_get(v->life, "state"), "stage");
	fh_procedure *proc = NULL;
	fh_error err = {0};
	if (!v->c.procedure_code || !json_is_integer(stage) ||
	    store_procedure_get(req->st, v->c.procedure_code, v->c.procedure_version, &proc, &err))
		return out;
	const proc_stage *rules = procedure_stage(proc, (int)json_integer_value(stage));
	if (rules) {
		const proc_clock *clocks[] = {&rules->response, &rules->acknowledge,
					      &rules->panel.within};
		size_t cap = 1, n = 0;
		for (size_t c = 0; c < 3; c++)
			cap += clocks[c]->n_extension_reasons;
		out = arena_array(req->arena, cap, sizeof *out);
		for (size_t c = 0; c < 3; c++)
			for (size_t i = 0; i < clocks[c]->n_extension_reasons; i++) {
				const char *r = clocks[c]->extension_reasons[i];
				bool seen = false;
				for (size_t k = 0; k < n && !seen; k++)
					seen = strcmp(out[k], r) == 0;
				if (!seen)
					out[n++] = arena_strdup(req->arena, r);
			}
	}
	procedure_free(proc);
	return out;
}

static void render_field(http_request *req, html_buf *b, const case_view *v,
			 const action_field *f, const web_errors *errors)
{
	web_field w = {.name = f->name, .label = f->label, .hint = f->hint,
		       .optional = f->optional, .error = web_errors_for(errors, f->name),
		       .value = sent(req, f->name)};
	char today[DATE_ISO_LEN];
	switch (f->kind) {
	case K_DATE:
		if (!w.value && strcmp(f->name, "on") == 0)
			w.value = arena_strdup(req->arena, date_format(req->today, today));
		w.width_class = "w-10";
		w.inputmode = "numeric";
		web_input(b, &w);
		return;
	case K_TEXT:
	case K_EMAILS:
		web_input(b, &w);
		return;
	case K_INT:
		w.width_class = "w-4";
		w.inputmode = "numeric";
		web_input(b, &w);
		return;
	case K_AREA:
		w.rows = 3;
		web_textarea(b, &w);
		return;
	case K_BOOL: {
		static const web_option yes[] = {{"true", "Yes", NULL}};
		const char *checked[1] = {"true"};
		w.options = yes;
		w.n_options = 1;
		w.checked = checked;
		w.n_checked = w.value && strcmp(w.value, "true") == 0 ? 1 : 0;
		web_checkboxes(b, &w);
		return;
	}
	case K_REASONS:
	case K_CHOICE:
	case K_MULTI: {
		const char *const *choices = f->kind == K_REASONS
			? (const char *const *)extension_reasons(req, v) : f->choices;
		size_t n = 0;
		while (choices[n])
			n++;
		if (n == 0) { /* the procedure takes any stated reason */
			web_input(b, &w);
			return;
		}
		web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
		size_t k = 0;
		if (f->kind != K_MULTI && n > 4)
			opts[k++] = (web_option){"", "Choose one", NULL};
		for (size_t i = 0; i < n; i++)
			opts[k++] = (web_option){choices[i], staff_words(req, choices[i]), NULL};
		w.options = opts;
		w.n_options = k;
		if (f->kind == K_MULTI) {
			size_t nc = 0;
			w.checked = strcmp(req->method, "POST") == 0 ? web_form_all(req, f->name, &nc)
								     : NULL;
			w.n_checked = nc;
			web_checkboxes(b, &w);
		} else if (n > 4) {
			web_select(b, &w);
		} else {
			web_radios(b, &w);
		}
		return;
	}
	case K_POINT: {
		web_option *opts = arena_array(req->arena, v->c.n_points + 1, sizeof *opts);
		opts[0] = (web_option){"", "Choose a point", NULL};
		for (size_t i = 0; i < v->c.n_points; i++)
			opts[i + 1] = (web_option){arena_printf(req->arena, "%d", v->c.points[i].seq),
						   arena_printf(req->arena, "%d. %.80s",
								v->c.points[i].seq,
								v->c.points[i].summary),
						   NULL};
		w.options = opts;
		w.n_options = v->c.n_points + 1;
		web_select(b, &w);
		return;
	}
	case K_CLOCK: {
		json_t *deadlines = json_object_get(v->life, "deadlines");
		size_t n = json_array_size(deadlines);
		web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			const char *clock = jstr(json_array_get(deadlines, i), "clock");
			bool seen = false;
			for (size_t j = 0; j < k; j++)
				seen |= strcmp(opts[j].value, clock) == 0;
			if (!seen)
				opts[k++] = (web_option){clock, staff_words(req, clock), NULL};
		}
		if (!w.value)
			w.value = "response";
		w.options = opts;
		w.n_options = k;
		if (k)
			web_radios(b, &w);
		else
			web_input(b, &w);
		return;
	}
	case K_USER: {
		fh_user *users = NULL;
		size_t n = 0;
		fh_error err = {0};
		if (store_user_list(req->st, v->c.org_code, req->arena, &users, &n, &err))
			n = 0;
		web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
		size_t k = 0;
		opts[k++] = (web_option){"", "Choose someone", NULL};
		for (size_t i = 0; i < n; i++)
			if (!users[i].disabled)
				opts[k++] = (web_option){users[i].email,
					arena_printf(req->arena, "%s (%s)", users[i].display_name,
						     users[i].email), NULL};
		w.options = opts;
		w.n_options = k;
		web_select(b, &w);
		return;
	}
	case K_ACTIONS:
	case K_PLAN: {
		html_raw(b, "<fieldset class=\"fieldset\" id=\"");
		html_attr(b, f->name);
		html_raw(b, "\" tabindex=\"-1\"><legend class=\"legend\">");
		html_text(b, f->label);
		html_raw(b, "</legend>");
		if (w.error) {
			html_raw(b, "<p class=\"error-message\"><span class=\"visually-hidden\">Error:"
				    "</span> ");
			html_text(b, w.error);
			html_raw(b, "</p>");
		}
		for (int n = 1; n <= 3; n++) {
			html_rawf(b, "<div class=\"action-row\"><p class=\"muted\">Action %d "
				     "(optional)</p>", n);
			const char *what = row_name(req, f->name, "action", n);
			web_input(b, &(web_field){.name = what, .label = "What will be done",
						  .value = sent(req, what)});
			if (f->kind == K_ACTIONS) {
				const char *owner = row_name(req, f->name, "owner", n);
				web_input(b, &(web_field){.name = owner, .label = "Owner",
							  .value = sent(req, owner)});
			}
			const char *due = row_name(req, f->name, "due_on", n);
			web_input(b, &(web_field){.name = due, .label = "Due by",
						  .hint = "For example 2026-12-18", .width_class = "w-10",
						  .value = sent(req, due)});
			html_raw(b, "</div>");
		}
		html_raw(b, "</fieldset>");
		return;
	}
	}
}

static void form_page(http_request *req, const case_view *v, const action_form *af, int status,
		      const web_errors *errors, const fh_error *refusal)
{
	html_buf b = HTML_BUF_INIT;
	const char *title = arena_printf(req->arena, "%s%s: %s", errors->n ? "Error: " : "",
					 af->title, v->c.reference);
	staff_page_begin(req, &b, title, NULL);
	html_raw(&b, "<a class=\"back-link\" href=\"/staff/cases/");
	html_attr(&b, v->c.reference);
	html_raw(&b, "\">Back to the case</a>");
	web_error_summary(&b, errors);
	(void)refusal; /* its words and source are in the error summary */
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, v->c.reference);
	html_raw(&b, ": ");
	html_text(&b, v->c.summary);
	html_raw(&b, "</span><h1>");
	html_text(&b, af->title);
	html_raw(&b, "</h1>");
	if (af->intro) {
		html_raw(&b, "<p>");
		html_text(&b, af->intro);
		html_raw(&b, "</p>");
	}
	if (strcmp(af->action, "triage") == 0 || strcmp(af->action, "accept") == 0) {
		/* What the route turns on: who complains, for whom, and consent (001 §7). */
		html_raw(&b, "<h2>On record</h2><dl class=\"summary\">");
		row(&b, "Received", staff_date(req, v->c.received_on));
		for (size_t i = 0; i < v->c.n_parties; i++) {
			const fh_party *p = &v->c.parties[i];
			const char *what = arena_printf(req->arena, "%s%s%s%s%s%s",
				staff_words(req, p->role),
				p->relationship && *p->relationship ? ", " : "",
				staff_lower(req, p->relationship),
				p->child_status && *p->child_status ? ", " : "",
				staff_lower(req, p->child_status),
				p->consent && strcmp(p->consent, "not_needed") != 0
					? arena_printf(req->arena, ", consent %s", staff_lower(req, p->consent))
					: "");
			row(&b, person_name(req, &p->person), what);
		}
		html_raw(&b, "</dl>");
	}
	html_raw(&b, "<form method=\"post\" novalidate action=\"/staff/cases/");
	html_attr(&b, v->c.reference);
	html_raw(&b, "/actions/");
	html_attr(&b, af->action);
	html_raw(&b, "\">");
	web_csrf_field(req, &b);
	for (size_t i = 0; i < n_fields(af); i++)
		render_field(req, &b, v, &af->fields[i], errors);
	html_raw(&b, "<div class=\"button-group\"><button type=\"submit\" class=\"button\">");
	html_text(&b, af->title);
	html_raw(&b, "</button><a href=\"/staff/cases/");
	html_attr(&b, v->c.reference);
	html_raw(&b, "\">Cancel</a></div></form>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

/* The action named in the path, or a 404 page. */
static const action_form *route_action(http_request *req)
{
	const action_form *af = form_for(req->params[1]);
	if (!af)
		http_error(req, 404, "not_found", "action", "no action %s", req->params[1]);
	return af;
}

void staff_case_action_form(http_request *req)
{
	const action_form *af = route_action(req);
	case_view v;
	if (!af || !load(req, &v))
		return;
	web_errors errors = {0};
	form_page(req, &v, af, 200, &errors, NULL);
	json_decref(v.life);
}

/* Trims spaces at both ends (into the arena). */
static const char *trim(http_request *req, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(req->arena, s, n);
}

/* The form as the action's JSON parameters: only the declared fields that were filled in. */
static json_t *params_of(http_request *req, const action_form *af)
{
	json_t *p = json_object();
	for (size_t i = 0; i < n_fields(af); i++) {
		const action_field *f = &af->fields[i];
		if (f->kind == K_MULTI) {
			size_t n = 0;
			const char **all = web_form_all(req, f->name, &n);
			if (!n)
				continue;
			json_t *list = json_array();
			for (size_t k = 0; k < n; k++)
				json_array_append_new(list, json_string(all[k]));
			json_object_set_new(p, f->name, list);
			continue;
		}
		if (f->kind == K_ACTIONS || f->kind == K_PLAN) {
			json_t *list = json_array();
			for (int n = 1; n <= 3; n++) {
				const char *what = web_form(req, row_name(req, f->name, "action", n));
				const char *owner = web_form(req, row_name(req, f->name, "owner", n));
				const char *due = web_form(req, row_name(req, f->name, "due_on", n));
				what = trim(req, what ? what : "");
				owner = trim(req, owner ? owner : "");
				due = trim(req, due ? due : "");
				if (!*what && !*owner && !*due)
					continue;
				json_t *item = json_pack("{ss ss}", "action", what, "due_on", due);
				if (f->kind == K_ACTIONS)
					json_object_set_new(item, "owner", json_string(owner));
				json_array_append_new(list, item);
			}
			json_object_set_new(p, f->name, list);
			continue;
		}
		const char *value = web_form(req, f->name);
		if (!value)
			continue;
		value = trim(req, value);
		if (!*value)
			continue;
		if (f->kind == K_EMAILS) {
			json_t *list = json_array();
			char *copy = arena_strdup(req->arena, value), *save = NULL;
			for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				const char *email = trim(req, tok);
				if (*email)
					json_array_append_new(list, json_string(email));
			}
			json_object_set_new(p, f->name, list);
			continue;
		}
		json_object_set_new(p, f->name, json_string(value));
	}
	return p;
}

/* The refusal as the form's error: on its field when the form has it. */
static void refusal_errors(http_request *req, const action_form *af, const fh_error *err,
			   web_errors *errors)
{
	const char *field = NULL;
	for (size_t i = 0; err->field[0] && i < n_fields(af); i++)
		if (strcmp(af->fields[i].name, err->field) == 0)
			field = af->fields[i].name;
	const char *message = err->message;
	if (!field && err->field[0])
		message = arena_printf(req->arena, "%s: %s", err->field, err->message);
	if (err->source[0])
		message = arena_printf(req->arena, "%s (%s)", message, err->source);
	char *capital = arena_strdup(req->arena, message); /* a sentence, as the summary shows it */
	if (capital[0] >= 'a' && capital[0] <= 'z')
		capital[0] = (char)(capital[0] - 'a' + 'A');
	web_errors_add(errors, field ? field : af->fields[0].name, capital);
}

void staff_case_act(http_request *req)
{
	const action_form *af = route_action(req);
	if (!af)
		return;
	json_t *params = params_of(req, af);
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	json_t *result = NULL;
	fh_error err = {0};
	fh_status s = store_case_act(req->st, req->params[0], af->action, params, &actor,
				     req->today, &result, &err);
	json_decref(params);
	json_decref(result);
	if (s == FH_OK) {
		web_redirect(req, arena_printf(req->arena, "/staff/cases/%s?done=%s",
					       web_url_encode(req, req->params[0]), af->action));
		return;
	}
	int status;
	switch (s) {
	case FH_EINVAL: case FH_ERULE: status = 422; break;
	case FH_ECONFLICT: status = 409; break;
	case FH_EFORBIDDEN: status = 403; break;
	default:
		http_fail(req, &err);
		return;
	}
	case_view v;
	if (!load(req, &v))
		return;
	web_errors errors = {0};
	fh_error *kept = arena_alloc(req->arena, sizeof *kept);
	*kept = err;
	refusal_errors(req, af, kept, &errors);
	form_page(req, &v, af, status, &errors, kept);
	json_decref(v.life);
}
