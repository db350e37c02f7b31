#!/usr/bin/env bash
# The monitoring report over HTTP (001 §4.3, §16; docs/api.md): the same
# report as `fairhearing report` in each format, with its Content-Type and
# Content-Disposition; the weekly, quarterly and annual presets; the
# anonymised version; who may read it (officers who see only their own
# cases may not: 403); and every refusal naming its parameter.
# usage: test_reports_api.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"
A=$(auth manager)
Q='from=2025-12-01&to=2026-11-30'

# --- the formats ------------------------------------------------------------------
http GET "/api/v1/orgs/bct/report?$Q&format=csv" -H "$A"
expect_eq "$code" 200 "csv: 200"
expect_contains "$headers" "Content-Type: text/csv; charset=utf-8" "csv: its media type"
expect_contains "$headers" 'Content-Disposition: attachment; filename="report-bct-2025-12-01-to-2026-11-30.csv"' \
  "csv: an attachment named by organisation and period"
# The same bytes as the command line's report on the same database.
"$fh" report --db "$db" --org bct --from 2025-12-01 --to 2026-11-30 --format csv --out "$tmp/cli.csv" 2>/dev/null
cmp -s "$tmp/body" "$tmp/cli.csv"; ok $? "the API's csv is the command line's csv, byte for byte"
want=$(fh_sql "$db" "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.kind = 'complaint' AND c.received_on BETWEEN '2025-12-01' AND '2026-11-30'")
got=$(tr -d '\r' <"$tmp/body" | awk -F, '$1 == "complaint" { print $2; exit }')
expect_eq "$got" "$want" "csv: complaints received match a direct count (001 §16.1)"

http GET "/api/v1/orgs/bct/report?$Q" -H "$A"
expect_eq "$code" 200 "html is the default: 200"
expect_contains "$headers" "Content-Type: text/html; charset=utf-8" "html: its media type"
expect_contains "$headers" 'Content-Disposition: inline; filename="report-bct-2025-12-01-to-2026-11-30.html"' \
  "html opens in the browser (inline)"
expect_contains "$body" "<h1>Birmingham Children's Trust: complaints" "html: the report's page"
expect_contains "$headers" "Cache-Control: no-store" "not kept in caches"

http GET "/api/v1/orgs/bct/report?$Q&format=xlsx" -H "$A"
expect_eq "$code" 200 "xlsx: 200"
expect_contains "$headers" "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" "xlsx: its media type"
expect_contains "$headers" 'filename="report-bct-2025-12-01-to-2026-11-30.xlsx"' "xlsx: its filename"
unzip -p "$tmp/body" xl/workbook.xml >"$tmp/book.xml" 2>/dev/null; ok $? "xlsx: the body is a workbook"
grep -q '<sheet name="responses"' "$tmp/book.xml"; ok $? "xlsx: with the responses sheet"

http GET "/api/v1/orgs/bct/report?$Q&format=pdf&anonymised=true" -H "$A"
expect_eq "$code" 200 "pdf: 200"
expect_contains "$headers" "Content-Type: application/pdf" "pdf: its media type"
expect_contains "$headers" 'filename="report-bct-2025-12-01-to-2026-11-30-anonymised.pdf"' "the anonymised version says so in its filename"
cp "$tmp/body" "$tmp/r.pdf"
expect_contains "$(pdfinfo "$tmp/r.pdf" 2>&1)" "(A4)" "pdf: valid and A4 (pdfinfo)"
! pdftotext "$tmp/r.pdf" - 2>/dev/null | grep -Eq '@[a-z]+\.demo'; ok $? "anonymised pdf: no email address"

# --- scope and presets ---------------------------------------------------------------
http GET "/api/v1/orgs/bct/report?$Q&format=csv&team=Fostering" -H "$(auth head)"
expect_eq "$code" 200 "a team's report for a Head of Service: 200"
expect_contains "$body" "team,Fostering" "names the team"
http GET "/api/v1/orgs/bct/report?period=quarter&on=2026-08-15&format=csv" -H "$(auth director)"
expect_eq "$code" 200 "a quarterly preset for leadership: 200"
expect_contains "$body" $'from,2026-07-01\r\nto,2026-09-30' "the quarter holding 2026-08-15"
http GET "/api/v1/orgs/bct/report?period=year&on=2026-11-23&format=csv" -H "$(auth admin)"
expect_contains "$body" $'from,2026-04-01\r\nto,2027-03-31' "the financial year holding 2026-11-23"
http GET "/api/v1/orgs/bct/report?period=week&format=csv" -H "$(auth complaints)"
expect_contains "$body" $'from,2026-11-23\r\nto,2026-11-29' "this week, Monday to Sunday, without on (today 2026-11-23)"

# --- who may read it --------------------------------------------------------------------
for login in adjudicator investigator independent panel reviewer; do
  http GET "/api/v1/orgs/bct/report?$Q&format=csv" -H "$(auth $login)"
  expect_eq "$code" 403 "an officer who sees only assigned cases ($login): 403"
done
http GET "/api/v1/orgs/bct/report?$Q&format=csv" -H "$(auth complaints bcp)"
expect_eq "$code" 404 "another organisation's complaints team: 404, as for no such organisation"
http GET "/api/v1/orgs/bct/report?$Q&format=csv"
expect_eq "$code" 401 "nobody signed in: 401"

# --- refusals: 4xx naming the parameter, never a crash ------------------------------------
refuse() { # refuse QUERY STATUS FIELD DESCRIPTION
  http GET "/api/v1/orgs/bct/report?$1" -H "$A"
  expect_eq "$code" "$2" "$4: $2"
  expect_eq "$(jq -r .error.field <<<"$body")" "$3" "$4: names $3"
}
refuse "to=2026-11-30" 400 from "no from"
refuse "from=2026-01-01" 400 to "no to"
refuse "from=2026-02-30&to=2026-03-01" 400 from "an impossible date"
refuse "from=2026-03-01&to=2026-02-01" 422 from "from after to"
refuse "from=1970-01-01&to=1970-12-31" 422 from "outside the calendar's years"
refuse "$Q&format=docx" 400 format "an unknown format"
refuse "$Q&anonymised=yes" 400 anonymised "anonymised neither true nor false"
refuse "$Q&team=No%20Such%20Team" 404 team "an unknown team"
refuse "$Q&team=" 400 team "an empty team"
refuse "period=month" 400 period "an unknown period"
refuse "period=week&from=2026-01-01" 400 period "a period and from together"
refuse "on=2026-01-01&$Q" 400 on "on without a period"
refuse "period=year&on=soon" 400 on "a period on a day that is not a date"
refuse "$Q&kind=yearly" 400 kind "an unknown kind of report"
refuse "$Q&kind=annual&team=Fostering" 400 team "a team with the annual report (the whole organisation)"

# --- the annual report (issue 19 item 3): the command line's, over HTTP ---------------
http GET "/api/v1/orgs/bct/report?$Q&kind=annual&format=csv" -H "$A"
expect_eq "$code" 200 "annual csv: 200"
expect_contains "$headers" 'Content-Disposition: attachment; filename="annual-report-bct-2025-12-01-to-2026-11-30.csv"' \
  "annual csv: named as the annual report"
"$fh" report --kind annual --db "$db" --org bct --from 2025-12-01 --to 2026-11-30 --format csv --out "$tmp/cli-annual.csv" 2>/dev/null
cmp -s "$tmp/body" "$tmp/cli-annual.csv"; ok $? "the API's annual csv is the command line's, byte for byte"
expect_contains "$(cat "$tmp/body")" "table,annual_timescales," "annual csv: the timescales table"

done_testing
