#!/usr/bin/env bash
# fairhearing import: a spreadsheet's CSV (BOM, CRLF, quoted commas and line
# breaks, British dates) becomes cases with their own references, dates and
# deadlines; a file with bad rows is refused whole, every bad row reported
# (row, column, reason); malformed CSV, bad headers and bad command lines.
# usage: test_import_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-import-XXXXXX)
trap 'fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23
db=$(fh_db import)
fh_demo "$fh" "$db" "$FAIRHEARING_TODAY" || { echo "Bail out! init failed"; exit 1; }
q() { fh_sql "$db" "$1"; }

# --- a good file, as Excel saves "CSV UTF-8" -------------------------------------
{
  printf '\xEF\xBB\xBF'
  printf 'Reference,Received On,Kind,Channel,Summary,Details,Complainant Given Name,Complainant Family Name,Relationship,Child Status,Child Given Name,Child Family Name,Points,Desired Outcomes\r\n'
  printf 'BCT-2019-00042,03/04/2019,complaint,letter,"Contact cancelled, twice","She said ""not again"".\r\nThen it was.",Amira,Khan,parent,looked_after,Yusuf,Khan,"Contact was cancelled\nCalls were not returned","A contact plan\nA call back"\r\n'
  printf 'BCT-2019-00107,2019-06-10,compliment,email,Thank you to the team,,Jo,Bloggs,,,,,,\r\n'
  printf 'bct-2020-00003,15/01/2020,complaint,phone,Late review,,Sam,Taylor,self,care_leaver,,,Review was late,\r\n'
} >"$tmp/good.csv"
cases_before=$(q 'SELECT count(*) FROM cases')
run "$fh" import --db "$db" --org bct "$tmp/good.csv"
expect_rc 0 "a spreadsheet's CSV imports"
expect_contains "$out" "imported 3 cases into bct" "and says how many"
expect_eq "$(q 'SELECT count(*) FROM cases')" "$((cases_before + 3))" "three cases more"
expect_eq "$(q "SELECT received_on FROM cases WHERE reference = 'BCT-2019-00042'")" 2019-04-03 "the original reference and date (DD/MM/YYYY read as British)"
expect_eq "$(q "SELECT count(*) FROM cases WHERE reference = 'BCT-2020-00003'")" 1 "a lower-case reference is kept in its canonical form"
expect_eq "$(q "SELECT summary FROM cases WHERE reference = 'BCT-2019-00042'")" "Contact cancelled, twice" "a quoted comma stays in its field"
expect_contains "$(q "SELECT details FROM cases WHERE reference = 'BCT-2019-00042'")" 'She said "not again".' "doubled quotes are one quote"
expect_contains "$(q "SELECT details FROM cases WHERE reference = 'BCT-2019-00042'")" $'\nThen it was.' "a line break inside a field is kept"
expect_eq "$(fh_list "$db" "SELECT p.summary || '=' || p.desired_outcome FROM complaint_points p JOIN cases c ON c.id = p.case_id WHERE c.reference = 'BCT-2019-00042' ORDER BY p.seq" '|')" \
  "Contact was cancelled=A contact plan|Calls were not returned=A call back" "points and their outcomes, one per line"
expect_eq "$(fh_list "$db" "SELECT cp.role || ':' || p.family_name || ':' || coalesce(cp.child_status, '') FROM case_parties cp JOIN people p ON p.id = cp.person_id JOIN cases c ON c.id = cp.case_id WHERE c.reference = 'BCT-2019-00042' ORDER BY cp.id" ' ')" \
  "complainant:Khan: child:Khan:looked_after" "the complainant and the child they speak for"
ack=$("$fh" calendar add --db "$db" 2019-04-03 2)
expect_eq "$(q "SELECT d.due_on FROM case_deadlines d JOIN cases c ON c.id = d.case_id WHERE c.reference = 'BCT-2019-00042' AND d.clock = 'acknowledge'")" "$ack" \
  "its acknowledgement deadline is computed from the procedure and calendar (2 working days after receipt)"
expect_eq "$(q "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.reference LIKE 'BCT-2019-%' AND e.action = 'recorded' AND e.data LIKE '%\"imported\":true%'")" 2 "each is recorded with an event that says it was imported"
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies after the import"
run "$fh" case add --db "$db" --org bct --kind compliment --channel email --received 2019-07-01 --summary "Later" --complainant "Al Bee"
expect_rc 0 "a case recorded afterwards for 2019"
expect_contains "$out" "BCT-2019-00108" "is numbered after the imported ones, never on top of them"

# --- a file with bad rows: all reported, nothing written ----------------------------
{
  printf 'reference,received_on,kind,channel,summary,complainant_family_name\n'
  printf 'BCT-2018-00001,2018-02-01,complaint,letter,Fine row,Ok\n'          # row 2: fine
  printf 'BCT-2018-00002,31/02/2018,complaint,letter,Bad date,Ok\n'          # row 3
  printf 'BCT-2018-00003,2018-03-01,grumble,letter,Bad kind,Ok\n'            # row 4
  printf 'BCP-2018-00004,2018-03-01,complaint,letter,Other org,Ok\n'         # row 5
  printf 'BCT-2017-00005,2018-03-01,complaint,letter,Wrong year,Ok\n'        # row 6
  printf 'BCT-2018-00001,2018-03-02,complaint,letter,Twice in file,Ok\n'     # row 7
  printf 'BCT-2019-00042,2019-03-02,complaint,letter,Exists already,Ok\n'    # row 8
  printf 'BCT-2018-00009,2018-03-02,complaint,letter\n'                      # row 9
  printf 'BCT-2030-00010,2030-01-01,complaint,letter,In the future,Ok\n'     # row 10
  printf 'BCT-2018-00011,2018-03-02,complaint,fax,Bad channel,Ok\n'          # row 11
} | sed 's/ *#.*//' >"$tmp/bad.csv"
events_before=$(q 'SELECT count(*) FROM events'); cases_before=$(q 'SELECT count(*) FROM cases')
run "$fh" import --db "$db" --org bct "$tmp/bad.csv"
expect_rc 2 "a file with bad rows is refused"
expect_contains "$err" "row 3: received_on: '31/02/2018' is not a date" "an impossible date: row and column"
expect_contains "$err" "row 4: kind:" "an unknown kind"
expect_contains "$err" "row 5: reference: 'BCP-2018-00004' does not begin with bct's prefix BCT-" "another organisation's reference"
expect_contains "$err" "row 6: reference: 'BCT-2017-00005' is of 2017 but received_on is in 2018" "a reference of another year"
expect_contains "$err" "row 7: reference: BCT-2018-00001 is also on an earlier row" "a reference twice in the file"
expect_contains "$err" "row 8: reference: BCT-2019-00042 exists already" "a reference that exists (a collision)"
expect_contains "$err" "row 9: row: has 4 fields but the header names 6 columns" "a short row"
expect_contains "$err" "row 10: received_on:" "a date in the future"
expect_contains "$err" "row 11: channel:" "an unknown channel"
expect_contains "$err" "9 rows rejected; nothing was imported" "the count, and that nothing was imported"
case "$err" in *"row 2:"*) ok 1 "the good row is not reported" ;; *) ok 0 "the good row is not reported" ;; esac
expect_eq "$(q 'SELECT count(*) FROM cases')" "$cases_before" "no case was written"
expect_eq "$(q 'SELECT count(*) FROM events')" "$events_before" "no event was written"
expect_eq "$(q "SELECT count(*) FROM reference_counters r JOIN organisations o ON o.id = r.org_id WHERE o.code = 'bct' AND r.year = 2018")" 0 "no reference counter moved"

# --- files that are not a usable CSV -------------------------------------------------
printf 'reference,received_on,kind,channel,summary\nBCT-2018-00001,2018-02-01,complaint,letter,"never closed\n' >"$tmp/open.csv"
run "$fh" import --db "$db" --org bct "$tmp/open.csv"
expect_rc 2 "an unterminated quoted field"
expect_contains "$err" "line 3: a quoted field is never closed (opened on line 2)" "names the line"
printf 'reference,received_on,kind,channel,summary,colour\nBCT-2018-00001,2018-02-01,complaint,letter,x,red\n' >"$tmp/colour.csv"
run "$fh" import --db "$db" --org bct "$tmp/colour.csv"
expect_rc 2 "an undocumented column"
expect_contains "$err" "column 6 'colour' is not one of the documented columns" "is named"
printf 'reference,received_on,kind,summary\nBCT-2018-00001,2018-02-01,complaint,x\n' >"$tmp/nochannel.csv"
run "$fh" import --db "$db" --org bct "$tmp/nochannel.csv"
expect_rc 2 "a required column missing"
expect_contains "$err" "the required column 'channel' is missing" "is named"
printf 'reference,received_on,kind,channel,summary\n' >"$tmp/empty.csv"
run "$fh" import --db "$db" --org bct "$tmp/empty.csv"
expect_rc 2 "a header and no rows"
run "$fh" import --db "$db" --org bct "$tmp/missing.csv"; expect_rc 2 "a missing file"
run "$fh" import --db "$db" "$tmp/good.csv"; expect_rc 2 "no --org"
run "$fh" import --db "$db" --org nowhere "$tmp/good.csv"; expect_rc 2 "an unknown organisation"
run "$fh" import --org bct "$tmp/good.csv"; expect_rc 2 "no --db"
run "$fh" import --help; expect_rc 0 "import --help"
expect_contains "$out" "docs/import.md" "--help points to the column documentation"

# --- the progress bar: on a terminal only ----------------------------------------------
{
  printf 'reference,received_on,kind,channel,summary,complainant_family_name\n'
  for i in $(seq 1 300); do printf 'BCT-2017-%05d,2017-05-02,compliment,email,Thanks %d,Person%d\n' "$i" "$i" "$i"; done
} >"$tmp/many.csv"
tty=$(fh_db tty)
fh_db_copy "$db" "$tty"
run "$fh" import --db "$db" --org bct "$tmp/many.csv"
expect_rc 0 "300 rows import"
case "$err" in *"["*"]"*) ok 1 "no progress bar when stderr is not a terminal" ;; *) ok 0 "no progress bar when stderr is not a terminal" ;; esac
script -qec "$fh import --db '$tty' --org bct $tmp/many.csv" /dev/null >"$tmp/tty.out" 2>&1
expect_contains "$(tr '\r' '\n' <"$tmp/tty.out")" "importing [########################################] 300/300" "a progress bar on a terminal"
expect_eq "$(fh_sql "$tty" "SELECT count(*) FROM cases WHERE reference LIKE 'BCT-2017-%'")" 300 "and the same import"

done_testing
