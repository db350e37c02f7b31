#!/usr/bin/env bash
# What administrators and the complaints team do over HTTP besides moving
# cases: procedures (read one with its versions, install a new version),
# users and teams, and the parties of a case after it is recorded.
# usage: test_admin_api.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
server_setup "$fh"
J='Content-Type: application/json'

# --- procedures -------------------------------------------------------------------
http GET /api/v1/procedures/bct-non-statutory -H "$(auth adjudicator)"
expect_eq "$code" 200 "staff of bct read bct's procedure"
expect_eq "$(jq -r '[.code, .org, .version, .definition.stages[0].response.length] | join(" ")' <<<"$body")" \
  "bct-non-statutory bct 2 20" "with its definition (001 C Stage 1: 20 working days)"
expect_eq "$(jq -r '.versions | length' <<<"$body")" 1 "and its versions"
http GET /api/v1/procedures/bcp-corporate -H "$(auth complaints)"
expect_eq "$code" 404 "another organisation's procedure is not found"
http GET /api/v1/procedures/no-such -H "$(auth complaints)"
expect_eq "$code" 404 "a procedure that does not exist is not found the same way"
http GET "/api/v1/procedures/bct-non-statutory?version=x" -H "$(auth complaints)"
expect_eq "$code" 400 "a version that is not a number is 400"

v2=$(jq -c '.version = 3 | .stages[0].response.length = 15' "$root/procedures/bct-non-statutory.json")
http POST /api/v1/procedures -H "$(auth complaints)" -H "$J" -d "$v2"
expect_eq "$code" 403 "only an administrator installs a procedure"
http POST /api/v1/procedures -H "$(auth admin bcp)" -H "$J" -d "$v2"
expect_eq "$code" 404 "an administrator of another organisation cannot install bct's"
bad=$(jq -c '.version = 3 | .stages[0].response.unit = "fortnights" | del(.stages[0].responder) | .route = "sideways"' \
  "$root/procedures/bct-non-statutory.json")
http POST /api/v1/procedures -H "$(auth admin)" -H "$J" -d "$bad"
expect_eq "$code" 422 "a procedure with problems is refused (422)"
expect_eq "$(jq -r '.error.problem_count >= 3' <<<"$body")" true "every problem is reported, not just the first"
expect_contains "$(jq -r '[.error.problems[].path] | join(" ")' <<<"$body")" "stages[0].response.unit" "each with its path"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM procedures WHERE code = 'bct-non-statutory'")" 1 "nothing was installed"
http POST /api/v1/procedures -H "$(auth admin)" -H "$J" -d "$v2"
expect_eq "$code" 201 "an administrator installs version 3 (the shipped file is version 2)"
expect_contains "$headers" "Location: /api/v1/procedures/bct-non-statutory?version=3" "at its own address"
http POST /api/v1/procedures -H "$(auth admin)" -H "$J" -d "$v2"
expect_eq "$code:$(jq -r .changed <<<"$body")" "200:false" "the same document again changes nothing"
changed=$(jq -c '.stages[0].response.length = 12' <<<"$v2")
http POST /api/v1/procedures -H "$(auth admin)" -H "$J" -d "$changed"
expect_eq "$code:$(jq -r .error.field <<<"$body")" "409:version" "changed content needs a higher version (409)"
taken=$(jq -c '.org = "bct" | .version = 5' "$root/procedures/bcp-corporate.json")
http POST /api/v1/procedures -H "$(auth admin)" -H "$J" -d "$taken"
expect_eq "$code:$(jq -r .error.field <<<"$body")" "409:code" "another organisation's procedure code cannot be taken over"
http GET /api/v1/procedures/bct-non-statutory -H "$(auth complaints)"
expect_eq "$(jq -r '[.version, .definition.stages[0].response.length, (.versions | map(.version) | join(","))] | join(" ")' <<<"$body")" \
  "3 15 3,2" "the newest version is served, both are listed"
http GET "/api/v1/procedures/bct-non-statutory?version=2" -H "$(auth complaints)"
expect_eq "$(jq -r .definition.stages[0].response.length <<<"$body")" 20 "an older version on request"
expect_eq "$(fh_sql "$db" "SELECT actor FROM events WHERE action = 'procedure_installed' ORDER BY id DESC LIMIT 1")" \
  admin@bct.demo "the installation is an audit event naming the administrator"

# --- users and teams -----------------------------------------------------------------
users() { fh_sql "$db" "SELECT count(*) FROM users"; }
mark=$(fh_sql "$db" "SELECT max(id) FROM events")
n_users=$(users)
pw1='correct-horse-battery-1'
pw2='another-long-secret-2'
new='{"email": "new.officer@bct.demo", "display_name": "New Officer", "password": "'$pw1'",
  "roles": [{"role": "investigating_officer"}]}'
http POST /api/v1/orgs/bct/users -H "$(auth complaints)" -H "$J" -d "$new"
expect_eq "$code" 403 "only an administrator adds staff"
http POST /api/v1/orgs/bct/users -H "$(auth admin bcp)" -H "$J" -d "$new"
expect_eq "$code" 404 "an administrator of another organisation cannot add staff to bct"
http POST /api/v1/orgs/bct/users -H "$(auth admin)" -H "$J" -d '{"email": "x@bct.demo", "display_name": "X", "roles": [{"role": "wizard"}]}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:roles[0].role" "a role that does not exist is refused, naming it"
http POST /api/v1/orgs/bct/users -H "$(auth admin)" -H "$J" -d '{"email": "x@bct.demo", "display_name": "X", "password": "short", "roles": [{"role": "manager"}]}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:password" "a password under 12 characters is refused"
http POST /api/v1/orgs/bct/users -H "$(auth admin)" -H "$J" -d '{"email": "x@bct.demo", "display_name": "X", "roles": [{"role": "manager", "team": "No Such Team"}]}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "404:roles[0].team" "a team that does not exist is refused"
http POST /api/v1/orgs/bct/users -H "$(auth admin)" -H "$J" -d '{"email": "x@bct.demo", "display_name": "X", "roles": [{"role": "manager"}], "admin": true}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:admin" "an unknown field is refused, naming it"
expect_eq "$(users)" "$n_users" "no account was left behind by a refusal"
http POST /api/v1/orgs/bct/users -H "$(auth admin)" -H "$J" -d "$new"
expect_eq "$code" 201 "an administrator adds a member of staff with a role"
expect_eq "$(jq -r '[.email, .roles[0].role, .disabled] | join(" ")' <<<"$body")" \
  "new.officer@bct.demo investigating_officer false" "the answer shows the account and its role"
expect_contains "$headers" "Location: /api/v1/orgs/bct/users/new.officer@bct.demo" "at its address"
grep -q "$pw1" <<<"$body"; [ $? -ne 0 ]; ok $? "the password is not echoed"
http POST /api/v1/orgs/bct/users -H "$(auth admin)" -H "$J" -d "$new"
expect_eq "$code:$(jq -r .error.field <<<"$body")" "409:email" "the same email twice is a conflict"
login() { http POST /api/v1/auth/login -H "$J" -d "{\"email\": \"new.officer@bct.demo\", \"password\": \"$1\"}"; }
login "$pw1"
expect_eq "$code" 200 "the new member of staff signs in with their password"
cookie=$(sed -n 's/^Set-Cookie: \(fh_session=[^;]*\).*/\1/p' <<<"$headers")

http POST /api/v1/orgs/bct/users/new.officer@bct.demo/roles -H "$(auth admin)" -H "$J" -d '{"role": "panel_member"}'
expect_eq "$code:$(jq -r '[.roles[].role] | sort | join(",")' <<<"$body")" "200:investigating_officer,panel_member" \
  "an administrator gives them another role"
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/roles -H "$(auth admin)" -H "$J" -d '{"role": "panel_member"}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "409:role" "the same role twice is a conflict"
# Issue 14 item 4: independence of the organisation, per organisation, by its administrator.
http GET /api/v1/orgs/bct/users -H "$(auth admin)"
expect_eq "$(jq -r '.users[] | select(.email == "new.officer@bct.demo") | .independent' <<<"$body")" false \
  "a new user is not independent of the organisation"
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/independence -H "$(auth complaints)" -H "$J" -d '{"independent": true}'
expect_eq "$code" 403 "only an administrator marks a user independent"
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/independence -H "$(auth admin bcp)" -H "$J" -d '{"independent": true}'
expect_eq "$code" 404 "nor one of another organisation"
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/independence -H "$(auth admin)" -H "$J" -d '{"independent": "yes"}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:independent" "independent is true or false"
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/independence -H "$(auth admin)" -H "$J" -d '{"independent": true, "colour": 1}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:colour" "an unknown field is refused"
http POST /api/v1/orgs/bct/users/nobody@bct.demo/independence -H "$(auth admin)" -H "$J" -d '{"independent": true}'
expect_eq "$code" 404 "an unknown user is not found"
mark_ev=$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'user_independence_set' AND actor = 'admin@bct.demo'")
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/independence -H "$(auth admin)" -H "$J" -d '{"independent": true}'
expect_eq "$code:$(jq -r .independent <<<"$body")" "200:true" "an administrator marks them independent of bct"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'user_independence_set' AND actor = 'admin@bct.demo'")" $((mark_ev + 1)) "an audit event naming the administrator"
http GET /api/v1/orgs/bct/users -H "$(auth admin)"
expect_eq "$(jq -r '.users[] | select(.email == "new.officer@bct.demo") | .independent' <<<"$body")" true "the users list shows it"
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/independence -H "$(auth admin)" -H "$J" -d '{"independent": false}'
expect_eq "$code:$(jq -r .independent <<<"$body")" "200:false" "and takes the mark away"
http POST /api/v1/orgs/bct/users -H "$(auth admin)" -H "$J" -d '{"email": "ind.person@bct.demo", "display_name": "Ind Person", "external": true, "independent": true, "roles": [{"role": "independent_person"}]}'
expect_eq "$code:$(jq -r .independent <<<"$body")" "201:true" "a user is added independent of the organisation"
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/password -H "$(auth admin)" -H "$J" -d "{\"password\": \"$pw2\"}"
expect_eq "$code" 204 "an administrator sets a new password"
http GET /api/v1/me -H "Cookie: $cookie"
expect_eq "$code" 401 "which ends the sessions signed in with the old one"
login "$pw1"
expect_eq "$code" 401 "the old password no longer works"
login "$pw2"
expect_eq "$code" 200 "the new one does"
cookie=$(sed -n 's/^Set-Cookie: \(fh_session=[^;]*\).*/\1/p' <<<"$headers")
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/disable -H "$(auth admin)"
expect_eq "$code:$(jq -r .disabled <<<"$body")" "200:true" "an administrator disables the account"
http GET /api/v1/me -H "Cookie: $cookie"
expect_eq "$code" 401 "a disabled account's session ends at once"
login "$pw2"
expect_eq "$code" 401 "and it cannot sign in"
http POST /api/v1/orgs/bct/users/new.officer@bct.demo/enable -H "$(auth admin)"
expect_eq "$code:$(jq -r .disabled <<<"$body")" "200:false" "and enables it again"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE data LIKE '%$pw1%' OR data LIKE '%$pw2%'
  OR reason LIKE '%$pw1%' OR reason LIKE '%$pw2%'")" 0 "no password in any event"
grep -qE "$pw1|$pw2" "$tmp/server.err"; [ $? -ne 0 ]; ok $? "nor in the server's log"
expect_eq "$(fh_list "$db" "SELECT action FROM events
  WHERE id > $mark AND actor = 'admin@bct.demo' ORDER BY id" ' ')" \
  "user_created role_granted role_granted user_independence_set user_independence_set user_created role_granted user_independence_set password_set user_disabled user_enabled" \
  "each change is an audit event naming the administrator, refusals none"

# Someone who works for two organisations: neither administrator alone may
# disable them or set their password.
"$fh" user grant --db "$db" --email investigator@bct.demo --org bcp --role investigating_officer >/dev/null 2>&1
http POST /api/v1/orgs/bct/users/investigator@bct.demo/disable -H "$(auth admin)"
expect_eq "$code" 403 "an account that also works for another organisation is not disabled by one of them"
expect_eq "$(fh_sql "$db" "SELECT CAST(disabled AS INTEGER) FROM users WHERE email = 'investigator@bct.demo'")" 0 "it stays enabled"
http POST /api/v1/orgs/bcp/users/adjudicator@bct.demo/disable -H "$(auth admin bcp)"
expect_eq "$code" 404 "another organisation's staff are not found"
http POST /api/v1/orgs/bct/users/nobody@bct.demo/password -H "$(auth admin)" -H "$J" -d "{\"password\": \"$pw2\"}"
expect_eq "$code" 404 "an account that does not exist is not found the same way"

service=$(fh_sql "$db" "SELECT t.name FROM teams t JOIN organisations o ON o.id = t.org_id
  WHERE o.code = 'bct' AND t.level = 'service' LIMIT 1")
http POST /api/v1/orgs/bct/teams -H "$(auth admin)" -H "$J" -d "{\"name\": \"Fostering North\", \"level\": \"team\", \"parent\": \"$service\", \"head\": \"adjudicator@bct.demo\"}"
expect_eq "$code" 201 "an administrator adds a team under a service"
http GET /api/v1/orgs/bct/teams -H "$(auth complaints)"
expect_eq "$(jq -r '.teams[] | select(.name == "Fostering North") | [.level, .parent, .head] | join(" ")' <<<"$body")" \
  "team $service adjudicator@bct.demo" "the team is listed with its service and head"
http POST /api/v1/orgs/bct/teams -H "$(auth admin)" -H "$J" -d '{"name": "Odd", "level": "department"}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:level" "a level other than service or team is refused"
http POST /api/v1/orgs/bct/teams -H "$(auth manager)" -H "$J" -d '{"name": "Odd", "level": "service"}'
expect_eq "$code" 403 "only an administrator adds a team"

# --- parties after recording (001 §7.3, §7.4; 000 "Friends or relatives") ----------
http POST /api/v1/cases -H "$(auth complaints)" -H "$J" -d '{"org": "bct", "kind": "complaint",
  "channel": "phone", "received_on": "2026-11-20", "summary": "Parties test",
  "parties": [{"role": "complainant", "relationship": "parent",
    "person": {"given_name": "Grace", "family_name": "Adeyemi", "phone": "0121 496 0001"}},
   {"role": "child", "child_status": "looked_after", "person": {"given_name": "Tobi", "family_name": "Adeyemi"}}],
  "points": [{"summary": "Placement moved without notice"}]}'
pref=$(jq -r .reference <<<"$body")
expect_eq "$code" 201 "a case with a parent complaining for a looked-after child ($pref)"
party_id() { fh_sql "$db" "SELECT cp.id FROM case_parties cp JOIN cases c ON c.id = cp.case_id
  WHERE c.reference = '$pref' AND cp.role = '$1'"; }
parent=$(party_id complainant)
P=/api/v1/cases/$pref/parties
mark=$(fh_sql "$db" "SELECT max(id) FROM events")

http POST $P -H "$(auth complaints)" -H "$J" -d '{"role": "advocate", "relationship": "advocate",
  "person": {"given_name": "Zebedee", "family_name": "Okonjo", "organisation": "Rights and Participation Service",
  "email": "z.okonjo@example.org"}}'
expect_eq "$code" 201 "an advocate is added to the case"
advocate=$(jq -r .id <<<"$body")
expect_eq "$(jq -r .person.organisation <<<"$body")" "Rights and Participation Service" "the answer is the party as recorded"
http GET "/api/v1/cases?q=zebedee" -H "$(auth complaints)"
expect_eq "$(jq -r '.cases[0].reference' <<<"$body")" "$pref" "the added person's name finds the case"
http POST $P -H "$(auth complaints)" -H "$J" -d '{"role": "complainant", "relationship": "self", "person": {"family_name": "Second"}}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:parties" "a second complainant is refused: a case has one"
http POST $P -H "$(auth complaints)" -H "$J" -d '{"role": "representative", "person": {"family_name": "Nobody"}}'
expect_eq "$code:$(jq -r .error.field <<<"$body"):$(jq -r .error.source <<<"$body")" "422:relationship:001 §7.3" \
  "a representative without a relationship is refused (001 §7.3)"
http POST $P -H "$(auth complaints)" -H "$J" -d '{"role": "solicitor", "person": {"family_name": "Law", "email": "not-an-address"}}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:person.email" "a wrong email is refused, naming the field as sent"
http POST $P -H "$(auth complaints)" -H "$J" -d '{"role": "solicitor", "persona": {}}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:persona" "an unknown field is refused"

http PATCH $P/$parent -H "$(auth complaints)" -H "$J" -d '{"consent": "given"}'
expect_eq "$code:$(jq -r '.consent + " " + .consent_on' <<<"$body")" "200:given 2026-11-23" \
  "the child's consent given, dated today when no date is sent (001 §7.4)"
http PATCH $P/$parent -H "$(auth complaints)" -H "$J" -d '{"consent": "refused", "consent_on": "2026-11-21"}'
expect_eq "$(jq -r '.consent + " " + .consent_on' <<<"$body")" "refused 2026-11-21" "or with the date it happened"
http PATCH $P/$parent -H "$(auth complaints)" -H "$J" -d '{"consent": "not_needed"}'
expect_eq "$code:$(jq -r .error.field <<<"$body"):$(jq -r .error.source <<<"$body")" \
  "422:consent:000 \"Friends or relatives\"" "consent cannot be dropped for a parent speaking for a child (000)"
http PATCH $P/$parent -H "$(auth complaints)" -H "$J" -d '{"consent_on": "2027-01-01"}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:consent_on" "consent cannot be dated in the future"
http PATCH $P/$parent -H "$(auth complaints)" -H "$J" -d '{"role": "child"}'
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:role" "a party's role does not change"
reads=$(fh_sql "$db" "SELECT count(*) FROM access_log WHERE detail = 'party $parent'")
http PATCH $P/$parent -H "$(auth complaints)" -H "$J" -d '{"person": {"phone": "0121 496 0999", "address": "4 New Road, Birmingham"}}'
expect_eq "$code:$(jq -r .person.phone <<<"$body")" "200:0121 496 0999" "new contact details"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM access_log WHERE detail = 'party $parent' AND actor = 'complaints@bct.demo'")" \
  $((reads + 1)) "the answer, which shows the party's details, is in the access log"
http GET /api/v1/cases/$pref -H "$(auth complaints)"
expect_eq "$(jq -r ".parties[] | select(.id == $parent) | .person.address" <<<"$body")" "4 New Road, Birmingham" \
  "the case shows them"
http PATCH $P/999999 -H "$(auth complaints)" -H "$J" -d '{"person": {"phone": "1"}}'
expect_eq "$code" 404 "a party that is not on the case is not found"
http PATCH $P/$parent -H "$(auth head)" -H "$J" -d '{"person": {"phone": "1"}}'
expect_eq "$code" 403 "only those who record cases change parties"

http DELETE $P/$parent -H "$(auth complaints)"
expect_eq "$code:$(jq -r .error.field <<<"$body")" "422:parties" "the only complainant cannot be taken off"
http DELETE $P/$advocate -H "$(auth complaints)"
expect_eq "$code" 204 "the advocate is taken off the case"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM people WHERE family_name = 'Okonjo'")" 0 \
  "and, on no other case, is not kept"
http GET "/api/v1/cases?q=zebedee" -H "$(auth complaints)"
expect_eq "$(jq -r .total <<<"$body")" 0 "nor found by name any more"

expect_eq "$(fh_list "$db" "SELECT action FROM events WHERE id > $mark ORDER BY id" ' ')" \
  "party_added party_changed party_changed party_changed party_removed" "each change is one audit event, refusals none"
expect_eq "$(fh_sql "$db" "SELECT data FROM events WHERE id > $mark AND action = 'party_changed' ORDER BY id LIMIT 1" |
  jq -r '"\(.consent) \(.consent_on)"')" "given 2026-11-23" \
  "a consent event carries the consent and its date"
expect_eq "$(fh_sql "$db" "SELECT data FROM events WHERE id > $mark AND action = 'party_changed' ORDER BY id DESC LIMIT 1" | jq -c .changed)" \
  '["person.address","person.phone"]' "a change names the fields that changed"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE id > $mark AND (data LIKE '%0121 496%' OR data LIKE '%Okonjo%' OR data LIKE '%New Road%')")" 0 \
  "but never the details themselves"

server_stop
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies"

done_testing
