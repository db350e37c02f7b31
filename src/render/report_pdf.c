/*
 * report_pdf: the monitoring report as an A4 PDF (cairo + pango), for the
 * committee pack and the printed copy (001 §16; 003 "reported at the next
 * Management Committee meeting").
 *
 * Everything is vectors and real text: the two charts of the HTML version
 * (on-time and late responses per stage as bars; complaints each month as
 * a line) are drawn with cairo paths, the tables laid out with Pango, so
 * the file prints sharp at any size and its text can be searched and
 * copied.  Tables break across pages between rows, repeating their header;
 * a table's title never sits alone at the foot of a page.  Every page
 * carries "Page n of N" and what the report is, so loose pages can be put
 * back in order.
 *
 * The pages, the two passes that count them, the footer, the fonts and the
 * text are the one PDF writer's (src/pdf/pdf_doc.h); what is here is the
 * report's own layout.  Text goes to Pango as text, never as markup, so a
 * value holding '<' is printed as it is.  Suppression is the same as the
 * other formats: report_cell_format for every number, and the charts leave
 * out a bar or a point whose value is 1 to 4 in a suppressed version.
 */
#include "report_render.h"

#include <stdio.h>
#include <string.h>

#include "pdf_doc.h"

#define MARGIN_X 48.0 /* left and right */
#define CELL_PAD 3.0
#define MAX_COLS 32

/* The report's type: sizes in points. */
#define TITLE 15.0
#define HEADING 11.0
#define BODY 8.5
#define SMALL 7.5

enum { C_ONTIME = 0x2E7D32, C_LATE = 0xC62828, C_LINE = 0x1D4F91, C_HEAD = 0xE8EEF7,
       C_TOTAL = 0xF2F2F2, C_RULE = 0xBBBBBB, C_AXIS = 0x666666, C_NOTE = 0x454545 };

typedef struct report_doc {
	const fh_report *r;
	bool anonymised;
} report_doc;

static const PangoFontDescription *body(pdf_doc *d)
{
	return pdf_font(d, BODY, false);
}

static const PangoFontDescription *bold(pdf_doc *d)
{
	return pdf_font(d, BODY, true);
}

static const PangoFontDescription *small(pdf_doc *d)
{
	return pdf_font(d, SMALL, false);
}

/* A section's title, ruled off, with its note under it; kept on the page
 * with need_after points of what follows. */
static void heading(pdf_doc *d, const char *title, const char *note, double need_after)
{
	double w = pdf_measure(d);
	PangoLayout *lt = pdf_layout(d, title, pdf_font(d, HEADING, true), w, PANGO_ALIGN_LEFT);
	PangoLayout *ln = note ? pdf_layout(d, note, small(d), w, PANGO_ALIGN_LEFT) : NULL;
	double h = 14 + pdf_layout_height(lt) + 4 + (ln ? pdf_layout_height(ln) + 6 : 0);
	pdf_ensure(d, h + need_after);
	d->y += 14;
	pdf_show(d, lt, MARGIN_X, d->y);
	d->y += pdf_layout_height(lt) + 2;
	pdf_hline(d, MARGIN_X, MARGIN_X + w, d->y, 1.2, C_LINE);
	d->y += 4;
	if (ln) {
		pdf_rgb(d, C_NOTE);
		pdf_show(d, ln, MARGIN_X, d->y);
		pdf_black(d);
		d->y += pdf_layout_height(ln) + 6;
		g_object_unref(ln);
	}
	g_object_unref(lt);
}

/* On-time and late responses per stage, stacked bars (the HTML's first chart). */
static void chart_ontime(pdf_doc *d, const report_ontime_chart *c, const char *title,
			 bool suppress)
{
	const report_table *t = c->t;
	/* two label columns: room for "Stage 1, Complaint Handling Code" */
	const double label = c->label_cols > 1 ? 190 : 60, bar = 18, gap = 10, top = 22;
	size_t stages = c->rows;
	double h = top + (double)stages * (bar + gap);
	heading(d, title, NULL, h);
	int64_t max = 1;
	for (size_t r = 0; r < stages; r++) {
		int64_t sum = report_chart_value(report_cell_at(t, r, c->ontime_col), suppress) +
			      report_chart_value(report_cell_at(t, r, c->late_col), suppress);
		if (sum > max)
			max = sum;
	}
	double y0 = d->y;
	pdf_fill_rect(d, MARGIN_X + label, y0 + 3, 9, 9, C_ONTIME);
	pdf_text_at(d, "within the deadline", small(d), MARGIN_X + label + 13, y0 + 1, 0,
		    PANGO_ALIGN_LEFT);
	pdf_fill_rect(d, MARGIN_X + label + 120, y0 + 3, 9, 9, C_LATE);
	pdf_text_at(d, "late", small(d), MARGIN_X + label + 133, y0 + 1, 0, PANGO_ALIGN_LEFT);
	double scale = (pdf_measure(d) - label - 130) / (double)max;
	for (size_t r = 0; r < stages; r++) {
		double y = y0 + top + (double)r * (bar + gap);
		const report_cell *ontime = report_cell_at(t, r, c->ontime_col);
		const report_cell *late = report_cell_at(t, r, c->late_col);
		/* A bar's length would give a suppressed count away: none is drawn. */
		double w1 = (double)report_chart_value(ontime, suppress) * scale;
		double w2 = (double)report_chart_value(late, suppress) * scale;
		const char *second = c->label_cols > 1 ? report_cell_at(t, r, 1)->text : NULL;
		char label_text[256];
		snprintf(label_text, sizeof label_text, "%s%s%s", report_cell_at(t, r, 0)->text,
			 second ? ", " : "", second ? second : "");
		pdf_text_at(d, label_text, body(d), MARGIN_X, y + 3, c->label_cols > 1 ? label - 4 : 0,
			    PANGO_ALIGN_LEFT);
		pdf_fill_rect(d, MARGIN_X + label, y, w1, bar, C_ONTIME);
		pdf_fill_rect(d, MARGIN_X + label + w1, y, w2, bar, C_LATE);
		char n1[32], n2[32], text[96];
		snprintf(text, sizeof text, "%s on time, %s late", report_cell_format(ontime, suppress, n1),
			 report_cell_format(late, suppress, n2));
		pdf_text_at(d, text, small(d), MARGIN_X + label + w1 + w2 + 5, y + 4, 0,
			    PANGO_ALIGN_LEFT);
	}
	d->y = y0 + h;
}

/* Complaints received each month as a line; a suppressed month is a gap. */
static void chart_trend(pdf_doc *d, const report_table *t, bool suppress)
{
	const double h = 170, left = 34, right = 18, top = 8, bottom = 30;
	heading(d, "Complaints received each month", NULL, h);
	int64_t max = 1;
	for (size_t r = 0; r < t->nrows; r++)
		if (report_chart_value(report_cell_at(t, r, 1), suppress) > max)
			max = report_chart_value(report_cell_at(t, r, 1), suppress);
	if (suppress && max < 5)
		max = 5; /* the axis's top label must not be a small count itself */
	double x0 = MARGIN_X + left, x1 = MARGIN_X + pdf_measure(d) - right;
	double y0 = d->y + top, y1 = d->y + h - bottom;
	double dx = t->nrows > 1 ? (x1 - x0) / (double)(t->nrows - 1) : 0;
	char buf[32];
	if (d->draw) {
		pdf_rgb(d, C_AXIS);
		cairo_set_line_width(d->cr, 0.8);
		cairo_move_to(d->cr, x0, y0);
		cairo_line_to(d->cr, x0, y1);
		cairo_line_to(d->cr, x1, y1);
		cairo_stroke(d->cr);
		pdf_black(d);
	}
	snprintf(buf, sizeof buf, "%lld", (long long)max);
	pdf_text_at(d, buf, small(d), MARGIN_X, y0 - 5, left - 6, PANGO_ALIGN_RIGHT);
	pdf_text_at(d, "0", small(d), MARGIN_X, y1 - 6, left - 6, PANGO_ALIGN_RIGHT);
	if (d->draw) {
		bool open = false;
		pdf_rgb(d, C_LINE);
		cairo_set_line_width(d->cr, 1.6);
		for (size_t r = 0; r < t->nrows; r++) {
			int64_t v = report_cell_at(t, r, 1)->n;
			double x = x0 + dx * (double)r, y = y1 - (double)v * (y1 - y0) / (double)max;
			if (report_chart_hidden(report_cell_at(t, r, 1), suppress)) {
				open = false;
				continue;
			}
			if (open)
				cairo_line_to(d->cr, x, y);
			else
				cairo_move_to(d->cr, x, y);
			open = true;
		}
		cairo_stroke(d->cr);
		pdf_black(d);
	}
	size_t every = t->nrows / 12 + 1;
	for (size_t r = 0; r < t->nrows; r++) {
		int64_t v = report_cell_at(t, r, 1)->n;
		double x = x0 + dx * (double)r, y = y1 - (double)v * (y1 - y0) / (double)max;
		if (report_chart_hidden(report_cell_at(t, r, 1), suppress)) {
			pdf_text_at(d, report_cell_format(report_cell_at(t, r, 1), suppress, buf),
				    small(d), x - 15, y1 - 14, 30, PANGO_ALIGN_CENTER);
		} else if (d->draw) {
			pdf_rgb(d, C_LINE);
			cairo_new_path(d->cr); /* not joined to where the last label ended */
			cairo_arc(d->cr, x, y, 2.4, 0, 6.2832);
			cairo_fill(d->cr);
			pdf_black(d);
		}
		if (r % every == 0)
			pdf_text_at(d, report_cell_at(t, r, 0)->text, small(d), x - 25, y1 + 4, 50,
				    PANGO_ALIGN_CENTER);
	}
	d->y += h;
}

/* The width of text in font, unwrapped. */
static double text_width(pdf_doc *d, const char *text, const PangoFontDescription *font)
{
	PangoLayout *l = pdf_layout(d, text, font, 0, PANGO_ALIGN_LEFT);
	double w = pdf_layout_width(l);
	g_object_unref(l);
	return w;
}

/* The width of the widest word of text in font: a header wraps between words only. */
static double widest_word(pdf_doc *d, const char *text, const PangoFontDescription *font)
{
	double max = 0;
	while (*text) {
		size_t n = strcspn(text, " ");
		char word[128];
		snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), text);
		double w = text_width(d, word, font);
		if (w > max)
			max = w;
		text += n;
		while (*text == ' ')
			text++;
	}
	return max;
}

static bool text_column(const report_table *t, size_t c)
{
	return !t->nrows || report_cell_at(t, 0, c)->kind == REPORT_TEXT;
}

/* Column widths: a number column as wide as its header's longest word;
 * text columns share what is left. */
static void widths(pdf_doc *d, const report_table *t, size_t n, double *w)
{
	const double measure = pdf_measure(d);
	size_t ntext = 0;
	double used = 0;
	for (size_t c = 0; c < n; c++) {
		if (text_column(t, c)) {
			ntext++;
			continue;
		}
		double need = widest_word(d, t->cols[c], bold(d)) + 2 * CELL_PAD + 4;
		w[c] = need < 40 ? 40 : need;
		used += w[c];
	}
	/* Text columns share the rest by how long their longest value is
	 * (within limits), so a learning statement gets room and a stage not. */
	double left = measure - used, weight[MAX_COLS] = {0}, weights = 0;
	for (size_t c = 0; c < n; c++) {
		if (!text_column(t, c))
			continue;
		size_t longest = strlen(t->cols[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			const char *v = report_cell_at(t, r, c)->text;
			if (v && strlen(v) > longest)
				longest = strlen(v);
		}
		if (longest <= 16 && ntext > 1) {
			/* A reference, a date, a stage: as wide as its widest value. */
			double need = widest_word(d, t->cols[c], bold(d));
			for (size_t r = 0; r < t->nrows; r++) {
				double vw = text_width(d, report_cell_at(t, r, c)->text, body(d));
				if (vw > need)
					need = vw;
			}
			w[c] = need + 2 * CELL_PAD + 4;
			left -= w[c];
			continue;
		}
		weight[c] = longest < 10 ? 10 : longest > 60 ? 60 : (double)longest;
		weights += weight[c];
	}
	for (size_t c = 0; c < n; c++)
		if (weight[c] > 0)
			w[c] = left * weight[c] / weights;
	if (ntext && used > 0 && left < 64 * (double)ntext) {
		/* Too many numbers: the text columns keep 64 points each and the
		 * number columns shrink to share the rest (a long header word then
		 * breaks inside itself).  A table of words alone (the
		 * self-assessment) has no numbers to shrink: its long columns keep
		 * their shares above. */
		double scale = (measure - 64 * (double)ntext) / used;
		for (size_t c = 0; c < n; c++)
			w[c] = text_column(t, c) ? 64 : w[c] * scale;
	}
}

/* A table's columns: how many are shown, their widths and which are numbers. */
typedef struct columns {
	size_t n;
	double w[MAX_COLS];
	bool numeric[MAX_COLS];
} columns;

/* Draws one row at d->y (or only measures it when draw is false); returns its height. */
static double table_row(pdf_doc *d, const columns *cols, const char **texts, bool header,
			bool total, bool draw)
{
	PangoLayout *l[MAX_COLS];
	double h = 0;
	const double measure = pdf_measure(d);
	for (size_t c = 0; c < cols->n; c++) {
		l[c] = pdf_layout(d, texts[c], header || total ? bold(d) : body(d),
				  cols->w[c] - 2 * CELL_PAD,
				  cols->numeric[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
		if (pdf_layout_height(l[c]) > h)
			h = pdf_layout_height(l[c]);
	}
	h += 2 * CELL_PAD;
	if (draw) {
		if (header || total)
			pdf_fill_rect(d, MARGIN_X, d->y, measure, h, header ? C_HEAD : C_TOTAL);
		double x = MARGIN_X;
		for (size_t c = 0; c < cols->n; c++) {
			pdf_show(d, l[c], x + CELL_PAD, d->y + CELL_PAD);
			x += cols->w[c];
		}
		if (d->draw) {
			pdf_rgb(d, C_RULE);
			cairo_set_line_width(d->cr, 0.5);
			cairo_rectangle(d->cr, MARGIN_X, d->y, measure, h);
			x = MARGIN_X;
			for (size_t c = 0; c + 1 < cols->n; c++) {
				x += cols->w[c];
				cairo_move_to(d->cr, x, d->y);
				cairo_line_to(d->cr, x, d->y + h);
			}
			cairo_stroke(d->cr);
			pdf_black(d);
		}
	}
	for (size_t c = 0; c < cols->n; c++)
		g_object_unref(l[c]);
	return h;
}

/* A table under its heading; across pages between rows, the header repeated. */
static void table(pdf_doc *d, const report_table *t, bool anonymised)
{
	bool suppress = report_render_suppressing(t, anonymised);
	columns cols = {.n = t->ncols < MAX_COLS ? t->ncols : MAX_COLS};
	widths(d, t, cols.n, cols.w);
	const char *head[MAX_COLS];
	for (size_t c = 0; c < cols.n; c++) {
		cols.numeric[c] = !text_column(t, c);
		head[c] = t->cols[c];
	}
	double hh = table_row(d, &cols, head, true, false, false);
	/* The heading keeps the column header and the first row with it. */
	heading(d, t->title, t->note, hh * 2.2);
	d->y += table_row(d, &cols, head, true, false, true);
	if (t->nrows == 0) {
		const char *none[MAX_COLS] = {"none in the period"};
		for (size_t c = 1; c < cols.n; c++)
			none[c] = "";
		d->y += table_row(d, &cols, none, false, false, true);
		return;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		const char *texts[MAX_COLS];
		char bufs[MAX_COLS][32];
		bool total = report_row_is_total(t, r);
		for (size_t c = 0; c < cols.n; c++)
			texts[c] = report_cell_format(report_cell_at(t, r, c), suppress, bufs[c]);
		double h = table_row(d, &cols, texts, false, total, false);
		if (d->y + h > pdf_bottom(d)) {
			pdf_new_page(d);
			d->y += table_row(d, &cols, head, true, false, true);
		}
		d->y += table_row(d, &cols, texts, false, total, true);
	}
}

/* The whole report: what it is, the two charts, the tables, what it leaves out. */
static void document(pdf_doc *d, void *ctx)
{
	const report_doc *rd = ctx;
	const fh_report *r = rd->r;
	const char *org = r->org_name ? r->org_name : r->org_code;
	const double w = pdf_measure(d);
	report_dates dates = report_render_dates(r);
	char line[512];
	pdf_set_footer(d, "%s, %s to %s%s", org, dates.from, dates.to,
		       rd->anonymised ? " (anonymised)" : " (not for publication)");
	snprintf(line, sizeof line, "%s: %s", org,
		 r->title ? r->title : "complaints, comments and compliments");
	d->y += pdf_text_at(d, line, pdf_font(d, TITLE, true), MARGIN_X, d->y, w, PANGO_ALIGN_LEFT) + 4;
	if (r->kind == REPORT_KIND_ANNUAL)
		snprintf(line, sizeof line, "Period %s to %s. The whole organisation.", dates.from,
			 dates.to);
	else
		snprintf(line, sizeof line, "Period %s to %s (compared with %s to %s). %s%s%s",
			 dates.from, dates.to, dates.prev_from, dates.prev_to,
			 r->team ? "Team or service: " : "The whole organisation.",
			 r->team ? r->team : "", r->team ? "." : "");
	d->y += pdf_text_at(d, line, body(d), MARGIN_X, d->y, w, PANGO_ALIGN_LEFT) + 2;
	char version[1024];
	snprintf(version, sizeof version, "%s Sources: %s.", rd->anonymised
		? "Anonymised: no names; counts of 1 to 4 are shown as <5 (and percentages built on "
		  "them), and a cell marked * is hidden so that a <5 cannot be worked out from a "
		  "total."
		: "Not for publication: includes officers' names and case text; publish the "
		  "anonymised version instead.", report_sources(r));
	d->y += pdf_text_at(d, version, body(d), MARGIN_X, d->y, w, PANGO_ALIGN_LEFT);
	report_ontime_chart chart;
	if (report_ontime_chart_of(r, &chart))
		chart_ontime(d, &chart, r->kind == REPORT_KIND_ANNUAL
			     ? "Answered within the timescales, by stage and procedure"
			     : "Responses within the deadline, by stage", rd->anonymised);
	const report_table *monthly = report_find_table(r, "monthly");
	if (monthly && monthly->nrows)
		chart_trend(d, monthly, rd->anonymised);
	for (size_t i = 0; i < r->ntables; i++)
		if (!(rd->anonymised && r->tables[i]->personal))
			table(d, r->tables[i], rd->anonymised);
	if (r->nnotes) {
		heading(d, "Not in this report", NULL, 20);
		for (size_t i = 0; i < r->nnotes; i++) {
			PangoLayout *l = pdf_layout(d, r->notes[i], body(d), w, PANGO_ALIGN_LEFT);
			pdf_ensure(d, pdf_layout_height(l));
			pdf_show(d, l, MARGIN_X, d->y);
			d->y += pdf_layout_height(l) + 4;
			g_object_unref(l);
		}
	}
}

fh_status report_render_pdf(const fh_report *r, bool anonymised, html_buf *out, fh_error *err)
{
	report_doc rd = {.r = r, .anonymised = anonymised};
	pdf_spec spec = {
		.title = r->title ? r->title : "Complaints, comments and compliments: monitoring report",
		.margins = {MARGIN_X, MARGIN_X, 50, 56},
		.body = document,
		.ctx = &rd,
	};
	return pdf_render(&spec, out, err);
}
