/*
 * Unit tests for the letter templates' language (src/core/letter.c): values
 * are text by construction, loops and conditions, a missing value refuses
 * the letter naming it, template mistakes name their line; the HTML
 * escapes every value; and the PDF of a model (src/letters/letter_pdf.c)
 * is a real PDF.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "date.h"

#include <dirent.h>
#include <stdio.h>

#include "config.h"
#include "ical.h"
#include "letter.h"
#include "letter_model.h"
#include "letter_pdf.h"

static json_t *values(void)
{
	return json_pack("{s:s s:s s:[{s:i s:s s:{s:s}}, {s:i s:s}] s:b s:s s:{s:s}}",
			 "name", "Amira <b>Khan</b> **bold** {{case.reference}}",
			 "due", "2027-01-11",
			 "points", "seq", 1, "summary", "Contact cancelled", "finding", "outcome", "Upheld",
			 "seq", 2, "summary", "Late reply",
			 "final", true, "empty", "",
			 "org", "name", "Trust & Co");
}

static fh_status expand(const char *tmpl, json_t **blocks, char **subject, fh_error *err)
{
	json_t *v = values();
	fh_status s = letter_expand("t.tmpl", tmpl, v, blocks, subject, err);
	json_decref(v);
	return s;
}

static const char *run_text(const json_t *blocks, size_t b, size_t r)
{
	return json_string_value(json_object_get(
		json_array_get(json_object_get(json_array_get(blocks, b), "runs"), r), "text"));
}

/* A value is text: template markup inside a value is printed, not obeyed. */
static void test_values_are_text(void **state)
{
	(void)state;
	json_t *blocks;
	char *subject;
	fh_error err = {0};
	assert_int_equal(expand("# To {{name}}\nDear **{{name}}**,\n", &blocks, &subject, &err), FH_OK);
	assert_string_equal(subject, "To Amira <b>Khan</b> **bold** {{case.reference}}");
	assert_int_equal(json_array_size(blocks), 1);
	assert_string_equal(run_text(blocks, 0, 0), "Dear ");
	/* the whole value is one bold run: its own ** did not end the bold */
	assert_string_equal(run_text(blocks, 0, 1), "Amira <b>Khan</b> **bold** {{case.reference}}");
	assert_true(json_is_true(json_object_get(
		json_array_get(json_object_get(json_array_get(blocks, 0), "runs"), 1), "bold")));
	json_t *doc = json_pack("{s:s s:{s:s s:[]} s:[s] s:s s:s s:O s:[]}", "subject", subject,
				"letterhead", "name", "Trust & Co", "lines", "recipient",
				"<script>alert(1)</script>", "date", "today", "reference", "R-1",
				"blocks", blocks, "signature");
	html_buf b = HTML_BUF_INIT;
	letter_html(doc, &b);
	const char *html = html_buf_str(&b);
	assert_non_null(strstr(html, "Amira &lt;b&gt;Khan&lt;/b&gt; **bold**"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html, "Trust &amp; Co"));
	assert_null(strstr(html, "<b>Khan"));
	assert_null(strstr(html, "<script>"));
	html_buf_free(&b);
	json_decref(doc);
	json_decref(blocks);
	free(subject);
}

static void test_loops_conditions_and_blocks(void **state)
{
	(void)state;
	const char *tmpl =
		"# Subject\n"
		"{{! a comment }}\n"
		"{{#each points}}\n"
		"- {{@index}}. {{summary}}\n"
		"{{#if finding}}\n"
		"| Finding | {{finding.outcome}}\n"
		"{{else}}\n"
		"| Finding | none yet\n"
		"{{/if}}\n"
		"{{/each}}\n"
		"First line\n"
		"{{#unless empty}}\n"
		"joins the paragraph\n"
		"{{/unless}}\n"
		"\n"
		"## Due {{due | date}}\n";
	json_t *blocks;
	char *subject;
	fh_error err = {0};
	assert_int_equal(expand(tmpl, &blocks, &subject, &err), FH_OK);
	assert_int_equal(json_array_size(blocks), 6);
	assert_string_equal(run_text(blocks, 0, 0), "1. Contact cancelled");
	assert_string_equal(json_string_value(json_object_get(json_array_get(blocks, 1), "type")), "fact");
	assert_string_equal(run_text(blocks, 1, 0), "Upheld");
	assert_string_equal(run_text(blocks, 2, 0), "2. Late reply");
	assert_string_equal(run_text(blocks, 3, 0), "none yet");
	assert_string_equal(run_text(blocks, 4, 0), "First line joins the paragraph");
	assert_string_equal(run_text(blocks, 5, 0), "Due Monday 11 January 2027");
	json_decref(blocks);
	free(subject);
}

/* A letter is never sent with a hole in it: the missing value is named. */
static void test_missing_value_refuses(void **state)
{
	(void)state;
	json_t *blocks;
	char *subject;
	fh_error err = {0};
	assert_int_equal(expand("# S\n\nYour officer is {{stage.officer}}.\n", &blocks, &subject, &err),
			 FH_ERULE);
	assert_string_equal(err.field, "stage.officer");
	assert_non_null(strstr(err.message, "t.tmpl line 3"));
	assert_null(blocks);
}

static void test_template_mistakes_name_the_line(void **state)
{
	(void)state;
	struct { const char *tmpl; const char *words; } bad[] = {
		{"# S\n{{#each points}}\n- x\n", "'#each' is never closed (t.tmpl line 2)"},
		{"# S\n{{/if}}\n", "closes nothing"},
		{"# S\ntext {{name\n", "not closed"},
		{"# S\n{{name | shout}}\n", "unknown filter"},
		{"# S\n{{points}}\n", "not text"},
		{"# S\n# T\n", "one subject"},
		{"no subject\n", "no subject"},
		{"# S\nsay {{#if name}}\n", "stand alone"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *blocks;
		char *subject;
		fh_error err = {0};
		assert_int_equal(expand(bad[i].tmpl, &blocks, &subject, &err), FH_EINVAL);
		assert_string_equal(err.field, "template");
		if (!strstr(err.message, bad[i].words))
			fail_msg("case %zu: '%s' not in '%s'", i, bad[i].words, err.message);
	}
}

static void test_long_date(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(letter_long_date("2026-12-25", buf, sizeof buf), "Friday 25 December 2026");
	assert_string_equal(letter_long_date("2024-02-29", buf, sizeof buf), "Thursday 29 February 2024");
	assert_string_equal(letter_long_date("soon", buf, sizeof buf), "soon");
}

/* The PDF is typeset from the same model: A4 pages, numbered, wrapping long text. */
static void test_pdf(void **state)
{
	(void)state;
	json_t *blocks = json_array();
	for (int i = 0; i < 60; i++)
		json_array_append_new(blocks, json_pack("{s:s s:[{s:s s:b}]}", "type", i % 3 ? "para" : "item",
							"runs", "text",
							"A paragraph long enough to wrap over more than one "
							"line of an A4 page with twenty millimetre margins.",
							"bold", i % 2));
	json_t *doc = json_pack("{s:s s:{s:s s:[s]} s:[s] s:s s:s s:o s:[s]}", "subject", "Test",
				"letterhead", "name", "Trust", "lines", "Address", "recipient", "A Person",
				"date", "today", "reference", "R-1", "blocks", blocks, "signature", "Yours");
	json_t *docs = json_pack("[O,O]", doc, doc);
	pdf_bytes pdf;
	fh_error err = {0};
	assert_int_equal(letter_pdf(docs, "Test", "Trust", &pdf, &err), FH_OK);
	assert_true(pdf.len > 1000);
	assert_memory_equal(pdf.data, "%PDF-", 5);
	/* two letters of more than one page each: each starts on a fresh page */
	const char *p = (const char *)pdf.data;
	size_t pages = 0;
	for (size_t i = 0; i + 10 < pdf.len; i++)
		if (!memcmp(p + i, "/Type /Page", 11) && p[i + 11] != 's')
			pages++;
	assert_true(pages >= 4);
	free(pdf.data);
	json_decref(docs);
	json_decref(doc);
	json_t *none = json_array();
	assert_int_equal(letter_pdf(none, "x", "y", &pdf, &err), FH_EINVAL);
	json_decref(none);
}

/* RFC 5545: CRLF lines of at most 75 octets, folded outside UTF-8
 * sequences; TEXT escaped; all-day events with an exclusive DTEND. */
static void test_ical(void **state)
{
	(void)state;
	html_buf b = HTML_BUF_INIT;
	ical_begin(&b, "Deadlines");
	const char *summary = "BCT-2026-00001: response due; a, b\\ and\nmore "
			      "éééééééééééééééééééééééééééééééééééééééééééééé";
	ical_event(&b, "BCT-2026-00001-1-response@fairhearing", "20261125T120000Z",
		   date_from_ymd(2026, 12, 31), summary, "x");
	ical_end(&b);
	const char *text = html_buf_str(&b);
	/* every line ends CRLF and is at most 75 octets */
	const char *p = text;
	size_t lines = 0;
	while (*p) {
		const char *crlf = strstr(p, "\r\n");
		assert_non_null(crlf);
		assert_true(crlf - p <= 75);
		/* a fold never splits a UTF-8 sequence: the next line's first
		 * octet after the space is not a continuation byte */
		if (crlf[2] == ' ')
			assert_true(((unsigned char)crlf[3] & 0xc0) != 0x80);
		p = crlf + 2;
		lines++;
	}
	assert_true(lines > 10);
	assert_non_null(strstr(text, "DTSTART;VALUE=DATE:20261231\r\n"));
	assert_non_null(strstr(text, "DTEND;VALUE=DATE:20270101\r\n"));
	assert_non_null(strstr(text, "DTSTAMP:20261125T120000Z\r\n"));
	/* unfolded, the summary is the text escaped */
	html_buf u = HTML_BUF_INIT;
	for (const char *q = text; *q; q++) {
		if (q[0] == '\r' && q[1] == '\n' && q[2] == ' ') {
			q += 2;
			continue;
		}
		char one[2] = {*q, 0};
		html_raw(&u, one);
	}
	assert_non_null(strstr(html_buf_str(&u), "SUMMARY:BCT-2026-00001: response due\\; a\\, "
						  "b\\\\ and\\nmore ééé"));
	assert_true(strncmp(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
	assert_non_null(strstr(text, "END:VCALENDAR\r\n"));
	html_buf_free(&u);
	html_buf_free(&b);
}

/* Every value docs/letters.md lists, as letter_values would give them. */
static json_t *all_values(void)
{
	return json_pack(
		"{s:{s:s s:s s:s s:s s:s s:s s:s} s:{s:s s:s s:s s:s}"
		" s:{s:s s:s s:s s:s s:s} s:{s:s} s:s s:s s:{s:s s:s s:s}"
		" s:{s:i s:s s:s s:s s:s s:s s:s s:{s:i s:s}}"
		" s:[{s:s s:s}] s:{s:s} s:{s:s s:s s:s s:s s:s s:b s:s}"
		" s:[{s:i s:s s:s s:b s:{s:s s:s s:s}}, {s:i s:s s:s s:b}]"
		" s:{s:s s:s s:[{s:s s:s s:s}] s:s}"
		" s:{s:s s:s s:i s:s s:[s,s]}"
		" s:{s:s s:s s:s s:s s:s s:s}}",
		"org", "name", "Trust", "address", "1 Road", "phone", "0121", "email", "a@b", "website",
		"w.example", "advocacy", "Advocates", "ombudsman", "LGSCO",
		"case", "reference", "BCT-2026-00001", "received_on", "2026-12-01", "summary", "S",
		"kind", "complaint",
		"recipient", "name", "Amira Khan", "given_name", "Amira", "address", "1 Hill St",
		"postcode", "B1 1AA", "role", "complainant",
		"child", "name", "Yusuf Khan", "today", "2026-12-30", "date", "Wednesday 30 December 2026",
		"procedure", "name", "P", "final_name", "LGSCO", "final_contact", "PO Box",
		"stage", "number", 1, "name", "Local Resolution", "due", "2027-01-11", "responder",
		"an Adjudicating Officer", "officer", "Olivia Clarke", "panel_due", "2027-02-01",
		"final", "no", "next", "number", 2, "name", "Independent Investigation",
		"reasons", "text", "not our actions", "source", "001 §9.1",
		"interest", "reason", "No contact",
		"extension", "reason", "Complex", "because", "complex", "on", "2026-12-20", "new_due",
		"2027-02-01", "notice", "written notice", "final_resort", 1, "good_reason",
		"Waiting for a contractor's records",
		"points", "seq", 1, "summary", "One", "desired_outcome", "A plan", "withdrawn", 0,
		"finding", "outcome", "Upheld", "reasoning", "Because", "outcome_response", "Yes",
		"seq", 2, "summary", "Two", "desired_outcome", "", "withdrawn", 1,
		"response", "on", "2026-12-30", "learning", "L", "actions", "action", "Brief", "owner",
		"TM", "due_on", "2027-01-15", "escalation_advice", "Ask for Stage 2",
		"panel", "date", "2027-02-20", "place", "Council House", "members", 3, "invite_by",
		"2027-02-05", "papers", "Report", "Notes",
		"given", "behaviour", "Calls", "evidence", "Log", "expected", "Email only",
		"restrictions", "One call a week", "period", "3 months", "review_on", "2027-03-01");
}

/* Every shipped template is well formed and asks only for values that exist. */
static void test_shipped_templates(void **state)
{
	(void)state;
	json_t *v = all_values();
	assert_non_null(v);
	DIR *d = opendir(FH_LETTERS_DIR);
	assert_non_null(d);
	struct dirent *e;
	size_t n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".tmpl"))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", FH_LETTERS_DIR, e->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		char text[20000];
		size_t got = fread(text, 1, sizeof text - 1, f);
		fclose(f);
		text[got] = '\0';
		json_t *blocks;
		char *subject;
		fh_error err = {0};
		if (letter_expand(e->d_name, text, v, &blocks, &subject, &err))
			fail_msg("%s: %s: %s", e->d_name, err.field, err.message);
		assert_true(strlen(subject) > 0);
		assert_true(json_array_size(blocks) > 0);
		json_decref(blocks);
		free(subject);
		n++;
	}
	closedir(d);
	json_decref(v);
	/* every kind has its standard template */
	size_t kinds;
	const letter_kind_info *k = letter_kinds(&kinds);
	for (size_t i = 0; i < kinds; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s.tmpl", FH_LETTERS_DIR, k[i].name);
		FILE *f = fopen(path, "rb");
		if (!f)
			fail_msg("no standard template for %s", k[i].name);
		fclose(f);
	}
	assert_true(n >= kinds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_are_text),
		cmocka_unit_test(test_loops_conditions_and_blocks),
		cmocka_unit_test(test_missing_value_refuses),
		cmocka_unit_test(test_template_mistakes_name_the_line),
		cmocka_unit_test(test_long_date),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_ical),
		cmocka_unit_test(test_shipped_templates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
