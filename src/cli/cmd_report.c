/*
 * fairhearing report: the monitoring report for senior management (001
 * §4.3, §16; 003 "Monitoring and learning"; DOMAIN §9) as one HTML page
 * with SVG charts, or as CSV, optionally anonymised to publish under the
 * Freedom of Information Act.  The numbers come from store_report.c; this
 * file only validates the command line and renders (docs/reports.md).
 *
 * Every value from the database reaches the page through html_text or
 * html_attr (html.h), and the CSV through csv_field: escaping by
 * construction, so a case summary holding markup prints as text.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "html.h"
#include "report.h"
#include "store.h"
#include "store_report.h"

static const char usage[] =
	"fairhearing report --db PATH --org ORG --from DATE --to DATE [--team NAME]\n"
	"                          --format html|csv [--anonymised] --out FILE";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Writes the monitoring report of an organisation for the period FROM to TO\n"
	       "(both days included): representations received, responses within the\n"
	       "deadline and how late the late ones were, findings, complaints by service\n"
	       "and team against the previous period of the same length, extensions,\n"
	       "escalation, the Ombudsman, learning, compliments and the equality profile\n"
	       "of complainants. docs/reports.md explains every number.\n\n"
	       "  --db PATH       the database\n"
	       "  --org ORG       the organisation's code (bct, bcp ...)\n"
	       "  --from DATE     first day of the period (YYYY-MM-DD)\n"
	       "  --to DATE       last day of the period (YYYY-MM-DD)\n"
	       "  --team NAME     one team, or a service area with all its teams\n"
	       "  --format F      html (one page with charts, prints well) or csv\n"
	       "                  (a section per table); xlsx and pdf are not built in\n"
	       "  --anonymised    fit to publish: no names, counts of 1 to 4 shown as <5\n"
	       "  --out FILE      where to write it; - for standard output\n", usage);
}

/* --- HTML ------------------------------------------------------------------ */

static const char CSS[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1b1b;"
	"max-width:60rem;margin:1.5rem auto;padding:0 1rem;line-height:1.4}"
	"h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin:1.6rem 0 .3rem;"
	"border-bottom:2px solid #1d4f91}"
	".meta{color:#444;margin:.1rem 0}.note{color:#444;font-size:.9rem;margin:.2rem 0 .5rem}"
	"table{border-collapse:collapse;width:100%;font-size:.92rem}"
	"th,td{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#e8eef7}"
	"tr.total td{font-weight:600;background:#f5f5f5}"
	"svg{max-width:100%;height:auto}svg text{font-size:12px;font-family:inherit}"
	".ontime{fill:#2e7d32}.late{fill:#c62828}.line{fill:none;stroke:#1d4f91;stroke-width:2}"
	".pt{fill:#1d4f91}.axis{stroke:#666;stroke-width:1}"
	".badge{display:inline-block;border:1px solid #1d4f91;padding:0 .4rem;border-radius:3px}"
	"@media print{body{margin:0;max-width:none;font-size:10pt}section{break-inside:avoid}"
	"h2{break-after:avoid}th{background:#eee!important;-webkit-print-color-adjust:exact;"
	"print-color-adjust:exact}.ontime,.late,.pt{-webkit-print-color-adjust:exact;"
	"print-color-adjust:exact}}";

static bool suppressing(const report_table *t, bool anonymised)
{
	return anonymised || t->always_suppress;
}

static const report_table *find_table(const fh_report *r, const char *id)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (!strcmp(r->tables[i]->id, id))
			return r->tables[i];
	return NULL;
}

/* Count text for a chart label, suppressed like the table it comes from. */
static const char *chart_count(int64_t n, bool suppress, char buf[32])
{
	report_cell c = {.kind = REPORT_COUNT, .n = n};
	return report_cell_format(&c, suppress, buf);
}

/*
 * On-time and late responses per stage as stacked horizontal bars.  In the
 * anonymised version a small count is drawn as no bar at all, labelled <5,
 * since a bar's length would give the number away.
 */
static void chart_ontime(html_buf *b, const report_table *t, bool suppress)
{
	enum { W = 640, LABEL = 80, BAR = 22, GAP = 14, TOP = 30 };
	int64_t max = 1;
	size_t stages = t->nrows > 3 ? 3 : t->nrows;
	for (size_t r = 0; r < stages; r++) {
		int64_t sum = report_cell_at(t, r, 2)->n + report_cell_at(t, r, 4)->n;
		if (sum > max)
			max = sum;
	}
	int h = TOP + (int)stages * (BAR + GAP) + 10;
	html_rawf(b, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		  "aria-labelledby=\"ontime-title\"><title id=\"ontime-title\">Responses within "
		  "the deadline and late, by stage</title>", W, h, W, h);
	html_rawf(b, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" class=\"ontime\"/>"
		  "<text x=\"%d\" y=\"16\">within the deadline</text>"
		  "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" class=\"late\"/>"
		  "<text x=\"%d\" y=\"16\">late</text>", LABEL, LABEL + 16, LABEL + 150, LABEL + 166);
	double scale = (double)(W - LABEL - 150) / (double)max;
	for (size_t r = 0; r < stages; r++) {
		int y = TOP + (int)r * (BAR + GAP);
		int64_t ontime = report_cell_at(t, r, 2)->n, late = report_cell_at(t, r, 4)->n;
		bool hide_on = suppress && report_is_small(ontime);
		bool hide_late = suppress && report_is_small(late);
		double w1 = hide_on ? 0 : (double)ontime * scale;
		double w2 = hide_late ? 0 : (double)late * scale;
		char n1[32], n2[32];
		html_rawf(b, "<text x=\"0\" y=\"%d\">", y + 15);
		html_text(b, report_cell_at(t, r, 0)->text);
		html_raw(b, "</text>");
		html_rawf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"ontime\"/>"
			  "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"late\"/>",
			  LABEL, y, w1, BAR, LABEL + w1, y, w2, BAR);
		html_rawf(b, "<text x=\"%.1f\" y=\"%d\">", LABEL + w1 + w2 + 6, y + 15);
		html_text(b, chart_count(ontime, suppress, n1));
		html_raw(b, " on time, ");
		html_text(b, chart_count(late, suppress, n2));
		html_raw(b, " late</text>");
	}
	html_raw(b, "</svg>");
}

/*
 * Complaints received each month as a line.  In the anonymised version a
 * month with 1 to 4 is a gap in the line, labelled <5 on the axis.
 */
static void chart_trend(html_buf *b, const report_table *t, bool suppress)
{
	/* R leaves room for half a month's label at the right-hand end. */
	enum { W = 640, H = 230, L = 40, R = 32, T = 16, B = 44 };
	int64_t max = 1;
	for (size_t r = 0; r < t->nrows; r++)
		if (report_cell_at(t, r, 1)->n > max)
			max = report_cell_at(t, r, 1)->n;
	/* The axis is labelled with its top value: in the anonymised version it
	 * must not be a small count itself. */
	if (suppress && max < 5)
		max = 5;
	double dx = t->nrows > 1 ? (double)(W - L - R) / (double)(t->nrows - 1) : 0;
	html_rawf(b, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		  "aria-labelledby=\"trend-title\"><title id=\"trend-title\">Complaints received "
		  "each month</title>", W, H, W, H);
	html_rawf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>"
		  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>"
		  "<text x=\"2\" y=\"%d\">%lld</text><text x=\"2\" y=\"%d\">0</text>",
		  L, T, L, H - B, L, H - B, W - R, H - B, T + 4, (long long)max, H - B);
	bool open = false;
	size_t every = t->nrows / 12 + 1;
	for (size_t r = 0; r < t->nrows; r++) {
		int64_t v = report_cell_at(t, r, 1)->n;
		double x = L + dx * (double)r;
		double y = (double)(H - B) - (double)v * (double)(H - B - T) / (double)max;
		bool hidden = suppress && report_is_small(v);
		if (hidden && open) {
			html_raw(b, "\"/>");
			open = false;
		} else if (!hidden) {
			if (!open)
				html_raw(b, "<polyline class=\"line\" points=\"");
			html_rawf(b, "%.1f,%.1f ", x, y);
			open = true;
		}
	}
	if (open)
		html_raw(b, "\"/>");
	for (size_t r = 0; r < t->nrows; r++) {
		int64_t v = report_cell_at(t, r, 1)->n;
		double x = L + dx * (double)r;
		double y = (double)(H - B) - (double)v * (double)(H - B - T) / (double)max;
		bool hidden = suppress && report_is_small(v);
		if (!hidden)
			html_rawf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" class=\"pt\"><title>", x, y);
		if (!hidden) {
			char n[32];
			html_text(b, report_cell_at(t, r, 0)->text);
			html_raw(b, ": ");
			html_text(b, chart_count(v, suppress, n));
			html_raw(b, "</title></circle>");
		} else {
			html_rawf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">&lt;5</text>",
				  x, H - B - 4);
		}
		/* Every `every`-th month only: two neighbouring labels overlap. */
		if (r % every == 0) {
			html_rawf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, H - B + 16);
			html_text(b, report_cell_at(t, r, 0)->text);
			html_raw(b, "</text>");
		}
	}
	html_raw(b, "</svg>");
}

static void html_table(html_buf *b, const report_table *t, bool anonymised)
{
	bool suppress = suppressing(t, anonymised);
	html_raw(b, "<section id=\"");
	html_attr(b, t->id);
	html_raw(b, "\"><h2>");
	html_text(b, t->title);
	html_raw(b, "</h2><p class=\"note\">");
	html_text(b, t->note);
	html_raw(b, "</p><table><thead><tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		html_raw(b, "<th scope=\"col\">");
		html_text(b, t->cols[c]);
		html_raw(b, "</th>");
	}
	html_raw(b, "</tr></thead><tbody>");
	if (t->nrows == 0)
		html_rawf(b, "<tr><td colspan=\"%zu\">none in the period</td></tr>", t->ncols);
	for (size_t r = 0; r < t->nrows; r++) {
		const report_cell *first = report_cell_at(t, r, 0);
		bool total = first->text && !strncmp(first->text, "all ", 4);
		html_raw(b, total ? "<tr class=\"total\">" : "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			const report_cell *cell = report_cell_at(t, r, c);
			char buf[32];
			html_raw(b, cell->kind == REPORT_TEXT ? "<td>" : "<td class=\"n\">");
			html_text(b, report_cell_format(cell, suppress, buf));
			html_raw(b, "</td>");
		}
		html_raw(b, "</tr>");
	}
	html_raw(b, "</tbody></table></section>\n");
}

static void render_html(html_buf *b, const fh_report *r, bool anonymised)
{
	char from[DATE_ISO_LEN], to[DATE_ISO_LEN], pf[DATE_ISO_LEN], pt[DATE_ISO_LEN];
	date_format(r->from, from);
	date_format(r->to, to);
	date_format(r->prev_from, pf);
	date_format(r->prev_to, pt);
	html_raw(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		 "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	html_text(b, "Complaints, comments and compliments: ");
	html_text(b, r->org_name);
	html_rawf(b, ", %s to %s</title><style>%s</style></head><body>\n<h1>", from, to, CSS);
	html_text(b, r->org_name);
	html_raw(b, ": complaints, comments and compliments</h1>\n<p class=\"meta\">");
	html_rawf(b, "Period %s to %s (compared with %s to %s). ", from, to, pf, pt);
	if (r->team) {
		html_raw(b, "Team or service: ");
		html_text(b, r->team);
		html_raw(b, ". ");
	} else {
		html_raw(b, "The whole organisation. ");
	}
	html_raw(b, "</p>\n<p class=\"meta\">");
	if (anonymised)
		html_raw(b, "<span class=\"badge\">Anonymised</span> No names; counts of 1 to 4 "
			 "are shown as &lt;5 (and percentages built on them), so that no child "
			 "or family can be identified.");
	else
		html_raw(b, "<span class=\"badge\">Not for publication</span> Includes officers' "
			 "names and case text; publish the anonymised version instead.");
	html_raw(b, " Sources: 001 §4.3, §16; 003 \"Monitoring and learning\".</p>\n");

	const report_table *responses = find_table(r, "responses");
	if (responses) {
		html_raw(b, "<section id=\"chart-ontime\"><h2>Responses within the deadline, by "
			 "stage</h2>");
		chart_ontime(b, responses, anonymised);
		html_raw(b, "</section>\n");
	}
	const report_table *monthly = find_table(r, "monthly");
	if (monthly && monthly->nrows) {
		html_raw(b, "<section id=\"chart-trend\"><h2>Complaints received each month</h2>");
		chart_trend(b, monthly, anonymised);
		html_raw(b, "</section>\n");
	}
	for (size_t i = 0; i < r->ntables; i++)
		if (!(anonymised && r->tables[i]->personal))
			html_table(b, r->tables[i], anonymised);
	if (r->nnotes) {
		html_raw(b, "<section id=\"notes\"><h2>Not in this report</h2><ul>");
		for (size_t i = 0; i < r->nnotes; i++) {
			html_raw(b, "<li>");
			html_text(b, r->notes[i]);
			html_raw(b, "</li>");
		}
		html_raw(b, "</ul></section>\n");
	}
	html_raw(b, "</body></html>\n");
}

/* --- CSV ------------------------------------------------------------------- */

/* RFC 4180: CRLF after every record, including the last. */
static void csv_end(html_buf *b)
{
	html_raw(b, "\r\n");
}

static void render_csv(html_buf *b, const fh_report *r, bool anonymised)
{
	char from[DATE_ISO_LEN], to[DATE_ISO_LEN], pf[DATE_ISO_LEN], pt[DATE_ISO_LEN];
	date_format(r->from, from);
	date_format(r->to, to);
	date_format(r->prev_from, pf);
	date_format(r->prev_to, pt);
	/* One section per table: its id and title, the header, the rows, a blank line. */
	html_raw(b, "report,");
	csv_field(b, r->org_name);
	csv_end(b);
	html_raw(b, "organisation,");
	csv_field(b, r->org_code);
	csv_end(b);
	html_raw(b, "team,");
	csv_field(b, r->team ? r->team : "");
	csv_end(b);
	html_rawf(b, "from,%s\r\nto,%s\r\nprevious_from,%s\r\nprevious_to,%s\r\nanonymised,%s\r\n",
		  from, to, pf, pt, anonymised ? "yes" : "no");
	for (size_t i = 0; i < r->ntables; i++) {
		const report_table *t = r->tables[i];
		if (anonymised && t->personal)
			continue;
		bool suppress = suppressing(t, anonymised);
		csv_end(b);
		html_raw(b, "table,");
		csv_field(b, t->id);
		html_raw(b, ",");
		csv_field(b, t->title);
		csv_end(b);
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				html_raw(b, ",");
			csv_field(b, t->cols[c]);
		}
		csv_end(b);
		for (size_t row = 0; row < t->nrows; row++) {
			for (size_t c = 0; c < t->ncols; c++) {
				const report_cell *cell = report_cell_at(t, row, c);
				char buf[32];
				if (c)
					html_raw(b, ",");
				/* Numbers the program formatted go out as they are, so a
				 * change of -2 stays a number in a spreadsheet. */
				if (cell->kind == REPORT_TEXT)
					csv_field(b, cell->text);
				else
					html_raw(b, report_cell_format(cell, suppress, buf));
			}
			csv_end(b);
		}
	}
	for (size_t i = 0; i < r->nnotes; i++) {
		csv_end(b);
		html_raw(b, "note,");
		csv_field(b, r->notes[i]);
		csv_end(b);
	}
}

/* --- the command ----------------------------------------------------------- */

static bool write_out(const char *path, const html_buf *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "fairhearing: report: cannot write %s: %s\n", path, strerror(errno));
		return false;
	}
	bool ok = fwrite(b->data, 1, b->len, f) == b->len;
	ok = (f == stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
	if (!ok)
		fprintf(stderr, "fairhearing: report: writing %s failed\n", path);
	return ok;
}

int cmd_report(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		help();
		return CLI_OK;
	}
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"org", required_argument, NULL, 'o'},
		{"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 't'},
		{"team", required_argument, NULL, 'T'},   {"format", required_argument, NULL, 'F'},
		{"anonymised", no_argument, NULL, 'a'},   {"out", required_argument, NULL, 'O'},
		{"help", no_argument, NULL, 'h'},         {0}};
	const char *db = NULL, *org = NULL, *from = NULL, *to = NULL, *team = NULL;
	const char *format = NULL, *out = NULL;
	bool anonymised = false;
	int c;
	while ((c = cli_getopt(argc, argv, opts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': org = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'T': team = optarg; break;
		case 'F': format = optarg; break;
		case 'a': anonymised = true; break;
		case 'O': out = optarg; break;
		case ':':
			return cli_usage_error(usage, "report: %s needs a value", argv[optind - 1]);
		default:
			return cli_usage_error(usage, "report: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "report: unexpected argument '%s'", argv[optind]);
	/* Every option is checked before the database is opened, in the order of
	 * the usage line, so the first thing wrong is the one reported. */
	static const char *const names[] = {"--db PATH", "--org ORG", "--from DATE",
					    "--to DATE", "--format html|csv", "--out FILE"};
	const char *values[] = {db, org, from, to, format, out};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!values[i] || !values[i][0])
			return cli_usage_error(usage, "report: %s is required", names[i]);
	fh_date d_from, d_to;
	if (!date_parse(from, &d_from))
		return cli_usage_error(usage, "report: --from '%s' is not a date (YYYY-MM-DD)", from);
	if (!date_parse(to, &d_to))
		return cli_usage_error(usage, "report: --to '%s' is not a date (YYYY-MM-DD)", to);
	if (d_from > d_to)
		return cli_usage_error(usage, "report: --from %s is after --to %s", from, to);
	bool html = !strcmp(format, "html");
	if (!strcmp(format, "xlsx") || !strcmp(format, "pdf"))
		return cli_usage_error(usage, "report: --format %s is not available in this build "
				       "(it needs %s); use html or csv", format,
				       format[0] == 'x' ? "libxlsxwriter" : "cairo");
	if (!html && strcmp(format, "csv"))
		return cli_usage_error(usage, "report: unknown --format '%s' (html or csv)", format);

	fh_error err = {0};
	fh_store *st;
	if (store_open(db, STORE_READONLY, &st, &err))
		return cli_report(&err);
	fh_arena arena = ARENA_INIT;
	fh_report report;
	store_report_query q = {.org_code = org, .team = team, .from = d_from, .to = d_to};
	fh_status s = store_report_build(st, &q, &arena, &report, &err);
	store_close(st);
	int rc = CLI_OK;
	if (s) {
		rc = cli_report(&err);
	} else {
		html_buf b = HTML_BUF_INIT;
		if (html)
			render_html(&b, &report, anonymised);
		else
			render_csv(&b, &report, anonymised);
		if (!write_out(out, &b))
			rc = CLI_FAILED;
		html_buf_free(&b);
	}
	arena_free(&arena);
	return rc;
}
