#!/usr/bin/env bash
# The self-assessment against the Ombudsman's Complaint Handling Code
# (issue 19 item 4; docs/reports.md "The self-assessment"; docs/api.md):
# the API's GET and PUT per year, one answer, starting a year from last
# year's; the staff page and its forms (CSRF, the refusal naming the field,
# the carried-over mark); who may read and who may answer; the audit event
# of each save; and the section it prints inside the annual report (HTML,
# PDF by pdftotext, CSV, XLSX).  The example council adopted the Code.
# usage: test_assessment.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"
for login in manager head investigator complaints; do
  "$fh" token create --db "$db" --user "$login@example.demo" --name test >"$tmp/token.$login.example" 2>"$tmp/token.err" ||
    { echo "Bail out! token create failed: $(<"$tmp/token.err")"; exit 1; }
done
M=$(auth manager example)
J='Content-Type: application/json'
P=/api/v1/orgs/example/self-assessment

# --- reading it ---------------------------------------------------------------------------
http GET "$P/2026" -H "$M"
expect_eq "$code" 200 "GET a year: 200 (issue 19 item 4)"
expect_eq "$(jq -r '.year_name, .template.code, .answered' <<<"$body" | tr '\n' ' ')" "2026-27 lgsco-code-2024 0 " \
  "the year, the template for it, nothing answered yet"
expect_eq "$(jq -r '[.requirements[].section] | unique | length' <<<"$body")" 10 "every section of the Code (1 to 9, Stage 1 and Stage 2 apart)"
computed=$(jq -r '.requirements[] | select(.id == "6.2") | .computed_evidence' <<<"$body")
expect_contains "$computed" "Stage 1 acknowledged within 5 working days: " "LGSCO Code §6.2: the evidence from the records"
n62=$(jq -r '.requirements[] | select(.id == "6.2") | .n' <<<"$body")
# the same words as the annual report's, from the same count
"$fh" report --kind annual --db "$db" --org example --from 2026-04-01 --to 2027-03-31 --format csv --out "$tmp/annual.csv" 2>/dev/null
grep -qF "$computed" "$tmp/annual.csv"; ok $? "the API's evidence is the annual report's (one count, issue 19 item 4)"
http GET "$P/2026" -H "$(auth head example)"
expect_eq "$code" 200 "a head of service reads it"
http GET "$P/2026" -H "$(auth investigator example)"
expect_eq "$code" 403 "an officer who sees only assigned cases does not: 403"
http GET "$P/2026" -H "$(auth manager)"
expect_eq "$code" 404 "another organisation's manager: 404"
http GET "$P/1999" -H "$M"
expect_eq "$code" 400 "a year out of range: 400"
expect_eq "$(jq -r .error.field <<<"$body")" year "naming year"

# --- answering ------------------------------------------------------------------------------
http PUT "$P/2026" -H "$M" -H "$J" -d '{"answers": [{"requirement": "6.2", "complies": "partly", "evidence": "Monthly audit"}]}'
expect_eq "$code" 422 "partly without an action: 422 (issue 19 item 4)"
expect_eq "$(jq -r .error.field <<<"$body")" "answers[0].action" "naming answers[0].action"
http PUT "$P/2026" -H "$M" -H "$J" -d '{"answers": [{"requirement": "6.2", "complies": "no", "action": "Log on the day", "owner": "Complaints manager", "due_on": "2026-02-30"}]}'
expect_eq "$code" 422 "a target date that is no date: 422"
expect_eq "$(jq -r .error.field <<<"$body")" "answers[0].due_on" "naming answers[0].due_on"
http PUT "$P/2026" -H "$M" -H "$J" -d '{"answers": [{"requirement": "6.2", "complies": "sometimes"}]}'
expect_eq "$(jq -r .error.field <<<"$body")" "answers[0].complies" "complies is yes, no or partly"
http PUT "$P/2026" -H "$M" -H "$J" -d '{"answers": [{"requirement": "77.7", "complies": "yes"}]}'
expect_eq "$(jq -r .error.field <<<"$body")" "answers[0].requirement" "an unknown requirement is named"
events=$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'self_assessment_saved'")
expect_eq "$events" 0 "nothing refused was kept"
http PUT "$P/2026" -H "$M" -H "$J" -d '{"answers": [{"requirement": "1.4", "complies": "yes", "evidence": "Policy §2"},
  {"requirement": "6.2", "complies": "partly", "evidence": "Monthly audit", "action": "Acknowledge on the day of receipt",
   "owner": "Complaints manager", "due_on": "2026-09-30"}]}'
expect_eq "$code" 200 "two answers saved: 200"
expect_eq "$(jq -r '.answered' <<<"$body")" 2 "both kept"
expect_eq "$(jq -r '.requirements[] | select(.id == "6.2") | .answer | [.complies, .owner, .due_on, .updated_by] | join(" ")' <<<"$body")" \
  "partly Complaints manager 2026-09-30 manager@example.demo" "the answer as saved, and who saved it"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'self_assessment_saved'")" 1 "one audit event for the save"
expect_eq "$(jq -r '.requirements[] | select(.id == "6.2") | .cites' <<<"$body")" "§6.2" \
  "LGSCO Code §6.2: a requirement cites the Code's paragraph"
expect_eq "$(jq -r '.requirements[] | select(.id == "6b2") | .cites' <<<"$body")" "§6, Stage 2 (who considers it)" \
  "LGSCO Code §6, Stage 2: a paragraph not checked is cited by its section only"
http PUT "$P/2026" -H "$(auth head example)" -H "$J" -d '{"answers": [{"requirement": "1.4", "complies": "yes"}]}'
expect_eq "$code" 403 "a head of service reads but does not answer: 403"
http PUT "$P/2026/requirements/1" -H "$(auth complaints example)" -H "$J" -d '{"complies": "no"}'
expect_eq "$code" 422 "one answer (the complaints manager): no without an action is refused"
expect_eq "$(jq -r .error.field <<<"$body")" action "naming action"
http PUT "$P/2026/requirements/99" -H "$M" -H "$J" -d '{"complies": "yes"}'
expect_eq "$code" 404 "a requirement the template does not have: 404"

# --- the next year, from this one ----------------------------------------------------------
http POST "$P/2027/start" -H "$M"
expect_eq "$code" 201 "starting 2027-28 from 2026-27: 201"
expect_eq "$(jq -r '.answered, .carried_over' <<<"$body" | tr '\n' ' ')" "2 2 " "both answers copied in, carried over"
expect_eq "$(jq -r '.requirements[] | select(.id == "6.2") | .answer | [.complies, .action, (.carried_over|tostring)] | join("|")' <<<"$body")" \
  "partly|Acknowledge on the day of receipt|true" "last year's answer, marked carried over"
http POST "$P/2027/start" -H "$M"
expect_eq "$code" 409 "started once only: 409"
http POST "$P/2031/start" -H "$M"
expect_eq "$code" 404 "no year before to start from: 404"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'self_assessment_started'")" 1 "the start's audit event"

# --- the staff page ---------------------------------------------------------------------------
sign_in mgr manager@example.demo
page mgr GET /staff/orgs/example/self-assessment/2027
expect_eq "$code" 200 "the staff page: 200"
expect_contains "$body" "<h1>Self-assessment against the Code, 2027-28</h1>" "its heading names the year"
expect_contains "$body" "Partly (carried over from 2026-27: not yet confirmed)" "a carried-over answer is marked"
expect_contains "$body" "2 carried over from 2026-27 and not yet confirmed" "and counted"
expect_contains "$body" 'name="assessment'"$n62"'-complies" type="radio" value="partly" checked' "the form starts from the answer kept"
t=$(token)
page mgr POST "/staff/orgs/example/self-assessment/2027/requirements/$n62" --data-urlencode "csrf_token=$t" \
  --data-urlencode "assessment$n62-complies=no" --data-urlencode "assessment$n62-owner=Complaints manager"
expect_eq "$code" 422 "no without an action, on the page: 422"
expect_contains "$body" "Action is required where the answer is no" "the error names the field and the rule"
expect_contains "$body" 'href="#assessment'"$n62"'-action"' "the error summary links to the field"
expect_contains "$body" 'value="Complaints manager"' "the form keeps what was typed"
page mgr POST "/staff/orgs/example/self-assessment/2027/requirements/$n62" --data-urlencode "csrf_token=forged" \
  --data-urlencode "assessment$n62-complies=yes"
expect_eq "$code" 403 "a forged CSRF token: 403"
page mgr POST "/staff/orgs/example/self-assessment/2027/requirements/$n62" --data-urlencode "csrf_token=$t" \
  --data-urlencode "assessment$n62-complies=yes" --data-urlencode "assessment$n62-evidence=Logged the same day since May"
expect_eq "$code" 303 "a good answer: 303 back to the page"
expect_contains "$headers" "Location: /staff/orgs/example/self-assessment/2027?done=assessment#assessment$n62" "to the answer saved"
page mgr GET "/staff/orgs/example/self-assessment/2027?done=assessment"
expect_contains "$body" "Done: Save this answer." "the page says it was saved"
expect_contains "$body" "1 carried over from 2026-27" "the saved answer is no longer carried over"
sign_in hos head@example.demo
page hos GET /staff/orgs/example/self-assessment/2027
expect_eq "$code" 200 "a head of service reads the page"
! grep -q 'name="assessment1-complies"' <<<"$body"; ok $? "without the forms"
expect_contains "$body" "Logged the same day since May" "but with the answers"
sign_in inv investigator@example.demo
page inv GET /staff/orgs/example/self-assessment/2027
expect_eq "$code" 403 "an officer who sees only assigned cases: 403"

# --- inside the annual report -------------------------------------------------------------
R="/api/v1/orgs/example/report?kind=annual&from=2026-04-01&to=2027-03-31"
http GET "$R&format=pdf" -H "$M"
expect_eq "$code" 200 "the annual report as PDF: 200"
cp "$tmp/body" "$tmp/annual.pdf"
pdftotext "$tmp/annual.pdf" "$tmp/annual.txt" 2>/dev/null
text=$(tr -s ' \n' ' ' <"$tmp/annual.txt")
expect_contains "$text" "Self-assessment against the Code, 2026-27" "PDF: the self-assessment section (pdftotext)"
expect_contains "$text" "Acknowledge on the day of receipt" "PDF: the action"
expect_contains "$text" "Monthly audit" "PDF: the evidence entered"
http GET "$R&format=html" -H "$M"
expect_contains "$body" "Self-assessment against the Code, 2026-27" "HTML: the section"
expect_contains "$body" "Acknowledge on the day of receipt (Complaints manager, by 2026-09-30)" "HTML: the action, its owner and date"
expect_contains "$body" "$computed" "HTML: the evidence from the records"
http GET "$R&format=csv" -H "$M"
expect_contains "$body" "table,annual_self_assessment," "CSV: its section"
http GET "$R&format=xlsx" -H "$M"
unzip -p "$tmp/body" xl/workbook.xml >"$tmp/book.xml" 2>/dev/null
grep -q 'name="annual_self_assessment"' "$tmp/book.xml"; ok $? "XLSX: its sheet"

done_testing
