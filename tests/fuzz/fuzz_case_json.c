/*
 * Fuzz target: a case as JSON, the body of POST /api/v1/cases and of
 * `fairhearing case add --json`.  The input goes through the same steps as a
 * request body: jansson's parser (duplicates refused), case_json's strict
 * reader, then the model's checks.  A refusal must say why.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "arena.h"
#include "case_json.h"
#include "date.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return 0;
	}
	fh_arena arena = ARENA_INIT;
	fh_case_input in;
	fh_error err = {0};
	fh_status s = case_input_from_json(doc, &arena, &in, &err);
	if (!s)
		s = case_input_validate(&in, date_from_ymd(2026, 11, 23), &err);
	assert(s == FH_OK || err.message[0] != '\0');
	arena_free(&arena);
	json_decref(doc);
	return 0;
}
