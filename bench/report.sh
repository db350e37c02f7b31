#!/usr/bin/env bash
# The annual monitoring report (issue 7) over a large database:
#   bash bench/report.sh BUILD_DIR [N]
# Loads the demo data (360 cases, 18 months), then copies every case with its
# stages, points, findings, parties and lifecycle document until there are
# about N cases (default 1,000,000), all on the demo's dates, and times
# `fairhearing report` for bct's year to 2026-11-30 (about 45% of the cases
# fall to bct).  The copies are made in SQL, not through store_case_create:
# the audit chain is not what is measured, so the copies have no events;
# the report's own projections (migration 006_report) are copied with them
# (report_complainants fills itself: its triggers fire on the parties copied).
# FH_REPORT_DB=PATH keeps the database there and reuses it on the next run.
set -euo pipefail
build=${1:-build}
n=${2:-1000000}
fh=$build/fairhearing
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=${FH_REPORT_DB:-$dir/report.db}
if [ -n "${FH_REPORT_DB:-}" ] && [ -f "$db" ]; then
  echo "== report: reusing $db =="
else
"$fh" init --db "$db" --demo --as-of 2026-11-23 >/dev/null
copies=$(( (n + 359) / 360 - 1 ))
start=$(date +%s)
# Each copy k shifts every id by k * 10000 (the demo's ids stay below 1000).
sqlite3 "$db" <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
CREATE TEMP TABLE k (k INTEGER PRIMARY KEY);
WITH RECURSIVE s(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM s WHERE k < $copies)
INSERT INTO k SELECT k FROM s;
INSERT INTO cases (id, org_id, reference, kind, channel, received_on, received_by, service,
  team_id, summary, details, anonymous, confidential, route, procedure_code, procedure_version,
  state, stage, closed_on, created_at, updated_at)
SELECT c.id + k.k * 10000, org_id, reference || '.' || k.k, kind, channel, received_on,
  received_by, service, team_id, summary, details, anonymous, confidential, route,
  procedure_code, procedure_version, state, stage, closed_on, created_at, updated_at
FROM k, cases c WHERE c.id < 10000;
INSERT INTO case_stages (id, case_id, stage, state, requested_on, started_on, due_on, responded_on, officer_id)
SELECT s.id + k.k * 10000, case_id + k.k * 10000, stage, state, requested_on, started_on, due_on,
  responded_on, officer_id FROM k, case_stages s WHERE s.id < 10000;
INSERT INTO complaint_points (id, case_id, seq, summary, desired_outcome, team_id, withdrawn)
SELECT p.id + k.k * 10000, case_id + k.k * 10000, seq, summary, desired_outcome, team_id, withdrawn
FROM k, complaint_points p WHERE p.id < 10000;
INSERT INTO findings (id, point_id, stage, outcome, reasoning, outcome_response, recorded_by, recorded_at)
SELECT f.id + k.k * 10000, point_id + k.k * 10000, stage, outcome, reasoning, outcome_response,
  recorded_by, recorded_at FROM k, findings f WHERE f.id < 10000;
INSERT INTO case_parties (id, case_id, person_id, role, relationship, child_status, consent, consent_on, correspond)
SELECT p.id + k.k * 10000, case_id + k.k * 10000, person_id, role, relationship, child_status,
  consent, consent_on, correspond FROM k, case_parties p WHERE p.id < 10000;
INSERT INTO case_assignments (case_id, stage, user_id, user_email, role, chair, assigned_on, ended_at)
SELECT case_id + k.k * 10000, stage, user_id, user_email, role, chair, assigned_on, ended_at
FROM k, case_assignments a WHERE a.case_id < 10000;
INSERT INTO case_lifecycle (case_id, state, updated_at)
SELECT case_id + k.k * 10000, state, updated_at FROM k, case_lifecycle l WHERE l.case_id < 10000;
INSERT INTO report_stages SELECT case_id + k.k * 10000, stage, org_id, team_id, requested_on,
  started_on, due_on, responded_on, upheld, partly_upheld, not_upheld, not_determined, withdrawn,
  learning, actions, actions_done, escalated, officers FROM k, report_stages r WHERE r.case_id < 10000;
INSERT INTO report_extensions SELECT case_id + k.k * 10000, stage, org_id, team_id, on_date, because
FROM k, report_extensions r WHERE r.case_id < 10000;
INSERT INTO report_ombudsman SELECT case_id + k.k * 10000, org_id, team_id, enquiry_on, outcome
FROM k, report_ombudsman r WHERE r.case_id < 10000;
COMMIT;
ANALYZE;
SQL
echo "== report: $(sqlite3 "$db" 'SELECT count(*) FROM cases') cases ($(( $(stat -c %s "$db") / 1048576 )) MiB), built in $(( $(date +%s) - start )) s =="
fi
for args in "--format csv" "--format html" "--format html --anonymised" "--format csv --team Fostering" \
            "--format xlsx" "--format pdf --anonymised"; do
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$fh" report --db "$db" --org bct --from 2025-12-01 --to 2026-11-30 $args --out /dev/null
  t1=$(date +%s.%N)
  printf 'bct annual report %-32s %6.2f s\n' "$args" "$(echo "$t1 - $t0" | bc)"
done
