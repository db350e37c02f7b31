/*
 * staff_reports.c: GET /staff/reports, the monitoring report in the staff
 * pages (the same report as the API's;
 * docs/reports.md).
 *
 * One GET form (so a report is a link that can be kept and shared): the
 * organisation, which report (the monitoring report or the annual one the
 * Ombudsman's Complaint Handling Code asks for, issue 19 item 3), the period (a week, a quarter or the financial year around
 * today, or two dates), a team or service, the anonymised version, and the
 * format.  HTML is shown in the page under the form; CSV, XLSX and PDF are
 * downloaded, made by the same code as the command line and the API
 * (store_report_build, report_suppress, report_render), so the three never
 * disagree.
 *
 * Who: the API's rule for GET /api/v1/orgs/{org}/report, AUTHZ_ORG_WIDE in
 * the organisation asked for (authz_org answers 404 or 403 otherwise); the
 * route lets in whoever holds such a role somewhere, and the form offers
 * only those organisations.  A report counts cases and names no one in its
 * anonymised version; like the API's, it is not a read of one case.
 *
 * A wrong field (a date that is not one, FROM after TO, an unknown team)
 * shows the form again with the error summary naming the field (422), as
 * typed; nothing is built.
 */
#include "web_staff.h"

#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "assessment.h"
#include "authz.h"
#include "report.h"
#include "report_render.h"
#include "store_report.h"
#include "web.h"

typedef struct report_form {
	const char *org, *kind, *period, *from, *to, *team, *format;
	bool anonymised;
} report_form;

static const char *q(http_request *req, const char *name)
{
	const char *v = http_query(req, name);
	return v && *v ? v : NULL;
}

/* The organisations where the user may read reports: codes in req->arena. */
static const char **report_orgs(http_request *req, size_t *n)
{
	size_t g = req->who->user.n_grants;
	const char **codes = arena_array(req->arena, g + 1, sizeof *codes);
	*n = 0;
	for (size_t i = 0; i < g; i++) {
		const store_grant *gr = &req->who->user.grants[i];
		if (!(authz_roles_in(req->who, gr->org_id) & AUTHZ_ORG_WIDE))
			continue;
		bool seen = false;
		for (size_t j = 0; j < *n; j++)
			seen |= !strcmp(codes[j], gr->org_code);
		if (!seen)
			codes[(*n)++] = gr->org_code;
	}
	return codes;
}

static void form(http_request *req, html_buf *b, const report_form *f, const web_errors *e)
{
	size_t n_orgs = 0;
	const char **codes = report_orgs(req, &n_orgs);
	web_option *orgs = arena_array(req->arena, n_orgs + 1, sizeof *orgs);
	for (size_t i = 0; i < n_orgs; i++) {
		fh_org o;
		fh_error err = {0};
		orgs[i] = (web_option){codes[i], codes[i], NULL};
		if (!store_org_get(req->st, codes[i], req->arena, &o, &err))
			orgs[i].label = o.name;
	}
	const char *org = f->org ? f->org : n_orgs ? codes[0] : NULL;
	fh_team *teams = NULL;
	size_t n_teams = 0;
	fh_error err = {0};
	if (org && store_team_list(req->st, org, req->arena, &teams, &n_teams, &err))
		n_teams = 0;
	web_option *topts = arena_array(req->arena, n_teams + 1, sizeof *topts);
	topts[0] = (web_option){"", "The whole organisation", NULL};
	for (size_t i = 0; i < n_teams; i++)
		topts[i + 1] = (web_option){teams[i].name,
					    !strcmp(teams[i].level ? teams[i].level : "", "service")
						    ? arena_printf(req->arena, "%s (service)",
								   teams[i].name)
						    : teams[i].name,
					    NULL};

	html_raw(b, "<form method=\"get\" action=\"/staff/reports\" novalidate class=\"report-form\">");
	web_select(b, &(web_field){.name = "org", .label = "Organisation", .options = orgs,
				   .n_options = n_orgs, .value = org,
				   .error = web_errors_for(e, "org")});
	static const web_option kinds[] = {
		{"monitoring", "Monitoring report", "For senior managers, Heads of Service and Team "
		 "Managers (001 §4.3, §16), against the period before"},
		{"annual", "Annual complaints performance and service improvement report",
		 "The Ombudsman's Complaint Handling Code's report, the Code's procedure beside the "
		 "statutory ones, for the whole organisation (choose no team)"},
	};
	web_radios(b, &(web_field){.name = "kind", .label = "Report", .options = kinds,
				   .n_options = 2, .value = f->kind ? f->kind : "monitoring",
				   .error = web_errors_for(e, "kind")});
	static const web_option periods[] = {
		{"week", "This week", "Monday to Sunday"},
		{"quarter", "This quarter", "The calendar quarter"},
		{"year", "This financial year", "1 April to 31 March"},
		{"dates", "Between two dates", "Give the first and last day below"},
	};
	web_radios(b, &(web_field){.name = "period", .label = "Period", .options = periods,
				   .n_options = 4, .value = f->period ? f->period : "year",
				   .error = web_errors_for(e, "period")});
	web_input(b, &(web_field){.name = "from", .label = "From", .hint = "YYYY-MM-DD, included",
				  .value = f->from, .width_class = "w-10", .optional = true,
				  .error = web_errors_for(e, "from")});
	web_input(b, &(web_field){.name = "to", .label = "To", .hint = "YYYY-MM-DD, included",
				  .value = f->to, .width_class = "w-10", .optional = true,
				  .error = web_errors_for(e, "to")});
	web_select(b, &(web_field){.name = "team", .label = "Team or service",
				   .hint = "A service includes its teams", .options = topts,
				   .n_options = n_teams + 1, .value = f->team ? f->team : "",
				   .error = web_errors_for(e, "team")});
	static const web_option versions[] = {
		{"true", "Anonymised", "Fit to publish: no names, counts of 1 to 4 shown as <5"}};
	const char *checked[] = {"true"};
	web_checkboxes(b, &(web_field){.name = "anonymised", .label = "Version", .options = versions,
				       .n_options = 1, .checked = checked,
				       .n_checked = f->anonymised ? 1 : 0,
				       .error = web_errors_for(e, "anonymised")});
	static const web_option formats[] = {
		{"html", "Show it here", NULL},
		{"csv", "CSV", "A spreadsheet-readable text file, a section per table"},
		{"xlsx", "Excel workbook (XLSX)", "A sheet per table"},
		{"pdf", "PDF", "A4, to print or send"},
	};
	web_radios(b, &(web_field){.name = "format", .label = "Format", .options = formats,
				   .n_options = 4, .value = f->format ? f->format : "html",
				   .error = web_errors_for(e, "format")});
	html_raw(b, "<button type=\"submit\" class=\"button\">Make the report</button></form>");
}

static void page(http_request *req, const report_form *f, const web_errors *e, int status,
		 const fh_report *r)
{
	html_buf b = HTML_BUF_INIT;
	staff_page_begin(req, &b, e->n ? "Error: Reports" : "Reports", "/staff/reports");
	web_error_summary(&b, e);
	html_raw(&b, "<h1>Reports</h1><p>The monitoring report senior managers, Heads of Service "
		     "and Team Managers read (001 §4.3, §16): what came in, what was answered in "
		     "time, findings, learning, remedies and more, against the period before; "
		     "and the annual complaints performance and service improvement report an "
		     "organisation on the Ombudsman's Complaint Handling Code publishes.</p>");
	/* the self-assessment against the Code (issue 19 item 4), this reporting year's */
	size_t n_orgs = 0;
	const char **codes = report_orgs(req, &n_orgs);
	if (n_orgs) {
		int year = assessment_year_of(req->today);
		html_raw(&b, "<p>The self-assessment against the Ombudsman's Complaint Handling Code, "
			     "printed inside the annual report: ");
		for (size_t i = 0; i < n_orgs; i++) {
			html_raw(&b, i ? ", <a href=\"" : "<a href=\"");
			html_attr(&b, arena_printf(req->arena, "/staff/orgs/%s/self-assessment/%d",
						   web_url_encode(req, codes[i]), year));
			html_raw(&b, "\">");
			html_text(&b, arena_printf(req->arena, "%s, %s", codes[i],
						   assessment_year_name(req->arena, year)));
			html_raw(&b, "</a>");
		}
		html_raw(&b, ".</p>");
	}
	form(req, &b, f, e);
	if (r) {
		html_raw(&b, "<section class=\"report\" aria-labelledby=\"report-title\">"
			     "<h2 id=\"report-title\">");
		html_text(&b, r->org_name);
		html_raw(&b, ": ");
		html_text(&b, r->title ? r->title : "complaints, comments and compliments");
		html_raw(&b, "</h2>");
		report_render_html_body(r, f->anonymised, &b);
		html_raw(&b, "</section>");
	}
	web_page_end(req, &b);
	web_html(req, status, &b);
}

void staff_reports(http_request *req)
{
	report_form f = {
		.org = q(req, "org"), .kind = q(req, "kind"), .period = q(req, "period"),
		.from = q(req, "from"),
		.to = q(req, "to"), .team = q(req, "team"), .format = q(req, "format"),
	};
	const char *anon = q(req, "anonymised");
	f.anonymised = anon && !strcmp(anon, "true");
	web_errors e = {0};
	if (!f.org) { /* the form alone */
		page(req, &f, &e, 200, NULL);
		return;
	}
	if (!authz_org(req, f.org, AUTHZ_ORG_WIDE))
		return;
	report_format format = REPORT_FORMAT_HTML;
	if (f.format && !report_format_parse(f.format, &format))
		web_errors_add(&e, "format", "Choose a format: show it here, CSV, XLSX or PDF");
	if (anon && strcmp(anon, "true"))
		web_errors_add(&e, "anonymised", "The version is anonymised or not");
	report_kind kind = REPORT_KIND_MONITORING;
	if (f.kind && !report_kind_parse(f.kind, &kind))
		web_errors_add(&e, "kind", "Choose a report: the monitoring report or the annual one");
	else if (kind == REPORT_KIND_ANNUAL && f.team)
		web_errors_add(&e, "team", "The annual report is of the whole organisation: choose "
			       "the whole organisation");
	fh_date from = 0, to = 0;
	const char *period = f.period ? f.period : "year";
	if (!strcmp(period, "dates")) {
		if (!f.from)
			web_errors_add(&e, "from", "Enter the first day of the period");
		else if (!date_parse(f.from, &from))
			web_errors_add(&e, "from", "The first day must be a date, like 2026-04-01");
		if (!f.to)
			web_errors_add(&e, "to", "Enter the last day of the period");
		else if (!date_parse(f.to, &to))
			web_errors_add(&e, "to", "The last day must be a date, like 2027-03-31");
		if (!e.n && from > to)
			web_errors_add(&e, "from", "The period must start before it ends");
	} else if (!report_preset(period, req->today, &from, &to)) {
		web_errors_add(&e, "period", "Choose a period: a week, a quarter, the year or two dates");
	}
	if (e.n) {
		page(req, &f, &e, 422, NULL);
		return;
	}
	fh_report report;
	fh_error err = {0};
	store_report_query rq = {.org_code = f.org, .team = f.team, .from = from, .to = to,
				 .kind = kind};
	fh_status s = store_report_build(req->st, &rq, req->arena, &report, &err);
	if (s == FH_ENOTFOUND && !strcmp(err.field, "team")) {
		web_errors_add(&e, "team", "There is no such team or service in this organisation");
		page(req, &f, &e, 422, NULL);
		return;
	}
	if (s == FH_EINVAL) {
		web_errors_add(&e, "from", arena_printf(req->arena, "The period cannot be reported: %s",
							err.message));
		page(req, &f, &e, 422, NULL);
		return;
	}
	if (s) {
		http_fail(req, &err);
		return;
	}
	report_suppress(&report, f.anonymised);
	if (format == REPORT_FORMAT_HTML) {
		page(req, &f, &e, 200, &report);
		return;
	}
	html_buf b = HTML_BUF_INIT;
	if (report_render(&report, format, f.anonymised, &b, &err)) {
		html_buf_free(&b);
		http_fail(req, &err);
		return;
	}
	/* named and sent as the API sends it (not HTML here: that is the page) */
	api_report_send(req, f.org, kind, format, f.anonymised, from, to, &b);
}
