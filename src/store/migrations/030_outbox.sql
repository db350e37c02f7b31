-- 030 outbox (issue 17 items 5-8): the mail Fairhearing sends, written in the
-- same transaction as the event it tells of (a contact acknowledged, a letter
-- issued) and sent later by a sender (`fairhearing mail send`, or serve's
-- sender thread), never inside a request or a case's transaction.
--
-- outbound_messages (025) keeps one row per message, by its Message-ID, and
-- now what became of it:
--   kind       acknowledgement (a new contact, docs/email.md) or letter
--   letter_id  the letter it carries, for kind letter
--   recipient  the address it is (was) sent to
--   state      queued     in the outbox, not yet accepted by the mail server
--              sent       the mail server accepted it (detail: its answer)
--              delivered  a delivery report said it reached the mailbox
--              bounced    a delivery report came back for it (detail: its status)
--              failed     given up: refused for good, or no answer after the
--                         last retry (detail: why)
--   state_at   when it reached that state
-- For a row the outbox wrote, sent_at is when it was queued; state_at says
-- when it was sent.  A row written before 028 was sent when it was written.
ALTER TABLE outbound_messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'letter'
  CHECK (kind IN ('acknowledgement', 'letter'));
ALTER TABLE outbound_messages ADD COLUMN letter_id INTEGER REFERENCES letters(id);
ALTER TABLE outbound_messages ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
ALTER TABLE outbound_messages ADD COLUMN state TEXT NOT NULL DEFAULT 'sent'
  CHECK (state IN ('queued', 'sent', 'delivered', 'bounced', 'failed'));
ALTER TABLE outbound_messages ADD COLUMN state_at TEXT NOT NULL DEFAULT '';
ALTER TABLE outbound_messages ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE INDEX outbound_messages_letter ON outbound_messages(letter_id);
CREATE INDEX outbound_messages_recipient ON outbound_messages(org_id, recipient, kind, sent_at);

-- What a sender needs to write and send one message, kept until it is sent
-- or given up (then the row is deleted: what became of the message stays on
-- outbound_messages, and a letter on its case).
-- attach_pdf: the letter's PDF goes with it (rendered from the stored letter
-- when sent); otherwise body holds the tracking link.  A sender claims a row
-- (claimed_by, claimed_at) in a transaction of its own before sending, so two
-- senders never send one message; a claim left by a sender that stopped
-- mid-send is not retried (the message may have gone): the message is
-- marked failed, for staff to see and send again by hand.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  outbound_id     INTEGER NOT NULL UNIQUE REFERENCES outbound_messages(id),
  case_id         INTEGER NOT NULL REFERENCES cases(id),
  sender          TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  in_reply_to     TEXT NOT NULL DEFAULT '',
  attach_pdf      INTEGER NOT NULL DEFAULT 0 CHECK (attach_pdf IN (0, 1)),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_by      TEXT,
  claimed_at      TEXT,
  last_error      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_due ON outbox(next_attempt_at, id);
CREATE INDEX outbox_case ON outbox(case_id);
