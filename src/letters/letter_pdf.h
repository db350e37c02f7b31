/*
 * letter_pdf: a letter's layout model (letter.h) typeset as an A4 PDF, on
 * the one PDF writer (src/pdf/pdf_doc.h) the monitoring report uses too.
 *
 * Real text layout, not a picture of the HTML: pango wraps each block to
 * the measure, a block that does not fit goes on line by line to the next
 * page, and every page carries the organisation's name, the reference and
 * "Page N of M" in its footer.  The same model gives the HTML (letter_html),
 * so the two never disagree on what a letter says.
 *
 * Several letters, or a cover and a case's timeline (casefile.h), or a
 * subject access export (subject_access.h), make one bundle: the PDF writer
 * takes a list of documents and starts each on a new page.
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
 * title.  FH_EINVAL when there is nothing to typeset, FH_ESTORE (cairo's
 * words) when the PDF cannot be written.
 */
fh_status letter_pdf(const json_t *docs, const char *title, const char *author, pdf_bytes *out,
		     fh_error *err);

#endif
