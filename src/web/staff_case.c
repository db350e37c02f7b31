/*
 * staff_case.c: the case page, and the small form of each action.
 *
 * The case page shows everything staff need to handle a case: the
 * complaint, its people (never their equality-monitoring answers: DOMAIN
 * §7), the points and desired outcomes with the findings on each, every
 * stage with its assignments, extensions, reports and response, every
 * deadline, the documents and the timeline of events.  Under "What you can
 * do now" it lists exactly the actions the procedure allows this user now
 * (lifecycle_allowed), each a link to its own form page (staff_actions.c,
 * declared as every staff form is: staff_forms.h).
 *
 * What the customer never sees (the Investigating Officer's confidential
 * addendum, what was said in mediation, confidential documents and
 * confidential entries of the timeline) is shown only to those the one
 * rule lets see it (authz_may_see_confidential), as on the API.  Each
 * read of a case page is written to the access log before the page is sent.
 */
#include "staff_forms.h"

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
	/* a case a received email made is a "complaint" because a case must have a
	 * kind: until triage, say the kind is the email's default, not a decision */
	const char *about;
	if (strcmp(c->route, "untriaged") == 0 && staff_mail_made_case(req, c, &about)) {
		html_raw(b, " <span class=\"tag tag-grey\">By email: kind to confirm at triage</span>");
		if (*about) {
			html_raw(b, " <span class=\"tag tag-grey\">Possibly about ");
			html_text(b, about);
			html_raw(b, "</span>");
		}
	}
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
		const pf_form *f = staff_form_action(json_string_value(name));
		if (!f)
			continue;
		html_raw(b, "<li><a class=\"button button-secondary button-small\" href=\"/staff/cases/");
		html_attr(b, v->c.reference);
		html_raw(b, "/actions/");
		html_attr(b, f->key);
		html_raw(b, "\">");
		html_text(b, f->title);
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
	staff_form_done_notice(req, &b);
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
	staff_mail_case_section(req, &b, &v->c);
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

/* ---- what an action's page shows first ------------------------------------------ */

/* What the route turns on: who complains, for whom, and consent (001 §7). */
void staff_case_on_record(http_request *req, html_buf *b, const fh_case *c)
{
	html_raw(b, "<h2>On record</h2><dl class=\"summary\">");
	row(b, "Received", staff_date(req, c->received_on));
	for (size_t i = 0; i < c->n_parties; i++) {
		const fh_party *p = &c->parties[i];
		const char *what = arena_printf(req->arena, "%s%s%s%s%s%s",
			staff_words(req, p->role),
			p->relationship && *p->relationship ? ", " : "",
			staff_lower(req, p->relationship),
			p->child_status && *p->child_status ? ", " : "",
			staff_lower(req, p->child_status),
			p->consent && strcmp(p->consent, "not_needed") != 0
				? arena_printf(req->arena, ", consent %s", staff_lower(req, p->consent))
				: "");
		row(b, person_name(req, &p->person), what);
	}
	html_raw(b, "</dl>");
}
