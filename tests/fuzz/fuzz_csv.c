/*
 * Fuzz target: CSV as `fairhearing import` reads a council's spreadsheet.
 * A refusal must say why and return no records; an accepted table's
 * records must have at least one field each and line numbers that never
 * go backwards.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fh_arena arena = ARENA_INIT;
	csv_table t;
	fh_error err = {0};
	if (csv_parse((const char *)data, size, &arena, &t, &err)) {
		assert(err.message[0] != '\0');
		assert(t.n_records == 0 && t.records == NULL);
	} else {
		size_t line = 0;
		for (size_t i = 0; i < t.n_records; i++) {
			assert(t.records[i].n_fields >= 1);
			assert(t.records[i].line > line);
			line = t.records[i].line;
			for (size_t j = 0; j < t.records[i].n_fields; j++)
				assert(t.records[i].fields[j] != NULL);
		}
	}
	arena_free(&arena);
	return 0;
}
