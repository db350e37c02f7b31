/*
 * web_letters.c: the letters of a case as the customer sees them, from the
 * private tracking link: a letter issued on the case is shown there too
 * (docs/letters.md).
 *
 *   web_track_letters           the "Letters we have sent you" section of
 *                               /o/{org}/track/{token}
 *   GET /o/{org}/track/{token}/letters/{id}[?format=pdf]
 *                               one letter, in the site's layout, or its PDF
 *
 * The token is the credential, as on the tracking page itself: it is
 * checked by its digest; an unknown token, another organisation's, or a
 * letter id that is not one of this case's letters all answer the same
 * 404.  A letter is built from the customer's view of the case
 * (lifecycle_public_view) and addressed to the customer's side (the
 * complainant, their representative or solicitor), so every letter of the
 * case is theirs to read; nothing confidential is in one (docs/letters.md).
 * Each letter read is written to the access log before it is sent, as the
 * API's letter route does ("document", "letter N FORMAT"), with the words
 * "private tracking link".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "letter.h"
#include "server.h"
#include "store_auth.h"
#include "store_letter.h"
#include "store_public.h"
#include "web.h"
#include "web_pages.h"
#include "web_public.h"

/* How a variant is named to the customer. */
static const char *variant_words(const char *variant)
{
	if (variant && !strcmp(variant, "plain"))
		return "Plain language version";
	if (variant && !strcmp(variant, "child"))
		return "Version for children and young people";
	return "Standard version";
}

void web_track_letters(http_request *req, html_buf *b, const char *reference)
{
	store_letter *ls = NULL;
	size_t n = 0;
	fh_error err = {0};
	html_raw(b, "<h2 id=\"letters\">Letters we have sent you</h2>");
	if (store_letter_list(req->st, reference, req->arena, &ls, &n, &err)) {
		html_raw(b, "<p>We cannot show your letters just now. Please try again later.</p>");
		return;
	}
	if (!n) {
		html_raw(b, "<p>We have not sent you a letter yet.</p>");
		return;
	}
	const char *base = arena_printf(req->arena, "/o/%s/track/%s/letters/", req->params[0],
					req->params[1]);
	/* A list rather than a table: it reads on a 320px phone. */
	html_raw(b, "<ul class=\"letter-list\">");
	for (size_t i = n; i-- > 0;) { /* newest first */
		const store_letter *l = &ls[i];
		char day[64];
		html_raw(b, "<li><a class=\"letter-title\" href=\"");
		html_attr(b, base);
		html_rawf(b, "%lld\">", (long long)l->id);
		html_text(b, l->subject);
		html_raw(b, "</a><span class=\"muted\">Sent ");
		html_text(b, letter_long_date(l->issued_on, day, sizeof day));
		html_raw(b, ". ");
		html_text(b, variant_words(l->variant));
		html_raw(b, ".</span> <a href=\"");
		html_attr(b, base);
		html_rawf(b, "%lld?format=pdf\" download>Download it as a PDF<span class=\"visually-hidden\">: ",
			  (long long)l->id);
		html_text(b, l->subject);
		html_raw(b, "</span></a></li>");
	}
	html_raw(b, "</ul>");
}

static void not_found(http_request *req)
{
	web_error_page(req, 404, "This link does not work",
		       "Check that you copied the whole link. If it still does not work, contact "
		       "us and quote your reference.");
}

/* The letter as its PDF download (as api_letter_get makes it); takes doc. */
static void answer_pdf(http_request *req, const store_letter *l, json_t *doc)
{
	const char *name = arena_printf(req->arena, "%s-letter-%lld.pdf", l->reference,
					(long long)l->id);
	const char *org = json_string_value(
		json_object_get(json_object_get(doc, "letterhead"), "name"));
	/* the array takes doc, and api_answer_pdf the array, after the last use of org */
	api_answer_pdf(req, json_pack("[o]", doc), l->subject, org);
	if (req->status == 200)
		req->content_disposition = arena_printf(req->arena, "attachment; filename=\"%s\"",
							name);
}

void web_public_track_letter(http_request *req)
{
	const char *format = http_query(req, "format");
	if (format && strcmp(format, "html") && strcmp(format, "pdf")) {
		web_error_page(req, 400, "This link does not work",
			       "format must be html or pdf.");
		return;
	}
	bool pdf = format && !strcmp(format, "pdf");
	long long id = req->ids[2];
	web_track_link t;
	if (!web_track_open(req, &t))
		return;
	web_public_org o = t.o;
	fh_error err = t.err;
	fh_status s = t.s;
	store_letter l;
	if (!s && id)
		s = store_letter_get(req->st, t.reference, id, req->arena, &l, &err);
	else if (!s)
		s = FH_ENOTFOUND;
	if (s == FH_ENOTFOUND) {
		web_public_org_free(&o);
		not_found(req);
		return;
	}
	if (s) {
		web_public_org_free(&o);
		http_fail(req, &err);
		return;
	}
	json_t *doc = json_loads(l.document, 0, NULL);
	if (!doc) {
		web_public_org_free(&o);
		web_error_page(req, 500, "Sorry, there is a problem",
			       "We cannot show this letter now. Contact us and quote your reference.");
		return;
	}
	/* A read of personal data, on record before it is sent. */
	if (!server_log_read(req, t.case_id, "document",
			     arena_printf(req->arena, "letter %lld %s, private tracking link", id,
					  pdf ? "pdf" : "html"))) {
		json_decref(doc);
		web_public_org_free(&o);
		return;
	}
	if (pdf) {
		web_public_org_free(&o);
		answer_pdf(req, &l, doc);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	const char *back = arena_printf(req->arena, "/o/%s/track/%s#letters", req->params[0],
					req->params[1]);
	web_page_opts opts = {.org_name = o.org.name, .home = o.home, .back = back};
	web_page_begin(req, &b, l.subject, &opts);
	html_raw(&b, "<p class=\"button-group\"><a class=\"button button-secondary\" href=\"");
	html_attr(&b, arena_printf(req->arena, "/o/%s/track/%s/letters/%lld?format=pdf",
				   req->params[0], req->params[1], id));
	html_raw(&b, "\" download>Download this letter (PDF)</a></p>");
	letter_html_article(doc, &b);
	web_page_end(req, &b);
	json_decref(doc);
	web_public_org_free(&o);
	web_html(req, 200, &b);
}
