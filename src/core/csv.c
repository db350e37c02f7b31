/*
 * csv.c: an RFC 4180 reader (the contract is in csv.h).
 *
 * One pass over the bytes with a growing field buffer; each finished field
 * is copied into the arena and each finished record appended to a growing
 * array (doubled, copied, in the arena: the old copies are freed with it).
 */
#include "csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct builder {
	fh_arena *arena;
	char *buf;          /* the field being read (malloc'd) */
	size_t len, cap;
	const char **fields; /* the record being read */
	size_t n_fields, cap_fields;
	csv_table *out;
	size_t cap_records;
} builder;

static void put(builder *b, char c)
{
	if (b->len + 1 >= b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		char *grown = realloc(b->buf, cap);
		if (!grown)
			abort(); /* as the arena does: a half-read file is no answer */
		b->buf = grown;
		b->cap = cap;
	}
	b->buf[b->len++] = c;
}

static void end_field(builder *b)
{
	if (b->n_fields == b->cap_fields) {
		size_t cap = b->cap_fields ? 2 * b->cap_fields : 16;
		const char **grown = arena_array(b->arena, cap, sizeof *grown);
		if (b->n_fields)
			memcpy(grown, b->fields, b->n_fields * sizeof *grown);
		b->fields = grown;
		b->cap_fields = cap;
	}
	b->fields[b->n_fields++] = arena_strndup(b->arena, b->buf ? b->buf : "", b->len);
	b->len = 0;
}

static void end_record(builder *b, size_t line)
{
	csv_table *t = b->out;
	if (t->n_records == b->cap_records) {
		size_t cap = b->cap_records ? 2 * b->cap_records : 64;
		csv_record *grown = arena_array(b->arena, cap, sizeof *grown);
		if (t->n_records)
			memcpy(grown, t->records, t->n_records * sizeof *grown);
		t->records = grown;
		b->cap_records = cap;
	}
	t->records[t->n_records++] = (csv_record){line, b->n_fields, b->fields};
	b->fields = NULL;
	b->n_fields = b->cap_fields = 0;
}

fh_status csv_parse(const char *text, size_t len, fh_arena *arena, csv_table *out,
		    fh_error *err)
{
	memset(out, 0, sizeof *out);
	builder b = {.arena = arena, .out = out};
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	size_t line = 1, record_line = 1;
	fh_status s = FH_OK;
	bool at_record_start = true;
	while (p < end && !s) {
		/* the start of a field */
		if (at_record_start && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))) {
			p += *p == '\r' ? 2 : 1; /* a blank line */
			line++;
			record_line = line;
			continue;
		}
		at_record_start = false;
		if (*p == '"') {
			size_t opened = line;
			p++;
			for (;;) {
				if (p == end) {
					s = error_set(err, FH_EINVAL, "csv", NULL, "line %zu: a quoted "
						      "field is never closed (opened on line %zu)",
						      line, opened);
					break;
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						put(&b, '"');
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\0') {
					s = error_set(err, FH_EINVAL, "csv", NULL, "line %zu: a NUL "
						      "byte (is this a spreadsheet's binary file?)", line);
					break;
				}
				if (*p == '\n')
					line++;
				put(&b, *p++);
			}
			if (s)
				break;
			if (p < end && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end &&
								    p[1] == '\n')) {
				s = error_set(err, FH_EINVAL, "csv", NULL, "line %zu: text after a "
					      "closing quote (a quote inside a field must be doubled)",
					      line);
				break;
			}
		} else {
			while (p < end && *p != ',' && *p != '\n' &&
			       !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
				if (*p == '"') {
					s = error_set(err, FH_EINVAL, "csv", NULL, "line %zu: a quote "
						      "inside a field that does not start with one "
						      "(quote the whole field and double the quote)", line);
					break;
				}
				if (*p == '\0') {
					s = error_set(err, FH_EINVAL, "csv", NULL, "line %zu: a NUL "
						      "byte (is this a spreadsheet's binary file?)", line);
					break;
				}
				put(&b, *p++);
			}
			if (s)
				break;
		}
		end_field(&b);
		if (p == end)
			break;
		if (*p == ',') {
			p++;
			if (p == end) /* "a,b," ends with an empty field */
				end_field(&b);
			continue;
		}
		p += *p == '\r' ? 2 : 1; /* the end of the record */
		end_record(&b, record_line);
		line++;
		record_line = line;
		at_record_start = true;
	}
	if (!s && b.n_fields)
		end_record(&b, record_line);
	free(b.buf);
	if (s)
		memset(out, 0, sizeof *out);
	return s;
}
