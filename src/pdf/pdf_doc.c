/*
 * pdf_doc: pages, two passes, footers, fonts and text for every PDF the
 * program writes (pdf_doc.h).
 */
#include "pdf_doc.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>

#include <cairo-pdf.h>

#define FONT_FAMILY "DejaVu Sans, Sans"
#define FOOTER_SIZE 7.5
#define FOOTER_RGB 0x4F595E
/* The footer's top, in the bottom margin; the page number keeps this much
 * of the measure to itself, so a long left-hand footer wraps before it. */
#define FOOTER_Y (PDF_PAGE_H - 36.0)
#define FOOTER_NUMBER_W 80.0

double pdf_measure(const pdf_doc *d)
{
	return PDF_PAGE_W - d->margins.left - d->margins.right;
}

double pdf_bottom(const pdf_doc *d)
{
	return PDF_PAGE_H - d->margins.bottom;
}

void pdf_rgb(pdf_doc *d, unsigned rgb)
{
	cairo_set_source_rgb(d->cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
			     (rgb & 255) / 255.0);
}

void pdf_black(pdf_doc *d)
{
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

const PangoFontDescription *pdf_font(pdf_doc *d, double size, bool bold)
{
	for (size_t i = 0; i < d->nfonts; i++)
		if (d->fonts[i].size == size && d->fonts[i].bold == bold)
			return d->fonts[i].desc;
	/* A document uses a handful of sizes: more than the table holds is a
	 * mistake in the document's code, which the tests that typeset every
	 * kind of document would meet. */
	assert(d->nfonts < PDF_FONTS_MAX);
	PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILY);
	pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	d->fonts[d->nfonts].size = size;
	d->fonts[d->nfonts].bold = bold;
	d->fonts[d->nfonts].desc = fd;
	return d->fonts[d->nfonts++].desc;
}

PangoLayout *pdf_layout(pdf_doc *d, const char *text, const PangoFontDescription *font,
			double width, PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(d->pc);
	pango_layout_set_font_description(l, font);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	/* text, never markup: a value cannot become formatting */
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

double pdf_layout_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

double pdf_layout_width(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)w / PANGO_SCALE;
}

void pdf_show(pdf_doc *d, PangoLayout *l, double x, double y)
{
	if (!d->draw)
		return;
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
}

double pdf_text_at(pdf_doc *d, const char *text, const PangoFontDescription *font, double x,
		   double y, double width, PangoAlignment align)
{
	PangoLayout *l = pdf_layout(d, text, font, width, align);
	pdf_show(d, l, x, y);
	double h = pdf_layout_height(l);
	g_object_unref(l);
	return h;
}

void pdf_set_footer(pdf_doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->footer, sizeof d->footer, fmt, ap);
	va_end(ap);
}

/* What the document is on the left, "Page N of M" on the right. */
static void footer(pdf_doc *d)
{
	if (!d->draw)
		return;
	const PangoFontDescription *font = pdf_font(d, FOOTER_SIZE, false);
	char number[64];
	snprintf(number, sizeof number, "Page %d of %d", d->page, d->pages);
	pdf_rgb(d, FOOTER_RGB);
	pdf_text_at(d, d->footer, font, d->margins.left, FOOTER_Y, pdf_measure(d) - FOOTER_NUMBER_W,
		    PANGO_ALIGN_LEFT);
	pdf_text_at(d, number, font, d->margins.left, FOOTER_Y, pdf_measure(d), PANGO_ALIGN_RIGHT);
	pdf_black(d);
}

void pdf_new_page(pdf_doc *d)
{
	footer(d);
	if (d->draw)
		cairo_show_page(d->cr);
	d->page++;
	d->y = d->margins.top;
}

void pdf_ensure(pdf_doc *d, double h)
{
	if (d->y + h > pdf_bottom(d) && d->y > d->margins.top)
		pdf_new_page(d);
}

void pdf_flow(pdf_doc *d, PangoLayout *l, double x, const char *marker)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	bool first = true;
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		double h = (double)logical.height / PANGO_SCALE;
		double base = (double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
		pdf_ensure(d, h);
		if (d->draw) {
			PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
			cairo_move_to(d->cr, x + (double)logical.x / PANGO_SCALE, d->y + base);
			pango_cairo_show_layout_line(d->cr, line);
		}
		if (first && marker) {
			PangoLayout *m = pdf_layout(d, marker, pango_layout_get_font_description(l), 0,
						    PANGO_ALIGN_LEFT);
			pdf_show(d, m, x - 12, d->y);
			g_object_unref(m);
		}
		first = false;
		d->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

void pdf_fill_rect(pdf_doc *d, double x, double y, double w, double h, unsigned rgb)
{
	if (!d->draw || w <= 0)
		return;
	pdf_rgb(d, rgb);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_fill(d->cr);
	pdf_black(d);
}

void pdf_hline(pdf_doc *d, double x0, double x1, double y, double width, unsigned rgb)
{
	if (!d->draw)
		return;
	pdf_rgb(d, rgb);
	cairo_set_line_width(d->cr, width);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
	pdf_black(d);
}

/* --- the two passes ------------------------------------------------------------ */

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

/*
 * One pass of the layout into a PDF surface writing through write; pages
 * is 0 for the counting pass (nothing drawn), the count for the drawing
 * pass.  Returns the number of pages laid out through *laid_out.
 */
static fh_status pass(const pdf_spec *spec, PangoFontMap *fm, int pages, cairo_write_func_t write,
		      void *closure, int *laid_out, fh_error *err)
{
	cairo_surface_t *surface =
		cairo_pdf_surface_create_for_stream(write, closure, PDF_PAGE_W, PDF_PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
				       spec->title ? spec->title : "");
	if (spec->author)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, spec->author);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Fairhearing");
	pdf_doc d = {.draw = pages > 0, .page = 1, .pages = pages, .margins = spec->margins};
	d.y = d.margins.top;
	d.cr = cairo_create(surface);
	d.pc = pango_font_map_create_context(fm);
	pango_cairo_update_context(d.cr, d.pc);
	spec->body(&d, spec->ctx);
	footer(&d);
	if (d.draw)
		cairo_show_page(d.cr);
	*laid_out = d.page;
	for (size_t i = 0; i < d.nfonts; i++)
		pango_font_description_free(d.fonts[i].desc);
	g_object_unref(d.pc);
	cairo_destroy(d.cr);
	cairo_surface_finish(surface);
	cairo_status_t cs = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (cs != CAIRO_STATUS_SUCCESS)
		return error_set(err, FH_ESTORE, NULL, NULL, "the PDF could not be written: %s",
				 cairo_status_to_string(cs));
	return FH_OK;
}

fh_status pdf_render(const pdf_spec *spec, html_buf *out, fh_error *err)
{
	/* A font map of the call's own, released at the end, rather than the
	 * thread's default, which would live as long as the thread and be
	 * shared with whatever else the thread renders. */
	PangoFontMap *fm = pango_cairo_font_map_new();
	int pages = 0, drawn = 0;
	fh_status s = pass(spec, fm, 0, to_nowhere, NULL, &pages, err);
	if (!s)
		s = pass(spec, fm, pages, to_buf, out, &drawn, err);
	/* the same layout, the same fonts: the count cannot differ */
	assert(s || drawn == pages);
	g_object_unref(fm);
	return s;
}
