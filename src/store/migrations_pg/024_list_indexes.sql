-- 024 list indexes (PostgreSQL): the indexes that serve each list of cases,
-- newest first by (received_on, id), a page after a cursor.  The twin of
-- migrations/024_list_indexes.sql, which says why.
DROP INDEX cases_org_received;
CREATE INDEX cases_org_received ON cases(org_id, received_on, id);
CREATE INDEX cases_received ON cases(received_on, id);
CREATE INDEX cases_org_state_received ON cases(org_id, state, received_on, id);
CREATE INDEX cases_state_received ON cases(state, received_on, id);
CREATE INDEX case_assignments_user_open ON case_assignments(user_id, ended_at, case_id);
