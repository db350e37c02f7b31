/*
 * api_behaviour.c: unreasonably persistent behaviour over HTTP (001 §19,
 * Appendix A): warnings, restrictions, their reviews and appeals, the
 * deadlines still due, and whether a restriction applies to a new complaint. *
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
#include "store_behaviour.h"

/* ---- behaviour (001 §19, Appendix A) -------------------------------------------- */

static void behaviour_answer(http_request *req, int64_t person, int status)
{
	json_t *out = NULL;
	fh_error err = {0};
	if (store_behaviour_person(req->st, req->params[0], person, &out, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, status, out);
}

void api_behaviour_get(http_request *req)
{
	int64_t person;
	if (!api_path_id(req, 1, "person", &person))
		return;
	/* the evidence is personal data about the person: the look is logged */
	if (!server_log_read(req, 0, "case",
			     arena_printf(req->arena, "person %lld behaviour", (long long)person)))
		return;
	behaviour_answer(req, person, 200);
}

void api_behaviour_warn(http_request *req)
{
	static const char *const fields[] = {"issued_on", "evidence", "change", NULL};
	int64_t person;
	fh_date on;
	const char *evidence, *change;
	if (!api_path_id(req, 1, "person", &person) || !api_body_fields(req, fields) ||
	    !api_body_date(req, "issued_on", &on) || !api_body_text(req, "evidence", false, 8000, &evidence) ||
	    !api_body_text(req, "change", false, 4000, &change))
		return;
	fh_error err = {0};
	if (store_behaviour_warn(req->st, req->params[0], person, on, evidence, change,
				 req->who->user.email, req->today, NULL, &err)) {
		http_fail(req, &err);
		return;
	}
	behaviour_answer(req, person, 201);
}

void api_behaviour_restrict(http_request *req)
{
	static const char *const fields[] = {"kind", "detail", "reason", "starts_on", "ends_on",
					     "without_warning", "exceptional_reason", NULL};
	int64_t person;
	behaviour_restriction r = {0};
	if (!api_path_id(req, 1, "person", &person) || !api_body_fields(req, fields) ||
	    !api_body_text(req, "kind", true, 40, &r.kind) ||
	    !api_body_text(req, "detail", false, 4000, &r.detail) ||
	    !api_body_text(req, "reason", false, 4000, &r.reason) ||
	    !api_body_date(req, "starts_on", &r.starts_on) ||
	    !api_body_date_required(req, "ends_on", &r.ends_on) ||
	    !api_body_text(req, "without_warning", false, 40, &r.without_warning) ||
	    !api_body_text(req, "exceptional_reason", false, 4000, &r.exceptional_reason))
		return;
	fh_error err = {0};
	if (store_behaviour_restrict(req->st, req->params[0], person, &r, req->who->user.email,
				     req->today, NULL, &err)) {
		http_fail(req, &err);
		return;
	}
	behaviour_answer(req, person, 201);
}

/* The person a restriction of this organisation is about, for the answer. */
static bool restriction_person(http_request *req, int64_t rid, int64_t *person)
{
	fh_error err = {0};
	if (store_restriction_person(req->st, req->params[0], rid, person, &err)) {
		http_fail(req, &err);
		return false;
	}
	return true;
}

void api_behaviour_review(http_request *req)
{
	static const char *const fields[] = {"reviewed_on", "outcome", "note", "ends_on",
					     "exceptional_reason", NULL};
	int64_t rid, person;
	fh_date on, ends_on = 0;
	const char *outcome, *note, *reason;
	if (!api_path_id(req, 1, "restriction", &rid) || !api_body_fields(req, fields) ||
	    !api_body_date(req, "reviewed_on", &on) || !api_body_text(req, "outcome", true, 20, &outcome) ||
	    !api_body_text(req, "note", false, 4000, &note) ||
	    !api_body_text(req, "exceptional_reason", false, 4000, &reason))
		return;
	if (strcmp(outcome, "extend") == 0 && !api_body_date_required(req, "ends_on", &ends_on))
		return;
	fh_error err = {0};
	if (store_behaviour_review(req->st, req->params[0], rid, on, outcome, note, ends_on, reason,
				   req->who->user.email, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	if (restriction_person(req, rid, &person))
		behaviour_answer(req, person, 200);
}

void api_behaviour_appeal(http_request *req)
{
	static const char *const fields[] = {"received_on", "grounds", NULL};
	int64_t rid, person;
	fh_date on;
	const char *grounds;
	if (!api_path_id(req, 1, "restriction", &rid) || !api_body_fields(req, fields) ||
	    !api_body_date(req, "received_on", &on) || !api_body_text(req, "grounds", false, 8000, &grounds))
		return;
	fh_error err = {0};
	if (store_behaviour_appeal(req->st, req->params[0], rid, on, grounds, req->who->user.email,
				   req->today, NULL, &err)) {
		http_fail(req, &err);
		return;
	}
	if (restriction_person(req, rid, &person))
		behaviour_answer(req, person, 201);
}

void api_behaviour_answer(http_request *req)
{
	static const char *const fields[] = {"answered_on", "outcome", "answer",
					     "ombudsman_explained", NULL};
	int64_t rid, person;
	fh_date on;
	const char *outcome, *answer;
	bool ombudsman;
	if (!api_path_id(req, 1, "restriction", &rid) || !api_body_fields(req, fields) ||
	    !api_body_date(req, "answered_on", &on) || !api_body_text(req, "outcome", true, 20, &outcome) ||
	    !api_body_text(req, "answer", false, 8000, &answer) ||
	    !api_body_bool(req, "ombudsman_explained", false, &ombudsman))
		return;
	fh_error err = {0};
	if (store_behaviour_answer(req->st, req->params[0], rid, on, outcome, answer, ombudsman,
				   req->who->user.email, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	if (restriction_person(req, rid, &person))
		behaviour_answer(req, person, 200);
}

void api_behaviour_deadlines(http_request *req)
{
	json_t *list = NULL;
	fh_error err = {0};
	if (store_behaviour_deadlines(req->st, req->params[0], req->today, &list, &err)) {
		http_fail(req, &err);
		return;
	}
	char today[DATE_ISO_LEN];
	date_format(req->today, today);
	http_json(req, 200, json_pack("{ss ss so}", "org", req->params[0], "today", today,
				      "deadlines", list));
}

void api_case_restriction_decide(http_request *req)
{
	static const char *const fields[] = {"applies", "reason", NULL};
	int64_t rid;
	bool applies;
	const char *reason;
	if (!api_path_id(req, 1, "restriction", &rid) || !api_body_fields(req, fields) ||
	    !api_body_text(req, "reason", false, 4000, &reason))
		return;
	if (!json_is_boolean(json_object_get(req->json, "applies"))) {
		http_error(req, 422, "invalid", "applies",
			   "is required: true or false (001 Appendix A \"New complaints\")");
		return;
	}
	api_body_bool(req, "applies", false, &applies);
	fh_error err = {0};
	json_t *list = NULL;
	if (store_case_restriction_decide(req->st, req->params[0], rid, applies, reason,
					  req->who->user.email, req->today, &err) ||
	    store_case_restrictions(req->st, req->case_id, &list, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, 200, json_pack("{ss so}", "reference", req->params[0], "restrictions", list));
}
