/*
 * letter_pdf: letters typeset with cairo and pango (letter_pdf.h).
 */
#include "letter_pdf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

/* A4 in points, 20 mm margins; the footer sits in the bottom margin. */
#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 56.69
#define BOTTOM (PAGE_H - 50.0)
#define MEASURE (PAGE_W - 2 * MARGIN)
#define FONT "DejaVu Sans, Sans"

typedef struct typesetter {
	cairo_t *cr;
	bool draw;     /* false: the counting pass */
	int page;      /* 1-based page being laid out */
	int pages;     /* the total, known in the drawing pass */
	double y;
	char footer_left[400]; /* the organisation and reference of the letter on the page */
} typesetter;

typedef struct sink {
	unsigned char *data;
	size_t len, cap;
	bool failed;
} sink;

static cairo_status_t write_sink(void *closure, const unsigned char *data, unsigned int length)
{
	sink *s = closure;
	if (s->len + length > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		while (cap < s->len + length)
			cap *= 2;
		unsigned char *p = realloc(s->data, cap);
		if (!p) {
			s->failed = true;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		s->data = p;
		s->cap = cap;
	}
	memcpy(s->data + s->len, data, length);
	s->len += length;
	return CAIRO_STATUS_SUCCESS;
}

static void footer(typesetter *t)
{
	if (!t->draw)
		return;
	PangoLayout *l = pango_cairo_create_layout(t->cr);
	PangoFontDescription *fd = pango_font_description_from_string(FONT " 8");
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)(MEASURE * PANGO_SCALE));
	pango_layout_set_text(l, t->footer_left, -1);
	cairo_set_source_rgb(t->cr, 0.31, 0.35, 0.37);
	cairo_move_to(t->cr, MARGIN, PAGE_H - 34);
	pango_cairo_show_layout(t->cr, l);
	char num[48];
	snprintf(num, sizeof num, "Page %d of %d", t->page, t->pages);
	pango_layout_set_text(l, num, -1);
	pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	cairo_move_to(t->cr, MARGIN, PAGE_H - 34);
	pango_cairo_show_layout(t->cr, l);
	cairo_set_source_rgb(t->cr, 0, 0, 0);
	pango_font_description_free(fd);
	g_object_unref(l);
}

static void new_page(typesetter *t)
{
	footer(t);
	if (t->draw)
		cairo_show_page(t->cr);
	t->page++;
	t->y = MARGIN;
}

/* A layout of runs (an array of {"text", "bold"}) or of plain text. */
static PangoLayout *make_layout(typesetter *t, const json_t *runs, const char *text,
				const char *font, double width, bool all_bold)
{
	PangoLayout *l = pango_cairo_create_layout(t->cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	PangoAttrList *attrs = pango_attr_list_new();
	if (runs) {
		/* Text is set as text, never as pango markup: a value cannot
		 * become formatting. */
		GString *all = g_string_new(NULL);
		size_t i;
		json_t *r;
		json_array_foreach(runs, i, r) {
			const char *s = json_string_value(json_object_get(r, "text"));
			size_t start = all->len;
			g_string_append(all, s ? s : "");
			if (json_is_true(json_object_get(r, "bold")) || all_bold) {
				PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
				a->start_index = (guint)start;
				a->end_index = (guint)all->len;
				pango_attr_list_insert(attrs, a);
			}
		}
		pango_layout_set_text(l, all->str, (int)all->len);
		g_string_free(all, TRUE);
	} else {
		pango_layout_set_text(l, text ? text : "", -1);
		if (all_bold) {
			PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
			pango_attr_list_insert(attrs, a);
		}
	}
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	return l;
}

/* Sets the layout at x line by line, going on to a new page when a line
 * does not fit; a bullet, if any, beside the first line. */
static void flow(typesetter *t, PangoLayout *l, double x, const char *bullet)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	bool first = true;
	do {
		PangoRectangle logical;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		double h = (double)logical.height / PANGO_SCALE;
		double base = (double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
		if (t->y + h > BOTTOM)
			new_page(t);
		if (t->draw) {
			PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
			cairo_move_to(t->cr, x + (double)logical.x / PANGO_SCALE, t->y + base);
			pango_cairo_show_layout_line(t->cr, line);
			if (first && bullet) {
				cairo_move_to(t->cr, x - 12, t->y);
				PangoLayout *b = pango_cairo_create_layout(t->cr);
				pango_layout_set_font_description(b, pango_layout_get_font_description(l));
				pango_layout_set_text(b, bullet, -1);
				pango_cairo_show_layout(t->cr, b);
				g_object_unref(b);
			}
		}
		first = false;
		t->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

static void set_text(typesetter *t, const json_t *runs, const char *text, const char *font,
		     double x, double width, bool bold, double after)
{
	PangoLayout *l = make_layout(t, runs, text, font, width, bold);
	flow(t, l, x, NULL);
	g_object_unref(l);
	t->y += after;
}

static const char *field(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

static void rule(typesetter *t)
{
	if (t->draw) {
		cairo_set_source_rgb(t->cr, 0.31, 0.35, 0.37);
		cairo_set_line_width(t->cr, 0.6);
		cairo_move_to(t->cr, MARGIN, t->y);
		cairo_line_to(t->cr, PAGE_W - MARGIN, t->y);
		cairo_stroke(t->cr);
		cairo_set_source_rgb(t->cr, 0, 0, 0);
	}
}

static void fact(typesetter *t, const json_t *b)
{
	const double label_w = 170;
	PangoLayout *label = make_layout(t, json_object_get(b, "label"), NULL, FONT " 10.5", label_w - 10, true);
	PangoLayout *value = make_layout(t, json_object_get(b, "runs"), NULL, FONT " 10.5",
					 MEASURE - label_w, false);
	int lh, vh;
	pango_layout_get_pixel_size(label, NULL, &lh);
	pango_layout_get_pixel_size(value, NULL, &vh);
	double h = lh > vh ? lh : vh;
	if (h < BOTTOM - MARGIN && t->y + h > BOTTOM)
		new_page(t);
	if (t->draw) {
		cairo_move_to(t->cr, MARGIN, t->y);
		pango_cairo_show_layout(t->cr, label);
	}
	double top = t->y;
	flow(t, value, MARGIN + label_w, NULL);
	if (t->y < top + h)
		t->y = top + h;
	t->y += 3;
	g_object_unref(label);
	g_object_unref(value);
}

/* One letter, from a fresh page. */
static void letter(typesetter *t, const json_t *doc)
{
	const json_t *head = json_object_get(doc, "letterhead");
	snprintf(t->footer_left, sizeof t->footer_left, "%s · %s", field(head, "name"),
		 field(doc, "reference"));
	set_text(t, NULL, field(head, "name"), FONT " 15", MARGIN, MEASURE, true, 2);
	size_t i;
	json_t *v;
	cairo_set_source_rgb(t->cr, 0.22, 0.25, 0.26);
	json_array_foreach(json_object_get(head, "lines"), i, v)
		set_text(t, NULL, json_string_value(v), FONT " 8.5", MARGIN, MEASURE, false, 0);
	cairo_set_source_rgb(t->cr, 0, 0, 0);
	t->y += 6;
	rule(t);
	t->y += 18;
	json_array_foreach(json_object_get(doc, "recipient"), i, v)
		set_text(t, NULL, json_string_value(v), FONT " 10.5", MARGIN, MEASURE, false, 0);
	t->y += 14;
	char line[200];
	snprintf(line, sizeof line, "Date: %s", field(doc, "date"));
	set_text(t, NULL, line, FONT " 10.5", MARGIN, MEASURE, false, 0);
	snprintf(line, sizeof line, "Our reference: %s", field(doc, "reference"));
	set_text(t, NULL, line, FONT " 10.5", MARGIN, MEASURE, false, 14);
	set_text(t, NULL, field(doc, "subject"), FONT " 13", MARGIN, MEASURE, true, 10);
	const char *prev = "";
	json_array_foreach(json_object_get(doc, "blocks"), i, v) {
		const char *type = field(v, "type");
		const json_t *runs = json_object_get(v, "runs");
		if (strcmp(prev, type) && (!strcmp(prev, "item") || !strcmp(prev, "fact")))
			t->y += 6;
		if (!strcmp(type, "heading")) {
			t->y += 6;
			/* keep a heading with the first lines of what follows it */
			if (t->y + 60 > BOTTOM)
				new_page(t);
			set_text(t, runs, NULL, FONT " 11.5", MARGIN, MEASURE, true, 4);
		} else if (!strcmp(type, "item")) {
			PangoLayout *l = make_layout(t, runs, NULL, FONT " 10.5", MEASURE - 16, false);
			flow(t, l, MARGIN + 16, "•");
			g_object_unref(l);
			t->y += 3;
		} else if (!strcmp(type, "fact")) {
			fact(t, v);
		} else {
			set_text(t, runs, NULL, FONT " 10.5", MARGIN, MEASURE, false, 8);
		}
		prev = type;
	}
	t->y += 14;
	/* the signature stays together, on the page of the last words if it fits */
	if (t->y + 16 + 18.0 * (double)json_array_size(json_object_get(doc, "signature")) > BOTTOM)
		new_page(t);
	json_array_foreach(json_object_get(doc, "signature"), i, v)
		set_text(t, NULL, json_string_value(v), FONT " 10.5", MARGIN, MEASURE, false, i ? 0 : 16);
}

static void typeset(typesetter *t, const json_t *docs)
{
	t->page = 1;
	t->y = MARGIN;
	size_t i;
	json_t *doc;
	json_array_foreach(docs, i, doc) {
		if (i)
			new_page(t);
		letter(t, doc);
	}
	footer(t);
	if (t->draw)
		cairo_show_page(t->cr);
}

fh_status letter_pdf(const json_t *docs, const char *title, const char *author, pdf_bytes *out,
		     fh_error *err)
{
	out->data = NULL;
	out->len = 0;
	if (!json_is_array(docs) || !json_array_size(docs))
		return error_set(err, FH_EINVAL, "letters", NULL, "nothing to typeset");
	sink s = {0};
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_sink, &s, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title ? title : "");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, author ? author : "");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Fairhearing");
	cairo_t *cr = cairo_create(surface);
	typesetter t = {.cr = cr, .draw = false};
	typeset(&t, docs); /* counts the pages */
	t = (typesetter){.cr = cr, .draw = true, .pages = t.page};
	typeset(&t, docs);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	cairo_status_t cs = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	if (cs != CAIRO_STATUS_SUCCESS || s.failed) {
		free(s.data);
		return error_set(err, s.failed ? FH_ENOMEM : FH_ESTORE, NULL, NULL,
				 "the PDF could not be written: %s", cairo_status_to_string(cs));
	}
	out->data = s.data;
	out->len = s.len;
	return FH_OK;
}

void letter_pdf_shutdown(void)
{
	/* Pango keeps the default font map for the life of the process:
	 * dropping it frees the fonts it holds.  fontconfig's and cairo's own
	 * caches stay reachable from their globals; their finalisers
	 * (FcFini, cairo_debug_reset_static_data) assert when pango's
	 * fontconfig thread still holds a reference, so they are not called. */
	pango_cairo_font_map_set_default(NULL);
}
