-- 007 workspace (PostgreSQL): what the staff dashboards count and list
-- fast.  The twin of migrations/007_workspace.sql, which says why: each
-- case carries its earliest running deadline as next_due, and
-- case_open_counts counts the open cases by organisation, due date and
-- stage, both kept by triggers.

ALTER TABLE cases ADD COLUMN next_due TEXT;

UPDATE cases SET next_due = (SELECT min(d.due_on) FROM case_deadlines d
  WHERE d.case_id = cases.id AND d.stopped = 0 AND d.due_on IS NOT NULL);

-- One function for the three SQLite triggers: recompute next_due for the
-- case the deadline row belongs to (both cases when an update moved it).
CREATE FUNCTION case_deadlines_next_due() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	UPDATE cases SET next_due = (SELECT min(d.due_on) FROM case_deadlines d
		WHERE d.case_id = cases.id AND d.stopped = 0 AND d.due_on IS NOT NULL)
	WHERE id IN (CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END,
		     CASE WHEN TG_OP = 'UPDATE' THEN OLD.case_id END);
	RETURN NULL;
END;
$$;
CREATE TRIGGER case_deadlines_next_due_insert AFTER INSERT ON case_deadlines
  FOR EACH ROW EXECUTE FUNCTION case_deadlines_next_due();
CREATE TRIGGER case_deadlines_next_due_update AFTER UPDATE ON case_deadlines
  FOR EACH ROW EXECUTE FUNCTION case_deadlines_next_due();
CREATE TRIGGER case_deadlines_next_due_delete AFTER DELETE ON case_deadlines
  FOR EACH ROW EXECUTE FUNCTION case_deadlines_next_due();

CREATE INDEX cases_open_due ON cases(org_id, next_due, stage, team_id, procedure_code)
  WHERE state IN ('received', 'open', 'suspended');

CREATE TABLE case_open_counts (
  org_id        BIGINT NOT NULL REFERENCES organisations(id),
  due           TEXT NOT NULL,
  stage         BIGINT NOT NULL,
  n             BIGINT NOT NULL CHECK (n >= 0),
  PRIMARY KEY (org_id, due, stage)
);

INSERT INTO case_open_counts (org_id, due, stage, n)
  SELECT org_id, coalesce(next_due, ''), stage, count(*) FROM cases
  WHERE state IN ('received', 'open', 'suspended') GROUP BY 1, 2, 3;

-- A case counted in: its (organisation, due, stage) goes up by one.
CREATE FUNCTION cases_open_counts_enter() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO case_open_counts (org_id, due, stage, n)
	VALUES (NEW.org_id, coalesce(NEW.next_due, ''), NEW.stage, 1)
	ON CONFLICT (org_id, due, stage) DO UPDATE SET n = case_open_counts.n + 1;
	RETURN NULL;
END;
$$;
-- A case counted out: the row it was counted in goes down by one.
CREATE FUNCTION cases_open_counts_leave() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	UPDATE case_open_counts SET n = n - 1
	WHERE org_id = OLD.org_id AND due = coalesce(OLD.next_due, '') AND stage = OLD.stage;
	RETURN NULL;
END;
$$;
CREATE TRIGGER cases_open_counts_insert AFTER INSERT ON cases
  FOR EACH ROW WHEN (NEW.state IN ('received', 'open', 'suspended'))
  EXECUTE FUNCTION cases_open_counts_enter();
CREATE TRIGGER cases_open_counts_leave AFTER UPDATE OF state, stage, next_due, org_id ON cases
  FOR EACH ROW WHEN (OLD.state IN ('received', 'open', 'suspended'))
  EXECUTE FUNCTION cases_open_counts_leave();
CREATE TRIGGER cases_open_counts_enter AFTER UPDATE OF state, stage, next_due, org_id ON cases
  FOR EACH ROW WHEN (NEW.state IN ('received', 'open', 'suspended'))
  EXECUTE FUNCTION cases_open_counts_enter();
CREATE TRIGGER cases_open_counts_delete AFTER DELETE ON cases
  FOR EACH ROW WHEN (OLD.state IN ('received', 'open', 'suspended'))
  EXECUTE FUNCTION cases_open_counts_leave();
