/*
 * letter_pdf: letters, and everything made of letter models (a case file,
 * a subject access export), laid out on the page (letter_pdf.h).  The
 * pages, the two passes, the footer and the text machinery are pdf_doc's;
 * what is here is a letter's own layout: the letterhead, the recipient,
 * the date and reference, the blocks and the signature.
 */
#include "letter_pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_doc.h"

/* 20 mm margins all round; the footer sits in the bottom margin. */
#define MARGIN 56.69
#define BODY 10.5 /* the body text's size, in points */
#define LABEL_W 170.0 /* a fact's label column */

enum { C_LETTERHEAD = 0x384042, C_RULE = 0x4F595E };

static const char *field(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

/* A layout of runs (an array of {"text", "bold"}), each bold where it says
 * so, or all of it when all_bold. */
static PangoLayout *runs_layout(pdf_doc *d, const json_t *runs, double size, double width,
				bool all_bold)
{
	GString *all = g_string_new(NULL);
	PangoAttrList *attrs = pango_attr_list_new();
	size_t i;
	json_t *r;
	json_array_foreach(runs, i, r) {
		size_t start = all->len;
		g_string_append(all, field(r, "text"));
		if (all_bold || json_is_true(json_object_get(r, "bold"))) {
			PangoAttribute *a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
			a->start_index = (guint)start;
			a->end_index = (guint)all->len;
			pango_attr_list_insert(attrs, a);
		}
	}
	PangoLayout *l = pdf_layout(d, all->str, pdf_font(d, size, false), width, PANGO_ALIGN_LEFT);
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	g_string_free(all, TRUE);
	return l;
}

/* Flows a layout across the measure and frees it, then leaves after points. */
static void flow_free(pdf_doc *d, PangoLayout *l, double after)
{
	pdf_flow(d, l, MARGIN, NULL);
	g_object_unref(l);
	d->y += after;
}

/* A line of plain text across the measure. */
static void line(pdf_doc *d, const char *text, double size, bool bold, double after)
{
	flow_free(d, pdf_layout(d, text, pdf_font(d, size, bold), pdf_measure(d), PANGO_ALIGN_LEFT),
		  after);
}

/* A label in bold beside its value, kept on one page when it fits on one. */
static void fact(pdf_doc *d, const json_t *b)
{
	PangoLayout *label = runs_layout(d, json_object_get(b, "label"), BODY, LABEL_W - 10, true);
	PangoLayout *value = runs_layout(d, json_object_get(b, "runs"), BODY,
					 pdf_measure(d) - LABEL_W, false);
	double lh = pdf_layout_height(label), vh = pdf_layout_height(value);
	double h = lh > vh ? lh : vh;
	pdf_ensure(d, h);
	pdf_show(d, label, MARGIN, d->y);
	double top = d->y;
	pdf_flow(d, value, MARGIN + LABEL_W, NULL);
	if (d->y < top + h)
		d->y = top + h;
	d->y += 3;
	g_object_unref(label);
	g_object_unref(value);
}

/* One letter, from a fresh page. */
static void letter(pdf_doc *d, const json_t *doc)
{
	const json_t *head = json_object_get(doc, "letterhead");
	pdf_set_footer(d, "%s · %s", field(head, "name"), field(doc, "reference"));
	line(d, field(head, "name"), 15, true, 2);
	size_t i;
	json_t *v;
	pdf_rgb(d, C_LETTERHEAD);
	json_array_foreach(json_object_get(head, "lines"), i, v)
		line(d, json_string_value(v), 8.5, false, 0);
	pdf_black(d);
	d->y += 6;
	pdf_hline(d, MARGIN, PDF_PAGE_W - MARGIN, d->y, 0.6, C_RULE);
	d->y += 18;
	json_array_foreach(json_object_get(doc, "recipient"), i, v)
		line(d, json_string_value(v), BODY, false, 0);
	d->y += 14;
	char text[200];
	snprintf(text, sizeof text, "Date: %s", field(doc, "date"));
	line(d, text, BODY, false, 0);
	snprintf(text, sizeof text, "Our reference: %s", field(doc, "reference"));
	line(d, text, BODY, false, 14);
	line(d, field(doc, "subject"), 13, true, 10);
	const char *prev = "";
	json_array_foreach(json_object_get(doc, "blocks"), i, v) {
		const char *type = field(v, "type");
		const json_t *runs = json_object_get(v, "runs");
		if (strcmp(prev, type) && (!strcmp(prev, "item") || !strcmp(prev, "fact")))
			d->y += 6;
		if (!strcmp(type, "heading")) {
			d->y += 6;
			pdf_ensure(d, 60); /* a heading stays with the first lines of what follows */
			flow_free(d, runs_layout(d, runs, 11.5, pdf_measure(d), true), 4);
		} else if (!strcmp(type, "item")) {
			PangoLayout *l = runs_layout(d, runs, BODY, pdf_measure(d) - 16, false);
			pdf_flow(d, l, MARGIN + 16, "•");
			g_object_unref(l);
			d->y += 3;
		} else if (!strcmp(type, "fact")) {
			fact(d, v);
		} else {
			flow_free(d, runs_layout(d, runs, BODY, pdf_measure(d), false), 8);
		}
		prev = type;
	}
	d->y += 14;
	/* the signature stays together, on the page of the last words if it fits */
	pdf_ensure(d, 16 + 18.0 * (double)json_array_size(json_object_get(doc, "signature")));
	json_array_foreach(json_object_get(doc, "signature"), i, v)
		line(d, json_string_value(v), BODY, false, i ? 0 : 16);
}

/* Each letter of the bundle from a new page. */
static void bundle(pdf_doc *d, void *ctx)
{
	size_t i;
	json_t *doc;
	json_array_foreach((const json_t *)ctx, i, doc) {
		if (i)
			pdf_new_page(d);
		letter(d, doc);
	}
}

fh_status letter_pdf(const json_t *docs, const char *title, const char *author, pdf_bytes *out,
		     fh_error *err)
{
	out->data = NULL;
	out->len = 0;
	if (!json_is_array(docs) || !json_array_size(docs))
		return error_set(err, FH_EINVAL, "letters", NULL, "nothing to typeset");
	pdf_spec spec = {
		.title = title,
		.author = author ? author : "",
		.margins = {MARGIN, MARGIN, MARGIN, 50},
		.body = bundle,
		.ctx = (void *)docs,
	};
	html_buf buf = HTML_BUF_INIT;
	fh_status s = pdf_render(&spec, &buf, err);
	if (s) {
		html_buf_free(&buf);
		return s;
	}
	out->data = (unsigned char *)buf.data; /* html_buf's bytes are malloc'd: now the caller's */
	out->len = buf.len;
	return FH_OK;
}
