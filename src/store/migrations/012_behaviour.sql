-- 007 behaviour: unreasonably persistent and unacceptable behaviour
-- (DOMAIN §6; 001 §19, Appendix A).  Kept on the person, not the case, so
-- it is shown on every case that person is on.  The rules are
-- src/core/behaviour.c.

-- Level 1: a formal warning, with its evidence and the change asked for.
CREATE TABLE behaviour_warnings (
  id            INTEGER PRIMARY KEY,
  person_id     INTEGER NOT NULL REFERENCES people(id),
  issued_on     TEXT NOT NULL CHECK (date(issued_on) = issued_on),
  evidence      TEXT NOT NULL CHECK (length(evidence) > 0),
  change        TEXT NOT NULL CHECK (length(change) > 0),
  decided_by    TEXT NOT NULL,
  recorded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX behaviour_warnings_person ON behaviour_warnings(person_id);

-- Level 2: a restriction of contact for a stated period.
CREATE TABLE behaviour_restrictions (
  id            INTEGER PRIMARY KEY,
  person_id     INTEGER NOT NULL REFERENCES people(id),
  kind          TEXT NOT NULL CHECK (kind IN ('phone_time_limits', 'phone_call_limit',
                  'phone_via_third_party', 'no_contact_with_officers', 'buildings_by_appointment',
                  'named_contact_only', 'phone_set_times', 'witness_present', 'no_reply_on_topic',
                  'police_contacted', 'refuse_all_contact')),
  detail        TEXT NOT NULL CHECK (length(detail) > 0),
  reason        TEXT NOT NULL CHECK (length(reason) > 0),
  starts_on     TEXT NOT NULL CHECK (date(starts_on) = starts_on),
  ends_on       TEXT NOT NULL CHECK (date(ends_on) = ends_on AND ends_on > starts_on),
  without_warning TEXT NOT NULL DEFAULT '' CHECK (without_warning IN ('', 'threats_or_abuse',
                  'extreme_behaviour')),
  exceptional_reason TEXT NOT NULL DEFAULT '',
  lifted_on     TEXT CHECK (lifted_on IS NULL OR date(lifted_on) = lifted_on),
  decided_by    TEXT NOT NULL,
  recorded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX behaviour_restrictions_person ON behaviour_restrictions(person_id);

-- The reviews a restriction needs, with their due dates, and what each found.
CREATE TABLE behaviour_reviews (
  id            INTEGER PRIMARY KEY,
  restriction_id INTEGER NOT NULL REFERENCES behaviour_restrictions(id),
  due_on        TEXT NOT NULL CHECK (date(due_on) = due_on),
  reviewed_on   TEXT CHECK (reviewed_on IS NULL OR date(reviewed_on) = reviewed_on),
  outcome       TEXT CHECK (outcome IS NULL OR outcome IN ('continue', 'lift', 'extend')),
  note          TEXT NOT NULL DEFAULT '',
  reviewed_by   TEXT,
  CHECK ((reviewed_on IS NULL) = (outcome IS NULL))
) STRICT;
CREATE INDEX behaviour_reviews_restriction ON behaviour_reviews(restriction_id, due_on);

-- Level 3: the appeal against a restriction, answered within ten working days.
CREATE TABLE behaviour_appeals (
  id            INTEGER PRIMARY KEY,
  restriction_id INTEGER NOT NULL UNIQUE REFERENCES behaviour_restrictions(id),
  received_on   TEXT NOT NULL CHECK (date(received_on) = received_on),
  due_on        TEXT NOT NULL CHECK (date(due_on) = due_on),
  grounds       TEXT NOT NULL CHECK (length(grounds) > 0),
  recorded_by   TEXT NOT NULL,
  answered_on   TEXT CHECK (answered_on IS NULL OR date(answered_on) = answered_on),
  outcome       TEXT CHECK (outcome IS NULL OR outcome IN ('upheld', 'varied', 'lifted')),
  answer        TEXT NOT NULL DEFAULT '',
  answered_by   TEXT,
  CHECK ((answered_on IS NULL) = (outcome IS NULL))
) STRICT;

-- Whether a restriction applies to a complaint made while it was in force
-- (Appendix A "New complaints": judged on its merits, never ignored).
CREATE TABLE behaviour_case_decisions (
  id            INTEGER PRIMARY KEY,
  restriction_id INTEGER NOT NULL REFERENCES behaviour_restrictions(id),
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  applies       INTEGER NOT NULL CHECK (applies IN (0, 1)),
  reason        TEXT NOT NULL CHECK (length(reason) > 0),
  decided_by    TEXT NOT NULL,
  decided_on    TEXT NOT NULL CHECK (date(decided_on) = decided_on),
  UNIQUE (restriction_id, case_id)
) STRICT;
