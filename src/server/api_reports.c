/*
 * api_reports.c: GET /api/v1/orgs/{org}/report, the monitoring report
 * (001 §4.3, §16; 003 "Monitoring and learning"; docs/reports.md) over
 * HTTP, the same report and the same renderers as `fairhearing report`.
 *
 * Who: the route table lets in the organisation's complaints team,
 * managers, heads of service, leadership and administrators (the roles
 * that see every case of the organisation); an officer who sees only the
 * cases assigned to them gets 403, since a report counts every case.
 *
 * The query string:
 *   from, to     the period, both days included (YYYY-MM-DD), or instead
 *   period, on   week | quarter | year (the financial year) around the day
 *                `on` (default today): report_preset
 *   kind         monitoring (default) | annual: the annual complaints
 *                performance and service improvement report (issue 19
 *                item 3), of the whole organisation (no team)
 *   team         a team's or a service's name (optional)
 *   format       html (default) | csv | xlsx | pdf
 *   anonymised   true | false (default false): the FOI version
 * A parameter missing or not of its form is 400 invalid_parameter naming
 * it; from after to, or a date outside the calendar's years, is 422; an
 * unknown team 404 naming "team".  The answer carries the format's
 * Content-Type, and a Content-Disposition: inline for HTML (it opens in
 * the browser), attachment for the others, with a filename naming the
 * organisation, the period and the version.
 */
#include "api.h"

#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "report_render.h"
#include "store_report.h"

static bool bad(http_request *req, int status, const char *field, const char *why,
		const char *value)
{
	if (value)
		http_error(req, status, status == 400 ? "invalid_parameter" : "invalid", field,
			   "'%s' %s", value, why);
	else
		http_error(req, status, status == 400 ? "invalid_parameter" : "invalid", field, "%s",
			   why);
	return false;
}

static bool date_param(http_request *req, const char *name, fh_date *out)
{
	const char *text = http_query(req, name);
	if (!text)
		return bad(req, 400, name, "is required (YYYY-MM-DD), or give period", NULL);
	if (!date_parse(text, out))
		return bad(req, 400, name, "is not a date (YYYY-MM-DD)", text);
	return true;
}

/* The period from the query: from and to, or period and on. */
static bool period_params(http_request *req, fh_date *from, fh_date *to)
{
	const char *period = http_query(req, "period");
	if (period) {
		if (http_query(req, "from") || http_query(req, "to"))
			return bad(req, 400, "period", "give period (and on) or from and to, not both",
				   NULL);
		fh_date on = req->today;
		if (http_query(req, "on") && !date_param(req, "on", &on))
			return false;
		if (!report_preset(period, on, from, to))
			return bad(req, 400, "period", "is not a period (week, quarter or year)", period);
		return true;
	}
	if (http_query(req, "on"))
		return bad(req, 400, "on", "goes with period", NULL);
	if (!date_param(req, "from", from) || !date_param(req, "to", to))
		return false;
	if (*from > *to)
		return bad(req, 422, "from", "the period starts after it ends", NULL);
	return true;
}

void api_report(http_request *req)
{
	fh_date from, to;
	if (!period_params(req, &from, &to))
		return;
	report_format format = REPORT_FORMAT_HTML;
	const char *fname = http_query(req, "format");
	if (fname && !report_format_parse(fname, &format)) {
		bad(req, 400, "format", "is not a format (html, csv, xlsx or pdf)", fname);
		return;
	}
	bool anonymised = false;
	const char *anon = http_query(req, "anonymised");
	if (anon && strcmp(anon, "true") && strcmp(anon, "false")) {
		bad(req, 400, "anonymised", "must be true or false", anon);
		return;
	}
	anonymised = anon && !strcmp(anon, "true");
	const char *team = http_query(req, "team");
	if (team && !team[0]) {
		bad(req, 400, "team", "must name a team or a service when given", NULL);
		return;
	}
	report_kind kind = REPORT_KIND_MONITORING;
	const char *kname = http_query(req, "kind");
	if (kname && !report_kind_parse(kname, &kind)) {
		bad(req, 400, "kind", "is not a kind of report (monitoring or annual)", kname);
		return;
	}
	if (kind == REPORT_KIND_ANNUAL && team) {
		bad(req, 400, "team", "does not go with kind=annual: the annual report is of the "
		    "whole organisation", NULL);
		return;
	}

	fh_error err = {0};
	fh_report report;
	store_report_query q = {.org_code = req->params[0], .team = team, .from = from, .to = to,
				.kind = kind};
	if (store_report_build(req->st, &q, req->arena, &report, &err)) {
		http_fail(req, &err);
		return;
	}
	report_suppress(&report, anonymised);
	html_buf b = HTML_BUF_INIT;
	if (report_render(&report, format, anonymised, &b, &err)) {
		html_buf_free(&b);
		http_fail(req, &err);
		return;
	}
	api_report_send(req, req->params[0], kind, format, anonymised, from, to, &b);
}

void api_report_send(http_request *req, const char *org_code, report_kind kind,
		     report_format format, bool anonymised, fh_date from, fh_date to, html_buf *b)
{
	char f[DATE_ISO_LEN], t[DATE_ISO_LEN];
	/* The schema only checks that an organisation's code starts with a
	 * letter: anything but [a-z0-9] becomes '-' in the filename, so the
	 * header cannot be broken out of. */
	char *code = arena_strdup(req->arena, org_code);
	for (char *c = code; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
			*c = '-';
	req->status = 200;
	req->text_out = b->data ? b->data : strdup("");
	req->text_len = b->len;
	req->content_type = report_format_media_type(format);
	req->content_disposition = arena_printf(
		req->arena, "%s; filename=\"%s-%s-%s-to-%s%s.%s\"",
		format == REPORT_FORMAT_HTML ? "inline" : "attachment",
		kind == REPORT_KIND_ANNUAL ? "annual-report" : "report", code,
		date_format(from, f), date_format(to, t), anonymised ? "-anonymised" : "",
		report_format_name(format));
}
