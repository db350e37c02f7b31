/*
 * timescale.c: deadlines, extensions, clock stops, and where a clock stands.
 *
 * Every unit reduces to one of two ways of counting days: working days
 * (calendar.h) or calendar days.  Weeks are 7N calendar days; years become
 * the calendar days from the start to the same date N years later.  A clock
 * with stops is then one walk over its stops, each step O(1), so a deadline
 * costs a handful of table reads however long the clock ran.
 */
#include "timescale.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const char *const unit_names[] = {
	[TIMESCALE_WORKING_DAYS] = "working-days",
	[TIMESCALE_WEEKS] = "weeks",
	[TIMESCALE_CALENDAR_DAYS] = "calendar-days",
	[TIMESCALE_YEARS] = "years",
};

const char *timescale_unit_name(timescale_unit unit)
{
	return (unsigned)unit < sizeof unit_names / sizeof *unit_names ? unit_names[unit] : "?";
}

bool timescale_unit_parse(const char *name, timescale_unit *out)
{
	for (unsigned i = 0; name && i < sizeof unit_names / sizeof *unit_names; i++)
		if (strcmp(name, unit_names[i]) == 0) {
			*out = (timescale_unit)i;
			return true;
		}
	return false;
}

/* Words for a count of units in a message: "65 working days". */
static const char *unit_words(timescale_unit unit)
{
	switch (unit) {
	case TIMESCALE_WORKING_DAYS: return "working days";
	case TIMESCALE_WEEKS: return "weeks";
	case TIMESCALE_CALENDAR_DAYS: return "calendar days";
	case TIMESCALE_YEARS: return "years";
	}
	return "units";
}

static bool counts_working_days(timescale_unit unit)
{
	return unit == TIMESCALE_WORKING_DAYS;
}

static fh_status range_error(fh_error *err, int n, timescale_unit unit, fh_date start)
{
	char buf[DATE_ISO_LEN];
	return error_set(err, FH_EINVAL, "n", NULL,
			 "%d %s from %s falls outside the calendar's range %d-01-01..%d-12-31",
			 n, unit_words(unit), calendar_format_date(start, buf), CALENDAR_FIRST_YEAR,
			 CALENDAR_LAST_YEAR);
}

fh_status timescale_add(const fh_calendar *cal, fh_date start, int n, timescale_unit unit,
			fh_date *out, fh_error *err)
{
	if (!calendar_in_range(start)) {
		char buf[DATE_ISO_LEN];
		return error_set(err, FH_EINVAL, "date", NULL,
				 "%s is outside the calendar's range %d-01-01..%d-12-31",
				 calendar_format_date(start, buf), CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
	}
	if (n < -TIMESCALE_MAX_N || n > TIMESCALE_MAX_N)
		return error_set(err, FH_EINVAL, "n", NULL, "%d is too large a count (at most %d)",
				 n, TIMESCALE_MAX_N);
	int64_t target;
	switch (unit) {
	case TIMESCALE_WORKING_DAYS:
		if (!cal)
			return error_set(err, FH_EINVAL, "calendar", NULL,
					 "counting working days needs a calendar");
		return calendar_add_working_days(cal, start, n, out, err);
	case TIMESCALE_WEEKS: /* DOMAIN §3: N weeks is D + 7N calendar days */
		target = (int64_t)start + 7 * (int64_t)n;
		break;
	case TIMESCALE_CALENDAR_DAYS:
		target = (int64_t)start + n;
		break;
	case TIMESCALE_YEARS: { /* DOMAIN §3: one year is the same date a year later */
		int y, m, d;
		date_to_ymd(start, &y, &m, &d);
		if (y + n < CALENDAR_FIRST_YEAR || y + n > CALENDAR_LAST_YEAR)
			return range_error(err, n, unit, start);
		target = date_add_years(start, n);
		break;
	}
	default:
		return error_set(err, FH_EINVAL, "unit", NULL, "unknown unit %d", (int)unit);
	}
	if (target < calendar_first_date() || target > calendar_last_date())
		return range_error(err, n, unit, start);
	*out = (fh_date)target;
	/* counting forwards never lands before the start, backwards never after it */
	assert(n < 0 ? *out <= start : *out >= start);
	return FH_OK;
}

fh_status timescale_latest_before(const fh_calendar *cal, fh_date event, int n,
				  timescale_unit unit, fh_date *out, fh_error *err)
{
	if (n < 0)
		return error_set(err, FH_EINVAL, "n", NULL,
				 "a notice period is a count of days, not %d", n);
	return timescale_add(cal, event, -n, unit, out, err);
}

/* ---- clocks --------------------------------------------------------------------- */

int timescale_limit(const timescale_clock *clock)
{
	return clock->extended_limit > 0 ? clock->extended_limit : clock->limit;
}

/* The most the clock may be extended to; == limit when it may not be. */
static int max_limit(const timescale_clock *clock)
{
	return clock->max_limit > clock->limit ? clock->max_limit : clock->limit;
}

static const char *source_of(const timescale_clock *clock)
{
	return clock->source && *clock->source ? clock->source : NULL;
}

/*
 * Whether the clock may be extended from the limit in force, current, to
 * new_limit.  The order of the checks gives the most useful refusal first.
 */
static fh_status check_extension(const timescale_clock *clock, int current, int new_limit,
				 const char *reason, fh_error *err)
{
	const char *src = source_of(clock);
	const char *unit = unit_words(clock->unit);
	if (max_limit(clock) == clock->limit)
		return error_set(err, FH_ERULE, "extension", src,
				 "this clock of %d %s cannot be extended", clock->limit, unit);
	if (new_limit > max_limit(clock))
		return error_set(err, FH_ERULE, "extension", src,
				 "an extension may reach at most %d %s, not %d", max_limit(clock),
				 unit, new_limit);
	if (new_limit <= current)
		return error_set(err, FH_EINVAL, "extension", src,
				 "an extension must lengthen the clock beyond %d %s, not set it "
				 "to %d", current, unit, new_limit);
	/* 001 B Stage 1 and Stage 2, DOMAIN §3.6: an extension needs a reason */
	if (!reason || !*reason)
		return error_set(err, FH_EINVAL, "reason", src,
				 "an extension needs a reason (complexity, an advocate to appoint)");
	return FH_OK;
}

fh_status timescale_check(const timescale_clock *clock, fh_error *err)
{
	const char *src = source_of(clock);
	char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
	if (!calendar_in_range(clock->start))
		return error_set(err, FH_EINVAL, "start", src,
				 "%s is outside the calendar's range %d-01-01..%d-12-31",
				 calendar_format_date(clock->start, a), CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
	if ((unsigned)clock->unit > TIMESCALE_YEARS)
		return error_set(err, FH_EINVAL, "unit", src, "unknown unit %d", (int)clock->unit);
	if (clock->limit < 0 || clock->limit > TIMESCALE_MAX_N ||
	    clock->max_limit < 0 || clock->max_limit > TIMESCALE_MAX_N)
		return error_set(err, FH_EINVAL, "limit", src,
				 "a limit is a count from 0 to %d", TIMESCALE_MAX_N);
	if (clock->extended_limit != 0) {
		fh_status s = check_extension(clock, clock->limit, clock->extended_limit,
					      clock->extension_reason, err);
		if (s)
			return s;
	}
	if (clock->stop_count && !clock->stops)
		return error_set(err, FH_EINVAL, "stops", src, "the list of stops is missing");
	fh_date after = clock->start;
	for (size_t i = 0; i < clock->stop_count; i++) {
		const timescale_stop *st = &clock->stops[i];
		bool open = st->restarted_on == TIMESCALE_OPEN;
		if (!calendar_in_range(st->stopped_on) ||
		    (!open && !calendar_in_range(st->restarted_on)))
			return error_set(err, FH_EINVAL, "stops", src,
					 "stop %zu lies outside the calendar's range", i + 1);
		if (st->stopped_on < after)
			return error_set(err, FH_EINVAL, "stops", src,
					 "stop %zu begins on %s, before %s %s", i + 1,
					 calendar_format_date(st->stopped_on, a),
					 i ? "the previous stop ended on" : "the clock started on",
					 calendar_format_date(after, b));
		if (open && i + 1 < clock->stop_count)
			return error_set(err, FH_EINVAL, "stops", src,
					 "only the last stop may still be open");
		if (!open && st->restarted_on < st->stopped_on)
			return error_set(err, FH_EINVAL, "stops", src,
					 "stop %zu restarts on %s, before it stopped on %s", i + 1,
					 calendar_format_date(st->restarted_on, a),
					 calendar_format_date(st->stopped_on, b));
		after = st->restarted_on;
	}
	return FH_OK;
}

fh_status timescale_extend(timescale_clock *clock, int new_limit, const char *reason,
			   fh_error *err)
{
	/* a second extension must lengthen the first one, still within the maximum */
	fh_status s = check_extension(clock, timescale_limit(clock), new_limit, reason, err);
	if (s)
		return s;
	clock->extended_limit = new_limit;
	clock->extension_reason = reason;
	/* an extension lengthens the clock, never beyond what the procedure allows */
	assert(clock->extended_limit > clock->limit && clock->extended_limit <= max_limit(clock));
	return FH_OK;
}

/* Counting days in (a, b]: working days, or calendar days; b >= a. */
static int span(const fh_calendar *cal, bool working, fh_date a, fh_date b)
{
	assert(b >= a);
	if (!working)
		return b - a;
	int n = 0;
	/* both dates were range-checked by timescale_check or the caller */
	fh_status s = calendar_working_days_between(cal, a, b, &n, NULL);
	assert(s == FH_OK);
	(void)s;
	return n;
}

/* The limit in counting days: years become the calendar days to the same date N years on. */
static fh_status limit_days(const timescale_clock *clock, int *out, fh_error *err)
{
	int n = timescale_limit(clock);
	switch (clock->unit) {
	case TIMESCALE_WORKING_DAYS:
	case TIMESCALE_CALENDAR_DAYS:
		*out = n;
		return FH_OK;
	case TIMESCALE_WEEKS:
		*out = 7 * n;
		return FH_OK;
	case TIMESCALE_YEARS: {
		fh_date end;
		fh_status s = timescale_add(NULL, clock->start, n, TIMESCALE_YEARS, &end, err);
		if (s)
			return s;
		*out = end - clock->start;
		return FH_OK;
	}
	}
	return error_set(err, FH_EINVAL, "unit", NULL, "unknown unit");
}

/*
 * The deadline, treating an open stop as restarting on restart_open.  The
 * walk: each stretch of running clock (cursor, S] uses up counting days;
 * when a stretch holds all that remain, the deadline lies in it; otherwise
 * the clock jumps to the restart R and goes on.
 */
static fh_status due_with(const fh_calendar *cal, const timescale_clock *clock,
			  fh_date restart_open, fh_date *due, fh_error *err)
{
	bool working = counts_working_days(clock->unit);
	if (working && !cal)
		return error_set(err, FH_EINVAL, "calendar", NULL,
				 "counting working days needs a calendar");
	int remaining;
	fh_status s = limit_days(clock, &remaining, err);
	if (s)
		return s;
	fh_date cursor = clock->start;
	for (size_t i = 0; i < clock->stop_count; i++) {
		const timescale_stop *st = &clock->stops[i];
		int run = span(cal, working, cursor, st->stopped_on);
		if (run >= remaining)
			break; /* the deadline comes on or before this stop: it does not move */
		remaining -= run;
		fh_date r = st->restarted_on == TIMESCALE_OPEN ? restart_open : st->restarted_on;
		cursor = r > st->stopped_on ? r : st->stopped_on;
	}
	assert(remaining >= 0 && cursor >= clock->start);
	s = timescale_add(cal, cursor, remaining,
			  working ? TIMESCALE_WORKING_DAYS : TIMESCALE_CALENDAR_DAYS, due, err);
	/* DOMAIN §3: a deadline is never before its clock's start, and a stop only
	 * ever moves it later */
	assert(s != FH_OK || *due >= cursor);
	return s;
}

fh_status timescale_due(const fh_calendar *cal, const timescale_clock *clock, fh_date *due,
			fh_error *err)
{
	fh_status s = timescale_check(clock, err);
	if (s)
		return s;
	if (clock->stop_count &&
	    clock->stops[clock->stop_count - 1].restarted_on == TIMESCALE_OPEN)
		return error_set(err, FH_ECONFLICT, "stops", source_of(clock),
				 "the clock is stopped: its deadline depends on when it restarts");
	return due_with(cal, clock, 0, due, err);
}

fh_status timescale_progress_on(const fh_calendar *cal, const timescale_clock *clock,
				fh_date today, timescale_progress *out, fh_error *err)
{
	fh_status s = timescale_check(clock, err);
	if (s)
		return s;
	if (!calendar_in_range(today)) {
		char buf[DATE_ISO_LEN];
		return error_set(err, FH_EINVAL, "today", NULL,
				 "%s is outside the calendar's range %d-01-01..%d-12-31",
				 calendar_format_date(today, buf), CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
	}
	bool working = counts_working_days(clock->unit);
	timescale_progress p = {0};
	p.counted_in = working ? TIMESCALE_WORKING_DAYS : TIMESCALE_CALENDAR_DAYS;
	s = limit_days(clock, &p.limit, err);
	if (!s)
		s = due_with(cal, clock, today, &p.due, err);
	if (s)
		return s;

	/* the running stretches (cursor, S] and the lost ones (S, R], up to today */
	fh_date cursor = clock->start;
	bool done = today <= cursor;
	for (size_t i = 0; i < clock->stop_count && !done; i++) {
		const timescale_stop *st = &clock->stops[i];
		bool open = st->restarted_on == TIMESCALE_OPEN;
		if (today < st->stopped_on) {
			break;
		}
		p.taken += span(cal, working, cursor, st->stopped_on);
		if (open || today < st->restarted_on) {
			p.stopped = true;
			p.lost += span(cal, working, st->stopped_on, today);
			done = true;
		} else {
			p.lost += span(cal, working, st->stopped_on, st->restarted_on);
			cursor = st->restarted_on;
		}
	}
	if (!done && today > cursor)
		p.taken += span(cal, working, cursor, today);
	p.left = p.limit > p.taken ? p.limit - p.taken : 0;
	p.overdue = p.taken > p.limit ? p.taken - p.limit : 0;
	/* the contract of timescale.h, and days are never taken or lost backwards */
	assert(p.taken >= 0 && p.lost >= 0 && p.due >= clock->start);
	assert(p.taken - p.limit == p.overdue - p.left);
	*out = p;
	return FH_OK;
}
