/*
 * store_mail: received email (migration 025_received_mail) and the
 * Message-IDs of mail Fairhearing sends.
 *
 * store_mail_receive keeps one received message whole and decides, inside
 * one transaction with everything it makes and its audit event, what it
 * becomes (docs/email.md):
 *  - a reply, filed on its case as correspondence, when it names the case
 *    (its subject holds the organisation's reference, or In-Reply-To or
 *    References name a message Fairhearing sent about the case) and its
 *    sender's address is that of a party of the case;
 *  - otherwise, when the caller could read it into a contact and a person
 *    wrote it, a new contact (a new case, the caller's fh_case_input),
 *    marked "possibly about REF" when it named a case;
 *  - otherwise kept in quarantine, with the reason, for the complaints
 *    team to file by hand (store_mail_file) or set aside (store_mail_discard).
 * A delivery report (a bounce) naming a message Fairhearing sent is
 * filed on that message's case and marks it bounced or delivered
 * (store_outbox_report).  A new contact may be acknowledged by email in
 * the same transaction (store_outbox_acknowledge).
 * A message with the Message-ID of one kept already for the organisation
 * is not recorded again: STORE_MAIL_DUPLICATE, with what the first became.
 * The attachments the caller accepted become the case's documents
 * (store_document_add); those it refused are listed on the message with
 * their reasons.  Every received message is an audit event:
 * "mail_received" on its case, or on the organisation when quarantined;
 * its data names the message's row and what became of it, never the
 * sender or the text.
 */
#ifndef FH_STORE_MAIL_H
#define FH_STORE_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One attachment the caller accepted as a document. */
typedef struct store_mail_document {
	const char *filename, *content_type;
	const void *data;
	size_t size;
} store_mail_document;

typedef struct store_mail_in {
	const char *org_code;
	const void *raw;          /* the whole message as received */
	size_t size;
	const char *message_id;   /* "" or NULL: "sha256:" and the digest of raw stands in */
	/* What the message said; all "" for a message that could not be read. */
	const char *from_name, *from_address, *subject, *body;
	const char *const *references; /* In-Reply-To and References */
	size_t n_references;
	/* The new contact it makes when it is not a reply; NULL when it cannot
	 * make one (why says why: unreadable, written by a machine ...). */
	const fh_case_input *contact;
	const char *why;
	bool unreadable;          /* it could not be read: quarantined whatever it names */
	const store_mail_document *documents;
	size_t n_documents;
	const char *refused;      /* JSON array of {filename, content_type, size, reason} */
	/* An automatic acknowledgement may answer it (mail_may_autoreply): a
	 * new contact it makes is acknowledged when the organisation wants
	 * (store_outbox_acknowledge). */
	bool may_acknowledge;
	/* A delivery report (RFC 3464): the Message-IDs of the message it
	 * returns, its Action and Status.  One that names a message Fairhearing
	 * sent marks it (store_outbox_report) and is filed on its case. */
	const char *const *report_ids;
	size_t n_report_ids;
	const char *report_action, *report_status;
	const char *source;       /* where it was taken from, for the audit event
				   * ("imaps://host/INBOX UIDVALIDITY 7 UID 42"); NULL: standard input */
} store_mail_in;

typedef enum store_mail_outcome {
	STORE_MAIL_FILED,          /* on its case, as correspondence */
	STORE_MAIL_NEW_CONTACT,
	STORE_MAIL_POSSIBLY_ABOUT, /* a new contact naming another case */
	STORE_MAIL_QUARANTINED,
	STORE_MAIL_DUPLICATE,      /* received before: nothing written */
} store_mail_outcome;

typedef struct store_mail_result {
	store_mail_outcome outcome;
	int64_t id;                          /* the received message's row */
	char reference[FH_REFERENCE_MAX];    /* the case it is on or made; "" in quarantine */
	char about[FH_REFERENCE_MAX];        /* POSSIBLY_ABOUT: the case it named */
	const char *state;                   /* the row's state, for a duplicate what it became */
	bool acknowledged;                   /* an acknowledgement was queued */
	const char *no_acknowledgement;      /* a new contact not acknowledged: why (static) */
	bool report;                         /* a delivery report about a message sent */
} store_mail_result;

fh_status store_mail_receive(fh_store *st, const store_mail_in *in, const char *actor,
			     store_mail_result *out, fh_error *err);

/* A received message as lists and pages show it. */
typedef struct store_mail_message {
	int64_t id;
	const char *message_id, *from_name, *from_address, *subject, *body;
	const char *received_at, *state, *why, *refused;
	const char *reference;       /* the case it is on; "" */
	const char *about;           /* possibly_about: the case it named; "" */
	int64_t size;
	const void *raw;             /* store_mail_get with raw only */
} store_mail_message;

/* The organisation's messages in state (e.g. "quarantined"), newest first. */
fh_status store_mail_list(fh_store *st, const char *org_code, const char *state,
			  fh_arena *arena, store_mail_message **out, size_t *count, fh_error *err);

/* The messages on a case (filed, or the one that made it), oldest first. */
fh_status store_mail_on_case(fh_store *st, int64_t case_id, fh_arena *arena,
			     store_mail_message **out, size_t *count, fh_error *err);

/* One message of the organisation, with its raw bytes when raw; FH_ENOTFOUND naming "id". */
fh_status store_mail_get(fh_store *st, const char *org_code, int64_t id, bool raw,
			 fh_arena *arena, store_mail_message *out, fh_error *err);

/*
 * A quarantined message filed by hand: on the case reference (of the same
 * organisation) as correspondence, or, with reference NULL, as the new
 * contact contact (already checked with case_input_validate).  One
 * transaction with its "mail_filed" event; *reference_out gets the case.
 * FH_ECONFLICT naming "id" when the message is not in quarantine.
 */
fh_status store_mail_file(fh_store *st, const char *org_code, int64_t id, const char *reference,
			  const fh_case_input *contact, const char *actor,
			  char reference_out[FH_REFERENCE_MAX], fh_error *err);

/*
 * A quarantined message set aside (kept, never shown as a contact), with
 * the reason (required, field "reason"); one transaction with its
 * "mail_discarded" event.  FH_ECONFLICT naming "id" when not in quarantine.
 */
fh_status store_mail_discard(fh_store *st, const char *org_code, int64_t id, const char *reason,
			     const char *actor, fh_error *err);

/* How many of the organisation's messages wait in quarantine. */
fh_status store_mail_quarantine_count(fh_store *st, int64_t org_id, int64_t *count,
				      fh_error *err);

#endif
