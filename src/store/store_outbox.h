/*
 * store_outbox: the mail Fairhearing sends (migration 030_outbox,
 * docs/email.md "Sending").
 *
 * A message is written to the outbox in the caller's transaction, the same
 * one as the event it tells of (a contact recorded, a letter issued), with
 * its row in outbound_messages (its Message-ID, so a reply threads onto the
 * case, and what became of it: queued, sent, delivered, bounced, failed).
 * Nothing here sends: a sender (`fairhearing mail send`, serve's sender
 * thread) claims one due message at a time in a transaction of its own
 * (store_outbox_claim: an UPDATE of the one row, so of two senders only one
 * gets it, on SQLite and PostgreSQL alike), sends it with no transaction
 * open, then records what the mail server said (store_outbox_sent, or
 * store_outbox_not_sent: tried again after 1, 5, 30 minutes, 2 and 12 hours,
 * then failed), each with its audit event on the case.
 */
#ifndef FH_STORE_OUTBOX_H
#define FH_STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The waits before each retry, in seconds; after the last the message has failed. */
extern const int STORE_OUTBOX_BACKOFF[];
enum { STORE_OUTBOX_RETRIES = 5, STORE_MESSAGE_ID_MAX = 128 };

/* A claim older than this (seconds) belongs to a sender that stopped. */
enum { STORE_OUTBOX_CLAIM_SECONDS = 15 * 60 };

typedef struct store_outbox_new {
	int64_t org_id, case_id;
	int64_t letter_id;        /* 0: not a letter */
	const char *kind;         /* "acknowledgement" or "letter" */
	const char *sender, *recipient, *subject, *body;
	const char *in_reply_to;  /* NULL or "" when it answers nothing */
	bool attach_pdf;          /* the letter's PDF goes with it */
} store_outbox_new;

/*
 * Queues one message in the caller's open transaction; its Message-ID
 * (random, at the sender's domain) into message_id.  now: store_now's.
 */
fh_status store_outbox_queue(fh_store *st, const store_outbox_new *m, const char *now,
			     char message_id[STORE_MESSAGE_ID_MAX], fh_error *err);

/*
 * The automatic acknowledgement of a contact just recorded (in the
 * caller's transaction, after the case): when the organisation's email
 * settings want it for this channel ("email" or "online_form") and the same
 * address has had no acknowledgement in the last 24 hours, queues a
 * message with the reference, the acknowledge clock's due date and a
 * tracking link (token: the link's token when the caller made one; NULL:
 * one is made and kept here); its "acknowledgement_queued" event is actor's.
 * *queued says whether one was; *why, when
 * not, says why in words (static).  in_reply_to: the message answered.
 */
fh_status store_outbox_acknowledge(fh_store *st, const char *org_code, int64_t case_id,
				   const char *reference, const char *channel,
				   const char *recipient, const char *in_reply_to,
				   const char *token, const char *actor, bool *queued,
				   const char **why, fh_error *err);

/*
 * The letter just issued (in the caller's transaction) queued to its
 * recipient's recorded email address (the first party of that role on the
 * case with one): the PDF attached, or a link to it on the tracking page,
 * as the organisation's policy.email.letters says.  *to gets the address
 * (in arena).  FH_EINVAL naming "send_email" when the organisation sends no
 * email or the recipient has no address recorded.
 */
fh_status store_outbox_letter(fh_store *st, int64_t org_id, int64_t case_id,
			      const char *reference, int64_t letter_id, const char *role,
			      const char *subject, const char *actor, fh_arena *arena,
			      const char **to, fh_error *err);

/* The address a letter to role would be emailed to: "" when none is recorded. */
fh_status store_outbox_letter_address(fh_store *st, int64_t case_id, const char *role,
				      fh_arena *arena, const char **to, fh_error *err);

/* What became of the mail about one case (or one letter, letter_id > 0). */
typedef struct store_outbound {
	int64_t id, letter_id;
	const char *kind, *recipient, *state, *state_at, *detail, *queued_at, *message_id;
} store_outbound;

/* A letter's email queued again (store_outbox_resend); strings in arena. */
typedef struct store_outbox_resent {
	const char *message_id;     /* the new message's, without <> */
	const char *to;             /* the address it goes to: the one recorded now */
	const char *again_of;       /* the Message-ID of the message it replaces */
	const char *again_of_state; /* bounced or failed */
} store_outbox_resent;

/*
 * Sends letter_id of the case reference by email again, in a transaction
 * of its own: when the letter's newest email bounced or failed, a new
 * message (a new Message-ID, the same letter, attached or as a link as the
 * organisation's policy says now) is queued to the address recorded for
 * the letter's recipient now, so a corrected address is used, with a
 * "letter_email_resent" event naming the message it replaces.
 * FH_ENOTFOUND (field "letter") for no such letter on the case;
 * FH_ECONFLICT (field "letter") when it was never emailed or its newest
 * email did not bounce or fail; FH_EINVAL naming "send_email" as
 * store_outbox_letter.
 */
fh_status store_outbox_resend(fh_store *st, const char *reference, int64_t letter_id,
			      const char *actor, fh_arena *arena, store_outbox_resent *out,
			      fh_error *err);

/* One claimed message, as a sender writes it. */
typedef struct store_outbox_message {
	int64_t id, outbound_id, org_id, case_id, letter_id;
	const char *org_code, *reference, *kind, *message_id;
	const char *sender, *recipient, *subject, *body, *in_reply_to;
	bool attach_pdf;
	int attempts;             /* this one included */
} store_outbox_message;

/*
 * Claims the oldest due message (queued, unclaimed, its time come) for
 * claimer, in a transaction of its own; strings in arena.  FH_ENOTFOUND
 * when none is due.  Claims older than STORE_OUTBOX_CLAIM_SECONDS are
 * first marked failed (their sender stopped; the message may have gone).
 */
fh_status store_outbox_claim(fh_store *st, const char *claimer, fh_arena *arena,
			     store_outbox_message *out, fh_error *err);

/* The mail server took it: sent, with its answer; a "mail_sent" event. */
fh_status store_outbox_sent(fh_store *st, const store_outbox_message *m, const char *answer,
			    fh_error *err);

/*
 * It was not taken: permanent (a 5xx refusal) or after the last retry,
 * failed with a "mail_failed" event; otherwise queued again for the next
 * wait, with why kept.  *failed says which.
 */
fh_status store_outbox_not_sent(fh_store *st, const store_outbox_message *m, bool permanent,
				const char *why, bool *failed, fh_error *err);

/*
 * A delivery report about one of the organisation's sent messages, in the
 * caller's transaction: action "failed" marks it bounced, "delivered"
 * (or "relayed") delivered, anything else changes nothing; status (e.g.
 * "5.1.1") is kept as its detail.  *case_id gets the case when one of ids
 * is a message Fairhearing sent (0: none), with a "mail_bounced" or
 * "mail_delivered" event on it.
 */
fh_status store_outbox_report(fh_store *st, int64_t org_id, const char *const *ids, size_t n,
			      const char *action, const char *status, const char *actor,
			      int64_t *case_id, fh_error *err);

/* What became of the mail about one case, oldest first. */
fh_status store_outbound_list(fh_store *st, int64_t case_id, fh_arena *arena,
			      store_outbound **out, size_t *count, fh_error *err);

/* Letters whose email bounced in the last 30 days and was not sent again
 * since, on the cases the user is assigned to now (the dashboard, so a letter that never arrived is
 * noticed within the day), newest first. */
typedef struct store_bounced_letter {
	const char *reference, *recipient, *state_at, *detail, *subject;
	int64_t letter_id;
} store_bounced_letter;

fh_status store_outbound_bounced_for(fh_store *st, const char *user_email, fh_arena *arena,
				     store_bounced_letter **out, size_t *count, fh_error *err);

#endif
