/*
 * web_pages: the handlers of the HTML pages, one module per group of pages
 * (after cgit's ui-*.c).  Each runs only after routes_dispatch has matched,
 * authorised and (for a POST) parsed the form and checked its CSRF token.
 *
 *   web_layout.c   GET /assets/site.css
 *   web_public.c   the public's pages under /o/{org}/: the start page and
 *                  its version for children and young people
 *   web_complaint.c the online form: /o/{org}/form/{step}, check your
 *                  answers and sending (/o/{org}/form/check)
 *   web_track.c    the private tracking page: /o/{org}/track/{token}
 *   web_letters.c  the letters sent to the customer, from the tracking page:
 *                  /o/{org}/track/{token}/letters/{id}
 */
#ifndef FH_WEB_PAGES_H
#define FH_WEB_PAGES_H

#include "html.h"
#include "http.h"

void web_public_home_redirect(http_request *req);
void web_public_start(http_request *req);
void web_public_young(http_request *req);

void web_form_step_get(http_request *req);
void web_form_step_post(http_request *req);
void web_form_check(http_request *req);
void web_form_send(http_request *req);

void web_public_track(http_request *req);

void web_public_track_letter(http_request *req);
/* The tracking page's list of the letters of the case (web_letters.c). */
void web_track_letters(http_request *req, html_buf *b, const char *reference);

#endif
