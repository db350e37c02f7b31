-- API tokens get a scope and always an expiry (issue 16 item 9; the
-- security branch's migration "023": see the SQLite twin).
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'api'
  CHECK (scope IN ('api', 'feed'));
UPDATE api_tokens
  SET expires_at = to_char((now() AT TIME ZONE 'UTC') + interval '90 days',
                           'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  WHERE expires_at IS NULL AND revoked_at IS NULL;
