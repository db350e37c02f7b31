/*
 * holidays_feed.c: the GOV.UK bank-holidays.json feed, checked entry by
 * entry (the contract is in holidays_feed.h).
 */
#include "holidays_feed.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static const char substitute_suffix[] = " (substitute day)";

static fh_status bad(fh_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static fh_status bad(fh_error *err, const char *fmt, ...)
{
	char what[sizeof err->message];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return error_set(err, FH_EINVAL, "import", NULL, "%s", what);
}

static fh_status read_division(const char *key, json_t *value, size_t max_name,
			       holidays_division *div, fh_error *err)
{
	json_t *events = json_object_get(value, "events");
	json_t *named = json_object_get(value, "division");
	if (!json_is_object(value) || !json_is_array(events))
		return bad(err, "division '%s' has no \"events\" list", key);
	if (named && (!json_is_string(named) || strcmp(json_string_value(named), key) != 0))
		return bad(err, "division '%s' calls itself something else", key);
	div->region = key;
	size_t n = json_array_size(events);
	div->days = calloc(n ? n : 1, sizeof *div->days);
	div->notes = calloc(n ? n : 1, sizeof *div->notes);
	if (!div->days || !div->notes)
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(events, i);
		json_t *title = json_object_get(e, "title"), *date = json_object_get(e, "date");
		json_t *notes = json_object_get(e, "notes");
		if (!json_is_object(e) || !json_is_string(title) || !*json_string_value(title) ||
		    !json_is_string(date) || (notes && !json_is_string(notes)))
			return bad(err, "%s event %zu needs a \"title\" and a \"date\" (and "
				   "\"notes\", if any, as text)", key, i + 1);
		const char *when = json_string_value(date);
		fh_date d;
		if (!date_parse(when, &d))
			return bad(err, "%s event %zu: '%.40s' is not a date", key, i + 1, when);
		if (!calendar_in_range(d))
			return bad(err, "%s event %zu: %s is outside the calendar's range %d..%d",
				   key, i + 1, when, CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
		if (date_is_weekend(d))
			return bad(err, "%s event %zu: %s is a weekend day; the official list "
				   "names only weekdays", key, i + 1, when);
		for (size_t j = 0; j < i; j++)
			if (div->days[j].date == d)
				return bad(err, "%s names %s twice", key, when);
		const char *t = json_string_value(title);
		const char *note = notes ? json_string_value(notes) : "";
		/* the feed marks a substitute in its notes; the calendar names it in the title */
		bool substitute = strcmp(note, "Substitute day") == 0;
		size_t len = strlen(t) + (substitute ? strlen(substitute_suffix) : 0);
		if (len > max_name)
			return bad(err, "%s event %zu: the title is longer than %zu bytes", key,
				   i + 1, max_name);
		char *name = malloc(len + 1);
		if (!name)
			return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
		snprintf(name, len + 1, "%s%s", t, substitute ? substitute_suffix : "");
		div->notes[i] = note;
		div->days[i] = (calendar_day){d, name};
		div->count = i + 1;
		int y, m, dd;
		date_to_ymd(d, &y, &m, &dd);
		div->first_year = div->first_year == 0 || y < div->first_year ? y : div->first_year;
		div->last_year = y > div->last_year ? y : div->last_year;
	}
	return FH_OK;
}

void holidays_feed_free(holidays_feed *feed)
{
	for (size_t i = 0; i < feed->count; i++) {
		holidays_division *div = &feed->divisions[i];
		for (size_t j = 0; j < div->count; j++)
			free((char *)div->days[j].name);
		free(div->days);
		free(div->notes);
	}
	free(feed->divisions);
	json_decref(feed->doc);
	memset(feed, 0, sizeof *feed);
}

fh_status holidays_feed_parse(const char *text, size_t len, size_t max_name,
			      holidays_feed *feed, fh_error *err)
{
	memset(feed, 0, sizeof *feed);
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return error_set(err, FH_EINVAL, "import", NULL, "line %d: %s", jerr.line,
				 jerr.text);
	feed->doc = root;
	if (!json_is_object(root) || json_object_size(root) == 0) {
		holidays_feed_free(feed);
		return error_set(err, FH_EINVAL, "import", NULL, "expected the GOV.UK "
				 "bank-holidays.json format: an object of divisions, each with "
				 "\"events\"");
	}
	feed->divisions = calloc(json_object_size(root), sizeof *feed->divisions);
	if (!feed->divisions) {
		holidays_feed_free(feed);
		return error_set(err, FH_ENOMEM, NULL, NULL, "out of memory");
	}
	const char *key;
	json_t *value;
	fh_status s = FH_OK;
	json_object_foreach(root, key, value) {
		s = read_division(key, value, max_name, &feed->divisions[feed->count++], err);
		if (s)
			break;
	}
	if (s)
		holidays_feed_free(feed);
	return s;
}
