/*
 * staff_behaviour.c: unreasonably persistent behaviour on the staff pages
 * (001 §19, Appendix A): the banner of a restricted person on a case with
 * the decision a new complaint from them needs ("New complaints"), the
 * link to their record, the organisation's behaviour deadlines, and the
 * forms (warn, restrict, review, appeal, answer) whose POSTs run
 * api_behaviour.c's handlers.  The person page is staff_person.c.
 */
#include "staff_forms.h"

#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "behaviour.h"
#include "date.h"
#include "server.h"
#include "store_behaviour.h"
#include "web.h"

const pf_form STAFF_BEHAVIOUR_FORMS[] = {
	{"applies", "Decide whether the restriction applies",
	 "A new complaint from a restricted person is judged on its merits: decide, never "
	 "assume (001 Appendix A \"New complaints\").", ON_CASE_PAGE, true,
	 api_case_restriction_decide,
	 {{"applies", "Does the restriction apply to this complaint?", NULL, PF_YESNO, NULL, false},
	  {"reason", "Reason", NULL, PF_AREA, NULL, false}}, false, NULL},
	{"warning", "Record a warning",
	 "Level 1: a formal warning letter with the evidence, enclosing the procedure "
	 "(001 Appendix A).", ON_PERSON_PAGE, false, api_behaviour_warn,
	 {{"issued_on", "Issued on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"evidence", "Evidence", NULL, PF_AREA, NULL, false},
	  {"change", "The change of behaviour asked for", NULL, PF_AREA, NULL, false}},
	 false, NULL},
	{"restriction", "Restrict contact",
	 "Level 2: proportionate, for a stated period (usually 3 to 6 months), reviewed before "
	 "it ends (001 Appendix A).", ON_PERSON_PAGE, false, api_behaviour_restrict,
	 {{"kind", "Restriction", NULL, PF_CHOICE, BEHAVIOUR_RESTRICTION_KINDS, false},
	  {"detail", "Detail", NULL, PF_AREA, NULL, true},
	  {"reason", "Why", NULL, PF_AREA, NULL, false},
	  {"starts_on", "Starts on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"ends_on", "Ends on", "YYYY-MM-DD", PF_DATE, NULL, false},
	  {"without_warning", "Without an earlier warning, because of", NULL, PF_CHOICE,
	   BEHAVIOUR_WITHOUT_WARNING, true},
	  {"exceptional_reason", "Exceptional reason (longer than six months)", NULL, PF_AREA,
	   NULL, true}}, false, NULL},
	{"review", "Review", "Reviewed before it ends, and every three months when longer than "
	 "six months (001 Appendix A).", ON_PERSON_PAGE, true, api_behaviour_review,
	 {{"outcome", "Outcome", NULL, PF_CHOICE, BEHAVIOUR_REVIEW_OUTCOMES, false},
	  {"note", "Note", NULL, PF_AREA, NULL, true},
	  {"reviewed_on", "Reviewed on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"ends_on", "New end (to extend)", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"exceptional_reason", "Exceptional reason (longer than six months)", NULL, PF_AREA,
	   NULL, true}}, false, NULL},
	{"appeal", "Record an appeal",
	 "Level 3: answered by a senior manager within 10 working days (001 Appendix A).",
	 ON_PERSON_PAGE, true, api_behaviour_appeal,
	 {{"received_on", "Received on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"grounds", "Grounds", NULL, PF_AREA, NULL, false}}, false, NULL},
	{"answer", "Answer the appeal",
	 "The answer explains the right to go to the Ombudsman (001 Appendix A).",
	 ON_PERSON_PAGE, true, api_behaviour_answer,
	 {{"outcome", "Outcome", NULL, PF_CHOICE, BEHAVIOUR_APPEAL_OUTCOMES, false},
	  {"answer", "Answer", NULL, PF_AREA, NULL, false},
	  {"ombudsman_explained", "The answer explains the right to go to the Ombudsman", NULL,
	   PF_TICK, NULL, false},
	  {"answered_on", "Answered on", "YYYY-MM-DD", PF_DATE, NULL, true}}, false, NULL},
	{.key = NULL},
};

static bool in_force(const json_t *r, const char *today)
{
	const char *starts = json_string_value(json_object_get(r, "starts_on"));
	const char *ends = json_string_value(json_object_get(r, "ends_on"));
	return starts && ends && strcmp(starts, today) <= 0 && strcmp(today, ends) <= 0 &&
	       json_is_null(json_object_get(r, "lifted_on"));
}

void staff_behaviour_banner(http_request *req, html_buf *b, const fh_case *c)
{
	json_t *list = NULL;
	fh_error err = {0};
	if (store_case_restrictions(req->st, c->id, &list, &err))
		return;
	char today[DATE_ISO_LEN];
	date_format(req->today, today);
	const pf_form *decide = staff_form_named("applies");
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
		html_text(b, staff_party_name(req, c, person));
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
			if (staff_form_may(req, req->case_org_id, decide))
				staff_form_render(req, b, decide, rid,
					    staff_case_path(req, c, arena_printf(req->arena,
						"restrictions/%lld/decision", (long long)rid)),
					    c, NULL, NULL, false);
		}
		html_raw(b, "</div>");
	}
	json_decref(list);
}

void staff_behaviour_person_link(http_request *req, html_buf *b, const fh_case *c,
			      const fh_person *p)
{
	if (!(authz_roles_in(req->who, req->case_org_id) & AUTHZ_BEHAVIOUR) || !p->id)
		return;
	html_raw(b, "<p><a href=\"/staff/orgs/");
	html_attr(b, c->org_code);
	html_rawf(b, "/people/%lld\">Behaviour record and subject access", (long long)p->id);
	html_raw(b, "<span class=\"visually-hidden\">: ");
	html_text(b, staff_party_name(req, c, p->id));
	html_raw(b, "</span></a></p>");
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

void staff_restriction_decide(http_request *req) { staff_form_post(req, "applies"); }
void staff_behaviour_warn(http_request *req) { staff_form_post(req, "warning"); }
void staff_behaviour_restrict(http_request *req) { staff_form_post(req, "restriction"); }
void staff_behaviour_review(http_request *req) { staff_form_post(req, "review"); }
void staff_behaviour_appeal(http_request *req) { staff_form_post(req, "appeal"); }
void staff_behaviour_answer(http_request *req) { staff_form_post(req, "answer"); }
