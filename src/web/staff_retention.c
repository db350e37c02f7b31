/*
 * staff_retention.c: retention on the administration pages (DOMAIN §8):
 * the cases the next run would anonymise, and applying it.
 */
#include "staff_forms.h"

#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "server.h"
#include "store_rights.h"
#include "web.h"

/* ---- retention (DOMAIN §8): the next run, and applying it ------------------------- */

/* The table of cases a retention run lists (due, or just anonymised). */
static void retention_table(http_request *req, html_buf *b, const store_retention_result *r)
{
	html_raw(b, "<div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">Case"
		    "</th><th scope=\"col\">Closed on</th><th scope=\"col\">Kept for"
		    "</th></tr></thead><tbody>");
	for (size_t i = 0; i < r->n_cases; i++) {
		html_raw(b, "<tr><td>");
		html_text(b, r->cases[i].reference);
		html_raw(b, "</td><td>");
		html_text(b, staff_date(req, r->cases[i].closed_on));
		html_rawf(b, "</td><td>%d years after closure</td></tr>", r->cases[i].years);
	}
	html_raw(b, "</tbody></table></div>");
}

/*
 * The retention page: with done NULL, the organisation's closed cases due
 * for anonymising today under its rule, exactly as `fairhearing retention
 * --dry-run` lists them (store_retention_run without apply: nothing is
 * changed), and the form that applies the run; with done, what the run
 * just applied anonymised.
 */
static void retention_page(http_request *req, int status, const web_errors *errors,
			   const store_retention_result *done)
{
	store_retention_result due;
	fh_error err = {0};
	if (!done && store_retention_run(req->st, req->params[0], req->today, false,
					 req->who->user.email, req->arena, &due, &err)) {
		http_fail(req, &err);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, arena_printf(req->arena, "%sRetention: %s",
					       errors && errors->n ? "Error: " : "",
					       req->params[0]), "/staff/admin");
	html_raw(&b, "<a class=\"back-link\" href=\"/staff/admin\">Administration</a>");
	if (errors)
		web_error_summary(&b, errors);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, req->params[0]);
	html_raw(&b, "</span><h1>Retention</h1>");
	if (done) {
		html_rawf(&b, "<div class=\"notice\" role=\"status\"><p><strong>Done: anonymised "
			      "%zu cases, %zu people and %zu documents</strong>; erased the content "
			      "of %zu events and the words of %zu searches (%zu events from before "
			      "erasure existed kept), and %zu email messages that made no case. "
			      "Recorded in the history as run by ",
			  done->n_cases, done->n_people, done->n_documents, done->n_events_erased,
			  done->n_searches_erased, done->n_events_kept, done->n_messages_erased);
		html_text(&b, req->who->user.email);
		html_raw(&b, ".</p></div>");
		if (done->n_cases)
			retention_table(req, &b, done);
		web_page_end(req, &b);
		web_html(req, status, &b);
		return;
	}
	html_raw(&b, "<p>Closed cases kept longer than the organisation's rule are anonymised, "
		     "with every person on them who is on no case still kept, and the reasons "
		     "and data of their events (DOMAIN §8). These are the cases the next run "
		     "would anonymise today.</p>");
	if (!due.n_cases) {
		html_raw(&b, "<p>No case is due for anonymising.</p>");
	} else {
		retention_table(req, &b, &due);
		html_raw(&b, "<h2>Apply the run</h2><form method=\"post\" action=\"");
		html_attr(&b, arena_printf(req->arena, "/staff/admin/%s/retention/apply",
					   req->params[0]));
		html_raw(&b, "\" novalidate>");
		web_csrf_field(req, &b);
		static const web_option yes[] = {{"yes", "I confirm: anonymise these cases now. "
						  "This cannot be undone.", NULL}};
		web_checkboxes(&b, &(web_field){.name = "confirm", .label = "Confirm",
						.error = errors ? web_errors_for(errors, "confirm")
								: NULL,
						.options = yes, .n_options = 1});
		html_raw(&b, "<button type=\"submit\" class=\"button\">Anonymise "
			     "the cases due</button></form>");
	}
	html_raw(&b, "<p>The rule is set on the command line: <code>fairhearing retention "
		     "--db PATH --org ");
	html_text(&b, req->params[0]);
	html_raw(&b, " --set-years 6</code>; the same run is <code>fairhearing retention "
		     "--db PATH --org ");
	html_text(&b, req->params[0]);
	html_raw(&b, " --apply</code>.</p>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

/* GET /staff/admin/{org}/retention */
void staff_admin_retention(http_request *req)
{
	retention_page(req, 200, NULL, NULL);
}

/*
 * POST /staff/admin/{org}/retention/apply: the administrator's confirmed
 * run, the same store function as `fairhearing retention --apply`, in the
 * writer's one transaction, its events naming the administrator.
 */
void staff_admin_retention_apply(http_request *req)
{
	const char *confirm = web_form(req, "confirm");
	if (!confirm || strcmp(confirm, "yes") != 0) {
		web_errors errors = {0};
		web_errors_add(&errors, "confirm", "Confirm that the cases due are to be anonymised "
				"now: it cannot be undone");
		retention_page(req, 422, &errors, NULL);
		return;
	}
	store_retention_result r;
	fh_error err = {0};
	if (store_retention_run(req->st, req->params[0], req->today, true, req->who->user.email,
				req->arena, &r, &err)) {
		http_fail(req, &err);
		return;
	}
	retention_page(req, 200, NULL, &r);
}
