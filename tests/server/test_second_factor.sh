#!/usr/bin/env bash
# The second factor for password sign-in (issue 18 item 5; docs/security.md,
# "Second factor"), through the staff pages with curl and a cookie jar as a
# browser would, and through the API: enrolment on Your account (a QR code
# drawn on the server, the key as text, confirmed with a code), signing in
# with password and code, a replayed code, a wrong code and a used recovery
# code refused, an unused recovery code let in, the challenge good once,
# the API's login with "code", API tokens unaffected, an organisation that
# requires a second factor sending its staff straight to enrolment, and an
# administrator's reset over the page, the API and the command line.
#
# The codes are computed here, apart from the server: RFC 6238 (HMAC-SHA-1,
# 30-second steps, 6 digits) in node, checked first against RFC 6238
# Appendix B's vector.
# usage: test_second_factor.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
server_setup "$fh"

page() { # page LOGIN METHOD PATH [CURL ARGS...]: with LOGIN's cookie jar
  local jar=$tmp/jar.$1 method=$2 path=$3
  shift 3
  http "$method" "$path" -c "$jar" -b "$jar" "$@"
}
token() { grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//'; }
password_step() { # password_step LOGIN EMAIL: the sign-in page's POST; $code, $headers
  page "$1" GET /staff/login
  local t
  t=$(token)
  page "$1" POST /staff/login --data-urlencode "csrf_token=$t" --data-urlencode "email=$2" \
    --data-urlencode "password=fairhearing-demo" --data-urlencode "next=/staff/team"
}
code_step() { # code_step LOGIN CODE: the code page's POST
  page "$1" GET /staff/login/code
  local t
  t=$(token)
  page "$1" POST /staff/login/code --data-urlencode "csrf_token=$t" --data-urlencode "code=$2" \
    --data-urlencode "next=/staff/team"
}
sign_out() {
  page "$1" GET /staff/account
  local t
  t=$(token)
  page "$1" POST /staff/logout --data-urlencode "csrf_token=$t"
}
count() { fh_sql "$db" "SELECT count(*) FROM events WHERE action = '$1'"; }

# RFC 6238's TOTP of a base32 KEY at 30-second STEP, six digits.
totp() {
  node -e '
    const [b32, step] = process.argv.slice(1);
    const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bits = "";
    for (const ch of b32) bits += abc.indexOf(ch).toString(2).padStart(5, "0");
    const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
    const msg = Buffer.alloc(8);
    msg.writeBigUInt64BE(BigInt(step));
    const h = require("crypto").createHmac("sha1", key).update(msg).digest();
    const o = h[19] & 15;
    const n = (((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1e6;
    console.log(String(n).padStart(6, "0"));' "$1" "$2"
}
now_step() { echo $(($(date +%s) / 30)); }
# next_code KEY: into $next, the code of the step after the last one used
# ($last, then moved on), at least the current step, so that it is good for
# thirty seconds more on a slow machine. Only the first two codes of a user
# can be ahead of the clock that way (the server takes one step either side
# of its own); see fresh_code for the others.
next_code() {
  local s=$((last + 1)) n
  n=$(now_step)
  [ "$s" -lt "$n" ] && s=$n
  if [ "$s" -gt $((n + 1)) ]; then
    echo "Bail out! next_code: step $s is more than one step ahead of the clock (use fresh_code)"
    exit 1
  fi
  last=$s
  next=$(totp "$1" "$s")
}
# fresh_code KEY EMAIL: into $next, the code of the current step, after
# moving EMAIL's last used step (user_totp.last_step, the replay guard) back
# before it in the database. This stands in for the thirty seconds a user
# waits between two sign-ins: without it each further code waited for the
# clock's next step, most of this test's time. The guard itself is checked
# where it matters, with the step moved on by the server alone (a replayed
# code refused, the next code accepted).
fresh_code() {
  local n
  n=$(now_step)
  fh_sql "$db" "UPDATE user_totp SET last_step = $((n - 1)) WHERE last_step >= $n
    AND user_id = (SELECT id FROM users WHERE email = '$2')" >/dev/null
  last=$n
  next=$(totp "$1" "$n")
}

# The computation checked against RFC 6238 Appendix B (T=59: 94287082, 6 digits 287082).
expect_eq "$(totp GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ 1)" 287082 "RFC 6238 Appendix B: the test's own TOTP gives 287082 at T=59"

# ---- enrolment -------------------------------------------------------------------------
password_step co complaints@bct.demo
expect_eq "$code" 303 "without a second factor, the password alone signs in"
expect_contains "$headers" "fh_session=fhs_" "... with a session"
page co GET /staff/account
expect_eq "$code" 200 "Your account answers 200"
expect_contains "$body" "Set up a second factor" "... offering to set up a second factor"
t=$(token)
page co POST /staff/account/second-factor/setup -d csrf_token=forged
expect_eq "$code" 403 "setting up without the CSRF token is refused (403)"
page co POST /staff/account/second-factor/setup --data-urlencode "csrf_token=$t"
expect_eq "$code" 303 "setting up answers 303 ..."
expect_contains "$headers" "Location: /staff/account" "... back to Your account"
page co GET /staff/account
expect_contains "$body" "<svg" "the QR code is drawn on the page (inline SVG) ..."
expect_contains "$body" "otpauth://totp/Birmingham%20Children%27s%20Trust:complaints%40bct.demo?secret=" "... of the otpauth URI (issuer: the organisation; account: the email)"
ok "$(grep -c '<script' <<<"$body" | grep -qx 0 && echo 0 || echo 1)" "... with no script on the page"
key=$(grep -o 'secret=[A-Z2-7]*' <<<"$body" | head -1 | sed 's/secret=//')
expect_eq "${#key}" 32 "the key is 160 bits: 32 base32 letters"
expect_contains "$body" "<code>$key</code>" "... shown as text for entering by hand"
t=$(token)
page co POST /staff/account/second-factor/confirm --data-urlencode "csrf_token=$t" -d code=000000
expect_eq "$code" 422 "a wrong code does not confirm it (422) ..."
expect_contains "$body" "The code is not right" "... saying so"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM user_totp t JOIN users u ON u.id = t.user_id WHERE u.email = 'complaints@bct.demo' AND enrolled_at IS NOT NULL")" 0 "... and nothing is enrolled"
last=$(($(now_step) - 2))
next_code "$key"
enrol_code=$next
t=$(token)
page co POST /staff/account/second-factor/confirm --data-urlencode "csrf_token=$t" -d "code=$enrol_code"
expect_eq "$code" 200 "the current code confirms it ..."
expect_contains "$body" "Your recovery codes" "... and the recovery codes are shown"
mapfile -t recovery < <(grep -o '[A-Z2-7]\{4\}-[A-Z2-7]\{4\}-[A-Z2-7]\{4\}-[A-Z2-7]\{4\}' <<<"$body")
expect_eq "${#recovery[@]}" 10 "... ten of them"
expect_eq "$(count second_factor_enrolled)" 1 "enrolment is an audit event"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE data LIKE '%$key%'")" 0 "the key is in no audit event"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM recovery_codes WHERE length(code_hash) = 32")" 10 "only digests of the recovery codes are kept"
page co GET /staff/account
ok "$(grep -q "$key" <<<"$body" && echo 1 || echo 0)" "once enrolled, the key is never shown again"
ok "$(grep -q '<svg' <<<"$body" && echo 1 || echo 0)" "... nor its QR code"
expect_contains "$body" "You have 10 unused recovery codes" "Your account counts the unused recovery codes"

# ---- signing in with password and code ----------------------------------------------------
sign_out co
password_step co complaints@bct.demo
expect_eq "$code" 303 "a right password for an enrolled user answers 303 ..."
expect_contains "$headers" "Location: /staff/login/code?next=/staff/team" "... to the code page"
expect_contains "$headers" "fh_signin=fhc_" "... with the challenge cookie"
expect_contains "$headers" "Path=/staff/login; Max-Age=300; HttpOnly; SameSite=Strict" "... for the sign-in pages only, five minutes, HttpOnly and SameSite"
ok "$(grep -q 'fh_session=fhs_' <<<"$headers" && echo 1 || echo 0)" "... and no session yet"
challenge=$(grep -o 'fh_signin=fhc_[^;]*' <<<"$headers" | sed 's/fh_signin=//')
page co GET /staff/work
expect_eq "$code" 303 "the half-signed-in browser reaches no staff page"
failures=$(count sign_in_failed)
page co GET /staff/login/code
expect_eq "$code" 200 "the code page answers 200"
t=$(token)
page co POST /staff/login/code -d csrf_token=forged --data-urlencode "code=$enrol_code"
expect_eq "$code" 403 "the code page without its CSRF token is refused (403)"
code_step co "$enrol_code"
expect_eq "$code" 401 "a replayed code (the one that confirmed enrolment) is refused (401)"
expect_contains "$body" "The code is not right, or has been used already" "... saying so"
code_step co 000000
expect_eq "$code" 401 "a wrong code is refused (401)"
expect_eq "$(count sign_in_failed)" $((failures + 2)) "wrong codes count as failed sign-ins (the same throttle as passwords)"
next_code "$key"
first=$next
code_step co "$first"
expect_eq "$code" 303 "the next code signs in (303) ..."
expect_contains "$headers" "Location: /staff/team" "... to where it was going"
expect_contains "$headers" "fh_session=fhs_" "... with a session"
expect_contains "$headers" "fh_signin=; Path=/staff/login; Max-Age=0" "... and the challenge cookie forgotten"
page co GET /staff/work
expect_eq "$code" 200 "signed in, the staff pages answer 200"
http POST /staff/login/code -b "fh_signin=$challenge" -c "$tmp/jar.replay" -d csrf_token=forged -d "code=$first"
expect_eq "$code" 403 "a challenge replayed without the form's token is refused"
http GET /staff/login/code -b "fh_signin=$challenge" -c "$tmp/jar.replay"
t=$(token)
fresh_code "$key" complaints@bct.demo
http POST /staff/login/code -b "$tmp/jar.replay" -b "fh_signin=$challenge" --data-urlencode "csrf_token=$t" --data-urlencode "code=$next"
expect_eq "$code" 401 "a challenge is good once: used, it no longer signs in ..."
expect_contains "$body" "Your sign-in has expired" "... and the password is asked for again"

# ---- recovery codes ----------------------------------------------------------------------
sign_out co
password_step co complaints@bct.demo
code_step co "${recovery[0],,}"
expect_eq "$code" 303 "an unused recovery code signs in (typed in lower case)"
expect_eq "$(count recovery_code_used)" 1 "... an audit event"
sign_out co
password_step co complaints@bct.demo
code_step co "${recovery[0]}"
expect_eq "$code" 401 "a used recovery code is refused (401)"
code_step co "${recovery[1]}"
expect_eq "$code" 303 "... and another unused one lets in"

# new recovery codes need a current code
page co GET /staff/account
t=$(token)
page co POST /staff/account/second-factor/recovery-codes --data-urlencode "csrf_token=$t" --data-urlencode "code=${recovery[2]}"
expect_eq "$code" 422 "new recovery codes are not made for a recovery code (422)"
fresh_code "$key" complaints@bct.demo
page co POST /staff/account/second-factor/recovery-codes --data-urlencode "csrf_token=$t" --data-urlencode "code=$next"
expect_eq "$code" 200 "... but for a current code"
mapfile -t renewed < <(grep -o '[A-Z2-7]\{4\}-[A-Z2-7]\{4\}-[A-Z2-7]\{4\}-[A-Z2-7]\{4\}' <<<"$body")
expect_eq "${#renewed[@]}" 10 "... ten new ones shown"
expect_eq "$(count recovery_codes_renewed)" 1 "... an audit event"

# ---- the API -----------------------------------------------------------------------------
http POST /api/v1/auth/login -H 'Content-Type: application/json' -d '{"email":"complaints@bct.demo","password":"fairhearing-demo"}'
expect_eq "$code" 401 "the API's password login of an enrolled user without a code is refused (401) ..."
expect_eq "$(jq -r .error.code <<<"$body")" second_factor_required "... as second_factor_required"
http POST /api/v1/auth/login -H 'Content-Type: application/json' -d '{"email":"complaints@bct.demo","password":"fairhearing-demo","code":"000000"}'
expect_eq "$code" 401 "... a wrong code is refused (401)"
expect_eq "$(jq -r .error.code <<<"$body")" invalid_credentials "... as invalid_credentials"
http POST /api/v1/auth/login -H 'Content-Type: application/json' -d "{\"email\":\"complaints@bct.demo\",\"password\":\"fairhearing-demo\",\"code\":\"${renewed[0]}\"}"
expect_eq "$code" 200 "... a recovery code signs in (200)"
fresh_code "$key" complaints@bct.demo
http POST /api/v1/auth/login -H 'Content-Type: application/json' -d "{\"email\":\"complaints@bct.demo\",\"password\":\"fairhearing-demo\",\"code\":\"$next\"}"
expect_eq "$code" 200 "... and so does a current code"
http GET /api/v1/me -H "$(auth complaints)"
expect_eq "$code" 200 "an API token is unaffected by the second factor"

# ---- an administrator's reset -------------------------------------------------------------
password_step adm admin@bct.demo
page adm GET /staff/admin/bct/users
expect_contains "$body" "Second factor on" "the users page says who has a second factor"
t=$(token)
page adm POST /staff/admin/bct/users/complaints@bct.demo/second-factor/reset --data-urlencode "csrf_token=$t"
expect_eq "$code" 303 "an administrator resets a user's second factor on the users page (303)"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'totp_reset' AND actor = 'admin@bct.demo' AND data LIKE '%\"by\":\"admin@bct.demo\"%'")" 1 "... an audit event totp_reset naming who did it"
password_step co2 complaints@bct.demo
expect_contains "$headers" "fh_session=fhs_" "after the reset the password alone signs in again"
http POST /api/v1/orgs/bct/users/complaints@bct.demo/second-factor/reset -H "$(auth admin)"
expect_eq "$code" 409 "the API's reset of a user with no second factor is refused (409)"
http POST /api/v1/orgs/bct/users/complaints@bct.demo/second-factor/reset -H "$(auth complaints)"
expect_eq "$code" 403 "only an administrator may reset one (403)"

# ---- an organisation that requires a second factor ----------------------------------------
http POST /api/v1/orgs/bct/second-factor -H "$(auth admin)" -H 'Content-Type: application/json' -d '{"required":"yes"}'
expect_eq "$code" 422 "the requirement must be true or false (422)"
http POST /api/v1/orgs/bct/second-factor -H "$(auth admin)" -H 'Content-Type: application/json' -d '{"required":true}'
expect_eq "$code" 200 "an administrator requires a second factor over the API (200)"
run "$fh" org export --db "$db" bct
expect_contains "$out" '"second_factor": "required"' "... which the organisation's file now says (policy.second_factor)"
password_step mgr manager@bct.demo
expect_eq "$code" 303 "a user without one signs in by password ..."
expect_contains "$headers" "Location: /staff/account" "... and is taken straight to enrolment"
page mgr GET /staff/work
expect_eq "$code" 303 "... before any other page"
expect_contains "$headers" "Location: /staff/account" "... which sends them back to it"
page mgr GET /api/v1/me
expect_eq "$code" 403 "... nor the API with that session (403)"
http GET /api/v1/me -H "$(auth manager)"
expect_eq "$code" 200 "... while their API token is unaffected"
http POST /api/v1/auth/login -H 'Content-Type: application/json' -d '{"email":"investigator@bct.demo","password":"fairhearing-demo"}'
expect_eq "$code" 403 "the API's password login of such a user is refused until they enrol ..."
expect_eq "$(jq -r .error.code <<<"$body")" second_factor_enrolment_required "... as second_factor_enrolment_required"
page mgr GET /staff/account
expect_contains "$body" "Your organisation requires a second factor" "the account page says why"
t=$(token)
page mgr POST /staff/account/second-factor/setup --data-urlencode "csrf_token=$t"
page mgr GET /staff/account
mkey=$(grep -o 'secret=[A-Z2-7]*' <<<"$body" | head -1 | sed 's/secret=//')
t=$(token)
page mgr POST /staff/account/second-factor/confirm --data-urlencode "csrf_token=$t" --data-urlencode "code=$(totp "$mkey" "$(now_step)")"
expect_eq "$code" 200 "they enrol ..."
ok "$(grep -q 'Turn off the second factor' <<<"$body" && echo 1 || echo 0)" "... and cannot turn it off while it is required"
page mgr GET /staff/work
expect_eq "$code" 200 "... and then reach the other pages"

# ---- the command line's reset ------------------------------------------------------------
run "$fh" user totp-reset --db "$db"
expect_eq "$rc" 2 "user totp-reset without an EMAIL exits 2"
run "$fh" user totp-reset --db "$db" --actor ops@bct.demo manager@bct.demo
expect_eq "$rc" 0 "user totp-reset resets a user's second factor ..."
expect_contains "$out" "second factor reset for manager@bct.demo" "... saying so"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'totp_reset' AND actor = 'ops@bct.demo'")" 1 "... an audit event naming who"
run "$fh" user totp-reset --db "$db" manager@bct.demo
expect_eq "$rc" 2 "... and a user with none exits 2 ..."
expect_contains "$err" "has no second factor to reset" "... saying why"
password_step mgr2 manager@bct.demo
expect_contains "$headers" "Location: /staff/account" "after the reset, the required second factor is set up again at the next sign-in"

done_testing
