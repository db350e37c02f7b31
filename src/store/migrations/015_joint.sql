-- 010 joint complaints (001 §12, §13): the teams' contributions to one
-- co-ordinated response, and the liaison with another organisation.  The
-- rules are src/core/joint.c.

CREATE TABLE case_contributions (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  stage         INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 3),
  team_id       INTEGER NOT NULL REFERENCES teams(id),
  requested_on  TEXT NOT NULL CHECK (date(requested_on) = requested_on),
  requested_by  TEXT NOT NULL,
  received_on   TEXT CHECK (received_on IS NULL OR date(received_on) = received_on),
  received_by   TEXT,
  UNIQUE (case_id, stage, team_id)
) STRICT;
CREATE INDEX case_contributions_open ON case_contributions(case_id, stage, received_on);

CREATE TABLE case_liaisons (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  organisation  TEXT NOT NULL CHECK (length(organisation) > 0),
  liaised_on    TEXT NOT NULL CHECK (date(liaised_on) = liaised_on),
  responder     TEXT NOT NULL CHECK (responder IN ('single_response', 'this_organisation',
                  'other_organisation', 'separate')),
  customer_told_on TEXT CHECK (customer_told_on IS NULL OR date(customer_told_on) = customer_told_on),
  recorded_by   TEXT NOT NULL,
  recorded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX case_liaisons_case ON case_liaisons(case_id);
