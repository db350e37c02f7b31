#!/usr/bin/env bash
# Letters by email on the staff pages and serve's sender thread (issue 17
# items 6-8), with curl as a browser and the SMTP sink on loopback: the issue
# form offers "send by email" where the complainant has an address, the letter
# is queued with it and sent by the thread (never by the request), the case
# page shows the email's state, and a bounce puts the letter on the assigned
# officer's dashboard.
# usage: test_mail_out_pages.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/tap.sh"
. "$here/lib.sh"
sinks=
serve_args=(--mail-every 1)
server_setup_db "$fh"
trap 'for p in $sinks; do kill "$p" 2>/dev/null; done; server_stop; fh_db_cleanup; rm -rf "$tmp"' EXIT
q() { fh_sql "$db" "$1"; }

mkdir -p "$tmp/mail"
node "$here/../cli/smtp_sink.js" "$tmp/mail" >"$tmp/sink.out" 2>&1 &
sinks="$sinks $!"
for i in $(seq 1 100); do port=$(sed -n 's/^listening //p' "$tmp/sink.out"); [ -n "$port" ] && break; sleep 0.05; done
"$fh" org export --db "$db" bct | jq --arg u "smtp://127.0.0.1:$port" '.policy.email = {from: "complaints@bct.example",
  public_url: "https://complaints.bct.example", smtp: {url: $u}}' >"$tmp/bct.json"
"$fh" org apply --db "$db" "$tmp/bct.json" >/dev/null || echo "Bail out! org apply failed"
server_start "$fh"

# an open case the adjudicating officer is assigned to, whose complainant has an address
ref=$(q "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND c.state = 'open'
  AND EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.ended_at IS NULL AND a.user_email = 'adjudicator@bct.demo')
  AND EXISTS (SELECT 1 FROM case_parties cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = c.id AND cp.role = 'complainant' AND coalesce(p.email, '') <> '')
  ORDER BY c.id LIMIT 1")
[ -n "$ref" ]; ok $? "a case of the adjudicating officer's with the complainant's address ($ref)"
addr=$(q "SELECT p.email FROM case_parties cp JOIN people p ON p.id = cp.person_id JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$ref' AND cp.role = 'complainant' ORDER BY cp.id LIMIT 1")

sign_in aj adjudicator@bct.demo
page aj GET "/staff/cases/$ref/letters/new"
expect_eq "$code" 200 "the issue form"
expect_contains "$body" 'name="send_email" type="checkbox" value="yes"' "issue 17 item 6: the form offers to send it by email"
expect_contains "$body" "the complainant's is $addr" "naming the address it would go to"
csrf=$(token)
page aj POST "/staff/cases/$ref/letters" --data-urlencode "csrf_token=$csrf" --data-urlencode "kind=progress_report" \
  --data-urlencode "variant=standard" --data-urlencode "send_email=yes"
if [ "$code" != 303 ]; then
  page aj POST "/staff/cases/$ref/letters" --data-urlencode "csrf_token=$csrf" --data-urlencode "kind=acknowledgement" \
    --data-urlencode "variant=standard" --data-urlencode "send_email=yes"
fi
expect_eq "$code" 303 "issue 17 item 6: the letter is issued with send by email"
letter=$(q "SELECT max(l.id) FROM letters l JOIN cases c ON c.id = l.case_id WHERE c.reference = '$ref'")
expect_eq "$(q "SELECT kind || '|' || recipient FROM outbound_messages WHERE letter_id = $letter")" "letter|$addr" \
  "issue 17 item 7: queued in the outbox in the request's transaction"
state=
for i in $(seq 1 200); do
  state=$(q "SELECT state FROM outbound_messages WHERE letter_id = $letter")
  [ "$state" = sent ] && break
  sleep 0.1
done
expect_eq "$state" "sent" "issue 17 item 7: serve's sender thread sends it (--mail-every 1)"
expect_eq "$(grep -l "^To: $addr" "$tmp/mail"/*.eml | wc -l | tr -d ' ')" 1 "the mail server received it once"
page aj GET "/staff/cases/$ref"
expect_contains "$body" '<span class="tag">Email sent</span>' "issue 17 item 6: the case page shows the letter's email sent"

mid=$(q "SELECT message_id FROM outbound_messages WHERE letter_id = $letter")
printf 'Return-Path: <>\nFrom: MAILER-DAEMON@mx.bct.example\nTo: complaints@bct.example\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <bounce-%s@mx.bct.example>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="R"\n\n--R\nContent-Type: text/plain\n\nNot delivered.\n\n--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.bct.example\n\nFinal-Recipient: rfc822; %s\nAction: failed\nStatus: 5.2.1\n\n--R\nContent-Type: text/rfc822-headers\n\nFrom: complaints@bct.example\nMessage-ID: <%s>\n\n--R--\n' \
  "$letter" "$addr" "$mid" | "$fh" mail receive --db "$db" --org bct >/dev/null
expect_eq "$(q "SELECT state FROM outbound_messages WHERE letter_id = $letter")" "bounced" "issue 17 item 8: the bounce marks the letter's email bounced"
page aj GET /staff/work
expect_contains "$body" 'id="bounced-letters"' "issue 17 item 8: the assigned officer's dashboard lists letters not delivered"
expect_contains "$body" "href=\"/staff/cases/$ref/letters/$letter\">$ref" "with a link to the letter"
expect_contains "$body" "5.2.1" "and the reason the report gave"
page aj GET "/staff/cases/$ref"
expect_contains "$body" '<strong class="tag tag-red">Email bounced</strong>' "issue 17 item 6: the case page shows it bounced"
page aj GET "/staff/cases/$ref/letters/$letter"
expect_contains "$body" '<dt class="summary-key">Email</dt><dd class="summary-value">bounced</dd>' "and the letter's page"

done_testing
