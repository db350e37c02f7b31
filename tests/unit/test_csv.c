/* Unit tests for src/core/csv.c: RFC 4180 as spreadsheets write it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "csv.h"

static csv_table parse_ok(fh_arena *arena, const char *text)
{
	csv_table t;
	fh_error err = {0};
	fh_status s = csv_parse(text, strlen(text), arena, &t, &err);
	if (s)
		fail_msg("csv_parse refused it: %s", err.message);
	return t;
}

static void test_plain_and_quoted(void **state)
{
	(void)state;
	fh_arena a = ARENA_INIT;
	csv_table t = parse_ok(&a, "ref,summary,n\r\nBCT-1,\"Contact, cancelled\",\"she said \"\"no\"\"\"\r\n");
	assert_int_equal(t.n_records, 2);
	assert_int_equal(t.records[1].n_fields, 3);
	assert_string_equal(t.records[1].fields[0], "BCT-1");
	assert_string_equal(t.records[1].fields[1], "Contact, cancelled");
	assert_string_equal(t.records[1].fields[2], "she said \"no\"");
	arena_free(&a);
}

static void test_embedded_newlines_and_lines(void **state)
{
	(void)state;
	fh_arena a = ARENA_INIT;
	csv_table t = parse_ok(&a, "a,b\n\"one\ntwo\r\nthree\",x\nlast,y");
	assert_int_equal(t.n_records, 3);
	assert_string_equal(t.records[1].fields[0], "one\ntwo\r\nthree");
	assert_int_equal(t.records[1].line, 2);
	assert_int_equal(t.records[2].line, 5); /* the record after a three-line field */
	assert_string_equal(t.records[2].fields[1], "y"); /* no final line break */
	arena_free(&a);
}

static void test_bom_empty_fields_blank_lines(void **state)
{
	(void)state;
	fh_arena a = ARENA_INIT;
	csv_table t = parse_ok(&a, "\xEF\xBB\xBFreference,x,y\r\n\r\n,,\r\na,\"\",\r\n");
	assert_int_equal(t.n_records, 3);
	assert_string_equal(t.records[0].fields[0], "reference"); /* BOM gone */
	assert_int_equal(t.records[1].n_fields, 3);
	assert_string_equal(t.records[1].fields[2], "");
	assert_int_equal(t.records[1].line, 3); /* the blank line 2 was skipped */
	assert_int_equal(t.records[2].n_fields, 3);
	assert_string_equal(t.records[2].fields[1], "");
	arena_free(&a);
}

static void refused(const char *text, size_t len, const char *words)
{
	fh_arena a = ARENA_INIT;
	csv_table t;
	fh_error err = {0};
	assert_int_equal(csv_parse(text, len, &a, &t, &err), FH_EINVAL);
	if (!strstr(err.message, words))
		fail_msg("got '%s', want '%s'", err.message, words);
	assert_int_equal(t.n_records, 0);
	arena_free(&a);
}

static void test_malformed_is_refused_with_its_line(void **state)
{
	(void)state;
	/* sizeof, not strlen: one of them holds a NUL */
#define REFUSED(text, words) refused(text, sizeof text - 1, words)
	REFUSED("a,b\n\"never closed,x\n", "line 3: a quoted field is never closed (opened on line 2)");
	REFUSED("a,b\nx\"y,z\n", "line 2: a quote inside a field");
	REFUSED("a,b\n\"x\"y,z\n", "line 2: text after a closing quote");
	REFUSED("a,b\nx\0y,z\n", "line 2: a NUL byte");
#undef REFUSED
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_quoted),
		cmocka_unit_test(test_embedded_newlines_and_lines),
		cmocka_unit_test(test_bom_empty_fields_blank_lines),
		cmocka_unit_test(test_malformed_is_refused_with_its_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
