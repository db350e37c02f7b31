-- 028 self-assessment: an organisation's answers to the self-assessment
-- against the Ombudsman's Complaint Handling Code (issue 19 item 4;
-- docs/reports.md "The self-assessment"), one row per requirement per
-- reporting year.  The requirements themselves are data
-- (assessments/*.json); a row names the template and the requirement's id.
--
-- year is the reporting year, 1 April to 31 March, by the year it starts
-- in.  complies is yes, no or partly; where it is not yes the action, its
-- owner and target date are given (checked by assessment_answer_check
-- before a row is written).  carried_over is 1 for an answer copied from
-- the year before when the year was started, until someone saves it again.
CREATE TABLE self_assessment_answers (
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  template      TEXT NOT NULL,
  requirement   TEXT NOT NULL,
  complies      TEXT NOT NULL CHECK (complies IN ('yes', 'no', 'partly')),
  evidence      TEXT NOT NULL DEFAULT '',
  commentary    TEXT NOT NULL DEFAULT '',
  action        TEXT NOT NULL DEFAULT '',
  action_owner  TEXT NOT NULL DEFAULT '',
  action_due_on TEXT,
  carried_over  INTEGER NOT NULL DEFAULT 0 CHECK (carried_over IN (0, 1)),
  updated_by    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (org_id, year, requirement)
) STRICT;
