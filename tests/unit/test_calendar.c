/*
 * Unit tests for src/core/calendar.c: the bank holidays of every year, and
 * working-day arithmetic (DOMAIN §3 counting convention).
 *
 * Oracles, each independent of calendar.c:
 *   - tests/data/ew-holidays-1980-2099.txt, written by
 *     tests/data/ew_holidays_oracle.py (Easter by Carter's and Gauss's
 *     methods, substitutes from explicit tables);
 *   - tests/data/bank-holidays.json, a copy of the GOV.UK feed, 2019..2027;
 *   - plain day-by-day walks for the arithmetic.
 * The data directory comes from FH_TEST_DATA (set by tests/meson.build).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

static fh_date D(const char *iso)
{
	fh_date d = 0;
	if (!date_parse(iso, &d))
		fail_msg("bad date in a test: %s", iso);
	return d;
}

static char *iso(fh_date d, char buf[DATE_ISO_LEN])
{
	return date_format(d, buf);
}

static fh_calendar *ew(void)
{
	fh_calendar *cal = NULL;
	fh_error err;
	assert_int_equal(calendar_create_named("england-and-wales", NULL, &cal, &err), FH_OK);
	return cal;
}

static char *data_path(const char *name)
{
	const char *dir = getenv("FH_TEST_DATA");
	if (!dir)
		fail_msg("FH_TEST_DATA is not set (run through meson test)");
	static char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return path;
}

static fh_date add_wd(const fh_calendar *cal, const char *from, int n)
{
	fh_date out = 0;
	fh_error err;
	fh_status s = calendar_add_working_days(cal, D(from), n, &out, &err);
	if (s)
		fail_msg("add %s %d: %s", from, n, err.message);
	return out;
}

static int between(const fh_calendar *cal, const char *a, const char *b)
{
	int n = 0;
	fh_error err;
	assert_int_equal(calendar_working_days_between(cal, D(a), D(b), &n, &err), FH_OK);
	return n;
}

#define assert_date(got, want)                                                        \
	do {                                                                          \
		char _g[DATE_ISO_LEN];                                                \
		assert_string_equal(iso((got), _g), (want));                          \
	} while (0)

/* ---- every year against the independent oracle -------------------------------- */

typedef struct oracle_day {
	fh_date date;
	char name[256];
} oracle_day;

static oracle_day *read_oracle(size_t *count)
{
	FILE *f = fopen(data_path("ew-holidays-1980-2099.txt"), "r");
	assert_non_null(f);
	oracle_day *days = calloc(2000, sizeof *days);
	char line[256];
	*count = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		assert_true(strlen(line) > 11 && line[10] == ' ');
		line[10] = '\0';
		assert_true(*count < 2000);
		days[*count].date = D(line);
		snprintf(days[*count].name, sizeof days[*count].name, "%s", line + 11);
		(*count)++;
	}
	fclose(f);
	return days;
}

/* Issue 3: every year 1980..2099, dates and names, against the oracle list. */
static void test_every_year_matches_oracle(void **state)
{
	(void)state;
	size_t n_oracle;
	oracle_day *oracle = read_oracle(&n_oracle);
	/* 120 years of 8 holidays, plus the 8 one-off extra days */
	assert_int_equal(n_oracle, 120 * 8 + 8);
	fh_calendar *cal = ew();
	size_t at = 0;
	for (int y = CALENDAR_FIRST_YEAR; y <= CALENDAR_LAST_YEAR; y++) {
		const calendar_holiday *days;
		size_t n;
		fh_error err;
		assert_int_equal(calendar_holidays(cal, y, &days, &n, &err), FH_OK);
		for (size_t i = 0; i < n; i++, at++) {
			char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
			assert_true(at < n_oracle);
			if (days[i].date != oracle[at].date)
				fail_msg("%d: calendar has %s, oracle %s", y, iso(days[i].date, a),
					 iso(oracle[at].date, b));
			assert_string_equal(days[i].name, oracle[at].name);
			assert_int_equal(days[i].kind, CALENDAR_COMPUTED);
		}
	}
	assert_int_equal(at, n_oracle);

	/* and every single day: working exactly when a weekday not in the list */
	size_t h = 0;
	for (fh_date d = calendar_first_date(); d <= calendar_last_date(); d++) {
		bool holiday = h < n_oracle && oracle[h].date == d;
		if (holiday)
			h++;
		assert_int_equal(calendar_is_working_day(cal, d), !holiday && !date_is_weekend(d));
		assert_int_equal(calendar_holiday_on(cal, d) != NULL, holiday);
	}
	calendar_free(cal);
	free(oracle);
}

/* ---- the GOV.UK feed -------------------------------------------------------------------- */

/* The feed's events of one division as calendar_days, titles with " (substitute day)". */
static calendar_day *feed_days(json_t *root, const char *division, size_t *count,
			       char ***names)
{
	json_t *events = json_object_get(json_object_get(root, division), "events");
	assert_true(json_is_array(events));
	*count = json_array_size(events);
	calendar_day *days = calloc(*count, sizeof *days);
	*names = calloc(*count, sizeof **names);
	for (size_t i = 0; i < *count; i++) {
		json_t *e = json_array_get(events, i);
		const char *title = json_string_value(json_object_get(e, "title"));
		const char *notes = json_string_value(json_object_get(e, "notes"));
		assert_non_null(title);
		days[i].date = D(json_string_value(json_object_get(e, "date")));
		size_t len = strlen(title) + 32;
		(*names)[i] = malloc(len);
		snprintf((*names)[i], len, "%s%s", title,
			 notes && strcmp(notes, "Substitute day") == 0 ? " (substitute day)" : "");
		days[i].name = (*names)[i];
	}
	return days;
}

static void free_feed(calendar_day *days, char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	free(days);
}

static json_t *load_feed(void)
{
	json_error_t jerr;
	json_t *root = json_load_file(data_path("bank-holidays.json"), 0, &jerr);
	if (!root)
		fail_msg("bank-holidays.json: %s", jerr.text);
	return root;
}

/* Compares a calendar's holidays for 2019..2027 with a division of the feed. */
static void check_against_feed(const fh_calendar *cal, json_t *root, const char *division,
			       bool names_too)
{
	size_t n_feed;
	char **names;
	calendar_day *feed = feed_days(root, division, &n_feed, &names);
	size_t at = 0;
	for (int y = 2019; y <= 2027; y++) {
		const calendar_holiday *days;
		size_t n;
		fh_error err;
		assert_int_equal(calendar_holidays(cal, y, &days, &n, &err), FH_OK);
		for (size_t i = 0; i < n; i++, at++) {
			char a[DATE_ISO_LEN], b[DATE_ISO_LEN];
			assert_true(at < n_feed);
			if (days[i].date != feed[at].date)
				fail_msg("%s %d: calendar has %s (%s), GOV.UK %s (%s)", division, y,
					 iso(days[i].date, a), days[i].name, iso(feed[at].date, b),
					 feed[at].name);
			if (names_too)
				assert_string_equal(days[i].name, feed[at].name);
		}
	}
	assert_int_equal(at, n_feed);
	free_feed(feed, names, n_feed);
}

/* Issue 3: the official GOV.UK list for the years it covers, names included. */
static void test_matches_govuk_feed(void **state)
{
	(void)state;
	json_t *root = load_feed();
	fh_calendar *cal = ew();
	check_against_feed(cal, root, "england-and-wales", true);
	calendar_free(cal);
	json_decref(root);
}

/* Importing the feed replaces the computed years 2019..2027 with the same days. */
static void test_import_of_feed_changes_nothing(void **state)
{
	(void)state;
	json_t *root = load_feed();
	size_t n;
	char **names;
	calendar_day *feed = feed_days(root, "england-and-wales", &n, &names);
	calendar_extra extra = {.imported = feed, .imported_count = n};
	fh_calendar *imported = NULL, *computed = ew();
	fh_error err;
	assert_int_equal(calendar_create_named("england-and-wales", &extra, &imported, &err),
			 FH_OK);
	free_feed(feed, names, n); /* the calendar keeps its own copies */
	for (fh_date d = calendar_first_date(); d <= calendar_last_date(); d++)
		assert_int_equal(calendar_is_working_day(imported, d),
				 calendar_is_working_day(computed, d));
	const calendar_holiday *h = calendar_holiday_on(imported, D("2022-09-19"));
	assert_non_null(h);
	assert_int_equal(h->kind, CALENDAR_IMPORTED);
	assert_string_equal(h->name, "Bank Holiday for the State Funeral of Queen Elizabeth II");
	h = calendar_holiday_on(imported, D("2018-12-25"));
	assert_non_null(h);
	assert_int_equal(h->kind, CALENDAR_COMPUTED);
	check_against_feed(imported, root, "england-and-wales", true);
	calendar_free(imported);
	calendar_free(computed);
	json_decref(root);
}

/*
 * Regions are data: Scotland and Northern Ireland written as tables here,
 * in the test, reproduce the GOV.UK feed with no change to calendar.c.
 * (Only dates are compared: the feed names Scotland's New Year substitutes
 * differently from England's Christmas ones.)
 */
static const calendar_rule scotland_rules[] = {
	{.name = "New Year\u2019s Day", .kind = CALENDAR_FIXED, .month = 1, .day = 1, .substitute = true},
	{.name = "2nd January", .kind = CALENDAR_FIXED, .month = 1, .day = 2, .substitute = true},
	{.name = "Good Friday", .kind = CALENDAR_EASTER, .easter_offset = -2},
	{.name = "Early May bank holiday", .kind = CALENDAR_NTH_WEEKDAY, .month = 5, .nth = 1},
	{.name = "Spring bank holiday", .kind = CALENDAR_NTH_WEEKDAY, .month = 5, .nth = -1},
	{.name = "Summer bank holiday", .kind = CALENDAR_NTH_WEEKDAY, .month = 8, .nth = 1},
	{.name = "St Andrew\u2019s Day", .kind = CALENDAR_FIXED, .month = 11, .day = 30, .substitute = true},
	{.name = "Christmas Day", .kind = CALENDAR_FIXED, .month = 12, .day = 25, .substitute = true},
	{.name = "Boxing Day", .kind = CALENDAR_FIXED, .month = 12, .day = 26, .substitute = true},
};
static const calendar_rule ni_rules[] = {
	{.name = "New Year\u2019s Day", .kind = CALENDAR_FIXED, .month = 1, .day = 1, .substitute = true},
	{.name = "St Patrick\u2019s Day", .kind = CALENDAR_FIXED, .month = 3, .day = 17, .substitute = true},
	{.name = "Good Friday", .kind = CALENDAR_EASTER, .easter_offset = -2},
	{.name = "Easter Monday", .kind = CALENDAR_EASTER, .easter_offset = 1},
	{.name = "Early May bank holiday", .kind = CALENDAR_NTH_WEEKDAY, .month = 5, .nth = 1},
	{.name = "Spring bank holiday", .kind = CALENDAR_NTH_WEEKDAY, .month = 5, .nth = -1},
	{.name = "Battle of the Boyne", .kind = CALENDAR_FIXED, .month = 7, .day = 12, .substitute = true},
	{.name = "Summer bank holiday", .kind = CALENDAR_NTH_WEEKDAY, .month = 8, .nth = -1},
	{.name = "Christmas Day", .kind = CALENDAR_FIXED, .month = 12, .day = 25, .substitute = true},
	{.name = "Boxing Day", .kind = CALENDAR_FIXED, .month = 12, .day = 26, .substitute = true},
};
static const calendar_change uk_changes_since_2019[] = {
	{2020, 5, 8, "Early May bank holiday", NULL},
	{2022, 6, 2, "Spring bank holiday", NULL},
	{2022, 6, 3, NULL, "Platinum Jubilee bank holiday"},
	{2022, 9, 19, NULL, "State Funeral"},
	{2023, 5, 8, NULL, "Coronation"},
};

static void test_regions_are_data(void **state)
{
	(void)state;
	const calendar_region regions[] = {
		{"scotland", scotland_rules, sizeof scotland_rules / sizeof *scotland_rules,
		 uk_changes_since_2019, 5},
		{"northern-ireland", ni_rules, sizeof ni_rules / sizeof *ni_rules,
		 uk_changes_since_2019, 5},
	};
	json_t *root = load_feed();
	for (size_t i = 0; i < 2; i++) {
		fh_calendar *cal = NULL;
		fh_error err;
		assert_int_equal(calendar_create(&regions[i], NULL, &cal, &err), FH_OK);
		assert_string_equal(calendar_region_name(cal), regions[i].name);
		check_against_feed(cal, root, regions[i].name, false);
		calendar_free(cal);
	}
	json_decref(root);
	/* Scotland 2022: 1 and 2 January on a weekend give Monday 3 and Tuesday 4 */
	fh_calendar *cal = NULL;
	assert_int_equal(calendar_create(&regions[0], NULL, &cal, NULL), FH_OK);
	assert_false(calendar_is_working_day(cal, D("2022-01-04")));
	assert_true(calendar_is_working_day(cal, D("2022-01-05")));
	calendar_free(cal);
}

/* A region that is not well formed is refused, not half-used. */
static void test_bad_regions_refused(void **state)
{
	(void)state;
	fh_calendar *cal = (fh_calendar *)1;
	fh_error err;
	assert_int_equal(calendar_create_named("atlantis", NULL, &cal, &err), FH_ENOTFOUND);
	assert_null(cal);
	assert_string_equal(err.field, "region");
	assert_int_equal(calendar_create(NULL, NULL, &cal, &err), FH_EINVAL);

	const calendar_rule bad_day[] = {{.name = "x", .kind = CALENDAR_FIXED, .month = 2, .day = 30}};
	const calendar_region r1 = {"r1", bad_day, 1, NULL, 0};
	assert_int_equal(calendar_create(&r1, NULL, &cal, &err), FH_EINVAL);
	const calendar_rule bad_nth[] = {{.name = "x", .kind = CALENDAR_NTH_WEEKDAY, .month = 5, .nth = 0}};
	const calendar_region r2 = {"r2", bad_nth, 1, NULL, 0};
	assert_int_equal(calendar_create(&r2, NULL, &cal, &err), FH_EINVAL);
	const calendar_rule ok_rule[] = {{.name = "x", .kind = CALENDAR_FIXED, .month = 1, .day = 1}};
	const calendar_change no_such_rule[] = {{2020, 1, 2, "y", NULL}};
	const calendar_region r3 = {"r3", ok_rule, 1, no_such_rule, 1};
	assert_int_equal(calendar_create(&r3, NULL, &cal, &err), FH_EINVAL);
	assert_string_equal(err.field, "region");

	/* a fixed rule on 29 February simply has no day in a common year */
	const calendar_rule leap_rule[] = {{.name = "Leap", .kind = CALENDAR_FIXED, .month = 2, .day = 29}};
	const calendar_region r4 = {"leap", leap_rule, 1, NULL, 0};
	assert_int_equal(calendar_create(&r4, NULL, &cal, &err), FH_OK);
	assert_false(calendar_is_working_day(cal, D("2024-02-29"))); /* a Thursday */
	assert_true(calendar_is_working_day(cal, D("2023-02-28")));
	assert_true(calendar_is_working_day(cal, D("2023-03-01")));
	calendar_free(cal);

	size_t n;
	const calendar_region *all = calendar_regions(&n);
	assert_int_equal(n, 1);
	assert_string_equal(all[0].name, CALENDAR_DEFAULT_REGION);
}

/* ---- the patterns, spelled out ------------------------------------------------------------ */

/*
 * Banking and Financial Dealings Act 1971 Sch. 1 and the proclamations:
 * Christmas and Boxing Day for Christmas on each day of the week.
 */
static void test_christmas_substitutes_every_weekday(void **state)
{
	(void)state;
	static const struct {
		int year;
		const char *weekday, *first, *second, *second_name;
	} cases[] = {
		{2023, "Monday", "2023-12-25", "2023-12-26", "Boxing Day"},
		{2018, "Tuesday", "2018-12-25", "2018-12-26", "Boxing Day"},
		{2019, "Wednesday", "2019-12-25", "2019-12-26", "Boxing Day"},
		{2025, "Thursday", "2025-12-25", "2025-12-26", "Boxing Day"},
		{2026, "Friday", "2026-12-25", "2026-12-28", "Boxing Day (substitute day)"},
		{2027, "Saturday", "2027-12-27", "2027-12-28", "Boxing Day (substitute day)"},
		{2022, "Sunday", "2022-12-26", "2022-12-27", "Christmas Day (substitute day)"},
		/* and the early years: 1981 Friday, 1982 Saturday, 1983 Sunday */
		{1981, "Friday", "1981-12-25", "1981-12-28", "Boxing Day (substitute day)"},
		{1982, "Saturday", "1982-12-27", "1982-12-28", "Boxing Day (substitute day)"},
		{1983, "Sunday", "1983-12-26", "1983-12-27", "Christmas Day (substitute day)"},
	};
	static const char *const weekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
					       "Friday", "Saturday", "Sunday"};
	fh_calendar *cal = ew();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		fh_date christmas = date_from_ymd(cases[i].year, 12, 25);
		assert_string_equal(weekdays[date_weekday(christmas)], cases[i].weekday);
		const calendar_holiday *a = calendar_holiday_on(cal, D(cases[i].first));
		const calendar_holiday *b = calendar_holiday_on(cal, D(cases[i].second));
		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(b->name, cases[i].second_name);
		/* nothing else in the last week of the year but 31 December 1999 */
		int others = 0;
		for (fh_date d = christmas - 1; d <= date_from_ymd(cases[i].year, 12, 31); d++)
			if (calendar_holiday_on(cal, d) && d != a->date && d != b->date)
				others++;
		assert_int_equal(others, 0);
	}
	calendar_free(cal);
}

/* New Year's Day on each day of the week: a weekend moves it to the Monday. */
static void test_new_year_substitutes_every_weekday(void **state)
{
	(void)state;
	static const struct {
		int year;
		const char *day;
	} cases[] = {
		{2024, "2024-01-01"}, /* Monday */
		{2019, "2019-01-01"}, /* Tuesday */
		{2025, "2025-01-01"}, /* Wednesday */
		{2026, "2026-01-01"}, /* Thursday */
		{2027, "2027-01-01"}, /* Friday */
		{2022, "2022-01-03"}, /* Saturday: Monday 3rd */
		{2023, "2023-01-02"}, /* Sunday: Monday 2nd */
		{1983, "1983-01-03"}, /* Saturday, early years */
		{1984, "1984-01-02"}, /* Sunday */
		{2000, "2000-01-03"}, /* Saturday, after the Millennium day */
	};
	fh_calendar *cal = ew();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const calendar_holiday *days;
		size_t n;
		assert_int_equal(calendar_holidays(cal, cases[i].year, &days, &n, NULL), FH_OK);
		assert_true(n > 0);
		assert_date(days[0].date, cases[i].day);
		assert_true(strncmp(days[0].name, "New Year", 8) == 0);
	}
	calendar_free(cal);
}

/* The one-off proclamations, each on its own day, with its moved rule gone. */
static void test_one_off_changes(void **state)
{
	(void)state;
	fh_calendar *cal = ew();
	static const char *const extra[] = {"1981-07-29", "1995-05-08", "1999-12-31",
					    "2002-06-03", "2002-06-04", "2011-04-29",
					    "2012-06-04", "2012-06-05", "2020-05-08",
					    "2022-06-02", "2022-06-03", "2022-09-19",
					    "2023-05-08"};
	for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
		assert_false(calendar_is_working_day(cal, D(extra[i])));
	/* the days the moved holidays would otherwise have taken */
	static const char *const vacated[] = {"1995-05-01", "2002-05-27", "2012-05-28",
					      "2020-05-04", "2022-05-30"};
	for (size_t i = 0; i < sizeof vacated / sizeof *vacated; i++)
		assert_true(calendar_is_working_day(cal, D(vacated[i])));
	assert_string_equal(calendar_holiday_on(cal, D("2020-05-08"))->name,
			    "Early May bank holiday (VE day)");
	/* 2023 has both the Early May holiday and the Coronation */
	assert_false(calendar_is_working_day(cal, D("2023-05-01")));
	calendar_free(cal);
}

static void test_easter(void **state)
{
	(void)state;
	static const char *const sundays[] = {"1981-04-19", "1985-04-07", "2000-04-23",
					      "2008-03-23", "2011-04-24", "2038-04-25",
					      "2285-03-22", "1818-03-22", "2099-04-12"};
	for (size_t i = 0; i < sizeof sundays / sizeof *sundays; i++) {
		fh_date d = D(sundays[i]);
		int y, m, dd;
		date_to_ymd(d, &y, &m, &dd);
		assert_int_equal(calendar_easter(y), d);
		assert_int_equal(date_weekday(d), 6);
	}
}

/* ---- arithmetic ------------------------------------------------------------------------ */

/* DOMAIN §3 counting convention: day 1 is the first working day after the event. */
static void test_counting_convention(void **state)
{
	(void)state;
	fh_calendar *cal = ew();
	/* received Monday 2 Nov 2026: acknowledge in 2 WD (000, 004) -> Wednesday 4th */
	assert_date(add_wd(cal, "2026-11-02", 2), "2026-11-04");
	/* received on a Saturday: day 1 is Monday */
	assert_date(add_wd(cal, "2026-11-07", 1), "2026-11-09");
	/* 10 WD from accepting on Friday 6 Nov 2026 (001 B Stage 1) -> Friday 20th */
	assert_date(add_wd(cal, "2026-11-06", 10), "2026-11-20");
	assert_date(add_wd(cal, "2026-11-06", 0), "2026-11-06");
	assert_int_equal(between(cal, "2026-11-06", "2026-11-20"), 10);
	assert_int_equal(between(cal, "2026-11-06", "2026-11-06"), 0);
	assert_int_equal(between(cal, "2026-11-07", "2026-11-08"), 0); /* a weekend */
	assert_int_equal(between(cal, "2026-11-20", "2026-11-06"), -10);
	calendar_free(cal);
}

/* Spans crossing several holidays: Christmas to New Year, Easter, May. */
static void test_spans_over_holidays(void **state)
{
	(void)state;
	fh_calendar *cal = ew();
	/* 2026: Christmas Friday, Boxing Day substitute Monday 28, New Year Friday */
	assert_date(add_wd(cal, "2026-12-23", 1), "2026-12-24");
	assert_date(add_wd(cal, "2026-12-23", 2), "2026-12-29");
	assert_date(add_wd(cal, "2026-12-23", 5), "2027-01-04");
	assert_int_equal(between(cal, "2026-12-23", "2027-01-04"), 5);
	/* 2027: Christmas Saturday -> 27 and 28 December */
	assert_date(add_wd(cal, "2027-12-24", 1), "2027-12-29");
	/* Easter 2026: Good Friday 3 April, Easter Monday 6 April */
	assert_date(add_wd(cal, "2026-04-02", 1), "2026-04-07");
	/* 2022: Spring 2 June, Jubilee 3 June, then the weekend */
	assert_date(add_wd(cal, "2022-06-01", 1), "2022-06-06");
	/* 25 WD over Easter and both May holidays of 2026 (001 B Stage 2) */
	assert_date(add_wd(cal, "2026-04-01", 25), "2026-05-11");
	/* 65 WD, the Stage 2 maximum, from 1 December 2026 */
	assert_date(add_wd(cal, "2026-12-01", 65), "2027-03-05");
	calendar_free(cal);
}

/* Issue 3: negative counts, the n-th working day before. */
static void test_negative_counts(void **state)
{
	(void)state;
	fh_calendar *cal = ew();
	/* the CLI example: 10 WD before Wednesday 6 January 2027 */
	assert_date(add_wd(cal, "2027-01-06", -10), "2026-12-18");
	assert_date(add_wd(cal, "2027-01-06", -1), "2027-01-05");
	/* -1 from a Monday is the Friday; from a Sunday too */
	assert_date(add_wd(cal, "2026-11-09", -1), "2026-11-06");
	assert_date(add_wd(cal, "2026-11-08", -1), "2026-11-06");
	/* from a holiday: the working day before it */
	assert_date(add_wd(cal, "2026-12-25", -1), "2026-12-24");
	/* going back and forward again lands on a working day where it began */
	assert_date(add_wd(cal, "2026-12-18", 10), "2027-01-06");
	calendar_free(cal);
}

/* Leap years: 29 February is an ordinary working day when it is a weekday. */
static void test_leap_years(void **state)
{
	(void)state;
	fh_calendar *cal = ew();
	assert_date(add_wd(cal, "2024-02-28", 1), "2024-02-29");  /* Thursday */
	assert_date(add_wd(cal, "2024-02-29", 1), "2024-03-01");
	assert_int_equal(between(cal, "2024-02-27", "2024-03-05"), 5);
	assert_int_equal(between(cal, "2023-02-27", "2023-03-06"), 5); /* no leap day */
	assert_date(add_wd(cal, "2000-02-28", 1), "2000-02-29");  /* 2000 is a leap year */
	assert_true(calendar_is_working_day(cal, D("2096-02-29"))); /* Wednesday */
	assert_false(calendar_is_working_day(cal, D("2020-02-29"))); /* Saturday */
	/* a whole leap year and a whole common year of working days */
	assert_int_equal(between(cal, "2023-12-31", "2024-12-31"), 262 - 8);
	assert_int_equal(between(cal, "2024-12-31", "2025-12-31"), 261 - 8);
	calendar_free(cal);
}

/* Out of range is an error with words, never undefined behaviour. */
static void test_range_errors(void **state)
{
	(void)state;
	fh_calendar *cal = ew();
	fh_date out = 12345;
	int n = 7;
	fh_error err;
	assert_int_equal(calendar_add_working_days(cal, D("2099-12-31"), 1, &out, &err), FH_EINVAL);
	assert_string_equal(err.field, "n");
	assert_int_equal(out, 12345);
	assert_int_equal(calendar_add_working_days(cal, D("1980-01-02"), -1, &out, &err), FH_EINVAL);
	assert_int_equal(calendar_add_working_days(cal, D("1979-12-31"), 1, &out, &err), FH_EINVAL);
	assert_string_equal(err.field, "date");
	assert_non_null(strstr(err.message, "1980-01-01..2099-12-31"));
	assert_int_equal(calendar_add_working_days(cal, D("2100-01-01"), -1, &out, &err), FH_EINVAL);
	assert_int_equal(calendar_add_working_days(cal, D("2026-01-01"), INT32_MAX, &out, &err),
			 FH_EINVAL);
	assert_int_equal(calendar_add_working_days(cal, D("2026-01-01"), INT32_MIN, &out, &err),
			 FH_EINVAL);
	assert_int_equal(calendar_add_working_days(cal, INT32_MIN, 1, &out, &err), FH_EINVAL);
	assert_int_equal(calendar_add_working_days(cal, INT32_MAX, 1, &out, &err), FH_EINVAL);
	assert_int_equal(calendar_working_days_between(cal, D("1979-12-31"), D("2026-01-01"), &n,
						       &err), FH_EINVAL);
	assert_string_equal(err.field, "d1");
	assert_int_equal(calendar_working_days_between(cal, D("2026-01-01"), INT32_MAX, &n, &err),
			 FH_EINVAL);
	assert_string_equal(err.field, "d2");
	assert_int_equal(n, 7);
	const calendar_holiday *days;
	size_t count;
	assert_int_equal(calendar_holidays(cal, 1979, &days, &count, &err), FH_EINVAL);
	assert_string_equal(err.field, "year");
	assert_int_equal(calendar_holidays(cal, 2100, &days, &count, &err), FH_EINVAL);
	assert_false(calendar_is_working_day(cal, D("1979-12-31")));
	assert_false(calendar_is_working_day(cal, INT32_MIN));
	assert_null(calendar_holiday_on(cal, D("1979-12-25")));
	assert_true(calendar_in_range(D("1980-01-01")));
	assert_true(calendar_in_range(D("2099-12-31")));
	assert_false(calendar_in_range(D("2100-01-01")));
	/* the extremes themselves work */
	assert_date(add_wd(cal, "1980-01-01", 1), "1980-01-02");
	assert_date(add_wd(cal, "2099-12-30", 1), "2099-12-31"); /* a Thursday */
	assert_int_equal(between(cal, "1980-01-01", "2099-12-31"),
			 between(cal, "1980-01-01", "2040-01-01") +
				 between(cal, "2040-01-01", "2099-12-31"));
	calendar_free(cal);
}

/* A small deterministic generator, so the sample is the same on every run. */
static uint32_t next_random(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* O(1) answers agree with plain day-by-day walks, everywhere in the range. */
static void test_arithmetic_against_walks(void **state)
{
	(void)state;
	fh_calendar *cal = ew();
	fh_date first = calendar_first_date(), last = calendar_last_date();
	uint32_t seed = 20261123;
	for (int i = 0; i < 20000; i++) {
		fh_date a = first + (fh_date)(next_random(&seed) % (uint32_t)(last - first + 1));
		int n = (int)(next_random(&seed) % 400) - 200;
		fh_date walk = a;
		for (int left = n; left != 0;) {
			walk += left > 0 ? 1 : -1;
			if (walk < first || walk > last)
				break;
			if (calendar_is_working_day(cal, walk))
				left += left > 0 ? -1 : 1;
		}
		fh_date got = 0;
		fh_status s = calendar_add_working_days(cal, a, n, &got, NULL);
		if (walk < first || walk > last) {
			assert_int_equal(s, FH_EINVAL);
			continue;
		}
		assert_int_equal(s, FH_OK);
		assert_int_equal(got, walk);
		/* between agrees: forward exactly n; and it is antisymmetric */
		fh_date b = first + (fh_date)(next_random(&seed) % (uint32_t)(last - first + 1));
		if (b - a > 800 || a - b > 800)
			b = a + (b % 800) - 400;
		if (b < first || b > last)
			continue;
		int counted = 0;
		for (fh_date d = (a < b ? a : b) + 1; d <= (a < b ? b : a); d++)
			counted += calendar_is_working_day(cal, d);
		int got_n = 0, back = 0;
		assert_int_equal(calendar_working_days_between(cal, a, b, &got_n, NULL), FH_OK);
		assert_int_equal(calendar_working_days_between(cal, b, a, &back, NULL), FH_OK);
		assert_int_equal(got_n, a <= b ? counted : -counted);
		assert_int_equal(back, -got_n);
		if (n > 0) {
			assert_int_equal(calendar_working_days_between(cal, a, got, &got_n, NULL),
					 FH_OK);
			assert_int_equal(got_n, n);
		}
	}
	calendar_free(cal);
}

/* ---- imported lists and closure days ----------------------------------------------------------- */

/* An import replaces the computed holidays of exactly the years it covers. */
static void test_import_replaces_covered_years(void **state)
{
	(void)state;
	calendar_day imported[] = {
		{D("2030-01-01"), "New Year\u2019s Day"},
		{D("2030-06-03"), "A newly announced holiday"},
	};
	calendar_extra extra = {.imported = imported, .imported_count = 2};
	fh_calendar *cal = NULL;
	fh_error err;
	assert_int_equal(calendar_create_named("england-and-wales", &extra, &cal, &err), FH_OK);
	assert_false(calendar_is_working_day(cal, D("2030-06-03")));
	/* 2030 is covered: its computed Christmas is gone; 2029 and 2031 keep theirs */
	assert_true(calendar_is_working_day(cal, D("2030-12-25")));
	assert_false(calendar_is_working_day(cal, D("2029-12-25")));
	assert_false(calendar_is_working_day(cal, D("2031-12-25")));
	const calendar_holiday *days;
	size_t n;
	assert_int_equal(calendar_holidays(cal, 2030, &days, &n, &err), FH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(days[1].name, "A newly announced holiday");
	assert_int_equal(days[1].kind, CALENDAR_IMPORTED);
	calendar_free(cal);
}

/* An import that is not an official list is refused whole. */
static void test_bad_imports_refused(void **state)
{
	(void)state;
	fh_calendar *cal = (fh_calendar *)1;
	fh_error err;
	calendar_day weekend[] = {{D("2026-01-03"), "Saturday"}};
	calendar_extra e1 = {.imported = weekend, .imported_count = 1};
	assert_int_equal(calendar_create_named("england-and-wales", &e1, &cal, &err), FH_EINVAL);
	assert_null(cal);
	assert_string_equal(err.field, "imported");
	assert_non_null(strstr(err.message, "2026-01-03"));
	calendar_day twice[] = {{D("2026-01-01"), "A"}, {D("2026-01-01"), "B"}};
	calendar_extra e2 = {.imported = twice, .imported_count = 2};
	assert_int_equal(calendar_create_named("england-and-wales", &e2, &cal, &err), FH_EINVAL);
	assert_non_null(strstr(err.message, "twice"));
	calendar_day unnamed[] = {{D("2026-01-01"), ""}};
	calendar_extra e3 = {.imported = unnamed, .imported_count = 1};
	assert_int_equal(calendar_create_named("england-and-wales", &e3, &cal, &err), FH_EINVAL);
	calendar_day outside[] = {{D("2100-01-01"), "Later"}};
	calendar_extra e4 = {.imported = outside, .imported_count = 1};
	assert_int_equal(calendar_create_named("england-and-wales", &e4, &cal, &err), FH_EINVAL);
	calendar_extra e5 = {.closures = outside, .closure_count = 1};
	assert_int_equal(calendar_create_named("england-and-wales", &e5, &cal, &err), FH_EINVAL);
	assert_string_equal(err.field, "closures");
}

/* DOMAIN §3: an organisation's closure days are non-working for its clocks only. */
static void test_closure_days(void **state)
{
	(void)state;
	calendar_day closures[] = {
		{D("2026-12-24"), "Christmas shutdown"},
		{D("2026-12-29"), "Christmas shutdown"},
		{D("2026-12-30"), "Christmas shutdown"},
		{D("2026-12-31"), "Christmas shutdown"},
		{D("2026-12-25"), "on a bank holiday: adds nothing"},
		{D("2026-12-26"), "on a Saturday: adds nothing"},
		{D("2026-12-31"), "a repeat is harmless"},
		{D("2027-03-01"), NULL},
	};
	calendar_extra extra = {.closures = closures, .closure_count = 8};
	fh_calendar *org = NULL, *plain = ew();
	fh_error err;
	assert_int_equal(calendar_create_named("england-and-wales", &extra, &org, &err), FH_OK);
	assert_date(add_wd(plain, "2026-12-23", 1), "2026-12-24");
	assert_date(add_wd(org, "2026-12-23", 1), "2027-01-04");
	assert_int_equal(between(org, "2026-12-23", "2027-01-04"), 1);
	assert_int_equal(between(plain, "2026-12-23", "2027-01-04"), 5);
	const calendar_holiday *h = calendar_holiday_on(org, D("2026-12-25"));
	assert_int_equal(h->kind, CALENDAR_COMPUTED);
	assert_string_equal(h->name, "Christmas Day");
	h = calendar_holiday_on(org, D("2026-12-24"));
	assert_int_equal(h->kind, CALENDAR_CLOSURE);
	assert_string_equal(h->name, "Christmas shutdown");
	assert_string_equal(calendar_holiday_on(org, D("2027-03-01"))->name, "Closure day");
	assert_null(calendar_holiday_on(org, D("2026-12-26")));
	const calendar_holiday *days;
	size_t n, n_plain;
	assert_int_equal(calendar_holidays(org, 2026, &days, &n, &err), FH_OK);
	assert_int_equal(calendar_holidays(plain, 2026, &days, &n_plain, &err), FH_OK);
	assert_int_equal(n, n_plain + 4);
	calendar_free(org);
	calendar_free(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_year_matches_oracle),
		cmocka_unit_test(test_matches_govuk_feed),
		cmocka_unit_test(test_import_of_feed_changes_nothing),
		cmocka_unit_test(test_regions_are_data),
		cmocka_unit_test(test_bad_regions_refused),
		cmocka_unit_test(test_christmas_substitutes_every_weekday),
		cmocka_unit_test(test_new_year_substitutes_every_weekday),
		cmocka_unit_test(test_one_off_changes),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_counting_convention),
		cmocka_unit_test(test_spans_over_holidays),
		cmocka_unit_test(test_negative_counts),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_range_errors),
		cmocka_unit_test(test_arithmetic_against_walks),
		cmocka_unit_test(test_import_replaces_covered_years),
		cmocka_unit_test(test_bad_imports_refused),
		cmocka_unit_test(test_closure_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
