#!/usr/bin/env bash
# The outbound side of email (issue 17 items 5-8) against the SMTP sink on
# loopback (smtp_sink.js): the automatic acknowledgement of a contact received
# by email (its words, date and headers, and when none goes), the outbox and
# `fairhearing mail send` (retries after a 4xx, failed after a 5xx, never twice
# with two senders), a delivery report from Postfix and from Exchange matched to
# the message sent, and letters issued to be sent by email (PDF attached, or a
# link) whose bounce reaches the officer's dashboard.
# usage: test_mail_out_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-mailout-XXXXXX)
trap 'stop_sinks; fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23
db=$(fh_db mailout)
fh_demo "$fh" "$db" "$FAIRHEARING_TODAY" || { echo "Bail out! init failed"; exit 1; }
q() { fh_sql "$db" "$1"; }

# use_relay URL [LETTERS]: the organisation's file with policy.email naming URL
use_relay() {
  jq --arg u "$1" --arg l "${2:-attachment}" '.policy.email = {from: "complaints@bct.example",
    public_url: "https://complaints.bct.example/", letters: $l, smtp: {url: $u}}' \
    "$tmp/bct.json" >"$tmp/bct-mail.json"
  "$fh" org apply --db "$db" "$tmp/bct-mail.json" >/dev/null || echo "Bail out! org apply failed"
}
receive() { run "$fh" mail receive --db "$db" --org bct; }
made() { printf '%s' "$out" | sed -n 's/^new contact \([A-Z]*-[0-9]*-[0-9]*\).*/\1/p'; }
outbound() { q "SELECT $2 FROM (SELECT m.* FROM outbound_messages m JOIN cases c ON c.id = m.case_id WHERE c.reference = '$1') x ORDER BY id DESC LIMIT 1"; }
mail_dir=$tmp/mail # where the sink in use keeps what it receives
mail_for() { grep -l "^To: $1" "$mail_dir"/*.eml 2>/dev/null | tail -1; }
header() { sed -n "s/^$2: //p" "$1" | head -1 | tr -d '\r'; }
all_due() { q "UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE claimed_by IS NULL" >/dev/null; }
person() { # person FROM MESSAGE-ID [EXTRA HEADER]: a message a person wrote
  printf 'From: %s\nTo: complaints@bct.example\nSubject: About my daughter\nMessage-ID: <%s>\n%sContent-Type: text/plain; charset=utf-8\n\nThe social worker has not called back for three weeks.\n' "$1" "$2" "${3:+$3
}"
}

"$fh" org export --db "$db" bct >"$tmp/bct.json"
start_sink "$tmp/mail" --defer-file "$tmp/defer"
use_relay "$smtp"

# --- the command line -------------------------------------------------------------
run "$fh" mail send; expect_rc 2 "mail send without --db"
expect_contains "$err" "--db" "and it names --db"
run "$fh" mail send --db "$db" --limit none; expect_rc 2 "a --limit that is not a number"
run "$fh" mail send --help; expect_rc 0 "mail send --help"
expect_contains "$out" "FAIRHEARING_SMTP_PASSWORD" "--help says where a relay's password comes from"
expect_contains "$out" "1, 5 and 30 minutes, 2 and 12" "and the retry waits"
jq '.policy.email = {from: "not an address", public_url: "ftp://x", letters: "fax", acknowledge: ["phone"], smtp: {url: "smtp://u:p@relay:25"}}' \
  "$tmp/bct.json" >"$tmp/bad-email.json"
run "$fh" org check "$tmp/bad-email.json"
expect_rc 2 "an organisation file with bad email settings is refused"
expect_contains "$out$err" "policy.email.from" "naming from"
expect_contains "$out$err" "policy.email.public_url" "public_url"
expect_contains "$out$err" "policy.email.letters: 'fax' is neither" "letters, with the reason"
expect_contains "$out$err" "policy.email.acknowledge[0]: 'phone' is neither email nor online_form" "each channel to acknowledge"
expect_contains "$out$err" "policy.email.smtp.url: must not hold a user or password" "and a relay URL with a password in it"
run "$fh" mail send --db "$db"; expect_rc 0 "an empty outbox"
expect_eq "$out" "0 sent, 0 to retry, 0 failed" "sends nothing"

# --- item 5: the acknowledgement ----------------------------------------------------
receive < <(person "Rita Okafor <rita@example.org>" "first-1@example.org")
expect_rc 0 "a person's email is received"
r1=$(made)
expect_contains "$out" "acknowledgement queued to rita@example.org" "issue 17 item 5: a new contact by email is acknowledged"
expect_eq "$(ls "$tmp/mail" | wc -l | tr -d ' ')" 0 "issue 17 item 7: nothing is sent while receiving"
expect_eq "$(outbound "$r1" "kind || '|' || state || '|' || recipient")" "acknowledgement|queued|rita@example.org" \
  "issue 17 item 7: the acknowledgement waits in the outbox, queued"
expect_eq "$(q "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$r1' AND e.action = 'acknowledgement_queued'")" 1 \
  "queued in the same transaction as the contact, with its event"
run "$fh" mail send --db "$db"
expect_rc 0 "mail send"
expect_eq "$(tail -1 <<<"$out")" "1 sent, 0 to retry, 0 failed" "sends the one message"
m=$(mail_for rita@example.org)
[ -n "$m" ]; ok $? "the mail server received the acknowledgement"
mid=$(outbound "$r1" message_id)
expect_eq "$(header "$m" Message-ID)" "<$mid>" "issue 17 item 5: its Message-ID is the one kept in outbound_messages"
expect_eq "$(header "$m" Auto-Submitted)" "auto-replied" "RFC 3834 §5: Auto-Submitted: auto-replied"
expect_eq "$(header "$m" In-Reply-To)" "<first-1@example.org>" "it answers the message received (In-Reply-To)"
expect_eq "$(header "$m" From)" "complaints@bct.example" "from the organisation's address (policy.email.from)"
expect_eq "$(header "$m" X-Envelope-From)" "<complaints@bct.example>" "and its envelope sender, where bounces come back"
expect_eq "$(header "$m" Subject)" "We have received your message: $r1" "the reference in the subject"
body=$(tr -d '\r' <"$m")
expect_contains "$body" "We have recorded your message under the reference $r1." "the reference in the text"
# The email contact's acknowledge clock: BCT's non-statutory procedure,
# 000 "Stage Two": "an acknowledgement to your complaint within two working
# days"; received Monday 23 November 2026, due Wednesday 25 November.
expect_eq "$(q "SELECT d.due_on || '|' || d.source FROM case_deadlines d JOIN cases c ON c.id = d.case_id WHERE c.reference = '$r1' AND d.clock = 'acknowledge'")" \
  '2026-11-25|000 "Stage Two" ("an acknowledgement to your complaint within two working days")' \
  '000 "Stage Two": the case'"'"'s acknowledge clock is due two working days after receipt'
expect_contains "$body" "We will contact you by Wednesday 25 November 2026 to tell you what happens next." \
  '000 "Stage Two": the acknowledgement gives that date, from the clock'
link=$(grep -o 'https://complaints.bct.example/o/bct/track/fhl_[A-Za-z0-9_-]*' <<<"$body")
[ -n "$link" ]; ok $? "issue 17 item 5: a tracking link at the organisation's public address"
expect_eq "$(outbound "$r1" "state || '|' || detail")" "sent|250 OK queued" "issue 17 item 7: recorded sent, with the server's answer"
expect_eq "$(q "SELECT e.reason FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$r1' AND e.action = 'mail_sent'")" \
  "acknowledgement sent by email" "issue 17 item 9: every sent email is an audit event"
run "$fh" mail send --db "$db"
expect_eq "$(tail -1 <<<"$out")" "0 sent, 0 to retry, 0 failed" "a second run sends nothing again"
expect_eq "$(ls "$tmp/mail" | wc -l | tr -d ' ')" 1 "the acknowledgement was sent once"

# A reply to the acknowledgement threads onto its case (item 4 reads outbound_messages).
receive < <(printf 'From: Rita Okafor <rita@example.org>\nTo: complaints@bct.example\nSubject: Re: We have received your message\nMessage-ID: <reply-2@example.org>\nIn-Reply-To: <%s>\n\nThank you.\n' "$mid")
expect_contains "$out" "filed on $r1" "issue 17 item 5: a reply to the acknowledgement is filed on its case by In-Reply-To"
expect_eq "$(grep -c acknowledgement <<<"$out")" 0 "and is not acknowledged"

# The same sender again the same day: a new contact, no second acknowledgement.
receive < <(person "Rita Okafor <Rita@Example.org>" "second-3@example.org")
r2=$(made)
[ -n "$r2" ]; ok $? "a second message from the same sender is a new contact"
expect_contains "$out" "not acknowledged: the same address had an acknowledgement in the last 24 hours" \
  "issue 17 item 5: never to the same sender twice a day (whatever the case of the address)"
expect_eq "$(q "SELECT count(*) FROM outbound_messages m JOIN cases c ON c.id = m.case_id WHERE c.reference = '$r2'")" 0 "nothing queued for it"

# Machines and lists are never answered.
receive < <(person "Out Of Office <ooo@partner.example>" "auto-4@partner.example" "Auto-Submitted: auto-replied")
expect_contains "$out" "quarantined" "RFC 3834: an Auto-Submitted message is not a contact"
expect_eq "$(grep -c 'acknowledgement queued' <<<"$out")" 0 "and is not acknowledged"
receive < <(person "News <news@lists.example>" "bulk-5@lists.example" "Precedence: bulk")
expect_eq "$(grep -c 'acknowledgement queued' <<<"$out")" 0 "RFC 3834 §2: Precedence bulk is not acknowledged"
receive < <(person "Parents Forum <forum@lists.example>" "list-6@lists.example" "List-Id: <parents.lists.example>")
expect_contains "$out" "not acknowledged: list mail (List-Id)" "RFC 3834 §2: list mail (List-Id) is not acknowledged"
receive < <(person "Sam Hill <sam@example.org>" "rp-7@example.org" "Return-Path: <>")
expect_contains "$out" "not acknowledged: a bounce (empty Return-Path)" "RFC 3834 §2: an empty Return-Path is not answered"
receive < <(person "Mail Delivery System <MAILER-DAEMON@mx.example.net>" "md-8@mx.example.net")
expect_contains "$out" "not acknowledged: a bounce (From MAILER-DAEMON)" "nor mail from MAILER-DAEMON"
receive < <(person "Sam Hill <sam@example.org>" "no-9@example.org" "Auto-Submitted: no")
expect_contains "$out" "acknowledgement queued to sam@example.org" "RFC 3834: Auto-Submitted: no is a person's message, acknowledged"
all_due; run "$fh" mail send --db "$db"
expect_eq "$(tail -1 <<<"$out")" "1 sent, 0 to retry, 0 failed" "only that one is sent"

# --- item 7: retries, a refusal, two senders ------------------------------------------
touch "$tmp/defer"
receive < <(person "Tom Reed <tom@example.org>" "retry-10@example.org")
r3=$(made)
run "$fh" mail send --db "$db"
expect_eq "$(tail -1 <<<"$out")" "0 sent, 1 to retry, 0 failed" "issue 17 item 7: a 4xx answer leaves the message to retry"
expect_contains "$out" "451 4.3.0 try again later" "and says what the server answered"
expect_eq "$(outbound "$r3" state)" "queued" "still queued"
expect_eq "$(q "SELECT o.attempts || '|' || coalesce(o.claimed_by, '') FROM outbox o JOIN outbound_messages m ON m.id = o.outbound_id JOIN cases c ON c.id = m.case_id WHERE c.reference = '$r3'")" \
  "1|" "one attempt counted, the claim released"
wait_s=$(q "SELECT next_attempt_at FROM outbox o JOIN outbound_messages m ON m.id = o.outbound_id JOIN cases c ON c.id = m.case_id WHERE c.reference = '$r3'")
now_s=$(date -u +%s)
next_s=$(date -u -d "${wait_s/T/ }" +%s)
[ $((next_s - now_s)) -ge 50 ] && [ $((next_s - now_s)) -le 70 ]; ok $? "issue 17 item 7: the first retry waits a minute ($((next_s - now_s)) s)"
run "$fh" mail send --db "$db"
expect_eq "$(tail -1 <<<"$out")" "0 sent, 0 to retry, 0 failed" "not tried again before its time"
for attempt in 2 3 4 5; do all_due; "$fh" mail send --db "$db" >/dev/null; done
expect_eq "$(q "SELECT o.attempts FROM outbox o JOIN outbound_messages m ON m.id = o.outbound_id JOIN cases c ON c.id = m.case_id WHERE c.reference = '$r3'")|$(outbound "$r3" state)" \
  "5|queued" "still queued after five attempts"
rm -f "$tmp/defer"
all_due; run "$fh" mail send --db "$db"
expect_eq "$(tail -1 <<<"$out")" "1 sent, 0 to retry, 0 failed" "sent once the server takes it"
expect_eq "$(outbound "$r3" state)" "sent" "recorded sent"
expect_eq "$(q "SELECT count(*) FROM outbox o JOIN outbound_messages m ON m.id = o.outbound_id JOIN cases c ON c.id = m.case_id WHERE c.reference = '$r3'")" 0 \
  "and its outbox row is gone: the outbox holds only what waits"
expect_eq "$(q "SELECT data FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$r3' AND e.action = 'mail_sent'" | jq -r .attempts)" 6 \
  "its event says how many attempts it took"

touch "$tmp/defer"
receive < <(person "Una Vale <una@example.org>" "giveup-11@example.org")
r4=$(made)
for attempt in 1 2 3 4 5; do all_due; "$fh" mail send --db "$db" >/dev/null; done
all_due; run "$fh" mail send --db "$db"
expect_rc 1 "issue 17 item 7: after the last retry the message has failed"
expect_eq "$(outbound "$r4" state)" "failed" "recorded failed, to be shown"
expect_eq "$(q "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$r4' AND e.action = 'mail_failed'")" 1 "with its event"
rm -f "$tmp/defer"

start_sink "$tmp/refusing" --refuse
use_relay "$smtp"
receive < <(person "Vic Lamb <vic@example.org>" "refused-12@example.org")
r5=$(made)
run "$fh" mail send --db "$db"
expect_rc 1 "issue 17 item 7: a 5xx refusal fails at once"
expect_eq "$(outbound "$r5" "state || '|' || CASE WHEN detail LIKE '%550 no such user here%' THEN 1 ELSE 0 END")" "failed|1" "failed, with the server's words"
start_sink "$tmp/mail2"
use_relay "$smtp"
mail_dir=$tmp/mail2

for i in $(seq 1 12); do
  receive < <(person "Person $i <p$i@example.org>" "many-$i@example.org")
done
expect_eq "$(q "SELECT count(*) FROM outbound_messages WHERE state = 'queued'")" 12 "twelve acknowledgements queued"
"$fh" mail send --db "$db" >"$tmp/s1.out" 2>&1 &
p1=$!
"$fh" mail send --db "$db" >"$tmp/s2.out" 2>&1 &
p2=$!
wait $p1; wait $p2
"$fh" mail send --db "$db" >/dev/null 2>&1 # what a sender that lost every race left
expect_eq "$(ls "$mail_dir" | wc -l | tr -d ' ')" 12 "issue 17 item 7: two senders at once: the mail server got twelve messages"
expect_eq "$(cat "$mail_dir"/*.eml | sed -n 's/^Message-ID: //p' | sort -u | wc -l | tr -d ' ')" 12 "each a different message: none sent twice"
expect_eq "$(q "SELECT count(*) FROM outbound_messages WHERE state = 'sent' AND recipient LIKE 'p%@example.org'")" 12 "each recorded sent"
expect_eq "$(q "SELECT count(*) FROM events WHERE action = 'mail_sent' AND data LIKE '%' || '\"kind\":\"acknowledgement\"' || '%'")" \
  "$(q "SELECT count(*) FROM outbound_messages WHERE state = 'sent' AND kind = 'acknowledgement'")" "one mail_sent event per message sent"

# --- item 8: delivery reports -----------------------------------------------------------
ack5=$(outbound "$(q "SELECT c.reference FROM outbound_messages m JOIN cases c ON c.id = m.case_id WHERE m.recipient = 'p5@example.org'")" message_id)
ref5=$(q "SELECT c.reference FROM outbound_messages m JOIN cases c ON c.id = m.case_id WHERE m.recipient = 'p5@example.org'")
cat >"$tmp/postfix.eml" <<MSG
Return-Path: <>
From: MAILER-DAEMON@mx.bct.example (Mail Delivery System)
To: complaints@bct.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <20261123.bounce-p5@mx.bct.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B2/mx"

--B2/mx
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--B2/mx
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.bct.example

Final-Recipient: rfc822; p5@example.org
Original-Recipient: rfc822;p5@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <p5@example.org>: Recipient address rejected

--B2/mx
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: complaints@bct.example
To: p5@example.org
Subject: We have received your message: $ref5
Message-ID:
 <$ack5>
Auto-Submitted: auto-replied

--B2/mx--
MSG
receive <"$tmp/postfix.eml"
expect_contains "$out" "filed on $ref5" "issue 17 item 8: a Postfix bounce is matched by the returned Message-ID and filed on its case"
expect_contains "$out" "a delivery report (failed 5.1.1)" "and read as a failed delivery"
expect_eq "$(outbound "$ref5" "state || '|' || detail")" "bounced|5.1.1" "issue 17 item 8: the message sent is marked bounced"
expect_eq "$(q "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$ref5' AND e.action = 'mail_bounced'")" 1 \
  "with a mail_bounced audit event"
expect_eq "$(grep -c 'acknowledgement queued' <<<"$out")" 0 "a bounce is never acknowledged"

# A success notice (RFC 3464 Action: delivered) marks the message delivered.
ref7=$(q "SELECT c.reference FROM outbound_messages m JOIN cases c ON c.id = m.case_id WHERE m.recipient = 'p7@example.org'")
ack7=$(outbound "$ref7" message_id)
printf 'From: MAILER-DAEMON@mx.example.org\nTo: complaints@bct.example\nSubject: Successful Mail Delivery Report\nMessage-ID: <dsn-ok-7@mx.example.org>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="D"\n\n--D\nContent-Type: text/plain\n\nYour message was delivered.\n\n--D\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; p7@example.org\nAction: delivered\nStatus: 2.0.0\n\n--D\nContent-Type: text/rfc822-headers\n\nFrom: complaints@bct.example\nMessage-ID: <%s>\n\n--D--\n' "$ack7" >"$tmp/delivered.eml"
receive <"$tmp/delivered.eml"
expect_contains "$out" "a delivery report (delivered 2.0.0) about a message sent on $ref7" "RFC 3464: a success notice is read as delivered"
expect_eq "$(outbound "$ref7" "state || '|' || detail")" "delivered|2.0.0" "issue 17 item 6: the message is marked delivered"
expect_eq "$(q "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$ref7' AND e.action = 'mail_delivered'")" 1 \
  "with a mail_delivered audit event"

# Reports that send their parts in base64 (RFC 3464 with Content-Transfer-Encoding:
# base64, as Google's relays and Exchange Online write them): the corpus's
# Postfix bounce with base64 returned headers, and Exchange's with the whole
# message in base64 (tests/mail/corpus.sh 16 and 17).
for n in 6:postfix 8:exchange; do
  who=${n%%:*} shape=${n#*:}
  refn=$(q "SELECT c.reference FROM outbound_messages m JOIN cases c ON c.id = m.case_id WHERE m.recipient = 'p$who@example.org'")
  ackn=$(outbound "$refn" message_id)
  bash "$here/../mail/corpus.sh" "$tmp/corpus-$who" "$refn" "p$who@example.org" "$ackn"
  receive <"$tmp/corpus-$who/bounce-$shape-base64.eml"
  expect_contains "$out" "filed on $refn" "RFC 3464: the $shape bounce whose returned message is in base64 is decoded and matched, not quarantined"
  status=5.2.2; [ "$shape" = exchange ] && status=5.1.10
  expect_contains "$out" "a delivery report (failed $status) about a message sent on $refn" "the $shape report's Action and Status are read"
  expect_eq "$(outbound "$refn" "state || '|' || detail")" "bounced|$status" "issue 17 item 8: the $shape bounce in base64 marks the message undelivered (bounced)"
  expect_eq "$(q "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$refn' AND e.action = 'mail_bounced' AND e.data LIKE '%$ackn%'")" 1 \
    "with its mail_bounced event naming the message sent"
done
# A report naming a message only in the words for people, or in the body of the
# returned message, matches nothing: only the returned headers are read.
sed 's/^\(Content-Transfer-Encoding: base64\)/X-Was: \1/' "$tmp/corpus-6/bounce-postfix-base64.eml" \
  | sed "s/^Message-ID: <20261123.b64-1@/Message-ID: <20261123.b64-2@/" >"$tmp/undecodable.eml"
receive <"$tmp/undecodable.eml"
expect_contains "$out" "quarantined" "a report whose returned headers cannot be read matches nothing and is kept in quarantine"

# --- item 6: letters by email --------------------------------------------------------
# open cases of BCT whose complainant has an email address, and one whose has none
with_email=$(fh_list "$db" "SELECT c.reference FROM cases c JOIN case_parties cp ON cp.case_id = c.id JOIN people p ON p.id = cp.person_id JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND cp.role = 'complainant' AND coalesce(p.email, '') <> '' AND c.state = 'open' ORDER BY c.id" ' ')
set -- $with_email
la=$1 lb=$2 lc=$3
addr_a=$(q "SELECT p.email FROM case_parties cp JOIN people p ON p.id = cp.person_id JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$la' AND cp.role = 'complainant' ORDER BY cp.id LIMIT 1")
run "$fh" letter issue --db "$db" --case "$la" --kind acknowledgement --send-email
expect_rc 0 "issue 17 item 6: a letter issued to be sent by email"
expect_contains "$out" "queued to send by email to $addr_a" "to the recipient's recorded address"
letter_a=$(printf '%s' "$out" | sed -n 's/^issued letter \([0-9]*\) .*/\1/p')
expect_eq "$(q "SELECT kind || '|' || state || '|' || letter_id FROM outbound_messages WHERE letter_id = $letter_a")" "letter|queued|$letter_a" \
  "issue 17 item 7: queued in the outbox with the letter, its Message-ID kept on the letter"
run "$fh" mail send --db "$db"
expect_eq "$(tail -1 <<<"$out")" "1 sent, 0 to retry, 0 failed" "mail send sends the letter"
m=$(mail_for "$addr_a")
[ -n "$m" ]; ok $? "the mail server received the letter"
expect_eq "$(header "$m" Message-ID)" "<$(q "SELECT message_id FROM outbound_messages WHERE letter_id = $letter_a")>" "its Message-ID is the one kept"
expect_eq "$(header "$m" Subject)" "Your complaint: we have received it ($la)" "the letter's subject and the reference"
expect_eq "$(grep -c '^Auto-Submitted' "$m")" 0 "a letter is a person's act: no Auto-Submitted"
parts=$(python3 - "$m" <<'PY'
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'))
for p in m.walk():
    data = p.get_payload(decode=True) or b''
    print(p.get_content_type(), p.get_filename() or '-', data[:5].decode('latin-1') if p.get_filename() else len(data) > 0)
PY
)
expect_eq "$parts" "multipart/mixed - False
text/plain - True
application/pdf $la-letter-$letter_a.pdf %PDF-" "issue 17 item 6: multipart/mixed: the text, then the letter's PDF attached (MIME parts)"
"$fh" letter show --db "$db" --case "$la" --id "$letter_a" --format pdf --out "$tmp/kept.pdf" >/dev/null
sent_pdf=$(python3 - "$m" <<'PY'
import email, sys, hashlib
m = email.message_from_binary_file(open(sys.argv[1], 'rb'))
for p in m.walk():
    if p.get_content_type() == 'application/pdf':
        print(len(p.get_payload(decode=True)))
PY
)
[ "$sent_pdf" -gt 1000 ]; ok $? "the attached PDF is a whole letter ($sent_pdf bytes)"
expect_contains "$(tr -d '\r' <"$m")" "Please find attached our letter about your case $la:" "and the text says so"
expect_eq "$(q "SELECT state FROM outbound_messages WHERE letter_id = $letter_a")" "sent" "the letter's email is recorded sent"
expect_eq "$(q "SELECT count(*) FROM events WHERE action = 'mail_sent' AND data LIKE '%\"letter\":$letter_a%'")" 1 "issue 17 item 9: with its audit event"

use_relay "$smtp" link
addr_b=$(q "SELECT p.email FROM case_parties cp JOIN people p ON p.id = cp.person_id JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$lb' AND cp.role = 'complainant' ORDER BY cp.id LIMIT 1")
run "$fh" letter issue --db "$db" --case "$lb" --kind acknowledgement --send-email
letter_b=$(printf '%s' "$out" | sed -n 's/^issued letter \([0-9]*\) .*/\1/p')
"$fh" mail send --db "$db" >/dev/null
m=$(mail_for "$addr_b")
[ -n "$m" ]; ok $? "issue 17 item 6: with letters: link, the letter goes as a link"
expect_eq "$(header "$m" Content-Type)" "text/plain; charset=utf-8" "one text part, nothing attached"
expect_contains "$(tr -d '\r' <"$m")" "https://complaints.bct.example/o/bct/track/fhl_" "a private tracking link"
expect_contains "$(tr -d '\r' <"$m")" "/letters/$letter_b" "to the letter itself"
use_relay "$smtp"

nomail=$(q "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND c.state = 'open' AND NOT EXISTS (SELECT 1 FROM case_parties cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = c.id AND cp.role = 'complainant' AND coalesce(p.email, '') <> '') ORDER BY c.id LIMIT 1")
letters_before=$(q "SELECT count(*) FROM letters")
run "$fh" letter issue --db "$db" --case "$nomail" --kind acknowledgement --send-email
expect_rc 2 "issue 17 item 6: a recipient with no email address recorded"
expect_contains "$err" "send_email: the complainant has no email address recorded on $nomail" "the refusal names the field and the reason"
expect_eq "$(q "SELECT count(*) FROM letters")" "$letters_before" "and nothing is issued (one transaction)"

# An Exchange non-delivery report returns the letter's whole message (message/rfc822).
letter_mid=$(q "SELECT message_id FROM outbound_messages WHERE letter_id = $letter_a")
cat >"$tmp/exchange.eml" <<MSG
From: postmaster@bct.example
To: complaints@bct.example
Subject: Undeliverable: Your complaint: we have received it ($la)
Message-ID: <ndr-7f3a@EXCH01.bct.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="_000_ndr_7f3a_"

--_000_ndr_7f3a_
Content-Type: text/plain; charset="us-ascii"

Delivery has failed to these recipients or groups:
$addr_a
The email address you entered couldn't be found.

--_000_ndr_7f3a_
Content-Type: message/delivery-status

Reporting-MTA: dns;EXCH01.bct.example
Received-From-MTA: dns;mail.bct.example
Arrival-Date: Mon, 23 Nov 2026 10:04:11 +0000

Final-Recipient: rfc822;$addr_a
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup

--_000_ndr_7f3a_
Content-Type: message/rfc822

From: complaints@bct.example
To: $addr_a
Subject: Your complaint: we have received it ($la)
Message-ID: <$letter_mid>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Please find attached our letter about your case $la.

--_000_ndr_7f3a_--
MSG
receive <"$tmp/exchange.eml"
expect_contains "$out" "filed on $la" "issue 17 item 8: an Exchange bounce is matched by the returned message's Message-ID"
expect_eq "$(q "SELECT state || '|' || detail FROM outbound_messages WHERE letter_id = $letter_a")" "bounced|5.1.10" \
  "issue 17 item 8: the letter is marked undelivered (bounced)"
expect_eq "$(q "SELECT e.reason FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$la' AND e.action = 'mail_bounced'")" \
  "a letter sent by email was not delivered" "with its audit event on the case"
run "$fh" letter list --db "$db" --case "$la"
expect_contains "$out" "bounced" "letter list shows the letter's email bounced"

# --- sending a letter's email again (issue 17: "Send again" after a bounce or a failure) ---
old_mid=$(q "SELECT message_id FROM outbound_messages WHERE letter_id = $letter_a")
run "$fh" letter resend --db "$db" --case "$la"
expect_rc 2 "letter resend without --id"
expect_contains "$err" "letter resend: --id N (a letter's number) is required" "names --id"
# the complainant's address is corrected after the bounce: the new one is used
q "UPDATE people SET email = 'corrected.$addr_a' WHERE id = (SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$la' AND cp.role = 'complainant' ORDER BY cp.id LIMIT 1)" >/dev/null
run "$fh" letter resend --db "$db" --case "$la" --id "$letter_a" --actor officer@bct.example
expect_rc 0 "letter resend: a bounced letter's email is sent again"
expect_eq "$out" "letter $letter_a queued to send by email again to corrected.$addr_a (its last email bounced)" "to the address recorded now"
expect_eq "$(q "SELECT count(*) || '|' || sum(CASE WHEN state = 'queued' THEN 1 ELSE 0 END) FROM outbound_messages WHERE letter_id = $letter_a")" "2|1" \
  "a new outbox message for the same letter; the bounced one stays as it was"
new_mid=$(q "SELECT message_id FROM outbound_messages WHERE letter_id = $letter_a ORDER BY id DESC LIMIT 1")
[ -n "$new_mid" ] && [ "$new_mid" != "$old_mid" ]; ok $? "with a new Message-ID ($new_mid)"
expect_eq "$(q "SELECT e.actor || '|' || e.reason FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$la' AND e.action = 'letter_email_resent'")" \
  "officer@bct.example|letter queued to send by email again: its last email bounced" "with its audit event"
expect_contains "$(q "SELECT e.data FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$la' AND e.action = 'letter_email_resent'")" \
  "\"again_of\":\"$old_mid\"" "naming the message it replaces"
run "$fh" mail send --db "$db"
expect_eq "$(tail -1 <<<"$out")" "1 sent, 0 to retry, 0 failed" "mail send sends it"
m=$(mail_for "corrected.$addr_a")
[ -n "$m" ]; ok $? "the mail server received the letter at the corrected address"
expect_eq "$(header "$m" Message-ID)" "<$new_mid>" "under its new Message-ID"
expect_contains "$(python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print([p.get_content_type() for p in m.walk()])' "$m")" \
  "application/pdf" "the same letter, its PDF attached"
run "$fh" letter list --db "$db" --case "$la"
expect_contains "$out" "email sent" "letter list shows the newest email: sent"
# The case file carries the email sent as well as received (issue 17 item 9):
# the bounced message, and the one sent again to the corrected address.
run "$fh" export case --db "$db" --case "$la" --out "$tmp/la-file.pdf"
expect_rc 0 "the case file of a case whose letter bounced and was sent again"
la_text=$(pdftotext -layout "$tmp/la-file.pdf" - | tr -s ' \n' ' ')
expect_contains "$la_text" "Email sent" "issue 17 item 9: the case file lists the email sent about the case"
expect_contains "$la_text" "to $addr_a; bounced" "the bounced message, to the address it went to"
expect_contains "$la_text" "5.1.10" "with the reason the report gave"
expect_contains "$la_text" "to corrected.$addr_a; sent" "and the one sent again, to the corrected address"
run "$fh" letter resend --db "$db" --case "$la" --id "$letter_a"
expect_rc 2 "an email that was sent is not sent again"
expect_contains "$err" "email is sent: only an email that bounced or failed is sent again" "and says why"
expect_eq "$(q "SELECT count(*) FROM outbound_messages WHERE letter_id = $letter_a")" 2 "nothing queued"
run "$fh" letter resend --db "$db" --case "$la" --id 999999
expect_rc 2 "a letter that is not on the case"
expect_contains "$err" "no letter 999999 on $la" "is named"
never=$("$fh" letter issue --db "$db" --case "$lc" --kind acknowledgement | sed -n 's/^issued letter \([0-9]*\) .*/\1/p')
run "$fh" letter resend --db "$db" --case "$lc" --id "$never"
expect_rc 2 "a letter never sent by email"
expect_contains "$err" "was never sent by email" "says so"
# a letter refused for good by the mail server (550): failed, then sent again
start_sink "$tmp/refusing" --refuse
use_relay "$smtp"
addr_c=$(q "SELECT p.email FROM case_parties cp JOIN people p ON p.id = cp.person_id JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$lc' AND cp.role = 'complainant' ORDER BY cp.id LIMIT 1")
letter_c=$("$fh" letter issue --db "$db" --case "$lc" --kind acknowledgement --send-email | sed -n 's/^issued letter \([0-9]*\) .*/\1/p')
run "$fh" mail send --db "$db"
expect_eq "$(q "SELECT state FROM outbound_messages WHERE letter_id = $letter_c")" "failed" "a 550 leaves the letter's email failed"
start_sink "$tmp/mail2"
mail_dir=$tmp/mail2
use_relay "$smtp"
run "$fh" letter resend --db "$db" --case "$lc" --id "$letter_c"
expect_rc 0 "letter resend: a failed letter's email is sent again"
expect_contains "$out" "(its last email failed)" "saying it had failed"
"$fh" mail send --db "$db" >/dev/null
[ -n "$(mail_for "$addr_c")" ]; ok $? "and this time it reaches the mail server"
expect_eq "$(fh_list "$db" "SELECT state FROM outbound_messages WHERE letter_id = $letter_c ORDER BY id")" "failed,sent" \
  "the failed message and the new one, sent"

# the email sent to a person is in their subject access export (issue 17 item 9)
pc=$(q "SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$lc' AND cp.role = 'complainant' ORDER BY cp.id LIMIT 1")
run "$fh" subject-access --db "$db" --org bct --person "$pc"
expect_rc 0 "a subject access export of the person written to"
expect_eq "$(jq -r --arg r "$lc" '[.emails_sent[] | select(.reference == $r and .kind == "letter") | .state + "|" + .to] | join(",")' <<<"$out")" \
  "failed|$addr_c,sent|$addr_c" "issue 17 item 9: every email sent to their address is in their export, with what became of it"
expect_eq "$(jq -r --arg r "$lc" '[.emails_sent[] | select(.reference == $r and .kind == "letter") | .letter_subject] | unique | length' <<<"$out")" 1 \
  "each naming the letter it carried"

done_testing
