-- A new case's search row is written once, by store_case_create after its
-- parties and points, instead of by this trigger and then again by the
-- party and point triggers (one insert and an update for each party and
-- point).  Each of those statements made FTS5 flush its pending terms as a
-- new segment (it flushes at every savepoint, and the server's writer keeps
-- each request in one), about a fifth of the writer's time a case.  The
-- party and point triggers stay: they keep the row of an existing case up
-- to date, and find no row to change while a case is being recorded.
DROP TRIGGER cases_fts_insert;
