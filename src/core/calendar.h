/*
 * calendar: which days are working days, and working-day arithmetic over them.
 *
 * DOMAIN §3: "N working days" excludes Saturdays, Sundays, the bank holidays
 * of the organisation's region and any closure days the organisation
 * declares.  This module knows the bank holidays of a region by rule (the
 * Banking and Financial Dealings Act 1971, Schedule 1, and the annual Royal
 * Proclamations) for every year from CALENDAR_FIRST_YEAR to
 * CALENDAR_LAST_YEAR, plus the one-off changes that were really proclaimed.
 *
 * Regions are data: a calendar_region is a table of rules (a fixed date with
 * or without a weekend substitute, the n-th or last weekday of a month, a
 * day relative to Easter) and of one-off changes (an extra day, or a rule
 * moved in one year).  The built-in table has "england-and-wales"; another
 * region is another table, with no change to the algorithm.
 *
 * An fh_calendar is a value built once from a region plus extra non-working
 * days (an imported official list, which replaces the computed holidays of
 * every year it covers, and an organisation's closure days).  It holds a
 * prefix count of working days for every day of the supported range, so
 * every query below is O(1): a couple of array reads.  It is immutable once
 * built and may be shared between threads.
 *
 * Counting convention (DOMAIN §3, pinned here and in docs/calendar.md):
 *   - day 1 is the first working day AFTER the starting date; the starting
 *     date itself never counts, whether or not it is a working day;
 *   - calendar_add_working_days(cal, d, n) with n > 0 is the n-th working day
 *     after d; with n < 0 it is the |n|-th working day before d (-1 is the
 *     last working day strictly before d); with n == 0 it is d itself;
 *   - calendar_working_days_between(cal, d1, d2) is the number of working
 *     days after d1 up to and including d2 when d2 >= d1, and minus the
 *     number after d2 up to and including d1 when d2 < d1 (so it is 0 when
 *     d1 == d2 and between(a, b) == -between(b, a)).  For n >= 1,
 *     between(d, add(d, n)) == n.
 *
 * Every date given to or produced by these functions must lie in
 * CALENDAR_FIRST_YEAR-01-01 .. CALENDAR_LAST_YEAR-12-31; anything else is
 * refused with FH_EINVAL, never undefined behaviour.
 */
#ifndef FH_CALENDAR_H
#define FH_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "error.h"

#define CALENDAR_FIRST_YEAR 1980
#define CALENDAR_LAST_YEAR 2099
#define CALENDAR_DEFAULT_REGION "england-and-wales"
#define CALENDAR_REGION_MAX 64 /* a region's name, bytes with its NUL */

/* ---- regions as data --------------------------------------------------------- */

typedef enum calendar_rule_kind {
	CALENDAR_FIXED,       /* month/day every year */
	CALENDAR_NTH_WEEKDAY, /* the nth (1..5, or -1 for last) weekday of a month */
	CALENDAR_EASTER       /* easter_offset days after Easter Sunday (Gregorian) */
} calendar_rule_kind;

typedef struct calendar_rule {
	const char *name;        /* "Christmas Day": also the key a change names */
	calendar_rule_kind kind;
	int month;               /* FIXED, NTH_WEEKDAY: 1..12 */
	int day;                 /* FIXED: day of the month */
	int weekday;             /* NTH_WEEKDAY: 0 Monday .. 6 Sunday */
	int nth;                 /* NTH_WEEKDAY: 1..5, or -1 for the last */
	int easter_offset;       /* EASTER: -2 Good Friday, 1 Easter Monday */
	bool substitute;         /* on a weekend, the next weekday that is not
	                            already a holiday; named "NAME (substitute day)" */
	int from_year, to_year;  /* the years the rule applies, inclusive; 0: open */
} calendar_rule;

typedef struct calendar_change {
	int year, month, day;    /* the date of the day that year */
	const char *rule;        /* the rule moved to this date that year, or NULL
	                            for an extra holiday */
	const char *name;        /* its name on that date; NULL: the rule's name */
} calendar_change;

typedef struct calendar_region {
	const char *name;        /* "england-and-wales", as in the GOV.UK feed */
	const calendar_rule *rules;
	size_t rule_count;
	const calendar_change *changes;
	size_t change_count;
} calendar_region;

/* The built-in region with this name, or NULL. */
const calendar_region *calendar_region_find(const char *name);
/* The built-in regions, for listing; *count gets how many. */
const calendar_region *calendar_regions(size_t *count);

/* Easter Sunday of a Gregorian year (1583..9999). */
fh_date calendar_easter(int year);

/* ---- the calendar value ----------------------------------------------------------- */

typedef struct fh_calendar fh_calendar;

/* A day given from outside: an imported holiday, or a closure day (name = reason). */
typedef struct calendar_day {
	fh_date date;
	const char *name;
} calendar_day;

typedef enum calendar_day_kind {
	CALENDAR_COMPUTED, /* a bank holiday from the region's rules */
	CALENDAR_IMPORTED, /* a bank holiday from an imported official list */
	CALENDAR_CLOSURE   /* the organisation's own closure day */
} calendar_day_kind;

/* A non-working weekday, with why. */
typedef struct calendar_holiday {
	fh_date date;
	const char *name;        /* owned by the calendar */
	calendar_day_kind kind;
} calendar_holiday;

typedef struct calendar_extra {
	/*
	 * An official list (GOV.UK bank-holidays.json): for every year in which
	 * it has at least one day, these days replace the computed holidays of
	 * that year entirely, so an announced change is taken in as announced.
	 * Dates must be weekdays in the supported range, without repeats.
	 */
	const calendar_day *imported;
	size_t imported_count;
	/*
	 * The organisation's closure days (a Christmas shutdown): non-working
	 * for this calendar only.  A closure on a weekend or a bank holiday
	 * changes nothing; repeats are harmless.  Dates must be in range.
	 */
	const calendar_day *closures;
	size_t closure_count;
} calendar_extra;

/*
 * Builds the calendar of region plus extra (NULL: none) and returns it in
 * *out, allocated: free it with calendar_free.  The calendar copies every
 * name it keeps, so the caller may free extra's strings afterwards.
 * FH_EINVAL naming the field ("imported" or "closures") for a bad day,
 * FH_ENOMEM when memory runs out.
 */
fh_status calendar_create(const calendar_region *region, const calendar_extra *extra,
			  fh_calendar **out, fh_error *err);
/* calendar_create for a built-in region by name: FH_ENOTFOUND naming "region". */
fh_status calendar_create_named(const char *region, const calendar_extra *extra,
				fh_calendar **out, fh_error *err);
void calendar_free(fh_calendar *cal);

/* The region's name, as given when the calendar was built. */
const char *calendar_region_name(const fh_calendar *cal);

/* The first and last day the calendar covers. */
fh_date calendar_first_date(void);
fh_date calendar_last_date(void);
/* True when date lies in the supported range. */
bool calendar_in_range(fh_date date);
/*
 * date_format for messages about any fh_date at all: a date beyond four-digit
 * years (a wild value from a caller) comes out as 0000-00-00 or 9999-99-99.
 */
char *calendar_format_date(fh_date date, char buf[DATE_ISO_LEN]);

/* A weekday that is neither a bank holiday nor a closure day; false outside the range. */
bool calendar_is_working_day(const fh_calendar *cal, fh_date date);

/*
 * The n-th working day after date (n > 0), the |n|-th before it (n < 0), or
 * date itself (n == 0), into *out.  FH_EINVAL naming "date" when date is out
 * of range, or "n" when the answer would be.
 */
fh_status calendar_add_working_days(const fh_calendar *cal, fh_date date, int n,
				    fh_date *out, fh_error *err);

/*
 * Working days after d1 up to and including d2 (negative when d2 < d1: see
 * the convention above), into *out.  FH_EINVAL naming "d1" or "d2" when a
 * date is out of range.
 */
fh_status calendar_working_days_between(const fh_calendar *cal, fh_date d1, fh_date d2,
					int *out, fh_error *err);

/*
 * The non-working weekdays of year in date order: bank holidays, and closure
 * days that are not already a bank holiday (each with its kind).  *days
 * points into the calendar and stays valid until calendar_free.  FH_EINVAL naming "year" outside
 * CALENDAR_FIRST_YEAR..CALENDAR_LAST_YEAR.
 */
fh_status calendar_holidays(const fh_calendar *cal, int year, const calendar_holiday **days,
			    size_t *count, fh_error *err);

/* The bank holiday or closure day on date, or NULL when there is none. */
const calendar_holiday *calendar_holiday_on(const fh_calendar *cal, fh_date date);

#endif
