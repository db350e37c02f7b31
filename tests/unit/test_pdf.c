/*
 * Unit tests for src/pdf/pdf_doc.c, the one PDF writer: A4 pages, a
 * paragraph that goes on over the page, "Page N of M" on every page from
 * the counting pass, the footer's words as they were when each page
 * ended, and a page never started while the current one is still empty.
 * The text is read back with pdftotext (poppler-utils) when it is there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdf_doc.h"

static const pdf_margins MARGINS = {50, 50, 50, 56};

/* The pages of a PDF as cairo writes them: each "/Type /Page" that is not "/Pages". */
static size_t count_pages(const html_buf *b)
{
	size_t pages = 0;
	for (size_t i = 0; i + 11 < b->len; i++)
		if (!memcmp(b->data + i, "/Type /Page", 11) && b->data[i + 11] != 's')
			pages++;
	return pages;
}

/* The PDF's text by pdftotext, or NULL when it is not installed. */
static char *pdf_text(const html_buf *b)
{
	if (system("command -v pdftotext >/dev/null 2>&1") != 0)
		return NULL;
	char path[] = "/tmp/fh-test-pdf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b->data, b->len), (ssize_t)b->len);
	close(fd);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "pdftotext %s - 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	html_buf text = HTML_BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		html_bytes(&text, chunk, n);
	pclose(p);
	unlink(path);
	html_bytes(&text, "", 1);
	return text.data;
}

/* Forty numbered paragraphs, the footer naming the part each is in. */
static void paragraphs(pdf_doc *d, void *ctx)
{
	(void)ctx;
	char text[600];
	for (int i = 1; i <= 40; i++) {
		pdf_set_footer(d, "Test document, part %d", i <= 20 ? 1 : 2);
		snprintf(text, sizeof text, "Paragraph %d. A paragraph long enough to wrap over "
			 "several lines of an A4 page, so that forty of them cannot fit on one page "
			 "and some must go on over a page break line by line, as a long letter "
			 "does.", i);
		PangoLayout *l = pdf_layout(d, text, pdf_font(d, 11, false), pdf_measure(d),
					    PANGO_ALIGN_LEFT);
		pdf_flow(d, l, d->margins.left, NULL);
		g_object_unref(l);
		d->y += 6;
		assert_true(d->y <= pdf_bottom(d) + 6);
	}
}

static void test_pages_counted_and_numbered(void **state)
{
	(void)state;
	html_buf out = HTML_BUF_INIT;
	fh_error err = {0};
	pdf_spec spec = {.title = "Test", .margins = MARGINS, .body = paragraphs};
	assert_int_equal(pdf_render(&spec, &out, &err), FH_OK);
	assert_memory_equal(out.data, "%PDF-", 5);
	size_t pages = count_pages(&out);
	assert_true(pages >= 3);
	char *text = pdf_text(&out);
	if (text) {
		char want[64];
		for (size_t p = 1; p <= pages; p++) {
			snprintf(want, sizeof want, "Page %zu of %zu", p, pages);
			if (!strstr(text, want))
				fail_msg("no \"%s\" in the text", want);
		}
		snprintf(want, sizeof want, "Page %zu of", pages + 1);
		assert_null(strstr(text, want));
		/* the footer says what was set when the page ended */
		assert_non_null(strstr(text, "Test document, part 1"));
		assert_non_null(strstr(text, "Test document, part 2"));
		assert_non_null(strstr(text, "Paragraph 40."));
		free(text);
	}
	html_buf_free(&out);
}

/* pdf_ensure on a fresh page: no empty page, however much is asked for. */
static void ensure_on_fresh_pages(pdf_doc *d, void *ctx)
{
	int *pages_seen = ctx;
	pdf_ensure(d, 10000); /* cannot fit anywhere: stays on page 1 */
	assert_int_equal(d->page, 1);
	pdf_text_at(d, "first", pdf_font(d, 10, true), d->margins.left, d->y, 0, PANGO_ALIGN_LEFT);
	d->y += 20;
	pdf_ensure(d, 10000); /* something is on page 1: page 2 */
	assert_int_equal(d->page, 2);
	assert_true(d->y == d->margins.top);
	pdf_ensure(d, 10000);
	assert_int_equal(d->page, 2);
	*pages_seen = d->page;
}

static void test_ensure_never_leaves_an_empty_page(void **state)
{
	(void)state;
	html_buf out = HTML_BUF_INIT;
	fh_error err = {0};
	int seen = 0;
	pdf_spec spec = {.title = "Test", .margins = MARGINS, .body = ensure_on_fresh_pages,
			 .ctx = &seen};
	assert_int_equal(pdf_render(&spec, &out, &err), FH_OK);
	assert_int_equal(seen, 2);
	assert_int_equal(count_pages(&out), 2);
	html_buf_free(&out);
}

static void test_a4(void **state)
{
	(void)state;
	html_buf out = HTML_BUF_INIT;
	fh_error err = {0};
	pdf_spec spec = {.title = "Test", .margins = MARGINS, .body = paragraphs};
	assert_int_equal(pdf_render(&spec, &out, &err), FH_OK);
	/* ISO 216: 210 x 297 mm, 595.28 x 841.89 points */
	const char box[] = "/MediaBox [ 0 0 595.28 841.89 ]";
	bool found = false;
	for (size_t i = 0; !found && i + sizeof box - 1 <= out.len; i++)
		found = !memcmp(out.data + i, box, sizeof box - 1);
	assert_true(found);
	html_buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_counted_and_numbered),
		cmocka_unit_test(test_ensure_never_leaves_an_empty_page),
		cmocka_unit_test(test_a4),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
