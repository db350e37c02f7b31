/*
 * Fuzz target: the public and staff pages' form bodies (src/web/web.c),
 * application/x-www-form-urlencoded and multipart/form-data with files, as
 * dispatch reads them before any page's handler runs.  The input's first
 * line is the Content-Type, the rest the body.  A refusal must be a 4xx
 * answer with its words (an error body built); an accepted form's fields
 * each have a name, and every value is text a page can print.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http.h"
#include "web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse(const char *type, const char *body, size_t len, bool uploads)
{
	fh_arena arena = ARENA_INIT;
	http_request req = {.arena = &arena, .body = body, .body_len = len, .method = "POST",
			    .path = "/o/x/form/kind"};
	if (web_parse_form_as(&req, type, uploads)) {
		for (size_t i = 0; i < web_form_count(&req); i++) {
			const char *name = web_form_name(&req, i);
			assert(name && *name);
			const char *value = web_form(&req, name);
			assert(value);
			assert(!strchr(value, '\r')); /* line ends are LF only */
		}
	} else {
		assert(req.status >= 400 && req.status < 500);
		assert(req.out != NULL); /* the refusal has its words */
	}
	json_decref(req.out);
	arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *body = memchr(text, '\n', size);
	size_t len = 0;
	if (body) {
		*body++ = '\0';
		len = size - (size_t)(body - text);
	} else {
		body = text + size;
	}
	parse(text, body, len, true);
	parse(text, body, len, false);
	free(text);
	return 0;
}
