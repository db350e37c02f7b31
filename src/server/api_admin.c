/*
 * api_admin.c: an organisation's administrators manage its staff and teams
 * over HTTP (docs/api.md "Users and teams"), as `fairhearing user ...` does
 * on the server's command line.
 *
 * Accounts are installation-wide (one email, one account) while roles are
 * held per organisation, so an administrator acts only on accounts that hold
 * a role in their organisation (404 for any other, worded as for an account
 * that does not exist), and changes the account as a whole (disabling it,
 * setting its password) only when they administer every organisation it
 * works for (403 otherwise): one tenant must not lock a person out of
 * another's work.
 *
 * A password is hashed (argon2id, about 0.1 s and 64 MiB) before the write
 * lock is taken, on the worker, so those routes commit in a transaction of
 * their own rather than in the writer's batch; the other changes go through
 * the batch like every other write.  A password is never echoed, logged or
 * put in an event.
 */
#include "api.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "authz.h"
#include "server.h"
#include "store_auth.h"
#include "store_totp.h"

/* Refuses (422, naming it) any member of req->json not in allowed. */
static bool known_fields(http_request *req, const json_t *obj, const char *prefix,
			 const char *const *allowed)
{
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)obj, key, value) {
		(void)value;
		bool ok = false;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = strcmp(allowed[i], key) == 0;
		if (!ok) {
			http_error(req, 422, "invalid", arena_printf(req->arena, "%s%s", prefix, key),
				   "is not a known field");
			return false;
		}
	}
	return true;
}

/* A string member: required or not, at most max bytes; NULL when absent. */
static bool text_field(http_request *req, const json_t *obj, const char *prefix,
		       const char *name, bool required, size_t max, const char **out)
{
	json_t *v = json_object_get(obj, name);
	*out = NULL;
	const char *field = arena_printf(req->arena, "%s%s", prefix, name);
	if (!v || json_is_null(v)) {
		if (required)
			http_error(req, 422, "invalid", field, "is required");
		return !required;
	}
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max) {
		http_error(req, 422, "invalid", field, "must be text of 1 to %zu characters", max);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

/* Hashes a password from the body (never echoed); false with a 422. */
static bool hash_password(http_request *req, const char *password,
			  char hash[STORE_PASSWORD_HASH_MAX])
{
	if (strlen(password) < STORE_PASSWORD_MIN || strlen(password) > STORE_PASSWORD_MAX) {
		http_error(req, 422, "invalid", "password", "must be %d to %d characters",
			   STORE_PASSWORD_MIN, STORE_PASSWORD_MAX);
		return false;
	}
	fh_error err = {0};
	server_password_begin(req->srv);
	fh_status s = store_password_hash(password, hash, &err);
	server_password_end(req->srv);
	if (s) {
		http_fail(req, &err);
		return false;
	}
	return true;
}

/* A user as an administrator of req->params[0] sees them: only this organisation's roles. */
static json_t *user_json(const http_request *req, const store_principal *u)
{
	json_t *roles = json_array();
	for (size_t i = 0; i < u->n_grants; i++) {
		const store_grant *g = &u->grants[i];
		if (g->org_id != req->org_id)
			continue;
		json_array_append_new(roles, json_pack("{ss so}", "role", g->role, "team",
			g->team && *g->team ? json_string(g->team) : json_null()));
	}
	/* marked independent of this organisation */
	bool independent = false;
	fh_error err = {0};
	if (store_user_is_independent(req->st, u->email, req->params[0], &independent, &err))
		independent = false;
	/* whether they have a second factor on: never its key */
	store_totp_state tf;
	if (store_totp_get(req->st, u->user_id, &tf, &err))
		tf.enrolled = false;
	sodium_memzero(tf.secret, sizeof tf.secret);
	return json_pack("{ss ss sb sb sb sb so}", "email", u->email, "display_name",
			 u->display_name, "external", u->external, "disabled", u->disabled,
			 "independent", independent, "second_factor", tf.enrolled, "roles", roles);
}

/*
 * The account named by req->params[1], if it holds a role in this
 * organisation (404 otherwise).  With whole, the caller must administer
 * every organisation the account holds a role in (403 otherwise).
 */
fh_status api_user_create_end(http_request *req, const char *email, const char *org,
			      bool independent, fh_status s, char hash[STORE_PASSWORD_HASH_MAX],
			      fh_error *err)
{
	if (!s && independent)
		s = store_user_set_independent(req->st, email, org, true, req->who->user.email, err);
	if (!s)
		s = store_commit(req->st, err);
	else
		store_rollback(req->st);
	server_write_end(req->srv);
	sodium_memzero(hash, STORE_PASSWORD_HASH_MAX);
	return s;
}

static bool target_user(http_request *req, bool whole, store_principal *out)
{
	const char *email = req->params[1];
	int64_t uid = 0;
	const char *hash = NULL;
	bool disabled = false;
	fh_error err = {0};
	fh_status s = store_user_credentials(req->st, email, req->arena, &uid, &hash, &disabled,
					     &err);
	if (!s)
		s = store_principal_get(req->st, uid, req->arena, out, &err);
	bool here = false;
	for (size_t i = 0; !s && i < out->n_grants; i++)
		here |= out->grants[i].org_id == req->org_id;
	if (s == FH_ENOTFOUND || (!s && !here)) {
		http_error(req, 404, "not_found", "email", "no user %s in this organisation", email);
		return false;
	}
	if (s) {
		http_fail(req, &err);
		return false;
	}
	for (size_t i = 0; whole && i < out->n_grants; i++) {
		if (!(authz_roles_in(req->who, out->grants[i].org_id) & AUTHZ_ADMINISTRATOR)) {
			http_error(req, 403, "forbidden", "email",
				   "%s also works for an organisation you do not administer: an "
				   "administrator of every organisation they work for (or `fairhearing "
				   "user` on the server) must do this", email);
			return false;
		}
	}
	return true;
}

/* Answers with the account as it now is. */
static void answer_user(http_request *req, int status, const char *email)
{
	store_principal u;
	int64_t uid = 0;
	const char *hash = NULL;
	bool disabled = false;
	fh_error err = {0};
	if (store_user_credentials(req->st, email, req->arena, &uid, &hash, &disabled, &err) ||
	    store_principal_get(req->st, uid, req->arena, &u, &err)) {
		http_fail(req, &err);
		return;
	}
	req->location = arena_printf(req->arena, "/api/v1/orgs/%s/users/%s", req->params[0], email);
	http_json(req, status, user_json(req, &u));
}

/* POST /api/v1/orgs/{org}/users */
void api_org_user_create(http_request *req)
{
	static const char *const fields[] = {"email", "display_name", "external", "independent",
					     "password", "roles", NULL};
	static const char *const role_fields[] = {"role", "team", NULL};
	const char *email, *name, *password;
	if (!known_fields(req, req->json, "", fields) ||
	    !text_field(req, req->json, "", "email", true, MODEL_SHORT_MAX, &email) ||
	    !text_field(req, req->json, "", "display_name", true, MODEL_SHORT_MAX, &name) ||
	    !text_field(req, req->json, "", "password", false, STORE_PASSWORD_MAX, &password))
		return;
	json_t *external = json_object_get(req->json, "external");
	if (external && !json_is_boolean(external)) {
		http_error(req, 422, "invalid", "external", "must be true or false");
		return;
	}
	json_t *independent = json_object_get(req->json, "independent");
	if (independent && !json_is_boolean(independent)) {
		http_error(req, 422, "invalid", "independent", "must be true or false");
		return;
	}
	json_t *roles = json_object_get(req->json, "roles");
	if (!json_is_array(roles) || json_array_size(roles) == 0 || json_array_size(roles) > 20) {
		http_error(req, 422, "invalid", "roles",
			   "is required: a list of 1 to 20 {\"role\", \"team\"} in this organisation");
		return;
	}
	size_t i;
	json_t *r;
	json_array_foreach(roles, i, r) {
		const char *prefix = arena_printf(req->arena, "roles[%zu].", i);
		const char *role, *team;
		if (!json_is_object(r)) {
			http_error(req, 422, "invalid", arena_printf(req->arena, "roles[%zu]", i),
				   "must be an object {\"role\", \"team\"}");
			return;
		}
		if (!known_fields(req, r, prefix, role_fields) ||
		    !text_field(req, r, prefix, "role", true, 64, &role) ||
		    !text_field(req, r, prefix, "team", false, MODEL_SHORT_MAX, &team))
			return;
	}
	char hash[STORE_PASSWORD_HASH_MAX];
	if (password && !hash_password(req, password, hash))
		return;

	fh_user user = {.email = email, .display_name = name, .password_hash = password ? hash : NULL,
			.external = json_is_true(external)};
	fh_error err = {0};
	server_write_begin(req->srv);
	fh_status s = store_begin(req->st, &err);
	if (!s) {
		s = store_user_create(req->st, &user, req->who->user.email, NULL, &err);
		if (s == FH_ECONFLICT)
			error_set(&err, FH_ECONFLICT, "email", NULL,
				  "an account with this email exists already: give it a role here "
				  "with POST /api/v1/orgs/%s/users/EMAIL/roles (an account of another "
				  "organisation only with `fairhearing user grant` on the server)",
				  req->params[0]);
	}
	json_array_foreach(roles, i, r) {
		if (s)
			break;
		json_t *team = json_object_get(r, "team");
		s = store_user_grant(req->st, email, req->params[0],
				     json_string_value(json_object_get(r, "role")),
				     json_is_string(team) ? json_string_value(team) : NULL,
				     req->who->user.email, &err);
		if (s && (strcmp(err.field, "role") == 0 || strcmp(err.field, "team") == 0)) {
			char field[sizeof err.field];
			snprintf(field, sizeof field, "roles[%zu].%s", i, err.field);
			snprintf(err.field, sizeof err.field, "%s", field);
		}
	}
	s = api_user_create_end(req, email, req->params[0], json_is_true(independent), s, hash,
				&err);
	if (s) {
		http_fail(req, &err);
		return;
	}
	answer_user(req, 201, email);
}

/* POST /api/v1/orgs/{org}/users/{email}/disable and /enable */
static void set_disabled(http_request *req, bool disabled)
{
	store_principal u;
	if (!target_user(req, true, &u))
		return;
	fh_error err = {0};
	if (store_user_set_disabled(req->st, u.email, disabled, req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	answer_user(req, 200, u.email);
}

void api_org_user_disable(http_request *req)
{
	set_disabled(req, true);
}

void api_org_user_enable(http_request *req)
{
	set_disabled(req, false);
}

/* POST /api/v1/orgs/{org}/users/{email}/second-factor/reset */
void api_org_user_totp_reset(http_request *req)
{
	store_principal u;
	if (!target_user(req, true, &u))
		return;
	fh_error err = {0};
	if (store_totp_reset(req->st, u.email, req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	answer_user(req, 200, u.email);
}

/* POST /api/v1/orgs/{org}/second-factor {"required": true|false} */
void api_org_second_factor(http_request *req)
{
	static const char *const fields[] = {"required", NULL};
	if (!known_fields(req, req->json, "", fields))
		return;
	json_t *required = json_object_get(req->json, "required");
	if (!json_is_boolean(required)) {
		http_error(req, 422, "invalid", "required", "must be true or false");
		return;
	}
	fh_error err = {0};
	if (store_org_set_second_factor(req->st, req->params[0], json_is_true(required),
					req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	http_json(req, 200, json_pack("{ss sb}", "org", req->params[0], "second_factor_required",
				      json_is_true(required)));
}

/* POST /api/v1/orgs/{org}/users/{email}/password */
void api_org_user_password(http_request *req)
{
	static const char *const fields[] = {"password", NULL};
	const char *password;
	store_principal u;
	if (!target_user(req, true, &u) || !known_fields(req, req->json, "", fields) ||
	    !text_field(req, req->json, "", "password", true, STORE_PASSWORD_MAX, &password))
		return;
	char hash[STORE_PASSWORD_HASH_MAX];
	if (!hash_password(req, password, hash))
		return;
	fh_error err = {0};
	server_write_begin(req->srv);
	fh_status s = store_user_set_password(req->st, u.email, hash, req->who->user.email, &err);
	server_write_end(req->srv);
	sodium_memzero(hash, sizeof hash);
	if (s) {
		http_fail(req, &err);
		return;
	}
	http_json(req, 204, NULL); /* the user's sessions have ended */
}

/* POST /api/v1/orgs/{org}/users/{email}/roles */
void api_org_user_grant(http_request *req)
{
	static const char *const fields[] = {"role", "team", NULL};
	const char *role, *team;
	store_principal u;
	if (!target_user(req, false, &u) || !known_fields(req, req->json, "", fields) ||
	    !text_field(req, req->json, "", "role", true, 64, &role) ||
	    !text_field(req, req->json, "", "team", false, MODEL_SHORT_MAX, &team))
		return;
	fh_error err = {0};
	fh_status s = store_user_grant(req->st, u.email, req->params[0], role, team,
				       req->who->user.email, &err);
	if (s == FH_ECONFLICT) {
		http_error(req, 409, "conflict", "role", "%s holds this role here already", u.email);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	answer_user(req, 200, u.email);
}

/*
 * POST /api/v1/orgs/{org}/users/{email}/independence {"independent": bool}.
 * An administrator records that the user is (or is no
 * longer) independent of this organisation, which the procedures' roles
 * that must be independent of it require (reg 19; 001 B Stage 2, 3).  Only
 * this organisation's mark changes, so administering it is enough.
 */
void api_org_user_independence(http_request *req)
{
	static const char *const fields[] = {"independent", NULL};
	store_principal u;
	if (!target_user(req, false, &u) || !known_fields(req, req->json, "", fields))
		return;
	json_t *independent = json_object_get(req->json, "independent");
	if (!json_is_boolean(independent)) {
		http_error(req, 422, "invalid", "independent", "is required: true or false");
		return;
	}
	fh_error err = {0};
	if (store_user_set_independent(req->st, u.email, req->params[0], json_is_true(independent),
				       req->who->user.email, &err)) {
		http_fail(req, &err);
		return;
	}
	answer_user(req, 200, u.email);
}

/* POST /api/v1/orgs/{org}/teams */
void api_org_team_create(http_request *req)
{
	static const char *const fields[] = {"name", "level", "parent", "head", NULL};
	fh_team team = {0};
	if (!known_fields(req, req->json, "", fields) ||
	    !text_field(req, req->json, "", "name", true, MODEL_SHORT_MAX, &team.name) ||
	    !text_field(req, req->json, "", "level", true, 16, &team.level) ||
	    !text_field(req, req->json, "", "parent", false, MODEL_SHORT_MAX, &team.parent) ||
	    !text_field(req, req->json, "", "head", false, MODEL_SHORT_MAX, &team.head_email))
		return;
	fh_error err = {0};
	if (store_team_create(req->st, req->params[0], &team, req->who->user.email, NULL, &err)) {
		http_fail(req, &err);
		return;
	}
	req->location = arena_printf(req->arena, "/api/v1/orgs/%s/teams", req->params[0]);
	http_json(req, 201, json_pack("{ss ss so so}", "name", team.name, "level", team.level,
				      "parent", team.parent ? json_string(team.parent) : json_null(),
				      "head", team.head_email ? json_string(team.head_email)
							      : json_null()));
}
