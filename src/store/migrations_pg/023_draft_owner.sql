-- 023 draft owner (PostgreSQL): the client address that started each draft.
-- The twin of migrations/023_draft_owner.sql, which says why.
ALTER TABLE web_drafts ADD COLUMN client_ip TEXT NOT NULL DEFAULT '';
CREATE INDEX web_drafts_client_ip ON web_drafts(client_ip);
