/*
 * staff_redress.c: remedies on the case page (001 §18, Appendix B): the
 * list, the forms to record, approve and deliver one, and their POSTs,
 * each the API route of the same path after /staff (api_redress.c).
 */
#include "staff_forms.h"

#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "redress.h"
#include "store_redress.h"
#include "web.h"

const pf_form STAFF_REDRESS_FORMS[] = {
	{"remedy", "Record a remedy",
	 "Where maladministration was found: acknowledge, apologise, explain and put it right "
	 "(001 §18, Appendix B).", ON_CASE_PAGE, false, api_remedy_add,
	 {{"type", "Type of remedy", NULL, PF_CHOICE, REDRESS_TYPES, false},
	  {"category", "Category of a financial remedy", NULL, PF_CHOICE, REDRESS_CATEGORIES, true},
	  {"amount_pence", "Amount in pounds", "For example 150.00", PF_PENCE, NULL, true},
	  {"description", "What will be done or paid", NULL, PF_AREA, NULL, false},
	  {"exception", "A matter the policy excludes", "Legal action, court settlements and "
	   "insurance are not remedied here (001 Appendix B)", PF_CHOICE, REDRESS_EXCEPTIONS, true}},
	 false, NULL},
	{"approve", "Approve", "Approved by someone with the authority to spend (001 §18.2).",
	 ON_CASE_PAGE, true, api_remedy_approve,
	 {{"on", "Approved on", "YYYY-MM-DD, not in the future", PF_DATE, NULL, true}},
	 false, NULL},
	{"deliver", "Record delivery", "Only once approved (001 §18.2).", ON_CASE_PAGE, true,
	 api_remedy_deliver,
	 {{"on", "Delivered on", "YYYY-MM-DD", PF_DATE, NULL, true}}, false, NULL},
	{.key = NULL},
};

static const char *pounds(http_request *req, int64_t pence)
{
	return arena_printf(req->arena, "£%lld.%02lld", (long long)(pence / 100),
			    (long long)(pence % 100));
}

void staff_redress_section(http_request *req, html_buf *b, const fh_case *c)
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
		const pf_form *f = staff_form_named(!*r->approved_on ? "approve" : "deliver");
		if (*r->delivered_on || !staff_form_may(req, req->case_org_id, f))
			continue;
		staff_form_folded(req, b, f, r->id,
			    arena_printf(req->arena, "%s remedy %lld", f->title, (long long)r->id),
			    staff_case_path(req, c, arena_printf(req->arena, "remedies/%lld/%s",
							   (long long)r->id,
							   !*r->approved_on ? "approve" : "deliver")),
			    c);
	}
	if (staff_form_may(req, req->case_org_id, staff_form_named("remedy")))
		staff_form_folded(req, b, staff_form_named("remedy"), 0, NULL, staff_case_path(req, c, "remedies"), c);
}

void staff_remedy_add(http_request *req) { staff_form_post(req, "remedy"); }
void staff_remedy_approve(http_request *req) { staff_form_post(req, "approve"); }
void staff_remedy_deliver(http_request *req) { staff_form_post(req, "deliver"); }
