-- 027 second factor: TOTP (RFC 6238) for password sign-in, its one-time
-- recovery codes, the half-signed-in state between a right password and
-- its code, and sessions that may do nothing but enrol (docs/security.md,
-- "Second factor").
--
-- One row per user who has begun or finished enrolling.  secret is the
-- 20-byte (160-bit) TOTP key; enrolled_at NULL: begun, not yet confirmed
-- with a code (a pending secret is replaced by the next "set up").
-- last_step is the newest 30-second step a code was accepted for: a code
-- of that step or an earlier one is refused, so a code is good once.
CREATE TABLE user_totp (
  user_id       INTEGER PRIMARY KEY REFERENCES users(id),
  secret        BLOB NOT NULL CHECK (length(secret) = 20),
  created_at    TEXT NOT NULL,
  enrolled_at   TEXT,
  last_step     INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Ten one-time codes made at enrolment: only the BLAKE2b-256 digest of
-- each is kept; used_at is set when one is spent.
CREATE TABLE recovery_codes (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  code_hash     BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),
  created_at    TEXT NOT NULL,
  used_at       TEXT
) STRICT;
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- A right password waiting for its code: a random token only the browser
-- holds (its digest here), good for five minutes and once, with no rights
-- of its own.
CREATE TABLE sign_in_challenges (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  token_hash    BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  client_ip     TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  ended_at      TEXT
) STRICT;
CREATE INDEX sign_in_challenges_user ON sign_in_challenges(user_id);

-- 1: a password session of a user whose organisation requires a second
-- factor they have not set up; it reaches only the set-up pages.
ALTER TABLE sessions ADD COLUMN must_enrol INTEGER NOT NULL DEFAULT 0
  CHECK (must_enrol IN (0, 1));
