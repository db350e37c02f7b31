-- 003 lifecycle: procedures as data, and each case's handling under one.
--
-- A procedure file (procedures/*.json) is installed as a numbered version;
-- a case records the code and version it started under, so changing a
-- policy never moves an existing case's deadlines (DESIGN "Procedures are
-- data").  The state of a case's handling is one JSON document changed only
-- by src/core/lifecycle.c; the tables after it are projections of that
-- document, rewritten with it in the same transaction, for the queries that
-- dashboards and reports make.

CREATE TABLE procedures (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL,
  version       INTEGER NOT NULL CHECK (version >= 1),
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  route         TEXT NOT NULL CHECK (route IN ('statutory', 'non_statutory')),
  name          TEXT NOT NULL,
  definition    TEXT NOT NULL CHECK (json_valid(definition)),
  installed_at  TEXT NOT NULL,
  installed_by  TEXT NOT NULL,
  UNIQUE (code, version)
) STRICT;
CREATE INDEX procedures_org ON procedures(org_id, route);

CREATE TABLE case_lifecycle (
  case_id       INTEGER PRIMARY KEY REFERENCES cases(id),
  state         TEXT NOT NULL CHECK (json_valid(state)),
  updated_at    TEXT NOT NULL
) STRICT;

-- Who works on a case, at which stage, as what.  Officers and panel members
-- see only the cases they are assigned to (need to know).
CREATE TABLE case_assignments (
  id            INTEGER PRIMARY KEY,
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  stage         INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 3),
  user_id       INTEGER REFERENCES users(id),   -- NULL: someone without a sign-in
  user_email    TEXT NOT NULL,
  role          TEXT NOT NULL,
  chair         INTEGER NOT NULL DEFAULT 0 CHECK (chair IN (0, 1)),
  assigned_on   TEXT NOT NULL,
  ended_at      TEXT
) STRICT;
CREATE INDEX case_assignments_user ON case_assignments(user_id, ended_at);
CREATE INDEX case_assignments_case ON case_assignments(case_id);

-- Every clock still running or waiting to start, with its due date.
CREATE TABLE case_deadlines (
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  stage         INTEGER NOT NULL CHECK (stage BETWEEN 0 AND 3), -- 0: the case's own (acknowledgement)
  clock         TEXT NOT NULL,
  start_on      TEXT,
  due_on        TEXT,         -- NULL while the clock waits for its starting event
  stopped       INTEGER NOT NULL DEFAULT 0 CHECK (stopped IN (0, 1)),
  source        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, stage, clock)
) STRICT;
CREATE INDEX case_deadlines_due ON case_deadlines(due_on);
