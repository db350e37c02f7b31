/*
 * Unit tests for core/subject_access: a subject access export (DOMAIN §8,
 * 000 "Access to records") laid out for the PDF writer shows everything in
 * the export, what was withheld included, and adds nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "subject_access.h"

/* Every block's text, one a line, "label | text" for a fact. */
static char *flatten(const json_t *model, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	size_t i, k;
	json_t *b, *r;
	json_array_foreach(json_object_get(model, "blocks"), i, b) {
		const char *type = json_string_value(json_object_get(b, "type"));
		len += (size_t)snprintf(buf + len, size - len, "%s:", type);
		json_array_foreach(json_object_get(b, "label"), k, r)
			len += (size_t)snprintf(buf + len, size - len, "%s | ",
						json_string_value(json_object_get(r, "text")));
		json_array_foreach(json_object_get(b, "runs"), k, r)
			len += (size_t)snprintf(buf + len, size - len, "%s",
						json_string_value(json_object_get(r, "text")));
		len += (size_t)snprintf(buf + len, size - len, "\n");
	}
	return buf;
}

static void test_everything_shown(void **state)
{
	(void)state;
	json_t *export = json_loads(
		"{\"organisation\": \"bct\","
		" \"subject\": {\"given_name\": \"Grace\", \"phone\": null, \"equality\": {\"sex\": \"female\"}},"
		" \"cases\": [{\"reference\": \"BCT-2026-00001\", \"stage\": 1,"
		"   \"remedies\": [{\"type\": \"apology\", \"delivered\": true}], \"consents\": []}],"
		" \"withheld\": [\"other people on the cases\", \"confidential documents\"]}",
		0, NULL);
	assert_non_null(export);
	json_t *models = subject_access_models(export, "Birmingham Children's Trust",
					       "Subject access bct-3", "2026-11-23");
	assert_int_equal(json_array_size(models), 1);
	json_t *m = json_array_get(models, 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(m, "letterhead"), "name")),
			    "Birmingham Children's Trust");
	assert_string_equal(json_string_value(json_object_get(m, "reference")), "Subject access bct-3");
	char text[8192];
	flatten(m, text, sizeof text);
	/* the subject's details as label and value; nested objects under their own heading */
	assert_non_null(strstr(text, "fact:Given name | Grace\n"));
	assert_non_null(strstr(text, "fact:Phone | \n"));
	assert_non_null(strstr(text, "paragraph:Equality\nfact:Sex | female\n"));
	/* each case one item, its lists under their names, an empty one said to be empty */
	assert_non_null(strstr(text, "heading:Cases\nitem:Reference: BCT-2026-00001; Stage: 1\n"));
	assert_non_null(strstr(text, "paragraph:Remedies\nitem:Type: apology; Delivered: yes\n"));
	assert_non_null(strstr(text, "paragraph:Consents\nparagraph:None.\n"));
	/* DOMAIN §8: what was withheld is in the document too */
	assert_non_null(strstr(text, "heading:Withheld\nitem:other people on the cases\n"
				     "item:confidential documents\n"));
	json_decref(models);
	json_decref(export);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_everything_shown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
