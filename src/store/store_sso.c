/*
 * store_sso.c: single sign-on's providers, identities and sign-ins under
 * way (store_sso.h).
 */
#include "store_sso.h"

#include <string.h>

#include <jansson.h>

#include "oidc.h"
#include "store_event.h"
#include "store_internal.h"
#include "store_rows.h"

static fh_status event(fh_store *st, int64_t org_id, const char *actor, const char *action,
		       json_t *data, fh_error *err)
{
	return store_event_append_json(st, org_id, 0, actor, action, NULL, NULL, data, err);
}

/* ---- the provider ---------------------------------------------------------------------- */

static fh_status check_provider(const store_sso_provider *p, fh_error *err)
{
	if (!p->issuer || !oidc_url_allowed(p->issuer))
		return error_set(err, FH_EINVAL, "issuer", "OpenID Connect Core 1.0 §2",
				 "must be an https:// address (plain http:// only to this "
				 "machine's loopback, for tests)");
	if (!p->client_id || !*p->client_id || strlen(p->client_id) > STORE_SSO_TEXT_MAX)
		return error_set(err, FH_EINVAL, "client_id", NULL, "is required (at most %d "
				 "characters)", STORE_SSO_TEXT_MAX);
	if (!oidc_secret_source_valid(p->secret_source))
		return error_set(err, FH_EINVAL, "client_secret", NULL,
				 "must be read from a file (file:/PATH) or an environment variable "
				 "(env:NAME), never given itself");
	if (!p->allowed_domains || !oidc_domains_valid(p->allowed_domains) ||
	    strlen(p->allowed_domains) > STORE_SSO_TEXT_MAX)
		return error_set(err, FH_EINVAL, "allowed_domains", NULL,
				 "must be email domains in lower case separated by commas "
				 "(\"bct.example,birmingham.gov.uk\"), or empty for any");
	if (p->match_claim && strcmp(p->match_claim, "email") != 0 &&
	    strcmp(p->match_claim, "preferred_username") != 0 && strcmp(p->match_claim, "upn") != 0)
		return error_set(err, FH_EINVAL, "match_claim", NULL,
				 "must be email, preferred_username or upn");
	if (!p->label || !*p->label || strlen(p->label) > STORE_SSO_LABEL_MAX)
		return error_set(err, FH_EINVAL, "label", NULL, "is required (at most %d characters)",
				 STORE_SSO_LABEL_MAX);
	return FH_OK;
}

/* The first step of setting an organisation's provider and of removing it,
 * in the transaction the caller has opened: finds the organisation's id
 * (into ORG_ID) and deletes its provider row, if it has one; DOING names
 * the work in an error. */
static fh_status provider_delete(fh_store *st, const char *org_code, int64_t *org_id,
				 const char *doing, fh_error *err)
{
	*org_id = 0;
	fh_status s = store_org_id(st, org_code, org_id, err);
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "DELETE FROM sso_providers WHERE org_id = ?", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, *org_id);
		s = store_stmt_run(st, stmt, doing, err);
	}
	return s;
}

fh_status store_sso_set(fh_store *st, const char *org_code, const store_sso_provider *p,
			const char *actor, fh_error *err)
{
	fh_status s = check_provider(p, err);
	if (s)
		return s;
	bool opened;
	char now[21];
	s = store_tx_begin_at(st, &opened, now, err);
	if (s)
		return s;
	int64_t org_id;
	s = provider_delete(st, org_code, &org_id, "replacing a sign-on provider", err);
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "INSERT INTO sso_providers (org_id, issuer, client_id, secret_source,"
			       " allowed_domains, password_sign_in, create_users, label, match_claim,"
			       " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err);
	if (!s) {
		db_bind_int64(stmt, 1, org_id);
		store_bind_text(stmt, 2, p->issuer);
		store_bind_text(stmt, 3, p->client_id);
		store_bind_text(stmt, 4, p->secret_source);
		store_bind_text(stmt, 5, p->allowed_domains);
		db_bind_int(stmt, 6, p->password_sign_in);
		db_bind_int(stmt, 7, p->create_users);
		store_bind_text(stmt, 8, p->label);
		store_bind_text(stmt, 9, p->match_claim ? p->match_claim : STORE_SSO_DEFAULT_MATCH_CLAIM);
		store_bind_text(stmt, 10, now);
		s = store_stmt_run(st, stmt, "keeping a sign-on provider", err);
	}
	if (!s)
		s = event(st, org_id, actor, "sso_configured",
			  json_pack("{ss ss ss ss sb sb ss ss}", "org", org_code, "issuer", p->issuer,
				    "client_id", p->client_id, "allowed_domains", p->allowed_domains,
				    "password_sign_in", p->password_sign_in, "create_users",
				    p->create_users, "label", p->label, "match_claim",
				    p->match_claim ? p->match_claim : STORE_SSO_DEFAULT_MATCH_CLAIM), err);
	return store_tx_end(st, opened, s, err);
}

#define PROVIDER_COLUMNS                                                                     \
	"p.org_id, o.code, o.name, p.issuer, p.client_id, p.secret_source, p.allowed_domains, " \
	"p.label, p.password_sign_in, p.create_users, p.updated_at, p.match_claim"

static void read_provider(db_stmt *stmt, fh_arena *arena, store_sso_provider *out)
{
	out->org_id = db_column_int64(stmt, 0);
	out->org_code = store_column_text(stmt, 1, arena);
	out->org_name = store_column_text(stmt, 2, arena);
	out->issuer = store_column_text(stmt, 3, arena);
	out->client_id = store_column_text(stmt, 4, arena);
	out->secret_source = store_column_text(stmt, 5, arena);
	out->allowed_domains = store_column_text(stmt, 6, arena);
	out->label = store_column_text(stmt, 7, arena);
	out->password_sign_in = db_column_int(stmt, 8);
	out->create_users = db_column_int(stmt, 9);
	out->updated_at = store_column_text(stmt, 10, arena);
	out->match_claim = store_column_text(stmt, 11, arena);
}

fh_status store_sso_get(fh_store *st, const char *org_code, fh_arena *arena,
			store_sso_provider *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	int64_t org_id = 0;
	fh_status s = store_org_id(st, org_code, &org_id, err);
	db_stmt *stmt;
	if (!s)
		s = store_stmt(st, "SELECT " PROVIDER_COLUMNS " FROM sso_providers p"
			       " JOIN organisations o ON o.id = p.org_id WHERE p.org_id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	int rc = db_step(stmt);
	if (rc == DB_ROW)
		read_provider(stmt, arena, out);
	else if (rc == DB_DONE)
		s = error_set(err, FH_ENOTFOUND, "sso", NULL,
			      "%s has no single sign-on provider set up", org_code);
	else
		s = store_fail(st, "reading a sign-on provider", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_sso_list(fh_store *st, fh_arena *arena, store_sso_provider **rows, size_t *n,
			 fh_error *err)
{
	*rows = NULL;
	*n = 0;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT " PROVIDER_COLUMNS " FROM sso_providers p"
				 " JOIN organisations o ON o.id = p.org_id ORDER BY o.code", &stmt, err);
	if (s)
		return s;
	size_t cap = 0;
	int rc;
	while ((rc = db_step(stmt)) == DB_ROW) {
		if (*n == cap) {
			size_t grown = cap ? cap * 2 : 4;
			store_sso_provider *more = arena_alloc(arena, grown * sizeof *more);
			if (*n)
				memcpy(more, *rows, *n * sizeof *more);
			*rows = more;
			cap = grown;
		}
		read_provider(stmt, arena, &(*rows)[(*n)++]);
	}
	if (rc != DB_DONE)
		s = store_fail(st, "listing sign-on providers", err);
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_sso_remove(fh_store *st, const char *org_code, const char *actor, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (s)
		return s;
	int64_t org_id;
	s = provider_delete(st, org_code, &org_id, "removing a sign-on provider", err);
	if (!s && db_changes(st->db) == 0)
		s = error_set(err, FH_ENOTFOUND, "sso", NULL,
			      "%s has no single sign-on provider set up", org_code);
	if (!s)
		s = event(st, org_id, actor, "sso_removed", json_pack("{ss}", "org", org_code), err);
	return store_tx_end(st, opened, s, err);
}

json_t *store_sso_json(const store_sso_provider *p)
{
	/* Where the secret is read is the server's business: only its kind is said. */
	const char *kind = strncmp(p->secret_source, "env:", 4) == 0 ? "environment" : "file";
	return json_pack("{ss ss ss ss ss ss sb sb ss ss}", "org", p->org_code, "issuer", p->issuer,
			 "client_id", p->client_id, "client_secret_from", kind, "allowed_domains",
			 p->allowed_domains, "label", p->label, "password_sign_in",
			 p->password_sign_in, "create_users", p->create_users, "match_claim",
			 p->match_claim ? p->match_claim : STORE_SSO_DEFAULT_MATCH_CLAIM, "updated_at", p->updated_at);
}

/* ---- a sign-in under way ----------------------------------------------------------------- */

fh_status store_sso_pending_create(fh_store *st, int64_t org_id,
				   const uint8_t state_hash[STORE_TOKEN_HASH_BYTES],
				   const char *nonce, const char *verifier, const char *next,
				   time_t now, fh_error *err)
{
	char at[21];
	store_iso_time(now, at);
	bool opened;
	db_stmt *stmt;
	fh_status s = store_tx_stmt(st, &opened, NULL,
				    "INSERT INTO sso_pending (org_id, state_hash, nonce, verifier, next,"
				    " created_at) VALUES (?, ?, ?, ?, ?, ?)", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	db_bind_blob(stmt, 2, state_hash, STORE_TOKEN_HASH_BYTES);
	store_bind_text(stmt, 3, nonce);
	store_bind_text(stmt, 4, verifier);
	store_bind_text(stmt, 5, next ? next : "");
	store_bind_text(stmt, 6, at);
	s = store_stmt_run(st, stmt, "recording a sign-in sent to the provider", err);
	/* Sign-ins that never came back are of no use after their ten minutes. */
	char stale[21];
	store_iso_time(now - 86400, stale);
	if (!s)
		s = store_stmt(st, "DELETE FROM sso_pending WHERE created_at < ?", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, stale);
		s = store_stmt_run(st, stmt, "forgetting old sign-ins", err);
	}
	return store_tx_end(st, opened, s, err);
}

fh_status store_sso_pending_take(fh_store *st, const uint8_t state_hash[STORE_TOKEN_HASH_BYTES],
				 const uint8_t code_hash[STORE_TOKEN_HASH_BYTES], time_t now,
				 fh_arena *arena, store_sso_pending *out, fh_error *err)
{
	memset(out, 0, sizeof *out);
	char at[21], oldest[21];
	store_iso_time(now, at);
	store_iso_time(now - STORE_SSO_PENDING_SECONDS, oldest);
	bool opened;
	db_stmt *stmt;
	fh_status s = store_tx_stmt(st, &opened, NULL,
				    "SELECT p.id, p.org_id, o.code, p.nonce, p.verifier, p.next,"
				    " p.used_at IS NOT NULL, p.created_at >= ? FROM sso_pending p"
				    " JOIN organisations o ON o.id = p.org_id WHERE p.state_hash = ?",
				    &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, oldest);
	db_bind_blob(stmt, 2, state_hash, STORE_TOKEN_HASH_BYTES);
	int64_t id = 0;
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		id = db_column_int64(stmt, 0);
		out->org_id = db_column_int64(stmt, 1);
		out->org_code = store_column_text(stmt, 2, arena);
		out->nonce = store_column_text(stmt, 3, arena);
		out->verifier = store_column_text(stmt, 4, arena);
		out->next = store_column_text(stmt, 5, arena);
		if (db_column_int(stmt, 6))
			s = error_set(err, FH_ECONFLICT, "state", "RFC 6749 §10.12",
				      "this sign-in has come back already: a state is accepted once");
		else if (!db_column_int(stmt, 7))
			s = error_set(err, FH_ENOTFOUND, "state", NULL,
				      "this sign-in took longer than %d minutes: start again",
				      STORE_SSO_PENDING_SECONDS / 60);
	} else if (rc == DB_DONE) {
		s = error_set(err, FH_ENOTFOUND, "state", "RFC 6749 §10.12",
			      "no sign-in was started with this state");
	} else {
		s = store_fail(st, "reading a sign-in under way", err);
	}
	store_stmt_done(st, stmt);
	if (!s) {
		int64_t seen = 0;
		s = store_stmt(st, "SELECT count(*) FROM sso_pending WHERE code_hash = ?", &stmt, err);
		if (!s) {
			db_bind_blob(stmt, 1, code_hash, STORE_TOKEN_HASH_BYTES);
			if (db_step(stmt) == DB_ROW)
				seen = db_column_int64(stmt, 0);
			store_stmt_done(st, stmt);
		}
		if (!s && seen)
			s = error_set(err, FH_ECONFLICT, "code", "RFC 6749 §4.1.2",
				      "this authorization code has been used already: a code is "
				      "accepted once");
	}
	if (!s)
		s = store_stmt(st, "UPDATE sso_pending SET used_at = ?, code_hash = ? WHERE id = ?"
			       " AND used_at IS NULL", &stmt, err);
	if (!s) {
		store_bind_text(stmt, 1, at);
		db_bind_blob(stmt, 2, code_hash, STORE_TOKEN_HASH_BYTES);
		db_bind_int64(stmt, 3, id);
		s = store_stmt_run(st, stmt, "taking a sign-in under way", err);
	}
	if (!s && db_changes(st->db) == 0)
		s = error_set(err, FH_ECONFLICT, "state", "RFC 6749 §10.12",
			      "this sign-in has come back already: a state is accepted once");
	return store_tx_end(st, opened, s, err);
}

fh_status store_sso_refused(fh_store *st, int64_t org_id, const char *reason, const char *detail,
			    const char *ip, fh_error *err)
{
	bool opened;
	fh_status s = store_tx_begin(st, &opened, err);
	if (!s)
		s = event(st, org_id, "sso", "sso_refused",
			  json_pack("{ss ss ss}", "reason", reason, "detail", detail ? detail : "",
				    "client_ip", ip ? ip : ""), err);
	return store_tx_end(st, opened, s, err);
}

/* ---- who it is ------------------------------------------------------------------------------ */

static fh_status refuse(fh_error *err, const char *why, const char *message)
{
	return error_set(err, FH_EFORBIDDEN, why, "issue 18 item 3", "%s", message);
}

/* The user and identity bound to (iss, sub): *user_id 0 when none. */
static fh_status find_bound(fh_store *st, const store_sso_claims *c, int64_t *user_id,
			    int64_t *org_id, bool *disabled, fh_error *err)
{
	*user_id = 0;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT i.user_id, i.org_id, u.disabled FROM sso_identities i"
				 " JOIN users u ON u.id = i.user_id WHERE i.issuer = ? AND i.subject = ?",
				 &stmt, err);
	if (s)
		return s;
	store_bind_text(stmt, 1, c->issuer);
	store_bind_text(stmt, 2, c->subject);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		*user_id = db_column_int64(stmt, 0);
		*org_id = db_column_int64(stmt, 1);
		*disabled = db_column_int(stmt, 2);
	} else if (rc != DB_DONE) {
		s = store_fail(st, "reading a bound identity", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

static fh_status bind_identity(fh_store *st, int64_t user_id, const store_sso_provider *p,
			       const store_sso_claims *c, const char *at, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "INSERT INTO sso_identities (user_id, org_id, issuer, subject,"
				 " created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?)", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, user_id);
	db_bind_int64(stmt, 2, p->org_id);
	store_bind_text(stmt, 3, c->issuer);
	store_bind_text(stmt, 4, c->subject);
	store_bind_text(stmt, 5, at);
	store_bind_text(stmt, 6, at);
	s = store_stmt_run(st, stmt, "binding a provider identity", err);
	if (!s)
		s = event(st, p->org_id, c->email ? c->email : c->subject, "sso_identity_bound",
			  json_pack("{sI ss ss ss}", "user_id", (json_int_t)user_id, "org", p->org_code,
				    "issuer", c->issuer, "subject", c->subject), err);
	return s;
}

fh_status store_sso_user(fh_store *st, const store_sso_provider *p, const store_sso_claims *c,
			 time_t now, int64_t *user_id, fh_error *err)
{
	*user_id = 0;
	char at[21];
	store_iso_time(now, at);
	int64_t bound = 0, bound_org = 0;
	bool disabled = false;
	fh_status s = find_bound(st, c, &bound, &bound_org, &disabled, err);
	if (s)
		return s;
	if (bound) {
		if (bound_org != p->org_id)
			return refuse(err, "other_organisation",
				      "this identity is bound to another organisation's sign-on");
		if (disabled)
			return refuse(err, "disabled", "this account is disabled");
		db_stmt *stmt;
		s = store_stmt(st, "UPDATE sso_identities SET last_used_at = ? WHERE issuer = ?"
			       " AND subject = ?", &stmt, err);
		if (!s) {
			store_bind_text(stmt, 1, at);
			store_bind_text(stmt, 2, c->issuer);
			store_bind_text(stmt, 3, c->subject);
			s = store_stmt_run(st, stmt, "noting a provider identity's use", err);
		}
		if (!s)
			*user_id = bound;
		return s;
	}
	/* Not bound yet: only a verified email of an allowed domain is believed. */
	if (!c->email || !c->email_verified)
		return refuse(err, "email_unverified",
			      "the identity provider did not say the email address is verified");
	if (!oidc_domain_allowed(p->allowed_domains, c->email))
		return refuse(err, "domain_not_allowed",
			      "the email address's domain is not one this organisation allows");
	db_stmt *stmt;
	s = store_stmt(st, "SELECT u.id, u.disabled, EXISTS (SELECT 1 FROM user_roles r WHERE"
		       " r.user_id = u.id AND r.org_id = ?) FROM users u WHERE u.email = ?",
		       &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, p->org_id);
	store_bind_text(stmt, 2, c->email);
	int64_t found = 0;
	bool has_role = false;
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		found = db_column_int64(stmt, 0);
		disabled = db_column_int(stmt, 1);
		has_role = db_column_int(stmt, 2);
	} else if (rc != DB_DONE) {
		s = store_fail(st, "finding a user by email", err);
	}
	store_stmt_done(st, stmt);
	if (s)
		return s;
	if (found && disabled)
		return refuse(err, "disabled", "this account is disabled");
	/* Another organisation's staff member is not this provider's to vouch for. */
	if (found && !has_role)
		return refuse(err, "other_organisation",
			      "this account belongs to another organisation, not to this one's "
			      "sign-on");
	if (!found && !p->create_users)
		return refuse(err, "no_account",
			      "there is no account for this email address: ask your administrator "
			      "to add you");
	if (!found) {
		fh_user u = {.email = c->email,
			     .display_name = c->name && *c->name ? c->name : c->email};
		s = store_user_create(st, &u, "sso", &found, err);
	}
	if (!s)
		s = bind_identity(st, found, p, c, at, err);
	if (!s)
		*user_id = found;
	return s;
}

fh_status store_sso_session_mark(fh_store *st, int64_t session_id, int64_t org_id,
				 const char *id_token, const char *end_session, fh_error *err)
{
	db_stmt *stmt;
	fh_status s = store_stmt(st, "UPDATE sessions SET sso_org_id = ?, id_token = ?,"
				 " sso_end_session = ? WHERE id = ?", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, org_id);
	store_bind_text(stmt, 2, id_token);
	store_bind_text(stmt, 3, end_session);
	db_bind_int64(stmt, 4, session_id);
	return store_stmt_run(st, stmt, "marking a session as single sign-on", err);
}

fh_status store_sso_session(fh_store *st, int64_t session_id, fh_arena *arena,
			    const char **end_session, const char **id_token, fh_error *err)
{
	*end_session = *id_token = NULL;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT sso_end_session, id_token FROM sessions WHERE id = ?"
				 " AND sso_org_id IS NOT NULL", &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, session_id);
	int rc = db_step(stmt);
	if (rc == DB_ROW) {
		*end_session = store_column_text_or_null(stmt, 0, arena);
		*id_token = store_column_text_or_null(stmt, 1, arena);
	} else if (rc != DB_DONE) {
		s = store_fail(st, "reading a session's sign-on", err);
	}
	store_stmt_done(st, stmt);
	return s;
}

fh_status store_sso_password_allowed(fh_store *st, int64_t user_id, bool *allowed,
				     fh_error *err)
{
	*allowed = true;
	db_stmt *stmt;
	fh_status s = store_stmt(st, "SELECT count(*) FROM sso_providers p WHERE p.password_sign_in = 0"
				 " AND p.org_id IN (SELECT org_id FROM user_roles WHERE user_id = ?)",
				 &stmt, err);
	if (s)
		return s;
	db_bind_int64(stmt, 1, user_id);
	int rc = db_step(stmt);
	if (rc == DB_ROW)
		*allowed = db_column_int64(stmt, 0) == 0;
	else
		s = store_fail(st, "reading whether password sign-in is on", err);
	store_stmt_done(st, stmt);
	return s;
}
