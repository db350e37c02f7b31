/*
 * api_rights.c: data rights over HTTP (DOMAIN §8; 001 §14.3): a person's
 * subject access export and consent to share.  A redacted copy of a
 * document is a document route (api_documents.c). *
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
#include "store_rights.h"

/* ---- data rights (DOMAIN §8) ---------------------------------------------------- */

json_t *api_subject_export_read(http_request *req, int64_t person, const char *as)
{
	json_t *out = NULL;
	fh_error err = {0};
	if (store_subject_export(req->st, req->params[0], person, req->today, &out, &err)) {
		http_fail(req, &err);
		return NULL;
	}
	/* everything held about a person: the biggest read there is */
	if (!server_log_read(req, 0, "case",
			     arena_printf(req->arena, "person %lld subject access export%s",
					  (long long)person, as))) {
		json_decref(out);
		return NULL;
	}
	return out;
}

void api_subject_export(http_request *req)
{
	int64_t person;
	if (!api_path_id(req, 1, "person", &person))
		return;
	json_t *out = api_subject_export_read(req, person, "");
	if (out)
		http_json(req, 200, out);
}

static void consents_answer(http_request *req, int status)
{
	json_t *list = NULL;
	fh_error err = {0};
	if (store_consent_list(req->st, req->params[0], &list, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, status, json_pack("{ss so}", "reference", req->params[0], "consents", list));
}

void api_consent_list(http_request *req)
{
	if (!server_log_read(req, req->case_id, "case", "consents"))
		return;
	consents_answer(req, 200);
}

void api_consent_add(http_request *req)
{
	static const char *const fields[] = {"person_id", "purpose", "written", "signed",
					     "dated_on", NULL};
	int64_t person;
	const char *purpose;
	bool written, is_signed;
	fh_date on;
	if (!api_body_fields(req, fields) || !api_body_int(req, "person_id", 0, &person) ||
	    !api_body_text(req, "purpose", false, 40, &purpose) ||
	    !api_body_bool(req, "written", false, &written) ||
	    !api_body_bool(req, "signed", false, &is_signed) || !api_body_date_required(req, "dated_on", &on))
		return;
	fh_error err = {0};
	if (store_consent_add(req->st, req->params[0], person,
			      purpose ? purpose : "independent_consideration", written, is_signed,
			      on, req->who->user.email, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	consents_answer(req, 201);
}
