#!/usr/bin/env bash
# Changes over HTTP under concurrency: many cases recorded at once go
# through the group-commit writer (src/server/writeq.c), refused ones among
# them; every 201 is a case that is on disk, every refusal left nothing
# behind, and the audit chain verifies afterwards (issue 5 §5).
# usage: test_writes.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"

count_cases() { fh_sql "$db" "SELECT count(*) FROM cases"; }
before=$(count_cases)
events_before=$(fh_sql "$db" "SELECT count(*) FROM events")

good='{"org": "bct", "kind": "complaint", "channel": "phone", "received_on": "2026-11-20",
  "summary": "Concurrent recording", "parties": [{"role": "complainant", "relationship": "self",
  "person": {"given_name": "Ada", "family_name": "Concurrent"}}],
  "points": [{"summary": "A visit was missed"}]}'
# Refused by the store (no such team) ...
bad_team='{"org": "bct", "kind": "complaint", "channel": "phone", "received_on": "2026-11-20",
  "summary": "Refused: no such team", "team": "No Such Team", "parties": [{"role": "complainant",
  "relationship": "self", "person": {"given_name": "Bad", "family_name": "Team"}}]}'
# ... and by validation (a date in the future), and another tenant (404).
bad_date='{"org": "bct", "kind": "complaint", "channel": "phone", "received_on": "2099-01-01",
  "summary": "Refused: future", "parties": []}'
bad_org='{"org": "bcp", "kind": "comment", "channel": "phone", "received_on": "2026-11-20",
  "summary": "Refused: another organisation", "parties": []}'
printf '%s' "$good" >"$tmp/good.json"
printf '%s' "$bad_team" >"$tmp/bad_team.json"
printf '%s' "$bad_date" >"$tmp/bad_date.json"
printf '%s' "$bad_org" >"$tmp/bad_org.json"

# 48 requests, 16 at a time: 36 good, 4 of each refusal, interleaved.
: >"$tmp/jobs"
for i in $(seq 1 48); do
  case $((i % 12)) in
    3) echo "$i bad_team" ;;
    6) echo "$i bad_date" ;;
    9) echo "$i bad_org" ;;
    *) echo "$i good" ;;
  esac >>"$tmp/jobs"
done
export base tmp
export AUTH_HEADER="$(auth complaints)"
xargs -P 16 -L 1 bash -c 'curl -sS -o "$tmp/out.$0" -D "$tmp/hdr.$0" -w "%{http_code} $1\n" --max-time 30 \
  -H "$AUTH_HEADER" -H "Content-Type: application/json" --data-binary @"$tmp/$1.json" \
  "$base/api/v1/cases" >"$tmp/code.$0"' <"$tmp/jobs"
cat "$tmp"/code.* >"$tmp/codes"

expect_eq "$(grep -c '^201 good$' "$tmp/codes")" 36 "every good case recorded at once is answered 201"
expect_eq "$(grep -c '^404 bad_team$' "$tmp/codes")" 4 "a case naming no such team is refused (404, field team)"
expect_eq "$(grep -c '^422 bad_date$' "$tmp/codes")" 4 "a case received in the future is refused (422)"
expect_eq "$(grep -c '^404 bad_org$' "$tmp/codes")" 4 "a case for another tenant is refused as not found (404)"
expect_eq "$(count_cases)" $((before + 36)) "exactly the 36 answered 201 are on disk"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM cases WHERE summary LIKE 'Refused%'")" 0 \
  "nothing of a refused case was kept"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM people WHERE family_name IN ('Team')")" 0 \
  "not even the people of a refused case"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events")" $((events_before + 36)) \
  "one 'recorded' event per kept case, none for a refused one"
team_field=$(for f in "$tmp"/code.*; do n=${f##*.}; grep -q bad_team "$f" && jq -r .error.field "$tmp/out.$n"; done | sort -u)
expect_eq "$team_field" team "the refusal names its field"

# Every Location answered is a case that can be read back.
missing=0
for f in "$tmp"/hdr.*; do
  loc=$(tr -d '\r' <"$f" | sed -n 's/^Location: //p')
  [ -n "$loc" ] || continue
  http GET "$loc" -H "$(auth complaints)"
  [ "$code" = 200 ] || missing=$((missing + 1))
done
expect_eq "$missing" 0 "every case answered 201 reads back"
refs=$(fh_sql "$db" "SELECT count(DISTINCT reference) FROM cases WHERE summary = 'Concurrent recording'")
expect_eq "$refs" 36 "each has a reference of its own"

http GET /metrics -H "$(auth admin)"
changes=$(sed -n 's/^fairhearing_write_changes_total \([0-9]*\)$/\1/p' <<<"$body")
batches=$(sed -n 's/^fairhearing_write_batches_total \([0-9]*\)$/\1/p' <<<"$body")
[ "${changes:-0}" -ge 48 ]; ok $? "/metrics counts the changes that went through the writer"
diag "batches $batches for $changes changes"
[ -n "$batches" ] && [ "$batches" -ge 1 ] && [ "$batches" -le "$changes" ]; ok $? "... and the batches that committed them"

# Another program holds the database's write lock for longer than the
# writer waits (5 s): the batch cannot begin, so the change is answered 503
# and nothing of it is kept. On PostgreSQL the lock is on the cases table
# (EXCLUSIVE: reads go on, no row can be written), and the store's writer
# must give up after the same 5 s (lock_timeout).
hold_lock() { # hold_lock SECONDS: takes the write lock, says "locked", holds it
  if fh_pg; then
    fh_sql "$db" "BEGIN; LOCK TABLE cases IN EXCLUSIVE MODE; SELECT 'locked';
      SELECT pg_sleep($1); COMMIT;"
    return
  fi
  python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE"); print("locked", flush=True)
time.sleep(float(sys.argv[2])); c.execute("COMMIT")' "$db" "$1"
}
wait_locked() { local i; for i in $(seq 1 100); do grep -q locked "$1" && return 0; sleep 0.05; done; return 1; }
n=$(count_cases)
hold_lock 6.5 >"$tmp/lock1" &
locker=$!
wait_locked "$tmp/lock1"
http POST /api/v1/cases -H "$(auth complaints)" -H "Content-Type: application/json" -d "$good"
expect_eq "$code:$(jq -r .error.code <<<"$body")" "503:unavailable" "a change that cannot be committed is answered 503"
wait "$locker"
expect_eq "$(count_cases)" "$n" "and nothing of it was kept"

# SIGTERM while a change waits for its batch: the change is committed and
# answered before the server exits.
hold_lock 4 >"$tmp/lock2" &
locker=$!
wait_locked "$tmp/lock2"
curl -sS -o "$tmp/inflight.body" -w '%{http_code}' --max-time 30 -H "$(auth complaints)" \
  -H "Content-Type: application/json" -d "$good" "$base/api/v1/cases" >"$tmp/inflight.code" &
poster=$!
for i in $(seq 1 60); do # until the POST is in flight (this scrape is the other one)
  in_flight=$(curl -s -H "$(auth admin)" "$base/metrics" | sed -n 's/^fairhearing_http_requests_in_flight //p')
  [ "${in_flight:-0}" -ge 2 ] && break
  sleep 0.05
done
kill -TERM "$server_pid"
wait "$poster"
wait "$locker"
expect_eq "$(cat "$tmp/inflight.code")" 201 "a change in flight at SIGTERM is committed and answered"
server_wait
expect_eq "$server_rc" 0 "the server then exits 0"
sigterm_line=$(grep -n 'SIGTERM' "$tmp/server.err" | head -1 | cut -d: -f1)
post_line=$(grep -n '"method":"POST","path":"/api/v1/cases","status":201' "$tmp/server.err" | tail -1 | cut -d: -f1)
[ -n "$sigterm_line" ] && [ -n "$post_line" ] && [ "$post_line" -gt "$sigterm_line" ]
ok $? "it was answered after SIGTERM came"
inflight_ref=$(jq -r .reference "$tmp/inflight.body")
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM cases WHERE reference = '$inflight_ref'")" 1 "the case is on disk"

run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies after concurrent recording with refusals"

done_testing
