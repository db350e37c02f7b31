#!/usr/bin/env bash
# The staff pages' benchmark (issue 6 §4): `make bench` runs it through
# bench/run.sh after bench/server.sh, on the same 100,000-case database.
#   bash bench/pages.sh BUILD_DIR
# Serves a fresh copy of BUILD_DIR/bench-server/cases-100k.db (bench/server.sh
# builds it once) and asks, one request at a time, for the team dashboard of
# bct's complaints team (every open bct case: the heaviest view), its overdue
# list, an officer's "My work", and a case page.  The server-side time is
# the server's own access log's "ms" (from the request's arrival to the
# answer being sent, with the sign-in, the queries, the rendering and, for a
# case page, the wait for its read to be in the access log); wrk gives the
# time seen by the client.  Prints the figures docs/performance.md records.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
duration=${FH_BENCH_SECONDS:-10}
work=$build/bench-server
data=$work/cases-100k.db
if [ ! -f "$data" ]; then
  bash "$root/bench/server.sh" "$build" >/dev/null # builds the database
fi
ninja -C "$build" fairhearing >/dev/null
fh=$build/fairhearing
export FAIRHEARING_TODAY=2026-11-23
bench_copy pages
token=$("$fh" token create --db "$db" --user complaints@bct.demo --name bench-pages)
officer=$("$fh" token create --db "$db" --user adjudicator@bct.demo --name bench-pages)
log=$work/pages.log
bench_serve "$work/pages.out" "$log" --threads 2
ref=$(sqlite3 "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.stage = 2 ORDER BY c.id DESC LIMIT 1")
echo "database: $(sqlite3 "$db" "SELECT count(*) FROM cases") cases, of which bct's open:" \
  "$(sqlite3 "$db" "SELECT count(*) FROM cases WHERE org_id = 1 AND state IN ('received', 'open', 'suspended')")"

# server_ms FILE: the server-side milliseconds of the requests in FILE (access log lines)
server_ms() {
  sed -n 's/.*"ms":\([0-9.]*\).*/\1/p' "$1" | sort -n |
    awk '{a[NR] = $1} END { if (NR == 0) exit; p = int(NR * 0.99); if (p < 1) p = 1;
      printf "  server-side: %d requests, median %.2f ms, p99 %.2f ms, max %.2f ms\n",
      NR, a[int((NR + 1) / 2)], a[p], a[NR] }'
}

measure() { # measure NAME PATH TOKEN
  local name=$1 path=$2 auth="Authorization: Bearer $3"
  local bytes
  bytes=$(curl -sf -H "$auth" -o /dev/null -w '%{size_download}' "$base$path")
  echo "== $name: GET $path ($bytes bytes of HTML) =="
  wrk -t1 -c1 -d2s -H "$auth" "$base$path" >/dev/null # warm
  local before
  before=$(wc -l <"$log")
  wrk -t1 -c1 -d"${duration}s" --latency -H "$auth" "$base$path" |
    grep -E 'Requests/sec|50%|99%|Non-2xx' | sed 's/^/  client: /'
  tail -n +"$((before + 1))" "$log" | grep -F '"status":200' >"$log.run" || true
  server_ms "$log.run"
}

measure "team dashboard (bct complaints team)" /staff/team "$token"
measure "team dashboard, overdue" "/staff/team?clock=overdue" "$token"
measure "team dashboard, page 100" "/staff/team?page=100" "$token"
measure "My work (adjudicating officer)" /staff/work "$officer"
measure "case page" "/staff/cases/$ref" "$token"
# One at a time, a case page waits for its read to be flushed to the access
# log before it is sent; sixteen at once share those flushes, and the rate
# bounds what rendering costs: two cores' milliseconds over pages a second.
echo "== case page, 16 at once: GET /staff/cases/$ref =="
wrk -t1 -c16 -d"${duration}s" --latency -H "Authorization: Bearer $token" "$base/staff/cases/$ref" |
  grep -E 'Requests/sec|50%|99%|Non-2xx' | sed 's/^/  client: /' | tee "$log.rate"
rate=$(sed -n 's/.*Requests\/sec: *\([0-9.]*\).*/\1/p' "$log.rate")
[ -n "$rate" ] && awk -v r="$rate" 'BEGIN { printf "  at most %.2f ms of CPU a page (2 cores, shared with wrk)\n", 2000 / r }'
rm -f "$log.rate"
bench_peak_memory
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
trap - EXIT
rm -f "$db" "$db-wal" "$db-shm" "$log.run"
