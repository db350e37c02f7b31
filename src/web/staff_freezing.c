/*
 * staff_freezing.c: freezing a proposed change of placement or service on
 * the case page (001 §11): the requests step by step, the views, the
 * decision after a disagreement and the review; the POSTs run
 * api_freezing.c's handlers.
 */
#include "staff_forms.h"

#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "freezing.h"
#include "store_freezing.h"
#include "web.h"

const pf_form STAFF_FREEZING_FORMS[] = {
	{"freeze", "Ask to freeze a decision",
	 "A proposed change of placement or service may be deferred while the complaint is "
	 "considered (001 §11).", ON_CASE_PAGE, false, api_freeze_request,
	 {{"change", "The change proposed", NULL, PF_CHOICE, FREEZING_CHANGES, false},
	  {"proposal", "What is proposed", NULL, PF_AREA, NULL, false},
	  {"requested_on", "Asked on", "YYYY-MM-DD", PF_DATE, NULL, true}}, false, NULL},
	{"view", "Give a view",
	 "There is a presumption in favour of freezing: not freezing needs a good reason "
	 "(001 §11.2, §11.3).", ON_CASE_PAGE, true, api_freeze_view,
	 {{"as", "As", NULL, PF_CHOICE, FREEZING_DECIDERS, false},
	  {"view", "View", NULL, PF_CHOICE, FREEZING_VIEWS, false},
	  {"reason", "Reason", NULL, PF_AREA, NULL, true}}, false, NULL},
	{"decide", "Decide after a disagreement",
	 "The Assistant Director or Director decides when the views differ (001 §11.4).",
	 ON_CASE_PAGE, true, api_freeze_decide,
	 {{"view", "Decision", NULL, PF_CHOICE, FREEZING_VIEWS, false},
	  {"reason", "Reason", NULL, PF_AREA, NULL, true}}, false, NULL},
	{"freezereview", "Review the freezing decision", NULL, ON_CASE_PAGE, true,
	 api_freeze_review,
	 {{"outcome", "Outcome", NULL, PF_CHOICE, FREEZING_REVIEWS, false},
	  {"note", "Note", NULL, PF_AREA, NULL, true},
	  {"reviewed_on", "Reviewed on", "YYYY-MM-DD", PF_DATE, NULL, true}}, false, NULL},
	{.key = NULL},
};

void staff_freezing_section(http_request *req, html_buf *b, const fh_case *c)
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
			staff_value_text(req, b, v);
			html_raw(b, "</dd></div>");
		}
		html_raw(b, "</dl>");
		static const char *const steps[][2] = {{"view", "view"},
						       {"decide", "decision"},
						       {"freezereview", "review"}};
		for (size_t k = 0; k < 3; k++) {
			const pf_form *f = staff_form_named(steps[k][0]);
			if (!staff_form_may(req, req->case_org_id, f))
				continue;
			staff_form_folded(req, b, f, id,
				    arena_printf(req->arena, "%s: request %lld", f->title,
						 (long long)id),
				    staff_case_path(req, c, arena_printf(req->arena, "freezing/%lld/%s",
								   (long long)id, steps[k][1])),
				    c);
		}
	}
	if (staff_form_may(req, req->case_org_id, staff_form_named("freeze")))
		staff_form_folded(req, b, staff_form_named("freeze"), 0, NULL, staff_case_path(req, c, "freezing"), c);
	json_decref(list);
}

void staff_freeze_request(http_request *req) { staff_form_post(req, "freeze"); }
void staff_freeze_view(http_request *req) { staff_form_post(req, "view"); }
void staff_freeze_decide(http_request *req) { staff_form_post(req, "decide"); }
void staff_freeze_review(http_request *req) { staff_form_post(req, "freezereview"); }
