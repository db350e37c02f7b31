-- 009 report (PostgreSQL): the monitoring report's own projections.  The
-- twin of migrations/009_report.sql, which says why each table exists and
-- who writes it.  SQLite's bare `ON CONFLICT DO UPDATE` names its conflict
-- target here (PostgreSQL requires one) and the counters name their table
-- (`n = t.n + 1`) so no column reference is ambiguous with EXCLUDED;
-- INSERT OR IGNORE is ON CONFLICT DO NOTHING; `a IS NOT b` is
-- `a IS DISTINCT FROM b`.

-- One row, always id 1, seeded here: a plain key.
CREATE TABLE report_projection (
  id            BIGINT PRIMARY KEY CHECK (id = 1),
  built         BIGINT NOT NULL CHECK (built IN (0, 1))
);
INSERT INTO report_projection (id, built) VALUES (1, 0);

CREATE TABLE report_stages (
  case_id       BIGINT NOT NULL REFERENCES cases(id),
  stage         BIGINT NOT NULL CHECK (stage BETWEEN 1 AND 3),
  org_id        BIGINT NOT NULL,
  team_id       BIGINT,
  requested_on  TEXT,   -- the request, or the start when there was none
  started_on    TEXT,
  due_on        TEXT,
  responded_on  TEXT,
  upheld        BIGINT NOT NULL DEFAULT 0,
  partly_upheld BIGINT NOT NULL DEFAULT 0,
  not_upheld    BIGINT NOT NULL DEFAULT 0,
  not_determined BIGINT NOT NULL DEFAULT 0,
  withdrawn     BIGINT NOT NULL DEFAULT 0,
  learning      BIGINT NOT NULL DEFAULT 0 CHECK (learning IN (0, 1)),
  actions       BIGINT NOT NULL DEFAULT 0,
  actions_done  BIGINT NOT NULL DEFAULT 0,
  escalated     BIGINT NOT NULL DEFAULT 0 CHECK (escalated IN (0, 1)),
  officers      TEXT NOT NULL DEFAULT '',  -- the assigned responders' emails, ', ' between
  PRIMARY KEY (case_id, stage)
);
CREATE INDEX report_stages_responded ON report_stages(org_id, responded_on, learning);

CREATE TABLE report_extensions (
  case_id       BIGINT NOT NULL REFERENCES cases(id),
  stage         BIGINT NOT NULL,
  org_id        BIGINT NOT NULL,
  team_id       BIGINT,
  on_date       TEXT NOT NULL,
  because       TEXT NOT NULL
);
CREATE INDEX report_extensions_org ON report_extensions(org_id, on_date);
CREATE INDEX report_extensions_case ON report_extensions(case_id);

CREATE TABLE report_ombudsman (
  case_id       BIGINT NOT NULL REFERENCES cases(id),
  org_id        BIGINT NOT NULL,
  team_id       BIGINT,
  enquiry_on    TEXT NOT NULL,
  outcome       TEXT
);
CREATE INDEX report_ombudsman_org ON report_ombudsman(org_id, enquiry_on);
CREATE INDEX report_ombudsman_case ON report_ombudsman(case_id);

-- A case moved to another team is counted under its new team everywhere.
CREATE FUNCTION report_case_team() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	UPDATE report_stages SET team_id = NEW.team_id WHERE case_id = NEW.id;
	UPDATE report_extensions SET team_id = NEW.team_id WHERE case_id = NEW.id;
	UPDATE report_ombudsman SET team_id = NEW.team_id WHERE case_id = NEW.id;
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_case_team AFTER UPDATE OF team_id ON cases
  FOR EACH ROW WHEN (OLD.team_id IS DISTINCT FROM NEW.team_id)
  EXECUTE FUNCTION report_case_team();

-- Each complainant of each case, kept by triggers.
CREATE TABLE report_complainants (
  case_id       BIGINT NOT NULL REFERENCES cases(id),
  person_id     BIGINT NOT NULL,
  org_id        BIGINT NOT NULL,
  kind          TEXT NOT NULL,
  received_on   TEXT NOT NULL,
  team_id       BIGINT,
  PRIMARY KEY (case_id, person_id)
);
CREATE INDEX report_complainants_org ON report_complainants(org_id, kind, received_on, team_id,
  person_id);
INSERT INTO report_complainants (case_id, person_id, org_id, kind, received_on, team_id)
SELECT cp.case_id, cp.person_id, c.org_id, c.kind, c.received_on, c.team_id
FROM case_parties cp JOIN cases c ON c.id = cp.case_id WHERE cp.role = 'complainant'
ON CONFLICT DO NOTHING;

CREATE FUNCTION report_complainant_added() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO report_complainants (case_id, person_id, org_id, kind, received_on, team_id)
	SELECT NEW.case_id, NEW.person_id, c.org_id, c.kind, c.received_on, c.team_id
	FROM cases c WHERE c.id = NEW.case_id
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_complainant_added AFTER INSERT ON case_parties
  FOR EACH ROW WHEN (NEW.role = 'complainant')
  EXECUTE FUNCTION report_complainant_added();

CREATE FUNCTION report_complainant_removed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM report_complainants WHERE case_id = OLD.case_id AND person_id = OLD.person_id;
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_complainant_removed AFTER DELETE ON case_parties
  FOR EACH ROW WHEN (OLD.role = 'complainant')
  EXECUTE FUNCTION report_complainant_removed();

CREATE FUNCTION report_complainant_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM report_complainants WHERE OLD.role = 'complainant'
		AND case_id = OLD.case_id AND person_id = OLD.person_id;
	INSERT INTO report_complainants (case_id, person_id, org_id, kind, received_on, team_id)
	SELECT NEW.case_id, NEW.person_id, c.org_id, c.kind, c.received_on, c.team_id
	FROM cases c WHERE c.id = NEW.case_id AND NEW.role = 'complainant'
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_complainant_changed AFTER UPDATE OF case_id, person_id, role ON case_parties
  FOR EACH ROW EXECUTE FUNCTION report_complainant_changed();

CREATE FUNCTION report_complainant_case() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	UPDATE report_complainants SET kind = NEW.kind, received_on = NEW.received_on,
		team_id = NEW.team_id WHERE case_id = NEW.id;
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_complainant_case AFTER UPDATE OF kind, received_on, team_id ON cases
  FOR EACH ROW EXECUTE FUNCTION report_complainant_case();

-- The compliments received, newest first, without reading other cases.
CREATE INDEX cases_report ON cases(org_id, kind, received_on);

-- Daily counts, kept by triggers in the transaction of every change.
-- team_id 0: no team; due_on '': no due date.  A count that falls to 0
-- stays as a row of 0.
CREATE TABLE report_case_days (
  org_id        BIGINT NOT NULL,
  received_on   TEXT NOT NULL,
  kind          TEXT NOT NULL,
  team_id       BIGINT NOT NULL,
  route         TEXT NOT NULL,
  subject       TEXT NOT NULL,
  n             BIGINT NOT NULL,
  PRIMARY KEY (org_id, received_on, kind, team_id, route, subject)
);
INSERT INTO report_case_days
SELECT org_id, received_on, kind, coalesce(team_id, 0), route, service, count(*) FROM cases
GROUP BY 1, 2, 3, 4, 5, 6;

-- The SQLite triggers' statements, by what they do to a case's day.
CREATE FUNCTION report_case_days_add(c cases) RETURNS void LANGUAGE sql AS $$
	INSERT INTO report_case_days VALUES (c.org_id, c.received_on, c.kind,
		coalesce(c.team_id, 0), c.route, c.service, 1)
	ON CONFLICT (org_id, received_on, kind, team_id, route, subject)
	DO UPDATE SET n = report_case_days.n + 1
$$;
CREATE FUNCTION report_case_days_remove(c cases) RETURNS void LANGUAGE sql AS $$
	UPDATE report_case_days SET n = n - 1 WHERE org_id = c.org_id
		AND received_on = c.received_on AND kind = c.kind
		AND team_id = coalesce(c.team_id, 0) AND route = c.route AND subject = c.service
$$;

CREATE FUNCTION report_case_days_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_case_days_add(NEW);
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_case_days_insert AFTER INSERT ON cases
  FOR EACH ROW EXECUTE FUNCTION report_case_days_insert();

CREATE FUNCTION report_case_days_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_case_days_remove(OLD);
	PERFORM report_case_days_add(NEW);
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_case_days_update AFTER UPDATE OF org_id, received_on, kind, team_id, route,
  service ON cases
  FOR EACH ROW WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id
    OR OLD.received_on IS DISTINCT FROM NEW.received_on
    OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.team_id IS DISTINCT FROM NEW.team_id
    OR OLD.route IS DISTINCT FROM NEW.route OR OLD.service IS DISTINCT FROM NEW.service)
  EXECUTE FUNCTION report_case_days_update();

CREATE FUNCTION report_case_days_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_case_days_remove(OLD);
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_case_days_delete AFTER DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION report_case_days_delete();

-- Stage responses by the day they were sent, with everything the report
-- sums about them; and requests and starts by day.  Kept from report_stages.
CREATE TABLE report_response_days (
  org_id        BIGINT NOT NULL,
  responded_on  TEXT NOT NULL,
  stage         BIGINT NOT NULL,
  due_on        TEXT NOT NULL,
  team_id       BIGINT NOT NULL,
  officers      TEXT NOT NULL,
  n             BIGINT NOT NULL,
  upheld        BIGINT NOT NULL,
  partly_upheld BIGINT NOT NULL,
  not_upheld    BIGINT NOT NULL,
  not_determined BIGINT NOT NULL,
  withdrawn     BIGINT NOT NULL,
  learning      BIGINT NOT NULL,
  actions       BIGINT NOT NULL,
  actions_done  BIGINT NOT NULL,
  escalated     BIGINT NOT NULL,
  PRIMARY KEY (org_id, responded_on, stage, due_on, team_id, officers)
);
CREATE TABLE report_stage_days (
  org_id        BIGINT NOT NULL,
  what          TEXT NOT NULL CHECK (what IN ('requested', 'started')),
  day           TEXT NOT NULL,
  stage         BIGINT NOT NULL,
  team_id       BIGINT NOT NULL,
  n             BIGINT NOT NULL,
  PRIMARY KEY (org_id, what, day, stage, team_id)
);

-- A stage row counted in its days (the SQLite report_stage_added body).
CREATE FUNCTION report_stage_days_add(s report_stages) RETURNS void LANGUAGE sql AS $$
	INSERT INTO report_response_days AS r SELECT s.org_id, s.responded_on, s.stage,
		coalesce(s.due_on, ''), coalesce(s.team_id, 0), s.officers, 1, s.upheld,
		s.partly_upheld, s.not_upheld, s.not_determined, s.withdrawn, s.learning,
		s.actions, s.actions_done, s.escalated
	WHERE s.responded_on IS NOT NULL
	ON CONFLICT (org_id, responded_on, stage, due_on, team_id, officers)
	DO UPDATE SET n = r.n + 1, upheld = r.upheld + excluded.upheld,
		partly_upheld = r.partly_upheld + excluded.partly_upheld,
		not_upheld = r.not_upheld + excluded.not_upheld,
		not_determined = r.not_determined + excluded.not_determined,
		withdrawn = r.withdrawn + excluded.withdrawn, learning = r.learning + excluded.learning,
		actions = r.actions + excluded.actions,
		actions_done = r.actions_done + excluded.actions_done,
		escalated = r.escalated + excluded.escalated;
	INSERT INTO report_stage_days AS d SELECT s.org_id, 'requested', s.requested_on, s.stage,
		coalesce(s.team_id, 0), 1 WHERE s.requested_on IS NOT NULL
	ON CONFLICT (org_id, what, day, stage, team_id) DO UPDATE SET n = d.n + 1;
	INSERT INTO report_stage_days AS d SELECT s.org_id, 'started', s.started_on, s.stage,
		coalesce(s.team_id, 0), 1 WHERE s.started_on IS NOT NULL
	ON CONFLICT (org_id, what, day, stage, team_id) DO UPDATE SET n = d.n + 1;
$$;
-- A stage row counted out of its days (the SQLite report_stage_removed body).
CREATE FUNCTION report_stage_days_remove(s report_stages) RETURNS void LANGUAGE sql AS $$
	UPDATE report_response_days SET n = n - 1, upheld = upheld - s.upheld,
		partly_upheld = partly_upheld - s.partly_upheld,
		not_upheld = not_upheld - s.not_upheld,
		not_determined = not_determined - s.not_determined,
		withdrawn = withdrawn - s.withdrawn, learning = learning - s.learning,
		actions = actions - s.actions, actions_done = actions_done - s.actions_done,
		escalated = escalated - s.escalated
	WHERE org_id = s.org_id AND responded_on = s.responded_on AND stage = s.stage
		AND due_on = coalesce(s.due_on, '') AND team_id = coalesce(s.team_id, 0)
		AND officers = s.officers;
	UPDATE report_stage_days SET n = n - 1 WHERE org_id = s.org_id AND what = 'requested'
		AND day = s.requested_on AND stage = s.stage AND team_id = coalesce(s.team_id, 0);
	UPDATE report_stage_days SET n = n - 1 WHERE org_id = s.org_id AND what = 'started'
		AND day = s.started_on AND stage = s.stage AND team_id = coalesce(s.team_id, 0);
$$;

CREATE FUNCTION report_stage_added() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_stage_days_add(NEW);
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_stage_added AFTER INSERT ON report_stages
  FOR EACH ROW EXECUTE FUNCTION report_stage_added();

CREATE FUNCTION report_stage_removed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_stage_days_remove(OLD);
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_stage_removed AFTER DELETE ON report_stages
  FOR EACH ROW EXECUTE FUNCTION report_stage_removed();

-- An update is a removal and an addition.
CREATE FUNCTION report_stage_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM report_stage_days_remove(OLD);
	PERFORM report_stage_days_add(NEW);
	RETURN NULL;
END;
$$;
CREATE TRIGGER report_stage_changed AFTER UPDATE ON report_stages
  FOR EACH ROW EXECUTE FUNCTION report_stage_changed();
