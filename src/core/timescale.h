/*
 * timescale: the deadlines of DOMAIN §3, counted as the procedures count them.
 *
 * Counting convention (DOMAIN §3):
 *   - N working days from D: the N-th working day after D.  Day 1 is the
 *     first working day after the starting event; the day of the event
 *     never counts (calendar.h has the exact arithmetic);
 *   - N weeks from D: D + 7N calendar days (003 counts in calendar weeks);
 *   - N calendar days from D: D + N;
 *   - N years from D: the same date N years later, 29 February becoming
 *     28 February (date_add_years), e.g. "accepted up to one year after the
 *     Stage 1 response" (001 B Stage 2).
 *
 * A clock is a value: its start, unit and limit, the most an extension may
 * reach, any extension granted (with its reason) and the periods it was
 * stopped.  Everything here is a pure function of a clock, a calendar and,
 * where it matters, "today" passed in: nothing reads the system clock.
 *
 * Clock stops (a suspended complaint, waiting for the child's consent or
 * for the Statement of Complaint to be agreed).  A stop runs from the day it
 * was stopped, S, to the day it restarted, R:
 *   - S itself still counts: the clock ran that day;
 *   - the counting days after S up to and including R are lost: R is
 *     treated like a new starting event, so counting resumes on the first
 *     counting day after R (stopped and restarted on the same day loses
 *     nothing; stopped Monday, restarted Tuesday loses Tuesday);
 *   - the deadline moves later by exactly the counting days lost, and a
 *     stop that begins on or after the deadline does not move it;
 *   - a stop not yet restarted has restarted_on == TIMESCALE_OPEN; while it
 *     is open the deadline is provisional, as if the clock restarted today.
 * Counting days are working days for a working-day clock and calendar days
 * for the others.  Stops must be in date order, must not overlap, must not
 * begin before the start, and only the last may be open.
 */
#ifndef FH_TIMESCALE_H
#define FH_TIMESCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "date.h"
#include "error.h"

typedef enum timescale_unit {
	TIMESCALE_WORKING_DAYS,
	TIMESCALE_WEEKS,
	TIMESCALE_CALENDAR_DAYS,
	TIMESCALE_YEARS
} timescale_unit;

/* The largest N any clock takes, far beyond any procedure's (65 WD, one year). */
#define TIMESCALE_MAX_N 40000

/* "working-days", "weeks", "calendar-days", "years". */
const char *timescale_unit_name(timescale_unit unit);
bool timescale_unit_parse(const char *name, timescale_unit *out);

/*
 * start + n units into *out, as the convention above counts them; n < 0
 * counts backwards (for working days, the |n|-th working day before start).
 * cal may be NULL for the calendar units.  FH_EINVAL naming "n" when |n| is
 * beyond TIMESCALE_MAX_N or the answer leaves the calendar's range, "date"
 * when start is outside it.
 */
fh_status timescale_add(const fh_calendar *cal, fh_date start, int n, timescale_unit unit,
			fh_date *out, fh_error *err);

/*
 * Counting backwards: the latest day on which something must happen to be
 * at least n units before event, e.g. the Stage 3 invitation with the papers
 * sent "not less than 10 working days before" the panel (001 B Stage 3).
 * It is the n-th unit before event (timescale_add with -n), so that adding n
 * back lands on event when event is a working day.  n >= 0.
 */
fh_status timescale_latest_before(const fh_calendar *cal, fh_date event, int n,
				  timescale_unit unit, fh_date *out, fh_error *err);

#define TIMESCALE_OPEN INT32_MAX /* restarted_on of a stop that has not restarted */

typedef struct timescale_stop {
	fh_date stopped_on;   /* still counts */
	fh_date restarted_on; /* does not count; TIMESCALE_OPEN while stopped */
} timescale_stop;

typedef struct timescale_clock {
	fh_date start;            /* the starting event (day 0) */
	timescale_unit unit;
	int limit;                /* N units, before any extension */
	int max_limit;            /* the most an extension may reach; 0 or == limit: none */
	const char *source;       /* the rule that sets the clock, for errors: "001 B Stage 2" */
	int extended_limit;       /* 0: not extended */
	const char *extension_reason; /* required when extended_limit is set */
	const timescale_stop *stops;  /* borrowed; in date order */
	size_t stop_count;
} timescale_clock;

/*
 * Checks a clock: start in range, 0 <= limit <= TIMESCALE_MAX_N, the
 * extension within max_limit and with a reason, the stops in order.
 * FH_EINVAL (or FH_ERULE for an extension beyond the maximum) naming the
 * field and the clock's source.
 */
fh_status timescale_check(const timescale_clock *clock, fh_error *err);

/* The limit in force: the extension when there is one, else the limit. */
int timescale_limit(const timescale_clock *clock);

/*
 * Extends the clock to new_limit units (001 B Stage 1: to 20 WD if complex
 * or an advocate must be appointed; 001 B Stage 2: to at most 65 WD).
 * Refused with FH_ERULE naming "extension" and the clock's source when the
 * clock allows no extension or new_limit is beyond max_limit, FH_EINVAL
 * naming "reason" without a reason or "extension" when new_limit does not
 * lengthen the limit in force.  reason is borrowed: it must outlive the
 * clock.  Extending twice is allowed, each time within the maximum.
 */
fh_status timescale_extend(timescale_clock *clock, int new_limit, const char *reason,
			   fh_error *err);

/*
 * The deadline of a clock whose stops have all restarted.  FH_ECONFLICT
 * naming "stops" when the clock is stopped now (its deadline then depends
 * on when it restarts: use timescale_progress).
 */
fh_status timescale_due(const fh_calendar *cal, const timescale_clock *clock, fh_date *due,
			fh_error *err);

typedef struct timescale_progress {
	fh_date due;          /* provisional (as if restarted today) while stopped */
	timescale_unit counted_in; /* TIMESCALE_WORKING_DAYS or TIMESCALE_CALENDAR_DAYS */
	int limit;            /* the limit in force, in counting days */
	int taken;            /* counting days the clock has run: after start up to and
	                         including today, less those lost to stops */
	int left;             /* limit - taken, or 0 */
	int overdue;          /* taken - limit, or 0: counting days past the deadline */
	int lost;             /* counting days lost to stops up to today */
	bool stopped;         /* a stop covers today (S <= today < R, or open) */
} timescale_progress;

/*
 * Where a clock stands on today.  Before the start nothing is taken.  The
 * counts always satisfy taken - limit == overdue - left, and they count the
 * running clock only: days lost to a stop never count as taken, even a stop
 * that began after the deadline (which leaves the deadline where it was but
 * freezes the days overdue while the case is stopped).
 */
fh_status timescale_progress_on(const fh_calendar *cal, const timescale_clock *clock,
				fh_date today, timescale_progress *out, fh_error *err);

#endif
