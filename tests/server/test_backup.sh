#!/usr/bin/env bash
# Backup and restore: snapshots taken while the server is filing cases (each
# restores, verifies its audit chain and holds every case acknowledged before
# it began), and the refusals: an existing FILE or database, a file that is
# not a Fairhearing database, a backup whose audit chain was altered.
# usage: test_backup.sh PATH/TO/fairhearing
set -u
fh=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
if fh_pg; then
  # Every check below is about `fairhearing backup` and `restore`, which copy
  # a SQLite file with SQLite's online backup API.
  skip "backup and restore of a live database under load" \
    "SQLite only: a PostgreSQL database is backed up with pg_dump or pg_basebackup (docs/deployment.md)"
  done_testing
  exit
fi
server_setup "$fh"

body='{"org": "bct", "kind": "complaint", "channel": "phone", "received_on": "2026-11-20",
 "summary": "Backup under load", "details": "Filed while a backup runs.",
 "parties": [{"role": "complainant", "relationship": "self", "child_status": "looked_after",
  "person": {"given_name": "Ada", "family_name": "Backup"}}],
 "points": [{"summary": "A point", "desired_outcome": "An outcome"}]}'
token=$(cat "$tmp/token.complaints.bct")

# Two writers file cases for a bounded time, each appending the reference of
# every 201 to its own list the moment it is acknowledged.
writer() { # writer N SECONDS
  local end=$((SECONDS + $2)) out
  while [ $SECONDS -lt $end ]; do
    out=$(curl -sS --max-time 10 -w '\n%{http_code}' -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "$body" "$base/api/v1/cases" 2>/dev/null) || continue
    [ "${out##*$'\n'}" = 201 ] && jq -r .reference <<<"${out%$'\n'*}" >>"$tmp/acked.$1"
  done
}
writer 1 4 & w1=$!
writer 2 4 & w2=$!

sleep 0.5
for n in 1 2 3; do
  cat "$tmp"/acked.* 2>/dev/null | sort >"$tmp/before.$n"
  run "$fh" backup --db "$db" --out "$tmp/snap$n.db"
  expect_rc 0 "backup $n while two clients are filing cases"
  expect_contains "$out" "events verified" "backup $n reports what it verified"
  sleep 0.7
done
wait $w1 $w2
acked=$(cat "$tmp"/acked.* | wc -l)
[ "$acked" -gt 5 ]; ok $? "the writers were acknowledged while the backups ran ($acked cases)"

for n in 1 2 3; do
  run "$fh" restore --from "$tmp/snap$n.db" --db "$tmp/restored$n.db"
  expect_rc 0 "restore backup $n to a new path"
  run "$fh" audit verify --db "$tmp/restored$n.db"
  expect_rc 0 "the restored copy $n passes audit verify"
  fh_sql "$tmp/restored$n.db" "SELECT reference FROM cases" | sort >"$tmp/has.$n"
  missing=$(comm -23 "$tmp/before.$n" "$tmp/has.$n" | wc -l)
  expect_eq "$missing" 0 "restored copy $n holds every case acknowledged before its backup began ($(wc -l <"$tmp/before.$n"))"
done
n1=$(wc -l <"$tmp/has.1"); n3=$(wc -l <"$tmp/has.3")
[ "$n3" -gt "$n1" ]; ok $? "later snapshots hold the cases filed in between ($n1 then $n3)"
expect_eq "$(sqlite3 "$tmp/snap1.db" 'PRAGMA journal_mode')" delete "a backup is one self-contained file (no -wal)"

# The live database after the writers stop: back up, restore, same cases.
run "$fh" backup --db "$db" --out "$tmp/final.db"
expect_rc 0 "backup after the writers stopped"
run "$fh" restore --from "$tmp/final.db" --db "$tmp/final-restored.db"
expect_rc 0 "restore it"
expect_eq "$(fh_sql "$tmp/final-restored.db" 'SELECT count(*) FROM cases')" \
  "$(fh_sql "$db" 'SELECT count(*) FROM cases')" "the restored copy has as many cases as the live database"
missing=$(cat "$tmp"/acked.* | sort | comm -23 - <(fh_sql "$tmp/final-restored.db" "SELECT reference FROM cases" | sort) | wc -l)
expect_eq "$missing" 0 "and every acknowledged case"

# --- refusals ------------------------------------------------------------------
run "$fh" backup --db "$db" --out "$tmp/snap1.db"
expect_rc 2 "backup refuses to overwrite an existing FILE"
expect_contains "$err" "--force" "and says how to replace it"
run "$fh" backup --db "$db" --out "$tmp/snap1.db" --force
expect_rc 0 "backup --force replaces it"
run "$fh" backup --db "$db"
expect_rc 2 "backup without --out"
run "$fh" backup --db "$tmp/nowhere.db" --out "$tmp/x.db"
expect_rc 2 "backup of a missing database"
[ ! -e "$tmp/x.db" ]; ok $? "leaves no file behind"

cp "$tmp/restored1.db" "$tmp/keep.db"
run "$fh" restore --from "$tmp/snap3.db" --db "$tmp/restored1.db"
expect_rc 2 "restore refuses to overwrite an existing database"
cmp -s "$tmp/restored1.db" "$tmp/keep.db"; ok $? "which is left untouched"
run "$fh" restore --from "$tmp/snap3.db" --db "$tmp/restored1.db" --force
expect_rc 0 "restore --force replaces its contents"
expect_eq "$(fh_sql "$tmp/restored1.db" 'SELECT count(*) FROM cases')" "$n3" "with the backup's cases"
run "$fh" audit verify --db "$tmp/restored1.db"
expect_rc 0 "and the replaced database verifies"

printf 'reference,summary\nBCT-1,hello\n' >"$tmp/not-a-db.csv"
run "$fh" restore --from "$tmp/not-a-db.csv" --db "$tmp/r-csv.db"
expect_rc 2 "restore refuses a file that is not a database"
expect_contains "$err" "not a Fairhearing database" "and says so"
fh_sql "$tmp/other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1)"
run "$fh" restore --from "$tmp/other.db" --db "$tmp/r-other.db"
expect_rc 2 "restore refuses another program's SQLite database"
run "$fh" restore --from "$tmp/nothing.db" --db "$tmp/r-none.db"
expect_rc 2 "restore of a missing backup"
run "$fh" restore --from "$tmp/other.db" --db "$tmp/restored2.db" --force
expect_rc 2 "restore --force still refuses a backup that is not ours"
[ ! -e "$tmp/r-csv.db" ] && [ ! -e "$tmp/r-other.db" ]; ok $? "refusals create no database"

cp "$tmp/snap2.db" "$tmp/tampered.db"
fh_tamper "$tmp/tampered.db" "UPDATE events SET actor = 'someone-else' WHERE id = 10"
run "$fh" restore --from "$tmp/tampered.db" --db "$tmp/r-tampered.db"
expect_rc 1 "restore refuses a backup whose audit chain was altered"
expect_contains "$err" "audit chain does not verify" "and says why"
[ ! -e "$tmp/r-tampered.db" ]; ok $? "leaving nothing at the destination"
ls "$tmp" | grep -q '\.tmp-' ; [ $? -ne 0 ]; ok $? "no scratch files are left behind"

run "$fh" backup --help
expect_contains "$out" "consistent copy" "backup --help describes it"
run "$fh" restore --help
expect_contains "$out" "--force" "restore --help describes it"

server_stop
done_testing
