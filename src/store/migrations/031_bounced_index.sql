-- 031 bounced letters by date: the dashboards' "letters that did not
-- arrive" (store_outbound_bounced_for) read the bounces of the last 30 days,
-- and with no index on outbound_messages' state SQLite's planner read them
-- by walking every case (at a million cases, every dashboard and My work
-- page paid for it). Bounces are few: a partial index holds only them.
CREATE INDEX outbound_messages_bounced ON outbound_messages(state_at) WHERE state = 'bounced';
