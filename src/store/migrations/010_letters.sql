-- 006 letters: the letters issued on a case, and the contact details a
-- letterhead carries.
--
-- A letter is kept as the layout model it was issued as (JSON: letterhead,
-- recipient, date, reference, subject and the text blocks; src/core/letter.h),
-- with the SHA-256 of that text.  The HTML and the PDF are both rendered from
-- it, so a letter shown or downloaded years later reads exactly as it was
-- sent, whatever has happened to the templates since; the template's file
-- name and digest say which one made it.  The audit event carries the
-- digest, never the text.  A letter is never changed or removed.

ALTER TABLE organisations ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN website TEXT NOT NULL DEFAULT '';

CREATE TABLE letters (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  kind          TEXT NOT NULL CHECK (kind GLOB '[a-z]*' AND length(kind) <= 40),
  variant       TEXT NOT NULL CHECK (variant IN ('standard', 'plain', 'child')),
  stage         INTEGER CHECK (stage IS NULL OR stage BETWEEN 1 AND 3),
  recipient     TEXT NOT NULL,     -- the party's role on the case: complainant, representative, ...
  subject       TEXT NOT NULL CHECK (length(subject) > 0),
  template      TEXT NOT NULL,     -- the file that made it, relative to its directory
  template_sha256 TEXT NOT NULL CHECK (length(template_sha256) = 64),
  document      TEXT NOT NULL CHECK (json_valid(document)),
  sha256        TEXT NOT NULL CHECK (length(sha256) = 64 AND NOT sha256 GLOB '*[^0-9a-f]*'),
  issued_on     TEXT NOT NULL CHECK (date(issued_on) = issued_on),
  issued_by     TEXT NOT NULL,
  issued_at     TEXT NOT NULL
) STRICT;
CREATE INDEX letters_case ON letters(case_id, id);
CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters
BEGIN SELECT RAISE(ABORT, 'a letter is never changed: issue a new one'); END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
BEGIN SELECT RAISE(ABORT, 'a letter is never removed'); END;
