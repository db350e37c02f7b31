/*
 * api_lifecycle.c: moving a case through its procedure over HTTP, and the
 * tables a client needs to do so (the actions, the installed procedures).
 *
 * Every action goes through store_case_act, the one entry point the command
 * line uses too; the rules (who may, when, by which deadline) live in
 * src/core/lifecycle.c and answer with their source when they refuse.  The
 * route only establishes that the caller may see the case; whether their
 * role may take this action is the lifecycle's decision (403 from
 * FH_EFORBIDDEN).
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "lifecycle.h"
#include "store_lifecycle.h"
#include "procedure.h"

void api_case_act(http_request *req)
{
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	json_t *result = NULL;
	fh_error err = {0};
	if (store_case_act(req->st, req->params[0], req->params[1], req->json, &actor, req->today,
			   &result, &err)) {
		http_fail(req, &err);
		return;
	}
	/* The new state goes back to the caller only as far as they may see it:
	 * an Independent Person recording their report must not receive the
	 * Investigating Officer's confidential addendum (001 B Stage 2). */
	if (!authz_may_see_confidential(req))
		json_object_set_new(result, "state",
				    lifecycle_public_view(json_object_get(result, "state")));
	http_json(req, 200, result);
}

void api_case_lifecycle(http_request *req)
{
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	/* The confidential addendum and mediation notes (001 B Stage 2;
	 * 001 §15.3): only for those the rule lets see them. */
	bool public_only = !authz_may_see_confidential(req);
	json_t *out = NULL;
	fh_error err = {0};
	if (store_case_lifecycle(req->st, req->params[0], &actor, req->today, public_only, &out,
				 &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, 200, out);
}

void api_actions(http_request *req)
{
	json_t *list = json_array();
	for (size_t i = 0; i < lifecycle_action_count(); i++) {
		const lifecycle_action_info *a = lifecycle_action(i);
		json_array_append_new(list, json_pack("{ss ss ss}", "name", a->name, "summary",
						      a->summary, "params", a->params ? a->params : ""));
	}
	http_json(req, 200, json_pack("{so}", "actions", list));
}

bool api_procedure_rows(http_request *req, store_procedure_row **rows, size_t *n)
{
	fh_error err = {0};
	*rows = NULL;
	*n = 0;
	if (store_procedure_list(req->st, req->arena, rows, n, &err)) {
		http_fail(req, &err);
		return false;
	}
	return true;
}

void api_procedures(http_request *req)
{
	store_procedure_row *rows;
	size_t n;
	if (!api_procedure_rows(req, &rows, &n))
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		/* Only the caller's organisations' procedures. */
		bool mine = false;
		for (size_t g = 0; g < req->who->user.n_grants; g++)
			mine |= strcmp(req->who->user.grants[g].org_code, rows[i].org) == 0;
		if (!mine)
			continue;
		json_array_append_new(list, json_pack("{ss si ss ss ss ss}", "code", rows[i].code,
			"version", rows[i].version, "org", rows[i].org, "route", rows[i].route,
			"name", rows[i].name, "installed_at", rows[i].installed_at));
	}
	http_json(req, 200, json_pack("{so}", "procedures", list));
}

/* The caller holds some role in the organisation with this code. */
static bool holds_role_in(const http_request *req, const char *org_code)
{
	for (size_t g = 0; g < req->who->user.n_grants; g++)
		if (strcmp(req->who->user.grants[g].org_code, org_code) == 0)
			return true;
	return false;
}

void api_procedure_get(http_request *req)
{
	const char *code = req->params[0];
	store_procedure_row *rows = NULL;
	size_t n = 0;
	fh_error err = {0};
	fh_status s = store_procedure_versions(req->st, code, req->arena, &rows, &n, &err);
	/* Another organisation's procedure answers as one that does not exist. */
	if (s == FH_ENOTFOUND || (!s && !holds_role_in(req, rows[0].org))) {
		http_error(req, 404, "not_found", "code", "no procedure %s", code);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	int version = 0;
	const char *v = http_query(req, "version");
	if (v) {
		char *end;
		long l = strtol(v, &end, 10);
		if (!*v || *end || l < 1 || l > 1000000) {
			http_error(req, 400, "invalid_parameter", "version",
				   "must be a whole number from 1 to 1000000");
			return;
		}
		version = (int)l;
	}
	fh_procedure *proc = NULL;
	s = store_procedure_get(req->st, code, version, &proc, &err);
	if (s == FH_ENOTFOUND) {
		http_error(req, 404, "not_found", "version", "procedure %s has no version %d", code,
			   version);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	json_t *versions = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(versions, json_pack("{si ss ss ss ss}", "version",
			rows[i].version, "name", rows[i].name, "route", rows[i].route, "installed_at",
			rows[i].installed_at, "installed_by", rows[i].installed_by));
	http_json(req, 200, json_pack("{ss ss ss ss si sO so}", "code", code, "org", rows[0].org,
				      "name", proc->name, "route", proc->route, "version",
				      proc->version, "definition", proc->doc, "versions", versions));
	procedure_free(proc);
}

/* 422 with every problem the procedure loader found, each with its path. */
static void refuse_procedure(http_request *req, const fh_error *err, const proc_problems *pp)
{
	http_fail(req, err);
	json_t *list = json_array();
	size_t shown = pp->count < 48 ? pp->count : 48;
	for (size_t i = 0; i < shown; i++)
		json_array_append_new(list, json_pack("{ss ss}", "path", pp->items[i].path,
						      "message", pp->items[i].message));
	json_t *e = json_object_get(req->out, "error");
	json_object_set_new(e, "problems", list);
	json_object_set_new(e, "problem_count", json_integer((json_int_t)pp->count));
}

void api_procedure_install(http_request *req)
{
	/* Checked in full first, so that every problem comes back at once. */
	proc_problems pp = {0};
	fh_procedure *proc = NULL;
	fh_error err = {0};
	if (procedure_parse(req->body, &proc, &pp, &err)) {
		refuse_procedure(req, &err, &pp);
		return;
	}
	char org[64], code[64];
	snprintf(org, sizeof org, "%s", proc->org);
	snprintf(code, sizeof code, "%s", proc->code);
	procedure_free(proc);
	if (!authz_org(req, org, AUTHZ_ADMINISTRATOR))
		return;
	int version = 0;
	bool changed = false;
	fh_status s = store_procedure_install(req->st, req->body, req->who->user.email, &version,
					      &changed, &pp, &err);
	if (s == FH_EINVAL) {
		refuse_procedure(req, &err, &pp);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	const char *href = arena_printf(req->arena, "/api/v1/procedures/%s?version=%d", code, version);
	if (changed)
		req->location = href;
	http_json(req, changed ? 201 : 200, json_pack("{ss ss si sb ss}", "code", code, "org", org,
						      "version", version, "changed", changed,
						      "href", href));
}
