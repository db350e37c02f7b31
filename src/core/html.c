/*
 * html: the buffer and the escaping writers (html.h).
 */
#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for n more bytes and a NUL; doubling keeps appends amortised O(1). */
static void reserve(html_buf *b, size_t n)
{
	if (n > ((size_t)-1) / 2 - b->len)
		abort();
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		abort();
	b->data = p;
	b->cap = cap;
}

static void append(html_buf *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void html_raw(html_buf *b, const char *s)
{
	if (s)
		append(b, s, strlen(s));
}

void html_bytes(html_buf *b, const void *data, size_t n)
{
	if (n)
		append(b, data, n);
}

void html_rawf(html_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Copies s, replacing each character that the quote set names by its entity. */
static void escape(html_buf *b, const char *s, int quotes)
{
	if (!s)
		return;
	const char *run = s;
	for (; *s; s++) {
		const char *ent = NULL;
		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = quotes ? "&quot;" : NULL; break;
		case '\'': ent = quotes ? "&#39;" : NULL; break;
		default: break;
		}
		if (ent) {
			append(b, run, (size_t)(s - run));
			html_raw(b, ent);
			run = s + 1;
		}
	}
	append(b, run, (size_t)(s - run));
}

void html_text(html_buf *b, const char *s)
{
	escape(b, s, 0);
}

void html_attr(html_buf *b, const char *s)
{
	escape(b, s, 1);
}

void csv_field(html_buf *b, const char *s)
{
	if (!s)
		s = "";
	/* OWASP "CSV injection": a spreadsheet reads a cell starting with
	 * = + - @ as a formula, and skips a leading TAB or CR before deciding,
	 * so those two start one too. */
	int formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		html_raw(b, s);
		return;
	}
	append(b, "\"", 1);
	if (formula)
		append(b, "'", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			append(b, "\"", 1);
		append(b, p, 1);
	}
	append(b, "\"", 1);
}

const char *html_buf_str(const html_buf *b)
{
	return b->data ? b->data : "";
}

void html_buf_free(html_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
