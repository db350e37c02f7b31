#!/usr/bin/env bash
# A throwaway IMAP server (Dovecot) on loopback, for the tests of
# `fairhearing mail fetch` (tests/cli/test_mail_fetch.sh) and for trying it by hand.
#
#   scripts/imap-server.sh start        makes a directory in /tmp, starts Dovecot
#                                       there on 127.0.0.1 on a free port and
#                                       prints "PORT DIR"
#   scripts/imap-server.sh stop DIR     stops it and removes DIR
#
# One mailbox account, complaints@bct.example, which signs in with the
# password "secret" (plain text on loopback only: the server has no TLS) or
# with an OAuth2 bearer token (SASL XOAUTH2 or OAUTHBEARER): a JWT whose sub
# is the account, signed HS256 with the bytes of DIR/oauth2-key as its key,
# which Dovecot checks itself (introspection_mode = local). Dovecot will not let
# its login and mail processes run as root, so when this script runs as root
# (CI does) the whole server runs as the `dovecot` user the Debian package
# makes, through runuser; otherwise as the user running it. Its log is DIR/log.
set -euo pipefail

die() { echo "imap-server: $*" >&2; exit 1; }

dovecot=/usr/sbin/dovecot
[ -x "$dovecot" ] || die "$dovecot is missing (scripts/install-deps.sh installs dovecot-imapd)"

if [ "$(id -u)" -eq 0 ]; then
  owner=dovecot
  id -u "$owner" >/dev/null 2>&1 || die "the user $owner is missing (the dovecot-core package makes it)"
  as_owner() { runuser -u "$owner" -- "$@"; }
else
  owner=$(id -un)
  as_owner() { "$@"; }
fi

start() {
  local dir port try
  dir=$(mktemp -d /tmp/fh-imap-XXXXXX)
  chmod 755 "$dir"
  for try in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    write_config "$dir" "$port"
    [ "$(id -u)" -ne 0 ] || chown -R "$owner" "$dir"
    if as_owner "$dovecot" -c "$dir/dovecot.conf" 2>>"$dir/log"; then
      local i
      for i in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
          echo "$port $dir"
          return 0
        fi
        grep -q "Fatal" "$dir/log" 2>/dev/null && break
        sleep 0.05
      done
      as_owner "$dovecot" -c "$dir/dovecot.conf" stop 2>/dev/null || true
    fi
  done
  die "Dovecot did not start: $(tail -5 "$dir/log" 2>/dev/null)"
}

write_config() { # write_config DIR PORT
  local dir=$1 port=$2 uid gid group
  uid=$(id -u "$owner") gid=$(id -g "$owner") group=$(id -gn "$owner")
  mkdir -p "$dir/home"
  printf 'complaints@bct.example:{PLAIN}secret\n' >"$dir/passwd"
  # the token key: DIR/oauth2-key, and base64 in the key dictionary Dovecot reads
  mkdir -p "$dir/keys/default/HS256"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/oauth2-key"
  base64 -w0 <"$dir/oauth2-key" >"$dir/keys/default/HS256/default"
  cat >"$dir/oauth2.conf.ext" <<EOF
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=$dir/keys/
username_attribute = sub
EOF
  cat >"$dir/dovecot.conf" <<EOF
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/log
info_log_path = $dir/log
protocols = imap
listen = 127.0.0.1, 127.0.0.2
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
default_internal_user = $owner
default_internal_group = $group
default_login_user = $owner
first_valid_uid = $uid
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/oauth2.conf.ext
}
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $dir/passwd
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
EOF
}

stop() {
  local dir=$1
  case $dir in /tmp/fh-imap-*) ;; *) die "stop: $dir is not a directory this script made" ;; esac
  [ -f "$dir/dovecot.conf" ] && as_owner "$dovecot" -c "$dir/dovecot.conf" stop 2>/dev/null || true
  rm -rf "$dir"
}

case ${1:-} in
  start) start ;;
  stop) [ $# -eq 2 ] || die "usage: imap-server.sh stop DIR"; stop "$2" ;;
  *) die "usage: imap-server.sh start | stop DIR" ;;
esac
