#!/usr/bin/env bash
# The rest of the policy over HTTP: remedies (001 §18, Appendix B).
# The route-by-role matrix is in routes.tsv.
# usage: test_policy_api.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/tap.sh"
. "$here/lib.sh"
server_setup "$fh"
A=$(auth complaints)
J='Content-Type: application/json'

# ---- redress ---------------------------------------------------------------
# A bct complaint with an upheld finding and a stage answered late, and one
# with no upheld or partly upheld finding.
justified=$(sqlite3 "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND EXISTS (SELECT 1 FROM findings f JOIN complaint_points p ON p.id = f.point_id
    WHERE p.case_id = c.id AND f.outcome IN ('upheld', 'partly_upheld'))
  AND EXISTS (SELECT 1 FROM case_stages s WHERE s.case_id = c.id AND coalesce(s.responded_on, '2026-11-23') > s.due_on)
  ORDER BY c.id LIMIT 1")
unjustified=$(sqlite3 "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.kind = 'complaint' AND NOT EXISTS (SELECT 1 FROM findings f
    JOIN complaint_points p ON p.id = f.point_id WHERE p.case_id = c.id
    AND f.outcome IN ('upheld', 'partly_upheld')) ORDER BY c.id LIMIT 1")
[ -n "$justified" ] && [ -n "$unjustified" ]; ok $? "demo cases to try remedies on ($justified, $unjustified)"

http POST "/api/v1/cases/$unjustified/remedies" -H "$A" -H "$J" -d '{"type": "apology", "description": "Sorry"}'
expect_eq "$code" 422 "001 Appendix B: a remedy on a complaint with no upheld finding is refused"
expect_eq "$(jq -r .error.source <<<"$body")" "001 Appendix B" "the refusal names its source"

events_before=$(sqlite3 "$db" "SELECT count(*) FROM events")
http POST "/api/v1/cases/$justified/remedies" -H "$A" -H "$J" \
  -d '{"type": "financial", "category": "quantifiable_loss", "amount_pence": 40000, "description": "Costs", "exception": "legal_action"}'
expect_eq "$code" 422 "001 Appendix B Exceptions: a matter under legal action is refused"
expect_contains "$(jq -r .error.message <<<"$body")" "legal action" "the refusal gives the reason"
expect_eq "$(jq -r .error.field <<<"$body")" "exception" "and names the field"
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM events")" "$events_before" "nothing is recorded for a refusal"

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
expect_eq "$(sqlite3 "$db" "SELECT group_concat(action, ' ') FROM (SELECT action FROM events e JOIN cases c ON c.id = e.case_id
  WHERE c.reference = '$justified' AND action LIKE 'remedy_%' ORDER BY e.id)")" \
  "remedy_recorded remedy_recorded remedy_approved remedy_delivered" "each step is an event in the case's history"
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM access_log a JOIN cases c ON c.id = a.case_id
  WHERE c.reference = '$justified' AND a.detail = 'remedies'")" 1 "reading the remedies is in the access log"
"$fh" audit verify --db "$db" >/dev/null 2>&1
ok $? "the audit chain still verifies"

done_testing
