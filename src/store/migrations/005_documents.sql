-- 005 documents: files kept on a case (a complainant's letter, an
-- investigation report, a chronology), and the reading of them in the
-- access log.
--
-- The content lives in the database beside the case, so a backup of the
-- one file holds everything and a document can never outlive or miss its
-- case.  Its SHA-256 is kept so the audit event that records the upload
-- (which carries the digest but never the content) pins exactly what was
-- uploaded.  A document is evidence: it is never changed in place.

CREATE TABLE documents (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  -- shown to people and sent back in Content-Disposition: no path, no
  -- control characters, no quote that could end the header's value
  filename      TEXT NOT NULL CHECK (length(filename) BETWEEN 1 AND 255
                                     AND NOT filename GLOB '*[/\"]*'
                                     AND filename NOT IN ('.', '..')),
  -- only types a browser will not run as a page (docs/api.md)
  content_type  TEXT NOT NULL CHECK (content_type IN (
                  'application/pdf', 'image/png', 'image/jpeg', 'text/plain',
                  'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
  size          INTEGER NOT NULL CHECK (size > 0),
  sha256        TEXT NOT NULL CHECK (length(sha256) = 64 AND NOT sha256 GLOB '*[^0-9a-f]*'),
  -- staff: for the people working on the case; customer: may also be
  -- shared with the complainant; confidential: only those who may see the
  -- confidential addendum (the complaints team and the adjudicator)
  visibility    TEXT NOT NULL CHECK (visibility IN ('staff', 'customer', 'confidential')),
  content       BLOB NOT NULL CHECK (length(content) = size),
  uploaded_by   TEXT NOT NULL,   -- the user's email as it was at the time
  uploaded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX documents_case ON documents(case_id, id);
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN SELECT RAISE(ABORT, 'a document is never changed: upload a new one'); END;

-- The access log learns a new kind of read, 'document'.  SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt with every
-- row, index and trigger it had (dropping a table fires none of its
-- triggers, and nothing refers to the access log).
CREATE TABLE access_log_005 (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  user_id       INTEGER REFERENCES users(id),
  actor         TEXT NOT NULL,
  case_id       INTEGER REFERENCES cases(id),
  what          TEXT NOT NULL CHECK (what IN ('case', 'history', 'search', 'document')),
  detail        TEXT NOT NULL DEFAULT '',
  client_ip     TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO access_log_005 (id, at, user_id, actor, case_id, what, detail, client_ip)
SELECT id, at, user_id, actor, case_id, what, detail, client_ip FROM access_log;
DROP TABLE access_log;
ALTER TABLE access_log_005 RENAME TO access_log;
CREATE INDEX access_log_case ON access_log(case_id, at);
CREATE INDEX access_log_user ON access_log(user_id, at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
