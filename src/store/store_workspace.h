/*
 * store_workspace: what the staff dashboards ask of the database.
 *
 * Two questions over the cases a user may see: how many open cases stand
 * where (by clock: overdue, due today, due within the week; and by stage),
 * and which ones, a page at a time, soonest due first.  "Open" is received,
 * open or suspended.  A case's clock is its earliest running deadline
 * (case_deadlines: due date known, not stopped), so a suspended case's
 * stopped clocks never make it overdue (001 §9.3).
 *
 * Need to know (DOMAIN §8) is applied exactly as store_case_query_run
 * applies it: the caller (the server's authorisation module) says in which
 * organisations the user sees every case and in which only the cases they
 * are assigned to, and nothing outside those is counted or listed.  "My
 * work" (mine) narrows further to the cases the user is assigned to
 * wherever they hold a role.
 *
 * Both are built for the 100,000-case benchmark database: a count is a
 * range of one index (the workspace migration keeps each case's next due date and
 * indexes the open cases by it), a page stops at its last row.
 *
 * Read-only: nothing here writes, so nothing here has an audit event.
 * Dates are ISO text passed in (today and the end of "this week"), so the
 * module reads no clock.
 */
#ifndef FH_STORE_WORKSPACE_H
#define FH_STORE_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef enum store_ws_clock {
	STORE_WS_ANY = 0,    /* every open case */
	STORE_WS_OVERDUE,    /* next due date before today */
	STORE_WS_DUE_TODAY,  /* next due date today */
	STORE_WS_DUE_WEEK,   /* next due date after today, up to week_end */
} store_ws_clock;

typedef struct store_ws_filter {
	/* who is asking, and where they see what (as store_case_query) */
	int64_t user_id;
	const int64_t *org_wide;
	size_t n_org_wide;
	const int64_t *assigned_only;
	size_t n_assigned_only;
	bool mine;             /* only cases user_id is assigned to now */
	/* the filters; NULL (or stage < 0) means any */
	const char *org_code;
	const char *team;      /* a team's name */
	const char *officer;   /* the email of someone assigned now */
	int stage;             /* 0 (not yet at a stage) to 3; -1: any */
	const char *procedure; /* a procedure code */
	/* the dates the clock buckets are cut at (YYYY-MM-DD) */
	const char *today;
	const char *week_end;
} store_ws_filter;

typedef struct store_ws_counts {
	int64_t open;
	int64_t overdue, due_today, due_week;
	int64_t by_stage[4]; /* open cases at stage 0 (before Stage 1) to 3 */
} store_ws_counts;

/* Counts the open cases f lets the user see, by clock and by stage. */
fh_status store_ws_count(fh_store *st, const store_ws_filter *f, store_ws_counts *out,
			 fh_error *err);

typedef struct store_ws_row {
	const char *reference, *org_code, *kind, *summary, *state, *route;
	const char *team;       /* "" when none */
	const char *procedure;  /* "" before triage */
	int stage;
	const char *due;        /* the next due date, "" when no clock runs */
	const char *clock;      /* that clock's name, "" when none */
	const char *officers;   /* emails assigned now, comma-separated, "" when none */
	/* the earliest stop holding one of its clocks: since when,
	 * until when at most ("" when until lifted) and why; since "" when none */
	const char *stopped_since, *stopped_until, *stopped_for;
} store_ws_row;

/*
 * One page of the open cases f lets the user see in clock's bucket, soonest
 * due first (for STORE_WS_ANY, the cases with no running clock follow,
 * most recently recorded first).  limit 1..500 (0: 50).  How many there are
 * in all is store_ws_count's figure for the bucket, which a dashboard has
 * already asked for.  Strings live in arena.
 */
fh_status store_ws_list(fh_store *st, const store_ws_filter *f, store_ws_clock clock,
			size_t limit, size_t offset, fh_arena *arena, store_ws_row **rows,
			size_t *count, fh_error *err);

#endif
