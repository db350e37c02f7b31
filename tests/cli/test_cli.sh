#!/usr/bin/env bash
# The command line as a user meets it: help, errors and exit codes, init,
# recording and reading cases, the demo data and the audit chain.
# usage: test_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
tmp=$(mktemp -d /tmp/fh-cli-XXXXXX)
trap 'fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23
db=$(fh_db t)

# --- help and errors -------------------------------------------------------
run "$fh" --help;          expect_rc 0 "--help"; expect_contains "$out" "usage: fairhearing" "--help shows usage"
for c in init case calendar audit; do expect_contains "$out" "  $c " "--help lists $c"; done
run "$fh" --version;       expect_rc 0 "--version"; expect_contains "$out" "fairhearing 0." "--version prints the version"
run "$fh";                 expect_rc 2 "no command"; expect_contains "$err" "usage:" "no command shows usage"
run "$fh" frobnicate;      expect_rc 2 "unknown command"
expect_contains "$err" "no command 'frobnicate'" "unknown command is named"
expect_eq "$(printf '%s\n' "$err" | wc -l)" "2" "unknown command: one line of reason, one of usage"
run "$fh" --frob;          expect_rc 2 "unknown option"
for c in init case audit calendar; do
  run "$fh" $c --help; expect_rc 0 "$c --help"; expect_contains "$out" "usage:" "$c --help shows usage"
done
run "$fh" help case;       expect_rc 0 "help case"; expect_contains "$out" "case add" "help case describes case add"
run "$fh" case list --help; expect_rc 0 "case list --help"
run "$fh" init;            expect_rc 2 "init without --db"; expect_contains "$err" "--db PATH is required" "init names the missing --db"
run "$fh" init --db;       expect_rc 2 "init --db without a value"; expect_contains "$err" "needs a value" "a missing value is named"
run "$fh" init --db "$db" extra; expect_rc 2 "init with a stray argument"
run "$fh" case frob --db "$db"; expect_rc 2 "unknown case subcommand"

# --- init ------------------------------------------------------------------
run "$fh" init --db "$db"; expect_rc 0 "init creates a database"
expect_contains "$out" "schema version" "init reports the schema version"
fh_db_exists "$db"; ok $? "the database exists"
run "$fh" init --db "$db"; expect_rc 0 "init again upgrades nothing and succeeds"

if fh_pg; then
  why="a file that is not a database is a SQLite matter (PostgreSQL: another program's database, below)"
  skip "init refuses a file that is not a database" "$why"
  skip "the refusal says why" "$why"
  skip "the refused file is unchanged" "$why"
else
  printf 'name,age\nAmira,14\n' > "$tmp/not.db"
  run "$fh" init --db "$tmp/not.db"; expect_rc 2 "init refuses a file that is not a database"
  expect_contains "$err" "not a Fairhearing database" "the refusal says why"
  expect_eq "$(cat "$tmp/not.db")" "$(printf 'name,age\nAmira,14')" "the refused file is unchanged"
fi

other=$(fh_db other)
fh_db_create "$other"
fh_sql "$other" "CREATE TABLE invoices (id INTEGER)"
run "$fh" case list --db "$other"; expect_rc 2 "another program's database is refused"
run "$fh" init --db "$other"; expect_rc 2 "and init will not take it over"
expect_eq "$(fh_tables "$other")" "invoices" "and left as it was"

newer=$(fh_db newer)
fh_db_copy "$db" "$newer"
fh_sql "$newer" "INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01T00:00:00Z')"
run "$fh" case list --db "$newer"; expect_rc 2 "a database from a newer Fairhearing is refused"
expect_contains "$err" "newer Fairhearing" "the refusal names the newer version"
missing=$(fh_db missing)
run "$fh" case list --db "$missing"; expect_rc 2 "a missing database is refused"
expect_contains "$err" "fairhearing init" "and the user is told how to create one"
! fh_db_exists "$missing"; ok $? "no database is created by a read"

# --- cases -----------------------------------------------------------------
run "$fh" case add --db "$db" --org bct --kind complaint --channel phone --received 2026-11-20 \
  --summary "Sibling contact cancelled" --complainant "Amira Khan" --relationship parent
expect_rc 2 "case add into an unknown organisation"
expect_contains "$err" "org: no organisation with the code 'bct'" "the unknown organisation is named"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM people")" "0" "nothing was written"

demo=$(fh_db demo)
run "$fh" init --db "$demo" --demo
expect_rc 0 "init --demo"
expect_contains "$out" "password for every one: fairhearing-demo" "init --demo prints the demo password"
expect_contains "$out" "complaints@bct.demo" "init --demo prints the sign-in names"
for org in bct bcp bccc example; do
  expect_eq "$(fh_sql "$demo" "SELECT count(DISTINCT r.role) FROM user_roles r JOIN organisations o ON o.id = r.org_id WHERE o.code = '$org'")" \
    "10" "demo: every role has a user in $org"
done
expect_eq "$(fh_sql "$demo" "SELECT count(*) FROM cases")" "360" "demo: 360 cases"
expect_eq "$(fh_sql "$demo" "SELECT count(DISTINCT kind) FROM cases")" "4" "demo: every kind of representation"
expect_eq "$(fh_sql "$demo" "SELECT CASE WHEN min(received_on) >= '2025-05-23' AND max(received_on) <= '2026-11-23' THEN 1 ELSE 0 END FROM cases")" \
  "1" "demo: cases received within the last 18 months"
run "$fh" init --db "$demo" --demo
expect_rc 0 "init --demo twice"; expect_contains "$out" "already loaded; nothing changed" "the second init --demo changes nothing"
expect_eq "$(fh_sql "$demo" "SELECT count(*) FROM cases")" "360" "still 360 cases"
# A second run of init --demo, by another process: the one whose result
# tests/run.sh keeps for the other tests (fh_demo), when there is one.
fh_demo "$fh" "$(fh_db demo2)" 2026-11-23
expect_eq "$(fh_sql "$(fh_db demo2)" "SELECT reference || summary || received_on FROM cases ORDER BY reference" | cksum)" \
  "$(fh_sql "$demo" "SELECT reference || summary || received_on FROM cases ORDER BY reference" | cksum)" \
  "demo data is reproducible"
run "$fh" init --db "$demo" --demo --as-of 2026-02-30; expect_rc 2 "init --as-of with an impossible date"

ddb=$demo
run "$fh" case add --db "$ddb" --org bct --kind complaint --channel phone --received 2026-11-20 \
  --summary "Sibling contact cancelled" --complainant "Amira Khan" --relationship parent \
  --email a.khan@example.org --child "Yusuf Khan" --child-status looked_after \
  --point "Contact with his sister was cancelled twice" --outcome "A contact plan" \
  --point "Calls were not returned" --team Fostering --actor complaints@bct.demo
expect_rc 0 "case add from options"
ref=$out
expect_contains "$ref" "BCT-2026-" "case add prints the new reference"
run "$fh" case show --db "$ddb" "$ref"; expect_rc 0 "case show"
expect_contains "$out" "Sibling contact cancelled" "case show shows the summary"
expect_contains "$out" "consent: not_asked" "a parent's complaint tracks the child's consent (000 \"Friends or relatives\")"
expect_contains "$out" "wants: A contact plan" "case show shows desired outcomes"
run "$fh" case show --db "$ddb" --json "$ref"; expect_rc 0 "case show --json"
expect_contains "$out" '"reference": "'"$ref"'"' "JSON has the reference"
expect_contains "$out" '"action": "recorded"' "JSON has the history"
expect_contains "$out" '"child_status": "looked_after"' "JSON has the child's status"
run "$fh" case show --db "$ddb" BCT-2026-99999; expect_rc 2 "case show of a missing case"
run "$fh" case show --db "$ddb" nonsense; expect_rc 2 "case show of a malformed reference"

before=$(fh_sql "$ddb" "SELECT count(*) || '/' || (SELECT count(*) FROM people) || '/' || (SELECT count(*) FROM events) FROM cases")
run "$fh" case add --db "$ddb" --org bct --kind complaint --channel phone --received 2026-02-30 --summary x --complainant "A B"
expect_rc 2 "an impossible received date"; expect_contains "$err" "received_on" "the bad field is named"
run "$fh" case add --db "$ddb" --org bct --kind complaint --channel phone --received 2026-12-01 --summary x --complainant "A B"
expect_rc 2 "a received date in the future"
run "$fh" case add --db "$ddb" --org bct --kind grumble --channel phone --summary x --complainant "A B"
expect_rc 2 "an unknown kind"; expect_contains "$err" "kind: 'grumble' is not one of" "the vocabulary is explained"
run "$fh" case add --db "$ddb" --org bct --kind complaint --channel phone --complainant "A B"
expect_rc 2 "a missing summary"; expect_contains "$err" "summary: is required" "the missing field is named"
run "$fh" case add --db "$ddb" --org bct --kind complaint --channel phone --summary x --complainant "A B" --team "Nope"
expect_rc 2 "an unknown team"
run "$fh" case add --db "$ddb" --org bct --kind complaint --channel phone --summary x --complainant "A B" --relationship parent --child "C B" --consent not_needed
expect_rc 2 "consent cannot be waived for someone complaining for a child"
expect_contains "$err" "000 \"Friends or relatives\"" "the refusal names its source"
run "$fh" case add --db "$ddb" --org bct --kind complaint --channel phone --summary x --outcome y
expect_rc 2 "--outcome before any --point"
expect_eq "$(fh_sql "$ddb" "SELECT count(*) || '/' || (SELECT count(*) FROM people) || '/' || (SELECT count(*) FROM events) FROM cases")" \
  "$before" "refused cases leave no trace (cases/people/events unchanged)"

cat > "$tmp/case.json" <<'JSON'
{"org": "bcp", "kind": "compliment", "channel": "online_form", "received_on": "2026-11-23",
 "summary": "Thank you to the Through Care team",
 "parties": [{"role": "complainant", "relationship": "self",
              "person": {"given_name": "Ruby", "family_name": "Ali", "email": "ruby@example.org",
                         "equality": {"sex": "Female", "disability": "no"}}}]}
JSON
run "$fh" case add --db "$ddb" --json - < "$tmp/case.json"
expect_rc 0 "case add --json from standard input"; expect_contains "$out" "BCP-2026-" "a BCP reference"
echo '{"org": "bcp", "kind": "compliment", "channel": "email", "summary": "x", "colour": "red"}' > "$tmp/bad.json"
run "$fh" case add --db "$ddb" --json "$tmp/bad.json"; expect_rc 2 "an unknown JSON field"
expect_contains "$err" "colour: is not a known field" "the unknown field is named"
echo '{"org": ' > "$tmp/broken.json"
run "$fh" case add --db "$ddb" --json "$tmp/broken.json"; expect_rc 2 "broken JSON"
expect_contains "$err" "line" "the JSON error gives its line"

run "$fh" case list --db "$ddb" --org bcp --kind compliment --limit 5; expect_rc 0 "case list with filters"
expect_contains "$out" "Thank you to the Through Care team" "the new compliment is listed first"
expect_contains "$err" "5 of " "case list says how many there are"
run "$fh" case list --db "$ddb" --json --limit 2; expect_rc 0 "case list --json"
expect_contains "$out" '"total": 362' "the JSON list gives the total"
# Keyset pages: --after the printed cursor goes on from the last case.
run "$fh" case list --db "$ddb" --org bcp --limit 3; expect_rc 0 "case list, a first page"
first=$out
cursor=$(sed -n 's/^next page: --after //p' <<<"$err")
[ -n "$cursor" ]; ok $? "case list prints the next page's cursor"
run "$fh" case list --db "$ddb" --org bcp --limit 3 --after "$cursor"; expect_rc 0 "case list --after CURSOR"
second=$out
run "$fh" case list --db "$ddb" --org bcp --limit 6
expect_eq "$first"$'\n'"$second" "$out" "the page after the cursor is the next three cases of the list"
run "$fh" case list --db "$ddb" --after 'not a cursor'; expect_rc 2 "case list --after with a malformed cursor"
expect_contains "$err" "--after: 'not a cursor' is not a cursor" "the bad cursor is named"
run "$fh" case list --db "$ddb" --limit 0; expect_rc 2 "case list --limit 0"
run "$fh" case list --db "$ddb" --from 2026-13-01; expect_rc 2 "case list with a bad date"
run "$fh" case list --db "$ddb" --org nobody; expect_rc 2 "case list of an unknown organisation"


# --- procedures and the lifecycle --------------------------------------------
run "$fh" procedures list --db "$ddb"; expect_rc 0 "procedures list"
expect_eq "$(printf '%s\n' "$out" | wc -l)" "8" "the seven shipped procedures are installed, and the example council's copy of the LGSCO Code (orgs/demo/example.json)"
expect_contains "$out" "example-lgsco-code" "the example council runs the LGSCO Code under its own code"
run "$fh" procedures check "$here/../../procedures/"*.json; expect_rc 0 "procedures check: every shipped file is valid"
printf '{"code": "Bad Code", "version": 1, "stages": [], "colour": 2}' > "$tmp/bad-proc.json"
run "$fh" procedures check "$tmp/bad-proc.json"; expect_rc 2 "procedures check refuses a broken file"
expect_contains "$err" "bad-proc.json: colour: is not a known field" "every problem is named with its path"
expect_contains "$err" "bad-proc.json: final_resort: is required" "including the missing ones"
run "$fh" procedures show --db "$ddb" bct-statutory; expect_rc 0 "procedures show"
expect_contains "$out" "extendable to 65 with a written notice" "show explains the Stage 2 extension (001 B Stage 2)"
run "$fh" procedures show --db "$ddb" nope; expect_rc 2 "procedures show of an unknown code"
run "$fh" case actions; expect_rc 0 "case actions"; expect_contains "$out" "issue_response" "case actions lists the actions"

run "$fh" case add --db "$ddb" --org bct --kind complaint --channel email --received 2026-11-20 \
  --summary "Pathway plan not reviewed" --complainant "Kai Evans" --relationship self --child-status care_leaver --point "No review since 18" --outcome "A review"
lref=$out
run "$fh" case show --db "$ddb" --json "$lref"
expect_contains "$out" '"clock": "acknowledge"' "a new complaint has its acknowledgement clock at once"
expect_contains "$out" '"due": "2026-11-24"' "due 2 working days after receipt (000; 004)"
run "$fh" case act --db "$ddb" "$lref" accept; expect_rc 2 "accept before triage is refused"
expect_contains "$err" "route:" "and names the field"
run "$fh" case act --db "$ddb" "$lref" triage on=2026-11-23 grounds_arose=2024-10-01
expect_rc 2 "a mistyped parameter is refused, not ignored (issue 14: the year of 001 §9.1 is not skipped)"
expect_contains "$err" "grounds_arose: is not a parameter of triage" "the unknown parameter is named"
run "$fh" case act --db "$ddb" "$lref" triage on=2026-11-23 grounds_arose_on=2026-10-01
expect_rc 0 "case act triage"; expect_contains "$out" "route statutory" "a care leaver's own complaint is statutory (001 §7.2)"
run "$fh" case act --db "$ddb" "$lref" accept on=2026-11-23; expect_rc 0 "case act accept"
expect_contains "$out" "due 2026-12-07" "Stage 1 is due 10 working days after acceptance (001 B Stage 1)"
run "$fh" case act --db "$ddb" "$lref" extend to=30 reason=complex because=complex
expect_rc 2 "an extension past 20 working days is refused"; expect_contains "$err" "(001 B Stage 1)" "citing 001 B Stage 1"
run "$fh" case act --db "$ddb" "$lref" issue_response learning=x 'actions:=[]'
expect_rc 2 "a response without findings is refused"; expect_contains "$err" "no finding on point 1" "naming what is missing"
run "$fh" case act --db "$ddb" "$lref" record_finding point=1 outcome=upheld reasoning=late 'outcome_response=Review booked'
expect_rc 0 "record_finding"
run "$fh" case act --db "$ddb" "$lref" issue_response learning=x 'actions:=[{"action": "Review", "owner": "tm@bct.demo", "due_on": "2026-12-20"}]'
expect_rc 0 "issue_response with everything"; expect_contains "$out" "escalation_advice: If you are still unhappy" "the response carries the escalation advice"
expect_contains "$out" "escalate_until: stage 2 may be asked for until 2027-11-23, ideally by 2026-12-21" \
  "and until when Stage 2 may be asked for, from the day it was received (001 B Stage 2)"
run "$fh" case act --db "$ddb" "$lref" 'actions:=[' ; expect_rc 2 "a malformed KEY:=JSON"
run "$fh" case act --db "$ddb" "$lref" close; expect_rc 0 "close after the response"
run "$fh" case act --db "$ddb" "$lref" request_escalation 'reason=Still no review'
expect_rc 0 "a closed case still takes the request for Stage 2 within the year (001 B Stage 2)"
expect_contains "$out" "reopened: yes" "and reopens"
run "$fh" audit verify --db "$ddb"; expect_rc 0 "the chain still verifies after lifecycle actions"

# --- audit -----------------------------------------------------------------
run "$fh" audit verify --db "$ddb"; expect_rc 0 "audit verify on an untouched database"
expect_contains "$out" "audit chain verified" "audit verify says so"
run "$fh" audit; expect_rc 2 "audit without a subcommand"
tampered=$(fh_db tampered)
fh_db_copy "$ddb" "$tampered"
fh_tamper "$tampered" "UPDATE events SET actor = 'someone-else' WHERE id = 100"
run "$fh" audit verify --db "$tampered"; expect_rc 1 "audit verify finds an edited event"
expect_contains "$err" "event 100" "and names it"
deleted=$(fh_db deleted)
fh_db_copy "$ddb" "$deleted"
fh_tamper "$deleted" "DELETE FROM events WHERE id = 50"
run "$fh" audit verify --db "$deleted"; expect_rc 1 "audit verify finds a removed event"

done_testing
