#!/usr/bin/env bash
# What administrators and the complaints team do over HTTP besides moving
# cases: procedures (read one with its versions, install a new version),
# users and teams, and the parties of a case after it is recorded.
# usage: test_admin_api.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../cli/tap.sh"
. "$here/lib.sh"
server_setup "$fh"
J='Content-Type: application/json'

# --- procedures -------------------------------------------------------------------
http GET /api/v1/procedures/bct-non-statutory -H "$(auth adjudicator)"
expect_eq "$code" 200 "staff of bct read bct's procedure"
expect_eq "$(jq -r '[.code, .org, .version, .definition.stages[0].response.length] | join(" ")' <<<"$body")" \
  "bct-non-statutory bct 1 20" "with its definition (001 C Stage 1: 20 working days)"
expect_eq "$(jq -r '.versions | length' <<<"$body")" 1 "and its versions"
http GET /api/v1/procedures/bcp-corporate -H "$(auth complaints)"
expect_eq "$code" 404 "another organisation's procedure is not found"
http GET /api/v1/procedures/no-such -H "$(auth complaints)"
expect_eq "$code" 404 "a procedure that does not exist is not found the same way"
http GET "/api/v1/procedures/bct-non-statutory?version=x" -H "$(auth complaints)"
expect_eq "$code" 400 "a version that is not a number is 400"

v2=$(jq -c '.version = 2 | .stages[0].response.length = 15' "$root/procedures/bct-non-statutory.json")
http POST /api/v1/procedures -H "$(auth complaints)" -H "$J" -d "$v2"
expect_eq "$code" 403 "only an administrator installs a procedure"
http POST /api/v1/procedures -H "$(auth admin bcp)" -H "$J" -d "$v2"
expect_eq "$code" 404 "an administrator of another organisation cannot install bct's"
bad=$(jq -c '.version = 2 | .stages[0].response.unit = "fortnights" | del(.stages[0].responder) | .route = "sideways"' \
  "$root/procedures/bct-non-statutory.json")
http POST /api/v1/procedures -H "$(auth admin)" -H "$J" -d "$bad"
expect_eq "$code" 422 "a procedure with problems is refused (422)"
expect_eq "$(jq -r '.error.problem_count >= 3' <<<"$body")" true "every problem is reported, not just the first"
expect_contains "$(jq -r '[.error.problems[].path] | join(" ")' <<<"$body")" "stages[0].response.unit" "each with its path"
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM procedures WHERE code = 'bct-non-statutory'")" 1 "nothing was installed"
http POST /api/v1/procedures -H "$(auth admin)" -H "$J" -d "$v2"
expect_eq "$code" 201 "an administrator installs version 2"
expect_contains "$headers" "Location: /api/v1/procedures/bct-non-statutory?version=2" "at its own address"
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
  "2 15 2,1" "the newest version is served, both are listed"
http GET "/api/v1/procedures/bct-non-statutory?version=1" -H "$(auth complaints)"
expect_eq "$(jq -r .definition.stages[0].response.length <<<"$body")" 20 "an older version on request"
expect_eq "$(sqlite3 "$db" "SELECT actor FROM events WHERE action = 'procedure_installed' ORDER BY id DESC LIMIT 1")" \
  admin@bct.demo "the installation is an audit event naming the administrator"

server_stop
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies"

done_testing
