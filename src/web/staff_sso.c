/*
 * staff_sso.c: staff single sign-on through the organisation's OpenID
 * Connect provider (docs/sso.md, issue 18 items 2-4).
 *
 *   GET /staff/sso/start?org=ORG[&next=...]  a sign-in under way is recorded
 *       (its state's digest, nonce and PKCE verifier, RFC 7636), the state
 *       put in a cookie that only /staff/sso is sent (SameSite=Lax, so the
 *       provider's redirect back brings it), and the browser sent to the
 *       provider's authorization endpoint (code flow, S256).
 *   GET /staff/sso/callback?code=...&state=...  the state must be the
 *       cookie's and a sign-in under way, taken once, and the code not seen
 *       before; the code is exchanged at the token endpoint, the ID token
 *       verified (sso.h), and the person found (store_sso_user).  Each
 *       refusal is a page that says why and an "sso_refused" audit event.
 *
 * Both fetch from the provider, so they run on the sign-in pool
 * (server_offload), never on a worker, and take the write lock only for
 * their writes.  The session cookie is SameSite=Strict, which a browser
 * does not send on a redirect chain that began at another site, so the
 * callback answers with a page that moves on by itself rather than a
 * redirect.  A sign-in through the provider asks for no second factor
 * here: the provider's sign-in is the organisation's own.
 */
#include "web_staff.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api.h"
#include "oidc.h"
#include "server.h"
#include "sso.h"
#include "store_auth.h"
#include "store_sso.h"
#include "web.h"

#define SSO_COOKIE "fh_sso"

/* ---- the sign-in page's buttons ---------------------------------------------------------- */

void staff_sso_buttons(http_request *req, html_buf *b, const char *next)
{
	store_sso_provider *rows;
	size_t n = 0;
	fh_error err = {0};
	if (store_sso_list(req->st, req->arena, &rows, &n, &err) || n == 0)
		return;
	html_raw(b, "<ul class=\"list sso-buttons\">");
	for (size_t i = 0; i < n; i++) {
		html_raw(b, "<li><a class=\"button\" href=\"/staff/sso/start?org=");
		html_attr(b, web_url_encode(req, rows[i].org_code));
		html_raw(b, "&amp;next=");
		html_attr(b, web_url_encode(req, next));
		html_raw(b, "\">");
		html_text(b, rows[i].label);
		html_raw(b, "</a></li>");
	}
	html_raw(b, "</ul><p>Or sign in with your email address and password.</p>");
}

/* ---- pages -------------------------------------------------------------------------------- */

static void problem(http_request *req, int status, const char *message)
{
	html_buf b = HTML_BUF_INIT;
	web_page_opts opts = {0};
	web_page_begin(req, &b, "Single sign-on did not work", &opts);
	html_raw(&b, "<div class=\"grid-row\"><div class=\"column-two-thirds\">"
		     "<h1 class=\"heading-l\">Single sign-on did not work</h1><p id=\"sso-problem\">");
	html_text(&b, message);
	html_raw(&b, "</p><p><a href=\"/staff/login\">Back to sign in</a></p></div></div>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

/* The refusal written as an audit event (its own transaction), then its page. */
static void refuse(http_request *req, int64_t org_id, int status, const char *reason,
		   const char *detail, const char *message)
{
	fh_error err = {0};
	server_write_begin(req->srv);
	fh_status s = store_sso_refused(req->st, org_id, reason, detail, req->client_ip, &err);
	server_write_end(req->srv);
	if (s) {
		http_fail(req, &err);
		return;
	}
	problem(req, status, message);
}

static void forget_cookie(http_request *req)
{
	http_set_cookie(req, arena_printf(req->arena, SSO_COOKIE "=; Path=/staff/sso; Max-Age=0; "
					  "HttpOnly; SameSite=Lax%s", req->secure ? "; Secure" : ""));
}

/*
 * This server's address as the browser reaches it: --public-url when the
 * server has one, else from the request's Host (plain letters, digits,
 * dots, colons, brackets and hyphens only).  NULL when neither will do.
 */
static const char *base_url(http_request *req)
{
	const server_config *cfg = server_config_of(req->srv);
	if (cfg->public_url)
		return cfg->public_url;
	const char *host = http_header(req, "Host");
	if (!host || !*host || strlen(host) > 255)
		return NULL;
	for (const char *p = host; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".:-[]", *p))
			return NULL;
	return arena_printf(req->arena, "%s://%s", req->secure ? "https" : "http", host);
}

static const char *redirect_uri(http_request *req)
{
	const char *base = base_url(req);
	return base ? arena_printf(req->arena, "%s/staff/sso/callback", base) : NULL;
}

/* ---- to the provider ------------------------------------------------------------------------ */

typedef struct start_job {
	const char *org, *next;
} start_job;

static void start_run(http_request *req, void *ctx)
{
	start_job *j = ctx;
	store_sso_provider p;
	sso_discovery d;
	fh_error err = {0};
	fh_status s = store_sso_get(req->st, j->org, req->arena, &p, &err);
	if (s == FH_ENOTFOUND || s == FH_EINVAL) {
		problem(req, 404, "This organisation has no single sign-on: sign in with your email "
			"address and password.");
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	const char *back = redirect_uri(req);
	if (!back) {
		problem(req, 400, "This server does not know its own address: its administrator "
			"must start it with --public-url.");
		return;
	}
	if (sso_discover(p.issuer, &d, &err)) {
		refuse(req, p.org_id, 502, "provider_unreachable", err.message,
		       "Your organisation's identity provider could not be reached. Try again in a "
		       "few minutes, or tell your administrator.");
		return;
	}
	char state[SSO_RANDOM_TEXT], nonce[SSO_RANDOM_TEXT], verifier[SSO_RANDOM_TEXT];
	char challenge[SSO_CHALLENGE_TEXT];
	uint8_t state_hash[STORE_TOKEN_HASH_BYTES];
	sso_random_text(state);
	sso_random_text(nonce);
	sso_random_text(verifier);
	sso_pkce_challenge(verifier, challenge);
	store_token_hash(state, state_hash);
	server_write_begin(req->srv);
	s = store_sso_pending_create(req->st, p.org_id, state_hash, nonce, verifier, j->next,
				     time(NULL), &err);
	server_write_end(req->srv);
	if (s) {
		sso_discovery_free(&d);
		http_fail(req, &err);
		return;
	}
	http_set_cookie(req, arena_printf(req->arena, SSO_COOKIE "=%s; Path=/staff/sso; Max-Age=%d; "
					  "HttpOnly; SameSite=Lax%s", state, STORE_SSO_PENDING_SECONDS,
					  req->secure ? "; Secure" : ""));
	const char *at = d.authorization_endpoint;
	web_redirect(req, arena_printf(req->arena,
		"%s%sresponse_type=code&client_id=%s&redirect_uri=%s&scope=openid%%20email%%20profile"
		"&state=%s&nonce=%s&code_challenge=%s&code_challenge_method=S256", at,
		strchr(at, '?') ? "&" : "?", web_url_encode(req, p.client_id),
		web_url_encode(req, back), state, nonce, challenge));
	sodium_memzero(verifier, sizeof verifier);
	sso_discovery_free(&d);
}

void staff_sso_start(http_request *req)
{
	const char *next = staff_safe_next(http_query(req, "next"));
	if (req->who) {
		web_redirect(req, next);
		return;
	}
	const char *org = http_query(req, "org");
	if (!org || !*org || strlen(org) > MODEL_SHORT_MAX) {
		problem(req, 400, "Choose your organisation's sign-in button on the sign-in page.");
		return;
	}
	if (!server_offload_begin(req))
		return;
	start_job *j = arena_alloc(req->arena, sizeof *j);
	j->org = arena_strdup(req->arena, org);
	j->next = arena_strdup(req->arena, next);
	server_offload(req, start_run, j);
}

/* ---- and back ------------------------------------------------------------------------------ */

typedef struct callback_job {
	const char *state, *code;
	const char *iss; /* the authorization response's iss (RFC 9207), or NULL */
} callback_job;

/* The ID token verified against the provider's keys, fetched again once for an unknown kid. */
static sso_refusal verify(const sso_discovery *d, const char *token, const sso_expect *want,
			  json_t **claims, fh_error *err, bool *unreachable)
{
	json_t *jwks = NULL;
	*unreachable = false;
	if (sso_jwks(d->jwks_uri, false, &jwks, err)) {
		*unreachable = true;
		return SSO_UNKNOWN_KEY;
	}
	sso_refusal why = sso_verify_id_token(token, jwks, want, claims);
	json_decref(jwks);
	if (why != SSO_UNKNOWN_KEY)
		return why;
	/* The provider may have rotated its keys since they were cached. */
	if (sso_jwks(d->jwks_uri, true, &jwks, err)) {
		*unreachable = true;
		return SSO_UNKNOWN_KEY;
	}
	why = sso_verify_id_token(token, jwks, want, claims);
	json_decref(jwks);
	return why;
}

static bool claim_true(const json_t *v)
{
	return json_is_true(v) || (json_is_string(v) && !strcmp(json_string_value(v), "true"));
}

void staff_sso_moving_on(http_request *req, const char *title, const char *to)
{
	html_buf b = HTML_BUF_INIT;
	web_page_opts opts = {0};
	req->cache_control = "no-store";
	web_page_begin(req, &b, title, &opts);
	html_raw(&b, "<meta http-equiv=\"refresh\" content=\"0;url=");
	html_attr(&b, to);
	html_raw(&b, "\"><h1 class=\"heading-l\">");
	html_text(&b, title);
	html_raw(&b, "</h1><p><a id=\"sso-continue\" href=\"");
	html_attr(&b, to);
	html_raw(&b, "\">Continue</a></p>");
	web_page_end(req, &b);
	web_html(req, 200, &b);
}

static void callback_run(http_request *req, void *ctx)
{
	callback_job *j = ctx;
	fh_error err = {0};
	time_t now = time(NULL);
	uint8_t state_hash[STORE_TOKEN_HASH_BYTES], code_hash[STORE_TOKEN_HASH_BYTES];
	store_token_hash(j->state, state_hash);
	store_token_hash(j->code, code_hash);
	store_sso_pending pending;
	server_write_begin(req->srv);
	fh_status s = store_sso_pending_take(req->st, state_hash, code_hash, now, req->arena,
					     &pending, &err);
	server_write_end(req->srv);
	if (s == FH_ECONFLICT && !strcmp(err.field, "code")) {
		refuse(req, pending.org_id, 401, "code_replayed", err.message,
		       "This sign-in's code has been used already. Start again from the sign-in "
		       "page.");
		return;
	}
	if (s == FH_ECONFLICT || s == FH_ENOTFOUND) {
		refuse(req, pending.org_id, 401, s == FH_ECONFLICT ? "state_replayed" : "state_unknown",
		       err.message, "This sign-in has been used already or has expired. Start again "
		       "from the sign-in page.");
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	store_sso_provider p;
	if (store_sso_get(req->st, pending.org_code, req->arena, &p, &err)) {
		refuse(req, pending.org_id, 401, "no_provider", err.message,
		       "Your organisation no longer signs in through an identity provider.");
		return;
	}
	/* RFC 9207 §2.4: a provider that names itself in the answer must be ours. */
	if (j->iss && strcmp(j->iss, p.issuer) != 0) {
		refuse(req, p.org_id, 401, "issuer", "the authorization response's iss (RFC 9207)",
		       sso_refusal_text(SSO_ISSUER));
		return;
	}
	const char *back = redirect_uri(req);
	sso_discovery d;
	if (!back || sso_discover(p.issuer, &d, &err)) {
		refuse(req, p.org_id, 502, "provider_unreachable", back ? err.message : "no address",
		       "Your organisation's identity provider could not be reached. Try again in a "
		       "few minutes, or tell your administrator.");
		return;
	}
	char secret[1024];
	char *token = NULL;
	s = sso_read_secret(p.secret_source, secret, sizeof secret, &err);
	if (s) {
		sso_discovery_free(&d);
		refuse(req, p.org_id, 500, "secret_unreadable", err.message,
		       "Single sign-on is not set up right on this server: tell your administrator.");
		return;
	}
	s = sso_exchange(&d, p.client_id, secret, j->code, back, pending.verifier, &token, &err);
	sodium_memzero(secret, sizeof secret);
	if (s) {
		sso_discovery_free(&d);
		refuse(req, p.org_id, 401, "token_exchange", err.message,
		       "Your organisation's identity provider did not accept this sign-in. Start "
		       "again from the sign-in page.");
		return;
	}
	sso_expect want = {.issuer = p.issuer, .client_id = p.client_id, .nonce = pending.nonce,
			   .now = now};
	json_t *claims = NULL;
	bool unreachable = false;
	sso_refusal why = verify(&d, token, &want, &claims, &err, &unreachable);
	const char *end_session = d.end_session_endpoint
					  ? arena_strdup(req->arena, d.end_session_endpoint)
					  : NULL;
	sso_discovery_free(&d);
	if (why != SSO_ACCEPTED) {
		free(token);
		refuse(req, p.org_id, 401, unreachable ? "keys_unreachable" : sso_refusal_name(why),
		       unreachable ? err.message : "OpenID Connect Core 1.0 §3.1.3.7",
		       sso_refusal_text(why));
		return;
	}
	/* The claim a first sign-in is matched on: email with email_verified, or the
	 * one the administrator chose to trust (docs/sso.md, Entra ID). */
	bool by_email = !strcmp(p.match_claim, "email");
	store_sso_claims c = {
		.issuer = arena_strdup(req->arena, json_string_value(json_object_get(claims, "iss"))),
		.subject = arena_strdup(req->arena, json_string_value(json_object_get(claims, "sub"))),
		.email_verified = !by_email || claim_true(json_object_get(claims, "email_verified")),
	};
	const char *email = json_string_value(json_object_get(claims, p.match_claim));
	const char *name = json_string_value(json_object_get(claims, "name"));
	c.email = email && strlen(email) <= MODEL_SHORT_MAX ? arena_strdup(req->arena, email) : NULL;
	c.name = name && strlen(name) <= MODEL_SHORT_MAX ? arena_strdup(req->arena, name) : NULL;
	json_decref(claims);
	int64_t user_id = 0, session_id = 0;
	server_write_begin(req->srv);
	s = store_begin(req->st, &err);
	if (!s)
		s = store_sso_user(req->st, &p, &c, now, &user_id, &err);
	store_principal who;
	if (!s)
		s = store_principal_get(req->st, user_id, req->arena, &who, &err);
	if (!s)
		s = api_session_start(req, user_id, who.email, false, now, &session_id, &err);
	if (!s)
		s = store_sso_session_mark(req->st, session_id, p.org_id, token, end_session, &err);
	if (!s)
		s = store_commit(req->st, &err);
	else
		store_rollback(req->st);
	server_write_end(req->srv);
	free(token);
	if (s) {
		req->who = NULL;
		if (s == FH_EFORBIDDEN) {
			forget_cookie(req);
			refuse(req, p.org_id, 403, err.field, err.message, err.message);
		} else {
			http_fail(req, &err);
		}
		return;
	}
	/* A page of this site moves on, so the Strict session cookie goes with it. */
	staff_sso_moving_on(req, "Signed in", staff_safe_next(pending.next));
}

void staff_sso_callback(http_request *req)
{
	const char *state = http_query(req, "state"), *code = http_query(req, "code");
	const char *error = http_query(req, "error");
	const char *cookie = http_cookie(req, SSO_COOKIE);
	forget_cookie(req);
	if (error) {
		const char *said = http_query(req, "error_description");
		refuse(req, 0, 401, "provider_error", error,
		       arena_printf(req->arena, "Your organisation's identity provider did not sign "
				    "you in (%s%s%s).", error, said ? ": " : "", said ? said : ""));
		return;
	}
	if (!state || !*state || !code || !*code || strlen(state) > 200 || strlen(code) > 4096) {
		problem(req, 400, "The identity provider's answer had no code or state. Start again "
			"from the sign-in page.");
		return;
	}
	/* RFC 6749 §10.12: the state must be the one this browser was given. */
	if (!cookie || strlen(cookie) != strlen(state) ||
	    sodium_memcmp(cookie, state, strlen(state)) != 0) {
		refuse(req, 0, 401, "state_mismatch", "the state is not this browser's",
		       "This sign-in was not started in this browser. Start again from the sign-in "
		       "page.");
		return;
	}
	if (!server_offload_begin(req))
		return;
	callback_job *j = arena_alloc(req->arena, sizeof *j);
	j->state = arena_strdup(req->arena, state);
	j->code = arena_strdup(req->arena, code);
	const char *iss = http_query(req, "iss");
	j->iss = iss ? arena_strdup(req->arena, iss) : NULL;
	server_offload(req, callback_run, j);
}

/* ---- and out ------------------------------------------------------------------------------- */

const char *staff_sso_logout_url(http_request *req, const char *end_session,
				 const char *id_token)
{
	const char *base = base_url(req);
	if (!oidc_url_allowed(end_session) || !base)
		return NULL;
	const char *url = arena_printf(req->arena, "%s%spost_logout_redirect_uri=%s", end_session,
				       strchr(end_session, '?') ? "&" : "?",
				       web_url_encode(req, arena_printf(req->arena, "%s/staff/login",
									base)));
	if (id_token)
		url = arena_printf(req->arena, "%s&id_token_hint=%s", url, id_token);
	return url;
}
