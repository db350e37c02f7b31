#!/usr/bin/env bash
# The case list, search and team dashboard over a large database, on either
# engine:
#   bash bench/lists.sh BUILD_DIR [N] [sqlite|postgresql]
# Makes a database of about N cases (default 1,000,000) once and keeps it:
# the demo data (360 cases), every case copied in SQL with its search row
# until there are N, each copy on its original's dates and with its next due
# date, so about 2,800 cases share each date received and only the id orders
# them (the copies have no parties, points or history: what is measured is
# the list, not the audit chain).  SQLite keeps BUILD/bench-lists/cases-N.db;
# PostgreSQL makes it in a throwaway cluster (scripts/pg-cluster.sh) and
# keeps a dump, BUILD/bench-lists/cases-N.pgdump, restored into a fresh
# cluster (fsync on) for each run.  Then serves it with
# `fairhearing serve --threads 4` and runs wrk as bct's complaints team (who
# see bct's cases, about 42% of all) against GET /api/v1/cases:
#   the first page of the list (limit 20), the page its next link gives,
#   a page 50,000 cases deep reached by following next links, and the same
#   page asked for by offset=50000 (the old way, for comparison);
#   a search matching about 11% of all cases (q=social), its first page,
#   its next page and a page 20,000 matches deep;
# and the staff team dashboard (/staff/team: every open bct case, the
# heaviest view) and its overdue list.
# Each run prints wrk's requests/s, p50 and p99, with the load average when
# it started, then the server's VmHWM.  FH_BENCH_SECONDS (default 10) and
# FH_BENCH_CONNECTIONS (default 4) change the runs; FH_BENCH_PREPARE_ONLY=1
# makes the data and stops (to make it ahead of a quiet hour).
set -euo pipefail
build=${1:-build}
n=${2:-1000000}
engine=${3:-sqlite}
case $engine in sqlite | postgresql) ;; *) echo "bench/lists.sh: the engine is sqlite or postgresql, not '$engine'" >&2; exit 2 ;; esac
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
copies=$(( (n + 359) / 360 - 1 ))
# The copies, as SQL both engines run: copy k shifts every id by k * 10000
# (the demo's ids stay below 10000); the search rows are copied beside them
# (SQLite's key is its original's plus the same shift, migration 026: same
# date, id + k * 10000, in the same organisation's scope).
copy_sql() { # copy_sql SEARCH_INSERT
  cat <<SQL
BEGIN;
CREATE TEMP TABLE k (k INTEGER PRIMARY KEY);
WITH RECURSIVE s(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < $copies)
INSERT INTO k SELECT k FROM s;
INSERT INTO cases (id, org_id, reference, kind, channel, received_on, received_by, service,
  team_id, summary, details, anonymous, confidential, route, procedure_code, procedure_version,
  state, stage, closed_on, created_at, updated_at, next_due)
SELECT c.id + k.k * 10000, org_id, reference || '.' || k.k, kind, channel, received_on,
  received_by, service, team_id, summary, details, anonymous, confidential, route,
  procedure_code, procedure_version, state, stage, closed_on, created_at, updated_at, next_due
FROM k, cases c WHERE c.id < 10000;
$1
COMMIT;
SQL
}

if [ "$engine" = sqlite ]; then
  data=$work/cases-$n.db
  if [ ! -f "$data" ]; then
    echo "== lists: generating about $n cases (once) =="
    rm -f "$data.tmp"*
    start=$(date +%s)
    "$fh" init --db "$data.tmp" --demo --as-of "$FAIRHEARING_TODAY" >/dev/null
    { echo "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
      copy_sql "INSERT INTO cases_fts (rowid, reference, names, body, scope)
SELECT f.rowid + k.k * 10000, f.reference || '.' || k.k, f.names, f.body, f.scope
FROM k, cases_fts f WHERE (f.rowid & 4294967295) < 10000;"
      echo "INSERT INTO cases_fts (cases_fts) VALUES ('optimize'); ANALYZE;"; } | sqlite3 "$data.tmp"
    mv "$data.tmp" "$data"
    echo "== lists: $(sqlite3 "$data" 'SELECT count(*) FROM cases') cases ($(( $(stat -c %s "$data") / 1048576 )) MiB), made in $(( $(date +%s) - start )) s =="
  else
    echo "== lists: reusing $data =="
    # A database kept from an earlier schema is upgraded once, here, not in
    # every copy the server opens (025 rekeys every search row: minutes).
    "$fh" init --db "$data" >/dev/null
    # One kept from before the copies had their next due date gets it once.
    if [ "$(sqlite3 "$data" "SELECT count(*) FROM (SELECT 1 FROM cases WHERE id >= 10000 AND next_due IS NOT NULL LIMIT 1)")" = 0 ]; then
      echo "== lists: giving the copies their originals' next due dates (once) =="
      sqlite3 "$data" "UPDATE cases SET next_due = (SELECT o.next_due FROM cases o WHERE o.id = cases.id % 10000)
        WHERE id >= 10000 AND state NOT IN ('closed', 'withdrawn'); ANALYZE;"
    fi
  fi
  [ "${FH_BENCH_PREPARE_ONLY:-}" = 1 ] && exit 0
  bench_copy lists
  count() { sqlite3 "$db" "$1"; }
  social="SELECT count(*) FROM cases_fts WHERE cases_fts MATCH '\"social\"*'"
else
  command -v pg_dump >/dev/null 2>&1 || { echo "bench/lists.sh: pg_dump and pg_restore (postgresql-client) are needed" >&2; exit 1; }
  dump=$work/cases-$n.pgdump
  cluster=$work/pg-cluster
  trap 'bash "$root/scripts/pg-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true' EXIT
  if [ ! -f "$dump" ]; then
    echo "== lists: generating about $n cases on PostgreSQL (once) =="
    start=$(date +%s)
    base_url=$(FH_PG_FSYNC=off bash "$root/scripts/pg-cluster.sh" start "$cluster")
    "$fh" init --db "$base_url/lists" --demo --as-of "$FAIRHEARING_TODAY" >/dev/null
    copy_sql "INSERT INTO cases_fts (case_id, reference, names, body)
SELECT f.case_id + k.k * 10000, f.reference || '.' || k.k, f.names, f.body
FROM k, cases_fts f WHERE f.case_id < 10000;" |
      psql -X -q -v ON_ERROR_STOP=1 -d "$base_url/lists" >/dev/null
    psql -X -q -d "$base_url/lists" -c "VACUUM (ANALYZE)"
    pg_dump -Fc -f "$dump.tmp" "$base_url/lists"
    mv "$dump.tmp" "$dump"
    bash "$root/scripts/pg-cluster.sh" stop "$cluster"
    echo "== lists: made in $(( $(date +%s) - start )) s, dump $(( $(stat -c %s "$dump") / 1048576 )) MiB =="
  else
    echo "== lists: restoring $dump =="
  fi
  [ "${FH_BENCH_PREPARE_ONLY:-}" = 1 ] && exit 0
  base_url=$(bash "$root/scripts/pg-cluster.sh" start "$cluster")
  psql -X -q -d "$base_url/postgres" -c "CREATE DATABASE lists ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
  pg_restore -j 2 --no-owner -d "$base_url/lists" "$dump"
  psql -X -q -d "$base_url/lists" -c "ANALYZE"
  db=$base_url/lists
  # A dump kept from an earlier schema is upgraded here.
  "$fh" init --db "$db" >/dev/null
  count() { psql -X -At -d "$db" -c "$1"; }
  social="SELECT count(*) FROM cases_fts WHERE tsv @@ to_tsquery('simple', 'social:*')"
fi
token=$("$fh" token create --db "$db" --user complaints@bct.demo --name bench-lists)
auth="Authorization: Bearer $token"
bench_serve "$work/server.out" /dev/null --threads 4
[ "$engine" = postgresql ] && trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; bash "$root/scripts/pg-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true' EXIT
api=$base/api/v1/cases
n_bct=$(count "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct'")
n_social=$(count "$social")
echo "database ($engine): $(count "SELECT count(*) FROM cases") cases, of which bct $n_bct," \
  "open at bct $(count "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND c.state IN ('received', 'open', 'suspended')");" \
  "q=social matches $n_social of all cases; machine: $(nproc) cores"
# The deep pages: 50,000 cases and 20,000 matches in at a million cases,
# less in a smaller database (whole thousands, inside bct's share).
deep_rows=$(( n_bct / 2 < 50000 ? n_bct / 2000 * 1000 : 50000 ))
sdeep_rows=$(( n_social / 4 < 20000 ? n_social / 4000 * 1000 : 20000 ))

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
  case $url in
    */api/*) curl -sf -H "$auth" "$url" | jq -c '{count, total, total_is_lower_bound, next: (.next != null)}' | sed 's/^/  /' ;;
    *) echo "  $(curl -sf -H "$auth" -o /dev/null -w '%{http_code}, %{size_download} bytes of HTML' "$url")" ;;
  esac
  wrk -t2 -c"$conns" -d2s -H "$auth" "$url" >/dev/null
  wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s --latency -H "$auth" "$url" | bench_summary
}

page2=$(curl -sf -H "$auth" "$api?limit=20" | jq -r .next)
deep=$(next_after "x=1" "$deep_rows")
run "list, first page" "$api?limit=20"
run "list, the page of its next link" "$api?limit=20&cursor=$page2"
run "list, $deep_rows cases deep by next links" "$api?limit=20&cursor=$deep"
run "list, $deep_rows cases deep by offset (for comparison)" "$api?limit=20&offset=$deep_rows"
spage2=$(curl -sf -H "$auth" "$api?q=social&limit=20" | jq -r .next)
sdeep=
[ "$sdeep_rows" -gt 0 ] && sdeep=$(next_after "q=social" "$sdeep_rows")
run "search q=social, first page" "$api?q=social&limit=20"
run "search q=social, the page of its next link" "$api?q=social&limit=20&cursor=$spage2"
[ -n "$sdeep" ] && run "search q=social, $sdeep_rows matches deep by next links" "$api?q=social&limit=20&cursor=$sdeep"
run "team dashboard (every open bct case)" "$base/staff/team"
run "team dashboard, overdue" "$base/staff/team?clock=overdue"
bench_peak_memory
