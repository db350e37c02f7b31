/* Unit tests for src/core/date.c: the one date type everything counts with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "date.h"

/* Every day from 1600-01-01 to 2400-12-31 converts to a count one more than
 * the day before, and back to the same year, month and day, checked against
 * a plain day-by-day walk (an oracle that shares no arithmetic with date.c). */
static void test_round_trip_every_day(void **state)
{
	(void)state;
	fh_date d = date_from_ymd(1600, 1, 1);
	int y = 1600, m = 1, day = 1;
	while (y <= 2400) {
		int yy, mm, dd;
		date_to_ymd(d, &yy, &mm, &dd);
		assert_int_equal(yy, y);
		assert_int_equal(mm, m);
		assert_int_equal(dd, day);
		assert_int_equal(date_from_ymd(y, m, day), d);
		d++;
		int len = (m == 2) ? ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28)
			  : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
		if (++day > len) {
			day = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
}

static void test_epoch_and_weekdays(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_weekday(0), 3);                          /* Thursday */
	assert_int_equal(date_weekday(date_from_ymd(2026, 11, 23)), 0); /* Monday */
	assert_int_equal(date_weekday(date_from_ymd(2000, 1, 1)), 5);   /* Saturday */
	assert_int_equal(date_weekday(date_from_ymd(1969, 12, 31)), 2); /* Wednesday, before the epoch */
	assert_true(date_is_weekend(date_from_ymd(2026, 11, 22)));
	assert_false(date_is_weekend(date_from_ymd(2026, 11, 20)));
}

static void test_parse_is_strict(void **state)
{
	(void)state;
	fh_date d = 12345;
	assert_true(date_parse("2024-02-29", &d));
	assert_int_equal(d, date_from_ymd(2024, 2, 29));
	const char *bad[] = {"2026-02-30", "2025-02-29", "2100-02-29", "2026-13-01", "2026-00-10",
			     "2026-2-3", "2026-02-03x", " 2026-02-03", "2026/02/03", "", "20260203",
			     "0999-12-31", "abcd-ef-gh", "2026-04-31"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fh_date before = d;
		assert_false(date_parse(bad[i], &d));
		assert_int_equal(d, before); /* untouched on failure */
	}
	assert_false(date_parse(NULL, &d));
	assert_true(date_parse("2000-02-29", &d)); /* divisible by 400: leap */
}

static void test_format(void **state)
{
	(void)state;
	char buf[DATE_ISO_LEN];
	assert_string_equal(date_format(date_from_ymd(2027, 1, 6), buf), "2027-01-06");
	assert_string_equal(date_format(date_from_ymd(1980, 12, 31), buf), "1980-12-31");
	/* The extremes (INT32_MAX marks an open clock stop) never overflow. */
	assert_int_equal(strlen(date_format(INT32_MAX, buf)), 10);
	assert_int_equal(strlen(date_format(INT32_MIN, buf)), 10);
}

/* DOMAIN §3: "One year" is the same date a year later; a leap day's year
 * ends on 28 February so the window is never longer than a year. */
static void test_add_years(void **state)
{
	(void)state;
	char buf[DATE_ISO_LEN];
	assert_string_equal(date_format(date_add_years(date_from_ymd(2025, 3, 14), 1), buf), "2026-03-14");
	assert_string_equal(date_format(date_add_years(date_from_ymd(2024, 2, 29), 1), buf), "2025-02-28");
	assert_string_equal(date_format(date_add_years(date_from_ymd(2024, 2, 29), 4), buf), "2028-02-29");
	assert_string_equal(date_format(date_add_years(date_from_ymd(2026, 1, 31), -1), buf), "2025-01-31");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_day),
		cmocka_unit_test(test_epoch_and_weekdays),
		cmocka_unit_test(test_parse_is_strict),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_add_years),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
