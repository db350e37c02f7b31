/*
 * Unit tests for src/core/timescale.c: the clocks of DOMAIN §3, their
 * extensions and stops, counting backwards, and where a clock stands.
 * Expected dates were worked out by hand against the England and Wales list
 * (tests/data/ew-holidays-1980-2099.txt); the property test at the end
 * checks the stop arithmetic against a plain day-by-day walk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "timescale.h"

static fh_calendar *cal;

static int setup(void **state)
{
	(void)state;
	return calendar_create_named("england-and-wales", NULL, &cal, NULL) == FH_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

static fh_date D(const char *iso)
{
	fh_date d = 0;
	if (!date_parse(iso, &d))
		fail_msg("bad date in a test: %s", iso);
	return d;
}

#define assert_date(got, want)                                                        \
	do {                                                                          \
		char _g[DATE_ISO_LEN];                                                \
		assert_string_equal(date_format((got), _g), (want));                   \
	} while (0)

static fh_date add(const char *from, int n, timescale_unit unit)
{
	fh_date out = 0;
	fh_error err;
	if (timescale_add(cal, D(from), n, unit, &out, &err))
		fail_msg("add %s %d: %s", from, n, err.message);
	return out;
}

static fh_date due(const timescale_clock *clock)
{
	fh_date out = 0;
	fh_error err;
	if (timescale_due(cal, clock, &out, &err))
		fail_msg("due: %s: %s", err.field, err.message);
	return out;
}

static timescale_progress progress(const timescale_clock *clock, const char *today)
{
	timescale_progress p;
	fh_error err;
	if (timescale_progress_on(cal, clock, D(today), &p, &err))
		fail_msg("progress: %s: %s", err.field, err.message);
	assert_int_equal(p.taken - p.limit, p.overdue - p.left);
	return p;
}

/* 001 B Stage 2: 25 WD from the Statement of Complaint, extendable to 65 WD. */
static timescale_clock stage2(const char *start)
{
	return (timescale_clock){.start = D(start), .unit = TIMESCALE_WORKING_DAYS,
				 .limit = 25, .max_limit = 65, .source = "001 B Stage 2"};
}

/* ---- units -------------------------------------------------------------------------- */

static void test_unit_names(void **state)
{
	(void)state;
	static const char *const names[] = {"working-days", "weeks", "calendar-days", "years"};
	for (int i = 0; i < 4; i++) {
		timescale_unit u;
		assert_true(timescale_unit_parse(names[i], &u));
		assert_int_equal(u, i);
		assert_string_equal(timescale_unit_name(u), names[i]);
	}
	timescale_unit u = TIMESCALE_WEEKS;
	assert_false(timescale_unit_parse("days", &u));
	assert_false(timescale_unit_parse("", &u));
	assert_false(timescale_unit_parse(NULL, &u));
	assert_int_equal(u, TIMESCALE_WEEKS);
}

/* DOMAIN §3 counting convention, for each unit. */
static void test_add_each_unit(void **state)
{
	(void)state;
	/* acknowledge in 2 WD from receipt (000, 004) */
	assert_date(add("2026-11-02", 2, TIMESCALE_WORKING_DAYS), "2026-11-04");
	/* 003: Stage 1 reply in 4 weeks = 28 calendar days, whatever the holidays */
	assert_date(add("2026-12-01", 4, TIMESCALE_WEEKS), "2026-12-29");
	assert_date(add("2026-12-29", -4, TIMESCALE_WEEKS), "2026-12-01");
	assert_date(add("2026-12-24", 1, TIMESCALE_WEEKS), "2026-12-31");
	assert_date(add("2026-12-24", 8, TIMESCALE_CALENDAR_DAYS), "2027-01-01");
	/* 001 B Stage 2: a request accepted up to one year after the Stage 1 response */
	assert_date(add("2026-03-10", 1, TIMESCALE_YEARS), "2027-03-10");
	/* from a leap day, one year later is 28 February, never 1 March */
	assert_date(add("2024-02-29", 1, TIMESCALE_YEARS), "2025-02-28");
	assert_date(add("2024-02-29", 4, TIMESCALE_YEARS), "2028-02-29");
	assert_date(add("2025-02-28", -1, TIMESCALE_YEARS), "2024-02-28");
	/* weeks and calendar days need no calendar */
	fh_date out;
	assert_int_equal(timescale_add(NULL, D("2026-01-01"), 2, TIMESCALE_WEEKS, &out, NULL), FH_OK);
	assert_date(out, "2026-01-15");
	fh_error err;
	assert_int_equal(timescale_add(NULL, D("2026-01-01"), 2, TIMESCALE_WORKING_DAYS, &out, &err),
			 FH_EINVAL);
	assert_string_equal(err.field, "calendar");
}

static void test_add_range_errors(void **state)
{
	(void)state;
	fh_date out = 42;
	fh_error err;
	assert_int_equal(timescale_add(cal, D("2099-06-01"), 1, TIMESCALE_YEARS, &out, &err),
			 FH_EINVAL);
	assert_string_equal(err.field, "n");
	assert_int_equal(timescale_add(cal, D("2099-12-01"), 5, TIMESCALE_WEEKS, &out, &err),
			 FH_EINVAL);
	assert_int_equal(timescale_add(cal, D("1980-01-05"), -1, TIMESCALE_WEEKS, &out, &err),
			 FH_EINVAL);
	assert_int_equal(timescale_add(cal, D("1979-12-31"), 1, TIMESCALE_CALENDAR_DAYS, &out, &err),
			 FH_EINVAL);
	assert_string_equal(err.field, "date");
	assert_int_equal(timescale_add(cal, D("2026-01-01"), INT32_MAX, TIMESCALE_WEEKS, &out, &err),
			 FH_EINVAL);
	assert_int_equal(timescale_add(cal, D("2026-01-01"), INT32_MIN, TIMESCALE_YEARS, &out, &err),
			 FH_EINVAL);
	assert_int_equal(timescale_add(cal, D("2026-01-01"), 1, (timescale_unit)9, &out, &err),
			 FH_EINVAL);
	assert_int_equal(out, 42);
}

/* 001 B Stage 3: the invitation with the papers at least 10 WD before the panel. */
static void test_counting_backwards(void **state)
{
	(void)state;
	fh_date latest;
	fh_error err;
	assert_int_equal(timescale_latest_before(cal, D("2027-01-06"), 10, TIMESCALE_WORKING_DAYS,
						 &latest, &err), FH_OK);
	assert_date(latest, "2026-12-18"); /* over Christmas, Boxing Day substitute, New Year */
	assert_date(add("2026-12-18", 10, TIMESCALE_WORKING_DAYS), "2027-01-06");
	int n;
	assert_int_equal(calendar_working_days_between(cal, latest, D("2027-01-06"), &n, NULL), FH_OK);
	assert_int_equal(n, 10);
	/* a panel on Monday 15 June 2026: the invitation by Monday 1 June */
	assert_int_equal(timescale_latest_before(cal, D("2026-06-15"), 10, TIMESCALE_WORKING_DAYS,
						 &latest, &err), FH_OK);
	assert_date(latest, "2026-06-01");
	assert_int_equal(timescale_latest_before(cal, D("2026-06-15"), 2, TIMESCALE_WEEKS,
						 &latest, &err), FH_OK);
	assert_date(latest, "2026-06-01");
	assert_int_equal(timescale_latest_before(cal, D("2026-06-15"), -1, TIMESCALE_WORKING_DAYS,
						 &latest, &err), FH_EINVAL);
	assert_string_equal(err.field, "n");
}

/* ---- clocks and extensions ------------------------------------------------------------- */

/* 001 B Stage 1: 10 WD from acceptance, to 20 WD if complex or an advocate is needed. */
static void test_stage1_extension(void **state)
{
	(void)state;
	timescale_clock c = {.start = D("2026-11-02"), .unit = TIMESCALE_WORKING_DAYS,
			     .limit = 10, .max_limit = 20, .source = "001 B Stage 1"};
	assert_date(due(&c), "2026-11-16");
	fh_error err;
	assert_int_equal(timescale_extend(&c, 21, "complex", &err), FH_ERULE);
	assert_string_equal(err.field, "extension");
	assert_string_equal(err.source, "001 B Stage 1");
	assert_non_null(strstr(err.message, "at most 20 working days"));
	assert_int_equal(c.extended_limit, 0);
	assert_int_equal(timescale_extend(&c, 20, "an advocate must be appointed", &err), FH_OK);
	assert_int_equal(timescale_limit(&c), 20);
	assert_date(due(&c), "2026-11-30");
	assert_string_equal(c.extension_reason, "an advocate must be appointed");
}

/* 001 B Stage 2; 000 "25 - 65 working days": the 65 WD limit and its reason. */
static void test_stage2_65_day_limit(void **state)
{
	(void)state;
	timescale_clock c = stage2("2026-11-02");
	assert_date(due(&c), "2026-12-07");
	fh_error err;
	assert_int_equal(timescale_extend(&c, 66, "complex", &err), FH_ERULE);
	assert_string_equal(err.source, "001 B Stage 2");
	assert_string_equal(err.field, "extension");
	assert_int_equal(timescale_extend(&c, 65, NULL, &err), FH_EINVAL);
	assert_string_equal(err.field, "reason");
	assert_string_equal(err.source, "001 B Stage 2");
	assert_int_equal(timescale_extend(&c, 65, "", &err), FH_EINVAL);
	assert_int_equal(timescale_extend(&c, 25, "complex", &err), FH_EINVAL);
	assert_string_equal(err.field, "extension");
	/* extended in two steps, each within the maximum, never shortened */
	assert_int_equal(timescale_extend(&c, 40, "complex", &err), FH_OK);
	assert_int_equal(timescale_extend(&c, 30, "complex", &err), FH_EINVAL);
	assert_int_equal(timescale_extend(&c, 65, "more witnesses", &err), FH_OK);
	assert_date(due(&c), "2027-02-04");
	assert_int_equal(timescale_extend(&c, 66, "still more", &err), FH_ERULE);
	assert_int_equal(timescale_limit(&c), 65);

	/* a clock set by hand beyond its maximum is refused by every function */
	timescale_clock bad = stage2("2026-11-02");
	bad.extended_limit = 70;
	bad.extension_reason = "complex";
	fh_date d;
	assert_int_equal(timescale_due(cal, &bad, &d, &err), FH_ERULE);
	assert_string_equal(err.source, "001 B Stage 2");
}

static void test_clock_without_extension(void **state)
{
	(void)state;
	/* 001 B: the chair's report within 5 WD of the panel; no extension stated */
	timescale_clock c = {.start = D("2026-06-15"), .unit = TIMESCALE_WORKING_DAYS,
			     .limit = 5, .source = "001 B Stage 3"};
	fh_error err;
	assert_int_equal(timescale_extend(&c, 6, "illness", &err), FH_ERULE);
	assert_non_null(strstr(err.message, "cannot be extended"));
	assert_date(due(&c), "2026-06-22");
	c.limit = -1;
	fh_date d;
	assert_int_equal(timescale_due(cal, &c, &d, &err), FH_EINVAL);
	assert_string_equal(err.field, "limit");
	c.limit = 5;
	c.start = D("1979-06-01");
	assert_int_equal(timescale_due(cal, &c, &d, &err), FH_EINVAL);
	assert_string_equal(err.field, "start");
}

/* 003: weeks are calendar weeks; 001 B Stage 2: "up to one year". */
static void test_week_and_year_clocks(void **state)
{
	(void)state;
	timescale_clock weeks = {.start = D("2026-12-01"), .unit = TIMESCALE_WEEKS, .limit = 4,
				 .source = "003 Stage 1"};
	assert_date(due(&weeks), "2026-12-29");
	timescale_progress p = progress(&weeks, "2026-12-15");
	assert_int_equal(p.counted_in, TIMESCALE_CALENDAR_DAYS);
	assert_int_equal(p.limit, 28);
	assert_int_equal(p.taken, 14);
	assert_int_equal(p.left, 14);
	timescale_clock year = {.start = D("2024-02-29"), .unit = TIMESCALE_YEARS, .limit = 1,
				.source = "001 B Stage 2"};
	assert_date(due(&year), "2025-02-28");
	p = progress(&year, "2025-03-03");
	assert_int_equal(p.overdue, 3);
}

/* ---- where a clock stands ---------------------------------------------------------------- */

static void test_progress_taken_left_overdue(void **state)
{
	(void)state;
	timescale_clock c = stage2("2026-11-02");
	timescale_progress p = progress(&c, "2026-11-02");
	assert_int_equal(p.taken, 0);
	assert_int_equal(p.left, 25);
	assert_date(p.due, "2026-12-07");
	p = progress(&c, "2026-10-01"); /* before the start: nothing taken */
	assert_int_equal(p.taken, 0);
	assert_int_equal(p.left, 25);
	p = progress(&c, "2026-11-16");
	assert_int_equal(p.taken, 10);
	assert_int_equal(p.left, 15);
	assert_int_equal(p.overdue, 0);
	assert_false(p.stopped);
	p = progress(&c, "2026-12-07"); /* the due day itself: on time, none left */
	assert_int_equal(p.taken, 25);
	assert_int_equal(p.left, 0);
	assert_int_equal(p.overdue, 0);
	p = progress(&c, "2026-12-08");
	assert_int_equal(p.overdue, 1);
	/* Christmas 2026 does not count against the council */
	p = progress(&c, "2027-01-04");
	assert_int_equal(p.overdue, 17);
	fh_error err;
	assert_int_equal(timescale_progress_on(cal, &c, D("2100-01-01"), &p, &err), FH_EINVAL);
	assert_string_equal(err.field, "today");
}

/* ---- clock stops ------------------------------------------------------------------------- */

/* timescale.h: the stop day counts, the restart day does not, the deadline moves by what is lost. */
static void test_stop_counting_rule(void **state)
{
	(void)state;
	timescale_clock c = stage2("2026-11-02");
	/* stopped and restarted on the same day: nothing lost */
	timescale_stop same[] = {{D("2026-11-10"), D("2026-11-10")}};
	c.stops = same;
	c.stop_count = 1;
	assert_date(due(&c), "2026-12-07");
	/* stopped Tuesday 10th, restarted Thursday 12th: Wednesday and Thursday lost */
	timescale_stop two[] = {{D("2026-11-10"), D("2026-11-12")}};
	c.stops = two;
	assert_date(due(&c), "2026-12-09");
	timescale_progress p = progress(&c, "2026-11-11");
	assert_true(p.stopped);
	assert_int_equal(p.taken, 6); /* 3..6, 9, 10 November */
	assert_int_equal(p.lost, 1);
	p = progress(&c, "2026-11-12");
	assert_false(p.stopped); /* restarted today: counting resumes tomorrow */
	assert_int_equal(p.taken, 6);
	assert_int_equal(p.lost, 2);
	p = progress(&c, "2026-11-13");
	assert_int_equal(p.taken, 7);
	/* stopped Friday, restarted Monday: only Monday lost */
	timescale_stop weekend[] = {{D("2026-11-20"), D("2026-11-23")}};
	c.stops = weekend;
	assert_date(due(&c), "2026-12-08");
	/* both stops */
	timescale_stop both[] = {{D("2026-11-10"), D("2026-11-12")},
				 {D("2026-11-20"), D("2026-11-23")}};
	c.stops = both;
	c.stop_count = 2;
	assert_date(due(&c), "2026-12-10");
}

/* Suspended over Christmas (waiting for consent, 001 §7.4): holidays are not "lost" twice. */
static void test_stop_over_christmas(void **state)
{
	(void)state;
	timescale_clock c = stage2("2026-11-02");
	timescale_stop s[] = {{D("2026-12-01"), D("2027-01-05")}};
	c.stops = s;
	c.stop_count = 1;
	assert_date(due(&c), "2027-01-11");
	timescale_progress p = progress(&c, "2027-01-11");
	assert_int_equal(p.taken, 25);
	assert_int_equal(p.lost, 22);
	assert_int_equal(p.left, 0);
	assert_int_equal(p.overdue, 0);
}

/* A stop on or after the deadline does not move it (the clock had already run out). */
static void test_stop_after_deadline(void **state)
{
	(void)state;
	timescale_clock c = stage2("2026-11-02");
	timescale_stop on_due[] = {{D("2026-12-07"), D("2026-12-10")}};
	c.stops = on_due;
	c.stop_count = 1;
	assert_date(due(&c), "2026-12-07");
	timescale_stop later[] = {{D("2026-12-09"), D("2026-12-14")}};
	c.stops = later;
	assert_date(due(&c), "2026-12-07");
	/* but the days overdue freeze while the case is stopped */
	timescale_progress p = progress(&c, "2026-12-15");
	assert_int_equal(p.overdue, 3); /* 8, 9 and 15 December */
	/* the day before the deadline: it moves by what is lost */
	timescale_stop before[] = {{D("2026-12-04"), D("2026-12-08")}};
	c.stops = before;
	assert_date(due(&c), "2026-12-09");
}

/* A stop still open: no firm deadline, a provisional one as if restarted today. */
static void test_open_stop(void **state)
{
	(void)state;
	timescale_clock c = stage2("2026-11-02");
	timescale_stop s[] = {{D("2026-11-10"), TIMESCALE_OPEN}};
	c.stops = s;
	c.stop_count = 1;
	fh_date d;
	fh_error err;
	assert_int_equal(timescale_due(cal, &c, &d, &err), FH_ECONFLICT);
	assert_string_equal(err.field, "stops");
	assert_string_equal(err.source, "001 B Stage 2");
	timescale_progress p = progress(&c, "2026-11-12");
	assert_true(p.stopped);
	assert_int_equal(p.taken, 6);
	assert_int_equal(p.lost, 2);
	assert_date(p.due, "2026-12-09"); /* as if restarted on the 12th */
	p = progress(&c, "2026-11-05"); /* before the stop began */
	assert_false(p.stopped);
	assert_int_equal(p.taken, 3);
}

static void test_bad_stops_refused(void **state)
{
	(void)state;
	timescale_clock c = stage2("2026-11-02");
	fh_date d;
	fh_error err;
	timescale_stop early[] = {{D("2026-11-01"), D("2026-11-03")}};
	c.stops = early;
	c.stop_count = 1;
	assert_int_equal(timescale_due(cal, &c, &d, &err), FH_EINVAL);
	assert_string_equal(err.field, "stops");
	assert_non_null(strstr(err.message, "the clock started on 2026-11-02"));
	timescale_stop backwards[] = {{D("2026-11-10"), D("2026-11-09")}};
	c.stops = backwards;
	assert_int_equal(timescale_due(cal, &c, &d, &err), FH_EINVAL);
	timescale_stop overlap[] = {{D("2026-11-10"), D("2026-11-13")},
				    {D("2026-11-12"), D("2026-11-16")}};
	c.stops = overlap;
	c.stop_count = 2;
	assert_int_equal(timescale_due(cal, &c, &d, &err), FH_EINVAL);
	timescale_stop open_first[] = {{D("2026-11-10"), TIMESCALE_OPEN},
				       {D("2026-11-12"), D("2026-11-16")}};
	c.stops = open_first;
	assert_int_equal(timescale_due(cal, &c, &d, &err), FH_EINVAL);
	assert_non_null(strstr(err.message, "only the last"));
	timescale_stop outside[] = {{D("2026-11-10"), D("2100-01-02")}};
	c.stops = outside;
	c.stop_count = 1;
	assert_int_equal(timescale_due(cal, &c, &d, &err), FH_EINVAL);
	c.stops = NULL;
	assert_int_equal(timescale_due(cal, &c, &d, &err), FH_EINVAL);
}

/* A week clock loses calendar days while stopped (003 counts in calendar weeks). */
static void test_stop_on_week_clock(void **state)
{
	(void)state;
	timescale_clock c = {.start = D("2026-12-01"), .unit = TIMESCALE_WEEKS, .limit = 4,
			     .source = "003 Stage 1"};
	timescale_stop s[] = {{D("2026-12-10"), D("2026-12-13")}};
	c.stops = s;
	c.stop_count = 1;
	assert_date(due(&c), "2027-01-01");
}

static uint32_t next_random(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* The stop arithmetic against a day-by-day walk of the running clock. */
static void test_stops_against_walk(void **state)
{
	(void)state;
	uint32_t seed = 3;
	fh_date base = D("2024-01-01");
	for (int i = 0; i < 3000; i++) {
		timescale_clock c = {.start = base + (fh_date)(next_random(&seed) % 1000),
				     .unit = TIMESCALE_WORKING_DAYS,
				     .limit = (int)(next_random(&seed) % 70), .source = "test"};
		timescale_stop stops[3];
		size_t n = next_random(&seed) % 4;
		fh_date at = c.start;
		for (size_t k = 0; k < n; k++) {
			stops[k].stopped_on = at + (fh_date)(next_random(&seed) % 30);
			stops[k].restarted_on = stops[k].stopped_on + (fh_date)(next_random(&seed) % 20);
			at = stops[k].restarted_on;
		}
		c.stops = stops;
		c.stop_count = n;
		/* walk: count working days after start that no stop covers (S, R] */
		fh_date d = c.start;
		int left = c.limit;
		while (left > 0) {
			d++;
			bool lost = false;
			for (size_t k = 0; k < n; k++)
				lost = lost || (d > stops[k].stopped_on && d <= stops[k].restarted_on);
			if (calendar_is_working_day(cal, d) && !lost)
				left--;
		}
		assert_int_equal(due(&c), d);
		fh_date today = c.start + (fh_date)(next_random(&seed) % 200);
		timescale_progress p;
		fh_error err;
		assert_int_equal(timescale_progress_on(cal, &c, today, &p, &err), FH_OK);
		int taken = 0;
		for (fh_date x = c.start + 1; x <= today; x++) {
			bool lost = false;
			for (size_t k = 0; k < n; k++)
				lost = lost || (x > stops[k].stopped_on && x <= stops[k].restarted_on);
			taken += calendar_is_working_day(cal, x) && !lost;
		}
		assert_int_equal(p.taken, taken);
		assert_int_equal(p.taken - p.limit, p.overdue - p.left);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_names),
		cmocka_unit_test(test_add_each_unit),
		cmocka_unit_test(test_add_range_errors),
		cmocka_unit_test(test_counting_backwards),
		cmocka_unit_test(test_stage1_extension),
		cmocka_unit_test(test_stage2_65_day_limit),
		cmocka_unit_test(test_clock_without_extension),
		cmocka_unit_test(test_week_and_year_clocks),
		cmocka_unit_test(test_progress_taken_left_overdue),
		cmocka_unit_test(test_stop_counting_rule),
		cmocka_unit_test(test_stop_over_christmas),
		cmocka_unit_test(test_stop_after_deadline),
		cmocka_unit_test(test_open_stop),
		cmocka_unit_test(test_bad_stops_refused),
		cmocka_unit_test(test_stop_on_week_clock),
		cmocka_unit_test(test_stops_against_walk),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
