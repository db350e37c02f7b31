-- 017 (PostgreSQL): a new case's search row is written once, by
-- store_case_create after its parties and points, instead of by this
-- trigger and then again by the party and point triggers.  The twin of
-- migrations/017_fts_once.sql, which says why.  The party and point
-- triggers stay: they keep the row of an existing case up to date, and find
-- no row to change while a case is being recorded.  store_case_create's
-- insert names case_id where SQLite names rowid (see 004).
DROP TRIGGER cases_fts_insert ON cases;
DROP FUNCTION cases_fts_insert();
