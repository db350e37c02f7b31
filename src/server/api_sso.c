/*
 * api_sso.c: an organisation's single sign-on provider over the API
 * (docs/sso.md, docs/api.md), for its administrators:
 *
 *   GET    /api/v1/orgs/{org}/sso   the settings (the secret's source as a kind only)
 *   POST   /api/v1/orgs/{org}/sso   sets them (all of them: a replacement)
 *   DELETE /api/v1/orgs/{org}/sso   removes them
 *
 * The client secret itself never travels: "client_secret_file" or
 * "client_secret_env" names where the server reads it.
 */
#include "api.h"

#include <string.h>

#include "api_body.h"
#include "authz.h"
#include "store_sso.h"

void api_org_sso_get(http_request *req)
{
	store_sso_provider p;
	fh_error err = {0};
	if (store_sso_get(req->st, req->params[0], req->arena, &p, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, 200, store_sso_json(&p));
}

void api_org_sso_set(http_request *req)
{
	static const char *const fields[] = {
		"issuer", "client_id", "client_secret_file", "client_secret_env", "allowed_domains",
		"label", "password_sign_in", "create_users", "match_claim", NULL};
	if (json_object_get(req->json, "client_secret")) {
		http_error(req, 422, "invalid", "client_secret", "is never sent: give "
			   "client_secret_file or client_secret_env, where the server reads it");
		return;
	}
	if (!api_body_fields(req, fields))
		return;
	store_sso_provider p = {0};
	const char *file = NULL, *env = NULL;
	if (!api_body_text(req, "issuer", true, STORE_SSO_TEXT_MAX, &p.issuer) ||
	    !api_body_text(req, "client_id", true, STORE_SSO_TEXT_MAX, &p.client_id) ||
	    !api_body_text(req, "client_secret_file", false, STORE_SSO_TEXT_MAX, &file) ||
	    !api_body_text(req, "client_secret_env", false, 200, &env) ||
	    !api_body_text(req, "allowed_domains", false, STORE_SSO_TEXT_MAX, &p.allowed_domains) ||
	    !api_body_text(req, "label", true, STORE_SSO_LABEL_MAX, &p.label) ||
	    !api_body_bool(req, "password_sign_in", STORE_SSO_DEFAULT_PASSWORD_SIGN_IN,
			   &p.password_sign_in) ||
	    !api_body_bool(req, "create_users", STORE_SSO_DEFAULT_CREATE_USERS, &p.create_users) ||
	    !api_body_text(req, "match_claim", false, 40, &p.match_claim))
		return;
	if (!file == !env) {
		http_error(req, 422, "invalid", "client_secret_file",
			   "give exactly one of client_secret_file and client_secret_env");
		return;
	}
	p.secret_source = file ? arena_printf(req->arena, "file:%s", file)
			       : arena_printf(req->arena, "env:%s", env);
	if (!p.allowed_domains)
		p.allowed_domains = "";
	fh_error err = {0};
	if (store_sso_set(req->st, req->params[0], &p, req->who->user.email, &err) ||
	    store_sso_get(req->st, req->params[0], req->arena, &p, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, 200, store_sso_json(&p));
}

void api_org_sso_delete(http_request *req)
{
	fh_error err = {0};
	if (store_sso_remove(req->st, req->params[0], req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, 204, NULL);
}
