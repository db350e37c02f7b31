/*
 * date: the one calendar-date type.
 *
 * A date is a count of days since 1970-01-01 in the proleptic Gregorian
 * calendar, held in an int32_t.  Arithmetic is then plain integer arithmetic,
 * comparisons are `<`, and a date costs four bytes in a table.  Times of day
 * do not exist here: every clock in the procedures counts whole days.
 *
 * Parsing is strict ISO 8601 (YYYY-MM-DD, years 1000..9999): "2026-02-30",
 * "2026-2-3" and "2026-02-03x" are all refused.
 */
#ifndef FH_DATE_H
#define FH_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t fh_date;

#define DATE_ISO_LEN 11 /* "YYYY-MM-DD" and its NUL */

bool date_is_leap_year(int year);
int date_days_in_month(int year, int month);

/* True when year-month-day names a real day (1000 <= year <= 9999). */
bool date_valid_ymd(int year, int month, int day);

/* The date of a valid year, month (1..12) and day. */
fh_date date_from_ymd(int year, int month, int day);
void date_to_ymd(fh_date date, int *year, int *month, int *day);

/* 0 = Monday ... 6 = Sunday (ISO 8601 order). */
int date_weekday(fh_date date);
bool date_is_weekend(fh_date date);

/* Parses exactly "YYYY-MM-DD"; false (and *out untouched) when it is not a real date. */
bool date_parse(const char *text, fh_date *out);

/* Writes "YYYY-MM-DD" into buf (at least DATE_ISO_LEN bytes); returns buf. */
char *date_format(fh_date date, char buf[DATE_ISO_LEN]);

/*
 * The same date n calendar years later (n may be negative).  29 February
 * becomes 28 February in a common year: "one year after" a leap day is
 * the last day of February, never 1 March, so a one-year window is never
 * longer than a year.
 */
fh_date date_add_years(fh_date date, int years);

#endif
