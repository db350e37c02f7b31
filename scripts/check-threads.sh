#!/usr/bin/env bash
# `make check-threads`: the tests that run the server's threads, built with
# ThreadSanitizer in a build directory of their own (build-tsan by default),
# once per database backend, and failed if ThreadSanitizer reports anything.
#
# The server answers on worker threads and has three more of its own (the
# write queue's group commit, the access log's writer, the password pool),
# all over one store layer; these tests drive them at once: the write
# queue itself (writeq), several servers on one PostgreSQL database
# (two_servers), and the traffic of the API and the staff pages, sign-ins
# included (security, staff).
# Left out by default, because they time the server and a server slowed
# several times over by ThreadSanitizer on a busy machine misses their
# marks, though no race was reported in them: server and flood (slow
# clients against a 2 s idle timeout), writes (a lock held 6.5 s against
# the writer's 5 s wait), backup (at least six filings in 4 s) and crash
# (filings acknowledged before a kill a moment later). Name them
# in CHECK_THREADS_TESTS to run them too. ThreadSanitizer writes
# each report to BUILD/tsan/report.PID as it finds it and lets the program
# run on, so one run shows every race; any report fails the run.
#
# usage: scripts/check-threads.sh [BUILD]
#   FAIRHEARING_TEST_BACKENDS=sqlite|postgresql|both (default both), as tests/run.sh.
#   CHECK_THREADS_TESTS="server writes" runs those tests only.
set -uo pipefail
build=${1:-build-tsan}
backends=${FAIRHEARING_TEST_BACKENDS:-both}
tests=${CHECK_THREADS_TESTS:-writeq security staff two_servers}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
case $backends in
  sqlite | postgresql | both) ;;
  *) echo "check-threads: FAIRHEARING_TEST_BACKENDS is sqlite, postgresql or both, not '$backends'" >&2; exit 2 ;;
esac

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debug -Db_sanitize=thread ${MESON_OPTS:-} || exit 1
fi
# Only what these tests run: the binary and the write queue's unit test.
ninja -C "$build" fairhearing tests/test_writeq || exit 1

reports=$(cd "$build" && pwd)/tsan
rm -rf "$reports"
mkdir -p "$reports"
# ThreadSanitizer slows the server several times over: a request that waits
# for a busy worker longer than the tests' 2 s idle timeout would be closed
# unanswered, so the server here waits 30 s.
export FH_TEST_SERVE_TIMEOUT=30
# second_deadlock_stack: both stacks of a lock-order inversion.
export TSAN_OPTIONS="log_path=$reports/report second_deadlock_stack=1 ${TSAN_OPTIONS:-}"

status=0
# run BACKEND LOGBASE: the tests on one backend; ThreadSanitizer's slowdown
# (several times) is what the timeout multiplier is for.
run() {
  echo "== thread-sanitized tests on $1"
  # shellcheck disable=SC2086 # $tests is a list of names
  meson test -C "$build" --no-rebuild --print-errorlogs --num-processes 2 \
    --timeout-multiplier 3 --logbase "$2" $tests
}

if [ "$backends" != postgresql ]; then
  (unset FAIRHEARING_TEST_PG; run SQLite testlog-tsan) || status=1
fi
if [ "$backends" != sqlite ]; then
  pgdir=$build/pg-cluster
  trap 'bash "$root/scripts/pg-cluster.sh" stop "$pgdir"' EXIT
  trap 'exit 130' INT TERM
  if url=$(bash "$root/scripts/pg-cluster.sh" start "$pgdir"); then
    export FAIRHEARING_TEST_PG=$url
    export FAIRHEARING_TEST_RUN=$(date +%s)
    run PostgreSQL testlog-tsan-pg || status=1
  else
    echo "check-threads: the PostgreSQL cluster did not start" >&2
    status=1
  fi
fi

found=$(find "$reports" -type f | wc -l)
if [ "$found" -gt 0 ]; then
  echo "check-threads: ThreadSanitizer made $found report(s) in $reports:" >&2
  for f in "$reports"/*; do
    echo "--- $f" >&2
    head -60 "$f" >&2
  done
  status=1
else
  echo "check-threads: no ThreadSanitizer reports"
fi
exit $status
