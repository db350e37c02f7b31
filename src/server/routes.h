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
	ROUTE_WRITES = 1 << 1,    /* runs under the server's write lock */
	ROUTE_EMPTY_BODY_OK = 1 << 2, /* with ROUTE_JSON_BODY: no body at all is allowed */
	ROUTE_TOKEN_IN_QUERY = 1 << 3, /* an API token may come as ?token= (calendar feeds) */
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
 * Answers the request (req->status and body set).  write_lock is taken
 * around a handler flagged ROUTE_WRITES.
 */
void routes_dispatch(http_request *req, pthread_mutex_t *write_lock, int session_idle_seconds);

#endif
