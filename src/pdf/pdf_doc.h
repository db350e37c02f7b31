/*
 * pdf_doc: the one PDF writer under every document the program prints:
 * letters, case files and subject access exports (src/letters/letter_pdf)
 * and the monitoring report (src/render/report_pdf).  Each of those says
 * only what is its own, its content and where it goes on the page; this
 * module is the machinery they share:
 *
 *  - the page: A4, in points, with the document's margins;
 *  - two passes: a document is laid out once to count its pages and once to
 *    draw them, so every page's footer can say "Page N of M".  Both passes
 *    use the same kind of surface and the same font map, so text measures,
 *    and therefore page breaks, are the same in both;
 *  - the footer: on every page, what the document is (the caller's words,
 *    which may change from page to page, as a bundle of letters does) on
 *    the left and "Page N of M" on the right, in the bottom margin;
 *  - fonts: one family (DejaVu Sans, which every test machine and the
 *    Debian package have), asked for by size and weight;
 *  - text: Pango layouts wrapped at a width, set as text and never as
 *    markup (a value holding '<' is printed as it is), drawn at a point or
 *    flowed line by line across page breaks.
 *
 * Drawing calls do nothing in the counting pass and everything in the
 * drawing pass; layout calls (measuring, moving y, starting pages) do the
 * same in both, which is what makes the count true.  A document's own
 * drawing (a chart's bars, a rule) checks pdf_doc.draw itself.  Every
 * helper that changes the colour sets it back to black.
 *
 * Memory: the PDF goes into an html_buf (html.h) the caller owns, which
 * aborts rather than hold half a file when memory runs out.  Fonts and the
 * font map belong to one pdf_render call and are freed before it returns,
 * so any thread may render at the same time as another.
 */
#ifndef FH_PDF_DOC_H
#define FH_PDF_DOC_H

#include <stdbool.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "error.h"
#include "html.h"

/* A4 in points. */
#define PDF_PAGE_W 595.28
#define PDF_PAGE_H 841.89

/* Where a page's content may go: the distances from each edge, in points.
 * The footer sits in the bottom margin, which must leave it room (40). */
typedef struct pdf_margins {
	double left, right, top, bottom;
} pdf_margins;

enum { PDF_FONTS_MAX = 12 };

typedef struct pdf_doc {
	cairo_t *cr;
	PangoContext *pc;
	bool draw;     /* false in the counting pass: nothing is drawn */
	int page;      /* the page being laid out, from 1 */
	int pages;     /* the total, in the drawing pass; 0 while counting */
	double y;      /* where the next thing goes, from the top of the page */
	pdf_margins margins;
	char footer[400]; /* the left of the footer: what the document is */
	struct {
		double size;
		bool bold;
		PangoFontDescription *desc;
	} fonts[PDF_FONTS_MAX];
	size_t nfonts;
} pdf_doc;

/* Lays a whole document out from the top of page 1 (pdf_render calls it
 * twice and ends the last page itself). */
typedef void pdf_body_fn(pdf_doc *d, void *ctx);

typedef struct pdf_spec {
	const char *title;  /* the file's metadata; NULL for none */
	const char *author; /* NULL for none */
	pdf_margins margins;
	pdf_body_fn *body;
	void *ctx;          /* passed to body as it is */
} pdf_spec;

/*
 * Appends the document spec->body lays out to out, as a PDF.  FH_ESTORE
 * with cairo's words when the PDF cannot be written; out may then hold part
 * of a file, which the caller discards.
 */
fh_status pdf_render(const pdf_spec *spec, html_buf *out, fh_error *err);


/* --- the page ------------------------------------------------------------ */

/* The width between the margins, and the lowest y content may reach. */
double pdf_measure(const pdf_doc *d);
double pdf_bottom(const pdf_doc *d);

/* Ends the page (its footer drawn) and starts the next at the top margin. */
void pdf_new_page(pdf_doc *d);

/* A new page unless h more points fit on this one; never on a page still
 * empty, where h cannot fit anyway. */
void pdf_ensure(pdf_doc *d, double h);

/* The footer's left-hand words for this page and the next, printf-style. */
void pdf_set_footer(pdf_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --- fonts and text ---------------------------------------------------------- */

/* The house font at size points, bold or not; the document owns it. */
const PangoFontDescription *pdf_font(pdf_doc *d, double size, bool bold);

/*
 * A layout of text (NULL: none) in font, wrapped between words at width
 * (0: no wrapping) and aligned; the caller unrefs it (g_object_unref).
 */
PangoLayout *pdf_layout(pdf_doc *d, const char *text, const PangoFontDescription *font,
			double width, PangoAlignment align);

/* A layout's height and width in points. */
double pdf_layout_height(PangoLayout *l);
double pdf_layout_width(PangoLayout *l);

/* Draws a layout with its top left at (x, y), in the drawing pass. */
void pdf_show(pdf_doc *d, PangoLayout *l, double x, double y);

/* Writes text at (x, y) as pdf_layout would lay it out; returns its height. */
double pdf_text_at(pdf_doc *d, const char *text, const PangoFontDescription *font, double x,
		   double y, double width, PangoAlignment align);

/*
 * Sets a layout at x from d->y down, line by line, starting a new page
 * when a line does not fit, and leaves d->y below it: a long paragraph
 * goes on over the page rather than off it.  marker (a bullet; NULL for
 * none) is set beside the first line, 12 points to its left.
 */
void pdf_flow(pdf_doc *d, PangoLayout *l, double x, const char *marker);

/* --- colour and lines ---------------------------------------------------------- */

/* The colour of what is drawn next, as 0xRRGGBB; pdf_black to go back. */
void pdf_rgb(pdf_doc *d, unsigned rgb);
void pdf_black(pdf_doc *d);

/* A filled rectangle (nothing when w is not positive), drawn in the drawing pass. */
void pdf_fill_rect(pdf_doc *d, double x, double y, double w, double h, unsigned rgb);

/* A horizontal line from x0 to x1 at y, width points thick, in the drawing pass. */
void pdf_hline(pdf_doc *d, double x0, double x1, double y, double width, unsigned rgb);

#endif
