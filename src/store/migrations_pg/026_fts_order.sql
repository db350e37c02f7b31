-- 026 search in list order (PostgreSQL): the twin of
-- migrations/026_fts_order.sql, which gives SQLite's FTS5 rows a key that
-- orders as the lists do.  Nothing changes here: PostgreSQL's search row
-- is keyed by case_id, and a page of a search is already read in the
-- list's order from cases_org_received, each case tested against
-- cases_fts's primary key (the plans in docs/performance.md), so the
-- migration only records that on the table.
COMMENT ON TABLE cases_fts IS
  'One search row a case, keyed by case_id; a search page is read in list order'
  ' from the cases'' indexes and tested here (see migrations/026_fts_order.sql'
  ' for SQLite''s ordered keys)';
