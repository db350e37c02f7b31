#!/usr/bin/env bash
# A kept-alive connection on which a request is being sent is never reset:
# while the server's only worker waits for a locked table (longer than
# --timeout and its two seconds' grace), the next request of a client that
# keeps its connection open (tests/server/keepalive_client.js, as the browser
# tests' API requests) waits unread, and the slow-client sweep must not take
# it for a slow client (it used to close it: the client got ECONNRESET).
# Only PostgreSQL can hold a reader up for that long (a lock on the cases
# table); on SQLite, where readers never wait, it is a skip.
# usage: test_keepalive.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

if ! fh_pg; then
  skip "a request sent on a kept-alive connection while the worker is busy is answered" \
    "SQLite never holds a reader up"
  done_testing
  exit
fi

db=$(fh_db server)
fh_demo "$fh" "$db" "$FAIRHEARING_TODAY" ||
  { echo "Bail out! fairhearing init --demo failed: $(tail -3 "$tmp/init.out")"; exit 1; }
"$fh" token create --db "$db" --user complaints@bct.demo --name test >"$tmp/token.complaints.bct" 2>"$tmp/token.err" ||
  { echo "Bail out! token create failed: $(<"$tmp/token.err")"; exit 1; }
# one worker, so that one request waiting holds up every connection; the
# sweep closes a connection whose request is not in 1 + 2 s after the last
serve_args=(--threads 1 --timeout 1)
server_start "$fh"

# The lock: reads of cases wait for it (up to the store's lock_timeout, 5 s).
fh_sql "$db" "BEGIN; LOCK TABLE cases IN ACCESS EXCLUSIVE MODE; SELECT 'locked'; SELECT pg_sleep(8); COMMIT;" \
  >"$tmp/lock" 2>&1 &
locker=$!
for i in $(seq 1 200); do grep -q locked "$tmp/lock" && break; sleep 0.05; done
grep -q locked "$tmp/lock"; ok $? "the cases table is locked"

result=$(node "$here/keepalive_client.js" "$base" "$(auth complaints | sed 's/^Authorization: //')")
diag "$result"
expect_eq "$(jq -r .first <<<"$result")" 404 "the first request on the kept-alive connection is answered"
expect_eq "$(jq -r .error <<<"$result")" null \
  "the next request on it, sent while the worker waits, is not reset (no ECONNRESET)"
expect_eq "$(jq -r .second <<<"$result")" 404 "it is answered once the worker is free"
expect_eq "$(jq -r .reused <<<"$result")" true "on the same connection"
wait "$locker"
http GET /healthz
expect_eq "$code" 200 "the server still answers"
grep -q "closed a connection" "$tmp/server.err"
ok $((!$?)) "the sweep closed no connection"

done_testing
