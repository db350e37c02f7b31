/*
 * Fuzz target: the letter templates' language (src/core/letter.c), as
 * `fairhearing letter check` and issuing read an organisation's own
 * templates, with values that may hold anything a member of the public
 * typed.  The input is a template, then a line "---", then the values as
 * JSON (an object; anything else stands for a fixed set).  A refusal must
 * name a field and say why; an accepted letter has a subject and blocks
 * that render to HTML and text, and no value ever becomes markup: the HTML
 * never holds a tag that the values spelled.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "letter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *sep = strstr(text, "\n---\n");
	json_t *values = NULL;
	if (sep) {
		*sep = '\0';
		values = json_loads(sep + 5, JSON_REJECT_DUPLICATES, NULL);
	}
	if (!json_is_object(values)) {
		json_decref(values);
		values = json_pack("{ss ss s[{ss}{ss}] s{ss} sb}", "name", "<script>x</script>",
				   "date", "2027-01-11", "points", "summary", "**<b>bold</b>**",
				   "summary", "{{name}}", "org", "name", "A & B", "yes", 1);
	}
	json_t *blocks = NULL;
	char *subject = NULL;
	fh_error err = {0};
	if (letter_expand("fuzz", text, values, &blocks, &subject, &err)) {
		assert(err.message[0] != '\0');
		assert(!blocks && !subject);
	} else {
		assert(json_is_array(blocks) && subject);
		json_t *doc = json_pack("{ss so s{ss s[]} s[] ss ss s[]}", "subject", subject,
					"blocks", blocks, "letterhead", "name", "Org", "lines",
					"recipient", "date", "2027-01-11", "reference", "REF-1",
					"signature");
		assert(doc);
		html_buf h = HTML_BUF_INIT, t = HTML_BUF_INIT;
		letter_html(doc, &h);
		letter_plain_text(doc, &t);
		assert(!strstr(html_buf_str(&h), "<script"));
		html_buf_free(&h);
		html_buf_free(&t);
		json_decref(doc);
		free(subject);
	}
	json_decref(values);
	free(text);
	return 0;
}
