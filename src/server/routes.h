/*
 * routes: the table of every route the server answers, and dispatch.
 *
 * Each row says the method, the path pattern ({name} matches one path
 * segment and becomes req->params[i]), the handler, whether the body is
 * JSON, whether the handler writes, and the authorisation rule.  Dispatch
 * is the same for every row: match (404, or 405 with Allow), identify the
 * caller (401), apply the rule (401/403/404), check the body's media type
 * (415) and parse it (400), and only then run the handler.
 */
#ifndef FH_ROUTES_H
#define FH_ROUTES_H

#include <pthread.h>
#include <stdbool.h>

#include "authz.h"
#include "http.h"

typedef void (*route_handler)(http_request *req);

enum route_flags {
	ROUTE_JSON_BODY = 1 << 0, /* the body must be application/json */
	ROUTE_WRITES = 1 << 1,    /* runs on the group-commit writer (writeq.h), or under
				   * the server's write lock when there is none */
	ROUTE_EMPTY_BODY_OK = 1 << 2, /* with ROUTE_JSON_BODY: no body at all is allowed */
	/* A web page (src/web/web.h): failures answer as HTML pages; a signed-in
	 * route sends a stranger to /staff/login; a POST's body is a form
	 * (application/x-www-form-urlencoded, else 415) checked for its CSRF
	 * token before the handler runs. */
	ROUTE_HTML = 1 << 3,
	/* With ROUTE_HTML: the form may also be multipart/form-data with files,
	 * up to WEB_UPLOAD_BODY_MAX bytes in all. */
	ROUTE_UPLOAD = 1 << 4,
	ROUTE_TOKEN_IN_QUERY = 1 << 5, /* an API token may come as ?token= (calendar feeds) */
};

typedef struct route {
	const char *method;
	const char *pattern;
	route_handler handler;
	int flags;
	authz_rule rule;
} route;

/* The table, for the route-by-role test and the documentation check. */
extern const route ROUTES[];
extern const size_t N_ROUTES;

/*
 * The roles the route table lets run handler (the rule of its first route),
 * so that a page offering what a route does asks the route's own rule
 * rather than a copy of it; AUTHZ_ANY_ROLE for a handler no route names.
 */
unsigned routes_roles_of(route_handler handler);

/*
 * Answers the request (req->status and body set).  write_lock is taken
 * around a handler flagged ROUTE_WRITES.
 */
void routes_dispatch(http_request *req, pthread_mutex_t *write_lock, int session_idle_seconds);

/*
 * The largest body the request's route accepts: server_limit, or more for
 * an upload route (ROUTE_UPLOAD).  Asked before the body is read.
 */
size_t routes_body_limit(const http_request *req, size_t server_limit);

/* Whether the request's route takes files (ROUTE_UPLOAD): its body is kept
 * in a temporary file, not in memory, and counts towards its address's cap. */
bool routes_is_upload(const http_request *req);

/*
 * True when a failure at this path is answered as an HTML page: the path
 * belongs to a ROUTE_HTML route, or lies under /o/, /staff or /assets/.
 */
bool routes_is_html_path(const char *path);

/*
 * The path as a log may show it, in arena: a secret in
 * the path -- the {token} of a route such as the public tracking link, or
 * any segment that is a session or API token ("fhs_", "fht_", "fhf_") -- becomes
 * "~" and the first 8 hex digits of its BLAKE2b digest (store_log_digest),
 * enough to tie lines together and useless to open the link; a byte that
 * is not part of valid UTF-8, and any control character, becomes \xNN, so
 * that every request is logged and no line can be forged.
 */
const char *routes_log_path(const char *path, fh_arena *arena);

/*
 * The two steps of dispatch that read the request line and headers, on
 * their own (for the fuzz target): whether path matches a route pattern
 * (params get the {name} segments, copied into arena), and whether a
 * Content-Type is application/json.
 */
bool routes_path_match(const char *pattern, const char *path, fh_arena *arena,
		       const char *params[HTTP_MAX_PARAMS]);
bool routes_is_json(const char *content_type);

#endif
