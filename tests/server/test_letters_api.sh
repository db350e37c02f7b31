#!/usr/bin/env bash
# Letters over the API: issue one (refused with 422 naming what is missing,
# 400 for a malformed body), list them, fetch one as JSON, HTML and PDF;
# every read in the access log (docs/api.md "Letters").
# usage: test_letters_api.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"

json=(-H 'Content-Type: application/json')
http POST /api/v1/cases -H "$(auth complaints)" "${json[@]}" -d '{
  "org": "bct", "kind": "complaint", "channel": "email", "received_on": "2026-11-16",
  "summary": "Sibling contact cancelled",
  "parties": [{"role": "complainant", "relationship": "self", "child_status": "looked_after",
    "person": {"given_name": "Amira", "family_name": "Khan <b>", "address": "1 Hill St, Birmingham"}}],
  "points": [{"summary": "Contact cancelled twice", "desired_outcome": "Contact restored"}]}'
expect_eq "$code" 201 "a case to write to"
ref=$(jq -r .reference <<<"$body")

issue() { http POST "/api/v1/cases/$ref/letters" -H "$(auth "${2:-complaints}")" "${json[@]}" -d "$1"; }

issue '{"kind": "acknowledgement"}'
expect_eq "$code" 422 "an acknowledgement before acceptance is refused"
expect_eq "$(jq -r .error.field <<<"$body")" letter "the refusal names the letter"
expect_contains "$(jq -r .error.message <<<"$body")" "accept it first" "and says what is missing"

for step in '"acknowledge", {"on": "2026-11-17"}' '"triage", {"on": "2026-11-17"}' '"accept", {"on": "2026-11-18"}'; do
  action=$(jq -r '.[0]' <<<"[$step]")
  params=$(jq -c '.[1]' <<<"[$step]")
  http POST "/api/v1/cases/$ref/actions/$action" -H "$(auth complaints)" "${json[@]}" -d "$params"
  expect_eq "$code" 200 "$action"
done

issue '{"kind": "acknowledgement", "colour": "red"}'
expect_eq "$code" 422 "an unknown field (docs/api.md Conventions)"; expect_eq "$(jq -r .error.field <<<"$body")" colour "is named"
issue '{"kind": "acknowledgement", "stage": 7}'
expect_eq "$code" 422 "a stage out of range"
issue '{"variant": "plain"}'
expect_eq "$code" 422 "a letter without its kind"; expect_eq "$(jq -r .error.field <<<"$body")" kind "names the kind"
issue '{"kind": "acknowledgement", "variant": "fancy"}'
expect_eq "$code" 422 "an unknown variant"; expect_eq "$(jq -r .error.field <<<"$body")" variant "is named"
issue '{"kind": "behaviour_warning", "values": {"behaviour": "Calls"}}'
expect_eq "$code" 422 "a warning without its evidence"
expect_contains "$(jq -r .error.message <<<"$body")" "evidence" "names the evidence"

issue '{"kind": "acknowledgement", "dry_run": true}'
expect_eq "$code" 200 "a dry run"; expect_eq "$(jq -r .recorded <<<"$body")" false "records nothing"
issue '{"kind": "acknowledgement"}'
expect_eq "$code" 201 "the acknowledgement is issued"
id=$(jq -r .id <<<"$body")
expect_eq "$(jq -r .document.subject <<<"$body")" "Your complaint: we have received it" "with its subject"
expect_contains "$headers" "Location: /api/v1/cases/$ref/letters/$id" "and its Location"
issue '{"kind": "acknowledgement", "variant": "child"}'
expect_eq "$code" 201 "a child-friendly version (BCT offers one)"

http GET "/api/v1/cases/$ref/letters" -H "$(auth manager)"
expect_eq "$code" 200 "the list"
expect_eq "$(jq -r '[.letters[].kind] | join(",")' <<<"$body")" "acknowledgement,acknowledgement" "lists both letters"
expect_eq "$(jq -r '.letters[1].variant' <<<"$body")" child "with their variants"

http GET "/api/v1/cases/$ref/letters/$id?format=html" -H "$(auth complaints)"
expect_eq "$code" 200 "the letter as HTML"
expect_contains "$headers" "Content-Type: text/html" "served as HTML"
expect_contains "$body" "Amira Khan &lt;b&gt;" "a name with markup is escaped"
http GET "/api/v1/cases/$ref/letters/$id?format=pdf" -H "$(auth complaints)"
expect_eq "$code" 200 "the letter as PDF"
expect_contains "$headers" "Content-Type: application/pdf" "served as PDF"
if command -v pdfinfo >/dev/null; then
  pdfinfo "$tmp/body" | grep -q 'Page size: *595.28 x 841.89'; ok $? "an A4 PDF (pdfinfo)"
  pdftotext "$tmp/body" - | grep -q "$ref"; ok $? "holding the reference (pdftotext)"
fi
http GET "/api/v1/cases/$ref/letters/$id?format=doc" -H "$(auth complaints)"
expect_eq "$code" 400 "an unknown format"
http GET "/api/v1/cases/$ref/letters/99999" -H "$(auth complaints)"
expect_eq "$code" 404 "a letter that does not exist"
http GET "/api/v1/cases/$ref/letters/x1" -H "$(auth complaints)"
expect_eq "$code" 400 "a malformed letter number"

reads=$(fh_sql "$db" "SELECT count(*) FROM access_log a JOIN cases c ON c.id = a.case_id
  WHERE c.reference = '$ref' AND a.what = 'document' AND a.detail LIKE 'letter%'")
expect_eq "$reads" 3 "each letter read is in the access log (the list is a read too)"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id
  WHERE c.reference = '$ref' AND e.action = 'letter_issued'")" 2 "each letter issued has its event"

# The case file for the Ombudsman (issue 7 part 3): cover, timeline,
# letters, documents; the confidential addendum only when asked for, and
# only by those who may see it (001 B Stage 2).
# (the state read, changed with jq and written back: JSON functions differ by backend)
state=$(fh_sql "$db" "SELECT l.state FROM case_lifecycle l JOIN cases c ON c.id = l.case_id WHERE c.reference = '$ref'" |
  jq -c '.stages[0].confidential = {addendum: {summary: "SECRET-ADDENDUM-TEXT", on: "2026-11-20", by: "x"}}')
fh_sql "$db" "UPDATE case_lifecycle SET state = '${state//\'/\'\'}'
  WHERE case_id = (SELECT id FROM cases WHERE reference = '$ref')"
http GET "/api/v1/cases/$ref/file" -H "$(auth complaints)"
expect_eq "$code" 200 "the case file"
expect_contains "$headers" "Content-Type: application/pdf" "as a PDF"
if command -v pdftotext >/dev/null; then
  text=$(pdftotext "$tmp/body" - | tr -s ' \n' ' ')
  expect_contains "$text" "Case file $ref" "with a cover page"
  expect_contains "$text" "Timeline of events" "the timeline"
  expect_contains "$text" "letter issued" "which records the letters issued"
  expect_contains "$text" "Your complaint: we have received it" "the letters themselves"
  expect_contains "$text" "Documents held" "and the documents held"
  case "$text" in *SECRET-ADDENDUM-TEXT*) ok 1 "the confidential addendum is left out by default" ;;
    *) ok 0 "the confidential addendum is left out by default" ;; esac
fi
http GET "/api/v1/cases/$ref/file?confidential=true" -H "$(auth manager)"
expect_eq "$code" 403 "a manager may not ask for the confidential addendum"
http GET "/api/v1/cases/$ref/file?confidential=maybe" -H "$(auth complaints)"
expect_eq "$code" 400 "confidential is true or false"
http GET "/api/v1/cases/$ref/file?confidential=true" -H "$(auth complaints)"
expect_eq "$code" 200 "the complaints team may"
if command -v pdftotext >/dev/null; then
  expect_contains "$(pdftotext "$tmp/body" - | tr -s ' \n' ' ')" "SECRET-ADDENDUM-TEXT" "and then it is in"
fi
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM access_log a JOIN cases c ON c.id = a.case_id
  WHERE c.reference = '$ref' AND a.detail LIKE 'case file%'")" 2 "each export is in the access log"

# The deadlines feed (RFC 5545): the events are exactly the open deadlines
# with a date on the cases the caller is assigned to.
# Only a feed token goes in the address (issue 16 item 9).
token=$("$fh" token create --db "$db" --user adjudicator@bct.demo --scope feed --name calendar)
http GET "/api/v1/calendar/deadlines.ics?token=$token"
expect_eq "$code" 200 "the feed with the token in the query (a calendar app)"
expect_contains "$headers" "Content-Type: text/calendar" "served as text/calendar"
printf '%s' "$body" >"$tmp/feed.ics"
tr -d '\r' <"$tmp/body" | awk 'NR > 1 && /^ / { printf "%s", substr($0, 2); next } NR > 1 { print "" } { printf "%s", $0 } END { print "" }' >"$tmp/unfolded"
long=$(tr -d '\r' <"$tmp/body" | awk 'length($0) > 75' | wc -l)
expect_eq "$long" 0 "no line is longer than 75 octets"
crlf=$(grep -c $'\r$' "$tmp/body")
expect_eq "$crlf" "$(wc -l <"$tmp/body")" "every line ends CRLF"
got=$(awk -F: '/^UID:/ { uid = $2 } /^DTSTART;VALUE=DATE:/ { print uid " " $2 }' "$tmp/unfolded" | sort)
want=$(fh_sql "$db" "SELECT c.reference || '-' || d.stage || '-' || d.clock || '@fairhearing ' ||
  replace(d.due_on, '-', '') FROM case_deadlines d JOIN cases c ON c.id = d.case_id
  WHERE d.due_on IS NOT NULL AND d.case_id IN (SELECT a.case_id FROM case_assignments a JOIN users u
  ON u.id = a.user_id WHERE u.email = 'adjudicator@bct.demo' AND a.ended_at IS NULL)" | sort)
[ -n "$want" ]; ok $? "the adjudicator has deadlines to check"
expect_eq "$got" "$want" "the feed's events are the adjudicator's deadlines (UID and date)"
expect_eq "$(grep -c '^DTSTAMP:[0-9]\{8\}T[0-9]\{6\}Z$' "$tmp/unfolded")" "$(grep -c '^BEGIN:VEVENT' "$tmp/unfolded")" "every event has a DTSTAMP"
expect_eq "$(grep -c '^DTEND;VALUE=DATE:' "$tmp/unfolded")" "$(grep -c '^BEGIN:VEVENT' "$tmp/unfolded")" "every event is all-day"
http GET "/api/v1/calendar/deadlines.ics?token=not-a-token"
expect_eq "$code" 401 "a wrong token in the query is refused"
http GET "/api/v1/cases/$ref/letters?token=$token"
expect_eq "$code" 401 "other routes do not take a token in the query"

done_testing
