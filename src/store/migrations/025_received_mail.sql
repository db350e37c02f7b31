-- 025 received mail (issue 17): every
-- message `fairhearing mail receive` took, kept whole, and what became of
-- it; and the Message-IDs of the mail Fairhearing sends, so that a reply
-- naming one in In-Reply-To or References finds its case.
--
-- A message is evidence and is kept whole (raw), as documents are, beside
-- its case in the one database file: a backup holds it, and it can neither
-- outlive nor miss its case.  message_id is the header's value without the
-- angle brackets, or "sha256:" and the digest of the bytes for a message
-- that has none, so the same message piped twice is recorded once
-- (UNIQUE per organisation).  state says what became of it:
--   filed           a reply, kept as correspondence on its case (case_id)
--   new_contact     a new contact (case_id, the case it made)
--   possibly_about  a new contact (case_id) whose subject named about_case_id
--                   but whose sender is not a party of that case
--   quarantined     kept, for the complaints team to file by hand: it could
--                   not be read, or a machine wrote it (why says which)
--   discarded       a quarantined message the team set aside (kept, as
--                   everything is, until the retention rule reaches it)
-- refused lists the attachments that were not kept as documents, each with
-- its filename, type, size and the reason, as JSON.
CREATE TABLE received_messages (
  id             INTEGER PRIMARY KEY,
  org_id         INTEGER NOT NULL REFERENCES organisations(id),
  message_id     TEXT NOT NULL CHECK (length(message_id) BETWEEN 1 AND 998),
  raw            BLOB NOT NULL,
  size           INTEGER NOT NULL CHECK (size = length(raw)),
  sha256         TEXT NOT NULL CHECK (length(sha256) = 64 AND NOT sha256 GLOB '*[^0-9a-f]*'),
  from_name      TEXT NOT NULL DEFAULT '',
  from_address   TEXT NOT NULL DEFAULT '',
  subject        TEXT NOT NULL DEFAULT '',
  body           TEXT NOT NULL DEFAULT '',
  received_at    TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('filed', 'new_contact', 'possibly_about',
                                                'quarantined', 'discarded')),
  why            TEXT NOT NULL DEFAULT '',
  case_id        INTEGER REFERENCES cases(id),
  about_case_id  INTEGER REFERENCES cases(id),
  refused        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(refused)),
  CHECK ((state IN ('quarantined', 'discarded')) = (case_id IS NULL)),
  CHECK ((state = 'possibly_about') = (about_case_id IS NOT NULL)),
  UNIQUE (org_id, message_id)
) STRICT;
CREATE INDEX received_messages_case ON received_messages(case_id, id);
CREATE INDEX received_messages_state ON received_messages(org_id, state, id);

-- The Message-IDs of the mail Fairhearing sends (letters by email, later
-- work), each with the case it is about.
CREATE TABLE outbound_messages (
  id             INTEGER PRIMARY KEY,
  org_id         INTEGER NOT NULL REFERENCES organisations(id),
  case_id        INTEGER NOT NULL REFERENCES cases(id),
  message_id     TEXT NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 1 AND 998),
  sent_at        TEXT NOT NULL
) STRICT;
CREATE INDEX outbound_messages_case ON outbound_messages(case_id);
