-- The public's online form (issue 6): the answers kept between its pages,
-- and the private tracking links given out when a form is sent.

-- A draft is the answers so far, keyed by the digest of a random token that
-- only the browser holds (a cookie): nothing personal goes in a URL, and
-- reading the database does not let anyone resume someone else's form.
-- Drafts are short-lived: deleted when the form is sent (in the same
-- transaction as the case), and once expired, whenever a new one starts.
CREATE TABLE web_drafts (
  id            INTEGER PRIMARY KEY,
  token_hash    BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  answers       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(answers)),
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL
) STRICT;
CREATE INDEX web_drafts_expiry ON web_drafts(expires_at);

-- Supporting documents uploaded on the form, until it is sent: then they
-- become the case's documents (store_document_add, with their events).
CREATE TABLE web_draft_files (
  id            INTEGER PRIMARY KEY,
  draft_id      INTEGER NOT NULL REFERENCES web_drafts(id) ON DELETE CASCADE,
  filename      TEXT NOT NULL,
  content_type  TEXT NOT NULL,
  size          INTEGER NOT NULL CHECK (size > 0),
  content       BLOB NOT NULL
) STRICT;
CREATE INDEX web_draft_files_draft ON web_draft_files(draft_id);

-- The private link that lets whoever made a representation follow it
-- without an account.  Only the token's BLAKE2b-256 digest is kept, as for
-- sessions and API tokens.
CREATE TABLE case_tracking (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  token_hash    BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at    TEXT NOT NULL,
  revoked_at    TEXT
) STRICT;
CREATE INDEX case_tracking_case ON case_tracking(case_id);
