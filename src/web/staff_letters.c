/*
 * staff_letters.c: the letters of a case in the staff pages
 * (docs/letters.md), and the link to the case's file for the Ombudsman
 * (docs/letters.md "Exports").
 *
 *   staff_case_letters   the case page's "Letters" section: every letter
 *                        issued, each to read in the page or as its PDF;
 *                        "Issue a letter"; "Download the case file"
 *   GET  /staff/cases/{ref}/letters/new   the form: kind, version, stage and
 *                        the values a warning or restriction letter takes
 *   POST /staff/cases/{ref}/letters       issue it (store_letter_issue, the
 *                        function the API and the command line use)
 *   GET  /staff/cases/{ref}/letters/{id}  one letter, in the page
 *   POST /staff/cases/{ref}/letters/{id}/resend  its email again, when its
 *                        newest email bounced or failed (store_outbox_resend,
 *                        as the API and `letter resend`): the button is in
 *                        the case page's correspondence (staff_mail.c)
 *
 * Who: the API's rules, shared through authz.h: whoever may see the case
 * reads its letters; issuing is for AUTHZ_LETTER_WRITERS (the route table
 * refuses anyone else, and the section offers the form only to them); the
 * case file is for AUTHZ_EXPORTERS.  The PDF of a letter and the case file
 * are the API's own routes (a session cookie is accepted there), so what
 * is logged and how is decided in one place.
 *
 * A refusal (a kind whose required content is missing, a version the
 * organisation does not offer, a value a kind does not take) comes back as
 * the form, every field as it was filled in, with the error summary naming
 * what is missing and the rule's source; the writer's savepoint undoes
 * anything the attempt wrote.
 */
#include "web_staff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "authz.h"
#include "config.h"
#include "letter.h"
#include "letter_model.h"
#include "server.h"
#include "store_letter.h"
#include "store_outbox.h"
#include "web.h"

/* The values a letter may be given when issuing (letter_model.c), as the form asks for them. */
static const struct given_field {
	const char *name, *label, *hint;
	bool area;
} GIVEN[] = {
	{"behaviour", "The behaviour", "What the person has done, in plain words", true},
	{"evidence", "The evidence", "Dates and records it is based on (a warning)", true},
	{"expected", "What we expect instead", "Optional (a warning)", true},
	{"restrictions", "The restrictions", "How contact is limited (a restriction)", true},
	{"period", "For how long", "For example, 3 months (a restriction)", false},
	{"review_on", "Reviewed on", "A date after today, YYYY-MM-DD (a restriction)", false},
	{"appeal_to", "Appeal to", "Optional: who an appeal goes to (a restriction)", false},
};
#define N_GIVEN (sizeof GIVEN / sizeof GIVEN[0])

/* The template directories: the administrator's ($FAIRHEARING_LETTERS), then the shipped ones. */
static const char *const *template_dirs(http_request *req)
{
	const char **dirs = arena_array(req->arena, 3, sizeof *dirs);
	size_t n = 0;
	const char *env = getenv("FAIRHEARING_LETTERS");
	if (env && *env)
		dirs[n++] = env;
	dirs[n++] = FH_LETTERS_DIR;
	dirs[n] = NULL;
	return dirs;
}

static const char *variant_label(const char *variant)
{
	if (!strcmp(variant, "plain"))
		return "Plain language";
	if (!strcmp(variant, "child"))
		return "Child-friendly";
	return "Standard";
}

static const char *case_path(http_request *req, const char *rest)
{
	return arena_printf(req->arena, "/staff/cases/%s%s", web_url_encode(req, req->params[0]),
			    rest);
}

void staff_case_letters(http_request *req, html_buf *b, const fh_case *c)
{
	unsigned held = authz_roles_in(req->who, req->case_org_id);
	html_raw(b, "<h2 id=\"letters\">Letters</h2>");
	store_letter *ls = NULL;
	size_t n = 0;
	fh_error err = {0};
	if (store_letter_list(req->st, c->reference, req->arena, &ls, &n, &err) || !n)
		html_raw(b, "<p>No letters issued.</p>");
	if (n) {
		html_raw(b, "<div class=\"table-wrap\"><table><caption class=\"visually-hidden\">"
			    "Letters issued on this case</caption><thead><tr><th scope=\"col\">Letter"
			    "</th><th scope=\"col\">Version</th><th scope=\"col\">Stage</th>"
			    "<th scope=\"col\">Issued</th><th scope=\"col\">PDF</th></tr></thead><tbody>");
	}
	for (size_t i = n; i-- > 0;) {
		const store_letter *l = &ls[i];
		html_raw(b, "<tr><td><a href=\"");
		html_attr(b, case_path(req, arena_printf(req->arena, "/letters/%lld", (long long)l->id)));
		html_raw(b, "\">");
		html_text(b, staff_words(req, l->kind));
		html_raw(b, "</a><br><span class=\"muted\">");
		html_text(b, l->subject);
		html_raw(b, "</span></td><td>");
		html_text(b, variant_label(l->variant));
		html_raw(b, "</td><td>");
		if (l->stage)
			html_rawf(b, "%d", l->stage);
		html_raw(b, "</td><td>");
		html_text(b, staff_date(req, l->issued_on));
		html_raw(b, "<br><span class=\"muted\">");
		html_text(b, l->issued_by);
		html_raw(b, "</span>");
		if (*l->email_state) {
			/* issue 17 item 6: queued, sent, delivered, bounced or failed */
			bool bad = !strcmp(l->email_state, "bounced") || !strcmp(l->email_state, "failed");
			html_raw(b, bad ? "<br><strong class=\"tag tag-red\">" : "<br><span class=\"tag\">");
			html_text(b, arena_printf(req->arena, "Email %s", l->email_state));
			html_raw(b, bad ? "</strong>" : "</span>");
		}
		html_raw(b, "</td><td><a href=\"/api/v1/cases/");
		html_attr(b, web_url_encode(req, c->reference));
		html_rawf(b, "/letters/%lld?format=pdf\">PDF<span class=\"visually-hidden\"> of the ",
			  (long long)l->id);
		html_text(b, staff_lower(req, l->kind));
		html_rawf(b, " letter %lld</span></a></td></tr>", (long long)l->id);
	}
	if (n)
		html_raw(b, "</tbody></table></div>");
	if (held & (AUTHZ_LETTER_WRITERS | AUTHZ_EXPORTERS)) {
		html_raw(b, "<p class=\"button-group\">");
		if (held & AUTHZ_LETTER_WRITERS) {
			html_raw(b, "<a class=\"button button-secondary\" href=\"");
			html_attr(b, case_path(req, "/letters/new"));
			html_raw(b, "\">Issue a letter</a>");
		}
		if (held & AUTHZ_EXPORTERS) {
			html_raw(b, "<a href=\"/api/v1/cases/");
			html_attr(b, web_url_encode(req, c->reference));
			html_raw(b, "/file\">Download the case file for the Ombudsman (PDF)</a>");
		}
		html_raw(b, "</p>");
	}
}

/* The form, as sent (or empty), with its errors. */
static void form_page(http_request *req, const fh_case *c, int status, const web_errors *errors)
{
	const char **variants = NULL;
	size_t n_variants = 0;
	fh_error err = {0};
	if (store_letter_variants(template_dirs(req), c->org_code, c->procedure_code, req->arena,
				  &variants, &n_variants, &err)) {
		http_fail(req, &err);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, arena_printf(req->arena, "%sIssue a letter: %s",
					       errors && errors->n ? "Error: " : "", c->reference),
			 NULL);
	html_raw(&b, "<a class=\"back-link\" href=\"");
	html_attr(&b, case_path(req, "#letters"));
	html_raw(&b, "\">Back to the case</a>");
	if (errors)
		web_error_summary(&b, errors);
	html_raw(&b, "<span class=\"caption\">");
	html_text(&b, c->reference);
	html_raw(&b, "</span><h1>Issue a letter</h1><p>The letter is built from what is recorded "
		     "on the case and the organisation's template, and kept on the case exactly as "
		     "issued; the customer sees it on their tracking page. A letter whose required "
		     "content is not recorded yet is refused, naming what is missing.</p>"
		     "<form method=\"post\" novalidate action=\"");
	html_attr(&b, case_path(req, "/letters"));
	html_raw(&b, "\">");
	web_csrf_field(req, &b);

	size_t nk = 0;
	const letter_kind_info *kinds = letter_kinds(&nk);
	web_option *opts = arena_array(req->arena, nk, sizeof *opts);
	/* Only the kinds this caller may issue (authz_letter_kind decides again on POST). */
	unsigned held = authz_roles_in(req->who, req->case_org_id);
	size_t shown = 0;
	for (size_t i = 0; i < nk; i++)
		if (held & authz_letter_issuers(kinds[i].name))
			opts[shown++] = (web_option){kinds[i].name, staff_words(req, kinds[i].name),
						     arena_printf(req->arena, "%s (%s)",
								  kinds[i].summary, kinds[i].source)};
	web_radios(&b, &(web_field){.name = "kind", .label = "Which letter", .options = opts,
				    .n_options = shown, .value = web_form(req, "kind"),
				    .error = errors ? web_errors_for(errors, "kind") : NULL});
	web_option *vopts = arena_array(req->arena, n_variants, sizeof *vopts);
	for (size_t i = 0; i < n_variants; i++)
		vopts[i] = (web_option){variants[i], variant_label(variants[i]), NULL};
	const char *variant = web_form(req, "variant");
	web_radios(&b, &(web_field){.name = "variant", .label = "Version",
				    .hint = "The versions this organisation offers (its letters.json)",
				    .options = vopts, .n_options = n_variants,
				    .value = variant ? variant : "standard",
				    .error = errors ? web_errors_for(errors, "variant") : NULL});
	static const web_option stages[] = {{"", "The current stage", NULL},
					    {"1", "Stage 1", NULL},
					    {"2", "Stage 2", NULL},
					    {"3", "Stage 3", NULL}};
	web_select(&b, &(web_field){.name = "stage", .label = "Stage", .optional = true,
				    .hint = "For a stage response to an earlier stage",
				    .options = stages, .n_options = 4, .value = web_form(req, "stage"),
				    .error = errors ? web_errors_for(errors, "stage") : NULL});
	html_raw(&b, "<fieldset class=\"fieldset\"><legend class=\"legend\">For a warning or a "
		     "restriction of contact only (001 Appendix A)</legend><p class=\"hint\">Leave "
		     "these empty for any other letter.</p>");
	for (size_t i = 0; i < N_GIVEN; i++) {
		web_field f = {.name = GIVEN[i].name, .label = GIVEN[i].label, .hint = GIVEN[i].hint,
			       .value = web_form(req, GIVEN[i].name), .optional = true, .rows = 3,
			       .error = errors ? web_errors_for(errors, GIVEN[i].name) : NULL};
		if (GIVEN[i].area)
			web_textarea(&b, &f);
		else
			web_input(&b, &f);
	}
	html_raw(&b, "</fieldset>");
	/* issue 17 item 6: offered where the complainant has an address on record */
	const char *to = "";
	if (store_outbox_letter_address(req->st, c->id, "complainant", req->arena, &to, &err) == FH_OK &&
	    *to) {
		static const web_option send[] = {{"yes", "Also send it by email", NULL}};
		const char *sent = web_form(req, "send_email");
		const char *const checked[] = {"yes"};
		web_checkboxes(&b, &(web_field){
			.name = "send_email", .label = "Email", .optional = true,
			.hint = arena_printf(req->arena, "To the recipient's recorded address (the "
					     "complainant's is %s): the PDF attached or a link, as the "
					     "organisation has chosen. It is sent within minutes and its "
					     "state shown on the case.", to),
			.options = send, .n_options = 1, .checked = checked,
			.n_checked = sent && !strcmp(sent, "yes") ? 1 : 0,
			.error = errors ? web_errors_for(errors, "send_email") : NULL});
	}
	html_raw(&b, "<button type=\"submit\" class=\"button\">Issue the letter</button></form>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

/* The case as the form needs it (organisation, procedure); false with the answer sent. */
static bool case_of(http_request *req, fh_case *c)
{
	fh_error err = {0};
	if (store_case_get(req->st, req->params[0], req->arena, c, &err)) {
		http_fail(req, &err);
		return false;
	}
	return true;
}

void staff_letter_form(http_request *req)
{
	fh_case c;
	if (case_of(req, &c))
		form_page(req, &c, 200, NULL);
}

void staff_letter_issue(http_request *req)
{
	const char *kind = web_form(req, "kind");
	const char *variant = web_form(req, "variant");
	const char *stage_text = web_form(req, "stage");
	const char *send_email = web_form(req, "send_email");
	web_errors errors = {0};
	int stage = 0;
	if (!kind || !*kind)
		web_errors_add(&errors, "kind", "Choose which letter to issue");
	if (stage_text && *stage_text) {
		if (strlen(stage_text) != 1 || stage_text[0] < '1' || stage_text[0] > '3')
			web_errors_add(&errors, "stage", "Stage must be 1, 2 or 3");
		else
			stage = stage_text[0] - '0';
	}
	if (!errors.n && !authz_letter_kind(req, kind))
		return;
	fh_case c;
	if (errors.n) {
		if (case_of(req, &c))
			form_page(req, &c, 422, &errors);
		return;
	}
	json_t *values = json_object();
	for (size_t i = 0; i < N_GIVEN; i++) {
		const char *v = web_form(req, GIVEN[i].name);
		if (v && *v)
			json_object_set_new(values, GIVEN[i].name, json_string(v));
	}
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	store_letter_request r = {
		.reference = req->params[0], .kind = kind,
		.variant = variant && *variant ? variant : NULL, .stage = stage,
		.values = json_object_size(values) ? values : NULL,
		.template_dirs = template_dirs(req),
		.send_email = send_email && !strcmp(send_email, "yes"),
	};
	store_letter l;
	fh_error err = {0};
	fh_status s = store_letter_issue(req->st, &r, &actor, req->today, req->arena, &l, &err);
	json_decref(values);
	if (!s) {
		web_redirect(req, case_path(req, arena_printf(req->arena, "/letters/%lld?issued=1",
							      (long long)l.id)));
		return;
	}
	if (s != FH_EINVAL && s != FH_ERULE && !(s == FH_ENOTFOUND && !strcmp(err.field, "template"))) {
		http_fail(req, &err);
		return;
	}
	/* The field the refusal names, or the choice of letter for what is missing. */
	const char *field = "kind";
	if (!strcmp(err.field, "variant") || !strcmp(err.field, "stage") ||
	    !strcmp(err.field, "send_email"))
		field = err.field;
	for (size_t i = 0; i < N_GIVEN; i++)
		if (!strcmp(err.field, GIVEN[i].name))
			field = GIVEN[i].name;
	const char *message = err.source[0] ? arena_printf(req->arena, "%s (%s)", err.message,
							  err.source)
					    : arena_strdup(req->arena, err.message);
	if (strcmp(field, err.field) && err.field[0] && strcmp(err.field, "letter"))
		message = arena_printf(req->arena, "%s: %s", err.field, message);
	char *capital = arena_strdup(req->arena, message);
	if (capital[0] >= 'a' && capital[0] <= 'z')
		capital[0] = (char)(capital[0] - 'a' + 'A');
	web_errors_add(&errors, field, capital);
	if (case_of(req, &c))
		form_page(req, &c, 422, &errors);
}

void staff_letter_view(http_request *req)
{
	int64_t id = req->ids[1];
	if (!id) {
		web_error_page(req, 404, "Page not found", "There is no such letter on this case.");
		return;
	}
	store_letter l;
	fh_error err = {0};
	if (store_letter_get(req->st, req->params[0], id, req->arena, &l, &err)) {
		if (err.status == FH_ENOTFOUND)
			web_error_page(req, 404, "Page not found", "There is no such letter on this case.");
		else
			http_fail(req, &err);
		return;
	}
	json_t *doc = json_loads(l.document, 0, NULL);
	if (!doc) {
		web_error_page(req, 500, "Sorry, there is a problem", "The stored letter is not readable.");
		return;
	}
	if (!server_log_read(req, req->case_id, "document",
			     arena_printf(req->arena, "letter %lld html", (long long)id))) {
		json_decref(doc);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, arena_printf(req->arena, "%s: %s", l.reference, l.subject), NULL);
	html_raw(&b, "<a class=\"back-link\" href=\"");
	html_attr(&b, case_path(req, "#letters"));
	html_raw(&b, "\">Back to the case</a>");
	const char *issued = http_query(req, "issued");
	if (issued && !strcmp(issued, "1"))
		html_raw(&b, "<div class=\"notice\" role=\"status\"><p><strong>Done: the letter is "
			     "issued and on the customer's tracking page.</strong></p></div>");
	web_summary_begin(&b);
	web_summary_row(&b, "Letter", staff_words(req, l.kind), NULL, NULL);
	web_summary_row(&b, "Version", variant_label(l.variant), NULL, NULL);
	web_summary_row(&b, "To", staff_words(req, l.recipient), NULL, NULL);
	web_summary_row(&b, "Issued", arena_printf(req->arena, "%s by %s",
						   staff_date(req, l.issued_on), l.issued_by),
			NULL, NULL);
	web_summary_row(&b, "Template", l.template_name, NULL, NULL);
	if (*l.email_state) /* issue 17 item 6: what became of its email */
		web_summary_row(&b, "Email", arena_printf(req->arena, "%s", l.email_state), NULL,
				NULL);
	web_summary_end(&b);
	html_raw(&b, "<p class=\"button-group\"><a class=\"button button-secondary\" "
		     "href=\"/api/v1/cases/");
	html_attr(&b, web_url_encode(req, l.reference));
	html_rawf(&b, "/letters/%lld?format=pdf\">Download the PDF</a></p>", (long long)id);
	letter_html_article(doc, &b);
	json_decref(doc);
	web_page_end(req, &b);
	web_html(req, 200, &b);
}

void staff_letter_resend(http_request *req)
{
	int64_t id = req->ids[1];
	store_letter l;
	fh_error err = {0};
	if (!id || store_letter_get(req->st, req->params[0], id, req->arena, &l, &err)) {
		if (!id || err.status == FH_ENOTFOUND)
			web_error_page(req, 404, "Page not found", "There is no such letter on this case.");
		else
			http_fail(req, &err);
		return;
	}
	if (!authz_letter_kind(req, l.kind))
		return;
	fh_actor actor;
	authz_actor(req, req->case_org_id, &actor);
	store_outbox_resent r;
	fh_status s = store_outbox_resend(req->st, req->params[0], id, actor.name, req->arena, &r,
					  &err);
	if (!s) {
		web_redirect(req, case_path(req, "?done=email_again#correspondence"));
		return;
	}
	if (s == FH_ECONFLICT || s == FH_EINVAL) {
		char *capital = arena_strdup(req->arena, err.message);
		if (capital[0] >= 'a' && capital[0] <= 'z')
			capital[0] = (char)(capital[0] - 'a' + 'A');
		web_error_page(req, s == FH_ECONFLICT ? 409 : 422, "The letter was not sent again",
			       capital);
		return;
	}
	http_fail(req, &err);
}
