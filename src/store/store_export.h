/*
 * store_export: what leaves Fairhearing as a whole (docs/letters.md "Exports"): a
 * case's file for the Ombudsman, and an officer's deadlines for their
 * calendar.
 */
#ifndef FH_STORE_EXPORT_H
#define FH_STORE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "html.h"
#include "store.h"

/*
 * The case's file as layout models (src/core/casefile.h): cover, timeline,
 * letters as issued, documents held; the confidential addendum, confidential
 * events' content and confidential documents only with include_confidential
 * (the caller's decision: who asks, and whether they asked).  *pages is the
 * caller's; *org_name (for the PDF's author) lives in arena.
 */
fh_status store_case_file(fh_store *st, const char *reference, bool include_confidential,
			  const fh_actor *actor, fh_date today, fh_arena *arena, json_t **pages,
			  const char **org_name, fh_error *err);

typedef struct store_deadline_row {
	const char *reference, *org_name, *stage_name, *clock, *due_on, *source;
	int stage;
	bool stopped;
} store_deadline_row;

/*
 * The open deadlines with a due date on the cases user_id is assigned to
 * (active assignments) in the organisations where they hold a role (an
 * assignment to another organisation's case never shows), soonest first.
 * Strings live in arena.
 */
fh_status store_officer_deadlines(fh_store *st, int64_t user_id, fh_arena *arena,
				  store_deadline_row **rows, size_t *count, fh_error *err);

/* A user's id by email: FH_ENOTFOUND naming "user". */
fh_status store_user_by_email(fh_store *st, const char *email, int64_t *id, fh_error *err);

/*
 * The rows as an RFC 5545 calendar of all-day events into b (ical.h):
 * one event per deadline, its UID stable (reference, stage, clock) so a
 * calendar app updates an event whose date moves instead of adding one.
 * The summary names the case by reference only, never a person: calendars
 * are synced to phones and cloud services.  Every event's DTSTAMP is made_at,
 * the moment the calendar is made (in UTC).
 */
void store_deadlines_ics(const char *who, const store_deadline_row *rows, size_t n,
			 time_t made_at, html_buf *b);

#endif
