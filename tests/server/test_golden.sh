#!/usr/bin/env bash
# The golden path over HTTP: a BCT statutory complaint recorded with POST
# /cases and taken through all three stages with POST /cases/{ref}/actions,
# each step as golden_bct_statutory.txt lists it (refusals included, and the
# written consent to share that Stage 2 waits for, 001 §14.3); then
# the case, its history, its lifecycle view (the confidential addendum
# hidden from an investigator) and the audit chain are checked.
# usage: test_golden.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"

# The scenario needs BCT's statutory procedure, which init --demo installs.
http GET /api/v1/procedures -H "$(auth complaints)"
if [ "$(jq -r '[.procedures[].code] | index("bct-statutory") != null' <<<"$body")" != true ]; then
  echo "1..0 # SKIP the demo database has no bct-statutory procedure installed"
  exit 0
fi

http POST /api/v1/cases -H "$(auth complaints)" -H 'Content-Type: application/json' -d '{
  "org": "bct", "kind": "complaint", "channel": "email", "received_on": "2026-06-01",
  "summary": "Sibling contact cancelled",
  "parties": [{"role": "complainant", "relationship": "self", "child_status": "looked_after",
    "person": {"given_name": "Amira", "family_name": "Khan", "date_of_birth": "2010-03-04"}}],
  "points": [{"summary": "Contact cancelled twice", "desired_outcome": "Contact restored"},
             {"summary": "No reply to emails", "desired_outcome": "Replies within two days"}]}'
expect_eq "$code" 201 "a statutory complaint is recorded"
ref=$(jq -r .reference <<<"$body")
person=$(fh_sql "$db" "SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id
  WHERE c.reference = '$ref' AND cp.role = 'complainant'")

n=0
while read -r who action want params; do
  case "$who" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  params=${params//\{person\}/$person}
  case "$action" in
    /*) path="/api/v1/cases/$ref$action" ;;
    *) path="/api/v1/cases/$ref/actions/$action" ;;
  esac
  http POST "$path" -H "$(auth "$who")" -H 'Content-Type: application/json' -d "$params"
  expect_eq "$code" "$want" "step $n: $who $action -> $want"
  [ "$code" = "$want" ] || diag "$body"
  # An action's answer carries the new state only as far as the caller may
  # see it: nobody but the complaints team and the adjudicator gets the
  # confidential addendum back (001 B Stage 2).
  if [ "$code" = 200 ] && [ "$who" != complaints ] && [ "$who" != adjudicator ]; then
    case "$body" in *"Confidential addendum"*) ok 1 "step $n: $who is not sent the confidential addendum" ;;
                    *) ok 0 "step $n: $who is not sent the confidential addendum" ;; esac
  fi
  if [ "$want" = 422 ] || [ "$want" = 403 ] || [ "$want" = 409 ]; then
    [ -n "$(jq -r '.error.message // empty' <<<"$body")" ]; ok $? "step $n: the refusal says why"
  fi
done <"$here/golden_bct_statutory.txt"

http GET "/api/v1/cases/$ref" -H "$(auth complaints)"
expect_eq "$(jq -r '.state + " " + (.stage|tostring) + " " + .closed_on' <<<"$body")" "closed 3 2026-09-29" "the case is closed after Stage 3"
expect_eq "$(jq -r '.findings | length' <<<"$body")" 6 "a finding for every point at every stage"
http GET "/api/v1/cases/$ref/history" -H "$(auth complaints)"
expect_eq "$(jq -r '.events[-1].action' <<<"$body")" close "the history ends with the close"
expect_eq "$(jq -r '[.events[] | select(.action == "issue_response")] | length' <<<"$body")" 3 "with three stage responses"
http GET "/api/v1/cases/$ref/lifecycle" -H "$(auth complaints)"
expect_contains "$body" "Confidential addendum" "the complaints team sees the confidential addendum"
http GET "/api/v1/cases/$ref/lifecycle" -H "$(auth investigator)"
expect_eq "$code" 200 "the investigator sees the lifecycle of a case assigned to them"
case "$body" in *"Confidential addendum"*) ok 1 "but not the confidential addendum" ;; *) ok 0 "but not the confidential addendum" ;; esac
http GET "/api/v1/cases/$ref/history" -H "$(auth investigator)"
case "$body" in *"Confidential addendum"*) ok 1 "nor in the history" ;; *) ok 0 "nor in the history" ;; esac
# Issue 14 item 11, 000 "The outcome of your complaint": the customer gets a
# copy of the Investigating Officer's report with the Stage 2 response, on
# the tracking page and in the response letter; the addendum stays out.
known=fhl_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' | cut -c1-43)
fh_sql "$db" "INSERT INTO case_tracking (case_id, token_hash, created_at) SELECT id,
  $(fh_blob "$(printf %s "$known" | b2sum -l 256 | cut -c1-64)"), '2026-11-23T09:00:00Z' FROM cases WHERE reference = '$ref'" >/dev/null
http GET "/o/bct/track/$known"
expect_eq "$code" 200 "the tracking page opens"
expect_contains "$body" "The Investigating Officer&#39;s report (sent with our stage 2 response)" "it shows the IO's report sent with the Stage 2 response (000)"
expect_contains "$body" "<p>Investigating Officer's report</p>" "with its text"
expect_not_contains "$body" "Confidential addendum" "but never the confidential addendum (001 B Stage 2)"
expect_not_contains "$body" "Independent Person: the investigation was fair" "nor a report the procedure does not enclose"
run "$fh" letter issue --db "$db" --case "$ref" --kind stage_response --stage 2 --dry-run --format text --out -
expect_rc 0 "the Stage 2 response letter"
expect_contains "$out" "Investigating Officer's report" "encloses the IO's report"
expect_not_contains "$out" "Confidential addendum" "and not the addendum"

run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies"

done_testing
