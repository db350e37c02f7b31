#!/bin/sh
# schema_compare.sh: checks that the PostgreSQL migrations
# (src/store/migrations_pg) build the same schema as the SQLite ones
# (src/store/migrations): every table and view with its columns in order,
# each column's type (SQLite INTEGER as BIGINT, TEXT as TEXT, BLOB as BYTEA,
# REAL as DOUBLE PRECISION) and whether it may be NULL, and the names of the
# indexes and triggers on each table.  Prints the differences and exits 1
# if there are any; when there are none, runs tests/pg/triggers.sql on the
# same fresh database.
#
#   tools/schema_compare.sh [BUILD_DIR]
#
# The SQLite side is a fresh database made by the project's own binary
# (BUILD_DIR/fairhearing init, BUILD_DIR defaulting to build), so it is
# the schema a real installation gets.  The PostgreSQL side is a scratch
# database, $FH_PG_DB (default fh_schema_compare), dropped and created on
# the server libpq's usual variables name (PGHOST, PGPORT, PGUSER), with
# the 17 files applied in order, each in its own transaction, as the C
# layer applies them.
#
# The differences that are meant are written out below, not hidden: see
# "Intended differences".
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
pgdb=${FH_PG_DB:-fh_schema_compare}
work=$(mktemp -d "${TMPDIR:-/tmp}/fh-schema.XXXXXX")
trap 'rm -rf "$work"' EXIT
psql="psql -X -q -v ON_ERROR_STOP=1"

# --- SQLite -----------------------------------------------------------------
"$build/fairhearing" init --db "$work/fh.db" >/dev/null
# schema_migrations is created by the C code on both engines, not by a
# migration; FTS5 keeps its index in shadow tables (cases_fts_data, ...)
# that PostgreSQL has no need of.
sqlite3 -batch -noheader -separator '	' "$work/fh.db" "
WITH objects AS (
  SELECT name, type FROM sqlite_schema
  WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\\'
    AND name <> 'schema_migrations'
    AND name NOT IN ('cases_fts_data', 'cases_fts_idx', 'cases_fts_content',
                     'cases_fts_docsize', 'cases_fts_config'))
SELECT 'column', o.name, o.type, p.cid + 1, p.name,
  CASE upper(p.type) WHEN 'INTEGER' THEN 'bigint' WHEN 'TEXT' THEN 'text'
    WHEN 'BLOB' THEN 'bytea' WHEN 'REAL' THEN 'double precision'
    WHEN '' THEN 'text' ELSE 'unknown:' || p.type END,
  CASE WHEN p.\"notnull\" OR p.pk > 0 THEN 'not null' ELSE 'null' END
FROM objects o, pragma_table_info(o.name) p
UNION ALL
SELECT 'index', tbl_name, '', 0, name, '', '' FROM sqlite_schema
WHERE type = 'index' AND name NOT LIKE 'sqlite\_autoindex%' ESCAPE '\\'
UNION ALL
SELECT 'trigger', tbl_name, '', 0, name, '', '' FROM sqlite_schema WHERE type = 'trigger'
" >"$work/sqlite.raw"

# Intended differences, SQLite side.  The search table: FTS5's implicit
# rowid (the case's id) is the explicit key case_id on PostgreSQL, its
# columns have no declared type (FTS5 text), and PostgreSQL adds the
# tsvector it searches with, with its GIN index (004_auth.sql says why).
awk -F '\t' -v OFS='\t' '
$1 == "column" && $2 == "cases_fts" {
	if (!done) { print "column", "cases_fts", "table", 0, "case_id", "bigint", "not null"; done = 1 }
}
{ print }
END {
	print "column", "cases_fts", "table", 99, "tsv", "tsvector", "null"
	print "index", "cases_fts", "", 0, "cases_fts_tsv", "", ""
}' "$work/sqlite.raw" >"$work/sqlite.cooked"

# --- PostgreSQL -------------------------------------------------------------
$psql -d postgres -c "DROP DATABASE IF EXISTS $pgdb" -c "CREATE DATABASE $pgdb" 2>/dev/null
for f in "$here"/src/store/migrations_pg/[0-9][0-9][0-9]_*.sql; do
	$psql -d "$pgdb" -1 -f "$f" || { echo "schema_compare: $f failed" >&2; exit 1; }
done
$psql -d "$pgdb" -At -F '	' -c "
SELECT 'column', c.table_name,
  CASE t.table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END,
  row_number() OVER (PARTITION BY c.table_name ORDER BY c.ordinal_position),
  c.column_name, c.data_type,
  CASE c.is_nullable WHEN 'NO' THEN 'not null' ELSE 'null' END
FROM information_schema.columns c
JOIN information_schema.tables t USING (table_schema, table_name)
WHERE c.table_schema = 'public'
UNION ALL
-- indexes made for a PRIMARY KEY or UNIQUE constraint are SQLite's
-- autoindexes: left out on both sides
SELECT 'index', i.tablename, '', 0, i.indexname, '', '' FROM pg_indexes i
WHERE i.schemaname = 'public'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname
                  AND k.contype IN ('p', 'u'))
UNION ALL
SELECT 'trigger', r.relname, '', 0, g.tgname, '', '' FROM pg_trigger g
JOIN pg_class r ON r.oid = g.tgrelid
JOIN pg_namespace n ON n.oid = r.relnamespace
WHERE n.nspname = 'public' AND NOT g.tgisinternal
" >"$work/pg.raw"

# Intended differences, PostgreSQL side: TRUNCATE skips row triggers and
# SQLite has no TRUNCATE, so each append-only table has one more trigger
# refusing it.
grep -v -E '^trigger	[a-z_]+		0	[a-z_]+_no_truncate		$' "$work/pg.raw" >"$work/pg.cooked" || true

# --- compare ----------------------------------------------------------------
# sqlite's cid and the renumbered ordinal both count from 1 (the search
# table's additions are numbered to sort first and last).
for side in sqlite pg; do
	LC_ALL=C sort -t '	' -k1,1 -k2,2 -k4,4n -k5,5 "$work/$side.cooked" |
		awk -F '\t' -v OFS='\t' '$1 == "column" { print $1, $2, $3, $5, $6, $7; next } { print $1, $2, $5 }' \
		>"$work/$side.txt"
done
tables=$(awk -F '\t' '$1 == "column" { print $2 }' "$work/sqlite.txt" | sort -u | wc -l)
columns=$(grep -c '^column' "$work/sqlite.txt")
if diff -u --label sqlite "$work/sqlite.txt" --label postgresql "$work/pg.txt"; then
	echo "schema_compare: the same $tables tables and views, $columns columns in order," \
	     "$(grep -c '^index' "$work/sqlite.txt") indexes and $(grep -c '^trigger' "$work/sqlite.txt") triggers"
	# The same shape is not the same behaviour: the triggers' checks run
	# on the fresh database too (they roll themselves back).
	$psql -d "$pgdb" -f "$here/tests/pg/triggers.sql"
	$psql -d postgres -c "DROP DATABASE $pgdb"
else
	echo "schema_compare: the schemas differ (- SQLite, + PostgreSQL)" >&2
	exit 1
fi
