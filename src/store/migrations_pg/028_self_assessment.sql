-- 028 self-assessment (PostgreSQL): the answers to the self-assessment
-- against the Ombudsman's Complaint Handling Code, per requirement per
-- reporting year.  The twin of migrations/028_self_assessment.sql, which
-- says why.
CREATE TABLE self_assessment_answers (
  org_id        BIGINT NOT NULL REFERENCES organisations(id),
  year          BIGINT NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  template      TEXT NOT NULL,
  requirement   TEXT NOT NULL,
  complies      TEXT NOT NULL CHECK (complies IN ('yes', 'no', 'partly')),
  evidence      TEXT NOT NULL DEFAULT '',
  commentary    TEXT NOT NULL DEFAULT '',
  action        TEXT NOT NULL DEFAULT '',
  action_owner  TEXT NOT NULL DEFAULT '',
  action_due_on TEXT,
  carried_over  BIGINT NOT NULL DEFAULT 0 CHECK (carried_over IN (0, 1)),
  updated_by    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (org_id, year, requirement)
);
