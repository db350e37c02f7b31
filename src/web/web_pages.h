/*
 * web_pages: the handlers of the HTML pages, one module per group of pages
 * (after cgit's ui-*.c).  Each runs only after routes_dispatch has matched,
 * authorised and (for a POST) parsed the form and checked its CSRF token.
 *
 *   web_layout.c   GET /assets/site.css
 *   web_public.c   the public's pages under /o/{org}/: the start page and
 *                  its version for children and young people
 */
#ifndef FH_WEB_PAGES_H
#define FH_WEB_PAGES_H

#include "http.h"

void web_public_home_redirect(http_request *req);
void web_public_start(http_request *req);
void web_public_young(http_request *req);

#endif
