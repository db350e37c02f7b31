/*
 * store_search: the cases someone may see, by filters and words.
 *
 * Need to know (DOMAIN §8): a case is visible to a user who holds an
 * organisation-wide role in its organisation, or who holds a role there and
 * is assigned to it (case_assignments, ended_at NULL).  Which roles are
 * organisation-wide is the caller's policy (the server's authorisation
 * module); the query takes its answer as lists of organisation ids.
 */
#ifndef FH_STORE_SEARCH_H
#define FH_STORE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct store_case_query {
	int64_t user_id;
	/* Organisations whose every case the user may see, and those where the
	 * user sees only the cases assigned to them. */
	const int64_t *org_wide;
	size_t n_org_wide;
	const int64_t *assigned_only;
	size_t n_assigned_only;
	const char *org_code; /* NULL: any visible organisation */
	const char *kind, *state;
	const char *received_from, *received_to; /* inclusive ISO dates */
	const char *text;     /* words to search for (reference, names, text); NULL: none */
	size_t limit;         /* 1..1000; 0: 50 */
	size_t offset;        /* rows skipped (after the cursor when one is given) */
	const store_cursor *after; /* NULL: from the newest (store.h) */
} store_case_query;

/*
 * One page of the visible cases matching q, newest first (store.h: by date
 * received, then id), as summaries (no parties, points or events); page
 * says how many match (up to STORE_COUNT_CAP + 1) and the next page's
 * cursor.  q->text is split into words, each matched as a prefix; a
 * reference matches as typed.
 */
fh_status store_case_query_run(fh_store *st, const store_case_query *q, fh_arena *arena,
			       fh_case **cases, size_t *count, store_page *page, fh_error *err);

#endif
