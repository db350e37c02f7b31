/*
 * web_layout.c: the frame of every page, and the one stylesheet.
 *
 * The stylesheet (src/web/site.css) is compiled into the binary
 * (tools/embed_asset.c), so the server needs no files beside it and pages
 * load nothing from anywhere else.  Its URL carries a digest of its
 * content, so it can be cached for a year and a new release is still
 * fetched at once.
 */
#include "web.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "config.h"

extern const unsigned char WEB_SITE_CSS[];
extern const size_t WEB_SITE_CSS_LEN;

static char css_href[64];
static pthread_once_t css_once = PTHREAD_ONCE_INIT;

static void make_css_href(void)
{
	/* FNV-1a: a fingerprint for cache-busting, not a security digest. */
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < WEB_SITE_CSS_LEN; i++)
		h = (h ^ WEB_SITE_CSS[i]) * 16777619u;
	snprintf(css_href, sizeof css_href, "/assets/site.css?v=%08x", (unsigned)h);
}

const char *web_css_href(void)
{
	pthread_once(&css_once, make_css_href);
	return css_href;
}

void web_asset_css(http_request *req)
{
	char *copy = malloc(WEB_SITE_CSS_LEN + 1);
	if (!copy) {
		http_error(req, 503, "unavailable", NULL, "out of memory");
		return;
	}
	memcpy(copy, WEB_SITE_CSS, WEB_SITE_CSS_LEN);
	copy[WEB_SITE_CSS_LEN] = '\0';
	req->status = 200;
	req->text_out = copy;
	req->text_len = WEB_SITE_CSS_LEN;
	req->content_type = "text/css; charset=utf-8";
	req->cache_control = "public, max-age=31536000, immutable";
}

void web_page_begin(http_request *req, html_buf *b, const char *title,
		    const web_page_opts *opts)
{
	static const web_page_opts none = {0};
	if (!opts)
		opts = &none;
	const char *site = opts->org_name ? opts->org_name : "Fairhearing";
	html_raw(b, "<!doctype html>\n<html lang=\"");
	html_attr(b, opts->lang ? opts->lang : "en-GB");
	html_raw(b, "\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>");
	html_text(b, title);
	html_raw(b, " - ");
	html_text(b, site);
	html_raw(b, "</title><link rel=\"stylesheet\" href=\"");
	html_attr(b, web_css_href());
	html_raw(b, "\"></head>\n<body><a class=\"skip-link\" href=\"#main\">Skip to main content</a>"
		    "<header class=\"site-header\"><div class=\"wrap header-row\">"
		    "<a class=\"site-name\" href=\"");
	html_attr(b, opts->home ? opts->home : "/");
	html_raw(b, "\">");
	html_text(b, site);
	html_raw(b, "</a>");
	if (opts->staff && req->who) {
		html_raw(b, "<div class=\"who\"><span>");
		html_text(b, req->who->user.display_name && *req->who->user.display_name
				     ? req->who->user.display_name : req->who->user.email);
		html_raw(b, "</span><form method=\"post\" action=\"/staff/logout\">");
		web_csrf_field(req, b);
		html_raw(b, "<button class=\"button button-secondary button-small\">Sign out</button>"
			    "</form></div>");
	}
	html_raw(b, "</div>");
	if (opts->staff && opts->nav) {
		html_raw(b, "<nav class=\"staff-nav\" aria-label=\"Staff\"><div class=\"wrap\"><ul>");
		for (const web_nav_item *n = opts->nav; n->href; n++) {
			bool current = opts->current && strcmp(opts->current, n->href) == 0;
			html_raw(b, "<li><a href=\"");
			html_attr(b, n->href);
			html_raw(b, current ? "\" aria-current=\"page\">" : "\">");
			html_text(b, n->label);
			html_raw(b, "</a></li>");
		}
		html_raw(b, "</ul></div></nav>");
	}
	html_raw(b, "</header>\n<div class=\"wrap\">");
	if (opts->back) {
		html_raw(b, "<a class=\"back-link\" href=\"");
		html_attr(b, opts->back);
		html_raw(b, "\">Back</a>");
	}
	html_raw(b, "<main id=\"main\" tabindex=\"-1\">\n");
}

void web_page_end(http_request *req, html_buf *b)
{
	(void)req;
	html_raw(b, "\n</main></div>\n<footer class=\"site-footer\"><div class=\"wrap\">"
		    "<p>What you tell us is kept private and used only to deal with it. "
		    "This service works without JavaScript.</p>"
		    "<p>Fairhearing " FH_VERSION "</p></div></footer>\n</body></html>\n");
}
