-- 023 draft owner: the client address that started each
-- draft of the public form, so the supporting documents one address keeps
-- waiting in drafts can be capped (serve --drafts-per-address) and one
-- client cannot fill the shared allowance and pause uploads for everyone.
-- Drafts started before this migration have no address ('') and count
-- towards nobody's cap; they expire within two hours anyway.
ALTER TABLE web_drafts ADD COLUMN client_ip TEXT NOT NULL DEFAULT '';
CREATE INDEX web_drafts_client_ip ON web_drafts(client_ip);
