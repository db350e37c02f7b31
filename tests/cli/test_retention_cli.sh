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
"$fh" init --db "$db" --demo --as-of 2026-11-23 >/dev/null 2>&1
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
FAIRHEARING_TODAY=2032-06-01 run "$fh" retention --db "$db" --org bct --apply --as dpo@bct.demo
expect_rc 0 "apply in 2032"
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
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain still verifies"
FAIRHEARING_TODAY=2032-06-01 run "$fh" retention --db "$db" --org bct --apply
expect_contains "$out" "anonymised 0 cases" "a second run finds nothing more"

done_testing
