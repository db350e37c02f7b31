/*
 * api_joint.c: joint complaints over HTTP: one co-ordinated response from
 * several teams (001 §13) and liaison with other organisations (001 §12). *
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
#include "store_joint.h"


/* ---- joint complaints (001 §12, §13) ---------------------------------------------- */

static void joint_answer(http_request *req, int status)
{
	json_t *out = NULL;
	fh_error err = {0};
	if (store_joint_get(req->st, req->params[0], &out, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, status, out);
}

void api_joint_get(http_request *req)
{
	joint_answer(req, 200);
}

void api_contribution_request(http_request *req)
{
	static const char *const fields[] = {"team", "requested_on", NULL};
	const char *team;
	fh_date on;
	if (!api_body_fields(req, fields) || !api_body_text(req, "team", false, 200, &team) ||
	    !api_body_date(req, "requested_on", &on))
		return;
	fh_error err = {0};
	if (store_contribution_request(req->st, req->params[0], team, on, req->who->user.email,
				       req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	joint_answer(req, 201);
}

void api_contribution_received(http_request *req)
{
	static const char *const fields[] = {"received_on", NULL};
	int64_t id;
	fh_date on;
	if (!api_path_id(req, 1, "contribution", &id) || !api_body_fields(req, fields) ||
	    !api_body_date(req, "received_on", &on))
		return;
	fh_error err = {0};
	if (store_contribution_received(req->st, req->params[0], id, on, req->who->user.email,
					req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	joint_answer(req, 200);
}

void api_liaison_add(http_request *req)
{
	static const char *const fields[] = {"organisation", "responder", "liaised_on",
					     "customer_told_on", NULL};
	const char *organisation, *responder;
	fh_date on, told = 0;
	if (!api_body_fields(req, fields) || !api_body_text(req, "organisation", false, 200, &organisation) ||
	    !api_body_text(req, "responder", true, 40, &responder) ||
	    !api_body_date(req, "liaised_on", &on))
		return;
	bool customer_told = json_object_get(req->json, "customer_told_on") != NULL;
	if (customer_told && !api_body_date(req, "customer_told_on", &told))
		return;
	fh_error err = {0};
	if (store_liaison_add(req->st, req->params[0], organisation, responder, on, customer_told,
			      told, req->who->user.email, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	joint_answer(req, 201);
}
