/*
 * letter_pdf: a letter's layout model (letter.h) typeset as an A4 PDF with
 * cairo and pango.
 *
 * Real text layout, not a picture of the HTML: pango wraps each block to
 * the measure, a block that does not fit goes on line by line to the next
 * page, and every page carries the organisation's name, the reference and
 * "Page N of M" in its footer (so the layout runs twice: once to count the
 * pages, once to draw them).  The same model gives the HTML (letter_html),
 * so the two never disagree on what a letter says.
 *
 * Several letters, or a cover and a case's timeline, make one bundle: the
 * PDF writer takes a list of documents and starts each on a new page.
 */
#ifndef FH_LETTER_PDF_H
#define FH_LETTER_PDF_H

#include <stddef.h>

#include <jansson.h>

#include "error.h"

typedef struct pdf_bytes {
	unsigned char *data; /* malloc'd; the caller frees it */
	size_t len;
} pdf_bytes;

/*
 * Typesets docs (a JSON array of letter models) as one PDF whose title is
 * title.  FH_ENOMEM or FH_ESTORE (cairo's words) when it fails.
 */
fh_status letter_pdf(const json_t *docs, const char *title, const char *author, pdf_bytes *out,
		     fh_error *err);

/*
 * Frees the caches fontconfig, pango and cairo keep for the life of the
 * process, so a leak checker sees only what the program itself lost.  Call
 * once at exit, after the last letter_pdf.
 */
void letter_pdf_shutdown(void);

#endif
