#!/usr/bin/env bash
# The calendar over HTTP: adding working days, weeks and calendar days,
# counting working days between two dates, and a year's holidays, for the
# default region and for an organisation with its own closure days; the
# refusals (missing and malformed parameters 400, out of the calendar's
# range 422, another tenant's organisation 404, nobody signed in 401).
# usage: test_calendar_api.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"
A=$(auth complaints)

# --- adding -------------------------------------------------------------------
# Friday 18 December 2026: Christmas Day is a Friday, Boxing Day a Saturday
# with its substitute on Monday 28th, so five working days end on the 29th.
http GET "/api/v1/calendar/add?date=2026-12-18&n=5&unit=working-days" -H "$A"
expect_eq "$code" 200 "add working days: 200"
expect_eq "$(jq -r .result <<<"$body")" 2026-12-29 "5 working days after 2026-12-18 skip Christmas and the Boxing Day substitute"
expect_eq "$(jq -r '.calendar.region + " " + (.calendar.org|tostring)' <<<"$body")" "england-and-wales null" \
  "without org, the default region's calendar answers"
http GET "/api/v1/calendar/add?date=2026-12-18&n=5" -H "$A"
expect_eq "$(jq -r '.unit + " " + .result' <<<"$body")" "working-days 2026-12-29" "the unit defaults to working days"
http GET "/api/v1/calendar/add?date=2026-12-18&n=3&unit=weeks" -H "$A"
expect_eq "$(jq -r .result <<<"$body")" 2027-01-08 "3 weeks are 21 calendar days"
http GET "/api/v1/calendar/add?date=2026-12-18&n=14&unit=calendar-days" -H "$A"
expect_eq "$(jq -r .result <<<"$body")" 2027-01-01 "14 calendar days ignore holidays"
http GET "/api/v1/calendar/add?date=2026-12-29&n=-5" -H "$A"
expect_eq "$(jq -r .result <<<"$body")" 2026-12-18 "a negative n counts back"

# --- an organisation's closure days -------------------------------------------
"$fh" calendar closure add --db "$db" --org bct 2026-12-24 "Christmas shutdown" >/dev/null 2>&1
ok $? "a bct closure day on 2026-12-24 (fairhearing calendar closure add)"
http GET "/api/v1/calendar/add?date=2026-12-18&n=5&org=bct" -H "$A"
expect_eq "$code" 200 "add with org=bct: 200"
expect_eq "$(jq -r .result <<<"$body")" 2026-12-30 "bct's closure day moves the answer a day later"
expect_eq "$(jq -r .calendar.org <<<"$body")" bct "the answer says whose calendar it used"
http GET "/api/v1/calendar/add?date=2026-12-18&n=5&org=bcp" -H "$A"
expect_eq "$code" 404 "another tenant's calendar is 404"
expect_eq "$(jq -r .error.field <<<"$body")" org "... naming org"
http GET "/api/v1/calendar/add?date=2026-12-18&n=5&org=bcp" -H "$(auth complaints bcp)"
expect_eq "$(jq -r .result <<<"$body")" 2026-12-29 "bcp's calendar has no bct closure day"
http GET "/api/v1/calendar/add?date=2026-12-18&n=5&org=nosuch" -H "$A"
expect_eq "$code" 404 "an unknown organisation is 404"

# --- between ---------------------------------------------------------------------
http GET "/api/v1/calendar/between?from=2026-12-18&to=2026-12-29" -H "$A"
expect_eq "$code" 200 "between: 200"
expect_eq "$(jq -r .working_days <<<"$body")" 5 "5 working days after 2026-12-18 up to 2026-12-29"
http GET "/api/v1/calendar/between?from=2026-12-29&to=2026-12-18" -H "$A"
expect_eq "$(jq -r .working_days <<<"$body")" -5 "between is negative backwards"
http GET "/api/v1/calendar/between?from=2026-12-18&to=2026-12-29&org=bct" -H "$A"
expect_eq "$(jq -r .working_days <<<"$body")" 4 "bct's closure day is not a working day"

# --- holidays ----------------------------------------------------------------------
http GET /api/v1/calendar/holidays/2026 -H "$A"
expect_eq "$code" 200 "holidays: 200"
expect_eq "$(jq -r '.holidays | length' <<<"$body")" 8 "eight bank holidays in 2026"
expect_eq "$(jq -r '[.holidays[] | select(.date == "2026-12-28")][0].kind' <<<"$body")" bank_holiday \
  "the Boxing Day substitute is a bank holiday"
http GET "/api/v1/calendar/holidays/2026?org=bct" -H "$A"
expect_eq "$(jq -r '[.holidays[] | select(.date == "2026-12-24")][0] | .kind + " " + .name' <<<"$body")" \
  "closure Christmas shutdown" "with org, the organisation's closure days are listed"
http GET /api/v1/calendar/holidays/2026 -H "$(auth investigator)"
expect_eq "$code" 200 "any signed-in role may use the calendar"

# --- refusals ------------------------------------------------------------------------
check_error() { # check_error PATH STATUS FIELD DESCRIPTION
  http GET "$1" -H "$A"
  expect_eq "$code $(jq -r '.error.field' <<<"$body")" "$2 $3" "$4"
}
check_error "/api/v1/calendar/add?n=5" 400 date "add without date: 400 naming date"
check_error "/api/v1/calendar/add?date=2026-02-30&n=5" 400 date "an impossible date: 400 naming date"
check_error "/api/v1/calendar/add?date=2026-12-18" 400 n "add without n: 400 naming n"
check_error "/api/v1/calendar/add?date=2026-12-18&n=five" 400 n "n not a number: 400 naming n"
check_error "/api/v1/calendar/add?date=2026-12-18&n=99999" 400 n "n beyond the limit: 400 naming n"
check_error "/api/v1/calendar/add?date=2026-12-18&n=5&unit=fortnights" 400 unit "an unknown unit: 400 naming unit"
check_error "/api/v1/calendar/add?date=2026-12-18&n=5&unit=years" 400 unit "years are not a calendar unit here"
check_error "/api/v1/calendar/add?date=1970-01-01&n=5" 422 date "a date before the calendar: 422 naming date"
check_error "/api/v1/calendar/add?date=2099-12-01&n=40000" 422 n "an answer beyond the calendar: 422 naming n"
check_error "/api/v1/calendar/between?to=2026-12-18" 400 from "between without from: 400 naming from"
check_error "/api/v1/calendar/between?from=2026-12-18&to=soon" 400 to "to not a date: 400 naming to"
check_error "/api/v1/calendar/between?from=2026-12-18&to=2100-01-04" 422 to "to beyond the calendar: 422 naming to"
check_error /api/v1/calendar/holidays/next 400 year "a year that is not a number: 400 naming year"
check_error /api/v1/calendar/holidays/1900 422 year "a year outside the calendar: 422 naming year"
http GET /api/v1/calendar/holidays/2026
expect_eq "$code" 401 "nobody signed in: 401"
http POST /api/v1/calendar/holidays/2026 -H "$A"
expect_eq "$code" 405 "the calendar is read-only: 405"

done_testing
