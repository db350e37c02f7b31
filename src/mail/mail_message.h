/*
 * mail_message: one email, written out as the bytes a mail server takes
 * (RFC 5322 with a single MIME text part, RFC 2045), for any command that
 * sends mail.  mail_smtp.h hands the bytes to a server.
 *
 * What a message may carry is narrow on purpose: one sender, one
 * recipient, a subject and a plain-text UTF-8 body.  Every header the
 * program writes is one it built itself from checked values, so nothing a
 * caller passes can add a header: addresses are plain (no spaces,
 * brackets, quotes or line breaks), the subject is one line, written as
 * RFC 2047 encoded words when it is not ASCII, and the Message-ID is
 * checked to the same rules.  The body's lines end in CRLF whatever they
 * ended in, and none may be longer than RFC 5322's 998 octets, because the
 * part is sent as 8bit.  The Date is written with English day and month
 * names whatever the locale.
 *
 * The headers, in this order: From, To, Date, Subject, Message-ID,
 * MIME-Version, Content-Type (text/plain; charset=utf-8),
 * Content-Transfer-Encoding (8bit) and, for mail no person wrote,
 * Auto-Submitted: auto-generated (RFC 3834), so that a mail server's
 * out-of-office reply does not answer it; "auto-replied" instead for an
 * automatic answer to a message received (an acknowledgement).  With
 * in_reply_to, In-Reply-To and References name the message answered.
 *
 * With an attachment (a letter's PDF) the message is multipart/mixed
 * (RFC 2046): the text part as above, then the attachment in base64 with
 * its filename (plain ASCII, checked like a header) as
 * Content-Disposition: attachment.  The boundary is random and checked
 * against neither part needing it (base64 and the text cannot hold "=_").
 */
#ifndef FH_MAIL_MESSAGE_H
#define FH_MAIL_MESSAGE_H

#include <stdbool.h>
#include <time.h>

#include "error.h"

/* RFC 5321's limit on the length of an address. */
enum { MAIL_ADDRESS_MAX = 254 };

typedef struct mail_message {
	const char *from;       /* a plain address (mail_address_plain) */
	const char *to;         /* a plain address */
	const char *subject;    /* UTF-8, one line */
	const char *body;       /* UTF-8 text; lines end in "\n" or "\r\n" */
	time_t date;            /* when it was written (the Date header, in UTC) */
	const char *message_id; /* "left@right", without the angle brackets */
	bool auto_submitted;    /* written by the program, not a person */
	bool auto_replied;      /* with auto_submitted: an automatic answer (RFC 3834 §5) */
	const char *in_reply_to; /* NULL or "left@right": the message answered */
	/* NULL, or a file sent with the text (attachment_size bytes) */
	const void *attachment;
	size_t attachment_size;
	const char *attachment_name; /* ASCII file name, e.g. "letter-BCT-2026-00001.pdf" */
	const char *attachment_type; /* "application/pdf" */
} mail_message;

/* True for an address fit for an SMTP envelope and a header: local@domain
 * with no spaces, brackets, commas, semicolons, quotes or line breaks, and
 * at most MAIL_ADDRESS_MAX bytes. */
bool mail_address_plain(const char *address);

/*
 * The whole message, headers and body, with CRLF line ends, into *out,
 * which the caller frees.  FH_EINVAL naming the field (from, to, subject,
 * message_id or body) and what is wrong with it; FH_ENOMEM with the words
 * "out of memory".
 */
fh_status mail_message_compose(const mail_message *m, char **out, fh_error *err);

#endif
