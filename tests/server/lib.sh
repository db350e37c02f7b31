# Helpers for the server tests.  Sources tests/cli/tap.sh (ok, diag,
# expect_*), so a test sources this file alone.
#
# server_setup FH   makes a demo database (bct, bcp, bccc, example: `fh_db
#                   server`, a SQLite file or, with FAIRHEARING_TEST_PG, a
#                   PostgreSQL database; tests/cli/tap.sh), an API
#                   token for every demo role in bct and bcp, and starts
#                   `fairhearing serve` on 127.0.0.1 with a port the kernel
#                   picks; sets $tmp, $db, $base, $server_pid.  Under
#                   tests/run.sh (FH_TEST_CACHE set) the database and tokens
#                   are made once per backend and copied (server_demo).
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

# server_demo FH DB DIR: makes DB the demo database as of $FAIRHEARING_TODAY
# with an API token for every demo login of bct and bcp, in DIR/token.LOGIN.ORG.
server_demo() {
  local fh=$1 to=$2 dir=$3 org login
  if ! fh_demo "$fh" "$to" "$FAIRHEARING_TODAY"; then
    echo "Bail out! fairhearing init --demo failed: $(tail -3 "$tmp/init.out")"
    exit 1
  fi
  for org in bct bcp; do
    for login in $demo_logins; do
      "$fh" token create --db "$to" --user "$login@$org.demo" --name test >"$dir/token.$login.$org" 2>"$tmp/token.err" ||
        { echo "Bail out! token create failed: $(<"$tmp/token.err")"; exit 1; }
    done
  done
}

# server_setup_db FH: the database of server_setup in $db, and its tokens.
# Some thirty server tests each need the same one: under tests/run.sh it is
# made once per pass and copied (fh_cached in tests/cli/tap.sh), and the
# tokens with it.
server_setup_db() {
  local fh=$1
  db=$(fh_db server)
  if [ -z "${FH_TEST_CACHE:-}" ] || [ ! -d "$FH_TEST_CACHE" ]; then
    server_demo "$fh" "$db" "$tmp"
    return
  fi
  local tokens=$FH_TEST_CACHE/tokens_$(fh_backend)_${FAIRHEARING_TODAY//-/}_$(stat -c %Y%s "$fh")
  mkdir -p "$tokens"
  fh_cached "s" "$fh" "$db" server_demo "$fh" @DB@ "$tokens" &&
    cp "$tokens"/token.* "$tmp"/ ||
    { echo "Bail out! the demo database could not be made or copied: $(tail -3 "$tmp/init.out")"; exit 1; }
}

server_setup() {
  server_setup_db "$1"
  server_start "$1"
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
  for i in $(seq 1 1200); do # up to a minute: a loaded machine is slow to start it
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
  # read with the shell's own $(<...), not cat and tr: the route matrix
  # makes thousands of requests, and each process costs
  { body=$(<"$tmp/body") || body=; } 2>/dev/null
  { headers=$(<"$tmp/headers") || headers=; } 2>/dev/null
  headers=${headers//$'\r'/}
}

auth() {
  echo "Authorization: Bearer $(<"$tmp/token.$1.${2:-bct}")"
}

# The staff pages as a browser sees them, one cookie jar a login name:
# page LOGIN METHOD PATH [CURL ARGS...] is http with LOGIN's cookies; token
# is the CSRF token of the page last fetched; sign_in LOGIN EMAIL signs in
# a demo user through the sign-in form.  A test may define its own after
# sourcing this file (test_staff.sh's sign_in also takes the page to go to).
page() { local jar=$tmp/jar.$1 method=$2 path=$3; shift 3; http "$method" "$path" -c "$jar" -b "$jar" "$@"; }
token() { grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//'; }
sign_in() { # sign_in LOGIN EMAIL
  page "$1" GET /staff/login
  local t
  t=$(token)
  page "$1" POST /staff/login --data-urlencode "csrf_token=$t" --data-urlencode "email=$2" \
    --data-urlencode "password=fairhearing-demo"
}
