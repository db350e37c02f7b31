/*
 * api_policy.c: the parts of the policy beyond a case's stages: remedies
 * (001 §18, Appendix B), unreasonably persistent behaviour (001 §19,
 * Appendix A), freezing decisions (001 §11) and data rights (DOMAIN §8:
 * subject access, consent to share, redacted copies of documents) and
 * joint complaints (001 §12, §13), advocacy and access (DOMAIN §7).
 *
 * Each handler reads its own body strictly (an unknown field is refused,
 * so a misspelt one is never silently ignored), calls one store function
 * (one transaction with its audit event) and answers with what was
 * recorded.  Which roles may call a route is the route table's rule.
 */
#include "api.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "server.h"
#include "store_access.h"
#include "store_advocacy.h"
#include "store_behaviour.h"
#include "store_freezing.h"
#include "store_joint.h"
#include "store_redress.h"
#include "store_rights.h"

/* ---- reading a body -------------------------------------------------------- */

/* Refuses (422) a body with a field not in names; true when all are known. */
static bool body_fields(http_request *req, const char *const *names)
{
	const char *key;
	json_t *value;
	json_object_foreach(req->json, key, value) {
		bool known = false;
		for (size_t i = 0; names[i] && !known; i++)
			known = strcmp(names[i], key) == 0;
		if (!known) {
			http_error(req, 422, "invalid", key, "is not a field of this request");
			return false;
		}
	}
	return true;
}

/* A string field (NULL when absent and not required); false with a 422 answer. */
static bool body_text(http_request *req, const char *name, bool required, size_t max,
		      const char **out)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required) {
			http_error(req, 422, "invalid", name, "is required");
			return false;
		}
		return true;
	}
	if (!json_is_string(v)) {
		http_error(req, 422, "invalid", name, "must be a string");
		return false;
	}
	if (json_string_length(v) > max) {
		http_error(req, 422, "invalid", name, "is at most %zu bytes", max);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

/* A date field; today when absent. */
static bool body_date(http_request *req, const char *name, fh_date *out)
{
	const char *text;
	if (!body_text(req, name, false, 10, &text))
		return false;
	if (!text) {
		*out = req->today;
		return true;
	}
	if (!date_parse(text, out)) {
		http_error(req, 422, "invalid", name, "'%s' is not a date (YYYY-MM-DD)", text);
		return false;
	}
	return true;
}

/* A whole-number field; def when absent. */
static bool body_int(http_request *req, const char *name, int64_t def, int64_t *out)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;
	if (!v || json_is_null(v)) {
		*out = def;
		return true;
	}
	if (!json_is_integer(v)) {
		http_error(req, 422, "invalid", name, "must be a whole number");
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

/* The {id} path segment at index i as a positive number. */
static bool path_id(http_request *req, size_t i, const char *what, int64_t *out)
{
	const char *text = req->params[i];
	char *end;
	errno = 0;
	long long id = strtoll(text, &end, 10);
	if (!*text || *end || errno || id < 1) {
		http_error(req, 400, "invalid_parameter", "id", "must be a %s's number", what);
		return false;
	}
	*out = (int64_t)id;
	return true;
}

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
	if (!body_fields(req, fields) || !body_text(req, "type", true, 40, &in.type) ||
	    !body_text(req, "category", false, 40, &in.category) ||
	    !body_int(req, "amount_pence", 0, &in.amount_pence) ||
	    !body_text(req, "description", true, 4000, &in.description) ||
	    !body_text(req, "exception", false, 40, &in.exception))
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
	if (!path_id(req, 1, "remedy", &id) || !body_fields(req, fields) ||
	    !body_date(req, "on", &on))
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

/* ---- behaviour (001 §19, Appendix A) -------------------------------------------- */

/* A boolean field; def when absent. */
static bool body_bool(http_request *req, const char *name, bool def, bool *out)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;
	if (!v || json_is_null(v)) {
		*out = def;
		return true;
	}
	if (!json_is_boolean(v)) {
		http_error(req, 422, "invalid", name, "must be true or false");
		return false;
	}
	*out = json_is_true(v);
	return true;
}

/* A required date field. */
static bool body_date_required(http_request *req, const char *name, fh_date *out)
{
	if (!json_object_get(req->json, name)) {
		http_error(req, 422, "invalid", name, "is required (YYYY-MM-DD)");
		return false;
	}
	return body_date(req, name, out);
}

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
	if (!path_id(req, 1, "person", &person))
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
	if (!path_id(req, 1, "person", &person) || !body_fields(req, fields) ||
	    !body_date(req, "issued_on", &on) || !body_text(req, "evidence", false, 8000, &evidence) ||
	    !body_text(req, "change", false, 4000, &change))
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
	if (!path_id(req, 1, "person", &person) || !body_fields(req, fields) ||
	    !body_text(req, "kind", true, 40, &r.kind) ||
	    !body_text(req, "detail", false, 4000, &r.detail) ||
	    !body_text(req, "reason", false, 4000, &r.reason) ||
	    !body_date(req, "starts_on", &r.starts_on) ||
	    !body_date_required(req, "ends_on", &r.ends_on) ||
	    !body_text(req, "without_warning", false, 40, &r.without_warning) ||
	    !body_text(req, "exceptional_reason", false, 4000, &r.exceptional_reason))
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
	if (!path_id(req, 1, "restriction", &rid) || !body_fields(req, fields) ||
	    !body_date(req, "reviewed_on", &on) || !body_text(req, "outcome", true, 20, &outcome) ||
	    !body_text(req, "note", false, 4000, &note) ||
	    !body_text(req, "exceptional_reason", false, 4000, &reason))
		return;
	if (strcmp(outcome, "extend") == 0 && !body_date_required(req, "ends_on", &ends_on))
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
	if (!path_id(req, 1, "restriction", &rid) || !body_fields(req, fields) ||
	    !body_date(req, "received_on", &on) || !body_text(req, "grounds", false, 8000, &grounds))
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
	if (!path_id(req, 1, "restriction", &rid) || !body_fields(req, fields) ||
	    !body_date(req, "answered_on", &on) || !body_text(req, "outcome", true, 20, &outcome) ||
	    !body_text(req, "answer", false, 8000, &answer) ||
	    !body_bool(req, "ombudsman_explained", false, &ombudsman))
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
	if (!path_id(req, 1, "restriction", &rid) || !body_fields(req, fields) ||
	    !body_text(req, "reason", false, 4000, &reason))
		return;
	if (!json_is_boolean(json_object_get(req->json, "applies"))) {
		http_error(req, 422, "invalid", "applies",
			   "is required: true or false (001 Appendix A \"New complaints\")");
		return;
	}
	body_bool(req, "applies", false, &applies);
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
	if (!body_fields(req, fields) || !body_text(req, "change", true, 20, &change) ||
	    !body_text(req, "proposal", false, 4000, &proposal) ||
	    !body_date(req, "requested_on", &on))
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
	if (!path_id(req, 1, "request", &id) || !body_fields(req, fields) ||
	    !body_text(req, "as", true, 40, &as) || !body_text(req, "view", true, 20, &view) ||
	    !body_text(req, "reason", false, 4000, &reason))
		return;
	/* 001 §11.2: the Complaints & Information Manager (the complaints team
	 * or its manager) and the Head of Service each give their own view */
	unsigned held = authz_roles_in(req->who, req->case_org_id);
	bool may_act = strcmp(as, "complaints_manager") == 0
			       ? (held & (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER)) != 0
			       : (held & AUTHZ_HEAD_OF_SERVICE) != 0;
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
	if (!path_id(req, 1, "request", &id) || !body_fields(req, fields) ||
	    !body_text(req, "view", true, 20, &view) ||
	    !body_text(req, "reason", false, 4000, &reason))
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
	if (!path_id(req, 1, "request", &id) || !body_fields(req, fields) ||
	    !body_date(req, "reviewed_on", &on) || !body_text(req, "outcome", true, 20, &outcome) ||
	    !body_text(req, "note", false, 4000, &note))
		return;
	fh_error err = {0};
	if (store_freeze_review(req->st, req->params[0], id, on, outcome, note,
				req->who->user.email, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	freezing_answer(req, 200);
}

/* ---- data rights (DOMAIN §8) ---------------------------------------------------- */

void api_subject_export(http_request *req)
{
	int64_t person;
	if (!path_id(req, 1, "person", &person))
		return;
	json_t *out = NULL;
	fh_error err = {0};
	if (store_subject_export(req->st, req->params[0], person, req->today, &out, &err)) {
		http_fail(req, &err);
		return;
	}
	/* everything held about a person: the biggest read there is */
	if (!server_log_read(req, 0, "case",
			     arena_printf(req->arena, "person %lld subject access export",
					  (long long)person))) {
		json_decref(out);
		return;
	}
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
	if (!body_fields(req, fields) || !body_int(req, "person_id", 0, &person) ||
	    !body_text(req, "purpose", false, 40, &purpose) ||
	    !body_bool(req, "written", false, &written) ||
	    !body_bool(req, "signed", false, &is_signed) || !body_date_required(req, "dated_on", &on))
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

/* The media type of the Content-Type header, lower-cased, without parameters. */
static const char *upload_type(http_request *req)
{
	const char *header = http_header(req, "Content-Type");
	if (!header)
		return "";
	while (*header == ' ' || *header == '\t')
		header++;
	size_t n = strcspn(header, "; \t");
	char *type = arena_strndup(req->arena, header, n);
	for (char *p = type; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return type;
}

void api_document_redact(http_request *req)
{
	int64_t original;
	if (!path_id(req, 1, "document", &original))
		return;
	const char *type = upload_type(req);
	const char *removed = http_query(req, "removed");
	const char *visibility = http_query(req, "visibility");
	const char *filename = http_query(req, "filename");
	if (!visibility)
		visibility = "customer"; /* a redacted copy is made to be shared */
	if (!filename) {
		http_error(req, 400, "invalid_parameter", "filename", "is required: ?filename=NAME.EXT");
		return;
	}
	fh_error err = {0};
	if (store_document_check(filename, type, visibility, req->body, req->body_len, &err)) {
		int status = strcmp(err.field, "content") == 0 || strcmp(err.field, "content_type") == 0
				     ? 415 : 400;
		http_error(req, status, status == 415 ? "unsupported_media_type" : "invalid_parameter",
			   err.field, "%s", err.message);
		return;
	}
	/* the original is seen, and a confidential copy kept, only by those who
	 * may see confidential documents (as for uploads) */
	bool confidential = (authz_roles_in(req->who, req->case_org_id) &
			     (AUTHZ_COMPLAINTS_TEAM | AUTHZ_ADJUDICATING_OFFICER)) != 0;
	if (strcmp(visibility, "confidential") == 0 && !confidential) {
		http_error(req, 403, "forbidden", "visibility",
			   "only the complaints team and the adjudicating officer may keep "
			   "confidential documents");
		return;
	}
	store_document d;
	if (store_document_redact(req->st, req->params[0], original, confidential, filename, type,
				  visibility, req->body, req->body_len, removed, req->who->user.email,
				  req->arena, &d, &err)) {
		http_fail(req, &err);
		return;
	}
	req->location = arena_printf(req->arena, "/api/v1/cases/%s/documents/%lld", req->params[0],
				     (long long)d.id);
	http_json(req, 201, json_pack("{sI sI ss ss sI ss ss ss}", "id", (json_int_t)d.id,
				      "redaction_of", (json_int_t)original, "filename", d.filename,
				      "content_type", d.content_type, "size", (json_int_t)d.size,
				      "sha256", d.sha256, "visibility", d.visibility, "href",
				      req->location));
}

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
	if (!body_fields(req, fields) || !body_text(req, "team", false, 200, &team) ||
	    !body_date(req, "requested_on", &on))
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
	if (!path_id(req, 1, "contribution", &id) || !body_fields(req, fields) ||
	    !body_date(req, "received_on", &on))
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
	if (!body_fields(req, fields) || !body_text(req, "organisation", false, 200, &organisation) ||
	    !body_text(req, "responder", true, 40, &responder) ||
	    !body_date(req, "liaised_on", &on))
		return;
	bool customer_told = json_object_get(req->json, "customer_told_on") != NULL;
	if (customer_told && !body_date(req, "customer_told_on", &told))
		return;
	fh_error err = {0};
	if (store_liaison_add(req->st, req->params[0], organisation, responder, on, customer_told,
			      told, req->who->user.email, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	joint_answer(req, 201);
}

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
	if (!body_fields(req, fields) || !body_int(req, "person_id", 0, &person) ||
	    !body_text(req, "step", true, 20, &step) || !body_date(req, "on", &on) ||
	    !body_text(req, "service", false, 200, &service) ||
	    !body_int(req, "extend_to", 0, &extend_to))
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
	if (!body_fields(req, fields) || !body_int(req, "person_id", 0, &person) ||
	    !body_text(req, "need", true, 40, &need) || !body_text(req, "detail", false, 200, &detail))
		return;
	bool arranged = json_object_get(req->json, "arranged_on") != NULL;
	if (arranged && !body_date(req, "arranged_on", &on))
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
