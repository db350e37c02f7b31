#!/usr/bin/env bash
# fairhearing remind against a small SMTP sink on loopback (smtp_sink.js, node):
# who gets a digest, that it lists exactly their cases and nothing personal,
# that it is recorded (row and audit event) and not sent twice the same day,
# a dry run, a refusing and an unreachable mail server, and bad command lines;
# then a mail server that wants a login: STARTTLS (with a certificate made
# here), AUTH PLAIN and LOGIN, a wrong password, a server without STARTTLS or
# with a certificate not trusted, smtps://, and the password file's checks.
# usage: test_remind_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-remind-XXXXXX)
trap 'stop_sinks; fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23
db=$(fh_db remind)
fh_demo "$fh" "$db" "$FAIRHEARING_TODAY" || { echo "Bail out! init failed"; exit 1; }

q() { fh_sql "$db" "$1"; }

# --- the command line ----------------------------------------------------------
run "$fh" remind --db "$db" --smtp smtp://127.0.0.1:1; expect_rc 2 "remind without --from"
run "$fh" remind --db "$db" --from a@b.example; expect_rc 2 "remind without --smtp or --dry-run"
run "$fh" remind --db "$db" --from a@b.example --smtp http://127.0.0.1:1; expect_rc 2 "an --smtp URL that is not smtp://"
run "$fh" remind --db "$db" --from 'a@b.example>\r\nBcc: x@y' --dry-run; expect_rc 2 "a --from that could forge headers"
run "$fh" remind --db "$db" --from a@b.example --dry-run --days 0; expect_rc 2 "--days 0"
run "$fh" remind --db "$db" --from a@b.example --dry-run --days soon; expect_rc 2 "--days that is not a number"
expect_contains "$err" "--days" "and the message names the option"
run "$fh" remind --db "$db" --from a@b.example --dry-run --org nowhere; expect_rc 2 "an unknown organisation"
run "$fh" remind --help; expect_rc 0 "remind --help"
expect_contains "$out" "no names" "--help says what a digest leaves out"
expect_contains "$out" "FAIRHEARING_SMTP_PASSWORD" "and where a login's password comes from"

# --- a dry run -------------------------------------------------------------------
run "$fh" remind --db "$db" --from complaints@bct.example --dry-run
expect_rc 0 "a dry run"
expect_contains "$out" "officer digest to adjudicator@bct.demo (bct)" "shows an officer's digest"
expect_contains "$out" "manager digest to manager@bct.demo (bct)" "and a manager's"
expect_eq "$(q 'SELECT count(*) FROM reminders_sent')" 0 "a dry run records nothing"

# --- sending -----------------------------------------------------------------------
start_sink "$tmp/mail"
run "$fh" remind --db "$db" --smtp "$smtp" --from complaints@bct.example
expect_rc 0 "remind sends the day's digests"
sent=$(grep -c '^sent ' <<<"$out")
mails=$(ls "$tmp/mail" | wc -l)
[ "$sent" -ge 4 ]; ok $? "several digests were sent ($sent)"
expect_eq "$mails" "$sent" "the mail server received each one"
expect_eq "$(q 'SELECT count(*) FROM reminders_sent')" "$sent" "each is recorded"
expect_eq "$(q "SELECT count(*) FROM events WHERE action = 'reminder_sent'")" "$sent" "each with an audit event"

mail_to() { grep -l "^To: $1\$" "$tmp/mail"/*.eml | head -1; }
refs_in() { grep -o '[A-Z]\+-20[0-9][0-9]-[0-9]\{5\}' "$1" | sort -u; }
horizon=$("$fh" calendar add 2026-11-23 5)
m=$(mail_to adjudicator@bct.demo)
[ -n "$m" ]; ok $? "the adjudicating officer got a digest"
expect_contains "$(head -3 "$m")" "X-Envelope-To: <adjudicator@bct.demo>" "addressed to them on the envelope too"
# every officer's digest lists exactly the cases they are assigned to now, in
# that organisation, with a clock due by the horizon (5 working days) or past
wrong=0 narrower=0
# (against every case of the organisation with a running clock, due when it
# may: with one adjudicator in the demo, the cases due by the horizon can all
# be theirs, so that count proves nothing)
org_due=$(q "SELECT count(DISTINCT c.id) FROM case_deadlines d JOIN cases c ON c.id = d.case_id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND CAST(d.stopped AS INTEGER) = 0")
for f in $(grep -l "^Subject: Fairhearing: your deadlines at Birmingham Children's Trust" "$tmp/mail"/*.eml); do
  to=$(sed -n 's/^To: //p' "$f")
  want=$(q "SELECT DISTINCT c.reference FROM case_deadlines d JOIN cases c ON c.id = d.case_id
    JOIN case_assignments a ON a.case_id = c.id JOIN organisations o ON o.id = c.org_id
    WHERE o.code = 'bct' AND a.user_email = '$to' AND a.ended_at IS NULL
    AND CAST(d.stopped AS INTEGER) = 0 AND d.due_on <= '$horizon'" | sort)
  [ "$(refs_in "$f")" = "$want" ] || { wrong=$((wrong + 1)); diag "$to: got $(refs_in "$f" | tr '\n' ' '), want $(tr '\n' ' ' <<<"$want")"; }
  [ "$(refs_in "$f" | wc -l)" -lt "$org_due" ] && narrower=$((narrower + 1))
done
expect_eq "$wrong" 0 "each officer's digest lists exactly their own cases due within 5 working days or overdue"
[ "$narrower" -gt 0 ]; ok $? "which is fewer than the organisation's $org_due cases with a running clock (the filter is not everything)"

# nothing personal: no name, no summary of any case listed, in any digest
leaks=0
for f in "$tmp/mail"/*.eml; do
  for ref in $(refs_in "$f"); do
    while IFS= read -r word; do
      [ -n "$word" ] && grep -qiF -- "$word" "$f" && { leaks=$((leaks + 1)); diag "$f names '$word' of $ref"; }
    done < <(q "SELECT p.family_name FROM people p JOIN case_parties cp ON cp.person_id = p.id
      JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$ref'
      UNION SELECT p.given_name FROM people p JOIN case_parties cp ON cp.person_id = p.id
      JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$ref' AND length(p.given_name) > 3
      UNION SELECT summary FROM cases WHERE reference = '$ref'")
  done
done
expect_eq "$leaks" 0 "no digest carries a name or a summary of the cases it lists"

m=$(mail_to manager@bct.demo)
[ -n "$m" ]; ok $? "the complaints team's manager got the overdue list"
late=$(q "SELECT count(*) FROM case_deadlines d JOIN cases c ON c.id = d.case_id JOIN organisations o
  ON o.id = c.org_id WHERE o.code = 'bct' AND CAST(d.stopped AS INTEGER) = 0 AND d.due_on < '2026-11-23'")
expect_eq "$(grep -c 'OVERDUE' "$m")" "$late" "with every overdue clock of the organisation"
expect_eq "$(grep -c 'due in' "$m")" 0 "and only overdue ones"
expect_contains "$(cat "$m")" "Content-Type: text/plain; charset=utf-8" "plain text, UTF-8"

# --- the same day again, then the next day -----------------------------------------
run "$fh" remind --db "$db" --smtp "$smtp" --from complaints@bct.example
expect_rc 0 "a second run the same day"
expect_eq "$(ls "$tmp/mail" | wc -l)" "$mails" "sends nothing again"
expect_contains "$out" "already sent today" "and says so"
FAIRHEARING_TODAY=2026-11-24 run "$fh" remind --db "$db" --smtp "$smtp" --from complaints@bct.example
expect_rc 0 "the next day"
[ "$(ls "$tmp/mail" | wc -l)" -gt "$mails" ]; ok $? "brings new digests"

# --- mail servers that do not take the message ---------------------------------------
start_sink "$tmp/refusing" --refuse
before=$(q 'SELECT count(*) FROM reminders_sent')
FAIRHEARING_TODAY=2026-11-25 run "$fh" remind --db "$db" --smtp "$smtp" --from complaints@bct.example
expect_rc 1 "a mail server that refuses the recipients"
expect_contains "$err" "not sent" "each refusal is reported"
expect_eq "$(q 'SELECT count(*) FROM reminders_sent')" "$before" "and nothing is recorded as sent"
FAIRHEARING_TODAY=2026-11-25 run "$fh" remind --db "$db" --smtp smtp://127.0.0.1:1 --from complaints@bct.example
expect_rc 1 "an unreachable mail server"
expect_eq "$(q 'SELECT count(*) FROM reminders_sent')" "$before" "records nothing either"
start_sink "$tmp/mail3"
FAIRHEARING_TODAY=2026-11-25 run "$fh" remind --db "$db" --smtp "$smtp" --from complaints@bct.example
expect_rc 0 "once the mail server takes them"
[ "$(ls "$tmp/mail3" | wc -l)" -gt 0 ]; ok $? "the day's digests go out"

# --- a mail server that wants a login ------------------------------------------------
# The sink offers STARTTLS with a certificate made here, and AUTH PLAIN and LOGIN
# (even before TLS, so that a client sending its password in clear would be seen).
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -days 1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 \
  || { echo "Bail out! openssl could not make a test certificate (is openssl installed?)"; exit 1; }
user=fh-reminders
pw='correct-Horse-battery-9431'
printf '%s\n' "$pw" >"$tmp/pw"
chmod 600 "$tmp/pw"
said= # everything remind printed in this part, to look for the password in
runs() { run "$@"; said="$said$out$err"; }
login=(--smtp-user "$user" --smtp-password-file "$tmp/pw" --smtp-ca "$tmp/cert.pem")
unset FAIRHEARING_SMTP_PASSWORD

runs "$fh" remind --db "$db" --from a@b.example --smtp smtp://127.0.0.1:1 --smtp-user "$user"
expect_rc 2 "--smtp-user without a password"
expect_contains "$err" "FAIRHEARING_SMTP_PASSWORD or give --smtp-password-file" "says where a password may come from"
runs "$fh" remind --db "$db" --from a@b.example --smtp smtp://127.0.0.1:1 --smtp-user "$user" --smtp-password-file "$tmp/nowhere"
expect_rc 2 "a password file that is not there"
expect_contains "$err" "--smtp-password-file $tmp/nowhere: No such file" "names the option and the file"
for mode in 644 640 604; do
  chmod "$mode" "$tmp/pw"
  runs "$fh" remind --db "$db" --from a@b.example --smtp smtp://127.0.0.1:1 --smtp-user "$user" --smtp-password-file "$tmp/pw"
  expect_rc 2 "a password file with mode $mode"
  expect_contains "$err" "--smtp-password-file $tmp/pw is readable by" "is refused as readable by group or others (mode $mode)"
done
expect_contains "$err" "chmod 600" "and says how to put it right"
chmod 600 "$tmp/pw"
: >"$tmp/pw-empty"; chmod 600 "$tmp/pw-empty"
runs "$fh" remind --db "$db" --from a@b.example --smtp smtp://127.0.0.1:1 --smtp-user "$user" --smtp-password-file "$tmp/pw-empty"
expect_rc 2 "an empty password file"
if [ "$(id -u)" -ne 0 ]; then
  cp "$tmp/pw" "$tmp/pw-locked"; chmod 200 "$tmp/pw-locked"
  runs "$fh" remind --db "$db" --from a@b.example --smtp smtp://127.0.0.1:1 --smtp-user "$user" --smtp-password-file "$tmp/pw-locked"
  expect_rc 2 "a password file remind may not read"
  expect_contains "$err" "--smtp-password-file $tmp/pw-locked: Permission denied" "says so"
else
  skip "a password file remind may not read" "root reads every file"
  skip "says so" "root reads every file"
fi
runs "$fh" remind --db "$db" --from a@b.example --smtp smtp://127.0.0.1:1 --smtp-password-file "$tmp/pw"
expect_rc 2 "a password file without --smtp-user"
expect_contains "$err" "--smtp-password-file needs --smtp-user" "says what is missing"
runs "$fh" remind --db "$db" --from a@b.example --smtp smtp://127.0.0.1:1 --smtp-user "$user" --smtp-password-file "$tmp/pw" --smtp-ca "$tmp/no-ca.pem"
expect_rc 2 "an --smtp-ca that is not there"
expect_contains "$err" "--smtp-ca $tmp/no-ca.pem" "names the option and the file"
runs "$fh" remind --db "$db" --from a@b.example --smtp "smtp://$user:$pw@127.0.0.1:1"
expect_rc 2 "a password in the --smtp URL"
expect_contains "$err" "--smtp must not hold a user or password" "is refused"

# the right login, over STARTTLS, with the password file
start_sink "$tmp/auth" --tls "$tmp/key.pem" "$tmp/cert.pem" --user "$user" --password "$pw"
log=$tmp/auth.out
FAIRHEARING_TODAY=2026-11-26 runs "$fh" remind --db "$db" --smtp "$smtp" --from complaints@bct.example "${login[@]}"
expect_rc 0 "remind logs in over STARTTLS and sends the day's digests"
sent=$(grep -c '^sent ' <<<"$out")
[ "$sent" -ge 4 ]; ok $? "several digests were sent ($sent)"
expect_eq "$(ls "$tmp/auth" | wc -l)" "$sent" "the mail server received each one"
expect_eq "$(q "SELECT count(*) FROM reminders_sent WHERE sent_on = '2026-11-26'")" "$sent" "each is recorded"
expect_eq "$(grep -c "\* AUTH PLAIN accepted for $user over TLS" "$log")" "$sent" "each connection logged in (AUTH PLAIN) over TLS"
expect_eq "$(grep -c ' in clear' "$log")" 0 "never in clear"
tls_first=$(awk '$2 == "*" && $3 == "TLS" { tls[$1] = 1 } $2 == "C:" && $3 == "AUTH" { n++; if (!tls[$1]) bad++ }
  END { print (n > 0 && !bad) ? "yes" : "no" }' "$log")
expect_eq "$tls_first" yes "the sink saw TLS established before every AUTH"

# the password: only inside the AUTH exchanges of the sink's log
plain64=$(printf '\0%s\0%s' "$user" "$pw" | base64 -w0)
pw64=$(printf '%s' "$pw" | base64 -w0)
grep -qF -- "$plain64" "$log"; ok $? "the sink's log holds the AUTH exchange (so its absence elsewhere means something)"
outside=$(awk '$2 == "C:" && $3 == "AUTH" { in_auth[$1] = 1 } !in_auth[$1] { print }
  $2 == "*" && $3 == "AUTH" { in_auth[$1] = 0 }' "$log")
leaked=0
for secret in "$pw" "$pw64" "$plain64"; do
  grep -qF -- "$secret" <<<"$outside" && leaked=$((leaked + 1))
done
expect_eq "$leaked" 0 "the password is nowhere in the conversation but the AUTH exchange"
expect_eq "$(grep -cF -- "$pw" "$log")" 0 "and never in clear text there"
expect_eq "$(cat "$tmp/auth"/*.eml | grep -cF -- "$pw")" 0 "nor in any digest"

# a wrong password (each failure on a day of its own, so none hides behind another's
# "already sent today" should it send after all)
before=$(q 'SELECT count(*) FROM reminders_sent')
FAIRHEARING_TODAY=2026-12-01 FAIRHEARING_SMTP_PASSWORD=not-the-password runs "$fh" remind --db "$db" \
  --smtp "$smtp" --from complaints@bct.example --smtp-user "$user" --smtp-ca "$tmp/cert.pem"
expect_rc 1 "a wrong password"
expect_contains "$err" "the mail server refused the login as '$user'" "is reported clearly"
expect_contains "$err" "stopped" "and the run stops"
expect_eq "$(q 'SELECT count(*) FROM reminders_sent')" "$before" "no digest is recorded as sent"
expect_eq "$(ls "$tmp/auth" | wc -l)" "$sent" "and none reached the mail server"
expect_eq "$(grep -c '\* AUTH PLAIN refused' "$log")" 1 "the login was tried once, not once a digest (an account may lock)"

# a certificate nobody vouches for: no --smtp-ca, so the system's CAs
auths=$(grep -c ' C: AUTH' "$log")
FAIRHEARING_TODAY=2026-12-02 runs "$fh" remind --db "$db" --smtp "$smtp" --from complaints@bct.example \
  --smtp-user "$user" --smtp-password-file "$tmp/pw"
expect_rc 1 "a mail server whose certificate is not trusted"
expect_contains "$err" "certificate is not trusted" "is reported"
expect_contains "$err" "--smtp-ca FILE" "pointing at --smtp-ca"
expect_eq "$(grep -c ' C: AUTH' "$log")" "$auths" "and no login was attempted"
expect_eq "$(q 'SELECT count(*) FROM reminders_sent')" "$before" "nothing is recorded"

# a server that does not offer STARTTLS (but would take AUTH in clear)
start_sink "$tmp/clear" --tls "$tmp/key.pem" "$tmp/cert.pem" --no-starttls --user "$user" --password "$pw"
FAIRHEARING_TODAY=2026-12-03 runs "$fh" remind --db "$db" --smtp "$smtp" --from complaints@bct.example "${login[@]}"
expect_rc 1 "a mail server without STARTTLS"
expect_contains "$err" "does not offer STARTTLS, so the password was not sent" "is refused the password"
[ "$(grep -c ' C: EHLO' "$tmp/clear.out")" -gt 0 ]; ok $? "remind did talk to it"
expect_eq "$(grep -c ' C: AUTH' "$tmp/clear.out")" 0 "but the sink saw no AUTH"
leaked=0
for secret in "$pw" "$pw64" "$plain64"; do grep -qF -- "$secret" "$tmp/clear.out" && leaked=$((leaked + 1)); done
expect_eq "$leaked" 0 "nor the password in any form"
expect_eq "$(ls "$tmp/clear" | wc -l)" 0 "and took no digest"
expect_eq "$(q 'SELECT count(*) FROM reminders_sent')" "$before" "nothing is recorded"

# AUTH LOGIN, with the password from the environment
start_sink "$tmp/auth-login" --tls "$tmp/key.pem" "$tmp/cert.pem" --user "$user" --password "$pw" --auth LOGIN
FAIRHEARING_TODAY=2026-11-27 FAIRHEARING_SMTP_PASSWORD=$pw runs "$fh" remind --db "$db" --smtp "$smtp" \
  --from complaints@bct.example --smtp-user "$user" --smtp-ca "$tmp/cert.pem"
expect_rc 0 "AUTH LOGIN, with the password from FAIRHEARING_SMTP_PASSWORD"
sent=$(grep -c '^sent ' <<<"$out")
[ "$sent" -ge 4 ] && [ "$(ls "$tmp/auth-login" | wc -l)" -eq "$sent" ]; ok $? "the digests arrive ($sent)"
expect_eq "$(grep -c "\* AUTH LOGIN accepted for $user over TLS" "$tmp/auth-login.out")" "$sent" "each after a login over TLS"
expect_eq "$(grep -cF -- "$pw" "$tmp/auth-login.out")" 0 "the password never in clear text in the conversation"

# smtps://: TLS from the first byte; the file wins over the environment
start_sink "$tmp/smtps" --tls "$tmp/key.pem" "$tmp/cert.pem" --smtps --user "$user" --password "$pw"
FAIRHEARING_TODAY=2026-11-30 FAIRHEARING_SMTP_PASSWORD=not-the-password runs "$fh" remind --db "$db" \
  --smtp "${smtp/smtp:/smtps:}" --from complaints@bct.example "${login[@]}"
expect_rc 0 "smtps:// with a login (the password file, not the environment)"
[ "$(ls "$tmp/smtps" | wc -l)" -gt 0 ]; ok $? "the digests arrive"
expect_eq "$(grep -c ' in clear' "$tmp/smtps.out")" 0 "every login over TLS"

leaked=0
for secret in "$pw" "$pw64" "$plain64"; do grep -qF -- "$secret" <<<"$said" && leaked=$((leaked + 1)); done
expect_eq "$leaked" 0 "remind never printed the password, whatever went wrong"

run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies after the reminders"

done_testing
