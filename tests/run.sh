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
# a database and runs in the SQLite pass only, as do the unit tests of the
# layers beneath the store (the suite no_database) and the tests whose
# checks do not depend on the engine (the suite engine_independent: four of
# the five letters shards); tests/meson.build says why of each.
#
# The cluster runs without fsync (FH_PG_FSYNC=off: scripts/pg-cluster.sh):
# no test stops or crashes PostgreSQL itself (test_crash.sh kills
# Fairhearing's server, and a commit PostgreSQL has acknowledged outlives
# its client whether or not it is on the disk yet), and on a shared disk
# the flushes were most of the PostgreSQL pass's time.
#
# FAIRHEARING_TEST_BACKENDS=sqlite|postgresql|both chooses the passes; its
# default is on the line that sets `backends` below. Meson's logs are
# BUILD/meson-logs/testlog.txt (SQLite) and testlog-pg.txt (PostgreSQL).
#
# With both, the two passes run side by side (each two tests at a time), so
# that one pass's waits (a server starting, a lock held on purpose, the
# browser) are the other's running time; each pass's lines are prefixed with
# its backend, "[sqlite] " or "[postgresql] ". The build is brought up to
# date once, before either starts. FH_TEST_CACHE is a directory for this run
# only, where the server tests keep the demo database they all start from
# (tests/server/lib.sh, server_setup_db); it is removed at the end.
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

pgdir=$build/pg-cluster
FH_TEST_CACHE=$(mktemp -d /tmp/fh-test-cache-XXXXXX)
export FH_TEST_CACHE
cleanup() {
  [ "$backends" = sqlite ] || bash "$here/../scripts/pg-cluster.sh" stop "$pgdir"
  rm -rf "$FH_TEST_CACHE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! ninja -C "$build"; then
  echo "tests/run.sh: the build in $build failed" >&2
  exit 1
fi

# pass_sqlite, pass_postgresql: one backend's pass; its exit status is meson's
pass_sqlite() {
  (unset FAIRHEARING_TEST_PG; meson test -C "$build" --no-rebuild --print-errorlogs --num-processes 2)
}
pass_postgresql() {
  FAIRHEARING_TEST_PG=$url FAIRHEARING_TEST_RUN=$(date +%s) meson test -C "$build" --no-rebuild \
    --print-errorlogs --num-processes 2 --no-suite fuzz --no-suite no_database \
    --no-suite engine_independent --logbase testlog-pg
}
# prefixed NAME: standard input to standard output, each line after "[NAME] "
prefixed() { sed -u "s/^/[$1] /"; }

pg_ok=0
if [ "$backends" != sqlite ]; then
  rm -f "$build/meson-logs/testlog-pg.txt"
  if url=$(FH_PG_FSYNC=off bash "$here/../scripts/pg-cluster.sh" start "$pgdir"); then
    pg_ok=1
  else
    echo "tests/run.sh: the PostgreSQL cluster did not start" >&2
    status=1
  fi
fi

if [ "$backends" = both ] && [ $pg_ok = 1 ]; then
  echo "== tests on SQLite and PostgreSQL, side by side"
  rc_dir=$(mktemp -d)
  { pass_sqlite 2>&1; echo $? >"$rc_dir/sqlite"; } | prefixed sqlite &
  { pass_postgresql 2>&1; echo $? >"$rc_dir/postgresql"; } | prefixed postgresql &
  wait
  for backend in sqlite postgresql; do
    rc=$(cat "$rc_dir/$backend" 2>/dev/null || echo 1)
    [ "$rc" -eq 0 ] || status=$rc
  done
  rm -rf "$rc_dir"
elif [ "$backends" != postgresql ]; then
  echo "== tests on SQLite"
  pass_sqlite
  rc=$?
  [ $rc -eq 0 ] || status=$rc
elif [ $pg_ok = 1 ]; then
  echo "== tests on PostgreSQL"
  pass_postgresql
  rc=$?
  [ $rc -eq 0 ] || status=$rc
fi

[ "$backends" = postgresql ] || count sqlite "$build/meson-logs/testlog.txt"
if [ "$backends" != sqlite ]; then
  if [ $pg_ok = 1 ]; then
    count postgresql "$build/meson-logs/testlog-pg.txt"
  else
    total_failed=$((total_failed + 1))
    summary+=("backend postgresql: the cluster did not start")
  fi
fi

for line in "${summary[@]}"; do echo "$line"; done
echo "tests: $total_passed passed, $total_failed failed, $total_skipped skipped"
exit $status
