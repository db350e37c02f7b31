-- 026 search in list order (issue 21): the
-- search row's rowid becomes a key that orders exactly as every list does,
-- newest first by (received_on, id), so that a page of a search is read
-- from FTS5 in its own rowid order, lazily, instead of listing every match
-- and testing each case against them (src/store/store_search.c,
-- docs/performance.md "Case lists and search at a million cases"):
--
--   key = (days from 1970-01-01 to received_on) * 2^32 + case id
--
-- A case id is below 2^32 (store_case_create refuses one that is not) and
-- a date the model accepts is in the years 1000 to 9999 (date_valid_ymd),
-- from -354,285 to 2,932,896 days, so a key lies between about -1.6e15 and
-- 1.3e16, well inside SQLite's 63 bits, and `key & 4294967295` is the case
-- id again (in two's complement for the dates before 1970 too).
--
-- A fourth column, scope, holds the token o<organisation id>, so that an
-- organisation-wide search is "scope : o1 AND {reference names body} :
-- (words)" and FTS5 intersects the two by rowid, a page and its count
-- (which stops at 1,001) coming from the index alone.  What a person types
-- is only ever matched against the first three columns.
--
-- The key and scope are written in one place, the view case_search_keys,
-- which store_case_create and the triggers below read.  The rows are
-- copied from the old table with their new keys (no text is recomputed).
CREATE VIEW case_search_keys AS
SELECT id AS case_id,
  CAST(julianday(received_on) - 2440587.5 AS INTEGER) * 4294967296 + id AS key,
  'o' || org_id AS scope
FROM cases;

DROP TRIGGER cases_fts_update;
DROP TRIGGER cases_fts_party;
DROP TRIGGER cases_fts_party_delete;
DROP TRIGGER cases_fts_person;
DROP TRIGGER cases_fts_point;
DROP TRIGGER cases_fts_point_update;
ALTER TABLE cases_fts RENAME TO cases_fts_by_id;
CREATE VIRTUAL TABLE cases_fts USING fts5(
  reference, names, body, scope,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO cases_fts (rowid, reference, names, body, scope)
SELECT k.key, f.reference, f.names, f.body, k.scope
FROM cases_fts_by_id f JOIN case_search_keys k ON k.case_id = f.rowid;
DROP TABLE cases_fts_by_id;
INSERT INTO cases_fts (cases_fts) VALUES ('optimize');

-- The case's own text, and its key and scope: a change of received_on or
-- org_id moves the row to its new place in the order (no code changes
-- either today, but an import correction or a transfer would).
CREATE TRIGGER cases_fts_update
AFTER UPDATE OF reference, summary, details, received_on, org_id ON cases BEGIN
  UPDATE cases_fts SET
    rowid = CAST(julianday(new.received_on) - 2440587.5 AS INTEGER) * 4294967296 + new.id,
    scope = 'o' || new.org_id,
    reference = new.reference,
    body = new.summary || ' ' || new.details || ' ' ||
      coalesce((SELECT group_concat(summary || ' ' || desired_outcome, ' ')
                FROM complaint_points WHERE case_id = new.id), '')
  WHERE rowid = CAST(julianday(old.received_on) - 2440587.5 AS INTEGER) * 4294967296 + old.id;
END;

-- The names on a case: every party's person (004 says which).
CREATE TRIGGER cases_fts_party AFTER INSERT ON case_parties BEGIN
  UPDATE cases_fts SET names = coalesce((
    SELECT group_concat(trim(p.title || ' ' || p.given_name || ' ' || p.family_name || ' ' ||
                             p.organisation), ' ')
    FROM case_parties cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = new.case_id), '')
  WHERE rowid = (SELECT key FROM case_search_keys WHERE case_id = new.case_id);
END;
CREATE TRIGGER cases_fts_party_delete AFTER DELETE ON case_parties BEGIN
  UPDATE cases_fts SET names = coalesce((
    SELECT group_concat(trim(p.title || ' ' || p.given_name || ' ' || p.family_name || ' ' ||
                             p.organisation), ' ')
    FROM case_parties cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = old.case_id), '')
  WHERE rowid = (SELECT key FROM case_search_keys WHERE case_id = old.case_id);
END;
CREATE TRIGGER cases_fts_person AFTER UPDATE OF title, given_name, family_name, organisation
ON people BEGIN
  UPDATE cases_fts SET names = coalesce((
    SELECT group_concat(trim(p.title || ' ' || p.given_name || ' ' || p.family_name || ' ' ||
                             p.organisation), ' ')
    FROM case_parties cp JOIN people p ON p.id = cp.person_id
    WHERE cp.case_id = (cases_fts.rowid & 4294967295)), '')
  WHERE rowid IN (SELECT k.key FROM case_parties cp JOIN case_search_keys k ON k.case_id = cp.case_id
                  WHERE cp.person_id = new.id);
END;

CREATE TRIGGER cases_fts_point AFTER INSERT ON complaint_points BEGIN
  UPDATE cases_fts SET body = body || ' ' || new.summary || ' ' || new.desired_outcome
  WHERE rowid = (SELECT key FROM case_search_keys WHERE case_id = new.case_id);
END;
CREATE TRIGGER cases_fts_point_update AFTER UPDATE OF summary, desired_outcome ON complaint_points
BEGIN
  UPDATE cases_fts SET body = (SELECT c.summary || ' ' || c.details FROM cases c
                               WHERE c.id = new.case_id) || ' ' ||
    coalesce((SELECT group_concat(summary || ' ' || desired_outcome, ' ')
              FROM complaint_points WHERE case_id = new.case_id), '')
  WHERE rowid = (SELECT key FROM case_search_keys WHERE case_id = new.case_id);
END;
