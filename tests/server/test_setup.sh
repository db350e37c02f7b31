#!/usr/bin/env bash
# A council sets itself up (issue 20), exactly as README's "Set up your own
# organisation" says: from an empty database, `org apply` of a file made
# from orgs/examples/council.json with --admin, the administrator's
# password, the server, the administrator signed in on /staff/login, and a
# first complaint filed on the organisation's public form, which gets a
# reference under the file's prefix.  Then what `org apply` promises:
# --dry-run prints the same changes and writes nothing, a second apply
# changes nothing, `org export` gives back a file apply takes unchanged,
# changes that would break open work are refused with the reason, a bad
# file is refused with every problem's path, and the shipped examples
# apply cleanly.
# usage: test_setup.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
examples=$here/../../orgs/examples
db=$(fh_db setup)
count() { fh_sql "$db" "$1"; }

# ---- the README's steps -------------------------------------------------------
run "$fh" init --db "$db"
expect_eq "$rc" 0 "init makes an empty database"
run "$fh" procedures list --db "$db"
expect_contains "$err" "fairhearing org apply --db PATH FILE" \
  "procedures list on an empty database points at org apply, not at init again"
run "$fh" org list --db "$db"
expect_contains "$err" "no organisations yet" "org list says there are none yet"

sed -e 's/"code": "council"/"code": "anytown"/; s/"ATC"/"ANY"/; s/"council-/"anytown-/' \
  "$examples/council.json" >"$tmp/anytown.json"
run "$fh" org apply --db "$db" --dry-run --admin admin@anytown.example "$tmp/anytown.json"
expect_eq "$rc" 0 "org apply --dry-run succeeds"
expect_contains "$out" "would make 17 changes to anytown" "the dry run counts what it would change"
dry=$(sed -n 's/^  //p' <<<"$out")
expect_eq "$(count "SELECT count(*) FROM organisations")" 0 "... and writes nothing"

run "$fh" org apply --db "$db" --admin admin@anytown.example "$tmp/anytown.json"
expect_eq "$rc" 0 "org apply creates the organisation"
expect_eq "$(sed -n 's/^  //p' <<<"$out" | grep -v '^fairhearing user reset-password')" "$dry" \
  "the dry run printed exactly the changes the apply made"
expect_contains "$out" "create the organisation anytown (Anytown Council Children's Services)" "it says what it made"
expect_contains "$out" "use anytown-statutory for the statutory route from 2026-01-01" \
  "... the procedure chosen for each route, from its date"
expect_contains "$out" "fairhearing user reset-password --db $db admin@anytown.example" \
  "... and how the new administrator sets a password"
expect_eq "$(count "SELECT count(*) FROM teams t JOIN organisations o ON o.id = t.org_id WHERE o.code = 'anytown'")" 8 \
  "its three services and five teams are made"
expect_eq "$(count "SELECT count(*) FROM procedures p JOIN organisations o ON o.id = p.org_id
  WHERE o.code = 'anytown' AND p.code IN ('anytown-statutory', 'anytown-corporate')")" 2 \
  "its two procedures are installed under its own codes, from the shipped files"
expect_eq "$(count "SELECT count(*) FROM events WHERE action = 'organisation_applied'")" 1 \
  "one organisation_applied audit event records the change"
expect_eq "$(count "SELECT years_after_closure FROM retention_rules r JOIN organisations o ON o.id = r.org_id
  WHERE o.code = 'anytown'")" 6 "the file's retention years are the organisation's rule"

run "$fh" org apply --db "$db" --admin admin@anytown.example "$tmp/anytown.json"
expect_contains "$out" "anytown is up to date with the file; nothing changed" "applying the same file again changes nothing"
expect_eq "$(count "SELECT count(*) FROM events WHERE action = 'organisation_applied'")" 1 "... and records nothing"

printf '%s\n' 'a-long-enough-password' >"$tmp/pw"
run "$fh" user reset-password --db "$db" --password-stdin admin@anytown.example <"$tmp/pw"
expect_eq "$rc" 0 "the administrator sets a password"

server_start "$fh"
jar=$tmp/staff
http GET /staff/login -c "$jar" -b "$jar"
t=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
http POST /staff/login -c "$jar" -b "$jar" --data-urlencode "csrf_token=$t" \
  --data-urlencode "email=admin@anytown.example" --data-urlencode "password=a-long-enough-password"
expect_eq "$code" 303 "the administrator signs in on the staff pages (303)"
expect_contains "$headers" "fh_session=fhs_" "... with a session"
http GET /staff/admin/anytown/teams -c "$jar" -b "$jar"
expect_eq "$code" 200 "the administrator's pages answer"
expect_contains "$body" "Children in Care" "... and show the file's teams"

pub=$tmp/public
http GET /o/anytown/form/kind -c "$pub" -b "$pub"
expect_eq "$code" 200 "the organisation's public form answers"
t=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
step() { local s=$1; shift; http POST "/o/anytown/form/$s" -c "$pub" -b "$pub" -d "csrf_token=$t" "$@"; }
step kind -d kind=complaint
step who -d about=self_adult
step contact -d given_name=Pat -d family_name=Jones -d preferred_contact=email -d email=pat@example.org
step service -d service='Children in Care'
step what -d summary='No reply to my letters' -d details='I wrote three times in May.' -d outcome='A reply'
step documents
step share -d share=no
step equality
step check
expect_eq "$code" 200 "the first complaint is sent"
ref=$(grep -o 'id="reference">[^<]*' <<<"$body" | sed 's/.*>//')
[[ $ref == ANY-20[0-9][0-9]-* ]]; ok $? "it gets a reference under the file's prefix ($ref)"
expect_eq "$(count "SELECT o.code FROM cases c JOIN organisations o ON o.id = c.org_id WHERE c.reference = '$ref'")" \
  anytown "the complaint is the new organisation's"
server_stop

# ---- round trip ------------------------------------------------------------------
run "$fh" org export --db "$db" anytown
expect_eq "$rc" 0 "org export prints the organisation"
printf '%s\n' "$out" >"$tmp/exported.json"
run "$fh" org apply --db "$db" "$tmp/exported.json"
expect_contains "$out" "nothing changed" "org apply takes the exported file back unchanged"
expect_eq "$(jq -S 'del(.procedures)' "$tmp/exported.json")" "$(jq -S 'del(.procedures)' "$tmp/anytown.json")" \
  "the export says what the file said"
run "$fh" org show --db "$db" anytown
expect_contains "$out" "statutory route from 2026-01-01: anytown-statutory" "org show says which procedure each route uses"

# ---- what would break open work is refused -----------------------------------------
run "$fh" case act --db "$db" "$ref" triage on=2026-11-23
expect_eq "$rc" 0 "the complaints team triages the complaint (it now runs under a procedure)"
proc=$(count "SELECT procedure_code FROM cases WHERE reference = '$ref'")
jq --arg p "$proc" '(.procedures[] | select(.procedure == $p) | .procedure) = "anytown-other"' \
  "$tmp/anytown.json" >"$tmp/changed.json"
before=$(count "SELECT count(*) FROM events")
run "$fh" org apply --db "$db" "$tmp/changed.json"
expect_eq "$rc" 2 "changing the procedure a case was received under is refused (exit 2)"
expect_contains "$err" "cases received from 2026-01-01 are under $proc: that choice stays" "... saying why"
expect_eq "$(count "SELECT count(*) FROM events")" "$before" "... and nothing is written"
jq '.procedures += [{"route": "statutory", "procedure": "anytown-statutory", "from": "2027-04-01"}]' \
  "$tmp/anytown.json" >"$tmp/later.json"
run "$fh" org apply --db "$db" "$tmp/later.json"
expect_eq "$rc" 0 "a new choice from a later date is accepted"

# A case received before the organisation's first choice has no procedure to run under.
run "$fh" case add --db "$db" --org anytown --kind complaint --channel letter --received 2025-12-01 \
  --summary "Before the council used Fairhearing" --complainant "Sam Lee" --relationship self
early=$out
run "$fh" case act --db "$db" "$early" triage on=2025-12-02
expect_eq "$rc" 2 "a case received before every procedure choice's from date cannot be triaged into one"
expect_contains "$err" "the organisation has no non_statutory procedure installed" "... and says so"

printf '%s\n' 'another-long-password' >"$tmp/pw2"
run "$fh" user add --db "$db" --email tm@anytown.example --name 'Team Manager' --org anytown \
  --role adjudicating_officer --team Assessment --password-stdin <"$tmp/pw2"
jq '.teams[0].teams -= ["Assessment"]' "$tmp/later.json" >"$tmp/noteam.json"
run "$fh" org apply --db "$db" "$tmp/noteam.json"
expect_eq "$rc" 2 "removing a team that staff still belong to is refused (exit 2)"
expect_contains "$err" "'Assessment' has 1 staff roles: it cannot be removed" "... saying why"
jq '.teams[0].teams -= ["Leaving Care"]' "$tmp/later.json" >"$tmp/fewer.json"
run "$fh" "org" apply --db "$db" "$tmp/fewer.json"
expect_contains "$out" "remove the team 'Leaving Care'" "a team nobody uses is removed when the file drops it"
expect_eq "$(count "SELECT count(*) FROM teams WHERE name = 'Leaving Care'")" 0 "... and is gone"

# ---- staff in bulk: user import, all or nothing ---------------------------------------
cat >"$tmp/bad-staff.csv" <<'CSV'
email,name,team,roles,external
ann@anytown.example,Ann Officer,,complaints_team,no
not-an-address,Bob,,manager,
cy@anytown.example,Cy,Nowhere Team,adjudicating_officer,
ann@anytown.example,Ann Again,,manager,
dee@anytown.example,,,chief_executive,maybe
CSV
before=$(count "SELECT count(*) FROM users")
run "$fh" user import --db "$db" --org anytown "$tmp/bad-staff.csv"
expect_eq "$rc" 2 "user import with bad rows is refused (exit 2)"
expect_contains "$err" "row 3: email: 'not-an-address' is not an email address" "a bad email is reported with its row"
expect_contains "$err" "row 4: team: anytown has no team or service called 'Nowhere Team'" "an unknown team is reported"
expect_contains "$err" "row 5: email: ann@anytown.example is on an earlier row too" "a repeated row is reported"
expect_contains "$err" "row 6: name: is required" "a missing name is reported"
expect_contains "$err" "row 6: roles: 'chief_executive' is not one of" "an unknown role is reported"
expect_contains "$err" "row 6: external: 'maybe' is yes or no" "a bad external is reported"
expect_contains "$err" "4 rows rejected; nothing was imported" "every rejected row is counted"
expect_eq "$(count "SELECT count(*) FROM users")" "$before" "... and nothing is written"
cat >"$tmp/staff.csv" <<'CSV'
email,name,team,roles,external
ann@anytown.example,Ann Officer,,complaints_team,no
ben@anytown.example,Ben Manager,Children in Care,adjudicating_officer;head_of_service,
ida@independent.example,Ida Person,,independent_person,yes
CSV
run "$fh" user import --db "$db" --org anytown "$tmp/staff.csv"
expect_eq "$rc" 0 "user import adds the staff"
expect_contains "$out" "3 new users and 4 new roles in anytown" "... saying how many"
expect_eq "$(count "SELECT r.role || ':' || coalesce(t.name, '-') FROM user_roles r JOIN users u ON u.id = r.user_id
  LEFT JOIN teams t ON t.id = r.team_id WHERE u.email = 'ben@anytown.example' ORDER BY r.role" | tr '\n' ' ')" \
  "adjudicating_officer:Children in Care head_of_service:Children in Care " "roles are held in the row's team"
expect_eq "$(count "SELECT external FROM users WHERE email = 'ida@independent.example'")" 1 "external is recorded"
run "$fh" user import --db "$db" --org anytown "$tmp/staff.csv"
expect_contains "$out" "0 new users and 0 new roles" "importing the same file again changes nothing"

# ---- a bad file: every problem, with its path --------------------------------------
jq '.ref_prefix = "any" | .procedures[0].from = "2026-02-30" | .teams[1].service = "Assessment"
    | .policy.behaviour = {"usual_months": 6}
    | .policy.actions = {"issue_response": ["manager"], "fly": ["manager"], "accept": ["mayor"]}' \
    "$tmp/anytown.json" >"$tmp/bad.json"
run "$fh" org apply --db "$db" "$tmp/bad.json"
expect_eq "$rc" 2 "a bad file is refused (exit 2)"
expect_contains "$err" "bad.json: ref_prefix: must be 2 to 8 capital letters" "the prefix is named"
expect_contains "$err" "bad.json: procedures[0].from: '2026-02-30' is not a real date" "the date is named by its path"
expect_contains "$err" "bad.json: teams[1].service: 'Assessment' is named twice" "a name used twice is named"
expect_contains "$err" "bad.json: policy.behaviour.review_months: is required" \
  "behaviour periods come whole (001 Appendix A)"
expect_contains "$err" "bad.json: policy.actions.issue_response: is taken by the stage's responder" \
  "a role table may not give away the responder's own action"
expect_contains "$err" "bad.json: policy.actions.fly: is not a lifecycle action" "an unknown action is named"
expect_contains "$err" "bad.json: policy.actions.accept[0]: 'mayor' is not one of" "an unknown role is named"
run "$fh" org apply --db "$db" "$tmp/nonexistent.json"
expect_eq "$rc" 2 "a missing file is refused (exit 2)"

# ---- the shipped starting points ---------------------------------------------------
for f in council trust charity; do
  run "$fh" org apply --db "$db" "$examples/$f.json"
  expect_eq "$rc" 0 "orgs/examples/$f.json applies cleanly"
done
expect_eq "$(count "SELECT count(*) FROM organisations")" 4 "... beside the first organisation"

# ---- the admin pages edit the same settings; the exported file shows the edit ---------
server_start "$fh"
http GET /staff/admin/anytown/organisation -c "$jar" -b "$jar"
expect_eq "$code" 200 "the administrator's Organisation page answers"
expect_contains "$body" "Anytown Council Children" "it shows the file's name"
t=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
edit() {
  http POST /staff/admin/anytown/organisation -c "$jar" -b "$jar" --data-urlencode "csrf_token=$t" \
    --data-urlencode "name=Anytown Children's Services" \
    --data-urlencode "address=Complaints Team, Civic Offices, Anytown AT1 1AA" \
    --data-urlencode "phone=01234 999000" --data-urlencode "ombudsman=LGSCO, 0300 061 0614" \
    --data-urlencode "advocacy=Coram Voice" "$@"
}
before=$(count "SELECT count(*) FROM events")
edit --data-urlencode "usual_months=6" --data-urlencode "review_months=ten"
expect_eq "$code" 422 "a bad period is refused on the page (422)"
expect_contains "$body" "Enter a whole number from 1 to 60" "... naming the field's rule"
edit --data-urlencode "usual_months=6"
expect_eq "$code" 422 "behaviour periods come all together or not at all (422)"
expect_eq "$(count "SELECT count(*) FROM events")" "$before" "... and nothing is written"
edit --data-urlencode "usual_months=4" --data-urlencode "review_months=2" \
  --data-urlencode "appeal_working_days=15" --data-urlencode "behaviour_source=Anytown policy 2026"
expect_eq "$code" 303 "the administrator saves the organisation's settings (303)"
expect_eq "$(count "SELECT count(*) FROM events WHERE action = 'organisation_applied'
  AND actor = 'admin@anytown.example'")" 1 "the edit is one organisation_applied event, by the administrator"
server_stop
run "$fh" org export --db "$db" anytown
expect_eq "$(jq -r '.name + " | " + .letterhead.phone + " | " + .services.advocacy' <<<"$out")" \
  "Anytown Children's Services | 01234 999000 | Coram Voice" "the exported file shows the page's edit"
expect_eq "$(jq -cS '.policy.behaviour' <<<"$out")" \
  '{"appeal_working_days":15,"review_months":2,"source":"Anytown policy 2026","usual_months":4}' \
  "... including the behaviour periods it set"
expect_eq "$(jq -r '.letterhead.email // "none"' <<<"$out")" none "a field left empty on the page is removed"
printf '%s\n' "$out" >"$tmp/edited.json"
run "$fh" org apply --db "$db" "$tmp/edited.json"
expect_contains "$out" "nothing changed" "... and apply takes it back unchanged"

# ---- the day the organisation was set up: no case is received before it ----------
jq '.set_up_on = "2025-06-01"' "$tmp/edited.json" >"$tmp/set_up.json"
run "$fh" org apply --db "$db" "$tmp/set_up.json"
expect_eq "$rc" 0 "a file sets the day the organisation was set up"
expect_contains "$out" "set_up_on: (not set) becomes 2025-06-01" "... and apply says so"
run "$fh" case add --db "$db" --org anytown --kind complaint --channel letter --received 2025-05-31 \
  --summary "Before the council took complaints" --complainant "A Person"
expect_eq "$rc" 2 "a case received before that day is refused (exit 2)"
expect_contains "$err" "received_on" "... naming the field"
run "$fh" case add --db "$db" --org anytown --kind complaint --channel letter --received 2025-06-02 \
  --summary "After the council took complaints" --complainant "A Person"
expect_eq "$rc" 0 "a case received after it is recorded"
jq '.set_up_on = "2026-01-01"' "$tmp/edited.json" >"$tmp/too_late.json"
run "$fh" org apply --db "$db" "$tmp/too_late.json"
expect_eq "$rc" 2 "the day cannot move past a case already received (exit 2)"
expect_contains "$err" "has a case received on 2025-06-02" "... naming the first such case's date"
run "$fh" org export --db "$db" anytown
expect_eq "$(jq -r '.set_up_on' <<<"$out")" 2025-06-01 "org export gives the day back"
jq '.set_up_on = "2025-13-01"' "$tmp/edited.json" >"$tmp/bad_day.json"
run "$fh" org check "$tmp/bad_day.json"
expect_eq "$rc" 2 "a set-up day that is not a date is refused (exit 2)"
expect_contains "$err$out" "set_up_on" "... by its path"

done_testing
