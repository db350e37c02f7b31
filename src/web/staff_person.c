/*
 * staff_person.c: the person page, GET /staff/orgs/{org}/people/{id}: a
 * person's behaviour record with the forms for each step (001 §19,
 * Appendix A; staff_behaviour.c declares them) and the links to their
 * subject access export (DOMAIN §8; staff_rights.c).
 */
#include "staff_forms.h"

#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "server.h"
#include "store_behaviour.h"
#include "store_rights.h"
#include "web.h"

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
	long long person = req->ids[1];
	if (!person) {
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
	staff_form_done_notice(req, &b);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, req->params[0]);
	html_raw(&b, "</span><h1>");
	html_text(&b, title);
	html_raw(&b, "</h1><p class=\"lead\">Unreasonably persistent or unacceptable behaviour is "
		     "recorded on the person, not the case (001 §19, Appendix A).</p>");

	html_raw(&b, "<h2 id=\"deadlines\">Due</h2>");
	staff_json_table(req, &b, json_object_get(rec, "deadlines"), "No review or appeal answer is due.",
		   NULL);

	html_raw(&b, "<h2 id=\"warnings\">Warnings</h2>");
	staff_json_table(req, &b, json_object_get(rec, "warnings"), "No warning is recorded.", NULL);
	staff_form_folded(req, &b, staff_form_named("warning"), 0, NULL, person_path(req, person, "/warnings"),
		    NULL);

	html_raw(&b, "<h2 id=\"restrictions\">Restrictions</h2>");
	json_t *restrictions = json_object_get(rec, "restrictions");
	staff_json_table(req, &b, restrictions, "No restriction is recorded.", NULL);
	size_t i;
	json_t *r;
	json_array_foreach(restrictions, i, r) {
		int64_t rid = json_integer_value(json_object_get(r, "id"));
		html_rawf(&b, "<h3>Restriction %lld: ", (long long)rid);
		html_text(&b, staff_lower(req, json_string_value(json_object_get(r, "kind"))));
		html_raw(&b, "</h3><h4>Reviews</h4>");
		staff_json_table(req, &b, json_object_get(r, "reviews"), "No review is due.", NULL);
		html_raw(&b, "<h4>Appeal</h4>");
		json_t *appeal = json_object_get(r, "appeal");
		if (json_is_object(appeal)) {
			json_t *one = json_pack("[O]", appeal);
			staff_json_table(req, &b, one, "", NULL);
			json_decref(one);
		} else {
			html_raw(&b, "<p>No appeal.</p>");
		}
		html_raw(&b, "<h4>Decisions on new complaints</h4>");
		staff_json_table(req, &b, json_object_get(r, "case_decisions"), "None.", NULL);
		if (!json_is_null(json_object_get(r, "lifted_on")))
			continue;
		staff_form_folded(req, &b, staff_form_named("review"), rid,
			    arena_printf(req->arena, "Review restriction %lld", (long long)rid),
			    restriction_path(req, rid, "reviews"), NULL);
		if (!json_is_object(appeal))
			staff_form_folded(req, &b, staff_form_named("appeal"), rid,
				    arena_printf(req->arena, "Record an appeal against restriction %lld",
						 (long long)rid),
				    restriction_path(req, rid, "appeal"), NULL);
		else if (json_is_null(json_object_get(appeal, "answered_on")) &&
			 staff_form_may(req, req->org_id, staff_form_named("answer")))
			staff_form_folded(req, &b, staff_form_named("answer"), rid,
				    arena_printf(req->arena, "Answer the appeal against restriction %lld",
						 (long long)rid),
				    restriction_path(req, rid, "appeal/answer"), NULL);
	}
	staff_form_folded(req, &b, staff_form_named("restriction"), 0, NULL,
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
