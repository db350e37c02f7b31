/*
 * case_json: a case as JSON, in and out, the one shape the CLI, the API and
 * the tests share (documented in docs/cases.md).
 *
 * Reading is strict: an unknown field is an error naming it (a typo in
 * "desired_outcome" must not silently drop what the customer wants), every
 * value must have the right type, and the error names the path
 * ("parties[0].person.email").
 */
#ifndef FH_CASE_JSON_H
#define FH_CASE_JSON_H

#include <jansson.h>

#include "arena.h"
#include "model.h"

/* Fills *in from a JSON object; strings are copied into arena. */
fh_status case_input_from_json(const json_t *obj, fh_arena *arena, fh_case_input *in,
			       fh_error *err);

/*
 * One party, shaped as an entry of a case's "parties" (with its "person"),
 * read as strictly; error paths are relative to obj ("person.email").  A
 * field left out or null stays NULL (correspond false), so a caller may treat
 * the result as a change to merge.  "person" is required unless
 * person_optional.
 */
fh_status party_from_json(const json_t *obj, bool person_optional, fh_arena *arena,
			  fh_party *out, fh_error *err);

/* One party as it appears in a case's "parties" (a new reference). */
json_t *party_to_json(const fh_party *p);

/*
 * The case as a new JSON object (the caller owns the reference).  With
 * with_events, the history is included.
 */
json_t *case_to_json(const fh_case *c, int with_events);

/* A list row: reference, kind, state, dates, summary. */
json_t *case_summary_to_json(const fh_case *c);

#endif
