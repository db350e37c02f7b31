/*
 * api_redress.c: remedies over HTTP (001 §18, Appendix B): recording,
 * approving and delivering them, and their totals by type for reports. *
 * Each handler reads its own body strictly (api_body.h: an unknown field is
 * refused, so a misspelt one is never silently ignored), calls one store
 * function (one transaction with its audit event) and answers with what
 * was recorded.  Which roles may call a route is the route table's rule.
 */
#include "api.h"

#include <string.h>

#include "api_body.h"
#include "authz.h"
#include "server.h"
#include "store_redress.h"

/* ---- remedies (001 §18, Appendix B) ------------------------------------------ */

static json_t *remedy_json(const store_remedy *r)
{
	json_t *o = json_pack("{sI ss ss sI ss ss ss}", "id", (json_int_t)r->id, "type", r->type,
			      "category", r->category, "amount_pence", (json_int_t)r->amount_pence,
			      "description", r->description, "recorded_by", r->recorded_by,
			      "recorded_at", r->recorded_at);
	json_object_set_new(o, "approved_by", *r->approved_by ? json_string(r->approved_by) : json_null());
	json_object_set_new(o, "approved_on", *r->approved_on ? json_string(r->approved_on) : json_null());
	json_object_set_new(o, "delivered_by",
			    *r->delivered_by ? json_string(r->delivered_by) : json_null());
	json_object_set_new(o, "delivered_on",
			    *r->delivered_on ? json_string(r->delivered_on) : json_null());
	return o;
}

static void remedies_answer(http_request *req, int status)
{
	store_remedy *list;
	size_t n;
	fh_error err = {0};
	if (store_remedy_list(req->st, req->params[0], req->arena, &list, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, remedy_json(&list[i]));
	http_json(req, status, json_pack("{ss so}", "reference", req->params[0], "remedies", arr));
}

void api_remedy_list(http_request *req)
{
	/* a remedy's description is about the person it remedies */
	if (!server_log_read(req, req->case_id, "case", "remedies"))
		return;
	remedies_answer(req, 200);
}

void api_remedy_add(http_request *req)
{
	static const char *const fields[] = {"type", "category", "amount_pence", "description",
					     "exception", NULL};
	redress_input in = {0};
	if (!api_body_fields(req, fields) || !api_body_text(req, "type", true, 40, &in.type) ||
	    !api_body_text(req, "category", false, 40, &in.category) ||
	    !api_body_int(req, "amount_pence", 0, &in.amount_pence) ||
	    !api_body_text(req, "description", true, 4000, &in.description) ||
	    !api_body_text(req, "exception", false, 40, &in.exception))
		return;
	int64_t id;
	fh_error err = {0};
	if (store_remedy_add(req->st, req->params[0], &in, req->who->user.email, req->today, &id,
			     &err)) {
		http_fail(req, &err);
		return;
	}
	req->location = arena_printf(req->arena, "/api/v1/cases/%s/remedies", req->params[0]);
	remedies_answer(req, 201);
}

static void remedy_step(http_request *req, bool approve)
{
	static const char *const fields[] = {"on", NULL};
	int64_t id;
	fh_date on;
	if (!api_path_id(req, 1, "remedy", &id) || !api_body_fields(req, fields) ||
	    !api_body_date(req, "on", &on))
		return;
	fh_error err = {0};
	fh_status s = approve ? store_remedy_approve(req->st, req->params[0], id, on,
						     req->who->user.email, req->today, &err)
			      : store_remedy_deliver(req->st, req->params[0], id, on,
						     req->who->user.email, req->today, &err);
	if (s) {
		http_fail(req, &err);
		return;
	}
	remedies_answer(req, 200);
}

void api_redress_totals(http_request *req)
{
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	fh_date d;
	if (from && !date_parse(from, &d)) {
		http_error(req, 400, "invalid_parameter", "from", "is not a date (YYYY-MM-DD)");
		return;
	}
	if (to && !date_parse(to, &d)) {
		http_error(req, 400, "invalid_parameter", "to", "is not a date (YYYY-MM-DD)");
		return;
	}
	store_redress_total *rows;
	size_t n;
	fh_error err = {0};
	if (store_redress_totals(req->st, req->params[0], from, to, req->arena, &rows, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{ss ss sI sI sI sI}", "type", rows[i].type,
						      "category", rows[i].category, "recorded",
						      (json_int_t)rows[i].recorded, "approved",
						      (json_int_t)rows[i].approved, "delivered",
						      (json_int_t)rows[i].delivered, "approved_pence",
						      (json_int_t)rows[i].approved_pence));
	http_json(req, 200, json_pack("{ss so}", "org", req->params[0], "remedies", list));
}

void api_remedy_approve(http_request *req)
{
	remedy_step(req, true);
}

void api_remedy_deliver(http_request *req)
{
	remedy_step(req, false);
}
