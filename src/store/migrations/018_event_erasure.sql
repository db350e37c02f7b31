-- Erasable event content (DOMAIN §8; docs/architecture.md, "The audit
-- chain").  Events written from now on are hash version 2: the chain hashes
-- a salted digest of the event's reason and data (src/core/hashchain.c)
-- instead of the text, and the salt is kept apart in event_salts.  Retention
-- erases an event's personal content by blanking its reason and data,
-- stamping erased_on and deleting its salt: the digest stays, so the chain
-- still verifies, and without the salt an erased short text (a name, a file
-- name) cannot be guessed back from it.  Events written before keep
-- version 1, whose hash covers the text itself: they verify as before and
-- cannot be erased.
ALTER TABLE events ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1
  CHECK (hash_version IN (1, 2));
ALTER TABLE events ADD COLUMN content_digest BLOB
  CHECK (content_digest IS NULL OR length(content_digest) = 32);
ALTER TABLE events ADD COLUMN erased_on TEXT;  -- the date retention erased its content

CREATE TABLE event_salts (
  event_id      INTEGER PRIMARY KEY REFERENCES events(id),
  salt          BLOB NOT NULL CHECK (length(salt) = 16)
) STRICT;

-- Events stay append-only but for one change: retention's erasure of a
-- version 2 event's reason and data, which touches nothing else.
DROP TRIGGER events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN NOT (OLD.hash_version = 2 AND OLD.erased_on IS NULL AND NEW.erased_on IS NOT NULL
  AND NEW.reason = '' AND NEW.data = '{}' AND NEW.id = OLD.id AND NEW.org_id IS OLD.org_id
  AND NEW.case_id IS OLD.case_id AND NEW.seq IS OLD.seq AND NEW.at = OLD.at
  AND NEW.effective_on = OLD.effective_on AND NEW.actor = OLD.actor
  AND NEW.action = OLD.action AND NEW.hash = OLD.hash AND NEW.hash_version = 2
  AND NEW.content_digest = OLD.content_digest)
BEGIN SELECT RAISE(ABORT, 'events are append-only: only retention may erase an event''s content'); END;

CREATE TRIGGER event_salts_no_update BEFORE UPDATE ON event_salts
BEGIN SELECT RAISE(ABORT, 'an event''s salt is never changed'); END;
CREATE TRIGGER event_salts_no_delete BEFORE DELETE ON event_salts
WHEN (SELECT erased_on FROM events WHERE id = OLD.event_id) IS NULL
BEGIN SELECT RAISE(ABORT, 'an event''s salt goes only with its erased content'); END;

-- The words of a search in the access log may be a person's name: retention
-- blanks those that name a case or person it anonymises (store_rights.c),
-- the one change the access log allows.
DROP TRIGGER access_log_no_update;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
WHEN NOT (OLD.what = 'search' AND NEW.what = 'search' AND NEW.id = OLD.id AND NEW.at = OLD.at
  AND NEW.user_id IS OLD.user_id AND NEW.actor = OLD.actor AND NEW.case_id IS OLD.case_id
  AND NEW.client_ip = OLD.client_ip
  AND NEW.detail GLOB '(removed under the retention rule on [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9])')
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
