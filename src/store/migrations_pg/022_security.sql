-- 022 security (PostgreSQL): token scope and expiry, organisations' set-up
-- day.  The twin of migrations/022_security.sql, which says why.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'api'
  CHECK (scope IN ('api', 'feed'));
UPDATE api_tokens
  SET expires_at = to_char((now() AT TIME ZONE 'UTC') + interval '90 days',
                           'YYYY-MM-DD"T"HH24:MI:SS"Z"')
  WHERE expires_at IS NULL AND revoked_at IS NULL;

-- The day an organisation was set up: see the SQLite twin.
ALTER TABLE organisations ADD COLUMN set_up_on TEXT
  CHECK (set_up_on IS NULL OR set_up_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
