#!/usr/bin/env bash
# Runs every test in a meson build directory, once per database backend, and
# ends with one summary line, "N passed, N failed, N skipped", counting each
# test case of both passes (cmocka and the shell tests speak TAP, so meson
# sees every case, not just every program), after one line per backend.
#
# The backends are SQLite (files in each test's temporary directory) and
# PostgreSQL 15: for its pass a throwaway cluster is started in
# BUILD/pg-cluster (scripts/pg-cluster.sh), its URL is given to the tests as
# FAIRHEARING_TEST_PG, and the cluster is stopped and removed afterwards, also
# when a test fails or the run is interrupted. The fuzz suite does not touch
# a database and runs in the SQLite pass only.
#
# FAIRHEARING_TEST_BACKENDS=sqlite|postgresql|both chooses the passes; its
# default is on the line that sets `backends` below. Meson's logs are
# BUILD/meson-logs/testlog.txt (SQLite) and testlog-pg.txt (PostgreSQL).
set -uo pipefail
build=${1:-build-test}
backends=${FAIRHEARING_TEST_BACKENDS:-both}
here=$(cd "$(dirname "$0")" && pwd)
case $backends in
  sqlite | postgresql | both) ;;
  *) echo "tests/run.sh: FAIRHEARING_TEST_BACKENDS is sqlite, postgresql or both, not '$backends'" >&2; exit 2 ;;
esac

total_passed=0 total_failed=0 total_skipped=0 status=0 summary=()

# count BACKEND LOG: adds the log's TAP lines to the totals, keeps a line for BACKEND
count() {
  local backend=$1 log=$2 passed skipped failed
  # a skip is "ok N # SKIP" from the shell tests, "not ok N # SKIP" from cmocka
  passed=$(grep -E '^ok [0-9]+' "$log" 2>/dev/null | grep -cvE '# *SKIP' || true)
  skipped=$(grep -cE '^(not )?ok [0-9]+.*# *SKIP' "$log" 2>/dev/null || true)
  failed=$(grep -E '^not ok [0-9]+' "$log" 2>/dev/null | grep -cvE '# *(SKIP|TODO)' || true)
  passed=${passed:-0} skipped=${skipped:-0} failed=${failed:-0}
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
  summary+=("backend $backend: $passed passed, $failed failed, $skipped skipped")
}

if [ "$backends" != postgresql ]; then
  echo "== tests on SQLite"
  (unset FAIRHEARING_TEST_PG; meson test -C "$build" --print-errorlogs --num-processes 2)
  rc=$?
  [ $rc -eq 0 ] || status=$rc
  count sqlite "$build/meson-logs/testlog.txt"
fi

if [ "$backends" != sqlite ]; then
  echo "== tests on PostgreSQL"
  pgdir=$build/pg-cluster
  trap 'bash "$here/../scripts/pg-cluster.sh" stop "$pgdir"' EXIT
  trap 'exit 130' INT TERM
  if url=$(bash "$here/../scripts/pg-cluster.sh" start "$pgdir"); then
    export FAIRHEARING_TEST_PG=$url
    export FAIRHEARING_TEST_RUN=$(date +%s)
    rm -f "$build/meson-logs/testlog-pg.txt"
    meson test -C "$build" --print-errorlogs --num-processes 2 --no-suite fuzz --logbase testlog-pg
    rc=$?
    [ $rc -eq 0 ] || status=$rc
    count postgresql "$build/meson-logs/testlog-pg.txt"
  else
    echo "tests/run.sh: the PostgreSQL cluster did not start" >&2
    status=1
    total_failed=$((total_failed + 1))
    summary+=("backend postgresql: the cluster did not start")
  fi
fi

for line in "${summary[@]}"; do echo "$line"; done
echo "tests: $total_passed passed, $total_failed failed, $total_skipped skipped"
exit $status
