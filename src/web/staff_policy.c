/*
 * staff_policy.c: issue 8's policy on the staff pages: on the case page,
 * remedies (001 §18, Appendix B), joint complaints (001 §12, §13),
 * advocacy and access needs (DOMAIN §7), consent to share (001 §14.3),
 * freezing decisions (001 §11) and the banner of a restricted person with
 * the decision a new complaint from them needs (001 Appendix A "New
 * complaints"); and the person page with their behaviour record (001 §19,
 * Appendix A: warnings, restrictions, reviews, appeals).
 *
 * Every staff route here mirrors an API route under /staff (the same path
 * after it, the same {ref} and {id}, the same roles in the route table).
 * Each form is declared once in FORMS below; its fields become that API
 * route's JSON body and the API's own handler runs (api_policy.c), which
 * reads the body strictly and calls the one store function, so the rules
 * are never implemented twice.  A success goes back to the page with a
 * notice; a refusal (400, 403, 409, 422) is the form's own page with the
 * rule's words and source in the error summary and every field as typed;
 * the writer keeps no change of an answer of 400 or more (server.c).
 *
 * Field names carry the form's key ("remedy-type", "approve3-on") so that
 * the many small forms of one page never share an id.
 */
#include "web_staff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "authz.h"
#include "date.h"
#include "model.h"
#include "server.h"
#include "store_access.h"
#include "store_advocacy.h"
#include "store_behaviour.h"
#include "store_document.h"
#include "store_freezing.h"
#include "store_joint.h"
#include "store_redress.h"
#include "store_rights.h"
#include "subject_access.h"
#include "web.h"

/* ---- the forms, by declaration --------------------------------------------- */

typedef enum pf_kind {
	PF_TEXT,
	PF_AREA,
	PF_DATE,   /* YYYY-MM-DD, as the API takes it */
	PF_CHOICE, /* one of choices: radios, or a select past four */
	PF_INT,    /* a whole number */
	PF_PENCE,  /* pounds and pence typed, whole pence sent */
	PF_TICK,   /* one checkbox: true when ticked, false when not */
	PF_YESNO,  /* radios Yes / No: true or false */
	PF_PERSON, /* one of the people on the case, by number */
} pf_kind;

typedef struct pf_field {
	const char *name; /* the API's field */
	const char *label;
	const char *hint;
	pf_kind kind;
	const char *const *choices;
	bool optional;
} pf_field;

typedef enum pf_place { ON_CASE_PAGE, ON_PERSON_PAGE } pf_place;

typedef struct pf_form {
	const char *key;    /* the fields' prefix and the ?done= word */
	const char *title;  /* the button and the form page's heading */
	const char *intro;  /* the rule, with its source */
	pf_place place;
	bool item;          /* on one item: its {id} is the path's second parameter */
	unsigned roles;     /* the route's rule, to show the form only to those it lets in */
	void (*api)(http_request *req);
	pf_field fields[8];
} pf_form;

static const char *const REMEDY_TYPES[] = {"apology", "policy_review", "provide_service",
					   "staff_training", "financial", "delay_payment", NULL};
static const char *const REMEDY_CATEGORIES[] = {"quantifiable_loss", "non_monetary_benefit",
						"distress_harm_risk", "time_and_trouble", NULL};
static const char *const EXCLUSIONS[] = {"legal_action", "court_settlement", "insurance_dispute",
					 "insurance_settlement", NULL};
static const char *const RESPONDERS[] = {"single_response", "this_organisation",
					 "other_organisation", "separate", NULL};
static const char *const ADVOCACY_STEP_WORDS[] = {"offered", "referred", "taken_up", "declined",
						  NULL};
static const char *const NEEDS[] = {"interpreter", "signer", "alternative_format", NULL};
static const char *const CHANGES[] = {"placement", "service", NULL};
static const char *const VIEW_AS[] = {"complaints_manager", "head_of_service", NULL};
static const char *const VIEWS[] = {"freeze", "not_freeze", NULL};
static const char *const FREEZE_REVIEWS[] = {"maintained", "reversed", NULL};
static const char *const KINDS[] = {"phone_time_limits", "phone_call_limit",
				    "phone_via_third_party", "no_contact_with_officers",
				    "buildings_by_appointment", "named_contact_only",
				    "phone_set_times", "witness_present", "no_reply_on_topic",
				    "police_contacted", "refuse_all_contact", NULL};
static const char *const WITHOUT_WARNING[] = {"threats_or_abuse", "extreme_behaviour", NULL};
static const char *const REVIEW_OUTCOMES[] = {"continue", "lift", "extend", NULL};
static const char *const APPEAL_OUTCOMES[] = {"upheld", "varied", "lifted", NULL};

static const pf_form FORMS[] = {
	{"remedy", "Record a remedy",
	 "Where maladministration was found: acknowledge, apologise, explain and put it right "
	 "(001 §18, Appendix B).", ON_CASE_PAGE, false, AUTHZ_REDRESS_RECORD, api_remedy_add,
	 {{"type", "Type of remedy", NULL, PF_CHOICE, REMEDY_TYPES, false},
	  {"category", "Category of a financial remedy", NULL, PF_CHOICE, REMEDY_CATEGORIES, true},
	  {"amount_pence", "Amount in pounds", "For example 150.00", PF_PENCE, NULL, true},
	  {"description", "What will be done or paid", NULL, PF_AREA, NULL, false},
	  {"exception", "A matter the policy excludes", "Legal action, court settlements and "
	   "insurance are not remedied here (001 Appendix B)", PF_CHOICE, EXCLUSIONS, true}}},
	{"approve", "Approve", "Approved by someone with the authority to spend (001 §18.2).",
	 ON_CASE_PAGE, true, AUTHZ_REDRESS_APPROVE, api_remedy_approve,
	 {{"on", "Approved on", "YYYY-MM-DD, not in the future", PF_DATE, NULL, true}}},
	{"deliver", "Record delivery", "Only once approved (001 §18.2).", ON_CASE_PAGE, true,
	 AUTHZ_REDRESS_RECORD, api_remedy_deliver,
	 {{"on", "Delivered on", "YYYY-MM-DD", PF_DATE, NULL, true}}},
	{"contribution", "Ask a team to contribute",
	 "A complaint about more than one team gets one co-ordinated response (001 §13.1).",
	 ON_CASE_PAGE, false, AUTHZ_COORDINATE, api_contribution_request,
	 {{"team", "Team", NULL, PF_TEXT, NULL, false},
	  {"requested_on", "Asked on", "YYYY-MM-DD", PF_DATE, NULL, true}}},
	{"received", "Contribution received", NULL, ON_CASE_PAGE, true, AUTHZ_COORDINATE,
	 api_contribution_received,
	 {{"received_on", "Received on", "YYYY-MM-DD", PF_DATE, NULL, true}}},
	{"liaison", "Record liaison with another organisation",
	 "Agree who responds; unless it is one response, tell the customer how and by whom "
	 "(001 §12.2).", ON_CASE_PAGE, false, AUTHZ_COORDINATE, api_liaison_add,
	 {{"organisation", "Organisation", NULL, PF_TEXT, NULL, false},
	  {"responder", "Who responds", NULL, PF_CHOICE, RESPONDERS, false},
	  {"liaised_on", "Liaised on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"customer_told_on", "Customer told on", "YYYY-MM-DD", PF_DATE, NULL, true}}},
	{"advocacy", "Record an advocacy step",
	 "Offer advocacy to children, free; record the advocate (DOMAIN §7).", ON_CASE_PAGE, false,
	 AUTHZ_ADVOCACY, api_advocacy_step,
	 {{"person_id", "Person", NULL, PF_PERSON, NULL, false},
	  {"step", "Step", "Offered, referred, taken up or declined, in that order", PF_CHOICE,
	   ADVOCACY_STEP_WORDS, false},
	  {"on", "On", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"service", "Advocacy service", "Leave empty for the organisation's own", PF_TEXT, NULL,
	   true},
	  {"extend_to", "Extend the Stage 1 clock to (working days)",
	   "With a referral, because an advocate is to be appointed (001 B Stage 1)", PF_INT, NULL,
	   true}}},
	{"access", "Record an access need", "Interpreters, signers and alternative formats "
	 "(DOMAIN §7).", ON_CASE_PAGE, false, AUTHZ_ADVOCACY, api_access_need_add,
	 {{"person_id", "Person", NULL, PF_PERSON, NULL, false},
	  {"need", "Need", NULL, PF_CHOICE, NEEDS, false},
	  {"detail", "Detail", "For example Urdu, or Large print", PF_TEXT, NULL, true},
	  {"arranged_on", "Arranged on", "YYYY-MM-DD", PF_DATE, NULL, true}}},
	{"consent", "Record consent to share",
	 "Written, signed and dated consent before independent consideration (001 §14.3).",
	 ON_CASE_PAGE, false, AUTHZ_RECORD, api_consent_add,
	 {{"person_id", "Person", NULL, PF_PERSON, NULL, false},
	  {"written", "Given in writing", NULL, PF_TICK, NULL, false},
	  {"signed", "Signed", NULL, PF_TICK, NULL, false},
	  {"dated_on", "Dated", "YYYY-MM-DD", PF_DATE, NULL, false}}},
	{"freeze", "Ask to freeze a decision",
	 "A proposed change of placement or service may be deferred while the complaint is "
	 "considered (001 §11).", ON_CASE_PAGE, false, AUTHZ_FREEZE_REQUEST, api_freeze_request,
	 {{"change", "The change proposed", NULL, PF_CHOICE, CHANGES, false},
	  {"proposal", "What is proposed", NULL, PF_AREA, NULL, false},
	  {"requested_on", "Asked on", "YYYY-MM-DD", PF_DATE, NULL, true}}},
	{"view", "Give a view",
	 "There is a presumption in favour of freezing: not freezing needs a good reason "
	 "(001 §11.2, §11.3).", ON_CASE_PAGE, true, AUTHZ_FREEZE_VIEW, api_freeze_view,
	 {{"as", "As", NULL, PF_CHOICE, VIEW_AS, false},
	  {"view", "View", NULL, PF_CHOICE, VIEWS, false},
	  {"reason", "Reason", NULL, PF_AREA, NULL, true}}},
	{"decide", "Decide after a disagreement",
	 "The Assistant Director or Director decides when the views differ (001 §11.4).",
	 ON_CASE_PAGE, true, AUTHZ_LEADERSHIP, api_freeze_decide,
	 {{"view", "Decision", NULL, PF_CHOICE, VIEWS, false},
	  {"reason", "Reason", NULL, PF_AREA, NULL, true}}},
	{"freezereview", "Review the freezing decision", NULL, ON_CASE_PAGE, true,
	 AUTHZ_FREEZE_VIEW, api_freeze_review,
	 {{"outcome", "Outcome", NULL, PF_CHOICE, FREEZE_REVIEWS, false},
	  {"note", "Note", NULL, PF_AREA, NULL, true},
	  {"reviewed_on", "Reviewed on", "YYYY-MM-DD", PF_DATE, NULL, true}}},
	{"applies", "Decide whether the restriction applies",
	 "A new complaint from a restricted person is judged on its merits: decide, never "
	 "assume (001 Appendix A \"New complaints\").", ON_CASE_PAGE, true,
	 AUTHZ_BEHAVIOUR_DECIDE, api_case_restriction_decide,
	 {{"applies", "Does the restriction apply to this complaint?", NULL, PF_YESNO, NULL, false},
	  {"reason", "Reason", NULL, PF_AREA, NULL, false}}},
	{"warning", "Record a warning",
	 "Level 1: a formal warning letter with the evidence, enclosing the procedure "
	 "(001 Appendix A).", ON_PERSON_PAGE, false, AUTHZ_BEHAVIOUR, api_behaviour_warn,
	 {{"issued_on", "Issued on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"evidence", "Evidence", NULL, PF_AREA, NULL, false},
	  {"change", "The change of behaviour asked for", NULL, PF_AREA, NULL, false}}},
	{"restriction", "Restrict contact",
	 "Level 2: proportionate, for a stated period (usually 3 to 6 months), reviewed before "
	 "it ends (001 Appendix A).", ON_PERSON_PAGE, false, AUTHZ_BEHAVIOUR,
	 api_behaviour_restrict,
	 {{"kind", "Restriction", NULL, PF_CHOICE, KINDS, false},
	  {"detail", "Detail", NULL, PF_AREA, NULL, true},
	  {"reason", "Why", NULL, PF_AREA, NULL, false},
	  {"starts_on", "Starts on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"ends_on", "Ends on", "YYYY-MM-DD", PF_DATE, NULL, false},
	  {"without_warning", "Without an earlier warning, because of", NULL, PF_CHOICE,
	   WITHOUT_WARNING, true},
	  {"exceptional_reason", "Exceptional reason (longer than six months)", NULL, PF_AREA,
	   NULL, true}}},
	{"review", "Review", "Reviewed before it ends, and every three months when longer than "
	 "six months (001 Appendix A).", ON_PERSON_PAGE, true, AUTHZ_BEHAVIOUR,
	 api_behaviour_review,
	 {{"outcome", "Outcome", NULL, PF_CHOICE, REVIEW_OUTCOMES, false},
	  {"note", "Note", NULL, PF_AREA, NULL, true},
	  {"reviewed_on", "Reviewed on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"ends_on", "New end (to extend)", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"exceptional_reason", "Exceptional reason (longer than six months)", NULL, PF_AREA,
	   NULL, true}}},
	{"appeal", "Record an appeal",
	 "Level 3: answered by a senior manager within 10 working days (001 Appendix A).",
	 ON_PERSON_PAGE, true, AUTHZ_BEHAVIOUR, api_behaviour_appeal,
	 {{"received_on", "Received on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"grounds", "Grounds", NULL, PF_AREA, NULL, false}}},
	{"answer", "Answer the appeal",
	 "The answer explains the right to go to the Ombudsman (001 Appendix A).",
	 ON_PERSON_PAGE, true, AUTHZ_SENIOR, api_behaviour_answer,
	 {{"outcome", "Outcome", NULL, PF_CHOICE, APPEAL_OUTCOMES, false},
	  {"answer", "Answer", NULL, PF_AREA, NULL, false},
	  {"ombudsman_explained", "The answer explains the right to go to the Ombudsman", NULL,
	   PF_TICK, NULL, false},
	  {"answered_on", "Answered on", "YYYY-MM-DD", PF_DATE, NULL, true}}},
};

static const pf_form *form_by_key(const char *key)
{
	for (size_t i = 0; key && i < sizeof FORMS / sizeof FORMS[0]; i++)
		if (strcmp(FORMS[i].key, key) == 0)
			return &FORMS[i];
	return NULL;
}

/* A form this file declares: an unknown key is a bug. */
static const pf_form *form_named(const char *key)
{
	const pf_form *f = form_by_key(key);
	if (!f)
		abort();
	return f;
}

static size_t n_fields(const pf_form *f)
{
	size_t n = 0;
	while (n < sizeof f->fields / sizeof f->fields[0] && f->fields[n].name)
		n++;
	return n;
}

/* The prefix of a form's fields: its key, and the item's number when on one. */
static const char *prefix(http_request *req, const pf_form *f, int64_t item)
{
	return f->item ? arena_printf(req->arena, "%s%lld", f->key, (long long)item) : f->key;
}

static const char *field_name(http_request *req, const char *pre, const pf_field *fd)
{
	return arena_printf(req->arena, "%s-%s", pre, fd->name);
}

static bool may(const http_request *req, int64_t org_id, const pf_form *f)
{
	return (authz_roles_in(req->who, org_id) & f->roles) != 0;
}

/* ---- rendering a form -------------------------------------------------------- */

static void render_field(http_request *req, html_buf *b, const char *pre, const pf_field *fd,
			 const fh_case *c, const web_errors *errors, bool posted)
{
	const char *name = field_name(req, pre, fd);
	web_field w = {.name = name, .label = fd->label, .hint = fd->hint,
		       .optional = fd->optional, .error = web_errors_for(errors, name),
		       .value = posted ? web_form(req, name) : NULL};
	switch (fd->kind) {
	case PF_TEXT:
		web_input(b, &w);
		return;
	case PF_AREA:
		w.rows = 3;
		web_textarea(b, &w);
		return;
	case PF_DATE:
		w.width_class = "w-10";
		w.inputmode = "numeric";
		web_input(b, &w);
		return;
	case PF_INT:
	case PF_PENCE:
		w.width_class = "w-10";
		w.inputmode = fd->kind == PF_INT ? "numeric" : "decimal";
		web_input(b, &w);
		return;
	case PF_TICK: {
		static const web_option yes[] = {{"true", "Yes", NULL}};
		const char *checked[1] = {"true"};
		w.options = yes;
		w.n_options = 1;
		w.checked = checked;
		w.n_checked = w.value && strcmp(w.value, "true") == 0;
		web_checkboxes(b, &w);
		return;
	}
	case PF_YESNO: {
		static const web_option yesno[] = {{"true", "Yes", NULL}, {"false", "No", NULL}};
		w.options = yesno;
		w.n_options = 2;
		web_radios(b, &w);
		return;
	}
	case PF_CHOICE: {
		size_t n = 0;
		while (fd->choices[n])
			n++;
		web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
		size_t k = 0;
		if (n > 4 || fd->optional)
			opts[k++] = (web_option){"", fd->optional ? "None" : "Choose one", NULL};
		for (size_t i = 0; i < n; i++)
			opts[k++] = (web_option){fd->choices[i], staff_words(req, fd->choices[i]), NULL};
		w.options = opts;
		w.n_options = k;
		if (k > 4)
			web_select(b, &w);
		else
			web_radios(b, &w);
		return;
	}
	case PF_PERSON: {
		size_t n = c ? c->n_parties : 0;
		web_option *opts = arena_array(req->arena, n + 1, sizeof *opts);
		opts[0] = (web_option){"", "Choose a person", NULL};
		for (size_t i = 0; i < n; i++) {
			const fh_party *p = &c->parties[i];
			opts[i + 1] = (web_option){
				arena_printf(req->arena, "%lld", (long long)p->person.id),
				arena_printf(req->arena, "%s %s (%s)",
					     p->person.given_name ? p->person.given_name : "",
					     p->person.family_name ? p->person.family_name : "",
					     staff_lower(req, p->role)),
				NULL};
		}
		w.options = opts;
		w.n_options = n + 1;
		web_select(b, &w);
		return;
	}
	}
}

/* The <form> of f, posting to action. */
static void render_form(http_request *req, html_buf *b, const pf_form *f, int64_t item,
			const char *action, const fh_case *c, const web_errors *errors,
			bool posted)
{
	const char *pre = prefix(req, f, item);
	html_raw(b, "<form method=\"post\" novalidate action=\"");
	html_attr(b, action);
	html_raw(b, "\">");
	web_csrf_field(req, b);
	for (size_t i = 0; i < n_fields(f); i++)
		render_field(req, b, pre, &f->fields[i], c, errors, posted);
	html_raw(b, "<button type=\"submit\" class=\"button button-secondary\">");
	html_text(b, f->title);
	html_raw(b, "</button></form>");
}

/* A form folded under its title, as "Add a document" is on the case page. */
static void folded_form(http_request *req, html_buf *b, const pf_form *f, int64_t item,
			const char *summary, const char *action, const fh_case *c)
{
	html_raw(b, "<details class=\"filters\"><summary>");
	html_text(b, summary ? summary : f->title);
	html_raw(b, "</summary>");
	if (f->intro) {
		html_raw(b, "<p class=\"hint\">");
		html_text(b, f->intro);
		html_raw(b, "</p>");
	}
	render_form(req, b, f, item, action, c, NULL, false);
	html_raw(b, "</details>");
}

/* ---- showing what is recorded -------------------------------------------------- */

static bool is_code(const char *s)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
			return false;
	return true;
}

/* One value as people read it: codes in words, dates as dates, booleans Yes/No. */
static void value_text(http_request *req, html_buf *b, const json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		html_text(b, is_code(s) ? staff_words(req, s) : staff_date(req, s));
	} else if (json_is_integer(v)) {
		html_rawf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_boolean(v)) {
		html_raw(b, json_is_true(v) ? "Yes" : "No");
	} else {
		html_raw(b, "<span class=\"muted\">-</span>");
	}
}

/*
 * A table of the scalar fields of each object of list (nested lists and
 * objects are shown by the caller), headed by the fields' names in words.
 */
static const char *party_name(http_request *req, const fh_case *c, int64_t person);

/* A cell: a person on the case by name, else the value as people read it. */
static void cell(http_request *req, html_buf *b, const char *key, const json_t *v, const fh_case *c)
{
	if (c && strcmp(key, "person_id") == 0 && json_is_integer(v))
		html_text(b, party_name(req, c, json_integer_value(v)));
	else
		value_text(req, b, v);
}

static void json_table(http_request *req, html_buf *b, const json_t *list, const char *empty,
		       const fh_case *c)
{
	if (!json_array_size(list)) {
		html_raw(b, "<p>");
		html_text(b, empty);
		html_raw(b, "</p>");
		return;
	}
	json_t *first = json_array_get(list, 0);
	const char *key;
	json_t *v;
	html_raw(b, "<div class=\"table-wrap\"><table><thead><tr>");
	json_object_foreach(first, key, v) {
		if (json_is_array(v) || json_is_object(v))
			continue;
		html_raw(b, "<th scope=\"col\">");
		html_text(b, strcmp(key, "id") == 0 ? "No."
			     : strcmp(key, "person_id") == 0 && c ? "Person" : staff_words(req, key));
		html_raw(b, "</th>");
	}
	html_raw(b, "</tr></thead><tbody>");
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		html_raw(b, "<tr>");
		json_object_foreach(first, key, v) {
			if (json_is_array(v) || json_is_object(v))
				continue;
			html_raw(b, "<td>");
			cell(req, b, key, json_object_get(o, key), c);
			html_raw(b, "</td>");
		}
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></div>");
}

static const char *case_path(http_request *req, const fh_case *c, const char *rest)
{
	return arena_printf(req->arena, "/staff/cases/%s/%s", web_url_encode(req, c->reference),
			    rest);
}

/* ---- the case page's sections ------------------------------------------------------ */

static bool in_force(const json_t *r, const char *today)
{
	const char *starts = json_string_value(json_object_get(r, "starts_on"));
	const char *ends = json_string_value(json_object_get(r, "ends_on"));
	return starts && ends && strcmp(starts, today) <= 0 && strcmp(today, ends) <= 0 &&
	       json_is_null(json_object_get(r, "lifted_on"));
}

static const char *party_name(http_request *req, const fh_case *c, int64_t person)
{
	for (size_t i = 0; i < c->n_parties; i++)
		if (c->parties[i].person.id == person)
			return arena_printf(req->arena, "%s %s",
					    c->parties[i].person.given_name ? c->parties[i].person.given_name : "",
					    c->parties[i].person.family_name ? c->parties[i].person.family_name
									     : "");
	return arena_printf(req->arena, "person %lld", (long long)person);
}

void staff_policy_banner(http_request *req, html_buf *b, const fh_case *c)
{
	const char *done_key = http_query(req, "done");
	const pf_form *done = form_by_key(done_key);
	if (done || (done_key && strcmp(done_key, "redaction") == 0)) {
		html_raw(b, "<div class=\"notice\" role=\"status\"><p><strong>Done: ");
		html_text(b, done ? done->title : "Make a redacted copy");
		html_raw(b, ".</strong></p></div>");
	}
	json_t *list = NULL;
	fh_error err = {0};
	if (store_case_restrictions(req->st, c->id, &list, &err))
		return;
	char today[DATE_ISO_LEN];
	date_format(req->today, today);
	const pf_form *decide = form_named("applies");
	size_t i;
	json_t *r;
	json_array_foreach(list, i, r) {
		bool needed = json_is_true(json_object_get(r, "decision_needed"));
		if (!in_force(r, today) && !needed)
			continue;
		int64_t rid = json_integer_value(json_object_get(r, "id"));
		int64_t person = json_integer_value(json_object_get(r, "person_id"));
		html_raw(b, "<div class=\"notice notice-warning\" role=\"region\" aria-label=\"");
		html_attr(b, arena_printf(req->arena, "Restriction %lld", (long long)rid));
		html_raw(b, "\"><p><strong>");
		html_text(b, party_name(req, c, person));
		html_raw(b, in_force(r, today) ? " is under a restriction of contact"
					       : " was under a restriction of contact");
		html_raw(b, "</strong>: ");
		html_text(b, staff_words(req, json_string_value(json_object_get(r, "kind"))));
		html_raw(b, ", ");
		html_text(b, staff_date(req, json_string_value(json_object_get(r, "starts_on"))));
		html_raw(b, " to ");
		html_text(b, staff_date(req, json_string_value(json_object_get(r, "ends_on"))));
		html_raw(b, " (001 Appendix A).</p>");
		const char *detail = json_string_value(json_object_get(r, "detail"));
		if (detail && *detail) {
			html_raw(b, "<p>");
			html_text(b, detail);
			html_raw(b, "</p>");
		}
		json_t *applies = json_object_get(r, "applies");
		if (json_is_boolean(applies)) {
			html_raw(b, "<p>Decided for this complaint: the restriction ");
			html_raw(b, json_is_true(applies) ? "applies" : "does not apply");
			html_raw(b, ".</p>");
		} else if (needed) {
			html_raw(b, "<p>This complaint came while it was in force: decide whether it "
				    "applies.</p>");
			if (may(req, req->case_org_id, decide))
				render_form(req, b, decide, rid,
					    case_path(req, c, arena_printf(req->arena,
						"restrictions/%lld/decision", (long long)rid)),
					    c, NULL, false);
		}
		html_raw(b, "</div>");
	}
	json_decref(list);
}

void staff_policy_person_link(http_request *req, html_buf *b, const fh_case *c,
			      const fh_person *p)
{
	if (!(authz_roles_in(req->who, req->case_org_id) & AUTHZ_BEHAVIOUR) || !p->id)
		return;
	html_raw(b, "<p><a href=\"/staff/orgs/");
	html_attr(b, c->org_code);
	html_rawf(b, "/people/%lld\">Behaviour record and subject access", (long long)p->id);
	html_raw(b, "<span class=\"visually-hidden\">: ");
	html_text(b, party_name(req, c, p->id));
	html_raw(b, "</span></a></p>");
}

static const char *pounds(http_request *req, int64_t pence)
{
	return arena_printf(req->arena, "£%lld.%02lld", (long long)(pence / 100),
			    (long long)(pence % 100));
}

static void section_remedies(http_request *req, html_buf *b, const fh_case *c)
{
	store_remedy *list;
	size_t n;
	fh_error err = {0};
	html_raw(b, "<h2 id=\"remedies\">Remedies</h2>");
	if (store_remedy_list(req->st, c->reference, req->arena, &list, &n, &err)) {
		html_raw(b, "<p>The remedies could not be read.</p>");
		return;
	}
	if (!n)
		html_raw(b, "<p>No remedies are recorded.</p>");
	else
		html_raw(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">No."
			    "</th><th scope=\"col\">Remedy</th><th scope=\"col\">Amount</th>"
			    "<th scope=\"col\">What</th><th scope=\"col\">Approved</th>"
			    "<th scope=\"col\">Delivered</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const store_remedy *r = &list[i];
		html_rawf(b, "<tr><td>%lld</td><td>", (long long)r->id);
		html_text(b, staff_words(req, r->type));
		if (*r->category) {
			html_raw(b, ": ");
			html_text(b, staff_lower(req, r->category));
		}
		html_raw(b, "</td><td>");
		if (r->amount_pence)
			html_text(b, pounds(req, r->amount_pence));
		html_raw(b, "</td><td>");
		html_text(b, r->description);
		html_raw(b, "</td><td>");
		if (*r->approved_on) {
			html_text(b, staff_date(req, r->approved_on));
			html_raw(b, ", ");
			html_text(b, r->approved_by);
		}
		html_raw(b, "</td><td>");
		if (*r->delivered_on) {
			html_text(b, staff_date(req, r->delivered_on));
			html_raw(b, ", ");
			html_text(b, r->delivered_by);
		}
		html_raw(b, "</td></tr>");
	}
	if (n)
		html_raw(b, "</tbody></table></div>");
	for (size_t i = 0; i < n; i++) {
		const store_remedy *r = &list[i];
		const pf_form *f = form_named(!*r->approved_on ? "approve" : "deliver");
		if (*r->delivered_on || !may(req, req->case_org_id, f))
			continue;
		folded_form(req, b, f, r->id,
			    arena_printf(req->arena, "%s remedy %lld", f->title, (long long)r->id),
			    case_path(req, c, arena_printf(req->arena, "remedies/%lld/%s",
							   (long long)r->id,
							   !*r->approved_on ? "approve" : "deliver")),
			    c);
	}
	if (may(req, req->case_org_id, form_named("remedy")))
		folded_form(req, b, form_named("remedy"), 0, NULL, case_path(req, c, "remedies"), c);
}

static void section_joint(http_request *req, html_buf *b, const fh_case *c)
{
	json_t *out = NULL;
	fh_error err = {0};
	html_raw(b, "<h2 id=\"joint\">Teams and other organisations</h2>");
	if (store_joint_get(req->st, c->reference, &out, &err)) {
		html_raw(b, "<p>This could not be read.</p>");
		return;
	}
	json_t *contributions = json_object_get(out, "contributions");
	html_raw(b, "<h3>Contributions from teams (001 §13)</h3>");
	json_table(req, b, contributions, "No team has been asked to contribute.", c);
	const pf_form *received = form_named("received");
	size_t i;
	json_t *o;
	json_array_foreach(contributions, i, o) {
		int64_t id = json_integer_value(json_object_get(o, "id"));
		if (!json_is_null(json_object_get(o, "received_on")) || !may(req, req->case_org_id, received))
			continue;
		folded_form(req, b, received, id,
			    arena_printf(req->arena, "Contribution %lld received", (long long)id),
			    case_path(req, c, arena_printf(req->arena, "contributions/%lld/received",
							   (long long)id)), c);
	}
	if (may(req, req->case_org_id, form_named("contribution")))
		folded_form(req, b, form_named("contribution"), 0, NULL,
			    case_path(req, c, "contributions"), c);
	html_raw(b, "<h3>Other organisations (001 §12)</h3>");
	json_table(req, b, json_object_get(out, "liaisons"), "No liaison is recorded.", c);
	if (may(req, req->case_org_id, form_named("liaison")))
		folded_form(req, b, form_named("liaison"), 0, NULL, case_path(req, c, "liaisons"), c);
	json_decref(out);
}

static void section_advocacy(http_request *req, html_buf *b, const fh_case *c)
{
	json_t *out = NULL, *consents = NULL;
	fh_error err = {0};
	html_raw(b, "<h2 id=\"advocacy\">Advocacy, access and consent</h2>");
	if (store_advocacy_get(req->st, c->reference, &out, &err) ||
	    store_consent_list(req->st, c->reference, &consents, &err)) {
		json_decref(out);
		html_raw(b, "<p>This could not be read.</p>");
		return;
	}
	html_raw(b, "<h3>Advocacy</h3>");
	json_table(req, b, json_object_get(out, "advocacy"), "No advocacy is recorded.", c);
	if (may(req, req->case_org_id, form_named("advocacy")))
		folded_form(req, b, form_named("advocacy"), 0, NULL, case_path(req, c, "advocacy"), c);
	html_raw(b, "<h3>Access needs</h3>");
	json_table(req, b, json_object_get(out, "access_needs"), "No access needs are recorded.", c);
	if (may(req, req->case_org_id, form_named("access")))
		folded_form(req, b, form_named("access"), 0, NULL, case_path(req, c, "access-needs"),
			    c);
	html_raw(b, "<h3>Consent to share</h3>");
	json_table(req, b, consents, "No consent is recorded.", c);
	if (may(req, req->case_org_id, form_named("consent")))
		folded_form(req, b, form_named("consent"), 0, NULL, case_path(req, c, "consents"), c);
	json_decref(out);
	json_decref(consents);
}

static void section_freezing(http_request *req, html_buf *b, const fh_case *c)
{
	json_t *list = NULL;
	fh_error err = {0};
	html_raw(b, "<h2 id=\"freezing\">Freezing decisions</h2>");
	if (store_freeze_list(req->st, c->reference, &list, &err)) {
		html_raw(b, "<p>This could not be read.</p>");
		return;
	}
	if (!json_array_size(list))
		html_raw(b, "<p>No request to freeze a decision.</p>");
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		int64_t id = json_integer_value(json_object_get(o, "id"));
		/* what was recorded, step by step (a table would be 21 columns wide) */
		html_rawf(b, "<h3>Request %lld</h3><dl class=\"summary\">", (long long)id);
		const char *key;
		json_t *v;
		json_object_foreach(o, key, v) {
			if (strcmp(key, "id") == 0 || json_is_null(v) ||
			    (json_is_string(v) && !*json_string_value(v)))
				continue;
			html_raw(b, "<div class=\"summary-row\"><dt class=\"summary-key\">");
			html_text(b, staff_words(req, key));
			html_raw(b, "</dt><dd class=\"summary-value\">");
			value_text(req, b, v);
			html_raw(b, "</dd></div>");
		}
		html_raw(b, "</dl>");
		static const char *const steps[][2] = {{"view", "view"},
						       {"decide", "decision"},
						       {"freezereview", "review"}};
		for (size_t k = 0; k < 3; k++) {
			const pf_form *f = form_named(steps[k][0]);
			if (!may(req, req->case_org_id, f))
				continue;
			folded_form(req, b, f, id,
				    arena_printf(req->arena, "%s: request %lld", f->title,
						 (long long)id),
				    case_path(req, c, arena_printf(req->arena, "freezing/%lld/%s",
								   (long long)id, steps[k][1])),
				    c);
		}
	}
	if (may(req, req->case_org_id, form_named("freeze")))
		folded_form(req, b, form_named("freeze"), 0, NULL, case_path(req, c, "freezing"), c);
	json_decref(list);
}

void staff_policy_sections(http_request *req, html_buf *b, const fh_case *c)
{
	section_remedies(req, b, c);
	section_joint(req, b, c);
	section_advocacy(req, b, c);
	section_freezing(req, b, c);
}

/* ---- a form posted ---------------------------------------------------------------- */

/* Pounds and pence as typed ("150", "150.5", "£1,150.00") in whole pence. */
static bool parse_pence(const char *s, int64_t *out)
{
	int64_t pounds = 0, pence = 0;
	int digits = 0, decimals = -1;
	if (*s == '-')
		return false;
	if (strncmp(s, "£", strlen("£")) == 0)
		s += strlen("£");
	for (; *s; s++) {
		if (*s == ',' && decimals < 0)
			continue;
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals >= 2 || pounds > 100000000)
			return false;
		if (decimals < 0)
			pounds = pounds * 10 + (*s - '0');
		else
			pence = pence * 10 + (*s - '0'), decimals++;
		digits++;
	}
	if (!digits)
		return false;
	if (decimals == 1)
		pence *= 10;
	*out = pounds * 100 + pence;
	return true;
}

static const char *trimmed(http_request *req, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	return arena_strndup(req->arena, s, n);
}

/* The form as the API's JSON body; false with errors when a value cannot be one. */
static json_t *body_of(http_request *req, const pf_form *f, const char *pre, web_errors *errors)
{
	json_t *body = json_object();
	for (size_t i = 0; i < n_fields(f); i++) {
		const pf_field *fd = &f->fields[i];
		const char *name = field_name(req, pre, fd);
		const char *value = web_form(req, name);
		value = trimmed(req, value ? value : "");
		if (fd->kind == PF_TICK) {
			json_object_set_new(body, fd->name, json_boolean(strcmp(value, "true") == 0));
			continue;
		}
		if (!*value)
			continue;
		if (fd->kind == PF_YESNO) {
			json_object_set_new(body, fd->name, json_boolean(strcmp(value, "true") == 0));
		} else if (fd->kind == PF_INT || fd->kind == PF_PERSON) {
			char *end;
			errno = 0;
			long long v = strtoll(value, &end, 10);
			if (*end || errno || v < 0)
				web_errors_add(errors, name, arena_printf(req->arena,
					       "%s must be a whole number", fd->label));
			else
				json_object_set_new(body, fd->name, json_integer(v));
		} else if (fd->kind == PF_PENCE) {
			int64_t pence;
			if (!parse_pence(value, &pence))
				web_errors_add(errors, name, arena_printf(req->arena,
					       "%s must be an amount in pounds, such as 150.00",
					       fd->label));
			else
				json_object_set_new(body, fd->name, json_integer(pence));
		} else {
			json_object_set_new(body, fd->name, json_string(value));
		}
	}
	return body;
}

/* The API's refusal ({"error": {"message", "field"}}) as the form's error. */
static void refusal(http_request *req, const pf_form *f, const char *pre, web_errors *errors)
{
	json_t *e = json_object_get(req->out, "error");
	const char *field = json_string_value(json_object_get(e, "field"));
	const char *message = json_string_value(json_object_get(e, "message"));
	const char *target = NULL;
	for (size_t i = 0; field && i < n_fields(f); i++)
		if (strcmp(f->fields[i].name, field) == 0)
			target = field_name(req, pre, &f->fields[i]);
	if (!message)
		message = "this could not be recorded";
	if (target && strncmp(message, "is ", 3) == 0) {
		/* "is required" reads as a sentence about the field */
		for (size_t i = 0; i < n_fields(f); i++)
			if (strcmp(f->fields[i].name, field) == 0)
				message = arena_printf(req->arena, "%s %s", f->fields[i].label, message);
	} else if (!target && field) {
		message = arena_printf(req->arena, "%s: %s", staff_words(req, field), message);
	}
	char *text = arena_strdup(req->arena, message);
	if (text[0] >= 'a' && text[0] <= 'z')
		text[0] = (char)(text[0] - 'a' + 'A');
	web_errors_add(errors, target ? target : field_name(req, pre, &f->fields[0]), text);
}

/* The form's own page: after a refusal, with the summary and the fields as typed. */
static void form_page(http_request *req, const pf_form *f, int64_t item, const fh_case *c,
		      const char *caption, const char *back, int status, const web_errors *errors)
{
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, arena_printf(req->arena, "Error: %s", f->title), NULL);
	html_raw(&b, "<a class=\"back-link\" href=\"");
	html_attr(&b, back);
	html_raw(&b, f->place == ON_CASE_PAGE ? "\">Back to the case</a>" : "\">Back to the person</a>");
	web_error_summary(&b, errors);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, caption);
	html_raw(&b, "</span><h1>");
	html_text(&b, f->title);
	html_raw(&b, "</h1>");
	if (f->intro) {
		html_raw(&b, "<p>");
		html_text(&b, f->intro);
		html_raw(&b, "</p>");
	}
	render_form(req, &b, f, item, req->path, c, errors, true);
	web_page_end(req, &b);
	web_html(req, status, &b);
}

static int64_t path_item(const http_request *req, const pf_form *f)
{
	return f->item ? strtoll(req->params[1], NULL, 10) : 0;
}

/*
 * Runs the API's handler for form key with the form as its body; answers
 * with a redirect to done_path, or the form's page with the refusal.
 */
static void post(http_request *req, const char *key)
{
	const pf_form *f = form_named(key);
	int64_t item = path_item(req, f);
	const char *pre = prefix(req, f, item);
	web_errors errors = {0};
	json_t *body = body_of(req, f, pre, &errors);
	fh_case c = {0};
	fh_error err = {0};
	const char *back, *caption;
	int status = 422;
	if (!errors.n) {
		json_decref(req->json);
		req->json = body; /* the server frees it with the request */
		body = NULL;
		f->api(req);
		status = req->status;
		if (status >= 200 && status < 400) {
			const char *to;
			if (f->place == ON_CASE_PAGE) {
				to = arena_printf(req->arena, "/staff/cases/%s?done=%s",
						  web_url_encode(req, req->params[0]), f->key);
			} else {
				int64_t person = strtoll(req->params[1], NULL, 10);
				if (f->item && store_restriction_person(req->st, req->params[0], item,
									&person, &err)) {
					http_fail(req, &err);
					return;
				}
				to = arena_printf(req->arena, "/staff/orgs/%s/people/%lld?done=%s",
						  web_url_encode(req, req->params[0]),
						  (long long)person, f->key);
			}
			req->location = NULL;
			web_redirect(req, to);
			return;
		}
		if (status != 400 && status != 403 && status != 409 && status != 422)
			return; /* 404 and 5xx: the layer's failure page */
		refusal(req, f, pre, &errors);
		json_decref(req->out);
		req->out = NULL;
	}
	json_decref(body);
	if (f->place == ON_CASE_PAGE) {
		if (store_case_get(req->st, req->params[0], req->arena, &c, &err)) {
			http_fail(req, &err);
			return;
		}
		caption = arena_printf(req->arena, "%s: %s", c.reference, c.summary);
		back = arena_printf(req->arena, "/staff/cases/%s", web_url_encode(req, c.reference));
	} else {
		int64_t person = strtoll(req->params[1], NULL, 10);
		if (f->item && store_restriction_person(req->st, req->params[0], item, &person, &err)) {
			http_fail(req, &err);
			return;
		}
		caption = arena_printf(req->arena, "Person %lld: behaviour record", (long long)person);
		back = arena_printf(req->arena, "/staff/orgs/%s/people/%lld",
				    web_url_encode(req, req->params[0]), (long long)person);
	}
	form_page(req, f, item, f->place == ON_CASE_PAGE ? &c : NULL, caption, back, status,
		  &errors);
}

void staff_remedy_add(http_request *req) { post(req, "remedy"); }
void staff_remedy_approve(http_request *req) { post(req, "approve"); }
void staff_remedy_deliver(http_request *req) { post(req, "deliver"); }
void staff_contribution_request(http_request *req) { post(req, "contribution"); }
void staff_contribution_received(http_request *req) { post(req, "received"); }
void staff_liaison_add(http_request *req) { post(req, "liaison"); }
void staff_advocacy_step(http_request *req) { post(req, "advocacy"); }
void staff_access_need_add(http_request *req) { post(req, "access"); }
void staff_consent_add(http_request *req) { post(req, "consent"); }
void staff_freeze_request(http_request *req) { post(req, "freeze"); }
void staff_freeze_view(http_request *req) { post(req, "view"); }
void staff_freeze_decide(http_request *req) { post(req, "decide"); }
void staff_freeze_review(http_request *req) { post(req, "freezereview"); }
void staff_restriction_decide(http_request *req) { post(req, "applies"); }
void staff_behaviour_warn(http_request *req) { post(req, "warning"); }
void staff_behaviour_restrict(http_request *req) { post(req, "restriction"); }
void staff_behaviour_review(http_request *req) { post(req, "review"); }
void staff_behaviour_appeal(http_request *req) { post(req, "appeal"); }
void staff_behaviour_answer(http_request *req) { post(req, "answer"); }

/* ---- the person page (001 §19, Appendix A; DOMAIN §8) ----------------------------- */

static const char *person_path(http_request *req, int64_t person, const char *rest)
{
	return arena_printf(req->arena, "/staff/orgs/%s/people/%lld%s",
			    web_url_encode(req, req->params[0]), (long long)person, rest);
}

static const char *restriction_path(http_request *req, int64_t rid, const char *rest)
{
	return arena_printf(req->arena, "/staff/orgs/%s/restrictions/%lld/%s",
			    web_url_encode(req, req->params[0]), (long long)rid, rest);
}

/*
 * GET /staff/orgs/{org}/people/{id}: the person's behaviour record, the
 * forms for each step, and their subject access export.  The record is
 * personal data: the look is logged as the API's is.
 */
void staff_person(http_request *req)
{
	char *end;
	long long person = strtoll(req->params[1], &end, 10);
	if (!*req->params[1] || *end || person < 1) {
		http_error(req, 404, "not_found", "id", "no such person");
		return;
	}
	json_t *rec = NULL;
	fh_error err = {0};
	if (store_behaviour_person(req->st, req->params[0], person, &rec, &err)) {
		http_fail(req, &err);
		return;
	}
	if (!server_log_read(req, 0, "case",
			     arena_printf(req->arena, "person %lld behaviour (staff page)", person))) {
		json_decref(rec);
		return;
	}
	const char *name = NULL;
	if (store_person_name(req->st, req->params[0], person, req->arena, &name, &err)) {
		json_decref(rec);
		http_fail(req, &err);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	const char *title = name && *name ? name : arena_printf(req->arena, "Person %lld", person);
	staff_page_begin(req, &b, title, NULL);
	const pf_form *done = form_by_key(http_query(req, "done"));
	if (done) {
		html_raw(&b, "<div class=\"notice\" role=\"status\"><p><strong>Done: ");
		html_text(&b, done->title);
		html_raw(&b, ".</strong></p></div>");
	}
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, req->params[0]);
	html_raw(&b, "</span><h1>");
	html_text(&b, title);
	html_raw(&b, "</h1><p class=\"lead\">Unreasonably persistent or unacceptable behaviour is "
		     "recorded on the person, not the case (001 §19, Appendix A).</p>");

	html_raw(&b, "<h2 id=\"deadlines\">Due</h2>");
	json_table(req, &b, json_object_get(rec, "deadlines"), "No review or appeal answer is due.",
		   NULL);

	html_raw(&b, "<h2 id=\"warnings\">Warnings</h2>");
	json_table(req, &b, json_object_get(rec, "warnings"), "No warning is recorded.", NULL);
	folded_form(req, &b, form_named("warning"), 0, NULL, person_path(req, person, "/warnings"),
		    NULL);

	html_raw(&b, "<h2 id=\"restrictions\">Restrictions</h2>");
	json_t *restrictions = json_object_get(rec, "restrictions");
	json_table(req, &b, restrictions, "No restriction is recorded.", NULL);
	size_t i;
	json_t *r;
	json_array_foreach(restrictions, i, r) {
		int64_t rid = json_integer_value(json_object_get(r, "id"));
		html_rawf(&b, "<h3>Restriction %lld: ", (long long)rid);
		html_text(&b, staff_lower(req, json_string_value(json_object_get(r, "kind"))));
		html_raw(&b, "</h3><h4>Reviews</h4>");
		json_table(req, &b, json_object_get(r, "reviews"), "No review is due.", NULL);
		html_raw(&b, "<h4>Appeal</h4>");
		json_t *appeal = json_object_get(r, "appeal");
		if (json_is_object(appeal)) {
			json_t *one = json_pack("[O]", appeal);
			json_table(req, &b, one, "", NULL);
			json_decref(one);
		} else {
			html_raw(&b, "<p>No appeal.</p>");
		}
		html_raw(&b, "<h4>Decisions on new complaints</h4>");
		json_table(req, &b, json_object_get(r, "case_decisions"), "None.", NULL);
		if (!json_is_null(json_object_get(r, "lifted_on")))
			continue;
		folded_form(req, &b, form_named("review"), rid,
			    arena_printf(req->arena, "Review restriction %lld", (long long)rid),
			    restriction_path(req, rid, "reviews"), NULL);
		if (!json_is_object(appeal))
			folded_form(req, &b, form_named("appeal"), rid,
				    arena_printf(req->arena, "Record an appeal against restriction %lld",
						 (long long)rid),
				    restriction_path(req, rid, "appeal"), NULL);
		else if (json_is_null(json_object_get(appeal, "answered_on")) &&
			 may(req, req->org_id, form_named("answer")))
			folded_form(req, &b, form_named("answer"), rid,
				    arena_printf(req->arena, "Answer the appeal against restriction %lld",
						 (long long)rid),
				    restriction_path(req, rid, "appeal/answer"), NULL);
	}
	folded_form(req, &b, form_named("restriction"), 0, NULL,
		    person_path(req, person, "/restrictions"), NULL);

	if (authz_roles_in(req->who, req->org_id) & AUTHZ_DATA_RIGHTS) {
		html_raw(&b, "<h2 id=\"subject-access\">Subject access</h2><p>Everything held about "
			     "this person, with what is withheld and why (DOMAIN §8). Each download "
			     "is written to the access log.</p><ul><li><a href=\"/api/v1/orgs/");
		html_attr(&b, req->params[0]);
		html_rawf(&b, "/people/%lld/export\">Download as JSON</a></li><li><a href=\"/staff/orgs/",
			  person);
		html_attr(&b, req->params[0]);
		html_rawf(&b, "/people/%lld/export.pdf\">Download as PDF</a></li></ul>", person);
	}
	json_decref(rec);
	web_page_end(req, &b);
	web_html(req, 200, &b);
}

/*
 * GET /staff/orgs/{org}/behaviour: every behaviour deadline of the
 * organisation, soonest first, as GET /api/v1/orgs/{org}/behaviour-deadlines
 * gives them to the same roles: restriction reviews due (001 Appendix A
 * "Review"), appeals to answer within ten working days (Level 3), and when
 * each restriction in force ends; the overdue marked, each linked to the
 * person's record, whose page lists their cases.
 */
void staff_behaviour_deadlines(http_request *req)
{
	json_t *list = NULL;
	fh_error err = {0};
	if (store_behaviour_deadlines(req->st, req->params[0], req->today, &list, &err)) {
		http_fail(req, &err);
		return;
	}
	if (!server_log_read(req, 0, "case", "behaviour deadlines (staff page)")) {
		json_decref(list);
		return;
	}
	const char *self = arena_printf(req->arena, "/staff/orgs/%s/behaviour", req->params[0]);
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, "Behaviour deadlines", self);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, req->params[0]);
	html_raw(&b, "</span><h1>Behaviour deadlines</h1><p class=\"lead\">Reviews of "
		     "restrictions, appeals to answer and the ends of restrictions in force, "
		     "across the organisation, soonest first (001 §19, Appendix A).</p>");
	size_t overdue = 0, i;
	json_t *d;
	json_array_foreach(list, i, d)
		overdue += json_is_true(json_object_get(d, "overdue"));
	if (!json_array_size(list)) {
		html_raw(&b, "<p>No review, appeal or restriction end is due.</p>");
	} else {
		html_rawf(&b, "<p>%zu due, %zu overdue.</p>", json_array_size(list), overdue);
		html_raw(&b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Due"
			     "</th><th scope=\"col\">What</th><th scope=\"col\">Person</th>"
			     "<th scope=\"col\">Restriction</th></tr></thead><tbody>");
		json_array_foreach(list, i, d) {
			static const char *const whats[][2] = {
				{"review", "Review the restriction (Appendix A)"},
				{"appeal_answer", "Answer the appeal (Appendix A Level 3)"},
				{"restriction_end", "The restriction ends"}};
			const char *what = json_string_value(json_object_get(d, "what"));
			const char *words = what;
			for (size_t k = 0; k < sizeof whats / sizeof *whats; k++)
				if (what && strcmp(what, whats[k][0]) == 0)
					words = whats[k][1];
			json_int_t person = json_integer_value(json_object_get(d, "person"));
			const char *name = NULL;
			if (store_person_name(req->st, req->params[0], person, req->arena, &name,
					      &err))
				name = NULL;
			html_raw(&b, "<tr><td>");
			html_text(&b, staff_date(req, json_string_value(json_object_get(d, "due_on"))));
			if (json_is_true(json_object_get(d, "overdue")))
				html_raw(&b, " <strong class=\"tag tag-red\">Overdue</strong>");
			html_raw(&b, "</td><td>");
			html_text(&b, words ? words : "");
			html_raw(&b, "</td><td><a href=\"");
			html_attr(&b, arena_printf(req->arena, "/staff/orgs/%s/people/%lld",
						   req->params[0], (long long)person));
			html_raw(&b, "\">");
			html_text(&b, name && *name ? name
					: arena_printf(req->arena, "Person %lld", (long long)person));
			html_raw(&b, "</a></td><td>");
			html_text(&b, staff_words(req, json_string_value(json_object_get(d, "kind"))));
			html_raw(&b, "</td></tr>");
		}
		html_raw(&b, "</tbody></table></div>");
	}
	json_decref(list);
	web_page_end(req, &b);
	web_html(req, 200, &b);
}

/*
 * GET /staff/orgs/{org}/people/{id}/export.pdf: the subject access export
 * (the API's JSON, store_subject_export) typeset by the letters' PDF writer.
 * Logged as the biggest read there is, before it is sent.
 */
void staff_person_export_pdf(http_request *req)
{
	char *end;
	long long person = strtoll(req->params[1], &end, 10);
	if (!*req->params[1] || *end || person < 1) {
		http_error(req, 404, "not_found", "id", "no such person");
		return;
	}
	json_t *out = NULL;
	fh_error err = {0};
	if (store_subject_export(req->st, req->params[0], person, req->today, &out, &err)) {
		http_fail(req, &err);
		return;
	}
	if (!server_log_read(req, 0, "case",
			     arena_printf(req->arena, "person %lld subject access export (PDF)",
					  person))) {
		json_decref(out);
		return;
	}
	char today[DATE_ISO_LEN];
	date_format(req->today, today);
	/* the letterhead: the organisation's name, as on its letters */
	fh_org o = {0};
	const char *org = store_org_get(req->st, req->params[0], req->arena, &o, &err) == FH_OK
				  ? o.name : json_string_value(json_object_get(out, "organisation"));
	const char *reference = arena_printf(req->arena, "Subject access %s-%lld", req->params[0],
					     person);
	json_t *models = subject_access_models(out, org ? org : req->params[0], reference, today);
	api_answer_pdf(req, models, reference, org ? org : req->params[0]);
	json_decref(out); /* after the last use of org, which it holds */
	if (req->status == 200)
		req->content_disposition = arena_printf(
			req->arena, "attachment; filename=\"subject-access-%s-%lld.pdf\"",
			req->params[0], person);
}

/* ---- a redacted copy of a document (DOMAIN §8) ------------------------------------- */

static const web_option REDACTED_FOR[] = {
	{"customer", "Customer", "To share with the customer"},
	{"staff", "Staff", "Only staff who may see the case"}};

static void redact_fields(http_request *req, html_buf *b, int64_t id, const web_errors *errors,
			  bool posted)
{
	const char *file = arena_printf(req->arena, "redact%lld-file", (long long)id);
	const char *removed = arena_printf(req->arena, "redact%lld-removed", (long long)id);
	const char *vis = arena_printf(req->arena, "redact%lld-visibility", (long long)id);
	web_file_input(b, &(web_field){.name = file, .label = "The redacted copy",
				       .hint = "A PDF, PNG, JPEG, plain text or Word document, up to 5 MB",
				       .accept = ".pdf,.png,.jpg,.jpeg,.txt,.docx",
				       .error = web_errors_for(errors, file)});
	web_textarea(b, &(web_field){.name = removed, .label = "What was taken out, and why",
				     .rows = 3, .error = web_errors_for(errors, removed),
				     .value = posted ? web_form(req, removed) : NULL});
	web_radios(b, &(web_field){.name = vis, .label = "Who may see the copy",
				   .options = REDACTED_FOR, .n_options = 2,
				   .value = posted && web_form(req, vis) ? web_form(req, vis) : "customer",
				   .error = web_errors_for(errors, vis)});
}

static void redact_form(http_request *req, html_buf *b, const char *reference, int64_t id,
			const web_errors *errors, bool posted)
{
	html_raw(b, "<form method=\"post\" enctype=\"multipart/form-data\" novalidate action=\"");
	html_attr(b, arena_printf(req->arena, "/staff/cases/%s/documents/%lld/redactions",
				  web_url_encode(req, reference), (long long)id));
	html_raw(b, "\">");
	web_csrf_field(req, b);
	redact_fields(req, b, id, errors, posted);
	html_raw(b, "<button type=\"submit\" class=\"button button-secondary\">Add the redacted "
		    "copy</button></form>");
}

void staff_policy_redactions(http_request *req, html_buf *b, const char *reference,
			     const store_document *docs, size_t n)
{
	if (!(authz_roles_in(req->who, req->case_org_id) & AUTHZ_REDACT))
		return;
	for (size_t i = 0; i < n; i++) {
		html_raw(b, "<details class=\"filters\"><summary>Make a redacted copy of ");
		html_text(b, docs[i].filename);
		html_raw(b, "</summary><p class=\"hint\">The original is kept unchanged; the copy "
			    "is a new document, for sharing (DOMAIN §8).</p>");
		redact_form(req, b, reference, docs[i].id, NULL, false);
		html_raw(b, "</details>");
	}
}

/*
 * POST /staff/cases/{ref}/documents/{id}/redactions: the copy, checked as
 * every upload is (store_document_check), kept beside the original with its
 * audit events (store_document_redact), as the API's route does.
 */
void staff_document_redact(http_request *req)
{
	char *end;
	long long id = strtoll(req->params[1], &end, 10);
	if (!*req->params[1] || *end || id < 1) {
		http_error(req, 404, "not_found", "id", "no such document");
		return;
	}
	const char *file = arena_printf(req->arena, "redact%lld-file", id);
	const char *removed_f = arena_printf(req->arena, "redact%lld-removed", id);
	const char *vis_f = arena_printf(req->arena, "redact%lld-visibility", id);
	size_t n = 0;
	const web_upload *files = web_files(req, file, &n);
	const char *removed = web_form(req, removed_f);
	const char *visibility = web_form(req, vis_f);
	if (!visibility || !*visibility)
		visibility = "customer";
	web_errors errors = {0};
	fh_error err = {0};
	if (n != 1)
		web_errors_add(&errors, file, "Choose the redacted copy to add");
	else if (store_document_check(files[0].filename, files[0].content_type, visibility,
				      files[0].data, files[0].size, &err))
		web_errors_add(&errors, strcmp(err.field, "visibility") == 0 ? vis_f : file,
			       strcmp(err.field, "content_type") == 0
				       ? "The file must be a PDF, PNG, JPEG, plain text or Word document"
				       : arena_printf(req->arena, "The file %s", err.message));
	if (!removed || !*trimmed(req, removed))
		web_errors_add(&errors, removed_f, "Say what was taken out of the copy, and why "
			       "(DOMAIN §8)");
	int status = 422;
	if (!errors.n) {
		bool confidential = (authz_roles_in(req->who, req->case_org_id) &
				     (AUTHZ_COMPLAINTS_TEAM | AUTHZ_ADJUDICATING_OFFICER)) != 0;
		store_document d;
		fh_status s = store_document_redact(req->st, req->params[0], id, confidential,
						    files[0].filename, files[0].content_type,
						    visibility, files[0].data, files[0].size,
						    trimmed(req, removed), req->who->user.email,
						    req->arena, &d, &err);
		if (!s) {
			web_redirect(req, arena_printf(req->arena, "/staff/cases/%s?done=redaction#documents",
						       web_url_encode(req, req->params[0])));
			return;
		}
		if (s != FH_EINVAL && s != FH_ERULE && s != FH_ECONFLICT) {
			http_fail(req, &err);
			return;
		}
		web_errors_add(&errors, removed_f, err.source[0]
				       ? arena_printf(req->arena, "%s (%s)", err.message, err.source)
				       : err.message);
	}
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, "Error: Make a redacted copy", NULL);
	html_raw(&b, "<a class=\"back-link\" href=\"");
	html_attr(&b, arena_printf(req->arena, "/staff/cases/%s#documents",
				   web_url_encode(req, req->params[0])));
	html_raw(&b, "\">Back to the case</a>");
	web_error_summary(&b, &errors);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, req->params[0]);
	html_raw(&b, "</span><h1>Make a redacted copy</h1><p>The original is kept unchanged; the "
		     "copy is a new document, for sharing (DOMAIN §8).</p>");
	redact_form(req, &b, req->params[0], id, &errors, true);
	web_page_end(req, &b);
	web_html(req, status, &b);
}

/* ---- retention (DOMAIN §8): the next run, and applying it ------------------------- */

/* The table of cases a retention run lists (due, or just anonymised). */
static void retention_table(http_request *req, html_buf *b, const store_retention_result *r)
{
	html_raw(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Case"
		    "</th><th scope=\"col\">Closed on</th><th scope=\"col\">Kept for"
		    "</th></tr></thead><tbody>");
	for (size_t i = 0; i < r->n_cases; i++) {
		html_raw(b, "<tr><td>");
		html_text(b, r->cases[i].reference);
		html_raw(b, "</td><td>");
		html_text(b, staff_date(req, r->cases[i].closed_on));
		html_rawf(b, "</td><td>%d years after closure</td></tr>", r->cases[i].years);
	}
	html_raw(b, "</tbody></table></div>");
}

/*
 * The retention page: with done NULL, the organisation's closed cases due
 * for anonymising today under its rule, exactly as `fairhearing retention
 * --dry-run` lists them (store_retention_run without apply: nothing is
 * changed), and the form that applies the run; with done, what the run
 * just applied anonymised.
 */
static void retention_page(http_request *req, int status, const web_errors *errors,
			   const store_retention_result *done)
{
	store_retention_result due;
	fh_error err = {0};
	if (!done && store_retention_run(req->st, req->params[0], req->today, false,
					 req->who->user.email, req->arena, &due, &err)) {
		http_fail(req, &err);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, arena_printf(req->arena, "%sRetention: %s",
					       errors && errors->n ? "Error: " : "",
					       req->params[0]), "/staff/admin");
	html_raw(&b, "<a class=\"back-link\" href=\"/staff/admin\">Administration</a>");
	if (errors)
		web_error_summary(&b, errors);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, req->params[0]);
	html_raw(&b, "</span><h1>Retention</h1>");
	if (done) {
		html_rawf(&b, "<div class=\"notice\" role=\"status\"><p><strong>Done: anonymised "
			      "%zu cases, %zu people and %zu documents</strong>; erased the content "
			      "of %zu events and the words of %zu searches (%zu events from before "
			      "erasure existed kept). Recorded in the history as run by ",
			  done->n_cases, done->n_people, done->n_documents, done->n_events_erased,
			  done->n_searches_erased, done->n_events_kept);
		html_text(&b, req->who->user.email);
		html_raw(&b, ".</p></div>");
		if (done->n_cases)
			retention_table(req, &b, done);
		web_page_end(req, &b);
		web_html(req, status, &b);
		return;
	}
	html_raw(&b, "<p>Closed cases kept longer than the organisation's rule are anonymised, "
		     "with every person on them who is on no case still kept, and the reasons "
		     "and data of their events (DOMAIN §8). These are the cases the next run "
		     "would anonymise today.</p>");
	if (!due.n_cases) {
		html_raw(&b, "<p>No case is due for anonymising.</p>");
	} else {
		retention_table(req, &b, &due);
		html_raw(&b, "<h2>Apply the run</h2><form method=\"post\" action=\"");
		html_attr(&b, arena_printf(req->arena, "/staff/admin/%s/retention/apply",
					   req->params[0]));
		html_raw(&b, "\" novalidate>");
		web_csrf_field(req, &b);
		static const web_option yes[] = {{"yes", "I confirm: anonymise these cases now. "
						  "This cannot be undone.", NULL}};
		web_checkboxes(&b, &(web_field){.name = "confirm", .label = "Confirm",
						.error = errors ? web_errors_for(errors, "confirm")
								: NULL,
						.options = yes, .n_options = 1});
		html_raw(&b, "<button type=\"submit\" class=\"button\">Anonymise "
			     "the cases due</button></form>");
	}
	html_raw(&b, "<p>The rule is set on the command line: <code>fairhearing retention "
		     "--db PATH --org ");
	html_text(&b, req->params[0]);
	html_raw(&b, " --set-years 6</code>; the same run is <code>fairhearing retention "
		     "--db PATH --org ");
	html_text(&b, req->params[0]);
	html_raw(&b, " --apply</code>.</p>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

/* GET /staff/admin/{org}/retention */
void staff_admin_retention(http_request *req)
{
	retention_page(req, 200, NULL, NULL);
}

/*
 * POST /staff/admin/{org}/retention/apply: the administrator's confirmed
 * run, the same store function as `fairhearing retention --apply`, in the
 * writer's one transaction, its events naming the administrator.
 */
void staff_admin_retention_apply(http_request *req)
{
	const char *confirm = web_form(req, "confirm");
	if (!confirm || strcmp(confirm, "yes") != 0) {
		web_errors errors = {0};
		web_errors_add(&errors, "confirm", "Confirm that the cases due are to be anonymised "
				"now: it cannot be undone");
		retention_page(req, 422, &errors, NULL);
		return;
	}
	store_retention_result r;
	fh_error err = {0};
	if (store_retention_run(req->st, req->params[0], req->today, true, req->who->user.email,
				req->arena, &r, &err)) {
		http_fail(req, &err);
		return;
	}
	retention_page(req, 200, NULL, &r);
}
