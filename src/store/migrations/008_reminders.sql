-- 006 reminders: each daily digest of deadlines sent by `fairhearing remind`,
-- so that a second run on the same day (cron retried, run by hand) sends
-- nothing twice.  The row and its audit event ('reminder_sent') are written
-- in one transaction after the mail server accepted the message.

CREATE TABLE reminders_sent (
  id            INTEGER PRIMARY KEY,
  org_id        INTEGER NOT NULL REFERENCES organisations(id),
  recipient     TEXT NOT NULL COLLATE NOCASE CHECK (recipient LIKE '%_@_%'),
  kind          TEXT NOT NULL CHECK (kind IN ('officer', 'manager')),
  sent_on       TEXT NOT NULL,   -- the day the digest was for (YYYY-MM-DD)
  sent_at       TEXT NOT NULL,   -- when the mail server accepted it (UTC)
  cases         INTEGER NOT NULL CHECK (cases >= 0),
  UNIQUE (org_id, recipient, kind, sent_on)
) STRICT;
