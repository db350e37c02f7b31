#!/usr/bin/env bash
# The server benchmark (issue 5 §7): `make bench` runs it through bench/run.sh.
#   bash bench/server.sh BUILD_DIR
# Builds a database of 100,000 generated cases once (BUILD_DIR/bench-server/,
# reused on later runs), serves a fresh copy of it on a free loopback port
# and measures with wrk: GET of one case as JSON, GET of cases drawn at
# random, and recording new cases (each its own durable transaction,
# synchronous=FULL), then the server's peak resident memory.  Prints the
# figures docs/performance.md records.
# FH_BENCH_ONLY=get|random|create runs one of the three measurements alone;
# FH_BENCH_CONNECTIONS (default 64) is wrk's connection count for recording.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
duration=${FH_BENCH_SECONDS:-15}

bench_need_wrk
ninja -C "$build" fairhearing bench/bench_gen_cases >/dev/null
fh=$build/fairhearing
work=$build/bench-server
mkdir -p "$work"
export FAIRHEARING_TODAY=2026-11-23

bench_cases_db
bench_copy run
echo "database: $(sqlite3 "$db" "SELECT count(*) FROM cases") cases, $(($(stat -c %s "$db") / 1048576)) MB"

export FH_BENCH_TOKEN
FH_BENCH_TOKEN=$("$fh" token create --db "$db" --user complaints@bct.demo --name bench)
admin_token=$("$fh" token create --db "$db" --user admin@bct.demo --name bench-metrics)
threads=${FH_BENCH_THREADS:-4}
# The access log goes to /dev/null: one JSON line a request is real work,
# but writing it to this disk is not what is measured.
bench_serve "$work/server.out" /dev/null --threads "$threads"
ref=$(sqlite3 "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' ORDER BY c.id DESC LIMIT 1")
sqlite3 "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' ORDER BY random() LIMIT 20000" >"$work/refs"
export FH_BENCH_REFS=$work/refs
auth="Authorization: Bearer $FH_BENCH_TOKEN"
echo "server: $threads worker threads, pid $pid, $base; machine: $(nproc) cores"
curl -sf -H "$auth" "$base/api/v1/cases/$ref" >/dev/null

summary() { bench_summary; }

only=${FH_BENCH_ONLY:-}
conns=${FH_BENCH_CONNECTIONS:-64}
if [ -z "$only" ] || [ "$only" = get ]; then
  echo "== GET /api/v1/cases/$ref (one case), wrk -t2 -c64 -d${duration}s =="
  wrk -t2 -c64 -d2s -H "$auth" "$base/api/v1/cases/$ref" >/dev/null
  wrk -t2 -c64 -d"${duration}s" --latency -H "$auth" "$base/api/v1/cases/$ref" | summary
fi

if [ -z "$only" ] || [ "$only" = random ]; then
  echo "== GET /api/v1/cases/{random of 20,000 bct cases}, wrk -t2 -c64 -d${duration}s =="
  wrk -t2 -c64 -d"${duration}s" --latency -s "$root/bench/get_random_case.lua" "$base" | summary
fi

if [ -z "$only" ] || [ "$only" = create ]; then
  # Each answered 201 only once its batch's COMMIT has returned
  # (synchronous=FULL); the writer commits many connections' cases at once.
  echo "== POST /api/v1/cases (each durable before 201), wrk -t2 -c$conns -d${duration}s =="
  # CPU time of each of the server's threads (clock ticks, user + system),
  # so that the cost of a case can be told apart from a busy machine.
  thread_ticks() { for t in /proc/"$pid"/task/*; do echo "${t##*/} $(awk '{print $14 + $15}' "$t/stat") $(cat "$t/comm")"; done | sort; }
  thread_ticks >"$work/ticks.0"
  before=$(sqlite3 "$db" "SELECT count(*) FROM cases")
  wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$root/bench/post_case.lua" "$base/api/v1/cases" 2>&1 | summary
  recorded=$(( $(sqlite3 "$db" "SELECT count(*) FROM cases") - before ))
  thread_ticks >"$work/ticks.1"
  echo "  cases recorded: $recorded"
  hz=$(getconf CLK_TCK)
  join "$work/ticks.0" "$work/ticks.1" | awk -v n="$recorded" -v hz="$hz" -v secs="$duration" '
    { d = $4 - $2; if ($3 == "MHD-worker") workers += d; else if (d > top) { top = d } }
    END { if (n > 0) printf "  CPU per case: busiest other thread (the writer) %.3f ms, %.0f%% of a core; all workers %.3f ms\n",
            top * 1000 / hz / n, top * 100 / hz / secs, workers * 1000 / hz / n }'
  curl -sf "$base/metrics" -H "Authorization: Bearer $admin_token" | grep -E '^fairhearing_write_(batches|changes)_total' | sed 's/^/  /'
fi

echo "== memory =="
grep -E 'VmHWM|VmRSS' "/proc/$pid/status" | sed 's/^/  /'
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
trap - EXIT
"$fh" audit verify --db "$db" | sed 's/^/  /'
