/*
 * subject_access: a subject access export as a layout model (subject_access.h).
 */
#include "subject_access.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "letter.h"

static json_t *runs(const char *text, bool bold)
{
	return json_pack("[{s:s s:b}]", "text", text ? text : "", "bold", bold);
}

static void add(json_t *blocks, const char *type, const char *text)
{
	json_array_append_new(blocks, json_pack("{s:s s:o}", "type", type, "runs", runs(text, false)));
}

/* A field's name as people read it: "received_on" as "Received on". */
static void words(const char *key, char *buf, size_t size)
{
	snprintf(buf, size, "%s", key);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* A scalar as text ("" for null). */
static void scalar(const json_t *v, char *buf, size_t size)
{
	if (json_is_string(v))
		snprintf(buf, size, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, size, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, size, "%s", json_is_true(v) ? "yes" : "no");
	else
		buf[0] = '\0';
}

static bool is_scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

static void value(json_t *blocks, const char *label, const json_t *v, int depth);

/* An object's scalar fields on one line, "Label: value; ...", for a list item. */
static void item(json_t *blocks, const json_t *o, int depth)
{
	size_t cap = 4096, len = 0;
	char line[4096], label[128], text[2048];
	line[0] = '\0';
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)o, key, v) {
		if (!is_scalar(v) || json_is_null(v))
			continue;
		words(key, label, sizeof label);
		scalar(v, text, sizeof text);
		int n = snprintf(line + len, cap - len, "%s%s: %s", len ? "; " : "", label, text);
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
	add(blocks, "item", line);
	json_object_foreach((json_t *)o, key, v)
		if (!is_scalar(v)) {
			words(key, label, sizeof label);
			value(blocks, label, v, depth + 1);
		}
}

static void value(json_t *blocks, const char *label, const json_t *v, int depth)
{
	char text[4096], name[128];
	if (is_scalar(v)) {
		scalar(v, text, sizeof text);
		json_array_append_new(blocks, json_pack("{s:s s:o s:o}", "type", "fact", "label",
							runs(label, true), "runs", runs(text, false)));
		return;
	}
	add(blocks, depth ? "paragraph" : "heading", label);
	const char *key;
	json_t *m;
	size_t i;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, m) {
			words(key, name, sizeof name);
			value(blocks, name, m, depth + 1);
		}
		return;
	}
	if (!json_array_size(v)) {
		add(blocks, "paragraph", "None.");
		return;
	}
	json_array_foreach(v, i, m) {
		if (json_is_object(m)) {
			item(blocks, m, depth);
		} else {
			scalar(m, text, sizeof text);
			add(blocks, "item", text);
		}
	}
}

json_t *subject_access_models(const json_t *export, const char *org_name, const char *reference,
			      const char *today)
{
	json_t *blocks = json_array();
	add(blocks, "paragraph", "This is everything we hold about you, with what we have had to "
		    "leave out and why (your right of access to your own records).");
	const char *key;
	json_t *v;
	char label[128], date[64];
	json_object_foreach((json_t *)export, key, v) {
		words(key, label, sizeof label);
		value(blocks, label, v, 0);
	}
	return json_pack("[{s:s s:{s:s s:[]} s:[] s:s s:s s:o s:[]}]", "subject",
			 "Your personal data: subject access", "letterhead", "name", org_name,
			 "lines", "recipient", "date", letter_long_date(today, date, sizeof date),
			 "reference", reference, "blocks", blocks, "signature");
}
