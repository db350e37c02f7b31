#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests (tests/run.sh) and for
# trying the PostgreSQL store by hand.
#
#   scripts/pg-cluster.sh start DIR   creates a cluster in DIR/data and starts it
#                                     on 127.0.0.1 on a free port; prints its
#                                     base URL, e.g. postgresql://fh@127.0.0.1:41234
#   scripts/pg-cluster.sh stop DIR    stops it and removes DIR (and every
#                                     database in it)
#   scripts/pg-cluster.sh url DIR     prints the base URL of a running cluster
#
# The cluster trusts every connection (initdb -A trust) and listens on
# loopback only, with its unix socket in DIR (or a short directory in /tmp
# when DIR's path is too long for a socket); its superuser is `fh`.
# FH_PG_FSYNC=on|off (default on) sets fsync, synchronous_commit and
# full_page_writes together: on by default, so that a benchmark
# (bench/server-pg.sh) pays for durable commits as a deployment does;
# tests/run.sh starts its cluster with off, since no test stops or crashes
# PostgreSQL itself and the flushes were most of its pass's time. PostgreSQL
# will not run as root, so when this script runs as root (CI does) the
# cluster belongs to an unprivileged system user, `fairhearing-pg`, made here
# the first time, and initdb and pg_ctl run as that user through runuser.
# A DIR left by an earlier run (its server still running or not) is stopped
# and replaced. Everything the server logs is in DIR/postgresql.log.
set -euo pipefail

pg_user=fairhearing-pg
superuser=fh
max_connections=${FH_PG_MAX_CONNECTIONS:-300}
fsync=${FH_PG_FSYNC:-on}
case $fsync in on | off) ;; *) echo "pg-cluster: FH_PG_FSYNC is on or off, not '$fsync'" >&2; exit 2 ;; esac

die() { echo "pg-cluster: $*" >&2; exit 1; }

bindir() {
  local d
  for d in "${PG_BINDIR:-}" /usr/lib/postgresql/15/bin; do
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  die "initdb and pg_ctl of PostgreSQL 15 not found (scripts/install-deps.sh installs postgresql-15)"
}

# as_owner CMD...: runs CMD as the cluster's owner (this user, or
# $pg_user when we are root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null; then
      runuser -u "$pg_user" -- "$@"
    else
      setpriv --reuid="$pg_user" --regid="$pg_user" --init-groups -- "$@"
    fi
  else
    "$@"
  fi
}

ensure_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  id -u "$pg_user" >/dev/null 2>&1 && return 0
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$pg_user" 2>/dev/null ||
    id -u "$pg_user" >/dev/null 2>&1 || die "could not create the system user $pg_user"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# data DIR: where the cluster's files are (DIR/data, or the directory DIR/where
# names when DIR could not be reached by the cluster's owner).
data_of() {
  if [ -f "$1/where" ]; then cat "$1/where"; else echo "$1/data"; fi
}

stop_cluster() { # stop_cluster DIR: stops a cluster in DIR if one runs; removes everything
  local dir=$1 data bin
  [ -e "$dir" ] || return 0
  data=$(data_of "$dir")
  if [ -f "$data/postmaster.pid" ]; then
    bin=$(bindir)
    if ! as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    # a server pg_ctl could not stop (its pid file half-written, say): by its pid
    local pid
    pid=$(head -1 "$data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
       grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
      kill -QUIT "$pid" 2>/dev/null || true
      sleep 1
    fi
  fi
  if [ -f "$dir/socketdir" ]; then rm -rf "$(cat "$dir/socketdir")"; fi
  [ "$data" != "$dir/data" ] && rm -rf "$(dirname "$data")"
  rm -rf "$dir"
}

start_cluster() {
  local dir=$1 bin data sockdir port tries=0
  bin=$(bindir)
  stop_cluster "$dir"
  ensure_user
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  data=$dir/data
  sockdir=$dir
  if [ "$(id -u)" -eq 0 ]; then
    chown "$pg_user:" "$dir"
    # every directory above DIR must let the owner through; when one does not
    # (a clone under /root, say), the files go to /tmp and DIR says where
    if ! runuser -u "$pg_user" -- test -w "$dir" 2>/dev/null; then
      local far
      far=$(mktemp -d /tmp/fh-pg-XXXXXX)
      chown "$pg_user:" "$far"
      data=$far/data
      sockdir=$far
      echo "$data" >"$dir/where"
    fi
  fi
  # a unix socket's path must fit in 107 bytes
  if [ $(( ${#sockdir} + 20 )) -gt 100 ]; then
    sockdir=$(mktemp -d /tmp/fh-pgs-XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown "$pg_user:" "$sockdir"
    echo "$sockdir" >"$dir/socketdir"
  fi
  as_owner "$bin/initdb" -D "$data" -A trust -U "$superuser" -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -5 "$dir/initdb.log")"
  while :; do
    tries=$((tries + 1))
    [ $tries -le 10 ] || die "no free port found to start on (see $dir/postgresql.log)"
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    port_in_use "$port" && continue
    # the last settings win: these replace initdb's
    as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF
# scripts/pg-cluster.sh: a throwaway cluster for the tests
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockdir'
max_connections = $max_connections
shared_buffers = 32MB
fsync = $fsync
synchronous_commit = $fsync
full_page_writes = $fsync
log_min_messages = warning
log_line_prefix = '%m [%p] %d '
EOF
    if as_owner "$bin/pg_ctl" -D "$data" -l "$(dirname "$data")/postgresql.log" -w -t 60 start >/dev/null 2>&1; then
      break
    fi
    # another process took the port meanwhile (or worse): say why if it was not that
    grep -q 'could not bind\|Address already in use' "$(dirname "$data")/postgresql.log" 2>/dev/null ||
      die "the server did not start: $(tail -5 "$(dirname "$data")/postgresql.log" 2>/dev/null)"
  done
  echo "$port" >"$dir/port"
  echo "postgresql://$superuser@127.0.0.1:$port"
}

[ $# -eq 2 ] || die "usage: $0 start|stop|url DIR"
case $1 in
  start) start_cluster "$2" ;;
  stop) stop_cluster "$2" ;;
  url) [ -f "$2/port" ] || die "no cluster in $2"; echo "postgresql://$superuser@127.0.0.1:$(cat "$2/port")" ;;
  *) die "usage: $0 start|stop|url DIR" ;;
esac
