# Helpers for the benchmarks that serve a database (server.sh, web.sh,
# pages.sh): source after setting $build, $fh, $work and FAIRHEARING_TODAY.
#
# bench_cases_db          makes $work/cases-100k.db once (bench_gen_cases,
#                         100,000 cases; reused on later runs); sets $data.
# bench_copy NAME         a fresh copy of $data as $work/NAME.db; sets $db.
# bench_serve OUT ERR [SERVE ARGS...]
#                         serves $db on a free loopback port (stdout to OUT,
#                         stderr to ERR), killed on exit; sets $pid, $base.
# bench_summary           wrk's output on standard input: the lines the
#                         benchmarks print (requests/s, latency, p50, p99,
#                         socket errors, non-2xx answers).
# bench_peak_memory       the served process's peak resident memory
#                         (VmHWM), with the 64 MB target beside it.

bench_cases_db() {
  data=$work/cases-100k.db
  if [ ! -f "$data" ]; then
    echo "== generating 100,000 cases (once; a few minutes) =="
    rm -f "$data.tmp"*
    "$fh" init --db "$data.tmp" --demo --as-of "$FAIRHEARING_TODAY" >/dev/null
    "$build/bench/bench_gen_cases" "$data.tmp" 100000
    sqlite3 "$data.tmp" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    mv "$data.tmp" "$data"
  fi
}

bench_copy() {
  db=$work/$1.db
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$data" "$db"
}

bench_serve() {
  local out=$1 errout=$2 _
  shift 2
  "$fh" serve --db "$db" --listen 127.0.0.1:0 "$@" >"$out" 2>"$errout" &
  pid=$!
  trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
  local port
  port=$(bench_port "$out" "$pid")
  [ -n "$port" ] || { echo "bench/$(basename "$0"): the server did not start" >&2; exit 1; }
  base=http://127.0.0.1:$port
}

# bench_port OUT PID: the port the server PID says in OUT it listens on,
# waiting up to 30 s; nothing if it exits or never says.
bench_port() {
  local port= _
  for _ in $(seq 1 300); do
    port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$1")
    [ -n "$port" ] && break
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "$port"
}

# bench_need_wrk: installs Debian's wrk when it is missing.
bench_need_wrk() {
  command -v wrk >/dev/null 2>&1 && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "bench/$(basename "$0"): installing wrk" >&2
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null
}

bench_summary() { grep -E 'Requests/sec|Latency  |50%|99%|Socket errors|Non-2xx' | sed 's/^/  /'; }

bench_peak_memory() {
  echo "server peak resident memory (VmHWM): $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status") (target under 64 MB)"
}
