/*
 * api_cases.c: recording a representation, listing and searching cases, and
 * reading one case and its history.
 *
 * Reads of a case, its history, and searches are written to the access log
 * (who, when, which case, what) before the data is sent.  Equality-monitoring
 * answers never appear: case_to_json leaves them out.  A case's JSON is the
 * same for everyone allowed to read it (which is what lets workers cache
 * it); what differs by role, the content of confidential events, is only in
 * the history, which is not cached.
 */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "case_json.h"
#include "casecache.h"
#include "server.h"
#include "store_event.h"
#include "store_search.h"
#include "store_behaviour.h"

void api_case_create(http_request *req)
{
	fh_case_input in;
	fh_error err = {0};
	if (case_input_from_json(req->json, req->arena, &in, &err)) {
		http_fail(req, &err);
		return;
	}
	if (!in.org_code || !*in.org_code) {
		/* Most staff record for one organisation: let them leave it out. */
		const store_grant *only = NULL;
		size_t orgs = 0;
		for (size_t i = 0; i < req->who->user.n_grants; i++) {
			const store_grant *g = &req->who->user.grants[i];
			if (!(authz_role_bit(g->role) & AUTHZ_RECORD) || (only && only->org_id == g->org_id))
				continue;
			only = g;
			orgs++;
		}
		if (orgs != 1) {
			http_error(req, 422, "invalid", "org",
				   "is required: you record cases for more than one organisation");
			return;
		}
		in.org_code = only->org_code;
	}
	if (!authz_org(req, in.org_code, AUTHZ_RECORD))
		return;
	if (case_input_validate(&in, req->today, &err)) {
		http_fail(req, &err);
		return;
	}
	char reference[FH_REFERENCE_MAX];
	if (store_case_create(req->st, &in, req->who->user.email, reference, &err)) {
		http_fail(req, &err);
		return;
	}
	req->location = arena_printf(req->arena, "/api/v1/cases/%s", reference);
	/* 001 Appendix A "New complaints": a complaint from someone under a
	 * restriction is recorded like any other, and the complaints team is
	 * prompted to decide whether the restriction applies to it. */
	int64_t case_id = 0, org_id = 0;
	json_t *restrictions = NULL;
	if (store_case_locate(req->st, reference, &case_id, &org_id, &err) ||
	    store_case_restrictions(req->st, case_id, &restrictions, &err)) {
		http_fail(req, &err);
		return;
	}
	bool needed = false;
	size_t i;
	json_t *r;
	json_array_foreach(restrictions, i, r)
		needed |= json_is_true(json_object_get(r, "decision_needed"));
	json_decref(restrictions);
	http_json(req, 201, json_pack("{ss ss sb}", "reference", reference, "href", req->location,
				      "restriction_decision_needed", needed));
}

/* A query parameter that must be a whole number in [min, max]; def when absent. */
static bool number_param(http_request *req, const char *name, long min, long max, long def,
			 size_t *out)
{
	const char *text = http_query(req, name);
	if (!text) {
		*out = (size_t)def;
		return true;
	}
	char *end;
	long v = strtol(text, &end, 10);
	if (!*text || *end || v < min || v > max) {
		http_error(req, 400, "invalid_parameter", name, "must be a whole number from %ld to %ld",
			   min, max);
		return false;
	}
	*out = (size_t)v;
	return true;
}

static bool vocabulary_param(http_request *req, const char *name, const char *const *list,
			     const char **out)
{
	*out = http_query(req, name);
	if (*out && !model_is_one_of(list, *out)) {
		char names[256];
		http_error(req, 400, "invalid_parameter", name, "'%s' is not one of %s", *out,
			   model_join(list, names, sizeof names));
		return false;
	}
	return true;
}

static bool date_param(http_request *req, const char *name, const char **out)
{
	fh_date d;
	*out = http_query(req, name);
	if (*out && !date_parse(*out, &d)) {
		http_error(req, 400, "invalid_parameter", name, "'%s' is not a date (YYYY-MM-DD)",
			   *out);
		return false;
	}
	return true;
}

void api_case_list(http_request *req)
{
	store_case_query q = {.user_id = req->who->user.user_id};
	if (!vocabulary_param(req, "kind", MODEL_KINDS, &q.kind) ||
	    !vocabulary_param(req, "state", MODEL_CASE_STATES, &q.state) ||
	    !date_param(req, "from", &q.received_from) || !date_param(req, "to", &q.received_to) ||
	    !number_param(req, "limit", 1, 1000, 50, &q.limit) ||
	    !number_param(req, "offset", 0, 10000000, 0, &q.offset))
		return;
	q.org_code = http_query(req, "org");
	if (q.org_code && !authz_org(req, q.org_code, AUTHZ_ANY_ROLE))
		return;
	const char *cursor = http_query(req, "cursor");
	store_cursor after;
	if (cursor) {
		if (!store_cursor_parse(cursor, &after)) {
			http_error(req, 400, "invalid_parameter", "cursor",
				   "is not a cursor from this list's next");
			return;
		}
		q.after = &after;
	}
	q.text = http_query(req, "q");
	if (q.text && strlen(q.text) > MODEL_SHORT_MAX) {
		http_error(req, 400, "invalid_parameter", "q", "at most %d characters",
			   MODEL_SHORT_MAX);
		return;
	}

	/* Where the caller sees everything, and where only their assignments. */
	authz_case_scope scope;
	authz_need_to_know(req, &scope);
	q.org_wide = scope.org_wide;
	q.n_org_wide = scope.n_org_wide;
	q.assigned_only = scope.assigned_only;
	q.n_assigned_only = scope.n_assigned_only;

	fh_case *cases;
	size_t count;
	store_page page;
	fh_error err = {0};
	if (store_case_query_run(req->st, &q, req->arena, &cases, &count, &page, &err)) {
		http_fail(req, &err);
		return;
	}
	/* A search by name is a look at personal data, even before a case is opened. */
	if (q.text && !server_log_read(req, 0, "search", q.text))
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < count; i++)
		json_array_append_new(list, case_summary_to_json(&cases[i]));
	/* total is exact unless total_is_lower_bound: then more than
	 * STORE_COUNT_CAP match and total is STORE_COUNT_CAP + 1 */
	http_json(req, 200, json_pack("{so sI sb sI sI sI so}", "cases", list, "total",
				      (json_int_t)page.total, "total_is_lower_bound",
				      page.total_capped, "count", (json_int_t)count, "offset",
				      (json_int_t)q.offset, "limit", (json_int_t)q.limit, "next",
				      page.next[0] ? json_string(page.next) : json_null()));
}

/* Reads the authorised case (req->params[0]) and logs the read as what. */
static bool read_case(http_request *req, const char *what, fh_case *c)
{
	fh_error err = {0};
	if (store_case_get(req->st, req->params[0], req->arena, c, &err)) {
		http_fail(req, &err);
		return false;
	}
	return server_log_read(req, req->case_id, what, NULL);
}

void api_case_get(http_request *req)
{
	int64_t head = 0;
	fh_error err = {0};
	if (store_audit_head(req->st, &head, &err)) {
		http_fail(req, &err);
		return;
	}
	char *cached = casecache_get(req->case_id, head);
	if (cached) {
		req->status = 200;
		req->text_out = cached;
		req->content_type = "application/json";
		server_log_read(req, req->case_id, "case", NULL);
		return;
	}
	fh_case c;
	if (!read_case(req, "case", &c))
		return;
	json_t *out = case_to_json(&c, 0);
	/* Restrictions on anyone on the case (001 Appendix A), shown to staff on
	 * every case of that person; they change only with an event, so the
	 * cached text (keyed by the audit head) never goes stale. */
	json_t *restrictions = NULL;
	if (store_case_restrictions(req->st, req->case_id, &restrictions, &err)) {
		json_decref(out);
		http_fail(req, &err);
		return;
	}
	json_object_set_new(out, "restrictions", restrictions);
	char *text = json_dumps(out, JSON_COMPACT);
	if (text)
		casecache_put(req->case_id, head, text);
	free(text);
	http_json(req, 200, out);
}

void api_case_history(http_request *req)
{
	fh_case c;
	if (!read_case(req, "history", &c))
		return;
	json_t *full = case_to_json(&c, 1);
	json_t *events = json_incref(json_object_get(full, "events"));
	json_decref(full);
	/* An event marked confidential (the Investigating Officer's addendum,
	 * what was said in mediation) shows that it happened, but its content
	 * only to those who may see confidential material on the case. */
	if (!authz_may_see_confidential(req)) {
		size_t i;
		json_t *e;
		json_array_foreach(events, i, e) {
			if (!json_is_true(json_object_get(json_object_get(e, "data"), "confidential")))
				continue;
			json_object_set_new(e, "data", json_pack("{sb}", "confidential", 1));
			json_object_set_new(e, "reason", json_string(""));
		}
	}
	http_json(req, 200, json_pack("{ss so}", "reference", c.reference, "events", events));
}
