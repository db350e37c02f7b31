/*
 * report_render: the formats of the monitoring report and the two written
 * as text, HTML and CSV (report_render.h).  XLSX is report_xlsx.c, PDF
 * report_pdf.c.
 */
#include "report_render.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name, *media_type;
} FORMATS[] = {
	[REPORT_FORMAT_HTML] = {"html", "text/html; charset=utf-8"},
	[REPORT_FORMAT_CSV] = {"csv", "text/csv; charset=utf-8; header=present"},
	[REPORT_FORMAT_XLSX] = {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	[REPORT_FORMAT_PDF] = {"pdf", "application/pdf"},
};

bool report_format_parse(const char *name, report_format *out)
{
	for (size_t i = 0; name && i < sizeof FORMATS / sizeof FORMATS[0]; i++)
		if (!strcmp(FORMATS[i].name, name)) {
			*out = (report_format)i;
			return true;
		}
	return false;
}

const char *report_format_name(report_format f)
{
	return FORMATS[f].name;
}

const char *report_format_media_type(report_format f)
{
	return FORMATS[f].media_type;
}

fh_status report_render(const fh_report *r, report_format f, bool anonymised, html_buf *out,
			fh_error *err)
{
	switch (f) {
	case REPORT_FORMAT_HTML:
		report_render_html(r, anonymised, out);
		return FH_OK;
	case REPORT_FORMAT_CSV:
		report_render_csv(r, anonymised, out);
		return FH_OK;
	case REPORT_FORMAT_XLSX:
		return report_render_xlsx(r, anonymised, out, err);
	case REPORT_FORMAT_PDF:
		return report_render_pdf(r, anonymised, out, err);
	}
	return error_set(err, FH_EINVAL, "format", NULL, "no such format");
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

bool report_render_suppressing(const report_table *t, bool anonymised)
{
	return anonymised || t->always_suppress;
}

const report_table *report_find_table(const fh_report *r, const char *id)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (!strcmp(r->tables[i]->id, id))
			return r->tables[i];
	return NULL;
}

bool report_chart_hidden(const report_cell *c, bool suppress)
{
	return suppress && (c->hidden != REPORT_SHOWN || report_is_small(c->n));
}

int64_t report_chart_value(const report_cell *c, bool suppress)
{
	return report_chart_hidden(c, suppress) ? 0 : c->n;
}

bool report_row_is_total(const report_table *t, size_t row)
{
	const report_cell *first = report_cell_at(t, row, 0);
	return first->text && !strncmp(first->text, "all ", 4);
}

report_dates report_render_dates(const fh_report *r)
{
	report_dates d;
	date_format(r->from, d.from);
	date_format(r->to, d.to);
	date_format(r->prev_from, d.prev_from);
	date_format(r->prev_to, d.prev_to);
	return d;
}

/*
 * On-time and late responses per stage as stacked horizontal bars.  In the
 * anonymised version a small count is drawn as no bar at all, labelled <5,
 * since a bar's length would give the number away.
 */
const char *report_title(const fh_report *r)
{
	return r->title ? r->title : "Complaints, comments and compliments";
}

const char *report_sources(const fh_report *r)
{
	return r->sources ? r->sources : REPORT_SOURCES;
}

bool report_ontime_chart_of(const fh_report *r, report_ontime_chart *out)
{
	/* the monitoring report: responses by stage (label, responses,
	 * within, %, late); the annual one: by stage and procedure (stage,
	 * procedure, acknowledged, in time, %, answered, in time, %, late) */
	const report_table *t = report_find_table(r, "responses");
	if (t) {
		*out = (report_ontime_chart){t, 1, 2, 4, t->nrows > 3 ? 3 : t->nrows};
		return true;
	}
	t = report_find_table(r, "annual_timescales");
	if (t && t->nrows) {
		*out = (report_ontime_chart){t, 2, 6, 8, t->nrows};
		return true;
	}
	return false;
}

/* The chart's label of row r: its label columns joined by ", ". */
static const char *chart_label(const report_ontime_chart *c, size_t r, char *buf, size_t len)
{
	const char *a = report_cell_at(c->t, r, 0)->text;
	const char *b = c->label_cols > 1 ? report_cell_at(c->t, r, 1)->text : NULL;
	snprintf(buf, len, "%s%s%s", a ? a : "", b ? ", " : "", b ? b : "");
	return buf;
}

static void chart_ontime(html_buf *b, const report_ontime_chart *c, bool suppress)
{
	enum { W = 640, BAR = 22, GAP = 14, TOP = 30 };
	const report_table *t = c->t;
	/* room for "Stage 1, Complaint Handling Code" when there are two */
	const int LABEL = c->label_cols > 1 ? 250 : 80;
	int64_t max = 1;
	size_t stages = c->rows;
	for (size_t r = 0; r < stages; r++) {
		int64_t sum = report_chart_value(report_cell_at(t, r, c->ontime_col), suppress) +
			      report_chart_value(report_cell_at(t, r, c->late_col), suppress);
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
		const report_cell *ontime = report_cell_at(t, r, c->ontime_col);
		const report_cell *late = report_cell_at(t, r, c->late_col);
		char label[256];
		double w1 = (double)report_chart_value(ontime, suppress) * scale;
		double w2 = (double)report_chart_value(late, suppress) * scale;
		char n1[32], n2[32];
		html_rawf(b, "<text x=\"0\" y=\"%d\">", y + 15);
		html_text(b, chart_label(c, r, label, sizeof label));
		html_raw(b, "</text>");
		html_rawf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"ontime\"/>"
			  "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"late\"/>",
			  LABEL, y, w1, BAR, LABEL + w1, y, w2, BAR);
		html_rawf(b, "<text x=\"%.1f\" y=\"%d\">", LABEL + w1 + w2 + 6, y + 15);
		html_text(b, report_cell_format(ontime, suppress, n1));
		html_raw(b, " on time, ");
		html_text(b, report_cell_format(late, suppress, n2));
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
		if (report_chart_value(report_cell_at(t, r, 1), suppress) > max)
			max = report_chart_value(report_cell_at(t, r, 1), suppress);
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
		bool hidden = report_chart_hidden(report_cell_at(t, r, 1), suppress);
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
		bool hidden = report_chart_hidden(report_cell_at(t, r, 1), suppress);
		if (!hidden)
			html_rawf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" class=\"pt\"><title>", x, y);
		if (!hidden) {
			char n[32];
			html_text(b, report_cell_at(t, r, 0)->text);
			html_raw(b, ": ");
			html_text(b, report_cell_format(report_cell_at(t, r, 1), suppress, n));
			html_raw(b, "</title></circle>");
		} else {
			char n[32];
			html_rawf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, H - B - 4);
			html_text(b, report_cell_format(report_cell_at(t, r, 1), suppress, n));
			html_raw(b, "</text>");
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
	bool suppress = report_render_suppressing(t, anonymised);
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
		html_raw(b, report_row_is_total(t, r) ? "<tr class=\"total\">" : "<tr>");
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

void report_render_html(const fh_report *r, bool anonymised, html_buf *b)
{
	report_dates d = report_render_dates(r);
	html_raw(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		 "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	html_text(b, report_title(r));
	html_raw(b, ": ");
	html_text(b, r->org_name);
	html_rawf(b, ", %s to %s</title><style>%s</style></head><body>\n<h1>", d.from, d.to, CSS);
	html_text(b, r->org_name);
	html_raw(b, ": ");
	/* the monitoring report's heading has always read in lower case */
	html_text(b, r->title ? r->title : "complaints, comments and compliments");
	html_raw(b, "</h1>\n");
	report_render_html_body(r, anonymised, b);
	html_raw(b, "</body></html>\n");
}

void report_render_html_body(const fh_report *r, bool anonymised, html_buf *b)
{
	report_dates d = report_render_dates(r);
	html_raw(b, "<p class=\"meta\">");
	if (r->kind == REPORT_KIND_ANNUAL)
		html_rawf(b, "Period %s to %s. ", d.from, d.to);
	else
		html_rawf(b, "Period %s to %s (compared with %s to %s). ", d.from, d.to,
			  d.prev_from, d.prev_to);
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
	html_raw(b, " Sources: ");
	html_text(b, report_sources(r));
	html_raw(b, ".</p>\n");

	report_ontime_chart chart;
	if (report_ontime_chart_of(r, &chart)) {
		html_raw(b, "<section id=\"chart-ontime\"><h2>");
		html_text(b, r->kind == REPORT_KIND_ANNUAL
			     ? "Answered within the timescales, by stage and procedure"
			     : "Responses within the deadline, by stage");
		html_raw(b, "</h2>");
		chart_ontime(b, &chart, anonymised);
		html_raw(b, "</section>\n");
	}
	const report_table *monthly = report_find_table(r, "monthly");
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
}

/* --- CSV ------------------------------------------------------------------- */

/* RFC 4180: CRLF after every record, including the last. */
static void csv_end(html_buf *b)
{
	html_raw(b, "\r\n");
}

void report_render_csv(const fh_report *r, bool anonymised, html_buf *b)
{
	report_dates d = report_render_dates(r);
	/* One section per table: its id and title, the header, the rows, a blank line. */
	html_raw(b, "report,");
	csv_field(b, r->org_name);
	csv_end(b);
	if (r->title) { /* the annual report says which it is */
		html_raw(b, "title,");
		csv_field(b, r->title);
		csv_end(b);
	}
	html_raw(b, "organisation,");
	csv_field(b, r->org_code);
	csv_end(b);
	html_raw(b, "team,");
	csv_field(b, r->team ? r->team : "");
	csv_end(b);
	html_rawf(b, "from,%s\r\nto,%s\r\nprevious_from,%s\r\nprevious_to,%s\r\nanonymised,%s\r\n",
		  d.from, d.to, d.prev_from, d.prev_to, anonymised ? "yes" : "no");
	for (size_t i = 0; i < r->ntables; i++) {
		const report_table *t = r->tables[i];
		if (anonymised && t->personal)
			continue;
		bool suppress = report_render_suppressing(t, anonymised);
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

