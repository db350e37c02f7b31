/*
 * csv: RFC 4180 comma-separated values, as spreadsheets save them.
 *
 * Fields are separated by commas and records by CRLF (or a bare LF, which
 * is what many programs write); a field in double quotes may hold commas,
 * line breaks and doubled quotes ("" is one ").  A UTF-8 byte-order mark at
 * the start (Excel's "CSV UTF-8") is skipped.  Strict where a lenient reader
 * would guess: a quote inside an unquoted field, anything but a separator
 * after a closing quote, an unterminated quoted field and a NUL byte are
 * refusals naming the line, never silently repaired data.  A final line
 * break is optional; blank lines (no characters at all) are skipped.
 *
 * Pure: the caller reads the file; everything returned lives in the arena.
 */
#ifndef FH_CSV_H
#define FH_CSV_H

#include <stddef.h>

#include "arena.h"
#include "error.h"

typedef struct csv_record {
	size_t line;     /* the line of the file it starts on, from 1 */
	size_t n_fields;
	const char **fields;
} csv_record;

typedef struct csv_table {
	size_t n_records;
	csv_record *records;
} csv_table;

/*
 * Parses len bytes of text into *out.  FH_EINVAL (field "csv") with the
 * line and the reason when the text is not well-formed CSV.
 */
fh_status csv_parse(const char *text, size_t len, fh_arena *arena, csv_table *out,
		    fh_error *err);

#endif
