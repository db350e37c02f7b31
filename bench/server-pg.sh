#!/usr/bin/env bash
# The server benchmark on PostgreSQL: `make bench` runs it through bench/run.sh
# after bench/server.sh (and skips it when PostgreSQL 15 is not installed).
#   bash bench/server-pg.sh BUILD_DIR
# Starts a throwaway PostgreSQL 15 cluster in BUILD_DIR/bench-server-pg/
# (scripts/pg-cluster.sh, fsync on; stopped and removed at the end, also on
# failure), builds a database of the 360 demo cases plus 100,000 generated
# ones in it (`fairhearing init --demo`, then bench/bench_gen_cases through
# the store, as bench/server.sh does for SQLite; once per run, since the
# cluster goes with it), and measures with wrk as bench/server.sh does:
#
#   one server:   GET of one case (JSON), GET of random cases, POST of new
#                 cases (each durable before its 201);
#   two servers:  two `fairhearing serve` processes on the same database, on
#                 two ports, each driven by its own wrk, both started
#                 together: POST, then GET of one case, then GET of random
#                 cases; the requests/s of the two are added;
#
# then each server's peak resident memory, `fairhearing audit verify`, and
# checks that the cases counted in the database are exactly the 201s the
# servers answered (counted from their access logs, so a request still in
# flight when wrk stopped counts too) and that no reference appears twice.
# Server errors (any stderr line that is not an access-log line) and
# non-2xx answers are printed; the script fails if the audit chain, the
# count or the references do not check out.
#
# FH_BENCH_SECONDS (default 15) is each measurement's length,
# FH_BENCH_THREADS (default 4) each server's worker threads,
# FH_BENCH_CONNECTIONS (default 64) wrk's connections in all: one server gets
# them all (wrk -t2), two servers half each (wrk -t1 each), so the load
# offered is the same. FH_BENCH_PG_CASES (default 100000) the generated cases.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
duration=${FH_BENCH_SECONDS:-15}
threads=${FH_BENCH_THREADS:-4}
conns=${FH_BENCH_CONNECTIONS:-64}
ncases=${FH_BENCH_PG_CASES:-100000}

command -v psql >/dev/null 2>&1 || { echo "bench/server-pg.sh: psql (postgresql-client) is needed" >&2; exit 1; }
bench_need_wrk
ninja -C "$build" fairhearing bench/bench_gen_cases >/dev/null
fh=$build/fairhearing
work=$build/bench-server-pg
cluster=$work/cluster
mkdir -p "$work"
export FAIRHEARING_TODAY=2026-11-23
# The servers' stderr (one access-log line a request, and any error) is kept
# in memory (tmpfs) when there is one: writing it is not what is measured.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then logs=$(mktemp -d /dev/shm/fh-bench-pg.XXXXXX)
else logs=$(mktemp -d "$work/logs.XXXXXX"); fi

pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  bash "$root/scripts/pg-cluster.sh" stop "$cluster" || true
  rm -rf "$logs"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== PostgreSQL: a throwaway cluster in $cluster =="
base_url=$(bash "$root/scripts/pg-cluster.sh" start "$cluster")
url=$base_url/bench
pgdata=$cluster/data; [ -f "$cluster/where" ] && pgdata=$(cat "$cluster/where")
pglog=$(dirname "$pgdata")/postgresql.log
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d "${2:-$url}" -c "$1"; }
echo "  $url, $(sql "SELECT version()" "$base_url/postgres" | sed 's/ on .*//'), fsync $(sql "SHOW fsync" "$base_url/postgres"), synchronous_commit $(sql "SHOW synchronous_commit" "$base_url/postgres")"

echo "== generating $ncases cases through the store (once per run) =="
started=$SECONDS
"$fh" init --db "$url" --demo --as-of "$FAIRHEARING_TODAY" >/dev/null
"$build/bench/bench_gen_cases" "$url" "$ncases" 2>&1 | tail -1 | sed 's/^/  /'
# What a loaded database would have had from autovacuum, and the load's
# dirty pages written out, so that neither lands inside a measurement.
sql "VACUUM (ANALYZE)"
sql "CHECKPOINT"
echo "  $((SECONDS - started)) s (init, generation, VACUUM ANALYZE, CHECKPOINT)"
cases_before=$(sql "SELECT count(*) FROM cases")
# PostgreSQL's log from here on (init's first try at the missing database
# is a FATAL of its own, before this)
pglog_from=$(($(wc -l <"$pglog") + 1))
echo "database: $cases_before cases, $(sql "SELECT pg_size_pretty(pg_database_size(current_database()))")"

export FH_BENCH_TOKEN
FH_BENCH_TOKEN=$("$fh" token create --db "$url" --user complaints@bct.demo --name bench)
admin_token=$("$fh" token create --db "$url" --user admin@bct.demo --name bench-metrics)
ref=$(sql "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' ORDER BY c.id DESC LIMIT 1")
sql "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' ORDER BY random() LIMIT 20000" >"$work/refs"
export FH_BENCH_REFS=$work/refs
auth="Authorization: Bearer $FH_BENCH_TOKEN"

# serve N: starts server N on a free loopback port; sets pid_N and base_N
serve() {
  local n=$1 port= _ p
  "$fh" serve --db "$url" --listen 127.0.0.1:0 --threads "$threads" >"$logs/server$n.out" 2>"$logs/server$n.err" &
  p=$!
  pids+=("$p")
  port=$(bench_port "$logs/server$n.out" "$p")
  [ -n "$port" ] || { echo "bench/server-pg.sh: server $n did not start: $(tail -3 "$logs/server$n.err")" >&2; exit 1; }
  printf -v "pid_$n" %s "$p"
  printf -v "base_$n" %s "http://127.0.0.1:$port"
}

# CPU ticks (user + system) of the given processes, all their threads
ticks() { local p s=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$s"; }
postmaster=$(head -1 "$pgdata/postmaster.pid")
pg_pids() { echo "$postmaster"; pgrep -P "$postmaster" || true; }
hz=$(getconf CLK_TCK)
# cpu_begin / cpu_end: the CPU the servers and PostgreSQL used in between,
# in seconds, against the seconds the machine's cores had
cpu_begin() { t0=$EPOCHREALTIME; s0=$(ticks "${pids[@]}"); g0=$(ticks $(pg_pids)); }
cpu_end() {
  local s1 g1 secs
  s1=$(ticks "${pids[@]}"); g1=$(ticks $(pg_pids)); secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
  awk -v s=$((s1 - s0)) -v g=$((g1 - g0)) -v hz="$hz" -v secs="$secs" -v cores="$(nproc)" \
    'BEGIN { printf "  CPU: fairhearing %.1f s, postgres %.1f s, in %.1f s of %d cores\n", s / hz, g / hz, secs, cores }'
}
# statuses N FROM: the access-log statuses of server N from line FROM on
statuses() { tail -n +"$2" "$logs/server$1.err" | sed -n 's/.*"method":"\([A-Z]*\)".*"status":\([0-9]*\),.*/\1 \2/p' | sort | uniq -c | sed 's/^ */  server '"$1"': /'; }
lines() { wc -l <"$logs/server$1.err"; }
# settle: a second for the answers still in flight when wrk stopped to be
# logged, so that each measurement's statuses are its own
settle() { sleep 1; }
writes() { curl -sf "$1/metrics" -H "Authorization: Bearer $admin_token" | grep -E '^fairhearing_write_(batches|changes)_total' | tr '\n' ' '; }
rps() { sed -n 's/^Requests\/sec: *//p' "$1"; }

echo "== one server: $threads worker threads; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) =="
serve 1
curl -sf -H "$auth" "$base_1/api/v1/cases/$ref" >/dev/null

echo "== one server: GET /api/v1/cases/$ref (one case), wrk -t2 -c$conns -d${duration}s =="
wrk -t2 -c"$conns" -d2s -H "$auth" "$base_1/api/v1/cases/$ref" >/dev/null
settle; from=$(($(lines 1) + 1)); cpu_begin
wrk -t2 -c"$conns" -d"${duration}s" --latency -H "$auth" "$base_1/api/v1/cases/$ref" >"$work/1-get.txt" 2>&1
bench_summary <"$work/1-get.txt"; cpu_end; settle; statuses 1 "$from"

echo "== one server: GET /api/v1/cases/{random of 20,000 bct cases}, wrk -t2 -c$conns -d${duration}s =="
settle; from=$(($(lines 1) + 1)); cpu_begin
wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$root/bench/get_random_case.lua" "$base_1" >"$work/1-random.txt" 2>&1
bench_summary <"$work/1-random.txt"; cpu_end; settle; statuses 1 "$from"

echo "== one server: POST /api/v1/cases (each durable before 201), wrk -t2 -c$conns -d${duration}s =="
settle; from=$(($(lines 1) + 1)); cpu_begin
w0=$(writes "$base_1")
wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$root/bench/post_case.lua" "$base_1/api/v1/cases" >"$work/1-post.txt" 2>&1
bench_summary <"$work/1-post.txt"; cpu_end; settle; statuses 1 "$from"
echo "  writer before: $w0"
echo "  writer after:  $(writes "$base_1")"

echo "== two servers on the same database, $threads worker threads each =="
serve 2
curl -sf -H "$auth" "$base_2/api/v1/cases/$ref" >/dev/null
half=$((conns / 2))
# both N NAME WRK-ARGS... (URL last, without the server): one wrk a server, started together
both() {
  local name=$1 path=$2 a b
  shift 2
  settle; from1=$(($(lines 1) + 1)) from2=$(($(lines 2) + 1)); cpu_begin
  wrk "$@" "$base_1$path" >"$work/2-$name-a.txt" 2>&1 & a=$!
  wrk "$@" "$base_2$path" >"$work/2-$name-b.txt" 2>&1 & b=$!
  wait "$a" "$b"
  echo "  server 1:"; bench_summary <"$work/2-$name-a.txt" | sed 's/^/  /'
  echo "  server 2:"; bench_summary <"$work/2-$name-b.txt" | sed 's/^/  /'
  awk -v a="$(rps "$work/2-$name-a.txt")" -v b="$(rps "$work/2-$name-b.txt")" \
    'BEGIN { printf "  together: %.2f requests/s\n", a + b }'
  cpu_end; settle; statuses 1 "$from1"; statuses 2 "$from2"
}

echo "== two servers: POST /api/v1/cases through both at once, wrk -t1 -c$half -d${duration}s each =="
w1=$(writes "$base_1") w2=$(writes "$base_2")
both post /api/v1/cases -t1 -c"$half" -d"${duration}s" --latency -s "$root/bench/post_case.lua"
echo "  server 1 writer before: $w1"
echo "  server 1 writer after:  $(writes "$base_1")"
echo "  server 2 writer before: $w2"
echo "  server 2 writer after:  $(writes "$base_2")"

echo "== two servers: GET /api/v1/cases/$ref (one case) through both at once, wrk -t1 -c$half -d${duration}s each =="
wrk -t1 -c"$half" -d2s -H "$auth" "$base_2/api/v1/cases/$ref" >/dev/null
both get "/api/v1/cases/$ref" -t1 -c"$half" -d"${duration}s" --latency -H "$auth"

echo "== two servers: GET /api/v1/cases/{random} through both at once, wrk -t1 -c$half -d${duration}s each =="
both random "" -t1 -c"$half" -d"${duration}s" --latency -s "$root/bench/get_random_case.lua"

echo "== memory (peak resident, VmHWM) =="
for n in 1 2; do
  p=pid_$n
  echo "  server $n: $(grep -E 'VmHWM' "/proc/${!p}/status" | awk '{print $2, $3}'), now $(grep -E 'VmRSS' "/proc/${!p}/status" | awk '{print $2, $3}')"
done
for p in "${pids[@]}"; do kill -TERM "$p"; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
pids=()

echo "== checks =="
fail=0
created=0
for n in 1 2; do
  c=$(grep -c '"method":"POST","path":"/api/v1/cases","status":201,' "$logs/server$n.err" || true)
  created=$((created + c))
  bad=$(grep -v '^{"time"' "$logs/server$n.err" | grep -vE 'serve: (SIGTERM|SIGINT): no new connections|serve: stopped$|serve: pruned [0-9]+ dead sessions' || true)
  if [ -n "$bad" ]; then
    echo "  server $n wrote $(wc -l <<<"$bad") line(s) other than access-log lines, the first:"
    head -5 <<<"$bad" | sed 's/^/    /'
    cp "$logs/server$n.err" "$work/server$n.err"
    echo "    (all of it kept in $work/server$n.err)"
  fi
  non2xx=$(grep '^{"time"' "$logs/server$n.err" | grep -vc '"status":2[0-9][0-9],' || true)
  echo "  server $n: $c cases answered 201, $non2xx answers not 2xx"
done
cases_after=$(sql "SELECT count(*) FROM cases")
echo "  cases: $cases_before before, $cases_after after: $((cases_after - cases_before)) new, $created answered 201"
[ $((cases_after - cases_before)) -eq "$created" ] || { echo "  FAILED: the new cases are not the 201s"; fail=1; }
dups=$(sql "SELECT count(*) FROM (SELECT reference FROM cases GROUP BY reference HAVING count(*) > 1) d")
echo "  references appearing more than once: $dups"
[ "$dups" -eq 0 ] || fail=1
pg_errors=$(tail -n +"$pglog_from" "$pglog" | grep -cE ' (ERROR|FATAL|PANIC): ' || true)
echo "  PostgreSQL's log, during the measurements: $pg_errors ERROR/FATAL/PANIC line(s)"
[ "$pg_errors" -eq 0 ] || tail -n +"$pglog_from" "$pglog" | grep -E ' (ERROR|FATAL|PANIC): ' | sed 's/^[0-9-]* [0-9:.]* UTC \[[0-9]*\] //' | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /'
if "$fh" audit verify --db "$url" >"$work/verify.txt" 2>&1; then
  sed 's/^/  /' "$work/verify.txt"
else
  echo "  FAILED: fairhearing audit verify:"; sed 's/^/    /' "$work/verify.txt"; fail=1
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$fail"
