#!/usr/bin/env bash
# Received email on the staff pages (src/web/staff_mail.c; issue 17 items 4
# and 9), with curl and a cookie jar as a browser: the quarantine the
# complaints team and managers see (and no one else), the raw message as a
# download, filing a quarantined message by hand on a case or as a new
# contact, setting one aside, each with its audit event and CSRF check; the
# case page's correspondence as escaped text, never rendered HTML.
# usage: test_mail_pages.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/tap.sh"
. "$here/lib.sh"
server_setup "$fh"

post() {
  local who=$1 path=$2; shift 2
  local args=() kv
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  page "$who" POST "$path" --data-urlencode "csrf_token=$csrf" "${args[@]}"
}
q() { fh_sql "$db" "$1"; }
receive() { "$fh" mail receive --db "$db" --org bct; }

run "$fh" case add --db "$db" --org bct --kind complaint --channel letter --received 2026-11-02 \
  --summary "Missed contact" --complainant "Ann Parent" --email ann.parent@example.org
ref=$(printf '%s' "$out" | grep -o 'BCT-2026-[0-9]*' | head -1)
bash "$here/../mail/corpus.sh" "$tmp/corpus" "$ref" ann.parent@example.org
printf 'From: Pat <pat@partner.example>\nSubject: <b>Away</b> & back Monday\nMessage-ID: <away-1@partner.example>\nAuto-Submitted: auto-replied\n\n<script>alert(1)</script> I am away.\n' | receive >/dev/null
away=$(q "SELECT id FROM received_messages WHERE message_id = 'away-1@partner.example'")
receive <"$tmp/corpus/malformed.eml" >/dev/null
broken=$(q "SELECT id FROM received_messages WHERE message_id = 'broken-1@example.org'")
receive <"$tmp/corpus/garbage.eml" >/dev/null
garbage=$(q "SELECT id FROM received_messages WHERE message_id LIKE 'sha256:%'")
receive <"$tmp/corpus/reply-party.eml" >/dev/null
receive <"$tmp/corpus/reply-stranger.eml" >/dev/null
stranger=$(q "SELECT c.reference FROM received_messages m JOIN cases c ON c.id = m.case_id WHERE m.message_id = 'reply-stranger-1@example.org'")

sign_in co complaints@bct.demo
sign_in mg manager@bct.demo
sign_in aj adjudicator@bct.demo
page co GET /staff/work
expect_contains "$body" '<a href="/staff/orgs/bct/mail">3 emails in quarantine</a> for bct' "issue 17 item 4: the complaints team's dashboard says how many emails wait, with the link"
page aj GET /staff/work
case "$body" in *"in quarantine"*) ok 1 "an adjudicating officer's does not" ;; *) ok 0 "an adjudicating officer's does not" ;; esac
page co GET /staff/orgs/bct/mail
expect_eq "$code" 200 "issue 17 item 4: the complaints team sees the quarantine"
expect_contains "$body" "href=\"/staff/orgs/bct/mail/$away\"" "it lists the out-of-office reply"
expect_contains "$body" "href=\"/staff/orgs/bct/mail/$broken\"" "and the malformed message"
expect_contains "$body" "&lt;b&gt;Away&lt;/b&gt; &amp; back Monday" "a subject is escaped text"
case "$body" in *"<b>Away</b>"*) ok 1 "a subject is never HTML" ;; *) ok 0 "a subject is never HTML" ;; esac
page mg GET /staff/orgs/bct/mail
expect_eq "$code" 200 "issue 17 item 4: a manager sees the quarantine"
page aj GET /staff/orgs/bct/mail
expect_eq "$code" 403 "issue 17 item 4: an adjudicating officer does not (authz: those who record contacts)"
page aj GET "/staff/orgs/bct/mail/$away/raw"
expect_eq "$code" 403 "nor downloads a message"

page co GET "/staff/orgs/bct/mail/$away"
expect_eq "$code" 200 "one message's page"
csrf=$(token)
expect_contains "$body" "&lt;script&gt;alert(1)&lt;/script&gt; I am away." "its text is escaped"
case "$body" in *"<script>alert"*) ok 1 "its text is never HTML" ;; *) ok 0 "its text is never HTML" ;; esac
page co GET "/staff/orgs/bct/mail/$garbage/raw"
expect_eq "$code" 200 "issue 17 item 4: the raw message downloads"
expect_contains "$headers" "attachment; filename=\"message-$garbage.eml\"" "as an attachment"
cmp -s "$tmp/body" "$tmp/corpus/garbage.eml"; ok $? "byte for byte"

# file by hand: a refusal, then on a case
before=$(q "SELECT count(*) FROM events")
page co POST "/staff/orgs/bct/mail/$away/file" --data-urlencode "reference=$ref"
expect_eq "$code" 403 "filing without the CSRF token is refused"
post co "/staff/orgs/bct/mail/$away/file" reference=BCT-2026-99999
expect_eq "$code" 422 "an unknown case is refused on the page"
expect_contains "$body" "no case BCT-2026-99999" "saying why"
expect_eq "$(q "SELECT count(*) FROM events")" "$before" "and nothing is written"
post co "/staff/orgs/bct/mail/$away/file" "reference=$ref"
expect_eq "$code" 303 "issue 17 item 4: filed by hand on a case"
expect_eq "$(q "SELECT m.state || '|' || c.reference FROM received_messages m JOIN cases c ON c.id = m.case_id WHERE m.id = $away")" "filed|$ref" "the message is on the case"
expect_eq "$(q "SELECT e.action || '|' || e.reason FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$ref' ORDER BY e.id DESC LIMIT 1")" "mail_filed|email filed by hand as correspondence" "with its audit event"
post co "/staff/orgs/bct/mail/$away/file" "reference=$ref"
expect_eq "$code" 409 "a message filed already cannot be filed again"

# as a new contact
cases=$(q "SELECT count(*) FROM cases")
post co "/staff/orgs/bct/mail/$broken/file" as=contact name= email=broken@example.org summary=help
expect_eq "$code" 422 "a new contact needs a name"
post co "/staff/orgs/bct/mail/$broken/file" as=contact "name=Broken Client" email=broken@example.org summary=help
expect_eq "$code" 303 "issue 17 item 4: filed by hand as a new contact"
expect_eq "$(q "SELECT count(*) FROM cases")" "$((cases + 1))" "one case more"
new=$(q "SELECT c.reference FROM received_messages m JOIN cases c ON c.id = m.case_id WHERE m.id = $broken")
expect_eq "$(q "SELECT channel || '|' || summary FROM cases WHERE reference = '$new'")" "email|help" "an email contact with the summary given"

# set aside
post co "/staff/orgs/bct/mail/$garbage/discard" reason=
expect_eq "$code" 422 "setting aside needs a reason"
post co "/staff/orgs/bct/mail/$garbage/discard" "reason=binary garbage"
expect_eq "$code" 303 "issue 17 item 4: set aside"
expect_eq "$(q "SELECT state || '|' || why FROM received_messages WHERE id = $garbage")" "discarded|binary garbage" "kept, marked set aside, with the reason"
expect_eq "$(q "SELECT action || '|' || reason FROM events ORDER BY id DESC LIMIT 1")" "mail_discarded|binary garbage" "with its audit event"
page co GET /staff/orgs/bct/mail
expect_contains "$body" "No email is waiting." "the quarantine is empty"

# the case page: correspondence as escaped text
page co GET "/staff/cases/$ref"
expect_eq "$code" 200 "the case page"
expect_contains "$body" 'id="correspondence"' "issue 17 item 9: it shows the correspondence"
expect_contains "$body" "Thank you. &lt;b&gt;I still&lt;/b&gt; want a meeting." "issue 17 item 9: a message is escaped text"
case "$body" in *"<b>I still</b>"*) ok 1 "never rendered HTML" ;; *) ok 0 "never rendered HTML" ;; esac
expect_contains "$body" "correspondence received by email" "the timeline has the event"
page co GET "/staff/cases/$stranger"
expect_contains "$body" "By email: kind to confirm at triage" "a case an email made says its kind is to confirm at triage"
expect_contains "$body" "Possibly about $ref" "and which case it is possibly about"

done_testing
