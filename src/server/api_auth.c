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
#include "store_sso.h"
#include "store_totp.h"

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
static bool login_fields(http_request *req, const char **email, const char **password,
			 const char **code)
{
	const char *key;
	json_t *value;
	json_object_foreach(req->json, key, value) {
		if (strcmp(key, "email") != 0 && strcmp(key, "password") != 0 &&
		    strcmp(key, "code") != 0) {
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
	*code = json_string_value(json_object_get(req->json, "code"));
	if (*code && strlen(*code) > MODEL_SHORT_MAX) {
		http_error(req, 422, "invalid", "code", "is at most %d characters", MODEL_SHORT_MAX);
		return false;
	}
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
	const char *email, *password, *hash, *code;
	api_sign_in_mode mode;
	int64_t user_id, attempt_id;
	bool disabled;
	time_t now;
	api_sign_in_done done;
} sign_in_job;

fh_status api_session_start(http_request *req, int64_t user_id, const char *email,
			    bool enrol_only, time_t now, int64_t *session_id, fh_error *err)
{
	const server_config *cfg = server_config_of(req->srv);
	char token[STORE_TOKEN_TEXT_MAX];
	uint8_t digest[STORE_TOKEN_HASH_BYTES];
	*session_id = 0;
	store_token_new("fhs_", token, digest);
	fh_status s = store_session_create(req->st, user_id, email, digest, req->client_ip, now,
					   cfg->session_absolute_seconds, session_id, err);
	if (!s && enrol_only)
		s = store_session_enrol_only(req->st, *session_id, err);
	authz_principal *who = arena_alloc(req->arena, sizeof *who);
	if (!s)
		s = store_principal_get(req->st, user_id, req->arena, &who->user, err);
	if (s) {
		sodium_memzero(token, sizeof token);
		return s;
	}
	/* HttpOnly: page scripts cannot read it; SameSite=Strict: other sites
	 * cannot make the browser send it; Secure behind TLS. */
	http_set_cookie(req, arena_printf(req->arena,
		"fh_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", token,
		cfg->session_absolute_seconds, req->secure ? "; Secure" : ""));
	who->via = "session";
	who->session_id = *session_id;
	who->must_enrol = enrol_only;
	char *csrf = arena_alloc(req->arena, STORE_CSRF_TEXT_MAX);
	store_session_csrf(token, csrf);
	who->csrf = csrf;
	sodium_memzero(token, sizeof token);
	req->who = who;
	return FH_OK;
}

/*
 * Inside the caller's transaction: the claimed attempt a success, then a
 * session for user_id (api_session_start).
 */
static fh_status open_session(http_request *req, int64_t user_id, const char *email,
			      int64_t attempt_id, bool enrol_only, time_t now, fh_error *err)
{
	const server_config *cfg = server_config_of(req->srv);
	int64_t session_id = 0;
	fh_status s = store_login_settle(req->st, attempt_id, email, req->client_ip, user_id, true,
					 now, &cfg->login, err);
	if (!s)
		s = api_session_start(req, user_id, email, enrol_only, now, &session_id, err);
	return s;
}

/*
 * Inside the caller's transaction: a challenge for user_id (a right
 * password waiting for its code) and its cookie, which only the sign-in
 * pages are sent.
 */
static fh_status open_challenge(http_request *req, int64_t user_id, time_t now, fh_error *err)
{
	char token[STORE_TOKEN_TEXT_MAX];
	uint8_t digest[STORE_TOKEN_HASH_BYTES];
	store_token_new("fhc_", token, digest);
	fh_status s = store_challenge_create(req->st, user_id, digest, req->client_ip, now, err);
	if (!s)
		http_set_cookie(req, arena_printf(req->arena,
			API_CHALLENGE_COOKIE "=%s; Path=/staff/login; Max-Age=%d; HttpOnly; "
			"SameSite=Strict%s", token, STORE_CHALLENGE_SECONDS,
			req->secure ? "; Secure" : ""));
	sodium_memzero(token, sizeof token);
	return s;
}

/*
 * After a right password, in the write lock: what the user's second factor
 * asks for.  Commits or rolls back its own transaction; *result says what
 * happened when it returns FH_OK.
 */
static fh_status after_password(http_request *req, sign_in_job *j, api_sign_in_result *result,
				fh_error *err)
{
	const server_config *cfg = server_config_of(req->srv);
	store_totp_state tf;
	bool required = false, password_on = true;
	fh_status s = store_begin(req->st, err);
	if (s)
		return s;
	/* An organisation that signs its staff in through its provider (docs/sso.md). */
	s = store_sso_password_allowed(req->st, j->user_id, &password_on, err);
	if (!s && !password_on) {
		*result = API_SIGN_IN_SSO_ONLY;
		s = store_login_set_aside(req->st, j->attempt_id, err);
		if (!s)
			return store_commit(req->st, err);
		store_rollback(req->st);
		return s;
	}
	s = store_totp_get(req->st, j->user_id, &tf, err);
	sodium_memzero(tf.secret, sizeof tf.secret);
	if (!s)
		s = store_second_factor_required(req->st, j->user_id, &required, err);
	*result = API_SIGN_IN_OK;
	if (!s && tf.enrolled && j->mode == API_SIGN_IN_PAGE) {
		s = store_login_set_aside(req->st, j->attempt_id, err);
		if (!s)
			s = open_challenge(req, j->user_id, j->now, err);
		*result = API_SIGN_IN_CODE_NEEDED;
	} else if (!s && tf.enrolled && (!j->code || !*j->code)) {
		s = store_login_set_aside(req->st, j->attempt_id, err);
		*result = API_SIGN_IN_CODE_NEEDED;
	} else if (!s && tf.enrolled) {
		bool recovery;
		s = store_totp_verify(req->st, j->user_id, j->email, j->code, j->now, &recovery, err);
		if (s == FH_EINVAL) {
			/* A wrong code counts as a wrong password does. */
			store_rollback(req->st);
			*result = API_SIGN_IN_WRONG;
			return store_login_settle(req->st, j->attempt_id, j->email, req->client_ip,
						  j->user_id, false, j->now, &cfg->login, err);
		}
		if (!s)
			s = open_session(req, j->user_id, j->email, j->attempt_id, false, j->now, err);
	} else if (!s && required && j->mode == API_SIGN_IN_JSON) {
		s = store_login_set_aside(req->st, j->attempt_id, err);
		*result = API_SIGN_IN_ENROL_NEEDED;
	} else if (!s) {
		s = open_session(req, j->user_id, j->email, j->attempt_id, required, j->now, err);
	}
	if (!s)
		return store_commit(req->st, err);
	store_rollback(req->st);
	req->who = NULL;
	return s;
}

/* On a pool thread: the password check, then the attempt settled. */
static void sign_in_check(http_request *req, void *ctx)
{
	sign_in_job *j = ctx;
	const server_config *cfg = server_config_of(req->srv);
	pthread_once(&dummy_once, make_dummy_hash);
	bool ok = store_password_verify(j->hash ? j->hash : dummy_hash, j->password) && j->hash &&
		  !j->disabled;

	fh_error err = {0};
	fh_status s;
	api_sign_in_result result = API_SIGN_IN_WRONG;
	server_write_begin(req->srv);
	if (!ok)
		s = store_login_settle(req->st, j->attempt_id, j->email, req->client_ip, j->user_id,
				       false, j->now, &cfg->login, &err);
	else
		s = after_password(req, j, &result, &err);
	server_write_end(req->srv);
	if (s) {
		http_fail(req, &err);
		j->done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	j->done(req, result, 0);
}

/*
 * Claims an attempt for email from the caller's address in the write lock:
 * true when it may be checked (*attempt_id), else answered by done.
 */
static bool claim(http_request *req, const char *email, time_t now, int64_t *attempt_id,
		  api_sign_in_done done)
{
	const server_config *cfg = server_config_of(req->srv);
	fh_error err = {0};
	store_login_verdict verdict;
	int retry_after = 0;
	server_write_begin(req->srv);
	fh_status s = store_login_claim(req->st, email, req->client_ip, now, &cfg->login, &verdict,
					&retry_after, attempt_id, &err);
	server_write_end(req->srv);
	if (s) {
		http_fail(req, &err);
		done(req, API_SIGN_IN_FAILED, 0);
		return false;
	}
	/* Inside its wait, an attempt is answered at once, its password unread. */
	if (verdict != STORE_LOGIN_ALLOWED) {
		done(req, verdict == STORE_LOGIN_SLOWED ? API_SIGN_IN_SLOWED : API_SIGN_IN_THROTTLED,
		     retry_after);
		return false;
	}
	return true;
}

void api_sign_in(http_request *req, const char *email, const char *password, const char *code,
		 api_sign_in_mode mode, api_sign_in_done done)
{
	/* A place in the password checks' queue first: when there is none the
	 * answer is at once (503), and no attempt has been counted. */
	if (!server_offload_begin(req)) {
		done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	sign_in_job *j = arena_alloc(req->arena, sizeof *j);
	j->email = arena_strdup(req->arena, email);
	j->password = arena_strdup(req->arena, password);
	j->code = code ? arena_strdup(req->arena, code) : NULL;
	j->mode = mode;
	j->now = time(NULL);
	j->done = done;
	if (!claim(req, email, j->now, &j->attempt_id, done))
		return;
	fh_error err = {0};
	fh_status s = store_user_credentials(req->st, email, req->arena, &j->user_id, &j->hash,
					     &j->disabled, &err);
	if (s && s != FH_ENOTFOUND) {
		http_fail(req, &err);
		done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	server_offload(req, sign_in_check, j);
}

void api_sign_in_code(http_request *req, const char *challenge, const char *code,
		      api_sign_in_done done)
{
	const server_config *cfg = server_config_of(req->srv);
	time_t now = time(NULL);
	uint8_t digest[STORE_TOKEN_HASH_BYTES];
	int64_t challenge_id = 0, user_id = 0, attempt_id = 0;
	store_principal user;
	fh_error err = {0};
	store_token_hash(challenge ? challenge : "", digest);
	fh_status s = store_challenge_resolve(req->st, digest, now, &challenge_id, &user_id, &err);
	if (s == FH_ENOTFOUND) {
		done(req, API_SIGN_IN_EXPIRED, 0);
		return;
	}
	if (!s)
		s = store_principal_get(req->st, user_id, req->arena, &user, &err);
	if (s) {
		http_fail(req, &err);
		done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	if (!claim(req, user.email, now, &attempt_id, done))
		return;
	api_sign_in_result result = API_SIGN_IN_OK;
	bool recovery;
	server_write_begin(req->srv);
	s = store_begin(req->st, &err);
	if (!s)
		s = store_totp_verify(req->st, user_id, user.email, code, now, &recovery, &err);
	if (s == FH_EINVAL) {
		store_rollback(req->st);
		result = API_SIGN_IN_WRONG;
		s = store_login_settle(req->st, attempt_id, user.email, req->client_ip, user_id, false,
				       now, &cfg->login, &err);
	} else {
		if (!s)
			s = store_challenge_end(req->st, challenge_id, now, &err);
		if (!s)
			s = open_session(req, user_id, user.email, attempt_id, false, now, &err);
		if (!s)
			s = store_commit(req->st, &err);
		else
			store_rollback(req->st);
	}
	server_write_end(req->srv);
	if (s == FH_ENOTFOUND) {
		/* The challenge was used by another request in the meantime. */
		req->who = NULL;
		done(req, API_SIGN_IN_EXPIRED, 0);
		return;
	}
	if (s) {
		req->who = NULL;
		http_fail(req, &err);
		done(req, API_SIGN_IN_FAILED, 0);
		return;
	}
	done(req, result, 0);
}

static void login_done(http_request *req, api_sign_in_result result, int retry_after)
{
	switch (result) {
	case API_SIGN_IN_OK:
		http_json(req, 200, json_pack("{so}", "user", api_me_json(req->who)));
		return;
	case API_SIGN_IN_WRONG:
		http_error(req, 401, "invalid_credentials", NULL,
			   "the email, password or code is not right");
		return;
	case API_SIGN_IN_CODE_NEEDED:
	case API_SIGN_IN_EXPIRED:
		http_error(req, 401, "second_factor_required", "code",
			   "send the 6-digit code of your authenticator app (or a recovery code) "
			   "as \"code\" with your email and password");
		return;
	case API_SIGN_IN_SSO_ONLY:
		http_error(req, 403, "password_sign_in_off", NULL,
			   "your organisation signs its staff in through its identity provider: "
			   "sign in on the staff pages (/staff/login) with its button");
		return;
	case API_SIGN_IN_ENROL_NEEDED:
		http_error(req, 403, "second_factor_enrolment_required", NULL,
			   "your organisation requires a second factor: sign in on the staff "
			   "pages (/staff/login) to set one up first");
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
	const char *email, *password, *code;
	if (!login_fields(req, &email, &password, &code))
		return;
	api_sign_in(req, email, password, code, API_SIGN_IN_JSON, login_done);
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
