/*
 * api_calendar.c: working-day arithmetic and bank holidays over HTTP, so a
 * client can show a deadline before committing to it (DOMAIN §3).
 *
 * Which calendar: with ?org=ORG, that organisation's region, its imported
 * holidays and its closure days, for a caller who holds a role there (404
 * otherwise, exactly as for any organisation the caller may not see);
 * without it, the default region with the holidays an administrator
 * imported.  The arithmetic itself is core/timescale and core/calendar, the
 * same functions the lifecycle's clocks use, so an answer here is the
 * deadline a case would get.
 *
 * A parameter that is missing or not of its form is 400 invalid_parameter;
 * one of the right form that falls outside the calendar's range
 * (1980..2099) is 422 invalid.  Either names the parameter in "field".
 */
#include "api.h"

#include <errno.h>
#include <stdlib.h>

#include "authz.h"
#include "calendar.h"
#include "store_calendar.h"
#include "timescale.h"

/* The calendar the request names (see above); NULL with the answer set when refused. */
static fh_calendar *request_calendar(http_request *req, const char **org_out)
{
	const char *org = http_query(req, "org");
	*org_out = org;
	fh_calendar *cal = NULL;
	fh_error err = {0};
	fh_status s;
	if (org) {
		if (!authz_org(req, org, AUTHZ_ANY_ROLE))
			return NULL;
		s = store_calendar_for_org(req->st, org, &cal, &err);
	} else {
		s = store_calendar_for_region(req->st, CALENDAR_DEFAULT_REGION, &cal, &err);
	}
	if (s) {
		http_fail(req, &err);
		return NULL;
	}
	return cal;
}

/* Which calendar answered, so a client can tell an organisation's from the default. */
static json_t *calendar_json(const fh_calendar *cal, const char *org)
{
	return json_pack("{ss so}", "region", calendar_region_name(cal), "org",
			 org ? json_string(org) : json_null());
}

static bool bad_parameter(http_request *req, const char *name, const char *why)
{
	http_error(req, 400, "invalid_parameter", name, "%s", why);
	return false;
}

/* A required ISO date from the query string. */
static bool required_date(http_request *req, const char *name, fh_date *out)
{
	const char *text = http_query(req, name);
	if (!text)
		return bad_parameter(req, name, "is required (YYYY-MM-DD)");
	if (!date_parse(text, out)) {
		http_error(req, 400, "invalid_parameter", name, "'%s' is not a date (YYYY-MM-DD)",
			   text);
		return false;
	}
	return true;
}

/* A well-formed date the calendar does not cover is a 422, like any value out of bounds. */
static bool date_in_range(http_request *req, const char *name, fh_date d)
{
	if (calendar_in_range(d))
		return true;
	http_error(req, 422, "invalid", name, "the calendar covers %d-01-01 to %d-12-31",
		   CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
	return false;
}

/* A whole number in [min, max], required. */
static bool required_int(http_request *req, const char *name, long min, long max, long *out)
{
	const char *text = http_query(req, name);
	if (!text) {
		http_error(req, 400, "invalid_parameter", name, "is required (a whole number from "
			   "%ld to %ld)", min, max);
		return false;
	}
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (!*text || *end || errno || v < min || v > max) {
		http_error(req, 400, "invalid_parameter", name,
			   "must be a whole number from %ld to %ld", min, max);
		return false;
	}
	*out = v;
	return true;
}

void api_calendar_add(http_request *req)
{
	fh_date start;
	long n;
	if (!required_date(req, "date", &start) ||
	    !required_int(req, "n", -TIMESCALE_MAX_N, TIMESCALE_MAX_N, &n))
		return;
	/* Years are left out on purpose: no procedure counts a deadline in them
	 * from a date a user types, and "n years" is not a calendar question. */
	const char *unit_name = http_query(req, "unit");
	timescale_unit unit = TIMESCALE_WORKING_DAYS;
	if (unit_name && (!timescale_unit_parse(unit_name, &unit) || unit == TIMESCALE_YEARS)) {
		http_error(req, 400, "invalid_parameter", "unit",
			   "'%s' is not one of working-days, weeks, calendar-days", unit_name);
		return;
	}
	if (!date_in_range(req, "date", start))
		return;
	const char *org;
	fh_calendar *cal = request_calendar(req, &org);
	if (!cal)
		return;
	fh_date result;
	fh_error err = {0};
	if (timescale_add(cal, start, (int)n, unit, &result, &err)) {
		/* timescale names "date" or "n", which are this endpoint's own names. */
		calendar_free(cal);
		http_fail(req, &err);
		return;
	}
	char from_iso[DATE_ISO_LEN], result_iso[DATE_ISO_LEN];
	http_json(req, 200, json_pack("{ss sI ss ss sb so}", "date", date_format(start, from_iso),
				      "n", (json_int_t)n, "unit", timescale_unit_name(unit),
				      "result", date_format(result, result_iso),
				      "result_is_working_day", calendar_is_working_day(cal, result),
				      "calendar", calendar_json(cal, org)));
	calendar_free(cal);
}

void api_calendar_between(http_request *req)
{
	fh_date from, to;
	if (!required_date(req, "from", &from) || !required_date(req, "to", &to) ||
	    !date_in_range(req, "from", from) || !date_in_range(req, "to", to))
		return;
	const char *org;
	fh_calendar *cal = request_calendar(req, &org);
	if (!cal)
		return;
	int n = 0;
	fh_error err = {0};
	/* Both dates are in range, so this cannot fail; its own field names
	 * ("d1", "d2") would not be this endpoint's, hence the checks above. */
	if (calendar_working_days_between(cal, from, to, &n, &err)) {
		calendar_free(cal);
		http_fail(req, &err);
		return;
	}
	char from_iso[DATE_ISO_LEN], to_iso[DATE_ISO_LEN];
	http_json(req, 200, json_pack("{ss ss si so}", "from", date_format(from, from_iso), "to",
				      date_format(to, to_iso), "working_days", n, "calendar",
				      calendar_json(cal, org)));
	calendar_free(cal);
}

static const char *kind_name(calendar_day_kind kind)
{
	switch (kind) {
	case CALENDAR_COMPUTED: return "bank_holiday";
	case CALENDAR_IMPORTED: return "imported";
	case CALENDAR_CLOSURE: return "closure";
	}
	return "bank_holiday";
}

void api_calendar_holidays(http_request *req)
{
	/* {year}, read once by the router: 0 when it is not a whole number */
	int64_t year = req->ids[0];
	if (year < 1 || year > 9999) {
		bad_parameter(req, "year", "must be a year (YYYY)");
		return;
	}
	if (year < CALENDAR_FIRST_YEAR || year > CALENDAR_LAST_YEAR) {
		http_error(req, 422, "invalid", "year", "the calendar covers %d to %d",
			   CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR);
		return;
	}
	const char *org;
	fh_calendar *cal = request_calendar(req, &org);
	if (!cal)
		return;
	const calendar_holiday *days = NULL;
	size_t count = 0;
	fh_error err = {0};
	if (calendar_holidays(cal, (int)year, &days, &count, &err)) {
		calendar_free(cal);
		http_fail(req, &err);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < count; i++) {
		char iso[DATE_ISO_LEN];
		json_array_append_new(list, json_pack("{ss ss ss}", "date",
						      date_format(days[i].date, iso), "name",
						      days[i].name, "kind", kind_name(days[i].kind)));
	}
	http_json(req, 200, json_pack("{sI so so}", "year", (json_int_t)year, "calendar",
				      calendar_json(cal, org), "holidays", list));
	calendar_free(cal);
}
