#!/usr/bin/env bash
# The pages added for letters, exports and reports (src/web/staff_letters.c,
# web_letters.c, staff_reports.c, staff_feed.c), over HTTP with curl and a
# cookie jar: a letter issued on the case page, a refusal naming what is
# missing (docs/letters.md) with the form kept and nothing written, the
# tracking link's letters (the token is the credential: a wrong one, another
# organisation's or another case's letter is 404) and their reads logged, who
# may issue and export, the reports page's refusals naming the field, its
# downloads, and My work's calendar section.
# usage: test_letter_pages.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/tap.sh"
. "$here/lib.sh"
server_setup "$fh"

count() { fh_sql "$db" "$1"; }
expect_not_contains() { # expect_not_contains HAYSTACK NEEDLE DESCRIPTION
  case "$1" in *"$2"*) ok 1 "$3"; diag "'$2' found" ;; *) ok 0 "$3" ;; esac
}

sign_in co complaints@bct.demo
expect_eq "$code" 303 "the complaints team signs in"

# A case whose stage 1 has been answered (a stage response can be written) and
# one still waiting for its findings (it cannot).
answered=$(fh_json_pick "$db" "SELECT c.reference, l.state FROM cases c JOIN case_lifecycle l ON l.case_id = c.id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND c.state = 'open' ORDER BY c.id" \
  '.stages[-1].status == "responded"')
waiting=$(fh_json_pick "$db" "SELECT c.reference, l.state FROM cases c JOIN case_lifecycle l ON l.case_id = c.id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND c.state = 'open'
  AND EXISTS (SELECT 1 FROM complaint_points p WHERE p.case_id = c.id
              AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.point_id = p.id)) ORDER BY c.id" \
  '.stages[-1].status == "active"')
[ -n "$answered" ] && [ -n "$waiting" ]; ok $? "demo cases to write to ($answered answered, $waiting waiting)"

# ---- the case page's Letters section -------------------------------------------
page co GET "/staff/cases/$answered"
expect_contains "$body" '<h2 id="letters">Letters</h2>' "the case page has a Letters section"
expect_contains "$body" "/staff/cases/$answered/letters/new\">Issue a letter" "... offering the complaints team to issue one"
expect_contains "$body" "/api/v1/cases/$answered/file\">Download the case file" "... and the case file for the Ombudsman"

page co GET "/staff/cases/$answered/letters/new"
expect_eq "$code" 200 "the letter form opens"
expect_contains "$body" 'value="stage_response"' "it offers the kinds of letter"
expect_contains "$body" 'value="child"' "and the child-friendly version BCT offers (its letters.json)"
t=$(token)

# A refusal: the findings are not recorded yet.  Nothing is written.
before=$(count "SELECT count(*) FROM letters")
events=$(count "SELECT count(*) FROM events")
page co POST "/staff/cases/$waiting/letters" --data-urlencode "csrf_token=$t" \
  -d 'kind=stage_response&variant=standard&stage='
expect_eq "$code" 422 "a stage response before the findings is refused (422)"
expect_contains "$body" "There is a problem" "... with the error summary"
expect_contains "$body" "no finding on point" "... naming what is missing (DOMAIN §4)"
expect_contains "$body" 'href="#kind"' "... linked to the choice of letter"
expect_contains "$body" 'value="stage_response" checked' "... and the form kept as it was sent"
expect_eq "$(count "SELECT count(*) FROM letters")" "$before" "... and no letter recorded"
expect_eq "$(count "SELECT count(*) FROM events")" "$events" "... and no event"

page co POST "/staff/cases/$answered/letters" --data-urlencode "csrf_token=$t" \
  -d 'kind=acknowledgement&variant=standard&behaviour=Shouting'
expect_eq "$code" 422 "a value the kind does not take is refused (422)"
expect_contains "$body" 'href="#behaviour"' "... linked to that field"
expect_contains "$body" 'Shouting</textarea>' "... which keeps what was typed"

page co POST "/staff/cases/$answered/letters" --data-urlencode "csrf_token=$t" -d 'kind=&variant=standard'
expect_eq "$code" 422 "no kind chosen is refused (422)"
expect_contains "$body" "Choose which letter to issue" "... saying what to do"
page co POST "/staff/cases/$answered/letters" --data-urlencode "csrf_token=$t" -d 'kind=stage_response&stage=9'
expect_eq "$code" 422 "a stage that is not 1 to 3 is refused (422)"
expect_contains "$body" 'href="#stage"' "... naming the stage"

page co POST "/staff/cases/$answered/letters" -d 'kind=stage_response&variant=standard'
expect_eq "$code" 403 "issuing without the CSRF token is refused (403)"

# Issued: the letter's page, logged.
page co POST "/staff/cases/$answered/letters" --data-urlencode "csrf_token=$t" \
  -d 'kind=stage_response&variant=plain&stage='
expect_eq "$code" 303 "a stage response is issued (303)"
letter=$(count "SELECT max(l.id) FROM letters l JOIN cases c ON c.id = l.case_id WHERE c.reference = '$answered'")
expect_contains "$headers" "Location: /staff/cases/$answered/letters/$letter?issued=1" "... and goes to the letter"
expect_eq "$(count "SELECT kind || ' ' || variant || ' ' || issued_by FROM letters WHERE id = $letter")" \
  "stage_response plain complaints@bct.demo" "it is recorded as chosen, by who issued it"
page co GET "/staff/cases/$answered/letters/$letter?issued=1"
expect_eq "$code" 200 "the letter's page opens"
expect_contains "$body" '<article class="letter">' "it shows the letter in the page"
expect_contains "$body" "the letter is issued" "... saying it was issued"
expect_contains "$body" "/api/v1/cases/$answered/letters/$letter?format=pdf" "... with its PDF"
expect_eq "$(count "SELECT count(*) FROM access_log WHERE detail = 'letter $letter html'")" 1 \
  "reading it in the page is in the access log"
page co GET "/api/v1/cases/$answered/letters/$letter?format=pdf" 2>/dev/null
expect_eq "$code" 200 "the letter's PDF link works with the page's sign-in"
expect_contains "$headers" "Content-Type: application/pdf" "... and is a PDF"
page co GET "/api/v1/cases/$answered/file" 2>/dev/null
expect_eq "$code" 200 "so does the case file link"
expect_contains "$headers" "Content-Type: application/pdf" "... a PDF for the Ombudsman"
page co GET "/staff/cases/$answered/letters/999999"
expect_eq "$code" 404 "a letter that is not on the case is 404"
page co GET "/staff/cases/$answered"
expect_contains "$body" "/staff/cases/$answered/letters/$letter\">Stage response" "the case page lists it"

# Who may: an Independent Person assigned to a case sees its letters but does not write them.
ip_case=$(count "SELECT c.reference FROM case_assignments a JOIN cases c ON c.id = a.case_id
  JOIN users u ON u.id = a.user_id WHERE u.email = 'independent@bct.demo' AND a.ended_at IS NULL LIMIT 1" 2>/dev/null)
if [ -n "$ip_case" ]; then
  sign_in ip independent@bct.demo
  page ip GET "/staff/cases/$ip_case"
  expect_not_contains "$body" "Issue a letter" "an Independent Person is not offered to issue a letter"
  expect_not_contains "$body" "Download the case file" "... nor the case file (the API's exporters)"
  page ip GET "/staff/cases/$ip_case/letters/new"
  expect_eq "$code" 403 "... and the form refuses them (403)"
else
  ok 0 "an Independent Person's case # SKIP none assigned in the demo"
fi

# ---- the tracking page -----------------------------------------------------------
known=fhl_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | cut -c1-43)
count "INSERT INTO case_tracking (case_id, token_hash, created_at) SELECT id,
  $(fh_blob "$(printf %s "$known" | b2sum -l 256 | cut -c1-64)"), '2026-11-23T09:00:00Z' FROM cases WHERE reference = '$answered'"
http GET "/o/bct/track/$known"
expect_eq "$code" 200 "the tracking link opens the case"
expect_contains "$body" "Letters we have sent you" "it lists the letters sent"
expect_contains "$body" "/o/bct/track/$known/letters/$letter\"" "... linking the one just issued"
expect_contains "$body" "Plain language" "... with its version"
http GET "/o/bct/track/$known/letters/$letter"
expect_eq "$code" 200 "the letter opens through the tracking link"
expect_contains "$body" '<article class="letter">' "... in the page"
expect_eq "$(count "SELECT count(*) FROM access_log WHERE case_id = (SELECT id FROM cases WHERE reference = '$answered')
  AND what = 'document' AND detail = 'letter $letter html, private tracking link'")" 1 "... and the read is logged"
http GET "/o/bct/track/$known/letters/$letter?format=pdf" 2>/dev/null
cp "$tmp/body" "$tmp/l.pdf"
expect_eq "$code" 200 "its PDF downloads"
pdfinfo "$tmp/l.pdf" >/dev/null 2>&1; ok $? "... and is a PDF (pdfinfo)"
expect_eq "$(count "SELECT count(*) FROM access_log WHERE detail = 'letter $letter pdf, private tracking link'")" 1 \
  "... logged as a read"
other=$(count "SELECT min(l.id) FROM letters l JOIN cases c ON c.id = l.case_id WHERE c.reference <> '$answered'")
if [ -z "$other" ]; then
  "$fh" letter issue --db "$db" --case "$waiting" --kind acknowledgement >/dev/null 2>&1
  other=$(count "SELECT min(l.id) FROM letters l JOIN cases c ON c.id = l.case_id WHERE c.reference <> '$answered'")
fi
http GET "/o/bct/track/$known/letters/$other"
expect_eq "$code" 404 "another case's letter through this link is 404 ($other)"
http GET "/o/bct/track/${known}x/letters/$letter"
expect_eq "$code" 404 "a wrong token is 404"
http GET "/o/bcp/track/$known/letters/$letter"
expect_eq "$code" 404 "the link under another organisation is 404"
http GET "/o/bct/track/$known/letters/one"
expect_eq "$code" 404 "a letter id that is not a number is 404"
http GET "/o/bct/track/$known/letters/$letter?format=docx"
expect_eq "$code" 400 "a format other than html or pdf is 400"
expect_contains "$body" "format must be html or pdf" "... saying which"

# ---- the reports page ------------------------------------------------------------
page co GET /staff/work
expect_contains "$body" 'href="/staff/reports">Reports' "the navigation links the reports for the complaints team"
expect_contains "$body" "Your deadlines in your calendar" "My work explains the deadlines feed"
expect_contains "$body" "/api/v1/calendar/deadlines.ics?token=" "... with its address"
expect_contains "$body" "fairhearing token create --scope feed --user complaints@bct.demo" "... and how a feed token is made"
expect_contains "$body" 'href="/staff/tokens"' "... linking Your API tokens (issue 16 item 9)"
page co GET /staff/reports
expect_eq "$code" 200 "the reports page opens"
page co GET "/staff/reports?org=bct&period=year&format=html"
expect_eq "$code" 200 "the year's report shows in the page"
expect_contains "$body" '<section id="remedies">' "... with its tables"
page co GET "/staff/reports?org=bct&period=dates&from=2026-02-30&to=2026-03-31"
expect_eq "$code" 422 "an impossible date is refused (422)"
expect_contains "$body" 'href="#from"' "... naming the field"
expect_contains "$body" 'value="2026-02-30"' "... and keeping what was typed"
page co GET "/staff/reports?org=bct&period=dates&from=2026-03-31&to=2026-03-01"
expect_eq "$code" 422 "a period that ends before it starts is refused (422)"
page co GET "/staff/reports?org=bct&period=fortnight"
expect_eq "$code" 422 "an unknown period is refused (422)"
expect_contains "$body" 'href="#period"' "... naming it"
page co GET "/staff/reports?org=bct&period=year&team=Nowhere"
expect_eq "$code" 422 "an unknown team is refused (422)"
expect_contains "$body" 'href="#team"' "... naming it"
page co GET "/staff/reports?org=bct&period=year&format=odt"
expect_eq "$code" 422 "an unknown format is refused (422)"
page co GET "/staff/reports?org=bcp&period=year"
expect_eq "$code" 404 "another organisation's report is 404"
page co GET "/staff/reports?org=bct&period=year&format=csv&anonymised=true"
expect_eq "$code" 200 "the anonymised CSV downloads"
expect_contains "$headers" 'attachment; filename="report-bct-2026-04-01-to-2027-03-31-anonymised.csv"' "... as a file named for it"
expect_contains "$body" "table,remedies,Remedies and payments" "... with the remedies table"
page co GET "/staff/reports?org=bct&period=quarter&format=xlsx" 2>/dev/null
cp "$tmp/body" "$tmp/r.xlsx"
unzip -tq "$tmp/r.xlsx" >/dev/null 2>&1; ok $? "the XLSX downloads and opens as a workbook"
# issue 19 item 3: the annual report is a choice of the same form
page co GET /staff/reports
expect_contains "$body" 'name="kind" type="radio" value="annual"' "the form offers the annual report (issue 19 item 3)"
page co GET "/staff/reports?org=bct&kind=annual&period=year&format=html"
expect_eq "$code" 200 "the annual report shows in the page"
expect_contains "$body" "Annual complaints performance and service improvement report</h2>" "... under its title"
expect_contains "$body" '<section id="annual_timescales">' "... with its timescales table"
expect_contains "$body" 'id="chart-ontime"' "... and its chart"
page co GET "/staff/reports?org=bct&kind=annual&period=year&team=Fostering"
expect_eq "$code" 422 "the annual report for a team is refused (422)"
expect_contains "$body" 'href="#team"' "... naming the team field"
page co GET "/staff/reports?org=bct&kind=yearly&period=year"
expect_eq "$code" 422 "an unknown kind of report is refused (422)"
expect_contains "$body" 'href="#kind"' "... naming it"
page co GET "/staff/reports?org=bct&kind=annual&period=year&format=csv"
expect_eq "$code" 200 "the annual CSV downloads"
expect_contains "$headers" 'attachment; filename="annual-report-bct-2026-04-01-to-2027-03-31.csv"' "... named as the annual report"

sign_in adj adjudicator@bct.demo
page adj GET /staff/work
expect_not_contains "$body" 'href="/staff/reports"' "an adjudicating officer has no Reports link"
page adj GET /staff/reports
expect_eq "$code" 403 "... and the page refuses them (403), as the API does"

done_testing
