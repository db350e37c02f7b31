/*
 * routes.c: the route table and the one path every request takes through it.
 */
#include "routes.h"

#include <string.h>
#include <strings.h>

#include "api.h"

#define PUBLIC {false, AUTHZ_SCOPE_NONE, AUTHZ_ANY_ROLE}
#define SIGNED_IN(roles) {true, AUTHZ_SCOPE_NONE, (roles)}
#define ON_ORG(roles) {true, AUTHZ_SCOPE_ORG, (roles)}
#define ON_CASE(roles) {true, AUTHZ_SCOPE_CASE, (roles)}

const route ROUTES[] = {
	/* operations */
	{"GET", "/healthz", api_healthz, 0, PUBLIC},
	{"GET", "/metrics", api_metrics, 0, PUBLIC},
	/* signing in */
	/* login takes the write lock itself, after the slow password check */
	{"POST", "/api/v1/auth/login", api_login, ROUTE_JSON_BODY, PUBLIC},
	{"POST", "/api/v1/auth/logout", api_logout, ROUTE_WRITES, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/me", api_me, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* organisations: only those the caller holds a role in */
	{"GET", "/api/v1/orgs", api_orgs, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/orgs/{org}/teams", api_org_teams, 0, ON_ORG(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/orgs/{org}/users", api_org_users, 0, ON_ORG(AUTHZ_ADMINISTRATOR)},
	/* cases: the list is scoped inside the query; one case by the rule */
	{"GET", "/api/v1/cases", api_case_list, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases", api_case_create, ROUTE_JSON_BODY | ROUTE_WRITES,
	 SIGNED_IN(AUTHZ_RECORD)},
	{"GET", "/api/v1/cases/{ref}", api_case_get, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/cases/{ref}/history", api_case_history, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	/* documents: whoever may see the case; confidential ones are the handler's
	 * further rule (api_documents.c); the upload is the raw file, not JSON */
	{"POST", "/api/v1/cases/{ref}/documents", api_document_upload, ROUTE_WRITES,
	 ON_CASE(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/cases/{ref}/documents", api_document_list, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/cases/{ref}/documents/{id}", api_document_get, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	/* the lifecycle: the rules decide which role may take which action */
	{"GET", "/api/v1/cases/{ref}/lifecycle", api_case_lifecycle, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/actions/{action}", api_case_act,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_CASE(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/actions", api_actions, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/procedures", api_procedures, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* the calendar: anyone signed in; ?org= is checked by the handler (authz_org) */
	{"GET", "/api/v1/calendar/add", api_calendar_add, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/calendar/between", api_calendar_between, 0, SIGNED_IN(AUTHZ_ANY_ROLE)},
	{"GET", "/api/v1/calendar/holidays/{year}", api_calendar_holidays, 0,
	 SIGNED_IN(AUTHZ_ANY_ROLE)},
	/* remedies (001 §18, Appendix B): recorded by those who investigate and
	 * adjudicate, approved by those with the authority to spend */
	{"GET", "/api/v1/cases/{ref}/remedies", api_remedy_list, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/remedies", api_remedy_add, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_REDRESS_RECORD)},
	{"POST", "/api/v1/cases/{ref}/remedies/{id}/approve", api_remedy_approve,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_CASE(AUTHZ_REDRESS_APPROVE)},
	{"POST", "/api/v1/cases/{ref}/remedies/{id}/deliver", api_remedy_deliver,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_CASE(AUTHZ_REDRESS_RECORD)},
	/* persistent behaviour (001 §19, Appendix A): on the person, not the case */
	{"GET", "/api/v1/orgs/{org}/people/{id}/behaviour", api_behaviour_get, 0,
	 ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/people/{id}/warnings", api_behaviour_warn,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/people/{id}/restrictions", api_behaviour_restrict,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/restrictions/{id}/reviews", api_behaviour_review,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/restrictions/{id}/appeal", api_behaviour_appeal,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_BEHAVIOUR)},
	{"POST", "/api/v1/orgs/{org}/restrictions/{id}/appeal/answer", api_behaviour_answer,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_ORG(AUTHZ_SENIOR)},
	{"POST", "/api/v1/cases/{ref}/restrictions/{id}/decision", api_case_restriction_decide,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_BEHAVIOUR_DECIDE)},
	/* freezing a proposed change of placement or service (001 §11) */
	{"GET", "/api/v1/cases/{ref}/freezing", api_freeze_list, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/freezing", api_freeze_request, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_FREEZE_REQUEST)},
	{"POST", "/api/v1/cases/{ref}/freezing/{id}/view", api_freeze_view,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_FREEZE_VIEW)},
	{"POST", "/api/v1/cases/{ref}/freezing/{id}/decision", api_freeze_decide,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_LEADERSHIP)},
	{"POST", "/api/v1/cases/{ref}/freezing/{id}/review", api_freeze_review,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_FREEZE_VIEW)},
	/* data rights (DOMAIN §8; 001 §14.3) */
	{"GET", "/api/v1/orgs/{org}/people/{id}/export", api_subject_export, 0,
	 ON_ORG(AUTHZ_DATA_RIGHTS)},
	{"GET", "/api/v1/cases/{ref}/consents", api_consent_list, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/consents", api_consent_add, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_RECORD)},
	/* the redacted copy is the raw file, as an upload */
	{"POST", "/api/v1/cases/{ref}/documents/{id}/redactions", api_document_redact, ROUTE_WRITES,
	 ON_CASE(AUTHZ_REDACT)},
	/* joint complaints: one co-ordinated response (001 §13), other organisations (§12) */
	{"GET", "/api/v1/cases/{ref}/joint", api_joint_get, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/contributions", api_contribution_request,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_COORDINATE)},
	{"POST", "/api/v1/cases/{ref}/contributions/{id}/received", api_contribution_received,
	 ROUTE_JSON_BODY | ROUTE_EMPTY_BODY_OK | ROUTE_WRITES, ON_CASE(AUTHZ_COORDINATE)},
	{"POST", "/api/v1/cases/{ref}/liaisons", api_liaison_add, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_COORDINATE)},
	/* advocacy and access (DOMAIN §7) */
	{"GET", "/api/v1/cases/{ref}/advocacy", api_advocacy_get, 0, ON_CASE(AUTHZ_ANY_ROLE)},
	{"POST", "/api/v1/cases/{ref}/advocacy", api_advocacy_step, ROUTE_JSON_BODY | ROUTE_WRITES,
	 ON_CASE(AUTHZ_ADVOCACY)},
	{"POST", "/api/v1/cases/{ref}/access-needs", api_access_need_add,
	 ROUTE_JSON_BODY | ROUTE_WRITES, ON_CASE(AUTHZ_ADVOCACY)},
	{"GET", "/api/v1/orgs/{org}/advocacy-counts", api_advocacy_counts, 0, ON_ORG(AUTHZ_ORG_WIDE)},
	/* persistent behaviour: every review and appeal still due in the organisation */
	{"GET", "/api/v1/orgs/{org}/behaviour-deadlines", api_behaviour_deadlines, 0,
	 ON_ORG(AUTHZ_BEHAVIOUR)},
	/* remedies by type for reports (001 §16: what complaints led to) */
	{"GET", "/api/v1/orgs/{org}/redress-totals", api_redress_totals, 0, ON_ORG(AUTHZ_ORG_WIDE)},
};
const size_t N_ROUTES = sizeof ROUTES / sizeof ROUTES[0];

/*
 * Matches path against pattern segment by segment; a {name} segment matches
 * any non-empty segment and is copied into params.
 */
static bool match(const char *pattern, const char *path, http_request *req,
		  const char *params[HTTP_MAX_PARAMS])
{
	size_t n = 0;
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++;
		path++;
		const char *pend = strchr(pattern, '/');
		const char *send = strchr(path, '/');
		size_t plen = pend ? (size_t)(pend - pattern) : strlen(pattern);
		size_t slen = send ? (size_t)(send - path) : strlen(path);
		if (plen > 1 && pattern[0] == '{') {
			if (slen == 0 || n == HTTP_MAX_PARAMS)
				return false;
			params[n++] = arena_strndup(req->arena, path, slen);
		} else if (plen != slen || memcmp(pattern, path, plen) != 0) {
			return false;
		}
		pattern += plen;
		path += slen;
	}
	return *pattern == '\0' && *path == '\0';
}

/* application/json, with or without parameters such as charset=utf-8. */
static bool is_json(const char *content_type)
{
	if (!content_type)
		return false;
	while (*content_type == ' ')
		content_type++;
	size_t n = strlen("application/json");
	return strncasecmp(content_type, "application/json", n) == 0 &&
	       (content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' ');
}

static bool parse_body(http_request *req, bool empty_ok)
{
	if (empty_ok && req->body_len == 0)
		return true; /* no parameters */
	if (!is_json(http_header(req, "Content-Type"))) {
		http_error(req, 415, "unsupported_media_type", NULL,
			   "send the body as JSON with 'Content-Type: application/json'");
		return false;
	}
	json_error_t jerr;
	req->json = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req->json) {
		http_error(req, 400, "malformed_json", NULL, "the body is not valid JSON: %s "
			   "(line %d, column %d)", jerr.text, jerr.line, jerr.column);
		return false;
	}
	if (!json_is_object(req->json)) {
		http_error(req, 400, "malformed_json", NULL, "the body must be a JSON object");
		return false;
	}
	return true;
}

void routes_dispatch(http_request *req, pthread_mutex_t *write_lock, int session_idle_seconds)
{
	const route *found = NULL;
	char allow[64] = "";
	const char *params[HTTP_MAX_PARAMS] = {0};
	for (size_t i = 0; i < N_ROUTES && !found; i++) {
		if (!match(ROUTES[i].pattern, req->path, req, params))
			continue;
		if (strcmp(ROUTES[i].method, req->method) == 0 ||
		    (strcmp(req->method, "HEAD") == 0 && strcmp(ROUTES[i].method, "GET") == 0)) {
			found = &ROUTES[i];
		} else if (!strstr(allow, ROUTES[i].method)) {
			size_t used = strlen(allow);
			snprintf(allow + used, sizeof allow - used, "%s%s", used ? ", " : "",
				 ROUTES[i].method);
		}
	}
	if (!found && allow[0]) {
		req->allow = arena_strdup(req->arena, allow);
		http_error(req, 405, "method_not_allowed", NULL, "%s is not allowed here; use %s",
			   req->method, allow);
		return;
	}
	if (!found) {
		http_error(req, 404, "not_found", NULL, "no such resource: %s", req->path);
		return;
	}
	memcpy(req->params, params, sizeof params);
	/* Who first: a caller who may not use the route learns nothing from
	 * how its body would have been judged. */
	if (!authz_identify(req, session_idle_seconds) || !authz_check(req, &found->rule))
		return;
	if ((found->flags & ROUTE_JSON_BODY) &&
	    !parse_body(req, found->flags & ROUTE_EMPTY_BODY_OK))
		return;
	if (found->flags & ROUTE_WRITES)
		pthread_mutex_lock(write_lock);
	found->handler(req);
	if (found->flags & ROUTE_WRITES)
		pthread_mutex_unlock(write_lock);
}
