#!/usr/bin/env bash
# The sign-in and the network edge under attack (issue 16 items 1, 2, 3, 4
# and 10), bounded: every loop has a fixed end, every wait a margin of
# several times what it needs, and everything is on loopback.
#  - the client's address from X-Forwarded-For, only from a trusted proxy;
#  - failures from one address do not stop a right password from another,
#    and an attacker at one account does not keep its owner out;
#  - password checks off the workers: /healthz answers during a sign-in
#    flood, and a full queue is 503 with Retry-After at once;
#  - slow clients (headers, body, the whole request) are closed, and the
#    server goes on answering meanwhile; connections and uploads per address
#    are capped;
#  - a request with two Content-Lengths, or Content-Length and
#    Transfer-Encoding, is refused (400).
# usage: test_flood.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
# A server that believes 127.0.0.1 as a proxy, with short deadlines.
serve_args=(--trusted-proxy 127.0.0.1 --request-timeout 6 --min-rate 512 --sign-in-queue 16)
server_setup "$fh"
port=${base##*:}

login() { # login EMAIL PASSWORD [CURL ARGS...]
  local email=$1 password=$2
  shift 2
  http POST /api/v1/auth/login -H 'Content-Type: application/json' "$@" \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}"
}

# raw TEXT: sends TEXT (printf %b) on a new connection; prints the status line.
# (Headers only: a refused request's unread body would reset the connection
# before its answer could be read.)
raw() {
  local fd line=
  exec {fd}<>"/dev/tcp/127.0.0.1/$port" || { echo "no connection"; return; }
  printf '%b' "$1" >&"$fd"
  IFS= read -r -t 10 line <&"$fd"
  exec {fd}>&-
  printf '%s\n' "${line%$'\r'}"
}

# --- the client's address (item 1) -----------------------------------------------
login complaints@bct.demo fairhearing-demo -H 'X-Forwarded-For: 198.51.100.23'
expect_eq "$code" 200 "a sign-in through the trusted proxy"
expect_eq "$(fh_sql "$db" "SELECT client_ip FROM login_attempts ORDER BY id DESC LIMIT 1")" 198.51.100.23 \
  "issue 16 item 1: behind a trusted proxy the client's address is X-Forwarded-For's"
login complaints@bct.demo fairhearing-demo -H 'X-Forwarded-For: 10.6.6.6, 198.51.100.24'
expect_eq "$(fh_sql "$db" "SELECT client_ip FROM login_attempts ORDER BY id DESC LIMIT 1")" 198.51.100.24 \
  "issue 16 item 1: the address the proxy added counts, not one the client wrote before it"
login complaints@bct.demo fairhearing-demo -H 'X-Forwarded-For: not-an-address'
expect_eq "$(fh_sql "$db" "SELECT client_ip FROM login_attempts ORDER BY id DESC LIMIT 1")" 127.0.0.1 \
  "issue 16 item 1: a header that is not an address leaves the proxy's own"

# 30 failures from one address, at accounts that do not exist
for i in $(seq 1 30); do
  login "nobody$i@bct.demo" not-the-password -H 'X-Forwarded-For: 203.0.113.7'
done
expect_eq "$code" 401 "thirty failed sign-ins from one address are each checked"
login manager@bct.demo fairhearing-demo -H 'X-Forwarded-For: 203.0.113.7'
expect_eq "$code" 429 "issue 16 item 1: after 30 failures that address waits"
expect_contains "$headers" "Retry-After:" "... and is told how long"
login manager@bct.demo fairhearing-demo -H 'X-Forwarded-For: 203.0.113.8'
expect_eq "$code" 200 "issue 16 item 1: a right password from another address still gets in"

# an attacker at one account, and its owner elsewhere (item 2)
for i in $(seq 1 7); do
  login head@bct.demo not-the-password -H 'X-Forwarded-For: 192.0.2.66'
done
expect_eq "$code" 429 "issue 16 item 2: an attacker hammering one account waits"
login head@bct.demo fairhearing-demo -H 'X-Forwarded-For: 192.0.2.10'
expect_eq "$code" 200 "issue 16 item 2: the owner's right password from their own address gets in meanwhile"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM login_attempts WHERE email = 'head@bct.demo' AND client_ip = '192.0.2.66'")" 5 \
  "issue 16 item 2: the attacker got five checks, no more"

# --- request smuggling (item 10) -----------------------------------------------------
expect_eq "$(raw 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n')" \
  "HTTP/1.1 400 Bad Request" "issue 16 item 10: two Content-Length headers are refused (400)"
expect_eq "$(raw 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 7\r\n\r\n')" \
  "HTTP/1.1 400 Bad Request" "issue 16 item 10: two different Content-Lengths are refused (400)"
expect_eq "$(raw 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n')" \
  "HTTP/1.1 400 Bad Request" "issue 16 item 10: Content-Length with Transfer-Encoding is refused (400)"
expect_eq "$(raw 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')" \
  "HTTP/1.1 200 OK" "a plain request on a raw connection is answered"

# --- a sign-in flood: password checks are off the workers (item 3) -------------------
# 24 wrong passwords at once, from 24 addresses; /healthz asked meanwhile must
# be answered before the last of them (the checks run two at a time, so the
# flood lasts several hash times; the workers are free all along).
pids=()
for i in $(seq 1 24); do
  ( curl -sS -o /dev/null -w '%{http_code}\n' --max-time 60 2>"$tmp/flood.$i.err" -H 'Content-Type: application/json' \
      -H "X-Forwarded-For: 192.0.2.$((100 + i))" \
      -d "{\"email\":\"flood$i@bct.demo\",\"password\":\"not-the-password\"}" \
      "$base/api/v1/auth/login" >"$tmp/flood.$i.code"
    date +%s%N >"$tmp/flood.$i.end" ) &
  pids+=($!)
done
sleep 0.2
health=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$base/healthz")
health_end=$(date +%s%N)
wait "${pids[@]}"
expect_eq "$health" 200 "/healthz answers during a sign-in flood"
last=$(cat "$tmp"/flood.*.end | sort -n | tail -1)
[ "$health_end" -lt "$last" ]
ok $? "issue 16 item 3: /healthz is answered before the sign-in flood has finished"
codes=$(cat "$tmp"/flood.*.code | sort | uniq -c | tr -s ' ' | paste -sd, -)
diag "the flood's answers: $codes"
cat "$tmp"/flood.*.err | sort | uniq -c | while read -r line; do diag "curl: $line"; done
bad=$(cat "$tmp"/flood.*.code | grep -cv '^\(401\|503\)$')
expect_eq "$bad" 0 "every sign-in in the flood is 401 (checked) or 503 (queue full)"

# --- slow clients (item 4) -------------------------------------------------------------
# slow_client NAME HEAD BODY_BYTES_PER_SECOND: sends HEAD, then BODY bytes
# every second, for 30 s at most; writes how many seconds the server let it
# stay ("open" if it never closed it).
slow_client() {
  local name=$1 head=$2 rate=$3 fd start=$SECONDS i chunk
  chunk=$(head -c "$rate" /dev/zero | tr '\0' x)
  trap '' PIPE
  exec {fd}<>"/dev/tcp/127.0.0.1/$port" || { echo refused >"$tmp/slow.$name"; return; }
  printf '%b' "$head" >&"$fd"
  for i in $(seq 1 30); do
    if ! printf '%s' "${chunk:-x}" >&"$fd" 2>/dev/null; then
      echo $((SECONDS - start)) >"$tmp/slow.$name"; return
    fi
    # EOF: the server closed it; a timeout (status > 128): still open
    if IFS= read -r -t 1 -n 1 _ <&"$fd"; then :; elif [ $? -le 128 ]; then
      echo $((SECONDS - start)) >"$tmp/slow.$name"; return
    fi
  done
  echo open >"$tmp/slow.$name"
}
pids=()
post_head='POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n'
for i in $(seq 1 30); do
  slow_client "headers$i" 'GET /healthz HTTP/1.1\r\nHost: x\r\n' 0 &
  pids+=($!)
done
for i in 1 2 3; do
  slow_client "body$i" "$post_head" 0 &
  pids+=($!)
done
# faster than --min-rate 512, but the whole request would take half an hour
slow_client deadline "$post_head" 2000 &
pids+=($!)
sleep 1
http GET /healthz
expect_eq "$code" 200 "/healthz answers with 34 slow clients connected"
login complaints@bct.demo fairhearing-demo -H 'X-Forwarded-For: 198.51.100.40'
expect_eq "$code" 200 "... and so does a sign-in"
wait "${pids[@]}"
slow_headers=$(cat "$tmp"/slow.headers* | sort -n | tail -1)
[ "$slow_headers" != open ] && [ "$slow_headers" -le 12 ]
ok $? "issue 16 item 4: a client sending its headers a byte a second is closed (after ${slow_headers} s; --timeout 2)"
slow_body=$(cat "$tmp"/slow.body* | sort -n | tail -1)
[ "$slow_body" != open ] && [ "$slow_body" -le 12 ]
ok $? "issue 16 item 4: a body slower than --min-rate is closed (after ${slow_body} s)"
deadline=$(cat "$tmp/slow.deadline")
[ "$deadline" != open ] && [ "$deadline" -ge 4 ] && [ "$deadline" -le 20 ]
ok $? "issue 16 item 4: a request over --request-timeout 6 is closed however fast it comes (after ${deadline} s)"
expect_contains "$(cat "$tmp/server.err")" "closed a connection from 127.0.0.1: its headers took too long" \
  "the operator is told why a connection was closed"
http GET /healthz
expect_eq "$code" 200 "and the server answers afterwards"
server_stop

# --- a server that trusts no proxy, with small caps ---------------------------------
serve_args=(--sign-in-queue 1 --connections-per-address 5 --uploads-per-address 1)
server_start "$fh"
port=${base##*:}
login complaints@bct.demo fairhearing-demo -H 'X-Forwarded-For: 198.51.100.99'
expect_eq "$(fh_sql "$db" "SELECT client_ip FROM login_attempts ORDER BY id DESC LIMIT 1")" 127.0.0.1 \
  "issue 16 item 1: without --trusted-proxy, X-Forwarded-For is never believed"

# the password checks' queue full: 503 with Retry-After at once
pids=()
for i in $(seq 1 8); do
  curl -s -o /dev/null -D "$tmp/busy.$i.h" -w '%{http_code}' --max-time 60 -H 'Content-Type: application/json' \
    -d "{\"email\":\"busy$i@bct.demo\",\"password\":\"not-the-password\"}" \
    "$base/api/v1/auth/login" >"$tmp/busy.$i.code" &
  pids+=($!)
done
wait "${pids[@]}"
busy=$(grep -l 503 "$tmp"/busy.*.code | head -1)
[ -n "$busy" ]
ok $? "issue 16 item 3: with the queue full (--sign-in-queue 1), a sign-in is answered 503"
expect_contains "$(tr -d '\r' <"${busy%.code}.h" 2>/dev/null)" "Retry-After: 5" "... with Retry-After"

# connections per address
fds=()
for i in 1 2 3 4 5; do
  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  fds+=("$fd")
done
sleep 0.3
http GET /healthz
expect_eq "$code" 000 "issue 16 item 4: past --connections-per-address 5, a sixth connection is refused"
for fd in "${fds[@]}"; do exec {fd}>&-; done
sleep 0.5
http GET /healthz
expect_eq "$code" 200 "... and taken again once they are closed"

# uploads per address: one half-sent upload holds its declared size
upload_head='POST /o/bct/form/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 900000\r\n\r\n--b\r\n'
exec {up}<>"/dev/tcp/127.0.0.1/$port"
printf '%b' "$upload_head" >&"$up"
sleep 0.5
head -c 300000 /dev/zero >"$tmp/upload.bin"
# (Expect: 100-continue: curl waits for the answer to the headers instead of
# sending a body the server will not read)
http POST /o/bct/form/documents -H 'Expect: 100-continue' -F "document=@$tmp/upload.bin"
expect_eq "$code" 429 "issue 16 item 4: a second upload past the address's --uploads-per-address 1 MB is refused (429)"
expect_contains "$headers" "Retry-After:" "... with Retry-After"
exec {up}>&-
sleep 0.5
http POST /o/bct/form/documents -F "document=@$tmp/upload.bin"
[ "$code" != 429 ] && [ "$code" != 000 ]
ok $? "issue 16 item 4: once the first upload has gone, the next is taken (got $code)"

# --- the flags, refused with a reason ---------------------------------------------------
"$fh" serve --db "$db" --listen 127.0.0.1:0 --trusted-proxy nginx.internal >"$tmp/flag.out" 2>&1
expect_eq "$?" 2 "--trusted-proxy with a name, not an address, is a usage error (exit 2)"
expect_contains "$(cat "$tmp/flag.out")" "--trusted-proxy: 'nginx.internal' is not an IPv4 or IPv6 address" \
  "... naming the flag and the reason"
"$fh" serve --db "$db" --listen 127.0.0.1:0 --sign-in-queue 0 >"$tmp/flag.out" 2>&1
expect_eq "$?" 2 "--sign-in-queue 0 is a usage error (exit 2)"

done_testing
