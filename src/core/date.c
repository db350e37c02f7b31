#include "date.h"

#include <assert.h>
#include <stdio.h>

bool date_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	assert(month >= 1 && month <= 12);
	return month == 2 && date_is_leap_year(year) ? 29 : days[month - 1];
}

bool date_valid_ymd(int year, int month, int day)
{
	return year >= 1000 && year <= 9999 && month >= 1 && month <= 12 &&
	       day >= 1 && day <= date_days_in_month(year, month);
}

/*
 * Days from 1970-01-01, counted in 400-year eras that start on 1 March so
 * that the leap day falls at the end of each shifted year; this keeps the
 * conversion branch-free apart from the era split and exact for every date.
 */
fh_date date_from_ymd(int year, int month, int day)
{
	assert(date_valid_ymd(year, month, day));
	int y = month <= 2 ? year - 1 : year;
	int era = (y >= 0 ? y : y - 399) / 400;
	int year_of_era = y - era * 400;                         /* 0..399 */
	int shifted_month = month > 2 ? month - 3 : month + 9;   /* March = 0 */
	int day_of_year = (153 * shifted_month + 2) / 5 + day - 1; /* 0..365 */
	int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 +
			 day_of_year;                            /* 0..146096 */
	return (fh_date)(era * 146097 + day_of_era - 719468);
}

void date_to_ymd(fh_date date, int *year, int *month, int *day)
{
	/* 64-bit inside, so even INT32_MIN or INT32_MAX (used as "open") convert
	 * without overflow; such years fall outside what date_format prints. */
	int64_t z = (int64_t)date + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t day_of_era = z - era * 146097;
	int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
			       day_of_era / 146096) / 365;
	int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 -
					    year_of_era / 100);
	int64_t shifted_month = (5 * day_of_year + 2) / 153;
	int d = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
	int m = (int)(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
	*year = (int)(year_of_era + era * 400 + (m <= 2));
	*month = m;
	*day = d;
}

int date_weekday(fh_date date)
{
	/* 1970-01-01 was a Thursday (3 in Monday-first order). */
	int w = (date + 3) % 7;
	return w < 0 ? w + 7 : w;
}

bool date_is_weekend(fh_date date)
{
	return date_weekday(date) >= 5;
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool date_parse(const char *text, fh_date *out)
{
	if (!text)
		return false;
	for (int i = 0; i < 10; i++)
		if (text[i] == '\0')
			return false;
	if (text[10] != '\0' || text[4] != '-' || text[7] != '-')
		return false;
	int y = digits(text, 4), m = digits(text + 5, 2), d = digits(text + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !date_valid_ymd(y, m, d))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

char *date_format(fh_date date, char buf[DATE_ISO_LEN])
{
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999; /* outside ISO's four digits: clamp, never overflow */
	snprintf(buf, DATE_ISO_LEN, "%04d-%02d-%02d", y, m, d);
	return buf;
}

fh_date date_add_years(fh_date date, int years)
{
	int y, m, d;
	date_to_ymd(date, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !date_is_leap_year(y))
		d = 28;
	fh_date later = date_from_ymd(y, m, d);
	/* N years on is never before the date, N years back never after it */
	assert(years < 0 || later >= date);
	assert(years > 0 || later <= date);
	return later;
}
