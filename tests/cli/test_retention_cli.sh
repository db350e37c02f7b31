#!/usr/bin/env bash
# fairhearing retention (DOMAIN §8): the rule per organisation, a dry run
# that changes nothing, and an apply that anonymises what is due in one
# run, logged in the audit chain, which still verifies; and fairhearing
# subject-access, the export of one person's data.  Refusals exit 2.
# usage: test_retention_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-retention-XXXXXX)
trap 'fh_db_cleanup; rm -rf "$tmp"' EXIT
db=$(fh_db r)
export FAIRHEARING_TODAY=2026-11-23
fh_demo "$fh" "$db" 2026-11-23
ok $? "a demo database"
q() { fh_sql "$db" "$1"; }

run "$fh" retention --help
expect_rc 0 "retention --help"
expect_contains "$out" "--dry-run" "the help names --dry-run"
run "$fh" retention --db "$db"
expect_rc 2 "neither --dry-run nor --apply is refused"
run "$fh" retention --db "$db" --dry-run --apply
expect_rc 2 "both at once are refused"
run "$fh" retention --db "$db" --org bct --set-years 0
expect_rc 2 "a rule of 0 years is refused"
expect_contains "$err" "1 to 100 years" "with the reason"
run "$fh" retention --db "$db" --org nowhere --set-years 6
expect_rc 2 "an unknown organisation is refused"

# ---- subject access, before anything is anonymised ----
sp=$(q "SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND cp.role = 'complainant' ORDER BY c.id LIMIT 1")
spname=$(q "SELECT family_name FROM people WHERE id = $sp")
run "$fh" subject-access --db "$db" --org bct
expect_rc 2 "subject-access needs --person"
run "$fh" subject-access --db "$db" --org bct --person 99999999
expect_rc 2 "an unknown person is refused"
run "$fh" subject-access --db "$db" --org bcp --person "$sp"
expect_rc 2 "a person of another organisation is refused"
run "$fh" subject-access --db "$db" --org bct --person "$sp" --out "$tmp/sar.json" --as dpo@bct.demo
expect_rc 0 "subject-access writes the export"
expect_eq "$(jq -r .subject.family_name "$tmp/sar.json")" "$spname" "with the person's own details"
[ "$(jq -r '.cases | length' "$tmp/sar.json")" -ge 1 ]; ok $? "and their cases"
expect_eq "$(q "SELECT count(*) FROM access_log WHERE actor = 'dpo@bct.demo' AND detail = 'person $sp subject access export'")" 1 \
  "the export is in the access log"

run "$fh" retention --db "$db" --dry-run
expect_rc 0 "a dry run with no rules"
expect_contains "$out" "0 cases due" "finds nothing due"

run "$fh" retention --db "$db" --org bct --set-years 6
expect_rc 0 "bct keeps closed cases six years"
expect_eq "$(q "SELECT years_after_closure FROM retention_rules r JOIN organisations o ON o.id = r.org_id WHERE o.code = 'bct'")" 6 "the rule is stored"
expect_eq "$(q "SELECT count(*) FROM events WHERE action = 'retention_rule_set'")" 1 "setting it is an event"

# six years on from mid-2026: the bct cases closed by then are due, others not
due=$(q "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct'
  AND c.state IN ('closed', 'withdrawn') AND c.closed_on IS NOT NULL AND c.closed_on <= '2026-06-01'")
[ "$due" -gt 0 ]; ok $? "the demo has closed bct cases ($due by 2026-06-01)"
before=$(q "SELECT summary FROM cases ORDER BY id" | cksum)
events_before=$(q "SELECT count(*) FROM events")
FAIRHEARING_TODAY=2032-06-01 run "$fh" retention --db "$db" --dry-run
expect_rc 0 "a dry run in 2032"
expect_contains "$out" "$due cases due for anonymising" "lists the cases closed six years before"
expect_eq "$(q "SELECT summary FROM cases ORDER BY id" | cksum)" "$before" "a dry run changes nothing"
expect_eq "$(q "SELECT count(*) FROM events")" "$events_before" "and records nothing"

person=$(q "SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id JOIN organisations o
  ON o.id = c.org_id WHERE o.code = 'bct' AND c.closed_on <= '2026-06-01' AND c.state = 'closed'
  AND NOT EXISTS (SELECT 1 FROM case_parties x JOIN cases y ON y.id = x.case_id WHERE x.person_id = cp.person_id
  AND (y.closed_on IS NULL OR y.closed_on > '2026-06-01')) LIMIT 1")
kept=$(q "SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE c.state = 'open' LIMIT 1")
pname=$(q "SELECT family_name FROM people WHERE id = $person")
acase=$(q "SELECT reference FROM cases c JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct'
  AND c.state = 'closed' AND c.closed_on <= '2026-06-01' ORDER BY c.id LIMIT 1")
# searches in the access log: one naming a person about to be anonymised, one a case, one neither
q "INSERT INTO access_log (at, actor, what, detail) VALUES ('2027-01-01T00:00:00Z', 'complaints@bct.demo', 'search', '$pname'),
  ('2027-01-01T00:00:00Z', 'complaints@bct.demo', 'search', '$acase'),
  ('2027-01-01T00:00:00Z', 'complaints@bct.demo', 'search', 'zzqq unrelated')"
# an email filed on a case due (docs/email.md): its bytes and words go with the case
mp=$(q "SELECT cp.person_id FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$acase' ORDER BY cp.id LIMIT 1")
q "UPDATE people SET email = 'retained.party@example.org' WHERE id = $mp" >/dev/null
printf 'From: Party <retained.party@example.org>\nSubject: Re: %s\nMessage-ID: <retention-1@example.org>\n\nPrivate words.\n' "$acase" |
  "$fh" mail receive --db "$db" --org bct >"$tmp/mail.out"
expect_contains "$(cat "$tmp/mail.out")" "filed on $acase" "an email filed on a case that will be due"
# email sent about that case (issue 17 item 9): one sent, and one still waiting in
# the outbox (a relay down for years), as the outbox writes them
q "INSERT INTO outbound_messages (org_id, case_id, message_id, sent_at, kind, recipient, state, state_at, detail)
  SELECT c.org_id, c.id, 'retention-sent-1@bct.example', '2026-05-01T09:00:00Z', 'acknowledgement', 'retained.party@example.org', 'sent', '2026-05-01T09:01:00Z', '250 OK'
  FROM cases c WHERE c.reference = '$acase'" >/dev/null
q "INSERT INTO outbound_messages (org_id, case_id, message_id, sent_at, kind, recipient, state, state_at)
  SELECT c.org_id, c.id, 'retention-queued-1@bct.example', '2026-05-02T09:00:00Z', 'acknowledgement', 'retained.party@example.org', 'queued', '2026-05-02T09:00:00Z'
  FROM cases c WHERE c.reference = '$acase'" >/dev/null
q "INSERT INTO outbox (outbound_id, case_id, sender, recipient, subject, body, next_attempt_at)
  SELECT m.id, m.case_id, 'complaints@bct.example', 'retained.party@example.org', 'We have received your message: $acase', 'Private words sent.', '2026-05-02T09:00:00Z'
  FROM outbound_messages m WHERE m.message_id = 'retention-queued-1@bct.example'" >/dev/null
# email that made no case (issue 17 item 9): one quarantined and one set aside
# long enough ago, one quarantined recently, and one of another organisation
quarantine() { # quarantine ORG MESSAGE-ID RECEIVED-DAY
  printf 'From: Mailer <mailer-daemon@example.org>\nAuto-Submitted: auto-replied\nSubject: Out of office %s\nMessage-ID: <%s>\n\nAway.\n' "$2" "$2" |
    FAIRHEARING_TODAY=$3 "$fh" mail receive --db "$db" --org "$1" >>"$tmp/mail.out"
  q "UPDATE received_messages SET received_at = '$3T09:00:00Z' WHERE message_id = '$2'" >/dev/null
}
quarantine bct old-q@example.org 2026-01-10
quarantine bct old-d@example.org 2026-02-10
quarantine bct new-q@example.org 2031-12-01
quarantine bcp other-q@example.org 2026-01-10
q "UPDATE received_messages SET state = 'discarded' WHERE message_id = 'old-d@example.org'" >/dev/null
run "$fh" retention --db "$db" --org bcp --set-years 6
expect_rc 0 "bcp has a rule too, so its email would be due under it"
expect_eq "$(q "SELECT count(*) FROM received_messages WHERE message_id LIKE '%-q@example.org' AND state = 'quarantined'")" 3 \
  "three messages wait in quarantine (two organisations)"
FAIRHEARING_TODAY=2032-06-01 run "$fh" retention --db "$db" --org bct --apply --as dpo@bct.demo
expect_rc 0 "apply in 2032"
mail_row() { q "SELECT size || '|' || from_address || '|' || subject || '|' || body || '|' || state || '|' || why || '|' || length(sha256) FROM received_messages WHERE message_id = '$1'"; }
expect_eq "$(mail_row old-q@example.org)" "0||||discarded|removed under the retention rule on 2032-06-01|64" \
  "issue 17 item 9: a quarantined email older than the rule's years loses its bytes and words and leaves the quarantine"
expect_eq "$(mail_row old-d@example.org)" "0||||discarded|removed under the retention rule on 2032-06-01|64" \
  "and so does one set aside"
expect_eq "$(q "SELECT size > 0 AND state = 'quarantined' FROM received_messages WHERE message_id = 'new-q@example.org'")" "$(q "SELECT 1 = 1")" \
  "one that arrived within the rule's years is kept whole"
expect_eq "$(q "SELECT size > 0 AND state = 'quarantined' FROM received_messages WHERE message_id = 'other-q@example.org'")" "$(q "SELECT 1 = 1")" \
  "and another organisation's is not touched by bct's run"
expect_contains "$out" "erased 2 email messages that made no case" "the run says how many"
expect_eq "$(q "SELECT size || '|' || from_address || '|' || subject || '|' || body || '|' || state || '|' || length(sha256) FROM received_messages WHERE message_id = 'retention-1@example.org'")" \
  "0||||filed|64" "DOMAIN §8: an email on an anonymised case loses its bytes, sender, subject and text; its digest and state stay"
expect_eq "$(fh_list "$db" "SELECT recipient || '|' || state FROM outbound_messages WHERE message_id LIKE 'retention-%' ORDER BY id")" "|sent,|queued" \
  "issue 17 item 9: email sent about an anonymised case loses its address; its Message-ID and what became of it stay"
expect_eq "$(q "SELECT sender || recipient || subject || body FROM outbox o JOIN outbound_messages m ON m.id = o.outbound_id WHERE m.message_id = 'retention-queued-1@bct.example'")" "" \
  "and a message still in the outbox loses its address and words"
expect_contains "$out" "anonymised $due cases" "anonymises every case due"
expect_eq "$(q "SELECT count(*) FROM cases WHERE anonymised_on = '2032-06-01' AND summary = '[anonymised]' AND details = ''")" "$due" \
  "their summaries and details are gone"
expect_eq "$(q "SELECT count(*) FROM complaint_points p JOIN cases c ON c.id = p.case_id WHERE c.anonymised_on IS NOT NULL AND p.summary <> '[anonymised]'")" 0 \
  "and their complaint points"
expect_eq "$(q "SELECT count(*) FROM findings f JOIN complaint_points p ON p.id = f.point_id JOIN cases c ON c.id = p.case_id WHERE c.anonymised_on IS NOT NULL AND f.outcome <> ''")" \
  "$(q "SELECT count(*) FROM findings f JOIN complaint_points p ON p.id = f.point_id JOIN cases c ON c.id = p.case_id WHERE c.anonymised_on IS NOT NULL")" \
  "the outcomes stay for reports"
expect_eq "$(q "SELECT family_name || given_name || email || phone || address FROM people WHERE id = $person")" "[anonymised]" \
  "a person on no kept case is anonymised"
expect_eq "$(q "SELECT count(*) FROM equality_monitoring WHERE person_id = $person")" 0 "with their equality answers"
[ "$(q "SELECT family_name FROM people WHERE id = $kept")" != "[anonymised]" ]; ok $? "a person on an open case is kept"
# the search index: an FTS5 table on SQLite, a tsvector column on PostgreSQL
if fh_pg; then
  matching="SELECT count(*) FROM cases_fts WHERE tsv @@ to_tsquery('simple', 'anonymised')"
else
  matching="SELECT count(*) FROM cases_fts WHERE cases_fts MATCH 'anonymised'"
fi
expect_eq "$(q "$matching")" "$due" "the search index holds no old text"
expect_eq "$(q "SELECT count(*) FROM events WHERE action = 'anonymised' AND actor = 'dpo@bct.demo'")" "$due" "one event per case"
expect_eq "$(q "SELECT count(*) FROM events WHERE action = 'retention_applied'")" 1 "and one for the run"
# DOMAIN §8: the events of anonymised cases lose their reasons and data, the chain its salts
expect_contains "$out" "erased the content of" "apply says what it erased"
expect_eq "$(q "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.anonymised_on IS NOT NULL
  AND e.action <> 'anonymised' AND (e.erased_on IS NULL OR e.reason <> '' OR e.data <> '{}')")" 0 \
  "DOMAIN §8: every event of an anonymised case has its content erased"
expect_eq "$(q "SELECT count(*) FROM event_salts s JOIN events e ON e.id = s.event_id WHERE e.erased_on IS NOT NULL")" 0 \
  "and its salt, so the digest cannot be guessed back"
expect_eq "$(q "SELECT count(*) FROM events WHERE erased_on IS NOT NULL AND length(content_digest) = 32")" \
  "$(q "SELECT count(*) FROM events WHERE erased_on IS NOT NULL")" "the digests stay"
expect_eq "$(q "SELECT count(*) FROM events WHERE case_id IS NULL AND erased_on IS NOT NULL AND data LIKE '%\"person\"%'")" 0 \
  "an erased person event keeps no person"
expect_eq "$(q "SELECT count(*) FROM access_log WHERE what = 'search' AND detail = '(removed under the retention rule on 2032-06-01)'")" 2 \
  "DOMAIN §8: the searches naming the person and the case lose their words"
expect_eq "$(q "SELECT count(*) FROM access_log WHERE what = 'search' AND detail = 'zzqq unrelated'")" 1 "other searches stay"
run "$fh" case show --db "$db" "$acase"
expect_contains "$out" "removed under the retention rule on 2032-06-01" "the case's history says what was removed and when"
FAIRHEARING_TODAY=2032-06-01 run "$fh" export case --db "$db" --case "$acase" --out "$tmp/file.pdf"
expect_rc 0 "the anonymised case's file exports"
if command -v pdftotext >/dev/null; then
  expect_contains "$(pdftotext "$tmp/file.pdf" - | tr -s ' \n' ' ')" "removed under the retention rule on 2032-06-01" \
    "its timeline says what was removed and when"
fi
FAIRHEARING_TODAY=2032-06-01 run "$fh" subject-access --db "$db" --org bct --person "$person" --out "$tmp/sar2.json"
expect_rc 0 "a subject access export after retention"
expect_eq "$(jq -r '[.cases[].history[] | select(.erased != "")] | length > 0' "$tmp/sar2.json")" true \
  "its history marks the erased events"
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain still verifies"

# tampering after erasure still shows (DOMAIN §8)
erased=$(q "SELECT min(id) FROM events WHERE erased_on IS NOT NULL")
t1=$(fh_db t1)
fh_db_copy "$db" "$t1"
fh_tamper "$t1" "UPDATE events SET content_digest = $(fh_blob "$(printf '0%.0s' $(seq 64))") WHERE id = $erased"
run "$fh" audit verify --db "$t1"
expect_rc 1 "an erased event whose digest was altered breaks the chain"
expect_contains "$out$err" "event $erased" "naming the event"
t2=$(fh_db t2)
fh_db_copy "$db" "$t2"
kept_ev=$(q "SELECT max(id) FROM events WHERE erased_on IS NULL AND hash_version = 2 AND action = 'anonymised'")
fh_tamper "$t2" "UPDATE events SET reason = 'other' WHERE id = $kept_ev"
run "$fh" audit verify --db "$t2"
expect_rc 1 "an edited kept event after erasure breaks the chain"
t3=$(fh_db t3)
fh_db_copy "$db" "$t3"
fh_tamper "$t3" "DELETE FROM events WHERE id = $kept_ev"
run "$fh" audit verify --db "$t3"
expect_rc 1 "a deleted event after erasure breaks the chain"
FAIRHEARING_TODAY=2032-06-01 run "$fh" retention --db "$db" --org bct --apply
expect_contains "$out" "anonymised 0 cases" "a second run finds nothing more"

done_testing
