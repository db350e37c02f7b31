/*
 * api_orgs.c: organisations, their teams and their staff, as far as the
 * caller may see them: only organisations they hold a role in.
 */
#include "api.h"

#include <string.h>

#include <sodium.h>

#include "authz.h"
#include "store_totp.h"

void api_orgs(http_request *req)
{
	fh_org *orgs = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_org_list(req->st, req->arena, &orgs, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		unsigned held = authz_roles_in(req->who, orgs[i].id);
		if (!held)
			continue; /* another tenant: not even its name */
		json_t *roles = json_array();
		for (unsigned r = 0; MODEL_USER_ROLES[r]; r++)
			if (held & (1u << r))
				json_array_append_new(roles, json_string(MODEL_USER_ROLES[r]));
		json_array_append_new(list, json_pack("{ss ss ss ss ss ss ss so}",
			"code", orgs[i].code, "name", orgs[i].name, "ref_prefix", orgs[i].ref_prefix,
			"address", orgs[i].address, "region", orgs[i].region, "advocacy_service",
			orgs[i].advocacy_service, "ombudsman", orgs[i].ombudsman, "your_roles", roles));
	}
	http_json(req, 200, json_pack("{so}", "orgs", list));
}

void api_org_teams(http_request *req)
{
	fh_team *teams = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_team_list(req->st, req->params[0], req->arena, &teams, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{ss ss so so}", "name", teams[i].name,
			"level", teams[i].level,
			"parent", teams[i].parent ? json_string(teams[i].parent) : json_null(),
			"head", teams[i].head_email ? json_string(teams[i].head_email) : json_null()));
	http_json(req, 200, json_pack("{ss so}", "org", req->params[0], "teams", list));
}

void api_org_users(http_request *req)
{
	fh_user *users = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_user_list(req->st, req->params[0], req->arena, &users, &n, &err)) {
		http_fail(req, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *roles = json_array();
		for (size_t r = 0; r < users[i].n_roles; r++) {
			const fh_user_role *g = &users[i].roles[r];
			/* Only this organisation's roles: a user's work elsewhere is
			 * another tenant's business. */
			if (strcmp(g->org_code, req->params[0]) != 0)
				continue;
			json_array_append_new(roles, json_pack("{ss so}", "role", g->role, "team",
				g->team && *g->team ? json_string(g->team) : json_null()));
		}
		bool independent = false; /* of this organisation */
		for (size_t k = 0; k < users[i].n_independent_of; k++)
			independent |= !strcmp(users[i].independent_of[k], req->params[0]);
		/* whether they have a second factor on, never its key */
		store_totp_state tf;
		if (store_totp_get(req->st, users[i].id, &tf, &err))
			tf.enrolled = false;
		sodium_memzero(tf.secret, sizeof tf.secret);
		json_array_append_new(list, json_pack("{ss ss sb sb sb sb so}", "email", users[i].email,
			"display_name", users[i].display_name, "external", users[i].external,
			"disabled", users[i].disabled, "independent", independent, "second_factor",
			tf.enrolled, "roles", roles));
	}
	http_json(req, 200, json_pack("{ss so}", "org", req->params[0], "users", list));
}
