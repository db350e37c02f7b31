/*
 * http: one request as the handlers see it, and the small set of ways a
 * handler answers.
 *
 * By the time a handler runs, the route table (routes.c) has matched the
 * method and path, the authorisation check (authz.c) has decided that the
 * caller may use this route on this organisation or case, and the body has
 * been read within its limit and, for a JSON route, parsed.  A handler only
 * parses its own fields, calls the store, and fills in the response.
 *
 * Memory: everything a handler allocates for the request comes from
 * req->arena, freed when the response has been sent.  The response body
 * (req->out) is a jansson value the request owns.
 */
#ifndef FH_HTTP_H
#define FH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "arena.h"
#include "date.h"
#include "error.h"
#include "store.h"

typedef struct server server;
typedef struct authz_principal authz_principal;
struct MHD_Connection;

enum { HTTP_MAX_PARAMS = 3 };

typedef struct http_request {
	/* ---- the request ---- */
	const char *method;
	const char *path;      /* without the query string */
	const char *log_path;  /* path as logs show it: secrets digested (routes_log_path) */
	struct MHD_Connection *conn;
	const char *client_ip;
	bool secure;           /* reached over TLS (a proxy said so, or --secure-cookies) */
	const char *body;      /* NUL-terminated; "" when there is none */
	size_t body_len;
	json_t *json;          /* the parsed body, for routes that take JSON */
	const char *params[HTTP_MAX_PARAMS]; /* the values of the route's {name} segments, in order */
	/* The same segments read as numbers, the one place a route's {id} is
	 * parsed (routes.c): a positive whole number, or 0 when the segment is
	 * not one (a {ref}, a word, "12abc", "-1", one too big). */
	int64_t ids[HTTP_MAX_PARAMS];
	fh_date today;

	/* ---- what the request may use ---- */
	fh_arena *arena;
	fh_store *st;          /* this worker thread's connection */
	server *srv;

	/* ---- who is asking (NULL: nobody signed in), and what the check found ---- */
	authz_principal *who;
	int64_t case_id, case_org_id; /* for a route on one case */
	int64_t org_id;               /* for a route on one organisation */

	/* ---- the response ---- */
	int status;
	json_t *out;               /* owned; NULL: no body */
	char *text_out;            /* a non-JSON body (malloc'd, owned), e.g. /metrics */
	const char *content_type;  /* for text_out */
	size_t text_len;           /* text_out's length when it may hold NUL bytes
				    * (a document); 0: it is a string */
	const char *content_disposition; /* with text_out (a download), or NULL */
	const char *location;      /* Location header, or NULL */
	const char *set_cookie;    /* Set-Cookie header, or NULL */
	const char *allow;         /* Allow header for 405 */
	int retry_after;           /* Retry-After seconds, 0: none */
	bool www_authenticate;     /* 401: say how to authenticate */
	const char *more_cookies[3]; /* further Set-Cookie headers (http_set_cookie) */
	const char *cache_control; /* Cache-Control, or NULL: no-store */

	/* ---- the web pages (src/web/web.h) ---- */
	bool html;                 /* answer failures as HTML pages, not JSON */
	struct web_state *web;     /* the parsed form, the CSRF token; NULL until used */
} http_request;

/* Answers with status and a JSON body (ownership of body passes to req). */
void http_json(http_request *req, int status, json_t *body);

/*
 * Answers with {"error": {"code", "message", "field"}}; field may be NULL
 * (written as null).
 */
void http_error(http_request *req, int status, const char *code, const char *field,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Answers with an fh_error: EINVAL and ERULE 422, ENOTFOUND 404, ECONFLICT
 * 409, EFORBIDDEN 403; a failure of the database or the program 500, its
 * details on stderr only (they may name tables, never useful to a client).
 */
void http_fail(http_request *req, const fh_error *err);

/* Adds a Set-Cookie header (up to four per answer; more abort: a bug). */
void http_set_cookie(http_request *req, const char *cookie);

/* A query-string argument, or NULL. */
const char *http_query(const http_request *req, const char *name);

/* A request header, or NULL. */
const char *http_header(const http_request *req, const char *name);

/* A cookie, or NULL. */
const char *http_cookie(const http_request *req, const char *name);

#endif
