/*
 * mail_inbound: one received email (RFC 5322, MIME) read into plain values,
 * with GMime 3, for `fairhearing mail receive` (docs/email.md).
 *
 * What a message becomes is decided elsewhere (the command and the store);
 * this module only reads it, and says when it cannot be read:
 *  - the sender (the first From address) and their name, the subject with
 *    RFC 2047 encoded words decoded, the Message-ID, In-Reply-To and
 *    References (without angle brackets);
 *  - the text, in UTF-8 whatever charset it came in (UTF-8, ISO-8859-1,
 *    Windows-1252 ...; a part that claims ISO-8859-1 or none is read as
 *    Windows-1252, its superset, as mail programs do), format=flowed lines
 *    joined (RFC 3676), an HTML-only message's text with its tags removed
 *    and entities decoded (libxml2's HTML parser); a message/rfc822 part
 *    (a message forwarded as an attachment) adds its own text after a
 *    "Forwarded message" line;
 *  - every other part as an attachment: its filename (decoded), its type
 *    as the sender labelled it, and its decoded bytes;
 *  - whether it was written by a machine: Auto-Submitted other than "no"
 *    (RFC 3834), Precedence bulk, list or junk, an X-Autoreply, or a
 *    delivery report (multipart/report, RFC 3464: a bounce).
 *
 * A message is refused (FH_EINVAL, with the reason in words) when it has no
 * From address, or when GMime reports the structure broken: a multipart
 * without its boundary or without any part, a truncated or malformed
 * message, MIME nested too deep, a header name that is not one.  Such a
 * message is kept whole in quarantine by the caller, never dropped.
 *
 * Everything in *out lives in arena.  mail_inbound_start must have been
 * called once in the process (it starts GMime), from one thread.
 */
#ifndef FH_MAIL_INBOUND_H
#define FH_MAIL_INBOUND_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "error.h"

/* The most a message/rfc822 part may nest before the rest is not read. */
enum { MAIL_INBOUND_MAX_DEPTH = 8, MAIL_INBOUND_MAX_ATTACHMENTS = 100 };

typedef struct mail_attachment {
	const char *filename;     /* UTF-8; "" when the part names none */
	const char *content_type; /* "type/subtype", lower case, as labelled */
	const unsigned char *data;
	size_t size;
} mail_attachment;

typedef struct mail_inbound {
	const char *message_id;   /* without <>; "" when the message has none */
	const char *from_name;    /* UTF-8; "" when not given */
	const char *from_address; /* as written, lower-cased */
	const char *subject;      /* UTF-8, one line; "" when none */
	const char *in_reply_to;  /* without <>; "" */
	const char **references;  /* In-Reply-To and References, without <> */
	size_t n_references;
	/* The day the organisation's mail server took it (the date of the first
	 * Received header, the one it added itself, in local time): a message
	 * the server kept while the database was down was received then, not
	 * when it was delivered.  "" when there is none or it cannot be read. */
	const char *received_on;
	const char *text;         /* UTF-8, lines end in "\n" */
	bool html_only;           /* the text came from HTML */
	bool automatic;           /* written by a machine (see above) */
	bool bounce;              /* a delivery report (multipart/report) */
	const char *automatic_why; /* the header that said so, for people */
	mail_attachment *attachments;
	size_t n_attachments;
} mail_inbound;

/* Starts GMime for the process (once, before any parse). */
void mail_inbound_start(void);
void mail_inbound_stop(void);

/*
 * Reads size bytes of raw message into *out.  FH_EINVAL (field "message")
 * with the reason when the message cannot be read; *out then holds only
 * what its headers said (Message-ID, sender, subject; each "" when not
 * there), so that the kept message can be found and shown.
 */
fh_status mail_inbound_parse(const void *raw, size_t size, fh_arena *arena, mail_inbound *out,
			     fh_error *err);

/*
 * Joins RFC 3676 format=flowed lines (delsp says whether the space before
 * a soft break is removed) into arena: space-stuffing undone, quoted lines
 * joined only with lines of the same depth, the signature separator kept.
 */
char *mail_unflow(const char *text, bool delsp, fh_arena *arena);

/* The text of an HTML document, tags removed and entities decoded, into arena. */
char *mail_html_to_text(const char *html, size_t size, fh_arena *arena);

#endif
