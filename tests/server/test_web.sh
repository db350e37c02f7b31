#!/usr/bin/env bash
# The web pages' contract over HTTP (src/web/web.h): failures on HTML paths
# are pages, not JSON; the stylesheet is cached and the pages are not; the
# JSON API is untouched.
# usage: test_web.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"

http GET /o/bct/
expect_eq "$code" 200 "the start page answers 200"
expect_contains "${headers,,}" "content-type: text/html; charset=utf-8" "a page is text/html in UTF-8"
expect_contains "${headers,,}" "cache-control: no-store" "a page is never cached"
expect_contains "$headers" "frame-ancestors 'none'" "a page may not be framed"
expect_contains "$headers" "Referrer-Policy: no-referrer" "a page sends no referrer"
expect_contains "$body" '<html lang="en-GB">' "a page says its language"
expect_contains "$body" '<a class="skip-link" href="#main">' "a page starts with a skip link"
expect_contains "$body" '<main id="main"' "a page's content is its main landmark"

css=$(grep -oE '/assets/site\.css\?v=[0-9a-f]+' <<<"$body")
http GET "$css"
expect_eq "$code" 200 "the stylesheet named by the page answers 200"
expect_contains "$headers" "Cache-Control: public, max-age=31536000, immutable" "the stylesheet is cached for a year"
expect_contains "$headers" "Content-Type: text/css" "the stylesheet is text/css"

# The times are the installed procedure's, never the page's own: a new
# version with other clocks changes the page at once (STYLE 8).
http GET /o/bccc/
expect_contains "$body" "within <strong>1 week</strong>" "BCCC's page acknowledges within its procedure's 1 week (003 Stage 1)"
v=$(jq .version "$here/../../procedures/bccc.json")
sed -e "s/\"version\": $v/\"version\": $((v + 1))/" \
    -e 's/"acknowledge": {"from": "received", "unit": "weeks", "length": 1/"acknowledge": {"from": "received", "unit": "weeks", "length": 2/' \
    "$here/../../procedures/bccc.json" >"$tmp/bccc-v2.json"
run "$fh" procedures install --db "$db" "$tmp/bccc-v2.json"
expect_rc 0 "a newer version of BCCC's procedure installs"
http GET /o/bccc/
expect_contains "$body" "within <strong>2 weeks</strong>" "the start page shows the new version's time"
http GET /o/bccc/young-people
expect_contains "$body" "We will tell you we got it within 2 weeks." "so does the young people's page"

# issue 19 item 5: an organisation on the Ombudsman's Complaint Handling Code
# says the Code's times, from the procedure file, once it is in force: the
# example council adopted it for non-statutory complaints from 2026-04-01.
http GET /o/example/
expect_contains "$body" "s Complaint Handling Code)</h3>" \
  "after 2026-04-01 the example council's page shows the Code (issue 19 item 5)"
expect_contains "$body" "within <strong>5 working days</strong>" "... acknowledged within 5 working days (LGSCO Code §6.2)"
expect_contains "$body" "We aim to reply within <strong>10 working days</strong> of us acknowledging it" \
  "... Stage 1 answered within 10 working days of the acknowledgement (LGSCO Code §6.3)"
expect_contains "$body" "We will tell you we have received your request within <strong>5 working days</strong>" \
  "... Stage 2 acknowledged within 5 working days (LGSCO Code §6, Stage 2)"
expect_contains "$body" "We aim to reply within <strong>20 working days</strong> of us acknowledging it" \
  "... Stage 2 answered within 20 working days of the acknowledgement (LGSCO Code §6, Stage 2)"
case "$body" in *"Corporate complaints procedure"*) ok 1 "... and not the corporate procedure it replaced" ;;
  *) ok 0 "... and not the corporate procedure it replaced" ;; esac
expect_contains "$body" "s social care statutory complaints procedure</h3>" "... beside its statutory procedure"
server_stop
FAIRHEARING_TODAY=2026-03-20 server_start "$fh"
http GET /o/example/
expect_contains "$body" "Corporate complaints procedure" "before 2026-04-01 the page shows the corporate procedure (issue 19 item 5)"
expect_contains "$body" "We aim to reply within <strong>10 working days</strong> of us receiving it" \
  "... its Stage 1 within 10 working days of receipt (004)"
case "$body" in *"Complaint Handling Code"*) ok 1 "... and not the Code, not yet in force" ;;
  *) ok 0 "... and not the Code, not yet in force" ;; esac
server_stop
server_start "$fh"

http GET /o/nowhere/
expect_eq "$code" 404 "an unknown organisation answers 404"
expect_contains "$headers" "text/html" "an unknown organisation's 404 is a page"
expect_contains "$body" "Page not found" "the 404 page says so"

http GET /o/bct/no-such-page
expect_eq "$code" 404 "an unknown public page answers 404"
expect_contains "$headers" "text/html" "an unknown public page's 404 is HTML, not JSON"

http DELETE /o/bct/
expect_eq "$code" 405 "a method a page does not take answers 405"
expect_contains "$headers" "text/html" "the 405 is a page"
expect_contains "$headers" "Allow: GET" "the 405 names the methods allowed"

http GET /o/bct/ -H 'Cookie: fh_session=fhs_stale-or-forged'
expect_eq "$code" 200 "a stale session cookie does not stop anyone reading a public page"

# A signed-in member of staff's forms carry a token bound to their session
# (web.h): it works with that session and no other, and needs no cookie.
login() { # login JAR: signs complaints@bct.demo in, keeping the cookie in JAR
  http POST /api/v1/auth/login -c "$1" -H 'Content-Type: application/json' \
    -d '{"email": "complaints@bct.demo", "password": "fairhearing-demo"}'
}
login "$tmp/jar1"
expect_eq "$code" 200 "a member of staff signs in"
http GET /o/bct/form/kind -b "$tmp/jar1"
stoken=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
[ ${#stoken} -eq 43 ]; ok $? "a signed-in page carries a CSRF token"
case "$headers" in *fh_csrf=*) ok 1 "no double-submit cookie is set for a session" ;; *) ok 0 "no double-submit cookie is set for a session" ;; esac
http GET /o/bct/form/kind -b "$tmp/jar1"
expect_contains "$body" "value=\"$stoken\"" "the session's token is the same on every page"
login "$tmp/jar2"
http POST /o/bct/form/kind -b "$tmp/jar2" -d "csrf_token=$stoken" -d kind=compliment
expect_eq "$code" 403 "one session's token does not work for another session"
http POST /o/bct/form/kind -b "$tmp/jar1" -d "csrf_token=$stoken" -d kind=compliment
expect_eq "$code" 303 "it works for its own session"

http GET /api/v1/nothing-here
expect_eq "$code" 404 "the JSON API's 404 ..."
expect_contains "$headers" "application/json" "... is still JSON"

done_testing
