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
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies"

done_testing
