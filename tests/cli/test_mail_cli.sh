#!/usr/bin/env bash
# fairhearing mail receive (issue 17 items 1, 3, 4): a corpus of
# real-world-shaped email (tests/mail/corpus.sh) piped in as a mail server's
# pipe transport would; each becomes a new contact, a reply filed on its
# case, or a message kept in quarantine, with the case's fields, parties,
# documents and text asserted exactly; sysexits.h exit statuses.
# usage: test_mail_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-mail-XXXXXX)
trap 'fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23
db=$(fh_db mail)
fh_demo "$fh" "$db" "$FAIRHEARING_TODAY" || { echo "Bail out! init failed"; exit 1; }
q() { fh_sql "$db" "$1"; }
receive() { run "$fh" mail receive --db "$db" --org bct <"$1"; }
# the new case a message made: its reference from "new contact REF (message N)"
made() { printf '%s' "$out" | sed -n 's/^new contact \([A-Z]*-[0-9]*-[0-9]*\).*/\1/p'; }
case_field() { q "SELECT $2 FROM cases WHERE reference = '$1'"; }
parties() { fh_list "$db" "SELECT cp.role || ':' || coalesce(p.given_name, '') || ':' || coalesce(p.family_name, '') || ':' || coalesce(p.email, '') || ':' || coalesce(p.preferred_contact, '') FROM case_parties cp JOIN people p ON p.id = cp.person_id JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$1' ORDER BY cp.id" '|'; }
documents() { fh_list "$db" "SELECT d.filename || ':' || d.content_type || ':' || d.size FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.reference = '$1' ORDER BY d.id" '|'; }
message_of() { q "SELECT m.$2 FROM received_messages m JOIN cases c ON c.id = m.case_id WHERE c.reference = '$1' ORDER BY m.id DESC LIMIT 1"; }

# A case with a party whose address replies will come from.
run "$fh" case add --db "$db" --org bct --kind complaint --channel letter --received 2026-11-02 \
  --summary "Missed contact" --complainant "Ann Parent" --email Ann.Parent@example.org
expect_rc 0 "a case whose party will reply by email"
ref=$(printf '%s' "$out" | grep -o 'BCT-2026-[0-9]*' | head -1)
case_id=$(case_field "$ref" id)
org_id=$(q "SELECT id FROM organisations WHERE code = 'bct'")
q "INSERT INTO outbound_messages (org_id, case_id, message_id, sent_at) VALUES ($org_id, $case_id, 'letter-1@fairhearing.example', '2026-11-20T10:00:00Z')" >/dev/null
bash "$here/../mail/corpus.sh" "$tmp/corpus" "$ref" ann.parent@example.org letter-1@fairhearing.example
c=$tmp/corpus

# --- new contacts: the case's fields, parties, documents and text ---------------------
cases_before=$(q 'SELECT count(*) FROM cases')
receive "$c/pdf.eml"
expect_rc 0 "issue 17 item 1: a multipart message with a PDF is delivered (exit 0)"
r=$(made)
expect_contains "$out" "new contact BCT-2026-" "issue 17 item 3: it becomes a new contact and says which"
expect_eq "$(case_field "$r" "kind || '|' || channel || '|' || received_on || '|' || route || '|' || summary")" \
  "complaint|email|2026-11-23|untriaged|Contact with my son was cancelled" \
  "issue 17 item 3: channel email, received today, untriaged, the subject as the summary"
expect_eq "$(case_field "$r" details)" $'Contact was cancelled twice this month.\nThe letter is attached.' \
  "issue 17 item 3: the text as the complaint's details (CRLF lines as LF)"
expect_eq "$(parties "$r")" "complainant:Amira:Khan:amira.khan@example.org:email" \
  "issue 17 item 3: the sender's name and address as the complainant, who prefers email"
expect_eq "$(documents "$r")" "letter.pdf:application/pdf:$(wc -c <"$c/letter.pdf")" \
  "issue 17 item 3: the PDF attachment is the case's document, byte for byte"
expect_eq "$(q "SELECT count(*) FROM documents d JOIN cases c ON c.id = d.case_id WHERE c.reference = '$r' AND d.sha256 = '$(sha256sum "$c/letter.pdf" | cut -c1-64)'")" 1 \
  "the document's digest is the attachment's"
expect_eq "$(message_of "$r" "state || '|' || message_id || '|' || size")" "new_contact|pdf-1@mail.example.org|$(wc -c <"$c/pdf.eml")" \
  "issue 17 item 1: the whole message is kept, by its Message-ID"
expect_eq "$(q "SELECT count(*) FROM received_messages WHERE message_id = 'pdf-1@mail.example.org' AND sha256 = '$(sha256sum "$c/pdf.eml" | cut -c1-64)'")" 1 \
  "the kept bytes are the bytes received"
expect_eq "$(q "SELECT e.action || '|' || e.reason FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference = '$r' AND e.action = 'mail_received'")" \
  "mail_received|new contact by email" "issue 17 item 9: every received message is an audit event"
expect_eq "$(q "SELECT count(*) FROM cases")" "$((cases_before + 1))" "one case more"

receive "$c/pdf.eml"
expect_rc 0 "issue 17 item 1: the same message again is delivered (exit 0)"
expect_contains "$out" "received before" "and said to be received before"
expect_eq "$(q "SELECT count(*) FROM cases")" "$((cases_before + 1))" "issue 17 item 1: the same message twice makes one contact"
expect_eq "$(q "SELECT count(*) FROM received_messages WHERE message_id = 'pdf-1@mail.example.org'")" 1 "and is kept once"

receive "$c/docx.eml"
r=$(made)
expect_eq "$(documents "$r")" "notes.docx:application/vnd.openxmlformats-officedocument.wordprocessingml.document:$(wc -c <"$c/notes.docx")" \
  "issue 17 item 3: a base64 Word file labelled octet-stream is a .docx document"
expect_eq "$(case_field "$r" details)" "Please see my notes." "its text"

receive "$c/html.eml"
r=$(made)
expect_eq "$(case_field "$r" details)" $'The social worker didn\'t come & nobody rang.\nFees £40 – unpaid.\n\nJo' \
  "issue 17 item 3: HTML-only mail from a phone: tags, style and script removed, entities decoded"
expect_eq "$(parties "$r")" "complainant::jo.bloggs@example.com:jo.bloggs@example.com:email" \
  "a sender with no name is named by their address"

receive "$c/forward.eml"
r=$(made)
expect_eq "$(case_field "$r" details)" $'Please deal with the message below.\n\n---------- Forwarded message ----------\nFrom: Parent <parent2@example.org>\nSubject: School transport\n\nThe bus did not come for a week.' \
  "a forwarded chain: the forwarded message's text follows, introduced"

receive "$c/cp1252.eml"
r=$(made)
expect_eq "$(case_field "$r" details)" "I paid £120 for the “contact” session – it didn’t happen." \
  "issue 17 item 3: Windows-1252 (£, curly quotes, dash) converted to UTF-8"
expect_eq "$(case_field "$r" received_on)" 2026-11-20 \
  "issue 17 item 1: received the day the mail server took it (its Received header), not the day the database had it"
printf 'Received: by mx.bct.example; Tue, 1 Dec 2026 09:00:00 +0000\nFrom: <later@example.org>\nSubject: later\nMessage-ID: <future-1@example.org>\n\nA stamp after today.\n' >"$tmp/future.eml"
receive "$tmp/future.eml"
expect_eq "$(case_field "$(made)" received_on)" 2026-11-23 "a Received stamp after today is not believed: received today"

receive "$c/latin1.eml"
r=$(made)
expect_eq "$(case_field "$r" "summary || '|' || details")" "Réunion annulée|La réunion a été annulée. Café fermé." \
  "issue 17 item 3: ISO-8859-1 text (and an unencoded 8-bit subject) converted to UTF-8"
expect_eq "$(parties "$r")" "complainant:Renée:Dupré:renee@example.fr:email" "an RFC 2047 ISO-8859-1 sender's name"

receive "$c/flowed.eml"
r=$(made)
expect_eq "$(case_field "$r" summary)" "Complaint – foster care “review”" "issue 17 item 3: an RFC 2047 (UTF-8, base64) subject decoded"
expect_eq "$(case_field "$r" details)" $'This is one long line that the mail program has wrapped at seventy-two characters and flowed.\nFrom the beginning, a space-stuffed line.\n> quoted and flowed\n-- \nOscar' \
  "issue 17 item 3: format=flowed (RFC 3676, delsp=yes) joined, space-stuffing undone, quotes kept apart"
expect_eq "$(parties "$r")" "complainant:Óscar:O’Brien:oscar@example.ie:email" "an RFC 2047 UTF-8 sender's name"

receive "$c/exe.eml"
r=$(made)
expect_rc 0 "a message with an executable is delivered"
expect_eq "$(documents "$r")" "" "issue 17 item 3: an executable and a ZIP are never documents"
expect_eq "$(message_of "$r" refused)" '[{"filename":"invoice.exe","content_type":"application/octet-stream","size":8,"reason":"an executable file or script: never kept"},{"filename":"photos.zip","content_type":"application/zip","size":10,"reason":"of type application/zip: a case keeps only PDF, PNG, JPEG, plain text and Word (.docx) documents"}]' \
  "issue 17 item 3: each refused attachment is recorded with its reason"

# A 20 MB message: within the 64 MiB a message may be; its 14 MB PDF is over
# the 5 MB a document may be, so the contact is made and the PDF refused.
{
  printf 'From: Big Sender <big@example.org>\nSubject: Scans\nMessage-ID: <big-1@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=BIG\n\n--BIG\nContent-Type: text/plain\n\nThe scans.\n--BIG\nContent-Type: application/pdf; name=scans.pdf\nContent-Disposition: attachment; filename=scans.pdf\nContent-Transfer-Encoding: base64\n\n'
  { printf '%%PDF-1.4\n'; head -c $((14 * 1024 * 1024)) /dev/zero; } | base64
  printf -- '--BIG--\n'
} >"$tmp/big.eml"
receive "$tmp/big.eml"
expect_rc 0 "a 20 MB message is delivered"
r=$(made)
expect_eq "$(q "SELECT size FROM received_messages WHERE message_id = 'big-1@example.org'")" "$(wc -c <"$tmp/big.eml")" "and kept whole ($(($(wc -c <"$tmp/big.eml") / 1000000)) MB)"
expect_eq "$(documents "$r")" "" "its 14 MB PDF is not a document (over 5 MB)"
expect_contains "$(message_of "$r" refused)" '"reason":"14680073 bytes: a document is at most 5 MB"' "and is refused, saying why"

# --- replies (issue 17 item 4) ---------------------------------------------------------
receive "$c/reply-party.eml"
expect_rc 0 "a reply is delivered"
expect_eq "$out" "filed on $ref (message $(q "SELECT id FROM received_messages WHERE message_id = 'reply-party-1@example.org'"))" \
  "issue 17 item 4: the reference in the subject, from a party's address (any case): filed on the case"
expect_eq "$(q "SELECT state || '|' || body FROM received_messages WHERE message_id = 'reply-party-1@example.org' AND case_id = $case_id")" \
  $'filed|Thank you. <b>I still</b> want a meeting.' "kept on the case as correspondence, its text as written"
expect_eq "$(q "SELECT reason FROM events WHERE case_id = $case_id AND action = 'mail_received'")" "correspondence received by email" \
  "issue 17 item 4: correspondence is an event in the case's timeline"

receive "$c/reply-stranger.eml"
r=$(made)
expect_eq "$out" "new contact $r, possibly about $ref (message $(q "SELECT id FROM received_messages WHERE message_id = 'reply-stranger-1@example.org'"))" \
  "issue 17 item 4: the reference from a stranger: a new contact marked possibly about REF"
expect_eq "$(q "SELECT m.state || '|' || a.reference FROM received_messages m JOIN cases a ON a.id = m.about_case_id WHERE m.message_id = 'reply-stranger-1@example.org'")" \
  "possibly_about|$ref" "and the mark is kept"

receive "$c/reply-thread.eml"
expect_contains "$out" "filed on $ref" "issue 17 item 4: In-Reply-To names a message Fairhearing sent, from a party: filed"

# The case file for the Ombudsman carries the correspondence as text (issue 17 item 9).
run "$fh" export case --db "$db" --case "$ref" --out "$tmp/file.pdf"
expect_rc 0 "the case file of a case with email on it"
file_text=$(pdftotext "$tmp/file.pdf" - | tr -s ' \n' ' ')
expect_contains "$file_text" "Correspondence by email ($(q "SELECT count(*) FROM received_messages WHERE case_id = $case_id"))" \
  "issue 17 item 9: the case file's contents count the email on the case"
expect_contains "$file_text" "Thank you. <b>I still</b> want a meeting." "and the case file shows each email's text as written, not as HTML"
expect_contains "$file_text" "From A Parent <ann.parent@example.org>" "with its sender"

# The party's email is theirs: in their subject access export (issue 17 item 9; DOMAIN §8).
pid=$(q "SELECT person_id FROM case_parties WHERE case_id = $case_id ORDER BY id LIMIT 1")
run "$fh" subject-access --db "$db" --org bct --person "$pid"
expect_rc 0 "a subject access export of the party who wrote"
sent=$(q "SELECT count(*) FROM received_messages WHERE lower(from_address) = 'ann.parent@example.org'")
expect_eq "$(jq '.emails | length' <<<"$out")" "$sent" \
  "issue 17 item 9: every email from their address is in their export ($sent)"
expect_eq "$(jq -r '[.emails[] | select(.text | startswith("Thank you. <b>I still</b> want a meeting.")) | .reference + "|" + .state] | .[0]' <<<"$out")" \
  "$ref|filed" "... with its words, its case and what became of it"
expect_eq "$(jq '[.emails[] | select(.text | startswith("I heard about this case."))] | length' <<<"$out")" 0 \
  "... and not a stranger's email about their case"

# --- quarantine: kept whole, never bounced ---------------------------------------------
for m in malformed garbage bounce ooo; do
  receive "$c/$m.eml"
  expect_rc 0 "issue 17 item 4: $m: delivered (exit 0), never bounced"
  expect_contains "$out" "quarantined" "$m: kept in quarantine"
done
expect_eq "$(q "SELECT why FROM received_messages WHERE message_id = 'broken-1@example.org'")" "the message cannot be read: a multipart part has no boundary" \
  "a malformed MIME structure: quarantined with the reason"
expect_eq "$(q "SELECT size FROM received_messages WHERE state = 'quarantined' AND from_address = '' AND message_id LIKE 'sha256:%' ORDER BY id DESC LIMIT 1")" "$(wc -c <"$c/garbage.eml")" \
  "binary garbage is kept whole, by the digest of its bytes"
expect_eq "$(q "SELECT why FROM received_messages WHERE message_id = 'bounce-1@mx.bct.example'")" "written by a machine (Auto-Submitted: a delivery report), not a party's reply" \
  "a Postfix bounce (multipart/report) is not a contact"
expect_eq "$(q "SELECT why FROM received_messages WHERE message_id = 'ooo-1@partner.example'")" "written by a machine (Auto-Submitted), not a party's reply" \
  "an out-of-office reply is not a contact"
receive "$c/garbage.eml"
expect_contains "$out" "received before" "the same garbage twice is kept once"
expect_eq "$(q "SELECT count(*) FROM events WHERE case_id IS NULL AND action = 'mail_received' AND data LIKE '%\"quarantined\"%'")" 4 \
  "issue 17 item 9: each quarantined message is an audit event of the organisation"
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies"

# --- exit statuses (sysexits.h) ----------------------------------------------------------
run "$fh" mail receive --db "$db" --org bct --bogus </dev/null
expect_rc 64 "a bad flag: 64 EX_USAGE"
expect_contains "$err" "unknown option '--bogus'" "naming the flag"
run "$fh" mail receive --db "$db" </dev/null
expect_rc 64 "no --org: 64 EX_USAGE"
run "$fh" mail receive --db "$db" --org nosuch <"$c/pdf.eml"
expect_rc 78 "an unknown organisation: 78 EX_CONFIG (the MTA keeps the message)"
run "$fh" mail receive --db "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2" --org bct <"$c/pdf.eml"
expect_rc 75 "an unreachable database: 75 EX_TEMPFAIL (the MTA tries again)"
if fh_pg; then
  skip "a busy database: 75 EX_TEMPFAIL" "SQLite's write lock"
else
  sqlite3 "$db" "BEGIN IMMEDIATE; INSERT INTO schema_migrations SELECT * FROM schema_migrations WHERE 0; SELECT 1;" ".shell sleep 9" "COMMIT;" >/dev/null 2>&1 &
  holder=$!
  sleep 1
  before=$(q "SELECT count(*) FROM received_messages")
  run "$fh" mail receive --db "$db" --org bct <"$tmp/corpus/docx.eml"
  wait "$holder"
  expect_rc 75 "a busy database: 75 EX_TEMPFAIL (the MTA tries again)"
  expect_eq "$(q "SELECT count(*) FROM received_messages")" "$before" "and nothing was written"
fi
run "$fh" mail receive --help
expect_rc 0 "--help"
expect_contains "$out" "75  the database is busy or unreachable" "--help documents the exit statuses"

done_testing
