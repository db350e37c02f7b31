/*
 * authz.c: identifying the caller and applying a route's rule.
 */
#include "authz.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "letter_model.h"
#include "store.h"

unsigned authz_role_bit(const char *role)
{
	for (unsigned i = 0; MODEL_USER_ROLES[i]; i++)
		if (strcmp(MODEL_USER_ROLES[i], role) == 0)
			return 1u << i;
	return 0;
}

unsigned authz_roles_in(const authz_principal *who, int64_t org_id)
{
	unsigned bits = 0;
	for (size_t i = 0; who && i < who->user.n_grants; i++)
		if (who->user.grants[i].org_id == org_id)
			bits |= authz_role_bit(who->user.grants[i].role);
	return bits;
}

void authz_need_to_know(http_request *req, authz_case_scope *out)
{
	size_t n = req->who ? req->who->user.n_grants : 0;
	int64_t *wide = arena_array(req->arena, n + 1, sizeof *wide);
	int64_t *assigned = arena_array(req->arena, n + 1, sizeof *assigned);
	out->n_org_wide = out->n_assigned_only = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t org = req->who->user.grants[i].org_id;
		bool org_wide = authz_roles_in(req->who, org) & AUTHZ_ORG_WIDE;
		int64_t *list = org_wide ? wide : assigned;
		size_t *count = org_wide ? &out->n_org_wide : &out->n_assigned_only;
		bool seen = false;
		for (size_t j = 0; j < *count && !seen; j++)
			seen = list[j] == org;
		if (!seen)
			list[(*count)++] = org;
	}
	out->org_wide = wide;
	out->assigned_only = assigned;
}

bool authz_may_see_confidential(http_request *req)
{
	unsigned held = authz_roles_in(req->who, req->case_org_id);
	if (held & AUTHZ_COMPLAINTS_TEAM)
		return true;
	if (!(held & AUTHZ_ADJUDICATING_OFFICER) || !req->case_id)
		return false;
	bool assigned = false;
	fh_error err = {0};
	if (store_case_assigned(req->st, req->case_id, req->who->user.user_id, &assigned, &err))
		return false;
	return assigned;
}

static unsigned roles_anywhere(const authz_principal *who)
{
	unsigned bits = 0;
	for (size_t i = 0; who && i < who->user.n_grants; i++)
		bits |= authz_role_bit(who->user.grants[i].role);
	return bits;
}

void authz_actor(http_request *req, int64_t org_id, fh_actor *actor)
{
	const authz_principal *who = req->who;
	memset(actor, 0, sizeof *actor);
	actor->name = who ? who->user.email : "system:anonymous";
	actor->user_id = who ? who->user.user_id : 0;
	const char **roles = arena_array(req->arena, who ? who->user.n_grants + 1 : 1,
					 sizeof *roles);
	for (size_t i = 0; who && i < who->user.n_grants; i++)
		if (who->user.grants[i].org_id == org_id)
			roles[actor->n_roles++] = who->user.grants[i].role;
	actor->roles = roles;
}

static bool unauthenticated(http_request *req, const char *message)
{
	req->www_authenticate = true;
	http_error(req, 401, "unauthenticated", NULL, "%s", message);
	return false;
}

bool authz_identify(http_request *req, int session_idle_seconds)
{
	return authz_identify_as(req, session_idle_seconds, NULL);
}

bool authz_identify_as(http_request *req, int session_idle_seconds, const char *query_token)
{
	req->who = NULL;
	const char *authorization = http_header(req, "Authorization");
	const char *cookie = http_cookie(req, "fh_session");
	bool from_query = false;
	if (!authorization && !cookie && query_token) {
		/* ?token= stands for the Bearer header (a calendar app's feed) */
		authorization = arena_printf(req->arena, "Bearer %s", query_token);
		from_query = true;
	}
	if (!authorization && !cookie)
		return true;
	uint8_t hash[STORE_TOKEN_HASH_BYTES];
	int64_t user_id = 0, session_id = 0;
	bool must_enrol = false;
	store_token_scope scope = STORE_SCOPE_API;
	fh_error err = {0};
	fh_status s;
	time_t now = time(NULL);
	if (authorization) {
		if (strncasecmp(authorization, "Bearer ", 7) != 0)
			return unauthenticated(req, "Authorization must be 'Bearer TOKEN'");
		const char *token = authorization + 7;
		while (*token == ' ')
			token++;
		store_token_hash(token, hash);
		s = store_token_resolve(req->st, hash, now, &user_id, &scope, &err);
		if (!s && from_query && scope != STORE_SCOPE_FEED)
			return unauthenticated(req, "only a feed token (fairhearing token create "
						    "--scope feed) may be sent in the address");
	} else {
		store_token_hash(cookie, hash);
		s = store_session_resolve(req->st, hash, now, session_idle_seconds, &user_id,
					  &session_id, &must_enrol, &err);
	}
	if (s == FH_ENOTFOUND)
		return unauthenticated(req, authorization
			? "the API token is unknown, revoked or expired"
			: "the session has ended or expired: sign in again");
	authz_principal *who = arena_alloc(req->arena, sizeof *who);
	if (!s)
		s = store_principal_get(req->st, user_id, req->arena, &who->user, &err);
	if (s) {
		http_fail(req, &err);
		return false;
	}
	who->session_id = session_id;
	who->via = authorization ? "token" : "session";
	who->feed_only = authorization && scope == STORE_SCOPE_FEED;
	who->must_enrol = must_enrol;
	if (!authorization) {
		char *csrf = arena_alloc(req->arena, STORE_CSRF_TEXT_MAX);
		store_session_csrf(cookie, csrf);
		who->csrf = csrf;
	}
	req->who = who;
	return true;
}

/* A 404 worded exactly as for something that does not exist. */
static bool not_found(http_request *req, const char *field, const char *what, const char *name)
{
	http_error(req, 404, "not_found", field, "no %s %s", what, name ? name : "");
	return false;
}

static bool forbidden(http_request *req, const char *what)
{
	http_error(req, 403, "forbidden", NULL, "your roles do not allow you to %s", what);
	return false;
}

bool authz_org(http_request *req, const char *org_code, unsigned roles)
{
	fh_org org;
	fh_error err = {0};
	fh_status s = store_org_get(req->st, org_code, req->arena, &org, &err);
	if (s == FH_ENOTFOUND)
		return not_found(req, "org", "organisation", org_code);
	if (s) {
		http_fail(req, &err);
		return false;
	}
	unsigned held = authz_roles_in(req->who, org.id);
	if (!held)
		return not_found(req, "org", "organisation", org_code);
	if (roles != AUTHZ_ANY_ROLE && !(held & roles))
		return forbidden(req, "do this in this organisation");
	req->org_id = org.id;
	return true;
}

static bool check_case(http_request *req, const char *reference, unsigned roles)
{
	int64_t case_id = 0, org_id = 0;
	fh_error err = {0};
	fh_status s = store_case_locate(req->st, reference, &case_id, &org_id, &err);
	if (s == FH_ENOTFOUND)
		return not_found(req, "reference", "case", reference);
	if (s) {
		http_fail(req, &err);
		return false;
	}
	unsigned held = authz_roles_in(req->who, org_id);
	if (!(held & AUTHZ_ORG_WIDE)) {
		/* Another tenant's case, or one this officer is not assigned to:
		 * the same answer as a case that does not exist. */
		bool assigned = false;
		if (held & AUTHZ_ASSIGNED_ONLY) {
			s = store_case_assigned(req->st, case_id, req->who->user.user_id, &assigned,
						&err);
			if (s) {
				http_fail(req, &err);
				return false;
			}
		}
		if (!assigned)
			return not_found(req, "reference", "case", reference);
	}
	if (roles != AUTHZ_ANY_ROLE && !(held & roles))
		return forbidden(req, "do this on this case");
	req->case_id = case_id;
	req->case_org_id = org_id;
	return true;
}

bool authz_check(http_request *req, const authz_rule *rule)
{
	if (!rule->signed_in)
		return true;
	if (!req->who)
		return unauthenticated(req, "sign in first (POST /api/v1/auth/login), or send "
					    "'Authorization: Bearer TOKEN'");
	switch (rule->scope) {
	case AUTHZ_SCOPE_ORG:
		return authz_org(req, req->params[0], rule->roles);
	case AUTHZ_SCOPE_CASE:
		return check_case(req, req->params[0], rule->roles);
	case AUTHZ_SCOPE_NONE:
		break;
	}
	if (rule->roles != AUTHZ_ANY_ROLE && !(roles_anywhere(req->who) & rule->roles))
		return forbidden(req, "do this");
	return true;
}

unsigned authz_letter_issuers(const char *kind)
{
	const letter_kind_info *k = letter_kind(kind);
	if (!k || !k->issuers)
		return AUTHZ_LETTER_WRITERS;
	unsigned bits = 0;
	for (size_t i = 0; k->issuers[i]; i++)
		bits |= authz_role_bit(k->issuers[i]);
	return bits;
}

bool authz_freezing_view_as(const http_request *req, const char *as)
{
	unsigned held = authz_roles_in(req->who, req->case_org_id);
	if (strcmp(as, "complaints_manager") == 0)
		return (held & (AUTHZ_COMPLAINTS_TEAM | AUTHZ_MANAGER)) != 0;
	return (held & AUTHZ_HEAD_OF_SERVICE) != 0;
}

bool authz_letter_kind(http_request *req, const char *kind)
{
	const letter_kind_info *k = letter_kind(kind);
	if (!k)
		return true;
	if (authz_roles_in(req->who, req->case_org_id) & authz_letter_issuers(kind))
		return true;
	http_error(req, 403, "forbidden", "kind", "your roles do not allow you to issue a %s letter (%s)",
		   k->name, k->source);
	return false;
}

/* The host[:port] of an absolute http(s) URL (an Origin or a Referer), in
 * arena; NULL when it is not one ("null", another scheme, garbage). */
static const char *url_authority(fh_arena *arena, const char *url)
{
	const char *rest;
	if (!strncasecmp(url, "http://", 7))
		rest = url + 7;
	else if (!strncasecmp(url, "https://", 8))
		rest = url + 8;
	else
		return NULL;
	size_t n = strcspn(rest, "/?#");
	if (n == 0 || memchr(rest, '@', n))
		return NULL; /* no host, or user:password@ (never in a browser's Origin) */
	return arena_strndup(arena, rest, n);
}

bool authz_same_origin(fh_arena *arena, const char *url, const char *host)
{
	const char *authority = url_authority(arena, url);
	return authority && *host && !strcasecmp(authority, host);
}

bool authz_csrf(http_request *req)
{
	if (!req->who || !req->who->session_id || !req->who->csrf)
		return true;
	const char *m = req->method;
	if (!strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS"))
		return true;
	const char *sent = http_header(req, "X-CSRF-Token");
	const char *want = req->who->csrf;
	if (sent && strlen(sent) == strlen(want) && sodium_memcmp(sent, want, strlen(want)) == 0)
		return true;
	const char *host = http_header(req, "Host");
	const char *origin = http_header(req, "Origin");
	const char *from = origin ? origin : http_header(req, "Referer");
	if (!sent && from && host && authz_same_origin(req->arena, from, host))
		return true;
	http_error(req, 403, "csrf", sent ? "X-CSRF-Token" : NULL, "%s",
		   sent ? "the X-CSRF-Token header is not this session's token"
			: "a change made with the session cookie needs the X-CSRF-Token header "
			  "(csrf_token from /api/v1/me) or to come from this server's own pages");
	return false;
}

bool authz_token_scope(http_request *req, bool feed_route)
{
	if (!req->who || !req->who->feed_only || feed_route)
		return true;
	http_error(req, 403, "forbidden", NULL,
		   "this token's scope is the deadlines feed only "
		   "(GET /api/v1/calendar/deadlines.ics)");
	return false;
}
