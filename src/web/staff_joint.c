/*
 * staff_joint.c: joint complaints on the case page: contributions asked
 * of other teams for one co-ordinated response (001 §13) and liaison with
 * other organisations (001 §12); the POSTs run api_joint.c's handlers.
 */
#include "staff_forms.h"

#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "joint.h"
#include "store_joint.h"
#include "web.h"

const pf_form STAFF_JOINT_FORMS[] = {
	{"contribution", "Ask a team to contribute",
	 "A complaint about more than one team gets one co-ordinated response (001 §13.1).",
	 ON_CASE_PAGE, false, api_contribution_request,
	 {{"team", "Team", NULL, PF_TEXT, NULL, false},
	  {"requested_on", "Asked on", "YYYY-MM-DD", PF_DATE, NULL, true}}, false, NULL},
	{"received", "Contribution received", NULL, ON_CASE_PAGE, true, api_contribution_received,
	 {{"received_on", "Received on", "YYYY-MM-DD", PF_DATE, NULL, true}}, false, NULL},
	{"liaison", "Record liaison with another organisation",
	 "Agree who responds; unless it is one response, tell the customer how and by whom "
	 "(001 §12.2).", ON_CASE_PAGE, false, api_liaison_add,
	 {{"organisation", "Organisation", NULL, PF_TEXT, NULL, false},
	  {"responder", "Who responds", NULL, PF_CHOICE, JOINT_RESPONDERS, false},
	  {"liaised_on", "Liaised on", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"customer_told_on", "Customer told on", "YYYY-MM-DD", PF_DATE, NULL, true}},
	 false, NULL},
	{.key = NULL},
};

void staff_joint_section(http_request *req, html_buf *b, const fh_case *c)
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
	staff_json_table(req, b, contributions, "No team has been asked to contribute.", c);
	const pf_form *received = staff_form_named("received");
	size_t i;
	json_t *o;
	json_array_foreach(contributions, i, o) {
		int64_t id = json_integer_value(json_object_get(o, "id"));
		if (!json_is_null(json_object_get(o, "received_on")) || !staff_form_may(req, req->case_org_id, received))
			continue;
		staff_form_folded(req, b, received, id,
			    arena_printf(req->arena, "Contribution %lld received", (long long)id),
			    staff_case_path(req, c, arena_printf(req->arena, "contributions/%lld/received",
							   (long long)id)), c);
	}
	if (staff_form_may(req, req->case_org_id, staff_form_named("contribution")))
		staff_form_folded(req, b, staff_form_named("contribution"), 0, NULL,
			    staff_case_path(req, c, "contributions"), c);
	html_raw(b, "<h3>Other organisations (001 §12)</h3>");
	staff_json_table(req, b, json_object_get(out, "liaisons"), "No liaison is recorded.", c);
	if (staff_form_may(req, req->case_org_id, staff_form_named("liaison")))
		staff_form_folded(req, b, staff_form_named("liaison"), 0, NULL, staff_case_path(req, c, "liaisons"), c);
	json_decref(out);
}

void staff_contribution_request(http_request *req) { staff_form_post(req, "contribution"); }
void staff_contribution_received(http_request *req) { staff_form_post(req, "received"); }
void staff_liaison_add(http_request *req) { staff_form_post(req, "liaison"); }
