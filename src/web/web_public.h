/*
 * web_public: what the public pages share: the organisation named in the
 * path with its installed procedures, and times put into words.
 */
#ifndef FH_WEB_PUBLIC_H
#define FH_WEB_PUBLIC_H

#include <stdbool.h>

#include "http.h"
#include "model.h"
#include "procedure.h"

typedef struct web_public_org {
	fh_org org;
	fh_procedure *procs[8]; /* statutory first; owned: web_public_org_free */
	size_t n_procs;
	const char *home;       /* "/o/CODE/" */
} web_public_org;

/*
 * Loads the organisation of req->params[0] and its procedures; false with
 * the answer (a 404 page for an unknown code) when it cannot.
 */
bool web_public_org_load(http_request *req, web_public_org *o);
void web_public_org_free(web_public_org *o);

/* A private tracking link of the path (/o/{org}/track/{token}...) opened. */
typedef struct web_track_link {
	web_public_org o;      /* the organisation of the path: web_public_org_free */
	const char *reference; /* the case the link opens */
	int64_t case_id;
	fh_status s;           /* FH_ENOTFOUND: a token unknown, ended or another
				* organisation's; another failure is in err */
	fh_error err;
} web_track_link;

/*
 * Loads the organisation of the path and finds the case its tracking link
 * (req->params[1]) opens (web_track.c); false when the organisation's
 * answer has been given (an unknown code), else t->o is the caller's to free.
 */
bool web_track_open(http_request *req, web_track_link *t);

/* "2 working days", "1 week", "1 year" (in req->arena). */
const char *web_span_words(http_request *req, proc_span span);

/* The procedure's acknowledgement clock (its own, or its first stage's), or NULL. */
const proc_clock *web_ack_clock(const fh_procedure *p);

#endif
