/*
 * api_advocacy.c: advocacy and access needs over HTTP (DOMAIN §7), and
 * their counts for reports. *
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
#include "store_advocacy.h"


/* ---- advocacy and access (DOMAIN §7) ------------------------------------------------ */

static void advocacy_answer(http_request *req, int status)
{
	json_t *out = NULL;
	fh_error err = {0};
	if (store_advocacy_get(req->st, req->params[0], &out, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, status, out);
}

void api_advocacy_get(http_request *req)
{
	if (!server_log_read(req, req->case_id, "case", "advocacy"))
		return;
	advocacy_answer(req, 200);
}

void api_advocacy_step(http_request *req)
{
	static const char *const fields[] = {"person_id", "step", "on", "service", "extend_to", NULL};
	int64_t person, extend_to;
	const char *step, *service;
	fh_date on;
	if (!api_body_fields(req, fields) || !api_body_int(req, "person_id", 0, &person) ||
	    !api_body_text(req, "step", true, 20, &step) || !api_body_date(req, "on", &on) ||
	    !api_body_text(req, "service", false, 200, &service) ||
	    !api_body_int(req, "extend_to", 0, &extend_to))
		return;
	if (extend_to < 0 || extend_to > 1000) {
		http_error(req, 422, "invalid", "extend_to", "must be a whole number from 1 to 1000");
		return;
	}
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	fh_error err = {0};
	if (store_advocacy_step(req->st, req->params[0], person, step, on, service, (int)extend_to,
				&actor, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	advocacy_answer(req, 200);
}

void api_access_need_add(http_request *req)
{
	static const char *const fields[] = {"person_id", "need", "detail", "arranged_on", NULL};
	int64_t person;
	const char *need, *detail;
	fh_date on = 0;
	if (!api_body_fields(req, fields) || !api_body_int(req, "person_id", 0, &person) ||
	    !api_body_text(req, "need", true, 40, &need) || !api_body_text(req, "detail", false, 200, &detail))
		return;
	bool arranged = json_object_get(req->json, "arranged_on") != NULL;
	if (arranged && !api_body_date(req, "arranged_on", &on))
		return;
	fh_error err = {0};
	if (store_access_need_add(req->st, req->params[0], person, need, detail, arranged, on,
				  req->who->user.email, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	advocacy_answer(req, 201);
}

void api_advocacy_counts(http_request *req)
{
	const char *from = http_query(req, "from"), *to = http_query(req, "to");
	fh_date d;
	if ((from && !date_parse(from, &d)) || (to && !date_parse(to, &d))) {
		http_error(req, 400, "invalid_parameter", from && !date_parse(from, &d) ? "from" : "to",
			   "is not a date (YYYY-MM-DD)");
		return;
	}
	json_t *out = NULL;
	fh_error err = {0};
	if (store_advocacy_counts(req->st, req->params[0], from, to, &out, &err)) {
		http_fail(req, &err);
		return;
	}
	json_object_set_new(out, "org", json_string(req->params[0]));
	http_json(req, 200, out);
}
