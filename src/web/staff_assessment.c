/*
 * staff_assessment.c: the self-assessment against the Ombudsman's Complaint
 * Handling Code in the staff pages (issue 19 item 4; docs/reports.md "The
 * self-assessment"; the API's api_assessment.c).
 *
 *   GET  /staff/orgs/{org}/self-assessment/{year}                 the page
 *   POST /staff/orgs/{org}/self-assessment/{year}/requirements/{n} one answer
 *   POST /staff/orgs/{org}/self-assessment/{year}/start           from last year
 *
 * One page per organisation and reporting year: each requirement of the
 * year's template with the evidence the records give, the answer kept and,
 * for those who may answer (the route table's rule for the API's PUT), its
 * form, declared once in STAFF_ASSESSMENT_FORMS and posted through the
 * API's own handler, so the rules are the store's and core's alone.  A
 * year with no answers, after a year with some, offers to start from them:
 * they are copied in, each marked carried over until it is saved again.
 */
#include "web_staff.h"

#include <string.h>

#include "api.h"
#include "authz.h"
#include "staff_forms.h"
#include "store_assessment.h"
#include "web.h"

static const char *const COMPLIES[] = {"yes", "no", "partly", NULL};

static const char *page_path(http_request *req)
{
	return arena_printf(req->arena, "/staff/orgs/%s/self-assessment/%lld",
			    web_url_encode(req, req->params[0]), (long long)req->ids[1]);
}

static void assessment_page(http_request *req, int status, const web_errors *errors);

const pf_form STAFF_ASSESSMENT_FORMS[] = {
	{"assessment", "Save this answer",
	 "Whether the organisation complies, the evidence and commentary, and where it does not "
	 "fully comply the action it will take, who owns it and by when (issue 19 item 4; LGSCO "
	 "Code §8).", ON_ORG_PAGE, true, api_assessment_answer,
	 {{"complies", "Does the organisation comply?", NULL, PF_CHOICE, COMPLIES, false},
	  {"evidence", "Evidence", "What shows it, besides the figures from the records", PF_AREA,
	   NULL, true},
	  {"commentary", "Commentary", NULL, PF_AREA, NULL, true},
	  {"action", "Action", "Needed where the answer is no or partly: what will be done",
	   PF_AREA, NULL, true},
	  {"owner", "Action owner", "Who will see it done, by role: the self-assessment is "
	   "published", PF_TEXT, NULL, true},
	  {"due_on", "Target date", "YYYY-MM-DD", PF_DATE, NULL, true}},
	 false, NULL},
	{"assessment_start", "Start from last year's answers",
	 "Last year's answers are copied in as the starting point, each marked carried over until "
	 "it is saved again (issue 19 item 4).", ON_ORG_PAGE, false, api_assessment_start,
	 {{0}}, false, NULL},
	{0}};

const pf_org_page STAFF_ORG_PAGES[] = {
	{"assessment", page_path, assessment_page},
	{"assessment_start", page_path, assessment_page},
	{0}};

static const char *complies_text(const char *c)
{
	return !c ? "Not answered" : !strcmp(c, "yes") ? "Yes" : !strcmp(c, "no") ? "No"
										       : "Partly";
}

/* A requirement's state as a summary list: the answer, the evidence (the
 * records' first), commentary, the action, and who saved it. */
static void answer_summary(http_request *req, html_buf *b, const store_assessment *a,
			   const store_assessment_item *it)
{
	const assessment_answer *x = &it->answer;
	web_summary_begin(b);
	web_summary_row(b, "Complies",
			x->carried_over
				? arena_printf(req->arena, "%s (carried over from %s: not yet confirmed)",
					       complies_text(x->complies),
					       assessment_year_name(req->arena, a->year - 1))
				: complies_text(x->complies),
			NULL, NULL);
	if (it->computed)
		web_summary_row(b, "Evidence from the records", it->computed, NULL, NULL);
	const struct {
		const char *label, *value;
	} rows[] = {{"Evidence", x->evidence}, {"Commentary", x->commentary},
		    {"Action", x->action}, {"Action owner", x->owner}, {"Target date", x->due_on}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (rows[i].value && *rows[i].value)
			web_summary_row(b, rows[i].label, rows[i].value, NULL, NULL);
	if (x->complies && it->updated_by)
		web_summary_row(b, x->carried_over ? "Carried over by" : "Last saved by",
				arena_printf(req->arena, "%s, %s", it->updated_by, it->updated_at),
				NULL, NULL);
	web_summary_end(b);
}

static void requirement(http_request *req, html_buf *b, const store_assessment *a, size_t i,
			bool may, const web_errors *errors, int64_t posted_item)
{
	const store_assessment_item *it = &a->items[i];
	const assessment_answer *x = &it->answer;
	const char *anchor = arena_printf(req->arena, "assessment%zu", i + 1);
	html_raw(b, "<section class=\"requirement\" id=\"");
	html_attr(b, anchor);
	html_raw(b, "\"><h3>");
	html_text(b, it->req->cites);
	html_raw(b, "</h3><p>");
	html_text(b, it->req->text);
	html_raw(b, "</p>");
	if (x->carried_over)
		html_raw(b, "<p><strong class=\"tag tag-red\">Carried over: not yet "
			     "confirmed</strong></p>");
	answer_summary(req, b, a, it);
	if (!may) {
		html_raw(b, "</section>");
		return;
	}
	json_t *values = json_pack("{ss? ss? ss? ss? ss? ss?}", "complies", x->complies, "evidence",
				   x->evidence, "commentary", x->commentary, "action", x->action,
				   "owner", x->owner, "due_on", x->due_on);
	const pf_form *f = staff_form_named("assessment");
	bool posted = posted_item == (int64_t)(i + 1);
	/* folded, so the page reads as a list; open where the answer was refused */
	html_raw(b, posted ? "<details class=\"filters\" open><summary>" : "<details class=\"filters\">"
			     "<summary>");
	html_text(b, x->complies ? (x->carried_over ? "Confirm or change the answer"
						    : "Change the answer")
				 : "Answer");
	html_raw(b, "</summary>");
	staff_form_render_values(req, b, f, (int64_t)(i + 1),
				 arena_printf(req->arena, "%s/requirements/%zu", page_path(req), i + 1),
				 values, posted ? errors : NULL, posted);
	html_raw(b, "</details>");
	json_decref(values);
	html_raw(b, "</section>");
}

/* The page, with status; errors and the posted item's fields after a refusal. */
static void assessment_page(http_request *req, int status, const web_errors *errors)
{
	int64_t year = req->ids[1];
	if (year < 2000 || year > 2998) {
		http_error(req, 404, "not_found", "year", "there is no reporting year %s",
			   req->params[1]);
		return;
	}
	store_assessment a;
	fh_error err = {0};
	if (store_assessment_get(req->st, req->params[0], (int)year, req->arena, &a, &err)) {
		http_fail(req, &err);
		return;
	}
	const pf_form *answer_form = staff_form_named("assessment");
	const pf_form *start_form = staff_form_named("assessment_start");
	bool may = staff_form_may(req, req->org_id, answer_form);
	bool refused = errors && errors->n;
	int64_t posted_item = refused && strcmp(req->method, "POST") == 0 ? req->ids[2] : 0;
	html_buf b = HTML_BUF_INIT;
	const char *title = arena_printf(req->arena, "%sSelf-assessment against the Code, %s",
					 refused ? "Error: " : "", a.year_name);
	staff_page_begin(req, &b, title, "/staff/reports");
	html_raw(&b, "<a class=\"back-link\" href=\"/staff/reports\">Back to reports</a>");
	if (refused) {
		/* the summary names the requirement: the page has a form for each */
		web_errors named = *errors;
		int64_t n = posted_item ? posted_item : 0;
		for (size_t k = 0; n >= 1 && (size_t)n <= a.n && k < named.n; k++)
			named.items[k].message = arena_printf(req->arena, "%s: %s", a.items[n - 1].req->cites,
							     named.items[k].message);
		web_error_summary(&b, &named);
	}
	staff_form_done_notice(req, &b);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, a.org_name ? a.org_name : req->params[0]);
	html_raw(&b, "</span><h1>Self-assessment against the Code, ");
	html_text(&b, a.year_name);
	html_raw(&b, "</h1><p>");
	html_text(&b, a.tmpl->name);
	html_raw(&b, " (");
	html_text(&b, a.tmpl->source);
	html_raw(&b, "). The evidence from the records counts the complaints handled under the "
		     "Code from ");
	char from[DATE_ISO_LEN], to[DATE_ISO_LEN];
	html_text(&b, date_format(a.from, from));
	html_raw(&b, " to ");
	html_text(&b, date_format(a.to, to));
	html_raw(&b, ". It prints inside the annual report.</p>");
	html_raw(&b, "<p><strong>");
	html_text(&b, arena_printf(req->arena, "%zu of %zu requirements answered", a.answered,
				   a.n));
	html_raw(&b, "</strong>");
	if (a.carried_over)
		html_text(&b, arena_printf(req->arena, "; %zu carried over from %s and not yet "
					   "confirmed", a.carried_over,
					   assessment_year_name(req->arena, a.year - 1)));
	html_raw(&b, ".</p><p><a href=\"");
	html_attr(&b, arena_printf(req->arena, "/staff/orgs/%s/self-assessment/%lld",
				   web_url_encode(req, req->params[0]), (long long)year - 1));
	html_raw(&b, "\">");
	html_text(&b, assessment_year_name(req->arena, (int)year - 1));
	html_raw(&b, "</a> · <a href=\"");
	html_attr(&b, arena_printf(req->arena, "/staff/orgs/%s/self-assessment/%lld",
				   web_url_encode(req, req->params[0]), (long long)year + 1));
	html_raw(&b, "\">");
	html_text(&b, assessment_year_name(req->arena, (int)year + 1));
	html_raw(&b, "</a> · <a href=\"");
	html_attr(&b, arena_printf(req->arena, "/staff/reports?org=%s&kind=annual&period=dates"
				   "&from=%s&to=%s&format=pdf", web_url_encode(req, req->params[0]),
				   from, to));
	html_raw(&b, "\">The annual report with it (PDF)</a></p>");
	if (may && !a.answered && a.previous) {
		html_raw(&b, "<div class=\"panel\"><h2>Start from ");
		html_text(&b, assessment_year_name(req->arena, (int)year - 1));
		html_raw(&b, "</h2><p>");
		html_text(&b, start_form->intro);
		html_raw(&b, "</p>");
		staff_form_render_values(req, &b, start_form, 0,
					 arena_printf(req->arena, "%s/start", page_path(req)), NULL,
					 posted_item ? NULL : errors, false);
		html_raw(&b, "</div>");
	}
	const char *section = NULL;
	for (size_t i = 0; i < a.n; i++) {
		if (!section || strcmp(section, a.items[i].req->section)) {
			section = a.items[i].req->section;
			html_raw(&b, "<h2>");
			html_text(&b, section);
			html_raw(&b, "</h2>");
		}
		requirement(req, &b, &a, i, may, errors, posted_item);
	}
	store_assessment_release(&a);
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_assessment(http_request *req)
{
	assessment_page(req, 200, NULL);
}

void staff_assessment_answer(http_request *req)
{
	staff_form_post(req, "assessment");
}

void staff_assessment_start(http_request *req)
{
	staff_form_post(req, "assessment_start");
}
