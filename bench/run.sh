#!/usr/bin/env bash
# Runs the benchmarks of a meson build directory: `make bench` calls
#   bash bench/run.sh BUILD_DIR
# Each runs on one core (pinned with taskset when it is there) and prints its
# figures; docs/performance.md records what they printed and on what machine.
set -euo pipefail
build=${1:-build}
ninja -C "$build" bench/bench_calendar >/dev/null
pin=()
if command -v taskset >/dev/null 2>&1; then pin=(taskset -c 0); fi
echo "== bench_calendar (one core) =="
"${pin[@]}" "$build/bench/bench_calendar"

# Lifecycle transactions through store_case_act (issue 4), on the build's disk.
ninja -C "$build" bench/bench_lifecycle >/dev/null
echo "== bench_lifecycle (one connection, synchronous=FULL) =="
lifecycle_db=$(mktemp -d)/bench.db
"${pin[@]}" "$build/bench/bench_lifecycle" "$lifecycle_db" "$(dirname "$0")/../procedures" 2000
"${pin[@]}" "$build/bench/bench_lifecycle" "$lifecycle_db" "$(dirname "$0")/../procedures" 3000 create-only
rm -rf "$(dirname "$lifecycle_db")"

# The HTTP server (issue 5): 100,000 cases, wrk on loopback.
bash "$(dirname "$0")/server.sh" "$build"

# The same on PostgreSQL 15 (issue 9), one server and two on one database,
# in a throwaway cluster (scripts/pg-cluster.sh finds the binaries the same way).
pg_bin=
for d in "${PG_BINDIR:-}" /usr/lib/postgresql/15/bin "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"; do
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then pg_bin=$d; break; fi
done
if [ -n "$pg_bin" ] && command -v psql >/dev/null 2>&1; then
  bash "$(dirname "$0")/server-pg.sh" "$build"
else
  echo "== bench/server-pg.sh skipped: PostgreSQL 15's initdb, pg_ctl and psql are not installed (scripts/install-deps.sh installs postgresql-15) =="
fi

# The annual monitoring report (issue 7) over about 1,000,000 cases (bench/report.sh).
bash "$(dirname "$0")/report.sh" "$build"

# The case list, search and team dashboard over about 1,000,000 cases, a
# page after a cursor and counts capped at 1,000 (bench/lists.sh; the data
# is made once and kept in BUILD/bench-lists), on SQLite and on PostgreSQL.
bash "$(dirname "$0")/lists.sh" "$build"
if [ -n "$pg_bin" ] && command -v psql >/dev/null 2>&1; then
  bash "$(dirname "$0")/lists.sh" "$build" 1000000 postgresql
fi

# The staff pages (issue 6 §4) on the same 100,000-case database (bench/pages.sh).
bash "$(dirname "$0")/pages.sh" "$build"
# The public web pages (issue 6): server-side render time and page weight.
bash "$(dirname "$0")/web.sh" "$build"
