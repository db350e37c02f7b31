#!/usr/bin/env bash
# The staff pages over HTTP (src/web/web_staff.h), driven with curl and a
# cookie jar as a browser would: signing in (and the waits after failures), where it may
# send you after, a forged or missing CSRF token refused with nothing
# written, need to know on the case page, an action and a refusal with its
# rule's source, the dashboards' counts against the database, search, the
# access log, administration, and signing out.
# usage: test_staff.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"

# page LOGIN METHOD PATH [CURL ARGS...]: with LOGIN's cookie jar.
page() {
  local jar=$tmp/jar.$1 method=$2 path=$3
  shift 3
  http "$method" "$path" -c "$jar" -b "$jar" "$@"
}
# The CSRF token of the last page (the first form's).
token() { grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//'; }

sign_in() { # sign_in LOGIN EMAIL [NEXT]: sets $code to the answer of the POST
  page "$1" GET /staff/login
  local t
  t=$(token)
  page "$1" POST /staff/login --data-urlencode "csrf_token=$t" --data-urlencode "email=$2" \
    --data-urlencode "password=fairhearing-demo" --data-urlencode "next=${3:-}"
}
events() { fh_sql "$db" "SELECT count(*) FROM events"; }

# ---- signing in --------------------------------------------------------------
http GET /staff/work
expect_eq "$code" 303 "a staff page without signing in answers 303"
expect_contains "$headers" "Location: /staff/login?next=/staff/work" "... to the sign-in page, with where to come back to"

page co GET /staff/login
expect_eq "$code" 200 "the sign-in page answers 200"
expect_contains "$body" 'name="csrf_token"' "the sign-in form carries a CSRF token"
expect_contains "$body" 'autocomplete="current-password"' "the password field says what it is for"

t=$(token)
page co POST /staff/login --data-urlencode "csrf_token=$t" -d 'email=complaints@bct.demo&password=wrong-password'
expect_eq "$code" 401 "a wrong password answers 401 ..."
expect_contains "$body" "There is a problem" "... with the error summary"
expect_contains "$body" "The email address or password is not right" "... saying only that one of them is wrong"
expect_contains "$body" 'value="complaints@bct.demo"' "... and the email kept in the form"

page co POST /staff/login -d 'email=complaints@bct.demo&password=fairhearing-demo'
expect_eq "$code" 403 "a sign-in without its CSRF token is refused (403)"

sign_in co complaints@bct.demo /staff/team
expect_eq "$code" 303 "the right password signs in (303)"
expect_contains "$headers" "Location: /staff/team" "... and goes back to the page asked for"
expect_contains "$headers" "fh_session=fhs_" "... with the session cookie"
expect_contains "$headers" "HttpOnly; SameSite=Strict" "... which scripts cannot read and other sites cannot send"

sign_in evil complaints@bct.demo //evil.example/staff
expect_contains "$headers" "Location: /staff/work" "next= to another site goes home instead"
sign_in evil2 complaints@bct.demo https://evil.example/
expect_contains "$headers" "Location: /staff/work" "next= with a scheme goes home instead"
sign_in evil3 complaints@bct.demo /api/v1/me
expect_contains "$headers" "Location: /staff/work" "next= outside /staff goes home instead"
sign_in evil4 complaints@bct.demo /staff/../api/v1/me
expect_contains "$headers" "Location: /staff/work" "next= that climbs out of /staff goes home instead"

# The API's waits (issue 16 item 2): five failures from one address make it wait.
for i in 1 2 3 4 5; do
  page lock GET /staff/login
  t=$(token)
  page lock POST /staff/login --data-urlencode "csrf_token=$t" -d 'email=reviewer@bcp.demo&password=not-the-password'
done
sign_in lock2 reviewer@bcp.demo
expect_eq "$code" 429 "issue 16 item 2: after five failures from here even the right password waits (429)"
expect_contains "$body" "too many failed sign-ins to this account from here" "... saying why"
expect_contains "$body" "Wait 1 minute before" "... and how long"
expect_contains "$headers" "Retry-After:" "... and when to try again"

# ---- the dashboards ---------------------------------------------------------------
page co GET /staff/team
expect_eq "$code" 200 "the team dashboard answers 200"
open=$(fh_sql "$db" "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.state IN ('received', 'open', 'suspended')")
overdue=$(fh_sql "$db" "SELECT count(*) FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.state IN ('received', 'open', 'suspended') AND
  (SELECT min(due_on) FROM case_deadlines d WHERE d.case_id = c.id AND CAST(d.stopped AS INTEGER) = 0) < '$FAIRHEARING_TODAY'")
expect_contains "$body" "<span class=\"card-count\">$open</span> <span class=\"card-label\">open in all" "it counts every open bct case ($open)"
expect_contains "$body" "<span class=\"card-count\">$overdue</span> <span class=\"card-label\">overdue" "it counts the overdue ones from the deadlines ($overdue)"
first=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.state IN ('received', 'open', 'suspended') AND c.next_due IS NOT NULL
  ORDER BY c.next_due, c.id LIMIT 1")
expect_contains "$body" "href=\"/staff/cases/$first\"" "the soonest due case is listed, with a link ($first)"
page co GET '/staff/team?stage=9'
expect_eq "$code" 400 "a stage that does not exist answers 400 ..."
expect_contains "$body" "stage" "... naming the field"
page co GET '/staff/team?clock=overdue&stage=1'
expect_eq "$code" 200 "a filtered view answers 200"

# The investigator sees only the cases assigned to them.
sign_in inv investigator@bct.demo
page inv GET /staff/work
assigned=$(fh_sql "$db" "SELECT count(DISTINCT a.case_id) FROM case_assignments a JOIN cases c ON c.id = a.case_id
  JOIN users u ON u.id = a.user_id WHERE u.email = 'investigator@bct.demo' AND a.ended_at IS NULL
  AND c.state IN ('received', 'open', 'suspended')")
expect_contains "$body" "<span class=\"card-count\">$assigned</span> <span class=\"card-label\">open in all" "an investigator's work is the open cases assigned to them ($assigned; DOMAIN §8)"

# ---- need to know on the case page -----------------------------------------------
ref=$(fh_json_pick "$db" "SELECT c.reference, l.state FROM cases c JOIN organisations o ON o.id = c.org_id
  JOIN case_deadlines d ON d.case_id = c.id AND d.stage = 1 AND d.clock = 'response'
  AND d.due_on IS NOT NULL AND CAST(d.stopped AS INTEGER) = 0 JOIN case_lifecycle l ON l.case_id = c.id
  WHERE o.code = 'bct' AND c.state = 'open' AND c.stage = 1 AND NOT EXISTS (SELECT 1 FROM case_assignments a
  JOIN users u ON u.id = a.user_id WHERE a.case_id = c.id AND u.email = 'investigator@bct.demo') ORDER BY c.id" \
  '.stages[0].clocks.response.extended_to == 0 and .stages[0].clocks.response.limit == 10')
page co GET "/staff/cases/$ref"
expect_eq "$code" 200 "the complaints team opens a case ($ref)"
expect_contains "$body" "What you can do now" "the case page lists the actions allowed now"
expect_contains "$body" "Deadlines" "the case page shows the deadlines"
reads=$(fh_sql "$db" "SELECT count(*) FROM access_log l JOIN cases c ON c.id = l.case_id
  WHERE c.reference = '$ref' AND l.actor = 'complaints@bct.demo'")
[ "$reads" -ge 1 ]; ok $? "opening the case page is in the access log ($reads)"
page inv GET "/staff/cases/$ref"
expect_eq "$code" 404 "an investigator not assigned to the case gets 404 ..."
expect_contains "$headers" "text/html" "... as a page"
sign_in bcp complaints@bcp.demo
page bcp GET "/staff/cases/$ref"
expect_eq "$code" 404 "another organisation's complaints team gets 404"
page bcp GET "/staff/cases/$ref/actions/extend"
expect_eq "$code" 404 "... and cannot reach its action forms"

# ---- an action, a refusal, a forged token ---------------------------------------------
page co GET "/staff/cases/$ref/actions/extend"
expect_eq "$code" 200 "the extension form answers 200"
reasons=$(grep -o 'name="because" type="radio" value="[a-z_]*"' <<<"$body" | sed 's/.*value="//; s/"//' | tr '\n' ' ')
expect_eq "$reasons" "complex advocate " \
  "the reasons offered to extend are the procedure file's for Stage 1 (001 B Stage 1: complex, advocate)"
ref2=$(fh_sql "$db" "SELECT c.reference FROM cases c JOIN organisations o ON o.id = c.org_id
  WHERE o.code = 'bct' AND c.procedure_code = 'bct-statutory' AND c.stage = 2 ORDER BY c.id LIMIT 1")
page co GET "/staff/cases/$ref2/actions/extend"
reasons=$(grep -o 'name="because" type="radio" value="[a-z_]*"' <<<"$body" | sed 's/.*value="//; s/"//' | tr '\n' ' ')
expect_eq "$reasons" "complex " \
  "at Stage 2 of $ref2 only the file's Stage 2 reason is offered (001 B Stage 2: complex)"
! grep -q 'name="good_reason"' <<<"$body"
ok $? "no good-reason field where the procedure caps the extension outright (001 B Stage 2)"
t=$(token)
before=$(events)
page co POST "/staff/cases/$ref/actions/extend" --data-urlencode "csrf_token=$t" \
  -d 'on=2026-11-23&clock=response&to=99&because=complex&reason=Many+records+to+read'
expect_eq "$code" 422 "an extension past the procedure's limit is refused (422) ..."
expect_contains "$body" "(001 B Stage 1)" "... with the rule's source (001 B Stage 1)"
expect_contains "$body" 'value="99"' "... and the form as it was filled in"
expect_contains "$body" "Many records to read" "... every field of it"
expect_eq "$(events)" "$before" "... and nothing written"

page co POST "/staff/cases/$ref/actions/extend" --data-urlencode "csrf_token=$t" \
  -d 'on=2027-01-04&clock=response&to=20&because=complex&reason=Many+records+to+read'
expect_eq "$code" 422 "an action dated in the future is refused (422) ..."
expect_contains "$body" '<a href="#on">Date is in the future</a>' "... the summary naming the field by its label and linking to it"
expect_contains "$body" 'value="2027-01-04"' "... the date kept as typed"
expect_eq "$(events)" "$before" "... and nothing written"

page co POST "/staff/cases/$ref/actions/extend" -d 'csrf_token=forged&on=2026-11-23&clock=response&to=20&because=complex&reason=x'
expect_eq "$code" 403 "a forged CSRF token is refused (403) ..."
expect_contains "$body" "This form has expired" "... with a page saying so"
expect_eq "$(events)" "$before" "... and nothing written"
page inv GET /staff/work
tinv=$(token)
page co POST "/staff/cases/$ref/actions/extend" --data-urlencode "csrf_token=$tinv" -d 'on=2026-11-23&clock=response&to=20&because=complex&reason=x'
expect_eq "$code" 403 "another user's CSRF token is refused (tokens are bound to the session)"
page co POST "/staff/cases/$ref/actions/extend" -H 'Content-Type: application/json' -d '{"to": 20}'
expect_eq "$code" 415 "JSON to a form is refused (415)"

page co POST "/staff/cases/$ref/actions/extend" --data-urlencode "csrf_token=$t" \
  -d 'on=2026-11-23&clock=response&to=20&because=complex&reason=Many+records+to+read'
expect_eq "$code" 303 "an extension within the limit is done (303) ..."
expect_contains "$headers" "Location: /staff/cases/$ref?done=extend" "... back to the case"
expect_eq "$(events)" "$((before + 1))" "... with one event"
last=$(fh_sql "$db" "SELECT action || ' ' || actor || ' ' || reason FROM events ORDER BY id DESC LIMIT 1")
expect_eq "$last" "extend complaints@bct.demo Many records to read" "... that says what, who and why"
page co GET "/staff/cases/$ref?done=extend"
expect_contains "$body" "Done: Extend a clock" "the case page says it was done"
sign_in ex complaints@example.demo
ref3=$(fh_sql "$db" "SELECT c.reference FROM cases c WHERE c.procedure_code = 'example-lgsco-code'
  AND c.state = 'open' AND c.stage = 1 ORDER BY c.id LIMIT 1")
page ex GET "/staff/cases/$ref3/actions/extend"
expect_contains "$body" 'name="good_reason"' \
  "the Code's case $ref3 asks for a good reason to go past 10 more working days (LGSCO Code §6.4)"

# A document, checked as the API checks an upload.
printf 'Notes of the call on 20 November.\n' >"$tmp/note.txt"
printf '<html><script>alert(1)</script></html>' >"$tmp/page.html"
page co GET "/staff/cases/$ref"
t=$(token)
docs=$(fh_sql "$db" "SELECT count(*) FROM documents")
page co POST "/staff/cases/$ref/documents" -F "csrf_token=$t" -F "visibility=staff" \
  -F "file=@$tmp/note.txt;type=text/plain"
expect_eq "$code" 303 "a document is added from the case page (303) ..."
expect_eq "$(fh_sql "$db" "SELECT filename || ' ' || visibility || ' ' || uploaded_by FROM documents ORDER BY id DESC LIMIT 1")" \
  "note.txt staff complaints@bct.demo" "... kept with its name, visibility and who added it"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'document_added'")" 1 "... and its audit event"
page co POST "/staff/cases/$ref/documents" -F "csrf_token=$t" -F "file=@$tmp/page.html;type=text/html"
expect_eq "$code" 422 "an HTML file is refused (422) ..."
expect_contains "$body" "The file must be a PDF, PNG, JPEG, plain text or Word document" "... saying which types are taken"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM documents")" "$((docs + 1))" "... and nothing is kept"
page co POST "/staff/cases/$ref/documents" -F "csrf_token=forged" -F "file=@$tmp/note.txt;type=text/plain"
expect_eq "$code" 403 "a document with a forged CSRF token is refused (403)"

page co GET "/staff/cases/$ref/actions/no-such-action"
expect_eq "$code" 404 "an action that does not exist answers 404"

# A role the rules do not let act: the lifecycle's refusal, not the route's.
sign_in dir director@bct.demo
page dir GET "/staff/cases/$ref/actions/close"
t=$(token)
page dir POST "/staff/cases/$ref/actions/close" --data-urlencode "csrf_token=$t" -d 'on=2026-11-23'
case "$code" in 403|409|422) ok 0 "a director closing a Stage 1 case is refused by the rules ($code)" ;;
  *) ok 1 "a director closing a Stage 1 case is refused by the rules (got $code)" ;; esac

# ---- search --------------------------------------------------------------------------
family=$(fh_sql "$db" "SELECT p.family_name FROM people p JOIN case_parties cp ON cp.person_id = p.id
  JOIN cases c ON c.id = cp.case_id WHERE c.reference = '$ref' AND p.family_name != '' LIMIT 1")
page co GET "/staff/search?q=$family"
expect_eq "$code" 200 "a search by family name answers 200 ..."
expect_contains "$body" "/staff/cases/$ref" "... and finds the case"
searches=$(fh_sql "$db" "SELECT count(*) FROM access_log WHERE what = 'search' AND detail = '$family'")
[ "$searches" -ge 1 ]; ok $? "the search is in the access log"
page inv GET "/staff/search?q=$ref"
case "$body" in *"/staff/cases/$ref"*) ok 1 "an investigator's search does not find a case they are not on" ;;
  *) ok 0 "an investigator's search does not find a case they are not on" ;; esac
# Keyset pages: "Next page" carries the cursor of the page's last
# case; following it from the first page shows every match exactly once.
url="/staff/search?q=the"
refs=""
pages=0
while [ -n "$url" ] && [ "$pages" -lt 50 ]; do
  page co GET "$url"
  [ "$code" = 200 ] || break
  refs+=$(grep -o '<tr><td><a href="/staff/cases/[^"]*"' <<<"$body" | sed 's|.*/staff/cases/||; s|"$||')$'\n'
  pages=$((pages + 1))
  [ "$pages" = 1 ] && caption=$(grep -o '<caption>[0-9]* cases match' <<<"$body" | grep -o '[0-9]*')
  url=$(grep -o 'rel="next" href="[^"]*"' <<<"$body" | sed 's|.*href="||; s|"$||; s|&amp;|\&|g')
done
shown=$(sed '/^$/d' <<<"$refs")
expect_eq "$code" 200 "each search page reached by Next page answers 200"
[ "$pages" -gt 1 ]; ok $? "a search for 'the' takes more than one page ($pages)"
expect_eq "$(wc -l <<<"$shown")" "${caption:-none}" "Next page links show as many cases as the count says"
expect_eq "$(sort <<<"$shown" | uniq -d | wc -l)" 0 "and none twice"
expect_contains "$body" "First page" "a later page links back to the first"
page co GET "/staff/search?q=the&after=not-a-cursor"
expect_eq "$code" 400 "a malformed cursor (after) is 400 ..."
expect_contains "$body" "after" "... naming the field"
page co GET "/staff/search?q=%3Cscript%3Ealert(1)%3C/script%3E"
case "$body" in *"<script>alert(1)"*) ok 1 "what was searched for is escaped on the page" ;;
  *) ok 0 "what was searched for is escaped on the page" ;; esac

# ---- administration -------------------------------------------------------------------
page co GET /staff/admin/bct/users
expect_eq "$code" 403 "the complaints team cannot administer users (403)"
sign_in adm admin@bct.demo
page adm GET /staff/admin/bcp/users
expect_eq "$code" 404 "bct's administrator cannot see bcp's users (404)"
page adm GET /staff/admin/bct/closures
t=$(token)
before=$(events)
page adm POST /staff/admin/bct/closures --data-urlencode "csrf_token=$t" -d 'date=2026-12-29&reason=Winter+closure'
expect_eq "$code" 303 "an administrator adds a closure day"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'closure_day_added'")" 1 "... with its audit event"
page adm POST /staff/admin/bct/closures --data-urlencode "csrf_token=$t" -d 'date=2026-02-30'
expect_eq "$code" 422 "a date that does not exist is refused (422) ..."
expect_contains "$body" "Enter a real date" "... saying why"
page adm GET /staff/admin/bct/users
t=$(token)
page adm POST /staff/admin/bct/users --data-urlencode "csrf_token=$t" -d 'email=temp.officer@bct.demo&name=Temp+Officer&role=investigating_officer&password=a-long-enough-password'
expect_eq "$code" 303 "an administrator adds a user"
page adm POST /staff/admin/bct/users/temp.officer@bct.demo/disable --data-urlencode "csrf_token=$t" -d 'disabled=true'
expect_eq "$code" 303 "... and disables them"
expect_eq "$(fh_sql "$db" "SELECT CAST(disabled AS INTEGER) FROM users WHERE email = 'temp.officer@bct.demo'")" 1 "... which the database records"
page adm GET /staff/admin/bct/procedures
t=$(token)
http POST /staff/admin/bct/procedures -c "$tmp/jar.adm" -b "$tmp/jar.adm" -F "csrf_token=$t" \
  -F "file=@$here/../../procedures/bcp-corporate.json;type=application/json"
expect_eq "$code" 422 "another organisation's procedure file is refused (422) ..."
expect_contains "$body" "another organisation" "... saying so"

# ---- signing out -------------------------------------------------------------------------
page co GET /staff/work
t=$(token)
page co POST /staff/logout --data-urlencode "csrf_token=$t"
expect_eq "$code" 303 "signing out answers 303 ..."
expect_contains "$headers" "Location: /staff/login" "... to the sign-in page"
page co GET /staff/work
expect_eq "$code" 303 "after signing out, a staff page sends you to sign in again"

done_testing
