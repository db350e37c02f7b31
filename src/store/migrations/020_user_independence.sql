-- 020 independence: the users an administrator has marked
-- independent of an organisation.  Where a procedure says a role must be
-- independent of the organisation (the statutory Stage 2 Investigating
-- Officer and Independent Person, Review Panel members: reg 19; 001 B
-- Stage 2 and Stage 3; 000 "independent of the Birmingham Children's
-- Trust"), only such users may be assigned to it.  One row per user and
-- organisation; removing the mark deletes the row, and both are audit
-- events (user_independence_set).

CREATE TABLE user_independence (
  user_id       INTEGER NOT NULL REFERENCES users(id),
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  marked_at     TEXT NOT NULL,
  marked_by     TEXT NOT NULL CHECK (length(marked_by) > 0),
  PRIMARY KEY (user_id, org_id)
) STRICT;
CREATE INDEX user_independence_org ON user_independence(org_id);
