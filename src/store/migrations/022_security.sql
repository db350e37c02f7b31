-- 022 security: API tokens get a scope and always an expiry, so a token
-- that leaks stops working and a calendar feed's token cannot act; and
-- organisations the day they were set up, before which no case is received.
--
-- scope 'api': acts with all of its user's roles through the API;
-- scope 'feed': reads only its user's deadlines feed, the one route a
-- calendar app reaches with the token in its address.
-- Tokens made before this migration keep scope 'api' and, if they had no
-- expiry, expire 90 days after the upgrade, so an installation has three
-- months to replace them and none lives for ever (docs/security.md).
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'api'
  CHECK (scope IN ('api', 'feed'));
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days')
  WHERE expires_at IS NULL AND revoked_at IS NULL;

-- The day an organisation was set up: no case of it can
-- have been received before.  NULL: not recorded, and the floor is the day
-- SI 2006/1738 came into force (src/store/store_case.c).
ALTER TABLE organisations ADD COLUMN set_up_on TEXT
  CHECK (set_up_on IS NULL OR set_up_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
