-- 007 workspace: what the staff dashboards count and list fast.
--
-- A dashboard asks, for the open cases a user may see, how many are
-- overdue, due today or due this week, and which they are, soonest first
-- (issue 6).  A case's clock is its earliest running deadline, which lives
-- in case_deadlines, one row per clock; working it out per case at every
-- page view costs a pass over every open case.  So each case carries it as
-- next_due, kept by the triggers below whenever its deadlines are written
-- (store_lifecycle rewrites them with the case's state), and a partial
-- index over the open cases holds everything the dashboard filters on, so
-- a count is a range of one index and a page stops after its last row.
-- A stopped clock (a suspended case, 001 §9.3) is not running: it never
-- makes a case overdue.

ALTER TABLE cases ADD COLUMN next_due TEXT;

UPDATE cases SET next_due = (SELECT min(d.due_on) FROM case_deadlines d
  WHERE d.case_id = cases.id AND d.stopped = 0 AND d.due_on IS NOT NULL);

CREATE TRIGGER case_deadlines_next_due_insert AFTER INSERT ON case_deadlines BEGIN
  UPDATE cases SET next_due = (SELECT min(d.due_on) FROM case_deadlines d
    WHERE d.case_id = new.case_id AND d.stopped = 0 AND d.due_on IS NOT NULL)
  WHERE id = new.case_id;
END;
CREATE TRIGGER case_deadlines_next_due_update AFTER UPDATE ON case_deadlines BEGIN
  UPDATE cases SET next_due = (SELECT min(d.due_on) FROM case_deadlines d
    WHERE d.case_id = cases.id AND d.stopped = 0 AND d.due_on IS NOT NULL)
  WHERE id IN (new.case_id, old.case_id);
END;
CREATE TRIGGER case_deadlines_next_due_delete AFTER DELETE ON case_deadlines BEGIN
  UPDATE cases SET next_due = (SELECT min(d.due_on) FROM case_deadlines d
    WHERE d.case_id = old.case_id AND d.stopped = 0 AND d.due_on IS NOT NULL)
  WHERE id = old.case_id;
END;

CREATE INDEX cases_open_due ON cases(org_id, next_due, stage, team_id, procedure_code)
  WHERE state IN ('received', 'open', 'suspended');

-- The open cases counted by organisation, next due date ('' for none) and
-- stage, kept by the triggers below as cases open, move and close, so the
-- dashboard of a whole organisation adds up a few hundred rows (one per due
-- date) instead of counting every open case one by one.  A filtered view
-- (a team, an officer, a procedure) counts cases_open_due instead.
CREATE TABLE case_open_counts (
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  due           TEXT NOT NULL,
  stage         INTEGER NOT NULL,
  n             INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (org_id, due, stage)
) WITHOUT ROWID, STRICT;

INSERT INTO case_open_counts (org_id, due, stage, n)
  SELECT org_id, coalesce(next_due, ''), stage, count(*) FROM cases
  WHERE state IN ('received', 'open', 'suspended') GROUP BY 1, 2, 3;

CREATE TRIGGER cases_open_counts_insert AFTER INSERT ON cases
  WHEN new.state IN ('received', 'open', 'suspended') BEGIN
  INSERT INTO case_open_counts (org_id, due, stage, n)
    VALUES (new.org_id, coalesce(new.next_due, ''), new.stage, 1)
    ON CONFLICT (org_id, due, stage) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cases_open_counts_leave AFTER UPDATE OF state, stage, next_due, org_id ON cases
  WHEN old.state IN ('received', 'open', 'suspended') BEGIN
  UPDATE case_open_counts SET n = n - 1
    WHERE org_id = old.org_id AND due = coalesce(old.next_due, '') AND stage = old.stage;
END;
CREATE TRIGGER cases_open_counts_enter AFTER UPDATE OF state, stage, next_due, org_id ON cases
  WHEN new.state IN ('received', 'open', 'suspended') BEGIN
  INSERT INTO case_open_counts (org_id, due, stage, n)
    VALUES (new.org_id, coalesce(new.next_due, ''), new.stage, 1)
    ON CONFLICT (org_id, due, stage) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cases_open_counts_delete AFTER DELETE ON cases
  WHEN old.state IN ('received', 'open', 'suspended') BEGIN
  UPDATE case_open_counts SET n = n - 1
    WHERE org_id = old.org_id AND due = coalesce(old.next_due, '') AND stage = old.stage;
END;
