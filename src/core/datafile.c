#include "datafile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

void datafile_problem(proc_problems *pr, const char *path, const char *fmt, ...)
{
	if (pr->count < sizeof pr->items / sizeof pr->items[0]) {
		proc_problem *item = &pr->items[pr->count];
		snprintf(item->path, sizeof item->path, "%s", path);
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(item->message, sizeof item->message, fmt, ap);
		va_end(ap);
	}
	pr->count++;
}

void datafile_join(char *out, size_t size, const char *path, const char *key)
{
	snprintf(out, size, "%s%s%s", path, *path ? "." : "", key);
}

void datafile_only_keys(proc_problems *pr, const json_t *obj, const char *path,
			const char *const *allowed)
{
	const char *key;
	json_t *value;
	json_object_foreach((json_t *)obj, key, value) {
		(void)value;
		if (!model_is_one_of(allowed, key)) {
			char at[96];
			datafile_join(at, sizeof at, path, key);
			datafile_problem(pr, at, "is not a known field");
		}
	}
}

/* The value at obj.key, with its path in at; NULL when absent or null (a problem when required). */
static const json_t *field(proc_problems *pr, const json_t *obj, const char *path, const char *key,
			   bool required, char at[96])
{
	datafile_join(at, 96, path, key);
	const json_t *v = json_object_get(obj, key);
	if (v && !json_is_null(v))
		return v;
	if (required)
		datafile_problem(pr, at, "is required");
	return NULL;
}

int datafile_int(proc_problems *pr, const json_t *obj, const char *path, const char *key,
		 int min, int max, bool required, int fallback)
{
	char at[96];
	const json_t *v = field(pr, obj, path, key, required, at);
	if (!v)
		return fallback;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		datafile_problem(pr, at, "must be a whole number from %d to %d", min, max);
		return fallback;
	}
	return (int)json_integer_value(v);
}

const char *datafile_string(proc_problems *pr, const json_t *obj, const char *path,
			    const char *key, bool required, bool blank_ok)
{
	char at[96];
	const json_t *v = field(pr, obj, path, key, required, at);
	if (!v)
		return blank_ok ? "" : NULL;
	if (!json_is_string(v) || (!blank_ok && json_string_length(v) == 0)) {
		datafile_problem(pr, at, blank_ok ? "must be a string" : "must be a non-empty string");
		return blank_ok ? "" : NULL;
	}
	return json_string_value(v);
}

void *datafile_begin(json_t *doc, size_t size, proc_problems *pr, const char *path,
		     const char *field_name, const char *message, fh_status *status, fh_error *err)
{
	if (!json_is_object(doc)) {
		json_decref(doc);
		datafile_problem(pr, path, "%s", message);
		*status = error_set(err, FH_EINVAL, field_name, NULL, "%s", message);
		return NULL;
	}
	void *out = calloc(1, size);
	if (!out) {
		json_decref(doc);
		*status = error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	}
	return out;
}
