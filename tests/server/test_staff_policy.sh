#!/usr/bin/env bash
# The policy on the staff pages (src/web/staff_redress.c ... staff_person.c), with curl and a
# cookie jar as a browser: remedies (001 §18, Appendix B), joint complaints
# (001 §12, §13), advocacy and access (DOMAIN §7), consent to share (001
# §14.3), freezing (001 §11), the behaviour record on the person page with
# a restricted person's banner and the decision a new complaint from them
# needs (001 §19, Appendix A).  Each form's success, its refusal with the
# rule's source and the values kept, and the CSRF check, with nothing
# written by a refusal.
# usage: test_staff_policy.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/tap.sh"
. "$here/lib.sh"
server_setup "$fh"

events() { fh_sql "$db" "SELECT count(*) FROM events"; }
# post LOGIN PATH [FIELD=VALUE ...]: the form with LOGIN's CSRF token (from the case page)
post() {
  local who=$1 path=$2; shift 2
  local args=() kv
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  page "$who" POST "$path" --data-urlencode "csrf_token=${csrf[$who]}" "${args[@]}"
}
declare -A csrf

justified=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND EXISTS (SELECT 1 FROM findings f JOIN complaint_points p ON p.id = f.point_id
    WHERE p.case_id = c.id AND f.outcome IN ('upheld', 'partly_upheld'))
  AND EXISTS (SELECT 1 FROM case_stages s WHERE s.case_id = c.id AND coalesce(s.responded_on, '2026-11-23') > s.due_on)
  ORDER BY c.id LIMIT 1")
[ -n "$justified" ]; ok $? "a demo case with an upheld finding ($justified)"

sign_in co complaints@bct.demo
sign_in mg manager@bct.demo
sign_in hd director@bct.demo
page co GET "/staff/cases/$justified"; csrf[co]=$(token)
expect_eq "$code" 200 "the case page answers 200"
expect_contains "$body" 'id="remedies"' "it has a remedies section"
expect_contains "$body" 'action="/staff/cases/'"$justified"'/remedies"' "... with the form to record one"
expect_contains "$body" 'id="advocacy"' "an advocacy, access and consent section"
expect_contains "$body" 'id="freezing"' "a freezing section"
expect_contains "$body" 'id="joint"' "a section for teams and other organisations"
page mg GET "/staff/cases/$justified"; csrf[mg]=$(token)
page hd GET "/staff/cases/$justified"; csrf[hd]=$(token)

# ---- remedies ------------------------------------------------------------------------
before=$(events)
post co "/staff/cases/$justified/remedies" remedy-type=financial remedy-category=quantifiable_loss \
  remedy-amount_pence=400.00 "remedy-description=Solicitor's costs" remedy-exception=legal_action
expect_eq "$code" 422 "001 Appendix B: a remedy for a matter under legal action is refused (422)"
expect_contains "$body" "There is a problem" "... on the form's own page with the error summary"
expect_contains "$body" "001 Appendix B" "... naming the rule's source"
expect_contains "$body" 'href="#remedy-exception"' "... linked to the field"
expect_contains "$body" ">Solicitor's costs</textarea>" "... with what was typed kept"
expect_eq "$(events)" "$before" "nothing is recorded for the refusal"

post co "/staff/cases/$justified/remedies" remedy-type=financial remedy-category=time_and_trouble \
  remedy-amount_pence=lots "remedy-description=Time"
expect_eq "$code" 422 "an amount that is not pounds and pence is refused (422)"
expect_contains "$body" "must be an amount in pounds" "... saying how to write it"
expect_eq "$(events)" "$before" "... and nothing is recorded"

page co POST "/staff/cases/$justified/remedies" --data-urlencode "csrf_token=forged" -d 'remedy-type=apology&remedy-description=Sorry'
expect_eq "$code" 403 "a forged CSRF token is refused (403)"
expect_eq "$(events)" "$before" "... and nothing is recorded"

post co "/staff/cases/$justified/remedies" remedy-type=financial remedy-category=time_and_trouble \
  remedy-amount_pence=150.50 "remedy-description=For the time spent chasing"
expect_eq "$code" 303 "001 Appendix B: a financial remedy is recorded (303)"
expect_contains "$headers" "Location: /staff/cases/$justified?done=remedy" "... back to the case with a notice"
rid=$(fh_sql "$db" "SELECT max(id) FROM remedies")
expect_eq "$(fh_sql "$db" "SELECT amount_pence FROM remedies WHERE id = $rid")" 15050 "... in whole pence"
page co GET "/staff/cases/$justified?done=remedy"
expect_contains "$body" "Done: Record a remedy" "the case page says it was done"
expect_contains "$body" "£150.50" "... and lists the remedy with its amount"

post co "/staff/cases/$justified/remedies/$rid/deliver" deliver$rid-on=2026-11-23
expect_eq "$code" 422 "001 §18.2: delivery before approval is refused (422)"
expect_contains "$body" "001 §18.2" "... naming the rule"
post co "/staff/cases/$justified/remedies/$rid/approve" approve$rid-on=2026-11-23
expect_eq "$code" 403 "the complaints team may not approve a payment (403, the API's rule)"
post mg "/staff/cases/$justified/remedies/$rid/approve" approve$rid-on=2026-11-23
expect_eq "$code" 303 "a manager approves it (303)"
expect_eq "$(fh_sql "$db" "SELECT approved_on FROM remedies WHERE id = $rid")" 2026-11-23 "... on the date given"
post co "/staff/cases/$justified/remedies/$rid/deliver" deliver$rid-on=2026-11-23
expect_eq "$code" 303 "and the complaints team records its delivery (303)"

# ---- joint complaints ------------------------------------------------------------------
post co "/staff/cases/$justified/contributions" contribution-team=Fostering contribution-requested_on=2026-11-23
expect_eq "$code" 303 "001 §13: a team is asked for its contribution (303)"
post co "/staff/cases/$justified/contributions" contribution-team=Fostering contribution-requested_on=2026-11-23
expect_eq "$code" 409 "... once per team and stage (409)"
expect_contains "$body" 'value="Fostering"' "... with the team kept in the form"
post co "/staff/cases/$justified/liaisons" "liaison-organisation=NHS Trust" liaison-responder=separate liaison-liaised_on=2026-11-20
expect_eq "$code" 422 "001 §12.2: without one response the customer must be told how and by whom (422)"
expect_contains "$body" "001 §12.2" "... naming the rule"
post co "/staff/cases/$justified/liaisons" "liaison-organisation=NHS Trust" liaison-responder=separate \
  liaison-liaised_on=2026-11-20 liaison-customer_told_on=2026-11-21
expect_eq "$code" 303 "... and with the date they were told it is recorded (303)"

# ---- advocacy, access and consent --------------------------------------------------------
person=$(fh_sql "$db" "SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id
  WHERE c.reference = '$justified' ORDER BY cp.id LIMIT 1")
post co "/staff/cases/$justified/advocacy" advocacy-person_id=$person advocacy-step=taken_up advocacy-on=2026-11-23
expect_eq "$code" 422 "DOMAIN §7: advocacy steps go in order: taken up before offered is refused (422)"
post co "/staff/cases/$justified/advocacy" advocacy-person_id=$person advocacy-step=offered advocacy-on=2026-11-23
expect_eq "$code" 303 "advocacy offered is recorded (303)"
post co "/staff/cases/$justified/access-needs" access-person_id=$person access-need=interpreter access-detail=Urdu
expect_eq "$code" 303 "an interpreter is recorded as an access need (303)"
post co "/staff/cases/$justified/consents" share-person_id=$person share-written=true share-dated_on=2026-11-20
expect_eq "$code" 422 "001 §14.3: consent that is not signed is refused (422)"
expect_contains "$body" "001 §14.3" "... naming the rule"
post co "/staff/cases/$justified/consents" share-person_id=$person share-written=true share-signed=true share-dated_on=2026-11-20
expect_eq "$code" 303 "written, signed and dated consent is recorded (303)"
expect_contains "$headers" "Location: /staff/cases/$justified?done=share" "... back to the case page"
page co GET "/staff/cases/$justified?done=share"
expect_eq "$(grep -o 'Done: [^<]*' <<<"$body" | tr '\n' ';')" "Done: Record consent to share.;" \
  "001 §14.3: the one notice is of consent to share, not also of the child's consent (001 §7.4)"
page co GET "/staff/cases/$justified?done=consent"
expect_eq "$(grep -o 'Done: [^<]*' <<<"$body" | tr '\n' ';')" "Done: Record consent.;" \
  "001 §7.4: the child's consent has its own notice"
page co GET "/staff/cases/$justified"
expect_contains "$body" "Urdu" "the case page lists the access need"
expect_contains "$body" "Offered" "... the advocacy step"
expect_contains "$body" "Fostering" "... and the team's contribution"

# ---- 001 §14.3: the case page says what Stage 2 waits for ------------------------------------
# A bct statutory case answered at Stage 1 is taken to Stage 2 here, so that it
# waits for consent whatever the demo's dates left at Stage 2.
s2=$(fh_json_pick "$db" "SELECT c.reference, l.state FROM cases c JOIN organisations o ON o.id = c.org_id
  JOIN case_lifecycle l ON l.case_id = c.id WHERE o.code = 'bct' AND c.state = 'open'
  AND NOT EXISTS (SELECT 1 FROM data_consents d WHERE d.case_id = c.id) ORDER BY c.id DESC" \
  '.stage == 1 and .stages[0].status == "responded" and .procedure.code == "bct-statutory"')
http POST "/api/v1/cases/$s2/actions/request_escalation" -H "$(auth complaints)" -H 'Content-Type: application/json' \
  -d '{"on": "2026-11-23", "reason": "Still unhappy with the answer."}'
expect_eq "$code" 200 "a bct statutory case answered at Stage 1 asks for Stage 2 ($s2)"
http POST "/api/v1/cases/$s2/actions/accept_escalation" -H "$(auth complaints)" -H 'Content-Type: application/json' \
  -d '{"on": "2026-11-23"}'
expect_eq "$code" 200 "... which is accepted, without consent to share yet"
page co GET "/staff/cases/$s2"
expect_contains "$body" 'id="missing-consent"' "001 §14.3: its page says consent to share is missing"
expect_contains "$body" "before the case goes to the investigating officer and independent person (001 §14.3)" \
  "... before the case goes to whom, naming the rule"
s2p=$(fh_sql "$db" "SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id
  WHERE c.reference = '$s2' ORDER BY cp.id LIMIT 1")
post co "/staff/cases/$s2/consents" share-person_id=$s2p share-written=true share-signed=true share-dated_on=2026-11-20
expect_eq "$code" 303 "the consent is recorded (303)"
page co GET "/staff/cases/$s2"
case "$body" in *'id="missing-consent"'*) ok 1 "and the page no longer asks for it" ;; *) ok 0 "and the page no longer asks for it" ;; esac

# ---- freezing ---------------------------------------------------------------------------
post co "/staff/cases/$justified/freezing" freeze-change=placement "freeze-proposal=Move to a new placement" freeze-requested_on=2026-11-23
expect_eq "$code" 303 "001 §11: a request to freeze a placement decision is recorded (303)"
fid=$(fh_sql "$db" "SELECT max(id) FROM freeze_requests")
post co "/staff/cases/$justified/freezing/$fid/view" view$fid-as=complaints_manager view$fid-view=not_freeze
expect_eq "$code" 422 "001 §11.3: not freezing without a good reason is refused (422)"
expect_contains "$body" "001 §11" "... naming the rule"
post co "/staff/cases/$justified/freezing/$fid/view" view$fid-as=head_of_service view$fid-view=freeze
expect_eq "$code" 403 "001 §11.2: the complaints team may not give the Head of Service's view (403)"
post co "/staff/cases/$justified/freezing/$fid/view" view$fid-as=complaints_manager view$fid-view=freeze
expect_eq "$code" 303 "the Complaints & Information Manager's view is recorded (303)"

# ---- a redacted copy of a document (DOMAIN §8) ------------------------------------------------
printf 'Notes naming Mr X and Ms Y\n' >"$tmp/orig.txt"
http POST "/api/v1/cases/$justified/documents?filename=notes.txt&visibility=staff" -H "$(auth complaints)" \
  -H 'Content-Type: text/plain' --data-binary @"$tmp/orig.txt"
doc=$(jq -r .id <<<"$body")
page co GET "/staff/cases/$justified"; csrf[co]=$(token)
expect_contains "$body" "/staff/cases/$justified/documents/$doc/redactions" "each document has a form for a redacted copy"
printf 'Notes naming [removed] and [removed]\n' >"$tmp/red.txt"
before=$(events)
page co POST "/staff/cases/$justified/documents/$doc/redactions" -F "csrf_token=${csrf[co]}" \
  -F "redact$doc-file=@$tmp/red.txt;type=text/plain;filename=notes-redacted.txt" -F "redact$doc-visibility=customer"
expect_eq "$code" 422 "a redacted copy without saying what was taken out is refused (422)"
expect_contains "$body" "Say what was taken out" "... saying why"
expect_eq "$(events)" "$before" "... and nothing is recorded"
page co POST "/staff/cases/$justified/documents/$doc/redactions" -F "csrf_token=forged" \
  -F "redact$doc-file=@$tmp/red.txt;type=text/plain;filename=notes-redacted.txt" -F "redact$doc-removed=Names"
expect_eq "$code" 403 "a forged CSRF token is refused (403)"
page co POST "/staff/cases/$justified/documents/$doc/redactions" -F "csrf_token=${csrf[co]}" \
  -F "redact$doc-file=@$tmp/red.txt;type=text/plain;filename=notes-redacted.txt" \
  -F "redact$doc-removed=The names of two other people" -F "redact$doc-visibility=customer"
expect_eq "$code" 303 "the redacted copy is added (303)"
expect_eq "$(fh_sql "$db" "SELECT visibility FROM documents WHERE id = $doc")" staff "the original keeps its visibility"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'document_redacted'")" 1 "a document_redacted event is recorded"
page co GET "/staff/cases/$justified"; csrf[co]=$(token)
expect_contains "$body" "notes-redacted.txt" "the copy is listed with the documents"

# ---- behaviour on the person, and the banner ------------------------------------------------
page co GET "/staff/cases/$justified"
expect_contains "$body" "/staff/orgs/bct/people/$person" "each person on the case links to their record"
page co GET "/staff/orgs/bct/people/$person"; csrf[co]=$(token)
expect_eq "$code" 200 "the person page answers 200"
expect_contains "$body" "<h1>$(fh_sql "$db" "SELECT given_name || ' ' || family_name FROM people WHERE id = $person")</h1>" "... headed by the person's name"
expect_contains "$body" "No warning is recorded" "... with no warning yet"
reads=$(fh_sql "$db" "SELECT count(*) FROM access_log WHERE detail LIKE 'person $person behaviour%'")
[ "$reads" -ge 1 ]; ok $? "the look at the record is written to the access log"
post co "/staff/orgs/bct/people/$person/warnings" warning-issued_on=2026-11-02 "warning-evidence=31 calls in a week"
expect_eq "$code" 422 "001 Appendix A Level 1: a warning without the change asked for is refused (422)"
expect_contains "$body" "31 calls in a week" "... with the evidence kept"
post co "/staff/orgs/bct/people/$person/warnings" warning-issued_on=2026-11-02 "warning-evidence=31 calls in a week" "warning-change=Call once a week"
expect_eq "$code" 303 "a warning is recorded (303)"
expect_contains "$headers" "Location: /staff/orgs/bct/people/$person?done=warning" "... back to the person page"
post co "/staff/orgs/bct/people/$person/restrictions" restriction-kind=named_contact_only "restriction-reason=More calls" \
  restriction-starts_on=2026-11-23 restriction-ends_on=2027-08-23
expect_eq "$code" 422 "001 Appendix A: longer than six months needs an exceptional reason (422)"
post co "/staff/orgs/bct/people/$person/restrictions" restriction-kind=named_contact_only "restriction-reason=More calls" \
  "restriction-detail=Contact Ms Patel only" restriction-starts_on=2026-11-23 restriction-ends_on=2027-02-23
expect_eq "$code" 303 "a restriction for three months is recorded (303)"
page co GET "/staff/orgs/bct/people/$person"
expect_contains "$body" "Named contact only" "the person page lists the restriction"
expect_contains "$body" "22 Feb 2027" "... with its review due the day before it ends"
# the organisation's behaviour deadlines page: the same list as the API's, overdue marked
page co GET /staff/orgs/bct/behaviour
expect_eq "$code" 200 "the behaviour deadlines page answers 200"
expect_contains "$body" 'href="/staff/orgs/bct/behaviour"' "the navigation links to it"
expect_contains "$body" "href=\"/staff/orgs/bct/people/$person\"" "each deadline links to the person"
expect_contains "$body" "Review the restriction" "001 Appendix A: the review is listed"
expect_contains "$body" "The restriction ends" "and when the restriction ends"
page_body=$body
http GET /api/v1/orgs/bct/behaviour-deadlines -H "$(auth complaints)"
api_n=$(jq '.deadlines | length' <<<"$body")
expect_contains "$page_body" "$api_n due," "as many as the API lists ($api_n)"
ov=$(fh_sql "$db" "SELECT min(id) FROM behaviour_reviews WHERE reviewed_on IS NULL")
if fh_pg; then
  fh_sql "$db" "SET session_replication_role = replica; UPDATE behaviour_reviews SET due_on = '2026-11-01' WHERE id = $ov"
else
  fh_sql "$db" "DROP TRIGGER IF EXISTS behaviour_reviews_no_update; UPDATE behaviour_reviews SET due_on = '2026-11-01' WHERE id = $ov"
fi
page co GET /staff/orgs/bct/behaviour
expect_contains "$body" "Overdue" "a review past its date is marked overdue"
page co GET "/staff/cases/$justified"
expect_contains "$body" "is under a restriction of contact" "every case page of the person shows the banner"
expect_contains "$body" "Contact Ms Patel only" "... with what it is"
sign_in io investigator@bct.demo
page io GET "/staff/orgs/bct/people/$person"
expect_eq "$code" 403 "an investigating officer may not see the behaviour record (403, the API's rule)"

# The subject access export as a PDF, from the person page (DOMAIN §8).
page co GET "/staff/orgs/bct/people/$person"
expect_contains "$body" "/staff/orgs/bct/people/$person/export.pdf" "the person page offers the subject access export as a PDF"
expect_contains "$body" "/api/v1/orgs/bct/people/$person/export" "... and as JSON"
page co GET "/staff/orgs/bct/people/$person/export.pdf" 2>/dev/null
cp "$tmp/body" "$tmp/sar.pdf"
expect_eq "$code" 200 "the PDF answers 200"
expect_contains "$headers" "Content-Type: application/pdf" "... as a PDF"
expect_eq "$(head -c 5 "$tmp/sar.pdf")" "%PDF-" "... that is one"
if command -v pdftotext >/dev/null; then
  text=$(pdftotext "$tmp/sar.pdf" - 2>/dev/null)
  expect_contains "$text" "Birmingham Children" "... headed by the organisation's name"
  expect_contains "$text" "Withheld" "... listing what was withheld"
  expect_contains "$text" "Contact Ms Patel only" "... and the person's restriction"
fi
reads=$(fh_sql "$db" "SELECT count(*) FROM access_log WHERE detail = 'person $person subject access export (PDF)'")
expect_eq "$reads" 1 "the export is written to the access log"
page io GET "/staff/orgs/bct/people/$person/export.pdf"
expect_eq "$code" 403 "an investigating officer may not export a person's data (403)"

# A new complaint from the restricted person: the prompt, and the decision.
pname=$(fh_sql "$db" "SELECT family_name || organisation FROM people WHERE id = $person")
curl -s -H "$(auth complaints)" -H 'Content-Type: application/json' -d "{\"org\": \"bct\", \"kind\": \"complaint\", \"channel\": \"phone\",
  \"received_on\": \"2026-11-23\", \"summary\": \"A new matter about school transport\",
  \"parties\": [{\"role\": \"complainant\", \"relationship\": \"self\", \"person\": {\"id\": $person, \"family_name\": \"$pname\"}}]}" \
  "$base/api/v1/cases" >"$tmp/new.json"
newref=$(jq -r .reference "$tmp/new.json")
[ "$newref" != null ]; ok $? "a new complaint from the restricted person is recorded ($newref)"
page co GET "/staff/cases/$newref"; csrf[co]=$(token)
expect_contains "$body" "decide whether it applies" "its case page asks whether the restriction applies"
rstr=$(fh_sql "$db" "SELECT max(id) FROM behaviour_restrictions")
post co "/staff/cases/$newref/restrictions/$rstr/decision" applies$rstr-applies=false
expect_eq "$code" 422 "a decision without a reason is refused (422)"
expect_contains "$body" "001 Appendix A" "... naming the rule"
post co "/staff/cases/$newref/restrictions/$rstr/decision" applies$rstr-applies=false "applies$rstr-reason=A new matter: judged on its merits"
expect_eq "$code" 303 "the decision is recorded (303)"
page co GET "/staff/cases/$newref"
expect_contains "$body" "the restriction does not apply" "the banner shows the decision"

# ---- retention (DOMAIN §8): what the next run would anonymise ---------------------------------
# two of bct's closed cases closed long ago, under a rule of one year
"$fh" retention --db "$db" --org bct --set-years 1 >/dev/null 2>&1
fh_sql "$db" "UPDATE cases SET closed_on = '2020-01-10' WHERE id IN (SELECT c.id FROM cases c
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND c.state = 'closed' ORDER BY c.id LIMIT 2)"
due=$("$fh" retention --db "$db" --dry-run 2>/dev/null | grep -o 'BCT-[0-9]*-[0-9]*' | sort -u)
sign_in ad admin@bct.demo
page ad GET /staff/admin
expect_contains "$body" 'href="/staff/admin/bct/retention"' "administration links to the retention page"
before=$(fh_sql "$db" "SELECT count(*) FROM cases WHERE anonymised_on IS NOT NULL")
page ad GET /staff/admin/bct/retention
expect_eq "$code" 200 "the retention page answers 200"
shown=$(grep -o 'BCT-[0-9]*-[0-9]*' <<<"$body" | sort -u)
[ -n "$due" ] && [ "$shown" = "$due" ]; ok $? "it lists exactly the cases the command line's dry run lists"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM cases WHERE anonymised_on IS NOT NULL")" "$before" "and anonymises none"
page co GET /staff/admin/bct/retention
expect_eq "$code" 403 "the complaints team may not see it (403)"

# ---- retention applied from the page (DOMAIN §8) ---------------------------------------------
page ad GET /staff/admin/bct/retention
csrf[ad]=$(token)
expect_contains "$body" 'action="/staff/admin/bct/retention/apply"' "the page offers the apply form to the administrator"
ev=$(events)
post ad /staff/admin/bct/retention/apply
expect_eq "$code" 422 "applying without confirming is refused (422)"
expect_contains "$body" "Confirm that the cases due are to be anonymised" "naming the confirmation"
expect_contains "$body" 'href="#confirm"' "and linking to its field"
expect_eq "$(events)" "$ev" "and records nothing"
page ad POST /staff/admin/bct/retention/apply --data-urlencode "csrf_token=forged" --data-urlencode "confirm=yes"
expect_eq "$code" 403 "a forged CSRF token is refused (403)"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM cases WHERE anonymised_on IS NOT NULL")" "$before" "and anonymises none"
post co /staff/admin/bct/retention/apply confirm=yes
[ "$code" = 403 ]; ok $? "the complaints team may not apply it (403)"
post ad /staff/admin/bct/retention/apply confirm=yes
expect_eq "$code" 200 "the confirmed run answers 200"
expect_contains "$body" "Done: anonymised $(wc -w <<<"$due") cases" "and says what it anonymised"
applied=$(grep -o 'BCT-[0-9]*-[0-9]*' <<<"$body" | sort -u)
expect_eq "$applied" "$due" "listing exactly the cases the dry run listed"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM cases WHERE anonymised_on IS NOT NULL")" "$((before + $(wc -w <<<"$due")))" \
  "they are anonymised"
expect_eq "$(fh_sql "$db" "SELECT actor FROM events WHERE action = 'retention_applied' ORDER BY id DESC LIMIT 1")" "admin@bct.demo" \
  "the run is logged as the administrator's"
"$fh" audit verify --db "$db" >/dev/null 2>&1; ok $? "the audit chain still verifies"
first=$(head -1 <<<"$due")
page co GET "/staff/cases/$first"
expect_contains "$body" "removed under the retention rule on" "the case's timeline shows its erased events"
http GET "/api/v1/cases/$first/history" -H "$(auth complaints)"
expect_eq "$(jq -r '[.events[] | select(.erased_on != null)] | length > 0' <<<"$body")" true \
  "the API's history marks its erased events (DOMAIN §8)"
expect_eq "$(jq -r '[.events[] | select(.erased_on != null and (.reason != "" or .data != {}))] | length' <<<"$body")" 0 \
  "with no reason or data left"
page ad GET /staff/admin/bct/retention
expect_contains "$body" "No case is due for anonymising" "and nothing more is due"

done_testing
