#!/usr/bin/env bash
# The rest of the policy over HTTP: remedies (001 §18, Appendix B);
# persistent behaviour (001 §19, Appendix A); freezing decisions (001 §11);
# mediation notes (001 §15.3); data rights (DOMAIN §8: consent, redaction,
# subject access); joint complaints (001 §12, §13); advocacy and access
# (DOMAIN §7).
# The route-by-role matrix is in routes.tsv.
# usage: test_policy_api.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"
A=$(auth complaints)
J='Content-Type: application/json'

# ---- redress ---------------------------------------------------------------
# A bct complaint with an upheld finding and a stage answered late, and one
# with no upheld or partly upheld finding.
justified=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND EXISTS (SELECT 1 FROM findings f JOIN complaint_points p ON p.id = f.point_id
    WHERE p.case_id = c.id AND f.outcome IN ('upheld', 'partly_upheld'))
  AND EXISTS (SELECT 1 FROM case_stages s WHERE s.case_id = c.id AND coalesce(s.responded_on, '2026-11-23') > s.due_on)
  ORDER BY c.id LIMIT 1")
unjustified=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.kind = 'complaint' AND NOT EXISTS (SELECT 1 FROM findings f
    JOIN complaint_points p ON p.id = f.point_id WHERE p.case_id = c.id
    AND f.outcome IN ('upheld', 'partly_upheld')) ORDER BY c.id LIMIT 1")
[ -n "$justified" ] && [ -n "$unjustified" ]; ok $? "demo cases to try remedies on ($justified, $unjustified)"

http POST "/api/v1/cases/$unjustified/remedies" -H "$A" -H "$J" -d '{"type": "apology", "description": "Sorry"}'
expect_eq "$code" 422 "001 Appendix B: a remedy on a complaint with no upheld finding is refused"
expect_eq "$(jq -r .error.source <<<"$body")" "001 Appendix B" "the refusal names its source"

events_before=$(fh_sql "$db" "SELECT count(*) FROM events")
http POST "/api/v1/cases/$justified/remedies" -H "$A" -H "$J" \
  -d '{"type": "financial", "category": "quantifiable_loss", "amount_pence": 40000, "description": "Costs", "exception": "legal_action"}'
expect_eq "$code" 422 "001 Appendix B Exceptions: a matter under legal action is refused"
expect_contains "$(jq -r .error.message <<<"$body")" "legal action" "the refusal gives the reason"
expect_eq "$(jq -r .error.field <<<"$body")" "exception" "and names the field"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events")" "$events_before" "nothing is recorded for a refusal"

http POST "/api/v1/cases/$justified/remedies" -H "$A" -H "$J" -d '{"type": "apology", "description": "Sorry", "colour": "red"}'
expect_eq "$code" 422 "an unknown field is refused, not ignored"
expect_eq "$(jq -r .error.field <<<"$body")" "colour" "naming it"

http POST "/api/v1/cases/$justified/remedies" -H "$A" -H "$J" \
  -d '{"type": "financial", "category": "time_and_trouble", "amount_pence": 15000, "description": "Time and trouble"}'
expect_eq "$code" 201 "001 Appendix B: a financial remedy with its category and amount is recorded"
rid=$(jq -r '.remedies[-1].id' <<<"$body")
expect_eq "$(jq -r '.remedies[-1].approved_on' <<<"$body")" null "not yet approved"
http POST "/api/v1/cases/$justified/remedies" -H "$A" -H "$J" \
  -d '{"type": "delay_payment", "amount_pence": 5000, "description": "Stage 1 answered late"}'
expect_eq "$code" 201 "001 Appendix B: a payment for delay beyond the target times is recorded"

http POST "/api/v1/cases/$justified/remedies/$rid/deliver" -H "$A"
expect_eq "$code" 422 "001 §18.2: a remedy cannot be delivered before it is approved"
http POST "/api/v1/cases/$justified/remedies/$rid/approve" -H "$A"
expect_eq "$code" 403 "the complaints team may not approve a payment"
http POST "/api/v1/cases/$justified/remedies/$rid/approve" -H "$(auth head)" -H "$J" -d '{"on": "2026-11-20"}'
expect_eq "$code" 200 "a head of service approves it"
expect_eq "$(jq -r ".remedies[] | select(.id == $rid) | .approved_by + \" \" + .approved_on" <<<"$body")" \
  "head@bct.demo 2026-11-20" "who approved it and when"
http POST "/api/v1/cases/$justified/remedies/$rid/approve" -H "$(auth head)"
expect_eq "$code" 409 "approved once only"
http POST "/api/v1/cases/$justified/remedies/$rid/deliver" -H "$A" -H "$J" -d '{"on": "2026-11-19"}'
expect_eq "$code" 422 "not delivered before it was approved"
http POST "/api/v1/cases/$justified/remedies/$rid/deliver" -H "$A" -H "$J" -d '{"on": "2026-11-23"}'
expect_eq "$code" 200 "delivered"
http GET "/api/v1/cases/$justified/remedies" -H "$(auth director)"
expect_eq "$(jq -r ".remedies[] | select(.id == $rid) | .delivered_on" <<<"$body")" 2026-11-23 "the list shows when it was delivered"
expect_eq "$(fh_list "$db" "SELECT action FROM events e JOIN cases c ON c.id = e.case_id
  WHERE c.reference = '$justified' AND action LIKE 'remedy_%' ORDER BY e.id" ' ')" \
  "remedy_recorded remedy_recorded remedy_approved remedy_delivered" "each step is an event in the case's history"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM access_log a JOIN cases c ON c.id = a.case_id
  WHERE c.reference = '$justified' AND a.detail = 'remedies'")" 1 "reading the remedies is in the access log"
http GET "/api/v1/orgs/bct/redress-totals?from=2000-01-01" -H "$(auth director)"
expect_eq "$(jq -r '.remedies | map(.type + ":" + (.recorded|tostring) + "/" + (.delivered|tostring) + "/" + (.approved_pence|tostring)) | join(" ")' <<<"$body")" \
  "delay_payment:1/0/0 financial:1/1/15000" "the totals for reports: recorded, delivered and approved amounts by type"
http GET "/api/v1/orgs/bct/redress-totals?from=soon" -H "$(auth director)"
expect_eq "$code" 400 "a bad date is refused"
"$fh" audit verify --db "$db" >/dev/null 2>&1
ok $? "the audit chain still verifies"

# ---- persistent behaviour ----------------------------------------------------
# A bct person who is the complainant on a bct case.
pref=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.kind = 'complaint' ORDER BY c.id LIMIT 1")
person=$(fh_sql "$db" "SELECT min(cp.person_id) FROM case_parties cp JOIN cases c ON c.id = cp.case_id
  WHERE c.reference = '$pref' AND cp.role = 'complainant'")
[ -n "$person" ]; ok $? "a person to manage ($person on $pref)"
P=/api/v1/orgs/bct/people/$person

http POST "$P/restrictions" -H "$A" -H "$J" -d '{"kind": "named_contact_only", "detail": "Only Ms Patel",
  "reason": "Calls to many officers", "starts_on": "2026-11-23", "ends_on": "2027-02-23"}'
expect_eq "$code" 422 "001 Appendix A Level 2: no restriction without a warning first"
expect_eq "$(jq -r .error.field <<<"$body")" without_warning "unless the customer was threatening or abusive"
http POST "$P/warnings" -H "$A" -H "$J" -d '{"issued_on": "2026-11-02", "change": "One call a week"}'
expect_eq "$code" 422 "001 Appendix A Level 1: a warning needs its evidence"
expect_eq "$(jq -r .error.source <<<"$body")" "001 Appendix A Level 1" "naming the rule"
http POST "$P/warnings" -H "$A" -H "$J" -d '{"issued_on": "2026-11-02", "evidence": "31 calls in a week to 9 officers", "change": "One call a week to the complaints team"}'
expect_eq "$code" 201 "a Level 1 warning with its evidence"
http POST "$P/restrictions" -H "$A" -H "$J" -d '{"kind": "ban_for_life", "detail": "x", "reason": "y", "ends_on": "2027-02-23"}'
expect_eq "$code" 422 "a restriction's kind comes from Appendix A's list"
http POST "$P/restrictions" -H "$A" -H "$J" -d '{"kind": "named_contact_only", "detail": "Only Ms Patel",
  "reason": "Calls went on after the warning", "starts_on": "2026-11-23", "ends_on": "2027-08-23"}'
expect_eq "$code" 422 "001 Appendix A Level 2: longer than six months is exceptional and says why"
http POST "$P/restrictions" -H "$A" -H "$J" -d '{"kind": "named_contact_only", "detail": "Only Ms Patel",
  "reason": "Calls went on after the warning", "starts_on": "2026-11-23", "ends_on": "2027-02-23"}'
expect_eq "$code" 201 "a Level 2 restriction for three months"
rid=$(jq -r '.restrictions[-1].id' <<<"$body")
bct_body=$body
# issue 14 item 14: the periods are bct's own (orgs/demo/bct.json, 001
# Appendix A); bcp's file sets none, so it borrows none of them.
bp=$(fh_sql "$db" "SELECT min(cp.person_id) FROM case_parties cp JOIN cases c ON c.id = cp.case_id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bcp' AND cp.role = 'complainant'")
http POST "/api/v1/orgs/bcp/people/$bp/restrictions" -H "$(auth complaints bcp)" -H "$J" -d '{"kind":
  "named_contact_only", "detail": "Only Mr Shah", "reason": "Threats to staff", "without_warning":
  "threats_or_abuse", "starts_on": "2026-11-23", "ends_on": "2027-02-23"}'
expect_eq "$code" 422 "issue 14 item 14: an organisation whose file sets no behaviour periods cannot restrict yet"
expect_eq "$(jq -r .error.field <<<"$body")" policy.behaviour "... naming its file's policy.behaviour"
body=$bct_body
expect_eq "$(jq -r '.deadlines | map(.what + " " + .due_on) | join(",")' <<<"$body")" "review 2027-02-22" \
  "its review falls due before it ends, listed as a deadline"

http POST "/api/v1/orgs/bct/restrictions/$rid/appeal" -H "$A" -H "$J" -d '{"received_on": "2026-11-23", "grounds": "I only call when ignored"}'
expect_eq "$code" 201 "001 Appendix A Level 3: an appeal is recorded"
expect_eq "$(jq -r '.restrictions[-1].appeal.due_on' <<<"$body")" 2026-12-07 "to be answered within ten working days"
http POST "/api/v1/orgs/bct/restrictions/$rid/appeal/answer" -H "$A" -H "$J" -d '{"outcome": "upheld", "answer": "It stays", "ombudsman_explained": true}'
expect_eq "$code" 403 "only a senior manager answers an appeal"
http POST "/api/v1/orgs/bct/restrictions/$rid/appeal/answer" -H "$(auth director)" -H "$J" -d '{"outcome": "upheld", "answer": "It stays"}'
expect_eq "$code" 422 "the answer explains the right to go to the Ombudsman"
http POST "/api/v1/orgs/bct/restrictions/$rid/appeal/answer" -H "$(auth director)" -H "$J" -d '{"outcome": "upheld", "answer": "It stays", "ombudsman_explained": true}'
expect_eq "$code" 200 "a senior manager answers the appeal"
http GET /api/v1/orgs/bct/behaviour-deadlines -H "$A"
expect_eq "$(jq -r ".deadlines | map(select(.restriction == $rid)) | map(.what + \" \" + .due_on + \" \" + (.overdue|tostring)) | join(\",\")" <<<"$body")" \
  "review 2027-02-22 false,restriction_end 2027-02-23 false" \
  "the organisation's behaviour deadlines: the review still due, the appeal answered, the end to come (never overdue)"

# The restriction shows on the person's cases; a new complaint from them is still recorded.
http GET "/api/v1/cases/$pref" -H "$A"
expect_eq "$(jq -r ".restrictions[] | select(.id == $rid) | .kind" <<<"$body")" named_contact_only \
  "the restriction is shown on every case of that person"
pname=$(fh_sql "$db" "SELECT family_name || organisation FROM people WHERE id = $person")
http POST /api/v1/cases -H "$A" -H "$J" -d "{\"org\": \"bct\", \"kind\": \"complaint\", \"channel\": \"phone\",
  \"received_on\": \"2026-11-23\", \"summary\": \"A new matter about school transport\",
  \"parties\": [{\"role\": \"complainant\", \"relationship\": \"self\", \"person\": {\"id\": $person, \"family_name\": \"$pname\"}}]}"
expect_eq "$code" 201 "001 Appendix A New complaints: a complaint from a restricted person is recorded"
expect_eq "$(jq -r .restriction_decision_needed <<<"$body")" true "with a prompt to decide whether the restriction applies"
nref=$(jq -r .reference <<<"$body")
http GET "/api/v1/cases/$nref" -H "$A"
expect_eq "$(jq -r ".restrictions[] | select(.id == $rid) | .decision_needed" <<<"$body")" true "the case shows the decision is needed"
run "$fh" case show --db "$db" "$nref"
expect_contains "$out" "restriction of contact on person $person: named_contact_only" "fairhearing case show shows the restriction too"
expect_contains "$out" "decide whether it applies" "with the prompt"
http POST "/api/v1/cases/$nref/restrictions/$rid/decision" -H "$A" -H "$J" -d '{"reason": "x"}'
expect_eq "$code" 422 "the decision says whether it applies"
http POST "/api/v1/cases/$nref/restrictions/$rid/decision" -H "$A" -H "$J" -d '{"applies": false, "reason": "A new matter: judged on its merits"}'
expect_eq "$code" 200 "the decision is recorded"
http GET "/api/v1/cases/$nref" -H "$A"
expect_eq "$(jq -r ".restrictions[] | select(.id == $rid) | [.decision_needed, .applies] | map(tostring) | join(\" \")" <<<"$body")" \
  "false false" "the case shows the decision"
http POST "/api/v1/cases/$nref/restrictions/$rid/decision" -H "$A" -H "$J" -d '{"applies": true, "reason": "changed my mind"}'
expect_eq "$code" 409 "decided once"

http GET "$P/behaviour" -H "$(auth investigator)"
expect_eq "$code" 403 "an investigating officer does not see a person's behaviour record"
http GET "$P/behaviour" -H "$(auth head)"
expect_eq "$(jq -r '.warnings | length' <<<"$body") $(jq -r '.restrictions[0].case_decisions[0].reference' <<<"$body")" "1 $nref" \
  "the person's record: warnings, restrictions and the decisions on their cases"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM access_log WHERE detail = 'person $person behaviour'")" 1 \
  "reading it is in the access log"
"$fh" audit verify --db "$db" >/dev/null 2>&1
ok $? "the audit chain still verifies"

# ---- freezing decisions ------------------------------------------------------
F=/api/v1/cases/$pref/freezing
http POST "$F" -H "$A" -H "$J" -d '{"change": "school", "proposal": "x"}'
expect_eq "$code" 422 "001 §11.1: only a change of placement or service is frozen"
http POST "$F" -H "$A" -H "$J" -d '{"change": "placement", "proposal": "Move to a placement in Leeds"}'
expect_eq "$code" 201 "a request to freeze a proposed change of placement"
fid=$(jq -r '.requests[-1].id' <<<"$body")
http POST "$F/$fid/view" -H "$A" -H "$J" -d '{"as": "head_of_service", "view": "freeze"}'
expect_eq "$code" 403 "001 §11.2: the complaints team cannot give the Head of Service's view"
http POST "$F/$fid/view" -H "$A" -H "$J" -d '{"as": "complaints_manager", "view": "not_freeze"}'
expect_eq "$code" 422 "001 §11.3: a view against freezing gives the good reason"
expect_eq "$(jq -r .error.source <<<"$body")" "001 §11.3" "naming the presumption in favour"
http POST "$F/$fid/view" -H "$A" -H "$J" -d '{"as": "complaints_manager", "view": "freeze"}'
expect_eq "$code" 200 "the Complaints & Information Manager's view"
http POST "$F/$fid/decision" -H "$(auth director)" -H "$J" -d '{"view": "freeze"}'
expect_eq "$code" 422 "001 §11.4: the Director decides only after a disagreement"
http POST "$F/$fid/view" -H "$(auth head)" -H "$J" -d '{"as": "head_of_service", "view": "not_freeze", "reason": "Staying at home puts him at risk"}'
expect_eq "$code" 200 "the Head of Service's view"
expect_eq "$(jq -r '.requests[-1] | [.escalated, .outcome] | map(tostring) | join(" ")' <<<"$body")" "true null" \
  "001 §11.4: they disagree, so it goes to the Director"
http POST "$F/$fid/decision" -H "$(auth director)" -H "$J" -d '{"view": "not_freeze", "reason": "The risk outweighs the presumption"}'
expect_eq "$code" 200 "the Director decides"
expect_eq "$(jq -r '.requests[-1].outcome' <<<"$body")" not_frozen "the outcome"
http POST "$F/$fid/review" -H "$A" -H "$J" -d '{"outcome": "maintained", "note": "The move went ahead safely"}'
expect_eq "$code" 200 "and its review"
http GET "$F" -H "$(auth manager)"
expect_eq "$(jq -r '.requests[-1].review_outcome' <<<"$body")" maintained "the request shows the review"
"$fh" audit verify --db "$db" >/dev/null 2>&1
ok $? "the audit chain still verifies"

# ---- mediation: what is said stays in the mediation -----------------------------
mref=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.kind = 'complaint' AND c.state = 'open' ORDER BY c.id LIMIT 1")
M=/api/v1/cases/$mref/actions
http POST "$M/refer_mediation" -H "$A" -H "$J" -d '{"on": "2026-11-23", "offered_by": "customer"}'
expect_eq "$code" 200 "001 §15.3: mediation requested by the customer ($mref)"
http POST "$M/agree_mediation" -H "$A" -H "$J" -d '{"on": "2026-11-23", "party": "organisation"}'
expect_eq "$code" 200 "both parties agree"
http POST "$M/end_mediation" -H "$A" -H "$J" -d '{"on": "2026-11-23", "outcome": "resolved",
  "action_plan": [{"action": "Weekly contact restored", "due_on": "2026-12-07"}],
  "notes": "Father said the contact worker shouted at Sam"}'
expect_eq "$code" 200 "mediation ends with its action plan"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE data LIKE '%shouted at Sam%'")" 0 \
  "001 §15.3: the mediation notes are never copied into the history"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$mref'
  AND e.action = 'end_mediation' AND e.data LIKE '%kept_out%'")" 1 "the event says notes were kept with the mediation"
http GET "/api/v1/cases/$mref/history" -H "$A"
case "$body" in *"shouted at Sam"*) ok 1 "not even the complaints team reads them in the history" ;; *) ok 0 "not even the complaints team reads them in the history" ;; esac
http GET "/api/v1/cases/$mref/lifecycle" -H "$(auth director)"
case "$body" in *"shouted at Sam"*) ok 1 "nor anyone outside the complaints team in the case's state" ;; *) ok 0 "nor anyone outside the complaints team in the case's state" ;; esac
expect_eq "$(jq -r '.state.mediation.action_plan[0].due_on' <<<"$body")" 2026-12-07 "the action plan with its timescale is shared"

# ---- data rights -------------------------------------------------------------
http POST "/api/v1/cases/$pref/consents" -H "$A" -H "$J" -d "{\"person_id\": $person, \"written\": true, \"dated_on\": \"2026-11-20\"}"
expect_eq "$code" 422 "001 §14.3: consent to share is signed as well as written"
expect_eq "$(jq -r .error.source <<<"$body")" "001 §14.3" "naming the rule"
http POST "/api/v1/cases/$pref/consents" -H "$A" -H "$J" -d "{\"person_id\": $person, \"written\": true, \"signed\": true, \"dated_on\": \"2026-11-20\"}"
expect_eq "$code" 201 "written, signed and dated consent is recorded"
expect_eq "$(jq -r '.consents[0].dated_on' <<<"$body")" 2026-11-20 "with its date"

doc=$(curl -sS -H "$A" -H 'Content-Type: text/plain' --data-binary 'The carer lives at 1 High St' \
  "$base/api/v1/cases/$pref/documents?filename=report.txt" | jq -r .id)
http POST "/api/v1/cases/$pref/documents/$doc/redactions?filename=report-redacted.txt" -H "$A" \
  -H 'Content-Type: text/plain' --data-binary 'The carer lives at [redacted]'
expect_eq "$code" 422 "a redaction says what was removed"
http POST "/api/v1/cases/$pref/documents/$doc/redactions?filename=report-redacted.txt&removed=the%20carer%27s%20address" -H "$A" \
  -H 'Content-Type: text/plain' --data-binary 'The carer lives at [redacted]'
expect_eq "$code" 201 "a redacted copy is stored"
copy=$(jq -r .id <<<"$body")
expect_eq "$(jq -r '.redaction_of + 0, .visibility' <<<"$body" | tr '\n' ' ')" "$doc customer " "as a new version to share, made from the original"
http GET "/api/v1/cases/$pref/documents/$doc" -H "$A"
expect_eq "$body" "The carer lives at 1 High St" "the original is kept as it was"
http GET "/api/v1/cases/$pref/documents/$copy" -H "$A"
expect_eq "$body" "The carer lives at [redacted]" "the copy holds the redacted text"

http GET "/api/v1/orgs/bct/people/$person/export" -H "$(auth investigator)"
expect_eq "$code" 403 "an investigating officer cannot export a person's data"
http GET "/api/v1/orgs/bct/people/$person/export" -H "$A"
expect_eq "$code" 200 "the complaints team exports everything held about the person"
expect_eq "$(jq -r '.subject.id' <<<"$body")" "$person" "their own details"
expect_eq "$(jq -r "[.cases[].reference] | index(\"$nref\") != null" <<<"$body")" true "every case they are on"
others=$(fh_sql "$db" "SELECT p.family_name FROM case_parties cp JOIN people p ON p.id = cp.person_id JOIN cases c ON c.id = cp.case_id
  WHERE c.reference = '$pref' AND cp.person_id <> $person AND length(p.family_name) > 2 LIMIT 1")
if [ -n "$others" ]; then
  case "$body" in *"$others"*) ok 1 "other people on the case are withheld ($others)" ;; *) ok 0 "other people on the case are withheld" ;; esac
else
  expect_eq "$(jq -r ".cases[] | select(.reference == \"$pref\") | .other_people_withheld" <<<"$body")" 0 "no one else on the case"
fi
expect_eq "$(jq -r '.behaviour.restrictions | length' <<<"$body")" 1 "their behaviour record"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM access_log WHERE detail = 'person $person subject access export'")" 1 \
  "the export is in the access log"
"$fh" audit verify --db "$db" >/dev/null 2>&1
ok $? "the audit chain still verifies"

# ---- joint complaints ------------------------------------------------------------
team=$(fh_sql "$db" "SELECT t.name FROM teams t JOIN organisations o ON o.id = t.org_id WHERE o.code = 'bct'
  AND t.level = 'team' ORDER BY t.id LIMIT 1")
[ "$(fh_sql "$db" "SELECT stage FROM cases WHERE reference = '$mref'")" -ge 1 ]; ok $? "$mref is at a stage"
http POST "/api/v1/cases/$mref/contributions" -H "$A" -H "$J" -d "{\"team\": \"$team\"}"
expect_eq "$code" 201 "001 §13.1: the $team team is asked for its contribution"
cid=$(jq -r '.contributions[-1].id' <<<"$body")
http POST "/api/v1/cases/$mref/actions/issue_response" -H "$A" -H "$J" -d '{"on": "2026-11-23"}'
expect_eq "$code" 422 "001 §13.1: the response is refused while a team's contribution is outstanding"
expect_eq "$(jq -r .error.source <<<"$body")" "001 §13.1" "naming the rule"
expect_contains "$(jq -r .error.message <<<"$body")" "$team" "and the team"
http POST "/api/v1/cases/$mref/contributions/$cid/received" -H "$A"
expect_eq "$code" 200 "the contribution arrives"
http POST "/api/v1/cases/$mref/actions/issue_response" -H "$A" -H "$J" -d '{"on": "2026-11-23"}'
[ "$(jq -r .error.source <<<"$body")" != "001 §13.1" ]; ok $? "then the co-ordination rule no longer stands in the way ($code)"

http POST "/api/v1/cases/$mref/liaisons" -H "$A" -H "$J" -d '{"organisation": "Birmingham Community Healthcare", "responder": "separate"}'
expect_eq "$code" 422 "001 §12.2: separate responses need the customer told how and by whom"
expect_eq "$(jq -r .error.source <<<"$body")" "001 §12.2" "naming the rule"
http POST "/api/v1/cases/$mref/liaisons" -H "$A" -H "$J" -d '{"organisation": "Birmingham Community Healthcare", "responder": "separate", "customer_told_on": "2026-11-23"}'
expect_eq "$code" 201 "001 §12.1: the liaison, who responds and when the customer was told"
http GET "/api/v1/cases/$mref/joint" -H "$(auth director)"
expect_eq "$(jq -r '.liaisons[0].responder + " " + .liaisons[0].customer_told_on' <<<"$body")" "separate 2026-11-23" "shown on the case"
"$fh" audit verify --db "$db" >/dev/null 2>&1
ok $? "the audit chain still verifies"

# ---- advocacy and access --------------------------------------------------------
# An open bct statutory case at Stage 1 whose response clock runs, not extended
# yet and not yet due (001 B: an extension is decided before the deadline).
aref=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN case_deadlines d ON d.case_id = c.id AND d.stage = 1
  AND d.clock = 'response' AND d.due_on > '2026-11-23' WHERE c.state = 'open' AND c.stage = 1
  AND c.procedure_code = 'bct-statutory' AND c.reference NOT IN ('$mref', '$pref') ORDER BY c.id DESC LIMIT 1")
child=$(fh_sql "$db" "SELECT min(cp.person_id) FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$aref'")
due_before=$(fh_sql "$db" "SELECT d.due_on FROM case_deadlines d JOIN cases c ON c.id = d.case_id WHERE c.reference = '$aref'
  AND d.stage = 1 AND d.clock = 'response'")
[ -n "$aref" ] && [ -n "$child" ]; ok $? "a Stage 1 case to offer advocacy on ($aref, due $due_before)"
AV=/api/v1/cases/$aref/advocacy
http POST "$AV" -H "$A" -H "$J" -d "{\"person_id\": $child, \"step\": \"referred\"}"
expect_eq "$code" 422 "advocacy is offered before it is referred"
http POST "$AV" -H "$A" -H "$J" -d "{\"person_id\": $child, \"step\": \"offered\", \"on\": \"2026-11-20\"}"
expect_eq "$code" 200 "advocacy offered"
expect_eq "$(jq -r '.advocacy[0].service' <<<"$body")" "$(fh_sql "$db" "SELECT advocacy_service FROM organisations WHERE code = 'bct'")" \
  "to the organisation's own advocacy service"
http POST "$AV" -H "$A" -H "$J" -d "{\"person_id\": $child, \"step\": \"referred\", \"on\": \"2026-11-23\", \"extend_to\": 30}"
expect_eq "$code" 422 "001 B Stage 1: the clock is extended no further than the procedure allows"
expect_eq "$(jq -r '.advocacy[0].referred_on' <<<"$(curl -sS -H "$A" "$base$AV")")" null "and the referral is not recorded either"
http POST "$AV" -H "$A" -H "$J" -d "{\"person_id\": $child, \"step\": \"referred\", \"on\": \"2026-11-23\", \"extend_to\": 20}"
expect_eq "$code" 200 "referred, extending Stage 1 to 20 working days to appoint an advocate"
expect_eq "$(jq -r '.advocacy[0].clock_extended' <<<"$body")" true "the referral shows the extension"
due_after=$(fh_sql "$db" "SELECT d.due_on FROM case_deadlines d JOIN cases c ON c.id = d.case_id WHERE c.reference = '$aref'
  AND d.stage = 1 AND d.clock = 'response'")
[ "$due_after" \> "$due_before" ]; ok $? "the Stage 1 response is due later ($due_before -> $due_after)"
expect_eq "$(fh_sql "$db" "SELECT e.data FROM events e JOIN cases c ON c.id = e.case_id
  WHERE c.reference = '$aref' AND e.action = 'extend'" | jq -r .params.because)" advocate "the lifecycle's extension, because of the advocate"
http POST "$AV" -H "$A" -H "$J" -d "{\"person_id\": $child, \"step\": \"taken_up\"}"
expect_eq "$code" 200 "advocacy taken up"
http POST "/api/v1/cases/$aref/access-needs" -H "$A" -H "$J" -d "{\"person_id\": $child, \"need\": \"interpreter\"}"
expect_eq "$code" 422 "an interpreter's language is required"
http POST "/api/v1/cases/$aref/access-needs" -H "$A" -H "$J" -d "{\"person_id\": $child, \"need\": \"interpreter\", \"detail\": \"Urdu\", \"arranged_on\": \"2026-11-23\"}"
expect_eq "$code" 201 "an interpreter is recorded"
http POST "/api/v1/cases/$aref/access-needs" -H "$A" -H "$J" -d "{\"person_id\": $child, \"need\": \"signer\"}"
expect_eq "$code" 201 "a signer is recorded"
http GET "/api/v1/orgs/bct/advocacy-counts?from=2026-01-01" -H "$(auth director)"
expect_eq "$(jq -r '[.advocacy[0].offered, .advocacy[0].referred, .advocacy[0].taken_up, .advocacy[0].clock_extended] | map(tostring) | join(" ")' <<<"$body")" "1 1 1 1" \
  "the counts for reports: offered, referred, taken up, extended"
expect_eq "$(jq -r '.access_needs | map(.need + "=" + (.count|tostring)) | join(" ")' <<<"$body")" "interpreter=1 signer=1" "and access needs by kind"
"$fh" audit verify --db "$db" >/dev/null 2>&1
ok $? "the audit chain still verifies"

done_testing
