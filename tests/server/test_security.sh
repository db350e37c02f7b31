#!/usr/bin/env bash
# Issue 16 (security), items 5, 6, 7, 8, 9 and 13 over HTTP, each check
# named for its item: CSRF on the API's cookie-authenticated writes, who
# may issue which letter, the deadlines feed and lists within the caller's
# organisations, secrets kept out of the logs, API tokens with expiry, scope
# and revocation (on two servers at once), and received dates bounded by the
# organisation's set-up and today.  docs/security.md says what each control is.
# usage: test_security.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"
count() { fh_sql "$db" "$1"; }
expect_not_contains() { # expect_not_contains HAYSTACK NEEDLE DESCRIPTION
  case "$1" in *"$2"*) ok 1 "$3"; diag "'$2' found" ;; *) ok 0 "$3" ;; esac
}
json=(-H 'Content-Type: application/json')
new_case='{"org": "bct", "kind": "complaint", "channel": "email", "received_on": "2026-11-16",
  "summary": "Security test case",
  "parties": [{"role": "complainant", "relationship": "self", "person": {"given_name": "Ada", "family_name": "Test"}}],
  "points": [{"summary": "A point", "desired_outcome": "An outcome"}]}'

# ---- item 5: CSRF on cookie-authenticated API writes -----------------------------------
http POST /api/v1/auth/login "${json[@]}" -d '{"email": "complaints@bct.demo", "password": "fairhearing-demo"}'
expect_eq "$code" 200 "item 5: the complaints team signs in through the API"
cookie=$(sed -n 's/^Set-Cookie: \(fh_session=[^;]*\).*/\1/p' <<<"$headers")
csrf=$(jq -r .user.csrf_token <<<"$body")
expect_eq "${#csrf}" 43 "item 5: sign-in gives the session's CSRF token (csrf_token)"
http GET /api/v1/me -H "Cookie: $cookie"
expect_eq "$(jq -r .csrf_token <<<"$body")" "$csrf" "item 5: /api/v1/me gives the same token"
http POST /api/v1/cases -H "Cookie: $cookie" "${json[@]}" -d "$new_case"
expect_eq "$code" 403 "item 5: a write with the session cookie and no CSRF token is refused"
expect_eq "$(jq -r .error.code <<<"$body")" csrf "item 5: ... as csrf"
http POST /api/v1/cases -H "Cookie: $cookie" -H 'Origin: http://evil.example' "${json[@]}" -d "$new_case"
expect_eq "$code" 403 "item 5: ... and with another site's Origin"
http POST /api/v1/cases -H "Cookie: $cookie" -H 'Origin: null' "${json[@]}" -d "$new_case"
expect_eq "$code" 403 "item 5: ... and with Origin: null"
http POST /api/v1/cases -H "Cookie: $cookie" -H 'Referer: http://127.0.0.1.evil.example/x' "${json[@]}" -d "$new_case"
expect_eq "$code" 403 "item 5: ... and with a look-alike Referer"
http POST /api/v1/cases -H "Cookie: $cookie" -H "X-CSRF-Token: ${csrf%?}x" "${json[@]}" -d "$new_case"
expect_eq "$code" 403 "item 5: ... and with a wrong X-CSRF-Token"
expect_eq "$(count "SELECT count(*) FROM cases WHERE summary = 'Security test case'")" 0 \
  "item 5: nothing refused was recorded"
http POST /api/v1/cases -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" "${json[@]}" -d "$new_case"
expect_eq "$code" 201 "item 5: with the X-CSRF-Token header it is recorded"
ref=$(jq -r .reference <<<"$body")
http POST /api/v1/cases -H "Cookie: $cookie" -H "Origin: $base" "${json[@]}" -d "$new_case"
expect_eq "$code" 201 "item 5: a same-origin Origin is enough"
http POST /api/v1/cases -H "Cookie: $cookie" -H "Referer: $base/staff/work" "${json[@]}" -d "$new_case"
expect_eq "$code" 201 "item 5: ... and so is a same-origin Referer"
http POST /api/v1/cases -H "$(auth complaints)" "${json[@]}" -d "$new_case"
expect_eq "$code" 201 "item 5: a bearer token needs no CSRF token"
http GET "/api/v1/cases/$ref" -H "Cookie: $cookie"
expect_eq "$code" 200 "item 5: reads with the cookie need none"
http POST /api/v1/auth/logout -H "Cookie: $cookie"
expect_eq "$code" 403 "item 5: signing out with the cookie needs it too"
http POST /api/v1/auth/logout -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf"
expect_eq "$code" 204 "item 5: ... and then works"

# ---- item 6: each letter kind names who may issue it (001 Appendix A) -------------------
warning='{"kind": "behaviour_warning", "dry_run": true, "values": {"behaviour": "Forty calls a day", "evidence": "Call log"}}'
for login in investigator reviewer; do
  mine=$(count "SELECT c.reference FROM case_assignments a JOIN cases c ON c.id = a.case_id
    WHERE a.user_email = '$login@bct.demo' AND a.ended_at IS NULL ORDER BY c.id LIMIT 1")
  [ -n "$mine" ]; ok $? "item 6: $login@bct.demo is assigned to a case ($mine)"
  http POST "/api/v1/cases/$mine/letters" -H "$(auth "$login")" "${json[@]}" -d "$warning"
  expect_eq "$code" 403 "item 6 (001 Appendix A): the $login cannot issue a behaviour warning"
  expect_eq "$(jq -r .error.field <<<"$body")" kind "item 6: the refusal names the kind"
  http POST "/api/v1/cases/$mine/letters" -H "$(auth "$login")" "${json[@]}" \
    -d '{"kind": "behaviour_restriction", "dry_run": true}'
  expect_eq "$code" 403 "item 6 (001 Appendix A): ... nor a restriction letter"
  http POST "/api/v1/cases/$mine/letters" -H "$(auth "$login")" "${json[@]}" -d '{"kind": "acknowledgement", "dry_run": true}'
  [ "$code" != 403 ]; ok $? "item 6: the $login may still write other letters ($code)"
done
http POST "/api/v1/cases/$mine/letters" -H "$(auth complaints)" "${json[@]}" -d "$warning"
expect_eq "$code" 200 "item 6 (001 Appendix A): the complaints team issues the warning (a dry run)"
page_jar=$tmp/jar.inv
http GET /staff/login -c "$page_jar" -b "$page_jar"
t=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
http POST /staff/login -c "$page_jar" -b "$page_jar" --data-urlencode "csrf_token=$t" \
  --data-urlencode "email=reviewer@bct.demo" --data-urlencode "password=fairhearing-demo"
http GET "/staff/cases/$mine/letters/new" -c "$page_jar" -b "$page_jar"
expect_eq "$code" 200 "item 6: the reviewer opens the letter form"
expect_not_contains "$body" 'value="behaviour_warning"' "item 6: the form does not offer the reviewer a behaviour warning"
t=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
letters_before=$(count "SELECT count(*) FROM letters")
http POST "/staff/cases/$mine/letters" -c "$page_jar" -b "$page_jar" --data-urlencode "csrf_token=$t" \
  -d kind=behaviour_warning -d variant=standard -d behaviour=Calls -d evidence=Log
expect_eq "$code" 403 "item 6: posting the page's form for one anyway is refused"
expect_eq "$(count "SELECT count(*) FROM letters")" "$letters_before" "item 6: and no letter is written"

# ---- item 7: the deadlines feed and the lists stay in the caller's organisations --------
other=$(count "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bcp' AND EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.due_on IS NOT NULL)
  ORDER BY c.id LIMIT 1")
[ -n "$other" ]; ok $? "item 7: a bcp case with a deadline ($other)"
# planted straight in the database, as no route may make it (the duties branch refuses it in assign)
count "INSERT INTO case_assignments (case_id, stage, user_id, user_email, role, assigned_on)
  SELECT c.id, 1, u.id, u.email, 'adjudicating_officer', '2026-11-20' FROM cases c, users u
  WHERE c.reference = '$other' AND u.email = 'adjudicator@bct.demo'" >/dev/null
"$fh" token create --db "$db" --user adjudicator@bct.demo --scope feed --name calendar >"$tmp/feed.token" 2>&1
feed=$(cat "$tmp/feed.token")
http GET "/api/v1/calendar/deadlines.ics?token=$feed"
expect_eq "$code" 200 "item 7: the adjudicator's feed opens"
expect_contains "$body" "BCT-" "item 7: ... with their own organisation's deadlines"
expect_not_contains "$body" "$other" "item 7: another organisation's case assigned to them does not leak into the feed"
"$fh" export deadlines --db "$db" --user adjudicator@bct.demo --out "$tmp/export.ics" >/dev/null 2>&1
expect_not_contains "$(cat "$tmp/export.ics")" "$other" "item 7: ... nor into export deadlines"
http GET "/api/v1/cases?limit=1000" -H "$(auth adjudicator)"
expect_not_contains "$body" "$other" "item 7: ... nor into the case list"
http GET "/api/v1/cases?q=$other" -H "$(auth adjudicator)"
expect_eq "$(jq -r .total <<<"$body")" 0 "item 7: ... nor into a search for it"
http GET "/api/v1/cases/$other" -H "$(auth adjudicator)"
expect_eq "$code" 404 "item 7: ... and the case itself is 404"

# ---- item 9: API tokens: scope, expiry, list, revoke -------------------------------------
http GET /api/v1/me -H "Authorization: Bearer $feed"
expect_eq "$code" 403 "item 9: a feed token cannot read anything but the feed"
http POST /api/v1/cases -H "Authorization: Bearer $feed" "${json[@]}" -d "$new_case"
expect_eq "$code" 403 "item 9: ... nor write"
http GET /staff/work -H "Authorization: Bearer $feed"
[ "$code" != 200 ]; ok $? "item 9: ... nor open a staff page ($code)"
http GET "/api/v1/calendar/deadlines.ics?token=$(cat "$tmp/token.adjudicator.bct")"
expect_eq "$code" 401 "item 9: a full API token is refused in the address (only feed tokens go there)"
http GET /api/v1/calendar/deadlines.ics -H "$(auth adjudicator)"
expect_eq "$code" 200 "item 9: ... though it may read the feed in the Authorization header"
"$fh" token create --db "$db" --user adjudicator@bct.demo --scope everything >/dev/null 2>"$tmp/err"
expect_eq "$?" 2 "item 9: an unknown scope is exit 2"
expect_contains "$(cat "$tmp/err")" "--scope must be api or feed" "item 9: ... naming the option"
"$fh" token create --db "$db" --user adjudicator@bct.demo --expires 2020-01-01 >/dev/null 2>"$tmp/err"
expect_eq "$?" 2 "item 9: an expiry in the past is exit 2"
expect_contains "$(cat "$tmp/err")" "expires" "item 9: ... naming --expires"
"$fh" token create --db "$db" --user adjudicator@bct.demo --expires 2099-01-01 >/dev/null 2>"$tmp/err"
expect_eq "$?" 2 "item 9: an expiry more than a year ahead is refused (no token lives for ever)"
"$fh" token create --db "$db" --user adjudicator@bct.demo --expires never >/dev/null 2>"$tmp/err"
expect_eq "$?" 2 "item 9: --expires never is refused"
"$fh" token list --db "$db" --user adjudicator@bct.demo >"$tmp/list" 2>/dev/null
expect_contains "$(cat "$tmp/list")" "feed	live	calendar" "item 9: token list shows the feed token, live"
expect_not_contains "$(cat "$tmp/list")" "${feed:4:20}" "item 9: token list never prints a token"
expect_eq "$(count "SELECT count(*) FROM api_tokens WHERE expires_at IS NULL")" 0 "item 9: every token has an expiry"
feed_id=$(awk -F'\t' '$3 == "feed" { print $1; exit }' "$tmp/list")
server_spawn "$fh" second
second=$spawned_base second_pid=$spawned_pid
code=$(curl -s -o /dev/null -w '%{http_code}' "$second/api/v1/calendar/deadlines.ics?token=$feed")
expect_eq "$code" 200 "item 9: a second server on the same database serves the feed token"
"$fh" token revoke --db "$db" "$feed_id" >/dev/null 2>&1
expect_eq "$?" 0 "item 9: token revoke ID"
http GET "/api/v1/calendar/deadlines.ics?token=$feed"
expect_eq "$code" 401 "item 9: the revoked token stops at once on the first server"
code=$(curl -s -o /dev/null -w '%{http_code}' "$second/api/v1/calendar/deadlines.ics?token=$feed")
expect_eq "$code" 401 "item 9: ... and on the second"
kill -TERM "$second_pid" 2>/dev/null; wait "$second_pid" 2>/dev/null
"$fh" token revoke --db "$db" "$feed_id" >/dev/null 2>"$tmp/err"
expect_eq "$?" 2 "item 9: revoking it twice is refused"
expect_contains "$(cat "$tmp/err")" "already revoked" "item 9: ... saying so"
expect_eq "$(count "SELECT count(*) FROM events WHERE action = 'token_revoked'")" 1 "item 9: the revocation is an audit event"

# ---- item 9: Your API tokens, the staff page ----------------------------------------------
tjar=$tmp/jar.tokens
http GET /staff/login -c "$tjar" -b "$tjar"
t=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
http POST /staff/login -c "$tjar" -b "$tjar" --data-urlencode "csrf_token=$t" \
  --data-urlencode "email=panel@bct.demo" --data-urlencode "password=fairhearing-demo"
http GET /staff/tokens -c "$tjar" -b "$tjar"
expect_eq "$code" 200 "item 9: Your API tokens opens"
expect_contains "$body" "<td>test</td><td>Full API</td>" "item 9: ... listing the token the test set-up made for this user"
t=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
http POST /staff/tokens -c "$tjar" -b "$tjar" -d scope=feed -d name=
expect_eq "$code" 403 "item 9: making one without the form's CSRF token is refused"
http POST /staff/tokens -c "$tjar" -b "$tjar" --data-urlencode "csrf_token=$t" -d scope=feed -d name= -d expires=2020-01-01
expect_eq "$code" 422 "item 9: a token without a name is refused"
expect_contains "$body" '<a href="#name">' "item 9: ... naming the field"
expect_contains "$body" '<a href="#expires">' "item 9: ... and an expiry in the past"
http POST /staff/tokens -c "$tjar" -b "$tjar" --data-urlencode "csrf_token=$t" -d scope=feed --data-urlencode 'name=My <calendar>'
expect_eq "$code" 201 "item 9: a feed token is made"
mine=$(grep -o 'fhf_[A-Za-z0-9_-]*' <<<"$body" | head -1)
[ -n "$mine" ]; ok $? "item 9: ... and shown once"
expect_contains "$body" "deadlines.ics?token=$mine" "item 9: ... with the calendar address"
expect_contains "$body" "My &lt;calendar&gt;" "item 9: the name is escaped"
expect_contains "$headers" "Cache-Control: no-store" "item 9: the page that shows it is not cached"
http GET "/api/v1/calendar/deadlines.ics?token=$mine"
expect_eq "$code" 200 "item 9: the new token reads the feed"
http GET /staff/tokens -c "$tjar" -b "$tjar"
expect_not_contains "$body" "$mine" "item 9: the list never shows the token again"
mine_id=$(count "SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'panel@bct.demo' AND t.scope = 'feed'")
others=$(count "SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = 'head@bct.demo' LIMIT 1")
t=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
http POST "/staff/tokens/$others/revoke" -c "$tjar" -b "$tjar" --data-urlencode "csrf_token=$t"
expect_eq "$code" 404 "item 9: someone else's token cannot be revoked from the page"
expect_eq "$(count "SELECT count(*) FROM api_tokens WHERE id = $others AND revoked_at IS NULL")" 1 "item 9: ... and stays live"
http POST "/staff/tokens/$mine_id/revoke" -c "$tjar" -b "$tjar" --data-urlencode "csrf_token=$t"
expect_eq "$code" 303 "item 9: one's own token is revoked from the page"
http GET "/api/v1/calendar/deadlines.ics?token=$mine"
expect_eq "$code" 401 "item 9: ... and stops at once"

# ---- item 8: no secret in the logs --------------------------------------------------------
known=fhtrack$RANDOM$RANDOM$RANDOM
count "INSERT INTO case_tracking (case_id, token_hash, created_at) SELECT id,
  $(fh_blob "$(printf %s "$known" | b2sum -l 256 | cut -c1-64)"), '2026-11-23T09:00:00Z' FROM cases WHERE reference = '$ref'" >/dev/null
http GET "/o/bct/track/$known"
expect_eq "$code" 200 "item 8: a tracking link opens"
http GET "/o/bct/track/$known/letters/999999"
http GET "/o/bct/track/$known/nothing-here"
expect_not_contains "$body" "$known" "item 8: a 404 under a tracking link does not echo the token"
api_token=$(cat "$tmp/token.manager.bct")
http GET "/api/v1/me" -H "Authorization: Bearer $api_token"
http GET "/api/v1/cases/$api_token"
http POST /api/v1/auth/login "${json[@]}" -d '{"email": "manager@bct.demo", "password": "not-the-password-123"}'
expect_eq "$code" 401 "item 8: a failed sign-in"
http POST /api/v1/auth/login "${json[@]}" -d '{"email": "manager@bct.demo", "password": "fairhearing-demo"}'
session=$(sed -n 's/^Set-Cookie: fh_session=\([^;]*\).*/\1/p' <<<"$headers")
mcsrf=$(jq -r .user.csrf_token <<<"$body")
http GET /api/v1/me -H "Cookie: fh_session=$session"
http POST /api/v1/cases -H "Cookie: fh_session=$session" "${json[@]}" -d "$new_case"
curl -s -o /dev/null "$base/o/bct/%FF%FEraw%0A%22x"
sleep 0.3
log=$(cat "$tmp/server.err" "$tmp/server.out")
for secret in "$known" "$api_token" "$session" "$mcsrf" "not-the-password-123" "$feed"; do
  expect_not_contains "$log" "$secret" "item 8: the server's output never holds a secret (${secret:0:4}...)"
done
digest=$(printf %s "$known" | b2sum -l 128 | cut -c1-8)
expect_contains "$log" "\"path\":\"/o/bct/track/~$digest\"" "item 8: the access log shows the tracking link as ~ and 8 hex of its BLAKE2b"
expect_contains "$log" '"path":"/o/bct/\\xff\\xferaw\\x0a\"x"' "item 8: a path that is not UTF-8 is still logged, escaped"

# ---- item 12: the anonymised report publishes only values from closed lists -----------------
secret_case=$(jq -c '.received_on = "2026-11-20" | .service = "Subject Typed By Staff 42" |
  .parties[0].person.equality = {"preferred_language": "Language Typed 42", "religion": "Belief Typed 42", "sex": "Female", "disability": "no"}' <<<"$new_case")
http POST /api/v1/cases -H "$(auth complaints)" "${json[@]}" -d "$secret_case"
expect_eq "$code" 201 "item 12: a case with free-text answers and subject"
http GET "/api/v1/orgs/bct/report?from=2026-11-01&to=2026-11-23&format=csv" -H "$(auth manager)"
expect_eq "$code" 200 "item 12: the report (not for publication)"
expect_contains "$body" "Subject Typed By Staff 42" "item 12: ... names the subject as typed"
expect_contains "$body" "Language Typed 42" "item 12: ... and the answer as typed"
http GET "/api/v1/orgs/bct/report?from=2026-11-01&to=2026-11-23&format=csv&anonymised=true" -H "$(auth manager)"
expect_eq "$code" 200 "item 12: the anonymised report"
for typed in "Subject Typed By Staff 42" "Language Typed 42" "Belief Typed 42"; do
  expect_not_contains "$body" "$typed" "item 12: the anonymised report does not print '$typed'"
done
expect_contains "$body" "Preferred language,Other," "item 12: ... it counts typed answers as Other"
expect_contains "$body" "Sex,Female," "item 12: ... and publishes answers from a closed list"

# ---- item 13: the received date lies between the organisation's set-up and today ---------
for bad in '1900-01-01' '2026-11-24'; do
  http POST /api/v1/cases -H "$(auth complaints)" "${json[@]}" -d "$(jq -c --arg d "$bad" '.received_on = $d' <<<"$new_case")"
  expect_eq "$code" 422 "item 13: a case received on $bad is refused"
  expect_eq "$(jq -r .error.field <<<"$body")" received_on "item 13: ... naming received_on"
done
http POST /api/v1/cases -H "$(auth complaints)" "${json[@]}" -d "$(jq -c '.received_on = "2006-08-31"' <<<"$new_case")"
expect_eq "$code" 422 "item 13 (SI 2006/1738): with no set-up day recorded, a date before 1 September 2006 is refused"
count "UPDATE organisations SET set_up_on = '2018-04-01' WHERE code = 'bct'" >/dev/null
http POST /api/v1/cases -H "$(auth complaints)" "${json[@]}" -d "$(jq -c '.received_on = "2018-03-31"' <<<"$new_case")"
expect_eq "$code" 422 "item 13: the day before the organisation was set up is refused"
expect_contains "$(jq -r .error.message <<<"$body")" "was set up (2018-04-01)" "item 13: ... saying when it was set up"
http POST /api/v1/cases -H "$(auth complaints)" "${json[@]}" -d "$(jq -c '.received_on = "2018-04-01"' <<<"$new_case")"
expect_eq "$code" 201 "item 13: the set-up day itself is accepted"
jq -c '.received_on = "1900-01-01"' <<<"$new_case" | "$fh" case add --db "$db" --org bct --json - >/dev/null 2>"$tmp/err"
expect_eq "$?" 2 "item 13: case add refuses 1900 (exit 2)"
expect_contains "$(cat "$tmp/err")" "received_on" "item 13: ... naming received_on"
http POST /api/v1/cases -H "$(auth complaints)" "${json[@]}" -d "$(jq -c '.received_on = "2026-11-23"' <<<"$new_case")"
expect_eq "$code" 201 "item 13: today (FAIRHEARING_TODAY) is accepted"
done_testing
