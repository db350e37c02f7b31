#!/usr/bin/env bash
# fairhearing report (001 §16.1, §16.2; 003 "Monitoring and learning";
# docs/reports.md): every option refused with a one-line reason and exit 2,
# both formats on the demo data, a case summary holding <script> printed as
# text, and the anonymised version with no demo email address in it.
# usage: test_report_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-report-XXXXXX)
trap 'fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23
db=$(fh_db r)
fh_demo "$fh" "$db" 2026-11-23
ok $? "a demo database to report on"
base=(--db "$db" --org bct --from 2025-12-01 --to 2026-11-30)

# --- the command line: one line of reason, then the usage, exit 2 ----------
run "$fh" report --help; expect_rc 0 "report --help"; expect_contains "$out" "--anonymised" "help names --anonymised"
run "$fh" --help; expect_contains "$out" "  report " "fairhearing --help lists report"
refuse() { # refuse DESCRIPTION NEEDLE ARGS...
  local what=$1 needle=$2; shift 2
  run "$fh" report "$@"
  expect_rc 2 "$what"
  expect_contains "$err" "$needle" "$what: the reason is given"
  expect_eq "$(printf '%s\n' "$err" | grep -c '^fairhearing')" "1" "$what: one line of reason"
}
refuse "no --db" "--db PATH is required" --org bct --from 2026-01-01 --to 2026-02-01 --format csv --out -
refuse "no --org" "--org ORG is required" --db "$db" --from 2026-01-01 --to 2026-02-01 --format csv --out -
refuse "no --from" "--from DATE is required" --db "$db" --org bct --to 2026-02-01 --format csv --out -
refuse "no --to" "--to DATE is required" --db "$db" --org bct --from 2026-01-01 --format csv --out -
refuse "no --format" "--format html|csv|xlsx|pdf is required" "${base[@]}" --out -
refuse "no --out" "--out FILE is required" "${base[@]}" --format csv
refuse "a bad --from" "--from '2026-02-30' is not a date" --db "$db" --org bct --from 2026-02-30 --to 2026-03-01 --format csv --out -
refuse "a bad --to" "--to 'soon' is not a date" --db "$db" --org bct --from 2026-02-01 --to soon --format csv --out -
refuse "--from after --to" "is after --to" --db "$db" --org bct --from 2026-03-01 --to 2026-02-01 --format csv --out -
refuse "an unknown format" "unknown --format 'doc'" "${base[@]}" --format doc --out -
refuse "an unknown organisation" "org" --db "$db" --org nosuch --from 2026-01-01 --to 2026-02-01 --format csv --out -
refuse "an unknown team" "team" "${base[@]}" --team "No Such Team" --format csv --out -
refuse "an unknown period" "unknown --period 'month'" --db "$db" --org bct --period month --format csv --out -
refuse "a period and --from" "not both" --db "$db" --org bct --period week --from 2026-01-01 --format csv --out -
refuse "--on without --period" "--on goes with --period" "${base[@]}" --on 2026-01-01 --format csv --out -
refuse "a bad --on" "--on 'soon' is not a date" --db "$db" --org bct --period year --on soon --format csv --out -
refuse "an unknown option" "unknown option" "${base[@]}" --colour --format csv --out -
refuse "a stray argument" "unexpected argument" "${base[@]}" --format csv --out - extra
run "$fh" report "${base[@]}" --format csv --out "$tmp/no/such/dir.csv"
expect_rc 1 "an unwritable --out fails"

# --- CSV ---------------------------------------------------------------------
run "$fh" report "${base[@]}" --format csv --out "$tmp/r.csv"; expect_rc 0 "csv to a file"
csv=$(cat "$tmp/r.csv")
for t in received routes stages responses late findings services subjects teams monthly \
         extensions escalation ombudsman learning compliments equality officers \
         learning_statements compliment_list remedies advocacy access behaviour freezing joint; do
  expect_contains "$csv" "table,$t," "csv has the $t section"
done
expect_contains "$csv" $'\r\n' "csv records end in CRLF (RFC 4180)"
expect_contains "$csv" '"Representations received, by kind"' "a field with a comma is quoted"
# 001 §16.1: the numbers match the database counted directly.
want=$(fh_sql "$db" "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.kind = 'complaint' AND c.received_on BETWEEN '2025-12-01' AND '2026-11-30'")
got=$(tr -d '\r' < "$tmp/r.csv" | awk -F, '$1 == "complaint" { print $2; exit }')
expect_eq "$got" "$want" "complaints received match a direct count"
want=$(fh_sql "$db" "SELECT count(*) FROM case_stages s JOIN cases c ON c.id = s.case_id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND s.stage = 1
  AND s.responded_on BETWEEN '2025-12-01' AND '2026-11-30' AND s.responded_on <= s.due_on")
got=$(tr -d '\r' < "$tmp/r.csv" | awk -F, '/^table,responses,/ { on = 1; next } on && $1 == "Stage 1" { print $3; exit }')
expect_eq "$got" "$want" "stage 1 responses within the deadline match a direct count"
"$fh" report "${base[@]}" --format csv --out - > "$tmp/stdout.csv" 2>/dev/null
cmp -s "$tmp/stdout.csv" "$tmp/r.csv"; ok $? "--out - writes the same report to standard output"

# --- HTML --------------------------------------------------------------------
run "$fh" report "${base[@]}" --format html --out "$tmp/r.html"; expect_rc 0 "html to a file"
html=$(cat "$tmp/r.html")
expect_contains "$html" "<!DOCTYPE html>" "html is a whole page"
expect_contains "$html" "<style>" "with its CSS inline"
expect_contains "$html" "@media print" "and print rules"
expect_contains "$html" 'id="chart-ontime"><h2>' "an on-time bar chart"
expect_contains "$html" 'class="late"' "with late bars"
expect_contains "$html" '<polyline class="line"' "a monthly trend line"
expect_contains "$html" "<h1>Birmingham Children's Trust: complaints" "the organisation's name heads the page"
expect_contains "$html" 'id="remedies"' "a table of remedies and payments (001 §18)"
expect_contains "$html" 'id="advocacy"' "a table of advocacy (DOMAIN §7)"
expect_contains "$html" 'id="access"' "and one of access needs"
expect_contains "$html" 'id="behaviour"' "a table of unreasonably persistent behaviour (001 §19)"
expect_contains "$html" 'id="freezing"' "a table of freezing decisions (001 §11)"
expect_contains "$html" 'id="joint"' "a table of joint complaints (001 §12, §13)"
! grep -q '<link\|<script\|src="http' "$tmp/r.html"; ok $? "self-contained: no scripts, links or remote files"

# A case summary (and a subject) holding markup prints as text.
run "$fh" case add --db "$db" --org bct --kind compliment --channel email --received 2026-11-20 \
  --team Fostering --summary '<script>alert("x")</script> thanks' --complainant "Test Person" \
  --relationship self --actor complaints@bct.demo
expect_rc 0 "a compliment whose summary holds a script tag"
run "$fh" case add --db "$db" --org bct --kind complaint --channel email --received 2026-11-20 \
  --team Fostering --service '<b>Fostering</b>' --summary 'About the <img src=x onerror=alert(1)> visit' \
  --complainant "Test Person" --relationship self --actor complaints@bct.demo
expect_rc 0 "a complaint whose service holds markup"
run "$fh" report "${base[@]}" --format html --out -; expect_rc 0 "html to standard output"
expect_contains "$out" '&lt;script&gt;alert("x")&lt;/script&gt; thanks' "the summary is escaped"
case "$out" in *'<script>'*) ok 1 "no live script tag"; ;; *) ok 0 "no live script tag" ;; esac
expect_contains "$out" '&lt;b&gt;Fostering&lt;/b&gt;' "the subject is escaped"
case "$out" in *'<b>Fostering'*) ok 1 "no live b tag" ;; *) ok 0 "no live b tag" ;; esac
run "$fh" report "${base[@]}" --format csv --out -
expect_contains "$out" '<script>alert(""x"")</script> thanks' "csv keeps the text, quotes doubled"

# --- XLSX: a workbook that opens, one sheet per table, numbers as numbers ------
run "$fh" report "${base[@]}" --format xlsx --out "$tmp/r.xlsx"; expect_rc 0 "xlsx to a file"
unzip -tq "$tmp/r.xlsx" >/dev/null 2>&1; ok $? "the xlsx is a sound zip archive"
book=$(unzip -p "$tmp/r.xlsx" xl/workbook.xml)
expect_contains "$book" '<sheet name="About" sheetId="1"' "the first sheet says what the workbook is"
i=2
for t in received routes stages responses late findings services subjects teams monthly \
         extensions escalation ombudsman learning compliments equality officers \
         learning_statements compliment_list remedies advocacy access behaviour freezing joint; do
  expect_contains "$book" "<sheet name=\"$t\" sheetId=\"$i\"" "xlsx sheet $i is the $t table"
  i=$((i + 1))
done
# cell VALUE of SHEETNUMBER at REF, as the number stored (no t= attribute: a number)
xcell() { unzip -p "$1" "xl/worksheets/sheet$2.xml" | grep -o "<c r=\"$3\"[^>]*><v>[^<]*</v>" | sed 's/.*<v>//; s/<.*//'; }
want=$(fh_sql "$db" "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.kind = 'complaint' AND c.received_on BETWEEN '2025-12-01' AND '2026-11-30'")
expect_eq "$(xcell "$tmp/r.xlsx" 2 B5)" "$want" "xlsx: complaints received (received!B5) is a number matching a direct count"
unzip -p "$tmp/r.xlsx" xl/worksheets/sheet2.xml | grep -q '<c r="B5"[^>]*t="s"'; ok $((! $?)) "xlsx: the count is not stored as text"
# 001 §16.1: stage 1 % within the deadline is the fraction, formatted as 0.0%.
within=$(fh_sql "$db" "SELECT count(*) FROM case_stages s JOIN cases c ON c.id = s.case_id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND s.stage = 1
  AND s.responded_on BETWEEN '2025-12-01' AND '2026-11-30' AND s.responded_on <= s.due_on")
due=$(fh_sql "$db" "SELECT count(*) FROM case_stages s JOIN cases c ON c.id = s.case_id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND s.stage = 1
  AND s.responded_on BETWEEN '2025-12-01' AND '2026-11-30' AND s.due_on IS NOT NULL")
got=$(xcell "$tmp/r.xlsx" 5 D5)
awk -v g="$got" -v w="$within" -v d="$due" 'BEGIN { exit !(d > 0 && (g - w / d) < 1e-9 && (w / d - g) < 1e-9) }'
ok $? "xlsx: stage 1 % within the deadline is $within/$due as a fraction ($got)"
expect_contains "$(unzip -p "$tmp/r.xlsx" xl/styles.xml)" 'formatCode="0.0%"' "xlsx: percentages carry a 0.0% format"
expect_eq "$(xcell "$tmp/r.xlsx" 2 D8)" "$(tr -d '\r' < "$tmp/r.csv" | awk -F, '$1 == "enquiry" { print $4 + 0; exit }')" \
  "xlsx: a change is the signed number the csv shows"
strings=$(unzip -p "$tmp/r.xlsx" xl/sharedStrings.xml)
expect_contains "$strings" "Birmingham Children's Trust" "xlsx: the About sheet names the organisation"
! grep -q '<f>' <(unzip -p "$tmp/r.xlsx" 'xl/worksheets/*.xml'); ok $? "xlsx: no cell is a formula"

# --- PDF: valid, A4, numbered pages, the tables as text -------------------------
run "$fh" report "${base[@]}" --format pdf --out "$tmp/r.pdf"; expect_rc 0 "pdf to a file"
info=$(pdfinfo "$tmp/r.pdf" 2>&1); ok $? "pdfinfo reads the pdf"
expect_contains "$info" "(A4)" "the pdf is A4"
pages=$(printf '%s\n' "$info" | awk '/^Pages:/ { print $2 }')
[ "${pages:-0}" -ge 2 ]; ok $? "the pdf has its pages ($pages)"
text=$(pdftotext -layout "$tmp/r.pdf" - 2>/dev/null)
expect_contains "$text" "Page 1 of $pages" "the first page is numbered 1 of $pages"
expect_contains "$text" "Page $pages of $pages" "and so is the last"
for title in "Representations received, by kind" "Responses within the deadline" "How late the late responses were" \
             "Findings at each stage" "Equality monitoring of complainants" "Remedies and payments" \
             "Advocacy" "Access needs" "Unreasonably persistent behaviour" "Freezing decisions" \
             "Joint complaints"; do
  expect_contains "$text" "$title" "the pdf has the table: $title"
done
stage1=$(fh_sql "$db" "SELECT count(*) FROM case_stages s JOIN cases c ON c.id = s.case_id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND s.stage = 1
  AND s.responded_on BETWEEN '2025-12-01' AND '2026-11-30'")
expect_contains "$text" "$within on time, $(( stage1 - within - $(fh_sql "$db" "SELECT count(*) FROM case_stages s JOIN cases c ON c.id = s.case_id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'bct' AND s.stage = 1 AND s.due_on IS NULL
  AND s.responded_on BETWEEN '2025-12-01' AND '2026-11-30'") )) late" "the on-time chart labels stage 1 with the counts"
expect_contains "$text" "adjudicator@bct.demo" "the full pdf names officers"

# --- anonymised ---------------------------------------------------------------
for f in html csv xlsx pdf; do
  run "$fh" report "${base[@]}" --format $f --anonymised --out "$tmp/anon.$f"; expect_rc 0 "anonymised $f"
  case $f in
    xlsx) unzip -p "$tmp/anon.xlsx" > "$tmp/anon.$f.txt" ;;
    pdf) pdftotext "$tmp/anon.pdf" "$tmp/anon.$f.txt" ;;
    *) cp "$tmp/anon.$f" "$tmp/anon.$f.txt" ;;
  esac
  ! grep -Eq '[A-Za-z0-9._-]+@[A-Za-z0-9-]+\.demo' "$tmp/anon.$f.txt"; ok $? "anonymised $f has no demo email address"
  ! grep -q 'alert' "$tmp/anon.$f.txt"; ok $? "anonymised $f quotes no case summary"
  ! grep -Eq 'Test Person' "$tmp/anon.$f.txt"; ok $? "anonymised $f names no complainant"
  case $f in html|xlsx) small='&lt;5' ;; *) small='<5' ;; esac
  grep -q "$small" "$tmp/anon.$f.txt"; ok $? "anonymised $f suppresses small counts"
done
! grep -q '<sheet name="officers"' <(unzip -p "$tmp/anon.xlsx" xl/workbook.xml); ok $? "anonymised xlsx has no officers sheet"
! grep -q 'table,officers' "$tmp/anon.csv"; ok $? "anonymised csv has no officers table"
grep -q ',\*' "$tmp/anon.csv"; ok $? "anonymised csv hides cells that would give a <5 away (*)"
grep -q 'adjudicator@bct.demo' "$tmp/r.csv"; ok $? "the full csv does name officers"
# Every count of 1 to 4 in the anonymised csv's count columns is gone.
n=$(tr -d '\r' < "$tmp/anon.csv" | awk -F, '/^table,/ { skip = ($2 == "late"); next }
  !skip && $1 != "from" && $1 != "to" { for (i = 2; i <= NF; i++) if ($i ~ /^[1-4]$/) c++ } END { print c + 0 }')
expect_eq "$n" "0" "anonymised csv: no count of 1 to 4 is left"
# Equality monitoring is suppressed even in the full version (DOMAIN §9).
n=$(tr -d '\r' < "$tmp/r.csv" | awk -F, '/^table,/ { on = ($2 == "equality"); next } on && $3 ~ /^[1-4]$/ { c++ } END { print c + 0 }')
expect_eq "$n" "0" "full csv: equality counts of 1 to 4 are suppressed too"
grep -q 'Equality monitoring' "$tmp/anon.html"; ok $? "the anonymised html keeps the equality profile"
# A small organisation's half year: every month is 1 to 4, so the chart must
# not give the numbers away through its axis either.
run "$fh" report --db "$db" --org bccc --from 2026-01-01 --to 2026-06-30 --format html --anonymised --out -
expect_rc 0 "anonymised html for a small organisation"
! printf '%s' "$out" | grep -Eq '<text x="2" y="20">[1-4]</text>'; ok $? "the trend's axis does not show a small maximum"
expect_contains "$out" '<text x="2" y="20">5</text>' "the axis starts at 5 instead"

# --- presets: weekly, quarterly, annual (001 §4.3) -----------------------------
run "$fh" report --db "$db" --org bct --period quarter --on 2026-08-15 --format csv --out -
expect_rc 0 "a quarterly report"
expect_contains "$out" $'from,2026-07-01\r\nto,2026-09-30' "the quarter holding 2026-08-15"
run "$fh" report --db "$db" --org bct --period year --on 2026-02-01 --format csv --out -
expect_contains "$out" $'from,2025-04-01\r\nto,2026-03-31' "the financial year holding 2026-02-01"
run "$fh" report --db "$db" --org bct --period week --format csv --out -
expect_contains "$out" $'from,2026-11-23\r\nto,2026-11-29' "this week (FAIRHEARING_TODAY 2026-11-23, a Monday)"

# --- a team, and a Head of Service's service area ----------------------------
run "$fh" report "${base[@]}" --team Fostering --format csv --out -; expect_rc 0 "one team"
expect_contains "$out" "team,Fostering" "the team is named in the report"
run "$fh" report "${base[@]}" --team "Children in Care" --format html --out /dev/null; expect_rc 0 "one service area"

# --- the annual report (issue 19 item 3): the Code's procedure beside the ------
# statutory ones, the same formats and the same rules for the command line
ann=(--db "$db" --org example --kind annual --from 2026-04-01 --to 2027-03-31)
run "$fh" report --help; expect_contains "$out" "--kind K" "help names --kind"
expect_contains "$out" "annual complaints performance" "help says what the annual report is"
refuse "an unknown kind" "unknown --kind 'yearly'" --db "$db" --org example --kind yearly --from 2026-04-01 --to 2027-03-31 --format csv --out -
refuse "a team with the annual report" "--team does not go with --kind annual" "${ann[@]}" --team Assessment --format csv --out -
run "$fh" report "${ann[@]}" --format csv --out "$tmp/a.csv"; expect_rc 0 "annual csv"
acsv=$(tr -d '\r' < "$tmp/a.csv")
expect_contains "$acsv" "title,Annual complaints performance and service improvement report" "annual csv: its title"
for t in annual_received annual_timescales annual_extensions annual_outcomes annual_learning \
         annual_ombudsman annual_remedies annual_improvements annual_extension_list; do
  expect_contains "$acsv" "table,$t," "annual csv has the $t section"
done
# issue 19 item 3: complaints at Stage 1 under the Code = the cases of the
# council's copy of the Code received in the period, counted directly
code=$(fh_sql "$db" "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'example' AND c.kind = 'complaint' AND c.route = 'non_statutory'
  AND c.procedure_code IN (SELECT procedure_code FROM organisation_procedures
    WHERE org_id = o.id AND based_on = 'lgsco-code')
  AND c.received_on BETWEEN '2026-04-01' AND '2027-03-31'")
stat=$(fh_sql "$db" "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'example' AND c.kind = 'complaint' AND c.route = 'statutory'
  AND c.received_on BETWEEN '2026-04-01' AND '2027-03-31'")
[ "$code" -gt 0 ]; ok $? "the demo has complaints under the Code ($code)"
expect_eq "$(printf '%s\n' "$acsv" | awk -F, '/^table,annual_received,/ { on = 1; next } on && $1 == "Stage 1" { print $2 "," $3; exit }')" \
  "$code,$stat" "annual csv: Stage 1 complaints under the Code and statutory match direct counts"
# LGSCO Code §6.3: Stage 1 answered in time under the Code, from each case's
# own response clock (its due date as the lifecycle document holds it)
intime=$(fh_sql "$db" "SELECT count(*) FROM case_stages s JOIN cases c ON c.id = s.case_id
  JOIN organisations o ON o.id = c.org_id WHERE o.code = 'example' AND s.stage = 1
  AND c.route = 'non_statutory' AND c.procedure_code IN (SELECT procedure_code FROM
    organisation_procedures WHERE org_id = o.id AND based_on = 'lgsco-code')
  AND s.responded_on BETWEEN '2026-04-01' AND '2027-03-31' AND s.responded_on <= s.due_on")
expect_eq "$(printf '%s\n' "$acsv" | awk -F, '/^table,annual_timescales,/ { on = 1; next } on && $1 == "Stage 1" && $2 == "Complaint Handling Code" { print $7; exit }')" \
  "$intime" "annual csv: Stage 1 answered in time under the Code matches the stages' due dates (LGSCO Code §6.3)"
run "$fh" report "${ann[@]}" --format html --out "$tmp/a.html"; expect_rc 0 "annual html"
ahtml=$(cat "$tmp/a.html")
expect_contains "$ahtml" "<h1>Example Council: Annual complaints performance and service improvement report</h1>" "annual html: its heading"
expect_contains "$ahtml" 'id="chart-ontime"' "annual html: the chart of answers in time"
expect_contains "$ahtml" "Stage 1, Complaint Handling Code" "annual html: the chart puts the Code beside the statutory procedure"
expect_contains "$ahtml" "Stage 1, Statutory (children" "annual html: and the statutory bar"
expect_contains "$ahtml" "cannot show compliance" "annual html: says what the records cannot show (the Ombudsman's remedies)"
! grep -q "compared with" "$tmp/a.html"; ok $? "annual html: no previous-period comparison"
run "$fh" report "${ann[@]}" --format pdf --out "$tmp/a.pdf"; expect_rc 0 "annual pdf"
atext=$(pdftotext -layout "$tmp/a.pdf" - 2>/dev/null)
expect_contains "$atext" "Example Council: Annual complaints" "annual pdf: its title"
expect_contains "$atext" "Acknowledged and answered within the timescales" "annual pdf: the timescales table"
run "$fh" report "${ann[@]}" --format xlsx --out "$tmp/a.xlsx"; expect_rc 0 "annual xlsx"
expect_contains "$(unzip -p "$tmp/a.xlsx" xl/sharedStrings.xml)" "Annual complaints performance" "annual xlsx: the About sheet's title"
run "$fh" report "${ann[@]}" --format csv --anonymised --out -; expect_rc 0 "annual csv, anonymised"
! printf '%s' "$out" | grep -q 'table,annual_improvements'; ok $? "anonymised annual csv leaves out the learning list"
! printf '%s' "$out" | grep -Eq '[A-Za-z0-9._-]+@[A-Za-z0-9-]+\.demo'; ok $? "anonymised annual csv has no email address"

done_testing
