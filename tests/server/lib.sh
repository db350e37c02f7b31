# Helpers for the server tests.  Sources tests/cli/tap.sh (ok, diag,
# expect_*), so a test sources this file alone.
#
# server_setup FH   makes a demo database (bct, bcp, bccc, example: `fh_db
#                   server`, a SQLite file or, with FAIRHEARING_TEST_PG, a
#                   PostgreSQL database; tests/cli/tap.sh), an API
#                   token for every demo role in bct and bcp, and starts
#                   `fairhearing serve` on 127.0.0.1 with a port the kernel
#                   picks; sets $tmp, $db, $base, $server_pid.
# server_start FH   starts the server on $db again (a new port: sets $base).
# serve_args=(...)  more flags for `fairhearing serve` (server_spawn, server_start).
# FH_TEST_SERVE_TIMEOUT  the server's idle --timeout, 2 s unless set (make
#                   check-threads gives its slowed-down server longer).
# http METHOD PATH [CURL ARGS...]   sets $code, $body and $headers.
# auth LOGIN [ORG]  prints the Authorization header of LOGIN@ORG.demo.
# server_wait       waits (bounded) for the server to exit; sets $server_rc.
# server_start FH   serves $db again after server_stop (a new port in $base).
. "$(dirname "${BASH_SOURCE[0]}")/../cli/tap.sh"
export FAIRHEARING_TODAY=2026-11-23
tmp=$(mktemp -d /tmp/fh-server-XXXXXX)
server_pid=
serve_args=()
trap 'server_stop; fh_db_cleanup; rm -rf "$tmp"' EXIT

demo_logins="complaints manager adjudicator investigator independent panel reviewer head director admin"

server_stop() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null
    server_wait
  fi
}

server_wait() { # at most 30 s, then SIGKILL: a test must never hang
  local i
  for i in $(seq 1 300); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null
    diag "the server did not stop within 30 s"
  fi
  wait "$server_pid" 2>/dev/null
  server_rc=$?
  server_pid=
}

server_setup() {
  local fh=$1 org login
  db=$(fh_db server)
  if ! "$fh" init --db "$db" --demo --as-of "$FAIRHEARING_TODAY" >"$tmp/init.out" 2>&1; then
    echo "Bail out! fairhearing init --demo failed: $(tail -3 "$tmp/init.out")"
    exit 1
  fi
  for org in bct bcp; do
    for login in $demo_logins; do
      "$fh" token create --db "$db" --user "$login@$org.demo" --name test >"$tmp/token.$login.$org" 2>"$tmp/token.err" ||
        { echo "Bail out! token create failed: $(cat "$tmp/token.err")"; exit 1; }
    done
  done
  server_start "$fh"
}

# server_spawn FH NAME: serves $db on a free port, output in $tmp/NAME.out and
# .err; sets spawned_pid and spawned_base, or bails out if it does not start.
server_spawn() {
  local fh=$1 name=$2 i port=
  # emptied here, not by the redirection below, which runs in the background
  # job: a restart must never read the port of the server before it
  : >"$tmp/$name.out"
  "$fh" serve --db "$db" --listen 127.0.0.1:0 --threads 2 --timeout "${FH_TEST_SERVE_TIMEOUT:-2}" ${serve_args[@]+"${serve_args[@]}"} \
    >"$tmp/$name.out" 2>"$tmp/$name.err" &
  spawned_pid=$!
  for i in $(seq 1 200); do
    port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$tmp/$name.out")
    [ -n "$port" ] && break
    kill -0 "$spawned_pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$port" ]; then
    echo "Bail out! the server ($name) did not start: $(tail -3 "$tmp/$name.err")"
    exit 1
  fi
  spawned_base=http://127.0.0.1:$port
}

server_start() { # server_start FH: serves $db again (after server_stop or a kill)
  server_spawn "$1" server
  server_pid=$spawned_pid base=$spawned_base
}

http() {
  local method=$1 path=$2
  shift 2
  code=$(curl -sS -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' --max-time 30 \
    -X "$method" "$@" "$base$path" 2>"$tmp/curl.err") || code=000
  body=$(cat "$tmp/body" 2>/dev/null)
  headers=$(tr -d '\r' <"$tmp/headers" 2>/dev/null)
}

auth() {
  echo "Authorization: Bearer $(cat "$tmp/token.$1.${2:-bct}")"
}
