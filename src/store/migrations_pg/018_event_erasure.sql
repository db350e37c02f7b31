-- Erasable event content: the PostgreSQL twin of
-- src/store/migrations/018_event_erasure.sql (see there for why).
ALTER TABLE events ADD COLUMN hash_version BIGINT NOT NULL DEFAULT 1
  CHECK (hash_version IN (1, 2));
ALTER TABLE events ADD COLUMN content_digest BYTEA
  CHECK (content_digest IS NULL OR length(content_digest) = 32);
ALTER TABLE events ADD COLUMN erased_on TEXT;

CREATE TABLE event_salts (
  event_id      BIGINT PRIMARY KEY REFERENCES events(id),
  salt          BYTEA NOT NULL CHECK (length(salt) = 16)
);

DROP TRIGGER IF EXISTS events_no_update ON events;
CREATE OR REPLACE FUNCTION events_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (OLD.hash_version = 2 AND OLD.erased_on IS NULL AND NEW.erased_on IS NOT NULL
      AND NEW.reason = '' AND NEW.data = '{}' AND NEW.id = OLD.id
      AND NEW.org_id IS NOT DISTINCT FROM OLD.org_id
      AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id
      AND NEW.seq IS NOT DISTINCT FROM OLD.seq AND NEW.at = OLD.at
      AND NEW.effective_on = OLD.effective_on AND NEW.actor = OLD.actor
      AND NEW.action = OLD.action AND NEW.hash = OLD.hash AND NEW.hash_version = 2
      AND NEW.content_digest = OLD.content_digest) THEN
    RAISE EXCEPTION 'events are append-only: only retention may erase an event''s content'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION events_no_update();

CREATE OR REPLACE FUNCTION event_salts_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'an event''s salt is never changed'
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER event_salts_no_update BEFORE UPDATE ON event_salts
  FOR EACH ROW EXECUTE FUNCTION event_salts_no_update();

CREATE OR REPLACE FUNCTION event_salts_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT erased_on FROM events WHERE id = OLD.event_id) IS NULL THEN
    RAISE EXCEPTION 'an event''s salt goes only with its erased content'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER event_salts_no_delete BEFORE DELETE ON event_salts
  FOR EACH ROW EXECUTE FUNCTION event_salts_no_delete();

DROP TRIGGER IF EXISTS access_log_no_update ON access_log;
CREATE OR REPLACE FUNCTION access_log_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (OLD.what = 'search' AND NEW.what = 'search' AND NEW.id = OLD.id AND NEW.at = OLD.at
      AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id AND NEW.actor = OLD.actor
      AND NEW.case_id IS NOT DISTINCT FROM OLD.case_id AND NEW.client_ip = OLD.client_ip
      AND NEW.detail ~ '^\(removed under the retention rule on [0-9]{4}-[0-9]{2}-[0-9]{2}\)$') THEN
    RAISE EXCEPTION 'the access log is append-only'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
  FOR EACH ROW EXECUTE FUNCTION access_log_no_update();
