-- 024 list indexes: every list of cases is read newest first, by
-- received_on and then id, a page at a time after a cursor on that pair
-- (src/store/store_page.c).  Each index below ends in (received_on, id), so
-- that with the filters in front of it a page is one range read from its
-- start, and neither the matches before the cursor nor all the matches are
-- read or sorted:
--   every case (no organisation named: the command line's case list);
--   one organisation (a user with one organisation-wide role, or ?org=);
--   one organisation and state (?state=), and a state across organisations.
-- The organisation's index replaces 001's cases_org_received, which it
-- serves as well.  case_assignments_user_open holds the case ids of a
-- user's open assignments, so the need-to-know test of someone who sees
-- only their own cases reads the index alone.
DROP INDEX cases_org_received;
CREATE INDEX cases_org_received ON cases(org_id, received_on, id);
CREATE INDEX cases_received ON cases(received_on, id);
CREATE INDEX cases_org_state_received ON cases(org_id, state, received_on, id);
CREATE INDEX cases_state_received ON cases(state, received_on, id);
CREATE INDEX case_assignments_user_open ON case_assignments(user_id, ended_at, case_id);
