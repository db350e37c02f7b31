#!/usr/bin/env bash
# What operators rely on (issue 5 §1): /healthz answers 503 when the
# database does not answer and 200 again when it does; /metrics is for
# administrators only and shows case counts only for their organisations;
# dead sessions and old sign-in attempts do not pile up.
# usage: test_ops.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"

# --- /healthz ------------------------------------------------------------------
# No request has reached a worker yet, so none has its connection: take the
# database away and every worker finds it missing. On PostgreSQL the
# database stops taking connections and those open are ended, so the server
# must connect again when it is back.
db_away() {
  if fh_pg; then
    _fh_pg_parts "$db"
    _fh_admin "$db" "ALTER DATABASE \"$_fh_name\" WITH ALLOW_CONNECTIONS false;
      SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$_fh_name'" >/dev/null
  else
    mv "$db" "$db.away"
  fi
}
db_back() {
  if fh_pg; then
    _fh_pg_parts "$db"
    _fh_admin "$db" "ALTER DATABASE \"$_fh_name\" WITH ALLOW_CONNECTIONS true"
  else
    mv "$db.away" "$db"
  fi
}
db_away
fails=0
for i in 1 2 3 4; do
  http GET /healthz
  [ "$code" = 503 ] || fails=$((fails + 1))
done
expect_eq "$fails" 0 "/healthz answers 503 while the database cannot be opened"
expect_eq "$(jq -r .status <<<"$body")" unavailable "... saying it is unavailable"
http GET /api/v1/me -H "$(auth complaints)"
expect_eq "$code:$(jq -r .error.code <<<"$body")" 503:unavailable "so does any other request, rather than a 500"
db_back
http GET /healthz
expect_eq "$code" 200 "/healthz answers 200 once the database is back"
expect_eq "$(jq -r .status <<<"$body")" ok "... and says ok"

# --- /metrics -----------------------------------------------------------------
http GET /metrics
expect_eq "$code" 401 "/metrics needs credentials"
http GET /metrics -H "$(auth complaints)"
expect_eq "$code" 403 "/metrics is refused to a role other than administrator"
http GET /metrics -H "$(auth admin)"
expect_eq "$code" 200 "/metrics answers an administrator"
expect_contains "$headers" "Content-Type: text/plain; version=0.0.4" "in the Prometheus text format"
open_bct=$(fh_sql "$db" "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.state NOT IN ('closed', 'withdrawn')")
expect_contains "$body" "fairhearing_cases_open{org=\"bct\"} $open_bct" "open cases of the administrator's organisation"
grep -q 'org="bcp"' <<<"$body"; [ $? -ne 0 ]; ok $? "no figure of an organisation the caller does not administer"
expect_contains "$body" "fairhearing_http_requests_total{code=\"2xx\"}" "request counters by status class"
expect_contains "$body" "fairhearing_write_batches_total" "the writer's batches"

# --- pruning ------------------------------------------------------------------
login='{"email":"complaints@bct.demo","password":"fairhearing-demo"}'
http POST /api/v1/auth/login -H 'Content-Type: application/json' -d "$login"
cookie=$(sed -n 's/^Set-Cookie: \(fh_session=[^;]*\).*/\1/p' <<<"$headers")
http POST /api/v1/auth/logout -H "Cookie: $cookie" -H "X-CSRF-Token: $(jq -r .user.csrf_token <<<"$body")"
expect_eq "$code" 204 "signed out"
http POST /api/v1/auth/login -H 'Content-Type: application/json' -d "$login"
live=$(sed -n 's/^Set-Cookie: \(fh_session=[^;]*\).*/\1/p' <<<"$headers")
# A session whose absolute end has passed, and an attempt from long ago.
fh_sql "$db" "INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at, expires_at)
  SELECT id, $(fh_blob "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"), '2026-01-01T09:00:00Z', '2026-01-01T09:00:00Z', '2026-01-01T21:00:00Z'
  FROM users WHERE email = 'complaints@bct.demo';
  INSERT INTO login_attempts (email, client_ip, at, succeeded)
  VALUES ('someone@bct.demo', '192.0.2.1', '2026-01-01T09:00:00Z', 0)"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM sessions")" 3 "three sessions before: ended, expired, live"
signins=$(fh_sql "$db" "SELECT count(*) FROM events WHERE action IN ('signed_in', 'signed_out')")
server_stop
server_start "$fh"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM sessions")" 1 "at start-up the ended and expired sessions are deleted"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM login_attempts WHERE at < '2026-11-01'")" 0 \
  "and sign-in attempts too old to count"
expect_contains "$(cat "$tmp/server.err")" "pruned 2 dead sessions" "the server says what it pruned"
http GET /api/v1/me -H "Cookie: $live"
expect_eq "$code" 200 "the live session still works"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action IN ('signed_in', 'signed_out')")" \
  "$signins" "the sign-ins and sign-outs stay in the audit chain"

server_stop
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies"

done_testing
