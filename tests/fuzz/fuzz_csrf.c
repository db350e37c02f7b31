/*
 * Fuzz target: the cookie and CSRF handling of our own (issue 16 items 5
 * and 8) and the path as the logs write it.  libmicrohttpd splits the
 * Cookie header; what Fairhearing does with the values is derive the
 * session's CSRF token from the session cookie (store_session_csrf),
 * compare an Origin or Referer with the Host header (authz_same_origin),
 * and write the path with its secrets digested and its bytes escaped
 * (routes_log_path).  The input's lines are: the session cookie, an Origin
 * or Referer, a Host, and the rest a path.
 *
 * What must hold: the token is 43 base64url characters and the same each
 * time; a same-origin verdict is only ever given to an http(s) URL whose
 * host is exactly the Host; the logged path is valid UTF-8 (jansson takes
 * it) with no control character, has the path's segments, and shows a
 * tracking token or a session or API token only as "~" and 8 hex digits.
 */
#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "authz.h"
#include "routes.h"
#include "store_auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *next_line(char **p)
{
	char *line = *p, *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* a NUL inside ends the text, as for a C string from the library */
	char *p = text;
	const char *cookie = next_line(&p), *origin = next_line(&p), *host = next_line(&p);
	const char *path = p;

	char a[STORE_CSRF_TEXT_MAX], b[STORE_CSRF_TEXT_MAX];
	store_session_csrf(cookie, a);
	store_session_csrf(cookie, b);
	assert(strlen(a) == 43 && strcmp(a, b) == 0);
	for (const char *c = a; *c; c++)
		assert(isalnum((unsigned char)*c) || *c == '-' || *c == '_');

	fh_arena arena = ARENA_INIT;
	if (authz_same_origin(&arena, origin, host)) {
		const char *rest = !strncasecmp(origin, "https://", 8) ? origin + 8
				   : !strncasecmp(origin, "http://", 7) ? origin + 7 : NULL;
		assert(rest && *host);
		size_t n = strcspn(rest, "/?#");
		assert(n == strlen(host) && !strncasecmp(rest, host, n));
		assert(!memchr(rest, '@', n));
	}

	const char *logged = routes_log_path(path, &arena);
	json_t *j = json_string(logged);
	assert(j); /* valid UTF-8: the access line can always be written */
	json_decref(j);
	for (const unsigned char *c = (const unsigned char *)logged; *c; c++)
		assert(*c >= 0x20 && *c != 0x7f);
	/* Segment by segment (escapes hold no '/', so the two line up): a token,
	 * or the token of a tracking link, is logged as "~" and 8 hex digits. */
	const char *seg = path, *out = logged;
	size_t index = 0;
	bool tracking = !strncmp(path, "/o/", 3) && strchr(path + 3, '/') &&
			!strncmp(strchr(path + 3, '/'), "/track/", 7);
	while (*seg) {
		assert(*out);
		if (*seg == '/') {
			assert(*out == '/');
			seg++;
			out++;
		}
		size_t len = strcspn(seg, "/"), olen = strcspn(out, "/");
		bool secret = len > 4 && (!strncmp(seg, "fhs_", 4) || !strncmp(seg, "fht_", 4) ||
					  !strncmp(seg, "fhf_", 4));
		secret |= tracking && index == 3;
		if (secret) {
			assert(olen == 9 && out[0] == '~');
			for (size_t k = 1; k < 9; k++)
				assert(isxdigit((unsigned char)out[k]));
		}
		seg += len;
		out += olen;
		index++;
	}
	assert(*out == '\0');
	arena_free(&arena);
	free(text);
	return 0;
}
