#!/usr/bin/env bash
# fairhearing user add|list|grant|disable|enable|reset-password and
# fairhearing token create: accounts and tokens from the shell, passwords
# never on the command line, never printed, stored only as argon2id.
# usage: test_user_cli.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/tap.sh"
tmp=$(mktemp -d /tmp/fh-user-XXXXXX)
trap 'fh_db_cleanup; rm -rf "$tmp"' EXIT
export FAIRHEARING_TODAY=2026-11-23
db=$(fh_db u)
fh_demo "$fh" "$db" 2026-11-23

for c in "user --help" "token --help" "serve --help"; do
  run "$fh" $c; expect_rc 0 "$c"; expect_contains "$out" "usage:" "$c shows usage"
done
run "$fh" user;                  expect_rc 2 "user without a subcommand"
run "$fh" user frob --db "$db";  expect_rc 2 "an unknown user subcommand"
run "$fh" serve --db "$db";      expect_rc 2 "serve without --listen"
expect_contains "$err" "--listen HOST:PORT is required" "names the missing --listen"
run "$fh" serve --db "$db" --listen nowhere; expect_rc 2 "serve with a listen address that is not HOST:PORT"
run "$fh" serve --db "$db" --listen 127.0.0.1:80 --threads 0; expect_rc 2 "serve --threads 0"
run "$fh" serve --db "$(fh_db missing)" --listen 127.0.0.1:0; expect_rc 2 "serve a database that does not exist"

add=(user add --db "$db" --email new.officer@bct.demo --name "New Officer" --org bct --role investigating_officer)
run env -u FAIRHEARING_PASSWORD "$fh" "${add[@]}" </dev/null
expect_rc 2 "user add with no password and no terminal"
expect_contains "$err" "FAIRHEARING_PASSWORD" "says where a password can come from"
run env FAIRHEARING_PASSWORD=short "$fh" "${add[@]}"
expect_rc 2 "a password under 12 characters is refused"
run env FAIRHEARING_PASSWORD=correct-horse-battery "$fh" "${add[@]}" --role frob
expect_rc 2 "an unknown role is refused"
run env FAIRHEARING_PASSWORD=correct-horse-battery "$fh" "${add[@]}" --external
expect_rc 0 "user add with FAIRHEARING_PASSWORD"
case "$out$err" in *correct-horse*) ok 1 "the password is not printed" ;; *) ok 0 "the password is not printed" ;; esac
expect_eq "$(fh_sql "$db" "SELECT substr(password_hash, 1, 10) FROM users WHERE email = 'new.officer@bct.demo'")" '$argon2id$' "it is stored as an argon2id hash"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM users WHERE password_hash LIKE '%correct-horse%'")" 0 "and never in clear"
expect_eq "$(fh_sql "$db" "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = 'new.officer@bct.demo'")" investigating_officer "with its role"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'user_created' AND data LIKE '%new.officer@bct.demo%'")" 1 "the new account is an audit event"
run env FAIRHEARING_PASSWORD=correct-horse-battery "$fh" "${add[@]}"
expect_rc 2 "adding the same email again is refused"
run "$fh" user add --db "$db" --email piped@bct.demo --name Piped --org bct --role manager --password-stdin <<<"another-long-password"
expect_rc 0 "user add --password-stdin"
run "$fh" user grant --db "$db" --email piped@bct.demo --org bcp --role leadership
expect_rc 0 "user grant adds a role in another organisation"
run "$fh" user list --db "$db" --org bct
expect_rc 0 "user list"
expect_contains "$out" "new.officer@bct.demo	New Officer	active,external	bct:investigating_officer" "lists email, name, state and roles"

# Issue 14 item 4: an administrator marks a user independent of an
# organisation (per organisation, an audit event each time); only such users
# take the roles a procedure wants independent (001 B Stage 2, reg 19).
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM user_independence i JOIN users u ON u.id = i.user_id WHERE u.email = 'new.officer@bct.demo'")" 0 "a new user is not independent unless marked"
run "$fh" user independent --db "$db" new.officer@bct.demo
expect_rc 2 "user independent without --org"
expect_contains "$err" "--org ORG" "names what is missing"
run "$fh" user independent --db "$db" --org bcp new.officer@bct.demo
expect_rc 2 "not independent of an organisation they hold no role in"
expect_contains "$err" "holds no role in bcp" "and says why"
run "$fh" user independent --db "$db" --org bct nobody@bct.demo
expect_rc 2 "an unknown user is refused"
run "$fh" user independent --db "$db" --org bct --actor admin@bct.demo new.officer@bct.demo
expect_rc 0 "user independent"
expect_eq "$(fh_sql "$db" "SELECT o.code || ' ' || i.marked_by FROM user_independence i JOIN users u ON u.id = i.user_id JOIN organisations o ON o.id = i.org_id WHERE u.email = 'new.officer@bct.demo'")" "bct admin@bct.demo" "marked independent of bct, by whom"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'user_independence_set' AND data LIKE '%new.officer@bct.demo%' AND data LIKE '%\"independent\":true%'")" 1 "an audit event"
run "$fh" user list --db "$db" --org bct
expect_contains "$out" "new.officer@bct.demo	New Officer	active,external,independent-of:bct	bct:investigating_officer" "user list shows the mark"
run "$fh" user independent --db "$db" --org bct --remove new.officer@bct.demo
expect_rc 0 "user independent --remove"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM user_independence i JOIN users u ON u.id = i.user_id WHERE u.email = 'new.officer@bct.demo'")" 0 "the mark is gone"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'user_independence_set' AND data LIKE '%new.officer@bct.demo%'")" 2 "and that is an audit event too"
run env FAIRHEARING_PASSWORD=correct-horse-battery "$fh" user add --db "$db" --email ind.panel@bct.demo --name "Ind Panel" --org bct --role panel_member --external --independent
expect_rc 0 "user add --independent"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM user_independence i JOIN users u ON u.id = i.user_id WHERE u.email = 'ind.panel@bct.demo'")" 1 "adds the user marked independent"
run "$fh" user grant --db "$db" --email ind.panel@bct.demo --org bcp --role panel_member --independent
expect_rc 0 "user grant --independent"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM user_independence i JOIN users u ON u.id = i.user_id WHERE u.email = 'ind.panel@bct.demo'")" 2 "independent of bcp too"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM user_independence i JOIN users u ON u.id = i.user_id JOIN organisations o ON o.id = i.org_id WHERE o.code <> 'bccc' AND substr(u.email, 1, 13) = 'investigator@'")" 3 "the demo's external investigators are independent (not BCCC's: 003)"

run "$fh" user disable --db "$db" new.officer@bct.demo
expect_rc 0 "user disable"
expect_eq "$(fh_sql "$db" "SELECT CAST(disabled AS INTEGER) FROM users WHERE email = 'new.officer@bct.demo'")" 1 "the account is disabled"
run "$fh" user enable --db "$db" new.officer@bct.demo
expect_eq "$(fh_sql "$db" "SELECT CAST(disabled AS INTEGER) FROM users WHERE email = 'new.officer@bct.demo'")" 0 "user enable"
run "$fh" user disable --db "$db" nobody@bct.demo
expect_rc 2 "disabling an unknown user is refused"
old=$(fh_sql "$db" "SELECT password_hash FROM users WHERE email = 'new.officer@bct.demo'")
run env FAIRHEARING_PASSWORD=a-new-long-password "$fh" user reset-password --db "$db" new.officer@bct.demo
expect_rc 0 "user reset-password"
[ "$old" != "$(fh_sql "$db" "SELECT password_hash FROM users WHERE email = 'new.officer@bct.demo'")" ]
ok $? "the hash changed"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'password_set' AND data NOT LIKE '%password-%'")" 1 "the reset is an audit event that holds no password"

run "$fh" token create --db "$db" --user new.officer@bct.demo --name "case import"
expect_rc 0 "token create"
token=$out
expect_contains "$token" "fht_" "prints the token"
expect_eq "${#token}" 47 "32 random bytes, base64url, after fht_"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM api_tokens WHERE name = 'case import' AND length(token_hash) = 32")" 1 "only its 32-byte digest is stored"
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM events WHERE action = 'token_created' AND data LIKE '%$token%'")" 0 "the token is not in the audit log"
run "$fh" token create --db "$db" --user nobody@bct.demo
expect_rc 2 "a token for an unknown user is refused"
run "$fh" token frob --db "$db"
expect_rc 2 "token without create"
run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies"

done_testing
