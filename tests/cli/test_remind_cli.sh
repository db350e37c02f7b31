#!/usr/bin/env bash
# fairhearing remind against a small SMTP sink on loopback (smtp_sink.js, node):
# who gets a digest, that it lists exactly their cases and nothing personal,
# that it is recorded (row and audit event) and not sent twice the same day,
# a dry run, a refusing and an unreachable mail server, and bad command lines.
# usage: test_remind_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-remind-XXXXXX)
sinks=
trap 'for p in $sinks; do kill "$p" 2>/dev/null; done; fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23
db=$(fh_db remind)
"$fh" init --db "$db" --demo --as-of "$FAIRHEARING_TODAY" >/dev/null 2>&1 || { echo "Bail out! init failed"; exit 1; }

start_sink() { # start_sink DIR [--refuse]: sets $smtp
  mkdir -p "$1"
  node "$here/smtp_sink.js" "$@" >"$1.out" 2>&1 &
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
org_due=$(q "SELECT count(DISTINCT c.id) FROM case_deadlines d JOIN cases c ON c.id = d.case_id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND CAST(d.stopped AS INTEGER) = 0 AND d.due_on <= '$horizon'")
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
[ "$narrower" -gt 0 ]; ok $? "which is fewer than the organisation's $org_due (the filter is not everything)"

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

run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies after the reminders"

done_testing
