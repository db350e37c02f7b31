#!/usr/bin/env bash
# fairhearing calendar, as an administrator and a script meet it: the pinned
# forms of issue 3 (add, between, holidays, import, closure), their exit codes
# and their messages.  Dates are worked out against DOMAIN §3's counting
# convention (day 1 is the first working day after DATE).
# usage: test_calendar_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../data" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-cal-XXXXXX)
trap 'fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23

lines() { if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l | tr -d ' '; fi; }

# --- help --------------------------------------------------------------------
run "$fh" calendar --help; expect_rc 0 "calendar --help"
expect_contains "$out" "usage:" "calendar --help prints usage on stdout"
for sub in add between holidays import closure; do
  run "$fh" calendar $sub --help; expect_rc 0 "calendar $sub --help"
  expect_contains "$out" "fairhearing calendar $sub" "calendar $sub --help shows its form"
done
run "$fh" calendar; expect_rc 2 "calendar without a subcommand"
run "$fh" calendar frob; expect_rc 2 "an unknown subcommand"
expect_contains "$err" "no subcommand 'frob'" "the unknown subcommand is named"

# --- add -----------------------------------------------------------------------
run "$fh" calendar add --unit working-days -- 2027-01-06 -10; expect_rc 0 "add with -- and a negative N"
expect_eq "$out" "2026-12-18" "10 working days before 2027-01-06 skip Christmas and New Year"
run "$fh" calendar add 2027-01-06 -10; expect_eq "$out" "2026-12-18" "a negative N also works without options"
run "$fh" calendar add 2026-11-06 10; expect_eq "$out" "2026-11-20" "001 B Stage 1: 10 WD from Friday 6 November 2026"
run "$fh" calendar add 2026-11-07 1; expect_eq "$out" "2026-11-09" "DOMAIN §3: day 1 after a Saturday is the Monday"
run "$fh" calendar add 2026-12-23 5; expect_eq "$out" "2027-01-04" "a span over Christmas, Boxing Day substitute and New Year"
run "$fh" calendar add 2026-11-06 0; expect_eq "$out" "2026-11-06" "N = 0 is the date itself"
run "$fh" calendar add --unit weeks 2026-12-01 4; expect_eq "$out" "2026-12-29" "003: 4 weeks are 28 calendar days"
run "$fh" calendar add --unit calendar-days 2024-02-28 2; expect_eq "$out" "2024-03-01" "calendar days over a leap day"
run "$fh" calendar add --region england-and-wales 2024-02-28 1; expect_eq "$out" "2024-02-29" "a leap day is a working day"
run "$fh" calendar add 2026-12-01 65; expect_eq "$out" "2027-03-05" "001 B Stage 2: the 65 WD maximum from 1 December 2026"

run "$fh" calendar add 2026-02-30 3; expect_rc 2 "an impossible date"
expect_eq "$(lines "$err")" "1" "an impossible date: one line on stderr"
expect_contains "$err" "'2026-02-30' is not a date" "the impossible date is named"
expect_eq "$out" "" "nothing on stdout after a refusal"
run "$fh" calendar add 2026-02-03 ten; expect_rc 2 "a non-number"
expect_eq "$(lines "$err")" "1" "a non-number: one line on stderr"
expect_contains "$err" "'ten' is not a whole number" "the non-number is named"
run "$fh" calendar add 2026-02-03 3x; expect_rc 2 "a number with junk after it"
run "$fh" calendar add 2026-02-03 99999999999999999999; expect_rc 2 "a number too large"
run "$fh" calendar add 1979-12-31 1; expect_rc 2 "a date before 1980"
expect_contains "$err" "1980-01-01..2099-12-31" "the range is stated"
run "$fh" calendar add 2099-12-31 1; expect_rc 2 "an answer after 2099"
expect_eq "$(lines "$err")" "1" "an answer out of range: one line on stderr"
run "$fh" calendar add 2026-1-5 1; expect_rc 2 "a date not in YYYY-MM-DD form"
run "$fh" calendar add --unit fortnights 2026-01-05 1; expect_rc 2 "an unknown unit"
expect_contains "$err" "working-days, weeks or calendar-days" "the units are listed"
run "$fh" calendar add --unit; expect_rc 2 "--unit without a value"
run "$fh" calendar add --colour red 2026-01-05 1; expect_rc 2 "an unknown option"
run "$fh" calendar add 2026-01-05; expect_rc 2 "add with one argument"
expect_contains "$err" "usage:" "a malformed command line shows the usage"
run "$fh" calendar add 2026-01-05 1 2; expect_rc 2 "add with three arguments"
run "$fh" calendar add --region atlantis 2026-01-05 1; expect_rc 2 "an unknown region"
expect_contains "$err" "atlantis" "the unknown region is named"
run "$fh" calendar add --org bct 2026-01-05 1; expect_rc 2 "--org without --db"

# --- between ---------------------------------------------------------------------
run "$fh" calendar between 2026-12-23 2027-01-04; expect_rc 0 "between"
expect_eq "$out" "5" "working days after D1 up to and including D2"
run "$fh" calendar between 2027-01-04 2026-12-23; expect_eq "$out" "-5" "reversed, the count is negative"
run "$fh" calendar between 2026-11-06 2026-11-06; expect_eq "$out" "0" "the same day is 0"
run "$fh" calendar between 2026-11-07 2026-11-08; expect_eq "$out" "0" "a weekend holds no working days"
run "$fh" calendar between 2023-12-31 2024-12-31; expect_eq "$out" "254" "a leap year: 262 weekdays less 8 bank holidays"
run "$fh" calendar between 2026-12-23 2026-13-01; expect_rc 2 "between with a bad date"
expect_eq "$(lines "$err")" "1" "between: one line on stderr"
run "$fh" calendar between 2026-12-23; expect_rc 2 "between with one date"

# --- holidays --------------------------------------------------------------------
run "$fh" calendar holidays 2022; expect_rc 0 "holidays"
expect_eq "$(lines "$out")" "10" "2022 has ten bank holidays"
expect_contains "$out" "2022-06-03 Platinum Jubilee bank holiday" "the Platinum Jubilee"
expect_contains "$out" "2022-09-19 Bank Holiday for the State Funeral of Queen Elizabeth II" "the State Funeral"
expect_contains "$out" "2022-12-27 Christmas Day (substitute day)" "Christmas on a Sunday moves to Tuesday"
run "$fh" calendar holidays 1981; expect_contains "$out" "1981-07-29 Wedding of Prince Charles and Lady Diana Spencer" "1981 royal wedding"
run "$fh" calendar holidays 1999; expect_contains "$out" "1999-12-31 Millennium Day" "1999 Millennium day"
run "$fh" calendar holidays --region england-and-wales 2099; expect_rc 0 "the last year"
expect_eq "$(printf '%s\n' "$out" | head -1)" "2099-01-01 New Year’s Day" "2099 begins with New Year's Day"
run "$fh" calendar holidays 1980; expect_rc 0 "the first year"
run "$fh" calendar holidays 1979; expect_rc 2 "a year before 1980"
expect_eq "$(lines "$err")" "1" "a year out of range: one line on stderr"
expect_contains "$err" "1980..2099" "the years are stated"
run "$fh" calendar holidays 2100; expect_rc 2 "a year after 2099"
run "$fh" calendar holidays twenty; expect_rc 2 "a year that is not a number"
# every year of the GOV.UK feed, as printed, matches the feed's dates
for y in 2019 2020 2021 2022 2023 2024 2025 2026 2027; do
  run "$fh" calendar holidays $y
  got=$(printf '%s\n' "$out" | cut -c1-10 | tr '\n' ' ')
  want=$(awk '/"england-and-wales"/{e=1} /"scotland"/{e=0} e && /"date"/' "$data/bank-holidays.json" \
         | grep -o "\"$y-[0-9-]*\"" | tr -d '"' | tr '\n' ' ')
  expect_eq "$got" "$want" "holidays $y match the GOV.UK feed"
done

# --- import ------------------------------------------------------------------------
db=$(fh_db t)
# the demo database of tests/run.sh's cache (fh_demo): init --demo itself is test_cli's
fh_demo "$fh" "$db" "$FAIRHEARING_TODAY"; ok $? "a demo database to import into"
count() { fh_sql "$db" "SELECT count(*) FROM imported_holidays"; }
run "$fh" calendar import "$data/bank-holidays.json"; expect_rc 2 "import without --db"
run "$fh" calendar import --db "$db" "$data/bank-holidays.json"; expect_rc 0 "import the GOV.UK feed"
expect_contains "$out" "imported 75 bank holidays for england-and-wales (2019..2027)" "import reports each division"
expect_eq "$(count)" "252" "all three divisions are stored"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'calendar_imported' AND org_id IS NULL AND case_id IS NULL")" "3" "one audit event per division"
run "$fh" calendar import --db "$db" "$data/bank-holidays.json"; expect_rc 0 "importing again replaces, not duplicates"
expect_eq "$(count)" "252" "still 252 rows"

# a bad entry anywhere: nothing at all is stored
sed 's/"2027-12-28"/"2027-02-30"/' "$data/bank-holidays.json" > "$tmp/bad-date.json"
fh_sql "$db" "DELETE FROM imported_holidays"
run "$fh" calendar import --db "$db" "$tmp/bad-date.json"; expect_rc 2 "an impossible date in the file"
expect_contains "$err" "'2027-02-30' is not a date" "the bad entry is named"
expect_eq "$(lines "$err")" "1" "import: one line on stderr"
expect_eq "$(count)" "0" "all or nothing: the valid divisions were not stored"
sed 's/"2019-01-02"/"2019-01-05"/' "$data/bank-holidays.json" > "$tmp/weekend.json"
run "$fh" calendar import --db "$db" "$tmp/weekend.json"; expect_rc 2 "a weekend date in the file"
expect_contains "$err" "weekend" "the weekend day is refused with a reason"
printf '{"england-and-wales": {"events": [{"title": "", "date": "2030-01-01"}]}}' > "$tmp/untitled.json"
run "$fh" calendar import --db "$db" "$tmp/untitled.json"; expect_rc 2 "an entry without a title"
printf '{"england-and-wales": {"events": [{"title": "A", "date": "2030-01-01"}, {"title": "B", "date": "2030-01-01"}]}}' > "$tmp/twice.json"
run "$fh" calendar import --db "$db" "$tmp/twice.json"; expect_rc 2 "a date named twice"
printf '{"england-and-wales": {"events": [{"title": "A", "date": "2100-01-01"}]}}' > "$tmp/late.json"
run "$fh" calendar import --db "$db" "$tmp/late.json"; expect_rc 2 "a date after 2099"
printf 'not json' > "$tmp/junk.json"
run "$fh" calendar import --db "$db" "$tmp/junk.json"; expect_rc 2 "a file that is not JSON"
run "$fh" calendar import --db "$db" "$tmp/missing.json"; expect_rc 2 "a missing file"
printf '[1, 2]' > "$tmp/array.json"
run "$fh" calendar import --db "$db" "$tmp/array.json"; expect_rc 2 "JSON of the wrong shape"
expect_eq "$(count)" "0" "no refused import stored anything"

# an import replaces the computed holidays of the years it covers, and only those
run "$fh" calendar import --db "$db" "$data/bank-holidays.json"; expect_rc 0 "the feed again"
printf '{"england-and-wales": {"division": "england-and-wales", "events": [{"title": "New Year’s Day", "date": "2030-01-01", "notes": "", "bunting": true}, {"title": "A newly announced holiday", "date": "2030-06-03", "notes": "", "bunting": true}]}}' > "$tmp/2030.json"
run "$fh" calendar import --db "$db" "$tmp/2030.json"; expect_rc 0 "a list for 2030 alone"
expect_eq "$(count)" "254" "the feed's years are kept"
run "$fh" calendar add --db "$db" 2030-05-31 1; expect_eq "$out" "2030-06-04" "an imported holiday counts with --db"
run "$fh" calendar add 2030-05-31 1; expect_eq "$out" "2030-06-03" "and not without it"
run "$fh" calendar between --db "$db" 2030-12-24 2030-12-27; expect_eq "$out" "3" "2030's computed Christmas is replaced by the import"
run "$fh" audit verify --db "$db"; expect_rc 0 "the audit chain verifies after the imports"

# --- closure days --------------------------------------------------------------------
run "$fh" calendar closure add --db "$db" --org bct 2026-12-24 "Christmas shutdown"; expect_rc 0 "closure add"
expect_contains "$out" "2026-12-24" "closure add names the day"
run "$fh" calendar closure add --db "$db" --org bct 2026-12-29; expect_rc 0 "closure add without a reason"
run "$fh" calendar closure add --db "$db" --org bct 2026-12-24 again; expect_rc 2 "a closure day twice"
expect_contains "$err" "already a closure day" "the repeat is refused with a reason"
run "$fh" calendar closure list --db "$db" --org bct; expect_rc 0 "closure list"
expect_eq "$out" "$(printf '2026-12-24 Christmas shutdown\n2026-12-29')" "closure list prints date and reason"
run "$fh" calendar add --db "$db" --org bct 2026-12-23 2; expect_eq "$out" "2026-12-31" "the organisation's closure days do not count"
run "$fh" calendar add --db "$db" --org bcp 2026-12-23 2; expect_eq "$out" "2026-12-29" "another organisation's clock is unaffected"
run "$fh" calendar between --db "$db" --org bct 2026-12-23 2027-01-04; expect_eq "$out" "3" "between with closure days"
run "$fh" calendar add --db "$db" --org bct --region scotland 2026-12-23 2; expect_rc 2 "--region contradicting the organisation's"
run "$fh" calendar closure remove --db "$db" --org bct 2026-12-29; expect_rc 0 "closure remove"
run "$fh" calendar closure remove --db "$db" --org bct 2026-12-29; expect_rc 2 "removing a day that is not a closure day"
run "$fh" calendar closure list --db "$db" --org bct; expect_eq "$out" "2026-12-24 Christmas shutdown" "the removed day is gone"
run "$fh" calendar closure add --db "$db" --org nosuch 2026-12-24; expect_rc 2 "an unknown organisation"
expect_contains "$err" "nosuch" "the unknown organisation is named"
run "$fh" calendar closure add --db "$db" --org bct 2026-12-32; expect_rc 2 "closure add with an impossible date"
run "$fh" calendar closure add --db "$db" 2026-12-24; expect_rc 2 "closure add without --org"
run "$fh" calendar closure frob --db "$db" --org bct; expect_rc 2 "an unknown closure verb"
run "$fh" calendar closure list --db "$db" --org bct 2026-12-24; expect_rc 2 "closure list takes no date"
expect_eq "$(fh_list "$db" "SELECT action FROM events e JOIN organisations o ON o.id = e.org_id WHERE o.code = 'bct' AND action LIKE 'closure%' ORDER BY e.id")" \
  "closure_day_added,closure_day_added,closure_day_removed" "each closure change has its audit event"
run "$fh" audit verify --db "$db"; expect_rc 0 "the audit chain verifies after closure changes"

done_testing
