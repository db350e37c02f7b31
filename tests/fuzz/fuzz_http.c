/*
 * Fuzz target: the server's own reading of a request line and headers.
 * libmicrohttpd splits the request and decodes the query string and the
 * cookies; what Fairhearing then does with them is matching the path
 * against every route of the table (extracting the {name} segments) and
 * deciding whether the Content-Type is JSON.  The input's first line is
 * the Content-Type, the rest the path.  A match must give exactly the
 * pattern's parameters, each one non-empty path segment.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t braces(const char *pattern)
{
	size_t n = 0;
	for (const char *p = pattern; (p = strchr(p, '{')); p++)
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char *path = strchr(text, '\n');
	if (path)
		*path++ = '\0';
	else
		path = text + size;
	(void)routes_is_json(text);
	fh_arena arena = ARENA_INIT;
	for (size_t i = 0; i < N_ROUTES; i++) {
		const char *params[HTTP_MAX_PARAMS] = {0};
		if (!routes_path_match(ROUTES[i].pattern, path, &arena, params))
			continue;
		size_t want = braces(ROUTES[i].pattern);
		for (size_t j = 0; j < HTTP_MAX_PARAMS; j++) {
			if (j < want)
				assert(params[j] && *params[j] && !strchr(params[j], '/'));
			else
				assert(params[j] == NULL);
		}
	}
	arena_free(&arena);
	free(text);
	return 0;
}
