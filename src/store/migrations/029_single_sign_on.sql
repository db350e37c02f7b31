-- 029 single sign-on: an organisation's OpenID Connect provider, the
-- provider identities bound to users, and sign-ins under way (docs/sso.md,
-- issue 18).
--
-- One provider per organisation.  The client secret is never kept here:
-- secret_source names where the server reads it ("file:/path" or
-- "env:NAME").  allowed_domains is a comma-separated list of email domains
-- in lower case ('' allows any domain).  password_sign_in 0: the
-- organisation's staff sign in only through the provider.  create_users 1:
-- a verified email of an allowed domain with no account gets one, with no
-- role.  match_claim: the ID token's claim a first sign-in is matched on by
-- email; "email" must come with email_verified true, the others (Entra
-- ID's, an administrator's choice: docs/sso.md) are trusted as verified.
CREATE TABLE sso_providers (
  org_id           INTEGER PRIMARY KEY REFERENCES organisations(id),
  issuer           TEXT NOT NULL,
  client_id        TEXT NOT NULL,
  secret_source    TEXT NOT NULL,
  allowed_domains  TEXT NOT NULL DEFAULT '',
  password_sign_in INTEGER NOT NULL DEFAULT 1 CHECK (password_sign_in IN (0, 1)),
  create_users     INTEGER NOT NULL DEFAULT 0 CHECK (create_users IN (0, 1)),
  label            TEXT NOT NULL,
  match_claim      TEXT NOT NULL DEFAULT 'email'
                   CHECK (match_claim IN ('email', 'preferred_username', 'upn')),
  updated_at       TEXT NOT NULL
) STRICT;

-- A provider's (iss, sub) bound to a user on their first sign-in through
-- it; found by that afterwards, so an email changed at the provider does
-- not move the binding.
CREATE TABLE sso_identities (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  issuer        TEXT NOT NULL,
  subject       TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  last_used_at  TEXT,
  UNIQUE (issuer, subject)
) STRICT;
CREATE INDEX sso_identities_user ON sso_identities(user_id);

-- A sign-in sent to the provider: the digest of its state, its nonce and
-- PKCE verifier (RFC 7636), good for ten minutes and once; code_hash is
-- the digest of the code it was answered with, unique, so a code is
-- accepted once.
CREATE TABLE sso_pending (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  state_hash    BLOB NOT NULL UNIQUE CHECK (length(state_hash) = 32),
  nonce         TEXT NOT NULL,
  verifier      TEXT NOT NULL,
  next          TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  used_at       TEXT,
  code_hash     BLOB UNIQUE CHECK (code_hash IS NULL OR length(code_hash) = 32)
) STRICT;

-- A session begun through a provider: which organisation's, the ID token
-- its sign-out is sent with as id_token_hint, and the provider's
-- end_session_endpoint as discovery gave it then (NULL: it offers none), so
-- signing out needs no fetch.
ALTER TABLE sessions ADD COLUMN sso_org_id INTEGER REFERENCES organisations(id);
ALTER TABLE sessions ADD COLUMN id_token TEXT;
ALTER TABLE sessions ADD COLUMN sso_end_session TEXT;
