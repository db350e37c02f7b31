#!/usr/bin/env bash
# Authorisation, exhaustively: every route of the server against every role,
# no credentials, and another tenant, as listed in routes.tsv; and a check
# that routes.tsv lists exactly the routes in src/server/routes.c.
# usage: test_routes.sh PATH/TO/fairhearing [K/N]
# With K/N it is shard K of N (tests/cli/tap.sh): the table's rows in N
# blocks, each tried in order on a server and database of the shard's own;
# the first shard also compares the table with the code, the last one ends
# with the lifecycle's refusal.
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
shard_set "${2:-1/1}"
server_setup "$fh"

table=$here/routes.tsv
routes_c=$here/../../src/server/routes.c
callers=(none $demo_logins other)

# The table and the code name the same routes.
if [ "$shard_k" -eq 1 ]; then
  from_code=$(grep -oE '^\s*\{"(GET|POST|PUT|PATCH|DELETE)", "[^"]+"' "$routes_c" | sed -E 's/^\s*\{"([A-Z]+)", "([^"]+)"/\1 \2/' | sort)
  from_table=$(grep -vE '^(#|$)' "$table" | awk '{print $1, $2}' | sort)
  expect_eq "$from_table" "$from_code" "routes.tsv lists every route of routes.c, and no other"
fi
# This shard's block of rows: row r (from 0) of the table's rows is in
# block r * N / rows + 1.
rows=$(grep -cvE '^(#|$)' "$table")
row=-1

# The case every case route is tried on: an open bct case with an
# investigator and an independent person assigned at Stage 2 (added here
# when the demo data has none), and the other officers not; who is
# assigned is then read from the database, not assumed.
ref=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.kind = 'complaint' ORDER BY c.state = 'open' DESC, c.id LIMIT 1")
for pair in investigator:investigating_officer independent:independent_person; do
  login=${pair%%:*} role=${pair#*:}
  fh_sql "$db" "INSERT INTO case_assignments (case_id, stage, user_id, user_email, role, assigned_on)
    SELECT c.id, 2, u.id, u.email, '$role', '2026-11-20' FROM cases c, users u
    WHERE c.reference = '$ref' AND u.email = '$login@bct.demo' AND NOT EXISTS
    (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.user_id = u.id AND a.ended_at IS NULL)"
done
[ -n "$ref" ]; ok $? "a bct case to try the case routes on ($ref)"
# assigned LOGIN: 0 when LOGIN@bct.demo is assigned to $ref. Read from the
# database once, then kept in is_assigned until a write is not refused (the
# matrix's own requests may assign or end assignments): some three hundred
# cells ask, and each ask is a process (psql on PostgreSQL).
declare -A is_assigned=()
assigned() {
  if [ -z "${is_assigned[$1]:-}" ]; then
    is_assigned[$1]=$(fh_sql "$db" "SELECT count(*) FROM case_assignments a JOIN users u ON u.id = a.user_id
      JOIN cases c ON c.id = a.case_id WHERE c.reference = '$ref' AND u.email = '$1@bct.demo'
      AND a.ended_at IS NULL")
  fi
  [ "${is_assigned[$1]}" -gt 0 ]
}
n_assigned=0
for login in adjudicator investigator independent panel reviewer; do assigned $login && n_assigned=$((n_assigned + 1)); done
[ "$n_assigned" -ge 1 ] && [ "$n_assigned" -lt 5 ]; ok $? "the case has some officers assigned and not others ($n_assigned of 5)"

# A staff document on the case, for {id}.
doc_id=$(curl -sS -H "$(auth complaints)" -H 'Content-Type: text/plain' --data-binary 'Matrix note' \
  "$base/api/v1/cases/$ref/documents?filename=matrix.txt" | jq -r .id)
[ "$doc_id" -ge 1 ] 2>/dev/null; ok $? "a document on the case to try the document routes on ($doc_id)"

# The complainant of the case, for {party}.
complainant=$(fh_sql "$db" "SELECT cp.id FROM case_parties cp JOIN cases c ON c.id = cp.case_id
  WHERE c.reference = '$ref' AND cp.role = 'complainant'")
[ -n "$complainant" ]; ok $? "the case has a complainant to try the party routes on ($complainant)"
# A letter on the case, for /letters/{id}.
letter_id=$("$fh" letter issue --db "$db" --case "$ref" --kind behaviour_warning --set behaviour=Matrix \
  --set evidence=Matrix | sed -n 's/^issued letter \([0-9]*\) .*/\1/p')
[ "${letter_id:-0}" -ge 1 ] 2>/dev/null; ok $? "a letter on the case to try the letter routes on ($letter_id)"
letter_body='{"kind": "behaviour_warning", "dry_run": true, "values": {"behaviour": "Matrix", "evidence": "Matrix"}}'
# A person on the case, for the routes about one person.
person_id=$(fh_sql "$db" "SELECT min(cp.person_id) FROM case_parties cp JOIN cases c ON c.id = cp.case_id
  WHERE c.reference = '$ref'")

# A received email in quarantine, for /mail/{id}.
mail_id=$(printf 'From: Matrix <matrix@example.org>\nSubject: Matrix\nMessage-ID: <matrix-1@example.org>\nAuto-Submitted: auto-replied\n\nAway.\n' |
  "$fh" mail receive --db "$db" --org bct | sed -n 's/^quarantined (message \([0-9]*\)).*/\1/p')
[ "${mail_id:-0}" -ge 1 ] 2>/dev/null; ok $? "an email in quarantine to try the mail routes on ($mail_id)"

case_body='{"org": "bct", "kind": "complaint", "channel": "phone", "received_on": "2026-11-20",
  "summary": "Matrix test", "parties": [{"role": "complainant", "relationship": "self",
  "person": {"given_name": "Matrix", "family_name": "Caller"}}]}'

while read -r method pattern bodykind expected_all; do
  case "$method" in ''|'#'*) continue ;; esac
  row=$((row + 1))
  [ $((row * shard_n / rows + 1)) -eq "$shard_k" ] || continue
  path=${pattern//\{org\}/bct}
  path=${path//\{ref\}/$ref}
  path=${path//\{action\}/acknowledge}
  path=${path//\{year\}/2026}
  path=${path//\{n\}/1} # a self-assessment requirement's place in its template
  case "$pattern" in */letters/\{id\} | */letters/\{id\}/*) path=${path//\{id\}/$letter_id} ;; esac
  path=${path//remedies\/\{id\}/remedies\/0} # refused as a number (400) only once authorised
  path=${path//people\/\{id\}/people\/$person_id}
  path=${path//contributions\/\{id\}/contributions\/0} # 400 once authorised, as a remedy
  path=${path//mail\/\{id\}/mail\/$mail_id}
  path=${path//\{id\}/$doc_id}
  path=${path//\{code\}/bct-statutory}
  path=${path//\{date\}/2026-12-29}
  path=${path//\{step\}/kind}
  path=${path//\{token\}/fhl_never-issued}
  path=${path//\{email\}/matrix.user@bct.demo}
  path=${path//\{party\}/$complainant}
  [ "$method $pattern" = "POST /api/v1/cases/{ref}/documents" ] && path+='?filename=matrix.txt'
  case "$pattern" in # the calendar's required parameters, so that 200 means allowed
    /api/v1/calendar/add) path+='?date=2026-11-23&n=5' ;;
    /api/v1/calendar/between) path+='?from=2026-11-23&to=2026-12-23' ;;
    /api/v1/orgs/{org}/report) path+='?from=2026-10-01&to=2026-10-31&format=csv' ;;
  esac
  read -r -a expected <<<"$expected_all"
  for i in "${!callers[@]}"; do
    caller=${callers[$i]}
    want=${expected[$i]}
    args=()
    case "$caller" in
      none) ;;
      other) args+=(-H "$(auth complaints bcp)") ;;
      *) args+=(-H "$(auth "$caller")") ;;
    esac
    case "$bodykind" in
      login) args+=(-H 'Content-Type: application/json' -d "{\"email\":\"nobody-$caller@bct.demo\",\"password\":\"wrong-password\"}") ;;
      case) args+=(-H 'Content-Type: application/json' -d "$case_body") ;;
      doc) args+=(-H 'Content-Type: text/plain' --data-binary "Matrix note by $caller") ;;
      form) args+=(-H 'Content-Type: application/x-www-form-urlencoded' --data 'csrf_token=forged&kind=complaint&on=2026-11-23') ;;
      user) args+=(-H 'Content-Type: application/json' -d '{"email": "matrix.user@bct.demo", "display_name": "Matrix User", "roles": [{"role": "reviewing_officer"}]}') ;;
      party) args+=(-H 'Content-Type: application/json' -d '{"role": "advocate", "relationship": "advocate", "person": {"given_name": "Matrix", "family_name": "Advocate"}}') ;;
      patch) args+=(-H 'Content-Type: application/json' -d '{"person": {"phone": "0121 496 0000"}}') ;;
      pw) args+=(-H 'Content-Type: application/json' -d '{"password": "matrix-password-long"}') ;;
      role) args+=(-H 'Content-Type: application/json' -d '{"role": "panel_member"}') ;;
      indep) args+=(-H 'Content-Type: application/json' -d '{"independent": true}') ;;
      team) args+=(-H 'Content-Type: application/json' -d '{"name": "Matrix Team", "level": "service"}') ;;
      proc) args+=(-H 'Content-Type: application/json' --data-binary @"$here/../../procedures/bct-statutory.json") ;;
      letter) args+=(-H 'Content-Type: application/json' -d "$letter_body") ;;
    esac
    http "$method" "$path" "${args[@]}"
    case "$method $code" in GET* | *" 4"[0-9][0-9]) ;; *) is_assigned=() ;; esac
    if [ "$want" = asg201 ]; then
      if assigned "$caller"; then want=201; else want=404; fi
    fi
    if [ "$want" = asg403 ]; then
      if assigned "$caller"; then want=403; else want=404; fi
    fi
    case "$want" in asg[0-9][0-9][0-9]) # that status if assigned, else 404
      if assigned "$caller"; then want=${want#asg}; else want=404; fi ;; esac
    if [ "$want" = asg ]; then
      if assigned "$caller"; then want=200; else want=404; fi
    fi
    if [ "$want" = asg403 ]; then
      if assigned "$caller"; then want=403; else want=404; fi
    fi
    if [ "$want" = act ]; then
      case " adjudicator investigator independent panel reviewer " in
        *" $caller "*) assigned "$caller" || want=404 ;;
      esac
    fi
    if [ "$want" = act ]; then
      case "$code" in 401|404|5*|000) ok 1 "$method $pattern as $caller: the lifecycle decides (got $code)"; diag "$body" ;;
        *) ok 0 "$method $pattern as $caller: the lifecycle decides ($code)" ;; esac
    else
      expect_eq "$code" "$want" "$method $pattern as $caller: $want"
    fi
  done
done <"$table"

# A refusal from the lifecycle for a role that may not act is 403, not 404.
[ "$shard_k" -eq "$shard_n" ] || { done_testing; exit; }
http POST "/api/v1/cases/$ref/actions/close" -H "$(auth director)"
case "$code" in 403|409|422) ok 0 "an action the rules refuse answers 403, 409 or 422 ($code)" ;;
  *) ok 1 "an action the rules refuse answers 403, 409 or 422 (got $code)"; diag "$body" ;; esac

done_testing
