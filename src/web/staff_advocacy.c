/*
 * staff_advocacy.c: advocacy and access needs on the case page (DOMAIN §7),
 * shown with the consent to share (staff_rights.c's form); the POSTs run
 * api_advocacy.c's handlers.
 */
#include "staff_forms.h"

#include <string.h>

#include <jansson.h>

#include "advocacy.h"
#include "authz.h"
#include "store_advocacy.h"
#include "store_rights.h"
#include "web.h"

const pf_form STAFF_ADVOCACY_FORMS[] = {
	{"advocacy", "Record an advocacy step",
	 "Offer advocacy to children, free; record the advocate (DOMAIN §7).", ON_CASE_PAGE, false,
	 api_advocacy_step,
	 {{"person_id", "Person", NULL, PF_PERSON, NULL, false},
	  {"step", "Step", "Offered, referred, taken up or declined, in that order", PF_CHOICE,
	   ADVOCACY_STEPS, false},
	  {"on", "On", "YYYY-MM-DD", PF_DATE, NULL, true},
	  {"service", "Advocacy service", "Leave empty for the organisation's own", PF_TEXT, NULL,
	   true},
	  {"extend_to", "Extend the Stage 1 clock to (working days)",
	   "With a referral, because an advocate is to be appointed (001 B Stage 1)", PF_INT, NULL,
	   true}}, false, NULL},
	{"access", "Record an access need", "Interpreters, signers and alternative formats "
	 "(DOMAIN §7).", ON_CASE_PAGE, false, api_access_need_add,
	 {{"person_id", "Person", NULL, PF_PERSON, NULL, false},
	  {"need", "Need", NULL, PF_CHOICE, ACCESS_NEEDS, false},
	  {"detail", "Detail", "For example Urdu, or Large print", PF_TEXT, NULL, true},
	  {"arranged_on", "Arranged on", "YYYY-MM-DD", PF_DATE, NULL, true}}, false, NULL},
	{.key = NULL},
};

void staff_advocacy_section(http_request *req, html_buf *b, const fh_case *c)
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
	staff_json_table(req, b, json_object_get(out, "advocacy"), "No advocacy is recorded.", c);
	if (staff_form_may(req, req->case_org_id, staff_form_named("advocacy")))
		staff_form_folded(req, b, staff_form_named("advocacy"), 0, NULL, staff_case_path(req, c, "advocacy"), c);
	html_raw(b, "<h3>Access needs</h3>");
	staff_json_table(req, b, json_object_get(out, "access_needs"), "No access needs are recorded.", c);
	if (staff_form_may(req, req->case_org_id, staff_form_named("access")))
		staff_form_folded(req, b, staff_form_named("access"), 0, NULL, staff_case_path(req, c, "access-needs"),
			    c);
	html_raw(b, "<h3>Consent to share</h3>");
	staff_json_table(req, b, consents, "No consent is recorded.", c);
	if (staff_form_may(req, req->case_org_id, staff_form_named("share")))
		staff_form_folded(req, b, staff_form_named("share"), 0, NULL, staff_case_path(req, c, "consents"), c);
	json_decref(out);
	json_decref(consents);
}

void staff_advocacy_step(http_request *req) { staff_form_post(req, "advocacy"); }
void staff_access_need_add(http_request *req) { staff_form_post(req, "access"); }
