# A few lines of TAP for the shell tests: source it, call `ok`/`check`, then `done_testing`.
# Each check prints "ok N - description" or "not ok N - description" with
# what was expected and what came instead as a "#" comment.
tap_n=0
tap_failed=0

diag() { # every line of the arguments as a TAP comment
  printf '%s\n' "$*" | sed 's/^/#   /'
}

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION
  tap_n=$((tap_n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"; else echo "not ok $tap_n - $2"; tap_failed=$((tap_failed + 1)); fi
}

# run CMD...: runs it, keeping $out, $err and $rc for the checks that follow.
run() {
  out=$("$@" 2>/tmp/fh-tap-err.$$); rc=$?
  err=$(</tmp/fh-tap-err.$$); rm -f /tmp/fh-tap-err.$$
}

# --- Shards -----------------------------------------------------------------
# A long test runs as N programs side by side (tests/meson.build), each on a
# database of its own: the argument after the binary is "K/N", and shard K
# does the test's parts (a procedure's walk, a block of routes...) numbered
# K, K + N, K + 2N...  Without the argument a test does every part.
#
# shard_set SPEC       takes K/N (or nothing: 1/1); a bad one bails out
# shard_has PART       true when this shard does part number PART (from 1)
shard_k=1 shard_n=1
shard_set() {
  case "${1:-1/1}" in
    [1-9]/[1-9] | [1-9]/[1-9][0-9] | [1-9][0-9]/[1-9][0-9]) shard_k=${1%/*} shard_n=${1#*/} ;;
    *) echo "Bail out! the shard is K/N, not '$1'"; exit 2 ;;
  esac
  [ "$shard_k" -le "$shard_n" ] || { echo "Bail out! shard $1: K is at most N"; exit 2; }
}
shard_has() { [ $((($1 - 1) % shard_n + 1)) -eq "$shard_k" ]; }

expect_rc() { # expect_rc CODE DESCRIPTION
  [ "$rc" -eq "$1" ]; local s=$?
  ok $s "$2 (exit $1)"
  [ $s -eq 0 ] || diag "got exit $rc; stdout: ${out:0:300}; stderr: ${err:0:300}"
}

expect_contains() { # expect_contains HAYSTACK NEEDLE DESCRIPTION
  case "$1" in *"$2"*) ok 0 "$3" ;; *) ok 1 "$3"; diag "'$2' not in: ${1:0:400}" ;; esac
}

expect_eq() { # expect_eq GOT WANT DESCRIPTION
  [ "$1" = "$2" ]; local s=$?
  ok $s "$3"
  [ $s -eq 0 ] || diag "got '$1', want '$2'"
}

done_testing() {
  echo "1..$tap_n"
  [ $tap_failed -eq 0 ]
}

skip() { # skip DESCRIPTION REASON: a check that cannot be made on this backend
  tap_n=$((tap_n + 1))
  echo "ok $tap_n - $1 # SKIP $2"
}

# --- The SMTP sink ---------------------------------------------------------
# A small SMTP server on loopback (smtp_sink.js, node) that keeps what it
# receives, for the tests of the commands that send mail.
#
# start_sink DIR [SINK OPTIONS]  starts a sink keeping its mail in DIR (made
#                      here), its log in DIR.out; sets $smtp to its URL, or
#                      bails out when it does not start
# stop_sinks           stops every sink this test started (for its EXIT trap)
tap_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sinks=
start_sink() {
  mkdir -p "$1"
  node "$tap_dir/smtp_sink.js" "$@" >"$1.out" 2>&1 &
  sinks="$sinks $!"
  local i port=
  for i in $(seq 1 100); do
    port=$(sed -n 's/^listening //p' "$1.out")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "Bail out! the SMTP sink did not start: $(cat "$1.out")"; exit 1; }
  smtp=smtp://127.0.0.1:$port
}
stop_sinks() {
  local p
  for p in $sinks; do kill "$p" 2>/dev/null; done
}

# --- Databases --------------------------------------------------------------
# Every test runs against SQLite files, or, when FAIRHEARING_TEST_PG holds a
# PostgreSQL base URL (tests/run.sh starts a throwaway cluster and sets it,
# e.g. postgresql://fh@127.0.0.1:41234), against databases on that cluster.
#
# fh_pg                true when the tests run against PostgreSQL
# fh_backend           prints sqlite or postgresql
# fh_db NAME           prints the database target for NAME: $tmp/NAME.db, or
#                      $FAIRHEARING_TEST_PG/fh_RUN_PID_NAME (the same NAME gives
#                      the same target; the run and the pid keep test programs
#                      running side by side apart); `fairhearing init` makes it
# fh_db_create DB      makes an empty database (no tables) at DB
# fh_sql DB SQL        runs SQL (one or more statements, each committed on its
#                      own) and prints each row as `a|b`, NULL as nothing
# fh_list DB SQL [SEP] prints the rows joined by SEP (default ','), in the
#                      query's order: group_concat, portably
# fh_json_pick DB SQL FILTER   SQL gives rows KEY|JSON; prints the KEY of the
#                      first row whose JSON passes the jq FILTER (json_extract
#                      in a WHERE, portably)
# fh_blob HEX          prints a literal of those bytes (X'..' or '\x..'::bytea)
# fh_integrity DB      prints ok when the database's structure is sound:
#                      PRAGMA integrity_check, or amcheck on every index
# fh_tables DB         prints the names of DB's tables, one a line, sorted
# fh_db_exists DB      true when the database (file) is there
# fh_tamper DB SQL     runs SQL behind Fairhearing's back, as someone with the
#                      files or the superuser's password would: the audit
#                      events' guards are dropped first (SQLite) or every
#                      trigger, rule and foreign key is off (PostgreSQL:
#                      session_replication_role = replica)
# fh_db_copy FROM TO   makes TO a copy of FROM (nothing may be connected to FROM)
# fh_db_drop DB        removes the database
# fh_db_cleanup        removes every PostgreSQL database this test made (the
#                      cluster's stop removes them all anyway)
# Write portable SQL: SQLite 3.40 and PostgreSQL 15 alike. No PRAGMA,
# sqlite_schema, rowid, group_concat, printf or json_extract; a condition's
# value as CASE WHEN ... THEN 1 ELSE 0 END (PostgreSQL prints booleans as t/f);
# a flag column as CAST(flag AS INTEGER).
fh_pg() { [ -n "${FAIRHEARING_TEST_PG:-}" ]; }
fh_backend() { if fh_pg; then echo postgresql; else echo sqlite; fi; }

fh_run_id=${FAIRHEARING_TEST_RUN:-$(date +%s)}

fh_db() {
  if fh_pg; then
    local name
    name=$(printf '%s' "$1" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9_' '_')
    name="fh_${fh_run_id}_$$_$name"
    echo "${FAIRHEARING_TEST_PG%/}/${name:0:63}"
  else
    echo "${tmp:?fh_db needs a temporary directory in tmp}/$1.db"
  fi
}

# _fh_pg_parts URL: sets _fh_server (scheme://user@host:port), _fh_name and
# _fh_query (?... or nothing)
_fh_pg_parts() {
  local noq=${1%%\?*}
  _fh_query=${1#"$noq"}
  _fh_name=${noq##*/}
  _fh_server=${noq%/*}
}

_fh_psql() { # _fh_psql URL: SQL on standard input
  PGOPTIONS=-cclient_min_messages=warning psql -XAtq -F'|' -v ON_ERROR_STOP=1 -d "$1" -f -
}

_fh_admin() { # _fh_admin DB SQL: SQL run on the `postgres` database of DB's server
  _fh_pg_parts "$1"
  printf '%s\n' "$2" | _fh_psql "$_fh_server/postgres$_fh_query"
}

fh_db_create() {
  case $1 in
    postgres://* | postgresql://*)
      _fh_pg_parts "$1"
      _fh_admin "$1" "CREATE DATABASE \"$_fh_name\"" ;;
    *) sqlite3 "$1" "PRAGMA user_version" >/dev/null ;;
  esac
}

fh_sql() {
  case $1 in
    postgres://* | postgresql://*) printf '%s\n' "$2" | _fh_psql "$1" ;;
    *) sqlite3 "$1" "$2" ;;
  esac
}

fh_list() {
  local rows
  rows=$(fh_sql "$1" "$2") || return
  [ -z "$rows" ] && return 0
  printf '%s\n' "$rows" | paste -sd "${3:-,}" -
}

fh_json_pick() {
  fh_sql "$1" "$2" | jq -Rr "capture(\"^(?<k>[^|]*)[|](?<j>.*)\$\") | select(.j | fromjson | $3) | .k" | head -1
}

fh_blob() {
  if fh_pg; then echo "'\\x$1'::bytea"; else echo "X'$1'"; fi
}

fh_integrity() {
  case $1 in
    postgres://* | postgresql://*)
      fh_sql "$1" "CREATE EXTENSION IF NOT EXISTS amcheck;
        SELECT count(bt_index_check(c.oid, true)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE a.amname = 'btree' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND i.indisready AND i.indisvalid" >/dev/null && echo ok ;;
    *) sqlite3 "$1" "PRAGMA integrity_check" ;;
  esac
}

fh_tables() {
  case $1 in
    postgres://* | postgresql://*)
      fh_sql "$1" "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1" ;;
    *) sqlite3 "$1" "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY 1" ;;
  esac
}

fh_db_exists() {
  case $1 in
    postgres://* | postgresql://*)
      _fh_pg_parts "$1"
      [ "$(_fh_admin "$1" "SELECT count(*) FROM pg_database WHERE datname = '$_fh_name'")" = 1 ] ;;
    *) [ -f "$1" ] ;;
  esac
}

fh_tamper() {
  case $1 in
    postgres://* | postgresql://*) fh_sql "$1" "SET session_replication_role = replica; $2" ;;
    *) sqlite3 "$1" "DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;
                     PRAGMA foreign_keys = OFF; $2" ;;
  esac
}

fh_db_copy() {
  case $1 in
    postgres://* | postgresql://*)
      _fh_pg_parts "$2"
      local to=$_fh_name
      _fh_pg_parts "$1"
      _fh_admin "$1" "CREATE DATABASE \"$to\" TEMPLATE \"$_fh_name\"" ;;
    *)
      # through SQLite itself, so that a WAL not yet copied back comes along
      rm -f "$2" "$2-wal" "$2-shm"
      sqlite3 "$1" ".backup '$2'" ;;
  esac
}

# fh_demo FH DB AS_OF: `FH init --db DB --demo --as-of AS_OF`, its output in
# $tmp/init.out and its exit status.  Under tests/run.sh, which makes the
# directory FH_TEST_CACHE for one run, the first test to ask makes the demo
# database once per backend, day and binary, as a template, under a lock,
# and every test gets a copy (fh_db_copy): it takes a dozen seconds under
# the sanitizers, and some forty tests start from one.
fh_demo() {
  local fh=$1 to=$2 asof=$3
  if [ -z "${FH_TEST_CACHE:-}" ] || [ ! -d "$FH_TEST_CACHE" ]; then
    "$fh" init --db "$to" --demo --as-of "$asof" >"$tmp/init.out" 2>&1
    return
  fi
  fh_cached "d${asof//-/}" "$fh" "$to" "$fh" init --db @DB@ --demo --as-of "$asof"
}

# fh_cached KEY FH DB CMD...: DB a copy of the database CMD makes (@DB@ in
# CMD stands for it), made once per run, backend, day and binary FH for KEY
# under FH_TEST_CACHE; CMD's output in $tmp/init.out.
fh_cached() {
  local key=$1 fh=$2 to=$3 template
  shift 3
  key=${key}_${FAIRHEARING_TODAY//-/}_$(stat -c %Y%s "$fh")
  if fh_pg; then
    template=${FAIRHEARING_TEST_PG%/}/fh_tpl_${fh_run_id}_$key
    key=postgresql_${fh_run_id}_$key
  else
    key=sqlite_$key
    template=$FH_TEST_CACHE/$key.db
  fi
  (
    flock 9
    if [ ! -f "$FH_TEST_CACHE/$key.ready" ]; then
      fh_db_drop "$template" >/dev/null 2>&1 # what a failed attempt left
      "${@//@DB@/$template}" >"$tmp/init.out" 2>&1 || exit 1
      touch "$FH_TEST_CACHE/$key.ready"
    fi
    fh_db_copy "$template" "$to" >/dev/null
  ) 9>"$FH_TEST_CACHE/$key.lock"
}

fh_db_drop() {
  case $1 in
    postgres://* | postgresql://*)
      _fh_pg_parts "$1"
      _fh_admin "$1" "DROP DATABASE IF EXISTS \"$_fh_name\" WITH (FORCE)" ;;
    *) rm -f "$1" "$1-wal" "$1-shm" ;;
  esac
}

fh_db_cleanup() {
  fh_pg || return 0
  local name
  for name in $(printf '%s\n' "SELECT datname FROM pg_database WHERE datname LIKE 'fh\\_${fh_run_id}\\_$$\\_%'" |
      _fh_psql "${FAIRHEARING_TEST_PG%/}/postgres" 2>/dev/null); do
    fh_db_drop "${FAIRHEARING_TEST_PG%/}/$name" >/dev/null 2>&1
  done
  return 0
}
