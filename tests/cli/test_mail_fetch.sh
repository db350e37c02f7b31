#!/usr/bin/env bash
# fairhearing mail fetch (issue 17 item 2) against a real IMAP server, Dovecot,
# started on loopback (scripts/imap-server.sh): every message in the mailbox is
# kept once and only then moved to the processed folder; a message read in a
# mail program is still taken; one kept before a crash is moved, not kept again;
# a database or mail server that fails leaves the messages in the mailbox; a
# login never goes over a plain line to another machine; sysexits.h statuses.
# The messages themselves are the inbound corpus (tests/mail/corpus.sh), whose
# reading test_mail_cli.sh checks in detail.
# usage: test_mail_fetch.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-fetch-XXXXXX)
imap_dir=
trap '[ -n "$imap_dir" ] && bash "$here/../../scripts/imap-server.sh" stop "$imap_dir"; fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23
unset FAIRHEARING_IMAP_PASSWORD
db=$(fh_db fetch)
fh_demo "$fh" "$db" "$FAIRHEARING_TODAY" || { echo "Bail out! init failed"; exit 1; }
q() { fh_sql "$db" "$1"; }
bash "$here/../mail/corpus.sh" "$tmp/corpus" >/dev/null
c=$tmp/corpus
printf 'secret\n' >"$tmp/password"
chmod 600 "$tmp/password"

# --- the command line (no server needed) ------------------------------------------
fetch() { run "$fh" mail fetch --db "$db" --org bct "$@"; }
fetch --user u --password-file "$tmp/password"
expect_rc 64 "issue 17 item 2: --imap is required (EX_USAGE)"
expect_contains "$err" "--imap is required" "and the message names it"
fetch --imap imaps://mail.example/INBOX --password-file "$tmp/password"
expect_rc 64 "--user is required"
fetch --imap https://mail.example/INBOX --user u --password-file "$tmp/password"
expect_rc 64 "an --imap URL that is not imap:// or imaps://"
expect_contains "$err" "imaps:// or imap://" "says which schemes"
fetch --imap imaps://u:pw@mail.example/INBOX --user u --password-file "$tmp/password"
expect_rc 64 "an --imap URL holding a password (visible in ps)"
fetch --imap imaps://mail.example/INBOX --user u --password-file "$tmp/password" --oauth2-token-file "$tmp/password"
expect_rc 64 "a password and a token together"
fetch --imap imaps://mail.example/INBOX --user u
expect_rc 64 "no password from anywhere"
expect_contains "$err" "FAIRHEARING_IMAP_PASSWORD" "and where one can come from"
cp "$tmp/password" "$tmp/open-password" && chmod 644 "$tmp/open-password"
fetch --imap imaps://mail.example/INBOX --user u --password-file "$tmp/open-password"
expect_rc 64 "a password file others can read"
expect_contains "$err" "chmod 600" "and how to put it right"
fetch --imap imaps://mail.example/INBOX --user u --password-file "$tmp/password" --processed 'Done "*"'
expect_rc 64 "a processed folder with quotes and wildcards"
fetch --imap imaps://mail.example/INBOX/x%0d%0aA1 --user u --password-file "$tmp/password"
expect_rc 64 "a mailbox name hiding a line break (an injected command)"
run "$fh" mail fetch --help
expect_rc 0 "mail fetch --help"
expect_contains "$out" "75  the mail server or database failed" "--help documents the exit statuses"
run "$fh" mail --help
expect_contains "$out" "fetch    every email in an IMAP mailbox" "mail --help lists fetch"

# --- a real IMAP server ------------------------------------------------------------
if ! started=$(bash "$here/../../scripts/imap-server.sh" start 2>&1); then
  echo "Bail out! the IMAP server did not start: $started"
  exit 1
fi
read -r port imap_dir <<<"$started"
url=imap://127.0.0.1:$port
# imap MAILBOX [CURL OPTIONS]: a command to the server as a mail program would send it
imap() { local box=$1; shift; curl -s --url "$url/$box" --user complaints@bct.example:secret "$@"; }
put() { imap INBOX -T "$1"; }
uids() { imap "$1" -X 'UID SEARCH ALL' | tr -d '\r' | sed 's/^\* SEARCH *//'; }
fetch_ok() { fetch --imap "$url/INBOX" --user complaints@bct.example --password-file "$tmp/password" "$@"; }
kept() { q 'SELECT count(*) FROM received_messages'; }

put "$c/pdf.eml" && put "$c/cp1252.eml" && put "$c/garbage.eml"
expect_eq "$(uids INBOX)" "1 2 3" "three messages wait in the mailbox"
imap INBOX -X 'UID STORE 1 +FLAGS (\Seen)' >/dev/null
before=$(kept)
fetch_ok
expect_rc 0 "issue 17 item 2: mail fetch takes the mailbox (exit 0)"
expect_contains "$out" "UID 1: new contact BCT-" "a message already read in a mail program is still taken"
expect_contains "$out" "UID 2: new contact BCT-" "the second becomes a contact"
expect_contains "$out" "UID 3: quarantined" "what cannot be read is kept in quarantine, not left behind"
expect_contains "$out" "3 messages taken from INBOX into bct, moved to Processed" "and says what it did"
expect_eq "$(kept)" "$((before + 3))" "each is kept once"
expect_eq "$(uids INBOX)" "" "the mailbox is empty"
expect_eq "$(uids Processed | wc -w)" 3 "the three are in the processed folder, made for them"
expect_eq "$(q "SELECT count(*) FROM events WHERE action = 'mail_received' AND actor = 'system:mail-fetch' AND data LIKE '%UIDVALIDITY % UID 2\"%'")" 1 \
  "each audit event names the mailbox, its UIDVALIDITY and the message's UID"
ref=$(printf '%s' "$out" | sed -n 's/^UID 2: new contact \([A-Z]*-[0-9]*-[0-9]*\).*/\1/p')
expect_eq "$(q "SELECT details FROM cases WHERE reference = '$ref'")" "I paid £120 for the “contact” session – it didn’t happen." \
  "the contact is made as mail receive makes it (its Windows-1252 text read)"

fetch_ok
expect_rc 0 "a second run"
expect_contains "$out" "0 messages taken" "finds nothing left"

# a crash after the database kept a message but before it was moved: the next
# run finds it there again, keeps nothing new and moves it
put "$c/pdf.eml"
before=$(kept)
fetch_ok
expect_rc 0 "a message kept before a crash, still in the mailbox"
expect_contains "$out" "received before" "is recognised as received before"
expect_eq "$(kept)" "$before" "and not kept twice"
expect_eq "$(uids INBOX)" "" "and is moved out of the mailbox"

# failures leave every message where it was
put "$c/html.eml"
run "$fh" mail fetch --db "$tmp/no/such/dir/x.db" --org bct --imap "$url/INBOX" --user complaints@bct.example --password-file "$tmp/password"
expect_rc 75 "a database that cannot be opened: EX_TEMPFAIL, for the next run"
expect_eq "$(uids INBOX | wc -w)" 1 "and the message stays in the mailbox"
printf 'wrong\n' >"$tmp/wrong" && chmod 600 "$tmp/wrong"
fetch --imap "$url/INBOX" --user complaints@bct.example --password-file "$tmp/wrong"
expect_rc 77 "a refused login: EX_NOPERM"
expect_eq "$(uids INBOX | wc -w)" 1 "the message stays"
fetch_ok --processed "Taken by Fairhearing"
expect_rc 0 "once the failures are put right, the message is taken"
expect_eq "$(uids INBOX)" "" "the mailbox is empty again"
expect_eq "$(imap '' -X 'LIST "" "Taken by Fairhearing"' | grep -c 'Taken by Fairhearing')" 1 \
  "into a folder with spaces in its name, made for it"
fetch --imap "$url/Nowhere" --user complaints@bct.example --password-file "$tmp/password"
expect_rc 78 "a mailbox that does not exist: EX_CONFIG"

# the password goes over a plain line only to this machine: 127.0.0.2 is
# loopback too, but not named as this machine, so STARTTLS is required
fetch --imap "imap://127.0.0.2:$port/INBOX" --user complaints@bct.example --password-file "$tmp/password"
expect_rc 78 "a plain imap:// server elsewhere without STARTTLS is refused (EX_CONFIG)"
expect_contains "$err" "STARTTLS" "naming STARTTLS"
expect_eq "$(grep -c 'method=PLAIN, rip=127.0.0.2' "$imap_dir/log")" 0 "and no login was sent to it"

# OAuth2 (Exchange Online, Google): a bearer token, which this Dovecot checks
# as a JWT signed with its key (scripts/imap-server.sh)
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
token() { # token SUB EXPIRES-IN-SECONDS
  local now h p sig
  now=$(date +%s)
  h=$(printf '{"alg":"HS256","typ":"JWT","kid":"default"}' | b64url)
  p=$(printf '{"sub":"%s","iat":%d,"nbf":%d,"exp":%d}' "$1" $((now - 60)) $((now - 60)) $((now + $2)) | b64url)
  sig=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -hmac "$(cat "$imap_dir/oauth2-key")" -binary | b64url)
  printf '%s.%s.%s\n' "$h" "$p" "$sig"
}
token complaints@bct.example 3600 >"$tmp/token" && chmod 600 "$tmp/token"
put "$c/latin1.eml"
fetch --imap "$url/INBOX" --user complaints@bct.example --oauth2-token-file "$tmp/token"
expect_rc 0 "issue 17 item 2: an OAuth2 bearer token signs in (--oauth2-token-file)"
expect_contains "$out" "1 message taken" "and the message is taken"
expect_eq "$(grep -c 'method=\(XOAUTH2\|OAUTHBEARER\)' "$imap_dir/log")" 1 "by SASL XOAUTH2 or OAUTHBEARER, not a password"
token complaints@bct.example -600 >"$tmp/token"
put "$c/flowed.eml"
fetch --imap "$url/INBOX" --user complaints@bct.example --oauth2-token-file "$tmp/token"
expect_rc 77 "an expired token is refused: EX_NOPERM"
expect_eq "$(uids INBOX | wc -w)" 1 "and the message stays"

FAIRHEARING_IMAP_PASSWORD=secret run "$fh" mail fetch --db "$db" --org bct --imap "$url/INBOX" --user complaints@bct.example
expect_rc 0 "the password may come from FAIRHEARING_IMAP_PASSWORD"

# A message over the 64 MiB Fairhearing takes (MAIL_RECEIVE_MAX, as mail receive),
# between two that fit: it is neither imported nor lost, the others are taken,
# and the run says so and exits 69 (EX_UNAVAILABLE) for the administrator.
# Made here, not kept in the tree: 65 MiB of base64 lines.
{
  printf 'From: Big Sender <big@example.org>\r\nTo: complaints@bct.example\r\nSubject: Scans of every letter\r\nMessage-ID: <too-big-1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nAll the scans.\r\n--b\r\nContent-Type: application/pdf; name="scans.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
  head -c $((49 * 1024 * 1024)) /dev/zero | base64 -w 76 | sed 's/$/\r/'
  printf '\r\n--b--\r\n'
} >"$tmp/big.eml"
big_size=$(stat -c %s "$tmp/big.eml")
[ "$big_size" -gt $((64 * 1024 * 1024)) ]; ok $? "a message over 64 MiB ($big_size bytes)"
put "$c/docx.eml" && put "$tmp/big.eml" && put "$c/forward.eml"
big_uid=$(uids INBOX | awk '{print $2}')
rm -f "$tmp/big.eml"
before=$(kept)
fetch_ok
expect_rc 69 "issue 17 item 2: a message over 64 MiB: the run ends EX_UNAVAILABLE (69)"
expect_contains "$err" "UID $big_uid is larger than the 64 MiB Fairhearing takes: left in the mailbox" "and says which message and why"
expect_contains "$out" "2 messages taken from INBOX" "the messages before and after it are taken all the same"
expect_eq "$(kept)" "$((before + 2))" "the large one is not imported"
expect_eq "$(q "SELECT count(*) FROM received_messages WHERE message_id = 'too-big-1@example.org'")" 0 "not even in quarantine"
expect_eq "$(uids INBOX)" "$big_uid" "and not lost: it alone stays in the mailbox"
expect_eq "$(imap INBOX -X "UID FETCH $big_uid (RFC822.SIZE)" | tr -d '\r' | sed -n 's/.*RFC822.SIZE \([0-9]*\).*/\1/p')" "$big_size" "whole"
fetch_ok
expect_rc 69 "the next run leaves it again, and says so again"
expect_contains "$out" "0 messages taken" "taking nothing"
expect_eq "$(uids INBOX)" "$big_uid" "it is still there, for a person to deal with"
imap INBOX -X "UID STORE $big_uid +FLAGS (\\Deleted)" >/dev/null && imap INBOX -X 'EXPUNGE' >/dev/null

bash "$here/../../scripts/imap-server.sh" stop "$imap_dir"
imap_dir=
fetch_ok
expect_rc 75 "a mail server that does not answer: EX_TEMPFAIL"

done_testing
