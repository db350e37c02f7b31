/*
 * html: a growable text buffer and the escaping writers that put user data
 * into HTML (and CSV) through it.
 *
 * Escaping by construction (STYLE "Escaping by construction", after cgit's
 * html.c): a page is built only with html_raw for markup the program itself
 * wrote, and html_text / html_attr for every value that came from the
 * database or a person, so no value can open a tag or leave an attribute.
 * csv_field quotes a field as RFC 4180 asks, for the CSV reports.
 *
 * The buffer aborts when memory runs out, like the arena (arena.h): a report
 * cannot be half written.  The caller owns the buffer and frees it with
 * html_buf_free.
 */
#ifndef FH_HTML_H
#define FH_HTML_H

#include <stddef.h>

typedef struct html_buf {
	char *data; /* NUL-terminated once anything was written; NULL before */
	size_t len;
	size_t cap;
} html_buf;

#define HTML_BUF_INIT {0}

/* Markup written by the program: copied as it is. */
void html_raw(html_buf *b, const char *s);
/* printf-style markup written by the program: the arguments must not be user data. */
void html_rawf(html_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes written by the program (a rendered file, which may hold NULs): copied as they are. */
void html_bytes(html_buf *b, const void *data, size_t n);
/* Text content: & < > escaped, NULL written as nothing. */
void html_text(html_buf *b, const char *s);
/* An attribute value (to go between double quotes): & < > " ' escaped. */
void html_attr(html_buf *b, const char *s);
/*
 * One CSV field (RFC 4180): written as it is unless it holds a comma, a
 * double quote, CR or LF, in which case it is enclosed in double quotes
 * with each double quote doubled.  A field starting with = + - @, TAB or
 * CR is also quoted and prefixed with ' so that a spreadsheet does not run
 * it as a formula (OWASP "CSV injection").
 */
void csv_field(html_buf *b, const char *s);

/* The text so far ("" when nothing was written); valid until the next write. */
const char *html_buf_str(const html_buf *b);
void html_buf_free(html_buf *b);

#endif
