/*
 * api_body.c: reading a JSON body and a route's typed parameters, the one
 * way every handler does it (api_body.h).
 */
#include "api_body.h"

#include <string.h>

#include "date.h"

/* Refuses (422) a body with a field not in names; true when all are known. */
bool api_body_fields(http_request *req, const char *const *names)
{
	const char *key;
	json_t *value;
	json_object_foreach(req->json, key, value) {
		bool known = false;
		for (size_t i = 0; names[i] && !known; i++)
			known = strcmp(names[i], key) == 0;
		if (!known) {
			http_error(req, 422, "invalid", key, "is not a field of this request");
			return false;
		}
	}
	return true;
}

/* A string field (NULL when absent and not required); false with a 422 answer. */
bool api_body_text(http_request *req, const char *name, bool required, size_t max,
		      const char **out)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required) {
			http_error(req, 422, "invalid", name, "is required");
			return false;
		}
		return true;
	}
	if (!json_is_string(v)) {
		http_error(req, 422, "invalid", name, "must be a string");
		return false;
	}
	if (json_string_length(v) > max) {
		http_error(req, 422, "invalid", name, "is at most %zu bytes", max);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

/* A date field; today when absent. */
bool api_body_date(http_request *req, const char *name, fh_date *out)
{
	const char *text;
	if (!api_body_text(req, name, false, 10, &text))
		return false;
	if (!text) {
		*out = req->today;
		return true;
	}
	if (!date_parse(text, out)) {
		http_error(req, 422, "invalid", name, "'%s' is not a date (YYYY-MM-DD)", text);
		return false;
	}
	return true;
}

/* A whole-number field; def when absent. */
bool api_body_int(http_request *req, const char *name, int64_t def, int64_t *out)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;
	if (!v || json_is_null(v)) {
		*out = def;
		return true;
	}
	if (!json_is_integer(v)) {
		http_error(req, 422, "invalid", name, "must be a whole number");
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

/* The {id} path segment at index i, as routes.c read it (req->ids). */
bool api_path_id(http_request *req, size_t i, const char *what, int64_t *out)
{
	*out = req->ids[i];
	if (!*out) {
		http_error(req, 400, "invalid_parameter", "id", "must be a %s's number", what);
		return false;
	}
	return true;
}

/* A boolean field; def when absent. */
bool api_body_bool(http_request *req, const char *name, bool def, bool *out)
{
	json_t *v = req->json ? json_object_get(req->json, name) : NULL;
	if (!v || json_is_null(v)) {
		*out = def;
		return true;
	}
	if (!json_is_boolean(v)) {
		http_error(req, 422, "invalid", name, "must be true or false");
		return false;
	}
	*out = json_is_true(v);
	return true;
}

/* A required date field. */
bool api_body_date_required(http_request *req, const char *name, fh_date *out)
{
	if (!json_object_get(req->json, name)) {
		http_error(req, 422, "invalid", name, "is required (YYYY-MM-DD)");
		return false;
	}
	return api_body_date(req, name, out);
}
