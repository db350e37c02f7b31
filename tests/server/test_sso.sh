#!/usr/bin/env bash
# Staff single sign-on with OpenID Connect (issue 18 items 1-4; docs/sso.md),
# against real providers on loopback (tests/sso/provider.mjs): oidc-provider
# with two clients for two organisations (bct, bcp) and key rotation, and a
# forging provider (bccc) whose ID tokens the test chooses.  The flow is
# driven over HTTP as a browser would (tests/sso/flow.mjs: the redirects,
# the provider's login and consent forms, the callback).
#
# Checked: the settings over the command line and the API (the secret never
# given, never shown); the sign-in page's button; a sign-in bound to
# (iss, sub) and found by it after the email changes at the provider; key
# rotation without a restart; each refusal of item 2 (alg none, HS256 keyed
# with the public key, expired, wrong audience, replayed state, replayed
# code, another organisation's provider) and of item 3 (unverified email, no
# account, a disabled user, a domain not allowed), each with its page and
# its audit event; an account made with no role when the organisation asks;
# password sign-in turned off and on; sign-out at the provider too.
# usage: test_sso.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"

out=$(bash "$root/scripts/install-node-tools.sh" 2>&1) ||
  { echo "Bail out! the npm packages (oidc-provider) could not be installed: $out"; exit 1; }

export FH_TEST_BCP_SECRET=bcp-secret # the bcp client's secret, read from the environment
server_setup "$fh"

op_pid=
node "$root/tests/sso/provider.mjs" "$base" "$tmp/op.txt" >"$tmp/op.log" 2>&1 &
op_pid=$!
trap 'kill "$op_pid" 2>/dev/null; server_stop; fh_db_cleanup; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do [ -s "$tmp/op.txt" ] && break; sleep 0.1; done
real=$(awk '$1 == "real" {print $2}' "$tmp/op.txt")
forge=$(awk '$1 == "forge" {print $2}' "$tmp/op.txt")
[ -n "$real" ] && [ -n "$forge" ] || { echo "Bail out! the providers did not start: $(cat "$tmp/op.log")"; exit 1; }

flow() { # flow ORG LOGIN [stop]: one sign-in through the provider; sets $r
  r=$(node "$root/tests/sso/flow.mjs" "$base" "$@")
}
status() { jq -r '.status // empty' <<<"$r"; }
problem() { jq -r '.body // ""' <<<"$r" | grep -o '<p id="sso-problem">[^<]*' | sed 's/.*>//'; }
refusals() { fh_sql "$db" "SELECT data FROM events WHERE action = 'sso_refused' ORDER BY id" | jq -r .reason | tail -1; }
forge_mode() { curl -s -X POST "$forge/__mode?m=$1" >/dev/null; }

# ---- item 1: the settings -----------------------------------------------------------

run "$fh" sso --help
expect_rc 0 "sso --help"
expect_contains "$out" "--client-secret-file PATH" "... says where the secret comes from"
echo bct-secret >"$tmp/bct.secret"
run "$fh" sso set --db "$db" --org bct --issuer "$real" --client-id bct-portal \
  --client-secret "bct-secret" --label "Sign in with Birmingham Children's Trust"
expect_rc 2 "issue 18 item 1: a client secret on the command line is refused"
expect_contains "$err" "never given on the command line" "... saying where it goes instead"
run "$fh" sso set --db "$db" --org bct --issuer "http://idp.example.com" --client-id bct-portal \
  --client-secret-file "$tmp/bct.secret" --label "Sign in"
expect_rc 2 "issue 18 item 1: plain http to a host that is not loopback is refused"
expect_contains "$err" "issuer: must be an https:// address" "... naming the field"
run "$fh" sso set --db "$db" --org bct --issuer "$real" --client-id bct-portal \
  --client-secret-file "$tmp/bct.secret" --label "Sign in with Birmingham Children's Trust"
expect_rc 0 "issue 18 item 1: bct's provider set from the command line (secret from a file)"
run "$fh" sso show --db "$db" --org bct
expect_eq "$(jq -r '.client_id + " " + .client_secret_from + " " + (.password_sign_in|tostring)' <<<"$out")" \
  "bct-portal file true" "sso show: the client id, the secret's kind, password sign-in on"
case "$out" in *bct.secret* | *bct-secret*) ok 1 "sso show never shows the secret or its file" ;;
  *) ok 0 "sso show never shows the secret or its file" ;; esac
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'sso_configured'")" 1 \
  "setting it is an audit event"

http POST /api/v1/orgs/bcp/sso -H "$(auth admin bcp)" -H 'Content-Type: application/json' \
  -d "{\"issuer\": \"$real\", \"client_id\": \"bcp-portal\", \"client_secret\": \"bcp-secret\", \"label\": \"x\"}"
expect_eq "$code" 422 "issue 18 item 1: the API refuses a client secret in the body"
expect_eq "$(jq -r .error.field <<<"$body")" client_secret "... naming the field"
http POST /api/v1/orgs/bcp/sso -H "$(auth admin bcp)" -H 'Content-Type: application/json' \
  -d "{\"issuer\": \"$real\", \"client_id\": \"bcp-portal\", \"client_secret_env\": \"FH_TEST_BCP_SECRET\", \"label\": \"Sign in with BCP\", \"allowed_domains\": \"bcp.demo\"}"
expect_eq "$code" 200 "issue 18 item 1: bcp's administrator sets its provider over the API"
expect_eq "$(jq -r .client_secret_from <<<"$body")" environment "... the secret from the environment"
http POST /api/v1/orgs/bcp/sso -H "$(auth complaints bcp)" -H 'Content-Type: application/json' \
  -d "{\"issuer\": \"$real\", \"client_id\": \"x\", \"client_secret_env\": \"X\", \"label\": \"x\"}"
expect_eq "$code" 403 "issue 18 item 1: only an administrator sets it"
http GET /api/v1/orgs/bcp/sso -H "$(auth admin bct)"
expect_eq "$code" 404 "... and another organisation's administrator does not see it"

echo bccc-secret >"$tmp/bccc.secret"
run "$fh" sso set --db "$db" --org bccc --issuer "$forge" --client-id bccc-portal \
  --client-secret-file "$tmp/bccc.secret" --label "Sign in with BCCC"
expect_rc 0 "bccc's provider is the forging one"

http GET /staff/login
expect_contains "$body" "Sign in with Birmingham Children's Trust</a>" \
  "issue 18 item 2: the staff sign-in page has the organisation's button"
expect_contains "$body" 'href="/staff/sso/start?org=bct&amp;next=/staff/work"' "... starting its sign-in"

# ---- item 2 and 3: signing in through the real provider -----------------------------------

flow bct complaints
expect_eq "$(status)" 200 "issue 18 item 2: complaints@bct.demo signs in through oidc-provider (code flow, PKCE S256)"
session=$(jq -r '.session // empty' <<<"$r")
first_callback=$(jq -r .callback <<<"$r")
first_cookie=$(jq -r .sso_cookie <<<"$r")
http GET /api/v1/me -b "fh_session=$session"
expect_eq "$(jq -r .email <<<"$body")" complaints@bct.demo "... the session is complaints@bct.demo's, with no second factor asked"
expect_eq "$(jq -r '[.roles[] | .role] | join(",")' <<<"$body")" complaints_team \
  "issue 18 item 3: the roles are Fairhearing's own"
expect_eq "$(fh_sql "$db" "SELECT u.email FROM sso_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = '$real'")" \
  complaints@bct.demo "issue 18 item 3: bound to the provider's (iss, sub) on first sign-in"
expect_contains "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'sso_identity_bound'")" 1 "... an audit event"

# The state is accepted once (RFC 6749 §10.12).
http GET "${first_callback#"$base"}" -b "fh_sso=$first_cookie"
expect_eq "$code" 401 "issue 18 item 2: a replayed state is refused"
expect_contains "$body" "used already or has expired" "... with a page that says so"
expect_eq "$(refusals)" state_replayed "... and an audit event (state_replayed)"

# A callback whose state is not this browser's (RFC 6749 §10.12, login CSRF).
flow bct complaints stop
cb=$(jq -r .callback <<<"$r")
http GET "${cb#"$base"}"
expect_eq "$code" 401 "RFC 6749 §10.12: a callback without this browser's state cookie is refused"
expect_eq "$(refusals)" state_mismatch "... an audit event (state_mismatch)"

# The code is accepted once: a sign-in answered with its own code, then a
# second sign-in answered with the first's code.
flow bct complaints stop
cb2=$(jq -r .callback <<<"$r")
used_code=$(sed 's/.*[?&]code=\([^&]*\).*/\1/' <<<"$cb2")
http GET "${cb2#"$base"}" -b "fh_sso=$(jq -r .sso_cookie <<<"$r")"
expect_eq "$code" 200 "a sign-in answered with its own code is let in"
flow bct complaints stop
state3=$(jq -r .sso_cookie <<<"$r")
http GET "/staff/sso/callback?code=$used_code&state=$state3" -b "fh_sso=$state3"
expect_eq "$code" 401 "issue 18 item 2: a replayed code is refused"
expect_eq "$(refusals)" code_replayed "... an audit event (code_replayed)"

# RFC 9207: an authorization response naming another issuer (a mix-up) is refused.
flow bct complaints stop
cb4=$(jq -r .callback <<<"$r")
http GET "$(sed "s|[?&]iss=[^&]*||; s|^$base||" <<<"$cb4")&iss=https%3A%2F%2Fother-idp.example" \
  -b "fh_sso=$(jq -r .sso_cookie <<<"$r")"
expect_eq "$code" 401 "RFC 9207 §2.4: an authorization response from another issuer is refused"
expect_eq "$(refusals)" issuer "... an audit event (issuer)"

# Found by (iss, sub) afterwards: an email changed at the provider does not move the binding.
curl -s -X POST "$real/__email?account=complaints&email=someone.else%40bct.demo" >/dev/null
flow bct complaints
expect_eq "$(status)" 200 "issue 18 item 3: signing in again after the email changed at the provider"
http GET /api/v1/me -b "fh_session=$(jq -r .session <<<"$r")"
expect_eq "$(jq -r .email <<<"$body")" complaints@bct.demo "... is still complaints@bct.demo (found by iss, sub)"

# Key rotation: a second key added and the first retired, no restart here.
curl -s -X POST "$real/__rotate" >/dev/null
flow bct admin
expect_eq "$(status)" 200 "issue 18 item 2: after the provider rotates its signing key, sign-in still works (JWKS fetched again on an unknown kid)"

# ---- item 3: who gets in ---------------------------------------------------------------------

flow bct unverified
expect_eq "$(status)" 403 "issue 18 item 3: an email the provider has not verified is refused"
expect_eq "$(refusals)" email_unverified "... an audit event (email_unverified)"
flow bct stranger
expect_eq "$(status)" 403 "issue 18 item 3: a verified email with no account is refused (no automatic account)"
expect_eq "$(refusals)" no_account "... an audit event (no_account)"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM users WHERE email = 'stranger@bct.demo'")" 0 "... and no account is made"

run "$fh" user disable --db "$db" admin@bct.demo
flow bct admin
expect_eq "$(status)" 403 "issue 18 item 3: a disabled user is refused, whatever the provider says"
expect_eq "$(refusals)" disabled "... an audit event (disabled)"
run "$fh" user enable --db "$db" admin@bct.demo

flow bcp complaints
expect_eq "$(status)" 403 "issue 18 item 2: an identity bound to bct's sign-on is refused at bcp's"
expect_eq "$(refusals)" other_organisation "... an audit event (other_organisation)"
flow bcp bcp
expect_eq "$(status)" 200 "bcp's own complaints officer signs in through bcp's client (the secret from the environment)"

run "$fh" sso set --db "$db" --org bct --issuer "$real" --client-id bct-portal \
  --client-secret-file "$tmp/bct.secret" --label "Sign in with Birmingham Children's Trust" \
  --create-users on --allowed-domains bct.demo
flow bct outsider
expect_eq "$(status)" 403 "issue 18 item 1: an email domain not allowed is refused"
expect_eq "$(refusals)" domain_not_allowed "... an audit event (domain_not_allowed)"
flow bct stranger
expect_eq "$(status)" 200 "issue 18 item 3: with create-users on, a verified email of an allowed domain gets an account"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = 'stranger@bct.demo'")" \
  0 "... with no role"

# Entra ID's way: no verified email claim; preferred_username only when the administrator chooses it.
flow bct entra
expect_eq "$(status)" 403 "issue 18 item 3: a token with no verified email is refused when matching on email"
run "$fh" sso set --db "$db" --org bct --issuer "$real" --client-id bct-portal \
  --client-secret-file "$tmp/bct.secret" --label "Sign in with Birmingham Children's Trust" \
  --match-claim preferred_username
flow bct entra
expect_eq "$(status)" 200 "docs/sso.md (Entra ID): matching on preferred_username, the administrator's choice, lets its user in"
http GET /api/v1/me -b "fh_session=$(jq -r .session <<<"$r")"
expect_eq "$(jq -r .email <<<"$body")" investigator@bct.demo "... as the account whose email it names"
run "$fh" sso set --db "$db" --org bct --issuer "$real" --client-id bct-portal \
  --client-secret-file "$tmp/bct.secret" --label "Sign in with Birmingham Children's Trust" \
  --match-claim nickname
expect_rc 2 "a match claim that is not email, preferred_username or upn is refused"

# ---- item 3: password sign-in turned off --------------------------------------------------

run "$fh" sso set --db "$db" --org bct --issuer "$real" --client-id bct-portal \
  --client-secret-file "$tmp/bct.secret" --label "Sign in with Birmingham Children's Trust" \
  --password-sign-in off
http POST /api/v1/auth/login -H 'Content-Type: application/json' \
  -d '{"email": "manager@bct.demo", "password": "fairhearing-demo"}'
expect_eq "$code" 403 "issue 18 item 1: with password sign-in off, bct's right password is refused"
expect_eq "$(jq -r .error.code <<<"$body")" password_sign_in_off "... saying why"
http POST /api/v1/auth/login -H 'Content-Type: application/json' \
  -d '{"email": "manager@bcp.demo", "password": "fairhearing-demo"}'
expect_eq "$code" 200 "... another organisation's staff still sign in with a password"
run "$fh" sso set --db "$db" --org bct --issuer "$real" --client-id bct-portal \
  --client-secret-file "$tmp/bct.secret" --label "Sign in with Birmingham Children's Trust"
http POST /api/v1/auth/login -H 'Content-Type: application/json' \
  -d '{"email": "manager@bct.demo", "password": "fairhearing-demo"}'
expect_eq "$code" 200 "... and turned back on from the command line (the break glass), it works again"

# ---- item 4: signing out --------------------------------------------------------------------------

flow bct complaints
session=$(jq -r .session <<<"$r")
http GET /staff/work -b "fh_session=$session"
t=$(token)
http POST /staff/logout -b "fh_session=$session" --data-urlencode "csrf_token=$t"
expect_eq "$code" 200 "issue 18 item 4: signing out answers a page that moves on to the provider"
location=$(grep -o 'http-equiv="refresh" content="0;url=[^"]*' <<<"$body" | sed 's/.*url=//; s/&amp;/\&/g')
expect_contains "$location" "$real/session/end?" "issue 18 item 4: signing out goes on to the provider's end_session_endpoint"
expect_contains "$location" "id_token_hint=ey" "... with id_token_hint"
expect_contains "$location" "post_logout_redirect_uri=" "... and where to come back to"
http GET /api/v1/me -b "fh_session=$session"
expect_eq "$code" 401 "... and the Fairhearing session has ended"

# ---- item 2: forged ID tokens ------------------------------------------------------------------------

forge_mode rs256
flow bccc x
expect_eq "$(status)" 200 "a well-signed RS256 token from bccc's provider is let in"
forge_mode es256
flow bccc x
expect_eq "$(status)" 200 "a well-signed ES256 token is let in"
check_forged() { # check_forged MODE REASON DESCRIPTION
  forge_mode "$1"
  flow bccc x
  expect_eq "$(status)" 401 "$3"
  expect_eq "$(refusals)" "$2" "... with its audit event ($2)"
  [ -n "$(problem)" ]; ok $? "... and a page that says why: $(problem)"
}
check_forged none algorithm "issue 18 item 2, OIDC Core §3.1.3.7: alg none is refused"
check_forged hs256 algorithm "issue 18 item 2: HS256 keyed with the provider's public key is refused"
check_forged expired expired "issue 18 item 2, OIDC Core §3.1.3.7 (9): an expired token is refused"
check_forged audience audience "issue 18 item 2, OIDC Core §3.1.3.7 (3): a token for another audience is refused"
check_forged other-org issuer "issue 18 item 2, OIDC Core §3.1.3.7 (2): a token naming another organisation's provider is refused"
check_forged future issued_in_future "OIDC Core §3.1.3.7 (10): a token issued in the future is refused"
check_forged nonce nonce "OIDC Core §3.1.3.7 (11): a token with another sign-in's nonce is refused"
check_forged bad-signature signature "OIDC Core §3.1.3.7 (6): a signature by a key the provider does not publish is refused"

# ---- item 1: the administration page -------------------------------------------------------

admin_jar=$tmp/jar.admin
http GET /staff/login -c "$admin_jar" -b "$admin_jar"
t=$(token)
http POST /staff/login -c "$admin_jar" -b "$admin_jar" --data-urlencode "csrf_token=$t" \
  --data-urlencode "email=admin@bcp.demo" --data-urlencode "password=fairhearing-demo"
http GET /staff/admin/bcp/sso -c "$admin_jar" -b "$admin_jar"
expect_eq "$code" 200 "issue 18 item 1: the administration page's Single sign-on"
expect_contains "$body" 'value="bcp-portal"' "... shows the client id"
case "$body" in *FH_TEST_BCP_SECRET* | *bcp-secret*) ok 1 "... and never where the secret is read, nor the secret" ;;
  *) ok 0 "... and never where the secret is read, nor the secret" ;; esac
t=$(token)
sso_form=(--data-urlencode "csrf_token=$t" --data-urlencode "issuer=$real" --data-urlencode "client_id=bcp-portal"
  --data-urlencode "label=Sign in with BCP" --data-urlencode "allowed_domains=bcp.demo"
  --data-urlencode "password_sign_in=on" --data-urlencode "create_users=off" --data-urlencode "match_claim=email")
http POST /staff/admin/bcp/sso -c "$admin_jar" -b "$admin_jar" "${sso_form[@]}" --data-urlencode "client_secret=bcp-secret"
expect_eq "$code" 422 "issue 18 item 1: the page refuses the secret itself in place of its source"
expect_contains "$body" 'href="#client_secret"' "... naming the field in the error summary"
http POST /staff/admin/bcp/sso -c "$admin_jar" -b "$admin_jar" "${sso_form[@]}" --data-urlencode "client_secret=env:FH_TEST_BCP_SECRET"
expect_eq "$code" 303 "issue 18 item 1: the page saves the settings (CSRF token, the secret from the environment)"
http POST /staff/admin/bcp/sso -c "$admin_jar" -b "$admin_jar" "${sso_form[@]:2}" --data-urlencode "csrf_token=forged" \
  --data-urlencode "client_secret=env:FH_TEST_BCP_SECRET"
expect_eq "$code" 403 "... and refuses a form without the page's CSRF token"

# ---- the settings removed -----------------------------------------------------------------------------

http DELETE /api/v1/orgs/bcp/sso -H "$(auth admin bcp)"
expect_eq "$code" 204 "issue 18 item 1: bcp's administrator removes its provider over the API"
http GET /api/v1/orgs/bcp/sso -H "$(auth admin bcp)"
expect_eq "$code" 404 "... and it is gone"
http GET /staff/admin/bcp/sso -c "$admin_jar" -b "$admin_jar"
checked=$(grep -o 'name="[a-z_]*" type="radio" value="[a-z_]*" checked' <<<"$body" |
  sed 's/name="\([a-z_]*\)" type="radio" value="\([a-z_]*\)" checked/\1=\2/' | tr '\n' ' ')
expect_eq "$checked" "password_sign_in=on create_users=off match_claim=email " \
  "docs/sso.md (defaults): a fresh Single sign-on page preselects the values a save keeps: password sign-in on, no accounts given, the email claim"
run "$fh" sso remove --db "$db" --org bccc
expect_rc 0 "sso remove from the command line"

done_testing
