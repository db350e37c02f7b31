-- The monitoring report's own projections (issue 7: the annual report over
-- 1,000,000 cases in under a second; docs/performance.md).
--
-- The report used to read every case's lifecycle document (about 2 KB) for
-- its extensions, Ombudsman enquiries, learning and actions, and to join
-- case_stages, findings and case_assignments row by row.  These tables hold
-- exactly what the report counts, one narrow row per stage, extension and
-- enquiry, with the case's organisation and team copied in so that a
-- period's rows are one index range.  They are written by the same code
-- and in the same transaction as case_stages (project() in
-- store_lifecycle.c), from the same lifecycle document, so they never
-- disagree with it.  report_projection.built = 0 asks store_open to build
-- them for the cases already there (an upgraded database); it is set to 1
-- when that is done.

CREATE TABLE report_projection (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  built         INTEGER NOT NULL CHECK (built IN (0, 1))
) STRICT;
INSERT INTO report_projection (id, built) VALUES (1, 0);

-- One row per stage a case has entered (as case_stages), with the counts
-- of its findings (as the findings table holds them), whether its response
-- states what was learnt, its actions and how many are done, whether the
-- case went on to the next stage, and the officers assigned to respond.
CREATE TABLE report_stages (
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  stage         INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 3),
  org_id        INTEGER NOT NULL,
  team_id       INTEGER,
  requested_on  TEXT,   -- the request, or the start when there was none
  started_on    TEXT,
  due_on        TEXT,
  responded_on  TEXT,
  upheld        INTEGER NOT NULL DEFAULT 0,
  partly_upheld INTEGER NOT NULL DEFAULT 0,
  not_upheld    INTEGER NOT NULL DEFAULT 0,
  not_determined INTEGER NOT NULL DEFAULT 0,
  withdrawn     INTEGER NOT NULL DEFAULT 0,
  learning      INTEGER NOT NULL DEFAULT 0 CHECK (learning IN (0, 1)),
  actions       INTEGER NOT NULL DEFAULT 0,
  actions_done  INTEGER NOT NULL DEFAULT 0,
  escalated     INTEGER NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
  officers      TEXT NOT NULL DEFAULT '',  -- the assigned responders' emails, ', ' between
  PRIMARY KEY (case_id, stage)
) STRICT;
CREATE INDEX report_stages_responded ON report_stages(org_id, responded_on, learning);

-- One row per extension of a response clock.
CREATE TABLE report_extensions (
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  stage         INTEGER NOT NULL,
  org_id        INTEGER NOT NULL,
  team_id       INTEGER,
  on_date       TEXT NOT NULL,
  because       TEXT NOT NULL
) STRICT;
CREATE INDEX report_extensions_org ON report_extensions(org_id, on_date);
CREATE INDEX report_extensions_case ON report_extensions(case_id);

-- One row per Ombudsman enquiry (outcome NULL while awaited).
CREATE TABLE report_ombudsman (
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  org_id        INTEGER NOT NULL,
  team_id       INTEGER,
  enquiry_on    TEXT NOT NULL,
  outcome       TEXT
) STRICT;
CREATE INDEX report_ombudsman_org ON report_ombudsman(org_id, enquiry_on);
CREATE INDEX report_ombudsman_case ON report_ombudsman(case_id);

-- A case moved to another team is counted under its new team everywhere.
CREATE TRIGGER report_case_team AFTER UPDATE OF team_id ON cases
WHEN old.team_id IS NOT new.team_id
BEGIN
  UPDATE report_stages SET team_id = new.team_id WHERE case_id = new.id;
  UPDATE report_extensions SET team_id = new.team_id WHERE case_id = new.id;
  UPDATE report_ombudsman SET team_id = new.team_id WHERE case_id = new.id;
END;

-- Each complainant of each case, with what the equality profile selects
-- by (001 §16; DOMAIN §7): the profile counts the complainants of the
-- complaints received in a period once each, and a join of every such case
-- to its parties was most of a large report's time.  Kept by triggers, so
-- every way a party or a case is written keeps it true.
CREATE TABLE report_complainants (
  case_id       INTEGER NOT NULL REFERENCES cases(id),
  person_id     INTEGER NOT NULL,
  org_id        INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  received_on   TEXT NOT NULL,
  team_id       INTEGER,
  PRIMARY KEY (case_id, person_id)
) STRICT;
CREATE INDEX report_complainants_org ON report_complainants(org_id, kind, received_on, team_id,
  person_id);
INSERT OR IGNORE INTO report_complainants (case_id, person_id, org_id, kind, received_on, team_id)
SELECT cp.case_id, cp.person_id, c.org_id, c.kind, c.received_on, c.team_id
FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE cp.role = 'complainant';
CREATE TRIGGER report_complainant_added AFTER INSERT ON case_parties
WHEN new.role = 'complainant'
BEGIN
  INSERT OR IGNORE INTO report_complainants (case_id, person_id, org_id, kind, received_on, team_id)
  SELECT new.case_id, new.person_id, c.org_id, c.kind, c.received_on, c.team_id
  FROM cases c WHERE c.id = new.case_id;
END;
CREATE TRIGGER report_complainant_removed AFTER DELETE ON case_parties
WHEN old.role = 'complainant'
BEGIN
  DELETE FROM report_complainants WHERE case_id = old.case_id AND person_id = old.person_id;
END;
CREATE TRIGGER report_complainant_changed AFTER UPDATE OF case_id, person_id, role ON case_parties
BEGIN
  DELETE FROM report_complainants WHERE old.role = 'complainant'
    AND case_id = old.case_id AND person_id = old.person_id;
  INSERT OR IGNORE INTO report_complainants (case_id, person_id, org_id, kind, received_on, team_id)
  SELECT new.case_id, new.person_id, c.org_id, c.kind, c.received_on, c.team_id
  FROM cases c WHERE c.id = new.case_id AND new.role = 'complainant';
END;
CREATE TRIGGER report_complainant_case AFTER UPDATE OF kind, received_on, team_id ON cases
BEGIN
  UPDATE report_complainants SET kind = new.kind, received_on = new.received_on,
    team_id = new.team_id WHERE case_id = new.id;
END;

-- The compliments received, newest first, without reading other cases.
CREATE INDEX cases_report ON cases(org_id, kind, received_on);

-- Daily counts, kept by triggers in the transaction of every change: the
-- report adds up a period's days rather than counting its cases one by
-- one, so a year costs what its distinct days, kinds, teams, routes and
-- subjects cost, not what its million cases would.  team_id 0: no team;
-- due_on '': no due date.  A count that falls to 0 stays as a row of 0.
CREATE TABLE report_case_days (
  org_id        INTEGER NOT NULL,
  received_on   TEXT NOT NULL,
  kind          TEXT NOT NULL,
  team_id       INTEGER NOT NULL,
  route         TEXT NOT NULL,
  subject       TEXT NOT NULL,
  n             INTEGER NOT NULL,
  PRIMARY KEY (org_id, received_on, kind, team_id, route, subject)
) STRICT, WITHOUT ROWID;
INSERT INTO report_case_days
SELECT org_id, received_on, kind, coalesce(team_id, 0), route, service, count(*) FROM cases
GROUP BY 1, 2, 3, 4, 5, 6;
CREATE TRIGGER report_case_days_insert AFTER INSERT ON cases
BEGIN
  INSERT INTO report_case_days VALUES (new.org_id, new.received_on, new.kind,
    coalesce(new.team_id, 0), new.route, new.service, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER report_case_days_update AFTER UPDATE OF org_id, received_on, kind, team_id, route,
  service ON cases
WHEN old.org_id IS NOT new.org_id OR old.received_on IS NOT new.received_on
  OR old.kind IS NOT new.kind OR old.team_id IS NOT new.team_id OR old.route IS NOT new.route
  OR old.service IS NOT new.service
BEGIN
  UPDATE report_case_days SET n = n - 1 WHERE org_id = old.org_id
    AND received_on = old.received_on AND kind = old.kind AND team_id = coalesce(old.team_id, 0)
    AND route = old.route AND subject = old.service;
  INSERT INTO report_case_days VALUES (new.org_id, new.received_on, new.kind,
    coalesce(new.team_id, 0), new.route, new.service, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER report_case_days_delete AFTER DELETE ON cases
BEGIN
  UPDATE report_case_days SET n = n - 1 WHERE org_id = old.org_id
    AND received_on = old.received_on AND kind = old.kind AND team_id = coalesce(old.team_id, 0)
    AND route = old.route AND subject = old.service;
END;

-- Stage responses by the day they were sent, with everything the report
-- sums about them; and requests and starts by day.  Kept from report_stages.
CREATE TABLE report_response_days (
  org_id        INTEGER NOT NULL,
  responded_on  TEXT NOT NULL,
  stage         INTEGER NOT NULL,
  due_on        TEXT NOT NULL,
  team_id       INTEGER NOT NULL,
  officers      TEXT NOT NULL,
  n             INTEGER NOT NULL,
  upheld        INTEGER NOT NULL,
  partly_upheld INTEGER NOT NULL,
  not_upheld    INTEGER NOT NULL,
  not_determined INTEGER NOT NULL,
  withdrawn     INTEGER NOT NULL,
  learning      INTEGER NOT NULL,
  actions       INTEGER NOT NULL,
  actions_done  INTEGER NOT NULL,
  escalated     INTEGER NOT NULL,
  PRIMARY KEY (org_id, responded_on, stage, due_on, team_id, officers)
) STRICT, WITHOUT ROWID;
CREATE TABLE report_stage_days (
  org_id        INTEGER NOT NULL,
  what          TEXT NOT NULL CHECK (what IN ('requested', 'started')),
  day           TEXT NOT NULL,
  stage         INTEGER NOT NULL,
  team_id       INTEGER NOT NULL,
  n             INTEGER NOT NULL,
  PRIMARY KEY (org_id, what, day, stage, team_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER report_stage_added AFTER INSERT ON report_stages
BEGIN
  INSERT INTO report_response_days SELECT new.org_id, new.responded_on, new.stage,
    coalesce(new.due_on, ''), coalesce(new.team_id, 0), new.officers, 1, new.upheld,
    new.partly_upheld, new.not_upheld, new.not_determined, new.withdrawn, new.learning,
    new.actions, new.actions_done, new.escalated
  WHERE new.responded_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + 1, upheld = upheld + excluded.upheld,
    partly_upheld = partly_upheld + excluded.partly_upheld,
    not_upheld = not_upheld + excluded.not_upheld,
    not_determined = not_determined + excluded.not_determined,
    withdrawn = withdrawn + excluded.withdrawn, learning = learning + excluded.learning,
    actions = actions + excluded.actions, actions_done = actions_done + excluded.actions_done,
    escalated = escalated + excluded.escalated;
  INSERT INTO report_stage_days SELECT new.org_id, 'requested', new.requested_on, new.stage,
    coalesce(new.team_id, 0), 1 WHERE new.requested_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO report_stage_days SELECT new.org_id, 'started', new.started_on, new.stage,
    coalesce(new.team_id, 0), 1 WHERE new.started_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER report_stage_removed AFTER DELETE ON report_stages
BEGIN
  UPDATE report_response_days SET n = n - 1, upheld = upheld - old.upheld,
    partly_upheld = partly_upheld - old.partly_upheld, not_upheld = not_upheld - old.not_upheld,
    not_determined = not_determined - old.not_determined, withdrawn = withdrawn - old.withdrawn,
    learning = learning - old.learning, actions = actions - old.actions,
    actions_done = actions_done - old.actions_done, escalated = escalated - old.escalated
  WHERE org_id = old.org_id AND responded_on = old.responded_on AND stage = old.stage
    AND due_on = coalesce(old.due_on, '') AND team_id = coalesce(old.team_id, 0)
    AND officers = old.officers;
  UPDATE report_stage_days SET n = n - 1 WHERE org_id = old.org_id AND what = 'requested'
    AND day = old.requested_on AND stage = old.stage AND team_id = coalesce(old.team_id, 0);
  UPDATE report_stage_days SET n = n - 1 WHERE org_id = old.org_id AND what = 'started'
    AND day = old.started_on AND stage = old.stage AND team_id = coalesce(old.team_id, 0);
END;
-- An update is a removal and an addition: the same two sets of statements.
CREATE TRIGGER report_stage_changed AFTER UPDATE ON report_stages
BEGIN
  UPDATE report_response_days SET n = n - 1, upheld = upheld - old.upheld,
    partly_upheld = partly_upheld - old.partly_upheld, not_upheld = not_upheld - old.not_upheld,
    not_determined = not_determined - old.not_determined, withdrawn = withdrawn - old.withdrawn,
    learning = learning - old.learning, actions = actions - old.actions,
    actions_done = actions_done - old.actions_done, escalated = escalated - old.escalated
  WHERE org_id = old.org_id AND responded_on = old.responded_on AND stage = old.stage
    AND due_on = coalesce(old.due_on, '') AND team_id = coalesce(old.team_id, 0)
    AND officers = old.officers;
  UPDATE report_stage_days SET n = n - 1 WHERE org_id = old.org_id AND what = 'requested'
    AND day = old.requested_on AND stage = old.stage AND team_id = coalesce(old.team_id, 0);
  UPDATE report_stage_days SET n = n - 1 WHERE org_id = old.org_id AND what = 'started'
    AND day = old.started_on AND stage = old.stage AND team_id = coalesce(old.team_id, 0);
  INSERT INTO report_response_days SELECT new.org_id, new.responded_on, new.stage,
    coalesce(new.due_on, ''), coalesce(new.team_id, 0), new.officers, 1, new.upheld,
    new.partly_upheld, new.not_upheld, new.not_determined, new.withdrawn, new.learning,
    new.actions, new.actions_done, new.escalated
  WHERE new.responded_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + 1, upheld = upheld + excluded.upheld,
    partly_upheld = partly_upheld + excluded.partly_upheld,
    not_upheld = not_upheld + excluded.not_upheld,
    not_determined = not_determined + excluded.not_determined,
    withdrawn = withdrawn + excluded.withdrawn, learning = learning + excluded.learning,
    actions = actions + excluded.actions, actions_done = actions_done + excluded.actions_done,
    escalated = escalated + excluded.escalated;
  INSERT INTO report_stage_days SELECT new.org_id, 'requested', new.requested_on, new.stage,
    coalesce(new.team_id, 0), 1 WHERE new.requested_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO report_stage_days SELECT new.org_id, 'started', new.started_on, new.stage,
    coalesce(new.team_id, 0), 1 WHERE new.started_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + 1;
END;
