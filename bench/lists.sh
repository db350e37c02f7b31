#!/usr/bin/env bash
# The case list and search over a large database:
#   bash bench/lists.sh BUILD_DIR [N]
# Makes a database of about N cases (default 1,000,000) once and keeps it as
# BUILD/bench-lists/cases-N.db: the demo data (360 cases), every case copied
# in SQL with its search row (cases_fts) until there are N, each copy on its
# original's dates, so about 2,800 cases share each date received and only
# the id orders them (the copies have no parties, points or history: what is
# measured is the list, not the audit chain).  Then serves a fresh copy with
# `fairhearing serve --threads 4` and runs wrk against GET /api/v1/cases as
# bct's complaints team (who see bct's cases, about 42% of all):
#   the first page of the list (limit 20), the page its next link gives,
#   a page 50,000 cases deep reached by following next links, and the same
#   page asked for by offset=50000 (the old way, for comparison);
#   a search matching about 11% of all cases (q=social), its first page,
#   its next page and a page 20,000 matches deep.
# Each run prints wrk's requests/s, p50 and p99, with the load average when
# it started, then the server's VmHWM.  FH_BENCH_SECONDS (default 10) and
# FH_BENCH_CONNECTIONS (default 4) change the runs.
set -euo pipefail
build=${1:-build}
n=${2:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
duration=${FH_BENCH_SECONDS:-10}
conns=${FH_BENCH_CONNECTIONS:-4}

bench_need_wrk
ninja -C "$build" fairhearing >/dev/null
fh=$build/fairhearing
work=$build/bench-lists
mkdir -p "$work"
export FAIRHEARING_TODAY=2026-11-23
data=$work/cases-$n.db
if [ ! -f "$data" ]; then
  echo "== lists: generating about $n cases (once) =="
  rm -f "$data.tmp"*
  start=$(date +%s)
  "$fh" init --db "$data.tmp" --demo --as-of "$FAIRHEARING_TODAY" >/dev/null
  copies=$(( (n + 359) / 360 - 1 ))
  # Copy k shifts every id by k * 10000 (the demo's ids stay below 10000).
  sqlite3 "$data.tmp" <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE k (k INTEGER PRIMARY KEY);
WITH RECURSIVE s(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < $copies)
INSERT INTO k SELECT k FROM s;
INSERT INTO cases (id, org_id, reference, kind, channel, received_on, received_by, service,
  team_id, summary, details, anonymous, confidential, route, procedure_code, procedure_version,
  state, stage, closed_on, created_at, updated_at)
SELECT c.id + k.k * 10000, org_id, reference || '.' || k.k, kind, channel, received_on,
  received_by, service, team_id, summary, details, anonymous, confidential, route,
  procedure_code, procedure_version, state, stage, closed_on, created_at, updated_at
FROM k, cases c WHERE c.id < 10000;
-- A copy's search key is its original's plus the same shift (same date,
-- id + k * 10000: migration 025), in the same organisation's scope.
INSERT INTO cases_fts (rowid, reference, names, body, scope)
SELECT f.rowid + k.k * 10000, f.reference || '.' || k.k, f.names, f.body, f.scope
FROM k, cases_fts f WHERE (f.rowid & 4294967295) < 10000;
COMMIT;
INSERT INTO cases_fts (cases_fts) VALUES ('optimize');
ANALYZE;
SQL
  mv "$data.tmp" "$data"
  echo "== lists: $(sqlite3 "$data" 'SELECT count(*) FROM cases') cases ($(( $(stat -c %s "$data") / 1048576 )) MiB), made in $(( $(date +%s) - start )) s =="
else
  echo "== lists: reusing $data =="
  # A database kept from an earlier schema is upgraded once, here, not in
  # every copy the server opens (025 rekeys every search row: minutes).
  "$fh" init --db "$data" >/dev/null
fi
bench_copy lists
token=$("$fh" token create --db "$db" --user complaints@bct.demo --name bench-lists)
auth="Authorization: Bearer $token"
bench_serve "$work/server.out" /dev/null --threads 4
api=$base/api/v1/cases
echo "database: $(sqlite3 "$db" "SELECT count(*) FROM cases") cases, of which bct $(sqlite3 "$db" \
  "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct'");" \
  "q=social matches $(sqlite3 "$db" "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"social\"*'")" \
  "of all cases; machine: $(nproc) cores"

# next_after QUERY ROWS: the cursor after the first ROWS rows of QUERY,
# following next links 1,000 rows at a time.
next_after() {
  local query=$1 rows=$2 cursor="" got=0 body
  while [ "$got" -lt "$rows" ]; do
    body=$(curl -sf -H "$auth" "$api?$query&limit=1000${cursor:+&cursor=$cursor}")
    cursor=$(jq -r '.next // empty' <<<"$body")
    got=$((got + 1000))
    [ -n "$cursor" ] || { echo "bench/lists.sh: the list ended before $rows rows" >&2; exit 1; }
  done
  echo "$cursor"
}

run() {
  local what=$1 url=$2
  echo "== $what: load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$conns -d${duration}s =="
  curl -sf -H "$auth" "$url" | jq -c '{count, total, total_is_lower_bound, next: (.next != null)}' | sed 's/^/  /'
  wrk -t2 -c"$conns" -d2s -H "$auth" "$url" >/dev/null
  wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s --latency -H "$auth" "$url" | bench_summary
}

page2=$(curl -sf -H "$auth" "$api?limit=20" | jq -r .next)
deep=$(next_after "x=1" 50000)
run "list, first page" "$api?limit=20"
run "list, the page of its next link" "$api?limit=20&cursor=$page2"
run "list, 50,000 cases deep by next links" "$api?limit=20&cursor=$deep"
run "list, 50,000 cases deep by offset (for comparison)" "$api?limit=20&offset=50000"
spage2=$(curl -sf -H "$auth" "$api?q=social&limit=20" | jq -r .next)
sdeep=$(next_after "q=social" 20000)
run "search q=social, first page" "$api?q=social&limit=20"
run "search q=social, the page of its next link" "$api?q=social&limit=20&cursor=$spage2"
run "search q=social, 20,000 matches deep by next links" "$api?q=social&limit=20&cursor=$sdeep"
bench_peak_memory
