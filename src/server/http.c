/*
 * http.c: answering, and reading what libmicrohttpd parsed.
 */
#include "http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

void http_json(http_request *req, int status, json_t *body)
{
	/* One body: a JSON answer replaces any text rendered before it. */
	free(req->text_out);
	req->text_out = NULL;
	json_decref(req->out);
	req->status = status;
	req->out = body;
}

void http_error(http_request *req, int status, const char *code, const char *field,
		const char *fmt, ...)
{
	char message[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	json_t *e = json_pack("{ss ss so}", "code", code, "message", message, "field",
			      field && *field ? json_string(field) : json_null());
	http_json(req, status, json_pack("{so}", "error", e));
}

void http_fail(http_request *req, const fh_error *err)
{
	int status;
	switch (err->status) {
	case FH_EINVAL:
	case FH_ERULE: status = 422; break;
	case FH_ENOTFOUND: status = 404; break;
	case FH_ECONFLICT: status = 409; break;
	case FH_EFORBIDDEN: status = 403; break;
	case FH_EBUSY: status = 503; break;
	default: status = 500; break;
	}
	if (status == 500) {
		/* The words may name tables or files: they go to the operator. */
		fprintf(stderr, "fairhearing: serve: %s %s: %s: %s\n", req->method,
			req->log_path ? req->log_path : "-",
			error_status_name(err->status), err->message);
		http_error(req, 500, "internal", NULL,
			   "the server could not complete the request; it has been logged");
		return;
	}
	char message[600];
	if (err->source[0])
		snprintf(message, sizeof message, "%s (%s)", err->message, err->source);
	else
		snprintf(message, sizeof message, "%s", err->message);
	http_error(req, status, error_status_name(err->status), err->field, "%s", message);
	if (err->source[0])
		json_object_set_new(json_object_get(req->out, "error"), "source",
				    json_string(err->source));
}

void http_set_cookie(http_request *req, const char *cookie)
{
	if (!req->set_cookie) {
		req->set_cookie = cookie;
		return;
	}
	for (size_t i = 0; i < sizeof req->more_cookies / sizeof req->more_cookies[0]; i++)
		if (!req->more_cookies[i]) {
			req->more_cookies[i] = cookie;
			return;
		}
	abort();
}

const char *http_query(const http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(const http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}
