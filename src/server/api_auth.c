/*
 * api_auth.c: signing in and out, and who am I.
 *
 * A failed sign-in says only that the email or password is wrong, the same
 * for an unknown email, a wrong password and a disabled account, and takes
 * as long in each case (an unknown email is checked against a dummy hash),
 * so the answer does not tell a guesser which accounts exist.
 *
 * The password check runs on the server's pool of password threads
 * (server_offload), never on a worker: the worker claims the attempt
 * (store_login_claim, which answers a guesser inside their wait at once)
 * and goes back to serving other connections.
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
	/* A session's writes carry this as X-CSRF-Token (docs/api.md). */
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

/* What the pool thread needs of a sign-in whose attempt has been claimed. */
typedef struct sign_in_job {
	const char *email, *password, *hash;
	int64_t user_id, attempt_id;
	bool disabled;
	time_t now;
	api_sign_in_done done;
} sign_in_job;

/* On a pool thread: the password check, then the attempt settled. */
static void sign_in_check(http_request *req, void *ctx)
{
	sign_in_job *j = ctx;
	const server_config *cfg = server_config_of(req->srv);
	pthread_once(&dummy_once, make_dummy_hash);
	bool ok = store_password_verify(j->hash ? j->hash : dummy_hash, j->password) && j->hash &&
		  !j->disabled;

	char token[STORE_TOKEN_TEXT_MAX];
	uint8_t digest[STORE_TOKEN_HASH_BYTES];
	fh_error err = {0};
	fh_status s;
	server_write_begin(req->srv);
	if (!ok) {
		s = store_login_settle(req->st, j->attempt_id, j->email, req->client_ip, j->user_id,
				       false, j->now, &cfg->login, &err);
	} else {
		store_token_new("fhs_", token, digest);
		s = store_begin(req->st, &err);
		if (!s)
			s = store_login_settle(req->st, j->attempt_id, j->email, req->client_ip,
					       j->user_id, true, j->now, &cfg->login, &err);
		if (!s)
			s = store_session_create(req->st, j->user_id, j->email, digest, req->client_ip,
						 j->now, cfg->session_absolute_seconds, NULL, &err);
		if (!s)
			s = store_commit(req->st, &err);
		else
			store_rollback(req->st);
	}
	server_write_end(req->srv);
	if (s) {
		http_fail(req, &err);
		j->done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	if (!ok) {
		j->done(req, API_SIGN_IN_WRONG, 0);
		return;
	}
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
	if (store_principal_get(req->st, j->user_id, req->arena, &who->user, &err)) {
		http_fail(req, &err);
		j->done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	req->who = who;
	j->done(req, API_SIGN_IN_OK, 0);
}

void api_sign_in(http_request *req, const char *email, const char *password,
		 api_sign_in_done done)
{
	const server_config *cfg = server_config_of(req->srv);
	/* A place in the password checks' queue first: when there is none the
	 * answer is at once (503), and no attempt has been counted. */
	if (!server_offload_begin(req)) {
		done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	sign_in_job *j = arena_alloc(req->arena, sizeof *j);
	j->email = arena_strdup(req->arena, email);
	j->password = arena_strdup(req->arena, password);
	j->now = time(NULL);
	j->done = done;
	fh_error err = {0};
	store_login_verdict verdict;
	int retry_after = 0;
	server_write_begin(req->srv);
	fh_status s = store_login_claim(req->st, email, req->client_ip, j->now, &cfg->login,
					&verdict, &retry_after, &j->attempt_id, &err);
	server_write_end(req->srv);
	if (s) {
		http_fail(req, &err);
		done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	/* Inside its wait, an attempt is answered at once, its password unread. */
	if (verdict != STORE_LOGIN_ALLOWED) {
		done(req, verdict == STORE_LOGIN_SLOWED ? API_SIGN_IN_SLOWED : API_SIGN_IN_THROTTLED,
		     retry_after);
		return;
	}
	s = store_user_credentials(req->st, email, req->arena, &j->user_id, &j->hash, &j->disabled,
				   &err);
	if (s && s != FH_ENOTFOUND) {
		http_fail(req, &err);
		done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	server_offload(req, sign_in_check, j);
}

static void login_done(http_request *req, api_sign_in_result result, int retry_after)
{
	switch (result) {
	case API_SIGN_IN_OK:
		http_json(req, 200, json_pack("{so}", "user", api_me_json(req->who)));
		return;
	case API_SIGN_IN_WRONG:
		http_error(req, 401, "invalid_credentials", NULL,
			   "the email or password is not right");
		return;
	case API_SIGN_IN_SLOWED:
		req->retry_after = retry_after;
		http_error(req, 429, "too_many_attempts", NULL,
			   "too many failed sign-ins to this account from this address; try again "
			   "in %d seconds", retry_after);
		return;
	case API_SIGN_IN_THROTTLED:
		req->retry_after = retry_after;
		http_error(req, 429, "too_many_attempts", NULL,
			   "too many failed sign-ins from this address; try again in %d seconds",
			   retry_after);
		return;
	case API_SIGN_IN_FAILED:
		return;
	}
}

void api_login(http_request *req)
{
	const char *email, *password;
	if (!login_fields(req, &email, &password))
		return;
	api_sign_in(req, email, password, login_done);
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
