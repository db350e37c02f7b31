#include "datafile.h"

#include <stdarg.h>
#include <stdio.h>

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
