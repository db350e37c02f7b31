-- 004 auth: signing in, API tokens, login throttling, the log of reads of
-- personal data, and full-text search over cases.
--
-- Secrets are never stored: a session or API token is 32 random bytes the
-- client holds, and the database keeps only its BLAKE2b-256 digest, so a
-- copy of the database (a backup, a stolen laptop) lets nobody sign in.

CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  token_hash    BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at    TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,   -- moved at most once a minute: idle expiry needs no finer grain
  expires_at    TEXT NOT NULL,   -- absolute expiry, fixed at sign-in
  ended_at      TEXT,            -- signed out, or ended by a password reset or disabling
  client_ip     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Tokens for integrations (Authorization: Bearer ...), named so an
-- administrator can tell them apart and revoke one.
CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  name          TEXT NOT NULL DEFAULT '',
  token_hash    BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at    TEXT NOT NULL,
  last_used_at  TEXT,
  expires_at    TEXT,            -- NULL: until revoked
  revoked_at    TEXT
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Every password sign-in attempt, kept for throttling (per address) and
-- lock-out (per account).  The email is as typed, so attempts against
-- accounts that do not exist are throttled the same way.
CREATE TABLE login_attempts (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL COLLATE NOCASE,
  client_ip     TEXT NOT NULL,
  at            TEXT NOT NULL,
  succeeded     INTEGER NOT NULL CHECK (succeeded IN (0, 1))
) STRICT;
CREATE INDEX login_attempts_email ON login_attempts(email, at);
CREATE INDEX login_attempts_ip ON login_attempts(client_ip, at);

-- Reads of personal data (DOMAIN §8: need-to-know; UK GDPR accountability):
-- who looked at which case, when, and at what.  Changes are in the events
-- chain; this table is for reads, which are far more numerous, so it is
-- append-only but not hash-chained.
CREATE TABLE access_log (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  user_id       INTEGER REFERENCES users(id),
  actor         TEXT NOT NULL,   -- the user's email as it was at the time
  case_id       INTEGER REFERENCES cases(id),  -- NULL for a search
  what          TEXT NOT NULL CHECK (what IN ('case', 'history', 'search')),
  detail        TEXT NOT NULL DEFAULT '',      -- for a search, the words searched for
  client_ip     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX access_log_case ON access_log(case_id, at);
CREATE INDEX access_log_user ON access_log(user_id, at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;

-- Full-text search by reference, by the names of the people on a case, and
-- by its text (summary, details, complaint points).  The index keeps its own
-- copy, maintained by the triggers below, so a search is one FTS5 query.
-- The case's id is the index's rowid.  Equality-monitoring answers are never
-- indexed.
CREATE VIRTUAL TABLE cases_fts USING fts5(
  reference, names, body,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
  INSERT INTO cases_fts (rowid, reference, names, body)
  VALUES (new.id, new.reference, '', new.summary || ' ' || new.details);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF reference, summary, details ON cases BEGIN
  UPDATE cases_fts SET reference = new.reference,
    body = new.summary || ' ' || new.details || ' ' ||
      coalesce((SELECT group_concat(summary || ' ' || desired_outcome, ' ')
                FROM complaint_points WHERE case_id = new.id), '')
  WHERE rowid = new.id;
END;

-- The names on a case: every party's person (organisation too, for a
-- solicitor's firm or an advocacy service).
CREATE TRIGGER cases_fts_party AFTER INSERT ON case_parties BEGIN
  UPDATE cases_fts SET names = coalesce((
    SELECT group_concat(trim(p.title || ' ' || p.given_name || ' ' || p.family_name || ' ' ||
                             p.organisation), ' ')
    FROM case_parties cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = new.case_id), '')
  WHERE rowid = new.case_id;
END;
CREATE TRIGGER cases_fts_party_delete AFTER DELETE ON case_parties BEGIN
  UPDATE cases_fts SET names = coalesce((
    SELECT group_concat(trim(p.title || ' ' || p.given_name || ' ' || p.family_name || ' ' ||
                             p.organisation), ' ')
    FROM case_parties cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = old.case_id), '')
  WHERE rowid = old.case_id;
END;
CREATE TRIGGER cases_fts_person AFTER UPDATE OF title, given_name, family_name, organisation
ON people BEGIN
  UPDATE cases_fts SET names = coalesce((
    SELECT group_concat(trim(p.title || ' ' || p.given_name || ' ' || p.family_name || ' ' ||
                             p.organisation), ' ')
    FROM case_parties cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = cases_fts.rowid), '')
  WHERE rowid IN (SELECT case_id FROM case_parties WHERE person_id = new.id);
END;

CREATE TRIGGER cases_fts_point AFTER INSERT ON complaint_points BEGIN
  UPDATE cases_fts SET body = body || ' ' || new.summary || ' ' || new.desired_outcome
  WHERE rowid = new.case_id;
END;
CREATE TRIGGER cases_fts_point_update AFTER UPDATE OF summary, desired_outcome ON complaint_points
BEGIN
  UPDATE cases_fts SET body = (SELECT c.summary || ' ' || c.details FROM cases c
                               WHERE c.id = new.case_id) || ' ' ||
    coalesce((SELECT group_concat(summary || ' ' || desired_outcome, ' ')
              FROM complaint_points WHERE case_id = new.case_id), '')
  WHERE rowid = new.case_id;
END;

-- Cases recorded before this migration.
INSERT INTO cases_fts (rowid, reference, names, body)
SELECT c.id, c.reference,
  coalesce((SELECT group_concat(trim(p.title || ' ' || p.given_name || ' ' || p.family_name ||
                                     ' ' || p.organisation), ' ')
            FROM case_parties cp JOIN people p ON p.id = cp.person_id WHERE cp.case_id = c.id), ''),
  c.summary || ' ' || c.details || ' ' ||
  coalesce((SELECT group_concat(summary || ' ' || desired_outcome, ' ')
            FROM complaint_points WHERE case_id = c.id), '')
FROM cases c;
