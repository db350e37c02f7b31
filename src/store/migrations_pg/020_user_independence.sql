-- 020 independence (PostgreSQL): the users an administrator
-- has marked independent of an organisation.  The twin of
-- migrations/020_user_independence.sql.

CREATE TABLE user_independence (
  user_id       BIGINT NOT NULL REFERENCES users(id),
  org_id        BIGINT NOT NULL REFERENCES organisations(id),
  marked_at     TEXT NOT NULL,
  marked_by     TEXT NOT NULL CHECK (length(marked_by) > 0),
  PRIMARY KEY (user_id, org_id)
);
CREATE INDEX user_independence_org ON user_independence(org_id);
