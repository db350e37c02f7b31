/*
 * api_freezing.c: freezing a proposed change of placement or service
 * while a complaint is considered, over HTTP (001 §11). *
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
#include "store_freezing.h"

/* ---- freezing decisions (001 §11) ---------------------------------------------- */

static void freezing_answer(http_request *req, int status)
{
	json_t *list = NULL;
	fh_error err = {0};
	if (store_freeze_list(req->st, req->params[0], &list, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, status, json_pack("{ss so}", "reference", req->params[0], "requests", list));
}

void api_freeze_list(http_request *req)
{
	if (!server_log_read(req, req->case_id, "case", "freezing"))
		return;
	freezing_answer(req, 200);
}

void api_freeze_request(http_request *req)
{
	static const char *const fields[] = {"change", "proposal", "requested_on", NULL};
	const char *change, *proposal;
	fh_date on;
	if (!api_body_fields(req, fields) || !api_body_text(req, "change", true, 20, &change) ||
	    !api_body_text(req, "proposal", false, 4000, &proposal) ||
	    !api_body_date(req, "requested_on", &on))
		return;
	fh_error err = {0};
	if (store_freeze_request(req->st, req->params[0], change, proposal, on,
				 req->who->user.email, req->today, NULL, &err)) {
		http_fail(req, &err);
		return;
	}
	freezing_answer(req, 201);
}

void api_freeze_view(http_request *req)
{
	static const char *const fields[] = {"as", "view", "reason", NULL};
	int64_t id;
	const char *as, *view, *reason;
	if (!api_path_id(req, 1, "request", &id) || !api_body_fields(req, fields) ||
	    !api_body_text(req, "as", true, 40, &as) || !api_body_text(req, "view", true, 20, &view) ||
	    !api_body_text(req, "reason", false, 4000, &reason))
		return;
	bool may_act = authz_freezing_view_as(req, as);
	fh_error err = {0};
	if (store_freeze_view(req->st, req->params[0], id, as, may_act, view, reason,
			      req->who->user.email, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	freezing_answer(req, 200);
}

void api_freeze_decide(http_request *req)
{
	static const char *const fields[] = {"view", "reason", NULL};
	int64_t id;
	const char *view, *reason;
	if (!api_path_id(req, 1, "request", &id) || !api_body_fields(req, fields) ||
	    !api_body_text(req, "view", true, 20, &view) ||
	    !api_body_text(req, "reason", false, 4000, &reason))
		return;
	fh_error err = {0};
	if (store_freeze_decide(req->st, req->params[0], id, view, reason, req->who->user.email,
				req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	freezing_answer(req, 200);
}

void api_freeze_review(http_request *req)
{
	static const char *const fields[] = {"reviewed_on", "outcome", "note", NULL};
	int64_t id;
	fh_date on;
	const char *outcome, *note;
	if (!api_path_id(req, 1, "request", &id) || !api_body_fields(req, fields) ||
	    !api_body_date(req, "reviewed_on", &on) || !api_body_text(req, "outcome", true, 20, &outcome) ||
	    !api_body_text(req, "note", false, 4000, &note))
		return;
	fh_error err = {0};
	if (store_freeze_review(req->st, req->params[0], id, on, outcome, note,
				req->who->user.email, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	freezing_answer(req, 200);
}
