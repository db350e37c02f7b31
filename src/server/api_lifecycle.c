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

#include <string.h>

#include "authz.h"
#include "lifecycle.h"
#include "store_lifecycle.h"

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
	unsigned held = authz_roles_in(req->who, req->case_org_id);
	if (!(held & (AUTHZ_COMPLAINTS_TEAM | AUTHZ_ADJUDICATING_OFFICER)))
		json_object_set_new(result, "state",
				    lifecycle_public_view(json_object_get(result, "state")));
	http_json(req, 200, result);
}

void api_case_lifecycle(http_request *req)
{
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	/* The confidential addendum and mediation notes: only the complaints
	 * team and the adjudicator (issue 5 §4; 001 B Stage 2; 001 §15.3). */
	unsigned held = authz_roles_in(req->who, req->case_org_id);
	bool public_only = !(held & (AUTHZ_COMPLAINTS_TEAM | AUTHZ_ADJUDICATING_OFFICER));
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
	size_t n = 0;
	const lifecycle_action_info *actions = lifecycle_actions(&n);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{ss ss ss}", "name", actions[i].name,
						      "summary", actions[i].summary, "params",
						      actions[i].params ? actions[i].params : ""));
	http_json(req, 200, json_pack("{so}", "actions", list));
}

void api_procedures(http_request *req)
{
	store_procedure_row *rows = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_procedure_list(req->st, req->arena, &rows, &n, &err)) {
		http_fail(req, &err);
		return;
	}
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
