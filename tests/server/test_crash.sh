#!/usr/bin/env bash
# Never lose an acknowledged write: four clients file cases over HTTP, the
# server is killed with SIGKILL while they are still sending, it is started
# again on the same database, and every case that was answered 201 must be
# there with exactly what was sent, with the audit chain whole.  Bounded:
# about three seconds of writing.  On either backend: with PostgreSQL it is
# the server that dies, not the database, and what is checked is the same
# (what PostgreSQL acknowledged outlives its client, with fsync on or off:
# tests/run.sh runs its cluster without, scripts/pg-cluster.sh).
# usage: test_crash.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"
token=$(cat "$tmp/token.complaints.bct")
writers="1 2 3 4"

# Each request is different, so a case read back can be matched to what was
# sent: the writer, a counter and a random number in the summary, details
# with quotes and non-ASCII, a family name and two points.
writer() { # writer N: files cases until $tmp/stop exists; logs each 201
  local n=$1 i=0 out summary
  while [ ! -e "$tmp/stop" ]; do
    i=$((i + 1))
    summary="Crash test w$n #$i r$RANDOM"
    jq -nc --arg s "$summary" --arg n "$n" --arg i "$i" '{org: "bct", kind: "complaint",
      channel: "email", received_on: "2026-11-20", summary: $s,
      details: ("Sent by writer " + $n + ", request " + $i + ": \"quoted\", café, 50% — ok"),
      parties: [{role: "complainant", relationship: "self", child_status: "child_in_need",
        person: {given_name: "Writer", family_name: ("Crash-" + $n + "-" + $i)}}],
      points: [{summary: ("First point " + $i), desired_outcome: "An apology"},
               {summary: ("Second point " + $n), desired_outcome: "A review"}]}' >"$tmp/req.$n"
    out=$(curl -sS --max-time 5 -w '\n%{http_code}' -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' --data-binary "@$tmp/req.$n" "$base/api/v1/cases" 2>/dev/null)
    if [ $? -ne 0 ]; then
      echo x >>"$tmp/refused.$n" # the server is gone: count it, try again until told to stop
      sleep 0.05
      continue
    fi
    if [ "${out##*$'\n'}" = 201 ]; then
      ref=$(jq -r .reference <<<"${out%$'\n'*}")
      printf '%s\t%s\n' "$ref" "$(base64 -w0 "$tmp/req.$n")" >>"$tmp/acked.$n"
    fi
  done
}
for n in $writers; do writer "$n" & eval "w$n=\$!"; done

# Kill once ten cases have been answered, however slow the machine is today
# (up to two minutes), with the writers still sending more.
for _ in $(seq 1 1200); do
  [ "$(cat "$tmp"/acked.* 2>/dev/null | wc -l)" -ge 10 ] && break
  sleep 0.1
done
sleep 0.5
before=$(cat "$tmp"/acked.* 2>/dev/null | wc -l)
kill -KILL "$server_pid"
killed_pid=$server_pid
wait "$server_pid" 2>/dev/null
server_pid=
sleep 0.5 # the writers go on knocking at a dead server for a moment
touch "$tmp/stop"
for n in $writers; do eval "wait \$w$n"; done
ok 0 "the server was killed with SIGKILL (pid $killed_pid) while four clients were filing cases"
acked=$(cat "$tmp"/acked.* | wc -l)
[ "$acked" -ge 10 ]; ok $? "cases were acknowledged before the kill ($acked; $before counted just before it)"
refused=$(cat "$tmp"/refused.* 2>/dev/null | wc -l)
[ "$refused" -gt 0 ]; ok $? "the clients were still sending when it died ($refused requests found it gone)"

run fh_integrity "$db"
expect_eq "$out" ok "the database is whole after the kill ($(if fh_pg; then echo amcheck on every index; else echo integrity_check; fi))"
server_start "$fh"
http GET /healthz
expect_eq "$code" 200 "the server starts again on the same database"
[ "$code" = 200 ] || diag "server: $(tail -5 "$tmp/server.err"); curl: $(cat "$tmp/curl.err")"

# Every acknowledged case, read back over HTTP, against what was sent.
fields='[.summary, .details, .kind, .channel, .received_on, .parties[0].relationship,
  .parties[0].person.family_name, ([.points[] | .summary + "|" + .desired_outcome] | join(";"))]'
lost=0 changed=0
while IFS=$'\t' read -r ref req; do
  http GET "/api/v1/cases/$ref" -H "Authorization: Bearer $token"
  if [ "$code" != 200 ]; then
    lost=$((lost + 1)); diag "$ref answered $code"; continue
  fi
  want=$(base64 -d <<<"$req" | jq -c "$fields")
  got=$(jq -c "$fields" <<<"$body")
  if [ "$want" != "$got" ]; then
    changed=$((changed + 1)); diag "$ref: sent $want, read $got"
  fi
done < <(cat "$tmp"/acked.*)
expect_eq "$lost" 0 "every one of the $acked cases answered 201 is there after the restart"
expect_eq "$changed" 0 "each with exactly what was sent"
dups=$(cat "$tmp"/acked.* | cut -f1 | sort | uniq -d | wc -l)
expect_eq "$dups" 0 "no reference was given to two cases"

run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies after the kill"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM cases c WHERE c.summary LIKE 'Crash test%'
  AND NOT EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id)")" 0 \
  "no case was left half-written (each has its deadlines)"

# The restarted server takes new cases and numbers them after the last.
http POST /api/v1/cases -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data-binary "@$tmp/req.1"
expect_eq "$code" 201 "a case filed after the restart is recorded"
run "$fh" audit verify --db "$db"
expect_rc 0 "and the chain still verifies"

server_stop
done_testing
