/*
 * api_auth.c: signing in and out, and who am I.
 *
 * A failed sign-in says only that the email or password is wrong, the same
 * for an unknown email, a wrong password and a disabled account, and takes
 * as long in each case (an unknown email is checked against a dummy hash),
 * so the answer does not tell a guesser which accounts exist.
 */
#include "api.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "authz.h"
#include "server.h"
#include "store_auth.h"

static char dummy_hash[STORE_PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	char random[STORE_TOKEN_TEXT_MAX];
	uint8_t unused[STORE_TOKEN_HASH_BYTES];
	store_token_new("", random, unused);
	if (store_password_hash(random, dummy_hash, NULL))
		dummy_hash[0] = '\0';
}

json_t *api_me_json(const authz_principal *who)
{
	json_t *roles = json_array();
	for (size_t i = 0; i < who->user.n_grants; i++) {
		const store_grant *g = &who->user.grants[i];
		json_array_append_new(roles, json_pack("{ss ss so}", "org", g->org_code, "role",
						       g->role, "team",
						       g->team ? json_string(g->team) : json_null()));
	}
	json_t *me = json_pack("{ss ss sb ss so}", "email", who->user.email, "display_name",
			       who->user.display_name, "external", who->user.external, "auth",
			       who->via, "roles", roles);
	/* A session's writes carry this as X-CSRF-Token (docs/api.md, issue 16 item 5). */
	if (who->csrf)
		json_object_set_new(me, "csrf_token", json_string(who->csrf));
	return me;
}

/* Only these keys, each a string: a typo must not pass silently. */
static bool login_fields(http_request *req, const char **email, const char **password)
{
	const char *key;
	json_t *value;
	json_object_foreach(req->json, key, value) {
		if (strcmp(key, "email") != 0 && strcmp(key, "password") != 0) {
			http_error(req, 422, "invalid", key, "is not a known field");
			return false;
		}
		if (!json_is_string(value)) {
			http_error(req, 422, "invalid", key, "must be a string");
			return false;
		}
	}
	*email = json_string_value(json_object_get(req->json, "email"));
	*password = json_string_value(json_object_get(req->json, "password"));
	if (!*email || !**email || strlen(*email) > MODEL_SHORT_MAX) {
		http_error(req, 422, "invalid", "email", "is required (at most %d characters)",
			   MODEL_SHORT_MAX);
		return false;
	}
	if (!*password || !**password || strlen(*password) > STORE_PASSWORD_MAX) {
		http_error(req, 422, "invalid", "password", "is required (at most %d characters)",
			   STORE_PASSWORD_MAX);
		return false;
	}
	return true;
}

api_sign_in_result api_sign_in(http_request *req, const char *email, const char *password,
			       int *retry_after)
{
	const server_config *cfg = server_config_of(req->srv);
	time_t now = time(NULL);
	fh_error err = {0};
	store_login_verdict verdict;
	*retry_after = 0;
	if (store_login_check(req->st, email, req->client_ip, now, &cfg->login, &verdict,
			      retry_after, &err)) {
		http_fail(req, &err);
		return API_SIGN_IN_FAILED;
	}
	if (verdict != STORE_LOGIN_ALLOWED)
		return verdict == STORE_LOGIN_LOCKED ? API_SIGN_IN_LOCKED : API_SIGN_IN_THROTTLED;

	int64_t user_id = 0;
	const char *hash = NULL;
	bool disabled = false;
	fh_status s = store_user_credentials(req->st, email, req->arena, &user_id, &hash,
					     &disabled, &err);
	if (s && s != FH_ENOTFOUND) {
		http_fail(req, &err);
		return API_SIGN_IN_FAILED;
	}
	pthread_once(&dummy_once, make_dummy_hash);
	server_password_begin(req->srv);
	bool ok = store_password_verify(hash ? hash : dummy_hash, password) && hash && !disabled;
	server_password_end(req->srv);

	char token[STORE_TOKEN_TEXT_MAX];
	uint8_t digest[STORE_TOKEN_HASH_BYTES];
	server_write_begin(req->srv);
	if (!ok) {
		s = store_login_record(req->st, email, req->client_ip, user_id, false, now,
				       &cfg->login, &err);
	} else {
		store_token_new("fhs_", token, digest);
		s = store_begin(req->st, &err);
		if (!s)
			s = store_login_record(req->st, email, req->client_ip, user_id, true, now,
					       &cfg->login, &err);
		if (!s)
			s = store_session_create(req->st, user_id, email, digest, req->client_ip, now,
						 cfg->session_absolute_seconds, NULL, &err);
		if (!s)
			s = store_commit(req->st, &err);
		else
			store_rollback(req->st);
	}
	server_write_end(req->srv);
	if (s) {
		http_fail(req, &err);
		return API_SIGN_IN_FAILED;
	}
	if (!ok)
		return API_SIGN_IN_WRONG;
	/* HttpOnly: page scripts cannot read it; SameSite=Strict: other sites
	 * cannot make the browser send it; Secure behind TLS. */
	req->set_cookie = arena_printf(req->arena,
		"fh_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", token,
		cfg->session_absolute_seconds, req->secure ? "; Secure" : "");
	authz_principal *who = arena_alloc(req->arena, sizeof *who);
	who->via = "session";
	char *csrf = arena_alloc(req->arena, STORE_CSRF_TEXT_MAX);
	store_session_csrf(token, csrf);
	who->csrf = csrf;
	sodium_memzero(token, sizeof token);
	if (store_principal_get(req->st, user_id, req->arena, &who->user, &err)) {
		http_fail(req, &err);
		return API_SIGN_IN_FAILED;
	}
	req->who = who;
	return API_SIGN_IN_OK;
}

void api_login(http_request *req)
{
	const char *email, *password;
	if (!login_fields(req, &email, &password))
		return;
	int retry_after = 0;
	switch (api_sign_in(req, email, password, &retry_after)) {
	case API_SIGN_IN_OK:
		http_json(req, 200, json_pack("{so}", "user", api_me_json(req->who)));
		return;
	case API_SIGN_IN_WRONG:
		http_error(req, 401, "invalid_credentials", NULL,
			   "the email or password is not right");
		return;
	case API_SIGN_IN_LOCKED:
		req->retry_after = retry_after;
		http_error(req, 429, "too_many_attempts", NULL,
			   "this account is locked after too many failed sign-ins; try again in %d "
			   "seconds", retry_after);
		return;
	case API_SIGN_IN_THROTTLED:
		req->retry_after = retry_after;
		http_error(req, 429, "too_many_attempts", NULL,
			   "too many sign-in attempts from this address; try again in %d seconds",
			   retry_after);
		return;
	case API_SIGN_IN_FAILED:
		return;
	}
}

void api_logout(http_request *req)
{
	if (!req->who->session_id) {
		http_error(req, 400, "not_a_session", NULL,
			   "signed in with an API token: there is no session to end");
		return;
	}
	fh_error err = {0};
	if (store_session_end(req->st, req->who->session_id, req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	req->set_cookie = arena_printf(req->arena,
		"fh_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
		req->secure ? "; Secure" : "");
	http_json(req, 204, NULL);
}

void api_me(http_request *req)
{
	http_json(req, 200, api_me_json(req->who));
}
