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

# The HTTP server (issue 5): 100,000 cases, wrk on loopback.
bash "$(dirname "$0")/server.sh" "$build"
