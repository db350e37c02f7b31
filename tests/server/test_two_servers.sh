#!/usr/bin/env bash
# Two `fairhearing serve` processes on one PostgreSQL database (issue 9):
# four clients file cases at once, two through each server, for two
# organisations; every 201 has a reference of its own, each organisation's
# references run on without a gap or a repeat, every case can be read
# through the other server, the audit chain verifies, and an administrator's
# change made on one server (a procedure version, a closure day) is seen by
# the other at once. SQLite is served by one process only: there the test
# is a skip.
# usage: test_two_servers.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
if ! fh_pg; then
  skip "two servers on one database" \
    "PostgreSQL only: a SQLite database is served by one process on one machine (docs/deployment.md)"
  done_testing
  exit
fi
per_client=${FH_TWO_SERVERS_CASES:-100}
J='Content-Type: application/json'

server_setup "$fh"
a=$base a_pid=$server_pid

# The second server: its own output files, stopped with the first.
server_spawn "$fh" server2
b_pid=$spawned_pid b=$spawned_base
trap 'kill -TERM "$b_pid" 2>/dev/null; wait "$b_pid" 2>/dev/null; server_stop; fh_db_cleanup; rm -rf "$tmp"' EXIT
ok 0 "two servers on one database ($a, pid $a_pid; $b, pid $b_pid)"
on() { base=$1; } # on SERVER: the next http call goes there

# What each organisation's last 2026 reference was before the clients start.
last_ref() { # last_ref ORG: the number of its highest 2026 reference
  fh_sql "$db" "SELECT coalesce(max(CAST(substr(c.reference, length(c.reference) - 4) AS INTEGER)), 0)
    FROM cases c JOIN organisations o ON o.id = c.org_id
    WHERE o.code = '$1' AND c.reference LIKE '%-2026-%'"
}
bct_last=$(last_ref bct) bcp_last=$(last_ref bcp)

# client N SERVER ORG: files $per_client cases, one line per request:
# HTTP status, reference (or -), the server it went through
client() {
  local n=$1 server=$2 org=$3 i out token
  token=$(cat "$tmp/token.complaints.$org")
  for i in $(seq 1 "$per_client"); do
    jq -nc --arg org "$org" --arg s "Two servers c$n #$i" --arg f "Client-$n-$i" '{org: $org,
      kind: "complaint", channel: "email", received_on: "2026-11-20", summary: $s,
      parties: [{role: "complainant", relationship: "self", person: {given_name: "Two", family_name: $f}}],
      points: [{summary: "A point", desired_outcome: "An answer"}]}' >"$tmp/req.$n"
    out=$(curl -sS --max-time 30 -w '\n%{http_code}' -H "Authorization: Bearer $token" -H "$J" \
      --data-binary "@$tmp/req.$n" "$server/api/v1/cases" 2>/dev/null) || out=$'\n000'
    printf '%s\t%s\t%s\t%s\n' "${out##*$'\n'}" "$(jq -r '.reference // "-"' <<<"${out%$'\n'*}" 2>/dev/null || echo -)" \
      "$server" "$org" >>"$tmp/filed.$n"
  done
}
started=$SECONDS
client 1 "$a" bct & c1=$!
client 2 "$b" bct & c2=$!
client 3 "$a" bcp & c3=$!
client 4 "$b" bcp & c4=$!
wait $c1 $c2 $c3 $c4
diag "$((4 * per_client)) requests in $((SECONDS - started)) s"
cat "$tmp"/filed.* >"$tmp/filed"

total=$(wc -l <"$tmp/filed")
created=$(awk -F'\t' '$1 == 201' "$tmp/filed" | wc -l)
expect_eq "$total" "$((4 * per_client))" "four clients sent $((4 * per_client)) cases, two through each server"
expect_eq "$created" "$total" "every one was answered 201"
[ "$created" = "$total" ] || diag "$(awk -F'\t' '$1 != 201' "$tmp/filed" | sort | uniq -c | head -5)"
dups=$(awk -F'\t' '$1 == 201 { print $2 }' "$tmp/filed" | sort | uniq -d)
expect_eq "$dups" "" "no reference was given twice"
for org in bct bcp; do
  prefix=$(tr a-z A-Z <<<"$org")
  last=$([ "$org" = bct ] && echo "$bct_last" || echo "$bcp_last")
  got=$(awk -F'\t' -v o="$org" '$1 == 201 && $4 == o { print $2 }' "$tmp/filed" | sort)
  n=$(grep -c . <<<"$got")
  want=$(for i in $(seq $((last + 1)) $((last + n))); do printf '%s-2026-%05d\n' "$prefix" "$i"; done)
  expect_eq "$(md5sum <<<"$got")" "$(md5sum <<<"$want")" \
    "$org's $n references run on from $prefix-2026-$(printf %05d "$last") without a gap or a repeat"
  [ "$got" = "$want" ] || diag "got $(head -3 <<<"$got" | tr '\n' ' ')... $(tail -2 <<<"$got" | tr '\n' ' ')"
  both=$(awk -F'\t' -v o="$org" '$1 == 201 && $4 == o { print $3 }' "$tmp/filed" | sort -u | wc -l)
  expect_eq "$both" 2 "$org's cases came in through both servers"
done
expect_eq "$(fh_sql "$db" "SELECT count(*) FROM cases WHERE summary LIKE 'Two servers c%'")" "$created" \
  "the database holds exactly the cases answered 201"

# Every case through the server that did not record it.
unread=0 wrong=0
while IFS=$'\t' read -r status ref server org; do
  [ "$status" = 201 ] || continue
  if [ "$server" = "$a" ]; then on "$b"; else on "$a"; fi
  http GET "/api/v1/cases/$ref" -H "$(auth complaints "$org")"
  if [ "$code" != 200 ]; then
    unread=$((unread + 1)); [ $unread -le 3 ] && diag "$ref through $base: $code"
  elif ! jq -e --arg r "$ref" '.reference == $r and (.summary | startswith("Two servers c"))' <<<"$body" >/dev/null; then
    wrong=$((wrong + 1)); [ $wrong -le 3 ] && diag "$ref through $base: ${body:0:200}"
  fi
done <"$tmp/filed"
expect_eq "$unread" 0 "every case is read through the other server"
expect_eq "$wrong" 0 "with what was filed"

run "$fh" audit verify --db "$db"
expect_rc 0 "the audit chain verifies after concurrent filing through two servers"

# --- an administrator's change on one server is seen by the other -------------------
on "$b"
http GET /api/v1/procedures/bct-non-statutory -H "$(auth complaints)"
v=$(jq -r .version <<<"$body")
expect_eq "$code" 200 "server B reads bct-non-statutory (version $v)"
next=$(jq -c --argjson v "$((v + 1))" '.version = $v | .stages[0].response.length = 15' \
  "$root/procedures/bct-non-statutory.json")
on "$a"
http POST /api/v1/procedures -H "$(auth admin)" -H "$J" -d "$next"
expect_eq "$code" 201 "an administrator installs version $((v + 1)) through server A"
on "$b"
http GET /api/v1/procedures/bct-non-statutory -H "$(auth complaints)"
expect_eq "$(jq -r '[.version, .definition.stages[0].response.length] | join(" ")' <<<"$body")" "$((v + 1)) 15" \
  "server B serves the new version at once"

cal="/api/v1/calendar/between?from=2026-12-18&to=2026-12-31&org=bct"
on "$a"
http GET "$cal" -H "$(auth complaints)"
days=$(jq -r .working_days <<<"$body")
[ "$code" = 200 ] && [ -n "$days" ]; ok $? "server A counts $days working days in bct's calendar from 2026-12-18 to 2026-12-31"
# a closure day through server B's staff pages (a session and its CSRF token)
jar=$tmp/jar.admin
on "$b"
http GET /staff/login -c "$jar" -b "$jar"
csrf=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
http POST /staff/login -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" \
  --data-urlencode "email=admin@bct.demo" --data-urlencode "password=fairhearing-demo" --data-urlencode "next="
http GET /staff/admin/bct/closures -c "$jar" -b "$jar"
csrf=$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$body" | head -1 | sed 's/.*value="//; s/"$//')
http POST /staff/admin/bct/closures -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" \
  -d 'date=2026-12-22&reason=Two+servers+closure'
expect_eq "$code" 303 "an administrator adds a closure day on 2026-12-22 through server B"
on "$a"
http GET "$cal" -H "$(auth complaints)"
expect_eq "$(jq -r .working_days <<<"$body")" "$((days - 1))" "server A counts one working day fewer at once"

run "$fh" audit verify --db "$db"
expect_rc 0 "and the chain still verifies"

kill -TERM "$b_pid" 2>/dev/null
wait "$b_pid"
expect_eq "$?" 0 "server B stops cleanly"
server_stop
expect_eq "$server_rc" 0 "server A stops cleanly"
done_testing
