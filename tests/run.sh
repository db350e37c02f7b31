#!/usr/bin/env bash
# Runs every test in a meson build directory and ends with one summary line,
# "N passed, N failed", counting each test case (cmocka and the shell tests
# speak TAP, so meson sees every case, not just every program).
set -uo pipefail
build=${1:-build-test}
meson test -C "$build" --print-errorlogs --num-processes 2
status=$?
log="$build/meson-logs/testlog.txt"
passed=$(grep -cE '^ok [0-9]+' "$log" 2>/dev/null || true)
failed=$(grep -cE '^not ok [0-9]+' "$log" 2>/dev/null || true)
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
exit $status
