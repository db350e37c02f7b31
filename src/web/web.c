/*
 * web.c: a page's form (parsed once, in dispatch), its CSRF token, and the
 * ways a page answers, including failures.
 *
 * The body has already been read whole within the route's limit
 * (server.c), so both form encodings are parsed in place from memory; a
 * streaming parser would buy nothing at these sizes.
 */
#include "web.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "authz.h"
#include "routes.h"

typedef struct web_pair {
	const char *name, *value;
} web_pair;

struct web_state {
	web_pair *fields;
	size_t n_fields;
	web_upload *files;
	size_t n_files;
	const char *csrf; /* this request's token, once asked for */
};

static struct web_state *state(http_request *req)
{
	if (!req->web)
		req->web = arena_alloc(req->arena, sizeof *req->web);
	return req->web;
}

/* ---- reading ------------------------------------------------------------------ */

size_t web_form_count(const http_request *req)
{
	return req->web ? req->web->n_fields : 0;
}

const char *web_form_name(const http_request *req, size_t i)
{
	return req->web && i < req->web->n_fields ? req->web->fields[i].name : NULL;
}

const char *web_form(const http_request *req, const char *name)
{
	for (size_t i = 0; req->web && i < req->web->n_fields; i++)
		if (strcmp(req->web->fields[i].name, name) == 0)
			return req->web->fields[i].value;
	return NULL;
}

const char **web_form_all(const http_request *req, const char *name, size_t *n)
{
	size_t count = 0;
	for (size_t i = 0; req->web && i < req->web->n_fields; i++)
		count += strcmp(req->web->fields[i].name, name) == 0;
	const char **out = arena_array(req->arena, count + 1, sizeof *out);
	*n = 0;
	for (size_t i = 0; req->web && i < req->web->n_fields; i++)
		if (strcmp(req->web->fields[i].name, name) == 0)
			out[(*n)++] = req->web->fields[i].value;
	return out;
}

const web_upload *web_files(const http_request *req, const char *name, size_t *n)
{
	size_t count = 0;
	for (size_t i = 0; req->web && i < req->web->n_files; i++)
		count += strcmp(req->web->files[i].field, name) == 0;
	web_upload *out = arena_array(req->arena, count + 1, sizeof *out);
	*n = 0;
	for (size_t i = 0; req->web && i < req->web->n_files; i++)
		if (strcmp(req->web->files[i].field, name) == 0)
			out[(*n)++] = req->web->files[i];
	return out;
}

/* ---- parsing ------------------------------------------------------------------ */

/*
 * True when s (n bytes) is UTF-8 with no control characters but tab and
 * line ends: what a person can type into a form.
 */
static bool typable(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return false;
			if (c == 0x7f)
				return false;
			i++;
			continue;
		}
		size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (!len || i + len > n || c == 0xc0 || c == 0xc1 || c > 0xf4)
			return false;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		if ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] > 0x9f) ||
		    (c == 0xf0 && s[i + 1] < 0x90) || (c == 0xf4 && s[i + 1] > 0x8f))
			return false; /* overlong, surrogate, beyond U+10FFFF */
		i += len;
	}
	return true;
}

/* Copies s with CR LF (and a lone CR) as LF: browsers send CR LF in a textarea. */
static char *lf_only(fh_arena *arena, const char *s, size_t n)
{
	char *out = arena_alloc(arena, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r') {
			*o++ = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes one application/x-www-form-urlencoded component; NULL when malformed. */
static char *url_decode(fh_arena *arena, const char *s, size_t n, size_t *len)
{
	char *out = arena_alloc(arena, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return NULL;
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

static bool bad_form(http_request *req, const char *field, const char *why)
{
	/* A name that is not text cannot be named: the answer must stay valid
	 * JSON (found by tests/fuzz/fuzz_form: a refusal with no words). */
	if (field && !typable((const unsigned char *)field, strlen(field)))
		field = NULL;
	http_error(req, 400, "bad_form", field, "%s", why);
	return false;
}

static bool add_field(http_request *req, const char *name, size_t name_len, const char *value,
		      size_t value_len)
{
	if (!typable((const unsigned char *)name, name_len) || !name_len)
		return bad_form(req, NULL, "a field's name is empty or not text");
	char *n = arena_strndup(req->arena, name, name_len);
	if (!typable((const unsigned char *)value, value_len))
		return bad_form(req, n, "this answer holds characters that are not text; "
					"type it again without them");
	struct web_state *w = state(req);
	w->fields[w->n_fields].name = n;
	w->fields[w->n_fields].value = lf_only(req->arena, value, value_len);
	w->n_fields++;
	return true;
}

static bool parse_urlencoded(http_request *req)
{
	const char *s = req->body;
	size_t n = req->body_len, count = 1;
	for (size_t i = 0; i < n; i++)
		count += s[i] == '&';
	if (count > WEB_MAX_FIELDS)
		return bad_form(req, NULL, "the form has too many fields");
	struct web_state *w = state(req);
	w->fields = arena_array(req->arena, count, sizeof *w->fields);
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		if (end > i) {
			const char *eq = memchr(s + i, '=', end - i);
			size_t klen = eq ? (size_t)(eq - (s + i)) : end - i;
			size_t nlen, vlen = 0;
			char *name = url_decode(req->arena, s + i, klen, &nlen);
			char *value = eq ? url_decode(req->arena, eq + 1, (size_t)(s + end - eq - 1), &vlen)
					 : arena_strdup(req->arena, "");
			if (!name || !value)
				return bad_form(req, name, "the form's encoding is broken (a % not followed "
							   "by two hex digits)");
			if (!add_field(req, name, nlen, value, vlen))
				return false;
		}
		i = end + 1;
	}
	return true;
}

/* The first occurrence of needle in hay, or NULL (memmem is not ISO C or POSIX). */
static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
	if (m == 0 || m > n)
		return NULL;
	const char *last = hay + (n - m);
	for (const char *p = hay; (p = memchr(p, needle[0], (size_t)(last - p) + 1)); p++)
		if (memcmp(p, needle, m) == 0)
			return p;
	return NULL;
}

/* A parameter of a header value (name="x" or name=x), into the arena; NULL when absent. */
static const char *header_param(fh_arena *arena, const char *h, size_t hlen, const char *param)
{
	size_t plen = strlen(param);
	for (size_t i = 0; i + plen + 1 < hlen; i++) {
		if ((i > 0 && h[i - 1] != ';' && h[i - 1] != ' ' && h[i - 1] != '\t') ||
		    strncasecmp(h + i, param, plen) != 0 || h[i + plen] != '=')
			continue;
		const char *v = h + i + plen + 1, *end = h + hlen;
		if (v < end && *v == '"') {
			v++;
			const char *q = v;
			while (q < end && *q != '"')
				q++;
			return arena_strndup(arena, v, (size_t)(q - v));
		}
		const char *q = v;
		while (q < end && *q != ';' && *q != ' ' && *q != '\t')
			q++;
		return arena_strndup(arena, v, (size_t)(q - v));
	}
	return NULL;
}

static bool parse_multipart(http_request *req, const char *content_type)
{
	const char *boundary = header_param(req->arena, content_type, strlen(content_type),
					    "boundary");
	if (!boundary || !*boundary || strlen(boundary) > 200)
		return bad_form(req, NULL, "the form's multipart boundary is missing");
	char *delim = arena_printf(req->arena, "\r\n--%s", boundary);
	size_t dlen = strlen(delim);
	const char *body = req->body, *end = req->body + req->body_len;
	/* The first delimiter may come without the leading CR LF. */
	const char *p;
	if ((size_t)(end - body) >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = find_bytes(body, req->body_len, delim, dlen)))
		p += dlen;
	else
		return bad_form(req, NULL, "the form's multipart body has no parts");
	size_t parts = 0;
	for (const char *q = p; (q = find_bytes(q, (size_t)(end - q), delim, dlen)); q += dlen)
		parts++;
	if (parts > WEB_MAX_FIELDS)
		return bad_form(req, NULL, "the form has too many fields");
	struct web_state *w = state(req);
	w->fields = arena_array(req->arena, parts + 1, sizeof *w->fields);
	w->files = arena_array(req->arena, parts + 1, sizeof *w->files);
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return true; /* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return bad_form(req, NULL, "the form's multipart body is malformed");
		p += 2;
		const char *headers_end = find_bytes(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!headers_end)
			return bad_form(req, NULL, "a part of the form has no end to its headers");
		const char *content = headers_end + 4;
		const char *next = find_bytes(content, (size_t)(end - content), delim, dlen);
		if (!next)
			return bad_form(req, NULL, "the form's multipart body is cut short");
		const char *name = NULL, *filename = NULL, *type = NULL;
		for (const char *line = p; line < headers_end;) {
			const char *eol = find_bytes(line, (size_t)(headers_end + 2 - line), "\r\n", 2);
			size_t llen = (size_t)(eol - line);
			if (llen > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
				name = header_param(req->arena, line + 20, llen - 20, "name");
				filename = header_param(req->arena, line + 20, llen - 20, "filename");
			} else if (llen > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
				const char *t = line + 13;
				while (*t == ' ' || *t == '\t')
					t++;
				size_t tlen = strcspn(t, ";\r");
				char *lower = arena_strndup(req->arena, t, tlen);
				for (char *c = lower; *c; c++)
					*c = (char)tolower((unsigned char)*c);
				type = lower;
			}
			line = eol + 2;
		}
		if (!name || !*name)
			return bad_form(req, NULL, "a part of the form has no name");
		size_t size = (size_t)(next - content);
		if (filename) {
			if (!typable((const unsigned char *)name, strlen(name)))
				return bad_form(req, NULL, "a field's name is not text");
			if (size > WEB_UPLOAD_FILE_MAX) {
				http_error(req, 413, "file_too_large", name,
					   "each file must be smaller than %d MB", WEB_UPLOAD_FILE_MAX >> 20);
				return false;
			}
			const char *base = filename;
			for (const char *c = filename; *c; c++)
				if (*c == '/' || *c == '\\')
					base = c + 1;
			if (*base || size) {
				web_upload *u = &w->files[w->n_files++];
				u->field = name;
				u->filename = base;
				u->content_type = type ? type : "application/octet-stream";
				u->data = (const unsigned char *)content;
				u->size = size;
			}
		} else if (!add_field(req, name, strlen(name), content, size)) {
			return false;
		}
		p = next + dlen;
	}
}

/* The media type of the request's Content-Type, matched without parameters. */
static bool media_is(const char *header, const char *type)
{
	if (!header)
		return false;
	while (*header == ' ' || *header == '\t')
		header++;
	size_t n = strlen(type);
	return strncasecmp(header, type, n) == 0 &&
	       (header[n] == '\0' || header[n] == ';' || header[n] == ' ' || header[n] == '\t');
}

bool web_parse_form(http_request *req, bool uploads_allowed)
{
	return web_parse_form_as(req, http_header(req, "Content-Type"), uploads_allowed);
}

bool web_parse_form_as(http_request *req, const char *type, bool uploads_allowed)
{
	if (media_is(type, "application/x-www-form-urlencoded"))
		return parse_urlencoded(req);
	if (uploads_allowed && media_is(type, "multipart/form-data"))
		return parse_multipart(req, type);
	http_error(req, 415, "unsupported_media_type", NULL,
		   uploads_allowed ? "send the form as application/x-www-form-urlencoded or "
				     "multipart/form-data"
				   : "send the form as application/x-www-form-urlencoded");
	return false;
}

/* ---- CSRF ----------------------------------------------------------------------- */

#define CSRF_COOKIE "fh_csrf"

static const char *base64url(fh_arena *arena, const unsigned char *bin, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(arena, len);
	sodium_bin2base64(out, len, bin, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/*
 * A signed-in session's token: a keyed digest of the session cookie
 * (store_session_csrf, worked out when the caller was identified).
 */
static const char *session_token(http_request *req)
{
	if (!req->who || !req->who->session_id)
		return NULL;
	return req->who->csrf;
}

/* The public's double-submit cookie as sent, when it has the right shape. */
static const char *public_cookie(const http_request *req)
{
	const char *c = http_cookie(req, CSRF_COOKIE);
	if (!c || strlen(c) != 43)
		return NULL;
	for (const char *p = c; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return NULL;
	return c;
}

const char *web_csrf_token(http_request *req)
{
	struct web_state *w = state(req);
	if (w->csrf)
		return w->csrf;
	w->csrf = session_token(req);
	if (w->csrf)
		return w->csrf;
	w->csrf = public_cookie(req);
	if (w->csrf)
		return w->csrf;
	unsigned char random[32];
	randombytes_buf(random, sizeof random);
	w->csrf = base64url(req->arena, random, sizeof random);
	/* SameSite=Strict: another site's page cannot make the browser send it. */
	http_set_cookie(req, arena_printf(req->arena, CSRF_COOKIE "=%s; Path=/; HttpOnly; "
					  "SameSite=Strict%s", w->csrf,
					  req->secure ? "; Secure" : ""));
	return w->csrf;
}

void web_csrf_field(http_request *req, html_buf *b)
{
	html_raw(b, "<input type=\"hidden\" name=\"" WEB_CSRF_FIELD "\" value=\"");
	html_attr(b, web_csrf_token(req));
	html_raw(b, "\">");
}

bool web_csrf_check(http_request *req)
{
	const char *sent = web_form(req, WEB_CSRF_FIELD);
	const char *want = session_token(req);
	if (!want)
		want = public_cookie(req);
	if (sent && want && strlen(sent) == strlen(want) &&
	    sodium_memcmp(sent, want, strlen(want)) == 0)
		return true;
	web_error_page(req, 403, "This form has expired",
		       "This form has expired; go back and try again. Nothing you sent has been "
		       "saved. If it happens again, check that your browser allows cookies for "
		       "this site: the form needs one to keep your answers safe.");
	return false;
}

/* ---- answering ----------------------------------------------------------------------- */

void web_html(http_request *req, int status, html_buf *b)
{
	json_decref(req->out);
	req->out = NULL;
	free(req->text_out);
	req->status = status;
	req->text_out = b->data ? b->data : strdup("");
	req->text_len = 0;
	req->content_type = "text/html; charset=utf-8";
	b->data = NULL;
	b->len = b->cap = 0;
}

void web_redirect(http_request *req, const char *location)
{
	json_decref(req->out);
	req->out = NULL;
	free(req->text_out);
	req->text_out = NULL;
	req->status = 303;
	req->location = location;
}

const char *web_url_encode(http_request *req, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = arena_alloc(req->arena, strlen(s) * 3 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~' || *p == '/') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

void web_error_page(http_request *req, int status, const char *title, const char *message)
{
	html_buf b = HTML_BUF_INIT;
	web_page_opts opts = {0};
	opts.staff = req->who && strncmp(req->path, "/staff", 6) == 0;
	web_page_begin(req, &b, title, &opts);
	html_raw(&b, "<h1>");
	html_text(&b, title);
	html_raw(&b, "</h1><p>");
	html_text(&b, message);
	html_raw(&b, "</p>");
	web_page_end(req, &b);
	web_html(req, status, &b);
}

static const char *failure_title(int status)
{
	switch (status) {
	case 400: return "There is a problem with the form";
	case 401: return "You need to sign in";
	case 403: return "You cannot do that";
	case 404: return "Page not found";
	case 405: return "This page cannot do that";
	case 413: return "What you sent is too big";
	case 415: return "The form could not be read";
	case 429: return "Too many attempts";
	case 503: return "Sorry, the service is unavailable";
	default: return status >= 500 ? "Sorry, there is a problem with the service"
				      : "Something went wrong";
	}
}

void web_failure_page(http_request *req)
{
	if (req->status < 400 || !req->out || req->text_out ||
	    !(req->html || routes_is_html_path(req->path)))
		return;
	const char *message =
		json_string_value(json_object_get(json_object_get(req->out, "error"), "message"));
	const char *field =
		json_string_value(json_object_get(json_object_get(req->out, "error"), "field"));
	char text[800];
	if (req->status >= 500 || !message)
		snprintf(text, sizeof text, "%s",
			 req->status >= 500 ? "Try again later. If it keeps happening, contact the "
					      "organisation by phone or email instead."
					    : "Go back and try again.");
	else if (field)
		snprintf(text, sizeof text, "%s: %s.", field, message);
	else
		snprintf(text, sizeof text, "%c%s.", toupper((unsigned char)message[0]), message + 1);
	if (req->status == 404)
		snprintf(text, sizeof text, "%s",
			 "If you typed the web address, check it is correct. If you followed a "
			 "link, it may be out of date.");
	web_error_page(req, req->status, failure_title(req->status), text);
}
