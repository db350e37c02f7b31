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

# --- "Send again": the bounced letter's email queued anew ---------------------------
page aj GET "/staff/cases/$ref"
expect_contains "$body" '<h3 id="email-sent">Email sent</h3>' "issue 17 item 9: the correspondence lists the email sent about the case"
expect_contains "$body" 'Not delivered (bounced): 5.2.1' "with what became of each, and the report's status"
expect_contains "$body" "action=\"/staff/cases/$ref/letters/$letter/resend\">" "a bounced letter's email has a Send again form"
expect_contains "$body" "To the address recorded now: $addr" "saying where it will go"
csrf=$(token)
page aj POST "/staff/cases/$ref/letters/$letter/resend" --data-urlencode "csrf_token=forged"
expect_eq "$code" 403 "Send again without the CSRF token is refused"
expect_eq "$(q "SELECT count(*) FROM outbound_messages WHERE letter_id = $letter")" 1 "and queues nothing"
page ad POST "/staff/cases/$ref/letters/$letter/resend" --data-urlencode "csrf_token=$csrf"
expect_eq "$code" 303 "someone not signed in is sent to sign in"
expect_eq "$(q "SELECT count(*) FROM outbound_messages WHERE letter_id = $letter")" 1 "and nothing is queued"
# the complainant's address corrected after the bounce: the corrected one is used
q "UPDATE people SET email = 'fixed.$addr' WHERE id = (SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$ref' AND cp.role = 'complainant' ORDER BY cp.id LIMIT 1)" >/dev/null
page aj POST "/staff/cases/$ref/letters/$letter/resend" --data-urlencode "csrf_token=$csrf"
expect_eq "$code" 303 "issue 17: Send again queues the letter's email again"
expect_contains "$headers" "Location: /staff/cases/$ref?done=email_again#correspondence" "back to the case's correspondence"
expect_eq "$(q "SELECT recipient || '|' || state FROM outbound_messages WHERE letter_id = $letter ORDER BY id DESC LIMIT 1")" "fixed.$addr|queued" \
  "a new message to the address recorded now"
expect_eq "$(q "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$ref' AND e.action = 'letter_email_resent' AND e.actor LIKE '%adjudicator@bct.demo%'")" 1 \
  "with its audit event, the officer's"
page aj GET "/staff/cases/$ref?done=email_again"
expect_contains "$body" "Done: The letter is queued to send by email again." "the case page says it is done"
expect_eq "$(grep -c "/letters/$letter/resend" <<<"$body")" 0 "and offers no Send again while the new message waits"
page aj GET /staff/work
expect_eq "$(grep -c 'id="bounced-letters"' <<<"$body")" 0 "issue 17 item 8: a letter sent again leaves the dashboard's letters not delivered"
state=
for i in $(seq 1 200); do
  state=$(q "SELECT state FROM outbound_messages WHERE letter_id = $letter ORDER BY id DESC LIMIT 1")
  [ "$state" = sent ] && break
  sleep 0.1
done
expect_eq "$state" "sent" "serve's sender thread sends it"
expect_eq "$(grep -l "^To: fixed.$addr" "$tmp/mail"/*.eml | wc -l | tr -d ' ')" 1 "the mail server received it at the corrected address"

# --- the same in the API ----------------------------------------------------------------
J='Content-Type: application/json'
http POST "/api/v1/cases/$ref/letters/$letter/resend" -H "$(auth adjudicator)"
expect_eq "$code" 409 "API: a letter whose email was sent is not sent again (409)"
expect_contains "$body" "email is sent: only an email that bounced or failed is sent again" "and the answer says why"
mid2=$(q "SELECT message_id FROM outbound_messages WHERE letter_id = $letter ORDER BY id DESC LIMIT 1")
printf 'From: MAILER-DAEMON@mx.bct.example\nTo: complaints@bct.example\nSubject: Undelivered Mail Returned to Sender\nMessage-ID: <bounce2-%s@mx.bct.example>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="R"\n\n--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.bct.example\n\nFinal-Recipient: rfc822; fixed.%s\nAction: failed\nStatus: 5.1.1\n\n--R\nContent-Type: text/rfc822-headers\n\nMessage-ID: <%s>\n\n--R--\n' \
  "$letter" "$addr" "$mid2" | "$fh" mail receive --db "$db" --org bct >/dev/null
http POST "/api/v1/cases/$ref/letters/$letter/resend" -H "$(auth adjudicator)" -H "$J" -d '{"to": "x@example.org"}'
expect_eq "$code" 422 "API: the resend takes no fields"
expect_contains "$body" '"field":"to"' "naming the field"
http POST "/api/v1/cases/$ref/letters/$letter/resend" -H "$(auth admin)"
expect_eq "$code" 403 "API: an administrator, who issues no letters, may not send one again"
http POST "/api/v1/cases/$ref/letters/$letter/resend" -H "$(auth adjudicator)"
expect_eq "$code" 202 "API: POST .../letters/{id}/resend queues the bounced letter's email again (202)"
expect_eq "$(jq -r '[.letter, .email, .to, .again_of, .again_of_state] | join("|")' <<<"$body")" "$letter|queued|fixed.$addr|$mid2|bounced" \
  "answering with the letter, the address and the message it replaces"
expect_eq "$(q "SELECT message_id FROM outbound_messages WHERE letter_id = $letter ORDER BY id DESC LIMIT 1")" "$(jq -r .message_id <<<"$body")" \
  "its new Message-ID is the one kept"
http GET "/api/v1/cases/$ref/letters/$letter" -H "$(auth adjudicator)"
# serve's sender thread may send the new message at any moment: queued or
# sent are both its newest message's state; the older one's was bounced
newest=$(jq -r .email <<<"$body")
[ "$newest" = queued ] || [ "$newest" = sent ]
ok $? "the letter's email state is its newest message's (queued or already sent, not the bounced one's: $newest)"
http POST "/api/v1/cases/$ref/letters/999999/resend" -H "$(auth adjudicator)"
expect_eq "$code" 404 "API: a letter not on the case (404)"

done_testing
