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
 * The layout runs twice: once into a PDF surface that writes nowhere, to
 * count the pages, then for real; both passes use the same surface type
 * and font map, so their text measures, and page breaks, are the same.
 *
 * Text goes to Pango with pango_layout_set_text, never as markup, so a
 * value holding '<' is printed as it is.  Suppression is the same as the
 * other formats: report_cell_format for every number, and the charts leave
 * out a bar or a point whose value is 1 to 4 in a suppressed version.
 */
#include "report_render.h"

#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN_X 48.0
#define MARGIN_TOP 50.0
#define MARGIN_BOTTOM 56.0
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define CELL_PAD 3.0

typedef struct pdf {
	cairo_t *cr;
	PangoContext *pc;
	PangoFontDescription *title, *heading, *body, *bold, *small;
	const fh_report *r;
	bool anonymised;
	bool draw;      /* false: the counting pass */
	double y;
	int page, pages;
	char footer[256];
} pdf;

/* A layout of text in font, wrapped at width (0: no wrapping). */
static PangoLayout *lay(pdf *p, const char *text, const PangoFontDescription *font, double width,
			PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(p->pc);
	pango_layout_set_font_description(l, font);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double lay_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(pdf *p, PangoLayout *l, double x, double y)
{
	if (!p->draw)
		return;
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

/* Writes text at (x, y) and returns its height. */
static double text_at(pdf *p, const char *text, const PangoFontDescription *font, double x,
		      double y, double width, PangoAlignment align)
{
	PangoLayout *l = lay(p, text, font, width, align);
	show(p, l, x, y);
	double h = lay_height(l);
	g_object_unref(l);
	return h;
}

static void footer(pdf *p)
{
	char page[64];
	snprintf(page, sizeof page, "Page %d of %d", p->page, p->pages ? p->pages : p->page);
	cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
	text_at(p, p->footer, p->small, MARGIN_X, PAGE_H - MARGIN_BOTTOM + 18, CONTENT_W - 80,
		PANGO_ALIGN_LEFT);
	text_at(p, page, p->small, MARGIN_X, PAGE_H - MARGIN_BOTTOM + 18, CONTENT_W,
		PANGO_ALIGN_RIGHT);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void new_page(pdf *p)
{
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN_TOP;
}

/* A new page unless h more points fit on this one. */
static void ensure(pdf *p, double h)
{
	if (p->y + h > PAGE_H - MARGIN_BOTTOM && p->y > MARGIN_TOP)
		new_page(p);
}

static void set_rgb(pdf *p, unsigned rgb)
{
	cairo_set_source_rgb(p->cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
			     (rgb & 255) / 255.0);
}

static void fill_rect(pdf *p, double x, double y, double w, double h, unsigned rgb)
{
	if (!p->draw || w <= 0)
		return;
	set_rgb(p, rgb);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

enum { C_ONTIME = 0x2E7D32, C_LATE = 0xC62828, C_LINE = 0x1D4F91, C_HEAD = 0xE8EEF7,
       C_TOTAL = 0xF2F2F2, C_RULE = 0xBBBBBB };

static double heading(pdf *p, const char *title, const char *note, double need_after)
{
	PangoLayout *lt = lay(p, title, p->heading, CONTENT_W, PANGO_ALIGN_LEFT);
	PangoLayout *ln = note ? lay(p, note, p->small, CONTENT_W, PANGO_ALIGN_LEFT) : NULL;
	double h = 14 + lay_height(lt) + 4 + (ln ? lay_height(ln) + 6 : 0);
	/* The title stays with what follows it. */
	ensure(p, h + need_after);
	p->y += 14;
	show(p, lt, MARGIN_X, p->y);
	p->y += lay_height(lt) + 2;
	if (p->draw) {
		set_rgb(p, C_LINE);
		cairo_set_line_width(p->cr, 1.2);
		cairo_move_to(p->cr, MARGIN_X, p->y);
		cairo_line_to(p->cr, MARGIN_X + CONTENT_W, p->y);
		cairo_stroke(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	p->y += 4;
	if (ln) {
		cairo_set_source_rgb(p->cr, 0.27, 0.27, 0.27);
		show(p, ln, MARGIN_X, p->y);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		p->y += lay_height(ln) + 6;
		g_object_unref(ln);
	}
	g_object_unref(lt);
	return h;
}

/* The value a chart may draw: 0 for a hidden one (report_chart_hidden). */
static int64_t drawn(const report_cell *c, bool suppress)
{
	return report_chart_hidden(c, suppress) ? 0 : c->n;
}

/* On-time and late responses per stage, stacked bars (the HTML's first chart). */
static void chart_ontime(pdf *p, const report_table *t, bool suppress)
{
	const double label = 60, bar = 18, gap = 10, top = 22;
	size_t stages = t->nrows > 3 ? 3 : t->nrows;
	double h = top + (double)stages * (bar + gap);
	heading(p, "Responses within the deadline, by stage", NULL, h);
	int64_t max = 1;
	for (size_t r = 0; r < stages; r++) {
		int64_t sum = drawn(report_cell_at(t, r, 2), suppress) +
			      drawn(report_cell_at(t, r, 4), suppress);
		if (sum > max)
			max = sum;
	}
	double y0 = p->y;
	fill_rect(p, MARGIN_X + label, y0 + 3, 9, 9, C_ONTIME);
	text_at(p, "within the deadline", p->small, MARGIN_X + label + 13, y0 + 1, 0, PANGO_ALIGN_LEFT);
	fill_rect(p, MARGIN_X + label + 120, y0 + 3, 9, 9, C_LATE);
	text_at(p, "late", p->small, MARGIN_X + label + 133, y0 + 1, 0, PANGO_ALIGN_LEFT);
	double scale = (CONTENT_W - label - 130) / (double)max;
	for (size_t r = 0; r < stages; r++) {
		double y = y0 + top + (double)r * (bar + gap);
		const report_cell *ontime = report_cell_at(t, r, 2), *late = report_cell_at(t, r, 4);
		/* A bar's length would give a suppressed count away: none is drawn. */
		double w1 = (double)drawn(ontime, suppress) * scale;
		double w2 = (double)drawn(late, suppress) * scale;
		text_at(p, report_cell_at(t, r, 0)->text, p->body, MARGIN_X, y + 3, 0, PANGO_ALIGN_LEFT);
		fill_rect(p, MARGIN_X + label, y, w1, bar, C_ONTIME);
		fill_rect(p, MARGIN_X + label + w1, y, w2, bar, C_LATE);
		char n1[32], n2[32], text[96];
		snprintf(text, sizeof text, "%s on time, %s late", report_cell_format(ontime, suppress, n1),
			 report_cell_format(late, suppress, n2));
		text_at(p, text, p->small, MARGIN_X + label + w1 + w2 + 5, y + 4, 0, PANGO_ALIGN_LEFT);
	}
	p->y = y0 + h;
}

/* Complaints received each month as a line; a suppressed month is a gap. */
static void chart_trend(pdf *p, const report_table *t, bool suppress)
{
	const double h = 170, left = 34, right = 18, top = 8, bottom = 30;
	heading(p, "Complaints received each month", NULL, h);
	int64_t max = 1;
	for (size_t r = 0; r < t->nrows; r++)
		if (drawn(report_cell_at(t, r, 1), suppress) > max)
			max = drawn(report_cell_at(t, r, 1), suppress);
	if (suppress && max < 5)
		max = 5; /* the axis's top label must not be a small count itself */
	double x0 = MARGIN_X + left, x1 = MARGIN_X + CONTENT_W - right;
	double y0 = p->y + top, y1 = p->y + h - bottom;
	double dx = t->nrows > 1 ? (x1 - x0) / (double)(t->nrows - 1) : 0;
	char buf[32];
	if (p->draw) {
		set_rgb(p, 0x666666);
		cairo_set_line_width(p->cr, 0.8);
		cairo_move_to(p->cr, x0, y0);
		cairo_line_to(p->cr, x0, y1);
		cairo_line_to(p->cr, x1, y1);
		cairo_stroke(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	snprintf(buf, sizeof buf, "%lld", (long long)max);
	text_at(p, buf, p->small, MARGIN_X, y0 - 5, left - 6, PANGO_ALIGN_RIGHT);
	text_at(p, "0", p->small, MARGIN_X, y1 - 6, left - 6, PANGO_ALIGN_RIGHT);
	bool open = false;
	set_rgb(p, C_LINE);
	cairo_set_line_width(p->cr, 1.6);
	for (size_t r = 0; r < t->nrows; r++) {
		int64_t v = report_cell_at(t, r, 1)->n;
		double x = x0 + dx * (double)r, y = y1 - (double)v * (y1 - y0) / (double)max;
		if (report_chart_hidden(report_cell_at(t, r, 1), suppress)) {
			open = false;
			continue;
		}
		if (open)
			cairo_line_to(p->cr, x, y);
		else
			cairo_move_to(p->cr, x, y);
		open = true;
	}
	if (p->draw)
		cairo_stroke(p->cr);
	else
		cairo_new_path(p->cr);
	size_t every = t->nrows / 12 + 1;
	for (size_t r = 0; r < t->nrows; r++) {
		int64_t v = report_cell_at(t, r, 1)->n;
		double x = x0 + dx * (double)r, y = y1 - (double)v * (y1 - y0) / (double)max;
		if (report_chart_hidden(report_cell_at(t, r, 1), suppress)) {
			cairo_set_source_rgb(p->cr, 0, 0, 0);
			text_at(p, report_cell_format(report_cell_at(t, r, 1), suppress, buf), p->small,
				x - 15, y1 - 14, 30, PANGO_ALIGN_CENTER);
		} else if (p->draw) {
			set_rgb(p, C_LINE);
			cairo_new_path(p->cr); /* not joined to where the last label ended */
			cairo_arc(p->cr, x, y, 2.4, 0, 6.2832);
			cairo_fill(p->cr);
		}
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		if (r % every == 0)
			text_at(p, report_cell_at(t, r, 0)->text, p->small, x - 25, y1 + 4, 50,
				PANGO_ALIGN_CENTER);
	}
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	p->y += h;
}

/* The width of the widest word of text in font: a header wraps between words only. */
static double widest_word(pdf *p, const char *text, const PangoFontDescription *font)
{
	double max = 0;
	while (*text) {
		size_t n = strcspn(text, " ");
		char word[128];
		snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), text);
		PangoLayout *l = lay(p, word, font, 0, PANGO_ALIGN_LEFT);
		int w, h;
		pango_layout_get_size(l, &w, &h);
		if ((double)w / PANGO_SCALE > max)
			max = (double)w / PANGO_SCALE;
		g_object_unref(l);
		text += n;
		while (*text == ' ')
			text++;
	}
	return max;
}

/* Column widths: a number column as wide as its header's longest word;
 * text columns share what is left. */
static void widths(pdf *p, const report_table *t, double *w)
{
	size_t ntext = 0;
	double used = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		bool text = !t->nrows || report_cell_at(t, 0, c)->kind == REPORT_TEXT;
		if (text) {
			ntext++;
			continue;
		}
		double need = widest_word(p, t->cols[c], p->bold) + 2 * CELL_PAD + 4;
		w[c] = need < 40 ? 40 : need;
		used += w[c];
	}
	/* Text columns share the rest by how long their longest value is
	 * (within limits), so a learning statement gets room and a stage not. */
	double left = CONTENT_W - used, weight[32] = {0}, weights = 0;
	for (size_t c = 0; c < t->ncols && c < 32; c++) {
		bool text = !t->nrows || report_cell_at(t, 0, c)->kind == REPORT_TEXT;
		if (!text)
			continue;
		size_t longest = strlen(t->cols[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			const char *v = report_cell_at(t, r, c)->text;
			if (v && strlen(v) > longest)
				longest = strlen(v);
		}
		if (longest <= 16 && ntext > 1) {
			/* A reference, a date, a stage: as wide as its widest value. */
			double need = widest_word(p, t->cols[c], p->bold);
			for (size_t r = 0; r < t->nrows; r++) {
				PangoLayout *l = lay(p, report_cell_at(t, r, c)->text, p->body, 0,
						     PANGO_ALIGN_LEFT);
				int lw, lh;
				pango_layout_get_size(l, &lw, &lh);
				if ((double)lw / PANGO_SCALE > need)
					need = (double)lw / PANGO_SCALE;
				g_object_unref(l);
			}
			w[c] = need + 2 * CELL_PAD + 4;
			left -= w[c];
			continue;
		}
		weight[c] = longest < 10 ? 10 : longest > 60 ? 60 : (double)longest;
		weights += weight[c];
	}
	for (size_t c = 0; c < t->ncols && c < 32; c++)
		if (weight[c] > 0)
			w[c] = left * weight[c] / weights;
	if (ntext && left < 64 * (double)ntext) {
		/* Too many numbers: the text columns keep 64 points each and the
		 * number columns shrink to share the rest (a long header word then
		 * breaks inside itself). */
		double scale = (CONTENT_W - 64 * (double)ntext) / used;
		for (size_t c = 0; c < t->ncols; c++) {
			bool text = !t->nrows || report_cell_at(t, 0, c)->kind == REPORT_TEXT;
			w[c] = text ? 64 : w[c] * scale;
		}
	}
}

/* Draws one row (or measures it when draw is false); returns its height. */
static double table_row(pdf *p, const report_table *t, const double *w, const char **texts,
			bool header, bool total, const bool *numeric, bool draw)
{
	PangoLayout *l[32];
	double h = 0;
	size_t n = t->ncols < 32 ? t->ncols : 32;
	for (size_t c = 0; c < n; c++) {
		l[c] = lay(p, texts[c], header || total ? p->bold : p->body, w[c] - 2 * CELL_PAD,
			   numeric[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
		if (lay_height(l[c]) > h)
			h = lay_height(l[c]);
	}
	h += 2 * CELL_PAD;
	if (draw) {
		if (header || total)
			fill_rect(p, MARGIN_X, p->y, CONTENT_W, h, header ? C_HEAD : C_TOTAL);
		double x = MARGIN_X;
		for (size_t c = 0; c < n; c++) {
			show(p, l[c], x + CELL_PAD, p->y + CELL_PAD);
			x += w[c];
		}
		if (p->draw) {
			set_rgb(p, C_RULE);
			cairo_set_line_width(p->cr, 0.5);
			cairo_rectangle(p->cr, MARGIN_X, p->y, CONTENT_W, h);
			x = MARGIN_X;
			for (size_t c = 0; c + 1 < n; c++) {
				x += w[c];
				cairo_move_to(p->cr, x, p->y);
				cairo_line_to(p->cr, x, p->y + h);
			}
			cairo_stroke(p->cr);
			cairo_set_source_rgb(p->cr, 0, 0, 0);
		}
	}
	for (size_t c = 0; c < n; c++)
		g_object_unref(l[c]);
	return h;
}

static void table(pdf *p, const report_table *t)
{
	bool suppress = report_render_suppressing(t, p->anonymised);
	double w[32];
	bool numeric[32] = {false};
	size_t n = t->ncols < 32 ? t->ncols : 32;
	widths(p, t, w);
	for (size_t c = 0; c < n; c++)
		numeric[c] = t->nrows && report_cell_at(t, 0, c)->kind != REPORT_TEXT;
	const char *head[32];
	for (size_t c = 0; c < n; c++)
		head[c] = t->cols[c];
	double hh = table_row(p, t, w, head, true, false, numeric, false);
	/* The heading keeps the column header and the first row with it. */
	heading(p, t->title, t->note, hh * 2.2);
	p->y += table_row(p, t, w, head, true, false, numeric, true);
	if (t->nrows == 0) {
		const char *none[32] = {"none in the period"};
		for (size_t c = 1; c < n; c++)
			none[c] = "";
		p->y += table_row(p, t, w, none, false, false, numeric, true);
		return;
	}
	for (size_t r = 0; r < t->nrows; r++) {
		const char *texts[32];
		char bufs[32][32];
		const report_cell *first = report_cell_at(t, r, 0);
		bool total = first->text && !strncmp(first->text, "all ", 4);
		for (size_t c = 0; c < n; c++)
			texts[c] = report_cell_format(report_cell_at(t, r, c), suppress, bufs[c]);
		double h = table_row(p, t, w, texts, false, total, numeric, false);
		if (p->y + h > PAGE_H - MARGIN_BOTTOM) {
			new_page(p);
			p->y += table_row(p, t, w, head, true, false, numeric, true);
		}
		p->y += table_row(p, t, w, texts, false, total, numeric, true);
	}
}

static void document(pdf *p)
{
	const fh_report *r = p->r;
	char from[DATE_ISO_LEN], to[DATE_ISO_LEN], pf[DATE_ISO_LEN], pt[DATE_ISO_LEN], line[512];
	date_format(r->from, from);
	date_format(r->to, to);
	date_format(r->prev_from, pf);
	date_format(r->prev_to, pt);
	p->page = 1;
	p->y = MARGIN_TOP;
	snprintf(p->footer, sizeof p->footer, "%s, %s to %s%s", r->org_name ? r->org_name : r->org_code,
		 from, to, p->anonymised ? " (anonymised)" : " (not for publication)");
	snprintf(line, sizeof line, "%s: complaints, comments and compliments",
		 r->org_name ? r->org_name : r->org_code);
	p->y += text_at(p, line, p->title, MARGIN_X, p->y, CONTENT_W, PANGO_ALIGN_LEFT) + 4;
	snprintf(line, sizeof line, "Period %s to %s (compared with %s to %s). %s%s%s", from, to, pf,
		 pt, r->team ? "Team or service: " : "The whole organisation.", r->team ? r->team : "",
		 r->team ? "." : "");
	p->y += text_at(p, line, p->body, MARGIN_X, p->y, CONTENT_W, PANGO_ALIGN_LEFT) + 2;
	p->y += text_at(p, p->anonymised
		? "Anonymised: no names; counts of 1 to 4 are shown as <5 (and percentages built on "
		  "them), and a cell marked * is hidden so that a <5 cannot be worked out from a "
		  "total. Sources: 001 §4.3, §16; 003 \"Monitoring and learning\"."
		: "Not for publication: includes officers' names and case text; publish the "
		  "anonymised version instead. Sources: 001 §4.3, §16; 003 \"Monitoring and learning\".",
		p->body, MARGIN_X, p->y, CONTENT_W, PANGO_ALIGN_LEFT);
	const report_table *responses = report_find_table(r, "responses");
	if (responses)
		chart_ontime(p, responses, p->anonymised);
	const report_table *monthly = report_find_table(r, "monthly");
	if (monthly && monthly->nrows)
		chart_trend(p, monthly, p->anonymised);
	for (size_t i = 0; i < r->ntables; i++)
		if (!(p->anonymised && r->tables[i]->personal))
			table(p, r->tables[i]);
	if (r->nnotes) {
		heading(p, "Not in this report", NULL, 20);
		for (size_t i = 0; i < r->nnotes; i++) {
			PangoLayout *l = lay(p, r->notes[i], p->body, CONTENT_W, PANGO_ALIGN_LEFT);
			ensure(p, lay_height(l));
			show(p, l, MARGIN_X, p->y);
			p->y += lay_height(l) + 4;
			g_object_unref(l);
		}
	}
	footer(p);
	cairo_show_page(p->cr);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	html_bytes(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_nowhere(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

/* One pass of the layout into a PDF surface writing through write. */
static fh_status pass(pdf *p, PangoFontMap *fm, cairo_write_func_t write, void *closure,
		      fh_error *err)
{
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write, closure, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
				       "Complaints, comments and compliments: monitoring report");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Fairhearing");
	p->cr = cairo_create(surface);
	p->pc = pango_font_map_create_context(fm);
	pango_cairo_update_context(p->cr, p->pc);
	document(p);
	g_object_unref(p->pc);
	cairo_destroy(p->cr);
	cairo_surface_finish(surface);
	cairo_status_t cs = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (cs != CAIRO_STATUS_SUCCESS)
		return error_set(err, FH_ESTORE, "format", NULL, "drawing the PDF failed: %s",
				 cairo_status_to_string(cs));
	return FH_OK;
}

fh_status report_render_pdf(const fh_report *r, bool anonymised, html_buf *out, fh_error *err)
{
	pdf p = {.r = r, .anonymised = anonymised};
	/* A font map of our own, released at the end, rather than the
	 * thread's default that would live as long as the thread. */
	PangoFontMap *fm = pango_cairo_font_map_new();
	p.title = pango_font_description_from_string("DejaVu Sans Bold 15");
	p.heading = pango_font_description_from_string("DejaVu Sans Bold 11");
	p.body = pango_font_description_from_string("DejaVu Sans 8.5");
	p.bold = pango_font_description_from_string("DejaVu Sans Bold 8.5");
	p.small = pango_font_description_from_string("DejaVu Sans 7.5");
	p.draw = false;
	fh_status s = pass(&p, fm, to_nowhere, NULL, err);
	if (!s) {
		p.pages = p.page;
		p.draw = true;
		s = pass(&p, fm, to_buf, out, err);
	}
	pango_font_description_free(p.title);
	pango_font_description_free(p.heading);
	pango_font_description_free(p.body);
	pango_font_description_free(p.bold);
	pango_font_description_free(p.small);
	g_object_unref(fm);
	return s;
}

void report_render_release(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
