-- 001 initial: the organisations, people, cases and the audit chain.
-- Every table is STRICT; every date is ISO 8601 text (YYYY-MM-DD) and every
-- timestamp is UTC ISO 8601 with a Z (YYYY-MM-DDTHH:MM:SSZ), so they sort and
-- compare as text and read the same in the sqlite3 shell.

CREATE TABLE organisations (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE CHECK (code GLOB '[a-z]*' AND length(code) BETWEEN 2 AND 32),
  name          TEXT NOT NULL CHECK (length(name) > 0),
  ref_prefix    TEXT NOT NULL UNIQUE CHECK (ref_prefix GLOB '[A-Z]*' AND length(ref_prefix) BETWEEN 2 AND 8),
  address       TEXT NOT NULL DEFAULT '',
  region        TEXT NOT NULL DEFAULT 'england-and-wales',
  advocacy_service TEXT NOT NULL DEFAULT '',
  ombudsman     TEXT NOT NULL DEFAULT '',  -- where a customer goes at the end (LGSCO, NACCC)
  created_at    TEXT NOT NULL
) STRICT;

-- Two levels, as the policy reports at them (001 §16): a service area led by a
-- Head of Service, and teams inside it led by a Team Manager.
CREATE TABLE teams (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  parent_id     INTEGER REFERENCES teams(id),
  level         TEXT NOT NULL CHECK (level IN ('service', 'team')),
  name          TEXT NOT NULL CHECK (length(name) > 0),
  head_user_id  INTEGER REFERENCES users(id),
  UNIQUE (org_id, name),
  CHECK ((level = 'service') = (parent_id IS NULL))
) STRICT;
CREATE INDEX teams_parent ON teams(parent_id);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email LIKE '%_@_%'),
  display_name  TEXT NOT NULL CHECK (length(display_name) > 0),
  password_hash TEXT,                -- argon2id string; NULL: cannot sign in with a password
  external      INTEGER NOT NULL DEFAULT 0 CHECK (external IN (0, 1)), -- Independent Persons, panel members
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT NOT NULL
) STRICT;

-- A user's roles, per organisation (and optionally per team).
CREATE TABLE user_roles (
  user_id       INTEGER NOT NULL REFERENCES users(id),
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  role          TEXT NOT NULL CHECK (role IN (
                  'complaints_team', 'manager', 'adjudicating_officer',
                  'investigating_officer', 'independent_person', 'panel_member',
                  'reviewing_officer', 'head_of_service', 'leadership', 'administrator')),
  team_id       INTEGER REFERENCES teams(id),
  UNIQUE (user_id, org_id, role, team_id)
) STRICT;
CREATE INDEX user_roles_org ON user_roles(org_id, role);

-- People outside the organisation: customers, children, representatives,
-- advocates, solicitors.  Contact details live here, never on the case, so a
-- person who complains twice is one person.
CREATE TABLE people (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  title         TEXT NOT NULL DEFAULT '',
  given_name    TEXT NOT NULL DEFAULT '',
  family_name   TEXT NOT NULL DEFAULT '',
  organisation  TEXT NOT NULL DEFAULT '',   -- a solicitor's firm, an advocacy service
  address       TEXT NOT NULL DEFAULT '',
  postcode      TEXT NOT NULL DEFAULT '',
  phone         TEXT NOT NULL DEFAULT '',
  email         TEXT NOT NULL DEFAULT '',
  preferred_contact TEXT NOT NULL DEFAULT '' CHECK (preferred_contact IN ('', 'post', 'email', 'phone')),
  date_of_birth TEXT CHECK (date_of_birth IS NULL OR date(date_of_birth) = date_of_birth),
  needs         TEXT NOT NULL DEFAULT '',   -- interpreter, signer, alternative format (000; 004)
  created_at    TEXT NOT NULL,
  CHECK (length(given_name) + length(family_name) + length(organisation) > 0)
) STRICT;
CREATE INDEX people_org_name ON people(org_id, family_name, given_name);

-- The form's equality-monitoring answers (000, last pages), kept apart from
-- both the person and the case: case officers never need them, reporting does
-- (DOMAIN §7).  Every answer is optional; '' is "not answered".
CREATE TABLE equality_monitoring (
  person_id          INTEGER PRIMARY KEY REFERENCES people(id),
  date_of_birth      TEXT CHECK (date_of_birth IS NULL OR date(date_of_birth) = date_of_birth),
  preferred_language TEXT NOT NULL DEFAULT '',
  religion           TEXT NOT NULL DEFAULT '',
  racial_identity    TEXT NOT NULL DEFAULT '',
  sex                TEXT NOT NULL DEFAULT '',
  disability         TEXT NOT NULL DEFAULT '' CHECK (disability IN ('', 'yes', 'no', 'prefer_not_to_say')),
  disability_nature  TEXT NOT NULL DEFAULT '',
  recorded_at        TEXT NOT NULL
) STRICT;

-- One representation: a complaint, comment, compliment, or an enquiry from a
-- councillor or MP (000 "Councillors and MPs").
CREATE TABLE cases (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  reference     TEXT NOT NULL UNIQUE,       -- BCT-2026-00042
  kind          TEXT NOT NULL CHECK (kind IN ('complaint', 'comment', 'compliment', 'enquiry')),
  channel       TEXT NOT NULL CHECK (channel IN ('in_person', 'phone', 'letter', 'email', 'paper_form', 'online_form')),
  received_on   TEXT NOT NULL CHECK (date(received_on) = received_on),
  received_by   TEXT NOT NULL DEFAULT '',   -- the member of staff it was made to (001 §6.1)
  service       TEXT NOT NULL DEFAULT '',   -- which service it is about (004)
  team_id       INTEGER REFERENCES teams(id),
  summary       TEXT NOT NULL CHECK (length(summary) > 0),
  details       TEXT NOT NULL DEFAULT '',
  anonymous     INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),   -- 001 §7.7
  confidential  INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)), -- 003: about the coordinator
  route         TEXT NOT NULL DEFAULT 'untriaged' CHECK (route IN (
                  'untriaged', 'statutory', 'non_statutory', 'anonymous', 'enquiry',
                  'provider_redirect', 'not_considered', 'recorded')),
  procedure_code    TEXT,                   -- set by triage; the version never changes after
  procedure_version INTEGER,
  state         TEXT NOT NULL DEFAULT 'received' CHECK (state IN (
                  'received', 'open', 'suspended', 'closed', 'withdrawn')),
  stage         INTEGER NOT NULL DEFAULT 0 CHECK (stage BETWEEN 0 AND 3),
  closed_on     TEXT CHECK (closed_on IS NULL OR date(closed_on) = closed_on),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX cases_org_received ON cases(org_id, received_on);
CREATE INDEX cases_org_state ON cases(org_id, state, stage);

-- References are numbered per organisation and year without gaps or
-- duplicates: the counter moves in the transaction that creates the case.
CREATE TABLE reference_counters (
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  year          INTEGER NOT NULL,
  last          INTEGER NOT NULL,
  PRIMARY KEY (org_id, year)
) STRICT;

-- Who is on a case and as what.  A representative carries the relationship
-- (001 §7.3) and the state of the child's consent (001 §7.4; 000).
CREATE TABLE case_parties (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  person_id     INTEGER NOT NULL REFERENCES people(id),
  role          TEXT NOT NULL CHECK (role IN ('complainant', 'child', 'representative', 'advocate', 'solicitor', 'councillor', 'mp')),
  relationship  TEXT NOT NULL DEFAULT '' CHECK (relationship IN ('',
                  'self', 'parent', 'parental_responsibility', 'guardian', 'foster_carer',
                  'special_guardian', 'sgo_applicant', 'prospective_adopter', 'advocate',
                  'sufficient_interest', 'relative', 'friend', 'solicitor', 'other')),
  -- the child's status decides the statutory route (001 §7.2)
  child_status  TEXT NOT NULL DEFAULT '' CHECK (child_status IN ('',
                  'looked_after', 'formerly_looked_after', 'child_in_need', 'care_leaver',
                  'special_guardianship', 'may_be_adopted', 'adopted', 'none')),
  consent       TEXT NOT NULL DEFAULT 'not_needed' CHECK (consent IN (
                  'not_needed', 'not_asked', 'requested', 'given', 'refused', 'unable')),
  consent_on    TEXT CHECK (consent_on IS NULL OR date(consent_on) = consent_on),
  correspond    INTEGER NOT NULL DEFAULT 0 CHECK (correspond IN (0, 1)), -- send letters here (solicitor: 000)
  UNIQUE (case_id, person_id, role)
) STRICT;
CREATE INDEX case_parties_person ON case_parties(person_id);

-- What the complaint is about, point by point, each with what the customer
-- wants done about it: every point and outcome needs a finding (DOMAIN §4).
CREATE TABLE complaint_points (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  seq           INTEGER NOT NULL CHECK (seq >= 1),
  summary       TEXT NOT NULL CHECK (length(summary) > 0),
  desired_outcome TEXT NOT NULL DEFAULT '',
  team_id       INTEGER REFERENCES teams(id),
  withdrawn     INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
  UNIQUE (case_id, seq)
) STRICT;

-- A stage a case has entered, with its dates.  Due dates are stored as
-- computed when the stage's clock started, under the case's procedure version.
CREATE TABLE case_stages (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  stage         INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 3),
  state         TEXT NOT NULL CHECK (state IN ('requested', 'active', 'responded', 'closed')),
  requested_on  TEXT,
  started_on    TEXT,
  due_on        TEXT,
  responded_on  TEXT,
  officer_id    INTEGER REFERENCES users(id),
  UNIQUE (case_id, stage)
) STRICT;

-- A finding on one point at one stage (DOMAIN §4).
CREATE TABLE findings (
  id            INTEGER PRIMARY KEY,
  point_id      INTEGER NOT NULL REFERENCES complaint_points(id),
  stage         INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 3),
  outcome       TEXT NOT NULL CHECK (outcome IN ('upheld', 'partly_upheld', 'not_upheld', 'not_determined', 'withdrawn')),
  reasoning     TEXT NOT NULL DEFAULT '',
  outcome_response TEXT NOT NULL DEFAULT '', -- the answer to the desired outcome
  recorded_by   INTEGER REFERENCES users(id),
  recorded_at   TEXT NOT NULL,
  UNIQUE (point_id, stage)
) STRICT;

-- The append-only history of every change.  Events form one chain across
-- the installation: each event's hash is BLAKE2b-256 of the previous event's
-- hash and this event's canonical bytes (src/core/hashchain.c), and
-- audit_head holds the newest hash and the count, so an edited, inserted or
-- removed event, even the newest, breaks the chain (`fairhearing audit
-- verify`).  An event about a case names it; one about the organisation
-- (a user added, a calendar imported) has no case.
CREATE TABLE events (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER REFERENCES organisations(id),
  case_id       INTEGER REFERENCES cases(id),
  seq           INTEGER CHECK ((case_id IS NULL) = (seq IS NULL)), -- 1, 2, ... within a case
  at            TEXT NOT NULL,     -- when it was recorded (UTC)
  effective_on  TEXT NOT NULL DEFAULT '', -- the date it happened, when that is not today
  actor         TEXT NOT NULL,     -- who: a user's email, or 'system'
  action        TEXT NOT NULL,
  reason        TEXT NOT NULL DEFAULT '',
  data          TEXT NOT NULL DEFAULT '{}', -- JSON; names fields, never copies personal data
  hash          BLOB NOT NULL CHECK (length(hash) = 32),
  UNIQUE (case_id, seq)
) STRICT;
CREATE INDEX events_org ON events(org_id);

CREATE TABLE audit_head (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  event_count   INTEGER NOT NULL,
  last_id       INTEGER NOT NULL,
  last_hash     BLOB
) STRICT;
INSERT INTO audit_head (id, event_count, last_id, last_hash) VALUES (1, 0, 0, NULL);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit head cannot be removed'); END;
