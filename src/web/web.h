/*
 * web: the HTML pages' shared machinery (the contract every page module
 * builds on).
 *
 * A page is a row of the route table (src/server/routes.c) flagged
 * ROUTE_HTML.  For such a route, routes_dispatch:
 *  - answers every failure as a small HTML page in the site layout, never
 *    JSON (web_failure_page): 403, 404, 405, 413, 415 and 5xx alike;
 *  - sends a visitor who is not signed in, on a route whose rule needs a
 *    sign-in, to 303 /staff/login?next=PATH (the staff pages provide
 *    GET/POST /staff/login and POST /staff/logout; the login page must
 *    follow next only when it is a path on this site, "/x" and not "//x");
 *    a stale session cookie on a public page is ignored rather than refused;
 *  - parses a POST body as a form: application/x-www-form-urlencoded, or
 *    multipart/form-data on a ROUTE_UPLOAD route (files up to
 *    WEB_UPLOAD_FILE_MAX each, WEB_UPLOAD_BODY_MAX in all); any other type
 *    is 415; a value that is not UTF-8 or holds a control character is 400
 *    naming the field;
 *  - checks the form's CSRF token before the handler runs (no handler can
 *    forget): a signed-in staff member's token is bound to their session; a
 *    member of the public's is a double-submit token, the same random value
 *    in a SameSite=Strict cookie and in the form.  A missing or wrong token
 *    is a 403 page ("This form has expired") and nothing is written.
 *
 * A handler then reads fields with web_form / web_form_all / web_file,
 * builds its page into an html_buf with web_page_begin ... web_page_end and
 * the form helpers below (every value escaped: html.h), and answers with
 * web_html or web_redirect.
 *
 * Memory: everything here lives in req->arena, except the html_buf, which
 * web_html takes over.
 */
#ifndef FH_WEB_H
#define FH_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "html.h"
#include "http.h"

/* The site's headers for every HTML answer (server.c adds them): no inline
 * script, nothing from elsewhere, never in a frame. */
#define WEB_CSP "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " \
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

enum {
	WEB_UPLOAD_FILE_MAX = 5 * 1024 * 1024,  /* one uploaded file */
	WEB_UPLOAD_BODY_MAX = 11 * 1024 * 1024, /* a whole upload form: two files and the text */
	WEB_MAX_FIELDS = 1000, /* more in one form is 400: no page has a tenth of that */
};

/* The name of the hidden CSRF field in every form. */
#define WEB_CSRF_FIELD "csrf_token"

/* ---- reading the form (after dispatch has parsed it) --------------------- */

typedef struct web_upload {
	const char *field;        /* the input's name */
	const char *filename;     /* as the browser sent it (no path) */
	const char *content_type; /* as the browser sent it, lower-cased, no parameters */
	const unsigned char *data;
	size_t size;
} web_upload;

/* The first value of a field, or NULL when the form has none. */
const char *web_form(const http_request *req, const char *name);
/* Every value of a repeated field (checkboxes), in order; *n gets how many. */
const char **web_form_all(const http_request *req, const char *name, size_t *n);
/* The uploaded files of a field (empty file inputs are left out). */
const web_upload *web_files(const http_request *req, const char *name, size_t *n);

/* ---- answering ------------------------------------------------------------ */

/* Answers with the page in b (taken over; b is left empty). */
void web_html(http_request *req, int status, html_buf *b);
/* 303 See Other to location (a path on this site). */
void web_redirect(http_request *req, const char *location);
/*
 * A small page in the site layout saying what went wrong: title (a heading)
 * and message (a sentence), both plain text.
 */
void web_error_page(http_request *req, int status, const char *title, const char *message);
/*
 * Called on every answer (server.c): when req is a failure answered as JSON
 * on an HTML path (routes_is_html_path), replaces it with the HTML page for
 * its status, keeping the JSON message as the explanation.
 */
void web_failure_page(http_request *req);

/* ---- CSRF -------------------------------------------------------------- */

/* The token this request's forms carry (sets the public cookie if needed). */
const char *web_csrf_token(http_request *req);
/* <input type="hidden" name="csrf_token" value="..."> */
void web_csrf_field(http_request *req, html_buf *b);
/* Dispatch's check of a POSTed form; false with the 403 page when it fails. */
bool web_csrf_check(http_request *req);
/* Dispatch's parse of a POSTed form; false with the 4xx page when it fails. */
bool web_parse_form(http_request *req, bool uploads_allowed);
/*
 * The same with the Content-Type given (the fuzz target's way in: it has no
 * connection to read headers from); req->body, body_len and arena are read.
 */
bool web_parse_form_as(http_request *req, const char *content_type, bool uploads_allowed);
/* The form's fields as parsed, in order (for the fuzz target's checks). */
size_t web_form_count(const http_request *req);
const char *web_form_name(const http_request *req, size_t i);

/* ---- the layout ------------------------------------------------------------ */

typedef struct web_nav_item {
	const char *href;
	const char *label;
} web_nav_item;

typedef struct web_page_opts {
	/* Public pages: the organisation's name heads the page and its home
	 * link (NULL: "Fairhearing").  home: where the name links (NULL: "/"). */
	const char *org_name;
	const char *home;
	/* Staff pages: the signed-in user's name and a sign-out button head the
	 * page, with these links (NULL-terminated by a NULL href; may be NULL). */
	bool staff;
	const web_nav_item *nav;
	const char *current;  /* href of the nav item to mark as the current page */
	const char *back;     /* a "Back" link above the content, or NULL */
	const char *lang;     /* NULL: "en-GB" */
} web_page_opts;

/*
 * <!doctype html> ... up to and including <main id="main">: title is the
 * page's <title> (plain text; " - " and the site's name are added).
 */
void web_page_begin(http_request *req, html_buf *b, const char *title,
		    const web_page_opts *opts);
/* </main>, the footer, </body></html>. */
void web_page_end(http_request *req, html_buf *b);

/* GET /assets/site.css: the one stylesheet, from the binary, cached a year. */
void web_asset_css(http_request *req);
/* The stylesheet's URL with its version (for <link>). */
const char *web_css_href(void);

/* ---- form helpers (GOV.UK patterns; every value escaped) -------------------- */

typedef struct web_option {
	const char *value;
	const char *label;
	const char *hint; /* may be NULL */
} web_option;

/*
 * One question.  The first control's id is always name, so an error
 * summary links to "#name" for every kind of field.  The label is the
 * page's <h1> when label_is_heading (one question on the page).
 */
typedef struct web_field {
	const char *name;
	const char *label;
	const char *hint;         /* NULL: none */
	const char *error;        /* NULL: none; shown above the control */
	const char *value;        /* text value, or the chosen radio/select value */
	bool label_is_heading;
	bool optional;            /* "(optional)" after the label */
	/* inputs */
	const char *type;         /* "text" (default), "email", "tel" */
	const char *autocomplete; /* NULL: none */
	const char *width_class;  /* NULL: full width; "w-10", "w-20" ... */
	const char *inputmode;    /* NULL, or "numeric" ... */
	int rows;                 /* textarea: 0 = 5 */
	int maxlength;            /* 0: none */
	/* radios, checkboxes, select */
	const web_option *options;
	size_t n_options;
	const char *const *checked; /* checkboxes: the chosen values */
	size_t n_checked;
	/* date: the three parts as typed */
	const char *day, *month, *year;
	/* file */
	const char *accept;       /* NULL: any */
} web_field;

void web_input(html_buf *b, const web_field *f);
void web_textarea(html_buf *b, const web_field *f);
void web_radios(html_buf *b, const web_field *f);
void web_checkboxes(html_buf *b, const web_field *f);
void web_select(html_buf *b, const web_field *f);
/* Day, month and year inputs named NAME-day, NAME-month, NAME-year. */
void web_date(html_buf *b, const web_field *f);
void web_file_input(html_buf *b, const web_field *f);

/* A form's problems, in the order of its fields. */
typedef struct web_errors {
	size_t n;
	struct {
		const char *field;   /* the field's name (its first control's id) */
		const char *message; /* plain text */
	} items[32];
} web_errors;

void web_errors_add(web_errors *e, const char *field, const char *message);
/* The message for field, or NULL. */
const char *web_errors_for(const web_errors *e, const char *field);
/* "There is a problem" with a link to each field; nothing when e has none. */
void web_error_summary(html_buf *b, const web_errors *e);

/* A check-your-answers row: key, value (plain text), change link (may be NULL). */
void web_summary_row(html_buf *b, const char *key, const char *value, const char *change_href,
		     const char *change_what);
/* <dl class="summary"> ... </dl> around the rows. */
void web_summary_begin(html_buf *b);
void web_summary_end(html_buf *b);

/* Percent-encodes s for a query string value (into req->arena). */
const char *web_url_encode(http_request *req, const char *s);

#endif
