-- The stop holding a clock, for the dashboards (every open stop
-- shows with its age): since when, until when it may last at most (a wait
-- for the child's consent, the procedure's consent_wait_limit; NULL: until
-- it is lifted), and why (consent, suspended, mediation).  Written with the
-- deadline from lifecycle_deadlines; NULL while the clock runs.
ALTER TABLE case_deadlines ADD COLUMN stopped_since TEXT;
ALTER TABLE case_deadlines ADD COLUMN stopped_until TEXT;
ALTER TABLE case_deadlines ADD COLUMN stopped_for TEXT;
