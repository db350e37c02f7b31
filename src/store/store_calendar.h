/*
 * store_calendar: the calendar data an administrator keeps in the database.
 *
 * Two things, both on top of the bank holidays computed by rule
 * (core/calendar): an imported official list of a region's bank holidays
 * (the GOV.UK bank-holidays.json feed), which replaces the computed holidays
 * of every year it covers, and an organisation's closure days, which are
 * non-working for that organisation's clocks only (DOMAIN §3).  Every change
 * is one transaction with its audit event, like every other store write.
 */
#ifndef FH_STORE_CALENDAR_H
#define FH_STORE_CALENDAR_H

#include <stddef.h>

#include "arena.h"
#include "calendar.h"
#include "error.h"
#include "store.h"

#define STORE_CALENDAR_TEXT_MAX 200 /* longest holiday name or closure reason, bytes */

/*
 * Replaces region's imported holidays for every year that days covers (a
 * year with at least one day in the list) with days, leaving other years as
 * an earlier import left them, and appends a 'calendar_imported' event with
 * no organisation or case.  days are checked as calendar_create checks an
 * imported list (named, weekdays, in range, no date twice) before anything is
 * written.  notes may be NULL, else one per day ("" or the feed's notes).
 * Joins the caller's transaction when one is open, so several regions can be
 * imported all-or-nothing.
 */
fh_status store_calendar_import(fh_store *st, const char *region, const calendar_day *days,
				const char *const *notes, size_t count, const char *actor,
				fh_error *err);

/* Every imported holiday of region, by date; names live in arena (none: count 0). */
fh_status store_calendar_imported(fh_store *st, const char *region, fh_arena *arena,
				  calendar_day **days, size_t *count, fh_error *err);

/*
 * Declares date a closure day of the organisation org_code (reason may be
 * NULL or ""), with a 'closure_day_added' event.  FH_ENOTFOUND for an
 * unknown organisation, FH_ECONFLICT when the day is already a closure day,
 * FH_EINVAL for a date outside the calendar or a reason over
 * STORE_CALENDAR_TEXT_MAX bytes.
 */
fh_status store_calendar_closure_add(fh_store *st, const char *org_code, fh_date date,
				     const char *reason, const char *actor, fh_error *err);

/* Removes a closure day, with a 'closure_day_removed' event; FH_ENOTFOUND when there is none. */
fh_status store_calendar_closure_remove(fh_store *st, const char *org_code, fh_date date,
					const char *actor, fh_error *err);

/* The organisation's closure days by date, reasons as names; strings live in arena. */
fh_status store_calendar_closures(fh_store *st, const char *org_code, fh_arena *arena,
				  calendar_day **days, size_t *count, fh_error *err);

/*
 * The calendar of an organisation: its region's rules, the imported
 * holidays of that region and its own closure days.  Allocated: free it
 * with calendar_free.
 */
fh_status store_calendar_for_org(fh_store *st, const char *org_code, fh_calendar **cal,
				 fh_error *err);
/*
 * The organisation's region's working days with its imported holidays but
 * without its closure days: what a statutory clock counts (reg 2 of SI
 * 2006/1738; DOMAIN §3).  Caller frees it.
 */
fh_status store_calendar_for_org_working(fh_store *st, const char *org_code, fh_calendar **cal,
					 fh_error *err);

/* The calendar of a region with its imported holidays and no closure days. */
fh_status store_calendar_for_region(fh_store *st, const char *region, fh_calendar **cal,
				    fh_error *err);

#endif
