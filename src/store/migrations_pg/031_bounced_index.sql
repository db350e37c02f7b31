-- 031 (PostgreSQL): the twin of migrations/031_bounced_index.sql, which says
-- why: the bounces of the last 30 days, read by date from an index that
-- holds only them.
CREATE INDEX outbound_messages_bounced ON outbound_messages(state_at) WHERE state = 'bounced';
